/* test_capture.c - what the live capture admits and what the capture path
 * keeps from the core: the BPF filter compiled by libpcap and run over real
 * frames (broadcast/multicast of the sensed protocols, untagged and VLAN-
 * tagged, in; DHCP in whatever the destination; other unicast and other
 * ports out), and the election adverts
 * recognised on every encapsulation without reading past the captured bytes.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include <pcap/pcap.h>

#include "sensor/capture.h"

Suite *suite_capture(void);

#define ADVERT_PORT 47474

/* Builds an Ethernet frame: dst MAC, optional VLAN tags, IPv4 or IPv6 UDP
 * to dport (or ARP when dport is 0). Returns its length. */
static size_t build_frame(uint8_t *f, int multicast, int tags, int ipv6, unsigned dport)
{
    size_t n = 0;
    static const uint8_t bcast[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
    static const uint8_t ucast[6] = {0x02, 0x11, 0x22, 0x33, 0x44, 0x55};
    static const uint8_t src[6] = {0x02, 0xaa, 0xbb, 0xcc, 0xdd, 0xee};

    memcpy(f, multicast ? bcast : ucast, 6);
    memcpy(f + 6, src, 6);
    n = 12;
    for (int t = 0; t < tags; t++) {
        f[n++] = t == 0 && tags == 2 ? 0x88 : 0x81;
        f[n++] = t == 0 && tags == 2 ? 0xa8 : 0x00;
        f[n++] = 0x00;
        f[n++] = (uint8_t)(10 + t);
    }
    if (dport == 0) {
        f[n++] = 0x08, f[n++] = 0x06;            /* ARP request */
        static const uint8_t arp[28] = {0, 1, 8, 0, 6, 4, 0, 1, 0x02, 0xaa, 0xbb, 0xcc, 0xdd,
                                        0xee, 10, 0, 0, 5, 0, 0, 0, 0, 0, 0, 10, 0, 0, 1};
        memcpy(f + n, arp, sizeof arp);
        return n + sizeof arp;
    }
    if (!ipv6) {
        f[n++] = 0x08, f[n++] = 0x00;
        uint8_t ip[20] = {0x45, 0, 0, 28 + 8, 0, 1, 0, 0, 1, 17, 0, 0, 10, 0, 0, 5,
                          255, 255, 255, 255};
        memcpy(f + n, ip, 20);
        n += 20;
    } else {
        f[n++] = 0x86, f[n++] = 0xdd;
        uint8_t ip[40] = {0x60, 0, 0, 0, 0, 16, 17, 255};
        ip[8] = 0xfe, ip[9] = 0x80, ip[23] = 5;       /* fe80::5 */
        ip[24] = 0xff, ip[25] = 0x02, ip[39] = 0xfb;   /* ff02::fb */
        memcpy(f + n, ip, 40);
        n += 40;
    }
    uint8_t udp[16] = {0x13, 0x88, (uint8_t)(dport >> 8), (uint8_t)dport, 0, 16, 0, 0,
                       'p', 'a', 'y', 'l', 'o', 'a', 'd', '!'};
    memcpy(f + n, udp, sizeof udp);
    return n + sizeof udp;
}

struct filter_case {
    const char *name;
    int multicast, tags, ipv6;
    unsigned dport;
    int admitted;
};

static const struct filter_case filter_cases[] = {
    {"arp_broadcast", 1, 0, 0, 0, 1},
    {"dhcp_server_port", 1, 0, 0, 67, 1},
    {"dhcp_client_port", 1, 0, 0, 68, 1},
    {"nbns", 1, 0, 0, 137, 1},
    {"netbios_datagram", 1, 0, 0, 138, 1},
    {"ssdp", 1, 0, 0, 1900, 1},
    {"mdns_v4", 1, 0, 0, 5353, 1},
    {"mdns_v6", 1, 0, 1, 5353, 1},
    {"advert", 1, 0, 0, ADVERT_PORT, 1},
    {"vlan_mdns", 1, 1, 0, 5353, 1},
    {"vlan_arp", 1, 1, 0, 0, 1},
    {"qinq_dhcp", 1, 2, 0, 67, 1},
    {"vlan_mdns_v6", 1, 1, 1, 5353, 1},
    {"unicast_dhcp_server_answer", 0, 0, 0, 68, 1},
    {"unicast_vlan_dhcp", 0, 1, 0, 67, 1},
    {"unicast_mdns", 0, 0, 0, 5353, 0},
    {"unicast_advert", 0, 0, 0, ADVERT_PORT, 0},
    {"unicast_arp", 0, 0, 0, 0, 0},
    {"unicast_vlan_mdns", 0, 1, 0, 5353, 0},
    {"broadcast_other_port", 1, 0, 0, 9999, 0},
    {"vlan_other_port", 1, 1, 0, 53, 0},
    {"wsd_not_listed", 1, 0, 0, 3702, 0},
};

START_TEST(live_filter_table)
{
    const struct filter_case *fc = &filter_cases[_i];
    char expr[SENSOR_LIVE_FILTER_MAX];
    struct bpf_program prog;
    struct pcap_pkthdr h;
    uint8_t frame[256];

    ck_assert_int_eq(sensor_live_filter(ADVERT_PORT, expr, sizeof expr), 0);
    pcap_t *p = pcap_open_dead(DLT_EN10MB, SENSOR_SNAPLEN);
    ck_assert_ptr_nonnull(p);
    ck_assert_msg(pcap_compile(p, &prog, expr, 1, PCAP_NETMASK_UNKNOWN) == 0, "%s: %s", expr,
                  pcap_geterr(p));
    size_t n = build_frame(frame, fc->multicast, fc->tags, fc->ipv6, fc->dport);
    memset(&h, 0, sizeof h);
    h.caplen = h.len = (bpf_u_int32)n;
    int got = pcap_offline_filter(&prog, &h, frame) != 0;
    ck_assert_msg(got == fc->admitted, "%s: filter %s it", fc->name,
                  got ? "admits" : "drops");
    pcap_freecode(&prog);
    pcap_close(p);
}
END_TEST

START_TEST(live_filter_too_small_buffer)
{
    char expr[64];
    ck_assert_int_eq(sensor_live_filter(ADVERT_PORT, expr, sizeof expr), -1);
}
END_TEST

START_TEST(advert_recognised_on_every_encapsulation)
{
    uint8_t frame[256];
    size_t n;

    n = build_frame(frame, 1, 0, 0, ADVERT_PORT);
    ck_assert_int_eq(sensor_frame_is_advert(frame, n, ADVERT_PORT), 1);
    n = build_frame(frame, 1, 1, 0, ADVERT_PORT);
    ck_assert_int_eq(sensor_frame_is_advert(frame, n, ADVERT_PORT), 1);
    n = build_frame(frame, 1, 2, 1, ADVERT_PORT);
    ck_assert_int_eq(sensor_frame_is_advert(frame, n, ADVERT_PORT), 1);
    n = build_frame(frame, 1, 0, 1, ADVERT_PORT);   /* the IPv6 election transport */
    ck_assert_int_eq(sensor_frame_is_advert(frame, n, ADVERT_PORT), 1);
    n = build_frame(frame, 1, 0, 1, 5353);
    ck_assert_int_eq(sensor_frame_is_advert(frame, n, ADVERT_PORT), 0);
    n = build_frame(frame, 1, 0, 0, 5353);
    ck_assert_int_eq(sensor_frame_is_advert(frame, n, ADVERT_PORT), 0);
    n = build_frame(frame, 1, 0, 0, 0);
    ck_assert_int_eq(sensor_frame_is_advert(frame, n, ADVERT_PORT), 0);
    /* A non-first IPv4 fragment has no UDP header where the port would be. */
    n = build_frame(frame, 1, 0, 0, ADVERT_PORT);
    frame[14 + 6] = 0x00, frame[14 + 7] = 0x10;
    ck_assert_int_eq(sensor_frame_is_advert(frame, n, ADVERT_PORT), 0);
}
END_TEST

START_TEST(advert_check_never_reads_past_caplen)
{
    uint8_t frame[256];
    size_t n = build_frame(frame, 1, 2, 1, ADVERT_PORT);

    for (size_t cut = 0; cut <= n; cut++) {
        uint8_t *copy = malloc(cut ? cut : 1);   /* ASan catches any over-read */
        ck_assert_ptr_nonnull(copy);
        memcpy(copy, frame, cut);
        int got = sensor_frame_is_advert(copy, cut, ADVERT_PORT);
        free(copy);
        /* The destination port ends 4 bytes into the UDP header. */
        ck_assert_int_eq(got, cut >= 14 + 8 + 40 + 4 ? 1 : 0);
    }
}
END_TEST

Suite *suite_capture(void)
{
    Suite *s = suite_create("capture");
    TCase *tc = tcase_create("filter");
    tcase_add_loop_test(tc, live_filter_table, 0,
                        (int)(sizeof filter_cases / sizeof filter_cases[0]));
    tcase_add_test(tc, live_filter_too_small_buffer);
    tcase_add_test(tc, advert_recognised_on_every_encapsulation);
    tcase_add_test(tc, advert_check_never_reads_past_caplen);
    suite_add_tcase(s, tc);
    return s;
}
