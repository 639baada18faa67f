/* test_fingerprint.c - glob matching, rule precedence, evidence and the label
 * derivation of caps/fingerprint.h (the rule is in core/src/fingerprint.c).
 *
 * Numbers are exact: supports and confidences are integer thousandths, so the
 * expected values below are computed by hand (0.6 and 0.5 -> 0.8). The random
 * sequences check every label change against a floating-point reference of
 * the documented rule.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <check.h>

#include "caps/fingerprint.h"
#include "caps/proto.h"
#include "testutil.h"

Suite *suite_fingerprint(void);

/* ---- glob ---- */

struct glob_case {
    const char *what;
    const char *pattern;
    const char *text;
    int want;
    const char *capture;   /* when want == 1 */
};

static const struct glob_case glob_cases[] = {
    {"exact", "MSFT 5.0", "MSFT 5.0", 1, ""},
    {"exact, case-insensitive", "msft 5.0", "MSFT 5.0", 1, ""},
    {"exact, text longer", "abc", "abcd", 0, NULL},
    {"exact, text shorter", "abcd", "abc", 0, NULL},
    {"exact, one byte differs", "abc", "abd", 0, NULL},
    {"prefix*", "android-dhcp-*", "android-dhcp-13", 1, "13"},
    {"prefix*, case-insensitive", "ANDROID-DHCP-*", "android-dhcp-13", 1, "13"},
    {"prefix*, empty span", "android-dhcp-*", "android-dhcp-", 1, ""},
    {"prefix*, prefix missing", "android-dhcp-*", "androi", 0, NULL},
    {"*suffix", "*.local", "host.local", 1, "host"},
    {"*suffix, capture keeps the text's case", "*.LOCAL", "MyHost.local", 1, "MyHost"},
    {"*suffix, suffix missing", "*.local", "host.lan", 0, NULL},
    {"*mid*", "*Chromecast*", "md=Chromecast Ultra", 1, "md="},
    {"*mid*, mid at the start", "*Chromecast*", "chromecast", 1, ""},
    {"*mid*, absent", "*abc*", "xxabxx", 0, NULL},
    {"multiple stars, first captured", "Linux/* UPnP/* *", "Linux/5.10 UPnP/1.0 MiniUPnPd/2.2", 1,
     "5.10"},
    {"star alone, empty text", "*", "", 1, ""},
    {"star alone", "*", "abc", 1, "abc"},
    {"two stars, first stays empty", "**", "ab", 1, ""},
    {"empty pattern, empty text", "", "", 1, ""},
    {"empty pattern, text", "", "a", 0, NULL},
    {"pattern, empty text", "a", "", 0, NULL},
    {"stars and literal, empty text", "*a*", "", 0, NULL},
    {"trailing stars after the text", "ab**", "ab", 1, ""},
    {"literal after star past the text", "ab*cd", "abc", 0, NULL},
    {"'?' is a literal", "a?c", "abc", 0, NULL},
    {"'?' matches itself", "a?c", "a?c", 1, ""},
    {"UTF-8 bytes match themselves", "caf*", "caf\xc3\xa9", 1, "\xc3\xa9"},
    {"non-ASCII is not folded", "\xc3\x89", "\xc3\xa9", 0, NULL},
    /* Backtracking: the capture is the first star's span in the final match,
     * not in an attempt that failed later. */
    {"backtrack, first star grows by one", "*ab", "aab", 1, "a"},
    {"backtrack, first star grows past a false match", "*x", "axbx", 1, "axb"},
    {"backtrack, literal then star", "a*b", "axbyb", 1, "xby"},
    {"backtrack before the second star", "*ab*", "aacab", 1, "aac"},
    {"backtrack in the second star only", "*-*-end", "x-y-z-end", 1, "x"},
    {"first star shortest", "*.*", "a.b.c", 1, "a"},
    {"backtrack, then second star", "*ab*cd", "abxabcd", 1, ""},
    {"backtrack across a repeated prefix", "*aab", "aaaab", 1, "aa"},
    {"backtrack to the end fails", "*ab", "aaaa", 0, NULL},
};
#define GLOB_CASES (sizeof glob_cases / sizeof glob_cases[0])

START_TEST(glob_table)
{
    const struct glob_case *c = &glob_cases[_i];
    char capture[CAPS_EV_CAPTURE_MAX];

    memset(capture, 'Z', sizeof capture);
    int got = caps_fp_glob(c->pattern, c->text, capture, sizeof capture);
    ck_assert_msg(got == c->want, "%s: glob(\"%s\", \"%s\") = %d, want %d", c->what, c->pattern,
                  c->text, got, c->want);
    if (c->want)
        ck_assert_msg(strcmp(capture, c->capture) == 0, "%s: capture \"%s\", want \"%s\"",
                      c->what, capture, c->capture);
    /* Same answer without a capture buffer. */
    ck_assert_int_eq(caps_fp_glob(c->pattern, c->text, NULL, 0), c->want);
}
END_TEST

START_TEST(glob_capture_cut)
{
    char buf[8];

    ck_assert_int_eq(caps_fp_glob("*", "abcdef", buf, 4), 1);
    ck_assert_str_eq(buf, "abc");
    ck_assert_int_eq(caps_fp_glob("x*", "xabcdef", buf, 1), 1);
    ck_assert_str_eq(buf, "");
    /* "a" + U+00E9 (2 bytes) in 2 bytes of room: the character is not split. */
    ck_assert_int_eq(caps_fp_glob("*", "a\xc3\xa9", buf, 3), 1);
    ck_assert_str_eq(buf, "a");
    ck_assert_int_eq(caps_fp_glob("*", "a\xc3\xa9", buf, 4), 1);
    ck_assert_str_eq(buf, "a\xc3\xa9");
    /* A capture exactly filling the evidence field. */
    char ev[CAPS_EV_CAPTURE_MAX];
    ck_assert_int_eq(caps_fp_glob("v*", "v12345678901234567890123456789", ev, sizeof ev), 1);
    ck_assert_uint_eq(strlen(ev), CAPS_EV_CAPTURE_MAX - 1);
    ck_assert_str_eq(ev, "12345678901234567890123");
}
END_TEST

