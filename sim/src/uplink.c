/* uplink.c - the agents' spools and the in-process cloud (sim/uplink.h).
 *
 * The cloud is the real service of mockcloud/ over ":memory:" SQLite, called
 * through cloud_handle exactly as the HTTP front calls it, so the simulator
 * tests the same ingest, idempotency and fencing code as the live cloud. A
 * spool holds at most SIM_SPOOL_FILES payloads per agent, oldest first;
 * every loop is bounded by that or by the assets of one payload.
 */
#include "sim/uplink.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "caps/scope.h"
#include "cloud/service.h"
#include "codec/config.h"
#include "codec/inventory.h"
#include "codec/upload.h"
#include "traffic/rng.h"

#define UPLINK_ACTIVATION_KEY "sim-activation-key"
#define UPLINK_DEFAULT_DOMAIN "sim.example"
#define UPLINK_TOKEN_MAX 160

struct spool_entry {
    cJSON *doc;
    char *text;
    size_t len;
    uint64_t seq;
};

struct uplink_agent {
    int activated;
    char agent_id[CODEC_AGENT_ID_MAX];
    char auth[UPLINK_TOKEN_MAX];               /* "Bearer TOKEN" */
    struct spool_entry spool[SIM_SPOOL_FILES + 1];
    uint32_t spooled;
};

/* MACs (48 bits + bit 48) the cloud accepted at least once. */
struct macset {
    uint64_t *keys;
    uint32_t slots;      /* power of two */
    uint32_t count;
};

struct sim_uplink {
    struct cloud *cloud;
    struct traffic_rng rng;
    char subnet[CODEC_SUBNET_MAX];
    struct uplink_agent agents[SCEN_AGENTS_MAX];
    struct sim_uplink_stats stats;
    struct macset accepted;
    int failed;                                /* out of memory once: audit fails */
};

static void uplink_fill(void *ctx, uint8_t *out, size_t n)
{
    struct traffic_rng *r = ctx;
    for (size_t i = 0; i < n; i++)
        out[i] = (uint8_t)traffic_rng_u64(r);
}

/* ---- the accepted-MAC set ---- */

static uint64_t mac_text_key(const char *s)
{
    unsigned v[6];
    if (s == NULL || sscanf(s, "%2x:%2x:%2x:%2x:%2x:%2x", &v[0], &v[1], &v[2], &v[3], &v[4],
                            &v[5]) != 6)
        return 0;
    uint64_t k = 1ull << 48;
    for (int i = 0; i < 6; i++)
        k |= (uint64_t)(v[i] & 0xffu) << (8 * (5 - i));
    return k;
}

static int macset_add(struct macset *m, uint64_t key)
{
    if (key == 0)
        return 0;
    if ((m->count + 1u) * 2u > m->slots) {
        uint32_t slots = m->slots ? m->slots * 2u : 1024u;
        uint64_t *keys = calloc(slots, sizeof *keys);
        if (keys == NULL)
            return -1;
        for (uint32_t i = 0; i < m->slots; i++) {
            if (m->keys[i] == 0)
                continue;
            uint32_t j = (uint32_t)((m->keys[i] * 0x9E3779B97F4A7C15ull) >> 32) & (slots - 1u);
            while (keys[j] != 0)
                j = (j + 1u) & (slots - 1u);
            keys[j] = m->keys[i];
        }
        free(m->keys);
        m->keys = keys;
        m->slots = slots;
    }
    uint32_t j = (uint32_t)((key * 0x9E3779B97F4A7C15ull) >> 32) & (m->slots - 1u);
    while (m->keys[j] != 0) {
        if (m->keys[j] == key)
            return 0;
        j = (j + 1u) & (m->slots - 1u);
    }
    m->keys[j] = key;
    m->count++;
    return 0;
}

/* ---- requests ---- */

static int uplink_request(struct sim_uplink *u, const char *method, const char *path,
                          const char *q, const char *auth, const char *body, uint64_t wall_us,
                          cJSON **answer)
{
    struct cloud_request req = {method, path, q, auth, NULL, (const uint8_t *)body,
                                body ? strlen(body) : 0, wall_us};
    struct cloud_response resp;
    memset(&resp, 0, sizeof resp);
    cloud_handle(u->cloud, &req, &resp);
    *answer = resp.body ? cJSON_Parse(resp.body) : NULL;
    cloud_response_free(&resp);
    return resp.status;
}

