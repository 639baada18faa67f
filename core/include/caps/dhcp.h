/* caps/dhcp.h - DHCPv4 / BOOTP message decoder (RFC 2131, 2132, 4702, 6842).
 *
 * Decodes one UDP payload of port 67/68: the fixed BOOTP header, the magic
 * cookie, then every option of the options field and, when option 52 says so,
 * of the file and sname fields. Keeps what fingerprinting needs (option order,
 * parameter request list, vendor class, client id, names, addresses) in fixed
 * fields of caller memory; nothing points into the packet after the call.
 */
#ifndef CAPS_DHCP_H
#define CAPS_DHCP_H

#include <stddef.h>
#include <stdint.h>

/* Wire layout, RFC 2131 section 2, figure 1. */
#define CAPS_DHCP_FIXED_BYTES 236  /* op .. file, before the magic cookie */
#define CAPS_DHCP_MIN_BYTES 240    /* fixed header + 4-byte cookie 99.130.83.99 */
#define CAPS_DHCP_CHADDR_BYTES 16
#define CAPS_DHCP_SNAME_BYTES 64
#define CAPS_DHCP_FILE_BYTES 128

/* Limits. Every option loop is bounded by the bytes left in its area (each
 * step consumes at least one byte) and by CAPS_DHCP_OPTIONS_MAX. */
#define CAPS_DHCP_ORDER_MAX 64     /* option codes kept in order; real clients send
                                      fewer than 20, servers fewer than 40 */
#define CAPS_DHCP_OPTIONS_MAX 256  /* non-pad options per message, all areas: one
                                      of each code plus RFC 3396 splits; more is
                                      CAPS_E_LIMIT (a legal 1500-byte message could
                                      carry ~600 empty options, no real one does) */
#define CAPS_DHCP_PRL_MAX 255      /* option 55 codes kept: a single option holds
                                      at most 255, so one 55 is always kept whole */
#define CAPS_DHCP_VENDOR_CLASS_MAX 255  /* option 60 bytes: always kept whole */
#define CAPS_DHCP_CLIENT_ID_MAX 134     /* option 61 bytes after the type byte: type
                                           255 carries IAID (4) + DUID (<= 130,
                                           RFC 8415 11.1), RFC 4361 section 6.1 */
#define CAPS_DHCP_TEXT_BYTES 256   /* text fields: 255 bytes of one option + NUL */
#define CAPS_DHCP_FQDN_LABELS_MAX 127   /* labels in an option 81 wire name: 252
                                           bytes hold at most 126 one-byte labels */
#define CAPS_DHCP_DNS_MAX 4        /* option 6 addresses kept (dns_count has all) */
#define CAPS_DHCP_USER_CLASS_MAX 64     /* option 77 bytes kept */
#define CAPS_DHCP_VENDOR_OPTS_MAX 64    /* option 43 bytes kept */

/* Option 81 flags, RFC 4702 section 2.1. */
#define CAPS_DHCP_FQDN_S 0x01      /* server should update the A RR */
#define CAPS_DHCP_FQDN_O 0x02      /* server overrode the client's S bit */
#define CAPS_DHCP_FQDN_E 0x04      /* name is RFC 1035 wire format */
#define CAPS_DHCP_FQDN_N 0x08      /* server should do no DNS update */

/* A decoded message. IPv4 addresses are host-order integers: 192.168.1.1 is
 * 0xC0A80101. Times are seconds. A value is valid only when its has_* flag is
 * 1: has_* means "present and well formed for its code". Text fields are
 * NUL-terminated, control bytes replaced by '?'. Byte arrays are valid up to
 * their *_len; nothing past a length or NUL is initialised.
 * Repeated options (RFC 3396): option 55 is concatenated in order up to
 * CAPS_DHCP_PRL_MAX; every other option keeps its first well-formed instance.
 * The fields down to the arrays are zeroed per call; the arrays are not. */
struct caps_dhcp {
    /* Fixed header. */
    uint8_t op;                 /* 1 BOOTREQUEST, 2 BOOTREPLY */
    uint8_t htype;              /* ARP hardware type, 1 = Ethernet */
    uint8_t hlen;               /* 0..16: bytes of chaddr that are the address */
    uint8_t hops;
    uint32_t xid;
    uint16_t elapsed_s;         /* the "secs" field */
    uint16_t flags;             /* bit 15 (0x8000) = broadcast */
    uint32_t ciaddr;
    uint32_t yiaddr;
    uint32_t siaddr;
    uint32_t giaddr;
    uint8_t chaddr[CAPS_DHCP_CHADDR_BYTES];   /* all 16 bytes as sent */

    /* The option walk. */
    uint8_t has_end;            /* the options field ended with option 255 */
    uint8_t overload;           /* option 52 honoured: 0 none, 1 file, 2 sname, 3 both */
    uint8_t options_truncated;  /* options_count > CAPS_DHCP_ORDER_MAX */
    uint8_t options_bad;        /* options malformed for their code (wrong fixed
                                   length, empty text, bad 81 name), saturating;
                                   they stay in order[] but are not decoded */
    uint16_t options_count;     /* options seen (pad and end excluded), all areas */
    uint8_t present[32];        /* bitmap of codes seen: present[c >> 3] bit (c & 7) */

