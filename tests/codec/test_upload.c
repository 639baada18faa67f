/* test_upload.c - the upload payload (codec/upload.h) from a real sensor:
 * sample packets go through caps_sensor_frame, and the payload must carry the
 * header, the inventory's own summary and asset objects, exactly the assets
 * the upload's generation window selects (never an excluded one); the merge
 * rule is checked on documents of two real sensors, and every bad header
 * field has its own message. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <check.h>

#include "caps/sensor.h"
#include "codec/fingerprints.h"
#include "codec/inventory.h"
#include "codec/upload.h"
#include "frames.h"
#include "testutil.h"

Suite *suite_upload(void);

extern const struct caps_sample_set caps_samples_dhcp;
extern const struct caps_sample_set caps_samples_arp;

#define T0_US 1793610000000000ull        /* 2026-11-02T09:00:00Z */
#define SENSORS 2

static const uint8_t mac_win_dhcp[6] = {0x3c, 0xa9, 0xf4, 0x5e, 0x21, 0x07};
static const uint8_t mac_win_arp[6] = {0x3c, 0xa9, 0xf4, 0x5e, 0x21, 0x7a};
static const uint8_t mac_android[6] = {0x4c, 0x6a, 0xf6, 0x2b, 0x71, 0xd8};
static const uint8_t mac_gateway[6] = {0x06, 0x8f, 0x3a, 0x1d, 0x8e, 0x45};

static const struct codec_upload_id test_id = {"6f1c2a4e-8b0d-4c1e-9a7f-3d5b6e8f9a01",
                                               "192.168.57.0/24"};

static struct codec_fp_db fpdb;
static struct caps_sensor sensors[SENSORS];
static void *arenas[SENSORS];

static void setup(void)
{
    char err[CODEC_ERRMSG_MAX];
    struct caps_host host = {0};

    ck_assert_msg(codec_fp_load_builtin(NULL, &fpdb, err) == 0, "builtin database: %s", err);
    for (int i = 0; i < SENSORS; i++) {
        struct caps_config cfg;
        caps_config_default(&cfg);
        cfg.assets_max = 32;
        cfg.fingerprints = &fpdb.db;
        /* The Android phone is excluded by MAC: counted, never written. */
        memcpy(cfg.exclude_macs[0], mac_android, 6);
        cfg.exclude_mac_count = 1;
        size_t n = caps_sensor_arena_bytes(&cfg);
        arenas[i] = aligned_alloc(64, (n + 63) & ~(size_t)63);
        ck_assert_ptr_nonnull(arenas[i]);
        ck_assert_int_eq(caps_sensor_init(&sensors[i], &cfg, &host, arenas[i], n), CAPS_OK);
    }
}

static void teardown(void)
{
    for (int i = 0; i < SENSORS; i++)
        free(arenas[i]);
    codec_fp_free(&fpdb);
}

/* An ARP sample as its sender transmits it; mac and ip (when not NULL)
 * replace the sender hardware and protocol addresses, as another device of
 * the same kind would send it. */
static void feed_arp(struct caps_sensor *s, const char *name, const uint8_t *mac,
                     const uint8_t *ip, uint64_t ts_us)
{
    uint8_t body[128], frame[FRAME_BYTES_MAX];
    struct frame_spec f;
    const struct caps_sample *smp = test_sample(&caps_samples_arp, name);

    ck_assert_uint_le(smp->len, sizeof body);
    memcpy(body, smp->bytes, smp->len);
    if (mac != NULL)
        memcpy(body + 8, mac, 6);       /* RFC 826: sender hardware address */
    if (ip != NULL)
        memcpy(body + 14, ip, 4);       /* sender protocol address */
    memset(&f, 0, sizeof f);
    memcpy(f.src_mac, body + 8, 6);
    memset(f.dst_mac, 0xff, 6);
    size_t n = frame_build(&f, body, smp->len, frame);
    ck_assert_uint_gt(n, 0);
    caps_sensor_frame(s, ts_us, frame, n, n);
}

