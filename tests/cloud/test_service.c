/* test_service.c - the mock cloud's service: opening a database file,
 * configuration, activation (before and after a configuration, every bad
 * body), routing (404, 405, 413, 415), agents and their leader tag, the
 * latest summary per subnet, and durability across close and reopen. */
#define _POSIX_C_SOURCE 200809L     /* mkstemp, unlink */
#include <sqlite3.h>

#include "cloudtest.h"

Suite *suite_service(void);

static struct tcloud t;

static void setup(void)
{
    tc_open(&t);
}

static void teardown(void)
{
    tc_close(&t);
}

static int is_hex(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return 0;
    return 1;
}

/* ------------------------------------------------------------------ opening */

START_TEST(open_rejects_bad_arguments)
{
    char err[CLOUD_ERRMSG_MAX];
    const struct cloud_rng rng = {NULL, tc_rng_fill};
    const struct cloud_rng none = {NULL, NULL};

    ck_assert_ptr_null(cloud_open("", &rng, err));
    ck_assert_ptr_nonnull(strstr(err, "path"));
    ck_assert_ptr_null(cloud_open("/tmp/x.db", &none, err));
    ck_assert_ptr_nonnull(strstr(err, "random"));
    ck_assert_ptr_null(cloud_open("/nonexistent-dir-caps/cloud.db", &rng, err));
    ck_assert_msg(strstr(err, "/nonexistent-dir-caps/cloud.db: sqlite:") == err, "%s", err);
}
END_TEST

START_TEST(open_refuses_a_file_that_is_not_a_database)
{
    char err[CLOUD_ERRMSG_MAX];
    const struct cloud_rng rng = {NULL, tc_rng_fill};
    char path[] = "/tmp/caps_cloud_junk_XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    static const char junk[] = "this is certainly not an SQLite database, just some text .....";
    ck_assert_int_eq(write(fd, junk, sizeof junk), (ssize_t)sizeof junk);
    close(fd);
    struct cloud *c = cloud_open(path, &rng, err);
    unlink(path);
    ck_assert_ptr_null(c);
    ck_assert_msg(strstr(err, path) == err && strstr(err, "sqlite") != NULL, "%s", err);
}
END_TEST

START_TEST(database_is_in_wal_mode)
{
    char wal[80];

    tc_configure(&t);
    snprintf(wal, sizeof wal, "%s-wal", t.path);
    ck_assert_msg(access(wal, F_OK) == 0, "%s missing: not in WAL mode", wal);
}
END_TEST

START_TEST(memory_database_works_in_process)
{
    char err[CLOUD_ERRMSG_MAX];
    uint64_t s = 1;
    const struct cloud_rng rng = {&s, tc_rng_fill};
    struct cloud *c = cloud_open(":memory:", &rng, err);
    ck_assert_msg(c != NULL, "%s", err);
    ck_assert_int_eq(cloud_config_ensure_default(c, "lab.example"), 0);
    struct cloud_request req = {"GET", "/api/v1/caps/config", NULL, NULL, NULL, NULL, 0, 1};
    struct cloud_response resp;
    cloud_handle(c, &req, &resp);
    ck_assert_int_eq(resp.status, 200);
    ck_assert_ptr_nonnull(strstr(resp.body, "\"lab.example\""));
    cloud_response_free(&resp);
    cloud_close(c);
}
END_TEST

/* ------------------------------------------------------------ configuration */

START_TEST(config_missing_is_404)
{
    ck_assert_int_eq(tc_get(&t, "/api/v1/caps/config", NULL), 404);
    tc_expect_error(&t, 404, "not_configured", "PUT /api/v1/caps/config", "get");
}
END_TEST

START_TEST(config_put_stores_the_canonical_document)
{
    ck_assert_int_eq(tc_send(&t, "PUT", "/api/v1/caps/config",
                             "{\"domains\":[{\"name\":\"Corp.Example.COM.\"}],"
                             "\"upload_interval_minutes\":60}"),
                     200);
    char *put = strdup(t.resp.body);
    ck_assert_int_eq(tc_get(&t, "/api/v1/caps/config", NULL), 200);
    ck_assert_str_eq(t.resp.body, put);
    cJSON *doc = tc_json(&t);
    ck_assert_int_eq(cJSON_GetObjectItemCaseSensitive(doc, "upload_interval_minutes")->valueint,
                     60);
    ck_assert_int_eq(cJSON_GetObjectItemCaseSensitive(doc, "min_peers")->valueint, 2);
    const cJSON *d0 = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(doc, "domains"), 0);
    ck_assert_str_eq(tc_str(d0, "name"), "corp.example.com");
    cJSON_Delete(doc);
    free(put);
}
END_TEST

