/* fingerprint.c - evidence matching and label derivation (caps/fingerprint.h).
 *
 * Matching: a value (cut to CAPS_EV_VALUE_MAX - 1 bytes) is tried against the
 * rules of its kind in database order; the first rule whose '*' pattern
 * matches becomes evidence. The glob is iterative: on a mismatch it
 * backtracks to the last '*' passed, so it takes O(len(pattern) * len(text))
 * steps at worst and never recurses. It leaves every '*' as short as the
 * match allows, so the capture of the first '*' is its shortest span in the
 * final match (pattern "*.*", text "a.b.c": capture "a").
 *
 * Evidence: each rule counts once per asset, however often it is seen
 * (repetition is not new evidence; the first capture is kept). At most
 * CAPS_EVIDENCE_MAX items; when full, a new item replaces the weakest one
 * (lowest score, ties: the oldest, i.e. lowest index) only if its score is
 * strictly higher; the weakest is removed and the new item appended, so the
 * index order stays the order of arrival.
 *
 * Labels (OS family and device type, derived the same way, each separately):
 * - Support of a value c: S(c) = 1 - prod(1 - s_i) over the evidence items
 *   whose rule names c, s_i = score_milli / 1000. Integer arithmetic in units
 *   of 1e-9, factors multiplied in ascending order and rounded half up at each
 *   step, so equal evidence gives bit-equal supports on every host.
 * - Best b = argmax S over values with S > 0, ties to the smaller enum value.
 * - No value has support: the label is NONE (null), confidence 0. A label
 *   whose own evidence is gone (evicted) has support 0 and is dropped like
 *   NONE: a label is never set nor kept on zero evidence.
 * - Current label NONE (or with support 0): the label becomes b.
 * - Otherwise hysteresis: the current label is replaced by b only when
 *   S(b) > S(current) + CAPS_FP_SWITCH_MARGIN_MILLI / 1000, else it stays.
 * - Confidence of the resulting label L: S(L) * (1 - S(strongest value other
 *   than L)), rounded half up to thousandths. (When L = b that is
 *   S(b) * (1 - S(second best)).)
 * Labels are re-derived only when the evidence changes; re-deriving the same
 * evidence changes nothing.
 *
 * Details: os_version comes from the evidence naming the chosen OS family
 * with a non-empty os_version, highest score first (ties: earlier evidence);
 * manufacturer and model each from the highest-score evidence carrying one,
 * any family (ties: earlier). "$1" expands to the evidence's capture; the
 * result is cut to the caller's capacity at a UTF-8 character boundary.
 */
#include <assert.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "caps/fingerprint.h"

/* A challenger must beat the current label's support by this much (0.10),
 * so labels do not flap between two close candidates. */
#define CAPS_FP_SWITCH_MARGIN_MILLI 100

#define SUPPORT_ONE 1000000000u   /* support 1.0 in units of 1e-9 */
#define SUPPORT_PER_MILLI 1000000u
#define NO_INDEX SIZE_MAX

/* Largest expansion of a template: CAPS_FP_TEXT_MAX - 1 bytes, each "$1"
 * (2 bytes) growing into at most CAPS_EV_CAPTURE_MAX - 1 bytes. */
#define EXPAND_MAX (CAPS_FP_TEXT_MAX + (CAPS_FP_TEXT_MAX / 2) * CAPS_EV_CAPTURE_MAX)

static const char *const os_names[CAPS_OS_COUNT] = {
    NULL,      "windows", "macos", "ios",     "ipados",  "tvos",
    "android", "linux",   "chromeos", "freebsd", "embedded",
};

static const char *const device_names[CAPS_DEV_COUNT] = {
    NULL,     "workstation",  "server", "nas",        "phone",
    "tablet", "printer",      "tv",     "media_player", "speaker",
    "camera", "voip_phone",   "game_console", "network", "iot",
};

static const char *const kind_names[CAPS_EV_KIND_COUNT] = {
    NULL,           "dhcp_prl",        "dhcp_options", "dhcp_vendor_class",
    "hostname",     "ip_ttl",          "browser_os",   "ssdp_server",
    "ssdp_user_agent", "ssdp_type",    "mdns_service", "mdns_txt",
    "mdns_hinfo",   "oui_vendor",   "browser_role", "browser_comment",
};

static const char *name_of(const char *const *names, int count, int value)
{
    if (value <= 0 || value >= count)
        return NULL;
    return names[value];
}

static int parse_name(const char *const *names, int count, const char *name)
{
    if (name == NULL)
        return -1;
    for (int i = 1; i < count; i++)
        if (strcmp(names[i], name) == 0)
            return i;
    return -1;
}

