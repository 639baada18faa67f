/* run.c - one simulated run of a scenario (sim/run.h).
 *
 * Events: agent boots and faults at their times, a pump at the sim time of
 * the subnet's next frame (it sends every frame due then on the LAN), one
 * tick per simulated minute for every agent, and a sample every
 * sample_every_us (a timeline row per agent). The truth comes from the
 * subnet: frames say which host sent them, so the run keeps a MAC -> host map
 * of every source MAC seen and, for the first agent, the sim time each host
 * was first found in its inventory. Everything printed goes through fixed
 * formats in the C locale; all iteration is by index, never by pointer.
 */
#include "sim/run.h"

#include <assert.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cjson/cJSON.h>

#include "caps/proto.h"
#include "codec/fingerprints.h"
#include "codec/inventory.h"
#include "sim/agent.h"
#include "sim/engine.h"
#include "sim/lan.h"
#include "sim/uplink.h"
#include "macmap.h"
#include "traffic/pcapw.h"
#include "traffic/rng.h"
#include "traffic/subnet.h"

#define RUN_MINUTE_US 60000000ull
#define RUN_NEVER UINT64_MAX
#define RUN_MACMAP_INITIAL 1024u        /* slots; grows at half load */
#define RUN_ENGINE_CAPACITY 1024u
static const uint32_t run_checkpoints_min[] = {5, 15, 60, 240, 1440};
static const unsigned run_source_protos[] = {CAPS_PROTO_ARP, CAPS_PROTO_DHCP, CAPS_PROTO_NBNS,
                                             CAPS_PROTO_BROWSER, CAPS_PROTO_SSDP,
                                             CAPS_PROTO_MDNS};
#define RUN_SOURCES (sizeof run_source_protos / sizeof run_source_protos[0])

struct run_port {
    struct run *run;
    uint32_t agent;
};

/* An advert frame waiting to go on the LAN: sends are queued and flushed
 * from their own event, so no core is entered from inside another's call. */
struct run_advert {
    uint32_t from;
    uint32_t len;
    uint8_t bytes[SIM_ADVERT_FRAME_BYTES];
};

#define RUN_TAKEOVERS_MAX 4096          /* more are counted, not listed */
#define RUN_GROUPS 2                    /* sides of a partition */

struct run_takeover {
    uint64_t at_us;
    int from;                           /* agent index, -1: none known */
    int to;
    int cause;                          /* enum caps_elect_cause, refined */
    uint64_t gap_us;
};

/* The election as the run observes it (only with sc->election.enabled). */
struct run_election {
    struct run_advert *queue;
    uint32_t queue_len, queue_cap;
    int flush_armed;
    uint64_t timer_id[SCEN_AGENTS_MAX];     /* the agent's deadline timer, 0: none */
    uint64_t timer_at_us[SCEN_AGENTS_MAX];
    uint64_t partition_mask;                /* active partition, 0: none */
    double loss;                            /* the link's loss now */
    uint64_t last_obs_us;
    uint64_t vacant_since_us[RUN_GROUPS];   /* RUN_NEVER: the side has a leader */
    int last_leader[RUN_GROUPS];
    uint64_t dual_since_us[RUN_GROUPS];     /* two leaders on one side since */
    uint64_t dual_max_us;
    uint64_t no_standby_us;
    int no_standby_now;
    uint64_t no_standby_since_us;   /* RUN_NEVER when there is a standby */
    uint64_t no_standby_max_us;     /* longest stretch without one */
    uint64_t reporting_us;
    int reporting_now;
    uint64_t epoch_seen[SCEN_AGENTS_MAX];
    uint64_t leader_epoch[SCEN_AGENTS_MAX]; /* epoch when the agent last became leader */
    int epochs_monotonic;
    uint32_t takeover_count;
    uint32_t takeover_by_cause[CAPS_ELECT_CAUSE_COUNT];
    uint64_t gap_max_us;
    struct run_takeover takeovers[RUN_TAKEOVERS_MAX];
};

/* One scheduled fault: an explicit one of the scenario (sc->faults[index]) or
 * a random crash or restart of agent `agent` drawn from "random_faults". */
struct run_sched {
    uint64_t at_us;
    uint32_t index;                 /* explicit: index in sc->faults */
    uint32_t agent;                 /* random: the agent */
    uint8_t random;                 /* 1: drawn */
    uint8_t kind;                   /* random: SCEN_FAULT_CRASH or SCEN_FAULT_RESTART */
};

/* A cloud answer on its way to an agent (slow answers arrive late). */
struct run_answer {
    uint32_t agent;
    uint32_t boots;                 /* the agent's boot it answers: a restart drops it */
    struct sim_uplink_answer ans;
};

/* The cloud as the run drives it (only with sc->cloud.enabled). */
struct run_cloud {
    struct sim_uplink *uplink;
    uint64_t outage_until_us;       /* in force while now < until */
    uint64_t lost_ack_until_us;
    uint64_t slow_until_us;
    uint64_t slow_us;
    struct run_answer *answers;     /* indexed by the done event's arg */
    uint32_t answers_len, answers_cap;
    uint8_t send_armed[SCEN_AGENTS_MAX];
};

/* Bound on the random faults drawn for one run (about 16 MB of schedule). */
#define RUN_RANDOM_FAULTS_MAX (1u << 20)

struct run {
    const struct scen_scenario *sc;
    uint64_t seed;
    struct sim_engine *engine;
    struct traffic_subnet *subnet;
    struct sim_lan *lan;
    struct sim_agent *agents[SCEN_AGENTS_MAX];
    struct run_port ports[SCEN_AGENTS_MAX];
    uint32_t agent_count;
    uint32_t hosts;                 /* truth hosts; index hosts is the gateway */
    uint64_t *first_frame_us;       /* [hosts + 1] */
    uint64_t *first_found_us;       /* [hosts + 1], first agent */
    uint32_t *stamp;                /* [hosts + 1], sample marks */
    uint32_t stamp_now;
    struct sim_macmap macs;          /* MAC -> truth host */
    struct traffic_frame frame;
    uint64_t frames_sent;
    uint32_t assets_peak;
    char *timeline;                 /* CSV text */
    size_t timeline_len, timeline_cap;
    int failed;                     /* out of memory during the run */
    struct run_election el;
    struct run_cloud cl;
    struct run_sched *sched;        /* explicit and random faults, in time order */
    uint32_t sched_count;
    uint8_t random_down[SCEN_AGENTS_MAX];   /* 1: down by a random crash */
    sim_progress_fn *progress;
    void *progress_ctx;
};

__attribute__((format(printf, 2, 3)))
static int run_fail(char *err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, SCEN_ERRMSG_MAX, fmt, ap);
    va_end(ap);
    return -1;
}

/* ---- timeline text ---- */

__attribute__((format(printf, 2, 3)))
static void timeline_add(struct run *r, const char *fmt, ...)
{
    char line[512];        /* a quoted 63-character name and 11 numbers fit */
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    assert(n > 0 && (size_t)n < sizeof line);
    if (r->timeline_len + (size_t)n + 1 > r->timeline_cap) {
        size_t cap = r->timeline_cap ? r->timeline_cap * 2 : 4096;
        char *grown = realloc(r->timeline, cap);
        if (grown == NULL) {
            r->failed = 1;
            return;
        }
        r->timeline = grown;
        r->timeline_cap = cap;
    }
    memcpy(r->timeline + r->timeline_len, line, (size_t)n + 1);
    r->timeline_len += (size_t)n;
}

/* ---- events ---- */

/* A host is found by the first agent when one of its MACs is in the
 * inventory; checked for the sender after every frame it receives, and for
 * every asset at every sample. */
static void run_deliver(void *ctx, uint64_t now_us, const uint8_t *frame, size_t len)
{
    struct run_port *p = ctx;
    struct run *r = p->run;
    sim_agent_frame(r->agents[p->agent], now_us, frame, len);
    if (p->agent != 0 || len < 14)
        return;
    uint32_t h = sim_macmap_get(&r->macs, frame + 6);
    if (h == SIM_MACMAP_NONE || r->first_found_us[h] != RUN_NEVER)
        return;
    struct caps_sensor *s = sim_agent_sensor(r->agents[0]);
    if (caps_inventory_lookup(&s->inv, frame + 6) != NULL)
        r->first_found_us[h] = now_us;
}

/* ---- the election ---- */

static int run_group(const struct run *r, uint32_t i)
{
    return (int)((r->el.partition_mask >> i) & 1u);
}

/* An agent that takes part in the site's election: running, not rogue. */
static int run_member(struct run *r, uint32_t i)
{
    return sim_agent_running(r->agents[i]) && !r->sc->agents[i].rogue &&
           sim_agent_sensor(r->agents[i])->election_on;
}

static void run_agent_timer(void *ctx, uint64_t arg);
static void run_observe(struct run *r);

/* (Re)arms agent i's timer at its core's next deadline. */
static void run_arm(struct run *r, uint32_t i)
{
    struct run_election *el = &r->el;
    uint64_t now_us = sim_engine_now_us(r->engine);
    if (!sim_agent_running(r->agents[i])) {
        if (el->timer_id[i] != 0)
            sim_engine_cancel(r->engine, el->timer_id[i]);
        el->timer_id[i] = 0;
        return;
    }
    uint64_t d = caps_sensor_next_deadline_us(sim_agent_sensor(r->agents[i]));
    uint64_t at_us = d == UINT64_MAX ? RUN_NEVER : sim_agent_sim_time_us(r->agents[i], d);
    if (at_us <= now_us)
        at_us = now_us + 1;       /* due now: the next microsecond, never a busy loop */
    if (el->timer_id[i] != 0 && el->timer_at_us[i] == at_us)
        return;
    if (el->timer_id[i] != 0)
        sim_engine_cancel(r->engine, el->timer_id[i]);
    el->timer_id[i] = 0;
    if (at_us > r->sc->duration_us)
        return;
    el->timer_id[i] = sim_engine_schedule(r->engine, at_us, run_agent_timer, r, i);
    el->timer_at_us[i] = at_us;
    if (el->timer_id[i] == 0)
        r->failed = 1;
}

