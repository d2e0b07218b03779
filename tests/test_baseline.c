/*
 * test_baseline.c - writing, reading and applying baselines (baseline.c).
 */
#define _XOPEN_SOURCE 700

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <cmocka.h>

#include "baseline.h"
#include "diag.h"
#include "fingerprint.h"
#include "test_files.h"

static sc_loc at(const char *file, unsigned line, unsigned col)
{
    return (sc_loc){file, line, col};
}

/* A scratch folder with a source file, and findings in it. */
typedef struct fixture {
    char *dir;
    char *src;      /* DIR/src/train.c */
    char *baseline; /* DIR/baseline.json */
    diag_list list;
} fixture;

static const char train_v1[] = "int main(void)\n"
                               "{\n"
                               "    loss(logits, labels);\n"
                               "    f(x);\n"
                               "    f(x);\n"
                               "}\n";

/* The same code with lines added above and the calls re-indented. */
static const char train_v2[] = "#include <stdio.h>\n"
                               "\n"
                               "/* the entry point */\n"
                               "int main(void)\n"
                               "{\n"
                               "    puts(\"hi\");\n"
                               "\tloss(logits,  labels);\n"
                               "  f(x);\n"
                               "  f(x);\n"
                               "}\n";

static void fixture_init(fixture *fx)
{
    fx->dir = test_make_dir();
    assert_non_null(fx->dir);
    fx->src = test_write(fx->dir, "src/train.c", train_v1);
    assert_non_null(fx->src);
    fx->baseline = test_path(fx->dir, "baseline.json");
    diag_list_init(&fx->list);
}

static void fixture_free(fixture *fx)
{
    diag_list_free(&fx->list);
    free(fx->src);
    free(fx->baseline);
    test_remove_dir(fx->dir);
}

/* The findings of version 1 of the file (LINE0 = 0) or of version 2 (4):
   a batch mismatch, two identical shape mismatches and a compiler
   error. */
static void add_findings(diag_list *list, const char *src, unsigned line0)
{
    diag_add(list, &sc_rule_batch_mismatch, at(src, line0 + 3, 5),
             "'logits' is [32] but 'labels' is [64]");
    diag_add(list, &sc_rule_shape_mismatch, at(src, line0 + 4, 5),
             "'x' is [3]");
    diag_add(list, &sc_rule_shape_mismatch, at(src, line0 + 5, 5),
             "'x' is [3]");
    diag_add(list, NULL, at(src, line0 + 1, 1), "%s:%u:1: error: oops", src,
             line0 + 1);
    diag_list_sort(list);
}

static void write_ok(fixture *fx)
{
    char err[512] = "";
    assert_int_equal(
        baseline_write(fx->baseline, &fx->list, fx->dir, err, sizeof err), 0);
    assert_string_equal(err, "");
}

static void load_ok(baseline *b, const char *path)
{
    char err[512] = "";
    assert_int_equal(baseline_load(b, path, err, sizeof err), 0);
    assert_string_equal(err, "");
}

static void load_fails(const char *dir, const char *text, const char *want)
{
    char *path = test_write(dir, "bad.json", text);
    char err[512] = "", expected[512];
    snprintf(expected, sizeof expected, want, path);
    baseline b;
    assert_int_equal(baseline_load(&b, path, err, sizeof err), -1);
    assert_string_equal(err, expected);
    assert_int_equal(b.n, 0);
    assert_null(b.storage);
    free(path);
}

