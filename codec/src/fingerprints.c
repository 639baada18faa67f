/* fingerprints.c - reads and validates fingerprint database files
 * (codec/fingerprints.h) into the rules the core matches (caps/fingerprint.h).
 *
 * The format (data/README.md says the same for people who write rules):
 *
 *   {"format": "caps-fingerprints/1",
 *    "rules": [
 *      {"id": "dhcp-prl-windows-10", "kind": "dhcp_prl",
 *       "match": "1,3,6,15,31,33,43,44,46,47,119,121,249,252",
 *       "os": "windows", "os_version": "10", "device_type": "workstation",
 *       "manufacturer": "...", "model": "...", "score": 0.6, "note": "free text"}]}
 *
 * - "format" (required): exactly "caps-fingerprints/1".
 * - "rules" (required): an array of rule objects, possibly empty. At most
 *   CAPS_FP_RULES_MAX (4096) rules in the base and local files together.
 * - Per rule, required: "id" (1..47 characters of a-z 0-9 . _ -, unique
 *   across the base and local files), "kind" (one of dhcp_prl, dhcp_options,
 *   dhcp_vendor_class, hostname, ip_ttl, browser_os, ssdp_server,
 *   ssdp_user_agent, ssdp_type, mdns_service, mdns_txt, mdns_hinfo,
 *   oui_vendor), "match" (the pattern, 1..127 bytes: '*' matches any run of
 *   characters, every other character itself, ASCII case-insensitively; the
 *   whole value must match), "score" (a number, 0 < score <= 1, kept in
 *   thousandths rounded to nearest; it must not round to 0).
 * - Per rule, optional: "os" (an OS family: windows, macos, ios, ipados,
 *   tvos, android, linux, chromeos, freebsd, embedded), "os_version" (needs
 *   "os"), "device_type" (workstation, server, nas, phone, tablet, printer,
 *   tv, media_player, speaker, camera, voip_phone, game_console, network,
 *   iot), "manufacturer", "model" (os_version, manufacturer and model: 1..31
 *   bytes; "$1" stands for what the first '*' of match matched and is allowed
 *   only when match has a '*'), "note" (free text up to 300 bytes, ignored).
 *   A rule must name at least one of os, device_type, manufacturer, model.
 * - Unknown keys and repeated keys are rejected; no value may be null.
 * - Rules are tried in file order, the first match wins; local rules come
 *   before the base rules.
 *
 * Messages: "NAME:LINE:COL: FIELD: what is wrong", placed at the offending
 * value (at the enclosing object for a missing field), e.g.
 *   data/fingerprints.json:120:18: rules[17].kind: unknown kind "dhcp_prm"
 * JSON syntax errors are placed where cJSON stopped; I/O errors name the file.
 * Members are checked in document order, so the first error in the text is
 * the one reported; checks across fields of a rule follow its last member.
 */
#include <assert.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "codec/file.h"
#include "codec/fingerprints.h"
#include "codec/inventory.h"
#include "codec/jsonpos.h"
#include "show.h"

#define FP_FORMAT "caps-fingerprints/1"
#define FP_NOTE_BYTES_MAX 300
#define FP_FILE_BYTES_MAX (16u << 20)     /* 4096 rules of ~400 bytes are under 2 MiB */
#define FP_PATH_BYTES_MAX 96              /* "rules[4095].manufacturer" and unknown keys */

#if defined(__GNUC__)
#define FP_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define FP_PRINTF(f, a)
#endif

/* A file already loaded, whose rules an id may collide with. */
struct fp_prior {
    const char *text;
    size_t len;
    const char *name;
    uint32_t first;              /* index in the database of its rules[0] */
    uint32_t count;
};

struct fp_reader {
    const char *text;
    size_t len;
    const char *name;
    char *err;                   /* CODEC_ERRMSG_MAX bytes */
};

/* ---- messages ---------------------------------------------------------- */

/* Writes "NAME:LINE:COL: FIELD: " (no "FIELD: " when field is "") and the
 * formatted text into rd->err, placed at the value at path place. Returns -1. */
FP_PRINTF(4, 5)
static int fail(const struct fp_reader *rd, const char *place, const char *field,
                const char *fmt, ...)
{
    int line, col;
    va_list ap;

    codec_json_locate_nearest(rd->text, rd->len, place, &line, &col);
    int n = snprintf(rd->err, CODEC_ERRMSG_MAX, "%s:%d:%d: %s%s", rd->name, line, col, field,
                     field[0] != '\0' ? ": " : "");
    if (n < 0 || n >= CODEC_ERRMSG_MAX)
        return -1;
    va_start(ap, fmt);
    vsnprintf(rd->err + n, CODEC_ERRMSG_MAX - (size_t)n, fmt, ap);
    va_end(ap);
    return -1;
}

