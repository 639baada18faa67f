/* scenario.c - reading a scenario file (sim/scenario.h, scenarios/README.md).
 *
 * cJSON parses; codec_json_locate places every error at its value, so a
 * message reads  scenarios/x.json:14:9: "loss" must be 0..1, got 1.5 .
 * Unknown keys are rejected by name at every level, every number is range
 * checked, and the embedded "config" object goes through the same reader and
 * messages as a configuration file (codec/config.h).
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "codec/config.h"
#include "codec/file.h"
#include "codec/jsonpos.h"
#include "sim/scenario.h"

#define SCEN_FILE_BYTES_MAX (4u << 20)       /* scenario text; real ones are a few KB */
#define SCEN_PATH_MAX 96                     /* "faults[255].duration_minutes" fits */
#define SCEN_DURATION_MIN_MAX (60u * 24u * 30u)  /* 30 simulated days */
#define SCEN_MINUTE_US 60000000ull

struct rd {
    const char *text;
    size_t len;
    const char *name;
    char *err;
};

__attribute__((format(printf, 3, 4)))
static int fail(const struct rd *r, const char *path, const char *fmt, ...)
{
    int line = 1, col = 1;
    va_list ap;

    /* The value's place; a path that cannot be found falls back to its parent. */
    codec_json_locate_nearest(r->text, r->len, path, &line, &col);
    int w = snprintf(r->err, SCEN_ERRMSG_MAX, "%s:%d:%d: ", r->name, line, col);
    va_start(ap, fmt);
    if (w > 0 && w < SCEN_ERRMSG_MAX)
        vsnprintf(r->err + w, SCEN_ERRMSG_MAX - (size_t)w, fmt, ap);
    va_end(ap);
    return -1;
}

/* A short rendering of a JSON value for messages. */
static const char *show(const cJSON *v, char out[64])
{
    char *t = cJSON_PrintUnformatted(v);
    if (t == NULL) {
        snprintf(out, 64, "?");
        return out;
    }
    size_t n = strlen(t);
    if (n > 48)
        snprintf(out, 64, "%.45s...", t);
    else
        snprintf(out, 64, "%s", t);
    free(t);
    return out;
}

/* out = base "." key, cut to SCEN_PATH_MAX - 1 bytes (paths are short; a cut
 * one only places a message less precisely). */
static void join(char *out, const char *base, const char *key)
{
    size_t o = 0;
    for (const char *p = base; *p != '\0' && o + 1 < SCEN_PATH_MAX; p++)
        out[o++] = *p;
    if (base[0] != '\0' && o + 1 < SCEN_PATH_MAX)
        out[o++] = '.';
    for (const char *p = key; *p != '\0' && o + 1 < SCEN_PATH_MAX; p++)
        out[o++] = *p;
    out[o] = '\0';
}

static int keys_check(const struct rd *r, const cJSON *obj, const char *path,
                      const char *const *keys, size_t n)
{
    char p[SCEN_PATH_MAX], shown[64];
    const cJSON *m;

    if (!cJSON_IsObject(obj))
        return fail(r, path, "\"%s\" must be an object, got %s", path[0] ? path : "scenario",
                    show(obj, shown));
    cJSON_ArrayForEach(m, obj) {
        size_t i = 0;
        while (i < n && strcmp(m->string, keys[i]) != 0)
            i++;
        join(p, path, m->string);
        if (i == n)
            return fail(r, p, "unknown key \"%s\"", m->string);
        for (const cJSON *o = obj->child; o != m; o = o->next)
            if (strcmp(o->string, m->string) == 0)
                return fail(r, p, "key \"%s\" given twice", m->string);
    }
    return 0;
}

static int read_number(const struct rd *r, const cJSON *obj, const char *path, const char *key,
                       double lo, double hi, int integer, double *out)
{
    char p[SCEN_PATH_MAX], shown[64];
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);

    if (v == NULL)
        return 1;                      /* absent: caller keeps its default */
    join(p, path, key);
    if (!cJSON_IsNumber(v))
        return fail(r, p, "\"%s\" must be a number, got %s", key, show(v, shown));
    double d = v->valuedouble;
    if (integer && d != floor(d))
        return fail(r, p, "\"%s\" must be an integer, got %s", key, show(v, shown));
    if (!(d >= lo && d <= hi)) {
        if (integer)
            return fail(r, p, "\"%s\" must be %.0f..%.0f, got %s", key, lo, hi, show(v, shown));
        return fail(r, p, "\"%s\" must be %g..%g, got %s", key, lo, hi, show(v, shown));
    }
    *out = d;
    return 0;
}

