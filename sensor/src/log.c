/* log.c - bounded, rotating log files for the live sensor.
 *
 * Before a line would take caps.log past max_bytes, caps.log.(files-2) ..
 * caps.log.1 move up by one (the last one falls off), caps.log becomes
 * caps.log.1 and a new caps.log starts: at most `files` files of at most
 * max_bytes each. Lines are written with one write(2) on an O_APPEND file.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "sensor/log.h"

const char *sensor_log_level_name(int level)
{
    switch (level) {
    case CAPS_LOG_ERROR: return "ERROR";
    case CAPS_LOG_WARN: return "WARN";
    case CAPS_LOG_INFO: return "INFO";
    default: return "DEBUG";
    }
}

uint64_t sensor_wall_us(void)
{
    struct timespec ts;
    if (clock_gettime(CLOCK_REALTIME, &ts) != 0 || ts.tv_sec < 0)
        return 0;
    return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

static int log_path(const struct sensor_log *lg, unsigned index, char *out, size_t cap)
{
    int n = index == 0 ? snprintf(out, cap, "%s/caps.log", lg->dir)
                       : snprintf(out, cap, "%s/caps.log.%u", lg->dir, index);
    return n < 0 || (size_t)n >= cap ? -1 : 0;
}

static int log_open_current(struct sensor_log *lg)
{
    char path[SENSOR_LOG_PATH_MAX + 32];
    struct stat st;

    if (log_path(lg, 0, path, sizeof path) != 0)
        return -1;
    int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
    if (fd < 0)
        return -1;
    lg->fd = fd;
    lg->bytes = fstat(fd, &st) == 0 && st.st_size > 0 ? (uint64_t)st.st_size : 0;
    return 0;
}

int sensor_log_open(struct sensor_log *lg, const char *dir, uint64_t max_bytes, unsigned files,
                    char err[SENSOR_LOG_ERRMSG_MAX])
{
    memset(lg, 0, sizeof *lg);
    pthread_mutex_init(&lg->mu, NULL);
    lg->mu_on = 1;
    lg->fd = 2;
    lg->min_level = CAPS_LOG_INFO;
    lg->max_bytes = max_bytes;
    lg->files = files;
    if (dir == NULL)
        return 0;
    if (max_bytes < SENSOR_LOG_BYTES_MIN) {
        snprintf(err, SENSOR_LOG_ERRMSG_MAX, "log: max bytes must be >= %u, got %llu",
                 SENSOR_LOG_BYTES_MIN, (unsigned long long)max_bytes);
        return -1;
    }
    if (files < 1 || files > SENSOR_LOG_FILES_MAX) {
        snprintf(err, SENSOR_LOG_ERRMSG_MAX, "log: files must be 1..%u, got %u",
                 SENSOR_LOG_FILES_MAX, files);
        return -1;
    }
    size_t len = strlen(dir);
    if (len == 0 || len >= sizeof lg->dir) {
        snprintf(err, SENSOR_LOG_ERRMSG_MAX, "log: directory name must be 1..%zu bytes",
                 sizeof lg->dir - 1);
        return -1;
    }
    memcpy(lg->dir, dir, len + 1);
    if (mkdir(dir, 0750) != 0 && errno != EEXIST) {
        snprintf(err, SENSOR_LOG_ERRMSG_MAX, "%s: cannot create log directory: %s", dir,
                 strerror(errno));
        return -1;
    }
    lg->to_dir = 1;
    if (log_open_current(lg) != 0) {
        snprintf(err, SENSOR_LOG_ERRMSG_MAX, "%s/caps.log: cannot open: %s", dir,
                 strerror(errno));
        lg->fd = 2;
        lg->to_dir = 0;
        return -1;
    }
    return 0;
}

/* Shifts caps.log.(k) to caps.log.(k+1) from the oldest down, then caps.log
 * to caps.log.1, and opens a fresh caps.log. On failure the log goes on in
 * the old file (it may then grow past the bound; counted as a write error). */
static void log_rotate(struct sensor_log *lg)
{
    char from[SENSOR_LOG_PATH_MAX + 32], to[SENSOR_LOG_PATH_MAX + 32];

    if (lg->files == 1) {
        /* One file: start it over. */
        if (ftruncate(lg->fd, 0) == 0)
            lg->bytes = 0;
        else
            lg->write_errors++;
        lg->rotations++;
        return;
    }
    if (log_path(lg, lg->files - 1, from, sizeof from) == 0)
        unlink(from);
    for (unsigned k = lg->files - 1; k >= 1; k--) {
        if (log_path(lg, k - 1, from, sizeof from) != 0 || log_path(lg, k, to, sizeof to) != 0)
            continue;
        if (rename(from, to) != 0 && errno != ENOENT)
            lg->write_errors++;
    }
    int old = lg->fd;
    if (log_open_current(lg) != 0) {
        lg->fd = old;
        lg->write_errors++;
        return;
    }
    close(old);
    lg->rotations++;
}

void sensor_log_line_at(struct sensor_log *lg, uint64_t now_us, int level, const char *msg)
{
    char line[SENSOR_LOG_LINE_MAX];
    struct tm tm;
    time_t secs = (time_t)(now_us / 1000000u);

    if (level > lg->min_level)
        return;
    if (gmtime_r(&secs, &tm) == NULL)
        memset(&tm, 0, sizeof tm);
    int n = snprintf(line, sizeof line, "%04d-%02d-%02dT%02d:%02d:%02d.%03uZ %-5s ",
                     tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
                     tm.tm_sec, (unsigned)(now_us % 1000000u / 1000u),
                     sensor_log_level_name(level));
    if (n < 0)
        return;
    size_t len = (size_t)n;
    /* Keep room for the newline; cut what does not fit. */
    for (const char *p = msg; *p != '\0' && len < sizeof line - 1; p++)
        line[len++] = *p == '\n' || *p == '\r' ? ' ' : *p;
    line[len++] = '\n';
    if (lg->mu_on)
        pthread_mutex_lock(&lg->mu);
    if (lg->to_dir && lg->bytes > 0 && lg->bytes + len > lg->max_bytes)
        log_rotate(lg);
    ssize_t w = write(lg->fd, line, len);
    if (w < 0 || (size_t)w != len)
        lg->write_errors++;
    if (w > 0)
        lg->bytes += (uint64_t)w;
    if (lg->mu_on)
        pthread_mutex_unlock(&lg->mu);
}

void sensor_log_printf(struct sensor_log *lg, int level, const char *fmt, ...)
{
    char msg[SENSOR_LOG_LINE_MAX];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    sensor_log_line_at(lg, sensor_wall_us(), level, msg);
}

void sensor_log_core(void *ctx, int level, const char *msg)
{
    struct sensor_log *lg = ctx;
    sensor_log_printf(lg, level, "core: %s", msg);
}

void sensor_log_close(struct sensor_log *lg)
{
    if (lg->to_dir && lg->fd > 2)
        close(lg->fd);
    lg->fd = 2;
    lg->to_dir = 0;
    if (lg->mu_on)
        pthread_mutex_destroy(&lg->mu);
    lg->mu_on = 0;
}
