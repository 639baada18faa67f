/* cloud.c - the mock cloud's ingest and query, in-process, against the SQLite floor.
 *
 * Builds one realistic full upload (a caps core fed the traffic library's
 * synthesized subnet, the first ASSETS assets by mac kept), then per run, on a
 * fresh database file in DIR, times cloud_handle for a first full upload, a
 * repeat (all merges), a duplicate and two queries, and the bare floor: the
 * same rows inserted into a plain SQLite table in one transaction with
 * WAL and synchronous=FULL. Prints one "run NAME I SECONDS" line per timing
 * for bench/cloud.sh to reduce; exits 1 when any answer is not the expected one.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <sqlite3.h>

#include "caps/sensor.h"
#include "cloud/service.h"
#include "codec/fingerprints.h"
#include "codec/upload.h"
#include "traffic/subnet.h"

#define BENCH_KEY "bench-key"
#define BENCH_NOW_US 1795838400000000ull       /* 2026-11-28T04:00:00Z */
#define BENCH_START_EPOCH_US 1704096000000000ull /* 2024-01-01T08:00:00Z */
#define BENCH_SUBNET "10.20.0.0/21"
#define BENCH_PATH_MAX 4096
#define BENCH_SEED 1u

static const char bench_usage[] =
    "usage: bench_cloud --dir DIR [--runs N] [--assets N] [--template FILE]\n"
    "  --dir DIR        where the temporary databases go (created files are removed)\n"
    "  --runs N         timed runs after one warm-up, 1..100 (default 5)\n"
    "  --assets N       assets per payload, 1..4000 (default 1000)\n"
    "  --template FILE  also write the payload with agent_id \"@AGENT_ID@\" and seq @SEQ@\n"
    "                   for bench/cloud.sh's HTTP part\n";

struct bench {
    const char *dir;
    unsigned runs;
    unsigned assets;
    cJSON *payload;              /* the upload document, agent_id and seq set per request */
    char **rows;                 /* the assets' JSON text, for the floor */
    char **macs;
};

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int parse_uint(const char *opt, const char *v, unsigned lo, unsigned hi, unsigned *out)
{
    char *end = NULL;
    errno = 0;
    unsigned long long x = v != NULL ? strtoull(v, &end, 10) : 0;
    if (v == NULL || *v == '\0' || *v == '-' || errno != 0 || end == NULL || *end != '\0' ||
        x < lo || x > hi) {
        fprintf(stderr, "bench_cloud: %s must be %u..%u, got \"%s\"\n", opt, lo, hi,
                v != NULL ? v : "");
        return -1;
    }
    *out = (unsigned)x;
    return 0;
}

/* ---- the payload: a core fed a synthesized subnet ---- */

static int mac_cmp(const void *a, const void *b)
{
    const cJSON *x = *(const cJSON *const *)a, *y = *(const cJSON *const *)b;
    return strcmp(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(x, "mac")),
                  cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(y, "mac")));
}

/* A full upload of the first `assets` assets (by mac) a core found in a
 * seeded subnet of 1.25 x assets hosts over 15 minutes (not every host talks
 * in that time; about 80 % do). NULL with a message on stderr. */
