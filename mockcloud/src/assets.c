/* assets.c - the asset store: one row per device, found by any of its MACs.
 *
 * An asset's document is the merged inventory object (JSON text) under its
 * primary MAC; the columns beside it (hostname, vendor, os family, device
 * type, status; lower case) are derived from the document on every write, so
 * queries never disagree with what is shown. A MAC belongs to one asset only:
 * the first that recorded it.
 */
#include <stdlib.h>
#include <string.h>

#include "cloud_int.h"

/* Longest value kept in an indexed column (longer ones are cut there; the
 * document keeps the whole value). */
#define ASSET_COLUMN_BYTES_MAX 256
/* MACs shown per asset (a host registers at most CLOUD_AGENT_MACS_MAX, and
 * CAPS adds the ones it merged by hostname). */
#define ASSET_MACS_SHOWN_MAX 256

int64_t cloud_asset_by_mac(struct cloud *c, const char *mac)
{
    sqlite3_stmt *st;

    if (cloud_stmt(c, "SELECT asset_id FROM asset_macs WHERE mac = ?1", &st) != SQLITE_OK)
        return -1;
    cloud_bind_text(st, 1, mac);
    int rc = sqlite3_step(st);
    int64_t id = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : rc == SQLITE_DONE ? 0 : -1;
    sqlite3_finalize(st);
    return id;
}

