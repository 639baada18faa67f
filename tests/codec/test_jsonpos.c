/* test_jsonpos.c - positions of values at paths in JSON texts: nesting,
 * escapes, repeated keys, missing paths, malformed texts, CRLF and tabs,
 * and a cut-at-every-offset run that must never read past the text. */
#include <stdlib.h>
#include <string.h>
#include <check.h>

#include "codec/jsonpos.h"

Suite *suite_jsonpos(void);

struct locate_case {
    const char *name;
    const char *text;
    const char *path;
    int rc;                  /* 0 or -1 */
    int line, col;           /* when rc == 0 */
};

static const char nested[] =
    "{\n"
    "  \"a\": {\"b\": [10, {\"c\": true}, [null, \"x\"]]},\n"
    "  \"d\": -1.5e3\n"
    "}\n";

static const char repeated[] =
    "{\"name\": {\"name\": {\"name\": 1}},\n"
    " \"list\": [{\"name\": 2}, {\"name\": 3}]}";

static const char escapes[] =
    "{\"q\\\"k\": 1, \"s\": \"a\\\"b\\\\\", \"u\\u0041\": 2, \"t\": \"}]{[,:\", \"z\": 3}";

static const char crlf_tabs[] =
    "{\r\n\t\"a\": 1,\r\n\t\"b\":\t[\r\n\t\t2,\r\n\t\t3\r\n\t]\r\n}\r\n";

static const char lone_cr[] = "{\r\"a\":\r\r  7}";

static const struct locate_case locate_cases[] = {
    {"root", nested, "", 0, 1, 1},
    {"member", nested, ".a", 0, 2, 8},
    {"member-deep", nested, ".a.b", 0, 2, 14},
    {"element-0", nested, ".a.b[0]", 0, 2, 15},
    {"element-1-member", nested, ".a.b[1].c", 0, 2, 25},
    {"element-2-1", nested, ".a.b[2][1]", 0, 2, 39},
    {"after-nesting", nested, ".d", 0, 3, 8},
    {"missing-key", nested, ".e", -1, 0, 0},
    {"missing-index", nested, ".a.b[3]", -1, 0, 0},
    {"index-on-object", nested, ".a[0]", -1, 0, 0},
    {"key-on-array", nested, ".a.b.c", -1, 0, 0},
    {"key-on-scalar", nested, ".d.x", -1, 0, 0},
    {"bad-path", nested, "a", -1, 0, 0},
    {"bad-index", nested, ".a.b[x]", -1, 0, 0},
    {"unclosed-index", nested, ".a.b[1", -1, 0, 0},
    {"repeat-top", repeated, ".name", 0, 1, 10},
    {"repeat-mid", repeated, ".name.name", 0, 1, 19},
    {"repeat-inner", repeated, ".name.name.name", 0, 1, 28},
    {"repeat-list", repeated, ".list[1].name", 0, 2, 33},
    {"escaped-quote-key", escapes, ".q\"k", 0, 1, 10},
    {"after-escaped-string", escapes, ".s", 0, 1, 18},
    {"unicode-escape-key", escapes, ".uA", 0, 1, 39},
    {"brackets-in-string", escapes, ".z", 0, 1, 62},
    {"crlf-tab-member", crlf_tabs, ".a", 0, 2, 7},
    {"crlf-tab-array", crlf_tabs, ".b", 0, 3, 7},
    {"crlf-element", crlf_tabs, ".b[1]", 0, 5, 3},
    {"lone-cr", lone_cr, ".a", 0, 4, 3},
    {"bom", "\xef\xbb\xbf{\"a\": 1}", ".a", 0, 1, 10},
    {"empty-text", "", "", -1, 0, 0},
    {"ws-only", " \n ", "", -1, 0, 0},
    {"empty-object", "{}", ".a", -1, 0, 0},
    {"empty-array", "[]", "[0]", -1, 0, 0},
    {"missing-colon", "{\"a\" 1, \"b\": 2}", ".b", -1, 0, 0},
    {"missing-comma", "{\"a\": 1 \"b\": 2}", ".b", -1, 0, 0},
    {"unterminated-string", "{\"a\": \"xyz, \"b\": 2", ".b", -1, 0, 0},
    {"unterminated-key", "{\"a", ".a", -1, 0, 0},
    {"bad-escape", "{\"a\": \"\\q\", \"b\": 2}", ".b", -1, 0, 0},
    {"bad-literal", "{\"a\": nul, \"b\": 2}", ".b", -1, 0, 0},
    {"no-value", "{\"a\": }", ".a", -1, 0, 0},
    {"truncated", "{\"a\": [1, 2", ".a[2]", -1, 0, 0},
    {"found-before-error", "{\"a\": 1, \"b\": ]", ".a", 0, 1, 7},
    {"number-forms", "[-0, 1.5E+3, 2e-1, 7]", "[3]", 0, 1, 20},
};

