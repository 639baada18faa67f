/* upload.c - the upload payload document: build, check, merge (codec/upload.h).
 *
 * Build reuses the inventory's asset and summary objects (inventory_priv.h).
 * The header check is strict and names field and value, because the cloud
 * answers 400 with its message. Merging works on any JSON the caller holds
 * (spool files, stored assets): it never trusts shapes, and orders its output
 * by mac with a stable tie-break, so the result never depends on pointers.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codec/inventory.h"
#include "codec/upload.h"
#include "inventory_priv.h"

/* 2^53: the largest integer up to which every integer is an exact double. */
#define INTEGER_EXACT_MAX 9007199254740992.0
#define VALUE_TEXT_MAX 48         /* a value quoted in a message, cut beyond */

cJSON *codec_upload_build(const struct caps_sensor *s, const struct caps_upload *u,
                          const struct codec_upload_id *id)
{
    char built_at[21];
    cJSON *summary = NULL;
    cJSON *doc = cJSON_CreateObject();

    if (doc == NULL)
        return NULL;
    codec_time_rfc3339(u->built_us, built_at);
    /* Integers up to 2^53 print exactly: cJSON prints integral doubles
     * without exponent or fraction. */
    int ok = cJSON_AddNumberToObject(doc, "version", CODEC_UPLOAD_VERSION) != NULL &&
             cJSON_AddStringToObject(doc, "agent_id", id->agent_id) != NULL &&
             cJSON_AddStringToObject(doc, "subnet", id->subnet) != NULL &&
             cJSON_AddNumberToObject(doc, "epoch", (double)u->epoch) != NULL &&
             cJSON_AddNumberToObject(doc, "seq", (double)u->seq) != NULL &&
             cJSON_AddBoolToObject(doc, "full", u->full != 0) != NULL &&
             cJSON_AddStringToObject(doc, "built_at", built_at) != NULL;
    cJSON *assets = ok ? cJSON_CreateArray() : NULL;
    if (assets == NULL || codec_inventory_fill(s, u, assets, &summary) != 0 ||
        !cJSON_AddItemToObject(doc, "summary", summary)) {
        cJSON_Delete(assets);
        cJSON_Delete(summary);
        cJSON_Delete(doc);
        return NULL;
    }
    if (!cJSON_AddItemToObject(doc, "assets", assets)) {
        cJSON_Delete(assets);
        cJSON_Delete(doc);
        return NULL;
    }
    return doc;
}

/* ---- the header check ---------------------------------------------------- */

/* A value as a message quotes it: scalars as JSON text (cut to
 * VALUE_TEXT_MAX with "..."), containers by kind, "nothing" when missing. */
static void value_text(const cJSON *v, char *out, size_t cap)
{
    if (v == NULL) {
        snprintf(out, cap, "nothing");
        return;
    }
    if (cJSON_IsObject(v)) {
        snprintf(out, cap, "an object");
        return;
    }
    if (cJSON_IsArray(v)) {
        snprintf(out, cap, "an array");
        return;
    }
    char *text = cJSON_PrintUnformatted(v);
    if (text == NULL) {
        snprintf(out, cap, "a value");
        return;
    }
    if (strlen(text) > VALUE_TEXT_MAX)
        snprintf(out, cap, "%.*s...", VALUE_TEXT_MAX, text);
    else
        snprintf(out, cap, "%s", text);
    free(text);
}

static int head_error(char *err, size_t err_bytes, const char *field, const char *rule,
                      const cJSON *v)
{
    char got[VALUE_TEXT_MAX + 8];
    value_text(v, got, sizeof got);
    snprintf(err, err_bytes, "payload: %s must be %s, got %s", field, rule, got);
    return -1;
}

/* 1 when v is a JSON number holding an integer 0..2^53 (cJSON keeps
 * doubles: 1.5, -1, 1e300 and NaN are refused). */
