/* ingest.c - POST /api/v1/caps/uploads: a leader's payload into the inventory.
 *
 * Every check (token, encoding, sizes, gzip, JSON, header, fields, agent)
 * comes before any write; then one IMMEDIATE transaction: a known key is a
 * duplicate, a lower epoch is fenced (both roll back), else the assets merge
 * and the subnet moves on, and the answer follows the COMMIT. All or nothing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cloud_int.h"
#include "codec/upload.h"

#define PAYLOAD_NAME "payload"
/* SQL: the inserted row's summary is later than the stored one by (epoch, seq). */
#define SUMMARY_NEWER                                                                  \
    "(summary_epoch IS NULL OR excluded.summary_epoch > summary_epoch OR "             \
    "(excluded.summary_epoch = summary_epoch AND excluded.summary_seq > summary_seq))"
/* Members the cloud adds to an asset when it shows it: never taken from a
 * payload, so a sensor cannot claim an asset managed. */
static const char *const cloud_owned_keys[] = {"macs", "managed", "inventory_sources", "caps"};

struct ingest {
    const uint8_t *text;          /* the JSON text (inflated when gzip) */
    size_t len;
    cJSON *doc;
    const cJSON *assets;
    const cJSON *summary;
    struct codec_upload_head head;
    char agent_id[CODEC_AGENT_ID_MAX];   /* the token's agent */
};

/* ------------------------------------------------------------------ checks */

/* The token's agent into agent_id; 0, or -1 with the 401 (or 500) answered. */
static int ingest_auth(struct cloud *c, const char *authorization, char *agent_id,
                       struct cloud_response *resp)
{
    static const char hint[] = "send Authorization: Bearer TOKEN with the token "
                               "POST /api/v1/activate answered";
    const char *a = authorization;

    if (a == NULL || a[0] == '\0') {
        cloud_reply_error(resp, 401, "unauthorized", "missing bearer token: %s", hint);
        return -1;
    }
    /* RFC 7235 2.1: the scheme is case-insensitive, then one or more spaces. */
    if (strlen(a) < 7 || strncasecmp(a, "bearer", 6) != 0 || a[6] != ' ') {
        cloud_reply_error(resp, 401, "unauthorized",
                          "Authorization scheme must be Bearer: %s", hint);
        return -1;
    }
    const char *token = a + 6;
    for (int i = 0; *token == ' ' && i < 64; i++)
        token++;
    if (*token == '\0') {
        cloud_reply_error(resp, 401, "unauthorized", "missing bearer token after \"Bearer\": %s",
                          hint);
        return -1;
    }
    sqlite3_stmt *st;
    if (cloud_stmt(c, "SELECT agent_id FROM agents WHERE token = ?1", &st) != SQLITE_OK) {
        cloud_reply_db(c, resp, "token lookup");
        return -1;
    }
    cloud_bind_text(st, 1, token);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        snprintf(agent_id, CODEC_AGENT_ID_MAX, "%s", cloud_col_text(st, 0));
    cloud_stmt_done(c, st);
    if (rc == SQLITE_DONE) {
        cloud_reply_error(resp, 401, "unauthorized",
                          "unknown bearer token (%zu characters): activate again", strlen(token));
        return -1;
    }
    if (rc != SQLITE_ROW) {
        cloud_reply_db(c, resp, "token lookup");
        return -1;
    }
    return 0;
}

static int is_digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return 1;
}

static int num2(const char *s)
{
    return (s[0] - '0') * 10 + (s[1] - '0');
}

/* "YYYY-MM-DDTHH:MM:SSZ" as the codec writes it (RFC 3339, UTC, seconds):
 * this form sorts as text in time order, which the first/last merge uses. */
static int rfc3339_ok(const cJSON *item)
{
    if (!cJSON_IsString(item))
        return 0;
    const char *s = item->valuestring;
    if (strlen(s) != 20 || !is_digits(s, 4) || s[4] != '-' || !is_digits(s + 5, 2) ||
        s[7] != '-' || !is_digits(s + 8, 2) || s[10] != 'T' || !is_digits(s + 11, 2) ||
        s[13] != ':' || !is_digits(s + 14, 2) || s[16] != ':' || !is_digits(s + 17, 2) ||
        s[19] != 'Z')
        return 0;
    int mon = num2(s + 5), day = num2(s + 8);
    return mon >= 1 && mon <= 12 && day >= 1 && day <= 31 && num2(s + 11) <= 23 &&
           num2(s + 14) <= 59 && num2(s + 17) <= 60;    /* 60: a leap second */
}