/* ---- the document ------------------------------------------------------ */

/* Checks member m of the object at path: known and not seen before. Returns
 * its index in keys, or -1 with the error written. */
static int member_check(const struct fp_reader *rd, const cJSON *m, const char *path,
                        const char *const *keys, int nkeys, const cJSON **seen)
{
    char place[FP_PATH_BYTES_MAX];
    char shown[CODEC_SHOWN_BUF_BYTES];
    const char *key = m->string != NULL ? m->string : "";

    int n = snprintf(place, sizeof place, "%s%s%s", path, path[0] != '\0' ? "." : "", key);
    if (n < 0 || (size_t)n >= sizeof place || key[strcspn(key, ".[]")] != '\0')
        snprintf(place, sizeof place, "%s", path);   /* not addressable: the object */
    int k = codec_key_index(key, keys, nkeys);
    if (k < 0)
        return fail(rd, place, path, "unknown key %s", codec_show_str(key, shown));
    if (seen[k] != NULL)
        return fail(rd, path, path, "key %s appears twice", codec_show_str(key, shown));
    seen[k] = m;
    return k;
}

/* "path.key" into out (FP_PATH_BYTES_MAX bytes). Rule paths are short
 * ("rules[4095]") and keys are known, so it always fits. */
static const char *join(char out[FP_PATH_BYTES_MAX], const char *path, const char *key)
{
    int n = snprintf(out, FP_PATH_BYTES_MAX, "%s.%s", path, key);
    assert(n > 0 && n < FP_PATH_BYTES_MAX);
    if (n < 0 || n >= FP_PATH_BYTES_MAX)
        out[0] = '\0';
    return out;
}

/* ---- rules ------------------------------------------------------------- */

enum rule_key {
    RK_ID, RK_KIND, RK_MATCH, RK_SCORE, RK_OS, RK_OS_VERSION, RK_DEVICE_TYPE,
    RK_MANUFACTURER, RK_MODEL, RK_NOTE, RK_COUNT
};

static const char *const rule_keys[RK_COUNT] = {
    "id", "kind", "match", "score", "os", "os_version", "device_type",
    "manufacturer", "model", "note",
};

/* Open-addressing set of the ids of the database's rules (indices + 1), so
 * uniqueness costs O(1) per rule. */
struct id_set {
    uint32_t *slots;
    uint32_t mask;
};

static uint32_t id_hash(const char *id)
{
    uint32_t h = 2166136261u;   /* FNV-1a */
    for (const unsigned char *p = (const unsigned char *)id; *p != '\0'; p++)
        h = (h ^ *p) * 16777619u;
    return h;
}

/* Index of the rule with this id, or -1; inserts index when absent. */
static int64_t id_set_add(struct id_set *set, const struct caps_fp_rule *rules, const char *id,
                          uint32_t index)
{
    /* Load <= 1/2: a free slot is always found within mask + 1 probes. */
    for (uint32_t h = id_hash(id), i = 0; i <= set->mask; i++) {
        uint32_t *slot = &set->slots[(h + i) & set->mask];
        if (*slot == 0) {
            *slot = index + 1;
            return -1;
        }
        if (strcmp(rules[*slot - 1].id, id) == 0)
            return (int64_t)*slot - 1;
    }
    return -1;
}

/* A string member of 1..max bytes; writes it into dst (capacity > max). */
static int read_text(const struct fp_reader *rd, const cJSON *m, const char *field,
                     size_t max, char *dst)
{
    char shown[CODEC_SHOWN_BUF_BYTES];

    if (!cJSON_IsString(m))
        return fail(rd, field, field, "must be a string, got %s", codec_show(m, shown));
    size_t n = strlen(m->valuestring);
    if (n < 1 || n > max)
        return fail(rd, field, field, "must be 1..%zu bytes, got %zu", max, n);
    memcpy(dst, m->valuestring, n + 1);
    return 0;
}

static int read_id(const struct fp_reader *rd, const cJSON *m, const char *field, char *dst)
{
    char shown[CODEC_SHOWN_BUF_BYTES];

    if (!cJSON_IsString(m))
        return fail(rd, field, field, "must be a string, got %s", codec_show(m, shown));
    const char *id = m->valuestring;
    size_t n = strlen(id);
    if (n < 1 || n > CAPS_FP_ID_MAX - 1)
        return fail(rd, field, field, "must be 1..%d characters, got %zu", CAPS_FP_ID_MAX - 1,
                    n);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)id[i];
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-')
            continue;
        char ch[8];
        if (c >= 0x21 && c < 0x7f)
            snprintf(ch, sizeof ch, "'%c'", c);
        else
            snprintf(ch, sizeof ch, "0x%02x", c);
        return fail(rd, field, field, "may hold only a-z 0-9 . _ -, got %s in %s", ch,
                    codec_show(m, shown));
    }
    memcpy(dst, id, n + 1);
    return 0;
}

