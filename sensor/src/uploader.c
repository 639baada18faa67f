/* uploader.c - talking to the cloud over HTTP(S) with libcurl.
 *
 * One easy handle, reused so uploads share a connection. Answers are read
 * into a buffer bounded by SENSOR_CLOUD_ANSWER_BYTES_MAX; anything beyond is
 * dropped, never an error. The token goes in a header only, never in a log
 * line. Status codes map to caps_upload_status in one place (upload_map).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <curl/curl.h>
#include <zlib.h>

#include "caps/upload.h"
#include "sensor/uploader.h"

struct answer {
    char *body;
    size_t len;
    size_t cap;
};

static void cloud_err(char *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void cloud_err(char *err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, SENSOR_CLOUD_ERRMSG_MAX, fmt, ap);
    va_end(ap);
}

static size_t on_body(char *data, size_t size, size_t nmemb, void *user)
{
    struct answer *a = user;
    size_t n = size * nmemb;
    size_t keep = n;

    if (a->len + keep > SENSOR_CLOUD_ANSWER_BYTES_MAX)
        keep = SENSOR_CLOUD_ANSWER_BYTES_MAX - a->len;
    if (keep > 0) {
        if (a->len + keep + 1 > a->cap) {
            size_t cap = a->cap ? a->cap : 4096;
            while (cap < a->len + keep + 1)
                cap *= 2;
            char *b = realloc(a->body, cap);
            if (b == NULL)
                return 0;      /* makes curl fail the transfer: counted as a retry */
            a->body = b;
            a->cap = cap;
        }
        memcpy(a->body + a->len, data, keep);
        a->len += keep;
        a->body[a->len] = '\0';
    }
    return n;
}

int sensor_gzip(const uint8_t *in, size_t len, uint8_t **out, size_t *out_len)
{
    z_stream z;

    memset(&z, 0, sizeof z);
    /* windowBits 15 + 16: a gzip header and trailer around the deflate data. */
    if (deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) !=
        Z_OK)
        return -1;
    uLong bound = deflateBound(&z, (uLong)len) + 32;  /* + the gzip header and trailer */
    uint8_t *buf = malloc(bound);
    if (buf == NULL) {
        deflateEnd(&z);
        return -1;
    }
    z.next_in = (Bytef *)(uintptr_t)in;   /* zlib's API is not const-correct */
    z.avail_in = (uInt)len;
    z.next_out = buf;
    z.avail_out = (uInt)bound;
    int rc = deflate(&z, Z_FINISH);
    size_t n = z.total_out;
    deflateEnd(&z);
    if (rc != Z_STREAM_END) {
        free(buf);
        return -1;
    }
    *out = buf;
    *out_len = n;
    return 0;
}

int sensor_cloud_init(struct sensor_cloud *c, const char *url, int insecure,
                      char err[SENSOR_CLOUD_ERRMSG_MAX])
{
    size_t n = strlen(url);

    memset(c, 0, sizeof *c);
    if (strncmp(url, "http://", 7) != 0 && strncmp(url, "https://", 8) != 0) {
        cloud_err(err, "--cloud: URL must start with http:// or https://, got '%s'", url);
        return -1;
    }
    while (n > 0 && url[n - 1] == '/')
        n--;
    if (n >= sizeof c->base) {
        cloud_err(err, "--cloud: URL longer than %zu bytes", sizeof c->base - 1);
        return -1;
    }
    memcpy(c->base, url, n);
    c->base[n] = '\0';
    c->insecure = insecure;
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0 || (c->curl = curl_easy_init()) == NULL) {
        cloud_err(err, "%s: cannot initialise libcurl", c->base);
        return -1;
    }
    return 0;
}

void sensor_cloud_set_token(struct sensor_cloud *c, const char *token)
{
    snprintf(c->token, sizeof c->token, "%s", token);
}

/* libcurl's progress callback: non-zero aborts the transfer
 * (CURLE_ABORTED_BY_CALLBACK, a retry for uploads). */
static int on_progress(void *user, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
                       curl_off_t ulnow)
{
    const struct sensor_cloud *c = user;
    (void)dltotal, (void)dlnow, (void)ultotal, (void)ulnow;
    return c->abort_flag != NULL && atomic_load(c->abort_flag) != 0;
}

/* One request: method, path under the base URL, optional body with its
 * content encoding. Fills *status (0 on a transport error, then curl_err)
 * and the answer. Returns 0 when an answer came, else -1. */
static int cloud_request(struct sensor_cloud *c, const char *method, const char *path,
                         const void *body, size_t body_len, int gzipped, long *status,
                         struct answer *a, char curl_err[CURL_ERROR_SIZE])
{
    CURL *h = c->curl;
    struct curl_slist *hdrs = NULL;
    char url[SENSOR_URL_MAX + 128], auth[SENSOR_TOKEN_MAX + 32];

