/*
 * test_config.c - the .shapecheck configuration file (config.c): its
 * format, its errors, and how it is found.
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

#include "config.h"
#include "diag.h"
#include "test_files.h"

static void parse_ok(config *cfg, const char *path, const char *text)
{
    char err[512] = "";
    assert_int_equal(config_parse(cfg, path, text, err, sizeof err), 0);
    assert_string_equal(err, "");
}

static void parse_fails(const char *text, const char *want)
{
    config cfg;
    char err[512] = "";
    assert_int_equal(config_parse(&cfg, "p/.shapecheck", text, err, sizeof err),
                     -1);
    assert_string_equal(err, want);
    assert_null(cfg.storage);
    assert_int_equal(cfg.n_models, 0);
}

static void test_block_lists(void **state)
{
    (void)state;
    config cfg;
    parse_ok(&cfg, "proj/.shapecheck",
             "# settings for this project\n"
             "models:\n"
             "  - models/cblas.h   # BLAS\n"
             "  - /abs/nn.h\n"
             "\n"
             "extra-args:\n"
             "- -DUSE_BLAS\n"
             "-   \"-I include dir\"\n"
             "disabled-rules:\r\n"
             "  - shape-annotation\r\n");
    assert_string_equal(cfg.path, "proj/.shapecheck");
    assert_int_equal(cfg.n_models, 2);
    assert_string_equal(cfg.models[0], "proj/models/cblas.h");
    assert_string_equal(cfg.models[1], "/abs/nn.h");
    assert_int_equal(cfg.n_extra_args, 2);
    assert_string_equal(cfg.extra_args[0], "-DUSE_BLAS");
    assert_string_equal(cfg.extra_args[1], "-I include dir");
    assert_int_equal(cfg.n_disabled_rules, 1);
    assert_string_equal(cfg.disabled_rules[0], "shape-annotation");
    assert_true(config_rule_disabled(&cfg, "shape-annotation"));
    assert_false(config_rule_disabled(&cfg, "shape-mismatch"));
    config_free(&cfg);
}

static void test_flow_lists_and_quotes(void **state)
{
    (void)state;
    config cfg;
    parse_ok(&cfg, ".shapecheck",
             "models: [a.h, 'it''s.h', \"q\\\"uote#.h\"]  # three\n"
             "extra-args: [ \"-DX=a,b\" ,-DY=#1 ]\n"
             "disabled-rules: []\n");
    /* No folder in the path: models stay relative to the current one. */
    assert_int_equal(cfg.n_models, 3);
    assert_string_equal(cfg.models[0], "a.h");
    assert_string_equal(cfg.models[1], "it's.h");
    assert_string_equal(cfg.models[2], "q\"uote#.h");
    assert_int_equal(cfg.n_extra_args, 2);
    assert_string_equal(cfg.extra_args[0], "-DX=a,b");
    assert_string_equal(cfg.extra_args[1], "-DY=#1");
    assert_int_equal(cfg.n_disabled_rules, 0);
    config_free(&cfg);
}

static void test_empty_file(void **state)
{
    (void)state;
    config cfg;
    parse_ok(&cfg, "/.shapecheck", "# nothing yet\n\nmodels:\n");
    assert_int_equal(cfg.n_models, 0);
    assert_int_equal(cfg.n_extra_args, 0);
    config_free(&cfg);
    parse_ok(&cfg, "/.shapecheck", "models: [m.h]");
    assert_string_equal(cfg.models[0], "/m.h");
    config_free(&cfg);
}

static void test_errors_name_the_line(void **state)
{
    (void)state;
    parse_fails("models:\n  - a.h\nchecks: x\n",
                "p/.shapecheck:3: unknown key 'checks' (known: models, "
                "extra-args, disabled-rules)");
    parse_fails("disabled-rules:\n  - shape-mismatch\n  - shape-typo\n",
                "p/.shapecheck:3: unknown rule 'shape-typo' in "
                "disabled-rules (see --list-rules)");
    parse_fails("disabled-rules: [shape-mismatch, nope]\n",
                "p/.shapecheck:1: unknown rule 'nope' in disabled-rules "
                "(see --list-rules)");
    parse_fails("models: a.h\n",
                "p/.shapecheck:1: 'models' takes a list: write [ITEM, ...] "
                "or '- ITEM' lines below it");
    parse_fails("- a.h\n", "p/.shapecheck:1: list item outside a key");
    parse_fails("models: [a.h]\n- b.h\n",
                "p/.shapecheck:2: list item outside a key");
    parse_fails("models:\n  a.h\n",
                "p/.shapecheck:2: unexpected indented line (a list item "
                "starts with '- ')");
    parse_fails("models:\n\t- a.h\n",
                "p/.shapecheck:2: tabs cannot indent: use spaces");
    parse_fails("models: [a.h\n",
                "p/.shapecheck:1: expected ',' or ']' in the list of "
                "'models'");
    parse_fails("models: [a.h,]\n", "p/.shapecheck:1: empty item in 'models'");
    parse_fails("models: [a.h] b\n",
                "p/.shapecheck:1: unexpected text after the list of 'models'");
    parse_fails("models:\n  - \"a.h\n",
                "p/.shapecheck:2: missing closing '\"'");
    parse_fails("models:\n  - 'a.h\n",
                "p/.shapecheck:2: missing closing \"'\"");
    parse_fails("models:\n  - \"a\\q\"\n",
                "p/.shapecheck:2: unknown escape '\\q' (use \\\", \\\\, \\n "
                "or \\t)");
    parse_fails("models:\n  - \"a\" b\n",
                "p/.shapecheck:2: unexpected text after the item");
    parse_fails("models:\n  -\n", "p/.shapecheck:2: empty item in 'models'");
    parse_fails("models:\nmodels:\n", "p/.shapecheck:2: 'models' given twice");
    parse_fails("models [a]\n",
                "p/.shapecheck:1: expected 'KEY:' at the start of the line");
    parse_fails("models:[a]\n",
                "p/.shapecheck:1: expected a space after 'models:'");
}

