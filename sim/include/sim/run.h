/* sim/run.h - one simulated run of a scenario, and its outputs.
 *
 * sim_run builds the engine, the synthesized subnet, the LAN and the agents
 * from a scenario, runs it for its duration, measures discovery and labelling
 * against the subnet's truth, runs the agents' election when the scenario has
 * one (takeovers, invariants), checks the assertions and writes, under
 * out_dir: result.json, inventory.json (the first agent's), timeline.csv and,
 * when asked, lan.pcap (the first agent's view). Same scenario and seed: the
 * same bytes in every file. No clock is read here; wall time and events/s are
 * the caller's to measure (caps sim writes them to perf.json).
 *
 * Metrics (result.json "metrics", in this order; "-1" = never reached):
 *   hosts_truth, hosts_present, hosts_discovered, discovered_share,
 *   discovered_share_of_present,
 *   discovered_share_at_<N>m (N in 5, 15, 60, 240, 1440 up to the duration,
 *   plus any N an assertion names), discovered_share_of_present_at_<N>m
 *   (only when an assertion names it), time_to_discover_{50,90,100}_pct_s,
 *   os_family_accuracy, os_family_precision, os_labelled_share,
 *   device_type_accuracy, device_type_precision, device_type_labelled_share,
 *   false_label_share, assets, assets_peak, assets_{arp,dhcp,nbns,browser,
 *   ssdp,mdns}, memory_bytes, memory_bytes_per_asset (of assets_max),
 *   memory_bytes_per_asset_held (of assets_peak), frames_sent,
 *   frames_delivered, frames_lost, frames_duplicated, malformed, events,
 *   then the election's: takeovers, takeovers_{crash,stop,off_premises,
 *   partition,lost_adverts,preempt,fenced}, takeover_gap_max_us,
 *   leaders_max_concurrent_s, leaders_final, leader_final, no_standby_s, no_standby_max_s,
 *   leader_reporting_s, epochs_monotonic, adverts_sent, adverts_accepted,
 *   adverts_dropped_bad_mac,
 *   then the cloud's (0 or -1 without "cloud"): uploads, uploads_full,
 *   uploads_accepted, uploads_duplicate, uploads_fenced, uploads_rejected,
 *   uploads_refused, upload_answers_lost, spool_files_max, spool_bytes_max,
 *   spool_merges, leader_first_uploads, leader_first_upload_full_share,
 *   cloud_assets, cloud_assets_missing, cloud_assets_stale, cloud_assets_lost,
 *   upload_ack_age_s, cloud_discovered_share_of_present.
 * Their definitions: scenarios/README.md.
 */
#ifndef SIM_RUN_H
#define SIM_RUN_H

#include <stddef.h>
#include <stdint.h>

#include "sim/scenario.h"

#define SIM_METRICS_MAX 128
#define SIM_METRIC_NAME_MAX 64
#define SIM_CHECKPOINTS_MAX 8
#define SIM_PATH_MAX 1024          /* out_dir + "/inventory.json" must fit */

struct sim_metric {
    char name[SIM_METRIC_NAME_MAX];
    char text[32];                 /* the value as printed (C locale, fixed precision) */
    double value;                  /* text read back: what assertions compare */
};

struct sim_assertion_result {
    char name[SCEN_NAME_MAX];
    char metric[SCEN_NAME_MAX];
    enum scen_cmp cmp;
    double threshold;
    double measured;
    int pass;
};

/* Discovery by the first agent at a time of the run (summary tables). */
struct sim_checkpoint {
    uint64_t at_us;
    uint32_t hosts_present;        /* truth hosts that had sent a frame */
    uint32_t hosts_discovered;     /* truth hosts the first agent had found */
};

struct sim_result {
    uint64_t seed;                 /* the seed that ran (replays it) */
    int pass;                      /* every assertion held */
    uint64_t duration_us;
    uint64_t events;               /* engine callbacks */
    uint32_t hosts_truth;
    uint32_t metric_count;
    struct sim_metric metrics[SIM_METRICS_MAX];
    uint32_t assertion_count;
    struct sim_assertion_result assertions[SCEN_ASSERTIONS_MAX];
    uint32_t checkpoint_count;
    struct sim_checkpoint checkpoints[SIM_CHECKPOINTS_MAX];
    char result_path[SIM_PATH_MAX];     /* "" when not written */
    char inventory_path[SIM_PATH_MAX];
    char timeline_path[SIM_PATH_MAX];
    char pcap_path[SIM_PATH_MAX];
    char cloud_path[SIM_PATH_MAX];      /* with "cloud": the cloud's inventory */
};

/* Called once per simulated minute (and never otherwise): it may read a clock
 * and print, and must not touch the run. */
typedef void sim_progress_fn(void *ctx, uint64_t now_us, uint64_t duration_us,
                             uint64_t events);

struct sim_run_options {
    int has_seed;                  /* 1: seed replaces the scenario's seed */
    uint64_t seed;
    const char *out_dir;           /* created (with parents); NULL: no files */
    int record_pcap;               /* 1: out_dir/lan.pcap */
    const char *profiles_path;     /* device profiles; NULL: the built-in data/profiles.json */
    sim_progress_fn *progress;     /* NULL: none */
    void *progress_ctx;
};

/* Runs sc. Returns 0 when the run completed (res->pass tells whether the
 * assertions held), -1 with err on a scenario this runner cannot run (a fault
 * kind not supported yet, an unknown metric or agent), a bad profile mix, out
 * of memory or an output that cannot be written. */
int sim_run(const struct scen_scenario *sc, const struct sim_run_options *opt,
            struct sim_result *res, char err[SCEN_ERRMSG_MAX]);

/* The metric called name in res, or NULL. */
const struct sim_metric *sim_result_metric(const struct sim_result *res, const char *name);

#endif
