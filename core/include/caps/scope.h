/* caps/scope.h - on/off premises and the scope status of an asset.
 *
 * The reference product's rules: a sensor is on premises when its host's
 * connection-specific DNS suffix equals (ASCII case-insensitively, ignoring
 * one trailing dot) one of the configured domains; with no domain configured
 * it is unconfigured and counts as on premises. An asset is excluded when its
 * MAC is excluded or any of its current IPv4 addresses lies in an excluded
 * range (an address it has moved away from no longer counts);
 * otherwise it is in scope when the matching domain has no include list or
 * one of its addresses lies in an include range of that domain, and out of
 * scope when not (an asset with no IPv4 address yet is out of scope when the
 * domain has an include list).
 */
#ifndef CAPS_SCOPE_H
#define CAPS_SCOPE_H

#include <stdint.h>

#include "caps/config.h"
#include "caps/inventory.h"

enum caps_scope_status {
    CAPS_SCOPE_IN = 0,
    CAPS_SCOPE_EXCLUDED = 1,
    CAPS_SCOPE_OUT = 2,
    CAPS_SCOPE_COUNT
};

/* Index of the configured domain that dns_suffix names, -1 when none does.
 * With no domains configured returns -1 as well (see caps_scope_on_premises). */
int caps_scope_domain_match(const struct caps_config *cfg, const char *dns_suffix);

/* 1 when a sensor whose host has this DNS suffix is on premises, else 0.
 * dns_suffix may be NULL or "" (no suffix: off premises unless unconfigured). */
int caps_scope_on_premises(const struct caps_config *cfg, const char *dns_suffix);

/* The status of asset a under domain index domain (from
 * caps_scope_domain_match; -1 means "no domain": include lists ignored). */
enum caps_scope_status caps_scope_status(const struct caps_config *cfg, int domain,
                                         const struct caps_asset *a);

/* Stable names: "in_scope", "excluded", "out_of_scope". */
const char *caps_scope_status_name(enum caps_scope_status st);

#endif
