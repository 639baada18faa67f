/* test_ssdp.c - the SSDP decoder against device datagrams, cuts and junk. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <check.h>

#include "caps/error.h"
#include "caps/ssdp.h"
#include "sample.h"
#include "testutil.h"

extern const struct caps_sample_set caps_samples_ssdp;

#define P_HOST CAPS_SSDP_FIELD_HOST
#define P_NT CAPS_SSDP_FIELD_NT
#define P_NTS CAPS_SSDP_FIELD_NTS
#define P_USN CAPS_SSDP_FIELD_USN
#define P_UUID CAPS_SSDP_FIELD_UUID
#define P_LOC CAPS_SSDP_FIELD_LOCATION
#define P_SERVER CAPS_SSDP_FIELD_SERVER
#define P_UA CAPS_SSDP_FIELD_USER_AGENT
#define P_ST CAPS_SSDP_FIELD_ST
#define P_MAN CAPS_SSDP_FIELD_MAN
#define P_MX CAPS_SSDP_FIELD_MX
#define P_AGE CAPS_SSDP_FIELD_MAX_AGE
#define P_BOOT CAPS_SSDP_FIELD_BOOTID
#define P_CONF CAPS_SSDP_FIELD_CONFIGID

#define MCAST "239.255.255.250:1900"
#define DISCOVER "\"ssdp:discover\""
#define DIAL_ST "urn:dial-multiscreen-org:service:dial:1"
#define IGD "urn:schemas-upnp-org:device:InternetGatewayDevice:1"
#define IGD_UUID "6c1adccc-3538-979d-397a-4135f32611d0"
#define OPT_VALUE "\"http://schemas.upnp.org/upnp/1/0/\"; ns=01"
#define HOUSEHOLD "Sonos_Fw3RyjYDrUyEaJvS8kWpYbAYLe"

/* Everything the decoder says about one sample. Strings left NULL must be
 * "" in the output; extras lists the expected extras in order. */
struct ssdp_expect {
    const char *name;
    enum caps_ssdp_method method;
    enum caps_ssdp_nts nts;
    uint32_t present, truncated, flags;
    uint32_t max_age_s, mx_s, bootid, configid;
    uint16_t bad_lines, extras_dropped;
    const char *host, *nt, *usn, *uuid, *location, *server, *user_agent, *st, *man;
    const char *extras[CAPS_SSDP_EXTRAS_MAX][2];
};

