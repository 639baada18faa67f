/* hostinfo.c - the sensor host's own addresses, name, DNS suffix and user.
 *
 * Linux: the MAC comes from the AF_PACKET entry of getifaddrs, the IPv6
 * link-local address from its first AF_INET6 entry in fe80::/10. Dropping root
 * follows the classic order (groups, then gid, then uid) and verifies that
 * setuid(0) fails afterwards, so a half-dropped process never runs on.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <grp.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#ifdef __linux__
#include <linux/if_packet.h>
#endif

#include "sensor/hostinfo.h"

#define GROUPS_MAX 256

int sensor_ifinfo_get(const char *iface, struct sensor_ifinfo *info,
                      char err[SENSOR_HOSTINFO_ERRMSG_MAX])
{
    struct ifaddrs *list, *ifa;
    int found = 0;

    memset(info, 0, sizeof *info);
    if (getifaddrs(&list) != 0) {
        snprintf(err, SENSOR_HOSTINFO_ERRMSG_MAX, "%s: getifaddrs: %s", iface, strerror(errno));
        return -1;
    }
    for (ifa = list; ifa != NULL; ifa = ifa->ifa_next) {
        if (ifa->ifa_name == NULL || strcmp(ifa->ifa_name, iface) != 0)
            continue;
        found = 1;
        if (ifa->ifa_addr == NULL)
            continue;
        if (ifa->ifa_addr->sa_family == AF_INET && !info->has_ipv4) {
            const struct sockaddr_in *sin = (const struct sockaddr_in *)(void *)ifa->ifa_addr;
            memcpy(info->ipv4, &sin->sin_addr, 4);
            if (ifa->ifa_netmask != NULL) {
                const struct sockaddr_in *m =
                    (const struct sockaddr_in *)(void *)ifa->ifa_netmask;
                memcpy(info->netmask, &m->sin_addr, 4);
            }
            info->has_ipv4 = 1;
        }
        if (ifa->ifa_addr->sa_family == AF_INET6 && !info->has_ipv6_ll) {
            const struct sockaddr_in6 *sin6 =
                (const struct sockaddr_in6 *)(void *)ifa->ifa_addr;
            const uint8_t *a = sin6->sin6_addr.s6_addr;
            if (a[0] == 0xfe && (a[1] & 0xc0) == 0x80) {
                memcpy(info->ipv6_ll, a, 16);
                info->has_ipv6_ll = 1;
            }
        }
#ifdef __linux__
        if (ifa->ifa_addr->sa_family == AF_PACKET) {
            const struct sockaddr_ll *ll = (const struct sockaddr_ll *)(void *)ifa->ifa_addr;
            if (ll->sll_halen == 6) {
                memcpy(info->mac, ll->sll_addr, 6);
                info->has_mac = 1;
            }
        }
#endif
    }
    freeifaddrs(list);
    info->ifindex = if_nametoindex(iface);
    if (!found && info->ifindex == 0) {
        snprintf(err, SENSOR_HOSTINFO_ERRMSG_MAX, "%s: no such interface", iface);
        return -1;
    }
    if (info->has_ipv4) {
        uint32_t mask = (uint32_t)info->netmask[0] << 24 | (uint32_t)info->netmask[1] << 16 |
                        (uint32_t)info->netmask[2] << 8 | info->netmask[3];
        uint32_t addr = (uint32_t)info->ipv4[0] << 24 | (uint32_t)info->ipv4[1] << 16 |
                        (uint32_t)info->ipv4[2] << 8 | info->ipv4[3];
        unsigned len = 0;
        while (len < 32 && (mask & (0x80000000u >> len)) != 0)
            len++;
        info->prefix_len = len;
        uint32_t net = len == 0 ? 0 : addr & (0xffffffffu << (32 - len));
        snprintf(info->subnet, sizeof info->subnet, "%u.%u.%u.%u/%u", net >> 24,
                 (net >> 16) & 0xff, (net >> 8) & 0xff, net & 0xff, len);
    }
    return 0;
}

size_t sensor_host_macs(char (*out)[18], size_t max)
{
    struct ifaddrs *list, *ifa;
    size_t n = 0;

    if (getifaddrs(&list) != 0)
        return 0;
    for (ifa = list; ifa != NULL && n < max; ifa = ifa->ifa_next) {
#ifdef __linux__
        if (ifa->ifa_addr == NULL || ifa->ifa_addr->sa_family != AF_PACKET ||
            (ifa->ifa_flags & IFF_LOOPBACK) != 0)
            continue;
        const struct sockaddr_ll *ll = (const struct sockaddr_ll *)(void *)ifa->ifa_addr;
        static const uint8_t zero[6];
        if (ll->sll_halen != 6 || memcmp(ll->sll_addr, zero, 6) == 0)
            continue;
        const uint8_t *m = ll->sll_addr;
        snprintf(out[n], 18, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4],
                 m[5]);
        int dup = 0;
        for (size_t i = 0; i < n; i++)
            dup |= strcmp(out[i], out[n]) == 0;
        if (!dup)
            n++;
#else
        (void)ifa;
#endif
    }
    freeifaddrs(list);
    return n;
}

void sensor_hostname_get(char out[SENSOR_HOSTNAME_MAX])
{
    if (gethostname(out, SENSOR_HOSTNAME_MAX) != 0 || out[0] == '\0')
        snprintf(out, SENSOR_HOSTNAME_MAX, "unknown");
    out[SENSOR_HOSTNAME_MAX - 1] = '\0';
}

/* Copies the first whitespace-separated word after p into out, lower case,
 * without a trailing dot. */
