/* test_spool.c - the payload spool on a real temporary directory: atomic
 * files, oldest-first order, at most three files with the two oldest merged
 * (checked asset by asset), deletion after an acknowledgement, leftovers of
 * an earlier run, and corrupt files reported by name and moved aside.
 */
#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "sensor/spool.h"

Suite *suite_spool(void);

struct logbook {
    char lines[16][1024];
    int count;
};

static void log_keep(void *ctx, int level, const char *msg)
{
    struct logbook *lb = ctx;
    (void)level;
    if (lb->count < 16)
        snprintf(lb->lines[lb->count++], sizeof lb->lines[0], "%s", msg);
}

static char tmpdir[256];

static void make_tmpdir(void)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/caps-spool-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static void remove_tree(void)
{
    DIR *d = opendir(tmpdir);
    struct dirent *de;
    char path[512];
    if (d == NULL)
        return;
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.')
            continue;
        snprintf(path, sizeof path, "%s/%s", tmpdir, de->d_name);
        unlink(path);
    }
    closedir(d);
    rmdir(tmpdir);
}

/* Entries of the directory (names starting with "payload-"), sorted. */
static int list_dir(char names[][128], int max)
{
    DIR *d = opendir(tmpdir);
    struct dirent *de;
    int n = 0;
    ck_assert_ptr_nonnull(d);
    while ((de = readdir(d)) != NULL)
        if (strncmp(de->d_name, "payload-", 8) == 0 && n < max)
            snprintf(names[n++], 128, "%.127s", de->d_name);
    closedir(d);
    qsort(names, (size_t)n, 128, (int (*)(const void *, const void *))strcmp);
    return n;
}

/* A payload with one asset per mac: ips [ip], first/last seen as given. */
static cJSON *payload(unsigned seq, const char *mac, const char *ip, const char *first,
                      const char *last, const char *hostname)
{
    cJSON *doc = cJSON_CreateObject();
    cJSON_AddNumberToObject(doc, "version", 1);
    cJSON_AddStringToObject(doc, "agent_id", "agent-1");
    cJSON_AddStringToObject(doc, "subnet", "replay");
    cJSON_AddNumberToObject(doc, "epoch", 0);
    cJSON_AddNumberToObject(doc, "seq", seq);
    cJSON_AddBoolToObject(doc, "full", seq == 1);
    cJSON_AddStringToObject(doc, "built_at", last);
    cJSON_AddObjectToObject(doc, "summary");
    cJSON *assets = cJSON_AddArrayToObject(doc, "assets");
    cJSON *a = cJSON_CreateObject();
    cJSON_AddStringToObject(a, "mac", mac);
    cJSON *ips = cJSON_AddArrayToObject(a, "ips");
    cJSON_AddItemToArray(ips, cJSON_CreateString(ip));
    if (hostname)
        cJSON_AddStringToObject(a, "hostname", hostname);
    else
        cJSON_AddNullToObject(a, "hostname");
    cJSON_AddStringToObject(a, "first_seen", first);
    cJSON_AddStringToObject(a, "last_seen", last);
    cJSON *src = cJSON_AddArrayToObject(a, "sources");
    cJSON_AddItemToArray(src, cJSON_CreateString("arp"));
    cJSON_AddItemToArray(assets, a);
    return doc;
}

static void put(struct sensor_spool *sp, cJSON *doc)
{
    char err[SENSOR_SPOOL_ERRMSG_MAX] = "";
    int rc = sensor_spool_put(sp, doc, err);
    cJSON_Delete(doc);
    ck_assert_msg(rc == 0, "put: %s", err);
}

static cJSON *read_oldest(struct sensor_spool *sp, struct codec_upload_head *head)
{
    char err[SENSOR_SPOOL_ERRMSG_MAX] = "", *text;
    size_t len;
    ck_assert_msg(sensor_spool_oldest(sp, &text, &len, head, err) == 0, "oldest: %s", err);
    cJSON *doc = cJSON_ParseWithLength(text, len);
    free(text);
    ck_assert_ptr_nonnull(doc);
    return doc;
}

static const cJSON *asset_by_mac(const cJSON *doc, const char *mac)
{
    const cJSON *a;
    cJSON_ArrayForEach(a, cJSON_GetObjectItemCaseSensitive(doc, "assets")) {
        const cJSON *m = cJSON_GetObjectItemCaseSensitive(a, "mac");
        if (cJSON_IsString(m) && strcmp(m->valuestring, mac) == 0)
            return a;
    }
    return NULL;
}

