/* test_inventory.c - the MAC-keyed asset table: lookup, upsert, eviction,
 * removal with backward shift, address lists and hostname ranks. */
#include <stdlib.h>
#include <string.h>
#include <check.h>

#include "caps/error.h"
#include "caps/inventory.h"
#include "testutil.h"

Suite *suite_inventory(void);

struct fixture {
    struct caps_inventory inv;
    void *arena;
};

static void fixture_init(struct fixture *f, uint32_t assets_max)
{
    size_t n = caps_inventory_arena_bytes(assets_max);
    f->arena = aligned_alloc(16, (n + 15) & ~(size_t)15);
    ck_assert_ptr_nonnull(f->arena);
    ck_assert_int_eq(caps_inventory_init(&f->inv, assets_max, f->arena, n), CAPS_OK);
}

static void mac_of(uint32_t i, uint8_t mac[6])
{
    /* Same vendor prefix for all: the hash must spread on the last bytes. */
    mac[0] = 0x00;
    mac[1] = 0x1b;
    mac[2] = 0x63;
    mac[3] = (uint8_t)(i >> 16);
    mac[4] = (uint8_t)(i >> 8);
    mac[5] = (uint8_t)i;
}

START_TEST(init_rejects_bad_sizes)
{
    uint8_t small[64];
    struct caps_inventory inv;
    ck_assert_int_eq(caps_inventory_init(&inv, 0, small, sizeof small), CAPS_E_ARG);
    ck_assert_int_eq(caps_inventory_init(&inv, CAPS_ASSETS_MAX_LIMIT + 1, small, sizeof small),
                     CAPS_E_ARG);
    ck_assert_int_eq(caps_inventory_init(&inv, 100, small, sizeof small), CAPS_E_NOMEM);
}
END_TEST

START_TEST(upsert_then_lookup)
{
    struct fixture f;
    uint8_t mac[6];
    fixture_init(&f, 1000);
    for (uint32_t i = 0; i < 1000; i++) {
        mac_of(i, mac);
        struct caps_asset *a = caps_inventory_upsert(&f.inv, mac, 1000 + i);
        ck_assert_uint_eq(a->first_seen_us, 1000 + i);
    }
    ck_assert_uint_eq(f.inv.count, 1000);
    for (uint32_t i = 0; i < 1000; i++) {
        mac_of(i, mac);
        struct caps_asset *a = caps_inventory_lookup(&f.inv, mac);
        ck_assert_ptr_nonnull(a);
        ck_assert_mem_eq(a->mac, mac, 6);
    }
    mac_of(5000, mac);
    ck_assert_ptr_null(caps_inventory_lookup(&f.inv, mac));
    /* Re-upsert: times widen, count unchanged. */
    mac_of(7, mac);
    struct caps_asset *a = caps_inventory_upsert(&f.inv, mac, 50);
    ck_assert_uint_eq(a->first_seen_us, 50);
    ck_assert_uint_eq(a->last_seen_us, 1007);
    a = caps_inventory_upsert(&f.inv, mac, 9999);
    ck_assert_uint_eq(a->last_seen_us, 9999);
    ck_assert_uint_eq(f.inv.count, 1000);
    free(f.arena);
}
END_TEST

START_TEST(full_table_evicts_stalest_then_smallest_mac)
{
    struct fixture f;
    uint8_t mac[6];
    fixture_init(&f, 4);
    /* MACs 1..4 at times 10, 5, 5, 20: the stalest are 2 and 3 (tie at 5);
     * the tie goes to the smaller MAC, 2. */
    const uint64_t ts[4] = {10, 5, 5, 20};
    for (uint32_t i = 0; i < 4; i++) {
        mac_of(i + 1, mac);
        caps_inventory_upsert(&f.inv, mac, ts[i]);
    }
    mac_of(99, mac);
    caps_inventory_upsert(&f.inv, mac, 30);
    ck_assert_uint_eq(f.inv.count, 4);
    ck_assert_uint_eq(f.inv.evicted, 1);
    mac_of(2, mac);
    ck_assert_ptr_null(caps_inventory_lookup(&f.inv, mac));
    for (uint32_t keep = 1; keep <= 4; keep++) {
        if (keep == 2)
            continue;
        mac_of(keep, mac);
        ck_assert_ptr_nonnull(caps_inventory_lookup(&f.inv, mac));
    }
    mac_of(99, mac);
    ck_assert_ptr_nonnull(caps_inventory_lookup(&f.inv, mac));
    free(f.arena);
}
END_TEST

