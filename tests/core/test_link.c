/* test_link.c - the Ethernet / 802.1Q / IPv4 / IPv6 / UDP walker (caps/link.h).
 *
 * Every sample frame is decoded and every field of struct caps_frame compared
 * with values written out by hand from the annotated bytes; every prefix of
 * every sample is decoded too, and must either fail as truncated (shorter than
 * the headers the walker opens) or give the same fields with the payload
 * clamped. Malformed frames are made by patching samples or built here, and
 * must return the exact error code and layer.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <check.h>

#include "caps/error.h"
#include "caps/link.h"
#include "caps/proto.h"
#include "sample.h"
#include "testutil.h"

extern const struct caps_sample_set caps_samples_link;

#define NO_PAYLOAD SIZE_MAX   /* payload_off of a frame whose payload is NULL */
#define WHOLE SIZE_MAX        /* cut of a case that keeps the whole sample */

#define MAC(a, b, c, d, e, f) {0x##a, 0x##b, 0x##c, 0x##d, 0x##e, 0x##f}
#define IP4(a, b, c, d) {a, b, c, d}
#define BCAST MAC(ff, ff, ff, ff, ff, ff)

/* What one sample must decode to. */
struct want {
    const char *name;
    uint8_t dst_mac[6];
    uint8_t src_mac[6];
    uint8_t vlan_count;
    uint16_t vlan_ids[CAPS_VLAN_MAX];
    uint16_t ethertype;
    uint8_t ip_version;
    uint8_t ip_proto;
    uint8_t ttl;
    bool ip_fragment;
    uint8_t src_ip[16];
    uint8_t dst_ip[16];
    uint16_t src_port;
    uint16_t dst_port;
    size_t payload_off;       /* from the first byte of the frame */
    size_t payload_len;
    size_t min_ok;            /* shortest prefix that decodes: the headers opened */
};

static const struct want wants[] = {
    {"dhcp_discover_broadcast", BCAST, MAC(3c, 52, 82, 4a, 6e, 11), 0, {0, 0},
     0x0800, 4, 17, 128, false, IP4(0, 0, 0, 0), IP4(255, 255, 255, 255),
     68, 67, 42, 44, 42},
    {"arp_request_padded", BCAST, MAC(00, 1b, 21, 3a, 4f, 5c), 0, {0, 0},
     0x0806, 0, 0, 0, false, {0}, {0},
     0, 0, 14, 46, 14},
    {"vlan10_mdns_ipv4", MAC(01, 00, 5e, 00, 00, fb), MAC(a4, 83, e7, 12, 34, 56), 1, {10, 0},
     0x0800, 4, 17, 255, false, IP4(192, 168, 10, 23), IP4(224, 0, 0, 251),
     5353, 5353, 46, 46, 46},
    {"qinq_ssdp_msearch", MAC(01, 00, 5e, 7f, ff, fa), MAC(f8, bc, 12, 0a, 0b, 0c), 2, {100, 20},
     0x0800, 4, 17, 4, false, IP4(10, 20, 0, 15), IP4(239, 255, 255, 250),
     58137, 1900, 50, 94, 50},
    {"ipv4_router_alert_llmnr", MAC(01, 00, 5e, 00, 00, fc), MAC(b8, 27, eb, 5d, 21, 9a), 0, {0, 0},
     0x0800, 4, 17, 1, false, IP4(192, 168, 1, 57), IP4(224, 0, 0, 252),
     61000, 5355, 46, 25, 46},
    {"ipv4_fragment_first", MAC(01, 00, 5e, 7f, ff, fa), MAC(28, c6, 8e, 11, 22, 33), 0, {0, 0},
     0x0800, 4, 17, 4, true, IP4(192, 168, 1, 1), IP4(239, 255, 255, 250),
     0, 0, NO_PAYLOAD, 0, 34},
    {"ipv4_fragment_last", MAC(01, 00, 5e, 7f, ff, fa), MAC(28, c6, 8e, 11, 22, 33), 0, {0, 0},
     0x0800, 4, 17, 4, true, IP4(192, 168, 1, 1), IP4(239, 255, 255, 250),
     0, 0, NO_PAYLOAD, 0, 34},
    {"ipv6_mdns_linklocal", MAC(33, 33, 00, 00, 00, fb), MAC(a4, 83, e7, 12, 34, 56), 0, {0, 0},
     0x86dd, 6, 17, 255, false,
     {0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0xa6, 0x83, 0xe7, 0xff, 0xfe, 0x12, 0x34, 0x56},
     {0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xfb},
     5353, 5353, 62, 46, 62},
    {"ipv6_hopbyhop_dhcpv6", MAC(33, 33, 00, 01, 00, 02), MAC(00, 11, 32, 7a, 8b, 9c), 0, {0, 0},
     0x86dd, 6, 17, 1, false,
     {0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0x02, 0x11, 0x32, 0xff, 0xfe, 0x7a, 0x8b, 0x9c},
     {0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01, 0, 0x02},
     546, 547, 70, 24, 70},
    {"ipv6_fragment_first", MAC(33, 33, 00, 00, 00, fb), MAC(24, a4, 3c, 0e, 44, 55), 0, {0, 0},
     0x86dd, 6, 17, 255, true,
     {0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0x26, 0xa4, 0x3c, 0xff, 0xfe, 0x0e, 0x44, 0x55},
     {0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xfb},
     0, 0, NO_PAYLOAD, 0, 62},
    {"ipv6_atomic_fragment_llmnr", MAC(33, 33, 00, 01, 00, 03), MAC(b8, 27, eb, 5d, 21, 9a), 0, {0, 0},
     0x86dd, 6, 17, 1, false,
     {0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0xba, 0x27, 0xeb, 0xff, 0xfe, 0x5d, 0x21, 0x9a},
     {0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01, 0, 0x03},
     52144, 5355, 70, 25, 70},
    {"tcp_syn_https", MAC(d4, ca, 6d, 01, 02, 03), MAC(00, 1b, 21, 3a, 4f, 5c), 0, {0, 0},
     0x0800, 4, 6, 64, false, IP4(192, 168, 1, 20), IP4(192, 168, 1, 1),
     0, 0, NO_PAYLOAD, 0, 34},
    {"lldp_switch", MAC(01, 80, c2, 00, 00, 0e), MAC(00, 1a, a1, 5e, 70, 01), 0, {0, 0},
     0x88cc, 0, 0, 0, false, {0}, {0},
     0, 0, NO_PAYLOAD, 0, 14},
    {"llc_stp_bpdu", MAC(01, 80, c2, 00, 00, 00), MAC(00, 1a, a1, 5e, 70, 01), 0, {0, 0},
     0x0026, 0, 0, 0, false, {0}, {0},
     0, 0, NO_PAYLOAD, 0, 14},
    /* UDP length 278 and total length 298, but snaplen kept 96 bytes. */
    {"ssdp_notify_snaplen96", MAC(01, 00, 5e, 7f, ff, fa), MAC(28, c6, 8e, 11, 22, 33), 0, {0, 0},
     0x0800, 4, 17, 4, false, IP4(192, 168, 1, 1), IP4(239, 255, 255, 250),
     1900, 1900, 42, 54, 42},
    /* 4 payload bytes, then 14 bytes of Ethernet padding that are not payload. */
    {"ubnt_discovery_padded", BCAST, MAC(24, a4, 3c, 9a, 00, 01), 0, {0, 0},
     0x0800, 4, 17, 64, false, IP4(192, 168, 1, 30), IP4(255, 255, 255, 255),
     40712, 10001, 42, 4, 42},
};

