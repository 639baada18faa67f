/* test_outbox.c - the upload hand-off between the main thread and the
 * outbox's sender thread, against a cloud URL nobody listens on: submit
 * returns before anything is sent, the payload reaches the spool (real
 * files, read back), the result slot reports RETRY to the core, and
 * leftovers are retried on the outbox's own timer. Nothing here measures
 * time: waits are for the sender to become idle.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <unistd.h>

#include "caps/sensor.h"
#include "frames.h"
#include "sensor/log.h"
#include "sensor/outbox.h"
#include "sensor/spool.h"
#include "sensor/uploader.h"
#include "testutil.h"

Suite *suite_outbox(void);

extern const struct caps_sample_set caps_samples_arp;

#define T0_US 1795834800000000ull
#define S_US 1000000ull
/* Port 1 on the loopback: nothing listens, the connect is refused at once. */
#define DEAD_CLOUD "http://127.0.0.1:1"
/* A bound on waiting for the sender, far above a refused connect (never a
 * pass/fail measure: the test asserts what the sender did, not how fast). */
#define SENDER_WAIT_US (60 * S_US)

struct rig {
    char dir[256];
    char spool_dir[300];
    char log_dir[300];
    struct sensor_log lg;
    struct sensor_spool spool;
    struct sensor_cloud cloud;
    struct sensor_outbox ob;
    struct caps_sensor s;
    void *arena;
    unsigned submits;       /* submit_upload calls that returned */
    struct caps_upload last;
};

static void rig_submit(void *ctx, const struct caps_upload *u)
{
    struct rig *g = ctx;
    sensor_outbox_submit(&g->ob, u);
    g->last = *u;
    g->submits++;
}

static void rig_open_outbox(struct rig *g)
{
    char err[SENSOR_SPOOL_ERRMSG_MAX], oerr[SENSOR_OUTBOX_ERRMSG_MAX];
    ck_assert_msg(sensor_spool_open(&g->spool, g->spool_dir, NULL, NULL, err) == 0, "%s", err);
    memset(&g->ob, 0, sizeof g->ob);
    g->ob.s = &g->s;
    g->ob.spool = &g->spool;
    g->ob.cloud = &g->cloud;
    g->ob.log = &g->lg;
    g->ob.agent_id = "agent-test";
    g->ob.subnet = "192.168.1.0/24";
    g->ob.last_status = -1;
    ck_assert_msg(sensor_outbox_start(&g->ob, oerr) == 0, "%s", oerr);
}

static void rig_init(struct rig *g)
{
    char err[SENSOR_CLOUD_ERRMSG_MAX], lerr[SENSOR_LOG_ERRMSG_MAX];
    struct caps_config cfg;
    struct caps_host host;
    struct caps_upload_config ucfg;

    memset(g, 0, sizeof *g);
    snprintf(g->dir, sizeof g->dir, "/tmp/caps-outbox-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(g->dir));
    snprintf(g->spool_dir, sizeof g->spool_dir, "%s/spool", g->dir);
    snprintf(g->log_dir, sizeof g->log_dir, "%s/log", g->dir);
    ck_assert_msg(sensor_log_open(&g->lg, g->log_dir, SENSOR_LOG_BYTES_DEFAULT, 2, lerr) == 0,
                  "%s", lerr);
    ck_assert_msg(sensor_cloud_init(&g->cloud, DEAD_CLOUD, 0, err) == 0, "%s", err);
    sensor_cloud_set_token(&g->cloud, "test-token");

    caps_config_default(&cfg);
    cfg.assets_max = 16;
    memset(&host, 0, sizeof host);
    host.ctx = g;
    host.submit_upload = rig_submit;
    size_t n = caps_sensor_arena_bytes(&cfg);
    g->arena = aligned_alloc(64, (n + 63) & ~(size_t)63);
    ck_assert_ptr_nonnull(g->arena);
    ck_assert_int_eq(caps_sensor_init(&g->s, &cfg, &host, g->arena, n), CAPS_OK);
    memset(&ucfg, 0, sizeof ucfg);
    ucfg.interval_us = 3600 * S_US;
    ucfg.initial_seq = T0_US;
    ucfg.jitter_seed = 7;
    ck_assert_int_eq(caps_sensor_upload_init(&g->s, &ucfg, T0_US), CAPS_OK);
    rig_open_outbox(g);
}

static void remove_dir(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    char path[600];
    if (d == NULL)
        return;
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.')
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        unlink(path);
    }
    closedir(d);
    rmdir(dir);
}

static void rig_free(struct rig *g)
{
    sensor_outbox_stop(&g->ob);
    sensor_cloud_cleanup(&g->cloud);
    sensor_log_close(&g->lg);
    free(g->arena);
    remove_dir(g->spool_dir);
    remove_dir(g->log_dir);
    rmdir(g->dir);
}

