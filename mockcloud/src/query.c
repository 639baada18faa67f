/* query.c - GET /api/v1/assets?q=... and GET /api/v1/assets/MAC.
 *
 * A query is tokens KEY:VALUE joined by "and" (both case-insensitive); a
 * value may be written in double quotes to hold spaces. Each token fills one
 * slot of a single prepared statement (an unset slot matches everything), so
 * no SQL is built from the query. A slot set twice, an unknown key or a value
 * outside its vocabulary is 400 bad_query naming the column and the text.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "cloud_int.h"

/* Longest value of one token. */
#define QUERY_VALUE_BYTES_MAX 256

enum query_slot {
    SLOT_CAPS,        /* inventory.source:CAPS */
    SLOT_AGENT,       /* inventory.source:Agent */
    SLOT_MANAGED,
    SLOT_OS_FAMILY,
    SLOT_DEVICE_TYPE,
    SLOT_VENDOR,
    SLOT_STATUS,
    SLOT_HOSTNAME,
    SLOT_MAC,
    SLOT_COUNT
};

struct query {
    int set[SLOT_COUNT];
    char value[SLOT_COUNT][QUERY_VALUE_BYTES_MAX];
};

/* Vocabularies from DESIGN.md (OS families and device types). */
static const char *const os_families[] = {"windows", "macos", "ios", "ipados", "tvos",
                                          "android", "linux", "chromeos", "freebsd",
                                          "embedded", NULL};
static const char *const device_types[] = {"workstation", "server", "nas", "phone", "tablet",
                                           "printer", "tv", "media_player", "speaker",
                                           "camera", "voip_phone", "game_console", "network",
                                           "iot", NULL};
static const char *const statuses[] = {"in_scope", "out_of_scope", NULL};

static const char known_keys[] = "inventory.source, managed, os.family, device_type, vendor, "
                                 "status, hostname, mac";

static int in_list(const char *v, const char *const *list)
{
    for (size_t i = 0; list[i] != NULL; i++)
        if (strcmp(v, list[i]) == 0)
            return 1;
    return 0;
}

/* Sets slot to value (lower case) for the token at column col. 0, or -1 with
 * msg set. */
static int query_set(struct query *q, const char *key, const char *value, size_t col,
                     char *msg, size_t msg_bytes)
{
    char low[QUERY_VALUE_BYTES_MAX], shown[96];
    int slot;

    cloud_lower_copy(value, low, sizeof low);
    if (strcasecmp(key, "inventory.source") == 0) {
        if (strcmp(low, "caps") != 0 && strcmp(low, "agent") != 0) {
            snprintf(msg, msg_bytes,
                     "q: column %zu: inventory.source must be CAPS or Agent, got %s", col,
                     cloud_quote(value, shown, sizeof shown));
            return -1;
        }
        slot = strcmp(low, "caps") == 0 ? SLOT_CAPS : SLOT_AGENT;
    } else if (strcasecmp(key, "managed") == 0) {
        if (strcmp(low, "true") != 0 && strcmp(low, "false") != 0) {
            snprintf(msg, msg_bytes, "q: column %zu: managed must be true or false, got %s", col,
                     cloud_quote(value, shown, sizeof shown));
            return -1;
        }
        slot = SLOT_MANAGED;
    } else if (strcasecmp(key, "os.family") == 0) {
        if (!in_list(low, os_families)) {
            snprintf(msg, msg_bytes,
                     "q: column %zu: os.family must be one of windows, macos, ios, ipados, tvos, "
                     "android, linux, chromeos, freebsd, embedded, got %s",
                     col, cloud_quote(value, shown, sizeof shown));
            return -1;
        }
        slot = SLOT_OS_FAMILY;
    } else if (strcasecmp(key, "device_type") == 0) {
        if (!in_list(low, device_types)) {
            snprintf(msg, msg_bytes,
                     "q: column %zu: device_type must be one of workstation, server, nas, phone, "
                     "tablet, printer, tv, media_player, speaker, camera, voip_phone, "
                     "game_console, network, iot, got %s",
                     col, cloud_quote(value, shown, sizeof shown));
            return -1;
        }
        slot = SLOT_DEVICE_TYPE;
    } else if (strcasecmp(key, "vendor") == 0) {
        slot = SLOT_VENDOR;
    } else if (strcasecmp(key, "status") == 0) {
        if (!in_list(low, statuses)) {
            snprintf(msg, msg_bytes,
                     "q: column %zu: status must be in_scope or out_of_scope, got %s", col,
                     cloud_quote(value, shown, sizeof shown));
            return -1;
        }
        slot = SLOT_STATUS;
    } else if (strcasecmp(key, "hostname") == 0) {
        slot = SLOT_HOSTNAME;
    } else if (strcasecmp(key, "mac") == 0) {
        if (cloud_mac_normalize(value, low) != 0) {
            snprintf(msg, msg_bytes, "q: column %zu: mac must be a MAC aa:bb:cc:dd:ee:ff, got %s",
                     col, cloud_quote(value, shown, sizeof shown));
            return -1;
        }
        slot = SLOT_MAC;
    } else {
        snprintf(msg, msg_bytes, "q: column %zu: unknown token %s (known: %s)", col,
                 cloud_quote(key, shown, sizeof shown), known_keys);
        return -1;
    }
    if (low[0] == '\0') {
        snprintf(msg, msg_bytes, "q: column %zu: %s needs a value", col, key);
        return -1;
    }
    if (q->set[slot]) {
        snprintf(msg, msg_bytes, "q: column %zu: %s given twice", col, key);
        return -1;
    }
    q->set[slot] = 1;
    memcpy(q->value[slot], low, sizeof low);
    return 0;
}