static const char *str_of(const cJSON *obj, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

START_TEST(spool_writes_files_oldest_first)
{
    struct sensor_spool sp;
    char err[SENSOR_SPOOL_ERRMSG_MAX] = "", names[8][128];
    struct codec_upload_head head;
    struct stat st;

    make_tmpdir();
    ck_assert_int_eq(sensor_spool_open(&sp, tmpdir, NULL, NULL, err), 0);
    put(&sp, payload(1, "00:00:00:00:00:01", "10.0.0.1", "2026-01-01T00:00:00Z",
                     "2026-01-01T00:01:00Z", "a"));
    put(&sp, payload(2, "00:00:00:00:00:02", "10.0.0.2", "2026-01-01T00:02:00Z",
                     "2026-01-01T00:03:00Z", "b"));
    ck_assert_uint_eq(sensor_spool_count(&sp), 2);
    ck_assert_int_eq(list_dir(names, 8), 2);       /* no temp file left behind */
    ck_assert_str_eq(names[0], "payload-00000000000000000000.json");
    ck_assert_str_eq(names[1], "payload-00000000000000000001.json");
    char path[512];
    snprintf(path, sizeof path, "%s/%s", tmpdir, names[0]);
    ck_assert_int_eq(stat(path, &st), 0);
    ck_assert_uint_eq(st.st_mode & 0777, 0600);

    cJSON *doc = read_oldest(&sp, &head);
    ck_assert_uint_eq(head.seq, 1);
    ck_assert_ptr_nonnull(asset_by_mac(doc, "00:00:00:00:00:01"));
    cJSON_Delete(doc);
    /* Acknowledged: deleted; the next oldest is seq 2. */
    ck_assert_int_eq(sensor_spool_drop_oldest(&sp, err), 0);
    ck_assert_int_eq(list_dir(names, 8), 1);
    ck_assert_str_eq(names[0], "payload-00000000000000000001.json");
    doc = read_oldest(&sp, &head);
    ck_assert_uint_eq(head.seq, 2);
    cJSON_Delete(doc);
    ck_assert_int_eq(sensor_spool_drop_oldest(&sp, err), 0);
    ck_assert_uint_eq(sensor_spool_count(&sp), 0);
    ck_assert_int_eq(list_dir(names, 8), 0);
    char *text = NULL;
    size_t len;
    ck_assert_int_eq(sensor_spool_oldest(&sp, &text, &len, &head, err), 1);
    remove_tree();
}
END_TEST

START_TEST(spool_merges_two_oldest_when_full)
{
    struct sensor_spool sp;
    char err[SENSOR_SPOOL_ERRMSG_MAX] = "", names[8][128];
    struct codec_upload_head head;

    make_tmpdir();
    ck_assert_int_eq(sensor_spool_open(&sp, tmpdir, NULL, NULL, err), 0);
    /* Same MAC in the two oldest: merged by the rule; a second MAC only in
     * the first. */
    cJSON *p1 = payload(1, "00:00:00:00:00:01", "10.0.0.1", "2026-01-01T00:00:00Z",
                        "2026-01-01T00:01:00Z", "old-name");
    cJSON *extra = cJSON_CreateObject();
    cJSON_AddStringToObject(extra, "mac", "00:00:00:00:00:09");
    cJSON_AddItemToObject(extra, "ips", cJSON_CreateArray());
    cJSON_AddNullToObject(extra, "hostname");
    cJSON_AddStringToObject(extra, "first_seen", "2026-01-01T00:00:30Z");
    cJSON_AddStringToObject(extra, "last_seen", "2026-01-01T00:00:40Z");
    cJSON_AddItemToObject(extra, "sources", cJSON_CreateArray());
    cJSON_AddItemToArray(cJSON_GetObjectItemCaseSensitive(p1, "assets"), extra);
    put(&sp, p1);
    put(&sp, payload(2, "00:00:00:00:00:01", "10.0.0.7", "2026-01-01T00:05:00Z",
                     "2026-01-01T00:09:00Z", NULL));
    put(&sp, payload(3, "00:00:00:00:00:03", "10.0.0.3", "2026-01-01T00:10:00Z",
                     "2026-01-01T00:11:00Z", "c"));
    ck_assert_uint_eq(sensor_spool_count(&sp), 3);
    put(&sp, payload(4, "00:00:00:00:00:04", "10.0.0.4", "2026-01-01T00:12:00Z",
                     "2026-01-01T00:13:00Z", "d"));
    ck_assert_uint_eq(sensor_spool_count(&sp), 3);
    ck_assert_uint_eq(sp.merges, 1);
    ck_assert_int_eq(list_dir(names, 8), 3);
    ck_assert_str_eq(names[0], "payload-00000000000000000000.json");
    ck_assert_str_eq(names[1], "payload-00000000000000000002.json");
    ck_assert_str_eq(names[2], "payload-00000000000000000003.json");

    cJSON *doc = read_oldest(&sp, &head);
    ck_assert_uint_eq(head.seq, 2);                 /* the newer payload's header */
    ck_assert_int_eq(head.full, 1);                 /* the older one was a snapshot */
    const cJSON *a = asset_by_mac(doc, "00:00:00:00:00:01");
    ck_assert_ptr_nonnull(a);
    ck_assert_str_eq(str_of(a, "first_seen"), "2026-01-01T00:00:00Z");
    ck_assert_str_eq(str_of(a, "last_seen"), "2026-01-01T00:09:00Z");
    ck_assert_str_eq(str_of(a, "hostname"), "old-name");   /* newer null keeps older */
    const cJSON *ips = cJSON_GetObjectItemCaseSensitive(a, "ips");
    ck_assert_int_eq(cJSON_GetArraySize(ips), 2);
    ck_assert_ptr_nonnull(asset_by_mac(doc, "00:00:00:00:00:09"));
    ck_assert_ptr_null(asset_by_mac(doc, "00:00:00:00:00:03"));
    ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(doc, "assets")), 2);
    cJSON_Delete(doc);
    /* Order stays oldest first after the merge. */
    ck_assert_int_eq(sensor_spool_drop_oldest(&sp, err), 0);
    doc = read_oldest(&sp, &head);
    ck_assert_uint_eq(head.seq, 3);
    cJSON_Delete(doc);
    remove_tree();
}
END_TEST

