/* test_scope.c - on/off premises and asset scope status, table-driven.
 *
 * The core cannot link the codec, so configurations are filled by hand here
 * (ranges in host order, as codec_config_parse would store them).
 */
#include <string.h>
#include <check.h>

#include "caps/config.h"
#include "caps/inventory.h"
#include "caps/scope.h"
#include "testutil.h"

Suite *suite_scope(void);

#define IP(a, b, c, d) ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (d))

static struct caps_config cfg;

static void add_domain(struct caps_config *c, const char *name)
{
    struct caps_domain *d = &c->domains[c->domain_count++];
    size_t n = strlen(name);
    ck_assert_uint_lt(n, sizeof d->name);
    memcpy(d->name, name, n + 1);
    d->include_first = c->include_count;
    d->include_count = 0;
}

/* Appends an include range to the domain added last. */
static void add_include(struct caps_config *c, uint32_t first, uint32_t last)
{
    c->include[c->include_count++] = (struct caps_ip4_range){first, last};
    c->domains[c->domain_count - 1].include_count++;
}

static void add_exclude(struct caps_config *c, uint32_t first, uint32_t last)
{
    c->exclude[c->exclude_count++] = (struct caps_ip4_range){first, last};
}

/* The configuration of every status case: what each range form of the
 * configuration file ("a.b.c.d", CIDR, first-last, last-octet shorthand,
 * wildcard) parses to.
 *   0 corp.example.com: include 10.1.0.0/16, 10.2.0.10-10.2.0.99, 10.3.0.7,
 *     10.4.*.*, 10.5.5.250-255 (last-octet shorthand)
 *   1 lab.example.net:  no include list (every address)
 *   2 dmz.example.org:  include 192.168.7.0/24
 * exclude: 10.1.0.1, 10.1.5.0/24, 192.168.7.128-192.168.7.255, MAC 00:11:22:33:44:55 */
static void scope_config(struct caps_config *c)
{
    caps_config_default(c);
    add_domain(c, "corp.example.com");
    add_include(c, IP(10, 1, 0, 0), IP(10, 1, 255, 255));
    add_include(c, IP(10, 2, 0, 10), IP(10, 2, 0, 99));
    add_include(c, IP(10, 3, 0, 7), IP(10, 3, 0, 7));
    add_include(c, IP(10, 4, 0, 0), IP(10, 4, 255, 255));
    add_include(c, IP(10, 5, 5, 250), IP(10, 5, 5, 255));
    add_domain(c, "lab.example.net");
    add_domain(c, "dmz.example.org");
    add_include(c, IP(192, 168, 7, 0), IP(192, 168, 7, 255));
    add_exclude(c, IP(10, 1, 0, 1), IP(10, 1, 0, 1));
    add_exclude(c, IP(10, 1, 5, 0), IP(10, 1, 5, 255));
    add_exclude(c, IP(192, 168, 7, 128), IP(192, 168, 7, 255));
    static const uint8_t mac[6] = {0x00, 0x11, 0x22, 0x33, 0x44, 0x55};
    memcpy(c->exclude_macs[c->exclude_mac_count++], mac, 6);
}

/* ------------------------------------------------------------ status table */

struct status_case {
    const char *name;
    int domain;                 /* index into scope_config, -1: none */
    uint8_t mac_last;           /* 0x55 is the excluded MAC 00:11:22:33:44:55 */
    uint8_t ip_count;
    uint8_t ips[CAPS_ASSET_IP4_MAX][4];
    enum caps_scope_status want;
};