static const struct ssdp_expect expects[] = {
    {.name = "windows10_msearch_all", .method = CAPS_SSDP_METHOD_MSEARCH,
     .present = P_HOST | P_ST | P_MAN | P_MX, .mx_s = 3,
     .host = MCAST, .st = "ssdp:all", .man = DISCOVER},
    {.name = "chrome_windows_dial_msearch", .method = CAPS_SSDP_METHOD_MSEARCH,
     .present = P_HOST | P_MAN | P_MX | P_ST | P_UA, .mx_s = 1,
     .host = MCAST, .man = DISCOVER, .st = DIAL_ST,
     .user_agent = "Google Chrome/99.0.4844.74 Windows"},
    {.name = "chrome_macos_dial_msearch", .method = CAPS_SSDP_METHOD_MSEARCH,
     .present = P_HOST | P_MAN | P_MX | P_ST | P_UA, .mx_s = 1,
     .host = MCAST, .man = DISCOVER, .st = DIAL_ST,
     .user_agent = "Google Chrome/114.0.5735.198 Mac OS X"},
    {.name = "dial_msearch_nul", .method = CAPS_SSDP_METHOD_MSEARCH,
     .present = P_HOST | P_MAN | P_MX | P_ST, .flags = CAPS_SSDP_F_NUL, .mx_s = 2,
     .host = MCAST, .man = DISCOVER, .st = DIAL_ST},
    {.name = "roku_notify", .method = CAPS_SSDP_METHOD_NOTIFY, .nts = CAPS_SSDP_NTS_ALIVE,
     .present = P_HOST | P_AGE | P_NT | P_NTS | P_LOC | P_USN | P_UUID | P_SERVER,
     .max_age_s = 3600, .host = MCAST, .nt = "roku:ecp",
     .location = "http://192.168.1.134:8060/", .usn = "uuid:roku:ecp:P0A070000007",
     .uuid = "roku:ecp:P0A070000007", .server = "Roku/9.4.0 UPnP/1.0 Roku/9.4.0"},
    {.name = "roku_search_response", .method = CAPS_SSDP_METHOD_RESPONSE,
     .present = P_AGE | P_ST | P_USN | P_UUID | P_SERVER | P_LOC, .max_age_s = 3600,
     .st = "roku:ecp", .usn = "uuid:roku:ecp:P0A070000007", .uuid = "roku:ecp:P0A070000007",
     .server = "Roku/9.4.0 UPnP/1.0 Roku/9.4.0", .location = "http://192.168.1.134:8060/",
     .extras = {{"Ext", ""}, {"device-group.roku.com", "46F5CCE2472F2B14D77"}}},
    {.name = "sonos_notify", .method = CAPS_SSDP_METHOD_NOTIFY, .nts = CAPS_SSDP_NTS_ALIVE,
     .present = P_HOST | P_AGE | P_LOC | P_NT | P_NTS | P_SERVER | P_USN | P_UUID | P_BOOT,
     .max_age_s = 1800, .bootid = 82, .host = MCAST,
     .location = "http://192.168.1.60:1400/xml/device_description.xml",
     .nt = "upnp:rootdevice", .server = "Linux UPnP/1.0 Sonos/70.3-35220 (ZPS1)",
     .usn = "uuid:RINCON_000E58A0B1C201400::upnp:rootdevice",
     .uuid = "RINCON_000E58A0B1C201400",
     .extras = {{"X-RINCON-HOUSEHOLD", HOUSEHOLD},
                {"X-RINCON-BOOTSEQ", "82"},
                {"X-RINCON-WIFIMODE", "0"},
                {"X-RINCON-VARIANT", "1"},
                {"HOUSEHOLD.SMARTSPEAKER.AUDIO", HOUSEHOLD ".Qz9mB4tN2cXw7LpK1rVh"}}},
    {.name = "sonos_search_response", .method = CAPS_SSDP_METHOD_RESPONSE,
     .present = P_AGE | P_LOC | P_SERVER | P_ST | P_USN | P_UUID | P_BOOT,
     .max_age_s = 1800, .bootid = 6, .extras_dropped = 1,
     .location = "http://192.168.1.61:1400/xml/device_description.xml",
     .server = "Linux UPnP/1.0 Sonos/85.0-64200 (ZPS29)",
     .st = "urn:schemas-upnp-org:device:ZonePlayer:1",
     .usn = "uuid:RINCON_48A6B8C0D1E201400::urn:schemas-upnp-org:device:ZonePlayer:1",
     .uuid = "RINCON_48A6B8C0D1E201400",
     .extras = {{"EXT", ""},
                {"X-RINCON-HOUSEHOLD", HOUSEHOLD},
                {"X-RINCON-BOOTSEQ", "6"},
                {"X-RINCON-WIFIMODE", "1"},
                {"X-RINCON-VARIANT", "2"},
                {"HOUSEHOLD.SMARTSPEAKER.AUDIO", HOUSEHOLD ".Qz9mB4tN2cXw7LpK1rVh"},
                {"LOCATION.SMARTSPEAKER.AUDIO", "lc_4e8119cfb08d4c5083b6e0c75e47fe50"},
                {"SECURELOCATION.UPNP.ORG",
                 "https://192.168.1.61:1443/xml/device_description.xml"}}},
    {.name = "samsung_tv_notify", .method = CAPS_SSDP_METHOD_NOTIFY,
     .nts = CAPS_SSDP_NTS_ALIVE,
     .present = P_HOST | P_AGE | P_LOC | P_NT | P_NTS | P_SERVER | P_USN | P_UUID,
     .max_age_s = 1800, .host = MCAST, .location = "http://192.168.100.73:9197/dmr",
     .nt = "urn:schemas-upnp-org:device:MediaRenderer:1",
     .server = "SHP, UPnP/1.0, Samsung UPnP SDK/1.0",
     .usn = "uuid:ea645e34-d3dd-4b9b-a246-e1947f8973d6::urn:schemas-upnp-org:device:"
            "MediaRenderer:1",
     .uuid = "ea645e34-d3dd-4b9b-a246-e1947f8973d6",
     .extras = {{"DATE", "Tue, 18 Jan 2022 17:07:18 GMT"}}},
    {.name = "hue_bridge_notify", .method = CAPS_SSDP_METHOD_NOTIFY,
     .nts = CAPS_SSDP_NTS_ALIVE,
     .present = P_HOST | P_AGE | P_LOC | P_SERVER | P_NTS | P_NT | P_USN | P_UUID,
     .max_age_s = 100, .host = MCAST, .location = "http://192.168.8.8:80/description.xml",
     .server = "Linux/3.14.0 UPnP/1.0 IpBridge/1.26.0", .nt = "upnp:rootdevice",
     .usn = "uuid:2f402f80-da50-11e1-9b23-001788102201::upnp:rootdevice",
     .uuid = "2f402f80-da50-11e1-9b23-001788102201",
     .extras = {{"hue-bridgeid", "001788FFFE102201"}}},
    {.name = "windows_udh_notify", .method = CAPS_SSDP_METHOD_NOTIFY,
     .nts = CAPS_SSDP_NTS_ALIVE,
     .present = P_HOST | P_NT | P_NTS | P_LOC | P_USN | P_UUID | P_AGE | P_SERVER,
     .max_age_s = 900, .host = MCAST, .nt = "urn:schemas-upnp-org:device:MediaServer:1",
     .location = "http://192.168.1.20:2869/upnphost/udhisapi.dll?content=uuid:"
                 "c17f2c31-d19b-4912-af94-651945c8a84e",
     .usn = "uuid:c17f2c31-d19b-4912-af94-651945c8a84e::urn:schemas-upnp-org:device:"
            "MediaServer:1",
     .uuid = "c17f2c31-d19b-4912-af94-651945c8a84e",
     .server = "Microsoft-Windows/10.0 UPnP/1.0 UPnP-Device-Host/1.0",
     .extras = {{"OPT", OPT_VALUE}, {"01-NLS", "c6d434f85431d29de259ea9a6b9fc7d7"}}},
    {.name = "pfsense_igd_notify", .method = CAPS_SSDP_METHOD_NOTIFY,
     .nts = CAPS_SSDP_NTS_ALIVE,
     .present = P_HOST | P_AGE | P_LOC | P_SERVER | P_NT | P_USN | P_UUID | P_NTS | P_BOOT |
                P_CONF,
     .max_age_s = 120, .bootid = 1560803590, .configid = 1337, .host = MCAST,
     .location = "http://10.1.2.254:2189/rootDesc.xml",
     .server = "FreeBSD/11.2-RELEASE-p4 UPnP/1.1 MiniUPnPd/2.0", .nt = IGD,
     .usn = "uuid:" IGD_UUID "::" IGD, .uuid = IGD_UUID,
     .extras = {{"OPT", OPT_VALUE}, {"01-NLS", "1560803590"}}},
    {.name = "miniupnpd_byebye", .method = CAPS_SSDP_METHOD_NOTIFY,
     .nts = CAPS_SSDP_NTS_BYEBYE,
     .present = P_HOST | P_NT | P_USN | P_UUID | P_NTS | P_BOOT | P_CONF,
     .bootid = 1560803590, .configid = 1337, .host = MCAST, .nt = IGD,
     .usn = "uuid:" IGD_UUID "::" IGD, .uuid = IGD_UUID,
     .extras = {{"OPT", OPT_VALUE}, {"01-NLS", "1560803590"}}},
    {.name = "hp_printer_notify", .method = CAPS_SSDP_METHOD_NOTIFY,
     .nts = CAPS_SSDP_NTS_ALIVE,
     .present = P_HOST | P_AGE | P_LOC | P_NT | P_NTS | P_SERVER | P_USN | P_UUID,
     .max_age_s = 180, .host = MCAST,
     .location = "http://192.168.1.103:80/DevMgmt/DiscoveryTree.xml",
     .nt = "urn:schemas-upnp-org:device:Printer:1", .server = "HP-ChaiSOE/1.0 UPnP/1.0",
     .usn = "uuid:1c852a4d-b800-1f08-abcd-98e7f447d657::urn:schemas-upnp-org:device:"
            "Printer:1",
     .uuid = "1c852a4d-b800-1f08-abcd-98e7f447d657"},
    {.name = "hue_emulator_lf_only", .method = CAPS_SSDP_METHOD_NOTIFY,
     .nts = CAPS_SSDP_NTS_ALIVE,
     .present = P_HOST | P_AGE | P_LOC | P_SERVER | P_NTS | P_NT | P_USN | P_UUID,
     .flags = CAPS_SSDP_F_BARE_LF, .max_age_s = 100, .host = MCAST,
     .location = "http://192.168.1.10:80/description.xml",
     .server = "FreeRTOS/7.4.2, UPnP/1.0, IpBridge/1.7.0",
     .nt = "uuid:2f402f80-da50-11e1-9b23-b827eb123456",
     .usn = "uuid:2f402f80-da50-11e1-9b23-b827eb123456",
     .uuid = "2f402f80-da50-11e1-9b23-b827eb123456"},
    {.name = "folded_mixed_case", .method = CAPS_SSDP_METHOD_NOTIFY,
     .nts = CAPS_SSDP_NTS_ALIVE,
     .present = P_HOST | P_AGE | P_LOC | P_NT | P_NTS | P_SERVER | P_USN | P_UUID,
     .flags = CAPS_SSDP_F_FOLDED, .max_age_s = 1800, .host = MCAST,
     .location = "http://192.168.1.77:49152/description.xml", .nt = "upnp:rootdevice",
     .server = "Linux/2.6.36, UPnP/1.0, Portable SDK for UPnP devices/1.6.18",
     .usn = "uuid:4d696e69-444c-164e-9d41-b827eb7f0a3e::upnp:rootdevice",
     .uuid = "4d696e69-444c-164e-9d41-b827eb7f0a3e",
     .extras = {{"X-User-Agent", "redsonic"}}},
    {.name = "bad_header_line", .method = CAPS_SSDP_METHOD_NOTIFY,
     .nts = CAPS_SSDP_NTS_ALIVE,
     .present = P_HOST | P_AGE | P_LOC | P_NT | P_NTS | P_SERVER | P_USN | P_UUID,
     .bad_lines = 2, .max_age_s = 1800, .host = MCAST,
     .location = "http://192.168.1.64:49152/rootDesc.xml", .nt = "upnp:rootdevice",
     .server = "Linux/3.10 UPnP/1.0 IPCamera/1.0",
     .usn = "uuid:a1b2c3d4-0000-1000-8000-00127b5c6d7e::upnp:rootdevice",
     .uuid = "a1b2c3d4-0000-1000-8000-00127b5c6d7e"},
};

