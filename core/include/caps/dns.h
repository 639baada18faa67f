/* caps/dns.h - DNS message decoder for mDNS (RFC 6762/6763) and LLMNR (RFC 4795).
 *
 * Parses one whole message (RFC 1035 4.1): header, questions and the answer,
 * authority and additional records, with names decompressed into dotted text
 * and the common rdata decoded. Everything is copied into caller memory of
 * fixed size; at most CAPS_DNS_QUESTIONS_MAX questions and CAPS_DNS_RECORDS_MAX
 * records are kept, the rest are still validated and counted as dropped.
 */
#ifndef CAPS_DNS_H
#define CAPS_DNS_H

#include <stddef.h>
#include <stdint.h>

#define CAPS_DNS_HEADER_BYTES 12       /* RFC 1035 4.1.1 */
#define CAPS_DNS_LABEL_MAX 63          /* RFC 1035 2.3.4: label octets */
#define CAPS_DNS_NAME_WIRE_MAX 255     /* RFC 1035 2.3.4: length octets + labels + root */
/* Text field of a name, with its NUL. Escapes can make the text of a legal
 * 255-octet name longer than this; such text is cut at an escape boundary and
 * counted in caps_dns.names_truncated (the name is still fully validated). */
#define CAPS_DNS_NAME_TEXT_MAX 256
/* Compression pointers followed per name. Real senders need 1-3 (a pointer
 * into a name that itself ends in a pointer); 16 leaves ample room while
 * bounding the work an adversarial message can cause. */
#define CAPS_DNS_PTR_HOPS_MAX 16
#define CAPS_DNS_QUESTIONS_MAX 16      /* questions kept; probes carry 1-6 */
/* Records kept across the three sections. Announcements of a busy Apple or
 * printer host carry 10-30 records; 48 keeps a caps_dns near 36 KB. */
#define CAPS_DNS_RECORDS_MAX 48
/* TXT rdata bytes kept per record, as whole <len><bytes> character-strings.
 * Covers the device-info, Google Cast, IPP and Sonos TXTs seen in practice
 * (Sonos sends ~380 bytes); longer rdata keeps the strings that fit. */
#define CAPS_DNS_TXT_RAW_MAX 400
#define CAPS_DNS_HINFO_TEXT_MAX 64     /* cpu and os strings, with NUL */
#define CAPS_DNS_NSEC_TYPES_MAX 32     /* types kept from an NSEC bitmap */

/* Record types decoded beyond "type + rdlength". */
#define CAPS_DNS_TYPE_A 1
#define CAPS_DNS_TYPE_NS 2
#define CAPS_DNS_TYPE_CNAME 5
#define CAPS_DNS_TYPE_PTR 12
#define CAPS_DNS_TYPE_HINFO 13
#define CAPS_DNS_TYPE_TXT 16
#define CAPS_DNS_TYPE_AAAA 28
#define CAPS_DNS_TYPE_SRV 33
#define CAPS_DNS_TYPE_OPT 41           /* EDNS0: class is a payload size, kept whole */
#define CAPS_DNS_TYPE_NSEC 47
#define CAPS_DNS_TYPE_ANY 255          /* questions only */

enum caps_dns_section {
    CAPS_DNS_SECTION_ANSWER = 1,
    CAPS_DNS_SECTION_AUTHORITY = 2,
    CAPS_DNS_SECTION_ADDITIONAL = 3
};

struct caps_dns_question {
    char name[CAPS_DNS_NAME_TEXT_MAX];
    uint16_t type;
    uint16_t qclass;              /* class with the QU bit cleared (1 = IN) */
    uint8_t unicast_response;     /* mDNS "QU" bit, top bit of qclass (RFC 6762 5.4) */
};

struct caps_dns_srv {             /* RFC 2782 */
    uint16_t priority;
    uint16_t weight;
    uint16_t port;
    char target[CAPS_DNS_NAME_TEXT_MAX];
};

struct caps_dns_txt {             /* RFC 1035 3.3.14, RFC 6763 6 */
    uint16_t raw_len;             /* bytes used in raw, <= CAPS_DNS_TXT_RAW_MAX */
    uint8_t truncated;            /* 1: strings past raw_len were dropped */
    uint8_t raw[CAPS_DNS_TXT_RAW_MAX];  /* whole <len><bytes> strings, as sent */
};

struct caps_dns_hinfo {           /* RFC 1035 3.3.2 */
    char cpu[CAPS_DNS_HINFO_TEXT_MAX];  /* caps_text_copy rules: control bytes -> '?' */
    char os[CAPS_DNS_HINFO_TEXT_MAX];
};

struct caps_dns_nsec {            /* RFC 4034 4.1; mDNS use: RFC 6762 6.1 */
    char next[CAPS_DNS_NAME_TEXT_MAX];
    uint8_t type_count;           /* entries in types, ascending */
    uint8_t types_dropped;        /* types past CAPS_DNS_NSEC_TYPES_MAX (saturates at 255) */
    uint16_t types[CAPS_DNS_NSEC_TYPES_MAX];
};

/* One resource record. Only the rd member named by type is filled:
 * A -> a, AAAA -> aaaa, PTR/CNAME/NS -> ptr, SRV -> srv, TXT -> txt,
 * HINFO -> hinfo, NSEC -> nsec; other types keep type and rdlength only.
 * sizeof(struct caps_dns_rr) is 672 bytes (LP64). */
