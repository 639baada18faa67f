/* cloud.c - "caps cloud": the mock cloud as an HTTP server over a SQLite file.
 *
 * Opens (or creates) the database, optionally accepts an activation key and
 * stores a default configuration when none exists, listens on the one given
 * address, says so on stderr in one line that scripts read the port from,
 * and serves until SIGTERM or SIGINT, after which it stops cleanly (the
 * request in progress finishes, the database is closed) and exits 0.
 */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <errno.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <openssl/rand.h>

#include "caps/config.h"
#include "cli.h"
#include "cloud/http.h"
#include "cloud/service.h"
#include "codec/config.h"

#define CLOUD_DOMAIN_DEFAULT "example.internal"

static const char cloud_usage[] =
    "usage: caps cloud --db FILE --listen ADDR:PORT [--activation-key KEY] [--domain NAME]\n"
    "                  [--admin-token-file FILE]\n"
    "\n"
    "Runs the mock cloud (docs/cloud.md): the API under /api/v1/ over HTTP, the\n"
    "data in a SQLite file. Stops cleanly on SIGTERM or SIGINT.\n"
    "\n"
    "  --db FILE             SQLite database, created when missing\n"
    "  --listen ADDR:PORT    literal address and port to bind, e.g. 127.0.0.1:8080 or\n"
    "                        [::1]:8080; port 0 picks a free one. Once ready, one line\n"
    "                        'caps cloud: listening on http://ADDR:PORT' goes to stderr\n"
    "  --activation-key KEY  accept KEY for activation and, when the database holds no\n"
    "                        CAPS configuration yet, store a default one (one domain,\n"
    "                        default interval and peers) so a demo needs no set-up\n"
    "  --domain NAME         the default configuration's domain (with\n"
    "                        --activation-key; default " CLOUD_DOMAIN_DEFAULT ")\n"
    "  --admin-token-file FILE  the first line of FILE (16..255 printable characters)\n"
    "                        is the admin token: PUT /api/v1/caps/config then needs\n"
    "                        'Authorization: Bearer TOKEN'; without it the\n"
    "                        configuration is open (a mock on loopback)\n"
    "  -h, --help            this help\n"
    "\n"
    "exit: 0 stopped by a signal, 1 failure (database, address), 2 usage error\n";

static void rand_fill(void *ctx, uint8_t *out, size_t n)
{
    (void)ctx;
    /* Only ids and tokens (at most 32 bytes) are drawn. A failing CSPRNG
     * must not hand out guessable tokens: stop instead. */
    if (n > 0x7fffffffu || RAND_bytes(out, (int)n) != 1) {
        fputs("caps cloud: OpenSSL RAND_bytes failed: no random bytes for tokens\n", stderr);
        abort();
    }
}

/* "ADDR:PORT" or "[ADDR]:PORT" into addr and port. 0 or -1. */
static int parse_listen(const char *text, char *addr, size_t addr_bytes, uint16_t *port)
{
    const char *colon, *host = text;
    size_t host_len;

    if (text[0] == '[') {
        const char *close = strchr(text, ']');
        if (close == NULL || close[1] != ':')
            return -1;
        host = text + 1;
        host_len = (size_t)(close - host);
        colon = close + 1;
    } else {
        colon = strrchr(text, ':');
        if (colon == NULL)
            return -1;
        host_len = (size_t)(colon - text);
    }
    if (host_len == 0 || host_len >= addr_bytes)
        return -1;
    memcpy(addr, host, host_len);
    addr[host_len] = '\0';
    const char *p = colon + 1;
    char *end;
    unsigned long v = strtoul(p, &end, 10);
    if (*p < '0' || *p > '9' || *end != '\0' || v > 65535)
        return -1;
    *port = (uint16_t)v;
    return 0;
}

/* Checks the domain as the configuration reader would; 0, or -1 printed. */
static int domain_check(const char *domain)
{
    char err[CODEC_ERRMSG_MAX];
    struct caps_config *cfg = malloc(sizeof *cfg);
    cJSON *doc = cJSON_CreateObject();
    cJSON *d = cJSON_CreateObject();
    cJSON_AddStringToObject(d, "name", domain);
    cJSON_AddItemToArray(cJSON_AddArrayToObject(doc, "domains"), d);
    char *text = cJSON_PrintUnformatted(doc);
    cJSON_Delete(doc);
    int rc = -1;
    if (cfg == NULL || text == NULL)
        fputs("caps cloud: out of memory\n", stderr);
    else if (codec_config_parse(text, strlen(text), "--domain", cfg, err) != 0) {
        /* The place in the generated document means nothing to the user:
         * keep the codec's rule, name the option and its value. */
        const char *rule = strstr(err, ": ");
        fprintf(stderr, "caps cloud: --domain '%s': %s\n", domain, rule != NULL ? rule + 2 : err);
    }
    else
        rc = 0;
    free(text);
    free(cfg);
    return rc;
}

/* The admin token: the first line of path, without its line end. 0, or -1
 * with the reason printed (the token itself never is). */