/* One enumerated name; parse returns the value or -1. */
static int read_name(const struct fp_reader *rd, const cJSON *m, const char *field,
                     int (*parse)(const char *), const char *what, uint8_t *dst)
{
    char shown[CODEC_SHOWN_BUF_BYTES];

    if (!cJSON_IsString(m))
        return fail(rd, field, field, "must be a string, got %s", codec_show(m, shown));
    int v = parse(m->valuestring);
    if (v <= 0)
        return fail(rd, field, field, "unknown %s %s", what, codec_show(m, shown));
    *dst = (uint8_t)v;
    return 0;
}

static int read_score(const struct fp_reader *rd, const cJSON *m, const char *field,
                      uint16_t *dst)
{
    char shown[CODEC_SHOWN_BUF_BYTES];

    if (!cJSON_IsNumber(m) || !(m->valuedouble > 0.0 && m->valuedouble <= 1.0))
        return fail(rd, field, field, "must be a number in (0, 1], got %s", codec_show(m, shown));
    /* Positive, so the cast truncates like floor: round half up. */
    uint16_t milli = (uint16_t)(m->valuedouble * 1000.0 + 0.5);
    if (milli < 1)
        return fail(rd, field, field, "must round to at least 0.001 (scores are kept in "
                    "thousandths), got %s", codec_show(m, shown));
    *dst = milli;
    return 0;
}

/* Reads the rule object obj (at path) into r; seen collects its members. */
static int read_rule(const struct fp_reader *rd, const cJSON *obj, const char *path, struct caps_fp_rule *r, const cJSON *seen[RK_COUNT])
{
    char field[FP_PATH_BYTES_MAX];
    char shown[CODEC_SHOWN_BUF_BYTES];
    const cJSON *m;

    memset(r, 0, sizeof *r);
    if (!cJSON_IsObject(obj))
        return fail(rd, path, path, "must be an object, got %s", codec_show(obj, shown));
    cJSON_ArrayForEach(m, obj) {
        int k = member_check(rd, m, path, rule_keys, RK_COUNT, seen);
        if (k < 0)
            return -1;
        join(field, path, rule_keys[k]);
        int rc = 0;
        switch ((enum rule_key)k) {
        case RK_ID:
            rc = read_id(rd, m, field, r->id);
            break;
        case RK_KIND:
            rc = read_name(rd, m, field, caps_ev_kind_parse, "kind", &r->kind);
            break;
        case RK_MATCH:
            rc = read_text(rd, m, field, CAPS_FP_PATTERN_MAX - 1, r->pattern);
            break;
        case RK_SCORE:
            rc = read_score(rd, m, field, &r->score_milli);
            break;
        case RK_OS:
            rc = read_name(rd, m, field, caps_os_family_parse, "OS family", &r->os_family);
            break;
        case RK_OS_VERSION:
            rc = read_text(rd, m, field, CAPS_FP_TEXT_MAX - 1, r->os_version);
            break;
        case RK_DEVICE_TYPE:
            rc = read_name(rd, m, field, caps_device_type_parse, "device type",
                           &r->device_type);
            break;
        case RK_MANUFACTURER:
            rc = read_text(rd, m, field, CAPS_FP_TEXT_MAX - 1, r->manufacturer);
            break;
        case RK_MODEL:
            rc = read_text(rd, m, field, CAPS_FP_TEXT_MAX - 1, r->model);
            break;
        case RK_NOTE:
            if (!cJSON_IsString(m))
                rc = fail(rd, field, field, "must be a string, got %s", codec_show(m, shown));
            else if (strlen(m->valuestring) > FP_NOTE_BYTES_MAX)
                rc = fail(rd, field, field, "must be at most %d bytes, got %zu",
                          FP_NOTE_BYTES_MAX, strlen(m->valuestring));
            break;
        case RK_COUNT:
            break;
        }
        if (rc != 0)
            return -1;
    }

    /* Across fields, once every member is known good. */
    static const enum rule_key required[] = {RK_ID, RK_KIND, RK_MATCH, RK_SCORE};
    for (size_t i = 0; i < sizeof required / sizeof required[0]; i++)
        if (seen[required[i]] == NULL) {
            join(field, path, rule_keys[required[i]]);
            return fail(rd, path, field, "missing");
        }
    if (r->os_family == 0 && r->device_type == 0 && r->manufacturer[0] == '\0' &&
        r->model[0] == '\0')
        return fail(rd, path, path, "must name at least one of os, device_type, "
                    "manufacturer, model");
    if (r->os_version[0] != '\0' && r->os_family == 0) {
        join(field, path, "os_version");
        return fail(rd, field, field, "needs \"os\" in the same rule (the version of which "
                    "family?)");
    }
    if (strchr(r->pattern, '*') == NULL) {
        static const enum rule_key texts[] = {RK_OS_VERSION, RK_MANUFACTURER, RK_MODEL};
        const char *values[] = {r->os_version, r->manufacturer, r->model};
        for (size_t i = 0; i < 3; i++)
            if (strstr(values[i], "$1") != NULL) {
                join(field, path, rule_keys[texts[i]]);
                return fail(rd, field, field, "uses \"$1\" but match %s has no '*'",
                            codec_show(seen[RK_MATCH], shown));
            }
    }
    return 0;
}

