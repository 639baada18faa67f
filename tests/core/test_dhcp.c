/* test_dhcp.c - the DHCPv4 decoder against real client/server messages, every
 * prefix of them, and hand-built malformed messages.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <check.h>

#include "caps/dhcp.h"
#include "caps/error.h"
#include "testutil.h"
#include "sample.h"

extern const struct caps_sample_set caps_samples_dhcp;

#define IP4(a, b, c, d) \
    ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (uint32_t)(d))
/* A byte list and its length, for the expectation table. */
#define BYTES(...) (const uint8_t[]){__VA_ARGS__}, sizeof((const uint8_t[]){__VA_ARGS__})

struct opt32 {
    int has;
    uint32_t v;
};

/* What a sample must decode to. Zero / NULL means "absent" for every option
 * field, and the test then checks the decoder says absent too. */
struct want {
    const char *name;
    uint8_t op, hops;
    uint32_t xid;
    uint16_t elapsed_s, flags;
    uint32_t ciaddr, yiaddr, siaddr, giaddr;
    uint8_t mac[6];
    uint8_t has_end, overload, options_bad;
    const uint8_t *order;
    size_t order_len;
    uint8_t msg_type;                  /* 0: no option 53 */
    const uint8_t *prl;
    size_t prl_len;
    uint16_t max_msg;                  /* 0: no option 57 */
    const char *vendor_class;
    const uint8_t *cid;                /* type byte first */
    size_t cid_len;
    const char *host_name, *domain_name, *fqdn_name;
    uint8_t fqdn_flags;
    struct opt32 requested_ip, server_id, lease_s, t1_s, t2_s, mask, router;
    uint8_t router_count;
    const uint32_t *dns;
    size_t dns_count;
    const char *vendor_opts;           /* option 43 as text */
    struct opt32 auto_config, vivso;
    uint8_t relay_info;
};

static const uint8_t win_prl[] = {1, 3, 6, 15, 31, 33, 43, 44, 46, 47, 119, 121, 249, 252};
static const uint8_t mac_prl[] = {1, 121, 3, 6, 15, 108, 114, 119, 252, 95, 44, 46};
static const uint8_t win_cid[] = {1, 0x3c, 0xa9, 0xf4, 0x5e, 0x21, 0x07};
static const uint8_t macos_cid[] = {1, 0xa4, 0x83, 0xe7, 0x1b, 0x52, 0x9c};
#define WIN_MAC {0x3c, 0xa9, 0xf4, 0x5e, 0x21, 0x07}
#define MACOS_MAC {0xa4, 0x83, 0xe7, 0x1b, 0x52, 0x9c}
#define ANDROID_MAC {0xda, 0xa1, 0x19, 0x5b, 0x7e, 0x02}

