/* electsock.c - the UDP multicast socket that carries election adverts.
 *
 * One socket, IPv4 or IPv6 (v6 only), both sends and receives. SO_REUSEADDR
 * lets several sensors share a host (tests, a lab); IP(V6)_MULTICAST_ALL off
 * keeps datagrams of other groups joined on the same port out. Every call is
 * non-blocking: the event loop polls the descriptor.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "sensor/electsock.h"

static int electsock_fail(struct sensor_electsock *es, char *err, const char *what,
                          const char *group, uint16_t port)
{
    int v6 = strchr(group, ':') != NULL;
    snprintf(err, SENSOR_ELECTSOCK_ERRMSG_MAX, "election socket %s%s%s:%u: %s: %s",
             v6 ? "[" : "", group, v6 ? "]" : "", (unsigned)port, what, strerror(errno));
    if (es->fd >= 0)
        close(es->fd);
    es->fd = -1;
    return -1;
}

int sensor_electsock_open(struct sensor_electsock *es, const char *group, uint16_t port,
                          const uint8_t ifaddr[4], char err[SENSOR_ELECTSOCK_ERRMSG_MAX])
{
    struct sockaddr_in bind_addr;
    struct ip_mreq mreq;
    struct in_addr ifa;
    int one = 1;
    unsigned char ttl = 1, loop = 0;

    memset(es, 0, sizeof *es);
    es->fd = -1;
    if (port == 0) {
        snprintf(err, SENSOR_ELECTSOCK_ERRMSG_MAX, "election port must be 1..65535, got 0");
        return -1;
    }
    es->group.sin_family = AF_INET;
    es->group.sin_port = htons(port);
    if (inet_pton(AF_INET, group, &es->group.sin_addr) != 1 ||
        !IN_MULTICAST(ntohl(es->group.sin_addr.s_addr))) {
        snprintf(err, SENSOR_ELECTSOCK_ERRMSG_MAX,
                 "election group must be an IPv4 multicast address (224.0.0.0/4), got '%s'",
                 group);
        return -1;
    }
    memcpy(&ifa.s_addr, ifaddr, 4);
    es->fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (es->fd < 0)
        return electsock_fail(es, err, "socket", group, port);
    if (setsockopt(es->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0)
        return electsock_fail(es, err, "SO_REUSEADDR", group, port);
    memset(&bind_addr, 0, sizeof bind_addr);
    bind_addr.sin_family = AF_INET;
    bind_addr.sin_port = htons(port);
    bind_addr.sin_addr.s_addr = htonl(INADDR_ANY);
    if (bind(es->fd, (const struct sockaddr *)&bind_addr, sizeof bind_addr) != 0)
        return electsock_fail(es, err, "bind 0.0.0.0", group, port);
    memset(&mreq, 0, sizeof mreq);
    mreq.imr_multiaddr = es->group.sin_addr;
    mreq.imr_interface = ifa;
    if (setsockopt(es->fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &mreq, sizeof mreq) != 0)
        return electsock_fail(es, err, "join group", group, port);
#ifdef IP_MULTICAST_ALL
    int zero = 0;
    if (setsockopt(es->fd, IPPROTO_IP, IP_MULTICAST_ALL, &zero, sizeof zero) != 0)
        return electsock_fail(es, err, "IP_MULTICAST_ALL", group, port);
#endif
    if (setsockopt(es->fd, IPPROTO_IP, IP_MULTICAST_IF, &ifa, sizeof ifa) != 0)
        return electsock_fail(es, err, "IP_MULTICAST_IF", group, port);
    if (setsockopt(es->fd, IPPROTO_IP, IP_MULTICAST_TTL, &ttl, sizeof ttl) != 0)
        return electsock_fail(es, err, "IP_MULTICAST_TTL", group, port);
    if (setsockopt(es->fd, IPPROTO_IP, IP_MULTICAST_LOOP, &loop, sizeof loop) != 0)
        return electsock_fail(es, err, "IP_MULTICAST_LOOP", group, port);
    es->family = AF_INET;
    return 0;
}

int sensor_electsock_group_family(const char *group)
{
    struct in_addr a4;
    struct in6_addr a6;

    if (group == NULL)
        return 0;
    if (inet_pton(AF_INET, group, &a4) == 1)
        return IN_MULTICAST(ntohl(a4.s_addr)) ? 4 : 0;
    if (inet_pton(AF_INET6, group, &a6) == 1)
        return IN6_IS_ADDR_MULTICAST(&a6) ? 6 : 0;
    return 0;
}

int sensor_electsock_open6(struct sensor_electsock *es, const char *group, uint16_t port,
                           unsigned ifindex, char err[SENSOR_ELECTSOCK_ERRMSG_MAX])
{
    struct sockaddr_in6 bind_addr;
    struct ipv6_mreq mreq;
    int one = 1, hops = 1, loop = 0;

    memset(es, 0, sizeof *es);
    es->fd = -1;
    if (port == 0) {
        snprintf(err, SENSOR_ELECTSOCK_ERRMSG_MAX, "election port must be 1..65535, got 0");
        return -1;
    }
    if (ifindex == 0) {
        snprintf(err, SENSOR_ELECTSOCK_ERRMSG_MAX,
                 "election socket [%s]:%u: interface index must be nonzero", group,
                 (unsigned)port);
        return -1;
    }
    es->group6.sin6_family = AF_INET6;
    es->group6.sin6_port = htons(port);
    es->group6.sin6_scope_id = ifindex;
    if (inet_pton(AF_INET6, group, &es->group6.sin6_addr) != 1 ||
        !IN6_IS_ADDR_MULTICAST(&es->group6.sin6_addr)) {
        snprintf(err, SENSOR_ELECTSOCK_ERRMSG_MAX,
                 "election group must be an IPv6 multicast address (ff00::/8), got '%s'",
                 group);
        return -1;
    }
    es->fd = socket(AF_INET6, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (es->fd < 0)
        return electsock_fail(es, err, "socket", group, port);
    if (setsockopt(es->fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one) != 0)
        return electsock_fail(es, err, "IPV6_V6ONLY", group, port);
    if (setsockopt(es->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0)
        return electsock_fail(es, err, "SO_REUSEADDR", group, port);
    memset(&bind_addr, 0, sizeof bind_addr);
    bind_addr.sin6_family = AF_INET6;
    bind_addr.sin6_port = htons(port);
    bind_addr.sin6_addr = in6addr_any;
    if (bind(es->fd, (const struct sockaddr *)&bind_addr, sizeof bind_addr) != 0)
        return electsock_fail(es, err, "bind [::]", group, port);
    memset(&mreq, 0, sizeof mreq);
    mreq.ipv6mr_multiaddr = es->group6.sin6_addr;
    mreq.ipv6mr_interface = ifindex;
    if (setsockopt(es->fd, IPPROTO_IPV6, IPV6_JOIN_GROUP, &mreq, sizeof mreq) != 0)
        return electsock_fail(es, err, "join group", group, port);
#ifdef IPV6_MULTICAST_ALL
    int zero = 0;
    /* Kernels before 4.20 lack it: their sockets hear every joined group. */
    if (setsockopt(es->fd, IPPROTO_IPV6, IPV6_MULTICAST_ALL, &zero, sizeof zero) != 0 &&
        errno != ENOPROTOOPT)
        return electsock_fail(es, err, "IPV6_MULTICAST_ALL", group, port);
