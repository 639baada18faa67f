/* test_upload.c - the upload schedule of the sensor core (caps/upload.h):
 * a fake host records every upload submitted while real ARP frames change
 * the inventory. First a full snapshot after one interval, then what changed
 * since the last acknowledgement; retries back off (5 s doubling, capped,
 * jittered) and rebuild supersets; fencing steps an elected leader down; only
 * a leader that may report ever submits; same inputs, same uploads. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <check.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "caps/sensor.h"
#include "frames.h"
#include "testutil.h"

Suite *suite_upload(void);

extern const struct caps_sample_set caps_samples_arp;

#define T0_US 1793610000000000ull
#define S_US 1000000ull
#define INTERVAL_US (60 * S_US)
#define SEQ0 1764301200000123ull
#define RECORD_MAX 512
#define AGENTS 3
#define ADVERT_US 1000000u
#define QUEUE_MAX 64

/* ---- the fake host: every submitted upload, per agent ---------------------- */

struct recorder {
    int agent;
    unsigned count;
    struct caps_upload up[RECORD_MAX];
    unsigned roles;                 /* on_role calls */
    int last_cause;
    enum caps_role last_role;
};

static struct recorder rec[AGENTS];

static void on_submit(void *ctx, const struct caps_upload *u)
{
    struct recorder *r = ctx;
    ck_assert_uint_lt(r->count, RECORD_MAX);
    r->up[r->count++] = *u;
}

static void on_role(void *ctx, enum caps_role old_role, enum caps_role new_role, uint64_t epoch,
                    int cause, uint64_t now_us)
{
    struct recorder *r = ctx;
    (void)old_role;
    (void)epoch;
    (void)now_us;
    r->roles++;
    r->last_cause = cause;
    r->last_role = new_role;
}

static const char site_key[] = "upload-test-site-key";

static void hmac(void *ctx, const uint8_t *msg, size_t len, uint8_t out[32])
{
    unsigned int n = 32;
    (void)ctx;
    HMAC(EVP_sha256(), site_key, (int)strlen(site_key), msg, len, out, &n);
}

static struct {
    int from;
    size_t len;
    uint8_t bytes[CAPS_ADVERT_BYTES];
} queue[QUEUE_MAX];
static int queued;

static void on_send(void *ctx, const uint8_t *payload, size_t len)
{
    ck_assert_int_lt(queued, QUEUE_MAX);
    queue[queued].from = ((struct recorder *)ctx)->agent;
    queue[queued].len = len;
    memcpy(queue[queued].bytes, payload, len);
    queued++;
}

/* ---- sensors ----------------------------------------------------------------- */

static struct caps_sensor sensors[AGENTS];
static void *arenas[AGENTS];
static const uint8_t excluded_mac[6] = {0x3c, 0xa9, 0xf4, 0x00, 0x00, 0x63};

static void sensor_make(int i, uint64_t interval_us, uint64_t seed)
{
    struct caps_config cfg;
    struct caps_host host;
    struct caps_upload_config ucfg;

    caps_config_default(&cfg);
    cfg.assets_max = 128;
    cfg.min_peers = 2;
    memcpy(cfg.exclude_macs[0], excluded_mac, 6);
    cfg.exclude_mac_count = 1;
    memset(&host, 0, sizeof host);
    memset(&rec[i], 0, sizeof rec[i]);
    rec[i].agent = i;
    host.ctx = &rec[i];
    host.send = on_send;
    host.hmac_sha256 = hmac;
    host.on_role = on_role;
    host.submit_upload = on_submit;
    size_t n = caps_sensor_arena_bytes(&cfg);
    arenas[i] = aligned_alloc(64, (n + 63) & ~(size_t)63);
    ck_assert_ptr_nonnull(arenas[i]);
    ck_assert_int_eq(caps_sensor_init(&sensors[i], &cfg, &host, arenas[i], n), CAPS_OK);
    memset(&ucfg, 0, sizeof ucfg);
    ucfg.interval_us = interval_us;
    ucfg.initial_seq = SEQ0 + (uint64_t)i * 1000000u;
    ucfg.jitter_seed = seed;
    ck_assert_int_eq(caps_sensor_upload_init(&sensors[i], &ucfg, T0_US), CAPS_OK);
}

static void election_on(int i, uint8_t priority)
{
    struct caps_election_config ecfg;
    memset(&ecfg, 0, sizeof ecfg);
    ecfg.agent_id = (uint64_t)(i + 1);
    ecfg.priority = priority;
    ecfg.advert_interval_us = ADVERT_US;
    memcpy(ecfg.site_id, "site-upload-0001", 16);
    ecfg.has_ipv4 = 1;
    ecfg.ipv4[0] = 10;
    ecfg.ipv4[3] = (uint8_t)(i + 1);
    ecfg.initial_counter = T0_US;
    ck_assert_int_eq(caps_sensor_election_init(&sensors[i], &ecfg, T0_US), CAPS_OK);
}

static struct caps_sensor *S;       /* the standalone sensor of most tests */