static const struct want wants[] = {
    {
        .name = "windows10_discover", .op = 1, .xid = 0x5e0c6a19, .mac = WIN_MAC,
        .has_end = 1, .order = BYTES(53, 61, 50, 12, 81, 60, 55), .msg_type = 1,
        .prl = win_prl, .prl_len = sizeof win_prl, .vendor_class = "MSFT 5.0",
        .cid = win_cid, .cid_len = sizeof win_cid, .host_name = "DESKTOP-5L6UA14",
        .fqdn_name = "DESKTOP-5L6UA14", .fqdn_flags = 0,
        .requested_ip = {1, IP4(192, 168, 1, 57)},
    },
    {
        .name = "windows10_request", .op = 1, .xid = 0x5e0c6a19, .mac = WIN_MAC,
        .has_end = 1, .order = BYTES(53, 61, 50, 54, 12, 81, 60, 55), .msg_type = 3,
        .prl = win_prl, .prl_len = sizeof win_prl, .vendor_class = "MSFT 5.0",
        .cid = win_cid, .cid_len = sizeof win_cid, .host_name = "DESKTOP-5L6UA14",
        .fqdn_name = "DESKTOP-5L6UA14", .fqdn_flags = 0,
        .requested_ip = {1, IP4(192, 168, 1, 57)}, .server_id = {1, IP4(192, 168, 1, 1)},
    },
    {
        .name = "windows10_inform", .op = 1, .xid = 0x1c7f40e2, .mac = WIN_MAC,
        .ciaddr = IP4(192, 168, 1, 57), .has_end = 1,
        .order = BYTES(53, 61, 12, 60, 55), .msg_type = 8, .prl = win_prl,
        .prl_len = sizeof win_prl, .vendor_class = "MSFT 5.0", .cid = win_cid,
        .cid_len = sizeof win_cid, .host_name = "DESKTOP-5L6UA14",
    },
    {
        .name = "macos_discover", .op = 1, .xid = 0x8f3a2c51, .elapsed_s = 2,
        .mac = MACOS_MAC, .has_end = 1, .order = BYTES(53, 55, 57, 61, 51, 12),
        .msg_type = 1, .prl = mac_prl, .prl_len = sizeof mac_prl, .max_msg = 1500,
        .cid = macos_cid, .cid_len = sizeof macos_cid, .host_name = "MacBook-Pro",
        .lease_s = {1, 7776000},
    },
    {
        .name = "ios_request", .op = 1, .xid = 0x21d4f08b, .elapsed_s = 1,
        .mac = {0x6e, 0x3f, 0x9a, 0xc1, 0x04, 0x7d}, .has_end = 1,
        .order = BYTES(53, 55, 57, 61, 50, 54, 51, 12), .msg_type = 3,
        .prl = BYTES(1, 121, 3, 6, 15, 108, 114, 119, 252), .max_msg = 1500,
        .cid = BYTES(1, 0x6e, 0x3f, 0x9a, 0xc1, 0x04, 0x7d), .host_name = "iPhone",
        .requested_ip = {1, IP4(192, 168, 1, 64)}, .server_id = {1, IP4(192, 168, 1, 1)},
        .lease_s = {1, 7776000},
    },
    {
        .name = "android13_discover", .op = 1, .xid = 0x6a0f33c2, .mac = ANDROID_MAC,
        .has_end = 1, .order = BYTES(53, 61, 57, 60, 12, 55), .msg_type = 1,
        .prl = BYTES(1, 3, 6, 15, 26, 28, 51, 58, 59, 43, 114), .max_msg = 1500,
        .vendor_class = "android-dhcp-13",
        .cid = BYTES(1, 0xda, 0xa1, 0x19, 0x5b, 0x7e, 0x02), .host_name = "Galaxy-S22",
    },
    {
        .name = "dhclient_discover", .op = 1, .xid = 0x9b2e6d04,
        .mac = {0x52, 0x54, 0x00, 0x8a, 0x13, 0xf1}, .has_end = 1,
        .order = BYTES(53, 50, 12, 55), .msg_type = 1,
        .prl = BYTES(1, 28, 2, 3, 15, 6, 119, 12, 44, 47, 26, 121, 42),
        .host_name = "debian-nas", .requested_ip = {1, IP4(192, 168, 122, 77)},
    },
    {
        .name = "networkd_discover", .op = 1, .xid = 0x4c1a77e9, .elapsed_s = 1,
        .mac = {0x52, 0x54, 0x00, 0x3e, 0x7a, 0x11}, .has_end = 1,
        .order = BYTES(53, 61, 55, 57, 12), .msg_type = 1,
        .prl = BYTES(1, 3, 6, 12, 15, 33, 42, 120, 121), .max_msg = 576,
        .cid = BYTES(255, 0x3e, 0x1b, 0x7c, 0x02, 0x00, 0x02, 0x00, 0x00, 0xab, 0x11,
                     0x5f, 0x0a, 0x83, 0xd2, 0x41, 0xc7, 0x9e, 0x16),
        .host_name = "fileserver",
    },
    {
        .name = "dhcpcd_rpi_discover", .op = 1, .xid = 0x0d5be2a7,
        .mac = {0xb8, 0x27, 0xeb, 0x5d, 0xa2, 0x4c}, .has_end = 1,
        .order = BYTES(53, 61, 80, 116, 57, 60, 12, 145, 55), .msg_type = 1,
        .prl = BYTES(1, 121, 3, 6, 12, 15, 26, 28, 33, 51, 54, 58, 59, 119),
        .max_msg = 1472, .vendor_class = "dhcpcd-9.4.1:Linux-6.1.21-v7+:armv7l:BCM2835",
        .cid = BYTES(1, 0xb8, 0x27, 0xeb, 0x5d, 0xa2, 0x4c), .host_name = "raspberrypi",
        .auto_config = {1, 1},
    },
    {
        .name = "udhcpc_discover", .op = 1, .xid = 0x7e6d2a10,
        .mac = {0xc0, 0x56, 0xe3, 0x9a, 0x10, 0x2f}, .has_end = 1,
        .order = BYTES(53, 57, 55, 12, 60, 61), .msg_type = 1,
        .prl = BYTES(1, 3, 6, 12, 15, 28, 42), .max_msg = 576,
        .vendor_class = "udhcp 1.36.1", .cid = BYTES(1, 0xc0, 0x56, 0xe3, 0x9a, 0x10, 0x2f),
        .host_name = "ipcam-01",
    },
    {
        .name = "hp_printer_discover", .op = 1, .xid = 0x00a3c915, .elapsed_s = 4,
        .flags = 0x8000, .mac = {0x3c, 0xd9, 0x2b, 0x3c, 0x2a, 0xf4}, .has_end = 1,
        .order = BYTES(53, 57, 12, 60, 55), .msg_type = 1,
        .prl = BYTES(1, 3, 44, 6, 7, 12, 15, 22, 54, 58, 59, 69, 18, 144), .max_msg = 1500,
        .vendor_class = "Hewlett-Packard JetDirect", .host_name = "NPI3C2AF4",
    },
    {
        .name = "server_offer", .op = 2, .xid = 0x5e0c6a19, .mac = WIN_MAC,
        .yiaddr = IP4(192, 168, 1, 57), .has_end = 1,
        .order = BYTES(53, 54, 51, 1, 3, 6, 15), .msg_type = 2,
        .server_id = {1, IP4(192, 168, 1, 1)}, .lease_s = {1, 86400},
        .mask = {1, IP4(255, 255, 255, 0)}, .router = {1, IP4(192, 168, 1, 1)},
        .router_count = 1,
        .dns = (const uint32_t[]){IP4(192, 168, 1, 1), IP4(1, 1, 1, 1)}, .dns_count = 2,
        .domain_name = "home.lan",
    },
    {
        .name = "server_ack_relayed", .op = 2, .xid = 0x6a0f33c2, .mac = ANDROID_MAC,
        .yiaddr = IP4(10, 20, 30, 41), .giaddr = IP4(10, 20, 30, 1), .has_end = 1,
        .order = BYTES(53, 54, 51, 58, 59, 1, 3, 6, 15, 43, 82), .msg_type = 5,
        .server_id = {1, IP4(10, 0, 0, 5)}, .lease_s = {1, 3600}, .t1_s = {1, 1800},
        .t2_s = {1, 3150}, .mask = {1, IP4(255, 255, 255, 0)},
        .router = {1, IP4(10, 20, 30, 1)}, .router_count = 1,
        .dns = (const uint32_t[]){IP4(10, 0, 0, 53), IP4(10, 0, 0, 54)}, .dns_count = 2,
        .domain_name = "corp.example", .vendor_opts = "ANDROID_METERED", .relay_info = 1,
    },
    {
        .name = "overload_ack", .op = 2, .xid = 0x33e0a5d1, .flags = 0x8000,
        .mac = {0x00, 0x0e, 0xc6, 0x71, 0x2b, 0x9d}, .yiaddr = IP4(10, 20, 30, 77),
        .siaddr = IP4(10, 0, 0, 5), .has_end = 1, .overload = 3,
        /* options field, then file, then sname (RFC 2131 4.1); the 52 inside
         * file is listed but not followed */
        .order = BYTES(53, 52, 54, 51, 1, 3, 6, 121, 52, 15, 125), .msg_type = 5,
        .server_id = {1, IP4(10, 0, 0, 5)}, .lease_s = {1, 43200},
        .mask = {1, IP4(255, 255, 255, 0)}, .router = {1, IP4(10, 20, 30, 1)},
        .router_count = 1, .dns = (const uint32_t[]){IP4(10, 0, 0, 53)}, .dns_count = 1,
        .domain_name = "corp.example", .vivso = {1, 3561},
    },
    {
        .name = "macos_discover_no_end", .op = 1, .xid = 0x8f3a2c51, .elapsed_s = 2,
        .mac = MACOS_MAC, .has_end = 0, .order = BYTES(53, 55, 57, 61, 51, 12),
        .msg_type = 1, .prl = mac_prl, .prl_len = sizeof mac_prl, .max_msg = 1500,
        .cid = macos_cid, .cid_len = sizeof macos_cid, .host_name = "MacBook-Pro",
        .lease_s = {1, 7776000},
    },
    {
        .name = "zero_length_options", .op = 1, .xid = 0x4f00be11,
        .mac = {0x00, 0x80, 0xa3, 0x5c, 0x01, 0xe4}, .has_end = 1, .options_bad = 2,
        .order = BYTES(53, 12, 60, 80, 55), .msg_type = 1, .prl = BYTES(1, 3, 6),
    },
};

