/* service.c - the mock cloud's entry points: open, close, route a request.
 *
 * cloud_handle maps (method, path) to one handler and makes sure every answer
 * has a JSON body: unknown paths are 404, a known path with another method
 * 405 (with the allowed methods), handlers' 4xx are {"error", "message"}.
 * A handler that fails leaves no transaction open (checked here).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cloud_int.h"

#define API_PREFIX "/api/v1/"
#define ASSET_PREFIX "/api/v1/assets/"

/* ------------------------------------------------------------------ replies */

static const char oom_body[] = "{\"error\":\"internal\",\"message\":\"out of memory\"}";

static void reply_oom(struct cloud_response *resp)
{
    resp->status = 500;
    resp->body = malloc(sizeof oom_body);
    if (resp->body != NULL)
        memcpy(resp->body, oom_body, sizeof oom_body);
}

void cloud_reply_json(struct cloud_response *resp, int status, cJSON *doc)
{
    free(resp->body);
    resp->body = NULL;
    if (doc == NULL) {
        reply_oom(resp);
        return;
    }
    char *text = cJSON_PrintUnformatted(doc);
    cJSON_Delete(doc);
    if (text == NULL) {
        reply_oom(resp);
        return;
    }
    resp->status = status;
    resp->body = text;
}

void cloud_reply_error(struct cloud_response *resp, int status, const char *code,
                       const char *fmt, ...)
{
    char msg[CLOUD_ERRMSG_MAX];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    cJSON *doc = cJSON_CreateObject();
    if (doc != NULL && (cJSON_AddStringToObject(doc, "error", code) == NULL ||
                        cJSON_AddStringToObject(doc, "message", msg) == NULL)) {
        cJSON_Delete(doc);
        doc = NULL;
    }
    cloud_reply_json(resp, status, doc);
}

void cloud_reply_db(struct cloud *c, struct cloud_response *resp, const char *what)
{
    char msg[256];

    /* The message first: the ROLLBACK would replace it. */
    snprintf(msg, sizeof msg, "%s", sqlite3_errmsg(c->db));
    cloud_tx_rollback(c);
    cloud_reply_error(resp, 500, "database", "%s: %s: sqlite: %s", c->path, what, msg);
}

/* ------------------------------------------------------------------ open, close */

static void set_err(char err[CLOUD_ERRMSG_MAX], const char *path, const char *what,
                    sqlite3 *db)
{
    snprintf(err, CLOUD_ERRMSG_MAX, "%s: sqlite: %s: %s", path, what,
             db != NULL ? sqlite3_errmsg(db) : "out of memory");
}

struct cloud *cloud_open(const char *path, const struct cloud_rng *rng, char err[CLOUD_ERRMSG_MAX])
{
    err[0] = '\0';
    if (path == NULL || path[0] == '\0' || rng == NULL || rng->fill == NULL) {
        snprintf(err, CLOUD_ERRMSG_MAX,
                 "cloud: a database path and a random generator are required");
        return NULL;
    }
    if (strlen(path) >= sizeof ((struct cloud *)0)->path) {
        snprintf(err, CLOUD_ERRMSG_MAX, "%.64s...: path longer than %zu bytes", path,
                 sizeof ((struct cloud *)0)->path - 1);
        return NULL;
    }
    struct cloud *c = calloc(1, sizeof *c);
    if (c == NULL) {
        snprintf(err, CLOUD_ERRMSG_MAX, "%.400s: out of memory", path);
        return NULL;
    }
    memcpy(c->path, path, strlen(path) + 1);
    c->rng = *rng;
    int rc = sqlite3_open_v2(path, &c->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
    if (rc != SQLITE_OK) {
        set_err(err, path, "open", c->db);
        goto fail;
    }
    sqlite3_extended_result_codes(c->db, 1);
    sqlite3_busy_timeout(c->db, CLOUD_BUSY_TIMEOUT_MS);
    /* WAL: readers never wait for the writer; FULL: a COMMIT is on disk
     * (WAL fsynced) before the answer, so an acknowledged upload survives a
     * power cut. journal_mode answers its mode as a row (":memory:" stays
     * "memory", which is fine for an in-process run). */
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(c->db, "PRAGMA journal_mode = WAL", -1, &st, NULL) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_ROW) {
        sqlite3_finalize(st);
        set_err(err, path, "journal_mode=WAL", c->db);
        goto fail;
    }
    sqlite3_finalize(st);
    if (sqlite3_exec(c->db, "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON", NULL, NULL,
                     NULL) != SQLITE_OK) {
        set_err(err, path, "pragmas", c->db);
        goto fail;
    }
    rc = cloud_schema_create(c->db);
    if (rc == SQLITE_MISMATCH) {
        snprintf(err, CLOUD_ERRMSG_MAX, "%s: schema written by a newer caps (user_version > 1)",
                 path);
        goto fail;
    }
    if (rc != SQLITE_OK) {
        set_err(err, path, "schema", c->db);
        goto fail;
    }
    return c;
fail:
    sqlite3_close(c->db);
    free(c);
    return NULL;
}

