/*
 * main.c - the shapecheck command line (SPEC section 5): options, the
 * project's .shapecheck, one run of the driver, then what to do with the
 * findings (disabled rules, NOLINT, baseline) and how to write them.
 * Everything else lives in the checker library; this file only wires it.
 */
#define _POSIX_C_SOURCE 200809L /* fileno, isatty, open_memstream */

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "baseline.h"
#include "checks.h"
#include "config_set.h"
#include "driver.h"
#include "isolate.h"
#include "lsp.h"
#include "output.h"
#include "output_file.h"
#include "output_formats.h"
#include "repo_path.h"
#include "run_log.h"
#include "suppress.h"
#include "verify.h"

#define SHAPECHECK_VERSION_TEXT "0.1.0"

typedef enum out_format { FORMAT_TEXT, FORMAT_SARIF, FORMAT_JSON } out_format;

typedef struct options {
    driver_options run;
    const char **files;      /* storage behind run.files */
    const char **models;     /* storage behind run.models */
    const char **summaries;  /* storage behind run.read_summaries */
    const char **extra_args; /* --extra-arg */
    int n_extra_args;
    const char **extra_args_before; /* storage behind run.extra_args_before */
    const char *output;             /* -o */
    out_format format;
    const char *baseline;       /* --baseline */
    const char *write_baseline; /* --write-baseline */
    bool verify;
    bool quiet;
    bool lsp;
    lsp_options lsp_options; /* --lsp: -p/--compile-commands-dir, -j */
    bool no_config;
    const char *emit_facts;  /* --emit-facts OUT */
    checks checks;           /* --checks=GLOBS */
    const char *config_file; /* --config-file */
    const char *color;       /* --color: "auto" (NULL), "always", "never" */
    char **respelt;          /* "-quiet" as "--quiet": malloc'd, argc of them */
} options;

static void usage(FILE *out)
{
    fputs(
        "usage: shapecheck [OPTIONS] FILE... [-- COMPILER_ARGS...]\n"
        "       shapecheck [OPTIONS] -p BUILD_DIR [FILE...]\n"
        "       shapecheck --lsp\n"
        "\n"
        "Checks shape annotations (SHAPE, RETURNS_SHAPE, SHAPE_LOSS) in C "
        "code.\n"
        "\n"
        "  -p DIR                read DIR/compile_commands.json\n"
        "  --models FILE.h       force-include annotated redeclarations\n"
        "                        (repeatable; replaces the config's models)\n"
        "  --format=FORMAT       text (default), sarif or json\n"
        "  -o FILE               write the report to FILE\n"
        "  -j N                  translation units parsed at once (default:\n"
        "                        one per core)\n"
        "  --extra-arg=ARG       add ARG to the end of each compiler command\n"
        "  --extra-arg-before=ARG\n"
        "                        add ARG right after the compiler\n"
        "  --verify              check findings against expected-* comments\n"
        "  --baseline FILE       report only findings not in FILE\n"
        "  --write-baseline FILE record the current findings in FILE\n"
        "  --no-config           do not read .shapecheck\n"
        "  --config-file=FILE    use FILE as every file's .shapecheck\n"
        "  --color=WHEN          clang's colours: auto (on a terminal,\n"
        "                        the default), always or never\n"
        "  --write-summaries DIR write one summary file per translation unit\n"
        "  --read-summaries FILE use a summary file for functions defined\n"
        "                        elsewhere (repeatable)\n"
        "  --stats               print parse and analysis times on stderr\n"
        "  --cache-dir DIR       keep per-file results in DIR: a later run\n"
        "                        parses only what changed\n"
        "  --emit-facts OUT      write the facts of one unit to OUT (a\n"
        "                        .scfacts file), like cc -c; inputs ending\n"
        "                        in .scfacts are read as facts (the link\n"
        "                        step)\n"
        "  --index DIR           keep the project index in DIR (default:\n"
        "                        BUILD_DIR/.shapecheck)\n"
        "  --no-index            neither read nor write the project index\n"
        "  --quiet               no progress line\n"
        "  -v                    list dropped compiler options\n"
        "  --lsp                 run as a language server on stdin/stdout\n"
        "  --compile-commands-dir=DIR\n"
        "                        the same as -p DIR (clangd's name)\n"
        "  --checks=GLOBS        rules to report, as clang-tidy selects\n"
        "                        checks (\"-*,shape-batch-*\")\n"
        "  --list-rules          print the rules and exit\n"
        "  -h, --help            this text\n"
        "  --version             print the version\n"
        "\n"
        "Exit status: 0 no error found, 1 errors found, 2 the checker could\n"
        "not do its whole job.\n",
        out);
}