static const struct status_case status_cases[] = {
    /* No domain (unconfigured or off premises): include lists ignored. */
    {"no-domain-any-ip", -1, 0x01, 1, {{8, 8, 8, 8}}, CAPS_SCOPE_IN},
    {"no-domain-no-ip", -1, 0x01, 0, {{0}}, CAPS_SCOPE_IN},
    {"no-domain-excluded-ip", -1, 0x01, 1, {{10, 1, 0, 1}}, CAPS_SCOPE_EXCLUDED},
    {"no-domain-excluded-mac", -1, 0x55, 1, {{8, 8, 8, 8}}, CAPS_SCOPE_EXCLUDED},
    /* A domain without an include list takes every address. */
    {"no-include-any-ip", 1, 0x01, 1, {{172, 16, 0, 1}}, CAPS_SCOPE_IN},
    {"no-include-no-ip", 1, 0x01, 0, {{0}}, CAPS_SCOPE_IN},
    {"no-include-excluded-range", 1, 0x01, 1, {{10, 1, 5, 77}}, CAPS_SCOPE_EXCLUDED},
    {"no-include-excluded-mac", 1, 0x55, 0, {{0}}, CAPS_SCOPE_EXCLUDED},
    /* Include hits in every form, edges included. */
    {"cidr-first", 0, 0x01, 1, {{10, 1, 0, 0}}, CAPS_SCOPE_IN},
    {"cidr-last", 0, 0x01, 1, {{10, 1, 255, 255}}, CAPS_SCOPE_IN},
    {"cidr-below", 0, 0x01, 1, {{10, 0, 255, 255}}, CAPS_SCOPE_OUT},
    {"range-first", 0, 0x01, 1, {{10, 2, 0, 10}}, CAPS_SCOPE_IN},
    {"range-last", 0, 0x01, 1, {{10, 2, 0, 99}}, CAPS_SCOPE_IN},
    {"range-below", 0, 0x01, 1, {{10, 2, 0, 9}}, CAPS_SCOPE_OUT},
    {"range-above", 0, 0x01, 1, {{10, 2, 0, 100}}, CAPS_SCOPE_OUT},
    {"single-hit", 0, 0x01, 1, {{10, 3, 0, 7}}, CAPS_SCOPE_IN},
    {"single-neighbour", 0, 0x01, 1, {{10, 3, 0, 8}}, CAPS_SCOPE_OUT},
    {"wildcard-hit", 0, 0x01, 1, {{10, 4, 200, 1}}, CAPS_SCOPE_IN},
    {"shorthand-hit", 0, 0x01, 1, {{10, 5, 5, 255}}, CAPS_SCOPE_IN},
    {"shorthand-below", 0, 0x01, 1, {{10, 5, 5, 249}}, CAPS_SCOPE_OUT},
    {"include-miss", 0, 0x01, 1, {{192, 168, 7, 1}}, CAPS_SCOPE_OUT},
    /* Include lists are per domain: 10.1.2.3 is corp's, not dmz's. */
    {"other-domains-range", 2, 0x01, 1, {{10, 1, 2, 3}}, CAPS_SCOPE_OUT},
    {"own-domains-range", 2, 0x01, 1, {{192, 168, 7, 1}}, CAPS_SCOPE_IN},
    /* No IPv4 address yet under an include list: out of scope. */
    {"include-no-ip", 0, 0x01, 0, {{0}}, CAPS_SCOPE_OUT},
    /* Several addresses: one in an include range is enough... */
    {"second-ip-included", 0, 0x01, 2, {{172, 16, 0, 1}, {10, 3, 0, 7}}, CAPS_SCOPE_IN},
    {"fourth-ip-included", 0, 0x01, 4, {{1, 1, 1, 1}, {2, 2, 2, 2}, {3, 3, 3, 3}, {10, 4, 0, 1}},
     CAPS_SCOPE_IN},
    {"all-ips-missed", 0, 0x01, 2, {{1, 1, 1, 1}, {2, 2, 2, 2}}, CAPS_SCOPE_OUT},
    /* ...and one excluded is enough to exclude, even with others included. */
    {"one-ip-excluded", 0, 0x01, 2, {{10, 1, 2, 3}, {10, 1, 0, 1}}, CAPS_SCOPE_EXCLUDED},
    {"first-ip-excluded", 0, 0x01, 3, {{10, 1, 5, 9}, {10, 1, 2, 3}, {10, 3, 0, 7}},
     CAPS_SCOPE_EXCLUDED},
    /* Exclusion beats inclusion: 192.168.7.200 is in dmz's /24 and excluded. */
    {"excluded-inside-include", 2, 0x01, 1, {{192, 168, 7, 200}}, CAPS_SCOPE_EXCLUDED},
    {"excluded-edge", 2, 0x01, 1, {{192, 168, 7, 128}}, CAPS_SCOPE_EXCLUDED},
    {"below-excluded-edge", 2, 0x01, 1, {{192, 168, 7, 127}}, CAPS_SCOPE_IN},
    /* An excluded MAC wins over an included address. */
    {"excluded-mac-included-ip", 0, 0x55, 1, {{10, 3, 0, 7}}, CAPS_SCOPE_EXCLUDED},
    {"excluded-mac-no-ip", 0, 0x55, 0, {{0}}, CAPS_SCOPE_EXCLUDED},
};