#define NWANTS (sizeof wants / sizeof wants[0])

static int parse_any(const uint8_t *buf, size_t len, void *out)
{
    return caps_dhcp_parse(buf, len, out);
}

/* Parses a copy in a heap block of exactly len bytes, so ASan sees over-reads. */
static int parse_exact(const uint8_t *buf, size_t len, struct caps_dhcp *out)
{
    uint8_t *copy = malloc(len ? len : 1);
    int rc;

    ck_assert_ptr_nonnull(copy);
    if (len > 0)
        memcpy(copy, buf, len);
    memset(out, 0xA5, sizeof *out);
    rc = caps_dhcp_parse(copy, len, out);
    free(copy);
    return rc;
}

static void check_bytes(const char *name, const char *field, const uint8_t *got,
                        size_t got_len, const uint8_t *want, size_t want_len)
{
    ck_assert_msg(got_len == want_len, "%s: %s length %zu, want %zu", name, field,
                  got_len, want_len);
    for (size_t i = 0; i < want_len; i++)
        ck_assert_msg(got[i] == want[i], "%s: %s[%zu] = %u, want %u", name, field, i,
                      got[i], want[i]);
}

static void check_text(const char *name, const char *field, uint8_t has,
                       const char *got, size_t cap, const char *want)
{
    if (want == NULL) {
        ck_assert_msg(!has, "%s: %s present, want absent", name, field);
        return;
    }
    ck_assert_msg(has, "%s: %s absent, want \"%s\"", name, field, want);
    ck_assert_msg(memchr(got, '\0', cap) != NULL, "%s: %s not terminated", name, field);
    ck_assert_msg(strcmp(got, want) == 0, "%s: %s = \"%s\", want \"%s\"", name, field,
                  got, want);
}

static void check_u32(const char *name, const char *field, uint8_t has, uint32_t got,
                      struct opt32 want)
{
    ck_assert_msg(has == want.has, "%s: %s has = %u, want %d", name, field, has, want.has);
    if (want.has)
        ck_assert_msg(got == want.v, "%s: %s = 0x%08x, want 0x%08x", name, field, got,
                      want.v);
}

START_TEST(test_sample_fields)
{
    const struct want *w = &wants[_i];
    const struct caps_sample *s = test_sample(&caps_samples_dhcp, w->name);
    const char *n = w->name;
    struct caps_dhcp d;
    uint8_t bits[32] = {0};

    ck_assert_msg(parse_exact(s->bytes, s->len, &d) == 0, "%s: parse failed", n);

    /* fixed header */
    ck_assert_msg(d.op == w->op && d.htype == 1 && d.hlen == 6 && d.hops == w->hops,
                  "%s: op/htype/hlen/hops %u/%u/%u/%u", n, d.op, d.htype, d.hlen, d.hops);
    ck_assert_msg(d.xid == w->xid, "%s: xid 0x%08x", n, d.xid);
    ck_assert_msg(d.elapsed_s == w->elapsed_s, "%s: secs %u", n, d.elapsed_s);
    ck_assert_msg(d.flags == w->flags, "%s: flags 0x%04x", n, d.flags);
    ck_assert_msg(d.ciaddr == w->ciaddr && d.yiaddr == w->yiaddr &&
                  d.siaddr == w->siaddr && d.giaddr == w->giaddr,
                  "%s: ci/yi/si/giaddr %08x/%08x/%08x/%08x", n, d.ciaddr, d.yiaddr,
                  d.siaddr, d.giaddr);
    check_bytes(n, "chaddr", d.chaddr, 6, w->mac, 6);
    for (size_t i = 6; i < CAPS_DHCP_CHADDR_BYTES; i++)
        ck_assert_msg(d.chaddr[i] == 0, "%s: chaddr[%zu] = %u", n, i, d.chaddr[i]);
    ck_assert_msg(strcmp(d.sname, "") == 0 && strcmp(d.file, "") == 0,
                  "%s: sname \"%s\" file \"%s\"", n, d.sname, d.file);

    /* the walk */
    ck_assert_msg(d.has_end == w->has_end, "%s: has_end %u", n, d.has_end);
    ck_assert_msg(d.overload == w->overload, "%s: overload %u", n, d.overload);
    ck_assert_msg(d.options_bad == w->options_bad, "%s: options_bad %u", n, d.options_bad);
    ck_assert_msg(d.options_truncated == 0, "%s: options_truncated", n);
    check_bytes(n, "order", d.order, d.options_count, w->order, w->order_len);
    for (size_t i = 0; i < w->order_len; i++)
        bits[w->order[i] >> 3] = (uint8_t)(bits[w->order[i] >> 3] | 1u << (w->order[i] & 7));
    check_bytes(n, "present", d.present, sizeof d.present, bits, sizeof bits);
    for (size_t i = 0; i < w->order_len; i++)
        ck_assert_msg(caps_dhcp_option_seen(&d, w->order[i]), "%s: option %u not seen", n,
                      w->order[i]);
    ck_assert_msg(!caps_dhcp_option_seen(&d, 0) && !caps_dhcp_option_seen(&d, 255),
                  "%s: pad/end recorded as options", n);

    /* options */
    ck_assert_msg(d.has_msg_type == (w->msg_type != 0) && (!w->msg_type || d.msg_type == w->msg_type),
                  "%s: msg type %u/%u", n, d.has_msg_type, d.msg_type);
    ck_assert_msg(d.has_prl == (w->prl != NULL), "%s: has_prl %u", n, d.has_prl);
    if (w->prl)
        check_bytes(n, "prl", d.prl, d.prl_len, w->prl, w->prl_len);
    ck_assert_msg(d.prl_truncated == 0, "%s: prl_truncated", n);
    ck_assert_msg(d.has_max_msg_size == (w->max_msg != 0) &&
                  (!w->max_msg || d.max_msg_size_bytes == w->max_msg),
                  "%s: max msg size %u/%u", n, d.has_max_msg_size, d.max_msg_size_bytes);
    check_text(n, "vendor_class_text", d.has_vendor_class, d.vendor_class_text,
               sizeof d.vendor_class_text, w->vendor_class);
    if (w->vendor_class)
        check_bytes(n, "vendor_class", d.vendor_class, d.vendor_class_len,
                    (const uint8_t *)w->vendor_class, strlen(w->vendor_class));
    ck_assert_msg(d.has_client_id == (w->cid != NULL), "%s: has_client_id %u", n,
                  d.has_client_id);
    if (w->cid) {
        ck_assert_msg(d.client_id_type == w->cid[0], "%s: client id type %u", n,
                      d.client_id_type);
        check_bytes(n, "client_id", d.client_id, d.client_id_len, w->cid + 1, w->cid_len - 1);
        ck_assert_msg(!d.client_id_truncated, "%s: client id truncated", n);
    }
    check_text(n, "host_name", d.has_host_name, d.host_name, sizeof d.host_name, w->host_name);
    check_text(n, "domain_name", d.has_domain_name, d.domain_name, sizeof d.domain_name,
               w->domain_name);
    check_text(n, "fqdn_name", d.has_fqdn, d.fqdn_name, sizeof d.fqdn_name, w->fqdn_name);
    if (w->fqdn_name)
        ck_assert_msg(d.fqdn_flags == w->fqdn_flags && d.fqdn_rcode1 == 0 &&
                      d.fqdn_rcode2 == 0, "%s: fqdn flags %u", n, d.fqdn_flags);
    check_u32(n, "requested_ip", d.has_requested_ip, d.requested_ip, w->requested_ip);
    check_u32(n, "server_id", d.has_server_id, d.server_id, w->server_id);
    check_u32(n, "lease_s", d.has_lease, d.lease_s, w->lease_s);
    check_u32(n, "t1_s", d.has_t1, d.t1_s, w->t1_s);
    check_u32(n, "t2_s", d.has_t2, d.t2_s, w->t2_s);
    check_u32(n, "subnet_mask", d.has_subnet_mask, d.subnet_mask, w->mask);
    check_u32(n, "router", d.has_router, d.router, w->router);
    ck_assert_msg(d.router_count == w->router_count, "%s: router_count %u", n, d.router_count);
    ck_assert_msg(d.dns_count == w->dns_count, "%s: dns_count %u", n, d.dns_count);
    for (size_t i = 0; i < w->dns_count && i < CAPS_DHCP_DNS_MAX; i++)
        ck_assert_msg(d.dns[i] == w->dns[i], "%s: dns[%zu] = %08x", n, i, d.dns[i]);
    ck_assert_msg(d.has_vendor_opts == (w->vendor_opts != NULL), "%s: has_vendor_opts", n);
    if (w->vendor_opts) {
        check_bytes(n, "vendor_opts", d.vendor_opts, d.vendor_opts_len,
                    (const uint8_t *)w->vendor_opts, strlen(w->vendor_opts));
        ck_assert_msg(!d.vendor_opts_truncated, "%s: vendor_opts truncated", n);
    }
    check_u32(n, "auto_config", d.has_auto_config, d.auto_config, w->auto_config);
    check_u32(n, "vivso_enterprise", d.has_vivso, d.vivso_enterprise, w->vivso);
    ck_assert_msg(d.has_relay_info == w->relay_info, "%s: has_relay_info %u", n,
                  d.has_relay_info);
    ck_assert_msg(!d.has_user_class, "%s: has_user_class", n);
}
END_TEST

