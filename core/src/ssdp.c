/* ssdp.c - decodes SSDP datagrams (UPnP Device Architecture 1.1/2.0, section
 * 1 "Discovery": HTTPU NOTIFY and M-SEARCH, HTTP/1.1 200 OK search responses).
 *
 * The message is cut at its first NUL byte, its start line matched against the
 * three SSDP forms, then its header lines are read one by one (at most
 * CAPS_SSDP_LINES_MAX). A header's value, with any folded continuation lines
 * joined, is assembled in a CAPS_SSDP_VALUE_MAX scratch buffer with control
 * bytes replaced, then stored: known headers into their fields or numbers,
 * the rest into the bounded extras list. Lenient by design: devices send bare
 * LF, junk lines, NUL padding and odd spacing; those become flags and counts.
 */
#include "caps/ssdp.h"

#include <stddef.h>
#include <string.h>

#include "caps/error.h"
#include "cursor.h"
#include "text.h"

/* One line without its CR/LF: a view into the caller's buffer. */
struct line {
    const uint8_t *p;
    size_t len;
};

/* A header value being assembled (sanitized text, not NUL-terminated). */
struct value {
    char text[CAPS_SSDP_VALUE_MAX];
    size_t len;         /* < CAPS_SSDP_VALUE_MAX */
    int cut;            /* bytes were dropped for lack of room */
};

enum hdr {
    HDR_HOST,
    HDR_NT,
    HDR_NTS,
    HDR_USN,
    HDR_LOCATION,
    HDR_AL,
    HDR_SERVER,
    HDR_CACHE_CONTROL,
    HDR_USER_AGENT,
    HDR_ST,
    HDR_MAN,
    HDR_MX,
    HDR_BOOTID,
    HDR_CONFIGID,
    HDR_OTHER
};

static const struct {
    const char *name;
    enum hdr id;
} known_headers[] = {
    {"HOST", HDR_HOST},
    {"NT", HDR_NT},
    {"NTS", HDR_NTS},
    {"USN", HDR_USN},
    {"LOCATION", HDR_LOCATION},
    {"AL", HDR_AL},             /* SSDP draft (draft-cai-ssdp-v1-03), pre-UDA */
    {"SERVER", HDR_SERVER},
    {"CACHE-CONTROL", HDR_CACHE_CONTROL},
    {"USER-AGENT", HDR_USER_AGENT},
    {"ST", HDR_ST},
    {"MAN", HDR_MAN},
    {"MX", HDR_MX},
    {"BOOTID.UPNP.ORG", HDR_BOOTID},       /* UDA 1.1 1.2.2 */
    {"CONFIGID.UPNP.ORG", HDR_CONFIGID},   /* UDA 1.1 1.2.2 */
};

#define KNOWN_COUNT (sizeof known_headers / sizeof known_headers[0])

#define START_LINE(s) {s, sizeof(s) - 1}
static const struct {
    const char *text;
    size_t len;
} start_lines[] = {
    START_LINE("NOTIFY * HTTP/1.1"),    /* UDA 1.1 1.2.2 */
    START_LINE("M-SEARCH * HTTP/1.1"),  /* UDA 1.1 1.3.2 */
    START_LINE("HTTP/1.1 200 OK"),      /* UDA 1.1 1.3.3 */
};
static const enum caps_ssdp_method start_methods[] = {
    CAPS_SSDP_METHOD_NOTIFY, CAPS_SSDP_METHOD_MSEARCH, CAPS_SSDP_METHOD_RESPONSE};

_Static_assert(sizeof start_lines / sizeof start_lines[0] ==
                   sizeof start_methods / sizeof start_methods[0],
               "one method per start line");

struct ssdp_state {
    struct caps_ssdp *out;
    uint32_t seen;          /* 1u << enum hdr of the known headers met so far */
};

static int is_ows(uint8_t b)
{
    /* RFC 7230 3.2.3 OWS is SP / HTAB; a stray CR before LF is dropped too */
    return b == ' ' || b == '\t' || b == '\r';
}

