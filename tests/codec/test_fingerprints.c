/* test_fingerprints.c - the fingerprint database files (codec/fingerprints.h):
 * every validation rule with its exact message and place, the rules as the
 * core sees them, local-before-base order and ids unique across files, and
 * the shipped data/fingerprints.json when the source tree has it.
 *
 * Expected line:column pairs were computed from the texts independently of
 * codec_json_locate (by searching for the offending value).
 */
#define _POSIX_C_SOURCE 200809L     /* mkdtemp, strcasecmp, access, unlink, rmdir */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <check.h>

#include "caps/fingerprint.h"
#include "caps/proto.h"
#include "codec/fingerprints.h"

Suite *suite_fingerprints(void);

struct reject_case {
    const char *what;
    const char *text;
    const char *err;   /* the exact message, for the name "t.json" */
};

static const struct reject_case reject_cases[] = {
    {"empty text",
     "",
     "t.json:1:1: invalid JSON, got an empty text"},
    {"blank text",
     " \n"
     " ",
     "t.json:1:1: invalid JSON, got an empty text"},
    {"syntax error, double comma",
     "{\"format\": \"caps-fingerprints/1\", \"rules\": [\n"
     "  {\"id\": \"r1\",, \"kind\": \"hostname\"}\n"
     "]}\n"
     "",
     "t.json:2:16: invalid JSON, got \" \\\"kind\\\": \\\"hostna\"..."},
    {"text after the document",
     "{\"format\": \"caps-fingerprints/1\", \"rules\": []} x\n"
     "",
     "t.json:1:48: invalid JSON after the document, got \"x\\n\""},
    {"root not an object",
     "[]",
     "t.json:1:1: the database must be a JSON object, got []"},
    {"format missing",
     "{\"rules\": []}",
     "t.json:1:1: format: missing (must be \"caps-fingerprints/1\")"},
    {"format wrong",
     "{\"format\": \"caps-fingerprints/2\", \"rules\": []}",
     "t.json:1:12: format: must be \"caps-fingerprints/1\", got \"caps-fingerprints/2\""},
    {"format a number",
     "{\"format\": 1, \"rules\": []}",
     "t.json:1:12: format: must be \"caps-fingerprints/1\", got 1"},
    {"rules missing",
     "{\"format\": \"caps-fingerprints/1\"}",
     "t.json:1:1: rules: missing"},
    {"rules an object",
     "{\"format\": \"caps-fingerprints/1\", \"rules\": {}}",
     "t.json:1:44: rules: must be an array, got {}"},
    {"unknown top-level key",
     "{\"format\": \"caps-fingerprints/1\", \"rules\": [], \"version\": 2}",
     "t.json:1:59: unknown key \"version\""},
    {"repeated top-level key",
     "{\"format\": \"caps-fingerprints/1\", \"rules\": [], \"rules\": []}",
     "t.json:1:1: key \"rules\" appears twice"},
    {"rule not an object",
     "{\"format\": \"caps-fingerprints/1\", \"rules\": [\n"
     "  5\n"
     "]}\n"
     "",
     "t.json:2:3: rules[0]: must be an object, got 5"},
    {"second rule null",
     "{\"format\": \"caps-fingerprints/1\", \"rules\": [\n"
     "  {\"id\": \"r1\", \"kind\": \"hostname\", \"match\": \"a*\", \"os\": \"linux\", \"score\": 0.5},\n"
     "  null\n"
     "]}\n"
     "",
     "t.json:3:3: rules[1]: must be an object, got null"},
    {"id missing",
     "{\"format\": \"caps-fingerprints/1\", \"rules\": [\n"
     "  {\"kind\": \"hostname\", \"match\": \"a*\", \"os\": \"linux\", \"score\": 0.5}\n"
     "]}\n"
     "",
     "t.json:2:3: rules[0].id: missing"},
    {"kind missing",
     "{\"format\": \"caps-fingerprints/1\", \"rules\": [\n"
     "  {\"id\": \"r1\", \"match\": \"a*\", \"os\": \"linux\", \"score\": 0.5}\n"
     "]}\n"
     "",
     "t.json:2:3: rules[0].kind: missing"},
    {"match missing",
     "{\"format\": \"caps-fingerprints/1\", \"rules\": [\n"
     "  {\"id\": \"r1\", \"kind\": \"hostname\", \"os\": \"linux\", \"score\": 0.5}\n"
     "]}\n"
     "",
     "t.json:2:3: rules[0].match: missing"},
    {"score missing",
     "{\"format\": \"caps-fingerprints/1\", \"rules\": [\n"
     "  {\"id\": \"r1\", \"kind\": \"hostname\", \"match\": \"a*\", \"os\": \"linux\"}\n"
     "]}\n"
     "",
     "t.json:2:3: rules[0].score: missing"},
    {"id a number",
     "{\"format\": \"caps-fingerprints/1\", \"rules\": [\n"
     "  {\"id\": 7, \"kind\": \"hostname\", \"match\": \"a*\", \"os\": \"linux\", \"score\": 0.5}\n"
     "]}\n"
     "",
     "t.json:2:10: rules[0].id: must be a string, got 7"},
    {"id empty",
     "{\"format\": \"caps-fingerprints/1\", \"rules\": [\n"
     "  {\"id\": \"\", \"kind\": \"hostname\", \"match\": \"a*\", \"os\": \"linux\", \"score\": 0.5}\n"
     "]}\n"
     "",
     "t.json:2:10: rules[0].id: must be 1..47 characters, got 0"},
    {"id 48 characters",
     "{\"format\": \"caps-fingerprints/1\", \"rules\": [\n"
     "  {\"id\": \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\", \"kind\": \"hostname\", \"match\": \"a*\", \"os\": \"linux\", \"score\": 0.5}\n"
     "]}\n"
     "",
     "t.json:2:10: rules[0].id: must be 1..47 characters, got 48"},
    {"id upper case",
     "{\"format\": \"caps-fingerprints/1\", \"rules\": [\n"
     "  {\"id\": \"Win-10\", \"kind\": \"hostname\", \"match\": \"a*\", \"os\": \"linux\", \"score\": 0.5}\n"
     "]}\n"
     "",
     "t.json:2:10: rules[0].id: may hold only a-z 0-9 . _ -, got 'W' in \"Win-10\""},
    {"id with a space",
     "{\"format\": \"caps-fingerprints/1\", \"rules\": [\n"
     "  {\"id\": \"a b\", \"kind\": \"hostname\", \"match\": \"a*\", \"os\": \"linux\", \"score\": 0.5}\n"
     "]}\n"
     "",
     "t.json:2:10: rules[0].id: may hold only a-z 0-9 . _ -, got 0x20 in \"a b\""},
    {"id with a slash",
     "{\"format\": \"caps-fingerprints/1\", \"rules\": [\n"
     "  {\"id\": \"a/b\", \"kind\": \"hostname\", \"match\": \"a*\", \"os\": \"linux\", \"score\": 0.5}\n"
     "]}\n"
     "",
     "t.json:2:10: rules[0].id: may hold only a-z 0-9 . _ -, got '/' in \"a/b\""},
    {"kind unknown",
     "{\"format\": \"caps-fingerprints/1\", \"rules\": [\n"
     "  {\"id\": \"r1\", \"kind\": \"dhcp_prm\", \"match\": \"a*\", \"os\": \"linux\", \"score\": 0.5}\n"
     "]}\n"
     "",
     "t.json:2:24: rules[0].kind: unknown kind \"dhcp_prm\""},
    {"kind upper case",
     "{\"format\": \"caps-fingerprints/1\", \"rules\": [\n"
     "  {\"id\": \"r1\", \"kind\": \"DHCP_PRL\", \"match\": \"a*\", \"os\": \"linux\", \"score\": 0.5}\n"
     "]}\n"
     "",
     "t.json:2:24: rules[0].kind: unknown kind \"DHCP_PRL\""},
    {"kind a number",
     "{\"format\": \"caps-fingerprints/1\", \"rules\": [\n"
     "  {\"id\": \"r1\", \"kind\": 3, \"match\": \"a*\", \"os\": \"linux\", \"score\": 0.5}\n"
     "]}\n"
     "",
     "t.json:2:24: rules[0].kind: must be a string, got 3"},
    {"match empty",
     "{\"format\": \"caps-fingerprints/1\", \"rules\": [\n"
     "  {\"id\": \"r1\", \"kind\": \"hostname\", \"match\": \"\", \"os\": \"linux\", \"score\": 0.5}\n"
     "]}\n"
     "",
     "t.json:2:45: rules[0].match: must be 1..127 bytes, got 0"},
    {"match 128 bytes",
     "{\"format\": \"caps-fingerprints/1\", \"rules\": [\n"
     "  {\"id\": \"r1\", \"kind\": \"hostname\", \"match\": \"mmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmm\", \"os\": \"linux\", \"score\": 0.5}\n"
     "]}\n"
     "",
     "t.json:2:45: rules[0].match: must be 1..127 bytes, got 128"},
    {"match an array",
     "{\"format\": \"caps-fingerprints/1\", \"rules\": [\n"
     "  {\"id\": \"r1\", \"kind\": \"hostname\", \"match\": [\"a\"], \"os\": \"linux\", \"score\": 0.5}\n"
     "]}\n"
     "",
     "t.json:2:45: rules[0].match: must be a string, got [\"a\"]"},
    {"score 0",
     "{\"format\": \"caps-fingerprints/1\", \"rules\": [\n"
     "  {\"id\": \"r1\", \"kind\": \"hostname\", \"match\": \"a*\", \"os\": \"linux\", \"score\": 0}\n"
     "]}\n"
     "",
     "t.json:2:75: rules[0].score: must be a number in (0, 1], got 0"},
    {"score negative",
     "{\"format\": \"caps-fingerprints/1\", \"rules\": [\n"
     "  {\"id\": \"r1\", \"kind\": \"hostname\", \"match\": \"a*\", \"os\": \"linux\", \"score\": -0.1}\n"
     "]}\n"
     "",
     "t.json:2:75: rules[0].score: must be a number in (0, 1], got -0.1"},
    {"score over 1",
     "{\"format\": \"caps-fingerprints/1\", \"rules\": [\n"
     "  {\"id\": \"r1\", \"kind\": \"hostname\", \"match\": \"a*\", \"os\": \"linux\", \"score\": 1.5}\n"
     "]}\n"
     "",
     "t.json:2:75: rules[0].score: must be a number in (0, 1], got 1.5"},
    {"score a string",
     "{\"format\": \"caps-fingerprints/1\", \"rules\": [\n"
     "  {\"id\": \"r1\", \"kind\": \"hostname\", \"match\": \"a*\", \"os\": \"linux\", \"score\": \"0.5\"}\n"
     "]}\n"
     "",
     "t.json:2:75: rules[0].score: must be a number in (0, 1], got \"0.5\""},
    {"score true",
     "{\"format\": \"caps-fingerprints/1\", \"rules\": [\n"
     "  {\"id\": \"r1\", \"kind\": \"hostname\", \"match\": \"a*\", \"os\": \"linux\", \"score\": true}\n"
     "]}\n"
     "",
     "t.json:2:75: rules[0].score: must be a number in (0, 1], got true"},
    {"score rounds to 0",
     "{\"format\": \"caps-fingerprints/1\", \"rules\": [\n"
     "  {\"id\": \"r1\", \"kind\": \"hostname\", \"match\": \"a*\", \"os\": \"linux\", \"score\": 0.0004}\n"
     "]}\n"
     "",
     "t.json:2:75: rules[0].score: must round to at least 0.001 (scores are kept in thousandths), got 0.0004"},
    {"os unknown",
     "{\"format\": \"caps-fingerprints/1\", \"rules\": [\n"
     "  {\"id\": \"r1\", \"kind\": \"hostname\", \"match\": \"a*\", \"os\": \"win\", \"score\": 0.5}\n"
     "]}\n"
     "",
     "t.json:2:57: rules[0].os: unknown OS family \"win\""},
    {"os upper case",
     "{\"format\": \"caps-fingerprints/1\", \"rules\": [\n"
     "  {\"id\": \"r1\", \"kind\": \"hostname\", \"match\": \"a*\", \"os\": \"Windows\", \"score\": 0.5}\n"
     "]}\n"
     "",
     "t.json:2:57: rules[0].os: unknown OS family \"Windows\""},
    {"os null",
     "{\"format\": \"caps-fingerprints/1\", \"rules\": [\n"
     "  {\"id\": \"r1\", \"kind\": \"hostname\", \"match\": \"a*\", \"os\": null, \"score\": 0.5}\n"
     "]}\n"
     "",
     "t.json:2:57: rules[0].os: must be a string, got null"},
    {"device_type unknown",
     "{\"format\": \"caps-fingerprints/1\", \"rules\": [\n"
     "  {\"id\": \"r1\", \"kind\": \"hostname\", \"match\": \"a*\", \"os\": \"linux\", \"score\": 0.5, \"device_type\": \"pc\"}\n"
     "]}\n"
     "",
     "t.json:2:95: rules[0].device_type: unknown device type \"pc\""},
    {"device_type with a space",
     "{\"format\": \"caps-fingerprints/1\", \"rules\": [\n"
     "  {\"id\": \"r1\", \"kind\": \"hostname\", \"match\": \"a*\", \"os\": \"linux\", \"score\": 0.5, \"device_type\": \"media player\"}\n"
     "]}\n"
     "",
     "t.json:2:95: rules[0].device_type: unknown device type \"media player\""},
    {"os_version 32 bytes",
     "{\"format\": \"caps-fingerprints/1\", \"rules\": [\n"
     "  {\"id\": \"r1\", \"kind\": \"hostname\", \"match\": \"a*\", \"os\": \"linux\", \"score\": 0.5, \"os_version\": \"99999999999999999999999999999999\"}\n"
     "]}\n"
     "",
     "t.json:2:94: rules[0].os_version: must be 1..31 bytes, got 32"},
    {"manufacturer empty",
     "{\"format\": \"caps-fingerprints/1\", \"rules\": [\n"
     "  {\"id\": \"r1\", \"kind\": \"hostname\", \"match\": \"a*\", \"os\": \"linux\", \"score\": 0.5, \"manufacturer\": \"\"}\n"
     "]}\n"
     "",
     "t.json:2:96: rules[0].manufacturer: must be 1..31 bytes, got 0"},
    {"model a number",
     "{\"format\": \"caps-fingerprints/1\", \"rules\": [\n"
     "  {\"id\": \"r1\", \"kind\": \"hostname\", \"match\": \"a*\", \"os\": \"linux\", \"score\": 0.5, \"model\": 12}\n"
     "]}\n"
     "",
     "t.json:2:89: rules[0].model: must be a string, got 12"},
    {"note a number",
     "{\"format\": \"caps-fingerprints/1\", \"rules\": [\n"
     "  {\"id\": \"r1\", \"kind\": \"hostname\", \"match\": \"a*\", \"os\": \"linux\", \"score\": 0.5, \"note\": 1}\n"
     "]}\n"
     "",
     "t.json:2:88: rules[0].note: must be a string, got 1"},
    {"note 301 bytes",
     "{\"format\": \"caps-fingerprints/1\", \"rules\": [\n"
     "  {\"id\": \"r1\", \"kind\": \"hostname\", \"match\": \"a*\", \"os\": \"linux\", \"score\": 0.5, \"note\": \"nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn\"}\n"
     "]}\n"
     "",
     "t.json:2:88: rules[0].note: must be at most 300 bytes, got 301"},
    {"unknown rule key",
     "{\"format\": \"caps-fingerprints/1\", \"rules\": [\n"
     "  {\"id\": \"r1\", \"kind\": \"hostname\", \"match\": \"a*\", \"os\": \"linux\", \"score\": 0.5, \"colour\": \"red\"}\n"
     "]}\n"
     "",
     "t.json:2:90: rules[0]: unknown key \"colour\""},
    {"unknown key that cannot be addressed",
     "{\"format\": \"caps-fingerprints/1\", \"rules\": [\n"
     "  {\"id\": \"r1\", \"kind\": \"hostname\", \"match\": \"a*\", \"os\": \"linux\", \"score\": 0.5, \"a.b\": 1}\n"
     "]}\n"
     "",
     "t.json:2:3: rules[0]: unknown key \"a.b\""},
    {"repeated rule key",
     "{\"format\": \"caps-fingerprints/1\", \"rules\": [\n"
     "  {\"id\": \"r1\", \"kind\": \"hostname\", \"os\": \"linux\", \"match\": \"a*\", \"os\": \"ios\", \"score\": 0.5}\n"
     "]}\n"
     "",
     "t.json:2:3: rules[0]: key \"os\" appears twice"},
    {"no label",
     "{\"format\": \"caps-fingerprints/1\", \"rules\": [\n"
     "  {\"id\": \"r1\", \"kind\": \"hostname\", \"match\": \"a*\", \"score\": 0.5, \"note\": \"x\"}\n"
     "]}\n"
     "",
     "t.json:2:3: rules[0]: must name at least one of os, device_type, manufacturer, model"},
    {"os_version without os",
     "{\"format\": \"caps-fingerprints/1\", \"rules\": [\n"
     "  {\"id\": \"r1\", \"kind\": \"hostname\", \"match\": \"a*\", \"score\": 0.5, \"os_version\": \"10\", \"manufacturer\": \"Dell\"}\n"
     "]}\n"
     "",
     "t.json:2:79: rules[0].os_version: needs \"os\" in the same rule (the version of which family?)"},
    {"$1 without a star",
     "{\"format\": \"caps-fingerprints/1\", \"rules\": [\n"
     "  {\"id\": \"r1\", \"kind\": \"hostname\", \"match\": \"abc\", \"os\": \"linux\", \"score\": 0.5, \"model\": \"X $1\"}\n"
     "]}\n"
     "",
     "t.json:2:90: rules[0].model: uses \"$1\" but match \"abc\" has no '*'"},
    {"$1 in os_version without a star",
     "{\"format\": \"caps-fingerprints/1\", \"rules\": [\n"
     "  {\"id\": \"r1\", \"kind\": \"hostname\", \"match\": \"abc\", \"os\": \"linux\", \"score\": 0.5, \"os_version\": \"$1\"}\n"
     "]}\n"
     "",
     "t.json:2:95: rules[0].os_version: uses \"$1\" but match \"abc\" has no '*'"},
    {"duplicate id",
     "{\"format\": \"caps-fingerprints/1\", \"rules\": [\n"
     "  {\"id\": \"r1\", \"kind\": \"hostname\", \"match\": \"a*\", \"os\": \"linux\", \"score\": 0.5},\n"
     "  {\"id\": \"r2\", \"kind\": \"hostname\", \"match\": \"a*\", \"os\": \"linux\", \"score\": 0.5},\n"
     "  {\"id\": \"r1\", \"kind\": \"ip_ttl\", \"match\": \"a*\", \"os\": \"linux\", \"score\": 0.5}\n"
     "]}\n"
     "",
     "t.json:4:10: rules[2].id: duplicate id \"r1\", first used at t.json:2:10 (rules[0].id)"},
    {"error in the second rule",
     "{\"format\": \"caps-fingerprints/1\", \"rules\": [\n"
     "  {\"id\": \"r1\", \"kind\": \"hostname\", \"match\": \"a*\", \"os\": \"linux\", \"score\": 0.5},\n"
     "  {\"id\": \"r2\", \"kind\": \"x\", \"match\": \"a*\", \"os\": \"linux\", \"score\": 0.5}\n"
     "]}\n"
     "",
     "t.json:3:24: rules[1].kind: unknown kind \"x\""},
    {"first error in document order",
     "{\"format\": \"caps-fingerprints/1\", \"rules\": [\n"
     "  {\"id\": \"r1\", \"kind\": \"x\", \"match\": \"a*\", \"os\": \"linux\", \"score\": 2}\n"
     "]}\n"
     "",
     "t.json:2:24: rules[0].kind: unknown kind \"x\""},
};
#define REJECT_CASES (sizeof reject_cases / sizeof reject_cases[0])

