/* test_config.c - the configuration document: defaults, every rule rejected
 * with its exact message, ranges and MACs in every written form, table
 * limits, print/parse round trip, file loading, cut-at-every-offset, and a
 * golden list of messages (tests/golden/config_errors.txt). */
#define _POSIX_C_SOURCE 200809L     /* mkstemp, fdopen, unlink, strdup */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <check.h>

#include "caps/inventory.h"
#include "codec/config.h"

Suite *suite_config(void);

/* struct caps_config is ~8 KB: static, one test at a time (CK_FORK=no too). */
static struct caps_config cfg, cfg2;
static char err[CODEC_ERRMSG_MAX];

static int parse(const char *text)
{
    /* A heap copy of exactly the text's size, so ASan sees any over-read. */
    size_t n = strlen(text);
    char *copy = malloc(n ? n : 1);
    ck_assert_ptr_nonnull(copy);
    memcpy(copy, text, n);
    int rc = codec_config_parse(copy, n, "site.json", &cfg, err);
    free(copy);
    return rc;
}

static const char *source_dir(void)
{
    const char *dir = getenv("CAPS_SOURCE_DIR");
    return dir != NULL && dir[0] != '\0' ? dir : CAPS_SOURCE_DIR;
}

#define DOM "\"domains\": [{\"name\": \"corp.example.com\"}]"
#define INC(r) "{\"domains\": [{\"name\": \"a.example\", \"include\": [" r "]}]}"
#define EXC(x) "{" DOM ", \"exclude\": " x "}"

/* ------------------------------------------------------------------ defaults */

START_TEST(minimal_document_gives_defaults)
{
    ck_assert_int_eq(parse("{" DOM "}"), 0);
    ck_assert_str_eq(err, "");
    ck_assert_uint_eq(cfg.upload_interval_min, 30);
    ck_assert_uint_eq(cfg.min_peers, 2);
    ck_assert_uint_eq(cfg.assets_max, CAPS_ASSETS_MAX_DEFAULT);
    ck_assert_uint_eq(cfg.stale_after_s, 24u * 3600u);
    ck_assert_uint_eq(cfg.expire_after_s, 168u * 3600u);
    ck_assert_uint_eq(cfg.domain_count, 1);
    ck_assert_str_eq(cfg.domains[0].name, "corp.example.com");
    ck_assert_uint_eq(cfg.domains[0].include_count, 0);
    ck_assert_uint_eq(cfg.include_count, 0);
    ck_assert_uint_eq(cfg.exclude_count, 0);
    ck_assert_uint_eq(cfg.exclude_mac_count, 0);
    ck_assert_ptr_null(cfg.fingerprints);
}
END_TEST

START_TEST(every_field_read)
{
    ck_assert_int_eq(parse("{\"upload_interval_minutes\": 1440, \"min_peers\": 20, "
                           "\"domains\": [{\"name\": \"Corp.Example.COM.\", \"include\": "
                           "[\"10.0.0.0/8\"]}, {\"name\": \"b.example\", \"include\": "
                           "[\"10.1.2.3\", \"10.1.2.4\"]}, {\"name\": \"c\"}], "
                           "\"exclude\": {\"ips\": [\"10.0.0.1\"], \"macs\": "
                           "[\"AA:BB:CC:DD:EE:FF\"]}, \"assets_max\": 4194304, "
                           "\"stale_after_hours\": 8760, \"expire_after_hours\": 87600}"),
                     0);
    ck_assert_uint_eq(cfg.upload_interval_min, 1440);
    ck_assert_uint_eq(cfg.min_peers, 20);
    ck_assert_uint_eq(cfg.assets_max, CAPS_ASSETS_MAX_LIMIT);
    ck_assert_uint_eq(cfg.stale_after_s, 8760u * 3600u);
    ck_assert_uint_eq(cfg.expire_after_s, 87600u * 3600u);
    ck_assert_uint_eq(cfg.domain_count, 3);
    ck_assert_str_eq(cfg.domains[0].name, "corp.example.com");
    ck_assert_str_eq(cfg.domains[1].name, "b.example");
    ck_assert_str_eq(cfg.domains[2].name, "c");
    ck_assert_uint_eq(cfg.domains[0].include_first, 0);
    ck_assert_uint_eq(cfg.domains[0].include_count, 1);
    ck_assert_uint_eq(cfg.domains[1].include_first, 1);
    ck_assert_uint_eq(cfg.domains[1].include_count, 2);
    ck_assert_uint_eq(cfg.domains[2].include_first, 3);
    ck_assert_uint_eq(cfg.domains[2].include_count, 0);
    ck_assert_uint_eq(cfg.include_count, 3);
    ck_assert_uint_eq(cfg.include[2].first, 0x0A010204u);
    ck_assert_uint_eq(cfg.exclude_count, 1);
    ck_assert_uint_eq(cfg.exclude[0].first, 0x0A000001u);
    ck_assert_uint_eq(cfg.exclude_mac_count, 1);
    const uint8_t mac[6] = {0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff};
    ck_assert_mem_eq(cfg.exclude_macs[0], mac, 6);
    /* Lower bounds. */
    ck_assert_int_eq(parse("{" DOM ", \"upload_interval_minutes\": 15, \"min_peers\": 2, "
                           "\"assets_max\": 1, \"stale_after_hours\": 1, "
                           "\"expire_after_hours\": 2}"), 0);
    ck_assert_uint_eq(cfg.upload_interval_min, 15);
    ck_assert_uint_eq(cfg.assets_max, 1);
    ck_assert_uint_eq(cfg.stale_after_s, 3600);
    ck_assert_uint_eq(cfg.expire_after_s, 7200);
    /* Integral numbers in any JSON spelling are integers. */
    ck_assert_int_eq(parse("{" DOM ", \"upload_interval_minutes\": 3e1}"), 0);
    ck_assert_uint_eq(cfg.upload_interval_min, 30);
}
END_TEST

/* ------------------------------------------------------------- rule messages */

struct bad_case {
    const char *name;
    const char *text;
    const char *message;
};

