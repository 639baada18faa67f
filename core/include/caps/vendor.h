/* caps/vendor.h - the organization that IEEE assigned a MAC address block to.
 *
 * The tables are generated at build time from Debian's ieee-data registries
 * (MA-L 24-bit, MA-M 28-bit, MA-S and IAB 36-bit prefixes) and compiled in as
 * const data: no files, network or allocation at run time, thread-safe.
 * Lookup picks the longest matching prefix, so an MA-M or MA-S block wins over
 * the 24-bit "IEEE Registration Authority" block it was carved from.
 */
#ifndef CAPS_VENDOR_H
#define CAPS_VENDOR_H

#include <stddef.h>
#include <stdint.h>

/* One registry entry: prefix holds the top `bits` bits of the MAC,
 * right-aligned (00:00:0C as 24 bits is 0x00000C). */
struct caps_vendor_entry {
    uint64_t prefix;
    unsigned bits;          /* 24, 28 or 36 */
    const char *name;       /* static, NUL-terminated, as IEEE writes it */
};

/* The organization of the longest registered prefix of mac, or NULL when no
 * prefix matches or mac is multicast (first octet bit 0x01) or locally
 * administered (bit 0x02): randomized MACs never get a vendor. The returned
 * string is static and never freed. */
const char *caps_vendor_lookup(const uint8_t mac[6]);

/* Number of entries over all prefix lengths. */
size_t caps_vendor_count(void);

/* Entry index (< caps_vendor_count(), asserted) into out. Entries come by
 * prefix length, 24 then 28 then 36 bits, ascending by prefix within each. */
void caps_vendor_entry_get(size_t index, struct caps_vendor_entry *out);

#endif
