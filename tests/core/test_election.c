/* test_election.c - the advert codec and the election state machine.
 *
 * Codec: golden samples field by field, re-encoding byte for byte, cuts at
 * every offset, one mutation per rule. State machine: one election fed by
 * hand (drops and their counters, the peer table bound), then a small
 * in-test network of N elections: every advert sent is delivered to every
 * connected agent with zero delay (the sender too: multicast loops back), and
 * time jumps to the earliest deadline. The host HMAC is OpenSSL's
 * HMAC-SHA256 under the test key of tests/samples/advert_samples.c.
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <check.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "caps/election.h"
#include "caps/error.h"
#include "sample.h"
#include "testutil.h"

extern const struct caps_sample_set caps_samples_advert;

static const char test_key[] = "caps-test-site-key-0001";
static const char wrong_key[] = "caps-test-site-key-0002";
static const uint8_t test_site[16] = {0x5a, 0x17, 0xe0, 0x01, 0xc0, 0xff, 0xee, 0x00,
                                      0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0};

/* Check records every ck_assert (a write per call): hot paths of the network
 * use this instead, which costs nothing until it fails. */
#define REQUIRE(cond, ...) do { if (!(cond)) ck_abort_msg(__VA_ARGS__); } while (0)

#define T0_US UINT64_C(1000000000000)  /* the network's start: any large clock value */
#define SEC_US UINT64_C(1000000)

static void hmac_with(const char *key, const uint8_t *msg, size_t len, uint8_t out[32])
{
    unsigned out_len = 32;
    const unsigned char *r = HMAC(EVP_sha256(), key, (int)strlen(key), msg, len, out, &out_len);
    REQUIRE(r != NULL && out_len == 32, "HMAC failed");
}

/* ctx is the key itself (for the codec tests). */
static void hmac_key_ctx(void *ctx, const uint8_t *msg, size_t len, uint8_t out[32])
{
    hmac_with(ctx, msg, len, out);
}

/* ---- codec ---------------------------------------------------------------- */

struct advert_expect {
    const char *name;
    uint8_t role, priority, eligible, has_ipv4;
    uint64_t agent_id, epoch, counter;
    uint32_t interval_us;
    uint16_t heard;
    uint8_t addr[16];
};

static const struct advert_expect expects[] = {
    {"leader_ipv4", CAPS_ROLE_LEADER, 200, 1, 1, 0xa0001, 7, 1718000000000000ull, 120000000u,
     3, {10, 1, 20, 31}},
    {"standby_ipv4", CAPS_ROLE_STANDBY, 100, 1, 1, 0xa0002, 7, 1718000000500123ull,
     120000000u, 3, {10, 1, 20, 32}},
    {"idle_ineligible_ipv6ll", CAPS_ROLE_IDLE, 100, 0, 0, 0x8f3e2d1c0b0a0908ull, 6, 42,
     120000000u, 0, {0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0x02, 0x1b, 0x21, 0xff, 0xfe, 0x3a, 0x4b, 0x5c}},
    {"leader_stopping_prio0", CAPS_ROLE_LEADER, 0, 1, 1, 0xa0001, 7, 1718000000000009ull,
     120000000u, 3, {10, 1, 20, 31}},
    {"fast_1ms_extremes", CAPS_ROLE_LEADER, 254, 1, 1, UINT64_MAX, UINT64_MAX - 1,
     UINT64_MAX - 1, 1000u, 20, {192, 168, 57, 2}},
};

#define EXPECT_COUNT (int)(sizeof expects / sizeof expects[0])

START_TEST(test_advert_table_complete)
{
    ck_assert_uint_eq(caps_samples_advert.count, (size_t)EXPECT_COUNT);
    for (int i = 0; i < EXPECT_COUNT; i++)
        (void)test_sample(&caps_samples_advert, expects[i].name);
}
END_TEST

/* Each sample parses to the expected fields, its MAC is OpenSSL's HMAC of
 * bytes 0..71, and encoding the parsed advert gives the same 104 bytes. */
START_TEST(test_advert_sample_fields)
{
    const struct advert_expect *x = &expects[_i];
    const struct caps_sample *s = test_sample(&caps_samples_advert, x->name);
    struct caps_advert a;
    uint8_t mac[32], buf[CAPS_ADVERT_BYTES + 8];

    ck_assert_uint_eq(s->len, CAPS_ADVERT_BYTES);
    int rc = caps_advert_parse(s->bytes, s->len, &a);
    ck_assert_msg(rc == 0, "%s: rc %d (%s)", x->name, rc, caps_strerror(rc));
    ck_assert_msg(a.role == x->role, "%s: role %u", x->name, a.role);
    ck_assert_msg(a.priority == x->priority, "%s: priority %u", x->name, a.priority);
    ck_assert_msg(a.eligible == x->eligible, "%s: eligible %u", x->name, a.eligible);
    ck_assert_msg(a.has_ipv4 == x->has_ipv4, "%s: has_ipv4 %u", x->name, a.has_ipv4);
    ck_assert_msg(memcmp(a.site_id, test_site, 16) == 0, "%s: site", x->name);
    ck_assert_msg(a.agent_id == x->agent_id, "%s: agent %" PRIx64, x->name, a.agent_id);
    ck_assert_msg(a.epoch == x->epoch, "%s: epoch %" PRIu64, x->name, a.epoch);
    ck_assert_msg(a.counter == x->counter, "%s: counter %" PRIu64, x->name, a.counter);
    ck_assert_msg(a.advert_interval_us == x->interval_us, "%s: interval %u", x->name,
                  (unsigned)a.advert_interval_us);
    ck_assert_msg(a.eligible_heard == x->heard, "%s: heard %u", x->name,
                  (unsigned)a.eligible_heard);
    ck_assert_msg(memcmp(a.addr, x->addr, 16) == 0, "%s: addr", x->name);
    hmac_with(test_key, s->bytes, CAPS_ADVERT_BODY_BYTES, mac);
    ck_assert_msg(memcmp(mac, s->bytes + 72, 32) == 0, "%s: MAC", x->name);
    ck_assert_msg(memcmp(a.mac, mac, 32) == 0, "%s: parsed MAC", x->name);
    ck_assert_int_eq(caps_advert_verify(s->bytes, hmac_key_ctx, (void *)test_key), 0);
    ck_assert_int_eq(caps_advert_verify(s->bytes, hmac_key_ctx, (void *)wrong_key),
                     CAPS_E_CHECKSUM);

    memset(buf, 0xee, sizeof buf);
    ck_assert_int_eq(caps_advert_encode(&a, hmac_key_ctx, (void *)test_key, buf, sizeof buf), 0);
    ck_assert_msg(memcmp(buf, s->bytes, CAPS_ADVERT_BYTES) == 0, "%s: re-encode", x->name);
    ck_assert_uint_eq(buf[CAPS_ADVERT_BYTES], 0xee); /* nothing written past 104 */
    memset(buf, 0, sizeof buf);
    ck_assert_int_eq(caps_advert_encode(&a, NULL, NULL, buf, CAPS_ADVERT_BYTES), 0);
    ck_assert_msg(memcmp(buf, s->bytes, CAPS_ADVERT_BYTES) == 0, "%s: copied MAC", x->name);
}
END_TEST

/* The byte layout of docs/election.md, offset by offset, from a hand-filled
 * struct: a moved or resized field fails here by name. */
struct layout_field {
    const char *name;
    size_t offset, len;
    uint8_t bytes[16];
};

static const struct layout_field layout[] = {
    {"magic", 0, 4, {'C', 'A', 'P', 'E'}},
    {"version", 4, 1, {1}},
    {"role", 5, 1, {2}},
    {"priority", 6, 1, {0xc8}},
    {"flags", 7, 1, {0x03}},
    {"site_id", 8, 16, {0x5a, 0x17, 0xe0, 0x01, 0xc0, 0xff, 0xee, 0x00, 0x12, 0x34, 0x56, 0x78,
                        0x9a, 0xbc, 0xde, 0xf0}},
    {"agent_id", 24, 8, {0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08}},
    {"epoch", 32, 8, {0, 0, 0, 0, 0, 0, 0x01, 0x02}},
    {"counter", 40, 8, {0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88}},
    {"interval_us", 48, 4, {0x00, 0x0f, 0x42, 0x40}},
    {"eligible_heard", 52, 2, {0x01, 0x02}},
    {"reserved", 54, 2, {0, 0}},
    {"addr", 56, 16, {192, 0, 2, 7}},
};