static void setup(void)
{
    queued = 0;
    sensor_make(0, INTERVAL_US, 42);
    S = &sensors[0];
    arenas[1] = NULL;
}

static void teardown(void)
{
    for (int i = 0; i < AGENTS; i++) {
        free(arenas[i]);
        arenas[i] = NULL;
    }
}

/* A real ARP request (the Windows 10 sample) as device i sends it: its own
 * MAC 3c:a9:f4:00:00:i and address 192.168.1.(10 + i). */
static void device_speaks(struct caps_sensor *s, unsigned i, uint64_t ts_us)
{
    uint8_t body[64], frame[FRAME_BYTES_MAX];
    struct frame_spec f;
    const struct caps_sample *smp = test_sample(&caps_samples_arp, "windows10_request");

    ck_assert_uint_le(smp->len, sizeof body);
    ck_assert_uint_lt(i, 200);
    memcpy(body, smp->bytes, smp->len);
    const uint8_t mac[6] = {0x3c, 0xa9, 0xf4, 0x00, 0x00, (uint8_t)i};
    memcpy(body + 8, mac, 6);                 /* sender hardware address */
    body[14] = 192, body[15] = 168, body[16] = 1, body[17] = (uint8_t)(10 + i);
    memset(&f, 0, sizeof f);
    memcpy(f.src_mac, mac, 6);
    memset(f.dst_mac, 0xff, 6);
    size_t n = frame_build(&f, body, smp->len, frame);
    ck_assert_uint_gt(n, 0);
    caps_sensor_frame(s, ts_us, frame, n, n);
}

static const struct caps_asset *device(struct caps_sensor *s, unsigned i)
{
    const uint8_t mac[6] = {0x3c, 0xa9, 0xf4, 0x00, 0x00, (uint8_t)i};
    const struct caps_asset *a = caps_inventory_lookup(&s->inv, mac);
    ck_assert_msg(a != NULL, "device %u not in the inventory", i);
    return a;
}

/* Ticks sensor s at each of its deadlines up to until_us (a host loop). */
static void run_one(struct caps_sensor *s, uint64_t until_us)
{
    for (int guard = 0; guard < 1000000; guard++) {
        uint64_t d = caps_sensor_next_deadline_us(s);
        if (d > until_us) {
            caps_sensor_tick(s, until_us);
            return;
        }
        caps_sensor_tick(s, d);
    }
    ck_abort_msg("run_one: no progress");
}

/* The assets the test itself finds u to carry (selected, not excluded). */
static uint32_t includes_count(const struct caps_sensor *s, const struct caps_upload *u)
{
    uint32_t n = 0;
    for (uint32_t i = 0; i < s->inv.count; i++)
        if (caps_upload_includes(u, &s->inv.assets[i]) &&
            memcmp(s->inv.assets[i].mac, excluded_mac, 6) != 0)
            n++;
    return n;
}

/* When the next upload is due; the sensor's deadline (which also holds the
 * aging pass and the election) is never later. */
static uint64_t upload_due(const struct caps_sensor *s)
{
    uint64_t due = s->upload.next_us;
    ck_assert_uint_le(caps_sensor_next_deadline_us(s), due);
    return due;
}

static const struct caps_upload *last(int agent)
{
    ck_assert_uint_gt(rec[agent].count, 0);
    return &rec[agent].up[rec[agent].count - 1];
}

/* The first full snapshot, acknowledged: the state most tests start from. */
static void first_acked(unsigned devices)
{
    for (unsigned i = 0; i < devices; i++)
        device_speaks(S, i, T0_US + i * S_US);
    run_one(S, T0_US + INTERVAL_US);
    ck_assert_uint_eq(rec[0].count, 1);
    caps_sensor_upload_done(S, last(0)->seq, CAPS_UPLOAD_OK, 0, T0_US + INTERVAL_US + S_US);
}

/* ---- tests ---------------------------------------------------------------------- */

START_TEST(first_upload_is_full_after_one_interval)
{
    for (unsigned i = 0; i < 5; i++)
        device_speaks(S, i, T0_US + i * S_US);
    device_speaks(S, 0x63, T0_US + 5 * S_US);      /* the excluded one */
    ck_assert_uint_eq(S->inv.count, 6);
    ck_assert_uint_eq(upload_due(S), T0_US + INTERVAL_US);
    run_one(S, T0_US + INTERVAL_US - 1);
    ck_assert_uint_eq(rec[0].count, 0);
    run_one(S, T0_US + INTERVAL_US);
    ck_assert_uint_eq(rec[0].count, 1);
    const struct caps_upload *u = last(0);
    ck_assert_uint_eq(u->full, 1);
    ck_assert_uint_eq(u->seq, SEQ0);
    ck_assert_uint_eq(u->epoch, 0);                /* standalone */
    ck_assert_uint_eq(u->since_gen, 0);
    ck_assert_uint_eq(u->gen, S->inv.gen);
    ck_assert_uint_eq(u->built_us, T0_US + INTERVAL_US);
    ck_assert_uint_eq(u->attempt, 0);
    ck_assert_uint_eq(u->asset_count, 5);          /* the excluded one never counts */
    ck_assert_uint_eq(includes_count(S, u), 5);
    /* In flight: no second upload, and its deadline is gone. */
    ck_assert_uint_eq(S->upload.next_us, UINT64_MAX);
    run_one(S, T0_US + 10 * INTERVAL_US);
    ck_assert_uint_eq(rec[0].count, 1);
    ck_assert_uint_eq(S->upload.stats.built, 1);
    ck_assert_uint_eq(S->upload.stats.full, 1);
}
END_TEST

