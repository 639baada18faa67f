/* lan.c - a virtual LAN segment (sim/lan.h).
 *
 * sim_lan_send draws, per up port, loss then duplication then one jitter per
 * copy, from that port's own stream; the draws happen only for parameters
 * that are non-zero, so a clean link costs no randomness and no events. A
 * delayed copy lives in a slot of a pool (free list of indices, grown by
 * doubling up to SIM_LAN_PENDING_MAX) until its timer fires.
 */
#include "sim/lan.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "traffic/pcapw.h"
#include "traffic/rng.h"

#define LAN_SLOTS_INITIAL 256u
#define LAN_SLOT_NONE UINT32_MAX

struct lan_slot {
    uint32_t port;
    uint32_t len;
    uint32_t next_free;
    uint8_t bytes[SIM_LAN_FRAME_BYTES_MAX];
};

struct lan_port {
    sim_lan_deliver_fn *deliver;
    void *ctx;
    int up;
    struct traffic_rng rng;
    struct sim_lan_port_stats stats;
};

struct sim_lan {
    struct sim_engine *engine;
    struct sim_lan_link link;
    uint64_t seed;
    int port_count;
    uint64_t partition_mask;     /* bit i: port i on the cut-off side; 0: none */
    struct lan_port ports[SIM_LAN_PORTS_MAX];
    struct lan_slot *slots;
    uint32_t slot_count;         /* allocated */
    uint32_t free_head;          /* LAN_SLOT_NONE: pool exhausted */
    uint32_t in_flight;
    int record_port;             /* -1: not recording */
    struct traffic_pcap_writer *record;
    uint64_t record_epoch_us;
    int record_error;
};

static int link_valid(const struct sim_lan_link *l)
{
    return l->loss >= 0.0 && l->loss <= 1.0 && l->duplicate >= 0.0 && l->duplicate <= 1.0;
}

struct sim_lan *sim_lan_create(struct sim_engine *e, const struct sim_lan_link *link,
                               uint64_t seed)
{
    assert(e != NULL && link != NULL);
    if (!link_valid(link))
        return NULL;
    struct sim_lan *lan = calloc(1, sizeof *lan);
    if (lan == NULL)
        return NULL;
    lan->engine = e;
    lan->link = *link;
    lan->seed = seed;
    lan->free_head = LAN_SLOT_NONE;
    lan->record_port = -1;
    return lan;
}

void sim_lan_destroy(struct sim_lan *lan)
{
    if (lan == NULL)
        return;
    free(lan->slots);
    free(lan);
}

int sim_lan_attach(struct sim_lan *lan, sim_lan_deliver_fn *deliver, void *ctx)
{
    assert(deliver != NULL);
    if (lan->port_count >= SIM_LAN_PORTS_MAX)
        return -1;
    int i = lan->port_count++;
    struct lan_port *p = &lan->ports[i];
    memset(p, 0, sizeof *p);
    p->deliver = deliver;
    p->ctx = ctx;
    p->up = 1;
    traffic_rng_init(&p->rng, lan->seed, TRAFFIC_ENTITY_ID(TRAFFIC_ENTITY_LINK, (uint64_t)i));
    return i;
}

void sim_lan_port_set_up(struct sim_lan *lan, int port, int up)
{
    assert(port >= 0 && port < lan->port_count);
    lan->ports[port].up = up != 0;
}

void sim_lan_set_loss(struct sim_lan *lan, double loss)
{
    assert(loss >= 0.0 && loss <= 1.0);
    lan->link.loss = loss;
}

void sim_lan_record(struct sim_lan *lan, int port, struct traffic_pcap_writer *w,
                    uint64_t epoch_base_us)
{
    assert(w == NULL || (port >= 0 && port < lan->port_count));
    lan->record = w;
    lan->record_port = w != NULL ? port : -1;
    lan->record_epoch_us = epoch_base_us;
}

static void lan_hand(struct sim_lan *lan, int port, const uint8_t *frame, size_t len)
{
    struct lan_port *p = &lan->ports[port];
    uint64_t now_us = sim_engine_now_us(lan->engine);

    if (!p->up) {
        p->stats.dropped_down++;
        return;
    }
    p->stats.delivered++;
    if (port == lan->record_port && lan->record_error == 0) {
        int rc = traffic_pcap_write(lan->record, lan->record_epoch_us + now_us, frame,
                                   (uint32_t)len);
        if (rc != 0)
            lan->record_error = 1;
    }
    p->deliver(p->ctx, now_us, frame, len);
}

