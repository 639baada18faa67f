/* fuzz_fpdb.c - the fingerprint database reader (codec/fingerprints.h) on
 * arbitrary text: 0 or -1, never a crash; loaded rules keep every bound, and
 * matching any rule's own pattern text against the database is safe. */
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "codec/fingerprints.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct codec_fp_db *db = calloc(1, sizeof *db);
    char err[CODEC_ERRMSG_MAX];

    assert(db != NULL);
    int rc = codec_fp_parse((const char *)data, size, "fuzz.json", db, err);
    assert(rc == 0 || rc == -1);
    if (rc == 0) {
        assert(db->db.count <= CAPS_FP_RULES_MAX);
        for (uint32_t i = 0; i < db->db.count; i++) {
            const struct caps_fp_rule *r = &db->db.rules[i];
            char capture[CAPS_EV_CAPTURE_MAX];
            assert(r->kind > CAPS_EV_NONE && r->kind < CAPS_EV_KIND_COUNT);
            assert(r->score_milli >= 1 && r->score_milli <= 1000);
            assert(memchr(r->pattern, '\0', sizeof r->pattern) != NULL);
            int m = caps_fp_db_match(&db->db, r->kind, r->pattern, capture, sizeof capture);
            assert(m >= -1 && m < (int)db->db.count);
        }
    }
    codec_fp_free(db);
    free(db);
    return 0;
}
