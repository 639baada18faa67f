/* ingest_arp.c - what an ARP message tells the inventory.
 *
 * The sender (sha, spa) is a device on the segment that owns spa; an RFC 5227
 * probe (spa 0.0.0.0) proves only that sha exists. The target fields say
 * nothing certain: a request's target may not exist, and a reply's target is
 * the asker, which speaks for itself in its own request.
 */
#include "ingest.h"

int caps_ingest_arp(struct caps_sensor *s, const struct caps_frame *f, uint64_t ts_us)
{
    struct caps_arp *m = &s->scratch->u.arp;
    int rc = caps_arp_parse(f->payload, f->payload_len, m);

    if (rc != 0)
        return rc;
    if (!caps_mac_is_device(m->sha))
        return CAPS_OK;
    struct caps_asset *a = caps_ingest_asset(s, m->sha, ts_us, CAPS_PROTO_ARP);
    if (m->kind != CAPS_ARP_KIND_PROBE && caps_ip4_is_unicast(m->spa))
        caps_asset_add_ip4(a, m->spa, ts_us);
    return CAPS_OK;
}
