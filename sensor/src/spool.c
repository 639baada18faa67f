/* spool.c - payload files that survive a crash until the cloud has them.
 *
 * A write is temp file + fsync + rename + fsync of the directory, so after a
 * crash a file is either whole or absent (a leftover temp is removed at
 * open). A merge writes the merged payload over the older name the same way
 * and only then deletes the newer file: a crash in between leaves a payload
 * twice, which the cloud answers "duplicate" the second time. Bounded: at
 * most SENSOR_SPOOL_FILES_MAX files, each read back up to a byte limit.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "caps/sensor.h"
#include "codec/file.h"
#include "sensor/spool.h"

#define SPOOL_PREFIX "payload-"
#define SPOOL_SUFFIX ".json"
#define SPOOL_ID_DIGITS 20
#define SPOOL_SCAN_MAX 1024     /* leftover payload files considered at open */

static void spool_log(struct sensor_spool *sp, int level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void spool_err(char *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Writes a message into err, cut to its size (paths may be long). */
static void spool_err(char *err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, SENSOR_SPOOL_ERRMSG_MAX, fmt, ap);
    va_end(ap);
}

static void spool_log(struct sensor_spool *sp, int level, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;

    if (sp->log == NULL)
        return;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    sp->log(sp->log_ctx, level, msg);
}

int sensor_spool_path(const struct sensor_spool *sp, uint64_t id, char *out, size_t cap)
{
    int n = snprintf(out, cap, "%s/" SPOOL_PREFIX "%020" PRIu64 SPOOL_SUFFIX, sp->dir, id);
    return n < 0 || (size_t)n >= cap ? -1 : 0;
}

/* Parses "payload-<20 digits>.json" into *id. */
static int spool_name_id(const char *name, uint64_t *id)
{
    size_t plen = strlen(SPOOL_PREFIX);
    if (strncmp(name, SPOOL_PREFIX, plen) != 0 || strlen(name) != plen + SPOOL_ID_DIGITS +
                                                                  strlen(SPOOL_SUFFIX))
        return -1;
    if (strcmp(name + plen + SPOOL_ID_DIGITS, SPOOL_SUFFIX) != 0)
        return -1;
    uint64_t v = 0;
    for (size_t i = plen; i < plen + SPOOL_ID_DIGITS; i++) {
        if (name[i] < '0' || name[i] > '9')
            return -1;
        unsigned d = (unsigned)(name[i] - '0');
        if (v > (UINT64_MAX - d) / 10)
            return -1;
        v = v * 10 + d;
    }
    *id = v;
    return 0;
}

static int spool_fsync_dir(const struct sensor_spool *sp)
{
    int fd = open(sp->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    int rc = fsync(fd);
    close(fd);
    return rc;
}

/* Writes text to the file of id: temp, fsync, rename, fsync of the dir. */
static int spool_write_file(struct sensor_spool *sp, uint64_t id, const char *text,
                            char err[SENSOR_SPOOL_ERRMSG_MAX])
{
    char path[SENSOR_SPOOL_PATH_MAX + 64], tmp[SENSOR_SPOOL_PATH_MAX + 80];
    size_t len = strlen(text);

    if (sensor_spool_path(sp, id, path, sizeof path) != 0 ||
        snprintf(tmp, sizeof tmp, "%s.tmp", path) >= (int)sizeof tmp) {
        spool_err(err, "%s: spool path too long", sp->dir);
        return -1;
    }
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) {
        spool_err(err, "%s: cannot create: %s", tmp, strerror(errno));
        return -1;
    }
    size_t done = 0;
    while (done < len) {
        ssize_t w = write(fd, text + done, len - done);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            spool_err(err, "%s: cannot write: %s", tmp,
                     w < 0 ? strerror(errno) : "no progress");
            close(fd);
            unlink(tmp);
            return -1;
        }
        done += (size_t)w;
    }
    if (fsync(fd) != 0 || close(fd) != 0) {
        spool_err(err, "%s: cannot sync: %s", tmp, strerror(errno));
        unlink(tmp);
        return -1;
    }
    if (rename(tmp, path) != 0) {
        spool_err(err, "%s: cannot rename to %s: %s", tmp, path,
                 strerror(errno));
        unlink(tmp);
        return -1;
    }
    if (spool_fsync_dir(sp) != 0) {
        spool_err(err, "%s: cannot sync directory: %s", sp->dir,
                 strerror(errno));
        return -1;
    }
    return 0;
}