static const struct bad_case bad_cases[] = {
    {"interval-low", "{" DOM ", \"upload_interval_minutes\": 14}",
     "site.json:1:72: \"upload_interval_minutes\" must be 15..1440, got 14"},
    {"interval-high", "{" DOM ", \"upload_interval_minutes\": 1441}",
     "site.json:1:72: \"upload_interval_minutes\" must be 15..1440, got 1441"},
    {"interval-string", "{" DOM ", \"upload_interval_minutes\": \"30\"}",
     "site.json:1:72: \"upload_interval_minutes\" must be an integer, got \"30\""},
    {"interval-fraction", "{" DOM ", \"upload_interval_minutes\": 30.5}",
     "site.json:1:72: \"upload_interval_minutes\" must be an integer, got 30.5"},
    {"interval-null", "{" DOM ", \"upload_interval_minutes\": null}",
     "site.json:1:72: \"upload_interval_minutes\" must be an integer, got null"},
    {"interval-huge", "{" DOM ", \"upload_interval_minutes\": 1e300}",
     "site.json:1:72: \"upload_interval_minutes\" must be an integer, got 1e+300"},
    {"interval-overflow", "{" DOM ", \"upload_interval_minutes\": 1e400}",
     "site.json:1:72: \"upload_interval_minutes\" must be an integer, got a number beyond "
     "double range"},
    {"interval-negative", "{" DOM ", \"upload_interval_minutes\": -30}",
     "site.json:1:72: \"upload_interval_minutes\" must be 15..1440, got -30"},
    {"peers-low", "{" DOM ", \"min_peers\": 1}",
     "site.json:1:58: \"min_peers\" must be 2..20, got 1"},
    {"peers-high", "{" DOM ", \"min_peers\": 21}",
     "site.json:1:58: \"min_peers\" must be 2..20, got 21"},
    {"peers-bool", "{" DOM ", \"min_peers\": true}",
     "site.json:1:58: \"min_peers\" must be an integer, got true"},
    {"assets-zero", "{" DOM ", \"assets_max\": 0}",
     "site.json:1:59: \"assets_max\" must be 1..4194304, got 0"},
    {"assets-high", "{" DOM ", \"assets_max\": 4194305}",
     "site.json:1:59: \"assets_max\" must be 1..4194304, got 4194305"},
    {"stale-zero", "{" DOM ", \"stale_after_hours\": 0}",
     "site.json:1:66: \"stale_after_hours\" must be 1..8760, got 0"},
    {"stale-high", "{" DOM ", \"stale_after_hours\": 8761}",
     "site.json:1:66: \"stale_after_hours\" must be 1..8760, got 8761"},
    {"expire-zero", "{" DOM ", \"expire_after_hours\": 0}",
     "site.json:1:67: \"expire_after_hours\" must be 1..87600, got 0"},
    {"expire-high", "{" DOM ", \"expire_after_hours\": 87601}",
     "site.json:1:67: \"expire_after_hours\" must be 1..87600, got 87601"},
    {"expire-equal-stale", "{" DOM ", \"stale_after_hours\": 48, \"expire_after_hours\": 48}",
     "site.json:1:92: \"expire_after_hours\" must be greater than stale_after_hours (48), "
     "got 48"},
    {"stale-over-default-expire", "{" DOM ", \"stale_after_hours\": 200}",
     "site.json:1:66: \"stale_after_hours\" must be less than expire_after_hours (168), "
     "got 200"},
    {"expire-under-default-stale", "{" DOM ", \"expire_after_hours\": 12}",
     "site.json:1:67: \"expire_after_hours\" must be greater than stale_after_hours (24), "
     "got 12"},
    {"domains-missing", "{\"min_peers\": 3}",
     "site.json:1:1: \"domains\" must list at least one domain (domain name required), "
     "got nothing"},
    {"domains-empty", "{\"domains\": []}",
     "site.json:1:13: \"domains\" must list at least one domain (domain name required), "
     "got []"},
    {"domains-string", "{\"domains\": \"corp.example.com\"}",
     "site.json:1:13: \"domains\" must be an array of domains, got \"corp.example.com\""},
    {"domain-string", "{\"domains\": [\"corp.example.com\"]}",
     "site.json:1:14: \"domains[0]\" must be an object {\"name\": ..., \"include\": [...]}, "
     "got \"corp.example.com\""},
    {"name-missing", "{\"domains\": [{\"include\": []}]}",
     "site.json:1:14: \"domains[0].name\" must be a DNS name (domain name required), "
     "got nothing"},
    {"name-empty", "{\"domains\": [{\"name\": \"\"}]}",
     "site.json:1:23: \"domains[0].name\" must be a DNS name (domain name required), got \"\""},
    {"name-number", "{\"domains\": [{\"name\": 7}]}",
     "site.json:1:23: \"domains[0].name\" must be a string (a DNS name), got 7"},
    {"name-dot", "{\"domains\": [{\"name\": \".\"}]}",
     "site.json:1:23: \"domains[0].name\" must be a DNS name with no empty labels, got \".\""},
    {"name-empty-label", "{\"domains\": [{\"name\": \"corp..example\"}]}",
     "site.json:1:23: \"domains[0].name\" must be a DNS name with no empty labels, "
     "got \"corp..example\""},
    {"name-two-trailing-dots", "{\"domains\": [{\"name\": \"corp.example..\"}]}",
     "site.json:1:23: \"domains[0].name\" must be a DNS name with no empty labels, "
     "got \"corp.example..\""},
    {"name-char", "{\"domains\": [{\"name\": \"corp_1.example\"}]}",
     "site.json:1:23: \"domains[0].name\" must be a DNS name of letters, digits, '-' and '.' "
     "only, got \"corp_1.example\""},
    {"name-leading-hyphen", "{\"domains\": [{\"name\": \"-corp.example\"}]}",
     "site.json:1:23: \"domains[0].name\" must be a DNS name with no label starting with "
     "'-', got \"-corp.example\""},
    {"name-trailing-hyphen", "{\"domains\": [{\"name\": \"corp-.example\"}]}",
     "site.json:1:23: \"domains[0].name\" must be a DNS name with no label ending in '-', "
     "got \"corp-.example\""},
    {"name-label-64", "{\"domains\": [{\"name\": \"a"
                      "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.b\"}]}",
     "site.json:1:23: \"domains[0].name\" must be a DNS name with labels of at most 63 "
     "characters, got \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa..."},
    {"name-space", "{\"domains\": [{\"name\": \"corp example\"}]}",
     "site.json:1:23: \"domains[0].name\" must be a DNS name of letters, digits, '-' and '.' "
     "only, got \"corp example\""},
    {"name-duplicate", "{\"domains\": [{\"name\": \"corp.example\"}, "
                       "{\"name\": \"CORP.Example.\"}]}",
     "site.json:1:49: \"domains[1].name\" must differ from domains[0].name, "
     "got \"CORP.Example.\""},
    {"name-twice", "{\"domains\": [{\"name\": \"a\", \"name\": \"b\"}]}",
     "site.json:1:23: \"domains[0].name\" must appear once, got \"a\" and then \"b\""},
    {"domain-unknown-key", "{\"domains\": [{\"name\": \"a\", \"nmae\": \"b\"}]}",
     "site.json:1:36: unknown key \"domains[0].nmae\""},
    {"include-not-array", "{\"domains\": [{\"name\": \"a\", \"include\": \"10.0.0.0/8\"}]}",
     "site.json:1:39: \"domains[0].include\" must be an array of IPv4 ranges, "
     "got \"10.0.0.0/8\""},
    {"include-number", INC("167772160"),
     "site.json:1:48: \"domains[0].include[0]\" must be a string holding an IPv4 address, "
     "a.b.c.d/n, a.b.c.d-e.f.g.h, a.b.c.d-e or a.b.*.*, got 167772160"},
    {"range-garbage", INC("\"corp\""),
     "site.json:1:48: \"domains[0].include[0]\" must be an IPv4 address, a.b.c.d/n, "
     "a.b.c.d-e.f.g.h, a.b.c.d-e or a.b.*.*, got \"corp\""},
    {"range-three-octets", INC("\"10.1.2\""),
     "site.json:1:48: \"domains[0].include[0]\" must be an IPv4 address, a.b.c.d/n, "
     "a.b.c.d-e.f.g.h, a.b.c.d-e or a.b.*.*, got \"10.1.2\""},
    {"range-five-octets", INC("\"10.1.2.3.4\""),
     "site.json:1:48: \"domains[0].include[0]\" must be an IPv4 address, a.b.c.d/n, "
     "a.b.c.d-e.f.g.h, a.b.c.d-e or a.b.*.*, got \"10.1.2.3.4\""},
    {"range-empty", INC("\"\""),
     "site.json:1:48: \"domains[0].include[0]\" must be an IPv4 address, a.b.c.d/n, "
     "a.b.c.d-e.f.g.h, a.b.c.d-e or a.b.*.*, got \"\""},
    {"range-octet-256", INC("\"10.1.2.256\""),
     "site.json:1:48: \"domains[0].include[0]\" must be made of octets 0..255, "
     "got \"10.1.2.256\""},
    {"range-leading-zero", INC("\"10.01.2.3\""),
     "site.json:1:48: \"domains[0].include[0]\" must be written without leading zeros "
     "(ambiguous octal), got \"10.01.2.3\""},
    {"range-whitespace", INC("\" 10.1.2.3\""),
     "site.json:1:48: \"domains[0].include[0]\" must be written without white space, "
     "got \" 10.1.2.3\""},
    {"range-ipv6", INC("\"fe80::/10\""),
     "site.json:1:48: \"domains[0].include[0]\" must be an IPv4 range (IPv6 is not "
     "supported), got \"fe80::/10\""},
    {"cidr-33", INC("\"10.0.0.0/33\""),
     "site.json:1:48: \"domains[0].include[0]\" must be a CIDR block a.b.c.d/n with n "
     "0..32, got \"10.0.0.0/33\""},
    {"cidr-leading-zero", INC("\"10.0.0.0/08\""),
     "site.json:1:48: \"domains[0].include[0]\" must be a CIDR block a.b.c.d/n with n "
     "0..32, got \"10.0.0.0/08\""},
    {"cidr-empty", INC("\"10.0.0.0/\""),
     "site.json:1:48: \"domains[0].include[0]\" must be a CIDR block a.b.c.d/n with n "
     "0..32, got \"10.0.0.0/\""},
    {"cidr-host-bits", INC("\"10.1.2.3/16\""),
     "site.json:1:48: \"domains[0].include[0]\" must be the network address of its block "
     "(10.1.0.0/16), got \"10.1.2.3/16\""},
    {"cidr-host-bits-0", INC("\"10.1.2.3/0\""),
     "site.json:1:48: \"domains[0].include[0]\" must be the network address of its block "
     "(0.0.0.0/0), got \"10.1.2.3/0\""},
    {"range-reversed", INC("\"10.2.0.99-10.2.0.10\""),
     "site.json:1:48: \"domains[0].include[0]\" must be a range with first <= last, "
     "got \"10.2.0.99-10.2.0.10\""},
    {"shorthand-reversed", INC("\"10.2.0.99-10\""),
     "site.json:1:48: \"domains[0].include[0]\" must be a range with first <= last, "
     "got \"10.2.0.99-10\""},
    {"shorthand-256", INC("\"10.2.0.10-256\""),
     "site.json:1:48: \"domains[0].include[0]\" must be made of octets 0..255, "
     "got \"10.2.0.10-256\""},
    {"shorthand-leading-zero", INC("\"10.2.0.1-09\""),
     "site.json:1:48: \"domains[0].include[0]\" must be written without leading zeros "
     "(ambiguous octal), got \"10.2.0.1-09\""},
    {"range-dash-cidr", INC("\"10.0.0.0/8-10.0.0.9\""),
     "site.json:1:48: \"domains[0].include[0]\" must be an IPv4 address, a.b.c.d/n, "
     "a.b.c.d-e.f.g.h, a.b.c.d-e or a.b.*.*, got \"10.0.0.0/8-10.0.0.9\""},
    {"wildcard-middle", INC("\"10.*.0.*\""),
     "site.json:1:48: \"domains[0].include[0]\" must be a wildcard with '*' only as whole "
     "trailing octets (a.b.*.*), got \"10.*.0.*\""},
    {"wildcard-partial", INC("\"10.1.2*.*\""),
     "site.json:1:48: \"domains[0].include[0]\" must be a wildcard with '*' only as whole "
     "trailing octets (a.b.*.*), got \"10.1.2*.*\""},
    {"wildcard-short", INC("\"10.*\""),
     "site.json:1:48: \"domains[0].include[0]\" must be an IPv4 address, a.b.c.d/n, "
     "a.b.c.d-e.f.g.h, a.b.c.d-e or a.b.*.*, got \"10.*\""},
    {"include-second", INC("\"10.0.0.1\", \"10.0.0.2-1\""),
     "site.json:1:60: \"domains[0].include[1]\" must be a range with first <= last, "
     "got \"10.0.0.2-1\""},
    {"exclude-array", EXC("[\"10.0.0.1\"]"),
     "site.json:1:56: \"exclude\" must be an object {\"ips\": [...], \"macs\": [...]}, "
     "got [\"10.0.0.1\"]"},
    {"exclude-unknown", EXC("{\"ip\": []}"),
     "site.json:1:63: unknown key \"exclude.ip\""},
    {"exclude-ips-string", EXC("{\"ips\": \"10.0.0.1\"}"),
     "site.json:1:64: \"exclude.ips\" must be an array of IPv4 ranges, got \"10.0.0.1\""},
    {"exclude-ip-bad", EXC("{\"ips\": [\"10.0.0.1/255.0.0.0\"]}"),
     "site.json:1:65: \"exclude.ips[0]\" must be a CIDR block a.b.c.d/n with n 0..32, "
     "got \"10.0.0.1/255.0.0.0\""},
    {"exclude-macs-string", EXC("{\"macs\": \"00:11:22:33:44:55\"}"),
     "site.json:1:65: \"exclude.macs\" must be an array of MAC addresses, "
     "got \"00:11:22:33:44:55\""},
    {"mac-number", EXC("{\"macs\": [17]}"),
     "site.json:1:66: \"exclude.macs[0]\" must be a string holding a MAC address "
     "(aa:bb:cc:dd:ee:ff, aa-bb-cc-dd-ee-ff, aabb.ccdd.eeff or aabbccddeeff), got 17"},
    {"mac-short", EXC("{\"macs\": [\"00:11:22:33:44\"]}"),
     "site.json:1:66: \"exclude.macs[0]\" must be a MAC address (aa:bb:cc:dd:ee:ff, "
     "aa-bb-cc-dd-ee-ff, aabb.ccdd.eeff or aabbccddeeff), got \"00:11:22:33:44\""},
    {"mac-mixed", EXC("{\"macs\": [\"00:11-22:33:44:55\"]}"),
     "site.json:1:66: \"exclude.macs[0]\" must be a MAC address (aa:bb:cc:dd:ee:ff, "
     "aa-bb-cc-dd-ee-ff, aabb.ccdd.eeff or aabbccddeeff), got \"00:11-22:33:44:55\""},
    {"mac-not-hex", EXC("{\"macs\": [\"00:11:22:33:44:5g\"]}"),
     "site.json:1:66: \"exclude.macs[0]\" must be a MAC address (aa:bb:cc:dd:ee:ff, "
     "aa-bb-cc-dd-ee-ff, aabb.ccdd.eeff or aabbccddeeff), got \"00:11:22:33:44:5g\""},
    {"mac-dots-wrong", EXC("{\"macs\": [\"001.12233.4455\"]}"),
     "site.json:1:66: \"exclude.macs[0]\" must be a MAC address (aa:bb:cc:dd:ee:ff, "
     "aa-bb-cc-dd-ee-ff, aabb.ccdd.eeff or aabbccddeeff), got \"001.12233.4455\""},
    {"unknown-top", "{" DOM ", \"upload_intervall\": 30}",
     "site.json:1:65: unknown key \"upload_intervall\""},
    {"unknown-top-first", "{\"Domains\": []}",
     "site.json:1:13: unknown key \"Domains\""},
    {"unknown-key-with-dot", "{" DOM ", \"a.b\": 1}",
     "site.json:1:1: unknown key \"a.b\""},
    {"duplicate-top", "{" DOM ", \"min_peers\": 3, \"min_peers\": 4}",
     "site.json:1:58: \"min_peers\" must appear once, got 3 and then 4"},
    {"root-array", "[{" DOM ", \"min_peers\": 3}]",
     "site.json:1:1: the configuration must be a JSON object, got [{\"domains\":[{\"name\":"
     "\"corp.example.com\"}],\"mi..."},
    {"root-string", "\"corp.example.com\"",
     "site.json:1:1: the configuration must be a JSON object, got \"corp.example.com\""},
    {"empty-text", "",
     "site.json:1:1: invalid JSON, got an empty text"},
    {"blank-text", " \n\t\r\n",
     "site.json:1:1: invalid JSON, got an empty text"},
    {"syntax-trailing-comma", "{" DOM ",}",
     "site.json:1:44: invalid JSON, got \"}\""},
    {"syntax-single-quotes", "{'domains': []}",
     "site.json:1:3: invalid JSON, got \"domains': []}\""},
    {"syntax-after-document", "{" DOM "} {}",
     "site.json:1:45: invalid JSON after the document, got \"{}\""},
    {"syntax-truncated", "{" DOM,
     "site.json:1:42: invalid JSON, got \"]\""},
};