START_TEST(spool_finds_leftovers_and_moves_corrupt_aside)
{
    struct sensor_spool sp;
    struct logbook lb = {0};
    char err[SENSOR_SPOOL_ERRMSG_MAX] = "", names[8][128], path[512];
    struct codec_upload_head head;

    make_tmpdir();
    ck_assert_int_eq(sensor_spool_open(&sp, tmpdir, NULL, NULL, err), 0);
    put(&sp, payload(10, "00:00:00:00:00:0a", "10.0.0.10", "2026-01-01T00:00:00Z",
                     "2026-01-01T00:01:00Z", "x"));
    put(&sp, payload(11, "00:00:00:00:00:0b", "10.0.0.11", "2026-01-01T00:00:00Z",
                     "2026-01-01T00:01:00Z", "y"));
    /* A torn file (not JSON) named like a payload, a payload whose seq is
     * bad, and the temp file of an interrupted write. */
    snprintf(path, sizeof path, "%s/payload-00000000000000000005.json", tmpdir);
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs("{\"version\": 1, \"agent_id\": \"a", f);
    fclose(f);
    snprintf(path, sizeof path, "%s/payload-00000000000000000006.json", tmpdir);
    f = fopen(path, "w");
    fputs("{\"version\":1,\"agent_id\":\"a\",\"subnet\":\"s\",\"epoch\":0,\"seq\":-1,"
          "\"full\":false,\"assets\":[]}", f);
    fclose(f);
    snprintf(path, sizeof path, "%s/payload-00000000000000000007.json.tmp", tmpdir);
    f = fopen(path, "w");
    fputs("{", f);
    fclose(f);

    /* A new run finds the two good files, in order, and the rest aside. */
    ck_assert_int_eq(sensor_spool_open(&sp, tmpdir, log_keep, &lb, err), 0);
    ck_assert_uint_eq(sensor_spool_count(&sp), 2);
    ck_assert_uint_eq(sp.corrupt, 2);
    int found5 = 0, found6 = 0;
    for (int i = 0; i < lb.count; i++) {
        if (strstr(lb.lines[i], "payload-00000000000000000005.json: not JSON") &&
            strstr(lb.lines[i], "moved aside"))
            found5 = 1;
        if (strstr(lb.lines[i], "payload-00000000000000000006.json") &&
            strstr(lb.lines[i], "\"seq\"") && strstr(lb.lines[i], "-1"))
            found6 = 1;
    }
    ck_assert_msg(found5 && found6, "corrupt files not reported by name: %s | %s | %s",
                  lb.lines[0], lb.lines[1], lb.lines[2]);
    snprintf(path, sizeof path, "%s/payload-00000000000000000005.json.corrupt", tmpdir);
    ck_assert_int_eq(access(path, F_OK), 0);
    snprintf(path, sizeof path, "%s/payload-00000000000000000006.json.corrupt", tmpdir);
    ck_assert_int_eq(access(path, F_OK), 0);
    snprintf(path, sizeof path, "%s/payload-00000000000000000007.json.tmp", tmpdir);
    ck_assert_int_ne(access(path, F_OK), 0);
    ck_assert_int_eq(list_dir(names, 8), 4);       /* two payloads + two .corrupt */

    cJSON *doc = read_oldest(&sp, &head);
    ck_assert_uint_eq(head.seq, 10);
    cJSON_Delete(doc);
    /* New files go after every name ever seen, corrupt ones included. */
    put(&sp, payload(12, "00:00:00:00:00:0c", "10.0.0.12", "2026-01-01T00:00:00Z",
                     "2026-01-01T00:01:00Z", "z"));
    snprintf(path, sizeof path, "%s/payload-00000000000000000007.json", tmpdir);
    ck_assert_int_eq(access(path, F_OK), 0);
    remove_tree();
}
END_TEST