    memset(a, 0, sizeof *a);
    *status = 0;
    curl_err[0] = '\0';
    snprintf(url, sizeof url, "%s%s", c->base, path);
    curl_easy_reset(h);
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, (long)SENSOR_CLOUD_CONNECT_MS);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, (long)SENSOR_CLOUD_TOTAL_MS);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, c->insecure ? 0L : 1L);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, c->insecure ? 0L : 2L);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, a);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, curl_err);
    curl_easy_setopt(h, CURLOPT_USERAGENT, "caps-sensor");
    if (c->abort_flag != NULL) {
        if (atomic_load(c->abort_flag) != 0) {
            snprintf(curl_err, CURL_ERROR_SIZE, "aborted: the sensor is stopping");
            return -1;
        }
        curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
        curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, on_progress);
        curl_easy_setopt(h, CURLOPT_XFERINFODATA, c);
    }
    hdrs = curl_slist_append(hdrs, "Accept: application/json");
    if (c->token[0] != '\0') {
        snprintf(auth, sizeof auth, "Authorization: Bearer %s", c->token);
        hdrs = curl_slist_append(hdrs, auth);
    }
    if (body != NULL) {
        hdrs = curl_slist_append(hdrs, "Content-Type: application/json");
        if (gzipped)
            hdrs = curl_slist_append(hdrs, "Content-Encoding: gzip");
        /* No "Expect: 100-continue" round trip for large bodies. */
        hdrs = curl_slist_append(hdrs, "Expect:");
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
        curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)body_len);
    }
    if (strcmp(method, "GET") == 0)
        curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
    else if (body == NULL)
        curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);
    CURLcode rc = curl_easy_perform(h);
    curl_slist_free_all(hdrs);
    /* The handle keeps no pointer into our stack past this call. */
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, NULL);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, NULL);
    if (rc != CURLE_OK) {
        if (curl_err[0] == '\0')
            snprintf(curl_err, CURL_ERROR_SIZE, "%s", curl_easy_strerror(rc));
        return -1;
    }
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, status);
    return 0;
}

/* The cloud's {"error": CODE, "message": TEXT}, or the raw body, for a log. */
static void answer_describe(const struct answer *a, char *out, size_t cap)
{
    cJSON *doc = a->body ? cJSON_Parse(a->body) : NULL;
    const cJSON *code = cJSON_GetObjectItemCaseSensitive(doc, "error");
    const cJSON *msg = cJSON_GetObjectItemCaseSensitive(doc, "message");

    if (cJSON_IsString(code))
        snprintf(out, cap, "%s: %s", code->valuestring,
                 cJSON_IsString(msg) ? msg->valuestring : "");
    else
        snprintf(out, cap, "%.300s", a->body ? a->body : "(no body)");
    cJSON_Delete(doc);
}

int sensor_cloud_activate(struct sensor_cloud *c, const char *key, const char *hostname,
                          const char (*macs)[18], size_t mac_count,
                          char agent_id[SENSOR_AGENT_ID_MAX], char token[SENSOR_TOKEN_MAX],
                          char err[SENSOR_CLOUD_ERRMSG_MAX])
{
    char curl_err[CURL_ERROR_SIZE], what[SENSOR_CLOUD_ERRMSG_MAX];
    struct answer a;
    long status;
    int rc = -1;

    cJSON *req = cJSON_CreateObject();
    cJSON *arr = cJSON_AddArrayToObject(req, "macs");
    if (req == NULL || arr == NULL || cJSON_AddStringToObject(req, "activation_key", key) == NULL ||
        cJSON_AddStringToObject(req, "hostname", hostname) == NULL) {
        cJSON_Delete(req);
        cloud_err(err, "%s: out of memory", c->base);
        return -1;
    }
    for (size_t i = 0; i < mac_count && i < SENSOR_CLOUD_MACS_MAX; i++)
        cJSON_AddItemToArray(arr, cJSON_CreateString(macs[i]));
    char *body = cJSON_PrintUnformatted(req);
    cJSON_Delete(req);
    if (body == NULL) {
        cloud_err(err, "%s: out of memory", c->base);
        return -1;
    }
    char saved[SENSOR_TOKEN_MAX];
    memcpy(saved, c->token, sizeof saved);
    c->token[0] = '\0';                  /* activation carries the key, not a token */
    int sent = cloud_request(c, "POST", "/api/v1/activate", body, strlen(body), 0, &status, &a,
                             curl_err);
    memcpy(c->token, saved, sizeof saved);
    free(body);
    if (sent != 0) {
        cloud_err(err, "%s/api/v1/activate: %s", c->base, curl_err);
        goto out;
    }
    if (status != 201) {
        answer_describe(&a, what, sizeof what);
        cloud_err(err, "%s/api/v1/activate: HTTP %ld: %s", c->base, status, what);
        goto out;
    }
    cJSON *doc = a.body ? cJSON_Parse(a.body) : NULL;
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(doc, "agent_id");
    const cJSON *tok = cJSON_GetObjectItemCaseSensitive(doc, "token");
    if (!cJSON_IsString(id) || !cJSON_IsString(tok) || id->valuestring[0] == '\0' ||
        tok->valuestring[0] == '\0' || strlen(id->valuestring) >= SENSOR_AGENT_ID_MAX ||
        strlen(tok->valuestring) >= SENSOR_TOKEN_MAX) {
        cloud_err(err, "%s/api/v1/activate: answer lacks a valid \"agent_id\" and \"token\"",
                  c->base);
    } else {
        snprintf(agent_id, SENSOR_AGENT_ID_MAX, "%s", id->valuestring);
        snprintf(token, SENSOR_TOKEN_MAX, "%s", tok->valuestring);
        rc = 0;
    }
    cJSON_Delete(doc);
out:
    free(a.body);
    return rc;
}

