/* nbns.c - NetBIOS name service decoder (RFC 1002 4.2, see caps/nbns.h).
 *
 * One pass: the 12-byte header (4.2.1.1), at most one question (4.2.1.2),
 * then the first resource record of whichever section comes first (4.2.1.3),
 * then a classification from R, OPCODE, RCODE and the record types. Every
 * message RFC 1002 defines carries one question and/or one record, so later
 * records are not read. NB RDATA and node status tables are copied up to the
 * named maxima; the rest is skipped by length, never walked.
 */
#include "caps/nbns.h"

#include <string.h>

#include "caps/error.h"
#include "cursor.h"
#include "netbios_name.h"

#define NBNS_HEADER_LEN 12
#define NBNS_RR_FIXED_LEN 10   /* TYPE, CLASS, TTL, RDLENGTH */
#define NBNS_NB_ENTRY_LEN 6    /* NB_FLAGS + NB_ADDRESS, RFC 1002 4.2.2 */
#define NBNS_NODE_NAME_LEN 18  /* 16-byte name + NAME_FLAGS, RFC 1002 4.2.18 */
#define NBNS_UNIT_ID_LEN 6

static const char *const kind_names[CAPS_NBNS_KIND_COUNT] = {
    [CAPS_NBNS_KIND_UNKNOWN] = "unknown",
    [CAPS_NBNS_KIND_QUERY] = "query",
    [CAPS_NBNS_KIND_NODE_STATUS_REQUEST] = "node_status_request",
    [CAPS_NBNS_KIND_REGISTRATION] = "registration",
    [CAPS_NBNS_KIND_REFRESH] = "refresh",
    [CAPS_NBNS_KIND_RELEASE] = "release",
    [CAPS_NBNS_KIND_POSITIVE_RESPONSE] = "positive_response",
    [CAPS_NBNS_KIND_NEGATIVE_RESPONSE] = "negative_response",
    [CAPS_NBNS_KIND_WACK] = "wack",
    [CAPS_NBNS_KIND_NODE_STATUS_RESPONSE] = "node_status_response",
};

const char *caps_nbns_kind_name(enum caps_nbns_kind kind)
{
    if ((unsigned)kind >= CAPS_NBNS_KIND_COUNT)
        return "unknown";
    return kind_names[kind];
}

static int opcode_known(uint8_t op)
{
    switch (op) {
    case CAPS_NBNS_OP_QUERY:
    case CAPS_NBNS_OP_REGISTRATION:
    case CAPS_NBNS_OP_RELEASE:
    case CAPS_NBNS_OP_WACK:
    case CAPS_NBNS_OP_REFRESH:
    case CAPS_NBNS_OP_REFRESH_ALT:
    case CAPS_NBNS_OP_MULTIHOMED:
        return 1;
    default:
        return 0;
    }
}

static int read_header(struct cur *c, struct caps_nbns *out)
{
    const uint8_t *h = c->pos;

    if (!cur_has(c, NBNS_HEADER_LEN))
        return CAPS_E_TRUNCATED;
    out->trn_id = rd_be16(h);
    out->flags = rd_be16(h + 2);
    /* RFC 1002 4.2.1.1: R(1) OPCODE(4) AA TC RD RA 0 0 B RCODE(4) */
    out->response = (uint8_t)(out->flags >> 15 & 1);
    out->opcode = (uint8_t)(out->flags >> 11 & 0xF);
    out->aa = (uint8_t)(out->flags >> 10 & 1);
    out->tc = (uint8_t)(out->flags >> 9 & 1);
    out->rd = (uint8_t)(out->flags >> 8 & 1);
    out->ra = (uint8_t)(out->flags >> 7 & 1);
    out->broadcast = (uint8_t)(out->flags >> 4 & 1);
    out->rcode = (uint8_t)(out->flags & 0xF);
    out->qdcount = rd_be16(h + 4);
    out->ancount = rd_be16(h + 6);
    out->nscount = rd_be16(h + 8);
    out->arcount = rd_be16(h + 10);
    c->pos += NBNS_HEADER_LEN;
    if (!opcode_known(out->opcode))
        return CAPS_E_FIELD;
    if (out->qdcount > 1)
        return CAPS_E_FIELD;  /* RFC 1002 4.2.1.1: QDCOUNT is 0 or 1 */
    return CAPS_OK;
}

