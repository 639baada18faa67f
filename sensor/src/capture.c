/* capture.c - reading captures through libpcap, frame by frame or in bulk.
 *
 * pcap_open_offline_with_tstamp_precision reads both pcap and pcapng and
 * gives microsecond timestamps whatever the file stores. The bulk replay uses
 * pcap_dispatch with a callback, libpcap's fastest read path; the frame-by-
 * frame source (pacing, uploads, live) uses pcap_next_ex. Both rebuild an
 * Ethernet header for Linux cooked captures and drop frames to the election
 * port, which only the election socket may hand to the core.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture_int.h"

#define REPLAY_IOBUF_BYTES (256u * 1024u)   /* stdio buffer for the capture file */
#define VLAN_TAGS_MAX 2                      /* 802.1Q inside 802.1ad at most */

int capture_datalink_ok(int datalink)
{
    return datalink == DLT_EN10MB || datalink == DLT_LINUX_SLL || datalink == DLT_LINUX_SLL2;
}

int sensor_frame_is_advert(const uint8_t *frame, size_t caplen, uint16_t port)
{
    size_t off = 12;
    unsigned type;

    if (caplen < 14)
        return 0;
    type = (unsigned)frame[12] << 8 | frame[13];
    for (int tags = 0; (type == 0x8100 || type == 0x88a8) && tags < VLAN_TAGS_MAX; tags++) {
        off += 4;                           /* off stays tiny: no overflow below */
        if (caplen < off + 2)
            return 0;
        type = (unsigned)frame[off] << 8 | frame[off + 1];
    }
    off += 2;                               /* start of the network header */
    size_t l4;
    if (type == 0x0800) {
        if (caplen < off + 20)
            return 0;
        size_t ihl = (size_t)(frame[off] & 0x0f) * 4;
        unsigned frag = ((unsigned)frame[off + 6] << 8 | frame[off + 7]) & 0x1fff;
        if (frame[off] >> 4 != 4 || ihl < 20 || frame[off + 9] != 17 || frag != 0)
            return 0;
        l4 = off + ihl;
    } else if (type == 0x86dd) {
        if (caplen < off + 40 || frame[off + 6] != 17)
            return 0;
        l4 = off + 40;
    } else {
        return 0;
    }
    if (caplen < l4 + 4)                    /* l4 <= off + 60 */
        return 0;
    return ((unsigned)frame[l4 + 2] << 8 | frame[l4 + 3]) == port;
}

/* SLL (16 bytes): packet type(2) ARPHRD(2) addr len(2) addr(8) protocol(2).
 * SLL2 (20 bytes): protocol(2) reserved(2) ifindex(4) ARPHRD(2) packet type(1)
 * addr len(1) addr(8). Packet type: 0 to us, 1 broadcast, 2 multicast,
 * 3 other host, 4 outgoing. Returns the frame length in out, 0 when it does
 * not fit. */