static int read_string(const struct rd *r, const cJSON *obj, const char *path, const char *key,
                       size_t cap, int required, char *out)
{
    char p[SCEN_PATH_MAX], shown[64];
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);

    join(p, path, key);
    if (v == NULL) {
        if (required)
            return fail(r, path, "\"%s\" is required", key);
        return 1;
    }
    if (!cJSON_IsString(v))
        return fail(r, p, "\"%s\" must be a string, got %s", key, show(v, shown));
    size_t n = strlen(v->valuestring);
    if (n == 0 || n >= cap)
        return fail(r, p, "\"%s\" must be 1..%zu characters, got %s", key, cap - 1,
                    show(v, shown));
    memcpy(out, v->valuestring, n + 1);
    return 0;
}

/* "YYYY-MM-DDTHH:MM:SSZ" to microseconds since the epoch. */
static int rfc3339_us(const char *s, uint64_t *out)
{
    unsigned y, mo, d, h, mi, se;
    char z;
    if (strlen(s) != 20 || sscanf(s, "%4u-%2u-%2uT%2u:%2u:%2u%c", &y, &mo, &d, &h, &mi, &se, &z) != 7 ||
        z != 'Z' || y < 1970 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 59)
        return -1;
    /* Days from civil (H. Hinnant), valid for the proleptic Gregorian calendar. */
    int yy = (int)y - (mo <= 2);
    int era = yy / 400;
    unsigned yoe = (unsigned)(yy - era * 400);
    unsigned doy = (153 * (mo + (mo > 2 ? (unsigned)-3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    int64_t days = (int64_t)era * 146097 + (int64_t)doe - 719468;
    *out = ((uint64_t)days * 86400u + h * 3600u + mi * 60u + se) * 1000000u;
    return 0;
}

static int read_network(const struct rd *r, const cJSON *v, const char *path,
                        struct scen_subnet *sn)
{
    char shown[64];
    unsigned a, b, c, d, n;
    char extra;
    if (!cJSON_IsString(v) ||
        sscanf(v->valuestring, "%3u.%3u.%3u.%3u/%2u%c", &a, &b, &c, &d, &n, &extra) != 5 ||
        a > 255 || b > 255 || c > 255 || d > 255 || n < 8 || n > 30)
        return fail(r, path, "\"network\" must be a.b.c.d/n with n 8..30, got %s", show(v, shown));
    uint32_t addr = a << 24 | b << 16 | c << 8 | d;
    uint32_t mask = n == 0 ? 0 : ~0u << (32 - n);
    if ((addr & ~mask) != 0)
        return fail(r, path, "\"network\" has host bits set: %s is not a network address",
                    v->valuestring);
    sn->net[0] = (uint8_t)a;
    sn->net[1] = (uint8_t)b;
    sn->net[2] = (uint8_t)c;
    sn->net[3] = (uint8_t)d;
    sn->prefix_len = (uint8_t)n;
    return 0;
}

static int read_subnet(const struct rd *r, const cJSON *obj, struct scen_subnet *sn)
{
    static const char *const keys[] = {"hosts", "network", "mix", "churn_per_day", "mac_rotation"};
    char shown[64];
    double d;
    int rc;

    if (keys_check(r, obj, "subnet", keys, sizeof keys / sizeof keys[0]) != 0)
        return -1;
    if ((rc = read_number(r, obj, "subnet", "hosts", 1, 65535, 1, &d)) < 0)
        return -1;
    if (rc == 1)
        return fail(r, "subnet", "\"hosts\" is required");
    sn->hosts = (uint32_t)d;
    const cJSON *net = cJSON_GetObjectItemCaseSensitive(obj, "network");
    sn->net[0] = 10;
    sn->net[1] = 20;
    sn->net[2] = 0;
    sn->net[3] = 0;
    sn->prefix_len = 22;
    if (net != NULL && read_network(r, net, "subnet.network", sn) != 0)
        return -1;
    /* Network, broadcast and the gateway take three addresses. */
    uint64_t room = (1ull << (32 - sn->prefix_len)) - 3;
    if (sn->hosts > room)
        return fail(r, "subnet.hosts", "\"hosts\" must fit the network (at most %llu in a /%u), "
                    "got %u", (unsigned long long)room, sn->prefix_len, sn->hosts);
    const cJSON *mix = cJSON_GetObjectItemCaseSensitive(obj, "mix");
    if (mix != NULL) {
        if (!cJSON_IsObject(mix))
            return fail(r, "subnet.mix", "\"mix\" must be an object of profile weights, got %s",
                        show(mix, shown));
        const cJSON *m;
        cJSON_ArrayForEach(m, mix) {
            char p[SCEN_PATH_MAX];
            join(p, "subnet.mix", m->string);
            if (sn->mix_count >= SCEN_MIX_MAX)
                return fail(r, p, "\"mix\" holds at most %d profiles", SCEN_MIX_MAX);
            size_t n = strlen(m->string);
            if (n == 0 || n >= SCEN_NAME_MAX)
                return fail(r, p, "profile names must be 1..%d characters, got \"%s\"",
                            SCEN_NAME_MAX - 1, m->string);
            if (!cJSON_IsNumber(m) || !(m->valuedouble > 0) || m->valuedouble > 1e6)
                return fail(r, p, "the weight of \"%s\" must be a number in (0, 1e6], got %s",
                            m->string, show(m, shown));
            memcpy(sn->mix[sn->mix_count].profile, m->string, n + 1);
            sn->mix[sn->mix_count].weight = m->valuedouble;
            sn->mix_count++;
        }
    }
    if (read_number(r, obj, "subnet", "churn_per_day", 0, 1, 0, &sn->churn_per_day) < 0)
        return -1;
    const cJSON *rot = cJSON_GetObjectItemCaseSensitive(obj, "mac_rotation");
    if (rot != NULL) {
        if (!cJSON_IsBool(rot))
            return fail(r, "subnet.mac_rotation", "\"mac_rotation\" must be true or false, got %s",
                        show(rot, shown));
        sn->mac_rotation = cJSON_IsTrue(rot);
    }
    return 0;
}

static int read_bool(const struct rd *r, const cJSON *obj, const char *path, const char *key,
                     int *out)
{
    char p[SCEN_PATH_MAX], shown[64];
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);

    if (v == NULL)
        return 1;
    join(p, path, key);
    if (!cJSON_IsBool(v))
        return fail(r, p, "\"%s\" must be true or false, got %s", key, show(v, shown));
    *out = cJSON_IsTrue(v);
    return 0;
}

static int read_election(const struct rd *r, const cJSON *obj, struct scen_election *el)
{
    static const char *const keys[] = {"advert_interval_seconds", "preempt"};
    double d;
    int rc;

    if (keys_check(r, obj, "election", keys, sizeof keys / sizeof keys[0]) != 0)
        return -1;
    el->enabled = 1;
    el->advert_interval_us = 120000000u;
    if ((rc = read_number(r, obj, "election", "advert_interval_seconds", 0.001, 3600, 0, &d)) < 0)
        return -1;
    if (rc == 0)
        el->advert_interval_us = (uint64_t)llround(d * 1e6);
    return read_bool(r, obj, "election", "preempt", &el->preempt) < 0 ? -1 : 0;
}

static int read_cloud(const struct rd *r, const cJSON *obj, struct scen_cloud *c,
                      const struct caps_config *cfg)
{
    static const char *const keys[] = {"upload_interval_seconds", "answer_delay_ms"};
    double d;
    int rc;

    if (keys_check(r, obj, "cloud", keys, sizeof keys / sizeof keys[0]) != 0)
        return -1;
    c->enabled = 1;
    c->upload_interval_us = (uint64_t)cfg->upload_interval_min * SCEN_MINUTE_US;
    if ((rc = read_number(r, obj, "cloud", "upload_interval_seconds", 1, 86400, 0, &d)) < 0)
        return -1;
    if (rc == 0)
        c->upload_interval_us = (uint64_t)llround(d * 1e6);
    if ((rc = read_number(r, obj, "cloud", "answer_delay_ms", 0, 600000, 0, &d)) < 0)
        return -1;
    if (rc == 0)
        c->answer_delay_us = (uint64_t)llround(d * 1e3);
    return 0;
}

static int read_link(const struct rd *r, const cJSON *obj, struct scen_link *l)
{
    static const char *const keys[] = {"delay_ms", "jitter_ms", "loss", "duplicate"};
    double d;
    int rc;

    if (keys_check(r, obj, "link", keys, sizeof keys / sizeof keys[0]) != 0)
        return -1;
    if ((rc = read_number(r, obj, "link", "delay_ms", 0, 60000, 0, &d)) < 0)
        return -1;
    if (rc == 0)
        l->delay_us = (uint64_t)llround(d * 1000.0);
    if ((rc = read_number(r, obj, "link", "jitter_ms", 0, 60000, 0, &d)) < 0)
        return -1;
    if (rc == 0)
        l->jitter_us = (uint64_t)llround(d * 1000.0);
    if (read_number(r, obj, "link", "loss", 0, 1, 0, &l->loss) < 0 ||
        read_number(r, obj, "link", "duplicate", 0, 1, 0, &l->duplicate) < 0)
        return -1;
    return 0;
}

static int agent_index(const struct scen_scenario *sc, const char *name)
{
    for (uint32_t i = 0; i < sc->agent_count; i++)
        if (strcmp(sc->agents[i].name, name) == 0)
            return (int)i;
    return -1;
}

static int read_agents(const struct rd *r, const cJSON *arr, struct scen_scenario *sc)
{
    static const char *const keys[] = {"name", "priority", "dns_suffix", "clock_skew_ms",
                                       "clock_drift_ppm", "start_minute", "rogue"};
    char path[SCEN_PATH_MAX], shown[64];
    const cJSON *a;
    double d;
    int rc;

    if (!cJSON_IsArray(arr) || cJSON_GetArraySize(arr) < 1 ||
        cJSON_GetArraySize(arr) > SCEN_AGENTS_MAX)
        return fail(r, "agents", "\"agents\" must be an array of 1..%d agents, got %s",
                    SCEN_AGENTS_MAX, show(arr, shown));
    cJSON_ArrayForEach(a, arr) {
        struct scen_agent *ag = &sc->agents[sc->agent_count];
        snprintf(path, sizeof path, "agents[%u]", sc->agent_count);
        if (keys_check(r, a, path, keys, sizeof keys / sizeof keys[0]) != 0 ||
            read_string(r, a, path, "name", SCEN_NAME_MAX, 1, ag->name) < 0)
            return -1;
        if (agent_index(sc, ag->name) >= 0) {
            char p[SCEN_PATH_MAX];
            join(p, path, "name");
            return fail(r, p, "agent name \"%s\" is used twice", ag->name);
        }
        ag->priority = 100;
        if ((rc = read_number(r, a, path, "priority", 1, 254, 1, &d)) < 0)
            return -1;
        if (rc == 0)
            ag->priority = (uint32_t)d;
        if (read_string(r, a, path, "dns_suffix", CAPS_DOMAIN_NAME_MAX, 0, ag->dns_suffix) < 0)
            return -1;
        if ((rc = read_number(r, a, path, "clock_skew_ms", -3600000, 3600000, 0, &d)) < 0)
            return -1;
        if (rc == 0)
            ag->clock_skew_us = (int64_t)llround(d * 1000.0);
        if ((rc = read_number(r, a, path, "clock_drift_ppm", -1000, 1000, 1, &d)) < 0)
            return -1;
        if (rc == 0)
            ag->clock_drift_ppm = (int32_t)d;
        if ((rc = read_number(r, a, path, "start_minute", 0, SCEN_DURATION_MIN_MAX, 0, &d)) < 0)
            return -1;
        if (rc == 0)
            ag->start_us = (uint64_t)llround(d * (double)SCEN_MINUTE_US);
        if (read_bool(r, a, path, "rogue", &ag->rogue) < 0)
            return -1;
        sc->agent_count++;
    }
    return 0;
}

static const char *const fault_names[SCEN_FAULT_KIND_COUNT] = {
    NULL, "crash", "restart", "stop", "leave_premises", "partition", "heal", "loss", "cloud_outage",
    "cloud_lost_ack", "cloud_slow",
};

static int read_faults(const struct rd *r, const cJSON *arr, struct scen_scenario *sc)
{
    static const char *const keys[] = {"at_minute", "kind", "agent", "agents", "value",
                                       "number", "duration_minutes"};
    char path[SCEN_PATH_MAX], p[SCEN_PATH_MAX], shown[64], kind[32];
    const cJSON *f;
    double d;
    int rc;

    if (!cJSON_IsArray(arr) || cJSON_GetArraySize(arr) > SCEN_FAULTS_MAX)
        return fail(r, "faults", "\"faults\" must be an array of at most %d faults, got %s",
                    SCEN_FAULTS_MAX, show(arr, shown));
    cJSON_ArrayForEach(f, arr) {
        struct scen_fault *ft = &sc->faults[sc->fault_count];
        snprintf(path, sizeof path, "faults[%u]", sc->fault_count);
        if (keys_check(r, f, path, keys, sizeof keys / sizeof keys[0]) != 0)
            return -1;
        if ((rc = read_number(r, f, path, "at_minute", 0, SCEN_DURATION_MIN_MAX, 0, &d)) < 0)
            return -1;
        if (rc == 1)
            return fail(r, path, "\"at_minute\" is required");
        ft->at_us = (uint64_t)llround(d * (double)SCEN_MINUTE_US);
        if (ft->at_us > sc->duration_us) {
            join(p, path, "at_minute");
            return fail(r, p, "\"at_minute\" must be within the duration (%llu minutes), got %g",
                        (unsigned long long)(sc->duration_us / SCEN_MINUTE_US), d);
        }
        if (read_string(r, f, path, "kind", sizeof kind, 1, kind) < 0)
            return -1;
        int k = 1;
        while (k < SCEN_FAULT_KIND_COUNT && strcmp(fault_names[k], kind) != 0)
            k++;
        join(p, path, "kind");
        if (k == SCEN_FAULT_KIND_COUNT)
            return fail(r, p, "\"kind\" must be one of crash, restart, stop, leave_premises, "
                        "partition, heal, loss, cloud_outage, cloud_lost_ack, cloud_slow, "
                        "got \"%s\"", kind);
        ft->kind = (enum scen_fault_kind)k;
        int needs_agent = k == SCEN_FAULT_CRASH || k == SCEN_FAULT_RESTART ||
                          k == SCEN_FAULT_STOP || k == SCEN_FAULT_LEAVE_PREMISES;
        if ((rc = read_string(r, f, path, "agent", SCEN_NAME_MAX, needs_agent, ft->agent)) < 0)
            return -1;
        if (rc == 0) {
            join(p, path, "agent");
            if (agent_index(sc, ft->agent) < 0)
                return fail(r, p, "\"agent\" must name an agent of \"agents\", got \"%s\"",
                            ft->agent);
        }
        if (k == SCEN_FAULT_LEAVE_PREMISES &&
            read_string(r, f, path, "value", CAPS_DOMAIN_NAME_MAX, 1, ft->value) < 0)
            return -1;
        if (k == SCEN_FAULT_LOSS) {
            if ((rc = read_number(r, f, path, "number", 0, 1, 0, &ft->number)) < 0)
                return -1;
            if (rc == 1)
                return fail(r, path, "\"number\" (the new loss rate, 0..1) is required");
        }
        if (k == SCEN_FAULT_CLOUD_SLOW) {
            if ((rc = read_number(r, f, path, "number", 0, 3600, 0, &ft->number)) < 0)
                return -1;
            if (rc == 1)
                return fail(r, path, "\"number\" (the answer delay in seconds, 0..3600) is required");
        }
        if (k == SCEN_FAULT_CLOUD_OUTAGE || k == SCEN_FAULT_CLOUD_LOST_ACK ||
            k == SCEN_FAULT_CLOUD_SLOW) {
            if (!sc->cloud.enabled) {
                join(p, path, "kind");
                return fail(r, p, "\"%s\" needs \"cloud\" in the scenario", kind);
            }
            if ((rc = read_number(r, f, path, "duration_minutes", 0, SCEN_DURATION_MIN_MAX, 0,
                                  &d)) < 0)
                return -1;
            if (rc == 1)
                return fail(r, path, "\"duration_minutes\" is required");
            ft->duration_us = (uint64_t)llround(d * (double)SCEN_MINUTE_US);
        }
        if (k == SCEN_FAULT_PARTITION) {
            const cJSON *list = cJSON_GetObjectItemCaseSensitive(f, "agents");
            const cJSON *n;
            join(p, path, "agents");
            if (!cJSON_IsArray(list) || cJSON_GetArraySize(list) < 1)
                return fail(r, list ? p : path, "\"agents\" must list the agents cut off");
            cJSON_ArrayForEach(n, list) {
                int i = cJSON_IsString(n) ? agent_index(sc, n->valuestring) : -1;
                if (i < 0)
                    return fail(r, p, "\"agents\" must name agents of \"agents\", got %s",
                                show(n, shown));
                ft->agents_mask |= 1ull << i;
            }
        }
        sc->fault_count++;
    }
    /* Stable insertion sort by time: faults at the same minute keep file order. */
    for (uint32_t i = 1; i < sc->fault_count; i++) {
        struct scen_fault t = sc->faults[i];
        uint32_t j = i;
        while (j > 0 && sc->faults[j - 1].at_us > t.at_us) {
            sc->faults[j] = sc->faults[j - 1];
            j--;
        }
        sc->faults[j] = t;
    }
    return 0;
}

static int read_random_faults(const struct rd *r, const cJSON *obj, struct scen_scenario *sc)
{
    static const char *const keys[] = {"crashes_per_agent_per_day", "restart_after_minutes",
                                       "agents"};
    static const char path[] = "random_faults";
    char p[SCEN_PATH_MAX], shown[64];
    struct scen_random_faults *rf = &sc->random_faults;
    int rc;

    if (keys_check(r, obj, path, keys, sizeof keys / sizeof keys[0]) != 0)
        return -1;
    if ((rc = read_number(r, obj, path, "crashes_per_agent_per_day", 0, 1440, 0,
                          &rf->crashes_per_day)) < 0)
        return -1;
    if (rc == 1)
        return fail(r, path, "\"crashes_per_agent_per_day\" is required");
    const cJSON *ra = cJSON_GetObjectItemCaseSensitive(obj, "restart_after_minutes");
    join(p, path, "restart_after_minutes");
    if (ra == NULL)
        return fail(r, path, "\"restart_after_minutes\" is required");
    if (!cJSON_IsArray(ra) || cJSON_GetArraySize(ra) != 2 ||
        !cJSON_IsNumber(cJSON_GetArrayItem(ra, 0)) || !cJSON_IsNumber(cJSON_GetArrayItem(ra, 1)))
        return fail(r, p, "\"restart_after_minutes\" must be [lo, hi] in minutes, got %s",
                    show(ra, shown));
    double lo = cJSON_GetArrayItem(ra, 0)->valuedouble;
    double hi = cJSON_GetArrayItem(ra, 1)->valuedouble;
    if (!(lo >= 0 && hi <= SCEN_DURATION_MIN_MAX && lo <= hi))
        return fail(r, p, "\"restart_after_minutes\" must be [lo, hi] with 0 <= lo <= hi <= %u, "
                    "got %s", SCEN_DURATION_MIN_MAX, show(ra, shown));
    rf->restart_lo_us = (uint64_t)llround(lo * (double)SCEN_MINUTE_US);
    rf->restart_hi_us = (uint64_t)llround(hi * (double)SCEN_MINUTE_US);
    const cJSON *list = cJSON_GetObjectItemCaseSensitive(obj, "agents");
    join(p, path, "agents");
    if (list == NULL || (cJSON_IsString(list) && strcmp(list->valuestring, "all") == 0)) {
        rf->agents_mask = sc->agent_count >= 64 ? ~0ull : (1ull << sc->agent_count) - 1u;
    } else {
        const cJSON *n;
        if (!cJSON_IsArray(list) || cJSON_GetArraySize(list) < 1)
            return fail(r, p, "\"agents\" must be \"all\" or a list of agent names, got %s",
                        show(list, shown));
        cJSON_ArrayForEach(n, list) {
            int i = cJSON_IsString(n) ? agent_index(sc, n->valuestring) : -1;
            if (i < 0)
                return fail(r, p, "\"agents\" must name agents of \"agents\", got %s",
                            show(n, shown));
            if (rf->agents_mask & 1ull << i)
                return fail(r, p, "\"agents\" names \"%s\" twice", n->valuestring);
            rf->agents_mask |= 1ull << i;
        }
    }
    rf->enabled = 1;
    return 0;
}

static int read_assertions(const struct rd *r, const cJSON *arr, struct scen_scenario *sc)
{
    static const char *const keys[] = {"name", "metric", "op", "threshold"};
    char path[SCEN_PATH_MAX], p[SCEN_PATH_MAX], shown[64], op[8];
    const cJSON *a;
    int rc;

    if (!cJSON_IsArray(arr) || cJSON_GetArraySize(arr) > SCEN_ASSERTIONS_MAX)
        return fail(r, "assertions", "\"assertions\" must be an array of at most %d, got %s",
                    SCEN_ASSERTIONS_MAX, show(arr, shown));
    cJSON_ArrayForEach(a, arr) {
        struct scen_assertion *as = &sc->assertions[sc->assertion_count];
        snprintf(path, sizeof path, "assertions[%u]", sc->assertion_count);
        if (keys_check(r, a, path, keys, sizeof keys / sizeof keys[0]) != 0 ||
            read_string(r, a, path, "name", SCEN_NAME_MAX, 1, as->name) < 0 ||
            read_string(r, a, path, "metric", SCEN_NAME_MAX, 1, as->metric) < 0 ||
            read_string(r, a, path, "op", sizeof op, 1, op) < 0)
            return -1;
        for (uint32_t i = 0; i < sc->assertion_count; i++)
            if (strcmp(sc->assertions[i].name, as->name) == 0) {
                join(p, path, "name");
                return fail(r, p, "assertion name \"%s\" is used twice", as->name);
            }
        join(p, path, "op");
        if (strcmp(op, ">=") == 0)
            as->cmp = SCEN_CMP_GE;
        else if (strcmp(op, "<=") == 0)
            as->cmp = SCEN_CMP_LE;
        else if (strcmp(op, "==") == 0)
            as->cmp = SCEN_CMP_EQ;
        else
            return fail(r, p, "\"op\" must be \">=\", \"<=\" or \"==\", got \"%s\"", op);
        if ((rc = read_number(r, a, path, "threshold", -1e15, 1e15, 0, &as->threshold)) < 0)
            return -1;
        if (rc == 1)
            return fail(r, path, "\"threshold\" is required");
        sc->assertion_count++;
    }
    return 0;
}

static int read_scenario(const struct rd *r, const cJSON *root, struct scen_scenario *sc)
{
    static const char *const keys[] = {"name", "seed", "duration_minutes", "start",
                                       "sample_every_minutes", "subnet", "link", "election",
                                       "cloud", "agents", "config", "faults", "random_faults",
                                       "assertions"};
    char shown[64], start[32];
    double d;
    int rc;

    if (keys_check(r, root, "", keys, sizeof keys / sizeof keys[0]) != 0 ||
        read_string(r, root, "", "name", SCEN_NAME_MAX, 1, sc->name) < 0)
        return -1;
    sc->seed = 1;
    if ((rc = read_number(r, root, "", "seed", 0, 9007199254740991.0, 1, &d)) < 0)
        return -1;
    if (rc == 0)
        sc->seed = (uint64_t)d;
    if ((rc = read_number(r, root, "", "duration_minutes", 1, SCEN_DURATION_MIN_MAX, 0, &d)) < 0)
        return -1;
    if (rc == 1)
        return fail(r, "", "\"duration_minutes\" is required");
    sc->duration_us = (uint64_t)llround(d * (double)SCEN_MINUTE_US);
    sc->start_epoch_us = 1793577600ull * 1000000u;   /* 2026-11-02T00:00:00Z */
    if ((rc = read_string(r, root, "", "start", sizeof start, 0, start)) < 0)
        return -1;
    if (rc == 0 && rfc3339_us(start, &sc->start_epoch_us) != 0)
        return fail(r, "start", "\"start\" must be a UTC time YYYY-MM-DDTHH:MM:SSZ, got \"%s\"",
                    start);
    sc->sample_every_us = 5 * SCEN_MINUTE_US;
    if ((rc = read_number(r, root, "", "sample_every_minutes", 1, 1440, 0, &d)) < 0)
        return -1;
    if (rc == 0)
        sc->sample_every_us = (uint64_t)llround(d * (double)SCEN_MINUTE_US);

    const cJSON *subnet = cJSON_GetObjectItemCaseSensitive(root, "subnet");
    if (subnet == NULL)
        return fail(r, "", "\"subnet\" is required");
    if (read_subnet(r, subnet, &sc->subnet) != 0)
        return -1;
    const cJSON *link = cJSON_GetObjectItemCaseSensitive(root, "link");
    if (link != NULL && read_link(r, link, &sc->link) != 0)
        return -1;
    const cJSON *election = cJSON_GetObjectItemCaseSensitive(root, "election");
    if (election != NULL && read_election(r, election, &sc->election) != 0)
        return -1;
    const cJSON *agents = cJSON_GetObjectItemCaseSensitive(root, "agents");
    if (agents == NULL)
        return fail(r, "", "\"agents\" is required");
    if (read_agents(r, agents, sc) != 0)
        return -1;
    const cJSON *config = cJSON_GetObjectItemCaseSensitive(root, "config");
    if (config != NULL &&
        codec_config_read_item(r->text, r->len, r->name, config, "config.", &sc->config,
                               r->err) != 0)
        return -1;
    const cJSON *cloud = cJSON_GetObjectItemCaseSensitive(root, "cloud");
    if (cloud != NULL && read_cloud(r, cloud, &sc->cloud, &sc->config) != 0)
        return -1;
    const cJSON *faults = cJSON_GetObjectItemCaseSensitive(root, "faults");
    if (faults != NULL && read_faults(r, faults, sc) != 0)
        return -1;
    const cJSON *random = cJSON_GetObjectItemCaseSensitive(root, "random_faults");
    if (random != NULL && read_random_faults(r, random, sc) != 0)
        return -1;
    const cJSON *asserts = cJSON_GetObjectItemCaseSensitive(root, "assertions");
    if (asserts != NULL && read_assertions(r, asserts, sc) != 0)
        return -1;
    (void)shown;
    return 0;
}

int scen_scenario_parse(const char *text, size_t len, const char *name,
                        struct scen_scenario *sc, char err[SCEN_ERRMSG_MAX])
{
    struct rd r = {text, len, name, err};
    const char *end = NULL;

    err[0] = '\0';
    memset(sc, 0, sizeof *sc);
    caps_config_default(&sc->config);
    cJSON *root = cJSON_ParseWithLengthOpts(text, len, &end, 0);
    if (root == NULL) {
        int line, col;
        size_t off = end != NULL && end >= text ? (size_t)(end - text) : 0;
        codec_json_line_col(text, off, &line, &col);
        snprintf(err, SCEN_ERRMSG_MAX, "%s:%d:%d: not valid JSON here", name, line, col);
        return -1;
    }
    int rc = read_scenario(&r, root, sc);
    cJSON_Delete(root);
    return rc;
}

int scen_scenario_load(const char *path, struct scen_scenario *sc, char err[SCEN_ERRMSG_MAX])
{
    char cerr[CODEC_ERRMSG_MAX];
    size_t n = 0;
    char *text = codec_file_read(path, SCEN_FILE_BYTES_MAX, &n, cerr);

    if (text == NULL) {
        snprintf(err, SCEN_ERRMSG_MAX, "%s", cerr);
        return -1;
    }
    int rc = scen_scenario_parse(text, n, path, sc, err);
    free(text);
    return rc;
}