static const struct {
    const char *name, *body, *message;
} bad_configs[] = {
    {"interval", "{\"domains\":[{\"name\":\"a.example\"}],\"upload_interval_minutes\":5}",
     "\"upload_interval_minutes\" must be 15..1440, got 5"},
    {"no_domain", "{\"upload_interval_minutes\":30}", "domain"},
    {"unknown_key", "{\"domains\":[{\"name\":\"a.example\"}],\"colour\":1}", "colour"},
    {"syntax", "{\"domains\":[", "config:1:12"},
    {"empty", "", "config:1:1"},
    {"peers", "{\"domains\":[{\"name\":\"a.example\"}],\"min_peers\":1}", "\"min_peers\""},
};

START_TEST(config_put_rejects_with_the_codec_message)
{
    tc_configure(&t);
    char *before = tc_snapshot(&t);
    const char *body = bad_configs[_i].body;
    tc_req(&t, "PUT", "/api/v1/caps/config", NULL, NULL, NULL, body, strlen(body));
    tc_expect_error(&t, 400, "invalid_configuration", bad_configs[_i].message,
                    bad_configs[_i].name);
    char *after = tc_snapshot(&t);
    ck_assert_str_eq(after, before);
    free(before);
    free(after);
}
END_TEST

START_TEST(config_ensure_default_only_when_missing)
{
    ck_assert_int_eq(cloud_config_ensure_default(t.c, "Lab.Example"), 0);
    ck_assert_int_eq(tc_get(&t, "/api/v1/caps/config", NULL), 200);
    ck_assert_ptr_nonnull(strstr(t.resp.body, "\"domains\":[{\"name\":\"lab.example\""));
    ck_assert_ptr_nonnull(strstr(t.resp.body, "\"upload_interval_minutes\":30"));
    ck_assert_int_eq(tc_send(&t, "PUT", "/api/v1/caps/config",
                             "{\"domains\":[{\"name\":\"kept.example\"}]}"), 200);
    ck_assert_int_eq(cloud_config_ensure_default(t.c, "other.example"), 0);
    ck_assert_int_eq(tc_get(&t, "/api/v1/caps/config", NULL), 200);
    ck_assert_ptr_nonnull(strstr(t.resp.body, "kept.example"));
    ck_assert_ptr_null(strstr(t.resp.body, "other.example"));
}
END_TEST

START_TEST(config_ensure_default_rejects_a_bad_domain)
{
    ck_assert_int_eq(cloud_config_ensure_default(t.c, "not a domain!"), -1);
    ck_assert_int_eq(cloud_config_ensure_default(t.c, "-bad.example"), -1);
    ck_assert_int_eq(tc_get(&t, "/api/v1/caps/config", NULL), 404);
}
END_TEST

/* ------------------------------------------------------------------ activation */

#define ACT(key, host, macs) \
    "{\"activation_key\":\"" key "\",\"hostname\":\"" host "\",\"macs\":" macs "}"

START_TEST(activation_needs_a_configuration)
{
    ck_assert_int_eq(cloud_activation_key_add(t.c, TC_KEY), 0);
    ck_assert_int_eq(cloud_activation_key_add(t.c, TC_KEY), 0);     /* idempotent */
    char *before = tc_snapshot(&t);
    tc_send(&t, "POST", "/api/v1/activate", ACT(TC_KEY, "ws-1", "[\"aa:bb:cc:00:00:01\"]"));
    tc_expect_error(&t, 409, "not_configured", "PUT /api/v1/caps/config", "before config");
    char *after = tc_snapshot(&t);
    ck_assert_str_eq(after, before);
    free(after);
    free(before);
    ck_assert_int_eq(tc_send(&t, "PUT", "/api/v1/caps/config", TC_CONFIG), 200);
    ck_assert_int_eq(tc_send(&t, "POST", "/api/v1/activate",
                             ACT(TC_KEY, "ws-1", "[\"aa:bb:cc:00:00:01\"]")), 201);
}
END_TEST