START_TEST(glob_long_inputs)
{
    static char text[100001];
    char pattern[CAPS_FP_PATTERN_MAX];
    char capture[CAPS_EV_CAPTURE_MAX];

    /* 100000 bytes against a short pattern: linear with one star. */
    memset(text, 'a', sizeof text - 1);
    text[sizeof text - 2] = 'z';
    ck_assert_int_eq(caps_fp_glob("*z", text, capture, sizeof capture), 1);
    ck_assert_uint_eq(strlen(capture), CAPS_EV_CAPTURE_MAX - 1);
    ck_assert_int_eq(caps_fp_glob("*y", text, NULL, 0), 0);
    ck_assert_int_eq(caps_fp_glob("a*a*a*a*b", text, NULL, 0), 0);
    /* The worst case for backtracking: many stars, a near miss at the end,
     * over the longest value the matcher is given. Bounded by
     * len(pattern) * len(text); exponential matchers never return. */
    memset(text, 'a', CAPS_EV_VALUE_MAX - 1);
    text[CAPS_EV_VALUE_MAX - 1] = '\0';
    size_t n = 0;
    while (n + 2 < sizeof pattern - 1) {
        pattern[n++] = '*';
        pattern[n++] = 'a';
    }
    pattern[n++] = 'b';
    pattern[n] = '\0';
    ck_assert_int_eq(caps_fp_glob(pattern, text, capture, sizeof capture), 0);
    pattern[n - 1] = '*';
    ck_assert_int_eq(caps_fp_glob(pattern, text, capture, sizeof capture), 1);
    ck_assert_str_eq(capture, "");
}
END_TEST

/* ---- rule databases ---- */

#define TEST_RULES_MAX 64

struct test_db {
    struct caps_fp_rule rules[TEST_RULES_MAX];
    struct caps_fp_db db;
};

static int add_rule(struct test_db *t, int kind, const char *pattern, int os, int dev,
                    unsigned score_milli)
{
    ck_assert_uint_lt(t->db.count, TEST_RULES_MAX);
    uint32_t i = t->db.count++;
    struct caps_fp_rule *r = &t->rules[i];
    memset(r, 0, sizeof *r);
    snprintf(r->id, sizeof r->id, "rule-%u", (unsigned)i);
    r->kind = (uint8_t)kind;
    snprintf(r->pattern, sizeof r->pattern, "%s", pattern);
    r->os_family = (uint8_t)os;
    r->device_type = (uint8_t)dev;
    r->score_milli = (uint16_t)score_milli;
    t->db.rules = t->rules;
    return (int)i;
}

static void db_init(struct test_db *t)
{
    memset(t, 0, sizeof *t);
    t->db.rules = t->rules;
}

static void labels_init(struct caps_labels *l)
{
    memset(l, 0, sizeof *l);
}

START_TEST(db_match_precedence)
{
    struct test_db t;
    char capture[CAPS_EV_CAPTURE_MAX];

    db_init(&t);
    /* A local rule comes first and shadows the base rule with the same pattern. */
    int local = add_rule(&t, CAPS_EV_DHCP_VENDOR_CLASS, "MSFT *", CAPS_OS_WINDOWS, 0, 900);
    int base = add_rule(&t, CAPS_EV_DHCP_VENDOR_CLASS, "MSFT 5.0", CAPS_OS_WINDOWS, 0, 600);
    int other_kind = add_rule(&t, CAPS_EV_HOSTNAME, "android-*", CAPS_OS_ANDROID, 0, 500);
    int later = add_rule(&t, CAPS_EV_HOSTNAME, "*", CAPS_OS_LINUX, 0, 100);

    ck_assert_int_eq(caps_fp_db_match(&t.db, CAPS_EV_DHCP_VENDOR_CLASS, "MSFT 5.0", capture,
                                      sizeof capture), local);
    ck_assert_str_eq(capture, "5.0");
    ck_assert_int_ne(local, base);
    /* The kind must agree: the hostname rules do not see vendor classes. */
    ck_assert_int_eq(caps_fp_db_match(&t.db, CAPS_EV_DHCP_VENDOR_CLASS, "android-x", capture,
                                      sizeof capture), -1);
    ck_assert_str_eq(capture, "");
    ck_assert_int_eq(caps_fp_db_match(&t.db, CAPS_EV_HOSTNAME, "android-x", capture,
                                      sizeof capture), other_kind);
    ck_assert_int_eq(caps_fp_db_match(&t.db, CAPS_EV_HOSTNAME, "desk", capture, sizeof capture),
                     later);
    ck_assert_str_eq(capture, "desk");
    /* Without the local rule, the base rule answers. */
    struct caps_fp_db base_only = {.rules = &t.rules[1], .count = t.db.count - 1};
    ck_assert_int_eq(caps_fp_db_match(&base_only, CAPS_EV_DHCP_VENDOR_CLASS, "MSFT 5.0", NULL, 0),
                     0);
    /* Nothing to match against. */
    ck_assert_int_eq(caps_fp_db_match(NULL, CAPS_EV_HOSTNAME, "x", capture, sizeof capture), -1);
    ck_assert_int_eq(caps_fp_db_match(&t.db, CAPS_EV_NONE, "x", capture, sizeof capture), -1);
    ck_assert_int_eq(caps_fp_db_match(&t.db, CAPS_EV_KIND_COUNT, "x", NULL, 0), -1);
    ck_assert_int_eq(caps_fp_db_match(&t.db, CAPS_EV_HOSTNAME, NULL, NULL, 0), -1);
    struct caps_fp_db empty = {.rules = t.rules, .count = 0};
    ck_assert_int_eq(caps_fp_db_match(&empty, CAPS_EV_HOSTNAME, "x", NULL, 0), -1);
    /* The per-kind index answers exactly as the full scan does. */
    static struct caps_fp_db indexed;
    indexed = t.db;
    caps_fp_db_index(&indexed);
    ck_assert_int_eq(indexed.indexed, 1);
    static const struct { int kind; const char *value; } probes[] = {
        {CAPS_EV_HOSTNAME, "android-x"}, {CAPS_EV_HOSTNAME, "desk"}, {CAPS_EV_HOSTNAME, "zzz"},
        {CAPS_EV_DHCP_VENDOR_CLASS, "MSFT 5.0"}, {CAPS_EV_DHCP_VENDOR_CLASS, "nothing"},
    };
    for (size_t i = 0; i < sizeof probes / sizeof probes[0]; i++) {
        char c1[32], c2[32];
        int full = caps_fp_db_match(&t.db, probes[i].kind, probes[i].value, c1, sizeof c1);
        int fast = caps_fp_db_match(&indexed, probes[i].kind, probes[i].value, c2, sizeof c2);
        ck_assert_int_eq(full, fast);
        ck_assert_str_eq(c1, c2);
    }
}
END_TEST

