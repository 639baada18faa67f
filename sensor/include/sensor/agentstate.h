/* sensor/agentstate.h - what an activated sensor keeps between runs.
 *
 * DIR/agent.json: {"agent_id", "token", "cloud", "last_seq"}, written 0600
 * through a temp file, fsync, rename and an fsync of the directory. The token
 * is a secret: it is never logged. last_seq is the highest upload sequence
 * number the agent used, so a replay never reuses an idempotency key.
 */
#ifndef SENSOR_AGENTSTATE_H
#define SENSOR_AGENTSTATE_H

#include <stddef.h>
#include <stdint.h>

#define SENSOR_AGENT_ID_MAX 64
#define SENSOR_TOKEN_MAX 256
#define SENSOR_URL_MAX 1024
#define SENSOR_STATE_PATH_MAX 4096
#define SENSOR_AGENTSTATE_ERRMSG_MAX 512
#define SENSOR_AGENTSTATE_BYTES_MAX (64u * 1024u)

struct sensor_agentstate {
    char agent_id[SENSOR_AGENT_ID_MAX];
    char token[SENSOR_TOKEN_MAX];
    char cloud[SENSOR_URL_MAX];
    uint64_t last_seq;            /* 0: none used yet */
};

/* Reads dir/agent.json. Returns 0, 1 when it does not exist (not activated),
 * or -1 with err naming the file and the field ("caps-state/agent.json:
 * \"token\" must be a non-empty string"). */
int sensor_agentstate_load(const char *dir, struct sensor_agentstate *st,
                           char err[SENSOR_AGENTSTATE_ERRMSG_MAX]);

/* Writes st to dir/agent.json (dir is created 0700 when missing). Returns 0
 * or -1 with err. */
int sensor_agentstate_save(const char *dir, const struct sensor_agentstate *st,
                           char err[SENSOR_AGENTSTATE_ERRMSG_MAX]);

/* Replaces dir/name with text[0..len) the same way (0600, temp, fsync,
 * rename, fsync of dir): the cached cloud configuration uses it. Returns 0
 * or -1 with err. */
int sensor_state_file_write(const char *dir, const char *name, const char *text, size_t len,
                            char err[SENSOR_AGENTSTATE_ERRMSG_MAX]);

#endif