START_TEST(activation_unknown_key_is_403)
{
    tc_configure(&t);
    char *before = tc_snapshot(&t);
    tc_send(&t, "POST", "/api/v1/activate", ACT("nope", "ws-1", "[\"aa:bb:cc:00:00:01\"]"));
    tc_expect_error(&t, 403, "unknown_activation_key", "\"nope\"", "unknown key");
    char *after = tc_snapshot(&t);
    ck_assert_str_eq(after, before);
    free(after);
    free(before);
}
END_TEST

START_TEST(activation_answers_uuid_v4_and_token)
{
    tc_configure(&t);
    tc_activate(&t, "WS-1", "[\"AA:BB:CC:00:00:01\", \"aa-bb-cc-00-00-02\"]");
    const char *id = t.agent_id;
    ck_assert_uint_eq(strlen(id), 36);
    ck_assert(id[8] == '-' && id[13] == '-' && id[18] == '-' && id[23] == '-');
    ck_assert_int_eq(id[14], '4');                               /* version 4 */
    ck_assert_ptr_nonnull(strchr("89ab", id[19]));               /* RFC 9562 variant */
    ck_assert(is_hex(id, 8) && is_hex(id + 9, 4) && is_hex(id + 24, 12));
    const char *tok = t.token + strlen("Bearer ");
    ck_assert_uint_eq(strlen(tok), 64);
    ck_assert(is_hex(tok, 64));
    /* A second activation gets other ids from the generator. */
    char first_id[64];
    memcpy(first_id, t.agent_id, sizeof first_id);
    tc_activate(&t, "ws-2", "[\"aa:bb:cc:00:00:09\"]");
    ck_assert_str_ne(first_id, t.agent_id);
}
END_TEST

START_TEST(activation_registers_a_managed_asset)
{
    tc_configure(&t);
    tc_activate(&t, "WS-1", "[\"AA:BB:CC:00:00:02\", \"aa-bb-cc-00-00-01\"]");
    ck_assert_int_eq(tc_get(&t, "/api/v1/assets/aa:bb:cc:00:00:01", NULL), 200);
    cJSON *a = tc_json(&t);
    ck_assert_str_eq(tc_str(a, "mac"), "aa:bb:cc:00:00:02");      /* the first given */
    ck_assert_str_eq(tc_str(a, "hostname"), "WS-1");
    ck_assert_str_eq(tc_str(a, "first_seen"), "2026-11-28T04:00:00Z");
    ck_assert(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(a, "managed")));
    char *macs = cJSON_PrintUnformatted(cJSON_GetObjectItemCaseSensitive(a, "macs"));
    ck_assert_str_eq(macs, "[\"aa:bb:cc:00:00:01\",\"aa:bb:cc:00:00:02\"]");
    char *src = cJSON_PrintUnformatted(cJSON_GetObjectItemCaseSensitive(a, "inventory_sources"));
    ck_assert_str_eq(src, "[\"Agent\"]");
    ck_assert(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(a, "caps")));
    free(macs);
    free(src);
    cJSON_Delete(a);
    ck_assert_int_eq(tc_count(&t, "managed:true"), 1);
    ck_assert_int_eq(tc_count(&t, "inventory.source:Agent"), 1);
    ck_assert_int_eq(tc_count(&t, "inventory.source:CAPS"), 0);
    /* Activating the same host again (a reinstall) keeps one asset. */
    tc_activate(&t, "ws-1", "[\"aa:bb:cc:00:00:01\"]");
    ck_assert_int_eq(tc_count(&t, NULL), 1);
    ck_assert_int_eq(tc_get(&t, "/api/v1/agents", NULL), 200);
    cJSON *agents = tc_json(&t);
    ck_assert_int_eq(cJSON_GetObjectItemCaseSensitive(agents, "count")->valueint, 2);
    cJSON_Delete(agents);
}
END_TEST