START_TEST(parse_rejects)
{
    const struct reject_case *c = &reject_cases[_i];
    struct codec_fp_db db;
    char err[CODEC_ERRMSG_MAX];

    memset(&db, 0, sizeof db);
    int rc = codec_fp_parse(c->text, strlen(c->text), "t.json", &db, err);
    ck_assert_msg(rc == -1, "%s: accepted", c->what);
    ck_assert_msg(strcmp(err, c->err) == 0, "%s:\n got  %s\n want %s", c->what, err, c->err);
    ck_assert_uint_eq(db.db.count, 0);
    codec_fp_free(&db);
}
END_TEST

static const char valid_doc[] =
    "{\"format\": \"caps-fingerprints/1\",\n"
    " \"rules\": [\n"
    "  {\"id\": \"dhcp-prl-windows-10\", \"kind\": \"dhcp_prl\",\n"
    "   \"match\": \"1,3,6,15,31,33,43,44,46,47,119,121,249,252\",\n"
    "   \"os\": \"windows\", \"os_version\": \"10\", \"device_type\": \"workstation\",\n"
    "   \"score\": 0.6, \"note\": \"Windows 10 and 11 DHCP clients\"},\n"
    "  {\"id\": \"mdns-txt-chromecast\", \"kind\": \"mdns_txt\", \"match\": \"md=*\",\n"
    "   \"device_type\": \"media_player\", \"manufacturer\": \"Google\", \"model\": \"$1\",\n"
    "   \"score\": 1},\n"
    "  {\"id\": \"oui.apple_1\", \"kind\": \"oui_vendor\", \"match\": \"Apple*\",\n"
    "   \"manufacturer\": \"Apple\", \"score\": 0.6666},\n"
    "  {\"id\": \"tiny\", \"kind\": \"ip_ttl\", \"match\": \"64\", \"os\": \"linux\", \"score\": 0.0014}\n"
    " ]}\n";

