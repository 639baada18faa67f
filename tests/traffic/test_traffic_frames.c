/* test_traffic_frames.c - traffic's frame builders: checksums verified from
 * scratch, and every profile's frames decoded by core's decoders (decoding in
 * a test is fine; the builders themselves never use decoder code). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "caps/dhcp.h"
#include "caps/dns.h"
#include "caps/link.h"
#include "caps/nbds.h"
#include "caps/nbns.h"
#include "caps/ssdp.h"
#include "traffic/frame.h"
#include "traffic/profile.h"
#include "traffic/subnet.h"

Suite *suite_traffic_frames(void);

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

/* Independent check: the ones'-complement sum over a header including its
 * checksum folds to 0xffff. */
static uint16_t fold_sum(const uint8_t *p, size_t n, uint32_t sum)
{
    for (size_t i = 0; i + 1 < n; i += 2)
        sum += (uint32_t)(p[i] << 8 | p[i + 1]);
    if (n & 1)
        sum += (uint32_t)p[n - 1] << 8;
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return (uint16_t)sum;
}

static void check_udp4(const uint8_t *f, uint32_t len)
{
    ck_assert_uint_ge(len, 60);
    ck_assert_uint_eq(f[12] << 8 | f[13], 0x0800);
    const uint8_t *ip = f + 14;
    ck_assert_uint_eq(fold_sum(ip, 20, 0), 0xffff);
    size_t total = (size_t)(ip[2] << 8 | ip[3]);
    ck_assert_uint_le(14 + total, len);
    const uint8_t *udp = ip + 20;
    size_t ulen = (size_t)(udp[4] << 8 | udp[5]);
    ck_assert_uint_eq(ulen + 20, total);
    uint32_t pseudo = 0;
    for (int i = 12; i < 20; i += 2)
        pseudo += (uint32_t)(ip[i] << 8 | ip[i + 1]);
    pseudo += 17 + (uint32_t)ulen;
    ck_assert_uint_eq(fold_sum(udp, ulen, pseudo), 0xffff);
}

START_TEST(checksums_of_every_udp_frame)
{
    struct traffic_profiles *p = load();
    struct traffic_subnet_config c;
    memset(&c, 0, sizeof c);
    c.seed = 3;
    c.hosts = 120;
    c.net[0] = 10;
    c.net[1] = 20;
    c.prefix_len = 22;
    char err[512];
    struct traffic_subnet *s = traffic_subnet_create(&c, p, err);
    ck_assert_msg(s != NULL, "%s", err);
    static struct traffic_frame f;
    uint32_t n = 0;
    while (traffic_subnet_next(s, 3600ull * 1000000, &f)) {
        struct caps_frame cf;
        ck_assert_int_eq(caps_frame_parse(f.bytes, f.len, &cf, NULL), 0);
        if (cf.ip_version == 4)
            check_udp4(f.bytes, f.len);
        n++;
    }
    ck_assert_uint_gt(n, 1000);
    traffic_subnet_destroy(s);
    traffic_profiles_free(p);
}
END_TEST

START_TEST(dns_compression_points_back)
{
    uint8_t buf[512];
    struct traffic_dns_writer w;
    traffic_dns_begin(&w, buf, sizeof buf, 0, 0x8400);
    size_t o = traffic_dns_rr_begin(&w, 1, "a.b.local", 1, 1, 120);
    traffic_dns_put_u32(&w, 0x0a000001);
    traffic_dns_rr_end(&w, o);
    o = traffic_dns_rr_begin(&w, 1, "c.b.local", 1, 1, 120);
    traffic_dns_put_u32(&w, 0x0a000002);
    traffic_dns_rr_end(&w, o);
    size_t n = traffic_dns_end(&w);
    /* Second name: label "c" then a pointer to "b.local" at offset 14. */
    ck_assert_uint_eq(n, 12 + (11 + 14) + (4 + 14));
    ck_assert_uint_eq(buf[12 + 25], 1);
    ck_assert_uint_eq(buf[12 + 25 + 2], 0xC0);
    ck_assert_uint_eq(buf[12 + 25 + 3], 14);
    static struct caps_dns d;
    ck_assert_int_eq(caps_dns_parse(buf, n, &d), 0);
    ck_assert_uint_eq(d.record_count, 2);
}
END_TEST