START_TEST(bad_case_message)
{
    const struct bad_case *t = &bad_cases[_i];
    int rc = parse(t->text);
    ck_assert_msg(rc == -1, "%s: accepted", t->name);
    ck_assert_msg(t->message != NULL && strcmp(err, t->message) == 0,
                  "%s:\n  got  %s\n  want %s", t->name, err,
                  t->message != NULL ? t->message : "(none)");
    /* A rejected document leaves the defaults, never half a configuration. */
    caps_config_default(&cfg2);
    ck_assert_msg(memcmp(&cfg, &cfg2, sizeof cfg) == 0, "%s: cfg not reset", t->name);
}
END_TEST

/* ------------------------------------------------------------- table limits */

struct text_buf {
    char *s;
    size_t n, cap;
};

static void tb_put(struct text_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void tb_put(struct text_buf *b, const char *fmt, ...)
{
    va_list ap;
    for (;;) {
        va_start(ap, fmt);
        int k = vsnprintf(b->s + b->n, b->cap - b->n, fmt, ap);
        va_end(ap);
        ck_assert_int_ge(k, 0);
        if ((size_t)k < b->cap - b->n) {
            b->n += (size_t)k;
            return;
        }
        b->cap = 2 * b->cap + (size_t)k;
        b->s = realloc(b->s, b->cap);
        ck_assert_ptr_nonnull(b->s);
    }
}

/* A document with domains domains, each with per_domain include ranges, and
 * exclude_ips ranges and macs MACs, all distinct. */
static char *big_document(unsigned domains, unsigned per_domain, unsigned exclude_ips,
                          unsigned macs)
{
    struct text_buf b = {malloc(64), 0, 64};
    ck_assert_ptr_nonnull(b.s);
    tb_put(&b, "{\"domains\": [");
    for (unsigned d = 0; d < domains; d++) {
        tb_put(&b, "%s{\"name\": \"d%u.example\", \"include\": [", d ? ", " : "", d);
        for (unsigned i = 0; i < per_domain; i++)
            tb_put(&b, "%s\"10.%u.%u.0/24\"", i ? ", " : "", d, i);
        tb_put(&b, "]}");
    }
    tb_put(&b, "], \"exclude\": {\"ips\": [");
    for (unsigned i = 0; i < exclude_ips; i++)
        tb_put(&b, "%s\"172.16.%u.%u\"", i ? ", " : "", i / 256, i % 256);
    tb_put(&b, "], \"macs\": [");
    for (unsigned i = 0; i < macs; i++)
        tb_put(&b, "%s\"02:00:00:00:%02x:%02x\"", i ? ", " : "", i / 256, i % 256);
    tb_put(&b, "]}}");
    return b.s;
}

START_TEST(table_limits)
{
    char *text = big_document(CAPS_DOMAINS_MAX, CAPS_RANGES_MAX / CAPS_DOMAINS_MAX,
                              CAPS_RANGES_MAX, CAPS_EXCLUDE_MACS_MAX);
    ck_assert_int_eq(parse(text), 0);
    ck_assert_uint_eq(cfg.domain_count, CAPS_DOMAINS_MAX);
    ck_assert_uint_eq(cfg.include_count, CAPS_RANGES_MAX);
    ck_assert_uint_eq(cfg.exclude_count, CAPS_RANGES_MAX);
    ck_assert_uint_eq(cfg.exclude_mac_count, CAPS_EXCLUDE_MACS_MAX);
    ck_assert_uint_eq(cfg.domains[15].include_first, 120);
    ck_assert_uint_eq(cfg.domains[15].include_count, 8);
    ck_assert_uint_eq(cfg.include[127].first, 0x0A0F0700u);
    free(text);

    text = big_document(CAPS_DOMAINS_MAX + 1, 0, 0, 0);
    ck_assert_int_eq(parse(text), -1);
    ck_assert_str_eq(err, "site.json:1:13: \"domains\" must list at most 16 domains, got 17");
    free(text);

    text = big_document(2, 65, 0, 0);
    ck_assert_int_eq(parse(text), -1);
    ck_assert_str_eq(err, "site.json:1:2114: \"domains[1].include[63]\" must be within the "
                          "first 128 include ranges of all domains, got \"10.1.63.0/24\"");
    free(text);

    text = big_document(1, 0, CAPS_RANGES_MAX + 1, 0);
    ck_assert_int_eq(parse(text), -1);
    ck_assert_str_eq(err, "site.json:1:2012: \"exclude.ips[128]\" must be within the first "
                          "128 exclude ranges, got \"172.16.0.128\"");
    free(text);

    text = big_document(1, 0, 0, CAPS_EXCLUDE_MACS_MAX + 1);
    ck_assert_int_eq(parse(text), -1);
    ck_assert_str_eq(err, "site.json:1:5462: \"exclude.macs[256]\" must be within the first "
                          "256 excluded MACs, got \"02:00:00:00:01:00\"");
    free(text);
}
END_TEST

/* --------------------------------------------------------- ranges and MACs */

struct range_case {
    const char *text;
    uint32_t first, last;
};

static const struct range_case range_cases[] = {
    {"10.3.0.7", 0x0A030007u, 0x0A030007u},
    {"0.0.0.0", 0, 0},
    {"255.255.255.255", 0xFFFFFFFFu, 0xFFFFFFFFu},
    {"10.1.0.0/16", 0x0A010000u, 0x0A01FFFFu},
    {"10.1.2.3/32", 0x0A010203u, 0x0A010203u},
    {"0.0.0.0/0", 0, 0xFFFFFFFFu},
    {"128.0.0.0/1", 0x80000000u, 0xFFFFFFFFu},
    {"192.168.1.128/25", 0xC0A80180u, 0xC0A801FFu},
    {"10.2.0.10-10.2.0.99", 0x0A02000Au, 0x0A020063u},
    {"10.2.0.10-10.2.0.10", 0x0A02000Au, 0x0A02000Au},
    {"10.2.255.250-10.3.0.5", 0x0A02FFFAu, 0x0A030005u},
    {"0.0.0.0-255.255.255.255", 0, 0xFFFFFFFFu},
    {"10.2.0.10-99", 0x0A02000Au, 0x0A020063u},
    {"10.2.0.10-10", 0x0A02000Au, 0x0A02000Au},
    {"10.2.0.0-255", 0x0A020000u, 0x0A0200FFu},
    {"10.2.3.*", 0x0A020300u, 0x0A0203FFu},
    {"10.2.*.*", 0x0A020000u, 0x0A02FFFFu},
    {"10.*.*.*", 0x0A000000u, 0x0AFFFFFFu},
    {"*.*.*.*", 0, 0xFFFFFFFFu},
};

START_TEST(range_forms)
{
    const struct range_case *t = &range_cases[_i];
    char text[160];
    snprintf(text, sizeof text, INC("\"%s\""), t->text);
    ck_assert_msg(parse(text) == 0, "%s: %s", t->text, err);
    ck_assert_uint_eq(cfg.include_count, 1);
    ck_assert_msg(cfg.include[0].first == t->first && cfg.include[0].last == t->last,
                  "%s: %08x-%08x, want %08x-%08x", t->text, cfg.include[0].first,
                  cfg.include[0].last, t->first, t->last);
}
END_TEST

START_TEST(mac_forms)
{
    static const char *const forms[] = {
        "0a:1b:2c:3d:4e:5f", "0A:1B:2C:3D:4E:5F", "0a-1b-2c-3d-4e-5f",
        "0A-1b-2C-3d-4E-5f", "0a1b.2c3d.4e5f",    "0A1B.2C3D.4E5F",
        "0a1b2c3d4e5f",      "0A1B2C3D4E5F",
    };
    const uint8_t want[6] = {0x0a, 0x1b, 0x2c, 0x3d, 0x4e, 0x5f};
    char text[160];
    for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
        snprintf(text, sizeof text, EXC("{\"macs\": [\"%s\"]}"), forms[i]);
        ck_assert_msg(parse(text) == 0, "%s: %s", forms[i], err);
        ck_assert_uint_eq(cfg.exclude_mac_count, 1);
        ck_assert_msg(memcmp(cfg.exclude_macs[0], want, 6) == 0, "%s: wrong bytes", forms[i]);
    }
}
END_TEST

