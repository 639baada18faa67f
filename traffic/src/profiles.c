/* profiles.c - loads device profiles (data/profiles.json, format
 * "caps-profiles/1", documented in data/profiles.md) into fixed-size structs.
 * Every error names the file and the JSON path: "FILE: profiles[3].dhcp.prl:
 * must be an array of 1..64 codes 1..254". Unknown keys are errors, so a typo
 * in a profile does not silently drop a behaviour.
 */
#include "traffic/profile.h"
#include "traffic/subnet.h"

#include <cjson/cJSON.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PROFILES_FILE_BYTES_MAX (4u << 20)
#define PROFILES_MAX 256

/* The embedded copy: traffic/CMakeLists.txt runs cmake/embed.cmake and defines
 * TRAFFIC_PROFILES_EMBEDDED. Without it, load_builtin reports an error. */
#ifdef TRAFFIC_PROFILES_EMBEDDED
extern const char traffic_profiles_builtin[];
#endif

struct ctx {
    const char *file;
    char *err;
    char path[160];
};

__attribute__((format(printf, 2, 3))) static int fail(struct ctx *c, const char *fmt, ...)
{
    char msg[300];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    snprintf(c->err, 512, "%s: %s: %s", c->file, c->path, msg);
    return -1;
}

/* Sets c->path to "prefix.key". */
static void at(struct ctx *c, const char *prefix, const char *key)
{
    snprintf(c->path, sizeof c->path, "%s.%s", prefix, key);
}

static int check_keys(struct ctx *c, const cJSON *obj, const char *prefix,
                      const char *const *allowed)
{
    for (const cJSON *k = obj->child; k; k = k->next) {
        int ok = 0;
        for (size_t i = 0; allowed[i]; i++)
            if (strcmp(k->string, allowed[i]) == 0)
                ok = 1;
        if (!ok) {
            at(c, prefix, k->string);
            return fail(c, "unknown key");
        }
    }
    return 0;
}

static int get_str(struct ctx *c, const cJSON *obj, const char *prefix, const char *key,
                   char *out, size_t cap, int required)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    at(c, prefix, key);
    if (!v || cJSON_IsNull(v)) {
        if (required)
            return fail(c, "missing");
        out[0] = 0;
        return 0;
    }
    if (!cJSON_IsString(v))
        return fail(c, "must be a string");
    size_t n = strlen(v->valuestring);
    if (n >= cap)
        return fail(c, "longer than %zu bytes", cap - 1);
    memcpy(out, v->valuestring, n + 1);
    return 0;
}

static int get_num(struct ctx *c, const cJSON *obj, const char *prefix, const char *key,
                   double lo, double hi, double dflt, double *out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    at(c, prefix, key);
    if (!v) {
        *out = dflt;
        return 0;
    }
    if (!cJSON_IsNumber(v) || v->valuedouble < lo || v->valuedouble > hi)
        return fail(c, "must be a number %g..%g", lo, hi);
    *out = v->valuedouble;
    return 0;
}

static int get_u32(struct ctx *c, const cJSON *obj, const char *prefix, const char *key,
                   uint32_t lo, uint32_t hi, uint32_t dflt, uint32_t *out)
{
    double d = 0;
    if (get_num(c, obj, prefix, key, lo, hi, dflt, &d) != 0)
        return -1;
    if (d != (double)(uint32_t)d)
        return fail(c, "must be an integer");
    *out = (uint32_t)d;
    return 0;
}

static int get_bool(struct ctx *c, const cJSON *obj, const char *prefix, const char *key,
                    int dflt, int *out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    at(c, prefix, key);
    if (!v) {
        *out = dflt;
        return 0;
    }
    if (!cJSON_IsBool(v))
        return fail(c, "must be true or false");
    *out = cJSON_IsTrue(v);
    return 0;
}

