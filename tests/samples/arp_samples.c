/* arp_samples.c - ARP bodies (the bytes after the Ethernet header).
 *
 * "capture:" samples are copied byte for byte from the public captures in
 * /work/shared/public_pcaps (file and frame number given). The others are
 * built field by field from RFC 826 / RFC 5227 / RFC 5944 as the named device
 * sends them. A frame seen by a passive sensor is at least 60 bytes, so
 * bodies of frames captured on another host carry 18 bytes of padding (and
 * sometimes the 4-byte FCS); frames captured on the sender are 28 bytes.
 */
#include "sample.h"

/* Windows 10 (Intel NIC, OUI 3c:a9:f4) asking for its gateway, as received by
 * another host: the sender's 42-byte frame padded to 60 by the NIC. Windows
 * puts zeros in the target hardware address of a broadcast request. */
static const uint8_t windows10_request[] = {
    0x00, 0x01,                         /* htype 1 Ethernet */
    0x08, 0x00,                         /* ptype IPv4 */
    0x06, 0x04,                         /* hlen 6, plen 4 */
    0x00, 0x01,                         /* op 1 request */
    0x3c, 0xa9, 0xf4, 0x5e, 0x21, 0x7a, /* sha 3c:a9:f4:5e:21:7a */
    0xc0, 0xa8, 0x01, 0x17,             /* spa 192.168.1.23 */
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /* tha unknown */
    0xc0, 0xa8, 0x01, 0x01,             /* tpa 192.168.1.1 */
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /* 18 bytes of Ethernet padding */
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
};

/* capture: ndpi__android.pcap frame 28. A Linux (OpenWrt) gateway with a
 * locally administered MAC revalidating a cache entry by unicast: the target
 * hardware address is the one it already knows (RFC 1122 2.3.2.1). */
static const uint8_t linux_unicast_request[] = {
    0x00, 0x01, 0x08, 0x00, 0x06, 0x04, /* Ethernet, IPv4, 6, 4 */
    0x00, 0x01,                         /* op 1 request */
    0xc6, 0x2c, 0x03, 0x60, 0x6a, 0x64, /* sha c6:2c:03:60:6a:64 */
    0xc0, 0xa8, 0x02, 0x01,             /* spa 192.168.2.1 */
    0xc4, 0x61, 0x8b, 0x35, 0x82, 0xa9, /* tha c4:61:8b:35:82:a9 */
    0xc0, 0xa8, 0x02, 0x11,             /* tpa 192.168.2.17 */
};

/* capture: ndpi__android.pcap frame 76. An Android phone asking for its
 * gateway (broadcast, zero target hardware address). */
static const uint8_t android_request[] = {
    0x00, 0x01, 0x08, 0x00, 0x06, 0x04, /* Ethernet, IPv4, 6, 4 */
    0x00, 0x01,                         /* op 1 request */
    0x4c, 0x6a, 0xf6, 0x9f, 0xf6, 0x27, /* sha 4c:6a:f6:9f:f6:27 */
    0xc0, 0xa8, 0x02, 0x10,             /* spa 192.168.2.16 */
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /* tha unknown */
    0xc0, 0xa8, 0x02, 0x01,             /* tpa 192.168.2.1 */
};

/* capture: ndpi__android.pcap frame 77. The gateway's reply to the request
 * above, captured on the gateway side (no padding). */
static const uint8_t linux_reply[] = {
    0x00, 0x01, 0x08, 0x00, 0x06, 0x04, /* Ethernet, IPv4, 6, 4 */
    0x00, 0x02,                         /* op 2 reply */
    0xc6, 0x2c, 0x03, 0x60, 0x6a, 0x64, /* sha c6:2c:03:60:6a:64 */
    0xc0, 0xa8, 0x02, 0x01,             /* spa 192.168.2.1 */
    0x4c, 0x6a, 0xf6, 0x9f, 0xf6, 0x27, /* tha 4c:6a:f6:9f:f6:27 */
    0xc0, 0xa8, 0x02, 0x10,             /* tpa 192.168.2.16 */
};