#define EXPECT_COUNT (int)(sizeof expects / sizeof expects[0])

static int parse_ssdp(const uint8_t *buf, size_t len, void *out)
{
    return caps_ssdp_parse(buf, len, out);
}

/* Parses n bytes from an exact-size heap copy, so an over-read trips ASan. */
static int parse_bytes(const char *text, size_t n, struct caps_ssdp *o)
{
    uint8_t *copy = malloc(n ? n : 1);

    ck_assert_ptr_nonnull(copy);
    memcpy(copy, text, n);
    memset(o, 0xA5, sizeof *o);
    int rc = caps_ssdp_parse(copy, n, o);
    free(copy);
    return rc;
}

static int parse_text(const char *text, struct caps_ssdp *o)
{
    return parse_bytes(text, strlen(text), o);
}

static void check_str(const char *sample, const char *field, const char *got,
                      const char *want)
{
    ck_assert_msg(strcmp(got, want ? want : "") == 0, "%s: %s is \"%s\", want \"%s\"",
                  sample, field, got, want ? want : "");
}

/* Every sample of the set has an expectation, and the reverse. */
START_TEST(test_ssdp_table_complete)
{
    ck_assert_uint_eq(caps_samples_ssdp.count, (size_t)EXPECT_COUNT);
    for (size_t i = 0; i < caps_samples_ssdp.count; i++) {
        int found = 0;
        for (int j = 0; j < EXPECT_COUNT; j++)
            found += strcmp(caps_samples_ssdp.samples[i].name, expects[j].name) == 0;
        ck_assert_msg(found == 1, "sample %s has %d expectations",
                      caps_samples_ssdp.samples[i].name, found);
    }
}
END_TEST

START_TEST(test_ssdp_sample_fields)
{
    const struct ssdp_expect *e = &expects[_i];
    const struct caps_sample *s = test_sample(&caps_samples_ssdp, e->name);
    struct caps_ssdp o;
    size_t nextras = 0;

    memset(&o, 0xA5, sizeof o);
    int rc = caps_ssdp_parse(s->bytes, s->len, &o);
    ck_assert_msg(rc == 0, "%s: rc %d (%s)", e->name, rc, caps_strerror(rc));
    ck_assert_msg(o.method == e->method, "%s: method %s", e->name,
                  caps_ssdp_method_name(o.method));
    ck_assert_msg(o.nts == e->nts, "%s: nts %s", e->name, caps_ssdp_nts_name(o.nts));
    ck_assert_msg(o.present == e->present, "%s: present %#x, want %#x", e->name,
                  o.present, e->present);
    ck_assert_msg(o.truncated == e->truncated, "%s: truncated %#x", e->name, o.truncated);
    ck_assert_msg(o.flags == e->flags, "%s: flags %#x, want %#x", e->name, o.flags,
                  e->flags);
    ck_assert_msg(o.max_age_s == e->max_age_s, "%s: max_age_s %u", e->name, o.max_age_s);
    ck_assert_msg(o.mx_s == e->mx_s, "%s: mx_s %u", e->name, o.mx_s);
    ck_assert_msg(o.bootid == e->bootid, "%s: bootid %u", e->name, o.bootid);
    ck_assert_msg(o.configid == e->configid, "%s: configid %u", e->name, o.configid);
    ck_assert_msg(o.bad_lines == e->bad_lines, "%s: bad_lines %u", e->name, o.bad_lines);
    check_str(e->name, "host", o.host, e->host);
    check_str(e->name, "nt", o.nt, e->nt);
    check_str(e->name, "usn", o.usn, e->usn);
    check_str(e->name, "uuid", o.uuid, e->uuid);
    check_str(e->name, "location", o.location, e->location);
    check_str(e->name, "server", o.server, e->server);
    check_str(e->name, "user_agent", o.user_agent, e->user_agent);
    check_str(e->name, "st", o.st, e->st);
    check_str(e->name, "man", o.man, e->man);
    while (nextras < CAPS_SSDP_EXTRAS_MAX && e->extras[nextras][0] != NULL)
        nextras++;
    ck_assert_msg(o.extra_count == nextras, "%s: %u extras, want %zu", e->name,
                  o.extra_count, nextras);
    ck_assert_msg(o.extras_dropped == e->extras_dropped, "%s: extras_dropped %u", e->name,
                  o.extras_dropped);
    for (size_t i = 0; i < nextras; i++) {
        check_str(e->name, "extra name", o.extras[i].name, e->extras[i][0]);
        check_str(e->name, "extra value", o.extras[i].value, e->extras[i][1]);
    }
}
END_TEST