START_TEST(domain_names_normalized)
{
    ck_assert_int_eq(parse("{\"domains\": [{\"name\": \"Corp.EXAMPLE.com.\"}, "
                           "{\"name\": \"x-1.a\"}, {\"name\": \"localdomain\"}]}"), 0);
    ck_assert_str_eq(cfg.domains[0].name, "corp.example.com");
    ck_assert_str_eq(cfg.domains[1].name, "x-1.a");
    ck_assert_str_eq(cfg.domains[2].name, "localdomain");

    /* 63-character labels and a 253-character name are the limits. */
    char name[300], text[400];
    memset(name, 'a', 63);
    name[63] = '\0';
    snprintf(text, sizeof text, "{\"domains\": [{\"name\": \"%s.b\"}]}", name);
    ck_assert_msg(parse(text) == 0, "%s", err);
    /* 3 labels of 63 + 1 of 61 + 3 dots = 253; a trailing dot is allowed. */
    size_t n = 0;
    for (int l = 0; l < 4; l++) {
        size_t len = l < 3 ? 63 : 61;
        memset(name + n, 'a' + l, len);
        n += len;
        name[n++] = '.';
    }
    name[n] = '\0';
    snprintf(text, sizeof text, "{\"domains\": [{\"name\": \"%s\"}]}", name);
    ck_assert_msg(parse(text) == 0, "%s", err);
    ck_assert_uint_eq(strlen(cfg.domains[0].name), 253);
    name[n - 1] = 'e';                  /* 254 characters */
    name[n] = '\0';
    snprintf(text, sizeof text, "{\"domains\": [{\"name\": \"%s\"}]}", name);
    ck_assert_int_eq(parse(text), -1);
    ck_assert_msg(strstr(err, "\"domains[0].name\" must be a DNS name of at most 253 "
                              "characters, got \"aaaa") != NULL, "%s", err);
}
END_TEST

