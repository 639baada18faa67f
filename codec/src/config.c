/* config.c - reads, validates and writes the sensor configuration document
 * (codec/config.h, docs/config.md).
 *
 * cJSON parses; this file walks the members in document order, so the first
 * error reported is the first in the text (cross-field rules come last), and
 * codec_json_locate places it. Every message has the shape
 *   NAME:LINE:COL: "field.path[i]" must be ..., got VALUE
 * where VALUE is the JSON text of the offending value, cut to
 * CODEC_SHOWN_BYTES_MAX bytes. Tables are fixed-size (caps/config.h); a
 * document that overflows one is rejected, never cut.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "caps/inventory.h"
#include "codec/config.h"
#include "codec/file.h"
#include "codec/inventory.h"
#include "codec/jsonpos.h"
#include "show.h"

#define CONFIG_PATH_BYTES_MAX 96         /* "domains[15].include[127]" and unknown keys */
#define CONFIG_FILE_BYTES_MAX (1u << 20) /* a full config is ~12 KB of text */
#define CONFIG_HOUR_S 3600u
#define CONFIG_STALE_HOURS_MAX 8760      /* one year */
#define CONFIG_EXPIRE_HOURS_MAX 87600    /* ten years; * 3600 still fits uint32_t */

#define CONFIG_PREFIX_BYTES_MAX 32      /* path of an embedded configuration */

#define RANGE_FORMS "an IPv4 address, a.b.c.d/n, a.b.c.d-e.f.g.h, a.b.c.d-e or a.b.*.*"
#define MAC_FORMS "aa:bb:cc:dd:ee:ff, aa-bb-cc-dd-ee-ff, aabb.ccdd.eeff or aabbccddeeff"

struct cfg_reader {
    const char *text;
    size_t len;
    const char *name;
    char *err;                   /* CODEC_ERRMSG_MAX bytes */
    const char *prefix;          /* path of the configuration inside text: "" or "config." */
};

/* ---- messages ---------------------------------------------------------- */

/* Where the value at message path `path` is ("" is the root). A key that
 * codec_json_locate cannot address falls back to its parent. */
static void locate(const struct cfg_reader *rd, const char *path, int *line, int *col)
{
    char full[CONFIG_PATH_BYTES_MAX + CONFIG_PREFIX_BYTES_MAX + 1];
    size_t k = strlen(rd->prefix);

    if (k > CONFIG_PREFIX_BYTES_MAX)
        k = 0;
    memcpy(full, rd->prefix, k);
    size_t m = strlen(path);
    if (m > CONFIG_PATH_BYTES_MAX)
        m = 0;                                  /* unreachable by design; use the root */
    memcpy(full + k, path, m);
    /* "config." + "" names the configuration object itself. */
    if (m == 0 && k > 0 && full[k - 1] == '.')
        k--;
    size_t n = k + m;
    full[n] = '\0';
    codec_json_locate_nearest(rd->text, rd->len, full, line, col);
}

/* Writes "NAME:LINE:COL: " and the formatted text into rd->err; returns -1. */
__attribute__((format(printf, 3, 4)))
static int fail(const struct cfg_reader *rd, const char *path, const char *fmt, ...)
{
    int line, col;
    va_list ap;

    locate(rd, path, &line, &col);
    int n = snprintf(rd->err, CODEC_ERRMSG_MAX, "%s:%d:%d: ", rd->name, line, col);
    if (n < 0 || n >= CODEC_ERRMSG_MAX)
        return -1;
    va_start(ap, fmt);
    vsnprintf(rd->err + n, CODEC_ERRMSG_MAX - (size_t)n, fmt, ap);
    va_end(ap);
    return -1;
}

/* ---- values ------------------------------------------------------------ */

static int is_integer(const cJSON *item)
{
    if (!cJSON_IsNumber(item))
        return 0;
    double d = item->valuedouble;
    /* 2^53: beyond it doubles skip integers; every limit here is far below. */
    return isfinite(d) && fabs(d) <= 9007199254740992.0 && d == (double)(int64_t)d;
}

