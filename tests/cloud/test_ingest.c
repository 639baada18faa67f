/* test_ingest.c - POST /api/v1/caps/uploads: accepted payloads and what they
 * store, idempotent retries, epoch fencing per subnet, the merge by MAC,
 * dedup against managed assets (MAC first, then hostname), gzip bodies
 * (compressed here with zlib), and every refusal (400, 401, 403, 409, 413,
 * 415) leaving the database byte for byte as it was. */
#define _POSIX_C_SOURCE 200809L     /* mkstemp, unlink, strdup */
#include <sqlite3.h>
#include <zlib.h>

#include "cloudtest.h"

Suite *suite_ingest(void);

static struct tcloud t;

/* Every test starts with a configured cloud and one activated sensor whose
 * own host is aa:00:00:00:00:01 "sensor-1". */
static void setup(void)
{
    tc_open(&t);
    tc_configure(&t);
    tc_activate(&t, "sensor-1", "[\"aa:00:00:00:00:01\"]");
}

static void teardown(void)
{
    tc_close(&t);
}

#define SUBNET "10.1.0.0/24"
#define PRINTER(first, last, extra) TC_ASSET("00:11:22:33:44:55", first, last, extra)
#define T0 "2026-11-28T02:00:00Z"
#define T1 "2026-11-28T02:10:00Z"
#define T2 "2026-11-28T02:20:00Z"
#define T3 "2026-11-28T02:30:00Z"

static int post(const char *auth, const char *enc, const void *body, size_t len)
{
    return tc_req(&t, "POST", "/api/v1/caps/uploads", NULL, auth, enc, body, len);
}

/* gzip (RFC 1952) of in[0..n), malloc'd into *out. */
static size_t gzip_bytes(const void *in, size_t n, uint8_t **out)
{
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    ck_assert_int_eq(deflateInit2(&zs, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY),
                     Z_OK);
    size_t cap = deflateBound(&zs, (uLong)n) + 64;
    *out = malloc(cap);
    ck_assert_ptr_nonnull(*out);
    zs.next_in = (Bytef *)(uintptr_t)in;
    zs.avail_in = (uInt)n;
    zs.next_out = *out;
    zs.avail_out = (uInt)cap;
    ck_assert_int_eq(deflate(&zs, Z_FINISH), Z_STREAM_END);
    size_t len = cap - zs.avail_out;
    deflateEnd(&zs);
    return len;
}

static const cJSON *member(const cJSON *obj, const char *key)
{
    return cJSON_GetObjectItemCaseSensitive(obj, key);
}

static char *compact(const cJSON *item)
{
    char *s = cJSON_PrintUnformatted(item);
    ck_assert_ptr_nonnull(s);
    return s;
}

static void expect_member(const cJSON *obj, const char *key, const char *json)
{
    char *s = compact(member(obj, key));
    ck_assert_msg(strcmp(s, json) == 0, "\"%s\" is %s, want %s", key, s, json);
    free(s);
}

/* ------------------------------------------------------------------ accepted */

START_TEST(accepted_payload_is_stored)
{
    ck_assert_int_eq(tc_upload(&t, SUBNET, 1, 1764300000000001ull, "{\"frames\":3}",
                               PRINTER(T0, T1, ",\"ips\":[\"10.1.0.5\"],\"hostname\":\"PRN-1\","
                                               "\"vendor\":\"HP Inc\",\"sources\":[\"mdns\"],"
                                               "\"status\":\"in_scope\"")),
                     200);
    ck_assert_str_eq(t.resp.body,
                     "{\"status\":\"accepted\",\"assets\":1,\"epoch\":1,\"seq\":1764300000000001}");
    ck_assert_int_eq(tc_get(&t, "/api/v1/assets/00:11:22:33:44:55", NULL), 200);
    cJSON *a = tc_json(&t);
    expect_member(a, "ips", "[\"10.1.0.5\"]");
    expect_member(a, "hostname", "\"PRN-1\"");
    expect_member(a, "managed", "false");
    expect_member(a, "inventory_sources", "[\"CAPS\"]");
    expect_member(a, "macs", "[\"00:11:22:33:44:55\"]");
    const cJSON *caps = member(a, "caps");
    ck_assert_str_eq(tc_str(caps, "agent_id"), t.agent_id);
    ck_assert_str_eq(tc_str(caps, "first_found"), T0);
    ck_assert_str_eq(tc_str(caps, "last_seen"), T1);
    cJSON_Delete(a);
}
END_TEST