START_TEST(activation_failure_registers_nothing)
{
    sqlite3 *db = NULL;

    tc_configure(&t);
    /* A fault injected through a second connection: the agent row fails
     * after the host's asset was written in the same transaction. */
    ck_assert_int_eq(sqlite3_open(t.path, &db), SQLITE_OK);
    ck_assert_int_eq(sqlite3_exec(db, "CREATE TRIGGER inject BEFORE INSERT ON agents "
                                      "BEGIN SELECT RAISE(ABORT, 'injected fault'); END",
                                  NULL, NULL, NULL), SQLITE_OK);
    char *before = tc_snapshot(&t);
    tc_send(&t, "POST", "/api/v1/activate", ACT(TC_KEY, "ws-1", "[\"aa:bb:cc:00:00:01\"]"));
    tc_expect_error(&t, 500, "database", "activation: sqlite: injected fault", "injected");
    char *after = tc_snapshot(&t);
    ck_assert_str_eq(after, before);
    ck_assert_int_eq(sqlite3_exec(db, "DROP TRIGGER inject", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    ck_assert_int_eq(tc_send(&t, "POST", "/api/v1/activate",
                             ACT(TC_KEY, "ws-1", "[\"aa:bb:cc:00:00:01\"]")), 201);
    free(before);
    free(after);
}
END_TEST

static const struct {
    const char *name, *body, *message;
} bad_activations[] = {
    {"syntax", "{\"activation_key\":", "activation:1:18: invalid JSON"},
    {"second_line", "{\n  \"hostname\": x}", "activation:2:15: invalid JSON"},
    {"empty", "", "activation:1:1: invalid JSON, got an empty body"},
    {"trailing", "{} {}", "invalid JSON after the document"},
    {"array", "[1]", "the body must be an object, got [1]"},
    {"no_key", "{\"hostname\":\"h\",\"macs\":[\"aa:bb:cc:00:00:01\"]}",
     "\"activation_key\" must be a string of 1..256 printable bytes, got nothing"},
    {"key_number", "{\"activation_key\":7,\"hostname\":\"h\",\"macs\":[\"aa:bb:cc:00:00:01\"]}",
     "activation:1:19: \"activation_key\" must be a string of 1..256 printable bytes, got 7"},
    {"empty_host", ACT(TC_KEY, "", "[\"aa:bb:cc:00:00:01\"]"), "\"hostname\" must be"},
    {"control_host", ACT(TC_KEY, "a\\u0001b", "[\"aa:bb:cc:00:00:01\"]"), "\"hostname\" must be"},
    {"macs_missing", "{\"activation_key\":\"" TC_KEY "\",\"hostname\":\"h\"}",
     "\"macs\" must be an array of 1..32 MACs, got nothing"},
    {"macs_empty", ACT(TC_KEY, "h", "[]"), "\"macs\" must be an array of 1..32 MACs, got []"},
    {"mac_bad", ACT(TC_KEY, "h", "[\"aa:bb:cc:00:00:01\", \"aa:bb:cc:00:00\"]"),
     "\"macs[1]\" must be a MAC aa:bb:cc:dd:ee:ff, got \"aa:bb:cc:00:00\""},
    {"mac_mixed_sep", ACT(TC_KEY, "h", "[\"aa:bb-cc:00:00:01\"]"), "\"macs[0]\" must be a MAC"},
    {"mac_number", ACT(TC_KEY, "h", "[5]"), "\"macs[0]\" must be a MAC aa:bb:cc:dd:ee:ff, got 5"},
    {"mac_repeat", ACT(TC_KEY, "h", "[\"aa:bb:cc:00:00:01\", \"AA:BB:CC:00:00:01\"]"),
     "\"macs[1]\" repeats an earlier MAC"},
    {"macs_too_many",
     ACT(TC_KEY, "h",
         "[\"00:00:00:00:00:00\",\"00:00:00:00:00:01\",\"00:00:00:00:00:02\",\"00:00:00:00:00:03\","
         "\"00:00:00:00:00:04\",\"00:00:00:00:00:05\",\"00:00:00:00:00:06\",\"00:00:00:00:00:07\","
         "\"00:00:00:00:00:08\",\"00:00:00:00:00:09\",\"00:00:00:00:00:0a\",\"00:00:00:00:00:0b\","
         "\"00:00:00:00:00:0c\",\"00:00:00:00:00:0d\",\"00:00:00:00:00:0e\",\"00:00:00:00:00:0f\","
         "\"00:00:00:00:00:10\",\"00:00:00:00:00:11\",\"00:00:00:00:00:12\",\"00:00:00:00:00:13\","
         "\"00:00:00:00:00:14\",\"00:00:00:00:00:15\",\"00:00:00:00:00:16\",\"00:00:00:00:00:17\","
         "\"00:00:00:00:00:18\",\"00:00:00:00:00:19\",\"00:00:00:00:00:1a\",\"00:00:00:00:00:1b\","
         "\"00:00:00:00:00:1c\",\"00:00:00:00:00:1d\",\"00:00:00:00:00:1e\",\"00:00:00:00:00:1f\","
         "\"00:00:00:00:00:20\"]"),
     "\"macs\" must be an array of 1..32 MACs"},
};

START_TEST(activation_rejects_bad_bodies)
{
    tc_configure(&t);
    char *before = tc_snapshot(&t);
    tc_send(&t, "POST", "/api/v1/activate", bad_activations[_i].body);
    tc_expect_error(&t, 400, "bad_request", bad_activations[_i].message,
                    bad_activations[_i].name);
    char *after = tc_snapshot(&t);
    ck_assert_str_eq(after, before);
    free(after);
    free(before);
}
END_TEST

/* ------------------------------------------------------------------ routing */

static const struct {
    const char *method, *path, *enc;
    size_t body_bytes;
    int status;
    const char *code, *message, *allow;
} routes[] = {
    {"GET", "/api/v1/nothing", NULL, 0, 404, "not_found", "no such endpoint", NULL},
    {"GET", "/", NULL, 0, 404, "not_found", "GET \"/\"", NULL},
    {"GET", "/api/v2/assets", NULL, 0, 404, "not_found", "no such endpoint", NULL},
    {"GET", "/api/v1/assets/", NULL, 0, 404, "not_found", "no such endpoint", NULL},
    {"GET", "/api/v1/assets/aa:bb:cc:00:00:01/x", NULL, 0, 404, "not_found", "endpoint", NULL},
    {"POST", "/api/v1/assets", NULL, 0, 405, "method_not_allowed", "(allowed: GET)", "GET"},
    {"DELETE", "/api/v1/caps/config", NULL, 0, 405, "method_not_allowed", "DELETE", "GET, PUT"},
    {"GET", "/api/v1/activate", NULL, 0, 405, "method_not_allowed", "(allowed: POST)", "POST"},
    {"GET", "/api/v1/caps/uploads", NULL, 0, 405, "method_not_allowed", "POST", "POST"},
    {"PUT", "/api/v1/agents", NULL, 0, 405, "method_not_allowed", "PUT", "GET"},
    {"POST", "/api/v1/caps/summary", NULL, 0, 405, "method_not_allowed", "POST", "GET"},
    {"DELETE", "/api/v1/assets/aa:bb:cc:00:00:01", NULL, 0, 405, "method_not_allowed", "GET",
     "GET"},
    {"GET", "/api/v1/assets/not-a-mac", NULL, 0, 400, "bad_mac", "\"not-a-mac\" is not a MAC",
     NULL},
    {"GET", "/api/v1/assets/aa:bb:cc:00:00:0g", NULL, 0, 400, "bad_mac", "is not a MAC", NULL},
    {"GET", "/api/v1/assets/00:11:22:33:44:55", NULL, 0, 404, "not_found",
     "no asset has the MAC 00:11:22:33:44:55", NULL},
    {"PUT", "/api/v1/caps/config", "gzip", 10, 415, "unsupported_encoding", "\"gzip\"", NULL},
    {"POST", "/api/v1/activate", "br", 10, 415, "unsupported_encoding", "identity only", NULL},
    {"POST", "/api/v1/activate", NULL, (1u << 20) + 1, 413, "too_large", "exceeds 1048576", NULL},
    {"PUT", "/api/v1/caps/config", NULL, (1u << 20) + 1, 413, "too_large", "1048577 bytes", NULL},
};

START_TEST(routing_errors)
{
    tc_configure(&t);
    char *before = tc_snapshot(&t);
    uint8_t *body = calloc(1, routes[_i].body_bytes + 1);
    ck_assert_ptr_nonnull(body);
    memset(body, ' ', routes[_i].body_bytes);
    tc_req(&t, routes[_i].method, routes[_i].path, NULL, NULL, routes[_i].enc,
           routes[_i].body_bytes ? body : NULL, routes[_i].body_bytes);
    free(body);
    tc_expect_error(&t, routes[_i].status, routes[_i].code, routes[_i].message,
                    routes[_i].path);
    if (routes[_i].allow != NULL)
        ck_assert_str_eq(t.resp.allow, routes[_i].allow);
    else
        ck_assert_ptr_null(t.resp.allow);
    char *after = tc_snapshot(&t);
    ck_assert_str_eq(after, before);
    free(after);
    free(before);
}
END_TEST

START_TEST(request_without_method_is_400)
{
    struct cloud_request req = {NULL, "/api/v1/agents", NULL, NULL, NULL, NULL, 0, 0};
    struct cloud_response resp;
    cloud_handle(t.c, &req, &resp);
    ck_assert_int_eq(resp.status, 400);
    ck_assert_ptr_nonnull(strstr(resp.body, "\"bad_request\""));
    cloud_response_free(&resp);
}
END_TEST

/* ------------------------------------------------------------ agents, summaries */

#define ONE_ASSET TC_ASSET("00:11:22:33:44:55", "2026-11-28T02:00:00Z", "2026-11-28T02:10:00Z", "")

static const cJSON *agent_by_id(const cJSON *doc, const char *id)
{
    const cJSON *a;
    cJSON_ArrayForEach(a, cJSON_GetObjectItemCaseSensitive(doc, "agents"))
        if (strcmp(tc_str(a, "agent_id"), id) == 0)
            return a;
    ck_abort_msg("agent %s not listed", id);
    return NULL;
}

static char *tags_of(const cJSON *doc, const char *id)
{
    return cJSON_PrintUnformatted(cJSON_GetObjectItemCaseSensitive(agent_by_id(doc, id), "tags"));
}

START_TEST(agents_tag_the_leader_of_the_current_epoch)
{
    char a_id[64], a_tok[80];

    tc_configure(&t);
    tc_activate(&t, "sensor-a", "[\"aa:00:00:00:00:0a\"]");
    memcpy(a_id, t.agent_id, sizeof a_id);
    memcpy(a_tok, t.token, sizeof a_tok);
    tc_activate(&t, "sensor-b", "[\"aa:00:00:00:00:0b\"]");
    ck_assert_int_eq(tc_get(&t, "/api/v1/agents", NULL), 200);
    cJSON *doc = tc_json(&t);
    char *tags = tags_of(doc, a_id);
    ck_assert_str_eq(tags, "[\"CAPS Sensor\"]");
    free(tags);
    ck_assert(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(agent_by_id(doc, a_id), "subnet")));
    cJSON_Delete(doc);

    /* A leads epoch 1, B takes over at epoch 2; A's late epoch-1 upload is
     * fenced and does not move the tag back. */
    char b_id[64], b_tok[80];
    memcpy(b_id, t.agent_id, sizeof b_id);
    memcpy(b_tok, t.token, sizeof b_tok);
    memcpy(t.agent_id, a_id, sizeof a_id);
    memcpy(t.token, a_tok, sizeof a_tok);
    ck_assert_int_eq(tc_upload(&t, "10.0.0.0/24", 1, 100, "{}", ONE_ASSET), 200);
    ck_assert_int_eq(tc_get(&t, "/api/v1/agents", NULL), 200);
    doc = tc_json(&t);
    tags = tags_of(doc, a_id);
    ck_assert_str_eq(tags, "[\"CAPS Sensor\",\"CAPS Leader\"]");
    free(tags);
    ck_assert_str_eq(tc_str(agent_by_id(doc, a_id), "subnet"), "10.0.0.0/24");
    ck_assert_str_eq(tc_str(agent_by_id(doc, a_id), "last_upload_at"), "2026-11-28T04:00:00Z");
    cJSON_Delete(doc);

    memcpy(t.agent_id, b_id, sizeof b_id);
    memcpy(t.token, b_tok, sizeof b_tok);
    ck_assert_int_eq(tc_upload(&t, "10.0.0.0/24", 2, 7, "{}", ONE_ASSET), 200);
    memcpy(t.agent_id, a_id, sizeof a_id);
    memcpy(t.token, a_tok, sizeof a_tok);
    ck_assert_int_eq(tc_upload(&t, "10.0.0.0/24", 1, 101, "{}", ONE_ASSET), 409);
    ck_assert_int_eq(tc_get(&t, "/api/v1/agents", NULL), 200);
    doc = tc_json(&t);
    tags = tags_of(doc, a_id);
    ck_assert_str_eq(tags, "[\"CAPS Sensor\"]");
    free(tags);
    tags = tags_of(doc, b_id);
    ck_assert_str_eq(tags, "[\"CAPS Sensor\",\"CAPS Leader\"]");
    free(tags);
    ck_assert_int_eq(cJSON_GetObjectItemCaseSensitive(doc, "count")->valueint, 2);
    cJSON_Delete(doc);
}
END_TEST

START_TEST(summary_keeps_the_latest_by_epoch_and_seq)
{
    tc_configure(&t);
    tc_activate(&t, "sensor-a", "[\"aa:00:00:00:00:0a\"]");
    ck_assert_int_eq(tc_get(&t, "/api/v1/caps/summary", NULL), 200);
    ck_assert_str_eq(t.resp.body, "{\"subnets\":[],\"count\":0}");
    ck_assert_int_eq(tc_upload(&t, "10.0.0.0/24", 1, 10, "{\"frames\":10}", ONE_ASSET), 200);
    /* A lower seq arriving later (a retried older payload) is stored but is
     * not the latest summary. */
    ck_assert_int_eq(tc_upload(&t, "10.0.0.0/24", 1, 9, "{\"frames\":9}", ONE_ASSET), 200);
    ck_assert_int_eq(tc_upload(&t, "192.168.1.0/24", 4, 1, "{\"frames\":1}", ""), 200);
    ck_assert_int_eq(tc_get(&t, "/api/v1/caps/summary", NULL), 200);
    cJSON *doc = tc_json(&t);
    const cJSON *subnets = cJSON_GetObjectItemCaseSensitive(doc, "subnets");
    ck_assert_int_eq(cJSON_GetArraySize(subnets), 2);
    const cJSON *s0 = cJSON_GetArrayItem(subnets, 0), *s1 = cJSON_GetArrayItem(subnets, 1);
    ck_assert_str_eq(tc_str(s0, "subnet"), "10.0.0.0/24");
    ck_assert_int_eq(cJSON_GetObjectItemCaseSensitive(s0, "seq")->valueint, 10);
    char *sum = cJSON_PrintUnformatted(cJSON_GetObjectItemCaseSensitive(s0, "summary"));
    ck_assert_str_eq(sum, "{\"frames\":10}");
    free(sum);
    ck_assert_str_eq(tc_str(s0, "agent_id"), t.agent_id);
    ck_assert_str_eq(tc_str(s0, "received_at"), "2026-11-28T04:00:00Z");
    ck_assert_str_eq(tc_str(s1, "subnet"), "192.168.1.0/24");
    ck_assert_int_eq(cJSON_GetObjectItemCaseSensitive(s1, "epoch")->valueint, 4);
    cJSON_Delete(doc);
    /* A higher epoch replaces it even with a lower seq. */
    ck_assert_int_eq(tc_upload(&t, "10.0.0.0/24", 2, 3, "{\"frames\":3}", ONE_ASSET), 200);
    ck_assert_int_eq(tc_get(&t, "/api/v1/caps/summary", NULL), 200);
    ck_assert_ptr_nonnull(strstr(t.resp.body, "{\"frames\":3}"));
    ck_assert_ptr_null(strstr(t.resp.body, "{\"frames\":10}"));
}
END_TEST

/* ------------------------------------------------------------------ durability */

START_TEST(data_survives_close_and_reopen)
{
    tc_configure(&t);
    tc_activate(&t, "sensor-a", "[\"aa:00:00:00:00:0a\"]");
    ck_assert_int_eq(tc_upload(&t, "10.0.0.0/24", 3, 10, "{\"frames\":10}", ONE_ASSET), 200);
    char *before = tc_snapshot(&t);
    cloud_response_free(&t.resp);
    cloud_close(t.c);
    tc_reopen(&t);
    char *after = tc_snapshot(&t);
    ck_assert_str_eq(after, before);
    ck_assert_ptr_nonnull(strstr(after, "00:11:22:33:44:55"));
    /* The token, the idempotency log and the fence survived too. */
    ck_assert_int_eq(tc_upload(&t, "10.0.0.0/24", 3, 10, "{\"frames\":10}", ONE_ASSET), 200);
    ck_assert_ptr_nonnull(strstr(t.resp.body, "\"duplicate\""));
    ck_assert_int_eq(tc_upload(&t, "10.0.0.0/24", 2, 11, "{}", ONE_ASSET), 409);
    free(before);
    free(after);
}
END_TEST

#define ADMIN "0123456789abcdef-admin"
#define OTHER_CONFIG "{\"domains\": [{\"name\": \"other.example\"}]}"

/* With an admin token, only its bearer may change the configuration; every
 * refusal is 401 and leaves the stored document as it was. */
START_TEST(admin_token_guards_the_configuration)
{
    ck_assert_int_eq(cloud_admin_token_set(t.c, "short"), -1);
    ck_assert_int_eq(cloud_admin_token_set(t.c, "0123456789abcdef with space"), -1);
    ck_assert_int_eq(cloud_admin_token_set(t.c, NULL), -1);
    tc_configure(&t);                            /* open until the token is set */
    tc_activate(&t, "sensor-1", "[\"aa:00:00:00:00:01\"]");
    ck_assert_int_eq(cloud_admin_token_set(t.c, ADMIN), 0);
    ck_assert_int_eq(tc_get(&t, "/api/v1/caps/config", NULL), 200);
    char *before = strdup(t.resp.body);
    /* t.token is the sensor's whole header, "Bearer TOKEN". */
    const char *const refused[] = {NULL, "", "Basic " ADMIN, "Bearer " ADMIN "x",
                                   "Bearer 0123456789abcdef-admiN", "Bearer", t.token};
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
        tc_req(&t, "PUT", "/api/v1/caps/config", NULL, refused[i], NULL, OTHER_CONFIG,
               strlen(OTHER_CONFIG));
        tc_expect_error(&t, 401, "unauthorized", "/api/v1/caps/config", "refused admin");
        ck_assert_int_eq(tc_get(&t, "/api/v1/caps/config", NULL), 200);
        ck_assert_str_eq(t.resp.body, before);
    }
    tc_req(&t, "PUT", "/api/v1/caps/config", NULL, "bearer  " ADMIN, NULL, OTHER_CONFIG,
           strlen(OTHER_CONFIG));
    ck_assert_msg(t.resp.status == 200, "%s", t.resp.body);
    ck_assert_int_eq(tc_get(&t, "/api/v1/caps/config", NULL), 200);
    ck_assert_ptr_nonnull(strstr(t.resp.body, "other.example"));
    free(before);
}
END_TEST

