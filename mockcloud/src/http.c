/* http.c - the mock cloud's HTTP front over libmicrohttpd (cloud/http.h).
 *
 * The listening socket is made here (so a bind failure says why, and port 0
 * can be read back), then handed to one MHD internal polling thread: requests
 * are served one at a time, so the service never sees two threads. A body is
 * collected into a buffer that doubles up to CLOUD_UPLOAD_BYTES_MAX; beyond
 * that the rest is read and dropped and the answer is 413.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#include "cloud/http.h"
#include "cloud_int.h"

/* Connections open at once (the rest wait in the kernel's backlog), seconds
 * an idle connection is kept, and the listen backlog. */
#define HTTP_CONNECTIONS_MAX 64u
#define HTTP_IDLE_S 30u
#define HTTP_BACKLOG 16
/* First body buffer; it doubles from there up to the limit. */
#define HTTP_BODY_START_BYTES (16u << 10)
/* Per-connection buffer of libmicrohttpd (default 32 KiB): a larger one moves a
 * payload of a megabyte or more in fewer passes of the polling loop. */
#define HTTP_CONNECTION_POOL_BYTES ((size_t)1u << 20)

struct cloud_http {
    struct cloud *cloud;
    struct MHD_Daemon *daemon;
    uint16_t port;
};

struct http_req {
    uint8_t *body;
    size_t len;
    size_t cap;
    int too_large;
};

static enum MHD_Result send_json(struct MHD_Connection *con, int status, const char *body,
                                 const char *allow)
{
    struct MHD_Response *r = MHD_create_response_from_buffer(strlen(body), (void *)(uintptr_t)body,
                                                             MHD_RESPMEM_MUST_COPY);
    if (r == NULL)
        return MHD_NO;
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, "application/json");
    if (allow != NULL)
        MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, allow);
    enum MHD_Result rc = MHD_queue_response(con, (unsigned int)status, r);
    MHD_destroy_response(r);
    return rc;
}

static enum MHD_Result send_too_large(struct MHD_Connection *con, const char *method,
                                      const char *url, const char *how)
{
    char msg[CLOUD_ERRMSG_MAX];
    struct cloud_response resp = {0, NULL, NULL};

    snprintf(msg, sizeof msg, "%s %.200s: body %s exceeds %u bytes", method, url, how,
             CLOUD_UPLOAD_BYTES_MAX);
    cloud_reply_error(&resp, 413, "too_large", "%s", msg);
    enum MHD_Result rc = send_json(con, resp.status, resp.body, NULL);
    cloud_response_free(&resp);
    return rc;
}

static void body_append(struct http_req *r, const char *data, size_t n)
{
    if (r->too_large)
        return;
    if (n > CLOUD_UPLOAD_BYTES_MAX - r->len) {
        r->too_large = 1;                /* read on, keep nothing, answer 413 */
        free(r->body);
        r->body = NULL;
        r->len = r->cap = 0;
        return;
    }
    if (r->len + n > r->cap) {
        size_t cap = r->cap != 0 ? r->cap : HTTP_BODY_START_BYTES;
        while (cap < r->len + n)
            cap = cap * 2 < CLOUD_UPLOAD_BYTES_MAX ? cap * 2 : CLOUD_UPLOAD_BYTES_MAX;
        uint8_t *nbody = realloc(r->body, cap);
        if (nbody == NULL) {
            r->too_large = 1;            /* no memory for it: as good as too large */
            free(r->body);
            r->body = NULL;
            r->len = r->cap = 0;
            return;
        }
        r->body = nbody;
        r->cap = cap;
    }
    memcpy(r->body + r->len, data, n);
    r->len += n;
}

static uint64_t wall_now_us(void)
{
    struct timespec ts;

    if (clock_gettime(CLOCK_REALTIME, &ts) != 0)
        return 0;
    return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *con, const char *url,
                                  const char *method, const char *version,
                                  const char *upload_data, size_t *upload_data_size,
                                  void **req_cls)
{
    struct cloud_http *h = cls;
    struct http_req *r = *req_cls;

    (void)version;
    if (r == NULL) {
        r = calloc(1, sizeof *r);
        if (r == NULL)
            return MHD_NO;
        *req_cls = r;
        /* Refuse a declared oversize body before reading it (and before a
         * client waiting on "Expect: 100-continue" sends it). */
        const char *cl = MHD_lookup_connection_value(con, MHD_HEADER_KIND,
                                                     MHD_HTTP_HEADER_CONTENT_LENGTH);
        if (cl != NULL) {
            char *end;
            errno = 0;
            unsigned long long n = strtoull(cl, &end, 10);
            if (end != cl && *end == '\0' && (errno == ERANGE || n > CLOUD_UPLOAD_BYTES_MAX)) {
                r->too_large = 1;
                return send_too_large(con, method, url, "(Content-Length)");
            }
        }
        return MHD_YES;
    }
    if (*upload_data_size > 0) {
        body_append(r, upload_data, *upload_data_size);
        *upload_data_size = 0;
        return MHD_YES;
    }
    if (r->too_large)
        return send_too_large(con, method, url, "(as sent)");
    struct cloud_request req = {
        .method = method,
        .path = url,
        .q = MHD_lookup_connection_value(con, MHD_GET_ARGUMENT_KIND, "q"),
        .authorization = MHD_lookup_connection_value(con, MHD_HEADER_KIND,
                                                     MHD_HTTP_HEADER_AUTHORIZATION),
        .content_encoding = MHD_lookup_connection_value(con, MHD_HEADER_KIND,
                                                        MHD_HTTP_HEADER_CONTENT_ENCODING),
        .body = r->body,
        .body_bytes = r->len,
        .now_us = wall_now_us(),
    };
    struct cloud_response resp;
    cloud_handle(h->cloud, &req, &resp);
    enum MHD_Result rc = send_json(con, resp.status, resp.body, resp.allow);
    cloud_response_free(&resp);
    return rc;
}