START_TEST(payload_cannot_claim_cloud_fields)
{
    ck_assert_int_eq(tc_upload(&t, SUBNET, 1, 1,
                               "{}", PRINTER(T0, T1, ",\"managed\":true,\"inventory_sources\":"
                                                     "[\"Agent\"],\"macs\":[\"x\"],\"caps\":1")),
                     200);
    ck_assert_int_eq(tc_get(&t, "/api/v1/assets/00:11:22:33:44:55", NULL), 200);
    cJSON *a = tc_json(&t);
    expect_member(a, "managed", "false");
    expect_member(a, "inventory_sources", "[\"CAPS\"]");
    expect_member(a, "macs", "[\"00:11:22:33:44:55\"]");
    cJSON_Delete(a);
}
END_TEST

START_TEST(empty_payload_is_accepted)
{
    ck_assert_int_eq(tc_upload(&t, SUBNET, 0, 5, "{\"frames\":0}", ""), 200);
    ck_assert_str_eq(t.resp.body, "{\"status\":\"accepted\",\"assets\":0,\"epoch\":0,\"seq\":5}");
    ck_assert_int_eq(tc_count(&t, "inventory.source:CAPS"), 0);
}
END_TEST

/* ------------------------------------------------------------------ idempotency */

START_TEST(same_payload_twice_is_a_duplicate)
{
    const char *assets = PRINTER(T0, T1, ",\"ips\":[\"10.1.0.5\"]");
    ck_assert_int_eq(tc_upload(&t, SUBNET, 2, 77, "{\"frames\":1}", assets), 200);
    ck_assert_ptr_nonnull(strstr(t.resp.body, "\"accepted\""));
    char *before = tc_snapshot(&t);
    ck_assert_int_eq(tc_upload(&t, SUBNET, 2, 77, "{\"frames\":1}", assets), 200);
    ck_assert_str_eq(t.resp.body, "{\"status\":\"duplicate\",\"epoch\":2,\"seq\":77}");
    char *after = tc_snapshot(&t);
    ck_assert_str_eq(after, before);
    /* The key is (agent, epoch, seq): other content under the same key is
     * still a duplicate and changes nothing. */
    ck_assert_int_eq(tc_upload(&t, SUBNET, 2, 77, "{\"frames\":9}",
                               PRINTER(T0, T3, ",\"ips\":[\"10.1.0.99\"]")), 200);
    ck_assert_ptr_nonnull(strstr(t.resp.body, "\"duplicate\""));
    free(after);
    after = tc_snapshot(&t);
    ck_assert_str_eq(after, before);
    /* A new seq is a new payload. */
    ck_assert_int_eq(tc_upload(&t, SUBNET, 2, 78, "{\"frames\":1}", assets), 200);
    ck_assert_ptr_nonnull(strstr(t.resp.body, "\"accepted\""));
    free(before);
    free(after);
}
END_TEST

/* Posts t's payload at now_us (tc_upload's clock is fixed). */
static int upload_at(uint64_t now_us, uint64_t seq, const char *assets)
{
    char *p = tc_payload(t.agent_id, SUBNET, 2, seq, "{}", assets);
    struct cloud_request req = {"POST", "/api/v1/caps/uploads", NULL, t.token, NULL,
                                (const uint8_t *)p, strlen(p), now_us};
    cloud_response_free(&t.resp);
    cloud_handle(t.c, &req, &t.resp);
    free(p);
    return t.resp.status;
}

/* The idempotency log keeps CLOUD_IDEMPOTENCY_KEEP_US of keys: within it a
 * key again is a duplicate; once an upload after that window has pruned it,
 * the same payload is merged again, and the merge leaves the asset as it was. */
