/* ingest_ssdp.c - what an SSDP message tells the inventory.
 *
 * NOTIFY, M-SEARCH and search responses all come from the device that sends
 * them (UDA 1.1 1.1: the source address of an advertisement is the device's),
 * so the frame's source MAC and address are recorded. A byebye still proves
 * the device is on the segment at that moment. The headers (SERVER,
 * USER-AGENT, NT of an advertisement, ST of a search response) are
 * fingerprint evidence.
 */
#include "ingest.h"

int caps_ingest_ssdp(struct caps_sensor *s, const struct caps_frame *f, uint64_t ts_us)
{
    struct caps_ssdp *m = &s->scratch->u.ssdp;
    int rc = caps_ssdp_parse(f->payload, f->payload_len, m);

    if (rc != 0)
        return rc;
    struct caps_asset *a = caps_ingest_source(s, f, ts_us, CAPS_PROTO_SSDP);
    if (a == NULL)
        return CAPS_OK;
    if (m->present & CAPS_SSDP_FIELD_SERVER)
        caps_ingest_evidence(s, a, CAPS_EV_SSDP_SERVER, m->server, CAPS_PROTO_SSDP);
    if (m->present & CAPS_SSDP_FIELD_USER_AGENT)
        caps_ingest_evidence(s, a, CAPS_EV_SSDP_USER_AGENT, m->user_agent, CAPS_PROTO_SSDP);
    /* What the device is: NT of its advertisements, ST of its search
     * responses. The ST of an M-SEARCH is what the sender looks for. */
    if (m->method == CAPS_SSDP_METHOD_NOTIFY && (m->present & CAPS_SSDP_FIELD_NT))
        caps_ingest_evidence(s, a, CAPS_EV_SSDP_TYPE, m->nt, CAPS_PROTO_SSDP);
    else if (m->method == CAPS_SSDP_METHOD_RESPONSE && (m->present & CAPS_SSDP_FIELD_ST))
        caps_ingest_evidence(s, a, CAPS_EV_SSDP_TYPE, m->st, CAPS_PROTO_SSDP);
    return CAPS_OK;
}