static cJSON *payload_build(unsigned assets)
{
    char err[512];
    struct codec_fp_db fpdb;
    struct caps_config cfg;
    struct traffic_subnet_config scfg;
    struct traffic_profiles *prof = NULL;

    memset(&fpdb, 0, sizeof fpdb);
    if (codec_fp_load_builtin(NULL, &fpdb, err) != 0) {
        fprintf(stderr, "bench_cloud: fingerprints: %s\n", err);
        return NULL;
    }
    caps_config_default(&cfg);
    cfg.assets_max = assets * 2u;
    cfg.fingerprints = &fpdb.db;
    memset(&scfg, 0, sizeof scfg);
    scfg.seed = BENCH_SEED;
    scfg.hosts = assets + assets / 4u;
    scfg.net[0] = 10;
    scfg.net[1] = 20;
    scfg.prefix_len = 21;      /* 2030 host addresses; widened below for more */
    while (scfg.prefix_len > 8 && (1ull << (32 - scfg.prefix_len)) - 18u < scfg.hosts)
        scfg.prefix_len--;
    scfg.start_epoch_us = BENCH_START_EPOCH_US;
    scfg.mac_rotation = 0;
    if (traffic_profiles_load_builtin(&prof, err) != 0) {
        fprintf(stderr, "bench_cloud: profiles: %s\n", err);
        codec_fp_free(&fpdb);
        return NULL;
    }
    struct traffic_subnet *sub = traffic_subnet_create(&scfg, prof, err);
    traffic_profiles_free(prof);
    size_t arena_bytes = caps_sensor_arena_bytes(&cfg);
    void *arena = aligned_alloc(64, (arena_bytes + 63) & ~(size_t)63);
    struct caps_sensor *s = malloc(sizeof *s);
    struct caps_host host;
    memset(&host, 0, sizeof host);
    cJSON *doc = NULL;
    if (sub == NULL) {
        fprintf(stderr, "bench_cloud: subnet: %s\n", err);
    } else if (arena == NULL || s == NULL) {
        fprintf(stderr, "bench_cloud: cannot allocate %zu bytes for the core\n", arena_bytes);
    } else if (caps_sensor_init(s, &cfg, &host, arena, arena_bytes) != 0) {
        fprintf(stderr, "bench_cloud: core init failed\n");
    } else {
        static struct traffic_frame f;
        caps_sensor_set_dns_suffix(s, NULL);
        while (traffic_subnet_next(sub, 15ull * 60u * 1000000u, &f) == 1)
            caps_sensor_frame(s, f.ts_us, f.bytes, f.len, f.len);
        struct caps_upload u;
        memset(&u, 0, sizeof u);
        u.seq = 1;
        u.epoch = 1;
        u.gen = s->inv.gen;
        u.built_us = s->now_us;
        u.asset_count = s->inv.count;
        u.full = 1;
        struct codec_upload_id id = {"@AGENT_ID@", BENCH_SUBNET};
        doc = codec_upload_build(s, &u, &id);
        if (doc == NULL)
            fprintf(stderr, "bench_cloud: out of memory building the payload\n");
    }
    if (doc != NULL) {
        /* Keep the first `assets` by mac: the payload stays sorted by mac. */
        cJSON *list = cJSON_GetObjectItemCaseSensitive(doc, "assets");
        int n = cJSON_GetArraySize(list);
        if (n < (int)assets) {
            fprintf(stderr, "bench_cloud: the core found %d assets, %u wanted\n", n, assets);
            cJSON_Delete(doc);
            doc = NULL;
        } else {
            cJSON **items = malloc((size_t)n * sizeof *items);
            if (items == NULL) {
                cJSON_Delete(doc);
                doc = NULL;
            } else {
                int i = 0;
                for (cJSON *a = list->child; a != NULL; a = a->next)
                    items[i++] = a;
                qsort(items, (size_t)n, sizeof *items, mac_cmp);
                for (i = (int)assets; i < n; i++)
                    cJSON_Delete(cJSON_DetachItemViaPointer(list, items[i]));
                free(items);
            }
        }
    }
    free(arena);
    free(s);
    traffic_subnet_destroy(sub);
    codec_fp_free(&fpdb);
    return doc;
}

/* Sets agent_id and seq (NULL agent: the template's raw placeholders) and
 * renders the document. NULL when memory runs out. */
static char *payload_text(cJSON *doc, const char *agent_id, uint64_t seq)
{
    cJSON *a = agent_id ? cJSON_CreateString(agent_id) : cJSON_CreateRaw("\"@AGENT_ID@\"");
    cJSON *q = agent_id ? cJSON_CreateNumber((double)seq) : cJSON_CreateRaw("@SEQ@");
    if (a == NULL || q == NULL || !cJSON_ReplaceItemInObjectCaseSensitive(doc, "agent_id", a)) {
        cJSON_Delete(a);
        cJSON_Delete(q);
        return NULL;
    }
    if (!cJSON_ReplaceItemInObjectCaseSensitive(doc, "seq", q)) {
        cJSON_Delete(q);
        return NULL;
    }
    return cJSON_PrintUnformatted(doc);
}

/* ---- the service in-process ---- */

