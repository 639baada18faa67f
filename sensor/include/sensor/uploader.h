/* sensor/uploader.h - the sensor's HTTP client of the cloud (libcurl).
 *
 * docs/cloud.md: activation, the configuration, upload payloads. Uploads are
 * gzip-compressed (Content-Encoding: gzip) JSON with the bearer token. TLS
 * peers are verified unless insecure is set. Every request: connect timeout
 * SENSOR_CLOUD_CONNECT_MS, total SENSOR_CLOUD_TOTAL_MS. One request at a
 * time, blocking: setup calls it from the main thread before uploads start,
 * then only the outbox's sender thread uses the handle. A set abort flag
 * ends a running request within about a second (libcurl's progress
 * callback), so a stop need not wait for the total timeout.
 */
#ifndef SENSOR_UPLOADER_H
#define SENSOR_UPLOADER_H

#include <stddef.h>
#include <stdatomic.h>
#include <stdint.h>

#include "sensor/agentstate.h"

#define SENSOR_CLOUD_CONNECT_MS 5000
#define SENSOR_CLOUD_TOTAL_MS 30000
#define SENSOR_CLOUD_ANSWER_BYTES_MAX (4u << 20)  /* answer bodies kept; more is cut */
#define SENSOR_CLOUD_ERRMSG_MAX 512
#define SENSOR_CLOUD_MACS_MAX 64

struct sensor_cloud {
    void *curl;                          /* CURL *, reused for keep-alive */
    char base[SENSOR_URL_MAX];           /* the cloud URL, no trailing slash */
    char token[SENSOR_TOKEN_MAX];        /* "" until activated */
    int insecure;                        /* 1: no TLS peer or host verification */
    const atomic_int *abort_flag;        /* borrowed, may be NULL: non-zero aborts requests */
};

/* The outcome of one upload, mapped for caps_sensor_upload_done. */
struct sensor_upload_result {
    int status;                          /* enum caps_upload_status */
    uint64_t subnet_epoch;               /* FENCED: the cloud's epoch of the subnet */
    long http_status;                    /* 0: no answer (transport error) */
    char cloud_status[32];               /* "accepted", "duplicate", the error code, or "" */
    char detail[SENSOR_CLOUD_ERRMSG_MAX];/* what to log: the answer body or curl's error */
};

/* Sets up the client for url (http:// or https://). Returns 0, or -1 with
 * err naming the URL. */
int sensor_cloud_init(struct sensor_cloud *c, const char *url, int insecure,
                      char err[SENSOR_CLOUD_ERRMSG_MAX]);

/* The bearer token for later requests (copied). */
void sensor_cloud_set_token(struct sensor_cloud *c, const char *token);

/* POST /api/v1/activate with key, hostname and macs ("aa:bb:..", count up to
 * SENSOR_CLOUD_MACS_MAX). On 201 fills agent_id and token and returns 0;
 * else -1 with err holding the status and the cloud's message. */
int sensor_cloud_activate(struct sensor_cloud *c, const char *key, const char *hostname,
                          const char (*macs)[18], size_t mac_count,
                          char agent_id[SENSOR_AGENT_ID_MAX], char token[SENSOR_TOKEN_MAX],
                          char err[SENSOR_CLOUD_ERRMSG_MAX]);

/* GET /api/v1/caps/config. Returns 0 with the JSON text (caller frees), 1
 * when the cloud has none (404), -1 with err otherwise. */
int sensor_cloud_config_get(struct sensor_cloud *c, char **text, size_t *len,
                            char err[SENSOR_CLOUD_ERRMSG_MAX]);

/* POST /api/v1/caps/uploads of json[0..len), gzip-compressed. Always fills r:
 * 200 accepted or duplicate: CAPS_UPLOAD_OK; 409 fenced: CAPS_UPLOAD_FENCED
 * with subnet_epoch; other 4xx: CAPS_UPLOAD_REJECTED; 5xx, any other answer
 * and transport errors: CAPS_UPLOAD_RETRY. */
void sensor_cloud_upload(struct sensor_cloud *c, const char *json, size_t len,
                         struct sensor_upload_result *r);

void sensor_cloud_cleanup(struct sensor_cloud *c);

/* Compresses in[0..len) as one gzip member (RFC 1952) into *out (caller
 * frees). Returns 0, or -1 when memory runs out. */
int sensor_gzip(const uint8_t *in, size_t len, uint8_t **out, size_t *out_len);

#endif
