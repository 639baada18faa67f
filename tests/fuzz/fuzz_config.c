/* fuzz_config.c - the configuration reader (codec/config.h) on arbitrary
 * text: it must return 0 or -1, never crash, and on success hold a
 * configuration within every documented bound; the printed form must parse
 * back. */
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "codec/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct caps_config cfg, again;
    char err[CODEC_ERRMSG_MAX];

    int rc = codec_config_parse((const char *)data, size, "fuzz.json", &cfg, err);
    assert(rc == 0 || rc == -1);
    if (rc != 0) {
        assert(memchr(err, '\0', sizeof err) != NULL && err[0] != '\0');
        return 0;
    }
    assert(cfg.upload_interval_min >= CAPS_UPLOAD_INTERVAL_MIN_MIN &&
           cfg.upload_interval_min <= CAPS_UPLOAD_INTERVAL_MIN_MAX);
    assert(cfg.min_peers >= CAPS_MIN_PEERS_MIN && cfg.min_peers <= CAPS_MIN_PEERS_MAX);
    assert(cfg.domain_count >= 1 && cfg.domain_count <= CAPS_DOMAINS_MAX);
    assert(cfg.include_count <= CAPS_RANGES_MAX && cfg.exclude_count <= CAPS_RANGES_MAX);
    for (unsigned i = 0; i < cfg.include_count; i++)
        assert(cfg.include[i].first <= cfg.include[i].last);
    for (unsigned i = 0; i < cfg.domain_count; i++)
        assert(cfg.domains[i].include_first + cfg.domains[i].include_count <= cfg.include_count);
    char *text = codec_config_print(&cfg);
    assert(text != NULL);
    rc = codec_config_parse(text, strlen(text), "printed", &again, err);
    assert(rc == 0);
    assert(memcmp(&cfg, &again, sizeof cfg) == 0);
    free(text);
    return 0;
}
