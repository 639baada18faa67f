/* sim/agent.h - a simulated sensor agent: one caps core on the virtual LAN.
 *
 * The agent owns its core and the core's arena (sized once from the
 * configuration). Its clock is the sim clock plus a fixed skew and a drift:
 * clock_us = epoch_us + now_us + skew_us + now_us * drift_ppm / 1e6, so frames
 * reach the core stamped with the agent's own time. An agent is down before
 * it boots and after a crash or stop; a boot (first or restart) starts a
 * fresh core, as a restarted process would, with the current DNS suffix.
 *
 * With the election on (struct sim_agent_net), the agent is a host of the
 * election too: its adverts leave as Ethernet/IPv4/UDP multicast frames from
 * its own MAC and IP to CAPS_ELECTION_GROUP_V4:CAPS_ELECTION_PORT (TTL 255),
 * signed with HMAC-SHA256 (OpenSSL) under the site key; received frames to
 * that port go to caps_sensor_advert, all others to caps_sensor_frame. The
 * highest epoch the agent knew is kept across restarts (as if persisted).
 *
 * With uploads on (upload_interval_us > 0), every boot turns the core's
 * uploads on (caps_sensor_upload_init): the first seq is the agent's clock in
 * microseconds at boot, above any seq of an earlier boot, as the live sensor
 * does; each upload the core builds goes to submit_upload.
 */
#ifndef SIM_AGENT_H
#define SIM_AGENT_H

#include <stddef.h>
#include <stdint.h>

#include "caps/config.h"
#include "caps/sensor.h"
#include "sim/scenario.h"

struct sim_agent;

/* How an agent reaches the LAN and reports its election (all borrowed). */
struct sim_agent_net {
    void *ctx;
    /* An Ethernet frame the agent sends; valid during the call only. The
     * caller must not call back into this agent from here (queue it). */
    void (*send_frame)(void *ctx, uint32_t agent, const uint8_t *frame, size_t len);
    /* A role change of the agent's election (sim/agent time is the caller's). */
    void (*on_role)(void *ctx, uint32_t agent, enum caps_role old_role,
                    enum caps_role new_role, uint64_t epoch, int cause);
    uint32_t index;                   /* the agent's index; agent id = index + 1 */
    int election;                     /* 0: standalone core, no adverts */
    uint32_t advert_interval_us;
    int preempt;
    uint8_t site_id[16];
    uint8_t key[32];                  /* the site key (a rogue's differs) */
    uint8_t mac[6];
    uint8_t ip[4];                    /* wire order */
    /* Uploads: 0 = off. submit_upload runs inside the core (s is read only;
     * new_leader: the first upload since the agent became leader). */
    uint64_t upload_interval_us;
    void (*submit_upload)(void *ctx, uint32_t agent, const struct caps_sensor *s,
                          const struct caps_upload *u, int new_leader);
};

/* Length of an advert frame: Ethernet + IPv4 + UDP + the advert. */
#define SIM_ADVERT_FRAME_BYTES (14u + 20u + 8u + CAPS_ADVERT_BYTES)
/* An agent for spec with configuration cfg (copied; cfg->fingerprints is
 * borrowed for the agent's life); t = 0 of the sim is epoch_us. Down until
 * sim_agent_boot. NULL when memory runs out or the core rejects cfg, with
 * err ("agent NAME: ..."). */
struct sim_agent *sim_agent_create(const struct scen_agent *spec, const struct caps_config *cfg,
                                   uint64_t epoch_us, const struct sim_agent_net *net,
                                   char err[SCEN_ERRMSG_MAX]);
void sim_agent_destroy(struct sim_agent *a);

const char *sim_agent_name(const struct sim_agent *a);

/* The agent's clock at sim time now_us, microseconds since the Unix epoch. */
uint64_t sim_agent_clock_us(const struct sim_agent *a, uint64_t now_us);

/* The earliest sim time at which the agent's clock reads clock_us (at least
 * 0): the inverse of sim_agent_clock_us, for scheduling core deadlines. */
uint64_t sim_agent_sim_time_us(const struct sim_agent *a, uint64_t clock_us);

/* Clean stop: the core says goodbye (a priority 0 advert), then halts. */
void sim_agent_stop(struct sim_agent *a, uint64_t now_us);

/* Boots a fresh core at now_us (first start or restart). */
void sim_agent_boot(struct sim_agent *a, uint64_t now_us);

/* Crash or stop: the agent goes down; its last inventory stays readable. */
void sim_agent_halt(struct sim_agent *a);

int sim_agent_running(const struct sim_agent *a);

/* Boots since create. */
uint32_t sim_agent_boots(const struct sim_agent *a);

/* The host's DNS suffix changes (leaving or joining the premises); kept
 * across restarts. */
void sim_agent_set_dns_suffix(struct sim_agent *a, const char *suffix);

/* A frame the agent's interface received at sim time now_us; ignored when
 * down. frame is borrowed for the call. */
void sim_agent_frame(struct sim_agent *a, uint64_t now_us, const uint8_t *frame, size_t len);

/* The cloud's answer to upload seq reached the agent at sim time now_us
 * (caps_sensor_upload_done); ignored when down. */
void sim_agent_upload_done(struct sim_agent *a, uint64_t now_us, uint64_t seq, int status,
                           uint64_t cloud_epoch);

/* The seq of the upload the running core waits for, 0 when none. */
uint64_t sim_agent_upload_inflight(const struct sim_agent *a);

/* Time passes (the host's periodic tick); ignored when down. */
void sim_agent_tick(struct sim_agent *a, uint64_t now_us);

/* The core (its inventory and counters): empty before the first boot, the
 * last state after a halt. */
struct caps_sensor *sim_agent_sensor(struct sim_agent *a);

/* Memory the core uses: its arena plus the sensor struct. */
size_t sim_agent_core_bytes(const struct sim_agent *a);

#endif
