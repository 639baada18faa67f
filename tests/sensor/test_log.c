/* test_log.c - the bounded log on real files: every line stamped RFC 3339
 * UTC with its level, rotation before a file would pass its byte bound, at
 * most `files` files kept (the oldest falls off), bad bounds rejected.
 */
#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sensor/log.h"

Suite *suite_log(void);

static char logdir[256];

static void make_logdir(void)
{
    snprintf(logdir, sizeof logdir, "/tmp/caps-log-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(logdir));
}

static void remove_logdir(void)
{
    DIR *d = opendir(logdir);
    struct dirent *de;
    char path[512];
    while (d != NULL && (de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.')
            continue;
        snprintf(path, sizeof path, "%s/%s", logdir, de->d_name);
        unlink(path);
    }
    if (d != NULL)
        closedir(d);
    rmdir(logdir);
}

static long file_size(const char *name)
{
    char path[512];
    struct stat st;
    snprintf(path, sizeof path, "%s/%s", logdir, name);
    return stat(path, &st) == 0 ? (long)st.st_size : -1;
}

static int count_files(void)
{
    DIR *d = opendir(logdir);
    struct dirent *de;
    int n = 0;
    while ((de = readdir(d)) != NULL)
        if (strncmp(de->d_name, "caps.log", 8) == 0)
            n++;
    closedir(d);
    return n;
}

static char *read_file(const char *name)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", logdir, name);
    FILE *f = fopen(path, "r");
    ck_assert_ptr_nonnull(f);
    static char buf[1 << 16];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

START_TEST(log_line_format)
{
    struct sensor_log lg;
    char err[SENSOR_LOG_ERRMSG_MAX] = "";

    make_logdir();
    ck_assert_int_eq(sensor_log_open(&lg, logdir, 4096, 3, err), 0);
    /* 2026-11-28T03:00:00.123Z; a newline inside the message is flattened. */
    sensor_log_line_at(&lg, 1795834800123456ull, CAPS_LOG_WARN, "cloud down\nretrying");
    sensor_log_line_at(&lg, 1795834801000000ull, CAPS_LOG_DEBUG, "not shown at INFO");
    sensor_log_close(&lg);
    ck_assert_str_eq(read_file("caps.log"),
                     "2026-11-28T03:00:00.123Z WARN  cloud down retrying\n");
    remove_logdir();
}
END_TEST

START_TEST(log_rotation_bounds_size_and_count)
{
    struct sensor_log lg;
    char err[SENSOR_LOG_ERRMSG_MAX] = "", msg[200];
    const uint64_t max_bytes = 2048;
    const unsigned files = 4;

    make_logdir();
    ck_assert_int_eq(sensor_log_open(&lg, logdir, max_bytes, files, err), 0);
    /* Each line: 31 bytes of stamp and level + 100 + newline = 132 bytes:
     * 15 lines per file; 200 lines rotate many times over. */
    for (int i = 0; i < 200; i++) {
        snprintf(msg, sizeof msg, "line %04d %s", i,
                 "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
        sensor_log_line_at(&lg, 1764298800000000ull + (uint64_t)i * 1000000u, CAPS_LOG_INFO,
                           msg);
    }
    ck_assert_uint_eq(lg.write_errors, 0);
    ck_assert_uint_gt(lg.rotations, 5);
    sensor_log_close(&lg);
    ck_assert_int_eq(count_files(), (int)files);
    ck_assert_int_eq(file_size("caps.log.4"), -1);
    const char *names[] = {"caps.log", "caps.log.1", "caps.log.2", "caps.log.3"};
    for (unsigned i = 0; i < files; i++) {
        long size = file_size(names[i]);
        ck_assert_int_gt(size, 0);
        ck_assert_int_le(size, (long)max_bytes);
    }
    /* The newest line is in caps.log, older files hold older lines, and the
     * rotated files are full up to less than one line. */
    ck_assert_ptr_nonnull(strstr(read_file("caps.log"), "line 0199"));
    ck_assert_int_gt(file_size("caps.log.1"), (long)max_bytes - 132);
    const char *l3 = read_file("caps.log.3");
    long first3 = strtol(strstr(l3, "line ") + 5, NULL, 10);
    const char *l1 = read_file("caps.log.1");
    long first1 = strtol(strstr(l1, "line ") + 5, NULL, 10);
    ck_assert_int_lt(first3, first1);
    ck_assert_int_gt(first3, 0);                     /* the oldest lines fell off */
    remove_logdir();
}
END_TEST

START_TEST(log_reopen_appends_and_counts_existing_bytes)
{
    struct sensor_log lg;
    char err[SENSOR_LOG_ERRMSG_MAX] = "";

    make_logdir();
    ck_assert_int_eq(sensor_log_open(&lg, logdir, 1024, 2, err), 0);
    for (int i = 0; i < 5; i++)
        sensor_log_line_at(&lg, 1764298800000000ull, CAPS_LOG_INFO,
                           "0123456789012345678901234567890123456789012345678901234567890123456789");
    sensor_log_close(&lg);
    long before = file_size("caps.log");
    ck_assert_int_gt(before, 0);
    ck_assert_int_eq(sensor_log_open(&lg, logdir, 1024, 2, err), 0);
    ck_assert_uint_eq(lg.bytes, (uint64_t)before);
    for (int i = 0; i < 20; i++)
        sensor_log_line_at(&lg, 1764298800000000ull, CAPS_LOG_ERROR,
                           "0123456789012345678901234567890123456789012345678901234567890123456789");
    sensor_log_close(&lg);
    ck_assert_int_le(file_size("caps.log"), 1024);
    ck_assert_int_le(file_size("caps.log.1"), 1024);
    ck_assert_int_eq(count_files(), 2);
    remove_logdir();
}
END_TEST

START_TEST(log_rejects_bad_bounds)
{
    struct sensor_log lg;
    char err[SENSOR_LOG_ERRMSG_MAX] = "";

    make_logdir();
    ck_assert_int_eq(sensor_log_open(&lg, logdir, 100, 5, err), -1);
    ck_assert_ptr_nonnull(strstr(err, "got 100"));
    ck_assert_int_eq(sensor_log_open(&lg, logdir, 4096, 0, err), -1);
    ck_assert_ptr_nonnull(strstr(err, "got 0"));
    ck_assert_int_eq(sensor_log_open(&lg, "/proc/caps-no-log", 4096, 5, err), -1);
    ck_assert_ptr_nonnull(strstr(err, "/proc/caps-no-log"));
    remove_logdir();
}
END_TEST

Suite *suite_log(void)
{
    Suite *s = suite_create("log");
    TCase *tc = tcase_create("log");
    tcase_add_test(tc, log_line_format);
    tcase_add_test(tc, log_rotation_bounds_size_and_count);
    tcase_add_test(tc, log_reopen_appends_and_counts_existing_bytes);
    tcase_add_test(tc, log_rejects_bad_bounds);
    suite_add_tcase(s, tc);
    return s;
}
