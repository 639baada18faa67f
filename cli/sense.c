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
#include "codec/config.h"
#include "codec/fingerprints.h"
#include "codec/inventory.h"
#include "sensor/capture.h"

static const char sense_usage[] =
    "usage: caps sense --read FILE [--config CONF.json] [--json OUT.json] [options]\n"
    "\n"
    "Replays a capture (pcap or pcapng) through one sensor core and writes the\n"
    "inventory of the devices in it.\n"
    "\n"
    "  --read FILE               capture file to replay\n"
    "  --config CONF.json        sensor configuration (docs/config.md): domains,\n"
    "                            include/exclude ranges and MACs, budgets\n"
    "  --dns-suffix SUFFIX       the sensor host's DNS suffix, which decides on/off\n"
    "                            premises; a replay defaults to the first domain\n"
    "  --json OUT.json           write the inventory JSON there ('-' for stdout);\n"
    "                            without it a table is printed on stdout\n"
    "  --fingerprints-local FILE extra fingerprint rules that take precedence over\n"
    "                            the built-in database (data/README.md)\n"
    "  --no-fingerprints         no fingerprinting (os, device_type stay null)\n"
    "  --assets-max N            inventory capacity (overrides the configuration)\n"
    "  -q, --quiet               no summary line on stderr\n"
    "  -h, --help                this help\n";

static const char *str_or_dash(const cJSON *item)
{
    return cJSON_IsString(item) ? item->valuestring : "-";
}

static void print_table(const cJSON *doc)
{
    const cJSON *assets = cJSON_GetObjectItemCaseSensitive(doc, "assets");
    const cJSON *a;

    printf("%-17s  %-15s  %-20s  %-20s  %-14s  %-12s  %s\n", "MAC", "IP", "HOSTNAME", "VENDOR",
           "OS", "TYPE", "SOURCES");
    cJSON_ArrayForEach(a, assets) {
        const cJSON *ips = cJSON_GetObjectItemCaseSensitive(a, "ips");
        const cJSON *os = cJSON_GetObjectItemCaseSensitive(a, "os");
        char sources[128] = "", os_text[64] = "-";
        const cJSON *src;
        cJSON_ArrayForEach(src, cJSON_GetObjectItemCaseSensitive(a, "sources")) {
            if (sources[0] != '\0')
                strncat(sources, ",", sizeof sources - strlen(sources) - 1);
            strncat(sources, src->valuestring, sizeof sources - strlen(sources) - 1);
        }
        if (cJSON_IsObject(os)) {
            const cJSON *version = cJSON_GetObjectItemCaseSensitive(os, "version");
            snprintf(os_text, sizeof os_text, "%s%s%s",
                     str_or_dash(cJSON_GetObjectItemCaseSensitive(os, "family")),
                     cJSON_IsString(version) ? " " : "",
                     cJSON_IsString(version) ? version->valuestring : "");
        }
        printf("%-17s  %-15s  %-20.20s  %-20.20s  %-14.14s  %-12.12s  %s\n",
               str_or_dash(cJSON_GetObjectItemCaseSensitive(a, "mac")),
               str_or_dash(cJSON_GetArrayItem(ips, 0)),
               str_or_dash(cJSON_GetObjectItemCaseSensitive(a, "hostname")),
               str_or_dash(cJSON_GetObjectItemCaseSensitive(a, "vendor")), os_text,
               str_or_dash(cJSON_GetObjectItemCaseSensitive(a, "device_type")), sources);
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
        {"config", required_argument, NULL, 'c'},
        {"dns-suffix", required_argument, NULL, 'd'},
        {"fingerprints-local", required_argument, NULL, 'l'},
        {"no-fingerprints", no_argument, NULL, 'n'},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *read_path = NULL, *json_path = NULL, *config_path = NULL;
    const char *dns_suffix = NULL, *fp_local = NULL;
    uint32_t assets_max = 0;
    struct caps_config cfg;
    int quiet = 0, fingerprints = 1, c;

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
            if (parse_u32(optarg, 1, CAPS_ASSETS_MAX_LIMIT, &assets_max) != 0) {
                fprintf(stderr, "caps sense: --assets-max must be 1..%u, got '%s'\n",
                        CAPS_ASSETS_MAX_LIMIT, optarg);
                return CLI_USAGE;
            }
            break;
        case 'c':
            config_path = optarg;
            break;
        case 'd':
            dns_suffix = optarg;
            break;
        case 'l':
            fp_local = optarg;
            break;
        case 'n':
            fingerprints = 0;
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

    char cerr[CODEC_ERRMSG_MAX];
    if (config_path != NULL && codec_config_load(config_path, &cfg, cerr) != 0) {
        fprintf(stderr, "caps sense: %s\n", cerr);
        return CLI_FAIL;
    }
    if (assets_max != 0)
        cfg.assets_max = assets_max;
    struct codec_fp_db fpdb;
    memset(&fpdb, 0, sizeof fpdb);
    if (fingerprints) {
        if (codec_fp_load_builtin(fp_local, &fpdb, cerr) != 0) {
            fprintf(stderr, "caps sense: %s\n", cerr);
            return CLI_FAIL;
        }
        cfg.fingerprints = &fpdb.db;
    } else if (fp_local != NULL) {
        fprintf(stderr, "caps sense: --fingerprints-local and --no-fingerprints conflict\n");
        return CLI_USAGE;
    }
    /* A replay stands in for a sensor on the premises of its first domain
     * unless told otherwise. */
    if (dns_suffix == NULL && cfg.domain_count > 0) {
        dns_suffix = cfg.domains[0].name;
        if (!quiet)
            fprintf(stderr, "caps sense: replaying as a sensor in %s (--dns-suffix to change)\n",
                    dns_suffix);
    }

    size_t arena_bytes = caps_sensor_arena_bytes(&cfg);
    void *arena = aligned_alloc(64, (arena_bytes + 63) & ~(size_t)63);
    struct caps_sensor *s = malloc(sizeof *s);
    struct caps_host host = {0};
    if (arena == NULL || s == NULL) {
        fprintf(stderr, "caps sense: cannot allocate %zu bytes for the core\n", arena_bytes);
        free(arena);
        free(s);
        codec_fp_free(&fpdb);
        return CLI_FAIL;
    }
    int rc = caps_sensor_init(s, &cfg, &host, arena, arena_bytes);
    if (rc != 0) {
        fprintf(stderr, "caps sense: core init: %s\n", caps_strerror(rc));
        free(arena);
        free(s);
        codec_fp_free(&fpdb);
        return CLI_FAIL;
    }
    caps_sensor_set_dns_suffix(s, dns_suffix);
    if (!s->on_premises && !quiet)
        fprintf(stderr, "caps sense: DNS suffix '%s' matches no configured domain: off premises, "
                        "nothing is sensed\n", dns_suffix ? dns_suffix : "");

    char err[SENSOR_ERRMSG_MAX];
    struct sensor_replay_result res;
    int status = CLI_OK;
    if (sensor_replay_file(read_path, s, &res, err) != 0) {
        fprintf(stderr, "caps sense: %s\n", err);
        status = CLI_FAIL;
        if (res.records == 0) {     /* nothing was read: nothing to report */
            free(arena);
            free(s);
            codec_fp_free(&fpdb);
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
    codec_fp_free(&fpdb);
    return status;
}
