/*
 * driver.c - one run: compile commands for the inputs, a pool of parsing
 * threads (one frontend, so one CXIndex, each), then one analysis of the
 * whole program.  Parsing is the expensive part and runs in parallel; the
 * analysis is cheap and runs once, over every translation unit.
 */
#define _POSIX_C_SOURCE 200809L /* strdup, getcwd, chdir */

#include "driver.h"

#include <libgen.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "analysis.h"
#include "args.h"
#include "cache.h"
#include "compdb.h"
#include "config_set.h"
#include "index.h"
#include "install_path.h"
#include "ir_io.h"
#include "isolate.h"
#include "parse_pool.h"
#include "shape_facts.h"
#include "units.h"

/* What became of a command's words, for -v. */
typedef struct command_extra {
    const compdb_removed *cleaned; /* what compdb.c took out */
    const char **removed;          /* and what add_extra_args took out */
    int n_removed;
} command_extra;

struct driver {
    const driver_options *o;
    char *cwd;         /* where we started: paths are shown from it */
    fe_command **cmds; /* one per translation unit (owned copies) */
    size_t n;
    compdb *dbs; /* every database loaded */
    size_t n_dbs;
    const char *no_args[1];
    const char ***extra_argv; /* per command: the argv add_extra_args made */
    command_extra *extras;    /* per command */
    size_t n_analysed;        /* units parsed or had from the cache */
    const char **sources;     /* the FILEs that are not facts files */
    size_t n_sources;
    const char **facts; /* the FILEs ending in ".scfacts", in order */
    size_t n_facts;
    sc_index *index; /* the project index, or NULL */
    bool own_index;
    bool store_index;    /* parsed units are stored in the index */
    bool whole_database; /* every unit of -p's database is a command */
    /* Index units parsed in full after all (convert_unit), with the
       argv finish_command_words made for each. */
    fe_command **context_cmds;
    const char ***context_argv;
    size_t n_context;
};

/* ---- The bundled headers ----------------------------------------------- */

/* The include folder relative to the folder of the installed program
   ("../include"), for an installation moved after it was configured
   (cmake --install --prefix DIR). */
#ifndef SHAPECHECK_BIN_TO_INCLUDE
#define SHAPECHECK_BIN_TO_INCLUDE "../include"
#endif

static pthread_once_t include_dir_once = PTHREAD_ONCE_INIT;
static char include_dir[4096];

static void find_include_dir(void)
{
    if (!install_path(SHAPECHECK_BIN_TO_INCLUDE "/shapecheck.h",
                      SHAPECHECK_BUILD_INCLUDE_DIR "/shapecheck.h",
                      SHAPECHECK_INSTALL_INCLUDE_DIR "/shapecheck.h",
                      include_dir, sizeof include_dir)) {
        snprintf(include_dir, sizeof include_dir, "%s",
                 SHAPECHECK_INSTALL_INCLUDE_DIR);
        return;
    }
    *strrchr(include_dir, '/') = '\0';
}

const char *driver_include_dir(void)
{
    pthread_once(&include_dir_once, find_include_dir);
    return include_dir;
}

/* ---- Gathering compile commands -------------------------------------- */

static void add_command(driver *d, const fe_command *cmd)
{
    fe_command *copy = malloc(sizeof *copy);
    if (!copy)
        return;
    *copy = *cmd;
    /* The database it came from says what cleaning removed. */
    const compdb_removed *cleaned = NULL;
    for (size_t k = 0; k < d->n_dbs && (!cleaned || !cleaned->n); k++)
        cleaned = compdb_removed_for(&d->dbs[k], cmd);
    d->extras[d->n].cleaned = cleaned;
    d->cmds[d->n++] = copy;
}

static compdb *load_db(driver *d, const char *path, int *status)
{
    char err[1024];
    compdb *db = &d->dbs[d->n_dbs];
    if (compdb_load(db, path, err, sizeof err) != 0) {
        fprintf(d->o->messages, "shapecheck: error: %s\n", err);
        *status = SC_EXIT_TROUBLE;
        return NULL;
    }
    d->n_dbs++;
    return db;
}

/* The database for FILE: -p's, or one found above the file. */
static compdb *database_for(driver *d, compdb *pdb, const char *file,
                            int *status)
{
    if (pdb)
        return pdb;
    char *dir = strdup(file);
    char *found = dir ? compdb_find(dirname(dir)) : NULL;
    free(dir);
    if (!found)
        return NULL;
    /* A database shared by several files is read once. */
    for (size_t i = 0; i < d->n_dbs; i++)
        if (d->dbs[i].path && strcmp(d->dbs[i].path, found) == 0) {
            free(found);
            return &d->dbs[i];
        }
    compdb *db = load_db(d, found, status);
    free(found);
    return db;
}