static int string_or_null(const cJSON *item)
{
    return item == NULL || cJSON_IsNull(item) || cJSON_IsString(item);
}

static int strings_or_absent(const cJSON *item)
{
    const cJSON *e;

    if (item == NULL)
        return 1;
    if (!cJSON_IsArray(item))
        return 0;
    cJSON_ArrayForEach(e, item)
        if (!cJSON_IsString(e))
            return 0;
    return 1;
}

static void bad_asset(struct cloud_response *resp, const struct ingest *in, int i,
                      const char *field, const char *rule, const cJSON *value)
{
    char path[64], place[96], shown[96];

    snprintf(path, sizeof path, ".assets[%d].%s", i, field);
    cloud_reply_error(resp, 400, "bad_payload", "%s: \"%s\" %s, got %s",
                      cloud_place(in->text, in->len, PAYLOAD_NAME, path, place, sizeof place),
                      path + 1, rule, cloud_show(value, shown, sizeof shown));
}

/* The fields the cloud indexes or merges must have their types, so a stored
 * document never breaks a query. 0, or -1 with the 400 answered. */
static int asset_check(const struct ingest *in, int i, const cJSON *a,
                       struct cloud_response *resp)
{
    static const char *const texts[] = {"hostname", "vendor", "device_type", "status",
                                        "manufacturer", "model"};
    static const char *const lists[] = {"ips", "sources"};
    static const char *const times[] = {"first_seen", "last_seen"};

    for (size_t k = 0; k < sizeof times / sizeof times[0]; k++) {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(a, times[k]);
        if (!rfc3339_ok(v)) {
            bad_asset(resp, in, i, times[k], "must be an RFC 3339 UTC time YYYY-MM-DDTHH:MM:SSZ",
                      v);
            return -1;
        }
    }
    for (size_t k = 0; k < sizeof texts / sizeof texts[0]; k++) {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(a, texts[k]);
        if (!string_or_null(v)) {
            bad_asset(resp, in, i, texts[k], "must be a string or null", v);
            return -1;
        }
    }
    for (size_t k = 0; k < sizeof lists / sizeof lists[0]; k++) {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(a, lists[k]);
        if (!strings_or_absent(v)) {
            bad_asset(resp, in, i, lists[k], "must be an array of strings", v);
            return -1;
        }
    }
    const cJSON *os = cJSON_GetObjectItemCaseSensitive(a, "os");
    if (os != NULL && !cJSON_IsNull(os) &&
        (!cJSON_IsObject(os) ||
         !string_or_null(cJSON_GetObjectItemCaseSensitive(os, "family")))) {
        bad_asset(resp, in, i, "os", "must be null or an object whose family is a string", os);
        return -1;
    }
    return 0;
}

struct mac_slot {
    char mac[18];
    int index;
};

static int mac_slot_cmp(const void *a, const void *b)
{
    const struct mac_slot *x = a, *y = b;
    int d = strcmp(x->mac, y->mac);
    return d != 0 ? d : (x->index > y->index) - (x->index < y->index);
}

/* One entry per MAC: two objects for one device would merge in an order the
 * sensor did not choose. 0, or -1 with the 400 (or 500) answered. */
static int assets_unique(const struct ingest *in, int n, struct cloud_response *resp)
{
    struct mac_slot *slots = malloc((size_t)(n ? n : 1) * sizeof *slots);
    const cJSON *a;
    int i = 0;

    if (slots == NULL) {
        cloud_reply_error(resp, 500, "internal", "out of memory for %d assets", n);
        return -1;
    }
    cJSON_ArrayForEach(a, in->assets) {
        if (i >= n)
            break;
        const cJSON *mac = cJSON_GetObjectItemCaseSensitive(a, "mac");
        snprintf(slots[i].mac, sizeof slots[i].mac, "%s",
                 cJSON_IsString(mac) ? mac->valuestring : "");
        slots[i].index = i;
        i++;
    }
    qsort(slots, (size_t)i, sizeof *slots, mac_slot_cmp);
    for (int k = 1; k < i; k++)
        if (strcmp(slots[k - 1].mac, slots[k].mac) == 0) {
            char rule[64];
            snprintf(rule, sizeof rule, "repeats assets[%d].mac", slots[k - 1].index);
            bad_asset(resp, in, slots[k].index, "mac", rule,
                      cJSON_GetObjectItemCaseSensitive(
                          cJSON_GetArrayItem(in->assets, slots[k].index), "mac"));
            free(slots);
            return -1;
        }
    free(slots);
    return 0;
}