START_TEST(idempotency_log_is_pruned_after_its_window)
{
    const char *assets = PRINTER(T0, T1, ",\"ips\":[\"10.1.0.5\"]");
    ck_assert_int_eq(upload_at(TC_NOW_US, 90, assets), 200);
    ck_assert_ptr_nonnull(strstr(t.resp.body, "\"accepted\""));
    ck_assert_int_eq(upload_at(TC_NOW_US + CLOUD_IDEMPOTENCY_KEEP_US - 1, 90, assets), 200);
    ck_assert_ptr_nonnull(strstr(t.resp.body, "\"duplicate\""));
    ck_assert_int_eq(tc_get(&t, "/api/v1/assets", NULL), 200);
    cJSON *doc = tc_json(&t);
    char *before = compact(member(doc, "assets"));
    cJSON_Delete(doc);
    /* Another upload one microsecond past the window prunes key 90. */
    ck_assert_int_eq(upload_at(TC_NOW_US + CLOUD_IDEMPOTENCY_KEEP_US + 1, 91, "") , 200);
    ck_assert_int_eq(upload_at(TC_NOW_US + CLOUD_IDEMPOTENCY_KEEP_US + 2, 90, assets), 200);
    ck_assert_ptr_nonnull(strstr(t.resp.body, "\"accepted\""));
    ck_assert_int_eq(tc_get(&t, "/api/v1/assets", NULL), 200);
    doc = tc_json(&t);
    char *after = compact(member(doc, "assets"));
    cJSON_Delete(doc);
    ck_assert_str_eq(after, before);     /* merged again: the same asset */
    free(before);
    free(after);
}
END_TEST

/* ------------------------------------------------------------------ fencing */

START_TEST(lower_epoch_is_fenced)
{
    ck_assert_int_eq(tc_upload(&t, SUBNET, 2, 10, "{\"frames\":2}", PRINTER(T0, T1, "")), 200);
    char *before = tc_snapshot(&t);
    ck_assert_int_eq(tc_upload(&t, SUBNET, 1, 11, "{\"frames\":1}", PRINTER(T0, T3, "")), 409);
    tc_expect_error(&t, 409, "fenced", "epoch 1 is below the epoch 2 of subnet \"10.1.0.0/24\"",
                    "fenced");
    cJSON *doc = tc_json(&t);
    ck_assert_int_eq(member(doc, "subnet_epoch")->valueint, 2);
    cJSON_Delete(doc);
    char *after = tc_snapshot(&t);
    ck_assert_str_eq(after, before);
    /* Another subnet has its own epoch. */
    ck_assert_int_eq(tc_upload(&t, "10.2.0.0/24", 1, 12, "{}", ""), 200);
    /* The same epoch is accepted; a higher one raises the subnet's. */
    ck_assert_int_eq(tc_upload(&t, SUBNET, 2, 13, "{}", ""), 200);
    ck_assert_int_eq(tc_upload(&t, SUBNET, 5, 14, "{}", ""), 200);
    ck_assert_int_eq(tc_upload(&t, SUBNET, 4, 15, "{}", ""), 409);
    doc = tc_json(&t);
    ck_assert_int_eq(member(doc, "subnet_epoch")->valueint, 5);
    cJSON_Delete(doc);
    free(before);
    free(after);
}
END_TEST

/* ------------------------------------------------------------------ merge */

START_TEST(merge_by_mac)
{
    ck_assert_int_eq(tc_upload(&t, SUBNET, 1, 1, "{}",
                               PRINTER(T1, T2, ",\"ips\":[\"10.1.0.5\"],\"sources\":[\"arp\"],"
                                               "\"hostname\":null,\"vendor\":\"HP Inc\"")),
                     200);
    ck_assert_int_eq(tc_upload(&t, SUBNET, 1, 2, "{}",
                               PRINTER(T0, T3, ",\"ips\":[\"10.1.0.6\"],\"sources\":[\"mdns\"],"
                                               "\"hostname\":\"prn-1\",\"vendor\":null")),
                     200);
    ck_assert_int_eq(tc_count(&t, NULL), 2);            /* the printer and sensor-1 */
    ck_assert_int_eq(tc_get(&t, "/api/v1/assets/00:11:22:33:44:55", NULL), 200);
    cJSON *a = tc_json(&t);
    ck_assert_str_eq(tc_str(a, "first_seen"), T0);
    ck_assert_str_eq(tc_str(a, "last_seen"), T3);
    expect_member(a, "ips", "[\"10.1.0.6\",\"10.1.0.5\"]");
    expect_member(a, "sources", "[\"mdns\",\"arp\"]");
    expect_member(a, "hostname", "\"prn-1\"");
    expect_member(a, "vendor", "\"HP Inc\"");             /* null never erases */
    const cJSON *caps = member(a, "caps");
    ck_assert_str_eq(tc_str(caps, "first_found"), T0);
    ck_assert_str_eq(tc_str(caps, "last_seen"), T3);
    cJSON_Delete(a);
    /* An older view of the device later on moves neither time back. */
    ck_assert_int_eq(tc_upload(&t, SUBNET, 1, 3, "{}", PRINTER(T1, T1, "")), 200);
    ck_assert_int_eq(tc_get(&t, "/api/v1/assets/00:11:22:33:44:55", NULL), 200);
    a = tc_json(&t);
    ck_assert_str_eq(tc_str(a, "first_seen"), T0);
    ck_assert_str_eq(tc_str(a, "last_seen"), T3);
    ck_assert_str_eq(tc_str(member(a, "caps"), "last_seen"), T3);
    cJSON_Delete(a);
}
END_TEST