/* One ARP request from 3c:a9:f4:00:00:01 at ts_us: one asset. */
static void device_speaks(struct caps_sensor *s, uint64_t ts_us)
{
    uint8_t body[64], frame[FRAME_BYTES_MAX];
    struct frame_spec f;
    const struct caps_sample *smp = test_sample(&caps_samples_arp, "windows10_request");
    const uint8_t mac[6] = {0x3c, 0xa9, 0xf4, 0x00, 0x00, 0x01};

    ck_assert_uint_le(smp->len, sizeof body);
    memcpy(body, smp->bytes, smp->len);
    memcpy(body + 8, mac, 6);                 /* sender hardware address */
    memset(&f, 0, sizeof f);
    memcpy(f.src_mac, mac, 6);
    memset(f.dst_mac, 0xff, 6);
    size_t n = frame_build(&f, body, smp->len, frame);
    ck_assert_uint_gt(n, 0);
    caps_sensor_frame(s, ts_us, frame, n, n);
}

/* The log file's text (at most cap - 1 bytes). */
static void log_read(const struct rig *g, char *out, size_t cap)
{
    char path[400];
    snprintf(path, sizeof path, "%s/caps.log", g->log_dir);
    FILE *fp = fopen(path, "r");
    ck_assert_ptr_nonnull(fp);
    size_t n = fread(out, 1, cap - 1, fp);
    out[n] = '\0';
    fclose(fp);
}

static void handoff_reports_retry(int sync)
{
    struct rig *g = calloc(1, sizeof *g);
    ck_assert_ptr_nonnull(g);
    rig_init(g);
    g->ob.sync = sync;
    device_speaks(&g->s, T0_US + S_US);
    ck_assert_uint_eq(g->s.inv.count, 1);

    /* submit_upload builds and hands over; the core hears nothing yet. */
    ck_assert_int_eq(caps_sensor_upload_flush(&g->s, T0_US + 2 * S_US), 1);
    ck_assert_uint_eq(g->submits, 1);
    ck_assert_int_eq(g->ob.inflight, 1);
    ck_assert_uint_eq(g->ob.inflight_seq, g->last.seq);
    ck_assert_uint_eq(g->ob.last_seq, g->last.seq);
    ck_assert_int_eq(g->s.upload.inflight_on, 1);
    ck_assert_uint_eq(g->s.upload.stats.retries, 0);

    if (!sync)
        ck_assert_int_eq(sensor_outbox_wait_idle(&g->ob, sensor_wall_us() + SENDER_WAIT_US,
                                                 NULL), 1);
    sensor_outbox_poll(&g->ob, T0_US + 3 * S_US);   /* sync: waits for the pass itself */

    /* The result slot said RETRY; the core took it at the poller's clock. */
    ck_assert_int_eq(g->ob.inflight, 0);
    ck_assert_int_eq(g->s.upload.inflight_on, 0);
    ck_assert_uint_eq(g->s.upload.stats.retries, 1);
    ck_assert_uint_eq(g->s.upload.stats.acked, 0);
    ck_assert_int_eq(sensor_outbox_last_status(&g->ob), CAPS_UPLOAD_RETRY);
    ck_assert_uint_eq(sensor_outbox_spooled(&g->ob), 1);
    ck_assert_int_eq(sensor_outbox_idle(&g->ob), 0);      /* the file waits */
    /* The core was told to retry: the leftovers' timer waits the maximum. */
    ck_assert_uint_eq(g->ob.retry_at_us, T0_US + 3 * S_US + SENSOR_OUTBOX_RETRY_US_MAX);
    ck_assert_int_eq(sensor_outbox_due(&g->ob, T0_US + 4 * S_US), 0);

    sensor_outbox_stop(&g->ob);
    ck_assert_uint_eq(g->ob.retries, 1);
    ck_assert_uint_eq(g->ob.sent_ok, 0);

    /* The payload is on disk, whole: its seq and the asset's MAC. */
    char err[SENSOR_SPOOL_ERRMSG_MAX];
    struct codec_upload_head head;
    char *text = NULL;
    size_t len = 0;
    ck_assert_uint_eq(sensor_spool_count(&g->spool), 1);
    ck_assert_int_eq(sensor_spool_oldest(&g->spool, &text, &len, &head, err), 0);
    ck_assert_uint_eq(head.seq, g->last.seq);
    ck_assert_ptr_nonnull(strstr(text, "3c:a9:f4:00:00:01"));
    ck_assert_ptr_nonnull(strstr(text, "agent-test"));
    free(text);

    char logtext[8192];
    log_read(g, logtext, sizeof logtext);
    ck_assert_ptr_nonnull(strstr(logtext, "spooled (1 file(s))"));
    ck_assert_ptr_nonnull(strstr(logtext, "retry later, kept in the spool: no answer"));
    ck_assert_ptr_null(strstr(logtext, "test-token"));
    rig_free(g);
    free(g);
}

