/* test_sensor.c - the sensor pipeline: which MAC each message speaks for,
 * which addresses and names it binds, how hostname sources rank, and how
 * malformed and odd frames are counted. Frames are real sample payloads
 * framed by tests/e2e/frames.c (an independent builder). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <check.h>

#include "caps/sensor.h"
#include "frames.h"
#include "testutil.h"

Suite *suite_sensor(void);

extern const struct caps_sample_set caps_samples_dhcp;
extern const struct caps_sample_set caps_samples_dns;
extern const struct caps_sample_set caps_samples_nbns;
extern const struct caps_sample_set caps_samples_nbds;
extern const struct caps_sample_set caps_samples_arp;

#define T0_US 1793610000000000ull

static struct caps_sensor sensor;
static void *arena;

static void setup_sized(uint32_t assets_max)
{
    struct caps_config cfg;
    struct caps_host host = {0};
    caps_config_default(&cfg);
    cfg.assets_max = assets_max;
    size_t n = caps_sensor_arena_bytes(&cfg);
    arena = aligned_alloc(64, (n + 63) & ~(size_t)63);
    ck_assert_ptr_nonnull(arena);
    ck_assert_int_eq(caps_sensor_init(&sensor, &cfg, &host, arena, n), CAPS_OK);
}

static void setup(void)
{
    setup_sized(64);
}

static void teardown(void)
{
    free(arena);
    arena = NULL;
}

static struct frame_spec udp4(const char *src_mac, const char *src_ip, const char *dst_ip,
                              uint16_t sport, uint16_t dport)
{
    struct frame_spec s;
    unsigned m[6], a[4], b[4];
    memset(&s, 0, sizeof s);
    ck_assert_int_eq(sscanf(src_mac, "%x:%x:%x:%x:%x:%x", &m[0], &m[1], &m[2], &m[3], &m[4], &m[5]), 6);
    ck_assert_int_eq(sscanf(src_ip, "%u.%u.%u.%u", &a[0], &a[1], &a[2], &a[3]), 4);
    ck_assert_int_eq(sscanf(dst_ip, "%u.%u.%u.%u", &b[0], &b[1], &b[2], &b[3]), 4);
    for (int i = 0; i < 6; i++) {
        s.src_mac[i] = (uint8_t)m[i];
        s.dst_mac[i] = 0xff;
    }
    for (int i = 0; i < 4; i++) {
        s.src_ip[i] = (uint8_t)a[i];
        s.dst_ip[i] = (uint8_t)b[i];
    }
    s.ip_version = 4;
    s.ttl = 64;
    s.src_port = sport;
    s.dst_port = dport;
    return s;
}

static void feed(const struct frame_spec *spec, const struct caps_sample_set *set,
                 const char *name, size_t cut, uint64_t ts_us)
{
    uint8_t frame[FRAME_BYTES_MAX];
    const struct caps_sample *s = test_sample(set, name);
    size_t n = frame_build(spec, s->bytes, cut ? cut : s->len, frame);
    ck_assert_uint_gt(n, 0);
    caps_sensor_frame(&sensor, ts_us, frame, n, n);
}

static const struct caps_asset *asset(const char *mac)
{
    unsigned m[6];
    uint8_t b[6];
    ck_assert_int_eq(sscanf(mac, "%x:%x:%x:%x:%x:%x", &m[0], &m[1], &m[2], &m[3], &m[4], &m[5]), 6);
    for (int i = 0; i < 6; i++)
        b[i] = (uint8_t)m[i];
    return caps_inventory_lookup(&sensor.inv, b);
}

START_TEST(dhcp_discover_names_chaddr_without_address)
{
    struct frame_spec f = udp4("3c:a9:f4:5e:21:07", "0.0.0.0", "255.255.255.255", 68, 67);
    feed(&f, &caps_samples_dhcp, "windows10_discover", 0, T0_US);
    const struct caps_asset *a = asset("3c:a9:f4:5e:21:07");
    ck_assert_ptr_nonnull(a);
    ck_assert_str_eq(a->hostname, "DESKTOP-5L6UA14");
    ck_assert_uint_eq(a->ip4_count, 0);
    ck_assert_uint_eq(a->sources, 1u << CAPS_PROTO_DHCP);
    ck_assert_uint_eq(a->first_seen_us, T0_US);
    ck_assert_uint_eq(sensor.stats.packets[CAPS_PROTO_DHCP], 1);
}
END_TEST

START_TEST(relayed_ack_binds_yiaddr_to_chaddr_not_relay)
{
    /* The relay (router) forwards the server's ACK: frame source is the
     * relay's MAC and address; the lease belongs to chaddr. */
    struct frame_spec f = udp4("00:1d:aa:c1:00:01", "10.20.30.1", "10.20.30.41", 67, 68);
    feed(&f, &caps_samples_dhcp, "server_ack_relayed", 0, T0_US);
    const struct caps_asset *client = asset("da:a1:19:5b:7e:02");
    const struct caps_asset *relay = asset("00:1d:aa:c1:00:01");
    ck_assert_ptr_nonnull(client);
    ck_assert_ptr_nonnull(relay);
    ck_assert_uint_eq(client->ip4_count, 1);
    ck_assert_mem_eq(client->ip4[0], ((const uint8_t[]){10, 20, 30, 41}), 4);
    ck_assert_uint_eq(relay->ip4_count, 1);
    ck_assert_mem_eq(relay->ip4[0], ((const uint8_t[]){10, 20, 30, 1}), 4);
    ck_assert_str_eq(relay->hostname, "");
}
END_TEST

