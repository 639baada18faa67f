/* mkpcap.c - writes the end-to-end test capture: a small office subnet
 * (192.168.1.0/24) whose devices send the real sample packets of
 * tests/samples, framed by tests/e2e/frames.c, so the expected inventory is
 * known device by device (tests/golden/e2e_inventory.json).
 *
 * usage: e2e_mkpcap OUT.pcap
 *
 * Each device's MAC and addresses agree with what its samples carry (DHCP
 * chaddr, ARP sender, mDNS A records, NetBIOS addresses). Two frames are
 * broken on purpose: a DHCP message cut short (counted malformed) and an IPv4
 * fragment (counted and skipped).
 */
#include <stdio.h>
#include <string.h>

#include <pcap/pcap.h>

#include "frames.h"
#include "sample.h"

#define T0_S 1793610000u   /* 2026-11-02T09:00:00Z */

#define BCAST_MAC {0xff, 0xff, 0xff, 0xff, 0xff, 0xff}
#define MDNS_MAC {0x01, 0x00, 0x5e, 0x00, 0x00, 0xfb}
#define SSDP_MAC {0x01, 0x00, 0x5e, 0x7f, 0xff, 0xfa}
#define IP(a, b, c, d) {a, b, c, d}
#define ZERO IP(0, 0, 0, 0)
#define BCAST IP(255, 255, 255, 255)
#define SUBNET_BCAST IP(192, 168, 1, 255)
#define MDNS_GROUP IP(224, 0, 0, 251)
#define SSDP_GROUP IP(239, 255, 255, 250)

struct e2e_frame {
    unsigned at_s;             /* seconds after T0_S */
    const char *set;           /* sample set ("arp", "dhcp", ...) */
    const char *sample;
    size_t cut;                /* 0: whole sample; else keep this many bytes */
    struct frame_spec spec;
};

/* Devices (MAC, IP): router 00:1d:aa:c1:00:01 .1; VRRP 00:00:5e:00:01:33 .254;
 * DESKTOP-5L6UA14 3c:a9:f4:5e:21:07 .57; DESKTOP-ABC123 3c:a9:f4:5e:21:7a .23;
 * fileserver 52:54:00:3e:7a:11 .10; MacBook-Pro a4:83:e7:1b:52:9c .24;
 * iPhone 6e:3f:9a:c1:04:7d .42; Galaxy-S22 da:a1:19:5b:7e:02; debian-nas
 * 52:54:00:8a:13:f1; raspberrypi b8:27:eb:5d:a2:4c; ipcam-01
 * c0:56:e3:9a:10:2f .64; HP printer 3c:d9:2b:3c:2a:f4 .31; Apple TV
 * 28:6a:ba:3b:4c:5d .50; Chromecast f4:f5:d8:a1:b2:c3 .77; Roku
 * b0:a7:37:12:34:56 .134 (VLAN 20); Sonos 48:a6:b8:b0:06:24 .60; Windows UPnP
 * host 00:15:5d:20:20:20 .20. */
