/* ingest.h - from decoded messages to inventory updates (private to core).
 *
 * caps_sensor_frame decodes the link layers, picks the application decoder by
 * ethertype or UDP port, and calls one ingest function. Each parses into the
 * sensor's scratch space and records what the message says about which MAC.
 * They return 0 or the decoder's error (the caller counts it as malformed).
 */
#ifndef CAPS_INGEST_H
#define CAPS_INGEST_H

#include <stdint.h>

#include "caps/arp.h"
#include "caps/dhcp.h"
#include "caps/dns.h"
#include "caps/link.h"
#include "caps/nbds.h"
#include "caps/nbns.h"
#include "caps/sensor.h"
#include "caps/ssdp.h"
#include "text.h"

/* Per-packet decode space: one message is decoded at a time. */
struct caps_scratch {
    union {
        struct caps_arp arp;
        struct caps_dhcp dhcp;
        struct caps_nbns nbns;
        struct caps_nbds nbds;
        struct caps_ssdp ssdp;
        struct caps_dns dns;
    } u;
};

/* Hostname trust ranks (caps_asset_set_hostname): what the device calls
 * itself in DHCP beats its NetBIOS name, which beats an mDNS name. */
enum {
    CAPS_RANK_MDNS = 1,
    CAPS_RANK_NETBIOS = 2,
    CAPS_RANK_DHCP = 3,
};

int caps_ingest_arp(struct caps_sensor *s, const struct caps_frame *f, uint64_t ts_us);
int caps_ingest_dhcp(struct caps_sensor *s, const struct caps_frame *f, uint64_t ts_us);
int caps_ingest_nbns(struct caps_sensor *s, const struct caps_frame *f, uint64_t ts_us);
int caps_ingest_nbds(struct caps_sensor *s, const struct caps_frame *f, uint64_t ts_us);
int caps_ingest_ssdp(struct caps_sensor *s, const struct caps_frame *f, uint64_t ts_us);
int caps_ingest_mdns(struct caps_sensor *s, const struct caps_frame *f, uint64_t ts_us);

/* Shared helpers for the ingest files. */

/* A MAC that can name a device: not zero, not broadcast, not multicast. */
int caps_mac_is_device(const uint8_t mac[6]);

/* An IPv4 address a device can own: not 0/8, not 127/8, not multicast or
 * broadcast (224/4 and up). */
int caps_ip4_is_unicast(const uint8_t ip[4]);

/* An IPv6 address a device can own: not ::, not ::1, not multicast ff00::/8. */
int caps_ip6_is_unicast(const uint8_t ip[16]);

/* The asset for mac (created if new, the caller has checked
 * caps_mac_is_device), marked as seen by proto at ts_us. A new asset gets its
 * IEEE vendor as evidence. */
struct caps_asset *caps_ingest_asset(struct caps_sensor *s, const uint8_t mac[6],
                                     uint64_t ts_us, int proto);

/* The frame's source MAC as an asset (see caps_ingest_asset); NULL when the
 * source MAC cannot be a device. Adds the frame's source IP when it is a
 * unicast address. */
struct caps_asset *caps_ingest_source(struct caps_sensor *s, const struct caps_frame *f,
                                      uint64_t ts_us, int proto);

/* Offers one evidence value to the fingerprint database (nothing happens
 * without one). value is NUL-terminated; longer than CAPS_EV_VALUE_MAX - 1
 * bytes is cut. */
void caps_ingest_evidence(struct caps_sensor *s, struct caps_asset *a, int kind,
                          const char *value, int proto);

/* Evidence of the sender's initial IP TTL: the stack's default (32, 64, 128
 * or 255) is the smallest of those at or above the TTL seen, since the frames
 * taken for it (DHCP, NetBIOS) never cross a router. */
void caps_ingest_ttl_evidence(struct caps_sensor *s, struct caps_asset *a,
                              const struct caps_frame *f, int proto);

#endif