struct sim_uplink *sim_uplink_create(const struct scen_scenario *sc, uint64_t seed,
                                     char err[SCEN_ERRMSG_MAX])
{
    char cerr[CLOUD_ERRMSG_MAX];
    struct sim_uplink *u = calloc(1, sizeof *u);
    if (u == NULL) {
        snprintf(err, SCEN_ERRMSG_MAX, "cloud: out of memory");
        return NULL;
    }
    traffic_rng_init(&u->rng, seed, TRAFFIC_ENTITY_ID(TRAFFIC_ENTITY_CLOUD, 0));
    struct cloud_rng rng = {&u->rng, uplink_fill};
    u->cloud = cloud_open(":memory:", &rng, cerr);
    if (u->cloud == NULL) {
        snprintf(err, SCEN_ERRMSG_MAX, "cloud: %.400s", cerr);
        free(u);
        return NULL;
    }
    snprintf(u->subnet, sizeof u->subnet, "%u.%u.%u.%u/%u", sc->subnet.net[0], sc->subnet.net[1],
             sc->subnet.net[2], sc->subnet.net[3], sc->subnet.prefix_len);
    int rc = cloud_activation_key_add(u->cloud, UPLINK_ACTIVATION_KEY);
    if (rc == 0 && sc->config.domain_count > 0) {
        /* The agents run the scenario's configuration: the cloud holds it too. */
        char *text = codec_config_print(&sc->config);
        cJSON *answer = NULL;
        int status = text ? uplink_request(u, "PUT", "/api/v1/caps/config", NULL, NULL, text,
                                           sc->start_epoch_us, &answer)
                          : 500;
        if (status != 200) {
            const cJSON *m = cJSON_GetObjectItemCaseSensitive(answer, "message");
            snprintf(err, SCEN_ERRMSG_MAX, "cloud: the scenario's configuration was refused (%d): %s",
                     status, cJSON_IsString(m) ? m->valuestring : "no message");
            rc = -1;
        }
        cJSON_Delete(answer);
        free(text);
    } else if (rc == 0) {
        rc = cloud_config_ensure_default(u->cloud, UPLINK_DEFAULT_DOMAIN);
        if (rc != 0)
            snprintf(err, SCEN_ERRMSG_MAX, "cloud: cannot store the default configuration");
    } else {
        snprintf(err, SCEN_ERRMSG_MAX, "cloud: cannot store the activation key");
    }
    if (rc != 0) {
        sim_uplink_destroy(u);
        return NULL;
    }
    return u;
}

static void spool_drop(struct uplink_agent *ag, uint32_t i)
{
    assert(i < ag->spooled);
    cJSON_Delete(ag->spool[i].doc);
    free(ag->spool[i].text);
    memmove(&ag->spool[i], &ag->spool[i + 1], (ag->spooled - i - 1u) * sizeof ag->spool[0]);
    ag->spooled--;
}

void sim_uplink_destroy(struct sim_uplink *u)
{
    if (u == NULL)
        return;
    for (uint32_t a = 0; a < SCEN_AGENTS_MAX; a++)
        while (u->agents[a].spooled > 0)
            spool_drop(&u->agents[a], 0);
    cloud_close(u->cloud);
    free(u->accepted.keys);
    free(u);
}

