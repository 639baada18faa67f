/* show.h - how the codec's readers quote values and place JSON syntax errors
 * in their messages (private to codec/). One implementation, so every reader
 * says "got ..." the same way. */
#ifndef CODEC_SHOW_H
#define CODEC_SHOW_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "codec/config.h"    /* CODEC_ERRMSG_MAX */

#define CODEC_SHOWN_BYTES_MAX 48       /* of a value quoted in a message */
#define CODEC_SHOWN_BUF_BYTES (CODEC_SHOWN_BYTES_MAX + 1)
#define CODEC_SYNTAX_SHOWN_BYTES 16    /* of the text at a JSON syntax error */

/* item as compact JSON, valid UTF-8, cut to CODEC_SHOWN_BYTES_MAX bytes with
 * "..." when longer; "nothing" for NULL. Returns out. */
const char *codec_show(const cJSON *item, char out[CODEC_SHOWN_BUF_BYTES]);

/* s shown as a JSON string, as codec_show does. */
const char *codec_show_str(const char *s, char out[CODEC_SHOWN_BUF_BYTES]);

/* Index of key in keys[0..n), or -1: the readers' check for known keys. */
int codec_key_index(const char *key, const char *const *keys, int n);

/* Parses text[0..len) as one JSON document with nothing after it. On a
 * syntax error returns NULL with err = "NAME:LINE:COL: invalid JSON, got ..."
 * (the place cJSON stopped, the text there quoted). The caller frees the
 * result with cJSON_Delete. */
cJSON *codec_json_parse_doc(const char *text, size_t len, const char *name,
                            char err[CODEC_ERRMSG_MAX]);

#endif
