/* test_sitekey.c - the site key: HMAC-SHA256 against RFC 4231 test case 6,
 * the site id as the SHA-256 prefix of the key, and key files of bad sizes
 * refused with the file and the size named.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sensor/sitekey.h"

Suite *suite_sitekey(void);

static void hex(const uint8_t *b, size_t n, char *out)
{
    for (size_t i = 0; i < n; i++)
        snprintf(out + 2 * i, 3, "%02x", b[i]);
}

START_TEST(sitekey_hmac_rfc4231_case6)
{
    /* RFC 4231 4.7: key = 131 bytes of 0xaa. */
    uint8_t key[131], mac[32];
    const char *msg = "Test Using Larger Than Block-Size Key - Hash Key First";
    char text[65];
    struct sensor_sitekey *sk = malloc(sizeof *sk);

    ck_assert_ptr_nonnull(sk);
    memset(key, 0xaa, sizeof key);
    ck_assert_int_eq(sensor_sitekey_set(sk, key, sizeof key), 0);
    sensor_sitekey_hmac(sk, (const uint8_t *)msg, strlen(msg), mac);
    hex(mac, 32, text);
    ck_assert_str_eq(text, "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
    free(sk);
}
END_TEST

START_TEST(sitekey_file_and_site_id)
{
    char path[] = "/tmp/caps-key-XXXXXX", err[SENSOR_SITEKEY_ERRMSG_MAX] = "", text[33];
    struct sensor_sitekey *sk = malloc(sizeof *sk);
    int fd = mkstemp(path);

    ck_assert_ptr_nonnull(sk);
    ck_assert_int_ge(fd, 0);
    /* A 32-byte key, the minimum. */
    const char *key = "abcdefghijklmnopqrstuvwxyz012345";
    ck_assert_int_eq(write(fd, key, 32), 32);
    close(fd);
    ck_assert_msg(sensor_sitekey_load(path, sk, err) == 0, "%s", err);
    ck_assert_uint_eq(sk->key_bytes, 32);
    hex(sk->site_id, 16, text);
    /* The first 16 bytes of SHA-256 of the key, as sha256sum computes it. */
    ck_assert_str_eq(text, "653bb1245e828fcda4fa53fcd5a3def5");

    /* 31 bytes: refused, the file and the size named. */
    ck_assert_int_eq(truncate(path, 31), 0);
    ck_assert_int_eq(sensor_sitekey_load(path, sk, err), -1);
    ck_assert_ptr_nonnull(strstr(err, path));
    ck_assert_ptr_nonnull(strstr(err, "31 bytes"));
    /* Too large. */
    ck_assert_int_eq(truncate(path, SENSOR_SITEKEY_BYTES_MAX + 1), 0);
    ck_assert_int_eq(sensor_sitekey_load(path, sk, err), -1);
    ck_assert_ptr_nonnull(strstr(err, "more than 4096 bytes"));
    unlink(path);
    ck_assert_int_eq(sensor_sitekey_load(path, sk, err), -1);
    ck_assert_ptr_nonnull(strstr(err, "No such file"));
    free(sk);
}
END_TEST

Suite *suite_sitekey(void)
{
    Suite *s = suite_create("sitekey");
    TCase *tc = tcase_create("sitekey");
    tcase_add_test(tc, sitekey_hmac_rfc4231_case6);
    tcase_add_test(tc, sitekey_file_and_site_id);
    suite_add_tcase(s, tc);
    return s;
}
