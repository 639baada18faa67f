/* sensor/electsock.h - the election's UDP multicast socket (IPv4).
 *
 * Bound to 0.0.0.0:port, member of group on the interface's IPv4 address,
 * multicast TTL 1 (link-local scope, as the advert says), loopback off (the
 * core drops its own adverts anyway), non-blocking. Adverts reach the core
 * only through this socket, never through the capture.
 */
#ifndef SENSOR_ELECTSOCK_H
#define SENSOR_ELECTSOCK_H

#include <stddef.h>
#include <stdint.h>

#include <netinet/in.h>

#define SENSOR_ELECTSOCK_ERRMSG_MAX 512

struct sensor_electsock {
    int fd;                       /* -1 when closed */
    struct sockaddr_in group;     /* destination of every advert */
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

/* Sends one advert to the group. Returns 0 or -1 (counted, errno kept). */
int sensor_electsock_send(struct sensor_electsock *es, const uint8_t *payload, size_t len);

/* Reads one waiting datagram into buf. Returns its length (cut to cap), 0
 * when none waits (or it was empty), or -1 on a socket error. */
long sensor_electsock_recv(struct sensor_electsock *es, uint8_t *buf, size_t cap);

void sensor_electsock_close(struct sensor_electsock *es);

#endif
