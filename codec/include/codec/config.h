/* codec/config.h - the sensor configuration as JSON (one format for the
 * sensor, the simulator and the cloud), read and validated.
 *
 * Every error names the input, the place and the value:
 *   site.json:7:16: "upload_interval_minutes" must be 15..1440, got 5
 * Unknown keys are rejected by name. See docs/config.md for the format.
 */
#ifndef CODEC_CONFIG_H
#define CODEC_CONFIG_H

#include <stddef.h>

#include "caps/config.h"

struct cJSON;

#define CODEC_ERRMSG_MAX 512

/* Parses a configuration document text[0..len) named name (used in messages)
 * into cfg, starting from caps_config_default. Returns 0, or -1 with the
 * first error in err. cfg->fingerprints is left NULL. */
int codec_config_parse(const char *text, size_t len, const char *name,
                       struct caps_config *cfg, char err[CODEC_ERRMSG_MAX]);

/* Reads a configuration object already parsed from text (a member of a larger
 * document such as a scenario): item is the object, prefix its path in text
 * with a trailing dot ("config."), so errors still carry the right line and
 * column of text. Same rules and messages as codec_config_parse. */
int codec_config_read_item(const char *text, size_t len, const char *name,
                           const struct cJSON *item, const char *prefix,
                           struct caps_config *cfg, char err[CODEC_ERRMSG_MAX]);

/* Reads path and parses it as above; I/O errors name the file. */
int codec_config_load(const char *path, struct caps_config *cfg, char err[CODEC_ERRMSG_MAX]);

/* Writes cfg back as a JSON document (the cloud serves this); the caller
 * frees the string with free(). NULL when memory runs out. */
char *codec_config_print(const struct caps_config *cfg);

#endif