START_TEST(db_match_cuts_long_values)
{
    struct test_db t;
    char value[400];
    char capture[CAPS_EV_CAPTURE_MAX];

    db_init(&t);
    add_rule(&t, CAPS_EV_SSDP_SERVER, "*x", CAPS_OS_LINUX, 0, 500);
    int prefix = add_rule(&t, CAPS_EV_SSDP_SERVER, "aaa*", CAPS_OS_LINUX, 0, 500);
    memset(value, 'a', sizeof value - 2);
    value[sizeof value - 2] = 'x';
    value[sizeof value - 1] = '\0';
    /* The 'x' lies past CAPS_EV_VALUE_MAX - 1 bytes: cut away. */
    ck_assert_int_eq(caps_fp_db_match(&t.db, CAPS_EV_SSDP_SERVER, value, capture, sizeof capture),
                     prefix);
    ck_assert_uint_eq(strlen(capture), CAPS_EV_CAPTURE_MAX - 1);
    value[CAPS_EV_VALUE_MAX - 2] = 'x';
    ck_assert_int_eq(caps_fp_db_match(&t.db, CAPS_EV_SSDP_SERVER, value, NULL, 0), 0);
}
END_TEST

/* ---- observe and labels ---- */

START_TEST(observe_same_rule_counts_once)
{
    struct test_db t;
    struct caps_labels l;

    db_init(&t);
    add_rule(&t, CAPS_EV_HOSTNAME, "DESKTOP-*", CAPS_OS_WINDOWS, CAPS_DEV_WORKSTATION, 600);
    labels_init(&l);
    ck_assert_int_eq(caps_fp_observe(&l, &t.db, CAPS_EV_HOSTNAME, "DESKTOP-ABC", CAPS_PROTO_DHCP), 1);
    ck_assert_int_eq(caps_fp_observe(&l, &t.db, CAPS_EV_HOSTNAME, "DESKTOP-ABC", CAPS_PROTO_DHCP), 0);
    /* Another value matching the same rule is still the same rule; the
     * first capture is kept. */
    ck_assert_int_eq(caps_fp_observe(&l, &t.db, CAPS_EV_HOSTNAME, "desktop-xyz", CAPS_PROTO_NBNS), 0);
    ck_assert_uint_eq(l.evidence_count, 1);
    ck_assert_uint_eq(l.evidence[0].rule, 0);
    ck_assert_uint_eq(l.evidence[0].source, CAPS_PROTO_DHCP);
    ck_assert_uint_eq(l.evidence[0].kind, CAPS_EV_HOSTNAME);
    ck_assert_str_eq(l.evidence[0].capture, "ABC");
    ck_assert_uint_eq(l.os_family, CAPS_OS_WINDOWS);
    ck_assert_uint_eq(l.os_confidence_milli, 600);
    ck_assert_uint_eq(l.device_type, CAPS_DEV_WORKSTATION);
    ck_assert_uint_eq(l.device_confidence_milli, 600);
    /* No match, no database: nothing changes. */
    ck_assert_int_eq(caps_fp_observe(&l, &t.db, CAPS_EV_HOSTNAME, "laptop", CAPS_PROTO_DHCP), 0);
    ck_assert_int_eq(caps_fp_observe(&l, NULL, CAPS_EV_HOSTNAME, "DESKTOP-1", CAPS_PROTO_DHCP), 0);
    ck_assert_uint_eq(l.evidence_count, 1);
}
END_TEST

START_TEST(observe_combines_support)
{
    struct test_db t;
    struct caps_labels l;

    db_init(&t);
    add_rule(&t, CAPS_EV_HOSTNAME, "DESKTOP-*", CAPS_OS_WINDOWS, 0, 600);
    add_rule(&t, CAPS_EV_DHCP_VENDOR_CLASS, "MSFT 5.0", CAPS_OS_WINDOWS, 0, 500);
    add_rule(&t, CAPS_EV_IP_TTL, "128", CAPS_OS_WINDOWS, 0, 300);
    labels_init(&l);
    ck_assert_int_eq(caps_fp_observe(&l, &t.db, CAPS_EV_HOSTNAME, "DESKTOP-1", CAPS_PROTO_DHCP), 1);
    ck_assert_uint_eq(l.os_confidence_milli, 600);
    ck_assert_int_eq(caps_fp_observe(&l, &t.db, CAPS_EV_DHCP_VENDOR_CLASS, "MSFT 5.0",
                                     CAPS_PROTO_DHCP), 1);
    /* 1 - 0.4 * 0.5 = 0.8 */
    ck_assert_uint_eq(l.os_family, CAPS_OS_WINDOWS);
    ck_assert_uint_eq(l.os_confidence_milli, 800);
    ck_assert_int_eq(caps_fp_observe(&l, &t.db, CAPS_EV_IP_TTL, "128", CAPS_PROTO_DHCP), 1);
    /* 1 - 0.4 * 0.5 * 0.7 = 0.86 */
    ck_assert_uint_eq(l.os_confidence_milli, 860);
    /* No device evidence: no device label. */
    ck_assert_uint_eq(l.device_type, CAPS_DEV_NONE);
    ck_assert_uint_eq(l.device_confidence_milli, 0);
}
END_TEST