START_TEST(incremental_holds_only_changed_assets)
{
    first_acked(6);
    uint64_t acked_gen = rec[0].up[0].gen;
    ck_assert_uint_eq(S->upload.acked_gen, acked_gen);
    ck_assert_uint_eq(S->upload.stats.acked, 1);
    ck_assert_uint_eq(S->upload.last_acked_us, T0_US + INTERVAL_US + S_US);
    /* The next build is due one interval after the acknowledged one was built. */
    ck_assert_uint_eq(upload_due(S), T0_US + 2 * INTERVAL_US);
    device_speaks(S, 2, T0_US + INTERVAL_US + 10 * S_US);
    device_speaks(S, 4, T0_US + INTERVAL_US + 11 * S_US);
    run_one(S, T0_US + 2 * INTERVAL_US);
    ck_assert_uint_eq(rec[0].count, 2);
    const struct caps_upload *u = last(0);
    ck_assert_uint_eq(u->full, 0);
    ck_assert_uint_eq(u->seq, SEQ0 + 1);
    ck_assert_uint_eq(u->since_gen, acked_gen);
    ck_assert_uint_eq(u->asset_count, 2);
    for (unsigned i = 0; i < 6; i++)
        ck_assert_int_eq(caps_upload_includes(u, device(S, i)), i == 2 || i == 4);
    /* Nothing changes: the next one is an empty heartbeat with the summary. */
    caps_sensor_upload_done(S, u->seq, CAPS_UPLOAD_OK, 0, T0_US + 2 * INTERVAL_US);
    run_one(S, T0_US + 3 * INTERVAL_US);
    ck_assert_uint_eq(rec[0].count, 3);
    ck_assert_uint_eq(last(0)->asset_count, 0);
}
END_TEST

START_TEST(change_while_in_flight_goes_in_the_next)
{
    for (unsigned i = 0; i < 4; i++)
        device_speaks(S, i, T0_US + i * S_US);
    run_one(S, T0_US + INTERVAL_US);
    ck_assert_uint_eq(rec[0].count, 1);
    uint64_t seq = last(0)->seq;
    /* Device 3 speaks while the full snapshot is on its way. */
    device_speaks(S, 3, T0_US + INTERVAL_US + 2 * S_US);
    caps_sensor_upload_done(S, seq, CAPS_UPLOAD_OK, 0, T0_US + INTERVAL_US + 5 * S_US);
    run_one(S, T0_US + 2 * INTERVAL_US);
    ck_assert_uint_eq(rec[0].count, 2);
    const struct caps_upload *u = last(0);
    ck_assert_uint_eq(u->asset_count, 1);
    ck_assert_int_eq(caps_upload_includes(u, device(S, 3)), 1);
    ck_assert_int_eq(caps_upload_includes(u, device(S, 0)), 0);
}
END_TEST

/* Backoff bounds for attempt k (1-based failures): 5 s * 2^(k-1), capped
 * at min(interval, 15 min), times [0.75, 1.25). */
static void check_backoff(uint64_t interval_us, unsigned failures_n)
{
    uint64_t cap = interval_us < CAPS_UPLOAD_RETRY_US_CAP ? interval_us : CAPS_UPLOAD_RETRY_US_CAP;
    uint64_t t = S->now_us;
    uint64_t ppm_min = UINT64_MAX, ppm_max = 0;
    for (unsigned k = 1; k <= failures_n; k++) {
        const struct caps_upload *u = last(0);
        ck_assert_uint_eq(u->attempt, k - 1);
        unsigned before = rec[0].count;
        caps_sensor_upload_done(S, u->seq, CAPS_UPLOAD_RETRY, 0, t);
        uint64_t due = upload_due(S);
        uint64_t delay = due - t;
        uint64_t base = CAPS_UPLOAD_RETRY_US_MIN;
        for (unsigned j = 1; j < k; j++)
            base = base * 2 > cap ? cap : base * 2;
        if (base > cap)
            base = cap;
        ck_assert_msg(delay * 4 >= base * 3 && delay * 4 < base * 5,
                      "attempt %u: delay %llu us outside [0.75, 1.25) x %llu", k,
                      (unsigned long long)delay, (unsigned long long)base);
        uint64_t ppm = delay * 1000000u / base;
        ppm_min = ppm < ppm_min ? ppm : ppm_min;
        ppm_max = ppm > ppm_max ? ppm : ppm_max;
        run_one(S, due - 1);
        ck_assert_uint_eq(rec[0].count, before);     /* not before the backoff */
        run_one(S, due);
        ck_assert_uint_eq(rec[0].count, before + 1);
        ck_assert_uint_eq(last(0)->seq, u->seq + 1);
        t = due + 2 * S_US;
    }
    /* The factor is drawn per attempt, not fixed: sensors that failed
     * together spread out. */
    ck_assert_uint_gt(ppm_max - ppm_min, 10000);
}

