/* test_dns.c - the DNS message decoder: every sample decoded field by field,
 * cut at every offset, and malformed names, counts and rdata rejected with the
 * exact code (caps/dns.h lists which). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <check.h>

#include "caps/dns.h"
#include "caps/error.h"
#include "sample.h"
#include "testutil.h"

extern const struct caps_sample_set caps_samples_dns;

/* 36 KB: static rather than on Check's stack; CK_FORK=no runs tests in turn. */
static struct caps_dns dns;

static int parse_any(const uint8_t *buf, size_t len, void *out)
{
    return caps_dns_parse(buf, len, out);
}

/* Parses a copy in a heap block of exactly len bytes, so ASan sees over-reads. */
static int parse_exact(const uint8_t *buf, size_t len, struct caps_dns *out)
{
    uint8_t *copy = malloc(len ? len : 1);
    int rc;

    ck_assert_ptr_nonnull(copy);
    if (len > 0)
        memcpy(copy, buf, len);
    rc = caps_dns_parse(copy, len, out);
    free(copy);
    return rc;
}

/* ------------------------------------------------------------------ rendering
 * Each decoded question and record is printed to one line in a fixed format
 * and compared with the expected line, so every field is asserted. */

struct sbuf {
    char s[2048];
    size_t n;
};

static void sb_put(struct sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void sb_put(struct sbuf *b, const char *fmt, ...)
{
    va_list ap;
    int k;

    va_start(ap, fmt);
    k = vsnprintf(b->s + b->n, sizeof b->s - b->n, fmt, ap);
    va_end(ap);
    ck_assert_int_ge(k, 0);
    ck_assert_uint_lt((size_t)k, sizeof b->s - b->n);
    b->n += (size_t)k;
}

static void render_header(const struct caps_dns *d, struct sbuf *b)
{
    sb_put(b, "id=0x%04x flags=0x%04x qr=%u opcode=%u aa=%u tc=%u rd=%u ra=%u rcode=%u "
              "qd=%u an=%u ns=%u ar=%u",
           d->id, d->flags, d->qr, d->opcode, d->aa, d->tc, d->rd, d->ra, d->rcode, d->qdcount,
           d->ancount, d->nscount, d->arcount);
}

static void render_question(const struct caps_dns_question *q, struct sbuf *b)
{
    sb_put(b, "%s type=%u class=%u %s", q->name, q->type, q->qclass,
           q->unicast_response ? "QU" : "QM");
}

static void render_bytes(const uint8_t *p, size_t n, struct sbuf *b)
{
    for (size_t i = 0; i < n; i++) {
        if (p[i] >= 0x20 && p[i] <= 0x7e)
            sb_put(b, "%c", p[i]);
        else
            sb_put(b, "\\x%02x", p[i]);
    }
}

static void render_rr(const struct caps_dns_rr *rr, struct sbuf *b)
{
    static const char *const sec[] = {"??", "AN", "NS", "AR"};
    struct caps_dns_txt_iter it;
    struct caps_dns_txt_item item;

    ck_assert_uint_ge(rr->section, 1);
    ck_assert_uint_le(rr->section, 3);
    sb_put(b, "%s %s type=%u class=%u%s ttl=%u rdlen=%u", sec[rr->section], rr->name, rr->type,
           rr->rrclass, rr->cache_flush ? " flush" : "", (unsigned)rr->ttl_s, rr->rdlength);
    switch (rr->type) {
    case CAPS_DNS_TYPE_A:
        sb_put(b, " a=%u.%u.%u.%u", rr->rd.a[0], rr->rd.a[1], rr->rd.a[2], rr->rd.a[3]);
        break;
    case CAPS_DNS_TYPE_AAAA:
        sb_put(b, " aaaa=");
        for (int i = 0; i < 16; i += 2)
            sb_put(b, "%s%02x%02x", i ? ":" : "", rr->rd.aaaa[i], rr->rd.aaaa[i + 1]);
        break;
    case CAPS_DNS_TYPE_PTR:
    case CAPS_DNS_TYPE_CNAME:
    case CAPS_DNS_TYPE_NS:
        sb_put(b, " ptr=%s", rr->rd.ptr);
        break;
    case CAPS_DNS_TYPE_SRV:
        sb_put(b, " srv=%u,%u,%u,%s", rr->rd.srv.priority, rr->rd.srv.weight, rr->rd.srv.port,
               rr->rd.srv.target);
        break;
    case CAPS_DNS_TYPE_TXT:
        sb_put(b, " txt=");
        caps_dns_txt_iter_init(&it, rr);
        while (caps_dns_txt_next(&it, &item)) {
            sb_put(b, "[");
            render_bytes(item.str, item.len, b);
            sb_put(b, "]");
        }
        if (rr->rd.txt.truncated)
            sb_put(b, " (truncated)");
        break;
    case CAPS_DNS_TYPE_HINFO:
        sb_put(b, " hinfo=[%s][%s]", rr->rd.hinfo.cpu, rr->rd.hinfo.os);
        break;
    case CAPS_DNS_TYPE_NSEC:
        sb_put(b, " nsec=%s types=", rr->rd.nsec.next);
        for (unsigned i = 0; i < rr->rd.nsec.type_count; i++)
            sb_put(b, "%s%u", i ? "," : "", rr->rd.nsec.types[i]);
        if (rr->rd.nsec.types_dropped)
            sb_put(b, " dropped=%u", rr->rd.nsec.types_dropped);
        break;
    default:
        break;
    }
}

/* ------------------------------------------------------------------ expected
 * One entry per sample: the header line, each question, each record in order.
 * Names are escaped as caps/dns.h describes; UTF-8 bytes are written in octal. */

struct expect {
    const char *sample;
    const char *header;
    const char *const *questions;  /* NULL-terminated */
    const char *const *records;    /* NULL-terminated */
};

static const char *const macos_announce_q[] = {
    NULL,
};
static const char *const macos_announce_rr[] = {
    "AN Alice\342\200\231s MacBook Pro._device-info._tcp.local type=16 class=1 "
    "ttl=4500 rdlen=32 txt=[model=MacBookPro18,3][osxvers=21]",
    "AN _companion-link._tcp.local type=12 class=1 ttl=4500 rdlen=24 ptr=Alice\342\200\231s "
    "MacBook Pro._companion-link._tcp.local",
    "AN 23.1.168.192.in-addr.arpa type=12 class=1 flush ttl=120 rdlen=21 ptr=Alices-MacBook-P"
    "ro.local",
    "AR Alice\342\200\231s MacBook Pro._companion-link._tcp.local type=16 class=1 "
    "flush ttl=4500 rdlen=127 txt=[rpMac=1][rpHN=5c3b0dde2a1f][rpFl=0x20000][rpHA=9a1c4e7f2b3"
    "0][rpVr=320.2][rpAD=4e2f9c1a7b3d][rpHI=0b7d3e5f1c2a][rpBA=3E:91:7A:C4:05:D2]",
    "AR Alice\342\200\231s MacBook Pro._companion-link._tcp.local type=33 class=1 "
    "flush ttl=120 rdlen=8 srv=0,0,49153,Alices-MacBook-Pro.local",
    "AR Alices-MacBook-Pro.local type=28 class=1 flush ttl=120 rdlen=16 aaaa=fe80:0000:0000:0"
    "000:1c2b:3a4d:5e6f:7081",
    "AR Alices-MacBook-Pro.local type=1 class=1 flush ttl=120 rdlen=4 a=192.168.1.23",
    "AR Alice\342\200\231s MacBook Pro._companion-link._tcp.local type=47 class=1 "
    "flush ttl=4500 rdlen=9 nsec=Alice\342\200\231s MacBook Pro._companion-link._tcp.local "
    "types=16,33",
    "AR Alices-MacBook-Pro.local type=47 class=1 flush ttl=120 rdlen=8 nsec=Alices-MacBook-Pr"
    "o.local types=1,28",
    "AR 23.1.168.192.in-addr.arpa type=47 class=1 flush ttl=120 rdlen=6 nsec=23.1.168.192.in-"
    "addr.arpa types=12",
    NULL,
};
static const char *const iphone_probe_q[] = {
    "Alice\342\200\231s iPhone._companion-link._tcp.local type=255 class=1 QU",
    "Alice\342\200\231s iPhone._rdlink._tcp.local type=255 class=1 QU",
    "Alices-iPhone.local type=255 class=1 QU",
    NULL,
};
static const char *const iphone_probe_rr[] = {
    "NS Alice\342\200\231s iPhone._companion-link._tcp.local type=33 class=1 ttl=120 "
    "rdlen=8 srv=0,0,49152,Alices-iPhone.local",
    "NS Alice\342\200\231s iPhone._rdlink._tcp.local type=33 class=1 ttl=120 rdlen=8 "
    "srv=0,0,49153,Alices-iPhone.local",
    "NS Alices-iPhone.local type=28 class=1 ttl=120 rdlen=16 aaaa=fe80:0000:0000:0000:0c4f:1a"
    "e2:b3d4:9a61",
    "NS Alices-iPhone.local type=1 class=1 ttl=120 rdlen=4 a=192.168.1.42",
    "AR . type=41 class=1440 ttl=4500 rdlen=18",
    NULL,
};
static const char *const appletv_airplay_q[] = {
    NULL,
};
static const char *const appletv_airplay_rr[] = {
    "AN _airplay._tcp.local type=12 class=1 ttl=4500 rdlen=14 ptr=Living Room._airplay._tcp.l"
    "ocal",
    "AN Living Room._airplay._tcp.local type=33 class=1 flush ttl=120 rdlen=20 "
    "srv=0,0,7000,Living-Room.local",
    "AN Living Room._airplay._tcp.local type=16 class=1 flush ttl=4500 rdlen=367 "
    "txt=[acl=0][deviceid=A8:51:AB:1C:2D:3E][fex=1d9/St5/FbwooQ][features=0x4A7FDFD5,"
    "0xBC177FDE][flags=0x18644][gid=5E4A1C2B-7D3F-4E6A-9B8C-0D1E2F3A4B5C][igl=1]"
    "[gcgl=1][model=AppleTV11,1][protovers=1.1][pi=2e388006-13ba-4041-9a67-25dd4a43d536]"
    "[psi=7D0F3B1C-2A4E-4F6B-8C9D-0E1F2A3B4C5D][pk=b07727d6f6cd6e08b58ede525ec3cdeaa252ad9f68"
    "3feb212ef8a205246554e7][srcvers=610.20.41][osvers=15.4][vv=2]",
    "AR Living-Room.local type=1 class=1 flush ttl=120 rdlen=4 a=192.168.1.50",
    "AR Living-Room.local type=28 class=1 flush ttl=120 rdlen=16 aaaa=fe80:0000:0000:0000:104"
    "a:2bff:fe3c:4d5e",
    "AR Living Room._airplay._tcp.local type=47 class=1 flush ttl=4500 rdlen=9 "
    "nsec=Living Room._airplay._tcp.local types=16,33",
    "AR Living-Room.local type=47 class=1 flush ttl=120 rdlen=8 nsec=Living-Room.local "
    "types=1,28",
    NULL,
};
static const char *const chromecast_announce_q[] = {
    NULL,
};
static const char *const chromecast_announce_rr[] = {
    "AN _googlecast._tcp.local type=12 class=1 ttl=120 rdlen=46 ptr=Chromecast-9b2c4a1e7d3f5a"
    "6b8c0d1e2f3a4b5c6d._googlecast._tcp.local",
    "AR Chromecast-9b2c4a1e7d3f5a6b8c0d1e2f3a4b5c6d._googlecast._tcp.local type=16 "
    "class=1 flush ttl=4500 rdlen=170 txt=[id=9b2c4a1e7d3f5a6b8c0d1e2f3a4b5c6d]"
    "[cd=3F1B5E2A9C0D7E4F6A8B1C2D3E4F5A6B][rm=][ve=05][md=Chromecast][ic=/setup/icon.png]"
    "[fn=Living Room][ca=201221][st=0][bs=FA8FCA3B2C1D][nf=1][rs=]",
    "AR Chromecast-9b2c4a1e7d3f5a6b8c0d1e2f3a4b5c6d._googlecast._tcp.local type=33 "
    "class=1 flush ttl=120 rdlen=45 srv=0,0,8009,9b2c4a1e-7d3f-5a6b-8c0d-1e2f3a4b5c6d.local",
    "AR 9b2c4a1e-7d3f-5a6b-8c0d-1e2f3a4b5c6d.local type=1 class=1 flush ttl=120 "
    "rdlen=4 a=192.168.1.77",
    NULL,
};
static const char *const hp_printer_announce_q[] = {
    NULL,
};
static const char *const hp_printer_announce_rr[] = {
    "AN _ipp._tcp.local type=12 class=1 ttl=4500 rdlen=37 ptr=HP LaserJet Pro "
    "M404-M405 [3A4B5C]._ipp._tcp.local",
    "AN _pdl-datastream._tcp.local type=12 class=1 ttl=4500 rdlen=37 ptr=HP LaserJet "
    "Pro M404-M405 [3A4B5C]._pdl-datastream._tcp.local",
    "AR HP LaserJet Pro M404-M405 [3A4B5C]._ipp._tcp.local type=33 class=1 flush "
    "ttl=120 rdlen=18 srv=0,0,631,NPI3A4B5C.local",
    "AR HP LaserJet Pro M404-M405 [3A4B5C]._ipp._tcp.local type=16 class=1 flush "
    "ttl=4500 rdlen=364 txt=[txtvers=1][qtotal=1][rp=ipp/print][ty=HP LaserJet "
    "Pro M404-M405][product=(HP LaserJet Pro M404-M405)][pdl=application/octet-stream,"
    "application/pdf,image/urf][note=][adminurl=http://NPI3A4B5C.local.][priority=10]"
    "[usb_MFG=HP][usb_MDL=LaserJet Pro M404-M405][Color=F][Duplex=T][TLS=1.2][UUID=564e4333-4"
    "d30-3839-3150-3c4b5c3a4b5c][URF=CP1,IS1-4,MT1-3-5-12,OB10,PQ4,RS600,V1.4,"
    "W8,DM1]",
    "AR HP LaserJet Pro M404-M405 [3A4B5C]._pdl-datastream._tcp.local type=33 "
    "class=1 flush ttl=120 rdlen=8 srv=0,0,9100,NPI3A4B5C.local",
    "AR HP LaserJet Pro M404-M405 [3A4B5C]._pdl-datastream._tcp.local type=16 "
    "class=1 flush ttl=4500 rdlen=90 txt=[txtvers=1][qtotal=1][ty=HP LaserJet "
    "Pro M404-M405][product=(HP LaserJet Pro M404-M405)][note=]",
    "AR NPI3A4B5C.local type=1 class=1 flush ttl=120 rdlen=4 a=192.168.1.31",
    NULL,
};
static const char *const avahi_linux_hinfo_q[] = {
    NULL,
};
static const char *const avahi_linux_hinfo_rr[] = {
    "AN ubuntu-nas.local type=13 class=1 flush ttl=120 rdlen=13 hinfo=[X86_64]"
    "[LINUX]",
    "AN ubuntu-nas.local type=28 class=1 flush ttl=120 rdlen=16 aaaa=fe80:0000:0000:0000:5054"
    ":00ff:fe12:3456",
    "AN 57.1.168.192.in-addr.arpa type=12 class=1 flush ttl=120 rdlen=2 ptr=ubuntu-nas.local",
    "AN ubuntu-nas.local type=1 class=1 flush ttl=120 rdlen=4 a=192.168.1.57",
    NULL,
};
static const char *const browse_query_multi_q[] = {
    "_services._dns-sd._udp.local type=12 class=1 QM",
    "_airplay._tcp.local type=12 class=1 QM",
    "_raop._tcp.local type=12 class=1 QM",
    "_googlecast._tcp.local type=12 class=1 QM",
    NULL,
};
static const char *const browse_query_multi_rr[] = {
    "AN _airplay._tcp.local type=12 class=1 ttl=4480 rdlen=14 ptr=Living Room._airplay._tcp.l"
    "ocal",
    NULL,
};
static const char *const appletv_goodbye_q[] = {
    NULL,
};
static const char *const appletv_goodbye_rr[] = {
    "AN _airplay._tcp.local type=12 class=1 ttl=0 rdlen=14 ptr=Living Room._airplay._tcp.loca"
    "l",
    "AN _raop._tcp.local type=12 class=1 ttl=0 rdlen=27 ptr=A851AB1C2D3E@Living "
    "Room._raop._tcp.local",
    "AN _companion-link._tcp.local type=12 class=1 ttl=0 rdlen=14 ptr=Living Room._companion-"
    "link._tcp.local",
    NULL,
};
static const char *const windows10_query_q[] = {
    "DESKTOP-7K2LQ9M.local type=1 class=1 QM",
    NULL,
};
static const char *const windows10_query_rr[] = {
    NULL,
};
static const char *const llmnr_query_q[] = {
    "wpad type=1 class=1 QM",
    NULL,
};
static const char *const llmnr_query_rr[] = {
    NULL,
};
static const char *const llmnr_response_q[] = {
    "wpad type=1 class=1 QM",
    NULL,
};
static const char *const llmnr_response_rr[] = {
    "AN wpad type=1 class=1 ttl=30 rdlen=4 a=192.168.1.66",
    NULL,
};
static const char *const iphone_announce_q[] = {
    NULL,
};
static const char *const iphone_announce_rr[] = {
    "AN iPhone von Lena._rdlink._tcp.local type=16 class=1 flush ttl=4500 rdlen=53 txt=[rpBA="
    "2C:E3:9B:71:A4:06][rpVr=450.12][rpAD=3f8c0e59a1d4]",
    "AN _services._dns-sd._udp.local type=12 class=1 ttl=4500 rdlen=2 ptr=_rdlink._tcp.local",
    "AN _rdlink._tcp.local type=12 class=1 ttl=4500 rdlen=2 ptr=iPhone von Lena._rdlink._tcp."
    "local",
    "AN iPhone von Lena._device-info._tcp.local type=16 class=1 ttl=4500 rdlen=12 txt=[model="
    "D73AP]",
    "AN iPhone von Lena._rdlink._tcp.local type=33 class=1 flush ttl=120 rdlen=24 srv=0,0,491"
    "58,iPhone-von-Lena.local",
    "AN 5.1.3.B.E.0.A.6.9.D.7.2.4.C.8.1.0.0.0.0.0.0.0.0.0.0.0.0.0.8.E.F.ip6.arpa type=12 clas"
    "s=1 flush ttl=120 rdlen=2 ptr=iPhone-von-Lena.local",
    "AN 47.2.168.192.in-addr.arpa type=12 class=1 flush ttl=120 rdlen=2 ptr=iPhone-von-Lena.l"
    "ocal",
    "AN 7.F.6.0.A.4.B.9.1.2.E.5.3.D.8.C.0.0.F.7.C.1.A.4.8.E.9.0.1.0.0.2.ip6.arpa type=12 clas"
    "s=1 flush ttl=120 rdlen=2 ptr=iPhone-von-Lena.local",
    "AN iPhone-von-Lena.local type=28 class=1 flush ttl=120 rdlen=16 aaaa=fe80:0000:0000:0000"
    ":18c4:27d9:6a0e:b315",
    "AN iPhone-von-Lena.local type=1 class=1 flush ttl=120 rdlen=4 a=192.168.2.47",
    "AN iPhone-von-Lena.local type=28 class=1 flush ttl=120 rdlen=16 aaaa=2001:09e8:4a1c:7f00"
    ":c8d3:5e21:9b4a:06f7",
    "AR iPhone von Lena._rdlink._tcp.local type=47 class=1 flush ttl=4500 rdlen=9 nsec=iPhone"
    " von Lena._rdlink._tcp.local types=16,33",
    "AR 5.1.3.B.E.0.A.6.9.D.7.2.4.C.8.1.0.0.0.0.0.0.0.0.0.0.0.0.0.8.E.F.ip6.arpa type=47 clas"
    "s=1 flush ttl=120 rdlen=6 nsec=5.1.3.B.E.0.A.6.9.D.7.2.4.C.8.1.0.0.0.0.0.0.0.0.0.0.0.0.0"
    ".8.E.F.ip6.arpa types=12",
    "AR 47.2.168.192.in-addr.arpa type=47 class=1 flush ttl=120 rdlen=6 nsec=47.2.168.192.in-"
    "addr.arpa types=12",
    "AR 7.F.6.0.A.4.B.9.1.2.E.5.3.D.8.C.0.0.F.7.C.1.A.4.8.E.9.0.1.0.0.2.ip6.arpa type=47 clas"
    "s=1 flush ttl=120 rdlen=6 nsec=7.F.6.0.A.4.B.9.1.2.E.5.3.D.8.C.0.0.F.7.C.1.A.4.8.E.9.0.1"
    ".0.0.2.ip6.arpa types=12",
    "AR iPhone-von-Lena.local type=47 class=1 flush ttl=120 rdlen=8 nsec=iPhone-von-Lena.loca"
    "l types=1,28",
    "AR . type=41 class=1440 ttl=4500 rdlen=18",
    NULL,
};
static const char *const appletv_probe_q[] = {
    "Schlaf\302\255zimmer TV._companion-link._tcp.local type=255 class=1 QM",
    "Schlaf\302\255zimmer TV._airplay._tcp.local type=255 class=1 QM",
    "9C3E53A07B12@Schlaf\302\255zimmer TV._raop._tcp.local type=255 class=1 QM",
    "70-35-60-62\\.1 Schlaf\302\255zimmer TV._sleep-proxy._udp.local type=255 class=1 QM",
    "Schlafzimmer-TV.local type=255 class=1 QU",
    NULL,
};
static const char *const appletv_probe_rr[] = {
    "NS Schlaf\302\255zimmer TV._companion-link._tcp.local type=33 class=1 ttl=120 rdlen=8 sr"
    "v=0,0,49153,Schlafzimmer-TV.local",
    "NS Schlaf\302\255zimmer TV._airplay._tcp.local type=33 class=1 ttl=120 rdlen=8 srv=0,0,7"
    "000,Schlafzimmer-TV.local",
    "NS 9C3E53A07B12@Schlaf\302\255zimmer TV._raop._tcp.local type=33 class=1 ttl=120 rdlen=8"
    " srv=0,0,7000,Schlafzimmer-TV.local",
    "NS 70-35-60-62\\.1 Schlaf\302\255zimmer TV._sleep-proxy._udp.local type=33 class=1 ttl=1"
    "20 rdlen=8 srv=0,0,61222,Schlafzimmer-TV.local",
    "NS Schlafzimmer-TV.local type=28 class=1 ttl=120 rdlen=16 aaaa=fe80:0000:0000:0000:10d5:"
    "3b7e:84a2:19c0",
    "NS Schlafzimmer-TV.local type=28 class=1 ttl=120 rdlen=16 aaaa=2001:09e8:4a1c:7f00:1459:"
    "a2e6:3c0d:8b71",
    "NS Schlafzimmer-TV.local type=1 class=1 ttl=120 rdlen=4 a=192.168.2.60",
    "AR . type=41 class=1440 ttl=4500 rdlen=18",
    NULL,
};
static const char *const sonos_announce_q[] = {
    NULL,
};
static const char *const sonos_announce_rr[] = {
    "AN _sonos._tcp.local type=12 class=1 ttl=4500 rdlen=39 ptr=Sonos-5CAAFD3E91B7@Kitchen (E"
    "ra 100)._sonos._tcp.local",
    "AR Sonos-5CAAFD3E91B7@Kitchen (Era 100)._sonos._tcp.local type=16 class=1 flush ttl=4500"
    " rdlen=380 txt=[info=/api/v1/players/RINCON_5CAAFD3E91B701400/info][vers=5][protovers=1."
    "36.1-beta.12-14-g7e1a9c02+a1f03c77b2.76.1-40112][minApiVersion=1.1.0][bootseq=517][hhid="
    "Sonos_Tq3nVbR8ZkWd2LmPx7YhCsAe9u][mhhid=Sonos_Tq3nVbR8ZkWd2LmPx7YhCsAe9u.Hf4JgQz0LpWn6sK"
    "cXvRa][location=http://172.16.1.73:1400/xml/device_description.xml][sslport=1443][hhsslp"
    "ort=1843][variant=2][mdnssequence=0][wss=/websocket/api]",
    "AR Sonos-5CAAFD3E91B7.local type=1 class=1 flush ttl=120 rdlen=4 a=172.16.1.73",
    "AR Sonos-5CAAFD3E91B7.local type=28 class=1 flush ttl=120 rdlen=16 aaaa=fe80:0000:0000:0"
    "000:5eaa:fdff:fe3e:91b7",
    "AR Sonos-5CAAFD3E91B7@Kitchen (Era 100)._sonos._tcp.local type=33 class=1 flush ttl=120 "
    "rdlen=8 srv=0,0,1443,Sonos-5CAAFD3E91B7.local",
    "AR Sonos-5CAAFD3E91B7@Kitchen (Era 100)._sonos._tcp.local type=47 class=1 flush ttl=4500"
    " rdlen=9 nsec=Sonos-5CAAFD3E91B7@Kitchen (Era 100)._sonos._tcp.local types=16,33",
    "AR Sonos-5CAAFD3E91B7.local type=47 class=1 flush ttl=120 rdlen=8 nsec=Sonos-5CAAFD3E91B"
    "7.local types=1,28",
    NULL,
};
static const char *const chromecast_androidtv_q[] = {
    NULL,
};
static const char *const chromecast_androidtv_rr[] = {
    "AN _googlecast._tcp.local type=12 class=1 ttl=120 rdlen=42 ptr=MIBOX4-3e7b90c4d21f58a6e0"
    "9b7c3d5f1a8e24._googlecast._tcp.local",
    "AR MIBOX4-3e7b90c4d21f58a6e09b7c3d5f1a8e24._googlecast._tcp.local type=16 class=1 flush "
    "ttl=4500 rdlen=169 txt=[id=3e7b90c4d21f58a6e09b7c3d5f1a8e24][cd=2B91D07E6C4AF3158E0B7D29"
    "A6C4E1F3][rm=][ve=05][md=MIBOX4][ic=/setup/icon.png][fn=Living Room TV][ca=461317][st=0]"
    "[bs=E4C0F1B92A50][nf=1][rs=]",
    "AR MIBOX4-3e7b90c4d21f58a6e09b7c3d5f1a8e24._googlecast._tcp.local type=33 class=1 flush "
    "ttl=120 rdlen=45 srv=0,0,8009,3e7b90c4-d21f-58a6-e09b-7c3d5f1a8e24.local",
    "AR 3e7b90c4-d21f-58a6-e09b-7c3d5f1a8e24.local type=1 class=1 flush ttl=120 rdlen=4 a=192"
    ".168.10.57",
    NULL,
};
static const char *const macos_device_info_utf8_q[] = {
    NULL,
};
static const char *const macos_device_info_utf8_rr[] = {
    "AN \347\216\213\346\231\223\346\230\216\347\232\204MacBook Pro._device-info._tcp.local t"
    "ype=16 class=1 ttl=4500 rdlen=32 txt=[model=MacBookPro14,1][osxvers=18]",
    "AN _companion-link._tcp.local type=12 class=1 ttl=4500 rdlen=26 ptr=\347\216\213\346\231"
    "\223\346\230\216\347\232\204MacBook Pro._companion-link._tcp.local",
    "AR \347\216\213\346\231\223\346\230\216\347\232\204MacBook Pro._companion-link._tcp.loca"
    "l type=16 class=1 flush ttl=4500 rdlen=35 txt=[rpBA=A1:5E:07:D3:6C:92][rpVr=164.16]",
    "AR \347\216\213\346\231\223\346\230\216\347\232\204MacBook Pro._companion-link._tcp.loca"
    "l type=33 class=1 flush ttl=120 rdlen=34 srv=0,0,49377,wangxiaomingdeMacBook-Pro.local",
    "AR wangxiaomingdeMacBook-Pro.local type=28 class=1 flush ttl=120 rdlen=16 aaaa=fe80:0000"
    ":0000:0000:08d2:41ab:e70f:3c5a",
    "AR wangxiaomingdeMacBook-Pro.local type=1 class=1 flush ttl=120 rdlen=4 a=10.20.14.88",
    "AR \347\216\213\346\231\223\346\230\216\347\232\204MacBook Pro._companion-link._tcp.loca"
    "l type=47 class=1 flush ttl=4500 rdlen=9 nsec=\347\216\213\346\231\223\346\230\216\347"
    "\232\204MacBook Pro._companion-link._tcp.local types=16,33",
    "AR wangxiaomingdeMacBook-Pro.local type=47 class=1 flush ttl=120 rdlen=8 nsec=wangxiaomi"
    "ngdeMacBook-Pro.local types=1,28",
    NULL,
};
static const char *const companion_link_nsec_q[] = {
    NULL,
};
static const char *const companion_link_nsec_rr[] = {
    "AN Jonas \360\237\246\212._companion-link._tcp.local type=16 class=1 flush ttl=4500 rdle"
    "n=130 txt=[rpMac=0][rpHN=71c0b4e9f35a][rpFl=0x30000][rpHA=5e2a91d07bc3][rpVr=510.20.3][r"
    "pAD=c46f0e8a2d19][rpHI=2b87f6c1a04e][rpBA=6A:F2:1D:93:C8:0B]",
    "AR Jonas \360\237\246\212._companion-link._tcp.local type=47 class=1 flush ttl=4500 rdle"
    "n=9 nsec=Jonas \360\237\246\212._companion-link._tcp.local types=16,33",
    NULL,
};

static const struct expect expects[] = {
    {"macos_announce",
     "id=0x0000 flags=0x8400 qr=1 opcode=0 aa=1 tc=0 rd=0 ra=0 rcode=0 qd=0 an=3 "
     "ns=0 ar=7",
     macos_announce_q, macos_announce_rr},
    {"iphone_probe",
     "id=0x0000 flags=0x0000 qr=0 opcode=0 aa=0 tc=0 rd=0 ra=0 rcode=0 qd=3 an=0 "
     "ns=4 ar=1",
     iphone_probe_q, iphone_probe_rr},
    {"appletv_airplay",
     "id=0x0000 flags=0x8400 qr=1 opcode=0 aa=1 tc=0 rd=0 ra=0 rcode=0 qd=0 an=3 "
     "ns=0 ar=4",
     appletv_airplay_q, appletv_airplay_rr},
    {"chromecast_announce",
     "id=0x0000 flags=0x8400 qr=1 opcode=0 aa=1 tc=0 rd=0 ra=0 rcode=0 qd=0 an=1 "
     "ns=0 ar=3",
     chromecast_announce_q, chromecast_announce_rr},
    {"hp_printer_announce",
     "id=0x0000 flags=0x8400 qr=1 opcode=0 aa=1 tc=0 rd=0 ra=0 rcode=0 qd=0 an=2 "
     "ns=0 ar=5",
     hp_printer_announce_q, hp_printer_announce_rr},
    {"avahi_linux_hinfo",
     "id=0x0000 flags=0x8400 qr=1 opcode=0 aa=1 tc=0 rd=0 ra=0 rcode=0 qd=0 an=4 "
     "ns=0 ar=0",
     avahi_linux_hinfo_q, avahi_linux_hinfo_rr},
    {"browse_query_multi",
     "id=0x0000 flags=0x0000 qr=0 opcode=0 aa=0 tc=0 rd=0 ra=0 rcode=0 qd=4 an=1 "
     "ns=0 ar=0",
     browse_query_multi_q, browse_query_multi_rr},
    {"appletv_goodbye",
     "id=0x0000 flags=0x8400 qr=1 opcode=0 aa=1 tc=0 rd=0 ra=0 rcode=0 qd=0 an=3 "
     "ns=0 ar=0",
     appletv_goodbye_q, appletv_goodbye_rr},
    {"windows10_query",
     "id=0x0000 flags=0x0000 qr=0 opcode=0 aa=0 tc=0 rd=0 ra=0 rcode=0 qd=1 an=0 "
     "ns=0 ar=0",
     windows10_query_q, windows10_query_rr},
    {"llmnr_query",
     "id=0x8a3f flags=0x0000 qr=0 opcode=0 aa=0 tc=0 rd=0 ra=0 rcode=0 qd=1 an=0 "
     "ns=0 ar=0",
     llmnr_query_q, llmnr_query_rr},
    {"llmnr_response",
     "id=0x8a3f flags=0x8000 qr=1 opcode=0 aa=0 tc=0 rd=0 ra=0 rcode=0 qd=1 an=1 "
     "ns=0 ar=0",
     llmnr_response_q, llmnr_response_rr},
    {"iphone_announce",
     "id=0x0000 flags=0x8400 qr=1 opcode=0 aa=1 tc=0 rd=0 ra=0 rcode=0 qd=0 an=11 "
     "ns=0 ar=6",
     iphone_announce_q, iphone_announce_rr},
    {"appletv_probe",
     "id=0x0000 flags=0x0000 qr=0 opcode=0 aa=0 tc=0 rd=0 ra=0 rcode=0 qd=5 an=0 "
     "ns=7 ar=1",
     appletv_probe_q, appletv_probe_rr},
    {"sonos_announce",
     "id=0x0000 flags=0x8400 qr=1 opcode=0 aa=1 tc=0 rd=0 ra=0 rcode=0 qd=0 an=1 "
     "ns=0 ar=6",
     sonos_announce_q, sonos_announce_rr},
    {"chromecast_androidtv",
     "id=0x0000 flags=0x8400 qr=1 opcode=0 aa=1 tc=0 rd=0 ra=0 rcode=0 qd=0 an=1 "
     "ns=0 ar=3",
     chromecast_androidtv_q, chromecast_androidtv_rr},
    {"macos_device_info_utf8",
     "id=0x0000 flags=0x8400 qr=1 opcode=0 aa=1 tc=0 rd=0 ra=0 rcode=0 qd=0 an=2 "
     "ns=0 ar=6",
     macos_device_info_utf8_q, macos_device_info_utf8_rr},
    {"companion_link_nsec",
     "id=0x0000 flags=0x8400 qr=1 opcode=0 aa=1 tc=0 rd=0 ra=0 rcode=0 qd=0 an=1 "
     "ns=0 ar=1",
     companion_link_nsec_q, companion_link_nsec_rr},
};

static const size_t expects_count = sizeof expects / sizeof expects[0];

static size_t count_lines(const char *const *v)
{
    size_t n = 0;

    while (v[n] != NULL)
        n++;
    return n;
}

START_TEST(test_sample_fields)
{
    const struct expect *e = &expects[_i];
    const struct caps_sample *s = test_sample(&caps_samples_dns, e->sample);
    size_t nq = count_lines(e->questions), nr = count_lines(e->records);
    struct sbuf b = {{0}, 0};
    int rc = parse_exact(s->bytes, s->len, &dns);

    ck_assert_msg(rc == 0, "%s: parse returned %d (%s)", s->name, rc, caps_err_name(rc));
    render_header(&dns, &b);
    ck_assert_msg(strcmp(b.s, e->header) == 0, "%s: header\n  got  %s\n  want %s", s->name, b.s,
                  e->header);
    ck_assert_msg(dns.question_count == nq && dns.questions_dropped == 0,
                  "%s: %u questions (+%u dropped), want %zu", s->name, dns.question_count,
                  dns.questions_dropped, nq);
    ck_assert_msg(dns.record_count == nr && dns.records_dropped == 0,
                  "%s: %u records (+%u dropped), want %zu", s->name, dns.record_count,
                  (unsigned)dns.records_dropped, nr);
    ck_assert_msg(dns.names_truncated == 0 && dns.trailing_bytes == 0,
                  "%s: names_truncated %u trailing %zu", s->name, (unsigned)dns.names_truncated,
                  dns.trailing_bytes);
    for (size_t i = 0; i < nq; i++) {
        b.n = 0;
        b.s[0] = '\0';
        render_question(&dns.questions[i], &b);
        ck_assert_msg(strcmp(b.s, e->questions[i]) == 0, "%s: question %zu\n  got  %s\n  want %s",
                      s->name, i + 1, b.s, e->questions[i]);
    }
    for (size_t i = 0; i < nr; i++) {
        b.n = 0;
        b.s[0] = '\0';
        render_rr(&dns.records[i], &b);
        ck_assert_msg(strcmp(b.s, e->records[i]) == 0, "%s: record %zu\n  got  %s\n  want %s",
                      s->name, i + 1, b.s, e->records[i]);
    }
}
END_TEST

/* Every sample has an expectation, so a new sample cannot go unchecked. */
START_TEST(test_every_sample_expected)
{
    ck_assert_uint_ge(caps_samples_dns.count, 12);
    ck_assert_uint_eq(caps_samples_dns.count, expects_count);
    for (size_t i = 0; i < caps_samples_dns.count; i++) {
        size_t j = 0;

        while (j < expects_count && strcmp(expects[j].sample, caps_samples_dns.samples[i].name) != 0)
            j++;
        ck_assert_msg(j < expects_count, "sample %s has no expectation",
                      caps_samples_dns.samples[i].name);
    }
}
END_TEST

/* Only the whole message decodes; every shorter prefix is "truncated", never a
 * different code: header counts always promise more than a prefix holds. */
START_TEST(test_sample_cut)
{
    const struct caps_sample *s = &caps_samples_dns.samples[_i];
    size_t ok = test_cut_every_offset(s, parse_any, &dns, sizeof dns);

    ck_assert_msg(ok == 1, "%s: %zu prefixes decoded, want only the full length", s->name, ok);
    ck_assert_msg(parse_exact(s->bytes, s->len, &dns) == 0, "%s: full length fails", s->name);
    for (size_t cut = 0; cut < s->len; cut++) {
        int rc = parse_exact(s->bytes, cut, &dns);

        ck_assert_msg(rc == CAPS_E_TRUNCATED, "%s cut at %zu: got %d (%s), want truncated",
                      s->name, cut, rc, caps_err_name(rc));
        if (cut < CAPS_DNS_HEADER_BYTES)
            ck_assert_uint_eq((unsigned)dns.qdcount + dns.ancount + dns.nscount + dns.arcount, 0);
    }
}
END_TEST

/* ------------------------------------------------------------------ TXT lookups */

struct txt_case {
    const char *sample;
    const char *owner;  /* record name */
    const char *key;
    int want_rc;        /* value length, 0 boolean/empty, or a CAPS_E_ code */
    const char *want;   /* expected val text */
};

static const struct txt_case txt_cases[] = {
    {"macos_announce", "Alice\342\200\231s MacBook Pro._device-info._tcp.local", "model", 14,
     "MacBookPro18,3"},
    {"macos_announce", "Alice\342\200\231s MacBook Pro._device-info._tcp.local", "OSXVERS", 2, "21"},
    {"macos_announce", "Alice\342\200\231s MacBook Pro._device-info._tcp.local", "ecolor",
     CAPS_E_FIELD, ""},
    {"appletv_airplay", "Living Room._airplay._tcp.local", "model", 11, "AppleTV11,1"},
    {"appletv_airplay", "Living Room._airplay._tcp.local", "deviceid", 17, "A8:51:AB:1C:2D:3E"},
    {"appletv_airplay", "Living Room._airplay._tcp.local", "features", 21,
     "0x4A7FDFD5,0xBC177FDE"},
    {"appletv_airplay", "Living Room._airplay._tcp.local", "vv", 1, "2"},
    {"chromecast_announce",
     "Chromecast-9b2c4a1e7d3f5a6b8c0d1e2f3a4b5c6d._googlecast._tcp.local", "id", 32,
     "9b2c4a1e7d3f5a6b8c0d1e2f3a4b5c6d"},
    {"chromecast_announce",
     "Chromecast-9b2c4a1e7d3f5a6b8c0d1e2f3a4b5c6d._googlecast._tcp.local", "md", 10, "Chromecast"},
    {"chromecast_announce",
     "Chromecast-9b2c4a1e7d3f5a6b8c0d1e2f3a4b5c6d._googlecast._tcp.local", "fn", 11,
     "Living Room"},
    {"chromecast_announce",
     "Chromecast-9b2c4a1e7d3f5a6b8c0d1e2f3a4b5c6d._googlecast._tcp.local", "rs", 0, ""},
    {"hp_printer_announce", "HP LaserJet Pro M404-M405 [3A4B5C]._ipp._tcp.local", "ty", 25,
     "HP LaserJet Pro M404-M405"},
    {"hp_printer_announce", "HP LaserJet Pro M404-M405 [3A4B5C]._ipp._tcp.local", "product", 27,
     "(HP LaserJet Pro M404-M405)"},
    {"hp_printer_announce", "HP LaserJet Pro M404-M405 [3A4B5C]._ipp._tcp.local", "note", 0, ""},
    {"hp_printer_announce", "HP LaserJet Pro M404-M405 [3A4B5C]._ipp._tcp.local", "UUID", 36,
     "564e4333-4d30-3839-3150-3c4b5c3a4b5c"},
    {"hp_printer_announce", "HP LaserJet Pro M404-M405 [3A4B5C]._pdl-datastream._tcp.local",
     "Product", 27, "(HP LaserJet Pro M404-M405)"},
    {"sonos_announce", "Sonos-5CAAFD3E91B7@Kitchen (Era 100)._sonos._tcp.local", "sslport", 4,
     "1443"},
    {"sonos_announce", "Sonos-5CAAFD3E91B7@Kitchen (Era 100)._sonos._tcp.local", "info", 45,
     "/api/v1/players/RINCON_5CAAFD3E91B701400/info"},
    {"iphone_announce", "iPhone von Lena._device-info._tcp.local", "model", 5, "D73AP"},
    {"macos_device_info_utf8",
     "\347\216\213\346\231\223\346\230\216\347\232\204MacBook Pro._device-info._tcp.local",
     "model", 14, "MacBookPro14,1"},
    {"chromecast_androidtv",
     "MIBOX4-3e7b90c4d21f58a6e09b7c3d5f1a8e24._googlecast._tcp.local", "md", 6,
     "MIBOX4"},
};

static const struct caps_dns_rr *find_txt(const struct caps_dns *d, const char *owner)
{
    for (unsigned i = 0; i < d->record_count; i++)
        if (d->records[i].type == CAPS_DNS_TYPE_TXT && strcmp(d->records[i].name, owner) == 0)
            return &d->records[i];
    return NULL;
}

START_TEST(test_txt_lookup)
{
    const struct txt_case *tc = &txt_cases[_i];
    const struct caps_sample *s = test_sample(&caps_samples_dns, tc->sample);
    const struct caps_dns_rr *rr;
    char val[64];
    int rc;

    ck_assert_int_eq(parse_exact(s->bytes, s->len, &dns), 0);
    rr = find_txt(&dns, tc->owner);
    ck_assert_msg(rr != NULL, "%s: no TXT for %s", tc->sample, tc->owner);
    memset(val, 'X', sizeof val);
    rc = caps_dns_txt_get(rr, tc->key, val, sizeof val);
    ck_assert_msg(rc == tc->want_rc && strcmp(val, tc->want) == 0,
                  "%s %s: got %d \"%s\", want %d \"%s\"", tc->sample, tc->key, rc, val,
                  tc->want_rc, tc->want);
    /* Presence test without a buffer gives the same length. */
    ck_assert_int_eq(caps_dns_txt_get(rr, tc->key, NULL, 0), tc->want_rc);
}
END_TEST

/* A message with one TXT record whose strings exercise RFC 6763 6.4. */
static const uint8_t txt_rules[] = {
    0x00, 0x00, 0x84, 0x00, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00,
    0x01, 'h', 0x00,                                 /* @12 owner "h" */
    0x00, 0x10, 0x00, 0x01, 0x00, 0x00, 0x00, 0x78,  /* TXT IN ttl 120 */
    0x00, 0x45,                                      /* rdlength 69 */
    11, 'M', 'o', 'd', 'e', 'l', '=', 'F', 'i', 'r', 's', 't',
    12, 'm', 'o', 'd', 'e', 'l', '=', 's', 'e', 'c', 'o', 'n', 'd',
    8, '=', 'i', 'g', 'n', 'o', 'r', 'e', 'd',      /* empty key: ignored */
    4, 'f', 'l', 'a', 'g',                           /* boolean attribute */
    6, 'e', 'm', 'p', 't', 'y', '=',                 /* empty value */
    0,                                               /* empty string */
    7, 'c', 't', 'l', '=', 'a', 0x01, 'b',          /* control byte in value */
    13, 'l', 'o', 'n', 'g', '=', 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h',
    0xc0, 0x0c,                                      /* owner -> "h" */
    0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x00, 0x78, 0x00, 0x04, 10, 0, 0, 1,
};

START_TEST(test_txt_rules)
{
    const struct caps_dns_rr *rr, *a;
    char val[16];

    ck_assert_int_eq(parse_exact(txt_rules, sizeof txt_rules, &dns), 0);
    ck_assert_uint_eq(dns.record_count, 2);
    rr = &dns.records[0];
    a = &dns.records[1];
    ck_assert_uint_eq(rr->rd.txt.raw_len, 69);
    ck_assert_uint_eq(rr->rd.txt.truncated, 0);
    /* Case-insensitive, first occurrence wins. */
    ck_assert_int_eq(caps_dns_txt_get(rr, "MODEL", val, sizeof val), 5);
    ck_assert_str_eq(val, "First");
    ck_assert_int_eq(caps_dns_txt_get(rr, "flag", val, sizeof val), 0);
    ck_assert_str_eq(val, "");
    ck_assert_int_eq(caps_dns_txt_get(rr, "Empty", val, sizeof val), 0);
    ck_assert_str_eq(val, "");
    ck_assert_int_eq(caps_dns_txt_get(rr, "ctl", val, sizeof val), 3);
    ck_assert_str_eq(val, "a?b");
    ck_assert_int_eq(caps_dns_txt_get(rr, "ignored", val, sizeof val), CAPS_E_FIELD);
    ck_assert_int_eq(caps_dns_txt_get(rr, "missing", val, sizeof val), CAPS_E_FIELD);
    ck_assert_str_eq(val, "");
    ck_assert_int_eq(caps_dns_txt_get(rr, "mode", val, sizeof val), CAPS_E_FIELD);
    ck_assert_int_eq(caps_dns_txt_get(rr, "model=", val, sizeof val), CAPS_E_FIELD);
    /* A value longer than val: cut to cap - 1, length as sent returned. */
    ck_assert_int_eq(caps_dns_txt_get(rr, "long", val, 5), 8);
    ck_assert_str_eq(val, "abcd");
    ck_assert_int_eq(caps_dns_txt_get(rr, "long", val, 1), 8);
    ck_assert_str_eq(val, "");
    /* Bad arguments and other record types. */
    ck_assert_int_eq(caps_dns_txt_get(rr, "", val, sizeof val), CAPS_E_ARG);
    ck_assert_int_eq(caps_dns_txt_get(rr, NULL, val, sizeof val), CAPS_E_ARG);
    ck_assert_int_eq(caps_dns_txt_get(NULL, "model", val, sizeof val), CAPS_E_ARG);
    ck_assert_int_eq(caps_dns_txt_get(a, "model", val, sizeof val), CAPS_E_ARG);
    ck_assert_str_eq(val, "");
}
END_TEST

START_TEST(test_txt_iterator)
{
    static const struct {
        const char *str;
        size_t key_len;
        const char *value;  /* NULL: no '=' */
    } want[] = {
        {"Model=First", 5, "First"}, {"model=second", 5, "second"}, {"=ignored", 0, "ignored"},
        {"flag", 4, NULL},           {"empty=", 5, ""},             {"", 0, NULL},
        {"ctl=a\001b", 3, "a\001b"}, {"long=abcdefgh", 4, "abcdefgh"},
    };
    struct caps_dns_txt_iter it;
    struct caps_dns_txt_item item;
    size_t n = 0;

    ck_assert_int_eq(parse_exact(txt_rules, sizeof txt_rules, &dns), 0);
    caps_dns_txt_iter_init(&it, &dns.records[0]);
    while (caps_dns_txt_next(&it, &item)) {
        ck_assert_uint_lt(n, sizeof want / sizeof want[0]);
        ck_assert_uint_eq(item.len, strlen(want[n].str));
        ck_assert_int_eq(memcmp(item.str, want[n].str, item.len), 0);
        ck_assert_uint_eq(item.key_len, want[n].key_len);
        if (want[n].value == NULL) {
            ck_assert_ptr_null(item.value);
            ck_assert_uint_eq(item.value_len, 0);
        } else {
            ck_assert_ptr_nonnull(item.value);
            ck_assert_uint_eq(item.value_len, strlen(want[n].value));
            ck_assert_int_eq(memcmp(item.value, want[n].value, item.value_len), 0);
        }
        n++;
    }
    ck_assert_uint_eq(n, sizeof want / sizeof want[0]);
    ck_assert_int_eq(caps_dns_txt_next(&it, &item), 0);  /* stays at the end */
    caps_dns_txt_iter_init(&it, &dns.records[1]);        /* an A record: no items */
    ck_assert_int_eq(caps_dns_txt_next(&it, &item), 0);
}
END_TEST

/* ------------------------------------------------------------------ malformed */

/* Query header: id 0, flags 0, qdcount 1. */
#define HDR_Q1 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00
/* Response header: flags QR AA, ancount 1. */
#define HDR_AN1 0x00, 0x00, 0x84, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00
/* Owner "host" at @12, then type, class IN, ttl 120. */
#define OWNER_HOST 0x04, 'h', 'o', 's', 't', 0x00
#define IN_TTL120 0x00, 0x01, 0x00, 0x00, 0x00, 0x78
/* Type A / IN question tail. */
#define QTAIL 0x00, 0x01, 0x00, 0x01
/* Owner "host" at @12, type A, class IN, ttl 120; rdlength follows at @26. */
#define A_HEAD OWNER_HOST, 0x00, 0x01, IN_TTL120

static const uint8_t m_short_header[] = {0x00, 0x00, 0x84, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00};
static const uint8_t m_ptr_self[] = {HDR_Q1, 0xc0, 0x0c, QTAIL};
static const uint8_t m_ptr_own_start[] = {HDR_Q1, 0x01, 'a', 0xc0, 0x0c, QTAIL};
static const uint8_t m_ptr_own_middle[] = {HDR_Q1, 0x01, 'a', 0x01, 'b', 0xc0, 0x0e, QTAIL};
/* Two questions pointing at each other: @12 "a" -> @20, @20 "b" -> @12. */
static const uint8_t m_ptr_mutual[] = {
    0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x01, 'a', 0xc0, 0x14, QTAIL,
    0x01, 'b', 0xc0, 0x0c, QTAIL,
};
static const uint8_t m_ptr_forward[] = {HDR_Q1, 0xc0, 0x10, QTAIL, 0x01, 'a', 0x00};
static const uint8_t m_ptr_past_end[] = {HDR_Q1, 0xff, 0xff, QTAIL};
static const uint8_t m_ptr_into_header[] = {HDR_Q1, 0x01, 'a', 0xc0, 0x04, QTAIL};
static const uint8_t m_ptr_cut[] = {HDR_Q1, 0x01, 'a', 0xc0};
static const uint8_t m_label_0x40[] = {HDR_Q1, 0x41, 'a', 0x00, QTAIL};
static const uint8_t m_label_0x80[] = {HDR_Q1, 0x81, 'a', 0x00, QTAIL};
static const uint8_t m_label_past_end[] = {HDR_Q1, 0x05, 'a', 'b'};
static const uint8_t m_qd_beyond[] = {
    0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x01, 'a', 0x00, QTAIL,
};
static const uint8_t m_an_beyond[] = {
    0x00, 0x00, 0x84, 0x00, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00,
    A_HEAD, 0x00, 0x04, 10, 0, 0, 1,
};
static const uint8_t m_ar_huge[] = {
    0x00, 0x00, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff,
};
static const uint8_t m_rdlength_past_end[] = {HDR_AN1, A_HEAD, 0x00, 0x05, 10, 0, 0, 1};
static const uint8_t m_rdlength_ffff[] = {HDR_AN1, A_HEAD, 0xff, 0xff, 10, 0, 0, 1};
static const uint8_t m_rr_fixed_cut[] = {HDR_AN1, OWNER_HOST, 0x00, 0x01, 0x00, 0x01, 0x00};
static const uint8_t m_a_len5[] = {HDR_AN1, A_HEAD, 0x00, 0x05, 10, 0, 0, 1, 7};
static const uint8_t m_a_len3[] = {HDR_AN1, A_HEAD, 0x00, 0x03, 10, 0, 0};
static const uint8_t m_aaaa_len15[] = {
    HDR_AN1, OWNER_HOST, 0x00, 0x1c, 0x00, 0x01, 0x00, 0x00, 0x00, 0x78, 0x00, 0x0f,
    0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
};
/* Rdata of the one-record messages below starts at @28. */
#define PTR_HEAD OWNER_HOST, 0x00, 0x0c, 0x00, 0x01, 0x00, 0x00, 0x00, 0x78
static const uint8_t m_ptr_rdata_self[] = {HDR_AN1, PTR_HEAD, 0x00, 0x02, 0xc0, 0x1c};
static const uint8_t m_ptr_rdata_forward[] = {HDR_AN1, PTR_HEAD, 0x00, 0x02, 0xc0, 0x1e, 0x01, 'x', 0x00};
static const uint8_t m_ptr_rdata_junk[] = {HDR_AN1, PTR_HEAD, 0x00, 0x03, 0xc0, 0x0c, 0x00};
/* The PTR name runs past its rdlength of 3 into bytes that are present. */
static const uint8_t m_ptr_rdata_spill[] = {HDR_AN1, PTR_HEAD, 0x00, 0x03, 0x04, 'h', 'o', 's', 't', 0x00};
static const uint8_t m_ptr_rdata_label_type[] = {HDR_AN1, PTR_HEAD, 0x00, 0x02, 0x80, 0x00};
#define SRV_HEAD OWNER_HOST, 0x00, 0x21, 0x80, 0x01, 0x00, 0x00, 0x00, 0x78
static const uint8_t m_srv_short[] = {HDR_AN1, SRV_HEAD, 0x00, 0x05, 0, 0, 0, 0, 0x1f};
static const uint8_t m_srv_no_target[] = {HDR_AN1, SRV_HEAD, 0x00, 0x06, 0, 0, 0, 0, 0x1f, 0x49};
#define TXT_HEAD OWNER_HOST, 0x00, 0x10, 0x80, 0x01, 0x00, 0x00, 0x11, 0x94
static const uint8_t m_txt_string_past[] = {HDR_AN1, TXT_HEAD, 0x00, 0x03, 0x05, 'a', 'b', 'c', 'd', 'e'};
#define HINFO_HEAD OWNER_HOST, 0x00, 0x0d, 0x80, 0x01, 0x00, 0x00, 0x00, 0x78
static const uint8_t m_hinfo_one[] = {HDR_AN1, HINFO_HEAD, 0x00, 0x04, 0x03, 'x', '8', '6'};
static const uint8_t m_hinfo_junk[] = {HDR_AN1, HINFO_HEAD, 0x00, 0x05, 0x01, 'x', 0x01, 'y', 0x00};
#define NSEC_HEAD OWNER_HOST, 0x00, 0x2f, 0x80, 0x01, 0x00, 0x00, 0x00, 0x78
static const uint8_t m_nsec_len0[] = {HDR_AN1, NSEC_HEAD, 0x00, 0x04, 0xc0, 0x0c, 0x00, 0x00};
static const uint8_t m_nsec_len33[] = {
    HDR_AN1, NSEC_HEAD, 0x00, 0x25, 0xc0, 0x0c, 0x00, 0x21,
    0x40, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
};
static const uint8_t m_nsec_bitmap_past[] = {HDR_AN1, NSEC_HEAD, 0x00, 0x05, 0xc0, 0x0c, 0x00, 0x04, 0x40};
static const uint8_t m_nsec_window_order[] = {
    HDR_AN1, NSEC_HEAD, 0x00, 0x08, 0xc0, 0x0c, 0x01, 0x01, 0x80, 0x00, 0x01, 0x40,
};
static const uint8_t m_nsec_window_repeat[] = {
    HDR_AN1, NSEC_HEAD, 0x00, 0x08, 0xc0, 0x0c, 0x00, 0x01, 0x40, 0x00, 0x01, 0x40,
};
static const uint8_t m_nsec_next_loop[] = {HDR_AN1, NSEC_HEAD, 0x00, 0x05, 0xc0, 0x1c, 0x00, 0x01, 0x40};
static const uint8_t m_nsec_no_window_len[] = {HDR_AN1, NSEC_HEAD, 0x00, 0x03, 0xc0, 0x0c, 0x00};

struct bad_case {
    const char *name;
    const uint8_t *bytes;
    size_t len;
    int want;
};

#define BAD(name_, want_) {#name_, m_##name_, sizeof m_##name_, want_}

static const struct bad_case bad_cases[] = {
    BAD(short_header, CAPS_E_TRUNCATED),
    BAD(ptr_self, CAPS_E_NAME_LOOP),
    BAD(ptr_own_start, CAPS_E_NAME_LOOP),
    BAD(ptr_own_middle, CAPS_E_NAME_LOOP),
    BAD(ptr_mutual, CAPS_E_NAME_LOOP),
    BAD(ptr_forward, CAPS_E_NAME_LOOP),
    BAD(ptr_past_end, CAPS_E_NAME_LOOP),
    BAD(ptr_into_header, CAPS_E_NAME),
    BAD(ptr_cut, CAPS_E_TRUNCATED),
    BAD(label_0x40, CAPS_E_NAME),
    BAD(label_0x80, CAPS_E_NAME),
    BAD(label_past_end, CAPS_E_TRUNCATED),
    BAD(qd_beyond, CAPS_E_TRUNCATED),
    BAD(an_beyond, CAPS_E_TRUNCATED),
    BAD(ar_huge, CAPS_E_TRUNCATED),
    BAD(rdlength_past_end, CAPS_E_TRUNCATED),
    BAD(rdlength_ffff, CAPS_E_TRUNCATED),
    BAD(rr_fixed_cut, CAPS_E_TRUNCATED),
    BAD(a_len5, CAPS_E_LENGTH),
    BAD(a_len3, CAPS_E_LENGTH),
    BAD(aaaa_len15, CAPS_E_LENGTH),
    BAD(ptr_rdata_self, CAPS_E_NAME_LOOP),
    BAD(ptr_rdata_forward, CAPS_E_NAME_LOOP),
    BAD(ptr_rdata_junk, CAPS_E_LENGTH),
    BAD(ptr_rdata_spill, CAPS_E_LENGTH),
    BAD(ptr_rdata_label_type, CAPS_E_NAME),
    BAD(srv_short, CAPS_E_LENGTH),
    BAD(srv_no_target, CAPS_E_LENGTH),
    BAD(txt_string_past, CAPS_E_LENGTH),
    BAD(hinfo_one, CAPS_E_LENGTH),
    BAD(hinfo_junk, CAPS_E_LENGTH),
    BAD(nsec_len0, CAPS_E_LENGTH),
    BAD(nsec_len33, CAPS_E_LENGTH),
    BAD(nsec_bitmap_past, CAPS_E_LENGTH),
    BAD(nsec_window_order, CAPS_E_FIELD),
    BAD(nsec_window_repeat, CAPS_E_FIELD),
    BAD(nsec_next_loop, CAPS_E_NAME_LOOP),
    BAD(nsec_no_window_len, CAPS_E_LENGTH),
};

START_TEST(test_malformed)
{
    const struct bad_case *bc = &bad_cases[_i];
    int rc = parse_exact(bc->bytes, bc->len, &dns);

    ck_assert_msg(rc == bc->want, "%s: got %d (%s), want %d (%s)", bc->name, rc,
                  caps_err_name(rc), bc->want, caps_err_name(bc->want));
}
END_TEST

/* ------------------------------------------------------------------ builders
 * For cases too large to spell out: names at the limits, pointer chains,
 * sections past the kept maximum. */

struct mbuf {
    uint8_t b[16384];
    size_t n;
};

static void put8(struct mbuf *m, unsigned v)
{
    ck_assert_uint_lt(m->n, sizeof m->b);
    m->b[m->n++] = (uint8_t)v;
}

static void put16(struct mbuf *m, unsigned v)
{
    put8(m, v >> 8 & 0xff);
    put8(m, v & 0xff);
}

static void put_header(struct mbuf *m, unsigned flags, unsigned qd, unsigned an, unsigned ns,
                       unsigned ar)
{
    m->n = 0;
    put16(m, 0);
    put16(m, flags);
    put16(m, qd);
    put16(m, an);
    put16(m, ns);
    put16(m, ar);
}

static void put_label(struct mbuf *m, unsigned len, uint8_t fill)
{
    put8(m, len);
    for (unsigned i = 0; i < len; i++)
        put8(m, fill);
}

static void put_a_rr(struct mbuf *m, unsigned owner_ptr, unsigned rdlength)
{
    put16(m, 0xc000 | owner_ptr);
    put16(m, CAPS_DNS_TYPE_A);
    put16(m, 0x8001);
    put16(m, 0);
    put16(m, 120);
    put16(m, rdlength);
    for (unsigned i = 0; i < rdlength; i++)
        put8(m, 10 + i);
}

static struct mbuf mb;

/* RFC 1035 2.3.4: 63-octet labels and 255-octet names are the limits. */
START_TEST(test_name_limits)
{
    /* 3 x 63 + 61: 64 * 3 + 62 + 1 = 255 wire octets. */
    put_header(&mb, 0, 1, 0, 0, 0);
    for (int i = 0; i < 3; i++)
        put_label(&mb, 63, 'a');
    put_label(&mb, 61, 'b');
    put8(&mb, 0);
    put16(&mb, 1);
    put16(&mb, 1);
    ck_assert_int_eq(parse_exact(mb.b, mb.n, &dns), 0);
    ck_assert_uint_eq(strlen(dns.questions[0].name), 63 * 3 + 61 + 3);
    ck_assert_uint_eq(dns.names_truncated, 0);

    /* One more octet: 256. */
    put_header(&mb, 0, 1, 0, 0, 0);
    for (int i = 0; i < 3; i++)
        put_label(&mb, 63, 'a');
    put_label(&mb, 62, 'b');
    put8(&mb, 0);
    put16(&mb, 1);
    put16(&mb, 1);
    ck_assert_int_eq(parse_exact(mb.b, mb.n, &dns), CAPS_E_NAME);

    /* Over 255 only once decompressed: 62-octet label + pointer to 3 x 63. */
    put_header(&mb, 0, 2, 0, 0, 0);
    for (int i = 0; i < 3; i++)
        put_label(&mb, 63, 'a');
    put8(&mb, 0);
    put16(&mb, 1);
    put16(&mb, 1);
    put_label(&mb, 62, 'b');
    put16(&mb, 0xc00c);
    put16(&mb, 1);
    put16(&mb, 1);
    ck_assert_int_eq(parse_exact(mb.b, mb.n, &dns), CAPS_E_NAME);
    /* The same with a 61-octet label: 255. */
    put_header(&mb, 0, 2, 0, 0, 0);
    for (int i = 0; i < 3; i++)
        put_label(&mb, 63, 'a');
    put8(&mb, 0);
    put16(&mb, 1);
    put16(&mb, 1);
    put_label(&mb, 61, 'b');
    put16(&mb, 0xc00c);
    put16(&mb, 1);
    put16(&mb, 1);
    ck_assert_int_eq(parse_exact(mb.b, mb.n, &dns), 0);

    /* Label of 63 is fine, 64 (a 0x40 length byte) is not. */
    put_header(&mb, 0, 1, 0, 0, 0);
    put_label(&mb, 63, 'c');
    put8(&mb, 0);
    put16(&mb, 1);
    put16(&mb, 1);
    ck_assert_int_eq(parse_exact(mb.b, mb.n, &dns), 0);
    put_header(&mb, 0, 1, 0, 0, 0);
    put_label(&mb, 64, 'c');
    put8(&mb, 0);
    put16(&mb, 1);
    put16(&mb, 1);
    ck_assert_int_eq(parse_exact(mb.b, mb.n, &dns), CAPS_E_NAME);
}
END_TEST

/* Question k's name is a pointer to question k-1's, so it takes k hops. */
static void put_pointer_chain(struct mbuf *m, unsigned questions)
{
    size_t prev = 12;

    put_header(m, 0, questions, 0, 0, 0);
    put_label(m, 1, 'a');
    put8(m, 0);
    put16(m, 1);
    put16(m, 1);
    for (unsigned k = 1; k < questions; k++) {
        size_t here = m->n;

        put16(m, 0xc000 | (unsigned)prev);
        put16(m, 1);
        put16(m, 1);
        prev = here;
    }
}

START_TEST(test_pointer_hops)
{
    put_pointer_chain(&mb, 1 + CAPS_DNS_PTR_HOPS_MAX);  /* last name: exactly the maximum */
    ck_assert_int_eq(parse_exact(mb.b, mb.n, &dns), 0);
    ck_assert_uint_eq(dns.question_count, CAPS_DNS_QUESTIONS_MAX);
    ck_assert_uint_eq(dns.questions_dropped, 1);
    ck_assert_str_eq(dns.questions[CAPS_DNS_QUESTIONS_MAX - 1].name, "a");
    put_pointer_chain(&mb, 2 + CAPS_DNS_PTR_HOPS_MAX);  /* one hop too many */
    ck_assert_int_eq(parse_exact(mb.b, mb.n, &dns), CAPS_E_NAME_LOOP);
}
END_TEST

/* Records past CAPS_DNS_RECORDS_MAX are validated and counted, not stored. */
START_TEST(test_records_dropped)
{
    const unsigned n = CAPS_DNS_RECORDS_MAX + 12;

    put_header(&mb, 0x8400, 1, n - 2, 1, 1);
    put_label(&mb, 4, 'h');
    put8(&mb, 0);
    put16(&mb, 1);
    put16(&mb, 1);
    for (unsigned i = 0; i < n; i++)
        put_a_rr(&mb, 12, 4);
    ck_assert_int_eq(parse_exact(mb.b, mb.n, &dns), 0);
    ck_assert_uint_eq(dns.record_count, CAPS_DNS_RECORDS_MAX);
    ck_assert_uint_eq(dns.records_dropped, 12);
    ck_assert_uint_eq(dns.records[CAPS_DNS_RECORDS_MAX - 1].section, CAPS_DNS_SECTION_ANSWER);
    ck_assert_str_eq(dns.records[CAPS_DNS_RECORDS_MAX - 1].name, "hhhh");
    ck_assert_uint_eq(dns.records[CAPS_DNS_RECORDS_MAX - 1].rd.a[0], 10);

    /* A bad record among the dropped ones still fails the message. */
    put_header(&mb, 0x8400, 1, n, 0, 0);
    put_label(&mb, 4, 'h');
    put8(&mb, 0);
    put16(&mb, 1);
    put16(&mb, 1);
    for (unsigned i = 0; i < n; i++)
        put_a_rr(&mb, 12, i == CAPS_DNS_RECORDS_MAX + 5 ? 5 : 4);
    ck_assert_int_eq(parse_exact(mb.b, mb.n, &dns), CAPS_E_LENGTH);
    ck_assert_uint_eq(dns.record_count, CAPS_DNS_RECORDS_MAX);  /* kept entries stay valid */
    ck_assert_uint_eq(dns.records_dropped, 5);
}
END_TEST

START_TEST(test_questions_dropped)
{
    const unsigned n = CAPS_DNS_QUESTIONS_MAX + 4;

    put_header(&mb, 0, n, 0, 0, 0);
    for (unsigned i = 0; i < n; i++) {
        put_label(&mb, 1, (uint8_t)('a' + i));
        put8(&mb, 0);
        put16(&mb, CAPS_DNS_TYPE_PTR);
        put16(&mb, 0x8001);
    }
    ck_assert_int_eq(parse_exact(mb.b, mb.n, &dns), 0);
    ck_assert_uint_eq(dns.question_count, CAPS_DNS_QUESTIONS_MAX);
    ck_assert_uint_eq(dns.questions_dropped, 4);
    ck_assert_str_eq(dns.questions[CAPS_DNS_QUESTIONS_MAX - 1].name, "p");
    ck_assert_uint_eq(dns.questions[0].unicast_response, 1);
    ck_assert_uint_eq(dns.questions[0].qclass, 1);

    /* The last, dropped question loops: the message is still rejected. */
    mb.b[mb.n - 7] = 0xc0;
    mb.b[mb.n - 6] = (uint8_t)(mb.n - 7);
    ck_assert_int_eq(parse_exact(mb.b, mb.n - 1, &dns), CAPS_E_NAME_LOOP);
}
END_TEST

/* Long TXT rdata keeps the whole strings that fit, in order, and stops. */
START_TEST(test_txt_truncated)
{
    char val[8];

    put_header(&mb, 0x8400, 0, 1, 0, 0);
    put_label(&mb, 1, 't');
    put8(&mb, 0);
    put16(&mb, CAPS_DNS_TYPE_TXT);
    put16(&mb, 1);
    put16(&mb, 0);
    put16(&mb, 4500);
    put16(&mb, 201 + 251 + 6);
    put8(&mb, 200);
    put8(&mb, 'a');
    put8(&mb, '=');
    for (int i = 0; i < 198; i++)
        put8(&mb, 'x');
    put_label(&mb, 250, 'y');
    put8(&mb, 5);
    put8(&mb, 'k');
    put8(&mb, '=');
    put8(&mb, 'v');
    put8(&mb, 'a');
    put8(&mb, 'l');
    ck_assert_int_eq(parse_exact(mb.b, mb.n, &dns), 0);
    ck_assert_uint_eq(dns.records[0].rdlength, 458);
    ck_assert_uint_eq(dns.records[0].rd.txt.raw_len, 201);
    ck_assert_uint_eq(dns.records[0].rd.txt.truncated, 1);
    ck_assert_int_eq(caps_dns_txt_get(&dns.records[0], "a", val, sizeof val), 198);
    ck_assert_str_eq(val, "xxxxxxx");
    ck_assert_int_eq(caps_dns_txt_get(&dns.records[0], "k", val, sizeof val), CAPS_E_FIELD);
}
END_TEST

/* Dots, backslashes and control bytes inside labels are escaped; UTF-8 kept. */
START_TEST(test_name_escapes)
{
    static const uint8_t msg[] = {
        HDR_Q1,
        0x03, 'a', '.', 'b',
        0x03, 'c', '\\', 'd',
        0x02, 0x01, 0x7f,
        0x02, 0xc3, 0xa9,
        0x03, ' ', 's', 'p',
        0x00, QTAIL,
    };
    static const uint8_t root[] = {HDR_Q1, 0x00, 0x00, 0x02, 0x00, 0x01};

    ck_assert_int_eq(parse_exact(msg, sizeof msg, &dns), 0);
    ck_assert_str_eq(dns.questions[0].name, "a\\.b.c\\\\d.\\001\\127.\303\251. sp");
    ck_assert_int_eq(parse_exact(root, sizeof root, &dns), 0);
    ck_assert_str_eq(dns.questions[0].name, ".");
    ck_assert_uint_eq(dns.questions[0].type, 2);
}
END_TEST

/* Text longer than the field is cut at an escape boundary and counted. */
START_TEST(test_name_text_truncated)
{
    const char *name;

    put_header(&mb, 0, 1, 0, 0, 0);
    for (int i = 0; i < 3; i++)
        put_label(&mb, 63, 0x01);
    put_label(&mb, 61, 0x01);
    put8(&mb, 0);
    put16(&mb, 1);
    put16(&mb, 1);
    ck_assert_int_eq(parse_exact(mb.b, mb.n, &dns), 0);
    ck_assert_uint_eq(dns.names_truncated, 1);
    name = dns.questions[0].name;
    /* 63 escapes of 4 bytes, then the dot; the next escape does not fit. */
    ck_assert_uint_eq(strlen(name), 63 * 4 + 1);
    ck_assert_int_eq(strncmp(name, "\\001\\001", 8), 0);
    ck_assert_int_eq(strcmp(name + 63 * 4 - 4, "\\001."), 0);
}
END_TEST

START_TEST(test_header_flags)
{
    static const uint8_t all[] = {0x12, 0x34, 0xff, 0xff, 0, 0, 0, 0, 0, 0, 0, 0};
    static const uint8_t none[] = {0xff, 0xff, 0x00, 0x00, 0, 0, 0, 0, 0, 0, 0, 0};

    ck_assert_int_eq(parse_exact(all, sizeof all, &dns), 0);
    ck_assert_uint_eq(dns.id, 0x1234);
    ck_assert_uint_eq(dns.flags, 0xffff);
    ck_assert(dns.qr == 1 && dns.opcode == 15 && dns.aa == 1 && dns.tc == 1 && dns.rd == 1 &&
              dns.ra == 1 && dns.rcode == 15);
    ck_assert_int_eq(parse_exact(none, sizeof none, &dns), 0);
    ck_assert_uint_eq(dns.id, 0xffff);
    ck_assert(dns.qr == 0 && dns.opcode == 0 && dns.aa == 0 && dns.tc == 0 && dns.rd == 0 &&
              dns.ra == 0 && dns.rcode == 0);
    ck_assert_uint_eq(dns.question_count + dns.record_count, 0);
    ck_assert_int_eq(caps_dns_parse(NULL, 0, &dns), CAPS_E_TRUNCATED);
    ck_assert_uint_eq(dns.id, 0);
}
END_TEST

/* Bytes after the last record are tolerated and counted. */
START_TEST(test_trailing_bytes)
{
    const struct caps_sample *s = test_sample(&caps_samples_dns, "windows10_query");

    memcpy(mb.b, s->bytes, s->len);
    mb.b[s->len] = 0;
    mb.b[s->len + 1] = 0;
    mb.b[s->len + 2] = 0xff;
    ck_assert_int_eq(parse_exact(mb.b, s->len + 3, &dns), 0);
    ck_assert_uint_eq(dns.trailing_bytes, 3);
    ck_assert_str_eq(dns.questions[0].name, "DESKTOP-7K2LQ9M.local");
}
END_TEST

/* OPT's class is a payload size: never split into a cache-flush bit. */
START_TEST(test_opt_class_whole)
{
    static const uint8_t msg[] = {
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
        0x00, 0x00, 0x29, 0x90, 0x00, 0x00, 0x00, 0x11, 0x94, 0x00, 0x00,
    };

    ck_assert_int_eq(parse_exact(msg, sizeof msg, &dns), 0);
    ck_assert_uint_eq(dns.records[0].type, CAPS_DNS_TYPE_OPT);
    ck_assert_uint_eq(dns.records[0].rrclass, 0x9000);
    ck_assert_uint_eq(dns.records[0].cache_flush, 0);
    ck_assert_uint_eq(dns.records[0].section, CAPS_DNS_SECTION_ADDITIONAL);
    ck_assert_str_eq(dns.records[0].name, ".");
}
END_TEST

START_TEST(test_type_names)
{
    ck_assert_str_eq(caps_dns_type_name(1), "A");
    ck_assert_str_eq(caps_dns_type_name(12), "PTR");
    ck_assert_str_eq(caps_dns_type_name(13), "HINFO");
    ck_assert_str_eq(caps_dns_type_name(16), "TXT");
    ck_assert_str_eq(caps_dns_type_name(28), "AAAA");
    ck_assert_str_eq(caps_dns_type_name(33), "SRV");
    ck_assert_str_eq(caps_dns_type_name(41), "OPT");
    ck_assert_str_eq(caps_dns_type_name(47), "NSEC");
    ck_assert_str_eq(caps_dns_type_name(255), "ANY");
    ck_assert_str_eq(caps_dns_type_name(0), "UNKNOWN");
    ck_assert_str_eq(caps_dns_type_name(65535), "UNKNOWN");
}
END_TEST

Suite *suite_dns(void);

Suite *suite_dns(void)
{
    Suite *s = suite_create("dns");
    TCase *tc = tcase_create("samples");

    tcase_add_loop_test(tc, test_sample_fields, 0, (int)expects_count);
    tcase_add_test(tc, test_every_sample_expected);
    tcase_add_loop_test(tc, test_sample_cut, 0, (int)caps_samples_dns.count);
    tcase_add_loop_test(tc, test_txt_lookup, 0, (int)(sizeof txt_cases / sizeof txt_cases[0]));
    suite_add_tcase(s, tc);

    tc = tcase_create("malformed");
    tcase_add_loop_test(tc, test_malformed, 0, (int)(sizeof bad_cases / sizeof bad_cases[0]));
    tcase_add_test(tc, test_name_limits);
    tcase_add_test(tc, test_pointer_hops);
    suite_add_tcase(s, tc);

    tc = tcase_create("limits");
    tcase_add_test(tc, test_records_dropped);
    tcase_add_test(tc, test_questions_dropped);
    tcase_add_test(tc, test_txt_truncated);
    tcase_add_test(tc, test_name_text_truncated);
    suite_add_tcase(s, tc);

    tc = tcase_create("fields");
    tcase_add_test(tc, test_txt_rules);
    tcase_add_test(tc, test_txt_iterator);
    tcase_add_test(tc, test_name_escapes);
    tcase_add_test(tc, test_header_flags);
    tcase_add_test(tc, test_trailing_bytes);
    tcase_add_test(tc, test_opt_class_whole);
    tcase_add_test(tc, test_type_names);
    suite_add_tcase(s, tc);
    return s;
}
