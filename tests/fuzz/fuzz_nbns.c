/* fuzz_nbns.c - libFuzzer target for caps_nbns_parse and caps_nbns_kind_name.
 *
 * Asserts the decoder's invariants on any input: a caps error code or 0;
 * on success a known kind consistent with the header, every name a
 * NUL-terminated field without control bytes, suffix = raw[15], kept counts
 * within their arrays and equal to min(count, maximum), NB RDATA a multiple
 * of 6, and a second parse of the same bytes giving the same fields.
 */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "caps/error.h"
#include "caps/nbns.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct caps_nbns msg, again;

static void check_text(const char *s, size_t cap)
{
    const char *end = memchr(s, '\0', cap);

    assert(end != NULL);
    for (const char *p = s; p < end; p++)
        assert((unsigned char)*p >= 0x20 && (unsigned char)*p != 0x7f);
}

static void check_name(const struct caps_nb_name *n)
{
    check_text(n->name, sizeof n->name);
    check_text(n->scope, sizeof n->scope);
    assert(n->suffix == n->raw[15]);
    assert(strlen(n->name) <= 15);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int rc = caps_nbns_parse(data, size, &msg);

    assert(rc <= 0 && rc > -CAPS_ERR_COUNT);
    assert(caps_nbns_kind_name(msg.kind) != NULL);
    if (size > 0)
        assert(caps_nbns_kind_name((enum caps_nbns_kind)data[0]) != NULL);
    if (rc != CAPS_OK)
        return 0;

    assert(size >= 12);
    assert(msg.kind > CAPS_NBNS_KIND_UNKNOWN && msg.kind < CAPS_NBNS_KIND_COUNT);
    assert(strcmp(caps_nbns_kind_name(msg.kind), "unknown") != 0);
    assert(msg.opcode <= 15 && msg.rcode <= 15);
    assert(msg.response == (msg.flags >> 15));
    assert(msg.has_question == (msg.qdcount == 1));
    if (!msg.response)
        assert(msg.has_question && !(msg.kind == CAPS_NBNS_KIND_WACK ||
                                     msg.kind == CAPS_NBNS_KIND_POSITIVE_RESPONSE ||
                                     msg.kind == CAPS_NBNS_KIND_NEGATIVE_RESPONSE ||
                                     msg.kind == CAPS_NBNS_KIND_NODE_STATUS_RESPONSE));
    else
        assert(msg.has_rr);
    if (msg.has_question)
        check_name(&msg.qname);
    assert(msg.has_rr == (msg.rr_section != CAPS_NBNS_SECTION_NONE));
    if (msg.has_rr) {
        check_name(&msg.rr_name);
        assert(msg.rdlength <= size);
    }
    assert(msg.ont <= 3 && msg.group <= 1);
    assert(msg.addrs_kept <= CAPS_NBNS_ADDRS_MAX);
    assert(msg.addrs_kept == (msg.addr_count < CAPS_NBNS_ADDRS_MAX ? msg.addr_count
                                                                  : CAPS_NBNS_ADDRS_MAX));
    if (msg.addr_count > 0)
        assert(msg.rr_type == CAPS_NBNS_TYPE_NB && (size_t)msg.addr_count * 6 == msg.rdlength);
    if (msg.kind == CAPS_NBNS_KIND_WACK)
        assert(msg.rdlength == 2 && msg.addr_count == 0);
    assert(msg.node_names_kept <= CAPS_NBNS_NODE_NAMES_MAX);
    assert(msg.node_names_kept == (msg.node_name_count < CAPS_NBNS_NODE_NAMES_MAX
                                       ? msg.node_name_count : CAPS_NBNS_NODE_NAMES_MAX));
    assert((size_t)msg.node_name_count * 18 + 1 <= msg.rdlength || msg.node_name_count == 0);
    for (size_t i = 0; i < msg.node_names_kept; i++) {
        check_text(msg.node_names[i].name, sizeof msg.node_names[i].name);
        assert(msg.node_names[i].suffix == msg.node_names[i].raw[15]);
    }
    if (msg.has_unit_id)
        assert(msg.rr_type == CAPS_NBNS_TYPE_NBSTAT);

    /* Deterministic: the same bytes give the same fields. */
    assert(caps_nbns_parse(data, size, &again) == CAPS_OK);
    assert(memcmp(&msg, &again, offsetof(struct caps_nbns, addrs)) == 0);
    assert(memcmp(msg.addrs, again.addrs, msg.addrs_kept * sizeof msg.addrs[0]) == 0);
    return 0;
}