START_TEST(spool_file_gone_bad_is_set_aside_not_sent)
{
    struct sensor_spool sp;
    struct logbook lb = {0};
    char err[SENSOR_SPOOL_ERRMSG_MAX] = "", path[512], *text = NULL;
    struct codec_upload_head head;
    size_t len;

    make_tmpdir();
    ck_assert_int_eq(sensor_spool_open(&sp, tmpdir, log_keep, &lb, err), 0);
    put(&sp, payload(1, "00:00:00:00:00:01", "10.0.0.1", "2026-01-01T00:00:00Z",
                     "2026-01-01T00:01:00Z", "a"));
    put(&sp, payload(2, "00:00:00:00:00:02", "10.0.0.2", "2026-01-01T00:00:00Z",
                     "2026-01-01T00:01:00Z", "b"));
    snprintf(path, sizeof path, "%s/payload-00000000000000000000.json", tmpdir);
    ck_assert_int_eq(truncate(path, 10), 0);
    ck_assert_int_eq(sensor_spool_oldest(&sp, &text, &len, &head, err), -1);
    ck_assert_ptr_nonnull(strstr(err, "payload-00000000000000000000.json"));
    ck_assert_uint_eq(sensor_spool_count(&sp), 1);
    ck_assert_int_eq(sensor_spool_oldest(&sp, &text, &len, &head, err), 0);
    ck_assert_uint_eq(head.seq, 2);
    free(text);
    /* Refused for good: moved aside, no longer counted. */
    ck_assert_int_eq(sensor_spool_set_aside_oldest(&sp, "rejected", err), 0);
    ck_assert_uint_eq(sensor_spool_count(&sp), 0);
    snprintf(path, sizeof path, "%s/payload-00000000000000000001.json.rejected", tmpdir);
    ck_assert_int_eq(access(path, F_OK), 0);
    remove_tree();
}
END_TEST

START_TEST(spool_open_reports_uncreatable_directory)
{
    struct sensor_spool sp;
    char err[SENSOR_SPOOL_ERRMSG_MAX] = "";
    ck_assert_int_eq(sensor_spool_open(&sp, "/proc/caps-no/spool", NULL, NULL, err), -1);
    ck_assert_ptr_nonnull(strstr(err, "/proc/caps-no/spool"));
}
END_TEST

Suite *suite_spool(void)
{
    Suite *s = suite_create("spool");
    TCase *tc = tcase_create("spool");
    tcase_add_test(tc, spool_writes_files_oldest_first);
    tcase_add_test(tc, spool_merges_two_oldest_when_full);
    tcase_add_test(tc, spool_finds_leftovers_and_moves_corrupt_aside);
    tcase_add_test(tc, spool_file_gone_bad_is_set_aside_not_sent);
    tcase_add_test(tc, spool_open_reports_uncreatable_directory);
    suite_add_tcase(s, tc);
    return s;
}
