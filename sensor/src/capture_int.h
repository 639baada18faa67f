/* capture_int.h - the capture source shared by capture.c (files) and live.c
 * (interfaces). Private to the sensor module. */
#ifndef SENSOR_CAPTURE_INT_H
#define SENSOR_CAPTURE_INT_H

#include <stdio.h>

#include <pcap/pcap.h>

#include "sensor/capture.h"

#ifndef DLT_LINUX_SLL2
#define DLT_LINUX_SLL2 276
#endif

/* The largest frame we rebuild from a cooked capture: an Ethernet jumbo. */
#define COOKED_FRAME_MAX 9216

struct sensor_capture {
    pcap_t *p;
    FILE *f;                   /* file captures: the stream pcap reads */
    char *iobuf;               /* its stdio buffer, freed after pcap_close */
    int datalink;
    int live;
    uint16_t advert_port;
    struct sensor_capture_stats st;
    char name[256];            /* path or interface, for messages */
    uint8_t frame[COOKED_FRAME_MAX];
};

/* 1 when the link type is one we can hand on (EN10MB, LINUX_SLL, SLL2). */
int capture_datalink_ok(int datalink);

#endif
