/*
 * parse_only.c - the single-process baseline of bench/speed.sh: parses
 * every translation unit of a compile database in one process, one
 * CXIndex, with the command line shapecheck gives libclang, and converts
 * nothing.  What shapecheck adds on top of this is the front end's
 * conversion and the analysis; what the file-by-file tools add on top of it
 * is a process per file.
 *
 *   parse_only [OPTIONS] BUILD_DIR
 *     --include DIR    the bundled include folder (shapecheck's -idirafter)
 *     --plain          parse without shapecheck's parse options (no detailed
 *                      preprocessing record): clang -fsyntax-only's work
 *     --visit          also visit every cursor of every unit once (the
 *                      floor for any front end that walks the AST)
 *     --file FILE      only the unit of FILE (may be repeated)
 *     --print-clang    print, per unit, the equivalent shell command
 *                      "clang -fsyntax-only ARGS FILE" instead of parsing
 *     --print-files    print the units' files instead of parsing
 *
 * The compile commands are read and cleaned by the checker's own compdb.c,
 * and the arguments added are those of frontend.c's build_args(): keep the
 * two in step.  Prints "parse_only: N translation units, S s" on stderr.
 */
#define _POSIX_C_SOURCE 200809L

#include <clang-c/Index.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "compdb.h"

/* frontend.c's PARSE_OPTIONS. */
#define SHAPECHECK_PARSE_OPTIONS                                               \
    (CXTranslationUnit_DetailedPreprocessingRecord |                           \
     CXTranslationUnit_KeepGoing |                                             \
     CXTranslationUnit_IgnoreNonErrorsFromIncludedFiles)

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* frontend.c's has_warning_errors(). */
static bool has_warning_errors(const fe_command *cmd)
{
    for (int i = 1; i < cmd->argc; i++) {
        const char *a = cmd->argv[i];
        if (strncmp(a, "-Werror=", 8) == 0 ||
            strcmp(a, "-pedantic-errors") == 0 ||
            strcmp(a, "-Werror-implicit-function-declaration") == 0)
            return true;
    }
    return false;
}

/* frontend.c's build_args(): the command, then the checker's own (for the
   shell, the build's flags and the checker's defines and include folder,
   without "-w": what a user's "clang -fsyntax-only" does). */
static int build_args(const fe_command *cmd, const char *include_dir,
                      const char **v, bool for_shell)
{
    int n = 0;
    v[n++] = for_shell ? "clang" : cmd->argv[0] ? cmd->argv[0] : "clang";
    if (for_shell)
        v[n++] = "-fsyntax-only";
    for (int i = 1; i < cmd->argc; i++)
        v[n++] = cmd->argv[i];
    v[n++] = "-D__SHAPECHECK__";
    v[n++] = "-Wno-unknown-warning-option";
    v[n++] = "-Wno-error";
    if (!for_shell && !has_warning_errors(cmd))
        v[n++] = "-w";
    if (include_dir) {
        v[n++] = "-idirafter";
        v[n++] = include_dir;
    }
    if (cmd->directory && !for_shell) {
        v[n++] = "-working-directory";
        v[n++] = cmd->directory;
    }
    v[n++] = cmd->file;
    return n;
}

/* S quoted for sh. */
static void print_quoted(const char *s)
{
    if (*s && strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                        "0123456789-_=./,+:@%") == strlen(s)) {
        fputs(s, stdout);
        return;
    }
    putchar('\'');
    for (; *s; s++)
        if (*s == '\'')
            fputs("'\\''", stdout);
        else
            putchar(*s);
    putchar('\'');
}

static enum CXChildVisitResult count_cursor(CXCursor c, CXCursor parent,
                                            CXClientData data)
{
    (void)c;
    (void)parent;
    ++*(size_t *)data;
    return CXChildVisit_Recurse;
}