START_TEST(offer_does_not_bind_yiaddr)
{
    struct frame_spec f = udp4("00:1d:aa:c1:00:01", "192.168.1.1", "255.255.255.255", 67, 68);
    feed(&f, &caps_samples_dhcp, "server_offer", 0, T0_US);
    ck_assert_ptr_null(asset("3c:a9:f4:5e:21:07"));
    ck_assert_ptr_nonnull(asset("00:1d:aa:c1:00:01"));
}
END_TEST

START_TEST(mdns_name_only_when_record_is_the_senders_address)
{
    /* appletv_airplay announces Living-Room.local = 192.168.1.50. */
    struct frame_spec own = udp4("28:6a:ba:3b:4c:5d", "192.168.1.50", "224.0.0.251", 5353, 5353);
    struct frame_spec proxy = udp4("28:6a:ba:00:00:99", "192.168.1.99", "224.0.0.251", 5353, 5353);
    feed(&proxy, &caps_samples_dns, "appletv_airplay", 0, T0_US);
    const struct caps_asset *p = asset("28:6a:ba:00:00:99");
    ck_assert_ptr_nonnull(p);
    ck_assert_str_eq(p->hostname, "");       /* a sleep proxy speaks for others */
    ck_assert_uint_eq(p->ip4_count, 1);      /* only its own frame address */
    feed(&own, &caps_samples_dns, "appletv_airplay", 0, T0_US + 1);
    const struct caps_asset *a = asset("28:6a:ba:3b:4c:5d");
    ck_assert_str_eq(a->hostname, "Living-Room");
    ck_assert_uint_eq(a->ip6_count, 1);      /* the AAAA of the same name */
    ck_assert_uint_eq(a->ip6[0][0], 0xfe);
}
END_TEST

START_TEST(mdns_goodbye_binds_nothing)
{
    struct frame_spec f = udp4("28:6a:ba:3b:4c:5d", "192.168.1.50", "224.0.0.251", 5353, 5353);
    feed(&f, &caps_samples_dns, "appletv_goodbye", 0, T0_US);
    const struct caps_asset *a = asset("28:6a:ba:3b:4c:5d");
    ck_assert_ptr_nonnull(a);
    ck_assert_str_eq(a->hostname, "");
}
END_TEST

