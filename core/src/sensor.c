/* sensor.c - the sensor pipeline: frame -> decoders -> inventory.
 *
 * caps_sensor_frame is the per-packet path: walk the link layers, count the
 * frame at every layer it reaches, and hand sensed protocols to their ingest
 * function (ARP by ethertype; DHCP, NBNS, NetBIOS datagrams, SSDP and mDNS by
 * UDP port). A decode error is counted per protocol and reason, never fatal.
 * Nothing is allocated: all tables live in the arena given at init. With the
 * election on, ticks drive it and its role gates sensing (idle: not sensed);
 * ticks also build uploads when due (upload.c).
 */
#include <string.h>

#include "caps/scope.h"
#include "caps/sensor.h"
#include "caps/vendor.h"
#include "ingest.h"
#include "upload_sched.h"

/* UDP ports of the sensed protocols (IANA). */
#define PORT_DHCP_SERVER 67
#define PORT_DHCP_CLIENT 68
#define PORT_NBNS 137
#define PORT_NBDGM 138
#define PORT_SSDP 1900
#define PORT_MDNS 5353

#define ARENA_ALIGN 16

static size_t align_up(size_t n)
{
    return (n + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
}

size_t caps_sensor_arena_bytes(const struct caps_config *cfg)
{
    return align_up(sizeof(struct caps_scratch)) +
           caps_inventory_arena_bytes(cfg->assets_max);
}

int caps_sensor_init(struct caps_sensor *s, const struct caps_config *cfg,
                     const struct caps_host *host, void *arena, size_t arena_bytes)
{
    if (cfg->assets_max == 0 || cfg->assets_max > CAPS_ASSETS_MAX_LIMIT)
        return CAPS_E_ARG;
    if (((uintptr_t)arena & (ARENA_ALIGN - 1)) != 0)
        return CAPS_E_ARG;
    if (arena_bytes < caps_sensor_arena_bytes(cfg))
        return CAPS_E_NOMEM;
    memset(s, 0, sizeof *s);
    s->cfg = *cfg;
    s->host = *host;
    s->scratch = arena;
    s->domain = -1;
    s->on_premises = caps_scope_on_premises(cfg, NULL);
    size_t off = align_up(sizeof(struct caps_scratch));
    return caps_inventory_init(&s->inv, cfg->assets_max, (uint8_t *)arena + off,
                               arena_bytes - off);
}

void caps_sensor_set_dns_suffix(struct caps_sensor *s, const char *suffix)
{
    s->domain = caps_scope_domain_match(&s->cfg, suffix);
    s->on_premises = caps_scope_on_premises(&s->cfg, suffix);
    if (s->election_on)
        caps_election_set_eligible(&s->election, s->on_premises, s->now_us);
    caps_sensor_upload_follow(s);
}

int caps_sensor_election_init(struct caps_sensor *s, const struct caps_election_config *ecfg,
                              uint64_t now_us)
{
    if (s->host.send == NULL || s->host.hmac_sha256 == NULL)
        return CAPS_E_ARG;
    struct caps_election_config cfg = *ecfg;
    struct caps_election_host eh = {s->host.ctx, s->host.send, s->host.hmac_sha256,
                                    s->host.on_role};
    cfg.min_peers = s->cfg.min_peers;
    if (now_us > s->now_us)
        s->now_us = now_us;
    int rc = caps_election_init(&s->election, &cfg, &eh, s->now_us);
    if (rc != 0)
        return rc;
    s->election_on = 1;
    caps_election_set_eligible(&s->election, s->on_premises, s->now_us);
    return 0;
}

void caps_sensor_advert(struct caps_sensor *s, uint64_t now_us, const uint8_t *payload,
                        size_t len)
{
    if (!s->election_on)
        return;
    if (now_us > s->now_us)
        s->now_us = now_us;
    caps_election_receive(&s->election, s->now_us, payload, len);
    caps_sensor_upload_follow(s);
}

void caps_sensor_stop(struct caps_sensor *s, uint64_t now_us)
{
    if (now_us > s->now_us)
        s->now_us = now_us;
    if (s->election_on)
        caps_election_stop(&s->election, s->now_us);
}

enum caps_role caps_sensor_role(const struct caps_sensor *s)
{
    return s->election_on ? caps_election_role(&s->election) : CAPS_ROLE_LEADER;
}

int caps_sensor_may_report(const struct caps_sensor *s)
{
    return s->election_on ? caps_election_may_report(&s->election) : 1;
}

uint64_t caps_sensor_next_deadline_us(const struct caps_sensor *s)
{
    uint64_t d = s->next_aging_us;
    if (s->election_on) {
        uint64_t e = caps_election_next_deadline_us(&s->election);
        if (e < d)
            d = e;
    }
    uint64_t u = caps_sensor_upload_deadline_us(s);
    if (u < d)
        d = u;
    return d;
}

/* Drops assets unseen for expire_after_s. O(assets) at most once per
 * CAPS_AGING_PERIOD_US of sensor time, never per packet. */
static void age_assets(struct caps_sensor *s)
{
    uint64_t expire_us = (uint64_t)s->cfg.expire_after_s * 1000000u;

    s->next_aging_us = s->now_us + CAPS_AGING_PERIOD_US;
    if (expire_us == 0 || s->now_us < expire_us)
        return;
    uint64_t cutoff = s->now_us - expire_us;
    uint32_t i = 0;
    while (i < s->inv.count) {
        if (s->inv.assets[i].last_seen_us < cutoff) {
            caps_inventory_remove(&s->inv, s->inv.assets[i].mac);  /* moves the last into i */
            s->stats.assets_expired++;
        } else {
            i++;
        }
    }
}

void caps_sensor_tick(struct caps_sensor *s, uint64_t now_us)
{
    if (now_us > s->now_us)
        s->now_us = now_us;
    if (s->now_us >= s->next_aging_us)
        age_assets(s);
    if (s->election_on)
        caps_election_tick(&s->election, s->now_us);
    caps_sensor_upload_run(s);
}

int caps_sensor_asset_stale(const struct caps_sensor *s, const struct caps_asset *a)
{
    uint64_t stale_us = (uint64_t)s->cfg.stale_after_s * 1000000u;
    return stale_us != 0 && s->now_us > a->last_seen_us + stale_us;
}

uint64_t caps_sensor_malformed_total(const struct caps_sensor *s)
{
    uint64_t n = 0;
    for (int p = 0; p < CAPS_PROTO_COUNT; p++)
        for (int r = 0; r < CAPS_ERR_COUNT; r++)
            n += s->stats.malformed[p][r];
    return n;
}

static void count_malformed(struct caps_sensor *s, int proto, int err)
{
    if (err >= 0 || err <= -CAPS_ERR_COUNT)
        err = CAPS_E_FIELD;
    s->stats.malformed[proto][-err]++;
}

typedef int ingest_fn(struct caps_sensor *s, const struct caps_frame *f, uint64_t ts_us);

/* Which sensed protocol a UDP datagram carries, by either port: replies and
 * relayed messages flip the ports, so both are checked. */
static int udp_proto(uint16_t sport, uint16_t dport, ingest_fn **fn)
{
    for (int i = 0; i < 2; i++) {
        switch (i == 0 ? dport : sport) {
        case PORT_DHCP_SERVER:
        case PORT_DHCP_CLIENT:
            *fn = caps_ingest_dhcp;
            return CAPS_PROTO_DHCP;
        case PORT_NBNS:
            *fn = caps_ingest_nbns;
            return CAPS_PROTO_NBNS;
        case PORT_NBDGM:
            *fn = caps_ingest_nbds;
            return CAPS_PROTO_BROWSER;
        case PORT_SSDP:
            *fn = caps_ingest_ssdp;
            return CAPS_PROTO_SSDP;
        case PORT_MDNS:
            *fn = caps_ingest_mdns;
            return CAPS_PROTO_MDNS;
        default:
            break;
        }
    }
    return -1;
}

void caps_sensor_frame(struct caps_sensor *s, uint64_t ts_us, const uint8_t *frame,
                       size_t caplen, size_t wirelen)
{
    struct caps_frame f;
    int layer = CAPS_PROTO_ETHERNET;
    s->stats.frames++;
    s->stats.bytes += wirelen;
    if (ts_us > s->now_us) {
        s->now_us = ts_us;
        if (ts_us >= s->next_aging_us)
            age_assets(s);
    }
    if (!s->on_premises) {
        s->stats.off_premises_frames++;
        return;
    }
    if (s->election_on && !caps_election_may_sense(&s->election)) {
        s->stats.idle_frames++;
        return;
    }
    int rc = caps_frame_parse(frame, caplen, &f, &layer);
    s->stats.packets[CAPS_PROTO_ETHERNET]++;
    if (f.vlan_count > 0)
        s->stats.packets[CAPS_PROTO_VLAN]++;
    if (f.ip_version == 4)
        s->stats.packets[CAPS_PROTO_IPV4]++;
    else if (f.ip_version == 6)
        s->stats.packets[CAPS_PROTO_IPV6]++;
    if (rc != 0) {
        count_malformed(s, layer, rc);
        return;
    }
    if (f.ip_fragment) {
        s->stats.ip_fragments++;
        return;
    }
    if (f.ethertype == CAPS_ETHERTYPE_ARP) {
        s->stats.packets[CAPS_PROTO_ARP]++;
        rc = caps_ingest_arp(s, &f, ts_us);
        if (rc != 0)
            count_malformed(s, CAPS_PROTO_ARP, rc);
        return;
    }
    if (f.payload == NULL || f.ip_proto != CAPS_IPPROTO_UDP)
        return;
    s->stats.packets[CAPS_PROTO_UDP]++;
    ingest_fn *fn = NULL;
    int proto = udp_proto(f.src_port, f.dst_port, &fn);
    if (proto < 0)
        return;
    s->stats.packets[proto]++;
    rc = fn(s, &f, ts_us);
    if (rc != 0)
        count_malformed(s, proto, rc);
}

int caps_mac_is_device(const uint8_t mac[6])
{
    static const uint8_t zero[6] = {0};
    return (mac[0] & 0x01) == 0 && memcmp(mac, zero, 6) != 0;
}

int caps_ip4_is_unicast(const uint8_t ip[4])
{
    return ip[0] != 0 && ip[0] != 127 && ip[0] < 224;
}

int caps_ip6_is_unicast(const uint8_t ip[16])
{
    static const uint8_t zero[16] = {0};
    if (ip[0] == 0xff)
        return 0;
    if (memcmp(ip, zero, 15) == 0 && (ip[15] == 0 || ip[15] == 1))
        return 0;
    return 1;
}

struct caps_asset *caps_ingest_asset(struct caps_sensor *s, const uint8_t mac[6],
                                     uint64_t ts_us, int proto)
{
    struct caps_asset *a = caps_inventory_upsert(&s->inv, mac, ts_us);
    int fresh = a->sources == 0;

    a->sources = (uint16_t)(a->sources | (1u << proto));
    if (fresh && s->cfg.fingerprints != NULL) {
        const char *vendor = caps_vendor_lookup(mac);
        if (vendor != NULL)
            caps_ingest_evidence(s, a, CAPS_EV_OUI_VENDOR, vendor, proto);
    }
    return a;
}

struct caps_asset *caps_ingest_source(struct caps_sensor *s, const struct caps_frame *f,
                                      uint64_t ts_us, int proto)
{
    if (!caps_mac_is_device(f->src_mac))
        return NULL;
    struct caps_asset *a = caps_ingest_asset(s, f->src_mac, ts_us, proto);
    if (f->ip_version == 4 && caps_ip4_is_unicast(f->src_ip))
        caps_asset_add_ip4(a, f->src_ip, ts_us);
    else if (f->ip_version == 6 && caps_ip6_is_unicast(f->src_ip))
        caps_asset_add_ip6(a, f->src_ip, ts_us);
    return a;
}

void caps_ingest_evidence(struct caps_sensor *s, struct caps_asset *a, int kind,
                          const char *value, int proto)
{
    if (s->cfg.fingerprints == NULL || value[0] == '\0')
        return;
    caps_fp_observe(&a->labels, s->cfg.fingerprints, kind, value, proto);
}

void caps_ingest_ttl_evidence(struct caps_sensor *s, struct caps_asset *a,
                              const struct caps_frame *f, int proto)
{
    if (f->ip_version == 0 || f->ttl == 0)
        return;
    const char *initial = f->ttl <= 32 ? "32" : f->ttl <= 64 ? "64" : f->ttl <= 128 ? "128" : "255";
    caps_ingest_evidence(s, a, CAPS_EV_IP_TTL, initial, proto);
}