static int read_int(const struct cfg_reader *rd, const cJSON *item, const char *path,
                    int64_t min, int64_t max, int64_t *out)
{
    char shown[CODEC_SHOWN_BUF_BYTES];

    if (cJSON_IsNumber(item) && !isfinite(item->valuedouble))
        return fail(rd, path, "\"%s\" must be an integer, got a number beyond double "
                    "range", path);                 /* cJSON would print it as null */
    if (!is_integer(item))
        return fail(rd, path, "\"%s\" must be an integer, got %s", path, codec_show(item, shown));
    int64_t v = (int64_t)item->valuedouble;
    if (v < min || v > max)
        return fail(rd, path, "\"%s\" must be %lld..%lld, got %s", path, (long long)min,
                    (long long)max, codec_show(item, shown));
    *out = v;
    return 0;
}

/* ---- IPv4 ranges ------------------------------------------------------- */

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Parses a decimal octet s[0..n). Returns NULL or the reason. */
static const char *octet_parse(const char *s, size_t n, uint32_t *out)
{
    uint32_t v = 0;

    if (n == 0)
        return RANGE_FORMS;
    for (size_t i = 0; i < n; i++) {
        if (!is_digit(s[i]))
            return RANGE_FORMS;
    }
    if (n > 1 && s[0] == '0')
        return "written without leading zeros (ambiguous octal)";
    if (n > 3)
        return "made of octets 0..255";
    for (size_t i = 0; i < n; i++)
        v = v * 10u + (uint32_t)(s[i] - '0');
    if (v > 255)
        return "made of octets 0..255";
    *out = v;
    return NULL;
}

/* Parses a dotted quad s[0..n) into a host-order address. */
static const char *ip4_parse(const char *s, size_t n, uint32_t *out)
{
    uint32_t addr = 0;
    size_t pos = 0;

    for (int i = 0; i < 4; i++) {
        size_t start = pos;
        while (pos < n && s[pos] != '.')
            pos++;
        uint32_t octet;
        const char *why = octet_parse(s + start, pos - start, &octet);
        if (why != NULL)
            return why;
        addr = addr << 8 | octet;
        if (i < 3) {
            if (pos >= n)
                return RANGE_FORMS;             /* fewer than 4 octets */
            pos++;                              /* the '.' */
        }
    }
    if (pos != n)
        return RANGE_FORMS;                     /* more than 4 octets */
    *out = addr;
    return NULL;
}

/* "a.b.*.*": k leading octets, then only '*'. */
static const char *wildcard_parse(const char *s, struct caps_ip4_range *r)
{
    static const char *const why_wild = "a wildcard with '*' only as whole trailing octets "
                                        "(a.b.*.*)";
    uint32_t addr = 0;
    unsigned fixed = 0;
    size_t pos = 0, n = strlen(s);

    for (int i = 0; i < 4; i++) {
        size_t start = pos;
        while (pos < n && s[pos] != '.')
            pos++;
        size_t len = pos - start;
        if (len == 1 && s[start] == '*') {
            addr <<= 8;
        } else if (memchr(s + start, '*', len) != NULL || fixed != (unsigned)i) {
            return why_wild;
        } else {
            uint32_t octet;
            const char *why = octet_parse(s + start, len, &octet);
            if (why != NULL)
                return why;
            addr = addr << 8 | octet;
            fixed++;
        }
        if (i < 3) {
            if (pos >= n)
                return RANGE_FORMS;
            pos++;
        }
    }
    if (pos != n)
        return RANGE_FORMS;
    uint32_t host = fixed == 0 ? UINT32_MAX : (UINT32_MAX >> (8 * fixed));
    r->first = addr;
    r->last = addr | host;
    return NULL;
}

static void ip4_format(uint32_t a, char out[16])
{
    snprintf(out, 16, "%u.%u.%u.%u", a >> 24, a >> 16 & 255u, a >> 8 & 255u, a & 255u);
}

/* Parses one range in any written form. Returns NULL, or the "must be"
 * clause of the message (in why_buf when it names the proper network). */
