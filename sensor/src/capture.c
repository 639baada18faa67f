/* capture.c - replaying a capture file through a sensor core (libpcap).
 *
 * pcap_open_offline_with_tstamp_precision reads both pcap and pcapng and
 * gives microsecond timestamps whatever the file stores. pcap_dispatch with a
 * callback is libpcap's fastest read path; the callback does nothing but hand
 * the bytes over (and, for Linux cooked captures, build an Ethernet header).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pcap/pcap.h>

#include "sensor/capture.h"

#ifndef DLT_LINUX_SLL2
#define DLT_LINUX_SLL2 276
#endif

#define REPLAY_IOBUF_BYTES (256u * 1024u)   /* stdio buffer for the capture file */

/* The largest frame we rebuild from a cooked capture: an Ethernet jumbo. */
#define COOKED_FRAME_MAX 9216

struct replay_ctx {
    struct caps_sensor *s;
    int datalink;
    uint64_t records;
    uint64_t skipped;
    uint8_t frame[COOKED_FRAME_MAX];
};

/* SLL (16 bytes): packet type(2) ARPHRD(2) addr len(2) addr(8) protocol(2).
 * SLL2 (20 bytes): protocol(2) reserved(2) ifindex(4) ARPHRD(2) packet type(1)
 * addr len(1) addr(8). Packet type: 0 to us, 1 broadcast, 2 multicast,
 * 3 other host, 4 outgoing. */
static size_t cooked_to_ether(struct replay_ctx *c, const uint8_t *p, size_t caplen)
{
    size_t hdr = c->datalink == DLT_LINUX_SLL ? 16 : 20;
    unsigned pkttype, addrlen;
    const uint8_t *addr, *proto;

    if (caplen < hdr || caplen - hdr + 14 > sizeof c->frame)
        return 0;
    if (c->datalink == DLT_LINUX_SLL) {
        pkttype = (unsigned)p[0] << 8 | p[1];
        addrlen = (unsigned)p[4] << 8 | p[5];
        addr = p + 6;
        proto = p + 14;
    } else {
        pkttype = p[10];
        addrlen = p[11];
        addr = p + 12;
        proto = p;
    }
    uint8_t *f = c->frame;
    if (pkttype == 1)
        memset(f, 0xff, 6);
    else if (pkttype == 2)
        memcpy(f, "\x01\x00\x5e\x00\x00\x01", 6);  /* some multicast group */
    else
        memset(f, 0, 6);
    memset(f + 6, 0, 6);
    memcpy(f + 6, addr, addrlen < 6 ? addrlen : 6);
    memcpy(f + 12, proto, 2);
    memcpy(f + 14, p + hdr, caplen - hdr);
    return caplen - hdr + 14;
}

static void on_record(u_char *user, const struct pcap_pkthdr *h, const u_char *bytes)
{
    struct replay_ctx *c = (struct replay_ctx *)(void *)user;
    uint64_t ts_us = (uint64_t)h->ts.tv_sec * 1000000u + (uint64_t)h->ts.tv_usec;

    c->records++;
    if (c->datalink == DLT_EN10MB) {
        caps_sensor_frame(c->s, ts_us, bytes, h->caplen, h->len);
        return;
    }
    size_t n = cooked_to_ether(c, bytes, h->caplen);
    if (n == 0) {
        c->skipped++;
        return;
    }
    size_t hdr = c->datalink == DLT_LINUX_SLL ? 16 : 20;
    caps_sensor_frame(c->s, ts_us, c->frame, n, h->len >= hdr ? h->len - hdr + 14 : n);
}

int sensor_replay_file(const char *path, struct caps_sensor *s,
                       struct sensor_replay_result *res, char err[SENSOR_ERRMSG_MAX])
{
    char pcap_err[PCAP_ERRBUF_SIZE] = "";
    struct replay_ctx *ctx;
    FILE *f;

    memset(res, 0, sizeof *res);
    f = fopen(path, "rb");
    if (f == NULL) {
        snprintf(err, SENSOR_ERRMSG_MAX, "%s: %s", path, strerror(errno));
        return -1;
    }
    /* stdio's default 4 KiB buffer makes one read() per 4 KiB: a large
     * buffer cuts the system calls a hundredfold (bench/throughput.sh). */
    char *iobuf = malloc(REPLAY_IOBUF_BYTES);
    if (iobuf != NULL)
        setvbuf(f, iobuf, _IOFBF, REPLAY_IOBUF_BYTES);
    pcap_t *p = pcap_fopen_offline_with_tstamp_precision(f, PCAP_TSTAMP_PRECISION_MICRO,
                                                         pcap_err);
    if (p == NULL) {
        fclose(f);
        free(iobuf);
        snprintf(err, SENSOR_ERRMSG_MAX, "%s: not a pcap or pcapng capture: %s", path,
                 pcap_err);
        return -1;
    }
    int datalink = pcap_datalink(p);
    res->datalink = datalink;
    if (datalink != DLT_EN10MB && datalink != DLT_LINUX_SLL && datalink != DLT_LINUX_SLL2) {
        const char *name = pcap_datalink_val_to_name(datalink);
        snprintf(err, SENSOR_ERRMSG_MAX,
                 "%s: link type %d (%s) is not supported: want EN10MB, LINUX_SLL or LINUX_SLL2",
                 path, datalink, name ? name : "unknown");
        pcap_close(p);
        free(iobuf);
        return -1;
    }
    ctx = calloc(1, sizeof *ctx);    /* holds a jumbo frame: not on the stack */
    if (ctx == NULL) {
        snprintf(err, SENSOR_ERRMSG_MAX, "%s: out of memory", path);
        pcap_close(p);
        free(iobuf);
        return -1;
    }
    ctx->s = s;
    ctx->datalink = datalink;
    int rc;
    do {
        rc = pcap_dispatch(p, 4096, on_record, (u_char *)ctx);
    } while (rc > 0);
    res->records = ctx->records;
    res->skipped = ctx->skipped;
    if (rc == PCAP_ERROR)
        snprintf(err, SENSOR_ERRMSG_MAX, "%s: record %llu: %s", path,
                 (unsigned long long)ctx->records + 1, pcap_geterr(p));
    free(ctx);
    pcap_close(p);          /* closes f: only then may its buffer go */
    free(iobuf);
    return rc == PCAP_ERROR ? -1 : 0;
}
