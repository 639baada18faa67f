/* jsonpos.c - finds the line and column of the value at a path in a JSON
 * text (codec/jsonpos.h), for error messages about documents cJSON parsed.
 *
 * A bounded tokenizer over a cursor {pos, end}: it walks the path step by
 * step and skips the values in between, nesting at most JSONPOS_DEPTH_MAX
 * levels (the only recursion, in skip_value). It accepts what cJSON 1.7
 * accepts (any byte <= 0x20 is white space, a leading UTF-8 BOM is skipped,
 * numbers are runs of [0-9+-.eE] starting with '-' or a digit), so every
 * path into a document cJSON parsed can be found. Allocates nothing.
 */
#include <limits.h>
#include <stdint.h>
#include <string.h>

#include "codec/jsonpos.h"

/* Deeper documents are not found. cJSON allows 1000 levels; every format the
 * codec reads nests fewer than 8, and 64 bounds the recursion of skip_value. */
#define JSONPOS_DEPTH_MAX 64

/* Path indices above this are not found (no document we read is that long,
 * and it keeps the index parse free of overflow). */
#define JSONPOS_INDEX_MAX 100000000u

struct jcur {
    const unsigned char *pos;
    const unsigned char *end;
};

static int cur_more(const struct jcur *c)
{
    return c->pos < c->end;
}

/* cJSON treats every byte <= 0x20 as white space; so do we. */
static void skip_ws(struct jcur *c)
{
    while (cur_more(c) && *c->pos <= 0x20)
        c->pos++;
}

/* Consumes byte ch after white space; 0, or -1 when the next byte differs. */
static int expect(struct jcur *c, unsigned char ch)
{
    skip_ws(c);
    if (!cur_more(c) || *c->pos != ch)
        return -1;
    c->pos++;
    return 0;
}

static int hex_value(unsigned char ch)
{
    if (ch >= '0' && ch <= '9')
        return ch - '0';
    if (ch >= 'a' && ch <= 'f')
        return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F')
        return ch - 'A' + 10;
    return -1;
}

/* Reads the 4 hex digits of a \u escape at c->pos. */
static int read_hex4(struct jcur *c, uint32_t *out)
{
    uint32_t v = 0;

    if ((size_t)(c->end - c->pos) < 4)
        return -1;
    for (int i = 0; i < 4; i++) {
        int h = hex_value(c->pos[i]);
        if (h < 0)
            return -1;
        v = v << 4 | (uint32_t)h;
    }
    c->pos += 4;
    *out = v;
    return 0;
}

