/* sample.h - tables of real packet bytes shared by tests and fuzz corpora.
 *
 * A sample is the payload a decoder parses (the UDP payload for DHCP, NBNS,
 * NBDS, SSDP and mDNS; the ARP body for ARP; the whole frame for the link
 * decoder), with a name that says which device or RFC it comes from.
 */
#ifndef CAPS_TEST_SAMPLE_H
#define CAPS_TEST_SAMPLE_H

#include <stddef.h>
#include <stdint.h>

struct caps_sample {
    const char *name;      /* e.g. "windows10_discover"; unique in its set */
    const uint8_t *bytes;
    size_t len;
};

struct caps_sample_set {
    const char *decoder;   /* "dhcp", "dns", ... names the fuzz target */
    const struct caps_sample *samples;
    size_t count;
};

#define CAPS_SAMPLE(name_, arr_) {name_, arr_, sizeof(arr_)}

/* Every set, NULL-terminated (generated from tests/samples/ by CMake). */
extern const struct caps_sample_set *const caps_sample_sets[];

#endif