#define N_WANTS (sizeof wants / sizeof wants[0])

static void expect_bytes(const char *name, size_t cut, const char *field,
                         const uint8_t *got, const uint8_t *want, size_t n)
{
    char g[3 * 16 + 1], w[3 * 16 + 1];

    if (memcmp(got, want, n) == 0)
        return;
    for (size_t i = 0; i < n && i < 16; i++) {
        snprintf(g + 3 * i, 4, "%02x ", got[i]);
        snprintf(w + 3 * i, 4, "%02x ", want[i]);
    }
    ck_abort_msg("%s cut %zu: %s is %s, want %s", name, cut, field, g, w);
}

/* Compares every field of f with w; frame is the buffer of cut bytes that was
 * parsed, so the payload must be a view at w->payload_off into it, clamped to
 * the cut. */
static void expect_frame(const struct want *w, const struct caps_frame *f,
                         const uint8_t *frame, size_t cut)
{
    const char *n = w->name;

    expect_bytes(n, cut, "dst_mac", f->dst_mac, w->dst_mac, 6);
    expect_bytes(n, cut, "src_mac", f->src_mac, w->src_mac, 6);
    ck_assert_msg(f->vlan_count == w->vlan_count, "%s cut %zu: vlan_count %u, want %u", n,
                  cut, f->vlan_count, w->vlan_count);
    for (size_t i = 0; i < w->vlan_count; i++)
        ck_assert_msg(f->vlan_ids[i] == w->vlan_ids[i], "%s cut %zu: vlan_ids[%zu] %u, want %u",
                      n, cut, i, f->vlan_ids[i], w->vlan_ids[i]);
    ck_assert_msg(f->ethertype == w->ethertype, "%s cut %zu: ethertype 0x%04x, want 0x%04x",
                  n, cut, f->ethertype, w->ethertype);
    ck_assert_msg(f->ip_version == w->ip_version, "%s cut %zu: ip_version %u, want %u", n, cut,
                  f->ip_version, w->ip_version);
    ck_assert_msg(f->ip_proto == w->ip_proto, "%s cut %zu: ip_proto %u, want %u", n, cut,
                  f->ip_proto, w->ip_proto);
    ck_assert_msg(f->ttl == w->ttl, "%s cut %zu: ttl %u, want %u", n, cut, f->ttl, w->ttl);
    ck_assert_msg(f->ip_fragment == w->ip_fragment, "%s cut %zu: ip_fragment %d, want %d", n,
                  cut, f->ip_fragment, w->ip_fragment);
    expect_bytes(n, cut, "src_ip", f->src_ip, w->src_ip, 16);
    expect_bytes(n, cut, "dst_ip", f->dst_ip, w->dst_ip, 16);
    ck_assert_msg(f->src_port == w->src_port, "%s cut %zu: src_port %u, want %u", n, cut,
                  f->src_port, w->src_port);
    ck_assert_msg(f->dst_port == w->dst_port, "%s cut %zu: dst_port %u, want %u", n, cut,
                  f->dst_port, w->dst_port);
    if (w->payload_off == NO_PAYLOAD) {
        ck_assert_msg(f->payload == NULL, "%s cut %zu: payload should be NULL", n, cut);
        ck_assert_msg(f->payload_len == 0, "%s cut %zu: payload_len %zu, want 0", n, cut,
                      f->payload_len);
        return;
    }
    ck_assert_msg(f->payload != NULL, "%s cut %zu: payload is NULL", n, cut);
    ck_assert_msg(f->payload >= frame && f->payload <= frame + cut,
                  "%s cut %zu: payload outside the frame", n, cut);
    size_t off = (size_t)(f->payload - frame);
    size_t len = w->payload_len;
    if (cut - w->payload_off < len)
        len = cut - w->payload_off;   /* the capture ends first */
    ck_assert_msg(off == w->payload_off, "%s cut %zu: payload at %zu, want %zu", n, cut, off,
                  w->payload_off);
    ck_assert_msg(f->payload_len == len, "%s cut %zu: payload_len %zu, want %zu", n, cut,
                  f->payload_len, len);
}

