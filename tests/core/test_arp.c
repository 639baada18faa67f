/* test_arp.c - the ARP decoder against device-shaped bodies, cuts and malformed ones. */
#include <stdint.h>
#include <string.h>
#include <check.h>

#include "caps/arp.h"
#include "caps/error.h"
#include "sample.h"
#include "testutil.h"

extern const struct caps_sample_set caps_samples_arp;

struct arp_expect {
    const char *name;
    uint16_t htype;
    uint16_t op;
    enum caps_arp_kind kind;
    uint8_t sha[6];
    uint8_t spa[4];
    uint8_t tha[6];
    uint8_t tpa[4];
};

#define ZERO_MAC {0, 0, 0, 0, 0, 0}
#define BCAST_MAC {0xff, 0xff, 0xff, 0xff, 0xff, 0xff}

static const struct arp_expect expects[] = {
    {"windows10_request", 1, 1, CAPS_ARP_KIND_REQUEST,
     {0x3c, 0xa9, 0xf4, 0x5e, 0x21, 0x7a}, {192, 168, 1, 23}, ZERO_MAC, {192, 168, 1, 1}},
    {"linux_unicast_request", 1, 1, CAPS_ARP_KIND_REQUEST,
     {0x06, 0x8f, 0x3a, 0x1d, 0x8e, 0x45}, {192, 168, 57, 1},
     {0xc4, 0x61, 0x8b, 0xe0, 0x14, 0x5c}, {192, 168, 57, 41}},
    {"android_request", 1, 1, CAPS_ARP_KIND_REQUEST,
     {0x4c, 0x6a, 0xf6, 0x2b, 0x71, 0xd8}, {192, 168, 57, 34}, ZERO_MAC, {192, 168, 57, 1}},
    {"linux_reply", 1, 2, CAPS_ARP_KIND_REPLY,
     {0x06, 0x8f, 0x3a, 0x1d, 0x8e, 0x45}, {192, 168, 57, 1},
     {0x4c, 0x6a, 0xf6, 0x2b, 0x71, 0xd8}, {192, 168, 57, 34}},
    {"macos_request", 1, 1, CAPS_ARP_KIND_REQUEST,
     {0x78, 0x31, 0xc1, 0x4a, 0xd0, 0x19}, {10, 44, 7, 23}, ZERO_MAC, {10, 44, 7, 1}},
    {"arris_reply_fcs", 1, 2, CAPS_ARP_KIND_REPLY,
     {0xf8, 0xed, 0xa5, 0x37, 0xb8, 0x0e}, {10, 44, 7, 1},
     {0x78, 0x31, 0xc1, 0x4a, 0xd0, 0x19}, {10, 44, 7, 23}},
    {"padded60_reply", 1, 2, CAPS_ARP_KIND_REPLY,
     {0x00, 0xc0, 0xca, 0x6e, 0x23, 0xb4}, {172, 27, 14, 10},
     {0x78, 0xf8, 0x82, 0x5c, 0xa7, 0x31}, {172, 27, 14, 203}},
    {"macos_probe", 1, 1, CAPS_ARP_KIND_PROBE,
     {0x78, 0x31, 0xc1, 0x4a, 0xd0, 0x19}, {0, 0, 0, 0}, ZERO_MAC, {10, 44, 7, 23}},
    {"rfc5227_announcement", 1, 1, CAPS_ARP_KIND_ANNOUNCEMENT,
     {0x78, 0x31, 0xc1, 0x4a, 0xd0, 0x19}, {10, 44, 7, 23}, ZERO_MAC, {10, 44, 7, 23}},
    {"hsrp_gratuitous_reply", 1, 2, CAPS_ARP_KIND_GRATUITOUS_REPLY,
     {0x00, 0x00, 0x0c, 0x07, 0xac, 0x01}, {10, 1, 10, 1}, BCAST_MAC, {10, 1, 10, 1}},
    {"vrrp_gratuitous_request", 1, 1, CAPS_ARP_KIND_ANNOUNCEMENT,
     {0x00, 0x00, 0x5e, 0x00, 0x01, 0x33}, {192, 168, 1, 254}, BCAST_MAC,
     {192, 168, 1, 254}},
    {"ieee802_request", 6, 1, CAPS_ARP_KIND_REQUEST,
     {0x00, 0x1b, 0x21, 0x3a, 0x4b, 0x5c}, {192, 168, 0, 50}, ZERO_MAC, {192, 168, 0, 1}},
};

#define EXPECT_COUNT (int)(sizeof expects / sizeof expects[0])

static int parse_arp(const uint8_t *buf, size_t len, void *out)
{
    return caps_arp_parse(buf, len, out);
}

/* Every sample of the set has an expectation, and the reverse. */
START_TEST(test_arp_table_complete)
{
    ck_assert_uint_eq(caps_samples_arp.count, (size_t)EXPECT_COUNT);
    for (size_t i = 0; i < caps_samples_arp.count; i++) {
        int found = 0;
        for (int j = 0; j < EXPECT_COUNT; j++)
            found += strcmp(caps_samples_arp.samples[i].name, expects[j].name) == 0;
        ck_assert_msg(found == 1, "sample %s has %d expectations",
                      caps_samples_arp.samples[i].name, found);
    }
}
END_TEST

