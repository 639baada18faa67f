/* caps/election.h - who leads: the election of sensors on one subnet.
 *
 * A state machine driven only by received adverts and tick(now_us). Every
 * agent multicasts a signed advert (the wire format below, docs/election.md)
 * every advert interval through the host's send callback. The best-ranked
 * eligible agent leads (senses and uploads), the second best is standby
 * (senses, keeps the inventory warm, never uploads), all others are idle.
 * No allocation: the state is one fixed struct with a bounded peer table.
 * No clock: time is always an argument, integer microseconds, never
 * decreasing. No crypto: the host computes HMAC-SHA256 with the site key.
 */
#ifndef CAPS_ELECTION_H
#define CAPS_ELECTION_H

#include <stddef.h>
#include <stdint.h>

#include "caps/error.h"

/* ---- the advert on the wire (all integers big-endian) ------------------ */

#define CAPS_ADVERT_MAGIC "CAPE"          /* bytes 0..3: 0x43 0x41 0x50 0x45 */
#define CAPS_ADVERT_VERSION 1             /* byte 4 */
#define CAPS_ADVERT_BODY_BYTES 72         /* bytes the MAC covers: 0..71 */
#define CAPS_ADVERT_MAC_BYTES 32          /* HMAC-SHA256 of bytes 0..71 */
#define CAPS_ADVERT_BYTES 104             /* whole UDP payload, exactly */

#define CAPS_ADVERT_FLAG_ELIGIBLE 0x01u   /* activated, on premises, healthy */
#define CAPS_ADVERT_FLAG_IPV4 0x02u       /* addr holds IPv4 (else IPv6 link-local) */

/* Advert interval bounds: 1 ms (fast-failover tests) .. 3600 s; the reference
 * default is 120 s. Carried on the wire as uint32 microseconds. */
#define CAPS_ADVERT_INTERVAL_US_MIN 1000u
#define CAPS_ADVERT_INTERVAL_US_MAX 3600000000u
#define CAPS_ADVERT_INTERVAL_US_DEFAULT 120000000u

/* Suggested transport, framed by the host (the core never sees it). */
#define CAPS_ELECTION_GROUP_V4 "239.255.47.47"
#define CAPS_ELECTION_GROUP_V6 "ff02::4747"
#define CAPS_ELECTION_PORT 47474

enum caps_role { CAPS_ROLE_IDLE = 0, CAPS_ROLE_STANDBY = 1, CAPS_ROLE_LEADER = 2 };

/* One advert, decoded. parse() copies every field; nothing points into the
 * buffer. */
struct caps_advert {
    uint8_t role;                 /* enum caps_role */
    uint8_t priority;             /* 0 = stopping, 1..254; 255 is invalid */
    uint8_t eligible;             /* 0 / 1 */
    uint8_t has_ipv4;             /* 1: addr[0..3] is IPv4, addr[4..15] zero */
    uint8_t site_id[16];
    uint64_t agent_id;            /* nonzero */
    uint64_t epoch;               /* the sender's leader epoch (highest known) */
    uint64_t counter;             /* rises by one with every advert sent */
    uint32_t advert_interval_us;  /* the sender's interval, bounds above */
    uint16_t eligible_heard;      /* eligible agents the sender hears, itself included */
    uint8_t addr[16];             /* IPv4 or IPv6 link-local (fe80::/10) */
    uint8_t mac[CAPS_ADVERT_MAC_BYTES];
};

/* The host's HMAC-SHA256 with the site key: out = HMAC(key, msg[0..len)). */
typedef void caps_hmac_sha256_fn(void *ctx, const uint8_t *msg, size_t len,
                                 uint8_t out[32]);

/* Parses the syntax of an advert: exactly CAPS_ADVERT_BYTES, magic, version,
 * field ranges, zero reserved bits. The MAC is copied, not checked (see
 * caps_advert_verify). buf is borrowed for the call. Returns 0,
 * CAPS_E_TRUNCATED (short), CAPS_E_MAGIC, CAPS_E_VERSION, CAPS_E_LENGTH
 * (bytes after the MAC), CAPS_E_FIELD (a value out of range). */
int caps_advert_parse(const uint8_t *buf, size_t len, struct caps_advert *out);

/* Writes a as CAPS_ADVERT_BYTES bytes into buf. With hmac the MAC is
 * computed over bytes 0..71 (a->mac is ignored); with hmac NULL a->mac is
 * written as is (tests forge adverts this way). Returns 0, CAPS_E_NOMEM
 * (buf_bytes too small) or CAPS_E_FIELD (a field parse would reject). */
int caps_advert_encode(const struct caps_advert *a, caps_hmac_sha256_fn *hmac,
                       void *hmac_ctx, uint8_t *buf, size_t buf_bytes);

