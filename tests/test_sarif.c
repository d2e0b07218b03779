/*
 * test_sarif.c - the SARIF 2.1.0 log (output_sarif.c) and the paths and
 * URIs it is made of, checkout included (repo_path.c).
 *
 * Run as "test_sarif --write FILE", it writes the log of a sample set of
 * findings to FILE instead, for the ctest that validates it against the
 * official schema (tests/validate_schema.py).
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
#include "output_formats.h"
#include "repo_path.h"
#include "test_files.h"

static const sc_rule test_rule = {
    .id = "test-note",
    .severity = SC_SEV_NOTE,
    .short_text = "a note rule",
    .full_text = "a rule of a test, not of the table"};

/* A checkout with a few sources and what the findings in it need. */
typedef struct fixture {
    char *root;    /* the checkout */
    char *outside; /* a folder outside it */
    char *train;   /* ROOT/src/train.c */
    char *header;  /* ROOT/include/model.h */
    char *odd;     /* ROOT/src/my file#1.c */
    char *far;     /* OUTSIDE/far.c */
    diag_list list;
} fixture;

static void fixture_init(fixture *fx)
{
    fx->root = test_make_dir();
    fx->outside = test_make_dir();
    assert_non_null(fx->root);
    assert_non_null(fx->outside);
    fx->train = test_write(fx->root, "src/train.c",
                           "int main(void)\n{\n"
                           "    float logits[32][10];\n"
                           "    int labels[64];\n"
                           "    return loss(logits, labels);\n}\n");
    fx->header = test_write(fx->root, "include/model.h",
                            "float loss(float *l, int *y);\n");
    fx->odd = test_write(fx->root, "src/my file#1.c",
                         "/* \xc3\xa9t\xc3\xa9 */ f(x);\n");
    fx->far = test_write(fx->outside, "far.c", "int x;\n");
    assert_non_null(fx->train);
    assert_non_null(fx->header);
    assert_non_null(fx->odd);
    assert_non_null(fx->far);
    diag_list_init(&fx->list);
}

static void fixture_free(fixture *fx)
{
    diag_list_free(&fx->list);
    free(fx->train);
    free(fx->header);
    free(fx->odd);
    free(fx->far);
    test_remove_dir(fx->root);
    test_remove_dir(fx->outside);
}

static sc_loc at(const char *file, unsigned line, unsigned col)
{
    return (sc_loc){file, line, col};
}

/* The sample: one finding of each kind the log has to carry. */
static void add_sample_findings(fixture *fx)
{
    diag *d = diag_add(&fx->list, &sc_rule_batch_mismatch, at(fx->train, 5, 12),
                       "logits and labels must have the same first "
                       "dimension: 'logits' is [32, 10] but 'labels' is [64] "
                       "in call to 'loss'");
    diag_add_note(&fx->list, d, at(fx->train, 3, 11),
                  "'logits' declared as an array of shape [32, 10]");
    diag_add_note(&fx->list, d, at(fx->header, 1, 7), "'loss' declared here");
    /* Column 14 is after the comment: 13 bytes, 11 characters before. */
    diag_add(&fx->list, &sc_rule_shape_mismatch, at(fx->odd, 1, 14),
             "'x' is [3] but parameter 'v' of 'f' is [4]");
    diag_add(&fx->list, &sc_rule_annotation, at(fx->far, 1, 5),
             "bad annotation");
    char *clang = malloc(strlen(fx->train) + 64);
    assert_non_null(clang);
    sprintf(clang, "%s:2:1: error: unknown type name 'T'", fx->train);
    diag_add(&fx->list, NULL, at(fx->train, 2, 1), "%s", clang);
    free(clang);
    diag_list_sort(&fx->list);
}

/* The log of LIST, parsed back. */
static cJSON *sarif_of(const diag_list *list, const char *root)
{
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    assert_non_null(out);
    char err[256] = "";
    assert_int_equal(output_sarif(out, list, root, err, sizeof err), 0);
    assert_string_equal(err, "");
    fclose(out);
    assert_true(len > 0 && text[len - 1] == '\n');
    cJSON *log = cJSON_Parse(text);
    free(text);
    assert_non_null(log);
    return log;
}

static const cJSON *get(const cJSON *obj, const char *key)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (!item)
        fail_msg("missing member '%s'", key);
    return item;
}

static const char *get_string(const cJSON *obj, const char *key)
{
    const cJSON *item = get(obj, key);
    assert_true(cJSON_IsString(item));
    return item->valuestring;
}

static int get_int(const cJSON *obj, const char *key)
{
    const cJSON *item = get(obj, key);
    assert_true(cJSON_IsNumber(item));
    return item->valueint;
}

