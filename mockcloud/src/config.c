/* config.c - the CAPS configuration the cloud holds for its sensors.
 *
 * One document (docs/config.md), validated by the codec with the sensor's own
 * rules and messages and stored as the codec prints it back, so what GET
 * answers is canonical and parses again. Until one is stored, activation is
 * refused (409 not_configured).
 */
#include <stdlib.h>
#include <string.h>

#include "caps/config.h"
#include "cloud_int.h"
#include "codec/config.h"

#define CONFIG_SETTING "caps_config"

int cloud_config_stored(struct cloud *c)
{
    sqlite3_stmt *st;

    if (cloud_stmt(c, "SELECT 1 FROM settings WHERE name = ?1", &st) != SQLITE_OK)
        return -1;
    cloud_bind_text(st, 1, CONFIG_SETTING);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

void cloud_config_get(struct cloud *c, struct cloud_response *resp)
{
    sqlite3_stmt *st;

    if (cloud_stmt(c, "SELECT value FROM settings WHERE name = ?1", &st) != SQLITE_OK) {
        cloud_reply_db(c, resp, "read configuration");
        return;
    }
    cloud_bind_text(st, 1, CONFIG_SETTING);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_DONE) {
        sqlite3_finalize(st);
        cloud_reply_error(resp, 404, "not_configured",
                          "no CAPS configuration stored yet (PUT /api/v1/caps/config)");
        return;
    }
    if (rc != SQLITE_ROW) {
        sqlite3_finalize(st);
        cloud_reply_db(c, resp, "read configuration");
        return;
    }
    cJSON *doc = cJSON_Parse(cloud_col_text(st, 0));
    sqlite3_finalize(st);
    cloud_reply_json(resp, 200, doc);
}

/* Validates text[0..len) and stores its canonical form. Returns 0, 1 when
 * invalid (err set), -1 on a database or memory error. */
static int config_store(struct cloud *c, const char *text, size_t len, char **canonical,
                        char err[CODEC_ERRMSG_MAX])
{
    struct caps_config *cfg = malloc(sizeof *cfg);   /* ~8 KB: not on the stack */
    sqlite3_stmt *st;

    *canonical = NULL;
    if (cfg == NULL)
        return -1;
    if (codec_config_parse(text, len, "config", cfg, err) != 0) {
        free(cfg);
        return 1;
    }
    *canonical = codec_config_print(cfg);
    free(cfg);
    if (*canonical == NULL)
        return -1;
    if (cloud_stmt(c, "INSERT INTO settings(name, value) VALUES (?1, ?2) "
                      "ON CONFLICT(name) DO UPDATE SET value = excluded.value", &st) != SQLITE_OK)
        return -1;
    cloud_bind_text(st, 1, CONFIG_SETTING);
    cloud_bind_text(st, 2, *canonical);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

void cloud_config_put(struct cloud *c, const struct cloud_request *req, struct cloud_response *resp)
{
    char err[CODEC_ERRMSG_MAX];
    char *canonical = NULL;

    if (req->body_bytes == 0) {
        cloud_reply_error(resp, 400, "invalid_configuration",
                          "config:1:1: invalid JSON, got an empty body");
        return;
    }
    if (cloud_tx_begin(c) != SQLITE_OK) {
        cloud_reply_db(c, resp, "begin");
        return;
    }
    int rc = config_store(c, (const char *)req->body, req->body_bytes, &canonical, err);
    if (rc == 1) {
        cloud_tx_rollback(c);
        cloud_reply_error(resp, 400, "invalid_configuration", "%s", err);
        return;
    }
    if (rc != 0 || cloud_tx_commit(c) != SQLITE_OK) {
        free(canonical);
        cloud_reply_db(c, resp, "store configuration");
        return;
    }
    cJSON *doc = cJSON_Parse(canonical);
    free(canonical);
    cloud_reply_json(resp, 200, doc);
}

int cloud_config_ensure_default(struct cloud *c, const char *domain)
{
    char err[CODEC_ERRMSG_MAX];
    char *canonical = NULL;

    if (domain == NULL)
        return -1;
    /* Built as a document (not text pasted together) so any domain text is
     * quoted right; the codec then judges it as it would a PUT. */
    cJSON *doc = cJSON_CreateObject();
    cJSON *domains = cJSON_AddArrayToObject(doc, "domains");
    cJSON *d = cJSON_CreateObject();
    if (d != NULL)
        cJSON_AddItemToArray(domains, d);
    if (cJSON_AddStringToObject(d, "name", domain) == NULL) {
        cJSON_Delete(doc);
        return -1;
    }
    char *text = cJSON_PrintUnformatted(doc);
    cJSON_Delete(doc);
    if (text == NULL)
        return -1;
    int rc = cloud_tx_begin(c) == SQLITE_OK ? 0 : -1;
    if (rc == 0) {
        int stored = cloud_config_stored(c);
        if (stored == 0)
            rc = config_store(c, text, strlen(text), &canonical, err) == 0 ? 0 : -1;
        else if (stored < 0)
            rc = -1;
    }
    if (rc == 0 && cloud_tx_commit(c) != SQLITE_OK)
        rc = -1;
    if (rc != 0)
        cloud_tx_rollback(c);
    free(canonical);
    free(text);
    return rc;
}