static void commands_for_files(driver *d, compdb *pdb, int *status)
{
    const driver_options *o = d->o;
    for (size_t i = 0; i < d->n_sources; i++) {
        const char *file = d->sources[i];
        compdb *db = database_for(d, pdb, file, status);
        const fe_command *cmd = db ? compdb_lookup(db, file) : NULL;
        if (cmd) {
            add_command(d, cmd);
            continue;
        }
        if (pdb)
            fprintf(
                o->messages,
                "shapecheck: warning: %s is not in %s/compile_commands.json;"
                " analysing it with no compiler arguments\n",
                file, o->build_dir);
        add_command(d,
                    &(fe_command){.file = file, .argv = d->no_args, .argc = 1});
    }
}

/* Whether FILE names a facts file (the link step's input). */
static bool is_facts_file(const char *file)
{
    size_t n = strlen(file);
    return n > 8 && strcmp(file + n - 8, ".scfacts") == 0;
}

/* Sorts the FILEs into sources and facts files, each in order. */
static bool split_inputs(driver *d)
{
    const driver_options *o = d->o;
    d->sources = calloc(o->n_files + 1, sizeof *d->sources);
    d->facts = calloc(o->n_files + 1, sizeof *d->facts);
    if (!d->sources || !d->facts)
        return false;
    for (size_t i = 0; i < o->n_files; i++) {
        if (is_facts_file(o->files[i]))
            d->facts[d->n_facts++] = o->files[i];
        else
            d->sources[d->n_sources++] = o->files[i];
    }
    return true;
}

static int gather(driver *d)
{
    const driver_options *o = d->o;
    int status = SC_EXIT_CLEAN;
    d->no_args[0] = "clang";
    d->dbs = calloc(o->n_files + 3, sizeof *d->dbs);
    if (!d->dbs || !split_inputs(d))
        return SC_EXIT_TROUBLE;
    compdb *pdb = NULL;
    if (o->has_dashdash) {
        pdb = &d->dbs[d->n_dbs++];
        compdb_from_args(pdb, d->sources, d->n_sources, o->compiler_args,
                         o->n_compiler_args);
    } else if (o->build_dir) {
        char *path = malloc(strlen(o->build_dir) + 32);
        if (!path)
            return SC_EXIT_TROUBLE;
        sprintf(path, "%s/compile_commands.json", o->build_dir);
        pdb = load_db(d, path, &status);
        free(path);
        if (!pdb)
            return SC_EXIT_TROUBLE;
    }
    size_t cap = o->n_files + (pdb ? pdb->n_commands : 0) + 1;
    d->cmds = calloc(cap, sizeof *d->cmds);
    d->extras = calloc(cap, sizeof *d->extras);
    if (!d->cmds || !d->extras)
        return SC_EXIT_TROUBLE;
    if (pdb && (o->has_dashdash || o->n_files == 0)) {
        for (size_t i = 0; i < pdb->n_commands; i++)
            add_command(d, &pdb->commands[i]);
        d->whole_database = !o->has_dashdash;
        return status;
    }
    commands_for_files(d, pdb, &status);
    return status;
}

/* The .shapecheck of command C, in *CFG (NULL without configurations);
   false, said, when it cannot be used. */
static bool command_config(const driver *d, const fe_command *c,
                           const config **cfg)
{
    char err[1024];
    *cfg = NULL;
    if (!d->o->configs ||
        config_set_for_file(d->o->configs, c->file, cfg, err, sizeof err) == 0)
        return true;
    fprintf(d->o->messages, "shapecheck: error: %s\n", err);
    return false;
}

/* Command I's words: the compiler; --extra-arg-before's; its own; its
   .shapecheck's extra-args and models ("-include", unless the command
   line gave --models); --extra-arg's (clang-tidy's order: the command
   line comes last and wins).  Then the options libclang must not see are
   taken out (args.h) and kept for -v.  False when out of memory or the
   configuration cannot be used. */
static bool finish_command_words(driver *d, fe_command *c, command_extra *x,
                                 const char ***argv_out)
{
    const driver_options *o = d->o;
    const config *cfg;
    if (!command_config(d, c, &cfg))
        return false;
    size_t own = c->argc > 0 ? (size_t)c->argc - 1 : 0;
    size_t cfg_args = cfg ? cfg->n_extra_args : 0;
    size_t cfg_models = cfg && o->n_models == 0 ? cfg->n_models : 0;
    size_t argc = 1 + (size_t)o->n_extra_args_before + own + cfg_args +
                  2 * cfg_models + (size_t)o->n_extra_args;
    /* One block: the argv, then room for the words taken out. */
    const char **argv = calloc(2 * argc + 1, sizeof *argv);
    if (!argv)
        return false;
    size_t n = 0;
    argv[n++] = c->argc > 0 ? c->argv[0] : "clang";
    for (int k = 0; k < o->n_extra_args_before; k++)
        argv[n++] = o->extra_args_before[k];
    for (size_t k = 0; k < own; k++)
        argv[n++] = c->argv[1 + k];
    for (size_t k = 0; k < cfg_args; k++)
        argv[n++] = cfg->extra_args[k];
    for (size_t k = 0; k < cfg_models; k++) {
        argv[n++] = "-include";
        argv[n++] = cfg->models[k];
    }
    for (int k = 0; k < o->n_extra_args; k++)
        argv[n++] = o->extra_args[k];
    int count = (int)n;
    x->removed = argv + argc + 1;
    args_drop_unwanted(argv, &count, 1, x->removed, &x->n_removed);
    *argv_out = argv;
    c->argv = argv, c->argc = count;
    return true;
}

