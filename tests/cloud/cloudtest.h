/* cloudtest.h - what the mock cloud's suites share: a service over a
 * temporary SQLite file (mkstemp under /tmp, removed after), a seeded
 * generator for ids and tokens, one-call requests, and payloads written by
 * hand as JSON text (never by the codec's builder, so the cloud is checked
 * against the documented format, not against the other side's code).
 */
#ifndef CLOUDTEST_H
#define CLOUDTEST_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <check.h>
#include <cjson/cJSON.h>

#include "cloud/service.h"

#define TC_KEY "key-0001"
#define TC_NOW_US 1795838400000000ull            /* 2026-11-28T04:00:00Z */
#define TC_CONFIG "{\"domains\": [{\"name\": \"corp.example.com\"}]}"

/* An asset object: mac, first_seen, last_seen, then more members as JSON
 * text starting with a comma (or ""). */
#define TC_ASSET(mac, first, last, extra)                                              \
    "{\"mac\":\"" mac "\",\"first_seen\":\"" first "\",\"last_seen\":\"" last "\"" extra "}"

struct tcloud {
    struct cloud *c;
    char path[64];
    uint64_t rng;                     /* splitmix64 state */
    struct cloud_response resp;       /* the last answer */
    char agent_id[64];                /* of tc_activate's last agent */
    char token[80];
};

static inline void tc_rng_fill(void *ctx, uint8_t *out, size_t n)
{
    uint64_t *s = ctx, z = 0;

    for (size_t i = 0; i < n; i++) {
        if (i % 8 == 0) {              /* splitmix64: one 64-bit draw per 8 bytes */
            z = (*s += 0x9e3779b97f4a7c15ull);
            z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
            z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
            z ^= z >> 31;
        }
        out[i] = (uint8_t)(z >> (8 * (i % 8)));
    }
}

static inline void tc_reopen(struct tcloud *t)
{
    char err[CLOUD_ERRMSG_MAX];
    const struct cloud_rng rng = {&t->rng, tc_rng_fill};

    t->c = cloud_open(t->path, &rng, err);
    ck_assert_msg(t->c != NULL, "cloud_open: %s", err);
}

/* The database file of a test case: named in the runner's process (an
 * unchecked fixture, tc_file_make) so it is removed (tc_file_remove) even
 * when a forked test fails before its own teardown. */
static char tc_file[64];

static inline void tc_file_remove(void)
{
    char side[80];

    if (tc_file[0] == '\0')
        return;
    unlink(tc_file);
    snprintf(side, sizeof side, "%s-wal", tc_file);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", tc_file);
    unlink(side);
}

static inline void tc_file_make(void)
{
    snprintf(tc_file, sizeof tc_file, "/tmp/caps_cloud_test_XXXXXX");
    int fd = mkstemp(tc_file);
    ck_assert_int_ge(fd, 0);
    close(fd);
}

/* A fresh, empty database at the test case's file. */
static inline void tc_open(struct tcloud *t)
{
    memset(t, 0, sizeof *t);
    tc_file_remove();                  /* whatever a failed test left */
    memcpy(t->path, tc_file, sizeof t->path);
    t->rng = 42;
    tc_reopen(t);
}

static inline void tc_close(struct tcloud *t)
{
    cloud_response_free(&t->resp);
    cloud_close(t->c);
    t->c = NULL;
    tc_file_remove();
}

/* One request; returns the status, the body stays in t->resp.body. */
static inline int tc_req(struct tcloud *t, const char *method, const char *path, const char *q,
                         const char *auth, const char *enc, const void *body, size_t len)
{
    struct cloud_request req = {method, path, q, auth, enc, body, len, TC_NOW_US};

    cloud_response_free(&t->resp);
    cloud_handle(t->c, &req, &t->resp);
    ck_assert_ptr_nonnull(t->resp.body);
    cJSON *doc = cJSON_Parse(t->resp.body);
    ck_assert_msg(doc != NULL, "%s %s: answer is not JSON: %s", method, path, t->resp.body);
    cJSON_Delete(doc);
    return t->resp.status;
}

static inline int tc_get(struct tcloud *t, const char *path, const char *q)
{
    return tc_req(t, "GET", path, q, NULL, NULL, NULL, 0);
}

static inline int tc_send(struct tcloud *t, const char *method, const char *path,
                          const char *text)
{
    return tc_req(t, method, path, NULL, NULL, NULL, text, strlen(text));
}

/* The last answer parsed; the caller deletes it. */
static inline cJSON *tc_json(const struct tcloud *t)
{
    cJSON *doc = cJSON_Parse(t->resp.body);
    ck_assert_ptr_nonnull(doc);
    return doc;
}

static inline const char *tc_str(const cJSON *obj, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    ck_assert_msg(cJSON_IsString(v), "\"%s\" is not a string", key);
    return v->valuestring;
}

/* Checks the last answer is status with error code and a message holding
 * substring. */
