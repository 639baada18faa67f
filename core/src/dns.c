/* dns.c - the DNS message decoder (RFC 1035 4.1) used for mDNS and LLMNR.
 *
 * One pass over the message through bounded cursors: header, questions, then
 * the three record sections. Names are decompressed with pointers that must
 * point strictly before the labels that led to them, so every jump moves
 * backwards and a name ends after at most CAPS_DNS_PTR_HOPS_MAX jumps and 255
 * wire octets; no name can loop. Rdata is read from a sub-cursor of exactly
 * rdlength bytes, so a decoded field can never reach into the next record.
 */
#include "caps/dns.h"

#include <stddef.h>
#include <string.h>

#include "caps/error.h"
#include "cursor.h"
#include "text.h"

_Static_assert(sizeof(struct caps_dns_rr) <= 672, "keep the per-record memory small");
_Static_assert(CAPS_DNS_RECORDS_MAX <= UINT16_MAX && CAPS_DNS_QUESTIONS_MAX <= UINT16_MAX,
               "counts are uint16_t");
_Static_assert(CAPS_DNS_TXT_RAW_MAX <= UINT16_MAX, "raw_len is uint16_t");
_Static_assert(CAPS_DNS_NSEC_TYPES_MAX <= UINT8_MAX, "type_count is uint8_t");

#define QU_BIT 0x8000u          /* RFC 6762 5.4: top bit of qclass */
#define CACHE_FLUSH_BIT 0x8000u /* RFC 6762 10.2: top bit of rrclass */
#define NSEC_BITMAP_MAX 32      /* RFC 4034 4.1.2: bitmap length 1..32 */

/* Steps of the name loop: each label adds at least 2 wire octets (so at most
 * 127 labels fit in 255) and each pointer is one hop. */
#define NAME_STEPS_MAX (CAPS_DNS_NAME_WIRE_MAX / 2 + CAPS_DNS_PTR_HOPS_MAX + 1)

/* The text side of a name being decoded. */
struct name_text {
    char *buf;
    size_t cap;      /* >= 1 */
    size_t n;        /* bytes written, buf[n] is kept '\0' */
    int truncated;
};

/* Appends s[0..k) whole or not at all, so an escape is never split. */
static void text_put(struct name_text *t, const char *s, size_t k)
{
    if (t->truncated || k > t->cap - 1 - t->n) {
        t->truncated = 1;
        return;
    }
    memcpy(t->buf + t->n, s, k);
    t->n += k;
    t->buf[t->n] = '\0';
}

static void text_put_label(struct name_text *t, const uint8_t *p, size_t len)
{
    for (size_t i = 0; i < len && !t->truncated; i++) {
        uint8_t b = p[i];
        char esc[4];

        if (b == '.' || b == '\\') {
            esc[0] = '\\';
            esc[1] = (char)b;
            text_put(t, esc, 2);
        } else if (b < 0x20 || b == 0x7f) {
            /* RFC 4343 2.1 "\DDD": keeps logs and JSON free of control bytes. */
            esc[0] = '\\';
            esc[1] = (char)('0' + b / 100);
            esc[2] = (char)('0' + b / 10 % 10);
            esc[3] = (char)('0' + b % 10);
            text_put(t, esc, 4);
        } else {
            /* Printable ASCII, and bytes >= 0x80 kept as UTF-8 (RFC 6762 16). */
            esc[0] = (char)b;
            text_put(t, esc, 1);
        }
    }
}

/* Decodes the name at c->pos into text[0..cap). msg[0..msg_len) is the whole
 * message (pointer targets are offsets into it); c bounds the inline part of
 * the name (the message for owner names, the rdata for names in rdata). On
 * success c moves past the inline part: up to and including the root octet
 * or the first pointer. */