static size_t cooked_to_ether(int datalink, const uint8_t *p, size_t caplen,
                              uint8_t out[COOKED_FRAME_MAX])
{
    size_t hdr = datalink == DLT_LINUX_SLL ? 16 : 20;
    unsigned pkttype, addrlen;
    const uint8_t *addr, *proto;

    if (caplen < hdr || caplen - hdr + 14 > COOKED_FRAME_MAX)
        return 0;
    if (datalink == DLT_LINUX_SLL) {
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
    if (pkttype == 1)
        memset(out, 0xff, 6);
    else if (pkttype == 2)
        memcpy(out, "\x01\x00\x5e\x00\x00\x01", 6);  /* some multicast group */
    else
        memset(out, 0, 6);
    memset(out + 6, 0, 6);
    memcpy(out + 6, addr, addrlen < 6 ? addrlen : 6);
    memcpy(out + 12, proto, 2);
    memcpy(out + 14, p + hdr, caplen - hdr);
    return caplen - hdr + 14;
}

/* Maps one record to an Ethernet frame in *f. Returns 1 to hand it on, 0
 * when it is skipped (unmappable, counted) or an advert (counted). */
static int capture_record(struct sensor_capture *c, const struct pcap_pkthdr *h,
                          const u_char *bytes, struct sensor_frame *f)
{
    c->st.records++;
    f->ts_us = (uint64_t)h->ts.tv_sec * 1000000u + (uint64_t)h->ts.tv_usec;
    if (c->datalink == DLT_EN10MB) {
        f->bytes = bytes;
        f->caplen = h->caplen;
        f->wirelen = h->len;
    } else {
        size_t n = cooked_to_ether(c->datalink, bytes, h->caplen, c->frame);
        size_t hdr = c->datalink == DLT_LINUX_SLL ? 16 : 20;
        if (n == 0) {
            c->st.skipped++;
            return 0;
        }
        f->bytes = c->frame;
        f->caplen = n;
        f->wirelen = h->len >= hdr ? h->len - hdr + 14 : n;
    }
    if (sensor_frame_is_advert(f->bytes, f->caplen, c->advert_port)) {
        c->st.adverts++;
        return 0;
    }
    return 1;
}

int sensor_capture_open_file(const char *path, uint16_t advert_port, struct sensor_capture **out,
                             char err[SENSOR_ERRMSG_MAX])
{
    char pcap_err[PCAP_ERRBUF_SIZE] = "";
    struct sensor_capture *c;

    *out = NULL;
    c = calloc(1, sizeof *c);    /* holds a jumbo frame: not on the stack */
    if (c == NULL) {
        snprintf(err, SENSOR_ERRMSG_MAX, "%s: out of memory", path);
        return -1;
    }
    c->advert_port = advert_port;
    snprintf(c->name, sizeof c->name, "%s", path);
    c->f = fopen(path, "rb");
    if (c->f == NULL) {
        snprintf(err, SENSOR_ERRMSG_MAX, "%s: %s", path, strerror(errno));
        free(c);
        return -1;
    }
    /* stdio's default 4 KiB buffer makes one read() per 4 KiB: a large
     * buffer cuts the system calls a hundredfold (bench/throughput.sh). */
    c->iobuf = malloc(REPLAY_IOBUF_BYTES);
    if (c->iobuf != NULL)
        setvbuf(c->f, c->iobuf, _IOFBF, REPLAY_IOBUF_BYTES);
    c->p = pcap_fopen_offline_with_tstamp_precision(c->f, PCAP_TSTAMP_PRECISION_MICRO, pcap_err);
    if (c->p == NULL) {
        snprintf(err, SENSOR_ERRMSG_MAX, "%s: not a pcap or pcapng capture: %s", path,
                 pcap_err);
        fclose(c->f);
        free(c->iobuf);
        free(c);
        return -1;
    }
    c->datalink = pcap_datalink(c->p);
    if (!capture_datalink_ok(c->datalink)) {
        const char *name = pcap_datalink_val_to_name(c->datalink);
        snprintf(err, SENSOR_ERRMSG_MAX,
                 "%s: link type %d (%s) is not supported: want EN10MB, LINUX_SLL or LINUX_SLL2",
                 path, c->datalink, name ? name : "unknown");
        sensor_capture_close(c);
        return -1;
    }
    *out = c;
    return 0;
}

int sensor_capture_next(struct sensor_capture *c, struct sensor_frame *f,
                        char err[SENSOR_ERRMSG_MAX])
{
    struct pcap_pkthdr *h;
    const u_char *bytes;

    for (;;) {
        int rc = pcap_next_ex(c->p, &h, &bytes);
        if (rc == 1) {
            if (capture_record(c, h, bytes, f))
                return SENSOR_CAPTURE_FRAME;
            continue;
        }
        if (rc == 0)
            return SENSOR_CAPTURE_NONE;
        if (rc == PCAP_ERROR_BREAK)
            return c->live ? SENSOR_CAPTURE_NONE : SENSOR_CAPTURE_END;
        if (c->live)
            snprintf(err, SENSOR_ERRMSG_MAX, "%s: capture failed: %s", c->name,
                     pcap_geterr(c->p));
        else
            snprintf(err, SENSOR_ERRMSG_MAX, "%s: record %llu: %s", c->name,
                     (unsigned long long)c->st.records + 1, pcap_geterr(c->p));
        return SENSOR_CAPTURE_ERROR;
    }
}

int sensor_capture_fd(const struct sensor_capture *c)
{
    return c->live ? pcap_get_selectable_fd(c->p) : -1;
}

int sensor_capture_datalink(const struct sensor_capture *c)
{
    return c->datalink;
}

void sensor_capture_stats_get(struct sensor_capture *c, struct sensor_capture_stats *st)
{
    struct pcap_stat ps;

    if (c->live && pcap_stats(c->p, &ps) == 0) {
        c->st.kernel_received = ps.ps_recv;
        c->st.kernel_dropped = (uint64_t)ps.ps_drop + ps.ps_ifdrop;
        c->st.ps_drop = ps.ps_drop;
        c->st.ps_ifdrop = ps.ps_ifdrop;
    }
    *st = c->st;
}

void sensor_capture_close(struct sensor_capture *c)
{
    if (c == NULL)
        return;
    if (c->p != NULL)
        pcap_close(c->p);          /* closes f: only then may its buffer go */
    else if (c->f != NULL)
        fclose(c->f);
    free(c->iobuf);
    free(c);
}

/* ---- bulk replay ------------------------------------------------------- */

struct replay_ctx {
    struct sensor_capture *c;
    struct caps_sensor *s;
};

static void on_record(u_char *user, const struct pcap_pkthdr *h, const u_char *bytes)
{
    struct replay_ctx *r = (struct replay_ctx *)(void *)user;
    struct sensor_frame f;

    if (capture_record(r->c, h, bytes, &f))
        caps_sensor_frame(r->s, f.ts_us, f.bytes, f.caplen, f.wirelen);
}

int sensor_replay_file(const char *path, struct caps_sensor *s,
                       struct sensor_replay_result *res, char err[SENSOR_ERRMSG_MAX])
{
    struct sensor_capture *c;

    memset(res, 0, sizeof *res);
    if (sensor_capture_open_file(path, CAPS_ELECTION_PORT, &c, err) != 0)
        return -1;
    res->datalink = c->datalink;
    struct replay_ctx r = {c, s};
    int rc;
    do {
        rc = pcap_dispatch(c->p, 4096, on_record, (u_char *)&r);
    } while (rc > 0);
    res->records = c->st.records;
    res->skipped = c->st.skipped;
    res->adverts = c->st.adverts;
    if (rc == PCAP_ERROR)
        snprintf(err, SENSOR_ERRMSG_MAX, "%s: record %llu: %s", path,
                 (unsigned long long)c->st.records + 1, pcap_geterr(c->p));
    sensor_capture_close(c);
    return rc == PCAP_ERROR ? -1 : 0;
}
