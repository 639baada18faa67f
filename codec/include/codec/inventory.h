/* codec/inventory.h - the inventory JSON document (DESIGN.md contract).
 *
 * {"assets": [...sorted by mac...], "summary": {...}}. Every string the
 * traffic supplied is made valid UTF-8 (invalid bytes become U+FFFD) before
 * it enters the document; times are RFC 3339 UTC with second precision.
 */
#ifndef CODEC_INVENTORY_H
#define CODEC_INVENTORY_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "caps/sensor.h"

/* Builds the document for a sensor's inventory and counters. Returns NULL only
 * when memory runs out. The caller owns the result (cJSON_Delete). */
cJSON *codec_inventory_build(const struct caps_sensor *s);

/* Formats ts_us (microseconds since the Unix epoch) as "YYYY-MM-DDTHH:MM:SSZ"
 * into out (at least 21 bytes). */
void codec_time_rfc3339(uint64_t ts_us, char out[21]);

/* Formats a MAC as "aa:bb:cc:dd:ee:ff" into out (18 bytes). */
void codec_mac_format(const uint8_t mac[6], char out[18]);

/* Copies NUL-terminated in into out (capacity cap >= 4), replacing every
 * invalid or overlong UTF-8 sequence with U+FFFD and truncating at a
 * character boundary. */
void codec_utf8_clean(const char *in, char *out, size_t cap);

/* Prints doc (formatted, two-space indent as cJSON prints it, trailing
 * newline) to path ("-" for stdout). Returns 0 or -1 with errno set. */
int codec_json_write(const cJSON *doc, const char *path);

#endif