START_TEST(hostname_ranks_dhcp_over_netbios_over_mdns)
{
    /* The iPhone probes as Alices-iPhone.local, then asks DHCP as "iPhone". */
    struct frame_spec m = udp4("6e:3f:9a:c1:04:7d", "192.168.1.42", "224.0.0.251", 5353, 5353);
    struct frame_spec d = udp4("6e:3f:9a:c1:04:7d", "0.0.0.0", "255.255.255.255", 68, 67);
    feed(&m, &caps_samples_dns, "iphone_probe", 0, T0_US);
    ck_assert_str_eq(asset("6e:3f:9a:c1:04:7d")->hostname, "Alices-iPhone");
    feed(&d, &caps_samples_dhcp, "ios_request", 0, T0_US + 1);
    ck_assert_str_eq(asset("6e:3f:9a:c1:04:7d")->hostname, "iPhone");
    feed(&m, &caps_samples_dns, "iphone_probe", 0, T0_US + 2);
    ck_assert_str_eq(asset("6e:3f:9a:c1:04:7d")->hostname, "iPhone");
}
END_TEST

START_TEST(netbios_registration_needs_senders_own_address)
{
    struct frame_spec own = udp4("3c:a9:f4:5e:21:7a", "192.168.1.23", "192.168.1.255", 137, 137);
    struct frame_spec other = udp4("3c:a9:f4:5e:21:99", "192.168.1.99", "192.168.1.255", 137, 137);
    feed(&other, &caps_samples_nbns, "win10_register_desktop_00", 0, T0_US);
    ck_assert_str_eq(asset("3c:a9:f4:5e:21:99")->hostname, "");
    feed(&own, &caps_samples_nbns, "win10_register_workgroup", 0, T0_US);
    ck_assert_str_eq(asset("3c:a9:f4:5e:21:7a")->hostname, "");   /* a group name */
    feed(&own, &caps_samples_nbns, "win10_register_desktop_00", 0, T0_US);
    ck_assert_str_eq(asset("3c:a9:f4:5e:21:7a")->hostname, "DESKTOP-ABC123");
    ck_assert_uint_eq(asset("3c:a9:f4:5e:21:7a")->sources, 1u << CAPS_PROTO_NBNS);
}
END_TEST

START_TEST(domain_announcement_names_source_not_workgroup)
{
    struct frame_spec f = udp4("52:54:00:3e:7a:11", "192.168.1.10", "192.168.1.255", 138, 138);
    feed(&f, &caps_samples_nbds, "samba_domain_announcement", 0, T0_US);
    ck_assert_str_eq(asset("52:54:00:3e:7a:11")->hostname, "FILESERVER");
}
END_TEST

START_TEST(arp_probe_proves_presence_only)
{
    uint8_t frame[FRAME_BYTES_MAX];
    struct frame_spec f;
    memset(&f, 0, sizeof f);
    memcpy(f.src_mac, (const uint8_t[]){0x78, 0x31, 0xc1, 0x4a, 0xd0, 0x19}, 6);
    memset(f.dst_mac, 0xff, 6);
    const struct caps_sample *s = test_sample(&caps_samples_arp, "macos_probe");
    size_t n = frame_build(&f, s->bytes, s->len, frame);
    caps_sensor_frame(&sensor, T0_US, frame, n, n);
    const struct caps_asset *a = asset("78:31:c1:4a:d0:19");
    ck_assert_ptr_nonnull(a);
    ck_assert_uint_eq(a->ip4_count, 0);
    s = test_sample(&caps_samples_arp, "rfc5227_announcement");
    n = frame_build(&f, s->bytes, s->len, frame);
    caps_sensor_frame(&sensor, T0_US + 5, frame, n, n);
    ck_assert_uint_eq(a->ip4_count, 1);
    ck_assert_mem_eq(a->ip4[0], ((const uint8_t[]){10, 44, 7, 23}), 4);
    ck_assert_uint_eq(a->last_seen_us, T0_US + 5);
    ck_assert_uint_eq(sensor.stats.packets[CAPS_PROTO_ARP], 2);
}
END_TEST

