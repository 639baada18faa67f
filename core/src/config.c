/* config.c - the default configuration (caps/config.h). Validation of what a
 * user or the cloud supplies lives with the JSON reader in codec/. */
#include <string.h>

#include "caps/config.h"

void caps_config_default(struct caps_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->assets_max = CAPS_ASSETS_MAX_DEFAULT;
    cfg->upload_interval_min = CAPS_UPLOAD_INTERVAL_MIN_DEFAULT;
    cfg->min_peers = CAPS_MIN_PEERS_DEFAULT;
    cfg->stale_after_s = CAPS_STALE_AFTER_S_DEFAULT;
    cfg->expire_after_s = CAPS_EXPIRE_AFTER_S_DEFAULT;
}
