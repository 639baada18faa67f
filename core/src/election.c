/* election.c - the advert codec and the leader/standby election of sensors.
 *
 * Every entry point follows one shape: advance the clock, apply the input
 * (an advert, an eligibility change, nothing for a tick), reconcile (expire
 * silent peers, fence, claim a vacant lead, derive standby/idle from the
 * ranking), then send the advert if one is due. Roles are decided locally
 * from the peer table; the only sticky role is leader (preemption off), the
 * standby is always the best-ranked eligible non-leader. docs/election.md
 * gives the wire format, the ranking, the timers and the transitions.
 */
#include "caps/election.h"

#include <string.h>

#include "caps/error.h"
#include "cursor.h"

_Static_assert(4 + 4 + 16 + 3 * 8 + 4 + 2 + 2 + 16 == CAPS_ADVERT_BODY_BYTES,
               "advert body layout");
_Static_assert(CAPS_ADVERT_BODY_BYTES + CAPS_ADVERT_MAC_BYTES == CAPS_ADVERT_BYTES,
               "the MAC closes the advert");
_Static_assert(CAPS_PEERS_MAX + 1 <= UINT16_MAX, "eligible_heard fits uint16");

static const char *const cause_names[CAPS_ELECT_CAUSE_COUNT] = {
    "start", "crash", "stop", "off_premises", "partition", "lost_adverts",
    "preempt", "fenced", "rank",
};

const char *caps_elect_cause_name(int cause)
{
    if (cause < 0 || cause >= CAPS_ELECT_CAUSE_COUNT)
        return "unknown";
    return cause_names[cause];
}

const char *caps_role_name(int role)
{
    switch (role) {
    case CAPS_ROLE_IDLE:
        return "idle";
    case CAPS_ROLE_STANDBY:
        return "standby";
    case CAPS_ROLE_LEADER:
        return "leader";
    default:
        return "unknown";
    }
}

/* ---- codec -------------------------------------------------------------- */

static int cur_be64(struct cur *c, uint64_t *out)
{
    uint32_t hi, lo;
    int rc;

    if (!cur_has(c, 8))
        return CAPS_E_TRUNCATED;
    if ((rc = cur_be32(c, &hi)) != CAPS_OK || (rc = cur_be32(c, &lo)) != CAPS_OK)
        return rc;
    *out = (uint64_t)hi << 32 | lo;
    return CAPS_OK;
}

static uint8_t *put_be(uint8_t *p, uint64_t v, unsigned bytes)
{
    for (unsigned i = 0; i < bytes; i++)
        p[i] = (uint8_t)(v >> (8 * (bytes - 1 - i)));
    return p + bytes;
}

static int is_zero(const uint8_t *p, size_t n)
{
    uint8_t acc = 0;

    for (size_t i = 0; i < n; i++)
        acc |= p[i];
    return acc == 0;
}

/* The value rules parse and encode share. */
static int advert_fields_valid(const struct caps_advert *a)
{
    if (a->role > CAPS_ROLE_LEADER || a->priority == 255 || a->eligible > 1 ||
        a->has_ipv4 > 1 || a->agent_id == 0)
        return 0;
    if (a->advert_interval_us < CAPS_ADVERT_INTERVAL_US_MIN ||
        a->advert_interval_us > CAPS_ADVERT_INTERVAL_US_MAX)
        return 0;
    if (a->has_ipv4)
        return is_zero(a->addr + 4, 12);
    /* RFC 4291 2.5.6: link-local unicast is fe80::/10. */
    return a->addr[0] == 0xfe && (a->addr[1] & 0xc0) == 0x80;
}

