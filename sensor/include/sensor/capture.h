/* sensor/capture.h - frames from libpcap into a sensor core.
 *
 * A capture is a file (pcap or pcapng) or a live interface, both read through
 * the libpcap API only (so the sensor builds against Npcap too), with
 * timestamps in microseconds. Ethernet (DLT_EN10MB) is passed through; Linux
 * cooked captures (DLT_LINUX_SLL and SLL2, what "tcpdump -i any" writes) are
 * rewritten to an Ethernet header. Frames to the election's UDP port are the
 * adverts of sensors: they reach the core through the election socket only,
 * so the capture drops them (counted).
 */
#ifndef SENSOR_CAPTURE_H
#define SENSOR_CAPTURE_H

#include <stddef.h>
#include <stdint.h>

#include "caps/sensor.h"

#define SENSOR_ERRMSG_MAX 512
#define SENSOR_SNAPLEN 65535              /* live snapshot length: whole frames */
#define SENSOR_LIVE_FILTER_MAX 1024       /* bytes of the BPF filter text */
/* Live: libpcap's kernel buffer. The default (2 MiB on Linux) holds about a
 * second of a busy broadcast domain; 8 MiB lets the capture ride out a
 * longer stall of the loop (a core tick, a log rotation, a slow disk)
 * without the kernel dropping frames. */
#define SENSOR_LIVE_BUFFER_BYTES (8 * 1024 * 1024)

struct sensor_replay_result {
    uint64_t records;        /* records read from the file */
    uint64_t skipped;        /* records of a link type we cannot map */
    uint64_t adverts;        /* frames to the election port, not handed to the core */
    int datalink;            /* the file's DLT_ value */
};

/* Replays path through s as fast as it reads, dropping frames to UDP port
 * CAPS_ELECTION_PORT. Returns 0 when the whole file was read, or -1 with
 * a message in err naming the file and, for damage inside it, the record
 * number (1-based). Records read before an error stay in the sensor. */
int sensor_replay_file(const char *path, struct caps_sensor *s,
                       struct sensor_replay_result *res, char err[SENSOR_ERRMSG_MAX]);

/* ---- a capture source read frame by frame ------------------------------ */

struct sensor_capture;

/* One frame, a view valid until the next sensor_capture_next or close. */
struct sensor_frame {
    uint64_t ts_us;          /* capture time, microseconds since the Unix epoch */
    const uint8_t *bytes;    /* Ethernet frame */
    size_t caplen;           /* captured bytes */
    size_t wirelen;          /* length on the wire */
};

struct sensor_capture_stats {
    uint64_t records;        /* records read (file) or frames delivered (live) */
    uint64_t skipped;        /* records of a link type we cannot map */
    uint64_t adverts;        /* frames to the election port, dropped */
    uint64_t kernel_received;/* live: pcap_stats ps_recv (0 for a file) */
    uint64_t kernel_dropped; /* live: pcap_stats ps_drop + ps_ifdrop */
    uint64_t ps_drop;        /* live: dropped for lack of buffer space (ps_drop) */
    uint64_t ps_ifdrop;      /* live: dropped by the interface or driver (ps_ifdrop) */
};

enum sensor_capture_rc {
    SENSOR_CAPTURE_ERROR = -1,   /* err says what */
    SENSOR_CAPTURE_NONE = 0,     /* live: nothing waits now (poll the fd) */
    SENSOR_CAPTURE_FRAME = 1,    /* *f holds a frame */
    SENSOR_CAPTURE_END = 2       /* file: no more records */
};

/* Opens a capture file; advert_port is the election port whose frames are
 * dropped. Returns 0 or -1 with err naming the file. */
int sensor_capture_open_file(const char *path, uint16_t advert_port, struct sensor_capture **out,
                             char err[SENSOR_ERRMSG_MAX]);

/* Opens a live capture on iface (live.c): pcap_create, snaplen 65535, not
 * promiscuous, immediate mode, a SENSOR_LIVE_BUFFER_BYTES kernel buffer, the
 * filter of sensor_live_filter, non-blocking.
 * Needs CAP_NET_RAW (root) on Linux: call it before dropping privileges.
 * warn receives libpcap's activation warning, if any ("" otherwise). Returns
 * 0 or -1 with err naming the interface and libpcap's reason. */
int sensor_capture_open_live(const char *iface, uint16_t advert_port,
                             struct sensor_capture **out, char warn[SENSOR_ERRMSG_MAX],
                             char err[SENSOR_ERRMSG_MAX]);

/* Writes the BPF filter expression of a live capture into out: broadcast and
 * multicast frames of ARP and UDP ports 67, 68, 137, 138, 1900, 5353 (IPv4
 * and IPv6) and advert_port, plus DHCP (67, 68) to any destination (servers
 * answer unicast), untagged or inside one or two VLAN tags. Returns 0, or -1
 * when cap is too small. */
int sensor_live_filter(uint16_t advert_port, char *out, size_t cap);

/* The next frame. Returns enum sensor_capture_rc. */
int sensor_capture_next(struct sensor_capture *c, struct sensor_frame *f,
                        char err[SENSOR_ERRMSG_MAX]);

/* A descriptor to poll for readability (live), or -1 (a file). */
int sensor_capture_fd(const struct sensor_capture *c);

/* The interface's or file's link type (DLT_ value). */
int sensor_capture_datalink(const struct sensor_capture *c);

void sensor_capture_stats_get(struct sensor_capture *c, struct sensor_capture_stats *st);

void sensor_capture_close(struct sensor_capture *c);

/* 1 when frame[0..caplen) is an Ethernet frame (optionally VLAN-tagged)
 * carrying IPv4 or IPv6 UDP to destination port port, else 0. Never reads
 * past caplen. */
int sensor_frame_is_advert(const uint8_t *frame, size_t caplen, uint16_t port);

#endif
