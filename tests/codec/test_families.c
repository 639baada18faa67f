/* test_families.c - device families in, labels out: real sample packets of
 * each family go through a whole sensor with the built-in fingerprint
 * database (data/fingerprints.json), and the OS family, version and device
 * type that come out must be the device's truth. Also: no label without
 * evidence, and labels that do not flap over a long mixed sequence. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <check.h>

#include "caps/dns.h"
#include "caps/sensor.h"
#include "codec/fingerprints.h"
#include "frames.h"
#include "testutil.h"

Suite *suite_families(void);

extern const struct caps_sample_set caps_samples_dhcp;
extern const struct caps_sample_set caps_samples_dns;
extern const struct caps_sample_set caps_samples_ssdp;
extern const struct caps_sample_set caps_samples_nbds;
extern const struct caps_sample_set caps_samples_arp;

#define T0_US 1793610000000000ull

static struct codec_fp_db fpdb;
static struct caps_sensor sensor;
static void *arena;

static void setup(void)
{
    char err[CODEC_ERRMSG_MAX];
    struct caps_config cfg;
    struct caps_host host = {0};

    ck_assert_msg(codec_fp_load_builtin(NULL, &fpdb, err) == 0, "builtin database: %s", err);
    caps_config_default(&cfg);
    cfg.assets_max = 64;
    cfg.fingerprints = &fpdb.db;
    size_t n = caps_sensor_arena_bytes(&cfg);
    arena = aligned_alloc(64, (n + 63) & ~(size_t)63);
    ck_assert_ptr_nonnull(arena);
    ck_assert_int_eq(caps_sensor_init(&sensor, &cfg, &host, arena, n), CAPS_OK);
}

static void teardown(void)
{
    free(arena);
    codec_fp_free(&fpdb);
}

enum via { VIA_DHCP, VIA_MDNS, VIA_SSDP, VIA_NBDS };

struct family_case {
    const char *name;
    enum via via;
    const char *sample;
    uint8_t mac[6];            /* the device (DHCP: the sample's chaddr) */
    uint8_t ttl;               /* IP TTL its stack sends */
    const char *os;            /* expected os.family, NULL: must stay null */
    const char *os_version;    /* expected os.version, NULL: not checked */
    const char *device_type;   /* expected device_type, NULL: must stay null */
};