static bool finish_command(driver *d, size_t i)
{
    return finish_command_words(d, d->cmds[i], &d->extras[i],
                                &d->extra_argv[i]);
}

/* Puts every command's extra words in place (finish_command).  A
   configuration that cannot be used stops the run: no command is left. */
static int add_extra_args(driver *d)
{
    d->extra_argv = calloc(d->n + 1, sizeof *d->extra_argv);
    if (!d->extra_argv)
        return SC_EXIT_TROUBLE;
    for (size_t i = 0; i < d->n; i++)
        if (!finish_command(d, i)) {
            for (size_t k = 0; k < d->n; k++) {
                free((void *)d->extra_argv[k]);
                free(d->cmds[k]);
            }
            d->n = 0;
            return SC_EXIT_TROUBLE;
        }
    return SC_EXIT_CLEAN;
}

/* Nothing to analyse ("-p build -- ARGS" with no FILE, a database with no
   C file) is a mistake to say, not a clean run. */
static int check_has_units(const driver *d)
{
    const driver_options *o = d->o;
    if (d->n || d->n_facts)
        return SC_EXIT_CLEAN;
    if (o->has_dashdash)
        fprintf(o->messages, "shapecheck: error: no translation unit to "
                             "analyse: give the source files before '--'\n");
    else if (o->build_dir)
        fprintf(o->messages,
                "shapecheck: error: %s/compile_commands.json: no C "
                "translation units\n",
                o->build_dir);
    else
        fprintf(o->messages, "shapecheck: error: no C source to analyse\n");
    return SC_EXIT_TROUBLE;
}

/* The compile database the index lists: -p's; else, for "FILE -- ARGS"
   (CMake's CMAKE_C_CLANG_TIDY), the one above the current folder, where
   the build runs the command; else the one found above the first file.
   A database that cannot be read here means no index, not an error: the
   run's own commands are already gathered. */
static compdb *index_database(driver *d)
{
    const driver_options *o = d->o;
    if (o->build_dir && !o->has_dashdash)
        return d->n_dbs ? &d->dbs[0] : NULL;
    if (!o->has_dashdash)
        return d->n_dbs && d->dbs[0].path ? &d->dbs[0] : NULL;
    char *path = NULL;
    if (o->build_dir) {
        path = malloc(strlen(o->build_dir) + 32);
        if (path)
            sprintf(path, "%s/compile_commands.json", o->build_dir);
    } else {
        path = compdb_find(d->cwd ? d->cwd : ".");
    }
    char err[1024];
    compdb *db = &d->dbs[d->n_dbs];
    bool ok = path && compdb_load(db, path, err, sizeof err) == 0;
    free(path);
    if (!ok)
        return NULL;
    d->n_dbs++;
    return db;
}

/* Whether one of the run's commands is its unit's in the database: else
   the run is not part of that program (a scratch file under a build
   folder, "FILE -- ARGS" with other flags) and the index is neither read,
   written nor mentioned (docs/facts.md, "Which runs use the index"). */
static bool part_of_index(const driver *d)
{
    for (size_t i = 0; i < d->n; i++)
        if (index_command_matches(d->index, d->cmds[i]))
            return true;
    return false;
}

static void open_index(driver *d)
{
    const driver_options *o = d->o;
    d->store_index = !o->index_read_only;
    if (o->index) {
        d->index = o->index;
        return;
    }
    compdb *db = o->no_index ? NULL : index_database(d);
    if (!db || !db->path || db->n_commands == 0)
        return;
    char *folder = strdup(db->path);
    if (!folder)
        return;
    index_options io = {
        .build_dir = dirname(folder),
        .index_dir = o->index_dir,
        .include_dir = driver_include_dir(),
        .models = o->models,
        .n_models = o->n_models,
        .extra_args = o->extra_args,
        .n_extra_args = o->n_extra_args,
        .extra_args_before = o->extra_args_before,
        .n_extra_args_before = o->n_extra_args_before,
        .configs = o->configs,
        .jobs = o->jobs,
        .messages = o->messages,
    };
    d->index = index_open_db(&io, db);
    d->own_index = d->index != NULL;
    free(folder);
    if (d->index && !part_of_index(d)) {
        index_close(d->index);
        d->index = NULL;
        d->own_index = false;
    }
}

