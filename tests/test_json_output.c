/*
 * test_json_output.c - shapecheck's JSON format (output_json.c), and what
 * it shares with SARIF about a finding (finding.c).
 *
 * Run as "test_json_output --write FILE", it writes a sample report to
 * FILE instead, for the ctest that validates it against
 * docs/shapecheck-findings.schema.json.
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

#include "arena.h"
#include "diag.h"
#include "finding.h"
#include "output_formats.h"
#include "test_files.h"

static sc_loc at(const char *file, unsigned line, unsigned col)
{
    return (sc_loc){file, line, col};
}

/* A finding with two notes, a compiler error and a finding with no
   place, in files under DIR. */
static void add_sample(diag_list *list, const char *dir)
{
    char *src = test_write(dir, "train.c", "int x;\nloss(a, b);\n");
    assert_non_null(src);
    diag *d = diag_add(list, &sc_rule_batch_mismatch, at(src, 2, 1),
                       "logits and labels must have the same first "
                       "dimension: 'a' is [32] but 'b' is [64]");
    diag_add_note(list, d, at(src, 1, 5), "'a' declared with shape [32]");
    diag_add_note(list, d, at(NULL, 0, 0), "B = 32");
    diag_add(list, NULL, at(src, 1, 1), "%s:1:1: error: bad \"thing\"", src);
    diag_add(list, &sc_rule_annotation, at(NULL, 0, 0), "nowhere");
    diag_list_sort(list);
    free(src);
}

static cJSON *json_of(const diag_list *list)
{
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    assert_non_null(out);
    char err[256] = "";
    assert_int_equal(output_json(out, list, err, sizeof err), 0);
    fclose(out);
    cJSON *doc = cJSON_Parse(text);
    free(text);
    assert_non_null(doc);
    return doc;
}

static const cJSON *get(const cJSON *obj, const char *key)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (!item)
        fail_msg("missing member '%s'", key);
    return item;
}

static const char *str(const cJSON *obj, const char *key)
{
    const cJSON *item = get(obj, key);
    assert_true(cJSON_IsString(item));
    return item->valuestring;
}

static int num(const cJSON *obj, const char *key)
{
    const cJSON *item = get(obj, key);
    assert_true(cJSON_IsNumber(item));
    return item->valueint;
}

/* The finding of FINDINGS whose rule is RULE. */
static const cJSON *finding_for(const cJSON *findings, const char *rule)
{
    const cJSON *f;
    cJSON_ArrayForEach(f, findings)
    {
        if (strcmp(str(f, "rule"), rule) == 0)
            return f;
    }
    fail_msg("no finding of %s", rule);
    return NULL;
}

static void test_empty_report(void **state)
{
    (void)state;
    diag_list list;
    diag_list_init(&list);
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    char err[64] = "";
    assert_int_equal(output_json(out, &list, err, sizeof err), 0);
    fclose(out);
    cJSON *doc = cJSON_Parse(text);
    assert_int_equal(num(doc, "version"), 1);
    assert_true(cJSON_IsArray(get(doc, "findings")));
    assert_int_equal(cJSON_GetArraySize(get(doc, "findings")), 0);
    assert_int_equal(cJSON_GetArraySize(doc), 2);
    cJSON_Delete(doc);
    free(text);
    diag_list_free(&list);
}

static void test_finding_members(void **state)
{
    (void)state;
    char *dir = test_make_dir();
    diag_list list;
    diag_list_init(&list);
    add_sample(&list, dir);
    cJSON *doc = json_of(&list);
    const cJSON *findings = get(doc, "findings");
    assert_int_equal(cJSON_GetArraySize(findings), 3);
    const cJSON *f = finding_for(findings, "shape-batch-mismatch");
    assert_string_equal(str(f, "severity"), "error");
    char *src = test_path(dir, "train.c");
    assert_string_equal(str(f, "file"), src);
    assert_int_equal(num(f, "line"), 2);
    assert_int_equal(num(f, "column"), 1);
    assert_string_equal(str(f, "message"),
                        "logits and labels must have the same first "
                        "dimension: 'a' is [32] but 'b' is [64]");
    const char *fp = str(f, "fingerprint");
    assert_int_equal(strspn(fp, "0123456789abcdef"), 16);
    assert_string_equal(fp + 16, ":1");
    const cJSON *notes = get(f, "notes");
    assert_int_equal(cJSON_GetArraySize(notes), 2);
    const cJSON *n0 = cJSON_GetArrayItem(notes, 0);
    assert_string_equal(str(n0, "file"), src);
    assert_int_equal(num(n0, "line"), 1);
    assert_int_equal(num(n0, "column"), 5);
    assert_string_equal(str(n0, "message"), "'a' declared with shape [32]");
    /* A note with no place: file null, line and column 0. */
    const cJSON *n1 = cJSON_GetArrayItem(notes, 1);
    assert_true(cJSON_IsNull(get(n1, "file")));
    assert_int_equal(num(n1, "line"), 0);
    assert_int_equal(num(n1, "column"), 0);
    free(src);
    cJSON_Delete(doc);
    diag_list_free(&list);
    test_remove_dir(dir);
}