START_TEST(test_every_sample_has_expectations)
{
    ck_assert_uint_eq(caps_samples_dhcp.count, NWANTS);
    ck_assert_uint_ge(caps_samples_dhcp.count, 14);
    for (size_t i = 0; i < NWANTS; i++)
        ck_assert_str_eq(caps_samples_dhcp.samples[i].name, wants[i].name);
}
END_TEST

/* Independent count of the prefixes >= 240 bytes that must decode: a cut on an
 * option boundary of the options field (or anywhere after its end option) is
 * a whole message without an end option; a cut inside an option is not. */
static size_t expected_ok_prefixes(const uint8_t *b, size_t len)
{
    size_t p = CAPS_DHCP_MIN_BYTES, ok = 1;   /* the bare 240-byte prefix */

    while (p < len) {
        if (b[p] == 255)
            return ok + (len - p);            /* cuts at p+1 .. len */
        if (b[p] == 0) {
            p++;
        } else {
            if (p + 1 >= len || p + 2 + b[p + 1] > len)
                break;
            p += 2u + b[p + 1];
        }
        ok++;
    }
    return ok;
}

START_TEST(test_cut_every_offset_all)
{
    const struct caps_sample *s = &caps_samples_dhcp.samples[_i];
    struct caps_dhcp d;
    size_t ok;

    ck_assert_msg(parse_exact(s->bytes, s->len, &d) == 0, "%s: full sample fails", s->name);
    for (size_t cut = 0; cut < CAPS_DHCP_MIN_BYTES && cut < s->len; cut++) {
        int rc = parse_exact(s->bytes, cut, &d);
        ck_assert_msg(rc == CAPS_E_TRUNCATED, "%s cut at %zu: rc %d, want truncated",
                      s->name, cut, rc);
    }
    ok = test_cut_every_offset(s, parse_any, &d, sizeof d);
    ck_assert_msg(ok == expected_ok_prefixes(s->bytes, s->len),
                  "%s: %zu prefixes decode, want %zu", s->name, ok,
                  expected_ok_prefixes(s->bytes, s->len));
}
END_TEST

/* ---- hand-built messages ---- */

static uint8_t msg[2048];

/* A BOOTREQUEST header for 00:11:22:33:44:55 with the magic cookie, then the
 * given option bytes. Returns the message length. */
static size_t build(const uint8_t *opts, size_t n)
{
    ck_assert_uint_le(CAPS_DHCP_MIN_BYTES + n, sizeof msg);
    memset(msg, 0, sizeof msg);
    msg[0] = 1;
    msg[1] = 1;
    msg[2] = 6;
    msg[4] = 0x12;
    msg[5] = 0x34;
    msg[6] = 0x56;
    msg[7] = 0x78;
    for (int i = 0; i < 6; i++)
        msg[28 + i] = (uint8_t)(0x11 * i);
    msg[236] = 99;
    msg[237] = 130;
    msg[238] = 83;
    msg[239] = 99;
    if (n > 0)
        memcpy(msg + CAPS_DHCP_MIN_BYTES, opts, n);
    return CAPS_DHCP_MIN_BYTES + n;
}