static int get_codes(struct ctx *c, const cJSON *obj, const char *prefix, const char *key,
                     uint8_t *out, uint32_t cap, uint32_t *n)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    at(c, prefix, key);
    *n = 0;
    if (!v)
        return 0;
    if (!cJSON_IsArray(v))
        return fail(c, "must be an array of option codes");
    const cJSON *e;
    cJSON_ArrayForEach(e, v) {
        if (!cJSON_IsNumber(e) || e->valuedouble < 1 || e->valuedouble > 254 ||
            e->valuedouble != (double)(int)e->valuedouble)
            return fail(c, "element %u must be a code 1..254", *n);
        if (*n >= cap)
            return fail(c, "more than %u codes", cap);
        out[(*n)++] = (uint8_t)e->valuedouble;
    }
    return 0;
}

static int get_strs(struct ctx *c, const cJSON *obj, const char *prefix, const char *key,
                    char *out, size_t width, uint32_t cap, uint32_t *n)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    at(c, prefix, key);
    *n = 0;
    if (!v)
        return 0;
    if (!cJSON_IsArray(v))
        return fail(c, "must be an array of strings");
    const cJSON *e;
    cJSON_ArrayForEach(e, v) {
        if (!cJSON_IsString(e))
            return fail(c, "element %u must be a string", *n);
        if (*n >= cap)
            return fail(c, "more than %u elements", cap);
        size_t l = strlen(e->valuestring);
        if (l >= width)
            return fail(c, "element %u longer than %zu bytes", *n, width - 1);
        memcpy(out + (size_t)*n * width, e->valuestring, l + 1);
        (*n)++;
    }
    return 0;
}

static int get_obj(struct ctx *c, const cJSON *obj, const char *prefix, const char *key,
                   const cJSON **out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    at(c, prefix, key);
    *out = NULL;
    if (!v || cJSON_IsNull(v))
        return 0;
    if (!cJSON_IsObject(v))
        return fail(c, "must be an object");
    *out = v;
    return 0;
}

static int hexval(char ch)
{
    if (ch >= '0' && ch <= '9')
        return ch - '0';
    if (ch >= 'a' && ch <= 'f')
        return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F')
        return ch - 'A' + 10;
    return -1;
}

static int parse_range(struct ctx *c, const cJSON *obj, const char *prefix, const char *key,
                       uint32_t *lo, uint32_t *hi)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    at(c, prefix, key);
    *lo = *hi = 0;
    if (!v)
        return 0;
    if (!cJSON_IsArray(v) || cJSON_GetArraySize(v) != 2)
        return fail(c, "must be [min_s, max_s]");
    const cJSON *a = cJSON_GetArrayItem(v, 0), *b = cJSON_GetArrayItem(v, 1);
    if (!cJSON_IsNumber(a) || !cJSON_IsNumber(b) || a->valuedouble < 1 ||
        b->valuedouble < a->valuedouble || b->valuedouble > 7 * 86400)
        return fail(c, "must be [min_s, max_s] with 1 <= min <= max <= 604800");
    *lo = (uint32_t)a->valuedouble;
    *hi = (uint32_t)b->valuedouble;
    return 0;
}

