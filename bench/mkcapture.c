/* mkcapture.c - bench_mkcapture: a seeded, realistic subnet capture for the benchmarks.
 *
 * Writes N Ethernet frames of one subnet (H hosts behind one gateway) as a pcap file:
 * about 96 % unicast TCP/UDP between the hosts and the gateway (60..1514 bytes), the
 * rest the broadcast and multicast protocols the sensor reads (ARP, DHCP, NBNS,
 * NetBIOS datagram, SSDP, mDNS over IPv4 and IPv6). Every byte follows from --seed:
 * one xorshift64* stream for the traffic and one per host for its identity, both
 * seeded through splitmix64; no rand(), no clock. Frames are built here, never with
 * core code, so a decoder bug cannot shape the benchmark's own input.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pcap/pcap.h>

enum { EXIT_OK = 0, EXIT_FAIL = 1, EXIT_USAGE = 2 };

#define SNAPLEN_BYTES 65535u
#define FRAME_BYTES_MIN 60u        /* Ethernet minimum, FCS not captured */
#define FRAME_BYTES_MAX 1514u      /* 1500-byte MTU + 14-byte Ethernet header */
#define TCP_MSS_BYTES 1460u        /* FRAME_BYTES_MAX - 14 - 20 - 20 */
#define PACKETS_MAX 1000000000ull  /* 10^9 frames: about 700 GB, far past any bench */
#define HOSTS_MAX 65000u           /* the subnet block is at most a /16 */
#define HOST_ADDR_FIRST 16u        /* .1 is the gateway, .2-.15 left to infrastructure */
#define RATE_PPS_DEFAULT 20000u    /* a busy office /22 at its uplink */
#define REMOTES_COUNT 64u          /* internet servers the hosts talk to */
#define POOL_BYTES 65536u          /* random bytes that payloads are cut from */
#define START_TS_S 1705309200u     /* 2024-01-15 09:00:00 UTC */
#define HOSTNAME_BYTES_MAX 32u
#define HOST_TCP_CONNS 4u          /* open TCP connections per host at any time */
#define CONN_PACKETS_MEAN 40u      /* packets of a connection before it is replaced */
#define OUT_PATH_BYTES_MAX 4096u
#define WRITE_BUFFER_BYTES (1u << 20)
#define BOOTP_BYTES_MIN 300u       /* RFC 1542 section 3.2: pad BOOTP to 300 bytes */
#define DNS_COMP_MAX 16u           /* suffixes remembered for mDNS name compression */

/* ---- seeded random streams ---------------------------------------------------- */

