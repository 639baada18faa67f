/* synth.c - `caps synth`: writes the traffic of a synthesized subnet as a pcap
 * and what a perfect sensor would report as FILE.truth.json. Deterministic:
 * the same arguments give the same bytes. */
#include "cli.h"

#include "traffic/pcapw.h"
#include "traffic/subnet.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SYNTH_HOSTS_MAX 1000000u
#define SYNTH_MINUTES_MAX (60u * 24u * 365u)
#define SYNTH_START_EPOCH_US 1704096000000000ull /* 2024-01-01T08:00:00Z */

int cli_synth(int argc, char **argv);

static void synth_usage(FILE *f)
{
    fputs("usage: caps synth --hosts N --minutes M --seed S --out FILE.pcap\n"
          "                  [--net A.B.C.D/LEN] [--profiles FILE] [--churn PER_DAY]\n"
          "                  [--no-mac-rotation]\n"
          "Writes the frames of a synthesized subnet of N hosts over M minutes to\n"
          "FILE.pcap and the truth (every host's MACs, IPs, name, OS, type) to\n"
          "FILE.truth.json. --net defaults to 10.20.0.0/22 (wider when N needs it);\n"
          "--profiles defaults to the built-in data/profiles.json.\n"
          "Exit: 0 ok, 1 failure, 2 usage error.\n",
          f);
}

static int parse_u64(const char *s, uint64_t lo, uint64_t hi, uint64_t *out)
{
    char *end;
    if (!s || !*s || *s == '-')
        return -1;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end || v < lo || v > hi)
        return -1;
    *out = v;
    return 0;
}

static int parse_net(const char *s, uint8_t net[4], uint8_t *len)
{
    unsigned a, b, c, d, l;
    char tail;
    if (sscanf(s, "%u.%u.%u.%u/%u%c", &a, &b, &c, &d, &l, &tail) != 5 || a > 255 || b > 255 ||
        c > 255 || d > 255 || l < 8 || l > 30)
        return -1;
    net[0] = (uint8_t)a;
    net[1] = (uint8_t)b;
    net[2] = (uint8_t)c;
    net[3] = (uint8_t)d;
    *len = (uint8_t)l;
    return 0;
}

static int write_truth(const char *path, const struct traffic_subnet *s, char err[512])
{
    cJSON *t = traffic_subnet_truth(s);
    char *text = t ? cJSON_Print(t) : NULL;
    cJSON_Delete(t);
    if (!text) {
        snprintf(err, 512, "%s: out of memory", path);
        return -1;
    }
    FILE *f = fopen(path, "wb");
    int rc = 0;
    if (!f || fputs(text, f) == EOF || fputc('\n', f) == EOF)
        rc = -1;
    if (f && fclose(f) != 0)
        rc = -1;
    free(text);
    if (rc)
        snprintf(err, 512, "%s: cannot write: %s", path, strerror(errno));
    return rc;
}

