/* test_query.c - GET /api/v1/assets?q=...: each search token alone and
 * combined with "and", quoted values, ordering by MAC, the inventory document
 * shape, every malformed query (400 bad_query naming the column), and
 * GET /api/v1/assets/MAC in each MAC spelling. */
#define _POSIX_C_SOURCE 200809L     /* mkstemp, unlink */
#include "cloudtest.h"

Suite *suite_query(void);

static struct tcloud t;

#define TS "2026-11-28T02:00:00Z"

/* sensor-1 (managed, aa:00:00:00:00:01) reports itself and three devices:
 * a printer, a Windows desk out of scope and a Linux NAS with two names. */
static void setup(void)
{
    tc_open(&t);
    tc_configure(&t);
    tc_activate(&t, "sensor-1", "[\"aa:00:00:00:00:01\"]");
    int status = tc_upload(
        &t, "10.1.0.0/24", 1, 1, "{}",
        TC_ASSET("00:00:00:00:00:0c", TS, TS,
                 ",\"hostname\":\"PRN-1\",\"vendor\":\"HP Inc.\",\"device_type\":\"printer\","
                 "\"os\":{\"family\":\"embedded\",\"version\":null,\"confidence\":0.5},"
                 "\"status\":\"in_scope\"") ","
        TC_ASSET("00:00:00:00:00:0b", TS, TS,
                 ",\"hostname\":\"desk-2\",\"vendor\":\"Dell Inc.\","
                 "\"device_type\":\"workstation\","
                 "\"os\":{\"family\":\"windows\",\"version\":\"11\",\"confidence\":0.9},"
                 "\"status\":\"out_of_scope\"") ","
        TC_ASSET("00:00:00:00:00:0a", TS, TS,
                 ",\"hostname\":\"nas\",\"vendor\":\"Synology Incorporated\","
                 "\"device_type\":\"nas\",\"os\":null,\"status\":\"in_scope\"") ","
        TC_ASSET("aa:00:00:00:00:01", TS, TS,
                 ",\"os\":{\"family\":\"linux\",\"version\":null,\"confidence\":0.7},"
                 "\"status\":\"in_scope\""));
    ck_assert_msg(status == 200, "%s", t.resp.body);
}

static void teardown(void)
{
    tc_close(&t);
}

static const struct {
    const char *q, *macs;
} queries[] = {
    {NULL, "00:00:00:00:00:0a 00:00:00:00:00:0b 00:00:00:00:00:0c aa:00:00:00:00:01"},
    {"", "00:00:00:00:00:0a 00:00:00:00:00:0b 00:00:00:00:00:0c aa:00:00:00:00:01"},
    {"  ", "00:00:00:00:00:0a 00:00:00:00:00:0b 00:00:00:00:00:0c aa:00:00:00:00:01"},
    {"inventory.source:CAPS",
     "00:00:00:00:00:0a 00:00:00:00:00:0b 00:00:00:00:00:0c aa:00:00:00:00:01"},
    {"Inventory.Source:caps",
     "00:00:00:00:00:0a 00:00:00:00:00:0b 00:00:00:00:00:0c aa:00:00:00:00:01"},
    {"inventory.source:Agent", "aa:00:00:00:00:01"},
    {"managed:true", "aa:00:00:00:00:01"},
    {"managed:false", "00:00:00:00:00:0a 00:00:00:00:00:0b 00:00:00:00:00:0c"},
    {"os.family:windows", "00:00:00:00:00:0b"},
    {"os.family:Linux", "aa:00:00:00:00:01"},
    {"os.family:macos", ""},
    {"device_type:printer", "00:00:00:00:00:0c"},
    {"device_type:NAS", "00:00:00:00:00:0a"},
    {"vendor:hp", "00:00:00:00:00:0c"},
    {"vendor:INC", "00:00:00:00:00:0a 00:00:00:00:00:0b 00:00:00:00:00:0c"},
    {"vendor:\"dell inc.\"", "00:00:00:00:00:0b"},
    {"vendor:\"inc. x\"", ""},
    {"status:in_scope", "00:00:00:00:00:0a 00:00:00:00:00:0c aa:00:00:00:00:01"},
    {"status:out_of_scope", "00:00:00:00:00:0b"},
    {"hostname:prn-1", "00:00:00:00:00:0c"},
    {"hostname:PRN", ""},                                  /* exact, not a substring */
    {"hostname:SENSOR-1", "aa:00:00:00:00:01"},
    {"mac:00:00:00:00:00:0B", "00:00:00:00:00:0b"},
    {"mac:00-00-00-00-00-0c", "00:00:00:00:00:0c"},
    {"inventory.source:CAPS and managed:false and status:in_scope",
     "00:00:00:00:00:0a 00:00:00:00:00:0c"},
    {"managed:false AND vendor:inc And os.family:embedded", "00:00:00:00:00:0c"},
    {"inventory.source:CAPS and inventory.source:Agent", "aa:00:00:00:00:01"},
    {"managed:true and status:out_of_scope", ""},
    {"\tdevice_type:workstation\nand  hostname:DESK-2 ", "00:00:00:00:00:0b"},
};