static int exact_integer(const cJSON *v, uint64_t *out)
{
    if (!cJSON_IsNumber(v))
        return 0;
    double d = v->valuedouble;
    if (!(d >= 0.0 && d <= INTEGER_EXACT_MAX))
        return 0;
    uint64_t n = (uint64_t)d;
    if ((double)n != d)
        return 0;
    *out = n;
    return 1;
}

static int text_field(const cJSON *doc, const char *key, char *out, size_t cap, char *err,
                      size_t err_bytes)
{
    char field[32], rule[64];
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(doc, key);
    size_t n = cJSON_IsString(v) ? strlen(v->valuestring) : 0;

    if (n == 0 || n >= cap) {
        snprintf(field, sizeof field, "\"%s\"", key);
        snprintf(rule, sizeof rule, "a string of 1..%zu bytes", cap - 1);
        return head_error(err, err_bytes, field, rule, v);
    }
    memcpy(out, v->valuestring, n + 1);
    return 0;
}

static int integer_field(const cJSON *doc, const char *key, uint64_t *out, char *err,
                         size_t err_bytes)
{
    char field[32];
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(doc, key);

    if (exact_integer(v, out))
        return 0;
    snprintf(field, sizeof field, "\"%s\"", key);
    return head_error(err, err_bytes, field, "an integer 0..2^53", v);
}

/* "aa:bb:cc:dd:ee:ff": six pairs of lower-case hex digits, colons between. */
static int mac_text_valid(const char *t)
{
    for (int i = 0; i < 17; i++) {
        char c = t[i];
        if (i % 3 == 2) {
            if (c != ':')
                return 0;
        } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
            return 0;
        }
    }
    return t[17] == '\0';
}

int codec_upload_parse_head(const cJSON *doc, struct codec_upload_head *out, char *err,
                            size_t err_bytes)
{
    uint64_t version = 0;
    char field[48];

    memset(out, 0, sizeof *out);
    if (!cJSON_IsObject(doc))
        return head_error(err, err_bytes, "the document", "an object", doc);
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(doc, "version");
    if (!exact_integer(v, &version) || version != CODEC_UPLOAD_VERSION)
        return head_error(err, err_bytes, "\"version\"", "1", v);
    if (text_field(doc, "agent_id", out->agent_id, sizeof out->agent_id, err, err_bytes) != 0 ||
        text_field(doc, "subnet", out->subnet, sizeof out->subnet, err, err_bytes) != 0 ||
        integer_field(doc, "epoch", &out->epoch, err, err_bytes) != 0 ||
        integer_field(doc, "seq", &out->seq, err, err_bytes) != 0)
        return -1;
    v = cJSON_GetObjectItemCaseSensitive(doc, "full");
    if (!cJSON_IsBool(v))
        return head_error(err, err_bytes, "\"full\"", "true or false", v);
    out->full = cJSON_IsTrue(v);
    const cJSON *assets = cJSON_GetObjectItemCaseSensitive(doc, "assets");
    if (!cJSON_IsArray(assets))
        return head_error(err, err_bytes, "\"assets\"", "an array", assets);
    size_t i = 0;
    for (const cJSON *a = assets->child; a != NULL; a = a->next, i++) {
        if (!cJSON_IsObject(a)) {
            snprintf(field, sizeof field, "\"assets\"[%zu]", i);
            return head_error(err, err_bytes, field, "an object", a);
        }
        const cJSON *mac = cJSON_GetObjectItemCaseSensitive(a, "mac");
        if (!cJSON_IsString(mac) || !mac_text_valid(mac->valuestring)) {
            snprintf(field, sizeof field, "\"assets\"[%zu].\"mac\"", i);
            return head_error(err, err_bytes, field,
                              "a lower-case MAC like \"aa:bb:cc:dd:ee:ff\"", mac);
        }
    }
    return 0;
}

/* ---- merging --------------------------------------------------------------- */

/* 1 when the array arr holds an item equal to v. */
static int array_has(const cJSON *arr, const cJSON *v)
{
    for (const cJSON *x = arr->child; x != NULL; x = x->next)
        if (cJSON_Compare(x, v, 1))
            return 1;
    return 0;
}