/* Everything about the payload that needs no database. 0, or -1 answered. */
static int payload_check(struct ingest *in, struct cloud_response *resp)
{
    char err[CLOUD_ERRMSG_MAX], place[96], shown[96];

    in->doc = cloud_json_parse(in->text, in->len, PAYLOAD_NAME, err);
    if (in->doc == NULL) {
        cloud_reply_error(resp, 400, "bad_payload", "%s", err);
        return -1;
    }
    if (!cJSON_IsObject(in->doc)) {
        cloud_reply_error(resp, 400, "bad_payload", "%s: the payload must be an object, got %s",
                          cloud_place(in->text, in->len, PAYLOAD_NAME, "", place, sizeof place),
                          cloud_show(in->doc, shown, sizeof shown));
        return -1;
    }
    if (codec_upload_parse_head(in->doc, &in->head, err, sizeof err) != 0) {
        cloud_reply_error(resp, 400, "bad_payload", "%s", err);
        return -1;
    }
    if (strcmp(in->head.agent_id, in->agent_id) != 0) {
        cloud_reply_error(resp, 403, "forbidden",
                          "payload agent_id %s is not the agent of this token (%s)",
                          cloud_quote(in->head.agent_id, shown, sizeof shown), in->agent_id);
        return -1;
    }
    in->summary = cJSON_GetObjectItemCaseSensitive(in->doc, "summary");
    if (!cJSON_IsObject(in->summary)) {
        cloud_reply_error(resp, 400, "bad_payload", "%s: \"summary\" must be an object, got %s",
                          cloud_place(in->text, in->len, PAYLOAD_NAME, ".summary", place,
                                      sizeof place),
                          cloud_show(in->summary, shown, sizeof shown));
        return -1;
    }
    in->assets = cJSON_GetObjectItemCaseSensitive(in->doc, "assets");
    int n = cJSON_GetArraySize(in->assets);
    if (n > CLOUD_PAYLOAD_ASSETS_MAX) {
        cloud_reply_error(resp, 413, "too_large", "payload: %d assets exceed %d per payload", n,
                          CLOUD_PAYLOAD_ASSETS_MAX);
        return -1;
    }
    const cJSON *a;
    int i = 0;
    cJSON_ArrayForEach(a, in->assets) {
        if (asset_check(in, i, a, resp) != 0)
            return -1;
        i++;
    }
    return assets_unique(in, n, resp);
}

/* ------------------------------------------------------------------ writes */

enum ingest_rc { INGEST_OK = 0, INGEST_DB = -1, INGEST_DUPLICATE = 1, INGEST_FENCED = 2 };

/* 1 when (agent, epoch, seq) was accepted before, 0 not, -1 error. */
static int upload_seen(struct cloud *c, const struct ingest *in)
{
    sqlite3_stmt *st;

    if (cloud_stmt(c, "SELECT 1 FROM uploads WHERE agent_id = ?1 AND epoch = ?2 AND seq = ?3",
                   &st) != SQLITE_OK)
        return -1;
    cloud_bind_text(st, 1, in->agent_id);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)in->head.epoch);
    sqlite3_bind_int64(st, 3, (sqlite3_int64)in->head.seq);
    int rc = sqlite3_step(st);
    cloud_stmt_done(c, st);
    return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