START_TEST(each_token_selects)
{
    char got[512];
    tc_macs(&t, queries[_i].q, got, sizeof got);
    ck_assert_msg(strcmp(got, queries[_i].macs) == 0, "q=%s: got [%s], want [%s]",
                  queries[_i].q != NULL ? queries[_i].q : "(none)", got, queries[_i].macs);
}
END_TEST

START_TEST(answer_has_the_inventory_shape)
{
    ck_assert_int_eq(tc_get(&t, "/api/v1/assets", "device_type:printer"), 200);
    cJSON *doc = tc_json(&t);
    ck_assert_int_eq(cJSON_GetObjectItemCaseSensitive(doc, "count")->valueint, 1);
    const cJSON *a = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(doc, "assets"), 0);
    ck_assert_str_eq(tc_str(a, "mac"), "00:00:00:00:00:0c");
    ck_assert_str_eq(tc_str(a, "hostname"), "PRN-1");                  /* case kept */
    ck_assert_str_eq(tc_str(a, "vendor"), "HP Inc.");
    ck_assert_str_eq(tc_str(a, "first_seen"), TS);
    ck_assert_str_eq(tc_str(cJSON_GetObjectItemCaseSensitive(a, "os"), "family"), "embedded");
    ck_assert(cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(a, "managed")));
    ck_assert(cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(a, "inventory_sources")));
    /* "caps" is for the one-asset view only. */
    ck_assert_ptr_null(cJSON_GetObjectItemCaseSensitive(a, "caps"));
    cJSON_Delete(doc);
}
END_TEST

static int summary_count(const cJSON *doc, const char *key)
{
    const cJSON *counts = cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(doc, "summary"), "assets");
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(counts, key);
    ck_assert_msg(cJSON_IsNumber(v), "summary.assets.%s missing", key);
    return v->valueint;
}

/* The summary counts the matching assets, not the whole database, and carries
 * the subnet's traffic summary with it. */
START_TEST(answer_summary_counts_the_matches)
{
    ck_assert_int_eq(tc_get(&t, "/api/v1/assets", ""), 200);
    cJSON *doc = tc_json(&t);
    ck_assert_int_eq(summary_count(doc, "in_scope"), 3);
    ck_assert_int_eq(summary_count(doc, "out_of_scope"), 1);
    ck_assert_int_eq(summary_count(doc, "managed"), 1);
    ck_assert_int_eq(summary_count(doc, "unmanaged"), 3);
    const cJSON *subnets = cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(doc, "summary"), "subnets");
    ck_assert_int_eq(cJSON_GetArraySize(subnets), 1);
    ck_assert_str_eq(tc_str(cJSON_GetArrayItem(subnets, 0), "subnet"), "10.1.0.0/24");
    cJSON_Delete(doc);

    ck_assert_int_eq(tc_get(&t, "/api/v1/assets", "managed:false"), 200);
    doc = tc_json(&t);
    ck_assert_int_eq(summary_count(doc, "in_scope"), 2);
    ck_assert_int_eq(summary_count(doc, "out_of_scope"), 1);
    ck_assert_int_eq(summary_count(doc, "managed"), 0);
    ck_assert_int_eq(summary_count(doc, "unmanaged"), 3);
    cJSON_Delete(doc);
}
END_TEST