static void rng_fill(void *ctx, uint8_t *out, size_t n)
{
    uint64_t *st = ctx, z = 0;
    for (size_t i = 0; i < n; i++) {
        if (i % 8 == 0) {          /* splitmix64 */
            z = (*st += 0x9e3779b97f4a7c15ull);
            z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
            z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
            z ^= z >> 31;
        }
        out[i] = (uint8_t)(z >> (8 * (i % 8)));
    }
}

static void db_remove(const char *path)
{
    char side[BENCH_PATH_MAX + 8];
    unlink(path);
    snprintf(side, sizeof side, "%s-wal", path);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", path);
    unlink(side);
}

/* One request, timed; returns the answer parsed (NULL: not JSON, reported). */
static cJSON *request(struct cloud *c, const char *method, const char *path, const char *q,
                      const char *auth, const char *body, double *seconds, int *status)
{
    struct cloud_request req = {method, path, q, auth, NULL, (const uint8_t *)body,
                                body != NULL ? strlen(body) : 0, BENCH_NOW_US};
    struct cloud_response resp;
    memset(&resp, 0, sizeof resp);
    double t0 = now_s();
    cloud_handle(c, &req, &resp);
    double t1 = now_s();
    if (seconds != NULL)
        *seconds = t1 - t0;
    *status = resp.status;
    cJSON *doc = resp.body != NULL ? cJSON_Parse(resp.body) : NULL;
    if (doc == NULL)
        fprintf(stderr, "bench_cloud: %s %s: answer %d is not JSON: %.200s\n", method, path,
                resp.status, resp.body != NULL ? resp.body : "(none)");
    cloud_response_free(&resp);
    return doc;
}

/* 1 when doc[key] is the string want. */
static int has_string(const cJSON *doc, const char *key, const char *want)
{
    const char *v = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(doc, key));
    return v != NULL && strcmp(v, want) == 0;
}

static double get_number(const cJSON *doc, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(doc, key);
    return cJSON_IsNumber(v) ? v->valuedouble : -1.0;
}

/* One run on a fresh database: prints its timings when print is set.
 * Returns 0, or -1 with a message on stderr. */