START_TEST(test_advert_layout)
{
    struct caps_advert a;
    uint8_t buf[CAPS_ADVERT_BYTES], mac[32];

    memset(&a, 0, sizeof a);
    a.role = CAPS_ROLE_LEADER;
    a.priority = 200;
    a.eligible = 1;
    a.has_ipv4 = 1;
    memcpy(a.site_id, test_site, 16);
    a.agent_id = 0x0102030405060708ull;
    a.epoch = 0x102;
    a.counter = 0x1122334455667788ull;
    a.advert_interval_us = 1000000;
    a.eligible_heard = 0x102;
    a.addr[0] = 192, a.addr[1] = 0, a.addr[2] = 2, a.addr[3] = 7;
    ck_assert_int_eq(caps_advert_encode(&a, hmac_key_ctx, (void *)test_key, buf, sizeof buf), 0);
    for (size_t i = 0; i < sizeof layout / sizeof layout[0]; i++)
        ck_assert_msg(memcmp(buf + layout[i].offset, layout[i].bytes, layout[i].len) == 0,
                      "field %s at %zu", layout[i].name, layout[i].offset);
    hmac_with(test_key, buf, 72, mac);
    ck_assert_msg(memcmp(buf + 72, mac, 32) == 0, "MAC at 72");
    /* flags: eligible only, and IPv6 link-local only */
    a.has_ipv4 = 0;
    memset(a.addr, 0, 16);
    a.addr[0] = 0xfe, a.addr[1] = 0xbf, a.addr[15] = 1; /* fe80::/10 upper edge */
    ck_assert_int_eq(caps_advert_encode(&a, hmac_key_ctx, (void *)test_key, buf, sizeof buf), 0);
    ck_assert_uint_eq(buf[7], 0x01);
    a.eligible = 0;
    ck_assert_int_eq(caps_advert_encode(&a, hmac_key_ctx, (void *)test_key, buf, sizeof buf), 0);
    ck_assert_uint_eq(buf[7], 0x00);
}
END_TEST

static int parse_advert(const uint8_t *buf, size_t len, void *out)
{
    return caps_advert_parse(buf, len, out);
}

/* Only the whole advert parses; every shorter prefix is "truncated" and the
 * heap copy of exactly that size catches any over-read. */
START_TEST(test_advert_cut_every_offset)
{
    const struct caps_sample *s = &caps_samples_advert.samples[_i];
    struct caps_advert a;

    ck_assert_uint_eq(test_cut_every_offset(s, parse_advert, &a, sizeof a), 1);
    for (size_t cut = 0; cut < s->len; cut++)
        ck_assert_msg(caps_advert_parse(s->bytes, cut, &a) == CAPS_E_TRUNCATED,
                      "%s cut at %zu", s->name, cut);
}
END_TEST

/* One broken rule per row: len bytes at offset set to value. */
struct mutation {
    const char *name;
    const char *sample;
    size_t offset, len;
    uint8_t value;
    int want;
};

static const struct mutation mutations[] = {
    {"magic", "leader_ipv4", 3, 1, 'S', CAPS_E_MAGIC},
    {"version_0", "leader_ipv4", 4, 1, 0, CAPS_E_VERSION},
    {"version_2", "leader_ipv4", 4, 1, 2, CAPS_E_VERSION},
    {"role_3", "leader_ipv4", 5, 1, 3, CAPS_E_FIELD},
    {"priority_255", "leader_ipv4", 6, 1, 255, CAPS_E_FIELD},
    {"flags_unknown_bit", "leader_ipv4", 7, 1, 0x07, CAPS_E_FIELD},
    {"flags_high_bit", "leader_ipv4", 7, 1, 0x83, CAPS_E_FIELD},
    {"agent_id_zero", "standby_ipv4", 24, 8, 0, CAPS_E_FIELD},
    {"interval_zero", "leader_ipv4", 48, 4, 0, CAPS_E_FIELD},
    {"interval_over_3600s", "leader_ipv4", 48, 1, 0xd7, CAPS_E_FIELD},
    {"reserved_hi", "leader_ipv4", 54, 1, 1, CAPS_E_FIELD},
    {"reserved_lo", "leader_ipv4", 55, 1, 1, CAPS_E_FIELD},
    {"ipv4_trailing_bytes", "leader_ipv4", 60, 1, 1, CAPS_E_FIELD},
    {"ipv4_last_addr_byte", "leader_ipv4", 71, 1, 1, CAPS_E_FIELD},
    {"ipv6_not_link_local", "idle_ineligible_ipv6ll", 57, 1, 0xc0, CAPS_E_FIELD},
    {"ipv6_global", "idle_ineligible_ipv6ll", 56, 1, 0x20, CAPS_E_FIELD},
    {"mac_byte", "leader_ipv4", 100, 1, 0, 0}, /* syntax fine: only verify fails */
    {"counter_byte", "leader_ipv4", 47, 1, 0x01, 0}, /* syntax fine: MAC now wrong */
};

#define MUTATION_COUNT (int)(sizeof mutations / sizeof mutations[0])

START_TEST(test_advert_mutations)
{
    const struct mutation *m = &mutations[_i];
    const struct caps_sample *s = test_sample(&caps_samples_advert, m->sample);
    uint8_t buf[CAPS_ADVERT_BYTES];
    struct caps_advert a;

    memcpy(buf, s->bytes, sizeof buf);
    memset(buf + m->offset, m->value, m->len);
    int rc = caps_advert_parse(buf, sizeof buf, &a);
    ck_assert_msg(rc == m->want, "%s: rc %d (%s), want %d", m->name, rc, caps_err_name(rc),
                  m->want);
    /* Whatever the syntax says, the MAC no longer matches. */
    ck_assert_msg(caps_advert_verify(buf, hmac_key_ctx, (void *)test_key) == CAPS_E_CHECKSUM,
                  "%s: MAC still verifies", m->name);
}
END_TEST

START_TEST(test_advert_length_and_bounds)
{
    const struct caps_sample *s = test_sample(&caps_samples_advert, "leader_ipv4");
    uint8_t buf[CAPS_ADVERT_BYTES + 1];
    struct caps_advert a, b;

    memcpy(buf, s->bytes, CAPS_ADVERT_BYTES);
    buf[CAPS_ADVERT_BYTES] = 0;
    ck_assert_int_eq(caps_advert_parse(buf, sizeof buf, &a), CAPS_E_LENGTH);
    /* interval 999 us and 3600 s exactly */
    buf[48] = 0, buf[49] = 0, buf[50] = 0x03, buf[51] = 0xe7;
    ck_assert_int_eq(caps_advert_parse(buf, CAPS_ADVERT_BYTES, &a), CAPS_E_FIELD);
    buf[48] = 0xd6, buf[49] = 0x93, buf[50] = 0xa4, buf[51] = 0x00;
    ck_assert_int_eq(caps_advert_parse(buf, CAPS_ADVERT_BYTES, &a), 0);
    ck_assert_uint_eq(a.advert_interval_us, 3600000000u);
    /* a magic that is wrong in its first byte fails even on 4 bytes */
    ck_assert_int_eq(caps_advert_parse((const uint8_t *)"XAPE", 4, &a), CAPS_E_MAGIC);
    ck_assert_int_eq(caps_advert_parse((const uint8_t *)"CAPE\x02", 5, &a), CAPS_E_VERSION);

    /* encode refuses what parse would refuse, and short buffers */
    ck_assert_int_eq(caps_advert_parse(s->bytes, s->len, &a), 0);
    ck_assert_int_eq(caps_advert_encode(&a, NULL, NULL, buf, CAPS_ADVERT_BYTES - 1),
                     CAPS_E_NOMEM);
    b = a, b.agent_id = 0;
    ck_assert_int_eq(caps_advert_encode(&b, NULL, NULL, buf, sizeof buf), CAPS_E_FIELD);
    b = a, b.priority = 255;
    ck_assert_int_eq(caps_advert_encode(&b, NULL, NULL, buf, sizeof buf), CAPS_E_FIELD);
    b = a, b.role = 3;
    ck_assert_int_eq(caps_advert_encode(&b, NULL, NULL, buf, sizeof buf), CAPS_E_FIELD);
    b = a, b.advert_interval_us = 999;
    ck_assert_int_eq(caps_advert_encode(&b, NULL, NULL, buf, sizeof buf), CAPS_E_FIELD);
    b = a, b.eligible = 2;
    ck_assert_int_eq(caps_advert_encode(&b, NULL, NULL, buf, sizeof buf), CAPS_E_FIELD);
    b = a, b.addr[5] = 1;
    ck_assert_int_eq(caps_advert_encode(&b, NULL, NULL, buf, sizeof buf), CAPS_E_FIELD);
    b = a, b.has_ipv4 = 0;
    ck_assert_int_eq(caps_advert_encode(&b, NULL, NULL, buf, sizeof buf), CAPS_E_FIELD);
}
END_TEST

