/* run.c - the sensor's event loop: capture, election socket, timers, uploads.
 *
 * The core's clock is the wall clock live and the capture's timestamps in a
 * replay; it never goes backwards (r->now_us only rises). Only this thread
 * calls the core; uploads are spooled and sent by the outbox's sender thread,
 * whose result slot is polled on every turn (a replay without --pace waits
 * for each pass, so it uploads the same payloads every run). Every wait is
 * cut into slices of at most SENSOR_RUN_POLL_MS so a stop signal takes
 * effect within that time.
 */
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "sensor/run.h"

/* ---- the core's host callbacks ------------------------------------------ */

static void run_log(void *ctx, int level, const char *msg)
{
    struct sensor_run *r = ctx;
    sensor_log_core(r->log, level, msg);
}

static void run_send(void *ctx, const uint8_t *payload, size_t len)
{
    struct sensor_run *r = ctx;
    if (sensor_electsock_send(r->es, payload, len) != 0 && r->es->send_errors <= 3)
        sensor_log_printf(r->log, CAPS_LOG_WARN, "election: advert not sent: %s%s",
                          strerror(r->es->last_errno),
                          r->es->send_errors == 3 ? " (further send errors not logged)" : "");
}

static void run_hmac(void *ctx, const uint8_t *msg, size_t len, uint8_t out[32])
{
    struct sensor_run *r = ctx;
    sensor_sitekey_hmac((void *)(uintptr_t)r->sitekey, msg, len, out);
}

static void run_on_role(void *ctx, enum caps_role old_role, enum caps_role new_role,
                        uint64_t epoch, int cause, uint64_t now_us)
{
    struct sensor_run *r = ctx;
    (void)now_us;
    sensor_log_printf(r->log, CAPS_LOG_INFO, "election: %s -> %s (%s), epoch %" PRIu64,
                      caps_role_name((int)old_role), caps_role_name((int)new_role),
                      caps_elect_cause_name(cause), epoch);
}

static void run_submit(void *ctx, const struct caps_upload *u)
{
    struct sensor_run *r = ctx;
    sensor_outbox_submit(r->ob, u);
}

void sensor_run_host(struct sensor_run *r, struct caps_host *host)
{
    memset(host, 0, sizeof *host);
    host->ctx = r;
    host->log = run_log;
    if (r->es != NULL) {
        host->send = run_send;
        host->hmac_sha256 = run_hmac;
        host->on_role = run_on_role;
    }
    if (r->ob != NULL)
        host->submit_upload = run_submit;
}

/* ---- time --------------------------------------------------------------- */

static void run_advance(struct sensor_run *r, uint64_t t_us)
{
    if (t_us > r->now_us)
        r->now_us = t_us;
}

/* Takes the sender's answers, and asks for a pass over leftovers when due. */
static void run_uploads(struct sensor_run *r)
{
    if (r->ob == NULL)
        return;
    sensor_outbox_poll(r->ob, r->now_us);
    if (sensor_outbox_due(r->ob, r->now_us)) {
        sensor_outbox_kick(r->ob);
        sensor_outbox_poll(r->ob, r->now_us);
    }
}

/* Runs what is due at r->now_us: the core's timers, then the uploads. */
static void run_timers(struct sensor_run *r)
{
    if (r->now_us >= caps_sensor_next_deadline_us(r->s) ||
        r->now_us >= r->last_tick_us + SENSOR_RUN_TICK_US) {
        caps_sensor_tick(r->s, r->now_us);
        r->last_tick_us = r->now_us;
    }
    run_uploads(r);
}

/* Sleeps until the wall clock reads due_wall_us or *stop is set. */
static void run_sleep_until(struct sensor_run *r, uint64_t due_wall_us)
{
    for (;;) {
        uint64_t now = sensor_wall_us();
        if (*r->stop || now >= due_wall_us)
            return;
        uint64_t slice = due_wall_us - now;
        if (slice > SENSOR_RUN_POLL_MS * 1000u)
            slice = SENSOR_RUN_POLL_MS * 1000u;
        struct timespec ts = {(time_t)(slice / 1000000u), (long)(slice % 1000000u) * 1000};
        nanosleep(&ts, NULL);      /* EINTR: a signal; the loop looks at *stop */
    }
}

static int run_start_uploads(struct sensor_run *r, uint64_t start_us, char *err)
{
    if (r->ob == NULL)
        return 0;
    r->ob->s = r->s;
    if (r->ucfg.initial_seq < start_us)
        r->ucfg.initial_seq = start_us;
    int rc = caps_sensor_upload_init(r->s, &r->ucfg, start_us);
    if (rc != 0) {
        snprintf(err, SENSOR_ERRMSG_MAX, "uploads: %s", caps_strerror(rc));
        return -1;
    }
    sensor_log_printf(r->log, CAPS_LOG_INFO,
                      "uploads: every %" PRIu64 " s, first seq %" PRIu64 ", %u spooled file(s)",
                      r->s->upload.interval_us / 1000000u, r->ucfg.initial_seq,
                      sensor_outbox_spooled(r->ob));
    return 0;
}