static void run_agent_timer(void *ctx, uint64_t arg)
{
    struct run *r = ctx;
    r->el.timer_id[arg] = 0;
    sim_agent_tick(r->agents[arg], sim_engine_now_us(r->engine));
    if (r->sc->election.enabled)
        run_observe(r);
    else
        run_arm(r, (uint32_t)arg);
}

static void run_flush(void *ctx, uint64_t arg)
{
    struct run *r = ctx;
    struct run_advert a;
    (void)arg;
    /* Deliveries may queue answers: they go out in this same loop. */
    for (uint32_t i = 0; i < r->el.queue_len; i++) {
        a = r->el.queue[i];
        sim_lan_send_from(r->lan, (int)a.from, a.bytes, a.len);
    }
    r->el.queue_len = 0;
    r->el.flush_armed = 0;
    run_observe(r);
}

static void run_send_frame(void *ctx, uint32_t agent, const uint8_t *frame, size_t len)
{
    struct run *r = ctx;
    struct run_election *el = &r->el;
    assert(len <= SIM_ADVERT_FRAME_BYTES);
    if (el->queue_len == el->queue_cap) {
        uint32_t cap = el->queue_cap ? el->queue_cap * 2u : 64u;
        struct run_advert *q = realloc(el->queue, (size_t)cap * sizeof *q);
        if (q == NULL) {
            r->failed = 1;
            return;
        }
        el->queue = q;
        el->queue_cap = cap;
    }
    struct run_advert *a = &el->queue[el->queue_len++];
    a->from = agent;
    a->len = (uint32_t)len;
    memcpy(a->bytes, frame, len);
    if (!el->flush_armed) {
        el->flush_armed = 1;
        if (sim_engine_schedule(r->engine, sim_engine_now_us(r->engine), run_flush, r, 0) == 0)
            r->failed = 1;
    }
}

/* The core cannot tell a dead leader from one it cannot hear: the run,
 * which knows the faults in force, can. */
static int run_refine_cause(const struct run *r, int cause)
{
    if (cause != CAPS_ELECT_CAUSE_CRASH)
        return cause;
    if (r->el.partition_mask != 0)
        return CAPS_ELECT_CAUSE_PARTITION;
    if (r->el.loss > 0.0)
        return CAPS_ELECT_CAUSE_LOST_ADVERTS;
    return CAPS_ELECT_CAUSE_CRASH;
}

static void run_takeover_add(struct run *r, int from, int to, int cause, uint64_t gap_us)
{
    struct run_election *el = &r->el;
    if (el->takeover_count < RUN_TAKEOVERS_MAX) {
        struct run_takeover *t = &el->takeovers[el->takeover_count];
        t->at_us = sim_engine_now_us(r->engine);
        t->from = from;
        t->to = to;
        t->cause = cause;
        t->gap_us = gap_us;
    }
    el->takeover_count++;
    el->takeover_by_cause[cause]++;
    if (gap_us > el->gap_max_us)
        el->gap_max_us = gap_us;
}

/* Role changes of the site's agents: takeovers (the first election, cause
 * start, is not one) and fencings. */
static void run_on_role(void *ctx, uint32_t agent, enum caps_role old_role,
                        enum caps_role new_role, uint64_t epoch, int cause)
{
    struct run *r = ctx;
    struct run_election *el = &r->el;
    int g = run_group(r, agent);
    uint64_t now_us = sim_engine_now_us(r->engine);

    if (r->sc->agents[agent].rogue)
        return;
    if (new_role == CAPS_ROLE_LEADER) {
        int from = el->last_leader[g];
        if (cause != CAPS_ELECT_CAUSE_START) {
            uint64_t gap_us = el->vacant_since_us[g] != RUN_NEVER
                                  ? now_us - el->vacant_since_us[g] : 0;
            run_takeover_add(r, from, (int)agent, run_refine_cause(r, cause), gap_us);
            if (from >= 0 && epoch <= el->leader_epoch[from])
                el->epochs_monotonic = 0;
        }
        el->last_leader[g] = (int)agent;
        el->leader_epoch[agent] = epoch;
        el->vacant_since_us[g] = RUN_NEVER;
    } else if (old_role == CAPS_ROLE_LEADER && cause == CAPS_ELECT_CAUSE_FENCED) {
        int to = -1;
        for (uint32_t i = 0; i < r->agent_count && to < 0; i++)
            if (i != agent && run_member(r, i) && run_group(r, i) == g &&
                caps_sensor_role(sim_agent_sensor(r->agents[i])) == CAPS_ROLE_LEADER)
                to = (int)i;
        /* Fenced by the cloud: the leader of the higher epoch may be on the
         * other side of a partition. */
        for (uint32_t i = 0; i < r->agent_count && to < 0; i++)
            if (i != agent && run_member(r, i) &&
                caps_sensor_role(sim_agent_sensor(r->agents[i])) == CAPS_ROLE_LEADER &&
                caps_election_epoch(&sim_agent_sensor(r->agents[i])->election) >= epoch)
                to = (int)i;
        /* The old leader yielding to the agent that just preempted it is
         * the end of that preemption, not a takeover of its own. */
        const struct run_takeover *last = el->takeover_count > 0 &&
                                                  el->takeover_count <= RUN_TAKEOVERS_MAX
                                              ? &el->takeovers[el->takeover_count - 1] : NULL;
        if (last != NULL && last->cause == CAPS_ELECT_CAUSE_PREEMPT &&
            last->from == (int)agent && last->to == to)
            return;
        run_takeover_add(r, (int)agent, to, CAPS_ELECT_CAUSE_FENCED, 0);
        if (to >= 0)
            el->last_leader[g] = to;
    }
}

/* After every election event: integrates the state held since the last
 * observation, checks the invariants, takes the new state and re-arms the
 * agents' timers. */
static void run_observe(struct run *r)
{
    struct run_election *el = &r->el;
    uint64_t now_us = sim_engine_now_us(r->engine);
    uint64_t dt_us = now_us - el->last_obs_us;
    unsigned leaders[RUN_GROUPS] = {0}, standbys[RUN_GROUPS] = {0}, eligible[RUN_GROUPS] = {0};
    int reporting = 0;

    if (el->no_standby_now)
        el->no_standby_us += dt_us;
    if (el->reporting_now)
        el->reporting_us += dt_us;
    el->last_obs_us = now_us;
    for (uint32_t i = 0; i < r->agent_count; i++) {
        if (!run_member(r, i))
            continue;
        struct caps_sensor *s = sim_agent_sensor(r->agents[i]);
        enum caps_role role = caps_sensor_role(s);
        uint64_t epoch = caps_election_epoch(&s->election);
        if (epoch < el->epoch_seen[i])
            el->epochs_monotonic = 0;
        el->epoch_seen[i] = epoch;
        /* A standby is owed to each side of a partition that holds two
         * eligible agents: they hear each other, not the other side. */
        eligible[run_group(r, i)] += (unsigned)s->on_premises;
        standbys[run_group(r, i)] += role == CAPS_ROLE_STANDBY;
        if (role == CAPS_ROLE_LEADER) {
            leaders[run_group(r, i)]++;
            reporting |= caps_sensor_may_report(s);
        }
    }
    for (int g = 0; g < RUN_GROUPS; g++) {
        if (leaders[g] >= 2 && el->dual_since_us[g] == RUN_NEVER)
            el->dual_since_us[g] = now_us;
        if (leaders[g] < 2 && el->dual_since_us[g] != RUN_NEVER) {
            if (now_us - el->dual_since_us[g] > el->dual_max_us)
                el->dual_max_us = now_us - el->dual_since_us[g];
            el->dual_since_us[g] = RUN_NEVER;
        }
        if (leaders[g] == 0 && el->vacant_since_us[g] == RUN_NEVER)
            el->vacant_since_us[g] = now_us;
        else if (leaders[g] > 0)
            el->vacant_since_us[g] = RUN_NEVER;
    }
    el->no_standby_now = 0;
    for (int g = 0; g < RUN_GROUPS; g++)
        el->no_standby_now |= eligible[g] >= 2 && standbys[g] == 0;
    if (el->no_standby_now && el->no_standby_since_us == RUN_NEVER)
        el->no_standby_since_us = now_us;
    if (!el->no_standby_now && el->no_standby_since_us != RUN_NEVER) {
        if (now_us - el->no_standby_since_us > el->no_standby_max_us)
            el->no_standby_max_us = now_us - el->no_standby_since_us;
        el->no_standby_since_us = RUN_NEVER;
    }
    el->reporting_now = reporting;
    for (uint32_t i = 0; i < r->agent_count; i++)
        run_arm(r, i);
}

/* ---- the cloud ---- */

static void run_upload_send(void *ctx, uint64_t arg);

static enum sim_cloud_mode run_cloud_mode(const struct run *r, uint64_t now_us)
{
    if (now_us < r->cl.outage_until_us)
        return SIM_CLOUD_OUTAGE;
    if (now_us < r->cl.lost_ack_until_us)
        return SIM_CLOUD_LOST_ACK;
    return SIM_CLOUD_UP;
}

/* Sends agent's spool from its own event, never from inside its core. */
static void run_upload_arm(struct run *r, uint32_t agent)
{
    if (r->cl.send_armed[agent])
        return;
    r->cl.send_armed[agent] = 1;
    uint64_t now_us = sim_engine_now_us(r->engine);
    if (sim_engine_schedule(r->engine, now_us, run_upload_send, r, agent) == 0)
        r->failed = 1;
}

static void run_submit_upload(void *ctx, uint32_t agent, const struct caps_sensor *s,
                              const struct caps_upload *u, int new_leader)
{
    struct run *r = ctx;
    sim_uplink_submit(r->cl.uplink, agent, s, u, new_leader);
    run_upload_arm(r, agent);
}

