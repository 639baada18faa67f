/* sim/engine.h - the discrete-event engine of the simulator: integer virtual
 * time in microseconds and a queue of timers run in (time, sequence) order.
 *
 * One thread. No clock, no randomness: the same calls give the same order of
 * callbacks, on every run and at every optimisation level. Events scheduled
 * for the same time run in the order they were scheduled.
 *
 * Memory: the engine allocates as it grows (slots by doubling, queue buckets
 * as timers move between them) and reclaims cancelled timers. An allocation
 * failure in schedule returns 0; one while running (step, run_until) aborts
 * the process, as there is no way to report it and go on.
 */
#ifndef SIM_ENGINE_H
#define SIM_ENGINE_H

#include <stddef.h>
#include <stdint.h>

/* Limits. A timer id packs the schedule sequence number (40 bits) above the
 * index of the slot holding the pending timer (24 bits): cancel is O(1). */
#define SIM_ENGINE_PENDING_MAX (((size_t)1 << 24) - 1u)    /* timers pending at once */
#define SIM_ENGINE_SCHEDULES_MAX (((uint64_t)1 << 40) - 1u) /* per engine lifetime */

struct sim_engine;

/* A callback: ctx and arg as given to sim_engine_schedule. It may schedule and
 * cancel timers on the same engine, and read its time; it must not call
 * sim_engine_step, sim_engine_run_until or sim_engine_destroy (asserted). */
typedef void sim_event_fn(void *ctx, uint64_t arg);

/* Creates an engine at time 0 with room for capacity_hint pending timers
 * before it first grows (0: a small default). NULL on OOM. */
struct sim_engine *sim_engine_create(size_t capacity_hint);

/* Frees the engine; pending timers are dropped without being run. NULL is
 * allowed. */
void sim_engine_destroy(struct sim_engine *e);

/* The current virtual time: the time of the event running or last run, or
 * the end_us of the last sim_engine_run_until, whichever is later. */
uint64_t sim_engine_now_us(const struct sim_engine *e);

/* Schedules fn(ctx, arg) at at_us (a time before now is clamped to now; the
 * timer then runs after those already queued for now). ctx is borrowed: it
 * must stay valid until the timer runs or is cancelled. Returns the timer id,
 * > 0, unique for the engine's lifetime and never reused; 0 on OOM, when
 * SIM_ENGINE_PENDING_MAX timers are pending, or after SIM_ENGINE_SCHEDULES_MAX
 * schedules. O(log n). */
uint64_t sim_engine_schedule(struct sim_engine *e, uint64_t at_us, sim_event_fn *fn,
                             void *ctx, uint64_t arg);

/* Cancels a pending timer: 1 when it was pending, 0 when it is not (already
 * run or running, already cancelled, or an id never returned). O(1)
 * amortized; the memory of cancelled timers is reclaimed. */
int sim_engine_cancel(struct sim_engine *e, uint64_t id);

/* Runs the earliest pending timer (now becomes its time). Returns 1 when one
 * ran, 0 when none was pending. Amortized O(1) per timer: a timer is moved
 * at most 8 times between buckets, 2-3 times when delays are under 2^24 us. */
int sim_engine_step(struct sim_engine *e);

/* Runs every timer with time <= end_us in (time, sequence) order, including
 * those its callbacks schedule within that bound, then sets now to
 * max(now, end_us). Returns how many ran. */
uint64_t sim_engine_run_until(struct sim_engine *e, uint64_t end_us);

/* Timers scheduled and neither run nor cancelled. */
size_t sim_engine_pending(const struct sim_engine *e);

/* Callbacks run since create. */
uint64_t sim_engine_events_run(const struct sim_engine *e);

#endif