START_TEST(parse_valid)
{
    struct codec_fp_db db;
    char err[CODEC_ERRMSG_MAX];

    memset(&db, 0, sizeof db);
    ck_assert_msg(codec_fp_parse(valid_doc, strlen(valid_doc), "v.json", &db, err) == 0, "%s",
                  err);
    ck_assert_uint_eq(db.db.count, 4);
    ck_assert_ptr_eq(db.db.rules, db.rules);
    ck_assert_uint_eq(db.local_count, 0);
    const struct caps_fp_rule *r = &db.rules[0];
    ck_assert_str_eq(r->id, "dhcp-prl-windows-10");
    ck_assert_uint_eq(r->kind, CAPS_EV_DHCP_PRL);
    ck_assert_str_eq(r->pattern, "1,3,6,15,31,33,43,44,46,47,119,121,249,252");
    ck_assert_uint_eq(r->os_family, CAPS_OS_WINDOWS);
    ck_assert_str_eq(r->os_version, "10");
    ck_assert_uint_eq(r->device_type, CAPS_DEV_WORKSTATION);
    ck_assert_uint_eq(r->score_milli, 600);
    ck_assert_str_eq(r->manufacturer, "");
    ck_assert_str_eq(r->model, "");
    r = &db.rules[1];
    ck_assert_uint_eq(r->kind, CAPS_EV_MDNS_TXT);
    ck_assert_uint_eq(r->os_family, CAPS_OS_NONE);
    ck_assert_uint_eq(r->device_type, CAPS_DEV_MEDIA_PLAYER);
    ck_assert_str_eq(r->manufacturer, "Google");
    ck_assert_str_eq(r->model, "$1");
    ck_assert_uint_eq(r->score_milli, 1000);
    ck_assert_str_eq(db.rules[2].id, "oui.apple_1");
    ck_assert_uint_eq(db.rules[2].score_milli, 667);   /* rounded to nearest */
    ck_assert_uint_eq(db.rules[3].score_milli, 1);
    ck_assert_uint_eq(db.rules[3].kind, CAPS_EV_IP_TTL);

    /* What the core does with them. */
    struct caps_labels l;
    char out[CAPS_FP_TEXT_MAX];
    memset(&l, 0, sizeof l);
    ck_assert_int_eq(caps_fp_observe(&l, &db.db, CAPS_EV_MDNS_TXT, "md=Chromecast Ultra",
                                     CAPS_PROTO_MDNS), 1);
    caps_fp_model(&l, &db.db, out, sizeof out);
    ck_assert_str_eq(out, "Chromecast Ultra");
    ck_assert_uint_eq(l.device_type, CAPS_DEV_MEDIA_PLAYER);
    codec_fp_free(&db);
    ck_assert_ptr_null(db.rules);
    ck_assert_uint_eq(db.db.count, 0);
}
END_TEST