static void run_upload_done(void *ctx, uint64_t arg)
{
    struct run *r = ctx;
    const struct run_answer *a = &r->cl.answers[arg];
    struct sim_agent *ag = r->agents[a->agent];
    if (!sim_agent_running(ag) || sim_agent_boots(ag) != a->boots)
        return;     /* the process that asked is gone */
    sim_agent_upload_done(ag, sim_engine_now_us(r->engine), a->ans.seq, a->ans.status,
                          a->ans.cloud_epoch);
    if (r->sc->election.enabled)
        run_observe(r);
    else
        run_arm(r, a->agent);
}

static void run_upload_send(void *ctx, uint64_t arg)
{
    struct run *r = ctx;
    uint32_t agent = (uint32_t)arg;
    uint64_t now_us = sim_engine_now_us(r->engine);
    struct sim_agent *ag = r->agents[agent];

    r->cl.send_armed[agent] = 0;
    if (!sim_agent_running(ag))
        return;     /* a crashed host sends nothing; its spool waits for the restart */
    struct sim_uplink_answer ans =
        sim_uplink_send(r->cl.uplink, agent, sim_agent_upload_inflight(ag),
                        run_cloud_mode(r, now_us), r->sc->start_epoch_us + now_us);
    if (!ans.has)
        return;
    if (r->cl.answers_len == r->cl.answers_cap) {
        uint32_t cap = r->cl.answers_cap ? r->cl.answers_cap * 2u : 64u;
        struct run_answer *q = realloc(r->cl.answers, (size_t)cap * sizeof *q);
        if (q == NULL) {
            r->failed = 1;
            return;
        }
        r->cl.answers = q;
        r->cl.answers_cap = cap;
    }
    uint32_t idx = r->cl.answers_len++;
    r->cl.answers[idx] = (struct run_answer){agent, sim_agent_boots(ag), ans};
    uint64_t delay_us = r->sc->cloud.answer_delay_us +
                        (now_us < r->cl.slow_until_us ? r->cl.slow_us : 0);
    if (sim_engine_schedule(r->engine, now_us + delay_us, run_upload_done, r, idx) == 0)
        r->failed = 1;
}

static void run_pump(void *ctx, uint64_t arg)
{
    struct run *r = ctx;
    uint64_t now_us = sim_engine_now_us(r->engine);
    (void)arg;

    while (traffic_subnet_next(r->subnet, now_us, &r->frame) == 1) {
        const struct traffic_frame *f = &r->frame;
        uint32_t h = f->host < r->hosts ? f->host : r->hosts;
        if (f->len >= 14) {
            if (r->first_frame_us[h] == RUN_NEVER)
                r->first_frame_us[h] = now_us;
            if (sim_macmap_put(&r->macs, f->bytes + 6, h) != 0)
                r->failed = 1;
        }
        r->frames_sent++;
        sim_lan_send(r->lan, f->bytes, f->len);
    }
    uint64_t next_us = traffic_subnet_peek_us(r->subnet);
    if (next_us <= r->sc->duration_us &&
        sim_engine_schedule(r->engine, next_us, run_pump, r, 0) == 0)
        r->failed = 1;
}

static void run_minute(void *ctx, uint64_t arg)
{
    struct run *r = ctx;
    uint64_t now_us = sim_engine_now_us(r->engine);
    (void)arg;

    for (uint32_t i = 0; i < r->agent_count; i++)
        sim_agent_tick(r->agents[i], now_us);
    if (r->sc->election.enabled)
        run_observe(r);
    if (r->progress != NULL)
        r->progress(r->progress_ctx, now_us, r->sc->duration_us,
                    sim_engine_events_run(r->engine));
    if (now_us + RUN_MINUTE_US <= r->sc->duration_us &&
        sim_engine_schedule(r->engine, now_us + RUN_MINUTE_US, run_minute, r, 0) == 0)
        r->failed = 1;
}

/* Truth hosts that had sent a frame by t_us. */
static uint32_t run_present_at(const struct run *r, uint64_t t_us)
{
    uint32_t n = 0;
    for (uint32_t h = 0; h < r->hosts; h++)
        n += r->first_frame_us[h] <= t_us;
    return n;
}

static uint32_t run_found_at(const struct run *r, uint64_t t_us)
{
    uint32_t n = 0;
    for (uint32_t h = 0; h < r->hosts; h++)
        n += r->first_found_us[h] <= t_us;
    return n;
}

/* Marks the truth host of mac in this sample; 1 when newly marked. */
static int run_mark(struct run *r, const uint8_t mac[6], uint32_t *host)
{
    uint32_t h = sim_macmap_get(&r->macs, mac);
    *host = h;
    if (h == SIM_MACMAP_NONE || h >= r->hosts || r->stamp[h] == r->stamp_now)
        return 0;
    r->stamp[h] = r->stamp_now;
    return 1;
}

/* name as one CSV field (RFC 4180): quoted, quotes doubled, when it holds
 * a comma, a quote or a line break. */
static void csv_field(const char *name, char *out, size_t cap)
{
    size_t o = 0;
    if (strpbrk(name, ",\"\r\n") == NULL) {
        snprintf(out, cap, "%s", name);
        return;
    }
    out[o++] = '"';
    for (const char *p = name; *p != '\0' && o + 3 < cap; p++) {
        if (*p == '"')
            out[o++] = '"';
        out[o++] = *p;
    }
    out[o++] = '"';
    out[o] = '\0';
}

static void run_sample(void *ctx, uint64_t arg)
{
    struct run *r = ctx;
    uint64_t now_us = arg;     /* the sample's time, even when run after the end */
    uint32_t present = run_present_at(r, now_us);

    for (uint32_t i = 0; i < r->agent_count; i++) {
        struct caps_sensor *s = sim_agent_sensor(r->agents[i]);
        uint32_t per_source[RUN_SOURCES] = {0};
        uint32_t found = 0, h;
        r->stamp_now++;
        for (uint32_t k = 0; k < s->inv.count; k++) {
            const struct caps_asset *a = &s->inv.assets[k];
            for (size_t p = 0; p < RUN_SOURCES; p++)
                per_source[p] += ((uint32_t)a->sources >> run_source_protos[p]) & 1u;
            int marked = run_mark(r, a->mac, &h);
            for (unsigned m = 0;
                 !marked && m < a->previous_mac_count && h == SIM_MACMAP_NONE; m++)
                marked = run_mark(r, a->previous_macs[m], &h);
            if (!marked)
                continue;
            found++;
            if (i == 0 && r->first_found_us[h] == RUN_NEVER)
                r->first_found_us[h] = now_us;
        }
        if (i == 0 && s->inv.count > r->assets_peak)
            r->assets_peak = s->inv.count;
        char name[2 * SCEN_NAME_MAX + 3];
        csv_field(sim_agent_name(r->agents[i]), name, sizeof name);
        const char *role = !sim_agent_running(r->agents[i]) ? "down"
                           : !s->election_on ? "standalone"
                                             : caps_role_name(caps_sensor_role(s));
        timeline_add(r, "%llu,%s,%u,%u,%u,%u,%u,%u,%u,%u,%u,%.6f,%s\n",
                     (unsigned long long)(now_us / RUN_MINUTE_US),
                     name, s->inv.count, per_source[0], per_source[1],
                     per_source[2], per_source[3], per_source[4], per_source[5], present,
                     found, present > 0 ? (double)found / present : 0.0, role);
    }
    uint64_t next_us = now_us + r->sc->sample_every_us;
    if (next_us > r->sc->duration_us && now_us < r->sc->duration_us)
        next_us = r->sc->duration_us;     /* a last row at the end */
    if (next_us <= r->sc->duration_us &&
        sim_engine_schedule(r->engine, next_us, run_sample, r, next_us) == 0)
        r->failed = 1;
}

/* Boots agent a (start or restart); a spool left by the last run goes out. */
static void run_agent_up(struct run *r, uint32_t a, uint64_t now_us)
{
    sim_agent_boot(r->agents[a], now_us);
    sim_lan_port_set_up(r->lan, (int)a, 1);
    if (r->cl.uplink != NULL && sim_uplink_spooled(r->cl.uplink, a) > 0)
        run_upload_arm(r, a);
}

static void run_boot(void *ctx, uint64_t arg)
{
    struct run *r = ctx;
    run_agent_up(r, (uint32_t)arg, sim_engine_now_us(r->engine));
    if (r->sc->election.enabled)
        run_observe(r);
}

/* A random crash takes down an agent that is up; its restart boots the agent
 * only if it is still down from that crash (an explicit fault of the agent in
 * between takes over its state). */
static void run_random_fault(struct run *r, const struct run_sched *s)
{
    uint32_t a = s->agent;
    uint64_t now_us = sim_engine_now_us(r->engine);

    if (s->kind == SCEN_FAULT_CRASH) {
        if (!sim_agent_running(r->agents[a]))
            return;
        sim_agent_halt(r->agents[a]);
        sim_lan_port_set_up(r->lan, (int)a, 0);
        r->random_down[a] = 1;
    } else {
        if (!r->random_down[a] || sim_agent_running(r->agents[a]))
            return;
        r->random_down[a] = 0;
        run_agent_up(r, a, now_us);
    }
    if (r->sc->election.enabled)
        run_observe(r);
}