/* The subnet's epoch into *epoch (0 for a subnet never seen); 0 or -1. */
static int subnet_epoch(struct cloud *c, const char *subnet, uint64_t *epoch)
{
    sqlite3_stmt *st;

    *epoch = 0;
    if (cloud_stmt(c, "SELECT epoch FROM subnets WHERE subnet = ?1", &st) != SQLITE_OK)
        return -1;
    cloud_bind_text(st, 1, subnet);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *epoch = (uint64_t)sqlite3_column_int64(st, 0);
    cloud_stmt_done(c, st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
}

/* The asset a payload asset merges into: the one holding its MAC, else the
 * managed asset with its hostname (the MAC is then recorded on it), else 0. */
static int64_t asset_target(struct cloud *c, const cJSON *a, const char *mac)
{
    int64_t id = cloud_asset_by_mac(c, mac);
    const cJSON *host = cJSON_GetObjectItemCaseSensitive(a, "hostname");

    if (id != 0 || !cJSON_IsString(host) || host->valuestring[0] == '\0')
        return id;
    char low[CLOUD_HOSTNAME_BYTES_MAX + 1];
    sqlite3_stmt *st;
    cloud_lower_copy(host->valuestring, low, sizeof low);
    if (strlen(host->valuestring) > CLOUD_HOSTNAME_BYTES_MAX)
        return 0;                        /* no managed host has a longer name */
    if (cloud_stmt(c, "SELECT id FROM assets WHERE managed = 1 AND hostname_lc = ?1 "
                      "ORDER BY id LIMIT 1", &st) != SQLITE_OK)
        return -1;
    cloud_bind_text(st, 1, low);
    int rc = sqlite3_step(st);
    id = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : rc == SQLITE_DONE ? 0 : -1;
    cloud_stmt_done(c, st);
    if (id > 0 && cloud_asset_mac_add(c, id, mac) != 0)
        return -1;
    return id;
}

/* Per asset and source CAPS: the reporting agent, the earliest first_seen
 * and the latest last_seen CAPS ever reported (text order is time order). */
static int asset_caps_mark(struct cloud *c, int64_t id, const char *agent_id, const cJSON *a)
{
    sqlite3_stmt *st;

    if (cloud_stmt(c, "UPDATE assets SET caps = 1, caps_agent_id = ?2, "
                      "caps_first_found = CASE WHEN caps_first_found IS NULL "
                      "  OR ?3 < caps_first_found THEN ?3 ELSE caps_first_found END, "
                      "caps_last_seen = CASE WHEN caps_last_seen IS NULL "
                      "  OR ?4 > caps_last_seen THEN ?4 ELSE caps_last_seen END "
                      "WHERE id = ?1", &st) != SQLITE_OK)
        return -1;
    sqlite3_bind_int64(st, 1, id);
    cloud_bind_text(st, 2, agent_id);
    cloud_bind_text(st, 3, cJSON_GetObjectItemCaseSensitive(a, "first_seen")->valuestring);
    cloud_bind_text(st, 4, cJSON_GetObjectItemCaseSensitive(a, "last_seen")->valuestring);
    int rc = sqlite3_step(st);
    cloud_stmt_done(c, st);
    return rc == SQLITE_DONE ? 0 : -1;
}

static int asset_ingest(struct cloud *c, const struct ingest *in, const cJSON *a)
{
    const char *mac = cJSON_GetObjectItemCaseSensitive(a, "mac")->valuestring;
    cJSON *newer = cJSON_Duplicate(a, 1);
    int64_t id = newer != NULL ? asset_target(c, a, mac) : -1;
    int rc = -1;

    if (id < 0)
        goto out;
    for (size_t k = 0; k < sizeof cloud_owned_keys / sizeof cloud_owned_keys[0]; k++)
        cJSON_DeleteItemFromObjectCaseSensitive(newer, cloud_owned_keys[k]);
    if (id == 0) {
        id = cloud_asset_insert(c, newer, 0);
        if (id < 0)
            goto out;
    } else {
        cJSON *older = cloud_asset_doc_load(c, id);
        const cJSON *primary = cJSON_GetObjectItemCaseSensitive(older, "mac");
        /* A MAC merged by hostname joins the managed asset under its primary MAC. */
        if (!cJSON_IsString(primary) ||
            !cJSON_ReplaceItemInObjectCaseSensitive(newer, "mac",
                                                    cJSON_CreateString(primary->valuestring)) ||
            codec_asset_merge(older, newer) != 0 || cloud_asset_update(c, id, older) != 0) {
            cJSON_Delete(older);
            goto out;
        }
        cJSON_Delete(older);
    }
    rc = asset_caps_mark(c, id, in->agent_id, a);
out:
    cJSON_Delete(newer);
    return rc;
}

/* The subnet's epoch, leader (this agent: its upload is the latest accepted
 * at the current epoch) and its latest summary by (epoch, seq). */
static int subnet_advance(struct cloud *c, const struct ingest *in, uint64_t now_us)
{
    char *summary = cJSON_PrintUnformatted(in->summary);
    sqlite3_stmt *st;

    if (summary == NULL ||
        cloud_stmt(c, "INSERT INTO subnets(subnet, epoch, leader_agent_id, summary, "
                      "summary_agent_id, summary_epoch, summary_seq, summary_us) "
                      "VALUES (?1, ?2, ?3, ?4, ?3, ?2, ?5, ?6) "
                      "ON CONFLICT(subnet) DO UPDATE SET "
                      "epoch = max(epoch, excluded.epoch), "
                      "leader_agent_id = excluded.leader_agent_id, "
                      "summary = CASE WHEN " SUMMARY_NEWER
                      " THEN excluded.summary ELSE summary END, "
                      "summary_agent_id = CASE WHEN " SUMMARY_NEWER
                      " THEN excluded.summary_agent_id ELSE summary_agent_id END, "
                      "summary_us = CASE WHEN " SUMMARY_NEWER
                      " THEN excluded.summary_us ELSE summary_us END, "
                      "summary_seq = CASE WHEN " SUMMARY_NEWER
                      " THEN excluded.summary_seq ELSE summary_seq END, "
                      "summary_epoch = CASE WHEN " SUMMARY_NEWER
                      " THEN excluded.summary_epoch ELSE summary_epoch END",
                   &st) != SQLITE_OK) {
        free(summary);
        return -1;
    }
    cloud_bind_text(st, 1, in->head.subnet);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)in->head.epoch);
    cloud_bind_text(st, 3, in->agent_id);
    sqlite3_bind_text(st, 4, summary, -1, free);
    sqlite3_bind_int64(st, 5, (sqlite3_int64)in->head.seq);
    sqlite3_bind_int64(st, 6, (sqlite3_int64)now_us);
    int rc = sqlite3_step(st);
    cloud_stmt_done(c, st);
    return rc == SQLITE_DONE ? 0 : -1;
}