static int admin_token_read(const char *path, char token[CLOUD_ADMIN_TOKEN_MAX])
{
    FILE *f = fopen(path, "r");
    if (f == NULL) {
        fprintf(stderr, "caps cloud: --admin-token-file %s: %s\n", path, strerror(errno));
        return -1;
    }
    char *line = fgets(token, CLOUD_ADMIN_TOKEN_MAX, f);
    fclose(f);
    if (line == NULL) {
        fprintf(stderr, "caps cloud: --admin-token-file %s: empty file\n", path);
        return -1;
    }
    token[strcspn(token, "\r\n")] = '\0';
    size_t n = strlen(token);
    for (size_t i = 0; i < n; i++)
        if (token[i] <= 0x20 || token[i] >= 0x7f)
            n = 0;
    if (n < 16 || n >= CLOUD_ADMIN_TOKEN_MAX - 1) {
        fprintf(stderr, "caps cloud: --admin-token-file %s: the first line must be 16..255 "
                        "printable characters without spaces\n", path);
        return -1;
    }
    return 0;
}

static int usage_error(const char *msg, const char *arg)
{
    fprintf(stderr, "caps cloud: %s%s%s\n\n%s", msg, arg != NULL ? " " : "",
            arg != NULL ? arg : "", cloud_usage);
    return CLI_USAGE;
}

int cli_cloud(int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},
        {"listen", required_argument, NULL, 'l'},
        {"activation-key", required_argument, NULL, 'k'},
        {"domain", required_argument, NULL, 'D'},
        {"admin-token-file", required_argument, NULL, 'A'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *db = NULL, *listen = NULL, *key = NULL, *domain = NULL, *admin = NULL;
    char admin_token[CLOUD_ADMIN_TOKEN_MAX] = "";
    char addr[64], err[CLOUD_ERRMSG_MAX];
    uint16_t port = 0;
    int c;

    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'd': db = optarg; break;
        case 'l': listen = optarg; break;
        case 'k': key = optarg; break;
        case 'D': domain = optarg; break;
        case 'A': admin = optarg; break;
        case 'h': fputs(cloud_usage, stdout); return CLI_OK;
        default:
            return usage_error("unknown option or missing value:",
                               argv[optind - 1 < argc ? optind - 1 : argc - 1]);
        }
    }
    if (optind < argc)
        return usage_error("unexpected argument", argv[optind]);
    if (db == NULL)
        return usage_error("--db FILE is required", NULL);
    if (listen == NULL)
        return usage_error("--listen ADDR:PORT is required", NULL);
    if (parse_listen(listen, addr, sizeof addr, &port) != 0)
        return usage_error("--listen must be ADDR:PORT (port 0..65535), got", listen);
    if (key != NULL && (key[0] == '\0' || strlen(key) > 256))
        return usage_error("--activation-key must be 1..256 characters", NULL);
    if (domain != NULL && key == NULL)
        return usage_error("--domain goes with --activation-key", NULL);
    if (key != NULL && domain_check(domain != NULL ? domain : CLOUD_DOMAIN_DEFAULT) != 0)
        return CLI_USAGE;

    if (admin != NULL && admin_token_read(admin, admin_token) != 0)
        return CLI_USAGE;

    const struct cloud_rng rng = {NULL, rand_fill};
    struct cloud *cloud = cloud_open(db, &rng, err);
    if (cloud == NULL) {
        fprintf(stderr, "caps cloud: %s\n", err);
        return CLI_FAIL;
    }
    if (admin != NULL && cloud_admin_token_set(cloud, admin_token) != 0) {
        fprintf(stderr, "caps cloud: --admin-token-file %s: token refused\n", admin);
        cloud_close(cloud);
        return CLI_USAGE;
    }
    if (key != NULL &&
        (cloud_activation_key_add(cloud, key) != 0 ||
         cloud_config_ensure_default(cloud, domain != NULL ? domain : CLOUD_DOMAIN_DEFAULT) != 0)) {
        fprintf(stderr, "caps cloud: %s: cannot store the activation key or the default "
                        "configuration\n", db);
        cloud_close(cloud);
        return CLI_FAIL;
    }

    /* SIGTERM and SIGINT are blocked before the server thread starts (it
     * inherits the mask) and taken here by sigwait: no handler runs, and the
     * stop happens on this thread in order. */
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGTERM);
    sigaddset(&stop, SIGINT);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    signal(SIGPIPE, SIG_IGN);
    struct cloud_http *http = cloud_http_start(cloud, addr, port, err);
    if (http == NULL) {
        fprintf(stderr, "caps cloud: %s\n", err);
        cloud_close(cloud);
        return CLI_FAIL;
    }
    int v6 = strchr(addr, ':') != NULL;
    fprintf(stderr, "caps cloud: listening on http://%s%s%s:%u\n", v6 ? "[" : "", addr,
            v6 ? "]" : "", (unsigned)cloud_http_port(http));
    fflush(stderr);
    int sig = 0;
    if (sigwait(&stop, &sig) != 0)
        sig = SIGTERM;                   /* only EINVAL, which this fixed set never is */
    fprintf(stderr, "caps cloud: %s: stopping\n", sig == SIGINT ? "SIGINT" : "SIGTERM");
    cloud_http_stop(http);
    cloud_close(cloud);
    return CLI_OK;
}