const char *caps_os_family_name(int family)
{
    return name_of(os_names, CAPS_OS_COUNT, family);
}

int caps_os_family_parse(const char *name)
{
    return parse_name(os_names, CAPS_OS_COUNT, name);
}

const char *caps_device_type_name(int type)
{
    return name_of(device_names, CAPS_DEV_COUNT, type);
}

int caps_device_type_parse(const char *name)
{
    return parse_name(device_names, CAPS_DEV_COUNT, name);
}

const char *caps_ev_kind_name(int kind)
{
    return name_of(kind_names, CAPS_EV_KIND_COUNT, kind);
}

int caps_ev_kind_parse(const char *name)
{
    return parse_name(kind_names, CAPS_EV_KIND_COUNT, name);
}

static unsigned char fold(char c)
{
    unsigned char u = (unsigned char)c;
    return (u >= 'A' && u <= 'Z') ? (unsigned char)(u - 'A' + 'a') : u;
}

/* The largest n <= max that does not split a UTF-8 sequence of s[0..len). */
static size_t utf8_cut(const char *s, size_t len, size_t max)
{
    if (len <= max)
        return len;
    size_t n = max;
    while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
        n--;
    return n;
}

/* Copies src[0..len) into dst (capacity cap >= 1), cut to fit. */
static void copy_cut(char *dst, size_t cap, const char *src, size_t len)
{
    size_t n = utf8_cut(src, len, cap - 1);
    memcpy(dst, src, n);
    dst[n] = '\0';
}

int caps_fp_glob(const char *pattern, const char *text, char *capture, size_t cap)
{
    size_t p = 0, t = 0;
    size_t star = NO_INDEX;        /* pattern index of the last '*' passed */
    size_t mark = 0;               /* where that '*''s span ends so far */
    size_t first = NO_INDEX;       /* pattern index of the first '*' */
    size_t cap_start = 0, cap_end = 0;

    assert(pattern != NULL && text != NULL);
    assert(capture == NULL || cap >= 1);
    if (capture != NULL)
        capture[0] = '\0';

    /* Each step either advances t, or advances p, or moves a star's mark
     * one further: O(len(pattern) * len(text)) steps in all. */
    while (text[t] != '\0') {
        if (pattern[p] == '*') {
            star = p++;
            mark = t;
            if (first == NO_INDEX) {
                first = star;
                cap_start = t;
            }
            if (star == first)
                cap_end = t;
        } else if (pattern[p] != '\0' && fold(pattern[p]) == fold(text[t])) {
            p++;
            t++;
        } else if (star != NO_INDEX) {
            /* Give the last star one more character and retry after it.
             * Earlier stars keep their spans: the classic argument shows a
             * match exists iff one exists with them as they are. */
            p = star + 1;
            t = ++mark;
            if (star == first)
                cap_end = mark;
        } else {
            return 0;
        }
    }
    while (pattern[p] == '*') {
        if (first == NO_INDEX) {
            first = p;
            cap_start = cap_end = t;
        }
        p++;
    }
    if (pattern[p] != '\0')
        return 0;
    if (capture != NULL && first != NO_INDEX) {
        assert(cap_start <= cap_end && cap_end <= t);
        copy_cut(capture, cap, text + cap_start, cap_end - cap_start);
    }
    return 1;
}

void caps_fp_db_index(struct caps_fp_db *db)
{
    uint32_t n = 0;

    assert(db->count <= CAPS_FP_RULES_MAX);
    /* Counting pass per kind keeps database order within a kind. */
    for (int k = 0; k < CAPS_EV_KIND_COUNT; k++) {
        db->kind_start[k] = (uint16_t)n;
        for (uint32_t i = 0; i < db->count; i++)
            if (db->rules[i].kind == k)
                db->order[n++] = (uint16_t)i;
    }
    db->kind_start[CAPS_EV_KIND_COUNT] = (uint16_t)n;
    db->indexed = 1;
}

