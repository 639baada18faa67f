/* caps/proto.h - the protocols the core counts and names.
 *
 * The values index the per-protocol counters of the traffic summary and the
 * source bits of an asset, so their order is part of the JSON output order.
 */
#ifndef CAPS_PROTO_H
#define CAPS_PROTO_H

enum caps_proto {
    CAPS_PROTO_ETHERNET = 0,
    CAPS_PROTO_VLAN,
    CAPS_PROTO_IPV4,
    CAPS_PROTO_IPV6,
    CAPS_PROTO_UDP,
    CAPS_PROTO_ARP,
    CAPS_PROTO_DHCP,
    CAPS_PROTO_NBNS,
    CAPS_PROTO_BROWSER,   /* NetBIOS datagram service (138/udp), browser mailslots */
    CAPS_PROTO_SSDP,
    CAPS_PROTO_MDNS,
    CAPS_PROTO_COUNT
};

/* The first application protocol: protocols from here on can be asset sources. */
#define CAPS_PROTO_FIRST_SOURCE CAPS_PROTO_ARP

/* Stable lower-case name ("arp", "dhcp", "nbns", "browser", "ssdp", "mdns"...);
 * "unknown" for values out of range. */
const char *caps_proto_name(int proto);

#endif
