/* rng.c - xoshiro256** streams seeded by splitmix64 (traffic/rng.h).
 * Both algorithms by Blackman and Vigna (public domain reference
 * descriptions); written here from their published definitions because no
 * Debian library offers a seedable, platform-exact generator. */
#include "traffic/rng.h"

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

void traffic_rng_init(struct traffic_rng *r, uint64_t seed, uint64_t entity_id)
{
    /* Mix the two inputs through splitmix so nearby seeds and ids give
     * unrelated streams. */
    uint64_t x = seed;
    uint64_t a = splitmix64(&x);
    x = a ^ (entity_id * 0xd1b54a32d192ed03ull);
    for (int i = 0; i < 4; i++)
        r->s[i] = splitmix64(&x);
    if ((r->s[0] | r->s[1] | r->s[2] | r->s[3]) == 0)
        r->s[0] = 1;   /* the all-zero state is the one xoshiro cannot leave */
}

uint64_t traffic_rng_u64(struct traffic_rng *r)
{
    uint64_t *s = r->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

uint64_t traffic_rng_below(struct traffic_rng *r, uint64_t n)
{
    /* Rejection of the short top slice removes modulo bias (Lemire). */
    uint64_t limit = -n % n;
    for (;;) {
        uint64_t x = traffic_rng_u64(r);
        if (x >= limit)
            return x % n;
    }
}

double traffic_rng_unit(struct traffic_rng *r)
{
    return (double)(traffic_rng_u64(r) >> 11) * 0x1.0p-53;
}

uint64_t traffic_rng_range(struct traffic_rng *r, uint64_t lo, uint64_t hi)
{
    if (hi - lo == UINT64_MAX)
        return traffic_rng_u64(r);
    return lo + traffic_rng_below(r, hi - lo + 1);
}

int traffic_rng_chance(struct traffic_rng *r, double p)
{
    return traffic_rng_unit(r) < p;
}