START_TEST(retry_backoff_doubles_and_is_capped)
{
    /* The default interval (30 min): the cap is 15 min. */
    teardown();
    sensor_make(0, 0, 7);
    ck_assert_uint_eq(S->upload.interval_us, 30u * 60u * S_US);
    device_speaks(S, 1, T0_US);
    run_one(S, T0_US + 30u * 60u * S_US);
    ck_assert_uint_eq(rec[0].count, 1);
    check_backoff(30u * 60u * S_US, 12);
    ck_assert_uint_eq(S->upload.stats.retries, 12);
}
END_TEST

START_TEST(retry_backoff_capped_by_a_short_interval)
{
    device_speaks(S, 1, T0_US);
    run_one(S, T0_US + INTERVAL_US);
    check_backoff(INTERVAL_US, 8);          /* 5, 10, 20, 40, then 60 s */
}
END_TEST

START_TEST(retry_rebuild_is_a_superset)
{
    first_acked(8);
    uint64_t acked_gen = S->upload.acked_gen;
    device_speaks(S, 1, T0_US + INTERVAL_US + 20 * S_US);
    run_one(S, T0_US + 2 * INTERVAL_US);
    struct caps_upload first = *last(0);
    ck_assert_uint_eq(first.asset_count, 1);
    caps_sensor_upload_done(S, first.seq, CAPS_UPLOAD_RETRY, 0, T0_US + 2 * INTERVAL_US + S_US);
    device_speaks(S, 5, T0_US + 2 * INTERVAL_US + 2 * S_US);
    run_one(S, T0_US + 2 * INTERVAL_US + INTERVAL_US / 2);
    const struct caps_upload *again = last(0);
    ck_assert_uint_eq(rec[0].count, 3);
    ck_assert_uint_eq(again->seq, first.seq + 1);
    ck_assert_uint_eq(again->attempt, 1);
    ck_assert_uint_eq(again->since_gen, acked_gen);
    ck_assert_uint_gt(again->gen, first.gen);
    /* Every asset the failed one carried, the rebuild carries too. */
    for (uint32_t i = 0; i < S->inv.count; i++)
        if (caps_upload_includes(&first, &S->inv.assets[i]))
            ck_assert_int_eq(caps_upload_includes(again, &S->inv.assets[i]), 1);
    ck_assert_int_eq(caps_upload_includes(&first, device(S, 5)), 0);
    ck_assert_int_eq(caps_upload_includes(again, device(S, 1)), 1);
    ck_assert_int_eq(caps_upload_includes(again, device(S, 5)), 1);
    ck_assert_uint_eq(again->asset_count, 2);
}
END_TEST

START_TEST(long_outage_stays_bounded_by_assets)
{
    first_acked(10);
    uint64_t acked_gen = S->upload.acked_gen;
    uint64_t t = S->now_us;
    unsigned frames = 0;
    /* Six hours of outage: every attempt fails, devices keep talking. */
    run_one(S, T0_US + 2 * INTERVAL_US);
    while (t < T0_US + 6ull * 3600u * S_US) {
        const struct caps_upload *u = last(0);
        ck_assert_uint_le(u->asset_count, S->inv.count);
        ck_assert_uint_eq(u->asset_count, includes_count(S, u));
        ck_assert_uint_eq(u->since_gen, acked_gen);
        caps_sensor_upload_done(S, u->seq, CAPS_UPLOAD_RETRY, 0, t);
        uint64_t due = upload_due(S);
        ck_assert_uint_le(due - t, INTERVAL_US * 5 / 4);
        device_speaks(S, frames % 40, t + 1);
        frames++;
        run_one(S, due);
        t = due + S_US;
    }
    ck_assert_uint_gt(S->upload.stats.retries, 250);
    ck_assert_uint_eq(S->inv.count, 40);
    /* Every device spoke since the last acknowledgement: all 40, once each. */
    ck_assert_uint_eq(last(0)->asset_count, 40);
}
END_TEST

START_TEST(rejected_keeps_changes_for_the_next_interval)
{
    first_acked(4);
    uint64_t acked_gen = S->upload.acked_gen;
    device_speaks(S, 2, T0_US + INTERVAL_US + 30 * S_US);
    run_one(S, T0_US + 2 * INTERVAL_US);
    uint64_t seq = last(0)->seq;
    caps_sensor_upload_done(S, seq, CAPS_UPLOAD_REJECTED, 0, T0_US + 2 * INTERVAL_US + S_US);
    ck_assert_uint_eq(S->upload.stats.rejected, 1);
    ck_assert_uint_eq(upload_due(S), T0_US + 3 * INTERVAL_US + S_US);
    run_one(S, T0_US + 3 * INTERVAL_US + S_US);
    ck_assert_uint_eq(rec[0].count, 3);
    ck_assert_uint_eq(last(0)->since_gen, acked_gen);
    ck_assert_int_eq(caps_upload_includes(last(0), device(S, 2)), 1);
    ck_assert_uint_eq(last(0)->attempt, 0);
}
END_TEST