START_TEST(status_table)
{
    const struct status_case *t = &status_cases[_i];
    struct caps_asset a;
    memset(&a, 0, sizeof a);
    const uint8_t mac[6] = {0x00, 0x11, 0x22, 0x33, 0x44, t->mac_last};
    memcpy(a.mac, mac, 6);
    a.ip4_count = t->ip_count;
    memcpy(a.ip4, t->ips, sizeof a.ip4);
    scope_config(&cfg);
    enum caps_scope_status st = caps_scope_status(&cfg, t->domain, &a);
    ck_assert_msg(st == t->want, "%s: %s, want %s", t->name, caps_scope_status_name(st),
                  caps_scope_status_name(t->want));
}
END_TEST

START_TEST(status_without_exclusions)
{
    /* A default configuration: no domains, nothing excluded, all in scope. */
    struct caps_asset a;
    memset(&a, 0, sizeof a);
    a.mac[5] = 0x55;
    caps_config_default(&cfg);
    ck_assert_int_eq(caps_scope_status(&cfg, -1, &a), CAPS_SCOPE_IN);
    a.ip4_count = 1;
    memcpy(a.ip4[0], (const uint8_t[4]){10, 1, 0, 1}, 4);
    ck_assert_int_eq(caps_scope_status(&cfg, -1, &a), CAPS_SCOPE_IN);
}
END_TEST

START_TEST(status_whole_address_space)
{
    /* 0.0.0.0/0 and 255.255.255.255 edges, no overflow in the range test. */
    struct caps_asset a;
    memset(&a, 0, sizeof a);
    caps_config_default(&cfg);
    add_domain(&cfg, "a");
    add_include(&cfg, 0, UINT32_MAX);
    a.ip4_count = 1;
    memcpy(a.ip4[0], (const uint8_t[4]){255, 255, 255, 255}, 4);
    ck_assert_int_eq(caps_scope_status(&cfg, 0, &a), CAPS_SCOPE_IN);
    memcpy(a.ip4[0], (const uint8_t[4]){0, 0, 0, 0}, 4);
    ck_assert_int_eq(caps_scope_status(&cfg, 0, &a), CAPS_SCOPE_IN);
    add_exclude(&cfg, IP(255, 255, 255, 255), IP(255, 255, 255, 255));
    memcpy(a.ip4[0], (const uint8_t[4]){255, 255, 255, 255}, 4);
    ck_assert_int_eq(caps_scope_status(&cfg, 0, &a), CAPS_SCOPE_EXCLUDED);
}
END_TEST

START_TEST(status_names)
{
    ck_assert_str_eq(caps_scope_status_name(CAPS_SCOPE_IN), "in_scope");
    ck_assert_str_eq(caps_scope_status_name(CAPS_SCOPE_EXCLUDED), "excluded");
    ck_assert_str_eq(caps_scope_status_name(CAPS_SCOPE_OUT), "out_of_scope");
    ck_assert_str_eq(caps_scope_status_name(CAPS_SCOPE_COUNT), "unknown");
}
END_TEST

/* ---------------------------------------------------------------- premises */

struct premises_case {
    const char *name;
    const char *suffix;         /* the host's connection-specific DNS suffix */
    int match;                  /* domain index, -1 none */
};

static const struct premises_case premises_cases[] = {
    {"exact", "corp.example.com", 0},
    {"exact-second", "lab.example.net", 1},
    {"exact-third", "dmz.example.org", 2},
    {"upper-case", "CORP.EXAMPLE.COM", 0},
    {"mixed-case", "Lab.Example.Net", 1},
    {"trailing-dot", "corp.example.com.", 0},
    {"trailing-dot-case", "DMZ.example.org.", 2},
    {"two-trailing-dots", "corp.example.com..", -1},
    /* A suffix of a suffix is another domain, not a match. */
    {"subdomain", "eu.corp.example.com", -1},
    {"parent", "example.com", -1},
    {"label-suffix", "xcorp.example.com", -1},
    {"prefix-only", "corp.example", -1},
    {"longer-tld", "corp.example.community", -1},
    /* A split-tunnelled host carries the VPN's or the home's suffix. */
    {"split-tunnel-home", "home.arpa", -1},
    {"split-tunnel-isp", "dhcp.isp.example.net", -1},
    {"empty", "", -1},
    {"dot", ".", -1},
    {"leading-dot", ".corp.example.com", -1},
    {"inner-space", "corp.example.com ", -1},
};

START_TEST(premises_table)
{
    const struct premises_case *t = &premises_cases[_i];
    scope_config(&cfg);
    int m = caps_scope_domain_match(&cfg, t->suffix);
    ck_assert_msg(m == t->match, "%s: \"%s\" matched %d, want %d", t->name, t->suffix, m,
                  t->match);
    ck_assert_msg(caps_scope_on_premises(&cfg, t->suffix) == (t->match >= 0),
                  "%s: on premises disagrees with the match", t->name);
}
END_TEST