static void list_rules(void)
{
    for (size_t i = 0; i < sc_n_rules; i++)
        printf("%-22s %s\n", sc_rules[i]->id, sc_rules[i]->short_text);
}

static bool parse_format(const char *s, out_format *f)
{
    static const struct {
        const char *name;
        out_format format;
    } formats[] = {
        {"text", FORMAT_TEXT}, {"sarif", FORMAT_SARIF}, {"json", FORMAT_JSON}};
    for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++)
        if (strcmp(s, formats[i].name) == 0) {
            *f = formats[i].format;
            return true;
        }
    return false;
}

static bool parse_jobs(const char *s, int *jobs)
{
    char *end;
    long n = strtol(s, &end, 10);
    if (*end || n < 1 || n > 1024)
        return false;
    *jobs = (int)n;
    return true;
}

enum {
    OPT_MODELS = 256,
    OPT_FORMAT,
    OPT_VERIFY,
    OPT_VERSION,
    OPT_RULES,
    OPT_BASELINE,
    OPT_WRITE_BASELINE,
    OPT_QUIET,
    OPT_LSP,
    OPT_NO_CONFIG,
    OPT_EXTRA_ARG,
    OPT_EXTRA_ARG_BEFORE,
    OPT_READ_SUMMARIES,
    OPT_WRITE_SUMMARIES,
    OPT_STATS,
    OPT_CACHE_DIR,
    OPT_EMIT_FACTS,
    OPT_INDEX,
    OPT_NO_INDEX,
    OPT_COMPILE_COMMANDS_DIR,
    OPT_CHECKS,
    OPT_CONFIG_FILE,
    OPT_COLOR,
};

