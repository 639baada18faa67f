/* cloud_int.h - what the files of the mock cloud share (private to mockcloud/).
 *
 * One struct cloud owns one SQLite connection; every handler runs on the
 * caller's thread, one request at a time. Handlers answer through the reply
 * helpers below, which always leave resp with a status and a JSON body.
 */
#ifndef CLOUD_INT_H
#define CLOUD_INT_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>
#include <sqlite3.h>

#include "cloud/service.h"

/* Bodies of the small endpoints (activation, configuration): 413 above. */
#define CLOUD_REQUEST_BYTES_MAX (1u << 20)
/* MACs one activation may register for its host (NICs of one machine). */
#define CLOUD_AGENT_MACS_MAX 32
/* Longest hostname an activation may give (a DNS name, RFC 1035 2.3.4). */
#define CLOUD_HOSTNAME_BYTES_MAX 253
/* Longest activation key stored or compared. */
#define CLOUD_ACTIVATION_KEY_BYTES_MAX 256
/* Assets of one payload (a full /22 is 1024; the reference caps a sensor's
 * inventory far below this). Larger payloads are 413. */
#define CLOUD_PAYLOAD_ASSETS_MAX 65536
/* Rows one listing answers at most (assets, agents, subnets): every loop over
 * a table is bounded by it. */
#define CLOUD_LIST_ROWS_MAX (1u << 20)
/* A query string longer than this is 400 (no sane search is). */
#define CLOUD_QUERY_BYTES_MAX 1024
/* SQLite waits this long for a lock held by another connection to the file. */
#define CLOUD_BUSY_TIMEOUT_MS 5000

/* Prepared statements kept for reuse, keyed by their SQL text's address
 * (every statement is a string constant). The service uses about 40. */
#define CLOUD_STMT_CACHE_MAX 64

struct cloud_stmt_slot {
    const char *sql;
    sqlite3_stmt *st;
};

struct cloud {
    sqlite3 *db;
    struct cloud_rng rng;
    char path[512];
    struct cloud_stmt_slot stmts[CLOUD_STMT_CACHE_MAX];
    int stmt_count;
    char admin_token[CLOUD_ADMIN_TOKEN_MAX];   /* "" : the configuration is open */
};

/* ------------------------------------------------------------ replies (service.c) */

