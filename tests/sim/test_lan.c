/* test_lan.c - the virtual LAN segment: immediate delivery on a clean link,
 * delay and jitter (reordering), loss and duplication rates, per-port streams,
 * ports going down, and the recording of one port's view. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <check.h>

#include "sim/engine.h"
#include "sim/lan.h"
#include "traffic/pcapw.h"

#define SEED 20261102u
#define RX_MAX 40000u

struct rx {
    unsigned count;
    uint64_t at_us[RX_MAX];
    uint32_t seq[RX_MAX];       /* the frame's number, from its bytes */
    size_t len[RX_MAX];
};

static void rx_deliver(void *ctx, uint64_t now_us, const uint8_t *frame, size_t len)
{
    struct rx *rx = ctx;
    ck_assert_uint_lt(rx->count, RX_MAX);
    rx->at_us[rx->count] = now_us;
    rx->seq[rx->count] = (uint32_t)frame[20] << 24 | (uint32_t)frame[21] << 16 |
                         (uint32_t)frame[22] << 8 | frame[23];
    rx->len[rx->count] = len;
    rx->count++;
}

static void make_frame(uint8_t f[60], uint32_t seq)
{
    memset(f, 0, 60);
    memset(f, 0xff, 6);                       /* broadcast */
    f[6] = 0x02;
    f[11] = 0x01;
    f[12] = 0x08;
    f[13] = 0x06;
    f[20] = (uint8_t)(seq >> 24);
    f[21] = (uint8_t)(seq >> 16);
    f[22] = (uint8_t)(seq >> 8);
    f[23] = (uint8_t)seq;
}

struct sender {
    struct sim_lan *lan;
    uint32_t next;
    uint32_t total;
    uint64_t every_us;
    struct sim_engine *e;
};

static void send_one(void *ctx, uint64_t arg)
{
    struct sender *s = ctx;
    uint8_t f[60];
    (void)arg;
    make_frame(f, s->next++);
    sim_lan_send(s->lan, f, sizeof f);
    if (s->next < s->total)
        sim_engine_schedule(s->e, sim_engine_now_us(s->e) + s->every_us, send_one, s, 0);
}

/* Sends total frames, one every every_us from t = 0, and runs to the end. */
static void send_all(struct sim_engine *e, struct sim_lan *lan, uint32_t total, uint64_t every_us)
{
    struct sender s = {lan, 0, total, every_us, e};
    sim_engine_schedule(e, 0, send_one, &s, 0);
    sim_engine_run_until(e, UINT64_MAX - 1);
}

START_TEST(clean_link_delivers_at_once)
{
    struct sim_engine *e = sim_engine_create(0);
    struct sim_lan_link link = {0, 0, 0.0, 0.0};
    struct sim_lan *lan = sim_lan_create(e, &link, SEED);
    struct rx *a = calloc(1, sizeof *a), *b = calloc(1, sizeof *b);
    ck_assert_int_eq(sim_lan_attach(lan, rx_deliver, a), 0);
    ck_assert_int_eq(sim_lan_attach(lan, rx_deliver, b), 1);
    uint8_t f[60];
    make_frame(f, 7);
    ck_assert_uint_eq(sim_lan_send(lan, f, sizeof f), 2);
    /* No event: the copies arrived inside the call. */
    ck_assert_uint_eq(sim_engine_pending(e), 0);
    ck_assert_uint_eq(a->count, 1);
    ck_assert_uint_eq(b->count, 1);
    ck_assert_uint_eq(a->seq[0], 7);
    ck_assert_uint_eq(a->len[0], 60);
    send_all(e, lan, 1000, 10);
    ck_assert_uint_eq(a->count, 1001);
    for (unsigned i = 1; i < a->count; i++)
        ck_assert_uint_eq(a->seq[i], i - 1);
    ck_assert_uint_eq(sim_lan_port_stats(lan, 1)->delivered, 1001);
    free(a);
    free(b);
    sim_lan_destroy(lan);
    sim_engine_destroy(e);
}
END_TEST

START_TEST(delay_without_jitter_keeps_order)
{
    struct sim_engine *e = sim_engine_create(0);
    struct sim_lan_link link = {2500, 0, 0.0, 0.0};
    struct sim_lan *lan = sim_lan_create(e, &link, SEED);
    struct rx *a = calloc(1, sizeof *a);
    sim_lan_attach(lan, rx_deliver, a);
    send_all(e, lan, 500, 100);
    ck_assert_uint_eq(a->count, 500);
    for (unsigned i = 0; i < a->count; i++) {
        ck_assert_uint_eq(a->seq[i], i);
        ck_assert_uint_eq(a->at_us[i], (uint64_t)i * 100u + 2500u);
    }
    ck_assert_uint_eq(sim_lan_pending(lan), 0);
    free(a);
    sim_lan_destroy(lan);
    sim_engine_destroy(e);
}
END_TEST