/* ---- live --------------------------------------------------------------- */

int sensor_run_live(struct sensor_run *r, char err[SENSOR_ERRMSG_MAX])
{
    uint8_t advert[CAPS_ADVERT_BYTES + 64];
    struct sensor_frame f;

    run_advance(r, sensor_wall_us());
    r->last_tick_us = r->now_us;
    if (r->ob != NULL)
        r->ob->sync = 0;            /* capture never waits for the cloud */
    if (r->es != NULL) {
        int rc = caps_sensor_election_init(r->s, &r->ecfg, r->now_us);
        if (rc != 0) {
            snprintf(err, SENSOR_ERRMSG_MAX, "election: %s", caps_strerror(rc));
            return -1;
        }
    }
    if (run_start_uploads(r, r->now_us, err) != 0)
        return -1;
    while (!*r->stop) {
        run_advance(r, sensor_wall_us());
        run_timers(r);
        run_advance(r, sensor_wall_us());

        uint64_t deadline = caps_sensor_next_deadline_us(r->s);
        uint64_t wait_us = SENSOR_RUN_POLL_MS * 1000u;
        if (deadline > r->now_us && deadline - r->now_us < wait_us)
            wait_us = deadline - r->now_us;
        else if (deadline <= r->now_us)
            wait_us = 0;
        struct pollfd pfd[2];
        nfds_t n = 0;
        int cap_fd = sensor_capture_fd(r->cap);
        if (cap_fd >= 0)
            pfd[n++] = (struct pollfd){.fd = cap_fd, .events = POLLIN};
        if (r->es != NULL)
            pfd[n++] = (struct pollfd){.fd = r->es->fd, .events = POLLIN};
        /* At least 1 ms: a deadline the core cannot act on yet (it stays
         * "due now") must not turn the loop into a spin. */
        if (wait_us < 1000u)
            wait_us = 1000u;
        int rc = poll(pfd, n, (int)((wait_us + 999u) / 1000u));
        if (rc < 0 && errno != EINTR) {
            snprintf(err, SENSOR_ERRMSG_MAX, "poll: %s", strerror(errno));
            return -1;
        }
        /* Without a selectable descriptor libpcap is read on every turn. */
        for (unsigned i = 0; i < SENSOR_RUN_BATCH_FRAMES; i++) {
            int got = sensor_capture_next(r->cap, &f, err);
            if (got == SENSOR_CAPTURE_ERROR)
                return -1;
            if (got != SENSOR_CAPTURE_FRAME)
                break;
            if (r->frames == 0)
                r->first_ts_us = f.ts_us;
            r->last_ts_us = f.ts_us;
            r->frames++;
            caps_sensor_frame(r->s, f.ts_us, f.bytes, f.caplen, f.wirelen);
        }
        if (r->es != NULL) {
            for (unsigned i = 0; i < SENSOR_RUN_BATCH_ADVERTS; i++) {
                long got = sensor_electsock_recv(r->es, advert, sizeof advert);
                if (got <= 0)
                    break;
                run_advance(r, sensor_wall_us());
                r->adverts++;
                caps_sensor_advert(r->s, r->now_us, advert, (size_t)got);
            }
        }
    }
    r->stopped = 1;
    run_advance(r, sensor_wall_us());
    sensor_log_printf(r->log, CAPS_LOG_INFO, "stopping: %" PRIu64 " frames, %u assets",
                      r->frames, r->s->inv.count);
    if (r->ob != NULL) {
        sensor_outbox_poll(r->ob, r->now_us);
        if (caps_sensor_upload_flush(r->s, r->now_us))
            sensor_log_printf(r->log, CAPS_LOG_INFO, "stopping: last upload built");
    }
    caps_sensor_stop(r->s, r->now_us);
    if (r->ob != NULL) {
        if (sensor_outbox_due(r->ob, r->now_us))
            sensor_outbox_kick(r->ob);
        uint64_t until = sensor_wall_us() + SENSOR_RUN_STOP_WAIT_US;
        if (!sensor_outbox_wait_idle(r->ob, until, NULL))
            sensor_log_printf(r->log, CAPS_LOG_WARN,
                              "stopping: the cloud did not answer within %u s: the request "
                              "in progress is aborted, its payload stays spooled",
                              (unsigned)(SENSOR_RUN_STOP_WAIT_US / 1000000u));
        run_advance(r, sensor_wall_us());
        sensor_outbox_poll(r->ob, r->now_us);
        sensor_outbox_stop(r->ob);
        if (sensor_outbox_spooled(r->ob) > 0)
            sensor_log_printf(r->log, CAPS_LOG_WARN,
                              "stopping: %u payload file(s) stay in the spool for the next run",
                              sensor_outbox_spooled(r->ob));
    }
    struct sensor_capture_stats cs;
    sensor_capture_stats_get(r->cap, &cs);
    sensor_log_printf(r->log, cs.ps_drop + cs.ps_ifdrop > 0 ? CAPS_LOG_WARN : CAPS_LOG_INFO,
                      "stopping: libpcap received %" PRIu64 " frames, dropped %" PRIu64
                      " (buffer full, ps_drop) and %" PRIu64 " (interface, ps_ifdrop)",
                      cs.kernel_received, cs.ps_drop, cs.ps_ifdrop);
    return 0;
}