/* Reads and parses the file of id: the document (caller deletes) and, when
 * wanted, its text. NULL with err naming the file and why. */
static cJSON *spool_read(struct sensor_spool *sp, uint64_t id, char **text_out, size_t *len_out,
                         struct codec_upload_head *head, char err[SENSOR_SPOOL_ERRMSG_MAX])
{
    char path[SENSOR_SPOOL_PATH_MAX + 64], cerr[CODEC_ERRMSG_MAX];
    struct codec_upload_head h;
    size_t len = 0;

    if (sensor_spool_path(sp, id, path, sizeof path) != 0) {
        spool_err(err, "%s: spool path too long", sp->dir);
        return NULL;
    }
    char *text = codec_file_read(path, SENSOR_SPOOL_FILE_BYTES_MAX, &len, cerr);
    if (text == NULL) {
        spool_err(err, "%s", cerr);
        return NULL;
    }
    cJSON *doc = cJSON_ParseWithLength(text, len);
    if (doc == NULL) {
        spool_err(err, "%s: not JSON (byte %zu)", path,
                 (size_t)(cJSON_GetErrorPtr() ? cJSON_GetErrorPtr() - text : 0));
        free(text);
        return NULL;
    }
    if (codec_upload_parse_head(doc, &h, cerr, sizeof cerr) != 0) {
        spool_err(err, "%s: %s", path, cerr);
        cJSON_Delete(doc);
        free(text);
        return NULL;
    }
    if (head != NULL)
        *head = h;
    if (text_out != NULL) {
        *text_out = text;
        *len_out = len;
    } else {
        free(text);
    }
    return doc;
}

/* Renames the file of id to NAME.suffix. */
static int spool_move_aside(struct sensor_spool *sp, uint64_t id, const char *suffix,
                            char err[SENSOR_SPOOL_ERRMSG_MAX])
{
    char path[SENSOR_SPOOL_PATH_MAX + 64], to[SENSOR_SPOOL_PATH_MAX + 96];

    if (sensor_spool_path(sp, id, path, sizeof path) != 0 ||
        snprintf(to, sizeof to, "%s.%s", path, suffix) >= (int)sizeof to) {
        spool_err(err, "%s: spool path too long", sp->dir);
        return -1;
    }
    if (rename(path, to) != 0) {
        spool_err(err, "%s: cannot move aside to %s: %s", path, to,
                 strerror(errno));
        return -1;
    }
    spool_fsync_dir(sp);
    return 0;
}

static void spool_remove_index(struct sensor_spool *sp, unsigned i)
{
    memmove(&sp->ids[i], &sp->ids[i + 1], (sp->count - i - 1) * sizeof sp->ids[0]);
    sp->count--;
}

/* Moves file i aside as corrupt (err says why it is) and forgets it.
 * Returns 0, or -1 with err when it cannot be moved. */
static int spool_discard_corrupt(struct sensor_spool *sp, unsigned i,
                                 char err[SENSOR_SPOOL_ERRMSG_MAX])
{
    char merr[SENSOR_SPOOL_ERRMSG_MAX];

    sp->corrupt++;
    int rc = spool_move_aside(sp, sp->ids[i], "corrupt", merr);
    if (rc != 0)
        spool_log(sp, CAPS_LOG_ERROR, "spool: %s: corrupt; %s", err, merr);
    else
        spool_log(sp, CAPS_LOG_ERROR, "spool: %s: corrupt, moved aside to *.corrupt", err);
    /* Forgotten either way, so one bad file never blocks the spool; one that
     * could not be moved is met again (and reported) at the next start. */
    spool_remove_index(sp, i);
    if (rc != 0)
        spool_err(err, "%s", merr);
    return rc;
}