int caps_fp_db_match(const struct caps_fp_db *db, int kind, const char *value,
                     char *capture, size_t cap)
{
    char cut[CAPS_EV_VALUE_MAX];
    size_t len = 0;

    assert(capture == NULL || cap >= 1);
    if (capture != NULL)
        capture[0] = '\0';
    if (db == NULL || value == NULL || kind <= CAPS_EV_NONE || kind >= CAPS_EV_KIND_COUNT)
        return -1;
    assert(db->count <= CAPS_FP_RULES_MAX);
    /* Values longer than CAPS_EV_VALUE_MAX - 1 bytes are cut: this bounds
     * each match to O(CAPS_FP_PATTERN_MAX * CAPS_EV_VALUE_MAX) steps. */
    while (len < sizeof cut && value[len] != '\0')
        len++;
    copy_cut(cut, sizeof cut, value, len);
    if (db->indexed) {
        for (uint32_t j = db->kind_start[kind]; j < db->kind_start[kind + 1]; j++) {
            uint32_t i = db->order[j];
            if (caps_fp_glob(db->rules[i].pattern, cut, capture, cap))
                return (int)i;
        }
    } else {
        for (uint32_t i = 0; i < db->count; i++) {
            const struct caps_fp_rule *r = &db->rules[i];
            if (r->kind == kind && caps_fp_glob(r->pattern, cut, capture, cap))
                return (int)i;
        }
    }
    if (capture != NULL)
        capture[0] = '\0';
    return -1;
}

/* The rule of evidence item i, or NULL when it does not index db. */
static const struct caps_fp_rule *ev_rule(const struct caps_labels *l,
                                          const struct caps_fp_db *db, size_t i)
{
    uint16_t r = l->evidence[i].rule;
    return r < db->count ? &db->rules[r] : NULL;
}

enum label_axis { AXIS_OS, AXIS_DEVICE };

#define LABEL_VALUES_MAX ((int)CAPS_DEV_COUNT)   /* the larger of the two vocabularies */
_Static_assert((int)CAPS_OS_COUNT <= LABEL_VALUES_MAX, "OS families fit the support table");

static int rule_names(const struct caps_fp_rule *r, enum label_axis axis)
{
    return axis == AXIS_OS ? r->os_family : r->device_type;
}

/* S(value) in units of 1e-9 (see the opening comment). */
static uint64_t support_of(const struct caps_labels *l, const struct caps_fp_db *db,
                           enum label_axis axis, int value)
{
    uint16_t miss[CAPS_EVIDENCE_MAX];   /* 1 - s_i in thousandths, ascending */
    size_t n = 0;

    for (size_t i = 0; i < l->evidence_count; i++) {
        const struct caps_fp_rule *r = ev_rule(l, db, i);
        if (r == NULL || rule_names(r, axis) != value)
            continue;
        uint16_t score = r->score_milli > 1000 ? 1000 : r->score_milli;
        uint16_t m = (uint16_t)(1000u - score);
        size_t j = n++;
        while (j > 0 && miss[j - 1] > m) {
            miss[j] = miss[j - 1];
            j--;
        }
        miss[j] = m;
    }
    if (n == 0)
        return 0;
    uint64_t q = SUPPORT_ONE;
    for (size_t i = 0; i < n; i++)
        q = (q * miss[i] + 500u) / 1000u;
    return SUPPORT_ONE - q;
}

/* Re-derives one label (see the opening comment). */
static void derive(const struct caps_labels *l, const struct caps_fp_db *db,
                   enum label_axis axis, int value_count, uint8_t *label, uint16_t *conf_milli)
{
    uint64_t s[LABEL_VALUES_MAX] = {0};
    int best = 0;

    assert(value_count <= (int)(sizeof s / sizeof s[0]));
    for (int v = 1; v < value_count; v++) {
        s[v] = support_of(l, db, axis, v);
        if (s[v] > s[best])
            best = v;
    }
    int cur = *label < value_count ? *label : 0;
    int chosen = cur;
    if (best == 0)
        chosen = 0;
    else if (cur == 0 || s[cur] == 0)
        chosen = best;
    else if (s[best] > s[cur] + (uint64_t)CAPS_FP_SWITCH_MARGIN_MILLI * SUPPORT_PER_MILLI)
        chosen = best;
    uint64_t other = 0;
    for (int v = 1; v < value_count; v++)
        if (v != chosen && s[v] > other)
            other = s[v];
    /* s <= 1e9, so the product <= 1e18 fits; 1e15 of it is one thousandth. */
    uint64_t prod = s[chosen] * (SUPPORT_ONE - other);
    *label = (uint8_t)chosen;
    *conf_milli = (uint16_t)((prod + 500000000000000u) / 1000000000000000u);
}

static void derive_labels(struct caps_labels *l, const struct caps_fp_db *db)
{
    derive(l, db, AXIS_OS, CAPS_OS_COUNT, &l->os_family, &l->os_confidence_milli);
    derive(l, db, AXIS_DEVICE, CAPS_DEV_COUNT, &l->device_type, &l->device_confidence_milli);
}