#define BUILD(...) build((const uint8_t[]){__VA_ARGS__}, sizeof((const uint8_t[]){__VA_ARGS__}))

START_TEST(test_bad_magic)
{
    const struct caps_sample *s = test_sample(&caps_samples_dhcp, "windows10_discover");
    uint8_t copy[512];
    struct caps_dhcp d;

    memcpy(copy, s->bytes, s->len);
    copy[239] = 0x64;
    ck_assert_int_eq(parse_exact(copy, s->len, &d), CAPS_E_MAGIC);
    /* RFC 951 BOOTP: 64-byte vendor area of zeros, no cookie */
    memset(copy, 0, 300);
    copy[0] = 1;
    copy[1] = 1;
    copy[2] = 6;
    ck_assert_int_eq(parse_exact(copy, 300, &d), CAPS_E_MAGIC);
}
END_TEST

START_TEST(test_short_and_header_errors)
{
    struct caps_dhcp d;
    size_t len = BUILD(53, 1, 1, 255);

    ck_assert_int_eq(parse_exact(msg, 0, &d), CAPS_E_TRUNCATED);
    ck_assert_int_eq(parse_exact(msg, 235, &d), CAPS_E_TRUNCATED);
    ck_assert_int_eq(parse_exact(msg, 239, &d), CAPS_E_TRUNCATED);
    ck_assert_int_eq(parse_exact(msg, len, &d), 0);
    msg[2] = 16;                                     /* largest legal hlen */
    ck_assert_int_eq(parse_exact(msg, len, &d), 0);
    ck_assert_uint_eq(d.hlen, 16);
    msg[2] = 17;
    ck_assert_int_eq(parse_exact(msg, len, &d), CAPS_E_LENGTH);
    msg[2] = 255;
    ck_assert_int_eq(parse_exact(msg, len, &d), CAPS_E_LENGTH);
    msg[2] = 6;
    msg[0] = 0;
    ck_assert_int_eq(parse_exact(msg, len, &d), CAPS_E_FIELD);
    msg[0] = 3;
    ck_assert_int_eq(parse_exact(msg, len, &d), CAPS_E_FIELD);
}
END_TEST

START_TEST(test_empty_options_field)
{
    struct caps_dhcp d;
    size_t len = build(NULL, 0);

    ck_assert_int_eq(parse_exact(msg, len, &d), 0);
    ck_assert_uint_eq(d.options_count, 0);
    ck_assert_uint_eq(d.has_end, 0);
    ck_assert_uint_eq(d.has_msg_type, 0);
    ck_assert_uint_eq(d.xid, 0x12345678);
    ck_assert_uint_eq(d.chaddr[5], 0x55);
}
END_TEST

START_TEST(test_option_past_end)
{
    struct caps_dhcp d;
    size_t len;

    len = BUILD(53, 1, 1, 12, 10, 'a', 'b');           /* value cut */
    ck_assert_int_eq(parse_exact(msg, len, &d), CAPS_E_TRUNCATED);
    len = BUILD(53, 1, 1, 12);                         /* length byte cut */
    ck_assert_int_eq(parse_exact(msg, len, &d), CAPS_E_TRUNCATED);
    len = BUILD(53, 1, 1, 55, 255, 1, 3);              /* 255-byte length */
    ck_assert_int_eq(parse_exact(msg, len, &d), CAPS_E_TRUNCATED);
    len = BUILD(53, 1, 1, 12, 2, 'a', 'b');            /* exact fit, no end */
    ck_assert_int_eq(parse_exact(msg, len, &d), 0);
    ck_assert_uint_eq(d.has_end, 0);
    ck_assert_str_eq(d.host_name, "ab");
}
END_TEST

START_TEST(test_data_after_end_ignored)
{
    struct caps_dhcp d;
    size_t len = BUILD(53, 1, 3, 255, 12, 200, 'x');   /* junk after end */

    ck_assert_int_eq(parse_exact(msg, len, &d), 0);
    ck_assert_uint_eq(d.has_end, 1);
    ck_assert_uint_eq(d.options_count, 1);
    ck_assert_uint_eq(d.has_host_name, 0);
}
END_TEST

/* Option 52 in the file field (and a second one in sname) must not make the
 * decoder walk an area again: each area is walked once, in RFC order. */
START_TEST(test_overload_loop)
{
    struct caps_dhcp d;
    size_t len = BUILD(53, 1, 5, 52, 1, 3, 52, 1, 1, 255);
    static const uint8_t file_opts[] = {52, 1, 3, 12, 1, 'f', 52, 1, 2, 255};
    static const uint8_t sname_opts[] = {52, 1, 1, 60, 1, 's', 255};

    memcpy(msg + 108, file_opts, sizeof file_opts);
    memcpy(msg + 44, sname_opts, sizeof sname_opts);
    ck_assert_int_eq(parse_exact(msg, len, &d), 0);
    ck_assert_uint_eq(d.overload, 3);
    check_bytes("overload_loop", "order", d.order, d.options_count,
                (const uint8_t[]){53, 52, 52, 52, 12, 52, 52, 60}, 8);
    ck_assert_str_eq(d.host_name, "f");
    ck_assert_str_eq(d.vendor_class_text, "s");
    ck_assert_str_eq(d.file, "");
    ck_assert_str_eq(d.sname, "");
    ck_assert_uint_eq(d.options_bad, 0);

    /* only the options field's 52 counts: file asking for sname is ignored */
    len = BUILD(53, 1, 5, 52, 1, 1, 255);
    memcpy(msg + 108, (const uint8_t[]){52, 1, 2, 255}, 4);
    memcpy(msg + 44, (const uint8_t[]){12, 1, 's', 255}, 4);
    ck_assert_int_eq(parse_exact(msg, len, &d), 0);
    ck_assert_uint_eq(d.overload, 1);
    ck_assert_uint_eq(d.options_count, 3);
    ck_assert_uint_eq(d.has_host_name, 0);
    ck_assert_uint_eq(strlen(d.sname), 4);              /* sname read as text */
    ck_assert_int_eq(d.sname[2], 's');

    /* a file that overloads itself and has no end option: walked once */
    len = BUILD(53, 1, 5, 52, 1, 1, 255);
    for (size_t i = 0; i < 128; i += 3) {
        msg[108 + i] = 52;
        if (i + 1 < 128)
            msg[108 + i + 1] = 1;
        if (i + 2 < 128)
            msg[108 + i + 2] = 1;
    }
    msg[108 + 126] = 0;                                /* 42 whole 52s, then pads */
    msg[108 + 127] = 0;
    ck_assert_int_eq(parse_exact(msg, len, &d), 0);
    ck_assert_uint_eq(d.overload, 1);
    ck_assert_uint_eq(d.options_count, 2 + 42);
    ck_assert_uint_eq(d.options_truncated, 0);
}
END_TEST