/* The id of r (rules[index], at path) must be new; prior: the file loaded
 * before, for the message, or NULL. */
static int check_id(const struct fp_reader *rd, struct id_set *set,
                    const struct caps_fp_rule *rules, uint32_t index, uint32_t first_here,
                    const char *path, const struct fp_prior *prior)
{
    char field[FP_PATH_BYTES_MAX];
    char shown[CODEC_SHOWN_BUF_BYTES];
    char where[FP_PATH_BYTES_MAX];
    int line, col;

    int64_t dup = id_set_add(set, rules, rules[index].id, index);
    if (dup < 0)
        return 0;
    uint32_t j = (uint32_t)dup;
    join(field, path, "id");
    codec_show_str(rules[index].id, shown);
    if (j >= first_here) {
        snprintf(where, sizeof where, "rules[%u].id", (unsigned)(j - first_here));
        codec_json_locate_nearest(rd->text, rd->len, where, &line, &col);
        return fail(rd, field, field, "duplicate id %s, first used at %s:%d:%d (%s)", shown,
                    rd->name, line, col, where);
    }
    if (prior != NULL && j >= prior->first && j - prior->first < prior->count) {
        snprintf(where, sizeof where, "rules[%u].id", (unsigned)(j - prior->first));
        codec_json_locate_nearest(prior->text, prior->len, where, &line, &col);
        return fail(rd, field, field, "duplicate id %s, also used at %s:%d:%d (%s)", shown,
                    prior->name, line, col, where);
    }
    return fail(rd, field, field, "duplicate id %s, also used by rule %u of a file loaded "
                "before", shown, (unsigned)j);
}

/* Reads the document into out after its current rules; on error out keeps
 * its earlier rules only. */
static int read_document(const struct fp_reader *rd, const cJSON *root, struct codec_fp_db *out,
                         const struct fp_prior *prior)
{
    static const char *const top_keys[] = {"format", "rules"};
    char shown[CODEC_SHOWN_BUF_BYTES];
    const cJSON *seen[2] = {NULL, NULL};
    const cJSON *m;

    if (!cJSON_IsObject(root))
        return fail(rd, "", "", "the database must be a JSON object, got %s", codec_show(root, shown));
    cJSON_ArrayForEach(m, root) {
        int k = member_check(rd, m, "", top_keys, 2, seen);
        if (k < 0)
            return -1;
        if (k == 0 && !(cJSON_IsString(m) && strcmp(m->valuestring, FP_FORMAT) == 0))
            return fail(rd, "format", "format", "must be \"" FP_FORMAT "\", got %s",
                        codec_show(m, shown));
        if (k == 1 && !cJSON_IsArray(m))
            return fail(rd, "rules", "rules", "must be an array, got %s", codec_show(m, shown));
    }
    if (seen[0] == NULL)
        return fail(rd, "", "format", "missing (must be \"" FP_FORMAT "\")");
    if (seen[1] == NULL)
        return fail(rd, "", "rules", "missing");

    uint32_t first = out->db.count;
    int n_here = cJSON_GetArraySize(seen[1]);
    if (n_here < 0 || (uint32_t)n_here > CAPS_FP_RULES_MAX - first)
        return fail(rd, "rules", "rules", "at most %d rules in all, got %u here after %u "
                    "loaded before", CAPS_FP_RULES_MAX, (unsigned)n_here, (unsigned)first);
    uint32_t total = first + (uint32_t)n_here;
    if (n_here == 0)
        return 0;
    struct caps_fp_rule *rules = realloc(out->rules, total * sizeof *rules);
    if (rules == NULL) {
        snprintf(rd->err, CODEC_ERRMSG_MAX, "%s: %s", rd->name, strerror(ENOMEM));
        return -1;
    }
    out->rules = rules;
    out->db.rules = rules;

    struct id_set set = {NULL, 0};
    uint32_t slots = 1;
    while (slots < 2 * total)
        slots *= 2;
    set.slots = calloc(slots, sizeof *set.slots);
    if (set.slots == NULL) {
        snprintf(rd->err, CODEC_ERRMSG_MAX, "%s: %s", rd->name, strerror(ENOMEM));
        return -1;
    }
    set.mask = slots - 1;
    for (uint32_t i = 0; i < first; i++)
        (void)id_set_add(&set, rules, rules[i].id, i);   /* unique: checked when loaded */

    int rc = 0;
    uint32_t i = first;
    cJSON_ArrayForEach(m, seen[1]) {
        char path[FP_PATH_BYTES_MAX];
        const cJSON *rule_seen[RK_COUNT] = {NULL};
        snprintf(path, sizeof path, "rules[%u]", (unsigned)(i - first));
        rc = read_rule(rd, m, path, &rules[i], rule_seen);
        if (rc == 0)
            rc = check_id(rd, &set, rules, i, first, path, prior);
        if (rc != 0)
            break;
        i++;
    }
    free(set.slots);
    if (rc != 0)
        return -1;
    out->db.count = total;
    return 0;
}