driver *driver_new(const driver_options *o, int *status)
{
    driver *d = calloc(1, sizeof *d);
    if (!d) {
        *status = SC_EXIT_TROUBLE;
        return NULL;
    }
    d->o = o;
    d->cwd = getcwd(NULL, 0);
    *status = gather(d);
    if (d->cmds && add_extra_args(d) != SC_EXIT_CLEAN)
        *status = SC_EXIT_TROUBLE;
    if (*status == SC_EXIT_CLEAN)
        *status = check_has_units(d);
    open_index(d);
    return d;
}

void driver_free(driver *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < d->n; i++) {
        if (d->extra_argv)
            free((void *)d->extra_argv[i]);
        free(d->cmds[i]);
    }
    free(d->extra_argv);
    free(d->extras);
    free(d->cmds);
    for (size_t i = 0; i < d->n_context; i++) {
        free((void *)d->context_argv[i]);
        free(d->context_cmds[i]);
    }
    free(d->context_cmds);
    free(d->context_argv);
    if (d->own_index)
        index_close(d->index);
    free(d->sources);
    free(d->facts);
    for (size_t i = 0; i < d->n_dbs; i++)
        compdb_free(&d->dbs[i]);
    free(d->dbs);
    free(d->cwd);
    free(d);
}

size_t driver_n_analysed(const driver *d)
{
    return d->n_analysed + d->n_facts;
}

const char *driver_cwd(const driver *d)
{
    return d->cwd;
}

size_t driver_n_commands(const driver *d)
{
    return d->n;
}

const char *driver_file(const driver *d, size_t i)
{
    const char *f = d->cmds[i]->file;
    size_t n = d->cwd ? strlen(d->cwd) : 0;
    if (n && strncmp(f, d->cwd, n) == 0 && f[n] == '/')
        return f + n + 1; /* as the front end names it */
    return f;
}

bool driver_set_unsaved(driver *d, const char *file, const char *text,
                        size_t length)
{
    for (size_t i = 0; i < d->n; i++)
        if (strcmp(driver_file(d, i), file) == 0 ||
            strcmp(d->cmds[i]->file, file) == 0) {
            d->cmds[i]->unsaved = text;
            d->cmds[i]->unsaved_length = length;
            return true;
        }
    return false;
}

/* ---- Parsing in parallel --------------------------------------------- */

/* FILE as findings name it: relative to where we started, when under it. */
static const char *shown_name(const driver *d, const char *f)
{
    size_t n = d->cwd ? strlen(d->cwd) : 0;
    if (n && strncmp(f, d->cwd, n) == 0 && f[n] == '/')
        return f + n + 1;
    return f;
}

/* After each unit, from the parsing threads (under their lock). */
static void parse_done(void *ud, size_t n_done, size_t total,
                       const parse_job *job)
{
    const driver *d = ud;
    const driver_options *o = d->o;
    if (o->progress)
        o->progress(o->progress_ud, n_done, total,
                    shown_name(d, job->cmd->file));
}

/* Keeps the parsed units' facts in the project index; the first failure
   is a warning (the run's findings never depend on the index). */
static void store_parsed(driver *d, const parse_job *jobs, size_t n)
{
    char err[1024];
    bool warned = false;
    for (size_t i = 0; d->index && d->store_index && i < n; i++)
        if (jobs[i].tu &&
            index_store(d->index, jobs[i].cmd, jobs[i].tu, d->cwd, err,
                        sizeof err) != 0 &&
            !warned) {
            fprintf(d->o->messages,
                    "shapecheck: warning: the project index is not "
                    "complete: %s\n",
                    err);
            warned = true;
        }
}

/* Parses JOBS (N of them): each in a worker process where it can be had
   (parse_pool.h), so that a unit that crashes libclang is that unit's
   error. */
static void parse_jobs(driver *d, parse_job *jobs, size_t n)
{
    parse_options po = {
        .include_dir = driver_include_dir(),
        .force_includes = d->o->models,
        .n_force_includes = d->o->n_models,
        .root = d->cwd,
        .jobs = d->o->jobs,
        .done = parse_done,
        .ud = d,
    };
    parse_run(jobs, n, &po);
    store_parsed(d, jobs, n);
}

/* ---- Running ---------------------------------------------------------- */

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

static void say_dropped(const driver *d, const fe_command *cmd,
                        const char *const *words, int n)
{
    for (int k = 0; k < n; k++) {
        bool pair = k + 1 < n && args_unwanted_with_value(words[k]);
        fprintf(d->o->messages,
                "shapecheck: %s: dropped compiler option '%s%s%s'\n", cmd->file,
                words[k], pair ? " " : "", pair ? words[k + 1] : "");
        k += pair;
    }
}

/* -v: the options of JOB's command that libclang never saw: those the
   checker takes out (args.h), then those clang did not know. */