START_TEST(remove_keeps_every_other_asset_reachable)
{
    struct fixture f;
    uint8_t mac[6];
    fixture_init(&f, 512);
    for (uint32_t i = 0; i < 512; i++) {
        mac_of(i * 7919u, mac);
        caps_inventory_upsert(&f.inv, mac, i);
    }
    /* Remove every third: clusters must be repaired by the backward shift. */
    for (uint32_t i = 0; i < 512; i += 3) {
        mac_of(i * 7919u, mac);
        ck_assert(caps_inventory_remove(&f.inv, mac));
        ck_assert(!caps_inventory_remove(&f.inv, mac));
    }
    for (uint32_t i = 0; i < 512; i++) {
        mac_of(i * 7919u, mac);
        struct caps_asset *a = caps_inventory_lookup(&f.inv, mac);
        if (i % 3 == 0) {
            ck_assert_ptr_null(a);
        } else {
            ck_assert_ptr_nonnull(a);
            ck_assert_uint_eq(a->first_seen_us, i);
        }
    }
    ck_assert_uint_eq(f.inv.count, 512 - 171);
    free(f.arena);
}
END_TEST

START_TEST(addresses_most_recent_first_and_bounded)
{
    struct caps_asset a;
    memset(&a, 0, sizeof a);
    uint8_t ip[4] = {10, 0, 0, 1};
    ck_assert(caps_asset_add_ip4(&a, ip, 1));
    ck_assert(!caps_asset_add_ip4(&a, ip, 1));
    for (uint8_t i = 2; i <= 6; i++) {
        ip[3] = i;
        ck_assert(caps_asset_add_ip4(&a, ip, 1));
    }
    /* 6 seen, 4 kept: 6, 5, 4, 3. */
    ck_assert_uint_eq(a.ip4_count, CAPS_ASSET_IP4_MAX);
    ck_assert_uint_eq(a.ip4[0][3], 6);
    ck_assert_uint_eq(a.ip4[3][3], 3);
    /* Seeing 4 again moves it to the front. */
    ip[3] = 4;
    ck_assert(!caps_asset_add_ip4(&a, ip, 1));
    ck_assert_uint_eq(a.ip4[0][3], 4);
    ck_assert_uint_eq(a.ip4[1][3], 6);
    ck_assert_uint_eq(a.ip4[2][3], 5);
    ck_assert_uint_eq(a.ip4[3][3], 3);
}
END_TEST

START_TEST(hostname_weaker_source_never_overwrites)
{
    struct caps_asset a;
    memset(&a, 0, sizeof a);
    ck_assert(caps_asset_set_hostname(&a, "iphone", 1, 10));
    ck_assert(caps_asset_set_hostname(&a, "DESKTOP-1", 3, 10));
    ck_assert(!caps_asset_set_hostname(&a, "other", 2, 10));
    ck_assert_str_eq(a.hostname, "DESKTOP-1");
    ck_assert(!caps_asset_set_hostname(&a, "", 3, 10));
    ck_assert(caps_asset_set_hostname(&a, "DESKTOP-2", 3, 10));
    ck_assert_str_eq(a.hostname, "DESKTOP-2");
    char longname[100];
    memset(longname, 'x', sizeof longname - 1);
    longname[99] = '\0';
    ck_assert(caps_asset_set_hostname(&a, longname, 3, 10));
    ck_assert_uint_eq(strlen(a.hostname), CAPS_HOSTNAME_MAX - 1);
}
END_TEST