static const cJSON *run_of(const cJSON *log)
{
    const cJSON *runs = get(log, "runs");
    assert_int_equal(cJSON_GetArraySize(runs), 1);
    return cJSON_GetArrayItem(runs, 0);
}

/* The result whose ruleId is RULE (there must be exactly one). */
static const cJSON *result_for(const cJSON *run, const char *rule)
{
    const cJSON *found = NULL, *res;
    cJSON_ArrayForEach(res, get(run, "results"))
    {
        if (strcmp(get_string(res, "ruleId"), rule) != 0)
            continue;
        assert_null(found);
        found = res;
    }
    assert_non_null(found);
    return found;
}

static const cJSON *physical(const cJSON *location)
{
    return get(location, "physicalLocation");
}

static const cJSON *primary_location(const cJSON *result)
{
    const cJSON *locations = get(result, "locations");
    assert_int_equal(cJSON_GetArraySize(locations), 1);
    return physical(cJSON_GetArrayItem(locations, 0));
}

static void assert_region(const cJSON *phys, int line, int col)
{
    const cJSON *region = get(phys, "region");
    assert_int_equal(get_int(region, "startLine"), line);
    assert_int_equal(get_int(region, "startColumn"), col);
}

static void assert_fingerprint(const cJSON *result, const char *occurrence)
{
    const char *fp = get_string(get(result, "partialFingerprints"),
                                "primaryLocationLineHash");
    assert_int_equal(strlen(fp), 16 + strlen(occurrence));
    assert_int_equal(strspn(fp, "0123456789abcdef"), 16);
    assert_string_equal(fp + 16, occurrence);
}

/* ---- The log ------------------------------------------------------------ */

static void test_log_header(void **state)
{
    (void)state;
    fixture fx;
    fixture_init(&fx);
    add_sample_findings(&fx);
    cJSON *log = sarif_of(&fx.list, fx.root);
    assert_string_equal(get_string(log, "version"), "2.1.0");
    assert_non_null(strstr(get_string(log, "$schema"), "sarif-schema-2.1.0"));
    const cJSON *run = run_of(log);
    const cJSON *driver = get(get(run, "tool"), "driver");
    assert_string_equal(get_string(driver, "name"), "shapecheck");
    assert_true(*get_string(driver, "version"));
    const cJSON *bases = get(run, "originalUriBaseIds");
    char *want = malloc(strlen(fx.root) + 16);
    sprintf(want, "file://%s/", fx.root);
    assert_string_equal(get_string(get(bases, "%SRCROOT%"), "uri"), want);
    free(want);
    assert_string_equal(get_string(run, "columnKind"), "unicodeCodePoints");
    assert_int_equal(cJSON_GetArraySize(get(run, "results")), 4);
    cJSON_Delete(log);
    fixture_free(&fx);
}

static void test_rules_are_the_table(void **state)
{
    (void)state;
    diag_list list;
    diag_list_init(&list);
    cJSON *log = sarif_of(&list, ".");
    const cJSON *rules = get(get(get(run_of(log), "tool"), "driver"), "rules");
    assert_int_equal(cJSON_GetArraySize(rules), (int)sc_n_rules + 1);
    for (size_t i = 0; i < sc_n_rules; i++) {
        const cJSON *r = cJSON_GetArrayItem(rules, (int)i);
        assert_string_equal(get_string(r, "id"), sc_rules[i]->id);
        assert_string_equal(get_string(r, "name"), sc_rules[i]->id);
        assert_string_equal(get_string(get(r, "shortDescription"), "text"),
                            sc_rules[i]->short_text);
        assert_string_equal(get_string(get(r, "fullDescription"), "text"),
                            sc_rules[i]->full_text);
        assert_string_equal(get_string(get(r, "help"), "text"),
                            sc_rules[i]->full_text);
        assert_non_null(strstr(get_string(get(r, "help"), "markdown"),
                               sc_rules[i]->short_text));
        assert_string_equal(get_string(get(r, "defaultConfiguration"), "level"),
                            sc_rules[i]->severity == SC_SEV_WARNING ? "warning"
                                                                    : "error");
    }
    const cJSON *compiler = cJSON_GetArrayItem(rules, (int)sc_n_rules);
    assert_string_equal(get_string(compiler, "id"), "clang-diagnostic-error");
    assert_string_equal(
        get_string(get(compiler, "defaultConfiguration"), "level"), "error");
    /* No findings: an empty result list, and the run went well. */
    const cJSON *run = run_of(log);
    assert_int_equal(cJSON_GetArraySize(get(run, "results")), 0);
    const cJSON *inv = cJSON_GetArrayItem(get(run, "invocations"), 0);
    assert_true(cJSON_IsTrue(get(inv, "executionSuccessful")));
    cJSON_Delete(log);
    diag_list_free(&list);
}