START_TEST(test_election_names)
{
    static const char *const want[] = {"start", "crash", "stop", "off_premises", "partition",
                                       "lost_adverts", "preempt", "fenced", "rank"};
    ck_assert_int_eq(CAPS_ELECT_CAUSE_COUNT, 9);
    for (int i = 0; i < CAPS_ELECT_CAUSE_COUNT; i++)
        ck_assert_str_eq(caps_elect_cause_name(i), want[i]);
    ck_assert_str_eq(caps_elect_cause_name(-1), "unknown");
    ck_assert_str_eq(caps_elect_cause_name(CAPS_ELECT_CAUSE_COUNT), "unknown");
    ck_assert_str_eq(caps_role_name(CAPS_ROLE_IDLE), "idle");
    ck_assert_str_eq(caps_role_name(CAPS_ROLE_STANDBY), "standby");
    ck_assert_str_eq(caps_role_name(CAPS_ROLE_LEADER), "leader");
    ck_assert_str_eq(caps_role_name(3), "unknown");
    /* RFC 5798 6.1 skew: (256 - priority) * interval / 256 */
    ck_assert_uint_eq(caps_election_skew_us(255, 256), 1);
    ck_assert_uint_eq(caps_election_skew_us(200, 1000000), 218750);
    ck_assert_uint_eq(caps_election_skew_us(1, 3600000000u), 3585937500ull);
}
END_TEST

/* ---- the in-test network ---------------------------------------------------- */

#define NET_MAX 24
#define QUEUE_MAX 4096
#define EVENTS_MAX 16384

struct net;

struct agent {
    struct caps_election e;
    struct caps_election_config cfg;
    struct net *net;
    int idx;
    int up;              /* running (not crashed, not stopped) */
    int group;           /* partition group */
    int64_t skew_us;     /* local clock = network clock + skew */
    const char *key;     /* the site key its host holds */
    uint64_t last_sent_us;  /* network time of its latest advert */
    uint64_t epoch_max;     /* highest epoch ever reported: "persisted" */
    uint8_t last_advert[CAPS_ADVERT_BYTES];
};

struct msg {
    int from;
    uint8_t bytes[CAPS_ADVERT_BYTES];
};

struct role_event {
    uint64_t at_us;      /* network time */
    int agent;
    enum caps_role old_role, new_role;
    uint64_t epoch;
    int cause;
};

struct net {
    struct agent a[NET_MAX];
    int n;
    uint64_t now_us;
    int partitioned;
    struct msg q[QUEUE_MAX];
    size_t q_head, q_len;
    struct role_event ev[EVENTS_MAX];
    size_t n_ev;
    void (*check)(struct net *);  /* invariants after every step; may be NULL */
    uint64_t messages;
};

static uint64_t local_us(const struct agent *a)
{
    return (uint64_t)((int64_t)a->net->now_us + a->skew_us);
}

static void host_send(void *ctx, const uint8_t *payload, size_t len)
{
    struct agent *a = ctx;
    struct net *n = a->net;

    REQUIRE(len == CAPS_ADVERT_BYTES, "advert of %zu bytes", len);
    REQUIRE(n->q_len < QUEUE_MAX, "advert queue overflow");
    struct msg *m = &n->q[(n->q_head + n->q_len) % QUEUE_MAX];
    n->q_len++;
    m->from = a->idx;
    memcpy(m->bytes, payload, len);
    memcpy(a->last_advert, payload, len);
    a->last_sent_us = n->now_us;
}

static void host_hmac(void *ctx, const uint8_t *msg, size_t len, uint8_t out[32])
{
    const struct agent *a = ctx;
    hmac_with(a->key, msg, len, out);
}

static void host_on_role(void *ctx, enum caps_role old_role, enum caps_role new_role,
                         uint64_t epoch, int cause, uint64_t now_us)
{
    struct agent *a = ctx;
    struct net *n = a->net;

    REQUIRE(now_us == local_us(a), "on_role at %" PRIu64 ", local clock %" PRIu64, now_us,
            local_us(a));
    REQUIRE(old_role != new_role, "on_role without a change");
    REQUIRE(n->n_ev < EVENTS_MAX, "event log full");
    n->ev[n->n_ev++] = (struct role_event){n->now_us, a->idx, old_role, new_role, epoch, cause};
    if (epoch > a->epoch_max)
        a->epoch_max = epoch;
}

static const struct caps_election_host test_host = {NULL, host_send, host_hmac, host_on_role};

static struct caps_election_config make_cfg(uint64_t id, uint8_t prio, uint64_t interval_us)
{
    struct caps_election_config c;

    memset(&c, 0, sizeof c);
    c.agent_id = id;
    c.priority = prio;
    c.advert_interval_us = (uint32_t)interval_us;
    memcpy(c.site_id, test_site, 16);
    c.has_ipv4 = 1;
    c.ipv4[0] = 10, c.ipv4[1] = 1, c.ipv4[2] = 20, c.ipv4[3] = (uint8_t)id;
    return c;
}

static struct net *net_new(void)
{
    struct net *n = calloc(1, sizeof *n);
    ck_assert_ptr_nonnull(n);
    n->now_us = T0_US;
    return n;
}

/* Adds agent n->n with cfg, not started. */
static struct agent *net_add(struct net *n, struct caps_election_config cfg)
{
    ck_assert_int_lt(n->n, NET_MAX);
    struct agent *a = &n->a[n->n];
    a->idx = n->n++;
    a->net = n;
    a->cfg = cfg;
    a->key = test_key;
    return a;
}

static int connected(const struct net *n, int from, int to)
{
    return !n->partitioned || n->a[from].group == n->a[to].group;
}

/* Delivers every queued advert (and those sent in answer) with zero delay. */
static void net_flush(struct net *n)
{
    for (size_t guard = 0; n->q_len > 0; guard++) {
        REQUIRE(guard < 100000, "advert storm");
        struct msg m = n->q[n->q_head];
        n->q_head = (n->q_head + 1) % QUEUE_MAX;
        n->q_len--;
        n->messages++;
        for (int i = 0; i < n->n; i++) {
            struct agent *a = &n->a[i];
            if (a->up && connected(n, m.from, i))
                caps_election_receive(&a->e, local_us(a), m.bytes, sizeof m.bytes);
        }
    }
}

/* Boots agent i now: counter from its local clock, epoch as persisted. */
static void net_start(struct net *n, int i)
{
    struct agent *a = &n->a[i];
    struct caps_election_host h = test_host;

    h.ctx = a;
    a->cfg.initial_counter = local_us(a);
    a->cfg.initial_epoch = a->epoch_max;
    ck_assert_int_eq(caps_election_init(&a->e, &a->cfg, &h, local_us(a)), 0);
    a->up = 1;
    caps_election_set_eligible(&a->e, 1, local_us(a));
    net_flush(n);
}

static void net_crash(struct net *n, int i)
{
    struct agent *a = &n->a[i];
    if (caps_election_epoch(&a->e) > a->epoch_max)
        a->epoch_max = caps_election_epoch(&a->e);
    a->up = 0;
}

static void net_stop(struct net *n, int i)
{
    struct agent *a = &n->a[i];
    caps_election_stop(&a->e, local_us(a));
    net_flush(n);
    net_crash(n, i);
}

static void net_set_eligible(struct net *n, int i, int eligible)
{
    caps_election_set_eligible(&n->a[i].e, eligible, local_us(&n->a[i]));
    net_flush(n);
}

static uint64_t agent_deadline(const struct agent *a)
{
    uint64_t d = caps_election_next_deadline_us(&a->e);
    if (d == UINT64_MAX)
        return UINT64_MAX;
    return (uint64_t)((int64_t)d - a->skew_us);
}

/* Runs the network to end_us: jump to the earliest deadline, tick every agent
 * due, deliver, check, repeat. */
static void net_run(struct net *n, uint64_t end_us)
{
    uint64_t last = 0;
    unsigned same = 0;

    for (;;) {
        uint64_t next = UINT64_MAX;
        for (int i = 0; i < n->n; i++)
            if (n->a[i].up && agent_deadline(&n->a[i]) < next)
                next = agent_deadline(&n->a[i]);
        if (next > end_us)
            break;
        REQUIRE(next >= n->now_us, "deadline %" PRIu64 " in the past (now %" PRIu64 ")",
                      next, n->now_us);
        same = next == last ? same + 1 : 0;
        REQUIRE(same < 64, "deadline %" PRIu64 " never advances", next);
        last = next;
        n->now_us = next;
        for (int i = 0; i < n->n; i++)
            if (n->a[i].up && agent_deadline(&n->a[i]) <= next)
                caps_election_tick(&n->a[i].e, local_us(&n->a[i]));
        net_flush(n);
        if (n->check)
            n->check(n);
    }
    n->now_us = end_us;
}

/* Index of the one leader among running agents of group g (-1: every
 * group), -1 when none, -2 when several. */
static int net_leader(const struct net *n, int g)
{
    int found = -1;
    for (int i = 0; i < n->n; i++) {
        if (!n->a[i].up || (g >= 0 && n->a[i].group != g) ||
            caps_election_role(&n->a[i].e) != CAPS_ROLE_LEADER)
            continue;
        if (found != -1)
            return -2;
        found = i;
    }
    return found;
}

static int net_count_role(const struct net *n, enum caps_role r)
{
    int c = 0;
    for (int i = 0; i < n->n; i++)
        c += n->a[i].up && caps_election_role(&n->a[i].e) == r;
    return c;
}