static int first_word(const char *p, char *out, size_t cap)
{
    size_t n = 0;

    while (*p == ' ' || *p == '\t')
        p++;
    while (*p != '\0' && !isspace((unsigned char)*p) && n + 1 < cap)
        out[n++] = (char)tolower((unsigned char)*p++);
    while (n > 0 && out[n - 1] == '.')
        n--;
    out[n] = '\0';
    return n > 0 ? 0 : -1;
}

int sensor_dns_suffix_get(const char *resolv_conf, char *out, size_t cap)
{
    char line[1024], search[256] = "";
    FILE *f = fopen(resolv_conf, "r");
    int rc = -1;

    out[0] = '\0';
    if (f == NULL)
        return -1;
    while (fgets(line, sizeof line, f) != NULL) {
        if (strncmp(line, "domain", 6) == 0 && isspace((unsigned char)line[6])) {
            if (first_word(line + 6, out, cap) == 0)
                rc = 0;
        } else if (strncmp(line, "search", 6) == 0 && isspace((unsigned char)line[6]) &&
                   search[0] == '\0') {
            first_word(line + 6, search, sizeof search);
        }
    }
    fclose(f);
    if (rc != 0 && search[0] != '\0' && strlen(search) < cap) {
        memcpy(out, search, strlen(search) + 1);
        rc = 0;
    }
    return rc;
}

int sensor_user_lookup(const char *user, unsigned *uid, unsigned *gid,
                       char err[SENSOR_HOSTINFO_ERRMSG_MAX])
{
    errno = 0;
    struct passwd *pw = getpwnam(user);
    if (pw == NULL) {
        snprintf(err, SENSOR_HOSTINFO_ERRMSG_MAX, "--user: no user '%s'%s%s", user,
                 errno ? ": " : "", errno ? strerror(errno) : "");
        return -1;
    }
    *uid = (unsigned)pw->pw_uid;
    *gid = (unsigned)pw->pw_gid;
    return 0;
}

int sensor_privs_drop(const char *user, char err[SENSOR_HOSTINFO_ERRMSG_MAX])
{
    gid_t groups[GROUPS_MAX];
    int ngroups = GROUPS_MAX;
    unsigned uid, gid;

    if (sensor_user_lookup(user, &uid, &gid, err) != 0)
        return -1;
    if (getgrouplist(user, (gid_t)gid, groups, &ngroups) < 0)
        ngroups = 1, groups[0] = (gid_t)gid;   /* too many groups: the primary one only */
    if (setgroups((size_t)ngroups, groups) != 0) {
        snprintf(err, SENSOR_HOSTINFO_ERRMSG_MAX, "--user %s: setgroups: %s", user,
                 strerror(errno));
        return -1;
    }
    if (setgid((gid_t)gid) != 0) {
        snprintf(err, SENSOR_HOSTINFO_ERRMSG_MAX, "--user %s: setgid(%u): %s", user, gid,
                 strerror(errno));
        return -1;
    }
    if (setuid((uid_t)uid) != 0) {
        snprintf(err, SENSOR_HOSTINFO_ERRMSG_MAX, "--user %s: setuid(%u): %s", user, uid,
                 strerror(errno));
        return -1;
    }
    if (uid != 0 && (setuid(0) == 0 || seteuid(0) == 0)) {
        snprintf(err, SENSOR_HOSTINFO_ERRMSG_MAX, "--user %s: root could be regained", user);
        return -1;
    }
    return 0;
}