static void test_result_with_notes(void **state)
{
    (void)state;
    fixture fx;
    fixture_init(&fx);
    add_sample_findings(&fx);
    cJSON *log = sarif_of(&fx.list, fx.root);
    const cJSON *run = run_of(log);
    const cJSON *res = result_for(run, "shape-batch-mismatch");
    assert_string_equal(get_string(res, "level"), "error");
    assert_non_null(strstr(get_string(get(res, "message"), "text"),
                           "'labels' is [64] in call to 'loss'"));
    const cJSON *rules = get(get(get(run, "tool"), "driver"), "rules");
    const cJSON *rule = cJSON_GetArrayItem(rules, get_int(res, "ruleIndex"));
    assert_string_equal(get_string(rule, "id"), "shape-batch-mismatch");

    const cJSON *phys = primary_location(res);
    const cJSON *art = get(phys, "artifactLocation");
    assert_string_equal(get_string(art, "uri"), "src/train.c");
    assert_string_equal(get_string(art, "uriBaseId"), "%SRCROOT%");
    assert_region(phys, 5, 12);

    const cJSON *related = get(res, "relatedLocations");
    assert_int_equal(cJSON_GetArraySize(related), 2);
    const cJSON *first = cJSON_GetArrayItem(related, 0);
    const cJSON *second = cJSON_GetArrayItem(related, 1);
    assert_int_equal(get_int(first, "id"), 0);
    assert_int_equal(get_int(second, "id"), 1);
    assert_string_equal(get_string(get(first, "message"), "text"),
                        "'logits' declared as an array of shape [32, 10]");
    assert_region(physical(first), 3, 11);
    assert_string_equal(
        get_string(get(physical(second), "artifactLocation"), "uri"),
        "include/model.h");
    assert_fingerprint(res, ":1");
    cJSON_Delete(log);
    fixture_free(&fx);
}

/* Code scanning shows a related location only when the message links to
   it: each note's text is in the message, with a link [FILE:LINE](ID) to
   its related location (SARIF 3.11.6); brackets in link text are escaped,
   shapes' brackets outside links are not. */
static void test_message_links_notes(void **state)
{
    (void)state;
    fixture fx;
    fixture_init(&fx);
    add_sample_findings(&fx);
    char *odd = test_write(fx.root, "src/w[1].c", "int w;\n");
    assert_non_null(odd);
    diag *d = diag_add(&fx.list, &test_rule, at(fx.far, 1, 1),
                       "three notes.");
    diag_add_note(&fx.list, d, at(odd, 1, 5), "odd name");
    diag_add_note(&fx.list, d, at(NULL, 0, 0), "nowhere");
    diag_add_note(&fx.list, d, at(fx.header, 0, 0), "no line");
    cJSON *log = sarif_of(&fx.list, fx.root);
    const cJSON *run = run_of(log);
    const cJSON *res = result_for(run, "shape-batch-mismatch");
    assert_string_equal(
        get_string(get(res, "message"), "text"),
        "logits and labels must have the same first dimension: 'logits' is "
        "[32, 10] but 'labels' is [64] in call to 'loss'. Notes: 'logits' "
        "declared as an array of shape [32, 10] ([train.c:3](0)); 'loss' "
        "declared here ([model.h:1](1)).");
    /* Every link names a relatedLocation with that id, and exactly one. */
    const cJSON *related = get(res, "relatedLocations");
    int links = 0;
    for (const char *p = get_string(get(res, "message"), "text");
         (p = strstr(p, "](")) != NULL; p += 2) {
        int id = atoi(p + 2), with_id = 0;
        const cJSON *loc;
        cJSON_ArrayForEach(loc, related) with_id += get_int(loc, "id") == id;
        assert_int_equal(with_id, 1);
        links++;
    }
    assert_int_equal(links, 2);
    /* No notes: the message alone. */
    assert_string_equal(
        get_string(get(result_for(run, "shape-mismatch"), "message"), "text"),
        "'x' is [3] but parameter 'v' of 'f' is [4]");
    /* A message ending in '.', a file name with brackets, a note without a
       file (no link), one without a line. */
    assert_string_equal(
        get_string(get(result_for(run, "test-note"), "message"), "text"),
        "three notes. Notes: odd name ([w\\[1\\].c:1](0)); nowhere; "
        "no line ([model.h](2)).");
    cJSON_Delete(log);
    free(odd);
    fixture_free(&fx);
}