static void run_fault(void *ctx, uint64_t arg)
{
    struct run *r = ctx;
    if (r->sched[arg].random) {
        run_random_fault(r, &r->sched[arg]);
        return;
    }
    const struct scen_fault *f = &r->sc->faults[r->sched[arg].index];
    uint64_t now_us = sim_engine_now_us(r->engine);
    uint32_t a = 0;

    while (a < r->agent_count && strcmp(r->sc->agents[a].name, f->agent) != 0)
        a++;
    if (a < r->agent_count)
        r->random_down[a] = 0;
    switch (f->kind) {
    case SCEN_FAULT_CRASH:
        assert(a < r->agent_count);
        sim_agent_halt(r->agents[a]);
        sim_lan_port_set_up(r->lan, (int)a, 0);
        break;
    case SCEN_FAULT_STOP:
        assert(a < r->agent_count);
        sim_agent_stop(r->agents[a], now_us);    /* its goodbye is queued first */
        sim_lan_port_set_up(r->lan, (int)a, 0);
        break;
    case SCEN_FAULT_RESTART:
        assert(a < r->agent_count);
        run_agent_up(r, a, now_us);
        break;
    case SCEN_FAULT_CLOUD_OUTAGE:
        r->cl.outage_until_us = now_us + f->duration_us;
        break;
    case SCEN_FAULT_CLOUD_LOST_ACK:
        r->cl.lost_ack_until_us = now_us + f->duration_us;
        break;
    case SCEN_FAULT_CLOUD_SLOW:
        r->cl.slow_until_us = now_us + f->duration_us;
        r->cl.slow_us = (uint64_t)llround(f->number * 1e6);
        break;
    case SCEN_FAULT_LEAVE_PREMISES:
        assert(a < r->agent_count);
        sim_agent_set_dns_suffix(r->agents[a], f->value);
        break;
    case SCEN_FAULT_LOSS:
        sim_lan_set_loss(r->lan, f->number);
        r->el.loss = f->number;
        break;
    case SCEN_FAULT_PARTITION:
        sim_lan_set_partition(r->lan, f->agents_mask);
        r->el.partition_mask = f->agents_mask;
        /* Side 1 is new: its vacancy (if it holds no leader) starts now,
         * and the leader it lost is the one of the whole segment. */
        r->el.vacant_since_us[1] = RUN_NEVER;
        r->el.dual_since_us[1] = RUN_NEVER;
        r->el.last_leader[1] = r->el.last_leader[0];
        break;
    case SCEN_FAULT_HEAL:
        sim_lan_set_partition(r->lan, 0);
        r->el.partition_mask = 0;
        /* One side again: the cut-off side's state folds into side 0. */
        if (r->el.dual_since_us[1] != RUN_NEVER &&
            sim_engine_now_us(r->engine) - r->el.dual_since_us[1] > r->el.dual_max_us)
            r->el.dual_max_us = sim_engine_now_us(r->engine) - r->el.dual_since_us[1];
        r->el.dual_since_us[1] = RUN_NEVER;
        r->el.vacant_since_us[1] = RUN_NEVER;
        if (r->el.last_leader[0] < 0)
            r->el.last_leader[0] = r->el.last_leader[1];
        break;
    default:
        assert(0 && "rejected by run_check");
    }
    if (r->sc->election.enabled)
        run_observe(r);
}

/* ---- checks before the run ---- */

static const char *const run_fixed_metrics[] = {
    "hosts_truth", "hosts_present", "hosts_discovered", "discovered_share",
    "discovered_share_of_present",
    "time_to_discover_50_pct_s", "time_to_discover_90_pct_s", "time_to_discover_100_pct_s",
    "os_family_accuracy", "os_family_precision", "os_labelled_share",
    "device_type_accuracy", "device_type_precision", "device_type_labelled_share",
    "false_label_share", "assets", "assets_peak", "assets_arp", "assets_dhcp", "assets_nbns",
    "assets_browser", "assets_ssdp", "assets_mdns", "memory_bytes", "memory_bytes_per_asset",
    "memory_bytes_per_asset_held",
    "frames_sent", "frames_delivered", "frames_lost", "frames_duplicated", "malformed",
    "events",
    "takeovers", "takeovers_crash", "takeovers_stop", "takeovers_off_premises",
    "takeovers_partition", "takeovers_lost_adverts", "takeovers_preempt", "takeovers_fenced",
    "takeover_gap_max_us", "leaders_max_concurrent_s", "leaders_final", "leader_final",
    "no_standby_s", "no_standby_max_s", "leader_reporting_s", "epochs_monotonic", "adverts_sent",
    "adverts_accepted", "adverts_dropped_bad_mac",
    "uploads", "uploads_full", "uploads_accepted", "uploads_duplicate", "uploads_fenced",
    "uploads_rejected", "uploads_refused", "upload_answers_lost", "spool_files_max",
    "spool_bytes_max", "spool_merges", "leader_first_uploads", "leader_first_upload_full_share",
    "cloud_assets", "cloud_assets_missing", "cloud_assets_stale", "cloud_assets_lost",
    "upload_ack_age_s", "cloud_discovered_share_of_present",
};
#define RUN_FIXED_METRICS (sizeof run_fixed_metrics / sizeof run_fixed_metrics[0])

/* N of "discovered_share_at_<N>m" or "discovered_share_of_present_at_<N>m"
 * (*of_present set), or 0 when name is of neither form. */
static uint32_t checkpoint_minutes(const char *name, int *of_present)
{
    static const char share[] = "discovered_share_at_";
    static const char present[] = "discovered_share_of_present_at_";
    size_t n;
    if (strncmp(name, share, sizeof share - 1) == 0) {
        n = sizeof share - 1;
        *of_present = 0;
    } else if (strncmp(name, present, sizeof present - 1) == 0) {
        n = sizeof present - 1;
        *of_present = 1;
    } else {
        return 0;
    }
    uint32_t v = 0;
    const char *p = name + n;
    while (*p >= '0' && *p <= '9' && v < 1000000u)
        v = v * 10u + (uint32_t)(*p++ - '0');
    return p[0] == 'm' && p[1] == '\0' && p != name + n ? v : 0;
}

static int run_check(const struct scen_scenario *sc, char *err)
{
    static const char *const kinds[] = {"", "crash", "restart", "stop", "leave_premises",
                                        "partition", "heal", "loss", "cloud_outage",
                                        "cloud_lost_ack", "cloud_slow"};
    if (sc->agent_count == 0 || sc->agent_count > SCEN_AGENTS_MAX)
        return run_fail(err, "%s: a scenario needs 1..%d agents", sc->name, SCEN_AGENTS_MAX);
    if (sc->sample_every_us == 0 || sc->duration_us == 0)
        return run_fail(err, "%s: duration and sample interval must be > 0", sc->name);
    if (sc->election.enabled &&
        (sc->election.advert_interval_us < CAPS_ADVERT_INTERVAL_US_MIN ||
         sc->election.advert_interval_us > CAPS_ADVERT_INTERVAL_US_MAX))
        return run_fail(err, "%s: election advert interval out of range", sc->name);
    for (uint32_t i = 0; i < sc->fault_count; i++) {
        const struct scen_fault *f = &sc->faults[i];
        const char *kind = (unsigned)f->kind < SCEN_FAULT_KIND_COUNT ? kinds[f->kind] : "?";
        switch (f->kind) {
        case SCEN_FAULT_CRASH:
        case SCEN_FAULT_RESTART:
        case SCEN_FAULT_STOP:
        case SCEN_FAULT_LEAVE_PREMISES: {
            uint32_t a = 0;
            while (a < sc->agent_count && strcmp(sc->agents[a].name, f->agent) != 0)
                a++;
            if (a == sc->agent_count)
                return run_fail(err, "%s: faults[%u] (%s): no agent named \"%s\"", sc->name, i,
                                kind, f->agent);
            break;
        }
        case SCEN_FAULT_LOSS:
            if (!(f->number >= 0.0 && f->number <= 1.0))
                return run_fail(err, "%s: faults[%u] (loss): loss must be 0..1", sc->name, i);
            break;
        case SCEN_FAULT_PARTITION:
        case SCEN_FAULT_HEAL:
            if (!sc->election.enabled)
                return run_fail(err, "%s: faults[%u]: kind %s needs \"election\" (it cuts "
                                     "the agents apart)", sc->name, i, kind);
            break;
        case SCEN_FAULT_CLOUD_OUTAGE:
        case SCEN_FAULT_CLOUD_LOST_ACK:
        case SCEN_FAULT_CLOUD_SLOW:
            if (!sc->cloud.enabled)
                return run_fail(err, "%s: faults[%u]: kind %s needs \"cloud\"", sc->name, i,
                                kind);
            break;
        default:
            return run_fail(err, "%s: faults[%u]: unknown kind %d", sc->name, i, (int)f->kind);
        }
    }
    const struct scen_random_faults *rf = &sc->random_faults;
    if (rf->enabled &&
        (!(rf->crashes_per_day >= 0 && rf->crashes_per_day <= 1440) ||
         rf->restart_lo_us > rf->restart_hi_us ||
         (sc->agent_count < 64 && rf->agents_mask >> sc->agent_count != 0)))
        return run_fail(err, "%s: random_faults: rate 0..1440 per day, restart lo <= hi and "
                             "agents of the scenario", sc->name);
    for (uint32_t i = 0; i < sc->assertion_count; i++) {
        const char *m = sc->assertions[i].metric;
        int known = 0;
        for (size_t k = 0; k < RUN_FIXED_METRICS && !known; k++)
            known = strcmp(m, run_fixed_metrics[k]) == 0;
        int of_present;
        uint32_t cp = checkpoint_minutes(m, &of_present);
        if (!known && cp > 0 && (uint64_t)cp * RUN_MINUTE_US <= sc->duration_us)
            known = 1;
        if (!known)
            return run_fail(err, "%s: assertion \"%s\": unknown metric \"%s\" (sim/run.h lists "
                                 "them; ..._at_<N>m needs N <= the duration)",
                            sc->name, sc->assertions[i].name, m);
    }
    return 0;
}

/* ---- metrics ---- */

enum { FMT_INT, FMT_REAL };

static void metric_add(struct sim_result *res, const char *name, int fmt, double v)
{
    for (uint32_t i = 0; i < res->metric_count; i++)
        if (strcmp(res->metrics[i].name, name) == 0)
            return;
    assert(res->metric_count < SIM_METRICS_MAX);
    struct sim_metric *m = &res->metrics[res->metric_count++];
    snprintf(m->name, sizeof m->name, "%s", name);
    if (fmt == FMT_INT)
        snprintf(m->text, sizeof m->text, "%.0f", v);
    else
        snprintf(m->text, sizeof m->text, "%.6f", v);
    m->value = strtod(m->text, NULL);
}