/* Encodes code point cp as UTF-8 into out[4]; returns the byte count. */
static size_t utf8_encode(uint32_t cp, unsigned char out[4])
{
    if (cp < 0x80) {
        out[0] = (unsigned char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (unsigned char)(0xc0 | cp >> 6);
        out[1] = (unsigned char)(0x80 | (cp & 0x3f));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (unsigned char)(0xe0 | cp >> 12);
        out[1] = (unsigned char)(0x80 | (cp >> 6 & 0x3f));
        out[2] = (unsigned char)(0x80 | (cp & 0x3f));
        return 3;
    }
    out[0] = (unsigned char)(0xf0 | cp >> 18);
    out[1] = (unsigned char)(0x80 | (cp >> 12 & 0x3f));
    out[2] = (unsigned char)(0x80 | (cp >> 6 & 0x3f));
    out[3] = (unsigned char)(0x80 | (cp & 0x3f));
    return 4;
}

/* Decodes one escape after the backslash into out; returns its byte count or
 * 0 when malformed. A lone or mismatched surrogate decodes as itself, as
 * nothing addressable contains one. */
static size_t read_escape(struct jcur *c, unsigned char out[4])
{
    if (!cur_more(c))
        return 0;
    unsigned char e = *c->pos++;
    switch (e) {
    case '"': case '\\': case '/':
        out[0] = e;
        return 1;
    case 'b': out[0] = '\b'; return 1;
    case 'f': out[0] = '\f'; return 1;
    case 'n': out[0] = '\n'; return 1;
    case 'r': out[0] = '\r'; return 1;
    case 't': out[0] = '\t'; return 1;
    case 'u': {
        uint32_t cp, lo;
        if (read_hex4(c, &cp) != 0)
            return 0;
        if (cp >= 0xd800 && cp <= 0xdbff && (size_t)(c->end - c->pos) >= 6 &&
            c->pos[0] == '\\' && c->pos[1] == 'u') {
            struct jcur save = *c;
            c->pos += 2;
            if (read_hex4(c, &lo) == 0 && lo >= 0xdc00 && lo <= 0xdfff)
                cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
            else
                *c = save;
        }
        return utf8_encode(cp, out);
    }
    default:
        return 0;
    }
}

/* Consumes the string at c->pos (which must be '"'). When key is not NULL,
 * compares its decoded bytes with key[0..key_len) and sets *equal. */
static int scan_string(struct jcur *c, const char *key, size_t key_len, int *equal)
{
    size_t matched = 0;
    int same = 1;

    if (!cur_more(c) || *c->pos != '"')
        return -1;
    c->pos++;
    while (cur_more(c)) {
        unsigned char buf[4];
        size_t n = 1;
        unsigned char ch = *c->pos++;
        if (ch == '"') {
            if (equal != NULL)
                *equal = same && matched == key_len;
            return 0;
        }
        if (ch == '\\') {
            n = read_escape(c, buf);
            if (n == 0)
                return -1;
        } else {
            buf[0] = ch;
        }
        if (key != NULL && same) {
            if (n <= key_len - matched && memcmp(key + matched, buf, n) == 0)
                matched += n;
            else
                same = 0;
        }
    }
    return -1;                  /* unterminated */
}

static int skip_value(struct jcur *c, int depth);

/* Skips the members (or elements) of the container whose opening byte was
 * just consumed, through its closing byte. */
static int skip_container(struct jcur *c, int depth, unsigned char close, int is_object)
{
    skip_ws(c);
    if (cur_more(c) && *c->pos == close) {
        c->pos++;
        return 0;
    }
    /* Each round consumes at least one byte, so the text length bounds it. */
    for (;;) {
        if (is_object) {
            skip_ws(c);
            if (scan_string(c, NULL, 0, NULL) != 0 || expect(c, ':') != 0)
                return -1;
        }
        if (skip_value(c, depth) != 0)
            return -1;
        skip_ws(c);
        if (!cur_more(c))
            return -1;
        unsigned char ch = *c->pos++;
        if (ch == close)
            return 0;
        if (ch != ',')
            return -1;
    }
}

static int skip_literal(struct jcur *c, const char *word)
{
    size_t n = strlen(word);
    if ((size_t)(c->end - c->pos) < n || memcmp(c->pos, word, n) != 0)
        return -1;
    c->pos += n;
    return 0;
}

/* Skips one value of any kind; depth is the nesting level of that value. */
static int skip_value(struct jcur *c, int depth)
{
    skip_ws(c);
    if (!cur_more(c))
        return -1;
    unsigned char ch = *c->pos;
    switch (ch) {
    case '{':
    case '[':
        if (depth >= JSONPOS_DEPTH_MAX)
            return -1;
        c->pos++;
        return skip_container(c, depth + 1, ch == '{' ? '}' : ']', ch == '{');
    case '"':
        return scan_string(c, NULL, 0, NULL);
    case 't':
        return skip_literal(c, "true");
    case 'f':
        return skip_literal(c, "false");
    case 'n':
        return skip_literal(c, "null");
    default:
        break;
    }
    if (ch != '-' && !(ch >= '0' && ch <= '9'))
        return -1;
    /* cJSON hands this run to strtod; the parse already accepted it. */
    while (cur_more(c) && ((*c->pos >= '0' && *c->pos <= '9') || *c->pos == '+' ||
                           *c->pos == '-' || *c->pos == '.' || *c->pos == 'e' ||
                           *c->pos == 'E'))
        c->pos++;
    return 0;
}

/* Positions c at the value of member key[0..key_len) of the object at c. */
static int enter_member(struct jcur *c, const char *key, size_t key_len, int depth)
{
    if (expect(c, '{') != 0)
        return -1;
    skip_ws(c);
    if (cur_more(c) && *c->pos == '}')
        return -1;                       /* empty: not found */
    for (;;) {
        int equal = 0;
        skip_ws(c);
        if (scan_string(c, key, key_len, &equal) != 0 || expect(c, ':') != 0)
            return -1;
        if (equal)
            return 0;                    /* the first of duplicates, as cJSON's lookup */
        if (skip_value(c, depth) != 0 || expect(c, ',') != 0)
            return -1;                   /* '}' here: not found */
    }
}

/* Positions c at element index of the array at c. */
static int enter_element(struct jcur *c, uint32_t index, int depth)
{
    if (expect(c, '[') != 0)
        return -1;
    skip_ws(c);
    if (cur_more(c) && *c->pos == ']')
        return -1;
    for (uint32_t i = 0; i < index; i++)
        if (skip_value(c, depth) != 0 || expect(c, ',') != 0)
            return -1;
    return 0;
}

int codec_json_locate(const char *text, size_t len, const char *path, int *line, int *col)
{
    struct jcur c = {(const unsigned char *)text, (const unsigned char *)text + len};
    const char *p = path;
    int depth = 0;

    if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
        c.pos += 3;                      /* cJSON skips a UTF-8 BOM too */
    for (;;) {
        skip_ws(&c);
        if (*p == '\0')
            break;
        if (depth >= JSONPOS_DEPTH_MAX)
            return -1;
        depth++;
        if (*p == '.') {
            const char *key = p + 1;
            size_t key_len = strcspn(key, ".[");
            p = key + key_len;
            if (enter_member(&c, key, key_len, depth) != 0)
                return -1;
        } else if (*p == '[') {
            uint32_t index = 0;
            p++;
            if (*p < '0' || *p > '9')
                return -1;
            while (*p >= '0' && *p <= '9') {
                index = index * 10u + (uint32_t)(*p++ - '0');
                if (index > JSONPOS_INDEX_MAX)
                    return -1;
            }
            if (*p++ != ']')
                return -1;
            if (enter_element(&c, index, depth) != 0)
                return -1;
        } else {
            return -1;                   /* not a path */
        }
    }
    if (!cur_more(&c))
        return -1;
    unsigned char ch = *c.pos;
    if (!(ch == '{' || ch == '[' || ch == '"' || ch == '-' || (ch >= '0' && ch <= '9') ||
          ch == 't' || ch == 'f' || ch == 'n'))
        return -1;                       /* no value here */
    codec_json_line_col(text, (size_t)((const char *)c.pos - text), line, col);
    return 0;
}

void codec_json_line_col(const char *text, size_t off, int *line, int *col)
{
    int ln = 1, cl = 1;
    char prev = '\0';

    /* "\n", "\r\n" and a lone "\r" each end one line; a tab is one column. */
    for (size_t i = 0; i < off; i++) {
        char ch = text[i];
        if (ch == '\n' && prev == '\r') {
            /* second byte of CRLF: the line already ended at '\r' */
        } else if (ch == '\n' || ch == '\r') {
            ln += ln < INT_MAX;
            cl = 1;
        } else {
            cl += cl < INT_MAX;
        }
        prev = ch;
    }
    *line = ln;
    *col = cl;
}

void codec_json_locate_nearest(const char *text, size_t len, const char *path, int *line,
                               int *col)
{
    char p[CODEC_JSON_PATH_MAX + 2];
    size_t m = strlen(path), n = 0;

    if (m > CODEC_JSON_PATH_MAX)
        m = 0;
    if (m > 0 && path[0] != '[')
        p[n++] = '.';
    memcpy(p + n, path, m);
    n += m;
    p[n] = '\0';
    /* Each round drops one step, so the path length bounds it. */
    for (;;) {
        if (codec_json_locate(text, len, p, line, col) == 0)
            return;
        if (n == 0)
            break;
        while (n > 0 && p[n - 1] != '.' && p[n - 1] != '[')
            n--;
        if (n > 0)
            n--;
        p[n] = '\0';
    }
    *line = 1;
    *col = 1;
}