START_TEST(stale_done_is_ignored)
{
    first_acked(3);
    uint64_t acked = S->upload.acked_gen;
    /* The acknowledged seq again, and one never built. */
    caps_sensor_upload_done(S, SEQ0, CAPS_UPLOAD_OK, 0, T0_US + INTERVAL_US + 2 * S_US);
    caps_sensor_upload_done(S, SEQ0 + 7, CAPS_UPLOAD_RETRY, 0, T0_US + INTERVAL_US + 2 * S_US);
    ck_assert_uint_eq(S->upload.stats.stale_done, 2);
    ck_assert_uint_eq(S->upload.stats.acked, 1);
    ck_assert_uint_eq(S->upload.stats.retries, 0);
    ck_assert_uint_eq(S->upload.acked_gen, acked);
    device_speaks(S, 1, T0_US + INTERVAL_US + 3 * S_US);
    run_one(S, T0_US + 2 * INTERVAL_US);
    ck_assert_uint_eq(rec[0].count, 2);
    /* While one flies, a done for another seq leaves it in flight. */
    caps_sensor_upload_done(S, last(0)->seq - 1, CAPS_UPLOAD_OK, 0, T0_US + 2 * INTERVAL_US);
    ck_assert_uint_eq(S->upload.inflight_on, 1);
    ck_assert_uint_eq(S->upload.stats.stale_done, 3);
    ck_assert_uint_eq(S->upload.acked_gen, acked);
}
END_TEST

START_TEST(flush_builds_what_is_pending_now)
{
    device_speaks(S, 0, T0_US);
    device_speaks(S, 1, T0_US + S_US);
    ck_assert_int_eq(caps_sensor_upload_flush(S, T0_US + 10 * S_US), 1);
    ck_assert_uint_eq(rec[0].count, 1);
    ck_assert_uint_eq(last(0)->full, 1);
    ck_assert_uint_eq(last(0)->built_us, T0_US + 10 * S_US);
    ck_assert_uint_eq(last(0)->asset_count, 2);
    /* One in flight: no second. */
    ck_assert_int_eq(caps_sensor_upload_flush(S, T0_US + 11 * S_US), 0);
    caps_sensor_upload_done(S, last(0)->seq, CAPS_UPLOAD_OK, 0, T0_US + 12 * S_US);
    device_speaks(S, 1, T0_US + 13 * S_US);
    ck_assert_int_eq(caps_sensor_upload_flush(S, T0_US + 14 * S_US), 1);
    ck_assert_uint_eq(last(0)->full, 0);
    ck_assert_uint_eq(last(0)->asset_count, 1);
    ck_assert_int_eq(caps_upload_includes(last(0), device(S, 1)), 1);
}
END_TEST

START_TEST(init_checks_its_arguments)
{
    struct caps_sensor s;
    struct caps_config cfg;
    struct caps_host host;
    struct caps_upload_config ucfg;
    caps_config_default(&cfg);
    cfg.assets_max = 4;
    memset(&host, 0, sizeof host);
    size_t n = caps_sensor_arena_bytes(&cfg);
    void *arena = aligned_alloc(64, (n + 63) & ~(size_t)63);
    ck_assert_int_eq(caps_sensor_init(&s, &cfg, &host, arena, n), CAPS_OK);
    memset(&ucfg, 0, sizeof ucfg);
    ck_assert_int_eq(caps_sensor_upload_init(&s, &ucfg, T0_US), CAPS_E_ARG);
    s.host.submit_upload = on_submit;
    ucfg.interval_us = S_US - 1;
    ck_assert_int_eq(caps_sensor_upload_init(&s, &ucfg, T0_US), CAPS_E_CONFIG);
    ck_assert_int_eq(s.upload_on, 0);
    /* Without uploads on, a done is ignored and flush builds nothing. */
    caps_sensor_upload_done(&s, 1, CAPS_UPLOAD_OK, 0, T0_US);
    ck_assert_uint_eq(s.upload.stats.stale_done + s.upload.stats.acked, 0);
    ck_assert_int_eq(caps_sensor_upload_flush(&s, T0_US), 0);
    ucfg.interval_us = S_US;
    ck_assert_int_eq(caps_sensor_upload_init(&s, &ucfg, T0_US), CAPS_OK);
    ck_assert_uint_eq(upload_due(&s), T0_US + S_US);
    free(arena);
}
END_TEST

/* ---- two elected agents --------------------------------------------------------- */

static int lan_cut;                 /* 1: every advert is lost */
static int dead[AGENTS];            /* crashed: not ticked, sends nothing */

