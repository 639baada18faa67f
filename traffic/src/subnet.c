/* subnet.c - the synthesized subnet: hosts drawn from profiles, their join,
 * periodic and leave behaviour as events, one frame per event step.
 *
 * Events live in one binary heap ordered by (sim time, host key, per-host
 * sequence); each host has at most one pending event per kind (enum ev) and
 * a generation number that cancels its pending events when it leaves. A
 * one-frame lookahead (s->pending) makes peek exact even though some events
 * (join, leave) send nothing. Every draw comes from the host's own stream and
 * every address is a function of the host index, so adding a host leaves the
 * others' frames unchanged. No allocation per frame.
 */
#include "traffic/frame.h"
#include "traffic/profile.h"
#include "traffic/rng.h"
#include "traffic/subnet.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define US_PER_S 1000000ull
#define HOST_OFFSET_FIRST 16u          /* .1 gateway, .2-.15 left for sensors/static */
#define JOIN_SPREAD_US (600ull * US_PER_S)  /* initial joins spread over 10 minutes */
#define MACS_MAX 64u                   /* truth keeps at most this many MACs / IPs per host */
#define SSDP_COPIES 2u                 /* UDA 1.1 1.1.2: advertisements are repeated */
#define NBNS_TRIES 3u                  /* RFC 1002 B-node BCAST_REQ_RETRY_COUNT */
#define SSDP_MULTICAST_TTL 2           /* UDA 1.1 1.1.2 default multicast TTL */
#define MDNS_TTL 255                   /* RFC 6762 11 */

enum ev {
    EV_LIFE,     /* join or leave starts (no frame) */
    EV_DHCP,     /* DORA steps 0-3, renewal steps 10-11 */
    EV_INFORM,
    EV_ARPJ,     /* probes and announcements after an address is bound */
    EV_ARPREQ,
    EV_NBNS,
    EV_BROWSER,
    EV_SSDP,
    EV_MSEARCH,
    EV_MDNSJ,
    EV_MDNSQ,
    EV_LEAVE,
    EV_COUNT
};

struct event {
    uint64_t t_us;
    uint32_t key;   /* host index, UINT32_MAX for the gateway */
    uint32_t seq;   /* per-host */
    uint32_t host;  /* index into s->hosts */
    uint32_t gen;
    uint16_t kind;
    uint16_t step;
};

struct host_text {
    char inst[TRAFFIC_SVC_MAX][64];
    uint16_t txt_len[TRAFFIC_SVC_MAX];
    uint8_t txt[TRAFFIC_SVC_MAX][512];
};

struct host {
    const struct traffic_profile *prof;
    struct traffic_rng rng;
    uint32_t key;
    uint32_t gen;
    uint32_t seq;
    int online;
    int is_gateway;
    uint8_t mac[6];
    uint32_t ip;           /* 0 before the first lease */
    uint32_t ip_primary, ip_alt;
    uint32_t xid;
    uint32_t req_ip;       /* option 50 in DISCOVER: the last address, 0 on first boot */
    uint16_t ip_id;
    uint16_t nb_trn;
    uint16_t browser_k;
    uint16_t arp_ip_changed;
    uint64_t ssdp_burst_us;
    uint64_t left_us;
    uint32_t boot_id;
    char hostname[64];
    char vendor_class[96];
    char uuid[40];
    struct host_text *text;
    /* truth */
    uint32_t mac_count, ip_count;
    uint8_t macs[MACS_MAX][6];
    uint32_t ips[MACS_MAX];
    uint64_t first_frame_us;
    int seen;
};

struct traffic_subnet {
    struct traffic_subnet_config cfg;
    struct traffic_profiles prof;      /* copy: items owned here */
    uint32_t host_count;               /* hosts + gateway */
    struct host *hosts;
    struct event *heap;
    size_t heap_len, heap_cap;
    uint32_t net, mask, gw_ip, bcast;
    int alt_ok;
    struct traffic_frame pending;
    int has_pending;
    uint8_t scratch[TRAFFIC_FRAME_BYTES_MAX];
};