static struct line trim(const uint8_t *p, size_t len)
{
    struct line l;

    while (len > 0 && is_ows(p[0])) {
        p++;
        len--;
    }
    while (len > 0 && is_ows(p[len - 1]))
        len--;
    l.p = p;
    l.len = len;
    return l;
}

/* Takes the next line from c, without its LF and one CR before it. Returns
 * whether an LF ended it (otherwise the buffer did). */
static int next_line(struct cur *c, struct line *ln, uint32_t *flags)
{
    size_t left = cur_left(c);
    const uint8_t *nl = left > 0 ? memchr(c->pos, '\n', left) : NULL;
    size_t n = nl != NULL ? (size_t)(nl - c->pos) : left;

    ln->p = c->pos;
    ln->len = n;
    c->pos += nl != NULL ? n + 1 : n;
    if (n > 0 && ln->p[n - 1] == '\r')
        ln->len--;
    else if (nl != NULL)
        *flags |= CAPS_SSDP_F_BARE_LF;
    return nl != NULL;
}

static void value_reset(struct value *v)
{
    v->len = 0;
    v->cut = 0;
}

/* Appends a trimmed segment, after one space when the value is not empty
 * (RFC 7230 3.2.4: a receiver replaces each obs-fold with SP). */
static void value_append(struct value *v, struct line seg)
{
    size_t room;

    if (seg.len == 0)
        return;
    if (v->len > 0) {
        /* room for the space and at least one byte of the segment */
        if (v->len + 2 > CAPS_SSDP_VALUE_MAX - 1) {
            v->cut = 1;
            return;
        }
        v->text[v->len++] = ' ';
    }
    room = CAPS_SSDP_VALUE_MAX - 1 - v->len;
    if (seg.len > room)
        v->cut = 1;
    v->len += caps_text_copy(v->text + v->len, room + 1, seg.p,
                             seg.len < room ? seg.len : room);
}

/* Copies s[0..n) into a field of cap bytes; returns whether it was cut. */
static int store_text(char *dst, size_t cap, const char *s, size_t n, int cut)
{
    caps_text_copy(dst, cap, (const uint8_t *)s, n);
    return cut || n > cap - 1;
}

/* Decimal digits only, below 2^32 (UDA: MX and the *.UPNP.ORG ids are
 * non-negative integers; leading zeros are ignored). */
static int parse_u32(const char *s, size_t n, uint32_t *out)
{
    uint64_t v = 0;

    if (n == 0)
        return 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return 0;
        v = v * 10 + (uint64_t)(s[i] - '0');
        if (v > UINT32_MAX)
            return 0;
    }
    *out = (uint32_t)v;
    return 1;
}

static void store_number(struct caps_ssdp *out, uint32_t bit, uint32_t *dst,
                         const struct value *v)
{
    struct line t = trim((const uint8_t *)v->text, v->len);

    if (!v->cut && parse_u32((const char *)t.p, t.len, dst))
        out->present |= bit;
    else
        out->flags |= CAPS_SSDP_F_BAD_NUMBER;
}

/* CACHE-CONTROL (RFC 7234 5.2): comma-separated directives; UDA requires
 * "max-age=N". Devices write "max-age = 1800" (Sonos) or quote the number;
 * other directives ("no-cache") are skipped. The first max-age counts. */
static void store_max_age(struct caps_ssdp *out, const struct value *v)
{
    size_t i = 0;

    while (i < v->len) {
        size_t start = i;
        while (i < v->len && v->text[i] != ',')
            i++;
        const char *d = v->text + start;
        size_t dlen = i - start;
        i++; /* past ',' (or the end) */

        const char *eq = memchr(d, '=', dlen);
        size_t nlen = eq != NULL ? (size_t)(eq - d) : dlen;
        struct line name = trim((const uint8_t *)d, nlen);
        if (!caps_text_ieq(name.p, name.len, "max-age"))
            continue;
        if (eq == NULL) {
            out->flags |= CAPS_SSDP_F_BAD_NUMBER;
            return;
        }
        struct line num = trim((const uint8_t *)eq + 1, dlen - nlen - 1);
        if (num.len >= 2 && num.p[0] == '"' && num.p[num.len - 1] == '"') {
            num.p++;
            num.len -= 2;
        }
        if (parse_u32((const char *)num.p, num.len, &out->max_age_s))
            out->present |= CAPS_SSDP_FIELD_MAX_AGE;
        else
            out->flags |= CAPS_SSDP_F_BAD_NUMBER;
        return;
    }
}