/* 0 when buf[72..104) is the HMAC of buf[0..72), else CAPS_E_CHECKSUM
 * (constant-time compare). buf must hold CAPS_ADVERT_BYTES. */
int caps_advert_verify(const uint8_t *buf, caps_hmac_sha256_fn *hmac, void *hmac_ctx);

/* ---- the state machine ------------------------------------------------- */

#define CAPS_PEERS_MAX 64            /* peer table size; the stalest is evicted */
#define CAPS_MIN_PEERS_MAX 20        /* upper bound of the min-peers gate */
#define CAPS_ELECTION_DOWN_INTERVALS 3 /* a peer is gone after 3 silent intervals */

/* Why a role changed, passed to on_role. The core cannot tell a crashed
 * peer from a partition or lost adverts: it reports CRASH for every timeout,
 * and the simulator, which knows the injected fault, may refine it to
 * PARTITION or LOST_ADVERTS. */
enum caps_elect_cause {
    CAPS_ELECT_CAUSE_START = 0,     /* first leader: no leader heard after start */
    CAPS_ELECT_CAUSE_CRASH,         /* the leader went silent for 3 intervals */
    CAPS_ELECT_CAUSE_STOP,          /* the leader sent priority 0 / this agent stopped */
    CAPS_ELECT_CAUSE_OFF_PREMISES,  /* the leader / this agent became ineligible */
    CAPS_ELECT_CAUSE_PARTITION,     /* host refinement only, never emitted */
    CAPS_ELECT_CAUSE_LOST_ADVERTS,  /* host refinement only, never emitted */
    CAPS_ELECT_CAUSE_PREEMPT,       /* a better agent took over (preempt on) */
    CAPS_ELECT_CAUSE_FENCED,        /* a leader heard a leader of higher (epoch, rank) */
    CAPS_ELECT_CAUSE_RANK,          /* standby/idle reshuffled: a peer came or went */
    CAPS_ELECT_CAUSE_COUNT
};

/* "start", "crash", "stop", "off_premises", "partition", "lost_adverts",
 * "preempt", "fenced", "rank"; "unknown" otherwise. Never NULL. */
const char *caps_elect_cause_name(int cause);
/* "idle", "standby", "leader"; "unknown" otherwise. Never NULL. */
const char *caps_role_name(int role);

struct caps_election_config {
    uint64_t agent_id;            /* nonzero, unique on the site; also the tie-break */
    uint8_t priority;             /* 1..254, higher is better */
    uint32_t advert_interval_us;  /* CAPS_ADVERT_INTERVAL_US_MIN..MAX */
    int preempt;                  /* 0 (default): a better agent waits for a vacancy */
    unsigned min_peers;           /* 0..20: eligible agents (self included) the leader
                                   * must hear before it reports; 0 and 1 = no gate */
    uint8_t site_id[16];          /* adverts of any other site are dropped */
    int has_ipv4;                 /* 1: advertise ipv4, 0: ipv6_ll */
    uint8_t ipv4[4];
    uint8_t ipv6_ll[16];          /* fe80::/10, used when has_ipv4 is 0 */
    uint64_t initial_counter;     /* first advert counter: must exceed every counter
                                   * this agent id ever sent (host persists it or
                                   * derives it from its clock in microseconds) */
    uint64_t initial_epoch;       /* highest epoch the host knows (persisted), or 0 */
};

struct caps_election_host {
    void *ctx;
    /* Sends one advert as a UDP payload; the host frames it to the configured
     * group and port. payload is valid only during the call; the host queues
     * it and must not call back into the election from here. Required. */
    void (*send)(void *ctx, const uint8_t *payload, size_t len);
    /* HMAC-SHA256 keyed by the site key. Required. */
    caps_hmac_sha256_fn *hmac_sha256;
    /* Role changes, may be NULL. Called after the state changed; it must not
     * call back into the election. epoch: caps_election_epoch() after the
     * change; cause: enum caps_elect_cause. */
    void (*on_role)(void *ctx, enum caps_role old_role, enum caps_role new_role,
                    uint64_t epoch, int cause, uint64_t now_us);
};

struct caps_election_stats {
    uint64_t sent;                  /* adverts handed to host.send */
    uint64_t received;              /* payloads handed to caps_election_receive */
    uint64_t accepted;              /* adverts that updated the peer table */
    uint64_t dropped_malformed;     /* caps_advert_parse failed */
    uint64_t dropped_unknown_site;  /* site_id differs from ours */
    uint64_t dropped_bad_mac;       /* HMAC mismatch (wrong key, forged, altered) */
    uint64_t dropped_old_counter;   /* counter not above the sender's highest seen */
    uint64_t dropped_own;           /* our own agent id (multicast loopback) */
    uint64_t peers_evicted;         /* table full: the stalest entry was replaced */
    uint64_t peers_expired;         /* peers silent for 3 of their intervals */
    uint64_t takeovers;             /* times this agent became leader */
    uint64_t stepdowns;             /* times this agent stopped leading */
};