START_TEST(premises_special)
{
    scope_config(&cfg);
    /* No suffix at all: off premises when domains are configured. */
    ck_assert_int_eq(caps_scope_domain_match(&cfg, NULL), -1);
    ck_assert_int_eq(caps_scope_on_premises(&cfg, NULL), 0);
    ck_assert_int_eq(caps_scope_on_premises(&cfg, ""), 0);

    /* Unconfigured: on premises whatever the suffix, yet no domain matches. */
    caps_config_default(&cfg);
    ck_assert_int_eq(caps_scope_on_premises(&cfg, NULL), 1);
    ck_assert_int_eq(caps_scope_on_premises(&cfg, ""), 1);
    ck_assert_int_eq(caps_scope_on_premises(&cfg, "anything.example"), 1);
    ck_assert_int_eq(caps_scope_domain_match(&cfg, "anything.example"), -1);

    /* A hand-filled name with a trailing dot or upper case still matches. */
    add_domain(&cfg, "Corp.Example.COM.");
    ck_assert_int_eq(caps_scope_domain_match(&cfg, "corp.example.com"), 0);
    ck_assert_int_eq(caps_scope_domain_match(&cfg, "corp.example.com."), 0);

    /* A suffix longer than any storable name never matches (bounded scan). */
    char longest[400];
    memset(longest, 'a', sizeof longest - 1);
    longest[sizeof longest - 1] = '\0';
    ck_assert_int_eq(caps_scope_domain_match(&cfg, longest), -1);
}
END_TEST

START_TEST(premises_then_status)
{
    /* The host flow: match the suffix, then rate assets under that domain. */
    struct caps_asset a;
    memset(&a, 0, sizeof a);
    a.ip4_count = 1;
    memcpy(a.ip4[0], (const uint8_t[4]){192, 168, 7, 1}, 4);
    scope_config(&cfg);
    int d = caps_scope_domain_match(&cfg, "DMZ.Example.Org.");
    ck_assert_int_eq(d, 2);
    ck_assert_int_eq(caps_scope_status(&cfg, d, &a), CAPS_SCOPE_IN);
    d = caps_scope_domain_match(&cfg, "Corp.Example.Com");
    ck_assert_int_eq(caps_scope_status(&cfg, d, &a), CAPS_SCOPE_OUT);
}
END_TEST

START_TEST(status_follows_current_address_only)
{
    /* A laptop leaves an excluded address for an allowed one: once the old
     * address is history it no longer excludes the device. */
    struct caps_config c;
    struct caps_asset a;
    caps_config_default(&c);
    c.exclude_count = 1;
    c.exclude[0].first = 0x0a000005u;      /* 10.0.0.5 */
    c.exclude[0].last = 0x0a000005u;
    memset(&a, 0, sizeof a);
    caps_asset_add_ip4(&a, (const uint8_t[]){10, 0, 0, 5}, 100);
    ck_assert_int_eq(caps_scope_status(&c, -1, &a), CAPS_SCOPE_EXCLUDED);
    caps_asset_add_ip4(&a, (const uint8_t[]){10, 0, 0, 9}, 200);
    ck_assert_int_eq(caps_scope_status(&c, -1, &a), CAPS_SCOPE_IN);
    /* Back on the excluded address: excluded again. */
    caps_asset_add_ip4(&a, (const uint8_t[]){10, 0, 0, 5}, 300);
    ck_assert_int_eq(caps_scope_status(&c, -1, &a), CAPS_SCOPE_EXCLUDED);
}
END_TEST

Suite *suite_scope(void)
{
    Suite *s = suite_create("scope");
    TCase *tc = tcase_create("status");
    tcase_add_loop_test(tc, status_table, 0,
                        (int)(sizeof status_cases / sizeof status_cases[0]));
    tcase_add_test(tc, status_without_exclusions);
    tcase_add_test(tc, status_whole_address_space);
    tcase_add_test(tc, status_names);
    tcase_add_test(tc, status_follows_current_address_only);
    suite_add_tcase(s, tc);

    tc = tcase_create("premises");
    tcase_add_loop_test(tc, premises_table, 0,
                        (int)(sizeof premises_cases / sizeof premises_cases[0]));
    tcase_add_test(tc, premises_special);
    tcase_add_test(tc, premises_then_status);
    suite_add_tcase(s, tc);
    return s;
}