static void test_uri_encoding_and_columns(void **state)
{
    (void)state;
    fixture fx;
    fixture_init(&fx);
    add_sample_findings(&fx);
    cJSON *log = sarif_of(&fx.list, fx.root);
    const cJSON *res = result_for(run_of(log), "shape-mismatch");
    const cJSON *phys = primary_location(res);
    assert_string_equal(get_string(get(phys, "artifactLocation"), "uri"),
                        "src/my%20file%231.c");
    /* Byte column 14 of a line with two 2-byte characters before it. */
    assert_region(phys, 1, 12);
    cJSON_Delete(log);
    fixture_free(&fx);
}

static void test_file_outside_the_checkout(void **state)
{
    (void)state;
    fixture fx;
    fixture_init(&fx);
    add_sample_findings(&fx);
    cJSON *log = sarif_of(&fx.list, fx.root);
    const cJSON *art =
        get(primary_location(result_for(run_of(log), "shape-annotation")),
            "artifactLocation");
    char *want = malloc(strlen(fx.far) + 16);
    sprintf(want, "file://%s", fx.far);
    assert_string_equal(get_string(art, "uri"), want);
    assert_null(cJSON_GetObjectItemCaseSensitive(art, "uriBaseId"));
    free(want);
    cJSON_Delete(log);
    fixture_free(&fx);
}

static void test_compiler_diagnostic(void **state)
{
    (void)state;
    fixture fx;
    fixture_init(&fx);
    add_sample_findings(&fx);
    cJSON *log = sarif_of(&fx.list, fx.root);
    const cJSON *run = run_of(log);
    const cJSON *res = result_for(run, "clang-diagnostic-error");
    assert_string_equal(get_string(get(res, "message"), "text"),
                        "unknown type name 'T'");
    assert_string_equal(get_string(res, "level"), "error");
    assert_int_equal(get_int(res, "ruleIndex"), (int)sc_n_rules);
    assert_region(primary_location(res), 2, 1);
    const cJSON *inv = cJSON_GetArrayItem(get(run, "invocations"), 0);
    assert_true(cJSON_IsFalse(get(inv, "executionSuccessful")));
    cJSON_Delete(log);
    fixture_free(&fx);
}

static void test_rule_outside_the_table(void **state)
{
    (void)state;
    diag_list list;
    diag_list_init(&list);
    diag_add(&list, &test_rule, at(NULL, 0, 0), "no place");
    cJSON *log = sarif_of(&list, ".");
    const cJSON *run = run_of(log);
    const cJSON *rules = get(get(get(run, "tool"), "driver"), "rules");
    assert_int_equal(cJSON_GetArraySize(rules), (int)sc_n_rules + 2);
    const cJSON *res = result_for(run, "test-note");
    assert_int_equal(get_int(res, "ruleIndex"), (int)sc_n_rules + 1);
    assert_string_equal(get_string(res, "level"), "note");
    /* A finding with no file has no location at all. */
    assert_null(cJSON_GetObjectItemCaseSensitive(res, "locations"));
    cJSON_Delete(log);
    diag_list_free(&list);
}

static void test_identical_findings_count_occurrences(void **state)
{
    (void)state;
    fixture fx;
    fixture_init(&fx);
    /* The same line text and message twice: lines 1 and 2 of a file. */
    char *twice = test_write(fx.root, "twice.c", "f(x);\n  f(x);\n");
    diag_add(&fx.list, &sc_rule_shape_mismatch, at(twice, 1, 1), "m");
    diag_add(&fx.list, &sc_rule_shape_mismatch, at(twice, 2, 3), "m");
    diag_list_sort(&fx.list);
    cJSON *log = sarif_of(&fx.list, fx.root);
    const cJSON *results = get(run_of(log), "results");
    assert_fingerprint(cJSON_GetArrayItem(results, 0), ":1");
    assert_fingerprint(cJSON_GetArrayItem(results, 1), ":2");
    const char *a =
        get_string(get(cJSON_GetArrayItem(results, 0), "partialFingerprints"),
                   "primaryLocationLineHash");
    const char *b =
        get_string(get(cJSON_GetArrayItem(results, 1), "partialFingerprints"),
                   "primaryLocationLineHash");
    assert_memory_equal(a, b, 16);
    cJSON_Delete(log);
    free(twice);
    fixture_free(&fx);
}