static int parse_profile(struct ctx *c, const cJSON *o, uint32_t index, struct traffic_profile *p)
{
    char pre[48];
    char sub[64];
    snprintf(pre, sizeof pre, "profiles[%u]", index);
    static const char *const keys[] = {"name", "weight", "oui", "randomized_mac", "hostname",
                                       "ttl", "dhcp", "arp", "netbios", "ssdp", "mdns",
                                       "churn", "truth", "note", NULL};
    if (!cJSON_IsObject(o)) {
        snprintf(c->path, sizeof c->path, "%s", pre);
        return fail(c, "must be an object");
    }
    if (check_keys(c, o, pre, keys) != 0)
        return -1;
    memset(p, 0, sizeof *p);
    if (get_str(c, o, pre, "name", p->name, sizeof p->name, 1) != 0)
        return -1;
    if (get_num(c, o, pre, "weight", 0, 1e6, 1, &p->weight) != 0)
        return -1;
    uint32_t ttl;
    if (get_u32(c, o, pre, "ttl", 1, 255, 64, &ttl) != 0)
        return -1;
    p->ttl = (uint8_t)ttl;
    if (get_bool(c, o, pre, "randomized_mac", 0, &p->randomized_mac) != 0 ||
        get_str(c, o, pre, "hostname", p->hostname, sizeof p->hostname, 0) != 0)
        return -1;
    char ouis[TRAFFIC_OUI_MAX][16];
    if (get_strs(c, o, pre, "oui", &ouis[0][0], 16, TRAFFIC_OUI_MAX, &p->oui_count) != 0)
        return -1;
    if (p->oui_count == 0 && !p->randomized_mac)
        return fail(c, "needs at least one OUI unless randomized_mac");
    for (uint32_t i = 0; i < p->oui_count; i++) {
        const char *s = ouis[i];
        if (strlen(s) != 8 || s[2] != ':' || s[5] != ':')
            return fail(c, "element %u must read \"aa:bb:cc\", got \"%s\"", i, s);
        for (int b = 0; b < 3; b++) {
            int hi = hexval(s[3 * b]), lo = hexval(s[3 * b + 1]);
            if (hi < 0 || lo < 0)
                return fail(c, "element %u must read \"aa:bb:cc\", got \"%s\"", i, s);
            p->oui[i][b] = (uint8_t)(hi << 4 | lo);
        }
    }

    const cJSON *d;
    if (get_obj(c, o, pre, "dhcp", &d) != 0)
        return -1;
    if (!d)
        return fail(c, "missing");
    snprintf(sub, sizeof sub, "%s.dhcp", pre);
    static const char *const dkeys[] = {"discover", "request", "inform_options", "prl",
                                        "vendor_class", "max_msg_bytes", "client_id",
                                        "lease_request_s", "pad_to_bytes", "broadcast_flag",
                                        "inform", NULL};
    char cid[8];
    uint32_t v;
    if (check_keys(c, d, sub, dkeys) != 0 ||
        get_codes(c, d, sub, "discover", p->discover_order, TRAFFIC_OPTS_MAX,
                  &p->discover_order_len) != 0 ||
        get_codes(c, d, sub, "request", p->request_order, TRAFFIC_OPTS_MAX,
                  &p->request_order_len) != 0 ||
        get_codes(c, d, sub, "inform_options", p->inform_order, TRAFFIC_OPTS_MAX,
                  &p->inform_order_len) != 0 ||
        get_codes(c, d, sub, "prl", p->prl, sizeof p->prl, &p->prl_len) != 0 ||
        get_str(c, d, sub, "vendor_class", p->vendor_class, sizeof p->vendor_class, 0) != 0 ||
        get_u32(c, d, sub, "max_msg_bytes", 0, 65535, 0, &v) != 0)
        return -1;
    p->max_msg_bytes = (uint16_t)v;
    if (get_u32(c, d, sub, "lease_request_s", 0, 0xffffffffu, 0, &p->lease_request_s) != 0 ||
        get_u32(c, d, sub, "pad_to_bytes", 0, 576, 0, &v) != 0)
        return -1;
    p->pad_to_bytes = (uint16_t)v;
    if (get_bool(c, d, sub, "broadcast_flag", 0, &p->broadcast_flag) != 0 ||
        get_bool(c, d, sub, "inform", 0, &p->inform) != 0 ||
        get_str(c, d, sub, "client_id", cid, sizeof cid, 0) != 0)
        return -1;
    if (cid[0] == 0 || strcmp(cid, "none") == 0)
        p->client_id = TRAFFIC_CLIENT_ID_NONE;
    else if (strcmp(cid, "mac") == 0)
        p->client_id = TRAFFIC_CLIENT_ID_MAC;
    else if (strcmp(cid, "duid") == 0)
        p->client_id = TRAFFIC_CLIENT_ID_DUID;
    else
        return fail(c, "must be \"none\", \"mac\" or \"duid\", got \"%s\"", cid);
    if (p->discover_order_len == 0 || p->request_order_len == 0) {
        snprintf(c->path, sizeof c->path, "%s", sub);
        return fail(c, "\"discover\" and \"request\" option orders are required");
    }
    if (p->inform && p->inform_order_len == 0) {
        snprintf(c->path, sizeof c->path, "%s", sub);
        return fail(c, "\"inform\" needs \"inform_options\"");
    }

    const cJSON *a;
    if (get_obj(c, o, pre, "arp", &a) != 0)
        return -1;
    p->arp_probes = 3;
    p->arp_announces = 2;
    p->arp_interval_min_s = 300;
    p->arp_interval_max_s = 1200;
    if (a) {
        snprintf(sub, sizeof sub, "%s.arp", pre);
        static const char *const akeys[] = {"probes", "announces", "request_interval_s", NULL};
        if (check_keys(c, a, sub, akeys) != 0 ||
            get_u32(c, a, sub, "probes", 0, 5, 3, &p->arp_probes) != 0 ||
            get_u32(c, a, sub, "announces", 0, 5, 2, &p->arp_announces) != 0)
            return -1;
        if (cJSON_GetObjectItemCaseSensitive(a, "request_interval_s") &&
            parse_range(c, a, sub, "request_interval_s", &p->arp_interval_min_s,
                        &p->arp_interval_max_s) != 0)
            return -1;
    }

    const cJSON *nb;
    if (get_obj(c, o, pre, "netbios", &nb) != 0)
        return -1;
    if (nb) {
        snprintf(sub, sizeof sub, "%s.netbios", pre);
        static const char *const nkeys[] = {"workgroup", "refresh_s", "browser", "os_version",
                                            "server_type", "comment", NULL};
        char osv[16];
        p->nbns = 1;
        if (check_keys(c, nb, sub, nkeys) != 0 ||
            get_str(c, nb, sub, "workgroup", p->workgroup, sizeof p->workgroup, 1) != 0 ||
            get_u32(c, nb, sub, "refresh_s", 0, 7 * 86400, 0, &p->nbns_refresh_s) != 0 ||
            get_bool(c, nb, sub, "browser", 0, &p->browser) != 0 ||
            get_str(c, nb, sub, "os_version", osv, sizeof osv, 0) != 0 ||
            get_u32(c, nb, sub, "server_type", 0, 0xffffffffu, 0x00011003u,
                    &p->server_type) != 0 ||
            get_str(c, nb, sub, "comment", p->comment, sizeof p->comment, 0) != 0)
            return -1;
        if (strlen(p->workgroup) > 15)
            return fail(c, "longer than 15 characters");
        if (p->browser) {
            unsigned maj = 0, mnr = 0;
            at(c, sub, "os_version");
            if (sscanf(osv, "%u.%u", &maj, &mnr) != 2 || maj > 255 || mnr > 255)
                return fail(c, "must read \"MAJOR.MINOR\" (e.g. \"10.0\"), got \"%s\"", osv);
            p->os_major = (uint8_t)maj;
            p->os_minor = (uint8_t)mnr;
        }
    }

    const cJSON *ss;
    if (get_obj(c, o, pre, "ssdp", &ss) != 0)
        return -1;
    if (ss) {
        snprintf(sub, sizeof sub, "%s.ssdp", pre);
        static const char *const skeys[] = {"server", "max_age_s", "location", "nt",
                                            "msearch", NULL};
        if (check_keys(c, ss, sub, skeys) != 0 ||
            get_str(c, ss, sub, "server", p->ssdp_server, sizeof p->ssdp_server, 0) != 0 ||
            get_u32(c, ss, sub, "max_age_s", 60, 86400, 1800, &p->max_age_s) != 0 ||
            get_str(c, ss, sub, "location", p->location, sizeof p->location, 0) != 0 ||
            get_strs(c, ss, sub, "nt", &p->nt[0][0], sizeof p->nt[0], TRAFFIC_NT_MAX,
                     &p->nt_count) != 0)
            return -1;
        p->ssdp = p->nt_count > 0;
        if (p->ssdp && (!p->ssdp_server[0] || !p->location[0])) {
            snprintf(c->path, sizeof c->path, "%s", sub);
            return fail(c, "a device with \"nt\" needs \"server\" and \"location\"");
        }
        const cJSON *ms;
        if (get_obj(c, ss, sub, "msearch", &ms) != 0)
            return -1;
        if (ms) {
            char sub2[80];
            snprintf(sub2, sizeof sub2, "%s.msearch", sub);
            static const char *const mkeys[] = {"st", "user_agent", "interval_s", NULL};
            if (check_keys(c, ms, sub2, mkeys) != 0 ||
                get_str(c, ms, sub2, "st", p->msearch_st, sizeof p->msearch_st, 1) != 0 ||
                get_str(c, ms, sub2, "user_agent", p->msearch_ua, sizeof p->msearch_ua, 0) != 0 ||
                parse_range(c, ms, sub2, "interval_s", &p->msearch_min_s, &p->msearch_max_s) != 0)
                return -1;
            if (p->msearch_min_s == 0)
                return fail(c, "missing");
            p->msearch = 1;
        }
    }

    const cJSON *md;
    if (get_obj(c, o, pre, "mdns", &md) != 0)
        return -1;
    if (md) {
        snprintf(sub, sizeof sub, "%s.mdns", pre);
        static const char *const mkeys[] = {"hinfo", "services", "queries", "query_interval_s",
                                            NULL};
        p->mdns = 1;
        if (check_keys(c, md, sub, mkeys) != 0 ||
            get_strs(c, md, sub, "queries", &p->query[0][0], sizeof p->query[0],
                     TRAFFIC_QUERY_MAX, &p->query_count) != 0 ||
            parse_range(c, md, sub, "query_interval_s", &p->query_min_s, &p->query_max_s) != 0)
            return -1;
        if (p->query_count && p->query_min_s == 0)
            return fail(c, "queries need \"query_interval_s\"");
        const cJSON *h = cJSON_GetObjectItemCaseSensitive(md, "hinfo");
        if (h) {
            at(c, sub, "hinfo");
            if (!cJSON_IsArray(h) || cJSON_GetArraySize(h) != 2 ||
                !cJSON_IsString(cJSON_GetArrayItem(h, 0)) ||
                !cJSON_IsString(cJSON_GetArrayItem(h, 1)) ||
                strlen(cJSON_GetArrayItem(h, 0)->valuestring) >= sizeof p->hinfo_cpu ||
                strlen(cJSON_GetArrayItem(h, 1)->valuestring) >= sizeof p->hinfo_os)
                return fail(c, "must be [\"CPU\", \"OS\"] (short strings)");
            snprintf(p->hinfo_cpu, sizeof p->hinfo_cpu, "%s", cJSON_GetArrayItem(h, 0)->valuestring);
            snprintf(p->hinfo_os, sizeof p->hinfo_os, "%s", cJSON_GetArrayItem(h, 1)->valuestring);
        }
        const cJSON *svcs = cJSON_GetObjectItemCaseSensitive(md, "services");
        if (svcs) {
            at(c, sub, "services");
            if (!cJSON_IsArray(svcs))
                return fail(c, "must be an array");
            const cJSON *sv;
            cJSON_ArrayForEach(sv, svcs) {
                char sp[96];
                snprintf(sp, sizeof sp, "%s.services[%u]", sub, p->svc_count);
                if (p->svc_count >= TRAFFIC_SVC_MAX)
                    return fail(c, "more than %d services", TRAFFIC_SVC_MAX);
                struct traffic_mdns_service *x = &p->svc[p->svc_count];
                static const char *const vkeys[] = {"type", "instance", "port", "txt", NULL};
                if (!cJSON_IsObject(sv)) {
                    snprintf(c->path, sizeof c->path, "%s", sp);
                    return fail(c, "must be an object");
                }
                if (check_keys(c, sv, sp, vkeys) != 0 ||
                    get_str(c, sv, sp, "type", x->type, sizeof x->type, 1) != 0 ||
                    get_str(c, sv, sp, "instance", x->instance, sizeof x->instance, 1) != 0 ||
                    get_u32(c, sv, sp, "port", 0, 65535, 0, &v) != 0 ||
                    get_strs(c, sv, sp, "txt", &x->txt[0][0], sizeof x->txt[0], TRAFFIC_TXT_MAX,
                             &x->txt_count) != 0)
                    return -1;
                x->port = (uint16_t)v;
                p->svc_count++;
            }
        }
    }

    char churn[16];
    if (get_str(c, o, pre, "churn", churn, sizeof churn, 0) != 0)
        return -1;
    if (churn[0] == 0 || strcmp(churn, "stable") == 0)
        p->churn = TRAFFIC_CHURN_STABLE;
    else if (strcmp(churn, "daily") == 0)
        p->churn = TRAFFIC_CHURN_DAILY;
    else if (strcmp(churn, "phone") == 0)
        p->churn = TRAFFIC_CHURN_PHONE;
    else
        return fail(c, "must be \"stable\", \"daily\" or \"phone\", got \"%s\"", churn);

    const cJSON *t;
    if (get_obj(c, o, pre, "truth", &t) != 0)
        return -1;
    if (!t)
        return fail(c, "missing");
    snprintf(sub, sizeof sub, "%s.truth", pre);
    static const char *const tkeys[] = {"os_family", "os_version", "device_type",
                                        "manufacturer", "model", NULL};
    if (check_keys(c, t, sub, tkeys) != 0 ||
        get_str(c, t, sub, "os_family", p->os_family, sizeof p->os_family, 0) != 0 ||
        get_str(c, t, sub, "os_version", p->os_version, sizeof p->os_version, 0) != 0 ||
        get_str(c, t, sub, "device_type", p->device_type, sizeof p->device_type, 0) != 0 ||
        get_str(c, t, sub, "manufacturer", p->manufacturer, sizeof p->manufacturer, 0) != 0 ||
        get_str(c, t, sub, "model", p->model, sizeof p->model, 0) != 0)
        return -1;
    static const char *const families[] = {"", "windows", "macos", "ios", "ipados", "tvos",
                                           "android", "linux", "chromeos", "freebsd",
                                           "embedded", NULL};
    static const char *const types[] = {"", "workstation", "server", "nas", "phone", "tablet",
                                        "printer", "tv", "media_player", "speaker", "camera",
                                        "voip_phone", "game_console", "network", "iot", NULL};
    int ok = 0;
    for (size_t i = 0; families[i]; i++)
        ok |= strcmp(families[i], p->os_family) == 0;
    if (!ok) {
        at(c, sub, "os_family");
        return fail(c, "unknown OS family \"%s\" (see DESIGN.md)", p->os_family);
    }
    ok = 0;
    for (size_t i = 0; types[i]; i++)
        ok |= strcmp(types[i], p->device_type) == 0;
    if (!ok) {
        at(c, sub, "device_type");
        return fail(c, "unknown device type \"%s\" (see DESIGN.md)", p->device_type);
    }
    return 0;
}

