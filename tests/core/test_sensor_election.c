/* test_sensor_election.c - the election inside caps_sensor: three sensors on
 * one in-test segment exchange real signed adverts; roles then gate the work
 * (leader and standby sense, idle counts frames only), only the leader with
 * enough peers may report, and a clean stop hands the lead over at once. */
#include <stdlib.h>
#include <string.h>
#include <check.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "caps/sensor.h"
#include "frames.h"
#include "testutil.h"

Suite *suite_sensor_election(void);

extern const struct caps_sample_set caps_samples_dhcp;

#define AGENTS 3
#define T0_US 1793610000000000ull
#define ADVERT_US 1000000u
#define QUEUE_MAX 64

static const char site_key[] = "sensor-election-test-site-key";

static void hmac(void *ctx, const uint8_t *msg, size_t len, uint8_t out[32])
{
    unsigned int n = 32;
    (void)ctx;
    HMAC(EVP_sha256(), site_key, (int)strlen(site_key), msg, len, out, &n);
}

/* Adverts in flight: sender index and bytes, delivered to every other agent. */
static struct {
    int from;
    size_t len;
    uint8_t bytes[CAPS_ADVERT_BYTES];
} queue[QUEUE_MAX];
static int queued;
static struct caps_sensor sensors[AGENTS];
static void *arenas[AGENTS];
static int sender_ids[AGENTS];

static void on_send(void *ctx, const uint8_t *payload, size_t len)
{
    ck_assert_int_lt(queued, QUEUE_MAX);
    ck_assert_uint_le(len, CAPS_ADVERT_BYTES);
    queue[queued].from = *(const int *)ctx;
    queue[queued].len = len;
    memcpy(queue[queued].bytes, payload, len);
    queued++;
}

static void deliver(uint64_t now_us)
{
    for (int q = 0; q < queued; q++)
        for (int i = 0; i < AGENTS; i++)
            if (i != queue[q].from)
                caps_sensor_advert(&sensors[i], now_us, queue[q].bytes, queue[q].len);
    queued = 0;
}

static void setup(void)
{
    static const uint8_t priority[AGENTS] = {200, 150, 50};
    queued = 0;
    for (int i = 0; i < AGENTS; i++) {
        struct caps_config cfg;
        struct caps_host host;
        struct caps_election_config ecfg;
        caps_config_default(&cfg);
        cfg.assets_max = 16;
        cfg.min_peers = 3;
        memset(&host, 0, sizeof host);
        sender_ids[i] = i;
        host.ctx = &sender_ids[i];
        host.send = on_send;
        host.hmac_sha256 = hmac;
        size_t n = caps_sensor_arena_bytes(&cfg);
        arenas[i] = aligned_alloc(64, (n + 63) & ~(size_t)63);
        ck_assert_int_eq(caps_sensor_init(&sensors[i], &cfg, &host, arenas[i], n), CAPS_OK);
        memset(&ecfg, 0, sizeof ecfg);
        ecfg.agent_id = (uint64_t)(i + 1);
        ecfg.priority = priority[i];
        ecfg.advert_interval_us = ADVERT_US;
        memcpy(ecfg.site_id, "site-0123456789a", 16);
        ecfg.has_ipv4 = 1;
        ecfg.ipv4[0] = 10;
        ecfg.ipv4[3] = (uint8_t)(i + 1);
        ecfg.initial_counter = T0_US;
        ck_assert_int_eq(caps_sensor_election_init(&sensors[i], &ecfg, T0_US), CAPS_OK);
    }
}

static void teardown(void)
{
    for (int i = 0; i < AGENTS; i++)
        free(arenas[i]);
}

/* Runs every sensor's due work until until_us, delivering adverts at once. */
static void run_until(uint64_t until_us)
{
    for (int guard = 0; guard < 100000; guard++) {
        uint64_t next = UINT64_MAX;
        for (int i = 0; i < AGENTS; i++) {
            uint64_t d = caps_sensor_next_deadline_us(&sensors[i]);
            if (d < next)
                next = d;
        }
        if (next > until_us)
            return;
        for (int i = 0; i < AGENTS; i++)
            caps_sensor_tick(&sensors[i], next);
        deliver(next);
    }
    ck_abort_msg("run_until: no progress");
}