START_TEST(test_arp_sample_fields)
{
    const struct arp_expect *e = &expects[_i];
    const struct caps_sample *s = test_sample(&caps_samples_arp, e->name);
    struct caps_arp a;

    memset(&a, 0xA5, sizeof a);
    int rc = caps_arp_parse(s->bytes, s->len, &a);
    ck_assert_msg(rc == 0, "%s: rc %d (%s)", e->name, rc, caps_strerror(rc));
    ck_assert_msg(a.htype == e->htype, "%s: htype %u", e->name, a.htype);
    ck_assert_msg(a.op == e->op, "%s: op %u", e->name, a.op);
    ck_assert_msg(a.kind == e->kind, "%s: kind %s, want %s", e->name,
                  caps_arp_kind_name(a.kind), caps_arp_kind_name(e->kind));
    ck_assert_msg(memcmp(a.sha, e->sha, 6) == 0, "%s: sha", e->name);
    ck_assert_msg(memcmp(a.spa, e->spa, 4) == 0, "%s: spa %u.%u.%u.%u", e->name,
                  a.spa[0], a.spa[1], a.spa[2], a.spa[3]);
    ck_assert_msg(memcmp(a.tha, e->tha, 6) == 0, "%s: tha", e->name);
    ck_assert_msg(memcmp(a.tpa, e->tpa, 4) == 0, "%s: tpa %u.%u.%u.%u", e->name,
                  a.tpa[0], a.tpa[1], a.tpa[2], a.tpa[3]);
}
END_TEST

/* Every prefix: no over-read (exact-size heap copies under ASan), only the
 * prefixes holding the whole 28-byte body decode, the shorter ones are
 * reported truncated. */
START_TEST(test_arp_cut_every_offset)
{
    const struct caps_sample *s = &caps_samples_arp.samples[_i];
    struct caps_arp a;

    ck_assert_msg(s->len >= CAPS_ARP_BODY_BYTES, "%s: %zu bytes", s->name, s->len);
    size_t ok = test_cut_every_offset(s, parse_arp, &a, sizeof a);
    ck_assert_msg(ok == s->len - CAPS_ARP_BODY_BYTES + 1, "%s: %zu prefixes decoded",
                  s->name, ok);
    ck_assert_msg(caps_arp_parse(s->bytes, s->len, &a) == 0, "%s: full length", s->name);
    for (size_t cut = 0; cut < CAPS_ARP_BODY_BYTES; cut++) {
        int rc = caps_arp_parse(s->bytes, cut, &a);
        ck_assert_msg(rc == CAPS_E_TRUNCATED, "%s cut at %zu: rc %d", s->name, cut, rc);
    }
}
END_TEST

/* One byte of a valid request changed, or its length cut. */
struct arp_bad {
    const char *what;
    size_t offset;        /* byte to overwrite, or SIZE_MAX for none */
    uint8_t value;
    size_t len;           /* bytes handed to the parser */
    int rc;
};

static const struct arp_bad bad_cases[] = {
    {"htype 0", 1, 0x00, 28, CAPS_E_VERSION},
    {"htype 2 (Experimental Ethernet)", 1, 0x02, 28, CAPS_E_VERSION},
    {"htype 7 (ARCNET)", 1, 0x07, 28, CAPS_E_VERSION},
    {"htype 0x0101", 0, 0x01, 28, CAPS_E_VERSION},
    {"ptype 0x86dd", 2, 0x86, 28, CAPS_E_VERSION},
    {"ptype 0x0801", 3, 0x01, 28, CAPS_E_VERSION},
    {"hlen 8", 4, 0x08, 28, CAPS_E_VERSION},
    {"hlen 0", 4, 0x00, 28, CAPS_E_VERSION},
    {"plen 16", 5, 0x10, 28, CAPS_E_VERSION},
    {"op 0", 7, 0x00, 28, CAPS_E_FIELD},
    {"op 3 RARP request", 7, 0x03, 28, CAPS_E_FIELD},
    {"op 4 RARP reply", 7, 0x04, 28, CAPS_E_FIELD},
    {"op 8 InARP request", 7, 0x08, 28, CAPS_E_FIELD},
    {"op 9 InARP reply", 7, 0x09, 28, CAPS_E_FIELD},
    {"op 0x0101", 6, 0x01, 28, CAPS_E_FIELD},
    {"empty", SIZE_MAX, 0, 0, CAPS_E_TRUNCATED},
    {"7-byte header", SIZE_MAX, 0, 7, CAPS_E_TRUNCATED},
    {"header only", SIZE_MAX, 0, 8, CAPS_E_TRUNCATED},
    {"27 bytes", SIZE_MAX, 0, 27, CAPS_E_TRUNCATED},
    /* the header is judged before the length: a short RARP body is FIELD */
    {"short RARP", 7, 0x03, 12, CAPS_E_FIELD},
    {"short htype 2", 1, 0x02, 8, CAPS_E_VERSION},
};