static void test_written_file(void **state)
{
    (void)state;
    fixture fx;
    fixture_init(&fx);
    add_findings(&fx.list, fx.src, 0);
    write_ok(&fx);
    char *text = test_read(fx.baseline);
    cJSON *doc = cJSON_Parse(text);
    assert_non_null(doc);
    const cJSON *version =
        cJSON_GetObjectItemCaseSensitive(doc, "shapecheck-baseline");
    assert_int_equal(version->valueint, BASELINE_VERSION);
    const cJSON *findings = cJSON_GetObjectItemCaseSensitive(doc, "findings");
    /* The compiler error is not baselined. */
    assert_int_equal(cJSON_GetArraySize(findings), 3);
    const cJSON *first = cJSON_GetArrayItem(findings, 0);
    assert_string_equal(
        cJSON_GetObjectItemCaseSensitive(first, "rule")->valuestring,
        "shape-batch-mismatch");
    assert_string_equal(
        cJSON_GetObjectItemCaseSensitive(first, "file")->valuestring,
        "src/train.c");
    assert_string_equal(
        cJSON_GetObjectItemCaseSensitive(first, "message")->valuestring,
        "'logits' is [32] but 'labels' is [64]");
    assert_int_equal(
        strlen(cJSON_GetObjectItemCaseSensitive(first, "fingerprint")
                   ->valuestring),
        18);
    /* No temporary file is left behind. */
    char *tmp = test_path(fx.dir, "baseline.json.tmp");
    assert_null(test_read(tmp));
    free(tmp);
    cJSON_Delete(doc);
    free(text);
    fixture_free(&fx);
}

static void test_baseline_removes_known_findings(void **state)
{
    (void)state;
    fixture fx;
    fixture_init(&fx);
    add_findings(&fx.list, fx.src, 0);
    write_ok(&fx);
    baseline b;
    load_ok(&b, fx.baseline);
    assert_int_equal(b.n, 3);
    assert_int_equal(baseline_apply(&b, &fx.list), 3);
    assert_int_equal(fx.list.n, 1);
    assert_null(fx.list.items[0].rule);
    baseline_free(&b);
    fixture_free(&fx);
}

static void test_findings_survive_moved_lines(void **state)
{
    (void)state;
    fixture fx;
    fixture_init(&fx);
    add_findings(&fx.list, fx.src, 0);
    write_ok(&fx);
    /* Edit the file: lines above, indentation; the findings move. */
    free(test_write(fx.dir, "src/train.c", train_v2));
    diag_list moved;
    diag_list_init(&moved);
    add_findings(&moved, fx.src, 4);
    /* And one new finding on a new line. */
    diag_add(&moved, &sc_rule_shape_mismatch, at(fx.src, 6, 5), "new");
    diag_list_sort(&moved);
    baseline b;
    load_ok(&b, fx.baseline);
    assert_int_equal(baseline_apply(&b, &moved), 3);
    assert_int_equal(moved.n, 2);
    assert_null(moved.items[0].rule);
    assert_string_equal(moved.items[1].message, "new");
    baseline_free(&b);
    diag_list_free(&moved);
    fixture_free(&fx);
}

static void test_each_entry_takes_one_finding(void **state)
{
    (void)state;
    fixture fx;
    fixture_init(&fx);
    /* Baseline one of the two identical findings only. */
    diag_add(&fx.list, &sc_rule_shape_mismatch, at(fx.src, 4, 5), "'x' is [3]");
    write_ok(&fx);
    diag_list_free(&fx.list);
    diag_list_init(&fx.list);
    add_findings(&fx.list, fx.src, 0);
    baseline b;
    load_ok(&b, fx.baseline);
    assert_int_equal(baseline_apply(&b, &fx.list), 1);
    assert_int_equal(fx.list.n, 3);
    assert_int_equal(fx.list.items[2].loc.line, 5);
    baseline_free(&b);

    /* The same fingerprint listed twice takes away two findings. */
    fingerprint fps[4];
    fingerprint_list(&fx.list, fps);
    char text[512];
    snprintf(text, sizeof text,
             "{\"shapecheck-baseline\": 1, \"findings\": ["
             "{\"fingerprint\": \"%s\"}, {\"fingerprint\": \"%s\"},"
             "{\"fingerprint\": \"%s\", \"extra\": true}]}",
             fps[1].text, fps[1].text, fps[0].text);
    char *path = test_write(fx.dir, "twice.json", text);
    load_ok(&b, path);
    assert_int_equal(b.n, 3);
    /* fps[0] is the compiler error's: never removed. */
    assert_int_equal(baseline_apply(&b, &fx.list), 1);
    assert_int_equal(fx.list.n, 2);
    baseline_free(&b);
    free(path);
    fixture_free(&fx);
}