START_TEST(malformed_counted_per_protocol_and_reason)
{
    struct frame_spec f = udp4("52:54:00:99:99:99", "0.0.0.0", "255.255.255.255", 68, 67);
    feed(&f, &caps_samples_dhcp, "dhclient_discover", 100, T0_US);
    ck_assert_uint_eq(sensor.inv.count, 0);
    ck_assert_uint_eq(sensor.stats.malformed[CAPS_PROTO_DHCP][-CAPS_E_TRUNCATED], 1);
    ck_assert_uint_eq(caps_sensor_malformed_total(&sensor), 1);
    /* A 13-byte frame is malformed Ethernet. */
    uint8_t runt[13] = {0};
    caps_sensor_frame(&sensor, T0_US, runt, sizeof runt, sizeof runt);
    ck_assert_uint_eq(sensor.stats.malformed[CAPS_PROTO_ETHERNET][-CAPS_E_TRUNCATED], 1);
    ck_assert_uint_eq(sensor.stats.frames, 2);
}
END_TEST

START_TEST(multicast_source_mac_is_never_an_asset)
{
    struct frame_spec f = udp4("01:00:5e:00:00:fb", "192.168.1.50", "224.0.0.251", 5353, 5353);
    feed(&f, &caps_samples_dns, "appletv_airplay", 0, T0_US);
    ck_assert_uint_eq(sensor.inv.count, 0);
    ck_assert_uint_eq(sensor.stats.packets[CAPS_PROTO_MDNS], 1);
}
END_TEST

START_TEST(full_inventory_evicts_and_counts)
{
    teardown();
    setup_sized(2);
    const char *macs[3] = {"02:00:00:00:00:01", "02:00:00:00:00:02", "02:00:00:00:00:03"};
    for (int i = 0; i < 3; i++) {
        struct frame_spec f = udp4(macs[i], "192.168.1.50", "224.0.0.251", 5353, 5353);
        feed(&f, &caps_samples_dns, "browse_query_multi", 0, T0_US + (unsigned)i);
    }
    ck_assert_uint_eq(sensor.inv.count, 2);
    ck_assert_uint_eq(sensor.inv.evicted, 1);
    ck_assert_ptr_null(asset(macs[0]));
    ck_assert_ptr_nonnull(asset(macs[2]));
}
END_TEST

START_TEST(aging_marks_stale_then_drops)
{
    teardown();
    struct caps_config cfg;
    struct caps_host host = {0};
    caps_config_default(&cfg);
    cfg.assets_max = 8;
    cfg.stale_after_s = 3600;
    cfg.expire_after_s = 7200;
    size_t n = caps_sensor_arena_bytes(&cfg);
    arena = aligned_alloc(64, (n + 63) & ~(size_t)63);
    ck_assert_int_eq(caps_sensor_init(&sensor, &cfg, &host, arena, n), CAPS_OK);

    struct frame_spec f = udp4("3c:a9:f4:5e:21:07", "0.0.0.0", "255.255.255.255", 68, 67);
    feed(&f, &caps_samples_dhcp, "windows10_discover", 0, T0_US);
    const struct caps_asset *a = asset("3c:a9:f4:5e:21:07");
    ck_assert(!caps_sensor_asset_stale(&sensor, a));
    caps_sensor_tick(&sensor, T0_US + 3600ull * 1000000u);
    ck_assert(!caps_sensor_asset_stale(&sensor, a));       /* exactly the limit: not yet */
    caps_sensor_tick(&sensor, T0_US + 3601ull * 1000000u);
    ck_assert(caps_sensor_asset_stale(&sensor, a));
    ck_assert_uint_eq(sensor.inv.count, 1);
    caps_sensor_tick(&sensor, T0_US + 7261ull * 1000000u);  /* past expiry, a pass is due */
    ck_assert_uint_eq(sensor.inv.count, 0);
    ck_assert_uint_eq(sensor.stats.assets_expired, 1);
    /* Time never runs backwards: an old tick changes nothing. */
    caps_sensor_tick(&sensor, T0_US);
    ck_assert_uint_eq(sensor.now_us, T0_US + 7261ull * 1000000u);
}
END_TEST

