/*
 * test_verify.c - --verify: reading expectations and matching findings
 * (verify.c).
 */
#define _POSIX_C_SOURCE 200809L

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "verify.h"

#define DATA TEST_DATA_DIR "/verify"

static void assert_expect(const verify_expect *e, verify_kind kind,
                          unsigned line, unsigned comment_line,
                          const char *text)
{
    assert_int_equal(e->kind, kind);
    assert_int_equal(e->line, line);
    assert_int_equal(e->comment_line, comment_line);
    assert_string_equal(e->text, text);
}

/* Parses TEXT as file "t.c", which must succeed. */
static void parse_ok(verify_file *vf, const char *text)
{
    char err[256] = "";
    assert_int_equal(verify_parse_text(vf, "t.c", text, err, sizeof err), 0);
    assert_string_equal(err, "");
}

/* Parses TEXT as file "t.c", which must fail with message WANT. */
static void parse_fails(const char *text, const char *want)
{
    verify_file vf;
    char err[256] = "";
    assert_int_equal(verify_parse_text(&vf, "t.c", text, err, sizeof err), -1);
    assert_string_equal(err, want);
    assert_null(vf.expects);
    assert_null(vf.storage);
}

/* ---- Parsing ------------------------------------------------------------ */

static void test_parse_line_comment(void **state)
{
    (void)state;
    verify_file vf;
    parse_ok(&vf, "int x;\nf(x); // expected-error {{cannot match}}\n");
    assert_string_equal(vf.path, "t.c");
    assert_int_equal(vf.n_expects, 1);
    assert_expect(&vf.expects[0], VERIFY_ERROR, 2, 2, "cannot match");
    assert_string_equal(vf.expects[0].file, "t.c");
    assert_int_equal(vf.no_diagnostics, 0);
    verify_file_free(&vf);
}

static void test_parse_line_offsets(void **state)
{
    (void)state;
    verify_file vf;
    parse_ok(&vf, "// expected-error@+2 {{a}}\n"
                  "\n"
                  "\n"
                  "// expected-note@-1 {{b}}\n"
                  "// expected-warning@7{{c}}\n");
    assert_int_equal(vf.n_expects, 3);
    assert_expect(&vf.expects[0], VERIFY_ERROR, 3, 1, "a");
    assert_expect(&vf.expects[1], VERIFY_NOTE, 3, 4, "b");
    assert_expect(&vf.expects[2], VERIFY_WARNING, 7, 5, "c");
    verify_file_free(&vf);
}

static void test_parse_several_texts(void **state)
{
    (void)state;
    verify_file vf;
    parse_ok(&vf, "f(); // expected-error {{one}} {{two}}{{ three }}\n"
                  "g(); // expected-note {{}} expected-note {{four}}\n");
    assert_int_equal(vf.n_expects, 5);
    assert_expect(&vf.expects[0], VERIFY_ERROR, 1, 1, "one");
    assert_expect(&vf.expects[1], VERIFY_ERROR, 1, 1, "two");
    assert_expect(&vf.expects[2], VERIFY_ERROR, 1, 1, " three ");
    assert_expect(&vf.expects[3], VERIFY_NOTE, 2, 2, "");
    assert_expect(&vf.expects[4], VERIFY_NOTE, 2, 2, "four");
    verify_file_free(&vf);
}

static void test_parse_block_comments(void **state)
{
    (void)state;
    verify_file vf;
    parse_ok(&vf, "/* expected-error {{a}} */ int x;\n"
                  "/*\n"
                  " * expected-note@+2 {{b}}\n"
                  " */\n"
                  "int y; /* expected-warning {{spans\n"
                  "two lines}} */ int z; // expected-error {{c}}\n");
    assert_int_equal(vf.n_expects, 4);
    assert_expect(&vf.expects[0], VERIFY_ERROR, 1, 1, "a");
    /* The directive's own line counts, not the comment's first line. */
    assert_expect(&vf.expects[1], VERIFY_NOTE, 5, 3, "b");
    assert_expect(&vf.expects[2], VERIFY_WARNING, 5, 5, "spans\ntwo lines");
    assert_expect(&vf.expects[3], VERIFY_ERROR, 6, 6, "c");
    verify_file_free(&vf);
}

