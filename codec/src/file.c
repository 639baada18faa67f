/* file.c - whole-file reads for the codec's readers (codec/file.h). The
 * buffer grows by doubling up to one byte over the bound, which tells "too
 * large" apart from "exactly the bound". */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codec/file.h"

#define FILE_CHUNK_BYTES 65536

char *codec_file_read(const char *path, size_t max_bytes, size_t *len,
                      char err[CODEC_ERRMSG_MAX])
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        snprintf(err, CODEC_ERRMSG_MAX, "%s: %s", path, strerror(errno));
        return NULL;
    }
    char *buf = NULL;
    size_t n = 0, cap = 0;
    for (;;) {
        if (n == cap) {
            if (cap > max_bytes) {
                snprintf(err, CODEC_ERRMSG_MAX, "%s: larger than %zu bytes", path, max_bytes);
                break;
            }
            size_t next = cap != 0 ? 2 * cap : FILE_CHUNK_BYTES;
            if (next > max_bytes + 1)
                next = max_bytes + 1;
            char *nb = realloc(buf, next + 1);     /* + 1: the terminating NUL */
            if (nb == NULL) {
                snprintf(err, CODEC_ERRMSG_MAX, "%s: %s", path, strerror(ENOMEM));
                break;
            }
            buf = nb;
            cap = next;
        }
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0) {
            if (ferror(f)) {
                snprintf(err, CODEC_ERRMSG_MAX, "%s: %s", path, strerror(errno));
                break;
            }
            if (n > max_bytes) {
                snprintf(err, CODEC_ERRMSG_MAX, "%s: larger than %zu bytes", path, max_bytes);
                break;
            }
            fclose(f);
            buf[n] = '\0';
            *len = n;
            return buf;
        }
    }
    fclose(f);
    free(buf);
    return NULL;
}