int sensor_cloud_config_get(struct sensor_cloud *c, char **text, size_t *len,
                            char err[SENSOR_CLOUD_ERRMSG_MAX])
{
    char curl_err[CURL_ERROR_SIZE], what[SENSOR_CLOUD_ERRMSG_MAX];
    struct answer a;
    long status;

    if (cloud_request(c, "GET", "/api/v1/caps/config", NULL, 0, 0, &status, &a, curl_err) != 0) {
        cloud_err(err, "%s/api/v1/caps/config: %s", c->base, curl_err);
        free(a.body);
        return -1;
    }
    if (status == 404) {
        free(a.body);
        return 1;
    }
    if (status != 200 || a.body == NULL) {
        answer_describe(&a, what, sizeof what);
        cloud_err(err, "%s/api/v1/caps/config: HTTP %ld: %s", c->base, status, what);
        free(a.body);
        return -1;
    }
    *text = a.body;
    *len = a.len;
    return 0;
}

/* Maps an answer to the core's outcome (docs/cloud.md, caps/upload.h). */
static void upload_map(long status, const struct answer *a, struct sensor_upload_result *r)
{
    cJSON *doc = a->body ? cJSON_Parse(a->body) : NULL;
    const cJSON *st = cJSON_GetObjectItemCaseSensitive(doc, "status");
    const cJSON *code = cJSON_GetObjectItemCaseSensitive(doc, "error");
    const cJSON *epoch = cJSON_GetObjectItemCaseSensitive(doc, "subnet_epoch");

    if (cJSON_IsString(st))
        snprintf(r->cloud_status, sizeof r->cloud_status, "%s", st->valuestring);
    else if (cJSON_IsString(code))
        snprintf(r->cloud_status, sizeof r->cloud_status, "%s", code->valuestring);
    answer_describe(a, r->detail, sizeof r->detail);
    if (status == 200 && cJSON_IsString(st) &&
        (strcmp(st->valuestring, "accepted") == 0 || strcmp(st->valuestring, "duplicate") == 0)) {
        r->status = CAPS_UPLOAD_OK;
    } else if (status == 409 && cJSON_IsString(code) && strcmp(code->valuestring, "fenced") == 0) {
        r->status = CAPS_UPLOAD_FENCED;
        if (cJSON_IsNumber(epoch) && epoch->valuedouble >= 0 && epoch->valuedouble < 9.007e15)
            r->subnet_epoch = (uint64_t)epoch->valuedouble;
    } else if (status >= 400 && status < 500) {
        r->status = CAPS_UPLOAD_REJECTED;
    } else {
        r->status = CAPS_UPLOAD_RETRY;   /* 5xx, or a 2xx/3xx we do not understand */
    }
    cJSON_Delete(doc);
}

void sensor_cloud_upload(struct sensor_cloud *c, const char *json, size_t len,
                         struct sensor_upload_result *r)
{
    char curl_err[CURL_ERROR_SIZE];
    struct answer a;
    uint8_t *gz;
    size_t gz_len;

    memset(r, 0, sizeof *r);
    r->status = CAPS_UPLOAD_RETRY;
    if (sensor_gzip((const uint8_t *)json, len, &gz, &gz_len) != 0) {
        snprintf(r->detail, sizeof r->detail, "out of memory compressing %zu bytes", len);
        return;
    }
    int sent = cloud_request(c, "POST", "/api/v1/caps/uploads", gz, gz_len, 1, &r->http_status,
                             &a, curl_err);
    free(gz);
    if (sent != 0)
        snprintf(r->detail, sizeof r->detail, "%s", curl_err);
    else
        upload_map(r->http_status, &a, r);
    free(a.body);
}

void sensor_cloud_cleanup(struct sensor_cloud *c)
{
    if (c->curl != NULL) {
        curl_easy_cleanup(c->curl);
        curl_global_cleanup();
    }
    c->curl = NULL;
    memset(c->token, 0, sizeof c->token);
}