static const struct family_case cases[] = {
    {"windows10_dhcp", VIA_DHCP, "windows10_discover", {0x3c, 0xa9, 0xf4, 0x5e, 0x21, 0x07}, 128,
     "windows", NULL, "workstation"},
    {"windows10_inform", VIA_DHCP, "windows10_inform", {0x3c, 0xa9, 0xf4, 0x5e, 0x21, 0x07}, 128,
     "windows", NULL, "workstation"},
    {"macos_dhcp", VIA_DHCP, "macos_discover", {0xa4, 0x83, 0xe7, 0x1b, 0x52, 0x9c}, 255, "macos",
     NULL, "workstation"},
    {"ios_dhcp", VIA_DHCP, "ios_request", {0x6e, 0x3f, 0x9a, 0xc1, 0x04, 0x7d}, 255, "ios", NULL,
     "phone"},
    {"android13_dhcp", VIA_DHCP, "android13_discover", {0xda, 0xa1, 0x19, 0x5b, 0x7e, 0x02}, 64,
     "android", "13", "phone"},
    {"dhclient_dhcp", VIA_DHCP, "dhclient_discover", {0x52, 0x54, 0x00, 0x8a, 0x13, 0xf1}, 64,
     "linux", NULL, NULL},
    {"networkd_dhcp", VIA_DHCP, "networkd_discover", {0x52, 0x54, 0x00, 0x3e, 0x7a, 0x11}, 64,
     "linux", NULL, NULL},
    {"dhcpcd_rpi_dhcp", VIA_DHCP, "dhcpcd_rpi_discover", {0xb8, 0x27, 0xeb, 0x5d, 0xa2, 0x4c}, 64,
     "linux", NULL, NULL},
    {"hp_printer_dhcp", VIA_DHCP, "hp_printer_discover", {0x3c, 0xd9, 0x2b, 0x3c, 0x2a, 0xf4}, 64,
     "embedded", NULL, "printer"},
    {"macos_mdns", VIA_MDNS, "macos_announce", {0xa4, 0x83, 0xe7, 0x00, 0x00, 0x01}, 255, "macos",
     NULL, "workstation"},
    {"iphone_mdns", VIA_MDNS, "iphone_announce", {0x6e, 0x00, 0x00, 0x00, 0x00, 0x02}, 255, "ios",
     NULL, "phone"},
    {"appletv_mdns", VIA_MDNS, "appletv_airplay", {0x28, 0x6a, 0xba, 0x00, 0x00, 0x03}, 255, "tvos",
     NULL, "media_player"},
    {"chromecast_mdns", VIA_MDNS, "chromecast_announce", {0xf4, 0xf5, 0xd8, 0x00, 0x00, 0x04}, 255,
     NULL, NULL, "media_player"},
    {"hp_printer_mdns", VIA_MDNS, "hp_printer_announce", {0x3c, 0xd9, 0x2b, 0x00, 0x00, 0x05}, 255,
     "embedded", NULL, "printer"},
    {"avahi_linux_mdns", VIA_MDNS, "avahi_linux_hinfo", {0x52, 0x54, 0x00, 0x00, 0x00, 0x06}, 255,
     "linux", NULL, NULL},
    {"sonos_mdns", VIA_MDNS, "sonos_announce", {0x5c, 0xaa, 0xfd, 0x00, 0x00, 0x07}, 255, NULL,
     NULL, "speaker"},
    {"roku_ssdp", VIA_SSDP, "roku_notify", {0xb0, 0xa7, 0x37, 0x00, 0x00, 0x08}, 4, NULL, NULL,
     "media_player"},
    {"sonos_ssdp", VIA_SSDP, "sonos_notify", {0x48, 0xa6, 0xb8, 0x00, 0x00, 0x09}, 4, NULL, NULL,
     "speaker"},
    {"samsung_tv_ssdp", VIA_SSDP, "samsung_tv_notify", {0x8c, 0x79, 0xf5, 0x00, 0x00, 0x0a}, 4,
     NULL, NULL, "tv"},
    {"hue_bridge_ssdp", VIA_SSDP, "hue_bridge_notify", {0x00, 0x17, 0x88, 0x00, 0x00, 0x0b}, 4,
     NULL, NULL, "iot"},
    {"windows_upnp_host_ssdp", VIA_SSDP, "windows_udh_notify", {0x00, 0x15, 0x5d, 0x00, 0x00, 0x0c},
     2, "windows", NULL, NULL},
    {"pfsense_igd_ssdp", VIA_SSDP, "pfsense_igd_notify", {0x00, 0x0d, 0xb9, 0x00, 0x00, 0x0d}, 4,
     "freebsd", NULL, "network"},
    {"hp_printer_ssdp", VIA_SSDP, "hp_printer_notify", {0x3c, 0xd9, 0x2b, 0x00, 0x00, 0x0e}, 4,
     NULL, NULL, "printer"},
    {"ip_camera_ssdp", VIA_SSDP, "bad_header_line", {0xc0, 0x56, 0xe3, 0x00, 0x00, 0x0f}, 4,
     "embedded", NULL, "camera"},
    {"windows10_browser", VIA_NBDS, "win10_host_announcement", {0x3c, 0xa9, 0xf4, 0x00, 0x00, 0x10},
     128, "windows", "10", "workstation"},
    {"windows7_browser", VIA_NBDS, "win7_host_announcement", {0x3c, 0xa9, 0xf4, 0x00, 0x00, 0x11},
     128, "windows", "7", "workstation"},
    {"samba_browser", VIA_NBDS, "samba_host_announcement", {0x52, 0x54, 0x00, 0x00, 0x00, 0x12},
     64, "linux", NULL, NULL},
};

/* The sender address an mDNS sample speaks for: its first A record. */
static void mdns_sender(const struct caps_sample *s, uint8_t ip[4])
{
    static struct caps_dns dns;
    ck_assert_int_eq(caps_dns_parse(s->bytes, s->len, &dns), CAPS_OK);
    for (uint16_t i = 0; i < dns.record_count; i++)
        if (dns.records[i].type == CAPS_DNS_TYPE_A) {
            memcpy(ip, dns.records[i].rd.a, 4);
            return;
        }
    ck_abort_msg("%s: no A record", s->name);
}

static void feed_case(const struct family_case *c, uint64_t ts_us)
{
    static const uint8_t ip_bcast[4] = {255, 255, 255, 255};
    struct frame_spec f;
    const struct caps_sample *s = NULL;
    uint8_t frame[FRAME_BYTES_MAX];

    memset(&f, 0, sizeof f);
    memcpy(f.src_mac, c->mac, 6);
    memset(f.dst_mac, 0xff, 6);
    f.ip_version = 4;
    f.ttl = c->ttl;
    memcpy(f.src_ip, (const uint8_t[]){192, 168, 1, 200}, 4);
    memcpy(f.dst_ip, ip_bcast, 4);
    switch (c->via) {
    case VIA_DHCP:
        s = test_sample(&caps_samples_dhcp, c->sample);
        memset(f.src_ip, 0, 4);
        f.src_port = 68;
        f.dst_port = 67;
        break;
    case VIA_MDNS:
        s = test_sample(&caps_samples_dns, c->sample);
        mdns_sender(s, f.src_ip);
        memcpy(f.dst_ip, (const uint8_t[]){224, 0, 0, 251}, 4);
        f.src_port = f.dst_port = 5353;
        break;
    case VIA_SSDP:
        s = test_sample(&caps_samples_ssdp, c->sample);
        memcpy(f.dst_ip, (const uint8_t[]){239, 255, 255, 250}, 4);
        f.src_port = f.dst_port = 1900;
        break;
    case VIA_NBDS: {
        s = test_sample(&caps_samples_nbds, c->sample);
        /* The datagram header carries the sender's IP at offset 4. */
        memcpy(f.src_ip, s->bytes + 4, 4);
        f.src_port = f.dst_port = 138;
        break;
    }
    }
    size_t n = frame_build(&f, s->bytes, s->len, frame);
    ck_assert_uint_gt(n, 0);
    caps_sensor_frame(&sensor, ts_us, frame, n, n);
}