/* Every profile, alone in a subnet: its frames decode and carry its data. */
START_TEST(each_profile_decodes)
{
    struct traffic_profiles *p = load();
    const struct traffic_profile *prof = &p->items[_i];
    if (strcmp(prof->name, "gateway") == 0) {
        traffic_profiles_free(p);
        return;
    }
    struct traffic_subnet_config c;
    memset(&c, 0, sizeof c);
    c.seed = 11;
    c.hosts = 2;
    c.net[0] = 192;
    c.net[1] = 168;
    c.prefix_len = 24;
    c.mix_count = 1;
    snprintf(c.mix[0].profile, sizeof c.mix[0].profile, "%s", prof->name);
    c.mix[0].weight = 1;
    char err[512];
    struct traffic_subnet *s = traffic_subnet_create(&c, p, err);
    ck_assert_msg(s != NULL, "%s", err);
    static struct traffic_frame f;
    static struct caps_dhcp dh;
    static struct caps_dns dn;
    static struct caps_ssdp ss;
    static struct caps_nbns nb;
    static struct caps_nbds nd;
    int saw_discover = 0, saw_notify = 0, saw_mdns = 0, saw_browser = 0;
    while (traffic_subnet_next(s, 12 * 3600ull * 1000000, &f)) {
        struct caps_frame cf;
        ck_assert_int_eq(caps_frame_parse(f.bytes, f.len, &cf, NULL), 0);
        if (cf.ip_version != 4)
            continue;
        if (cf.dst_port == 67) {
            ck_assert_int_eq(caps_dhcp_parse(cf.payload, cf.payload_len, &dh), 0);
            ck_assert_uint_eq(dh.options_bad, 0);
            if (dh.msg_type == 1) {
                saw_discover = 1;
                ck_assert_uint_eq(dh.prl_len, prof->prl_len);
                ck_assert_mem_eq(dh.prl, prof->prl, prof->prl_len);
                ck_assert_uint_eq(cf.ttl, prof->ttl);
                if (prof->vendor_class[0] && !strchr(prof->vendor_class, '%'))
                    ck_assert_str_eq(dh.vendor_class_text, prof->vendor_class);
                if (prof->hostname[0] && !strchr(prof->hostname, '%') &&
                    !strchr(prof->hostname, '{'))
                    ck_assert_str_eq(dh.host_name, prof->hostname);
            }
        } else if (cf.dst_port == 68) {
            ck_assert_int_eq(caps_dhcp_parse(cf.payload, cf.payload_len, &dh), 0);
        } else if (cf.dst_port == 1900) {
            ck_assert_int_eq(caps_ssdp_parse(cf.payload, cf.payload_len, &ss), 0);
            if (ss.method == CAPS_SSDP_METHOD_NOTIFY && ss.nts == CAPS_SSDP_NTS_ALIVE && f.host != UINT32_MAX) {
                saw_notify = 1;
                if (!strchr(prof->ssdp_server, '%'))
                    ck_assert_str_eq(ss.server, prof->ssdp_server);
                ck_assert_uint_eq(ss.max_age_s, prof->max_age_s);
            }
        } else if (cf.dst_port == 5353) {
            ck_assert_int_eq(caps_dns_parse(cf.payload, cf.payload_len, &dn), 0);
            if (dn.qr && prof->svc_count) {
                saw_mdns = 1;
                /* A constant TXT item of the first service is in the bytes. */
                for (uint32_t k = 0; k < prof->svc[0].txt_count; k++) {
                    const char *t = prof->svc[0].txt[k];
                    if (strchr(t, '%'))
                        continue;
                    ck_assert_msg(find_bytes(cf.payload, cf.payload_len, t, strlen(t)) != NULL,
                                  "%s: TXT %s missing", prof->name, t);
                }
            }
        } else if (cf.dst_port == 137) {
            ck_assert_int_eq(caps_nbns_parse(cf.payload, cf.payload_len, &nb), 0);
        } else if (cf.dst_port == 138) {
            ck_assert_int_eq(caps_nbds_parse(cf.payload, cf.payload_len, &nd), 0);
            saw_browser = 1;
        }
    }
    ck_assert_msg(saw_discover, "%s: no DISCOVER", prof->name);
    if (prof->ssdp)
        ck_assert_msg(saw_notify, "%s: no NOTIFY", prof->name);
    if (prof->svc_count)
        ck_assert_msg(saw_mdns, "%s: no mDNS announcement", prof->name);
    if (prof->browser)
        ck_assert_msg(saw_browser, "%s: no browser announcement", prof->name);
    traffic_subnet_destroy(s);
    traffic_profiles_free(p);
}
END_TEST

START_TEST(profile_errors_name_the_path)
{
    char err[512];
    struct traffic_profiles *p = NULL;
    const char *bad = "{\"format\":\"caps-profiles/1\",\"profiles\":[{\"name\":\"x\",\"oui\":[\"00:11:22\"],"
                      "\"dhcp\":{\"discover\":[53],\"request\":[53],\"prl\":[0]},\"truth\":{}}]}";
    ck_assert_int_eq(traffic_profiles_parse(bad, "t.json", &p, err), -1);
    ck_assert_msg(strstr(err, "t.json: profiles[0].dhcp.prl") != NULL, "%s", err);
    const char *typo = "{\"format\":\"caps-profiles/1\",\"profiles\":[{\"name\":\"x\",\"oui\":[\"00:11:22\"],"
                       "\"dhcp\":{\"discover\":[53],\"request\":[53]},\"truth\":{},\"ssdb\":{}}]}";
    ck_assert_int_eq(traffic_profiles_parse(typo, "t.json", &p, err), -1);
    ck_assert_msg(strstr(err, "profiles[0].ssdb: unknown key") != NULL, "%s", err);
}
END_TEST

Suite *suite_traffic_frames(void)
{
    Suite *s = suite_create("traffic_frames");
    TCase *tc = tcase_create("frames");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, checksums_of_every_udp_frame);
    tcase_add_test(tc, dns_compression_points_back);
    tcase_add_test(tc, profile_errors_name_the_path);
    struct traffic_profiles *p = NULL;
    char err[512];
    int n = traffic_profiles_load(CAPS_SOURCE_DIR "/data/profiles.json", &p, err) == 0
                ? (int)traffic_profiles_count(p)
                : 1;
    traffic_profiles_free(p);
    tcase_add_loop_test(tc, each_profile_decodes, 0, n);
    suite_add_tcase(s, tc);
    return s;
}