static void test_parse_skips_literals(void **state)
{
    (void)state;
    verify_file vf;
    parse_ok(&vf,
             "const char *s = \"// expected-error {{in a string}}\";\n"
             "const char *t = \"\\\" /* expected-error {{escaped}} */\";\n"
             "char q = '\"'; char r = '\\''; // expected-note {{after chars}}\n"
             "int n = 1'000; // expected-warning {{after a number}}\n"
             "const char *u = u8\"// expected-error {{prefixed}}\";\n");
    assert_int_equal(vf.n_expects, 2);
    assert_expect(&vf.expects[0], VERIFY_NOTE, 3, 3, "after chars");
    assert_expect(&vf.expects[1], VERIFY_WARNING, 4, 4, "after a number");
    verify_file_free(&vf);
}

static void test_parse_no_diagnostics(void **state)
{
    (void)state;
    verify_file vf;
    parse_ok(&vf, "// expected-no-diagnostics\nint x;\n");
    assert_int_equal(vf.no_diagnostics, 1);
    assert_int_equal(vf.n_expects, 0);
    verify_file_free(&vf);
}

static void test_parse_ignores_other_words(void **state)
{
    (void)state;
    verify_file vf;
    parse_ok(&vf, "// unexpected-error {{a}}\n"
                  "// the expected-errors are listed below\n"
                  "// expected-error-re {{b.*}}\n"
                  "// expected-\n");
    assert_int_equal(vf.n_expects, 0);
    assert_int_equal(vf.no_diagnostics, 0);
    verify_file_free(&vf);
}

static void test_parse_malformed(void **state)
{
    (void)state;
    parse_fails("int x;\nf(x); // expected-error cannot match\n",
                "t.c:2: missing '{{' after 'expected-error'");
    parse_fails("f(x); // expected-note {{cannot match\n}}\n",
                "t.c:1: missing '}}' after 'expected-note'");
    parse_fails("/* expected-warning {{unclosed */",
                "t.c:1: missing '}}' after 'expected-warning'");
    parse_fails("\n// expected-error@+ {{x}}\n",
                "t.c:2: invalid line number after 'expected-error'");
    parse_fails("// expected-error@-1 {{x}}\n",
                "t.c:1: invalid line number after 'expected-error'");
    parse_fails("// expected-error@0 {{x}}\n",
                "t.c:1: invalid line number after 'expected-error'");
}

static void test_parse_file(void **state)
{
    (void)state;
    verify_file vf;
    char err[512] = "";
    assert_int_equal(verify_parse_file(&vf, DATA "/sample.c", err, sizeof err),
                     0);
    assert_string_equal(vf.path, DATA "/sample.c");
    assert_int_equal(vf.n_expects, 5);
    assert_expect(&vf.expects[0], VERIFY_NOTE, 6, 6,
                  "declared with shape [32, 10]");
    assert_expect(&vf.expects[1], VERIFY_ERROR, 10, 10, "same first dimension");
    assert_expect(&vf.expects[2], VERIFY_NOTE, 9, 10, "labels");
    assert_expect(&vf.expects[3], VERIFY_ERROR, 12, 11, "cannot match");
    assert_expect(&vf.expects[4], VERIFY_WARNING, 13, 12, "unused");
    verify_file_free(&vf);

    assert_int_equal(verify_parse_file(&vf, DATA "/clean.c", err, sizeof err),
                     0);
    assert_int_equal(vf.no_diagnostics, 1);
    assert_int_equal(vf.n_expects, 0);
    verify_file_free(&vf);

    assert_int_equal(verify_parse_file(&vf, DATA "/missing.c", err, sizeof err),
                     -1);
    assert_string_equal(err, DATA
                        "/missing.c: cannot read: No such file or directory");
}

/* ---- Checking ----------------------------------------------------------- */

/* verify_check's result, with what it wrote in *OUT (malloc'd). */
static size_t check(const diag_list *list, verify_file *files, size_t n,
                    char **out)
{
    size_t len;
    FILE *f = open_memstream(out, &len);
    assert_non_null(f);
    size_t problems = verify_check(list, files, n, f);
    fclose(f);
    return problems;
}

static void assert_check(const diag_list *list, verify_file *files, size_t n,
                         size_t want_problems, const char *want_out)
{
    char *out = NULL;
    size_t problems = check(list, files, n, &out);
    assert_string_equal(out, want_out);
    assert_int_equal(problems, want_problems);
    free(out);
}

static sc_loc at(const char *file, unsigned line, unsigned col)
{
    return (sc_loc){file, line, col};
}

/* A batch mismatch at t.c:LINE:5 with a note at t.c:2:3. */
static void add_batch_error(diag_list *list, unsigned line)
{
    diag *d = diag_add(list, &sc_rule_batch_mismatch, at("t.c", line, 5),
                       "logits and labels must have the same first "
                       "dimension: 'logits' is [32, 10] but 'labels' is [64]");
    diag_add_note(list, d, at("t.c", 2, 3),
                  "'logits' declared with shape [B, 10], B = 32");
}