START_TEST(dedup_with_managed_by_mac)
{
    ck_assert_int_eq(tc_upload(&t, SUBNET, 1, 1, "{}",
                               TC_ASSET("aa:00:00:00:00:01", T0, T1,
                                        ",\"ips\":[\"10.1.0.9\"],\"os\":{\"family\":\"linux\"}")),
                     200);
    ck_assert_int_eq(tc_count(&t, NULL), 1);
    ck_assert_int_eq(tc_get(&t, "/api/v1/assets/aa:00:00:00:00:01", NULL), 200);
    cJSON *a = tc_json(&t);
    expect_member(a, "managed", "true");
    expect_member(a, "inventory_sources", "[\"Agent\",\"CAPS\"]");
    expect_member(a, "ips", "[\"10.1.0.9\"]");
    expect_member(a, "hostname", "\"sensor-1\"");          /* the agent's, kept */
    ck_assert_str_eq(tc_str(member(a, "caps"), "agent_id"), t.agent_id);
    cJSON_Delete(a);
    ck_assert_int_eq(tc_count(&t, "managed:true and inventory.source:CAPS"), 1);
    ck_assert_int_eq(tc_count(&t, "managed:false"), 0);
}
END_TEST

START_TEST(dedup_with_managed_by_hostname)
{
    tc_activate(&t, "WS-17.corp.example.com", "[\"aa:00:00:00:00:17\"]");
    /* The workstation's Wi-Fi MAC, seen by CAPS with the same name in
     * another case: it joins the managed asset and the MAC is recorded. */
    ck_assert_int_eq(tc_upload(&t, SUBNET, 1, 1, "{}",
                               TC_ASSET("bb:00:00:00:00:17", T0, T1,
                                        ",\"hostname\":\"ws-17.CORP.example.com\","
                                        "\"ips\":[\"10.1.0.17\"]")),
                     200);
    ck_assert_int_eq(tc_count(&t, NULL), 2);               /* sensor-1 and ws-17 */
    ck_assert_int_eq(tc_get(&t, "/api/v1/assets/bb:00:00:00:00:17", NULL), 200);
    cJSON *a = tc_json(&t);
    ck_assert_str_eq(tc_str(a, "mac"), "aa:00:00:00:00:17");
    expect_member(a, "macs", "[\"aa:00:00:00:00:17\",\"bb:00:00:00:00:17\"]");
    expect_member(a, "managed", "true");
    expect_member(a, "inventory_sources", "[\"Agent\",\"CAPS\"]");
    expect_member(a, "ips", "[\"10.1.0.17\"]");
    cJSON_Delete(a);
    /* Next time the MAC itself finds it (MAC first). */
    ck_assert_int_eq(tc_upload(&t, SUBNET, 1, 2, "{}",
                               TC_ASSET("bb:00:00:00:00:17", T0, T2, ",\"hostname\":\"renamed\"")),
                     200);
    ck_assert_int_eq(tc_count(&t, NULL), 2);
    ck_assert_int_eq(tc_count(&t, "hostname:renamed and managed:true"), 1);
}
END_TEST