/* Merges the two oldest files into the older name. */
static int spool_merge_oldest(struct sensor_spool *sp, char err[SENSOR_SPOOL_ERRMSG_MAX])
{
    char path[SENSOR_SPOOL_PATH_MAX + 64];

    if (sp->count < 2)
        return 0;
    /* A file gone bad since it was written is moved aside: that frees a
     * place as well as a merge would. */
    cJSON *older = spool_read(sp, sp->ids[0], NULL, NULL, NULL, err);
    if (older == NULL)
        return spool_discard_corrupt(sp, 0, err);
    cJSON *newer = spool_read(sp, sp->ids[1], NULL, NULL, NULL, err);
    if (newer == NULL) {
        cJSON_Delete(older);
        return spool_discard_corrupt(sp, 1, err);
    }
    cJSON *merged = codec_upload_merge(older, newer);
    char *text = merged ? cJSON_PrintUnformatted(merged) : NULL;
    cJSON_Delete(older);
    cJSON_Delete(newer);
    cJSON_Delete(merged);
    if (text == NULL) {
        spool_err(err, "%s: out of memory merging payloads", sp->dir);
        return -1;
    }
    int rc = spool_write_file(sp, sp->ids[0], text, err);
    free(text);
    if (rc != 0)
        return -1;
    if (sensor_spool_path(sp, sp->ids[1], path, sizeof path) != 0 ||
        (unlink(path) != 0 && errno != ENOENT)) {
        spool_err(err, "%s: cannot delete after merge: %s", path,
                 strerror(errno));
        return -1;
    }
    spool_fsync_dir(sp);
    spool_log(sp, CAPS_LOG_INFO, "spool: merged payload %020" PRIu64 " into %020" PRIu64,
              sp->ids[1], sp->ids[0]);
    spool_remove_index(sp, 1);
    sp->merges++;
    return 0;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

int sensor_spool_open(struct sensor_spool *sp, const char *dir, sensor_spool_log_fn *log,
                      void *log_ctx, char err[SENSOR_SPOOL_ERRMSG_MAX])
{
    uint64_t found[SPOOL_SCAN_MAX];
    size_t nfound = 0;
    struct dirent *de;

    memset(sp, 0, sizeof *sp);
    sp->log = log;
    sp->log_ctx = log_ctx;
    size_t dlen = strlen(dir);
    if (dlen == 0 || dlen >= sizeof sp->dir) {
        spool_err(err, "spool: directory name must be 1..%zu bytes",
                 sizeof sp->dir - 1);
        return -1;
    }
    memcpy(sp->dir, dir, dlen + 1);
    if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
        spool_err(err, "%s: cannot create spool directory: %s", dir,
                 strerror(errno));
        return -1;
    }
    DIR *d = opendir(dir);
    if (d == NULL) {
        spool_err(err, "%s: cannot open spool directory: %s", dir,
                 strerror(errno));
        return -1;
    }
    while ((de = readdir(d)) != NULL) {
        uint64_t id;
        size_t nlen = strlen(de->d_name);
        if (nlen > 4 && strcmp(de->d_name + nlen - 4, ".tmp") == 0 &&
            strncmp(de->d_name, SPOOL_PREFIX, strlen(SPOOL_PREFIX)) == 0) {
            /* An interrupted write: never renamed, so never acknowledged
             * either; the core rebuilds its changes. */
            char path[SENSOR_SPOOL_PATH_MAX + 300];
            snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
            unlink(path);
            spool_log(sp, CAPS_LOG_WARN, "spool: %s: removed an interrupted write", path);
            continue;
        }
        if (spool_name_id(de->d_name, &id) != 0)
            continue;
        if (id >= sp->next_id)
            sp->next_id = id + 1;
        if (nfound < SPOOL_SCAN_MAX)
            found[nfound++] = id;
        else
            spool_log(sp, CAPS_LOG_WARN, "spool: %s: more than %u payload files, %s left alone",
                      dir, SPOOL_SCAN_MAX, de->d_name);
    }
    closedir(d);
    qsort(found, nfound, sizeof found[0], cmp_u64);
    for (size_t i = 0; i < nfound; i++) {
        char rerr[SENSOR_SPOOL_ERRMSG_MAX], merr[SENSOR_SPOOL_ERRMSG_MAX];
        cJSON *doc = spool_read(sp, found[i], NULL, NULL, NULL, rerr);
        if (doc == NULL) {
            sp->corrupt++;
            if (spool_move_aside(sp, found[i], "corrupt", merr) == 0)
                spool_log(sp, CAPS_LOG_ERROR, "spool: %s: corrupt, moved aside to *.corrupt",
                          rerr);
            else
                spool_log(sp, CAPS_LOG_ERROR, "spool: %s: corrupt; %s", rerr, merr);
            continue;
        }
        cJSON_Delete(doc);
        if (sp->count == SENSOR_SPOOL_FILES_MAX && spool_merge_oldest(sp, err) != 0)
            return -1;
        sp->ids[sp->count++] = found[i];
    }
    if (sp->count > 0)
        spool_log(sp, CAPS_LOG_INFO, "spool: %s: %u payload file(s) left by an earlier run",
                  dir, sp->count);
    return 0;
}