START_TEST(hostname_changes_kept_newest_first)
{
    struct caps_asset a;
    memset(&a, 0, sizeof a);
    ck_assert(caps_asset_set_hostname(&a, "first", 3, 100));
    ck_assert_uint_eq(a.hostname_history_count, 0);
    ck_assert(caps_asset_set_hostname(&a, "second", 3, 200));
    ck_assert(caps_asset_set_hostname(&a, "third", 3, 300));
    ck_assert(caps_asset_set_hostname(&a, "fourth", 3, 400));
    ck_assert_str_eq(a.hostname, "fourth");
    ck_assert_uint_eq(a.hostname_history_count, CAPS_HOSTNAME_HISTORY_MAX);
    ck_assert_str_eq(a.hostname_history[0].name, "third");
    ck_assert_uint_eq(a.hostname_history[0].until_us, 400);
    ck_assert_str_eq(a.hostname_history[1].name, "second");
    ck_assert_uint_eq(a.hostname_history[1].until_us, 300);
    /* The same name again is no change. */
    ck_assert(!caps_asset_set_hostname(&a, "fourth", 3, 500));
    ck_assert_str_eq(a.hostname_history[0].name, "third");
}
END_TEST

START_TEST(address_superseded_by_a_later_one_is_history)
{
    struct caps_asset a;
    memset(&a, 0, sizeof a);
    const uint8_t old_ip[4] = {10, 0, 0, 5}, new_ip[4] = {10, 0, 0, 9}, ll[4] = {169, 254, 1, 2};
    caps_asset_add_ip4(&a, old_ip, 100);
    caps_asset_add_ip4(&a, ll, 150);         /* overlaps old_ip's life: both current */
    caps_asset_add_ip4(&a, old_ip, 200);
    ck_assert(caps_asset_ip4_current(&a, 0));
    ck_assert(caps_asset_ip4_current(&a, 1));
    caps_asset_add_ip4(&a, new_ip, 300);     /* first seen after both were last seen */
    caps_asset_add_ip4(&a, new_ip, 400);
    ck_assert_mem_eq(a.ip4[0], new_ip, 4);
    ck_assert_uint_eq(a.ip4_first_us[0], 300);
    ck_assert_uint_eq(a.ip4_last_us[0], 400);
    ck_assert(caps_asset_ip4_current(&a, 0));
    ck_assert_mem_eq(a.ip4[1], old_ip, 4);
    ck_assert_uint_eq(a.ip4_first_us[1], 100);
    ck_assert_uint_eq(a.ip4_last_us[1], 200);
    ck_assert(!caps_asset_ip4_current(&a, 1));
    ck_assert(!caps_asset_ip4_current(&a, 2));
}
END_TEST

START_TEST(previous_macs_most_recent_first_bounded)
{
    struct caps_asset a;
    memset(&a, 0, sizeof a);
    uint8_t mac[6] = {0x02, 0, 0, 0, 0, 0x10};
    memcpy(a.mac, mac, 6);
    caps_asset_add_previous_mac(&a, mac);    /* its own MAC: ignored */
    ck_assert_uint_eq(a.previous_mac_count, 0);
    for (uint8_t i = 1; i <= 4; i++) {
        mac[5] = i;
        caps_asset_add_previous_mac(&a, mac);
        caps_asset_add_previous_mac(&a, mac);   /* duplicates ignored */
    }
    ck_assert_uint_eq(a.previous_mac_count, CAPS_PREVIOUS_MACS_MAX);
    ck_assert_uint_eq(a.previous_macs[0][5], 4);
    ck_assert_uint_eq(a.previous_macs[1][5], 3);
    ck_assert_uint_eq(a.previous_macs[2][5], 2);
}
END_TEST

Suite *suite_inventory(void)
{
    Suite *s = suite_create("inventory");
    TCase *tc = tcase_create("table");
    tcase_add_test(tc, init_rejects_bad_sizes);
    tcase_add_test(tc, upsert_then_lookup);
    tcase_add_test(tc, full_table_evicts_stalest_then_smallest_mac);
    tcase_add_test(tc, remove_keeps_every_other_asset_reachable);
    tcase_add_test(tc, addresses_most_recent_first_and_bounded);
    tcase_add_test(tc, hostname_weaker_source_never_overwrites);
    tcase_add_test(tc, hostname_changes_kept_newest_first);
    tcase_add_test(tc, address_superseded_by_a_later_one_is_history);
    tcase_add_test(tc, previous_macs_most_recent_first_bounded);
    suite_add_tcase(s, tc);
    return s;
}
