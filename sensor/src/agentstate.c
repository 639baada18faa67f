/* agentstate.c - the sensor's activation and sequence state on disk.
 *
 * One small JSON file, replaced atomically (temp, fsync, rename, fsync of the
 * directory): after a crash it holds the old or the new state, never a torn
 * one. Read with a byte bound; every field is checked and named in errors.
 */
#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "codec/file.h"
#include "sensor/agentstate.h"

#define SEQ_MAX ((uint64_t)1 << 53)   /* JSON numbers stay exact up to 2^53 */

/* Writes a message into err, cut to its size (paths may be long). */
static void state_err(char *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void state_err(char *err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, SENSOR_AGENTSTATE_ERRMSG_MAX, fmt, ap);
    va_end(ap);
}

static int state_string(const cJSON *doc, const char *key, char *out, size_t cap,
                        const char *path, char *err)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(doc, key);
    if (!cJSON_IsString(item) || item->valuestring[0] == '\0' ||
        strlen(item->valuestring) >= cap) {
        state_err(err, "%s: \"%s\" must be a non-empty string of at most %zu bytes", path, key,
                 cap - 1);
        return -1;
    }
    memcpy(out, item->valuestring, strlen(item->valuestring) + 1);
    return 0;
}

int sensor_agentstate_load(const char *dir, struct sensor_agentstate *st,
                           char err[SENSOR_AGENTSTATE_ERRMSG_MAX])
{
    char path[SENSOR_STATE_PATH_MAX + 32], cerr[CODEC_ERRMSG_MAX];
    size_t len;

    memset(st, 0, sizeof *st);
    if (snprintf(path, sizeof path, "%s/agent.json", dir) >= (int)sizeof path) {
        state_err(err, "%s: state directory name too long", dir);
        return -1;
    }
    if (access(path, F_OK) != 0 && errno == ENOENT)
        return 1;
    char *text = codec_file_read(path, SENSOR_AGENTSTATE_BYTES_MAX, &len, cerr);
    if (text == NULL) {
        state_err(err, "%s", cerr);
        return -1;
    }
    cJSON *doc = cJSON_ParseWithLength(text, len);
    free(text);
    if (!cJSON_IsObject(doc)) {
        state_err(err, "%s: not a JSON object", path);
        cJSON_Delete(doc);
        return -1;
    }
    int rc = -1;
    if (state_string(doc, "agent_id", st->agent_id, sizeof st->agent_id, path, err) != 0 ||
        state_string(doc, "token", st->token, sizeof st->token, path, err) != 0 ||
        state_string(doc, "cloud", st->cloud, sizeof st->cloud, path, err) != 0)
        goto out;
    const cJSON *seq = cJSON_GetObjectItemCaseSensitive(doc, "last_seq");
    if (seq != NULL) {
        double v = cJSON_IsNumber(seq) ? seq->valuedouble : -1;
        if (!(v >= 0 && v <= (double)SEQ_MAX) || v != (double)(uint64_t)v) {
            state_err(err, "%s: \"last_seq\" must be an integer 0..2^53", path);
            goto out;
        }
        st->last_seq = (uint64_t)v;
    }
    rc = 0;
out:
    cJSON_Delete(doc);
    return rc;
}

int sensor_state_file_write(const char *dir, const char *name, const char *text, size_t len,
                            char err[SENSOR_AGENTSTATE_ERRMSG_MAX])
{
    char path[SENSOR_STATE_PATH_MAX + 64], tmp[SENSOR_STATE_PATH_MAX + 80];

    if (snprintf(path, sizeof path, "%s/%s", dir, name) >= (int)sizeof path ||
        snprintf(tmp, sizeof tmp, "%s/%s.tmp", dir, name) >= (int)sizeof tmp) {
        state_err(err, "%s: state directory name too long", dir);
        return -1;
    }
    if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
        state_err(err, "%s: cannot create state directory: %s", dir, strerror(errno));
        return -1;
    }
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) {
        state_err(err, "%s: cannot create: %s", tmp, strerror(errno));
        return -1;
    }
    /* O_CREAT's mode applies only to a new file: a leftover temp keeps its own. */
    int ok = fchmod(fd, 0600) == 0;
    size_t done = 0;
    while (ok && done < len) {
        ssize_t w = write(fd, text + done, len - done);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            ok = 0;
        else
            done += (size_t)w;
    }
    if (!ok || fsync(fd) != 0) {
        state_err(err, "%s: cannot write: %s", tmp, strerror(errno));
        close(fd);
        unlink(tmp);
        return -1;
    }
    close(fd);
    if (rename(tmp, path) != 0) {
        state_err(err, "%s: cannot rename to %s: %s", tmp, path, strerror(errno));
        unlink(tmp);
        return -1;
    }
    int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        fsync(dfd);
        close(dfd);
    }
    return 0;
}

int sensor_agentstate_save(const char *dir, const struct sensor_agentstate *st,
                           char err[SENSOR_AGENTSTATE_ERRMSG_MAX])
{
    cJSON *doc = cJSON_CreateObject();
    if (doc == NULL || cJSON_AddStringToObject(doc, "agent_id", st->agent_id) == NULL ||
        cJSON_AddStringToObject(doc, "token", st->token) == NULL ||
        cJSON_AddStringToObject(doc, "cloud", st->cloud) == NULL ||
        cJSON_AddNumberToObject(doc, "last_seq", (double)st->last_seq) == NULL) {
        cJSON_Delete(doc);
        state_err(err, "%s/agent.json: out of memory", dir);
        return -1;
    }
    char *text = cJSON_Print(doc);
    cJSON_Delete(doc);
    if (text == NULL) {
        state_err(err, "%s/agent.json: out of memory", dir);
        return -1;
    }
    int rc = sensor_state_file_write(dir, "agent.json", text, strlen(text), err);
    memset(text, 0, strlen(text));      /* it held the token */
    free(text);
    return rc;
}
