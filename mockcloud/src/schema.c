/* schema.c - the mock cloud's tables, its transactions and statement helpers.
 *
 * The schema is created when missing and versioned by PRAGMA user_version
 * (a newer file is refused, never rewritten). Every statement is constant text,
 * prepared once and kept, with its values bound: no SQL is built from input.
 * Writes happen only inside BEGIN IMMEDIATE ... COMMIT, one per request.
 */
#include <string.h>

#include "cloud_int.h"

#define CLOUD_SCHEMA_VERSION 1

/* Assets hold the merged inventory object as JSON text (doc) plus the columns
 * the query tokens search; asset_macs maps every MAC an asset carries (a
 * managed host registers several) to it. uploads is the idempotency log. */
static const char schema_sql[] =
    "CREATE TABLE IF NOT EXISTS settings("
    "  name TEXT PRIMARY KEY, value TEXT NOT NULL);"
    "CREATE TABLE IF NOT EXISTS activation_keys(key TEXT PRIMARY KEY);"
    "CREATE TABLE IF NOT EXISTS assets("
    "  id INTEGER PRIMARY KEY, mac TEXT NOT NULL UNIQUE, doc TEXT NOT NULL,"
    "  managed INTEGER NOT NULL DEFAULT 0, caps INTEGER NOT NULL DEFAULT 0,"
    "  hostname_lc TEXT, vendor_lc TEXT, os_family TEXT, device_type TEXT, status TEXT,"
    "  caps_agent_id TEXT, caps_first_found TEXT, caps_last_seen TEXT);"
    "CREATE INDEX IF NOT EXISTS assets_hostname ON assets(hostname_lc);"
    "CREATE INDEX IF NOT EXISTS assets_os_family ON assets(os_family);"
    "CREATE INDEX IF NOT EXISTS assets_device_type ON assets(device_type);"
    "CREATE TABLE IF NOT EXISTS asset_macs("
    "  mac TEXT PRIMARY KEY, asset_id INTEGER NOT NULL REFERENCES assets(id));"
    "CREATE INDEX IF NOT EXISTS asset_macs_asset ON asset_macs(asset_id);"
    "CREATE TABLE IF NOT EXISTS agents("
    "  agent_id TEXT PRIMARY KEY, token TEXT NOT NULL UNIQUE, hostname TEXT NOT NULL,"
    "  macs TEXT NOT NULL, asset_id INTEGER NOT NULL REFERENCES assets(id),"
    "  activated_us INTEGER NOT NULL, last_upload_us INTEGER, last_subnet TEXT);"
    "CREATE TABLE IF NOT EXISTS subnets("
    "  subnet TEXT PRIMARY KEY, epoch INTEGER NOT NULL, leader_agent_id TEXT,"
    "  summary TEXT, summary_agent_id TEXT, summary_epoch INTEGER, summary_seq INTEGER,"
    "  summary_us INTEGER);"
    "CREATE TABLE IF NOT EXISTS uploads("
    "  agent_id TEXT NOT NULL, epoch INTEGER NOT NULL, seq INTEGER NOT NULL,"
    "  subnet TEXT NOT NULL, assets INTEGER NOT NULL, received_us INTEGER NOT NULL,"
    "  PRIMARY KEY(agent_id, epoch, seq));"
    "CREATE INDEX IF NOT EXISTS uploads_received ON uploads(received_us);";

int cloud_schema_create(sqlite3 *db)
{
    sqlite3_stmt *st = NULL;
    int version = 0;

    int rc = sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL);
    if (rc != SQLITE_OK)
        return rc;
    if (sqlite3_step(st) == SQLITE_ROW)
        version = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    if (version > CLOUD_SCHEMA_VERSION)
        return SQLITE_MISMATCH;         /* written by a newer caps: leave it alone */
    rc = sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
    if (rc != SQLITE_OK)
        return rc;
    rc = sqlite3_exec(db, schema_sql, NULL, NULL, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(db, "PRAGMA user_version = 1", NULL, NULL, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
    if (rc != SQLITE_OK)
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    return rc;
}

int cloud_tx_begin(struct cloud *c)
{
    return sqlite3_exec(c->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
}

int cloud_tx_commit(struct cloud *c)
{
    return sqlite3_exec(c->db, "COMMIT", NULL, NULL, NULL);
}

void cloud_tx_rollback(struct cloud *c)
{
    if (!sqlite3_get_autocommit(c->db))
        sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
}

int cloud_stmt(struct cloud *c, const char *sql, sqlite3_stmt **st)
{
    *st = NULL;
    for (int i = 0; i < c->stmt_count; i++)
        if (c->stmts[i].sql == sql) {
            sqlite3_reset(c->stmts[i].st);
            sqlite3_clear_bindings(c->stmts[i].st);
            *st = c->stmts[i].st;
            return SQLITE_OK;
        }
    int full = c->stmt_count >= CLOUD_STMT_CACHE_MAX;
    int rc = sqlite3_prepare_v3(c->db, sql, -1, full ? 0 : SQLITE_PREPARE_PERSISTENT, st, NULL);
    if (rc == SQLITE_OK && !full) {
        c->stmts[c->stmt_count].sql = sql;
        c->stmts[c->stmt_count].st = *st;
        c->stmt_count++;
    }
    return rc;
}

void cloud_stmt_done(struct cloud *c, sqlite3_stmt *st)
{
    if (st == NULL)
        return;
    for (int i = 0; i < c->stmt_count; i++)
        if (c->stmts[i].st == st) {
            sqlite3_reset(st);
            return;
        }
    sqlite3_finalize(st);            /* the cache was full: a one-off */
}

void cloud_stmt_clear(struct cloud *c)
{
    for (int i = 0; i < c->stmt_count; i++)
        sqlite3_finalize(c->stmts[i].st);
    c->stmt_count = 0;
}

int cloud_bind_text(sqlite3_stmt *st, int idx, const char *text)
{
    if (text == NULL)
        return sqlite3_bind_null(st, idx);
    return sqlite3_bind_text(st, idx, text, -1, SQLITE_TRANSIENT);
}

const char *cloud_col_text(sqlite3_stmt *st, int idx)
{
    const unsigned char *t = sqlite3_column_text(st, idx);
    return t != NULL ? (const char *)t : "";
}