static int parse_frame(const uint8_t *buf, size_t len, void *out)
{
    int layer = -1;
    return caps_frame_parse(buf, len, out, &layer);
}

/* A heap copy of exactly len bytes, so AddressSanitizer sees any over-read. */
static uint8_t *copy_exact(const uint8_t *src, size_t len)
{
    uint8_t *p = malloc(len ? len : 1);
    ck_assert_ptr_nonnull(p);
    if (len > 0)
        memcpy(p, src, len);
    return p;
}

START_TEST(test_every_sample_has_expectations)
{
    const struct caps_sample_set *set = &caps_samples_link;

    ck_assert_str_eq(set->decoder, "link");
    ck_assert_uint_ge(set->count, 14);
    ck_assert_uint_eq(set->count, N_WANTS);
    for (size_t i = 0; i < set->count; i++) {
        bool found = false;
        for (size_t j = 0; j < N_WANTS; j++)
            found = found || strcmp(set->samples[i].name, wants[j].name) == 0;
        ck_assert_msg(found, "sample %s has no expected fields", set->samples[i].name);
    }
}
END_TEST

/* Every field of every sample, the output filled with junk first so that a
 * field the walker forgets to set shows. */
START_TEST(test_sample_fields)
{
    const struct want *w = &wants[_i];
    const struct caps_sample *s = test_sample(&caps_samples_link, w->name);
    uint8_t *frame = copy_exact(s->bytes, s->len);
    struct caps_frame f;
    int layer = -1;

    memset(&f, 0xA5, sizeof f);
    int rc = caps_frame_parse(frame, s->len, &f, &layer);
    ck_assert_msg(rc == CAPS_OK, "%s: rc %d (%s) at layer %d", w->name, rc, caps_strerror(rc),
                  layer);
    expect_frame(w, &f, frame, s->len);
    free(frame);
}
END_TEST

/* Each prefix: shorter than the headers the walker opens is CAPS_E_TRUNCATED;
 * from there on the same fields with the payload clamped to the prefix. */
START_TEST(test_sample_prefixes)
{
    const struct want *w = &wants[_i];
    const struct caps_sample *s = test_sample(&caps_samples_link, w->name);

    ck_assert_uint_le(w->min_ok, s->len);
    for (size_t cut = 0; cut <= s->len; cut++) {
        uint8_t *frame = copy_exact(s->bytes, cut);
        struct caps_frame f;
        int layer = -1;

        memset(&f, 0xA5, sizeof f);
        int rc = caps_frame_parse(frame, cut, &f, &layer);
        if (cut < w->min_ok) {
            ck_assert_msg(rc == CAPS_E_TRUNCATED, "%s cut %zu: rc %d, want truncated", w->name,
                          cut, rc);
            ck_assert_msg(f.payload == NULL && f.payload_len == 0,
                          "%s cut %zu: payload set on error", w->name, cut);
            if (cut < 14)
                ck_assert_msg(layer == CAPS_PROTO_ETHERNET, "%s cut %zu: layer %d", w->name,
                              cut, layer);
        } else {
            ck_assert_msg(rc == CAPS_OK, "%s cut %zu: rc %d at layer %d", w->name, cut, rc,
                          layer);
            expect_frame(w, &f, frame, cut);
        }
        free(frame);
    }
}
END_TEST