Suite *suite_service(void)
{
    Suite *s = suite_create("cloud_service");
    TCase *tc = tcase_create("open");
    tcase_add_unchecked_fixture(tc, tc_file_make, tc_file_remove);
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, open_rejects_bad_arguments);
    tcase_add_test(tc, open_refuses_a_file_that_is_not_a_database);
    tcase_add_test(tc, database_is_in_wal_mode);
    tcase_add_test(tc, memory_database_works_in_process);
    suite_add_tcase(s, tc);

    tc = tcase_create("config");
    tcase_add_unchecked_fixture(tc, tc_file_make, tc_file_remove);
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, config_missing_is_404);
    tcase_add_test(tc, config_put_stores_the_canonical_document);
    tcase_add_loop_test(tc, config_put_rejects_with_the_codec_message, 0,
                        (int)(sizeof bad_configs / sizeof bad_configs[0]));
    tcase_add_test(tc, config_ensure_default_only_when_missing);
    tcase_add_test(tc, config_ensure_default_rejects_a_bad_domain);
    tcase_add_test(tc, admin_token_guards_the_configuration);
    suite_add_tcase(s, tc);

    tc = tcase_create("activation");
    tcase_add_unchecked_fixture(tc, tc_file_make, tc_file_remove);
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, activation_needs_a_configuration);
    tcase_add_test(tc, activation_unknown_key_is_403);
    tcase_add_test(tc, activation_answers_uuid_v4_and_token);
    tcase_add_test(tc, activation_registers_a_managed_asset);
    tcase_add_test(tc, activation_failure_registers_nothing);
    tcase_add_loop_test(tc, activation_rejects_bad_bodies, 0,
                        (int)(sizeof bad_activations / sizeof bad_activations[0]));
    suite_add_tcase(s, tc);

    tc = tcase_create("routing");
    tcase_add_unchecked_fixture(tc, tc_file_make, tc_file_remove);
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_loop_test(tc, routing_errors, 0, (int)(sizeof routes / sizeof routes[0]));
    tcase_add_test(tc, request_without_method_is_400);
    suite_add_tcase(s, tc);

    tc = tcase_create("agents_summary");
    tcase_add_unchecked_fixture(tc, tc_file_make, tc_file_remove);
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, agents_tag_the_leader_of_the_current_epoch);
    tcase_add_test(tc, summary_keeps_the_latest_by_epoch_and_seq);
    tcase_add_test(tc, data_survives_close_and_reopen);
    suite_add_tcase(s, tc);
    return s;
}