/* capture: zeek__arp-who-has.pcap frame 1. A Mac (Apple OUI 78:31:c1)
 * asking for 10.0.0.1. */
static const uint8_t macos_request[] = {
    0x00, 0x01, 0x08, 0x00, 0x06, 0x04, /* Ethernet, IPv4, 6, 4 */
    0x00, 0x01,                         /* op 1 request */
    0x78, 0x31, 0xc1, 0xc6, 0x3f, 0xc2, /* sha 78:31:c1:c6:3f:c2 */
    0x0a, 0x00, 0x00, 0x02,             /* spa 10.0.0.2 */
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /* tha unknown */
    0x0a, 0x00, 0x00, 0x01,             /* tpa 10.0.0.1 */
};

/* capture: zeek__arp-who-has.pcap frame 2. The ARRIS gateway's answer as
 * received by the Mac: 60-byte frame plus the 4-byte FCS the capture kept,
 * so 22 bytes follow the ARP body. */
static const uint8_t arris_reply_fcs[] = {
    0x00, 0x01, 0x08, 0x00, 0x06, 0x04, /* Ethernet, IPv4, 6, 4 */
    0x00, 0x02,                         /* op 2 reply */
    0xf8, 0xed, 0xa5, 0xc0, 0xa4, 0xf1, /* sha f8:ed:a5:c0:a4:f1 */
    0x0a, 0x00, 0x00, 0x01,             /* spa 10.0.0.1 */
    0x78, 0x31, 0xc1, 0xc6, 0x3f, 0xc2, /* tha 78:31:c1:c6:3f:c2 */
    0x0a, 0x00, 0x00, 0x02,             /* tpa 10.0.0.2 */
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /* 18 bytes of padding */
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x1f, 0x0b, 0x60, 0xce,             /* Ethernet FCS */
};

/* capture: ndpi__alexa-app.pcapng frame 60. A 60-byte frame: a reply from an
 * Alfa Network adapter (OUI 00:c0:ca) with its 18 bytes of zero padding. */
static const uint8_t padded60_reply[] = {
    0x00, 0x01, 0x08, 0x00, 0x06, 0x04, /* Ethernet, IPv4, 6, 4 */
    0x00, 0x02,                         /* op 2 reply */
    0x00, 0xc0, 0xca, 0x91, 0x5a, 0x01, /* sha 00:c0:ca:91:5a:01 */
    0xac, 0x10, 0x2a, 0x2a,             /* spa 172.16.42.42 */
    0x78, 0xf8, 0x82, 0xd3, 0xfb, 0xc2, /* tha 78:f8:82:d3:fb:c2 */
    0xac, 0x10, 0x2a, 0xd8,             /* tpa 172.16.42.216 */
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /* 18 bytes of padding */
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
};

/* A Mac probing 10.0.0.2 before using it (RFC 5227 2.1.1; macOS
 * IPConfiguration sends three): sender IP all zero, target hardware address
 * zero, target IP the address being probed. */
static const uint8_t macos_probe[] = {
    0x00, 0x01, 0x08, 0x00, 0x06, 0x04, /* Ethernet, IPv4, 6, 4 */
    0x00, 0x01,                         /* op 1 request */
    0x78, 0x31, 0xc1, 0xc6, 0x3f, 0xc2, /* sha 78:31:c1:c6:3f:c2 */
    0x00, 0x00, 0x00, 0x00,             /* spa 0.0.0.0: probe */
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /* tha zero (RFC 5227 2.1.1) */
    0x0a, 0x00, 0x00, 0x02,             /* tpa 10.0.0.2 */
};

/* The announcement that follows the probes (RFC 5227 2.3): sender and target
 * IP both the claimed address, target hardware address zero. */
static const uint8_t rfc5227_announcement[] = {
    0x00, 0x01, 0x08, 0x00, 0x06, 0x04, /* Ethernet, IPv4, 6, 4 */
    0x00, 0x01,                         /* op 1 request */
    0x78, 0x31, 0xc1, 0xc6, 0x3f, 0xc2, /* sha 78:31:c1:c6:3f:c2 */
    0x0a, 0x00, 0x00, 0x02,             /* spa 10.0.0.2 */
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /* tha zero */
    0x0a, 0x00, 0x00, 0x02,             /* tpa 10.0.0.2 == spa */
};