START_TEST(test_overload_errors)
{
    struct caps_dhcp d;
    size_t len;

    /* an option in file running past the 128-byte field: the buffer goes on
     * (cookie, options), but options never span areas (RFC 3396 section 6) */
    len = BUILD(53, 1, 5, 52, 1, 1, 255);
    msg[108 + 120] = 12;
    msg[108 + 121] = 20;
    ck_assert_int_eq(parse_exact(msg, len, &d), CAPS_E_LENGTH);
    /* the same in sname, with the code on the last byte */
    len = BUILD(53, 1, 5, 52, 1, 2, 255);
    msg[44 + 63] = 12;
    ck_assert_int_eq(parse_exact(msg, len, &d), CAPS_E_LENGTH);
    /* sname filled to its last byte by one option, no end: accepted */
    len = BUILD(53, 1, 5, 52, 1, 2, 255);
    msg[44] = 15;
    msg[45] = 62;
    memset(msg + 46, 'a', 62);
    ck_assert_int_eq(parse_exact(msg, len, &d), 0);
    ck_assert_uint_eq(strlen(d.domain_name), 62);
    /* 52 with a value outside 1..3 or a bad length: counted, not followed, and
     * file/sname stay text */
    len = BUILD(53, 1, 5, 52, 1, 4, 52, 2, 1, 1, 255);
    memcpy(msg + 108, "pxelinux.0", 10);
    memcpy(msg + 44, "tftp01\0junk", 11);
    ck_assert_int_eq(parse_exact(msg, len, &d), 0);
    ck_assert_uint_eq(d.overload, 0);
    ck_assert_uint_eq(d.options_bad, 2);
    ck_assert_str_eq(d.file, "pxelinux.0");
    ck_assert_str_eq(d.sname, "tftp01");
}
END_TEST

START_TEST(test_sname_file_text)
{
    struct caps_dhcp d;
    size_t len = BUILD(53, 1, 2, 255);

    memset(msg + 44, 'S', 64);                         /* no NUL: all 64 kept */
    memcpy(msg + 108, "boot\001x", 6);
    ck_assert_int_eq(parse_exact(msg, len, &d), 0);
    ck_assert_uint_eq(strlen(d.sname), 64);
    ck_assert_str_eq(d.file, "boot?x");
}
END_TEST

/* 257 zero-length options are legal framing but more than any real message
 * carries: CAPS_E_LIMIT. 256 decode, with the order list cut at 64. */
START_TEST(test_too_many_options)
{
    static uint8_t opts[2 * (CAPS_DHCP_OPTIONS_MAX + 1)];
    struct caps_dhcp d;
    size_t len;

    for (size_t i = 0; i < sizeof opts; i += 2) {
        opts[i] = (uint8_t)(200 + (i / 2) % 20);
        opts[i + 1] = 0;
    }
    len = build(opts, sizeof opts);
    ck_assert_int_eq(parse_exact(msg, len, &d), CAPS_E_LIMIT);
    len = build(opts, sizeof opts - 2);
    ck_assert_int_eq(parse_exact(msg, len, &d), 0);
    ck_assert_uint_eq(d.options_count, CAPS_DHCP_OPTIONS_MAX);
    ck_assert_uint_eq(d.options_truncated, 1);
    ck_assert_uint_eq(d.order[0], 200);
    ck_assert_uint_eq(d.order[CAPS_DHCP_ORDER_MAX - 1], 200 + (CAPS_DHCP_ORDER_MAX - 1) % 20);
    ck_assert_uint_eq(d.has_end, 0);
    /* exactly 64 and 65 options: the flag flips at 65 */
    len = build(opts, 2 * CAPS_DHCP_ORDER_MAX);
    ck_assert_int_eq(parse_exact(msg, len, &d), 0);
    ck_assert_uint_eq(d.options_truncated, 0);
    len = build(opts, 2 * (CAPS_DHCP_ORDER_MAX + 1));
    ck_assert_int_eq(parse_exact(msg, len, &d), 0);
    ck_assert_uint_eq(d.options_truncated, 1);
    ck_assert_uint_eq(d.options_count, CAPS_DHCP_ORDER_MAX + 1);
    /* the limit counts options in overloaded areas too */
    opts[0] = 52;
    opts[1] = 1;
    opts[2] = 1;
    for (size_t i = 3; i < 2 * CAPS_DHCP_OPTIONS_MAX - 1; i += 2) {
        opts[i] = 201;
        opts[i + 1] = 0;
    }
    len = build(opts, 2 * CAPS_DHCP_OPTIONS_MAX - 1);  /* 52 + 254 options */
    memset(msg + 108, 0, 128);
    msg[108] = 201;                                    /* 256th: fine */
    ck_assert_int_eq(parse_exact(msg, len, &d), 0);
    ck_assert_uint_eq(d.options_count, CAPS_DHCP_OPTIONS_MAX);
    msg[110] = 201;                                    /* 257th */
    ck_assert_int_eq(parse_exact(msg, len, &d), CAPS_E_LIMIT);
}
END_TEST

START_TEST(test_bad_fixed_lengths)
{
    struct caps_dhcp d;
    size_t len = BUILD(53, 0, 50, 0, 51, 3, 0, 0, 1, 3, 5, 1, 2, 3, 4, 5, 6, 0,
                       57, 1, 2, 116, 2, 1, 1, 125, 4, 0, 0, 0, 9, 82, 1, 1,
                       61, 1, 1, 255);

    ck_assert_int_eq(parse_exact(msg, len, &d), 0);
    ck_assert_uint_eq(d.options_bad, 10);
    ck_assert_uint_eq(d.options_count, 10);
    ck_assert(!d.has_msg_type && !d.has_requested_ip && !d.has_lease && !d.has_router);
    ck_assert(d.dns_count == 0 && !d.has_max_msg_size && !d.has_auto_config);
    ck_assert(!d.has_vivso && !d.has_relay_info && !d.has_client_id);
    ck_assert(caps_dhcp_option_seen(&d, 53) && caps_dhcp_option_seen(&d, 61));
}
END_TEST