/* USN "uuid:<device-UUID>[::<type>]" (UDA 1.1 1.1.4): the UUID part. */
static void store_uuid(struct caps_ssdp *out, const struct value *v)
{
    size_t start = 5, end;

    if (v->len < start || !caps_text_ieq((const uint8_t *)v->text, start, "uuid:"))
        return;
    end = start;
    while (end < v->len && !(v->text[end] == ':' && end + 1 < v->len &&
                             v->text[end + 1] == ':'))
        end++;
    if (end == start)
        return;
    out->present |= CAPS_SSDP_FIELD_UUID;
    /* A USN cut in the scratch buffer before any "::" leaves a UUID part far
     * longer than the field, so the length alone tells truncation. */
    _Static_assert(CAPS_SSDP_UUID_MAX < CAPS_SSDP_VALUE_MAX - 5, "scratch holds any UUID");
    if (store_text(out->uuid, sizeof out->uuid, v->text + start, end - start, 0))
        out->truncated |= CAPS_SSDP_FIELD_UUID;
}

static void store_location(struct caps_ssdp *out, const struct value *v, int from_al)
{
    const char *s = v->text;
    size_t n = v->len;

    if (from_al && n > 0 && s[0] == '<') {
        /* AL: <url> [<url>...]: the first URL */
        const char *gt = memchr(s, '>', n);
        s++;
        n = gt != NULL ? (size_t)(gt - s) : n - 1;
    }
    out->present |= CAPS_SSDP_FIELD_LOCATION;
    out->truncated &= ~CAPS_SSDP_FIELD_LOCATION;
    if (store_text(out->location, sizeof out->location, s, n, v->cut))
        out->truncated |= CAPS_SSDP_FIELD_LOCATION;
    if (from_al)
        out->flags |= CAPS_SSDP_F_LOCATION_AL;
    else
        out->flags &= ~CAPS_SSDP_F_LOCATION_AL;
}

static void store_extra(struct caps_ssdp *out, struct line name, const struct value *v)
{
    struct caps_ssdp_extra *x;

    if (out->extra_count >= CAPS_SSDP_EXTRAS_MAX) {
        out->extras_dropped++;
        return;
    }
    x = &out->extras[out->extra_count++];
    caps_text_copy(x->name, sizeof x->name, name.p, name.len);
    if (name.len > sizeof x->name - 1)
        out->flags |= CAPS_SSDP_F_EXTRA_TRUNCATED;
    if (store_text(x->value, sizeof x->value, v->text, v->len, v->cut))
        out->flags |= CAPS_SSDP_F_EXTRA_TRUNCATED;
}

/* Known headers stored as text: field bit, offset and capacity. */
#define TEXT_FIELD(id, bit, member) \
    {id, bit, offsetof(struct caps_ssdp, member), sizeof(((struct caps_ssdp *)0)->member)}
static const struct {
    enum hdr id;
    uint32_t bit;
    size_t offset;
    size_t cap;
} text_fields[] = {
    TEXT_FIELD(HDR_HOST, CAPS_SSDP_FIELD_HOST, host),
    TEXT_FIELD(HDR_NT, CAPS_SSDP_FIELD_NT, nt),
    TEXT_FIELD(HDR_USN, CAPS_SSDP_FIELD_USN, usn),
    TEXT_FIELD(HDR_SERVER, CAPS_SSDP_FIELD_SERVER, server),
    TEXT_FIELD(HDR_USER_AGENT, CAPS_SSDP_FIELD_USER_AGENT, user_agent),
    TEXT_FIELD(HDR_ST, CAPS_SSDP_FIELD_ST, st),
    TEXT_FIELD(HDR_MAN, CAPS_SSDP_FIELD_MAN, man),
};