START_TEST(parse_limits)
{
    static const char head[] = "{\"format\": \"caps-fingerprints/1\", \"rules\": [\n";
    static const char rule[] =
        "{\"id\": \"r%04u\", \"kind\": \"hostname\", \"match\": \"h%u\", \"os\": \"linux\", "
        "\"score\": 0.5}%s\n";
    size_t cap = sizeof head + (CAPS_FP_RULES_MAX + 1) * 100 + 8;
    char *text = malloc(cap);
    struct codec_fp_db db;
    char err[CODEC_ERRMSG_MAX];

    ck_assert_ptr_nonnull(text);
    for (unsigned n = CAPS_FP_RULES_MAX; n <= CAPS_FP_RULES_MAX + 1; n++) {
        size_t len = (size_t)snprintf(text, cap, "%s", head);
        for (unsigned i = 0; i < n; i++)
            len += (size_t)snprintf(text + len, cap - len, rule, i, i, i + 1 < n ? "," : "");
        len += (size_t)snprintf(text + len, cap - len, "]}\n");
        ck_assert_uint_lt(len, cap);
        memset(&db, 0, sizeof db);
        int rc = codec_fp_parse(text, len, "big.json", &db, err);
        if (n == CAPS_FP_RULES_MAX) {
            ck_assert_msg(rc == 0, "%s", err);
            ck_assert_uint_eq(db.db.count, CAPS_FP_RULES_MAX);
            ck_assert_str_eq(db.rules[CAPS_FP_RULES_MAX - 1].id, "r4095");
        } else {
            ck_assert_int_eq(rc, -1);
            ck_assert_str_eq(err, "big.json:1:44: rules: at most 4096 rules in all, got 4097 "
                                  "here after 0 loaded before");
        }
        codec_fp_free(&db);
    }
    free(text);

    /* An id of exactly 47 characters, a pattern of 127 bytes, texts of 31
     * bytes and a note of 300 are fine. */
    char doc[1024];
    char id[48], pattern[128], txt[32], note[301];
    memset(id, 'i', 47);
    id[47] = '\0';
    memset(pattern, 'p', 126);
    pattern[126] = '*';
    pattern[127] = '\0';
    memset(txt, 't', 29);
    memcpy(txt + 29, "$1", 3);
    memset(note, 'n', 300);
    note[300] = '\0';
    int len = snprintf(doc, sizeof doc,
                       "{\"format\": \"caps-fingerprints/1\", \"rules\": [{\"id\": \"%s\", "
                       "\"kind\": \"ssdp_server\", \"match\": \"%s\", \"os\": \"linux\", "
                       "\"os_version\": \"%s\", \"manufacturer\": \"%s\", \"model\": \"%s\", "
                       "\"score\": 0.5, \"note\": \"%s\"}]}",
                       id, pattern, txt, txt, txt, note);
    ck_assert_int_gt(len, 0);
    ck_assert_uint_lt((size_t)len, sizeof doc);
    memset(&db, 0, sizeof db);
    ck_assert_msg(codec_fp_parse(doc, (size_t)len, "max.json", &db, err) == 0, "%s", err);
    ck_assert_str_eq(db.rules[0].id, id);
    ck_assert_str_eq(db.rules[0].pattern, pattern);
    ck_assert_str_eq(db.rules[0].model, txt);
    codec_fp_free(&db);

    /* Empty rules: a valid, empty database. */
    static const char empty[] = "{\"rules\": [], \"format\": \"caps-fingerprints/1\"}";
    memset(&db, 0, sizeof db);
    ck_assert_msg(codec_fp_parse(empty, strlen(empty), "e.json", &db, err) == 0, "%s", err);
    ck_assert_uint_eq(db.db.count, 0);
    codec_fp_free(&db);
}
END_TEST