int sim_uplink_activate(struct sim_uplink *u, uint32_t agent, const char *name,
                        const uint8_t mac[6], uint64_t wall_us, char err[SCEN_ERRMSG_MAX])
{
    char mac_text[18], body[256];
    cJSON *answer = NULL;
    assert(agent < SCEN_AGENTS_MAX);
    codec_mac_format(mac, mac_text);
    snprintf(body, sizeof body,
             "{\"activation_key\": \"%s\", \"hostname\": \"%s\", \"macs\": [\"%s\"]}",
             UPLINK_ACTIVATION_KEY, name, mac_text);
    int status = uplink_request(u, "POST", "/api/v1/activate", NULL, NULL, body, wall_us, &answer);
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(answer, "agent_id");
    const cJSON *token = cJSON_GetObjectItemCaseSensitive(answer, "token");
    if (status != 201 || !cJSON_IsString(id) || !cJSON_IsString(token) ||
        strlen(id->valuestring) >= CODEC_AGENT_ID_MAX ||
        strlen(token->valuestring) + 8u >= UPLINK_TOKEN_MAX) {
        const cJSON *m = cJSON_GetObjectItemCaseSensitive(answer, "message");
        snprintf(err, SCEN_ERRMSG_MAX, "agent %s: activation refused (%d): %s", name, status,
                 cJSON_IsString(m) ? m->valuestring : "no message");
        cJSON_Delete(answer);
        return -1;
    }
    struct uplink_agent *ag = &u->agents[agent];
    snprintf(ag->agent_id, sizeof ag->agent_id, "%s", id->valuestring);
    snprintf(ag->auth, sizeof ag->auth, "Bearer %s", token->valuestring);
    ag->activated = 1;
    cJSON_Delete(answer);
    return 0;
}

static int spool_put(struct spool_entry *e, cJSON *doc, uint64_t seq)
{
    e->doc = doc;
    e->text = cJSON_PrintUnformatted(doc);
    e->len = e->text ? strlen(e->text) : 0;
    e->seq = seq;
    return e->text ? 0 : -1;
}

static uint32_t listed_assets(const struct caps_sensor *s)
{
    uint32_t n = 0;
    for (uint32_t i = 0; i < s->inv.count; i++)
        n += caps_scope_status(&s->cfg, s->domain, &s->inv.assets[i]) != CAPS_SCOPE_EXCLUDED;
    return n;
}

void sim_uplink_submit(struct sim_uplink *u, uint32_t agent, const struct caps_sensor *s,
                       const struct caps_upload *up, int new_leader)
{
    struct uplink_agent *ag = &u->agents[agent];
    assert(agent < SCEN_AGENTS_MAX && ag->activated);
    struct codec_upload_id id = {ag->agent_id, u->subnet};

    u->stats.submitted++;
    u->stats.full += up->full;
    if (new_leader) {
        u->stats.leader_first++;
        u->stats.leader_first_full += up->full && up->asset_count == listed_assets(s);
    }
    cJSON *doc = codec_upload_build(s, up, &id);
    if (doc == NULL) {
        u->failed = 1;
        return;
    }
    if (ag->spooled == SIM_SPOOL_FILES) {
        /* A fourth payload: the two oldest become one (docs/cloud.md). */
        cJSON *merged = codec_upload_merge(ag->spool[0].doc, ag->spool[1].doc);
        uint64_t seq = ag->spool[1].seq;
        if (merged == NULL) {
            u->failed = 1;
            cJSON_Delete(doc);
            return;
        }
        spool_drop(ag, 0);
        cJSON_Delete(ag->spool[0].doc);
        free(ag->spool[0].text);
        if (spool_put(&ag->spool[0], merged, seq) != 0)
            u->failed = 1;
        u->stats.merges++;
    }
    if (spool_put(&ag->spool[ag->spooled], doc, up->seq) != 0)
        u->failed = 1;
    ag->spooled++;
    uint64_t bytes = 0;
    for (uint32_t i = 0; i < ag->spooled; i++)
        bytes += ag->spool[i].len;
    if (ag->spooled > u->stats.spool_files_max)
        u->stats.spool_files_max = ag->spooled;
    if (bytes > u->stats.spool_bytes_max)
        u->stats.spool_bytes_max = bytes;
}

static void remember_accepted(struct sim_uplink *u, const cJSON *doc)
{
    const cJSON *a;
    cJSON_ArrayForEach(a, cJSON_GetObjectItemCaseSensitive(doc, "assets")) {
        const cJSON *mac = cJSON_GetObjectItemCaseSensitive(a, "mac");
        if (macset_add(&u->accepted, mac_text_key(cJSON_IsString(mac) ? mac->valuestring : NULL)))
            u->failed = 1;
    }
}

