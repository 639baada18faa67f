/* macmap.c - the simulator's MAC -> uint32_t map (macmap.h).
 *
 * Probing stops at an empty slot; load stays at or below one half, so every
 * probe sequence is short and ends.
 */
#include "macmap.h"

#include <stdio.h>
#include <stdlib.h>

static uint64_t mac_key(const uint8_t mac[6])
{
    uint64_t k = 1ull << 48;
    for (int i = 0; i < 6; i++)
        k |= (uint64_t)mac[i] << (8 * (5 - i));
    return k;
}

static uint32_t mac_slot(const struct sim_macmap *m, uint64_t key)
{
    return (uint32_t)((key * 0x9E3779B97F4A7C15ull) >> 32) & (m->slots - 1u);
}

int sim_macmap_init(struct sim_macmap *m, uint32_t slots)
{
    m->keys = slots ? calloc(slots, sizeof *m->keys) : NULL;
    m->values = slots ? calloc(slots, sizeof *m->values) : NULL;
    m->slots = slots;
    m->count = 0;
    return slots == 0 || (m->keys != NULL && m->values != NULL) ? 0 : -1;
}

void sim_macmap_free(struct sim_macmap *m)
{
    free(m->keys);
    free(m->values);
    m->keys = NULL;
    m->values = NULL;
    m->slots = m->count = 0;
}

uint32_t sim_macmap_get(const struct sim_macmap *m, const uint8_t mac[6])
{
    if (m->slots == 0)
        return SIM_MACMAP_NONE;
    uint64_t key = mac_key(mac);
    for (uint32_t i = mac_slot(m, key);; i = (i + 1u) & (m->slots - 1u)) {
        if (m->keys[i] == key)
            return m->values[i];
        if (m->keys[i] == 0)
            return SIM_MACMAP_NONE;
    }
}

int sim_macmap_put(struct sim_macmap *m, const uint8_t mac[6], uint32_t value)
{
    if (m->slots == 0 && sim_macmap_init(m, 1024u) != 0)
        return -1;
    uint64_t key = mac_key(mac);
    uint32_t i;
    for (i = mac_slot(m, key); m->keys[i] != 0; i = (i + 1u) & (m->slots - 1u))
        if (m->keys[i] == key)
            return 0;
    m->keys[i] = key;
    m->values[i] = value;
    if (++m->count * 2u <= m->slots)
        return 0;
    struct sim_macmap grown;
    if (sim_macmap_init(&grown, m->slots * 2u) != 0) {
        sim_macmap_free(&grown);
        return -1;
    }
    for (uint32_t j = 0; j < m->slots; j++) {
        if (m->keys[j] == 0)
            continue;
        uint32_t k = mac_slot(&grown, m->keys[j]);
        while (grown.keys[k] != 0)
            k = (k + 1u) & (grown.slots - 1u);
        grown.keys[k] = m->keys[j];
        grown.values[k] = m->values[j];
    }
    grown.count = m->count;
    sim_macmap_free(m);
    *m = grown;
    return 0;
}

uint32_t sim_macmap_slot(const struct sim_macmap *m, uint32_t i, uint8_t mac[6])
{
    uint64_t key = m->keys[i];
    if (key == 0)
        return SIM_MACMAP_NONE;
    for (int b = 0; b < 6; b++)
        mac[b] = (uint8_t)(key >> (8 * (5 - b)));
    return m->values[i];
}

int sim_mac_parse(const char *s, uint8_t mac[6])
{
    unsigned v[6];
    if (s == NULL || sscanf(s, "%2x:%2x:%2x:%2x:%2x:%2x", &v[0], &v[1], &v[2], &v[3], &v[4],
                            &v[5]) != 6)
        return -1;
    for (int i = 0; i < 6; i++)
        mac[i] = (uint8_t)v[i];
    return 0;
}