static int name_parse(const uint8_t *msg, size_t msg_len, struct cur *c, char *text,
                      size_t cap, uint32_t *names_truncated)
{
    struct name_text t = {text, cap, 0, 0};
    struct cur r = *c;                        /* where labels are read now */
    size_t seg_start = (size_t)(c->pos - msg); /* first offset of the current run */
    size_t wire = 0;
    unsigned hops = 0;
    int jumped = 0;

    text[0] = '\0';
    for (unsigned step = 0; step < NAME_STEPS_MAX; step++) {
        uint8_t len;
        int rc = cur_u8(&r, &len);

        if (rc != 0)
            return rc;
        if ((len & 0xC0) == 0xC0) {
            uint8_t lo;
            size_t target;

            rc = cur_u8(&r, &lo);
            if (rc != 0)
                return rc;
            target = (size_t)(len & 0x3F) << 8 | lo;
            /* RFC 1035 4.1.4: a pointer names a prior occurrence. Requiring
             * it to land before the labels that led here makes every jump go
             * strictly backwards, which rules out self and mutual loops. */
            if (target >= seg_start)
                return CAPS_E_NAME_LOOP;
            if (target < CAPS_DNS_HEADER_BYTES)
                return CAPS_E_NAME;
            if (++hops > CAPS_DNS_PTR_HOPS_MAX)
                return CAPS_E_NAME_LOOP;
            if (!jumped) {
                c->pos = r.pos;
                jumped = 1;
            }
            seg_start = target;
            r = cur_make(msg, msg_len);
            r.pos = msg + target;  /* target < seg_start <= msg_len */
            continue;
        }
        if ((len & 0xC0) != 0)
            return CAPS_E_NAME;  /* 0x40 extended (RFC 6891 5) and 0x80 reserved */
        wire += 1u + len;
        if (wire > CAPS_DNS_NAME_WIRE_MAX)
            return CAPS_E_NAME;  /* RFC 1035 2.3.4: 255 octets or less */
        if (len == 0) {
            if (t.n == 0)
                text_put(&t, ".", 1);  /* the root name */
            if (!jumped)
                c->pos = r.pos;
            if (t.truncated)
                (*names_truncated)++;
            return CAPS_OK;
        }
        if (!cur_has(&r, len))
            return CAPS_E_TRUNCATED;
        if (t.n > 0)
            text_put(&t, ".", 1);
        text_put_label(&t, r.pos, len);
        r.pos += len;
    }
    return CAPS_E_NAME;  /* unreachable: the wire and hop limits end the loop first */
}

/* Inside an rdata sub-cursor the bytes are all captured: running out means
 * rdlength contradicts the rdata. */
static int in_rdata(int rc)
{
    return rc == CAPS_E_TRUNCATED ? CAPS_E_LENGTH : rc;
}

/* A name that must fill the rest of the rdata exactly (PTR, CNAME, NS, SRV). */
static int rdata_name(const uint8_t *msg, size_t len, struct cur *rd, char *text,
                      uint32_t *names_truncated)
{
    int rc = name_parse(msg, len, rd, text, CAPS_DNS_NAME_TEXT_MAX, names_truncated);

    if (rc != 0)
        return in_rdata(rc);
    return cur_left(rd) == 0 ? CAPS_OK : CAPS_E_LENGTH;
}

/* RFC 1035 3.3.14: one or more <character-string>s filling the rdata. Keeps
 * whole strings while they fit, in order, so a lookup never sees half a string
 * and the first occurrence of a key (RFC 6763 6.4) is the one kept. */
static int rdata_txt(struct cur *rd, struct caps_dns_txt *txt)
{
    txt->raw_len = 0;
    txt->truncated = 0;
    while (cur_left(rd) > 0) {  /* each string consumes >= 1 byte */
        uint8_t n;
        const uint8_t *s;

        (void)cur_u8(rd, &n);
        s = rd->pos;
        if (cur_skip(rd, n) != 0)
            return CAPS_E_LENGTH;
        if (!txt->truncated && 1u + n <= (size_t)CAPS_DNS_TXT_RAW_MAX - txt->raw_len) {
            txt->raw[txt->raw_len] = n;
            if (n > 0)
                memcpy(txt->raw + txt->raw_len + 1, s, n);
            txt->raw_len = (uint16_t)(txt->raw_len + 1u + n);
        } else {
            txt->truncated = 1;
        }
    }
    return CAPS_OK;
}

