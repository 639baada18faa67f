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

#include "macmap.h"

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

struct sim_uplink {
    struct cloud *cloud;
    struct traffic_rng rng;
    char subnet[CODEC_SUBNET_MAX];
    struct uplink_agent agents[SCEN_AGENTS_MAX];
    struct sim_uplink_stats stats;
    struct sim_macmap accepted;                /* MACs the cloud accepted at least once */
    int failed;                                /* out of memory once: audit fails */
};

static void uplink_fill(void *ctx, uint8_t *out, size_t n)
{
    struct traffic_rng *r = ctx;
    for (size_t i = 0; i < n; i++)
        out[i] = (uint8_t)traffic_rng_u64(r);
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
            snprintf(err, SCEN_ERRMSG_MAX,
                     "cloud: the scenario's configuration was refused (%d): %s", status,
                     cJSON_IsString(m) ? m->valuestring : "no message");
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
    sim_macmap_free(&u->accepted);
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
        const cJSON *text = cJSON_GetObjectItemCaseSensitive(a, "mac");
        uint8_t mac[6];
        if (sim_mac_parse(cJSON_IsString(text) ? text->valuestring : NULL, mac) == 0 &&
            sim_macmap_put(&u->accepted, mac, 0) != 0)
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
            uint64_t subnet_epoch = cJSON_IsNumber(ep) ? (uint64_t)ep->valuedouble : 0;
            u->stats.fenced++;
            if (mine)
                ans = (struct sim_uplink_answer){1, inflight_seq, CAPS_UPLOAD_FENCED,
                                                 subnet_epoch};
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

int sim_uplink_audit(struct sim_uplink *u, const struct caps_sensor *s,
                     void (*each_mac)(void *ctx, const uint8_t mac[6]), void *ctx,
                     struct sim_uplink_audit *out)
{
    cJSON *answer = NULL;
    struct sim_macmap listed;           /* every MAC the cloud lists -> its asset */
    uint8_t mac[6];
    int rc = 0;

    memset(out, 0, sizeof *out);
    int status = uplink_request(u, "GET", "/api/v1/assets", "inventory.source:CAPS", NULL, NULL,
                                0, &answer);
    const cJSON *assets = cJSON_GetObjectItemCaseSensitive(answer, "assets");
    if (status != 200 || !cJSON_IsArray(assets) || u->failed ||
        sim_macmap_init(&listed, 0) != 0) {
        cJSON_Delete(answer);
        return -1;
    }
    out->cloud_assets = (uint32_t)cJSON_GetArraySize(assets);
    const cJSON *a, *m;
    uint32_t index = 0;
    cJSON_ArrayForEach(a, assets) {
        /* "macs" lists every MAC of the asset (a managed asset deduplicated
         * by hostname holds several); "mac" is its first. */
        cJSON_ArrayForEach(m, cJSON_GetObjectItemCaseSensitive(a, "macs")) {
            if (sim_mac_parse(cJSON_IsString(m) ? m->valuestring : NULL, mac) != 0)
                continue;
            if (sim_macmap_put(&listed, mac, index) != 0)
                rc = -1;
            if (each_mac != NULL)
                each_mac(ctx, mac);
        }
        index++;
    }
    for (uint32_t i = 0; i < u->accepted.slots && rc == 0; i++)
        if (sim_macmap_slot(&u->accepted, i, mac) != SIM_MACMAP_NONE)
            out->lost += sim_macmap_get(&listed, mac) == SIM_MACMAP_NONE;
    for (uint32_t i = 0; s != NULL && s->upload_on && i < s->inv.count && rc == 0; i++) {
        const struct caps_asset *as = &s->inv.assets[i];
        if (as->changed_gen > s->upload.acked_gen ||
            caps_scope_status(&s->cfg, s->domain, as) == CAPS_SCOPE_EXCLUDED)
            continue;
        uint32_t at = sim_macmap_get(&listed, as->mac);
        if (at == SIM_MACMAP_NONE) {
            out->missing++;
            continue;
        }
        char last[21];
        codec_time_rfc3339(as->last_seen_us, last);
        const cJSON *ls = cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(assets, (int)at),
                                                          "last_seen");
        out->stale += !cJSON_IsString(ls) || strcmp(ls->valuestring, last) < 0;
    }
    sim_macmap_free(&listed);
    cJSON_Delete(answer);
    return rc;
}