static void test_write_error(void **state)
{
    (void)state;
    FILE *full = fopen("/dev/full", "w");
    if (!full)
        skip();
    diag_list list;
    diag_list_init(&list);
    char err[256] = "";
    assert_int_equal(output_sarif(full, &list, ".", err, sizeof err), -1);
    assert_string_equal(err, "cannot write the sarif log");
    fclose(full);
    diag_list_free(&list);
}

/* ---- Paths and URIs ----------------------------------------------------- */

static void test_relative_paths(void **state)
{
    (void)state;
    arena *a = arena_new();
    assert_string_equal(repo_path_relative(a, "/r/src/a.c", "/r"), "src/a.c");
    assert_string_equal(repo_path_relative(a, "/r/x/../src/./a.c", "/r/"),
                        "src/a.c");
    assert_string_equal(repo_path_relative(a, "/r/a.c", "/"), "r/a.c");
    assert_null(repo_path_relative(a, "/rr/a.c", "/r"));
    assert_null(repo_path_relative(a, "/r", "/r"));
    assert_null(repo_path_relative(a, "/other/a.c", "/r"));
    assert_string_equal(repo_path_uri_encode(a, "a b/ü%#?:.c"),
                        "a%20b/%C3%BC%25%23%3F%3A.c");
    assert_string_equal(repo_path_file_uri(a, "/r/s", 1), "file:///r/s/");
    assert_string_equal(repo_path_file_uri(a, "/", 1), "file:///");
    arena_free(a);
}

static void test_relative_to_current_folder(void **state)
{
    (void)state;
    fixture fx;
    fixture_init(&fx);
    char *saved = getcwd(NULL, 0);
    assert_int_equal(chdir(fx.root), 0);
    diag_add(&fx.list, &sc_rule_shape_mismatch, at("src/train.c", 5, 12), "m");
    cJSON *log = sarif_of(&fx.list, NULL);
    const cJSON *art =
        get(primary_location(result_for(run_of(log), "shape-mismatch")),
            "artifactLocation");
    assert_string_equal(get_string(art, "uri"), "src/train.c");
    cJSON_Delete(log);
    assert_int_equal(chdir(saved), 0);
    free(saved);
    fixture_free(&fx);
}

static void test_top_level(void **state)
{
    (void)state;
    arena *a = arena_new();
    char *dir = test_make_dir();
    char *src = test_write(dir, "repo/src/deep/a.c", "int a;\n");
    char *git = test_path(dir, "repo/.git");
    assert_int_equal(mkdir(git, 0777), 0);
    char *repo = test_path(dir, "repo");
    char *deep = test_path(dir, "repo/src/deep");
    assert_string_equal(repo_path_top_level(a, deep), repo);
    assert_string_equal(repo_path_top_level(a, repo), repo);
    /* A worktree's .git is a file. */
    char *wt = test_write(dir, "wt/.git", "gitdir: elsewhere\n");
    char *wt_dir = test_path(dir, "wt");
    assert_string_equal(repo_path_top_level(a, wt_dir), wt_dir);
    assert_string_equal(repo_path_parent(a, "/a/b"), "/a");
    assert_string_equal(repo_path_parent(a, "/a"), "/");
    assert_string_equal(repo_path_parent(a, "/"), "/");
    free(src);
    free(git);
    free(repo);
    free(deep);
    free(wt);
    free(wt_dir);
    test_remove_dir(dir);
    arena_free(a);
}

/* "--write FILE": the sample log for the schema test. */
static int write_sample(const char *path)
{
    fixture fx;
    fixture_init(&fx);
    add_sample_findings(&fx);
    FILE *out = fopen(path, "w");
    char err[256] = "";
    int rc = out ? output_sarif(out, &fx.list, fx.root, err, sizeof err) : -1;
    if (out && fclose(out) != 0)
        rc = -1;
    if (rc != 0)
        fprintf(stderr, "test_sarif: cannot write %s %s\n", path, err);
    fixture_free(&fx);
    return rc == 0 ? 0 : 1;
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "--write") == 0)
        return write_sample(argv[2]);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_log_header),
        cmocka_unit_test(test_rules_are_the_table),
        cmocka_unit_test(test_result_with_notes),
        cmocka_unit_test(test_message_links_notes),
        cmocka_unit_test(test_uri_encoding_and_columns),
        cmocka_unit_test(test_file_outside_the_checkout),
        cmocka_unit_test(test_compiler_diagnostic),
        cmocka_unit_test(test_rule_outside_the_table),
        cmocka_unit_test(test_identical_findings_count_occurrences),
        cmocka_unit_test(test_write_error),
        cmocka_unit_test(test_relative_paths),
        cmocka_unit_test(test_relative_to_current_folder),
        cmocka_unit_test(test_top_level),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
