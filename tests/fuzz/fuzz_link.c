/* fuzz_link.c - libFuzzer target for caps_frame_parse (caps/link.h).
 *
 * The input is one captured frame. Checks that the walker returns a caps
 * error code and a layer in range, that the payload view lies inside the
 * frame, that the counts stay within their limits, and that after a 0 return
 * no field depends on what the output held before the call.
 */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "caps/error.h"
#include "caps/link.h"
#include "caps/proto.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_one(const uint8_t *data, size_t size, const struct caps_frame *f, int rc,
                      int layer)
{
    static const uint8_t zero[16] = {0};

    assert(rc <= 0 && rc > -CAPS_ERR_COUNT);
    assert(layer >= 0 && layer < CAPS_PROTO_COUNT);
    assert(f->vlan_count <= CAPS_VLAN_MAX);
    if (f->payload == NULL) {
        assert(f->payload_len == 0);
    } else {
        /* [payload, payload + payload_len) within [data, data + size) */
        assert(f->payload >= data && f->payload <= data + size);
        assert(f->payload_len <= (size_t)(data + size - f->payload));
    }
    if (rc != CAPS_OK) {
        assert(f->payload == NULL);
        return;
    }
    assert(size >= 14 + 4 * (size_t)f->vlan_count);
    assert(f->ip_version == 0 || f->ip_version == 4 || f->ip_version == 6);
    if (f->ip_version == 0) {
        assert(memcmp(f->src_ip, zero, 16) == 0 && memcmp(f->dst_ip, zero, 16) == 0);
        assert(f->ttl == 0 && f->ip_proto == 0 && !f->ip_fragment);
    }
    if (f->ip_version == 4)
        assert(memcmp(f->src_ip + 4, zero, 12) == 0 && memcmp(f->dst_ip + 4, zero, 12) == 0);
    if (f->ip_fragment)
        assert(f->payload == NULL);
    if (f->payload != NULL && f->ethertype != CAPS_ETHERTYPE_ARP) {
        assert(f->ip_version != 0 && f->ip_proto == CAPS_IPPROTO_UDP);
        /* The payload follows the 8-byte UDP header inside the frame. */
        assert((size_t)(f->payload - data) >= 14 + 20 + 8);
    }
    if (f->payload == NULL)
        assert(f->src_port == 0 && f->dst_port == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct caps_frame a, b;
    int layer_a = -1, layer_b = -1;

    memset(&a, 0x00, sizeof a);
    memset(&b, 0xff, sizeof b);
    int rc = caps_frame_parse(data, size, &a, &layer_a);
    int rc_b = caps_frame_parse(data, size, &b, &layer_b);
    check_one(data, size, &a, rc, layer_a);
    check_one(data, size, &b, rc_b, layer_b);
    assert(rc == rc_b);
    if (rc != CAPS_OK) {
        assert(layer_a == layer_b);
        return 0;
    }
    /* Every field is set on success, whatever the output held before. */
    assert(memcmp(a.dst_mac, b.dst_mac, 6) == 0 && memcmp(a.src_mac, b.src_mac, 6) == 0);
    assert(a.vlan_count == b.vlan_count);
    for (size_t i = 0; i < a.vlan_count; i++)
        assert(a.vlan_ids[i] == b.vlan_ids[i] && a.vlan_ids[i] <= 0x0fff);
    assert(a.ethertype == b.ethertype && a.ip_version == b.ip_version);
    assert(a.ip_proto == b.ip_proto && a.ttl == b.ttl && a.ip_fragment == b.ip_fragment);
    assert(memcmp(a.src_ip, b.src_ip, 16) == 0 && memcmp(a.dst_ip, b.dst_ip, 16) == 0);
    assert(a.src_port == b.src_port && a.dst_port == b.dst_port);
    assert(a.payload == b.payload && a.payload_len == b.payload_len);
    return 0;
}
