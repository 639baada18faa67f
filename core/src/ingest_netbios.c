/* ingest_netbios.c - what NetBIOS name and datagram traffic tells the inventory.
 *
 * A NetBIOS name with suffix 0x00 (workstation) or 0x20 (file server) that is
 * unique (not a group) is the machine's name (RFC 1001 15, [MS-NBTE]). It is
 * taken from a broadcast registration or refresh (RFC 1002 4.2.2) when the
 * registered address is the sender's own, from a node status response's name
 * table, and from the source name and server name of browser announcements
 * ([MS-BRWS] 2.2.1; a domain announcement's server name is the workgroup, so
 * only its datagram source name counts).
 *
 * Fingerprint evidence: the machine name, the OS version of host and local
 * master announcements ([MS-BRWS] 2.2.1: OSMajorVersion.OSMinorVersion), the
 * roles its server type bits claim, its comment (Samba names itself there)
 * and the IP TTL of the sender's stack.
 */
#include <stdio.h>
#include <string.h>

#include "ingest.h"

#define NB_SUFFIX_WORKSTATION 0x00
#define NB_SUFFIX_SERVER 0x20

/* A name that can be a machine name: non-empty, not the "*" wildcard, and
 * free of the '?' that stands for a control byte (e.g. __MSBROWSE__). */
static int machine_name(const char *name, uint8_t suffix)
{
    if (suffix != NB_SUFFIX_WORKSTATION && suffix != NB_SUFFIX_SERVER)
        return 0;
    if (name[0] == '\0' || name[0] == '*')
        return 0;
    return strchr(name, '?') == NULL;
}

int caps_ingest_nbns(struct caps_sensor *s, const struct caps_frame *f, uint64_t ts_us)
{
    struct caps_nbns *m = &s->scratch->u.nbns;
    int rc = caps_nbns_parse(f->payload, f->payload_len, m);

    if (rc != 0)
        return rc;
    struct caps_asset *a = caps_ingest_source(s, f, ts_us, CAPS_PROTO_NBNS);
    if (a == NULL)
        return CAPS_OK;
    switch (m->kind) {
    case CAPS_NBNS_KIND_REGISTRATION:
    case CAPS_NBNS_KIND_REFRESH:
    case CAPS_NBNS_KIND_POSITIVE_RESPONSE:
        /* The record names the sender only when it binds the sender's own
         * address: a WINS server's or proxy's answer binds someone else's. */
        if (!m->has_rr || m->group || m->addrs_kept == 0 || f->ip_version != 4 ||
            memcmp(m->addrs[0].ip, f->src_ip, 4) != 0)
            break;
        if (machine_name(m->rr_name.name, m->rr_name.suffix)) {
            caps_asset_set_hostname(a, m->rr_name.name, CAPS_RANK_NETBIOS, ts_us);
            caps_ingest_evidence(s, a, CAPS_EV_HOSTNAME, m->rr_name.name, CAPS_PROTO_NBNS);
        }
        caps_ingest_ttl_evidence(s, a, f, CAPS_PROTO_NBNS);
        break;
    case CAPS_NBNS_KIND_NODE_STATUS_RESPONSE:
        for (uint8_t i = 0; i < m->node_names_kept; i++) {
            const struct caps_nbns_node_name *n = &m->node_names[i];
            if ((n->flags & CAPS_NBNS_NB_GROUP) == 0 && n->suffix == NB_SUFFIX_WORKSTATION &&
                machine_name(n->name, n->suffix)) {
                caps_asset_set_hostname(a, n->name, CAPS_RANK_NETBIOS, ts_us);
                caps_ingest_evidence(s, a, CAPS_EV_HOSTNAME, n->name, CAPS_PROTO_NBNS);
                break;
            }
        }
        break;
    default:
        break;
    }
    return CAPS_OK;
}

/* The roles a host announcement's server type claims, as evidence values.
 * Samba sets SV_TYPE_SERVER_NT as well as SV_TYPE_SERVER_UNIX to look like an
 * NT server; Windows never sets SERVER_UNIX, so with it the NT bits say
 * nothing about Windows. */
static void browser_roles(struct caps_sensor *s, struct caps_asset *a, uint32_t type)
{
    if (type & CAPS_SV_TYPE_SERVER_UNIX) {
        caps_ingest_evidence(s, a, CAPS_EV_BROWSER_ROLE, "server_unix", CAPS_PROTO_BROWSER);
        return;
    }
    if (type & CAPS_SV_TYPE_DOMAIN_CTRL)
        caps_ingest_evidence(s, a, CAPS_EV_BROWSER_ROLE, "domain_controller", CAPS_PROTO_BROWSER);
    if (type & CAPS_SV_TYPE_SERVER_NT)
        caps_ingest_evidence(s, a, CAPS_EV_BROWSER_ROLE, "server_nt", CAPS_PROTO_BROWSER);
    else if (type & CAPS_SV_TYPE_NT)
        caps_ingest_evidence(s, a, CAPS_EV_BROWSER_ROLE, "workstation_nt", CAPS_PROTO_BROWSER);
    if (type & CAPS_SV_TYPE_PRINTQ_SERVER)
        caps_ingest_evidence(s, a, CAPS_EV_BROWSER_ROLE, "print_server", CAPS_PROTO_BROWSER);
}

int caps_ingest_nbds(struct caps_sensor *s, const struct caps_frame *f, uint64_t ts_us)
{
    struct caps_nbds *m = &s->scratch->u.nbds;
    int rc = caps_nbds_parse(f->payload, f->payload_len, m);

    if (rc != 0)
        return rc;
    struct caps_asset *a = caps_ingest_source(s, f, ts_us, CAPS_PROTO_BROWSER);
    if (a == NULL)
        return CAPS_OK;
    /* The datagram's source name speaks for the sender only when the
     * datagram was not relayed: its source IP must be the frame's. */
    int direct = f->ip_version == 4 && memcmp(m->src_ip, f->src_ip, 4) == 0;
    if (m->is_browser && direct &&
        (m->browser.opcode == CAPS_BRWS_HOST_ANNOUNCEMENT ||
         m->browser.opcode == CAPS_BRWS_LOCAL_MASTER_ANNOUNCEMENT) &&
        machine_name(m->browser.server_name, NB_SUFFIX_SERVER)) {
        char os[8];
        caps_asset_set_hostname(a, m->browser.server_name, CAPS_RANK_NETBIOS, ts_us);
        caps_ingest_evidence(s, a, CAPS_EV_HOSTNAME, m->browser.server_name,
                             CAPS_PROTO_BROWSER);
        snprintf(os, sizeof os, "%u.%u", (unsigned)m->browser.os_major,
                 (unsigned)m->browser.os_minor);
        caps_ingest_evidence(s, a, CAPS_EV_BROWSER_OS, os, CAPS_PROTO_BROWSER);
        browser_roles(s, a, m->browser.server_type);
        caps_ingest_evidence(s, a, CAPS_EV_BROWSER_COMMENT, m->browser.comment,
                             CAPS_PROTO_BROWSER);
    } else if (m->has_source && direct && machine_name(m->source.name, m->source.suffix)) {
        caps_asset_set_hostname(a, m->source.name, CAPS_RANK_NETBIOS, ts_us);
        caps_ingest_evidence(s, a, CAPS_EV_HOSTNAME, m->source.name, CAPS_PROTO_BROWSER);
    }
    if (direct)
        caps_ingest_ttl_evidence(s, a, f, CAPS_PROTO_BROWSER);
    return CAPS_OK;
}