int cloud_asset_mac_add(struct cloud *c, int64_t id, const char *mac)
{
    sqlite3_stmt *st;

    if (cloud_stmt(c, "INSERT OR IGNORE INTO asset_macs(mac, asset_id) VALUES (?1, ?2)", &st) !=
        SQLITE_OK)
        return -1;
    cloud_bind_text(st, 1, mac);
    sqlite3_bind_int64(st, 2, id);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

cJSON *cloud_asset_doc_load(struct cloud *c, int64_t id)
{
    sqlite3_stmt *st;

    if (cloud_stmt(c, "SELECT doc FROM assets WHERE id = ?1", &st) != SQLITE_OK)
        return NULL;
    sqlite3_bind_int64(st, 1, id);
    cJSON *doc = sqlite3_step(st) == SQLITE_ROW ? cJSON_Parse(cloud_col_text(st, 0)) : NULL;
    sqlite3_finalize(st);
    return doc;
}

/* Binds the lower-cased string at doc[key] (or doc[key][sub]) to idx, or NULL. */
static void bind_column(sqlite3_stmt *st, int idx, const cJSON *doc, const char *key,
                        const char *sub)
{
    char low[ASSET_COLUMN_BYTES_MAX];
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(doc, key);

    if (sub != NULL)
        item = cJSON_IsObject(item) ? cJSON_GetObjectItemCaseSensitive(item, sub) : NULL;
    if (!cJSON_IsString(item)) {
        sqlite3_bind_null(st, idx);
        return;
    }
    cloud_lower_copy(item->valuestring, low, sizeof low);
    cloud_bind_text(st, idx, low);
}

/* Binds doc's text and its derived columns to ?2..?7 of st. */
static int bind_doc(sqlite3_stmt *st, const cJSON *doc)
{
    char *text = cJSON_PrintUnformatted(doc);
    if (text == NULL)
        return -1;
    sqlite3_bind_text(st, 2, text, -1, free);
    bind_column(st, 3, doc, "hostname", NULL);
    bind_column(st, 4, doc, "vendor", NULL);
    bind_column(st, 5, doc, "os", "family");
    bind_column(st, 6, doc, "device_type", NULL);
    bind_column(st, 7, doc, "status", NULL);
    return 0;
}

int64_t cloud_asset_insert(struct cloud *c, const cJSON *doc, int managed)
{
    const cJSON *mac = cJSON_GetObjectItemCaseSensitive(doc, "mac");
    sqlite3_stmt *st;

    if (!cJSON_IsString(mac))
        return -1;
    if (cloud_stmt(c, "INSERT INTO assets(mac, doc, hostname_lc, vendor_lc, os_family, "
                      "device_type, status, managed) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                   &st) != SQLITE_OK)
        return -1;
    cloud_bind_text(st, 1, mac->valuestring);
    sqlite3_bind_int(st, 8, managed != 0);
    int rc = bind_doc(st, doc) == 0 ? sqlite3_step(st) : SQLITE_NOMEM;
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return -1;
    int64_t id = sqlite3_last_insert_rowid(c->db);
    return cloud_asset_mac_add(c, id, mac->valuestring) == 0 ? id : -1;
}

int cloud_asset_update(struct cloud *c, int64_t id, const cJSON *doc)
{
    sqlite3_stmt *st;

    if (cloud_stmt(c, "UPDATE assets SET doc = ?2, hostname_lc = ?3, vendor_lc = ?4, "
                      "os_family = ?5, device_type = ?6, status = ?7 WHERE id = ?1",
                   &st) != SQLITE_OK)
        return -1;
    sqlite3_bind_int64(st, 1, id);
    int rc = bind_doc(st, doc) == 0 ? sqlite3_step(st) : SQLITE_NOMEM;
    sqlite3_finalize(st);
    return rc == SQLITE_DONE && sqlite3_changes(c->db) == 1 ? 0 : -1;
}

/* Sets key on obj to item, replacing what the document carried under it. */
static int set_member(cJSON *obj, const char *key, cJSON *item)
{
    if (item == NULL)
        return -1;
    cJSON_DeleteItemFromObjectCaseSensitive(obj, key);
    cJSON_AddItemToObject(obj, key, item);
    return 0;
}

static cJSON *asset_macs(struct cloud *c, int64_t id)
{
    cJSON *macs = cJSON_CreateArray();
    sqlite3_stmt *st;

    if (macs == NULL ||
        cloud_stmt(c, "SELECT mac FROM asset_macs WHERE asset_id = ?1 ORDER BY mac", &st) !=
            SQLITE_OK) {
        cJSON_Delete(macs);
        return NULL;
    }
    sqlite3_bind_int64(st, 1, id);
    int rc, n = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && n++ < ASSET_MACS_SHOWN_MAX)
        cJSON_AddItemToArray(macs, cJSON_CreateString(cloud_col_text(st, 0)));
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
        cJSON_Delete(macs);
        return NULL;
    }
    return macs;
}

static cJSON *string_or_null(sqlite3_stmt *st, int idx)
{
    if (sqlite3_column_type(st, idx) == SQLITE_NULL)
        return cJSON_CreateNull();
    return cJSON_CreateString(cloud_col_text(st, idx));
}

cJSON *cloud_asset_view(struct cloud *c, int64_t id, int with_caps)
{
    sqlite3_stmt *st;

    if (cloud_stmt(c, "SELECT doc, managed, caps, caps_agent_id, caps_first_found, "
                      "caps_last_seen FROM assets WHERE id = ?1", &st) != SQLITE_OK)
        return NULL;
    sqlite3_bind_int64(st, 1, id);
    if (sqlite3_step(st) != SQLITE_ROW) {
        sqlite3_finalize(st);
        return NULL;
    }
    cJSON *doc = cJSON_Parse(cloud_col_text(st, 0));
    int managed = sqlite3_column_int(st, 1), caps = sqlite3_column_int(st, 2);
    cJSON *sources = cJSON_CreateArray();
    if (managed)
        cJSON_AddItemToArray(sources, cJSON_CreateString("Agent"));
    if (caps)
        cJSON_AddItemToArray(sources, cJSON_CreateString("CAPS"));
    int bad = doc == NULL || set_member(doc, "macs", asset_macs(c, id)) != 0 ||
              set_member(doc, "managed", cJSON_CreateBool(managed)) != 0;
    if (!bad) {
        bad = set_member(doc, "inventory_sources", sources) != 0;
        sources = NULL;                 /* the document owns it now */
    }
    if (!bad && with_caps) {
        cJSON *cap = caps ? cJSON_CreateObject() : cJSON_CreateNull();
        if (caps && cap != NULL) {
            cJSON_AddItemToObject(cap, "agent_id", string_or_null(st, 3));
            cJSON_AddItemToObject(cap, "first_found", string_or_null(st, 4));
            cJSON_AddItemToObject(cap, "last_seen", string_or_null(st, 5));
        }
        bad = set_member(doc, "caps", cap) != 0;
    }
    sqlite3_finalize(st);
    cJSON_Delete(sources);
    if (bad) {
        cJSON_Delete(doc);
        return NULL;
    }
    return doc;
}