/* --------------------------------------------------------------- round trip */

static void round_trip(const char *text)
{
    ck_assert_msg(parse(text) == 0, "%s", err);
    struct caps_config *first = malloc(sizeof *first);
    ck_assert_ptr_nonnull(first);
    memcpy(first, &cfg, sizeof cfg);
    char *printed = codec_config_print(first);
    ck_assert_ptr_nonnull(printed);
    ck_assert_msg(parse(printed) == 0, "reparse: %s\n%s", err, printed);
    ck_assert_msg(memcmp(first, &cfg, sizeof cfg) == 0, "round trip differs:\n%s", printed);
    char *again = codec_config_print(&cfg);
    ck_assert_ptr_nonnull(again);
    ck_assert_str_eq(again, printed);      /* canonical: a fixed point */
    free(again);
    free(printed);
    free(first);
}

START_TEST(print_parse_round_trip)
{
    round_trip("{" DOM "}");
    round_trip(INC("\"10.3.0.7\", \"10.1.0.0/16\", \"10.2.0.10-99\", \"10.2.*.*\", "
                   "\"0.0.0.0/0\", \"10.0.0.1-10.0.0.2\", \"10.0.0.0-10.0.0.255\""));
    round_trip("{\"upload_interval_minutes\": 15, \"min_peers\": 20, \"domains\": "
               "[{\"name\": \"A.b\", \"include\": []}, {\"name\": \"c.d\", \"include\": "
               "[\"1.2.3.4\"]}], \"exclude\": {\"ips\": [\"1.1.1.1-1.1.1.9\"], \"macs\": "
               "[\"aabb.ccdd.eeff\", \"00-00-00-00-00-01\"]}, \"assets_max\": 1, "
               "\"stale_after_hours\": 1, \"expire_after_hours\": 87600}");
    char *text = big_document(CAPS_DOMAINS_MAX, CAPS_RANGES_MAX / CAPS_DOMAINS_MAX,
                              CAPS_RANGES_MAX, CAPS_EXCLUDE_MACS_MAX);
    round_trip(text);
    free(text);
}
END_TEST