START_TEST(randomized_mac_linked_by_dhcp_host_name)
{
    /* An iPhone rotates its private address: the same DHCP host name from a
     * new locally administered MAC links the earlier one. */
    struct frame_spec f1 = udp4("6e:3f:9a:c1:04:7d", "0.0.0.0", "255.255.255.255", 68, 67);
    feed(&f1, &caps_samples_dhcp, "ios_request", 0, T0_US);
    /* Same bytes, but the chaddr rewritten to the new MAC. */
    const struct caps_sample *s = test_sample(&caps_samples_dhcp, "ios_request");
    uint8_t payload[1500], frame[FRAME_BYTES_MAX];
    ck_assert_uint_le(s->len, sizeof payload);
    memcpy(payload, s->bytes, s->len);
    const uint8_t new_mac[6] = {0x7a, 0x11, 0x22, 0x33, 0x44, 0x55};
    memcpy(payload + 28, new_mac, 6);
    struct frame_spec f2 = udp4("7a:11:22:33:44:55", "0.0.0.0", "255.255.255.255", 68, 67);
    size_t n = frame_build(&f2, payload, s->len, frame);
    caps_sensor_frame(&sensor, T0_US + 86400ull * 1000000u, frame, n, n);
    const struct caps_asset *now = asset("7a:11:22:33:44:55");
    const struct caps_asset *before = asset("6e:3f:9a:c1:04:7d");
    ck_assert_ptr_nonnull(now);
    ck_assert_ptr_nonnull(before);       /* kept as its own asset */
    ck_assert_uint_eq(now->previous_mac_count, 1);
    ck_assert_mem_eq(now->previous_macs[0], ((const uint8_t[]){0x6e, 0x3f, 0x9a, 0xc1, 0x04, 0x7d}), 6);
    ck_assert_uint_eq(before->previous_mac_count, 0);
}
END_TEST

START_TEST(common_host_name_links_nothing)
{
    /* Two iPhones both called "iPhone" online at the same time are two
     * devices: a third with that name links neither. */
    const struct caps_sample *s = test_sample(&caps_samples_dhcp, "ios_request");
    uint8_t payload[1500], frame[FRAME_BYTES_MAX];
    static const char *const macs[3] = {"7a:00:00:00:00:01", "7a:00:00:00:00:02",
                                        "7a:00:00:00:00:03"};
    for (int i = 0; i < 3; i++) {
        memcpy(payload, s->bytes, s->len);
        payload[28] = 0x7a;
        payload[29] = payload[30] = payload[31] = payload[32] = 0;
        payload[33] = (uint8_t)(i + 1);
        /* iOS sends its current (random) MAC as client id: rewrite it too. */
        for (size_t k = 240; k + 6 <= s->len; k++)
            if (memcmp(payload + k, s->bytes + 28, 6) == 0)
                memcpy(payload + k, payload + 28, 6);
        struct frame_spec f = udp4(macs[i], "0.0.0.0", "255.255.255.255", 68, 67);
        size_t n = frame_build(&f, payload, s->len, frame);
        caps_sensor_frame(&sensor, T0_US + (unsigned)i * 1000000u, frame, n, n);
    }
    ck_assert_uint_eq(asset(macs[2])->previous_mac_count, 0);
    ck_assert_uint_eq(asset(macs[1])->previous_mac_count, 0);
}
END_TEST

