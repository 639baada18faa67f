/* macmap.h - a MAC -> uint32_t map for the simulator's bookkeeping (private).
 *
 * Open addressing with linear probing over 64-bit keys (the MAC in the low
 * 48 bits plus bit 48, so no key is 0), grown by doubling at half load. The
 * first value put for a MAC stays. Used by the run (MAC -> truth host) and
 * the uplink (MACs the cloud accepted or lists).
 */
#ifndef SIM_MACMAP_H
#define SIM_MACMAP_H

#include <stdint.h>

struct sim_macmap {
    uint64_t *keys;
    uint32_t *values;
    uint32_t slots;       /* power of two, or 0 before the first put */
    uint32_t count;
};

#define SIM_MACMAP_NONE UINT32_MAX

/* slots: a power of two, 0 for an empty map that allocates at its first put.
 * Returns 0 or -1 (out of memory). */
int sim_macmap_init(struct sim_macmap *m, uint32_t slots);
void sim_macmap_free(struct sim_macmap *m);

/* The value of mac, or SIM_MACMAP_NONE. */
uint32_t sim_macmap_get(const struct sim_macmap *m, const uint8_t mac[6]);

/* Records mac -> value unless mac is there already. 0, or -1 (out of memory). */
int sim_macmap_put(struct sim_macmap *m, const uint8_t mac[6], uint32_t value);

/* Slot i of the table (i < slots): its MAC into mac and its value, or
 * SIM_MACMAP_NONE for an empty slot. Visits every entry in slot order. */
uint32_t sim_macmap_slot(const struct sim_macmap *m, uint32_t i, uint8_t mac[6]);

/* Parses "aa:bb:cc:dd:ee:ff" (either case) into mac. 0, or -1 (NULL or malformed). */
int sim_mac_parse(const char *s, uint8_t mac[6]);

#endif