static void deliver(uint64_t now_us)
{
    for (int q = 0; q < queued; q++)
        for (int i = 0; i < AGENTS; i++)
            if (i != queue[q].from && !lan_cut && !dead[i] && !dead[queue[q].from])
                caps_sensor_advert(&sensors[i], now_us, queue[q].bytes, queue[q].len);
    queued = 0;
}

static void run_all(uint64_t until_us)
{
    for (int guard = 0; guard < 1000000; guard++) {
        uint64_t next = UINT64_MAX;
        for (int i = 0; i < AGENTS; i++) {
            uint64_t d = caps_sensor_next_deadline_us(&sensors[i]);
            if (!dead[i] && d < next)
                next = d;
        }
        if (next > until_us)
            return;
        for (int i = 0; i < AGENTS; i++)
            if (!dead[i])
                caps_sensor_tick(&sensors[i], next);
        deliver(next);
    }
    ck_abort_msg("run_all: no progress");
}

/* Three agents: 0 leads, 1 is standby, 2 idle; min_peers 2. */
static void setup_trio(void)
{
    static const uint8_t priority[AGENTS] = {200, 100, 50};
    queued = 0;
    lan_cut = 0;
    for (int i = 0; i < AGENTS; i++) {
        dead[i] = 0;
        sensor_make(i, INTERVAL_US, (uint64_t)i + 1);
        election_on(i, priority[i]);
        caps_sensor_set_dns_suffix(&sensors[i], NULL);
        device_speaks(&sensors[i], 4, T0_US);
    }
    S = &sensors[0];
}

/* Runs until until_us, acknowledging every upload of every agent at once. */
static void run_all_acked(uint64_t until_us)
{
    for (uint64_t t = sensors[0].now_us; t < until_us; t += S_US) {
        run_all(t);
        for (int i = 0; i < AGENTS; i++)
            if (sensors[i].upload.inflight_on)
                caps_sensor_upload_done(&sensors[i], sensors[i].upload.inflight.seq,
                                        CAPS_UPLOAD_OK, 0, t);
    }
    run_all(until_us);
}

START_TEST(leader_uploads_full_at_once_others_never)
{
    for (unsigned i = 0; i < 3; i++)
        for (int a = 0; a < AGENTS; a++)
            device_speaks(&sensors[a], i, T0_US);
    run_all(T0_US + 10 * (uint64_t)ADVERT_US);
    ck_assert_int_eq(caps_sensor_role(&sensors[0]), CAPS_ROLE_LEADER);
    ck_assert_int_eq(caps_sensor_role(&sensors[1]), CAPS_ROLE_STANDBY);
    ck_assert_int_eq(caps_sensor_role(&sensors[2]), CAPS_ROLE_IDLE);
    /* Becoming leader with both peers heard: a full snapshot at once, long
     * before one interval, stamped with the leader's epoch. */
    ck_assert_uint_eq(rec[0].count, 1);
    const struct caps_upload *u = last(0);
    ck_assert_uint_eq(u->full, 1);
    ck_assert_uint_lt(u->built_us, T0_US + 5 * (uint64_t)ADVERT_US);
    ck_assert_uint_eq(u->epoch, caps_election_epoch(&sensors[0].election));
    ck_assert_uint_ge(u->epoch, 1);
    ck_assert_uint_eq(u->asset_count, 4);
    uint64_t first_us = u->built_us;
    run_all_acked(T0_US + 5 * INTERVAL_US);
    /* One interval after each acknowledged build: at first + 60, 120, 180, 240 s. */
    ck_assert_uint_eq(rec[0].count, 5);
    for (unsigned k = 1; k < 5; k++) {
        ck_assert_uint_eq(rec[0].up[k].built_us, first_us + k * INTERVAL_US);
        ck_assert_uint_eq(rec[0].up[k].full, 0);
    }
    ck_assert_uint_eq(rec[1].count, 0);              /* the standby never submits */
    ck_assert_uint_eq(rec[2].count, 0);              /* nor does the idle one */
    ck_assert_int_eq(caps_sensor_upload_flush(&sensors[1], T0_US + 5 * INTERVAL_US), 0);
    ck_assert_int_eq(caps_sensor_upload_flush(&sensors[2], T0_US + 5 * INTERVAL_US), 0);
}
END_TEST

START_TEST(min_peers_gate_holds_uploads)
{
    /* The standby never starts: the leader alone is below min_peers 2. */
    teardown();
    queued = 0;
    sensor_make(0, INTERVAL_US, 1);
    election_on(0, 200);
    caps_sensor_set_dns_suffix(&sensors[0], NULL);
    S = &sensors[0];
    device_speaks(S, 1, T0_US);
    for (uint64_t t = T0_US; t < T0_US + 3 * INTERVAL_US; t += ADVERT_US) {
        run_one(S, t);
        queued = 0;
    }
    ck_assert_int_eq(caps_sensor_role(S), CAPS_ROLE_LEADER);
    ck_assert_int_eq(caps_sensor_may_report(S), 0);
    ck_assert_uint_eq(rec[0].count, 0);
    ck_assert_int_eq(caps_sensor_upload_flush(S, S->now_us), 0);
}
END_TEST