START_TEST(test_arp_malformed)
{
    const struct arp_bad *b = &bad_cases[_i];
    const struct caps_sample *s = test_sample(&caps_samples_arp, "android_request");
    uint8_t buf[CAPS_ARP_BODY_BYTES];
    struct caps_arp a;

    memcpy(buf, s->bytes, sizeof buf);
    if (b->offset != SIZE_MAX)
        buf[b->offset] = b->value;
    int rc = caps_arp_parse(buf, b->len, &a);
    ck_assert_msg(rc == b->rc, "%s: rc %d (%s), want %d", b->what, rc, caps_err_name(rc),
                  b->rc);
}
END_TEST

/* Classification edge cases built on a valid request. */
START_TEST(test_arp_kind_edges)
{
    const struct caps_sample *s = test_sample(&caps_samples_arp, "android_request");
    uint8_t buf[CAPS_ARP_BODY_BYTES];
    struct caps_arp a;

    /* probe with target 0.0.0.0 too: spa zero decides, not spa == tpa */
    memcpy(buf, s->bytes, sizeof buf);
    memset(buf + 14, 0, 4);
    memset(buf + 24, 0, 4);
    ck_assert_int_eq(caps_arp_parse(buf, sizeof buf, &a), 0);
    ck_assert_int_eq(a.kind, CAPS_ARP_KIND_PROBE);

    /* a reply from 0.0.0.0 to 0.0.0.0 is no gratuitous reply */
    buf[7] = 2;
    ck_assert_int_eq(caps_arp_parse(buf, sizeof buf, &a), 0);
    ck_assert_int_eq(a.kind, CAPS_ARP_KIND_REPLY);

    /* a reply with spa == tpa is gratuitous whatever tha holds (RFC 5944
     * sets tha = sha, Cisco broadcast) */
    memcpy(buf, s->bytes, sizeof buf);
    buf[7] = 2;
    memcpy(buf + 24, buf + 14, 4);
    memcpy(buf + 18, buf + 8, 6);
    ck_assert_int_eq(caps_arp_parse(buf, sizeof buf, &a), 0);
    ck_assert_int_eq(a.kind, CAPS_ARP_KIND_GRATUITOUS_REPLY);
    ck_assert_int_eq(memcmp(a.tha, a.sha, 6), 0);

    /* addresses differing only in the last octet are not equal */
    buf[27] ^= 1;
    ck_assert_int_eq(caps_arp_parse(buf, sizeof buf, &a), 0);
    ck_assert_int_eq(a.kind, CAPS_ARP_KIND_REPLY);

    /* trailing bytes are ignored whatever they hold */
    uint8_t big[64];
    memset(big, 0xee, sizeof big);
    memcpy(big, s->bytes, CAPS_ARP_BODY_BYTES);
    ck_assert_int_eq(caps_arp_parse(big, sizeof big, &a), 0);
    ck_assert_int_eq(a.kind, CAPS_ARP_KIND_REQUEST);
    ck_assert_int_eq(a.tpa[3], 1);
}
END_TEST

START_TEST(test_arp_kind_names)
{
    ck_assert_str_eq(caps_arp_kind_name(CAPS_ARP_KIND_REQUEST), "request");
    ck_assert_str_eq(caps_arp_kind_name(CAPS_ARP_KIND_REPLY), "reply");
    ck_assert_str_eq(caps_arp_kind_name(CAPS_ARP_KIND_PROBE), "probe");
    ck_assert_str_eq(caps_arp_kind_name(CAPS_ARP_KIND_ANNOUNCEMENT), "announcement");
    ck_assert_str_eq(caps_arp_kind_name(CAPS_ARP_KIND_GRATUITOUS_REPLY),
                     "gratuitous_reply");
    ck_assert_str_eq(caps_arp_kind_name((enum caps_arp_kind)0), "unknown");
    ck_assert_str_eq(caps_arp_kind_name((enum caps_arp_kind)99), "unknown");
}
END_TEST

Suite *suite_arp(void);

Suite *suite_arp(void)
{
    Suite *s = suite_create("arp");
    TCase *tc = tcase_create("samples");

    tcase_add_test(tc, test_arp_table_complete);
    tcase_add_loop_test(tc, test_arp_sample_fields, 0, EXPECT_COUNT);
    tcase_add_loop_test(tc, test_arp_cut_every_offset, 0, (int)caps_samples_arp.count);
    suite_add_tcase(s, tc);

    tc = tcase_create("malformed");
    tcase_add_loop_test(tc, test_arp_malformed, 0,
                        (int)(sizeof bad_cases / sizeof bad_cases[0]));
    tcase_add_test(tc, test_arp_kind_edges);
    tcase_add_test(tc, test_arp_kind_names);
    suite_add_tcase(s, tc);
    return s;
}
