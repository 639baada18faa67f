/* sensor/log.h - the live sensor's bounded log.
 *
 * One line per message: RFC 3339 UTC time with milliseconds, the level, the
 * text ("2026-11-28T03:00:00.123Z INFO caps sense: ..."). With a directory
 * the log is DIR/caps.log, rotated to caps.log.1 .. caps.log.(files-1)
 * before a line would take caps.log past max_bytes, so the log never holds
 * more than files * max_bytes bytes. Without a directory lines go to stderr.
 * Thread-safe: a mutex serialises lines (the main loop and the upload
 * sender both log); open and close are called with no other thread running.
 */
#ifndef SENSOR_LOG_H
#define SENSOR_LOG_H

#include <stddef.h>
#include <stdint.h>

#include <pthread.h>

#include "caps/sensor.h"

#define SENSOR_LOG_LINE_MAX 1024           /* bytes per line, newline included; longer text is cut */
#define SENSOR_LOG_BYTES_MIN SENSOR_LOG_LINE_MAX
#define SENSOR_LOG_BYTES_DEFAULT (1u << 20) /* 1 MiB per file */
#define SENSOR_LOG_FILES_DEFAULT 5
#define SENSOR_LOG_FILES_MAX 100
#define SENSOR_LOG_PATH_MAX 4096
#define SENSOR_LOG_ERRMSG_MAX 512

struct sensor_log {
    int fd;                        /* caps.log, or 2 (stderr) without a directory */
    int to_dir;                    /* 1: DIR/caps.log with rotation */
    char dir[SENSOR_LOG_PATH_MAX];
    uint64_t bytes;                /* size of the current caps.log */
    uint64_t max_bytes;            /* per file, >= SENSOR_LOG_BYTES_MIN */
    unsigned files;                /* caps.log and its rotations, 1..SENSOR_LOG_FILES_MAX */
    int min_level;                 /* lines above this level (enum caps_log_level) are dropped */
    uint64_t rotations;            /* times the log rotated */
    uint64_t write_errors;         /* lines lost to a failing write */
    pthread_mutex_t mu;            /* held while a line is written (and rotated) */
    int mu_on;                     /* mu was initialised by sensor_log_open */
};

/* Opens the log: dir NULL for stderr; else creates dir when missing (0750)
 * and appends to dir/caps.log (0640). Returns 0, or -1 with err naming the
 * path and the reason, or the bad bound. */
int sensor_log_open(struct sensor_log *lg, const char *dir, uint64_t max_bytes, unsigned files,
                    char err[SENSOR_LOG_ERRMSG_MAX]);

/* Writes one line with the time now_us (microseconds since the Unix epoch);
 * embedded newlines in msg become spaces. */
void sensor_log_line_at(struct sensor_log *lg, uint64_t now_us, int level, const char *msg);

/* Formats and writes one line stamped with the wall clock. */
void sensor_log_printf(struct sensor_log *lg, int level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The core's log callback (caps_host.log): ctx is a struct sensor_log. */
void sensor_log_core(void *ctx, int level, const char *msg);

/* "ERROR", "WARN", "INFO", "DEBUG". */
const char *sensor_log_level_name(int level);

/* The wall clock in microseconds since the Unix epoch (CLOCK_REALTIME). */
uint64_t sensor_wall_us(void);

void sensor_log_close(struct sensor_log *lg);

#endif