int sensor_spool_put(struct sensor_spool *sp, const cJSON *payload,
                     char err[SENSOR_SPOOL_ERRMSG_MAX])
{
    if (sp->count == SENSOR_SPOOL_FILES_MAX && spool_merge_oldest(sp, err) != 0)
        return -1;
    char *text = cJSON_PrintUnformatted(payload);
    if (text == NULL) {
        spool_err(err, "%s: out of memory printing a payload", sp->dir);
        return -1;
    }
    uint64_t id = sp->next_id;
    int rc = spool_write_file(sp, id, text, err);
    free(text);
    if (rc != 0)
        return -1;
    sp->next_id = id + 1;
    sp->ids[sp->count++] = id;
    return 0;
}

unsigned sensor_spool_count(const struct sensor_spool *sp)
{
    return sp->count;
}

int sensor_spool_oldest(struct sensor_spool *sp, char **text, size_t *len,
                        struct codec_upload_head *head, char err[SENSOR_SPOOL_ERRMSG_MAX])
{
    if (sp->count == 0)
        return 1;
    cJSON *doc = spool_read(sp, sp->ids[0], text, len, head, err);
    if (doc == NULL) {
        char why[SENSOR_SPOOL_ERRMSG_MAX];
        snprintf(why, sizeof why, "%s", err);
        spool_discard_corrupt(sp, 0, why);
        return -1;
    }
    cJSON_Delete(doc);
    return 0;
}

int sensor_spool_drop_oldest(struct sensor_spool *sp, char err[SENSOR_SPOOL_ERRMSG_MAX])
{
    char path[SENSOR_SPOOL_PATH_MAX + 64];

    if (sp->count == 0)
        return 0;
    if (sensor_spool_path(sp, sp->ids[0], path, sizeof path) != 0 ||
        (unlink(path) != 0 && errno != ENOENT)) {
        spool_err(err, "%s: cannot delete: %s", path, strerror(errno));
        return -1;
    }
    spool_fsync_dir(sp);
    spool_remove_index(sp, 0);
    return 0;
}

int sensor_spool_set_aside_oldest(struct sensor_spool *sp, const char *suffix,
                                  char err[SENSOR_SPOOL_ERRMSG_MAX])
{
    if (sp->count == 0)
        return 0;
    if (spool_move_aside(sp, sp->ids[0], suffix, err) != 0)
        return -1;
    spool_remove_index(sp, 0);
    sp->set_aside++;
    return 0;
}