/* One option; returns -1 (exit 2), 1 (exit 0) or 0 (go on). */
static int apply_option(int ch, options *o, char **argv)
{
    switch (ch) {
    case 'p':
    case OPT_COMPILE_COMMANDS_DIR:
        /* clang-tidy's "-p=build" */
        o->run.build_dir = optarg[0] == '=' ? optarg + 1 : optarg;
        return 0;
    case OPT_CONFIG_FILE:
        o->config_file = optarg;
        return 0;
    case OPT_COLOR:
        if (strcmp(optarg, "auto") && strcmp(optarg, "always") &&
            strcmp(optarg, "never")) {
            fprintf(stderr,
                    "shapecheck: error: --color=%s: expected auto, "
                    "always or never\n",
                    optarg);
            return -1;
        }
        o->color = optarg;
        return 0;
    case OPT_CHECKS: {
        char err[512];
        checks_free(&o->checks);
        if (checks_parse(&o->checks, optarg, err, sizeof err) == 0)
            return 0;
        fprintf(stderr, "shapecheck: error: %s\n", err);
        return -1;
    }
    case 'o':
        o->output = optarg;
        return 0;
    case 'v':
        o->run.verbose = true;
        return 0;
    case OPT_MODELS:
        o->models[o->run.n_models++] = optarg;
        return 0;
    case OPT_VERIFY:
        o->verify = true;
        return 0;
    case OPT_BASELINE:
        o->baseline = optarg;
        return 0;
    case OPT_WRITE_BASELINE:
        o->write_baseline = optarg;
        return 0;
    case OPT_QUIET:
        o->quiet = true;
        return 0;
    case OPT_LSP:
        o->lsp = true;
        return 0;
    case OPT_NO_CONFIG:
        o->no_config = true;
        return 0;
    case OPT_READ_SUMMARIES:
        o->summaries[o->run.n_read_summaries++] = optarg;
        return 0;
    case OPT_WRITE_SUMMARIES:
        o->run.write_summaries_dir = optarg;
        return 0;
    case OPT_STATS:
        o->run.stats = true;
        return 0;
    case OPT_CACHE_DIR:
        o->run.cache_dir = optarg;
        return 0;
    case OPT_EMIT_FACTS:
        o->emit_facts = optarg;
        return 0;
    case OPT_INDEX:
        o->run.index_dir = optarg;
        return 0;
    case OPT_NO_INDEX:
        o->run.no_index = true;
        return 0;
    case OPT_EXTRA_ARG:
        o->extra_args[o->n_extra_args++] = optarg;
        return 0;
    case OPT_EXTRA_ARG_BEFORE:
        o->extra_args_before[o->run.n_extra_args_before++] = optarg;
        return 0;
    case 'j':
        if (parse_jobs(optarg, &o->run.jobs))
            return 0;
        fprintf(stderr,
                "shapecheck: error: -j takes a number from 1 to 1024, "
                "not '%s'\n",
                optarg);
        return -1;
    case OPT_FORMAT:
        if (parse_format(optarg, &o->format))
            return 0;
        fprintf(stderr,
                "shapecheck: error: unknown format '%s' (text, sarif "
                "or json)\n",
                optarg);
        return -1;
    case OPT_VERSION:
        puts("shapecheck " SHAPECHECK_VERSION_TEXT);
        return 1;
    case OPT_RULES:
        list_rules();
        return 1;
    case 'h':
        usage(stdout);
        return 1;
    default:
        fprintf(stderr,
                "shapecheck: error: unknown or incomplete option "
                "'%s'\n",
                argv[optind - 1]);
        usage(stderr);
        return -1;
    }
}

/* Options that another one makes meaningless are refused rather than
   ignored, so that nobody waits for a SARIF log --verify never writes. */
static bool options_compatible(const options *o)
{
    const char *why = NULL;
    if (o->lsp && (o->run.n_files || o->run.has_dashdash))
        why = "--lsp takes no files or compiler arguments: the editor sends "
              "the documents";
    else if (o->lsp && (o->output || o->verify || o->baseline ||
                        o->write_baseline || o->format != FORMAT_TEXT))
        why = "--lsp answers on standard output: -o, --format, --verify and "
              "the baseline options do not apply";
    else if (o->no_config && o->config_file)
        why = "--no-config and --config-file contradict each other";
    else if (o->verify && o->format != FORMAT_TEXT)
        why = "--verify writes its own text report: it cannot be combined "
              "with --format=sarif or --format=json";
    if (why)
        fprintf(stderr, "shapecheck: error: %s\n", why);
    return why == NULL;
}

/* clang-tidy spells its long options with one dash ("-quiet",
   "-checks=...", "-extra-arg=..."), and CMake and scripts pass them so:
   each word before "--" that is one dash and a long option's name
   becomes that option.  -export-fixes is refused: there are no fixes. */
static int respell_options(int argc, char **argv, int dd,
                           const struct option *longopts, options *o)
{
    o->respelt = calloc((size_t)argc + 1, sizeof *o->respelt);
    if (!o->respelt)
        return -1;
    for (int i = 1; i < dd; i++) {
        const char *w = argv[i];
        if (w[0] != '-' || w[1] == '-' || w[1] == '\0' || w[2] == '\0')
            continue;
        size_t n = strcspn(w + 1, "=");
        if (strncmp(w + 1, "export-fixes", n) == 0 && n == 12) {
            fprintf(stderr,
                    "shapecheck: error: %s: shapecheck suggests no "
                    "fixes, there are none to export\n",
                    w);
            return -1;
        }
        for (const struct option *l = longopts; l->name; l++)
            if (strlen(l->name) == n && strncmp(w + 1, l->name, n) == 0) {
                o->respelt[i] = malloc(strlen(w) + 2);
                if (!o->respelt[i])
                    return -1;
                sprintf(o->respelt[i], "-%s", w);
                argv[i] = o->respelt[i];
                break;
            }
    }
    return 0;
}