START_TEST(parse_appends_and_keeps_ids_unique)
{
    static const char first[] =
        "{\"format\": \"caps-fingerprints/1\", \"rules\": [\n"
        "  {\"id\": \"a\", \"kind\": \"hostname\", \"match\": \"a*\", \"os\": \"linux\", \"score\": 0.5},\n"
        "  {\"id\": \"b\", \"kind\": \"hostname\", \"match\": \"b*\", \"os\": \"ios\", \"score\": 0.5}\n"
        "]}\n";
    static const char second[] =
        "{\"format\": \"caps-fingerprints/1\", \"rules\": [\n"
        "  {\"id\": \"c\", \"kind\": \"hostname\", \"match\": \"c*\", \"os\": \"linux\", \"score\": 0.5},\n"
        "  {\"id\": \"b\", \"kind\": \"hostname\", \"match\": \"d*\", \"os\": \"linux\", \"score\": 0.5}\n"
        "]}\n";
    static const char third[] =
        "{\"format\": \"caps-fingerprints/1\", \"rules\": [\n"
        "  {\"id\": \"c\", \"kind\": \"hostname\", \"match\": \"c*\", \"os\": \"linux\", \"score\": 0.5}\n"
        "]}\n";
    struct codec_fp_db db;
    char err[CODEC_ERRMSG_MAX];

    memset(&db, 0, sizeof db);
    ck_assert_int_eq(codec_fp_parse(first, strlen(first), "one.json", &db, err), 0);
    ck_assert_int_eq(codec_fp_parse(second, strlen(second), "two.json", &db, err), -1);
    ck_assert_str_eq(err, "two.json:3:10: rules[1].id: duplicate id \"b\", also used by rule 1 "
                          "of a file loaded before");
    /* The failed file left nothing behind. */
    ck_assert_uint_eq(db.db.count, 2);
    ck_assert_str_eq(db.rules[1].id, "b");
    ck_assert_int_eq(codec_fp_parse(third, strlen(third), "three.json", &db, err), 0);
    ck_assert_uint_eq(db.db.count, 3);
    ck_assert_ptr_eq(db.db.rules, db.rules);
    ck_assert_str_eq(db.rules[2].id, "c");
    codec_fp_free(&db);
}
END_TEST

