/* test_engine.c - the event engine: (time, sequence) order, clamping, cancel
 * from anywhere, run_until bounds, and a million random operations checked
 * against a sorted-array model of the same queue.
 *
 * A random failure prints its seed and operation number; the seeds are fixed
 * in random_cases, so CK_RUN_SUITE=engine CK_RUN_CASE=random replays it.
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <check.h>

#include "sim/engine.h"

Suite *suite_engine(void);

/* An assertion for hot loops: Check's ck_assert records a mark point (a
 * pipe write in fork mode) on every call; this only calls on failure. */
#define REQUIRE(cond, ...)                  \
    do {                                    \
        if (!(cond))                        \
            ck_abort_msg(__VA_ARGS__);      \
    } while (0)

/* ------------------------------------------------------------- recording */

#define LOG_MAX 20000

/* What the callbacks saw: the arg and the time of each run. */
struct log {
    struct sim_engine *e;
    size_t n;
    uint64_t arg[LOG_MAX];
    uint64_t at_us[LOG_MAX];
};

static void record(void *ctx, uint64_t arg)
{
    struct log *l = ctx;
    REQUIRE(l->n < LOG_MAX, "log full");
    l->arg[l->n] = arg;
    l->at_us[l->n] = sim_engine_now_us(l->e);
    l->n++;
}

static struct log *log_new(struct sim_engine *e)
{
    struct log *l = calloc(1, sizeof *l);
    ck_assert_ptr_nonnull(l);
    l->e = e;
    return l;
}

/* ---------------------------------------------------------- order table */

#define ORDER_MAX 16

struct order_case {
    const char *name;
    size_t n;
    uint64_t at_us[ORDER_MAX];      /* scheduled in this order, arg = index */
    uint64_t want[ORDER_MAX];       /* the args in the order they must run */
};

static const struct order_case order_cases[] = {
    {"ascending", 4, {1, 2, 3, 4}, {0, 1, 2, 3}},
    {"descending", 4, {4, 3, 2, 1}, {3, 2, 1, 0}},
    {"all at one time run in insertion order", 5, {7, 7, 7, 7, 7}, {0, 1, 2, 3, 4}},
    {"all at time 0", 3, {0, 0, 0}, {0, 1, 2}},
    {"ties interleaved with others", 8, {5, 3, 5, 3, 9, 5, 0, 3}, {6, 1, 3, 7, 0, 2, 5, 4}},
    {"digit and level boundaries", 9,
     {256, 255, 65536, 257, 1, 65535, 16777216, 0, 256},
     {7, 4, 1, 0, 8, 3, 5, 2, 6}},
    {"far future and near", 6,
     {UINT64_C(1) << 40, 10, UINT64_MAX, UINT64_C(1) << 40, UINT64_MAX - 1, 10},
     {1, 5, 0, 3, 4, 2}},
    {"same far time after nearer ones", 6,
     {1000000, 1, 1000000, 2, 1000000, 999999}, {1, 3, 5, 0, 2, 4}},
};

START_TEST(test_order)
{
    const struct order_case *c = &order_cases[_i];
    struct sim_engine *e = sim_engine_create(0);
    ck_assert_ptr_nonnull(e);
    struct log *l = log_new(e);
    uint64_t prev_id = 0;
    for (size_t k = 0; k < c->n; k++) {
        uint64_t id = sim_engine_schedule(e, c->at_us[k], record, l, k);
        ck_assert_msg(id > prev_id, "%s: ids must grow: %" PRIu64 " after %" PRIu64,
                      c->name, id, prev_id);
        prev_id = id;
    }
    ck_assert_uint_eq(sim_engine_pending(e), c->n);
    uint64_t ran = sim_engine_run_until(e, UINT64_MAX);
    ck_assert_msg(ran == c->n, "%s: ran %" PRIu64 " of %zu", c->name, ran, c->n);
    for (size_t k = 0; k < c->n; k++) {
        ck_assert_msg(l->arg[k] == c->want[k], "%s: run %zu was event %" PRIu64 ", want %" PRIu64,
                      c->name, k, l->arg[k], c->want[k]);
        ck_assert_msg(l->at_us[k] == c->at_us[c->want[k]], "%s: run %zu at %" PRIu64, c->name, k,
                      l->at_us[k]);
    }
    ck_assert_uint_eq(sim_engine_pending(e), 0);
    ck_assert_uint_eq(sim_engine_now_us(e), UINT64_MAX);
    free(l);
    sim_engine_destroy(e);
}
END_TEST