static int parse_with(const char *text, size_t len, const char *name, struct codec_fp_db *out,
                      const struct fp_prior *prior, char err[CODEC_ERRMSG_MAX])
{
    struct fp_reader rd = {text, len, name, err};

    err[0] = '\0';
    cJSON *root = codec_json_parse_doc(rd.text, rd.len, rd.name, rd.err);
    if (root == NULL)
        return -1;
    int rc = read_document(&rd, root, out, prior);
    cJSON_Delete(root);
    return rc;
}

int codec_fp_parse(const char *text, size_t len, const char *name, struct codec_fp_db *out,
                   char err[CODEC_ERRMSG_MAX])
{
    int rc = parse_with(text, len, name, out, NULL, err);
    if (rc == 0)
        caps_fp_db_index(&out->db);
    return rc;
}

/* ---- files ------------------------------------------------------------- */

/* The whole file at path (caller frees), or NULL with err naming it. */
static char *read_file(const char *path, size_t *len, char err[CODEC_ERRMSG_MAX])
{
    return codec_file_read(path, FP_FILE_BYTES_MAX, len, err);
}

static void reverse_rules(struct caps_fp_rule *r, size_t n)
{
    for (size_t i = 0; i < n / 2; i++) {
        struct caps_fp_rule t = r[i];
        r[i] = r[n - 1 - i];
        r[n - 1 - i] = t;
    }
}

int codec_fp_load(const char *base_path, const char *local_path, struct codec_fp_db *out,
                  char err[CODEC_ERRMSG_MAX])
{
    size_t base_len = 0, local_len = 0;
    char *local_text = NULL;

    memset(out, 0, sizeof *out);
    err[0] = '\0';
    char *base_text = read_file(base_path, &base_len, err);
    if (base_text == NULL)
        return -1;
    /* The base first, so that a local rule reusing a base id is the one
     * reported (naming both places); then the local rules move to the front. */
    int rc = parse_with(base_text, base_len, base_path, out, NULL, err);
    uint32_t base_count = out->db.count;
    if (rc == 0 && local_path != NULL) {
        struct fp_prior prior = {base_text, base_len, base_path, 0, base_count};
        local_text = read_file(local_path, &local_len, err);
        rc = local_text == NULL ? -1
                                : parse_with(local_text, local_len, local_path, out, &prior, err);
    }
    free(base_text);
    free(local_text);
    if (rc != 0) {
        codec_fp_free(out);
        return -1;
    }
    size_t local_count = out->db.count - base_count;
    if (local_count > 0) {
        /* Rotate [base | local] into [local | base], orders kept. */
        reverse_rules(out->rules, out->db.count);
        reverse_rules(out->rules, local_count);
        reverse_rules(out->rules + local_count, base_count);
    }
    out->local_count = local_count;
    caps_fp_db_index(&out->db);
    return 0;
}

void codec_fp_free(struct codec_fp_db *db)
{
    if (db == NULL)
        return;
    free(db->rules);
    memset(db, 0, sizeof *db);
}