/* newer's items, then older's not among them, without duplicates. Quadratic
 * in the lengths: ips and sources hold a handful of items each. */
static cJSON *union_json(const cJSON *older, const cJSON *newer)
{
    cJSON *u = cJSON_CreateArray();
    const cJSON *from[2] = {newer, older};

    if (u == NULL)
        return NULL;
    for (int k = 0; k < 2; k++)
        for (const cJSON *x = from[k]->child; x != NULL; x = x->next) {
            if (array_has(u, x))
                continue;
            cJSON *d = cJSON_Duplicate(x, 1);
            if (d == NULL || !cJSON_AddItemToArray(u, d)) {
                cJSON_Delete(d);
                cJSON_Delete(u);
                return NULL;
            }
        }
    return u;
}

/* Sets key of obj to v (taken): in place when present, else appended. */
static int set_item(cJSON *obj, const char *key, cJSON *v)
{
    if (v == NULL)
        return -1;
    cJSON_bool ok = cJSON_GetObjectItemCaseSensitive(obj, key) != NULL
                        ? cJSON_ReplaceItemInObjectCaseSensitive(obj, key, v)
                        : cJSON_AddItemToObject(obj, key, v);
    if (!ok) {
        cJSON_Delete(v);
        return -1;
    }
    return 0;
}

enum merge_kind { MERGE_NEWER, MERGE_EARLIEST, MERGE_LATEST, MERGE_UNION };

static enum merge_kind merge_kind_of(const char *key)
{
    if (strcmp(key, "first_seen") == 0)
        return MERGE_EARLIEST;
    if (strcmp(key, "last_seen") == 0)
        return MERGE_LATEST;
    if (strcmp(key, "ips") == 0 || strcmp(key, "sources") == 0)
        return MERGE_UNION;
    return MERGE_NEWER;
}

int codec_asset_merge(cJSON *older, const cJSON *newer)
{
    if (!cJSON_IsObject(older) || !cJSON_IsObject(newer))
        return 0;
    for (const cJSON *nv = newer->child; nv != NULL; nv = nv->next) {
        const char *key = nv->string;
        if (key == NULL)
            continue;
        cJSON *ov = cJSON_GetObjectItemCaseSensitive(older, key);
        cJSON *v = NULL;
        switch (merge_kind_of(key)) {
        case MERGE_EARLIEST:
        case MERGE_LATEST:
            /* RFC 3339 UTC at one precision sorts lexically. */
            if (cJSON_IsString(ov) && cJSON_IsString(nv)) {
                int c = strcmp(nv->valuestring, ov->valuestring);
                int newer_wins = merge_kind_of(key) == MERGE_EARLIEST ? c < 0 : c > 0;
                if (newer_wins)
                    v = cJSON_Duplicate(nv, 1);
                else
                    continue;
            } else if (ov != NULL && (cJSON_IsNull(nv) || cJSON_IsString(ov))) {
                continue;
            } else {
                v = cJSON_Duplicate(nv, 1);
            }
            break;
        case MERGE_UNION:
            if (cJSON_IsArray(ov) && cJSON_IsArray(nv))
                v = union_json(ov, nv);
            else if (ov != NULL && cJSON_IsNull(nv))
                continue;
            else
                v = cJSON_Duplicate(nv, 1);
            break;
        case MERGE_NEWER:
            if (ov != NULL && cJSON_IsNull(nv))
                continue;
            v = cJSON_Duplicate(nv, 1);
            break;
        }
        if (set_item(older, key, v) != 0)
            return -1;
    }
    return 0;
}

/* One asset of either payload, with what orders it: mac, then the older
 * payload first, then its place in its payload. */
struct merge_item {
    const char *mac;
    int from_newer;
    size_t index;
    const cJSON *asset;
};

static int cmp_merge_item(const void *a, const void *b)
{
    const struct merge_item *x = a, *y = b;
    int c = strcmp(x->mac, y->mac);
    if (c != 0)
        return c;
    if (x->from_newer != y->from_newer)
        return x->from_newer - y->from_newer;
    return x->index < y->index ? -1 : x->index > y->index;
}