static int parse_options(int argc, char **argv, options *o)
{
    static const struct option longopts[] = {
        {"models", required_argument, NULL, OPT_MODELS},
        {"format", required_argument, NULL, OPT_FORMAT},
        {"verify", no_argument, NULL, OPT_VERIFY},
        {"baseline", required_argument, NULL, OPT_BASELINE},
        {"write-baseline", required_argument, NULL, OPT_WRITE_BASELINE},
        {"quiet", no_argument, NULL, OPT_QUIET},
        {"lsp", no_argument, NULL, OPT_LSP},
        {"compile-commands-dir", required_argument, NULL,
         OPT_COMPILE_COMMANDS_DIR},
        {"no-config", no_argument, NULL, OPT_NO_CONFIG},
        {"read-summaries", required_argument, NULL, OPT_READ_SUMMARIES},
        {"write-summaries", required_argument, NULL, OPT_WRITE_SUMMARIES},
        {"stats", no_argument, NULL, OPT_STATS},
        {"cache-dir", required_argument, NULL, OPT_CACHE_DIR},
        {"emit-facts", required_argument, NULL, OPT_EMIT_FACTS},
        {"index", required_argument, NULL, OPT_INDEX},
        {"no-index", no_argument, NULL, OPT_NO_INDEX},
        {"extra-arg", required_argument, NULL, OPT_EXTRA_ARG},
        {"extra-arg-before", required_argument, NULL, OPT_EXTRA_ARG_BEFORE},
        {"version", no_argument, NULL, OPT_VERSION},
        {"list-rules", no_argument, NULL, OPT_RULES},
        {"help", no_argument, NULL, 'h'},
        {"checks", required_argument, NULL, OPT_CHECKS},
        {"config-file", required_argument, NULL, OPT_CONFIG_FILE},
        {"color", required_argument, NULL, OPT_COLOR},
        {NULL, 0, NULL, 0},
    };
    int dd = argc;
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "--") == 0) {
            dd = i;
            break;
        }
    o->models = calloc((size_t)argc, sizeof *o->models);
    o->files = calloc((size_t)argc, sizeof *o->files);
    o->extra_args = calloc((size_t)argc, sizeof *o->extra_args);
    o->extra_args_before = calloc((size_t)argc, sizeof *o->extra_args_before);
    o->summaries = calloc((size_t)argc, sizeof *o->summaries);
    if (!o->models || !o->files || !o->extra_args || !o->extra_args_before ||
        !o->summaries)
        return -1;
    o->run.read_summaries = o->summaries;
    o->run.models = o->models;
    o->run.extra_args_before = o->extra_args_before;
    o->run.files = o->files;
    o->run.messages = stderr;
    if (respell_options(argc, argv, dd, longopts, o) != 0)
        return -1;
    opterr = 0;
    int ch;
    /* Files and options may mix: gather files as they come. */
    while (optind < dd) {
        int at = optind;
        ch = getopt_long(dd, argv, "-p:o:j:vh", longopts, NULL);
        if (ch == -1)
            break;
        if (ch == 1) {
            o->files[o->run.n_files++] = optarg;
            continue;
        }
        if (ch == '?' || ch == ':') {
            /* ARGV[AT]: the word being read (optind has moved past it
               for a long option, not inside a cluster of short ones). */
            fprintf(stderr,
                    "shapecheck: error: unknown or incomplete option '%s'\n",
                    argv[at]);
            usage(stderr);
            return -1;
        }
        int rc = apply_option(ch, o, argv);
        if (rc)
            return rc;
    }
    if (dd < argc) {
        o->run.has_dashdash = true;
        o->run.compiler_args = (const char *const *)argv + dd + 1;
        o->run.n_compiler_args = (size_t)(argc - dd - 1);
    }
    /* The language server takes its compile database and its threads from
       -p and -j. */
    o->lsp_options.compile_commands_dir = o->run.build_dir;
    o->lsp_options.jobs = o->run.jobs;
    if (!o->lsp && !o->run.build_dir && o->run.n_files == 0) {
        fprintf(stderr, "shapecheck: error: no input files (give FILE... or "
                        "-p BUILD_DIR)\n");
        usage(stderr);
        return -1;
    }
    return options_compatible(o) ? 0 : -1;
}