static size_t start_line_len(const struct caps_sample *s)
{
    size_t n = 0;

    while (n < s->len && s->bytes[n] != '\r' && s->bytes[n] != '\n')
        n++;
    return n;
}

/* Every prefix: no over-read; a prefix decodes exactly when it holds the
 * whole start line, and shorter ones are reported truncated. */
START_TEST(test_ssdp_cut_every_offset)
{
    const struct caps_sample *s = &caps_samples_ssdp.samples[_i];
    size_t start = start_line_len(s);
    struct caps_ssdp o;

    ck_assert_msg(start >= 15 && start <= 19, "%s: start line of %zu bytes", s->name, start);
    size_t ok = test_cut_every_offset(s, parse_ssdp, &o, sizeof o);
    ck_assert_msg(ok == s->len - start + 1, "%s: %zu of %zu prefixes decoded", s->name, ok,
                  s->len + 1);
    ck_assert_msg(caps_ssdp_parse(s->bytes, s->len, &o) == 0, "%s: full length", s->name);
    for (size_t cut = 0; cut < start; cut++) {
        int rc = parse_bytes((const char *)s->bytes, cut, &o);
        ck_assert_msg(rc == CAPS_E_TRUNCATED, "%s cut at %zu: rc %d", s->name, cut, rc);
    }
}
END_TEST

/* Start lines and whole messages with their exact result. */
struct ssdp_case {
    const char *what;
    const char *text;
    size_t len;           /* 0: strlen(text) */
    int rc;
};

static const struct ssdp_case start_cases[] = {
    {"empty", "", 0, CAPS_E_TRUNCATED},
    {"NOTIFY prefix", "NOTIF", 0, CAPS_E_TRUNCATED},
    {"method only", "NOTIFY", 0, CAPS_E_TRUNCATED},
    {"M-SEARCH prefix", "M-SEARCH * HTTP/1.", 0, CAPS_E_TRUNCATED},
    {"response prefix", "HTTP/1.1 200", 0, CAPS_E_TRUNCATED},
    {"NUL inside a prefix", "NOTIF\0", 6, CAPS_E_SYNTAX},
    {"all NUL", "\0\0\0\0", 4, CAPS_E_SYNTAX},
    {"GET", "GET / HTTP/1.1\r\n\r\n", 0, CAPS_E_SYNTAX},
    {"HTTP/1.0 NOTIFY", "NOTIFY * HTTP/1.0\r\n\r\n", 0, CAPS_E_SYNTAX},
    {"404", "HTTP/1.1 404 Not Found\r\n\r\n", 0, CAPS_E_SYNTAX},
    {"HTTP/1.0 200", "HTTP/1.0 200 OK\r\n\r\n", 0, CAPS_E_SYNTAX},
    {"lower-case method", "notify * HTTP/1.1\r\n\r\n", 0, CAPS_E_SYNTAX},
    {"double space", "NOTIFY  * HTTP/1.1\r\n\r\n", 0, CAPS_E_SYNTAX},
    {"leading empty line", "\r\nNOTIFY * HTTP/1.1\r\n\r\n", 0, CAPS_E_SYNTAX},
    {"trailing word", "NOTIFY * HTTP/1.1 x\r\n\r\n", 0, CAPS_E_SYNTAX},
    {"BitTorrent LSD", "BT-SEARCH * HTTP/1.1\r\nHost: 239.192.152.143:6771\r\n\r\n", 0,
     CAPS_E_SYNTAX},
    {"Plex GDM", "M-SEARCH * HTTP/1.0\r\n\r\n", 0, CAPS_E_SYNTAX},
    {"prefix then junk", "NOTIFYX", 0, CAPS_E_SYNTAX},
    {"start line only", "NOTIFY * HTTP/1.1", 0, 0},
    {"start line and CR", "HTTP/1.1 200 OK\r", 0, 0},
    {"bare LF start", "M-SEARCH * HTTP/1.1\n\n", 0, 0},
    {"trailing blanks", "NOTIFY * HTTP/1.1 \t\r\n\r\n", 0, 0},
};

START_TEST(test_ssdp_start_lines)
{
    const struct ssdp_case *k = &start_cases[_i];
    struct caps_ssdp o;

    int rc = parse_bytes(k->text, k->len ? k->len : strlen(k->text), &o);
    ck_assert_msg(rc == k->rc, "%s: rc %d (%s), want %d", k->what, rc, caps_err_name(rc),
                  k->rc);
}
END_TEST

/* n header lines "X-N: v" after a NOTIFY start line, optionally ended. */
static size_t build_lines(char *buf, size_t cap, int n, int end)
{
    size_t len = 0;

    len += (size_t)snprintf(buf + len, cap - len, "NOTIFY * HTTP/1.1\r\n");
    for (int i = 0; i < n; i++)
        len += (size_t)snprintf(buf + len, cap - len, "X-%d: v\r\n", i);
    if (end)
        len += (size_t)snprintf(buf + len, cap - len, "\r\n");
    ck_assert_uint_lt(len, cap);
    return len;
}