static void list_dropped(const driver *d, const parse_job *job)
{
    for (size_t i = 0; i < d->n; i++)
        if (d->cmds[i] == job->cmd) {
            const command_extra *x = &d->extras[i];
            if (x->cleaned)
                say_dropped(d, job->cmd, x->cleaned->words, x->cleaned->n);
            say_dropped(d, job->cmd, x->removed, x->n_removed);
        }
    say_dropped(d, job->cmd, job->dropped, job->n_dropped);
}

/* Reports what parsing said of each job, in command order (so the
   messages do not depend on the threads); collects the parsed TUs. */
static int collect(driver *d, parse_job *jobs, size_t n_jobs, ir_tu **tus,
                   uint32_t *n_tus, diag_list *list)
{
    const driver_options *o = d->o;
    int status = SC_EXIT_CLEAN;
    for (size_t i = 0; i < n_jobs; i++) {
        parse_job *job = &jobs[i];
        if (o->verbose)
            list_dropped(d, job);
        if (!job->tu) {
            fprintf(o->messages, "shapecheck: error: %s\n", job->err);
            status = SC_EXIT_TROUBLE;
            continue;
        }
        if (job->tu->has_errors) {
            add_compiler_diags(list, job->tu);
            status = SC_EXIT_TROUBLE;
        }
        tus[(*n_tus)++] = job->tu;
        d->n_analysed++;
    }
    return status;
}

int driver_run(driver *d, diag_list *list)
{
    return driver_run_collect(d, list, NULL);
}

static double seconds_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* --stats: where the time went (the benchmarks read this line). */
static void print_stats(const driver *d, double parse, double analysis)
{
    fprintf(d->o->messages,
            "shapecheck: stats: %zu translation units, parse %.4f s, "
            "analysis %.4f s (%.1f%% of parse)\n",
            d->n, parse, analysis, parse > 0 ? 100.0 * analysis / parse : 0.0);
}

/* ---- Running with a cache (--cache-dir) ------------------------------- */

/* One run's view of the cache: which commands had a usable entry, which
   were parsed, and their per-TU findings. */
typedef struct cached_run {
    driver *d;
    cache *c;
    cache_entry **entries; /* per command: a hit, or NULL */
    ir_tu **parsed;        /* per command: parsed this run, or NULL */
    diag_list *findings;   /* per command parsed: its findings */
    bool stale;            /* a hit whose imports changed was found */
    size_t n_parsed;
} cached_run;

/* After the analysis: hits whose imports changed go stale; if none did,
   what was parsed is stored. */
static void cache_finished(void *ud, analysis *an)
{
    cached_run *r = ud;
    for (size_t i = 0; i < r->d->n; i++)
        if (r->entries[i] && !cache_imports_current(r->entries[i], an)) {
            cache_entry_free(r->entries[i]);
            r->entries[i] = NULL;
            r->stale = true;
        }
    if (r->stale)
        return; /* analysed again once the stale ones are parsed */
    uint32_t t = 0;
    for (size_t i = 0; i < r->d->n; i++)
        if (r->parsed[i]) {
            cache_store(r->c, r->d->cmds[i], r->parsed[i], an, &r->findings[t]);
            t++;
        }
}

/* Parses the commands that have neither an entry nor a TU yet. */
static int parse_missing(cached_run *r, diag_list *list)
{
    driver *d = r->d;
    parse_job *jobs = calloc(d->n + 1, sizeof *jobs);
    size_t *index = calloc(d->n + 1, sizeof *index);
    ir_tu **tus = calloc(d->n + 1, sizeof *tus);
    size_t n = 0;
    int status = SC_EXIT_CLEAN;
    if (!jobs || !index || !tus) {
        status = SC_EXIT_TROUBLE;
        goto out;
    }
    for (size_t i = 0; i < d->n; i++)
        if (!r->entries[i] && !r->parsed[i]) {
            index[n] = i;
            jobs[n++].cmd = d->cmds[i];
        }
    parse_jobs(d, jobs, n);
    uint32_t n_tus = 0;
    status = collect(d, jobs, n, tus, &n_tus, list);
    for (size_t k = 0; k < n; k++)
        if (jobs[k].tu) {
            r->parsed[index[k]] = jobs[k].tu;
            r->n_parsed++;
        }
out:
    free(jobs);
    free(index);
    free(tus);
    return status;
}