START_TEST(hostname_matches_only_managed_assets)
{
    /* Two unmanaged devices with one name stay two assets. */
    ck_assert_int_eq(tc_upload(&t, SUBNET, 1, 1, "{}",
                               TC_ASSET("00:00:00:00:00:0a", T0, T1, ",\"hostname\":\"android\"")
                               ","
                               TC_ASSET("00:00:00:00:00:0b", T0, T1, ",\"hostname\":\"Android\"")),
                     200);
    ck_assert_int_eq(tc_count(&t, "managed:false"), 2);
    ck_assert_int_eq(tc_count(&t, "hostname:ANDROID"), 2);
}
END_TEST

/* ------------------------------------------------------------------ gzip */

START_TEST(gzip_body_is_accepted)
{
    char *p = tc_payload(t.agent_id, SUBNET, 1, 1, "{}",
                         PRINTER(T0, T1, ",\"ips\":[\"10.1.0.5\"]"));
    uint8_t *z;
    size_t zn = gzip_bytes(p, strlen(p), &z);
    ck_assert_int_eq(post(t.token, "gzip", z, zn), 200);
    ck_assert_ptr_nonnull(strstr(t.resp.body, "\"accepted\""));
    /* The same payload plain is the same key: a duplicate. */
    ck_assert_int_eq(post(t.token, "identity", p, strlen(p)), 200);
    ck_assert_ptr_nonnull(strstr(t.resp.body, "\"duplicate\""));
    ck_assert_int_eq(tc_count(&t, "inventory.source:CAPS"), 1);
    free(z);
    free(p);
}
END_TEST

START_TEST(gzip_members_are_concatenated)
{
    char *p = tc_payload(t.agent_id, SUBNET, 1, 1, "{}", PRINTER(T0, T1, ""));
    size_t half = strlen(p) / 2;
    uint8_t *z1, *z2;
    size_t n1 = gzip_bytes(p, half, &z1), n2 = gzip_bytes(p + half, strlen(p) - half, &z2);
    uint8_t *both = malloc(n1 + n2);
    memcpy(both, z1, n1);
    memcpy(both + n1, z2, n2);
    ck_assert_int_eq(post(t.token, "GZIP", both, n1 + n2), 200);
    ck_assert_ptr_nonnull(strstr(t.resp.body, "\"accepted\""));
    free(both);
    free(z1);
    free(z2);
    free(p);
}
END_TEST

START_TEST(gzip_bomb_is_413)
{
    /* 65 MiB of spaces inflate past CLOUD_UPLOAD_INFLATED_BYTES_MAX (64 MiB)
     * from about 65 KB on the wire. */
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    ck_assert_int_eq(deflateInit2(&zs, 9, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY),
                     Z_OK);
    static uint8_t spaces[1u << 20];
    memset(spaces, ' ', sizeof spaces);
    size_t cap = 1u << 20, len = 0;
    uint8_t *out = malloc(cap);
    for (int i = 0; i < 65; i++) {
        zs.next_in = spaces;
        zs.avail_in = sizeof spaces;
        do {
            zs.next_out = out + len;
            zs.avail_out = (uInt)(cap - len);
            ck_assert_int_ne(deflate(&zs, i == 64 ? Z_FINISH : Z_NO_FLUSH), Z_STREAM_ERROR);
            len = cap - zs.avail_out;
            ck_assert_uint_lt(len, cap);
        } while (zs.avail_in > 0 || (i == 64 && zs.avail_out == 0));
    }
    deflateEnd(&zs);
    ck_assert_uint_lt(len, CLOUD_UPLOAD_BYTES_MAX);
    char *before = tc_snapshot(&t);
    post(t.token, "gzip", out, len);
    tc_expect_error(&t, 413, "too_large", "inflates beyond 67108864 bytes", "bomb");
    char *after = tc_snapshot(&t);
    ck_assert_str_eq(after, before);
    free(out);
    free(before);
    free(after);
}
END_TEST

/* ------------------------------------------------------------------ refusals */

enum body_kind { BODY_GOOD, BODY_TEXT, BODY_GZIP_CUT, BODY_GZIP_FLIPPED, BODY_NOT_GZIP,
                 BODY_HUGE, BODY_OTHER_AGENT };