/* The latest event where agent i became `role` (NULL: none since from). */
static const struct role_event *last_event(const struct net *n, int i, enum caps_role role,
                                           size_t from)
{
    const struct role_event *found = NULL;
    for (size_t k = from; k < n->n_ev; k++)
        if (n->ev[k].agent == i && n->ev[k].new_role == role)
            found = &n->ev[k];
    return found;
}

#define I1 SEC_US   /* the 1 s "fast failover" interval of most network tests */

/* Two agents: the better leads after listening, the other stands by; the
 * leader crashes and the standby leads exactly 3 intervals + its skew after
 * the last advert it heard, with the epoch one higher. */
START_TEST(test_net_two_crash)
{
    struct net *n = net_new();
    net_add(n, make_cfg(1, 200, I1));
    net_add(n, make_cfg(2, 100, I1));
    net_start(n, 0);
    net_start(n, 1);
    net_run(n, T0_US + 10 * I1);

    const struct role_event *ev = last_event(n, 0, CAPS_ROLE_LEADER, 0);
    ck_assert_ptr_nonnull(ev);
    ck_assert_uint_eq(ev->at_us, T0_US + 3 * I1 + caps_election_skew_us(200, I1));
    ck_assert_int_eq(ev->cause, CAPS_ELECT_CAUSE_START);
    ck_assert_uint_eq(ev->epoch, 1);
    ck_assert_int_eq(caps_election_role(&n->a[1].e), CAPS_ROLE_STANDBY);
    ck_assert_int_eq(caps_election_may_report(&n->a[0].e), 1);
    ck_assert_int_eq(caps_election_may_sense(&n->a[1].e), 1);
    ck_assert_int_eq(caps_election_may_report(&n->a[1].e), 0);
    ck_assert_uint_eq(caps_election_eligible_heard(&n->a[1].e), 2);
    ck_assert_uint_gt(n->a[0].e.stats.dropped_own, 0); /* multicast loopback */

    size_t mark = n->n_ev;
    net_crash(n, 0);
    uint64_t last = n->a[0].last_sent_us;
    net_run(n, T0_US + 30 * I1);
    ev = last_event(n, 1, CAPS_ROLE_LEADER, mark);
    ck_assert_ptr_nonnull(ev);
    ck_assert_uint_eq(ev->at_us, last + 3 * I1 + caps_election_skew_us(100, I1));
    ck_assert_int_eq(ev->cause, CAPS_ELECT_CAUSE_CRASH);
    ck_assert_uint_eq(ev->epoch, 2);
    ck_assert_uint_eq(caps_election_epoch(&n->a[1].e), 2);
    ck_assert_uint_eq(n->a[1].e.stats.takeovers, 1);
    ck_assert_uint_eq(n->a[1].e.stats.peers_expired, 1);

    /* The crashed agent reboots: it hears the leader and stands by. */
    mark = n->n_ev;
    net_start(n, 0);
    net_run(n, T0_US + 60 * I1);
    ck_assert_int_eq(net_leader(n, -1), 1);
    ck_assert_int_eq(caps_election_role(&n->a[0].e), CAPS_ROLE_STANDBY);
    ck_assert_ptr_null(last_event(n, 0, CAPS_ROLE_LEADER, mark));
    ck_assert_uint_eq(caps_election_epoch(&n->a[0].e), 2);
    free(n);
}
END_TEST

/* The same at the reference interval: 120 s, failover within 6 minutes. */
START_TEST(test_net_reference_interval)
{
    const uint64_t iv = CAPS_ADVERT_INTERVAL_US_DEFAULT;
    struct net *n = net_new();
    net_add(n, make_cfg(1, 200, iv));
    net_add(n, make_cfg(2, 100, iv));
    net_start(n, 0);
    net_start(n, 1);
    net_run(n, T0_US + 10 * iv);
    ck_assert_int_eq(net_leader(n, -1), 0);
    net_crash(n, 0);
    uint64_t last = n->a[0].last_sent_us;
    net_run(n, T0_US + 20 * iv);
    const struct role_event *ev = last_event(n, 1, CAPS_ROLE_LEADER, 0);
    ck_assert_ptr_nonnull(ev);
    ck_assert_uint_eq(ev->at_us, last + 3 * iv + caps_election_skew_us(100, (uint32_t)iv));
    ck_assert_uint_lt(ev->at_us - last, 4 * iv); /* 3 intervals + skew 73 s */
    ck_assert_uint_le(n->messages, 2 * 20 + 10); /* one advert per interval, few extra */
    free(n);
}
END_TEST

/* Three agents: the leader stops cleanly (priority 0); the standby leads
 * exactly one skew later and the third becomes standby. */
START_TEST(test_net_three_stop)
{
    struct net *n = net_new();
    net_add(n, make_cfg(1, 200, I1));
    net_add(n, make_cfg(2, 150, I1));
    net_add(n, make_cfg(3, 100, I1));
    for (int i = 0; i < 3; i++)
        net_start(n, i);
    net_run(n, T0_US + 10 * I1 + 123);
    ck_assert_int_eq(net_leader(n, -1), 0);
    ck_assert_int_eq(caps_election_role(&n->a[1].e), CAPS_ROLE_STANDBY);
    ck_assert_int_eq(caps_election_role(&n->a[2].e), CAPS_ROLE_IDLE);
    ck_assert_int_eq(caps_election_may_sense(&n->a[2].e), 0);

    size_t mark = n->n_ev;
    uint64_t t_stop = n->now_us;
    net_stop(n, 0);
    ck_assert_int_eq(caps_election_role(&n->a[0].e), CAPS_ROLE_IDLE);
    ck_assert_uint_eq(caps_election_next_deadline_us(&n->a[0].e), UINT64_MAX);
    net_run(n, T0_US + 20 * I1);
    const struct role_event *ev = last_event(n, 1, CAPS_ROLE_LEADER, mark);
    ck_assert_ptr_nonnull(ev);
    ck_assert_uint_eq(ev->at_us, t_stop + caps_election_skew_us(150, I1));
    ck_assert_int_eq(ev->cause, CAPS_ELECT_CAUSE_STOP);
    ck_assert_uint_eq(ev->epoch, 2);
    ck_assert_int_eq(caps_election_role(&n->a[2].e), CAPS_ROLE_STANDBY);
    ev = last_event(n, 0, CAPS_ROLE_IDLE, mark);
    ck_assert_ptr_nonnull(ev);
    ck_assert_int_eq(ev->cause, CAPS_ELECT_CAUSE_STOP);
    ck_assert_uint_eq(n->a[0].e.stats.stepdowns, 1);
    free(n);
}
END_TEST

/* The leader leaves the premises: it steps down at once, the standby leads
 * one skew later; back on premises it waits as standby (no preemption). */
START_TEST(test_net_off_premises)
{
    struct net *n = net_new();
    net_add(n, make_cfg(1, 200, I1));
    net_add(n, make_cfg(2, 150, I1));
    net_add(n, make_cfg(3, 100, I1));
    for (int i = 0; i < 3; i++)
        net_start(n, i);
    net_run(n, T0_US + 10 * I1 + 777);
    ck_assert_int_eq(net_leader(n, -1), 0);

    size_t mark = n->n_ev;
    uint64_t t_off = n->now_us;
    net_set_eligible(n, 0, 0);
    ck_assert_int_eq(caps_election_role(&n->a[0].e), CAPS_ROLE_IDLE);
    const struct role_event *ev = last_event(n, 0, CAPS_ROLE_IDLE, mark);
    ck_assert_ptr_nonnull(ev);
    ck_assert_int_eq(ev->cause, CAPS_ELECT_CAUSE_OFF_PREMISES);
    net_run(n, T0_US + 20 * I1);
    ev = last_event(n, 1, CAPS_ROLE_LEADER, mark);
    ck_assert_ptr_nonnull(ev);
    ck_assert_uint_eq(ev->at_us, t_off + caps_election_skew_us(150, I1));
    ck_assert_int_eq(ev->cause, CAPS_ELECT_CAUSE_OFF_PREMISES);
    ck_assert_int_eq(caps_election_role(&n->a[2].e), CAPS_ROLE_STANDBY);
    ck_assert_uint_eq(caps_election_eligible_heard(&n->a[1].e), 2);

    /* back on premises: better ranked than the leader, but no preemption */
    net_set_eligible(n, 0, 1);
    net_run(n, T0_US + 60 * I1);
    ck_assert_int_eq(net_leader(n, -1), 1);
    ck_assert_int_eq(caps_election_role(&n->a[0].e), CAPS_ROLE_STANDBY);
    ck_assert_int_eq(caps_election_role(&n->a[2].e), CAPS_ROLE_IDLE);
    ck_assert_uint_eq(caps_election_eligible_heard(&n->a[1].e), 3);
    free(n);
}
END_TEST

/* A better agent joins a running pair: without preemption it waits as
 * standby; with preemption it leads once it has listened 3 intervals, with a
 * new epoch, and the old leader is fenced. _i: 0 off, 1 on. */
