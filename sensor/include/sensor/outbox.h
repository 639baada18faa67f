/* sensor/outbox.h - from the core's upload to the cloud's answer.
 *
 * The core's submit_upload lands here: the payload is built
 * (codec_upload_build) and spooled before anything is sent. A send pass then
 * posts the spool oldest first and reports the answer for the core's
 * in-flight upload with caps_sensor_upload_done. Files refused for good
 * (4xx, fenced) are moved aside as NAME.rejected so they never block newer
 * ones. Files left without a core upload in flight (an earlier run's) are
 * retried on their own backoff: 5 s doubling to SENSOR_OUTBOX_RETRY_US_MAX;
 * when the core was told to retry, its rebuild (on the core's backoff)
 * starts the next pass and this timer waits the maximum, as a safety net.
 */
#ifndef SENSOR_OUTBOX_H
#define SENSOR_OUTBOX_H

#include <stdint.h>

#include "caps/sensor.h"
#include "sensor/log.h"
#include "sensor/spool.h"
#include "sensor/uploader.h"

#define SENSOR_OUTBOX_RETRY_US_MIN 5000000ull
#define SENSOR_OUTBOX_RETRY_US_MAX 300000000ull

struct sensor_outbox {
    struct caps_sensor *s;       /* set before the first submit */
    struct sensor_spool *spool;  /* borrowed */
    struct sensor_cloud *cloud;  /* borrowed */
    struct sensor_log *log;      /* borrowed */
    const char *agent_id;        /* borrowed */
    const char *subnet;          /* borrowed */
    int inflight;                /* the core awaits an outcome for inflight_seq */
    uint64_t inflight_seq;
    int inflight_spooled;        /* 0: the payload could not be spooled */
    int submitted;               /* a payload was spooled since the last pass */
    uint64_t last_seq;           /* highest seq built this run, 0 none */
    int last_status;             /* outcome of the last answered file, -1 none */
    uint64_t retry_at_us;        /* leftovers without a core upload: next try */
    uint64_t retry_us;           /* their current backoff */
    uint64_t sent_ok, retries, rejected, fenced;
};

/* The core's submit_upload: builds and spools the payload of u. Must not
 * call into the core (it runs inside a core call). */
void sensor_outbox_submit(struct sensor_outbox *ob, const struct caps_upload *u);

/* 1 when a send pass is due at now_us: a new payload, a core upload whose
 * spooling failed, or leftovers whose retry time came. */
int sensor_outbox_due(const struct sensor_outbox *ob, uint64_t now_us);

/* Sends the spool oldest first until it is empty or the cloud is out of
 * reach, reporting the core's in-flight upload at now_us (sensor time). */
void sensor_outbox_pass(struct sensor_outbox *ob, uint64_t now_us);

/* 1 when nothing waits: the spool is empty and no upload is in flight. */
int sensor_outbox_idle(const struct sensor_outbox *ob);

#endif