static void feed_dhcp(struct caps_sensor *s, const char *name, const uint8_t mac[6],
                      uint64_t ts_us)
{
    uint8_t frame[FRAME_BYTES_MAX];
    struct frame_spec f;
    const struct caps_sample *smp = test_sample(&caps_samples_dhcp, name);

    memset(&f, 0, sizeof f);
    memcpy(f.src_mac, mac, 6);
    memset(f.dst_mac, 0xff, 6);
    memset(f.dst_ip, 0xff, 4);
    f.ip_version = 4;
    f.ttl = 128;
    f.src_port = 68;
    f.dst_port = 67;
    size_t n = frame_build(&f, smp->bytes, smp->len, frame);
    ck_assert_uint_gt(n, 0);
    caps_sensor_frame(s, ts_us, frame, n, n);
}

/* The subnet every test starts from: two Windows hosts, a gateway, an
 * excluded phone. */
static void feed_subnet(struct caps_sensor *s, uint64_t ts_us)
{
    feed_dhcp(s, "windows10_discover", mac_win_dhcp, ts_us);
    feed_arp(s, "windows10_request", NULL, NULL, ts_us + 1000000u);
    feed_arp(s, "linux_reply", NULL, NULL, ts_us + 2000000u);
    feed_arp(s, "android_request", NULL, NULL, ts_us + 3000000u);
}

static const cJSON *asset_by_mac(const cJSON *doc, const uint8_t mac[6])
{
    char text[18];
    codec_mac_format(mac, text);
    const cJSON *a;
    cJSON_ArrayForEach(a, cJSON_GetObjectItemCaseSensitive(doc, "assets")) {
        const cJSON *m = cJSON_GetObjectItemCaseSensitive(a, "mac");
        if (cJSON_IsString(m) && strcmp(m->valuestring, text) == 0)
            return a;
    }
    return NULL;
}

static const char *str_of(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    ck_assert_msg(cJSON_IsString(v), "\"%s\" is not a string", key);
    return v->valuestring;
}

static double num_of(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    ck_assert_msg(cJSON_IsNumber(v), "\"%s\" is not a number", key);
    return v->valuedouble;
}

static struct caps_upload upload_of(const struct caps_sensor *s, int full, uint64_t since_gen,
                                    uint64_t seq)
{
    struct caps_upload u;
    memset(&u, 0, sizeof u);
    u.seq = seq;
    u.epoch = 3;
    u.full = (uint8_t)full;
    u.since_gen = full ? 0 : since_gen;
    u.gen = s->inv.gen;
    u.built_us = s->now_us;
    return u;
}

/* Every asset of s is in doc exactly when u selects it and it is not
 * excluded; the payload's assets are sorted by mac. */
static void check_selection(const struct caps_sensor *s, const struct caps_upload *u,
                            const cJSON *doc)
{
    unsigned want = 0;
    for (uint32_t i = 0; i < s->inv.count; i++) {
        const struct caps_asset *a = &s->inv.assets[i];
        int excluded = memcmp(a->mac, mac_android, 6) == 0;
        int in = caps_upload_includes(u, a) && !excluded;
        char text[18];
        codec_mac_format(a->mac, text);
        ck_assert_msg((asset_by_mac(doc, a->mac) != NULL) == in, "%s: in payload %d, want %d",
                      text, asset_by_mac(doc, a->mac) != NULL, in);
        want += (unsigned)in;
    }
    const cJSON *assets = cJSON_GetObjectItemCaseSensitive(doc, "assets");
    ck_assert_int_eq(cJSON_GetArraySize(assets), (int)want);
    const char *prev = "";
    const cJSON *a;
    cJSON_ArrayForEach(a, assets) {
        ck_assert_str_gt(str_of(a, "mac"), prev);
        prev = str_of(a, "mac");
    }
}