START_TEST(test_net_join_better)
{
    int preempt = _i;
    struct net *n = net_new();
    net_add(n, make_cfg(2, 150, I1));
    net_add(n, make_cfg(3, 100, I1));
    net_add(n, make_cfg(1, 200, I1));
    for (int i = 0; i < 3; i++)
        n->a[i].cfg.preempt = preempt;
    net_start(n, 0);
    net_start(n, 1);
    net_run(n, T0_US + 10 * I1 + 5);
    ck_assert_int_eq(net_leader(n, -1), 0);
    ck_assert_uint_eq(caps_election_epoch(&n->a[0].e), 1);

    size_t mark = n->n_ev;
    uint64_t t_join = n->now_us;
    net_start(n, 2);
    net_run(n, T0_US + 40 * I1);
    if (!preempt) {
        ck_assert_int_eq(net_leader(n, -1), 0);
        ck_assert_int_eq(caps_election_role(&n->a[2].e), CAPS_ROLE_STANDBY);
        ck_assert_int_eq(caps_election_role(&n->a[1].e), CAPS_ROLE_IDLE);
        ck_assert_uint_eq(caps_election_epoch(&n->a[2].e), 1);
        ck_assert_ptr_null(last_event(n, 2, CAPS_ROLE_LEADER, mark));
    } else {
        ck_assert_int_eq(net_leader(n, -1), 2);
        const struct role_event *ev = last_event(n, 2, CAPS_ROLE_LEADER, mark);
        ck_assert_ptr_nonnull(ev);
        ck_assert_uint_eq(ev->at_us, t_join + 3 * I1);
        ck_assert_int_eq(ev->cause, CAPS_ELECT_CAUSE_PREEMPT);
        ck_assert_uint_eq(ev->epoch, 2);
        ev = last_event(n, 0, CAPS_ROLE_STANDBY, mark);
        ck_assert_ptr_nonnull(ev);
        ck_assert_int_eq(ev->old_role, CAPS_ROLE_LEADER);
        ck_assert_int_eq(ev->cause, CAPS_ELECT_CAUSE_FENCED);
        ck_assert_uint_eq(ev->at_us, t_join + 3 * I1); /* at once: zero delay */
        ck_assert_int_eq(caps_election_role(&n->a[1].e), CAPS_ROLE_IDLE);
    }
    free(n);
}
END_TEST

/* The min-peers gate: the leader of two never reports when three are
 * required, and reports as soon as a third eligible agent is heard. */
static void check_no_report(struct net *n)
{
    for (int i = 0; i < n->n; i++)
        REQUIRE(!caps_election_may_report(&n->a[i].e), "agent %d reports", i);
}

START_TEST(test_net_min_peers)
{
    struct net *n = net_new();
    for (int i = 0; i < 3; i++) {
        struct agent *a = net_add(n, make_cfg((uint64_t)i + 1, (uint8_t)(200 - 50 * i), I1));
        a->cfg.min_peers = 3;
    }
    net_start(n, 0);
    net_start(n, 1);
    n->check = check_no_report;
    net_run(n, T0_US + 50 * I1);
    ck_assert_int_eq(net_leader(n, -1), 0);
    ck_assert_uint_eq(caps_election_eligible_heard(&n->a[0].e), 2);
    n->check = NULL;

    net_start(n, 2);
    ck_assert_int_eq(caps_election_may_report(&n->a[0].e), 1); /* its first advert: at once */
    ck_assert_uint_eq(caps_election_eligible_heard(&n->a[0].e), 3);
    net_run(n, T0_US + 60 * I1);
    ck_assert_int_eq(caps_election_may_report(&n->a[0].e), 1);
    /* one peer leaves: the gate closes again after its expiry */
    net_set_eligible(n, 2, 0);
    ck_assert_int_eq(caps_election_may_report(&n->a[0].e), 0);
    ck_assert_int_eq(net_leader(n, -1), 0);
    free(n);
}
END_TEST

/* A partition splits {0,1} from {2,3}: the second group elects its own
 * leader with a higher epoch; when the partition heals, the leader with the
 * lower epoch is fenced within one advert interval. */
START_TEST(test_net_partition_heal)
{
    struct net *n = net_new();
    static const uint8_t prio[4] = {200, 150, 100, 50};
    for (int i = 0; i < 4; i++) {
        struct agent *a = net_add(n, make_cfg((uint64_t)i + 1, prio[i], I1));
        a->group = i / 2;
    }
    for (int i = 0; i < 4; i++)
        net_start(n, i);
    net_run(n, T0_US + 10 * I1 + 333);
    ck_assert_int_eq(net_leader(n, -1), 0);

    n->partitioned = 1;
    net_run(n, T0_US + 30 * I1 + 333);
    ck_assert_int_eq(net_leader(n, 0), 0);
    ck_assert_int_eq(net_leader(n, 1), 2);
    ck_assert_uint_eq(caps_election_epoch(&n->a[0].e), 1);
    ck_assert_uint_eq(caps_election_epoch(&n->a[2].e), 2);
    ck_assert_int_eq(caps_election_role(&n->a[1].e), CAPS_ROLE_STANDBY);
    ck_assert_int_eq(caps_election_role(&n->a[3].e), CAPS_ROLE_STANDBY);

    size_t mark = n->n_ev;
    uint64_t t_heal = n->now_us;
    n->partitioned = 0;
    net_run(n, t_heal + I1);
    ck_assert_int_eq(net_leader(n, -1), 2);
    const struct role_event *ev = last_event(n, 0, CAPS_ROLE_STANDBY, mark);
    ck_assert_ptr_nonnull(ev);
    ck_assert_int_eq(ev->cause, CAPS_ELECT_CAUSE_FENCED);
    ck_assert_uint_le(ev->at_us, t_heal + I1);
    for (int i = 0; i < 4; i++)
        ck_assert_uint_eq(caps_election_epoch(&n->a[i].e), 2);
    net_run(n, t_heal + 20 * I1);
    ck_assert_int_eq(net_leader(n, -1), 2);
    ck_assert_int_eq(net_count_role(n, CAPS_ROLE_STANDBY), 1);
    ck_assert_int_eq(caps_election_role(&n->a[0].e), CAPS_ROLE_STANDBY);
    free(n);
}
END_TEST

/* A heal where the newer leader died during the partition: the old leader
 * hears a higher epoch from an idle agent, steps down, and the seat is
 * refilled with an epoch above every one seen, so the cloud's fence holds. */
START_TEST(test_net_heal_newer_leader_gone)
{
    struct net *n = net_new();
    static const uint8_t prio[4] = {200, 150, 100, 50};
    for (int i = 0; i < 4; i++) {
        struct agent *a = net_add(n, make_cfg((uint64_t)i + 1, prio[i], I1));
        a->group = i / 2;
    }
    for (int i = 0; i < 4; i++)
        net_start(n, i);
    net_run(n, T0_US + 10 * I1);
    n->partitioned = 1;
    net_run(n, T0_US + 30 * I1);
    ck_assert_int_eq(net_leader(n, 1), 2);
    net_crash(n, 2);
    net_run(n, T0_US + 50 * I1);
    ck_assert_int_eq(net_leader(n, 1), 3);
    ck_assert_uint_eq(caps_election_epoch(&n->a[3].e), 3);
    net_crash(n, 3);
    net_start(n, 2); /* rejoins alone: it knew epoch 2 only, so it leads at 3 */
    net_run(n, T0_US + 70 * I1);
    ck_assert_int_eq(net_leader(n, 1), 2);
    ck_assert_uint_eq(caps_election_epoch(&n->a[2].e), 3);

    n->partitioned = 0;
    net_run(n, T0_US + 71 * I1);
    ck_assert_int_eq(net_leader(n, -1), 2);
    ck_assert_uint_eq(caps_election_epoch(&n->a[0].e), 3);
    net_run(n, T0_US + 100 * I1);
    ck_assert_int_eq(net_leader(n, -1), 2);
    ck_assert_int_eq(caps_election_role(&n->a[0].e), CAPS_ROLE_STANDBY);
    /* agent 2 gone: its followers re-elect above every epoch seen */
    net_crash(n, 2);
    net_run(n, T0_US + 130 * I1);
    ck_assert_int_eq(net_leader(n, -1), 0);
    ck_assert_uint_eq(caps_election_epoch(&n->a[0].e), 4);
    free(n);
}
END_TEST

/* The newer leader died and only an ineligible agent of its side remains:
 * after the heal, the old leader hears the higher epoch from that idle agent,
 * steps down (fenced) and the seat is refilled one skew later above it. */
