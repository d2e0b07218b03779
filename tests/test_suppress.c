/*
 * test_suppress.c - NOLINT comments (suppress.c) and the comment scanner
 * under them (comments.c).
 */
#define _XOPEN_SOURCE 700

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "comments.h"
#include "diag.h"
#include "suppress.h"
#include "test_files.h"

/* ---- The comment scanner ------------------------------------------------ */

typedef struct seen_comments {
    char text[8][64];
    unsigned line[8], col[8];
    int n;
} seen_comments;

static void collect(void *ctx, const comment *c)
{
    seen_comments *s = ctx;
    assert_true(s->n < 8);
    snprintf(s->text[s->n], sizeof s->text[s->n], "%.*s", (int)c->len, c->body);
    s->line[s->n] = c->line;
    s->col[s->n] = c->col;
    s->n++;
}

static seen_comments scan(const char *text)
{
    seen_comments s = {0};
    comments_scan(text, strlen(text), collect, &s);
    return s;
}

static void test_comments_found(void **state)
{
    (void)state;
    seen_comments s = scan("int a; // one\n"
                           "  /* two\n  lines */ int b; /**/\n"
                           "// three \\\n continued\n"
                           "/* open");
    assert_int_equal(s.n, 5);
    assert_string_equal(s.text[0], " one");
    assert_int_equal(s.line[0], 1);
    assert_int_equal(s.col[0], 10);
    assert_string_equal(s.text[1], " two\n  lines ");
    assert_int_equal(s.line[1], 2);
    assert_int_equal(s.col[1], 5);
    assert_string_equal(s.text[2], "");
    assert_int_equal(s.line[2], 3);
    assert_string_equal(s.text[3], " three \\\n continued");
    assert_int_equal(s.line[3], 4);
    assert_string_equal(s.text[4], " open");
    assert_int_equal(s.line[4], 6);
}

static void test_literals_are_not_comments(void **state)
{
    (void)state;
    seen_comments s = scan("char *s = \"// no /* no\";\n"
                           "char c = '\"'; // yes\n"
                           "char q = '\\''; int n = 1'000; /* yes */\n"
                           "char *e = \"esc \\\" // no\";\n"
                           "char *u = \"unclosed // no\n"
                           "// yes");
    assert_int_equal(s.n, 3);
    assert_string_equal(s.text[0], " yes");
    assert_int_equal(s.line[0], 2);
    assert_string_equal(s.text[1], " yes ");
    assert_int_equal(s.line[1], 3);
    assert_int_equal(s.line[2], 6);
}

/* ---- Directives --------------------------------------------------------- */

static suppress_file scan_nolint(const char *text)
{
    suppress_file sf;
    suppress_scan(&sf, text, strlen(text));
    return sf;
}

static void test_nolint_same_line(void **state)
{
    (void)state;
    suppress_file sf = scan_nolint("f(a);\n"
                                   "f(b); // NOLINT\n"
                                   "f(c); /* NOLINT(shape-mismatch) */\n"
                                   "f(d); // NOLINT( shape-mismatch ,\t"
                                   "shape-annotation ) because\n");
    assert_false(suppress_covers(&sf, 1, "shape-mismatch"));
    assert_true(suppress_covers(&sf, 2, "shape-mismatch"));
    assert_true(suppress_covers(&sf, 2, "anything"));
    assert_true(suppress_covers(&sf, 3, "shape-mismatch"));
    assert_false(suppress_covers(&sf, 3, "shape-batch-mismatch"));
    assert_true(suppress_covers(&sf, 4, "shape-annotation"));
    assert_true(suppress_covers(&sf, 4, "shape-mismatch"));
    assert_false(suppress_covers(&sf, 4, "shape-batch-mismatch"));
    assert_false(suppress_covers(&sf, 5, "shape-mismatch"));
    assert_int_equal(sf.n_unmatched, 0);
    suppress_file_free(&sf);
}

static void test_nolint_next_line(void **state)
{
    (void)state;
    suppress_file sf = scan_nolint("// NOLINTNEXTLINE(shape-*)\n"
                                   "f(a);\n"
                                   "f(b);\n"
                                   "/* text\n NOLINTNEXTLINE */\n"
                                   "f(c);\n");
    assert_false(suppress_covers(&sf, 1, "shape-mismatch"));
    assert_true(suppress_covers(&sf, 2, "shape-mismatch"));
    assert_false(suppress_covers(&sf, 3, "shape-mismatch"));
    /* The word is on line 5 of a comment that starts on line 4. */
    assert_false(suppress_covers(&sf, 5, "shape-mismatch"));
    assert_true(suppress_covers(&sf, 6, "shape-mismatch"));
    suppress_file_free(&sf);
}

