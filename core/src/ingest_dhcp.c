/* ingest_dhcp.c - what a DHCPv4 message tells the inventory.
 *
 * Client messages (op 1) speak for chaddr: it exists, its host name is option
 * 12 (else the first label of option 81), and ciaddr (or the frame's source
 * address, when the frame comes from chaddr) is an address it holds. The
 * requested address (option 50) is only a wish until the server agrees, so
 * it is not recorded. Server replies (op 2) speak for their sender, and an
 * ACK binds yiaddr to chaddr (RFC 2131 3.1 step 5). A relayed message comes
 * from the relay's MAC, so the identity is always chaddr, never the frame.
 */
#include <string.h>

#include "ingest.h"

#define DHCP_ACK 5

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
            struct caps_asset *c = caps_inventory_upsert(&s->inv, m->chaddr, ts_us);
            c->sources = (uint16_t)(c->sources | (1u << CAPS_PROTO_DHCP));
            ip4_bytes(m->yiaddr, ip);
            if (caps_ip4_is_unicast(ip))
                caps_asset_add_ip4(c, ip);
        }
        return CAPS_OK;
    }
    if (!chaddr_ok)
        return CAPS_OK;
    struct caps_asset *a = caps_inventory_upsert(&s->inv, m->chaddr, ts_us);
    a->sources = (uint16_t)(a->sources | (1u << CAPS_PROTO_DHCP));
    ip4_bytes(m->ciaddr, ip);
    if (m->ciaddr != 0 && caps_ip4_is_unicast(ip))
        caps_asset_add_ip4(a, ip);
    if (f->ip_version == 4 && memcmp(f->src_mac, m->chaddr, 6) == 0 &&
        caps_ip4_is_unicast(f->src_ip))
        caps_asset_add_ip4(a, f->src_ip);

    char host[CAPS_HOSTNAME_MAX];
    client_hostname(m, host);
    caps_asset_set_hostname(a, host, CAPS_RANK_DHCP);
    return CAPS_OK;
}
