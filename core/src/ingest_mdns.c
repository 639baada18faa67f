/* ingest_mdns.c - what an mDNS message tells the inventory.
 *
 * The sender's MAC and source address come from the frame. Its host name is
 * the owner of an A or AAAA record (in any section: announcements use the
 * answer section, probes the authority section) whose address is the frame's
 * own source address; the other addresses under that same name are its
 * addresses too. Records for other addresses are not the sender's: a Bonjour
 * Sleep Proxy answers for the sleeping hosts it stands in for (RFC 6762 15.6
 * and Apple's sleep proxy), so they are never taken as the sender's.
 */
#include <string.h>

#include "ingest.h"

static const char local_suffix[] = ".local";

static int rr_is_sender(const struct caps_dns_rr *rr, const struct caps_frame *f)
{
    if (rr->type == CAPS_DNS_TYPE_A)
        return f->ip_version == 4 && memcmp(rr->rd.a, f->src_ip, 4) == 0;
    if (rr->type == CAPS_DNS_TYPE_AAAA)
        return f->ip_version == 6 && memcmp(rr->rd.aaaa, f->src_ip, 16) == 0;
    return 0;
}

/* Copies name without a trailing ".local" (any case) into out. */
static void host_label(const char *name, char out[CAPS_HOSTNAME_MAX])
{
    size_t n = strlen(name);
    size_t k = sizeof local_suffix - 1;

    if (n > k && caps_text_ieq((const uint8_t *)name + n - k, k, local_suffix))
        n -= k;
    if (n >= CAPS_HOSTNAME_MAX)
        n = CAPS_HOSTNAME_MAX - 1;
    memcpy(out, name, n);
    out[n] = '\0';
}

int caps_ingest_mdns(struct caps_sensor *s, const struct caps_frame *f, uint64_t ts_us)
{
    struct caps_dns *m = &s->scratch->u.dns;
    int rc = caps_dns_parse(f->payload, f->payload_len, m);

    if (rc != 0)
        return rc;
    struct caps_asset *a = caps_ingest_source(s, f, ts_us, CAPS_PROTO_MDNS);
    if (a == NULL)
        return CAPS_OK;

    const struct caps_dns_rr *self = NULL;
    for (uint16_t i = 0; i < m->record_count && self == NULL; i++)
        if (m->records[i].ttl_s != 0 && rr_is_sender(&m->records[i], f))
            self = &m->records[i];
    if (self == NULL)
        return CAPS_OK;

    char host[CAPS_HOSTNAME_MAX];
    host_label(self->name, host);
    caps_asset_set_hostname(a, host, CAPS_RANK_MDNS);
    for (uint16_t i = 0; i < m->record_count; i++) {
        const struct caps_dns_rr *rr = &m->records[i];
        if (rr->ttl_s == 0 || strcmp(rr->name, self->name) != 0)
            continue;
        if (rr->type == CAPS_DNS_TYPE_A && caps_ip4_is_unicast(rr->rd.a))
            caps_asset_add_ip4(a, rr->rd.a);
        else if (rr->type == CAPS_DNS_TYPE_AAAA && caps_ip6_is_unicast(rr->rd.aaaa))
            caps_asset_add_ip6(a, rr->rd.aaaa);
    }
    return CAPS_OK;
}