static int read_question(struct cur *c, const uint8_t *msg, struct caps_nbns *out)
{
    int rc = caps_nb_name_read(c, msg, 1, &out->qname);
    if (rc != CAPS_OK)
        return rc;
    if ((rc = cur_be16(c, &out->qtype)) != CAPS_OK ||
        (rc = cur_be16(c, &out->qclass)) != CAPS_OK)
        return rc;
    out->has_question = 1;
    return CAPS_OK;
}

/* NB RDATA, RFC 1002 4.2.2: entries of NB_FLAGS(16) NB_ADDRESS(32). */
static int read_nb(struct cur *rd, struct caps_nbns *out)
{
    size_t n = cur_left(rd);

    if (n % NBNS_NB_ENTRY_LEN != 0)
        return CAPS_E_LENGTH;
    out->addr_count = (uint16_t)(n / NBNS_NB_ENTRY_LEN);  /* rdlength <= 65535 */
    out->addrs_kept = (uint8_t)(out->addr_count < CAPS_NBNS_ADDRS_MAX
                                    ? out->addr_count : CAPS_NBNS_ADDRS_MAX);
    for (size_t i = 0; i < out->addrs_kept; i++) {
        const uint8_t *e = rd->pos + i * NBNS_NB_ENTRY_LEN;
        out->addrs[i].nb_flags = rd_be16(e);
        memcpy(out->addrs[i].ip, e + 2, 4);
    }
    if (out->addr_count > 0) {
        out->group = (uint8_t)(out->addrs[0].nb_flags >> 15 & 1);
        out->ont = (uint8_t)(out->addrs[0].nb_flags >> CAPS_NBNS_NB_ONT_SHIFT & 3);
    }
    return CAPS_OK;
}

/* NODE STATUS RESPONSE RDATA, RFC 1002 4.2.18: NUM_NAMES, NODE_NAME array,
 * STATISTICS (whose first 6 bytes are the UNIT_ID). */
static int read_node_status(struct cur *rd, struct caps_nbns *out)
{
    uint8_t count;

    if (cur_u8(rd, &count) != CAPS_OK)
        return CAPS_E_LENGTH;
    out->node_name_count = count;
    if ((size_t)count * NBNS_NODE_NAME_LEN > cur_left(rd))
        return CAPS_E_LENGTH;
    out->node_names_kept = (uint8_t)(count < CAPS_NBNS_NODE_NAMES_MAX
                                         ? count : CAPS_NBNS_NODE_NAMES_MAX);
    for (size_t i = 0; i < out->node_names_kept; i++) {
        const uint8_t *e = rd->pos + i * NBNS_NODE_NAME_LEN;
        struct caps_nbns_node_name *nn = &out->node_names[i];
        memcpy(nn->raw, e, 16);
        nn->suffix = e[15];
        caps_nb_name_text(nn->name, e);
        nn->flags = rd_be16(e + 16);
    }
    rd->pos += (size_t)count * NBNS_NODE_NAME_LEN;  /* checked above */
    /* STATISTICS is 46 bytes from Windows and Samba; only the UNIT_ID is kept. */
    if (cur_left(rd) >= NBNS_UNIT_ID_LEN) {
        memcpy(out->mac, rd->pos, NBNS_UNIT_ID_LEN);
        out->has_unit_id = 1;
    }
    return CAPS_OK;
}

