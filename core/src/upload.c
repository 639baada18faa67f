/* upload.c - the upload schedule of a sensor core (caps/upload.h, sensor.h).
 *
 * An upload names a generation window (since_gen, gen]: an asset belongs to
 * it when its last change falls inside, or always for a full snapshot, so
 * nothing grows with an outage. One upload is in flight at a time; only a
 * sensor that may report builds; a new leader term starts with a full
 * snapshot at once. Retry delays double from 5 s up to min(interval, 15 min),
 * scaled by a jitter from the core's own splitmix64 stream.
 */
#include <stdio.h>
#include <string.h>

#include "caps/scope.h"
#include "caps/sensor.h"
#include "upload_sched.h"

#define US_PER_S 1000000ull
#define JITTER_PPM_MIN 750000ull   /* factor 0.75 ... */
#define JITTER_PPM_SPAN 500000ull  /* ... up to, not including, 1.25 */

int caps_upload_includes(const struct caps_upload *u, const struct caps_asset *a)
{
    if (u->full)
        return 1;
    return a->changed_gen > u->since_gen && a->changed_gen <= u->gen;
}

/* splitmix64 (Steele, Lea, Flood 2014): one 64-bit state, full period. */
static uint64_t splitmix64_next(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

/* The delay before attempt `failures` + 1: 5 s doubled per earlier failure,
 * capped, times a factor in [0.75, 1.25) (integer parts per million). */
static uint64_t retry_delay_us(struct caps_upload_state *st)
{
    uint64_t cap = st->interval_us < CAPS_UPLOAD_RETRY_US_CAP ? st->interval_us
                                                              : CAPS_UPLOAD_RETRY_US_CAP;
    uint64_t base = CAPS_UPLOAD_RETRY_US_MIN;
    for (unsigned i = 1; i < st->failures && base < cap; i++)
        base *= 2;
    if (base > cap)
        base = cap;
    uint64_t jitter_ppm = ((splitmix64_next(&st->rng) >> 32) * JITTER_PPM_SPAN) >> 32;
    /* base <= 900 s = 9e8 us, times < 1.25e6: far below 2^64. */
    return base * (JITTER_PPM_MIN + jitter_ppm) / US_PER_S;
}

static void advance(struct caps_sensor *s, uint64_t now_us)
{
    if (now_us > s->now_us)
        s->now_us = now_us;
}

static void log_msg(const struct caps_sensor *s, int level, const char *msg)
{
    if (s->host.log != NULL)
        s->host.log(s->host.ctx, level, msg);
}

int caps_sensor_upload_init(struct caps_sensor *s, const struct caps_upload_config *ucfg,
                            uint64_t now_us)
{
    if (s->host.submit_upload == NULL)
        return CAPS_E_ARG;
    uint64_t interval_us = ucfg->interval_us != 0
                               ? ucfg->interval_us
                               : (uint64_t)s->cfg.upload_interval_min * 60u * US_PER_S;
    if (interval_us < US_PER_S)
        return CAPS_E_CONFIG;
    advance(s, now_us);
    struct caps_upload_state *st = &s->upload;
    memset(st, 0, sizeof *st);
    st->cfg = *ucfg;
    st->interval_us = interval_us;
    st->next_seq = ucfg->initial_seq;
    st->rng = ucfg->jitter_seed;
    st->full_pending = 1;
    st->next_us = s->now_us + interval_us;
    if (s->election_on) {
        st->takeovers_seen = s->election.stats.takeovers;
        /* Already leading: this is a new term for the uploads. */
        if (caps_election_role(&s->election) == CAPS_ROLE_LEADER)
            st->next_us = s->now_us;
    }
    s->upload_on = 1;
    return 0;
}

void caps_sensor_upload_follow(struct caps_sensor *s)
{
    struct caps_upload_state *st = &s->upload;

    if (!s->upload_on || !s->election_on || s->election.stats.takeovers == st->takeovers_seen)
        return;
    /* Every takeover since the last look starts a term: the cloud may hold
     * nothing of this agent's view, so a full snapshot goes out at once
     * (after the one in flight, if any: see upload_done). */
    st->takeovers_seen = s->election.stats.takeovers;
    st->full_pending = 1;
    st->failures = 0;
    st->next_us = s->now_us;
    st->inflight_old_term = st->inflight_on;
}

/* Assets the payload of u will hold: selected and not excluded. O(assets),
 * once per build. */
static uint32_t count_assets(const struct caps_sensor *s, const struct caps_upload *u)
{
    uint32_t n = 0;
    for (uint32_t i = 0; i < s->inv.count; i++) {
        const struct caps_asset *a = &s->inv.assets[i];
        if (caps_upload_includes(u, a) &&
            caps_scope_status(&s->cfg, s->domain, a) != CAPS_SCOPE_EXCLUDED)
            n++;
    }
    return n;
}

static void build(struct caps_sensor *s)
{
    struct caps_upload_state *st = &s->upload;
    struct caps_upload *u = &st->inflight;

    memset(u, 0, sizeof *u);
    u->seq = st->next_seq++;
    u->epoch = s->election_on ? caps_election_epoch(&s->election) : 0;
    u->full = st->full_pending;
    u->since_gen = u->full ? 0 : st->acked_gen;
    u->gen = s->inv.gen;
    u->built_us = s->now_us;
    u->attempt = st->failures;
    u->asset_count = count_assets(s, u);
    st->inflight_on = 1;
    st->inflight_old_term = 0;
    st->next_us = UINT64_MAX;        /* the outcome schedules the next one */
    st->stats.built++;
    if (u->full)
        st->stats.full++;
    s->host.submit_upload(s->host.ctx, u);
}

static int may_build(const struct caps_sensor *s)
{
    return s->upload_on && !s->upload.inflight_on && caps_sensor_may_report(s);
}

void caps_sensor_upload_run(struct caps_sensor *s)
{
    caps_sensor_upload_follow(s);
    if (may_build(s) && s->now_us >= s->upload.next_us)
        build(s);
}

uint64_t caps_sensor_upload_deadline_us(const struct caps_sensor *s)
{
    if (!may_build(s) || s->upload.next_us == UINT64_MAX)
        return UINT64_MAX;
    /* Due while the sensor could not report: due now, never in the past. */
    return s->upload.next_us > s->now_us ? s->upload.next_us : s->now_us;
}

int caps_sensor_upload_flush(struct caps_sensor *s, uint64_t now_us)
{
    advance(s, now_us);
    caps_sensor_upload_follow(s);
    if (!may_build(s))
        return 0;
    build(s);
    return 1;
}

void caps_sensor_upload_done(struct caps_sensor *s, uint64_t seq, int status,
                             uint64_t cloud_epoch, uint64_t now_us)
{
    struct caps_upload_state *st = &s->upload;
    char msg[160];

    if (!s->upload_on)
        return;
    advance(s, now_us);
    if (!st->inflight_on || seq != st->inflight.seq) {
        st->stats.stale_done++;
        return;
    }
    st->inflight_on = 0;
    switch (status) {
    case CAPS_UPLOAD_OK:
        st->stats.acked++;
        st->acked_gen = st->inflight.gen;
        st->last_acked_us = s->now_us;
        st->failures = 0;
        if (st->inflight.full && !st->inflight_old_term)
            st->full_pending = 0;
        /* A takeover while this one flew still owes its full snapshot now. */
        st->next_us = st->full_pending ? s->now_us : st->inflight.built_us + st->interval_us;
        break;
    case CAPS_UPLOAD_FENCED:
        st->stats.fenced++;
        st->failures = 0;
        st->full_pending = 1;        /* if it leads again, it starts over */
        st->next_us = s->now_us + st->interval_us;
        if (s->election_on)
            caps_election_fence(&s->election, cloud_epoch, s->now_us);
        break;
    case CAPS_UPLOAD_REJECTED:
        st->stats.rejected++;
        st->failures = 0;
        st->next_us = s->now_us + st->interval_us;
        snprintf(msg, sizeof msg, "upload seq %llu rejected by the cloud: kept for the next interval",
                 (unsigned long long)seq);
        log_msg(s, CAPS_LOG_WARN, msg);
        break;
    default:
        /* Not acknowledged, whatever the host meant: send it again. */
        snprintf(msg, sizeof msg, "upload seq %llu: unknown status %d, retried",
                 (unsigned long long)seq, status);
        log_msg(s, CAPS_LOG_ERROR, msg);
        /* fall through */
    case CAPS_UPLOAD_RETRY:
        st->stats.retries++;
        if (st->failures < UINT8_MAX)
            st->failures++;
        st->next_us = s->now_us + retry_delay_us(st);
        break;
    }
}