/* ---- Configuration ---------------------------------------------------- */

/* The .shapecheck of each analysed file (config_set.h), looked for from
   the file's folder, else from -p's folder, else from the current one.
   The driver applies it per command; the command line wins: --models
   replaces its models, --extra-arg comes after its extra arguments. */
static config_set *open_configs(const options *o)
{
    if (o->no_config || o->lsp)
        return NULL;
    if (o->config_file)
        return config_set_new_fixed(o->config_file);
    const char *fallbacks[] = {o->run.build_dir, "."};
    return config_set_new(fallbacks, 2);
}

/* ---- Progress --------------------------------------------------------- */

/* "[12/200] src/layer.c" on one line of a terminal, overwritten. */
static void show_progress(void *ud, size_t done, size_t total, const char *file)
{
    (void)ud;
    fprintf(stderr, "\r\033[K[%zu/%zu] %s", done, total, file);
    if (done == total)
        fputs("\r\033[K", stderr);
    fflush(stderr);
}

/* ---- Findings after the run ------------------------------------------- */

static int worst(int a, int b)
{
    return a > b ? a : b;
}

/* Disabled rules, NOLINT comments, then the baseline (in that order:
   fingerprints number identical findings as they stand then).  A run that
   could not analyse everything (STATUS SC_EXIT_TROUBLE) writes no
   baseline: it would lose the findings of what it missed. */
static int filter_findings(const options *o, config_set *cfgs,
                           const baseline *base, int status, diag_list *list,
                           const char *repo_root)
{
    char err[1024];
    checks_drop(&o->checks, list);
    if (cfgs)
        config_set_drop_disabled(cfgs, list);
    suppress_apply(list);
    if (o->write_baseline && status == SC_EXIT_TROUBLE) {
        fprintf(stderr,
                "shapecheck: error: %s not written: the analysis is "
                "incomplete\n",
                o->write_baseline);
        return SC_EXIT_TROUBLE;
    }
    if (o->write_baseline && baseline_write(o->write_baseline, list, repo_root,
                                            err, sizeof err) != 0) {
        fprintf(stderr, "shapecheck: error: %s\n", err);
        return SC_EXIT_TROUBLE;
    }
    baseline_apply(base, list);
    return SC_EXIT_CLEAN;
}

/* Every file that expectations may sit in: the analysed ones, and the
   ones findings point into. */
static int run_verify(const diag_list *list, const driver *d, FILE *out)
{
    size_t n_cmds = driver_n_commands(d);
    size_t cap = n_cmds + list->n + 1, n_files = 0;
    verify_file *files = calloc(cap, sizeof *files);
    if (!files)
        return SC_EXIT_TROUBLE;
    int status = SC_EXIT_CLEAN;
    for (size_t i = 0; i < n_cmds + list->n; i++) {
        bool main_file = i < n_cmds;
        const char *path =
            main_file ? driver_file(d, i) : list->items[i - n_cmds].loc.file;
        bool seen = !path;
        for (size_t k = 0; k < n_files && !seen; k++)
            seen = strcmp(files[k].path, path) == 0;
        if (seen)
            continue;
        char err[512];
        if (verify_parse_file(&files[n_files], path, err, sizeof err) != 0) {
            if (main_file) {
                fprintf(stderr, "shapecheck: error: %s\n", err);
                status = SC_EXIT_TROUBLE;
            }
            continue;
        }
        n_files++;
    }
    if (verify_check(list, files, n_files, out) != 0)
        status = worst(status, SC_EXIT_FINDINGS);
    for (size_t i = 0; i < n_files; i++)
        verify_file_free(&files[i]);
    free(files);
    return status;
}

