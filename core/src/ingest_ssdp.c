/* ingest_ssdp.c - what an SSDP message tells the inventory.
 *
 * NOTIFY, M-SEARCH and search responses all come from the device that sends
 * them (UDA 1.1 1.1: the source address of an advertisement is the device's),
 * so the frame's source MAC and address are recorded. A byebye still proves
 * the device is on the segment at that moment. The headers (SERVER,
 * USER-AGENT, NT/USN) are kept for fingerprinting; this layer records the
 * device and its address only.
 */
#include "ingest.h"

int caps_ingest_ssdp(struct caps_sensor *s, const struct caps_frame *f, uint64_t ts_us)
{
    struct caps_ssdp *m = &s->scratch->u.ssdp;
    int rc = caps_ssdp_parse(f->payload, f->payload_len, m);

    if (rc != 0)
        return rc;
    caps_ingest_source(s, f, ts_us, CAPS_PROTO_SSDP);
    return CAPS_OK;
}