START_TEST(test_net_heal_idle_higher_epoch)
{
    struct net *n = net_new();
    static const uint8_t prio[4] = {200, 150, 100, 50};
    for (int i = 0; i < 4; i++) {
        struct agent *a = net_add(n, make_cfg((uint64_t)i + 1, prio[i], I1));
        a->group = i / 2;
    }
    for (int i = 0; i < 4; i++)
        net_start(n, i);
    net_run(n, T0_US + 10 * I1);
    n->partitioned = 1;
    net_run(n, T0_US + 30 * I1);
    ck_assert_int_eq(net_leader(n, 1), 2);
    net_set_eligible(n, 3, 0);
    net_crash(n, 2);
    net_run(n, T0_US + 50 * I1 + 17);
    ck_assert_int_eq(net_leader(n, 1), -1);
    ck_assert_uint_eq(caps_election_epoch(&n->a[3].e), 2);

    size_t mark = n->n_ev;
    uint64_t t_heal = n->now_us;
    n->partitioned = 0;
    net_run(n, t_heal + 20 * I1);
    const struct role_event *down = last_event(n, 0, CAPS_ROLE_STANDBY, mark);
    const struct role_event *up = last_event(n, 0, CAPS_ROLE_LEADER, mark);
    ck_assert_ptr_nonnull(down);
    ck_assert_ptr_nonnull(up);
    ck_assert_int_eq(down->cause, CAPS_ELECT_CAUSE_FENCED);
    ck_assert_uint_le(down->at_us, t_heal + I1);
    ck_assert_uint_eq(up->at_us, down->at_us + caps_election_skew_us(200, I1));
    ck_assert_int_eq(up->cause, CAPS_ELECT_CAUSE_FENCED);
    ck_assert_uint_eq(up->epoch, 3);
    ck_assert_int_eq(net_leader(n, -1), 0);
    ck_assert_int_eq(caps_election_role(&n->a[1].e), CAPS_ROLE_STANDBY);
    free(n);
}
END_TEST

/* Forged adverts (another key, a copied MAC over changed bytes, a foreign
 * site) and replays (an old advert of the leader, even after it is gone)
 * change nothing but the drop counters. */
START_TEST(test_net_forged_and_replayed)
{
    struct net *n = net_new();
    net_add(n, make_cfg(1, 200, I1));
    net_add(n, make_cfg(2, 150, I1));
    net_add(n, make_cfg(3, 100, I1));
    for (int i = 0; i < 3; i++)
        net_start(n, i);
    net_run(n, T0_US + 10 * I1 + 1);
    ck_assert_int_eq(net_leader(n, -1), 0);
    uint8_t old_leader_advert[CAPS_ADVERT_BYTES];
    memcpy(old_leader_advert, n->a[0].last_advert, sizeof old_leader_advert);
    net_run(n, T0_US + 15 * I1 + 1);

    /* an intruder claims the lead: best priority, huge epoch */
    struct caps_advert f;
    uint8_t buf[CAPS_ADVERT_BYTES];
    memset(&f, 0, sizeof f);
    f.role = CAPS_ROLE_LEADER;
    f.priority = 254;
    f.eligible = 1;
    f.has_ipv4 = 1;
    memcpy(f.site_id, test_site, 16);
    f.agent_id = 99;
    f.epoch = 1000;
    f.counter = UINT64_MAX - 1;
    f.advert_interval_us = (uint32_t)I1;
    f.addr[0] = 10;
    ck_assert_int_eq(caps_advert_encode(&f, hmac_key_ctx, (void *)wrong_key, buf, sizeof buf), 0);
    struct caps_election_stats before[3];
    for (int i = 0; i < 3; i++)
        before[i] = n->a[i].e.stats;
    for (int i = 0; i < 3; i++)
        caps_election_receive(&n->a[i].e, local_us(&n->a[i]), buf, sizeof buf);
    /* the leader's own advert, epoch changed, MAC kept */
    memcpy(buf, n->a[0].last_advert, sizeof buf);
    buf[39] = 0x7f;
    for (int i = 1; i < 3; i++)
        caps_election_receive(&n->a[i].e, local_us(&n->a[i]), buf, sizeof buf);
    /* a valid advert of another site */
    f.site_id[0] ^= 1;
    ck_assert_int_eq(caps_advert_encode(&f, hmac_key_ctx, (void *)test_key, buf, sizeof buf), 0);
    for (int i = 0; i < 3; i++)
        caps_election_receive(&n->a[i].e, local_us(&n->a[i]), buf, sizeof buf);
    /* a replay of the leader's advert of 5 s ago, and of its latest */
    for (int i = 1; i < 3; i++) {
        caps_election_receive(&n->a[i].e, local_us(&n->a[i]), old_leader_advert,
                              sizeof old_leader_advert);
        caps_election_receive(&n->a[i].e, local_us(&n->a[i]), n->a[0].last_advert,
                              CAPS_ADVERT_BYTES);
    }
    /* garbage */
    caps_election_receive(&n->a[1].e, local_us(&n->a[1]), buf, 50);
    net_flush(n);
    for (int i = 0; i < 3; i++) {
        const struct caps_election_stats *s = &n->a[i].e.stats, *b = &before[i];
        ck_assert_uint_eq(s->dropped_bad_mac - b->dropped_bad_mac, i == 0 ? 1 : 2);
        ck_assert_uint_eq(s->dropped_unknown_site - b->dropped_unknown_site, 1);
        ck_assert_uint_eq(s->dropped_old_counter - b->dropped_old_counter, i == 0 ? 0 : 2);
        ck_assert_uint_eq(s->dropped_malformed - b->dropped_malformed, i == 1 ? 1 : 0);
        ck_assert_uint_eq(s->accepted, b->accepted);
        ck_assert_uint_eq(caps_election_epoch(&n->a[i].e), 1);
    }
    ck_assert_int_eq(net_leader(n, -1), 0);
    ck_assert_int_eq(caps_election_role(&n->a[1].e), CAPS_ROLE_STANDBY);
    for (int i = 0; i < 3; i++)
        for (int k = 0; k < CAPS_PEERS_MAX; k++)
            ck_assert_uint_ne(n->a[i].e.peers[k].agent_id, 99);

    /* the leader crashes; once the standby leads, a replay of the dead
     * leader's last advert is still old: the counter outlives the peer */
    net_crash(n, 0);
    net_run(n, T0_US + 30 * I1);
    ck_assert_int_eq(net_leader(n, -1), 1);
    uint64_t old = n->a[1].e.stats.dropped_old_counter;
    caps_election_receive(&n->a[1].e, local_us(&n->a[1]), n->a[0].last_advert,
                          CAPS_ADVERT_BYTES);
    net_flush(n);
    ck_assert_uint_eq(n->a[1].e.stats.dropped_old_counter, old + 1);
    ck_assert_int_eq(net_leader(n, -1), 1);
    ck_assert_uint_eq(caps_election_epoch(&n->a[1].e), 2);
    free(n);
}
END_TEST

/* Agents whose clocks disagree by seconds (more than an interval) still
 * agree on one leader, before and after a crash. */
static void check_one_leader_after_start(struct net *n)
{
    if (n->now_us >= T0_US + 4 * I1)
        REQUIRE(net_leader(n, -1) >= -1, "two leaders at %" PRIu64, n->now_us);
}

START_TEST(test_net_clock_skew)
{
    static const int64_t skew[4] = {0, 1700000, -2300000, 12345678901};
    struct net *n = net_new();
    for (int i = 0; i < 4; i++) {
        struct agent *a = net_add(n, make_cfg((uint64_t)i + 1, 100, I1)); /* equal: tie-break */
        a->skew_us = skew[i];
    }
    for (int i = 0; i < 4; i++)
        net_start(n, i);
    n->check = check_one_leader_after_start;
    net_run(n, T0_US + 10 * I1);
    ck_assert_int_eq(net_leader(n, -1), 0); /* lowest id wins the tie */
    ck_assert_int_eq(caps_election_role(&n->a[1].e), CAPS_ROLE_STANDBY);
    net_crash(n, 0);
    net_run(n, T0_US + 20 * I1);
    ck_assert_int_eq(net_leader(n, -1), 1);
    ck_assert_int_eq(caps_election_role(&n->a[2].e), CAPS_ROLE_STANDBY);
    ck_assert_int_eq(caps_election_role(&n->a[3].e), CAPS_ROLE_IDLE);
    free(n);
}
END_TEST

/* ---- 20 agents, random crashes, restarts, stops and trips off premises --- */

#ifndef CHAOS_RUNS
#define CHAOS_RUNS 4 /* seeds; even ones without preemption, odd ones with */
#endif

struct chaos {
    uint64_t last_change_us;    /* the latest injected fault */
    uint64_t multi_since_us;    /* since when two leaders coexist, 0: not */
    uint64_t epoch_seen[NET_MAX];
    uint64_t leader_epoch_max;  /* the highest epoch any takeover used */
    size_t ev_checked;
    int eligible[NET_MAX];
    uint64_t seed;
};

static struct chaos chaos;