/* Collects the assets (objects with a string mac) of doc into items. */
static size_t collect_assets(const cJSON *doc, int from_newer, struct merge_item *items,
                             size_t n)
{
    const cJSON *assets = cJSON_GetObjectItemCaseSensitive(doc, "assets");
    size_t index = 0;

    if (!cJSON_IsArray(assets))
        return n;
    for (const cJSON *a = assets->child; a != NULL; a = a->next, index++) {
        const cJSON *mac = cJSON_GetObjectItemCaseSensitive(a, "mac");
        if (!cJSON_IsObject(a) || !cJSON_IsString(mac))
            continue;
        items[n].mac = mac->valuestring;
        items[n].from_newer = from_newer;
        items[n].index = index;
        items[n].asset = a;
        n++;
    }
    return n;
}

static size_t count_assets(const cJSON *doc)
{
    const cJSON *assets = cJSON_GetObjectItemCaseSensitive(doc, "assets");
    return cJSON_IsArray(assets) ? (size_t)cJSON_GetArraySize(assets) : 0;
}

/* The assets of both, merged by mac (older first, so newer wins), sorted. */
static cJSON *merged_assets(const cJSON *older, const cJSON *newer)
{
    size_t cap = count_assets(older) + count_assets(newer);
    struct merge_item *items = malloc((cap > 0 ? cap : 1) * sizeof *items);
    cJSON *out = cJSON_CreateArray();
    cJSON *last = NULL;

    if (items == NULL || out == NULL)
        goto fail;
    size_t n = collect_assets(older, 0, items, 0);
    n = collect_assets(newer, 1, items, n);
    qsort(items, n, sizeof *items, cmp_merge_item);
    for (size_t i = 0; i < n; i++) {
        if (last != NULL && i > 0 && strcmp(items[i].mac, items[i - 1].mac) == 0) {
            if (codec_asset_merge(last, items[i].asset) != 0)
                goto fail;
            continue;
        }
        last = cJSON_Duplicate(items[i].asset, 1);
        if (last == NULL || !cJSON_AddItemToArray(out, last)) {
            cJSON_Delete(last);
            goto fail;
        }
    }
    free(items);
    return out;
fail:
    free(items);
    cJSON_Delete(out);
    return NULL;
}

cJSON *codec_upload_merge(const cJSON *older, const cJSON *newer)
{
    cJSON *doc = cJSON_CreateObject();
    cJSON *assets = merged_assets(older, newer);
    int full = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(older, "full")) ||
               cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(newer, "full"));
    int placed = 0;

    if (doc == NULL || assets == NULL)
        goto fail;
    /* newer's header and summary in newer's key order; "assets" where newer
     * had it (last when it had none). */
    for (const cJSON *v = cJSON_IsObject(newer) ? newer->child : NULL; v != NULL; v = v->next) {
        if (v->string == NULL || cJSON_GetObjectItemCaseSensitive(doc, v->string) != NULL)
            continue;     /* a duplicate key: the first one counts, as on lookup */
        cJSON *d;
        if (strcmp(v->string, "assets") == 0) {
            d = assets;
            assets = NULL;
            placed = 1;
        } else if (strcmp(v->string, "full") == 0) {
            d = cJSON_CreateBool(full);
        } else {
            d = cJSON_Duplicate(v, 1);
        }
        if (d == NULL || !cJSON_AddItemToObject(doc, v->string, d)) {
            cJSON_Delete(d);
            goto fail;
        }
    }
    if (full && cJSON_GetObjectItemCaseSensitive(doc, "full") == NULL &&
        cJSON_AddBoolToObject(doc, "full", 1) == NULL)
        goto fail;
    if (!placed) {
        if (!cJSON_AddItemToObject(doc, "assets", assets))
            goto fail;
        assets = NULL;
    }
    return doc;
fail:
    cJSON_Delete(assets);
    cJSON_Delete(doc);
    return NULL;
}