START_TEST(test_ssdp_line_limit)
{
    char buf[2048];
    struct caps_ssdp o;
    size_t n;

    n = build_lines(buf, sizeof buf, CAPS_SSDP_LINES_MAX, 1);
    ck_assert_int_eq(parse_bytes(buf, n, &o), 0);
    ck_assert_uint_eq(o.extra_count, CAPS_SSDP_EXTRAS_MAX);
    ck_assert_uint_eq(o.extras_dropped, CAPS_SSDP_LINES_MAX - CAPS_SSDP_EXTRAS_MAX);
    ck_assert_str_eq(o.extras[7].name, "X-7");

    n = build_lines(buf, sizeof buf, CAPS_SSDP_LINES_MAX, 0);
    ck_assert_int_eq(parse_bytes(buf, n, &o), 0);
    ck_assert_uint_eq(o.flags, CAPS_SSDP_F_NO_END);

    n = build_lines(buf, sizeof buf, CAPS_SSDP_LINES_MAX + 1, 1);
    ck_assert_int_eq(parse_bytes(buf, n, &o), CAPS_E_LIMIT);

    /* folded and bad lines count too */
    n = build_lines(buf, sizeof buf, CAPS_SSDP_LINES_MAX, 0);
    memcpy(buf + n, " x\r\n\r\n", 7);
    ck_assert_int_eq(parse_bytes(buf, n + 6, &o), CAPS_E_LIMIT);
    memcpy(buf + n, "junk\r\n\r\n", 9);
    ck_assert_int_eq(parse_bytes(buf, n + 8, &o), CAPS_E_LIMIT);

    /* lines after the empty line are not read at all */
    n = build_lines(buf, sizeof buf, 1, 1);
    n += (size_t)snprintf(buf + n, sizeof buf - n, "%s", "NT: late\r\n");
    for (int i = 0; i < 2 * CAPS_SSDP_LINES_MAX; i++)
        n += (size_t)snprintf(buf + n, sizeof buf - n, "%s", "a\r\n");
    ck_assert_int_eq(parse_bytes(buf, n, &o), 0);
    ck_assert_uint_eq(o.present, 0);
    ck_assert_uint_eq(o.extra_count, 1);
    ck_assert_uint_eq(o.bad_lines, 0);
}
END_TEST

START_TEST(test_ssdp_duplicates)
{
    struct caps_ssdp o;

    ck_assert_int_eq(parse_text("NOTIFY * HTTP/1.1\r\nSERVER: first\r\nNT: a\r\n"
                                "Server: second\r\nnt: b\r\nNTS: ssdp:alive\r\n"
                                "NTS: ssdp:byebye\r\nCACHE-CONTROL: max-age=10\r\n"
                                "CACHE-CONTROL: max-age=20\r\n\r\n", &o), 0);
    ck_assert_str_eq(o.server, "first");
    ck_assert_str_eq(o.nt, "a");
    ck_assert_int_eq(o.nts, CAPS_SSDP_NTS_ALIVE);
    ck_assert_uint_eq(o.max_age_s, 10);
    ck_assert_uint_eq(o.flags, CAPS_SSDP_F_DUPLICATE);

    /* a first number that does not parse still wins */
    ck_assert_int_eq(parse_text("M-SEARCH * HTTP/1.1\r\nMX: x\r\nMX: 2\r\n\r\n", &o), 0);
    ck_assert_uint_eq(o.present, 0);
    ck_assert_uint_eq(o.flags, CAPS_SSDP_F_BAD_NUMBER | CAPS_SSDP_F_DUPLICATE);

    /* extras are never merged: both kept */
    ck_assert_int_eq(parse_text("NOTIFY * HTTP/1.1\r\nOPT: a\r\nOPT: b\r\n\r\n", &o), 0);
    ck_assert_uint_eq(o.extra_count, 2);
    ck_assert_uint_eq(o.flags, 0);
}
END_TEST

START_TEST(test_ssdp_location_al)
{
    struct caps_ssdp o;

    ck_assert_int_eq(parse_text("NOTIFY * HTTP/1.1\r\nAL: <http://10.0.0.1:80/d.xml>\r\n"
                                "\r\n", &o), 0);
    ck_assert_str_eq(o.location, "http://10.0.0.1:80/d.xml");
    ck_assert_uint_eq(o.present, P_LOC);
    ck_assert_uint_eq(o.flags, CAPS_SSDP_F_LOCATION_AL);

    /* several URLs: the first */
    ck_assert_int_eq(parse_text("NOTIFY * HTTP/1.1\r\nAL: <http://a/1><http://b/2>\r\n", &o),
                     0);
    ck_assert_str_eq(o.location, "http://a/1");

    /* no closing bracket: the rest */
    ck_assert_int_eq(parse_text("NOTIFY * HTTP/1.1\r\nAL: <http://a/1\r\n\r\n", &o), 0);
    ck_assert_str_eq(o.location, "http://a/1");

    /* no brackets at all: as is */
    ck_assert_int_eq(parse_text("NOTIFY * HTTP/1.1\r\nAL: http://a/1\r\n\r\n", &o), 0);
    ck_assert_str_eq(o.location, "http://a/1");

    /* LOCATION beats AL in either order, without a duplicate flag */
    ck_assert_int_eq(parse_text("NOTIFY * HTTP/1.1\r\nAL: <http://old/>\r\n"
                                "LOCATION: http://new/\r\n\r\n", &o), 0);
    ck_assert_str_eq(o.location, "http://new/");
    ck_assert_uint_eq(o.flags, 0);
    ck_assert_int_eq(parse_text("NOTIFY * HTTP/1.1\r\nLocation: http://new/\r\n"
                                "AL: <http://old/>\r\n\r\n", &o), 0);
    ck_assert_str_eq(o.location, "http://new/");
    ck_assert_uint_eq(o.flags, 0);
}
END_TEST

/* CACHE-CONTROL values: is max-age found, its value, is it flagged bad. */
struct age_case {
    const char *value;
    int present;
    uint32_t age_s;
    int bad;
};

static const struct age_case age_cases[] = {
    {"max-age=1800", 1, 1800, 0},
    {"max-age = 1800", 1, 1800, 0},
    {"max-age =1800", 1, 1800, 0},
    {"MAX-AGE=60", 1, 60, 0},
    {"max-age=\"30\"", 1, 30, 0},
    {"max-age=00120", 1, 120, 0},
    {"no-cache=\"Ext\", max-age=5000", 1, 5000, 0},
    {"max-age=10, max-age=20", 1, 10, 0},
    {"max-age=10,no-store", 1, 10, 0},
    {"max-age=4294967295", 1, 4294967295u, 0},
    {"max-age=4294967296", 0, 0, 1},
    {"max-age=", 0, 0, 1},
    {"max-age", 0, 0, 1},
    {"max-age=abc", 0, 0, 1},
    {"max-age=-5", 0, 0, 1},
    {"max-age=12s", 0, 0, 1},
    {"max-age=\"", 0, 0, 1},
    {"no-cache", 0, 0, 0},
    {"max-agex=5", 0, 0, 0},
    {"", 0, 0, 0},
    {",,,", 0, 0, 0},
};