START_TEST(test_sample_cut_every_offset)
{
    const struct want *w = &wants[_i];
    const struct caps_sample *s = test_sample(&caps_samples_link, w->name);
    struct caps_frame f;

    size_t ok = test_cut_every_offset(s, parse_frame, &f, sizeof f);
    ck_assert_msg(ok == s->len - w->min_ok + 1, "%s: %zu prefixes decoded, want %zu", w->name,
                  ok, s->len - w->min_ok + 1);
    ck_assert_int_eq(parse_frame(s->bytes, s->len, &f), CAPS_OK);
    for (size_t cut = 0; cut < 14; cut++)
        ck_assert_int_eq(parse_frame(s->bytes, cut, &f), CAPS_E_TRUNCATED);
}
END_TEST

/* The samples themselves: every IPv4 header checksum verifies (RFC 1071: the
 * one's complement sum over the header, checksum included, is 0xffff). */
START_TEST(test_sample_ipv4_checksum)
{
    const struct want *w = &wants[_i];
    const struct caps_sample *s = test_sample(&caps_samples_link, w->name);

    if (w->ethertype != CAPS_ETHERTYPE_IPV4)
        return;
    size_t ip = 14 + 4 * (size_t)w->vlan_count;
    size_t ihl = (size_t)(s->bytes[ip] & 0x0f) * 4;
    ck_assert_uint_le(ip + ihl, s->len);
    uint32_t sum = 0;
    for (size_t i = 0; i < ihl; i += 2)
        sum += (uint32_t)s->bytes[ip + i] << 8 | s->bytes[ip + i + 1];
    while (sum > 0xffff)
        sum = (sum & 0xffff) + (sum >> 16);
    ck_assert_msg(sum == 0xffff, "%s: IPv4 header checksum sums to 0x%04x", w->name,
                  (unsigned)sum);
}
END_TEST

/* ---- malformed and edge frames ---- */

struct patch {
    size_t off;
    uint8_t val;
};

struct bad {
    const char *name;
    const char *sample;        /* patched sample, or NULL for build() */
    size_t (*build)(uint8_t *buf, size_t cap);
    size_t cut;                /* WHOLE or a prefix length */
    struct patch patch[3];
    size_t npatch;
    int rc;
    int layer;                 /* checked when rc != 0 */
    bool ip_fragment;          /* checked when rc == 0 */
    size_t payload_off;        /* checked when rc == 0 */
    size_t payload_len;
};

/* Offsets in dhcp_discover_broadcast: IPv4 at 14, UDP at 34, payload at 42. */
#define D4 14
#define DU 34
/* Offsets in ipv6_mdns_linklocal: IPv6 at 14, UDP at 54. */
#define D6 14
#define D6U 54

static size_t put_eth(uint8_t *buf, uint16_t type)
{
    static const uint8_t macs[12] = {0x01, 0x00, 0x5e, 0x7f, 0xff, 0xfa,
                                     0xf8, 0xbc, 0x12, 0x0a, 0x0b, 0x0c};
    memcpy(buf, macs, sizeof macs);
    buf[12] = (uint8_t)(type >> 8);
    buf[13] = (uint8_t)type;
    return 14;
}

static size_t put_tag(uint8_t *buf, uint16_t vid, uint16_t next_type)
{
    buf[0] = (uint8_t)(vid >> 8);
    buf[1] = (uint8_t)vid;
    buf[2] = (uint8_t)(next_type >> 8);
    buf[3] = (uint8_t)next_type;
    return 4;
}

/* An IPv4 UDP datagram with a 4-byte payload, checksum left 0 (the walker
 * does not verify it). */
static size_t put_ipv4_udp(uint8_t *buf)
{
    static const uint8_t dgram[] = {
        0x45, 0x00, 0x00, 0x20, 0x00, 0x01, 0x00, 0x00, 0x04, 0x11, 0x00, 0x00,
        0x0a, 0x14, 0x00, 0x0f, 0xef, 0xff, 0xff, 0xfa,
        0xe3, 0x19, 0x07, 0x6c, 0x00, 0x0c, 0x00, 0x00,
        0x01, 0x02, 0x03, 0x04,
    };
    memcpy(buf, dgram, sizeof dgram);
    return sizeof dgram;
}

/* 88a8 VID 100, 8100 VID 20, 8100 VID 30: one tag more than CAPS_VLAN_MAX. */
static size_t build_three_tags(uint8_t *buf, size_t cap)
{
    size_t n = put_eth(buf, CAPS_ETHERTYPE_QINQ);
    n += put_tag(buf + n, 100, CAPS_ETHERTYPE_VLAN);
    n += put_tag(buf + n, 20, CAPS_ETHERTYPE_VLAN);
    n += put_tag(buf + n, 30, CAPS_ETHERTYPE_IPV4);
    n += put_ipv4_udp(buf + n);
    ck_assert_uint_le(n, cap);
    return n;
}

/* Two 0x8100 tags (the pre-802.1ad stacking some switches still send). */
static size_t build_two_8100_tags(uint8_t *buf, size_t cap)
{
    size_t n = put_eth(buf, CAPS_ETHERTYPE_VLAN);
    n += put_tag(buf + n, 0x2005, CAPS_ETHERTYPE_VLAN);   /* PCP 1, VID 5 */
    n += put_tag(buf + n, 0xf0ff, CAPS_ETHERTYPE_IPV4);   /* PCP 7, DEI 1, VID 255 */
    n += put_ipv4_udp(buf + n);
    ck_assert_uint_le(n, cap);
    return n;
}

