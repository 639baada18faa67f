/* test_vendor.c - MAC vendor lookup over the real IEEE tables (caps/vendor.h).
 *
 * Expected names were read from Debian's ieee-data 20220827 CSVs
 * (/usr/share/ieee-data) by hand, so a generator that mis-parses quotes,
 * multi-line rows, whitespace or repeated assignments fails here. Also:
 * longest prefix wins over the 24-bit "IEEE Registration Authority" blocks
 * and falls back to them, group and local MACs never match, and every
 * table is strictly ascending and finds its own entries.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <check.h>

#include "caps/vendor.h"
#include "testutil.h"

#define MAC(a, b, c, d, e, f) {0x##a, 0x##b, 0x##c, 0x##d, 0x##e, 0x##f}
#define IEEE_RA "IEEE Registration Authority"
#define ENTRIES_MIN 30000   /* MA-L alone had 32530 rows in 2022 */

struct lookup_case {
    const char *what;
    uint8_t mac[6];
    const char *want;   /* NULL: no vendor */
};

static const struct lookup_case lookup_cases[] = {
    /* MA-L, 24 bits */
    {"MA-L 00:00:0C quoted name with comma", MAC(00, 00, 0c, 12, 34, 56), "Cisco Systems, Inc"},
    {"MA-L 3C:D9:2B", MAC(3c, d9, 2b, 00, 00, 01), "Hewlett Packard"},
    {"MA-L B8:27:EB", MAC(b8, 27, eb, ff, ff, ff), "Raspberry Pi Foundation"},
    {"MA-L F4:F5:D8", MAC(f4, f5, d8, 01, 02, 03), "Google, Inc."},
    {"MA-L 00:1E:FC doubled quotes", MAC(00, 1e, fc, 00, 00, 00), "JSC \"MASSA-K\""},
    {"MA-L 04:45:A1 collapsed double space", MAC(04, 45, a1, 00, 00, 00),
     "NIRIT- Xinwei Telecom Technology Co., Ltd."},
    {"MA-L E0:CA:3C row after a multi-line address", MAC(e0, ca, 3c, 00, 00, 00),
     "Hangzhou Hikvision Digital Technology Co.,Ltd."},
    {"MA-L 08:00:30 listed 3 times, smallest name kept", MAC(08, 00, 30, 00, 00, 00), "CERN"},
    {"MA-L 00:01:C8 listed twice, smallest name kept", MAC(00, 01, c8, 00, 00, 00), "CONRAD CORP."},
    /* MA-M, 28 bits, inside the RA block 98:06:37 (98:06:37:F is unassigned) */
    {"MA-M 98:06:37:5", MAC(98, 06, 37, 5a, bc, de), "GS GLOBAL SECURITY INC"},
    {"MA-M 98:06:37:0", MAC(98, 06, 37, 00, 00, 00), "Zoleo Inc."},
    {"MA-M gap 98:06:37:F falls back to 24 bits", MAC(98, 06, 37, f0, 00, 00), IEEE_RA},
    {"MA-M 84:8B:CD:6 trailing space trimmed", MAC(84, 8b, cd, 6f, ff, ff), "TWTG R&D B.V."},
    {"MA-M C4:98:94:9 after multi-line row, spaces collapsed", MAC(c4, 98, 94, 90, 00, 00),
     "Shenzhen Hexin Automation Technology Co.,Ltd."},
    /* MA-S and IAB, 36 bits, inside RA blocks 70:B3:D5 and 00:50:C2 */
    {"MA-S 70:B3:D5:F2:F", MAC(70, b3, d5, f2, f1, 23), "TELEPLATFORMS"},
    {"MA-S neighbour 70:B3:D5:F3:0", MAC(70, b3, d5, f3, 00, 00), "ADE Technology Inc."},
    {"MA-S neighbour 70:B3:D5:F2:E", MAC(70, b3, d5, f2, ef, ff), "Shanghai JCY Technology Company"},
    {"IAB 00:50:C2:7D:5", MAC(00, 50, c2, 7d, 50, 00), "DEUTA-WERKE GmbH"},
    /* no vendor */
    {"unassigned 00:AA:AA", MAC(00, aa, aa, 00, 00, 01), NULL},
    {"unassigned FC:00:00", MAC(fc, 00, 00, 12, 34, 56), NULL},
    {"locally administered 02:00:0C", MAC(02, 00, 0c, 12, 34, 56), NULL},
    {"locally administered randomized BA:27:EB", MAC(ba, 27, eb, 00, 00, 00), NULL},
    /* 02:C0:8C is an IEEE row (3COM, 1980s) but the U/L bit makes it local. */
    {"locally administered, listed as MA-L 02:C0:8C", MAC(02, c0, 8c, 00, 00, 01), NULL},
    {"multicast 01:00:5E", MAC(01, 00, 5e, 00, 00, fb), NULL},
    {"multicast on an assigned OUI 01:00:0C", MAC(01, 00, 0c, cc, cc, cc), NULL},
    {"broadcast", MAC(ff, ff, ff, ff, ff, ff), NULL},
};

