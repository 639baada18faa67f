/* inventory.c - builds the inventory JSON document from a sensor (cJSON).
 *
 * Deterministic: assets sorted by MAC, sources in enum caps_proto order,
 * counters in table order, integers only (no locale-dependent floats).
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "caps/scope.h"
#include "caps/vendor.h"
#include "codec/inventory.h"
#include "inventory_priv.h"

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

/* A number in [0, 1] from thousandths, printed with three decimals in the C
 * locale (cJSON's own float printing follows the process locale). */
static cJSON *milli_json(unsigned milli)
{
    char buf[16];
    if (milli > 1000)
        milli = 1000;
    snprintf(buf, sizeof buf, "%u.%03u", milli / 1000, milli % 1000);
    return cJSON_CreateRaw(buf);
}

static void add_time(cJSON *o, const char *key, uint64_t ts_us)
{
    char buf[21];
    codec_time_rfc3339(ts_us, buf);
    cJSON_AddStringToObject(o, key, buf);
}

static void add_string_or_null(cJSON *o, const char *key, const char *value)
{
    if (value != NULL && value[0] != '\0')
        add_clean_string(o, key, value);
    else
        cJSON_AddNullToObject(o, key);
}

static void add_ip(cJSON *arr, int af, const uint8_t *ip)
{
    char buf[INET6_ADDRSTRLEN];
    inet_ntop(af, ip, buf, sizeof buf);
    cJSON_AddItemToArray(arr, cJSON_CreateString(buf));
}

static void add_ip_history(cJSON *arr, int af, const uint8_t *ip, uint64_t first_us,
                           uint64_t last_us)
{
    char buf[INET6_ADDRSTRLEN];
    cJSON *h = cJSON_CreateObject();
    inet_ntop(af, ip, buf, sizeof buf);
    cJSON_AddStringToObject(h, "ip", buf);
    add_time(h, "first_seen", first_us);
    add_time(h, "last_seen", last_us);
    cJSON_AddItemToArray(arr, h);
}

/* A rule's text with "$1" replaced by the evidence's capture. */
static void expand(const char *tmpl, const char *capture, char *out, size_t cap)
{
    size_t o = 0;
    for (const char *p = tmpl; *p != '\0' && o + 1 < cap; p++) {
        if (p[0] == '$' && p[1] == '1') {
            for (const char *c = capture; *c != '\0' && o + 1 < cap; c++)
                out[o++] = *c;
            p++;
        } else {
            out[o++] = *p;
        }
    }
    out[o] = '\0';
}

static cJSON *evidence_json(const struct caps_labels *l, const struct caps_fp_db *db)
{
    cJSON *arr = cJSON_CreateArray();
    for (unsigned i = 0; i < l->evidence_count && db != NULL; i++) {
        const struct caps_evidence *e = &l->evidence[i];
        if (e->rule >= db->count)
            continue;
        const struct caps_fp_rule *r = &db->rules[e->rule];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "source", caps_proto_name(e->source));
        cJSON_AddStringToObject(o, "kind", caps_ev_kind_name(e->kind));
        add_clean_string(o, "rule", r->id);
        add_clean_string(o, "match", r->pattern);
        if (e->capture[0] != '\0')
            add_clean_string(o, "captured", e->capture);
        cJSON_AddItemToObject(o, "score", milli_json(r->score_milli));
        cJSON *says = cJSON_AddObjectToObject(o, "says");
        char text[CAPS_FP_TEXT_MAX + CAPS_EV_CAPTURE_MAX];
        if (r->os_family != CAPS_OS_NONE)
            cJSON_AddStringToObject(says, "os", caps_os_family_name(r->os_family));
        if (r->os_version[0] != '\0') {
            expand(r->os_version, e->capture, text, sizeof text);
            add_clean_string(says, "os_version", text);
        }
        if (r->device_type != CAPS_DEV_NONE)
            cJSON_AddStringToObject(says, "device_type", caps_device_type_name(r->device_type));
        if (r->manufacturer[0] != '\0') {
            expand(r->manufacturer, e->capture, text, sizeof text);
            add_clean_string(says, "manufacturer", text);
        }
        if (r->model[0] != '\0') {
            expand(r->model, e->capture, text, sizeof text);
            add_clean_string(says, "model", text);
        }
        cJSON_AddItemToArray(arr, o);
    }
    return arr;
}