START_TEST(universal_mac_is_never_linked)
{
    /* Two PCs with globally unique MACs may share a host name (reimaged
     * machines): they are different devices, never linked. */
    struct frame_spec f1 = udp4("3c:a9:f4:5e:21:07", "0.0.0.0", "255.255.255.255", 68, 67);
    feed(&f1, &caps_samples_dhcp, "windows10_discover", 0, T0_US);
    const struct caps_sample *s = test_sample(&caps_samples_dhcp, "windows10_discover");
    uint8_t payload[1500], frame[FRAME_BYTES_MAX];
    memcpy(payload, s->bytes, s->len);
    payload[33] = 0x99;
    struct frame_spec f2 = udp4("3c:a9:f4:5e:21:99", "0.0.0.0", "255.255.255.255", 68, 67);
    size_t n = frame_build(&f2, payload, s->len, frame);
    caps_sensor_frame(&sensor, T0_US + 1, frame, n, n);
    ck_assert_uint_eq(asset("3c:a9:f4:5e:21:99")->previous_mac_count, 0);
}
END_TEST

START_TEST(off_premises_senses_nothing)
{
    teardown();
    struct caps_config cfg;
    struct caps_host host = {0};
    caps_config_default(&cfg);
    cfg.assets_max = 8;
    cfg.domain_count = 1;
    strcpy(cfg.domains[0].name, "corp.example.com");
    size_t n = caps_sensor_arena_bytes(&cfg);
    arena = aligned_alloc(64, (n + 63) & ~(size_t)63);
    ck_assert_int_eq(caps_sensor_init(&sensor, &cfg, &host, arena, n), CAPS_OK);
    ck_assert_int_eq(sensor.on_premises, 0);          /* no suffix yet */
    struct frame_spec f = udp4("3c:a9:f4:5e:21:07", "0.0.0.0", "255.255.255.255", 68, 67);
    caps_sensor_set_dns_suffix(&sensor, "home.example.net");
    feed(&f, &caps_samples_dhcp, "windows10_discover", 0, T0_US);
    ck_assert_uint_eq(sensor.inv.count, 0);
    ck_assert_uint_eq(sensor.stats.off_premises_frames, 1);
    caps_sensor_set_dns_suffix(&sensor, "Corp.Example.com.");
    ck_assert_int_eq(sensor.on_premises, 1);
    feed(&f, &caps_samples_dhcp, "windows10_discover", 0, T0_US + 1);
    ck_assert_uint_eq(sensor.inv.count, 1);
}
END_TEST

Suite *suite_sensor(void)
{
    Suite *s = suite_create("sensor");
    TCase *tc = tcase_create("ingest");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, dhcp_discover_names_chaddr_without_address);
    tcase_add_test(tc, relayed_ack_binds_yiaddr_to_chaddr_not_relay);
    tcase_add_test(tc, offer_does_not_bind_yiaddr);
    tcase_add_test(tc, mdns_name_only_when_record_is_the_senders_address);
    tcase_add_test(tc, mdns_goodbye_binds_nothing);
    tcase_add_test(tc, hostname_ranks_dhcp_over_netbios_over_mdns);
    tcase_add_test(tc, netbios_registration_needs_senders_own_address);
    tcase_add_test(tc, domain_announcement_names_source_not_workgroup);
    tcase_add_test(tc, arp_probe_proves_presence_only);
    tcase_add_test(tc, malformed_counted_per_protocol_and_reason);
    tcase_add_test(tc, multicast_source_mac_is_never_an_asset);
    tcase_add_test(tc, full_inventory_evicts_and_counts);
    tcase_add_test(tc, aging_marks_stale_then_drops);
    tcase_add_test(tc, randomized_mac_linked_by_dhcp_host_name);
    tcase_add_test(tc, universal_mac_is_never_linked);
    tcase_add_test(tc, common_host_name_links_nothing);
    tcase_add_test(tc, off_premises_senses_nothing);
    suite_add_tcase(s, tc);
    return s;
}
