/* sense.c - "caps sense": one sensor core over a capture file.
 *
 * Sizes the core's arena once from the configuration, replays the file,
 * then writes the inventory as JSON (--json) or as a table on stdout. A
 * capture damaged part-way still yields the inventory of what was read, and
 * the exit code (1) and message say where the damage is.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "caps/sensor.h"
#include "cli.h"
#include "codec/inventory.h"
#include "sensor/capture.h"

static const char sense_usage[] =
    "usage: caps sense --read FILE [--json OUT.json] [--assets-max N]\n"
    "\n"
    "Replays a capture (pcap or pcapng) through one sensor core and writes the\n"
    "inventory of the devices in it.\n"
    "\n"
    "  --read FILE        capture file to replay\n"
    "  --json OUT.json    write the inventory JSON there ('-' for stdout);\n"
    "                     without it a table is printed on stdout\n"
    "  --assets-max N     inventory capacity (default 4096)\n"
    "  -q, --quiet        no summary line on stderr\n"
    "  -h, --help         this help\n";

static void print_table(const cJSON *doc)
{
    const cJSON *assets = cJSON_GetObjectItemCaseSensitive(doc, "assets");
    const cJSON *a;

    printf("%-17s  %-15s  %-24s  %-24s  %s\n", "MAC", "IP", "HOSTNAME", "VENDOR", "SOURCES");
    cJSON_ArrayForEach(a, assets) {
        const cJSON *ips = cJSON_GetObjectItemCaseSensitive(a, "ips");
        const cJSON *host = cJSON_GetObjectItemCaseSensitive(a, "hostname");
        const cJSON *srcs = cJSON_GetObjectItemCaseSensitive(a, "sources");
        const cJSON *vendor = cJSON_GetObjectItemCaseSensitive(a, "vendor");
        const cJSON *ip0 = cJSON_GetArrayItem(ips, 0);
        char sources[128] = "";
        const cJSON *src;
        cJSON_ArrayForEach(src, srcs) {
            if (sources[0] != '\0')
                strncat(sources, ",", sizeof sources - strlen(sources) - 1);
            strncat(sources, src->valuestring, sizeof sources - strlen(sources) - 1);
        }
        printf("%-17s  %-15s  %-24.24s  %-24.24s  %s\n",
               cJSON_GetObjectItemCaseSensitive(a, "mac")->valuestring,
               cJSON_IsString(ip0) ? ip0->valuestring : "-",
               cJSON_IsString(host) ? host->valuestring : "-",
               cJSON_IsString(vendor) ? vendor->valuestring : "-", sources);
    }
}

static int parse_u32(const char *s, uint32_t min, uint32_t max, uint32_t *out)
{
    char *end;
    unsigned long v = strtoul(s, &end, 10);
    if (*s == '\0' || *end != '\0' || s[0] == '-' || v < min || v > max)
        return -1;
    *out = (uint32_t)v;
    return 0;
}

int cli_sense(int argc, char **argv)
{
    static const struct option opts[] = {
        {"read", required_argument, NULL, 'r'},
        {"json", required_argument, NULL, 'j'},
        {"assets-max", required_argument, NULL, 'a'},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *read_path = NULL, *json_path = NULL;
    struct caps_config cfg;
    int quiet = 0, c;

    caps_config_default(&cfg);
    optind = 1;
    while ((c = getopt_long(argc, argv, "r:j:qh", opts, NULL)) != -1) {
        switch (c) {
        case 'r':
            read_path = optarg;
            break;
        case 'j':
            json_path = optarg;
            break;
        case 'a':
            if (parse_u32(optarg, 1, CAPS_ASSETS_MAX_LIMIT, &cfg.assets_max) != 0) {
                fprintf(stderr, "caps sense: --assets-max must be 1..%u, got '%s'\n",
                        CAPS_ASSETS_MAX_LIMIT, optarg);
                return CLI_USAGE;
            }
            break;
        case 'q':
            quiet = 1;
            break;
        case 'h':
            fputs(sense_usage, stdout);
            return CLI_OK;
        default:
            fputs(sense_usage, stderr);
            return CLI_USAGE;
        }
    }
    if (optind != argc) {
        fprintf(stderr, "caps sense: unexpected argument '%s'\n%s", argv[optind], sense_usage);
        return CLI_USAGE;
    }
    if (read_path == NULL) {
        fprintf(stderr, "caps sense: --read FILE is required (live capture is not built yet)\n%s",
                sense_usage);
        return CLI_USAGE;
    }

    size_t arena_bytes = caps_sensor_arena_bytes(&cfg);
    void *arena = aligned_alloc(64, (arena_bytes + 63) & ~(size_t)63);
    struct caps_sensor *s = malloc(sizeof *s);
    struct caps_host host = {0};
    if (arena == NULL || s == NULL) {
        fprintf(stderr, "caps sense: cannot allocate %zu bytes for the core\n", arena_bytes);
        free(arena);
        free(s);
        return CLI_FAIL;
    }
    int rc = caps_sensor_init(s, &cfg, &host, arena, arena_bytes);
    if (rc != 0) {
        fprintf(stderr, "caps sense: core init: %s\n", caps_strerror(rc));
        free(arena);
        free(s);
        return CLI_FAIL;
    }

    char err[SENSOR_ERRMSG_MAX];
    struct sensor_replay_result res;
    int status = CLI_OK;
    if (sensor_replay_file(read_path, s, &res, err) != 0) {
        fprintf(stderr, "caps sense: %s\n", err);
        status = CLI_FAIL;
        if (res.records == 0) {     /* nothing was read: nothing to report */
            free(arena);
            free(s);
            return status;
        }
    }

    cJSON *doc = codec_inventory_build(s);
    if (doc == NULL) {
        fprintf(stderr, "caps sense: out of memory building the inventory\n");
        status = CLI_FAIL;
    } else if (json_path != NULL) {
        if (codec_json_write(doc, json_path) != 0) {
            fprintf(stderr, "caps sense: %s: cannot write: %s\n", json_path, strerror(errno));
            status = CLI_FAIL;
        }
    } else {
        print_table(doc);
    }
    if (!quiet)
        fprintf(stderr, "caps sense: %s: %llu records, %u assets, %llu malformed\n",
                read_path, (unsigned long long)res.records, s->inv.count,
                (unsigned long long)caps_sensor_malformed_total(s));
    cJSON_Delete(doc);
    free(arena);
    free(s);
    return status;
}
