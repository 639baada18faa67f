/* activate.c - a sensor agent activates with a key and becomes an agent.
 *
 * POST /api/v1/activate {"activation_key", "hostname", "macs"}: checked in
 * this order: the body (400), the key (403), a stored configuration (409);
 * then, in one transaction, the host becomes a managed asset (the asset that
 * already holds one of its MACs, else a managed asset with its hostname,
 * else a new one) and the agent gets a UUID v4 and a 64-hex-digit bearer
 * token from the caller's generator. Unknown body keys are ignored.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cloud_int.h"
#include "codec/inventory.h"   /* codec_time_rfc3339 */

#define ACTIVATION_NAME "activation"
#define TOKEN_RANDOM_BYTES 32

struct activation {
    const char *key;
    const char *hostname;
    char hostname_lc[CLOUD_HOSTNAME_BYTES_MAX + 1];
    char macs[CLOUD_AGENT_MACS_MAX][18];
    int mac_count;
};

static void bad_field(struct cloud_response *resp, const struct cloud_request *req,
                      const char *path, const char *rule, const cJSON *value)
{
    char place[96], shown[96];

    cloud_reply_error(resp, 400, "bad_request", "%s: \"%s\" %s, got %s",
                      cloud_place(req->body, req->body_bytes, ACTIVATION_NAME, path, place,
                                  sizeof place),
                      path + 1, rule, cloud_show(value, shown, sizeof shown));
}

static int text_ok(const cJSON *item, size_t bytes_max)
{
    if (!cJSON_IsString(item) || item->valuestring[0] == '\0' ||
        strlen(item->valuestring) > bytes_max)
        return 0;
    for (const char *p = item->valuestring; *p != '\0'; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7f)
            return 0;                    /* control characters never belong in either */
    return 1;
}

/* Reads the body into a; 0, or -1 with the 400 answered. */
static int activation_read(const struct cloud_request *req, const cJSON *doc,
                           struct activation *a, struct cloud_response *resp)
{
    char place[96], shown[96], path[32];

    if (!cJSON_IsObject(doc)) {
        cloud_reply_error(resp, 400, "bad_request", "%s: the body must be an object, got %s",
                          cloud_place(req->body, req->body_bytes, ACTIVATION_NAME, "", place,
                                      sizeof place),
                          cloud_show(doc, shown, sizeof shown));
        return -1;
    }
    const cJSON *key = cJSON_GetObjectItemCaseSensitive(doc, "activation_key");
    const cJSON *host = cJSON_GetObjectItemCaseSensitive(doc, "hostname");
    const cJSON *macs = cJSON_GetObjectItemCaseSensitive(doc, "macs");
    if (!text_ok(key, CLOUD_ACTIVATION_KEY_BYTES_MAX)) {
        bad_field(resp, req, ".activation_key", "must be a string of 1..256 printable bytes", key);
        return -1;
    }
    if (!text_ok(host, CLOUD_HOSTNAME_BYTES_MAX)) {
        bad_field(resp, req, ".hostname", "must be a string of 1..253 printable bytes", host);
        return -1;
    }
    int n = cJSON_GetArraySize(macs);
    if (!cJSON_IsArray(macs) || n < 1 || n > CLOUD_AGENT_MACS_MAX) {
        bad_field(resp, req, ".macs", "must be an array of 1..32 MACs", macs);
        return -1;
    }
    a->key = key->valuestring;
    a->hostname = host->valuestring;
    cloud_lower_copy(a->hostname, a->hostname_lc, sizeof a->hostname_lc);
    a->mac_count = 0;
    const cJSON *m;
    cJSON_ArrayForEach(m, macs) {
        int i = a->mac_count;
        snprintf(path, sizeof path, ".macs[%d]", i);
        if (!cJSON_IsString(m) || cloud_mac_normalize(m->valuestring, a->macs[i]) != 0) {
            bad_field(resp, req, path, "must be a MAC aa:bb:cc:dd:ee:ff", m);
            return -1;
        }
        for (int j = 0; j < i; j++)
            if (strcmp(a->macs[j], a->macs[i]) == 0) {
                bad_field(resp, req, path, "repeats an earlier MAC", m);
                return -1;
            }
        a->mac_count++;
    }
    return 0;
}

