/* inventory.c - MAC-keyed asset table in caller memory (caps/inventory.h).
 *
 * Open addressing with linear probing over a power-of-two slot array at most
 * half full, so a probe sequence is short and always ends at an empty slot.
 * Removal uses backward-shift deletion (no tombstones), which keeps lookups
 * bounded however long the sensor runs. Assets stay dense: removing one moves
 * the last asset into its place and repoints that asset's slot. Every upsert
 * raises the generation and stamps the asset with it, so an upload can name
 * "changed after generation g" without a list of events.
 */
#include <assert.h>
#include <string.h>

#include "caps/error.h"
#include "caps/inventory.h"

static uint32_t slots_for(uint32_t assets_max)
{
    uint32_t n = 16;
    while (n < 2 * assets_max)
        n <<= 1;
    return n;
}

size_t caps_inventory_arena_bytes(uint32_t assets_max)
{
    return (size_t)assets_max * sizeof(struct caps_asset) +
           (size_t)slots_for(assets_max) * sizeof(uint32_t);
}

int caps_inventory_init(struct caps_inventory *inv, uint32_t assets_max,
                        void *arena, size_t arena_bytes)
{
    if (assets_max == 0 || assets_max > CAPS_ASSETS_MAX_LIMIT)
        return CAPS_E_ARG;
    if (arena_bytes < caps_inventory_arena_bytes(assets_max))
        return CAPS_E_NOMEM;
    inv->assets = arena;
    inv->slots_count = slots_for(assets_max);
    inv->slots = (uint32_t *)(void *)((uint8_t *)arena +
                                      (size_t)assets_max * sizeof(struct caps_asset));
    inv->assets_max = assets_max;
    inv->count = 0;
    inv->evicted = 0;
    inv->gen = 0;
    memset(inv->slots, 0, (size_t)inv->slots_count * sizeof(uint32_t));
    return CAPS_OK;
}

/* FNV-1a over the 6 MAC bytes, then a final mix: vendors share the first
 * three bytes, so the low bits must depend on the last ones. */
static uint32_t mac_hash(const uint8_t mac[6])
{
    uint32_t h = 2166136261u;
    for (int i = 0; i < 6; i++) {
        h ^= mac[i];
        h *= 16777619u;
    }
    h ^= h >> 15;
    h *= 0x2c1b3c6du;
    h ^= h >> 12;
    return h;
}

/* Slot index holding mac, or the empty slot where it would go. */
static uint32_t find_slot(const struct caps_inventory *inv, const uint8_t mac[6])
{
    uint32_t mask = inv->slots_count - 1;
    uint32_t i = mac_hash(mac) & mask;

    /* Load <= 1/2 guarantees an empty slot, so this ends within slots_count. */
    for (uint32_t probes = 0;; probes++) {
        assert(probes < inv->slots_count);
        uint32_t v = inv->slots[i];
        if (v == 0 || memcmp(inv->assets[v - 1].mac, mac, 6) == 0)
            return i;
        i = (i + 1) & mask;
    }
}

struct caps_asset *caps_inventory_lookup(struct caps_inventory *inv, const uint8_t mac[6])
{
    uint32_t v = inv->slots[find_slot(inv, mac)];
    return v == 0 ? NULL : &inv->assets[v - 1];
}

static void remove_at_slot(struct caps_inventory *inv, uint32_t slot)
{
    uint32_t mask = inv->slots_count - 1;
    uint32_t idx = inv->slots[slot] - 1;
    uint32_t last = inv->count - 1;

    /* Backward-shift deletion: pull later members of the cluster into the
     * hole when their home slot does not lie cyclically in (hole, j]. */
    uint32_t hole = slot;
    uint32_t j = slot;
    inv->slots[hole] = 0;
    for (;;) {
        j = (j + 1) & mask;
        uint32_t v = inv->slots[j];
        if (v == 0)
            break;
        uint32_t home = mac_hash(inv->assets[v - 1].mac) & mask;
        int keep = hole <= j ? (hole < home && home <= j) : (hole < home || home <= j);
        if (keep)
            continue;
        inv->slots[hole] = v;
        inv->slots[j] = 0;
        hole = j;
    }
    /* Keep assets dense: move the last one into idx. */
    if (idx != last) {
        inv->assets[idx] = inv->assets[last];
        inv->slots[find_slot(inv, inv->assets[idx].mac)] = idx + 1;
    }
    inv->count--;
}

bool caps_inventory_remove(struct caps_inventory *inv, const uint8_t mac[6])
{
    uint32_t slot = find_slot(inv, mac);
    if (inv->slots[slot] == 0)
        return false;
    remove_at_slot(inv, slot);
    return true;
}

static void evict_stalest(struct caps_inventory *inv)
{
    uint32_t best = 0;

    for (uint32_t i = 1; i < inv->count; i++) {
        const struct caps_asset *a = &inv->assets[i], *b = &inv->assets[best];
        if (a->last_seen_us < b->last_seen_us ||
            (a->last_seen_us == b->last_seen_us && memcmp(a->mac, b->mac, 6) < 0))
            best = i;
    }
    caps_inventory_remove(inv, inv->assets[best].mac);
    inv->evicted++;
}

