/* caps/sensor.h - one sensor core: frames and time in, inventory out.
 *
 * The host (simulator or live sensor) owns clocks, sockets and files. It lends
 * the core an arena sized by caps_sensor_arena_bytes() once, then hands it
 * frames with their capture timestamps. The core never allocates, never reads
 * a clock and never keeps a pointer into a frame after the call returns.
 *
 * The election (caps/election.h) is off unless the host starts it with
 * caps_sensor_election_init after caps_sensor_init: a standalone sensor (caps
 * sense --read) senses everything. With it on, the role gates the work: an
 * idle agent counts frames but senses none, standby and leader sense.
 */
#ifndef CAPS_SENSOR_H
#define CAPS_SENSOR_H

#include <stddef.h>
#include <stdint.h>

#include "caps/config.h"
#include "caps/election.h"
#include "caps/error.h"
#include "caps/inventory.h"
#include "caps/proto.h"
#include "caps/upload.h"

/* Log levels passed to caps_host.log. */
enum caps_log_level { CAPS_LOG_ERROR = 0, CAPS_LOG_WARN, CAPS_LOG_INFO, CAPS_LOG_DEBUG };

struct caps_host {
    void *ctx;
    /* May be NULL. msg is valid only during the call. */
    void (*log)(void *ctx, int level, const char *msg);
    /* Election only (required by caps_sensor_election_init, else unused).
     * send: one advert, a UDP payload the host frames to its election group
     * and port; valid only during the call, must not call back into the core.
     * hmac_sha256: HMAC-SHA256 keyed by the site key. */
    void (*send)(void *ctx, const uint8_t *payload, size_t len);
    caps_hmac_sha256_fn *hmac_sha256;
    /* Election role changes, may be NULL (caps_election_host.on_role). */
    void (*on_role)(void *ctx, enum caps_role old_role, enum caps_role new_role,
                    uint64_t epoch, int cause, uint64_t now_us);
    /* Uploads only (required by caps_sensor_upload_init, else unused). The
     * core hands the host one upload; the host writes its payload during the
     * call (codec_upload_build reads the sensor), spools it, sends it after
     * the call returns and reports with caps_sensor_upload_done. It must not
     * call back into the core from here. */
    void (*submit_upload)(void *ctx, const struct caps_upload *u);
};

struct caps_stats {
    uint64_t frames;                              /* every frame handed in */
    uint64_t bytes;                               /* sum of wire lengths */
    uint64_t packets[CAPS_PROTO_COUNT];           /* frames that reached each layer */
    uint64_t malformed[CAPS_PROTO_COUNT][CAPS_ERR_COUNT]; /* [proto][-err] */
    uint64_t ip_fragments;                        /* IPv4/IPv6 fragments skipped */
    uint64_t off_premises_frames;                 /* counted, not sensed */
    uint64_t idle_frames;                         /* election role idle: counted, not sensed */
    uint64_t assets_expired;                      /* dropped by aging */
};

struct caps_scratch;              /* per-packet decode space, inside the arena */

struct caps_sensor {
    struct caps_config cfg;
    struct caps_host host;
    struct caps_inventory inv;
    struct caps_stats stats;
    struct caps_scratch *scratch;
    int domain;                   /* configured domain the host's suffix names, -1 none */
    int on_premises;              /* 0: frames are counted, nothing is sensed */
    uint64_t now_us;              /* latest time handed in (frames, ticks) */
    uint64_t next_aging_us;       /* when the next aging pass is due */
    int election_on;              /* caps_sensor_election_init succeeded */
    struct caps_election election; /* fixed size; valid when election_on */
    int upload_on;                /* caps_sensor_upload_init succeeded */
    struct caps_upload_state upload; /* valid when upload_on */
};

#define CAPS_AGING_PERIOD_US (60u * 1000000u)  /* aging passes at most once a minute */

/* Arena bytes caps_sensor_init needs for cfg. */
size_t caps_sensor_arena_bytes(const struct caps_config *cfg);

/* Initialises s over arena (aligned for uint64_t; borrowed for the sensor's
 * life). host is copied. Returns 0, CAPS_E_ARG or CAPS_E_NOMEM. */
int caps_sensor_init(struct caps_sensor *s, const struct caps_config *cfg,
                     const struct caps_host *host, void *arena, size_t arena_bytes);

/* Hands one captured frame to the core: frame[0..caplen) are the captured
 * bytes (borrowed for the call only), wirelen the length on the wire, ts_us
 * the capture time in microseconds since the Unix epoch. */
