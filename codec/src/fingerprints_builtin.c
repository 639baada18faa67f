/* fingerprints_builtin.c - the fingerprint database compiled into the binary
 * (codec/fingerprints.h): a user's local file first, then the embedded
 * data/fingerprints.json. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codec/file.h"
#include "codec/fingerprints.h"

extern const char codec_fingerprints_builtin[];
extern const unsigned long codec_fingerprints_builtin_len;

#define LOCAL_FILE_BYTES_MAX (16u << 20)   /* a local database beyond 16 MiB is a mistake */


int codec_fp_load_builtin(const char *local_path, struct codec_fp_db *out,
                          char err[CODEC_ERRMSG_MAX])
{
    memset(out, 0, sizeof *out);
    /* Base first, so a local rule that reuses a base id is the one named. */
    if (codec_fp_parse(codec_fingerprints_builtin, (size_t)codec_fingerprints_builtin_len,
                       "data/fingerprints.json", out, err) != 0) {
        codec_fp_free(out);
        return -1;
    }
    if (local_path == NULL)
        return 0;
    size_t base = out->db.count, len = 0;
    char *text = codec_file_read(local_path, LOCAL_FILE_BYTES_MAX, &len, err);
    if (text == NULL) {
        codec_fp_free(out);
        return -1;
    }
    int rc = codec_fp_parse(text, len, local_path, out, err);
    free(text);
    if (rc != 0) {
        codec_fp_free(out);
        return -1;
    }
    /* Local rules take precedence: move them in front of the base ones. */
    size_t local = out->db.count - base;
    struct caps_fp_rule *tmp = malloc(base * sizeof *tmp + 1);
    if (tmp == NULL) {
        snprintf(err, CODEC_ERRMSG_MAX, "%s: out of memory", local_path);
        codec_fp_free(out);
        return -1;
    }
    memcpy(tmp, out->rules, base * sizeof *tmp);
    memmove(out->rules, out->rules + base, local * sizeof *tmp);
    memcpy(out->rules + local, tmp, base * sizeof *tmp);
    free(tmp);
    out->local_count = local;
    out->db.rules = out->rules;
    caps_fp_db_index(&out->db);
    return 0;
}
