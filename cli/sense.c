/* sense.c - "caps sense": one sensor core over a capture file or a live
 * interface, with an optional election and uploads to a cloud.
 *
 * Sizes the core's arena once from the configuration, opens the capture (and
 * the election socket) while still privileged, drops to --user, then runs the
 * event loop (sensor/run.h) until the file ends or SIGTERM/SIGINT, and writes
 * the inventory as JSON (--json) or as a table on stdout. A capture damaged
 * part-way still yields the inventory of what was read (exit 1).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "caps/sensor.h"
#include "cli.h"
#include "codec/config.h"
#include "codec/fingerprints.h"
#include "codec/inventory.h"
#include "sensor/agentstate.h"
#include "sensor/capture.h"
#include "sensor/electsock.h"
#include "sensor/hostinfo.h"
#include "sensor/log.h"
#include "sensor/outbox.h"
#include "sensor/run.h"
#include "sensor/sitekey.h"
#include "sensor/spool.h"
#include "sensor/uploader.h"

static const char sense_usage[] =
    "usage: caps sense --read FILE [--pace [FACTOR]] [options]\n"
    "       caps sense --iface NAME [--site-key-file FILE | --no-election] [options]\n"
    "\n"
    "Runs one sensor core over a capture file (pcap or pcapng) or a live\n"
    "interface and writes the inventory of the devices it saw. With --cloud it\n"
    "activates with the cloud and uploads (docs/cloud.md); live, several sensors\n"
    "on one subnet elect a leader (docs/election.md). See docs/sensor.md.\n"
    "\n"
    "capture:\n"
    "  --read FILE               capture file to replay (standalone: no election)\n"
    "  --pace [FACTOR]           replay at the capture's own pace, FACTOR times\n"
    "                            faster (default 1); without it as fast as it reads\n"
    "  --iface NAME              capture live on NAME (libpcap; needs root or\n"
    "                            CAP_NET_RAW): broadcast and multicast ARP, DHCP,\n"
    "                            NetBIOS, SSDP, mDNS and the election adverts\n"
    "  --user NAME               after opening the capture, drop root for NAME\n"
    "                            (setgroups, setgid, setuid); the state and log\n"
    "                            directories are handed to NAME\n"
    "\n"
    "sensing:\n"
    "  --config CONF.json        sensor configuration (docs/config.md); with --cloud\n"
    "                            and without it, the cloud's configuration is used\n"
    "  --dns-suffix SUFFIX       the host's DNS suffix, which decides on/off premises;\n"
    "                            a replay defaults to the first domain, a live\n"
    "                            sensor to the domain or search of /etc/resolv.conf\n"
    "  --json OUT.json           write the inventory JSON there ('-' for stdout) at\n"
    "                            the end of the file or when stopped; without it a\n"
    "                            table is printed on stdout\n"
    "  --fingerprints-local FILE extra fingerprint rules that take precedence over\n"
    "                            the built-in database (data/README.md)\n"
    "  --no-fingerprints         no fingerprinting (os, device_type stay null)\n"
    "  --assets-max N            inventory capacity (overrides the configuration)\n"
    "\n"
    "election (live only):\n"
    "  --site-key-file FILE      the site key, 32 to 4096 bytes (every byte counts);\n"
    "                            the site id is the first 16 bytes of its SHA-256\n"
    "  --no-election             standalone: lead alone, no adverts, no peer gate\n"
    "  --election-group ADDR     multicast group: IPv4 when the interface has an\n"
    "                            IPv4 address (default " CAPS_ELECTION_GROUP_V4 "), else IPv6\n"
    "                            over its link-local address (default " CAPS_ELECTION_GROUP_V6 ")\n"
    "  --election-port N         UDP port (default 47474)\n"
    "  --priority N              1..254, higher leads (default 100)\n"
    "  --advert-interval-ms N    1..3600000 (default 120000)\n"
    "  --preempt                 take the lead from a weaker leader\n"
    "\n"
    "cloud:\n"
    "  --cloud URL               the cloud (http:// or https://)\n"
    "  --activation-key KEY      activates on the first run (later runs reuse\n"
    "                            STATE/agent.json)\n"
    "  --state-dir DIR           agent.json and the spool/ of payloads (default\n"
    "                            ./caps-state)\n"
    "  --insecure                do not verify the cloud's TLS certificate\n"
    "  --upload-interval-s N     upload interval in seconds (tests; default: the\n"
    "                            configuration's minutes)\n"
    "  --final-wait-s N          --read: wall time to wait for the cloud to take\n"
    "                            the last upload before exiting 1 (default 30)\n"
    "  --subnet KEY              --read: the subnet key of the payloads (default\n"
    "                            'replay'); live it is the interface's CIDR\n"
    "\n"
    "logs:\n"
    "  --log-dir DIR             write DIR/caps.log (rotated) instead of stderr\n"
    "  --log-max-bytes N         bytes per log file (default 1048576, >= 1024)\n"
    "  --log-files N             log files kept, caps.log included (default 5)\n"
    "  -q, --quiet               no summary line on stderr\n"
    "  -h, --help                this help\n"
    "\n"
    "SIGTERM or SIGINT stop cleanly: a last upload, a priority 0 advert, the\n"
    "inventory written, exit 0. Exit codes: 0 ok, 1 failure, 2 usage.\n";

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

static int parse_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (*s == '\0' || *end != '\0' || s[0] == '-' || errno != 0 || v < min || v > max)
        return -1;
    *out = (uint64_t)v;
    return 0;
}

static int parse_factor(const char *s, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (*s == '\0' || *end != '\0' || errno != 0 || !(v > 0) || v > 1e6)
        return -1;
    *out = v;
    return 0;
}

struct sense_opts {
    const char *read_path, *iface, *json_path, *config_path, *dns_suffix, *fp_local;
    const char *user, *site_key_file, *election_group, *cloud_url, *activation_key;
    const char *state_dir, *subnet, *log_dir;
    double pace;                 /* 0: not paced */
    uint32_t assets_max, priority, advert_interval_ms, election_port, log_files;
    uint64_t upload_interval_s, final_wait_s, log_max_bytes;
    int quiet, fingerprints, no_election, preempt, insecure;
};