static const struct e2e_frame frames[] = {
    {0, "arp", "vrrp_gratuitous_request", 0,
     {{0x00, 0x00, 0x5e, 0x00, 0x01, 0x33}, BCAST_MAC, 0, 0, ZERO, ZERO, 0, 0, 0}},
    {2, "dhcp", "windows10_discover", 0,
     {{0x3c, 0xa9, 0xf4, 0x5e, 0x21, 0x07}, BCAST_MAC, 0, 4, ZERO, BCAST, 128, 68, 67}},
    {2, "dhcp", "server_offer", 0,
     {{0x00, 0x1d, 0xaa, 0xc1, 0x00, 0x01}, BCAST_MAC, 0, 4, IP(192, 168, 1, 1), BCAST, 64, 67, 68}},
    {3, "dhcp", "windows10_request", 0,
     {{0x3c, 0xa9, 0xf4, 0x5e, 0x21, 0x07}, BCAST_MAC, 0, 4, ZERO, BCAST, 128, 68, 67}},
    {9, "dhcp", "windows10_inform", 0,
     {{0x3c, 0xa9, 0xf4, 0x5e, 0x21, 0x07}, BCAST_MAC, 0, 4, IP(192, 168, 1, 57), BCAST, 128, 68, 67}},
    {11, "ssdp", "windows10_msearch_all", 0,
     {{0x3c, 0xa9, 0xf4, 0x5e, 0x21, 0x07}, SSDP_MAC, 0, 4, IP(192, 168, 1, 57), SSDP_GROUP, 4, 50123, 1900}},
    {20, "arp", "windows10_request", 0,
     {{0x3c, 0xa9, 0xf4, 0x5e, 0x21, 0x7a}, BCAST_MAC, 0, 0, ZERO, ZERO, 0, 0, 0}},
    {21, "nbns", "win10_register_workgroup", 0,
     {{0x3c, 0xa9, 0xf4, 0x5e, 0x21, 0x7a}, BCAST_MAC, 0, 4, IP(192, 168, 1, 23), SUBNET_BCAST, 128, 137, 137}},
    {21, "nbns", "win10_register_desktop_00", 0,
     {{0x3c, 0xa9, 0xf4, 0x5e, 0x21, 0x7a}, BCAST_MAC, 0, 4, IP(192, 168, 1, 23), SUBNET_BCAST, 128, 137, 137}},
    {22, "nbns", "win10_register_desktop_20", 0,
     {{0x3c, 0xa9, 0xf4, 0x5e, 0x21, 0x7a}, BCAST_MAC, 0, 4, IP(192, 168, 1, 23), SUBNET_BCAST, 128, 137, 137}},
    {60, "nbds", "win10_host_announcement", 0,
     {{0x3c, 0xa9, 0xf4, 0x5e, 0x21, 0x7a}, BCAST_MAC, 0, 4, IP(192, 168, 1, 23), SUBNET_BCAST, 128, 138, 138}},
    {61, "nbds", "win10_local_master_announcement", 0,
     {{0x3c, 0xa9, 0xf4, 0x5e, 0x21, 0x7a}, BCAST_MAC, 0, 4, IP(192, 168, 1, 23), SUBNET_BCAST, 128, 138, 138}},
    {62, "ssdp", "chrome_windows_dial_msearch", 0,
     {{0x3c, 0xa9, 0xf4, 0x5e, 0x21, 0x7a}, SSDP_MAC, 0, 4, IP(192, 168, 1, 23), SSDP_GROUP, 4, 50124, 1900}},
    {30, "dhcp", "networkd_discover", 0,
     {{0x52, 0x54, 0x00, 0x3e, 0x7a, 0x11}, BCAST_MAC, 0, 4, ZERO, BCAST, 64, 68, 67}},
    {70, "nbds", "samba_host_announcement", 0,
     {{0x52, 0x54, 0x00, 0x3e, 0x7a, 0x11}, BCAST_MAC, 0, 4, IP(192, 168, 1, 10), SUBNET_BCAST, 64, 138, 138}},
    {71, "nbds", "samba_domain_announcement", 0,
     {{0x52, 0x54, 0x00, 0x3e, 0x7a, 0x11}, BCAST_MAC, 0, 4, IP(192, 168, 1, 10), SUBNET_BCAST, 64, 138, 138}},
    {40, "dhcp", "macos_discover", 0,
     {{0xa4, 0x83, 0xe7, 0x1b, 0x52, 0x9c}, BCAST_MAC, 0, 4, ZERO, BCAST, 255, 68, 67}},
    {45, "ssdp", "chrome_macos_dial_msearch", 0,
     {{0xa4, 0x83, 0xe7, 0x1b, 0x52, 0x9c}, SSDP_MAC, 0, 4, IP(192, 168, 1, 24), SSDP_GROUP, 1, 50125, 1900}},
    {50, "dhcp", "ios_request", 0,
     {{0x6e, 0x3f, 0x9a, 0xc1, 0x04, 0x7d}, BCAST_MAC, 0, 4, ZERO, BCAST, 255, 68, 67}},
    {51, "dns", "iphone_probe", 0,
     {{0x6e, 0x3f, 0x9a, 0xc1, 0x04, 0x7d}, MDNS_MAC, 0, 4, IP(192, 168, 1, 42), MDNS_GROUP, 255, 5353, 5353}},
    {80, "dhcp", "android13_discover", 0,
     {{0xda, 0xa1, 0x19, 0x5b, 0x7e, 0x02}, BCAST_MAC, 0, 4, ZERO, BCAST, 64, 68, 67}},
    {90, "dhcp", "dhclient_discover", 0,
     {{0x52, 0x54, 0x00, 0x8a, 0x13, 0xf1}, BCAST_MAC, 0, 4, ZERO, BCAST, 64, 68, 67}},
    {95, "dhcp", "dhcpcd_rpi_discover", 0,
     {{0xb8, 0x27, 0xeb, 0x5d, 0xa2, 0x4c}, BCAST_MAC, 0, 4, ZERO, BCAST, 64, 68, 67}},
    {100, "dhcp", "udhcpc_discover", 0,
     {{0xc0, 0x56, 0xe3, 0x9a, 0x10, 0x2f}, BCAST_MAC, 0, 4, ZERO, BCAST, 64, 68, 67}},
    {101, "ssdp", "bad_header_line", 0,
     {{0xc0, 0x56, 0xe3, 0x9a, 0x10, 0x2f}, SSDP_MAC, 0, 4, IP(192, 168, 1, 64), SSDP_GROUP, 4, 1900, 1900}},
    {110, "dhcp", "hp_printer_discover", 0,
     {{0x3c, 0xd9, 0x2b, 0x3c, 0x2a, 0xf4}, BCAST_MAC, 0, 4, ZERO, BCAST, 64, 68, 67}},
    {112, "dns", "hp_printer_announce", 0,
     {{0x3c, 0xd9, 0x2b, 0x3c, 0x2a, 0xf4}, MDNS_MAC, 0, 4, IP(192, 168, 1, 31), MDNS_GROUP, 255, 5353, 5353}},
    {120, "dns", "appletv_airplay", 0,
     {{0x28, 0x6a, 0xba, 0x3b, 0x4c, 0x5d}, MDNS_MAC, 0, 4, IP(192, 168, 1, 50), MDNS_GROUP, 255, 5353, 5353}},
    {130, "dns", "chromecast_announce", 0,
     {{0xf4, 0xf5, 0xd8, 0xa1, 0xb2, 0xc3}, MDNS_MAC, 0, 4, IP(192, 168, 1, 77), MDNS_GROUP, 255, 5353, 5353}},
    {140, "ssdp", "roku_notify", 0,
     {{0xb0, 0xa7, 0x37, 0x12, 0x34, 0x56}, SSDP_MAC, 20, 4, IP(192, 168, 1, 134), SSDP_GROUP, 4, 1900, 1900}},
    {150, "ssdp", "sonos_notify", 0,
     {{0x48, 0xa6, 0xb8, 0xb0, 0x06, 0x24}, SSDP_MAC, 0, 4, IP(192, 168, 1, 60), SSDP_GROUP, 4, 1900, 1900}},
    {160, "ssdp", "windows_udh_notify", 0,
     {{0x00, 0x15, 0x5d, 0x20, 0x20, 0x20}, SSDP_MAC, 0, 4, IP(192, 168, 1, 20), SSDP_GROUP, 2, 1900, 1900}},
    /* Broken on purpose: a DHCP DISCOVER cut at 100 bytes (no asset, one
     * truncated DHCP counted). */
    {170, "dhcp", "dhclient_discover", 100,
     {{0x52, 0x54, 0x00, 0x99, 0x99, 0x99}, BCAST_MAC, 0, 4, ZERO, BCAST, 64, 68, 67}},
};