static cJSON *asset_json(const struct caps_sensor *s, const struct caps_asset *a,
                         enum caps_scope_status status)
{
    const struct caps_fp_db *db = s->cfg.fingerprints;
    char buf[INET6_ADDRSTRLEN];
    char text[CAPS_FP_TEXT_MAX];
    cJSON *o = cJSON_CreateObject();
    if (o == NULL)
        return NULL;

    codec_mac_format(a->mac, buf);
    cJSON_AddStringToObject(o, "mac", buf);
    cJSON *ips = cJSON_AddArrayToObject(o, "ips");
    for (unsigned i = 0; i < a->ip4_count; i++)
        if (caps_asset_ip4_current(a, i))
            add_ip(ips, AF_INET, a->ip4[i]);
    for (unsigned i = 0; i < a->ip6_count; i++)
        if (caps_asset_ip6_current(a, i))
            add_ip(ips, AF_INET6, a->ip6[i]);
    add_string_or_null(o, "hostname", a->hostname);
    /* Derived at output time from the compiled IEEE table: nothing per asset
     * to store, and never for a locally administered (randomized) MAC. */
    add_string_or_null(o, "vendor", caps_vendor_lookup(a->mac));
    if (a->labels.os_family != CAPS_OS_NONE) {
        cJSON *os = cJSON_AddObjectToObject(o, "os");
        cJSON_AddStringToObject(os, "family", caps_os_family_name(a->labels.os_family));
        caps_fp_os_version(&a->labels, db, text, sizeof text);
        add_string_or_null(os, "version", text);
        cJSON_AddItemToObject(os, "confidence", milli_json(a->labels.os_confidence_milli));
    } else {
        cJSON_AddNullToObject(o, "os");
    }
    add_string_or_null(o, "device_type",
                       a->labels.device_type != CAPS_DEV_NONE
                           ? caps_device_type_name(a->labels.device_type)
                           : NULL);
    if (a->labels.device_type != CAPS_DEV_NONE)
        cJSON_AddItemToObject(o, "device_confidence",
                              milli_json(a->labels.device_confidence_milli));
    caps_fp_manufacturer(&a->labels, db, text, sizeof text);
    add_string_or_null(o, "manufacturer", text);
    caps_fp_model(&a->labels, db, text, sizeof text);
    add_string_or_null(o, "model", text);
    add_time(o, "first_seen", a->first_seen_us);
    add_time(o, "last_seen", a->last_seen_us);
    cJSON *src = cJSON_AddArrayToObject(o, "sources");
    for (int p = CAPS_PROTO_FIRST_SOURCE; p < CAPS_PROTO_COUNT; p++)
        if (a->sources & (1u << p))
            cJSON_AddItemToArray(src, cJSON_CreateString(caps_proto_name(p)));
    /* IEEE 802: bit 1 of the first octet marks a locally administered address. */
    cJSON_AddBoolToObject(o, "randomized_mac", (a->mac[0] & 0x02) != 0);
    cJSON_AddStringToObject(o, "status", caps_scope_status_name(status));
    cJSON_AddBoolToObject(o, "stale", caps_sensor_asset_stale(s, a));
    cJSON *prev = cJSON_AddArrayToObject(o, "previous_macs");
    for (unsigned i = 0; i < a->previous_mac_count; i++) {
        codec_mac_format(a->previous_macs[i], buf);
        cJSON_AddItemToArray(prev, cJSON_CreateString(buf));
    }
    cJSON *hist = cJSON_AddArrayToObject(o, "ip_history");
    for (unsigned i = 0; i < a->ip4_count; i++)
        if (!caps_asset_ip4_current(a, i))
            add_ip_history(hist, AF_INET, a->ip4[i], a->ip4_first_us[i], a->ip4_last_us[i]);
    for (unsigned i = 0; i < a->ip6_count; i++)
        if (!caps_asset_ip6_current(a, i))
            add_ip_history(hist, AF_INET6, a->ip6[i], a->ip6_first_us[i], a->ip6_last_us[i]);
    cJSON *names = cJSON_AddArrayToObject(o, "hostname_history");
    for (unsigned i = 0; i < a->hostname_history_count; i++) {
        cJSON *h = cJSON_CreateObject();
        add_clean_string(h, "hostname", a->hostname_history[i].name);
        add_time(h, "until", a->hostname_history[i].until_us);
        cJSON_AddItemToArray(names, h);
    }
    cJSON_AddItemToObject(o, "evidence", evidence_json(&a->labels, db));
    return o;
}