static int is_space(char ch)
{
    return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r';
}

/* Parses text into q. 0, or -1 with msg set. Every step consumes at least
 * one byte, so the loop is bounded by the text's length. */
static int query_parse(const char *text, struct query *q, char *msg, size_t msg_bytes)
{
    size_t len = strlen(text), pos = 0;
    int want_token = 1, tokens = 0;
    char key[64], value[QUERY_VALUE_BYTES_MAX], shown[96];

    memset(q, 0, sizeof *q);
    if (len > CLOUD_QUERY_BYTES_MAX) {
        snprintf(msg, msg_bytes, "q: %zu bytes exceed %d", len, CLOUD_QUERY_BYTES_MAX);
        return -1;
    }
    while (pos < len) {
        while (pos < len && is_space(text[pos]))
            pos++;
        if (pos == len)
            break;
        size_t start = pos;
        if (!want_token) {
            while (pos < len && !is_space(text[pos]))
                pos++;
            if (pos - start != 3 || strncasecmp(text + start, "and", 3) != 0) {
                snprintf(value, sizeof value, "%.*s", (int)(pos - start), text + start);
                snprintf(msg, msg_bytes, "q: column %zu: expected \"and\", got %s", start + 1,
                         cloud_quote(value, shown, sizeof shown));
                return -1;
            }
            want_token = 1;
            continue;
        }
        while (pos < len && text[pos] != ':' && !is_space(text[pos]))
            pos++;
        snprintf(key, sizeof key, "%.*s", (int)(pos - start), text + start);
        if (pos == len || text[pos] != ':') {
            snprintf(msg, msg_bytes, "q: column %zu: expected KEY:VALUE, got %s", start + 1,
                     cloud_quote(key, shown, sizeof shown));
            return -1;
        }
        pos++;                                       /* the ':' */
        size_t vstart = pos, vlen;
        if (pos < len && text[pos] == '"') {
            const char *close = memchr(text + pos + 1, '"', len - pos - 1);
            if (close == NULL) {
                snprintf(msg, msg_bytes, "q: column %zu: unterminated quoted value", pos + 1);
                return -1;
            }
            vstart = pos + 1;
            vlen = (size_t)(close - (text + vstart));
            pos = (size_t)(close - text) + 1;
        } else {
            while (pos < len && !is_space(text[pos]))
                pos++;
            vlen = pos - vstart;
        }
        if (vlen >= sizeof value) {
            snprintf(msg, msg_bytes, "q: column %zu: value longer than %zu bytes", vstart + 1,
                     sizeof value - 1);
            return -1;
        }
        memcpy(value, text + vstart, vlen);
        value[vlen] = '\0';
        if (query_set(q, key, value, start + 1, msg, msg_bytes) != 0)
            return -1;
        tokens++;
        want_token = 0;
    }
    if (want_token && tokens > 0) {
        snprintf(msg, msg_bytes, "q: column %zu: expected a token after \"and\"", len + 1);
        return -1;
    }
    return 0;
}

static void bind_slot(sqlite3_stmt *st, const struct query *q, enum query_slot slot, int idx)
{
    cloud_bind_text(st, idx, q->set[slot] ? q->value[slot] : NULL);
}