/* One analysis of what was parsed, with the hits' summaries. */
static int analyse_cached(cached_run *r, diag_list *list)
{
    driver *d = r->d;
    ir_tu **tus = calloc(d->n + 1, sizeof *tus);
    const char **texts = calloc(d->n + 1, sizeof *texts);
    r->findings = calloc(d->n + 1, sizeof *r->findings);
    if (!tus || !texts || !r->findings) {
        free(tus);
        free(texts);
        return SC_EXIT_TROUBLE;
    }
    uint32_t n_tus = 0;
    size_t n_texts = 0;
    for (size_t i = 0; i < d->n; i++) {
        if (r->parsed[i]) {
            diag_list_init(&r->findings[n_tus]);
            tus[n_tus++] = r->parsed[i];
        } else if (r->entries[i]) {
            texts[n_texts++] = r->entries[i]->summary;
        }
    }
    analysis_options ao = {
        .read_summaries = d->o->read_summaries,
        .n_read_summaries = d->o->n_read_summaries,
        .write_summaries_dir = d->o->write_summaries_dir,
        .messages = d->o->messages,
        .verbose = d->o->verbose ? d->o->messages : NULL,
        .per_tu = r->findings,
        .finished = cache_finished,
        .finished_ud = r,
        .summary_texts = texts,
        .n_summary_texts = n_texts,
    };
    r->stale = false;
    int status = analyze_program(tus, n_tus, list, &ao);
    for (uint32_t t = 0; t < n_tus; t++) {
        if (!r->stale)
            for (size_t k = 0; k < r->findings[t].n; k++)
                diag_copy(list, &r->findings[t].items[k]);
        diag_list_free(&r->findings[t]);
    }
    free(r->findings);
    r->findings = NULL;
    free(tus);
    free(texts);
    return status;
}

/* The cached run: look every command up, parse the misses, analyse; when
   a hit turns out stale (a function it used changed), parse it and
   analyse again.  Each round parses at least one more file, so this ends. */
static int run_cached(driver *d, cache *c, diag_list *list, double *parse_time)
{
    cached_run r = {.d = d, .c = c};
    r.entries = calloc(d->n + 1, sizeof *r.entries);
    r.parsed = calloc(d->n + 1, sizeof *r.parsed);
    int status = r.entries && r.parsed ? SC_EXIT_CLEAN : SC_EXIT_TROUBLE;
    for (size_t i = 0; status == SC_EXIT_CLEAN && i < d->n; i++)
        r.entries[i] = cache_lookup(c, d->cmds[i]);
    diag_list compiler;
    diag_list_init(&compiler);
    int analysed = SC_EXIT_CLEAN;
    do {
        double t0 = seconds_now();
        int parsed = parse_missing(&r, &compiler);
        status = status > parsed ? status : parsed;
        *parse_time += seconds_now() - t0;
        analysed = analyse_cached(&r, list);
    } while (r.stale && analysed == SC_EXIT_CLEAN);
    for (size_t k = 0; k < compiler.n; k++)
        diag_copy(list, &compiler.items[k]);
    diag_list_free(&compiler);
    size_t hits = 0;
    for (size_t i = 0; i < d->n; i++) {
        if (r.entries[i]) {
            hits++;
            d->n_analysed++;
            for (size_t k = 0; k < r.entries[i]->findings.n; k++)
                diag_copy(list, &r.entries[i]->findings.items[k]);
        }
        cache_entry_free(r.entries[i]);
        if (r.parsed[i])
            ir_tu_free(r.parsed[i]);
    }
    if (d->o->stats)
        fprintf(d->o->messages,
                "shapecheck: stats: cache: %zu parsed, %zu from the cache\n",
                r.n_parsed, hits);
    free(r.entries);
    free(r.parsed);
    return status > analysed ? status : analysed;
}

/* The cache's extra key: what the commands do not say but the results
   depend on (the bundled headers, the models). */
static char *cache_extra_key(const driver *d)
{
    size_t n = strlen(driver_include_dir()) + 2;
    for (int i = 0; i < d->o->n_models; i++)
        n += strlen(d->o->models[i]) + 1;
    char *key = malloc(n);
    if (!key)
        return NULL;
    strcpy(key, driver_include_dir());
    for (int i = 0; i < d->o->n_models; i++) {
        strcat(key, "\n");
        strcat(key, d->o->models[i]);
    }
    return key;
}

/* ---- Running ---------------------------------------------------------- */

/* After the analysis of a run with an index: each parsed unit's summary
   goes beside its entry, for the runs that will not parse it. */
typedef struct parsed_units {
    driver *d;
    parse_job *jobs;
    size_t n;
    ir_tu **tus; /* the parsed TUs collect() kept, in job order */
    uint32_t n_tus;
} parsed_units;

/* ---- Bodies converted after all -------------------------------------------
   A run that walks only the bodies that can report has the front end
   defer the others (fe_command.defer_bodies, engine/demand.c); when the
   analysis needs one after all, its unit is parsed again in full. */

/* Index unit UNIT's command, made as the run's own are (finish_command),
   kept until the driver is freed; NULL when there is none. */
