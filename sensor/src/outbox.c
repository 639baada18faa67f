/* outbox.c - the upload path of the live sensor: build, hand over, spool, send, report.
 *
 * Invariant: a payload is on disk before it is sent and leaves the disk only
 * after "accepted" or "duplicate" (or, refused for good, moved aside). The
 * main thread builds and calls the core; the sender thread spools and sends;
 * they meet only under ob->mu (queue, result slot, counters). The core has at
 * most one upload in flight; it is the newest spool file, so a pass that
 * stops early (the cloud is unreachable) reports it as a retry. A pass sends
 * at most SENSOR_SPOOL_FILES_MAX + 1 files: bounded.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "codec/upload.h"
#include "sensor/outbox.h"

/* Longest single wait on the idle condition, so a stop is seen promptly. */
#define OUTBOX_WAIT_SLICE_US 200000u

static const char *status_name(int status)
{
    switch (status) {
    case CAPS_UPLOAD_OK: return "ok";
    case CAPS_UPLOAD_RETRY: return "retry";
    case CAPS_UPLOAD_FENCED: return "fenced";
    case CAPS_UPLOAD_REJECTED: return "rejected";
    default: return "unknown";
    }
}

/* ob->mu held. 1 when the sender has nothing to do and does nothing. */
static int sender_idle_locked(const struct sensor_outbox *ob)
{
    return !ob->busy && ob->queued == 0 && !ob->kick;
}

/* ---- the sender thread --------------------------------------------------- */

/* Posts the outcome of the core's upload seq into the result slot. */
static void sender_post(struct sensor_outbox *ob, uint64_t seq, int status, uint64_t epoch)
{
    pthread_mutex_lock(&ob->mu);
    ob->result_on = 1;
    ob->result_seq = seq;
    ob->result_status = status;
    ob->result_epoch = epoch;
    pthread_mutex_unlock(&ob->mu);
}

/* Counts one answered file (sent_ok, retries, ...) and notes the spool size. */
static void sender_count(struct sensor_outbox *ob, uint64_t *counter, int status)
{
    pthread_mutex_lock(&ob->mu);
    if (counter != NULL)
        (*counter)++;
    if (status >= 0)
        ob->last_status = status;
    ob->spool_files = sensor_spool_count(ob->spool);
    pthread_mutex_unlock(&ob->mu);
}

/* Writes doc (taken) to the spool. Returns 0, or -1 (logged). */
static int sender_spool(struct sensor_outbox *ob, cJSON *doc, const struct caps_upload *u)
{
    char err[SENSOR_SPOOL_ERRMSG_MAX];

    int rc = sensor_spool_put(ob->spool, doc, err);
    cJSON_Delete(doc);
    sender_count(ob, NULL, -1);
    if (rc != 0) {
        sensor_log_printf(ob->log, CAPS_LOG_ERROR, "upload seq %" PRIu64 ": cannot spool: %s",
                          u->seq, err);
        return -1;
    }
    sensor_log_printf(ob->log, CAPS_LOG_INFO,
                      "upload seq %" PRIu64 " epoch %" PRIu64 ": %u asset(s)%s, attempt %u, "
                      "spooled (%u file(s))",
                      u->seq, u->epoch, u->asset_count, u->full ? " (full)" : "",
                      (unsigned)u->attempt, sensor_spool_count(ob->spool));
    return 0;
}

/* Sends the spool oldest first until it is empty or the cloud is out of
 * reach. mine: the core awaits seq mine_seq (posted when its file is
 * answered, or as a retry when the pass stops before it). */