static const struct {
    const char *name;
    enum body_kind kind;
    const char *text;          /* BODY_TEXT: the whole body */
    const char *auth;          /* NULL: t's token; "-": none */
    const char *enc;
    int status;
    const char *code, *message;
} refusals[] = {
    {"no_token", BODY_GOOD, NULL, "-", NULL, 401, "unauthorized", "missing bearer token"},
    {"basic_auth", BODY_GOOD, NULL, "Basic dXNlcjpwYXNz", NULL, 401, "unauthorized",
     "scheme must be Bearer"},
    {"unknown_token", BODY_GOOD, NULL, "Bearer 0123456789abcdef", NULL, 401, "unauthorized",
     "unknown bearer token"},
    {"empty_bearer", BODY_GOOD, NULL, "Bearer ", NULL, 401, "unauthorized",
     "missing bearer token after \"Bearer\""},
    {"lower_case_scheme", BODY_GOOD, NULL, "bearer  feedface", NULL, 401, "unauthorized",
     "unknown bearer token (8 characters)"},
    {"other_agent", BODY_OTHER_AGENT, NULL, NULL, NULL, 403, "forbidden",
     "payload agent_id \"00000000-0000-4000-8000-000000000000\" is not the agent"},
    {"brotli", BODY_GOOD, NULL, NULL, "br", 415, "unsupported_encoding",
     "Content-Encoding \"br\" is not supported (identity or gzip)"},
    {"deflate", BODY_GOOD, NULL, NULL, "deflate", 415, "unsupported_encoding", "\"deflate\""},
    {"huge", BODY_HUGE, NULL, NULL, NULL, 413, "too_large", "payload of 8388609 bytes exceeds"},
    {"gzip_cut", BODY_GZIP_CUT, NULL, NULL, "gzip", 400, "bad_payload", "gzip body: stream cut"},
    {"gzip_flipped", BODY_GZIP_FLIPPED, NULL, NULL, "gzip", 400, "bad_payload",
     "gzip body: corrupt stream"},
    {"gzip_not", BODY_NOT_GZIP, NULL, NULL, "gzip", 400, "bad_payload", "gzip body: corrupt"},
    {"empty", BODY_TEXT, "", NULL, NULL, 400, "bad_payload", "payload:1:1: invalid JSON"},
    {"syntax", BODY_TEXT, "{\"version\": 1,\n \"agent_id\": nope}", NULL, NULL, 400,
     "bad_payload", "payload:2:14: invalid JSON, got \"nope}\""},
    {"array", BODY_TEXT, "[]", NULL, NULL, 400, "bad_payload", "must be an object, got []"},
    {"version", BODY_TEXT, "{\"version\": 2}", NULL, NULL, 400, "bad_payload", "\"version\""},
};

static void post_refusal(int i)
{
    char *good = tc_payload(t.agent_id, SUBNET, 1, 1, "{}", PRINTER(T0, T1, ""));
    const char *auth = refusals[i].auth == NULL ? t.token
                       : strcmp(refusals[i].auth, "-") == 0 ? NULL : refusals[i].auth;
    uint8_t *z = NULL;
    size_t zn;

    switch (refusals[i].kind) {
    case BODY_GOOD:
        post(auth, refusals[i].enc, good, strlen(good));
        break;
    case BODY_TEXT:
        post(auth, refusals[i].enc, refusals[i].text, strlen(refusals[i].text));
        break;
    case BODY_GZIP_CUT:
        zn = gzip_bytes(good, strlen(good), &z);
        post(auth, refusals[i].enc, z, zn - 12);
        break;
    case BODY_GZIP_FLIPPED:
        zn = gzip_bytes(good, strlen(good), &z);
        for (size_t k = 12; k < zn - 8; k++)
            z[k] ^= 0x5a;
        post(auth, refusals[i].enc, z, zn);
        break;
    case BODY_NOT_GZIP:
        post(auth, refusals[i].enc, good, strlen(good));
        break;
    case BODY_HUGE:
        z = malloc(CLOUD_UPLOAD_BYTES_MAX + 1u);
        ck_assert_ptr_nonnull(z);
        memset(z, ' ', CLOUD_UPLOAD_BYTES_MAX + 1u);
        post(auth, refusals[i].enc, z, CLOUD_UPLOAD_BYTES_MAX + 1u);
        break;
    case BODY_OTHER_AGENT: {
        char *other = tc_payload("00000000-0000-4000-8000-000000000000", SUBNET, 1, 1, "{}",
                                 PRINTER(T0, T1, ""));
        post(auth, refusals[i].enc, other, strlen(other));
        free(other);
        break;
    }
    }
    free(z);
    free(good);
}