int caps_advert_parse(const uint8_t *buf, size_t len, struct caps_advert *out)
{
    struct cur c = cur_make(buf, len);
    uint8_t magic[4], version, flags;
    uint16_t reserved;
    int rc;

    memset(out, 0, sizeof *out);
    if ((rc = cur_bytes(&c, magic, sizeof magic)) != CAPS_OK)
        return rc;
    if (memcmp(magic, CAPS_ADVERT_MAGIC, sizeof magic) != 0)
        return CAPS_E_MAGIC;
    if ((rc = cur_u8(&c, &version)) != CAPS_OK)
        return rc;
    if (version != CAPS_ADVERT_VERSION)
        return CAPS_E_VERSION;
    if ((rc = cur_u8(&c, &out->role)) != CAPS_OK ||
        (rc = cur_u8(&c, &out->priority)) != CAPS_OK ||
        (rc = cur_u8(&c, &flags)) != CAPS_OK ||
        (rc = cur_bytes(&c, out->site_id, sizeof out->site_id)) != CAPS_OK ||
        (rc = cur_be64(&c, &out->agent_id)) != CAPS_OK ||
        (rc = cur_be64(&c, &out->epoch)) != CAPS_OK ||
        (rc = cur_be64(&c, &out->counter)) != CAPS_OK ||
        (rc = cur_be32(&c, &out->advert_interval_us)) != CAPS_OK ||
        (rc = cur_be16(&c, &out->eligible_heard)) != CAPS_OK ||
        (rc = cur_be16(&c, &reserved)) != CAPS_OK ||
        (rc = cur_bytes(&c, out->addr, sizeof out->addr)) != CAPS_OK ||
        (rc = cur_bytes(&c, out->mac, sizeof out->mac)) != CAPS_OK)
        return rc;
    /* The advert is the whole UDP payload: a longer one is not ours. */
    if (cur_left(&c) != 0)
        return CAPS_E_LENGTH;
    if ((flags & ~(CAPS_ADVERT_FLAG_ELIGIBLE | CAPS_ADVERT_FLAG_IPV4)) != 0 || reserved != 0)
        return CAPS_E_FIELD;
    out->eligible = (flags & CAPS_ADVERT_FLAG_ELIGIBLE) != 0;
    out->has_ipv4 = (flags & CAPS_ADVERT_FLAG_IPV4) != 0;
    if (!advert_fields_valid(out))
        return CAPS_E_FIELD;
    return CAPS_OK;
}

int caps_advert_encode(const struct caps_advert *a, caps_hmac_sha256_fn *hmac,
                       void *hmac_ctx, uint8_t *buf, size_t buf_bytes)
{
    if (buf_bytes < CAPS_ADVERT_BYTES)
        return CAPS_E_NOMEM;
    if (!advert_fields_valid(a))
        return CAPS_E_FIELD;
    uint8_t *p = buf;
    memcpy(p, CAPS_ADVERT_MAGIC, 4);
    p += 4;
    *p++ = CAPS_ADVERT_VERSION;
    *p++ = a->role;
    *p++ = a->priority;
    *p++ = (uint8_t)((a->eligible ? CAPS_ADVERT_FLAG_ELIGIBLE : 0u) |
                     (a->has_ipv4 ? CAPS_ADVERT_FLAG_IPV4 : 0u));
    memcpy(p, a->site_id, 16);
    p += 16;
    p = put_be(p, a->agent_id, 8);
    p = put_be(p, a->epoch, 8);
    p = put_be(p, a->counter, 8);
    p = put_be(p, a->advert_interval_us, 4);
    p = put_be(p, a->eligible_heard, 2);
    p = put_be(p, 0, 2);
    memcpy(p, a->addr, 16);
    p += 16;
    if (hmac != NULL)
        hmac(hmac_ctx, buf, CAPS_ADVERT_BODY_BYTES, p);
    else
        memcpy(p, a->mac, CAPS_ADVERT_MAC_BYTES);
    return CAPS_OK;
}

