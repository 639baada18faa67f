/* scope.c - on/off premises and the scope status of an asset (caps/scope.h).
 *
 * Domain matching is equality of the whole suffix, ASCII case-insensitive,
 * one trailing dot ignored on either side: "eu.corp.example.com" is not on
 * the premises of "corp.example.com" (the reference product's exact match).
 * Every loop is bounded by a table limit of caps/config.h. libc only.
 */
#include <assert.h>
#include <stddef.h>
#include <string.h>

#include "caps/scope.h"

static unsigned char ascii_lower(unsigned char c)
{
    return c >= 'A' && c <= 'Z' ? (unsigned char)(c - 'A' + 'a') : c;
}

/* Length of name without one trailing dot, at most max. */
static size_t name_len(const char *name, size_t max)
{
    size_t n = 0;
    while (n < max && name[n] != '\0')
        n++;
    if (n > 0 && name[n - 1] == '.')
        n--;
    return n;
}

static int names_equal(const char *a, size_t a_len, const char *b, size_t b_len)
{
    if (a_len != b_len)
        return 0;
    for (size_t i = 0; i < a_len; i++)
        if (ascii_lower((unsigned char)a[i]) != ascii_lower((unsigned char)b[i]))
            return 0;
    return 1;
}

int caps_scope_domain_match(const struct caps_config *cfg, const char *dns_suffix)
{
    assert(cfg != NULL);
    if (dns_suffix == NULL)
        return -1;
    /* A suffix longer than any name we store cannot match; bound the scan. */
    size_t len = name_len(dns_suffix, CAPS_DOMAIN_NAME_MAX + 1);
    if (len == 0)
        return -1;                       /* "" or ".": no suffix */
    unsigned count = cfg->domain_count < CAPS_DOMAINS_MAX ? cfg->domain_count
                                                          : CAPS_DOMAINS_MAX;
    for (unsigned i = 0; i < count; i++) {
        const char *name = cfg->domains[i].name;
        size_t n = name_len(name, CAPS_DOMAIN_NAME_MAX);
        if (n > 0 && names_equal(dns_suffix, len, name, n))
            return (int)i;
    }
    return -1;
}

int caps_scope_on_premises(const struct caps_config *cfg, const char *dns_suffix)
{
    assert(cfg != NULL);
    if (cfg->domain_count == 0)
        return 1;                        /* unconfigured: on premises */
    return caps_scope_domain_match(cfg, dns_suffix) >= 0;
}

/* An address in wire order as a host-order integer (caps/config.h ranges). */
static uint32_t ip4_host(const uint8_t ip[4])
{
    return (uint32_t)ip[0] << 24 | (uint32_t)ip[1] << 16 | (uint32_t)ip[2] << 8 | ip[3];
}

/* 1 when any current address of a lies in ranges[first, first + count):
 * an address the device has moved away from no longer decides its scope. */
static int any_ip_in(const struct caps_asset *a, unsigned ips,
                     const struct caps_ip4_range *ranges, unsigned first, unsigned count)
{
    for (unsigned i = 0; i < ips; i++) {
        if (!caps_asset_ip4_current(a, i))
            continue;
        uint32_t ip = ip4_host(a->ip4[i]);
        for (unsigned r = first; r < first + count; r++)
            if (ip >= ranges[r].first && ip <= ranges[r].last)
                return 1;
    }
    return 0;
}

enum caps_scope_status caps_scope_status(const struct caps_config *cfg, int domain,
                                         const struct caps_asset *a)
{
    assert(cfg != NULL && a != NULL);
    assert(domain >= -1 && domain < (int)cfg->domain_count);
    unsigned ips = a->ip4_count < CAPS_ASSET_IP4_MAX ? a->ip4_count : CAPS_ASSET_IP4_MAX;

    unsigned macs = cfg->exclude_mac_count < CAPS_EXCLUDE_MACS_MAX ? cfg->exclude_mac_count
                                                                   : CAPS_EXCLUDE_MACS_MAX;
    for (unsigned i = 0; i < macs; i++)
        if (memcmp(cfg->exclude_macs[i], a->mac, 6) == 0)
            return CAPS_SCOPE_EXCLUDED;
    unsigned excludes = cfg->exclude_count < CAPS_RANGES_MAX ? cfg->exclude_count
                                                             : CAPS_RANGES_MAX;
    if (any_ip_in(a, ips, cfg->exclude, 0, excludes))
        return CAPS_SCOPE_EXCLUDED;

    if (domain < 0 || domain >= (int)cfg->domain_count || domain >= CAPS_DOMAINS_MAX)
        return CAPS_SCOPE_IN;            /* no domain: include lists ignored */
    const struct caps_domain *d = &cfg->domains[domain];
    if (d->include_count == 0)
        return CAPS_SCOPE_IN;
    /* Clamp a hand-filled table to what exists (the codec never overflows it). */
    unsigned first = d->include_first, count = d->include_count;
    unsigned includes = cfg->include_count < CAPS_RANGES_MAX ? cfg->include_count
                                                             : CAPS_RANGES_MAX;
    assert(first + count <= includes);
    if (first >= includes)
        count = 0;
    else if (count > includes - first)
        count = includes - first;
    return any_ip_in(a, ips, cfg->include, first, count) ? CAPS_SCOPE_IN : CAPS_SCOPE_OUT;
}

const char *caps_scope_status_name(enum caps_scope_status st)
{
    switch (st) {
    case CAPS_SCOPE_IN:
        return "in_scope";
    case CAPS_SCOPE_EXCLUDED:
        return "excluded";
    case CAPS_SCOPE_OUT:
        return "out_of_scope";
    default:
        return "unknown";
    }
}
