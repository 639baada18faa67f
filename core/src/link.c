/* link.c - Ethernet II / 802.1Q / IPv4 / IPv6 / UDP walking (caps/link.h).
 *
 * Bounded by the captured length at every step. Length fields are trusted
 * only to shrink the view (a truncated capture keeps what it has), except
 * where a length is shorter than its own header, which is malformed. IPv4
 * fragments are flagged and carry no payload: the sensed protocols fit in one
 * datagram and reassembly would need memory per flow.
 */
#include <string.h>

#include "caps/error.h"
#include "caps/link.h"
#include "caps/proto.h"
#include "cursor.h"

/* IPv6 extension headers we walk (RFC 8200 4, RFC 7045). */
#define IP6_HOPOPTS 0
#define IP6_ROUTING 43
#define IP6_FRAGMENT 44
#define IP6_AH 51
#define IP6_DSTOPTS 60
#define IP6_MOBILITY 135
#define IP6_HIP 139
#define IP6_SHIM6 140

static int fail(int *layer_out, int layer, int err)
{
    if (layer_out != NULL)
        *layer_out = layer;
    return err;
}

static int parse_udp(struct cur *c, struct caps_frame *out, int *layer_out)
{
    uint16_t udp_len, checksum;

    if (cur_be16(c, &out->src_port) || cur_be16(c, &out->dst_port) ||
        cur_be16(c, &udp_len) || cur_be16(c, &checksum))
        return fail(layer_out, CAPS_PROTO_UDP, CAPS_E_TRUNCATED);
    (void)checksum;
    /* RFC 768: length includes the 8-byte header. IPv6 jumbograms (RFC 2675)
     * use 0 here; none are multicast service traffic, so 0 is malformed. */
    if (udp_len < 8)
        return fail(layer_out, CAPS_PROTO_UDP, CAPS_E_LENGTH);
    size_t n = (size_t)udp_len - 8;
    if (n > cur_left(c))
        n = cur_left(c);          /* snaplen cut the datagram: keep what we have */
    out->payload = c->pos;
    out->payload_len = n;
    return CAPS_OK;
}

static int parse_ipv4(struct cur *c, struct caps_frame *out, int *layer_out)
{
    uint8_t vihl, tos, ttl, proto;
    uint16_t total_len, id, frag, checksum;

    if (cur_u8(c, &vihl) || cur_u8(c, &tos) || cur_be16(c, &total_len) ||
        cur_be16(c, &id) || cur_be16(c, &frag) || cur_u8(c, &ttl) ||
        cur_u8(c, &proto) || cur_be16(c, &checksum) ||
        cur_bytes(c, out->src_ip, 4) || cur_bytes(c, out->dst_ip, 4))
        return fail(layer_out, CAPS_PROTO_IPV4, CAPS_E_TRUNCATED);
    (void)tos;
    (void)id;
    (void)checksum;
    if (vihl >> 4 != 4)
        return fail(layer_out, CAPS_PROTO_IPV4, CAPS_E_VERSION);
    size_t ihl = (size_t)(vihl & 0x0f) * 4;
    if (ihl < 20 || total_len < ihl)
        return fail(layer_out, CAPS_PROTO_IPV4, CAPS_E_LENGTH);
    if (cur_skip(c, ihl - 20))            /* options (RFC 791 3.1) */
        return fail(layer_out, CAPS_PROTO_IPV4, CAPS_E_TRUNCATED);
    out->ip_version = 4;
    out->ttl = ttl;
    out->ip_proto = proto;
    /* Ethernet pads short frames: the IP total length, not the frame, ends
     * the datagram. */
    size_t body = (size_t)total_len - ihl;
    size_t have = cur_left(c);
    struct cur ip = {c->pos, c->pos + (body < have ? body : have)};
    /* MF set or a non-zero offset: a fragment (RFC 791 3.2). */
    if ((frag & 0x2000) != 0 || (frag & 0x1fff) != 0) {
        out->ip_fragment = true;
        return CAPS_OK;
    }
    if (proto == CAPS_IPPROTO_UDP)
        return parse_udp(&ip, out, layer_out);
    return CAPS_OK;
}