void caps_sensor_frame(struct caps_sensor *s, uint64_t ts_us, const uint8_t *frame,
                       size_t caplen, size_t wirelen);

/* Sets the host's connection-specific DNS suffix (NULL or "" for none) and
 * with it the on/off-premises state (caps/scope.h). A sensor with domains
 * configured starts off premises until the host sets a matching suffix. */
void caps_sensor_set_dns_suffix(struct caps_sensor *s, const char *suffix);

/* Advances the sensor's clock to now_us (never backwards) and runs what is
 * due: the aging pass that drops assets unseen for expire_after_s, the
 * election when it is on, then the upload when one is due (submit_upload is
 * called from here). Frames advance the clock too (they never drive the
 * election or uploads); hosts call this at caps_sensor_next_deadline_us at
 * the latest. */
void caps_sensor_tick(struct caps_sensor *s, uint64_t now_us);

/* The sensor time by which caps_sensor_tick is due: the earliest of the next
 * aging pass, when on the election's next deadline, and when uploads are on
 * the next build or retry (only while none is in flight and the sensor may
 * report; a build that fell due meanwhile is due at the sensor's clock). */
uint64_t caps_sensor_next_deadline_us(const struct caps_sensor *s);

/* Turns the election on, at now_us (sensor time): ecfg is copied, except
 * min_peers, which comes from the sensor configuration (cfg.min_peers, the
 * cloud's setting). host.send and host.hmac_sha256 are required. The agent
 * is eligible while on premises (caps_sensor_set_dns_suffix keeps it so).
 * Returns 0, CAPS_E_ARG (a callback missing) or CAPS_E_CONFIG (see
 * caps_election_init). */
int caps_sensor_election_init(struct caps_sensor *s, const struct caps_election_config *ecfg,
                              uint64_t now_us);

/* One received election advert (the UDP payload; the host demultiplexes the
 * election port and never passes adverts to caps_sensor_frame). payload is
 * borrowed for the call. Ignored when the election is off. */
void caps_sensor_advert(struct caps_sensor *s, uint64_t now_us, const uint8_t *payload,
                        size_t len);

/* Clean stop: with the election on, a last advert with priority 0 hands the
 * lead over at once; the sensor then senses nothing more. */
void caps_sensor_stop(struct caps_sensor *s, uint64_t now_us);

/* The election role; CAPS_ROLE_LEADER when the election is off (a
 * standalone sensor does everything). */
enum caps_role caps_sensor_role(const struct caps_sensor *s);

/* 1 when the sensor may upload: standalone, or leader with min_peers heard. */
int caps_sensor_may_report(const struct caps_sensor *s);

/* 1 when a has not been seen for stale_after_s at the sensor's clock. */
int caps_sensor_asset_stale(const struct caps_sensor *s, const struct caps_asset *a);

/* Turns uploads on at now_us (sensor time); ucfg is copied. Requires
 * host.submit_upload. The first upload is a full snapshot, due one interval
 * after now_us, or at once when the sensor becomes leader; a new leader's
 * first upload is a full snapshot, built as soon as it may report. Only a
 * sensor that caps_sensor_may_report builds uploads. Returns 0, CAPS_E_ARG
 * (callback missing) or CAPS_E_CONFIG (interval_us set and under 1 s). */
int caps_sensor_upload_init(struct caps_sensor *s, const struct caps_upload_config *ucfg,
                            uint64_t now_us);

/* The outcome of upload seq (enum caps_upload_status). OK advances what is
 * acknowledged to the upload's generation and schedules the next build one
 * interval after it was built (at once when a takeover came meanwhile: the
 * new term's full snapshot); RETRY schedules a rebuild after the backoff;
 * FENCED means the cloud knows a higher epoch for the subnet (cloud_epoch):
 * the election adopts it and the sensor steps down (caps_election_fence),
 * the changes stay pending and the next upload is a full snapshot;
 * REJECTED keeps the changes pending for the next interval. An unknown
 * status is logged and handled as RETRY. A seq that is not in flight is
 * counted (stale_done) and ignored; so is every call with uploads off. */
void caps_sensor_upload_done(struct caps_sensor *s, uint64_t seq, int status,
                             uint64_t cloud_epoch, uint64_t now_us);

/* Builds an upload of what is pending now, unless one is in flight or the
 * sensor may not report: the end of a replay, or before a clean stop.
 * Returns 1 when an upload was handed to the host, else 0. */
int caps_sensor_upload_flush(struct caps_sensor *s, uint64_t now_us);

/* Sum of every malformed counter. */
uint64_t caps_sensor_malformed_total(const struct caps_sensor *s);

#endif