static inline void tc_expect_error(const struct tcloud *t, int status, const char *code,
                                   const char *substring, const char *what)
{
    ck_assert_msg(t->resp.status == status, "%s: status %d, want %d: %s", what,
                  t->resp.status, status, t->resp.body);
    cJSON *doc = tc_json(t);
    ck_assert_msg(strcmp(tc_str(doc, "error"), code) == 0, "%s: error %s, want %s", what,
                  tc_str(doc, "error"), code);
    ck_assert_msg(strstr(tc_str(doc, "message"), substring) != NULL,
                  "%s: message \"%s\" lacks \"%s\"", what, tc_str(doc, "message"), substring);
    cJSON_Delete(doc);
}

static inline void tc_configure(struct tcloud *t)
{
    ck_assert_int_eq(cloud_activation_key_add(t->c, TC_KEY), 0);
    ck_assert_int_eq(tc_send(t, "PUT", "/api/v1/caps/config", TC_CONFIG), 200);
}

/* Activates a host; keeps its agent id and "Bearer TOKEN" in t. */
static inline void tc_activate(struct tcloud *t, const char *hostname, const char *macs_json)
{
    char body[512];

    snprintf(body, sizeof body, "{\"activation_key\":\"%s\",\"hostname\":\"%s\",\"macs\":%s}",
             TC_KEY, hostname, macs_json);
    ck_assert_msg(tc_send(t, "POST", "/api/v1/activate", body) == 201, "activate: %s",
                  t->resp.body);
    cJSON *doc = tc_json(t);
    snprintf(t->agent_id, sizeof t->agent_id, "%s", tc_str(doc, "agent_id"));
    snprintf(t->token, sizeof t->token, "Bearer %s", tc_str(doc, "token"));
    cJSON_Delete(doc);
}

/* A payload as JSON text (malloc'd): assets is the text inside "[...]". */
static inline char *tc_payload(const char *agent_id, const char *subnet, uint64_t epoch,
                               uint64_t seq, const char *summary, const char *assets)
{
    size_t n = strlen(assets) + strlen(summary) + strlen(agent_id) + strlen(subnet) + 256;
    char *p = malloc(n);
    ck_assert_ptr_nonnull(p);
    snprintf(p, n,
             "{\"version\":1,\"agent_id\":\"%s\",\"subnet\":\"%s\",\"epoch\":%llu,"
             "\"seq\":%llu,\"full\":true,\"built_at\":\"2026-11-28T03:00:00Z\","
             "\"summary\":%s,\"assets\":[%s]}",
             agent_id, subnet, (unsigned long long)epoch, (unsigned long long)seq, summary,
             assets);
    return p;
}

/* Posts a payload of t's agent as plain JSON with t's token. */
static inline int tc_upload(struct tcloud *t, const char *subnet, uint64_t epoch, uint64_t seq,
                            const char *summary, const char *assets)
{
    char *p = tc_payload(t->agent_id, subnet, epoch, seq, summary, assets);
    int status = tc_req(t, "POST", "/api/v1/caps/uploads", NULL, t->token, NULL, p, strlen(p));
    free(p);
    return status;
}

/* Everything the API shows (assets, agents, summaries, configuration), as
 * one malloc'd text: two snapshots are equal exactly when nothing changed. */
static inline char *tc_snapshot(struct tcloud *t)
{
    static const char *const paths[] = {"/api/v1/assets", "/api/v1/agents",
                                        "/api/v1/caps/summary", "/api/v1/caps/config"};
    size_t cap = 1, len = 0;
    char *out = calloc(1, 1);

    ck_assert_ptr_nonnull(out);
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
        int status = tc_get(t, paths[i], NULL);
        size_t n = strlen(t->resp.body);
        cap += n + 16;
        out = realloc(out, cap);
        ck_assert_ptr_nonnull(out);
        len += (size_t)snprintf(out + len, cap - len, "%d %s\n", status, t->resp.body);
    }
    return out;
}

/* Asset count of a query answer. */
static inline int tc_count(struct tcloud *t, const char *q)
{
    ck_assert_msg(tc_get(t, "/api/v1/assets", q) == 200, "q=%s: %s", q, t->resp.body);
    cJSON *doc = tc_json(t);
    const cJSON *count = cJSON_GetObjectItemCaseSensitive(doc, "count");
    ck_assert(cJSON_IsNumber(count));
    int n = count->valueint;
    ck_assert_int_eq(n, cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(doc, "assets")));
    cJSON_Delete(doc);
    return n;
}

/* The MACs a query answers, joined by spaces, into out. */
static inline const char *tc_macs(struct tcloud *t, const char *q, char *out, size_t cap)
{
    ck_assert_msg(tc_get(t, "/api/v1/assets", q) == 200, "q=%s: %s", q, t->resp.body);
    cJSON *doc = tc_json(t);
    const cJSON *a;
    size_t len = 0;
    out[0] = '\0';
    cJSON_ArrayForEach(a, cJSON_GetObjectItemCaseSensitive(doc, "assets")) {
        ck_assert_uint_lt(len + 20, cap);
        len += (size_t)snprintf(out + len, cap - len, "%s%s", len ? " " : "", tc_str(a, "mac"));
    }
    cJSON_Delete(doc);
    return out;
}

#endif