static void test_check_matched(void **state)
{
    (void)state;
    diag_list list;
    diag_list_init(&list);
    add_batch_error(&list, 4);
    verify_file vf;
    parse_ok(&vf, "\n"
                  "float l[32][10]; // expected-note {{declared with shape}}\n"
                  "// expected-error@+1 {{dimension: 'logits' is [32, 10]}}\n"
                  "f(); // expected-error {{[64] [shape-batch-mismatch]}}\n");
    /* Two error expectations, one finding: the first takes it. */
    assert_check(&list, &vf, 1, 1,
                 "error: 'expected-error' diagnostics expected but not "
                 "seen:\n"
                 "  File t.c Line 4: [64] [shape-batch-mismatch]\n");
    assert_int_equal(vf.expects[0].matched, 1);
    assert_int_equal(vf.expects[1].matched, 1);
    assert_int_equal(vf.expects[2].matched, 0);
    verify_file_free(&vf);

    parse_ok(&vf, "\n"
                  "float l[32][10]; // expected-note {{declared with shape}}\n"
                  "\n"
                  "f(); // expected-error {{[64] [shape-batch-mismatch]}}\n");
    assert_check(&list, &vf, 1, 0, "");
    verify_file_free(&vf);
    diag_list_free(&list);
}

static void test_check_unmatched_both_ways(void **state)
{
    (void)state;
    diag_list list;
    diag_list_init(&list);
    add_batch_error(&list, 4);
    verify_file vf;
    parse_ok(&vf, "\n"
                  "// expected-note@-1 {{declared}}\n"
                  "\n"
                  "\n"
                  "// expected-error@-1 {{batch sizes differ}}\n");
    assert_check(
        &list, &vf, 1, 4,
        "error: 'expected-error' diagnostics expected but not seen:\n"
        "  File t.c Line 4 (directive at t.c:5): batch sizes differ\n"
        "error: 'error' diagnostics seen but not expected:\n"
        "  File t.c Line 4: logits and labels must have the same first "
        "dimension: 'logits' is [32, 10] but 'labels' is [64] "
        "[shape-batch-mismatch]\n"
        "error: 'expected-note' diagnostics expected but not seen:\n"
        "  File t.c Line 1 (directive at t.c:2): declared\n"
        "error: 'note' diagnostics seen but not expected:\n"
        "  File t.c Line 2: 'logits' declared with shape [B, 10], B = 32\n");
    verify_file_free(&vf);
    diag_list_free(&list);
}

static void test_check_one_to_one(void **state)
{
    (void)state;
    diag_list list;
    diag_list_init(&list);
    diag_add(&list, &sc_rule_shape_mismatch, at("t.c", 1, 3), "rank 2 vs 1");
    diag_add(&list, &sc_rule_shape_mismatch, at("t.c", 1, 9), "rank 2 vs 1");
    verify_file vf;
    parse_ok(&vf, "g(f(a), f(b)); // expected-error {{rank}}\n");
    assert_check(&list, &vf, 1, 1,
                 "error: 'error' diagnostics seen but not expected:\n"
                 "  File t.c Line 1: rank 2 vs 1 [shape-mismatch]\n");
    verify_file_free(&vf);
    parse_ok(&vf, "g(f(a), f(b)); // expected-error {{rank}} {{rank}}\n");
    assert_check(&list, &vf, 1, 0, "");
    verify_file_free(&vf);
    diag_list_free(&list);
}

static void test_check_other_files(void **state)
{
    (void)state;
    diag_list list;
    diag_list_init(&list);
    diag *d = diag_add(&list, &sc_rule_shape_mismatch, at("t.c", 1, 1),
                       "rank 2 vs 1");
    /* A note into a header that is not verified is not checked... */
    diag_add_note(&list, d, at("include/lib.h", 7, 1), "parameter declared");
    /* ...but a finding anywhere must be expected. */
    diag_add(&list, &sc_rule_annotation, at("include/lib.h", 3, 1),
             "bad annotation");
    verify_file vf;
    parse_ok(&vf, "f(x); // expected-error {{rank 2 vs 1}}\n");
    assert_check(&list, &vf, 1, 1,
                 "error: 'error' diagnostics seen but not expected:\n"
                 "  File include/lib.h Line 3: bad annotation "
                 "[shape-annotation]\n");
    verify_file_free(&vf);
    diag_list_free(&list);
}