START_TEST(print_canonical_text)
{
    ck_assert_int_eq(parse(INC("\"10.1.2.3-10.1.2.3\", \"10.1.0.0-10.1.255.255\", "
                               "\"10.2.0.10-99\", \"10.3.*.*\"")), 0);
    char *printed = codec_config_print(&cfg);
    ck_assert_ptr_nonnull(printed);
    ck_assert_str_eq(printed,
                     "{\n"
                     "\t\"upload_interval_minutes\":\t30,\n"
                     "\t\"min_peers\":\t2,\n"
                     "\t\"domains\":\t[{\n"
                     "\t\t\t\"name\":\t\"a.example\",\n"
                     "\t\t\t\"include\":\t[\"10.1.2.3\", \"10.1.0.0/16\", "
                     "\"10.2.0.10-10.2.0.99\", \"10.3.0.0/16\"]\n"
                     "\t\t}],\n"
                     "\t\"exclude\":\t{\n"
                     "\t\t\"ips\":\t[],\n"
                     "\t\t\"macs\":\t[]\n"
                     "\t},\n"
                     "\t\"assets_max\":\t4096,\n"
                     "\t\"stale_after_hours\":\t24,\n"
                     "\t\"expire_after_hours\":\t168\n"
                     "}\n");
    free(printed);
}
END_TEST

/* ------------------------------------------------------------------- files */

START_TEST(load_files)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/data/config.example.json", source_dir());
    ck_assert_msg(codec_config_load(path, &cfg, err) == 0, "%s", err);
    ck_assert_uint_eq(cfg.domain_count, 3);
    ck_assert_str_eq(cfg.domains[0].name, "corp.example.com");
    ck_assert_uint_eq(cfg.domains[0].include_count, 3);
    ck_assert_uint_eq(cfg.exclude_count, 2);
    ck_assert_uint_eq(cfg.exclude_mac_count, 3);

    ck_assert_int_eq(codec_config_load("site.json", &cfg, err), -1);
    ck_assert_str_eq(err, "site.json: No such file or directory");
    snprintf(path, sizeof path, "%s/data", source_dir());
    ck_assert_int_eq(codec_config_load(path, &cfg, err), -1);
    char want[1100];
    snprintf(want, sizeof want, "%s: Is a directory", path);
    ck_assert_str_eq(err, want);

    /* Messages from a loaded file carry its path. */
    char tmp[] = "/tmp/caps_config_XXXXXX";
    int fd = mkstemp(tmp);
    ck_assert_int_ge(fd, 0);
    FILE *f = fdopen(fd, "w");
    ck_assert_ptr_nonnull(f);
    fputs("{\n  \"domains\": [{\"name\": \"a\"}],\n  \"min_peers\": 0\n}\n", f);
    fclose(f);
    ck_assert_int_eq(codec_config_load(tmp, &cfg, err), -1);
    snprintf(want, sizeof want, "%s:3:16: \"min_peers\" must be 2..20, got 0", tmp);
    ck_assert_str_eq(err, want);
    unlink(tmp);
}
END_TEST

