/* ingest_dhcp.c - what a DHCPv4 message tells the inventory.
 *
 * Client messages (op 1) speak for chaddr: it exists, its host name is option
 * 12 (else the first label of option 81), and ciaddr (or the frame's source
 * address, when the frame comes from chaddr) is an address it holds. The
 * requested address (option 50) is only a wish until the server agrees, so
 * it is not recorded. Server replies (op 2) speak for their sender, and an
 * ACK binds yiaddr to chaddr (RFC 2131 3.1 step 5). A relayed message comes
 * from the relay's MAC, so the identity is always chaddr, never the frame.
 *
 * Client messages are the richest fingerprint: the parameter request list in
 * order, the order of the options, the vendor class and the IP TTL of the
 * client's stack. A client with a randomized MAC that reuses the client id or
 * host name of another randomized asset is the same device under a new MAC:
 * the earlier MACs are linked (previous_macs).
 */
#include <stdio.h>
#include <string.h>

#include "ingest.h"

#define DHCP_ACK 5
/* client_id_hash once linking has run for a client that sends no client id;
 * 0 means linking has not run yet. */
#define CLIENT_ID_NONE UINT64_MAX
/* An earlier randomized asset of the same host name must have been silent
 * this long before a new one is taken for the same device: phones announce
 * themselves (mDNS, DHCP renewals, ARP) far more often while connected. */
#define LINK_QUIET_US (5ull * 60u * 1000000u)

static void ip4_bytes(uint32_t v, uint8_t out[4])
{
    out[0] = (uint8_t)(v >> 24);
    out[1] = (uint8_t)(v >> 16);
    out[2] = (uint8_t)(v >> 8);
    out[3] = (uint8_t)v;
}

static void client_hostname(const struct caps_dhcp *m, char out[CAPS_HOSTNAME_MAX])
{
    const char *src = "";
    size_t n;

    if (m->has_host_name)
        src = m->host_name;
    else if (m->has_fqdn)
        src = m->fqdn_name;
    n = strlen(src);
    if (!m->has_host_name) {
        const char *dot = strchr(src, '.');
        if (dot != NULL)
            n = (size_t)(dot - src);
    }
    if (n >= CAPS_HOSTNAME_MAX)
        n = CAPS_HOSTNAME_MAX - 1;
    memcpy(out, src, n);
    out[n] = '\0';
}

/* "1,3,6,15": codes in decimal, comma-separated, cut at a code boundary. */
static void code_list(const uint8_t *codes, size_t n, char out[CAPS_EV_VALUE_MAX])
{
    size_t o = 0;

    out[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        char num[5];
        int w = snprintf(num, sizeof num, "%s%u", i ? "," : "", (unsigned)codes[i]);
        if (w < 0 || o + (size_t)w + 1 > CAPS_EV_VALUE_MAX)
            break;
        memcpy(out + o, num, (size_t)w + 1);
        o += (size_t)w;
    }
}

static uint64_t client_id_hash(const struct caps_dhcp *m)
{
    uint64_t h = 1469598103934665603ull;   /* FNV-1a 64 */
    h = (h ^ m->client_id_type) * 1099511628211ull;
    for (unsigned i = 0; i < m->client_id_len; i++)
        h = (h ^ m->client_id[i]) * 1099511628211ull;
    return h == 0 || h == CLIENT_ID_NONE ? 1 : h;
}

/* Links a randomized asset to the earlier randomized MACs of the same device.
 * A client id names one device, so a shared client id links. A host name
 * does not: every iPhone is "iPhone" until its owner renames it, so a name
 * links only when exactly one earlier randomized asset carries it and that
 * asset had gone quiet for LINK_QUIET_US before this one appeared (a device
 * rotates its address when it rejoins, it does not use two at once; another
 * phone of the same name keeps talking). Runs once per asset, the first time its DHCP
 * identity is learnt, so the scan over the table is rare. */
