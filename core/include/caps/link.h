/* caps/link.h - the link, network and transport layers of a captured frame.
 *
 * caps_frame_parse walks Ethernet II, up to two 802.1Q/802.1ad tags, then
 * ARP, IPv4 (options skipped, fragments flagged) or IPv6 (extension headers
 * walked up to CAPS_IPV6_EXT_MAX), then UDP, and reports where the payload for
 * the application decoders starts. It reads only the captured bytes.
 */
#ifndef CAPS_LINK_H
#define CAPS_LINK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CAPS_VLAN_MAX 2        /* 802.1Q single tag or QinQ (802.1ad + 802.1Q) */
#define CAPS_IPV6_EXT_MAX 8    /* RFC 8200 4.1 lists 6 kinds; more is hostile */

#define CAPS_ETHERTYPE_IPV4 0x0800
#define CAPS_ETHERTYPE_ARP 0x0806
#define CAPS_ETHERTYPE_VLAN 0x8100
#define CAPS_ETHERTYPE_QINQ 0x88a8
#define CAPS_ETHERTYPE_IPV6 0x86dd

#define CAPS_IPPROTO_UDP 17

struct caps_frame {
    uint8_t dst_mac[6];
    uint8_t src_mac[6];
    uint8_t vlan_count;              /* 0..CAPS_VLAN_MAX */
    uint16_t vlan_ids[CAPS_VLAN_MAX];/* outermost first, 12-bit VID */
    uint16_t ethertype;              /* innermost; < 0x0600 means 802.3 length */
    uint8_t ip_version;              /* 0 (no IP), 4 or 6 */
    uint8_t ip_proto;                /* IPv4 protocol / IPv6 upper-layer header */
    uint8_t ttl;                     /* IPv4 TTL or IPv6 hop limit */
    bool ip_fragment;                /* IPv4 MF/offset or IPv6 fragment header */
    uint8_t src_ip[16];              /* IPv4 in the first 4 bytes, rest 0; all 0
                                      * when there is no IP header */
    uint8_t dst_ip[16];
    uint16_t src_port;               /* UDP only */
    uint16_t dst_port;
    /* The ARP body or the UDP payload: a view into the caller's frame, valid
     * only until the caller's buffer changes. Clamped to the captured bytes
     * and, for UDP, to the UDP length. NULL/0 when there is none. */
    const uint8_t *payload;
    size_t payload_len;
};

/* Parses frame[0..caplen). Returns 0 when the layers present parsed (an
 * unknown ethertype or IP protocol is not an error: payload is then NULL),
 * or a negative caps error naming the first malformed layer:
 * CAPS_E_TRUNCATED (header cut short), CAPS_E_VERSION (IP version field
 * disagrees with the ethertype), CAPS_E_LENGTH (IPv4 IHL < 5, total length or
 * UDP length shorter than its header), CAPS_E_LIMIT (too many tags or IPv6
 * extension headers). *layer_out (may be NULL) names the protocol whose
 * header failed, as an enum caps_proto value. */
int caps_frame_parse(const uint8_t *frame, size_t caplen, struct caps_frame *out,
                     int *layer_out);

#endif