START_TEST(cut_every_offset)
{
    /* Every prefix of the example is rejected cleanly (never read past). */
    char path[1024];
    snprintf(path, sizeof path, "%s/data/config.example.json", source_dir());
    FILE *f = fopen(path, "rb");
    ck_assert_ptr_nonnull(f);
    char text[4096];
    size_t n = fread(text, 1, sizeof text, f);
    fclose(f);
    ck_assert_uint_lt(n, sizeof text);
    for (size_t cut = 0; cut < n; cut++) {
        char *copy = malloc(cut ? cut : 1);
        ck_assert_ptr_nonnull(copy);
        memcpy(copy, text, cut);
        int rc = codec_config_parse(copy, cut, "x.json", &cfg, err);
        free(copy);
        /* The document ends at its closing brace; only the newline may go. */
        ck_assert_msg(rc == (cut >= n - 1 ? 0 : -1), "cut %zu: %d %s", cut, rc, err);
        ck_assert(rc == 0 || strncmp(err, "x.json:", 7) == 0);
    }
}
END_TEST

/* ------------------------------------------------------------------ golden
 * Each case is the document below with one edit (or a whole text of its
 * own); its message, one line "case: message", must equal
 * tests/golden/config_errors.txt. UPDATE_GOLDEN=1 rewrites the file. */

static const char golden_base[] =
    "{\n"
    "  \"upload_interval_minutes\": 30,\n"
    "  \"min_peers\": 2,\n"
    "  \"domains\": [\n"
    "    {\n"
    "      \"name\": \"corp.example.com\",\n"
    "      \"include\": [\"10.1.0.0/16\", \"10.2.0.10-10.2.0.99\", \"10.3.0.7\"]\n"
    "    },\n"
    "    {\"name\": \"lab.example.net\", \"include\": [\"192.168.7.*\"]}\n"
    "  ],\n"
    "  \"exclude\": {\n"
    "    \"ips\": [\"10.1.0.1\", \"10.1.5.0/24\"],\n"
    "    \"macs\": [\"00:11:22:33:44:55\"]\n"
    "  },\n"
    "  \"assets_max\": 4096,\n"
    "  \"stale_after_hours\": 24,\n"
    "  \"expire_after_hours\": 168\n"
    "}\n";

struct golden_case {
    const char *name;
    const char *find;        /* NULL: replace is the whole text */
    const char *replace;
};

static const struct golden_case golden_cases[] = {
    {"interval-too-small", "\"upload_interval_minutes\": 30", "\"upload_interval_minutes\": 5"},
    {"interval-too-large", "\"upload_interval_minutes\": 30",
     "\"upload_interval_minutes\": 1441"},
    {"interval-string", "\"upload_interval_minutes\": 30", "\"upload_interval_minutes\": \"30\""},
    {"interval-fraction", "\"upload_interval_minutes\": 30",
     "\"upload_interval_minutes\": 30.5"},
    {"interval-key-typo", "\"upload_interval_minutes\"", "\"upload_intervall\""},
    {"peers-too-few", "\"min_peers\": 2", "\"min_peers\": 1"},
    {"peers-too-many", "\"min_peers\": 2", "\"min_peers\": 21"},
    {"peers-null", "\"min_peers\": 2", "\"min_peers\": null"},
    {"domains-missing", NULL, "{\n  \"min_peers\": 2\n}\n"},
    {"domains-empty", NULL, "{\n  \"domains\": []\n}\n"},
    {"domains-not-array", NULL, "{\n  \"domains\": \"corp.example.com\"\n}\n"},
    {"domain-not-object", "{\"name\": \"lab.example.net\", \"include\": [\"192.168.7.*\"]}",
     "\"lab.example.net\""},
    {"domain-name-missing", "\"name\": \"lab.example.net\", ", ""},
    {"domain-name-empty", "\"lab.example.net\"", "\"\""},
    {"domain-name-number", "\"lab.example.net\"", "42"},
    {"domain-name-underscore", "lab.example.net", "lab_1.example.net"},
    {"domain-name-empty-label", "lab.example.net", "lab..example.net"},
    {"domain-name-hyphen", "lab.example.net", "-lab.example.net"},
    {"domain-name-long-label", "lab.example.net",
     "lab0123456789012345678901234567890123456789012345678901234567890.example.net"},
    {"domain-name-duplicate", "lab.example.net", "CORP.example.com."},
    {"domain-unknown-key", "\"include\": [\"192.168.7.*\"]", "\"includes\": [\"192.168.7.*\"]"},
    {"include-not-array", "[\"192.168.7.*\"]", "\"192.168.7.*\""},
    {"include-number", "\"10.3.0.7\"", "167968775"},
    {"include-host-bits", "10.1.0.0/16", "10.1.2.0/16"},
    {"include-prefix-too-long", "10.1.0.0/16", "10.1.0.0/33"},
    {"include-reversed", "10.2.0.10-10.2.0.99", "10.2.0.99-10.2.0.10"},
    {"include-shorthand-reversed", "10.2.0.10-10.2.0.99", "10.2.0.99-10"},
    {"include-shorthand-256", "10.2.0.10-10.2.0.99", "10.2.0.10-256"},
    {"include-leading-zero", "10.3.0.7", "10.3.0.07"},
    {"include-whitespace", "10.3.0.7", "10.3.0.7 "},
    {"include-ipv6", "10.3.0.7", "fe80::1"},
    {"include-wildcard-middle", "192.168.7.*", "192.*.7.*"},
    {"include-octet-256", "10.3.0.7", "10.3.0.256"},
    {"include-three-octets", "10.3.0.7", "10.3.0"},
    {"exclude-not-object",
     "\"exclude\": {\n    \"ips\": [\"10.1.0.1\", \"10.1.5.0/24\"],\n"
     "    \"macs\": [\"00:11:22:33:44:55\"]\n  }",
     "\"exclude\": [\"10.1.0.1\"]"},
    {"exclude-unknown-key", "\"ips\"", "\"ip\""},
    {"exclude-ip-netmask", "10.1.5.0/24", "10.1.5.0/255.255.255.0"},
    {"exclude-mac-short", "00:11:22:33:44:55", "00:11:22:33:44"},
    {"exclude-mac-mixed-separators", "00:11:22:33:44:55", "00:11-22:33:44:55"},
    {"exclude-mac-number", "\"00:11:22:33:44:55\"", "17"},
    {"assets-zero", "\"assets_max\": 4096", "\"assets_max\": 0"},
    {"assets-too-many", "\"assets_max\": 4096", "\"assets_max\": 4194305"},
    {"stale-zero", "\"stale_after_hours\": 24", "\"stale_after_hours\": 0"},
    {"expire-too-large", "\"expire_after_hours\": 168", "\"expire_after_hours\": 87601"},
    {"expire-not-after-stale", "\"expire_after_hours\": 168", "\"expire_after_hours\": 24"},
    {"stale-after-default-expire", NULL,
     "{\n  \"domains\": [{\"name\": \"a.example\"}],\n  \"stale_after_hours\": 200\n}\n"},
    {"duplicate-key", "\"assets_max\": 4096,", "\"assets_max\": 4096,\n  \"assets_max\": 512,"},
    {"not-an-object", NULL, "[1, 2, 3]\n"},
    {"syntax-trailing-comma", "\"expire_after_hours\": 168\n",
     "\"expire_after_hours\": 168,\n"},
    {"syntax-unquoted-key", "\"min_peers\"", "min_peers"},
    {"syntax-truncated", "\"expire_after_hours\": 168\n}\n", "\"expire_after_hours\": 168\n"},
    {"syntax-text-after", NULL, "{\"domains\": [{\"name\": \"a.example\"}]}\n}\n"},
    {"empty-file", NULL, ""},
    {"crlf-tabs", NULL,
     "{\r\n\t\"domains\": [{\"name\": \"a.example\"}],\r\n\t\"min_peers\": 0\r\n}\r\n"},
    {"bom", NULL, "\xef\xbb\xbf{\"domains\": [{\"name\": \"a.example\"}], \"min_peers\": 0}\n"},
};