/* IPv6 from fe80::1 to ff02::fb with `count` Destination Options headers
 * (RFC 8200 4.6: next, length 0, PadN of 4) in front of `last` and an 8-byte
 * UDP header with no payload. */
static size_t build_ipv6_dstopts(uint8_t *buf, size_t cap, size_t count, uint8_t last)
{
    size_t n = put_eth(buf, CAPS_ETHERTYPE_IPV6);
    size_t plen = count * 8 + 8;
    uint8_t *ip = buf + n;

    ck_assert_uint_le(n + 40 + plen, cap);
    memset(ip, 0, 40);
    ip[0] = 0x60;
    ip[4] = (uint8_t)(plen >> 8);
    ip[5] = (uint8_t)plen;
    ip[6] = count > 0 ? (uint8_t)60 : last;
    ip[7] = 255;
    ip[8] = 0xfe;
    ip[9] = 0x80;
    ip[23] = 0x01;
    ip[24] = 0xff;
    ip[25] = 0x02;
    ip[39] = 0xfb;
    n += 40;
    for (size_t i = 0; i < count; i++) {
        static const uint8_t padn[6] = {0x01, 0x04, 0, 0, 0, 0};
        buf[n] = i + 1 < count ? (uint8_t)60 : last;
        buf[n + 1] = 0;
        memcpy(buf + n + 2, padn, sizeof padn);
        n += 8;
    }
    static const uint8_t udp[8] = {0x14, 0xe9, 0x14, 0xe9, 0x00, 0x08, 0x00, 0x00};
    memcpy(buf + n, udp, sizeof udp);
    return n + 8;
}

static size_t build_nine_ext(uint8_t *buf, size_t cap)
{
    return build_ipv6_dstopts(buf, cap, CAPS_IPV6_EXT_MAX + 1, 17);
}

static size_t build_eight_ext(uint8_t *buf, size_t cap)
{
    return build_ipv6_dstopts(buf, cap, CAPS_IPV6_EXT_MAX, 17);
}

/* ESP (50) after one Destination Options header: not walked, not UDP. */
static size_t build_esp(uint8_t *buf, size_t cap)
{
    return build_ipv6_dstopts(buf, cap, 1, 50);
}

/* IPv6 + AH (RFC 4302 2: 12 fixed bytes and a 12-byte HMAC-SHA1-96 ICV, so
 * Payload Len = 24 / 4 - 2 = 4) + UDP with a 2-byte payload. */
static size_t build_ah_udp(uint8_t *buf, size_t cap)
{
    size_t n = build_ipv6_dstopts(buf, cap, 0, 51);
    static const uint8_t ah_udp[] = {
        17, 4, 0, 0,                      /* next UDP, payload len 4, reserved */
        0x00, 0x00, 0x10, 0x01,           /* SPI */
        0x00, 0x00, 0x00, 0x07,           /* sequence number */
        0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, /* ICV */
        0x14, 0xe9, 0x14, 0xe9, 0x00, 0x0a, 0x00, 0x00, /* UDP 5353 -> 5353, length 10 */
        0x5a, 0x5a,
    };
    n -= 8;                               /* drop the bare UDP header */
    ck_assert_uint_le(n + sizeof ah_udp, cap);
    memcpy(buf + n, ah_udp, sizeof ah_udp);
    buf[14 + 5] = (uint8_t)sizeof ah_udp; /* IPv6 payload length */
    return n + sizeof ah_udp;
}

