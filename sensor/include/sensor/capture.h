/* sensor/capture.h - frames from libpcap into a sensor core.
 *
 * Reads a capture file (pcap or pcapng, through libpcap) and hands every
 * record to caps_sensor_frame with its timestamp in microseconds. Ethernet
 * (DLT_EN10MB) is passed through; Linux cooked captures (DLT_LINUX_SLL and
 * SLL2, what "tcpdump -i any" writes) are rewritten to an Ethernet header.
 */
#ifndef SENSOR_CAPTURE_H
#define SENSOR_CAPTURE_H

#include <stddef.h>
#include <stdint.h>

#include "caps/sensor.h"

#define SENSOR_ERRMSG_MAX 512

struct sensor_replay_result {
    uint64_t records;        /* records read from the file */
    uint64_t skipped;        /* records of a link type we cannot map */
    int datalink;            /* the file's DLT_ value */
};

/* Replays path through s. Returns 0 when the whole file was read, or -1 with
 * a message in err naming the file and, for damage inside it, the record
 * number (1-based). Records read before an error stay in the sensor. */
int sensor_replay_file(const char *path, struct caps_sensor *s,
                       struct sensor_replay_result *res, char err[SENSOR_ERRMSG_MAX]);

#endif
