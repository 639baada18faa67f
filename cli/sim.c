/* sim.c - "caps sim": runs one scenario through the deterministic simulator.
 *
 * The run itself (sim/run.h) reads no clock; this host measures wall and CPU
 * time around it and writes them to DIR/perf.json, the one nondeterministic
 * output. It prints a progress line on stderr while a run lasts longer than a
 * second (only to a terminal), then a summary table on stdout. On a failed
 * assertion it names it and prints the command that replays the run.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "sim/run.h"
#include "sim/scenario.h"

#define SIM_PROGRESS_FIRST_S 1.0     /* no progress line for runs shorter than this */
#define SIM_PROGRESS_EVERY_S 0.2     /* redraw at most this often */

static const char sim_usage[] =
    "usage: caps sim SCENARIO.json [--seed N] [--out DIR] [--pcap] [-q]\n"
    "\n"
    "Runs a scenario (scenarios/README.md) through the deterministic simulator and\n"
    "writes DIR/result.json (metrics, assertions), DIR/inventory.json (the first\n"
    "agent's), DIR/timeline.csv (discovery over time) and DIR/perf.json (wall time,\n"
    "events/s: the one output that differs between runs). Exits 1 when an assertion\n"
    "fails, printing the command that replays the run.\n"
    "\n"
    "  --seed N    seed instead of the scenario's (0..2^64-1)\n"
    "  --out DIR   output directory (default sim-out/NAME, NAME the file's base name)\n"
    "  --pcap      also write DIR/lan.pcap: the frames as the first agent received them\n"
    "  --profiles FILE  device profiles instead of the built-in data/profiles.json\n"
    "  -q, --quiet no summary table and no progress line\n"
    "  -h, --help  this help\n";

struct sim_progress {
    int enabled;
    int shown;
    struct timespec start;
    double last_s;
};