START_TEST(test_lookup)
{
    const struct lookup_case *c = &lookup_cases[_i];
    const char *got = caps_vendor_lookup(c->mac);
    if (c->want == NULL)
        ck_assert_msg(got == NULL, "%s: want NULL, got \"%s\"", c->what, got);
    else
        ck_assert_msg(got != NULL && strcmp(got, c->want) == 0, "%s: want \"%s\", got \"%s\"",
                      c->what, c->want, got != NULL ? got : "(NULL)");
}
END_TEST

START_TEST(test_count)
{
    size_t n = caps_vendor_count();
    ck_assert_msg(n > ENTRIES_MIN, "count %zu <= %d", n, ENTRIES_MIN);
}
END_TEST

static void entry_mac(const struct caps_vendor_entry *e, uint8_t mac[6])
{
    uint64_t m = e->prefix << (48 - e->bits);
    for (size_t i = 0; i < 6; i++)
        mac[i] = (uint8_t)(m >> (40 - 8 * i));
}

/* Entries come 24, 28, 36 bits, each table strictly ascending; names are
 * trimmed and have no double spaces. */
START_TEST(test_tables_sorted)
{
    size_t n = caps_vendor_count();
    size_t per_bits[3] = {0, 0, 0};
    struct caps_vendor_entry prev = {0, 0, NULL};
    for (size_t i = 0; i < n; i++) {
        struct caps_vendor_entry e;
        caps_vendor_entry_get(i, &e);
        ck_assert_msg(e.bits == 24 || e.bits == 28 || e.bits == 36, "entry %zu: bits %u", i, e.bits);
        ck_assert_msg(e.bits >= prev.bits, "entry %zu: %u bits after %u bits", i, e.bits, prev.bits);
        ck_assert_msg(e.prefix < (UINT64_C(1) << e.bits), "entry %zu: prefix too wide", i);
        if (e.bits == prev.bits)
            ck_assert_msg(e.prefix > prev.prefix, "entry %zu (%u bits): 0x%llx not above 0x%llx", i,
                          e.bits, (unsigned long long)e.prefix, (unsigned long long)prev.prefix);
        ck_assert_msg(e.name != NULL && e.name[0] != '\0' && e.name[0] != ' ' &&
                          e.name[strlen(e.name) - 1] != ' ' && strstr(e.name, "  ") == NULL,
                      "entry %zu: bad name \"%s\"", i, e.name != NULL ? e.name : "(NULL)");
        per_bits[e.bits == 24 ? 0 : e.bits == 28 ? 1 : 2]++;
        prev = e;
    }
    ck_assert_msg(per_bits[0] > ENTRIES_MIN && per_bits[1] > 1000 && per_bits[2] > 1000,
                  "per length: %zu %zu %zu", per_bits[0], per_bits[1], per_bits[2]);
}
END_TEST

/* Every entry's own prefix, padded with zero bits, finds that entry, or a
 * longer one (only a 24- or 28-bit entry can be shadowed). Entries whose
 * prefix has the group or local bit set (a few 1980s MA-L) never match. */
START_TEST(test_every_entry_found)
{
    size_t n = caps_vendor_count();
    size_t shadowed = 0;
    for (size_t i = 0; i < n; i++) {
        struct caps_vendor_entry e;
        uint8_t mac[6];
        caps_vendor_entry_get(i, &e);
        entry_mac(&e, mac);
        const char *got = caps_vendor_lookup(mac);
        if ((mac[0] & 0x03) != 0) {
            ck_assert_msg(got == NULL, "entry %zu: group/local prefix matched", i);
            continue;
        }
        ck_assert_msg(got != NULL, "entry %zu (0x%llx/%u) not found", i,
                      (unsigned long long)e.prefix, e.bits);
        if (got != e.name) {
            ck_assert_msg(e.bits < 36, "36-bit entry %zu: got \"%s\", want \"%s\"", i, got, e.name);
            shadowed++;
        }
    }
    /* Shadowing needs a longer entry at exactly prefix:0, so it is rare. */
    ck_assert_msg(shadowed < n / 100, "%zu of %zu entries shadowed", shadowed, n);
}
END_TEST

Suite *suite_vendor(void);

Suite *suite_vendor(void)
{
    Suite *s = suite_create("vendor");
    TCase *tc = tcase_create("lookup");
    tcase_add_loop_test(tc, test_lookup, 0, (int)(sizeof lookup_cases / sizeof lookup_cases[0]));
    tcase_add_test(tc, test_count);
    tcase_add_test(tc, test_tables_sorted);
    tcase_add_test(tc, test_every_entry_found);
    suite_add_tcase(s, tc);
    return s;
}