START_TEST(test_ssdp_max_age)
{
    const struct age_case *k = &age_cases[_i];
    char text[256];
    struct caps_ssdp o;

    snprintf(text, sizeof text, "NOTIFY * HTTP/1.1\r\nCACHE-CONTROL: %s\r\n\r\n", k->value);
    ck_assert_int_eq(parse_text(text, &o), 0);
    ck_assert_msg(((o.present & P_AGE) != 0) == k->present, "\"%s\": present %#x", k->value,
                  o.present);
    if (k->present)
        ck_assert_msg(o.max_age_s == k->age_s, "\"%s\": %u", k->value, o.max_age_s);
    ck_assert_msg(((o.flags & CAPS_SSDP_F_BAD_NUMBER) != 0) == k->bad, "\"%s\": flags %#x",
                  k->value, o.flags);
}
END_TEST

START_TEST(test_ssdp_numbers)
{
    struct caps_ssdp o;

    ck_assert_int_eq(parse_text("M-SEARCH * HTTP/1.1\r\nMX: 5\r\nBOOTID.UPNP.ORG: 0\r\n"
                                "configid.upnp.org:  4294967295 \r\n\r\n", &o), 0);
    ck_assert_uint_eq(o.present, P_MX | P_BOOT | P_CONF);
    ck_assert_uint_eq(o.mx_s, 5);
    ck_assert_uint_eq(o.bootid, 0);
    ck_assert_uint_eq(o.configid, 4294967295u);
    ck_assert_uint_eq(o.flags, 0);

    static const char *const bad[] = {
        "MX: abc", "MX:", "MX: 1.5", "MX: -1", "MX: 3 s",
        "BOOTID.UPNP.ORG: 4294967296", "CONFIGID.UPNP.ORG: 99999999999999999999",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char text[128];
        snprintf(text, sizeof text, "M-SEARCH * HTTP/1.1\r\n%s\r\n\r\n", bad[i]);
        ck_assert_int_eq(parse_text(text, &o), 0);
        ck_assert_msg(o.present == 0, "%s: present %#x", bad[i], o.present);
        ck_assert_msg(o.flags == CAPS_SSDP_F_BAD_NUMBER, "%s: flags %#x", bad[i], o.flags);
    }
}
END_TEST

START_TEST(test_ssdp_nts)
{
    static const struct {
        const char *value;
        enum caps_ssdp_nts nts;
    } cases[] = {
        {"ssdp:alive", CAPS_SSDP_NTS_ALIVE},
        {"SSDP:ALIVE", CAPS_SSDP_NTS_ALIVE},
        {"ssdp:byebye", CAPS_SSDP_NTS_BYEBYE},
        {"ssdp:update", CAPS_SSDP_NTS_UPDATE},
        {"ssdp:discover", CAPS_SSDP_NTS_OTHER},
        {"ssdp:alivex", CAPS_SSDP_NTS_OTHER},
        {"NotificationSubType.SSDP_ALIVE", CAPS_SSDP_NTS_OTHER},
        {"", CAPS_SSDP_NTS_OTHER},
    };
    struct caps_ssdp o;

    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char text[128];
        snprintf(text, sizeof text, "NOTIFY * HTTP/1.1\r\nNTS: %s\r\n\r\n", cases[i].value);
        ck_assert_int_eq(parse_text(text, &o), 0);
        ck_assert_msg(o.nts == cases[i].nts, "%s: %s", cases[i].value,
                      caps_ssdp_nts_name(o.nts));
        ck_assert_uint_eq(o.present, P_NTS);
    }
    ck_assert_int_eq(parse_text("NOTIFY * HTTP/1.1\r\n\r\n", &o), 0);
    ck_assert_int_eq(o.nts, CAPS_SSDP_NTS_NONE);
}
END_TEST

START_TEST(test_ssdp_nul)
{
    static const char msg[] = "NOTIFY * HTTP/1.1\r\nNT: upnp:root\0device\r\nUSN: uuid:x\r\n\r\n";
    struct caps_ssdp o;

    ck_assert_int_eq(parse_bytes(msg, sizeof msg - 1, &o), 0);
    ck_assert_str_eq(o.nt, "upnp:root");
    ck_assert_uint_eq(o.present, P_NT);
    ck_assert_uint_eq(o.flags, CAPS_SSDP_F_NUL | CAPS_SSDP_F_NO_END);

    /* NUL padding after a complete message */
    static const char padded[] = "NOTIFY * HTTP/1.1\r\nNT: a\r\n\r\n\0\0\0\0\0\0\0";
    ck_assert_int_eq(parse_bytes(padded, sizeof padded - 1, &o), 0);
    ck_assert_str_eq(o.nt, "a");
    ck_assert_uint_eq(o.flags, CAPS_SSDP_F_NUL);

    /* NUL right after the start line */
    static const char early[] = "HTTP/1.1 200 OK\0ST: x\r\n\r\n";
    ck_assert_int_eq(parse_bytes(early, sizeof early - 1, &o), 0);
    ck_assert_uint_eq(o.present, 0);
    ck_assert_uint_eq(o.flags, CAPS_SSDP_F_NUL | CAPS_SSDP_F_NO_END);
}
END_TEST

