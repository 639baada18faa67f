/* arp.c - decodes the ARP body of an Ethernet frame (RFC 826) for IPv4.
 *
 * The fixed 8-byte header is read and checked first (hardware and protocol
 * types and address lengths, then the opcode), then the four addresses. Only
 * the first 28 bytes are read: anything after them is Ethernet padding (60-byte
 * minimum frame) or a captured FCS. The kind is derived from op and the two
 * protocol addresses as RFC 5227 (IPv4 Address Conflict Detection) and
 * RFC 5944 4.6 (gratuitous ARP) describe them.
 */
#include "caps/arp.h"

#include <string.h>

#include "caps/error.h"
#include "cursor.h"   /* rd_be16 */

#define ARP_HEADER_BYTES 8        /* htype, ptype, hlen, plen, op */
#define ARP_HLEN_ETHERNET 6
#define ARP_PLEN_IPV4 4

_Static_assert(ARP_HEADER_BYTES + 2 * (ARP_HLEN_ETHERNET + ARP_PLEN_IPV4) ==
                   CAPS_ARP_BODY_BYTES,
               "ARP body size follows from the address lengths");

static int ip4_is_zero(const uint8_t ip[4])
{
    return (ip[0] | ip[1] | ip[2] | ip[3]) == 0;
}

static int ip4_equal(const uint8_t a[4], const uint8_t b[4])
{
    return a[0] == b[0] && a[1] == b[1] && a[2] == b[2] && a[3] == b[3];
}

static enum caps_arp_kind arp_kind(const struct caps_arp *a)
{
    if (a->op == CAPS_ARP_OP_REQUEST) {
        /* RFC 5227 2.1.1: a probe carries an all-zero sender IP address so
         * that it cannot pollute the ARP caches of other hosts. */
        if (ip4_is_zero(a->spa))
            return CAPS_ARP_KIND_PROBE;
        /* RFC 5227 2.3: an announcement is a request whose sender and target
         * IP addresses both hold the claimed address. */
        if (ip4_equal(a->spa, a->tpa))
            return CAPS_ARP_KIND_ANNOUNCEMENT;
        return CAPS_ARP_KIND_REQUEST;
    }
    /* RFC 5944 4.6: a gratuitous reply sets sender and target IP addresses to
     * the address whose cache entries it updates (VRRP, HSRP, failover). */
    if (!ip4_is_zero(a->spa) && ip4_equal(a->spa, a->tpa))
        return CAPS_ARP_KIND_GRATUITOUS_REPLY;
    return CAPS_ARP_KIND_REPLY;
}

int caps_arp_parse(const uint8_t *buf, size_t len, struct caps_arp *out)
{
    uint16_t htype, ptype, op;
    uint8_t hlen, plen;

    /* Fixed offsets: both lengths are checked before the bytes are read. */
    if (len < ARP_HEADER_BYTES)
        return CAPS_E_TRUNCATED;
    htype = rd_be16(buf);
    ptype = rd_be16(buf + 2);
    hlen = buf[4];
    plen = buf[5];
    op = rd_be16(buf + 6);

    /* RFC 826 "Packet format": we resolve IPv4 (ptype 0x0800) to 48-bit
     * MACs. Hardware type 6 (IEEE 802) uses the same 6-byte addresses. */
    if (htype != CAPS_ARP_HTYPE_ETHERNET && htype != CAPS_ARP_HTYPE_IEEE802)
        return CAPS_E_VERSION;
    if (ptype != CAPS_ARP_PTYPE_IPV4 || hlen != ARP_HLEN_ETHERNET ||
        plen != ARP_PLEN_IPV4)
        return CAPS_E_VERSION;
    /* RFC 826 defines ares_op$REQUEST (1) and ares_op$REPLY (2); RARP (3/4,
     * RFC 903) and InARP (8/9, RFC 2390) are other protocols. */
    if (op != CAPS_ARP_OP_REQUEST && op != CAPS_ARP_OP_REPLY)
        return CAPS_E_FIELD;

    if (len < CAPS_ARP_BODY_BYTES)
        return CAPS_E_TRUNCATED;
    out->htype = htype;
    out->op = op;
    memcpy(out->sha, buf + 8, sizeof out->sha);
    memcpy(out->spa, buf + 14, sizeof out->spa);
    memcpy(out->tha, buf + 18, sizeof out->tha);
    memcpy(out->tpa, buf + 24, sizeof out->tpa);
    out->kind = arp_kind(out);
    return CAPS_OK;
}

const char *caps_arp_kind_name(enum caps_arp_kind kind)
{
    switch (kind) {
    case CAPS_ARP_KIND_REQUEST:
        return "request";
    case CAPS_ARP_KIND_REPLY:
        return "reply";
    case CAPS_ARP_KIND_PROBE:
        return "probe";
    case CAPS_ARP_KIND_ANNOUNCEMENT:
        return "announcement";
    case CAPS_ARP_KIND_GRATUITOUS_REPLY:
        return "gratuitous_reply";
    }
    return "unknown";
}
