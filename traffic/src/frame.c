/* frame.c - byte-exact builders for the frames a synthesized subnet sends.
 *
 * Written from the RFCs and [MS-BRWS], never from core's decoders. Every
 * builder writes into caller memory and allocates nothing; lengths are checked
 * against cap before each write. Multi-byte fields are written by shifts.
 */
#include "traffic/frame.h"

#include <string.h>

static void put16(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

static void put16le(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

static void put32le(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

uint32_t traffic_csum_add(uint32_t sum, const uint8_t *p, size_t n)
{
    size_t i = 0;
    for (; i + 1 < n; i += 2)
        sum += (uint32_t)p[i] << 8 | p[i + 1];
    if (i < n)
        sum += (uint32_t)p[i] << 8;
    return sum;
}

uint16_t traffic_csum_fold(uint32_t sum)
{
    while (sum >> 16)
        sum = (sum & 0xffffu) + (sum >> 16);
    return (uint16_t)~sum;
}

size_t traffic_udp4_finish(uint8_t *frame, const struct traffic_udp4 *a, size_t payload_len)
{
    uint8_t *ip = frame + TRAFFIC_ETH_HDR_BYTES;
    uint8_t *udp = ip + 20;
    size_t udp_len = 8 + payload_len;
    memcpy(frame, a->dst_mac, 6);
    memcpy(frame + 6, a->src_mac, 6);
    put16(frame + 12, 0x0800);
    ip[0] = 0x45;
    ip[1] = 0;
    put16(ip + 2, (uint32_t)(20 + udp_len));
    put16(ip + 4, a->ip_id);
    put16(ip + 6, 0);
    ip[8] = a->ttl;
    ip[9] = 17;
    put16(ip + 10, 0);
    put32(ip + 12, a->src_ip);
    put32(ip + 16, a->dst_ip);
    put16(ip + 10, traffic_csum_fold(traffic_csum_add(0, ip, 20)));
    put16(udp, a->src_port);
    put16(udp + 2, a->dst_port);
    put16(udp + 4, (uint32_t)udp_len);
    put16(udp + 6, 0);
    /* Pseudo header (RFC 768): addresses, zero + protocol, UDP length. */
    uint32_t sum = traffic_csum_add(0, ip + 12, 8);
    sum += 17u + (uint32_t)udp_len;
    sum = traffic_csum_add(sum, udp, udp_len);
    uint16_t c = traffic_csum_fold(sum);
    put16(udp + 6, c == 0 ? 0xffffu : c); /* 0 means "no checksum" */
    size_t len = TRAFFIC_UDP4_PAYLOAD_OFF + payload_len;
    if (len < TRAFFIC_ETH_MIN_BYTES) {
        memset(frame + len, 0, TRAFFIC_ETH_MIN_BYTES - len);
        len = TRAFFIC_ETH_MIN_BYTES;
    }
    return len;
}

size_t traffic_arp_build(uint8_t *frame, const uint8_t eth_dst[6], uint16_t op,
                         const uint8_t sha[6], uint32_t spa, const uint8_t tha[6], uint32_t tpa)
{
    memcpy(frame, eth_dst, 6);
    memcpy(frame + 6, sha, 6);
    put16(frame + 12, 0x0806);
    uint8_t *a = frame + 14;
    put16(a, 1);        /* Ethernet */
    put16(a + 2, 0x0800);
    a[4] = 6;
    a[5] = 4;
    put16(a + 6, op);
    memcpy(a + 8, sha, 6);
    put32(a + 14, spa);
    memcpy(a + 18, tha, 6);
    put32(a + 24, tpa);
    memset(frame + 42, 0, TRAFFIC_ETH_MIN_BYTES - 42);
    return TRAFFIC_ETH_MIN_BYTES;
}

/* ---- DHCP ---------------------------------------------------------------- */

struct optw {
    uint8_t *p;
    size_t cap, len;
    int failed;
};

static void opt_raw(struct optw *o, uint8_t code, const void *v, size_t n)
{
    if (n > 255 || o->len + 2 + n > o->cap) {
        o->failed = 1;
        return;
    }
    o->p[o->len] = code;
    o->p[o->len + 1] = (uint8_t)n;
    if (n)
        memcpy(o->p + o->len + 2, v, n);
    o->len += 2 + n;
}

static void opt_u32(struct optw *o, uint8_t code, uint32_t v)
{
    uint8_t b[4];
    put32(b, v);
    opt_raw(o, code, b, 4);
}

size_t traffic_dhcp_build(uint8_t *buf, size_t cap, const struct traffic_dhcp_msg *m)
{
    if (cap < 240 + 4)
        return 0;
    memset(buf, 0, 240);
    buf[0] = m->op;
    buf[1] = 1;
    buf[2] = 6;
    put32(buf + 4, m->xid);
    put16(buf + 8, m->secs);
    put16(buf + 10, m->flags);
    put32(buf + 12, m->ciaddr);
    put32(buf + 16, m->yiaddr);
    put32(buf + 20, m->siaddr);
    memcpy(buf + 28, m->chaddr, 6);
    put32(buf + 236, 0x63825363u); /* magic cookie */
    struct optw o = {buf + 240, cap - 240 - 1, 0, 0};
    for (size_t i = 0; i < m->order_len; i++) {
        uint8_t c = m->order[i];
        switch (c) {
        case 53: opt_raw(&o, 53, &m->msg_type, 1); break;
        case 1: if (m->subnet_mask) opt_u32(&o, 1, m->subnet_mask); break;
        case 3: if (m->router) opt_u32(&o, 3, m->router); break;
        case 6: if (m->dns_server) opt_u32(&o, 6, m->dns_server); break;
        case 28: if (m->broadcast) opt_u32(&o, 28, m->broadcast); break;
        case 50: if (m->requested_ip) opt_u32(&o, 50, m->requested_ip); break;
        case 54: if (m->server_id) opt_u32(&o, 54, m->server_id); break;
        case 51: if (m->lease_s) opt_u32(&o, 51, m->lease_s); break;
        case 58: if (m->renew_s) opt_u32(&o, 58, m->renew_s); break;
        case 59: if (m->rebind_s) opt_u32(&o, 59, m->rebind_s); break;
        case 15:
            if (m->domain_name && *m->domain_name)
                opt_raw(&o, 15, m->domain_name, strlen(m->domain_name));
            break;
        case 12:
            if (m->host_name && *m->host_name)
                opt_raw(&o, 12, m->host_name, strlen(m->host_name));
            break;
        case 81:
            /* Client FQDN (RFC 4702) as Windows sends it: flags 0, rcodes 0,
             * the bare name in ASCII (E bit clear). */
            if (m->host_name && *m->host_name) {
                uint8_t f[3 + 64];
                size_t n = strlen(m->host_name);
                if (n > 63)
                    n = 63;
                f[0] = 0;
                f[1] = 0;
                f[2] = 0;
                memcpy(f + 3, m->host_name, n);
                opt_raw(&o, 81, f, 3 + n);
            }
            break;
        case 60:
            if (m->vendor_class && *m->vendor_class)
                opt_raw(&o, 60, m->vendor_class, strlen(m->vendor_class));
            break;
        case 55: if (m->prl_len) opt_raw(&o, 55, m->prl, m->prl_len); break;
        case 61: if (m->client_id_len) opt_raw(&o, 61, m->client_id, m->client_id_len); break;
        case 57:
            if (m->max_msg_bytes) {
                uint8_t b[2];
                put16(b, m->max_msg_bytes);
                opt_raw(&o, 57, b, 2);
            }
            break;
        case 26:
            if (m->interface_mtu) {
                uint8_t b[2];
                put16(b, m->interface_mtu);
                opt_raw(&o, 26, b, 2);
            }
            break;
        case 116: { uint8_t one = 1; opt_raw(&o, 116, &one, 1); } break; /* auto-configure */
        case 80: opt_raw(&o, 80, NULL, 0); break;                         /* rapid commit */
        case 145: { uint8_t one = 1; opt_raw(&o, 145, &one, 1); } break;  /* FORCERENEW nonce: HMAC-MD5 */
        default: break;
        }
    }
    if (o.failed)
        return 0;
    size_t len = 240 + o.len;
    buf[len++] = 255;
    if (len < m->pad_to_bytes) {
        if (m->pad_to_bytes > cap)
            return 0;
        memset(buf + len, 0, m->pad_to_bytes - len);
        len = m->pad_to_bytes;
    }
    return len;
}

/* ---- NetBIOS ------------------------------------------------------------- */

void traffic_netbios_name_encode(uint8_t out[34], const char *name, uint8_t suffix)
{
    char n[16];
    size_t i = 0;
    for (; i < 15 && name[i]; i++) {
        char c = name[i];
        n[i] = (c >= 'a' && c <= 'z') ? (char)(c - 'a' + 'A') : c;
    }
    for (; i < 15; i++)
        n[i] = ' ';
    n[15] = (char)suffix;
    out[0] = 32;
    for (i = 0; i < 16; i++) {
        uint8_t b = (uint8_t)n[i];
        out[1 + 2 * i] = (uint8_t)('A' + (b >> 4));
        out[2 + 2 * i] = (uint8_t)('A' + (b & 0x0f));
    }
    out[33] = 0;
}

size_t traffic_nbns_build_registration(uint8_t *buf, size_t cap, uint16_t trn_id,
                                       const char *name, uint8_t suffix, int group,
                                       uint32_t ip, uint32_t ttl_s, int refresh)
{
    const size_t len = 12 + 34 + 4 + 2 + 4 + 4 + 2 + 6;
    if (cap < len)
        return 0;
    put16(buf, trn_id);
    /* Opcode 5 registration or 8 refresh, RD, B (RFC 1002 4.2.1.1). */
    put16(buf + 2, refresh ? 0x4110u : 0x2910u);
    put16(buf + 4, 1);
    put16(buf + 6, 0);
    put16(buf + 8, 0);
    put16(buf + 10, 1);
    traffic_netbios_name_encode(buf + 12, name, suffix);
    put16(buf + 46, 0x0020); /* NB */
    put16(buf + 48, 0x0001); /* IN */
    put16(buf + 50, 0xC00C); /* the question's name */
    put16(buf + 52, 0x0020);
    put16(buf + 54, 0x0001);
    put32(buf + 56, ttl_s);
    put16(buf + 60, 6);
    put16(buf + 62, group ? 0x8000u : 0); /* G bit, ONT 0 = B node */
    put32(buf + 64, ip);
    return len;
}

size_t traffic_browser_build(uint8_t *buf, size_t cap, const struct traffic_browser_announce *a)
{
    static const char mailslot[] = "\\MAILSLOT\\BROWSE";
    size_t comment_len = strlen(a->comment) + 1;
    if (comment_len > 44)
        comment_len = 44;
    const size_t data_len = 1 + 1 + 4 + 16 + 1 + 1 + 4 + 1 + 1 + 2 + comment_len;
    const size_t smb_len = 32 + 1 + 34 + 2 + sizeof mailslot + data_len;
    const size_t len = 14 + 34 + 34 + smb_len;
    if (cap < len)
        return 0;
    /* NetBIOS datagram header (RFC 1002 4.4.1): direct group, first fragment,
     * B node. DGM_LENGTH counts from the source name to the end. */
    buf[0] = 0x11;
    buf[1] = 0x02;
    put16(buf + 2, a->dgm_id);
    put32(buf + 4, a->src_ip);
    put16(buf + 8, 138);
    put16(buf + 10, (uint32_t)(34 + 34 + smb_len));
    put16(buf + 12, 0);
    traffic_netbios_name_encode(buf + 14, a->host, 0x00);
    traffic_netbios_name_encode(buf + 48, a->workgroup, 0x1D);
    uint8_t *smb = buf + 82;
    memset(smb, 0, 32);
    smb[0] = 0xFF;
    smb[1] = 'S';
    smb[2] = 'M';
    smb[3] = 'B';
    smb[4] = 0x25; /* SMB_COM_TRANSACTION */
    uint8_t *w = smb + 32;
    w[0] = 17; /* word count */
    uint8_t *words = w + 1;
    memset(words, 0, 34);
    const uint32_t data_off = 32 + 1 + 34 + 2 + (uint32_t)sizeof mailslot;
    /* [MS-CIFS] 2.2.4.33.1 word layout, byte offsets into the 34 word bytes. */
    put16le(words + 2, (uint32_t)data_len);     /* TotalDataCount */
    put16le(words + 20, data_off);              /* ParameterOffset (no parameters) */
    put16le(words + 22, (uint32_t)data_len);    /* DataCount */
    put16le(words + 24, data_off);              /* DataOffset */
    words[26] = 3;                              /* SetupCount */
    put16le(words + 28, 1);                     /* opcode: mailslot write */
    put16le(words + 30, 1);                     /* priority */
    put16le(words + 32, 2);                     /* class: unreliable, broadcast */
    put16le(words + 34, (uint32_t)(sizeof mailslot + data_len)); /* ByteCount */
    uint8_t *p = words + 36;
    memcpy(p, mailslot, sizeof mailslot);
    p += sizeof mailslot;
    p[0] = 0x01; /* HostAnnouncement */
    p[1] = a->update_count;
    put32le(p + 2, a->periodicity_ms);
    memset(p + 6, 0, 16);
    size_t hn = strlen(a->host);
    if (hn > 15)
        hn = 15;
    for (size_t i = 0; i < hn; i++) {
        char c = a->host[i];
        p[6 + i] = (uint8_t)((c >= 'a' && c <= 'z') ? c - 'a' + 'A' : c);
    }
    p[22] = a->os_major;
    p[23] = a->os_minor;
    put32le(p + 24, a->server_type);
    p[28] = 15; /* browser protocol version 15.1 */
    p[29] = 1;
    put16le(p + 30, 0xAA55);
    memcpy(p + 32, a->comment, comment_len - 1);
    p[32 + comment_len - 1] = 0;
    return len;
}

/* ---- DNS / mDNS ---------------------------------------------------------- */

static void dns_need(struct traffic_dns_writer *w, size_t n)
{
    if (w->failed || n > w->cap - w->len)
        w->failed = 1;
}

void traffic_dns_begin(struct traffic_dns_writer *w, uint8_t *buf, size_t cap, uint16_t id,
                       uint16_t flags)
{
    w->buf = buf;
    w->cap = cap;
    w->len = 0;
    w->failed = 0;
    w->name_count = 0;
    memset(w->counts, 0, sizeof w->counts);
    dns_need(w, 12);
    if (w->failed)
        return;
    memset(buf, 0, 12);
    put16(buf, id);
    put16(buf + 2, flags);
    w->len = 12;
}

static int lower(int c)
{
    return (c >= 'A' && c <= 'Z') ? c - 'A' + 'a' : c;
}

/* Does the wire name at off equal text[0..n) (dotted, no trailing dot)?
 * Follows pointers; bounded by the bytes written and a hop limit. */
static int dns_name_equals(const struct traffic_dns_writer *w, size_t off, const char *text,
                           size_t n)
{
    size_t t = 0;
    for (int hops = 0; hops < 64; hops++) {
        if (off >= w->len)
            return 0;
        uint8_t l = w->buf[off];
        if ((l & 0xC0) == 0xC0) {
            if (off + 1 >= w->len)
                return 0;
            off = (size_t)(l & 0x3F) << 8 | w->buf[off + 1];
            continue;
        }
        if (l == 0)
            return t == n + 1 || (n == 0 && t == 0);
        if (t > n || off + 1 + l > w->len)
            return 0;
        if (t != 0 && text[t - 1] != '.')
            return 0;
        if (t + l > n)
            return 0;
        for (size_t i = 0; i < l; i++)
            if (lower(w->buf[off + 1 + i]) != lower((unsigned char)text[t + i]))
                return 0;
        t += l;
        if (t < n && text[t] != '.')
            return 0;
        t += 1; /* past the dot (or one past the end) */
        off += 1 + l;
    }
    return 0;
}

void traffic_dns_put_name(struct traffic_dns_writer *w, const char *name)
{
    size_t n = strlen(name);
    size_t pos = 0;
    while (pos < n) {
        /* Longest suffix first: the whole remaining name already written? */
        for (uint32_t i = 0; i < w->name_count; i++) {
            if (dns_name_equals(w, w->name_off[i], name + pos, n - pos)) {
                dns_need(w, 2);
                if (w->failed)
                    return;
                put16(w->buf + w->len, 0xC000u | w->name_off[i]);
                w->len += 2;
                return;
            }
        }
        const char *dot = memchr(name + pos, '.', n - pos);
        size_t l = dot ? (size_t)(dot - (name + pos)) : n - pos;
        if (l == 0 || l > 63) {
            w->failed = 1;
            return;
        }
        dns_need(w, 1 + l);
        if (w->failed)
            return;
        if (w->name_count < TRAFFIC_DNS_NAMES_MAX && w->len < 0x3FFF)
            w->name_off[w->name_count++] = (uint16_t)w->len;
        w->buf[w->len] = (uint8_t)l;
        memcpy(w->buf + w->len + 1, name + pos, l);
        w->len += 1 + l;
        pos += l + (dot ? 1 : 0);
    }
    dns_need(w, 1);
    if (w->failed)
        return;
    w->buf[w->len++] = 0;
}

void traffic_dns_put_bytes(struct traffic_dns_writer *w, const void *p, size_t n)
{
    dns_need(w, n);
    if (w->failed)
        return;
    memcpy(w->buf + w->len, p, n);
    w->len += n;
}

void traffic_dns_put_u16(struct traffic_dns_writer *w, uint16_t v)
{
    uint8_t b[2];
    put16(b, v);
    traffic_dns_put_bytes(w, b, 2);
}

void traffic_dns_put_u32(struct traffic_dns_writer *w, uint32_t v)
{
    uint8_t b[4];
    put32(b, v);
    traffic_dns_put_bytes(w, b, 4);
}

void traffic_dns_put_cstr(struct traffic_dns_writer *w, const char *s)
{
    size_t n = strlen(s);
    if (n > 255)
        n = 255;
    uint8_t l = (uint8_t)n;
    traffic_dns_put_bytes(w, &l, 1);
    traffic_dns_put_bytes(w, s, n);
}

void traffic_dns_question(struct traffic_dns_writer *w, const char *name, uint16_t type,
                          uint16_t qclass)
{
    traffic_dns_put_name(w, name);
    traffic_dns_put_u16(w, type);
    traffic_dns_put_u16(w, qclass);
    w->counts[0]++;
}

size_t traffic_dns_rr_begin(struct traffic_dns_writer *w, int section, const char *name,
                            uint16_t type, uint16_t rclass, uint32_t ttl_s)
{
    traffic_dns_put_name(w, name);
    traffic_dns_put_u16(w, type);
    traffic_dns_put_u16(w, rclass);
    traffic_dns_put_u32(w, ttl_s);
    size_t off = w->len;
    traffic_dns_put_u16(w, 0);
    if (section >= 1 && section <= 3)
        w->counts[section]++;
    return off;
}

void traffic_dns_rr_end(struct traffic_dns_writer *w, size_t rdlen_off)
{
    if (w->failed)
        return;
    put16(w->buf + rdlen_off, (uint32_t)(w->len - rdlen_off - 2));
}

size_t traffic_dns_end(struct traffic_dns_writer *w)
{
    if (w->failed)
        return 0;
    for (int i = 0; i < 4; i++)
        put16(w->buf + 4 + 2 * i, w->counts[i]);
    return w->len;
}
