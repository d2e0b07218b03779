/*
 * test_output.c - the text format (output_text.c), and the findings list
 * it prints (diag.c): order, duplicates, copies.
 */
#define _POSIX_C_SOURCE 200809L

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "diag.h"
#include "output.h"

#define SNIPPET TEST_DATA_DIR "/output/snippet.c"

static const sc_rule warning_rule = {.id = "test-warning",
                                     .severity = SC_SEV_WARNING,
                                     .short_text = "a warning",
                                     .full_text = "a warning, for tests"};

static sc_loc at(const char *file, unsigned line, unsigned col)
{
    return (sc_loc){file, line, col};
}

/* Renders LIST and compares with WANT exactly. */
static void assert_output(const diag_list *list, const char *want)
{
    char *text = NULL;
    size_t len;
    FILE *out = open_memstream(&text, &len);
    assert_non_null(out);
    output_text(out, list);
    fclose(out);
    assert_string_equal(text, want);
    free(text);
}

static void test_snippet_keeps_tabs(void **state)
{
    (void)state;
    diag_list list;
    diag_list_init(&list);
    diag *d = diag_add(&list, &sc_rule_batch_mismatch, at(SNIPPET, 4, 3),
                       "logits and labels must have the same first "
                       "dimension: '%s' is [32, 10] but '%s' is [64]",
                       "logits", "labels");
    diag_add_note(&list, d, at(SNIPPET, 3, 6), "'x' declared with %d", 1);
    assert_output(&list,
                  SNIPPET ":4:3: error: logits and labels must have the same "
                          "first dimension: 'logits' is [32, 10] but "
                          "'labels' is [64] [shape-batch-mismatch]\n"
                          "    4 | \t\tloss(logits, labels);\n"
                          "      | \t\t^\n" SNIPPET
                          ":3:6: note: 'x' declared with 1\n");
    diag_list_free(&list);
}

static void test_snippet_columns(void **state)
{
    (void)state;
    diag_list list;
    diag_list_init(&list);
    diag_add(&list, &sc_rule_shape_mismatch, at(SNIPPET, 5, 13), "spaces");
    /* "é" is two bytes and one column: the caret still sits under 'h'. */
    diag_add(&list, &warning_rule, at(SNIPPET, 6, 24), "utf-8");
    diag_add(&list, &sc_rule_annotation, at(SNIPPET, 1, 1), "first column");
    assert_output(&list, SNIPPET ":5:13: error: spaces [shape-mismatch]\n"
                                 "    5 |     int y = g(a, b);\n"
                                 "      |             ^\n" SNIPPET
                                 ":6:24: warning: utf-8 [test-warning]\n"
                                 "    6 | \tconst char *s = \"\xc3\xa9\"; "
                                 "h(s);\n"
                                 "      | \t                     ^\n" SNIPPET
                                 ":1:1: error: first column "
                                 "[shape-annotation]\n"
                                 "    1 | int f(void)\n"
                                 "      | ^\n");
    diag_list_free(&list);
}

static void test_no_snippet_when_unreadable(void **state)
{
    (void)state;
    diag_list list;
    diag_list_init(&list);
    diag_add(&list, &sc_rule_shape_mismatch, at("no/such/file.c", 3, 7),
             "missing file");
    diag_add(&list, &sc_rule_shape_mismatch, at(SNIPPET, 99, 1),
             "past the end");
    diag_add(&list, &sc_rule_shape_mismatch, at(NULL, 0, 0), "nowhere");
    diag_add(&list, &sc_rule_shape_mismatch, at(SNIPPET, 2, 0), "no column");
    assert_output(
        &list,
        "no/such/file.c:3:7: error: missing file [shape-mismatch]\n" SNIPPET
        ":99:1: error: past the end [shape-mismatch]\n"
        "error: nowhere [shape-mismatch]\n" SNIPPET
        ":2: error: no column [shape-mismatch]\n"
        "    2 | {\n");
    diag_list_free(&list);
}

static void test_compiler_diagnostic_as_is(void **state)
{
    (void)state;
    diag_list list;
    diag_list_init(&list);
    diag *d = diag_add(&list, NULL, at(SNIPPET, 4, 3), "%s",
                       "snippet.c:4:3: error: call to undeclared function "
                       "'loss'");
    diag_add_note(&list, d, at("lib.h", 2, 1), "did you mean 'lost'?");
    assert_output(&list,
                  "snippet.c:4:3: error: call to undeclared function 'loss'\n"
                  "lib.h:2:1: note: did you mean 'lost'?\n");
    diag_list_free(&list);
}

