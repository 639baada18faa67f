/* netbios_name.c - first-level NetBIOS name decoding (see netbios_name.h).
 *
 * Walks the labels of one name in the RFC 1002 4.1 compressed-name form: the
 * first label must be the 32-character half-ASCII encoding (RFC 1001 14.1),
 * the following ones form the scope id. Compression pointers (RFC 1002 4.1,
 * RFC 883) are followed only backward, each to before the segment holding
 * it, and at most CAPS_NB_NAME_JUMPS_MAX times; the whole name is bounded by
 * CAPS_NB_NAME_WIRE_MAX label bytes.
 */
#include "netbios_name.h"

#include <string.h>

#include "text.h"

#define NB_ENCODED_LEN 32  /* RFC 1001 14.1: 16 bytes, two characters each */
#define NB_LABEL_PTR 0xC0  /* RFC 883: the two top bits set mark a pointer */

void caps_nb_name_text(char *dst, const uint8_t *raw15)
{
    size_t n = 15;

    /* RFC 1001 14.1 pads names with spaces; the wildcard "*" with NULs. */
    while (n > 0 && (raw15[n - 1] == ' ' || raw15[n - 1] == 0))
        n--;
    (void)caps_text_copy(dst, CAPS_NB_NAME_TEXT_MAX, raw15, n);
}

/* Decodes the 32 half-ASCII characters at p into out->raw. */
static int decode_half_ascii(const uint8_t *p, struct caps_nb_name *out)
{
    for (size_t i = 0; i < 16; i++) {
        uint8_t hi = p[2 * i], lo = p[2 * i + 1];
        if (hi < 'A' || hi > 'P' || lo < 'A' || lo > 'P')
            return CAPS_E_NAME;
        out->raw[i] = (uint8_t)((unsigned)(hi - 'A') << 4 | (unsigned)(lo - 'A'));
    }
    out->suffix = out->raw[15];
    caps_nb_name_text(out->name, out->raw);
    return CAPS_OK;
}

/* Appends one scope label to out->scope as text, dot-separated. */
static void append_scope(struct caps_nb_name *out, size_t *used, const uint8_t *label,
                         size_t len)
{
    if (*used > 0 && *used + 1 < CAPS_NB_SCOPE_TEXT_MAX) {
        out->scope[*used] = '.';
        (*used)++;
        out->scope[*used] = '\0';
    }
    if (*used + 1 < CAPS_NB_SCOPE_TEXT_MAX)
        *used += caps_text_copy(out->scope + *used, CAPS_NB_SCOPE_TEXT_MAX - *used, label,
                                len);
}

int caps_nb_name_read(struct cur *c, const uint8_t *msg, int allow_ptr,
                      struct caps_nb_name *out)
{
    size_t msg_len = (size_t)(c->end - msg);
    size_t pos = (size_t)(c->pos - msg);
    size_t segment = pos;  /* start of the segment being read: pointers go below */
    size_t resume = 0;     /* where c resumes once a pointer was followed */
    size_t wire = 0;       /* label bytes so far, RFC 1002 4.1 limit */
    size_t scope_used = 0;
    unsigned jumps = 0, labels = 0;

    out->name[0] = '\0';
    out->scope[0] = '\0';
    for (;;) {
        if (pos >= msg_len)
            return CAPS_E_TRUNCATED;
        uint8_t len = msg[pos];
        if ((len & NB_LABEL_PTR) == NB_LABEL_PTR) {
            if (!allow_ptr)
                return CAPS_E_NAME;  /* RFC 1002 4.4: datagram names are never compressed */
            if (msg_len - pos < 2)
                return CAPS_E_TRUNCATED;
            size_t target = (size_t)(len & 0x3F) << 8 | msg[pos + 1];
            if (jumps == 0)
                resume = pos + 2;
            /* Backward of the segment that holds the pointer: the segment
             * starts strictly decrease, so no chain can loop. */
            if (target >= segment || ++jumps > CAPS_NB_NAME_JUMPS_MAX)
                return CAPS_E_NAME_LOOP;
            pos = target;
            segment = target;
            continue;
        }
        if (len & NB_LABEL_PTR)
            return CAPS_E_NAME;  /* label types 01 and 10 are reserved (RFC 883) */
        wire += 1u + len;
        if (wire > CAPS_NB_NAME_WIRE_MAX)
            return CAPS_E_NAME;
        if (len == 0) {
            pos++;
            break;
        }
        /* RFC 1001 14.1: the NetBIOS name is exactly 32 characters. */
        if (labels == 0 && len != NB_ENCODED_LEN)
            return CAPS_E_NAME;
        if (len > msg_len - pos - 1)
            return CAPS_E_TRUNCATED;
        if (labels == 0) {
            int rc = decode_half_ascii(msg + pos + 1, out);
            if (rc != CAPS_OK)
                return rc;
        } else {
            append_scope(out, &scope_used, msg + pos + 1, len);
        }
        labels++;
        pos += 1u + len;
    }
    if (labels == 0)
        return CAPS_E_NAME;  /* the root name: no NetBIOS name at all */
    c->pos = msg + (jumps > 0 ? resume : pos);
    return CAPS_OK;
}