/* One remembered peer: its latest accepted advert. Gone peers stay (live 0)
 * so their replay counter survives, until evicted. */
struct caps_election_peer {
    uint64_t agent_id;              /* 0: free slot */
    uint64_t epoch;
    uint64_t counter;               /* highest counter accepted */
    uint64_t last_heard_us;
    uint32_t advert_interval_us;
    uint8_t role, priority, eligible, live;
};

struct caps_election {
    struct caps_election_config cfg;
    struct caps_election_host host;
    struct caps_election_stats stats;
    struct caps_election_peer peers[CAPS_PEERS_MAX];
    enum caps_role role;
    int eligible;                   /* set by caps_election_set_eligible; starts 0 */
    int stopped;                    /* caps_election_stop was called */
    uint64_t epoch;                 /* highest epoch known; a leader's term */
    uint64_t counter;               /* next advert counter */
    uint64_t now_us;                /* latest time handed in */
    uint64_t listen_until_us;       /* start + 3 intervals: no claim before */
    uint64_t next_advert_us;
    uint64_t last_sent_us;
    int sent_once;
    int has_leader;                 /* non-leader: a live leader is known */
    uint64_t leader_id;             /* that leader */
    uint64_t vacancy_since_us;      /* non-leader: when the leader seat fell vacant */
    int vacancy_cause;
    int pending_cause;              /* why the known leader just left ... */
    uint64_t pending_since_us;      /* ... and since when */
    unsigned eligible_heard;        /* live eligible peers + self if eligible */
};

/* Initialises e (caller memory; cfg and host are copied). The agent starts
 * idle and ineligible: the host calls caps_election_set_eligible when it is
 * activated, on premises and healthy. The first advert goes out at now_us;
 * no agent claims the lead before now_us + 3 intervals + its skew, so it hears
 * every peer first. Returns 0, CAPS_E_ARG (NULL or a missing callback) or
 * CAPS_E_CONFIG (agent_id 0, priority 0 or 255, interval or min_peers out of
 * range, ipv6_ll outside fe80::/10). */
int caps_election_init(struct caps_election *e, const struct caps_election_config *cfg,
                       const struct caps_election_host *host, uint64_t now_us);

/* Hands in one received UDP payload (borrowed for the call). Bad adverts
 * are dropped and counted in stats; nothing is returned. May send (a leader
 * answers a weaker leader at once) and may change the role. */
void caps_election_receive(struct caps_election *e, uint64_t now_us,
                           const uint8_t *payload, size_t len);

/* Runs what is due at now_us: expiries, claims, the periodic advert. Call it
 * at caps_election_next_deadline_us() at the latest. */
void caps_election_tick(struct caps_election *e, uint64_t now_us);

/* Eligible = activated, on premises and healthy. A change is advertised at
 * once; a leader that becomes ineligible steps down (cause off_premises). */
void caps_election_set_eligible(struct caps_election *e, int eligible, uint64_t now_us);

/* Stops cleanly: sends a final advert with priority 0 (so the standby takes
 * over after its skew instead of 3 intervals), becomes idle and ignores every
 * later call but the getters. */
void caps_election_stop(struct caps_election *e, uint64_t now_us);

/* The cloud refused an upload of this agent: the subnet is at epoch (higher
 * than ours). The agent adopts the epoch; a leader steps down to standby
 * (cause fenced, it keeps sensing) and claims the lead again only through a
 * new vacancy: it listens for 3 intervals + skew first, as at start, so it
 * hears the leader that fenced it. A lower or equal epoch is ignored. */
void caps_election_fence(struct caps_election *e, uint64_t epoch, uint64_t now_us);

/* The time the next tick is due (UINT64_MAX once stopped). */
uint64_t caps_election_next_deadline_us(const struct caps_election *e);

enum caps_role caps_election_role(const struct caps_election *e);

/* The epoch to stamp on every upload: a leader's term, else the highest
 * epoch heard. Never decreases. */
uint64_t caps_election_epoch(const struct caps_election *e);

/* 1 when the agent leads and hears at least min_peers eligible agents
 * (itself included): only then may it upload. */
int caps_election_may_report(const struct caps_election *e);

/* 1 for leader and standby: only they process sensing traffic. */
int caps_election_may_sense(const struct caps_election *e);

/* Live eligible agents heard, this one included when eligible. */
unsigned caps_election_eligible_heard(const struct caps_election *e);

/* The skew of a priority, RFC 5798 6.1: (256 - priority) * interval / 256. */
uint64_t caps_election_skew_us(uint8_t priority, uint32_t advert_interval_us);

#endif