static int upload_log(struct cloud *c, const struct ingest *in, int assets, uint64_t now_us)
{
    sqlite3_stmt *st;

    if (cloud_stmt(c, "INSERT INTO uploads(agent_id, epoch, seq, subnet, assets, received_us) "
                      "VALUES (?1, ?2, ?3, ?4, ?5, ?6)", &st) != SQLITE_OK)
        return -1;
    cloud_bind_text(st, 1, in->agent_id);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)in->head.epoch);
    sqlite3_bind_int64(st, 3, (sqlite3_int64)in->head.seq);
    cloud_bind_text(st, 4, in->head.subnet);
    sqlite3_bind_int(st, 5, assets);
    sqlite3_bind_int64(st, 6, (sqlite3_int64)now_us);
    int rc = sqlite3_step(st);
    cloud_stmt_done(c, st);
    /* The idempotency log keeps CLOUD_IDEMPOTENCY_KEEP_US of keys: bounded by
     * the upload rate, not by the cloud's age. */
    if (rc == SQLITE_DONE && now_us > CLOUD_IDEMPOTENCY_KEEP_US) {
        if (cloud_stmt(c, "DELETE FROM uploads WHERE received_us < ?1", &st) != SQLITE_OK)
            return -1;
        sqlite3_bind_int64(st, 1, (sqlite3_int64)(now_us - CLOUD_IDEMPOTENCY_KEEP_US));
        rc = sqlite3_step(st);
        cloud_stmt_done(c, st);
    }
    if (rc != SQLITE_DONE ||
        cloud_stmt(c, "UPDATE agents SET last_upload_us = ?2, last_subnet = ?3 "
                      "WHERE agent_id = ?1", &st) != SQLITE_OK)
        return -1;
    cloud_bind_text(st, 1, in->agent_id);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)now_us);
    cloud_bind_text(st, 3, in->head.subnet);
    rc = sqlite3_step(st);
    cloud_stmt_done(c, st);
    return rc == SQLITE_DONE ? 0 : -1;
}

/* Inside the transaction. */
static enum ingest_rc ingest_apply(struct cloud *c, const struct ingest *in, uint64_t now_us,
                                   uint64_t *epoch_now, int *count)
{
    int seen = upload_seen(c, in);
    if (seen != 0)
        return seen > 0 ? INGEST_DUPLICATE : INGEST_DB;
    if (subnet_epoch(c, in->head.subnet, epoch_now) != 0)
        return INGEST_DB;
    if (in->head.epoch < *epoch_now)
        return INGEST_FENCED;
    const cJSON *a;
    *count = 0;
    cJSON_ArrayForEach(a, in->assets) {
        if (asset_ingest(c, in, a) != 0)
            return INGEST_DB;
        ++*count;
    }
    if (subnet_advance(c, in, now_us) != 0 || upload_log(c, in, *count, now_us) != 0)
        return INGEST_DB;
    return INGEST_OK;
}