static const struct bad bads[] = {
    /* Ethernet and tags */
    {"ethernet_13_bytes", "dhcp_discover_broadcast", NULL, 13, {{0, 0}}, 0,
     CAPS_E_TRUNCATED, CAPS_PROTO_ETHERNET, false, 0, 0},
    {"ethernet_empty", "dhcp_discover_broadcast", NULL, 0, {{0, 0}}, 0,
     CAPS_E_TRUNCATED, CAPS_PROTO_ETHERNET, false, 0, 0},
    {"vlan_tag_cut", "vlan10_mdns_ipv4", NULL, 17, {{0, 0}}, 0,
     CAPS_E_TRUNCATED, CAPS_PROTO_VLAN, false, 0, 0},
    {"three_vlan_tags", NULL, build_three_tags, WHOLE, {{0, 0}}, 0,
     CAPS_E_LIMIT, CAPS_PROTO_VLAN, false, 0, 0},
    {"two_8100_tags", NULL, build_two_8100_tags, WHOLE, {{0, 0}}, 0,
     CAPS_OK, 0, false, 50, 4},
    /* IPv4 */
    {"ipv4_ihl_4", "dhcp_discover_broadcast", NULL, WHOLE, {{D4, 0x44}}, 1,
     CAPS_E_LENGTH, CAPS_PROTO_IPV4, false, 0, 0},
    {"ipv4_ihl_0", "dhcp_discover_broadcast", NULL, WHOLE, {{D4, 0x40}}, 1,
     CAPS_E_LENGTH, CAPS_PROTO_IPV4, false, 0, 0},
    {"ipv4_version_5", "dhcp_discover_broadcast", NULL, WHOLE, {{D4, 0x55}}, 1,
     CAPS_E_VERSION, CAPS_PROTO_IPV4, false, 0, 0},
    {"ipv6_in_0800", "ipv6_mdns_linklocal", NULL, WHOLE, {{12, 0x08}, {13, 0x00}}, 2,
     CAPS_E_VERSION, CAPS_PROTO_IPV4, false, 0, 0},
    {"ipv4_total_len_19", "dhcp_discover_broadcast", NULL, WHOLE, {{D4 + 2, 0}, {D4 + 3, 19}}, 2,
     CAPS_E_LENGTH, CAPS_PROTO_IPV4, false, 0, 0},
    {"ipv4_total_len_0", "dhcp_discover_broadcast", NULL, WHOLE, {{D4 + 2, 0}, {D4 + 3, 0}}, 2,
     CAPS_E_LENGTH, CAPS_PROTO_IPV4, false, 0, 0},
    /* IHL 6 but total length 20: the options alone overrun it. */
    {"ipv4_total_len_below_options", "ipv4_router_alert_llmnr", NULL, WHOLE,
     {{D4 + 2, 0}, {D4 + 3, 20}}, 2, CAPS_E_LENGTH, CAPS_PROTO_IPV4, false, 0, 0},
    {"ipv4_options_cut", "dhcp_discover_broadcast", NULL, 50, {{D4, 0x4f}}, 1,
     CAPS_E_TRUNCATED, CAPS_PROTO_IPV4, false, 0, 0},
    {"ipv4_header_cut", "dhcp_discover_broadcast", NULL, 33, {{0, 0}}, 0,
     CAPS_E_TRUNCATED, CAPS_PROTO_IPV4, false, 0, 0},
    /* A fragment offset alone (MF clear) is still a fragment; DF is not. */
    {"ipv4_offset_only", "dhcp_discover_broadcast", NULL, WHOLE, {{D4 + 7, 0x01}}, 1,
     CAPS_OK, 0, true, NO_PAYLOAD, 0},
    {"ipv4_df_not_fragment", "dhcp_discover_broadcast", NULL, WHOLE, {{D4 + 6, 0x40}}, 1,
     CAPS_OK, 0, false, 42, 44},
    /* Total length 40: the datagram ends 12 bytes into the BOOTP fields, before
     * the UDP length says, and the frame bytes after it are not payload. */
    {"ipv4_total_len_short_of_udp", "dhcp_discover_broadcast", NULL, WHOLE,
     {{D4 + 2, 0}, {D4 + 3, 40}}, 2, CAPS_OK, 0, false, 42, 12},
    /* UDP */
    {"udp_len_7", "dhcp_discover_broadcast", NULL, WHOLE, {{DU + 4, 0}, {DU + 5, 7}}, 2,
     CAPS_E_LENGTH, CAPS_PROTO_UDP, false, 0, 0},
    {"udp_len_0", "dhcp_discover_broadcast", NULL, WHOLE, {{DU + 4, 0}, {DU + 5, 0}}, 2,
     CAPS_E_LENGTH, CAPS_PROTO_UDP, false, 0, 0},
    {"udp_len_8_empty", "dhcp_discover_broadcast", NULL, WHOLE, {{DU + 4, 0}, {DU + 5, 8}}, 2,
     CAPS_OK, 0, false, 42, 0},
    {"udp_len_past_ip_total", "dhcp_discover_broadcast", NULL, WHOLE,
     {{DU + 4, 0x01}, {DU + 5, 0x00}}, 2, CAPS_OK, 0, false, 42, 44},
    /* Total length 24 leaves 4 bytes for an 8-byte UDP header. */
    {"udp_header_past_ip_total", "dhcp_discover_broadcast", NULL, WHOLE,
     {{D4 + 2, 0}, {D4 + 3, 24}}, 2, CAPS_E_TRUNCATED, CAPS_PROTO_UDP, false, 0, 0},
    {"udp_header_cut", "dhcp_discover_broadcast", NULL, 41, {{0, 0}}, 0,
     CAPS_E_TRUNCATED, CAPS_PROTO_UDP, false, 0, 0},
    {"ipv6_udp_len_0", "ipv6_mdns_linklocal", NULL, WHOLE, {{D6U + 4, 0}, {D6U + 5, 0}}, 2,
     CAPS_E_LENGTH, CAPS_PROTO_UDP, false, 0, 0},
    /* IPv6 */
    {"ipv6_version_4", "ipv6_mdns_linklocal", NULL, WHOLE, {{D6, 0x40}}, 1,
     CAPS_E_VERSION, CAPS_PROTO_IPV6, false, 0, 0},
    {"ipv4_in_86dd", "dhcp_discover_broadcast", NULL, WHOLE, {{12, 0x86}, {13, 0xdd}}, 2,
     CAPS_E_VERSION, CAPS_PROTO_IPV6, false, 0, 0},
    {"ipv6_header_cut", "ipv6_mdns_linklocal", NULL, 53, {{0, 0}}, 0,
     CAPS_E_TRUNCATED, CAPS_PROTO_IPV6, false, 0, 0},
    /* Payload length 16: UDP header and 8 payload bytes. */
    {"ipv6_payload_len_short", "ipv6_mdns_linklocal", NULL, WHOLE, {{D6 + 4, 0}, {D6 + 5, 16}},
     2, CAPS_OK, 0, false, 62, 8},
    {"ipv6_payload_len_4", "ipv6_mdns_linklocal", NULL, WHOLE, {{D6 + 4, 0}, {D6 + 5, 4}}, 2,
     CAPS_E_TRUNCATED, CAPS_PROTO_UDP, false, 0, 0},
    /* Hop-by-Hop length 5 (48 bytes) in a 40-byte payload. */
    {"ipv6_hopbyhop_overruns", "ipv6_hopbyhop_dhcpv6", NULL, WHOLE, {{D6U + 1, 5}}, 1,
     CAPS_E_TRUNCATED, CAPS_PROTO_IPV6, false, 0, 0},
    {"ipv6_fragment_header_cut", "ipv6_fragment_first", NULL, 60, {{0, 0}}, 0,
     CAPS_E_TRUNCATED, CAPS_PROTO_IPV6, false, 0, 0},
    /* Offset 1 (8 bytes), M clear: the last fragment, still a fragment. */
    {"ipv6_fragment_offset_only", "ipv6_fragment_first", NULL, WHOLE,
     {{D6U + 2, 0x00}, {D6U + 3, 0x08}}, 2, CAPS_OK, 0, true, NO_PAYLOAD, 0},
    {"nine_ipv6_ext_headers", NULL, build_nine_ext, WHOLE, {{0, 0}}, 0,
     CAPS_E_LIMIT, CAPS_PROTO_IPV6, false, 0, 0},
    {"eight_ipv6_ext_headers", NULL, build_eight_ext, WHOLE, {{0, 0}}, 0,
     CAPS_OK, 0, false, 14 + 40 + 64 + 8, 0},
    {"ipv6_ah_then_udp", NULL, build_ah_udp, WHOLE, {{0, 0}}, 0,
     CAPS_OK, 0, false, 14 + 40 + 24 + 8, 2},
    {"ipv6_esp", NULL, build_esp, WHOLE, {{0, 0}}, 0,
     CAPS_OK, 0, false, NO_PAYLOAD, 0},
};