static void test_wide_line_numbers(void **state)
{
    (void)state;
    char path[] = "/tmp/sc_test_output_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    assert_non_null(f);
    for (int i = 1; i <= 12345; i++)
        fprintf(f, "line%d\n", i);
    fclose(f);
    diag_list list;
    diag_list_init(&list);
    diag_add(&list, &sc_rule_shape_mismatch, at(path, 12345, 5), "deep");
    char want[256];
    snprintf(want, sizeof want,
             "%s:12345:5: error: deep [shape-mismatch]\n"
             " 12345 | line12345\n"
             "       |     ^\n",
             path);
    assert_output(&list, want);
    diag_list_free(&list);
    unlink(path);
}

/* ---- The list (diag.c) --------------------------------------------------- */

static void test_sort_and_drop_duplicates(void **state)
{
    (void)state;
    diag_list list;
    diag_list_init(&list);
    diag_add(&list, &sc_rule_shape_mismatch, at("b.c", 1, 1), "m");
    diag_add(&list, &sc_rule_shape_mismatch, at("a.c", 9, 2), "m");
    diag_add(&list, &sc_rule_shape_mismatch, at("a.c", 9, 1), "z");
    diag_add(&list, &sc_rule_batch_mismatch, at("a.c", 9, 1), "z");
    diag_add(&list, &sc_rule_shape_mismatch, at("a.c", 9, 1), "a");
    /* The same finding from a second translation unit. */
    diag_add(&list, &sc_rule_shape_mismatch, at("b.c", 1, 1), "m");
    diag_add(&list, &sc_rule_shape_mismatch, at("a.c", 10, 1), "m");
    assert_int_equal(diag_count_findings(&list), 7);
    diag_list_sort(&list);
    assert_int_equal(list.n, 6);
    assert_int_equal(diag_count_findings(&list), 6);
    assert_output(&list, "a.c:9:1: error: z [shape-batch-mismatch]\n"
                         "a.c:9:1: error: a [shape-mismatch]\n"
                         "a.c:9:1: error: z [shape-mismatch]\n"
                         "a.c:9:2: error: m [shape-mismatch]\n"
                         "a.c:10:1: error: m [shape-mismatch]\n"
                         "b.c:1:1: error: m [shape-mismatch]\n");
    diag_list_free(&list);
}

static void test_count_findings(void **state)
{
    (void)state;
    diag_list list;
    diag_list_init(&list);
    diag *note = diag_add(&list, NULL, at("a.c", 1, 1), "a compiler note");
    note->severity = SC_SEV_NOTE;
    diag *warning = diag_add(&list, NULL, at("a.c", 1, 1), "a compiler warning");
    warning->severity = SC_SEV_WARNING;
    assert_int_equal(diag_count_findings(&list), 0);
    diag_add(&list, &warning_rule, at("a.c", 1, 1), "w");
    assert_int_equal(diag_count_findings(&list), 1);
    diag_add(&list, &sc_rule_annotation, at("a.c", 2, 1), "e");
    assert_int_equal(diag_count_findings(&list), 2);
    diag_list_free(&list);
}

static void test_copy_outlives_source(void **state)
{
    (void)state;
    diag_list from, to;
    diag_list_init(&from);
    diag_list_init(&to);
    char file[] = "t.c";
    diag *d = diag_add(&from, &sc_rule_batch_mismatch, at(file, 3, 1), "err");
    for (int i = 1; i <= 6; i++)
        diag_add_note(&from, d, at(file, (unsigned)i, 2), "note %d", i);
    file[0] = 'x'; /* diag_add copied the name, it did not point to it */
    diag_copy(&to, d);
    diag_list_free(&from); /* the copy owns its strings */
    /* Notes can still be added to the copy. */
    diag_add_note(&to, &to.items[0], at("u.c", 1, 1), "added");
    assert_output(&to, "t.c:3:1: error: err [shape-batch-mismatch]\n"
                       "t.c:1:2: note: note 1\n"
                       "t.c:2:2: note: note 2\n"
                       "t.c:3:2: note: note 3\n"
                       "t.c:4:2: note: note 4\n"
                       "t.c:5:2: note: note 5\n"
                       "t.c:6:2: note: note 6\n"
                       "u.c:1:1: note: added\n");
    diag_list_free(&to);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_snippet_keeps_tabs),
        cmocka_unit_test(test_snippet_columns),
        cmocka_unit_test(test_no_snippet_when_unreadable),
        cmocka_unit_test(test_compiler_diagnostic_as_is),
        cmocka_unit_test(test_wide_line_numbers),
        cmocka_unit_test(test_sort_and_drop_duplicates),
        cmocka_unit_test(test_count_findings),
        cmocka_unit_test(test_copy_outlives_source),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