int caps_advert_verify(const uint8_t *buf, caps_hmac_sha256_fn *hmac, void *hmac_ctx)
{
    uint8_t mac[CAPS_ADVERT_MAC_BYTES];
    uint8_t diff = 0;

    hmac(hmac_ctx, buf, CAPS_ADVERT_BODY_BYTES, mac);
    /* Constant time: the loop never exits early on a mismatch. */
    for (size_t i = 0; i < CAPS_ADVERT_MAC_BYTES; i++)
        diff |= (uint8_t)(mac[i] ^ buf[CAPS_ADVERT_BODY_BYTES + i]);
    return diff == 0 ? CAPS_OK : CAPS_E_CHECKSUM;
}

/* ---- ranking ------------------------------------------------------------ */

uint64_t caps_election_skew_us(uint8_t priority, uint32_t advert_interval_us)
{
    return (uint64_t)(256u - priority) * advert_interval_us / 256u;
}

/* 1 when (eligible, priority, agent id) a ranks above b: eligible first, then
 * the higher priority, then the lower agent id (ids are unique per site). */
static int rank_above(int elig_a, uint8_t prio_a, uint64_t id_a, int elig_b,
                      uint8_t prio_b, uint64_t id_b)
{
    if (elig_a != elig_b)
        return elig_a > elig_b;
    if (prio_a != prio_b)
        return prio_a > prio_b;
    return id_a < id_b;
}

static int self_candidate(const struct caps_election *e)
{
    return e->eligible && !e->stopped;
}

static int peer_candidate(const struct caps_election_peer *p)
{
    return p->agent_id != 0 && p->live && p->eligible && p->priority > 0;
}

static int peer_above_self(const struct caps_election *e, const struct caps_election_peer *p)
{
    return rank_above(p->eligible, p->priority, p->agent_id, self_candidate(e),
                      e->cfg.priority, e->cfg.agent_id);
}

/* The leader a non-leader follows: the live eligible peer advertising the
 * lead with the highest (epoch, rank). NULL when the seat is vacant. */
static const struct caps_election_peer *best_leader(const struct caps_election *e)
{
    const struct caps_election_peer *best = NULL;

    for (size_t i = 0; i < CAPS_PEERS_MAX; i++) {
        const struct caps_election_peer *p = &e->peers[i];
        if (!peer_candidate(p) || p->role != CAPS_ROLE_LEADER)
            continue;
        if (best == NULL || p->epoch > best->epoch ||
            (p->epoch == best->epoch &&
             rank_above(1, p->priority, p->agent_id, 1, best->priority, best->agent_id)))
            best = p;
    }
    return best;
}

/* 1 when this agent ranks first among the live eligible non-leaders. */
static int self_best_non_leader(const struct caps_election *e)
{
    if (!self_candidate(e))
        return 0;
    for (size_t i = 0; i < CAPS_PEERS_MAX; i++) {
        const struct caps_election_peer *p = &e->peers[i];
        if (peer_candidate(p) && p->role != CAPS_ROLE_LEADER && peer_above_self(e, p))
            return 0;
    }
    return 1;
}

/* ---- peer table ---------------------------------------------------------- */

static uint64_t peer_expiry_us(const struct caps_election_peer *p)
{
    return p->last_heard_us + (uint64_t)CAPS_ELECTION_DOWN_INTERVALS * p->advert_interval_us;
}

/* 1 when a is a better eviction victim than b: gone peers before live ones,
 * then the stalest last_heard_us, then the lower agent id. */
static int victim_before(const struct caps_election_peer *a, const struct caps_election_peer *b)
{
    if (a->live != b->live)
        return a->live < b->live;
    if (a->last_heard_us != b->last_heard_us)
        return a->last_heard_us < b->last_heard_us;
    return a->agent_id < b->agent_id;
}

/* The entry of agent id, or a fresh one (agent_id 0 until filled). A full
 * table evicts the stalest entry, never the leader this agent follows. */
static struct caps_election_peer *peer_slot(struct caps_election *e, uint64_t id, int *fresh)
{
    struct caps_election_peer *victim = NULL;