static void test_found_by_walking_up(void **state)
{
    (void)state;
    char *dir = test_make_dir();
    char *top = test_write(dir, CONFIG_FILE_NAME, "models: [m/top.h]\n");
    char *src = test_write(dir, "a/b/c/train.c", "int x;\n");
    char *near = test_write(dir, "a/b/" CONFIG_FILE_NAME,
                            "disabled-rules: [shape-annotation]\n");
    char *other = test_write(dir, "x/y.c", "int y;\n");
    char *found = config_find(src);
    assert_string_equal(found, near);
    free(found);
    found = config_find(other);
    assert_string_equal(found, top);
    free(found);

    config cfg;
    char err[512] = "";
    assert_int_equal(config_for_file(&cfg, other, err, sizeof err), 0);
    assert_string_equal(cfg.path, top);
    char *model = test_path(dir, "m/top.h");
    assert_string_equal(cfg.models[0], model);
    free(model);
    config_free(&cfg);

    /* A folder named .shapecheck is not a configuration file. */
    char *fake = test_path(dir, "x/" CONFIG_FILE_NAME);
    assert_int_equal(mkdir(fake, 0777), 0);
    found = config_find(other);
    assert_string_equal(found, top);
    free(found);
    free(fake);

    free(top);
    free(src);
    free(near);
    free(other);
    test_remove_dir(dir);
}

static void test_no_file_is_no_error(void **state)
{
    (void)state;
    /* The scratch folder has no .shapecheck: what applies is whatever is
       above it (usually nothing), and no file is not an error. */
    char *dir = test_make_dir();
    char *src = test_write(dir, "t.c", "int x;\n");
    char *above = config_find(dir);
    config cfg;
    char err[512] = "";
    assert_int_equal(config_for_file(&cfg, src, err, sizeof err), 0);
    if (above)
        assert_string_equal(cfg.path, above);
    else
        assert_null(cfg.path);
    config_free(&cfg);
    free(above);
    free(src);
    test_remove_dir(dir);
}

static void test_load_errors(void **state)
{
    (void)state;
    char *dir = test_make_dir();
    char *bad = test_write(dir, CONFIG_FILE_NAME, "models: [a.h]\noops\n");
    config cfg;
    char err[512] = "", want[600];
    assert_int_equal(config_load(&cfg, bad, err, sizeof err), -1);
    snprintf(want, sizeof want,
             "%s:2: expected 'KEY:' at the start of the line", bad);
    assert_string_equal(err, want);
    char *src = test_write(dir, "t.c", "int x;\n");
    assert_int_equal(config_for_file(&cfg, src, err, sizeof err), -1);
    assert_string_equal(err, want);
    char *missing = test_path(dir, "missing");
    assert_int_equal(config_load(&cfg, missing, err, sizeof err), -1);
    snprintf(want, sizeof want, "%s: cannot read: No such file or directory",
             missing);
    assert_string_equal(err, want);
    free(missing);
    free(src);
    free(bad);
    test_remove_dir(dir);
}

static void test_drop_disabled(void **state)
{
    (void)state;
    config cfg;
    parse_ok(&cfg, ".shapecheck", "disabled-rules: [shape-mismatch]\n");
    diag_list list;
    diag_list_init(&list);
    diag_add(&list, &sc_rule_shape_mismatch, (sc_loc){"a.c", 1, 1}, "a");
    diag_add(&list, &sc_rule_batch_mismatch, (sc_loc){"a.c", 2, 1}, "b");
    diag_add(&list, NULL, (sc_loc){"a.c", 3, 1}, "c");
    diag_add(&list, &sc_rule_shape_mismatch, (sc_loc){"a.c", 4, 1}, "d");
    assert_int_equal(config_drop_disabled(&cfg, &list), 2);
    assert_int_equal(list.n, 2);
    assert_string_equal(list.items[0].message, "b");
    assert_string_equal(list.items[1].message, "c");
    diag_list_free(&list);
    config_free(&cfg);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_block_lists),
        cmocka_unit_test(test_flow_lists_and_quotes),
        cmocka_unit_test(test_empty_file),
        cmocka_unit_test(test_errors_name_the_line),
        cmocka_unit_test(test_found_by_walking_up),
        cmocka_unit_test(test_no_file_is_no_error),
        cmocka_unit_test(test_load_errors),
        cmocka_unit_test(test_drop_disabled),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