static void on_completed(void *cls, struct MHD_Connection *con, void **req_cls,
                         enum MHD_RequestTerminationCode toe)
{
    struct http_req *r = *req_cls;

    (void)cls;
    (void)con;
    (void)toe;
    if (r != NULL) {
        free(r->body);
        free(r);
        *req_cls = NULL;
    }
}

/* A bound, listening socket on addr:port; -1 with err. */
static int listen_socket(const char *addr, uint16_t port, int *is_v6, uint16_t *bound_port,
                         char err[CLOUD_ERRMSG_MAX])
{
    struct sockaddr_storage ss;
    socklen_t ss_len;
    int one = 1;

    memset(&ss, 0, sizeof ss);
    struct sockaddr_in *v4 = (struct sockaddr_in *)&ss;
    struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)&ss;
    if (inet_pton(AF_INET, addr, &v4->sin_addr) == 1) {
        v4->sin_family = AF_INET;
        v4->sin_port = htons(port);
        ss_len = sizeof *v4;
        *is_v6 = 0;
    } else if (inet_pton(AF_INET6, addr, &v6->sin6_addr) == 1) {
        v6->sin6_family = AF_INET6;
        v6->sin6_port = htons(port);
        ss_len = sizeof *v6;
        *is_v6 = 1;
    } else {
        snprintf(err, CLOUD_ERRMSG_MAX, "%s: not an IPv4 or IPv6 address", addr);
        return -1;
    }
    int fd = socket(ss.ss_family, SOCK_STREAM, 0);
    if (fd < 0) {
        snprintf(err, CLOUD_ERRMSG_MAX, "%s: socket: %s", addr, strerror(errno));
        return -1;
    }
    (void)fcntl(fd, F_SETFD, FD_CLOEXEC);
    /* A restart may bind the port of connections still in TIME_WAIT. */
    (void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (*is_v6)
        (void)setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
    if (bind(fd, (struct sockaddr *)&ss, ss_len) != 0 || listen(fd, HTTP_BACKLOG) != 0) {
        snprintf(err, CLOUD_ERRMSG_MAX, "%s:%u: %s", addr, (unsigned)port, strerror(errno));
        close(fd);
        return -1;
    }
    ss_len = sizeof ss;
    if (getsockname(fd, (struct sockaddr *)&ss, &ss_len) != 0) {
        snprintf(err, CLOUD_ERRMSG_MAX, "%s: getsockname: %s", addr, strerror(errno));
        close(fd);
        return -1;
    }
    *bound_port = ntohs(*is_v6 ? v6->sin6_port : v4->sin_port);
    return fd;
}

struct cloud_http *cloud_http_start(struct cloud *c, const char *addr, uint16_t port,
                                    char err[CLOUD_ERRMSG_MAX])
{
    int is_v6 = 0;

    err[0] = '\0';
    struct cloud_http *h = calloc(1, sizeof *h);
    if (h == NULL) {
        snprintf(err, CLOUD_ERRMSG_MAX, "%s: out of memory", addr);
        return NULL;
    }
    h->cloud = c;
    int fd = listen_socket(addr, port, &is_v6, &h->port, err);
    if (fd < 0) {
        free(h);
        return NULL;
    }
    unsigned int flags = MHD_USE_INTERNAL_POLLING_THREAD | (is_v6 ? MHD_USE_IPv6 : 0u);
    h->daemon = MHD_start_daemon(flags, h->port, NULL, NULL, on_request, h,
                                 MHD_OPTION_LISTEN_SOCKET, (MHD_socket)fd,
                                 MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
                                 MHD_OPTION_CONNECTION_LIMIT, HTTP_CONNECTIONS_MAX,
                                 MHD_OPTION_CONNECTION_TIMEOUT, HTTP_IDLE_S,
                                 MHD_OPTION_CONNECTION_MEMORY_LIMIT, HTTP_CONNECTION_POOL_BYTES,
                                 MHD_OPTION_END);
    if (h->daemon == NULL) {
        snprintf(err, CLOUD_ERRMSG_MAX, "%s:%u: libmicrohttpd could not start", addr,
                 (unsigned)h->port);
        close(fd);
        free(h);
        return NULL;
    }
    return h;
}

uint16_t cloud_http_port(const struct cloud_http *h)
{
    return h->port;
}

void cloud_http_stop(struct cloud_http *h)
{
    if (h == NULL)
        return;
    MHD_stop_daemon(h->daemon);      /* joins the thread and closes the socket */
    free(h);
}
