/* codec/fingerprints.h - the fingerprint database files (JSON) and their
 * validation. See data/README.md for the format.
 *
 * A database is the base file (data/fingerprints.json) plus, optionally, a
 * user's local file whose rules take precedence: the loaded rules are the
 * local ones first, then the base ones. Errors name file, line, column and
 * field: data/fingerprints.json:120:18: rules[17].kind: unknown kind "dhcp_prm"
 */
#ifndef CODEC_FINGERPRINTS_H
#define CODEC_FINGERPRINTS_H

#include <stddef.h>

#include "caps/fingerprint.h"
#include "codec/config.h"

struct codec_fp_db {
    struct caps_fp_db db;            /* what the core borrows */
    struct caps_fp_rule *rules;      /* owned; db.rules points here */
    size_t local_count;              /* rules from the local file (first) */
};

/* Parses one file's text into out (zero-initialised, or holding earlier
 * files' rules: appends after them). Returns 0, or -1 with the first error in
 * err and out holding its earlier rules only. Rule ids must be unique across
 * files. The format and the messages: codec/src/fingerprints.c. */
int codec_fp_parse(const char *text, size_t len, const char *name, struct codec_fp_db *out,
                   char err[CODEC_ERRMSG_MAX]);

/* Loads base_path and local_path (may be NULL) into out (initialised here),
 * the local rules first. A local rule reusing a base id is an error placed at
 * the local rule that names the base one. Returns 0 or -1 with err; on error
 * out holds nothing to free. */
int codec_fp_load(const char *base_path, const char *local_path, struct codec_fp_db *out,
                  char err[CODEC_ERRMSG_MAX]);

/* Loads local_path (may be NULL) then the database built into the binary
 * (data/fingerprints.json of the source tree, embedded at build time; its
 * errors name that path). Returns 0 or -1 with err. */
int codec_fp_load_builtin(const char *local_path, struct codec_fp_db *out,
                          char err[CODEC_ERRMSG_MAX]);

/* Frees what codec_fp_load / codec_fp_parse allocated. */
void codec_fp_free(struct codec_fp_db *db);

#endif