/* ---- files ---- */

struct tmp_dir {
    char path[64];
};

static void tmp_dir_make(struct tmp_dir *d)
{
    snprintf(d->path, sizeof d->path, "/tmp/caps-fp-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(d->path));
}

static void tmp_write(const struct tmp_dir *d, const char *name, const char *text, char *path,
                      size_t cap)
{
    snprintf(path, cap, "%s/%s", d->path, name);
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fwrite(text, 1, strlen(text), f), strlen(text));
    ck_assert_int_eq(fclose(f), 0);
}

static void tmp_dir_remove(const struct tmp_dir *d, const char *const *names, size_t n)
{
    char path[128];
    for (size_t i = 0; i < n; i++) {
        snprintf(path, sizeof path, "%s/%s", d->path, names[i]);
        unlink(path);
    }
    rmdir(d->path);
}

static const char base_doc[] =
    "{\"format\": \"caps-fingerprints/1\", \"rules\": [\n"
    "  {\"id\": \"b1\", \"kind\": \"dhcp_vendor_class\", \"match\": \"MSFT *\", \"os\": \"windows\", \"score\": 0.5},\n"
    "  {\"id\": \"b2\", \"kind\": \"hostname\", \"match\": \"*\", \"os\": \"linux\", \"score\": 0.1},\n"
    "  {\"id\": \"b3\", \"kind\": \"ip_ttl\", \"match\": \"128\", \"os\": \"windows\", \"score\": 0.3}\n"
    "]}\n";