static void sender_pass(struct sensor_outbox *ob, int mine_on, uint64_t mine_seq)
{
    char err[SENSOR_SPOOL_ERRMSG_MAX];
    int any_ok = 0, core_retry = 0;

    for (unsigned sent = 0; sent <= SENSOR_SPOOL_FILES_MAX; sent++) {
        struct codec_upload_head head;
        struct sensor_upload_result r;
        char *text;
        size_t len;

        int rc = sensor_spool_oldest(ob->spool, &text, &len, &head, err);
        if (rc == 1)
            break;                 /* empty */
        if (rc != 0) {
            sender_count(ob, NULL, -1);
            continue;              /* gone bad on disk: moved aside and reported */
        }
        sensor_cloud_upload(ob->cloud, text, len, &r);
        free(text);
        int mine = mine_on && head.seq == mine_seq;
        if (r.status == CAPS_UPLOAD_OK) {
            sensor_log_printf(ob->log, CAPS_LOG_INFO,
                              "upload seq %" PRIu64 ": %s (HTTP %ld, %zu bytes)", head.seq,
                              r.cloud_status, r.http_status, len);
            if (sensor_spool_drop_oldest(ob->spool, err) != 0) {
                sensor_log_printf(ob->log, CAPS_LOG_ERROR, "%s", err);
                sender_count(ob, NULL, r.status);
                break;
            }
            sender_count(ob, &ob->sent_ok, r.status);
            any_ok = 1;
            if (mine) {
                sender_post(ob, mine_seq, CAPS_UPLOAD_OK, 0);
                mine_on = 0;
            }
            continue;
        }
        if (r.status == CAPS_UPLOAD_RETRY) {
            if (r.http_status != 0)
                sensor_log_printf(ob->log, CAPS_LOG_WARN,
                                  "upload seq %" PRIu64 ": retry later, kept in the spool: "
                                  "HTTP %ld: %s", head.seq, r.http_status, r.detail);
            else
                sensor_log_printf(ob->log, CAPS_LOG_WARN,
                                  "upload seq %" PRIu64 ": retry later, kept in the spool: "
                                  "no answer: %s", head.seq, r.detail);
            sender_count(ob, &ob->retries, r.status);
            break;
        }
        /* Refused for good: fenced, or another 4xx (logged with the body). */
        sensor_log_printf(ob->log, r.status == CAPS_UPLOAD_FENCED ? CAPS_LOG_WARN : CAPS_LOG_ERROR,
                          "upload seq %" PRIu64 ": %s (HTTP %ld): %s; moved aside as .rejected",
                          head.seq, status_name(r.status), r.http_status, r.detail);
        if (sensor_spool_set_aside_oldest(ob->spool, "rejected", err) != 0) {
            sensor_log_printf(ob->log, CAPS_LOG_ERROR, "%s", err);
            sender_count(ob, NULL, r.status);
            break;
        }
        sender_count(ob, r.status == CAPS_UPLOAD_FENCED ? &ob->fenced : &ob->rejected, r.status);
        if (mine) {
            sender_post(ob, mine_seq, r.status, r.subnet_epoch);
            mine_on = 0;
        }
    }
    if (mine_on) {
        /* The pass stopped before the core's upload: it was not delivered. */
        sender_post(ob, mine_seq, CAPS_UPLOAD_RETRY, 0);
        core_retry = 1;
    }
    pthread_mutex_lock(&ob->mu);
    ob->pass_any_ok = any_ok;
    ob->pass_core_retry = core_retry;
    ob->pass_files_left = sensor_spool_count(ob->spool);
    ob->spool_files = ob->pass_files_left;
    ob->passes_done++;
    pthread_mutex_unlock(&ob->mu);
}

static void *sender_main(void *arg)
{
    struct sensor_outbox *ob = arg;

    pthread_mutex_lock(&ob->mu);
    for (;;) {
        while (!ob->quit && ob->queued == 0 && !ob->kick)
            pthread_cond_wait(&ob->wake, &ob->mu);
        if (ob->quit && ob->queued == 0)
            break;
        cJSON *docs[SENSOR_OUTBOX_QUEUE_MAX];
        struct caps_upload us[SENSOR_OUTBOX_QUEUE_MAX];
        unsigned n = ob->queued;
        memcpy(docs, ob->queue, n * sizeof docs[0]);
        memcpy(us, ob->queue_u, n * sizeof us[0]);
        ob->queued = 0;
        ob->kick = 0;
        ob->busy = 1;
        int quitting = ob->quit;
        pthread_mutex_unlock(&ob->mu);

        int mine_on = 0;
        uint64_t mine_seq = 0;
        for (unsigned i = 0; i < n; i++) {
            if (sender_spool(ob, docs[i], &us[i]) == 0) {
                mine_on = 1;
                mine_seq = us[i].seq;
            } else {
                /* Nothing to send for it: the core rebuilds after its backoff. */
                sender_post(ob, us[i].seq, CAPS_UPLOAD_RETRY, 0);
                sender_count(ob, &ob->retries, -1);
            }
        }
        if (!quitting) {
            sender_pass(ob, mine_on, mine_seq);
        } else if (mine_on) {
            sender_post(ob, mine_seq, CAPS_UPLOAD_RETRY, 0);   /* spooled, not sent */
        }
        pthread_mutex_lock(&ob->mu);
        ob->busy = 0;
        pthread_cond_broadcast(&ob->idle);
    }
    ob->busy = 0;
    pthread_cond_broadcast(&ob->idle);
    pthread_mutex_unlock(&ob->mu);
    return NULL;
}

