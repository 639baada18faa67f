/* sim/uplink.h - the agents' way to the cloud in a simulated run.
 *
 * One in-process mock cloud (cloud/service.h over an in-memory SQLite
 * database, no HTTP) and one spool per agent. An agent's upload is written
 * with codec_upload_build, spooled (at most SIM_SPOOL_FILES payloads; when
 * another is needed the two oldest are merged with codec_upload_merge) and
 * sent oldest first; a payload leaves the spool only when the cloud answered
 * accepted or duplicate, or refused it as fenced. The spool survives an
 * agent's crash, as a file would. Faults shape what the cloud does: an
 * outage refuses (503, nothing stored), a lost answer stores but the agent
 * never hears, a slow cloud answers late. Ids and tokens come from the run's
 * seeded stream, so a run is reproducible byte for byte.
 */
#ifndef SIM_UPLINK_H
#define SIM_UPLINK_H

#include <stddef.h>
#include <stdint.h>

#include "caps/sensor.h"
#include "sim/scenario.h"

#define SIM_SPOOL_FILES 3

struct sim_uplink;

enum sim_cloud_mode { SIM_CLOUD_UP = 0, SIM_CLOUD_OUTAGE, SIM_CLOUD_LOST_ACK };

/* The answer the agent gets for the upload the core has in flight. */
struct sim_uplink_answer {
    int has;               /* 0: no answer for the core (nothing in flight sent) */
    uint64_t seq;
    int status;            /* enum caps_upload_status */
    uint64_t cloud_epoch;  /* FENCED: the subnet's epoch */
};

struct sim_uplink_stats {
    uint64_t submitted;          /* payloads the cores built */
    uint64_t full;               /* of which full snapshots */
    uint64_t posts;              /* requests that reached the cloud (or its outage) */
    uint64_t accepted;
    uint64_t duplicates;         /* answered duplicate: a retry of a stored payload */
    uint64_t fenced;
    uint64_t rejected;           /* other 4xx: a defect, asserted 0 by the scenarios */
    uint64_t refused;            /* 503 during an outage */
    uint64_t answers_lost;       /* stored, answer lost */
    uint64_t merges;             /* spool merges */
    uint32_t spool_files_max;    /* most payloads one agent's spool held */
    uint64_t spool_bytes_max;    /* most bytes one agent's spool held */
    uint64_t leader_first;       /* first uploads after becoming leader */
    uint64_t leader_first_full;  /* ... that were full snapshots of the whole inventory */
};

/* A cloud (stored default configuration; activation key of the run) for sc.
 * NULL with err on failure. */
struct sim_uplink *sim_uplink_create(const struct scen_scenario *sc, uint64_t seed,
                                     char err[SCEN_ERRMSG_MAX]);
void sim_uplink_destroy(struct sim_uplink *u);

/* Activates agent (its name as hostname, its MAC registered) at wall time
 * wall_us. Returns 0 or -1 with err. */
int sim_uplink_activate(struct sim_uplink *u, uint32_t agent, const char *name,
                        const uint8_t mac[6], uint64_t wall_us, char err[SCEN_ERRMSG_MAX]);

/* The agent's core built upload up (called from inside the core: s is read
 * only). new_leader: the first upload since the agent became leader. */
void sim_uplink_submit(struct sim_uplink *u, uint32_t agent, const struct caps_sensor *s,
                       const struct caps_upload *up, int new_leader);

/* Sends the agent's spool oldest first at wall time wall_us, in the cloud's
 * mode now, stopping at the first failure; inflight_seq is the seq the core
 * waits for (0: none). Returns the answer for it, if any. */
struct sim_uplink_answer sim_uplink_send(struct sim_uplink *u, uint32_t agent,
                                         uint64_t inflight_seq, enum sim_cloud_mode mode,
                                         uint64_t wall_us);

/* Payloads waiting in the agent's spool. */
uint32_t sim_uplink_spooled(const struct sim_uplink *u, uint32_t agent);

const struct sim_uplink_stats *sim_uplink_stats(const struct sim_uplink *u);

/* The cloud's answer to GET /api/v1/assets?q=inventory.source:CAPS: the
 * inventory it holds, JSON text the caller frees; NULL on failure. */
char *sim_uplink_inventory(struct sim_uplink *u);

/* The cloud held against a core at the end of a run. */
struct sim_uplink_audit {
    uint32_t cloud_assets;   /* assets with source CAPS */
    uint32_t missing;        /* listed by the core, covered by its acknowledged uploads
                              * (changed_gen <= acked_gen), absent from the cloud */
    uint32_t stale;          /* of those present, with an older last_seen in the cloud */
    uint32_t lost;           /* MACs the cloud once accepted that it no longer lists */
};

/* One query of the cloud's inventory (inventory.source:CAPS) audited against
 * core s (NULL: no core checks): fills out, and calls each_mac (may be NULL)
 * for every MAC of every asset listed. Returns 0 or -1 (out of memory, cloud
 * failure). */
int sim_uplink_audit(struct sim_uplink *u, const struct caps_sensor *s,
                     void (*each_mac)(void *ctx, const uint8_t mac[6]), void *ctx,
                     struct sim_uplink_audit *out);

#endif
