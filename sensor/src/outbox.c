/* outbox.c - the upload path of the live sensor: build, spool, send, report.
 *
 * Invariant: a payload is on disk before it is sent and leaves the disk only
 * after "accepted" or "duplicate" (or, refused for good, moved aside). The
 * core has at most one upload in flight; it is the newest spool file, so a
 * pass that stops early (the cloud is unreachable) reports it as a retry. A
 * pass sends at most SENSOR_SPOOL_FILES_MAX + 1 files: bounded.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "codec/upload.h"
#include "sensor/outbox.h"

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

void sensor_outbox_submit(struct sensor_outbox *ob, const struct caps_upload *u)
{
    struct codec_upload_id id = {ob->agent_id, ob->subnet};
    char err[SENSOR_SPOOL_ERRMSG_MAX];

    ob->inflight = 1;
    ob->inflight_seq = u->seq;
    ob->inflight_spooled = 0;
    if (u->seq > ob->last_seq)
        ob->last_seq = u->seq;
    cJSON *doc = codec_upload_build(ob->s, u, &id);
    if (doc == NULL) {
        sensor_log_printf(ob->log, CAPS_LOG_ERROR,
                          "upload seq %" PRIu64 ": out of memory building the payload", u->seq);
        return;
    }
    int rc = sensor_spool_put(ob->spool, doc, err);
    cJSON_Delete(doc);
    if (rc != 0) {
        sensor_log_printf(ob->log, CAPS_LOG_ERROR, "upload seq %" PRIu64 ": cannot spool: %s",
                          u->seq, err);
        return;
    }
    ob->inflight_spooled = 1;
    ob->submitted = 1;
    sensor_log_printf(ob->log, CAPS_LOG_INFO,
                      "upload seq %" PRIu64 " epoch %" PRIu64 ": %u asset(s)%s, attempt %u, "
                      "spooled (%u file(s))",
                      u->seq, u->epoch, u->asset_count, u->full ? " (full)" : "",
                      (unsigned)u->attempt, sensor_spool_count(ob->spool));
}

int sensor_outbox_due(const struct sensor_outbox *ob, uint64_t now_us)
{
    if (ob->submitted || (ob->inflight && !ob->inflight_spooled))
        return 1;
    return sensor_spool_count(ob->spool) > 0 && !ob->inflight && now_us >= ob->retry_at_us;
}

int sensor_outbox_idle(const struct sensor_outbox *ob)
{
    return sensor_spool_count(ob->spool) == 0 && !ob->inflight;
}

/* Tells the core the outcome of its in-flight upload. */
static void outbox_done(struct sensor_outbox *ob, int status, uint64_t epoch, uint64_t now_us)
{
    uint64_t seq = ob->inflight_seq;
    ob->inflight = 0;
    caps_sensor_upload_done(ob->s, seq, status, epoch, now_us);
}

void sensor_outbox_pass(struct sensor_outbox *ob, uint64_t now_us)
{
    char err[SENSOR_SPOOL_ERRMSG_MAX];

    ob->submitted = 0;
    if (ob->inflight && !ob->inflight_spooled) {
        /* Nothing to send for it: the core rebuilds after its backoff. */
        outbox_done(ob, CAPS_UPLOAD_RETRY, 0, now_us);
        ob->retries++;
    }
    for (unsigned sent = 0; sent <= SENSOR_SPOOL_FILES_MAX; sent++) {
        struct codec_upload_head head;
        struct sensor_upload_result r;
        char *text;
        size_t len;

        int rc = sensor_spool_oldest(ob->spool, &text, &len, &head, err);
        if (rc == 1)
            break;                 /* empty */
        if (rc != 0)
            continue;              /* gone bad on disk: moved aside and reported */
        sensor_cloud_upload(ob->cloud, text, len, &r);
        free(text);
        int mine = ob->inflight && head.seq == ob->inflight_seq;
        ob->last_status = r.status;
        if (r.status == CAPS_UPLOAD_OK) {
            sensor_log_printf(ob->log, CAPS_LOG_INFO,
                              "upload seq %" PRIu64 ": %s (HTTP %ld, %zu bytes)", head.seq,
                              r.cloud_status, r.http_status, len);
            if (sensor_spool_drop_oldest(ob->spool, err) != 0) {
                sensor_log_printf(ob->log, CAPS_LOG_ERROR, "%s", err);
                break;
            }
            ob->sent_ok++;
            ob->retry_us = 0;
            if (mine)
                outbox_done(ob, CAPS_UPLOAD_OK, 0, now_us);
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
            ob->retries++;
            break;
        }
        /* Refused for good: fenced, or another 4xx (logged with the body). */
        sensor_log_printf(ob->log, r.status == CAPS_UPLOAD_FENCED ? CAPS_LOG_WARN : CAPS_LOG_ERROR,
                          "upload seq %" PRIu64 ": %s (HTTP %ld): %s; moved aside as .rejected",
                          head.seq, status_name(r.status), r.http_status, r.detail);
        if (sensor_spool_set_aside_oldest(ob->spool, "rejected", err) != 0) {
            sensor_log_printf(ob->log, CAPS_LOG_ERROR, "%s", err);
            break;
        }
        if (r.status == CAPS_UPLOAD_FENCED)
            ob->fenced++;
        else
            ob->rejected++;
        if (mine)
            outbox_done(ob, r.status, r.subnet_epoch, now_us);
    }
    int core_retries = 0;
    if (ob->inflight) {
        /* The pass stopped before the core's upload: it was not delivered. */
        outbox_done(ob, CAPS_UPLOAD_RETRY, 0, now_us);
        core_retries = 1;
    }
    if (sensor_spool_count(ob->spool) > 0) {
        ob->retry_us = ob->retry_us == 0 ? SENSOR_OUTBOX_RETRY_US_MIN : ob->retry_us * 2;
        if (ob->retry_us > SENSOR_OUTBOX_RETRY_US_MAX)
            ob->retry_us = SENSOR_OUTBOX_RETRY_US_MAX;
        /* The core rebuilds on its own backoff and its new payload starts
         * the next pass; our timer is only the safety net then. */
        ob->retry_at_us = now_us + (core_retries ? SENSOR_OUTBOX_RETRY_US_MAX : ob->retry_us);
    }
}
