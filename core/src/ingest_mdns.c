/* ingest_mdns.c - what an mDNS message tells the inventory.
 *
 * The sender's MAC and source address come from the frame. Its host name is
 * the owner of an A or AAAA record (in any section: announcements use the
 * answer section, probes the authority section) whose address is the frame's
 * own source address; the other addresses under that same name are its
 * addresses too. Records for other addresses are not the sender's: a Bonjour
 * Sleep Proxy answers for the sleeping hosts it stands in for (RFC 6762 15.6
 * and Apple's sleep proxy), so they are never taken as the sender's.
 *
 * Fingerprint evidence (service types, TXT strings, HINFO) comes from
 * responses only, and not from a response that carries other hosts'
 * addresses without the sender's own: that is a proxy, describing others.
 */
#include <stdio.h>
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

/* "_airplay._tcp" from "_airplay._tcp.local" or from an instance name
 * "Living Room._airplay._tcp.local": the two labels before "local" when they
 * are "_service" and "_tcp"/"_udp" (RFC 6763 7). Returns 0 when name has none. */
static int service_type(const char *name, char out[CAPS_EV_VALUE_MAX])
{
    size_t n = strlen(name);
    size_t k = sizeof local_suffix - 1;

    if (n <= k || !caps_text_ieq((const uint8_t *)name + n - k, k, local_suffix))
        return 0;
    n -= k;
    const char *proto = NULL;
    if (n >= 5 && (caps_text_ieq((const uint8_t *)name + n - 5, 5, "._tcp") ||
                   caps_text_ieq((const uint8_t *)name + n - 5, 5, "._udp")))
        proto = name + n - 4;
    if (proto == NULL)
        return 0;
    /* The service label starts after the previous unescaped dot. */
    size_t end = (size_t)(proto - name) - 1;     /* the dot before "_tcp" */
    size_t begin = end;
    while (begin > 0 && !(name[begin - 1] == '.' && (begin < 2 || name[begin - 2] != '\\')))
        begin--;
    if (name[begin] != '_' || n - begin >= CAPS_EV_VALUE_MAX)
        return 0;
    memcpy(out, name + begin, n - begin);
    out[n - begin] = '\0';
    return 1;
}

/* Evidence from the records of a message that speaks for its sender: the
 * service types it announces, its TXT strings and HINFO. */
static void mdns_evidence(struct caps_sensor *s, struct caps_asset *a, const struct caps_dns *m)
{
    char value[CAPS_EV_VALUE_MAX];

    for (uint16_t i = 0; i < m->record_count; i++) {
        const struct caps_dns_rr *rr = &m->records[i];
        if (rr->ttl_s == 0)
            continue;
        switch (rr->type) {
        case CAPS_DNS_TYPE_PTR:
            if (service_type(rr->name, value) &&
                strncmp(value, "_services._dns-sd._udp", 22) != 0)
                caps_ingest_evidence(s, a, CAPS_EV_MDNS_SERVICE, value, CAPS_PROTO_MDNS);
            break;
        case CAPS_DNS_TYPE_SRV:
            if (service_type(rr->name, value))
                caps_ingest_evidence(s, a, CAPS_EV_MDNS_SERVICE, value, CAPS_PROTO_MDNS);
            break;
        case CAPS_DNS_TYPE_TXT: {
            struct caps_dns_txt_iter it;
            struct caps_dns_txt_item item;
            caps_dns_txt_iter_init(&it, rr);
            while (caps_dns_txt_next(&it, &item)) {
                if (item.len == 0 || item.key_len == 0)
                    continue;
                caps_text_copy(value, sizeof value, item.str, item.len);
                caps_ingest_evidence(s, a, CAPS_EV_MDNS_TXT, value, CAPS_PROTO_MDNS);
            }
            break;
        }
        case CAPS_DNS_TYPE_HINFO:
            snprintf(value, sizeof value, "%s %s", rr->rd.hinfo.cpu, rr->rd.hinfo.os);
            caps_ingest_evidence(s, a, CAPS_EV_MDNS_HINFO, value, CAPS_PROTO_MDNS);
            break;
        default:
            break;
        }
    }
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
    int foreign_addresses = 0;
    for (uint16_t i = 0; i < m->record_count; i++) {
        const struct caps_dns_rr *rr = &m->records[i];
        if (rr->ttl_s == 0 || (rr->type != CAPS_DNS_TYPE_A && rr->type != CAPS_DNS_TYPE_AAAA))
            continue;
        if (self == NULL && rr_is_sender(rr, f))
            self = rr;
        else if (!rr_is_sender(rr, f) && (self == NULL || strcmp(rr->name, self->name) != 0))
            foreign_addresses = 1;
    }
    /* A response that names other hosts' addresses and not the sender's is a
     * proxy speaking for others: nothing in it describes the sender. Queries
     * and probes (qr 0) describe the sender through their answers only. */
    if (m->qr && (self != NULL || !foreign_addresses))
        mdns_evidence(s, a, m);
    if (self == NULL)
        return CAPS_OK;

    char host[CAPS_HOSTNAME_MAX];
    host_label(self->name, host);
    caps_asset_set_hostname(a, host, CAPS_RANK_MDNS, ts_us);
    caps_ingest_evidence(s, a, CAPS_EV_HOSTNAME, host, CAPS_PROTO_MDNS);
    for (uint16_t i = 0; i < m->record_count; i++) {
        const struct caps_dns_rr *rr = &m->records[i];
        if (rr->ttl_s == 0 || strcmp(rr->name, self->name) != 0)
            continue;
        if (rr->type == CAPS_DNS_TYPE_A && caps_ip4_is_unicast(rr->rd.a))
            caps_asset_add_ip4(a, rr->rd.a, ts_us);
        else if (rr->type == CAPS_DNS_TYPE_AAAA && caps_ip6_is_unicast(rr->rd.aaaa))
            caps_asset_add_ip6(a, rr->rd.aaaa, ts_us);
    }
    return CAPS_OK;
}