/* Thousands of events at one time, scheduled while the queue's reference
 * time moves towards it, interleaved with events at other times. */
START_TEST(test_many_same_time)
{
    const uint64_t t_us = 5000000;
    struct sim_engine *e = sim_engine_create(16);
    ck_assert_ptr_nonnull(e);
    struct log *l = log_new(e);
    uint64_t next_arg = 0;
    for (uint64_t now_us = 0; now_us < t_us; now_us += 250000) {
        for (int k = 0; k < 400; k++)
            ck_assert_uint_ne(sim_engine_schedule(e, t_us, record, l, next_arg++), 0);
        /* a marker just after now moves the reference time on when run */
        ck_assert_uint_ne(sim_engine_schedule(e, now_us + 1, record, l, UINT64_MAX), 0);
        sim_engine_run_until(e, now_us + 1);
    }
    ck_assert_uint_eq(sim_engine_pending(e), next_arg);
    l->n = 0;
    ck_assert_uint_eq(sim_engine_run_until(e, t_us), next_arg);
    for (uint64_t k = 0; k < next_arg; k++) {
        ck_assert_uint_eq(l->arg[k], k);
        ck_assert_uint_eq(l->at_us[k], t_us);
    }
    free(l);
    sim_engine_destroy(e);
}
END_TEST

/* --------------------------------------------------- clamping and bounds */

START_TEST(test_past_clamps_to_now)
{
    struct sim_engine *e = sim_engine_create(0);
    struct log *l = log_new(e);
    ck_assert_uint_eq(sim_engine_run_until(e, 500), 0);
    ck_assert_uint_eq(sim_engine_now_us(e), 500);
    sim_engine_schedule(e, 500, record, l, 0);
    sim_engine_schedule(e, 1000, record, l, 1);
    sim_engine_schedule(e, 100, record, l, 2);     /* clamped to 500, after arg 0 */
    sim_engine_schedule(e, 0, record, l, 3);
    ck_assert_uint_eq(sim_engine_run_until(e, 1000), 4);
    const uint64_t want_arg[] = {0, 2, 3, 1}, want_us[] = {500, 500, 500, 1000};
    for (size_t k = 0; k < 4; k++) {
        ck_assert_uint_eq(l->arg[k], want_arg[k]);
        ck_assert_uint_eq(l->at_us[k], want_us[k]);
    }
    free(l);
    sim_engine_destroy(e);
}
END_TEST

struct boundary_case {
    const char *name;
    uint64_t start_us;          /* run_until before the events are scheduled */
    uint64_t end_us;
    uint64_t want_ran;          /* of events at 99, 100, 101 */
    uint64_t want_now_us;
};

static const struct boundary_case boundary_cases[] = {
    {"end before all", 0, 98, 0, 98},
    {"end one before the first", 0, 99, 1, 99},
    {"event exactly at end runs", 0, 100, 2, 100},
    {"end past all", 0, 1000, 3, 1000},
    {"end 0 at time 0", 0, 0, 0, 0},
    {"end before now keeps now", 50, 10, 0, 50},
    {"end at the top of time", 0, UINT64_MAX, 3, UINT64_MAX},
};

START_TEST(test_run_until_bounds)
{
    const struct boundary_case *c = &boundary_cases[_i];
    struct sim_engine *e = sim_engine_create(0);
    struct log *l = log_new(e);
    sim_engine_run_until(e, c->start_us);
    for (uint64_t t = 99; t <= 101; t++)
        sim_engine_schedule(e, t, record, l, t);
    uint64_t ran = sim_engine_run_until(e, c->end_us);
    ck_assert_msg(ran == c->want_ran, "%s: ran %" PRIu64 ", want %" PRIu64, c->name, ran,
                  c->want_ran);
    ck_assert_msg(sim_engine_now_us(e) == c->want_now_us, "%s: now %" PRIu64 ", want %" PRIu64,
                  c->name, sim_engine_now_us(e), c->want_now_us);
    ck_assert_msg(sim_engine_pending(e) == 3 - c->want_ran, "%s: pending %zu", c->name,
                  sim_engine_pending(e));
    ck_assert_uint_eq(sim_engine_run_until(e, c->end_us), 0);     /* idempotent */
    ck_assert_uint_eq(sim_engine_events_run(e), c->want_ran);
    free(l);
    sim_engine_destroy(e);
}
END_TEST