#endif
    if (setsockopt(es->fd, IPPROTO_IPV6, IPV6_MULTICAST_IF, &ifindex, sizeof ifindex) != 0)
        return electsock_fail(es, err, "IPV6_MULTICAST_IF", group, port);
    if (setsockopt(es->fd, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, &hops, sizeof hops) != 0)
        return electsock_fail(es, err, "IPV6_MULTICAST_HOPS", group, port);
    if (setsockopt(es->fd, IPPROTO_IPV6, IPV6_MULTICAST_LOOP, &loop, sizeof loop) != 0)
        return electsock_fail(es, err, "IPV6_MULTICAST_LOOP", group, port);
    es->family = AF_INET6;
    return 0;
}

int sensor_electsock_send(struct sensor_electsock *es, const uint8_t *payload, size_t len)
{
    if (es->fd < 0)
        return -1;
    ssize_t n = es->family == AF_INET6
                    ? sendto(es->fd, payload, len, 0, (const struct sockaddr *)&es->group6,
                             sizeof es->group6)
                    : sendto(es->fd, payload, len, 0, (const struct sockaddr *)&es->group,
                             sizeof es->group);
    if (n < 0 || (size_t)n != len) {
        es->send_errors++;
        es->last_errno = n < 0 ? errno : EMSGSIZE;
        return -1;
    }
    es->sent++;
    return 0;
}

long sensor_electsock_recv(struct sensor_electsock *es, uint8_t *buf, size_t cap)
{
    if (es->fd < 0)
        return -1;
    for (;;) {
        ssize_t n = recv(es->fd, buf, cap, MSG_DONTWAIT);
        if (n >= 0) {
            es->received++;
            /* An empty datagram reads as "none waits": it carries nothing. */
            return (long)n;
        }
        if (errno == EINTR)
            continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK)
            return 0;
        return -1;
    }
}

void sensor_electsock_close(struct sensor_electsock *es)
{
    if (es->fd >= 0)
        close(es->fd);
    es->fd = -1;
}