static double share(uint32_t n, uint32_t d)
{
    return d > 0 ? (double)n / d : 0.0;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

static const char *json_str(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

struct labels_tally {
    uint32_t os_truth, os_labelled, os_correct;
    uint32_t dev_truth, dev_labelled, dev_correct;
    uint32_t labels, false_labels;
};

/* Compares each discovered truth host's asset (its MAC seen last) with the
 * truth's os.family and device_type. Returns hosts discovered, -1 on OOM. */
static int run_score_truth(struct run *r, struct labels_tally *t, uint32_t *truth_count)
{
    struct caps_sensor *s = sim_agent_sensor(r->agents[0]);
    cJSON *truth = traffic_subnet_truth(r->subnet);
    if (truth == NULL)
        return -1;
    const cJSON *hosts = cJSON_GetObjectItemCaseSensitive(truth, "hosts"), *host;
    int discovered = 0;
    *truth_count = 0;
    memset(t, 0, sizeof *t);
    cJSON_ArrayForEach(host, hosts) {
        const cJSON *idx = cJSON_GetObjectItemCaseSensitive(host, "host");
        if (!cJSON_IsNumber(idx) || idx->valuedouble < 0 || idx->valuedouble >= r->hosts)
            continue;     /* the gateway is not a host of the scenario */
        (*truth_count)++;
        const struct caps_asset *best = NULL;
        const cJSON *mac;
        cJSON_ArrayForEach(mac, cJSON_GetObjectItemCaseSensitive(host, "macs")) {
            uint8_t m[6];
            if (sim_mac_parse(cJSON_IsString(mac) ? mac->valuestring : NULL, m) != 0)
                continue;
            const struct caps_asset *a = caps_inventory_lookup(&s->inv, m);
            if (a != NULL && (best == NULL || a->last_seen_us > best->last_seen_us))
                best = a;
        }
        if (best == NULL)
            continue;
        discovered++;
        const cJSON *os = cJSON_GetObjectItemCaseSensitive(host, "os");
        const char *os_truth = cJSON_IsObject(os) ? json_str(os, "family") : NULL;
        const char *dev_truth = json_str(host, "device_type");
        const char *os_got = caps_os_family_name(best->labels.os_family);
        const char *dev_got = caps_device_type_name(best->labels.device_type);
        t->labels += (uint32_t)(os_got != NULL) + (uint32_t)(dev_got != NULL);
        if (os_truth != NULL) {
            t->os_truth++;
            t->os_labelled += (uint32_t)(os_got != NULL);
            t->os_correct += (uint32_t)(os_got != NULL && strcmp(os_got, os_truth) == 0);
        } else {
            t->false_labels += (uint32_t)(os_got != NULL);
        }
        if (dev_truth != NULL) {
            t->dev_truth++;
            t->dev_labelled += (uint32_t)(dev_got != NULL);
            t->dev_correct += (uint32_t)(dev_got != NULL && strcmp(dev_got, dev_truth) == 0);
        } else {
            t->false_labels += (uint32_t)(dev_got != NULL);
        }
    }
    cJSON_Delete(truth);
    return discovered;
}

/* The election metrics (zero / -1 without the election); scenarios/README.md. */
/* Returns the index of the first running leader at the end, -1 none. */
static int run_election_metrics(struct run *r, struct sim_result *res)
{
    struct run_election *el = &r->el;
    uint64_t end_us = r->sc->duration_us;
    static const int causes[] = {CAPS_ELECT_CAUSE_CRASH, CAPS_ELECT_CAUSE_STOP,
                                 CAPS_ELECT_CAUSE_OFF_PREMISES, CAPS_ELECT_CAUSE_PARTITION,
                                 CAPS_ELECT_CAUSE_LOST_ADVERTS, CAPS_ELECT_CAUSE_PREEMPT,
                                 CAPS_ELECT_CAUSE_FENCED};
    int on = r->sc->election.enabled;
    uint64_t sent = 0, accepted = 0, bad_mac = 0;
    int leaders = 0, leader = -1;

    if (on) {
        /* Close what is still open at the end. */
        if (el->no_standby_now)
            el->no_standby_us += end_us - el->last_obs_us;
        if (el->no_standby_since_us != RUN_NEVER &&
            end_us - el->no_standby_since_us > el->no_standby_max_us)
            el->no_standby_max_us = end_us - el->no_standby_since_us;
        if (el->reporting_now)
            el->reporting_us += end_us - el->last_obs_us;
        el->last_obs_us = end_us;
        for (int g = 0; g < RUN_GROUPS; g++)
            if (el->dual_since_us[g] != RUN_NEVER && end_us - el->dual_since_us[g] > el->dual_max_us)
                el->dual_max_us = end_us - el->dual_since_us[g];
        for (uint32_t i = 0; i < r->agent_count; i++) {
            const struct caps_sensor *s = sim_agent_sensor(r->agents[i]);
            if (r->sc->agents[i].rogue || !s->election_on)
                continue;
            sent += s->election.stats.sent;
            accepted += s->election.stats.accepted;
            bad_mac += s->election.stats.dropped_bad_mac;
            if (run_member(r, i) && caps_sensor_role(s) == CAPS_ROLE_LEADER) {
                leaders++;
                if (leader < 0)
                    leader = (int)i;
            }
        }
    }
    metric_add(res, "takeovers", FMT_INT, el->takeover_count);
    for (size_t k = 0; k < sizeof causes / sizeof causes[0]; k++) {
        char name[SIM_METRIC_NAME_MAX];
        snprintf(name, sizeof name, "takeovers_%s", caps_elect_cause_name(causes[k]));
        metric_add(res, name, FMT_INT, el->takeover_by_cause[causes[k]]);
    }
    metric_add(res, "takeover_gap_max_us", FMT_INT,
               el->takeover_count > 0 ? (double)el->gap_max_us : -1.0);
    metric_add(res, "leaders_max_concurrent_s", FMT_REAL, (double)el->dual_max_us / 1e6);
    metric_add(res, "leaders_final", FMT_INT, leaders);
    metric_add(res, "leader_final", FMT_INT, leader);
    metric_add(res, "no_standby_s", FMT_REAL, (double)el->no_standby_us / 1e6);
    metric_add(res, "no_standby_max_s", FMT_REAL, (double)el->no_standby_max_us / 1e6);
    metric_add(res, "leader_reporting_s", FMT_REAL, (double)el->reporting_us / 1e6);
    metric_add(res, "epochs_monotonic", FMT_INT, on ? el->epochs_monotonic : 1);
    metric_add(res, "adverts_sent", FMT_INT, (double)sent);
    metric_add(res, "adverts_accepted", FMT_INT, (double)accepted);
    metric_add(res, "adverts_dropped_bad_mac", FMT_INT, (double)bad_mac);
    return leader;
}

/* A truth host whose MAC the cloud lists: stamped with stamp_now. */
static void run_cloud_mark(void *ctx, const uint8_t mac[6])
{
    struct run *r = ctx;
    uint32_t h = sim_macmap_get(&r->macs, mac);
    if (h < r->hosts)
        r->stamp[h] = r->stamp_now;
}

/* The cloud against the reporting leader at the end (or the first agent). */
static int run_cloud_metrics(struct run *r, struct sim_result *res, int leader)
{
    double cloud_share = -1;
    struct sim_uplink_stats st;
    struct sim_uplink_audit au;
    double ack_age_s = -1;

    memset(&st, 0, sizeof st);
    memset(&au, 0, sizeof au);
    if (r->cl.uplink != NULL) {
        st = *sim_uplink_stats(r->cl.uplink);
        const struct caps_sensor *s = sim_agent_sensor(r->agents[leader >= 0 ? leader : 0]);
        /* Discovery as the cloud's user sees it: hosts that sent a frame and
         * have one of their MACs in the cloud (marked during the audit). */
        r->stamp_now++;
        if (sim_uplink_audit(r->cl.uplink, s, run_cloud_mark, r, &au) != 0)
            return -1;
        if (s->upload_on && s->upload.last_acked_us > 0 && s->now_us >= s->upload.last_acked_us)
            ack_age_s = (double)(s->now_us - s->upload.last_acked_us) / 1e6;
        uint32_t found = 0;
        for (uint32_t h = 0; h < r->hosts; h++)
            found += r->stamp[h] == r->stamp_now && r->first_frame_us[h] != RUN_NEVER;
        cloud_share = share(found, run_present_at(r, RUN_NEVER - 1));
    }
    metric_add(res, "uploads", FMT_INT, (double)st.submitted);
    metric_add(res, "uploads_full", FMT_INT, (double)st.full);
    metric_add(res, "uploads_accepted", FMT_INT, (double)st.accepted);
    metric_add(res, "uploads_duplicate", FMT_INT, (double)st.duplicates);
    metric_add(res, "uploads_fenced", FMT_INT, (double)st.fenced);
    metric_add(res, "uploads_rejected", FMT_INT, (double)st.rejected);
    metric_add(res, "uploads_refused", FMT_INT, (double)st.refused);
    metric_add(res, "upload_answers_lost", FMT_INT, (double)st.answers_lost);
    metric_add(res, "spool_files_max", FMT_INT, st.spool_files_max);
    metric_add(res, "spool_bytes_max", FMT_INT, (double)st.spool_bytes_max);
    metric_add(res, "spool_merges", FMT_INT, (double)st.merges);
    metric_add(res, "leader_first_uploads", FMT_INT, (double)st.leader_first);
    metric_add(res, "leader_first_upload_full_share", FMT_REAL,
               st.leader_first > 0 ? (double)st.leader_first_full / (double)st.leader_first : -1);
    metric_add(res, "cloud_assets", FMT_INT, au.cloud_assets);
    metric_add(res, "cloud_assets_missing", FMT_INT, au.missing);
    metric_add(res, "cloud_assets_stale", FMT_INT, au.stale);
    metric_add(res, "cloud_assets_lost", FMT_INT, au.lost);
    metric_add(res, "upload_ack_age_s", FMT_REAL, ack_age_s);
    metric_add(res, "cloud_discovered_share_of_present", FMT_REAL, cloud_share);
    return 0;
}

static int run_metrics(struct run *r, struct sim_result *res)
{
    const struct scen_scenario *sc = r->sc;
    struct caps_sensor *s = sim_agent_sensor(r->agents[0]);
    const struct sim_lan_port_stats *ls = sim_lan_port_stats(r->lan, 0);
    struct labels_tally t;
    uint32_t truth = 0;
    int discovered = run_score_truth(r, &t, &truth);
    if (discovered < 0)
        return -1;

    res->hosts_truth = truth;
    metric_add(res, "hosts_truth", FMT_INT, truth);
    metric_add(res, "hosts_present", FMT_INT, run_present_at(r, RUN_NEVER - 1));
    metric_add(res, "hosts_discovered", FMT_INT, discovered);
    metric_add(res, "discovered_share", FMT_REAL, share((uint32_t)discovered, truth));
    metric_add(res, "discovered_share_of_present", FMT_REAL,
               share((uint32_t)discovered, run_present_at(r, RUN_NEVER - 1)));
    for (size_t i = 0; i < sizeof run_checkpoints_min / sizeof run_checkpoints_min[0]; i++) {
        uint64_t at_us = run_checkpoints_min[i] * RUN_MINUTE_US;
        char name[SIM_METRIC_NAME_MAX];
        if (at_us > sc->duration_us)
            break;
        snprintf(name, sizeof name, "discovered_share_at_%um", run_checkpoints_min[i]);
        metric_add(res, name, FMT_REAL, share(run_found_at(r, at_us), truth));
    }
    for (uint32_t i = 0; i < sc->assertion_count; i++) {
        int of_present;
        uint32_t cp = checkpoint_minutes(sc->assertions[i].metric, &of_present);
        uint64_t at_us = cp * RUN_MINUTE_US;
        if (cp > 0)
            metric_add(res, sc->assertions[i].metric, FMT_REAL,
                       share(run_found_at(r, at_us), of_present ? run_present_at(r, at_us)
                                                                : truth));
    }

    /* Times to find 50/90/100 % of the truth hosts. */
    uint64_t *found = malloc(((size_t)r->hosts + 1) * sizeof *found);
    if (found == NULL)
        return -1;
    uint32_t n = 0;
    for (uint32_t h = 0; h < r->hosts; h++)
        if (r->first_found_us[h] != RUN_NEVER)
            found[n++] = r->first_found_us[h];
    qsort(found, n, sizeof *found, cmp_u64);
    static const uint32_t pcts[] = {50, 90, 100};
    for (size_t i = 0; i < 3; i++) {
        char name[SIM_METRIC_NAME_MAX];
        uint32_t need = (uint32_t)(((uint64_t)truth * pcts[i] + 99u) / 100u);
        double v = need == 0 ? 0.0 : need <= n ? (double)found[need - 1] / 1e6 : -1.0;
        snprintf(name, sizeof name, "time_to_discover_%u_pct_s", pcts[i]);
        metric_add(res, name, FMT_REAL, v);
    }
    free(found);

    metric_add(res, "os_family_accuracy", FMT_REAL, share(t.os_correct, t.os_truth));
    metric_add(res, "os_family_precision", FMT_REAL, share(t.os_correct, t.os_labelled));
    metric_add(res, "os_labelled_share", FMT_REAL, share(t.os_labelled, t.os_truth));
    metric_add(res, "device_type_accuracy", FMT_REAL, share(t.dev_correct, t.dev_truth));
    metric_add(res, "device_type_precision", FMT_REAL, share(t.dev_correct, t.dev_labelled));
    metric_add(res, "device_type_labelled_share", FMT_REAL, share(t.dev_labelled, t.dev_truth));
    metric_add(res, "false_label_share", FMT_REAL, share(t.false_labels, t.labels));

    uint32_t per_source[RUN_SOURCES] = {0};
    for (uint32_t k = 0; k < s->inv.count; k++)
        for (size_t p = 0; p < RUN_SOURCES; p++)
            per_source[p] += ((uint32_t)s->inv.assets[k].sources >> run_source_protos[p]) & 1u;
    if (s->inv.count > r->assets_peak)
        r->assets_peak = s->inv.count;
    metric_add(res, "assets", FMT_INT, s->inv.count);
    metric_add(res, "assets_peak", FMT_INT, r->assets_peak);
    for (size_t p = 0; p < RUN_SOURCES; p++) {
        char name[SIM_METRIC_NAME_MAX];
        snprintf(name, sizeof name, "assets_%s", caps_proto_name((int)run_source_protos[p]));
        metric_add(res, name, FMT_INT, per_source[p]);
    }
    size_t mem = sim_agent_core_bytes(r->agents[0]);
    metric_add(res, "memory_bytes", FMT_INT, (double)mem);
    metric_add(res, "memory_bytes_per_asset", FMT_REAL, (double)mem / sc->config.assets_max);
    metric_add(res, "memory_bytes_per_asset_held", FMT_REAL,
               r->assets_peak > 0 ? (double)mem / r->assets_peak : 0.0);
    metric_add(res, "frames_sent", FMT_INT, (double)r->frames_sent);
    metric_add(res, "frames_delivered", FMT_INT, (double)ls->delivered);
    metric_add(res, "frames_lost", FMT_INT, (double)ls->lost);
    metric_add(res, "frames_duplicated", FMT_INT, (double)ls->duplicated);
    metric_add(res, "malformed", FMT_INT, (double)caps_sensor_malformed_total(s));
    metric_add(res, "events", FMT_INT, (double)res->events);
    int leader = run_election_metrics(r, res);
    if (run_cloud_metrics(r, res, leader) != 0)
        return -1;

    /* Checkpoints for the summary table: the fixed ones, then the end. */
    for (size_t i = 0; i <= sizeof run_checkpoints_min / sizeof run_checkpoints_min[0]; i++) {
        uint64_t at_us = i < sizeof run_checkpoints_min / sizeof run_checkpoints_min[0]
                             ? run_checkpoints_min[i] * RUN_MINUTE_US
                             : sc->duration_us;
        if (at_us > sc->duration_us || res->checkpoint_count >= SIM_CHECKPOINTS_MAX ||
            (res->checkpoint_count > 0 &&
             res->checkpoints[res->checkpoint_count - 1].at_us == at_us))
            continue;
        struct sim_checkpoint *c = &res->checkpoints[res->checkpoint_count++];
        c->at_us = at_us;
        c->hosts_present = run_present_at(r, at_us);
        c->hosts_discovered = run_found_at(r, at_us);
    }
    return 0;
}

static void run_assert(const struct scen_scenario *sc, struct sim_result *res)
{
    res->pass = 1;
    for (uint32_t i = 0; i < sc->assertion_count; i++) {
        const struct scen_assertion *a = &sc->assertions[i];
        struct sim_assertion_result *o = &res->assertions[res->assertion_count++];
        const struct sim_metric *m = sim_result_metric(res, a->metric);
        assert(m != NULL);    /* run_check knows every metric name */
        snprintf(o->name, sizeof o->name, "%s", a->name);
        snprintf(o->metric, sizeof o->metric, "%s", a->metric);
        o->cmp = a->cmp;
        o->threshold = a->threshold;
        o->measured = m->value;
        o->pass = a->cmp == SCEN_CMP_GE   ? m->value >= a->threshold
                  : a->cmp == SCEN_CMP_LE ? m->value <= a->threshold
                                          : m->value == a->threshold;
        if (!o->pass)
            res->pass = 0;
    }
}

const struct sim_metric *sim_result_metric(const struct sim_result *res, const char *name)
{
    for (uint32_t i = 0; i < res->metric_count; i++)
        if (strcmp(res->metrics[i].name, name) == 0)
            return &res->metrics[i];
    return NULL;
}

/* ---- outputs ---- */

static int mkdir_parents(const char *dir, char *err)
{
    char path[SIM_PATH_MAX];
    size_t n = strlen(dir);
    if (n == 0 || n >= sizeof path)
        return run_fail(err, "output directory '%s': empty or too long", dir);
    memcpy(path, dir, n + 1);
    for (size_t i = 1; i <= n; i++) {
        if (path[i] != '/' && path[i] != '\0')
            continue;
        char c = path[i];
        path[i] = '\0';
        if (mkdir(path, 0777) != 0 && errno != EEXIST)
            return run_fail(err, "%s: cannot create: %s", path, strerror(errno));
        path[i] = c;
    }
    return 0;
}

static int out_path(char out[SIM_PATH_MAX], const char *dir, const char *file, char *err)
{
    int n = snprintf(out, SIM_PATH_MAX, "%s/%s", dir, file);
    if (n < 0 || n >= SIM_PATH_MAX)
        return run_fail(err, "output directory '%s': path too long", dir);
    return 0;
}

static char *raw_u64(uint64_t v, char buf[24])
{
    snprintf(buf, 24, "%llu", (unsigned long long)v);
    return buf;
}

/* result.json "takeovers": [{at_us, from, to, cause, gap_us}] in order. */
static int add_takeovers(const struct run *r, cJSON *doc)
{
    char num[24];
    cJSON *arr = cJSON_AddArrayToObject(doc, "takeovers");
    uint32_t n = r->el.takeover_count < RUN_TAKEOVERS_MAX ? r->el.takeover_count
                                                          : RUN_TAKEOVERS_MAX;
    int ok = arr != NULL;
    for (uint32_t i = 0; ok && i < n; i++) {
        const struct run_takeover *t = &r->el.takeovers[i];
        cJSON *o = cJSON_CreateObject();
        ok = o != NULL && cJSON_AddItemToArray(arr, o);
        ok = ok && cJSON_AddRawToObject(o, "at_us", raw_u64(t->at_us, num)) != NULL;
        ok = ok && (t->from >= 0 ? cJSON_AddStringToObject(o, "from", r->sc->agents[t->from].name)
                                 : cJSON_AddNullToObject(o, "from")) != NULL;
        ok = ok && (t->to >= 0 ? cJSON_AddStringToObject(o, "to", r->sc->agents[t->to].name)
                               : cJSON_AddNullToObject(o, "to")) != NULL;
        ok = ok && cJSON_AddStringToObject(o, "cause", caps_elect_cause_name(t->cause)) != NULL;
        ok = ok && cJSON_AddRawToObject(o, "gap_us", raw_u64(t->gap_us, num)) != NULL;
    }
    return ok;
}

static int write_result(const struct run *r, const struct sim_result *res, const char *path,
                        char *err)
{
    const struct scen_scenario *sc = r->sc;
    static const char *const ops[] = {"", ">=", "<=", "=="};
    char num[32];
    cJSON *doc = cJSON_CreateObject();
    cJSON *arr = cJSON_CreateArray();
    cJSON *metrics = cJSON_CreateObject();
    int ok = doc != NULL && arr != NULL && metrics != NULL;

    /* Fixed key order: scenario, seed, pass, assertions, metrics, takeovers. */
    ok = ok && cJSON_AddStringToObject(doc, "scenario", sc->name) != NULL;
    ok = ok && cJSON_AddRawToObject(doc, "seed", raw_u64(res->seed, num)) != NULL;
    ok = ok && cJSON_AddBoolToObject(doc, "pass", res->pass) != NULL;
    for (uint32_t i = 0; ok && i < res->assertion_count; i++) {
        const struct sim_assertion_result *a = &res->assertions[i];
        const struct sim_metric *m = sim_result_metric(res, a->metric);
        cJSON *o = cJSON_CreateObject();
        ok = o != NULL && cJSON_AddItemToArray(arr, o);
        ok = ok && cJSON_AddStringToObject(o, "name", a->name) != NULL;
        ok = ok && cJSON_AddStringToObject(o, "metric", a->metric) != NULL;
        ok = ok && cJSON_AddStringToObject(o, "op", ops[a->cmp]) != NULL;
        ok = ok && cJSON_AddBoolToObject(o, "pass", a->pass) != NULL;
        ok = ok && cJSON_AddRawToObject(o, "measured", m->text) != NULL;
        snprintf(num, sizeof num, "%.6f", a->threshold);
        ok = ok && cJSON_AddRawToObject(o, "threshold", num) != NULL;
    }
    if (ok)
        cJSON_AddItemToObject(doc, "assertions", arr);
    else
        cJSON_Delete(arr);
    for (uint32_t i = 0; ok && i < res->metric_count; i++)
        ok = cJSON_AddRawToObject(metrics, res->metrics[i].name, res->metrics[i].text) != NULL;
    if (ok)
        cJSON_AddItemToObject(doc, "metrics", metrics);
    else
        cJSON_Delete(metrics);
    ok = ok && add_takeovers(r, doc);
    if (ok && codec_json_write(doc, path) != 0) {
        cJSON_Delete(doc);
        return run_fail(err, "%s: cannot write: %s", path, strerror(errno));
    }
    cJSON_Delete(doc);
    return ok ? 0 : run_fail(err, "%s: out of memory", path);
}

static int write_text(const char *path, const char *text, size_t len, char *err)
{
    FILE *f = fopen(path, "wb");
    if (f == NULL)
        return run_fail(err, "%s: cannot create: %s", path, strerror(errno));
    int bad = fwrite(text, 1, len, f) != len;
    bad |= fclose(f) != 0;
    return bad ? run_fail(err, "%s: cannot write: %s", path, strerror(errno)) : 0;
}

static int write_outputs(struct run *r, const struct sim_result *res, char *err)
{
    cJSON *inv = codec_inventory_build(sim_agent_sensor(r->agents[0]));
    if (inv == NULL)
        return run_fail(err, "out of memory building the inventory");
    int rc = codec_json_write(inv, res->inventory_path);
    cJSON_Delete(inv);
    if (rc != 0)
        return run_fail(err, "%s: cannot write: %s", res->inventory_path, strerror(errno));
    if (write_text(res->timeline_path, r->timeline, r->timeline_len, err) != 0)
        return -1;
    if (r->cl.uplink != NULL && res->cloud_path[0] != '\0') {
        char *text = sim_uplink_inventory(r->cl.uplink);
        if (text == NULL)
            return run_fail(err, "%s: the cloud did not answer its inventory", res->cloud_path);
        rc = write_text(res->cloud_path, text, strlen(text), err);
        free(text);
        if (rc != 0)
            return -1;
    }
    return write_result(r, res, res->result_path, err);
}

/* ---- the run ---- */

/* The schedule of faults: the explicit ones (already in time order, file order
 * within a time) and the random ones drawn per agent from the agent's own
 * stream, merged by time; at one time explicit faults come first, then random
 * ones by agent index, each agent's in the order drawn. */
static int sched_cmp(const void *pa, const void *pb)
{
    const struct run_sched *a = pa, *b = pb;
    if (a->at_us != b->at_us)
        return a->at_us < b->at_us ? -1 : 1;
    if (a->agent != b->agent)
        return a->agent < b->agent ? -1 : 1;
    return a->index < b->index ? -1 : a->index > b->index;   /* draw order */
}

static int run_schedule_faults(struct run *r, const struct scen_scenario *sc, char *err)
{
    const struct scen_random_faults *rf = &sc->random_faults;
    struct run_sched *rnd = NULL;
    uint32_t n = 0, cap = 0;

    for (uint32_t a = 0; rf->enabled && rf->crashes_per_day > 0 && a < sc->agent_count; a++) {
        if (!(rf->agents_mask >> a & 1u))
            continue;
        struct traffic_rng g;
        traffic_rng_init(&g, r->seed, TRAFFIC_ENTITY_ID(TRAFFIC_ENTITY_FAULT, a));
        double mean_us = 86400e6 / rf->crashes_per_day;
        uint64_t t = sc->agents[a].start_us;
        for (uint32_t seq = 0;; seq += 2) {
            /* Exponential time to the next crash, counted while the agent is up. */
            double gap = -log1p(-traffic_rng_unit(&g)) * mean_us;
            if (!(gap < (double)(sc->duration_us - t)))
                break;
            t += gap < 1.0 ? 1u : (uint64_t)llround(gap);
            if (t >= sc->duration_us)
                break;
            uint64_t down = traffic_rng_range(&g, rf->restart_lo_us, rf->restart_hi_us);
            if (n + 2 > cap) {
                if (cap >= RUN_RANDOM_FAULTS_MAX) {
                    free(rnd);
                    return run_fail(err, "%s: random_faults: more than %u faults drawn",
                                    sc->name, RUN_RANDOM_FAULTS_MAX);
                }
                uint32_t nc = cap ? cap * 2 : 64;
                struct run_sched *v = realloc(rnd, (size_t)nc * sizeof *v);
                if (v == NULL) {
                    free(rnd);
                    return run_fail(err, "out of memory");
                }
                rnd = v;
                cap = nc;
            }
            rnd[n++] = (struct run_sched){t, seq, a, 1, SCEN_FAULT_CRASH};
            if (down > sc->duration_us - t)
                break;                          /* still down at the end */
            t += down;
            rnd[n++] = (struct run_sched){t, seq + 1, a, 1, SCEN_FAULT_RESTART};
        }
    }
    if (n > 1)
        qsort(rnd, n, sizeof *rnd, sched_cmp);
    r->sched = malloc(((size_t)sc->fault_count + n + 1) * sizeof *r->sched);
    if (r->sched == NULL) {
        free(rnd);
        return run_fail(err, "out of memory");
    }
    uint32_t i = 0, j = 0;
    while (i < sc->fault_count || j < n) {
        if (j == n || (i < sc->fault_count && sc->faults[i].at_us <= rnd[j].at_us)) {
            r->sched[r->sched_count++] = (struct run_sched){sc->faults[i].at_us, i, 0, 0, 0};
            i++;
        } else {
            r->sched[r->sched_count++] = rnd[j++];
        }
    }
    free(rnd);
    int ok = 1;
    for (uint32_t k = 0; k < r->sched_count; k++)
        ok &= sim_engine_schedule(r->engine, r->sched[k].at_us, run_fault, r, k) != 0;
    return ok ? 0 : run_fail(err, "out of memory");
}

static int run_setup(struct run *r, const struct scen_scenario *sc, const char *profiles_path,
                     struct codec_fp_db *fpdb, char *err)
{
    char terr[512];
    struct traffic_profiles *profiles = NULL;
    struct traffic_subnet_config cfg;

    memset(&cfg, 0, sizeof cfg);
    cfg.seed = r->seed;
    cfg.hosts = sc->subnet.hosts;
    memcpy(cfg.net, sc->subnet.net, 4);
    cfg.prefix_len = sc->subnet.prefix_len;
    cfg.start_epoch_us = sc->start_epoch_us;
    cfg.mix_count = sc->subnet.mix_count;
    for (uint32_t i = 0; i < sc->subnet.mix_count && i < TRAFFIC_MIX_MAX; i++) {
        snprintf(cfg.mix[i].profile, sizeof cfg.mix[i].profile, "%s", sc->subnet.mix[i].profile);
        cfg.mix[i].weight = sc->subnet.mix[i].weight;
    }
    cfg.churn_per_day = sc->subnet.churn_per_day;
    cfg.mac_rotation = sc->subnet.mac_rotation;
    if ((profiles_path != NULL ? traffic_profiles_load(profiles_path, &profiles, terr)
                               : traffic_profiles_load_builtin(&profiles, terr)) != 0)
        return run_fail(err, "%s", terr);
    r->subnet = traffic_subnet_create(&cfg, profiles, terr);
    traffic_profiles_free(profiles);
    if (r->subnet == NULL)
        return run_fail(err, "%s: subnet: %s", sc->name, terr);

    r->hosts = sc->subnet.hosts;
    r->first_frame_us = malloc(((size_t)r->hosts + 1) * sizeof *r->first_frame_us);
    r->first_found_us = malloc(((size_t)r->hosts + 1) * sizeof *r->first_found_us);
    r->stamp = calloc((size_t)r->hosts + 1, sizeof *r->stamp);
    if (r->first_frame_us == NULL || r->first_found_us == NULL || r->stamp == NULL ||
        sim_macmap_init(&r->macs, RUN_MACMAP_INITIAL) != 0)
        return run_fail(err, "out of memory");
    for (uint32_t h = 0; h <= r->hosts; h++)
        r->first_frame_us[h] = r->first_found_us[h] = RUN_NEVER;

    r->engine = sim_engine_create(RUN_ENGINE_CAPACITY);
    struct sim_lan_link link = {sc->link.delay_us, sc->link.jitter_us, sc->link.loss,
                                sc->link.duplicate};
    r->lan = r->engine != NULL ? sim_lan_create(r->engine, &link, r->seed) : NULL;
    if (r->lan == NULL)
        return run_fail(err, "%s: out of memory or link out of range", sc->name);

    char cerr[CODEC_ERRMSG_MAX];
    if (codec_fp_load_builtin(NULL, fpdb, cerr) != 0)
        return run_fail(err, "%s", cerr);
    struct caps_config acfg = sc->config;
    acfg.fingerprints = &fpdb->db;
    /* The site: its id and key derive from the seed; a rogue holds another
     * key. Agents get locally administered MACs and the top addresses of
     * the subnet (broadcast - 1 - index). */
    struct traffic_rng site, rogue;
    uint8_t site_id[16], site_key[32], rogue_key[32];
    traffic_rng_init(&site, r->seed, TRAFFIC_ENTITY_ID(TRAFFIC_ENTITY_AGENT, 0xffffffffu));
    traffic_rng_init(&rogue, r->seed, TRAFFIC_ENTITY_ID(TRAFFIC_ENTITY_AGENT, 0xfffffffeu));
    for (size_t k = 0; k < sizeof site_key; k++) {
        site_key[k] = (uint8_t)traffic_rng_u64(&site);
        rogue_key[k] = (uint8_t)traffic_rng_u64(&rogue);
    }
    for (size_t k = 0; k < sizeof site_id; k++)
        site_id[k] = (uint8_t)traffic_rng_u64(&site);
    uint32_t net = (uint32_t)sc->subnet.net[0] << 24 | (uint32_t)sc->subnet.net[1] << 16 |
                   (uint32_t)sc->subnet.net[2] << 8 | sc->subnet.net[3];
    uint32_t bcast = net | (uint32_t)(0xffffffffu >> sc->subnet.prefix_len);
    for (int g = 0; g < RUN_GROUPS; g++) {
        r->el.vacant_since_us[g] = RUN_NEVER;
        r->el.dual_since_us[g] = RUN_NEVER;
        r->el.last_leader[g] = -1;
    }
    r->el.no_standby_since_us = RUN_NEVER;
    r->el.epochs_monotonic = 1;
    r->el.loss = sc->link.loss;
    if (sc->cloud.enabled && (r->cl.uplink = sim_uplink_create(sc, r->seed, err)) == NULL)
        return -1;
    for (uint32_t i = 0; i < sc->agent_count; i++) {
        struct sim_agent_net an;
        memset(&an, 0, sizeof an);
        an.ctx = r;
        an.send_frame = run_send_frame;
        an.on_role = run_on_role;
        an.index = i;
        an.election = sc->election.enabled;
        an.advert_interval_us = (uint32_t)sc->election.advert_interval_us;
        an.preempt = sc->election.preempt;
        memcpy(an.site_id, site_id, sizeof an.site_id);
        memcpy(an.key, sc->agents[i].rogue ? rogue_key : site_key, sizeof an.key);
        const uint8_t mac[6] = {0x02, 0xca, 0x50, 0x00, (uint8_t)(i >> 8), (uint8_t)i};
        memcpy(an.mac, mac, 6);
        uint32_t ip = bcast - 1u - i;
        const uint8_t ipb[4] = {(uint8_t)(ip >> 24), (uint8_t)(ip >> 16), (uint8_t)(ip >> 8),
                                (uint8_t)ip};
        memcpy(an.ip, ipb, 4);
        if (sc->cloud.enabled && !sc->agents[i].rogue) {
            /* A rogue is no sensor of the site: it never activates. */
            an.upload_interval_us = sc->cloud.upload_interval_us;
            an.submit_upload = run_submit_upload;
            if (sim_uplink_activate(r->cl.uplink, i, sc->agents[i].name, mac, sc->start_epoch_us,
                                    err) != 0)
                return -1;
        }
        r->agents[i] = sim_agent_create(&sc->agents[i], &acfg, sc->start_epoch_us, &an, err);
        if (r->agents[i] == NULL)
            return -1;
        r->agent_count = i + 1;
        r->ports[i].run = r;
        r->ports[i].agent = i;
        int port = sim_lan_attach(r->lan, run_deliver, &r->ports[i]);
        assert(port == (int)i);
        sim_lan_port_set_up(r->lan, port, 0);   /* up at boot */
    }

    /* Scheduling order decides ties at one time: boots, faults, frames,
     * ticks, samples. */
    int ok = 1;
    for (uint32_t i = 0; i < sc->agent_count; i++)
        ok &= sim_engine_schedule(r->engine, sc->agents[i].start_us, run_boot, r, i) != 0;
    if (ok && run_schedule_faults(r, sc, err) != 0)
        return -1;
    uint64_t first_us = traffic_subnet_peek_us(r->subnet);
    if (first_us <= sc->duration_us)
        ok &= sim_engine_schedule(r->engine, first_us, run_pump, r, 0) != 0;
    if (RUN_MINUTE_US <= sc->duration_us)
        ok &= sim_engine_schedule(r->engine, RUN_MINUTE_US, run_minute, r, 0) != 0;
    uint64_t sample_us = sc->sample_every_us < sc->duration_us ? sc->sample_every_us
                                                               : sc->duration_us;
    ok &= sim_engine_schedule(r->engine, sample_us, run_sample, r, sample_us) != 0;
    return ok ? 0 : run_fail(err, "out of memory");
}

static void run_teardown(struct run *r, struct codec_fp_db *fpdb)
{
    for (uint32_t i = 0; i < r->agent_count; i++)
        sim_agent_destroy(r->agents[i]);
    sim_lan_destroy(r->lan);
    sim_engine_destroy(r->engine);
    traffic_subnet_destroy(r->subnet);
    codec_fp_free(fpdb);
    sim_macmap_free(&r->macs);
    free(r->first_frame_us);
    free(r->first_found_us);
    free(r->stamp);
    free(r->timeline);
    free(r->el.queue);
    free(r->sched);
    sim_uplink_destroy(r->cl.uplink);
    free(r->cl.answers);
}

int sim_run(const struct scen_scenario *sc, const struct sim_run_options *opt,
            struct sim_result *res, char err[SCEN_ERRMSG_MAX])
{
    static const char timeline_header[] =
        "t_minutes,agent,assets,arp,dhcp,nbns,browser,ssdp,mdns,truth_present,discovered,"
        "discovered_share,role\n";
    struct run *r = calloc(1, sizeof *r);
    struct codec_fp_db fpdb;
    struct traffic_pcap_writer *pcap = NULL;
    int rc = -1;

    memset(res, 0, sizeof *res);
    memset(&fpdb, 0, sizeof fpdb);
    if (r == NULL)
        return run_fail(err, "out of memory");
    if (run_check(sc, err) != 0) {
        free(r);
        return -1;
    }
    r->sc = sc;
    r->seed = opt->has_seed ? opt->seed : sc->seed;
    r->progress = opt->progress;
    r->progress_ctx = opt->progress_ctx;
    res->seed = r->seed;
    res->duration_us = sc->duration_us;
    if (opt->out_dir != NULL) {
        if (mkdir_parents(opt->out_dir, err) != 0 ||
            out_path(res->result_path, opt->out_dir, "result.json", err) != 0 ||
            out_path(res->inventory_path, opt->out_dir, "inventory.json", err) != 0 ||
            out_path(res->timeline_path, opt->out_dir, "timeline.csv", err) != 0 ||
            (opt->record_pcap && out_path(res->pcap_path, opt->out_dir, "lan.pcap", err) != 0) ||
            (sc->cloud.enabled && out_path(res->cloud_path, opt->out_dir, "cloud.json", err) != 0))
            goto out;
    }
    if (run_setup(r, sc, opt->profiles_path, &fpdb, err) != 0)
        goto out;
    timeline_add(r, "%s", timeline_header);
    if (res->pcap_path[0] != '\0') {
        char perr[512];
        pcap = traffic_pcap_open(res->pcap_path, perr);
        if (pcap == NULL) {
            run_fail(err, "%s", perr);
            goto out;
        }
        sim_lan_record(r->lan, 0, pcap, sc->start_epoch_us);
    }

    sim_engine_run_until(r->engine, sc->duration_us);
    res->events = sim_engine_events_run(r->engine);
    if (r->failed) {
        run_fail(err, "%s: out of memory during the run", sc->name);
        goto out;
    }
    if (pcap != NULL) {
        sim_lan_record(r->lan, 0, NULL, 0);
        int bad = traffic_pcap_close(pcap) != 0 || sim_lan_record_error(r->lan);
        pcap = NULL;
        if (bad) {
            run_fail(err, "%s: cannot write", res->pcap_path);
            goto out;
        }
    }
    if (run_metrics(r, res) != 0) {
        run_fail(err, "out of memory computing the metrics");
        goto out;
    }
    run_assert(sc, res);
    rc = 0;
    if (opt->out_dir != NULL)
        rc = write_outputs(r, res, err);
out:
    traffic_pcap_close(pcap);
    run_teardown(r, &fpdb);
    free(r);
    if (rc != 0) {
        res->result_path[0] = res->inventory_path[0] = '\0';
        res->timeline_path[0] = res->pcap_path[0] = res->cloud_path[0] = '\0';
    }
    return rc;
}