static int parse_ipv6(struct cur *c, struct caps_frame *out, int *layer_out)
{
    uint32_t vtcfl;
    uint16_t payload_len;
    uint8_t next, hop_limit;

    if (cur_be32(c, &vtcfl) || cur_be16(c, &payload_len) || cur_u8(c, &next) ||
        cur_u8(c, &hop_limit) || cur_bytes(c, out->src_ip, 16) ||
        cur_bytes(c, out->dst_ip, 16))
        return fail(layer_out, CAPS_PROTO_IPV6, CAPS_E_TRUNCATED);
    if (vtcfl >> 28 != 6)
        return fail(layer_out, CAPS_PROTO_IPV6, CAPS_E_VERSION);
    out->ip_version = 6;
    out->ttl = hop_limit;
    size_t have = cur_left(c);
    struct cur ip = {c->pos, c->pos + (payload_len < have ? payload_len : have)};

    for (int ext = 0;; ext++) {
        uint8_t hdr[2];
        size_t ext_len;

        switch (next) {
        case IP6_HOPOPTS:
        case IP6_ROUTING:
        case IP6_DSTOPTS:
        case IP6_MOBILITY:
        case IP6_HIP:
        case IP6_SHIM6:
        case IP6_FRAGMENT:
        case IP6_AH:
            break;
        default:
            out->ip_proto = next;
            if (next == CAPS_IPPROTO_UDP)
                return parse_udp(&ip, out, layer_out);
            return CAPS_OK;
        }
        if (ext >= CAPS_IPV6_EXT_MAX)
            return fail(layer_out, CAPS_PROTO_IPV6, CAPS_E_LIMIT);
        if (cur_bytes(&ip, hdr, 2))
            return fail(layer_out, CAPS_PROTO_IPV6, CAPS_E_TRUNCATED);
        if (next == IP6_FRAGMENT) {
            /* RFC 8200 4.5: 8 bytes; offset in the top 13 bits, M flag bit 0. */
            uint16_t off_m;
            if (cur_be16(&ip, &off_m) || cur_skip(&ip, 4))
                return fail(layer_out, CAPS_PROTO_IPV6, CAPS_E_TRUNCATED);
            if ((off_m & 0xfff8) != 0 || (off_m & 1) != 0) {
                out->ip_proto = hdr[0];
                out->ip_fragment = true;
                return CAPS_OK;
            }
            next = hdr[0];
            continue;
        }
        /* AH counts 4-byte units minus 2 (RFC 4302 2.2); the others 8-byte
         * units not counting the first 8 (RFC 8200 4.3). */
        ext_len = next == IP6_AH ? ((size_t)hdr[1] + 2) * 4 : ((size_t)hdr[1] + 1) * 8;
        if (cur_skip(&ip, ext_len - 2))
            return fail(layer_out, CAPS_PROTO_IPV6, CAPS_E_TRUNCATED);
        next = hdr[0];
    }
}

int caps_frame_parse(const uint8_t *frame, size_t caplen, struct caps_frame *out,
                     int *layer_out)
{
    struct cur c = cur_make(frame, caplen);
    uint16_t type;

    out->vlan_count = 0;
    out->ethertype = 0;
    out->ip_version = 0;
    out->ip_proto = 0;
    out->ttl = 0;
    out->ip_fragment = false;
    /* Zeroed so that an IPv4 address leaves bytes 4..15 zero and a frame
     * without IP leaves no address of an earlier frame behind. */
    memset(out->src_ip, 0, sizeof out->src_ip);
    memset(out->dst_ip, 0, sizeof out->dst_ip);
    out->src_port = 0;
    out->dst_port = 0;
    out->payload = NULL;
    out->payload_len = 0;
    if (layer_out != NULL)
        *layer_out = CAPS_PROTO_ETHERNET;

    if (cur_bytes(&c, out->dst_mac, 6) || cur_bytes(&c, out->src_mac, 6) ||
        cur_be16(&c, &type))
        return fail(layer_out, CAPS_PROTO_ETHERNET, CAPS_E_TRUNCATED);
    while (type == CAPS_ETHERTYPE_VLAN || type == CAPS_ETHERTYPE_QINQ) {
        uint16_t tci;
        if (out->vlan_count >= CAPS_VLAN_MAX)
            return fail(layer_out, CAPS_PROTO_VLAN, CAPS_E_LIMIT);
        if (cur_be16(&c, &tci) || cur_be16(&c, &type))
            return fail(layer_out, CAPS_PROTO_VLAN, CAPS_E_TRUNCATED);
        out->vlan_ids[out->vlan_count++] = tci & 0x0fff;
    }
    out->ethertype = type;
    switch (type) {
    case CAPS_ETHERTYPE_ARP:
        out->payload = c.pos;
        out->payload_len = cur_left(&c);
        return CAPS_OK;
    case CAPS_ETHERTYPE_IPV4:
        return parse_ipv4(&c, out, layer_out);
    case CAPS_ETHERTYPE_IPV6:
        return parse_ipv6(&c, out, layer_out);
    default:
        return CAPS_OK;
    }
}