struct caps_dns_rr {
    char name[CAPS_DNS_NAME_TEXT_MAX];
    uint16_t type;
    uint16_t rrclass;             /* class with the cache-flush bit cleared; OPT: whole */
    uint8_t cache_flush;          /* mDNS cache-flush bit (RFC 6762 10.2); 0 for OPT */
    uint8_t section;              /* enum caps_dns_section */
    uint16_t rdlength;            /* as sent; the rdata always fits the message */
    uint32_t ttl_s;               /* 0 = goodbye (RFC 6762 10.1); OPT: extended flags */
    union {
        uint8_t a[4];             /* network order */
        uint8_t aaaa[16];
        char ptr[CAPS_DNS_NAME_TEXT_MAX];
        struct caps_dns_srv srv;
        struct caps_dns_txt txt;
        struct caps_dns_hinfo hinfo;
        struct caps_dns_nsec nsec;
    } rd;
};

/* A decoded message: sizeof(struct caps_dns) is 36,496 bytes on LP64
 * (16 questions of 262 bytes, 48 records of 672). Parsing zeroes only the
 * fixed part before questions[]; entries past the counts are left as they were. */
struct caps_dns {
    uint16_t id;
    uint16_t flags;               /* raw header word; LLMNR reads C at AA's bit, T at RD's */
    uint8_t qr;                   /* 1 = response */
    uint8_t opcode;
    uint8_t aa;
    uint8_t tc;
    uint8_t rd;
    uint8_t ra;
    uint8_t rcode;
    uint16_t qdcount;             /* the header counts, as sent */
    uint16_t ancount;
    uint16_t nscount;
    uint16_t arcount;
    uint16_t question_count;      /* entries filled in questions[] */
    uint16_t questions_dropped;   /* valid questions past CAPS_DNS_QUESTIONS_MAX */
    uint16_t record_count;        /* entries filled in records[] (all sections, in order) */
    uint32_t records_dropped;     /* valid records past CAPS_DNS_RECORDS_MAX */
    uint32_t names_truncated;     /* names whose text did not fit their field */
    size_t trailing_bytes;        /* bytes after the last record (ignored) */
    struct caps_dns_question questions[CAPS_DNS_QUESTIONS_MAX];
    struct caps_dns_rr records[CAPS_DNS_RECORDS_MAX];
};

/* Parses the DNS message buf[0..len) (a UDP payload) into out. Borrows buf for
 * the call only; nothing in out points into it.
 * Name text: labels joined by '.', no trailing dot, the root name is ".".
 * Inside a label '.' is written "\." and '\' "\\"; bytes < 0x20 and 0x7f are
 * written "\DDD" (3 decimal digits, RFC 4343 2.1); other bytes, UTF-8
 * included (RFC 6762 16), are kept as sent, in the case sent.
 * Returns 0, or:
 *   CAPS_E_TRUNCATED  the header, a name, a fixed field or an rdata runs past
 *                     len; this includes header counts that promise more
 *                     questions or records than the bytes hold
 *   CAPS_E_LENGTH     an rdlength contradicts its rdata: A not 4 bytes, AAAA
 *                     not 16, a name, SRV, TXT, HINFO or NSEC rdata that does
 *                     not end exactly at rdlength, an NSEC bitmap length
 *                     outside 1..32
 *   CAPS_E_NAME       a label type 0x40/0x80, a name over 255 wire octets, a
 *                     pointer into the 12-byte header
 *   CAPS_E_NAME_LOOP  a pointer to its own name or forward (every pointer must
 *                     target an offset before the labels that led to it), or
 *                     more than CAPS_DNS_PTR_HOPS_MAX pointers in one name
 *   CAPS_E_FIELD      NSEC bitmap windows not in increasing order
 * On error the header fields and the entries counted so far are valid. */
int caps_dns_parse(const uint8_t *buf, size_t len, struct caps_dns *out);

/* A walk over the character-strings of a TXT record (RFC 6763 6.1). Items
 * point into rr->rd.txt.raw: valid while rr is unchanged. */
struct caps_dns_txt_iter {
    const struct caps_dns_rr *rr;
    size_t off;
};

struct caps_dns_txt_item {
    const uint8_t *str;           /* the whole string, not NUL-terminated */
    size_t len;                   /* 0..255 */
    size_t key_len;               /* bytes before the first '=', len when none */
    const uint8_t *value;         /* after the first '='; NULL when there is no '=' */
    size_t value_len;
};

/* Starts a walk; a record that is not TXT yields no items. */
void caps_dns_txt_iter_init(struct caps_dns_txt_iter *it, const struct caps_dns_rr *rr);

/* Fills item with the next string (empty strings included) and returns 1;
 * returns 0 at the end. */
int caps_dns_txt_next(struct caps_dns_txt_iter *it, struct caps_dns_txt_item *item);

/* Looks key up in a TXT record per RFC 6763 6.4: keys compare ASCII
 * case-insensitively, the first occurrence wins, strings with an empty key are
 * ignored. Copies the value into val (capacity cap; NUL-terminated, control
 * bytes -> '?', cut to cap - 1 bytes; val may be NULL when cap is 0).
 * Returns the value's length as sent (>= cap means val was cut), 0 for a
 * boolean attribute "key" or an empty value "key=", CAPS_E_FIELD when the key
 * is absent, CAPS_E_ARG when rr is not a TXT record or key is NULL/empty. */
int caps_dns_txt_get(const struct caps_dns_rr *rr, const char *key, char *val, size_t cap);

/* Mnemonic of a type ("A", "PTR", "NSEC", ...); "UNKNOWN" for others. Never NULL. */
const char *caps_dns_type_name(uint16_t type);

#endif
