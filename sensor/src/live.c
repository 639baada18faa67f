/* live.c - live capture from an interface through the libpcap API only.
 *
 * The kernel filter admits just what the core decodes: broadcast and
 * multicast frames (destination MAC with the group bit, ether[0] & 1) of ARP
 * and the UDP ports of DHCP, NetBIOS, SSDP, mDNS and the election adverts,
 * plus DHCP to any destination (unicast server answers), untagged or
 * VLAN-tagged. Unicast traffic never leaves the kernel, which
 * keeps the sensor's CPU share small on a busy link. Not promiscuous: the
 * frames we want arrive anyway.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture_int.h"

/* UDP ports of the sensed protocols (DHCP server/client, NetBIOS name and
 * datagram, SSDP, mDNS). "udp port N" matches IPv4 and IPv6 alike. */
static const unsigned live_udp_ports[] = {67, 68, 137, 138, 1900, 5353};

int sensor_live_filter(uint16_t advert_port, char *out, size_t cap)
{
    char protos[256], one[320];
    size_t len = 0;
    int n = snprintf(protos, sizeof protos, "arp");

    if (n < 0)
        return -1;
    len = (size_t)n;
    for (size_t i = 0; i < sizeof live_udp_ports / sizeof live_udp_ports[0]; i++) {
        n = snprintf(protos + len, sizeof protos - len, " or udp port %u", live_udp_ports[i]);
        if (n < 0 || (size_t)n >= sizeof protos - len)
            return -1;
        len += (size_t)n;
    }
    n = snprintf(protos + len, sizeof protos - len, " or udp port %u", (unsigned)advert_port);
    if (n < 0 || (size_t)n >= sizeof protos - len)
        return -1;
    /* One encapsulation level: group-addressed frames of the protocols, and
     * DHCP whatever the destination: servers answer unicast when the client
     * did not set the broadcast bit (RFC 2131 4.1), and on a mirror port or
     * a shared segment those answers name the server. */
    n = snprintf(one, sizeof one, "(ether[0] & 1 != 0 and (%s)) or udp port 67 or udp port 68",
                 protos);
    if (n < 0 || (size_t)n >= sizeof one)
        return -1;
    /* ether[0] is the first byte of the destination MAC whatever the tags;
     * "vlan" shifts the offsets of everything after it, so the tagged
     * alternatives come last: one tag, then 802.1ad with a second tag. */
    n = snprintf(out, cap, "%s or (vlan and (%s or (vlan and (%s))))", one, one, one);
    return n < 0 || (size_t)n >= cap ? -1 : 0;
}

/* Writes "IFACE: WHAT: WHY" into err, cut to its size, and closes c. */
static int live_fail(struct sensor_capture *c, char *err, const char *what, const char *why)
{
    size_t n = 0;
    const char *parts[] = {c->name, ": ", what, ": ", why};

    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
        size_t len = strlen(parts[i]);
        if (len > SENSOR_ERRMSG_MAX - 1 - n)
            len = SENSOR_ERRMSG_MAX - 1 - n;
        memcpy(err + n, parts[i], len);
        n += len;
    }
    err[n] = '\0';
    sensor_capture_close(c);
    return -1;
}

int sensor_capture_open_live(const char *iface, uint16_t advert_port,
                             struct sensor_capture **out, char warn[SENSOR_ERRMSG_MAX],
                             char err[SENSOR_ERRMSG_MAX])
{
    char pcap_err[PCAP_ERRBUF_SIZE] = "";
    char filter[SENSOR_LIVE_FILTER_MAX];
    struct bpf_program prog;
    struct sensor_capture *c;

    *out = NULL;
    warn[0] = '\0';
    c = calloc(1, sizeof *c);
    if (c == NULL) {
        snprintf(err, SENSOR_ERRMSG_MAX, "%s: out of memory", iface);
        return -1;
    }
    c->live = 1;
    c->advert_port = advert_port;
    snprintf(c->name, sizeof c->name, "%s", iface);
    c->p = pcap_create(iface, pcap_err);
    if (c->p == NULL)
        return live_fail(c, err, "cannot open interface", pcap_err);
    if (pcap_set_snaplen(c->p, SENSOR_SNAPLEN) != 0 || pcap_set_promisc(c->p, 0) != 0 ||
        pcap_set_immediate_mode(c->p, 1) != 0 ||
        pcap_set_buffer_size(c->p, SENSOR_LIVE_BUFFER_BYTES) != 0)
        return live_fail(c, err, "cannot set capture options", pcap_geterr(c->p));
    int rc = pcap_activate(c->p);
    if (rc < 0) {
        /* PCAP_ERROR and PCAP_ERROR_PERM_DENIED etc.: pcap_geterr holds the
         * detail for some codes, pcap_statustostr names all of them. */
        const char *detail = pcap_geterr(c->p);
        char why[SENSOR_ERRMSG_MAX];
        snprintf(why, sizeof why, "%s%s%s", pcap_statustostr(rc),
                 detail != NULL && detail[0] != '\0' ? ": " : "", detail ? detail : "");
        return live_fail(c, err, "cannot start capture", why);
    }
    if (rc > 0)
        snprintf(warn, SENSOR_ERRMSG_MAX, "%s: %s", iface, pcap_statustostr(rc));
    c->datalink = pcap_datalink(c->p);
    if (!capture_datalink_ok(c->datalink)) {
        const char *name = pcap_datalink_val_to_name(c->datalink);
        char why[128];
        snprintf(why, sizeof why, "link type %d (%s): want EN10MB, LINUX_SLL or LINUX_SLL2",
                 c->datalink, name ? name : "unknown");
        return live_fail(c, err, "not supported", why);
    }
    if (c->datalink == DLT_EN10MB) {
        if (sensor_live_filter(advert_port, filter, sizeof filter) != 0)
            return live_fail(c, err, "filter", "expression too long");
        if (pcap_compile(c->p, &prog, filter, 1, PCAP_NETMASK_UNKNOWN) != 0)
            return live_fail(c, err, "cannot compile the capture filter", pcap_geterr(c->p));
        rc = pcap_setfilter(c->p, &prog);
        pcap_freecode(&prog);
        if (rc != 0)
            return live_fail(c, err, "cannot set the capture filter", pcap_geterr(c->p));
    }
    /* Cooked captures ("any") carry no destination MAC to filter on: every
     * frame reaches the core, which ignores what it does not decode. */
    if (pcap_setnonblock(c->p, 1, pcap_err) != 0)
        return live_fail(c, err, "cannot set non-blocking mode", pcap_err);
    *out = c;
    return 0;
}