START_TEST(jitter_reorders_within_bounds)
{
    struct sim_engine *e = sim_engine_create(0);
    struct sim_lan_link link = {1000, 5000, 0.0, 0.0};
    struct sim_lan *lan = sim_lan_create(e, &link, SEED);
    struct rx *a = calloc(1, sizeof *a);
    sim_lan_attach(lan, rx_deliver, a);
    send_all(e, lan, 2000, 1000);
    ck_assert_uint_eq(a->count, 2000);
    unsigned inversions = 0;
    for (unsigned i = 0; i < a->count; i++) {
        uint64_t sent_us = (uint64_t)a->seq[i] * 1000u;
        ck_assert_uint_ge(a->at_us[i], sent_us + 1000u);
        ck_assert_uint_lt(a->at_us[i], sent_us + 6000u);
        if (i > 0) {
            ck_assert_uint_ge(a->at_us[i], a->at_us[i - 1]);
            inversions += a->seq[i] < a->seq[i - 1];
        }
    }
    /* Frames 1 ms apart with 5 ms of jitter: many overtake each other. */
    ck_assert_uint_gt(inversions, 200);
    ck_assert_uint_lt(inversions, 2000);
    ck_assert_uint_eq(inversions, 649);     /* recorded once for SEED */
    free(a);
    sim_lan_destroy(lan);
    sim_engine_destroy(e);
}
END_TEST

START_TEST(loss_and_duplication_rates)
{
    struct sim_engine *e = sim_engine_create(0);
    struct sim_lan_link link = {0, 300, 0.2, 0.1};
    struct sim_lan *lan = sim_lan_create(e, &link, SEED);
    struct rx *a = calloc(1, sizeof *a);
    sim_lan_attach(lan, rx_deliver, a);
    send_all(e, lan, 20000, 50);
    const struct sim_lan_port_stats *st = sim_lan_port_stats(lan, 0);
    ck_assert_uint_eq(st->offered, 20000);
    /* 20 % loss, then 10 % of the rest duplicated: within 1.5 points. */
    ck_assert_uint_gt(st->lost, 3700);
    ck_assert_uint_lt(st->lost, 4300);
    ck_assert_uint_gt(st->duplicated, 1300);
    ck_assert_uint_lt(st->duplicated, 1900);
    ck_assert_uint_eq(st->delivered, st->offered - st->lost + st->duplicated);
    ck_assert_uint_eq(a->count, st->delivered);
    /* Exact, recorded once for SEED: the draws are deterministic. */
    ck_assert_uint_eq(st->lost, 3986);
    ck_assert_uint_eq(st->duplicated, 1587);
    free(a);
    sim_lan_destroy(lan);
    sim_engine_destroy(e);
}
END_TEST

/* Port 0's view does not depend on another port being attached. */
START_TEST(ports_draw_from_their_own_streams)
{
    struct rx *solo = calloc(1, sizeof *solo), *pair0 = calloc(1, sizeof *pair0),
              *pair1 = calloc(1, sizeof *pair1);
    struct sim_lan_link link = {100, 2000, 0.3, 0.05};
    for (int run = 0; run < 2; run++) {
        struct sim_engine *e = sim_engine_create(0);
        struct sim_lan *lan = sim_lan_create(e, &link, SEED);
        sim_lan_attach(lan, rx_deliver, run == 0 ? solo : pair0);
        if (run == 1)
            sim_lan_attach(lan, rx_deliver, pair1);
        send_all(e, lan, 3000, 500);
        sim_lan_destroy(lan);
        sim_engine_destroy(e);
    }
    ck_assert_uint_eq(solo->count, pair0->count);
    ck_assert_mem_eq(solo->seq, pair0->seq, solo->count * sizeof solo->seq[0]);
    ck_assert_mem_eq(solo->at_us, pair0->at_us, solo->count * sizeof solo->at_us[0]);
    /* ... while the other port saw something else. */
    ck_assert(pair1->count != pair0->count ||
              memcmp(pair1->seq, pair0->seq, pair0->count * sizeof pair0->seq[0]) != 0);
    free(solo);
    free(pair0);
    free(pair1);
}
END_TEST

static void port_down(void *ctx, uint64_t arg)
{
    sim_lan_port_set_up(ctx, (int)arg, 0);
}