/* ---- file --------------------------------------------------------------- */

int sensor_run_file(struct sensor_run *r, char err[SENSOR_ERRMSG_MAX])
{
    struct sensor_frame f;
    uint64_t wall0 = 0;

    if (r->ob != NULL)
        r->ob->sync = r->pace <= 0;  /* as fast as read: the same uploads every run */
    for (;;) {
        if (*r->stop) {
            r->stopped = 1;
            sensor_log_printf(r->log, CAPS_LOG_INFO, "stopped after %" PRIu64 " frames",
                              r->frames);
            return 0;
        }
        int got = sensor_capture_next(r->cap, &f, err);
        if (got == SENSOR_CAPTURE_ERROR)
            return -1;
        if (got == SENSOR_CAPTURE_END)
            return 0;
        if (got != SENSOR_CAPTURE_FRAME)
            continue;
        if (r->frames == 0) {
            r->first_ts_us = f.ts_us;
            r->now_us = f.ts_us;
            r->last_tick_us = f.ts_us;
            wall0 = sensor_wall_us();
            if (run_start_uploads(r, f.ts_us, err) != 0)
                return -1;
        }
        if (r->pace > 0 && f.ts_us > r->first_ts_us) {
            /* The frame's place in the capture, scaled, from the start. */
            double offset_us = (double)(f.ts_us - r->first_ts_us) / r->pace;
            run_sleep_until(r, wall0 + (uint64_t)offset_us);
            if (*r->stop)
                continue;
        }
        r->frames++;
        r->last_ts_us = f.ts_us;
        caps_sensor_frame(r->s, f.ts_us, f.bytes, f.caplen, f.wirelen);
        run_advance(r, f.ts_us);
        run_timers(r);
    }
}

/* The end of a replay with uploads, up to the point where the sender is
 * stopped: see sensor_run_file_finish. */
static int run_file_drain(struct sensor_run *r, char err[SENSOR_ERRMSG_MAX])
{
    if (r->frames == 0) {
        /* Uploads never started: an empty capture has nothing to report,
         * but leftovers of an earlier run still go out. */
        r->ob->s = r->s;
        if (sensor_outbox_spooled(r->ob) == 0)
            return 0;
    }
    uint64_t end_us = r->now_us;
    uint64_t wall_end = sensor_wall_us();
    uint64_t wait_us = (uint64_t)r->final_wait_s * 1000000u;

    sensor_outbox_poll(r->ob, r->now_us);
    if (r->frames > 0 && caps_sensor_upload_flush(r->s, r->now_us))
        sensor_log_printf(r->log, CAPS_LOG_INFO, "end of capture: last upload built");
    run_uploads(r);
    for (;;) {
        /* The sender's pass, bounded by what is left of the final wait. */
        sensor_outbox_wait_idle(r->ob, wall_end + wait_us, r->stop);
        run_advance(r, end_us + (sensor_wall_us() - wall_end));
        sensor_outbox_poll(r->ob, r->now_us);
        int st = sensor_outbox_last_status(r->ob);
        if (sensor_outbox_idle(r->ob)) {
            if (st == CAPS_UPLOAD_REJECTED || st == CAPS_UPLOAD_FENCED) {
                snprintf(err, SENSOR_ERRMSG_MAX,
                         "the cloud refused the last upload (%s): see the log",
                         st == CAPS_UPLOAD_FENCED ? "fenced" : "rejected");
                return -1;
            }
            return 0;
        }
        uint64_t elapsed = sensor_wall_us() - wall_end;
        if (elapsed >= wait_us || *r->stop) {
            snprintf(err, SENSOR_ERRMSG_MAX,
                     "the cloud did not acknowledge the last upload within %u s: %u payload "
                     "file(s) stay in the spool for the next run",
                     r->final_wait_s, sensor_outbox_spooled(r->ob));
            return -1;
        }
        /* Sensor time runs on with the wall clock from the end of the file,
         * so the core's backoff is waited in wall time. */
        uint64_t next = caps_sensor_next_deadline_us(r->s);
        if (!r->ob->inflight && r->ob->retry_at_us < next)
            next = r->ob->retry_at_us;
        uint64_t due_wall = next > end_us ? wall_end + (next - end_us) : wall_end;
        if (due_wall > wall_end + wait_us)
            due_wall = wall_end + wait_us;
        run_sleep_until(r, due_wall);
        run_advance(r, end_us + (sensor_wall_us() - wall_end));
        run_timers(r);
    }
}

int sensor_run_file_finish(struct sensor_run *r, char err[SENSOR_ERRMSG_MAX])
{
    if (r->ob == NULL)
        return 0;
    int rc = run_file_drain(r, err);
    /* A request still running after the final wait is aborted; its payload
     * stays in the spool. */
    sensor_outbox_stop(r->ob);
    return rc;
}