static enum caps_ssdp_nts nts_of(const struct value *v)
{
    const uint8_t *t = (const uint8_t *)v->text;

    if (caps_text_ieq(t, v->len, "ssdp:alive"))
        return CAPS_SSDP_NTS_ALIVE;
    if (caps_text_ieq(t, v->len, "ssdp:byebye"))
        return CAPS_SSDP_NTS_BYEBYE;
    if (caps_text_ieq(t, v->len, "ssdp:update"))
        return CAPS_SSDP_NTS_UPDATE;
    return CAPS_SSDP_NTS_OTHER;
}

/* Stores one complete header (name trimmed, value assembled). */
static void header_store(struct ssdp_state *st, struct line name, const struct value *v)
{
    struct caps_ssdp *out = st->out;
    enum hdr id = HDR_OTHER;

    for (size_t i = 0; i < KNOWN_COUNT; i++) {
        if (caps_text_ieq(name.p, name.len, known_headers[i].name)) {
            id = known_headers[i].id;
            break;
        }
    }
    if (id == HDR_OTHER) {
        store_extra(out, name, v);
        return;
    }
    if (st->seen & (1u << id)) {
        out->flags |= CAPS_SSDP_F_DUPLICATE;   /* the first one wins */
        return;
    }
    st->seen |= 1u << id;

    for (size_t i = 0; i < sizeof text_fields / sizeof text_fields[0]; i++) {
        if (text_fields[i].id != id)
            continue;
        out->present |= text_fields[i].bit;
        if (store_text((char *)out + text_fields[i].offset, text_fields[i].cap, v->text,
                       v->len, v->cut))
            out->truncated |= text_fields[i].bit;
        if (id == HDR_USN)
            store_uuid(out, v);
        return;
    }
    switch (id) {
    case HDR_NTS:
        out->present |= CAPS_SSDP_FIELD_NTS;
        out->nts = nts_of(v);
        break;
    case HDR_LOCATION:
        /* LOCATION replaces a value taken from AL, the older header */
        store_location(out, v, 0);
        break;
    case HDR_AL:
        if ((st->seen & (1u << HDR_LOCATION)) == 0)
            store_location(out, v, 1);
        break;
    case HDR_CACHE_CONTROL:
        store_max_age(out, v);
        break;
    case HDR_MX:
        store_number(out, CAPS_SSDP_FIELD_MX, &out->mx_s, v);
        break;
    case HDR_BOOTID:
        store_number(out, CAPS_SSDP_FIELD_BOOTID, &out->bootid, v);
        break;
    case HDR_CONFIGID:
        store_number(out, CAPS_SSDP_FIELD_CONFIGID, &out->configid, v);
        break;
    default:
        break;
    }
}

/* Zeroes the fixed part; strings become ""; extras are not touched. */
static void ssdp_reset(struct caps_ssdp *out)
{
    out->nts = CAPS_SSDP_NTS_NONE;
    out->present = 0;
    out->truncated = 0;
    out->flags = 0;
    out->max_age_s = 0;
    out->mx_s = 0;
    out->bootid = 0;
    out->configid = 0;
    out->bad_lines = 0;
    out->extra_count = 0;
    out->extras_dropped = 0;
    out->host[0] = '\0';
    out->nt[0] = '\0';
    out->usn[0] = '\0';
    out->uuid[0] = '\0';
    out->location[0] = '\0';
    out->server[0] = '\0';
    out->user_agent[0] = '\0';
    out->st[0] = '\0';
    out->man[0] = '\0';
}

/* Whether buf[0..len) could still grow into one of the start lines. */
static int start_line_prefix(const uint8_t *buf, size_t len)
{
    for (size_t i = 0; i < sizeof start_lines / sizeof start_lines[0]; i++)
        if (len < start_lines[i].len && memcmp(buf, start_lines[i].text, len) == 0)
            return 1;
    return 0;
}