static void dhcp_to_all(uint64_t ts_us)
{
    uint8_t frame[FRAME_BYTES_MAX];
    struct frame_spec f;
    memset(&f, 0, sizeof f);
    memcpy(f.src_mac, (const uint8_t[]){0x3c, 0xa9, 0xf4, 0x5e, 0x21, 0x07}, 6);
    memset(f.dst_mac, 0xff, 6);
    memset(f.dst_ip, 0xff, 4);
    f.ip_version = 4;
    f.ttl = 128;
    f.src_port = 68;
    f.dst_port = 67;
    const struct caps_sample *s = test_sample(&caps_samples_dhcp, "windows10_discover");
    size_t n = frame_build(&f, s->bytes, s->len, frame);
    for (int i = 0; i < AGENTS; i++)
        caps_sensor_frame(&sensors[i], ts_us, frame, n, n);
}

START_TEST(roles_gate_the_work)
{
    run_until(T0_US + 10 * (uint64_t)ADVERT_US);
    ck_assert_int_eq(caps_sensor_role(&sensors[0]), CAPS_ROLE_LEADER);
    ck_assert_int_eq(caps_sensor_role(&sensors[1]), CAPS_ROLE_STANDBY);
    ck_assert_int_eq(caps_sensor_role(&sensors[2]), CAPS_ROLE_IDLE);
    /* Three eligible sensors heard: the leader may report, no one else. */
    ck_assert_int_eq(caps_sensor_may_report(&sensors[0]), 1);
    ck_assert_int_eq(caps_sensor_may_report(&sensors[1]), 0);
    ck_assert_int_eq(caps_sensor_may_report(&sensors[2]), 0);

    dhcp_to_all(T0_US + 10 * (uint64_t)ADVERT_US);
    ck_assert_uint_eq(sensors[0].inv.count, 1);        /* leader senses */
    ck_assert_uint_eq(sensors[1].inv.count, 1);        /* standby keeps a warm copy */
    ck_assert_uint_eq(sensors[2].inv.count, 0);        /* idle does not sense */
    ck_assert_uint_eq(sensors[2].stats.idle_frames, 1);
}
END_TEST

START_TEST(clean_stop_hands_over_within_one_skew)
{
    uint64_t t = T0_US + 10 * (uint64_t)ADVERT_US;
    run_until(t);
    ck_assert_int_eq(caps_sensor_role(&sensors[0]), CAPS_ROLE_LEADER);
    uint64_t epoch = caps_election_epoch(&sensors[0].election);
    caps_sensor_stop(&sensors[0], t);
    deliver(t);
    /* VRRPv3 skew of the priority-150 standby: (256 - 150) / 256 interval. */
    run_until(t + (256u - 150u) * (uint64_t)ADVERT_US / 256u + 1000u);
    ck_assert_int_eq(caps_sensor_role(&sensors[1]), CAPS_ROLE_LEADER);
    ck_assert_uint_gt(caps_election_epoch(&sensors[1].election), epoch);
    /* The stopped sensor senses nothing more. */
    dhcp_to_all(t + 2 * (uint64_t)ADVERT_US);
    ck_assert_uint_eq(sensors[0].inv.count, 0);
}
END_TEST

START_TEST(standalone_sensor_is_its_own_leader)
{
    struct caps_sensor s;
    struct caps_config cfg;
    struct caps_host host;
    struct caps_election_config ecfg;
    caps_config_default(&cfg);
    cfg.assets_max = 4;
    memset(&host, 0, sizeof host);
    size_t n = caps_sensor_arena_bytes(&cfg);
    void *arena = aligned_alloc(64, (n + 63) & ~(size_t)63);
    ck_assert_int_eq(caps_sensor_init(&s, &cfg, &host, arena, n), CAPS_OK);
    ck_assert_int_eq(caps_sensor_role(&s), CAPS_ROLE_LEADER);
    ck_assert_int_eq(caps_sensor_may_report(&s), 1);
    /* No send or HMAC callback: the election cannot start. */
    memset(&ecfg, 0, sizeof ecfg);
    ecfg.agent_id = 9;
    ecfg.priority = 100;
    ecfg.advert_interval_us = ADVERT_US;
    ck_assert_int_eq(caps_sensor_election_init(&s, &ecfg, T0_US), CAPS_E_ARG);
    free(arena);
}
END_TEST

Suite *suite_sensor_election(void)
{
    Suite *s = suite_create("sensor_election");
    TCase *tc = tcase_create("roles");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, roles_gate_the_work);
    tcase_add_test(tc, clean_stop_hands_over_within_one_skew);
    tcase_add_test(tc, standalone_sensor_is_its_own_leader);
    suite_add_tcase(s, tc);
    return s;
}
