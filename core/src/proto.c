/* proto.c - stable names of the protocols in caps/proto.h. */
#include "caps/proto.h"

static const char *const proto_names[CAPS_PROTO_COUNT] = {
    "ethernet", "vlan", "ipv4", "ipv6", "udp", "arp",
    "dhcp", "nbns", "browser", "ssdp", "mdns",
};

const char *caps_proto_name(int proto)
{
    if (proto < 0 || proto >= CAPS_PROTO_COUNT)
        return "unknown";
    return proto_names[proto];
}