static void chaos_check(struct net *n)
{
    uint64_t settle_us = 6 * I1; /* 3 intervals + the largest skew + slack */

    for (int i = 0; i < n->n; i++) {
        uint64_t ep = caps_election_epoch(&n->a[i].e);
        REQUIRE(ep >= chaos.epoch_seen[i], "seed %" PRIu64 ": agent %d epoch fell %" PRIu64
                      " -> %" PRIu64, chaos.seed, i, chaos.epoch_seen[i], ep);
        chaos.epoch_seen[i] = ep;
    }
    /* every takeover uses an epoch above every earlier one */
    for (; chaos.ev_checked < n->n_ev; chaos.ev_checked++) {
        const struct role_event *ev = &n->ev[chaos.ev_checked];
        if (ev->new_role != CAPS_ROLE_LEADER)
            continue;
        REQUIRE(ev->epoch > chaos.leader_epoch_max,
                      "seed %" PRIu64 ": takeover at epoch %" PRIu64 " after %" PRIu64,
                      chaos.seed, ev->epoch, chaos.leader_epoch_max);
        chaos.leader_epoch_max = ev->epoch;
    }
    int leaders = 0, standbys = 0, eligible_up = 0;
    for (int i = 0; i < n->n; i++) {
        if (!n->a[i].up)
            continue;
        eligible_up += chaos.eligible[i];
        leaders += caps_election_role(&n->a[i].e) == CAPS_ROLE_LEADER;
        standbys += caps_election_role(&n->a[i].e) == CAPS_ROLE_STANDBY;
        REQUIRE(chaos.eligible[i] || caps_election_role(&n->a[i].e) == CAPS_ROLE_IDLE,
                "seed %" PRIu64 ": ineligible agent %d has a role", chaos.seed, i);
    }
    if (leaders > 1) {
        if (chaos.multi_since_us == 0)
            chaos.multi_since_us = n->now_us;
        REQUIRE(n->now_us - chaos.multi_since_us <= I1,
                      "seed %" PRIu64 ": %d leaders for more than one interval", chaos.seed,
                      leaders);
    } else {
        chaos.multi_since_us = 0;
    }
    if (n->now_us - chaos.last_change_us < settle_us)
        return;
    if (eligible_up >= 1)
        REQUIRE(leaders == 1, "seed %" PRIu64 ": %d leaders among %d eligible at %" PRIu64,
                      chaos.seed, leaders, eligible_up, n->now_us - T0_US);
    if (eligible_up >= 2)
        REQUIRE(standbys >= 1, "seed %" PRIu64 ": no standby among %d eligible at %" PRIu64,
                      chaos.seed, eligible_up, n->now_us - T0_US);
}

static uint64_t rng_next(uint64_t *s)
{
    /* xorshift64*: deterministic, seeded per run */
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return *s * UINT64_C(2685821657736338717);
}

START_TEST(test_net_chaos_20)
{
    struct net *n = net_new();
    uint64_t rng = UINT64_C(0x9e3779b97f4a7c15) + (uint64_t)_i;

    memset(&chaos, 0, sizeof chaos);
    chaos.seed = (uint64_t)_i;
    for (int i = 0; i < 20; i++) {
        /* priorities repeat every 7 agents, so ties go to the agent id */
        struct agent *a = net_add(n, make_cfg((uint64_t)(i * 7919 % 1000) + 1,
                                              (uint8_t)(30 + (i % 7) * 30), I1));
        a->cfg.min_peers = 2;
        a->cfg.preempt = (_i % 2) == 1;
        a->skew_us = (int64_t)(rng_next(&rng) % 5000000);
    }
    for (int i = 0; i < 20; i++) {
        net_start(n, i);
        chaos.eligible[i] = 1;
    }
    n->check = chaos_check;
    chaos.last_change_us = n->now_us;

    uint64_t t = n->now_us;
    for (int step = 0; step < 400; step++) {
        t += I1 / 2 + rng_next(&rng) % (4 * I1); /* faults 0.5 to 4.5 s apart */
        net_run(n, t);
        int i = (int)(rng_next(&rng) % 20);
        unsigned what = (unsigned)(rng_next(&rng) % 10);
        int leader = net_leader(n, -1);
        if (what < 3 && leader >= 0)
            i = leader; /* aim at the leader often */
        if (n->a[i].up) {
            if (what < 5)
                net_crash(n, i);
            else if (what < 7)
                net_stop(n, i);
            else {
                chaos.eligible[i] = !chaos.eligible[i];
                net_set_eligible(n, i, chaos.eligible[i]);
            }
        } else {
            net_start(n, i);
            chaos.eligible[i] = 1;
        }
        chaos.last_change_us = n->now_us;
        chaos_check(n);
        /* now and then let everything settle and check the steady state */
        if (step % 25 == 24) {
            t += 10 * I1;
            net_run(n, t);
        }
    }
    /* everyone back up and on premises: one leader, one standby */
    for (int i = 0; i < 20; i++) {
        if (!n->a[i].up) {
            net_start(n, i);
        } else if (!chaos.eligible[i]) {
            net_set_eligible(n, i, 1);
        }
        chaos.eligible[i] = 1;
    }
    chaos.last_change_us = n->now_us;
    net_run(n, t + 20 * I1);
    ck_assert_int_ge(net_leader(n, -1), 0);
    ck_assert_int_eq(net_count_role(n, CAPS_ROLE_STANDBY), 1);
    ck_assert_int_eq(net_count_role(n, CAPS_ROLE_IDLE), 18);
    ck_assert_int_eq(caps_election_may_report(&n->a[net_leader(n, -1)].e), 1);
    ck_assert_uint_gt(chaos.leader_epoch_max, 20);
    free(n);
}
END_TEST

/* ---- one election fed by hand ------------------------------------------------ */

static struct agent *solo_new(struct net *n, uint64_t id, uint8_t prio)
{
    struct agent *a = net_add(n, make_cfg(id, prio, I1));
    net_start(n, a->idx);
    return a;
}

static void feed(struct agent *a, const struct caps_advert *adv, const char *key)
{
    uint8_t buf[CAPS_ADVERT_BYTES];
    ck_assert_int_eq(caps_advert_encode(adv, hmac_key_ctx, (void *)key, buf, sizeof buf), 0);
    caps_election_receive(&a->e, local_us(a), buf, sizeof buf);
}

static struct caps_advert peer_advert(uint64_t id, uint8_t prio, enum caps_role role,
                                      uint64_t counter)
{
    struct caps_advert a;
    memset(&a, 0, sizeof a);
    a.role = (uint8_t)role;
    a.priority = prio;
    a.eligible = 1;
    a.has_ipv4 = 1;
    memcpy(a.site_id, test_site, 16);
    a.agent_id = id;
    a.epoch = 3;
    a.counter = counter;
    a.advert_interval_us = (uint32_t)I1;
    a.addr[0] = 10, a.addr[3] = (uint8_t)id;
    return a;
}

/* The samples against an election of the test site: accepted once, then
 * old; the other drops each counted under its own name. */
START_TEST(test_solo_drops_counted)
{
    struct net *n = net_new();
    struct agent *a = solo_new(n, 0x77, 100);
    const struct caps_sample *leader = test_sample(&caps_samples_advert, "leader_ipv4");
    uint8_t buf[CAPS_ADVERT_BYTES];

    caps_election_receive(&a->e, local_us(a), leader->bytes, leader->len);
    ck_assert_uint_eq(a->e.stats.accepted, 1);
    ck_assert_uint_eq(caps_election_epoch(&a->e), 7);
    ck_assert_int_eq(caps_election_role(&a->e), CAPS_ROLE_STANDBY);
    caps_election_receive(&a->e, local_us(a), leader->bytes, leader->len);
    ck_assert_uint_eq(a->e.stats.dropped_old_counter, 1);
    /* a stop with a higher counter is accepted: the seat falls vacant */
    const struct caps_sample *stop = test_sample(&caps_samples_advert, "leader_stopping_prio0");
    caps_election_receive(&a->e, local_us(a), stop->bytes, stop->len);
    ck_assert_uint_eq(a->e.stats.accepted, 2);
    ck_assert_int_eq(a->e.has_leader, 0);
    ck_assert_int_eq(a->e.vacancy_cause, CAPS_ELECT_CAUSE_STOP);
    /* and the leader's older advert is now a replay */
    caps_election_receive(&a->e, local_us(a), leader->bytes, leader->len);
    ck_assert_uint_eq(a->e.stats.dropped_old_counter, 2);
    ck_assert_int_eq(a->e.has_leader, 0);

    memcpy(buf, leader->bytes, sizeof buf);
    buf[103] ^= 0x01;
    caps_election_receive(&a->e, local_us(a), buf, sizeof buf);
    ck_assert_uint_eq(a->e.stats.dropped_bad_mac, 1);
    buf[103] ^= 0x01;
    buf[8] ^= 0x80; /* another site (MAC not even checked) */
    caps_election_receive(&a->e, local_us(a), buf, sizeof buf);
    ck_assert_uint_eq(a->e.stats.dropped_unknown_site, 1);
    for (size_t cut = 0; cut < sizeof buf; cut += 13)
        caps_election_receive(&a->e, local_us(a), leader->bytes, cut);
    ck_assert_uint_eq(a->e.stats.dropped_malformed, 8);
    caps_election_receive(&a->e, local_us(a), NULL, 0);
    ck_assert_uint_eq(a->e.stats.dropped_malformed, 9);
    /* our own id, signed right: a second agent with our id, or loopback */
    struct caps_advert own = peer_advert(0x77, 100, CAPS_ROLE_LEADER, UINT64_MAX - 5);
    feed(a, &own, test_key);
    ck_assert_uint_eq(a->e.stats.dropped_own, 2); /* + the loopback of its first advert */
    ck_assert_uint_eq(a->e.stats.accepted, 2);
    ck_assert_uint_eq(a->e.stats.received, 2 + 2 + 2 + 8 + 1 + 1 + 1);
    free(n);
}
END_TEST