/* --color: always, never, or (auto) when the report goes to a terminal,
   as clang decides. */
static bool wants_color(const options *o, FILE *out)
{
    if (o->color && strcmp(o->color, "auto") != 0)
        return strcmp(o->color, "always") == 0;
    return isatty(fileno(out));
}

static int write_report(const options *o, const diag_list *list,
                        const char *repo_root, const sarif_invocation *inv,
                        FILE *out)
{
    char err[1024];
    int rc = 0;
    switch (o->format) {
    case FORMAT_TEXT:
        output_text_color(out, list, wants_color(o, out));
        break;
    case FORMAT_SARIF:
        rc = output_sarif_run(out, list, repo_root, inv, err, sizeof err);
        break;
    case FORMAT_JSON:
        rc = output_json(out, list, err, sizeof err);
        break;
    }
    if (rc != 0) {
        fprintf(stderr, "shapecheck: error: %s\n", err);
        return SC_EXIT_TROUBLE;
    }
    return diag_count_findings(list) ? SC_EXIT_FINDINGS : SC_EXIT_CLEAN;
}

/* The report is made in memory, then written whole (output_file.h): to
   -o FILE under a new name renamed into place, so a failed run never
   leaves a half-written report over a good one; to standard output with
   every write checked ("> /dev/full" says why and fails). */
static int report(const options *o, const diag_list *list, const driver *d,
                  const char *repo_root, const sarif_invocation *inv)
{
    char *data = NULL, err[1024];
    size_t n = 0;
    FILE *out = open_memstream(&data, &n);
    if (!out) {
        fprintf(stderr, "shapecheck: error: out of memory\n");
        return SC_EXIT_TROUBLE;
    }
    int status = o->verify ? run_verify(list, d, out)
                           : write_report(o, list, repo_root, inv, out);
    if (fclose(out) != 0)
        status = SC_EXIT_TROUBLE;
    bool keep_old = o->output && status == SC_EXIT_TROUBLE;
    if (!keep_old &&
        output_file_write(o->output, data, n, err, sizeof err) != 0) {
        fprintf(stderr, "shapecheck: error: %s\n", err);
        status = SC_EXIT_TROUBLE;
    }
    free(data);
    return status;
}

/* -o must not name an input of the run (the analysed files, the models,
   summaries, baseline and compile database), a read-only file, a
   symbolic link or a folder: said before anything is analysed. */
static bool output_allowed(const options *o, const driver *d)
{
    if (!o->output)
        return true;
    size_t n_cmds = driver_n_commands(d), n = 0;
    size_t cap = n_cmds + (size_t)o->run.n_models + o->run.n_read_summaries + 3;
    const char **inputs = calloc(cap, sizeof *inputs);
    char *db = NULL, err[1024];
    if (!inputs)
        return false;
    for (size_t i = 0; i < n_cmds; i++)
        inputs[n++] = driver_file(d, i);
    for (int i = 0; i < o->run.n_models; i++)
        inputs[n++] = o->run.models[i];
    for (size_t i = 0; i < o->run.n_read_summaries; i++)
        inputs[n++] = o->run.read_summaries[i];
    inputs[n++] = o->baseline;
    if (o->run.build_dir &&
        (db = malloc(strlen(o->run.build_dir) + 32)) != NULL) {
        sprintf(db, "%s/compile_commands.json", o->run.build_dir);
        inputs[n++] = db;
    }
    int rc = output_file_check(o->output, inputs, n, err, sizeof err);
    if (rc != 0)
        fprintf(stderr, "shapecheck: error: -o %s\n", err);
    free(db);
    free(inputs);
    return rc == 0;
}

/* Analyses, then filters and reports the findings.  What the driver says
   on standard error is kept for the SARIF log's notifications. */