struct sim_uplink_answer sim_uplink_send(struct sim_uplink *u, uint32_t agent,
                                         uint64_t inflight_seq, enum sim_cloud_mode mode,
                                         uint64_t wall_us)
{
    struct uplink_agent *ag = &u->agents[agent];
    struct sim_uplink_answer ans = {0, inflight_seq, CAPS_UPLOAD_RETRY, 0};

    while (ag->spooled > 0) {
        struct spool_entry *e = &ag->spool[0];
        int mine = inflight_seq != 0 && e->seq == inflight_seq;
        u->stats.posts++;
        if (mode == SIM_CLOUD_OUTAGE) {
            u->stats.refused++;
            break;
        }
        cJSON *answer = NULL;
        int status = uplink_request(u, "POST", "/api/v1/caps/uploads", NULL, ag->auth, e->text,
                                    wall_us, &answer);
        if (mode == SIM_CLOUD_LOST_ACK) {
            /* Stored (or not) by the cloud; the agent never hears. */
            const cJSON *lst = cJSON_GetObjectItemCaseSensitive(answer, "status");
            if (status == 200) {
                remember_accepted(u, e->doc);
                if (cJSON_IsString(lst) && strcmp(lst->valuestring, "duplicate") == 0)
                    u->stats.duplicates++;
            }
            u->stats.answers_lost++;
            cJSON_Delete(answer);
            break;
        }
        const cJSON *st = cJSON_GetObjectItemCaseSensitive(answer, "status");
        if (status == 200) {
            if (cJSON_IsString(st) && strcmp(st->valuestring, "duplicate") == 0)
                u->stats.duplicates++;
            else
                u->stats.accepted++;
            remember_accepted(u, e->doc);
            if (mine)
                ans = (struct sim_uplink_answer){1, inflight_seq, CAPS_UPLOAD_OK, 0};
        } else if (status == 409) {
            /* Fenced: this payload can never be taken; only the one the core
             * waits for makes it step down. */
            const cJSON *ep = cJSON_GetObjectItemCaseSensitive(answer, "subnet_epoch");
            u->stats.fenced++;
            if (mine)
                ans = (struct sim_uplink_answer){1, inflight_seq, CAPS_UPLOAD_FENCED,
                                                 cJSON_IsNumber(ep) ? (uint64_t)ep->valuedouble : 0};
        } else if (status >= 400 && status < 500) {
            u->stats.rejected++;
            if (mine)
                ans = (struct sim_uplink_answer){1, inflight_seq, CAPS_UPLOAD_REJECTED, 0};
        } else {
            cJSON_Delete(answer);
            break;
        }
        cJSON_Delete(answer);
        spool_drop(ag, 0);
    }
    if (!ans.has && inflight_seq != 0) {
        /* The payload the core waits for was not answered: it retries. */
        for (uint32_t i = 0; i < ag->spooled; i++)
            if (ag->spool[i].seq == inflight_seq)
                ans.has = 1;
    }
    return ans;
}

uint32_t sim_uplink_spooled(const struct sim_uplink *u, uint32_t agent)
{
    return u->agents[agent].spooled;
}

const struct sim_uplink_stats *sim_uplink_stats(const struct sim_uplink *u)
{
    return &u->stats;
}

int sim_uplink_cloud_macs(struct sim_uplink *u, void (*fn)(void *ctx, const uint8_t mac[6]),
                          void *ctx)
{
    cJSON *answer = NULL;
    int status = uplink_request(u, "GET", "/api/v1/assets", "inventory.source:CAPS", NULL, NULL,
                                0, &answer);
    const cJSON *assets = cJSON_GetObjectItemCaseSensitive(answer, "assets");
    if (status != 200 || !cJSON_IsArray(assets)) {
        cJSON_Delete(answer);
        return -1;
    }
    const cJSON *a, *m;
    cJSON_ArrayForEach(a, assets) {
        /* "macs" lists every MAC of the asset; "mac" is its first. */
        const cJSON *macs = cJSON_GetObjectItemCaseSensitive(a, "macs");
        const cJSON *one = cJSON_GetObjectItemCaseSensitive(a, "mac");
        int any = 0;
        cJSON_ArrayForEach(m, macs) {
            uint64_t k = mac_text_key(cJSON_IsString(m) ? m->valuestring : NULL);
            if (k == 0)
                continue;
            const uint8_t mac[6] = {(uint8_t)(k >> 40), (uint8_t)(k >> 32), (uint8_t)(k >> 24),
                                    (uint8_t)(k >> 16), (uint8_t)(k >> 8), (uint8_t)k};
            fn(ctx, mac);
            any = 1;
        }
        uint64_t k = mac_text_key(cJSON_IsString(one) ? one->valuestring : NULL);
        if (!any && k != 0) {
            const uint8_t mac[6] = {(uint8_t)(k >> 40), (uint8_t)(k >> 32), (uint8_t)(k >> 24),
                                    (uint8_t)(k >> 16), (uint8_t)(k >> 8), (uint8_t)k};
            fn(ctx, mac);
        }
    }
    cJSON_Delete(answer);
    return 0;
}