static cJSON *status_doc(const char *status, const struct ingest *in, int assets)
{
    cJSON *doc = cJSON_CreateObject();
    cJSON_AddStringToObject(doc, "status", status);
    if (assets >= 0)
        cJSON_AddNumberToObject(doc, "assets", assets);
    cJSON_AddNumberToObject(doc, "epoch", (double)in->head.epoch);
    if (cJSON_AddNumberToObject(doc, "seq", (double)in->head.seq) == NULL) {
        cJSON_Delete(doc);
        return NULL;
    }
    return doc;
}

static void ingest_run(struct cloud *c, struct ingest *in, uint64_t now_us,
                       struct cloud_response *resp)
{
    char shown[96];
    uint64_t epoch_now = 0;
    int count = 0;

    if (payload_check(in, resp) != 0)
        return;
    if (cloud_tx_begin(c) != SQLITE_OK) {
        cloud_reply_db(c, resp, "begin");
        return;
    }
    enum ingest_rc rc = ingest_apply(c, in, now_us, &epoch_now, &count);
    if (rc == INGEST_DB) {
        cloud_reply_db(c, resp, "ingest");
        return;
    }
    if (rc != INGEST_OK) {
        cloud_tx_rollback(c);            /* nothing was written, nothing stays */
        if (rc == INGEST_DUPLICATE) {
            cloud_reply_json(resp, 200, status_doc("duplicate", in, -1));
            return;
        }
        char msg[CLOUD_ERRMSG_MAX];
        snprintf(msg, sizeof msg,
                 "payload epoch %llu is below the epoch %llu of subnet %s: a newer leader "
                 "reports for it; step down",
                 (unsigned long long)in->head.epoch, (unsigned long long)epoch_now,
                 cloud_quote(in->head.subnet, shown, sizeof shown));
        cJSON *doc = cJSON_CreateObject();
        cJSON_AddStringToObject(doc, "error", "fenced");
        cJSON_AddStringToObject(doc, "message", msg);
        if (cJSON_AddNumberToObject(doc, "subnet_epoch", (double)epoch_now) == NULL) {
            cJSON_Delete(doc);
            doc = NULL;
        }
        cloud_reply_json(resp, 409, doc);
        return;
    }
    if (cloud_tx_commit(c) != SQLITE_OK) {
        cloud_reply_db(c, resp, "commit");
        return;
    }
    cloud_reply_json(resp, 200, status_doc("accepted", in, count));
}

void cloud_ingest(struct cloud *c, const struct cloud_request *req, struct cloud_response *resp)
{
    char err[CLOUD_ERRMSG_MAX], shown[96];
    struct ingest in;
    const char *enc = req->content_encoding;
    uint8_t *inflated = NULL;

    memset(&in, 0, sizeof in);
    if (ingest_auth(c, req->authorization, in.agent_id, resp) != 0)
        return;
    int gzip = enc != NULL && strcasecmp(enc, "gzip") == 0;
    if (!gzip && enc != NULL && enc[0] != '\0' && strcasecmp(enc, "identity") != 0) {
        cloud_reply_error(resp, 415, "unsupported_encoding",
                          "Content-Encoding %s is not supported (identity or gzip)",
                          cloud_quote(enc, shown, sizeof shown));
        return;
    }
    if (req->body_bytes > CLOUD_UPLOAD_BYTES_MAX) {
        cloud_reply_error(resp, 413, "too_large", "payload of %zu bytes exceeds %u bytes",
                          req->body_bytes, CLOUD_UPLOAD_BYTES_MAX);
        return;
    }
    in.text = req->body;
    in.len = req->body_bytes;
    if (gzip) {
        enum cloud_inflate_rc rc = cloud_gzip_inflate(req->body, req->body_bytes,
                                                      CLOUD_UPLOAD_INFLATED_BYTES_MAX, &inflated,
                                                      &in.len, err);
        if (rc == CLOUD_INFLATE_TOO_LARGE) {
            cloud_reply_error(resp, 413, "too_large",
                              "gzip payload inflates beyond %u bytes",
                              CLOUD_UPLOAD_INFLATED_BYTES_MAX);
            return;
        }
        if (rc == CLOUD_INFLATE_CORRUPT) {
            cloud_reply_error(resp, 400, "bad_payload", "%s", err);
            return;
        }
        if (rc != CLOUD_INFLATE_OK) {
            cloud_reply_error(resp, 500, "internal", "out of memory inflating the payload");
            return;
        }
        in.text = inflated;
    }
    ingest_run(c, &in, req->now_us, resp);
    cJSON_Delete(in.doc);
    free(inflated);
}