START_TEST(handoff_spools_and_reports_retry)
{
    handoff_reports_retry(0);
}
END_TEST

START_TEST(handoff_sync_waits_for_the_pass)
{
    handoff_reports_retry(1);
}
END_TEST

START_TEST(leftovers_are_retried_on_their_own_timer)
{
    struct rig *g = calloc(1, sizeof *g);
    ck_assert_ptr_nonnull(g);
    rig_init(g);
    device_speaks(&g->s, T0_US + S_US);
    ck_assert_int_eq(caps_sensor_upload_flush(&g->s, T0_US + 2 * S_US), 1);
    ck_assert_int_eq(sensor_outbox_wait_idle(&g->ob, sensor_wall_us() + SENDER_WAIT_US, NULL), 1);
    sensor_outbox_poll(&g->ob, T0_US + 3 * S_US);
    sensor_outbox_stop(&g->ob);

    /* A new run over the same spool: the file is a leftover, due at once. */
    rig_open_outbox(g);
    ck_assert_uint_eq(sensor_outbox_spooled(&g->ob), 1);
    ck_assert_int_eq(sensor_outbox_due(&g->ob, T0_US), 1);
    sensor_outbox_kick(&g->ob);
    ck_assert_int_eq(sensor_outbox_due(&g->ob, T0_US), 0);   /* asked for already */
    ck_assert_int_eq(sensor_outbox_wait_idle(&g->ob, sensor_wall_us() + SENDER_WAIT_US, NULL), 1);
    sensor_outbox_poll(&g->ob, T0_US + 10 * S_US);
    /* No core upload waited: the own backoff, 5 s, then 10 s. */
    ck_assert_uint_eq(g->ob.retry_at_us, T0_US + 10 * S_US + SENSOR_OUTBOX_RETRY_US_MIN);
    ck_assert_int_eq(sensor_outbox_due(&g->ob, T0_US + 10 * S_US), 0);
    ck_assert_int_eq(sensor_outbox_due(&g->ob, T0_US + 15 * S_US), 1);
    sensor_outbox_kick(&g->ob);
    ck_assert_int_eq(sensor_outbox_wait_idle(&g->ob, sensor_wall_us() + SENDER_WAIT_US, NULL), 1);
    sensor_outbox_poll(&g->ob, T0_US + 15 * S_US);
    ck_assert_uint_eq(g->ob.retry_at_us, T0_US + 15 * S_US + 2 * SENSOR_OUTBOX_RETRY_US_MIN);
    ck_assert_uint_eq(sensor_outbox_spooled(&g->ob), 1);
    ck_assert_int_eq(sensor_outbox_last_status(&g->ob), CAPS_UPLOAD_RETRY);
    rig_free(g);
    free(g);
}
END_TEST

START_TEST(stop_aborts_nothing_spooled_is_lost)
{
    struct rig *g = calloc(1, sizeof *g);
    ck_assert_ptr_nonnull(g);
    rig_init(g);
    device_speaks(&g->s, T0_US + S_US);
    /* Submit and stop at once: whether or not the sender began its pass,
     * the payload ends up in the spool and the core hears RETRY. */
    ck_assert_int_eq(caps_sensor_upload_flush(&g->s, T0_US + 2 * S_US), 1);
    sensor_outbox_stop(&g->ob);
    sensor_outbox_poll(&g->ob, T0_US + 3 * S_US);
    ck_assert_int_eq(g->s.upload.inflight_on, 0);
    ck_assert_uint_eq(g->s.upload.stats.retries, 1);
    ck_assert_uint_eq(sensor_spool_count(&g->spool), 1);
    /* Stopped: a later submit is refused and reported as a retry. */
    device_speaks(&g->s, T0_US + 4 * S_US);
    ck_assert_int_eq(caps_sensor_upload_flush(&g->s, T0_US + 5 * S_US), 1);
    sensor_outbox_poll(&g->ob, T0_US + 6 * S_US);
    ck_assert_uint_eq(g->s.upload.stats.retries, 2);
    ck_assert_uint_eq(sensor_spool_count(&g->spool), 1);
    rig_free(g);
    free(g);
}
END_TEST

Suite *suite_outbox(void)
{
    Suite *s = suite_create("outbox");
    TCase *tc = tcase_create("handoff");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, handoff_spools_and_reports_retry);
    tcase_add_test(tc, handoff_sync_waits_for_the_pass);
    tcase_add_test(tc, leftovers_are_retried_on_their_own_timer);
    tcase_add_test(tc, stop_aborts_nothing_spooled_is_lost);
    suite_add_tcase(s, tc);
    return s;
}
