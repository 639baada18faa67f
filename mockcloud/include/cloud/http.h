/* cloud/http.h - the mock cloud over HTTP (libmicrohttpd), for the live
 * sensor, curl and the end-to-end tests.
 *
 * One internal polling thread serves every connection, one request at a time,
 * so the service (cloud/service.h), which is not thread-safe, is only ever
 * called from that thread. Each request's body is collected up to
 * CLOUD_UPLOAD_BYTES_MAX (413 at once when Content-Length says more; 413
 * after reading when a body without one runs over); the path, the decoded
 * "q" parameter, Authorization and Content-Encoding go to cloud_handle with
 * the wall clock as now_us; the answer carries Content-Type: application/json.
 */
#ifndef CLOUD_HTTP_H
#define CLOUD_HTTP_H

#include <stdint.h>

#include "cloud/service.h"

struct cloud_http;

/* Listens on addr ("127.0.0.1", "::1" or another literal address: no name is
 * resolved, and only that address is bound) and port (0: a free port, see
 * cloud_http_port) and serves c, which stays the caller's and must outlive
 * the server. Returns the server, or NULL with err naming the address. */
struct cloud_http *cloud_http_start(struct cloud *c, const char *addr, uint16_t port,
                                    char err[CLOUD_ERRMSG_MAX]);

/* The port the server listens on (the one picked when 0 was asked). */
uint16_t cloud_http_port(const struct cloud_http *h);

/* Stops serving (finishing the request in progress), closes the socket and
 * frees h. NULL is a no-op. */
void cloud_http_stop(struct cloud_http *h);

#endif