START_TEST(refusals_change_nothing)
{
    ck_assert_int_eq(tc_upload(&t, SUBNET, 1, 0, "{\"frames\":1}", PRINTER(T0, T0, "")), 200);
    char *before = tc_snapshot(&t);
    post_refusal(_i);
    tc_expect_error(&t, refusals[_i].status, refusals[_i].code, refusals[_i].message,
                    refusals[_i].name);
    char *after = tc_snapshot(&t);
    ck_assert_str_eq(after, before);
    free(before);
    free(after);
}
END_TEST

/* Bad assets: a payload whose first asset is good and another is not stores
 * nothing (all or nothing), and the message places the field. */
static const struct {
    const char *name, *assets, *message;
} bad_assets[] = {
    {"mac_upper", TC_ASSET("AA:00:00:00:00:09", T0, T1, ""), "\"mac\""},
    {"mac_missing", "{\"first_seen\":\"" T0 "\"}", "\"mac\""},
    {"not_object", "7", "an object"},
    {"first_seen_missing", "{\"mac\":\"00:00:00:00:00:09\",\"last_seen\":\"" T0 "\"}",
     "\"assets[1].first_seen\" must be an RFC 3339 UTC time YYYY-MM-DDTHH:MM:SSZ, got nothing"},
    {"last_seen_local", TC_ASSET("00:00:00:00:00:09", T0, "2026-11-28T02:00:00+01:00", ""),
     "payload:1:"},
    {"month_13", TC_ASSET("00:00:00:00:00:09", "2026-13-28T02:00:00Z", T1, ""),
     "\"assets[1].first_seen\" must be an RFC 3339"},
    {"hostname_number", TC_ASSET("00:00:00:00:00:09", T0, T1, ",\"hostname\":5"),
     "\"assets[1].hostname\" must be a string or null, got 5"},
    {"vendor_object", TC_ASSET("00:00:00:00:00:09", T0, T1, ",\"vendor\":{}"),
     "\"assets[1].vendor\" must be a string or null"},
    {"ips_numbers", TC_ASSET("00:00:00:00:00:09", T0, T1, ",\"ips\":[1,2]"),
     "\"assets[1].ips\" must be an array of strings, got [1,2]"},
    {"sources_text", TC_ASSET("00:00:00:00:00:09", T0, T1, ",\"sources\":\"arp\""),
     "\"assets[1].sources\" must be an array of strings"},
    {"os_family_number", TC_ASSET("00:00:00:00:00:09", T0, T1, ",\"os\":{\"family\":1}"),
     "\"assets[1].os\" must be null or an object"},
    {"duplicate_mac", PRINTER(T0, T1, ""), "\"assets[1].mac\" repeats assets[0].mac"},
};

START_TEST(bad_asset_stores_nothing)
{
    char assets[1024];
    snprintf(assets, sizeof assets, "%s,%s", PRINTER(T0, T1, ""), bad_assets[_i].assets);
    char *before = tc_snapshot(&t);
    tc_upload(&t, SUBNET, 1, 1, "{}", assets);
    tc_expect_error(&t, 400, "bad_payload", bad_assets[_i].message, bad_assets[_i].name);
    char *after = tc_snapshot(&t);
    ck_assert_str_eq(after, before);
    ck_assert_int_eq(tc_count(&t, "inventory.source:CAPS"), 0);
    free(before);
    free(after);
}
END_TEST

START_TEST(bad_field_message_has_line_and_column)
{
    char *p = tc_payload(t.agent_id, SUBNET, 1, 1, "{}",
                         "\n" TC_ASSET("00:00:00:00:00:09", T0, T1, ",\n  \"hostname\": 5"));
    tc_req(&t, "POST", "/api/v1/caps/uploads", NULL, t.token, NULL, p, strlen(p));
    tc_expect_error(&t, 400, "bad_payload",
                    "payload:3:15: \"assets[0].hostname\" must be a string or null, got 5",
                    "placed");
    free(p);
}
END_TEST