START_TEST(fenced_leader_steps_down_and_new_leader_starts_full)
{
    run_all(T0_US + 10 * (uint64_t)ADVERT_US);
    ck_assert_int_eq(caps_sensor_role(&sensors[0]), CAPS_ROLE_LEADER);
    caps_sensor_upload_done(&sensors[0], last(0)->seq, CAPS_UPLOAD_OK, 0,
                            T0_US + 10 * (uint64_t)ADVERT_US);
    device_speaks(&sensors[0], 0, T0_US + 11 * (uint64_t)ADVERT_US);
    run_all(T0_US + INTERVAL_US + 10 * (uint64_t)ADVERT_US);
    ck_assert_uint_eq(rec[0].count, 2);
    uint64_t epoch = caps_election_epoch(&sensors[0].election);
    uint64_t t = S->now_us;

    /* The cloud knows epoch + 5 for this subnet (a leader we never heard). */
    caps_sensor_upload_done(&sensors[0], last(0)->seq, CAPS_UPLOAD_FENCED, epoch + 5, t);
    ck_assert_uint_eq(sensors[0].upload.stats.fenced, 1);
    ck_assert_uint_eq(sensors[0].upload.inflight_on, 0);
    ck_assert_uint_eq(sensors[0].upload.full_pending, 1);
    ck_assert_int_eq(caps_sensor_role(&sensors[0]), CAPS_ROLE_STANDBY);
    ck_assert_int_eq(rec[0].last_cause, CAPS_ELECT_CAUSE_FENCED);
    ck_assert_uint_eq(caps_election_epoch(&sensors[0].election), epoch + 5);
    /* A lower or equal epoch later is ignored. */
    caps_election_fence(&sensors[0].election, epoch + 2, t);
    ck_assert_uint_eq(caps_election_epoch(&sensors[0].election), epoch + 5);
    unsigned before0 = rec[0].count;

    /* The step-down is advertised at once; 0 listens 3 intervals + its skew
     * for the leader that fenced it, and nobody uploads meanwhile (1 and 2
     * rank below 0 and wait for its claim). No leader shows up: 0 claims
     * again above the cloud's epoch, and its first upload is full. */
    deliver(t);
    uint64_t listen_us = 3 * (uint64_t)ADVERT_US + caps_election_skew_us(200, ADVERT_US);
    run_all(t + listen_us - 1);
    ck_assert_int_eq(caps_sensor_role(&sensors[0]), CAPS_ROLE_STANDBY);
    ck_assert_int_ne(caps_sensor_role(&sensors[1]), CAPS_ROLE_LEADER);
    ck_assert_uint_eq(rec[0].count, before0);
    ck_assert_uint_eq(rec[1].count + rec[2].count, 0);
    run_all(t + listen_us + 1000);
    ck_assert_int_eq(caps_sensor_role(&sensors[0]), CAPS_ROLE_LEADER);
    ck_assert_uint_eq(rec[0].count, before0 + 1);
    ck_assert_uint_eq(last(0)->full, 1);
    ck_assert_uint_eq(last(0)->epoch, epoch + 6);
    ck_assert_uint_eq(last(0)->asset_count, 2);     /* devices 4 and 0 */
    ck_assert_uint_eq(last(0)->since_gen, 0);
    run_all_acked(t + 3 * INTERVAL_US);
    ck_assert_uint_eq(rec[1].count + rec[2].count, 0);
}
END_TEST

START_TEST(fence_ignored_when_epoch_not_higher)
{
    run_all(T0_US + 10 * (uint64_t)ADVERT_US);
    uint64_t epoch = caps_election_epoch(&sensors[0].election);
    caps_sensor_upload_done(&sensors[0], last(0)->seq, CAPS_UPLOAD_FENCED, epoch,
                            T0_US + 10 * (uint64_t)ADVERT_US);
    ck_assert_int_eq(caps_sensor_role(&sensors[0]), CAPS_ROLE_LEADER);
    ck_assert_uint_eq(caps_election_epoch(&sensors[0].election), epoch);
    /* Still leader: the changes stay pending, a full goes out next interval. */
    run_all(T0_US + 10 * (uint64_t)ADVERT_US + INTERVAL_US);
    ck_assert_uint_eq(rec[0].count, 2);
    ck_assert_uint_eq(last(0)->full, 1);
}
END_TEST