    /* Decoded options: code in the comment. */
    uint8_t has_msg_type;       /* 53, raw value (1..18 are assigned) */
    uint8_t msg_type;
    uint8_t has_prl;            /* 55 */
    uint8_t prl_truncated;      /* concatenated 55s held more than CAPS_DHCP_PRL_MAX */
    uint16_t prl_len;
    uint8_t has_max_msg_size;   /* 57 */
    uint16_t max_msg_size_bytes;
    uint8_t has_vendor_class;   /* 60, bytes in vendor_class, text in vendor_class_text */
    uint8_t vendor_class_len;
    uint8_t has_client_id;      /* 61: type byte, then client_id_len bytes */
    uint8_t client_id_type;     /* 1 = Ethernet MAC, 255 = IAID + DUID (RFC 4361) */
    uint8_t client_id_len;
    uint8_t client_id_truncated;
    uint8_t has_host_name;      /* 12 */
    uint8_t has_domain_name;    /* 15 */
    uint8_t has_fqdn;           /* 81: flags and rcodes; fqdn_name may be "" */
    uint8_t fqdn_flags;         /* CAPS_DHCP_FQDN_* */
    uint8_t fqdn_rcode1;
    uint8_t fqdn_rcode2;
    uint8_t has_requested_ip;   /* 50 */
    uint8_t has_server_id;      /* 54 */
    uint8_t has_lease;          /* 51 */
    uint8_t has_t1;             /* 58 */
    uint8_t has_t2;             /* 59 */
    uint8_t has_subnet_mask;    /* 1 */
    uint8_t has_router;         /* 3: first router, router_count in the option */
    uint8_t router_count;
    uint8_t dns_count;          /* 6: addresses in the option; first few in dns[] */
    uint8_t has_user_class;     /* 77: raw bytes */
    uint8_t user_class_len;
    uint8_t user_class_truncated;
    uint8_t has_vendor_opts;    /* 43: raw bytes */
    uint8_t vendor_opts_len;
    uint8_t vendor_opts_truncated;
    uint8_t has_auto_config;    /* 116, RFC 2563: 0 DoNotAutoConfigure, 1 AutoConfigure */
    uint8_t auto_config;
    uint8_t has_relay_info;     /* 82, RFC 3046: presence only */
    uint8_t has_vivso;          /* 125, RFC 3925: first enterprise number */
    uint32_t vivso_enterprise;
    uint32_t requested_ip;
    uint32_t server_id;
    uint32_t lease_s;
    uint32_t t1_s;
    uint32_t t2_s;
    uint32_t subnet_mask;
    uint32_t router;

    /* Arrays: valid up to their lengths / NUL. */
    uint8_t order[CAPS_DHCP_ORDER_MAX];   /* first min(options_count, MAX) codes */
    uint8_t prl[CAPS_DHCP_PRL_MAX];
    uint8_t vendor_class[CAPS_DHCP_VENDOR_CLASS_MAX];
    uint8_t client_id[CAPS_DHCP_CLIENT_ID_MAX];
    uint8_t user_class[CAPS_DHCP_USER_CLASS_MAX];
    uint8_t vendor_opts[CAPS_DHCP_VENDOR_OPTS_MAX];
    uint32_t dns[CAPS_DHCP_DNS_MAX];      /* first min(dns_count, MAX) */
    char vendor_class_text[CAPS_DHCP_TEXT_BYTES];
    char host_name[CAPS_DHCP_TEXT_BYTES];
    char domain_name[CAPS_DHCP_TEXT_BYTES];
    char fqdn_name[CAPS_DHCP_TEXT_BYTES]; /* ASCII form, or wire labels as dotted
                                             text (no trailing dot) when E is set */
    char sname[CAPS_DHCP_SNAME_BYTES + 1];  /* text up to the first NUL; "" when */
    char file[CAPS_DHCP_FILE_BYTES + 1];    /* the field is overloaded with options */
};

/* Parses buf[0..len) (a UDP payload; borrowed for the call only) into *out.
 * Returns 0, or, in the order checked:
 *   CAPS_E_TRUNCATED  len < 236 (fixed header cut)
 *   CAPS_E_FIELD      op is neither 1 nor 2
 *   CAPS_E_LENGTH     hlen > 16
 *   CAPS_E_TRUNCATED  len < 240 (cookie cut), or an option of the options
 *                     field runs past len
 *   CAPS_E_LENGTH     an option in an overloaded file/sname field runs past
 *                     that field
 *   CAPS_E_MAGIC      no magic cookie (plain RFC 951 BOOTP included)
 *   CAPS_E_LIMIT      more than CAPS_DHCP_OPTIONS_MAX options
 * A missing end option is accepted (has_end = 0). Option 52 is honoured only
 * in the options field, once, so file and sname are each walked at most once.
 * On error *out is partly filled and must not be used. */
int caps_dhcp_parse(const uint8_t *buf, size_t len, struct caps_dhcp *out);

/* Name of a message type (option 53): "discover", "offer", "request",
 * "decline", "ack", "nak", "release", "inform", "forcerenew", ... "tls"
 * (RFC 2132, 3203, 4388, 6926, 7724); NULL for unassigned values. */
const char *caps_dhcp_msg_type_name(uint8_t t);

/* 1 when option code c appeared anywhere in the message, else 0. */
static inline int caps_dhcp_option_seen(const struct caps_dhcp *d, uint8_t c)
{
    return (d->present[c >> 3] >> (c & 7)) & 1;
}

#endif