/* A callback that schedules at now: the new event runs in the same
 * run_until, after those already queued for now. */
struct chain {
    struct sim_engine *e;
    struct log *l;
    uint64_t left;
};

static void chain_event(void *ctx, uint64_t arg)
{
    struct chain *c = ctx;
    record(c->l, arg);
    if (c->left > 0) {
        c->left--;
        REQUIRE(sim_engine_schedule(c->e, sim_engine_now_us(c->e), chain_event, c, arg + 100) != 0,
                "chain: schedule failed");
    }
}

START_TEST(test_zero_delay_chain)
{
    struct sim_engine *e = sim_engine_create(0);
    struct log *l = log_new(e);
    struct chain c = {e, l, 3};
    sim_engine_schedule(e, 10, chain_event, &c, 0);
    sim_engine_schedule(e, 10, record, l, 1);
    sim_engine_schedule(e, 11, record, l, 2);
    ck_assert_uint_eq(sim_engine_run_until(e, 10), 5);
    const uint64_t want[] = {0, 1, 100, 200, 300};
    for (size_t k = 0; k < 5; k++) {
        ck_assert_uint_eq(l->arg[k], want[k]);
        ck_assert_uint_eq(l->at_us[k], 10);
    }
    ck_assert_uint_eq(sim_engine_pending(e), 1);
    free(l);
    sim_engine_destroy(e);
}
END_TEST

/* A long zero-delay chain: the FIFO of the current time must not grow. */
START_TEST(test_long_zero_delay_chain)
{
    struct sim_engine *e = sim_engine_create(0);
    struct log *l = log_new(e);
    struct chain c = {e, l, 1000000};
    sim_engine_schedule(e, 7, chain_event, &c, 0);
    uint64_t ran = 0;
    while (sim_engine_step(e)) {
        ran++;
        l->n = 0;
    }
    ck_assert_uint_eq(ran, 1000001);
    ck_assert_uint_eq(sim_engine_now_us(e), 7);
    free(l);
    sim_engine_destroy(e);
}
END_TEST

START_TEST(test_step)
{
    struct sim_engine *e = sim_engine_create(0);
    struct log *l = log_new(e);
    ck_assert_int_eq(sim_engine_step(e), 0);
    ck_assert_uint_eq(sim_engine_now_us(e), 0);
    sim_engine_schedule(e, 30, record, l, 3);
    sim_engine_schedule(e, 20, record, l, 2);
    ck_assert_int_eq(sim_engine_step(e), 1);
    ck_assert_uint_eq(sim_engine_now_us(e), 20);
    ck_assert_int_eq(sim_engine_step(e), 1);
    ck_assert_uint_eq(sim_engine_now_us(e), 30);
    ck_assert_int_eq(sim_engine_step(e), 0);
    ck_assert_uint_eq(sim_engine_now_us(e), 30);
    ck_assert_uint_eq(sim_engine_events_run(e), 2);
    free(l);
    sim_engine_destroy(e);
}
END_TEST

/* A periodic timer rescheduling itself from its callback. */
struct periodic {
    struct sim_engine *e;
    struct log *l;
    uint64_t period_us;
};

static void periodic_event(void *ctx, uint64_t arg)
{
    struct periodic *p = ctx;
    record(p->l, arg);
    sim_engine_schedule(p->e, sim_engine_now_us(p->e) + p->period_us, periodic_event, p, arg + 1);
}

START_TEST(test_reschedule_from_callback)
{
    struct sim_engine *e = sim_engine_create(0);
    struct log *l = log_new(e);
    struct periodic p = {e, l, 100};
    sim_engine_schedule(e, 100, periodic_event, &p, 0);
    ck_assert_uint_eq(sim_engine_run_until(e, 1000), 10);
    for (size_t k = 0; k < 10; k++) {
        ck_assert_uint_eq(l->arg[k], k);
        ck_assert_uint_eq(l->at_us[k], 100 * (k + 1));
    }
    ck_assert_uint_eq(sim_engine_now_us(e), 1000);
    ck_assert_uint_eq(sim_engine_pending(e), 1);
    ck_assert_uint_eq(sim_engine_run_until(e, 1050), 0);
    ck_assert_uint_eq(sim_engine_run_until(e, 1100), 1);
    free(l);
    sim_engine_destroy(e);
}
END_TEST

