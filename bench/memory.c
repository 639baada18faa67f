/* memory.c - bytes per asset of the core's inventory, from its own sizing.
 *
 * usage: bench_memory [ASSETS...]   (default: 1000 4096)
 * For each capacity prints the arena the core asks for (asset records, the
 * hash slots and the per-packet decode scratch) and that divided by the
 * capacity, plus the fixed struct caps_sensor. This is exactly what
 * caps_sensor_init is given: the core allocates nothing else.
 */
#include <stdio.h>
#include <stdlib.h>

#include "caps/sensor.h"

int main(int argc, char **argv)
{
    static const unsigned defaults[] = {1000, 4096};
    size_t n = argc > 1 ? (size_t)(argc - 1) : sizeof defaults / sizeof defaults[0];

    printf("{\"sizeof_asset\": %zu, \"sizeof_sensor\": %zu, \"capacities\": [", 
           sizeof(struct caps_asset), sizeof(struct caps_sensor));
    for (size_t i = 0; i < n; i++) {
        unsigned assets = argc > 1 ? (unsigned)strtoul(argv[i + 1], NULL, 10) : defaults[i];
        struct caps_config cfg;
        caps_config_default(&cfg);
        cfg.assets_max = assets;
        size_t arena = caps_sensor_arena_bytes(&cfg);
        size_t inv = caps_inventory_arena_bytes(assets);
        printf("%s{\"assets_max\": %u, \"arena_bytes\": %zu, \"inventory_bytes\": %zu, "
               "\"inventory_bytes_per_asset\": %.1f, \"total_bytes_per_asset\": %.1f}",
               i ? ", " : "", assets, arena, inv, (double)inv / assets,
               (double)(arena + sizeof(struct caps_sensor)) / assets);
    }
    printf("]}\n");
    return 0;
}