    *fresh = 0;
    for (size_t i = 0; i < CAPS_PEERS_MAX; i++)
        if (e->peers[i].agent_id == id)
            return &e->peers[i];
    *fresh = 1;
    for (size_t i = 0; i < CAPS_PEERS_MAX; i++)
        if (e->peers[i].agent_id == 0)
            return &e->peers[i];
    for (size_t i = 0; i < CAPS_PEERS_MAX; i++) {
        struct caps_election_peer *p = &e->peers[i];
        if (e->has_leader && p->agent_id == e->leader_id)
            continue;
        if (victim == NULL || victim_before(p, victim))
            victim = p;
    }
    if (victim == NULL)
        victim = &e->peers[0]; /* only with CAPS_PEERS_MAX 1: the leader itself */
    e->stats.peers_evicted++;
    memset(victim, 0, sizeof *victim);
    return victim;
}

static void expire_peers(struct caps_election *e, uint64_t now_us)
{
    for (size_t i = 0; i < CAPS_PEERS_MAX; i++) {
        struct caps_election_peer *p = &e->peers[i];
        if (p->agent_id == 0 || !p->live || now_us < peer_expiry_us(p))
            continue;
        p->live = 0;
        e->stats.peers_expired++;
        if (e->has_leader && p->agent_id == e->leader_id) {
            /* RFC 5798 6.4.2: master down after 3 intervals (+ skew, below). */
            e->pending_cause = CAPS_ELECT_CAUSE_CRASH;
            e->pending_since_us = peer_expiry_us(p);
        }
    }
}

/* ---- transitions ---------------------------------------------------------- */

static void set_role(struct caps_election *e, enum caps_role role, int cause, uint64_t now_us)
{
    enum caps_role old = e->role;

    if (old == role)
        return;
    e->role = role;
    if (old == CAPS_ROLE_LEADER) {
        e->stats.stepdowns++;
        /* Our own seat is vacant from now, for our own claim logic. */
        e->has_leader = 0;
        e->vacancy_since_us = now_us;
        e->vacancy_cause = cause;
    }
    if (role == CAPS_ROLE_LEADER)
        e->stats.takeovers++;
    e->next_advert_us = now_us; /* tell the peers at once */
    if (e->host.on_role != NULL)
        e->host.on_role(e->host.ctx, old, role, e->epoch, cause, now_us);
}

static uint64_t claim_at_us(const struct caps_election *e)
{
    uint64_t since = e->vacancy_since_us > e->listen_until_us ? e->vacancy_since_us
                                                              : e->listen_until_us;
    return since + caps_election_skew_us(e->cfg.priority, e->cfg.advert_interval_us);
}

static void claim(struct caps_election *e, int cause, uint64_t now_us)
{
    /* max(epoch seen) + 1: the cloud fences every older leader. Saturates:
     * 2^64 - 1 only comes from a leaked key, and must not wrap to 0. */
    if (e->epoch < UINT64_MAX)
        e->epoch += 1;
    e->has_leader = 0;
    set_role(e, CAPS_ROLE_LEADER, cause, now_us);
}

static void reconcile(struct caps_election *e, uint64_t now_us)
{
    expire_peers(e, now_us);

    unsigned heard = self_candidate(e) ? 1u : 0u;
    for (size_t i = 0; i < CAPS_PEERS_MAX; i++)
        heard += peer_candidate(&e->peers[i]) ? 1u : 0u;
    e->eligible_heard = heard;

    if (e->stopped || e->role == CAPS_ROLE_LEADER)
        return; /* a leader steps down in receive / set_eligible, never here */

    const struct caps_election_peer *l = best_leader(e);
    if (l != NULL) {
        e->has_leader = 1;
        e->leader_id = l->agent_id;
    } else if (e->has_leader) {
        e->has_leader = 0;
        e->vacancy_since_us = e->pending_since_us;
        e->vacancy_cause = e->pending_cause;
    }
    e->pending_cause = CAPS_ELECT_CAUSE_CRASH; /* the default: silently gone */
    e->pending_since_us = now_us;

    int best = self_best_non_leader(e);
    if (best && l == NULL && e->cfg.priority > 0 && now_us >= claim_at_us(e)) {
        claim(e, e->vacancy_cause, now_us);
        return;
    }
    if (best && l != NULL && e->cfg.preempt && now_us >= e->listen_until_us &&
        peer_above_self(e, l) == 0) {
        claim(e, CAPS_ELECT_CAUSE_PREEMPT, now_us);
        return;
    }
    set_role(e, best ? CAPS_ROLE_STANDBY : CAPS_ROLE_IDLE, CAPS_ELECT_CAUSE_RANK, now_us);
}

