/* codec/upload.h - the upload payload document (docs/cloud.md, "Payload").
 *
 * {"version": 1, "agent_id", "subnet", "epoch", "seq", "full", "built_at",
 *  "summary": {...}, "assets": [...]}: the assets are the objects of the
 * inventory document (codec/inventory.h), sorted by mac; summary is the
 * inventory's summary, cumulative for the core's life. One merge rule by MAC
 * serves the spool and the cloud: first_seen is the earliest, last_seen the
 * latest, ips and sources are unions (the newer document's order first),
 * every other field comes from the newer document when it is not null.
 */
#ifndef CODEC_UPLOAD_H
#define CODEC_UPLOAD_H

#include <cjson/cJSON.h>

#include "caps/sensor.h"
#include "caps/upload.h"

#define CODEC_UPLOAD_VERSION 1
#define CODEC_AGENT_ID_MAX 64     /* agent id text (a UUID is 36) + NUL */
#define CODEC_SUBNET_MAX 64       /* subnet key text + NUL */

/* Who sends: copied into every payload (strings borrowed for the call). */
struct codec_upload_id {
    const char *agent_id;   /* the cloud's agent id (UUID text) */
    const char *subnet;     /* subnet key, e.g. "192.168.1.0/24" */
};

/* The payload for upload u of sensor s: the header, s's summary and every
 * asset caps_upload_includes() names (excluded assets never). NULL only when
 * memory runs out. The caller owns the result. */
cJSON *codec_upload_build(const struct caps_sensor *s, const struct caps_upload *u,
                          const struct codec_upload_id *id);

/* The header of a payload, checked: version 1, agent_id and subnet non-empty
 * strings within the limits above, epoch and seq integers 0..2^53, full a
 * bool, assets an array of objects each with a valid lower-case "mac".
 * Returns 0, or -1 with err naming the field and the value
 * ("payload: \"seq\" must be an integer 0..2^53, got -1"). */
struct codec_upload_head {
    char agent_id[CODEC_AGENT_ID_MAX];
    char subnet[CODEC_SUBNET_MAX];
    uint64_t epoch;
    uint64_t seq;
    int full;
};
int codec_upload_parse_head(const cJSON *doc, struct codec_upload_head *out, char *err,
                            size_t err_bytes);

/* Merges one asset object newer into older in place, by the rule above (both
 * with the same mac). Returns 0, or -1 when memory runs out. */
int codec_asset_merge(cJSON *older, const cJSON *newer);

/* A payload that stands for both: newer's header and summary, the assets of
 * both merged by mac, sorted by mac; "full" when either was (a later payload
 * covers every change after the older snapshot). NULL
 * only when memory runs out. The caller owns the result. */
cJSON *codec_upload_merge(const cJSON *older, const cJSON *newer);

#endif