START_TEST(full_payload_is_header_plus_inventory)
{
    struct caps_sensor *s = &sensors[0];
    struct codec_upload_head head;
    char err[256];

    feed_subnet(s, T0_US);
    struct caps_upload u = upload_of(s, 1, 0, 1764301200000123ull);
    cJSON *doc = codec_upload_build(s, &u, &test_id);
    cJSON *inv = codec_inventory_build(s);
    ck_assert_ptr_nonnull(doc);
    ck_assert_ptr_nonnull(inv);

    /* The header, in the documented order. */
    static const char *const keys[] = {"version", "agent_id", "subnet", "epoch", "seq",
                                       "full", "built_at", "summary", "assets"};
    const cJSON *k = doc->child;
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++, k = k->next) {
        ck_assert_ptr_nonnull(k);
        ck_assert_str_eq(k->string, keys[i]);
    }
    ck_assert_ptr_null(k);
    ck_assert_double_eq(num_of(doc, "version"), 1);
    ck_assert_str_eq(str_of(doc, "agent_id"), test_id.agent_id);
    ck_assert_str_eq(str_of(doc, "subnet"), "192.168.57.0/24");
    ck_assert_double_eq(num_of(doc, "epoch"), 3);
    ck_assert(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(doc, "full")));
    /* The last frame came at T0 + 3 s. */
    ck_assert_str_eq(str_of(doc, "built_at"), "2026-11-02T09:00:03Z");
    /* The seq survives printing and parsing exactly (it is above 2^50). */
    char *text = cJSON_PrintUnformatted(doc);
    ck_assert_ptr_nonnull(strstr(text, "\"seq\":1764301200000123,"));
    cJSON *back = cJSON_Parse(text);
    free(text);
    ck_assert_int_eq(codec_upload_parse_head(back, &head, err, sizeof err), 0);
    ck_assert_uint_eq(head.seq, 1764301200000123ull);
    ck_assert_uint_eq(head.epoch, 3);
    ck_assert_int_eq(head.full, 1);
    ck_assert_str_eq(head.agent_id, test_id.agent_id);
    ck_assert_str_eq(head.subnet, test_id.subnet);
    cJSON_Delete(back);

    /* The same summary and asset objects as the inventory document: three
     * assets, the excluded phone left out but counted. */
    ck_assert(cJSON_Compare(cJSON_GetObjectItemCaseSensitive(doc, "summary"),
                            cJSON_GetObjectItemCaseSensitive(inv, "summary"), 1));
    ck_assert(cJSON_Compare(cJSON_GetObjectItemCaseSensitive(doc, "assets"),
                            cJSON_GetObjectItemCaseSensitive(inv, "assets"), 1));
    ck_assert_uint_eq(s->inv.count, 4);
    check_selection(s, &u, doc);
    ck_assert_ptr_null(asset_by_mac(doc, mac_android));
    ck_assert_ptr_nonnull(asset_by_mac(doc, mac_win_arp));
    ck_assert_ptr_nonnull(asset_by_mac(doc, mac_win_dhcp));
    ck_assert_ptr_nonnull(asset_by_mac(doc, mac_gateway));
    const cJSON *st = cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(doc, "summary"), "assets");
    ck_assert_double_eq(num_of(st, "excluded"), 1);
    ck_assert_double_eq(num_of(st, "in_scope"), 3);
    cJSON_Delete(doc);
    cJSON_Delete(inv);
}
END_TEST