static const fe_command *context_command(driver *d, long unit)
{
    if (!d->index || unit < 0 || (size_t)unit >= index_n_units(d->index))
        return NULL;
    size_t n = d->n_context + 1;
    fe_command **cmds = realloc(d->context_cmds, n * sizeof *cmds);
    if (cmds)
        d->context_cmds = cmds;
    const char ***argv = realloc(d->context_argv, n * sizeof *argv);
    if (argv)
        d->context_argv = argv;
    fe_command *c = cmds && argv ? malloc(sizeof *c) : NULL;
    if (!c)
        return NULL;
    *c = *index_unit_command(d->index, (size_t)unit);
    command_extra x = {0};
    if (!finish_command_words(d, c, &x, &argv[d->n_context])) {
        free(c);
        return NULL;
    }
    cmds[d->n_context++] = c;
    return c;
}

/* The run's job that parsed TU, or NULL (an index unit's TU). */
static parse_job *own_job(parsed_units *p, const ir_tu *tu)
{
    for (size_t i = 0; i < p->n; i++)
        if (p->jobs[i].tu == tu)
            return &p->jobs[i];
    return NULL;
}

/* A unit of the run's takes its new TU's place in the run's lists (the
   old one is freed). */
static void replace_own(parsed_units *p, parse_job *own, ir_tu *tu)
{
    for (uint32_t t = 0; t < p->n_tus; t++)
        if (p->tus[t] == own->tu)
            p->tus[t] = tu;
    ir_tu_free(own->tu);
    own->tu = tu;
}

/* units_inputs.convert_all: the N units of TUS (the run's own, or index
   units UNITS) parsed again together, with every body converted; each
   TUS[i] becomes its new TU, or NULL. */
static void convert_units(void *ud, ir_tu **tus, const long *units, size_t n)
{
    parsed_units *p = ud;
    parse_job *jobs = calloc(n + 1, sizeof *jobs);
    fe_command *cmds = calloc(n + 1, sizeof *cmds);
    size_t *of = calloc(n + 1, sizeof *of); /* job -> index in TUS */
    size_t m = 0;
    for (size_t i = 0; jobs && cmds && of && i < n; i++) {
        parse_job *own = own_job(p, tus[i]);
        const fe_command *from =
            own ? own->cmd : context_command(p->d, units[i]);
        if (!from)
            continue;
        cmds[m] = *from;
        cmds[m].defer_bodies = false;
        jobs[m].cmd = &cmds[m];
        of[m++] = i;
    }
    if (m)
        parse_jobs(p->d, jobs, m);
    bool *done = calloc(n + 1, sizeof *done);
    for (size_t k = 0; done && k < m; k++) {
        size_t i = of[k];
        if (!jobs[k].tu) {
            fprintf(p->d->o->messages, "shapecheck: warning: %s\n",
                    jobs[k].err);
            continue;
        }
        parse_job *own = own_job(p, tus[i]);
        if (own)
            replace_own(p, own, jobs[k].tu);
        tus[i] = jobs[k].tu;
        done[i] = true;
    }
    for (size_t i = 0; i < n; i++)
        if (!done || !done[i])
            tus[i] = NULL;
    free(done);
    free(of);
    free(cmds);
    free(jobs);
}

static void store_summaries(void *ud, analysis *an)
{
    const parsed_units *p = ud;
    char err[1024];
    for (size_t i = 0; i < p->n; i++)
        if (p->jobs[i].tu &&
            index_store_summary(p->d->index, p->jobs[i].cmd, p->jobs[i].tu, an,
                                err, sizeof err) != 0) {
            fprintf(p->d->o->messages,
                    "shapecheck: warning: the project index is not "
                    "complete: %s\n",
                    err);
            return;
        }
}

/* --stats: how the index's units joined a partial run. */
static void print_context_stats(const driver *d, const run_units *u)
{
    fprintf(d->o->messages,
            "shapecheck: stats: index: %zu units by their summaries, %zu by "
            "their facts\n",
            u->n_summaries, u->n_from_facts);
}

