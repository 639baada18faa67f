/* agent.c - a simulated sensor agent (sim/agent.h).
 *
 * A thin host around one caps core: it owns the arena, maps sim time to the
 * agent's skewed, drifting clock, and gates frames and ticks on being up.
 * The core is (re)initialised in place at every boot; nothing is allocated
 * after create.
 */
#include "sim/agent.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define AGENT_ARENA_ALIGN 64u

struct sim_agent {
    struct scen_agent spec;
    struct caps_config cfg;
    uint64_t epoch_us;
    char dns_suffix[CAPS_DOMAIN_NAME_MAX];
    int running;
    uint32_t boots;
    struct caps_sensor *sensor;
    void *arena;
    size_t arena_bytes;
};

struct sim_agent *sim_agent_create(const struct scen_agent *spec, const struct caps_config *cfg,
                                   uint64_t epoch_us, char err[SCEN_ERRMSG_MAX])
{
    struct sim_agent *a = calloc(1, sizeof *a);
    if (a == NULL) {
        snprintf(err, SCEN_ERRMSG_MAX, "agent %s: out of memory", spec->name);
        return NULL;
    }
    a->spec = *spec;
    a->cfg = *cfg;
    a->epoch_us = epoch_us;
    snprintf(a->dns_suffix, sizeof a->dns_suffix, "%s", spec->dns_suffix);
    a->arena_bytes = caps_sensor_arena_bytes(cfg);
    size_t rounded = (a->arena_bytes + AGENT_ARENA_ALIGN - 1) & ~(size_t)(AGENT_ARENA_ALIGN - 1);
    a->arena = aligned_alloc(AGENT_ARENA_ALIGN, rounded > 0 ? rounded : AGENT_ARENA_ALIGN);
    a->sensor = malloc(sizeof *a->sensor);
    if (a->arena == NULL || a->sensor == NULL) {
        snprintf(err, SCEN_ERRMSG_MAX, "agent %s: cannot allocate %zu bytes for the core",
                 spec->name, a->arena_bytes);
        sim_agent_destroy(a);
        return NULL;
    }
    /* Validates cfg once, so a boot cannot fail later. */
    struct caps_host host = {0};
    int rc = caps_sensor_init(a->sensor, &a->cfg, &host, a->arena, a->arena_bytes);
    if (rc != 0) {
        snprintf(err, SCEN_ERRMSG_MAX, "agent %s: core init: %s", spec->name, caps_strerror(rc));
        sim_agent_destroy(a);
        return NULL;
    }
    return a;
}

void sim_agent_destroy(struct sim_agent *a)
{
    if (a == NULL)
        return;
    free(a->arena);
    free(a->sensor);
    free(a);
}

const char *sim_agent_name(const struct sim_agent *a)
{
    return a->spec.name;
}

uint64_t sim_agent_clock_us(const struct sim_agent *a, uint64_t now_us)
{
    /* now_us < 2^63 and |drift| < 10^6 ppm: the product fits in __int128-free
     * arithmetic when split into whole seconds and the rest. */
    int64_t drift_us = (int64_t)(now_us / 1000000u) * a->spec.clock_drift_ppm +
                       (int64_t)(now_us % 1000000u) * a->spec.clock_drift_ppm / 1000000;
    int64_t t = (int64_t)(a->epoch_us + now_us) + a->spec.clock_skew_us + drift_us;
    return t > 0 ? (uint64_t)t : 0;
}

void sim_agent_boot(struct sim_agent *a, uint64_t now_us)
{
    struct caps_host host = {0};
    int rc = caps_sensor_init(a->sensor, &a->cfg, &host, a->arena, a->arena_bytes);
    assert(rc == 0);    /* the same cfg and arena passed at create */
    (void)rc;
    caps_sensor_set_dns_suffix(a->sensor, a->dns_suffix);
    caps_sensor_tick(a->sensor, sim_agent_clock_us(a, now_us));
    a->running = 1;
    a->boots++;
}

void sim_agent_halt(struct sim_agent *a)
{
    a->running = 0;
}

int sim_agent_running(const struct sim_agent *a)
{
    return a->running;
}

uint32_t sim_agent_boots(const struct sim_agent *a)
{
    return a->boots;
}

void sim_agent_set_dns_suffix(struct sim_agent *a, const char *suffix)
{
    snprintf(a->dns_suffix, sizeof a->dns_suffix, "%s", suffix != NULL ? suffix : "");
    if (a->running)
        caps_sensor_set_dns_suffix(a->sensor, a->dns_suffix);
}

void sim_agent_frame(struct sim_agent *a, uint64_t now_us, const uint8_t *frame, size_t len)
{
    if (!a->running)
        return;
    caps_sensor_frame(a->sensor, sim_agent_clock_us(a, now_us), frame, len, len);
}

void sim_agent_tick(struct sim_agent *a, uint64_t now_us)
{
    if (!a->running)
        return;
    caps_sensor_tick(a->sensor, sim_agent_clock_us(a, now_us));
}

struct caps_sensor *sim_agent_sensor(struct sim_agent *a)
{
    return a->sensor;
}

size_t sim_agent_core_bytes(const struct sim_agent *a)
{
    return a->arena_bytes + sizeof *a->sensor;
}