static cJSON *summary_json(const struct caps_sensor *s, const uint32_t status_count[CAPS_SCOPE_COUNT],
                           uint32_t stale)
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
    cJSON_AddNumberToObject(sum, "off_premises_frames", (double)s->stats.off_premises_frames);
    cJSON_AddBoolToObject(sum, "on_premises", s->on_premises != 0);
    cJSON *st = cJSON_AddObjectToObject(sum, "assets");
    for (int i = 0; i < CAPS_SCOPE_COUNT; i++)
        cJSON_AddNumberToObject(st, caps_scope_status_name((enum caps_scope_status)i),
                                status_count[i]);
    cJSON_AddNumberToObject(st, "stale", stale);
    cJSON_AddNumberToObject(st, "evicted", (double)s->inv.evicted);
    cJSON_AddNumberToObject(st, "expired", (double)s->stats.assets_expired);
    return sum;
}

int codec_inventory_fill(const struct caps_sensor *s, const struct caps_upload *u,
                         cJSON *assets, cJSON **summary)
{
    const struct caps_asset **order = NULL;
    uint32_t n = s->inv.count;
    uint32_t status_count[CAPS_SCOPE_COUNT] = {0};
    uint32_t stale = 0;

    *summary = NULL;
    if (n > 0) {
        order = malloc((size_t)n * sizeof *order);
        if (order == NULL)
            return -1;
        for (uint32_t i = 0; i < n; i++)
            order[i] = &s->inv.assets[i];
        qsort(order, n, sizeof *order, cmp_asset_mac);
    }
    for (uint32_t i = 0; i < n; i++) {
        enum caps_scope_status st = caps_scope_status(&s->cfg, s->domain, order[i]);
        status_count[st]++;
        /* Excluded devices are left out of the inventory, counted only. */
        if (st == CAPS_SCOPE_EXCLUDED)
            continue;
        stale += (uint32_t)caps_sensor_asset_stale(s, order[i]);
        if (u != NULL && !caps_upload_includes(u, order[i]))
            continue;
        cJSON *o = asset_json(s, order[i], st);
        if (o == NULL || !cJSON_AddItemToArray(assets, o)) {
            cJSON_Delete(o);
            free(order);
            return -1;
        }
    }
    free(order);
    *summary = summary_json(s, status_count, stale);
    return *summary == NULL ? -1 : 0;
}

cJSON *codec_inventory_build(const struct caps_sensor *s)
{
    cJSON *doc = cJSON_CreateObject();
    cJSON *summary = NULL;

    if (doc == NULL)
        return NULL;
    cJSON *assets = cJSON_AddArrayToObject(doc, "assets");
    if (assets == NULL || codec_inventory_fill(s, NULL, assets, &summary) != 0 ||
        !cJSON_AddItemToObject(doc, "summary", summary)) {
        cJSON_Delete(summary);
        cJSON_Delete(doc);
        return NULL;
    }
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