#define SENSOR_ACTIVATE_MACS_MAX 32     /* the cloud takes 1..32 MACs */

static volatile sig_atomic_t sense_stop;

static void on_stop_signal(int sig)
{
    (void)sig;
    sense_stop = 1;
}

/* Parses the command line into o. Returns -1 to go on, else the exit code. */
static int sense_parse(int argc, char **argv, struct sense_opts *o)
{
    enum {
        O_ASSETS = 256, O_CONFIG, O_DNS, O_FPLOCAL, O_NOFP, O_IFACE, O_PACE, O_USER,
        O_SITEKEY, O_NOELECT, O_EGROUP, O_EPORT, O_PRIO, O_ADVERT, O_PREEMPT, O_CLOUD,
        O_ACTKEY, O_STATE, O_INSECURE, O_UPINT, O_FINAL, O_SUBNET, O_LOGDIR, O_LOGMAX,
        O_LOGFILES
    };
    static const struct option opts[] = {
        {"read", required_argument, NULL, 'r'},
        {"json", required_argument, NULL, 'j'},
        {"assets-max", required_argument, NULL, O_ASSETS},
        {"config", required_argument, NULL, O_CONFIG},
        {"dns-suffix", required_argument, NULL, O_DNS},
        {"fingerprints-local", required_argument, NULL, O_FPLOCAL},
        {"no-fingerprints", no_argument, NULL, O_NOFP},
        {"iface", required_argument, NULL, O_IFACE},
        {"pace", optional_argument, NULL, O_PACE},
        {"user", required_argument, NULL, O_USER},
        {"site-key-file", required_argument, NULL, O_SITEKEY},
        {"no-election", no_argument, NULL, O_NOELECT},
        {"election-group", required_argument, NULL, O_EGROUP},
        {"election-port", required_argument, NULL, O_EPORT},
        {"priority", required_argument, NULL, O_PRIO},
        {"advert-interval-ms", required_argument, NULL, O_ADVERT},
        {"preempt", no_argument, NULL, O_PREEMPT},
        {"cloud", required_argument, NULL, O_CLOUD},
        {"activation-key", required_argument, NULL, O_ACTKEY},
        {"state-dir", required_argument, NULL, O_STATE},
        {"insecure", no_argument, NULL, O_INSECURE},
        {"upload-interval-s", required_argument, NULL, O_UPINT},
        {"final-wait-s", required_argument, NULL, O_FINAL},
        {"subnet", required_argument, NULL, O_SUBNET},
        {"log-dir", required_argument, NULL, O_LOGDIR},
        {"log-max-bytes", required_argument, NULL, O_LOGMAX},
        {"log-files", required_argument, NULL, O_LOGFILES},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int c;

    memset(o, 0, sizeof *o);
    o->fingerprints = 1;
    o->priority = 100;
    o->advert_interval_ms = CAPS_ADVERT_INTERVAL_US_DEFAULT / 1000u;
    o->election_port = CAPS_ELECTION_PORT;
    o->state_dir = "./caps-state";
    o->subnet = "replay";
    o->final_wait_s = 30;
    o->log_max_bytes = SENSOR_LOG_BYTES_DEFAULT;
    o->log_files = SENSOR_LOG_FILES_DEFAULT;
    optind = 1;
    while ((c = getopt_long(argc, argv, "r:j:qh", opts, NULL)) != -1) {
        const char *bad = NULL, *rule = NULL;
        uint64_t v64 = 0;
        switch (c) {
        case 'r': o->read_path = optarg; break;
        case 'j': o->json_path = optarg; break;
        case O_ASSETS:
            if (parse_u32(optarg, 1, CAPS_ASSETS_MAX_LIMIT, &o->assets_max) != 0) {
                fprintf(stderr, "caps sense: --assets-max must be 1..%u, got '%s'\n",
                        CAPS_ASSETS_MAX_LIMIT, optarg);
                return CLI_USAGE;
            }
            break;
        case O_CONFIG: o->config_path = optarg; break;
        case O_DNS: o->dns_suffix = optarg; break;
        case O_FPLOCAL: o->fp_local = optarg; break;
        case O_NOFP: o->fingerprints = 0; break;
        case O_IFACE: o->iface = optarg; break;
        case O_PACE:
            o->pace = 1;
            /* "--pace 120" as well as "--pace=120": take a following number. */
            if (optarg == NULL && optind < argc &&
                strchr("0123456789.", argv[optind][0]) != NULL && argv[optind][0] != '\0') {
                optarg = argv[optind++];
            }
            if (optarg != NULL && parse_factor(optarg, &o->pace) != 0)
                bad = "--pace", rule = "a factor > 0 and <= 1000000";
            break;
        case O_USER: o->user = optarg; break;
        case O_SITEKEY: o->site_key_file = optarg; break;
        case O_NOELECT: o->no_election = 1; break;
        case O_EGROUP:
            o->election_group = optarg;
            if (sensor_electsock_group_family(optarg) == 0)
                bad = "--election-group",
                rule = "an IPv4 (224.0.0.0/4) or IPv6 (ff00::/8) multicast address";
            break;
        case O_EPORT:
            if (parse_u32(optarg, 1, 65535, &o->election_port) != 0)
                bad = "--election-port", rule = "1..65535";
            break;
        case O_PRIO:
            if (parse_u32(optarg, 1, 254, &o->priority) != 0)
                bad = "--priority", rule = "1..254";
            break;
        case O_ADVERT:
            if (parse_u32(optarg, 1, CAPS_ADVERT_INTERVAL_US_MAX / 1000u,
                          &o->advert_interval_ms) != 0)
                bad = "--advert-interval-ms", rule = "1..3600000";
            break;
        case O_PREEMPT: o->preempt = 1; break;
        case O_CLOUD: o->cloud_url = optarg; break;
        case O_ACTKEY: o->activation_key = optarg; break;
        case O_STATE: o->state_dir = optarg; break;
        case O_INSECURE: o->insecure = 1; break;
        case O_UPINT:
            if (parse_u64(optarg, 1, 86400u * 7, &o->upload_interval_s) != 0)
                bad = "--upload-interval-s", rule = "1..604800";
            break;
        case O_FINAL:
            if (parse_u64(optarg, 0, 86400, &o->final_wait_s) != 0)
                bad = "--final-wait-s", rule = "0..86400";
            break;
        case O_SUBNET: o->subnet = optarg; break;
        case O_LOGDIR: o->log_dir = optarg; break;
        case O_LOGMAX:
            if (parse_u64(optarg, SENSOR_LOG_BYTES_MIN, UINT64_C(1) << 40, &v64) != 0)
                bad = "--log-max-bytes", rule = "1024..2^40";
            o->log_max_bytes = v64;
            break;
        case O_LOGFILES:
            if (parse_u32(optarg, 1, SENSOR_LOG_FILES_MAX, &o->log_files) != 0)
                bad = "--log-files", rule = "1..100";
            break;
        case 'q': o->quiet = 1; break;
        case 'h':
            fputs(sense_usage, stdout);
            return CLI_OK;
        default:
            fputs(sense_usage, stderr);
            return CLI_USAGE;
        }
        if (bad != NULL) {
            fprintf(stderr, "caps sense: %s must be %s, got '%s'\n", bad, rule,
                    optarg ? optarg : "");
            return CLI_USAGE;
        }
    }
    if (optind != argc) {
        fprintf(stderr, "caps sense: unexpected argument '%s'\n%s", argv[optind], sense_usage);
        return CLI_USAGE;
    }
    const char *conflict = NULL;
    if (o->read_path == NULL && o->iface == NULL) {
        fprintf(stderr, "caps sense: --read FILE is required (or --iface NAME to capture "
                        "live)\n%s", sense_usage);
        return CLI_USAGE;
    }
    if (o->read_path != NULL && o->iface != NULL)
        conflict = "--read and --iface conflict: one capture at a time";
    else if (o->pace > 0 && o->read_path == NULL)
        conflict = "--pace applies to --read only";
    else if (o->read_path != NULL && (o->site_key_file || o->preempt))
        conflict = "--read runs standalone: election options apply to --iface only";
    else if (o->iface != NULL && !o->no_election && o->site_key_file == NULL)
        conflict = "--iface needs --site-key-file FILE for the election (or --no-election)";
    else if (!o->fingerprints && o->fp_local != NULL)
        conflict = "--fingerprints-local and --no-fingerprints conflict";
    else if (o->cloud_url == NULL && (o->activation_key || o->upload_interval_s))
        conflict = "--activation-key and --upload-interval-s need --cloud URL";
    if (conflict != NULL) {
        fprintf(stderr, "caps sense: %s\n", conflict);
        return CLI_USAGE;
    }
    return -1;
}

/* FNV-1a 64 of text: the election agent id and jitter seed from the cloud's
 * agent id, so a restarted sensor keeps its identity. */
static uint64_t fnv1a64(const char *text)
{
    uint64_t h = 0xcbf29ce484222325ull;
    for (const unsigned char *p = (const unsigned char *)text; *p != '\0'; p++)
        h = (h ^ *p) * 0x100000001b3ull;
    return h;
}

/* Activates (or reuses agent.json) and fetches the configuration when none
 * was given. Returns 0 or -1 (logged). */
static int sense_cloud_setup(const struct sense_opts *o, struct sensor_log *lg,
                             struct sensor_cloud *cloud, struct sensor_agentstate *st,
                             const struct sensor_ifinfo *ifi, struct caps_config *cfg)
{
    char err[SENSOR_CLOUD_ERRMSG_MAX], serr[SENSOR_AGENTSTATE_ERRMSG_MAX];
    char cerr[CODEC_ERRMSG_MAX];

    if (sensor_cloud_init(cloud, o->cloud_url, o->insecure, err) != 0) {
        sensor_log_printf(lg, CAPS_LOG_ERROR, "caps sense: %s", err);
        return -1;
    }
    int rc = sensor_agentstate_load(o->state_dir, st, serr);
    if (rc < 0) {
        sensor_log_printf(lg, CAPS_LOG_ERROR, "caps sense: %s", serr);
        return -1;
    }
    if (rc == 0 && strcmp(st->cloud, cloud->base) != 0) {
        sensor_log_printf(lg, CAPS_LOG_INFO,
                          "caps sense: %s/agent.json belongs to %s, activating with %s",
                          o->state_dir, st->cloud, cloud->base);
        rc = 1;
    }
    if (rc == 1) {
        char hostname[SENSOR_HOSTNAME_MAX], macs[SENSOR_ACTIVATE_MACS_MAX][18];
        size_t mac_count = 0;
        uint64_t keep_seq = st->last_seq;
        if (o->activation_key == NULL) {
            sensor_log_printf(lg, CAPS_LOG_ERROR,
                              "caps sense: not activated (no %s/agent.json): "
                              "--activation-key KEY is required", o->state_dir);
            return -1;
        }
        sensor_hostname_get(hostname);
        /* The sensing interface's MAC, else (a replay) the host's MACs: the
         * cloud registers the sensor host as a managed asset by them. */
        if (ifi != NULL && ifi->has_mac) {
            codec_mac_format(ifi->mac, macs[0]);
            mac_count = 1;
        } else {
            mac_count = sensor_host_macs(macs, SENSOR_ACTIVATE_MACS_MAX);
        }
        memset(st, 0, sizeof *st);
        if (sensor_cloud_activate(cloud, o->activation_key, hostname, (const char(*)[18])macs,
                                  mac_count, st->agent_id, st->token, err) != 0) {
            sensor_log_printf(lg, CAPS_LOG_ERROR, "caps sense: activation failed: %s", err);
            return -1;
        }
        snprintf(st->cloud, sizeof st->cloud, "%s", cloud->base);
        st->last_seq = keep_seq;
        if (sensor_agentstate_save(o->state_dir, st, serr) != 0) {
            sensor_log_printf(lg, CAPS_LOG_ERROR, "caps sense: %s", serr);
            return -1;
        }
        sensor_log_printf(lg, CAPS_LOG_INFO, "caps sense: activated as agent %s (host %s)",
                          st->agent_id, hostname);
    } else {
        sensor_log_printf(lg, CAPS_LOG_INFO, "caps sense: agent %s (from %s/agent.json)",
                          st->agent_id, o->state_dir);
    }
    sensor_cloud_set_token(cloud, st->token);
    if (o->config_path != NULL)
        return 0;
    char *text = NULL;
    size_t len = 0;
    char cache[SENSOR_STATE_PATH_MAX + 32];
    snprintf(cache, sizeof cache, "%s/config.json", o->state_dir);
    rc = sensor_cloud_config_get(cloud, &text, &len, err);
    if (rc == 1) {
        sensor_log_printf(lg, CAPS_LOG_WARN,
                          "caps sense: the cloud has no CAPS configuration: using defaults");
        return 0;
    }
    if (rc != 0) {
        /* The cloud is out of reach: sense with the last configuration it
         * gave (STATE/config.json); the uploads wait in the spool. */
        if (access(cache, F_OK) != 0) {
            sensor_log_printf(lg, CAPS_LOG_ERROR,
                              "caps sense: configuration: %s (and no %s yet)", err, cache);
            return -1;
        }
        if (codec_config_load(cache, cfg, cerr) != 0) {
            sensor_log_printf(lg, CAPS_LOG_ERROR, "caps sense: %s", cerr);
            return -1;
        }
        sensor_log_printf(lg, CAPS_LOG_WARN, "caps sense: configuration: %s; using %s", err,
                          cache);
        return 0;
    }
    rc = codec_config_parse(text, len, "cloud configuration", cfg, cerr);
    if (rc == 0 && sensor_state_file_write(o->state_dir, "config.json", text, len, serr) != 0)
        sensor_log_printf(lg, CAPS_LOG_WARN, "caps sense: %s", serr);
    free(text);
    if (rc != 0) {
        sensor_log_printf(lg, CAPS_LOG_ERROR, "caps sense: %s", cerr);
        return -1;
    }
    sensor_log_printf(lg, CAPS_LOG_INFO,
                      "caps sense: configuration from the cloud: %u domain(s), upload every "
                      "%u min", (unsigned)cfg->domain_count, cfg->upload_interval_min);
    return 0;
}

/* Hands dir (when it exists) to uid/gid so the unprivileged sensor can write. */
static void chown_for(const char *dir, unsigned uid, unsigned gid, struct sensor_log *lg)
{
    if (dir != NULL && chown(dir, (uid_t)uid, (gid_t)gid) != 0 && errno != ENOENT)
        sensor_log_printf(lg, CAPS_LOG_WARN, "caps sense: %s: cannot hand to uid %u: %s", dir,
                          uid, strerror(errno));
}

struct sense_env {
    struct sense_opts o;
    struct sensor_log lg;
    struct caps_config cfg;
    struct codec_fp_db fpdb;
    struct sensor_cloud cloud;
    struct sensor_agentstate st;
    struct sensor_ifinfo ifi;
    struct sensor_sitekey sitekey;
    struct sensor_electsock es;
    struct sensor_spool spool;
    struct sensor_outbox ob;
    struct sensor_run run;
    struct sensor_capture *cap;
    char spool_dir[SENSOR_STATE_PATH_MAX + 16];
    char dns_buf[CAPS_DOMAIN_NAME_MAX];
    void *arena;
    struct caps_sensor *s;
};

static void sense_env_free(struct sense_env *e)
{
    sensor_capture_close(e->cap);
    sensor_electsock_close(&e->es);
    sensor_outbox_stop(&e->ob);          /* no-op unless a run left it running */
    if (e->o.cloud_url != NULL)
        sensor_cloud_cleanup(&e->cloud);
    codec_fp_free(&e->fpdb);
    free(e->arena);
    free(e->s);
    sensor_log_close(&e->lg);
    memset(&e->sitekey, 0, sizeof e->sitekey);
    memset(&e->st.token, 0, sizeof e->st.token);
    free(e);
}

static void spool_log_cb(void *ctx, int level, const char *msg)
{
    sensor_log_printf(ctx, level, "%s", msg);
}

/* Opens the election socket on the interface: IPv4 when it has an IPv4
 * address, else IPv6 over its link-local address; logs the transport.
 * Returns 0, or -1 with err (a missing address, a group of the other
 * family, a socket call). */
static int sense_election_open(struct sense_env *e, uint16_t port,
                               char err[SENSOR_ELECTSOCK_ERRMSG_MAX])
{
    const struct sense_opts *o = &e->o;
    const char *group = o->election_group;
    int family = sensor_electsock_group_family(group);
    char addr[INET6_ADDRSTRLEN];

    if (e->ifi.has_ipv4) {
        if (group != NULL && family != 4) {
            snprintf(err, SENSOR_ELECTSOCK_ERRMSG_MAX,
                     "%s has an IPv4 address, so the election runs over IPv4: "
                     "--election-group must be an IPv4 multicast address (224.0.0.0/4), "
                     "got '%s'", o->iface, group);
            return -1;
        }
        if (group == NULL)
            group = CAPS_ELECTION_GROUP_V4;
        if (sensor_electsock_open(&e->es, group, port, e->ifi.ipv4, err) != 0)
            return -1;
        inet_ntop(AF_INET, e->ifi.ipv4, addr, sizeof addr);
        sensor_log_printf(&e->lg, CAPS_LOG_INFO,
                          "caps sense: election over IPv4: group %s port %u on %s (%s)", group,
                          (unsigned)port, o->iface, addr);
        return 0;
    }
    if (!e->ifi.has_ipv6_ll) {
        snprintf(err, SENSOR_ELECTSOCK_ERRMSG_MAX,
                 "%s has neither an IPv4 address nor an IPv6 link-local address (fe80::/10): "
                 "the election needs one (or --no-election)", o->iface);
        return -1;
    }
    if (group != NULL && family != 6) {
        snprintf(err, SENSOR_ELECTSOCK_ERRMSG_MAX,
                 "%s has no IPv4 address, so the election runs over IPv6: "
                 "--election-group must be an IPv6 multicast address (ff00::/8), got '%s'",
                 o->iface, group);
        return -1;
    }
    if (group == NULL)
        group = CAPS_ELECTION_GROUP_V6;
    if (sensor_electsock_open6(&e->es, group, port, e->ifi.ifindex, err) != 0)
        return -1;
    inet_ntop(AF_INET6, e->ifi.ipv6_ll, addr, sizeof addr);
    sensor_log_printf(&e->lg, CAPS_LOG_INFO,
                      "caps sense: election over IPv6 (%s has no IPv4 address): group %s port "
                      "%u on %s (index %u, %s)", o->iface, group, (unsigned)port, o->iface,
                      e->ifi.ifindex, addr);
    return 0;
}

/* Opens everything that needs privileges or the network, in that order.
 * Returns -1 to go on, else the exit code. */
static int sense_open(struct sense_env *e)
{
    struct sense_opts *o = &e->o;
    char err[SENSOR_ERRMSG_MAX], cerr[CODEC_ERRMSG_MAX];
    char eerr[SENSOR_ELECTSOCK_ERRMSG_MAX], herr[SENSOR_HOSTINFO_ERRMSG_MAX];

    e->es.fd = -1;
    caps_config_default(&e->cfg);
    if (sensor_log_open(&e->lg, o->log_dir, o->log_max_bytes, o->log_files, err) != 0) {
        fprintf(stderr, "caps sense: %s\n", err);
        return CLI_FAIL;
    }
    if (o->iface != NULL && sensor_ifinfo_get(o->iface, &e->ifi, herr) != 0) {
        sensor_log_printf(&e->lg, CAPS_LOG_ERROR, "caps sense: %s", herr);
        return CLI_FAIL;
    }
    if (o->config_path != NULL && codec_config_load(o->config_path, &e->cfg, cerr) != 0) {
        sensor_log_printf(&e->lg, CAPS_LOG_ERROR, "caps sense: %s", cerr);
        return CLI_FAIL;
    }
    if (o->cloud_url != NULL &&
        sense_cloud_setup(o, &e->lg, &e->cloud, &e->st, o->iface ? &e->ifi : NULL, &e->cfg) != 0)
        return CLI_FAIL;
    if (o->assets_max != 0)
        e->cfg.assets_max = o->assets_max;
    if (o->fingerprints) {
        if (codec_fp_load_builtin(o->fp_local, &e->fpdb, cerr) != 0) {
            sensor_log_printf(&e->lg, CAPS_LOG_ERROR, "caps sense: %s", cerr);
            return CLI_FAIL;
        }
        e->cfg.fingerprints = &e->fpdb.db;
    }
    /* Capture and election socket while still privileged. */
    uint16_t port = (uint16_t)o->election_port;
    if (o->read_path != NULL) {
        if (sensor_capture_open_file(o->read_path, port, &e->cap, err) != 0) {
            sensor_log_printf(&e->lg, CAPS_LOG_ERROR, "caps sense: %s", err);
            return CLI_FAIL;
        }
    } else {
        char warn[SENSOR_ERRMSG_MAX];
        if (sensor_capture_open_live(o->iface, port, &e->cap, warn, err) != 0) {
            sensor_log_printf(&e->lg, CAPS_LOG_ERROR, "caps sense: %s", err);
            return CLI_FAIL;
        }
        if (warn[0] != '\0')
            sensor_log_printf(&e->lg, CAPS_LOG_WARN, "caps sense: %s", warn);
        char filter[SENSOR_LIVE_FILTER_MAX];
        if (sensor_live_filter(port, filter, sizeof filter) == 0)
            sensor_log_printf(&e->lg, CAPS_LOG_INFO, "caps sense: capturing on %s, filter: %s",
                              o->iface, filter);
    }
    if (o->iface != NULL && !o->no_election) {
        char kerr[SENSOR_SITEKEY_ERRMSG_MAX];
        if (sensor_sitekey_load(o->site_key_file, &e->sitekey, kerr) != 0) {
            sensor_log_printf(&e->lg, CAPS_LOG_ERROR, "caps sense: --site-key-file %s", kerr);
            return CLI_FAIL;
        }
        if (sense_election_open(e, port, eerr) != 0) {
            sensor_log_printf(&e->lg, CAPS_LOG_ERROR, "caps sense: %s", eerr);
            return CLI_FAIL;
        }
    }
    /* Then root goes. */
    if (o->user != NULL) {
        unsigned uid, gid;
        if (sensor_user_lookup(o->user, &uid, &gid, herr) != 0) {
            sensor_log_printf(&e->lg, CAPS_LOG_ERROR, "caps sense: %s", herr);
            return CLI_USAGE;
        }
        if (o->cloud_url != NULL) {
            mkdir(o->state_dir, 0700);
            chown_for(o->state_dir, uid, gid, &e->lg);
            char path[SENSOR_STATE_PATH_MAX + 32];
            snprintf(path, sizeof path, "%s/agent.json", o->state_dir);
            chown_for(path, uid, gid, &e->lg);
            snprintf(path, sizeof path, "%s/spool", o->state_dir);
            chown_for(path, uid, gid, &e->lg);
        }
        if (o->log_dir != NULL) {
            chown_for(o->log_dir, uid, gid, &e->lg);
            char path[SENSOR_LOG_PATH_MAX + 32];
            snprintf(path, sizeof path, "%s/caps.log", o->log_dir);
            chown_for(path, uid, gid, &e->lg);
        }
        if (o->json_path != NULL && strcmp(o->json_path, "-") != 0) {
            /* The inventory is written after root is gone: make the file now. */
            int fd = open(o->json_path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
            if (fd < 0 || fchown(fd, (uid_t)uid, (gid_t)gid) != 0)
                sensor_log_printf(&e->lg, CAPS_LOG_WARN, "caps sense: %s: cannot hand to %s: %s",
                                  o->json_path, o->user, strerror(errno));
            if (fd >= 0)
                close(fd);
        }
        if (sensor_privs_drop(o->user, herr) != 0) {
            sensor_log_printf(&e->lg, CAPS_LOG_ERROR, "caps sense: %s", herr);
            return CLI_FAIL;
        }
        sensor_log_printf(&e->lg, CAPS_LOG_INFO, "caps sense: running as %s (uid %u)", o->user,
                          uid);
    } else if (geteuid() == 0 && o->iface != NULL) {
        sensor_log_printf(&e->lg, CAPS_LOG_WARN,
                          "caps sense: running as root and keeping root (--user NAME drops it "
                          "after the capture is open)");
    }
    if (o->cloud_url != NULL) {
        snprintf(e->spool_dir, sizeof e->spool_dir, "%s/spool", o->state_dir);
        char perr[SENSOR_SPOOL_ERRMSG_MAX];
        if (sensor_spool_open(&e->spool, e->spool_dir, spool_log_cb, &e->lg, perr) != 0) {
            sensor_log_printf(&e->lg, CAPS_LOG_ERROR, "caps sense: %s", perr);
            return CLI_FAIL;
        }
    }
    return -1;
}

/* Sizes and starts the core and the run. Returns -1 to go on, else the
 * exit code. */
static int sense_core(struct sense_env *e)
{
    struct sense_opts *o = &e->o;
    struct sensor_run *r = &e->run;
    struct caps_host host;

    r->log = &e->lg;
    r->cap = e->cap;
    r->pace = o->pace;
    r->final_wait_s = (uint32_t)o->final_wait_s;
    r->stop = &sense_stop;
    uint64_t id_hash = e->st.agent_id[0] ? fnv1a64(e->st.agent_id) : 0;
    if (id_hash == 0 && getrandom(&id_hash, sizeof id_hash, 0) != (ssize_t)sizeof id_hash)
        id_hash = sensor_wall_us() ^ ((uint64_t)getpid() << 32);
    if (id_hash == 0)
        id_hash = 1;
    if (e->es.fd >= 0) {
        r->es = &e->es;
        r->sitekey = &e->sitekey;
        r->ecfg.agent_id = id_hash;
        r->ecfg.priority = (uint8_t)o->priority;
        r->ecfg.advert_interval_us = o->advert_interval_ms * 1000u;
        r->ecfg.preempt = o->preempt;
        memcpy(r->ecfg.site_id, e->sitekey.site_id, sizeof r->ecfg.site_id);
        if (e->es.family == AF_INET6) {
            r->ecfg.has_ipv4 = 0;
            memcpy(r->ecfg.ipv6_ll, e->ifi.ipv6_ll, sizeof r->ecfg.ipv6_ll);
        } else {
            r->ecfg.has_ipv4 = 1;
            memcpy(r->ecfg.ipv4, e->ifi.ipv4, 4);
        }
        /* Above every counter sent before: the clock in microseconds. */
        r->ecfg.initial_counter = sensor_wall_us();
    }
    if (o->cloud_url != NULL) {
        e->ob.spool = &e->spool;
        e->ob.cloud = &e->cloud;
        e->ob.log = &e->lg;
        e->ob.agent_id = e->st.agent_id;
        e->ob.subnet = o->iface ? (e->ifi.subnet[0] ? e->ifi.subnet : "unknown") : o->subnet;
        e->ob.last_status = -1;
        r->ob = &e->ob;
        r->ucfg.interval_us = o->upload_interval_s * 1000000u;
        r->ucfg.initial_seq = e->st.last_seq + 1;
        r->ucfg.jitter_seed = id_hash ^ 0x9e3779b97f4a7c15ull;
    }
    size_t arena_bytes = caps_sensor_arena_bytes(&e->cfg);
    e->arena = aligned_alloc(64, (arena_bytes + 63) & ~(size_t)63);
    e->s = malloc(sizeof *e->s);
    if (e->arena == NULL || e->s == NULL) {
        sensor_log_printf(&e->lg, CAPS_LOG_ERROR,
                          "caps sense: cannot allocate %zu bytes for the core", arena_bytes);
        return CLI_FAIL;
    }
    r->s = e->s;
    sensor_run_host(r, &host);
    int rc = caps_sensor_init(e->s, &e->cfg, &host, e->arena, arena_bytes);
    if (rc != 0) {
        sensor_log_printf(&e->lg, CAPS_LOG_ERROR, "caps sense: core init: %s",
                          caps_strerror(rc));
        return CLI_FAIL;
    }
    const char *suffix = o->dns_suffix;
    if (suffix == NULL && o->read_path != NULL && e->cfg.domain_count > 0) {
        /* A replay stands in for a sensor on the premises of its first domain. */
        suffix = e->cfg.domains[0].name;
        if (!o->quiet)
            sensor_log_printf(&e->lg, CAPS_LOG_INFO,
                              "caps sense: replaying as a sensor in %s (--dns-suffix to change)",
                              suffix);
    } else if (suffix == NULL && o->iface != NULL &&
               sensor_dns_suffix_get("/etc/resolv.conf", e->dns_buf, sizeof e->dns_buf) == 0) {
        suffix = e->dns_buf;
    }
    caps_sensor_set_dns_suffix(e->s, suffix);
    if (!e->s->on_premises)
        sensor_log_printf(&e->lg, CAPS_LOG_WARN,
                          "caps sense: DNS suffix '%s' matches no configured domain: off "
                          "premises, nothing is sensed", suffix ? suffix : "");
    return -1;
}

/* Writes the inventory (JSON or table). Returns 0 or -1 (logged). */
static int sense_output(struct sense_env *e)
{
    cJSON *doc = codec_inventory_build(e->s);
    int rc = 0;
    if (doc == NULL) {
        sensor_log_printf(&e->lg, CAPS_LOG_ERROR,
                          "caps sense: out of memory building the inventory");
        return -1;
    }
    if (e->o.json_path != NULL) {
        if (codec_json_write(doc, e->o.json_path) != 0) {
            sensor_log_printf(&e->lg, CAPS_LOG_ERROR, "caps sense: %s: cannot write: %s",
                              e->o.json_path, strerror(errno));
            rc = -1;
        }
    } else {
        print_table(doc);
    }
    cJSON_Delete(doc);
    return rc;
}

int cli_sense(int argc, char **argv)
{
    struct sense_env *e = calloc(1, sizeof *e);
    char err[SENSOR_ERRMSG_MAX];

    if (e == NULL) {
        fprintf(stderr, "caps sense: out of memory\n");
        return CLI_FAIL;
    }
    e->es.fd = -1;
    int rc = sense_parse(argc, argv, &e->o);
    if (rc < 0)
        rc = sense_open(e);
    if (rc < 0)
        rc = sense_core(e);
    if (rc >= 0) {
        sense_env_free(e);
        return rc;
    }

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_stop_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);

    int status = CLI_OK;
    struct sensor_run *r = &e->run;
    if (e->o.cloud_url != NULL) {
        /* From here on the sender thread alone uses the spool and the cloud. */
        char oerr[SENSOR_OUTBOX_ERRMSG_MAX];
        if (sensor_outbox_start(&e->ob, oerr) != 0) {
            sensor_log_printf(&e->lg, CAPS_LOG_ERROR, "caps sense: %s", oerr);
            sense_env_free(e);
            return CLI_FAIL;
        }
    }
    if (e->o.iface != NULL) {
        if (sensor_run_live(r, err) != 0) {
            sensor_log_printf(&e->lg, CAPS_LOG_ERROR, "caps sense: %s", err);
            status = CLI_FAIL;
        }
    } else {
        if (sensor_run_file(r, err) != 0) {
            sensor_log_printf(&e->lg, CAPS_LOG_ERROR, "caps sense: %s", err);
            status = CLI_FAIL;
        }
        if (sensor_run_file_finish(r, err) != 0) {
            sensor_log_printf(&e->lg, CAPS_LOG_ERROR, "caps sense: %s", err);
            if (!r->stopped)            /* a stop signal keeps exit 0 (spool kept) */
                status = CLI_FAIL;
        }
    }
    if ((r->frames > 0 || status == CLI_OK) && sense_output(e) != 0)
        status = CLI_FAIL;
    if (e->o.cloud_url != NULL && e->ob.last_seq > e->st.last_seq) {
        char serr[SENSOR_AGENTSTATE_ERRMSG_MAX];
        e->st.last_seq = e->ob.last_seq;
        if (sensor_agentstate_save(e->o.state_dir, &e->st, serr) != 0) {
            sensor_log_printf(&e->lg, CAPS_LOG_ERROR, "caps sense: %s", serr);
            status = CLI_FAIL;
        }
    }
    sensor_outbox_stop(&e->ob);          /* the runs stop it; an error path may not */
    struct sensor_capture_stats cs;
    sensor_capture_stats_get(e->cap, &cs);
    if (!e->o.quiet)
        sensor_log_printf(&e->lg, CAPS_LOG_INFO,
                          "caps sense: %s: %" PRIu64 " records, %u assets, %" PRIu64
                          " malformed, %" PRIu64 " adverts dropped from the capture%s",
                          e->o.read_path ? e->o.read_path : e->o.iface, cs.records,
                          e->s->inv.count, caps_sensor_malformed_total(e->s), cs.adverts,
                          r->stopped ? ", stopped by signal" : "");
    if (e->o.cloud_url != NULL && !e->o.quiet)
        sensor_log_printf(&e->lg, CAPS_LOG_INFO,
                          "caps sense: uploads: %" PRIu64 " acknowledged, %" PRIu64
                          " retried, %" PRIu64 " rejected, %" PRIu64 " fenced, %u spooled",
                          e->ob.sent_ok, e->ob.retries, e->ob.rejected, e->ob.fenced,
                          sensor_spool_count(&e->spool));
    sense_env_free(e);
    return status;
}
