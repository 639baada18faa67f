/* test_run.c - one simulated run end to end: a tiny scenario built in code
 * runs, its metrics are sane, its outputs are byte-identical across two runs,
 * a changed seed changes them, and what the runner cannot run is refused
 * with a message. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <check.h>

#include "caps/config.h"
#include "sim/run.h"
#include "sim/scenario.h"

#define MINUTE_US 60000000ull
/* The source tree's profiles, so the test does not depend on the embedding. */
#define PROFILES CAPS_SOURCE_DIR "/data/profiles.json"

static struct scen_scenario sc;
static struct sim_result res;

static void tiny_scenario(struct scen_scenario *s)
{
    memset(s, 0, sizeof *s);
    snprintf(s->name, sizeof s->name, "tiny");
    s->seed = 7;
    s->duration_us = 30 * MINUTE_US;
    s->start_epoch_us = 1793577600ull * 1000000u;
    s->sample_every_us = 5 * MINUTE_US;
    s->subnet.hosts = 20;
    s->subnet.net[0] = 192;
    s->subnet.net[1] = 168;
    s->subnet.net[2] = 50;
    s->subnet.prefix_len = 24;
    s->link.delay_us = 500;
    s->link.jitter_us = 2000;
    s->link.loss = 0.05;
    s->link.duplicate = 0.01;
    s->agent_count = 2;
    snprintf(s->agents[0].name, sizeof s->agents[0].name, "a");
    snprintf(s->agents[1].name, sizeof s->agents[1].name, "b");
    s->agents[1].clock_skew_us = -250000;
    s->agents[1].clock_drift_ppm = 40;
    s->agents[1].start_us = 2 * MINUTE_US;
    caps_config_default(&s->config);
    s->fault_count = 2;
    s->faults[0].at_us = 10 * MINUTE_US;
    s->faults[0].kind = SCEN_FAULT_CRASH;
    snprintf(s->faults[0].agent, sizeof s->faults[0].agent, "b");
    s->faults[1].at_us = 20 * MINUTE_US;
    s->faults[1].kind = SCEN_FAULT_RESTART;
    snprintf(s->faults[1].agent, sizeof s->faults[1].agent, "b");
    s->assertion_count = 2;
    snprintf(s->assertions[0].name, SCEN_NAME_MAX, "most hosts found");
    snprintf(s->assertions[0].metric, SCEN_NAME_MAX, "discovered_share");
    s->assertions[0].cmp = SCEN_CMP_GE;
    s->assertions[0].threshold = 0.5;
    snprintf(s->assertions[1].name, SCEN_NAME_MAX, "found by minute 25");
    snprintf(s->assertions[1].metric, SCEN_NAME_MAX, "discovered_share_at_25m");
    s->assertions[1].cmp = SCEN_CMP_GE;
    s->assertions[1].threshold = 0.0;
}

static double metric(const char *name)
{
    const struct sim_metric *m = sim_result_metric(&res, name);
    ck_assert_msg(m != NULL, "metric %s missing", name);
    return m->value;
}

static char *slurp(const char *dir, const char *file, size_t *len)
{
    char path[2048];
    snprintf(path, sizeof path, "%s/%s", dir, file);
    FILE *f = fopen(path, "rb");
    ck_assert_msg(f != NULL, "%s missing", path);
    char *buf = malloc(1 << 22);
    ck_assert_ptr_nonnull(buf);
    *len = fread(buf, 1, 1 << 22, f);
    fclose(f);
    return buf;
}

static void rm_outputs(const char *dir)
{
    static const char *const files[] = {"result.json", "inventory.json", "timeline.csv",
                                        "lan.pcap"};
    char path[2048];
    for (size_t i = 0; i < 4; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, files[i]);
        unlink(path);
    }
    rmdir(dir);
}

START_TEST(tiny_run_has_sane_metrics)
{
    char err[SCEN_ERRMSG_MAX];
    struct sim_run_options opt = {.profiles_path = PROFILES};
    tiny_scenario(&sc);
    ck_assert_msg(sim_run(&sc, &opt, &res, err) == 0, "%s", err);
    ck_assert_uint_eq(res.seed, 7);
    ck_assert_uint_eq(res.hosts_truth, 20);
    ck_assert(metric("hosts_truth") == 20);
    ck_assert(metric("hosts_discovered") <= metric("hosts_truth"));
    ck_assert(metric("hosts_discovered") <= metric("assets"));
    ck_assert(metric("discovered_share") >= 0.5 && metric("discovered_share") <= 1.0);
    ck_assert(metric("discovered_share_at_5m") <= metric("discovered_share_at_15m"));
    ck_assert(metric("discovered_share_at_25m") >= metric("discovered_share_at_15m"));
    ck_assert(metric("os_family_accuracy") >= 0.0 && metric("os_family_accuracy") <= 1.0);
    ck_assert(metric("false_label_share") >= 0.0 && metric("false_label_share") <= 1.0);
    ck_assert(metric("frames_sent") > 0);
    ck_assert(metric("frames_lost") > 0);            /* 5 % of them */
    ck_assert(metric("frames_lost") < metric("frames_sent") * 0.15);
    ck_assert(metric("memory_bytes_per_asset") > 0);
    ck_assert(metric("events") > metric("frames_delivered"));
    ck_assert_int_eq(res.pass, 1);
    ck_assert_uint_eq(res.assertion_count, 2);
    ck_assert_int_eq(res.assertions[0].pass, 1);
    ck_assert(res.assertions[0].measured == metric("discovered_share"));
    ck_assert_str_eq(res.result_path, "");          /* no out_dir: no files */
    ck_assert_uint_gt(res.checkpoint_count, 0);
    ck_assert_uint_eq(res.checkpoints[res.checkpoint_count - 1].at_us, sc.duration_us);

    /* A threshold out of reach fails the run, not the runner. */
    sc.assertions[0].threshold = 1.5;
    ck_assert_msg(sim_run(&sc, &opt, &res, err) == 0, "%s", err);
    ck_assert_int_eq(res.pass, 0);
    ck_assert_int_eq(res.assertions[0].pass, 0);
    ck_assert_int_eq(res.assertions[1].pass, 1);
}
END_TEST