static const struct {
    const char *q, *message;
} bad_queries[] = {
    {"colour:red", "q: column 1: unknown token \"colour\" (known: inventory.source, managed"},
    {"managed:true and os:linux", "q: column 18: unknown token \"os\""},
    {"managed:maybe", "managed must be true or false, got \"maybe\""},
    {"inventory.source:Sensor", "inventory.source must be CAPS or Agent, got \"Sensor\""},
    {"os.family:windwos", "os.family must be one of windows, macos"},
    {"device_type:fridge", "device_type must be one of workstation"},
    {"status:excluded", "status must be in_scope or out_of_scope, got \"excluded\""},
    {"mac:00:00:00:00:00", "mac must be a MAC aa:bb:cc:dd:ee:ff, got \"00:00:00:00:00\""},
    {"managed:true or managed:false", "q: column 14: expected \"and\", got \"or\""},
    {"managed:true managed:false", "q: column 14: expected \"and\", got \"managed:false\""},
    {"managed:true and", "q: column 17: expected a token after \"and\""},
    {"and managed:true", "q: column 1: expected KEY:VALUE, got \"and\""},
    {"managed", "q: column 1: expected KEY:VALUE, got \"managed\""},
    {"vendor:", "q: column 1: vendor needs a value"},
    {"vendor:\"HP", "q: column 8: unterminated quoted value"},
    {"managed:true and managed:false", "q: column 18: managed given twice"},
};

START_TEST(bad_queries_are_400)
{
    char *before = tc_snapshot(&t);
    tc_get(&t, "/api/v1/assets", bad_queries[_i].q);
    tc_expect_error(&t, 400, "bad_query", bad_queries[_i].message, bad_queries[_i].q);
    char *after = tc_snapshot(&t);
    ck_assert_str_eq(after, before);
    free(before);
    free(after);
}
END_TEST

START_TEST(query_too_long_is_400)
{
    char q[1100];
    memset(q, 'x', sizeof q - 1);
    q[sizeof q - 1] = '\0';
    tc_get(&t, "/api/v1/assets", q);
    tc_expect_error(&t, 400, "bad_query", "q: 1099 bytes exceed 1024", "long");
    char v[400];
    snprintf(v, sizeof v, "vendor:%0300d", 7);
    tc_get(&t, "/api/v1/assets", v);
    tc_expect_error(&t, 400, "bad_query", "q: column 8: value longer than 255 bytes", "value");
}
END_TEST

START_TEST(asset_by_mac_in_every_spelling)
{
    static const char *const spellings[] = {"00:00:00:00:00:0c", "00:00:00:00:00:0C",
                                            "00-00-00-00-00-0c"};
    for (size_t i = 0; i < 3; i++) {
        char path[64];
        snprintf(path, sizeof path, "/api/v1/assets/%s", spellings[i]);
        ck_assert_int_eq(tc_get(&t, path, NULL), 200);
        cJSON *a = tc_json(&t);
        ck_assert_str_eq(tc_str(a, "mac"), "00:00:00:00:00:0c");
        const cJSON *caps = cJSON_GetObjectItemCaseSensitive(a, "caps");
        ck_assert_str_eq(tc_str(caps, "agent_id"), t.agent_id);
        ck_assert_str_eq(tc_str(caps, "first_found"), TS);
        ck_assert_str_eq(tc_str(caps, "last_seen"), TS);
        cJSON_Delete(a);
    }
}
END_TEST

Suite *suite_query(void)
{
    Suite *s = suite_create("cloud_query");
    TCase *tc = tcase_create("query");
    tcase_add_unchecked_fixture(tc, tc_file_make, tc_file_remove);
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_loop_test(tc, each_token_selects, 0, (int)(sizeof queries / sizeof queries[0]));
    tcase_add_test(tc, answer_has_the_inventory_shape);
    tcase_add_test(tc, answer_summary_counts_the_matches);
    tcase_add_loop_test(tc, bad_queries_are_400, 0,
                        (int)(sizeof bad_queries / sizeof bad_queries[0]));
    tcase_add_test(tc, query_too_long_is_400);
    tcase_add_test(tc, asset_by_mac_in_every_spelling);
    suite_add_tcase(s, tc);
    return s;
}
