/*
 * test_compdb.c - compile databases and "-- ARGS" commands (compdb.c).
 */
#define _POSIX_C_SOURCE 200809L

#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "compdb.h"

#define DATA TEST_DATA_DIR "/compdb"

/* Asserts that CMD's argv is exactly the NULL-terminated list WANT. */
static void assert_argv(const fe_command *cmd, const char *const *want)
{
    int n = 0;
    while (want[n])
        n++;
    assert_int_equal(cmd->argc, n);
    for (int i = 0; i < n; i++)
        assert_string_equal(cmd->argv[i], want[i]);
    assert_null(cmd->argv[n]);
}

/* A fresh folder under /tmp; the caller removes it with remove_tree. */
static char *make_temp_dir(void)
{
    char *dir = strdup("/tmp/sc_test_compdb_XXXXXX");
    assert_non_null(mkdtemp(dir));
    return dir;
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

/* Loads TEXT as a database from a temporary file; returns the result of
   compdb_load and leaves its message in ERR. */
static int load_text(compdb *db, const char *text, char *path, size_t size,
                     char *err, size_t err_size)
{
    char *dir = make_temp_dir();
    snprintf(path, size, "%s/compile_commands.json", dir);
    write_file(path, text);
    int rc = compdb_load(db, path, err, err_size);
    unlink(path);
    rmdir(dir);
    free(dir);
    return rc;
}

/* ---- "arguments" -------------------------------------------------------- */

static void test_arguments_cleaned(void **state)
{
    (void)state;
    compdb db;
    char err[512] = "";
    assert_int_equal(compdb_load(&db, DATA "/arguments.json", err, sizeof err),
                     0);
    /* main.c (first entry only), util.c, other.c; C++ and ObjC dropped. */
    assert_int_equal(db.n_commands, 3);

    const fe_command *main_c = &db.commands[0];
    assert_string_equal(main_c->file, "/proj/src/main.c");
    assert_string_equal(main_c->directory, "/proj/build");
    assert_argv(main_c, (const char *const[]){"/usr/bin/gcc", "-I/proj/include",
                                              "-DNDEBUG", "-O2", NULL});

    const fe_command *util = &db.commands[1];
    assert_string_equal(util->file, "/proj/src/util.c");
    assert_argv(util, (const char *const[]){"cc", "-std=c11", NULL});

    const fe_command *other = &db.commands[2];
    assert_string_equal(other->file, "/proj/xsrc/other.c");
    assert_string_equal(other->directory, "/proj");
    assert_argv(other, (const char *const[]){"cc", NULL});
    compdb_free(&db);
    assert_null(db.storage);
}

/* ---- "command" ---------------------------------------------------------- */

static void test_command_split_like_a_shell(void **state)
{
    (void)state;
    compdb db;
    char err[512] = "";
    assert_int_equal(compdb_load(&db, DATA "/command.json", err, sizeof err),
                     0);
    assert_int_equal(db.n_commands, 2);
    const fe_command *a = &db.commands[0];
    assert_string_equal(a->file, "/w/a.c");
    assert_argv(a,
                (const char *const[]){"gcc", "-DMSG=\"hi there\"", "-DQ=a b",
                                      "-DE=x\"y", "-I/w/ spaced/dir", "", NULL});
    compdb_free(&db);
}

static void test_relative_directory(void **state)
{
    (void)state;
    compdb db;
    char err[512] = "";
    assert_int_equal(compdb_load(&db, DATA "/command.json", err, sizeof err),
                     0);
    const fe_command *b = &db.commands[1];
    /* "sub" is relative to the folder of the database; "./b.c" in the
       command is the source file and goes. */
    assert_string_equal(b->directory, DATA "/sub");
    assert_string_equal(b->file, DATA "/sub/b.c");
    assert_argv(b, (const char *const[]){"clang", "-Wall", "-Wextra", NULL});
    compdb_free(&db);
}

static void test_unterminated_quote(void **state)
{
    (void)state;
    compdb db;
    char path[PATH_MAX], err[PATH_MAX + 100], want[sizeof err];
    const char *text = "[{\"directory\": \"/w\", \"file\": \"a.c\",\n"
                       "  \"command\": \"cc -DX='oops a.c\"}]";
    assert_int_equal(load_text(&db, text, path, sizeof path, err, sizeof err),
                     -1);
    snprintf(want, sizeof want, "%s: entry 1: unterminated quote in 'command'",
             path);
    assert_string_equal(err, want);
    assert_int_equal(db.n_commands, 0);
}

/* ---- Errors ------------------------------------------------------------- */

static void test_malformed_json_has_line_and_column(void **state)
{
    (void)state;
    compdb db;
    char path[PATH_MAX], err[PATH_MAX + 100], want[sizeof err];
    /* The ':' after "file" is missing: cJSON stops at the value, line 3
       column 11. */
    const char *text = "[\n"
                       "  {\"directory\": \"/w\",\n"
                       "   \"file\" \"a.c\", \"arguments\": [\"cc\"]}\n"
                       "]\n";
    assert_int_equal(load_text(&db, text, path, sizeof path, err, sizeof err),
                     -1);
    snprintf(want, sizeof want, "%s:3:11: malformed JSON", path);
    assert_string_equal(err, want);
}

static void test_missing_file_names_the_entry(void **state)
{
    (void)state;
    compdb db;
    char path[PATH_MAX], err[PATH_MAX + 100], want[sizeof err];
    const char *text =
        "[{\"directory\": \"/w\", \"file\": \"a.c\", \"arguments\": "
        "[\"cc\"]},\n"
        " {\"directory\": \"/w\", \"arguments\": [\"cc\", \"b.c\"]}]\n";
    assert_int_equal(load_text(&db, text, path, sizeof path, err, sizeof err),
                     -1);
    snprintf(want, sizeof want, "%s: entry 2: missing 'file'", path);
    assert_string_equal(err, want);
}

static void test_wrong_structure(void **state)
{
    (void)state;
    compdb db;
    char path[PATH_MAX], err[PATH_MAX + 100], want[sizeof err];
    assert_int_equal(load_text(&db, "{\"directory\": \"/w\"}", path,
                               sizeof path, err, sizeof err),
                     -1);
    snprintf(want, sizeof want, "%s: not a JSON array of compile commands",
             path);
    assert_string_equal(err, want);

    assert_int_equal(load_text(&db,
                               "[{\"directory\": \"/w\", \"file\": \"a.c\"}]",
                               path, sizeof path, err, sizeof err),
                     -1);
    snprintf(want, sizeof want, "%s: entry 1: missing 'arguments' or 'command'",
             path);
    assert_string_equal(err, want);

    assert_int_equal(load_text(&db,
                               "[{\"directory\": \"/w\", \"file\": 3, "
                               "\"arguments\": [\"cc\"]}]",
                               path, sizeof path, err, sizeof err),
                     -1);
    snprintf(want, sizeof want, "%s: entry 1: 'file' is not a string", path);
    assert_string_equal(err, want);
}

static void test_unreadable(void **state)
{
    (void)state;
    compdb db;
    char err[512];
    assert_int_equal(compdb_load(&db, DATA "/no-such.json", err, sizeof err),
                     -1);
    assert_string_equal(
        err, DATA "/no-such.json: cannot read: No such file or directory");
}

/* ---- Lookup ------------------------------------------------------------- */

static void test_lookup_exact_and_suffix(void **state)
{
    (void)state;
    compdb db;
    char err[512];
    assert_int_equal(compdb_load(&db, DATA "/arguments.json", err, sizeof err),
                     0);
    const fe_command *util = &db.commands[1], *other = &db.commands[2];
    assert_ptr_equal(compdb_lookup(&db, "/proj/src/util.c"), util);
    assert_ptr_equal(compdb_lookup(&db, "src/util.c"), util);
    assert_ptr_equal(compdb_lookup(&db, "util.c"), util);
    assert_ptr_equal(compdb_lookup(&db, "./src/../src/main.c"),
                     &db.commands[0]);
    assert_ptr_equal(compdb_lookup(&db, "xsrc/other.c"), other);
    /* Suffixes count only at a '/': "src/other.c" is not "xsrc/other.c". */
    assert_null(compdb_lookup(&db, "src/other.c"));
    assert_null(compdb_lookup(&db, "rc/util.c"));
    assert_null(compdb_lookup(&db, "/other/src/util.c"));
    assert_null(compdb_lookup(&db, "src/widget.cpp"));
    compdb_free(&db);
}

/* ---- From "-- ARGS" ----------------------------------------------------- */

static void test_from_args(void **state)
{
    (void)state;
    char cwd[PATH_MAX];
    assert_non_null(getcwd(cwd, sizeof cwd));
    compdb db;
    const char *files[] = {"t.c", "u.c"};
    const char *args[] = {"/usr/bin/gcc", "-O2", "-c",     "t.c", "-o",
                          "t.o",          "-DX", "./u.c",  "-MD", "-MF",
                          "t.d",          "-I",  "include"};
    assert_int_equal(compdb_from_args(&db, files, 2, args, 13), 0);
    assert_int_equal(db.n_commands, 2);
    /* Relative include paths are made absolute (see path_flags). */
    char include[PATH_MAX + 16];
    snprintf(include, sizeof include, "%s/include", cwd);
    for (size_t i = 0; i < 2; i++) {
        assert_string_equal(db.commands[i].file, files[i]);
        assert_string_equal(db.commands[i].directory, cwd);
        assert_argv(&db.commands[i],
                    (const char *const[]){"clang", "-O2", "-DX", "-I",
                                          include, NULL});
    }
    compdb_free(&db);
}

static void test_from_args_without_compiler(void **state)
{
    (void)state;
    compdb db;
    const char *files[] = {"t.c"};
    const char *args[] = {"-std=c99", "-ot.o", "-Wall"};
    assert_int_equal(compdb_from_args(&db, files, 1, args, 3), 0);
    assert_argv(&db.commands[0],
                (const char *const[]){"clang", "-std=c99", "-Wall", NULL});
    compdb_free(&db);

    assert_int_equal(compdb_from_args(&db, files, 1, NULL, 0), 0);
    assert_argv(&db.commands[0], (const char *const[]){"clang", NULL});
    compdb_free(&db);
}

/* ---- Finding the database ------------------------------------------------ */

static void test_find_walks_up(void **state)
{
    (void)state;
    char *root = make_temp_dir();
    char a[128], ab[128], abc[128], decoy[160];
    char root_db[160], ab_db[160];
    snprintf(a, sizeof a, "%s/a", root);
    snprintf(ab, sizeof ab, "%s/a/b", root);
    snprintf(abc, sizeof abc, "%s/a/b/c", root);
    /* A folder with the database's name is not a database. */
    snprintf(decoy, sizeof decoy, "%s/compile_commands.json", abc);
    snprintf(root_db, sizeof root_db, "%s/compile_commands.json", root);
    snprintf(ab_db, sizeof ab_db, "%s/compile_commands.json", ab);
    assert_int_equal(mkdir(a, 0700), 0);
    assert_int_equal(mkdir(ab, 0700), 0);
    assert_int_equal(mkdir(abc, 0700), 0);
    assert_int_equal(mkdir(decoy, 0700), 0);
    write_file(root_db, "[]");
    write_file(ab_db, "[]");

    char *found = compdb_find(abc);
    assert_non_null(found);
    assert_string_equal(found, ab_db);
    free(found);
    found = compdb_find(a);
    assert_non_null(found);
    assert_string_equal(found, root_db);
    free(found);

    unlink(ab_db);
    unlink(root_db);
    rmdir(decoy);
    rmdir(abc);
    rmdir(ab);
    rmdir(a);
    rmdir(root);
    free(root);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_arguments_cleaned),
        cmocka_unit_test(test_command_split_like_a_shell),
        cmocka_unit_test(test_relative_directory),
        cmocka_unit_test(test_unterminated_quote),
        cmocka_unit_test(test_malformed_json_has_line_and_column),
        cmocka_unit_test(test_missing_file_names_the_entry),
        cmocka_unit_test(test_wrong_structure),
        cmocka_unit_test(test_unreadable),
        cmocka_unit_test(test_lookup_exact_and_suffix),
        cmocka_unit_test(test_from_args),
        cmocka_unit_test(test_from_args_without_compiler),
        cmocka_unit_test(test_find_walks_up),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