static void test_check_no_diagnostics(void **state)
{
    (void)state;
    diag_list list;
    diag_list_init(&list);
    verify_file files[2];
    parse_ok(&files[0], "// expected-no-diagnostics\n");
    char err[64];
    assert_int_equal(
        verify_parse_text(&files[1], "u.c", "int x;\n", err, sizeof err), 0);
    assert_check(&list, files, 1, 0, "");
    assert_check(&list, files, 2, 1,
                 "error: u.c: no expected directives found: consider use of "
                 "'expected-no-diagnostics'\n");

    diag_add(&list, &sc_rule_shape_mismatch, at("t.c", 1, 1), "rank");
    assert_check(&list, files, 1, 1,
                 "error: 'error' diagnostics seen but not expected:\n"
                 "  File t.c Line 1: rank [shape-mismatch]\n");
    verify_file_free(&files[0]);
    verify_file_free(&files[1]);

    parse_ok(&files[0],
             "// expected-no-diagnostics\nf(); // expected-error {{rank}}\n");
    assert_check(&list, files, 1, 3,
                 "error: t.c: 'expected-no-diagnostics' directive cannot be "
                 "used with other expected directives\n"
                 "error: 'expected-error' diagnostics expected but not seen:\n"
                 "  File t.c Line 2: rank\n"
                 "error: 'error' diagnostics seen but not expected:\n"
                 "  File t.c Line 1: rank [shape-mismatch]\n");
    verify_file_free(&files[0]);
    diag_list_free(&list);
}

static void test_check_compiler_diagnostics(void **state)
{
    (void)state;
    diag_list list;
    diag_list_init(&list);
    diag *d = diag_add(&list, NULL, at("t.c", 2, 9), "%s",
                       "t.c:2:9: warning: unused variable 'n' "
                       "[-Wunused-variable]");
    d->severity = SC_SEV_WARNING;
    verify_file vf;
    parse_ok(&vf, "\n    int n; // expected-warning {{unused variable 'n'}}\n");
    assert_check(&list, &vf, 1, 0, "");
    verify_file_free(&vf);
    /* As an error expectation it does not match a warning. */
    parse_ok(&vf, "\n    int n; // expected-error {{unused variable 'n'}}\n");
    assert_check(&list, &vf, 1, 2,
                 "error: 'expected-error' diagnostics expected but not seen:\n"
                 "  File t.c Line 2: unused variable 'n'\n"
                 "error: 'warning' diagnostics seen but not expected:\n"
                 "  File t.c Line 2: t.c:2:9: warning: unused variable 'n' "
                 "[-Wunused-variable]\n");
    verify_file_free(&vf);
    diag_list_free(&list);
}

static void test_check_same_file_by_realpath(void **state)
{
    (void)state;
    verify_file vf;
    char err[512];
    assert_int_equal(verify_parse_file(&vf, DATA "/sample.c", err, sizeof err),
                     0);
    diag_list list;
    diag_list_init(&list);
    const char *file = DATA "/../verify/./sample.c";
    diag *d = diag_add(&list, &sc_rule_batch_mismatch, at(file, 10, 5),
                       "logits and labels must have the same first "
                       "dimension");
    diag_add_note(&list, d, at(file, 6, 11),
                  "'logits' declared with shape [32, 10]");
    diag_add_note(&list, d, at(file, 9, 1), "'labels' declared");
    d = diag_add(&list, &sc_rule_shape_mismatch, at(file, 12, 5),
                 "shapes cannot match");
    d = diag_add(&list, NULL, at(file, 13, 5), "%s", "warning: unused");
    d->severity = SC_SEV_WARNING;
    assert_check(&list, &vf, 1, 0, "");
    verify_file_free(&vf);
    diag_list_free(&list);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_line_comment),
        cmocka_unit_test(test_parse_line_offsets),
        cmocka_unit_test(test_parse_several_texts),
        cmocka_unit_test(test_parse_block_comments),
        cmocka_unit_test(test_parse_skips_literals),
        cmocka_unit_test(test_parse_no_diagnostics),
        cmocka_unit_test(test_parse_ignores_other_words),
        cmocka_unit_test(test_parse_malformed),
        cmocka_unit_test(test_parse_file),
        cmocka_unit_test(test_check_matched),
        cmocka_unit_test(test_check_unmatched_both_ways),
        cmocka_unit_test(test_check_one_to_one),
        cmocka_unit_test(test_check_other_files),
        cmocka_unit_test(test_check_no_diagnostics),
        cmocka_unit_test(test_check_compiler_diagnostics),
        cmocka_unit_test(test_check_same_file_by_realpath),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