#define N_BADS (sizeof bads / sizeof bads[0])

START_TEST(test_malformed)
{
    const struct bad *b = &bads[_i];
    uint8_t tmp[256];
    size_t len;

    if (b->build != NULL) {
        len = b->build(tmp, sizeof tmp);
    } else {
        const struct caps_sample *s = test_sample(&caps_samples_link, b->sample);
        ck_assert_uint_le(s->len, sizeof tmp);
        memcpy(tmp, s->bytes, s->len);
        for (size_t i = 0; i < b->npatch; i++) {
            ck_assert_uint_lt(b->patch[i].off, s->len);
            tmp[b->patch[i].off] = b->patch[i].val;
        }
        len = b->cut == WHOLE ? s->len : b->cut;
        ck_assert_uint_le(len, s->len);
    }
    uint8_t *frame = copy_exact(tmp, len);
    struct caps_frame f;
    int layer = -1;

    memset(&f, 0xA5, sizeof f);
    int rc = caps_frame_parse(frame, len, &f, &layer);
    ck_assert_msg(rc == b->rc, "%s: rc %d (%s), want %d (%s)", b->name, rc, caps_err_name(rc),
                  b->rc, caps_err_name(b->rc));
    ck_assert_msg(f.vlan_count <= CAPS_VLAN_MAX, "%s: vlan_count %u", b->name, f.vlan_count);
    if (rc != CAPS_OK) {
        ck_assert_msg(layer == b->layer, "%s: layer %d, want %d", b->name, layer, b->layer);
        ck_assert_msg(f.payload == NULL && f.payload_len == 0, "%s: payload set on error",
                      b->name);
        /* The same answer without a layer pointer. */
        ck_assert_int_eq(caps_frame_parse(frame, len, &f, NULL), b->rc);
    } else {
        ck_assert_msg(f.ip_fragment == b->ip_fragment, "%s: ip_fragment %d", b->name,
                      f.ip_fragment);
        if (b->payload_off == NO_PAYLOAD) {
            ck_assert_msg(f.payload == NULL && f.payload_len == 0, "%s: payload set", b->name);
        } else {
            ck_assert_msg(f.payload != NULL, "%s: payload NULL", b->name);
            ck_assert_msg((size_t)(f.payload - frame) == b->payload_off,
                          "%s: payload at %td, want %zu", b->name, f.payload - frame,
                          b->payload_off);
            ck_assert_msg(f.payload_len == b->payload_len, "%s: payload_len %zu, want %zu",
                          b->name, f.payload_len, b->payload_len);
        }
    }
    free(frame);
}
END_TEST

