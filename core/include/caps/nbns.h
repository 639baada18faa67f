/* caps/nbns.h - NetBIOS name service decoder (UDP 137, RFC 1001/1002 4.2).
 * Decodes the header, the question and the first resource record of one
 * message and classifies it (query, registration, node status, ...). Names
 * are first-level decoded (RFC 1001 14.1) into fixed fields; a node status
 * response gives up to CAPS_NBNS_NODE_NAMES_MAX names and the unit id (MAC).
 */
#ifndef CAPS_NBNS_H
#define CAPS_NBNS_H

#include <stdint.h>
#include <stddef.h>

/* ---- NetBIOS names (shared with caps/nbds.h) ---------------------------- */

#define CAPS_NB_NAME_TEXT_MAX 16   /* 15 name bytes + NUL */
#define CAPS_NB_SCOPE_TEXT_MAX 64  /* scope id text kept, NUL included; longer is cut */
#define CAPS_NB_NAME_WIRE_MAX 255  /* RFC 1002 4.1 (RFC 883 limit): labels of one name */
#define CAPS_NB_NAME_JUMPS_MAX 4   /* pointers followed per name; NBNS itself uses one */

/* A NetBIOS name decoded from its first-level encoding: 32 half-ASCII
 * characters 'A'..'P' giving 16 bytes, the 16th being the suffix. */
struct caps_nb_name {
    char name[CAPS_NB_NAME_TEXT_MAX];    /* bytes 0..14, trailing spaces/NULs
                                            trimmed, control bytes as '?';
                                            the wildcard decodes as "*" */
    uint8_t raw[16];                     /* the 16 decoded bytes as sent */
    uint8_t suffix;                      /* raw[15]: 0x00 workstation, 0x20 file
                                            server, 0x1B/0x1C/0x1D/0x1E domain
                                            and browser names, ... */
    char scope[CAPS_NB_SCOPE_TEXT_MAX];  /* scope id labels as dotted text,
                                            "" when none */
};

/* ---- NBNS --------------------------------------------------------------- */

#define CAPS_NBNS_ADDRS_MAX 8        /* NB entries kept from one RDATA; a
                                        multi-homed host rarely has more */
#define CAPS_NBNS_NODE_NAMES_MAX 32  /* node status names kept; Windows and
                                        Samba hosts list about 4 to 12 */

#define CAPS_NBNS_TYPE_A 0x0001      /* RR types, RFC 1002 4.2.1.3 */
#define CAPS_NBNS_TYPE_NS 0x0002
#define CAPS_NBNS_TYPE_NULL 0x000A
#define CAPS_NBNS_TYPE_NB 0x0020
#define CAPS_NBNS_TYPE_NBSTAT 0x0021
#define CAPS_NBNS_CLASS_IN 0x0001

#define CAPS_NBNS_OP_QUERY 0         /* OPCODE values, RFC 1002 4.2.1.1 */
#define CAPS_NBNS_OP_REGISTRATION 5
#define CAPS_NBNS_OP_RELEASE 6
#define CAPS_NBNS_OP_WACK 7
#define CAPS_NBNS_OP_REFRESH 8
#define CAPS_NBNS_OP_REFRESH_ALT 9   /* RFC 1002 4.2.4 draws 0x9; some send it */
#define CAPS_NBNS_OP_MULTIHOMED 15   /* Microsoft multi-homed registration */

#define CAPS_NBNS_NB_GROUP 0x8000    /* NB_FLAGS / NAME_FLAGS G bit */
#define CAPS_NBNS_NB_ONT_SHIFT 13    /* owner node type: 0 B, 1 P, 2 M, 3 H (MS) */
#define CAPS_NBNS_NAME_DRG 0x1000    /* NAME_FLAGS, RFC 1002 4.2.18 */
#define CAPS_NBNS_NAME_CNF 0x0800
#define CAPS_NBNS_NAME_ACT 0x0400
#define CAPS_NBNS_NAME_PRM 0x0200

enum caps_nbns_kind {
    CAPS_NBNS_KIND_UNKNOWN = 0,
    CAPS_NBNS_KIND_QUERY,                /* name query request (type NB) */
    CAPS_NBNS_KIND_NODE_STATUS_REQUEST,  /* query request of type NBSTAT */
    CAPS_NBNS_KIND_REGISTRATION,         /* opcode 5 or 15 request */
    CAPS_NBNS_KIND_REFRESH,              /* opcode 8 or 9 request */
    CAPS_NBNS_KIND_RELEASE,              /* opcode 6 request */
    CAPS_NBNS_KIND_POSITIVE_RESPONSE,    /* response, RCODE 0 */
    CAPS_NBNS_KIND_NEGATIVE_RESPONSE,    /* response, RCODE != 0 */
    CAPS_NBNS_KIND_WACK,                 /* wait for acknowledgement (opcode 7) */
    CAPS_NBNS_KIND_NODE_STATUS_RESPONSE, /* opcode 0 response, RR type NBSTAT */
    CAPS_NBNS_KIND_COUNT
};

