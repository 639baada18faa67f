/* fuzz_arp.c - libFuzzer target for caps_arp_parse.
 *
 * Asserts the decoder's contract on arbitrary bytes: it returns 0 or one of
 * its three codes, a success needs the whole 28-byte body with the accepted
 * types, and the output agrees with the input bytes and the kind rules.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "caps/arp.h"
#include "caps/error.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond) do { if (!(cond)) abort(); } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct caps_arp a;
    static const uint8_t zero[4];

    memset(&a, 0xA5, sizeof a);
    int rc = caps_arp_parse(data, size, &a);
    CHECK(rc == 0 || rc == CAPS_E_TRUNCATED || rc == CAPS_E_VERSION || rc == CAPS_E_FIELD);
    CHECK(caps_arp_kind_name(a.kind) != NULL);
    if (rc != 0) {
        CHECK(rc != CAPS_E_TRUNCATED || size < CAPS_ARP_BODY_BYTES);
        return 0;
    }
    CHECK(size >= CAPS_ARP_BODY_BYTES);
    CHECK(a.htype == CAPS_ARP_HTYPE_ETHERNET || a.htype == CAPS_ARP_HTYPE_IEEE802);
    CHECK(a.op == CAPS_ARP_OP_REQUEST || a.op == CAPS_ARP_OP_REPLY);
    CHECK(data[2] == 0x08 && data[3] == 0x00 && data[4] == 6 && data[5] == 4);
    CHECK(memcmp(a.sha, data + 8, 6) == 0 && memcmp(a.spa, data + 14, 4) == 0);
    CHECK(memcmp(a.tha, data + 18, 6) == 0 && memcmp(a.tpa, data + 24, 4) == 0);

    int spa_zero = memcmp(a.spa, zero, 4) == 0;
    int same = memcmp(a.spa, a.tpa, 4) == 0;
    switch (a.kind) {
    case CAPS_ARP_KIND_PROBE:
        CHECK(a.op == CAPS_ARP_OP_REQUEST && spa_zero);
        break;
    case CAPS_ARP_KIND_ANNOUNCEMENT:
        CHECK(a.op == CAPS_ARP_OP_REQUEST && !spa_zero && same);
        break;
    case CAPS_ARP_KIND_REQUEST:
        CHECK(a.op == CAPS_ARP_OP_REQUEST && !spa_zero && !same);
        break;
    case CAPS_ARP_KIND_GRATUITOUS_REPLY:
        CHECK(a.op == CAPS_ARP_OP_REPLY && !spa_zero && same);
        break;
    case CAPS_ARP_KIND_REPLY:
        CHECK(a.op == CAPS_ARP_OP_REPLY && (spa_zero || !same));
        break;
    default:
        CHECK(0);
    }
    /* trailing bytes never change the result */
    if (size > CAPS_ARP_BODY_BYTES) {
        struct caps_arp b;
        CHECK(caps_arp_parse(data, CAPS_ARP_BODY_BYTES, &b) == 0);
        CHECK(memcmp(&a.sha, &b.sha, 6) == 0 && a.kind == b.kind && a.op == b.op);
    }
    return 0;
}
