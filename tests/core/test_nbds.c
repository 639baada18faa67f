/* test_nbds.c - Check suite of the NetBIOS datagram service and browser frame
 * decoder (nbds.c): every sample's decoded fields, cuts at every offset, and
 * malformed datagrams, SMB transactions and browser frames with exact codes.
 */
#include <string.h>
#include <check.h>

#include "caps/error.h"
#include "caps/nbds.h"
#include "sample.h"
#include "testutil.h"

extern const struct caps_sample_set caps_samples_nbds;

#define EXPECT_INT(name, got, want)                                                   \
    ck_assert_msg((long long)(got) == (long long)(want), "%s: %s is %lld, want %lld", \
                  (name), #got, (long long)(got), (long long)(want))
#define EXPECT_STR(name, got, want)                                                   \
    ck_assert_msg(strcmp((got), (want)) == 0, "%s: %s is \"%s\", want \"%s\"", (name), \
                  #got, (got), (want))

static int parse_nbds(const uint8_t *buf, size_t len, void *out)
{
    return caps_nbds_parse(buf, len, out);
}

/* ---- expected fields of every sample ----------------------------------- */

struct nbds_case {
    const char *sample;
    uint8_t msg_type, flags, first, more, node_type;
    uint16_t dgm_id;
    uint8_t src_ip[4];
    uint16_t src_port, dgm_length, packet_offset;
    uint8_t error_code;
    const char *src; /* NULL: no source name */
    uint8_t src_suffix;
    const char *dst; /* NULL: no destination name */
    uint8_t dst_suffix;
    uint8_t fragmented;
    uint16_t user_data_bytes;
    uint8_t is_smb;
    const char *mailslot;
    uint8_t mailslot_kind, is_browser;
    /* browser frame */
    uint8_t opcode, update_count;
    uint32_t periodicity_ms;
    const char *server_name;
    uint8_t os_major, os_minor;
    uint32_t server_type;
    uint8_t browser_major, browser_minor;
    uint16_t signature;
    const char *comment;
    uint8_t election_version;
    uint32_t election_criteria, election_uptime_ms;
    uint8_t backup_count;
    uint32_t backup_token;
    uint8_t backup_names_kept;
};

#define W10_IP {192, 168, 1, 23}
#define W7_IP {192, 168, 1, 31}
#define SMB_IP {192, 168, 1, 10}
#define W10 "DESKTOP-ABC123"
#define SMB "FILESERVER"
#define BROWSE "\\MAILSLOT\\BROWSE"
#define ANNOUNCE_BASICS .is_smb = 1, .mailslot = BROWSE, .mailslot_kind = CAPS_NBDS_MAILSLOT_BROWSE, \
                        .is_browser = 1, .browser_major = 15, .browser_minor = 1,              \
                        .signature = 0xAA55

static const struct nbds_case nbds_cases[] = {
    {.sample = "win10_host_announcement", .msg_type = 0x11, .flags = 0x02, .first = 1,
     .dgm_id = 0x8a80, .src_ip = W10_IP, .src_port = 138, .dgm_length = 187,
     .src = W10, .src_suffix = 0x00, .dst = "WORKGROUP", .dst_suffix = 0x1d,
     .user_data_bytes = 187 - 68, ANNOUNCE_BASICS, .opcode = 1, .update_count = 5,
     .periodicity_ms = 720000, .server_name = W10, .os_major = 10, .os_minor = 0,
     .server_type = 0x00011003, .comment = ""},
    {.sample = "win7_host_announcement", .msg_type = 0x11, .flags = 0x02, .first = 1,
     .dgm_id = 0x81c4, .src_ip = W7_IP, .src_port = 138, .dgm_length = 197,
     .src = "WIN7-PC", .src_suffix = 0x00, .dst = "WORKGROUP", .dst_suffix = 0x1d,
     .user_data_bytes = 197 - 68, ANNOUNCE_BASICS, .opcode = 1, .update_count = 0,
     .periodicity_ms = 60000, .server_name = "WIN7-PC", .os_major = 6, .os_minor = 1,
     .server_type = 0x00011003, .comment = "Front desk"},
    {.sample = "samba_host_announcement", .msg_type = 0x11, .flags = 0x0a, .first = 1,
     .node_type = 2, .dgm_id = 0x52e1, .src_ip = SMB_IP, .src_port = 138, .dgm_length = 207,
     .src = SMB, .src_suffix = 0x00, .dst = "WORKGROUP", .dst_suffix = 0x1d,
     .user_data_bytes = 207 - 68, ANNOUNCE_BASICS, .opcode = 1, .update_count = 0,
     .periodicity_ms = 720000, .server_name = SMB, .os_major = 6, .os_minor = 1,
     .server_type = 0x00819a03, .comment = "Samba 4.17.12-Debian"},
    {.sample = "win10_local_master_announcement", .msg_type = 0x11, .flags = 0x02,
     .first = 1, .dgm_id = 0x8a81, .src_ip = W10_IP, .src_port = 138, .dgm_length = 187,
     .src = W10, .src_suffix = 0x00, .dst = "WORKGROUP", .dst_suffix = 0x1e,
     .user_data_bytes = 187 - 68, ANNOUNCE_BASICS, .opcode = 15, .update_count = 6,
     .periodicity_ms = 720000, .server_name = W10, .os_major = 10, .os_minor = 0,
     .server_type = 0x00051003, .comment = ""},
    {.sample = "samba_domain_announcement", .msg_type = 0x11, .flags = 0x0a, .first = 1,
     .node_type = 2, .dgm_id = 0x52e2, .src_ip = SMB_IP, .src_port = 138, .dgm_length = 197,
     .src = SMB, .src_suffix = 0x00, .dst = "??__MSBROWSE__?", .dst_suffix = 0x01,
     .user_data_bytes = 197 - 68, ANNOUNCE_BASICS, .opcode = 12, .update_count = 0,
     .periodicity_ms = 720000, .server_name = "WORKGROUP", .os_major = 6, .os_minor = 1,
     .server_type = 0x80001000, .comment = SMB},
    {.sample = "win10_election_request", .msg_type = 0x11, .flags = 0x02, .first = 1,
     .dgm_id = 0x8a82, .src_ip = W10_IP, .src_port = 138, .dgm_length = 183,
     .src = W10, .src_suffix = 0x00, .dst = "WORKGROUP", .dst_suffix = 0x1e,
     .user_data_bytes = 183 - 68, .is_smb = 1, .mailslot = BROWSE,
     .mailslot_kind = CAPS_NBDS_MAILSLOT_BROWSE, .is_browser = 1, .opcode = 8,
     .server_name = W10, .comment = "", .election_version = 1,
     .election_criteria = 0x10010f00, .election_uptime_ms = 128224},
    {.sample = "win10_get_backup_list_request", .msg_type = 0x11, .flags = 0x02, .first = 1,
     .dgm_id = 0x8a83, .src_ip = W10_IP, .src_port = 138, .dgm_length = 160,
     .src = W10, .src_suffix = 0x00, .dst = "WORKGROUP", .dst_suffix = 0x1d,
     .user_data_bytes = 160 - 68, .is_smb = 1, .mailslot = BROWSE,
     .mailslot_kind = CAPS_NBDS_MAILSLOT_BROWSE, .is_browser = 1, .opcode = 9,
     .server_name = "", .comment = "", .backup_count = 4, .backup_token = 1},
    {.sample = "samba_get_backup_list_response", .msg_type = 0x10, .flags = 0x0a, .first = 1,
     .node_type = 2, .dgm_id = 0x52e3, .src_ip = SMB_IP, .src_port = 138, .dgm_length = 179,
     .src = SMB, .src_suffix = 0x00, .dst = W10, .dst_suffix = 0x00,
     .user_data_bytes = 179 - 68, .is_smb = 1, .mailslot = BROWSE,
     .mailslot_kind = CAPS_NBDS_MAILSLOT_BROWSE, .is_browser = 1, .opcode = 10,
     .server_name = "", .comment = "", .backup_count = 2, .backup_token = 1,
     .backup_names_kept = 2},
    {.sample = "samba_netlogon_query_pdc", .msg_type = 0x10, .flags = 0x0a, .first = 1,
     .node_type = 2, .dgm_id = 0x3c5d, .src_ip = SMB_IP, .src_port = 50657,
     .dgm_length = 226, .src = SMB, .src_suffix = 0x00, .dst = "CORP", .dst_suffix = 0x1c,
     .user_data_bytes = 226 - 68, .is_smb = 1, .mailslot = "\\MAILSLOT\\NET\\NETLOGON",
     .mailslot_kind = CAPS_NBDS_MAILSLOT_OTHER, .is_browser = 0,
     .server_name = "", .comment = ""},
    {.sample = "rfc1002_fragment_first", .msg_type = 0x11, .flags = 0x03, .first = 1,
     .more = 1, .dgm_id = 0x8a90, .src_ip = W10_IP, .src_port = 138, .dgm_length = 132,
     .src = W10, .src_suffix = 0x00, .dst = "WORKGROUP", .dst_suffix = 0x1d,
     .fragmented = 1, .user_data_bytes = 64, .mailslot = "", .server_name = "", .comment = ""},
    {.sample = "rfc1002_fragment_last", .msg_type = 0x11, .flags = 0x00, .dgm_id = 0x8a90,
     .src_ip = W10_IP, .src_port = 138, .dgm_length = 123, .packet_offset = 64,
     .src = W10, .src_suffix = 0x00, .dst = "WORKGROUP", .dst_suffix = 0x1d,
     .fragmented = 1, .user_data_bytes = 55, .mailslot = "", .server_name = "", .comment = ""},
    {.sample = "rfc1002_error_dest_not_present", .msg_type = 0x13, .flags = 0x02, .first = 1,
     .dgm_id = 0x8a91, .src_ip = SMB_IP, .src_port = 138, .error_code = 0x82,
     .mailslot = "", .server_name = "", .comment = ""},
    {.sample = "rfc1002_query_request", .msg_type = 0x14, .flags = 0x06, .first = 1,
     .node_type = 1, .dgm_id = 0x8a92, .src_ip = W10_IP, .src_port = 138,
     .dst = SMB, .dst_suffix = 0x20, .mailslot = "", .server_name = "", .comment = ""},
    {.sample = "samba_lanman_host_announcement", .msg_type = 0x11, .flags = 0x0a, .first = 1,
     .node_type = 2, .dgm_id = 0x52e4, .src_ip = SMB_IP, .src_port = 138, .dgm_length = 196,
     .src = SMB, .src_suffix = 0x00, .dst = "WORKGROUP", .dst_suffix = 0x00,
     .user_data_bytes = 196 - 68, .is_smb = 1, .mailslot = "\\MAILSLOT\\LANMAN",
     .mailslot_kind = CAPS_NBDS_MAILSLOT_LANMAN, .is_browser = 1, .opcode = 1,
     .periodicity_ms = 60000, .server_name = SMB, .os_major = 6, .os_minor = 1,
     .server_type = 0x00819a03, .comment = "SAMBA 4.17.12-DEBIAN"},
    {.sample = "win10_announcement_request", .msg_type = 0x11, .flags = 0x02, .first = 1,
     .dgm_id = 0x8a84, .src_ip = W10_IP, .src_port = 138, .dgm_length = 171,
     .src = W10, .src_suffix = 0x00, .dst = "WORKGROUP", .dst_suffix = 0x00,
     .user_data_bytes = 171 - 68, .is_smb = 1, .mailslot = BROWSE,
     .mailslot_kind = CAPS_NBDS_MAILSLOT_BROWSE, .is_browser = 1, .opcode = 2,
     .server_name = W10, .comment = ""},
};

#define NBDS_CASES (sizeof nbds_cases / sizeof nbds_cases[0])

START_TEST(test_nbds_sample_fields)
{
    const struct nbds_case *k = &nbds_cases[_i];
    const struct caps_sample *s = test_sample(&caps_samples_nbds, k->sample);
    const char *n = k->sample;
    struct caps_nbds d;
    int rc = caps_nbds_parse(s->bytes, s->len, &d);

    ck_assert_msg(rc == CAPS_OK, "%s: parse returned %d (%s)", n, rc, caps_err_name(rc));
    EXPECT_INT(n, d.msg_type, k->msg_type);
    EXPECT_INT(n, d.flags, k->flags);
    EXPECT_INT(n, d.first, k->first);
    EXPECT_INT(n, d.more, k->more);
    EXPECT_INT(n, d.node_type, k->node_type);
    EXPECT_INT(n, d.dgm_id, k->dgm_id);
    ck_assert_msg(memcmp(d.src_ip, k->src_ip, 4) == 0, "%s: source ip %u.%u.%u.%u", n,
                  d.src_ip[0], d.src_ip[1], d.src_ip[2], d.src_ip[3]);
    EXPECT_INT(n, d.src_port, k->src_port);
    EXPECT_INT(n, d.dgm_length, k->dgm_length);
    EXPECT_INT(n, d.packet_offset, k->packet_offset);
    EXPECT_INT(n, d.error_code, k->error_code);
    EXPECT_INT(n, d.has_source, k->src != NULL);
    if (k->src != NULL) {
        EXPECT_STR(n, d.source.name, k->src);
        EXPECT_INT(n, d.source.suffix, k->src_suffix);
        EXPECT_STR(n, d.source.scope, "");
    }
    EXPECT_INT(n, d.has_dest, k->dst != NULL);
    if (k->dst != NULL) {
        EXPECT_STR(n, d.dest.name, k->dst);
        EXPECT_INT(n, d.dest.suffix, k->dst_suffix);
        EXPECT_STR(n, d.dest.scope, "");
    }
    EXPECT_INT(n, d.fragmented, k->fragmented);
    EXPECT_INT(n, d.user_data_bytes, k->user_data_bytes);
    EXPECT_INT(n, d.is_smb, k->is_smb);
    EXPECT_INT(n, d.smb_command, k->is_smb ? 0x25 : 0);
    EXPECT_STR(n, d.mailslot, k->mailslot);
    EXPECT_INT(n, d.mailslot_kind, k->mailslot_kind);
    EXPECT_INT(n, d.is_browser, k->is_browser);

    const struct caps_nbds_browser *b = &d.browser;
    EXPECT_INT(n, b->opcode, k->opcode);
    EXPECT_INT(n, b->update_count, k->update_count);
    EXPECT_INT(n, b->periodicity_ms, k->periodicity_ms);
    EXPECT_STR(n, b->server_name, k->server_name);
    EXPECT_INT(n, b->os_major, k->os_major);
    EXPECT_INT(n, b->os_minor, k->os_minor);
    EXPECT_INT(n, b->server_type, k->server_type);
    EXPECT_INT(n, b->browser_major, k->browser_major);
    EXPECT_INT(n, b->browser_minor, k->browser_minor);
    EXPECT_INT(n, b->signature, k->signature);
    EXPECT_STR(n, b->comment, k->comment);
    EXPECT_INT(n, b->election_version, k->election_version);
    EXPECT_INT(n, b->election_criteria, k->election_criteria);
    EXPECT_INT(n, b->election_uptime_ms, k->election_uptime_ms);
    EXPECT_INT(n, b->backup_count, k->backup_count);
    EXPECT_INT(n, b->backup_token, k->backup_token);
    EXPECT_INT(n, b->backup_names_kept, k->backup_names_kept);
}
END_TEST

START_TEST(test_nbds_every_sample_has_a_case)
{
    for (size_t i = 0; i < caps_samples_nbds.count; i++) {
        int found = 0;
        for (size_t j = 0; j < NBDS_CASES; j++)
            found |= strcmp(caps_samples_nbds.samples[i].name, nbds_cases[j].sample) == 0;
        ck_assert_msg(found, "sample %s has no expected fields", caps_samples_nbds.samples[i].name);
    }
    ck_assert_uint_ge(caps_samples_nbds.count, 8);
}
END_TEST

START_TEST(test_nbds_msbrowse_raw_and_backup_names)
{
    static const uint8_t msbrowse[16] = {1, 2, '_', '_', 'M', 'S', 'B', 'R',
                                         'O', 'W', 'S', 'E', '_', '_', 2, 1};
    const struct caps_sample *s = test_sample(&caps_samples_nbds, "samba_domain_announcement");
    struct caps_nbds d;

    ck_assert_int_eq(caps_nbds_parse(s->bytes, s->len, &d), CAPS_OK);
    ck_assert(memcmp(d.dest.raw, msbrowse, 16) == 0);

    s = test_sample(&caps_samples_nbds, "samba_get_backup_list_response");
    ck_assert_int_eq(caps_nbds_parse(s->bytes, s->len, &d), CAPS_OK);
    ck_assert_str_eq(d.browser.backup_names[0], "FILESERVER");
    ck_assert_str_eq(d.browser.backup_names[1], "WIN7-PC");
}
END_TEST

START_TEST(test_nbds_opcode_names)
{
    ck_assert_str_eq(caps_nbds_browser_opcode_name(1), "host_announcement");
    ck_assert_str_eq(caps_nbds_browser_opcode_name(2), "announcement_request");
    ck_assert_str_eq(caps_nbds_browser_opcode_name(8), "request_election");
    ck_assert_str_eq(caps_nbds_browser_opcode_name(9), "get_backup_list_request");
    ck_assert_str_eq(caps_nbds_browser_opcode_name(10), "get_backup_list_response");
    ck_assert_str_eq(caps_nbds_browser_opcode_name(11), "become_backup");
    ck_assert_str_eq(caps_nbds_browser_opcode_name(12), "domain_announcement");
    ck_assert_str_eq(caps_nbds_browser_opcode_name(13), "master_announcement");
    ck_assert_str_eq(caps_nbds_browser_opcode_name(14), "reset_state_request");
    ck_assert_str_eq(caps_nbds_browser_opcode_name(15), "local_master_announcement");
    ck_assert_str_eq(caps_nbds_browser_opcode_name(0), "unknown");
    ck_assert_str_eq(caps_nbds_browser_opcode_name(5), "unknown");
    ck_assert_str_eq(caps_nbds_browser_opcode_name(16), "unknown");
    ck_assert_str_eq(caps_nbds_browser_opcode_name(255), "unknown");
}
END_TEST

/* ---- cut at every offset ------------------------------------------------ */

START_TEST(test_nbds_cut_every_offset)
{
    const struct caps_sample *s = &caps_samples_nbds.samples[_i];
    struct caps_nbds d;

    ck_assert_msg(caps_nbds_parse(s->bytes, s->len, &d) == CAPS_OK, "%s: full sample fails",
                  s->name);
    for (size_t cut = 0; cut < 10 && cut < s->len; cut++)
        ck_assert_msg(caps_nbds_parse(s->bytes, cut, &d) == CAPS_E_TRUNCATED,
                      "%s: %zu-byte prefix decodes", s->name, cut);
    /* DGM_LENGTH (or the last field of the short forms) covers every sample
     * to its end, so only the full length decodes. */
    size_t ok = test_cut_every_offset(s, parse_nbds, &d, sizeof d);
    ck_assert_msg(ok == 1, "%s: %zu prefixes decode, want only the full one", s->name, ok);
}
END_TEST

/* ---- builders for malformed and edge cases ------------------------------- */

#define BUF_MAX 1024
#define NAMES_END 82 /* 14-byte header + two 34-byte names in the samples */

static void put_le16(uint8_t *p, size_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

static uint16_t get_le16(const uint8_t *p)
{
    return (uint16_t)(p[0] | p[1] << 8);
}

static void set_dgm_length(uint8_t *b, size_t total)
{
    b[10] = (uint8_t)((total - 14) >> 8);
    b[11] = (uint8_t)(total - 14);
}

/* A datagram with the header and names of the Windows 10 host announcement
 * carrying a mailslot write of data[0..dlen) to mailslot, as Windows builds
 * it (WordCount 17, DataOffset right after the name). Returns its length. */
static size_t build_mailslot(uint8_t *b, const char *mailslot, const uint8_t *data, size_t dlen)
{
    const struct caps_sample *s = test_sample(&caps_samples_nbds, "win10_host_announcement");
    size_t ms = strlen(mailslot) + 1;
    uint8_t *smb = b + NAMES_END;
    size_t words = 33, bytes = 33 + 34 + 2;

    ck_assert_uint_le(NAMES_END + bytes + ms + dlen, BUF_MAX);
    memcpy(b, s->bytes, NAMES_END);
    memset(smb, 0, bytes);
    memcpy(smb, "\xffSMB\x25", 5);
    smb[32] = 17;
    put_le16(smb + words + 2, dlen);       /* TotalDataCount */
    put_le16(smb + words + 22, dlen);      /* DataCount */
    put_le16(smb + words + 24, bytes + ms); /* DataOffset */
    smb[words + 26] = 3;                   /* SetupCount */
    put_le16(smb + words + 28, 1);
    put_le16(smb + words + 30, 1);
    put_le16(smb + words + 32, 2);
    put_le16(smb + bytes - 2, ms + dlen);  /* ByteCount */
    memcpy(smb + bytes, mailslot, ms);
    if (dlen > 0)
        memcpy(smb + bytes + ms, data, dlen);
    size_t total = NAMES_END + bytes + ms + dlen;
    set_dgm_length(b, total);
    return total;
}

/* A HostAnnouncement frame for SERVER with the given comment bytes (no NUL
 * added: callers include it or leave it out). */
static size_t host_frame(uint8_t *f, const char *comment, size_t comment_len)
{
    static const uint8_t fixed[32] = {
        0x01, 0x02, 0x60, 0xea, 0x00, 0x00, 'S', 'E', 'R', 'V', 'E', 'R', 0, 0, 0, 0,
        0,    0,    0,    0,    0,    0,    0x06, 0x02, 0x03, 0x10, 0x01, 0x00, 0x0f, 0x01,
        0x55, 0xaa};
    memcpy(f, fixed, 32);
    memcpy(f + 32, comment, comment_len);
    return 32 + comment_len;
}

static size_t copy_sample(uint8_t *b, const char *name)
{
    const struct caps_sample *s = test_sample(&caps_samples_nbds, name);
    ck_assert_uint_le(s->len, BUF_MAX);
    memcpy(b, s->bytes, s->len);
    return s->len;
}

#define HOST "win10_host_announcement"
#define SMB_AT NAMES_END
#define DATA_OFFSET_AT (SMB_AT + 33 + 24)
#define DATA_COUNT_AT (SMB_AT + 33 + 22)
#define BYTE_COUNT_AT (SMB_AT + 33 + 34)

static size_t data_offset_beyond_data(uint8_t *b)
{
    size_t n = copy_sample(b, HOST);
    put_le16(b + DATA_OFFSET_AT, n - SMB_AT + 1);
    return n;
}

static size_t data_offset_far_beyond(uint8_t *b)
{
    size_t n = copy_sample(b, HOST);
    put_le16(b + DATA_OFFSET_AT, 0xffff);
    return n;
}

static size_t data_offset_into_header(uint8_t *b)
{
    size_t n = copy_sample(b, HOST);
    put_le16(b + DATA_OFFSET_AT, 40);
    return n;
}

static size_t data_count_short(uint8_t *b)
{
    size_t n = copy_sample(b, HOST);
    put_le16(b + DATA_COUNT_AT, 20);  /* the frame needs 33 */
    return n;
}

static size_t comment_without_terminator(uint8_t *b)
{
    uint8_t f[128];
    size_t fl = host_frame(f, "Samba 4.17.12-Debian", 20);
    return build_mailslot(b, "\\MAILSLOT\\BROWSE", f, fl);
}

static size_t comment_unterminated_long(uint8_t *b)
{
    uint8_t f[400];
    char c[300];
    memset(c, 'c', sizeof c);
    size_t fl = host_frame(f, c, sizeof c);
    return build_mailslot(b, "\\MAILSLOT\\BROWSE", f, fl);
}

static size_t lanman_comment_without_terminator(uint8_t *b)
{
    static const uint8_t f[] = {0x01, 0x00, 0x03, 0x9a, 0x81, 0x00, 0x06, 0x01, 0x3c, 0x00,
                                'F', 'S', 0, 'N', 'O', 'N', 'U', 'L'};
    return build_mailslot(b, "\\MAILSLOT\\LANMAN", f, sizeof f);
}

static size_t server_name_field_cut(uint8_t *b)
{
    uint8_t f[64];
    host_frame(f, "", 0);
    return build_mailslot(b, "\\MAILSLOT\\BROWSE", f, 12);  /* inside ServerName */
}

static size_t election_without_name(uint8_t *b)
{
    static const uint8_t f[] = {0x08, 0x01, 0, 0x0f, 0x01, 0x10, 0, 0, 0, 0, 0, 0, 0, 0};
    return build_mailslot(b, "\\MAILSLOT\\BROWSE", f, sizeof f);
}

static size_t backup_response_names_missing(uint8_t *b)
{
    static const uint8_t f[] = {0x0a, 0x03, 1, 0, 0, 0, 'A', 0, 'B', 0};
    return build_mailslot(b, "\\MAILSLOT\\BROWSE", f, sizeof f);  /* 3 promised, 2 sent */
}

static size_t empty_browser_data(uint8_t *b)
{
    return build_mailslot(b, "\\MAILSLOT\\BROWSE", NULL, 0);
}

static size_t mailslot_cut_by_byte_count(uint8_t *b)
{
    size_t n = copy_sample(b, HOST);
    put_le16(b + BYTE_COUNT_AT, 5);
    return n;
}

static size_t mailslot_without_nul(uint8_t *b)
{
    static const uint8_t f[1] = {0};
    size_t n = build_mailslot(b, "\\MAILSLOT\\BROWSE", f, 0);
    return n - 1;  /* drop the name's NUL, then fix DGM_LENGTH */
}

static size_t mailslot_without_nul_fixed(uint8_t *b)
{
    size_t n = mailslot_without_nul(b);
    set_dgm_length(b, n);
    return n;
}

static size_t word_count_10(uint8_t *b)
{
    size_t n = copy_sample(b, HOST);
    b[SMB_AT + 32] = 10;
    return n;
}

static size_t smb_header_cut(uint8_t *b)
{
    copy_sample(b, HOST);
    set_dgm_length(b, SMB_AT + 20);
    return SMB_AT + 20;
}

static size_t smb_words_cut(uint8_t *b)
{
    copy_sample(b, HOST);
    set_dgm_length(b, SMB_AT + 40);
    return SMB_AT + 40;
}

static size_t dgm_length_past_end(uint8_t *b)
{
    size_t n = copy_sample(b, HOST);
    set_dgm_length(b, n + 1);
    return n;
}

static size_t dgm_length_inside_names(uint8_t *b)
{
    size_t n = copy_sample(b, HOST);
    set_dgm_length(b, 14 + 40);  /* the destination name is cut */
    return n;
}

static size_t pointer_in_source_name(uint8_t *b)
{
    size_t n = copy_sample(b, HOST);
    b[14] = 0xC0;
    b[15] = 0x00;
    return n;
}

static size_t bad_half_ascii_dest(uint8_t *b)
{
    size_t n = copy_sample(b, HOST);
    b[14 + 34 + 5] = 'Z';
    return n;
}

static size_t dest_length_30(uint8_t *b)
{
    copy_sample(b, "rfc1002_query_request");
    b[10] = 30;
    b[10 + 31] = 0;
    return 10 + 32;
}

static size_t unknown_msg_type(uint8_t *b)
{
    size_t n = copy_sample(b, HOST);
    b[0] = 0x17;
    return n;
}

static size_t error_without_code(uint8_t *b)
{
    return copy_sample(b, "rfc1002_error_dest_not_present") - 1;
}

struct nbds_bad {
    const char *name;
    size_t (*build)(uint8_t *b);
    int rc;
};

static const struct nbds_bad nbds_bad_cases[] = {
    {"data_offset_beyond_data", data_offset_beyond_data, CAPS_E_LENGTH},
    {"data_offset_far_beyond", data_offset_far_beyond, CAPS_E_LENGTH},
    {"data_offset_into_header", data_offset_into_header, CAPS_E_LENGTH},
    {"data_count_short", data_count_short, CAPS_E_TRUNCATED},
    {"comment_without_terminator", comment_without_terminator, CAPS_E_TRUNCATED},
    {"comment_unterminated_long", comment_unterminated_long, CAPS_E_TRUNCATED},
    {"lanman_comment_without_terminator", lanman_comment_without_terminator, CAPS_E_TRUNCATED},
    {"server_name_field_cut", server_name_field_cut, CAPS_E_TRUNCATED},
    {"election_without_name", election_without_name, CAPS_E_TRUNCATED},
    {"backup_response_names_missing", backup_response_names_missing, CAPS_E_TRUNCATED},
    {"empty_browser_data", empty_browser_data, CAPS_E_TRUNCATED},
    {"mailslot_cut_by_byte_count", mailslot_cut_by_byte_count, CAPS_E_LENGTH},
    {"mailslot_without_nul", mailslot_without_nul_fixed, CAPS_E_TRUNCATED},
    {"word_count_10", word_count_10, CAPS_E_FIELD},
    {"smb_header_cut", smb_header_cut, CAPS_E_TRUNCATED},
    {"smb_words_cut", smb_words_cut, CAPS_E_TRUNCATED},
    {"dgm_length_past_end", dgm_length_past_end, CAPS_E_TRUNCATED},
    {"dgm_length_inside_names", dgm_length_inside_names, CAPS_E_LENGTH},
    {"pointer_in_source_name", pointer_in_source_name, CAPS_E_NAME},
    {"bad_half_ascii_dest", bad_half_ascii_dest, CAPS_E_NAME},
    {"dest_length_30", dest_length_30, CAPS_E_NAME},
    {"unknown_msg_type", unknown_msg_type, CAPS_E_FIELD},
    {"error_without_code", error_without_code, CAPS_E_TRUNCATED},
};

START_TEST(test_nbds_malformed)
{
    const struct nbds_bad *k = &nbds_bad_cases[_i];
    static uint8_t b[BUF_MAX];
    struct caps_nbds d;
    size_t n = k->build(b);
    int rc = caps_nbds_parse(b, n, &d);

    ck_assert_msg(rc == k->rc, "%s: parse returned %d (%s), want %d (%s)", k->name, rc,
                  caps_err_name(rc), k->rc, caps_err_name(k->rc));
}
END_TEST

/* ---- edge cases that decode ---------------------------------------------- */

START_TEST(test_nbds_data_count_clamped)
{
    static uint8_t b[BUF_MAX];
    struct caps_nbds d;
    size_t n = copy_sample(b, HOST);

    put_le16(b + DATA_COUNT_AT, 0xffff);  /* more than the datagram holds */
    ck_assert_int_eq(caps_nbds_parse(b, n, &d), CAPS_OK);
    ck_assert_int_eq(d.is_browser, 1);
    ck_assert_str_eq(d.browser.server_name, "DESKTOP-ABC123");
    ck_assert_int_eq(d.browser.server_type, 0x00011003);
}
END_TEST

START_TEST(test_nbds_long_comment_truncated)
{
    static uint8_t b[BUF_MAX];
    uint8_t f[200];
    char c[101];
    struct caps_nbds d;

    memset(c, 'x', 100);
    c[100] = '\0';
    size_t n = build_mailslot(b, "\\MAILSLOT\\BROWSE", f, host_frame(f, c, 101));
    ck_assert_int_eq(caps_nbds_parse(b, n, &d), CAPS_OK);
    ck_assert_uint_eq(strlen(d.browser.comment), CAPS_NBDS_COMMENT_TEXT_MAX - 1);
    ck_assert_str_eq(d.browser.server_name, "SERVER");
    ck_assert_int_eq(d.browser.os_major, 6);
    ck_assert_int_eq(d.browser.os_minor, 2);
    ck_assert_int_eq(d.browser.periodicity_ms, 60000);
    ck_assert_int_eq(d.browser.update_count, 2);
}
END_TEST

START_TEST(test_nbds_mailslot_case_insensitive)
{
    static uint8_t b[BUF_MAX];
    uint8_t f[64];
    struct caps_nbds d;
    size_t n = build_mailslot(b, "\\mailslot\\Browse", f, host_frame(f, "hi", 3));

    ck_assert_int_eq(caps_nbds_parse(b, n, &d), CAPS_OK);
    ck_assert_int_eq(d.mailslot_kind, CAPS_NBDS_MAILSLOT_BROWSE);
    ck_assert_str_eq(d.mailslot, "\\mailslot\\Browse");
    ck_assert_int_eq(d.is_browser, 1);
    ck_assert_str_eq(d.browser.comment, "hi");

    n = build_mailslot(b, "\\MAILSLOT\\BROWSER", f, host_frame(f, "hi", 3));
    ck_assert_int_eq(caps_nbds_parse(b, n, &d), CAPS_OK);
    ck_assert_int_eq(d.mailslot_kind, CAPS_NBDS_MAILSLOT_OTHER);
    ck_assert_int_eq(d.is_browser, 0);
    ck_assert_int_eq(d.browser.opcode, 0);
}
END_TEST

START_TEST(test_nbds_server_name_without_nul)
{
    static uint8_t b[BUF_MAX];
    uint8_t f[64];
    struct caps_nbds d;

    host_frame(f, "", 1);
    memcpy(f + 6, "ABCDEFGHIJKLMNOP", 16);  /* all 16 bytes used */
    size_t n = build_mailslot(b, "\\MAILSLOT\\BROWSE", f, 33);
    ck_assert_int_eq(caps_nbds_parse(b, n, &d), CAPS_OK);
    ck_assert_str_eq(d.browser.server_name, "ABCDEFGHIJKLMNOP");
    ck_assert_str_eq(d.browser.comment, "");
}
END_TEST

START_TEST(test_nbds_not_smb_and_other_commands)
{
    static uint8_t b[BUF_MAX];
    struct caps_nbds d;
    size_t n = copy_sample(b, HOST);

    memset(b + SMB_AT, 0, 8);  /* user data that is no SMB */
    ck_assert_int_eq(caps_nbds_parse(b, n, &d), CAPS_OK);
    ck_assert_int_eq(d.is_smb, 0);
    ck_assert_int_eq(d.mailslot_kind, CAPS_NBDS_MAILSLOT_NONE);
    ck_assert_str_eq(d.mailslot, "");
    ck_assert_int_eq(d.is_browser, 0);

    n = copy_sample(b, HOST);
    b[SMB_AT + 4] = 0x72;  /* SMB_COM_NEGOTIATE */
    ck_assert_int_eq(caps_nbds_parse(b, n, &d), CAPS_OK);
    ck_assert_int_eq(d.is_smb, 1);
    ck_assert_int_eq(d.smb_command, 0x72);
    ck_assert_int_eq(d.is_browser, 0);

    n = copy_sample(b, HOST);
    set_dgm_length(b, NAMES_END + 2);  /* two bytes of user data, trailing ignored */
    ck_assert_int_eq(caps_nbds_parse(b, n, &d), CAPS_OK);
    ck_assert_int_eq(d.user_data_bytes, 2);
    ck_assert_int_eq(d.is_smb, 0);
}
END_TEST

START_TEST(test_nbds_other_browser_frames)
{
    static const uint8_t become[] = {0x0b, 'W', 'I', 'N', '7', '-', 'P', 'C', 0};
    static const uint8_t master[] = {0x0d, 'F', 'I', 'L', 'E', 'S', 'E', 'R', 'V', 'E', 'R', 0};
    static const uint8_t reset[] = {0x0e, 0x02};
    static const uint8_t unknown[] = {0x05, 1, 2, 3};
    static const uint8_t backups[] = {0x0a, 6, 7, 0, 0, 0, 'A', 0, 'B', 0, 'C', 0,
                                      'D', 0, 'E', 0, 'F', 0};
    static const uint8_t lanman_other[] = {0x02, 0x00};
    static uint8_t b[BUF_MAX];
    struct caps_nbds d;
    size_t n;

    n = build_mailslot(b, "\\MAILSLOT\\BROWSE", become, sizeof become);
    ck_assert_int_eq(caps_nbds_parse(b, n, &d), CAPS_OK);
    ck_assert_int_eq(d.browser.opcode, CAPS_BRWS_BECOME_BACKUP);
    ck_assert_str_eq(d.browser.server_name, "WIN7-PC");

    n = build_mailslot(b, "\\MAILSLOT\\BROWSE", master, sizeof master);
    ck_assert_int_eq(caps_nbds_parse(b, n, &d), CAPS_OK);
    ck_assert_int_eq(d.browser.opcode, CAPS_BRWS_MASTER_ANNOUNCEMENT);
    ck_assert_str_eq(d.browser.server_name, "FILESERVER");

    n = build_mailslot(b, "\\MAILSLOT\\BROWSE", reset, sizeof reset);
    ck_assert_int_eq(caps_nbds_parse(b, n, &d), CAPS_OK);
    ck_assert_int_eq(d.browser.opcode, CAPS_BRWS_RESET_STATE_REQUEST);
    ck_assert_int_eq(d.browser.reset_type, 2);

    n = build_mailslot(b, "\\MAILSLOT\\BROWSE", unknown, sizeof unknown);
    ck_assert_int_eq(caps_nbds_parse(b, n, &d), CAPS_OK);
    ck_assert_int_eq(d.is_browser, 1);
    ck_assert_int_eq(d.browser.opcode, 5);

    n = build_mailslot(b, "\\MAILSLOT\\BROWSE", backups, sizeof backups);
    ck_assert_int_eq(caps_nbds_parse(b, n, &d), CAPS_OK);
    ck_assert_int_eq(d.browser.backup_count, 6);
    ck_assert_int_eq(d.browser.backup_token, 7);
    ck_assert_int_eq(d.browser.backup_names_kept, CAPS_NBDS_BACKUP_NAMES_MAX);
    ck_assert_str_eq(d.browser.backup_names[CAPS_NBDS_BACKUP_NAMES_MAX - 1], "D");

    n = build_mailslot(b, "\\MAILSLOT\\LANMAN", lanman_other, sizeof lanman_other);
    ck_assert_int_eq(caps_nbds_parse(b, n, &d), CAPS_OK);
    ck_assert_int_eq(d.mailslot_kind, CAPS_NBDS_MAILSLOT_LANMAN);
    ck_assert_int_eq(d.browser.opcode, 2);
    ck_assert_str_eq(d.browser.server_name, "");
}
END_TEST

/* The names of a DataOffset sample must agree with the constants above. */
START_TEST(test_nbds_builder_matches_sample)
{
    const struct caps_sample *s = test_sample(&caps_samples_nbds, HOST);
    static uint8_t b[BUF_MAX];
    uint8_t f[64];
    size_t fl = host_frame(f, "", 1);

    ck_assert_int_eq(get_le16(s->bytes + DATA_OFFSET_AT), 86);
    ck_assert_int_eq(get_le16(s->bytes + DATA_COUNT_AT), 33);
    ck_assert_int_eq(get_le16(s->bytes + BYTE_COUNT_AT), 50);
    size_t n = build_mailslot(b, "\\MAILSLOT\\BROWSE", f, fl);
    ck_assert_uint_eq(n, s->len);
    /* same layout: only the frame differs */
    ck_assert(memcmp(b, s->bytes, NAMES_END + 86) == 0);
}
END_TEST

Suite *suite_nbds(void);

Suite *suite_nbds(void)
{
    Suite *s = suite_create("nbds");
    TCase *tc = tcase_create("samples");

    tcase_add_loop_test(tc, test_nbds_sample_fields, 0, (int)NBDS_CASES);
    tcase_add_test(tc, test_nbds_every_sample_has_a_case);
    tcase_add_test(tc, test_nbds_msbrowse_raw_and_backup_names);
    tcase_add_test(tc, test_nbds_opcode_names);
    suite_add_tcase(s, tc);

    tc = tcase_create("cut");
    tcase_add_loop_test(tc, test_nbds_cut_every_offset, 0, (int)caps_samples_nbds.count);
    suite_add_tcase(s, tc);

    tc = tcase_create("malformed");
    tcase_add_loop_test(tc, test_nbds_malformed, 0,
                        (int)(sizeof nbds_bad_cases / sizeof nbds_bad_cases[0]));
    tcase_add_test(tc, test_nbds_data_count_clamped);
    tcase_add_test(tc, test_nbds_long_comment_truncated);
    tcase_add_test(tc, test_nbds_mailslot_case_insensitive);
    tcase_add_test(tc, test_nbds_server_name_without_nul);
    tcase_add_test(tc, test_nbds_not_smb_and_other_commands);
    tcase_add_test(tc, test_nbds_other_browser_frames);
    tcase_add_test(tc, test_nbds_builder_matches_sample);
    suite_add_tcase(s, tc);
    return s;
}
