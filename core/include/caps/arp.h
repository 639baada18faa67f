/* caps/arp.h - ARP decoder for IPv4 over Ethernet (RFC 826).
 *
 * Reads the 28-byte ARP body that follows the Ethernet/VLAN header; trailing
 * bytes (Ethernet padding to 60 bytes, a captured FCS) are ignored. Only the
 * Ethernet/IPv4 shape is accepted. Each message is also classified as a plain
 * request or reply, an RFC 5227 probe or announcement, or a gratuitous reply.
 */
#ifndef CAPS_ARP_H
#define CAPS_ARP_H

#include <stddef.h>
#include <stdint.h>

#define CAPS_ARP_BODY_BYTES 28    /* RFC 826 with hlen 6, plen 4: 8 + 2*(6+4) */

#define CAPS_ARP_HTYPE_ETHERNET 1 /* RFC 826 / IANA hardware type 1 */
#define CAPS_ARP_HTYPE_IEEE802 6  /* IANA hardware type 6 (RFC 1042); sent on
                                   * Ethernet by some bridges and embedded stacks */
#define CAPS_ARP_PTYPE_IPV4 0x0800

#define CAPS_ARP_OP_REQUEST 1
#define CAPS_ARP_OP_REPLY 2

enum caps_arp_kind {
    CAPS_ARP_KIND_REQUEST = 1,       /* op 1, a sender address that is not the target */
    CAPS_ARP_KIND_REPLY,             /* op 2, sender address != target address */
    CAPS_ARP_KIND_PROBE,             /* op 1 with spa 0.0.0.0 (RFC 5227 2.1.1) */
    CAPS_ARP_KIND_ANNOUNCEMENT,      /* op 1 with spa == tpa != 0 (RFC 5227 2.3,
                                      * RFC 5944 4.6 gratuitous request) */
    CAPS_ARP_KIND_GRATUITOUS_REPLY   /* op 2 with spa == tpa != 0 (RFC 5944 4.6) */
};

/* One decoded ARP message. Addresses are copied bytes in wire order:
 * spa {192,168,1,10} is 192.168.1.10. Nothing points into the packet. */
struct caps_arp {
    uint16_t htype;               /* CAPS_ARP_HTYPE_ETHERNET or _IEEE802 */
    uint16_t op;                  /* CAPS_ARP_OP_REQUEST or CAPS_ARP_OP_REPLY */
    enum caps_arp_kind kind;
    uint8_t sha[6];               /* sender hardware address */
    uint8_t spa[4];               /* sender IPv4 address */
    uint8_t tha[6];               /* target hardware address (zero or junk in requests) */
    uint8_t tpa[4];               /* target IPv4 address */
};

/* Parses the ARP body buf[0..len) into *out (caller memory, fully written on
 * success, unspecified on error). Returns 0, or:
 *   CAPS_E_TRUNCATED  fewer than 8 header bytes, or fewer than 28 body bytes;
 *   CAPS_E_VERSION    htype not 1/6, ptype not 0x0800, hlen not 6, plen not 4;
 *   CAPS_E_FIELD      op not 1 or 2 (RARP 3/4, InARP 8/9, ...).
 * Bytes past the 28th are never read. */
int caps_arp_parse(const uint8_t *buf, size_t len, struct caps_arp *out);

/* Stable lower-case name of a kind: "request", "reply", "probe",
 * "announcement", "gratuitous_reply"; "unknown" for any other value. */
const char *caps_arp_kind_name(enum caps_arp_kind kind);

#endif