START_TEST(test_first_well_formed_wins)
{
    struct caps_dhcp d;
    size_t len = BUILD(12, 0, 12, 1, 'b', 12, 1, 'c', 53, 1, 1, 53, 1, 3,
                       6, 4, 1, 1, 1, 1, 6, 4, 2, 2, 2, 2, 255);

    ck_assert_int_eq(parse_exact(msg, len, &d), 0);
    ck_assert_str_eq(d.host_name, "b");
    ck_assert_uint_eq(d.msg_type, 1);
    ck_assert_uint_eq(d.dns_count, 1);
    ck_assert_uint_eq(d.dns[0], IP4(1, 1, 1, 1));
    ck_assert_uint_eq(d.options_bad, 1);
    ck_assert_uint_eq(d.options_count, 7);
}
END_TEST

/* RFC 3396: a split option 55 is concatenated, bounded at 255 codes. */
START_TEST(test_prl_concatenation)
{
    static uint8_t opts[2 + 255 + 4 + 1];
    struct caps_dhcp d;
    size_t len = BUILD(55, 2, 1, 3, 53, 1, 1, 55, 2, 6, 15, 255);

    ck_assert_int_eq(parse_exact(msg, len, &d), 0);
    check_bytes("prl_concat", "prl", d.prl, d.prl_len, (const uint8_t[]){1, 3, 6, 15}, 4);
    ck_assert_uint_eq(d.prl_truncated, 0);

    opts[0] = 55;
    opts[1] = 255;
    for (int i = 0; i < 255; i++)
        opts[2 + i] = (uint8_t)(i + 1);
    opts[257] = 55;
    opts[258] = 2;
    opts[259] = 7;
    opts[260] = 8;
    opts[261] = 255;
    len = build(opts, sizeof opts);
    ck_assert_int_eq(parse_exact(msg, len, &d), 0);
    ck_assert_uint_eq(d.prl_len, CAPS_DHCP_PRL_MAX);
    ck_assert_uint_eq(d.prl[254], 255);
    ck_assert_uint_eq(d.prl_truncated, 1);
}
END_TEST

START_TEST(test_fqdn)
{
    struct caps_dhcp d;
    size_t len;

    /* dhcpcd / systemd: S|E and a wire-format name */
    len = BUILD(81, 21, 0x05, 0, 0, 4, 'h', 'o', 's', 't', 7, 'e', 'x', 'a', 'm', 'p',
                'l', 'e', 3, 'c', 'o', 'm', 0, 255);
    ck_assert_int_eq(parse_exact(msg, len, &d), 0);
    ck_assert_uint_eq(d.has_fqdn, 1);
    ck_assert_uint_eq(d.fqdn_flags, CAPS_DHCP_FQDN_S | CAPS_DHCP_FQDN_E);
    ck_assert_str_eq(d.fqdn_name, "host.example.com");
    ck_assert_uint_eq(d.options_bad, 0);
    /* partial name: no root label (RFC 4702 2.3.1) */
    len = BUILD(81, 8, 0x04, 0, 0, 4, 'h', 'o', 's', 't', 255);
    ck_assert_int_eq(parse_exact(msg, len, &d), 0);
    ck_assert_str_eq(d.fqdn_name, "host");
    ck_assert_uint_eq(d.options_bad, 0);
    /* no name at all, only flags and rcodes */
    len = BUILD(81, 3, 0x0c, 0xff, 0xff, 255);
    ck_assert_int_eq(parse_exact(msg, len, &d), 0);
    ck_assert_uint_eq(d.has_fqdn, 1);
    ck_assert_str_eq(d.fqdn_name, "");
    ck_assert_uint_eq(d.fqdn_rcode1, 0xff);
    /* a '.' and a control byte inside a label */
    len = BUILD(81, 8, 0x04, 0, 0, 3, 'a', '.', 1, 0, 255);
    ck_assert_int_eq(parse_exact(msg, len, &d), 0);
    ck_assert_str_eq(d.fqdn_name, "a??");
    /* compression pointer, label past the option, bytes after the root,
     * label of 64: bad, name empty */
    len = BUILD(81, 7, 0x04, 0, 0, 1, 'a', 0xc0, 0x0c, 255);
    ck_assert_int_eq(parse_exact(msg, len, &d), 0);
    ck_assert_uint_eq(d.options_bad, 1);
    ck_assert_str_eq(d.fqdn_name, "");
    len = BUILD(81, 6, 0x04, 0, 0, 5, 'a', 'b', 255);
    ck_assert_int_eq(parse_exact(msg, len, &d), 0);
    ck_assert_uint_eq(d.options_bad, 1);
    len = BUILD(81, 7, 0x04, 0, 0, 1, 'a', 0, 'x', 255);
    ck_assert_int_eq(parse_exact(msg, len, &d), 0);
    ck_assert_uint_eq(d.options_bad, 1);
    ck_assert_str_eq(d.fqdn_name, "");
    {
        static uint8_t opts[2 + 3 + 1 + 64 + 1];
        opts[0] = 81;
        opts[1] = 3 + 1 + 64;
        opts[2] = 0x04;
        opts[5] = 64;
        memset(opts + 6, 'a', 64);
        opts[70] = 255;
        len = build(opts, sizeof opts);
        ck_assert_int_eq(parse_exact(msg, len, &d), 0);
        ck_assert_uint_eq(d.options_bad, 1);
        ck_assert_str_eq(d.fqdn_name, "");
    }
    /* without E the name is ASCII, copied as text */
    len = BUILD(81, 6, 0x00, 0, 0, 'p', 'c', '1', 255);
    ck_assert_int_eq(parse_exact(msg, len, &d), 0);
    ck_assert_str_eq(d.fqdn_name, "pc1");
    /* too short for flags and rcodes */
    len = BUILD(81, 2, 0x04, 0, 255);
    ck_assert_int_eq(parse_exact(msg, len, &d), 0);
    ck_assert_uint_eq(d.has_fqdn, 0);
    ck_assert_uint_eq(d.options_bad, 1);
}
END_TEST

