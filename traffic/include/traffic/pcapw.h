/* traffic/pcapw.h - writes frames to a pcap file (libpcap savefile, Ethernet,
 * microsecond timestamps, snaplen 65535). One writer per file, one owner. */
#ifndef TRAFFIC_PCAPW_H
#define TRAFFIC_PCAPW_H

#include <stdint.h>

struct traffic_pcap_writer;

/* NULL with err set ("FILE: reason") when the file cannot be created. */
struct traffic_pcap_writer *traffic_pcap_open(const char *path, char err[512]);
/* 0 ok, -1 on a bad length (0 or > 65535). ts_us is epoch microseconds. */
int traffic_pcap_write(struct traffic_pcap_writer *w, uint64_t ts_us, const uint8_t *bytes,
                       uint32_t len);
/* Flushes and closes; 0 ok, -1 when a write failed. NULL is a no-op. */
int traffic_pcap_close(struct traffic_pcap_writer *w);

#endif