/* Answers status with doc as the body; takes doc (NULL: 500 out of memory). */
void cloud_reply_json(struct cloud_response *resp, int status, cJSON *doc);
/* Answers status with {"error": code, "message": printf(fmt, ...)}. */
void cloud_reply_error(struct cloud_response *resp, int status, const char *code,
                       const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;
/* Answers 500 {"error": "database", ...} with SQLite's message for what. */
void cloud_reply_db(struct cloud *c, struct cloud_response *resp, const char *what);

/* ------------------------------------------------------------ database (schema.c) */

/* Creates the tables and indexes when missing. Returns SQLITE_OK or a code. */
int cloud_schema_create(sqlite3 *db);
/* BEGIN IMMEDIATE / COMMIT / ROLLBACK. Return SQLITE_OK or a code. */
int cloud_tx_begin(struct cloud *c);
int cloud_tx_commit(struct cloud *c);
void cloud_tx_rollback(struct cloud *c);
/* The prepared statement for constant SQL text (never built from input),
 * reset and unbound, from the cache when it was used before. SQLITE_OK or a
 * code. Every statement obtained goes back with cloud_stmt_done. */
int cloud_stmt(struct cloud *c, const char *sql, sqlite3_stmt **st);
/* Resets a cached statement (releasing its locks) or finalizes another. */
void cloud_stmt_done(struct cloud *c, sqlite3_stmt *st);
/* Finalizes every cached statement (before closing the connection). */
void cloud_stmt_clear(struct cloud *c);
/* Binds text (NULL binds NULL); the text is copied. */
int cloud_bind_text(sqlite3_stmt *st, int idx, const char *text);
/* Column idx as text, "" for NULL. */
const char *cloud_col_text(sqlite3_stmt *st, int idx);

/* ------------------------------------------------------------ bodies (body.c) */

/* Parses body[0..len) as one JSON document; on a syntax error returns NULL
 * with err = "NAME:LINE:COL: invalid JSON, got \"...\"". */
cJSON *cloud_json_parse(const uint8_t *body, size_t len, const char *name,
                        char err[CLOUD_ERRMSG_MAX]);

enum cloud_inflate_rc {
    CLOUD_INFLATE_OK = 0,
    CLOUD_INFLATE_CORRUPT = -1,   /* not gzip, damaged or cut short */
    CLOUD_INFLATE_TOO_LARGE = -2, /* more than out_max bytes inflated */
    CLOUD_INFLATE_NOMEM = -3
};
/* Inflates the gzip body in[0..in_len) (one or more members, RFC 1952) into
 * a new buffer *out (caller frees, NUL-terminated) of *out_len bytes, at most
 * out_max. On CORRUPT, err says why. */
enum cloud_inflate_rc cloud_gzip_inflate(const uint8_t *in, size_t in_len, size_t out_max,
                                         uint8_t **out, size_t *out_len,
                                         char err[CLOUD_ERRMSG_MAX]);

/* "NAME:LINE:COL" of the value at path (codec_json_locate syntax) in
 * text[0..len) into out, or just "NAME" when it cannot be placed. Returns out. */
const char *cloud_place(const uint8_t *text, size_t len, const char *name, const char *path,
                        char *out, size_t cap);

/* Normalises a MAC written "aa:bb:cc:dd:ee:ff" or "aa-bb-cc-dd-ee-ff" (any
 * case) to lower case with colons in out. Returns 0 or -1. */
int cloud_mac_normalize(const char *in, char out[18]);
/* ASCII lower-case copy of in into out (cap bytes, cut at cap - 1). */
void cloud_lower_copy(const char *in, char *out, size_t cap);
/* "text" quoted as JSON, cut to fit out (for messages). Returns out. */
const char *cloud_quote(const char *text, char *out, size_t cap);
/* The value quoted as compact JSON, cut to fit out. Returns out. */
const char *cloud_show(const cJSON *item, char *out, size_t cap);

/* ------------------------------------------------------------ assets (assets.c) */

/* The id of the asset that holds mac, 0 when none, -1 on a database error. */
int64_t cloud_asset_by_mac(struct cloud *c, const char *mac);
/* Records mac on asset id (INSERT OR IGNORE: a MAC stays with its first asset). */
int cloud_asset_mac_add(struct cloud *c, int64_t id, const char *mac);
/* The stored document of asset id, parsed; NULL on a database error. */
cJSON *cloud_asset_doc_load(struct cloud *c, int64_t id);
/* Creates an asset from doc (its "mac" the primary MAC); returns its id (> 0)
 * or -1. Indexed columns are taken from doc. */
int64_t cloud_asset_insert(struct cloud *c, const cJSON *doc, int managed);
/* Rewrites asset id's document and indexed columns from doc. */
int cloud_asset_update(struct cloud *c, int64_t id, const cJSON *doc);
/* The asset as the API shows it: its document plus "macs", "managed",
 * "inventory_sources" and, with with_caps, "caps". NULL on error. */
cJSON *cloud_asset_view(struct cloud *c, int64_t id, int with_caps);

/* ------------------------------------------------------------ configuration (config.c) */

/* 1 when a CAPS configuration is stored, 0 when not, -1 on a database error. */
int cloud_config_stored(struct cloud *c);

/* ------------------------------------------------------------ handlers */

void cloud_activate(struct cloud *c, const struct cloud_request *req, struct cloud_response *resp);
void cloud_config_get(struct cloud *c, struct cloud_response *resp);
void cloud_config_put(struct cloud *c, const struct cloud_request *req,
                      struct cloud_response *resp);
void cloud_ingest(struct cloud *c, const struct cloud_request *req, struct cloud_response *resp);
void cloud_assets_query(struct cloud *c, const char *q, struct cloud_response *resp);
void cloud_asset_get(struct cloud *c, const char *mac_text, struct cloud_response *resp);
void cloud_agents_list(struct cloud *c, struct cloud_response *resp);
/* The latest summary of every subnet (GET /api/v1/caps/summary's "subnets"),
 * sorted by subnet; NULL when the database fails. The caller owns it. */
cJSON *cloud_summary_subnets(struct cloud *c);
void cloud_summary_list(struct cloud *c, struct cloud_response *resp);

#endif