void cloud_close(struct cloud *c)
{
    if (c == NULL)
        return;
    cloud_stmt_clear(c);
    sqlite3_close(c->db);
    free(c);
}

int cloud_activation_key_add(struct cloud *c, const char *key)
{
    sqlite3_stmt *st;

    if (key == NULL || key[0] == '\0' || strlen(key) > CLOUD_ACTIVATION_KEY_BYTES_MAX)
        return -1;
    if (cloud_stmt(c, "INSERT OR IGNORE INTO activation_keys(key) VALUES (?1)", &st) != SQLITE_OK)
        return -1;
    cloud_bind_text(st, 1, key);
    int rc = sqlite3_step(st);
    cloud_stmt_done(c, st);
    return rc == SQLITE_DONE ? 0 : -1;
}

/* ------------------------------------------------------------------ routing */

static int method_is(const struct cloud_request *req, const char *m)
{
    return strcmp(req->method, m) == 0;
}

static void reply_method(struct cloud_response *resp, const struct cloud_request *req,
                         const char *allow)
{
    cloud_reply_error(resp, 405, "method_not_allowed", "%s %s: method not allowed (allowed: %s)",
                      req->method, req->path, allow);
    resp->allow = allow;
}

/* Only the upload endpoint takes compressed bodies. */
static int encoding_plain(const struct cloud_request *req, struct cloud_response *resp)
{
    const char *e = req->content_encoding;
    char shown[96];

    if (e == NULL || e[0] == '\0' || strcmp(e, "identity") == 0)
        return 1;
    cloud_reply_error(resp, 415, "unsupported_encoding",
                      "%s %s: Content-Encoding %s is not supported here (identity only)",
                      req->method, req->path, cloud_quote(e, shown, sizeof shown));
    return 0;
}

static int body_small(const struct cloud_request *req, struct cloud_response *resp)
{
    if (req->body_bytes <= CLOUD_REQUEST_BYTES_MAX)
        return 1;
    cloud_reply_error(resp, 413, "too_large", "%s %s: body of %zu bytes exceeds %u bytes",
                      req->method, req->path, req->body_bytes, CLOUD_REQUEST_BYTES_MAX);
    return 0;
}

int cloud_admin_token_set(struct cloud *c, const char *token)
{
    size_t n = token != NULL ? strlen(token) : 0;
    if (n < 16 || n >= CLOUD_ADMIN_TOKEN_MAX)
        return -1;
    for (size_t i = 0; i < n; i++)
        if (token[i] <= 0x20 || token[i] >= 0x7f)
            return -1;
    memcpy(c->admin_token, token, n + 1);
    return 0;
}

/* 1 when the request may change the configuration; else the 401 is answered.
 * The token is compared in constant time over the longer length. */
