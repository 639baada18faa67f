/* agent.c - a simulated sensor agent (sim/agent.h).
 *
 * A thin host around one caps core: it owns the arena, maps sim time to the
 * agent's skewed, drifting clock, and gates frames and ticks on being up.
 * The core is (re)initialised in place at every boot; nothing is allocated
 * after create. With the election on it frames, signs and demultiplexes the
 * adverts (sim/agent.h).
 */
#include "sim/agent.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "traffic/rng.h"

#define AGENT_ARENA_ALIGN 64u

struct sim_agent {
    struct scen_agent spec;
    struct sim_agent_net net;
    uint64_t epoch_known;          /* highest election epoch, kept across restarts */
    struct caps_config cfg;
    uint64_t epoch_us;
    char dns_suffix[CAPS_DOMAIN_NAME_MAX];
    int running;
    int new_leader;                /* became leader since its last upload */
    uint32_t boots;
    struct caps_sensor *sensor;
    void *arena;
    size_t arena_bytes;
};

struct sim_agent *sim_agent_create(const struct scen_agent *spec, const struct caps_config *cfg,
                                   uint64_t epoch_us, const struct sim_agent_net *net,
                                   char err[SCEN_ERRMSG_MAX])
{
    struct sim_agent *a = calloc(1, sizeof *a);
    if (a == NULL) {
        snprintf(err, SCEN_ERRMSG_MAX, "agent %s: out of memory", spec->name);
        return NULL;
    }
    a->spec = *spec;
    a->net = *net;
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

uint64_t sim_agent_sim_time_us(const struct sim_agent *a, uint64_t clock_us)
{
    /* clock = epoch + t + skew + t * drift / 1e6: solve for t in floating
     * point, then step to the first t whose (integer) clock reaches clock_us. */
    double base = (double)clock_us - (double)a->epoch_us - (double)a->spec.clock_skew_us;
    double t = base / (1.0 + a->spec.clock_drift_ppm / 1e6);
    uint64_t ts = t <= 2.0 ? 0 : (uint64_t)t - 2u;
    for (int i = 0; i < 8 && sim_agent_clock_us(a, ts) < clock_us; i++)
        ts++;
    while (sim_agent_clock_us(a, ts) < clock_us)    /* never more than a few steps */
        ts++;
    return ts;
}

/* ---- the election host ---- */

static void agent_hmac(void *ctx, const uint8_t *msg, size_t len, uint8_t out[32])
{
    const struct sim_agent *a = ctx;
    unsigned out_len = 32;
    if (HMAC(EVP_sha256(), a->net.key, (int)sizeof a->net.key, msg, len, out, &out_len) == NULL)
        memset(out, 0, 32);    /* an advert nobody accepts; never happens with libcrypto */
}

static void put_be16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

/* Builds the advert's Ethernet/IPv4/UDP frame (RFC 1112 group MAC, UDP
 * checksum 0: optional over IPv4, RFC 768) and hands it to the LAN. */
static void agent_send(void *ctx, const uint8_t *payload, size_t len)
{
    struct sim_agent *a = ctx;
    uint8_t f[SIM_ADVERT_FRAME_BYTES];
    static const uint8_t group[4] = {239, 255, 47, 47};    /* CAPS_ELECTION_GROUP_V4 */

    assert(len == CAPS_ADVERT_BYTES);
    memset(f, 0, sizeof f);
    f[0] = 0x01;
    f[1] = 0x00;
    f[2] = 0x5e;
    f[3] = group[1] & 0x7f;
    f[4] = group[2];
    f[5] = group[3];
    memcpy(f + 6, a->net.mac, 6);
    put_be16(f + 12, 0x0800);
    uint8_t *ip = f + 14;
    ip[0] = 0x45;
    put_be16(ip + 2, (uint16_t)(20u + 8u + len));
    ip[6] = 0x40;          /* don't fragment */
    ip[8] = 255;           /* TTL 255: receivers may check it came from the link */
    ip[9] = 17;
    memcpy(ip + 12, a->net.ip, 4);
    memcpy(ip + 16, group, 4);
    uint32_t sum = 0;
    for (int i = 0; i < 20; i += 2)
        sum += (uint32_t)(ip[i] << 8 | ip[i + 1]);
    while (sum >> 16)
        sum = (sum & 0xffffu) + (sum >> 16);
    put_be16(ip + 10, (uint16_t)~sum);
    uint8_t *udp = ip + 20;
    put_be16(udp, CAPS_ELECTION_PORT);
    put_be16(udp + 2, CAPS_ELECTION_PORT);
    put_be16(udp + 4, (uint16_t)(8u + len));
    memcpy(udp + 8, payload, len);
    a->net.send_frame(a->net.ctx, a->net.index, f, sizeof f);
}

static void agent_on_role(void *ctx, enum caps_role old_role, enum caps_role new_role,
                          uint64_t epoch, int cause, uint64_t now_us)
{
    struct sim_agent *a = ctx;
    (void)now_us;
    if (epoch > a->epoch_known)
        a->epoch_known = epoch;
    if (new_role == CAPS_ROLE_LEADER)
        a->new_leader = 1;
    if (a->net.on_role != NULL)
        a->net.on_role(a->net.ctx, a->net.index, old_role, new_role, epoch, cause);
}

/* The UDP payload of an election advert in frame, or NULL: untagged
 * Ethernet, IPv4 without options... any IHL, UDP to the election port. */
static const uint8_t *agent_advert_payload(const uint8_t *frame, size_t len, size_t *payload_len)
{
    if (len < 14u + 20u + 8u || frame[12] != 0x08 || frame[13] != 0x00)
        return NULL;
    const uint8_t *ip = frame + 14;
    size_t ihl = (size_t)(ip[0] & 0x0f) * 4u;
    if ((ip[0] >> 4) != 4 || ihl < 20 || ip[9] != 17 || 14u + ihl + 8u > len)
        return NULL;
    const uint8_t *udp = ip + ihl;
    if ((udp[2] << 8 | udp[3]) != CAPS_ELECTION_PORT)
        return NULL;
    size_t ulen = (size_t)(udp[4] << 8 | udp[5]);
    size_t avail = len - 14u - ihl;
    if (ulen < 8 || ulen > avail)
        ulen = avail;
    *payload_len = ulen - 8u;
    return udp + 8;
}

static void agent_submit(void *ctx, const struct caps_upload *u)
{
    struct sim_agent *a = ctx;
    a->net.submit_upload(a->net.ctx, a->net.index, a->sensor, u, a->new_leader);
    a->new_leader = 0;
}

void sim_agent_boot(struct sim_agent *a, uint64_t now_us)
{
    struct caps_host host = {a, NULL, agent_send, agent_hmac, agent_on_role,
                             a->net.upload_interval_us > 0 ? agent_submit : NULL};
    int rc = caps_sensor_init(a->sensor, &a->cfg, &host, a->arena, a->arena_bytes);
    assert(rc == 0);    /* the same cfg and arena passed at create */
    uint64_t clock_us = sim_agent_clock_us(a, now_us);
    caps_sensor_set_dns_suffix(a->sensor, a->dns_suffix);
    a->running = 1;
    a->boots++;
    if (a->net.election) {
        struct caps_election_config ec;
        memset(&ec, 0, sizeof ec);
        ec.agent_id = (uint64_t)a->net.index + 1u;
        ec.priority = (uint8_t)a->spec.priority;
        ec.advert_interval_us = a->net.advert_interval_us;
        ec.preempt = a->net.preempt;
        memcpy(ec.site_id, a->net.site_id, sizeof ec.site_id);
        ec.has_ipv4 = 1;
        memcpy(ec.ipv4, a->net.ip, 4);
        ec.initial_counter = clock_us;    /* above any counter of an earlier boot */
        ec.initial_epoch = a->epoch_known;
        rc = caps_sensor_election_init(a->sensor, &ec, clock_us);
        assert(rc == 0);    /* checked by sim_run before the run */
    }
    /* A standalone core leads itself from the start. */
    a->new_leader = !a->net.election;
    if (a->net.upload_interval_us > 0) {
        struct caps_upload_config uc = {a->net.upload_interval_us, clock_us,
                                        TRAFFIC_ENTITY_ID(TRAFFIC_ENTITY_AGENT, a->net.index)};
        rc = caps_sensor_upload_init(a->sensor, &uc, clock_us);
        assert(rc == 0);    /* interval checked by the scenario reader */
    }
    (void)rc;
    caps_sensor_tick(a->sensor, clock_us);
}

void sim_agent_halt(struct sim_agent *a)
{
    if (a->running && a->sensor->election_on) {
        uint64_t e = caps_election_epoch(&a->sensor->election);
        if (e > a->epoch_known)
            a->epoch_known = e;
    }
    a->running = 0;
}

void sim_agent_stop(struct sim_agent *a, uint64_t now_us)
{
    if (a->running)
        caps_sensor_stop(a->sensor, sim_agent_clock_us(a, now_us));
    sim_agent_halt(a);
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
    size_t plen = 0;
    const uint8_t *advert = agent_advert_payload(frame, len, &plen);
    if (advert != NULL) {
        caps_sensor_advert(a->sensor, sim_agent_clock_us(a, now_us), advert, plen);
        return;
    }
    caps_sensor_frame(a->sensor, sim_agent_clock_us(a, now_us), frame, len, len);
}

void sim_agent_upload_done(struct sim_agent *a, uint64_t now_us, uint64_t seq, int status,
                           uint64_t cloud_epoch)
{
    if (!a->running)
        return;
    caps_sensor_upload_done(a->sensor, seq, status, cloud_epoch, sim_agent_clock_us(a, now_us));
}

uint64_t sim_agent_upload_inflight(const struct sim_agent *a)
{
    if (!a->running || !a->sensor->upload_on || !a->sensor->upload.inflight_on)
        return 0;
    return a->sensor->upload.inflight.seq;
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