START_TEST(incremental_payload_holds_what_changed)
{
    struct caps_sensor *s = &sensors[0];

    feed_subnet(s, T0_US);
    uint64_t acked = s->inv.gen;
    ck_assert_uint_ge(acked, 4);
    /* Nothing changed: an incremental payload is empty. */
    struct caps_upload u = upload_of(s, 0, acked, 2);
    cJSON *doc = codec_upload_build(s, &u, &test_id);
    ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(doc, "assets")), 0);
    ck_assert(cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(doc, "full")));
    cJSON_Delete(doc);

    /* The gateway and the excluded phone speak again: only the gateway. */
    feed_arp(s, "linux_reply", NULL, NULL, T0_US + 60000000u);
    feed_arp(s, "android_request", NULL, NULL, T0_US + 61000000u);
    u = upload_of(s, 0, acked, 3);
    doc = codec_upload_build(s, &u, &test_id);
    check_selection(s, &u, doc);
    ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(doc, "assets")), 1);
    const cJSON *gw = asset_by_mac(doc, mac_gateway);
    ck_assert_ptr_nonnull(gw);
    ck_assert_str_eq(str_of(gw, "last_seen"), "2026-11-02T09:01:00Z");
    /* The object is the inventory's own. */
    cJSON *inv = codec_inventory_build(s);
    ck_assert(cJSON_Compare(gw, asset_by_mac(inv, mac_gateway), 1));
    cJSON_Delete(inv);
    cJSON_Delete(doc);

    /* A window that ends before the latest change leaves it out. */
    u = upload_of(s, 0, acked, 4);
    u.gen = acked;
    doc = codec_upload_build(s, &u, &test_id);
    ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(doc, "assets")), 0);
    cJSON_Delete(doc);
}
END_TEST

/* Two real documents about one Windows host: sensor 0 saw its DHCP
 * discover (hostname, OS) at T0; sensor 1 only its ARP, earlier and later,
 * from two addresses. */
static void two_views(cJSON **dhcp_doc, cJSON **arp_doc)
{
    static const uint8_t ip_a[4] = {192, 168, 57, 50}, ip_b[4] = {192, 168, 57, 51};
    feed_dhcp(&sensors[0], "windows10_discover", mac_win_dhcp, T0_US);
    feed_arp(&sensors[1], "windows10_request", mac_win_dhcp, ip_a, T0_US - 100000000u);
    feed_arp(&sensors[1], "windows10_request", mac_win_dhcp, ip_b, T0_US + 100000000u);
    feed_arp(&sensors[1], "linux_reply", NULL, NULL, T0_US + 100000000u);
    struct caps_upload u0 = upload_of(&sensors[0], 1, 0, 10);
    struct caps_upload u1 = upload_of(&sensors[1], 0, 0, 11);
    *dhcp_doc = codec_upload_build(&sensors[0], &u0, &test_id);
    *arp_doc = codec_upload_build(&sensors[1], &u1, &test_id);
    ck_assert_ptr_nonnull(*dhcp_doc);
    ck_assert_ptr_nonnull(*arp_doc);
}

static int array_is(const cJSON *arr, const char *const *want, int n)
{
    if (cJSON_GetArraySize(arr) != n)
        return 0;
    for (int i = 0; i < n; i++) {
        const cJSON *x = cJSON_GetArrayItem(arr, i);
        if (!cJSON_IsString(x) || strcmp(x->valuestring, want[i]) != 0)
            return 0;
    }
    return 1;
}

