/* runner.c - runs every Check suite of the core (the unit tier).
 *
 * Suites are discovered by CMake from tests/core/test_*.c. CK_RUN_SUITE and
 * CK_RUN_CASE select one, as usual with Check.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <check.h>

#include "caps/error.h"
#include "testutil.h"

extern suite_fn *const caps_core_suites[];

size_t test_cut_every_offset(const struct caps_sample *s, parse_fn *parse,
                             void *out, size_t out_bytes)
{
    size_t ok = 0;

    for (size_t cut = 0; cut <= s->len; cut++) {
        uint8_t *copy = malloc(cut ? cut : 1);
        ck_assert_ptr_nonnull(copy);
        memcpy(copy, s->bytes, cut);
        memset(out, 0xA5, out_bytes);
        int rc = parse(copy, cut, out);
        free(copy);
        ck_assert_msg(rc <= 0 && rc > -CAPS_ERR_COUNT,
                      "%s cut at %zu: return %d is not a caps error code",
                      s->name, cut, rc);
        if (rc == 0)
            ok++;
    }
    return ok;
}

const struct caps_sample *test_sample(const struct caps_sample_set *set,
                                      const char *name)
{
    for (size_t i = 0; i < set->count; i++)
        if (strcmp(set->samples[i].name, name) == 0)
            return &set->samples[i];
    ck_abort_msg("sample %s/%s missing", set->decoder, name);
    return NULL;
}

int main(void)
{
    SRunner *sr = NULL;

    for (size_t i = 0; caps_core_suites[i] != NULL; i++) {
        Suite *s = caps_core_suites[i]();
        if (sr == NULL)
            sr = srunner_create(s);
        else
            srunner_add_suite(sr, s);
    }
    if (sr == NULL) {
        fprintf(stderr, "test_core: no suites\n");
        return 1;
    }
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? 0 : 1;
}