int caps_ssdp_parse(const uint8_t *buf, size_t len, struct caps_ssdp *out)
{
    const uint8_t *nul;
    struct cur c;
    struct line ln, name = {NULL, 0};
    struct value v;
    struct ssdp_state st = {out, 0};
    size_t i;
    unsigned lines = 0;
    int had_lf, active = 0, ended = 0;

    if (len == 0)
        return CAPS_E_TRUNCATED;
    ssdp_reset(out);
    nul = memchr(buf, 0, len);
    if (nul != NULL) {
        out->flags |= CAPS_SSDP_F_NUL;
        len = (size_t)(nul - buf);
    }
    c = cur_make(buf, len);

    /* Start line (UDA 1.1 section 1: HTTPU, request-URI "*", HTTP/1.1). */
    had_lf = next_line(&c, &ln, &out->flags);
    while (ln.len > 0 && (ln.p[ln.len - 1] == ' ' || ln.p[ln.len - 1] == '\t'))
        ln.len--;
    for (i = 0; i < sizeof start_lines / sizeof start_lines[0]; i++)
        if (ln.len == start_lines[i].len && memcmp(ln.p, start_lines[i].text, ln.len) == 0)
            break;
    if (i == sizeof start_lines / sizeof start_lines[0]) {
        if (!had_lf && nul == NULL && start_line_prefix(buf, len))
            return CAPS_E_TRUNCATED;
        return CAPS_E_SYNTAX;
    }
    out->method = start_methods[i];

    /* Header lines, up to the empty line or the end of the message. Each
     * pass consumes at least one byte or ends the loop. */
    while (cur_left(&c) > 0) {
        (void)next_line(&c, &ln, &out->flags);
        if (ln.len == 0) {
            ended = 1;
            break;
        }
        if (lines == CAPS_SSDP_LINES_MAX)
            return CAPS_E_LIMIT;
        lines++;
        if (ln.p[0] == ' ' || ln.p[0] == '\t') {
            /* obs-fold (RFC 7230 3.2.4): continues the previous header */
            if (active) {
                value_append(&v, trim(ln.p, ln.len));
                out->flags |= CAPS_SSDP_F_FOLDED;
            } else {
                out->bad_lines++;
            }
            continue;
        }
        if (active)
            header_store(&st, name, &v);
        active = 0;
        const uint8_t *colon = memchr(ln.p, ':', ln.len);
        if (colon == NULL) {
            out->bad_lines++;
            continue;
        }
        /* "NAME : value" is tolerated although RFC 7230 3.2.4 forbids it */
        name = trim(ln.p, (size_t)(colon - ln.p));
        if (name.len == 0) {
            out->bad_lines++;
            continue;
        }
        value_reset(&v);
        value_append(&v, trim(colon + 1, ln.len - (size_t)(colon - ln.p) - 1));
        active = 1;
    }
    if (active)
        header_store(&st, name, &v);
    if (!ended)
        out->flags |= CAPS_SSDP_F_NO_END;
    return CAPS_OK;
}

const char *caps_ssdp_method_name(enum caps_ssdp_method method)
{
    switch (method) {
    case CAPS_SSDP_METHOD_NOTIFY:
        return "notify";
    case CAPS_SSDP_METHOD_MSEARCH:
        return "m-search";
    case CAPS_SSDP_METHOD_RESPONSE:
        return "response";
    }
    return "unknown";
}

const char *caps_ssdp_nts_name(enum caps_ssdp_nts nts)
{
    switch (nts) {
    case CAPS_SSDP_NTS_NONE:
        return "none";
    case CAPS_SSDP_NTS_ALIVE:
        return "alive";
    case CAPS_SSDP_NTS_BYEBYE:
        return "byebye";
    case CAPS_SSDP_NTS_UPDATE:
        return "update";
    case CAPS_SSDP_NTS_OTHER:
        return "other";
    }
    return "unknown";
}
