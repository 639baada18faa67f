/* test_nbns.c - Check suite of the NetBIOS name service decoder (nbns.c,
 * netbios_name.c): every sample's decoded fields, cuts at every offset, and
 * malformed names, pointers, lengths and limits with their exact codes.
 */
#include <stdio.h>
#include <string.h>
#include <check.h>

#include "caps/error.h"
#include "caps/nbns.h"
#include "sample.h"
#include "testutil.h"

extern const struct caps_sample_set caps_samples_nbns;

#define EXPECT_INT(name, got, want)                                                   \
    ck_assert_msg((long long)(got) == (long long)(want), "%s: %s is %lld, want %lld", \
                  (name), #got, (long long)(got), (long long)(want))
#define EXPECT_STR(name, got, want)                                                   \
    ck_assert_msg(strcmp((got), (want)) == 0, "%s: %s is \"%s\", want \"%s\"", (name), \
                  #got, (got), (want))

static int parse_nbns(const uint8_t *buf, size_t len, void *out)
{
    return caps_nbns_parse(buf, len, out);
}

/* ---- expected fields of every sample ----------------------------------- */

struct nbns_case {
    const char *sample;
    uint16_t trn_id, flags;
    uint8_t response, opcode, aa, rd, ra, bcast, rcode;
    uint16_t qd, an, ns, ar;
    enum caps_nbns_kind kind;
    const char *qname;  /* NULL: no question */
    uint8_t qsuffix;
    uint16_t qtype;
    const char *qscope;
    const char *rrname; /* NULL: no record */
    uint8_t rrsuffix;
    uint16_t rrtype;
    uint8_t section;
    uint32_t ttl_s;
    uint16_t rdlength;
    uint16_t addr_count;
    uint8_t group, ont;
    uint8_t ip[2][4];
    uint16_t wack_flags;
    uint8_t node_names;
};

#define W10_IP {192, 168, 1, 23}
#define SMB_IP {192, 168, 1, 10}

static const struct nbns_case nbns_cases[] = {
    {.sample = "win10_register_workgroup", .trn_id = 0x8a41, .flags = 0x2910, .opcode = 5,
     .rd = 1, .bcast = 1, .qd = 1, .ar = 1, .kind = CAPS_NBNS_KIND_REGISTRATION,
     .qname = "WORKGROUP", .qsuffix = 0x00, .qtype = 0x20, .qscope = "",
     .rrname = "WORKGROUP", .rrsuffix = 0x00, .rrtype = 0x20,
     .section = CAPS_NBNS_SECTION_ADDITIONAL, .ttl_s = 300000, .rdlength = 6,
     .addr_count = 1, .group = 1, .ont = 0, .ip = {W10_IP}},
    {.sample = "win10_register_desktop_00", .trn_id = 0x8a42, .flags = 0x2910, .opcode = 5,
     .rd = 1, .bcast = 1, .qd = 1, .ar = 1, .kind = CAPS_NBNS_KIND_REGISTRATION,
     .qname = "DESKTOP-ABC123", .qsuffix = 0x00, .qtype = 0x20, .qscope = "",
     .rrname = "DESKTOP-ABC123", .rrsuffix = 0x00, .rrtype = 0x20,
     .section = CAPS_NBNS_SECTION_ADDITIONAL, .ttl_s = 300000, .rdlength = 6,
     .addr_count = 1, .group = 0, .ont = 0, .ip = {W10_IP}},
    {.sample = "win10_register_desktop_20", .trn_id = 0x8a43, .flags = 0x2910, .opcode = 5,
     .rd = 1, .bcast = 1, .qd = 1, .ar = 1, .kind = CAPS_NBNS_KIND_REGISTRATION,
     .qname = "DESKTOP-ABC123", .qsuffix = 0x20, .qtype = 0x20, .qscope = "",
     .rrname = "DESKTOP-ABC123", .rrsuffix = 0x20, .rrtype = 0x20,
     .section = CAPS_NBNS_SECTION_ADDITIONAL, .ttl_s = 300000, .rdlength = 6,
     .addr_count = 1, .group = 0, .ont = 0, .ip = {W10_IP}},
    {.sample = "samba_wins_refresh", .trn_id = 0x1f2e, .flags = 0x4000, .opcode = 8,
     .qd = 1, .ar = 1, .kind = CAPS_NBNS_KIND_REFRESH,
     .qname = "FILESERVER", .qsuffix = 0x20, .qtype = 0x20, .qscope = "",
     .rrname = "FILESERVER", .rrsuffix = 0x20, .rrtype = 0x20,
     .section = CAPS_NBNS_SECTION_ADDITIONAL, .ttl_s = 259200, .rdlength = 6,
     .addr_count = 1, .group = 0, .ont = 3, .ip = {SMB_IP}},
    {.sample = "rfc1002_refresh_opcode9", .trn_id = 0x8a44, .flags = 0x4800, .opcode = 9,
     .qd = 1, .ar = 1, .kind = CAPS_NBNS_KIND_REFRESH,
     .qname = "DESKTOP-ABC123", .qsuffix = 0x00, .qtype = 0x20, .qscope = "",
     .rrname = "DESKTOP-ABC123", .rrsuffix = 0x00, .rrtype = 0x20,
     .section = CAPS_NBNS_SECTION_ADDITIONAL, .ttl_s = 300000, .rdlength = 6,
     .addr_count = 1, .group = 0, .ont = 3, .ip = {W10_IP}},
    {.sample = "win10_release_desktop_20", .trn_id = 0x8a50, .flags = 0x3010, .opcode = 6,
     .bcast = 1, .qd = 1, .ar = 1, .kind = CAPS_NBNS_KIND_RELEASE,
     .qname = "DESKTOP-ABC123", .qsuffix = 0x20, .qtype = 0x20, .qscope = "",
     .rrname = "DESKTOP-ABC123", .rrsuffix = 0x20, .rrtype = 0x20,
     .section = CAPS_NBNS_SECTION_ADDITIONAL, .ttl_s = 0, .rdlength = 6,
     .addr_count = 1, .group = 0, .ont = 0, .ip = {W10_IP}},
    {.sample = "win10_query_wpad", .trn_id = 0x8a60, .flags = 0x0110, .opcode = 0,
     .rd = 1, .bcast = 1, .qd = 1, .kind = CAPS_NBNS_KIND_QUERY,
     .qname = "WPAD", .qsuffix = 0x00, .qtype = 0x20, .qscope = ""},
    {.sample = "win10_nbstat_query_star", .trn_id = 0x8a61, .flags = 0x0000, .opcode = 0,
     .qd = 1, .kind = CAPS_NBNS_KIND_NODE_STATUS_REQUEST,
     .qname = "*", .qsuffix = 0x00, .qtype = 0x21, .qscope = ""},
    {.sample = "win10_query_response_positive", .trn_id = 0x3a2b, .flags = 0x8500,
     .response = 1, .opcode = 0, .aa = 1, .rd = 1, .an = 1,
     .kind = CAPS_NBNS_KIND_POSITIVE_RESPONSE,
     .rrname = "DESKTOP-ABC123", .rrsuffix = 0x20, .rrtype = 0x20,
     .section = CAPS_NBNS_SECTION_ANSWER, .ttl_s = 300000, .rdlength = 6,
     .addr_count = 1, .group = 0, .ont = 0, .ip = {W10_IP}},
    {.sample = "samba_wins_wack", .trn_id = 0x8a45, .flags = 0xbc00, .response = 1,
     .opcode = 7, .aa = 1, .an = 1, .kind = CAPS_NBNS_KIND_WACK,
     .rrname = "DESKTOP-ABC123", .rrsuffix = 0x00, .rrtype = 0x20,
     .section = CAPS_NBNS_SECTION_ANSWER, .ttl_s = 60, .rdlength = 2, .wack_flags = 0x2900},
    {.sample = "samba_node_status_response", .trn_id = 0x8a61, .flags = 0x8400,
     .response = 1, .opcode = 0, .aa = 1, .an = 1,
     .kind = CAPS_NBNS_KIND_NODE_STATUS_RESPONSE,
     .rrname = "*", .rrsuffix = 0x00, .rrtype = 0x21, .section = CAPS_NBNS_SECTION_ANSWER,
     .ttl_s = 0, .rdlength = 173, .node_names = 7},
    {.sample = "win10_node_status_response", .trn_id = 0x5c1d, .flags = 0x8400,
     .response = 1, .opcode = 0, .aa = 1, .an = 1,
     .kind = CAPS_NBNS_KIND_NODE_STATUS_RESPONSE,
     .rrname = "*", .rrsuffix = 0x00, .rrtype = 0x21, .section = CAPS_NBNS_SECTION_ANSWER,
     .ttl_s = 0, .rdlength = 119, .node_names = 4},
    {.sample = "samba_negative_registration_response", .trn_id = 0x51c3, .flags = 0xad06,
     .response = 1, .opcode = 5, .aa = 1, .rd = 1, .rcode = 6, .an = 1,
     .kind = CAPS_NBNS_KIND_NEGATIVE_RESPONSE,
     .rrname = "FILESERVER", .rrsuffix = 0x20, .rrtype = 0x20,
     .section = CAPS_NBNS_SECTION_ANSWER, .ttl_s = 0, .rdlength = 6,
     .addr_count = 1, .group = 0, .ont = 0, .ip = {{192, 168, 1, 77}}},
    {.sample = "samba_wins_negative_query_response", .trn_id = 0x8a62, .flags = 0x8583,
     .response = 1, .opcode = 0, .aa = 1, .rd = 1, .ra = 1, .rcode = 3, .an = 1,
     .kind = CAPS_NBNS_KIND_NEGATIVE_RESPONSE,
     .rrname = "PRINTER01", .rrsuffix = 0x20, .rrtype = 0x20,
     .section = CAPS_NBNS_SECTION_ANSWER, .ttl_s = 0, .rdlength = 0, .addr_count = 0},
    {.sample = "samba_wins_query_response_multihomed", .trn_id = 0x8a63, .flags = 0x8580,
     .response = 1, .opcode = 0, .aa = 1, .rd = 1, .ra = 1, .an = 1,
     .kind = CAPS_NBNS_KIND_POSITIVE_RESPONSE,
     .rrname = "FILESERVER", .rrsuffix = 0x20, .rrtype = 0x20,
     .section = CAPS_NBNS_SECTION_ANSWER, .ttl_s = 259200, .rdlength = 12,
     .addr_count = 2, .group = 0, .ont = 3, .ip = {SMB_IP, {10, 20, 0, 10}}},
    {.sample = "samba_nmblookup_query_scope", .trn_id = 0x2b7e, .flags = 0x0010, .opcode = 0,
     .bcast = 1, .qd = 1, .kind = CAPS_NBNS_KIND_QUERY,
     .qname = "FILESERVER", .qsuffix = 0x20, .qtype = 0x20, .qscope = "corp.example"},
};

#define NBNS_CASES (sizeof nbns_cases / sizeof nbns_cases[0])

START_TEST(test_nbns_sample_fields)
{
    const struct nbns_case *k = &nbns_cases[_i];
    const struct caps_sample *s = test_sample(&caps_samples_nbns, k->sample);
    const char *n = k->sample;
    struct caps_nbns m;
    int rc = caps_nbns_parse(s->bytes, s->len, &m);

    ck_assert_msg(rc == CAPS_OK, "%s: parse returned %d (%s)", n, rc, caps_err_name(rc));
    EXPECT_INT(n, m.trn_id, k->trn_id);
    EXPECT_INT(n, m.flags, k->flags);
    EXPECT_INT(n, m.response, k->response);
    EXPECT_INT(n, m.opcode, k->opcode);
    EXPECT_INT(n, m.aa, k->aa);
    EXPECT_INT(n, m.tc, 0);
    EXPECT_INT(n, m.rd, k->rd);
    EXPECT_INT(n, m.ra, k->ra);
    EXPECT_INT(n, m.broadcast, k->bcast);
    EXPECT_INT(n, m.rcode, k->rcode);
    EXPECT_INT(n, m.qdcount, k->qd);
    EXPECT_INT(n, m.ancount, k->an);
    EXPECT_INT(n, m.nscount, k->ns);
    EXPECT_INT(n, m.arcount, k->ar);
    EXPECT_INT(n, m.kind, k->kind);

    EXPECT_INT(n, m.has_question, k->qname != NULL);
    if (k->qname != NULL) {
        EXPECT_STR(n, m.qname.name, k->qname);
        EXPECT_INT(n, m.qname.suffix, k->qsuffix);
        EXPECT_INT(n, m.qname.raw[15], k->qsuffix);
        EXPECT_STR(n, m.qname.scope, k->qscope);
        EXPECT_INT(n, m.qtype, k->qtype);
        EXPECT_INT(n, m.qclass, CAPS_NBNS_CLASS_IN);
    }
    EXPECT_INT(n, m.has_rr, k->rrname != NULL);
    if (k->rrname == NULL) {
        EXPECT_INT(n, m.rr_section, CAPS_NBNS_SECTION_NONE);
        return;
    }
    EXPECT_STR(n, m.rr_name.name, k->rrname);
    EXPECT_INT(n, m.rr_name.suffix, k->rrsuffix);
    EXPECT_STR(n, m.rr_name.scope, "");
    EXPECT_INT(n, m.rr_type, k->rrtype);
    EXPECT_INT(n, m.rr_class, CAPS_NBNS_CLASS_IN);
    EXPECT_INT(n, m.rr_section, k->section);
    EXPECT_INT(n, m.ttl_s, k->ttl_s);
    EXPECT_INT(n, m.rdlength, k->rdlength);
    EXPECT_INT(n, m.wack_flags, k->wack_flags);
    EXPECT_INT(n, m.node_name_count, k->node_names);
    if (k->rrtype == CAPS_NBNS_TYPE_NB && k->kind != CAPS_NBNS_KIND_WACK) {
        EXPECT_INT(n, m.addr_count, k->addr_count);
        EXPECT_INT(n, m.addrs_kept, k->addr_count);
        EXPECT_INT(n, m.group, k->group);
        EXPECT_INT(n, m.ont, k->ont);
        for (size_t i = 0; i < k->addr_count && i < 2; i++)
            ck_assert_msg(memcmp(m.addrs[i].ip, k->ip[i], 4) == 0, "%s: address %zu is %u.%u.%u.%u",
                          n, i, m.addrs[i].ip[0], m.addrs[i].ip[1], m.addrs[i].ip[2],
                          m.addrs[i].ip[3]);
    } else {
        EXPECT_INT(n, m.addr_count, 0);
    }
}
END_TEST

/* Every sample of the set has a row in nbns_cases, so none goes unchecked. */
START_TEST(test_nbns_every_sample_has_a_case)
{
    for (size_t i = 0; i < caps_samples_nbns.count; i++) {
        int found = 0;
        for (size_t j = 0; j < NBNS_CASES; j++)
            found |= strcmp(caps_samples_nbns.samples[i].name, nbns_cases[j].sample) == 0;
        ck_assert_msg(found, "sample %s has no expected fields", caps_samples_nbns.samples[i].name);
    }
    ck_assert_uint_ge(caps_samples_nbns.count, 10);
}
END_TEST

struct node_expect {
    const char *name;
    uint8_t suffix;
    uint16_t flags;
};

static void check_node_table(const char *sample, const struct node_expect *want, size_t count,
                             const uint8_t mac[6])
{
    const struct caps_sample *s = test_sample(&caps_samples_nbns, sample);
    struct caps_nbns m;

    ck_assert_int_eq(caps_nbns_parse(s->bytes, s->len, &m), CAPS_OK);
    EXPECT_INT(sample, m.node_name_count, count);
    EXPECT_INT(sample, m.node_names_kept, count);
    for (size_t i = 0; i < count; i++) {
        ck_assert_msg(strcmp(m.node_names[i].name, want[i].name) == 0,
                      "%s: name %zu is \"%s\", want \"%s\"", sample, i, m.node_names[i].name,
                      want[i].name);
        EXPECT_INT(sample, m.node_names[i].suffix, want[i].suffix);
        EXPECT_INT(sample, m.node_names[i].raw[15], want[i].suffix);
        EXPECT_INT(sample, m.node_names[i].flags, want[i].flags);
    }
    EXPECT_INT(sample, m.has_unit_id, 1);
    ck_assert_msg(memcmp(m.mac, mac, 6) == 0, "%s: unit id %02x:%02x:%02x:%02x:%02x:%02x",
                  sample, m.mac[0], m.mac[1], m.mac[2], m.mac[3], m.mac[4], m.mac[5]);
}

START_TEST(test_nbns_node_status_samba)
{
    static const struct node_expect want[] = {
        {"FILESERVER", 0x00, 0x0400}, {"FILESERVER", 0x03, 0x0400},
        {"FILESERVER", 0x20, 0x0400}, {"??__MSBROWSE__?", 0x01, 0x8400},
        {"WORKGROUP", 0x00, 0x8400},  {"WORKGROUP", 0x1d, 0x0400},
        {"WORKGROUP", 0x1e, 0x8400},
    };
    static const uint8_t zero_mac[6] = {0};
    static const uint8_t msbrowse[16] = {1, 2, '_', '_', 'M', 'S', 'B', 'R',
                                         'O', 'W', 'S', 'E', '_', '_', 2, 1};
    const struct caps_sample *s = test_sample(&caps_samples_nbns, "samba_node_status_response");
    struct caps_nbns m;

    check_node_table("samba_node_status_response", want, 7, zero_mac);
    ck_assert_int_eq(caps_nbns_parse(s->bytes, s->len, &m), CAPS_OK);
    ck_assert(memcmp(m.node_names[3].raw, msbrowse, 16) == 0);
    ck_assert(memcmp(m.rr_name.raw, "*\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 16) == 0);
}
END_TEST

START_TEST(test_nbns_node_status_windows_mac)
{
    static const struct node_expect want[] = {
        {"DESKTOP-ABC123", 0x00, 0x0400}, {"WORKGROUP", 0x00, 0x8400},
        {"DESKTOP-ABC123", 0x20, 0x0400}, {"WORKGROUP", 0x1e, 0x8400},
    };
    static const uint8_t mac[6] = {0x18, 0x66, 0xda, 0x3c, 0x5e, 0x7f};

    check_node_table("win10_node_status_response", want, 4, mac);
}
END_TEST

START_TEST(test_nbns_kind_names)
{
    for (int k = 0; k < CAPS_NBNS_KIND_COUNT; k++) {
        const char *a = caps_nbns_kind_name((enum caps_nbns_kind)k);
        ck_assert_ptr_nonnull(a);
        for (int j = 0; j < k; j++)
            ck_assert_str_ne(a, caps_nbns_kind_name((enum caps_nbns_kind)j));
    }
    ck_assert_str_eq(caps_nbns_kind_name(CAPS_NBNS_KIND_QUERY), "query");
    ck_assert_str_eq(caps_nbns_kind_name(CAPS_NBNS_KIND_WACK), "wack");
    ck_assert_str_eq(caps_nbns_kind_name(CAPS_NBNS_KIND_NODE_STATUS_RESPONSE),
                     "node_status_response");
    ck_assert_str_eq(caps_nbns_kind_name(CAPS_NBNS_KIND_COUNT), "unknown");
    ck_assert_str_eq(caps_nbns_kind_name((enum caps_nbns_kind)-1), "unknown");
}
END_TEST

/* ---- cut at every offset ------------------------------------------------ */

START_TEST(test_nbns_cut_every_offset)
{
    const struct caps_sample *s = &caps_samples_nbns.samples[_i];
    struct caps_nbns m;

    ck_assert_msg(caps_nbns_parse(s->bytes, s->len, &m) == CAPS_OK, "%s: full sample fails",
                  s->name);
    for (size_t cut = 0; cut < 12 && cut < s->len; cut++)
        ck_assert_msg(caps_nbns_parse(s->bytes, cut, &m) == CAPS_E_TRUNCATED,
                      "%s: %zu-byte prefix decodes", s->name, cut);
    /* Each sample ends with the last field the decoder needs, so only the
     * full length decodes. */
    size_t ok = test_cut_every_offset(s, parse_nbns, &m, sizeof m);
    ck_assert_msg(ok == 1, "%s: %zu prefixes decode, want only the full one", s->name, ok);
}
END_TEST

/* ---- malformed and limit cases ------------------------------------------ */

#define BUF_MAX 2048

/* Writes the first-level encoding of name (space padded) + suffix at p. */
static size_t put_encoded(uint8_t *p, const char *name, uint8_t suffix)
{
    uint8_t raw[16];
    size_t n = strlen(name);

    memset(raw, ' ', 15);
    memcpy(raw, name, n);
    raw[15] = suffix;
    p[0] = 32;
    for (size_t i = 0; i < 16; i++) {
        p[1 + 2 * i] = (uint8_t)('A' + (raw[i] >> 4));
        p[2 + 2 * i] = (uint8_t)('A' + (raw[i] & 15));
    }
    return 33;
}

static size_t put_be16(uint8_t *p, unsigned v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
    return 2;
}

static size_t put_header(uint8_t *p, unsigned flags, unsigned qd, unsigned an, unsigned ar)
{
    put_be16(p, 0x1234);
    put_be16(p + 2, flags);
    put_be16(p + 4, qd);
    put_be16(p + 6, an);
    put_be16(p + 8, 0);
    put_be16(p + 10, ar);
    return 12;
}

static size_t copy_sample(uint8_t *b, const char *name)
{
    const struct caps_sample *s = test_sample(&caps_samples_nbns, name);
    ck_assert_uint_le(s->len, BUF_MAX);
    memcpy(b, s->bytes, s->len);
    return s->len;
}

/* Offsets in the 68-byte registration samples: question name at 12, its
 * first character at 13, the additional record's pointer at 50, RDLENGTH at
 * 60, RDATA at 62. In the 50-byte query samples QUESTION_TYPE is at 46. */
#define REG "win10_register_desktop_00"
#define Q_WPAD "win10_query_wpad"

static size_t bad_half_ascii(uint8_t *b)
{
    size_t n = copy_sample(b, REG);
    b[13] = 'Q';
    return n;
}

static size_t lower_case_half_ascii(uint8_t *b)
{
    size_t n = copy_sample(b, REG);
    b[20] = 'e';
    return n;
}

/* Shortens the question name label to len characters, all 'A'. */
static size_t encoded_len(uint8_t *b, size_t len)
{
    size_t n = put_header(b, 0x0110, 1, 0, 0);
    b[n++] = (uint8_t)len;
    memset(b + n, 'A', len);
    n += len;
    b[n++] = 0;
    n += put_be16(b + n, CAPS_NBNS_TYPE_NB);
    n += put_be16(b + n, CAPS_NBNS_CLASS_IN);
    return n;
}

static size_t encoded_len_30(uint8_t *b)
{
    return encoded_len(b, 30);
}

static size_t encoded_len_34(uint8_t *b)
{
    return encoded_len(b, 34);
}

static size_t root_name(uint8_t *b)
{
    return encoded_len(b, 0);
}

static size_t reserved_label_type(uint8_t *b)
{
    size_t n = copy_sample(b, Q_WPAD);
    b[12] = 0x60;  /* label type 01 */
    return n;
}

static size_t pointer_to_itself(uint8_t *b)
{
    size_t n = copy_sample(b, REG);
    b[51] = 50;
    return n;
}

static size_t pointer_forward(uint8_t *b)
{
    size_t n = copy_sample(b, REG);
    b[51] = 56;
    return n;
}

/* A pointer to a well-formed name that sits after it: forward, so refused
 * even though following it would decode. */
static size_t pointer_forward_to_valid_name(uint8_t *b)
{
    size_t n = put_header(b, 0x8500, 0, 1, 0);

    b[n++] = 0xC0;
    b[n++] = 12 + 2 + 10 + 6;  /* the name after the record, at offset 30 */
    n += put_be16(b + n, CAPS_NBNS_TYPE_NB);
    n += put_be16(b + n, CAPS_NBNS_CLASS_IN);
    n += put_be16(b + n, 0);
    n += put_be16(b + n, 60);
    n += put_be16(b + n, 6);
    memcpy(b + n, "\x00\x00\xc0\xa8\x01\x0a", 6);
    n += 6;
    n += put_encoded(b + n, "AFTER", 0x20);
    b[n++] = 0;
    return n;
}

static size_t question_pointer_to_itself(uint8_t *b)
{
    size_t n = copy_sample(b, Q_WPAD);
    b[12] = 0xC0;
    b[13] = 12;
    return n;
}

static size_t pointer_in_own_segment(uint8_t *b)
{
    /* RR name: a 32-character label, then a pointer back to that label. */
    size_t n = put_header(b, 0x8500, 0, 1, 0);
    n += put_encoded(b + n, "LOOP", 0x20);
    b[n++] = 0xC0;
    b[n++] = 12;
    return n;
}

/* A registration whose additional record reaches the question name through a
 * chain of jumps pointers: the record's pointer, then jumps - 1 pointers
 * stored in a scope label of the question, each pointing to the one before,
 * the first to the question at offset 12. */
static size_t pointer_chain(uint8_t *b, unsigned jumps)
{
    size_t n = put_header(b, 0x2910, 1, 0, 1);
    size_t label = 12 + 33;

    n += put_encoded(b + n, "FILESERVER", 0x20);
    b[n++] = (uint8_t)(2 * (jumps - 1));  /* scope label holding the pointers */
    for (unsigned k = 0; k + 1 < jumps; k++) {
        size_t at = label + 1 + 2 * k;
        size_t to = k == 0 ? 12 : at - 2;
        b[n++] = (uint8_t)(0xC0 | to >> 8);
        b[n++] = (uint8_t)to;
    }
    b[n++] = 0;
    n += put_be16(b + n, CAPS_NBNS_TYPE_NB);
    n += put_be16(b + n, CAPS_NBNS_CLASS_IN);
    size_t last = jumps > 1 ? label + 1 + 2 * (jumps - 2) : 12;
    b[n++] = (uint8_t)(0xC0 | last >> 8);
    b[n++] = (uint8_t)last;
    n += put_be16(b + n, CAPS_NBNS_TYPE_NB);
    n += put_be16(b + n, CAPS_NBNS_CLASS_IN);
    n += put_be16(b + n, 0);
    n += put_be16(b + n, 0);  /* TTL 0 */
    n += put_be16(b + n, 6);
    n += put_be16(b + n, 0);
    memcpy(b + n, "\xc0\xa8\x01\x0a", 4);
    return n + 4;
}

static size_t pointer_chain_too_long(uint8_t *b)
{
    return pointer_chain(b, CAPS_NB_NAME_JUMPS_MAX + 1);
}

static size_t name_over_255(uint8_t *b)
{
    size_t n = put_header(b, 0x0110, 1, 0, 0);

    n += put_encoded(b + n, "LONG", 0x00);
    for (int i = 0; i < 4; i++) {  /* 33 + 4 * 64 + 1 > 255 */
        b[n++] = 63;
        memset(b + n, 'x', 63);
        n += 63;
    }
    b[n++] = 0;
    n += put_be16(b + n, CAPS_NBNS_TYPE_NB);
    n += put_be16(b + n, CAPS_NBNS_CLASS_IN);
    return n;
}

static size_t rdlength_5(uint8_t *b)
{
    size_t n = copy_sample(b, REG);
    b[61] = 5;
    return n - 1;
}

static size_t rdlength_7(uint8_t *b)
{
    size_t n = copy_sample(b, REG);
    b[61] = 7;
    b[n] = 0;
    return n + 1;
}

static size_t rdlength_past_end(uint8_t *b)
{
    size_t n = copy_sample(b, REG);
    b[61] = 12;
    return n;
}

static size_t wack_rdlength_3(uint8_t *b)
{
    size_t n = copy_sample(b, "samba_wins_wack");
    b[n - 3] = 3;  /* RDLENGTH just before the 2-byte RDATA */
    b[n] = 0;
    return n + 1;
}

static size_t node_names_past_rdata(uint8_t *b)
{
    size_t n = copy_sample(b, "samba_node_status_response");
    b[12 + 34 + 10] = 10;  /* NUM_NAMES 10, but 7 names and 46 bytes follow */
    return n;
}

static size_t unknown_opcode(uint8_t *b)
{
    size_t n = copy_sample(b, Q_WPAD);
    b[2] = (uint8_t)(3 << 3 | 1);  /* opcode 3, RD */
    return n;
}

static size_t qdcount_2(uint8_t *b)
{
    size_t n = copy_sample(b, Q_WPAD);
    b[5] = 2;
    return n;
}

static size_t request_without_question(uint8_t *b)
{
    size_t n = copy_sample(b, Q_WPAD);
    b[5] = 0;
    return n;
}

static size_t response_without_record(uint8_t *b)
{
    size_t n = copy_sample(b, "win10_query_response_positive");
    b[7] = 0;
    return n;
}

static size_t question_type_a(uint8_t *b)
{
    size_t n = copy_sample(b, Q_WPAD);
    b[47] = CAPS_NBNS_TYPE_A;
    return n;
}

static size_t header_11_bytes(uint8_t *b)
{
    copy_sample(b, Q_WPAD);
    return 11;
}

static size_t answer_name_truncated(uint8_t *b)
{
    return copy_sample(b, "win10_query_response_positive") - 40;
}

struct nbns_bad {
    const char *name;
    size_t (*build)(uint8_t *b);
    int rc;
};

static const struct nbns_bad nbns_bad_cases[] = {
    {"bad_half_ascii_char", bad_half_ascii, CAPS_E_NAME},
    {"lower_case_half_ascii", lower_case_half_ascii, CAPS_E_NAME},
    {"encoded_name_length_30", encoded_len_30, CAPS_E_NAME},
    {"encoded_name_length_34", encoded_len_34, CAPS_E_NAME},
    {"root_name", root_name, CAPS_E_NAME},
    {"reserved_label_type", reserved_label_type, CAPS_E_NAME},
    {"name_over_255_bytes", name_over_255, CAPS_E_NAME},
    {"pointer_to_itself", pointer_to_itself, CAPS_E_NAME_LOOP},
    {"pointer_forward", pointer_forward, CAPS_E_NAME_LOOP},
    {"pointer_forward_to_valid_name", pointer_forward_to_valid_name, CAPS_E_NAME_LOOP},
    {"question_pointer_to_itself", question_pointer_to_itself, CAPS_E_NAME_LOOP},
    {"pointer_in_own_segment", pointer_in_own_segment, CAPS_E_NAME_LOOP},
    {"pointer_chain_too_long", pointer_chain_too_long, CAPS_E_NAME_LOOP},
    {"rdlength_5", rdlength_5, CAPS_E_LENGTH},
    {"rdlength_7", rdlength_7, CAPS_E_LENGTH},
    {"rdlength_past_end", rdlength_past_end, CAPS_E_TRUNCATED},
    {"wack_rdlength_3", wack_rdlength_3, CAPS_E_LENGTH},
    {"node_names_past_rdata", node_names_past_rdata, CAPS_E_LENGTH},
    {"unknown_opcode", unknown_opcode, CAPS_E_FIELD},
    {"qdcount_2", qdcount_2, CAPS_E_FIELD},
    {"request_without_question", request_without_question, CAPS_E_FIELD},
    {"response_without_record", response_without_record, CAPS_E_FIELD},
    {"question_type_a", question_type_a, CAPS_E_FIELD},
    {"header_11_bytes", header_11_bytes, CAPS_E_TRUNCATED},
    {"answer_name_truncated", answer_name_truncated, CAPS_E_TRUNCATED},
};

START_TEST(test_nbns_malformed)
{
    const struct nbns_bad *k = &nbns_bad_cases[_i];
    static uint8_t b[BUF_MAX];
    struct caps_nbns m;
    size_t n = k->build(b);
    int rc = caps_nbns_parse(b, n, &m);

    ck_assert_msg(rc == k->rc, "%s: parse returned %d (%s), want %d (%s)", k->name, rc,
                  caps_err_name(rc), k->rc, caps_err_name(k->rc));
}
END_TEST

START_TEST(test_nbns_pointer_chain_at_limit)
{
    static uint8_t b[BUF_MAX];
    struct caps_nbns m;
    size_t n = pointer_chain(b, CAPS_NB_NAME_JUMPS_MAX);

    ck_assert_int_eq(caps_nbns_parse(b, n, &m), CAPS_OK);
    ck_assert_str_eq(m.rr_name.name, "FILESERVER");
    ck_assert_int_eq(m.rr_name.suffix, 0x20);
    ck_assert_str_eq(m.rr_name.scope, m.qname.scope);
    ck_assert_int_eq(m.addr_count, 1);
    ck_assert_int_eq(m.kind, CAPS_NBNS_KIND_REGISTRATION);
}
END_TEST

START_TEST(test_nbns_addresses_beyond_max)
{
    static uint8_t b[BUF_MAX];
    struct caps_nbns m;
    size_t n = put_header(b, 0x8580, 0, 1, 0);
    const unsigned count = CAPS_NBNS_ADDRS_MAX + 2;

    n += put_encoded(b + n, "MULTI", 0x20);
    b[n++] = 0;
    n += put_be16(b + n, CAPS_NBNS_TYPE_NB);
    n += put_be16(b + n, CAPS_NBNS_CLASS_IN);
    n += put_be16(b + n, 0);
    n += put_be16(b + n, 600);
    n += put_be16(b + n, 6 * count);
    for (unsigned i = 0; i < count; i++) {
        n += put_be16(b + n, i == 0 ? 0x8000 : 0x2000);
        b[n++] = 10;
        b[n++] = 0;
        b[n++] = 0;
        b[n++] = (uint8_t)(i + 1);
    }
    ck_assert_int_eq(caps_nbns_parse(b, n, &m), CAPS_OK);
    ck_assert_int_eq(m.addr_count, count);
    ck_assert_int_eq(m.addrs_kept, CAPS_NBNS_ADDRS_MAX);
    ck_assert_int_eq(m.group, 1);
    ck_assert_int_eq(m.ont, 0);
    ck_assert_int_eq(m.ttl_s, 600);
    ck_assert_int_eq(m.addrs[CAPS_NBNS_ADDRS_MAX - 1].ip[3], CAPS_NBNS_ADDRS_MAX);
    ck_assert_int_eq(m.addrs[1].nb_flags, 0x2000);
}
END_TEST

/* A node status table longer than CAPS_NBNS_NODE_NAMES_MAX: the extra names
 * are skipped by length and the unit id behind them is still found; without
 * STATISTICS there is no unit id. */
static size_t node_status(uint8_t *b, unsigned names, int with_stats)
{
    size_t n = put_header(b, 0x8400, 0, 1, 0);

    n += put_encoded(b + n, "*", 0x00);
    b[n - 32] = 'C';  /* "*" then NULs: CK AA AA ... */
    b[n - 31] = 'K';
    for (size_t i = 2; i < 32; i++)
        b[n - 32 + i] = 'A';
    b[n++] = 0;
    n += put_be16(b + n, CAPS_NBNS_TYPE_NBSTAT);
    n += put_be16(b + n, CAPS_NBNS_CLASS_IN);
    n += put_be16(b + n, 0);
    n += put_be16(b + n, 0);
    n += put_be16(b + n, 1 + 18 * names + (with_stats ? 46 : 0));
    b[n++] = (uint8_t)names;
    for (unsigned i = 0; i < names; i++) {
        char name[16];
        snprintf(name, sizeof name, "HOST%u", i);
        memset(b + n, ' ', 15);
        memcpy(b + n, name, strlen(name));
        b[n + 15] = (uint8_t)i;
        n += 16;
        n += put_be16(b + n, 0x0400);
    }
    if (with_stats) {
        memset(b + n, 0, 46);
        memcpy(b + n, "\x00\x15\x5d\x01\x02\x03", 6);
        n += 46;
    }
    return n;
}

START_TEST(test_nbns_node_names_beyond_max)
{
    static uint8_t b[BUF_MAX];
    struct caps_nbns m;
    const unsigned count = CAPS_NBNS_NODE_NAMES_MAX + 8;
    size_t n = node_status(b, count, 1);

    ck_assert_int_eq(caps_nbns_parse(b, n, &m), CAPS_OK);
    ck_assert_int_eq(m.kind, CAPS_NBNS_KIND_NODE_STATUS_RESPONSE);
    ck_assert_str_eq(m.rr_name.name, "*");
    ck_assert_int_eq(m.node_name_count, count);
    ck_assert_int_eq(m.node_names_kept, CAPS_NBNS_NODE_NAMES_MAX);
    ck_assert_str_eq(m.node_names[CAPS_NBNS_NODE_NAMES_MAX - 1].name, "HOST31");
    ck_assert_int_eq(m.node_names[CAPS_NBNS_NODE_NAMES_MAX - 1].suffix, 31);
    ck_assert_int_eq(m.has_unit_id, 1);
    ck_assert(memcmp(m.mac, "\x00\x15\x5d\x01\x02\x03", 6) == 0);
}
END_TEST

START_TEST(test_nbns_node_status_without_statistics)
{
    static uint8_t b[BUF_MAX];
    struct caps_nbns m;
    size_t n = node_status(b, 2, 0);

    ck_assert_int_eq(caps_nbns_parse(b, n, &m), CAPS_OK);
    ck_assert_int_eq(m.node_name_count, 2);
    ck_assert_int_eq(m.has_unit_id, 0);
    ck_assert_str_eq(m.node_names[1].name, "HOST1");
}
END_TEST

/* Control bytes in a name become '?', the raw bytes stay exact. */
START_TEST(test_nbns_control_bytes_in_name)
{
    static uint8_t b[BUF_MAX];
    struct caps_nbns m;
    size_t n = copy_sample(b, Q_WPAD);

    /* first byte 0x01: "AB" */
    b[13] = 'A';
    b[14] = 'B';
    ck_assert_int_eq(caps_nbns_parse(b, n, &m), CAPS_OK);
    ck_assert_str_eq(m.qname.name, "?PAD");
    ck_assert_int_eq(m.qname.raw[0], 0x01);
}
END_TEST

Suite *suite_nbns(void);

Suite *suite_nbns(void)
{
    Suite *s = suite_create("nbns");
    TCase *tc = tcase_create("samples");

    tcase_add_loop_test(tc, test_nbns_sample_fields, 0, (int)NBNS_CASES);
    tcase_add_test(tc, test_nbns_every_sample_has_a_case);
    tcase_add_test(tc, test_nbns_node_status_samba);
    tcase_add_test(tc, test_nbns_node_status_windows_mac);
    tcase_add_test(tc, test_nbns_kind_names);
    suite_add_tcase(s, tc);

    tc = tcase_create("cut");
    tcase_add_loop_test(tc, test_nbns_cut_every_offset, 0, (int)caps_samples_nbns.count);
    suite_add_tcase(s, tc);

    tc = tcase_create("malformed");
    tcase_add_loop_test(tc, test_nbns_malformed, 0,
                        (int)(sizeof nbns_bad_cases / sizeof nbns_bad_cases[0]));
    tcase_add_test(tc, test_nbns_pointer_chain_at_limit);
    tcase_add_test(tc, test_nbns_addresses_beyond_max);
    tcase_add_test(tc, test_nbns_node_names_beyond_max);
    tcase_add_test(tc, test_nbns_node_status_without_statistics);
    tcase_add_test(tc, test_nbns_control_bytes_in_name);
    suite_add_tcase(s, tc);
    return s;
}