START_TEST(observe_conflict)
{
    struct test_db t;
    struct caps_labels l;

    db_init(&t);
    add_rule(&t, CAPS_EV_DHCP_VENDOR_CLASS, "android-dhcp-*", CAPS_OS_ANDROID, CAPS_DEV_PHONE, 900);
    add_rule(&t, CAPS_EV_MDNS_SERVICE, "_apple-mobdev2._tcp", CAPS_OS_IOS, CAPS_DEV_PHONE, 500);

    /* Weaker first: ios, then android beats it by more than the margin. */
    labels_init(&l);
    caps_fp_observe(&l, &t.db, CAPS_EV_MDNS_SERVICE, "_apple-mobdev2._tcp", CAPS_PROTO_MDNS);
    ck_assert_uint_eq(l.os_family, CAPS_OS_IOS);
    ck_assert_uint_eq(l.os_confidence_milli, 500);
    caps_fp_observe(&l, &t.db, CAPS_EV_DHCP_VENDOR_CLASS, "android-dhcp-13", CAPS_PROTO_DHCP);
    ck_assert_uint_eq(l.os_family, CAPS_OS_ANDROID);
    ck_assert_uint_eq(l.os_confidence_milli, 450);   /* 0.9 * (1 - 0.5) */
    /* Both name phone: 1 - 0.1 * 0.5 = 0.95, no competitor. */
    ck_assert_uint_eq(l.device_type, CAPS_DEV_PHONE);
    ck_assert_uint_eq(l.device_confidence_milli, 950);

    /* Stronger first: the same result. */
    labels_init(&l);
    caps_fp_observe(&l, &t.db, CAPS_EV_DHCP_VENDOR_CLASS, "android-dhcp-13", CAPS_PROTO_DHCP);
    ck_assert_uint_eq(l.os_confidence_milli, 900);
    caps_fp_observe(&l, &t.db, CAPS_EV_MDNS_SERVICE, "_apple-mobdev2._tcp", CAPS_PROTO_MDNS);
    ck_assert_uint_eq(l.os_family, CAPS_OS_ANDROID);
    ck_assert_uint_eq(l.os_confidence_milli, 450);
}
END_TEST

START_TEST(observe_hysteresis_margin)
{
    struct test_db t;
    struct caps_labels l;

    db_init(&t);
    add_rule(&t, CAPS_EV_HOSTNAME, "win-*", CAPS_OS_WINDOWS, 0, 500);
    add_rule(&t, CAPS_EV_SSDP_SERVER, "linux-a", CAPS_OS_LINUX, 0, 600);
    add_rule(&t, CAPS_EV_SSDP_SERVER, "linux-b", CAPS_OS_LINUX, 0, 601);

    /* Exactly 0.10 ahead is not enough (strictly more is required). */
    labels_init(&l);
    caps_fp_observe(&l, &t.db, CAPS_EV_HOSTNAME, "win-1", CAPS_PROTO_DHCP);
    caps_fp_observe(&l, &t.db, CAPS_EV_SSDP_SERVER, "linux-a", CAPS_PROTO_SSDP);
    ck_assert_uint_eq(l.os_family, CAPS_OS_WINDOWS);
    ck_assert_uint_eq(l.os_confidence_milli, 200);   /* 0.5 * (1 - 0.6) */

    /* 0.101 ahead is. */
    labels_init(&l);
    caps_fp_observe(&l, &t.db, CAPS_EV_HOSTNAME, "win-1", CAPS_PROTO_DHCP);
    caps_fp_observe(&l, &t.db, CAPS_EV_SSDP_SERVER, "linux-b", CAPS_PROTO_SSDP);
    ck_assert_uint_eq(l.os_family, CAPS_OS_LINUX);
    ck_assert_uint_eq(l.os_confidence_milli, 301);   /* 0.601 * 0.5 = 0.3005, half up */
}
END_TEST

START_TEST(observe_alternating_never_flaps)
{
    struct test_db t;
    struct caps_labels l;
    static const char *const values[] = {"win-1", "linux-a", "DESKTOP-7", "linux-b"};
    static const int kinds[] = {CAPS_EV_HOSTNAME, CAPS_EV_SSDP_SERVER, CAPS_EV_HOSTNAME,
                                CAPS_EV_SSDP_SERVER};

    db_init(&t);
    add_rule(&t, CAPS_EV_HOSTNAME, "win-*", CAPS_OS_WINDOWS, 0, 600);
    add_rule(&t, CAPS_EV_SSDP_SERVER, "linux-a", CAPS_OS_LINUX, 0, 650);
    add_rule(&t, CAPS_EV_HOSTNAME, "DESKTOP-*", CAPS_OS_WINDOWS, 0, 100);   /* windows 0.64 */
    add_rule(&t, CAPS_EV_SSDP_SERVER, "linux-b", CAPS_OS_LINUX, 0, 300);    /* linux 0.755 */
    labels_init(&l);

    /* Phase 1: windows 0.6 then linux 0.65 alternating: linux is never
     * 0.10 ahead, windows must hold through 1000 observations. */
    unsigned changes = 0;
    uint8_t last = CAPS_OS_NONE;
    for (int i = 0; i < 1000; i++) {
        caps_fp_observe(&l, &t.db, kinds[i % 2], values[i % 2], CAPS_PROTO_SSDP);
        if (l.os_family != last)
            changes++;
        last = l.os_family;
        ck_assert_uint_eq(l.os_family, CAPS_OS_WINDOWS);
    }
    ck_assert_uint_eq(changes, 1);   /* NONE -> windows */
    ck_assert_uint_eq(l.os_confidence_milli, 210);   /* 0.6 * 0.35 */

    /* Phase 2: all four rules alternating. windows 0.64, linux 0.755: the
     * label changes exactly once, when linux-b arrives (0.755 > 0.64 + 0.1). */
    changes = 0;
    for (int i = 0; i < 1000; i++) {
        uint8_t before = l.os_family;
        caps_fp_observe(&l, &t.db, kinds[i % 4], values[i % 4], CAPS_PROTO_SSDP);
        if (l.os_family != before) {
            changes++;
            ck_assert_int_eq(i % 4, 3);
            ck_assert_uint_eq(l.os_family, CAPS_OS_LINUX);
        }
    }
    ck_assert_uint_eq(changes, 1);
    ck_assert_uint_eq(l.os_family, CAPS_OS_LINUX);
    ck_assert_uint_eq(l.os_confidence_milli, 272);   /* 0.755 * (1 - 0.64) = 0.2718 */
    ck_assert_uint_eq(l.evidence_count, 4);
}
END_TEST

