/* test_scenario.c - reading scenario files: every field, its defaults, and a
 * message that names file:line:column, the key and the value for each rule. */
#include <string.h>
#include <check.h>

#include "sim/scenario.h"
#include "testutil.h"

Suite *suite_scenario(void);

static struct scen_scenario sc;

START_TEST(full_scenario_reads_every_field)
{
    static const char text[] =
        "{\n"
        "  \"name\": \"failover\",\n"
        "  \"seed\": 42,\n"
        "  \"duration_minutes\": 120,\n"
        "  \"start\": \"2026-11-02T09:00:00Z\",\n"
        "  \"sample_every_minutes\": 1,\n"
        "  \"subnet\": {\"hosts\": 50, \"network\": \"192.168.8.0/24\",\n"
        "             \"mix\": {\"windows11-laptop\": 3, \"iphone\": 1.5},\n"
        "             \"churn_per_day\": 0.25, \"mac_rotation\": true},\n"
        "  \"link\": {\"delay_ms\": 0.5, \"jitter_ms\": 2, \"loss\": 0.2, \"duplicate\": 0.01},\n"
        "  \"agents\": [{\"name\": \"a\", \"priority\": 200, \"dns_suffix\": \"corp.example.com\"},\n"
        "             {\"name\": \"b\", \"clock_skew_ms\": -250, \"clock_drift_ppm\": 40,\n"
        "              \"start_minute\": 5}],\n"
        "  \"config\": {\"domains\": [{\"name\": \"corp.example.com\"}], \"min_peers\": 2},\n"
        "  \"faults\": [{\"at_minute\": 60, \"kind\": \"crash\", \"agent\": \"a\"},\n"
        "             {\"at_minute\": 30, \"kind\": \"loss\", \"number\": 0.5},\n"
        "             {\"at_minute\": 30, \"kind\": \"partition\", \"agents\": [\"b\"]}],\n"
        "  \"assertions\": [{\"name\": \"found\", \"metric\": \"discovered_share\",\n"
        "                  \"op\": \">=\", \"threshold\": 0.99}]\n"
        "}\n";
    char err[SCEN_ERRMSG_MAX];
    ck_assert_msg(scen_scenario_parse(text, sizeof text - 1, "f.json", &sc, err) == 0, "%s", err);
    ck_assert_str_eq(sc.name, "failover");
    ck_assert_uint_eq(sc.seed, 42);
    ck_assert_uint_eq(sc.duration_us, 120ull * 60000000u);
    ck_assert_uint_eq(sc.start_epoch_us, 1793610000ull * 1000000u);
    ck_assert_uint_eq(sc.sample_every_us, 60000000u);
    ck_assert_uint_eq(sc.subnet.hosts, 50);
    ck_assert_mem_eq(sc.subnet.net, ((const uint8_t[]){192, 168, 8, 0}), 4);
    ck_assert_uint_eq(sc.subnet.prefix_len, 24);
    ck_assert_uint_eq(sc.subnet.mix_count, 2);
    ck_assert_str_eq(sc.subnet.mix[1].profile, "iphone");
    ck_assert(sc.subnet.mix[1].weight == 1.5);
    ck_assert(sc.subnet.churn_per_day == 0.25);
    ck_assert_int_eq(sc.subnet.mac_rotation, 1);
    ck_assert_uint_eq(sc.link.delay_us, 500);
    ck_assert_uint_eq(sc.link.jitter_us, 2000);
    ck_assert(sc.link.loss == 0.2);
    ck_assert_uint_eq(sc.agent_count, 2);
    ck_assert_uint_eq(sc.agents[0].priority, 200);
    ck_assert_str_eq(sc.agents[0].dns_suffix, "corp.example.com");
    ck_assert_uint_eq(sc.agents[1].priority, 100);
    ck_assert_int_eq(sc.agents[1].clock_skew_us, -250000);
    ck_assert_int_eq(sc.agents[1].clock_drift_ppm, 40);
    ck_assert_uint_eq(sc.agents[1].start_us, 5ull * 60000000u);
    ck_assert_uint_eq(sc.config.domain_count, 1);
    ck_assert_str_eq(sc.config.domains[0].name, "corp.example.com");
    /* Faults sorted by time, same-time faults in file order. */
    ck_assert_uint_eq(sc.fault_count, 3);
    ck_assert_int_eq(sc.faults[0].kind, SCEN_FAULT_LOSS);
    ck_assert(sc.faults[0].number == 0.5);
    ck_assert_int_eq(sc.faults[1].kind, SCEN_FAULT_PARTITION);
    ck_assert_uint_eq(sc.faults[1].agents_mask, 2);
    ck_assert_int_eq(sc.faults[2].kind, SCEN_FAULT_CRASH);
    ck_assert_str_eq(sc.faults[2].agent, "a");
    ck_assert_uint_eq(sc.assertion_count, 1);
    ck_assert_int_eq(sc.assertions[0].cmp, SCEN_CMP_GE);
    ck_assert(sc.assertions[0].threshold == 0.99);
}
END_TEST