static const char local_doc[] =
    "{\"format\": \"caps-fingerprints/1\", \"rules\": [\n"
    "  {\"id\": \"l1\", \"kind\": \"dhcp_vendor_class\", \"match\": \"MSFT 5.0\", \"os\": \"linux\", \"score\": 0.9},\n"
    "  {\"id\": \"l2\", \"kind\": \"hostname\", \"match\": \"lab-*\", \"device_type\": \"server\", \"score\": 0.4}\n"
    "]}\n";

static const char local_dup_doc[] =
    "{\"format\": \"caps-fingerprints/1\", \"rules\": [\n"
    "  {\"id\": \"l1\", \"kind\": \"hostname\", \"match\": \"x\", \"os\": \"linux\", \"score\": 0.9},\n"
    "  {\"id\": \"b2\", \"kind\": \"hostname\", \"match\": \"y\", \"os\": \"linux\", \"score\": 0.9}\n"
    "]}\n";

static const char local_bad_doc[] =
    "{\"format\": \"caps-fingerprints/1\", \"rules\": [\n"
    "  {\"id\": \"l1\", \"kind\": \"hostname\", \"match\": \"x\", \"os\": \"linux\", \"score\": 0}\n"
    "]}\n";

START_TEST(load_local_first)
{
    static const char *const names[] = {"base.json", "local.json"};
    struct tmp_dir d;
    char base[128], local[128];
    struct codec_fp_db db;
    char err[CODEC_ERRMSG_MAX];

    tmp_dir_make(&d);
    tmp_write(&d, names[0], base_doc, base, sizeof base);
    tmp_write(&d, names[1], local_doc, local, sizeof local);

    /* Base alone. */
    ck_assert_msg(codec_fp_load(base, NULL, &db, err) == 0, "%s", err);
    ck_assert_uint_eq(db.db.count, 3);
    ck_assert_uint_eq(db.local_count, 0);
    ck_assert_int_eq(caps_fp_db_match(&db.db, CAPS_EV_DHCP_VENDOR_CLASS, "MSFT 5.0", NULL, 0), 0);
    codec_fp_free(&db);

    /* Local first, each file in its own order. */
    ck_assert_msg(codec_fp_load(base, local, &db, err) == 0, "%s", err);
    ck_assert_uint_eq(db.db.count, 5);
    ck_assert_uint_eq(db.local_count, 2);
    static const char *const order[] = {"l1", "l2", "b1", "b2", "b3"};
    for (size_t i = 0; i < 5; i++)
        ck_assert_str_eq(db.rules[i].id, order[i]);
    ck_assert_ptr_eq(db.db.rules, db.rules);
    /* The local rule shadows the base rule for the same value. */
    ck_assert_int_eq(caps_fp_db_match(&db.db, CAPS_EV_DHCP_VENDOR_CLASS, "MSFT 5.0", NULL, 0), 0);
    ck_assert_int_eq(caps_fp_db_match(&db.db, CAPS_EV_DHCP_VENDOR_CLASS, "MSFT 6.0", NULL, 0), 2);
    ck_assert_int_eq(caps_fp_db_match(&db.db, CAPS_EV_HOSTNAME, "lab-7", NULL, 0), 1);
    ck_assert_int_eq(caps_fp_db_match(&db.db, CAPS_EV_HOSTNAME, "desk", NULL, 0), 3);
    codec_fp_free(&db);
    tmp_dir_remove(&d, names, 2);
}
END_TEST