int caps_fp_observe(struct caps_labels *l, const struct caps_fp_db *db, int kind,
                    const char *value, int source)
{
    char capture[CAPS_EV_CAPTURE_MAX];

    assert(l != NULL);
    assert(l->evidence_count <= CAPS_EVIDENCE_MAX);
    if (db == NULL)
        return 0;
    int idx = caps_fp_db_match(db, kind, value, capture, sizeof capture);
    if (idx < 0)
        return 0;
    for (size_t i = 0; i < l->evidence_count; i++)
        if (l->evidence[i].rule == idx)
            return 0;   /* repetition is not new evidence */

    if (l->evidence_count == CAPS_EVIDENCE_MAX) {
        size_t weakest = NO_INDEX;
        uint16_t weakest_score = 0;
        for (size_t i = 0; i < l->evidence_count; i++) {
            const struct caps_fp_rule *r = ev_rule(l, db, i);
            uint16_t score = r != NULL ? r->score_milli : 0;   /* stale: weakest */
            if (weakest == NO_INDEX || score < weakest_score) {
                weakest = i;
                weakest_score = score;
            }
        }
        if (db->rules[idx].score_milli <= weakest_score)
            return 0;
        memmove(&l->evidence[weakest], &l->evidence[weakest + 1],
                (CAPS_EVIDENCE_MAX - 1 - weakest) * sizeof l->evidence[0]);
        l->evidence_count--;
    }
    struct caps_evidence *e = &l->evidence[l->evidence_count++];
    e->rule = (uint16_t)idx;
    e->source = (uint8_t)source;
    e->kind = (uint8_t)kind;
    memcpy(e->capture, capture, sizeof e->capture);
    derive_labels(l, db);
    return 1;
}

/* Expands "$1" in tmpl with capture into out (capacity cap >= 1), cut to
 * fit at a UTF-8 boundary. Bounded by EXPAND_MAX. */
static void expand(const char *tmpl, const char *capture, char *out, size_t cap)
{
    char buf[EXPAND_MAX];
    size_t n = 0;
    size_t clen = 0;

    while (clen < CAPS_EV_CAPTURE_MAX - 1 && capture[clen] != '\0')
        clen++;
    for (size_t i = 0; i < CAPS_FP_TEXT_MAX - 1 && tmpl[i] != '\0'; i++) {
        if (tmpl[i] == '$' && tmpl[i + 1] == '1') {
            assert(n + clen <= sizeof buf);
            memcpy(buf + n, capture, clen);
            n += clen;
            i++;
        } else {
            assert(n < sizeof buf);
            buf[n++] = tmpl[i];
        }
    }
    copy_cut(out, cap, buf, n);
}

enum detail { DETAIL_OS_VERSION, DETAIL_MANUFACTURER, DETAIL_MODEL };

static const char *rule_detail(const struct caps_fp_rule *r, enum detail d)
{
    switch (d) {
    case DETAIL_OS_VERSION:
        return r->os_version;
    case DETAIL_MANUFACTURER:
        return r->manufacturer;
    case DETAIL_MODEL:
        break;
    }
    return r->model;
}

static void detail_get(const struct caps_labels *l, const struct caps_fp_db *db,
                       enum detail d, char *out, size_t cap)
{
    size_t best = NO_INDEX;
    uint16_t best_score = 0;

    assert(out != NULL && cap >= 1);
    out[0] = '\0';
    if (l == NULL || db == NULL)
        return;
    if (d == DETAIL_OS_VERSION && l->os_family == CAPS_OS_NONE)
        return;
    for (size_t i = 0; i < l->evidence_count && i < CAPS_EVIDENCE_MAX; i++) {
        const struct caps_fp_rule *r = ev_rule(l, db, i);
        if (r == NULL || rule_detail(r, d)[0] == '\0')
            continue;
        if (d == DETAIL_OS_VERSION && r->os_family != l->os_family)
            continue;
        if (best == NO_INDEX || r->score_milli > best_score) {
            best = i;
            best_score = r->score_milli;
        }
    }
    if (best != NO_INDEX)
        expand(rule_detail(ev_rule(l, db, best), d), l->evidence[best].capture, out, cap);
}

void caps_fp_os_version(const struct caps_labels *l, const struct caps_fp_db *db,
                        char *out, size_t cap)
{
    detail_get(l, db, DETAIL_OS_VERSION, out, cap);
}

void caps_fp_manufacturer(const struct caps_labels *l, const struct caps_fp_db *db,
                          char *out, size_t cap)
{
    detail_get(l, db, DETAIL_MANUFACTURER, out, cap);
}

void caps_fp_model(const struct caps_labels *l, const struct caps_fp_db *db, char *out,
                   size_t cap)
{
    detail_get(l, db, DETAIL_MODEL, out, cap);
}