static int char_string(struct cur *rd, char *dst, size_t cap)
{
    uint8_t n;

    if (cur_u8(rd, &n) != 0 || !cur_has(rd, n))
        return CAPS_E_LENGTH;
    caps_text_copy(dst, cap, rd->pos, n);
    rd->pos += n;
    return CAPS_OK;
}

/* RFC 1035 3.3.2: CPU and OS character-strings, nothing after. */
static int rdata_hinfo(struct cur *rd, struct caps_dns_hinfo *h)
{
    if (char_string(rd, h->cpu, sizeof h->cpu) != 0 ||
        char_string(rd, h->os, sizeof h->os) != 0)
        return CAPS_E_LENGTH;
    return cur_left(rd) == 0 ? CAPS_OK : CAPS_E_LENGTH;
}

/* RFC 4034 4.1: next domain name, then the type bit maps (4.1.2): blocks of
 * <window, length 1..32, bitmap> in increasing window order, bit 0 of byte 0
 * being type window*256. RFC 6762 18.14 lets mDNS compress the name. */
static int rdata_nsec(const uint8_t *msg, size_t len, struct cur *rd, struct caps_dns_nsec *ns,
                      uint32_t *names_truncated)
{
    int prev_window = -1;
    int rc = name_parse(msg, len, rd, ns->next, sizeof ns->next, names_truncated);

    ns->type_count = 0;
    ns->types_dropped = 0;
    if (rc != 0)
        return in_rdata(rc);
    /* Windows strictly increase, so at most 256 blocks: bounded twice. */
    for (int block = 0; block < 256 && cur_left(rd) > 0; block++) {
        uint8_t window, blen;

        if (cur_u8(rd, &window) != 0 || cur_u8(rd, &blen) != 0)
            return CAPS_E_LENGTH;
        if (blen == 0 || blen > NSEC_BITMAP_MAX || !cur_has(rd, blen))
            return CAPS_E_LENGTH;
        if ((int)window <= prev_window)
            return CAPS_E_FIELD;
        prev_window = window;
        for (unsigned i = 0; i < blen; i++) {
            uint8_t bits = rd->pos[i];

            for (unsigned bit = 0; bit < 8; bit++) {
                if ((bits & (0x80u >> bit)) == 0)
                    continue;
                if (ns->type_count < CAPS_DNS_NSEC_TYPES_MAX)
                    ns->types[ns->type_count++] = (uint16_t)(window * 256u + i * 8u + bit);
                else if (ns->types_dropped < UINT8_MAX)
                    ns->types_dropped++;
            }
        }
        rd->pos += blen;
    }
    return cur_left(rd) == 0 ? CAPS_OK : CAPS_E_LENGTH;
}

static int rdata_parse(const uint8_t *msg, size_t len, struct cur *rd, struct caps_dns_rr *rr,
                       uint32_t *names_truncated)
{
    switch (rr->type) {
    case CAPS_DNS_TYPE_A:
        /* RFC 1035 3.4.1: a 32-bit address, exactly. */
        return cur_bytes(rd, rr->rd.a, 4) == 0 && cur_left(rd) == 0 ? CAPS_OK : CAPS_E_LENGTH;
    case CAPS_DNS_TYPE_AAAA:
        /* RFC 3596 2.2: 16 octets, exactly. */
        return cur_bytes(rd, rr->rd.aaaa, 16) == 0 && cur_left(rd) == 0 ? CAPS_OK
                                                                         : CAPS_E_LENGTH;
    case CAPS_DNS_TYPE_PTR:
    case CAPS_DNS_TYPE_CNAME:
    case CAPS_DNS_TYPE_NS:
        return rdata_name(msg, len, rd, rr->rd.ptr, names_truncated);
    case CAPS_DNS_TYPE_SRV:
        /* RFC 2782: priority, weight, port, target (compressible in mDNS,
         * RFC 6762 18.14). */
        if (cur_be16(rd, &rr->rd.srv.priority) != 0 || cur_be16(rd, &rr->rd.srv.weight) != 0 ||
            cur_be16(rd, &rr->rd.srv.port) != 0)
            return CAPS_E_LENGTH;
        return rdata_name(msg, len, rd, rr->rd.srv.target, names_truncated);
    case CAPS_DNS_TYPE_TXT:
        return rdata_txt(rd, &rr->rd.txt);
    case CAPS_DNS_TYPE_HINFO:
        return rdata_hinfo(rd, &rr->rd.hinfo);
    case CAPS_DNS_TYPE_NSEC:
        return rdata_nsec(msg, len, rd, &rr->rd.nsec, names_truncated);
    default:
        return CAPS_OK;  /* kept as type + rdlength */
    }
}

