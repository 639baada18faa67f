/* sensor/spool.h - upload payloads on disk until the cloud acknowledges them.
 *
 * docs/cloud.md "Spool": each payload is written to DIR as
 * payload-NNNNNNNNNNNNNNNNNNNN.json (a spool counter, zero-padded, so name
 * order is age order) through a temp file, fsync, rename and an fsync of the
 * directory; it is deleted only after the cloud answered accepted or
 * duplicate. At most SENSOR_SPOOL_FILES_MAX files exist: when one more would
 * be needed, the two oldest are merged (codec_upload_merge) into the older
 * name. Files left by an earlier run are found at open and sent first; a file
 * that does not parse as a payload is reported by name and moved aside to
 * NAME.corrupt, never sent and never deleted.
 */
#ifndef SENSOR_SPOOL_H
#define SENSOR_SPOOL_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "codec/upload.h"

#define SENSOR_SPOOL_FILES_MAX 3
#define SENSOR_SPOOL_FILE_BYTES_MAX (64u << 20)   /* a payload file read back; larger is corrupt */
#define SENSOR_SPOOL_PATH_MAX 4096
#define SENSOR_SPOOL_ERRMSG_MAX 512

/* Receives the spool's reports (corrupt files, merges); msg valid for the
 * call only. Level: enum caps_log_level. */
typedef void sensor_spool_log_fn(void *ctx, int level, const char *msg);

struct sensor_spool {
    char dir[SENSOR_SPOOL_PATH_MAX];
    uint64_t ids[SENSOR_SPOOL_FILES_MAX];   /* the files, oldest first */
    unsigned count;
    uint64_t next_id;                       /* above every id in the directory */
    uint64_t merges;                        /* two oldest merged into one */
    uint64_t corrupt;                       /* files moved aside as corrupt */
    uint64_t set_aside;                     /* refused payloads moved aside */
    sensor_spool_log_fn *log;               /* may be NULL */
    void *log_ctx;
};

/* Opens the spool in dir (created 0700 when missing): removes temp files of
 * an interrupted write, moves corrupt files aside (reported through log),
 * and merges leftovers down to SENSOR_SPOOL_FILES_MAX. Returns 0, or -1 with
 * err naming the path and the reason. */
int sensor_spool_open(struct sensor_spool *sp, const char *dir, sensor_spool_log_fn *log,
                      void *log_ctx, char err[SENSOR_SPOOL_ERRMSG_MAX]);

/* Writes payload as the newest file, merging the two oldest first when the
 * spool is full. Returns 0, or -1 with err (the spool is unchanged then,
 * except for a merge that completed). */
int sensor_spool_put(struct sensor_spool *sp, const cJSON *payload,
                     char err[SENSOR_SPOOL_ERRMSG_MAX]);

/* Files in the spool. */
unsigned sensor_spool_count(const struct sensor_spool *sp);

/* The oldest file: its text (NUL-terminated, caller frees), length and
 * header. Returns 0, 1 when the spool is empty, or -1 with err (the file
 * has gone bad since it was written: it is moved aside as corrupt). */
int sensor_spool_oldest(struct sensor_spool *sp, char **text, size_t *len,
                        struct codec_upload_head *head, char err[SENSOR_SPOOL_ERRMSG_MAX]);

/* Deletes the oldest file (the cloud acknowledged it). Returns 0 or -1. */
int sensor_spool_drop_oldest(struct sensor_spool *sp, char err[SENSOR_SPOOL_ERRMSG_MAX]);

/* Moves the oldest file aside as NAME.SUFFIX (e.g. "rejected": the cloud
 * refused it for good), so it no longer blocks the spool. Returns 0 or -1. */
int sensor_spool_set_aside_oldest(struct sensor_spool *sp, const char *suffix,
                                  char err[SENSOR_SPOOL_ERRMSG_MAX]);

/* The path of spool file id into out. Returns 0, or -1 when it does not fit. */
int sensor_spool_path(const struct sensor_spool *sp, uint64_t id, char *out, size_t cap);

#endif