START_TEST(merge_rule_on_real_documents)
{
    cJSON *dhcp_doc, *arp_doc;
    two_views(&dhcp_doc, &arp_doc);
    const cJSON *d = asset_by_mac(dhcp_doc, mac_win_dhcp);
    const cJSON *a = asset_by_mac(arp_doc, mac_win_dhcp);
    /* Preconditions the rule is checked against. */
    ck_assert(cJSON_IsString(cJSON_GetObjectItemCaseSensitive(d, "hostname")));
    ck_assert(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(a, "hostname")));
    ck_assert(cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(d, "os")));
    ck_assert(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(a, "os")));
    static const char *const arp_ips[] = {"192.168.57.51"};
    ck_assert(array_is(cJSON_GetObjectItemCaseSensitive(a, "ips"), arp_ips, 1));

    /* Newer = the ARP view: its null hostname and os do not erase, first_seen
     * is its earlier one, last_seen its later one, unions put its items first. */
    cJSON *m = cJSON_Duplicate(d, 1);
    ck_assert_int_eq(codec_asset_merge(m, a), 0);
    ck_assert_str_eq(str_of(m, "hostname"), str_of(d, "hostname"));
    ck_assert(cJSON_Compare(cJSON_GetObjectItemCaseSensitive(m, "os"),
                            cJSON_GetObjectItemCaseSensitive(d, "os"), 1));
    ck_assert_str_eq(str_of(m, "first_seen"), "2026-11-02T08:58:20Z");
    ck_assert_str_eq(str_of(m, "last_seen"), "2026-11-02T09:01:40Z");
    static const char *const ips_arp_first[] = {"192.168.57.51"};
    /* The DHCP discover comes from 0.0.0.0: no address in the older one. */
    ck_assert(array_is(cJSON_GetObjectItemCaseSensitive(m, "ips"), ips_arp_first, 1));
    static const char *const src_arp_first[] = {"arp", "dhcp"};
    ck_assert(array_is(cJSON_GetObjectItemCaseSensitive(m, "sources"), src_arp_first, 2));
    /* Other non-null fields come from the newer. */
    ck_assert(cJSON_Compare(cJSON_GetObjectItemCaseSensitive(m, "ip_history"),
                            cJSON_GetObjectItemCaseSensitive(a, "ip_history"), 1));
    ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(m, "ip_history")), 1);
    cJSON_Delete(m);

    /* The other way round: the older's earlier first_seen and later
     * last_seen stay, the newer's hostname and os win, its sources lead. */
    m = cJSON_Duplicate(a, 1);
    ck_assert_int_eq(codec_asset_merge(m, d), 0);
    ck_assert_str_eq(str_of(m, "first_seen"), "2026-11-02T08:58:20Z");
    ck_assert_str_eq(str_of(m, "last_seen"), "2026-11-02T09:01:40Z");
    ck_assert_str_eq(str_of(m, "hostname"), str_of(d, "hostname"));
    static const char *const src_dhcp_first[] = {"dhcp", "arp"};
    ck_assert(array_is(cJSON_GetObjectItemCaseSensitive(m, "sources"), src_dhcp_first, 2));
    ck_assert(array_is(cJSON_GetObjectItemCaseSensitive(m, "ips"), arp_ips, 1));
    cJSON_Delete(m);

    /* Unions of addresses: both lists, the newer's first, no duplicates. */
    cJSON *x = cJSON_Parse("{\"mac\":\"3c:a9:f4:5e:21:07\",\"ips\":[\"10.0.0.1\",\"10.0.0.2\"]}");
    cJSON *y = cJSON_Parse("{\"mac\":\"3c:a9:f4:5e:21:07\",\"ips\":[\"10.0.0.3\",\"10.0.0.1\"]}");
    ck_assert_int_eq(codec_asset_merge(x, y), 0);
    static const char *const ips_union[] = {"10.0.0.3", "10.0.0.1", "10.0.0.2"};
    ck_assert(array_is(cJSON_GetObjectItemCaseSensitive(x, "ips"), ips_union, 3));
    cJSON_Delete(x);
    cJSON_Delete(y);
    cJSON_Delete(dhcp_doc);
    cJSON_Delete(arp_doc);
}
END_TEST

