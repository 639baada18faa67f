/* sensor/run.h - the live sensor's event loop around one core.
 *
 * Live: poll the capture and the election socket, tick the core at its
 * deadlines on the wall clock, hand uploads to the outbox's sender thread and
 * poll its result slot on every turn, never waiting for the cloud. File:
 * replay at the capture's own pace (or as fast as it reads, then waiting for
 * each send pass so the uploads are the same every run), the capture's
 * timestamps being the sensor's clock, then upload once more at the end and
 * wait for the cloud up to final_wait_s of wall time. Both stop when *stop
 * is set (SIGTERM, SIGINT). The core is called from this thread only; every
 * wait is bounded by SENSOR_RUN_POLL_MS so a stop is seen promptly.
 */
#ifndef SENSOR_RUN_H
#define SENSOR_RUN_H

#include <signal.h>
#include <stdint.h>

#include "caps/sensor.h"
#include "sensor/capture.h"
#include "sensor/electsock.h"
#include "sensor/log.h"
#include "sensor/outbox.h"
#include "sensor/sitekey.h"

#define SENSOR_RUN_POLL_MS 200          /* longest wait between looks at *stop */
#define SENSOR_RUN_BATCH_FRAMES 4096    /* frames read per wake-up before timers run */
#define SENSOR_RUN_BATCH_ADVERTS 256    /* adverts read per wake-up */
#define SENSOR_RUN_TICK_US 1000000u     /* the core is ticked at least once a second */
/* Live stop: how long the last upload may take before the sender is told to
 * abort (its payload stays spooled). Under a service manager's default stop
 * timeout (90 s for systemd), above the uploader's 5 s connect timeout. */
#define SENSOR_RUN_STOP_WAIT_US 10000000ull

struct sensor_run {
    /* Set by the caller before sensor_run_host / the run. */
    struct caps_sensor *s;
    struct sensor_capture *cap;
    struct sensor_log *log;
    struct sensor_electsock *es;      /* NULL: standalone (no election) */
    const struct sensor_sitekey *sitekey; /* with es */
    struct caps_election_config ecfg; /* with es; agent id, priority, interval, ... */
    struct sensor_outbox *ob;         /* NULL: no uploads */
    struct caps_upload_config ucfg;   /* with ob; initial_seq is raised to the start time */
    double pace;                      /* file: 0 as fast as read, else the speed factor */
    uint32_t final_wait_s;            /* file with uploads: wall time allowed at the end */
    volatile sig_atomic_t *stop;
    /* Results. */
    uint64_t now_us;                  /* the sensor's clock */
    uint64_t first_ts_us, last_ts_us; /* capture times of the first and last frame */
    uint64_t frames;                  /* frames handed to the core */
    uint64_t adverts;                 /* adverts handed to the core */
    uint64_t last_tick_us;
    int stopped;                      /* *stop was seen */
};

/* Fills host with the run's callbacks (ctx = r): log, and with an election
 * socket send, hmac_sha256 and on_role, and with an outbox submit_upload. */
void sensor_run_host(struct sensor_run *r, struct caps_host *host);

/* Captures live until *stop. Starts the election and uploads at the start
 * time (ob started with sensor_outbox_start). On stop: a last upload is
 * built, the core stops (a priority 0 advert goes out), the sender gets up
 * to SENSOR_RUN_STOP_WAIT_US to finish its pass and is then stopped
 * (sensor_outbox_stop); the spool keeps the rest. Logs libpcap's drops.
 * Returns 0, or -1 with err (core refused its election or upload
 * configuration, or the capture failed). */
int sensor_run_live(struct sensor_run *r, char err[SENSOR_ERRMSG_MAX]);

/* Replays the capture file. Uploads start at the first frame's time. Returns
 * 0 at the end of the file or on stop, -1 with err when the file is damaged
 * (what was read stays in the core). */
int sensor_run_file(struct sensor_run *r, char err[SENSOR_ERRMSG_MAX]);

/* After sensor_run_file with uploads: builds the last upload and sends the
 * spool, retrying on the core's backoff in wall time for up to final_wait_s,
 * then stops the sender (sensor_outbox_stop).
 * Returns 0 when everything was acknowledged, -1 with err when the cloud
 * refused or could not be reached in time (the payload stays spooled). */
int sensor_run_file_finish(struct sensor_run *r, char err[SENSOR_ERRMSG_MAX]);

#endif
