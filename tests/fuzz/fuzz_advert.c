/* fuzz_advert.c - libFuzzer target for the election advert and state machine.
 *
 * 1. caps_advert_parse on the raw input: 0 or one of its codes; a success
 *    needs exactly 104 bytes and re-encodes (MAC copied) to the same bytes.
 * 2. The input cut in 104-byte adverts, each that parses re-signed for the
 *    test site (so fuzzed fields reach the state machine past the MAC check)
 *    and fed to a fresh election, with the advert's own counter byte deciding
 *    how far the clock moves; after every call the role, epoch and deadline
 *    invariants must hold. The MAC is real: OpenSSL HMAC-SHA256 under the
 *    fixed test key of tests/samples/advert_samples.c (deterministic).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "caps/election.h"
#include "caps/error.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond) do { if (!(cond)) abort(); } while (0)

static const char key[] = "caps-test-site-key-0001";
static const uint8_t site[16] = {0x5a, 0x17, 0xe0, 0x01, 0xc0, 0xff, 0xee, 0x00,
                                 0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0};

static void hmac(void *ctx, const uint8_t *msg, size_t len, uint8_t out[32])
{
    unsigned out_len = 32;
    (void)ctx;
    CHECK(HMAC(EVP_sha256(), key, (int)strlen(key), msg, len, out, &out_len) != NULL);
}

static size_t sent;

static void send_cb(void *ctx, const uint8_t *payload, size_t len)
{
    struct caps_advert a;
    (void)ctx;
    CHECK(len == CAPS_ADVERT_BYTES);
    CHECK(caps_advert_parse(payload, len, &a) == 0); /* we only ever send valid adverts */
    CHECK(caps_advert_verify(payload, hmac, NULL) == 0);
    sent++;
}

static void check_state(const struct caps_election *e, uint64_t *epoch)
{
    enum caps_role r = caps_election_role(e);
    CHECK(r == CAPS_ROLE_IDLE || r == CAPS_ROLE_STANDBY || r == CAPS_ROLE_LEADER);
    CHECK(caps_election_epoch(e) >= *epoch);
    *epoch = caps_election_epoch(e);
    CHECK(caps_election_next_deadline_us(e) > e->now_us);
    CHECK(!caps_election_may_report(e) || r == CAPS_ROLE_LEADER);
    CHECK(caps_election_eligible_heard(e) <= CAPS_PEERS_MAX + 1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct caps_election e;
    struct caps_advert a;
    uint8_t buf[CAPS_ADVERT_BYTES];

    int rc = caps_advert_parse(data, size, &a);
    CHECK(rc == 0 || rc == CAPS_E_TRUNCATED || rc == CAPS_E_MAGIC || rc == CAPS_E_VERSION ||
          rc == CAPS_E_LENGTH || rc == CAPS_E_FIELD);
    CHECK(rc != CAPS_E_TRUNCATED || size < CAPS_ADVERT_BYTES);
    CHECK(rc != CAPS_E_LENGTH || size > CAPS_ADVERT_BYTES);
    if (rc == 0) {
        CHECK(size == CAPS_ADVERT_BYTES);
        CHECK(caps_advert_encode(&a, NULL, NULL, buf, sizeof buf) == 0);
        CHECK(memcmp(buf, data, sizeof buf) == 0);
    }

    struct caps_election_config cfg;
    struct caps_election_host host = {NULL, send_cb, hmac, NULL};
    memset(&cfg, 0, sizeof cfg);
    cfg.agent_id = 0x77;
    cfg.priority = 100;
    cfg.advert_interval_us = 1000000;
    cfg.min_peers = 2;
    cfg.preempt = size % 2;
    memcpy(cfg.site_id, site, sizeof site);
    cfg.has_ipv4 = 1;
    cfg.ipv4[0] = 10;
    uint64_t now = 1000000000000ull, epoch = 0;
    CHECK(caps_election_init(&e, &cfg, &host, now) == 0);
    caps_election_set_eligible(&e, 1, now);
    check_state(&e, &epoch);
    for (size_t off = 0; off + CAPS_ADVERT_BYTES <= size; off += CAPS_ADVERT_BYTES) {
        const uint8_t *chunk = data + off;
        /* the clock moves by 0..255 * 50 ms, from the counter's last byte */
        now += (uint64_t)chunk[47] * 50000u;
        if (chunk[47] % 7 == 3)
            caps_election_set_eligible(&e, chunk[46] & 1, now);
        else if (caps_advert_parse(chunk, CAPS_ADVERT_BYTES, &a) == 0) {
            memcpy(a.site_id, site, sizeof site);
            CHECK(caps_advert_encode(&a, hmac, NULL, buf, sizeof buf) == 0);
            caps_election_receive(&e, now, buf, sizeof buf);
        } else {
            caps_election_receive(&e, now, chunk, CAPS_ADVERT_BYTES);
        }
        check_state(&e, &epoch);
        caps_election_tick(&e, caps_election_next_deadline_us(&e));
        now = e.now_us;
        check_state(&e, &epoch);
    }
    caps_election_stop(&e, now);
    CHECK(caps_election_role(&e) == CAPS_ROLE_IDLE);
    CHECK(caps_election_next_deadline_us(&e) == UINT64_MAX);
    return 0;
}
