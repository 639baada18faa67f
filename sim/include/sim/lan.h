/* sim/lan.h - a virtual LAN segment: one broadcast domain.
 *
 * Every frame sent on the segment reaches every attached port (an agent) after
 * the link's fixed delay plus a uniform jitter in [0, jitter_us), which
 * reorders frames; each copy may be lost or duplicated. The draws come from
 * one random stream per port, (seed, TRAFFIC_ENTITY_LINK port), so the view of
 * one agent does not depend on how many others are attached. With no delay,
 * jitter, loss or duplication a frame is delivered at once, without an event.
 * Frames in flight are copied into a pool bounded by SIM_LAN_PENDING_MAX.
 * One port's view (what it received, when) can be recorded to a pcap.
 * A partition splits the ports in two sides: a frame a port sends reaches
 * only the ports on its side; frames of the segment itself (the subnet's
 * hosts) still reach every port.
 */
#ifndef SIM_LAN_H
#define SIM_LAN_H

#include <stddef.h>
#include <stdint.h>

#include "sim/engine.h"

#define SIM_LAN_PORTS_MAX 64             /* one per agent (SCEN_AGENTS_MAX) */
#define SIM_LAN_FRAME_BYTES_MAX 1600     /* traffic_frame bytes; longer frames are cut */
#define SIM_LAN_PENDING_MAX (1u << 20)   /* copies in flight; more are dropped, counted */

struct sim_lan;
struct traffic_pcap_writer;

/* Called at delivery, at sim time now_us, with the frame; bytes are valid
 * for the call only. */
typedef void sim_lan_deliver_fn(void *ctx, uint64_t now_us, const uint8_t *frame, size_t len);

struct sim_lan_link {
    uint64_t delay_us;       /* fixed one-way delay */
    uint64_t jitter_us;      /* plus uniform [0, jitter_us) */
    double loss;             /* 0..1: a copy is dropped */
    double duplicate;        /* 0..1: a copy arrives twice (independent jitter) */
};

struct sim_lan_port_stats {
    uint64_t offered;        /* frames sent while the port was up */
    uint64_t lost;           /* dropped by the link's loss */
    uint64_t duplicated;     /* extra copies */
    uint64_t delivered;      /* copies handed to the port */
    uint64_t dropped_down;   /* copies that arrived while the port was down */
    uint64_t overflow;       /* copies dropped: SIM_LAN_PENDING_MAX in flight */
};

/* A segment on engine e (borrowed) with link parameters link, drawing from
 * streams of seed. NULL when memory runs out or link is out of range. */
struct sim_lan *sim_lan_create(struct sim_engine *e, const struct sim_lan_link *link,
                               uint64_t seed);
void sim_lan_destroy(struct sim_lan *lan);

/* Attaches a port; returns its index (0, 1, ...) or -1 when
 * SIM_LAN_PORTS_MAX are attached. Ports start up. */
int sim_lan_attach(struct sim_lan *lan, sim_lan_deliver_fn *deliver, void *ctx);

/* A port that is down receives nothing: frames sent meanwhile are not
 * offered to it and copies in flight are dropped on arrival. */
void sim_lan_port_set_up(struct sim_lan *lan, int port, int up);

/* Changes the loss rate (0..1) for frames sent from now on. */
void sim_lan_set_loss(struct sim_lan *lan, double loss);

/* Records every copy delivered to port into w (borrowed; NULL stops), with
 * timestamp epoch_base_us + the delivery's sim time. */
void sim_lan_record(struct sim_lan *lan, int port, struct traffic_pcap_writer *w,
                    uint64_t epoch_base_us);

/* Sends frame[0..len) on the segment at the engine's current time. Returns
 * the number of copies delivered at once (fast path) plus those scheduled. */
unsigned sim_lan_send(struct sim_lan *lan, const uint8_t *frame, size_t len);

/* Sends frame[0..len) from port from (an agent's own frame): it reaches the
 * other ports on from's side of the partition, not from itself. */
unsigned sim_lan_send_from(struct sim_lan *lan, int from, const uint8_t *frame, size_t len);

/* Partitions the ports: bit i of mask set puts port i on one side, clear on
 * the other; 0 heals (one side). Copies in flight are delivered. */
void sim_lan_set_partition(struct sim_lan *lan, uint64_t mask);

/* Counters of a port. */
const struct sim_lan_port_stats *sim_lan_port_stats(const struct sim_lan *lan, int port);

/* Copies in flight. */
size_t sim_lan_pending(const struct sim_lan *lan);

/* 1 when a write to the recording failed (later copies are not recorded). */
int sim_lan_record_error(const struct sim_lan *lan);

#endif