/* ----------------------------------------------------------------- cancel */

START_TEST(test_cancel_before_and_after_run)
{
    struct sim_engine *e = sim_engine_create(0);
    struct log *l = log_new(e);
    uint64_t a = sim_engine_schedule(e, 10, record, l, 0);
    uint64_t b = sim_engine_schedule(e, 10, record, l, 1);
    uint64_t c = sim_engine_schedule(e, 20, record, l, 2);
    ck_assert_uint_eq(sim_engine_pending(e), 3);
    ck_assert_int_eq(sim_engine_cancel(e, b), 1);
    ck_assert_uint_eq(sim_engine_pending(e), 2);
    ck_assert_int_eq(sim_engine_cancel(e, b), 0);               /* twice */
    ck_assert_uint_eq(sim_engine_run_until(e, 10), 1);
    ck_assert_int_eq(sim_engine_cancel(e, a), 0);               /* ran */
    ck_assert_int_eq(sim_engine_cancel(e, 0), 0);               /* never an id */
    ck_assert_int_eq(sim_engine_cancel(e, c + (UINT64_C(1) << 24)), 0);   /* not yet issued */
    ck_assert_int_eq(sim_engine_cancel(e, 5), 0);
    ck_assert_int_eq(sim_engine_cancel(e, UINT64_MAX), 0);
    ck_assert_uint_eq(sim_engine_pending(e), 1);
    ck_assert_uint_eq(sim_engine_run_until(e, 100), 1);
    ck_assert_uint_eq(l->n, 2);
    ck_assert_uint_eq(l->arg[0], 0);
    ck_assert_uint_eq(l->arg[1], 2);
    /* an id's slot is reused, the id is not */
    uint64_t d = sim_engine_schedule(e, 200, record, l, 3);
    ck_assert_int_eq(sim_engine_cancel(e, c), 0);
    ck_assert_int_eq(sim_engine_cancel(e, b), 0);
    ck_assert_uint_ne(d, a);
    ck_assert_uint_ne(d, b);
    ck_assert_uint_ne(d, c);
    free(l);
    sim_engine_destroy(e);
}
END_TEST

/* Callbacks that cancel: another later timer, one queued for the same time
 * behind them, and themselves (running: not pending). */
struct canceller {
    struct sim_engine *e;
    struct log *l;
    uint64_t later, same_time, self;
    int rc_later, rc_same_time, rc_self;
};

static void cancelling_event(void *ctx, uint64_t arg)
{
    struct canceller *c = ctx;
    record(c->l, arg);
    c->rc_later = sim_engine_cancel(c->e, c->later);
    c->rc_same_time = sim_engine_cancel(c->e, c->same_time);
    c->rc_self = sim_engine_cancel(c->e, c->self);
}

START_TEST(test_cancel_from_callback)
{
    struct sim_engine *e = sim_engine_create(0);
    struct log *l = log_new(e);
    struct canceller c = {.e = e, .l = l};
    c.self = sim_engine_schedule(e, 10, cancelling_event, &c, 0);
    c.same_time = sim_engine_schedule(e, 10, record, l, 1);
    c.later = sim_engine_schedule(e, 20, record, l, 2);
    sim_engine_schedule(e, 30, record, l, 3);
    ck_assert_uint_eq(sim_engine_run_until(e, 100), 2);
    ck_assert_int_eq(c.rc_later, 1);
    ck_assert_int_eq(c.rc_same_time, 1);
    ck_assert_int_eq(c.rc_self, 0);
    ck_assert_uint_eq(l->n, 2);
    ck_assert_uint_eq(l->arg[0], 0);
    ck_assert_uint_eq(l->arg[1], 3);
    ck_assert_uint_eq(sim_engine_pending(e), 0);
    free(l);
    sim_engine_destroy(e);
}
END_TEST

/* Millions of timers scheduled and cancelled, far and near, while a few
 * stay pending and run: cancelled timers must be reclaimed (the ASan
 * build's leak check and the bounded sweep keep this honest). */