static int question_parse(const uint8_t *msg, size_t len, struct cur *c,
                          struct caps_dns_question *q, uint32_t *names_truncated)
{
    uint16_t qclass;
    int rc = name_parse(msg, len, c, q->name, sizeof q->name, names_truncated);

    if (rc == 0)
        rc = cur_be16(c, &q->type);
    if (rc == 0)
        rc = cur_be16(c, &qclass);
    if (rc != 0)
        return rc;
    q->unicast_response = (qclass & QU_BIT) != 0;
    q->qclass = (uint16_t)(qclass & ~QU_BIT);
    return CAPS_OK;
}

static int rr_parse(const uint8_t *msg, size_t len, struct cur *c, struct caps_dns_rr *rr,
                    uint32_t *names_truncated)
{
    uint16_t rrclass;
    struct cur rd;
    int rc = name_parse(msg, len, c, rr->name, sizeof rr->name, names_truncated);

    if (rc == 0)
        rc = cur_be16(c, &rr->type);
    if (rc == 0)
        rc = cur_be16(c, &rrclass);
    if (rc == 0)
        rc = cur_be32(c, &rr->ttl_s);
    if (rc == 0)
        rc = cur_be16(c, &rr->rdlength);
    if (rc == 0)
        rc = cur_sub(c, rr->rdlength, &rd);  /* rdlength past the bytes: truncated */
    if (rc != 0)
        return rc;
    if (rr->type == CAPS_DNS_TYPE_OPT) {
        /* RFC 6891 6.1.2: the class carries the UDP payload size. */
        rr->rrclass = rrclass;
        rr->cache_flush = 0;
    } else {
        rr->rrclass = (uint16_t)(rrclass & ~CACHE_FLUSH_BIT);
        rr->cache_flush = (rrclass & CACHE_FLUSH_BIT) != 0;
    }
    return rdata_parse(msg, len, &rd, rr, names_truncated);
}

int caps_dns_parse(const uint8_t *buf, size_t len, struct caps_dns *out)
{
    struct cur c;
    uint16_t counts[4];
    int rc;

    memset(out, 0, offsetof(struct caps_dns, questions));
    if (buf == NULL || len < CAPS_DNS_HEADER_BYTES)
        return CAPS_E_TRUNCATED;  /* before cur_make: no arithmetic on NULL */
    c = cur_make(buf, len);
    (void)cur_be16(&c, &out->id);
    (void)cur_be16(&c, &out->flags);
    for (int i = 0; i < 4; i++)
        (void)cur_be16(&c, &counts[i]);
    /* RFC 1035 4.1.1: QR(1) OPCODE(4) AA TC RD RA Z(3) RCODE(4). */
    out->qr = (uint8_t)(out->flags >> 15 & 1u);
    out->opcode = (uint8_t)(out->flags >> 11 & 0xFu);
    out->aa = (uint8_t)(out->flags >> 10 & 1u);
    out->tc = (uint8_t)(out->flags >> 9 & 1u);
    out->rd = (uint8_t)(out->flags >> 8 & 1u);
    out->ra = (uint8_t)(out->flags >> 7 & 1u);
    out->rcode = (uint8_t)(out->flags & 0xFu);
    out->qdcount = counts[0];
    out->ancount = counts[1];
    out->nscount = counts[2];
    out->arcount = counts[3];

    /* Each question takes >= 5 bytes, so the 16-bit count and the bytes left
     * both bound this loop; a count past the data ends in CAPS_E_TRUNCATED. */
    for (unsigned i = 0; i < out->qdcount; i++) {
        struct caps_dns_question scratch;
        struct caps_dns_question *q = out->question_count < CAPS_DNS_QUESTIONS_MAX
                                          ? &out->questions[out->question_count]
                                          : &scratch;

        rc = question_parse(buf, len, &c, q, &out->names_truncated);
        if (rc != 0)
            return rc;
        if (q == &scratch)
            out->questions_dropped++;
        else
            out->question_count++;
    }

    /* Records take >= 11 bytes each; same double bound per section. */
    for (int s = 1; s <= 3; s++) {
        for (unsigned i = 0; i < counts[s]; i++) {
            struct caps_dns_rr scratch;
            struct caps_dns_rr *rr = out->record_count < CAPS_DNS_RECORDS_MAX
                                         ? &out->records[out->record_count]
                                         : &scratch;

            rr->section = (uint8_t)s;
            rc = rr_parse(buf, len, &c, rr, &out->names_truncated);
            if (rc != 0)
                return rc;
            if (rr == &scratch)
                out->records_dropped++;
            else
                out->record_count++;
        }
    }
    out->trailing_bytes = cur_left(&c);
    return CAPS_OK;
}

