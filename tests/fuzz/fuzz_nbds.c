/* fuzz_nbds.c - libFuzzer target for caps_nbds_parse and
 * caps_nbds_browser_opcode_name.
 *
 * Asserts the decoder's invariants on any input: a caps error code or 0;
 * on success a known message type, names only where the type has them, no
 * user data decoded from a fragment, a browser frame only from the BROWSE or
 * LANMAN mailslot, every text field NUL-terminated without control bytes,
 * kept counts within their arrays, and lengths within the input.
 */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "caps/error.h"
#include "caps/nbds.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct caps_nbds dgm;

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
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int rc = caps_nbds_parse(data, size, &dgm);

    assert(rc <= 0 && rc > -CAPS_ERR_COUNT);
    if (size > 0)
        assert(caps_nbds_browser_opcode_name(data[0]) != NULL);
    if (rc != CAPS_OK)
        return 0;

    const struct caps_nbds_browser *b = &dgm.browser;
    assert(size >= 10);
    assert(dgm.msg_type >= CAPS_NBDS_DIRECT_UNIQUE &&
           dgm.msg_type <= CAPS_NBDS_NEGATIVE_QUERY_RESPONSE);
    assert(dgm.node_type <= 3 && dgm.first <= 1 && dgm.more <= 1);
    int datagram = dgm.msg_type <= CAPS_NBDS_BROADCAST;
    assert(dgm.has_source == datagram);
    assert(dgm.has_dest == (dgm.msg_type != CAPS_NBDS_ERROR));
    if (dgm.has_source)
        check_name(&dgm.source);
    if (dgm.has_dest)
        check_name(&dgm.dest);
    if (datagram)
        assert((size_t)dgm.dgm_length + 14 <= size && dgm.user_data_bytes <= dgm.dgm_length);
    else
        assert(dgm.user_data_bytes == 0 && dgm.dgm_length == 0);
    if (dgm.fragmented)
        assert(!dgm.is_smb && dgm.mailslot_kind == CAPS_NBDS_MAILSLOT_NONE);
    if (dgm.mailslot_kind != CAPS_NBDS_MAILSLOT_NONE)
        assert(dgm.is_smb && dgm.smb_command == 0x25);
    else
        assert(dgm.mailslot[0] == '\0');
    check_text(dgm.mailslot, sizeof dgm.mailslot);
    if (dgm.is_browser)
        assert(dgm.mailslot_kind == CAPS_NBDS_MAILSLOT_BROWSE ||
               dgm.mailslot_kind == CAPS_NBDS_MAILSLOT_LANMAN);
    else
        assert(b->opcode == 0 && b->server_name[0] == '\0' && b->comment[0] == '\0');
    assert(caps_nbds_browser_opcode_name(b->opcode) != NULL);
    check_text(b->server_name, sizeof b->server_name);
    check_text(b->comment, sizeof b->comment);
    assert(b->backup_names_kept <= CAPS_NBDS_BACKUP_NAMES_MAX);
    assert(b->backup_names_kept <= b->backup_count);
    for (size_t i = 0; i < b->backup_names_kept; i++)
        check_text(b->backup_names[i], sizeof b->backup_names[i]);
    return 0;
}