static const struct caps_sample *find_sample(const char *set, const char *name)
{
    for (size_t i = 0; caps_sample_sets[i] != NULL; i++) {
        if (strcmp(caps_sample_sets[i]->decoder, set) != 0)
            continue;
        for (size_t j = 0; j < caps_sample_sets[i]->count; j++)
            if (strcmp(caps_sample_sets[i]->samples[j].name, name) == 0)
                return &caps_sample_sets[i]->samples[j];
    }
    return NULL;
}

static void dump(pcap_dumper_t *d, unsigned at_s, unsigned sub_us, const uint8_t *bytes,
                 size_t len)
{
    struct pcap_pkthdr h;
    h.ts.tv_sec = (time_t)(T0_S + at_s);
    h.ts.tv_usec = (suseconds_t)sub_us;
    h.caplen = (bpf_u_int32)len;
    h.len = (bpf_u_int32)len;
    pcap_dump((u_char *)d, &h, bytes);
}

int main(int argc, char **argv)
{
    static uint8_t frame[FRAME_BYTES_MAX];

    if (argc != 2) {
        fprintf(stderr, "usage: e2e_mkpcap OUT.pcap\n");
        return 2;
    }
    pcap_t *p = pcap_open_dead(DLT_EN10MB, 65535);
    pcap_dumper_t *d = pcap_dump_open(p, argv[1]);
    if (d == NULL) {
        fprintf(stderr, "e2e_mkpcap: %s: %s\n", argv[1], pcap_geterr(p));
        return 1;
    }
    /* Frames in time order (the table groups them by device). */
    size_t n = sizeof frames / sizeof frames[0];
    unsigned last = 0;
    for (unsigned t = 0; t <= 200; t++) {
        unsigned sub = 0;
        for (size_t i = 0; i < n; i++) {
            if (frames[i].at_s != t)
                continue;
            const struct caps_sample *s = find_sample(frames[i].set, frames[i].sample);
            if (s == NULL) {
                fprintf(stderr, "e2e_mkpcap: sample %s/%s missing\n", frames[i].set,
                        frames[i].sample);
                return 1;
            }
            size_t len = frames[i].cut ? frames[i].cut : s->len;
            size_t flen = frame_build(&frames[i].spec, s->bytes, len, frame);
            if (flen == 0) {
                fprintf(stderr, "e2e_mkpcap: sample %s/%s too long\n", frames[i].set,
                        frames[i].sample);
                return 1;
            }
            dump(d, t, sub, frame, flen);
            sub += 1000;
            last = t;
        }
    }
    /* An IPv4 fragment (MF set) from the file server: counted, skipped. */
    static const uint8_t frag[] = {
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x52, 0x54, 0x00, 0x3e, 0x7a, 0x11, 0x08, 0x00,
        0x45, 0x00, 0x00, 0x2e, 0x12, 0x34, 0x20, 0x00, 0x40, 0x11, 0x00, 0x00,
        192, 168, 1, 10, 192, 168, 1, 255,
        0x00, 0x8a, 0x00, 0x8a, 0x01, 0x00, 0x00, 0x00, 0x11, 0x02, 0x00, 0x01,
        0xc0, 0xa8, 0x01, 0x0a, 0x00, 0x8a, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00};
    dump(d, last + 1, 0, frag, sizeof frag);
    pcap_dump_close(d);
    pcap_close(p);
    return 0;
}
