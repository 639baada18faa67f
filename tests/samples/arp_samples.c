/* arp_samples.c - ARP bodies (the bytes after the Ethernet header).
 *
 * All samples are built by hand, field by field from RFC 826 / RFC 5227 /
 * RFC 5944, as the named device sends them, with made-up addresses. None is
 * copied from a real capture: the public captures in /work/shared/public_pcaps
 * may be fed to tests through an option only, never committed. A frame seen by a passive sensor is at least 60 bytes, so
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

/* Modelled on what a Linux (OpenWrt) gateway with a locally administered MAC
 * sends to revalidate a cache entry by unicast: the target hardware address is
 * the one it already knows (RFC 1122 2.3.2.1). Captured on the gateway side,
 * so no padding. */
static const uint8_t linux_unicast_request[] = {
    0x00, 0x01, 0x08, 0x00, 0x06, 0x04, /* Ethernet, IPv4, 6, 4 */
    0x00, 0x01,                         /* op 1 request */
    0x06, 0x8f, 0x3a, 0x1d, 0x8e, 0x45, /* sha 06:8f:3a:1d:8e:45 (local) */
    0xc0, 0xa8, 0x39, 0x01,             /* spa 192.168.57.1 */
    0xc4, 0x61, 0x8b, 0xe0, 0x14, 0x5c, /* tha c4:61:8b:e0:14:5c */
    0xc0, 0xa8, 0x39, 0x29,             /* tpa 192.168.57.41 */
};

/* Modelled on what an Android phone sends asking for its gateway
 * (broadcast, zero target hardware address), as seen on the gateway side
 * (no padding). */
static const uint8_t android_request[] = {
    0x00, 0x01, 0x08, 0x00, 0x06, 0x04, /* Ethernet, IPv4, 6, 4 */
    0x00, 0x01,                         /* op 1 request */
    0x4c, 0x6a, 0xf6, 0x2b, 0x71, 0xd8, /* sha 4c:6a:f6:2b:71:d8 */
    0xc0, 0xa8, 0x39, 0x22,             /* spa 192.168.57.34 */
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /* tha unknown */
    0xc0, 0xa8, 0x39, 0x01,             /* tpa 192.168.57.1 */
};

/* The Linux gateway's reply to the request above, as captured on the
 * gateway side (no padding). */
static const uint8_t linux_reply[] = {
    0x00, 0x01, 0x08, 0x00, 0x06, 0x04, /* Ethernet, IPv4, 6, 4 */
    0x00, 0x02,                         /* op 2 reply */
    0x06, 0x8f, 0x3a, 0x1d, 0x8e, 0x45, /* sha 06:8f:3a:1d:8e:45 */
    0xc0, 0xa8, 0x39, 0x01,             /* spa 192.168.57.1 */
    0x4c, 0x6a, 0xf6, 0x2b, 0x71, 0xd8, /* tha 4c:6a:f6:2b:71:d8 */
    0xc0, 0xa8, 0x39, 0x22,             /* tpa 192.168.57.34 */
};

/* Modelled on what a Mac (Apple OUI 78:31:c1) sends asking for its gateway,
 * as captured on the Mac itself (no padding). */
static const uint8_t macos_request[] = {
    0x00, 0x01, 0x08, 0x00, 0x06, 0x04, /* Ethernet, IPv4, 6, 4 */
    0x00, 0x01,                         /* op 1 request */
    0x78, 0x31, 0xc1, 0x4a, 0xd0, 0x19, /* sha 78:31:c1:4a:d0:19 */
    0x0a, 0x2c, 0x07, 0x17,             /* spa 10.44.7.23 */
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /* tha unknown */
    0x0a, 0x2c, 0x07, 0x01,             /* tpa 10.44.7.1 */
};

/* Modelled on what an ARRIS cable gateway (OUI f8:ed:a5) answers the request
 * above, as received by the Mac with a capture that keeps the FCS: 60-byte
 * frame plus the 4-byte FCS, so 22 bytes follow the ARP body. The FCS is the
 * real CRC-32 of this made-up 60-byte frame (dst 78:31:c1:4a:d0:19, src
 * f8:ed:a5:37:b8:0e, type 0x0806), least significant byte first. */
static const uint8_t arris_reply_fcs[] = {
    0x00, 0x01, 0x08, 0x00, 0x06, 0x04, /* Ethernet, IPv4, 6, 4 */
    0x00, 0x02,                         /* op 2 reply */
    0xf8, 0xed, 0xa5, 0x37, 0xb8, 0x0e, /* sha f8:ed:a5:37:b8:0e */
    0x0a, 0x2c, 0x07, 0x01,             /* spa 10.44.7.1 */
    0x78, 0x31, 0xc1, 0x4a, 0xd0, 0x19, /* tha 78:31:c1:4a:d0:19 */
    0x0a, 0x2c, 0x07, 0x17,             /* tpa 10.44.7.23 */
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /* 18 bytes of padding */
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0xa0, 0x20, 0xe8, 0x8c,             /* Ethernet FCS */
};

/* A 60-byte frame modelled on what an Alfa Network USB adapter (OUI
 * 00:c0:ca) sends as a reply, received with its 18 bytes of zero padding. */
static const uint8_t padded60_reply[] = {
    0x00, 0x01, 0x08, 0x00, 0x06, 0x04, /* Ethernet, IPv4, 6, 4 */
    0x00, 0x02,                         /* op 2 reply */
    0x00, 0xc0, 0xca, 0x6e, 0x23, 0xb4, /* sha 00:c0:ca:6e:23:b4 */
    0xac, 0x1b, 0x0e, 0x0a,             /* spa 172.27.14.10 */
    0x78, 0xf8, 0x82, 0x5c, 0xa7, 0x31, /* tha 78:f8:82:5c:a7:31 */
    0xac, 0x1b, 0x0e, 0xcb,             /* tpa 172.27.14.203 */
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
    0x78, 0x31, 0xc1, 0x4a, 0xd0, 0x19, /* sha 78:31:c1:4a:d0:19 */
    0x00, 0x00, 0x00, 0x00,             /* spa 0.0.0.0: probe */
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /* tha zero (RFC 5227 2.1.1) */
    0x0a, 0x2c, 0x07, 0x17,             /* tpa 10.44.7.23 */
};

/* The announcement that follows the probes (RFC 5227 2.3): sender and target
 * IP both the claimed address, target hardware address zero. */
static const uint8_t rfc5227_announcement[] = {
    0x00, 0x01, 0x08, 0x00, 0x06, 0x04, /* Ethernet, IPv4, 6, 4 */
    0x00, 0x01,                         /* op 1 request */
    0x78, 0x31, 0xc1, 0x4a, 0xd0, 0x19, /* sha 78:31:c1:4a:d0:19 */
    0x0a, 0x2c, 0x07, 0x17,             /* spa 10.44.7.23 */
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /* tha zero */
    0x0a, 0x2c, 0x07, 0x17,             /* tpa 10.44.7.23 == spa */
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