int cli_synth(int argc, char **argv)
{
    uint64_t hosts = 0, minutes = 0, seed = 0, churn = 0;
    int have_hosts = 0, have_minutes = 0, have_seed = 0, have_net = 0, rotation = 1;
    const char *out = NULL, *profiles_path = NULL;
    struct traffic_subnet_config cfg;
    memset(&cfg, 0, sizeof cfg);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            synth_usage(stdout);
            return CLI_OK;
        } else if (strcmp(a, "--no-mac-rotation") == 0) {
            rotation = 0;
            continue;
        }
        if (!v) {
            fprintf(stderr, "caps synth: %s needs a value\n", a);
            return CLI_USAGE;
        }
        i++;
        if (strcmp(a, "--hosts") == 0) {
            if (parse_u64(v, 1, SYNTH_HOSTS_MAX, &hosts)) {
                fprintf(stderr, "caps synth: --hosts must be 1..%u, got \"%s\"\n", SYNTH_HOSTS_MAX, v);
                return CLI_USAGE;
            }
            have_hosts = 1;
        } else if (strcmp(a, "--minutes") == 0) {
            if (parse_u64(v, 1, SYNTH_MINUTES_MAX, &minutes)) {
                fprintf(stderr, "caps synth: --minutes must be 1..%u, got \"%s\"\n", SYNTH_MINUTES_MAX, v);
                return CLI_USAGE;
            }
            have_minutes = 1;
        } else if (strcmp(a, "--seed") == 0) {
            if (parse_u64(v, 0, UINT64_MAX, &seed)) {
                fprintf(stderr, "caps synth: --seed must be an unsigned integer, got \"%s\"\n", v);
                return CLI_USAGE;
            }
            have_seed = 1;
        } else if (strcmp(a, "--churn") == 0) {
            if (parse_u64(v, 0, 1000, &churn)) {
                fprintf(stderr, "caps synth: --churn must be 0..1000 per host per day, got \"%s\"\n", v);
                return CLI_USAGE;
            }
        } else if (strcmp(a, "--out") == 0) {
            out = v;
        } else if (strcmp(a, "--profiles") == 0) {
            profiles_path = v;
        } else if (strcmp(a, "--net") == 0) {
            if (parse_net(v, cfg.net, &cfg.prefix_len)) {
                fprintf(stderr, "caps synth: --net must read A.B.C.D/LEN with LEN 8..30, got \"%s\"\n", v);
                return CLI_USAGE;
            }
            have_net = 1;
        } else {
            fprintf(stderr, "caps synth: unknown option \"%s\" (see caps synth --help)\n", a);
            return CLI_USAGE;
        }
    }
    if (!have_hosts || !have_minutes || !have_seed || !out) {
        fprintf(stderr, "caps synth: --hosts, --minutes, --seed and --out are required\n");
        synth_usage(stderr);
        return CLI_USAGE;
    }
    if (!have_net) {
        /* 10.20.0.0/22 holds 1000 hosts; widen the default for capacity runs. */
        cfg.net[0] = 10;
        cfg.net[1] = 20;
        cfg.prefix_len = 22;
        while (cfg.prefix_len > 8 && (1ull << (32 - cfg.prefix_len)) - 18 < hosts)
            cfg.prefix_len--;
        if (cfg.prefix_len < 16)
            cfg.net[1] = 0;
    }
    cfg.seed = seed;
    cfg.hosts = (uint32_t)hosts;
    cfg.start_epoch_us = SYNTH_START_EPOCH_US;
    cfg.churn_per_day = (double)churn;
    cfg.mac_rotation = rotation;

    char err[512];
    struct traffic_profiles *prof = NULL;
    int rc = profiles_path ? traffic_profiles_load(profiles_path, &prof, err)
                           : traffic_profiles_load_builtin(&prof, err);
    if (rc != 0) {
        fprintf(stderr, "caps synth: %s\n", err);
        return CLI_FAIL;
    }
    struct traffic_subnet *s = traffic_subnet_create(&cfg, prof, err);
    traffic_profiles_free(prof);
    if (!s) {
        fprintf(stderr, "caps synth: %s\n", err);
        return CLI_USAGE;
    }
    struct traffic_pcap_writer *w = traffic_pcap_open(out, err);
    if (!w) {
        fprintf(stderr, "caps synth: %s\n", err);
        traffic_subnet_destroy(s);
        return CLI_FAIL;
    }
    static struct traffic_frame f;
    const uint64_t end_us = minutes * 60ull * 1000000ull;
    uint64_t frames = 0;
    while (traffic_subnet_next(s, end_us, &f)) {
        traffic_pcap_write(w, f.ts_us, f.bytes, f.len);
        frames++;
    }
    int bad = traffic_pcap_close(w) != 0;
    if (bad) {
        fprintf(stderr, "caps synth: %s: write failed\n", out);
        traffic_subnet_destroy(s);
        return CLI_FAIL;
    }
    size_t n = strlen(out);
    char *truth = malloc(n + 16);
    if (!truth) {
        traffic_subnet_destroy(s);
        return CLI_FAIL;
    }
    /* FILE.pcap -> FILE.truth.json; another name gets .truth.json appended. */
    memcpy(truth, out, n + 1);
    if (n > 5 && strcmp(truth + n - 5, ".pcap") == 0)
        truth[n - 5] = 0;
    strcat(truth, ".truth.json");
    rc = write_truth(truth, s, err);
    traffic_subnet_destroy(s);
    if (rc != 0) {
        fprintf(stderr, "caps synth: %s\n", err);
        free(truth);
        return CLI_FAIL;
    }
    fprintf(stderr, "caps synth: %llu frames from %llu hosts over %llu minutes -> %s, %s\n",
            (unsigned long long)frames, (unsigned long long)hosts, (unsigned long long)minutes,
            out, truth);
    free(truth);
    return CLI_OK;
}