START_TEST(merge_payloads_by_mac)
{
    cJSON *dhcp_doc, *arp_doc;
    two_views(&dhcp_doc, &arp_doc);
    /* older: the full DHCP view (one asset); newer: the ARP view (two). */
    cJSON *m = codec_upload_merge(dhcp_doc, arp_doc);
    ck_assert_ptr_nonnull(m);
    ck_assert_double_eq(num_of(m, "seq"), 11);                  /* newer's header */
    ck_assert(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(m, "full")));  /* either */
    ck_assert(cJSON_Compare(cJSON_GetObjectItemCaseSensitive(m, "summary"),
                            cJSON_GetObjectItemCaseSensitive(arp_doc, "summary"), 1));
    const cJSON *assets = cJSON_GetObjectItemCaseSensitive(m, "assets");
    ck_assert_int_eq(cJSON_GetArraySize(assets), 2);
    ck_assert_str_eq(str_of(cJSON_GetArrayItem(assets, 0), "mac"), "06:8f:3a:1d:8e:45");
    ck_assert_str_eq(str_of(cJSON_GetArrayItem(assets, 1), "mac"), "3c:a9:f4:5e:21:07");
    /* The shared asset is the asset merge of the two. */
    cJSON *want = cJSON_Duplicate(asset_by_mac(dhcp_doc, mac_win_dhcp), 1);
    ck_assert_int_eq(codec_asset_merge(want, asset_by_mac(arp_doc, mac_win_dhcp)), 0);
    ck_assert(cJSON_Compare(cJSON_GetArrayItem(assets, 1), want, 1));
    cJSON_Delete(want);
    /* The merge is a valid payload. */
    struct codec_upload_head head;
    char err[256];
    ck_assert_msg(codec_upload_parse_head(m, &head, err, sizeof err) == 0, "%s", err);
    ck_assert_uint_eq(head.seq, 11);

    /* Two incremental payloads stay incremental; the inputs are untouched. */
    cJSON_ReplaceItemInObjectCaseSensitive(dhcp_doc, "full", cJSON_CreateFalse());
    cJSON *before = cJSON_Duplicate(dhcp_doc, 1);
    cJSON *m2 = codec_upload_merge(dhcp_doc, arp_doc);
    ck_assert(cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(m2, "full")));
    ck_assert(cJSON_Compare(before, dhcp_doc, 1));
    cJSON_Delete(before);
    cJSON_Delete(m2);
    cJSON_Delete(m);
    cJSON_Delete(dhcp_doc);
    cJSON_Delete(arp_doc);
}
END_TEST

struct head_case {
    const char *name;
    const char *key;        /* top-level field to replace; NULL: the whole document */
    const char *value;      /* its JSON text; NULL: remove the field */
    const char *message;
};

static const struct head_case head_cases[] = {
    {"version_2", "version", "2", "payload: \"version\" must be 1, got 2"},
    {"version_missing", "version", NULL, "payload: \"version\" must be 1, got nothing"},
    {"agent_id_empty", "agent_id", "\"\"",
     "payload: \"agent_id\" must be a string of 1..63 bytes, got \"\""},
    {"agent_id_number", "agent_id", "5",
     "payload: \"agent_id\" must be a string of 1..63 bytes, got 5"},
    {"agent_id_64", "agent_id",
     "\"0123456789012345678901234567890123456789012345678901234567890123\"",
     "payload: \"agent_id\" must be a string of 1..63 bytes, got "
     "\"01234567890123456789012345678901234567890123456..."},
    {"subnet_null", "subnet", "null",
     "payload: \"subnet\" must be a string of 1..63 bytes, got null"},
    {"epoch_negative", "epoch", "-1", "payload: \"epoch\" must be an integer 0..2^53, got -1"},
    {"epoch_missing", "epoch", NULL,
     "payload: \"epoch\" must be an integer 0..2^53, got nothing"},
    {"seq_fraction", "seq", "1.5", "payload: \"seq\" must be an integer 0..2^53, got 1.5"},
    {"seq_over_2_53", "seq", "9007199254740994",
     "payload: \"seq\" must be an integer 0..2^53, got 9007199254740994"},
    {"seq_string", "seq", "\"12\"", "payload: \"seq\" must be an integer 0..2^53, got \"12\""},
    {"full_number", "full", "1", "payload: \"full\" must be true or false, got 1"},
    {"assets_object", "assets", "{}", "payload: \"assets\" must be an array, got an object"},
    {"assets_missing", "assets", NULL, "payload: \"assets\" must be an array, got nothing"},
    {"asset_not_object", "assets", "[{\"mac\":\"aa:bb:cc:dd:ee:ff\"},7]",
     "payload: \"assets\"[1] must be an object, got 7"},
    {"asset_mac_upper", "assets", "[{\"mac\":\"3C:A9:F4:5E:21:07\"}]",
     "payload: \"assets\"[0].\"mac\" must be a lower-case MAC like \"aa:bb:cc:dd:ee:ff\", "
     "got \"3C:A9:F4:5E:21:07\""},
    {"asset_mac_short", "assets", "[{\"mac\":\"3c:a9:f4:5e:21:0\"}]",
     "payload: \"assets\"[0].\"mac\" must be a lower-case MAC like \"aa:bb:cc:dd:ee:ff\", "
     "got \"3c:a9:f4:5e:21:0\""},
    {"asset_mac_missing", "assets", "[{\"ips\":[]}]",
     "payload: \"assets\"[0].\"mac\" must be a lower-case MAC like \"aa:bb:cc:dd:ee:ff\", "
     "got nothing"},
    {"document_array", NULL, "[1]", "payload: the document must be an object, got an array"},
};