/* Floating-point reference of the documented rule, for the random runs. */
static double ref_support(const struct caps_labels *l, const struct caps_fp_db *db, int os, int v)
{
    double q = 1.0;
    int any = 0;
    for (size_t i = 0; i < l->evidence_count; i++) {
        const struct caps_fp_rule *r = &db->rules[l->evidence[i].rule];
        if ((os ? r->os_family : r->device_type) == v) {
            q *= 1.0 - r->score_milli / 1000.0;
            any = 1;
        }
    }
    return any ? 1.0 - q : 0.0;
}

static void ref_check(const struct caps_labels *l, const struct caps_fp_db *db, int os,
                      int before, uint64_t seed, int step)
{
    int count = os ? CAPS_OS_COUNT : CAPS_DEV_COUNT;
    int now = os ? l->os_family : l->device_type;
    unsigned conf = os ? l->os_confidence_milli : l->device_confidence_milli;
    double s[CAPS_DEV_COUNT] = {0};
    int best = 0;
    const double eps = 1e-6;

    for (int v = 1; v < count; v++) {
        s[v] = ref_support(l, db, os, v);
        if (s[v] > s[best] + eps)
            best = v;
    }
    if (best == 0) {
        ck_assert_msg(now == 0 && conf == 0, "seed %llu step %d: label %d without evidence",
                      (unsigned long long)seed, step, now);
        return;
    }
    ck_assert_msg(s[now] > 0, "seed %llu step %d: label %d has no support",
                  (unsigned long long)seed, step, now);
    if (now != before && before != 0 && s[before] > 0)
        ck_assert_msg(s[now] > s[before] + 0.1 - eps,
                      "seed %llu step %d: switched %d -> %d at %.4f vs %.4f",
                      (unsigned long long)seed, step, before, now, s[now], s[before]);
    if (now == before)
        ck_assert_msg(s[best] <= s[now] + 0.1 + eps,
                      "seed %llu step %d: kept %d at %.4f although %d has %.4f",
                      (unsigned long long)seed, step, now, s[now], best, s[best]);
    double other = 0;
    for (int v = 1; v < count; v++)
        if (v != now && s[v] > other)
            other = s[v];
    double want = s[now] * (1 - other) * 1000.0;
    ck_assert_msg(conf + 0.5 + 1e-3 >= want && conf <= want + 0.5 + 1e-3,
                  "seed %llu step %d: confidence %u, want %.3f", (unsigned long long)seed, step,
                  conf, want);
}

static uint64_t lcg_next(uint64_t *x)
{
    *x = *x * 6364136223846793005u + 1442695040888963407u;
    return *x >> 33;
}

START_TEST(observe_random_sequences)
{
    /* 24 rules over three families and three device types, more than the
     * evidence table holds, observed 1000 times in a seeded random order.
     * Every change must follow the rule; the evidence settles, so the
     * labels change at most once per evidence change. */
    static const int families[] = {CAPS_OS_WINDOWS, CAPS_OS_LINUX, CAPS_OS_MACOS};
    static const int devices[] = {CAPS_DEV_WORKSTATION, CAPS_DEV_SERVER, CAPS_DEV_NAS};
    uint64_t seed = 20240501u + (uint64_t)_i;
    uint64_t x = seed;
    struct test_db t;
    struct caps_labels l;

    db_init(&t);
    for (int i = 0; i < 24; i++) {
        char pattern[16];
        snprintf(pattern, sizeof pattern, "v%d", i);
        /* One draw per statement: argument evaluation order is unspecified. */
        int os = families[lcg_next(&x) % 3];
        int dev = lcg_next(&x) % 4 == 0 ? 0 : devices[lcg_next(&x) % 3];
        unsigned score = (unsigned)(1 + lcg_next(&x) % 20) * 50u;
        add_rule(&t, CAPS_EV_HOSTNAME, pattern, os, dev, score);
    }
    labels_init(&l);
    unsigned evidence_changes = 0, label_changes = 0;
    for (int step = 0; step < 1000; step++) {
        char value[16];
        snprintf(value, sizeof value, "v%d", (int)(lcg_next(&x) % 24));
        int os_before = l.os_family, dev_before = l.device_type;
        evidence_changes += (unsigned)caps_fp_observe(&l, &t.db, CAPS_EV_HOSTNAME, value,
                                                      CAPS_PROTO_DHCP);
        ck_assert_uint_le(l.evidence_count, CAPS_EVIDENCE_MAX);
        ref_check(&l, &t.db, 1, os_before, seed, step);
        ref_check(&l, &t.db, 0, dev_before, seed, step);
        label_changes += (unsigned)(l.os_family != os_before) + (unsigned)(l.device_type != dev_before);
    }
    ck_assert_uint_le(label_changes, 2 * evidence_changes);
    /* The table fills, and an evicted rule can never come back (the weakest
     * score only rises), so at most one change per rule. */
    ck_assert_uint_le(evidence_changes, 24);
    ck_assert_uint_eq(l.evidence_count, CAPS_EVIDENCE_MAX);
}
END_TEST

