/* engine.c - bench_engine: events per second of the simulator's event engine
 * in the hold model. N timers are pending; each, when it runs, reschedules
 * itself after a random delay, so the queue holds N timers throughout.
 *
 * Delays come from a splitmix64-seeded xorshift64* stream, so a seed gives the
 * same event sequence on every run; only the timing varies. It measures and
 * prints; it never judges (bench/engine.sh does the statistics).
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sim/engine.h"

#define PENDING_DEFAULT 100000u
#define EVENTS_DEFAULT 20000000u
#define WARMUP_DEFAULT 1000000u
#define DELAY_MAX_US_DEFAULT 1000000u   /* delays uniform in 1 .. 1 s */

enum delay_dist { DIST_UNIFORM, DIST_EXP };

struct hold {
    struct sim_engine *engine;
    uint64_t rng;
    uint64_t delay_max_us;      /* uniform: 1 .. max; exp: mean max / 2 */
    enum delay_dist dist;
    uint64_t failed;            /* schedules that returned 0 */
};

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += UINT64_C(0x9E3779B97F4A7C15));
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

static uint64_t xorshift64s(uint64_t *s)
{
    uint64_t x = *s;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    *s = x;
    return x * UINT64_C(0x2545F4914F6CDD1D);
}

static uint64_t hold_delay_us(struct hold *h)
{
    uint64_t r = xorshift64s(&h->rng);
    if (h->dist == DIST_EXP) {
        /* inverse CDF on 53 random bits; u in (0, 1] */
        double u = (double)((r >> 11) + 1) * 0x1.0p-53;
        return 1 + (uint64_t)(-log(u) * (double)h->delay_max_us / 2.0);
    }
    /* multiply-shift: uniform in 0 .. max - 1 without a division */
    return 1 + (((r >> 32) * h->delay_max_us) >> 32);   /* max < 2^32: no overflow */
}

static void hold_event(void *ctx, uint64_t arg)
{
    struct hold *h = ctx;
    uint64_t at_us = sim_engine_now_us(h->engine) + hold_delay_us(h);
    if (sim_engine_schedule(h->engine, at_us, hold_event, h, arg) == 0)
        h->failed++;
}

static double clock_s(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void usage(void)
{
    fprintf(stderr,
            "usage: bench_engine [--pending N] [--events M] [--warmup W] [--seed S]\n"
            "                    [--delay-max-us D] [--dist uniform|exp] [--json]\n"
            "  N timers pending (default %u); M timed events (default %u) after W\n"
            "  untimed ones (default %u); delays uniform in 1..D us (default %u) or\n"
            "  exponential with mean D/2.\n",
            PENDING_DEFAULT, EVENTS_DEFAULT, WARMUP_DEFAULT, DELAY_MAX_US_DEFAULT);
    exit(2);
}

static uint64_t parse_u64(const char *opt, const char *s, uint64_t min)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno != 0 || end == s || *end != '\0' || s[0] == '-' || v < min) {
        fprintf(stderr, "bench_engine: %s must be an integer >= %" PRIu64 ", got '%s'\n",
                opt, min, s);
        exit(2);
    }
    return (uint64_t)v;
}

int main(int argc, char **argv)
{
    uint64_t pending = PENDING_DEFAULT, events = EVENTS_DEFAULT, warmup = WARMUP_DEFAULT;
    uint64_t seed = 1, delay_max_us = DELAY_MAX_US_DEFAULT;
    enum delay_dist dist = DIST_UNIFORM;
    int json = 0;

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--json") == 0) {
            json = 1;
            continue;
        }
        if (i + 1 >= argc)
            usage();
        const char *v = argv[++i];
        if (strcmp(a, "--pending") == 0)
            pending = parse_u64(a, v, 1);
        else if (strcmp(a, "--events") == 0)
            events = parse_u64(a, v, 1);
        else if (strcmp(a, "--warmup") == 0)
            warmup = parse_u64(a, v, 0);
        else if (strcmp(a, "--seed") == 0)
            seed = parse_u64(a, v, 0);
        else if (strcmp(a, "--delay-max-us") == 0)
            delay_max_us = parse_u64(a, v, 1);
        else if (strcmp(a, "--dist") == 0 && strcmp(v, "uniform") == 0)
            dist = DIST_UNIFORM;
        else if (strcmp(a, "--dist") == 0 && strcmp(v, "exp") == 0)
            dist = DIST_EXP;
        else
            usage();
    }
    if (pending > SIM_ENGINE_PENDING_MAX || delay_max_us > UINT32_MAX) {
        fprintf(stderr, "bench_engine: --pending at most %zu, --delay-max-us at most %" PRIu32 "\n",
                (size_t)SIM_ENGINE_PENDING_MAX, UINT32_MAX);
        return 2;
    }

    struct sim_engine *e = sim_engine_create((size_t)pending);
    if (e == NULL) {
        fprintf(stderr, "bench_engine: out of memory\n");
        return 1;
    }
    uint64_t sm = seed;
    struct hold h = {e, splitmix64(&sm) | 1u, delay_max_us, dist, 0};
    for (uint64_t i = 0; i < pending; i++)
        if (sim_engine_schedule(e, hold_delay_us(&h), hold_event, &h, i) == 0)
            h.failed++;

    for (uint64_t i = 0; i < warmup; i++)
        sim_engine_step(e);
    double t0 = clock_s(CLOCK_MONOTONIC), c0 = clock_s(CLOCK_PROCESS_CPUTIME_ID);
    for (uint64_t i = 0; i < events; i++)
        sim_engine_step(e);
    double elapsed_s = clock_s(CLOCK_MONOTONIC) - t0;
    double cpu_s = clock_s(CLOCK_PROCESS_CPUTIME_ID) - c0;

    int rc = 0;
    if (h.failed != 0 || sim_engine_pending(e) != pending ||
        sim_engine_events_run(e) != warmup + events) {
        fprintf(stderr, "bench_engine: engine misbehaved: %" PRIu64 " failed schedules, %zu pending, "
                "%" PRIu64 " run\n", h.failed, sim_engine_pending(e), sim_engine_events_run(e));
        rc = 1;
    }
    double rate = (double)events / elapsed_s;
    if (json)
        printf("{\"pending\": %" PRIu64 ", \"events\": %" PRIu64 ", \"warmup\": %" PRIu64
               ", \"seed\": %" PRIu64 ", \"dist\": \"%s\", \"delay_max_us\": %" PRIu64
               ", \"elapsed_s\": %.6f, \"cpu_s\": %.6f, \"events_per_s\": %.0f"
               ", \"events_per_cpu_s\": %.0f, \"ns_per_event\": %.2f, \"end_time_us\": %" PRIu64 "}\n",
               pending, events, warmup, seed, dist == DIST_EXP ? "exp" : "uniform", delay_max_us,
               elapsed_s, cpu_s, rate, (double)events / cpu_s, elapsed_s * 1e9 / (double)events,
               sim_engine_now_us(e));
    else
        printf("hold model: %" PRIu64 " pending, %" PRIu64 " events after %" PRIu64
               " warm-up, seed %" PRIu64 ", %s delays to %" PRIu64 " us: %.3f s (cpu %.3f s), "
               "%.0f events/s, %.1f ns/event\n",
               pending, events, warmup, seed, dist == DIST_EXP ? "exp" : "uniform", delay_max_us,
               elapsed_s, cpu_s, rate, elapsed_s * 1e9 / (double)events);
    sim_engine_destroy(e);
    return rc;
}