START_TEST(two_runs_write_identical_bytes)
{
    static const char *const files[] = {"result.json", "inventory.json", "timeline.csv",
                                        "lan.pcap"};
    char dir[2][64], err[SCEN_ERRMSG_MAX];
    tiny_scenario(&sc);
    for (int i = 0; i < 2; i++) {
        snprintf(dir[i], sizeof dir[i], "/tmp/caps-test-run-%ld-%d", (long)getpid(), i);
        struct sim_run_options opt = {.out_dir = dir[i], .record_pcap = 1,
                                       .profiles_path = PROFILES};
        ck_assert_msg(sim_run(&sc, &opt, &res, err) == 0, "%s", err);
    }
    for (size_t f = 0; f < 4; f++) {
        size_t la, lb;
        char *a = slurp(dir[0], files[f], &la), *b = slurp(dir[1], files[f], &lb);
        ck_assert_msg(la > 0 && la == lb && memcmp(a, b, la) == 0, "%s differs", files[f]);
        if (f == 0) {    /* keys in their fixed order */
            a[la - 1] = '\0';
            const char *k1 = strstr(a, "\"scenario\""), *k2 = strstr(a, "\"seed\""),
                       *k3 = strstr(a, "\"assertions\""), *k4 = strstr(a, "\"metrics\""),
                       *k5 = strstr(a, "\"takeovers\"");
            ck_assert(k1 != NULL && k1 < k2 && k2 < k3 && k3 < k4 && k4 < k5);
        }
        if (f == 2) {
            /* Header, then one row per agent every 5 minutes to minute 30. */
            unsigned rows = 0;
            for (size_t k = 0; k < la; k++)
                rows += a[k] == '\n';
            ck_assert_uint_eq(rows, 1 + 6 * 2);
            ck_assert(strncmp(a, "t_minutes,agent,", 16) == 0);
        }
        free(a);
        free(b);
    }
    /* Another seed, another subnet. */
    struct sim_run_options opt = {.out_dir = dir[1], .has_seed = 1, .seed = 8,
                                   .profiles_path = PROFILES};
    ck_assert_msg(sim_run(&sc, &opt, &res, err) == 0, "%s", err);
    ck_assert_uint_eq(res.seed, 8);
    size_t la, lb;
    char *a = slurp(dir[0], "timeline.csv", &la), *b = slurp(dir[1], "timeline.csv", &lb);
    ck_assert(la != lb || memcmp(a, b, la) != 0);
    free(a);
    free(b);
    rm_outputs(dir[0]);
    rm_outputs(dir[1]);
}
END_TEST

START_TEST(refuses_what_it_cannot_run)
{
    char err[SCEN_ERRMSG_MAX];
    struct sim_run_options opt = {.profiles_path = PROFILES};
    tiny_scenario(&sc);
    sc.faults[1].kind = SCEN_FAULT_PARTITION;
    ck_assert_int_eq(sim_run(&sc, &opt, &res, err), -1);
    ck_assert_msg(strstr(err, "kind partition needs \"election\"") != NULL, "%s", err);
    tiny_scenario(&sc);
    sc.faults[1].kind = SCEN_FAULT_CLOUD_OUTAGE;
    ck_assert_int_eq(sim_run(&sc, &opt, &res, err), -1);
    ck_assert_msg(strstr(err, "kind cloud_outage needs \"cloud\"") != NULL, "%s", err);
    tiny_scenario(&sc);
    snprintf(sc.assertions[0].metric, SCEN_NAME_MAX, "discovered_shares");
    ck_assert_int_eq(sim_run(&sc, &opt, &res, err), -1);
    ck_assert_msg(strstr(err, "unknown metric \"discovered_shares\"") != NULL, "%s", err);
    tiny_scenario(&sc);
    snprintf(sc.assertions[0].metric, SCEN_NAME_MAX, "discovered_share_at_31m");
    ck_assert_int_eq(sim_run(&sc, &opt, &res, err), -1);
}
END_TEST

START_TEST(off_premises_agent_finds_nothing)
{
    char err[SCEN_ERRMSG_MAX];
    struct sim_run_options opt = {.profiles_path = PROFILES};
    tiny_scenario(&sc);
    sc.fault_count = 0;
    sc.config.domain_count = 1;
    snprintf(sc.config.domains[0].name, sizeof sc.config.domains[0].name, "corp.example.com");
    snprintf(sc.agents[0].dns_suffix, sizeof sc.agents[0].dns_suffix, "home.example.net");
    ck_assert_msg(sim_run(&sc, &opt, &res, err) == 0, "%s", err);
    ck_assert(metric("hosts_discovered") == 0);
    ck_assert(metric("assets") == 0);
    ck_assert(metric("frames_delivered") > 0);
}
END_TEST

Suite *suite_run(void);
Suite *suite_run(void)
{
    Suite *s = suite_create("run");
    TCase *tc = tcase_create("run");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, tiny_run_has_sane_metrics);
    tcase_add_test(tc, two_runs_write_identical_bytes);
    tcase_add_test(tc, refuses_what_it_cannot_run);
    tcase_add_test(tc, off_premises_agent_finds_nothing);
    suite_add_tcase(s, tc);
    return s;
}
