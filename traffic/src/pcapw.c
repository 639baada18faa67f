/* pcapw.c - pcap output through libpcap's dumper (pcap_open_dead +
 * pcap_dump_open): the file format is libpcap's own, so every reader agrees. */
#include "traffic/pcapw.h"

#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>

#define PCAPW_SNAPLEN 65535

struct traffic_pcap_writer {
    pcap_t *dead;
    pcap_dumper_t *dumper;
};

struct traffic_pcap_writer *traffic_pcap_open(const char *path, char err[512])
{
    struct traffic_pcap_writer *w = calloc(1, sizeof *w);
    if (!w) {
        snprintf(err, 512, "%s: out of memory", path);
        return NULL;
    }
    w->dead = pcap_open_dead_with_tstamp_precision(DLT_EN10MB, PCAPW_SNAPLEN,
                                                   PCAP_TSTAMP_PRECISION_MICRO);
    if (!w->dead) {
        snprintf(err, 512, "%s: pcap_open_dead failed", path);
        free(w);
        return NULL;
    }
    w->dumper = pcap_dump_open(w->dead, path);
    if (!w->dumper) {
        snprintf(err, 512, "%s: %s", path, pcap_geterr(w->dead));
        pcap_close(w->dead);
        free(w);
        return NULL;
    }
    return w;
}

int traffic_pcap_write(struct traffic_pcap_writer *w, uint64_t ts_us, const uint8_t *bytes,
                       uint32_t len)
{
    if (len == 0 || len > PCAPW_SNAPLEN)
        return -1;
    struct pcap_pkthdr h;
    h.ts.tv_sec = (time_t)(ts_us / 1000000u);
    h.ts.tv_usec = (suseconds_t)(ts_us % 1000000u);
    h.caplen = len;
    h.len = len;
    pcap_dump((u_char *)w->dumper, &h, bytes);
    return 0;
}

int traffic_pcap_close(struct traffic_pcap_writer *w)
{
    if (!w)
        return 0;
    int rc = 0;
    if (pcap_dump_flush(w->dumper) != 0)
        rc = -1;
    FILE *f = pcap_dump_file(w->dumper);
    if (f && ferror(f))
        rc = -1;
    pcap_dump_close(w->dumper);
    pcap_close(w->dead);
    free(w);
    return rc;
}
