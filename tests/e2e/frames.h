/* frames.h - byte-exact Ethernet/IPv4/IPv6/UDP framing for test captures.
 *
 * Written apart from the core's decoders (it shares no code with them) so a
 * mistake in one cannot hide the same mistake in the other.
 */
#ifndef CAPS_TEST_FRAMES_H
#define CAPS_TEST_FRAMES_H

#include <stddef.h>
#include <stdint.h>

#define FRAME_BYTES_MAX 1600

struct frame_spec {
    uint8_t src_mac[6];
    uint8_t dst_mac[6];
    uint16_t vlan_id;            /* 0: untagged */
    int ip_version;              /* 4 or 6; 0 for ARP */
    uint8_t src_ip[16];
    uint8_t dst_ip[16];
    uint8_t ttl;
    uint16_t src_port;
    uint16_t dst_port;
};

/* Builds a frame carrying payload (UDP datagram for ip_version 4/6, ARP body
 * for 0) into out; pads to the 60-byte Ethernet minimum. Returns the frame
 * length, or 0 when it would not fit in FRAME_BYTES_MAX. */
size_t frame_build(const struct frame_spec *spec, const uint8_t *payload, size_t len,
                   uint8_t out[FRAME_BYTES_MAX]);

#endif
