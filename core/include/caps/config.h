/* caps/config.h - the sensor configuration, as the cloud serves it.
 *
 * One format for every host: the codec reads it from JSON (codec/config.h,
 * with the validation rules and messages), the core only reads this struct.
 * Every table is fixed-size; the limits below bound them. Addresses are IPv4
 * in host order (192.168.1.1 is 0xC0A80101); ranges are inclusive.
 */
#ifndef CAPS_CONFIG_H
#define CAPS_CONFIG_H

#include <stdint.h>

#define CAPS_ASSETS_MAX_DEFAULT 4096
#define CAPS_UPLOAD_INTERVAL_MIN_MIN 15       /* reference product: 15..1440 */
#define CAPS_UPLOAD_INTERVAL_MIN_MAX 1440
#define CAPS_UPLOAD_INTERVAL_MIN_DEFAULT 30
#define CAPS_MIN_PEERS_MIN 2                  /* reference product: 2..20 */
#define CAPS_MIN_PEERS_MAX 20
#define CAPS_MIN_PEERS_DEFAULT 2
#define CAPS_STALE_AFTER_S_DEFAULT (24u * 3600u)      /* unseen this long: stale */
#define CAPS_EXPIRE_AFTER_S_DEFAULT (7u * 24u * 3600u) /* unseen this long: dropped */

#define CAPS_DOMAINS_MAX 16          /* configured domains */
#define CAPS_DOMAIN_NAME_MAX 254     /* RFC 1035: 253 characters + NUL */
#define CAPS_RANGES_MAX 128          /* include ranges (all domains) and exclude ranges, each */
#define CAPS_EXCLUDE_MACS_MAX 256

struct caps_ip4_range {
    uint32_t first;              /* host order, inclusive */
    uint32_t last;               /* >= first */
};

struct caps_domain {
    char name[CAPS_DOMAIN_NAME_MAX];  /* lower case, no trailing dot */
    uint16_t include_first;      /* this domain's ranges: include[first, first+count) */
    uint16_t include_count;      /* 0: every address is in scope */
};

struct caps_fp_db;               /* caps/fingerprint.h */

struct caps_config {
    uint32_t assets_max;                 /* inventory capacity, 1..CAPS_ASSETS_MAX_LIMIT */
    uint32_t upload_interval_min;        /* minutes between uploads */
    uint32_t min_peers;                  /* eligible sensors heard before the leader reports */
    uint32_t stale_after_s;              /* 0 disables */
    uint32_t expire_after_s;             /* 0 disables; else > stale_after_s */
    uint16_t domain_count;               /* 0: unconfigured, the sensor counts as on premises */
    uint16_t include_count;
    uint16_t exclude_count;
    uint16_t exclude_mac_count;
    struct caps_domain domains[CAPS_DOMAINS_MAX];
    struct caps_ip4_range include[CAPS_RANGES_MAX];
    struct caps_ip4_range exclude[CAPS_RANGES_MAX];
    uint8_t exclude_macs[CAPS_EXCLUDE_MACS_MAX][6];
    const struct caps_fp_db *fingerprints;   /* borrowed; NULL: no fingerprinting */
};

/* Fills cfg with the defaults: no domains, nothing excluded, no fingerprints. */
void caps_config_default(struct caps_config *cfg);

#endif