static int run_service(struct bench *b, unsigned run, int print)
{
    char path[BENCH_PATH_MAX], err[CLOUD_ERRMSG_MAX], auth[128], agent[CODEC_AGENT_ID_MAX];
    uint64_t seed = 42;
    const struct cloud_rng rng = {&seed, rng_fill};
    int status = 0, rc = -1;
    double t_full = 0, t_repeat = 0, t_dup = 0, t_qs = 0, t_qw = 0;
    char *text = NULL;
    cJSON *ans = NULL;

    snprintf(path, sizeof path, "%s/cloud-inproc.db", b->dir);
    db_remove(path);
    struct cloud *c = cloud_open(path, &rng, err);
    if (c == NULL) {
        fprintf(stderr, "bench_cloud: %s\n", err);
        return -1;
    }
    if (cloud_activation_key_add(c, BENCH_KEY) != 0 ||
        cloud_config_ensure_default(c, "example.internal") != 0) {
        fprintf(stderr, "bench_cloud: %s: cannot store the activation key or configuration\n",
                path);
        goto out;
    }
    ans = request(c, "POST", "/api/v1/activate", NULL, NULL,
                  "{\"activation_key\":\"" BENCH_KEY "\",\"hostname\":\"bench\","
                  "\"macs\":[\"02:00:00:00:00:01\"]}", NULL, &status);
    const char *id = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(ans, "agent_id"));
    const char *tok = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(ans, "token"));
    if (status != 201 || id == NULL || tok == NULL) {
        fprintf(stderr, "bench_cloud: activation answered %d\n", status);
        goto out;
    }
    snprintf(agent, sizeof agent, "%s", id);
    snprintf(auth, sizeof auth, "Bearer %s", tok);
    cJSON_Delete(ans);
    ans = NULL;

    /* (a) the first full snapshot: every asset new. */
    text = payload_text(b->payload, agent, 1);
    if (text == NULL)
        goto oom;
    ans = request(c, "POST", "/api/v1/caps/uploads", NULL, auth, text, &t_full, &status);
    if (status != 200 || !has_string(ans, "status", "accepted") ||
        get_number(ans, "assets") != (double)b->assets) {
        fprintf(stderr, "bench_cloud: first upload answered %d, not accepted with %u assets\n",
                status, b->assets);
        goto out;
    }
    cJSON_Delete(ans);
    free(text);
    /* (b) the same assets again under a new seq: every asset merged. */
    text = payload_text(b->payload, agent, 2);
    if (text == NULL)
        goto oom;
    ans = request(c, "POST", "/api/v1/caps/uploads", NULL, auth, text, &t_repeat, &status);
    if (status != 200 || !has_string(ans, "status", "accepted") ||
        get_number(ans, "assets") != (double)b->assets) {
        fprintf(stderr, "bench_cloud: repeat upload answered %d, not accepted with %u assets\n",
                status, b->assets);
        goto out;
    }
    cJSON_Delete(ans);
    /* (c) the same key again: a duplicate, nothing written. */
    ans = request(c, "POST", "/api/v1/caps/uploads", NULL, auth, text, &t_dup, &status);
    if (status != 200 || !has_string(ans, "status", "duplicate")) {
        fprintf(stderr, "bench_cloud: duplicate upload answered %d, not duplicate\n", status);
        goto out;
    }
    cJSON_Delete(ans);
    /* (d) the queries. */
    ans = request(c, "GET", "/api/v1/assets", "inventory.source:CAPS", NULL, NULL, &t_qs, &status);
    if (status != 200 || get_number(ans, "count") != (double)b->assets) {
        fprintf(stderr, "bench_cloud: query inventory.source:CAPS answered %d with count %.0f, "
                        "%u expected\n", status, get_number(ans, "count"), b->assets);
        goto out;
    }
    cJSON_Delete(ans);
    ans = request(c, "GET", "/api/v1/assets", "os.family:windows and managed:false", NULL, NULL,
                  &t_qw, &status);
    double windows = get_number(ans, "count");
    if (status != 200 || windows < 0) {
        fprintf(stderr, "bench_cloud: query os.family:windows and managed:false answered %d\n",
                status);
        goto out;
    }
    if (print) {
        printf("run inproc_full %u %.6f\n", run, t_full);
        printf("run inproc_repeat %u %.6f\n", run, t_repeat);
        printf("run inproc_duplicate %u %.6f\n", run, t_dup);
        printf("run inproc_query_source %u %.6f\n", run, t_qs);
        printf("run inproc_query_windows %u %.6f\n", run, t_qw);
        if (run == 1)
            printf("info query_windows_count %.0f\n", windows);
    }
    rc = 0;
    goto out;
oom:
    fprintf(stderr, "bench_cloud: out of memory rendering the payload\n");
out:
    cJSON_Delete(ans);
    free(text);
    cloud_close(c);
    db_remove(path);
    return rc;
}

/* ---- the floor: the same rows into a bare table ---- */

static int sql_fail(sqlite3 *db, const char *path, const char *what)
{
    fprintf(stderr, "bench_cloud: %s: sqlite: %s: %s\n", path, what,
            db != NULL ? sqlite3_errmsg(db) : "out of memory");
    return -1;
}

static int run_floor(struct bench *b, unsigned run, int print)
{
    char path[BENCH_PATH_MAX];
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    int rc = -1;

    snprintf(path, sizeof path, "%s/cloud-floor.db", b->dir);
    db_remove(path);
    if (sqlite3_open(path, &db) != SQLITE_OK) {
        sql_fail(db, path, "open");
        goto out;
    }
    /* journal_mode answers a row: sqlite3_exec discards it. */
    if (sqlite3_exec(db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; "
                         "CREATE TABLE asset (mac TEXT PRIMARY KEY, doc TEXT NOT NULL)",
                     NULL, NULL, NULL) != SQLITE_OK) {
        sql_fail(db, path, "schema");
        goto out;
    }
    if (sqlite3_prepare_v2(db, "INSERT INTO asset (mac, doc) VALUES (?1, ?2)", -1, &st, NULL) !=
        SQLITE_OK) {
        sql_fail(db, path, "prepare");
        goto out;
    }
    double t0 = now_s();
    if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK) {
        sql_fail(db, path, "begin");
        goto out;
    }
    for (unsigned i = 0; i < b->assets; i++) {
        sqlite3_reset(st);
        if (sqlite3_bind_text(st, 1, b->macs[i], -1, SQLITE_STATIC) != SQLITE_OK ||
            sqlite3_bind_text(st, 2, b->rows[i], -1, SQLITE_STATIC) != SQLITE_OK ||
            sqlite3_step(st) != SQLITE_DONE) {
            sql_fail(db, path, "insert");
            goto out;
        }
    }
    if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
        sql_fail(db, path, "commit");
        goto out;
    }
    double t1 = now_s();
    if (print)
        printf("run floor_insert %u %.6f\n", run, t1 - t0);
    rc = 0;
