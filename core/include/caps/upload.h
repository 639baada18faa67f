/* caps/upload.h - what the leader reports to the cloud, and when.
 *
 * State, not events: every asset carries the inventory generation of its last
 * change (caps_asset.changed_gen); an upload covers the assets changed after
 * the generation of the last acknowledged upload, so what is pending is
 * bounded by the number of assets, never by the length of an outage. A later
 * payload is a superset of every unacknowledged one before it. On becoming
 * leader (and on the first upload of a core) the payload is a full snapshot.
 * One upload is in flight at a time; a failed one is rebuilt (a new sequence
 * number, everything changed since the last acknowledgement) after an
 * exponential backoff with jitter from the core's own seeded generator.
 * The core only schedules and describes an upload: the host writes the
 * payload (codec/upload.h) during submit_upload, spools it, sends it and
 * reports the outcome with caps_sensor_upload_done.
 */
#ifndef CAPS_UPLOAD_H
#define CAPS_UPLOAD_H

#include <stdint.h>

/* Retry backoff: 5 s, doubling per failed attempt, capped at the smaller of
 * the upload interval and 15 min; each delay is scaled by a factor drawn
 * uniformly from [0.75, 1.25) so sensors that failed together do not retry
 * together. */
#define CAPS_UPLOAD_RETRY_US_MIN 5000000ull
#define CAPS_UPLOAD_RETRY_US_CAP 900000000ull

/* Outcome of one upload, reported by the host. */
enum caps_upload_status {
    CAPS_UPLOAD_OK = 0,        /* the cloud acknowledged it (also: "duplicate") */
    CAPS_UPLOAD_RETRY = 1,     /* not acknowledged: outage, timeout, 5xx, lost answer */
    CAPS_UPLOAD_FENCED = 2,    /* refused: the subnet has a higher epoch; step down */
    CAPS_UPLOAD_REJECTED = 3   /* refused for good (4xx other than fencing): counted,
                                * the changes stay pending for the next interval */
};

/* One upload as the core describes it to submit_upload. The payload holds the
 * assets for which caps_upload_includes() is 1, plus the traffic summary. */
struct caps_upload {
    uint64_t seq;          /* idempotency key with (agent, epoch); rises by one per build */
    uint64_t epoch;        /* caps_sensor epoch at build (0 when standalone) */
    uint64_t since_gen;    /* assets changed after this generation (0 with full) */
    uint64_t gen;          /* the inventory generation at build */
    uint64_t built_us;     /* sensor time of the build */
    uint32_t asset_count;  /* assets it includes (excluded assets never count) */
    uint8_t full;          /* 1: a full snapshot (first upload, new leader) */
    uint8_t attempt;       /* 0 first try of these changes, then 1, 2, ... */
};

/* Turned on by caps_sensor_upload_init (caps/sensor.h). */
struct caps_upload_config {
    uint64_t interval_us;   /* 0: cfg.upload_interval_min minutes; the simulator
                             * may set any value >= 1 s */
    uint64_t initial_seq;   /* first seq; > every seq this agent id ever used
                             * (persisted, or the host clock in microseconds) */
    uint64_t jitter_seed;   /* seeds the backoff jitter (agent id, sim stream) */
};

struct caps_upload_stats {
    uint64_t built;          /* payloads handed to submit_upload */
    uint64_t full;           /* of which full snapshots */
    uint64_t acked;          /* CAPS_UPLOAD_OK */
    uint64_t retries;        /* CAPS_UPLOAD_RETRY */
    uint64_t fenced;         /* CAPS_UPLOAD_FENCED */
    uint64_t rejected;       /* CAPS_UPLOAD_REJECTED */
    uint64_t stale_done;     /* upload_done for a seq not in flight: ignored */
};

struct caps_upload_state {
    struct caps_upload_config cfg;
    struct caps_upload_stats stats;
    uint64_t interval_us;
    uint64_t next_seq;
    uint64_t acked_gen;      /* generation of the last acknowledged build */
    uint64_t next_us;        /* when the next build is due (UINT64_MAX: not scheduled) */
    uint64_t rng;            /* jitter generator state (splitmix64) */
    uint64_t last_acked_us;  /* sensor time of the last acknowledgement, 0 none */
    uint64_t takeovers_seen; /* election takeovers already answered with a full */
    struct caps_upload inflight;
    uint8_t inflight_on;     /* one upload awaits caps_sensor_upload_done */
    uint8_t full_pending;    /* the next build is a full snapshot */
    uint8_t inflight_old_term; /* a takeover came after the in-flight build: its
                                * acknowledgement does not settle full_pending */
    uint8_t failures;        /* consecutive failed attempts, for the backoff */
};

struct caps_asset;

/* 1 when the upload u carries asset a: every asset of a full snapshot, else
 * the assets changed after u->since_gen (up to u->gen). Scope is the host's
 * filter as for the inventory (excluded assets are never written). */
int caps_upload_includes(const struct caps_upload *u, const struct caps_asset *a);

#endif
