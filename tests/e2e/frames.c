/* frames.c - test frame builder (see frames.h). Checksums per RFC 791 (IPv4
 * header), RFC 768 and RFC 8200 8.1 (UDP over an IPv4 or IPv6 pseudo header). */
#include <string.h>

#include "frames.h"

static void put16(uint8_t *p, unsigned v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

static uint32_t sum16(const uint8_t *p, size_t n, uint32_t acc)
{
    for (size_t i = 0; i + 1 < n; i += 2)
        acc += (uint32_t)p[i] << 8 | p[i + 1];
    if (n & 1)
        acc += (uint32_t)p[n - 1] << 8;
    return acc;
}

static uint16_t fold(uint32_t acc)
{
    while (acc >> 16)
        acc = (acc & 0xffff) + (acc >> 16);
    return (uint16_t)~acc;
}

size_t frame_build(const struct frame_spec *spec, const uint8_t *payload, size_t len,
                   uint8_t out[FRAME_BYTES_MAX])
{
    size_t off = 0;
    size_t ip_hdr = spec->ip_version == 6 ? 40 : spec->ip_version == 4 ? 20 : 0;
    size_t l4 = spec->ip_version ? 8 : 0;

    if (14 + 4 + ip_hdr + l4 + len > FRAME_BYTES_MAX)
        return 0;
    memcpy(out, spec->dst_mac, 6);
    memcpy(out + 6, spec->src_mac, 6);
    off = 12;
    if (spec->vlan_id != 0) {
        put16(out + off, 0x8100);
        put16(out + off + 2, spec->vlan_id & 0x0fff);
        off += 4;
    }
    put16(out + off, spec->ip_version == 6 ? 0x86dd : spec->ip_version == 4 ? 0x0800 : 0x0806);
    off += 2;
    if (spec->ip_version == 0) {
        memcpy(out + off, payload, len);
        off += len;
    } else {
        uint8_t *ip = out + off;
        uint8_t *udp = ip + ip_hdr;
        size_t udp_len = 8 + len;
        uint32_t acc;
        if (spec->ip_version == 4) {
            ip[0] = 0x45;
            ip[1] = 0;
            put16(ip + 2, (unsigned)(20 + udp_len));
            put16(ip + 4, 0);
            put16(ip + 6, 0);
            ip[8] = spec->ttl;
            ip[9] = 17;
            put16(ip + 10, 0);
            memcpy(ip + 12, spec->src_ip, 4);
            memcpy(ip + 16, spec->dst_ip, 4);
            put16(ip + 10, fold(sum16(ip, 20, 0)));
            acc = sum16(spec->src_ip, 4, 0);
            acc = sum16(spec->dst_ip, 4, acc);
        } else {
            ip[0] = 0x60;
            ip[1] = ip[2] = ip[3] = 0;
            put16(ip + 4, (unsigned)udp_len);
            ip[6] = 17;
            ip[7] = spec->ttl;
            memcpy(ip + 8, spec->src_ip, 16);
            memcpy(ip + 24, spec->dst_ip, 16);
            acc = sum16(spec->src_ip, 16, 0);
            acc = sum16(spec->dst_ip, 16, acc);
        }
        acc += 17 + (uint32_t)udp_len;
        put16(udp, spec->src_port);
        put16(udp + 2, spec->dst_port);
        put16(udp + 4, (unsigned)udp_len);
        put16(udp + 6, 0);
        memcpy(udp + 8, payload, len);
        uint16_t ck = fold(sum16(udp, udp_len, acc));
        put16(udp + 6, ck == 0 ? 0xffff : ck);
        off += ip_hdr + udp_len;
    }
    if (off < 60) {
        memset(out + off, 0, 60 - off);
        off = 60;
    }
    return off;
}