START_TEST(test_cancel_millions)
{
    struct sim_engine *e = sim_engine_create(0);
    struct log *l = log_new(e);
    uint64_t keep = sim_engine_schedule(e, UINT64_C(1) << 45, record, l, 7);
    uint64_t ran = 0;
    for (uint64_t k = 0; k < 3000000; k++) {
        uint64_t now_us = sim_engine_now_us(e);
        uint64_t a = sim_engine_schedule(e, now_us + 1000000000 + k, record, l, k);
        uint64_t b = sim_engine_schedule(e, now_us + (k & 7), record, l, k);
        REQUIRE(a != 0 && b != 0, "k %" PRIu64 ": schedule failed", k);
        REQUIRE(sim_engine_cancel(e, a) == 1, "k %" PRIu64 ": cancel far", k);
        if (k % 3 == 0) {
            REQUIRE(sim_engine_cancel(e, b) == 1, "k %" PRIu64 ": cancel near", k);
        } else {
            ran += sim_engine_run_until(e, now_us + 8);
            l->n = 0;
        }
    }
    ck_assert_uint_eq(ran, 2000000);
    ck_assert_uint_eq(sim_engine_pending(e), 1);
    ck_assert_int_eq(sim_engine_cancel(e, keep), 1);
    ck_assert_uint_eq(sim_engine_pending(e), 0);
    ck_assert_int_eq(sim_engine_step(e), 0);
    free(l);
    sim_engine_destroy(e);
}
END_TEST

START_TEST(test_destroy_with_pending)
{
    sim_engine_destroy(NULL);
    struct sim_engine *e = sim_engine_create(4);
    struct log *l = log_new(e);
    for (uint64_t k = 0; k < 10000; k++)
        sim_engine_schedule(e, k * 7919 % 100003, record, l, k);
    sim_engine_run_until(e, 50000);
    sim_engine_destroy(e);      /* pending timers are dropped; ASan checks the rest */
    free(l);
}
END_TEST

/* -------------------------------------------- random ops against a model */

/* The model: pending timers in an array sorted by (time, seq). Each engine
 * callback pops the model's earliest timer and checks it is the one that
 * runs, so callbacks may change both queues as they go. */
struct model_timer {
    uint64_t at_us;
    uint64_t seq;
    uint64_t id;
    uint64_t tag;
};

#define MODEL_PENDING_MAX 4096
#define MODEL_IDS_MAX 64        /* recent ids, for cancels of ran and cancelled timers */

struct model {
    struct sim_engine *e;
    uint64_t rng;
    uint64_t seed;
    uint64_t op;
    struct model_timer *t;
    size_t n;
    uint64_t seq_next;
    uint64_t tag_next;
    uint64_t now_us;
    uint64_t events_run;
    uint64_t end_us;            /* bound of the run in progress */
    uint64_t recent[MODEL_IDS_MAX];
};

#define MODEL_FAIL_FMT "seed %" PRIu64 " op %" PRIu64 ": "
#define MODEL_FAIL_ARGS(m) (m)->seed, (m)->op

static uint64_t rng_next(uint64_t *s)
{
    uint64_t z = (*s += UINT64_C(0x9E3779B97F4A7C15));
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

static uint64_t rng_below(uint64_t *s, uint64_t n)
{
    return n ? rng_next(s) % n : 0;
}

/* A time relative to now: past, now, near, far and the farthest, with
 * frequent ties. */
static uint64_t model_time(struct model *m)
{
    uint64_t r = rng_below(&m->rng, 100);
    uint64_t now_us = m->now_us;
    if (r < 5)
        return now_us - rng_below(&m->rng, now_us + 1);      /* past: clamped */
    if (r < 20)
        return now_us;
    if (r < 55)
        return now_us + rng_below(&m->rng, 16);
    if (r < 80)
        return now_us + rng_below(&m->rng, 70000);
    if (r < 97)
        return now_us + rng_below(&m->rng, UINT64_C(1) << 34);
    uint64_t room = UINT64_MAX - now_us;
    return UINT64_MAX - rng_below(&m->rng, room < 1000 ? room + 1 : 1000);
}

static void model_event(void *ctx, uint64_t tag);

static void model_schedule(struct model *m)
{
    if (m->n >= MODEL_PENDING_MAX)
        return;
    uint64_t at_us = model_time(m);
    uint64_t tag = m->tag_next++;
    uint64_t id = sim_engine_schedule(m->e, at_us, model_event, m, tag);
    REQUIRE(id != 0, MODEL_FAIL_FMT "schedule failed", MODEL_FAIL_ARGS(m));
    if (at_us < m->now_us)
        at_us = m->now_us;
    struct model_timer x = {at_us, m->seq_next++, id, tag};
    size_t lo = 0, hi = m->n;           /* the first timer later than x */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (m->t[mid].at_us <= x.at_us)
            lo = mid + 1;
        else
            hi = mid;
    }
    memmove(&m->t[lo + 1], &m->t[lo], (m->n - lo) * sizeof *m->t);
    m->t[lo] = x;
    m->n++;
    m->recent[rng_below(&m->rng, MODEL_IDS_MAX)] = id;
}

