/* codec/jsonpos.h - where in a JSON text a value is, for error messages.
 *
 * cJSON parses without positions, so a message such as
 *   data/fingerprints.json:14:9: "score" must be in (0, 1], got 0
 * needs the place found separately: codec_json_locate scans the same text
 * with a small tokenizer and returns the line and column of the value at a
 * path. Written by hand because neither cJSON nor any other library the
 * project uses reports positions of values.
 */
#ifndef CODEC_JSONPOS_H
#define CODEC_JSONPOS_H

#include <stddef.h>

struct cJSON;

/* Finds the value at path in text[0..len) and returns 0 with its 1-based
 * line and column (of the value's first character; for an object member,
 * pass the member's key path and get the value, not the key). path is a
 * sequence of ".key" and "[index]" steps from the root, e.g.
 * ".rules[3].score" or ".domains[0].include[2]"; "" is the root. Returns -1
 * when the path does not exist or the text is not well-formed JSON up to it.
 * Keys with '.', '[' or ']' cannot be addressed. Of duplicate keys the
 * first counts (as cJSON_GetObjectItem). Nesting deeper than 64 levels is
 * not followed (-1). Allocates nothing; reads only text[0..len). */
int codec_json_locate(const char *text, size_t len, const char *path, int *line, int *col);

/* Where a message's path points in text[0..len): path is written as messages
 * write it, without the leading '.' ("rules[3].score", "[2]", "" the root). A
 * step codec_json_locate cannot address (an unknown key, a path over
 * CODEC_JSON_PATH_MAX bytes) falls back to its parent, and finally to 1:1. */
#define CODEC_JSON_PATH_MAX 256
void codec_json_locate_nearest(const char *text, size_t len, const char *path, int *line,
                               int *col);

/* Line and column (1-based) of byte offset off in text[0..off). Lines end at
 * "\n", "\r\n" or a lone "\r"; the column counts bytes (a tab is one, a
 * UTF-8 character as many as its bytes). */
void codec_json_line_col(const char *text, size_t off, int *line, int *col);

/* Parses text[0..len) as one JSON document with nothing after it. On a
 * syntax error returns NULL with err (err_bytes) "NAME:LINE:COL: invalid
 * JSON, got ..." quoting the text where cJSON stopped; noun names the input
 * in "got an empty NOUN" and "got the end of the NOUN" ("text", "body").
 * The caller frees the result with cJSON_Delete. */
struct cJSON *codec_json_parse_text(const char *text, size_t len, const char *name,
                                    const char *noun, char *err, size_t err_bytes);

#endif