static void test_rule_lists(void **state)
{
    (void)state;
    assert_true(suppress_rules_match(NULL, "shape-mismatch"));
    assert_false(suppress_rules_match("", "shape-mismatch"));
    assert_true(suppress_rules_match("shape-*", "shape-mismatch"));
    assert_true(suppress_rules_match("*", "shape-mismatch"));
    assert_true(suppress_rules_match("*-mismatch", "shape-batch-mismatch"));
    assert_true(suppress_rules_match("s*b*h", "shape-batch"));
    assert_false(suppress_rules_match("shape-mis", "shape-mismatch"));
    assert_false(suppress_rules_match("shape-mismatch", "shape-mis"));
    assert_true(suppress_rules_match("a,shape-mismatch", "shape-mismatch"));
    /* The last glob that matches decides. */
    assert_false(
        suppress_rules_match("shape-*,-shape-batch-*", "shape-batch-mismatch"));
    assert_true(
        suppress_rules_match("shape-*,-shape-batch-*", "shape-mismatch"));
    assert_true(
        suppress_rules_match("-shape-*,shape-mismatch", "shape-mismatch"));
    assert_false(suppress_rules_match(",,-,", "shape-mismatch"));
}

static void test_words_must_be_whole(void **state)
{
    (void)state;
    suppress_file sf = scan_nolint("f(a); // NOLINTS\n"
                                   "f(b); // xNOLINT\n"
                                   "f(c); // nolint\n"
                                   "f(d); // NOLINT(shape-mismatch\n"
                                   "f(e); // NOLINT()\n"
                                   "f(g); char *s = \"// NOLINT\";\n"
                                   "f(h); // NOLINT:because\n");
    for (unsigned line = 1; line <= 6; line++)
        assert_false(suppress_covers(&sf, line, "shape-mismatch"));
    assert_true(suppress_covers(&sf, 7, "shape-mismatch"));
    suppress_file_free(&sf);
}

static void test_begin_end_blocks(void **state)
{
    (void)state;
    suppress_file sf = scan_nolint("// NOLINTBEGIN(shape-mismatch)\n"
                                   "f(a);\n"
                                   "// NOLINTBEGIN\n"
                                   "f(b);\n"
                                   "// NOLINTEND\n"
                                   "f(c);\n"
                                   "// NOLINTEND(shape-mismatch )\n"
                                   "f(d);\n");
    assert_int_equal(sf.n_unmatched, 0);
    assert_true(suppress_covers(&sf, 1, "shape-mismatch"));
    assert_true(suppress_covers(&sf, 2, "shape-mismatch"));
    assert_false(suppress_covers(&sf, 2, "shape-annotation"));
    assert_true(suppress_covers(&sf, 4, "shape-annotation"));
    assert_false(suppress_covers(&sf, 6, "shape-annotation"));
    assert_true(suppress_covers(&sf, 6, "shape-mismatch"));
    assert_true(suppress_covers(&sf, 7, "shape-mismatch"));
    assert_false(suppress_covers(&sf, 8, "shape-mismatch"));
    suppress_file_free(&sf);
}

static void test_unmatched_blocks(void **state)
{
    (void)state;
    suppress_file sf = scan_nolint("// NOLINTEND(shape-mismatch)\n"
                                   "// NOLINTBEGIN\n"
                                   "f(a); // NOLINT\n"
                                   "  /* NOLINTBEGIN(shape-mismatch) */\n"
                                   "f(b);\n"
                                   "// NOLINTEND(shape-annotation)\n"
                                   "// NOLINTEND(shape-mismatch)\n");
    assert_int_equal(sf.n_unmatched, 3);
    assert_int_equal(sf.unmatched[0].line, 1);
    assert_int_equal(sf.unmatched[0].col, 4);
    assert_false(sf.unmatched[0].is_begin);
    assert_int_equal(sf.unmatched[1].line, 2);
    assert_true(sf.unmatched[1].is_begin);
    assert_int_equal(sf.unmatched[2].line, 6);
    assert_false(sf.unmatched[2].is_begin);
    assert_string_equal(suppress_unmatched_message(&sf.unmatched[1]),
                        "unmatched 'NOLINTBEGIN' comment without a "
                        "subsequent 'NOLINTEND' comment");
    assert_string_equal(suppress_unmatched_message(&sf.unmatched[0]),
                        "unmatched 'NOLINTEND' comment without a previous "
                        "'NOLINTBEGIN' comment");
    /* With a mismatch, no block applies; NOLINT still does. */
    assert_false(suppress_covers(&sf, 5, "shape-mismatch"));
    assert_true(suppress_covers(&sf, 3, "shape-mismatch"));
    suppress_file_free(&sf);
}