struct caps_asset *caps_inventory_upsert(struct caps_inventory *inv, const uint8_t mac[6],
                                         uint64_t ts_us)
{
    uint32_t slot = find_slot(inv, mac);

    if (inv->slots[slot] != 0) {
        struct caps_asset *a = &inv->assets[inv->slots[slot] - 1];
        if (ts_us > a->last_seen_us)
            a->last_seen_us = ts_us;
        if (ts_us < a->first_seen_us)
            a->first_seen_us = ts_us;
        a->changed_gen = ++inv->gen;
        return a;
    }
    if (inv->count == inv->assets_max) {
        evict_stalest(inv);
        slot = find_slot(inv, mac);
    }
    struct caps_asset *a = &inv->assets[inv->count];
    memset(a, 0, sizeof *a);
    memcpy(a->mac, mac, 6);
    a->first_seen_us = ts_us;
    a->last_seen_us = ts_us;
    a->changed_gen = ++inv->gen;
    inv->count++;
    inv->slots[slot] = inv->count;
    return a;
}

/* Moves the entry at index `at` (or a new one, at == n) to the front of a
 * list of width-byte addresses with parallel first/last sighting times. */
static bool add_addr(uint8_t *list, uint64_t *first_us, uint64_t *last_us, uint8_t *count,
                     uint8_t max, size_t width, const uint8_t *ip, uint64_t ts_us)
{
    uint8_t n = *count;
    uint8_t at = n;

    for (uint8_t i = 0; i < n; i++)
        if (memcmp(list + (size_t)i * width, ip, width) == 0)
            at = i;
    bool fresh = at == n;
    uint64_t first = fresh ? ts_us : first_us[at];
    uint64_t last = fresh ? ts_us : (ts_us > last_us[at] ? ts_us : last_us[at]);
    if (fresh && n < max)
        n++;
    if (fresh)
        at = (uint8_t)(n - 1);     /* full: the least recently seen (last) goes */
    memmove(list + width, list, (size_t)at * width);
    memmove(first_us + 1, first_us, (size_t)at * sizeof *first_us);
    memmove(last_us + 1, last_us, (size_t)at * sizeof *last_us);
    memcpy(list, ip, width);
    first_us[0] = first;
    last_us[0] = last;
    *count = n;
    return fresh;
}

bool caps_asset_add_ip4(struct caps_asset *a, const uint8_t ip[4], uint64_t ts_us)
{
    return add_addr(&a->ip4[0][0], a->ip4_first_us, a->ip4_last_us, &a->ip4_count,
                    CAPS_ASSET_IP4_MAX, 4, ip, ts_us);
}

bool caps_asset_add_ip6(struct caps_asset *a, const uint8_t ip[16], uint64_t ts_us)
{
    return add_addr(&a->ip6[0][0], a->ip6_first_us, a->ip6_last_us, &a->ip6_count,
                    CAPS_ASSET_IP6_MAX, 16, ip, ts_us);
}

/* Superseded: some other address was first seen after this one's last sighting. */
static int addr_current(const uint64_t *first_us, const uint64_t *last_us, unsigned n,
                        unsigned i)
{
    for (unsigned j = 0; j < n; j++)
        if (j != i && first_us[j] > last_us[i])
            return 0;
    return 1;
}

int caps_asset_ip4_current(const struct caps_asset *a, unsigned i)
{
    return addr_current(a->ip4_first_us, a->ip4_last_us, a->ip4_count, i);
}

int caps_asset_ip6_current(const struct caps_asset *a, unsigned i)
{
    return addr_current(a->ip6_first_us, a->ip6_last_us, a->ip6_count, i);
}

bool caps_asset_set_hostname(struct caps_asset *a, const char *name, uint8_t rank,
                             uint64_t ts_us)
{
    if (name[0] == '\0' || rank < a->hostname_rank)
        return false;
    a->hostname_rank = rank;
    size_t n = strlen(name);
    if (n >= sizeof a->hostname)
        n = sizeof a->hostname - 1;
    if (strncmp(a->hostname, name, n) == 0 && a->hostname[n] == '\0')
        return false;
    if (a->hostname[0] != '\0') {
        memmove(&a->hostname_history[1], &a->hostname_history[0],
                (CAPS_HOSTNAME_HISTORY_MAX - 1) * sizeof a->hostname_history[0]);
        memcpy(a->hostname_history[0].name, a->hostname, sizeof a->hostname);
        a->hostname_history[0].until_us = ts_us;
        if (a->hostname_history_count < CAPS_HOSTNAME_HISTORY_MAX)
            a->hostname_history_count++;
    }
    memcpy(a->hostname, name, n);
    a->hostname[n] = '\0';
    return true;
}

void caps_asset_add_previous_mac(struct caps_asset *a, const uint8_t mac[6])
{
    if (memcmp(mac, a->mac, 6) == 0)
        return;
    for (unsigned i = 0; i < a->previous_mac_count; i++)
        if (memcmp(a->previous_macs[i], mac, 6) == 0)
            return;
    unsigned keep = a->previous_mac_count < CAPS_PREVIOUS_MACS_MAX ? a->previous_mac_count
                                                                   : CAPS_PREVIOUS_MACS_MAX - 1;
    memmove(a->previous_macs[1], a->previous_macs[0], (size_t)keep * 6);
    memcpy(a->previous_macs[0], mac, 6);
    a->previous_mac_count = (uint8_t)(keep + 1);
}
