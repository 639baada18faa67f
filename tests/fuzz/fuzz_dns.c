/* fuzz_dns.c - libFuzzer target for caps_dns_parse and the TXT helpers.
 *
 * Asserts the decoder's invariants on any input: a caps error code or 0,
 * counts within their arrays, every text field NUL-terminated inside its
 * field, TXT walks and lookups safe on every record, and on success the
 * counts adding up to the header's.
 */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "caps/dns.h"
#include "caps/error.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct caps_dns dns;

static void check_text(const char *s, size_t cap)
{
    assert(memchr(s, '\0', cap) != NULL);
}

static void check_txt(const struct caps_dns_rr *rr)
{
    static const char *const keys[] = {"model", "md", "fn", "ty", "", "a", "=", "MODEL"};
    struct caps_dns_txt_iter it;
    struct caps_dns_txt_item item;
    size_t walked = 0;
    char val[16];

    caps_dns_txt_iter_init(&it, rr);
    while (caps_dns_txt_next(&it, &item)) {
        assert(item.len <= 255);
        assert(item.key_len <= item.len);
        assert(item.str >= rr->rd.txt.raw && item.str + item.len <= rr->rd.txt.raw + rr->rd.txt.raw_len);
        if (item.value != NULL)
            assert(item.key_len + 1 + item.value_len == item.len);
        else
            assert(item.value_len == 0 && item.key_len == item.len);
        walked += 1 + item.len;
    }
    if (rr->type == CAPS_DNS_TYPE_TXT)
        assert(walked == rr->rd.txt.raw_len);
    else
        assert(walked == 0);
    for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
        int rc = caps_dns_txt_get(rr, keys[k], val, sizeof val);

        assert(memchr(val, '\0', sizeof val) != NULL);
        if (rr->type != CAPS_DNS_TYPE_TXT || keys[k][0] == '\0')
            assert(rc == CAPS_E_ARG);
        else
            assert(rc == CAPS_E_FIELD || (rc >= 0 && rc <= 255));
        if (rc >= 0)
            assert(strlen(val) <= (size_t)rc && strlen(val) < sizeof val);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int rc = caps_dns_parse(data, size, &dns);

    assert(rc <= 0 && rc > -CAPS_ERR_COUNT);
    assert(dns.question_count <= CAPS_DNS_QUESTIONS_MAX);
    assert(dns.record_count <= CAPS_DNS_RECORDS_MAX);
    assert(dns.question_count + dns.questions_dropped <= dns.qdcount);
    assert(dns.record_count + dns.records_dropped <=
           (uint32_t)dns.ancount + dns.nscount + dns.arcount);
    if (rc == 0) {
        assert(dns.question_count + dns.questions_dropped == dns.qdcount);
        assert(dns.record_count + dns.records_dropped ==
               (uint32_t)dns.ancount + dns.nscount + dns.arcount);
        assert(dns.trailing_bytes <= size - CAPS_DNS_HEADER_BYTES);
    }
    for (unsigned i = 0; i < dns.question_count; i++) {
        const struct caps_dns_question *q = &dns.questions[i];

        check_text(q->name, sizeof q->name);
        assert(q->name[0] != '\0');
        assert(q->qclass <= 0x7fff && q->unicast_response <= 1);
    }
    for (unsigned i = 0; i < dns.record_count; i++) {
        const struct caps_dns_rr *rr = &dns.records[i];

        check_text(rr->name, sizeof rr->name);
        assert(rr->name[0] != '\0');
        assert(rr->section >= CAPS_DNS_SECTION_ANSWER && rr->section <= CAPS_DNS_SECTION_ADDITIONAL);
        assert(rr->cache_flush <= 1);
        assert(rr->type == CAPS_DNS_TYPE_OPT || rr->rrclass <= 0x7fff);
        assert(caps_dns_type_name(rr->type) != NULL);
        switch (rr->type) {
        case CAPS_DNS_TYPE_A:
            assert(rr->rdlength == 4);
            break;
        case CAPS_DNS_TYPE_AAAA:
            assert(rr->rdlength == 16);
            break;
        case CAPS_DNS_TYPE_PTR:
        case CAPS_DNS_TYPE_CNAME:
        case CAPS_DNS_TYPE_NS:
            check_text(rr->rd.ptr, sizeof rr->rd.ptr);
            break;
        case CAPS_DNS_TYPE_SRV:
            check_text(rr->rd.srv.target, sizeof rr->rd.srv.target);
            break;
        case CAPS_DNS_TYPE_TXT:
            assert(rr->rd.txt.raw_len <= CAPS_DNS_TXT_RAW_MAX);
            assert(rr->rd.txt.raw_len <= rr->rdlength);
            assert(rr->rd.txt.truncated <= 1);
            break;
        case CAPS_DNS_TYPE_HINFO:
            check_text(rr->rd.hinfo.cpu, sizeof rr->rd.hinfo.cpu);
            check_text(rr->rd.hinfo.os, sizeof rr->rd.hinfo.os);
            break;
        case CAPS_DNS_TYPE_NSEC:
            check_text(rr->rd.nsec.next, sizeof rr->rd.nsec.next);
            assert(rr->rd.nsec.type_count <= CAPS_DNS_NSEC_TYPES_MAX);
            for (unsigned k = 1; k < rr->rd.nsec.type_count; k++)
                assert(rr->rd.nsec.types[k - 1] < rr->rd.nsec.types[k]);
            break;
        default:
            break;
        }
        check_txt(rr);
    }
    return 0;
}
