/* sitekey.c - the site key file, the site id and the advert HMAC (OpenSSL).
 *
 * The key stays in this struct only; it is never logged. HMAC() with
 * EVP_sha256() cannot fail for a key within bounds and a 32-byte output;
 * should it fail anyway the output is zeroed, which no peer accepts.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

#include "sensor/sitekey.h"

int sensor_sitekey_set(struct sensor_sitekey *sk, const uint8_t *key, size_t key_bytes)
{
    uint8_t digest[SHA256_DIGEST_LENGTH];

    if (key_bytes < SENSOR_SITEKEY_BYTES_MIN || key_bytes > SENSOR_SITEKEY_BYTES_MAX)
        return -1;
    memset(sk, 0, sizeof *sk);
    memcpy(sk->key, key, key_bytes);
    sk->key_bytes = key_bytes;
    SHA256(key, key_bytes, digest);
    memcpy(sk->site_id, digest, sizeof sk->site_id);
    return 0;
}

int sensor_sitekey_load(const char *path, struct sensor_sitekey *sk,
                        char err[SENSOR_SITEKEY_ERRMSG_MAX])
{
    uint8_t buf[SENSOR_SITEKEY_BYTES_MAX + 1];
    FILE *f = fopen(path, "rb");

    if (f == NULL) {
        snprintf(err, SENSOR_SITEKEY_ERRMSG_MAX, "%s: %s", path, strerror(errno));
        return -1;
    }
    size_t n = fread(buf, 1, sizeof buf, f);
    int read_err = ferror(f);
    fclose(f);
    if (read_err) {
        snprintf(err, SENSOR_SITEKEY_ERRMSG_MAX, "%s: read error", path);
        return -1;
    }
    if (n < SENSOR_SITEKEY_BYTES_MIN || n > SENSOR_SITEKEY_BYTES_MAX) {
        snprintf(err, SENSOR_SITEKEY_ERRMSG_MAX, "%s: %s%zu bytes, a site key needs %u to %u",
                 path, n > SENSOR_SITEKEY_BYTES_MAX ? "more than " : "",
                 n > SENSOR_SITEKEY_BYTES_MAX ? (size_t)SENSOR_SITEKEY_BYTES_MAX : n,
                 SENSOR_SITEKEY_BYTES_MIN, SENSOR_SITEKEY_BYTES_MAX);
        return -1;
    }
    int rc = sensor_sitekey_set(sk, buf, n);
    memset(buf, 0, sizeof buf);
    return rc;
}

void sensor_sitekey_hmac(void *ctx, const uint8_t *msg, size_t len, uint8_t out[32])
{
    const struct sensor_sitekey *sk = ctx;
    unsigned out_len = 0;

    if (HMAC(EVP_sha256(), sk->key, (int)sk->key_bytes, msg, len, out, &out_len) == NULL ||
        out_len != 32)
        memset(out, 0, 32);
}