static void emit(struct caps_election *e, uint8_t priority, uint64_t now_us)
{
    struct caps_advert a;
    uint8_t buf[CAPS_ADVERT_BYTES];

    memset(&a, 0, sizeof a);
    a.role = (uint8_t)e->role;
    a.priority = priority;
    a.eligible = (uint8_t)(self_candidate(e) ? 1 : 0);
    a.has_ipv4 = (uint8_t)(e->cfg.has_ipv4 ? 1 : 0);
    memcpy(a.site_id, e->cfg.site_id, sizeof a.site_id);
    a.agent_id = e->cfg.agent_id;
    a.epoch = e->epoch;
    a.counter = e->counter++;
    a.advert_interval_us = e->cfg.advert_interval_us;
    a.eligible_heard = (uint16_t)e->eligible_heard;
    if (e->cfg.has_ipv4)
        memcpy(a.addr, e->cfg.ipv4, 4);
    else
        memcpy(a.addr, e->cfg.ipv6_ll, 16);
    int rc = caps_advert_encode(&a, e->host.hmac_sha256, e->host.ctx, buf, sizeof buf);
    if (rc != CAPS_OK)
        return; /* init validated every field: cannot happen */
    e->host.send(e->host.ctx, buf, sizeof buf);
    e->stats.sent++;
    e->last_sent_us = now_us;
    e->next_advert_us = now_us + e->cfg.advert_interval_us;
}

static void send_if_due(struct caps_election *e, uint64_t now_us)
{
    if (!e->stopped && now_us >= e->next_advert_us)
        emit(e, e->cfg.priority, now_us);
}

static uint64_t advance(struct caps_election *e, uint64_t now_us)
{
    if (now_us > e->now_us)
        e->now_us = now_us;
    return e->now_us; /* a clock that went back is clamped: time never decreases */
}

/* ---- API ------------------------------------------------------------------ */

int caps_election_init(struct caps_election *e, const struct caps_election_config *cfg,
                       const struct caps_election_host *host, uint64_t now_us)
{
    if (e == NULL || cfg == NULL || host == NULL || host->send == NULL ||
        host->hmac_sha256 == NULL)
        return CAPS_E_ARG;
    if (cfg->agent_id == 0 || cfg->priority == 0 || cfg->priority == 255 ||
        cfg->advert_interval_us < CAPS_ADVERT_INTERVAL_US_MIN ||
        cfg->advert_interval_us > CAPS_ADVERT_INTERVAL_US_MAX ||
        cfg->min_peers > CAPS_MIN_PEERS_MAX)
        return CAPS_E_CONFIG;
    if (!cfg->has_ipv4 && !(cfg->ipv6_ll[0] == 0xfe && (cfg->ipv6_ll[1] & 0xc0) == 0x80))
        return CAPS_E_CONFIG;
    if (cfg->initial_counter == UINT64_MAX || cfg->initial_epoch == UINT64_MAX)
        return CAPS_E_CONFIG;
    memset(e, 0, sizeof *e);
    e->cfg = *cfg;
    e->host = *host;
    e->role = CAPS_ROLE_IDLE;
    e->epoch = cfg->initial_epoch;
    e->counter = cfg->initial_counter;
    e->now_us = now_us;
    /* Listen three intervals before any claim, so every peer has been heard. */
    e->listen_until_us = now_us + (uint64_t)CAPS_ELECTION_DOWN_INTERVALS * cfg->advert_interval_us;
    e->vacancy_since_us = e->listen_until_us;
    e->vacancy_cause = CAPS_ELECT_CAUSE_START;
    e->pending_cause = CAPS_ELECT_CAUSE_CRASH;
    e->next_advert_us = now_us;
    return CAPS_OK;
}