void caps_dns_txt_iter_init(struct caps_dns_txt_iter *it, const struct caps_dns_rr *rr)
{
    it->rr = rr;
    it->off = 0;
}

int caps_dns_txt_next(struct caps_dns_txt_iter *it, struct caps_dns_txt_item *item)
{
    const struct caps_dns_txt *txt;
    size_t raw_len, n;
    const uint8_t *s, *eq;

    if (it->rr == NULL || it->rr->type != CAPS_DNS_TYPE_TXT)
        return 0;
    txt = &it->rr->rd.txt;
    raw_len = txt->raw_len <= CAPS_DNS_TXT_RAW_MAX ? txt->raw_len : CAPS_DNS_TXT_RAW_MAX;
    if (it->off >= raw_len)
        return 0;
    n = txt->raw[it->off];
    if (n > raw_len - it->off - 1)
        return 0;  /* not a record this decoder filled: stop rather than over-read */
    s = txt->raw + it->off + 1;
    it->off += 1 + n;
    eq = n > 0 ? memchr(s, '=', n) : NULL;
    item->str = s;
    item->len = n;
    if (eq != NULL) {
        item->key_len = (size_t)(eq - s);
        item->value = eq + 1;
        item->value_len = n - item->key_len - 1;
    } else {
        item->key_len = n;
        item->value = NULL;
        item->value_len = 0;
    }
    return 1;
}

int caps_dns_txt_get(const struct caps_dns_rr *rr, const char *key, char *val, size_t cap)
{
    struct caps_dns_txt_iter it;
    struct caps_dns_txt_item item;

    if (val != NULL && cap > 0)
        val[0] = '\0';
    if (rr == NULL || rr->type != CAPS_DNS_TYPE_TXT || key == NULL || key[0] == '\0')
        return CAPS_E_ARG;
    caps_dns_txt_iter_init(&it, rr);
    /* Bounded by raw_len: every item consumes >= 1 byte of raw. */
    while (caps_dns_txt_next(&it, &item)) {
        if (item.key_len == 0)
            continue;  /* RFC 6763 6.4: a string starting with '=' is ignored */
        if (!caps_text_ieq(item.str, item.key_len, key))
            continue;
        if (item.value == NULL)
            return 0;  /* boolean attribute: present, no value */
        if (val != NULL && cap > 0)
            caps_text_copy(val, cap, item.value, item.value_len);
        return (int)item.value_len;
    }
    return CAPS_E_FIELD;
}

const char *caps_dns_type_name(uint16_t type)
{
    switch (type) {
    case 1: return "A";
    case 2: return "NS";
    case 5: return "CNAME";
    case 6: return "SOA";
    case 10: return "NULL";
    case 12: return "PTR";
    case 13: return "HINFO";
    case 15: return "MX";
    case 16: return "TXT";
    case 28: return "AAAA";
    case 33: return "SRV";
    case 41: return "OPT";
    case 46: return "RRSIG";
    case 47: return "NSEC";
    case 48: return "DNSKEY";
    case 64: return "SVCB";
    case 65: return "HTTPS";
    case 255: return "ANY";
    default: return "UNKNOWN";
    }
}