START_TEST(locate_table)
{
    const struct locate_case *t = &locate_cases[_i];
    int line = -7, col = -7;
    int rc = codec_json_locate(t->text, strlen(t->text), t->path, &line, &col);
    ck_assert_msg(rc == t->rc, "%s: rc %d, want %d", t->name, rc, t->rc);
    if (t->rc == 0)
        ck_assert_msg(line == t->line && col == t->col, "%s: at %d:%d, want %d:%d", t->name,
                      line, col, t->line, t->col);
}
END_TEST

START_TEST(depth_limit)
{
    char text[300];
    char path[300];
    size_t n = 0, p = 0;

    /* 64 levels are reachable, 65 are not. */
    for (int i = 0; i < 70; i++) {
        text[n++] = '[';
        if (i < 64) {
            path[p++] = '[';
            path[p++] = '0';
            path[p++] = ']';
        }
    }
    text[n++] = '1';
    for (int i = 0; i < 70; i++)
        text[n++] = ']';
    path[p] = '\0';
    int line = 0, col = 0;
    ck_assert_int_eq(codec_json_locate(text, n, path, &line, &col), 0);
    ck_assert_int_eq(col, 65);
    memcpy(path + p, "[0]", 4);
    ck_assert_int_eq(codec_json_locate(text, n, path, &line, &col), -1);
    /* Skipping over a too deep value fails too. */
    char deep[200] = "{\"a\": ";
    n = strlen(deep);
    for (int i = 0; i < 70; i++)
        deep[n++] = '[';
    for (int i = 0; i < 70; i++)
        deep[n++] = ']';
    memcpy(deep + n, ", \"b\": 2}", 10);
    n += 9;
    ck_assert_int_eq(codec_json_locate(deep, n, ".b", &line, &col), -1);
}
END_TEST

START_TEST(length_bounds_the_text)
{
    /* The text continues past len: only len bytes count. */
    const char *text = "{\"a\": 1, \"b\": 2}";
    int line = 0, col = 0;
    ck_assert_int_eq(codec_json_locate(text, 9, ".a", &line, &col), 0);
    ck_assert_int_eq(codec_json_locate(text, 9, ".b", &line, &col), -1);
    ck_assert_int_eq(codec_json_locate(text, 6, ".a", &line, &col), -1);
}
END_TEST

START_TEST(cut_every_offset)
{
    /* Every prefix sits in a heap block of exactly its size, so any
     * over-read trips AddressSanitizer; paths before the cut still resolve. */
    const char *texts[] = {nested, repeated, escapes, crlf_tabs};
    const char *paths[] = {".a.b[2][1]", ".list[1].name", ".z", ".b[1]"};
    for (size_t t = 0; t < sizeof texts / sizeof texts[0]; t++) {
        size_t len = strlen(texts[t]);
        for (size_t cut = 0; cut <= len; cut++) {
            char *copy = malloc(cut ? cut : 1);
            ck_assert_ptr_nonnull(copy);
            memcpy(copy, texts[t], cut);
            int line = 0, col = 0;
            int rc = codec_json_locate(copy, cut, paths[t], &line, &col);
            ck_assert(rc == 0 || rc == -1);
            rc = codec_json_locate(copy, cut, "", &line, &col);
            ck_assert_int_eq(rc, cut > 0 ? 0 : -1);
            free(copy);
        }
    }
}
END_TEST

START_TEST(line_col)
{
    const char *text = "ab\ncd\r\nef\rg\th";
    const struct {
        size_t off;
        int line, col;
    } want[] = {{0, 1, 1}, {1, 1, 2}, {2, 1, 3}, {3, 2, 1}, {5, 2, 3}, {6, 3, 1},
                {7, 3, 1}, {8, 3, 2}, {10, 4, 1}, {11, 4, 2}, {12, 4, 3}, {13, 4, 4}};
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        int line = 0, col = 0;
        codec_json_line_col(text, want[i].off, &line, &col);
        ck_assert_msg(line == want[i].line && col == want[i].col,
                      "offset %zu: %d:%d, want %d:%d", want[i].off, line, col, want[i].line,
                      want[i].col);
    }
}
END_TEST

Suite *suite_jsonpos(void)
{
    Suite *s = suite_create("jsonpos");
    TCase *tc = tcase_create("locate");
    tcase_add_loop_test(tc, locate_table, 0,
                        (int)(sizeof locate_cases / sizeof locate_cases[0]));
    tcase_add_test(tc, depth_limit);
    tcase_add_test(tc, length_bounds_the_text);
    tcase_add_test(tc, cut_every_offset);
    tcase_add_test(tc, line_col);
    suite_add_tcase(s, tc);
    return s;
}