static const uint8_t BCAST_MAC[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
static const uint8_t ZERO_MAC[6] = {0};
static const uint8_t SSDP_MAC[6] = {0x01, 0x00, 0x5e, 0x7f, 0xff, 0xfa};
static const uint8_t MDNS_MAC[6] = {0x01, 0x00, 0x5e, 0x00, 0x00, 0xfb};
#define SSDP_IP 0xEFFFFFFAu
#define MDNS_IP 0xE00000FBu

/* ---- heap ---------------------------------------------------------------- */

static int ev_less(const struct event *a, const struct event *b)
{
    if (a->t_us != b->t_us)
        return a->t_us < b->t_us;
    if (a->key != b->key)
        return a->key < b->key;
    return a->seq < b->seq;
}

static void heap_push(struct traffic_subnet *s, struct event e)
{
    assert(s->heap_len < s->heap_cap);
    size_t i = s->heap_len++;
    while (i > 0) {
        size_t parent = (i - 1) / 2;
        if (!ev_less(&e, &s->heap[parent]))
            break;
        s->heap[i] = s->heap[parent];
        i = parent;
    }
    s->heap[i] = e;
}

static struct event heap_pop(struct traffic_subnet *s)
{
    struct event top = s->heap[0];
    struct event last = s->heap[--s->heap_len];
    size_t i = 0, n = s->heap_len;
    for (;;) {
        size_t l = 2 * i + 1;
        if (l >= n)
            break;
        size_t m = (l + 1 < n && ev_less(&s->heap[l + 1], &s->heap[l])) ? l + 1 : l;
        if (!ev_less(&s->heap[m], &last))
            break;
        s->heap[i] = s->heap[m];
        i = m;
    }
    if (n)
        s->heap[i] = last;
    return top;
}

/* One pending event per (host, kind): the kind's handler reschedules itself.
 * The heap holds at most EV_COUNT entries per host plus stale ones cancelled by
 * a generation bump; pushes beyond the capacity grow it (rare, at leave). */
static void sched(struct traffic_subnet *s, uint32_t hi, enum ev kind, uint16_t step, uint64_t t_us)
{
    struct host *h = &s->hosts[hi];
    if (s->heap_len == s->heap_cap) {
        size_t cap = s->heap_cap * 2;
        struct event *n = realloc(s->heap, cap * sizeof *n);
        if (!n)
            abort(); /* setup-sized; growth only after many leave/join cycles */
        s->heap = n;
        s->heap_cap = cap;
    }
    struct event e = {t_us, h->key, h->seq++, hi, h->gen, (uint16_t)kind, step};
    heap_push(s, e);
}

/* ---- random helpers ------------------------------------------------------ */

static uint64_t rand_us(struct host *h, uint64_t lo_us, uint64_t hi_us)
{
    return traffic_rng_range(&h->rng, lo_us, hi_us);
}

static uint64_t rand_s(struct host *h, uint32_t lo_s, uint32_t hi_s)
{
    return rand_us(h, (uint64_t)lo_s * US_PER_S, (uint64_t)hi_s * US_PER_S);
}

/* ---- patterns (data/profiles.md "Patterns") ------------------------------ */

static void put_hex(char *out, size_t *n, size_t cap, const uint8_t *b, size_t len, int upper)
{
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    for (size_t i = 0; i < len && *n + 2 < cap; i++) {
        out[(*n)++] = digits[b[i] >> 4];
        out[(*n)++] = digits[b[i] & 15];
    }
}

static void expand(struct traffic_subnet *s, struct host *h, const char *pat, char *out, size_t cap)
{
    static const char alnum[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    size_t n = 0;
    for (const char *p = pat; *p && n + 1 < cap;) {
        if (*p == '{') {
            /* {a|b|c}: one alternative, uniformly. */
            const char *end = strchr(p, '}');
            if (!end) {
                out[n++] = *p++;
                continue;
            }
            uint32_t alts = 1;
            for (const char *q = p + 1; q < end; q++)
                alts += *q == '|';
            uint32_t pick = (uint32_t)traffic_rng_below(&h->rng, alts);
            const char *q = p + 1;
            for (uint32_t k = 0; k < pick; k++)
                q = strchr(q, '|') + 1;
            while (q < end && *q != '|' && n + 1 < cap)
                out[n++] = *q++;
            p = end + 1;
            continue;
        }
        if (*p != '%') {
            out[n++] = *p++;
            continue;
        }
        char t = p[1];
        p += 2;
        unsigned count = 0;
        while (*p >= '0' && *p <= '9')
            count = count * 10 + (unsigned)(*p++ - '0');
        if (count == 0)
            count = 1;
        switch (t) {
        case 'N': {
            const char *nm = s->prof.name_count
                                 ? s->prof.names[traffic_rng_below(&h->rng, s->prof.name_count)]
                                 : "User";
            for (size_t i = 0; nm[i] && n + 1 < cap; i++)
                out[n++] = nm[i];
            break;
        }
        case 'U':
            for (unsigned i = 0; i < count && n + 1 < cap; i++)
                out[n++] = alnum[traffic_rng_below(&h->rng, 36)];
            break;
        case 'D':
            for (unsigned i = 0; i < count && n + 1 < cap; i++)
                out[n++] = (char)('0' + traffic_rng_below(&h->rng, 10));
            break;
        case 'X':
        case 'x':
            for (unsigned i = 0; i < count && n + 1 < cap; i++)
                out[n++] = (t == 'X' ? "0123456789ABCDEF" : "0123456789abcdef")
                    [traffic_rng_below(&h->rng, 16)];
            break;
        case 'M': put_hex(out, &n, cap, h->mac, 6, 1); break;
        case 'm': put_hex(out, &n, cap, h->mac, 6, 0); break;
        case 'S': put_hex(out, &n, cap, h->mac + 3, 3, 1); break;
        case 's': put_hex(out, &n, cap, h->mac + 3, 3, 0); break;
        case 'n':
            for (size_t i = 0; h->hostname[i] && n + 1 < cap; i++)
                out[n++] = h->hostname[i];
            break;
        case 'u':
            for (size_t i = 0; h->uuid[i] && n + 1 < cap; i++)
                out[n++] = h->uuid[i];
            break;
        case 'i': {
            char ipb[16];
            uint32_t ip = h->ip;
            snprintf(ipb, sizeof ipb, "%u.%u.%u.%u", ip >> 24, (ip >> 16) & 255, (ip >> 8) & 255,
                     ip & 255);
            for (size_t i = 0; ipb[i] && n + 1 < cap; i++)
                out[n++] = ipb[i];
            break;
        }
        case '%': out[n++] = '%'; break;
        default: break;
        }
    }
    out[n] = 0;
}

/* ---- truth bookkeeping --------------------------------------------------- */

static void truth_mac(struct host *h)
{
    if (h->mac_count < MACS_MAX)
        memcpy(h->macs[h->mac_count++], h->mac, 6);
}

static void truth_ip(struct host *h)
{
    if (h->ip_count && h->ips[h->ip_count - 1] == h->ip)
        return;
    for (uint32_t i = 0; i < h->ip_count; i++)
        if (h->ips[i] == h->ip)
            return;
    if (h->ip_count < MACS_MAX)
        h->ips[h->ip_count++] = h->ip;
}

static void random_mac(struct host *h)
{
    const struct traffic_profile *p = h->prof;
    uint64_t r = traffic_rng_u64(&h->rng);
    if (p->randomized_mac || p->oui_count == 0) {
        for (int i = 0; i < 6; i++)
            h->mac[i] = (uint8_t)(r >> (8 * i));
        h->mac[0] = (uint8_t)((h->mac[0] & 0xFC) | 0x02); /* local, unicast */
    } else {
        const uint8_t *o = p->oui[traffic_rng_below(&h->rng, p->oui_count)];
        memcpy(h->mac, o, 3);
        h->mac[3] = (uint8_t)(r >> 16);
        h->mac[4] = (uint8_t)(r >> 8);
        h->mac[5] = (uint8_t)r;
    }
}

/* ---- frame helpers ------------------------------------------------------- */

static void l3_init(struct traffic_udp4 *a, const struct host *h, const uint8_t dst_mac[6],
                    uint32_t src_ip, uint32_t dst_ip, uint16_t sport, uint16_t dport, uint8_t ttl)
{
    memcpy(a->dst_mac, dst_mac, 6);
    memcpy(a->src_mac, h->mac, 6);
    a->src_ip = src_ip;
    a->dst_ip = dst_ip;
    a->ttl = ttl;
    a->ip_id = 0;
    a->src_port = sport;
    a->dst_port = dport;
}

static uint32_t emit_udp(struct traffic_subnet *s, struct host *h, struct traffic_udp4 *a,
                         size_t payload_len)
{
    a->ip_id = h->ip_id++;
    return (uint32_t)traffic_udp4_finish(s->pending.bytes, a, payload_len);
}

static uint8_t *payload(struct traffic_subnet *s)
{
    return s->pending.bytes + TRAFFIC_UDP4_PAYLOAD_OFF;
}

#define PAYLOAD_CAP (TRAFFIC_FRAME_BYTES_MAX - TRAFFIC_UDP4_PAYLOAD_OFF)

/* ---- DHCP ---------------------------------------------------------------- */

static void client_id(const struct host *h, uint8_t *out, size_t *len)
{
    switch (h->prof->client_id) {
    case TRAFFIC_CLIENT_ID_MAC:
        out[0] = 1;
        memcpy(out + 1, h->mac, 6);
        *len = 7;
        break;
    case TRAFFIC_CLIENT_ID_DUID:
        /* RFC 4361: type 255, IAID (from the MAC), DUID-EN enterprise 43793
         * (systemd) with 8 bytes derived from the host's uuid. */
        out[0] = 255;
        memcpy(out + 1, h->mac + 2, 4);
        out[5] = 0;
        out[6] = 2;
        out[7] = 0;
        out[8] = 0;
        out[9] = 0xab;
        out[10] = 0x11;
        for (int i = 0; i < 8; i++)
            out[11 + i] = (uint8_t)(h->uuid[i * 2] * 16 + h->uuid[i * 2 + 1]);
        *len = 19;
        break;
    default:
        *len = 0;
        break;
    }
}

/* Client message: DISCOVER (1), REQUEST (3) in SELECTING or RENEWING, INFORM (8). */
static uint32_t build_dhcp_client(struct traffic_subnet *s, struct host *h, uint8_t type,
                                  int renewing)
{
    const struct traffic_profile *p = h->prof;
    uint8_t cid[24];
    size_t cid_len;
    client_id(h, cid, &cid_len);
    struct traffic_dhcp_msg m;
    memset(&m, 0, sizeof m);
    m.op = 1;
    m.msg_type = type;
    m.xid = h->xid;
    m.flags = p->broadcast_flag && !renewing && type != 8 ? 0x8000 : 0;
    memcpy(m.chaddr, h->mac, 6);
    if (type == 1) {
        m.order = p->discover_order;
        m.order_len = p->discover_order_len;
    } else if (type == 8) {
        m.order = p->inform_order;
        m.order_len = p->inform_order_len;
    } else {
        m.order = p->request_order;
        m.order_len = p->request_order_len;
    }
    if (renewing || type == 8) {
        m.ciaddr = h->ip;
    } else {
        m.requested_ip = type == 3 ? h->ip : h->req_ip;
        if (type == 3)
            m.server_id = s->gw_ip;
    }
    m.lease_s = p->lease_request_s;
    m.host_name = h->hostname;
    m.vendor_class = h->vendor_class;
    m.prl = p->prl;
    m.prl_len = p->prl_len;
    m.client_id = cid;
    m.client_id_len = cid_len;
    m.max_msg_bytes = p->max_msg_bytes;
    m.pad_to_bytes = p->pad_to_bytes;
    size_t n = traffic_dhcp_build(payload(s), PAYLOAD_CAP, &m);
    assert(n > 0);
    struct traffic_udp4 a;
    if (renewing)
        l3_init(&a, h, s->hosts[s->host_count - 1].mac, h->ip, s->gw_ip, 68, 67, p->ttl);
    else
        l3_init(&a, h, BCAST_MAC, type == 8 ? h->ip : 0, 0xFFFFFFFFu, 68, 67, p->ttl);
    return emit_udp(s, h, &a, n);
}

/* Server reply (ISC dhcpd layout): 53,54,51,58,59 then what the client asked
 * for in its PRL order. type 2 OFFER, 5 ACK; inform: no lease times. */
static uint32_t build_dhcp_server(struct traffic_subnet *s, struct host *h, uint8_t type,
                                  int to_ciaddr, int inform)
{
    struct host *gw = &s->hosts[s->host_count - 1];
    const struct traffic_profile *p = h->prof;
    uint8_t order[TRAFFIC_OPTS_MAX + 8];
    size_t n = 0;
    order[n++] = 53;
    order[n++] = 54;
    if (!inform) {
        order[n++] = 51;
        order[n++] = 58;
        order[n++] = 59;
    }
    for (uint32_t i = 0; i < p->prl_len && n < sizeof order; i++) {
        uint8_t c = p->prl[i];
        if (c == 1 || c == 3 || c == 6 || c == 15 || c == 28)
            order[n++] = c;
    }
    struct traffic_dhcp_msg m;
    memset(&m, 0, sizeof m);
    m.op = 2;
    m.msg_type = type;
    m.xid = h->xid;
    m.flags = p->broadcast_flag && !to_ciaddr ? 0x8000 : 0;
    m.yiaddr = inform ? 0 : h->ip;
    m.ciaddr = to_ciaddr ? h->ip : 0;
    memcpy(m.chaddr, h->mac, 6);
    m.order = order;
    m.order_len = n;
    m.server_id = s->gw_ip;
    m.lease_s = s->prof.lease_s;
    m.renew_s = s->prof.lease_s / 2;
    m.rebind_s = s->prof.lease_s / 8 * 7;
    m.subnet_mask = s->mask;
    m.router = s->gw_ip;
    m.dns_server = s->gw_ip;
    m.broadcast = s->bcast;
    m.domain_name = s->prof.domain;
    m.pad_to_bytes = 300;
    size_t len = traffic_dhcp_build(payload(s), PAYLOAD_CAP, &m);
    assert(len > 0);
    struct traffic_udp4 a;
    int bcast = p->broadcast_flag && !to_ciaddr;
    l3_init(&a, gw, bcast ? BCAST_MAC : h->mac, s->gw_ip, bcast ? 0xFFFFFFFFu : h->ip, 67, 68,
            gw->prof ? gw->prof->ttl : 64);
    s->pending.host = TRAFFIC_HOST_GATEWAY; /* sorted with the client, sent by the gateway */
    return emit_udp(s, gw, &a, len);
}

/* ---- SSDP ---------------------------------------------------------------- */

struct txt {
    char *p;
    size_t n, cap;
};

static void tx(struct txt *t, const char *str)
{
    size_t l = strlen(str);
    if (t->n + l > t->cap)
        l = t->cap - t->n;
    memcpy(t->p + t->n, str, l);
    t->n += l;
}

static void tx_u(struct txt *t, uint32_t v)
{
    char b[12];
    snprintf(b, sizeof b, "%u", v);
    tx(t, b);
}

/* NT i of the host: the profile's list with "uuid:<uuid>" second (UDA 1.1
 * 1.1.2: root device, device UUID, device type, services). */
static void nt_of(const struct host *h, uint32_t i, char *out, size_t cap)
{
    const struct traffic_profile *p = h->prof;
    if (i == 1)
        snprintf(out, cap, "uuid:%s", h->uuid);
    else
        snprintf(out, cap, "%s", p->nt[i == 0 ? 0 : i - 1]);
}

static uint32_t build_ssdp_notify(struct traffic_subnet *s, struct host *h, uint32_t i, int alive)
{
    const struct traffic_profile *p = h->prof;
    char nt[128], loc[160];
    nt_of(h, i, nt, sizeof nt);
    struct txt t = {(char *)payload(s), 0, PAYLOAD_CAP};
    tx(&t, "NOTIFY * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\n");
    if (alive) {
        tx(&t, "CACHE-CONTROL: max-age=");
        tx_u(&t, p->max_age_s);
        expand(s, h, p->location, loc, sizeof loc);
        tx(&t, "\r\nLOCATION: ");
        tx(&t, loc);
        tx(&t, "\r\n");
    }
    tx(&t, "NT: ");
    tx(&t, nt);
    tx(&t, alive ? "\r\nNTS: ssdp:alive\r\n" : "\r\nNTS: ssdp:byebye\r\n");
    if (alive) {
        tx(&t, "SERVER: ");
        tx(&t, p->ssdp_server);
        tx(&t, "\r\n");
    }
    tx(&t, "USN: uuid:");
    tx(&t, h->uuid);
    if (i != 1) {
        tx(&t, "::");
        tx(&t, nt);
    }
    tx(&t, "\r\nBOOTID.UPNP.ORG: ");
    tx_u(&t, h->boot_id);
    tx(&t, "\r\nCONFIGID.UPNP.ORG: 1\r\n\r\n");
    struct traffic_udp4 a;
    l3_init(&a, h, SSDP_MAC, h->ip, SSDP_IP, 1900, 1900, SSDP_MULTICAST_TTL);
    return emit_udp(s, h, &a, t.n);
}

static uint32_t build_ssdp_msearch(struct traffic_subnet *s, struct host *h)
{
    const struct traffic_profile *p = h->prof;
    struct txt t = {(char *)payload(s), 0, PAYLOAD_CAP};
    tx(&t, "M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nMAN: \"ssdp:discover\"\r\nMX: 1\r\nST: ");
    tx(&t, p->msearch_st);
    tx(&t, "\r\n");
    if (p->msearch_ua[0]) {
        tx(&t, "USER-AGENT: ");
        tx(&t, p->msearch_ua);
        tx(&t, "\r\n");
    }
    tx(&t, "\r\n");
    struct traffic_udp4 a;
    /* Control points send from an ephemeral port (49152-65535). */
    uint16_t port = (uint16_t)(49152 + traffic_rng_below(&h->rng, 16384));
    l3_init(&a, h, SSDP_MAC, h->ip, SSDP_IP, port, 1900, SSDP_MULTICAST_TTL);
    return emit_udp(s, h, &a, t.n);
}

/* ---- mDNS ---------------------------------------------------------------- */

#define DNS_A 1
#define DNS_PTR 12
#define DNS_HINFO 13
#define DNS_TXT 16
#define DNS_SRV 33
#define DNS_ANY 255
#define CLASS_IN 1
#define CLASS_FLUSH 0x8001
#define CLASS_QU 0x8001

static void fqdn_host(const struct host *h, char *out, size_t cap)
{
    snprintf(out, cap, "%s.local", h->hostname);
}

static void fqdn_inst(const struct host *h, uint32_t i, char *out, size_t cap)
{
    snprintf(out, cap, "%s.%s.local", h->text->inst[i], h->prof->svc[i].type);
}

static void rr_a(struct traffic_dns_writer *w, const struct host *h, int sec, uint32_t ttl)
{
    char hn[96];
    fqdn_host(h, hn, sizeof hn);
    size_t o = traffic_dns_rr_begin(w, sec, hn, DNS_A, CLASS_FLUSH, ttl);
    traffic_dns_put_u32(w, h->ip);
    traffic_dns_rr_end(w, o);
}

static void rr_srv(struct traffic_dns_writer *w, const struct host *h, uint32_t i, int sec,
                   uint16_t rclass, uint32_t ttl)
{
    char in[160], hn[96];
    fqdn_inst(h, i, in, sizeof in);
    fqdn_host(h, hn, sizeof hn);
    size_t o = traffic_dns_rr_begin(w, sec, in, DNS_SRV, rclass, ttl);
    traffic_dns_put_u16(w, 0);
    traffic_dns_put_u16(w, 0);
    traffic_dns_put_u16(w, h->prof->svc[i].port);
    traffic_dns_put_name(w, hn);
    traffic_dns_rr_end(w, o);
}

/* step: 0-2 probes, 3-4 announcements (RFC 6762 8.1, 8.3), 5 goodbye (10.1). */
static uint32_t build_mdns(struct traffic_subnet *s, struct host *h, uint32_t step)
{
    const struct traffic_profile *p = h->prof;
    struct traffic_dns_writer w;
    char hn[96], in[160], ty[96];
    fqdn_host(h, hn, sizeof hn);
    int has_host = h->hostname[0] != 0;
    if (step <= 2) {
        traffic_dns_begin(&w, payload(s), PAYLOAD_CAP, 0, 0);
        uint16_t qc = step == 0 ? CLASS_QU : CLASS_IN;
        if (has_host)
            traffic_dns_question(&w, hn, DNS_ANY, qc);
        for (uint32_t i = 0; i < p->svc_count; i++) {
            fqdn_inst(h, i, in, sizeof in);
            traffic_dns_question(&w, in, DNS_ANY, qc);
        }
        if (has_host)
            rr_a(&w, h, 2, 120);
        for (uint32_t i = 0; i < p->svc_count; i++)
            rr_srv(&w, h, i, 2, CLASS_IN, 120);
    } else {
        uint32_t scale = step == 5 ? 0 : 1;
        traffic_dns_begin(&w, payload(s), PAYLOAD_CAP, 0, 0x8400);
        if (has_host)
            rr_a(&w, h, 1, 120 * scale);
        if (has_host && p->hinfo_cpu[0]) {
            size_t o = traffic_dns_rr_begin(&w, 1, hn, DNS_HINFO, CLASS_FLUSH, 4500 * scale);
            traffic_dns_put_cstr(&w, p->hinfo_cpu);
            traffic_dns_put_cstr(&w, p->hinfo_os);
            traffic_dns_rr_end(&w, o);
        }
        for (uint32_t i = 0; i < p->svc_count; i++) {
            snprintf(ty, sizeof ty, "%s.local", p->svc[i].type);
            fqdn_inst(h, i, in, sizeof in);
            size_t o = traffic_dns_rr_begin(&w, 1, "_services._dns-sd._udp.local", DNS_PTR,
                                            CLASS_IN, 4500 * scale);
            traffic_dns_put_name(&w, ty);
            traffic_dns_rr_end(&w, o);
            o = traffic_dns_rr_begin(&w, 1, ty, DNS_PTR, CLASS_IN, 4500 * scale);
            traffic_dns_put_name(&w, in);
            traffic_dns_rr_end(&w, o);
            rr_srv(&w, h, i, 1, CLASS_FLUSH, 120 * scale);
            o = traffic_dns_rr_begin(&w, 1, in, DNS_TXT, CLASS_FLUSH, 4500 * scale);
            traffic_dns_put_bytes(&w, h->text->txt[i], h->text->txt_len[i]);
            traffic_dns_rr_end(&w, o);
        }
    }
    size_t n = traffic_dns_end(&w);
    assert(n > 0);
    struct traffic_udp4 a;
    l3_init(&a, h, MDNS_MAC, h->ip, MDNS_IP, 5353, 5353, MDNS_TTL);
    return emit_udp(s, h, &a, n);
}

static uint32_t build_mdns_query(struct traffic_subnet *s, struct host *h)
{
    const struct traffic_profile *p = h->prof;
    struct traffic_dns_writer w;
    char q[96];
    traffic_dns_begin(&w, payload(s), PAYLOAD_CAP, 0, 0);
    for (uint32_t i = 0; i < p->query_count; i++) {
        snprintf(q, sizeof q, "%s.local", p->query[i]);
        traffic_dns_question(&w, q, DNS_PTR, CLASS_IN);
    }
    size_t n = traffic_dns_end(&w);
    assert(n > 0);
    struct traffic_udp4 a;
    l3_init(&a, h, MDNS_MAC, h->ip, MDNS_IP, 5353, 5353, MDNS_TTL);
    return emit_udp(s, h, &a, n);
}

/* ---- NetBIOS ------------------------------------------------------------- */

/* Names a Windows/Samba B node registers: host<00>, workgroup<00> (group),
 * host<20> (file server), workgroup<1E> (browser election, group). */
static uint32_t nbns_name_count(const struct host *h)
{
    return h->prof->browser ? 4 : 2;
}

static uint32_t build_nbns(struct traffic_subnet *s, struct host *h, uint32_t name_i, int refresh)
{
    static const uint8_t suffix[4] = {0x00, 0x00, 0x20, 0x1E};
    static const int group[4] = {0, 1, 0, 1};
    /* Without a browser the second name is host<20>? No: host<00>, group<00>. */
    const char *nm = group[name_i] ? h->prof->workgroup : h->hostname;
    size_t n = traffic_nbns_build_registration(payload(s), PAYLOAD_CAP, h->nb_trn++, nm,
                                               suffix[name_i], group[name_i], h->ip, 300000,
                                               refresh);
    assert(n > 0);
    struct traffic_udp4 a;
    l3_init(&a, h, BCAST_MAC, h->ip, s->bcast, 137, 137, h->prof->ttl);
    return emit_udp(s, h, &a, n);
}

static uint32_t browser_interval_ms(uint32_t k)
{
    /* Windows announces at 1, 2, 4, 8 then every 12 minutes ([MS-BRWS] 3.2.6). */
    uint32_t min = k >= 4 ? 12 : 1u << k;
    return min * 60000u;
}

static uint32_t build_browser(struct traffic_subnet *s, struct host *h)
{
    const struct traffic_profile *p = h->prof;
    struct traffic_browser_announce b;
    b.dgm_id = h->nb_trn++;
    b.src_ip = h->ip;
    b.host = h->hostname;
    b.workgroup = p->workgroup;
    b.periodicity_ms = browser_interval_ms(h->browser_k);
    b.os_major = p->os_major;
    b.os_minor = p->os_minor;
    b.server_type = p->server_type;
    b.comment = p->comment;
    b.update_count = 0;
    size_t n = traffic_browser_build(payload(s), PAYLOAD_CAP, &b);
    assert(n > 0);
    struct traffic_udp4 a;
    l3_init(&a, h, BCAST_MAC, h->ip, s->bcast, 138, 138, p->ttl);
    return emit_udp(s, h, &a, n);
}

/* ---- lifecycle ----------------------------------------------------------- */

static void schedule_leave(struct traffic_subnet *s, uint32_t hi, uint64_t now)
{
    struct host *h = &s->hosts[hi];
    const struct traffic_profile *p = h->prof;
    uint64_t on_us = UINT64_MAX;
    if (p->churn == TRAFFIC_CHURN_DAILY)
        on_us = rand_s(h, 4 * 3600, 10 * 3600);
    else if (p->churn == TRAFFIC_CHURN_PHONE)
        on_us = rand_s(h, 1800, 10 * 3600);
    if (s->cfg.churn_per_day > 0) {
        /* Reboots: gaps uniform in 0..2x the mean, churn_per_day per host per
         * day on average (no libm: the exact law does not matter). */
        double gap_s = traffic_rng_unit(&h->rng) * 2.0 * 86400.0 / s->cfg.churn_per_day;
        if (gap_s < 60)
            gap_s = 60;
        if (gap_s < (double)(on_us / US_PER_S))
            on_us = (uint64_t)gap_s * US_PER_S;
    }
    if (on_us != UINT64_MAX)
        sched(s, hi, EV_LIFE, 1, now + on_us);
}

static void start_join(struct traffic_subnet *s, uint32_t hi, uint64_t now)
{
    struct host *h = &s->hosts[hi];
    const struct traffic_profile *p = h->prof;
    uint64_t away_us = h->ip ? now - h->left_us : 0;
    int new_mac = 0;
    if (h->ip && p->randomized_mac && s->cfg.mac_rotation &&
        (away_us >= 4 * 3600 * US_PER_S || traffic_rng_chance(&h->rng, 0.25))) {
        random_mac(h);
        truth_mac(h);
        new_mac = 1;
    }
    uint32_t old_ip = h->ip;
    if (!h->ip) {
        h->ip = h->ip_primary;
    } else if (s->alt_ok && (new_mac || away_us > (uint64_t)s->prof.lease_s * US_PER_S) &&
               traffic_rng_chance(&h->rng, 0.5)) {
        /* The lease expired (or a new MAC is a new client): another address. */
        h->ip = h->ip == h->ip_primary ? h->ip_alt : h->ip_primary;
    }
    h->arp_ip_changed = old_ip && old_ip != h->ip;
    h->req_ip = new_mac ? 0 : old_ip;
    h->gen++;
    h->online = 1;
    h->xid = (uint32_t)traffic_rng_u64(&h->rng);
    h->boot_id++;
    h->browser_k = 0;
    sched(s, hi, EV_DHCP, 0, now);
}

/* After DHCPACK: everything that follows an address. */
static void start_bound(struct traffic_subnet *s, uint32_t hi, uint64_t now)
{
    struct host *h = &s->hosts[hi];
    const struct traffic_profile *p = h->prof;
    truth_ip(h);
    if (p->arp_probes + p->arp_announces > 0 || h->arp_ip_changed)
        sched(s, hi, EV_ARPJ, 0, now + rand_us(h, 0, US_PER_S)); /* PROBE_WAIT 0-1 s */
    uint64_t settled = now + 7 * US_PER_S;  /* after the ARP probes (RFC 5227 2.1) */
    sched(s, hi, EV_ARPREQ, 0, now + rand_us(h, 100000, 500000));
    if (p->inform)
        sched(s, hi, EV_INFORM, 0, settled + rand_us(h, 0, 3 * US_PER_S));
    if (p->nbns && h->hostname[0])
        sched(s, hi, EV_NBNS, 0, settled + rand_us(h, 0, 2 * US_PER_S));
    if (p->browser && h->hostname[0])
        sched(s, hi, EV_BROWSER, 0, settled + rand_us(h, 5 * US_PER_S, 30 * US_PER_S));
    if (p->ssdp)
        sched(s, hi, EV_SSDP, 0, settled + rand_us(h, 0, 10 * US_PER_S));
    if (p->msearch)
        sched(s, hi, EV_MSEARCH, 0, settled + rand_us(h, 0, 20 * US_PER_S));
    if (p->mdns && (p->svc_count || h->hostname[0]) && h->text)
        sched(s, hi, EV_MDNSJ, 0, now + rand_us(h, 1 * US_PER_S, 2 * US_PER_S));
    if (p->query_count)
        sched(s, hi, EV_MDNSQ, 0, now + rand_us(h, 2 * US_PER_S, 10 * US_PER_S));
    schedule_leave(s, hi, now);
}

/* ---- event dispatch: returns the frame length, 0 when no frame ----------- */

static uint32_t run_event(struct traffic_subnet *s, const struct event *e)
{
    uint32_t hi = e->host;
    struct host *h = &s->hosts[hi];
    const struct traffic_profile *p = h->prof;
    uint64_t now = e->t_us;
    uint32_t step = e->step;
    uint32_t len = 0;
    s->pending.host = h->key;
    switch ((enum ev)e->kind) {
    case EV_LIFE:
        if (h->is_gateway) {
            /* The gateway is up from time 0: announce, then advertise. */
            len = (uint32_t)traffic_arp_build(s->pending.bytes, BCAST_MAC, 1, h->mac, h->ip,
                                              ZERO_MAC, h->ip);
            truth_ip(h);
            if (p && p->ssdp)
                sched(s, hi, EV_SSDP, 0, now + rand_us(h, US_PER_S, 5 * US_PER_S));
            break;
        }
        if (step == 0) {
            start_join(s, hi, now);
        } else {
            h->gen++;   /* cancels every periodic event */
            sched(s, hi, EV_LEAVE, 0, now);
        }
        break;
    case EV_DHCP:
        switch (step) {
        case 0: len = build_dhcp_client(s, h, 1, 0); sched(s, hi, EV_DHCP, 1, now + rand_us(h, 500, 3000)); break;
        case 1: len = build_dhcp_server(s, h, 2, 0, 0); sched(s, hi, EV_DHCP, 2, now + rand_us(h, 1000, 20000)); break;
        case 2: len = build_dhcp_client(s, h, 3, 0); sched(s, hi, EV_DHCP, 3, now + rand_us(h, 500, 3000)); break;
        case 3:
            len = build_dhcp_server(s, h, 5, 0, 0);
            start_bound(s, hi, now);
            sched(s, hi, EV_DHCP, 10, now + (uint64_t)s->prof.lease_s / 2 * US_PER_S);
            break;
        case 10:
            h->xid = (uint32_t)traffic_rng_u64(&h->rng);
            len = build_dhcp_client(s, h, 3, 1);
            sched(s, hi, EV_DHCP, 11, now + rand_us(h, 500, 3000));
            break;
        default:
            len = build_dhcp_server(s, h, 5, 1, 0);
            sched(s, hi, EV_DHCP, 10, now + (uint64_t)s->prof.lease_s / 2 * US_PER_S);
            break;
        }
        break;
    case EV_INFORM:
        if (step == 0) {
            h->xid = (uint32_t)traffic_rng_u64(&h->rng);
            len = build_dhcp_client(s, h, 8, 0);
            sched(s, hi, EV_INFORM, 1, now + rand_us(h, 500, 3000));
        } else {
            len = build_dhcp_server(s, h, 5, 1, 1);
        }
        break;
    case EV_ARPJ: {
        uint32_t probes = p->arp_probes, ann = p->arp_announces;
        if (ann == 0 && h->arp_ip_changed)
            ann = 1;  /* gratuitous ARP on an address change */
        if (step < probes) {
            len = (uint32_t)traffic_arp_build(s->pending.bytes, BCAST_MAC, 1, h->mac, 0,
                                              ZERO_MAC, h->ip);
            /* PROBE_MIN 1 s .. PROBE_MAX 2 s; ANNOUNCE_WAIT 2 s after the last. */
            sched(s, hi, EV_ARPJ, (uint16_t)(step + 1),
                  now + (step + 1 < probes ? rand_us(h, US_PER_S, 2 * US_PER_S) : 2 * US_PER_S));
        } else if (step < probes + ann) {
            len = (uint32_t)traffic_arp_build(s->pending.bytes, BCAST_MAC, 1, h->mac, h->ip,
                                              ZERO_MAC, h->ip);
            if (step + 1 < probes + ann)
                sched(s, hi, EV_ARPJ, (uint16_t)(step + 1), now + 2 * US_PER_S); /* ANNOUNCE_INTERVAL */
        }
        break;
    }
    case EV_ARPREQ:
        len = (uint32_t)traffic_arp_build(s->pending.bytes, BCAST_MAC, 1, h->mac, h->ip, ZERO_MAC,
                                          s->gw_ip);
        sched(s, hi, EV_ARPREQ, 0, now + rand_s(h, p->arp_interval_min_s, p->arp_interval_max_s));
        break;
    case EV_NBNS: {
        uint32_t names = nbns_name_count(h);
        int refresh = step >= 100;
        uint32_t k = refresh ? step - 100u : step;
        len = build_nbns(s, h, refresh ? k : k / NBNS_TRIES, refresh);
        if (!refresh && k + 1 < names * NBNS_TRIES)
            sched(s, hi, EV_NBNS, (uint16_t)(k + 1), now + 750000); /* 750 ms between tries */
        else if (refresh && k + 1 < names)
            sched(s, hi, EV_NBNS, (uint16_t)(step + 1), now + rand_us(h, 1000, 20000));
        else if (p->nbns_refresh_s)
            sched(s, hi, EV_NBNS, 100, now + (uint64_t)p->nbns_refresh_s * US_PER_S);
        break;
    }
    case EV_BROWSER:
        len = build_browser(s, h);
        sched(s, hi, EV_BROWSER, 0, now + (uint64_t)browser_interval_ms(h->browser_k) * 1000u);
        if (h->browser_k < 4)
            h->browser_k++;
        break;
    case EV_SSDP: {
        uint32_t total = p->nt_count + 1;
        if (step == 0)
            h->ssdp_burst_us = now;
        len = build_ssdp_notify(s, h, step % total, 1);
        if (step + 1 < total * SSDP_COPIES)
            sched(s, hi, EV_SSDP, (uint16_t)(step + 1),
                  now + ((step + 1) % total ? rand_us(h, 200, 5000) : rand_us(h, 100000, 300000)));
        else
            sched(s, hi, EV_SSDP, 0, h->ssdp_burst_us + (uint64_t)p->max_age_s / 2 * US_PER_S);
        break;
    }
    case EV_MSEARCH:
        len = build_ssdp_msearch(s, h);
        sched(s, hi, EV_MSEARCH, 0, now + rand_s(h, p->msearch_min_s, p->msearch_max_s));
        break;
    case EV_MDNSJ:
        len = build_mdns(s, h, step);
        if (step < 2)
            sched(s, hi, EV_MDNSJ, (uint16_t)(step + 1), now + 250000);   /* 250 ms probes */
        else if (step < 4)
            sched(s, hi, EV_MDNSJ, (uint16_t)(step + 1), now + US_PER_S); /* announce twice */
        break;
    case EV_MDNSQ:
        len = build_mdns_query(s, h);
        sched(s, hi, EV_MDNSQ, 0, now + rand_s(h, p->query_min_s, p->query_max_s));
        break;
    case EV_LEAVE: {
        /* Goodbyes: SSDP byebye per NT, then mDNS records with TTL 0. */
        uint32_t ssdp_n = p->ssdp ? p->nt_count + 1 : 0;
        int mdns = p->mdns && h->text && (p->svc_count || h->hostname[0]);
        if (step < ssdp_n) {
            len = build_ssdp_notify(s, h, step, 0);
        } else if (step == ssdp_n && mdns) {
            len = build_mdns(s, h, 5);
        }
        if (step < ssdp_n + (uint32_t)mdns) {
            sched(s, hi, EV_LEAVE, (uint16_t)(step + 1), now + rand_us(h, 200, 5000));
        } else {
            h->online = 0;
            h->left_us = now;
            uint64_t off_us;
            if (p->churn == TRAFFIC_CHURN_DAILY)
                off_us = rand_s(h, 12 * 3600, 18 * 3600);
            else if (p->churn == TRAFFIC_CHURN_PHONE)
                off_us = rand_s(h, 1200, 14 * 3600);
            else
                off_us = rand_s(h, 30, 180);   /* a reboot */
            sched(s, hi, EV_LIFE, 0, now + off_us);
        }
        break;
    }
    case EV_COUNT:
        break;
    }
    return len;
}

static void fill(struct traffic_subnet *s)
{
    s->has_pending = 0;
    while (s->heap_len) {
        struct event e = heap_pop(s);
        if (e.gen != s->hosts[e.host].gen)
            continue;
        uint32_t len = run_event(s, &e);
        if (len) {
            s->pending.ts_us = e.t_us;  /* sim time until handed out */
            s->pending.len = len;
            s->has_pending = 1;
            return;
        }
    }
}

int traffic_subnet_next(struct traffic_subnet *s, uint64_t end_us, struct traffic_frame *out)
{
    if (!s->has_pending || s->pending.ts_us > end_us)
        return 0;
    out->ts_us = s->cfg.start_epoch_us + s->pending.ts_us;
    out->host = s->pending.host;
    out->len = s->pending.len;
    memcpy(out->bytes, s->pending.bytes, s->pending.len);
    {
        struct host *h = s->pending.host == TRAFFIC_HOST_GATEWAY
                             ? &s->hosts[s->host_count - 1]
                             : &s->hosts[s->pending.host];
        if (!h->seen) {
            h->seen = 1;
            h->first_frame_us = s->pending.ts_us;
        }
    }
    fill(s);
    return 1;
}

uint64_t traffic_subnet_peek_us(const struct traffic_subnet *s)
{
    return s->has_pending ? s->pending.ts_us : UINT64_MAX;
}

/* ---- creation ------------------------------------------------------------ */

static const struct traffic_profile *find_profile(const struct traffic_profiles *p,
                                                  const char *name)
{
    for (uint32_t i = 0; i < p->count; i++)
        if (strcmp(p->items[i].name, name) == 0)
            return &p->items[i];
    return NULL;
}

/* TXT rdata: each pattern expanded and length-prefixed (RFC 6763 6.1); an
 * empty TXT is one zero byte (6.1). */
static void make_text(struct traffic_subnet *s, struct host *h)
{
    const struct traffic_profile *p = h->prof;
    struct host_text *t = h->text;
    for (uint32_t i = 0; i < p->svc_count; i++) {
        expand(s, h, p->svc[i].instance, t->inst[i], sizeof t->inst[i]);
        for (char *c = t->inst[i]; *c; c++)
            if (*c == '.')
                *c = '-';   /* a dot would split the instance label */
        size_t n = 0;
        for (uint32_t k = 0; k < p->svc[i].txt_count; k++) {
            char item[256];
            expand(s, h, p->svc[i].txt[k], item, sizeof item);
            size_t l = strlen(item);
            if (n + 1 + l > sizeof t->txt[i])
                break;
            t->txt[i][n++] = (uint8_t)l;
            memcpy(&t->txt[i][n], item, l);
            n += l;
        }
        if (n == 0)
            t->txt[i][n++] = 0;
        t->txt_len[i] = (uint16_t)n;
    }
}

static int host_init(struct traffic_subnet *s, uint32_t hi, const struct traffic_profile *p,
                     uint64_t entity)
{
    struct host *h = &s->hosts[hi];
    /* The stream: every later draw of this host comes from it, in event order. */
    traffic_rng_init(&h->rng, s->cfg.seed, entity);
    h->prof = p;
    random_mac(h);
    truth_mac(h);
    uint64_t u1 = traffic_rng_u64(&h->rng), u2 = traffic_rng_u64(&h->rng);
    snprintf(h->uuid, sizeof h->uuid, "%08x-%04x-4%03x-%04x-%012llx", (unsigned)(u1 >> 32),
             (unsigned)(u1 >> 16) & 0xffff, (unsigned)u1 & 0xfff,
             (unsigned)((u2 >> 48) & 0x3fff) | 0x8000, (unsigned long long)(u2 & 0xffffffffffffull));
    expand(s, h, p->hostname, h->hostname, sizeof h->hostname);
    expand(s, h, p->vendor_class, h->vendor_class, sizeof h->vendor_class);
    h->ip_id = (uint16_t)traffic_rng_u64(&h->rng);
    h->nb_trn = (uint16_t)traffic_rng_u64(&h->rng);
    if (p->mdns && p->svc_count) {
        h->text = calloc(1, sizeof *h->text);
        if (!h->text)
            return -1;
        make_text(s, h);
    } else if (p->mdns) {
        h->text = calloc(1, sizeof *h->text);
        if (!h->text)
            return -1;
    }
    return 0;
}

static void draw_profile(const struct traffic_profile **out, struct traffic_rng *r,
                         const struct traffic_profile *const *pick, const double *cum, uint32_t n)
{
    double u = traffic_rng_unit(r) * cum[n - 1];
    uint32_t i = 0;
    while (i + 1 < n && u >= cum[i])
        i++;
    *out = pick[i];
}

struct traffic_subnet *traffic_subnet_create(const struct traffic_subnet_config *cfg,
                                             const struct traffic_profiles *p, char err[512])
{
    if (cfg->prefix_len < 8 || cfg->prefix_len > 30) {
        snprintf(err, 512, "prefix length must be 8..30, got %u", cfg->prefix_len);
        return NULL;
    }
    uint64_t space = (1ull << (32 - cfg->prefix_len)) - 2;
    if (cfg->hosts < 1 || cfg->hosts > space - HOST_OFFSET_FIRST) {
        snprintf(err, 512, "hosts must be 1..%llu for a /%u, got %u",
                 (unsigned long long)(space - HOST_OFFSET_FIRST), cfg->prefix_len, cfg->hosts);
        return NULL;
    }
    if (cfg->mix_count > TRAFFIC_MIX_MAX) {
        snprintf(err, 512, "mix has %u entries, at most %d", cfg->mix_count, TRAFFIC_MIX_MAX);
        return NULL;
    }
    if (!(cfg->churn_per_day >= 0 && cfg->churn_per_day <= 1000)) {
        snprintf(err, 512, "churn_per_day must be 0..1000, got %g", cfg->churn_per_day);
        return NULL;
    }
    /* The mix: weights from cfg, or every profile at its own weight. */
    const struct traffic_profile *pick[256];
    double cum[256];
    uint32_t n = 0;
    double total = 0;
    if (cfg->mix_count) {
        for (uint32_t i = 0; i < cfg->mix_count; i++) {
            const struct traffic_profile *q = find_profile(p, cfg->mix[i].profile);
            if (!q) {
                snprintf(err, 512, "mix[%u]: unknown profile \"%.64s\"", i, cfg->mix[i].profile);
                return NULL;
            }
            if (!(cfg->mix[i].weight >= 0)) {
                snprintf(err, 512, "mix[%u]: weight must be >= 0", i);
                return NULL;
            }
            if (cfg->mix[i].weight == 0)
                continue;
            total += cfg->mix[i].weight;
            pick[n] = q;
            cum[n++] = total;
        }
    } else {
        for (uint32_t i = 0; i < p->count && n < 256; i++) {
            if (p->items[i].weight <= 0 || strcmp(p->items[i].name, "gateway") == 0)
                continue;
            total += p->items[i].weight;
            pick[n] = &p->items[i];
            cum[n++] = total;
        }
    }
    if (n == 0 || total <= 0) {
        snprintf(err, 512, "the mix gives every profile weight 0");
        return NULL;
    }
    struct traffic_subnet *s = calloc(1, sizeof *s);
    if (!s) {
        snprintf(err, 512, "out of memory");
        return NULL;
    }
    s->cfg = *cfg;
    s->prof = *p;
    s->prof.items = malloc(p->count * sizeof *p->items);
    s->host_count = cfg->hosts + 1;
    s->hosts = calloc(s->host_count, sizeof *s->hosts);
    s->heap_cap = (size_t)s->host_count * (EV_COUNT + 2);
    s->heap = malloc(s->heap_cap * sizeof *s->heap);
    if (!s->prof.items || !s->hosts || !s->heap) {
        traffic_subnet_destroy(s);
        snprintf(err, 512, "out of memory");
        return NULL;
    }
    memcpy(s->prof.items, p->items, p->count * sizeof *p->items);
    /* Re-point the mix into our copy. */
    for (uint32_t i = 0; i < n; i++)
        pick[i] = &s->prof.items[pick[i] - p->items];

    s->mask = (uint32_t)(0xFFFFFFFFull << (32 - cfg->prefix_len));
    s->net = ((uint32_t)cfg->net[0] << 24 | (uint32_t)cfg->net[1] << 16 |
              (uint32_t)cfg->net[2] << 8 | cfg->net[3]) & s->mask;
    s->bcast = s->net | ~s->mask;
    s->gw_ip = s->net + 1;
    /* Alternate addresses count down from the top; only when they cannot meet
     * the primary ones. */
    s->alt_ok = (uint64_t)HOST_OFFSET_FIRST + 2ull * cfg->hosts < space;

    for (uint32_t i = 0; i < cfg->hosts; i++) {
        struct host *h = &s->hosts[i];
        struct traffic_rng pr;
        /* The profile comes from a stream of its own, so the host's stream
         * starts the same whatever the mix. */
        traffic_rng_init(&pr, cfg->seed ^ 0x6d69786d69786d69ull,
                         TRAFFIC_ENTITY_ID(TRAFFIC_ENTITY_HOST, i));
        const struct traffic_profile *q;
        draw_profile(&q, &pr, pick, cum, n);
        h->key = i;
        h->ip_primary = s->net + HOST_OFFSET_FIRST + i;
        h->ip_alt = s->bcast - 1 - i;
        if (host_init(s, i, q, TRAFFIC_ENTITY_ID(TRAFFIC_ENTITY_HOST, i)) != 0) {
            traffic_subnet_destroy(s);
            snprintf(err, 512, "out of memory");
            return NULL;
        }
        /* First join: stable devices within the first 10 minutes; laptops and
         * phones are there at the start or arrive later in the day. */
        uint64_t t0;
        if (q->churn == TRAFFIC_CHURN_STABLE || traffic_rng_chance(&h->rng, 0.6))
            t0 = rand_us(h, 0, JOIN_SPREAD_US);
        else
            t0 = rand_s(h, 1800, 10 * 3600);
        sched(s, i, EV_LIFE, 0, t0);
    }
    /* The gateway: last slot, key UINT32_MAX, profile "gateway" if present. */
    struct host *g = &s->hosts[cfg->hosts];
    g->key = TRAFFIC_HOST_GATEWAY;
    g->is_gateway = 1;
    g->online = 1;
    const struct traffic_profile *gp = find_profile(&s->prof, "gateway");
    if (gp) {
        if (host_init(s, cfg->hosts, gp, TRAFFIC_ENTITY_ID(TRAFFIC_ENTITY_SUBNET, 0)) != 0) {
            traffic_subnet_destroy(s);
            snprintf(err, 512, "out of memory");
            return NULL;
        }
    } else {
        static const uint8_t mac[6] = {0x74, 0x83, 0xc2, 0x00, 0x00, 0x01};
        memcpy(g->mac, mac, 6);
        truth_mac(g);
        snprintf(g->uuid, sizeof g->uuid, "00000000-0000-4000-8000-000000000001");
    }
    g->ip = s->gw_ip;
    sched(s, cfg->hosts, EV_LIFE, 0, 0);
    fill(s);
    return s;
}

void traffic_subnet_destroy(struct traffic_subnet *s)
{
    if (!s)
        return;
    if (s->hosts)
        for (uint32_t i = 0; i < s->host_count; i++)
            free(s->hosts[i].text);
    free(s->hosts);
    free(s->heap);
    free(s->prof.items);
    free(s);
}

/* ---- truth --------------------------------------------------------------- */

static cJSON *str_or_null(const char *v)
{
    return v && *v ? cJSON_CreateString(v) : cJSON_CreateNull();
}

static cJSON *host_truth(const struct host *h, int64_t index)
{
    const struct traffic_profile *p = h->prof;
    cJSON *o = cJSON_CreateObject();
    if (index >= 0)
        cJSON_AddNumberToObject(o, "host", (double)index);
    cJSON_AddStringToObject(o, "profile", p ? p->name : "gateway");
    cJSON *macs = cJSON_AddArrayToObject(o, "macs");
    for (uint32_t i = 0; i < h->mac_count; i++) {
        char m[18];
        const uint8_t *b = h->macs[i];
        snprintf(m, sizeof m, "%02x:%02x:%02x:%02x:%02x:%02x", b[0], b[1], b[2], b[3], b[4], b[5]);
        cJSON_AddItemToArray(macs, cJSON_CreateString(m));
    }
    cJSON *ips = cJSON_AddArrayToObject(o, "ips");
    for (uint32_t i = 0; i < h->ip_count; i++) {
        char b[16];
        uint32_t ip = h->ips[i];
        snprintf(b, sizeof b, "%u.%u.%u.%u", ip >> 24, (ip >> 16) & 255, (ip >> 8) & 255, ip & 255);
        cJSON_AddItemToArray(ips, cJSON_CreateString(b));
    }
    cJSON_AddItemToObject(o, "hostname", str_or_null(h->hostname));
    if (p && p->os_family[0]) {
        cJSON *os = cJSON_AddObjectToObject(o, "os");
        cJSON_AddStringToObject(os, "family", p->os_family);
        cJSON_AddItemToObject(os, "version", str_or_null(p->os_version));
    } else {
        cJSON_AddNullToObject(o, "os");
    }
    cJSON_AddItemToObject(o, "device_type", str_or_null(p ? p->device_type : "network"));
    cJSON_AddItemToObject(o, "manufacturer", str_or_null(p ? p->manufacturer : NULL));
    cJSON_AddItemToObject(o, "model", str_or_null(p ? p->model : NULL));
    cJSON_AddBoolToObject(o, "randomized_mac", p && p->randomized_mac);
    if (h->seen)
        cJSON_AddNumberToObject(o, "first_frame_us", (double)h->first_frame_us);
    else
        cJSON_AddNullToObject(o, "first_frame_us");
    return o;
}

cJSON *traffic_subnet_truth(const struct traffic_subnet *s)
{
    cJSON *root = cJSON_CreateObject();
    cJSON *arr = cJSON_AddArrayToObject(root, "hosts");
    for (uint32_t i = 0; i + 1 < s->host_count; i++)
        cJSON_AddItemToArray(arr, host_truth(&s->hosts[i], i));
    cJSON_AddItemToObject(root, "gateway", host_truth(&s->hosts[s->host_count - 1], -1));
    return root;
}