static const char *range_parse(const char *s, struct caps_ip4_range *r, char why_buf[96])
{
    size_t n = strlen(s);
    const char *why;

    for (size_t i = 0; i < n; i++) {
        if (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r' || s[i] == '\f' ||
            s[i] == '\v')
            return "written without white space";
    }
    if (strchr(s, ':') != NULL)
        return "an IPv4 range (IPv6 is not supported)";
    const char *slash = strchr(s, '/');
    const char *dash = strchr(s, '-');
    const char *star = strchr(s, '*');
    if ((slash != NULL) + (dash != NULL) + (star != NULL) > 1)
        return RANGE_FORMS;
    if (star != NULL)
        return wildcard_parse(s, r);
    if (slash != NULL) {
        uint32_t addr, bits = 0;
        const char *p = slash + 1;
        size_t plen = strlen(p);
        if ((why = ip4_parse(s, (size_t)(slash - s), &addr)) != NULL)
            return why;
        if (plen == 0 || plen > 2 || !is_digit(p[0]) || (plen == 2 && !is_digit(p[1])) ||
            (plen == 2 && p[0] == '0'))
            return "a CIDR block a.b.c.d/n with n 0..32";
        bits = (uint32_t)(p[0] - '0');
        if (plen == 2)
            bits = bits * 10u + (uint32_t)(p[1] - '0');
        if (bits > 32)
            return "a CIDR block a.b.c.d/n with n 0..32";
        uint32_t host = bits == 32 ? 0 : UINT32_MAX >> bits;   /* >> 32 is undefined */
        if ((addr & host) != 0) {
            char net[16];
            ip4_format(addr & ~host, net);
            snprintf(why_buf, 96, "the network address of its block (%s/%u)", net, bits);
            return why_buf;
        }
        r->first = addr;
        r->last = addr | host;
        return NULL;
    }
    if (dash != NULL) {
        uint32_t first, last;
        const char *right = dash + 1;
        if ((why = ip4_parse(s, (size_t)(dash - s), &first)) != NULL)
            return why;
        if (strchr(right, '.') != NULL) {
            if ((why = ip4_parse(right, strlen(right), &last)) != NULL)
                return why;
        } else {
            uint32_t octet;
            if ((why = octet_parse(right, strlen(right), &octet)) != NULL)
                return why;
            last = (first & 0xffffff00u) | octet;   /* last-octet shorthand */
        }
        if (first > last)
            return "a range with first <= last";
        r->first = first;
        r->last = last;
        return NULL;
    }
    uint32_t addr;
    if ((why = ip4_parse(s, n, &addr)) != NULL)
        return why;
    r->first = addr;
    r->last = addr;
    return NULL;
}

/* Reads an array of ranges at path into table[*count..], at most
 * CAPS_RANGES_MAX in all; what names the table in the overflow message. */
static int read_ranges(const struct cfg_reader *rd, const cJSON *arr, const char *path,
                       struct caps_ip4_range *table, uint16_t *count, const char *what)
{
    char shown[CODEC_SHOWN_BUF_BYTES];
    char el[CONFIG_PATH_BYTES_MAX];
    char why_buf[96];
    const cJSON *item;
    unsigned i = 0;

    if (!cJSON_IsArray(arr))
        return fail(rd, path, "\"%s\" must be an array of IPv4 ranges, got %s", path,
                    codec_show(arr, shown));
    cJSON_ArrayForEach(item, arr) {
        snprintf(el, sizeof el, "%s[%u]", path, i++);
        if (!cJSON_IsString(item))
            return fail(rd, el, "\"%s\" must be a string holding " RANGE_FORMS ", got %s",
                        el, codec_show(item, shown));
        if (*count >= CAPS_RANGES_MAX)
            return fail(rd, el, "\"%s\" must be within the first %d %s, got %s", el,
                        CAPS_RANGES_MAX, what, codec_show(item, shown));
        const char *why = range_parse(item->valuestring, &table[*count], why_buf);
        if (why != NULL)
            return fail(rd, el, "\"%s\" must be %s, got %s", el, why, codec_show(item, shown));
        (*count)++;
    }
    return 0;
}

/* ---- MACs -------------------------------------------------------------- */

