/* test_gzip.c - upload bodies compressed as one gzip member: inflated by
 * zlib (gzip mode) they give back the bytes, the header is RFC 1952's, and
 * JSON shrinks.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "sensor/uploader.h"

Suite *suite_gzip(void);

static size_t inflate_gzip(const uint8_t *in, size_t len, uint8_t *out, size_t cap)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    ck_assert_int_eq(inflateInit2(&z, 15 + 16), Z_OK);     /* gzip only */
    z.next_in = (Bytef *)(uintptr_t)in;
    z.avail_in = (uInt)len;
    z.next_out = out;
    z.avail_out = (uInt)cap;
    int rc = inflate(&z, Z_FINISH);
    size_t n = z.total_out;
    ck_assert_int_eq(rc, Z_STREAM_END);
    ck_assert_uint_eq(z.avail_in, 0);                        /* one member, nothing after */
    inflateEnd(&z);
    return n;
}

START_TEST(gzip_round_trip)
{
    size_t len = 200000;
    char *json = malloc(len + 1);
    uint8_t *gz = NULL, *back = malloc(len + 16);
    size_t gz_len = 0;

    ck_assert_ptr_nonnull(json);
    ck_assert_ptr_nonnull(back);
    static const char unit[] = "{\"mac\": \"aa:bb:cc:dd:ee:0x\", \"ips\": [\"10.0.0.7\"]},";
    for (size_t i = 0; i < len; i++)   /* repetitive like a payload, not constant */
        json[i] = i % 4096 == 0 ? (char)('0' + i / 4096 % 10) : unit[i % (sizeof unit - 1)];
    json[len] = '\0';
    ck_assert_int_eq(sensor_gzip((const uint8_t *)json, len, &gz, &gz_len), 0);
    ck_assert_uint_ge(gz_len, 18);
    ck_assert_uint_eq(gz[0], 0x1f);                           /* RFC 1952 ID1 ID2 CM */
    ck_assert_uint_eq(gz[1], 0x8b);
    ck_assert_uint_eq(gz[2], 8);
    ck_assert_uint_lt(gz_len, len / 10);
    ck_assert_uint_eq(inflate_gzip(gz, gz_len, back, len + 16), len);
    ck_assert_int_eq(memcmp(back, json, len), 0);
    free(gz);
    free(back);
    free(json);
}
END_TEST

START_TEST(gzip_empty_body)
{
    uint8_t *gz = NULL, back[8];
    size_t gz_len = 0;
    ck_assert_int_eq(sensor_gzip((const uint8_t *)"", 0, &gz, &gz_len), 0);
    ck_assert_uint_eq(inflate_gzip(gz, gz_len, back, sizeof back), 0);
    free(gz);
}
END_TEST

Suite *suite_gzip(void)
{
    Suite *s = suite_create("gzip");
    TCase *tc = tcase_create("gzip");
    tcase_add_test(tc, gzip_round_trip);
    tcase_add_test(tc, gzip_empty_body);
    suite_add_tcase(s, tc);
    return s;
}
