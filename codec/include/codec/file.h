/* codec/file.h - reading a whole input file (configuration, fingerprint
 * database, scenario) with one bound and one set of messages. */
#ifndef CODEC_FILE_H
#define CODEC_FILE_H

#include <stddef.h>

#include "codec/config.h"   /* CODEC_ERRMSG_MAX */

/* The whole file at path, NUL-terminated (caller frees), its length in *len;
 * or NULL with err naming the file: "site.json: No such file or directory",
 * "site.json: larger than 1048576 bytes". */
char *codec_file_read(const char *path, size_t max_bytes, size_t *len,
                      char err[CODEC_ERRMSG_MAX]);

#endif