static int hex_digit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Accepts aa:bb:cc:dd:ee:ff, aa-bb-cc-dd-ee-ff, aabb.ccdd.eeff, aabbccddeeff. */
static int mac_parse(const char *s, uint8_t mac[6])
{
    int nibbles[12];
    size_t n = strlen(s), k = 0;
    size_t group;
    char sep;

    if (n == 17) {
        group = 2;
        sep = s[2];
        if (sep != ':' && sep != '-')
            return -1;
    } else if (n == 14) {
        group = 4;
        sep = '.';
    } else if (n == 12) {
        group = 12;
        sep = '\0';
    } else {
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        /* A separator follows each group but the last. */
        if (group < 12 && i % (group + 1) == group) {
            if (s[i] != sep)
                return -1;
            continue;
        }
        int h = hex_digit(s[i]);
        if (h < 0 || k >= 12)
            return -1;
        nibbles[k++] = h;
    }
    if (k != 12)
        return -1;
    for (int i = 0; i < 6; i++)
        mac[i] = (uint8_t)(nibbles[2 * i] << 4 | nibbles[2 * i + 1]);
    return 0;
}

static int read_macs(const struct cfg_reader *rd, const cJSON *arr, const char *path,
                     struct caps_config *cfg)
{
    char shown[CODEC_SHOWN_BUF_BYTES];
    char el[CONFIG_PATH_BYTES_MAX];
    const cJSON *item;
    unsigned i = 0;

    if (!cJSON_IsArray(arr))
        return fail(rd, path, "\"%s\" must be an array of MAC addresses, got %s", path,
                    codec_show(arr, shown));
    cJSON_ArrayForEach(item, arr) {
        snprintf(el, sizeof el, "%s[%u]", path, i++);
        if (!cJSON_IsString(item))
            return fail(rd, el, "\"%s\" must be a string holding a MAC address ("
                        MAC_FORMS "), got %s", el, codec_show(item, shown));
        if (cfg->exclude_mac_count >= CAPS_EXCLUDE_MACS_MAX)
            return fail(rd, el, "\"%s\" must be within the first %d excluded MACs, got %s",
                        el, CAPS_EXCLUDE_MACS_MAX, codec_show(item, shown));
        if (mac_parse(item->valuestring, cfg->exclude_macs[cfg->exclude_mac_count]) != 0)
            return fail(rd, el, "\"%s\" must be a MAC address (" MAC_FORMS "), got %s", el,
                        codec_show(item, shown));
        cfg->exclude_mac_count++;
    }
    return 0;
}

/* ---- objects ----------------------------------------------------------- */

/* Checks member m of the object at path: known and not seen before. Returns
 * its index in keys, or -1 with the error written. */
static int member_check(const struct cfg_reader *rd, const cJSON *m, const char *path,
                        const char *const *keys, int nkeys, const cJSON **seen)
{
    char field[CONFIG_PATH_BYTES_MAX];
    char shown[CODEC_SHOWN_BUF_BYTES];
    const char *key = m->string != NULL ? m->string : "";

    int n = snprintf(field, sizeof field, "%s%s%s", path, path[0] != '\0' ? "." : "", key);
    if (n < 0 || (size_t)n >= sizeof field)
        field[0] = '\0';                        /* too long to address: place at the root */
    int k = codec_key_index(key, keys, nkeys);
    if (k < 0) {
        char full[2 * CONFIG_PATH_BYTES_MAX];
        snprintf(full, sizeof full, "%s%s%s", path, path[0] != '\0' ? "." : "", key);
        return fail(rd, field[0] != '\0' ? field : path, "unknown key %s",
                    codec_show_str(full, shown));
    }
    if (seen[k] != NULL) {
        /* Placed at the first: codec_json_locate finds the first of duplicates. */
        char shown_first[CODEC_SHOWN_BUF_BYTES];
        return fail(rd, field, "\"%s\" must appear once, got %s and then %s", field,
                    codec_show(seen[k], shown_first), codec_show(m, shown));
    }
    seen[k] = m;
    return k;
}

/* A DNS name: labels of 1..63 [A-Za-z0-9-], not starting or ending with '-',
 * at most 253 characters without the one trailing dot allowed. Writes it in
 * lower case to out. Returns NULL or the "must be" clause. */