START_TEST(test_ssdp_bad_and_folded_lines)
{
    struct caps_ssdp o;

    /* a continuation with nothing to continue is a bad line */
    ck_assert_int_eq(parse_text("NOTIFY * HTTP/1.1\r\n folded\r\nNT: a\r\n\r\n", &o), 0);
    ck_assert_uint_eq(o.bad_lines, 1);
    ck_assert_str_eq(o.nt, "a");
    ck_assert_uint_eq(o.flags, 0);

    /* nor does a bad line take continuations */
    ck_assert_int_eq(parse_text("NOTIFY * HTTP/1.1\r\njunk\r\n\tmore\r\nNT: a\r\n\r\n", &o), 0);
    ck_assert_uint_eq(o.bad_lines, 2);

    /* empty name, name of blanks */
    ck_assert_int_eq(parse_text("NOTIFY * HTTP/1.1\r\n: x\r\nNT: a\r\n\r\n", &o), 0);
    ck_assert_uint_eq(o.bad_lines, 1);
    ck_assert_uint_eq(o.present, P_NT);

    /* folding joins with one space, whatever the blanks; empty continuation
     * lines add nothing; the value may start on the continuation */
    ck_assert_int_eq(parse_text("NOTIFY * HTTP/1.1\r\nSERVER:\r\n  \t Linux \r\n"
                                " \r\n\t UPnP/1.0  \r\nNT:a\r\n b\r\n\r\n", &o), 0);
    ck_assert_str_eq(o.server, "Linux UPnP/1.0");
    ck_assert_str_eq(o.nt, "a b");
    ck_assert_uint_eq(o.flags, CAPS_SSDP_F_FOLDED);
    ck_assert_uint_eq(o.bad_lines, 0);

    /* blanks around the name and the value; empty value is present */
    ck_assert_int_eq(parse_text("NOTIFY * HTTP/1.1\r\nSERVER \t:  x y \t\r\nST:\r\n\r\n", &o),
                     0);
    ck_assert_str_eq(o.server, "x y");
    ck_assert_str_eq(o.st, "");
    ck_assert_uint_eq(o.present, P_SERVER | P_ST);

    /* a value holding ':' keeps it */
    ck_assert_int_eq(parse_text("NOTIFY * HTTP/1.1\r\nHOST:[FF02::C]:1900\r\n\r\n", &o), 0);
    ck_assert_str_eq(o.host, "[FF02::C]:1900");

    /* control bytes become '?' */
    ck_assert_int_eq(parse_text("NOTIFY * HTTP/1.1\r\nSERVER: a\x01" "b\x7f" "c\td\r\n\r\n",
                                &o), 0);
    ck_assert_str_eq(o.server, "a?b?c?d");

    /* mixed line ends; text after the empty line is ignored */
    ck_assert_int_eq(parse_text("NOTIFY * HTTP/1.1\r\nNT: a\n\r\nUSN: uuid:x\r\n", &o), 0);
    ck_assert_str_eq(o.nt, "a");
    ck_assert_uint_eq(o.present, P_NT);
    ck_assert_uint_eq(o.flags, CAPS_SSDP_F_BARE_LF);
}
END_TEST

START_TEST(test_ssdp_uuid)
{
    static const struct {
        const char *usn;
        const char *uuid;     /* NULL: no UUID */
    } cases[] = {
        {"uuid:abc::upnp:rootdevice", "abc"},
        {"UUID:795D2E60-F467-4870-8092-D85C2671BEF2", "795D2E60-F467-4870-8092-D85C2671BEF2"},
        {"uuid:abc::", "abc"},
        {"uuid:a:b::c", "a:b"},
        {"uuid:abc:", "abc:"},
        {"uuid:", NULL},
        {"uuid:::urn:x", NULL},
        {"uuid", NULL},
        {"00M09C452703629", NULL},
        {"urn:uuid:abc", NULL},
    };
    struct caps_ssdp o;

    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char text[128];
        snprintf(text, sizeof text, "NOTIFY * HTTP/1.1\r\nUSN: %s\r\n\r\n", cases[i].usn);
        ck_assert_int_eq(parse_text(text, &o), 0);
        ck_assert_str_eq(o.usn, cases[i].usn);
        ck_assert_msg(((o.present & P_UUID) != 0) == (cases[i].uuid != NULL), "%s: present %#x",
                      cases[i].usn, o.present);
        ck_assert_msg(strcmp(o.uuid, cases[i].uuid ? cases[i].uuid : "") == 0, "%s: uuid %s",
                      cases[i].usn, o.uuid);
    }
}
END_TEST

