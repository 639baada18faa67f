/* test_traffic_subnet.c - the synthesized subnet: determinism, independence
 * of hosts, schedules (browser every 12 min, SSDP at max-age/2, DHCP renew at
 * T1), churn and MAC rotation in the truth. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "caps/dhcp.h"
#include "caps/link.h"
#include "traffic/profile.h"
#include "traffic/subnet.h"

Suite *suite_traffic_subnet(void);

#define HOUR_US (3600ull * 1000000ull)
#define HOSTS_MAX 64

/* memmem without _GNU_SOURCE. */
static const void *find_bytes(const void *hay, size_t n, const void *needle, size_t m)
{
    const uint8_t *h = hay;
    for (size_t i = 0; m <= n && i <= n - m; i++)
        if (memcmp(h + i, needle, m) == 0)
            return h + i;
    return NULL;
}

static struct traffic_profiles *load(void)
{
    char err[512];
    struct traffic_profiles *p = NULL;
    int rc = traffic_profiles_load(CAPS_SOURCE_DIR "/data/profiles.json", &p, err);
    ck_assert_msg(rc == 0, "%s", err);
    return p;
}

static void config(struct traffic_subnet_config *c, uint32_t hosts)
{
    memset(c, 0, sizeof *c);
    c->seed = 42;
    c->hosts = hosts;
    c->net[0] = 10;
    c->net[1] = 20;
    c->prefix_len = 22;
    c->start_epoch_us = 1700000000000000ull;
    c->mac_rotation = 1;
    c->churn_per_day = 2;
}

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
    const uint8_t *b = p;
    for (size_t i = 0; i < n; i++)
        h = (h ^ b[i]) * 0x100000001b3ull;
    return h;
}

/* Per-host hashes of (time, bytes); index HOSTS_MAX is the whole stream. */
static void run_hashes(const struct traffic_subnet_config *c, struct traffic_profiles *p,
                       uint64_t end_us, uint64_t out[HOSTS_MAX + 1], uint32_t *frames)
{
    char err[512];
    struct traffic_subnet *s = traffic_subnet_create(c, p, err);
    ck_assert_msg(s != NULL, "%s", err);
    for (int i = 0; i <= HOSTS_MAX; i++)
        out[i] = 0xcbf29ce484222325ull;
    static struct traffic_frame f;
    *frames = 0;
    uint64_t last = 0;
    while (traffic_subnet_next(s, end_us, &f)) {
        ck_assert_uint_ge(f.ts_us, last);
        last = f.ts_us;
        if (f.host < HOSTS_MAX) {
            out[f.host] = fnv(out[f.host], &f.ts_us, sizeof f.ts_us);
            out[f.host] = fnv(out[f.host], f.bytes, f.len);
        }
        out[HOSTS_MAX] = fnv(out[HOSTS_MAX], f.bytes, f.len);
        (*frames)++;
    }
    ck_assert_uint_eq(traffic_subnet_peek_us(s) > end_us, 1);
    traffic_subnet_destroy(s);
}

START_TEST(same_config_same_frames)
{
    struct traffic_profiles *p = load();
    struct traffic_subnet_config c;
    config(&c, 40);
    uint64_t a[HOSTS_MAX + 1], b[HOSTS_MAX + 1];
    uint32_t na, nb;
    run_hashes(&c, p, 26 * HOUR_US, a, &na);
    run_hashes(&c, p, 26 * HOUR_US, b, &nb);
    ck_assert_uint_eq(na, nb);
    ck_assert_mem_eq(a, b, sizeof a);
    c.seed = 43;
    run_hashes(&c, p, 26 * HOUR_US, b, &nb);
    ck_assert_uint_ne(a[HOSTS_MAX], b[HOSTS_MAX]);
    traffic_profiles_free(p);
}
END_TEST

START_TEST(adding_a_host_leaves_the_others_alone)
{
    struct traffic_profiles *p = load();
    struct traffic_subnet_config c;
    config(&c, 30);
    uint64_t a[HOSTS_MAX + 1], b[HOSTS_MAX + 1];
    uint32_t na, nb;
    run_hashes(&c, p, 26 * HOUR_US, a, &na);
    c.hosts = 31;
    run_hashes(&c, p, 26 * HOUR_US, b, &nb);
    for (int i = 0; i < 30; i++)
        ck_assert_msg(a[i] == b[i], "host %d changed when host 30 was added", i);
    ck_assert_uint_gt(nb, na);
    traffic_profiles_free(p);
}
END_TEST

/* Collects the sim times (us) of one host's frames matching kind. */
enum kind { K_BROWSER, K_SSDP_ROOT_ALIVE, K_DHCP_RENEW };

static uint32_t times_of(const char *profile, enum kind k, uint64_t end_us, uint64_t *t,
                         uint32_t cap)
{
    struct traffic_profiles *p = load();
    struct traffic_subnet_config c;
    config(&c, 1);
    c.churn_per_day = 0;
    c.mix_count = 1;
    snprintf(c.mix[0].profile, sizeof c.mix[0].profile, "%s", profile);
    c.mix[0].weight = 1;
    char err[512];
    struct traffic_subnet *s = traffic_subnet_create(&c, p, err);
    ck_assert_msg(s != NULL, "%s", err);
    static struct traffic_frame f;
    static struct caps_dhcp d;
    uint32_t n = 0;
    while (traffic_subnet_next(s, end_us, &f) && n < cap) {
        if (f.host != 0)
            continue;
        struct caps_frame cf;
        ck_assert_int_eq(caps_frame_parse(f.bytes, f.len, &cf, NULL), 0);
        int hit = 0;
        if (k == K_BROWSER)
            hit = cf.dst_port == 138;
        else if (k == K_SSDP_ROOT_ALIVE)
            hit = cf.dst_port == 1900 &&
                  find_bytes(cf.payload, cf.payload_len, "NT: upnp:rootdevice", 19) &&
                  find_bytes(cf.payload, cf.payload_len, "ssdp:alive", 10);
        else if (cf.dst_port == 67 && caps_dhcp_parse(cf.payload, cf.payload_len, &d) == 0)
            hit = d.msg_type == 3 && d.ciaddr != 0;  /* RENEWING: ciaddr set */
        if (hit)
            t[n++] = f.ts_us - c.start_epoch_us;
    }
    traffic_subnet_destroy(s);
    traffic_profiles_free(p);
    return n;
}