char *sim_uplink_inventory(struct sim_uplink *u)
{
    struct cloud_request req = {"GET", "/api/v1/assets", "inventory.source:CAPS", NULL, NULL,
                                NULL, 0, 0};
    struct cloud_response resp;
    memset(&resp, 0, sizeof resp);
    cloud_handle(u->cloud, &req, &resp);
    char *text = resp.status == 200 ? resp.body : NULL;
    if (text == NULL)
        cloud_response_free(&resp);
    return text;
}

int sim_uplink_audit(struct sim_uplink *u, const struct caps_sensor *s, uint32_t *missing,
                     uint32_t *stale, uint32_t *cloud_assets, uint32_t *lost)
{
    cJSON *answer = NULL;
    struct macset seen = {NULL, 0, 0};
    int rc = 0;

    *missing = *stale = *cloud_assets = *lost = 0;
    int status = uplink_request(u, "GET", "/api/v1/assets", "inventory.source:CAPS", NULL, NULL,
                                0, &answer);
    const cJSON *assets = cJSON_GetObjectItemCaseSensitive(answer, "assets");
    if (status != 200 || !cJSON_IsArray(assets) || u->failed) {
        cJSON_Delete(answer);
        return -1;
    }
    *cloud_assets = (uint32_t)cJSON_GetArraySize(assets);
    const cJSON *a;
    cJSON_ArrayForEach(a, assets) {
        const cJSON *mac = cJSON_GetObjectItemCaseSensitive(a, "mac");
        if (macset_add(&seen, mac_text_key(cJSON_IsString(mac) ? mac->valuestring : NULL)))
            rc = -1;
    }
    for (uint32_t i = 0; i < u->accepted.slots && rc == 0; i++) {
        uint64_t k = u->accepted.keys[i];
        if (k == 0)
            continue;
        uint32_t j = (uint32_t)((k * 0x9E3779B97F4A7C15ull) >> 32) & (seen.slots - 1u);
        while (seen.slots > 0 && seen.keys[j] != 0 && seen.keys[j] != k)
            j = (j + 1u) & (seen.slots - 1u);
        *lost += seen.slots == 0 || seen.keys[j] != k;
    }
    if (s != NULL && s->upload_on) {
        for (uint32_t i = 0; i < s->inv.count; i++) {
            const struct caps_asset *as = &s->inv.assets[i];
            if (as->changed_gen > s->upload.acked_gen ||
                caps_scope_status(&s->cfg, s->domain, as) == CAPS_SCOPE_EXCLUDED)
                continue;
            char mac_text[18], last[21];
            codec_mac_format(as->mac, mac_text);
            codec_time_rfc3339(as->last_seen_us, last);
            const cJSON *found = NULL;
            cJSON_ArrayForEach(a, assets) {
                const cJSON *mac = cJSON_GetObjectItemCaseSensitive(a, "mac");
                if (cJSON_IsString(mac) && strcmp(mac->valuestring, mac_text) == 0) {
                    found = a;
                    break;
                }
            }
            const cJSON *ls = cJSON_GetObjectItemCaseSensitive(found, "last_seen");
            if (found == NULL)
                (*missing)++;
            else if (!cJSON_IsString(ls) || strcmp(ls->valuestring, last) < 0)
                (*stale)++;
        }
    }
    free(seen.keys);
    cJSON_Delete(answer);
    return rc;
}
