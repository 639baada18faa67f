/* traffic/frame.h - byte-exact frame builders for synthesized traffic:
 * Ethernet, ARP, IPv4/UDP (checksums), BOOTP/DHCP, NBNS, NetBIOS datagram
 * with the SMB mailslot browser announcement, SSDP, DNS/mDNS with name
 * compression. Written from the RFCs, apart from core's decoders, so neither
 * can hide the other's mistakes. Builders write into caller memory, allocate
 * nothing and return the bytes written (0 when cap is too small).
 * Addresses are host-order uint32_t; MACs are 6 bytes.
 */
#ifndef TRAFFIC_FRAME_H
#define TRAFFIC_FRAME_H

#include <stddef.h>
#include <stdint.h>

#define TRAFFIC_ETH_HDR_BYTES 14
#define TRAFFIC_UDP4_PAYLOAD_OFF 42  /* Ethernet 14 + IPv4 20 + UDP 8 */
#define TRAFFIC_ETH_MIN_BYTES 60     /* minimum frame without FCS: shorter ones are padded */

/* RFC 1071 ones'-complement sum of p[0..n) added to sum (not folded). */
uint32_t traffic_csum_add(uint32_t sum, const uint8_t *p, size_t n);
/* Folds and complements a traffic_csum_add sum. */
uint16_t traffic_csum_fold(uint32_t sum);

struct traffic_udp4 {
    uint8_t dst_mac[6];
    uint8_t src_mac[6];
    uint32_t src_ip;
    uint32_t dst_ip;
    uint8_t ttl;
    uint16_t ip_id;
    uint16_t src_port;
    uint16_t dst_port;
};

/* The payload is already at frame + TRAFFIC_UDP4_PAYLOAD_OFF; writes the
 * Ethernet, IPv4 (DF clear) and UDP headers with both checksums and pads with
 * zeros to 60 bytes. Returns the frame length. */
size_t traffic_udp4_finish(uint8_t *frame, const struct traffic_udp4 *a, size_t payload_len);

/* ARP over Ethernet (RFC 826), padded to 60 bytes. op 1 request, 2 reply.
 * A probe (RFC 5227) is a request with spa 0; an announcement has spa == tpa. */
size_t traffic_arp_build(uint8_t *frame, const uint8_t eth_dst[6], uint16_t op,
                         const uint8_t sha[6], uint32_t spa, const uint8_t tha[6], uint32_t tpa);

/* DHCP (RFC 2131/2132). Options are written in the order of order[]; codes
 * the builder does not know (or whose value is unset) are skipped. */
struct traffic_dhcp_msg {
    uint8_t op;                 /* 1 request, 2 reply */
    uint8_t msg_type;           /* option 53 */
    uint32_t xid;
    uint16_t secs;
    uint16_t flags;             /* 0x8000 broadcast */
    uint32_t ciaddr, yiaddr, siaddr;
    uint8_t chaddr[6];
    const uint8_t *order;
    size_t order_len;
    uint32_t requested_ip;      /* 50 (0: unset) */
    uint32_t server_id;         /* 54 */
    uint32_t lease_s;           /* 51 */
    uint32_t renew_s;           /* 58 */
    uint32_t rebind_s;          /* 59 */
    uint32_t subnet_mask;       /* 1 */
    uint32_t router;            /* 3 */
    uint32_t dns_server;        /* 6 */
    uint32_t broadcast;         /* 28 */
    const char *domain_name;    /* 15 */
    const char *host_name;      /* 12 and 81 */
    const char *vendor_class;   /* 60 */
    const uint8_t *prl;         /* 55 */
    size_t prl_len;
    const uint8_t *client_id;   /* 61: type byte first */
    size_t client_id_len;
    uint16_t max_msg_bytes;     /* 57 */
    uint16_t interface_mtu;     /* 26 */
    size_t pad_to_bytes;        /* zero padding after END up to this size (300: RFC 1542) */
};
size_t traffic_dhcp_build(uint8_t *buf, size_t cap, const struct traffic_dhcp_msg *m);

/* RFC 1002 first-level encoding of name (padded with spaces to 15, upper
 * case) + suffix into out[34] (length byte 32, 32 letters, root label). */
void traffic_netbios_name_encode(uint8_t out[34], const char *name, uint8_t suffix);

/* NBNS broadcast name registration (opcode 5) or refresh (opcode 8)
 * request with the NB record in the additional section (RFC 1002 4.2.2). */
size_t traffic_nbns_build_registration(uint8_t *buf, size_t cap, uint16_t trn_id,
                                       const char *name, uint8_t suffix, int group,
                                       uint32_t ip, uint32_t ttl_s, int refresh);

/* Browser host announcement ([MS-BRWS] 2.2.1) in an SMB Transaction to
 * \MAILSLOT\BROWSE, in a NetBIOS direct group datagram (RFC 1002 4.4.1) from
 * name<00> to workgroup<1D>. */
struct traffic_browser_announce {
    uint16_t dgm_id;
    uint32_t src_ip;
    const char *host;
    const char *workgroup;
    uint32_t periodicity_ms;
    uint8_t os_major, os_minor;
    uint32_t server_type;
    const char *comment;
    uint8_t update_count;
};
size_t traffic_browser_build(uint8_t *buf, size_t cap, const struct traffic_browser_announce *a);

/* DNS message writer with name compression (RFC 1035 4.1.4), for mDNS. */
#define TRAFFIC_DNS_NAMES_MAX 48
struct traffic_dns_writer {
    uint8_t *buf;
    size_t cap;
    size_t len;
    int failed;                 /* set when cap was too small */
    uint16_t counts[4];         /* qd, an, ns, ar */
    uint32_t name_count;
    uint16_t name_off[TRAFFIC_DNS_NAMES_MAX];
};
void traffic_dns_begin(struct traffic_dns_writer *w, uint8_t *buf, size_t cap, uint16_t id,
                       uint16_t flags);
/* Section 0..3. Names are dotted text without the trailing dot. */
void traffic_dns_question(struct traffic_dns_writer *w, const char *name, uint16_t type,
                          uint16_t qclass);
/* Starts a record, returns the offset of RDLENGTH to close with
 * traffic_dns_rr_end; rdata goes through the helpers below. */
size_t traffic_dns_rr_begin(struct traffic_dns_writer *w, int section, const char *name,
                            uint16_t type, uint16_t rclass, uint32_t ttl_s);
void traffic_dns_rr_end(struct traffic_dns_writer *w, size_t rdlen_off);
void traffic_dns_put_name(struct traffic_dns_writer *w, const char *name);
void traffic_dns_put_bytes(struct traffic_dns_writer *w, const void *p, size_t n);
void traffic_dns_put_u16(struct traffic_dns_writer *w, uint16_t v);
void traffic_dns_put_u32(struct traffic_dns_writer *w, uint32_t v);
/* A <character-string>: length byte then text (<= 255 bytes). */
void traffic_dns_put_cstr(struct traffic_dns_writer *w, const char *s);
/* Writes the counts; returns the message length, 0 when it did not fit. */
size_t traffic_dns_end(struct traffic_dns_writer *w);

#endif