/* 1 when key is accepted, 0 when not, -1 on a database error. */
static int key_known(struct cloud *c, const char *key)
{
    sqlite3_stmt *st;

    if (cloud_stmt(c, "SELECT 1 FROM activation_keys WHERE key = ?1", &st) != SQLITE_OK)
        return -1;
    cloud_bind_text(st, 1, key);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

/* A managed asset already named hostname_lc: its id, 0 none, -1 error. */
static int64_t managed_by_hostname(struct cloud *c, const char *hostname_lc)
{
    sqlite3_stmt *st;

    if (cloud_stmt(c, "SELECT id FROM assets WHERE managed = 1 AND hostname_lc = ?1 "
                      "ORDER BY id LIMIT 1", &st) != SQLITE_OK)
        return -1;
    cloud_bind_text(st, 1, hostname_lc);
    int rc = sqlite3_step(st);
    int64_t id = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : rc == SQLITE_DONE ? 0 : -1;
    sqlite3_finalize(st);
    return id;
}

/* The document of a host no sensor has seen yet: the inventory shape, known
 * only by its agent (first and last seen: the activation). */
static cJSON *host_doc(const struct activation *a, uint64_t now_us)
{
    char when[21];
    cJSON *doc = cJSON_CreateObject();

    codec_time_rfc3339(now_us, when);
    cJSON_AddStringToObject(doc, "mac", a->macs[0]);
    cJSON_AddArrayToObject(doc, "ips");
    cJSON_AddStringToObject(doc, "hostname", a->hostname);
    cJSON_AddNullToObject(doc, "vendor");
    cJSON_AddNullToObject(doc, "os");
    cJSON_AddNullToObject(doc, "device_type");
    cJSON_AddNullToObject(doc, "manufacturer");
    cJSON_AddNullToObject(doc, "model");
    cJSON_AddStringToObject(doc, "first_seen", when);
    cJSON_AddStringToObject(doc, "last_seen", when);
    cJSON_AddArrayToObject(doc, "sources");
    if (cJSON_AddFalseToObject(doc, "randomized_mac") == NULL) {
        cJSON_Delete(doc);
        return NULL;
    }
    return doc;
}

/* Makes the host a managed asset; returns its id or -1. */
static int64_t host_register(struct cloud *c, const struct activation *a, uint64_t now_us)
{
    int64_t id = 0;

    for (int i = 0; i < a->mac_count && id == 0; i++)
        id = cloud_asset_by_mac(c, a->macs[i]);
    if (id == 0)
        id = managed_by_hostname(c, a->hostname_lc);
    if (id < 0)
        return -1;
    if (id == 0) {
        cJSON *doc = host_doc(a, now_us);
        id = doc != NULL ? cloud_asset_insert(c, doc, 1) : -1;
        cJSON_Delete(doc);
        if (id < 0)
            return -1;
    } else {
        cJSON *doc = cloud_asset_doc_load(c, id);
        if (doc == NULL)
            return -1;
        /* The agent knows its own name: it fills a hostname no traffic gave. */
        if (!cJSON_IsString(cJSON_GetObjectItemCaseSensitive(doc, "hostname")))
            cJSON_ReplaceItemInObjectCaseSensitive(doc, "hostname",
                                                   cJSON_CreateString(a->hostname));
        int rc = cloud_asset_update(c, id, doc);
        cJSON_Delete(doc);
        sqlite3_stmt *st;
        if (rc != 0 || cloud_stmt(c, "UPDATE assets SET managed = 1 WHERE id = ?1", &st) !=
                           SQLITE_OK)
            return -1;
        sqlite3_bind_int64(st, 1, id);
        rc = sqlite3_step(st);
        sqlite3_finalize(st);
        if (rc != SQLITE_DONE)
            return -1;
    }
    for (int i = 0; i < a->mac_count; i++)
        if (cloud_asset_mac_add(c, id, a->macs[i]) != 0)
            return -1;
    return id;
}

static void hex_text(const uint8_t *in, size_t n, char *out)
{
    static const char hex[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = hex[in[i] >> 4];
        out[2 * i + 1] = hex[in[i] & 15];
    }
    out[2 * n] = '\0';
}

/* A random (version 4) UUID, RFC 9562 5.4. */
static void uuid_v4(struct cloud *c, char out[37])
{
    uint8_t b[16];
    char hex[33];

    c->rng.fill(c->rng.ctx, b, sizeof b);
    b[6] = (uint8_t)((b[6] & 0x0f) | 0x40);
    b[8] = (uint8_t)((b[8] & 0x3f) | 0x80);
    hex_text(b, sizeof b, hex);
    snprintf(out, 37, "%.8s-%.4s-%.4s-%.4s-%.12s", hex, hex + 8, hex + 12, hex + 16, hex + 20);
}

static int agent_insert(struct cloud *c, const struct activation *a, int64_t asset_id,
                        const char *agent_id, const char *token, uint64_t now_us)
{
    cJSON *macs = cJSON_CreateArray();
    for (int i = 0; i < a->mac_count; i++)
        cJSON_AddItemToArray(macs, cJSON_CreateString(a->macs[i]));
    char *macs_text = cJSON_PrintUnformatted(macs);
    cJSON_Delete(macs);
    sqlite3_stmt *st;
    if (macs_text == NULL ||
        cloud_stmt(c, "INSERT INTO agents(agent_id, token, hostname, macs, asset_id, "
                      "activated_us) VALUES (?1, ?2, ?3, ?4, ?5, ?6)", &st) != SQLITE_OK) {
        free(macs_text);
        return -1;
    }
    cloud_bind_text(st, 1, agent_id);
    cloud_bind_text(st, 2, token);
    cloud_bind_text(st, 3, a->hostname);
    sqlite3_bind_text(st, 4, macs_text, -1, free);
    sqlite3_bind_int64(st, 5, asset_id);
    sqlite3_bind_int64(st, 6, (sqlite3_int64)now_us);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

void cloud_activate(struct cloud *c, const struct cloud_request *req, struct cloud_response *resp)
{
    char err[CLOUD_ERRMSG_MAX], shown[96];
    struct activation a;

    cJSON *doc = cloud_json_parse(req->body, req->body_bytes, ACTIVATION_NAME, err);
    if (doc == NULL) {
        cloud_reply_error(resp, 400, "bad_request", "%s", err);
        return;
    }
    if (activation_read(req, doc, &a, resp) != 0) {
        cJSON_Delete(doc);
        return;
    }
    if (cloud_tx_begin(c) != SQLITE_OK) {
        cJSON_Delete(doc);
        cloud_reply_db(c, resp, "begin");
        return;
    }
    int known = key_known(c, a.key);
    int configured = known == 1 ? cloud_config_stored(c) : 0;
    if (known < 0 || configured < 0) {
        cJSON_Delete(doc);
        cloud_reply_db(c, resp, "activation");
        return;
    }
    if (!known) {
        cloud_tx_rollback(c);
        cloud_reply_error(resp, 403, "unknown_activation_key",
                          "activation key %s is not known to this cloud",
                          cloud_quote(a.key, shown, sizeof shown));
        cJSON_Delete(doc);
        return;
    }
    if (!configured) {
        cloud_tx_rollback(c);
        cloud_reply_error(resp, 409, "not_configured",
                          "no CAPS configuration stored yet: PUT /api/v1/caps/config first");
        cJSON_Delete(doc);
        return;
    }
    char agent_id[37], token[2 * TOKEN_RANDOM_BYTES + 1];
    uint8_t raw[TOKEN_RANDOM_BYTES];
    uuid_v4(c, agent_id);
    c->rng.fill(c->rng.ctx, raw, sizeof raw);
    hex_text(raw, sizeof raw, token);
    int64_t asset_id = host_register(c, &a, req->now_us);
    if (asset_id < 0 || agent_insert(c, &a, asset_id, agent_id, token, req->now_us) != 0 ||
        cloud_tx_commit(c) != SQLITE_OK) {
        cJSON_Delete(doc);
        cloud_reply_db(c, resp, "activation");
        return;
    }
    cJSON_Delete(doc);
    cJSON *out = cJSON_CreateObject();
    cJSON_AddStringToObject(out, "agent_id", agent_id);
    if (cJSON_AddStringToObject(out, "token", token) == NULL) {
        cJSON_Delete(out);
        out = NULL;
    }
    cloud_reply_json(resp, 201, out);
}