START_TEST(defaults)
{
    static const char text[] =
        "{\"name\": \"x\", \"duration_minutes\": 10, \"subnet\": {\"hosts\": 3},"
        " \"agents\": [{\"name\": \"only\"}]}";
    char err[SCEN_ERRMSG_MAX];
    ck_assert_msg(scen_scenario_parse(text, sizeof text - 1, "d.json", &sc, err) == 0, "%s", err);
    ck_assert_uint_eq(sc.seed, 1);
    ck_assert_mem_eq(sc.subnet.net, ((const uint8_t[]){10, 20, 0, 0}), 4);
    ck_assert_uint_eq(sc.subnet.prefix_len, 22);
    ck_assert_uint_eq(sc.config.domain_count, 0);
    ck_assert_uint_eq(sc.config.assets_max, CAPS_ASSETS_MAX_DEFAULT);
    ck_assert_uint_eq(sc.sample_every_us, 5ull * 60000000u);
    ck_assert_uint_eq(sc.fault_count, 0);
    ck_assert_int_eq(sc.election.enabled, 0);
    ck_assert_int_eq(sc.agents[0].rogue, 0);
}
END_TEST

START_TEST(election_keys)
{
    static const char text[] =
        "{\"name\": \"x\", \"duration_minutes\": 10, \"subnet\": {\"hosts\": 3},"
        " \"election\": {\"advert_interval_seconds\": 1.5, \"preempt\": true},"
        " \"agents\": [{\"name\": \"a\"}, {\"name\": \"r\", \"rogue\": true}]}";
    static const char bare[] =
        "{\"name\": \"x\", \"duration_minutes\": 10, \"subnet\": {\"hosts\": 3},"
        " \"election\": {}, \"agents\": [{\"name\": \"a\"}]}";
    char err[SCEN_ERRMSG_MAX];
    ck_assert_msg(scen_scenario_parse(text, sizeof text - 1, "e.json", &sc, err) == 0, "%s", err);
    ck_assert_int_eq(sc.election.enabled, 1);
    ck_assert_uint_eq(sc.election.advert_interval_us, 1500000u);
    ck_assert_int_eq(sc.election.preempt, 1);
    ck_assert_int_eq(sc.agents[0].rogue, 0);
    ck_assert_int_eq(sc.agents[1].rogue, 1);
    ck_assert_msg(scen_scenario_parse(bare, sizeof bare - 1, "e.json", &sc, err) == 0, "%s", err);
    ck_assert_int_eq(sc.election.enabled, 1);
    ck_assert_uint_eq(sc.election.advert_interval_us, 120000000u);
    ck_assert_int_eq(sc.election.preempt, 0);
}
END_TEST

START_TEST(random_faults_keys)
{
    static const char text[] =
        "{\"name\": \"x\", \"duration_minutes\": 600, \"subnet\": {\"hosts\": 3},"
        " \"agents\": [{\"name\": \"a\"}, {\"name\": \"b\"}, {\"name\": \"c\"}],"
        " \"random_faults\": {\"crashes_per_agent_per_day\": 2.5,"
        " \"restart_after_minutes\": [5, 60.5], \"agents\": [\"c\", \"a\"]}}";
    static const char all[] =
        "{\"name\": \"x\", \"duration_minutes\": 600, \"subnet\": {\"hosts\": 3},"
        " \"agents\": [{\"name\": \"a\"}, {\"name\": \"b\"}, {\"name\": \"c\"}],"
        " \"random_faults\": {\"crashes_per_agent_per_day\": 0,"
        " \"restart_after_minutes\": [1, 1], \"agents\": \"all\"}}";
    char err[SCEN_ERRMSG_MAX];
    ck_assert_msg(scen_scenario_parse(text, sizeof text - 1, "r.json", &sc, err) == 0, "%s", err);
    ck_assert_int_eq(sc.random_faults.enabled, 1);
    ck_assert(sc.random_faults.crashes_per_day == 2.5);
    ck_assert_uint_eq(sc.random_faults.restart_lo_us, 5ull * 60000000u);
    ck_assert_uint_eq(sc.random_faults.restart_hi_us, 3630000000ull);
    ck_assert_uint_eq(sc.random_faults.agents_mask, 0x5u);
    ck_assert_msg(scen_scenario_parse(all, sizeof all - 1, "r.json", &sc, err) == 0, "%s", err);
    ck_assert_int_eq(sc.random_faults.enabled, 1);
    ck_assert(sc.random_faults.crashes_per_day == 0);
    ck_assert_uint_eq(sc.random_faults.agents_mask, 0x7u);
}
END_TEST