START_TEST(observe_ties_and_zero_evidence)
{
    struct test_db t;
    struct caps_labels l;

    db_init(&t);
    int lin = add_rule(&t, CAPS_EV_HOSTNAME, "lin", CAPS_OS_LINUX, 0, 500);
    int win = add_rule(&t, CAPS_EV_HOSTNAME, "win", CAPS_OS_WINDOWS, 0, 500);
    add_rule(&t, CAPS_EV_OUI_VENDOR, "Synology*", 0, CAPS_DEV_NAS, 300);
    int maker = add_rule(&t, CAPS_EV_OUI_VENDOR, "Apple*", 0, 0, 400);
    snprintf(t.rules[maker].manufacturer, CAPS_FP_TEXT_MAX, "Apple");
    add_rule(&t, CAPS_EV_HOSTNAME, "faint", CAPS_OS_MACOS, 0, 50);

    /* Manufacturer-only evidence sets no label. */
    labels_init(&l);
    ck_assert_int_eq(caps_fp_observe(&l, &t.db, CAPS_EV_OUI_VENDOR, "Apple, Inc.", CAPS_PROTO_ARP), 1);
    ck_assert_uint_eq(l.os_family, CAPS_OS_NONE);
    ck_assert_uint_eq(l.device_type, CAPS_DEV_NONE);
    ck_assert_uint_eq(l.os_confidence_milli, 0);

    /* Two equal supports derived at once: the smaller enum value wins
     * (windows 1 < linux 7), whatever the evidence order. */
    labels_init(&l);
    l.evidence_count = 2;
    l.evidence[0].rule = (uint16_t)lin;
    l.evidence[1].rule = (uint16_t)win;
    ck_assert_int_eq(caps_fp_observe(&l, &t.db, CAPS_EV_OUI_VENDOR, "Synology Inc.", CAPS_PROTO_ARP), 1);
    ck_assert_uint_eq(l.os_family, CAPS_OS_WINDOWS);
    ck_assert_uint_eq(l.os_confidence_milli, 250);
    ck_assert_uint_eq(l.device_type, CAPS_DEV_NAS);

    /* One at a time, the first holds: a tie is no margin. */
    labels_init(&l);
    caps_fp_observe(&l, &t.db, CAPS_EV_HOSTNAME, "lin", CAPS_PROTO_DHCP);
    caps_fp_observe(&l, &t.db, CAPS_EV_HOSTNAME, "win", CAPS_PROTO_DHCP);
    ck_assert_uint_eq(l.os_family, CAPS_OS_LINUX);
    ck_assert_uint_eq(l.os_confidence_milli, 250);

    /* A label whose evidence is gone is not kept: here a stale label with
     * no evidence behind it gives way to the best supported one. */
    labels_init(&l);
    l.os_family = CAPS_OS_FREEBSD;
    l.os_confidence_milli = 900;
    caps_fp_observe(&l, &t.db, CAPS_EV_HOSTNAME, "lin", CAPS_PROTO_DHCP);
    ck_assert_uint_eq(l.os_family, CAPS_OS_LINUX);
    ck_assert_uint_eq(l.os_confidence_milli, 500);
    /* Even when the new label's support is under the margin. */
    labels_init(&l);
    l.os_family = CAPS_OS_FREEBSD;
    caps_fp_observe(&l, &t.db, CAPS_EV_HOSTNAME, "faint", CAPS_PROTO_DHCP);
    ck_assert_uint_eq(l.os_family, CAPS_OS_MACOS);
    ck_assert_uint_eq(l.os_confidence_milli, 50);
    labels_init(&l);
    l.os_family = CAPS_OS_FREEBSD;
    caps_fp_observe(&l, &t.db, CAPS_EV_OUI_VENDOR, "Apple", CAPS_PROTO_ARP);
    ck_assert_uint_eq(l.os_family, CAPS_OS_NONE);
    ck_assert_uint_eq(l.os_confidence_milli, 0);
}
END_TEST

START_TEST(observe_table_full)
{
    struct test_db t;
    struct caps_labels l;
    char value[16];

    db_init(&t);
    /* Rules 0..9 with scores 300, 200, 300, 200, ... (two weakest kinds). */
    for (int i = 0; i < CAPS_EVIDENCE_MAX; i++) {
        snprintf(value, sizeof value, "h%d", i);
        add_rule(&t, CAPS_EV_HOSTNAME, value, CAPS_OS_LINUX, 0, i % 2 ? 200u : 300u);
    }
    int equal = add_rule(&t, CAPS_EV_HOSTNAME, "equal", CAPS_OS_WINDOWS, 0, 200);
    int lower = add_rule(&t, CAPS_EV_HOSTNAME, "lower", CAPS_OS_WINDOWS, 0, 100);
    int higher = add_rule(&t, CAPS_EV_HOSTNAME, "higher", CAPS_OS_WINDOWS, 0, 201);
    int higher2 = add_rule(&t, CAPS_EV_HOSTNAME, "higher2", CAPS_OS_WINDOWS, 0, 900);

    labels_init(&l);
    for (int i = 0; i < CAPS_EVIDENCE_MAX; i++) {
        snprintf(value, sizeof value, "h%d", i);
        ck_assert_int_eq(caps_fp_observe(&l, &t.db, CAPS_EV_HOSTNAME, value, CAPS_PROTO_DHCP), 1);
    }
    ck_assert_uint_eq(l.evidence_count, CAPS_EVIDENCE_MAX);
    /* Not strictly stronger than the weakest (200): refused. */
    ck_assert_int_eq(caps_fp_observe(&l, &t.db, CAPS_EV_HOSTNAME, "equal", CAPS_PROTO_DHCP), 0);
    ck_assert_int_eq(caps_fp_observe(&l, &t.db, CAPS_EV_HOSTNAME, "lower", CAPS_PROTO_DHCP), 0);
    ck_assert_uint_eq(l.os_family, CAPS_OS_LINUX);
    /* Stronger: replaces the oldest of the weakest (rule 1, index 1); the
     * rest keep their order and the new item goes last. */
    ck_assert_int_eq(caps_fp_observe(&l, &t.db, CAPS_EV_HOSTNAME, "higher", CAPS_PROTO_DHCP), 1);
    ck_assert_uint_eq(l.evidence_count, CAPS_EVIDENCE_MAX);
    static const int after1[CAPS_EVIDENCE_MAX] = {0, 2, 3, 4, 5, 6, 7, 8, 9, -1};
    for (int i = 0; i < CAPS_EVIDENCE_MAX - 1; i++)
        ck_assert_int_eq(l.evidence[i].rule, after1[i]);
    ck_assert_int_eq(l.evidence[CAPS_EVIDENCE_MAX - 1].rule, higher);
    /* Next weakest is rule 3 (200). */
    ck_assert_int_eq(caps_fp_observe(&l, &t.db, CAPS_EV_HOSTNAME, "higher2", CAPS_PROTO_DHCP), 1);
    ck_assert_int_eq(l.evidence[1].rule, 2);
    ck_assert_int_eq(l.evidence[2].rule, 4);
    ck_assert_int_eq(l.evidence[CAPS_EVIDENCE_MAX - 2].rule, higher);
    ck_assert_int_eq(l.evidence[CAPS_EVIDENCE_MAX - 1].rule, higher2);
    /* linux: 1 - 0.7^5 * 0.8^3 = 0.91395...; windows 1 - 0.799 * 0.1 = 0.9201:
     * not 0.10 ahead, linux holds. */
    ck_assert_uint_eq(l.os_family, CAPS_OS_LINUX);
    (void)equal;
    (void)lower;
}
END_TEST

