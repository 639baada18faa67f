/* traffic/subnet.h - a synthesized subnet: N hosts drawn from device profiles,
 * a gateway that is also the DHCP server, and the frames they send over time.
 *
 * Deterministic: every host draws from its own stream (seed, host index), its
 * address is a function of its index, and frames come out in (time, host,
 * per-host sequence) order, so adding host N leaves hosts 0..N-1 identical.
 * Gateway frames (DHCP OFFER/ACK, its SSDP) carry host = UINT32_MAX; replies
 * to a host sort with that host's frames. No allocation per frame.
 */
#ifndef TRAFFIC_SUBNET_H
#define TRAFFIC_SUBNET_H

#include <stdint.h>

#include <cjson/cJSON.h>

#define TRAFFIC_MIX_MAX 32
#define TRAFFIC_FRAME_BYTES_MAX 1600
#define TRAFFIC_HOST_GATEWAY UINT32_MAX

struct traffic_profiles;
struct traffic_subnet;

/* The embedded data/profiles.json. 0 ok, -1 with err set. *out owned by the
 * caller: traffic_profiles_free. */
int traffic_profiles_load_builtin(struct traffic_profiles **out, char err[512]);
/* A profiles file; errors read "FILE: profiles[3].dhcp.prl: ...". */
int traffic_profiles_load(const char *path, struct traffic_profiles **out, char err[512]);
/* Parses a profiles document held in memory; name is used in messages. */
int traffic_profiles_parse(const char *text, const char *name, struct traffic_profiles **out,
                           char err[512]);
void traffic_profiles_free(struct traffic_profiles *p);
/* Number of profiles and the name of profile i (valid while p lives). */
uint32_t traffic_profiles_count(const struct traffic_profiles *p);
const char *traffic_profiles_name(const struct traffic_profiles *p, uint32_t i);

struct traffic_mix_entry {
    char profile[64];
    double weight;
};

struct traffic_subnet_config {
    uint64_t seed;
    uint32_t hosts;            /* 1 .. addresses of the prefix - 16 */
    uint8_t net[4];            /* network address, e.g. 10.20.0.0 */
    uint8_t prefix_len;        /* 8..30 */
    uint64_t start_epoch_us;   /* wall time of sim time 0 (frame timestamps) */
    uint32_t mix_count;        /* 0: every profile at its default weight */
    struct traffic_mix_entry mix[TRAFFIC_MIX_MAX];
    double churn_per_day;      /* extra leave/rejoin (reboot) events per host per day */
    int mac_rotation;          /* phones rotate their randomized MAC on rejoin / daily */
};

struct traffic_frame {
    uint64_t ts_us;            /* start_epoch_us + sim time */
    uint32_t host;             /* host index, TRAFFIC_HOST_GATEWAY for the gateway */
    uint32_t len;              /* bytes used in bytes[] (>= 60) */
    uint8_t bytes[TRAFFIC_FRAME_BYTES_MAX];
};

/* NULL with err set on a bad config (unknown profile in mix, too many hosts for
 * the prefix, ...). Borrows p only during the call (profiles are copied). */
struct traffic_subnet *traffic_subnet_create(const struct traffic_subnet_config *cfg,
                                             const struct traffic_profiles *p, char err[512]);
/* 1: *out holds the next frame, whose sim time, ts_us - start_epoch_us, is
 * <= end_us; 0: no frame up to end_us (nothing is consumed). */
int traffic_subnet_next(struct traffic_subnet *s, uint64_t end_us, struct traffic_frame *out);
/* Sim time of the next frame, UINT64_MAX when none. */
uint64_t traffic_subnet_peek_us(const struct traffic_subnet *s);
/* The truth so far (new object, caller frees with cJSON_Delete). */
cJSON *traffic_subnet_truth(const struct traffic_subnet *s);
void traffic_subnet_destroy(struct traffic_subnet *s);

#endif