static bool selected(const fe_command *cmd, char **files, int n_files)
{
    if (n_files == 0)
        return true;
    for (int i = 0; i < n_files; i++) {
        size_t a = strlen(cmd->file), b = strlen(files[i]);
        if (strcmp(cmd->file, files[i]) == 0 ||
            (a > b && cmd->file[a - b - 1] == '/' &&
             strcmp(cmd->file + a - b, files[i]) == 0))
            return true;
    }
    return false;
}

int main(int argc, char **argv)
{
    const char *include_dir = NULL, *build_dir = NULL;
    bool plain = false, visit = false, print_clang = false, print_files = false;
    char **files = calloc((size_t)argc, sizeof *files);
    int n_files = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--include") == 0 && i + 1 < argc)
            include_dir = argv[++i];
        else if (strcmp(argv[i], "--file") == 0 && i + 1 < argc)
            files[n_files++] = argv[++i];
        else if (strcmp(argv[i], "--plain") == 0)
            plain = true;
        else if (strcmp(argv[i], "--visit") == 0)
            visit = true;
        else if (strcmp(argv[i], "--print-clang") == 0)
            print_clang = true;
        else if (strcmp(argv[i], "--print-files") == 0)
            print_files = true;
        else if (argv[i][0] != '-' && !build_dir)
            build_dir = argv[i];
        else {
            fprintf(stderr, "usage: parse_only [--include DIR] [--plain] "
                            "[--visit] [--file FILE]... [--print-clang | "
                            "--print-files] BUILD_DIR\n");
            return 2;
        }
    }
    if (!build_dir) {
        fprintf(stderr, "parse_only: no BUILD_DIR\n");
        return 2;
    }
    char path[4096], err[1024];
    snprintf(path, sizeof path, "%s/compile_commands.json", build_dir);
    compdb db;
    if (compdb_load(&db, path, err, sizeof err) != 0) {
        fprintf(stderr, "parse_only: %s\n", err);
        return 2;
    }
    char *cwd = getcwd(NULL, 0);
    /* As the driver does: parse on this thread, not on one libclang makes
       for each unit. */
    setenv("LIBCLANG_NOTHREADS", "1", 0);
    CXIndex index = clang_createIndex(0, 0);
    unsigned options =
        plain ? CXTranslationUnit_KeepGoing : SHAPECHECK_PARSE_OPTIONS;
    size_t parsed = 0, cursors = 0;
    int status = 0;
    double start = now();
    for (size_t i = 0; i < db.n_commands; i++) {
        const fe_command *cmd = &db.commands[i];
        if (!selected(cmd, files, n_files))
            continue;
        const char **args = calloc((size_t)cmd->argc + 16, sizeof *args);
        int n = build_args(cmd, include_dir, args, print_clang);
        if (print_files) {
            puts(cmd->file);
        } else if (print_clang) {
            fputs("cd ", stdout);
            print_quoted(cmd->directory ? cmd->directory : ".");
            fputs(" &&", stdout);
            for (int k = 0; k < n; k++) {
                putchar(' ');
                print_quoted(args[k]);
            }
            putchar('\n');
        } else {
            CXTranslationUnit tu = NULL;
            enum CXErrorCode rc = clang_parseTranslationUnit2FullArgv(
                index, NULL, args, n, NULL, 0, options, &tu);
            if (rc != CXError_Success || !tu) {
                fprintf(stderr, "parse_only: %s: cannot parse\n", cmd->file);
                status = 1;
            } else {
                if (visit)
                    clang_visitChildren(clang_getTranslationUnitCursor(tu),
                                        count_cursor, &cursors);
                clang_disposeTranslationUnit(tu);
            }
            parsed++;
        }
        free(args);
    }
    double took = now() - start;
    if (!print_clang && !print_files) {
        fprintf(stderr, "parse_only: %zu translation units, %.4f s", parsed,
                took);
        if (visit)
            fprintf(stderr, ", %zu cursors", cursors);
        fputc('\n', stderr);
    }
    clang_disposeIndex(index);
    if (cwd && chdir(cwd) != 0)
        status = 1;
    free(cwd);
    free(files);
    compdb_free(&db);
    return status;
}