/* ---- details ---- */

START_TEST(details_expand_and_cut)
{
    struct test_db t;
    struct caps_labels l;
    char out[CAPS_FP_TEXT_MAX];

    db_init(&t);
    int android = add_rule(&t, CAPS_EV_DHCP_VENDOR_CLASS, "android-dhcp-*", CAPS_OS_ANDROID,
                           CAPS_DEV_PHONE, 700);
    snprintf(t.rules[android].os_version, CAPS_FP_TEXT_MAX, "$1");
    int weak = add_rule(&t, CAPS_EV_HOSTNAME, "android-*", CAPS_OS_ANDROID, 0, 300);
    snprintf(t.rules[weak].os_version, CAPS_FP_TEXT_MAX, "old");
    int lin = add_rule(&t, CAPS_EV_MDNS_HINFO, "* LINUX", CAPS_OS_LINUX, 0, 850);
    snprintf(t.rules[lin].os_version, CAPS_FP_TEXT_MAX, "5.10");
    int cast = add_rule(&t, CAPS_EV_MDNS_TXT, "md=*", 0, CAPS_DEV_MEDIA_PLAYER, 800);
    snprintf(t.rules[cast].model, CAPS_FP_TEXT_MAX, "$1 ($1)");
    snprintf(t.rules[cast].manufacturer, CAPS_FP_TEXT_MAX, "Google");
    int oui = add_rule(&t, CAPS_EV_OUI_VENDOR, "Samsung*", 0, 0, 400);
    snprintf(t.rules[oui].manufacturer, CAPS_FP_TEXT_MAX, "Samsung");
    snprintf(t.rules[oui].model, CAPS_FP_TEXT_MAX, "Galaxy");

    labels_init(&l);
    caps_fp_os_version(&l, &t.db, out, sizeof out);
    ck_assert_str_eq(out, "");
    caps_fp_observe(&l, &t.db, CAPS_EV_HOSTNAME, "android-abc", CAPS_PROTO_DHCP);
    caps_fp_os_version(&l, &t.db, out, sizeof out);
    ck_assert_str_eq(out, "old");
    caps_fp_observe(&l, &t.db, CAPS_EV_DHCP_VENDOR_CLASS, "android-dhcp-13", CAPS_PROTO_DHCP);
    caps_fp_observe(&l, &t.db, CAPS_EV_OUI_VENDOR, "Samsung Electronics Co.,Ltd", CAPS_PROTO_ARP);
    ck_assert_uint_eq(l.os_family, CAPS_OS_ANDROID);
    /* Strongest evidence of the chosen family that carries a version. */
    caps_fp_os_version(&l, &t.db, out, sizeof out);
    ck_assert_str_eq(out, "13");
    caps_fp_manufacturer(&l, &t.db, out, sizeof out);
    ck_assert_str_eq(out, "Samsung");
    caps_fp_model(&l, &t.db, out, sizeof out);
    ck_assert_str_eq(out, "Galaxy");
    /* A stronger linux rule with a version: android still holds (0.85 vs
     * 0.79 is not 0.10 ahead) and linux's version is not android's. */
    caps_fp_observe(&l, &t.db, CAPS_EV_MDNS_HINFO, "ARM LINUX", CAPS_PROTO_MDNS);
    ck_assert_uint_eq(l.os_family, CAPS_OS_ANDROID);
    caps_fp_os_version(&l, &t.db, out, sizeof out);
    ck_assert_str_eq(out, "13");
    /* Stronger model evidence, any family; "$1" twice. */
    caps_fp_observe(&l, &t.db, CAPS_EV_MDNS_TXT, "md=Chromecast", CAPS_PROTO_MDNS);
    caps_fp_model(&l, &t.db, out, sizeof out);
    ck_assert_str_eq(out, "Chromecast (Chromecast)");
    caps_fp_manufacturer(&l, &t.db, out, sizeof out);
    ck_assert_str_eq(out, "Google");
    /* Cut to the caller's capacity, never inside a UTF-8 character. */
    caps_fp_model(&l, &t.db, out, 11);
    ck_assert_str_eq(out, "Chromecast");
    caps_fp_model(&l, &t.db, out, 1);
    ck_assert_str_eq(out, "");

    /* A long capture: cut to the evidence field, then expanded twice and
     * cut to the output. */
    labels_init(&l);
    caps_fp_observe(&l, &t.db, CAPS_EV_MDNS_TXT, "md=\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
                    "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9", CAPS_PROTO_MDNS);
    ck_assert_uint_eq(strlen(l.evidence[0].capture), 22);   /* 11 of the 12 characters */
    char big[128];
    caps_fp_model(&l, &t.db, big, sizeof big);
    ck_assert_uint_eq(strlen(big), 22 + 2 + 22 + 1);
    caps_fp_model(&l, &t.db, out, sizeof out);
    ck_assert_uint_eq(strlen(out), 30);   /* 22 + " (" + 3 characters of 2 bytes */
    ck_assert_int_eq(out[24] & 0xff, 0xc3);
    caps_fp_model(&l, &t.db, out, 26);
    ck_assert_uint_eq(strlen(out), 24);   /* 25 bytes of room would split a character */

    /* No OS label: no version. */
    labels_init(&l);
    caps_fp_os_version(&l, &t.db, out, sizeof out);
    ck_assert_str_eq(out, "");
    caps_fp_manufacturer(&l, NULL, out, sizeof out);
    ck_assert_str_eq(out, "");
}
END_TEST