static double seconds_since(const struct timespec *t0, clockid_t clock)
{
    struct timespec t;
    clock_gettime(clock, &t);
    return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

static void fmt_hm(uint64_t us, char out[24])
{
    uint64_t min = us / 60000000u;
    snprintf(out, 24, "%" PRIu64 ":%02" PRIu64, min / 60, min % 60);
}

static void sim_progress_cb(void *ctx, uint64_t now_us, uint64_t duration_us, uint64_t events)
{
    struct sim_progress *p = ctx;
    double wall_s = seconds_since(&p->start, CLOCK_MONOTONIC);
    char now[24], total[24];

    if (wall_s < SIM_PROGRESS_FIRST_S || wall_s - p->last_s < SIM_PROGRESS_EVERY_S)
        return;
    p->last_s = wall_s;
    p->shown = 1;
    fmt_hm(now_us, now);
    fmt_hm(duration_us, total);
    fprintf(stderr, "\rcaps sim: %s of %s simulated, %.2f M events/s   ", now, total,
            (double)events / wall_s / 1e6);
    fflush(stderr);
}

static int write_perf(const char *path, double wall_s, double cpu_s, uint64_t events,
                      uint64_t duration_us)
{
    FILE *f = fopen(path, "w");
    if (f == NULL)
        return -1;
    fprintf(f,
            "{\n  \"wall_s\": %.6f,\n  \"cpu_s\": %.6f,\n  \"events\": %" PRIu64 ",\n"
            "  \"events_per_s\": %.1f,\n  \"simulated_s\": %.6f,\n  \"speedup\": %.1f\n}\n",
            wall_s, cpu_s, events, wall_s > 0 ? (double)events / wall_s : 0.0,
            (double)duration_us / 1e6, wall_s > 0 ? (double)duration_us / 1e6 / wall_s : 0.0);
    return fclose(f) == 0 ? 0 : -1;
}

static double metric_value(const struct sim_result *res, const char *name)
{
    const struct sim_metric *m = sim_result_metric(res, name);
    return m != NULL ? m->value : 0.0;
}

static void print_summary(const struct scen_scenario *sc, const struct sim_result *res,
                          double wall_s, const char *perf_path)
{
    char total[24];
    fmt_hm(res->duration_us, total);
    printf("caps sim: %s, seed %" PRIu64 ": %s simulated (h:mm) in %.2f s, %.2f M events/s\n\n",
           sc->name, res->seed, total, wall_s,
           wall_s > 0 ? (double)res->events / wall_s / 1e6 : 0.0);
    printf("  %-8s  %8s  %10s  %7s\n", "time", "present", "discovered", "share");
    for (uint32_t i = 0; i < res->checkpoint_count; i++) {
        const struct sim_checkpoint *c = &res->checkpoints[i];
        char at[24];
        fmt_hm(c->at_us, at);
        printf("  %-8s  %8u  %10u  %7.3f\n", at, c->hosts_present, c->hosts_discovered,
               res->hosts_truth > 0 ? (double)c->hosts_discovered / res->hosts_truth : 0.0);
    }
    printf("  (of %u hosts; present: had sent a frame; share: discovered / hosts)\n\n",
           res->hosts_truth);
    printf("  %-22s %6.1f %%  (labelled %.1f %%, right when labelled %.1f %%)\n",
           "os family accuracy", 100 * metric_value(res, "os_family_accuracy"),
           100 * metric_value(res, "os_labelled_share"),
           100 * metric_value(res, "os_family_precision"));
    printf("  %-22s %6.1f %%  (labelled %.1f %%, right when labelled %.1f %%)\n",
           "device type accuracy", 100 * metric_value(res, "device_type_accuracy"),
           100 * metric_value(res, "device_type_labelled_share"),
           100 * metric_value(res, "device_type_precision"));
    printf("  %-22s %6.1f %%  (of labels, where the truth has none)\n", "false labels",
           100 * metric_value(res, "false_label_share"));
    printf("  %-22s %6.0f B  per asset of assets_max (%.0f B per asset held)\n\n",
           "core memory", metric_value(res, "memory_bytes_per_asset"),
           metric_value(res, "memory_bytes_per_asset_held"));
    uint32_t passed = 0;
    for (uint32_t i = 0; i < res->assertion_count; i++)
        passed += (uint32_t)res->assertions[i].pass;
    printf("  assertions: %u of %u passed\n\n", passed, res->assertion_count);
    printf("  result     %s\n  inventory  %s\n  timeline   %s\n", res->result_path,
           res->inventory_path, res->timeline_path);
    if (res->pcap_path[0] != '\0')
        printf("  capture    %s\n", res->pcap_path);
    if (res->cloud_path[0] != '\0')
        printf("  cloud      %s\n", res->cloud_path);
    printf("  perf       %s\n", perf_path);
}

/* sim-out/NAME for scenarios/NAME.json. */
static void default_out(const char *scenario_path, char *out, size_t cap)
{
    const char *base = strrchr(scenario_path, '/');
    base = base != NULL ? base + 1 : scenario_path;
    size_t n = strlen(base);
    if (n > 5 && strcmp(base + n - 5, ".json") == 0)
        n -= 5;
    snprintf(out, cap, "sim-out/%.*s", (int)n, base);
}

int cli_sim(int argc, char **argv)
{
    static const struct option opts[] = {
        {"seed", required_argument, NULL, 's'},
        {"out", required_argument, NULL, 'o'},
        {"pcap", no_argument, NULL, 'p'},
        {"profiles", required_argument, NULL, 'P'},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    struct sim_run_options opt = {0};
    char out_dir[SIM_PATH_MAX] = "";
    int quiet = 0, c;

    optind = 1;
    while ((c = getopt_long(argc, argv, "qh", opts, NULL)) != -1) {
        switch (c) {
        case 's': {
            char *end;
            errno = 0;
            unsigned long long v = strtoull(optarg, &end, 10);
            if (optarg[0] == '\0' || optarg[0] == '-' || *end != '\0' || errno != 0) {
                fprintf(stderr, "caps sim: --seed must be 0..18446744073709551615, got '%s'\n",
                        optarg);
                return CLI_USAGE;
            }
            opt.has_seed = 1;
            opt.seed = v;
            break;
        }
        case 'o':
            if (strlen(optarg) + 16 >= sizeof out_dir || optarg[0] == '\0') {
                fprintf(stderr, "caps sim: --out: empty or too long\n");
                return CLI_USAGE;
            }
            snprintf(out_dir, sizeof out_dir, "%s", optarg);
            break;
        case 'p':
            opt.record_pcap = 1;
            break;
        case 'P':
            opt.profiles_path = optarg;
            break;
        case 'q':
            quiet = 1;
            break;
        case 'h':
            fputs(sim_usage, stdout);
            return CLI_OK;
        default:
            fputs(sim_usage, stderr);
            return CLI_USAGE;
        }
    }
    if (argc - optind != 1) {
        fprintf(stderr, "caps sim: expected one SCENARIO.json\n%s", sim_usage);
        return CLI_USAGE;
    }
    const char *path = argv[optind];
    if (out_dir[0] == '\0')
        default_out(path, out_dir, sizeof out_dir);

    struct scen_scenario *sc = malloc(sizeof *sc);
    struct sim_result *res = malloc(sizeof *res);
    char err[SCEN_ERRMSG_MAX];
    if (sc == NULL || res == NULL) {
        fprintf(stderr, "caps sim: out of memory\n");
        free(sc);
        free(res);
        return CLI_FAIL;
    }
    if (scen_scenario_load(path, sc, err) != 0) {
        fprintf(stderr, "caps sim: %s\n", err);
        free(sc);
        free(res);
        return CLI_FAIL;
    }

    struct sim_progress progress = {0};
    struct timespec cpu0;
    clock_gettime(CLOCK_MONOTONIC, &progress.start);
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &cpu0);
    opt.out_dir = out_dir;
    if (!quiet && isatty(STDERR_FILENO)) {
        opt.progress = sim_progress_cb;
        opt.progress_ctx = &progress;
    }
    int rc = sim_run(sc, &opt, res, err);
    double wall_s = seconds_since(&progress.start, CLOCK_MONOTONIC);
    double cpu_s = seconds_since(&cpu0, CLOCK_PROCESS_CPUTIME_ID);
    if (progress.shown)
        fputs("\r\033[K", stderr);
    if (rc != 0) {
        fprintf(stderr, "caps sim: %s\n", err);
        free(sc);
        free(res);
        return CLI_FAIL;
    }

    char perf_path[SIM_PATH_MAX + 16];
    snprintf(perf_path, sizeof perf_path, "%s/perf.json", out_dir);
    int status = CLI_OK;
    if (write_perf(perf_path, wall_s, cpu_s, res->events, res->duration_us) != 0) {
        fprintf(stderr, "caps sim: %s: cannot write: %s\n", perf_path, strerror(errno));
        status = CLI_FAIL;
    }
    if (!quiet)
        print_summary(sc, res, wall_s, perf_path);
    if (!res->pass) {
        static const char *const ops[] = {"", ">=", "<=", "=="};
        for (uint32_t i = 0; i < res->assertion_count; i++) {
            const struct sim_assertion_result *a = &res->assertions[i];
            if (!a->pass)
                fprintf(stderr,
                        "caps sim: assertion %s failed: measured %s = %.6f, threshold %s %.6f\n",
                        a->name, a->metric, a->measured, ops[a->cmp], a->threshold);
        }
        fprintf(stderr, "replay: caps sim %s --seed %" PRIu64 " --out %s\n", path, res->seed,
                out_dir);
        status = CLI_FAIL;
    }
    free(sc);
    free(res);
    return status;
}
