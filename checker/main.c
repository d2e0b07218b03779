/*
 * main.c - the shapecheck command line (SPEC section 5): options, then
 * compile commands -> front end -> analysis -> findings -> output.
 * Everything else lives in the checker library; this file only wires it.
 */
#define _POSIX_C_SOURCE 200809L /* strdup, dirname */

#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analysis.h"
#include "compdb.h"
#include "frontend.h"
#include "output.h"
#include "verify.h"

#define EXIT_CLEAN 0
#define EXIT_FINDINGS 1
#define EXIT_TROUBLE 2

typedef struct options {
    const char *build_dir;     /* -p */
    const char **files;
    size_t n_files;
    const char **compiler_args; /* after "--" */
    size_t n_compiler_args;
    bool has_dashdash;
    const char **models;
    int n_models;
    const char *output;        /* -o */
    bool verify;
    bool verbose;
    int jobs;
} options;

static void usage(FILE *out)
{
    fputs("usage: shapecheck [OPTIONS] FILE... [-- COMPILER_ARGS...]\n"
          "       shapecheck [OPTIONS] -p BUILD_DIR [FILE...]\n"
          "\n"
          "Checks shape annotations (SHAPE, RETURNS_SHAPE, SHAPE_LOSS) in C code.\n"
          "\n"
          "  -p DIR           read DIR/compile_commands.json\n"
          "  --models FILE.h  force-include annotated redeclarations (repeatable)\n"
          "  --format=text    report format (text)\n"
          "  -o FILE          write the report to FILE\n"
          "  -j N             translation units analysed at once\n"
          "  --verify         check findings against expected-* comments\n"
          "  -v               list dropped compiler options\n"
          "  --list-rules     print the rules and exit\n"
          "  -h, --help       this text\n"
          "  --version        print the version\n"
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

/* Returns -1 to exit with EXIT_TROUBLE, 1 to exit cleanly, 0 to go on. */
static int parse_options(int argc, char **argv, options *o)
{
    enum { OPT_MODELS = 256, OPT_FORMAT, OPT_VERIFY, OPT_VERSION, OPT_RULES };
    static const struct option longopts[] = {
        {"models", required_argument, NULL, OPT_MODELS},
        {"format", required_argument, NULL, OPT_FORMAT},
        {"verify", no_argument, NULL, OPT_VERIFY},
        {"version", no_argument, NULL, OPT_VERSION},
        {"list-rules", no_argument, NULL, OPT_RULES},
        {"help", no_argument, NULL, 'h'},
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
    if (!o->models || !o->files)
        return -1;
    int ch;
    opterr = 0;
    while ((ch = getopt_long(dd, argv, "+p:o:j:vh", longopts, NULL)) != -1) {
        switch (ch) {
        case 'p': o->build_dir = optarg; break;
        case 'o': o->output = optarg; break;
        case 'j': {
            char *end;
            long n = strtol(optarg, &end, 10);
            if (*end || n < 1 || n > 1024) {
                fprintf(stderr, "shapecheck: error: -j takes a number from 1 "
                                "to 1024, not '%s'\n", optarg);
                return -1;
            }
            o->jobs = (int)n;
            break;
        }
        case 'v': o->verbose = true; break;
        case OPT_MODELS: o->models[o->n_models++] = optarg; break;
        case OPT_VERIFY: o->verify = true; break;
        case OPT_FORMAT:
            if (strcmp(optarg, "text") != 0) {
                fprintf(stderr, "shapecheck: error: unknown format '%s' "
                                "(this version writes: text)\n", optarg);
                return -1;
            }
            break;
        case OPT_VERSION: puts("shapecheck 0.1.0"); return 1;
        case OPT_RULES: list_rules(); return 1;
        case 'h': usage(stdout); return 1;
        default:
            fprintf(stderr, "shapecheck: error: unknown or incomplete option "
                            "'%s'\n", argv[optind - 1]);
            usage(stderr);
            return -1;
        }
        /* getopt_long with '+' stops at the first file; files and options
           may mix, so gather files and go on. */
    }
    for (int i = optind; i < dd; i++) {
        if (argv[i][0] == '-' && argv[i][1]) {
            fprintf(stderr, "shapecheck: error: options go before the files: "
                            "'%s'\n", argv[i]);
            return -1;
        }
        o->files[o->n_files++] = argv[i];
    }
    if (dd < argc) {
        o->has_dashdash = true;
        o->compiler_args = (const char **)argv + dd + 1;
        o->n_compiler_args = (size_t)(argc - dd - 1);
    }
    if (!o->build_dir && o->n_files == 0) {
        fprintf(stderr, "shapecheck: error: no input files (give FILE... or "
                        "-p BUILD_DIR)\n");
        usage(stderr);
        return -1;
    }
    return 0;
}

/* The bundled folder with shapecheck.h: the source tree's when this is a
   build-tree binary, else the installed one. */
static const char *bundled_include_dir(void)
{
    if (access(SHAPECHECK_SOURCE_INCLUDE_DIR "/shapecheck.h", R_OK) == 0)
        return SHAPECHECK_SOURCE_INCLUDE_DIR;
    return SHAPECHECK_INSTALL_INCLUDE_DIR;
}

/* ---- Gathering compile commands -------------------------------------- */

typedef struct job_list {
    char *cwd;                /* where we started: paths are shown from it */
    const fe_command **cmds;
    size_t n;
    compdb *dbs;              /* every database loaded (own the commands) */
    size_t n_dbs;
    fe_command *defaults;     /* files with no database entry */
    const char *no_args[1];
} job_list;

static compdb *load_db(job_list *jl, const char *path, int *status)
{
    char err[1024];
    compdb *db = &jl->dbs[jl->n_dbs];
    if (compdb_load(db, path, err, sizeof err) != 0) {
        fprintf(stderr, "shapecheck: error: %s\n", err);
        *status = EXIT_TROUBLE;
        return NULL;
    }
    jl->n_dbs++;
    return db;
}

static void add_default(job_list *jl, size_t i, const char *file)
{
    jl->defaults[i] = (fe_command){file, NULL, jl->no_args, 1};
    jl->cmds[jl->n++] = &jl->defaults[i];
}

/* Commands for the files given without "--": from -p, or from a database
   found above each file, or plain. */
static void jobs_for_files(job_list *jl, const options *o, compdb *pdb,
                           int *status)
{
    for (size_t i = 0; i < o->n_files; i++) {
        const char *file = o->files[i];
        compdb *db = pdb;
        if (!db) {
            char *dir = strdup(file);
            char *found = dir ? compdb_find(dirname(dir)) : NULL;
            free(dir);
            if (found) {
                db = load_db(jl, found, status);
                free(found);
            }
        }
        const fe_command *cmd = db ? compdb_lookup(db, file) : NULL;
        if (cmd) {
            jl->cmds[jl->n++] = cmd;
            continue;
        }
        if (pdb)
            fprintf(stderr, "shapecheck: warning: %s is not in %s/"
                            "compile_commands.json; analysing it with no "
                            "compiler arguments\n", file, o->build_dir);
        add_default(jl, i, file);
    }
}

static int gather_jobs(job_list *jl, const options *o)
{
    int status = EXIT_CLEAN;
    size_t cap = o->n_files + 1;
    jl->no_args[0] = "clang";
    jl->dbs = calloc(o->n_files + 2, sizeof *jl->dbs);
    jl->defaults = calloc(cap, sizeof *jl->defaults);
    if (!jl->dbs || !jl->defaults)
        return EXIT_TROUBLE;
    if (o->has_dashdash) {
        compdb *db = &jl->dbs[jl->n_dbs++];
        compdb_from_args(db, o->files, o->n_files, o->compiler_args,
                         o->n_compiler_args);
        jl->cmds = calloc(db->n_commands + 1, sizeof *jl->cmds);
        for (size_t i = 0; jl->cmds && i < db->n_commands; i++)
            jl->cmds[jl->n++] = &db->commands[i];
        return jl->cmds ? status : EXIT_TROUBLE;
    }
    compdb *pdb = NULL;
    if (o->build_dir) {
        char *path = malloc(strlen(o->build_dir) + 32);
        if (!path)
            return EXIT_TROUBLE;
        sprintf(path, "%s/compile_commands.json", o->build_dir);
        pdb = load_db(jl, path, &status);
        free(path);
        if (!pdb)
            return EXIT_TROUBLE;
        if (o->n_files == 0)
            cap = pdb->n_commands + 1;
    }
    jl->cmds = calloc(cap, sizeof *jl->cmds);
    if (!jl->cmds)
        return EXIT_TROUBLE;
    if (pdb && o->n_files == 0) {
        for (size_t i = 0; i < pdb->n_commands; i++)
            jl->cmds[jl->n++] = &pdb->commands[i];
        return status;
    }
    jobs_for_files(jl, o, pdb, &status);
    return status;
}

static void free_jobs(job_list *jl)
{
    free(jl->cwd);
    for (size_t i = 0; i < jl->n_dbs; i++)
        compdb_free(&jl->dbs[i]);
    free(jl->dbs);
    free(jl->defaults);
    free(jl->cmds);
}

/* ---- Running ---------------------------------------------------------- */

/* One translation unit to parse, and what came of it. */
typedef struct parse_job {
    const fe_command *cmd;
    ir_tu *tu;              /* NULL when it could not be parsed */
    char err[1024];
    const char **dropped;
    int n_dropped;
} parse_job;

typedef struct parse_pool {
    parse_job *jobs;
    size_t n;
    size_t next;            /* next job to take, under lock */
    pthread_mutex_t lock;
    const char *include_dir;
    const char *cwd;
    const options *o;
} parse_pool;

/* A worker: one frontend (one CXIndex) per thread, jobs taken in order. */
static void *parse_worker(void *arg)
{
    parse_pool *pool = arg;
    frontend *fe = frontend_new(pool->include_dir, pool->o->models,
                                pool->o->n_models);
    frontend_set_root(fe, pool->cwd);
    for (;;) {
        pthread_mutex_lock(&pool->lock);
        size_t i = pool->next++;
        pthread_mutex_unlock(&pool->lock);
        if (i >= pool->n)
            break;
        parse_job *job = &pool->jobs[i];
        job->tu = frontend_parse(fe, job->cmd, &job->dropped, &job->n_dropped,
                                 job->err, sizeof job->err);
    }
    frontend_free(fe);
    return NULL;
}

/* The front end recurses once per nesting level of the source: give the
   threads room for the deepest input it accepts. */
#define PARSE_STACK_SIZE (64u << 20)

static void parse_all(parse_pool *pool, int jobs)
{
    if (jobs < 1)
        jobs = (int)sysconf(_SC_NPROCESSORS_ONLN);
    if (jobs < 1)
        jobs = 1;
    if ((size_t)jobs > pool->n)
        jobs = pool->n ? (int)pool->n : 1;
    pthread_t *threads = calloc((size_t)jobs, sizeof *threads);
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, PARSE_STACK_SIZE);
    int started = 0;
    for (int i = 0; threads && i < jobs; i++)
        if (pthread_create(&threads[i], &attr, parse_worker, pool) == 0)
            started++;
    if (started == 0) /* no threads to be had: do it here */
        parse_worker(pool);
    for (int i = 0; i < started; i++)
        pthread_join(threads[i], NULL);
    pthread_attr_destroy(&attr);
    free(threads);
}

static void add_compiler_diags(diag_list *list, const ir_tu *tu)
{
    for (uint32_t i = 0; i < tu->n_diags; i++) {
        const ir_diag *d = &tu->diags[i];
        if (d->severity != IR_SEV_ERROR)
            continue;
        diag *out = diag_add(list, NULL, d->loc, "%s", d->text);
        out->severity = SC_SEV_ERROR;
    }
}

/* Parses every command, then analyses them as one program.  Returns
   EXIT_TROUBLE when some file could not be analysed cleanly. */
static int run_all(const job_list *jl, const options *o, diag_list *list)
{
    parse_pool pool = {.n = jl->n, .include_dir = bundled_include_dir(),
                       .cwd = jl->cwd, .o = o};
    pool.jobs = calloc(jl->n + 1, sizeof *pool.jobs);
    ir_tu **tus = calloc(jl->n + 1, sizeof *tus);
    if (!pool.jobs || !tus) {
        free(pool.jobs);
        free(tus);
        return EXIT_TROUBLE;
    }
    for (size_t i = 0; i < jl->n; i++)
        pool.jobs[i].cmd = jl->cmds[i];
    pthread_mutex_init(&pool.lock, NULL);
    parse_all(&pool, o->jobs);
    pthread_mutex_destroy(&pool.lock);
    /* libclang moved us for -working-directory: come back before anything
       opens a relative path (-o, --verify's files). */
    if (jl->cwd && chdir(jl->cwd) != 0)
        fprintf(stderr, "shapecheck: warning: cannot return to %s\n", jl->cwd);

    int status = EXIT_CLEAN;
    uint32_t n_tus = 0;
    for (size_t i = 0; i < jl->n; i++) {
        parse_job *job = &pool.jobs[i];
        if (!job->tu) {
            fprintf(stderr, "shapecheck: error: %s\n", job->err);
            status = EXIT_TROUBLE;
            continue;
        }
        if (o->verbose)
            for (int k = 0; k < job->n_dropped; k++)
                fprintf(stderr, "shapecheck: %s: dropped compiler option '%s'\n",
                        job->cmd->file, job->dropped[k]);
        if (job->tu->has_errors) {
            add_compiler_diags(list, job->tu);
            status = EXIT_TROUBLE;
        }
        tus[n_tus++] = job->tu;
    }
    analyze_program(tus, n_tus, list);
    for (uint32_t i = 0; i < n_tus; i++)
        ir_tu_free(tus[i]);
    free(tus);
    free(pool.jobs);
    return status;
}

/* Every file that expectations may sit in: the analysed ones, and the
   ones findings point into. */
static int run_verify(const diag_list *list, const job_list *jl, FILE *out)
{
    size_t cap = jl->n + list->n + 1, n = 0;
    verify_file *files = calloc(cap, sizeof *files);
    const char **paths = calloc(cap, sizeof *paths);
    int status = EXIT_CLEAN;
    if (!files || !paths) {
        free(files);
        free(paths);
        return EXIT_TROUBLE;
    }
    const char *cwd = jl->cwd;
    size_t cwd_len = cwd ? strlen(cwd) : 0;
    for (size_t i = 0; i < jl->n; i++) {
        /* As the front end names files: relative to here when under it. */
        const char *f = jl->cmds[i]->file;
        if (cwd_len && strncmp(f, cwd, cwd_len) == 0 && f[cwd_len] == '/')
            f += cwd_len + 1;
        paths[n++] = f;
    }
    size_t n_main = n;
    for (size_t i = 0; i < list->n; i++)
        if (list->items[i].loc.file)
            paths[n++] = list->items[i].loc.file;
    size_t n_files = 0;
    for (size_t i = 0; i < n; i++) {
        bool seen = false;
        for (size_t k = 0; k < n_files && !seen; k++)
            seen = strcmp(files[k].path, paths[i]) == 0;
        if (seen)
            continue;
        char err[512];
        if (verify_parse_file(&files[n_files], paths[i], err, sizeof err) != 0) {
            if (i < n_main) {
                fprintf(stderr, "shapecheck: error: %s\n", err);
                status = EXIT_TROUBLE;
            }
            continue;
        }
        n_files++;
    }
    if (verify_check(list, files, n_files, out) != 0 && status == EXIT_CLEAN)
        status = EXIT_FINDINGS;
    for (size_t i = 0; i < n_files; i++)
        verify_file_free(&files[i]);
    free(files);
    free(paths);
    return status;
}

static int worst(int a, int b)
{
    return a > b ? a : b;
}

int main(int argc, char **argv)
{
    options o = {0};
    int rc = parse_options(argc, argv, &o);
    if (rc != 0) {
        free(o.models);
        free(o.files);
        return rc > 0 ? EXIT_CLEAN : EXIT_TROUBLE;
    }
    job_list jl = {0};
    jl.cwd = getcwd(NULL, 0);
    int status = gather_jobs(&jl, &o);
    diag_list list;
    diag_list_init(&list);
    status = worst(status, run_all(&jl, &o, &list));
    diag_list_sort(&list);

    FILE *out = stdout;
    if (o.output && !(out = fopen(o.output, "w"))) {
        fprintf(stderr, "shapecheck: error: cannot write %s: %s\n", o.output,
                strerror(errno));
        out = stdout;
        status = EXIT_TROUBLE;
    }
    if (o.verify) {
        status = worst(status, run_verify(&list, &jl, out));
    } else {
        output_text(out, &list);
        if (diag_count_errors(&list) > 0)
            status = worst(status, EXIT_FINDINGS);
    }
    if (out != stdout)
        fclose(out);
    diag_list_free(&list);
    free_jobs(&jl);
    free(o.models);
    free(o.files);
    return status;
}