START_TEST(details_ties_earlier_evidence)
{
    struct test_db t;
    struct caps_labels l;
    char out[CAPS_FP_TEXT_MAX];

    db_init(&t);
    int a = add_rule(&t, CAPS_EV_HOSTNAME, "a", CAPS_OS_WINDOWS, 0, 500);
    snprintf(t.rules[a].os_version, CAPS_FP_TEXT_MAX, "10");
    snprintf(t.rules[a].manufacturer, CAPS_FP_TEXT_MAX, "Dell");
    int b = add_rule(&t, CAPS_EV_HOSTNAME, "b", CAPS_OS_WINDOWS, 0, 500);
    snprintf(t.rules[b].os_version, CAPS_FP_TEXT_MAX, "11");
    snprintf(t.rules[b].manufacturer, CAPS_FP_TEXT_MAX, "HP");
    labels_init(&l);
    caps_fp_observe(&l, &t.db, CAPS_EV_HOSTNAME, "b", CAPS_PROTO_DHCP);
    caps_fp_observe(&l, &t.db, CAPS_EV_HOSTNAME, "a", CAPS_PROTO_DHCP);
    caps_fp_os_version(&l, &t.db, out, sizeof out);
    ck_assert_str_eq(out, "11");
    caps_fp_manufacturer(&l, &t.db, out, sizeof out);
    ck_assert_str_eq(out, "HP");
}
END_TEST

/* ---- names ---- */

START_TEST(names_round_trip)
{
    static const char *const os[] = {"windows", "macos", "ios", "ipados", "tvos", "android",
                                     "linux", "chromeos", "freebsd", "embedded"};
    static const char *const dev[] = {"workstation", "server", "nas", "phone", "tablet",
                                      "printer", "tv", "media_player", "speaker", "camera",
                                      "voip_phone", "game_console", "network", "iot"};
    static const char *const kinds[] = {
        "dhcp_prl", "dhcp_options", "dhcp_vendor_class", "hostname", "ip_ttl",
        "browser_os", "ssdp_server", "ssdp_user_agent", "ssdp_type", "mdns_service",
        "mdns_txt", "mdns_hinfo", "oui_vendor", "browser_role", "browser_comment"};

    ck_assert_uint_eq(sizeof os / sizeof os[0], CAPS_OS_COUNT - 1);
    ck_assert_uint_eq(sizeof dev / sizeof dev[0], CAPS_DEV_COUNT - 1);
    ck_assert_uint_eq(sizeof kinds / sizeof kinds[0], CAPS_EV_KIND_COUNT - 1);
    for (int v = 1; v < CAPS_OS_COUNT; v++) {
        ck_assert_str_eq(caps_os_family_name(v), os[v - 1]);
        ck_assert_int_eq(caps_os_family_parse(os[v - 1]), v);
    }
    for (int v = 1; v < CAPS_DEV_COUNT; v++) {
        ck_assert_str_eq(caps_device_type_name(v), dev[v - 1]);
        ck_assert_int_eq(caps_device_type_parse(dev[v - 1]), v);
    }
    for (int v = 1; v < CAPS_EV_KIND_COUNT; v++) {
        ck_assert_str_eq(caps_ev_kind_name(v), kinds[v - 1]);
        ck_assert_int_eq(caps_ev_kind_parse(kinds[v - 1]), v);
    }
    ck_assert_ptr_null(caps_os_family_name(CAPS_OS_NONE));
    ck_assert_ptr_null(caps_os_family_name(CAPS_OS_COUNT));
    ck_assert_ptr_null(caps_os_family_name(-1));
    ck_assert_ptr_null(caps_device_type_name(CAPS_DEV_NONE));
    ck_assert_ptr_null(caps_device_type_name(CAPS_DEV_COUNT));
    ck_assert_ptr_null(caps_ev_kind_name(CAPS_EV_NONE));
    ck_assert_ptr_null(caps_ev_kind_name(CAPS_EV_KIND_COUNT));
    ck_assert_int_eq(caps_os_family_parse("Windows"), -1);
    ck_assert_int_eq(caps_os_family_parse(""), -1);
    ck_assert_int_eq(caps_os_family_parse(NULL), -1);
    ck_assert_int_eq(caps_os_family_parse("none"), -1);
    ck_assert_int_eq(caps_device_type_parse("media player"), -1);
    ck_assert_int_eq(caps_ev_kind_parse("dhcp_prm"), -1);
    ck_assert_int_eq(caps_ev_kind_parse(NULL), -1);
}
END_TEST

Suite *suite_fingerprint(void)
{
    Suite *s = suite_create("fingerprint");
    TCase *tc = tcase_create("glob");
    tcase_add_loop_test(tc, glob_table, 0, (int)GLOB_CASES);
    tcase_add_test(tc, glob_capture_cut);
    tcase_add_test(tc, glob_long_inputs);
    suite_add_tcase(s, tc);

    tc = tcase_create("db");
    tcase_add_test(tc, db_match_precedence);
    tcase_add_test(tc, db_match_cuts_long_values);
    suite_add_tcase(s, tc);

    tc = tcase_create("labels");
    tcase_add_test(tc, observe_same_rule_counts_once);
    tcase_add_test(tc, observe_combines_support);
    tcase_add_test(tc, observe_conflict);
    tcase_add_test(tc, observe_hysteresis_margin);
    tcase_add_test(tc, observe_alternating_never_flaps);
    tcase_add_loop_test(tc, observe_random_sequences, 0, 20);
    tcase_add_test(tc, observe_ties_and_zero_evidence);
    tcase_add_test(tc, observe_table_full);
    suite_add_tcase(s, tc);

    tc = tcase_create("details");
    tcase_add_test(tc, details_expand_and_cut);
    tcase_add_test(tc, details_ties_earlier_evidence);
    tcase_add_test(tc, names_round_trip);
    suite_add_tcase(s, tc);
    return s;
}