static uint64_t splitmix64_next(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

struct rng {
    uint64_t s;
};

/* One independent stream per (seed, stream id): host i uses stream i + 1, the
 * traffic stream 0, so adding a host does not change the others' identity. */
static void rng_seed(struct rng *r, uint64_t seed, uint64_t stream)
{
    uint64_t sm = seed ^ (stream * 0xd1b54a32d192ed03ull);
    r->s = splitmix64_next(&sm);
    if (r->s == 0)
        r->s = 0x9e3779b97f4a7c15ull;  /* zero is xorshift's one fixed point */
}

static uint64_t rng_next(struct rng *r)
{
    uint64_t x = r->s;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    r->s = x;
    return x * 0x2545f4914f6cdd1dull;
}

/* Uniform in [0, n), by Lemire's multiply-shift (bias below 2^-32). */
static uint32_t rng_below(struct rng *r, uint32_t n)
{
    return (uint32_t)(((rng_next(r) >> 32) * n) >> 32);
}

static uint32_t rng_range(struct rng *r, uint32_t lo, uint32_t hi)
{
    return lo + rng_below(r, hi - lo + 1);
}

/* ---- bounded write buffer --------------------------------------------------------- */

struct wbuf {
    uint8_t *buf;
    size_t len;
    size_t cap;
};

/* Frames are bounded by construction; running past cap is a bug here, and it
 * must stop the program even in a release build (NDEBUG drops assert). */
static uint8_t *wbuf_grab(struct wbuf *w, size_t n)
{
    if (n > w->cap - w->len) {
        fprintf(stderr, "bench_mkcapture: frame of %zu + %zu bytes > %zu (bug)\n", w->len,
                n, w->cap);
        abort();
    }
    uint8_t *p = w->buf + w->len;
    w->len += n;
    return p;
}

static void put_bytes(struct wbuf *w, const void *src, size_t n)
{
    memcpy(wbuf_grab(w, n), src, n);
}

static void put_zero(struct wbuf *w, size_t n)
{
    memset(wbuf_grab(w, n), 0, n);
}

static void put_str(struct wbuf *w, const char *s)
{
    put_bytes(w, s, strlen(s));
}

static void put_u8(struct wbuf *w, unsigned v)
{
    *wbuf_grab(w, 1) = (uint8_t)v;
}

static void set_be16(uint8_t *p, unsigned v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

static void put_be16(struct wbuf *w, unsigned v)
{
    set_be16(wbuf_grab(w, 2), v);
}

static void put_be32(struct wbuf *w, uint32_t v)
{
    uint8_t *p = wbuf_grab(w, 4);
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

static void put_le16(struct wbuf *w, unsigned v)
{
    uint8_t *p = wbuf_grab(w, 2);
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

static void put_le32(struct wbuf *w, uint32_t v)
{
    uint8_t *p = wbuf_grab(w, 4);
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

/* ---- Internet checksum (RFC 1071) ------------------------------------------------- */

/* Sums 32-bit big-endian words into a 64-bit accumulator; folding the result to
 * 16 bits gives the same one's-complement sum as 16-bit words (RFC 1071 2(B)).
 * Callers pass even-length pieces except the last. */
static uint64_t csum_add(uint64_t sum, const uint8_t *p, size_t n)
{
    size_t i = 0;
    for (; i + 4 <= n; i += 4)
        sum += (uint32_t)p[i] << 24 | (uint32_t)p[i + 1] << 16 | (uint32_t)p[i + 2] << 8 |
               p[i + 3];
    for (; i + 2 <= n; i += 2)
        sum += (uint32_t)p[i] << 8 | p[i + 1];
    if (i < n)
        sum += (uint32_t)p[i] << 8;
    return sum;
}

static uint16_t csum_fold(uint64_t sum)
{
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return (uint16_t)~sum;
}

/* ---- the subnet --------------------------------------------------------------------- */

enum host_kind { K_WINDOWS, K_MAC, K_IPHONE, K_ANDROID, K_LINUX, K_PRINTER, K_TV, K_COUNT };

/* Share of each kind in an office subnet, in percent. */
static const unsigned kind_share_pct[K_COUNT] = {45, 10, 12, 12, 8, 6, 7};

/* Real IEEE OUIs per kind (Dell, Intel, HP; Apple; Samsung, Google; Raspberry Pi;
 * HP, Brother; LG). */
static const uint8_t oui_windows[][3] = {{0x00, 0x14, 0x22}, {0x3c, 0xa9, 0xf4},
                                         {0x3c, 0xd9, 0x2b}};
static const uint8_t oui_apple[][3] = {{0xf0, 0x18, 0x98}, {0xa4, 0x83, 0xe7},
                                       {0x3c, 0x22, 0xfb}};
static const uint8_t oui_android[][3] = {{0x8c, 0xf5, 0xa3}, {0x3c, 0x5a, 0xb4}};
static const uint8_t oui_linux[][3] = {{0xb8, 0x27, 0xeb}, {0xdc, 0xa6, 0x32}};
static const uint8_t oui_printer[][3] = {{0x3c, 0xd9, 0x2b}, {0x00, 0x80, 0x77}};
static const uint8_t oui_tv[][3] = {{0xa8, 0x23, 0xfe}};
static const uint8_t oui_gateway[3] = {0x00, 0x1a, 0xa1};  /* Cisco */

static const char *const first_names[] = {
    "Anna", "Ben", "Chloe", "David", "Emma", "Felix", "Grace", "Hugo",
    "Ines", "Jonas", "Kate", "Liam", "Mia", "Noah", "Olga", "Paul",
};

/* One connection of a host: to an internet server through the gateway, or to
 * a neighbour (peer = its index + 1). Sequence numbers advance with the data. */
struct conn {
    uint32_t remote;
    uint32_t peer;
    uint32_t seq_out, seq_in;
    uint16_t eph_port;
    uint16_t window;
};

struct host {
    struct conn tcp[HOST_TCP_CONNS];
    struct conn quic;
    uint8_t mac[6];
    uint8_t ip6_ll[16];      /* fe80:: + modified EUI-64 of mac */
    uint8_t uuid[16];        /* UPnP device UUID */
    uint32_t ip4;
    uint16_t ip_id;          /* next IPv4 identification */
    uint16_t model;          /* index into the kind's model list */
    enum host_kind kind;
    char name[HOSTNAME_BYTES_MAX];
};

struct subnet {
    struct host *hosts;
    uint32_t hosts_count;
    uint32_t net4;           /* network address */
    uint32_t bcast4;         /* directed broadcast */
    uint32_t gw4;
    uint8_t gw_mac[6];
    uint32_t remotes[REMOTES_COUNT];
    /* hosts that speak each host-specific protocol, by index */
    uint32_t *nb_hosts, nb_count;        /* NBNS, NetBIOS datagrams */
    uint32_t *ssdp_hosts, ssdp_count;
    uint32_t *mdns4_hosts, mdns4_count;
    uint32_t *mdns6_hosts, mdns6_count;
    uint8_t pool[POOL_BYTES];
};

static const char *const mac_models[] = {"MacBookPro18,3", "MacBookAir10,1", "Mac14,2"};
static const char *const iphone_models[] = {"iPhone14,5", "iPhone15,2", "iPhone13,2"};
static const char *const printer_models[] = {"HP OfficeJet Pro 9010 series",
                                             "Brother MFC-L3770CDW series"};
static const char *const tv_models[] = {"LG webOS TV UN7300", "Chromecast"};

/* Opens a new connection in c; peer_allowed lets it be SMB to a neighbour. */
static void conn_open(struct conn *c, const struct subnet *sn, struct rng *r, int peer_allowed)
{
    c->peer = peer_allowed && rng_below(r, 20) == 0 ? 1 + rng_below(r, sn->hosts_count) : 0;
    c->remote = sn->remotes[rng_below(r, REMOTES_COUNT)];
    c->seq_out = (uint32_t)rng_next(r);
    c->seq_in = (uint32_t)rng_next(r);
    c->eph_port = (uint16_t)rng_range(r, 49152, 65535);
    c->window = (uint16_t)rng_range(r, 1024, 65535);
}

static void host_make(struct host *h, const struct subnet *sn, uint64_t seed, uint32_t index)
{
    static const char alnum[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    struct rng r;
    rng_seed(&r, seed, (uint64_t)index + 1);

    uint32_t pick = rng_below(&r, 100), k = 0;
    while (k + 1 < K_COUNT && pick >= kind_share_pct[k])
        pick -= kind_share_pct[k++];
    h->kind = (enum host_kind)k;

    const uint8_t (*ouis)[3];
    uint32_t oui_count;
    switch (h->kind) {
    case K_WINDOWS: ouis = oui_windows; oui_count = 3; break;
    case K_MAC:
    case K_IPHONE: ouis = oui_apple; oui_count = 3; break;
    case K_ANDROID: ouis = oui_android; oui_count = 2; break;
    case K_LINUX: ouis = oui_linux; oui_count = 2; break;
    case K_PRINTER: ouis = oui_printer; oui_count = 2; break;
    default: ouis = oui_tv; oui_count = 1; break;
    }
    memcpy(h->mac, ouis[rng_below(&r, oui_count)], 3);
    /* index times an odd constant is a bijection mod 2^24: no two hosts share a MAC */
    uint32_t nic = (uint32_t)(seed >> 8) + index * 0x9e3779u;
    h->mac[3] = (uint8_t)(nic >> 16);
    h->mac[4] = (uint8_t)(nic >> 8);
    h->mac[5] = (uint8_t)nic;
    /* Phones use a private (locally administered, random) MAC on half the networks. */
    if ((h->kind == K_IPHONE || h->kind == K_ANDROID) && rng_below(&r, 2) == 0) {
        uint64_t v = rng_next(&r);
        for (int i = 0; i < 6; i++)
            h->mac[i] = (uint8_t)(v >> (8 * i));
        h->mac[0] = (uint8_t)((h->mac[0] & 0xfc) | 0x02);
    }

    h->ip4 = sn->net4 + HOST_ADDR_FIRST + index;
    memset(h->ip6_ll, 0, sizeof h->ip6_ll);
    h->ip6_ll[0] = 0xfe;
    h->ip6_ll[1] = 0x80;
    h->ip6_ll[8] = h->mac[0] ^ 0x02;
    h->ip6_ll[9] = h->mac[1];
    h->ip6_ll[10] = h->mac[2];
    h->ip6_ll[11] = 0xff;
    h->ip6_ll[12] = 0xfe;
    memcpy(h->ip6_ll + 13, h->mac + 3, 3);
    for (int i = 0; i < 16; i++)
        h->uuid[i] = (uint8_t)rng_next(&r);
    h->uuid[6] = (uint8_t)((h->uuid[6] & 0x0f) | 0x40);  /* version 4 */
    h->uuid[8] = (uint8_t)((h->uuid[8] & 0x3f) | 0x80);  /* RFC 4122 variant */
    h->ip_id = (uint16_t)rng_next(&r);
    h->model = (uint16_t)rng_below(&r, 2);
    for (uint32_t i = 0; i < HOST_TCP_CONNS; i++)
        conn_open(&h->tcp[i], sn, &r, 1);
    conn_open(&h->quic, sn, &r, 0);

    const char *who = first_names[rng_below(&r, sizeof first_names / sizeof first_names[0])];
    switch (h->kind) {
    case K_WINDOWS: {
        char suffix[8];
        for (int i = 0; i < 7; i++)
            suffix[i] = alnum[rng_below(&r, sizeof alnum - 1)];
        suffix[7] = '\0';
        snprintf(h->name, sizeof h->name, "DESKTOP-%s", suffix);
        break;
    }
    case K_MAC: snprintf(h->name, sizeof h->name, "%ss-MacBook-Pro-%" PRIu32, who, index); break;
    case K_IPHONE: snprintf(h->name, sizeof h->name, "%ss-iPhone-%" PRIu32, who, index); break;
    case K_ANDROID:
        snprintf(h->name, sizeof h->name, "android-%016" PRIx64, rng_next(&r));
        break;
    case K_LINUX: snprintf(h->name, sizeof h->name, "raspberrypi-%" PRIu32, index); break;
    case K_PRINTER:
        snprintf(h->name, sizeof h->name, "NPI%06" PRIX32, (uint32_t)rng_below(&r, 1u << 24));
        break;
    default: snprintf(h->name, sizeof h->name, "LGwebOSTV-%" PRIu32, index); break;
    }
}

/* The smallest block holding the gateway, the reserved addresses, the hosts and
 * the broadcast, never smaller than a /24. */
static int subnet_init(struct subnet *sn, uint64_t seed, uint32_t hosts_count)
{
    uint64_t sm = seed;
    struct rng r;
    uint32_t block = 256;
    while (block < HOST_ADDR_FIRST + hosts_count + 1u)
        block *= 2;
    rng_seed(&r, seed, 0xffffffffull);
    /* 10.N.0.0/16 holds any block up to HOSTS_MAX, aligned */
    sn->net4 = 0x0a000000u | ((uint32_t)(splitmix64_next(&sm) & 0xff) << 16);
    sn->bcast4 = sn->net4 + block - 1;
    sn->gw4 = sn->net4 + 1;
    memcpy(sn->gw_mac, oui_gateway, 3);
    sn->gw_mac[3] = (uint8_t)rng_next(&r);
    sn->gw_mac[4] = (uint8_t)rng_next(&r);
    sn->gw_mac[5] = (uint8_t)rng_next(&r);
    for (uint32_t i = 0; i < REMOTES_COUNT; i++) {
        /* first octets of large public (cloud and CDN) allocations */
        static const uint8_t first[] = {13, 20, 23, 31, 52, 104, 142, 151, 157, 185, 199};
        sn->remotes[i] = (uint32_t)first[rng_below(&r, sizeof first)] << 24 |
                         (uint32_t)(rng_next(&r) & 0xffffff);
    }
    for (uint32_t i = 0; i < POOL_BYTES; i += 8) {
        uint64_t v = rng_next(&r);
        for (uint32_t j = 0; j < 8; j++)
            sn->pool[i + j] = (uint8_t)(v >> (8 * j));
    }

    sn->hosts_count = hosts_count;
    sn->hosts = calloc(hosts_count, sizeof *sn->hosts);
    sn->nb_hosts = calloc(hosts_count, sizeof *sn->nb_hosts);
    sn->ssdp_hosts = calloc(hosts_count, sizeof *sn->ssdp_hosts);
    sn->mdns4_hosts = calloc(hosts_count, sizeof *sn->mdns4_hosts);
    sn->mdns6_hosts = calloc(hosts_count, sizeof *sn->mdns6_hosts);
    if (sn->hosts == NULL || sn->nb_hosts == NULL || sn->ssdp_hosts == NULL ||
        sn->mdns4_hosts == NULL || sn->mdns6_hosts == NULL)
        return -1;
    sn->nb_count = sn->ssdp_count = sn->mdns4_count = sn->mdns6_count = 0;
    for (uint32_t i = 0; i < hosts_count; i++) {
        struct host *h = &sn->hosts[i];
        host_make(h, sn, seed, i);
        enum host_kind k = h->kind;
        if (k == K_WINDOWS)
            sn->nb_hosts[sn->nb_count++] = i;
        if (k == K_WINDOWS || k == K_PRINTER || k == K_TV)
            sn->ssdp_hosts[sn->ssdp_count++] = i;
        if (k != K_WINDOWS)
            sn->mdns4_hosts[sn->mdns4_count++] = i;
        if (k == K_MAC || k == K_IPHONE || k == K_LINUX)
            sn->mdns6_hosts[sn->mdns6_count++] = i;
    }
    return 0;
}

static void subnet_free(struct subnet *sn)
{
    free(sn->hosts);
    free(sn->nb_hosts);
    free(sn->ssdp_hosts);
    free(sn->mdns4_hosts);
    free(sn->mdns6_hosts);
}

/* ---- link, network and transport layers ------------------------------------------- */

static const uint8_t mac_broadcast[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
static const uint8_t mac_ssdp[6] = {0x01, 0x00, 0x5e, 0x7f, 0xff, 0xfa};
static const uint8_t mac_mdns4[6] = {0x01, 0x00, 0x5e, 0x00, 0x00, 0xfb};
static const uint8_t mac_mdns6[6] = {0x33, 0x33, 0x00, 0x00, 0x00, 0xfb};
static const uint8_t ip6_mdns[16] = {0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xfb};
#define IP4_SSDP 0xeffffffau   /* 239.255.255.250 */
#define IP4_MDNS 0xe00000fbu   /* 224.0.0.251 */
#define IP4_ALL_ONES 0xffffffffu

struct flow4 {
    const uint8_t *smac, *dmac;
    uint32_t sip, dip;
    uint16_t sport, dport;
    uint16_t ip_id;
    uint8_t ttl;
    uint8_t dont_fragment;
};

static void eth_put(struct wbuf *w, const uint8_t dst[6], const uint8_t src[6], unsigned type)
{
    put_bytes(w, dst, 6);
    put_bytes(w, src, 6);
    put_be16(w, type);
}

static uint64_t pseudo4_sum(const struct flow4 *f, unsigned proto, size_t l4_bytes)
{
    return (uint64_t)(f->sip >> 16) + (f->sip & 0xffff) + (f->dip >> 16) + (f->dip & 0xffff) +
           proto + l4_bytes;
}

static void ip4_put(struct wbuf *w, const struct flow4 *f, unsigned proto, size_t l4_bytes)
{
    uint8_t *hdr = w->buf + w->len;
    put_u8(w, 0x45);                                  /* version 4, 20-byte header */
    put_u8(w, 0);
    put_be16(w, (unsigned)(20 + l4_bytes));
    put_be16(w, f->ip_id);
    put_be16(w, f->dont_fragment ? 0x4000u : 0u);
    put_u8(w, f->ttl);
    put_u8(w, proto);
    put_be16(w, 0);
    put_be32(w, f->sip);
    put_be32(w, f->dip);
    set_be16(hdr + 10, csum_fold(csum_add(0, hdr, 20)));
}

static void frame_udp4(struct wbuf *w, const struct flow4 *f, const uint8_t *pay, size_t n)
{
    size_t udp_bytes = 8 + n;
    eth_put(w, f->dmac, f->smac, 0x0800);
    ip4_put(w, f, 17, udp_bytes);
    uint8_t *udp = w->buf + w->len;
    put_be16(w, f->sport);
    put_be16(w, f->dport);
    put_be16(w, (unsigned)udp_bytes);
    put_be16(w, 0);
    put_bytes(w, pay, n);
    uint16_t c = csum_fold(csum_add(pseudo4_sum(f, 17, udp_bytes), udp, udp_bytes));
    set_be16(udp + 6, c == 0 ? 0xffff : c);          /* RFC 768: 0 means "none" */
}

static void frame_tcp4(struct wbuf *w, const struct flow4 *f, uint32_t seq, uint32_t ack,
                       unsigned flags, unsigned window, const uint8_t *pay, size_t n)
{
    size_t tcp_bytes = 20 + n;
    eth_put(w, f->dmac, f->smac, 0x0800);
    ip4_put(w, f, 6, tcp_bytes);
    uint8_t *tcp = w->buf + w->len;
    put_be16(w, f->sport);
    put_be16(w, f->dport);
    put_be32(w, seq);
    put_be32(w, ack);
    put_u8(w, 5u << 4);                               /* data offset: 20 bytes */
    put_u8(w, flags);
    put_be16(w, window);
    put_be16(w, 0);
    put_be16(w, 0);                                   /* urgent pointer */
    put_bytes(w, pay, n);
    set_be16(tcp + 16, csum_fold(csum_add(pseudo4_sum(f, 6, tcp_bytes), tcp, tcp_bytes)));
}

static void frame_udp6(struct wbuf *w, const uint8_t smac[6], const uint8_t dmac[6],
                       const uint8_t sip[16], const uint8_t dip[16], unsigned port,
                       const uint8_t *pay, size_t n)
{
    size_t udp_bytes = 8 + n;
    eth_put(w, dmac, smac, 0x86dd);
    put_be32(w, 0x60000000u);                         /* version 6, class 0, flow 0 */
    put_be16(w, (unsigned)udp_bytes);
    put_u8(w, 17);
    put_u8(w, 255);                                   /* RFC 6762 11: hop limit 255 */
    put_bytes(w, sip, 16);
    put_bytes(w, dip, 16);
    uint8_t *udp = w->buf + w->len;
    put_be16(w, port);
    put_be16(w, port);
    put_be16(w, (unsigned)udp_bytes);
    put_be16(w, 0);
    put_bytes(w, pay, n);
    uint64_t sum = csum_add(csum_add(0, sip, 16), dip, 16) + udp_bytes + 17;
    uint16_t c = csum_fold(csum_add(sum, udp, udp_bytes));
    set_be16(udp + 6, c == 0 ? 0xffff : c);          /* RFC 8200 8.1: never 0 */
}

static void frame_pad(struct wbuf *w)
{
    if (w->len < FRAME_BYTES_MIN)
        put_zero(w, FRAME_BYTES_MIN - w->len);
}

/* ---- the sensed protocols ------------------------------------------------------------- */

enum traffic_kind {
    T_TCP, T_UDP, T_ARP, T_DHCP, T_NBNS, T_NBDGM, T_SSDP, T_MDNS4, T_MDNS6, T_COUNT
};
static const char *const traffic_name[T_COUNT] = {
    "tcp", "udp", "arp", "dhcp", "nbns", "nbdgm", "ssdp", "mdns4", "mdns6",
};
/* Frames per 10000 of each broadcast/multicast kind (4 % in all); the rest is
 * unicast, 85 % of it TCP. Office captures show ARP as the bulk of broadcasts,
 * then mDNS/SSDP chatter and NetBIOS from Windows hosts. */
static const unsigned bcast_per_10k[T_COUNT] = {
    [T_ARP] = 200, [T_DHCP] = 10, [T_NBNS] = 60, [T_NBDGM] = 20,
    [T_SSDP] = 50, [T_MDNS4] = 40, [T_MDNS6] = 20,
};

static struct host *pick_from(struct subnet *sn, struct rng *r, const uint32_t *list,
                              uint32_t count)
{
    if (count == 0)
        return NULL;
    return &sn->hosts[list[rng_below(r, count)]];
}

static uint8_t host_ttl(const struct host *h)
{
    return h->kind == K_WINDOWS ? 128 : 64;
}

static void build_arp(struct wbuf *w, struct subnet *sn, struct rng *r)
{
    struct host *h = &sn->hosts[rng_below(r, sn->hosts_count)];
    uint32_t roll = rng_below(r, 10);
    static const uint8_t zero_mac[6] = {0};
    eth_put(w, roll < 7 ? mac_broadcast : sn->gw_mac, roll < 7 ? h->mac : sn->gw_mac, 0x0806);
    put_be16(w, 1);       /* Ethernet */
    put_be16(w, 0x0800);  /* IPv4 */
    put_u8(w, 6);
    put_u8(w, 4);
    if (roll < 6) {       /* who-has: mostly the gateway, sometimes a neighbour */
        put_be16(w, 1);
        put_bytes(w, h->mac, 6);
        put_be32(w, h->ip4);
        put_bytes(w, zero_mac, 6);
        put_be32(w, rng_below(r, 4) == 0 ? sn->net4 + HOST_ADDR_FIRST +
                                               rng_below(r, sn->hosts_count)
                                         : sn->gw4);
    } else if (roll < 7) { /* gratuitous ARP after DHCP or link up */
        put_be16(w, 1);
        put_bytes(w, h->mac, 6);
        put_be32(w, h->ip4);
        put_bytes(w, zero_mac, 6);
        put_be32(w, h->ip4);
    } else {              /* the host answers the gateway's who-has */
        w->len = 0;
        eth_put(w, sn->gw_mac, h->mac, 0x0806);
        put_be16(w, 1);
        put_be16(w, 0x0800);
        put_u8(w, 6);
        put_u8(w, 4);
        put_be16(w, 2);
        put_bytes(w, h->mac, 6);
        put_be32(w, h->ip4);
        put_bytes(w, sn->gw_mac, 6);
        put_be32(w, sn->gw4);
    }
    frame_pad(w);
}

/* DHCP DISCOVER or REQUEST (RFC 2131), with the options each OS family sends. */
static void build_dhcp(struct wbuf *w, struct subnet *sn, struct rng *r)
{
    static const uint8_t prl_windows[] = {1, 3, 6, 15, 31, 33, 43, 44, 46, 47, 119, 121, 249, 252};
    static const uint8_t prl_apple[] = {1, 121, 3, 6, 15, 108, 114, 119, 252, 95, 44, 46};
    static const uint8_t prl_android[] = {1, 3, 6, 15, 26, 28, 51, 58, 59, 43, 114, 108};
    static const uint8_t prl_linux[] = {1, 28, 2, 3, 15, 6, 119, 12, 44, 47, 26, 121, 42};
    static const uint8_t prl_embedded[] = {1, 3, 6, 15, 44, 12};
    static const uint8_t cookie[4] = {99, 130, 83, 99};
    uint8_t pay_buf[576];
    struct wbuf p = {pay_buf, 0, sizeof pay_buf};
    struct host *h = &sn->hosts[rng_below(r, sn->hosts_count)];
    int request = rng_below(r, 2) == 0;

    put_u8(&p, 1);                       /* BOOTREQUEST */
    put_u8(&p, 1);                       /* htype Ethernet */
    put_u8(&p, 6);
    put_u8(&p, 0);
    put_be32(&p, (uint32_t)rng_next(r)); /* xid */
    put_be16(&p, rng_below(r, 4));       /* secs */
    put_be16(&p, h->kind == K_IPHONE || h->kind == K_MAC ? 0 : 0x8000u);
    put_zero(&p, 16);                    /* ciaddr yiaddr siaddr giaddr */
    put_bytes(&p, h->mac, 6);
    put_zero(&p, 10 + 64 + 128);         /* chaddr padding, sname, file */
    put_bytes(&p, cookie, 4);
    put_u8(&p, 53);
    put_u8(&p, 1);
    put_u8(&p, request ? 3 : 1);
    put_u8(&p, 61);
    put_u8(&p, 7);
    put_u8(&p, 1);
    put_bytes(&p, h->mac, 6);
    if (request) {
        put_u8(&p, 50);
        put_u8(&p, 4);
        put_be32(&p, h->ip4);
        put_u8(&p, 54);
        put_u8(&p, 4);
        put_be32(&p, sn->gw4);
    }
    size_t name_len = strlen(h->name);
    put_u8(&p, 12);
    put_u8(&p, (unsigned)name_len);
    put_bytes(&p, h->name, name_len);
    const char *vendor = NULL;
    const uint8_t *prl;
    size_t prl_len;
    switch (h->kind) {
    case K_WINDOWS: vendor = "MSFT 5.0"; prl = prl_windows; prl_len = sizeof prl_windows; break;
    case K_MAC:
    case K_IPHONE: prl = prl_apple; prl_len = sizeof prl_apple; break;
    case K_ANDROID:
        vendor = "android-dhcp-13";
        prl = prl_android;
        prl_len = sizeof prl_android;
        break;
    case K_LINUX: prl = prl_linux; prl_len = sizeof prl_linux; break;
    default: prl = prl_embedded; prl_len = sizeof prl_embedded; break;
    }
    if (vendor != NULL) {
        put_u8(&p, 60);
        put_u8(&p, (unsigned)strlen(vendor));
        put_str(&p, vendor);
    }
    put_u8(&p, 55);
    put_u8(&p, (unsigned)prl_len);
    put_bytes(&p, prl, prl_len);
    put_u8(&p, 255);
    if (p.len < BOOTP_BYTES_MIN)
        put_zero(&p, BOOTP_BYTES_MIN - p.len);

    struct flow4 f = {h->mac, mac_broadcast, 0, IP4_ALL_ONES, 68, 67, h->ip_id++,
                      host_ttl(h), 0};
    frame_udp4(w, &f, p.buf, p.len);
}

/* A NetBIOS name in first-level encoding (RFC 1001 14.1): 15 characters padded
 * with spaces, the suffix byte, each nibble + 'A'; one 32-byte label. */
static void nb_name_put(struct wbuf *p, const char *name, unsigned suffix)
{
    size_t len = strlen(name);
    put_u8(p, 32);
    for (size_t i = 0; i < 16; i++) {
        unsigned c = i == 15 ? suffix : i < len ? (unsigned)(unsigned char)name[i] : ' ';
        if (c >= 'a' && c <= 'z' && i < 15)
            c -= 'a' - 'A';
        put_u8(p, 'A' + (c >> 4));
        put_u8(p, 'A' + (c & 15));
    }
    put_u8(p, 0);
}

/* NBNS (RFC 1002 4.2): a B-node registration of the host's name, or a
 * broadcast name query (WPAD, a neighbour, the domain master browser). */
static int build_nbns(struct wbuf *w, struct subnet *sn, struct rng *r)
{
    struct host *h = pick_from(sn, r, sn->nb_hosts, sn->nb_count);
    if (h == NULL)
        return -1;
    uint8_t pay_buf[128];
    struct wbuf p = {pay_buf, 0, sizeof pay_buf};
    put_be16(&p, (unsigned)rng_below(r, 0x10000));
    if (rng_below(r, 3) == 0) {
        put_be16(&p, 0x2910);               /* registration, RD, broadcast */
        put_be16(&p, 1);
        put_be16(&p, 0);
        put_be16(&p, 0);
        put_be16(&p, 1);
        nb_name_put(&p, h->name, rng_below(r, 2) == 0 ? 0x00 : 0x20);
        put_be16(&p, 0x0020);               /* NB */
        put_be16(&p, 1);
        put_be16(&p, 0xc00c);               /* the question's name */
        put_be16(&p, 0x0020);
        put_be16(&p, 1);
        put_be32(&p, 300000);               /* Windows' default TTL */
        put_be16(&p, 6);
        put_be16(&p, 0);                    /* B-node, unique */
        put_be32(&p, h->ip4);
    } else {
        put_be16(&p, 0x0110);               /* query, RD, broadcast */
        put_be16(&p, 1);
        put_be16(&p, 0);
        put_be16(&p, 0);
        put_be16(&p, 0);
        uint32_t roll = rng_below(r, 3);
        if (roll == 0)
            nb_name_put(&p, "WPAD", 0x00);
        else if (roll == 1)
            nb_name_put(&p, "WORKGROUP", 0x1b);
        else
            nb_name_put(&p, sn->hosts[rng_below(r, sn->hosts_count)].name, 0x20);
        put_be16(&p, 0x0020);
        put_be16(&p, 1);
    }
    struct flow4 f = {h->mac, mac_broadcast, h->ip4, sn->bcast4, 137, 137, h->ip_id++,
                      128, 0};
    frame_udp4(w, &f, p.buf, p.len);
    return 0;
}

/* A browser Host Announcement ([MS-BRWS] 2.2.1) in an SMB Trans mailslot write
 * to \MAILSLOT\BROWSE, in a direct group datagram (RFC 1002 4.4.1) to
 * WORKGROUP<1d>. SMB fields are little-endian. */
static int build_nbdgm(struct wbuf *w, struct subnet *sn, struct rng *r)
{
    static const char mailslot[] = "\\MAILSLOT\\BROWSE";
    static const char comment[] = "";
    struct host *h = pick_from(sn, r, sn->nb_hosts, sn->nb_count);
    if (h == NULL)
        return -1;
    uint8_t pay_buf[320];
    struct wbuf p = {pay_buf, 0, sizeof pay_buf};
    const size_t announce_bytes = 1 + 1 + 4 + 16 + 1 + 1 + 4 + 1 + 1 + 2 + sizeof comment;
    const size_t smb_hdr_bytes = 32, trans_words = 17;
    const size_t data_off = smb_hdr_bytes + 1 + 2 * trans_words + 2 + sizeof mailslot;
    const size_t smb_bytes = data_off + announce_bytes;

    put_u8(&p, 0x11);                       /* direct group datagram */
    put_u8(&p, 0x02);                       /* first fragment, B node */
    put_be16(&p, (unsigned)rng_below(r, 0x10000));
    put_be32(&p, h->ip4);
    put_be16(&p, 138);
    size_t dgm_len_at = p.len;
    put_be16(&p, 0);
    put_be16(&p, 0);                        /* packet offset */
    nb_name_put(&p, h->name, 0x00);
    nb_name_put(&p, "WORKGROUP", 0x1d);
    size_t smb_at = p.len;

    put_bytes(&p, "\xffSMB", 4);
    put_u8(&p, 0x25);                       /* SMB_COM_TRANSACTION */
    put_zero(&p, 4 + 1 + 2 + 2 + 8 + 2 + 2 + 2 + 2 + 2);
    put_u8(&p, (unsigned)trans_words);
    put_le16(&p, 0);                        /* total parameter count */
    put_le16(&p, (unsigned)announce_bytes); /* total data count */
    put_le16(&p, 0);
    put_le16(&p, 0);
    put_u8(&p, 0);
    put_u8(&p, 0);
    put_le16(&p, 0);                        /* flags */
    put_le32(&p, 1000);                     /* timeout ms */
    put_le16(&p, 0);
    put_le16(&p, 0);                        /* parameter count */
    put_le16(&p, (unsigned)data_off);       /* parameter offset */
    put_le16(&p, (unsigned)announce_bytes);
    put_le16(&p, (unsigned)data_off);
    put_u8(&p, 3);                          /* setup count */
    put_u8(&p, 0);
    put_le16(&p, 1);                        /* mailslot write */
    put_le16(&p, 1);                        /* priority */
    put_le16(&p, 2);                        /* class: unreliable broadcast */
    put_le16(&p, (unsigned)(sizeof mailslot + announce_bytes));
    put_bytes(&p, mailslot, sizeof mailslot);

    put_u8(&p, 0x01);                       /* HostAnnouncement */
    put_u8(&p, 0);                          /* update count */
    put_le32(&p, 720000);                   /* periodicity: 12 minutes */
    char server[16] = {0};
    memcpy(server, h->name, strnlen(h->name, 15));
    put_bytes(&p, server, 16);
    put_u8(&p, 10);                         /* OS version 10.0 */
    put_u8(&p, 0);
    put_le32(&p, 0x00051003);               /* workstation, server, NT workstation, potential browser */
    put_u8(&p, 15);                         /* browser version 15.1 */
    put_u8(&p, 1);
    put_le16(&p, 0xaa55);
    put_bytes(&p, comment, sizeof comment);
    if (p.len - smb_at != smb_bytes) {
        fprintf(stderr, "bench_mkcapture: SMB length %zu != %zu (bug)\n", p.len - smb_at,
                smb_bytes);
        abort();
    }
    set_be16(p.buf + dgm_len_at, (unsigned)(p.len - 14));

    struct flow4 f = {h->mac, mac_broadcast, h->ip4, sn->bcast4, 138, 138, h->ip_id++,
                      128, 0};
    frame_udp4(w, &f, p.buf, p.len);
    return 0;
}

static void uuid_format(const uint8_t u[16], char out[37])
{
    snprintf(out, 37,
             "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", u[0],
             u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9], u[10], u[11], u[12], u[13],
             u[14], u[15]);
}

static void ip4_format(uint32_t ip, char out[16])
{
    snprintf(out, 16, "%u.%u.%u.%u", ip >> 24, (ip >> 16) & 0xff, (ip >> 8) & 0xff, ip & 0xff);
}

/* SSDP NOTIFY ssdp:alive (UPnP Device Architecture 2.0, 1.2.2). */
static int build_ssdp(struct wbuf *w, struct subnet *sn, struct rng *r)
{
    static const char *const nts[] = {"upnp:rootdevice", "urn:schemas-upnp-org:device:MediaRenderer:1",
                                      "urn:schemas-upnp-org:service:ConnectionManager:1"};
    struct host *h = pick_from(sn, r, sn->ssdp_hosts, sn->ssdp_count);
    if (h == NULL)
        return -1;
    const char *server;
    switch (h->kind) {
    case K_WINDOWS: server = "Microsoft-Windows/10.0 UPnP/1.0 UPnP-Device-Host/1.0"; break;
    case K_PRINTER: server = "HP HTTP Server; HP OfficeJet Pro 9010 series; UPnP/1.0"; break;
    default: server = "Linux/4.4.84 UPnP/1.0 LGE WebOS TV/Version 0.9"; break;
    }
    char uuid[37], ip[16], text[640];
    uuid_format(h->uuid, uuid);
    ip4_format(h->ip4, ip);
    const char *nt = nts[rng_below(r, 3)];
    int n = snprintf(text, sizeof text,
                     "NOTIFY * HTTP/1.1\r\n"
                     "HOST: 239.255.255.250:1900\r\n"
                     "CACHE-CONTROL: max-age=1800\r\n"
                     "LOCATION: http://%s:%u/description.xml\r\n"
                     "NT: %s\r\n"
                     "NTS: ssdp:alive\r\n"
                     "SERVER: %s\r\n"
                     "USN: uuid:%s::%s\r\n"
                     "\r\n",
                     ip, h->kind == K_WINDOWS ? 2869u : 49152u, nt, server, uuid, nt);
    if (n < 0 || (size_t)n >= sizeof text) {
        fprintf(stderr, "bench_mkcapture: SSDP text overflow (bug)\n");
        abort();
    }
    struct flow4 f = {h->mac, mac_ssdp, h->ip4, IP4_SSDP, 1900, 1900, h->ip_id++, 4, 0};
    frame_udp4(w, &f, (const uint8_t *)text, (size_t)n);
    return 0;
}

/* DNS name writer with message compression (RFC 1035 4.1.4): each suffix
 * written is remembered, and a later name ending in it points back. */
struct dns_comp {
    const char *suffix[DNS_COMP_MAX];
    uint16_t off[DNS_COMP_MAX];
    unsigned count;
    size_t msg_at;            /* where the DNS header starts in the buffer */
};

static void dns_name_put(struct wbuf *p, struct dns_comp *c, const char *name)
{
    const char *s = name;
    while (*s != '\0') {
        for (unsigned i = 0; i < c->count; i++) {
            if (strcmp(c->suffix[i], s) == 0) {
                put_be16(p, 0xc000u | c->off[i]);
                return;
            }
        }
        if (c->count < DNS_COMP_MAX) {
            c->suffix[c->count] = s;
            c->off[c->count++] = (uint16_t)(p->len - c->msg_at);
        }
        const char *dot = strchr(s, '.');
        size_t label = dot != NULL ? (size_t)(dot - s) : strlen(s);
        put_u8(p, (unsigned)label);
        put_bytes(p, s, label);
        s += label + (dot != NULL);
    }
    put_u8(p, 0);
}

/* Starts a resource record; returns where its RDLENGTH goes. */
static size_t dns_rr_begin(struct wbuf *p, struct dns_comp *c, const char *name,
                           unsigned type, unsigned cls, uint32_t ttl_s)
{
    dns_name_put(p, c, name);
    put_be16(p, type);
    put_be16(p, cls);
    put_be32(p, ttl_s);
    size_t at = p->len;
    put_be16(p, 0);
    return at;
}

static void dns_rr_end(struct wbuf *p, size_t rdlen_at)
{
    set_be16(p->buf + rdlen_at, (unsigned)(p->len - rdlen_at - 2));
}

static void dns_txt_put(struct wbuf *p, const char *s)
{
    size_t n = strlen(s);
    put_u8(p, (unsigned)n);
    put_bytes(p, s, n);
}

/* An mDNS announcement (RFC 6762 8.3): the host's address record plus the
 * service records its kind advertises, names compressed. */
static int build_mdns(struct wbuf *w, struct subnet *sn, struct rng *r, int v6)
{
    struct host *h = v6 ? pick_from(sn, r, sn->mdns6_hosts, sn->mdns6_count)
                        : pick_from(sn, r, sn->mdns4_hosts, sn->mdns4_count);
    if (h == NULL)
        return -1;
    uint8_t pay_buf[1024];
    struct wbuf p = {pay_buf, 0, sizeof pay_buf};
    struct dns_comp c = {.count = 0, .msg_at = 0};
    char host_local[HOSTNAME_BYTES_MAX + 8], inst[HOSTNAME_BYTES_MAX + 64], txt[96];
    const unsigned flush = 0x8001;          /* class IN with the cache-flush bit */
    size_t at;

    snprintf(host_local, sizeof host_local, "%s.local", h->name);
    put_be16(&p, 0);                        /* id 0 */
    put_be16(&p, 0x8400);                   /* response, authoritative */
    put_be16(&p, 0);
    size_t ancount_at = p.len;
    put_be16(&p, 0);
    put_be16(&p, 0);
    put_be16(&p, 0);
    unsigned answers = 1;
    if (v6) {
        at = dns_rr_begin(&p, &c, host_local, 28, flush, 120);
        put_bytes(&p, h->ip6_ll, 16);
    } else {
        at = dns_rr_begin(&p, &c, host_local, 1, flush, 120);
        put_be32(&p, h->ip4);
    }
    dns_rr_end(&p, at);

    switch (h->kind) {
    case K_MAC:
    case K_IPHONE:
        snprintf(inst, sizeof inst, "%s._device-info._tcp.local", h->name);
        at = dns_rr_begin(&p, &c, inst, 16, 1, 4500);
        snprintf(txt, sizeof txt, "model=%s",
                 h->kind == K_MAC ? mac_models[h->model] : iphone_models[h->model]);
        dns_txt_put(&p, txt);
        dns_txt_put(&p, "osxvers=23");
        dns_rr_end(&p, at);
        answers++;
        break;
    case K_PRINTER:
        snprintf(inst, sizeof inst, "%s._ipp._tcp.local", h->name);
        at = dns_rr_begin(&p, &c, "_ipp._tcp.local", 12, 1, 4500);
        dns_name_put(&p, &c, inst);
        dns_rr_end(&p, at);
        at = dns_rr_begin(&p, &c, inst, 33, flush, 120);
        put_be16(&p, 0);                    /* priority */
        put_be16(&p, 0);                    /* weight */
        put_be16(&p, 631);
        dns_name_put(&p, &c, host_local);
        dns_rr_end(&p, at);
        at = dns_rr_begin(&p, &c, inst, 16, flush, 4500);
        dns_txt_put(&p, "txtvers=1");
        snprintf(txt, sizeof txt, "ty=%s", printer_models[h->model]);
        dns_txt_put(&p, txt);
        dns_txt_put(&p, "pdl=application/pdf,image/urf");
        dns_rr_end(&p, at);
        answers += 3;
        break;
    case K_TV:
        snprintf(inst, sizeof inst, "%s._googlecast._tcp.local", h->name);
        at = dns_rr_begin(&p, &c, "_googlecast._tcp.local", 12, 1, 4500);
        dns_name_put(&p, &c, inst);
        dns_rr_end(&p, at);
        at = dns_rr_begin(&p, &c, inst, 16, flush, 4500);
        snprintf(txt, sizeof txt, "md=%s", tv_models[h->model]);
        dns_txt_put(&p, txt);
        dns_txt_put(&p, "fn=Meeting Room TV");
        dns_rr_end(&p, at);
        answers += 2;
        break;
    case K_LINUX:                           /* Avahi's default workstation service */
        snprintf(inst, sizeof inst, "%s [%02x:%02x:%02x:%02x:%02x:%02x]._workstation._tcp.local",
                 h->name, h->mac[0], h->mac[1], h->mac[2], h->mac[3], h->mac[4], h->mac[5]);
        at = dns_rr_begin(&p, &c, "_workstation._tcp.local", 12, 1, 4500);
        dns_name_put(&p, &c, inst);
        dns_rr_end(&p, at);
        answers++;
        break;
    default:
        break;
    }
    set_be16(p.buf + ancount_at, answers);

    if (v6) {
        frame_udp6(w, h->mac, mac_mdns6, h->ip6_ll, ip6_mdns, 5353, p.buf, p.len);
    } else {
        struct flow4 f = {h->mac, mac_mdns4, h->ip4, IP4_MDNS, 5353, 5353, h->ip_id++, 255, 0};
        frame_udp4(w, &f, p.buf, p.len);
    }
    return 0;
}

/* ---- unicast bulk --------------------------------------------------------------------- */

/* A few hosts carry most of the traffic: the index is drawn below a random
 * bound, which favours low indices (about a 1/x density). */
static struct host *pick_busy(struct subnet *sn, struct rng *r)
{
    return &sn->hosts[rng_below(r, rng_below(r, sn->hosts_count) + 1)];
}

static void build_tcp(struct wbuf *w, struct subnet *sn, struct rng *r)
{
    struct host *h = pick_busy(sn, r);
    struct conn *c = &h->tcp[rng_below(r, HOST_TCP_CONNS)];
    if (rng_below(r, CONN_PACKETS_MEAN) == 0)   /* it closed; the host opened another */
        conn_open(c, sn, r, 1);
    uint32_t roll = rng_below(r, 100);
    size_t n = roll < 35 ? 0 : roll < 75 ? TCP_MSS_BYTES : rng_range(r, 1, TCP_MSS_BYTES);
    const uint8_t *pay = sn->pool + rng_below(r, POOL_BYTES - TCP_MSS_BYTES);
    unsigned flags = n > 0 ? 0x18 : 0x10;   /* PSH|ACK with data, else ACK */
    int upload = rng_below(r, 100) < 45;
    uint32_t seq = upload ? c->seq_out : c->seq_in, ack = upload ? c->seq_in : c->seq_out;
    struct flow4 f;

    if (upload)
        c->seq_out += (uint32_t)n;
    else
        c->seq_in += (uint32_t)n;
    if (c->peer != 0) {                     /* SMB to a neighbour */
        struct host *peer = &sn->hosts[c->peer - 1];
        if (upload)
            f = (struct flow4){h->mac, peer->mac, h->ip4, peer->ip4, c->eph_port, 445,
                               h->ip_id++, host_ttl(h), 1};
        else
            f = (struct flow4){peer->mac, h->mac, peer->ip4, h->ip4, 445, c->eph_port,
                               peer->ip_id++, host_ttl(peer), 1};
    } else if (upload) {                    /* TLS: random bytes pass for it, not for HTTP */
        f = (struct flow4){h->mac, sn->gw_mac, h->ip4, c->remote, c->eph_port, 443,
                           h->ip_id++, host_ttl(h), 1};
    } else {
        f = (struct flow4){sn->gw_mac, h->mac, c->remote, h->ip4, 443, c->eph_port,
                           (uint16_t)rng_next(r), (uint8_t)(40 + (c->remote & 15)), 1};
    }
    frame_tcp4(w, &f, seq, ack, flags, c->window, pay, n);
    frame_pad(w);
}

static void build_udp(struct wbuf *w, struct subnet *sn, struct rng *r)
{
    static const char *const names[] = {"www.example.com", "outlook.office365.com",
                                        "update.microsoft.com", "time.apple.com"};
    struct host *h = pick_busy(sn, r);
    uint16_t eph = (uint16_t)rng_range(r, 49152, 65535);
    struct flow4 f;

    if (rng_below(r, 3) == 0) {             /* DNS through the gateway's resolver */
        uint8_t pay_buf[128];
        struct wbuf p = {pay_buf, 0, sizeof pay_buf};
        struct dns_comp c = {.count = 0, .msg_at = 0};
        int response = rng_below(r, 2) == 0;
        put_be16(&p, (unsigned)rng_below(r, 0x10000));
        put_be16(&p, response ? 0x8180u : 0x0100u);
        put_be16(&p, 1);
        put_be16(&p, response ? 1u : 0u);
        put_be16(&p, 0);
        put_be16(&p, 0);
        const char *name = names[rng_below(r, 4)];
        dns_name_put(&p, &c, name);
        put_be16(&p, 1);
        put_be16(&p, 1);
        if (response) {
            size_t at = dns_rr_begin(&p, &c, name, 1, 1, 300);
            put_be32(&p, sn->remotes[rng_below(r, REMOTES_COUNT)]);
            dns_rr_end(&p, at);
            f = (struct flow4){sn->gw_mac, h->mac, sn->gw4, h->ip4, 53, eph,
                               (uint16_t)rng_next(r), 64, 0};
        } else {
            f = (struct flow4){h->mac, sn->gw_mac, h->ip4, sn->gw4, eph, 53, h->ip_id++,
                               host_ttl(h), 0};
        }
        frame_udp4(w, &f, p.buf, p.len);
    } else {                                /* QUIC to an internet server */
        uint8_t pay[1350];
        size_t n = rng_range(r, 20, sizeof pay);
        memcpy(pay, sn->pool + rng_below(r, POOL_BYTES - sizeof pay), n);
        pay[0] = (uint8_t)(0x40 | (pay[0] & 0x3f)); /* QUIC short header (RFC 9000 17.3) */
        struct conn *c = &h->quic;
        if (rng_below(r, CONN_PACKETS_MEAN) == 0)
            conn_open(c, sn, r, 0);
        if (rng_below(r, 2) == 0)
            f = (struct flow4){h->mac, sn->gw_mac, h->ip4, c->remote, c->eph_port, 443,
                               h->ip_id++, host_ttl(h), 1};
        else
            f = (struct flow4){sn->gw_mac, h->mac, c->remote, h->ip4, 443, c->eph_port,
                               (uint16_t)rng_next(r), (uint8_t)(40 + (c->remote & 15)), 1};
        frame_udp4(w, &f, pay, n);
    }
    frame_pad(w);
}

/* ---- main ------------------------------------------------------------------------------ */

static const char usage[] =
    "usage: bench_mkcapture --packets N --hosts H --seed S --out FILE.pcap [--rate-pps R]\n"
    "\n"
    "Writes a seeded, realistic capture of one subnet for the benchmarks: unicast\n"
    "TCP/UDP between H hosts and their gateway, with ARP, DHCP, NBNS, NetBIOS\n"
    "datagrams, SSDP and mDNS (IPv4 and IPv6) broadcasts at office proportions.\n"
    "The same arguments always give the same bytes.\n"
    "\n"
    "  --packets N    frames to write (default 1000000)\n"
    "  --hosts H      hosts in the subnet, 1..65000 (default 1000)\n"
    "  --seed S       seed of every random choice (default 1)\n"
    "  --out FILE     pcap to write (written to FILE.tmp, then renamed)\n"
    "  --rate-pps R   mean frames per second of the timestamps (default 20000)\n"
    "  -q, --quiet    no summary on stderr\n"
    "  -h, --help     this help\n";

static int parse_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (*s == '\0' || *end != '\0' || s[0] == '-' || errno != 0 || v < min || v > max)
        return -1;
    *out = v;
    return 0;
}

static enum traffic_kind traffic_pick(struct rng *r)
{
    uint32_t roll = rng_below(r, 10000);
    for (int k = T_ARP; k < T_COUNT; k++) {
        if (roll < bcast_per_10k[k])
            return (enum traffic_kind)k;
        roll -= bcast_per_10k[k];
    }
    return rng_below(r, 100) < 85 ? T_TCP : T_UDP;
}

int main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"packets", required_argument, NULL, 'n'},
        {"hosts", required_argument, NULL, 'H'},
        {"seed", required_argument, NULL, 's'},
        {"out", required_argument, NULL, 'o'},
        {"rate-pps", required_argument, NULL, 'r'},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    uint64_t packets = 1000000, hosts = 1000, seed = 1, rate_pps = RATE_PPS_DEFAULT;
    const char *out_path = NULL;
    int quiet = 0, c;

    while ((c = getopt_long(argc, argv, "qh", opts, NULL)) != -1) {
        int bad = 0;
        switch (c) {
        case 'n': bad = parse_u64(optarg, 1, PACKETS_MAX, &packets); break;
        case 'H': bad = parse_u64(optarg, 1, HOSTS_MAX, &hosts); break;
        case 's': bad = parse_u64(optarg, 0, UINT64_MAX, &seed); break;
        case 'r': bad = parse_u64(optarg, 1, 100000000, &rate_pps); break;
        case 'o': out_path = optarg; break;
        case 'q': quiet = 1; break;
        case 'h': fputs(usage, stdout); return EXIT_OK;
        default: fputs(usage, stderr); return EXIT_USAGE;
        }
        if (bad) {
            fprintf(stderr, "bench_mkcapture: bad value '%s' for --%s\n%s", optarg,
                    c == 'n' ? "packets (1..1000000000)" : c == 'H' ? "hosts (1..65000)"
                    : c == 's' ? "seed" : "rate-pps (1..100000000)", usage);
            return EXIT_USAGE;
        }
    }
    if (optind != argc || out_path == NULL) {
        fprintf(stderr, "bench_mkcapture: %s\n%s",
                out_path == NULL ? "--out FILE is required" : "unexpected argument", usage);
        return EXIT_USAGE;
    }
    char tmp_path[OUT_PATH_BYTES_MAX];
    int tn = snprintf(tmp_path, sizeof tmp_path, "%s.tmp", out_path);
    if (tn < 0 || (size_t)tn >= sizeof tmp_path) {
        fprintf(stderr, "bench_mkcapture: %s: path longer than %u bytes\n", out_path,
                OUT_PATH_BYTES_MAX - 5);
        return EXIT_USAGE;
    }

    struct subnet *sn = malloc(sizeof *sn);
    if (sn == NULL || subnet_init(sn, seed, (uint32_t)hosts) != 0) {
        fprintf(stderr, "bench_mkcapture: out of memory for %" PRIu64 " hosts\n", hosts);
        if (sn != NULL)
            subnet_free(sn);
        free(sn);
        return EXIT_FAIL;
    }

    FILE *fp = fopen(tmp_path, "wb");
    if (fp == NULL) {
        fprintf(stderr, "bench_mkcapture: %s: %s\n", tmp_path, strerror(errno));
        subnet_free(sn);
        free(sn);
        return EXIT_FAIL;
    }
    static char iobuf[WRITE_BUFFER_BYTES];
    setvbuf(fp, iobuf, _IOFBF, sizeof iobuf);
    pcap_t *dead = pcap_open_dead(DLT_EN10MB, (int)SNAPLEN_BYTES);
    pcap_dumper_t *dumper = dead != NULL ? pcap_dump_fopen(dead, fp) : NULL;
    if (dumper == NULL) {
        fprintf(stderr, "bench_mkcapture: %s: cannot start the pcap: %s\n", tmp_path,
                dead != NULL ? pcap_geterr(dead) : "pcap_open_dead failed");
        fclose(fp);
        remove(tmp_path);
        if (dead != NULL)
            pcap_close(dead);
        subnet_free(sn);
        free(sn);
        return EXIT_FAIL;
    }

    struct rng r;
    rng_seed(&r, seed, 0);
    static uint8_t frame[FRAME_BYTES_MAX];
    struct wbuf w = {frame, 0, sizeof frame};
    uint64_t ts_us = (uint64_t)START_TS_S * 1000000u, bytes = 0;
    uint64_t counts[T_COUNT] = {0};
    /* gaps uniform in [0, 2 / rate]: the mean rate is --rate-pps */
    uint32_t gap_max_us = (uint32_t)(2000000u / rate_pps);

    for (uint64_t i = 0; i < packets; i++) {
        enum traffic_kind k = traffic_pick(&r);
        w.len = 0;
        int rc = 0;
        switch (k) {
        case T_TCP: build_tcp(&w, sn, &r); break;
        case T_UDP: build_udp(&w, sn, &r); break;
        case T_ARP: build_arp(&w, sn, &r); break;
        case T_DHCP: build_dhcp(&w, sn, &r); break;
        case T_NBNS: rc = build_nbns(&w, sn, &r); break;
        case T_NBDGM: rc = build_nbdgm(&w, sn, &r); break;
        case T_SSDP: rc = build_ssdp(&w, sn, &r); break;
        case T_MDNS4: rc = build_mdns(&w, sn, &r, 0); break;
        case T_MDNS6: rc = build_mdns(&w, sn, &r, 1); break;
        default: break;
        }
        if (rc != 0) {                      /* no host of that kind: ARP instead */
            w.len = 0;
            k = T_ARP;
            build_arp(&w, sn, &r);
        }
        ts_us += rng_below(&r, gap_max_us + 1);
        struct pcap_pkthdr hdr;
        hdr.ts.tv_sec = (time_t)(ts_us / 1000000u);
        hdr.ts.tv_usec = (suseconds_t)(ts_us % 1000000u);
        hdr.caplen = (bpf_u_int32)w.len;
        hdr.len = (bpf_u_int32)w.len;
        pcap_dump((u_char *)dumper, &hdr, frame);
        counts[k]++;
        bytes += w.len;
    }

    int failed = pcap_dump_flush(dumper) != 0 || ferror(fp);
    pcap_dump_close(dumper);                /* closes fp */
    pcap_close(dead);
    subnet_free(sn);
    free(sn);
    if (failed) {
        fprintf(stderr, "bench_mkcapture: %s: write failed: %s\n", tmp_path, strerror(errno));
        remove(tmp_path);
        return EXIT_FAIL;
    }
    if (rename(tmp_path, out_path) != 0) {
        fprintf(stderr, "bench_mkcapture: rename %s to %s: %s\n", tmp_path, out_path,
                strerror(errno));
        remove(tmp_path);
        return EXIT_FAIL;
    }
    if (!quiet) {
        fprintf(stderr, "bench_mkcapture: %s: %" PRIu64 " packets, %" PRIu64 " bytes, %" PRIu64
                        " hosts, seed %" PRIu64 ":",
                out_path, packets, bytes, hosts, seed);
        for (int k = 0; k < T_COUNT; k++)
            fprintf(stderr, " %s %" PRIu64, traffic_name[k], counts[k]);
        fputc('\n', stderr);
    }
    return EXIT_OK;
}
