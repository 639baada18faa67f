/* fuzz_ssdp.c - libFuzzer target for caps_ssdp_parse.
 *
 * Asserts the decoder's contract on arbitrary bytes: 0 or one of its three
 * codes; on success every string is NUL-terminated inside its field and free
 * of control bytes, counts stay within their maxima, bits stay within the
 * defined masks, and a message cut at a NUL decodes like its prefix.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "caps/error.h"
#include "caps/ssdp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond) do { if (!(cond)) abort(); } while (0)

#define FIELD_ALL ((CAPS_SSDP_FIELD_CONFIGID << 1) - 1)
#define FLAG_ALL ((CAPS_SSDP_F_EXTRA_TRUNCATED << 1) - 1)

static void check_text(const char *s, size_t cap)
{
    const char *nul = memchr(s, '\0', cap);

    CHECK(nul != NULL);
    for (const char *p = s; p < nul; p++)
        CHECK((unsigned char)*p >= 0x20 && (unsigned char)*p != 0x7f);
}

static struct caps_ssdp out_a, out_b; /* large: keep them off the stack */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct caps_ssdp *o = &out_a;

    memset(o, 0xA5, sizeof *o);
    int rc = caps_ssdp_parse(data, size, o);
    CHECK(rc == 0 || rc == CAPS_E_TRUNCATED || rc == CAPS_E_SYNTAX || rc == CAPS_E_LIMIT);
    if (rc != 0)
        return 0;

    CHECK(strcmp(caps_ssdp_method_name(o->method), "unknown") != 0);
    CHECK(strcmp(caps_ssdp_nts_name(o->nts), "unknown") != 0);
    CHECK((o->present & ~(uint32_t)FIELD_ALL) == 0);
    CHECK((o->truncated & ~o->present) == 0);
    CHECK((o->flags & ~(uint32_t)FLAG_ALL) == 0);
    CHECK(((o->present & CAPS_SSDP_FIELD_NTS) != 0) == (o->nts != CAPS_SSDP_NTS_NONE));
    CHECK((o->present & CAPS_SSDP_FIELD_UUID) == 0 || (o->present & CAPS_SSDP_FIELD_USN));
    CHECK(o->extra_count <= CAPS_SSDP_EXTRAS_MAX);
    CHECK(o->extras_dropped == 0 || o->extra_count == CAPS_SSDP_EXTRAS_MAX);
    CHECK((unsigned)o->bad_lines + o->extra_count + o->extras_dropped <= CAPS_SSDP_LINES_MAX);
    check_text(o->host, sizeof o->host);
    check_text(o->nt, sizeof o->nt);
    check_text(o->usn, sizeof o->usn);
    check_text(o->uuid, sizeof o->uuid);
    check_text(o->location, sizeof o->location);
    check_text(o->server, sizeof o->server);
    check_text(o->user_agent, sizeof o->user_agent);
    check_text(o->st, sizeof o->st);
    check_text(o->man, sizeof o->man);
    for (unsigned i = 0; i < o->extra_count; i++) {
        check_text(o->extras[i].name, sizeof o->extras[i].name);
        check_text(o->extras[i].value, sizeof o->extras[i].value);
        CHECK(o->extras[i].name[0] != '\0');
    }
    if ((o->present & CAPS_SSDP_FIELD_UUID) != 0)
        CHECK(o->uuid[0] != '\0' && strstr(o->usn, o->uuid) != NULL);

    /* the bytes from the first NUL on are ignored */
    const uint8_t *nul = memchr(data, 0, size);
    CHECK(((o->flags & CAPS_SSDP_F_NUL) != 0) == (nul != NULL));
    if (nul != NULL && nul > data) {
        struct caps_ssdp *p = &out_b;
        size_t n = (size_t)(nul - data);
        CHECK(caps_ssdp_parse(data, n, p) == 0);
        CHECK(p->present == o->present && p->truncated == o->truncated);
        CHECK((p->flags | CAPS_SSDP_F_NUL) == o->flags);
        CHECK(strcmp(p->usn, o->usn) == 0 && strcmp(p->server, o->server) == 0);
    }
    return 0;
}