out:
    sqlite3_finalize(st);
    sqlite3_close(db);
    db_remove(path);
    return rc;
}

static int write_template(struct bench *b, const char *path)
{
    char *text = payload_text(b->payload, NULL, 0);
    if (text == NULL) {
        fprintf(stderr, "bench_cloud: out of memory rendering the payload\n");
        return -1;
    }
    FILE *f = fopen(path, "w");
    size_t n = strlen(text);
    int bad = f == NULL || fwrite(text, 1, n, f) != n || fputc('\n', f) == EOF;
    if (f != NULL && fclose(f) != 0)
        bad = 1;
    free(text);
    if (bad) {
        fprintf(stderr, "bench_cloud: %s: cannot write: %s\n", path, strerror(errno));
        return -1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    struct bench b;
    const char *template_path = NULL;
    memset(&b, 0, sizeof b);
    b.runs = 5;
    b.assets = 1000;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            fputs(bench_usage, stdout);
            return 0;
        }
        if (v == NULL) {
            fprintf(stderr, "bench_cloud: %s needs a value\n%s", a, bench_usage);
            return 2;
        }
        i++;
        if (strcmp(a, "--dir") == 0) {
            b.dir = v;
        } else if (strcmp(a, "--template") == 0) {
            template_path = v;
        } else if (strcmp(a, "--runs") == 0) {
            if (parse_uint(a, v, 1, 100, &b.runs) != 0)
                return 2;
        } else if (strcmp(a, "--assets") == 0) {
            if (parse_uint(a, v, 1, 4000, &b.assets) != 0)
                return 2;
        } else {
            fprintf(stderr, "bench_cloud: unknown option \"%s\"\n%s", a, bench_usage);
            return 2;
        }
    }
    if (b.dir == NULL || strlen(b.dir) > BENCH_PATH_MAX - 32) {
        fprintf(stderr, "bench_cloud: --dir DIR is required (at most %d bytes)\n%s",
                BENCH_PATH_MAX - 32, bench_usage);
        return 2;
    }

    double t0 = now_s();
    b.payload = payload_build(b.assets);
    if (b.payload == NULL)
        return 1;
    int status = 1;
    b.rows = calloc(b.assets, sizeof *b.rows);
    b.macs = calloc(b.assets, sizeof *b.macs);
    if (b.rows == NULL || b.macs == NULL)
        goto done;
    unsigned k = 0;
    cJSON *a;
    cJSON_ArrayForEach(a, cJSON_GetObjectItemCaseSensitive(b.payload, "assets")) {
        b.macs[k] = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(a, "mac"));
        b.rows[k] = cJSON_PrintUnformatted(a);
        if (b.rows[k] == NULL || b.macs[k] == NULL)
            goto done;
        k++;
    }
    char *whole = payload_text(b.payload, "00000000-0000-4000-8000-000000000000", 1);
    if (whole == NULL)
        goto done;
    printf("info assets %u\n", b.assets);
    printf("info payload_bytes %zu\n", strlen(whole));
    printf("info payload_build_s %.3f\n", now_s() - t0);
    free(whole);
    if (template_path != NULL && write_template(&b, template_path) != 0)
        goto done;
    fflush(stdout);

    /* Run 0 is the warm-up: checked, not printed. */
    for (unsigned r = 0; r <= b.runs; r++) {
        if (run_service(&b, r, r > 0) != 0 || run_floor(&b, r, r > 0) != 0)
            goto done;
        fflush(stdout);
    }
    status = 0;
done:
    if (status != 0 && (b.rows == NULL || b.macs == NULL))
        fprintf(stderr, "bench_cloud: out of memory\n");
    for (unsigned i = 0; b.rows != NULL && i < b.assets; i++)
        free(b.rows[i]);
    free(b.rows);
    free(b.macs);
    cJSON_Delete(b.payload);
    return status;
}