struct bad_case {
    const char *text;
    const char *message;
};

#define HEAD "{\"name\": \"x\", \"duration_minutes\": 60, "
#define AGENTS "\"agents\": [{\"name\": \"a\"}]"
static const struct bad_case bad[] = {
    {"{\"name\": \"x\",}", "b.json:1:14: not valid JSON here"},
    {"[]", "b.json:1:1: \"scenario\" must be an object, got []"},
    {HEAD "\"subnet\": {\"hosts\": 3}, " AGENTS ", \"sead\": 1}",
     "b.json:1:98: unknown key \"sead\""},
    {"{\"duration_minutes\": 60, \"subnet\": {\"hosts\": 3}, " AGENTS "}",
     "b.json:1:1: \"name\" is required"},
    {HEAD "\"subnet\": {\"hosts\": 0}, " AGENTS "}",
     "b.json:1:59: \"hosts\" must be 1..65535, got 0"},
    {HEAD "\"subnet\": {\"hosts\": 300, \"network\": \"10.0.0.0/24\"}, " AGENTS "}",
     "b.json:1:59: \"hosts\" must fit the network (at most 253 in a /24), got 300"},
    {HEAD "\"subnet\": {\"hosts\": 3, \"network\": \"10.0.0.1/24\"}, " AGENTS "}",
     "b.json:1:73: \"network\" has host bits set: 10.0.0.1/24 is not a network address"},
    {HEAD "\"subnet\": {\"hosts\": 3}, \"link\": {\"loss\": 1.5}, " AGENTS "}",
     "b.json:1:80: \"loss\" must be 0..1, got 1.5"},
    {HEAD "\"subnet\": {\"hosts\": 3}, \"agents\": []}",
     "b.json:1:73: \"agents\" must be an array of 1..64 agents, got []"},
    {HEAD "\"subnet\": {\"hosts\": 3}, \"agents\": [{\"name\": \"a\"}, {\"name\": \"a\"}]}",
     "b.json:1:98: agent name \"a\" is used twice"},
    {HEAD "\"subnet\": {\"hosts\": 3}, " AGENTS
          ", \"faults\": [{\"at_minute\": 5, \"kind\": \"explode\", \"agent\": \"a\"}]}",
     "b.json:1:126: \"kind\" must be one of crash, restart, stop, leave_premises, partition, "
     "heal, loss, cloud_outage, cloud_lost_ack, cloud_slow, got \"explode\""},
    {HEAD "\"subnet\": {\"hosts\": 3}, " AGENTS
          ", \"faults\": [{\"at_minute\": 5, \"kind\": \"cloud_outage\", \"duration_minutes\": 9}]}",
     "b.json:1:126: \"cloud_outage\" needs \"cloud\" in the scenario"},
    {HEAD "\"subnet\": {\"hosts\": 3}, \"cloud\": {}, " AGENTS
          ", \"faults\": [{\"at_minute\": 5, \"kind\": \"cloud_slow\", \"duration_minutes\": 9}]}",
     "b.json:1:114: \"number\" (the answer delay in seconds, 0..3600) is required"},
    {HEAD "\"subnet\": {\"hosts\": 3}, \"cloud\": {\"upload_interval_seconds\": 0}, " AGENTS "}",
     "b.json:1:100: \"upload_interval_seconds\" must be 1..86400, got 0"},
    {HEAD "\"subnet\": {\"hosts\": 3}, \"cloud\": {\"answer_delay\": 5}, " AGENTS "}",
     "b.json:1:89: unknown key \"answer_delay\""},
    {HEAD "\"subnet\": {\"hosts\": 3}, " AGENTS
          ", \"faults\": [{\"at_minute\": 5, \"kind\": \"crash\", \"agent\": \"zed\"}]}",
     "b.json:1:144: \"agent\" must name an agent of \"agents\", got \"zed\""},
    {HEAD "\"subnet\": {\"hosts\": 3}, " AGENTS
          ", \"faults\": [{\"at_minute\": 90, \"kind\": \"heal\"}]}",
     "b.json:1:115: \"at_minute\" must be within the duration (60 minutes), got 90"},
    {HEAD "\"subnet\": {\"hosts\": 3}, " AGENTS
          ", \"assertions\": [{\"name\": \"n\", \"metric\": \"m\", \"op\": \">\", \"threshold\": 1}]}",
     "b.json:1:140: \"op\" must be \">=\", \"<=\" or \"==\", got \">\""},
    {HEAD "\"subnet\": {\"hosts\": 3}, " AGENTS ", \"config\": {\"upload_interval_minutes\": 5,"
          " \"domains\": [{\"name\": \"c.example\"}]}}",
     "b.json:1:128: \"upload_interval_minutes\" must be 15..1440, got 5"},
    {HEAD "\"start\": \"yesterday\", \"subnet\": {\"hosts\": 3}, " AGENTS "}",
     "b.json:1:48: \"start\" must be a UTC time YYYY-MM-DDTHH:MM:SSZ, got \"yesterday\""},
    {HEAD "\"subnet\": {\"hosts\": 3}, \"election\": {\"advert_interval_seconds\": 0}, " AGENTS "}",
     "b.json:1:103: \"advert_interval_seconds\" must be 0.001..3600, got 0"},
    {HEAD "\"subnet\": {\"hosts\": 3}, \"election\": {\"preempt\": 1}, " AGENTS "}",
     "b.json:1:87: \"preempt\" must be true or false, got 1"},
    {HEAD "\"subnet\": {\"hosts\": 3}, \"election\": {\"interval\": 1}, " AGENTS "}",
     "b.json:1:88: unknown key \"interval\""},
    {HEAD "\"subnet\": {\"hosts\": 3}, \"agents\": [{\"name\": \"a\", \"rogue\": \"yes\"}]}",
     "b.json:1:97: \"rogue\" must be true or false, got \"yes\""},
    {HEAD "\"subnet\": {\"hosts\": 3}, " AGENTS ", \"random_faults\": "
          "{\"crashes_per_agent_per_day\": 2000, \"restart_after_minutes\": [5, 60]}}",
     "b.json:1:137: \"crashes_per_agent_per_day\" must be 0..1440, got 2000"},
    {HEAD "\"subnet\": {\"hosts\": 3}, " AGENTS ", \"random_faults\": "
          "{\"restart_after_minutes\": [5, 60]}}",
     "b.json:1:107: \"crashes_per_agent_per_day\" is required"},
    {HEAD "\"subnet\": {\"hosts\": 3}, " AGENTS ", \"random_faults\": "
          "{\"crashes_per_agent_per_day\": 2, \"restart_after_minutes\": [60, 5]}}",
     "b.json:1:165: \"restart_after_minutes\" must be [lo, hi] with 0 <= lo <= hi <= 43200, got [60,5]"},
    {HEAD "\"subnet\": {\"hosts\": 3}, " AGENTS ", \"random_faults\": "
          "{\"crashes_per_agent_per_day\": 2, \"restart_after_minutes\": 5}}",
     "b.json:1:165: \"restart_after_minutes\" must be [lo, hi] in minutes, got 5"},
    {HEAD "\"subnet\": {\"hosts\": 3}, " AGENTS ", \"random_faults\": "
          "{\"crashes_per_agent_per_day\": 2, \"restart_after_minutes\": [5, 6], \"agents\": [\"zed\"]}}",
     "b.json:1:183: \"agents\" must name agents of \"agents\", got \"zed\""},
    {HEAD "\"subnet\": {\"hosts\": 3}, " AGENTS ", \"random_faults\": "
          "{\"crashes_per_agent_per_day\": 2, \"restart_after_minutes\": [5, 6], \"agents\": \"some\"}}",
     "b.json:1:183: \"agents\" must be \"all\" or a list of agent names, got \"some\""},
    {HEAD "\"subnet\": {\"hosts\": 3}, " AGENTS ", \"random_faults\": "
          "{\"crashes_per_agent_per_day\": 2, \"restart_after_minutes\": [5, 6], \"rate\": 1}}",
     "b.json:1:181: unknown key \"rate\""},
};

