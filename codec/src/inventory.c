/* inventory.c - builds the inventory JSON document from a sensor (cJSON).
 *
 * Deterministic: assets sorted by MAC, sources in enum caps_proto order,
 * counters in table order, integers only (no locale-dependent floats).
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "caps/vendor.h"
#include "codec/inventory.h"

static int cmp_asset_mac(const void *a, const void *b)
{
    const struct caps_asset *x = *(const struct caps_asset *const *)a;
    const struct caps_asset *y = *(const struct caps_asset *const *)b;
    return memcmp(x->mac, y->mac, 6);
}

void codec_mac_format(const uint8_t mac[6], char out[18])
{
    static const char hex[] = "0123456789abcdef";
    for (int i = 0; i < 6; i++) {
        out[i * 3] = hex[mac[i] >> 4];
        out[i * 3 + 1] = hex[mac[i] & 15];
        out[i * 3 + 2] = i == 5 ? '\0' : ':';
    }
}

/* Days since 1970-01-01 to a civil date (H. Hinnant's algorithm), so the
 * output never depends on the host's time zone database. */
static void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t yy = (int64_t)yoe + era * 400;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = yy + (*m <= 2);
}

void codec_time_rfc3339(uint64_t ts_us, char out[21])
{
    uint64_t secs = ts_us / 1000000u;
    int64_t days = (int64_t)(secs / 86400u);
    unsigned sod = (unsigned)(secs % 86400u);
    int64_t y;
    unsigned m, d;

    civil_from_days(days, &y, &m, &d);
    if (y > 9999)
        y = 9999;
    /* Fixed-width digits by hand: every field is bounded, and snprintf's
     * truncation analysis cannot see that. */
    const unsigned fields[6] = {(unsigned)y, m, d, sod / 3600, sod / 60 % 60, sod % 60};
    static const char seps[6] = {'-', '-', 'T', ':', ':', 'Z'};
    size_t o = 0;
    for (int i = 0; i < 6; i++) {
        unsigned v = fields[i];
        if (i == 0) {
            out[o++] = (char)('0' + v / 1000 % 10);
            out[o++] = (char)('0' + v / 100 % 10);
        }
        out[o++] = (char)('0' + v / 10 % 10);
        out[o++] = (char)('0' + v % 10);
        out[o++] = seps[i];
    }
    out[o] = '\0';
}

void codec_utf8_clean(const char *in, char *out, size_t cap)
{
    const unsigned char *p = (const unsigned char *)in;
    size_t o = 0;

    while (*p != '\0') {
        size_t n = 0;
        uint32_t cp = 0;
        unsigned char c = p[0];
        if (c < 0x80) {
            n = 1;
            cp = c;
        } else if (c >= 0xc2 && c <= 0xdf) {
            n = 2;
            cp = c & 0x1fu;
        } else if (c >= 0xe0 && c <= 0xef) {
            n = 3;
            cp = c & 0x0fu;
        } else if (c >= 0xf0 && c <= 0xf4) {
            n = 4;
            cp = c & 0x07u;
        }
        size_t i = 1;
        for (; n > 1 && i < n; i++) {
            if ((p[i] & 0xc0) != 0x80)
                break;
            cp = cp << 6 | (p[i] & 0x3fu);
        }
        int valid = n > 0 && i == n && !(n == 3 && cp < 0x800) &&
                    !(n == 4 && (cp < 0x10000 || cp > 0x10ffff)) &&
                    !(cp >= 0xd800 && cp <= 0xdfff);
        const unsigned char *src = p;
        size_t len = n;
        if (!valid) {
            src = (const unsigned char *)"\xef\xbf\xbd";
            len = 3;
            n = i > 1 ? i : 1;     /* skip the bad lead and its good continuations */
        }
        if (o + len + 1 > cap)
            break;
        memcpy(out + o, src, len);
        o += len;
        p += n;
    }
    out[o] = '\0';
}

static cJSON *add_clean_string(cJSON *obj, const char *key, const char *value)
{
    char clean[512];
    codec_utf8_clean(value, clean, sizeof clean);
    return cJSON_AddStringToObject(obj, key, clean);
}

