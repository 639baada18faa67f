/* testutil.h - shared helpers of the core Check suites. */
#ifndef CAPS_TESTUTIL_H
#define CAPS_TESTUTIL_H

#include <stddef.h>
#include <stdint.h>
#include <check.h>

#include "sample.h"

typedef Suite *suite_fn(void);

/* A decoder entry point in its generic shape: parse len bytes into out. */
typedef int parse_fn(const uint8_t *buf, size_t len, void *out);

/* Parses every prefix 0..len of sample s, each copied into a heap block of
 * exactly that size (so AddressSanitizer catches any over-read), and checks
 * that each call returns 0 or a negative caps error code. out must hold
 * out_bytes. Returns how many prefixes decoded without error. */
size_t test_cut_every_offset(const struct caps_sample *s, parse_fn *parse,
                             void *out, size_t out_bytes);

/* Finds a sample by set and name; fails the test when it is missing. */
const struct caps_sample *test_sample(const struct caps_sample_set *set,
                                      const char *name);

#endif