static void test_compiler_error_and_no_place(void **state)
{
    (void)state;
    char *dir = test_make_dir();
    diag_list list;
    diag_list_init(&list);
    add_sample(&list, dir);
    cJSON *doc = json_of(&list);
    const cJSON *findings = get(doc, "findings");
    const cJSON *cc = finding_for(findings, "clang-diagnostic-error");
    assert_string_equal(str(cc, "severity"), "error");
    assert_string_equal(str(cc, "message"), "bad \"thing\"");
    assert_int_equal(cJSON_GetArraySize(get(cc, "notes")), 0);
    const cJSON *nowhere = finding_for(findings, "shape-annotation");
    assert_true(cJSON_IsNull(get(nowhere, "file")));
    assert_int_equal(num(nowhere, "line"), 0);
    cJSON_Delete(doc);
    diag_list_free(&list);
    test_remove_dir(dir);
}

static void test_invalid_utf8_is_replaced(void **state)
{
    (void)state;
    diag_list list;
    diag_list_init(&list);
    diag_add(&list, &sc_rule_shape_mismatch, at("caf\xe9.c", 1, 1),
             "'\xff' is [2]");
    cJSON *doc = json_of(&list);
    const cJSON *f = cJSON_GetArrayItem(get(doc, "findings"), 0);
    assert_string_equal(str(f, "file"), "caf\xef\xbf\xbd.c");
    assert_string_equal(str(f, "message"), "'\xef\xbf\xbd' is [2]");
    cJSON_Delete(doc);
    diag_list_free(&list);
}

static void test_finding_helpers(void **state)
{
    (void)state;
    arena *a = arena_new();
    const char *ok = "d\xc3\xa9j\xc3\xa0 \xe2\x82\xac \xf0\x9f\x98\x80";
    assert_ptr_equal(finding_utf8(a, ok), ok);
    /* Overlong, surrogate, truncated and out-of-range sequences. */
    assert_string_equal(finding_utf8(a, "\xc0\xaf"),
                        "\xef\xbf\xbd\xef\xbf\xbd");
    assert_string_equal(finding_utf8(a, "\xed\xa0\x80"),
                        "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
    assert_string_equal(finding_utf8(a, "a\xe2\x82"),
                        "a\xef\xbf\xbd\xef\xbf\xbd");
    assert_string_equal(finding_utf8(a, "\xf4\x90\x80\x80x"),
                        "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbdx");
    assert_string_equal(finding_severity_name(SC_SEV_NOTE), "note");
    assert_string_equal(finding_severity_name(SC_SEV_WARNING), "warning");
    assert_string_equal(finding_severity_name(SC_SEV_ERROR), "error");
    /* A compiler message whose location is not the finding's file stays
       whole; a fatal error loses its prefix too. */
    diag d = {
        .rule = NULL, .loc = {"a.c", 1, 1}, .message = "b.c:1:1: error: x"};
    assert_string_equal(finding_message(&d), "b.c:1:1: error: x");
    d.message = "a.c:1: fatal error: 'x.h' file not found";
    assert_string_equal(finding_message(&d), "'x.h' file not found");
    d.rule = &sc_rule_shape_mismatch;
    d.message = "a.c:1:1: error: kept";
    assert_string_equal(finding_message(&d), "a.c:1:1: error: kept");
    assert_ptr_equal(finding_rule(&d), &sc_rule_shape_mismatch);
    d.rule = NULL;
    assert_ptr_equal(finding_rule(&d), &finding_compiler_rule);
    arena_free(a);
}

static void test_write_error(void **state)
{
    (void)state;
    FILE *full = fopen("/dev/full", "w");
    if (!full)
        skip();
    diag_list list;
    diag_list_init(&list);
    char err[64] = "";
    assert_int_equal(output_json(full, &list, err, sizeof err), -1);
    assert_string_equal(err, "cannot write the json report");
    fclose(full);
    diag_list_free(&list);
}

/* "--write FILE": the sample report for the schema test. */
static int write_sample(const char *path)
{
    char *dir = test_make_dir();
    diag_list list;
    diag_list_init(&list);
    add_sample(&list, dir);
    FILE *out = fopen(path, "w");
    char err[256] = "";
    int rc = out ? output_json(out, &list, err, sizeof err) : -1;
    if (out && fclose(out) != 0)
        rc = -1;
    if (rc != 0)
        fprintf(stderr, "test_json_output: cannot write %s %s\n", path, err);
    diag_list_free(&list);
    test_remove_dir(dir);
    return rc == 0 ? 0 : 1;
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "--write") == 0)
        return write_sample(argv[2]);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty_report),
        cmocka_unit_test(test_finding_members),
        cmocka_unit_test(test_compiler_error_and_no_place),
        cmocka_unit_test(test_invalid_utf8_is_replaced),
        cmocka_unit_test(test_finding_helpers),
        cmocka_unit_test(test_write_error),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