static cJSON *asset_json(const struct caps_asset *a)
{
    char buf[INET6_ADDRSTRLEN];
    cJSON *o = cJSON_CreateObject();
    if (o == NULL)
        return NULL;

    codec_mac_format(a->mac, buf);
    cJSON_AddStringToObject(o, "mac", buf);
    cJSON *ips = cJSON_AddArrayToObject(o, "ips");
    for (unsigned i = 0; i < a->ip4_count; i++) {
        inet_ntop(AF_INET, a->ip4[i], buf, sizeof buf);
        cJSON_AddItemToArray(ips, cJSON_CreateString(buf));
    }
    for (unsigned i = 0; i < a->ip6_count; i++) {
        inet_ntop(AF_INET6, a->ip6[i], buf, sizeof buf);
        cJSON_AddItemToArray(ips, cJSON_CreateString(buf));
    }
    if (a->hostname[0] != '\0')
        add_clean_string(o, "hostname", a->hostname);
    else
        cJSON_AddNullToObject(o, "hostname");
    /* Derived at output time from the compiled IEEE table: nothing per asset
     * to store, and never for a locally administered (randomized) MAC. */
    const char *vendor = caps_vendor_lookup(a->mac);
    if (vendor != NULL)
        add_clean_string(o, "vendor", vendor);
    else
        cJSON_AddNullToObject(o, "vendor");
    cJSON_AddNullToObject(o, "os");
    cJSON_AddNullToObject(o, "device_type");
    codec_time_rfc3339(a->first_seen_us, buf);
    cJSON_AddStringToObject(o, "first_seen", buf);
    codec_time_rfc3339(a->last_seen_us, buf);
    cJSON_AddStringToObject(o, "last_seen", buf);
    cJSON *src = cJSON_AddArrayToObject(o, "sources");
    for (int p = CAPS_PROTO_FIRST_SOURCE; p < CAPS_PROTO_COUNT; p++)
        if (a->sources & (1u << p))
            cJSON_AddItemToArray(src, cJSON_CreateString(caps_proto_name(p)));
    /* IEEE 802: bit 1 of the first octet marks a locally administered address. */
    cJSON_AddBoolToObject(o, "randomized_mac", (a->mac[0] & 0x02) != 0);
    return o;
}

static cJSON *summary_json(const struct caps_sensor *s)
{
    cJSON *sum = cJSON_CreateObject();
    if (sum == NULL)
        return NULL;
    cJSON_AddNumberToObject(sum, "frames", (double)s->stats.frames);
    cJSON_AddNumberToObject(sum, "bytes", (double)s->stats.bytes);
    cJSON *pk = cJSON_AddObjectToObject(sum, "packets");
    for (int p = 0; p < CAPS_PROTO_COUNT; p++)
        cJSON_AddNumberToObject(pk, caps_proto_name(p), (double)s->stats.packets[p]);
    cJSON *mal = cJSON_AddObjectToObject(sum, "malformed");
    for (int p = 0; p < CAPS_PROTO_COUNT; p++) {
        cJSON *per = NULL;
        for (int r = 1; r < CAPS_ERR_COUNT; r++) {
            uint64_t n = s->stats.malformed[p][r];
            if (n == 0)
                continue;
            if (per == NULL)
                per = cJSON_AddObjectToObject(mal, caps_proto_name(p));
            cJSON_AddNumberToObject(per, caps_err_name(-r), (double)n);
        }
    }
    cJSON_AddNumberToObject(sum, "ip_fragments", (double)s->stats.ip_fragments);
    cJSON *st = cJSON_AddObjectToObject(sum, "assets");
    cJSON_AddNumberToObject(st, "in_scope", (double)s->inv.count);
    cJSON_AddNumberToObject(st, "excluded", 0);
    cJSON_AddNumberToObject(st, "out_of_scope", 0);
    cJSON_AddNumberToObject(st, "evicted", (double)s->inv.evicted);
    return sum;
}

cJSON *codec_inventory_build(const struct caps_sensor *s)
{
    cJSON *doc = cJSON_CreateObject();
    const struct caps_asset **order = NULL;
    uint32_t n = s->inv.count;

    if (doc == NULL)
        return NULL;
    if (n > 0) {
        order = malloc((size_t)n * sizeof *order);
        if (order == NULL) {
            cJSON_Delete(doc);
            return NULL;
        }
        for (uint32_t i = 0; i < n; i++)
            order[i] = &s->inv.assets[i];
        qsort(order, n, sizeof *order, cmp_asset_mac);
    }
    cJSON *assets = cJSON_AddArrayToObject(doc, "assets");
    for (uint32_t i = 0; i < n; i++)
        cJSON_AddItemToArray(assets, asset_json(order[i]));
    free(order);
    cJSON_AddItemToObject(doc, "summary", summary_json(s));
    return doc;
}

int codec_json_write(const cJSON *doc, const char *path)
{
    char *text = cJSON_Print(doc);
    if (text == NULL)
        return -1;
    FILE *f = strcmp(path, "-") == 0 ? stdout : fopen(path, "w");
    int rc = 0;
    if (f == NULL) {
        free(text);
        return -1;
    }
    if (fputs(text, f) == EOF || fputc('\n', f) == EOF)
        rc = -1;
    if (f != stdout) {
        if (fclose(f) != 0)
            rc = -1;
    } else if (fflush(f) != 0) {
        rc = -1;
    }
    free(text);
    return rc;
}
