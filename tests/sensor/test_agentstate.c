/* test_agentstate.c - agent.json on a real directory: a round trip, mode
 * 0600 and no temp file left, "not activated" apart from "damaged", and
 * every bad field named in the message.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sensor/agentstate.h"

Suite *suite_agentstate(void);

static char dir[256];

static void make_dir(void)
{
    snprintf(dir, sizeof dir, "/tmp/caps-state-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void write_agent_json(const char *text)
{
    char path[512];
    snprintf(path, sizeof path, "%s/agent.json", dir);
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
}

static void remove_dir(void)
{
    char path[512];
    const char *names[] = {"agent.json", "agent.json.tmp", "config.json"};
    for (size_t i = 0; i < 3; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        unlink(path);
    }
    rmdir(dir);
}

START_TEST(agentstate_round_trip)
{
    struct sensor_agentstate st, back;
    char err[SENSOR_AGENTSTATE_ERRMSG_MAX] = "", path[512];
    struct stat sb;

    make_dir();
    ck_assert_int_eq(sensor_agentstate_load(dir, &back, err), 1);   /* not activated */
    memset(&st, 0, sizeof st);
    snprintf(st.agent_id, sizeof st.agent_id, "6f1c2a9e-0000-4000-8000-000000000001");
    snprintf(st.token, sizeof st.token, "secret-token");
    snprintf(st.cloud, sizeof st.cloud, "http://127.0.0.1:8080");
    st.last_seq = 1764301200000123ull;
    ck_assert_msg(sensor_agentstate_save(dir, &st, err) == 0, "%s", err);
    snprintf(path, sizeof path, "%s/agent.json", dir);
    ck_assert_int_eq(stat(path, &sb), 0);
    ck_assert_uint_eq(sb.st_mode & 0777, 0600);
    snprintf(path, sizeof path, "%s/agent.json.tmp", dir);
    ck_assert_int_ne(access(path, F_OK), 0);
    ck_assert_msg(sensor_agentstate_load(dir, &back, err) == 0, "%s", err);
    ck_assert_str_eq(back.agent_id, st.agent_id);
    ck_assert_str_eq(back.token, st.token);
    ck_assert_str_eq(back.cloud, st.cloud);
    ck_assert_uint_eq(back.last_seq, st.last_seq);
    /* Replaced in place. */
    st.last_seq++;
    ck_assert_int_eq(sensor_agentstate_save(dir, &st, err), 0);
    ck_assert_int_eq(sensor_agentstate_load(dir, &back, err), 0);
    ck_assert_uint_eq(back.last_seq, 1764301200000124ull);
    remove_dir();
}
END_TEST

struct bad_case {
    const char *name;
    const char *text;
    const char *want;        /* in the message */
};

static const struct bad_case bad_cases[] = {
    {"not_json", "{\"agent_id\": ", "not a JSON object"},
    {"array", "[1, 2]", "not a JSON object"},
    {"no_token", "{\"agent_id\": \"a\", \"cloud\": \"http://x\"}", "\"token\""},
    {"empty_agent", "{\"agent_id\": \"\", \"token\": \"t\", \"cloud\": \"http://x\"}",
     "\"agent_id\" must be a non-empty string"},
    {"cloud_number", "{\"agent_id\": \"a\", \"token\": \"t\", \"cloud\": 5}", "\"cloud\""},
    {"seq_negative",
     "{\"agent_id\": \"a\", \"token\": \"t\", \"cloud\": \"http://x\", \"last_seq\": -1}",
     "\"last_seq\" must be an integer"},
    {"seq_fraction",
     "{\"agent_id\": \"a\", \"token\": \"t\", \"cloud\": \"http://x\", \"last_seq\": 1.5}",
     "\"last_seq\" must be an integer"},
};

START_TEST(agentstate_bad_fields_named)
{
    const struct bad_case *bc = &bad_cases[_i];
    struct sensor_agentstate st;
    char err[SENSOR_AGENTSTATE_ERRMSG_MAX] = "";

    make_dir();
    write_agent_json(bc->text);
    ck_assert_msg(sensor_agentstate_load(dir, &st, err) == -1, "%s: accepted", bc->name);
    ck_assert_msg(strstr(err, bc->want) != NULL, "%s: message '%s' lacks '%s'", bc->name, err,
                  bc->want);
    ck_assert_msg(strstr(err, "agent.json") != NULL, "%s: message '%s' lacks the file",
                  bc->name, err);
    remove_dir();
}
END_TEST

START_TEST(state_file_write_is_private)
{
    char err[SENSOR_AGENTSTATE_ERRMSG_MAX] = "", path[512], buf[64] = "";
    struct stat sb;

    make_dir();
    ck_assert_int_eq(sensor_state_file_write(dir, "config.json", "{\"a\": 1}", 8, err), 0);
    snprintf(path, sizeof path, "%s/config.json", dir);
    ck_assert_int_eq(stat(path, &sb), 0);
    ck_assert_uint_eq(sb.st_mode & 0777, 0600);
    FILE *f = fopen(path, "r");
    ck_assert_ptr_nonnull(f);
    ck_assert_ptr_nonnull(fgets(buf, sizeof buf, f));
    fclose(f);
    ck_assert_str_eq(buf, "{\"a\": 1}");
    remove_dir();
}
END_TEST

Suite *suite_agentstate(void)
{
    Suite *s = suite_create("agentstate");
    TCase *tc = tcase_create("agentstate");
    tcase_add_test(tc, agentstate_round_trip);
    tcase_add_loop_test(tc, agentstate_bad_fields_named, 0,
                        (int)(sizeof bad_cases / sizeof bad_cases[0]));
    tcase_add_test(tc, state_file_write_is_private);
    suite_add_tcase(s, tc);
    return s;
}