static int run_uncached(driver *d, diag_list *list, shape_fact_list *facts,
                        double *parse_time)
{
    double started = seconds_now();
    parse_job *jobs = calloc(d->n + 1, sizeof *jobs);
    ir_tu **tus = calloc(d->n + 1, sizeof *tus);
    if (!jobs || !tus) {
        free(jobs);
        free(tus);
        return SC_EXIT_TROUBLE;
    }
    /* Only the walks that can report (engine/demand.c), unless the run
       publishes what the analysis learnt of every function; and then only
       the bodies that can matter are converted. */
    bool on_demand =
        !facts && !d->o->write_summaries_dir && !getenv("SHAPECHECK_WALK_ALL");
    for (size_t i = 0; i < d->n; i++) {
        d->cmds[i]->defer_bodies = on_demand;
        jobs[i].cmd = d->cmds[i];
    }
    parse_jobs(d, jobs, d->n);
    for (size_t i = 0; i < d->n; i++)
        d->cmds[i]->defer_bodies = false;
    *parse_time = seconds_now() - started;
    uint32_t n_tus = 0;
    int status = collect(d, jobs, d->n, tus, &n_tus, list);
    parsed_units parsed = {d, jobs, d->n, tus, n_tus};
    run_units units;
    int loaded = units_gather(&units, tus, n_tus,
                              &(units_inputs){
                                  .facts = d->facts,
                                  .n_facts = d->n_facts,
                                  .index = d->whole_database ? NULL : d->index,
                                  .cmds = (const fe_command *const *)d->cmds,
                                  .n_cmds = d->n,
                                  .summaries = facts == NULL,
                                  .root = d->cwd,
                                  .jobs = d->o->jobs,
                                  .messages = d->o->messages,
                                  .convert_all = convert_units,
                                  .convert_ud = &parsed,
                              },
                              list);
    status = status > loaded ? status : loaded;
    shape_observer observer = {shape_facts_observe, facts};
    analysis_options ao = {
        .observer = facts ? &observer : NULL,
        .read_summaries = d->o->read_summaries,
        .n_read_summaries = d->o->n_read_summaries,
        .write_summaries_dir = d->o->write_summaries_dir,
        .messages = d->o->messages,
        .verbose = d->o->verbose ? d->o->messages : NULL,
    };
    ao.walk_on_demand = on_demand;
    struct analysis_counts counts = {0, 0};
    ao.counts = &counts;
    if (d->index && d->store_index) {
        ao.finished = store_summaries;
        ao.finished_ud = &parsed;
    }
    int analysed = units_analyse(&units, list, &ao);
    if (d->o->stats && d->index && !d->whole_database)
        print_context_stats(d, &units);
    if (d->o->stats)
        fprintf(d->o->messages,
                "shapecheck: stats: walked %u of %u function bodies; "
                "units parsed again for the bodies the walks needed: %zu\n",
                counts.walked, counts.bodies, units.n_converted);
    units_free(&units);
    for (uint32_t i = 0; i < n_tus; i++)
        ir_tu_free(tus[i]);
    free(tus);
    free(jobs);
    return status > analysed ? status : analysed;
}

int driver_run_collect(driver *d, diag_list *list, shape_fact_list *facts)
{
    double started = seconds_now(), parse_time = 0;
    cache *c = NULL;
    int status = SC_EXIT_CLEAN;
    d->n_analysed = 0;
    if (d->index)
        index_new_run(d->index);
    /* The cache knows neither facts files nor the index's units. */
    bool partial = d->index && !d->whole_database;
    if (d->o->cache_dir && !facts && !d->n_facts && !partial) {
        char err[1024];
        char *extra = cache_extra_key(d);
        c = extra ? cache_open(d->o->cache_dir, extra, err, sizeof err) : NULL;
        free(extra);
        if (!c) {
            fprintf(d->o->messages,
                    "shapecheck: warning: %s; running without "
                    "the cache\n",
                    err);
        }
    }
    status = c ? run_cached(d, c, list, &parse_time)
               : run_uncached(d, list, facts, &parse_time);
    cache_close(c);
    isolate_recycle(); /* the run's TUs are freed */
    if (d->o->stats)
        print_stats(d, parse_time, seconds_now() - started - parse_time);
    return status;
}

int driver_store_units(driver *d, size_t first, size_t n)
{
    if (first >= d->n)
        return SC_EXIT_CLEAN;
    if (n > d->n - first)
        n = d->n - first;
    if (d->index)
        index_new_run(d->index);
    parse_job *jobs = calloc(n + 1, sizeof *jobs);
    if (!jobs)
        return SC_EXIT_TROUBLE;
    for (size_t i = 0; i < n; i++)
        jobs[i].cmd = d->cmds[first + i];
    parse_jobs(d, jobs, n);
    int status = SC_EXIT_CLEAN;
    for (size_t i = 0; i < n; i++) {
        if (!jobs[i].tu) {
            fprintf(d->o->messages, "shapecheck: error: %s\n", jobs[i].err);
            status = SC_EXIT_TROUBLE;
        }
        ir_tu_free(jobs[i].tu);
    }
    free(jobs);
    isolate_recycle();
    return status;
}

int driver_emit_facts(driver *d, const char *out, diag_list *list)
{
    if (d->n != 1 || d->n_facts) {
        fprintf(d->o->messages,
                "shapecheck: error: --emit-facts takes one source file, not "
                "%zu\n",
                d->n + d->n_facts);
        return SC_EXIT_TROUBLE;
    }
    parse_job job = {.cmd = d->cmds[0]};
    parse_jobs(d, &job, 1);
    ir_tu *tu = NULL;
    uint32_t n_tus = 0;
    int status = collect(d, &job, 1, &tu, &n_tus, list);
    char err[1024];
    if (tu && ir_tu_write_file(tu, d->cwd, out, err, sizeof err) != 0) {
        fprintf(d->o->messages, "shapecheck: error: %s\n", err);
        status = SC_EXIT_TROUBLE;
    }
    ir_tu_free(tu);
    isolate_recycle();
    return status;
}