static int admin_ok(const struct cloud *c, const struct cloud_request *req,
                    struct cloud_response *resp)
{
    if (c->admin_token[0] == '\0')
        return 1;
    const char *a = req->authorization;
    if (a == NULL || strlen(a) < 7 || strncasecmp(a, "bearer ", 7) != 0) {
        cloud_reply_error(resp, 401, "unauthorized", "%s %s needs Authorization: Bearer "
                          "ADMIN_TOKEN (caps cloud --admin-token-file)", req->method, req->path);
        return 0;
    }
    const char *t = a + 7;
    while (*t == ' ')
        t++;
    size_t n = strlen(t), m = strlen(c->admin_token);
    unsigned diff = n != m;
    for (size_t i = 0; i < (n > m ? n : m); i++)
        diff |= (unsigned)(unsigned char)(i < n ? t[i] : 0) ^
                (unsigned)(unsigned char)(i < m ? c->admin_token[i] : 0);
    if (diff != 0) {
        cloud_reply_error(resp, 401, "unauthorized", "%s %s: the bearer token is not the "
                          "admin token", req->method, req->path);
        return 0;
    }
    return 1;
}

static void route(struct cloud *c, const struct cloud_request *req, struct cloud_response *resp)
{
    const char *p = req->path;
    char shown[96];

    if (strcmp(p, "/api/v1/activate") == 0) {
        if (!method_is(req, "POST"))
            reply_method(resp, req, "POST");
        else if (encoding_plain(req, resp) && body_small(req, resp))
            cloud_activate(c, req, resp);
    } else if (strcmp(p, "/api/v1/caps/config") == 0) {
        if (method_is(req, "GET"))
            cloud_config_get(c, resp);
        else if (!method_is(req, "PUT"))
            reply_method(resp, req, "GET, PUT");
        else if (admin_ok(c, req, resp) && encoding_plain(req, resp) && body_small(req, resp))
            cloud_config_put(c, req, resp);
    } else if (strcmp(p, "/api/v1/caps/uploads") == 0) {
        if (!method_is(req, "POST"))
            reply_method(resp, req, "POST");
        else
            cloud_ingest(c, req, resp);
    } else if (strcmp(p, "/api/v1/caps/summary") == 0) {
        if (!method_is(req, "GET"))
            reply_method(resp, req, "GET");
        else
            cloud_summary_list(c, resp);
    } else if (strcmp(p, "/api/v1/assets") == 0) {
        if (!method_is(req, "GET"))
            reply_method(resp, req, "GET");
        else
            cloud_assets_query(c, req->q, resp);
    } else if (strncmp(p, ASSET_PREFIX, strlen(ASSET_PREFIX)) == 0 &&
               p[strlen(ASSET_PREFIX)] != '\0' && strchr(p + strlen(ASSET_PREFIX), '/') == NULL) {
        if (!method_is(req, "GET"))
            reply_method(resp, req, "GET");
        else
            cloud_asset_get(c, p + strlen(ASSET_PREFIX), resp);
    } else if (strcmp(p, "/api/v1/agents") == 0) {
        if (!method_is(req, "GET"))
            reply_method(resp, req, "GET");
        else
            cloud_agents_list(c, resp);
    } else {
        cloud_reply_error(resp, 404, "not_found", "%s %s: no such endpoint (the API is under %s)",
                          req->method, cloud_quote(p, shown, sizeof shown), API_PREFIX);
    }
}

void cloud_handle(struct cloud *c, const struct cloud_request *req, struct cloud_response *resp)
{
    resp->status = 0;
    resp->body = NULL;
    resp->allow = NULL;
    if (req == NULL || req->method == NULL || req->path == NULL ||
        (req->body == NULL && req->body_bytes != 0)) {
        cloud_reply_error(resp, 400, "bad_request", "request: method, path and body required");
        return;
    }
    route(c, req, resp);
    /* Every handler ends its transaction; one left open would swallow the
     * next request's writes into a rollback. */
    if (!sqlite3_get_autocommit(c->db)) {
        cloud_tx_rollback(c);
        cloud_reply_error(resp, 500, "internal", "%s %s: transaction left open", req->method,
                          req->path);
    }
    if (resp->body == NULL)
        reply_oom(resp);
}

void cloud_response_free(struct cloud_response *resp)
{
    if (resp == NULL)
        return;
    free(resp->body);
    resp->body = NULL;
}