static int run_and_report(options *o, driver *d, config_set *cfgs,
                          const baseline *base, run_log *log, int status)
{
    diag_list list;
    diag_list_init(&list);
    status = worst(status, driver_run(d, &list));
    diag_list_sort(&list);
    arena *scratch = arena_new();
    const char *cwd = driver_cwd(d) ? driver_cwd(d) : ".";
    const char *repo_root = repo_path_top_level(scratch, cwd);
    if (!repo_root)
        repo_root = cwd;
    status =
        worst(status, filter_findings(o, cfgs, base, status, &list, repo_root));
    /* Bad input that left nothing to analyse (the only file is missing)
       gives no report: the previous -o file stays as it was. */
    if (status != SC_EXIT_TROUBLE || driver_n_analysed(d) > 0) {
        sarif_invocation inv = {.exit_code = status};
        if (log)
            inv.messages = run_log_lines(log, &inv.n_messages);
        status = worst(status, report(o, &list, d, repo_root, &inv));
    }
    arena_free(scratch);
    diag_list_free(&list);
    return status;
}

/* --emit-facts OUT SRC -- ARGS: one unit's facts, as "cc -c" makes an
   object; nothing is reported but the unit's compiler errors. */
static int emit_facts(const options *o, driver *d, int status)
{
    if (status != SC_EXIT_CLEAN)
        return status;
    diag_list list;
    diag_list_init(&list);
    status = driver_emit_facts(d, o->emit_facts, &list);
    diag_list_sort(&list);
    output_text(stdout, &list);
    diag_list_free(&list);
    return status;
}

static int check(options *o)
{
    config_set *cfgs = open_configs(o);
    o->run.configs = cfgs;
    o->run.extra_args = o->extra_args;
    o->run.n_extra_args = o->n_extra_args;
    run_log *log = run_log_new(stderr);
    o->run.messages = log ? run_log_stream(log) : stderr;
    /* An unusable baseline stops the run before anything is written. */
    baseline base = {0};
    char err[1024];
    int status = SC_EXIT_TROUBLE;
    driver *d = NULL;
    if (o->baseline &&
        baseline_load(&base, o->baseline, err, sizeof err) != 0) {
        fprintf(stderr, "shapecheck: error: %s\n", err);
        goto out;
    }
    if (!o->quiet && isatty(fileno(stderr)))
        o->run.progress = show_progress;
    if (o->emit_facts)
        o->run.no_index = true; /* a build system's action: hermetic */
    d = driver_new(&o->run, &status);
    if (d && o->emit_facts) {
        status = emit_facts(o, d, status);
        goto out;
    }
    /* Nothing to analyse, because the inputs could not be had (an
       unreadable compile database): no report, so that none is
       overwritten. */
    if (!d || (status == SC_EXIT_TROUBLE && driver_n_commands(d) == 0) ||
        !output_allowed(o, d)) {
        status = SC_EXIT_TROUBLE;
        goto out;
    }
    status = run_and_report(o, d, cfgs, &base, log, status);
out:
    driver_free(d);
    baseline_free(&base);
    config_set_free(cfgs);
    run_log_free(log);
    o->run.messages = stderr;
    return status;
}

int main(int argc, char **argv)
{
    options o = {0};
    int rc = parse_options(argc, argv, &o);
    int status = rc < 0 ? SC_EXIT_TROUBLE : SC_EXIT_CLEAN;
    if (rc == 0)
        isolate_start(); /* while this is the only thread */
    if (rc == 0)
        status = o.lsp ? lsp_serve(stdin, stdout, &o.lsp_options) : check(&o);
    free(o.models);
    free(o.files);
    free(o.extra_args);
    free(o.extra_args_before);
    free(o.summaries);
    checks_free(&o.checks);
    for (int i = 0; o.respelt && i < argc; i++)
        free(o.respelt[i]);
    free(o.respelt);
    /* --version, --list-rules: what went to standard output must have got
       there ("> /dev/full"). */
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr,
                "shapecheck: error: cannot write to standard output: "
                "%s\n",
                strerror(errno));
        status = SC_EXIT_TROUBLE;
    }
    return status;
}
