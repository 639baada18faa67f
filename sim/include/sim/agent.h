/* sim/agent.h - a simulated sensor agent: one caps core on the virtual LAN.
 *
 * The agent owns its core and the core's arena (sized once from the
 * configuration). Its clock is the sim clock plus a fixed skew and a drift:
 * clock_us = epoch_us + now_us + skew_us + now_us * drift_ppm / 1e6, so frames
 * reach the core stamped with the agent's own time. An agent is down before
 * it boots and after a crash or stop; a boot (first or restart) starts a
 * fresh core, as a restarted process would, with the current DNS suffix.
 */
#ifndef SIM_AGENT_H
#define SIM_AGENT_H

#include <stddef.h>
#include <stdint.h>

#include "caps/config.h"
#include "caps/sensor.h"
#include "sim/scenario.h"

struct sim_agent;

/* An agent for spec with configuration cfg (copied; cfg->fingerprints is
 * borrowed for the agent's life); t = 0 of the sim is epoch_us. Down until
 * sim_agent_boot. NULL when memory runs out or the core rejects cfg, with
 * err ("agent NAME: ..."). */
struct sim_agent *sim_agent_create(const struct scen_agent *spec, const struct caps_config *cfg,
                                   uint64_t epoch_us, char err[SCEN_ERRMSG_MAX]);
void sim_agent_destroy(struct sim_agent *a);

const char *sim_agent_name(const struct sim_agent *a);

/* The agent's clock at sim time now_us, microseconds since the Unix epoch. */
uint64_t sim_agent_clock_us(const struct sim_agent *a, uint64_t now_us);

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

/* Time passes (the host's periodic tick); ignored when down. */
void sim_agent_tick(struct sim_agent *a, uint64_t now_us);

/* The core (its inventory and counters): empty before the first boot, the
 * last state after a halt. */
struct caps_sensor *sim_agent_sensor(struct sim_agent *a);

/* Memory the core uses: its arena plus the sensor struct. */
size_t sim_agent_core_bytes(const struct sim_agent *a);

#endif