/* A Cisco router taking over HSRP group 1 ("IP ARP: sent rep src 10.1.10.1
 * 0000.0c07.ac01, dst 10.1.10.1 ffff.ffff.ffff"): a gratuitous reply from the
 * HSRPv1 virtual MAC 00:00:0c:07:ac:<group>, received padded to 60 bytes. */
static const uint8_t hsrp_gratuitous_reply[] = {
    0x00, 0x01, 0x08, 0x00, 0x06, 0x04, /* Ethernet, IPv4, 6, 4 */
    0x00, 0x02,                         /* op 2 reply */
    0x00, 0x00, 0x0c, 0x07, 0xac, 0x01, /* sha HSRP virtual MAC, group 1 */
    0x0a, 0x01, 0x0a, 0x01,             /* spa 10.1.10.1 (virtual IP) */
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, /* tha broadcast */
    0x0a, 0x01, 0x0a, 0x01,             /* tpa 10.1.10.1 == spa */
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /* 18 bytes of padding */
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
};

/* keepalived becoming VRRP master of VRID 51: a gratuitous request
 * (RFC 5944 4.6 allows either op) from the VRRP virtual MAC
 * 00:00:5e:00:01:<vrid> (RFC 5798 7.3), target hardware address broadcast. */
static const uint8_t vrrp_gratuitous_request[] = {
    0x00, 0x01, 0x08, 0x00, 0x06, 0x04, /* Ethernet, IPv4, 6, 4 */
    0x00, 0x01,                         /* op 1 request */
    0x00, 0x00, 0x5e, 0x00, 0x01, 0x33, /* sha VRRP virtual MAC, VRID 51 */
    0xc0, 0xa8, 0x01, 0xfe,             /* spa 192.168.1.254 */
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, /* tha broadcast */
    0xc0, 0xa8, 0x01, 0xfe,             /* tpa 192.168.1.254 == spa */
};

/* A request with hardware type 6 (IEEE 802, RFC 1042) as some bridged
 * embedded stacks send on Ethernet; addresses are still 6-byte MACs. */
static const uint8_t ieee802_request[] = {
    0x00, 0x06,                         /* htype 6 IEEE 802 */
    0x08, 0x00, 0x06, 0x04,             /* IPv4, 6, 4 */
    0x00, 0x01,                         /* op 1 request */
    0x00, 0x1b, 0x21, 0x3a, 0x4b, 0x5c, /* sha 00:1b:21:3a:4b:5c */
    0xc0, 0xa8, 0x00, 0x32,             /* spa 192.168.0.50 */
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /* tha unknown */
    0xc0, 0xa8, 0x00, 0x01,             /* tpa 192.168.0.1 */
};

static const struct caps_sample samples[] = {
    CAPS_SAMPLE("windows10_request", windows10_request),
    CAPS_SAMPLE("linux_unicast_request", linux_unicast_request),
    CAPS_SAMPLE("android_request", android_request),
    CAPS_SAMPLE("linux_reply", linux_reply),
    CAPS_SAMPLE("macos_request", macos_request),
    CAPS_SAMPLE("arris_reply_fcs", arris_reply_fcs),
    CAPS_SAMPLE("padded60_reply", padded60_reply),
    CAPS_SAMPLE("macos_probe", macos_probe),
    CAPS_SAMPLE("rfc5227_announcement", rfc5227_announcement),
    CAPS_SAMPLE("hsrp_gratuitous_reply", hsrp_gratuitous_reply),
    CAPS_SAMPLE("vrrp_gratuitous_request", vrrp_gratuitous_request),
    CAPS_SAMPLE("ieee802_request", ieee802_request),
};

const struct caps_sample_set caps_samples_arp = {"arp", samples,
                                                 sizeof samples / sizeof samples[0]};