int traffic_profiles_parse(const char *text, const char *name, struct traffic_profiles **out,
                           char err[512])
{
    struct ctx c = {name, err, ""};
    *out = NULL;
    cJSON *root = cJSON_Parse(text);
    if (!root) {
        const char *e = cJSON_GetErrorPtr();
        long off = e ? (long)(e - text) : -1;
        snprintf(err, 512, "%s: not valid JSON near byte %ld", name, off);
        return -1;
    }
    struct traffic_profiles *p = calloc(1, sizeof *p);
    int rc = -1;
    if (!p) {
        snprintf(err, 512, "%s: out of memory", name);
        goto done;
    }
    p->lease_s = 14400;
    snprintf(p->domain, sizeof p->domain, "lan");
    snprintf(c.path, sizeof c.path, "(root)");
    if (!cJSON_IsObject(root)) {
        fail(&c, "must be an object");
        goto done;
    }
    static const char *const rkeys[] = {"format", "names", "gateway", "profiles", "note", NULL};
    if (check_keys(&c, root, "", rkeys) != 0)
        goto done;
    char fmt[32];
    if (get_str(&c, root, "", "format", fmt, sizeof fmt, 1) != 0)
        goto done;
    if (strcmp(fmt, "caps-profiles/1") != 0) {
        fail(&c, "must be \"caps-profiles/1\", got \"%s\"", fmt);
        goto done;
    }
    if (get_strs(&c, root, "", "names", &p->names[0][0], sizeof p->names[0], TRAFFIC_NAMES_MAX,
                 &p->name_count) != 0)
        goto done;
    const cJSON *g;
    if (get_obj(&c, root, "", "gateway", &g) != 0)
        goto done;
    if (g) {
        static const char *const gkeys[] = {"lease_s", "domain", NULL};
        if (check_keys(&c, g, ".gateway", gkeys) != 0 ||
            get_u32(&c, g, ".gateway", "lease_s", 120, 30 * 86400, 14400, &p->lease_s) != 0 ||
            get_str(&c, g, ".gateway", "domain", p->domain, sizeof p->domain, 0) != 0)
            goto done;
    }
    const cJSON *arr = cJSON_GetObjectItemCaseSensitive(root, "profiles");
    snprintf(c.path, sizeof c.path, "profiles");
    if (!cJSON_IsArray(arr) || cJSON_GetArraySize(arr) < 1 ||
        cJSON_GetArraySize(arr) > PROFILES_MAX) {
        fail(&c, "must be an array of 1..%d profiles", PROFILES_MAX);
        goto done;
    }
    p->count = (uint32_t)cJSON_GetArraySize(arr);
    p->items = calloc(p->count, sizeof *p->items);
    if (!p->items) {
        fail(&c, "out of memory");
        goto done;
    }
    uint32_t i = 0;
    const cJSON *e;
    cJSON_ArrayForEach(e, arr) {
        if (parse_profile(&c, e, i, &p->items[i]) != 0)
            goto done;
        for (uint32_t j = 0; j < i; j++)
            if (strcmp(p->items[j].name, p->items[i].name) == 0) {
                snprintf(c.path, sizeof c.path, "profiles[%u].name", i);
                fail(&c, "\"%s\" repeats profiles[%u]", p->items[i].name, j);
                goto done;
            }
        i++;
    }
    rc = 0;
done:
    cJSON_Delete(root);
    if (rc == 0)
        *out = p;
    else
        traffic_profiles_free(p);
    return rc;
}

