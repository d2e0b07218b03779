/*
 * test_fingerprint.c - fingerprints (fingerprint.c): what changes them and
 * what must not, and the source cache they read lines with
 * (source_file.c).
 */
#define _XOPEN_SOURCE 700

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "diag.h"
#include "fingerprint.h"
#include "source_file.h"
#include "test_files.h"

static uint64_t hash(const char *rule, const char *line, const char *msg)
{
    return fingerprint_hash(rule, line, strlen(line), msg);
}

static void test_hash_ignores_white_space_and_line_numbers(void **state)
{
    (void)state;
    uint64_t h = hash("shape-mismatch", "f(a, b);", "'a' declared at x.c:3:5");
    assert_int_equal(h, hash("shape-mismatch", "   f(a,   b);\t\r",
                             "'a' declared at x.c:3:5"));
    assert_int_equal(
        h, hash("shape-mismatch", "\tf(a,\tb);", "'a' declared at x.c:30:1"));
    /* "line N" is a line number too, in any case. */
    assert_int_equal(hash("r", "x", "set on line 4"),
                     hash("r", "x", "set on line 40"));
    assert_int_equal(hash("r", "x", "see Line 4"),
                     hash("r", "x", "see Line 7"));
}

static void test_hash_tells_findings_apart(void **state)
{
    (void)state;
    uint64_t h = hash("shape-mismatch", "f(a, b);", "'a' is [32]");
    assert_int_not_equal(
        h, hash("shape-batch-mismatch", "f(a, b);", "'a' is [32]"));
    assert_int_not_equal(h, hash("shape-mismatch", "f(a, c);", "'a' is [32]"));
    assert_int_not_equal(h, hash("shape-mismatch", "f(a,b);", "'a' is [32]"));
    /* Sizes are not line numbers: [32] and [64] differ. */
    assert_int_not_equal(h, hash("shape-mismatch", "f(a, b);", "'a' is [64]"));
    /* Parts do not run into each other. */
    assert_int_not_equal(hash("ab", "c", "d"), hash("a", "bc", "d"));
}

/* Fingerprints of LIST, sorted first. */
static fingerprint *fingerprints(diag_list *list)
{
    diag_list_sort(list);
    fingerprint *fps = calloc(list->n + 1, sizeof *fps);
    fingerprint_list(list, fps);
    return fps;
}

static void test_moving_lines_keeps_fingerprints(void **state)
{
    (void)state;
    char *dir = test_make_dir();
    char *before = test_write(dir, "before.c", "int x;\n  loss(a, b);\n");
    char *after = test_write(dir, "after.c",
                             "// a comment\n\nint x;\n\n"
                             "        loss(a, b);  \n");
    diag_list list;
    diag_list_init(&list);
    diag_add(&list, &sc_rule_batch_mismatch, (sc_loc){before, 2, 3}, "m");
    diag_add(&list, &sc_rule_batch_mismatch, (sc_loc){after, 5, 9}, "m");
    fingerprint *fps = fingerprints(&list);
    assert_string_equal(fps[0].text, fps[1].text);
    assert_int_equal(strlen(fps[0].text), 18);
    assert_string_equal(fps[0].text + 16, ":1");
    free(fps);
    diag_list_free(&list);
    free(before);
    free(after);
    test_remove_dir(dir);
}

static void test_occurrences_count_per_file(void **state)
{
    (void)state;
    char *dir = test_make_dir();
    char *a = test_write(dir, "a.c", "f(x);\nf(x);\ng(x);\nf(x);\n");
    char *b = test_write(dir, "b.c", "f(x);\n");
    diag_list list;
    diag_list_init(&list);
    for (unsigned line = 1; line <= 4; line++)
        diag_add(&list, &sc_rule_shape_mismatch, (sc_loc){a, line, 1}, "m");
    diag_add(&list, &sc_rule_shape_mismatch, (sc_loc){b, 1, 1}, "m");
    fingerprint *fps = fingerprints(&list);
    /* a.c lines 1, 2, 4 are the same line and message: 1, 2, 3. */
    assert_string_equal(fps[0].text + 16, ":1");
    assert_string_equal(fps[1].text + 16, ":2");
    assert_string_equal(fps[2].text + 16, ":1");
    assert_string_equal(fps[3].text + 16, ":3");
    assert_memory_equal(fps[0].text, fps[3].text, 16);
    assert_memory_not_equal(fps[0].text, fps[2].text, 16);
    /* b.c counts on its own. */
    assert_string_equal(fps[4].text, fps[0].text);
    free(fps);
    diag_list_free(&list);
    free(a);
    free(b);
    test_remove_dir(dir);
}

static void test_unreadable_line_counts_as_empty(void **state)
{
    (void)state;
    diag_list list;
    diag_list_init(&list);
    diag_add(&list, &sc_rule_shape_mismatch, (sc_loc){"/nonexistent/x.c", 3, 1},
             "m");
    diag_add(&list, &sc_rule_shape_mismatch, (sc_loc){NULL, 0, 0}, "m");
    fingerprint *fps = fingerprints(&list);
    char want[FINGERPRINT_SIZE];
    snprintf(
        want, sizeof want, "%016llx",
        (unsigned long long)fingerprint_hash("shape-mismatch", "", 0, "m"));
    assert_memory_equal(fps[0].text, want, 16);
    assert_memory_equal(fps[1].text, want, 16);
    free(fps);
    diag_list_free(&list);
}

static void test_source_cache_lines(void **state)
{
    (void)state;
    char *dir = test_make_dir();
    char *path = test_write(dir, "l.c", "one\r\ntwo\n\nfour");
    source_cache cache = {0};
    const char *text;
    size_t len;
    assert_true(source_cache_line(&cache, path, 1, &text, &len));
    assert_int_equal(len, 3);
    assert_memory_equal(text, "one", 3);
    assert_true(source_cache_line(&cache, path, 3, &text, &len));
    assert_int_equal(len, 0);
    assert_true(source_cache_line(&cache, path, 4, &text, &len));
    assert_memory_equal(text, "four", 4);
    assert_false(source_cache_line(&cache, path, 5, &text, &len));
    assert_false(source_cache_line(&cache, path, 0, &text, &len));
    assert_false(source_cache_line(&cache, "/nonexistent", 1, &text, &len));
    assert_false(source_cache_line(&cache, NULL, 1, &text, &len));
    /* One entry per file, however often it is asked for. */
    assert_int_equal(cache.n, 2);
    source_cache_free(&cache);
    free(path);
    test_remove_dir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hash_ignores_white_space_and_line_numbers),
        cmocka_unit_test(test_hash_tells_findings_apart),
        cmocka_unit_test(test_moving_lines_keeps_fingerprints),
        cmocka_unit_test(test_occurrences_count_per_file),
        cmocka_unit_test(test_unreadable_line_counts_as_empty),
        cmocka_unit_test(test_source_cache_lines),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