START_TEST(load_errors)
{
    static const char *const names[] = {"base.json", "dup.json", "bad.json", "broken.json"};
    struct tmp_dir d;
    char base[128], dup[128], bad[128], broken[128], missing[128], want[CODEC_ERRMSG_MAX + 128];
    struct codec_fp_db db;
    char err[CODEC_ERRMSG_MAX];

    tmp_dir_make(&d);
    tmp_write(&d, names[0], base_doc, base, sizeof base);
    tmp_write(&d, names[1], local_dup_doc, dup, sizeof dup);
    tmp_write(&d, names[2], local_bad_doc, bad, sizeof bad);
    tmp_write(&d, names[3], "{\"format\": \"caps-fingerprints/1\",\n \"rules\": [\n", broken,
              sizeof broken);
    snprintf(missing, sizeof missing, "%s/missing.json", d.path);

    /* A local rule reusing a base id: reported at the local rule, with the
     * base rule's place. */
    ck_assert_int_eq(codec_fp_load(base, dup, &db, err), -1);
    snprintf(want, sizeof want, "%s:3:10: rules[1].id: duplicate id \"b2\", also used at "
             "%s:3:10 (rules[1].id)", dup, base);
    ck_assert_str_eq(err, want);
    ck_assert_ptr_null(db.rules);
    ck_assert_uint_eq(db.db.count, 0);
    ck_assert_uint_eq(db.local_count, 0);

    ck_assert_int_eq(codec_fp_load(base, bad, &db, err), -1);
    snprintf(want, sizeof want, "%s:2:74: rules[0].score: must be a number in (0, 1], got 0", bad);
    ck_assert_str_eq(err, want);
    ck_assert_ptr_null(db.rules);

    ck_assert_int_eq(codec_fp_load(bad, NULL, &db, err), -1);
    ck_assert_str_eq(err, want);

    ck_assert_int_eq(codec_fp_load(broken, NULL, &db, err), -1);
    /* cJSON places a text that ends early at its last byte. */
    snprintf(want, sizeof want, "%s:2:12: invalid JSON, got \"\\n\"", broken);
    ck_assert_str_eq(err, want);

    ck_assert_int_eq(codec_fp_load(missing, NULL, &db, err), -1);
    snprintf(want, sizeof want, "%s: No such file or directory", missing);
    ck_assert_str_eq(err, want);
    ck_assert_ptr_null(db.rules);

    ck_assert_int_eq(codec_fp_load(base, missing, &db, err), -1);
    ck_assert_str_eq(err, want);
    ck_assert_ptr_null(db.rules);
    ck_assert_uint_eq(db.db.count, 0);
    tmp_dir_remove(&d, names, 4);
}
END_TEST

/* The source tree's database: skipped (with a message) while the file does
 * not exist; when it does, it must load cleanly and every rule be reachable. */
START_TEST(load_shipped_database)
{
    const char *dir = getenv("CAPS_SOURCE_DIR");
    char path[1024];
    struct codec_fp_db db;
    char err[CODEC_ERRMSG_MAX];

    if (dir == NULL || dir[0] == '\0')
        dir = CAPS_SOURCE_DIR;
    snprintf(path, sizeof path, "%s/data/fingerprints.json", dir);
    if (access(path, F_OK) != 0) {
        fprintf(stderr, "test_fingerprints: SKIP load_shipped_database: %s does not exist\n",
                path);
        return;
    }
    ck_assert_msg(codec_fp_load(path, NULL, &db, err) == 0, "%s", err);
    ck_assert_uint_gt(db.db.count, 0);
    for (uint32_t i = 0; i < db.db.count; i++) {
        const struct caps_fp_rule *r = &db.rules[i];
        ck_assert(r->kind > CAPS_EV_NONE && r->kind < CAPS_EV_KIND_COUNT);
        ck_assert(r->score_milli >= 1 && r->score_milli <= 1000);
        /* A rule whose pattern an earlier rule of its kind already has can
         * never match: the first rule wins. */
        for (uint32_t j = 0; j < i; j++)
            ck_assert_msg(!(db.rules[j].kind == r->kind &&
                            strcasecmp(db.rules[j].pattern, r->pattern) == 0),
                          "%s: rule %s can never match: %s has the same pattern \"%s\"", path,
                          r->id, db.rules[j].id, r->pattern);
    }
    codec_fp_free(&db);
}
END_TEST

Suite *suite_fingerprints(void)
{
    Suite *s = suite_create("fingerprints");
    TCase *tc = tcase_create("parse");
    tcase_add_loop_test(tc, parse_rejects, 0, (int)REJECT_CASES);
    tcase_add_test(tc, parse_valid);
    tcase_add_test(tc, parse_limits);
    tcase_add_test(tc, parse_appends_and_keeps_ids_unique);
    suite_add_tcase(s, tc);

    tc = tcase_create("load");
    tcase_add_test(tc, load_local_first);
    tcase_add_test(tc, load_errors);
    tcase_add_test(tc, load_shipped_database);
    suite_add_tcase(s, tc);
    return s;
}