START_TEST(summary_must_be_an_object)
{
    tc_upload(&t, SUBNET, 1, 1, "[1]", "");
    tc_expect_error(&t, 400, "bad_payload", "\"summary\" must be an object, got [1]", "summary");
}
END_TEST

/* A fault injected through a second connection to the file: inserting one
 * MAC fails inside the transaction, after an earlier asset was written. */
static void inject_failure_on(const char *mac)
{
    sqlite3 *db = NULL;
    char sql[256];

    ck_assert_int_eq(sqlite3_open(t.path, &db), SQLITE_OK);
    snprintf(sql, sizeof sql,
             "CREATE TRIGGER inject BEFORE INSERT ON assets WHEN NEW.mac = '%s' "
             "BEGIN SELECT RAISE(ABORT, 'injected fault'); END", mac);
    ck_assert_int_eq(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
}

static void inject_clear(void)
{
    sqlite3 *db = NULL;

    ck_assert_int_eq(sqlite3_open(t.path, &db), SQLITE_OK);
    ck_assert_int_eq(sqlite3_exec(db, "DROP TRIGGER inject", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
}

START_TEST(database_failure_mid_ingest_rolls_everything_back)
{
    const char *assets = PRINTER(T0, T1, ",\"ips\":[\"10.1.0.5\"]") ","
                         TC_ASSET("aa:00:00:00:00:01", T0, T1, ",\"ips\":[\"10.1.0.2\"]") ","
                         TC_ASSET("00:00:00:00:00:99", T0, T1, "");
    ck_assert_int_eq(tc_upload(&t, SUBNET, 1, 1, "{\"frames\":1}", ""), 200);
    char *before = tc_snapshot(&t);
    inject_failure_on("00:00:00:00:00:99");
    tc_upload(&t, SUBNET, 2, 2, "{\"frames\":2}", assets);
    tc_expect_error(&t, 500, "database", "injected fault", "injected");
    char *after = tc_snapshot(&t);
    ck_assert_str_eq(after, before);          /* no asset, no epoch 2, no summary, no log */
    inject_clear();
    ck_assert_int_eq(tc_upload(&t, SUBNET, 2, 2, "{\"frames\":2}", assets), 200);
    ck_assert_str_eq(t.resp.body, "{\"status\":\"accepted\",\"assets\":3,\"epoch\":2,\"seq\":2}");
    free(before);
    free(after);
}
END_TEST

Suite *suite_ingest(void)
{
    Suite *s = suite_create("cloud_ingest");
    TCase *tc = tcase_create("ingest");
    tcase_add_unchecked_fixture(tc, tc_file_make, tc_file_remove);
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, accepted_payload_is_stored);
    tcase_add_test(tc, payload_cannot_claim_cloud_fields);
    tcase_add_test(tc, empty_payload_is_accepted);
    tcase_add_test(tc, same_payload_twice_is_a_duplicate);
    tcase_add_test(tc, idempotency_log_is_pruned_after_its_window);
    tcase_add_test(tc, lower_epoch_is_fenced);
    tcase_add_test(tc, merge_by_mac);
    tcase_add_test(tc, dedup_with_managed_by_mac);
    tcase_add_test(tc, dedup_with_managed_by_hostname);
    tcase_add_test(tc, hostname_matches_only_managed_assets);
    tcase_add_test(tc, gzip_body_is_accepted);
    tcase_add_test(tc, gzip_members_are_concatenated);
    tcase_add_test(tc, gzip_bomb_is_413);
    tcase_add_loop_test(tc, refusals_change_nothing, 0,
                        (int)(sizeof refusals / sizeof refusals[0]));
    tcase_add_loop_test(tc, bad_asset_stores_nothing, 0,
                        (int)(sizeof bad_assets / sizeof bad_assets[0]));
    tcase_add_test(tc, bad_field_message_has_line_and_column);
    tcase_add_test(tc, summary_must_be_an_object);
    tcase_add_test(tc, database_failure_mid_ingest_rolls_everything_back);
    suite_add_tcase(s, tc);
    return s;
}