/* The case's text, malloc'd. */
static char *golden_text(const struct golden_case *t)
{
    if (t->find == NULL)
        return strdup(t->replace);
    const char *at = strstr(golden_base, t->find);
    ck_assert_msg(at != NULL, "%s: \"%s\" not in the base document", t->name, t->find);
    size_t head = (size_t)(at - golden_base), find_len = strlen(t->find);
    size_t rep_len = strlen(t->replace), tail = strlen(at + find_len);
    char *text = malloc(head + rep_len + tail + 1);
    ck_assert_ptr_nonnull(text);
    memcpy(text, golden_base, head);
    memcpy(text + head, t->replace, rep_len);
    memcpy(text + head + rep_len, at + find_len, tail + 1);
    return text;
}

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    struct text_buf b = {malloc(4096), 0, 4096};
    ck_assert_ptr_nonnull(b.s);
    size_t n;
    while ((n = fread(b.s + b.n, 1, b.cap - b.n, f)) > 0) {
        b.n += n;
        if (b.n == b.cap) {
            b.cap *= 2;
            b.s = realloc(b.s, b.cap);
            ck_assert_ptr_nonnull(b.s);
        }
    }
    fclose(f);
    *len = b.n;
    return b.s;
}

START_TEST(golden_messages)
{
    struct text_buf out = {malloc(4096), 0, 4096};
    ck_assert_ptr_nonnull(out.s);
    ck_assert_int_eq(parse(golden_base), 0);
    for (size_t i = 0; i < sizeof golden_cases / sizeof golden_cases[0]; i++) {
        char *text = golden_text(&golden_cases[i]);
        int rc = parse(text);
        free(text);
        ck_assert_msg(rc == -1, "%s: accepted", golden_cases[i].name);
        ck_assert_msg(strchr(err, '\n') == NULL, "%s: message spans lines",
                      golden_cases[i].name);
        tb_put(&out, "%s: %s\n", golden_cases[i].name, err);
    }

    char path[1024];
    snprintf(path, sizeof path, "%s/tests/golden/config_errors.txt", source_dir());
    const char *update = getenv("UPDATE_GOLDEN");
    if (update != NULL && strcmp(update, "1") == 0) {
        FILE *f = fopen(path, "wb");
        ck_assert_msg(f != NULL, "cannot write %s", path);
        ck_assert_uint_eq(fwrite(out.s, 1, out.n, f), out.n);
        ck_assert_int_eq(fclose(f), 0);
    }
    size_t len = 0;
    char *want = read_file(path, &len);
    /* Name the first line that differs. */
    size_t line = 1, k = 0;
    while (want != NULL && k < len && k < out.n && want[k] == out.s[k])
        line += want[k++] == '\n';
    int same = want != NULL && len == out.n && k == len;
    free(want);
    free(out.s);
    ck_assert_msg(want != NULL, "golden file missing: %s (run with UPDATE_GOLDEN=1 and "
                  "review it)", path);
    ck_assert_msg(same, "%s differs at line %zu (UPDATE_GOLDEN=1 rewrites it for review)",
                  path, line);
}
END_TEST

Suite *suite_config(void)
{
    Suite *s = suite_create("config");
    TCase *tc = tcase_create("parse");
    tcase_add_test(tc, minimal_document_gives_defaults);
    tcase_add_test(tc, every_field_read);
    tcase_add_loop_test(tc, bad_case_message, 0,
                        (int)(sizeof bad_cases / sizeof bad_cases[0]));
    tcase_add_test(tc, table_limits);
    tcase_add_loop_test(tc, range_forms, 0, (int)(sizeof range_cases / sizeof range_cases[0]));
    tcase_add_test(tc, mac_forms);
    tcase_add_test(tc, domain_names_normalized);
    suite_add_tcase(s, tc);

    tc = tcase_create("print");
    tcase_add_test(tc, print_parse_round_trip);
    tcase_add_test(tc, print_canonical_text);
    suite_add_tcase(s, tc);

    tc = tcase_create("files");
    tcase_add_test(tc, load_files);
    tcase_add_test(tc, cut_every_offset);
    tcase_add_test(tc, golden_messages);
    suite_add_tcase(s, tc);
    return s;
}