static void model_cancel(struct model *m)
{
    uint64_t r = rng_below(&m->rng, 10);
    uint64_t id;
    if (r < 6 && m->n > 0)
        id = m->t[rng_below(&m->rng, m->n)].id;
    else if (r < 9)
        id = m->recent[rng_below(&m->rng, MODEL_IDS_MAX)];     /* pending, ran or gone */
    else
        id = rng_next(&m->rng);                                 /* garbage */
    int want = 0;
    for (size_t k = 0; k < m->n; k++) {
        if (m->t[k].id == id) {
            memmove(&m->t[k], &m->t[k + 1], (m->n - k - 1) * sizeof *m->t);
            m->n--;
            want = 1;
            break;
        }
    }
    int got = sim_engine_cancel(m->e, id);
    REQUIRE(got == want, MODEL_FAIL_FMT "cancel(%" PRIu64 ") = %d, model %d",
                  MODEL_FAIL_ARGS(m), id, got, want);
}

static void model_event(void *ctx, uint64_t tag)
{
    struct model *m = ctx;
    REQUIRE(m->n > 0, MODEL_FAIL_FMT "event %" PRIu64 " ran, the model has none",
                  MODEL_FAIL_ARGS(m), tag);
    struct model_timer x = m->t[0];
    memmove(&m->t[0], &m->t[1], (m->n - 1) * sizeof *m->t);
    m->n--;
    REQUIRE(tag == x.tag, MODEL_FAIL_FMT "ran event %" PRIu64 ", the model runs %" PRIu64
                  " (at %" PRIu64 " us)", MODEL_FAIL_ARGS(m), tag, x.tag, x.at_us);
    REQUIRE(x.at_us <= m->end_us, MODEL_FAIL_FMT "event %" PRIu64 " at %" PRIu64
                  " ran in a run to %" PRIu64, MODEL_FAIL_ARGS(m), tag, x.at_us, m->end_us);
    REQUIRE(sim_engine_now_us(m->e) == x.at_us, MODEL_FAIL_FMT "now %" PRIu64
                  " in event at %" PRIu64, MODEL_FAIL_ARGS(m), sim_engine_now_us(m->e), x.at_us);
    m->now_us = x.at_us;
    m->events_run++;
    /* from inside a callback: schedule and cancel */
    uint64_t r = rng_below(&m->rng, 100);
    if (r < 35)
        model_schedule(m);
    else if (r < 45)
        model_cancel(m);
    if (r % 7 == 0)
        model_schedule(m);
}

static void model_check(const struct model *m)
{
    REQUIRE(sim_engine_pending(m->e) == m->n, MODEL_FAIL_FMT "pending %zu, model %zu",
                  MODEL_FAIL_ARGS(m), sim_engine_pending(m->e), m->n);
    REQUIRE(sim_engine_now_us(m->e) == m->now_us, MODEL_FAIL_FMT "now %" PRIu64
                  ", model %" PRIu64, MODEL_FAIL_ARGS(m), sim_engine_now_us(m->e), m->now_us);
    REQUIRE(sim_engine_events_run(m->e) == m->events_run, MODEL_FAIL_FMT "run %" PRIu64
                  ", model %" PRIu64, MODEL_FAIL_ARGS(m), sim_engine_events_run(m->e),
                  m->events_run);
}

static int model_step(struct model *m)
{
    uint64_t before = m->events_run;
    m->end_us = UINT64_MAX;
    int got = sim_engine_step(m->e);
    REQUIRE(got == (before < m->events_run), MODEL_FAIL_FMT "step returned %d after %"
                  PRIu64 " events", MODEL_FAIL_ARGS(m), got, m->events_run - before);
    REQUIRE(m->events_run - before <= 1, MODEL_FAIL_FMT "step ran several", MODEL_FAIL_ARGS(m));
    return got;
}