START_TEST(down_port_receives_nothing)
{
    struct sim_engine *e = sim_engine_create(0);
    struct sim_lan_link link = {10000, 0, 0.0, 0.0};
    struct sim_lan *lan = sim_lan_create(e, &link, SEED);
    struct rx *a = calloc(1, sizeof *a), *b = calloc(1, sizeof *b);
    sim_lan_attach(lan, rx_deliver, a);
    sim_lan_attach(lan, rx_deliver, b);
    /* Frames every ms for 100 ms; port 1 goes down at 50 ms: it still had 40
     * copies in flight (10 ms delay), which are dropped on arrival. */
    sim_engine_schedule(e, 50000, port_down, lan, 1);
    send_all(e, lan, 100, 1000);
    ck_assert_uint_eq(a->count, 100);
    const struct sim_lan_port_stats *st = sim_lan_port_stats(lan, 1);
    ck_assert_uint_eq(b->count, st->delivered);
    ck_assert_uint_eq(st->offered, 50);
    ck_assert_uint_eq(st->delivered, 40);
    ck_assert_uint_eq(st->dropped_down, 10);
    free(a);
    free(b);
    sim_lan_destroy(lan);
    sim_engine_destroy(e);
}
END_TEST

START_TEST(records_one_ports_view)
{
    char path[] = "/tmp/caps-test-lan-XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    close(fd);
    char err[512];
    struct traffic_pcap_writer *w = traffic_pcap_open(path, err);
    ck_assert_msg(w != NULL, "%s", err);
    struct sim_engine *e = sim_engine_create(0);
    struct sim_lan_link link = {0, 1000, 0.25, 0.0};
    struct sim_lan *lan = sim_lan_create(e, &link, SEED);
    struct rx *a = calloc(1, sizeof *a), *b = calloc(1, sizeof *b);
    sim_lan_attach(lan, rx_deliver, a);
    sim_lan_attach(lan, rx_deliver, b);
    sim_lan_record(lan, 1, w, 1000000000000000ull);
    send_all(e, lan, 400, 100);
    ck_assert_int_eq(traffic_pcap_close(w), 0);
    ck_assert_int_eq(sim_lan_record_error(lan), 0);

    /* The file holds exactly what port 1 received, in arrival order. */
    FILE *f = fopen(path, "rb");
    ck_assert_ptr_nonnull(f);
    uint8_t hdr[24], rec[16], bytes[60];
    ck_assert_uint_eq(fread(hdr, 1, sizeof hdr, f), sizeof hdr);
    unsigned n = 0;
    while (fread(rec, 1, sizeof rec, f) == sizeof rec) {
        uint32_t ts_s = (uint32_t)rec[0] | (uint32_t)rec[1] << 8 | (uint32_t)rec[2] << 16 |
                        (uint32_t)rec[3] << 24;
        uint32_t ts_frac = (uint32_t)rec[4] | (uint32_t)rec[5] << 8 | (uint32_t)rec[6] << 16 |
                           (uint32_t)rec[7] << 24;
        uint32_t caplen = (uint32_t)rec[8] | (uint32_t)rec[9] << 8;
        ck_assert_uint_eq(caplen, 60);
        ck_assert_uint_eq(fread(bytes, 1, caplen, f), caplen);
        ck_assert_uint_lt(n, b->count);
        ck_assert_uint_eq((uint64_t)ts_s * 1000000u + ts_frac, 1000000000000000ull + b->at_us[n]);
        uint32_t seq = (uint32_t)bytes[20] << 24 | (uint32_t)bytes[21] << 16 |
                       (uint32_t)bytes[22] << 8 | bytes[23];
        ck_assert_uint_eq(seq, b->seq[n]);
        n++;
    }
    fclose(f);
    unlink(path);
    ck_assert_uint_eq(n, b->count);
    ck_assert_uint_lt(b->count, 400);       /* the loss shows in the recording */
    ck_assert(a->count != b->count || memcmp(a->seq, b->seq, a->count * sizeof a->seq[0]) != 0);
    free(a);
    free(b);
    sim_lan_destroy(lan);
    sim_engine_destroy(e);
}
END_TEST

Suite *suite_lan(void);
Suite *suite_lan(void)
{
    Suite *s = suite_create("lan");
    TCase *tc = tcase_create("lan");
    tcase_add_test(tc, clean_link_delivers_at_once);
    tcase_add_test(tc, delay_without_jitter_keeps_order);
    tcase_add_test(tc, jitter_reorders_within_bounds);
    tcase_add_test(tc, loss_and_duplication_rates);
    tcase_add_test(tc, ports_draw_from_their_own_streams);
    tcase_add_test(tc, down_port_receives_nothing);
    tcase_add_test(tc, records_one_ports_view);
    suite_add_tcase(s, tc);
    return s;
}