/* The longest legal wire name: 126 one-byte labels fill 252 bytes. */
START_TEST(test_fqdn_many_labels)
{
    static uint8_t opts[2 + 255 + 1];
    struct caps_dhcp d;
    size_t len;

    opts[0] = 81;
    opts[1] = 255;
    opts[2] = 0x04;
    for (size_t i = 0; i < 126; i++) {
        opts[5 + 2 * i] = 1;
        opts[5 + 2 * i + 1] = 'x';
    }
    opts[257] = 255;
    len = build(opts, sizeof opts);
    ck_assert_int_eq(parse_exact(msg, len, &d), 0);
    ck_assert_uint_eq(d.options_bad, 0);
    ck_assert_uint_eq(strlen(d.fqdn_name), 126 * 2 - 1);
}
END_TEST

START_TEST(test_bounded_byte_options)
{
    static uint8_t opts[3 * 257 + 1];
    struct caps_dhcp d;
    size_t len, p = 0;

    opts[p++] = 61;                                    /* type 255 + 254 bytes */
    opts[p++] = 255;
    opts[p++] = 255;
    for (int i = 0; i < 254; i++)
        opts[p++] = (uint8_t)i;
    opts[p++] = 77;                                    /* user class, 100 bytes */
    opts[p++] = 100;
    for (int i = 0; i < 100; i++)
        opts[p++] = 'u';
    opts[p++] = 6;                                     /* 6 DNS servers */
    opts[p++] = 24;
    for (int i = 0; i < 24; i++)
        opts[p++] = (uint8_t)(i / 4 + 1);
    opts[p++] = 3;                                     /* 2 routers */
    opts[p++] = 8;
    for (int i = 0; i < 8; i++)
        opts[p++] = (uint8_t)(i < 4 ? 10 : 20);
    opts[p++] = 43;
    opts[p++] = 2;
    opts[p++] = 0xdc;
    opts[p++] = 0x00;
    opts[p++] = 255;
    len = build(opts, p);
    ck_assert_int_eq(parse_exact(msg, len, &d), 0);
    ck_assert_uint_eq(d.client_id_type, 255);
    ck_assert_uint_eq(d.client_id_len, CAPS_DHCP_CLIENT_ID_MAX);
    ck_assert_uint_eq(d.client_id_truncated, 1);
    ck_assert_uint_eq(d.client_id[CAPS_DHCP_CLIENT_ID_MAX - 1], CAPS_DHCP_CLIENT_ID_MAX - 1);
    ck_assert_uint_eq(d.user_class_len, CAPS_DHCP_USER_CLASS_MAX);
    ck_assert_uint_eq(d.user_class_truncated, 1);
    ck_assert_uint_eq(d.dns_count, 6);
    for (uint32_t i = 0; i < CAPS_DHCP_DNS_MAX; i++)
        ck_assert_uint_eq(d.dns[i], IP4(i + 1, i + 1, i + 1, i + 1));
    ck_assert_uint_eq(d.router_count, 2);
    ck_assert_uint_eq(d.router, IP4(10, 10, 10, 10));
    ck_assert_uint_eq(d.vendor_opts_len, 2);
    ck_assert_uint_eq(d.vendor_opts_truncated, 0);
    ck_assert_uint_eq(d.vendor_opts[0], 0xdc);
    ck_assert_uint_eq(d.options_bad, 0);
}
END_TEST

START_TEST(test_text_sanitised)
{
    struct caps_dhcp d;
    size_t len = BUILD(12, 6, 'p', 'c', '\n', 0x7f, 0, 0, 60, 3, 'a', 0, 'b', 255);

    ck_assert_int_eq(parse_exact(msg, len, &d), 0);
    ck_assert_str_eq(d.host_name, "pc??");                  /* trailing NULs dropped */
    ck_assert_str_eq(d.vendor_class_text, "a?b");
    ck_assert_uint_eq(d.vendor_class_len, 3);               /* raw bytes kept as sent */
    ck_assert_uint_eq(d.vendor_class[1], 0);
}
END_TEST

START_TEST(test_msg_type_names)
{
    static const char *const names[] = {
        "discover", "offer", "request", "decline", "ack", "nak", "release", "inform",
        "forcerenew", "leasequery", "leaseunassigned", "leaseunknown", "leaseactive",
        "bulkleasequery", "leasequerydone", "activeleasequery", "leasequerystatus", "tls",
    };

    for (unsigned t = 1; t <= 18; t++)
        ck_assert_str_eq(caps_dhcp_msg_type_name((uint8_t)t), names[t - 1]);
    ck_assert_ptr_null(caps_dhcp_msg_type_name(0));
    ck_assert_ptr_null(caps_dhcp_msg_type_name(19));
    ck_assert_ptr_null(caps_dhcp_msg_type_name(255));
}
END_TEST

Suite *suite_dhcp(void);

Suite *suite_dhcp(void)
{
    Suite *s = suite_create("dhcp");
    TCase *tc;

    tc = tcase_create("samples");
    tcase_add_test(tc, test_every_sample_has_expectations);
    tcase_add_loop_test(tc, test_sample_fields, 0, (int)NWANTS);
    suite_add_tcase(s, tc);

    tc = tcase_create("cut");
    tcase_add_loop_test(tc, test_cut_every_offset_all, 0, (int)caps_samples_dhcp.count);
    suite_add_tcase(s, tc);

    tc = tcase_create("malformed");
    tcase_add_test(tc, test_bad_magic);
    tcase_add_test(tc, test_short_and_header_errors);
    tcase_add_test(tc, test_empty_options_field);
    tcase_add_test(tc, test_option_past_end);
    tcase_add_test(tc, test_data_after_end_ignored);
    tcase_add_test(tc, test_overload_loop);
    tcase_add_test(tc, test_overload_errors);
    tcase_add_test(tc, test_sname_file_text);
    tcase_add_test(tc, test_too_many_options);
    tcase_add_test(tc, test_bad_fixed_lengths);
    tcase_add_test(tc, test_first_well_formed_wins);
    tcase_add_test(tc, test_prl_concatenation);
    tcase_add_test(tc, test_fqdn);
    tcase_add_test(tc, test_fqdn_many_labels);
    tcase_add_test(tc, test_bounded_byte_options);
    tcase_add_test(tc, test_text_sanitised);
    tcase_add_test(tc, test_msg_type_names);
    suite_add_tcase(s, tc);
    return s;
}