static void model_run_until(struct model *m)
{
    uint64_t r = rng_below(&m->rng, 4);
    uint64_t end_us = r == 0 ? m->now_us - rng_below(&m->rng, m->now_us + 1)
                    : r == 1 ? m->now_us + rng_below(&m->rng, 16)
                    : m->now_us + rng_below(&m->rng, 200000);
    uint64_t before = m->events_run;
    m->end_us = end_us;
    uint64_t ran = sim_engine_run_until(m->e, end_us);
    REQUIRE(ran == m->events_run - before, MODEL_FAIL_FMT "run_until returned %" PRIu64
                  ", %" PRIu64 " ran", MODEL_FAIL_ARGS(m), ran, m->events_run - before);
    REQUIRE(m->n == 0 || m->t[0].at_us > end_us, MODEL_FAIL_FMT "run_until(%" PRIu64
                  ") left a timer at %" PRIu64, MODEL_FAIL_ARGS(m), end_us, m->t[0].at_us);
    if (m->now_us < end_us)
        m->now_us = end_us;
}

/* Cumulative percentages of top-level operations; the rest is run_until. */
struct phase {
    uint64_t schedule_pct, cancel_pct, step_pct;
};

#define PHASE_OPS 20000
#define PHASES 3

static const struct phase phases[PHASES] = {
    {70, 78, 96},               /* grow */
    {40, 52, 88},               /* hold */
    {15, 35, 85},               /* drain, often to empty */
};

struct random_case {
    const char *name;
    uint64_t seed;
    uint64_t ops;
};

static const struct random_case random_cases[] = {
    {"seed 1, 1e6 ops", 1, 1000000},
    {"seed 20240115, 2e5 ops", 20240115, 200000},
    {"seed 99, 2e5 ops", 99, 200000},
};

START_TEST(test_random)
{
    const struct random_case *c = &random_cases[_i];
    struct model *m = calloc(1, sizeof *m);
    ck_assert_ptr_nonnull(m);
    m->t = calloc(MODEL_PENDING_MAX + 2, sizeof *m->t);
    ck_assert_ptr_nonnull(m->t);
    m->e = sim_engine_create(0);
    ck_assert_ptr_nonnull(m->e);
    m->seed = c->seed;
    m->rng = c->seed;
    m->seq_next = 1;
    for (m->op = 0; m->op < c->ops; m->op++) {
        /* phases of PHASE_OPS: the queue grows to thousands, holds, drains */
        const struct phase *ph = &phases[m->op / PHASE_OPS % PHASES];
        uint64_t r = rng_below(&m->rng, 100);
        if (r < ph->schedule_pct)
            model_schedule(m);
        else if (r < ph->cancel_pct)
            model_cancel(m);
        else if (r < ph->step_pct)
            model_step(m);
        else
            model_run_until(m);
        model_check(m);
    }
    while (model_step(m))
        model_check(m);
    model_check(m);
    ck_assert_uint_eq(m->n, 0);
    sim_engine_destroy(m->e);
    free(m->t);
    free(m);
}
END_TEST

/* ------------------------------------------------------------------ suite */

Suite *suite_engine(void)
{
    Suite *s = suite_create("engine");
    TCase *tc = tcase_create("order");
    tcase_add_loop_test(tc, test_order, 0, (int)(sizeof order_cases / sizeof order_cases[0]));
    tcase_add_test(tc, test_many_same_time);
    tcase_add_test(tc, test_past_clamps_to_now);
    tcase_add_test(tc, test_step);
    suite_add_tcase(s, tc);

    tc = tcase_create("run_until");
    tcase_add_loop_test(tc, test_run_until_bounds, 0,
                        (int)(sizeof boundary_cases / sizeof boundary_cases[0]));
    tcase_add_test(tc, test_zero_delay_chain);
    tcase_add_test(tc, test_long_zero_delay_chain);
    tcase_add_test(tc, test_reschedule_from_callback);
    suite_add_tcase(s, tc);

    tc = tcase_create("cancel");
    tcase_add_test(tc, test_cancel_before_and_after_run);
    tcase_add_test(tc, test_cancel_from_callback);
    tcase_add_test(tc, test_cancel_millions);
    tcase_add_test(tc, test_destroy_with_pending);
    tcase_set_timeout(tc, 120);
    suite_add_tcase(s, tc);

    tc = tcase_create("random");
    tcase_add_loop_test(tc, test_random, 0, (int)(sizeof random_cases / sizeof random_cases[0]));
    tcase_set_timeout(tc, 240);
    suite_add_tcase(s, tc);
    return s;
}