/* The table holds CAPS_PEERS_MAX peers; a newcomer evicts the stalest, never
 * the leader followed, and the count of evictions is exact. */
START_TEST(test_solo_peer_table_bound)
{
    struct net *n = net_new();
    struct agent *a = solo_new(n, 5000, 100);

    struct caps_advert l = peer_advert(1, 200, CAPS_ROLE_LEADER, 10);
    feed(a, &l, test_key);
    for (uint64_t id = 2; id <= CAPS_PEERS_MAX; id++) {
        n->now_us += 1000;
        struct caps_advert p = peer_advert(id, 50, CAPS_ROLE_IDLE, 10);
        feed(a, &p, test_key);
    }
    ck_assert_uint_eq(a->e.stats.peers_evicted, 0);
    ck_assert_uint_eq(caps_election_eligible_heard(&a->e), CAPS_PEERS_MAX + 1);
    for (uint64_t id = 100; id < 106; id++) {
        n->now_us += 1000;
        struct caps_advert p = peer_advert(id, 50, CAPS_ROLE_IDLE, 10);
        feed(a, &p, test_key);
    }
    ck_assert_uint_eq(a->e.stats.peers_evicted, 6);
    int has[8] = {0};
    for (int k = 0; k < CAPS_PEERS_MAX; k++)
        if (a->e.peers[k].agent_id <= 7)
            has[a->e.peers[k].agent_id] = 1;
    ck_assert_int_eq(has[1], 1);  /* the leader: stalest, but followed */
    for (int id = 2; id <= 7; id++)
        ck_assert_msg(!has[id], "peer %d should be evicted", id);
    ck_assert_int_eq(a->e.has_leader, 1);
    ck_assert_uint_eq(a->e.leader_id, 1);
    free(n);
}
END_TEST

struct bad_cfg {
    const char *name;
    int want;
};

static const struct bad_cfg bad_cfgs[] = {
    {"agent_id_zero", CAPS_E_CONFIG},   {"priority_zero", CAPS_E_CONFIG},
    {"priority_255", CAPS_E_CONFIG},    {"interval_999us", CAPS_E_CONFIG},
    {"interval_over", CAPS_E_CONFIG},   {"min_peers_21", CAPS_E_CONFIG},
    {"ipv6_not_ll", CAPS_E_CONFIG},     {"no_send", CAPS_E_ARG},
    {"no_hmac", CAPS_E_ARG},            {"ok_ipv6", 0},
    {"ok_min_peers_20", 0},             {"ok_no_on_role", 0},
};

START_TEST(test_init_config)
{
    const struct bad_cfg *b = &bad_cfgs[_i];
    struct caps_election_config c = make_cfg(1, 100, I1);
    struct caps_election_host h = test_host;
    struct caps_election *e = calloc(1, sizeof *e);
    struct agent dummy;

    memset(&dummy, 0, sizeof dummy);
    h.ctx = &dummy;
    if (strcmp(b->name, "agent_id_zero") == 0)
        c.agent_id = 0;
    else if (strcmp(b->name, "priority_zero") == 0)
        c.priority = 0;
    else if (strcmp(b->name, "priority_255") == 0)
        c.priority = 255;
    else if (strcmp(b->name, "interval_999us") == 0)
        c.advert_interval_us = 999;
    else if (strcmp(b->name, "interval_over") == 0)
        c.advert_interval_us = CAPS_ADVERT_INTERVAL_US_MAX + 1;
    else if (strcmp(b->name, "min_peers_21") == 0)
        c.min_peers = 21;
    else if (strcmp(b->name, "ipv6_not_ll") == 0)
        c.has_ipv4 = 0;
    else if (strcmp(b->name, "no_send") == 0)
        h.send = NULL;
    else if (strcmp(b->name, "no_hmac") == 0)
        h.hmac_sha256 = NULL;
    else if (strcmp(b->name, "ok_ipv6") == 0)
        c.has_ipv4 = 0, c.ipv6_ll[0] = 0xfe, c.ipv6_ll[1] = 0x80, c.ipv6_ll[15] = 9;
    else if (strcmp(b->name, "ok_min_peers_20") == 0)
        c.min_peers = 20;
    else if (strcmp(b->name, "ok_no_on_role") == 0)
        h.on_role = NULL;
    ck_assert_ptr_nonnull(e);
    int rc = caps_election_init(e, &c, &h, T0_US);
    ck_assert_msg(rc == b->want, "%s: rc %d want %d", b->name, rc, b->want);
    if (rc == 0) {
        ck_assert_int_eq(caps_election_role(e), CAPS_ROLE_IDLE);
        ck_assert_uint_eq(caps_election_next_deadline_us(e), T0_US);
        ck_assert_int_eq(caps_election_may_sense(e), 0);
    }
    free(e);
}
END_TEST

/* An agent alone never leads while ineligible, leads after listening once
 * eligible, and a clock handed in backwards is clamped. */
START_TEST(test_solo_eligibility_and_clock)
{
    struct net *n = net_new();
    struct agent *a = net_add(n, make_cfg(9, 100, I1));
    struct caps_election_host h = test_host;
    h.ctx = a;
    a->cfg.initial_counter = 1;
    ck_assert_int_eq(caps_election_init(&a->e, &a->cfg, &h, local_us(a)), 0);
    a->up = 1;
    net_run(n, T0_US + 20 * I1);
    ck_assert_int_eq(caps_election_role(&a->e), CAPS_ROLE_IDLE);
    ck_assert_uint_eq(caps_election_eligible_heard(&a->e), 0);
    ck_assert_uint_eq(a->e.stats.sent, 21);
    net_set_eligible(n, 0, 1);
    ck_assert_int_eq(caps_election_role(&a->e), CAPS_ROLE_LEADER); /* listened long enough */
    ck_assert_uint_eq(caps_election_epoch(&a->e), 1);
    caps_election_tick(&a->e, T0_US); /* backwards: clamped */
    ck_assert_uint_ge(caps_election_next_deadline_us(&a->e), T0_US + 20 * I1);
    n->now_us = T0_US + 21 * I1;
    caps_election_stop(&a->e, local_us(a));
    net_flush(n);
    uint64_t sent = a->e.stats.sent;
    caps_election_tick(&a->e, T0_US + 50 * I1);
    caps_election_set_eligible(&a->e, 0, T0_US + 50 * I1);
    caps_election_stop(&a->e, T0_US + 50 * I1);
    ck_assert_uint_eq(a->e.stats.sent, sent);
    ck_assert_int_eq(caps_election_role(&a->e), CAPS_ROLE_IDLE);
    free(n);
}
END_TEST

Suite *suite_election(void);

Suite *suite_election(void)
{
    Suite *s = suite_create("election");
    TCase *tc = tcase_create("advert");
    tcase_add_test(tc, test_advert_table_complete);
    tcase_add_loop_test(tc, test_advert_sample_fields, 0, EXPECT_COUNT);
    tcase_add_test(tc, test_advert_layout);
    tcase_add_loop_test(tc, test_advert_cut_every_offset, 0, EXPECT_COUNT);
    tcase_add_loop_test(tc, test_advert_mutations, 0, MUTATION_COUNT);
    tcase_add_test(tc, test_advert_length_and_bounds);
    tcase_add_test(tc, test_election_names);
    suite_add_tcase(s, tc);

    tc = tcase_create("solo");
    tcase_add_loop_test(tc, test_init_config, 0, (int)(sizeof bad_cfgs / sizeof bad_cfgs[0]));
    tcase_add_test(tc, test_solo_drops_counted);
    tcase_add_test(tc, test_solo_peer_table_bound);
    tcase_add_test(tc, test_solo_eligibility_and_clock);
    suite_add_tcase(s, tc);

    tc = tcase_create("network");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_net_two_crash);
    tcase_add_test(tc, test_net_reference_interval);
    tcase_add_test(tc, test_net_three_stop);
    tcase_add_test(tc, test_net_off_premises);
    tcase_add_loop_test(tc, test_net_join_better, 0, 2);
    tcase_add_test(tc, test_net_min_peers);
    tcase_add_test(tc, test_net_partition_heal);
    tcase_add_test(tc, test_net_heal_newer_leader_gone);
    tcase_add_test(tc, test_net_heal_idle_higher_epoch);
    tcase_add_test(tc, test_net_forged_and_replayed);
    tcase_add_test(tc, test_net_clock_skew);
    tcase_add_loop_test(tc, test_net_chaos_20, 0, CHAOS_RUNS);
    suite_add_tcase(s, tc);
    return s;
}