/* ---- the main thread ----------------------------------------------------- */

int sensor_outbox_start(struct sensor_outbox *ob, char err[SENSOR_OUTBOX_ERRMSG_MAX])
{
    sigset_t all, old;

    if (ob->started)
        return 0;
    ob->queued = 0;
    ob->kick = ob->busy = ob->quit = ob->result_on = 0;
    ob->spool_files = sensor_spool_count(ob->spool);
    atomic_init(&ob->abort_requests, 0);
    ob->cloud->abort_flag = &ob->abort_requests;
    pthread_mutex_init(&ob->mu, NULL);
    pthread_cond_init(&ob->wake, NULL);
    pthread_cond_init(&ob->idle, NULL);
    /* Signals stay with the main thread: its poll and sleeps see a stop. */
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    int rc = pthread_create(&ob->thread, NULL, sender_main, ob);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (rc != 0) {
        snprintf(err, SENSOR_OUTBOX_ERRMSG_MAX, "uploads: cannot start the sender thread: %s",
                 strerror(rc));
        pthread_cond_destroy(&ob->idle);
        pthread_cond_destroy(&ob->wake);
        pthread_mutex_destroy(&ob->mu);
        ob->cloud->abort_flag = NULL;
        return -1;
    }
    ob->started = 1;
    return 0;
}

void sensor_outbox_submit(struct sensor_outbox *ob, const struct caps_upload *u)
{
    struct codec_upload_id id = {ob->agent_id, ob->subnet};

    ob->inflight = 1;
    ob->inflight_seq = u->seq;
    ob->local_retry = 0;
    if (u->seq > ob->last_seq)
        ob->last_seq = u->seq;
    cJSON *doc = codec_upload_build(ob->s, u, &id);
    if (doc == NULL) {
        sensor_log_printf(ob->log, CAPS_LOG_ERROR,
                          "upload seq %" PRIu64 ": out of memory building the payload", u->seq);
        ob->local_retry = 1;
        return;
    }
    if (!ob->started) {
        sensor_log_printf(ob->log, CAPS_LOG_ERROR,
                          "upload seq %" PRIu64 ": the sender thread is not running", u->seq);
        cJSON_Delete(doc);
        ob->local_retry = 1;
        return;
    }
    pthread_mutex_lock(&ob->mu);
    int full = ob->queued >= SENSOR_OUTBOX_QUEUE_MAX || ob->quit;
    if (!full) {
        ob->queue[ob->queued] = doc;
        ob->queue_u[ob->queued] = *u;
        ob->queued++;
        pthread_cond_signal(&ob->wake);
    }
    pthread_mutex_unlock(&ob->mu);
    if (full) {
        sensor_log_printf(ob->log, CAPS_LOG_ERROR,
                          "upload seq %" PRIu64 ": the sender's queue is full (%u) or closed",
                          u->seq, SENSOR_OUTBOX_QUEUE_MAX);
        cJSON_Delete(doc);
        ob->local_retry = 1;
    }
}

int sensor_outbox_due(struct sensor_outbox *ob, uint64_t now_us)
{
    if (!ob->started || ob->inflight || now_us < ob->retry_at_us)
        return 0;
    pthread_mutex_lock(&ob->mu);
    int due = ob->spool_files > 0 && sender_idle_locked(ob) && !ob->result_on &&
              ob->passes_done == ob->passes_seen;
    pthread_mutex_unlock(&ob->mu);
    return due;
}

void sensor_outbox_kick(struct sensor_outbox *ob)
{
    if (!ob->started)
        return;
    pthread_mutex_lock(&ob->mu);
    ob->kick = 1;
    pthread_cond_signal(&ob->wake);
    pthread_mutex_unlock(&ob->mu);
}