static void test_many_blocks_stay_linear(void **state)
{
    (void)state;
    /* 40000 open BEGINs and as many ENDs of another list: quadratic
       matching would compare 10^9 pairs. */
    enum { N = 40000 };
    const char *begin = "// NOLINTBEGIN(a)\n", *end = "// NOLINTEND(b)\n";
    size_t len = N * (strlen(begin) + strlen(end));
    char *text = malloc(len + 1), *p = text;
    for (int i = 0; i < N; i++)
        p += sprintf(p, "%s", begin);
    for (int i = 0; i < N; i++)
        p += sprintf(p, "%s", end);
    clock_t start = clock();
    suppress_file sf;
    suppress_scan(&sf, text, len);
    double seconds = (double)(clock() - start) / CLOCKS_PER_SEC;
    assert_int_equal(sf.n_unmatched, 2 * N);
    assert_true(seconds < 5.0);
    suppress_file_free(&sf);
    free(text);
}

/* ---- On findings -------------------------------------------------------- */

static void test_apply_to_findings(void **state)
{
    (void)state;
    char *dir = test_make_dir();
    char *src = test_write(dir, "t.c",
                           "f(a); // NOLINT(shape-mismatch)\n"
                           "f(b);\n"
                           "// NOLINTNEXTLINE\n"
                           "f(c);\n");
    char *other = test_write(dir, "u.c", "  // NOLINTBEGIN\nf(d);\n");
    diag_list list;
    diag_list_init(&list);
    diag_add(&list, &sc_rule_shape_mismatch, (sc_loc){src, 1, 1}, "a");
    diag *d = diag_add(&list, &sc_rule_annotation, (sc_loc){src, 1, 3}, "a2");
    diag_add_note(&list, d, (sc_loc){src, 4, 1}, "a note on a NOLINT line");
    diag_add(&list, &sc_rule_shape_mismatch, (sc_loc){src, 2, 1}, "b");
    diag_add(&list, &sc_rule_batch_mismatch, (sc_loc){src, 4, 1}, "c");
    diag_add(&list, NULL, (sc_loc){src, 4, 1}, "compiler");
    diag_add(&list, &sc_rule_shape_mismatch, (sc_loc){other, 2, 1}, "d");
    diag_add(&list, &sc_rule_shape_mismatch, (sc_loc){"/nonexistent.c", 1, 1},
             "e");
    diag_list_sort(&list);
    assert_int_equal(suppress_apply(&list), 2);
    /* Left: a2, b, compiler, d (its BEGIN is unmatched), e, and the
       unmatched BEGIN itself, sorted. */
    assert_int_equal(list.n, 6);
    assert_string_equal(list.items[0].message, "e");
    assert_string_equal(list.items[1].message, "a2");
    assert_string_equal(list.items[2].message, "b");
    assert_string_equal(list.items[3].message, "compiler");
    assert_ptr_equal(list.items[4].rule, &sc_rule_nolint);
    assert_string_equal(list.items[4].loc.file, other);
    assert_int_equal(list.items[4].loc.line, 1);
    assert_int_equal(list.items[4].loc.col, 6);
    assert_string_equal(list.items[4].message,
                        "unmatched 'NOLINTBEGIN' comment without a "
                        "subsequent 'NOLINTEND' comment");
    assert_string_equal(list.items[5].message, "d");
    /* Applying again changes nothing: shapecheck-nolint is not
       suppressible and the duplicate report is dropped by the sort. */
    assert_int_equal(suppress_apply(&list), 0);
    assert_int_equal(list.n, 6);
    diag_list_free(&list);
    free(src);
    free(other);
    test_remove_dir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_comments_found),
        cmocka_unit_test(test_literals_are_not_comments),
        cmocka_unit_test(test_nolint_same_line),
        cmocka_unit_test(test_nolint_next_line),
        cmocka_unit_test(test_rule_lists),
        cmocka_unit_test(test_words_must_be_whole),
        cmocka_unit_test(test_begin_end_blocks),
        cmocka_unit_test(test_unmatched_blocks),
        cmocka_unit_test(test_many_blocks_stay_linear),
        cmocka_unit_test(test_apply_to_findings),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
