/* sensor/sitekey.h - the site key: who may take part in a site's election.
 *
 * The key is every byte of a file (32 to SENSOR_SITEKEY_BYTES_MAX bytes; a
 * trailing newline counts too). The site id carried in every advert is the
 * first 16 bytes of SHA-256(key); adverts are signed with HMAC-SHA256(key)
 * (OpenSSL).
 */
#ifndef SENSOR_SITEKEY_H
#define SENSOR_SITEKEY_H

#include <stddef.h>
#include <stdint.h>

#define SENSOR_SITEKEY_BYTES_MIN 32
#define SENSOR_SITEKEY_BYTES_MAX 4096
#define SENSOR_SITEKEY_ERRMSG_MAX 512

struct sensor_sitekey {
    uint8_t key[SENSOR_SITEKEY_BYTES_MAX];
    size_t key_bytes;
    uint8_t site_id[16];
};

/* Reads the key from path. Returns 0, or -1 with err naming the file and
 * the reason ("site.key: 12 bytes, a site key needs 32 to 4096"). */
int sensor_sitekey_load(const char *path, struct sensor_sitekey *sk,
                        char err[SENSOR_SITEKEY_ERRMSG_MAX]);

/* Sets the key from memory (tests; bounds as above). Returns 0 or -1. */
int sensor_sitekey_set(struct sensor_sitekey *sk, const uint8_t *key, size_t key_bytes);

/* caps_hmac_sha256_fn: ctx is a struct sensor_sitekey. */
void sensor_sitekey_hmac(void *ctx, const uint8_t *msg, size_t len, uint8_t out[32]);

#endif