void cloud_assets_query(struct cloud *c, const char *text, struct cloud_response *resp)
{
    char msg[CLOUD_ERRMSG_MAX];
    struct query q;
    sqlite3_stmt *st;

    if (query_parse(text != NULL ? text : "", &q, msg, sizeof msg) != 0) {
        cloud_reply_error(resp, 400, "bad_query", "%s", msg);
        return;
    }
    if (cloud_stmt(c, "SELECT id FROM assets WHERE "
                      "(?1 IS NULL OR caps = 1) AND (?2 IS NULL OR managed = 1) AND "
                      "(?3 IS NULL OR managed = (?3 = 'true')) AND "
                      "(?4 IS NULL OR os_family = ?4) AND (?5 IS NULL OR device_type = ?5) AND "
                      "(?6 IS NULL OR instr(vendor_lc, ?6) > 0) AND "
                      "(?7 IS NULL OR status = ?7) AND (?8 IS NULL OR hostname_lc = ?8) AND "
                      "(?9 IS NULL OR id IN (SELECT asset_id FROM asset_macs WHERE mac = ?9)) "
                      "ORDER BY mac LIMIT ?10", &st) != SQLITE_OK) {
        cloud_reply_db(c, resp, "query");
        return;
    }
    bind_slot(st, &q, SLOT_CAPS, 1);
    bind_slot(st, &q, SLOT_AGENT, 2);
    bind_slot(st, &q, SLOT_MANAGED, 3);
    bind_slot(st, &q, SLOT_OS_FAMILY, 4);
    bind_slot(st, &q, SLOT_DEVICE_TYPE, 5);
    bind_slot(st, &q, SLOT_VENDOR, 6);
    bind_slot(st, &q, SLOT_STATUS, 7);
    bind_slot(st, &q, SLOT_HOSTNAME, 8);
    bind_slot(st, &q, SLOT_MAC, 9);
    sqlite3_bind_int64(st, 10, CLOUD_LIST_ROWS_MAX);
    cJSON *doc = cJSON_CreateObject();
    cJSON *assets = cJSON_AddArrayToObject(doc, "assets");
    int rc = SQLITE_ERROR, n = 0;
    while (assets != NULL && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        cJSON *a = cloud_asset_view(c, sqlite3_column_int64(st, 0), 0);
        if (a == NULL)
            break;
        cJSON_AddItemToArray(assets, a);
        n++;
    }
    if (assets == NULL || rc != SQLITE_DONE) {
        cloud_stmt_done(c, st);
        cJSON_Delete(doc);
        cloud_reply_db(c, resp, "query");
        return;
    }
    cloud_stmt_done(c, st);
    cJSON_AddNumberToObject(doc, "count", n);
    /* The inventory document's summary (DESIGN.md): the matching assets per
     * status and per managed state, and every subnet's latest traffic
     * summary with its packet counts per protocol. */
    cJSON *subnets = cloud_summary_subnets(c);
    if (subnets == NULL) {
        cJSON_Delete(doc);
        cloud_reply_db(c, resp, "query summary");
        return;
    }
    int in_scope = 0, out_of_scope = 0, managed = 0;
    const cJSON *a;
    cJSON_ArrayForEach(a, assets) {
        const cJSON *status = cJSON_GetObjectItemCaseSensitive(a, "status");
        in_scope += cJSON_IsString(status) && strcmp(status->valuestring, "in_scope") == 0;
        out_of_scope += cJSON_IsString(status) && strcmp(status->valuestring, "out_of_scope") == 0;
        managed += cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(a, "managed"));
    }
    cJSON *summary = cJSON_AddObjectToObject(doc, "summary");
    cJSON *counts = cJSON_AddObjectToObject(summary, "assets");
    cJSON_AddNumberToObject(counts, "in_scope", in_scope);
    cJSON_AddNumberToObject(counts, "out_of_scope", out_of_scope);
    cJSON_AddNumberToObject(counts, "managed", managed);
    cJSON_AddNumberToObject(counts, "unmanaged", n - managed);
    cJSON_AddItemToObject(summary, "subnets", subnets);
    cloud_reply_json(resp, 200, doc);
}

void cloud_asset_get(struct cloud *c, const char *mac_text, struct cloud_response *resp)
{
    char mac[18], shown[96];

    if (cloud_mac_normalize(mac_text, mac) != 0) {
        cloud_reply_error(resp, 400, "bad_mac", "/api/v1/assets/MAC: %s is not a MAC "
                          "(aa:bb:cc:dd:ee:ff)", cloud_quote(mac_text, shown, sizeof shown));
        return;
    }
    int64_t id = cloud_asset_by_mac(c, mac);
    if (id < 0) {
        cloud_reply_db(c, resp, "asset lookup");
        return;
    }
    if (id == 0) {
        cloud_reply_error(resp, 404, "not_found", "no asset has the MAC %s", mac);
        return;
    }
    cJSON *a = cloud_asset_view(c, id, 1);
    if (a == NULL) {
        cloud_reply_db(c, resp, "asset view");
        return;
    }
    cloud_reply_json(resp, 200, a);
}
