/* traffic/rng.h - seeded random streams, one per entity.
 *
 * Every entity of a synthesized subnet or a simulation (host, agent, link,
 * fault) draws from its own stream derived from (scenario seed, entity id),
 * so adding one entity leaves every other entity's draws byte-identical.
 * xoshiro256** seeded through splitmix64: fast, well tested, and exactly
 * reproducible on every platform (integers only; doubles are derived from the
 * top 53 bits). No global state, no clock, no libc random generator.
 */
#ifndef TRAFFIC_RNG_H
#define TRAFFIC_RNG_H

#include <stdint.h>

struct traffic_rng {
    uint64_t s[4];
};

/* Entity ids: a kind in the top 16 bits, an index below, so streams of
 * different kinds never collide. */
#define TRAFFIC_ENTITY_HOST 0x0001ull
#define TRAFFIC_ENTITY_AGENT 0x0002ull
#define TRAFFIC_ENTITY_LINK 0x0003ull
#define TRAFFIC_ENTITY_FAULT 0x0004ull
#define TRAFFIC_ENTITY_SUBNET 0x0005ull
#define TRAFFIC_ENTITY_CLOUD 0x0006ull
#define TRAFFIC_ENTITY_ID(kind, index) ((uint64_t)(kind) << 48 | (uint64_t)(index))

/* The stream of entity_id under seed. */
void traffic_rng_init(struct traffic_rng *r, uint64_t seed, uint64_t entity_id);

uint64_t traffic_rng_u64(struct traffic_rng *r);

/* Uniform in [0, n) without modulo bias; n > 0. */
uint64_t traffic_rng_below(struct traffic_rng *r, uint64_t n);

/* Uniform double in [0, 1). */
double traffic_rng_unit(struct traffic_rng *r);

/* Uniform integer in [lo, hi] (inclusive), lo <= hi. */
uint64_t traffic_rng_range(struct traffic_rng *r, uint64_t lo, uint64_t hi);

/* 1 with probability p (0 <= p <= 1). */
int traffic_rng_chance(struct traffic_rng *r, double p);

#endif