/* The limit cases field by field: what was decoded before the limit stays. */
START_TEST(test_limits_fields)
{
    uint8_t buf[256];
    struct caps_frame f;
    int layer = -1;

    size_t n = build_three_tags(buf, sizeof buf);
    ck_assert_int_eq(caps_frame_parse(buf, n, &f, &layer), CAPS_E_LIMIT);
    ck_assert_int_eq(layer, CAPS_PROTO_VLAN);
    ck_assert_uint_eq(f.vlan_count, 2);
    ck_assert_uint_eq(f.vlan_ids[0], 100);
    ck_assert_uint_eq(f.vlan_ids[1], 20);
    ck_assert_uint_eq(f.ip_version, 0);

    n = build_two_8100_tags(buf, sizeof buf);
    ck_assert_int_eq(caps_frame_parse(buf, n, &f, &layer), CAPS_OK);
    ck_assert_uint_eq(f.vlan_count, 2);
    ck_assert_uint_eq(f.vlan_ids[0], 5);      /* PCP bits are not the VID */
    ck_assert_uint_eq(f.vlan_ids[1], 255);    /* nor is DEI */
    ck_assert_uint_eq(f.ethertype, CAPS_ETHERTYPE_IPV4);
    ck_assert_uint_eq(f.src_port, 58137);
    ck_assert_uint_eq(f.dst_port, 1900);

    n = build_eight_ext(buf, sizeof buf);
    ck_assert_int_eq(caps_frame_parse(buf, n, &f, &layer), CAPS_OK);
    ck_assert_uint_eq(f.ip_version, 6);
    ck_assert_uint_eq(f.ip_proto, 17);
    ck_assert_uint_eq(f.src_port, 5353);
    ck_assert_uint_eq(f.dst_port, 5353);

    n = build_esp(buf, sizeof buf);
    ck_assert_int_eq(caps_frame_parse(buf, n, &f, &layer), CAPS_OK);
    ck_assert_uint_eq(f.ip_proto, 50);
    ck_assert_uint_eq(f.src_port, 0);

    n = build_ah_udp(buf, sizeof buf);
    ck_assert_int_eq(caps_frame_parse(buf, n, &f, &layer), CAPS_OK);
    ck_assert_uint_eq(f.ip_proto, 17);
    ck_assert_uint_eq(f.payload[0], 0x5a);
    ck_assert_uint_eq(f.payload[1], 0x5a);
}
END_TEST

/* One output struct reused across frames keeps nothing of the earlier one. */
START_TEST(test_reuse_clears)
{
    const struct caps_sample *v6 = test_sample(&caps_samples_link, "ipv6_mdns_linklocal");
    const struct caps_sample *v4 = test_sample(&caps_samples_link, "vlan10_mdns_ipv4");
    const struct caps_sample *arp = test_sample(&caps_samples_link, "arp_request_padded");
    static const uint8_t zero[16] = {0};
    struct caps_frame f;

    ck_assert_int_eq(caps_frame_parse(v6->bytes, v6->len, &f, NULL), CAPS_OK);
    ck_assert_int_eq(caps_frame_parse(v4->bytes, v4->len, &f, NULL), CAPS_OK);
    ck_assert_uint_eq(f.ip_version, 4);
    ck_assert_int_eq(memcmp(f.src_ip + 4, zero, 12), 0);
    ck_assert_int_eq(memcmp(f.dst_ip + 4, zero, 12), 0);
    ck_assert_int_eq(caps_frame_parse(arp->bytes, arp->len, &f, NULL), CAPS_OK);
    ck_assert_uint_eq(f.vlan_count, 0);
    ck_assert_uint_eq(f.ip_version, 0);
    ck_assert_uint_eq(f.ttl, 0);
    ck_assert_uint_eq(f.src_port, 0);
    ck_assert_int_eq(memcmp(f.src_ip, zero, 16), 0);
    ck_assert_int_eq(memcmp(f.dst_ip, zero, 16), 0);
}
END_TEST

Suite *suite_link(void);

Suite *suite_link(void)
{
    Suite *s = suite_create("link");
    TCase *tc = tcase_create("samples");

    tcase_add_test(tc, test_every_sample_has_expectations);
    tcase_add_loop_test(tc, test_sample_fields, 0, (int)N_WANTS);
    tcase_add_loop_test(tc, test_sample_prefixes, 0, (int)N_WANTS);
    tcase_add_loop_test(tc, test_sample_cut_every_offset, 0, (int)N_WANTS);
    tcase_add_loop_test(tc, test_sample_ipv4_checksum, 0, (int)N_WANTS);
    suite_add_tcase(s, tc);

    tc = tcase_create("malformed");
    tcase_add_loop_test(tc, test_malformed, 0, (int)N_BADS);
    tcase_add_test(tc, test_limits_fields);
    tcase_add_test(tc, test_reuse_clears);
    suite_add_tcase(s, tc);
    return s;
}