START_TEST(bad_scenarios_named_and_placed)
{
    char err[SCEN_ERRMSG_MAX];
    const struct bad_case *c = &bad[_i];
    ck_assert_int_eq(scen_scenario_parse(c->text, strlen(c->text), "b.json", &sc, err), -1);
    ck_assert_msg(strcmp(err, c->message) == 0, "case %d:\n got  %s\n want %s", _i, err,
                  c->message);
}
END_TEST

START_TEST(missing_file_named)
{
    char err[SCEN_ERRMSG_MAX];
    ck_assert_int_eq(scen_scenario_load("/nonexistent/s.json", &sc, err), -1);
    ck_assert_str_eq(err, "/nonexistent/s.json: No such file or directory");
}
END_TEST

Suite *suite_scenario(void)
{
    Suite *s = suite_create("scenario");
    TCase *tc = tcase_create("parse");
    tcase_add_test(tc, full_scenario_reads_every_field);
    tcase_add_test(tc, defaults);
    tcase_add_test(tc, election_keys);
    tcase_add_test(tc, random_faults_keys);
    tcase_add_loop_test(tc, bad_scenarios_named_and_placed, 0, (int)(sizeof bad / sizeof bad[0]));
    tcase_add_test(tc, missing_file_named);
    suite_add_tcase(s, tc);
    return s;
}