static void link_randomized(struct caps_sensor *s, struct caps_asset *a, const char *host)
{
    const struct caps_asset *by_name = NULL;
    unsigned named = 0;

    for (uint32_t i = 0; i < s->inv.count; i++) {
        const struct caps_asset *o = &s->inv.assets[i];
        if (o == a || (o->mac[0] & 0x02) == 0)
            continue;
        if (a->client_id_hash != CLIENT_ID_NONE && o->client_id_hash == a->client_id_hash) {
            for (unsigned k = o->previous_mac_count; k > 0; k--)
                caps_asset_add_previous_mac(a, o->previous_macs[k - 1]);
            caps_asset_add_previous_mac(a, o->mac);
            continue;
        }
        if (host[0] != '\0' && o->hostname_rank == CAPS_RANK_DHCP &&
            strcmp(o->hostname, host) == 0) {
            named++;
            by_name = o;
        }
    }
    if (named == 1 && by_name->last_seen_us + LINK_QUIET_US <= a->first_seen_us) {
        for (unsigned k = by_name->previous_mac_count; k > 0; k--)
            caps_asset_add_previous_mac(a, by_name->previous_macs[k - 1]);
        caps_asset_add_previous_mac(a, by_name->mac);
    }
}

static void client_evidence(struct caps_sensor *s, struct caps_asset *a,
                            const struct caps_frame *f, const struct caps_dhcp *m,
                            const char *host)
{
    char value[CAPS_EV_VALUE_MAX];

    if (s->cfg.fingerprints == NULL)
        return;
    if (m->has_prl) {
        code_list(m->prl, m->prl_len, value);
        caps_ingest_evidence(s, a, CAPS_EV_DHCP_PRL, value, CAPS_PROTO_DHCP);
    }
    size_t n = m->options_count < CAPS_DHCP_ORDER_MAX ? m->options_count : CAPS_DHCP_ORDER_MAX;
    code_list(m->order, n, value);
    caps_ingest_evidence(s, a, CAPS_EV_DHCP_OPTIONS, value, CAPS_PROTO_DHCP);
    if (m->has_vendor_class)
        caps_ingest_evidence(s, a, CAPS_EV_DHCP_VENDOR_CLASS, m->vendor_class_text,
                             CAPS_PROTO_DHCP);
    caps_ingest_evidence(s, a, CAPS_EV_HOSTNAME, host, CAPS_PROTO_DHCP);
    if (memcmp(f->src_mac, m->chaddr, 6) == 0)
        caps_ingest_ttl_evidence(s, a, f, CAPS_PROTO_DHCP);
}

int caps_ingest_dhcp(struct caps_sensor *s, const struct caps_frame *f, uint64_t ts_us)
{
    struct caps_dhcp *m = &s->scratch->u.dhcp;
    int rc = caps_dhcp_parse(f->payload, f->payload_len, m);
    uint8_t ip[4];

    if (rc != 0)
        return rc;
    int chaddr_ok = m->htype == 1 && m->hlen == 6 && caps_mac_is_device(m->chaddr);

    if (m->op == 2) {
        caps_ingest_source(s, f, ts_us, CAPS_PROTO_DHCP);
        if (chaddr_ok && m->has_msg_type && m->msg_type == DHCP_ACK && m->yiaddr != 0) {
            struct caps_asset *c = caps_ingest_asset(s, m->chaddr, ts_us, CAPS_PROTO_DHCP);
            ip4_bytes(m->yiaddr, ip);
            if (caps_ip4_is_unicast(ip))
                caps_asset_add_ip4(c, ip, ts_us);
        }
        return CAPS_OK;
    }
    if (!chaddr_ok)
        return CAPS_OK;
    struct caps_asset *a = caps_ingest_asset(s, m->chaddr, ts_us, CAPS_PROTO_DHCP);
    ip4_bytes(m->ciaddr, ip);
    if (m->ciaddr != 0 && caps_ip4_is_unicast(ip))
        caps_asset_add_ip4(a, ip, ts_us);
    if (f->ip_version == 4 && memcmp(f->src_mac, m->chaddr, 6) == 0 &&
        caps_ip4_is_unicast(f->src_ip))
        caps_asset_add_ip4(a, f->src_ip, ts_us);

    char host[CAPS_HOSTNAME_MAX];
    client_hostname(m, host);
    caps_asset_set_hostname(a, host, CAPS_RANK_DHCP, ts_us);
    if ((a->mac[0] & 0x02) != 0 && a->client_id_hash == 0 &&
        (m->has_client_id || host[0] != '\0')) {
        a->client_id_hash = m->has_client_id ? client_id_hash(m) : CLIENT_ID_NONE;
        link_randomized(s, a, host);
    }
    client_evidence(s, a, f, m, host);
    return CAPS_OK;
}
