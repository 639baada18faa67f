/* upload_sched.h - the sensor's hooks into the upload schedule (upload.c),
 * private to the core: the tick and the deadline of caps_sensor call them. */
#ifndef CAPS_UPLOAD_SCHED_H
#define CAPS_UPLOAD_SCHED_H

#include <stdint.h>

struct caps_sensor;

/* After anything that may have changed the election role: every takeover
 * not yet seen marks a full snapshot due at once. No-op with uploads or the
 * election off. */
void caps_sensor_upload_follow(struct caps_sensor *s);

/* At a tick: follows the role, then builds and submits an upload when one is
 * due, none is in flight and the sensor may report. */
void caps_sensor_upload_run(struct caps_sensor *s);

/* When the next build is due (never before the sensor's clock), UINT64_MAX
 * when none can be built now (off, in flight, may not report). */
uint64_t caps_sensor_upload_deadline_us(const struct caps_sensor *s);

#endif
