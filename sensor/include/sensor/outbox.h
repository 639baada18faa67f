/* sensor/outbox.h - from the core's upload to the cloud's answer.
 *
 * Two threads. The main thread (the event loop) alone calls the core: the
 * core's submit_upload lands in sensor_outbox_submit, which builds the
 * payload (codec_upload_build reads the inventory) and hands the document to
 * the sender thread through a mutex-protected queue, returning at once. The
 * sender thread alone owns the spool directory and the libcurl handle: it
 * spools the payload, then sends the spool oldest first and posts the answer
 * for the core's in-flight upload into a result slot, which the main loop
 * polls every turn (sensor_outbox_poll) and reports with
 * caps_sensor_upload_done at its own clock. Files refused for good (4xx,
 * fenced) are moved aside as NAME.rejected so they never block newer ones.
 * Files left without a core upload in flight (an earlier run's) are retried
 * on their own backoff, kept by the main thread: 5 s doubling to
 * SENSOR_OUTBOX_RETRY_US_MAX; when the core was told to retry, its rebuild
 * (on the core's backoff) starts the next pass and this timer waits the
 * maximum, as a safety net. With sync set (a replay without --pace) the main
 * thread waits for each pass, so a replay uploads the same payloads in the
 * same order on every run.
 */
#ifndef SENSOR_OUTBOX_H
#define SENSOR_OUTBOX_H

#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "caps/sensor.h"
#include "sensor/log.h"
#include "sensor/spool.h"
#include "sensor/uploader.h"

#define SENSOR_OUTBOX_RETRY_US_MIN 5000000ull
#define SENSOR_OUTBOX_RETRY_US_MAX 300000000ull
/* Documents waiting for the sender. The core has one upload in flight and
 * builds the next only after its outcome, so one slot would do; two leave
 * room for a flush that follows an answered upload before the sender took it. */
#define SENSOR_OUTBOX_QUEUE_MAX 2
#define SENSOR_OUTBOX_ERRMSG_MAX 512

struct sensor_outbox {
    /* Set by the caller before sensor_outbox_start. */
    struct caps_sensor *s;       /* set before the first submit */
    struct sensor_spool *spool;  /* borrowed; the sender's alone once started */
    struct sensor_cloud *cloud;  /* borrowed; the sender's alone once started */
    struct sensor_log *log;      /* borrowed (thread-safe) */
    const char *agent_id;        /* borrowed */
    const char *subnet;          /* borrowed */
    int sync;                    /* 1: sensor_outbox_poll waits for a running pass */
    /* The main thread's. */
    int inflight;                /* the core awaits an outcome for inflight_seq */
    uint64_t inflight_seq;
    uint64_t last_seq;           /* highest seq built this run, 0 none */
    uint64_t retry_at_us;        /* leftovers without a core upload: next try */
    uint64_t retry_us;           /* their current backoff */
    uint64_t passes_seen;        /* passes whose outcome the timer took */
    int local_retry;             /* the in-flight payload never reached the sender */
    /* Shared: under mu. */
    pthread_mutex_t mu;
    pthread_cond_t wake;         /* to the sender: work, or quit */
    pthread_cond_t idle;         /* to the main thread: a pass ended */
    pthread_t thread;
    int started;                 /* the sender runs (until sensor_outbox_stop) */
    int quit;                    /* the sender spools what is queued and ends */
    atomic_int abort_requests;   /* read by libcurl's progress callback */
    cJSON *queue[SENSOR_OUTBOX_QUEUE_MAX];   /* owned documents, oldest first */
    struct caps_upload queue_u[SENSOR_OUTBOX_QUEUE_MAX]; /* what each describes */
    unsigned queued;
    int kick;                    /* a pass is asked for without a new payload */
    int busy;                    /* the sender is spooling or in a pass */
    int result_on;               /* the slot holds an outcome not yet reported */
    uint64_t result_seq;
    int result_status;           /* enum caps_upload_status */
    uint64_t result_epoch;       /* FENCED: the cloud's epoch of the subnet */
    uint64_t passes_done;        /* passes ended */
    unsigned pass_files_left;    /* spool files after the last pass */
    int pass_any_ok;             /* the last pass had a file acknowledged */
    int pass_core_retry;         /* the last pass told the core to retry */
    unsigned spool_files;        /* spool files now (the sender keeps it) */
    int last_status;             /* outcome of the last answered file, -1 none */
    uint64_t sent_ok, retries, rejected, fenced;
};

/* Starts the sender thread; the spool, the cloud and the log are set and
 * the spool is open. From here on only the sender touches the spool and the
 * cloud handle. Returns 0, or -1 with err. */
int sensor_outbox_start(struct sensor_outbox *ob, char err[SENSOR_OUTBOX_ERRMSG_MAX]);

/* The core's submit_upload: builds the payload of u and queues it for the
 * sender. Returns at once; must not call into the core (it runs inside a
 * core call). */
void sensor_outbox_submit(struct sensor_outbox *ob, const struct caps_upload *u);

/* 1 when leftovers without a core upload in flight are due for a pass at
 * now_us (sensor time) and the sender is idle. */
int sensor_outbox_due(struct sensor_outbox *ob, uint64_t now_us);

/* Asks the sender for a send pass of the spool (no new payload). */
void sensor_outbox_kick(struct sensor_outbox *ob);

/* Main thread, every turn: with sync, first waits until the sender is idle.
 * Reports a posted outcome of the core's in-flight upload with
 * caps_sensor_upload_done at now_us, and after a pass sets the leftovers'
 * retry time from now_us. Never blocks without sync. */
void sensor_outbox_poll(struct sensor_outbox *ob, uint64_t now_us);

/* Waits until the sender is idle (nothing queued or asked for, no pass
 * running) or the wall clock reaches until_wall_us, or *stop is set (may be
 * NULL). Waits at most SENSOR_RUN_POLL_MS-sized slices. Returns 1 when idle. */
int sensor_outbox_wait_idle(struct sensor_outbox *ob, uint64_t until_wall_us,
                            volatile sig_atomic_t *stop);

/* 1 when nothing waits: the spool is empty, no upload is in flight, the
 * sender is idle. */
int sensor_outbox_idle(struct sensor_outbox *ob);

/* Spool files now, and the outcome of the last answered file (-1 none). */
unsigned sensor_outbox_spooled(struct sensor_outbox *ob);
int sensor_outbox_last_status(struct sensor_outbox *ob);

/* Ends the sender: a running request is aborted (its file stays spooled),
 * queued documents are still spooled, then the thread is joined. Idempotent;
 * a no-op when it was never started. */
void sensor_outbox_stop(struct sensor_outbox *ob);

#endif