static void test_empty_baseline(void **state)
{
    (void)state;
    fixture fx;
    fixture_init(&fx);
    write_ok(&fx);
    baseline b;
    load_ok(&b, fx.baseline);
    assert_int_equal(b.n, 0);
    add_findings(&fx.list, fx.src, 0);
    assert_int_equal(baseline_apply(&b, &fx.list), 0);
    assert_int_equal(fx.list.n, 4);
    baseline_free(&b);
    fixture_free(&fx);
}

static void test_bad_baselines(void **state)
{
    (void)state;
    char *dir = test_make_dir();
    load_fails(dir, "{\n  \"findings\": [,]\n}\n",
               "%s:2:16: malformed baseline");
    load_fails(dir, "", "%s:1:1: malformed baseline");
    load_fails(dir, "[1, 2]",
               "%s: not a shapecheck baseline (not a JSON "
               "object)");
    load_fails(dir, "{\"findings\": []}",
               "%s: not a shapecheck baseline (no \"shapecheck-baseline\" "
               "version)");
    load_fails(dir, "{\"shapecheck-baseline\": 2, \"findings\": []}",
               "%s: baseline version 2 is not supported (this shapecheck "
               "reads version 1)");
    load_fails(dir, "{\"shapecheck-baseline\": 1, \"findings\": {}}",
               "%s: not a shapecheck baseline (no \"findings\" array)");
    load_fails(dir,
               "{\"shapecheck-baseline\": 1, \"findings\": "
               "[{\"fingerprint\": \"a:1\"}, {\"rule\": \"x\"}]}",
               "%s: not a shapecheck baseline (finding 2 has no "
               "\"fingerprint\" string)");
    load_fails(dir, "{\"shapecheck-baseline\": 1, \"findings\": [7]}",
               "%s: not a shapecheck baseline (finding 1 has no "
               "\"fingerprint\" string)");
    char err[512];
    baseline b;
    char *missing = test_path(dir, "missing.json");
    assert_int_equal(baseline_load(&b, missing, err, sizeof err), -1);
    char want[600];
    snprintf(want, sizeof want, "%s: cannot read: No such file or directory",
             missing);
    assert_string_equal(err, want);
    free(missing);
    test_remove_dir(dir);
}

static void test_failed_write_keeps_the_old_file(void **state)
{
    (void)state;
    fixture fx;
    fixture_init(&fx);
    add_findings(&fx.list, fx.src, 0);
    write_ok(&fx);
    char *before = test_read(fx.baseline);
    /* FILE.tmp cannot be created: it is a folder. */
    char *tmp = test_path(fx.dir, "baseline.json.tmp");
    assert_int_equal(mkdir(tmp, 0777), 0);
    diag_list_free(&fx.list);
    diag_list_init(&fx.list);
    char err[512] = "";
    assert_int_equal(
        baseline_write(fx.baseline, &fx.list, fx.dir, err, sizeof err), -1);
    assert_non_null(strstr(err, "baseline.json.tmp: cannot write: "));
    char *after = test_read(fx.baseline);
    assert_string_equal(before, after);
    /* A folder that does not exist: nothing is written at all. */
    char *nowhere = test_path(fx.dir, "no/such/dir/b.json");
    assert_int_equal(baseline_write(nowhere, &fx.list, NULL, err, sizeof err),
                     -1);
    assert_null(test_read(nowhere));
    free(nowhere);
    free(before);
    free(after);
    free(tmp);
    fixture_free(&fx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_written_file),
        cmocka_unit_test(test_baseline_removes_known_findings),
        cmocka_unit_test(test_findings_survive_moved_lines),
        cmocka_unit_test(test_each_entry_takes_one_finding),
        cmocka_unit_test(test_empty_baseline),
        cmocka_unit_test(test_bad_baselines),
        cmocka_unit_test(test_failed_write_keeps_the_old_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