int traffic_profiles_load(const char *path, struct traffic_profiles **out, char err[512])
{
    *out = NULL;
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, 512, "%s: cannot open", path);
        return -1;
    }
    char *buf = malloc(PROFILES_FILE_BYTES_MAX + 1);
    if (!buf) {
        fclose(f);
        snprintf(err, 512, "%s: out of memory", path);
        return -1;
    }
    size_t n = fread(buf, 1, PROFILES_FILE_BYTES_MAX + 1, f);
    int bad = ferror(f);
    fclose(f);
    if (bad || n > PROFILES_FILE_BYTES_MAX) {
        free(buf);
        snprintf(err, 512, "%s: %s", path, bad ? "read error" : "larger than 4 MiB");
        return -1;
    }
    buf[n] = 0;
    int rc = traffic_profiles_parse(buf, path, out, err);
    free(buf);
    return rc;
}

int traffic_profiles_load_builtin(struct traffic_profiles **out, char err[512])
{
    *out = NULL;
#ifdef TRAFFIC_PROFILES_EMBEDDED
    return traffic_profiles_parse(traffic_profiles_builtin, "built-in data/profiles.json", out,
                                  err);
#else
    snprintf(err, 512, "built-in profiles: not embedded in this build (use --profiles FILE)");
    return -1;
#endif
}

void traffic_profiles_free(struct traffic_profiles *p)
{
    if (!p)
        return;
    free(p->items);
    free(p);
}

uint32_t traffic_profiles_count(const struct traffic_profiles *p)
{
    return p->count;
}

const char *traffic_profiles_name(const struct traffic_profiles *p, uint32_t i)
{
    return i < p->count ? p->items[i].name : NULL;
}