START_TEST(family_labels)
{
    const struct family_case *c = &cases[_i];
    char version[CAPS_FP_TEXT_MAX];

    feed_case(c, T0_US);
    const struct caps_asset *a = caps_inventory_lookup(&sensor.inv, c->mac);
    ck_assert_msg(a != NULL, "%s: no asset", c->name);
    const char *os = caps_os_family_name(a->labels.os_family);
    const char *type = caps_device_type_name(a->labels.device_type);
    ck_assert_msg((c->os == NULL && os == NULL) || (c->os && os && strcmp(c->os, os) == 0),
                  "%s: os %s, want %s", c->name, os ? os : "null", c->os ? c->os : "null");
    ck_assert_msg((c->device_type == NULL && type == NULL) ||
                      (c->device_type && type && strcmp(c->device_type, type) == 0),
                  "%s: device_type %s, want %s", c->name, type ? type : "null",
                  c->device_type ? c->device_type : "null");
    if (c->os_version != NULL) {
        caps_fp_os_version(&a->labels, sensor.cfg.fingerprints, version, sizeof version);
        ck_assert_msg(strcmp(version, c->os_version) == 0, "%s: os.version \"%s\", want \"%s\"",
                      c->name, version, c->os_version);
    }
    if (os != NULL)
        ck_assert_msg(a->labels.os_confidence_milli > 0 && a->labels.os_confidence_milli <= 1000,
                      "%s: os confidence %u", c->name, a->labels.os_confidence_milli);
}
END_TEST

START_TEST(no_label_without_evidence)
{
    /* An ARP request from an Intel NIC: the vendor says who made the network
     * card, nothing about the OS or the kind of device. */
    uint8_t frame[FRAME_BYTES_MAX];
    struct frame_spec f;
    memset(&f, 0, sizeof f);
    const struct caps_sample *s = test_sample(&caps_samples_arp, "windows10_request");
    memcpy(f.src_mac, s->bytes + 8, 6);
    memset(f.dst_mac, 0xff, 6);
    size_t n = frame_build(&f, s->bytes, s->len, frame);
    caps_sensor_frame(&sensor, T0_US, frame, n, n);
    const struct caps_asset *a = caps_inventory_lookup(&sensor.inv, s->bytes + 8);
    ck_assert_ptr_nonnull(a);
    ck_assert_uint_eq(a->labels.os_family, CAPS_OS_NONE);
    ck_assert_uint_eq(a->labels.device_type, CAPS_DEV_NONE);
}
END_TEST

START_TEST(labels_do_not_flap_over_a_long_mixed_sequence)
{
    /* One device (the iPhone's MAC) seen for hours through everything its
     * traffic says, interleaved in varying order: once settled, the labels
     * never change. */
    static const struct family_case seq[] = {
        {"dhcp", VIA_DHCP, "ios_request", {0x6e, 0x3f, 0x9a, 0xc1, 0x04, 0x7d}, 255, NULL, NULL, NULL},
        {"mdns", VIA_MDNS, "iphone_probe", {0x6e, 0x3f, 0x9a, 0xc1, 0x04, 0x7d}, 255, NULL, NULL, NULL},
        {"mdns", VIA_MDNS, "iphone_announce", {0x6e, 0x3f, 0x9a, 0xc1, 0x04, 0x7d}, 255, NULL, NULL, NULL},
        {"ssdp", VIA_SSDP, "chrome_macos_dial_msearch", {0x6e, 0x3f, 0x9a, 0xc1, 0x04, 0x7d}, 64, NULL, NULL, NULL},
    };
    const uint8_t *mac = seq[0].mac;
    uint8_t os = 0, type = 0;
    unsigned changes = 0;
    uint32_t x = 12345;
    for (unsigned i = 0; i < 2000; i++) {
        x = x * 1103515245u + 12345u;
        feed_case(&seq[(x >> 16) % 4], T0_US + (uint64_t)i * 1000000u);
        const struct caps_asset *a = caps_inventory_lookup(&sensor.inv, mac);
        if (i > 0 && (a->labels.os_family != os || a->labels.device_type != type))
            changes++;
        os = a->labels.os_family;
        type = a->labels.device_type;
    }
    ck_assert_str_eq(caps_os_family_name(os), "ios");
    ck_assert_uint_le(changes, 2);      /* settling as evidence arrives, then stable */
}
END_TEST

Suite *suite_families(void)
{
    Suite *s = suite_create("families");
    TCase *tc = tcase_create("labels");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_loop_test(tc, family_labels, 0, (int)(sizeof cases / sizeof cases[0]));
    tcase_add_test(tc, no_label_without_evidence);
    tcase_add_test(tc, labels_do_not_flap_over_a_long_mixed_sequence);
    suite_add_tcase(s, tc);
    return s;
}