void caps_election_receive(struct caps_election *e, uint64_t now_us, const uint8_t *payload,
                           size_t len)
{
    struct caps_advert a;
    int fresh;

    e->stats.received++;
    if (e->stopped)
        return;
    now_us = advance(e, now_us);
    /* Run what fell due before this advert arrived first, so a late tick
     * cannot reorder a timeout after the advert (and drops keep the
     * deadline ahead of the clock). */
    reconcile(e, now_us);
    send_if_due(e, now_us);
    if (caps_advert_parse(payload, len, &a) != CAPS_OK) {
        e->stats.dropped_malformed++;
        return;
    }
    if (memcmp(a.site_id, e->cfg.site_id, sizeof a.site_id) != 0) {
        e->stats.dropped_unknown_site++;
        return;
    }
    if (caps_advert_verify(payload, e->host.hmac_sha256, e->host.ctx) != CAPS_OK) {
        e->stats.dropped_bad_mac++;
        return;
    }
    if (a.agent_id == e->cfg.agent_id) {
        e->stats.dropped_own++;
        return;
    }
    struct caps_election_peer *p = peer_slot(e, a.agent_id, &fresh);
    if (!fresh && a.counter <= p->counter) {
        e->stats.dropped_old_counter++;
        return;
    }
    e->stats.accepted++;

    /* Why the leader we follow may be leaving: its own word beats a timeout. */
    if (e->has_leader && a.agent_id == e->leader_id) {
        if (a.priority == 0)
            e->pending_cause = CAPS_ELECT_CAUSE_STOP;
        else if (!a.eligible)
            e->pending_cause = CAPS_ELECT_CAUSE_OFF_PREMISES;
        else if (a.role != CAPS_ROLE_LEADER)
            e->pending_cause = CAPS_ELECT_CAUSE_FENCED;
        e->pending_since_us = now_us;
    }
    p->agent_id = a.agent_id;
    p->epoch = a.epoch;
    p->counter = a.counter;
    p->last_heard_us = now_us;
    p->advert_interval_us = a.advert_interval_us;
    p->role = a.role;
    p->priority = a.priority;
    p->eligible = a.eligible;
    p->live = a.priority > 0; /* priority 0: leaving; keep the counter only */

    if (e->role == CAPS_ROLE_LEADER && a.priority > 0) {
        int other_leads = a.role == CAPS_ROLE_LEADER && a.eligible;
        /* Fencing: a higher epoch from anyone means a newer leader was elected
         * (maybe beyond a healed partition); at equal epochs two leaders keep
         * the better ranked. The loser steps down at once. */
        if (a.epoch > e->epoch ||
            (other_leads && a.epoch == e->epoch &&
             rank_above(1, a.priority, a.agent_id, 1, e->cfg.priority, e->cfg.agent_id))) {
            e->epoch = a.epoch;
            expire_peers(e, now_us);
            set_role(e, self_best_non_leader(e) ? CAPS_ROLE_STANDBY : CAPS_ROLE_IDLE,
                     CAPS_ELECT_CAUSE_FENCED, now_us);
        } else if (other_leads) {
            e->next_advert_us = now_us; /* answer now: the weaker one steps down */
        }
    } else if (a.epoch > e->epoch) {
        e->epoch = a.epoch;
    }
    reconcile(e, now_us);
    send_if_due(e, now_us);
}

