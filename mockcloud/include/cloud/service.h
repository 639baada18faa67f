/* cloud/service.h - the mock cloud: one service over SQLite (docs/cloud.md).
 *
 * Every request, from the HTTP front (cloud/http.h) or in-process from the
 * simulator, goes through cloud_handle: a method, a path under /api/v1/, the
 * decoded search query, the Authorization and Content-Encoding headers, a body
 * and the time. The answer is an HTTP status and a JSON body; every 4xx has a
 * body {"error": CODE, "message": TEXT naming the field and value} and
 * changes nothing in the database. Time is always an argument and ids and
 * tokens come from the caller's generator, so an in-process run is as
 * deterministic as its caller.
 */
#ifndef CLOUD_SERVICE_H
#define CLOUD_SERVICE_H

#include <stddef.h>
#include <stdint.h>

#define CLOUD_UPLOAD_BYTES_MAX (8u << 20)        /* request body as sent: 413 above */
#define CLOUD_UPLOAD_INFLATED_BYTES_MAX (64u << 20) /* a gzip body inflated: 413 above */
#define CLOUD_ERRMSG_MAX 512
/* How long an accepted upload's key (agent, epoch, seq) is kept for
 * idempotency: a sensor retries a payload whose answer was lost within
 * minutes (its backoff is capped at 15 min), so 30 days is far beyond any
 * retry; a payload older than that, sent again, is merged again, which the
 * merge rule makes harmless (first_seen min, last_seen max). */
#define CLOUD_IDEMPOTENCY_KEEP_US (30ull * 24 * 3600 * 1000000)

struct cloud;

/* Random bytes for agent ids and tokens (the live cloud: OpenSSL RAND_bytes;
 * the simulator: a seeded stream). */
struct cloud_rng {
    void *ctx;
    void (*fill)(void *ctx, uint8_t *out, size_t n);
};

struct cloud_request {
    const char *method;           /* "GET", "POST", "PUT", ... */
    const char *path;             /* "/api/v1/assets", no query string */
    const char *q;                /* the decoded "q" parameter, or NULL */
    const char *authorization;    /* the Authorization header, or NULL */
    const char *content_encoding; /* NULL, "identity" or "gzip" */
    const uint8_t *body;          /* borrowed for the call; may be NULL with 0 */
    size_t body_bytes;
    uint64_t now_us;              /* microseconds since the Unix epoch */
};

struct cloud_response {
    int status;                   /* HTTP status */
    char *body;                   /* JSON text, NUL-terminated, owned (cloud_response_free) */
    const char *allow;            /* with 405: the methods the path allows ("GET, PUT"),
                                   * static text for the Allow header; else NULL */
};

/* Opens (creating when missing) the database at path (":memory:" for an
 * in-process run) in WAL mode with synchronous=FULL. rng is copied. Returns
 * the service, or NULL with err ("FILE: sqlite: ..."). */
struct cloud *cloud_open(const char *path, const struct cloud_rng *rng, char err[CLOUD_ERRMSG_MAX]);
void cloud_close(struct cloud *c);

/* Accepts key for activation from now on (idempotent). Returns 0 or -1. */
int cloud_activation_key_add(struct cloud *c, const char *key);

/* Guards the configuration: from now on PUT /api/v1/caps/config needs
 * "Authorization: Bearer TOKEN" with this token (401 otherwise, nothing
 * changes; compared in constant time). token is 16..CLOUD_ADMIN_TOKEN_MAX - 1
 * printable ASCII characters. Without it the configuration is open, as a mock
 * on loopback needs. Sensor tokens never count. Returns 0 or -1 (bad token). */
#define CLOUD_ADMIN_TOKEN_MAX 257
int cloud_admin_token_set(struct cloud *c, const char *token);

/* Stores the default CAPS configuration when none is stored (docs/cloud.md:
 * one domain, "domain" argument, default interval and peers). Returns 0 or -1. */
int cloud_config_ensure_default(struct cloud *c, const char *domain);

/* Answers one request; resp is always filled (500 with a body when the
 * database fails). */
void cloud_handle(struct cloud *c, const struct cloud_request *req, struct cloud_response *resp);
void cloud_response_free(struct cloud_response *resp);

#endif