static const char *dns_name_parse(const char *s, char out[CAPS_DOMAIN_NAME_MAX])
{
    size_t n = strlen(s);
    size_t label = 0;

    if (n > 0 && s[n - 1] == '.')
        n--;
    if (n == 0)
        return "a DNS name with no empty labels";
    if (n > CAPS_DOMAIN_NAME_MAX - 1)
        return "a DNS name of at most 253 characters";
    for (size_t i = 0; i <= n; i++) {
        char c = i < n ? s[i] : '.';
        if (c == '.') {
            if (label == 0)
                return "a DNS name with no empty labels";
            if (s[i - 1] == '-')
                return "a DNS name with no label ending in '-'";
            if (i < n)
                out[i] = '.';
            label = 0;
            continue;
        }
        if (!(is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-'))
            return "a DNS name of letters, digits, '-' and '.' only";
        if (label == 0 && c == '-')
            return "a DNS name with no label starting with '-'";
        if (++label > 63)
            return "a DNS name with labels of at most 63 characters";
        out[i] = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
    }
    out[n] = '\0';
    return NULL;
}

enum { DOMAIN_NAME, DOMAIN_INCLUDE, DOMAIN_KEYS };
static const char *const domain_keys[DOMAIN_KEYS] = {"name", "include"};

static int read_domain(const struct cfg_reader *rd, const cJSON *obj, unsigned index,
                       struct caps_config *cfg)
{
    char path[32], field[CONFIG_PATH_BYTES_MAX];       /* path: "domains[%u]" */
    char shown[CODEC_SHOWN_BUF_BYTES];
    const cJSON *seen[DOMAIN_KEYS] = {NULL};
    const cJSON *m;
    struct caps_domain *d = &cfg->domains[index];

    snprintf(path, sizeof path, "domains[%u]", index);
    if (!cJSON_IsObject(obj))
        return fail(rd, path, "\"%s\" must be an object {\"name\": ..., \"include\": [...]}, "
                    "got %s", path, codec_show(obj, shown));
    d->include_first = cfg->include_count;
    cJSON_ArrayForEach(m, obj) {
        int k = member_check(rd, m, path, domain_keys, DOMAIN_KEYS, seen);
        if (k < 0)
            return -1;
        snprintf(field, sizeof field, "%s.%s", path, domain_keys[k]);
        if (k == DOMAIN_NAME) {
            char name[CAPS_DOMAIN_NAME_MAX] = {0};
            if (!cJSON_IsString(m))
                return fail(rd, field, "\"%s\" must be a string (a DNS name), got %s", field,
                            codec_show(m, shown));
            if (m->valuestring[0] == '\0')
                return fail(rd, field, "\"%s\" must be a DNS name (domain name required), "
                            "got \"\"", field);
            const char *why = dns_name_parse(m->valuestring, name);
            if (why != NULL)
                return fail(rd, field, "\"%s\" must be %s, got %s", field, why, codec_show(m, shown));
            for (unsigned j = 0; j < index; j++)
                if (strcmp(cfg->domains[j].name, name) == 0)
                    return fail(rd, field, "\"%s\" must differ from domains[%u].name, got %s",
                                field, j, codec_show(m, shown));
            memcpy(d->name, name, sizeof d->name);
        } else {
            if (read_ranges(rd, m, field, cfg->include, &cfg->include_count,
                            "include ranges of all domains") != 0)
                return -1;
        }
    }
    if (seen[DOMAIN_NAME] == NULL) {
        snprintf(field, sizeof field, "%s.name", path);
        return fail(rd, path, "\"%s\" must be a DNS name (domain name required), got nothing",
                    field);
    }
    d->include_count = (uint16_t)(cfg->include_count - d->include_first);
    return 0;
}

static int read_domains(const struct cfg_reader *rd, const cJSON *arr, struct caps_config *cfg)
{
    char shown[CODEC_SHOWN_BUF_BYTES];
    const cJSON *item;
    unsigned i = 0;

    if (!cJSON_IsArray(arr))
        return fail(rd, "domains", "\"domains\" must be an array of domains, got %s",
                    codec_show(arr, shown));
    int n = cJSON_GetArraySize(arr);
    if (n == 0)
        return fail(rd, "domains", "\"domains\" must list at least one domain "
                    "(domain name required), got []");
    if (n > CAPS_DOMAINS_MAX)
        return fail(rd, "domains", "\"domains\" must list at most %d domains, got %d",
                    CAPS_DOMAINS_MAX, n);
    cJSON_ArrayForEach(item, arr) {
        if (read_domain(rd, item, i, cfg) != 0)
            return -1;
        i++;
    }
    cfg->domain_count = (uint16_t)i;
    return 0;
}

enum { EXCLUDE_IPS, EXCLUDE_MACS, EXCLUDE_KEYS };
static const char *const exclude_keys[EXCLUDE_KEYS] = {"ips", "macs"};

static int read_exclude(const struct cfg_reader *rd, const cJSON *obj, struct caps_config *cfg)
{
    char shown[CODEC_SHOWN_BUF_BYTES];
    const cJSON *seen[EXCLUDE_KEYS] = {NULL};
    const cJSON *m;

    if (!cJSON_IsObject(obj))
        return fail(rd, "exclude", "\"exclude\" must be an object {\"ips\": [...], "
                    "\"macs\": [...]}, got %s", codec_show(obj, shown));
    cJSON_ArrayForEach(m, obj) {
        int k = member_check(rd, m, "exclude", exclude_keys, EXCLUDE_KEYS, seen);
        if (k < 0)
            return -1;
        if (k == EXCLUDE_IPS) {
            if (read_ranges(rd, m, "exclude.ips", cfg->exclude, &cfg->exclude_count,
                            "exclude ranges") != 0)
                return -1;
        } else if (read_macs(rd, m, "exclude.macs", cfg) != 0) {
            return -1;
        }
    }
    return 0;
}

enum {
    TOP_UPLOAD, TOP_PEERS, TOP_DOMAINS, TOP_EXCLUDE, TOP_ASSETS, TOP_STALE, TOP_EXPIRE, TOP_KEYS
};
static const char *const top_keys[TOP_KEYS] = {
    "upload_interval_minutes", "min_peers", "domains", "exclude",
    "assets_max", "stale_after_hours", "expire_after_hours",
};

static int read_member(const struct cfg_reader *rd, int k, const cJSON *m,
                       struct caps_config *cfg)
{
    int64_t v;

    switch (k) {
    case TOP_DOMAINS:
        return read_domains(rd, m, cfg);
    case TOP_EXCLUDE:
        return read_exclude(rd, m, cfg);
    case TOP_UPLOAD:
        if (read_int(rd, m, top_keys[k], CAPS_UPLOAD_INTERVAL_MIN_MIN,
                     CAPS_UPLOAD_INTERVAL_MIN_MAX, &v) != 0)
            return -1;
        cfg->upload_interval_min = (uint32_t)v;
        return 0;
    case TOP_PEERS:
        if (read_int(rd, m, top_keys[k], CAPS_MIN_PEERS_MIN, CAPS_MIN_PEERS_MAX, &v) != 0)
            return -1;
        cfg->min_peers = (uint32_t)v;
        return 0;
    case TOP_ASSETS:
        if (read_int(rd, m, top_keys[k], 1, CAPS_ASSETS_MAX_LIMIT, &v) != 0)
            return -1;
        cfg->assets_max = (uint32_t)v;
        return 0;
    case TOP_STALE:
        if (read_int(rd, m, top_keys[k], 1, CONFIG_STALE_HOURS_MAX, &v) != 0)
            return -1;
        cfg->stale_after_s = (uint32_t)v * CONFIG_HOUR_S;
        return 0;
    case TOP_EXPIRE:
        if (read_int(rd, m, top_keys[k], 1, CONFIG_EXPIRE_HOURS_MAX, &v) != 0)
            return -1;
        cfg->expire_after_s = (uint32_t)v * CONFIG_HOUR_S;
        return 0;
    default:
        return -1;
    }
}

static int read_document(const struct cfg_reader *rd, const cJSON *root, struct caps_config *cfg)
{
    char shown[CODEC_SHOWN_BUF_BYTES];
    const cJSON *seen[TOP_KEYS] = {NULL};
    const cJSON *m;

    if (!cJSON_IsObject(root))
        return fail(rd, "", "the configuration must be a JSON object, got %s",
                    codec_show(root, shown));
    cJSON_ArrayForEach(m, root) {
        int k = member_check(rd, m, "", top_keys, TOP_KEYS, seen);
        if (k < 0 || read_member(rd, k, m, cfg) != 0)
            return -1;
    }
    if (seen[TOP_DOMAINS] == NULL)
        return fail(rd, "", "\"domains\" must list at least one domain "
                    "(domain name required), got nothing");
    if (cfg->expire_after_s <= cfg->stale_after_s) {
        if (seen[TOP_EXPIRE] != NULL)
            return fail(rd, "expire_after_hours", "\"expire_after_hours\" must be greater "
                        "than stale_after_hours (%u), got %s",
                        (unsigned)(cfg->stale_after_s / CONFIG_HOUR_S),
                        codec_show(seen[TOP_EXPIRE], shown));
        return fail(rd, "stale_after_hours", "\"stale_after_hours\" must be less than "
                    "expire_after_hours (%u), got %s",
                    (unsigned)(cfg->expire_after_s / CONFIG_HOUR_S),
                    codec_show(seen[TOP_STALE], shown));
    }
    return 0;
}

int codec_config_parse(const char *text, size_t len, const char *name,
                       struct caps_config *cfg, char err[CODEC_ERRMSG_MAX])
{
    struct cfg_reader rd = {text, len, name, err, ""};

    err[0] = '\0';
    caps_config_default(cfg);
    cJSON *root = codec_json_parse_doc(rd.text, rd.len, rd.name, rd.err);
    if (root == NULL)
        return -1;
    int rc = read_document(&rd, root, cfg);
    cJSON_Delete(root);
    if (rc != 0)
        caps_config_default(cfg);        /* no half-read configuration escapes */
    return rc;
}

int codec_config_read_item(const char *text, size_t len, const char *name, const cJSON *item,
                           const char *prefix, struct caps_config *cfg,
                           char err[CODEC_ERRMSG_MAX])
{
    struct cfg_reader rd = {text, len, name, err, prefix};

    err[0] = '\0';
    caps_config_default(cfg);
    int rc = read_document(&rd, item, cfg);
    if (rc != 0)
        caps_config_default(cfg);
    return rc;
}

int codec_config_load(const char *path, struct caps_config *cfg, char err[CODEC_ERRMSG_MAX])
{
    size_t n = 0;

    err[0] = '\0';
    caps_config_default(cfg);
    char *buf = codec_file_read(path, CONFIG_FILE_BYTES_MAX, &n, err);
    if (buf == NULL)
        return -1;
    int rc = codec_config_parse(buf, n, path, cfg, err);
    free(buf);
    return rc;
}

/* ---- writing ----------------------------------------------------------- */

/* The shortest written form: a.b.c.d, a CIDR block, or first-last. */
static void range_format(const struct caps_ip4_range *r, char out[40])
{
    char a[16], b[16];
    uint32_t span = r->last - r->first;   /* size - 1; UINT32_MAX for 0.0.0.0/0 */

    ip4_format(r->first, a);
    if (span == 0) {
        snprintf(out, 40, "%s", a);
        return;
    }
    if ((span & (span + 1)) == 0 && (r->first & span) == 0) {
        unsigned bits = 32;
        for (uint32_t s = span; s != 0; s >>= 1)
            bits--;
        snprintf(out, 40, "%s/%u", a, bits);
        return;
    }
    ip4_format(r->last, b);
    snprintf(out, 40, "%s-%s", a, b);
}

static int add_ranges(cJSON *arr, const struct caps_ip4_range *r, unsigned first,
                      unsigned count, unsigned table_count)
{
    char text[40];

    for (unsigned i = first; i < first + count && i < table_count; i++) {
        range_format(&r[i], text);
        cJSON *s = cJSON_CreateString(text);
        if (s == NULL || !cJSON_AddItemToArray(arr, s)) {
            cJSON_Delete(s);
            return -1;
        }
    }
    return 0;
}

static int add_number(cJSON *obj, const char *key, uint32_t v)
{
    return cJSON_AddNumberToObject(obj, key, (double)v) != NULL ? 0 : -1;
}

/* Seconds to whole hours, rounding up so a non-zero time stays non-zero. */
static uint32_t hours_of(uint32_t s)
{
    return s / CONFIG_HOUR_S + (s % CONFIG_HOUR_S != 0);
}

static int build_document(cJSON *root, const struct caps_config *cfg)
{
    unsigned domains = cfg->domain_count < CAPS_DOMAINS_MAX ? cfg->domain_count
                                                            : CAPS_DOMAINS_MAX;
    unsigned includes = cfg->include_count < CAPS_RANGES_MAX ? cfg->include_count
                                                             : CAPS_RANGES_MAX;
    unsigned excludes = cfg->exclude_count < CAPS_RANGES_MAX ? cfg->exclude_count
                                                             : CAPS_RANGES_MAX;
    unsigned macs = cfg->exclude_mac_count < CAPS_EXCLUDE_MACS_MAX ? cfg->exclude_mac_count
                                                                   : CAPS_EXCLUDE_MACS_MAX;

    if (add_number(root, "upload_interval_minutes", cfg->upload_interval_min) != 0 ||
        add_number(root, "min_peers", cfg->min_peers) != 0)
        return -1;
    cJSON *arr = cJSON_AddArrayToObject(root, "domains");
    if (arr == NULL)
        return -1;
    for (unsigned i = 0; i < domains; i++) {
        const struct caps_domain *d = &cfg->domains[i];
        char name[CAPS_DOMAIN_NAME_MAX];
        memcpy(name, d->name, sizeof name);
        name[sizeof name - 1] = '\0';
        cJSON *o = cJSON_CreateObject();
        if (o == NULL || !cJSON_AddItemToArray(arr, o)) {
            cJSON_Delete(o);
            return -1;
        }
        cJSON *inc;
        if (cJSON_AddStringToObject(o, "name", name) == NULL ||
            (inc = cJSON_AddArrayToObject(o, "include")) == NULL ||
            add_ranges(inc, cfg->include, d->include_first, d->include_count, includes) != 0)
            return -1;
    }
    cJSON *ex = cJSON_AddObjectToObject(root, "exclude");
    cJSON *ips = ex != NULL ? cJSON_AddArrayToObject(ex, "ips") : NULL;
    if (ips == NULL || add_ranges(ips, cfg->exclude, 0, excludes, excludes) != 0)
        return -1;
    cJSON *mac_arr = cJSON_AddArrayToObject(ex, "macs");
    if (mac_arr == NULL)
        return -1;
    for (unsigned i = 0; i < macs; i++) {
        char text[18];
        codec_mac_format(cfg->exclude_macs[i], text);
        cJSON *s = cJSON_CreateString(text);
        if (s == NULL || !cJSON_AddItemToArray(mac_arr, s)) {
            cJSON_Delete(s);
            return -1;
        }
    }
    if (add_number(root, "assets_max", cfg->assets_max) != 0 ||
        add_number(root, "stale_after_hours", hours_of(cfg->stale_after_s)) != 0 ||
        add_number(root, "expire_after_hours", hours_of(cfg->expire_after_s)) != 0)
        return -1;
    return 0;
}

char *codec_config_print(const struct caps_config *cfg)
{
    cJSON *root = cJSON_CreateObject();
    if (root == NULL)
        return NULL;
    char *text = NULL;
    if (build_document(root, cfg) == 0)
        text = cJSON_Print(root);
    cJSON_Delete(root);
    if (text == NULL)
        return NULL;
    /* A text file ends with a newline. */
    size_t n = strlen(text);
    char *out = realloc(text, n + 2);
    if (out == NULL) {
        free(text);
        return NULL;
    }
    out[n] = '\n';
    out[n + 1] = '\0';
    return out;
}