START_TEST(parse_head_names_field_and_value)
{
    const struct head_case *c = &head_cases[_i];
    struct codec_upload_head head;
    char err[256];
    struct caps_sensor *s = &sensors[0];

    feed_subnet(s, T0_US);
    struct caps_upload u = upload_of(s, 1, 0, 42);
    cJSON *doc = codec_upload_build(s, &u, &test_id);
    ck_assert_int_eq(codec_upload_parse_head(doc, &head, err, sizeof err), 0);
    if (c->key == NULL) {
        cJSON_Delete(doc);
        doc = cJSON_Parse(c->value);
    } else if (c->value == NULL) {
        cJSON_DeleteItemFromObjectCaseSensitive(doc, c->key);
    } else {
        cJSON *v = cJSON_Parse(c->value);
        ck_assert_msg(v != NULL, "%s: bad test value", c->name);
        ck_assert(cJSON_ReplaceItemInObjectCaseSensitive(doc, c->key, v));
    }
    ck_assert_msg(codec_upload_parse_head(doc, &head, err, sizeof err) == -1,
                  "%s: accepted", c->name);
    ck_assert_msg(strcmp(err, c->message) == 0, "%s: message\n  %s\nwant\n  %s", c->name, err,
                  c->message);
    cJSON_Delete(doc);
}
END_TEST

START_TEST(parse_head_accepts_the_limits)
{
    struct codec_upload_head head;
    char err[256];
    cJSON *doc = cJSON_Parse("{\"version\":1,\"agent_id\":"
                             "\"012345678901234567890123456789012345678901234567890123456789012\","
                             "\"subnet\":\"replay\",\"epoch\":0,\"seq\":9007199254740992,"
                             "\"full\":false,\"assets\":[]}");
    ck_assert_msg(codec_upload_parse_head(doc, &head, err, sizeof err) == 0, "%s", err);
    ck_assert_uint_eq(strlen(head.agent_id), 63);
    ck_assert_str_eq(head.subnet, "replay");
    ck_assert_uint_eq(head.seq, 9007199254740992ull);
    ck_assert_uint_eq(head.epoch, 0);
    ck_assert_int_eq(head.full, 0);
    cJSON_Delete(doc);
}
END_TEST

Suite *suite_upload(void)
{
    Suite *s = suite_create("upload");
    TCase *tc = tcase_create("payload");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, full_payload_is_header_plus_inventory);
    tcase_add_test(tc, incremental_payload_holds_what_changed);
    tcase_add_test(tc, merge_rule_on_real_documents);
    tcase_add_test(tc, merge_payloads_by_mac);
    tcase_add_loop_test(tc, parse_head_names_field_and_value, 0,
                        (int)(sizeof head_cases / sizeof head_cases[0]));
    tcase_add_test(tc, parse_head_accepts_the_limits);
    suite_add_tcase(s, tc);
    return s;
}
