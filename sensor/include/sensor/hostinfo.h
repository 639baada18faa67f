/* sensor/hostinfo.h - what the sensor learns about its own host: the
 * interface's MAC, IPv4 address, IPv6 link-local address and index (for
 * activation, the election and the subnet key), the hostname, the DNS suffix, and dropping root.
 */
#ifndef SENSOR_HOSTINFO_H
#define SENSOR_HOSTINFO_H

#include <stddef.h>
#include <stdint.h>

#define SENSOR_HOSTINFO_ERRMSG_MAX 512
#define SENSOR_HOSTNAME_MAX 256
#define SENSOR_SUBNET_MAX 64

struct sensor_ifinfo {
    int has_mac;
    uint8_t mac[6];
    int has_ipv4;
    uint8_t ipv4[4];             /* network order bytes */
    uint8_t netmask[4];
    unsigned prefix_len;         /* 0..32 */
    char subnet[SENSOR_SUBNET_MAX]; /* "192.168.1.0/24", or "" without IPv4 */
    int has_ipv6_ll;
    uint8_t ipv6_ll[16];         /* the first fe80::/10 address getifaddrs lists */
    unsigned ifindex;            /* if_nametoindex, 0 when unknown */
};

/* Fills info for iface (getifaddrs, if_nametoindex). Returns 0, or -1 with
 * err when the interface does not exist. A missing IPv4 address, IPv6
 * link-local address or MAC is not an error (has_ipv4 / has_ipv6_ll /
 * has_mac say). A link-local address still in duplicate address detection
 * (tentative) is listed too. */
int sensor_ifinfo_get(const char *iface, struct sensor_ifinfo *info,
                      char err[SENSOR_HOSTINFO_ERRMSG_MAX]);

/* The MACs of the host's interfaces (loopback and all-zero ones left out),
 * "aa:bb:cc:dd:ee:ff", in the order getifaddrs lists them, at most max.
 * Returns how many were written. */
size_t sensor_host_macs(char (*out)[18], size_t max);

/* The host name (gethostname), "unknown" when it has none. */
void sensor_hostname_get(char out[SENSOR_HOSTNAME_MAX]);

/* The DNS suffix of the host: the "domain" line of resolv_conf, else the
 * first name of its "search" line, lower case, no trailing dot. Returns 0,
 * or -1 (out = "") when there is none. */
int sensor_dns_suffix_get(const char *resolv_conf, char *out, size_t cap);

/* Drops root for user: setgroups to the user's groups, setgid, setuid, and
 * checks that root cannot be regained. Returns 0, or -1 with err naming the
 * user and the call that failed. */
int sensor_privs_drop(const char *user, char err[SENSOR_HOSTINFO_ERRMSG_MAX]);

/* Looks user up: its uid and gid. Returns 0 or -1 with err. */
int sensor_user_lookup(const char *user, unsigned *uid, unsigned *gid,
                       char err[SENSOR_HOSTINFO_ERRMSG_MAX]);

#endif