static int read_rr(struct cur *c, const uint8_t *msg, struct caps_nbns *out)
{
    struct cur rd;
    int rc = caps_nb_name_read(c, msg, 1, &out->rr_name);

    if (rc != CAPS_OK)
        return rc;
    if (!cur_has(c, NBNS_RR_FIXED_LEN))
        return CAPS_E_TRUNCATED;
    out->rr_type = rd_be16(c->pos);
    out->rr_class = rd_be16(c->pos + 2);
    out->ttl_s = rd_be32(c->pos + 4);
    out->rdlength = rd_be16(c->pos + 8);
    c->pos += NBNS_RR_FIXED_LEN;
    if (cur_sub(c, out->rdlength, &rd) != CAPS_OK)
        return CAPS_E_TRUNCATED;
    out->has_rr = 1;

    if (out->response && out->opcode == CAPS_NBNS_OP_WACK) {
        /* RFC 1002 4.2.16: RDATA is the request's OPCODE and NM_FLAGS word. */
        if (out->rdlength != 2)
            return CAPS_E_LENGTH;
        out->wack_flags = rd_be16(rd.pos);
        return CAPS_OK;
    }
    switch (out->rr_type) {
    case CAPS_NBNS_TYPE_NB:
        return read_nb(&rd, out);
    case CAPS_NBNS_TYPE_NBSTAT:
        return read_node_status(&rd, out);
    default:
        return CAPS_OK;  /* NULL, NS, A records: only type and ttl are kept */
    }
}

static int classify(struct caps_nbns *out)
{
    if (!out->response) {
        /* RFC 1002 4.2.2-4.2.12: every request carries the name it is about. */
        if (!out->has_question)
            return CAPS_E_FIELD;
        switch (out->opcode) {
        case CAPS_NBNS_OP_QUERY:
            if (out->qtype == CAPS_NBNS_TYPE_NB)
                out->kind = CAPS_NBNS_KIND_QUERY;
            else if (out->qtype == CAPS_NBNS_TYPE_NBSTAT)
                out->kind = CAPS_NBNS_KIND_NODE_STATUS_REQUEST;
            else
                return CAPS_E_FIELD;
            return CAPS_OK;
        case CAPS_NBNS_OP_REGISTRATION:
        case CAPS_NBNS_OP_MULTIHOMED:
            out->kind = CAPS_NBNS_KIND_REGISTRATION;
            return CAPS_OK;
        case CAPS_NBNS_OP_RELEASE:
            out->kind = CAPS_NBNS_KIND_RELEASE;
            return CAPS_OK;
        case CAPS_NBNS_OP_REFRESH:
        case CAPS_NBNS_OP_REFRESH_ALT:
            out->kind = CAPS_NBNS_KIND_REFRESH;
            return CAPS_OK;
        default:
            return CAPS_E_FIELD;  /* a WACK is only ever a response */
        }
    }
    /* RFC 1002 4.2.13-4.2.18: every response carries one record. */
    if (!out->has_rr)
        return CAPS_E_FIELD;
    if (out->opcode == CAPS_NBNS_OP_WACK)
        out->kind = CAPS_NBNS_KIND_WACK;
    else if (out->rcode != 0)
        out->kind = CAPS_NBNS_KIND_NEGATIVE_RESPONSE;
    else if (out->opcode == CAPS_NBNS_OP_QUERY && out->rr_type == CAPS_NBNS_TYPE_NBSTAT)
        out->kind = CAPS_NBNS_KIND_NODE_STATUS_RESPONSE;
    else
        out->kind = CAPS_NBNS_KIND_POSITIVE_RESPONSE;
    return CAPS_OK;
}

int caps_nbns_parse(const uint8_t *buf, size_t len, struct caps_nbns *out)
{
    struct cur c = cur_make(buf, len);
    int rc;

    memset(out, 0, offsetof(struct caps_nbns, addrs));
    if ((rc = read_header(&c, out)) != CAPS_OK)
        return rc;
    if (out->qdcount == 1 && (rc = read_question(&c, buf, out)) != CAPS_OK)
        return rc;
    if (out->ancount > 0)
        out->rr_section = CAPS_NBNS_SECTION_ANSWER;
    else if (out->nscount > 0)
        out->rr_section = CAPS_NBNS_SECTION_AUTHORITY;
    else if (out->arcount > 0)
        out->rr_section = CAPS_NBNS_SECTION_ADDITIONAL;
    if (out->rr_section != CAPS_NBNS_SECTION_NONE && (rc = read_rr(&c, buf, out)) != CAPS_OK)
        return rc;
    return classify(out);
}