static void lan_arrive(void *ctx, uint64_t arg)
{
    struct sim_lan *lan = ctx;
    uint32_t i = (uint32_t)arg;
    assert(i < lan->slot_count);
    struct lan_slot *s = &lan->slots[i];

    /* Copied out and freed first: the receiver may send, which may grow
     * (move) the pool. */
    uint8_t bytes[SIM_LAN_FRAME_BYTES_MAX];
    int port = (int)s->port;
    size_t len = s->len;
    memcpy(bytes, s->bytes, len);
    s->next_free = lan->free_head;
    lan->free_head = i;
    lan->in_flight--;
    lan_hand(lan, port, bytes, len);
}

/* A free slot index, growing the pool; LAN_SLOT_NONE at the bound or OOM. */
static uint32_t lan_slot_take(struct sim_lan *lan)
{
    if (lan->free_head == LAN_SLOT_NONE) {
        if (lan->slot_count >= SIM_LAN_PENDING_MAX)
            return LAN_SLOT_NONE;
        uint32_t n = lan->slot_count == 0 ? LAN_SLOTS_INITIAL : lan->slot_count * 2u;
        if (n > SIM_LAN_PENDING_MAX)
            n = SIM_LAN_PENDING_MAX;
        struct lan_slot *grown = realloc(lan->slots, (size_t)n * sizeof *grown);
        if (grown == NULL)
            return LAN_SLOT_NONE;
        lan->slots = grown;
        for (uint32_t i = n; i-- > lan->slot_count;) {
            grown[i].next_free = lan->free_head;
            lan->free_head = i;
        }
        lan->slot_count = n;
    }
    uint32_t i = lan->free_head;
    lan->free_head = lan->slots[i].next_free;
    return i;
}

static unsigned lan_schedule(struct sim_lan *lan, int port, const uint8_t *frame, size_t len)
{
    struct lan_port *p = &lan->ports[port];
    uint64_t at_us = sim_engine_now_us(lan->engine) + lan->link.delay_us;
    if (lan->link.jitter_us > 0)
        at_us += traffic_rng_below(&p->rng, lan->link.jitter_us);
    uint32_t i = lan_slot_take(lan);
    if (i == LAN_SLOT_NONE) {
        p->stats.overflow++;
        return 0;
    }
    struct lan_slot *s = &lan->slots[i];
    s->port = (uint32_t)port;
    s->len = (uint32_t)len;
    memcpy(s->bytes, frame, len);
    if (sim_engine_schedule(lan->engine, at_us, lan_arrive, lan, i) == 0) {
        s->next_free = lan->free_head;
        lan->free_head = i;
        p->stats.overflow++;
        return 0;
    }
    lan->in_flight++;
    return 1;
}

void sim_lan_set_partition(struct sim_lan *lan, uint64_t mask)
{
    lan->partition_mask = mask;
}

unsigned sim_lan_send(struct sim_lan *lan, const uint8_t *frame, size_t len)
{
    return sim_lan_send_from(lan, -1, frame, len);
}

unsigned sim_lan_send_from(struct sim_lan *lan, int from, const uint8_t *frame, size_t len)
{
    const struct sim_lan_link *l = &lan->link;
    int direct = l->delay_us == 0 && l->jitter_us == 0 && l->loss <= 0.0 &&
                 l->duplicate <= 0.0;
    unsigned copies = 0;

    if (len > SIM_LAN_FRAME_BYTES_MAX)
        len = SIM_LAN_FRAME_BYTES_MAX;
    for (int i = 0; i < lan->port_count; i++) {
        struct lan_port *p = &lan->ports[i];
        if (!p->up || i == from)
            continue;
        if (from >= 0 && ((lan->partition_mask >> i) & 1u) !=
                             ((lan->partition_mask >> from) & 1u))
            continue;
        p->stats.offered++;
        if (direct) {
            lan_hand(lan, i, frame, len);
            copies++;
            continue;
        }
        if (l->loss > 0.0 && traffic_rng_chance(&p->rng, l->loss)) {
            p->stats.lost++;
            continue;
        }
        unsigned n = 1;
        if (l->duplicate > 0.0 && traffic_rng_chance(&p->rng, l->duplicate)) {
            p->stats.duplicated++;
            n = 2;
        }
        for (unsigned k = 0; k < n; k++)
            copies += lan_schedule(lan, i, frame, len);
    }
    return copies;
}

const struct sim_lan_port_stats *sim_lan_port_stats(const struct sim_lan *lan, int port)
{
    assert(port >= 0 && port < lan->port_count);
    return &lan->ports[port].stats;
}

size_t sim_lan_pending(const struct sim_lan *lan)
{
    return lan->in_flight;
}

int sim_lan_record_error(const struct sim_lan *lan)
{
    return lan->record_error;
}
