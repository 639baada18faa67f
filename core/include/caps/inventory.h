/* caps/inventory.h - the MAC-keyed table of assets the sensor has seen.
 *
 * Sized once at init from assets_max; never allocates. Lookup is an open
 * addressing hash on the MAC (linear probing, load <= 1/2). When the table is
 * full, a new MAC evicts the stalest asset (smallest last_seen_us, ties by the
 * smaller MAC) and the eviction is counted. Assets are stored densely in
 * [0, count) in no particular order; writers of output sort them by MAC.
 */
#ifndef CAPS_INVENTORY_H
#define CAPS_INVENTORY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "caps/fingerprint.h"

#define CAPS_ASSET_IP4_MAX 4       /* IPv4 addresses kept per asset, current and earlier */
#define CAPS_ASSET_IP6_MAX 4       /* link-local + a few global/temporary */
#define CAPS_HOSTNAME_MAX 64       /* RFC 1035 label limit 63 + NUL */
#define CAPS_HOSTNAME_HISTORY_MAX 2 /* earlier hostnames kept */
#define CAPS_PREVIOUS_MACS_MAX 3   /* randomized MACs this device used before */
#define CAPS_ASSETS_MAX_LIMIT (1u << 22) /* sanity bound on assets_max */

struct caps_hostname_change {
    char name[CAPS_HOSTNAME_MAX];           /* the earlier name */
    uint64_t until_us;                      /* when it was replaced */
};

/* One device, keyed by MAC. Address lists are ordered most recently seen
 * first; an address is "current" unless a newer one was first seen after it
 * was last seen (the device moved to another address). */
struct caps_asset {
    uint8_t mac[6];
    uint8_t ip4_count;                       /* 0..CAPS_ASSET_IP4_MAX */
    uint8_t ip6_count;                       /* 0..CAPS_ASSET_IP6_MAX */
    uint8_t ip4[CAPS_ASSET_IP4_MAX][4];      /* wire order */
    uint8_t ip6[CAPS_ASSET_IP6_MAX][16];
    uint64_t ip4_first_us[CAPS_ASSET_IP4_MAX];  /* per address: first and last sighting */
    uint64_t ip4_last_us[CAPS_ASSET_IP4_MAX];
    uint64_t ip6_first_us[CAPS_ASSET_IP6_MAX];
    uint64_t ip6_last_us[CAPS_ASSET_IP6_MAX];
    char hostname[CAPS_HOSTNAME_MAX];        /* "" when none seen */
    uint8_t hostname_rank;                   /* trust of the source that set it */
    uint8_t hostname_history_count;          /* 0..CAPS_HOSTNAME_HISTORY_MAX */
    uint8_t previous_mac_count;              /* 0..CAPS_PREVIOUS_MACS_MAX */
    uint16_t sources;                        /* bit (1 << enum caps_proto) */
    uint8_t previous_macs[CAPS_PREVIOUS_MACS_MAX][6]; /* most recent first */
    uint64_t client_id_hash;                 /* FNV-1a of DHCP option 61, 0 = none */
    uint64_t first_seen_us;
    uint64_t last_seen_us;
    uint64_t changed_gen;                    /* inventory generation of the last change */
    struct caps_hostname_change hostname_history[CAPS_HOSTNAME_HISTORY_MAX]; /* newest first */
    struct caps_labels labels;               /* evidence and derived labels */
};

struct caps_inventory {
    struct caps_asset *assets;   /* [assets_max], dense in [0, count) */
    uint32_t *slots;             /* [slots_count]: asset index + 1, 0 = empty */
    uint32_t assets_max;
    uint32_t slots_count;        /* power of two >= 2 * assets_max */
    uint32_t count;
    uint64_t evicted;            /* assets dropped to make room */
    uint64_t gen;                /* rises by one at every upsert (caps/upload.h) */
};

/* Bytes of arena the inventory needs for assets_max assets. */
size_t caps_inventory_arena_bytes(uint32_t assets_max);

/* Carves the tables out of arena (aligned for uint64_t, at least
 * caps_inventory_arena_bytes(assets_max) bytes). Returns 0, or CAPS_E_ARG
 * when assets_max is 0 or over CAPS_ASSETS_MAX_LIMIT, CAPS_E_NOMEM when the
 * arena is too small. */
int caps_inventory_init(struct caps_inventory *inv, uint32_t assets_max,
                        void *arena, size_t arena_bytes);

/* The asset with this MAC, or NULL. */
struct caps_asset *caps_inventory_lookup(struct caps_inventory *inv, const uint8_t mac[6]);

/* The asset with this MAC, created (first_seen_us = last_seen_us = ts_us) when
 * missing, evicting the stalest asset when full. Updates last_seen_us to
 * max(last_seen_us, ts_us) and marks the asset changed (changed_gen =
 * ++gen): whatever the caller then records lands in that generation. Never
 * NULL. */
struct caps_asset *caps_inventory_upsert(struct caps_inventory *inv, const uint8_t mac[6],
                                         uint64_t ts_us);

/* Removes the asset with this MAC; returns true when it was present. */
bool caps_inventory_remove(struct caps_inventory *inv, const uint8_t mac[6]);

/* Records an address seen at ts_us as the asset's most recent; when the list
 * is full the least recently seen address is dropped. Returns true when the
 * address is new to the asset. */
bool caps_asset_add_ip4(struct caps_asset *a, const uint8_t ip[4], uint64_t ts_us);
bool caps_asset_add_ip6(struct caps_asset *a, const uint8_t ip[16], uint64_t ts_us);

/* 1 when address i of the list is current (see struct caps_asset). */
int caps_asset_ip4_current(const struct caps_asset *a, unsigned i);
int caps_asset_ip6_current(const struct caps_asset *a, unsigned i);

/* Sets the hostname when rank >= the rank of the current one (so a weaker
 * source never overwrites a stronger one) and the name is not empty. A
 * replaced name goes to the history with ts_us. Returns true when the name
 * changed. */
bool caps_asset_set_hostname(struct caps_asset *a, const char *name, uint8_t rank,
                             uint64_t ts_us);

/* Records that this asset's device used mac before (randomized MAC rotation);
 * most recent first, duplicates and the asset's own MAC ignored. */
void caps_asset_add_previous_mac(struct caps_asset *a, const uint8_t mac[6]);

#endif