START_TEST(browser_every_12_minutes)
{
    uint64_t t[64];
    uint32_t n = times_of("windows-server", K_BROWSER, 4 * HOUR_US, t, 64);
    ck_assert_uint_ge(n, 10);
    /* 1, 2, 4, 8 minutes, then every 12 ([MS-BRWS] 3.2.6). */
    for (uint32_t i = 5; i < n; i++)
        ck_assert_uint_eq(t[i] - t[i - 1], 12ull * 60 * 1000000);
}
END_TEST

START_TEST(ssdp_renotify_at_half_max_age)
{
    uint64_t t[64];
    /* Roku max-age 3600: root device alive (twice per burst) every 1800 s. */
    uint32_t n = times_of("roku", K_SSDP_ROOT_ALIVE, 4 * HOUR_US, t, 64);
    ck_assert_uint_ge(n, 6);
    for (uint32_t i = 2; i < n; i += 2)
        ck_assert_uint_eq(t[i] - t[i - 2], 1800ull * 1000000);
}
END_TEST

START_TEST(dhcp_renews_at_t1)
{
    uint64_t t[64];
    /* Gateway lease 14400 s: T1 = 7200 s. */
    uint32_t n = times_of("linux-server-dhclient", K_DHCP_RENEW, 8 * HOUR_US, t, 64);
    ck_assert_uint_ge(n, 3);
    for (uint32_t i = 1; i < n; i++) {
        uint64_t d = t[i] - t[i - 1];
        ck_assert_uint_ge(d, 7200ull * 1000000);
        ck_assert_uint_le(d, 7200ull * 1000000 + 10000);
    }
}
END_TEST

START_TEST(phones_rotate_macs_in_truth)
{
    struct traffic_profiles *p = load();
    struct traffic_subnet_config c;
    config(&c, 20);
    c.mix_count = 1;
    snprintf(c.mix[0].profile, sizeof c.mix[0].profile, "iphone");
    c.mix[0].weight = 1;
    char err[512];
    struct traffic_subnet *s = traffic_subnet_create(&c, p, err);
    ck_assert_msg(s != NULL, "%s", err);
    static struct traffic_frame f;
    while (traffic_subnet_next(s, 72 * HOUR_US, &f))
        ;
    cJSON *t = traffic_subnet_truth(s);
    cJSON *hosts = cJSON_GetObjectItem(t, "hosts");
    ck_assert_int_eq(cJSON_GetArraySize(hosts), 20);
    int rotated = 0;
    cJSON *h;
    cJSON_ArrayForEach(h, hosts) {
        cJSON *macs = cJSON_GetObjectItem(h, "macs");
        if (cJSON_GetArraySize(macs) > 1)
            rotated++;
        /* Randomized MACs are locally administered. */
        const char *m = cJSON_GetArrayItem(macs, 0)->valuestring;
        ck_assert_int_eq(strtol((char[3]){m[0], m[1], 0}, NULL, 16) & 2, 2);
        ck_assert_str_eq(cJSON_GetObjectItem(cJSON_GetObjectItem(h, "os"), "family")->valuestring,
                         "ios");
    }
    ck_assert_int_gt(rotated, 5);
    cJSON_Delete(t);
    traffic_subnet_destroy(s);
    traffic_profiles_free(p);
}
END_TEST

START_TEST(bad_configs_are_refused)
{
    struct traffic_profiles *p = load();
    struct traffic_subnet_config c;
    char err[512];
    config(&c, 1010);
    ck_assert_ptr_null(traffic_subnet_create(&c, p, err));
    ck_assert_msg(strstr(err, "hosts must be 1..") != NULL, "%s", err);
    config(&c, 5);
    c.mix_count = 1;
    snprintf(c.mix[0].profile, sizeof c.mix[0].profile, "no-such");
    c.mix[0].weight = 1;
    ck_assert_ptr_null(traffic_subnet_create(&c, p, err));
    ck_assert_msg(strstr(err, "unknown profile \"no-such\"") != NULL, "%s", err);
    traffic_profiles_free(p);
}
END_TEST

Suite *suite_traffic_subnet(void)
{
    Suite *s = suite_create("traffic_subnet");
    TCase *tc = tcase_create("subnet");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, same_config_same_frames);
    tcase_add_test(tc, adding_a_host_leaves_the_others_alone);
    tcase_add_test(tc, browser_every_12_minutes);
    tcase_add_test(tc, ssdp_renotify_at_half_max_age);
    tcase_add_test(tc, dhcp_renews_at_t1);
    tcase_add_test(tc, phones_rotate_macs_in_truth);
    tcase_add_test(tc, bad_configs_are_refused);
    suite_add_tcase(s, tc);
    return s;
}