enum caps_nbns_section {
    CAPS_NBNS_SECTION_NONE = 0,
    CAPS_NBNS_SECTION_ANSWER,
    CAPS_NBNS_SECTION_AUTHORITY,
    CAPS_NBNS_SECTION_ADDITIONAL
};

struct caps_nbns_addr {
    uint16_t nb_flags;  /* G bit, ONT in bits 14-13 */
    uint8_t ip[4];      /* IPv4 address, wire (network) order */
};

struct caps_nbns_node_name {
    char name[CAPS_NB_NAME_TEXT_MAX];  /* as caps_nb_name.name */
    uint8_t raw[16];                   /* 15 name bytes + suffix, as sent */
    uint8_t suffix;
    uint16_t flags;                    /* NAME_FLAGS: G, ONT, DRG, CNF, ACT, PRM */
};

struct caps_nbns {
    /* header, RFC 1002 4.2.1.1 */
    uint16_t trn_id;
    uint16_t flags;          /* the raw word: R, OPCODE, NM_FLAGS, RCODE */
    uint8_t response;        /* R */
    uint8_t opcode;          /* CAPS_NBNS_OP_* */
    uint8_t aa, tc, rd, ra;  /* NM_FLAGS */
    uint8_t broadcast;       /* NM_FLAGS B */
    uint8_t rcode;           /* 0 ok, 1 FMT, 2 SRV, 3 NAM, 4 IMP, 5 RFS, 6 ACT, 7 CFT */
    uint16_t qdcount, ancount, nscount, arcount;
    enum caps_nbns_kind kind;

    /* question, RFC 1002 4.2.1.2 (has_question iff qdcount == 1) */
    uint8_t has_question;
    uint16_t qtype;          /* CAPS_NBNS_TYPE_NB or _NBSTAT */
    uint16_t qclass;
    struct caps_nb_name qname;

    /* first resource record, RFC 1002 4.2.1.3 */
    uint8_t has_rr;
    uint8_t rr_section;      /* enum caps_nbns_section */
    uint16_t rr_type;
    uint16_t rr_class;
    uint16_t rdlength;
    uint32_t ttl_s;
    struct caps_nb_name rr_name;

    /* NB record (rr_type NB, not a WACK): rdlength is a multiple of 6 */
    uint8_t group;           /* G of the first entry */
    uint8_t ont;             /* ONT of the first entry */
    uint8_t addrs_kept;      /* min(addr_count, CAPS_NBNS_ADDRS_MAX) */
    uint16_t addr_count;     /* entries in RDATA: rdlength / 6 */

    /* WACK (RFC 1002 4.2.16): the flags word of the request acknowledged */
    uint16_t wack_flags;

    /* node status response (RFC 1002 4.2.18) */
    uint8_t node_name_count;  /* NUM_NAMES as sent */
    uint8_t node_names_kept;  /* min(node_name_count, CAPS_NBNS_NODE_NAMES_MAX) */
    uint8_t has_unit_id;      /* STATISTICS carried at least the UNIT_ID */
    uint8_t mac[6];           /* UNIT_ID: the responder's MAC (Windows); Samba
                                 sends all zeros, which means unknown */

    /* Arrays last: only the first addrs_kept / node_names_kept are written
     * (the parser zeroes the fixed part above, not these). */
    struct caps_nbns_addr addrs[CAPS_NBNS_ADDRS_MAX];
    struct caps_nbns_node_name node_names[CAPS_NBNS_NODE_NAMES_MAX];
};

/* Decodes the NBNS message buf[0..len) (the UDP payload) into out, which the
 * caller owns; nothing in out points into buf. Returns 0, or:
 *   CAPS_E_TRUNCATED  header, name or record runs past len
 *   CAPS_E_FIELD      unknown opcode, QDCOUNT > 1, a request without its
 *                     question, a response without a record, a question type
 *                     other than NB/NBSTAT
 *   CAPS_E_NAME       first label not 32 characters 'A'..'P', reserved label
 *                     type, name over 255 bytes
 *   CAPS_E_NAME_LOOP  a compression pointer not strictly backward, or more
 *                     than CAPS_NB_NAME_JUMPS_MAX of them
 *   CAPS_E_LENGTH     NB RDATA not a multiple of 6, WACK RDATA not 2 bytes,
 *                     node status names past RDLENGTH
 * On error out is partly filled and must not be used. */
int caps_nbns_parse(const uint8_t *buf, size_t len, struct caps_nbns *out);

/* Stable lower-case name of a kind ("query", "registration", "wack", ...);
 * never NULL, "unknown" for values out of range. */
const char *caps_nbns_kind_name(enum caps_nbns_kind kind);

#endif