void caps_election_tick(struct caps_election *e, uint64_t now_us)
{
    if (e->stopped)
        return;
    now_us = advance(e, now_us);
    reconcile(e, now_us);
    send_if_due(e, now_us);
}

void caps_election_set_eligible(struct caps_election *e, int eligible, uint64_t now_us)
{
    if (e->stopped)
        return;
    now_us = advance(e, now_us);
    reconcile(e, now_us); /* what fell due before the change, as in receive */
    eligible = eligible != 0;
    if (eligible != e->eligible) {
        e->eligible = eligible;
        e->next_advert_us = now_us; /* peers re-rank at once */
        if (!eligible)
            set_role(e, CAPS_ROLE_IDLE, CAPS_ELECT_CAUSE_OFF_PREMISES, now_us);
        reconcile(e, now_us);
    }
    send_if_due(e, now_us);
}

void caps_election_stop(struct caps_election *e, uint64_t now_us)
{
    if (e->stopped)
        return;
    now_us = advance(e, now_us);
    /* RFC 5798 6.4.3: a master that shuts down sends priority 0, so the
     * backup takes over after its skew instead of the down interval. */
    emit(e, 0, now_us);
    e->stopped = 1;
    set_role(e, CAPS_ROLE_IDLE, CAPS_ELECT_CAUSE_STOP, now_us);
    e->eligible_heard = 0;
}

void caps_election_fence(struct caps_election *e, uint64_t epoch, uint64_t now_us)
{
    if (e->stopped)
        return;
    now_us = advance(e, now_us);
    reconcile(e, now_us); /* what fell due before the answer, as in receive */
    if (epoch <= e->epoch)
        return; /* an answer about an older term (or a confused cloud) */
    e->epoch = epoch;
    if (e->role == CAPS_ROLE_LEADER) {
        /* The cloud has a newer leader this agent has not heard (a partition,
         * lost adverts): listen as at start, so that leader is heard before
         * any claim (claim_at_us: now + 3 intervals + skew). */
        e->listen_until_us =
            now_us + (uint64_t)CAPS_ELECTION_DOWN_INTERVALS * e->cfg.advert_interval_us;
        set_role(e, CAPS_ROLE_STANDBY, CAPS_ELECT_CAUSE_FENCED, now_us);
    }
    e->next_advert_us = now_us; /* peers learn the epoch (and the step-down) at once */
    reconcile(e, now_us);
    send_if_due(e, now_us);
}

uint64_t caps_election_next_deadline_us(const struct caps_election *e)
{
    if (e->stopped)
        return UINT64_MAX;
    uint64_t now = e->now_us, next = e->next_advert_us;
    for (size_t i = 0; i < CAPS_PEERS_MAX; i++) {
        const struct caps_election_peer *p = &e->peers[i];
        if (p->agent_id != 0 && p->live && peer_expiry_us(p) < next)
            next = peer_expiry_us(p);
    }
    if (e->role != CAPS_ROLE_LEADER && self_candidate(e)) {
        /* Deadlines already passed wait for an event (a peer's expiry or
         * advert), which the list above covers: never return the past. */
        uint64_t claim_us = claim_at_us(e);
        if (!e->has_leader && claim_us > now && claim_us < next)
            next = claim_us;
        if (e->cfg.preempt && e->listen_until_us > now && e->listen_until_us < next)
            next = e->listen_until_us;
    }
    return next;
}

enum caps_role caps_election_role(const struct caps_election *e)
{
    return e->role;
}

uint64_t caps_election_epoch(const struct caps_election *e)
{
    return e->epoch;
}

int caps_election_may_report(const struct caps_election *e)
{
    return e->role == CAPS_ROLE_LEADER && e->eligible_heard >= e->cfg.min_peers;
}

int caps_election_may_sense(const struct caps_election *e)
{
    return e->role == CAPS_ROLE_LEADER || e->role == CAPS_ROLE_STANDBY;
}

unsigned caps_election_eligible_heard(const struct caps_election *e)
{
    return e->eligible_heard;
}