START_TEST(takeover_during_flight_sends_full_after_it)
{
    dead[2] = 1;                     /* two agents are enough here */
    run_all(T0_US + 10 * (uint64_t)ADVERT_US);
    ck_assert_int_eq(caps_sensor_role(&sensors[0]), CAPS_ROLE_LEADER);
    ck_assert_uint_eq(rec[0].count, 1);
    uint64_t seq = last(0)->seq;     /* in flight from here on */
    /* A partition: 1 claims on its side; on healing, 0 hears the higher
     * epoch and steps down. Neither may report meanwhile (min_peers 2). */
    lan_cut = 1;
    run_all(T0_US + 20 * (uint64_t)ADVERT_US);
    ck_assert_int_eq(caps_sensor_role(&sensors[1]), CAPS_ROLE_LEADER);
    lan_cut = 0;
    run_all(T0_US + 25 * (uint64_t)ADVERT_US);
    ck_assert_int_eq(caps_sensor_role(&sensors[0]), CAPS_ROLE_STANDBY);
    ck_assert_uint_eq(rec[1].count, 1);
    ck_assert_uint_eq(last(1)->full, 1);
    /* Then 1 crashes with its upload unanswered; 0 takes over again, its
     * first upload still in flight. */
    dead[1] = 1;
    dead[2] = 0;                     /* a peer so that 0 may report */
    run_all(T0_US + 40 * (uint64_t)ADVERT_US);
    ck_assert_int_eq(caps_sensor_role(&sensors[0]), CAPS_ROLE_LEADER);
    ck_assert_uint_eq(sensors[0].election.stats.takeovers, 2);
    ck_assert_uint_eq(rec[0].count, 1);               /* one at a time */
    /* Acknowledged now: the new term's full snapshot is due at once. */
    uint64_t t = S->now_us;
    caps_sensor_upload_done(&sensors[0], seq, CAPS_UPLOAD_OK, 0, t);
    ck_assert_uint_eq(caps_sensor_next_deadline_us(&sensors[0]), t);
    caps_sensor_tick(&sensors[0], t);
    ck_assert_uint_eq(rec[0].count, 2);
    ck_assert_uint_eq(last(0)->full, 1);
    ck_assert_uint_eq(last(0)->epoch, caps_election_epoch(&sensors[0].election));
    ck_assert_uint_gt(last(0)->epoch, rec[1].up[0].epoch);
}
END_TEST

/* ---- determinism ---------------------------------------------------------------- */

struct trace {
    unsigned n;
    uint64_t v[4096];
};

static void trace_add(struct trace *tr, uint64_t x)
{
    ck_assert_uint_lt(tr->n, 4096);
    tr->v[tr->n++] = x;
}

static void scripted_run(struct trace *tr)
{
    teardown();
    sensor_make(0, INTERVAL_US, 99);
    S = &sensors[0];
    uint64_t t = T0_US;
    for (unsigned step = 0; step < 300; step++) {
        device_speaks(S, step % 17, t);
        uint64_t d = caps_sensor_next_deadline_us(S);
        trace_add(tr, d);
        caps_sensor_tick(S, d);
        if (S->upload.inflight_on) {
            const struct caps_upload *u = &S->upload.inflight;
            trace_add(tr, u->seq);
            trace_add(tr, u->built_us);
            trace_add(tr, u->gen ^ (u->since_gen << 32) ^ ((uint64_t)u->asset_count << 48));
            trace_add(tr, (uint64_t)u->full << 8 | u->attempt);
            caps_sensor_upload_done(S, u->seq, step % 3 == 0 ? CAPS_UPLOAD_OK : CAPS_UPLOAD_RETRY,
                                    0, d + S_US);
        }
        t = d + 2 * S_US;
    }
}

START_TEST(same_inputs_same_uploads)
{
    static struct trace a, b;
    memset(&a, 0, sizeof a);
    memset(&b, 0, sizeof b);
    scripted_run(&a);
    unsigned built = rec[0].count;
    scripted_run(&b);
    ck_assert_uint_gt(built, 50);
    ck_assert_uint_eq(a.n, b.n);
    ck_assert_int_eq(memcmp(a.v, b.v, a.n * sizeof a.v[0]), 0);
}
END_TEST

Suite *suite_upload(void)
{
    Suite *s = suite_create("upload");
    TCase *tc = tcase_create("standalone");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, first_upload_is_full_after_one_interval);
    tcase_add_test(tc, incremental_holds_only_changed_assets);
    tcase_add_test(tc, change_while_in_flight_goes_in_the_next);
    tcase_add_test(tc, retry_backoff_doubles_and_is_capped);
    tcase_add_test(tc, retry_backoff_capped_by_a_short_interval);
    tcase_add_test(tc, retry_rebuild_is_a_superset);
    tcase_add_test(tc, long_outage_stays_bounded_by_assets);
    tcase_add_test(tc, rejected_keeps_changes_for_the_next_interval);
    tcase_add_test(tc, stale_done_is_ignored);
    tcase_add_test(tc, flush_builds_what_is_pending_now);
    tcase_add_test(tc, init_checks_its_arguments);
    tcase_add_test(tc, min_peers_gate_holds_uploads);
    tcase_add_test(tc, same_inputs_same_uploads);
    suite_add_tcase(s, tc);
    TCase *el = tcase_create("elected");
    tcase_add_checked_fixture(el, setup_trio, teardown);
    tcase_add_test(el, leader_uploads_full_at_once_others_never);
    tcase_add_test(el, fenced_leader_steps_down_and_new_leader_starts_full);
    tcase_add_test(el, fence_ignored_when_epoch_not_higher);
    tcase_add_test(el, takeover_during_flight_sends_full_after_it);
    suite_add_tcase(s, el);
    return s;
}