/* Values at, and one past, their field's capacity. */
START_TEST(test_ssdp_truncation)
{
    char text[4096], value[1024];
    struct caps_ssdp o;

    /* LOCATION: 255 bytes fit, 256 do not */
    memset(value, 'a', sizeof value);
    value[CAPS_SSDP_LOCATION_MAX - 1] = '\0';
    snprintf(text, sizeof text, "NOTIFY * HTTP/1.1\r\nLOCATION: %s\r\n\r\n", value);
    ck_assert_int_eq(parse_text(text, &o), 0);
    ck_assert_uint_eq(strlen(o.location), CAPS_SSDP_LOCATION_MAX - 1);
    ck_assert_uint_eq(o.truncated, 0);
    value[CAPS_SSDP_LOCATION_MAX - 1] = 'a';
    value[CAPS_SSDP_LOCATION_MAX] = '\0';
    snprintf(text, sizeof text, "NOTIFY * HTTP/1.1\r\nLOCATION: %s\r\n\r\n", value);
    ck_assert_int_eq(parse_text(text, &o), 0);
    ck_assert_uint_eq(strlen(o.location), CAPS_SSDP_LOCATION_MAX - 1);
    ck_assert_uint_eq(o.truncated, P_LOC);
    ck_assert_uint_eq(o.present, P_LOC);

    /* NT 128, ST 128, MAN 32, HOST 64: one byte too many each */
    memset(value, 'b', sizeof value);
    value[CAPS_SSDP_NT_MAX] = '\0';
    snprintf(text, sizeof text, "NOTIFY * HTTP/1.1\r\nNT: %s\r\nST: %s\r\n\r\n", value, value);
    ck_assert_int_eq(parse_text(text, &o), 0);
    ck_assert_uint_eq(o.truncated, P_NT | P_ST);
    ck_assert_uint_eq(strlen(o.nt), CAPS_SSDP_NT_MAX - 1);
    value[CAPS_SSDP_MAN_MAX] = '\0';
    snprintf(text, sizeof text, "M-SEARCH * HTTP/1.1\r\nMAN: %s\r\n\r\n", value);
    ck_assert_int_eq(parse_text(text, &o), 0);
    ck_assert_uint_eq(o.truncated, P_MAN);

    /* a value longer than the scratch buffer: cut, and numbers refused */
    memset(value, '7', sizeof value);
    value[CAPS_SSDP_VALUE_MAX + 20] = '\0';
    snprintf(text, sizeof text, "NOTIFY * HTTP/1.1\r\nSERVER: %s\r\nMX: %s\r\n\r\n", value,
             value);
    ck_assert_int_eq(parse_text(text, &o), 0);
    ck_assert_uint_eq(o.truncated, P_SERVER);
    ck_assert_uint_eq(o.present, P_SERVER);
    ck_assert_uint_eq(o.flags, CAPS_SSDP_F_BAD_NUMBER);

    /* folding past the scratch buffer */
    memset(value, 'c', sizeof value);
    value[CAPS_SSDP_VALUE_MAX - 2] = '\0';
    snprintf(text, sizeof text, "NOTIFY * HTTP/1.1\r\nX-A: %s\r\n more\r\n\r\n", value);
    ck_assert_int_eq(parse_text(text, &o), 0);
    ck_assert_uint_eq(o.flags, CAPS_SSDP_F_FOLDED | CAPS_SSDP_F_EXTRA_TRUNCATED);

    /* a USN without "::" cut in the scratch buffer: the UUID is cut too */
    memset(value, 'd', sizeof value);
    value[CAPS_SSDP_VALUE_MAX + 5] = '\0';
    snprintf(text, sizeof text, "NOTIFY * HTTP/1.1\r\nUSN: uuid:%s\r\n\r\n", value);
    ck_assert_int_eq(parse_text(text, &o), 0);
    ck_assert_uint_eq(o.truncated, P_USN | P_UUID);
    ck_assert_uint_eq(strlen(o.uuid), CAPS_SSDP_UUID_MAX - 1);

    /* a UUID longer than its field, with "::" after it */
    value[CAPS_SSDP_UUID_MAX] = '\0';
    snprintf(text, sizeof text, "NOTIFY * HTTP/1.1\r\nUSN: uuid:%s::upnp:rootdevice\r\n\r\n",
             value);
    ck_assert_int_eq(parse_text(text, &o), 0);
    ck_assert_uint_eq(o.truncated, P_UUID);
    ck_assert_uint_eq(o.present, P_USN | P_UUID);

    /* extras: long name, long value */
    memset(value, 'e', sizeof value);
    value[CAPS_SSDP_EXTRA_NAME_MAX] = '\0';
    snprintf(text, sizeof text, "NOTIFY * HTTP/1.1\r\n%s: v\r\n\r\n", value);
    ck_assert_int_eq(parse_text(text, &o), 0);
    ck_assert_uint_eq(o.flags, CAPS_SSDP_F_EXTRA_TRUNCATED);
    ck_assert_uint_eq(strlen(o.extras[0].name), CAPS_SSDP_EXTRA_NAME_MAX - 1);
    ck_assert_str_eq(o.extras[0].value, "v");
    value[CAPS_SSDP_EXTRA_NAME_MAX] = 'e';
    value[CAPS_SSDP_EXTRA_VALUE_MAX - 1] = '\0';
    snprintf(text, sizeof text, "NOTIFY * HTTP/1.1\r\nX-B: %s\r\n\r\n", value);
    ck_assert_int_eq(parse_text(text, &o), 0);
    ck_assert_uint_eq(o.flags, 0);
    value[CAPS_SSDP_EXTRA_VALUE_MAX - 1] = 'e';
    value[CAPS_SSDP_EXTRA_VALUE_MAX] = '\0';
    snprintf(text, sizeof text, "NOTIFY * HTTP/1.1\r\nX-B: %s\r\n\r\n", value);
    ck_assert_int_eq(parse_text(text, &o), 0);
    ck_assert_uint_eq(o.flags, CAPS_SSDP_F_EXTRA_TRUNCATED);
    ck_assert_uint_eq(strlen(o.extras[0].value), CAPS_SSDP_EXTRA_VALUE_MAX - 1);
}
END_TEST

START_TEST(test_ssdp_names)
{
    ck_assert_str_eq(caps_ssdp_method_name(CAPS_SSDP_METHOD_NOTIFY), "notify");
    ck_assert_str_eq(caps_ssdp_method_name(CAPS_SSDP_METHOD_MSEARCH), "m-search");
    ck_assert_str_eq(caps_ssdp_method_name(CAPS_SSDP_METHOD_RESPONSE), "response");
    ck_assert_str_eq(caps_ssdp_method_name((enum caps_ssdp_method)0), "unknown");
    ck_assert_str_eq(caps_ssdp_nts_name(CAPS_SSDP_NTS_NONE), "none");
    ck_assert_str_eq(caps_ssdp_nts_name(CAPS_SSDP_NTS_ALIVE), "alive");
    ck_assert_str_eq(caps_ssdp_nts_name(CAPS_SSDP_NTS_BYEBYE), "byebye");
    ck_assert_str_eq(caps_ssdp_nts_name(CAPS_SSDP_NTS_UPDATE), "update");
    ck_assert_str_eq(caps_ssdp_nts_name(CAPS_SSDP_NTS_OTHER), "other");
    ck_assert_str_eq(caps_ssdp_nts_name((enum caps_ssdp_nts)42), "unknown");
}
END_TEST

Suite *suite_ssdp(void);

Suite *suite_ssdp(void)
{
    Suite *s = suite_create("ssdp");
    TCase *tc = tcase_create("samples");

    tcase_add_test(tc, test_ssdp_table_complete);
    tcase_add_loop_test(tc, test_ssdp_sample_fields, 0, EXPECT_COUNT);
    tcase_add_loop_test(tc, test_ssdp_cut_every_offset, 0, (int)caps_samples_ssdp.count);
    suite_add_tcase(s, tc);

    tc = tcase_create("malformed");
    tcase_add_loop_test(tc, test_ssdp_start_lines, 0,
                        (int)(sizeof start_cases / sizeof start_cases[0]));
    tcase_add_test(tc, test_ssdp_line_limit);
    tcase_add_test(tc, test_ssdp_duplicates);
    tcase_add_test(tc, test_ssdp_location_al);
    tcase_add_loop_test(tc, test_ssdp_max_age, 0,
                        (int)(sizeof age_cases / sizeof age_cases[0]));
    tcase_add_test(tc, test_ssdp_numbers);
    tcase_add_test(tc, test_ssdp_nts);
    tcase_add_test(tc, test_ssdp_nul);
    tcase_add_test(tc, test_ssdp_bad_and_folded_lines);
    tcase_add_test(tc, test_ssdp_uuid);
    tcase_add_test(tc, test_ssdp_truncation);
    tcase_add_test(tc, test_ssdp_names);
    suite_add_tcase(s, tc);
    return s;
}