void sensor_outbox_poll(struct sensor_outbox *ob, uint64_t now_us)
{
    int result_on = 0, result_status = CAPS_UPLOAD_RETRY, pass_seen = 0;
    int any_ok = 0, core_retry = 0;
    uint64_t result_seq = 0, result_epoch = 0;
    unsigned files_left = 0;

    if (ob->local_retry && ob->inflight) {
        /* Nothing reached the sender: the core rebuilds after its backoff. */
        ob->local_retry = 0;
        ob->inflight = 0;
        if (ob->started)
            pthread_mutex_lock(&ob->mu);
        ob->retries++;
        if (ob->started)
            pthread_mutex_unlock(&ob->mu);
        caps_sensor_upload_done(ob->s, ob->inflight_seq, CAPS_UPLOAD_RETRY, 0, now_us);
    }
    if (ob->started) {
        pthread_mutex_lock(&ob->mu);
        while (ob->sync && !sender_idle_locked(ob))
            pthread_cond_wait(&ob->idle, &ob->mu);
    }
    if (ob->result_on) {
        result_on = 1;
        result_seq = ob->result_seq;
        result_status = ob->result_status;
        result_epoch = ob->result_epoch;
        ob->result_on = 0;
    }
    if (ob->passes_done != ob->passes_seen) {
        pass_seen = 1;
        ob->passes_seen = ob->passes_done;
        any_ok = ob->pass_any_ok;
        core_retry = ob->pass_core_retry;
        files_left = ob->pass_files_left;
    }
    if (ob->started)
        pthread_mutex_unlock(&ob->mu);

    if (result_on && ob->inflight && result_seq == ob->inflight_seq) {
        ob->inflight = 0;
        caps_sensor_upload_done(ob->s, result_seq, result_status, result_epoch, now_us);
    }
    if (pass_seen) {
        if (any_ok)
            ob->retry_us = 0;
        if (files_left > 0) {
            ob->retry_us = ob->retry_us == 0 ? SENSOR_OUTBOX_RETRY_US_MIN : ob->retry_us * 2;
            if (ob->retry_us > SENSOR_OUTBOX_RETRY_US_MAX)
                ob->retry_us = SENSOR_OUTBOX_RETRY_US_MAX;
            /* The core rebuilds on its own backoff and its new payload starts
             * the next pass; our timer is only the safety net then. */
            ob->retry_at_us = now_us + (core_retry ? SENSOR_OUTBOX_RETRY_US_MAX : ob->retry_us);
        }
    }
}

int sensor_outbox_wait_idle(struct sensor_outbox *ob, uint64_t until_wall_us,
                            volatile sig_atomic_t *stop)
{
    if (!ob->started)
        return 1;
    pthread_mutex_lock(&ob->mu);
    for (;;) {
        if (sender_idle_locked(ob))
            break;
        uint64_t now = sensor_wall_us();
        if (now >= until_wall_us || (stop != NULL && *stop))
            break;
        uint64_t slice = until_wall_us - now;
        if (slice > OUTBOX_WAIT_SLICE_US)
            slice = OUTBOX_WAIT_SLICE_US;
        uint64_t at = now + slice;   /* CLOCK_REALTIME, as the condition's default clock */
        struct timespec ts = {(time_t)(at / 1000000u), (long)(at % 1000000u) * 1000};
        int rc = pthread_cond_timedwait(&ob->idle, &ob->mu, &ts);
        if (rc != 0 && rc != ETIMEDOUT)
            break;
    }
    int idle = sender_idle_locked(ob);
    pthread_mutex_unlock(&ob->mu);
    return idle;
}

int sensor_outbox_idle(struct sensor_outbox *ob)
{
    if (ob->inflight || ob->local_retry)
        return 0;
    if (!ob->started)
        return sensor_spool_count(ob->spool) == 0;
    pthread_mutex_lock(&ob->mu);
    int idle = ob->spool_files == 0 && sender_idle_locked(ob) && !ob->result_on;
    pthread_mutex_unlock(&ob->mu);
    return idle;
}

unsigned sensor_outbox_spooled(struct sensor_outbox *ob)
{
    if (!ob->started)
        return sensor_spool_count(ob->spool);
    pthread_mutex_lock(&ob->mu);
    unsigned n = ob->spool_files;
    pthread_mutex_unlock(&ob->mu);
    return n;
}

int sensor_outbox_last_status(struct sensor_outbox *ob)
{
    if (!ob->started)
        return ob->last_status;
    pthread_mutex_lock(&ob->mu);
    int st = ob->last_status;
    pthread_mutex_unlock(&ob->mu);
    return st;
}

void sensor_outbox_stop(struct sensor_outbox *ob)
{
    if (!ob->started)
        return;
    pthread_mutex_lock(&ob->mu);
    ob->quit = 1;
    atomic_store(&ob->abort_requests, 1);
    pthread_cond_signal(&ob->wake);
    pthread_mutex_unlock(&ob->mu);
    pthread_join(ob->thread, NULL);
    /* The thread is gone: what it left is read without the lock from here. */
    ob->started = 0;
    ob->cloud->abort_flag = NULL;
    pthread_cond_destroy(&ob->idle);
    pthread_cond_destroy(&ob->wake);
    pthread_mutex_destroy(&ob->mu);
}
