/* sensor/electsock.h - the election's UDP multicast socket (IPv4 or IPv6).
 *
 * IPv4 (the interface has an IPv4 address): bound to 0.0.0.0:port, member of
 * the group on the interface's IPv4 address, multicast TTL 1. IPv6 (it has
 * none, only a link-local fe80::/10 address): bound to [::]:port, v6 only,
 * member of the group on the interface index, hop limit 1. Both: link scope,
 * loopback off (the core drops its own adverts anyway), non-blocking, one
 * send/receive API. Adverts reach the core only through this socket, never
 * through the capture.
 */
#ifndef SENSOR_ELECTSOCK_H
#define SENSOR_ELECTSOCK_H

#include <stddef.h>
#include <stdint.h>

#include <netinet/in.h>

#define SENSOR_ELECTSOCK_ERRMSG_MAX 512

struct sensor_electsock {
    int fd;                       /* -1 when closed */
    int family;                   /* AF_INET or AF_INET6 once open, else 0 */
    struct sockaddr_in group;     /* AF_INET: destination of every advert */
    struct sockaddr_in6 group6;   /* AF_INET6: destination, scope id = ifindex */
    uint64_t sent;
    uint64_t send_errors;
    uint64_t received;
    int last_errno;               /* of the last failed send */
};

/* Opens the socket. group: dotted quad of an IPv4 multicast group; port
 * 1..65535; ifaddr: the interface's IPv4 address (network order bytes).
 * Returns 0, or -1 with err naming the group, port or call that failed. */
int sensor_electsock_open(struct sensor_electsock *es, const char *group, uint16_t port,
                          const uint8_t ifaddr[4], char err[SENSOR_ELECTSOCK_ERRMSG_MAX]);

/* Opens the IPv6 socket. group: an IPv6 multicast address (ff00::/8, e.g.
 * CAPS_ELECTION_GROUP_V6); port 1..65535; ifindex: the interface's index
 * (nonzero). Returns 0, or -1 with err naming the group, port or call that
 * failed. */
int sensor_electsock_open6(struct sensor_electsock *es, const char *group, uint16_t port,
                           unsigned ifindex, char err[SENSOR_ELECTSOCK_ERRMSG_MAX]);

/* The family of a multicast group text: 4 for an IPv4 multicast address
 * (224.0.0.0/4), 6 for an IPv6 one (ff00::/8), 0 for anything else (NULL
 * included). */
int sensor_electsock_group_family(const char *group);

/* Sends one advert to the group. Returns 0 or -1 (counted, errno kept). */
int sensor_electsock_send(struct sensor_electsock *es, const uint8_t *payload, size_t len);

/* Reads one waiting datagram into buf. Returns its length (cut to cap), 0
 * when none waits (or it was empty), or -1 on a socket error. */
long sensor_electsock_recv(struct sensor_electsock *es, uint8_t *buf, size_t cap);

void sensor_electsock_close(struct sensor_electsock *es);

#endif
