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
#include "cache.h"
#include "compdb.h"
#include "shape_facts.h"

struct driver {
    const driver_options *o;
    char *cwd;         /* where we started: paths are shown from it */
    fe_command **cmds; /* one per translation unit (owned copies) */
    size_t n;
    compdb *dbs; /* every database loaded */
    size_t n_dbs;
    const char *no_args[1];
    const char ***extra_argv; /* per command: the argv add_extra_args made */
};

/* ---- The bundled headers ----------------------------------------------- */

/* The include folder relative to the folder of the installed program
   ("../include"), for an installation moved after it was configured
   (cmake --install --prefix DIR). */
#ifndef SHAPECHECK_BIN_TO_INCLUDE
#define SHAPECHECK_BIN_TO_INCLUDE "../include"
#endif

static pthread_once_t include_dir_once = PTHREAD_ONCE_INIT;
static const char *include_dir;
static char installed_include_dir[4096];

/* FOLDER/REL into OUT, with REL's leading "../" taken off FOLDER. */
static bool join_folder(char *out, size_t size, const char *folder,
                        const char *rel)
{
    size_t n = strlen(folder);
    if (n >= size)
        return false;
    memcpy(out, folder, n + 1);
    while (strncmp(rel, "../", 3) == 0) {
        char *slash = strrchr(out, '/');
        if (!slash || slash == out)
            return false;
        *slash = '\0';
        rel += 3;
    }
    size_t used = strlen(out);
    int len = snprintf(out + used, size - used, "/%s", rel);
    return len > 0 && (size_t)len < size - used;
}

static void find_include_dir(void)
{
    char exe[4096];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    exe[n > 0 ? n : 0] = '\0';
    char *slash = strrchr(exe, '/');
    if (slash && slash != exe) {
        *slash = '\0';
        char header[sizeof installed_include_dir + 16];
        if (join_folder(installed_include_dir, sizeof installed_include_dir,
                        exe, SHAPECHECK_BIN_TO_INCLUDE)) {
            snprintf(header, sizeof header, "%s/shapecheck.h",
                     installed_include_dir);
            if (access(header, R_OK) == 0) {
                include_dir = installed_include_dir;
                return;
            }
        }
    }
    if (access(SHAPECHECK_BUILD_INCLUDE_DIR "/shapecheck.h", R_OK) == 0)
        include_dir = SHAPECHECK_BUILD_INCLUDE_DIR;
    else
        include_dir = SHAPECHECK_INSTALL_INCLUDE_DIR;
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
    for (size_t i = 0; i < o->n_files; i++) {
        const char *file = o->files[i];
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
        add_command(d, &(fe_command){file, NULL, d->no_args, 1, NULL, 0});
    }
}

static int gather(driver *d)
{
    const driver_options *o = d->o;
    int status = SC_EXIT_CLEAN;
    d->no_args[0] = "clang";
    d->dbs = calloc(o->n_files + 2, sizeof *d->dbs);
    if (!d->dbs)
        return SC_EXIT_TROUBLE;
    compdb *pdb = NULL;
    if (o->has_dashdash) {
        pdb = &d->dbs[d->n_dbs++];
        compdb_from_args(pdb, o->files, o->n_files, o->compiler_args,
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
    if (!d->cmds)
        return SC_EXIT_TROUBLE;
    if (pdb && (o->has_dashdash || o->n_files == 0)) {
        for (size_t i = 0; i < pdb->n_commands; i++)
            add_command(d, &pdb->commands[i]);
        return status;
    }
    commands_for_files(d, pdb, &status);
    return status;
}

/* Puts the extra arguments into every command's argv: the "before" ones
   right after the compiler, the others at the end (clang-tidy's
   --extra-arg-before and --extra-arg).  Returns false when out of
   memory. */
static bool add_extra_args(driver *d)
{
    const driver_options *o = d->o;
    int before = o->n_extra_args_before, after = o->n_extra_args;
    if (before == 0 && after == 0)
        return true;
    d->extra_argv = calloc(d->n + 1, sizeof *d->extra_argv);
    if (!d->extra_argv)
        return false;
    for (size_t i = 0; i < d->n; i++) {
        fe_command *c = d->cmds[i];
        int rest = c->argc > 0 ? c->argc - 1 : 0;
        int argc = 1 + before + rest + after;
        const char **argv = calloc((size_t)argc + 1, sizeof *argv);
        if (!argv)
            return false;
        argv[0] = c->argc > 0 ? c->argv[0] : "clang";
        for (int k = 0; k < before; k++)
            argv[1 + k] = o->extra_args_before[k];
        for (int k = 0; k < rest; k++)
            argv[1 + before + k] = c->argv[1 + k];
        for (int k = 0; k < after; k++)
            argv[1 + before + rest + k] = o->extra_args[k];
        d->extra_argv[i] = argv;
        c->argv = argv, c->argc = argc;
    }
    return true;
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
    if (!add_extra_args(d))
        *status = SC_EXIT_TROUBLE;
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
    free(d->cmds);
    for (size_t i = 0; i < d->n_dbs; i++)
        compdb_free(&d->dbs[i]);
    free(d->dbs);
    free(d->cwd);
    free(d);
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

/* One translation unit to parse, and what came of it. */
typedef struct parse_job {
    const fe_command *cmd;
    ir_tu *tu; /* NULL when it could not be parsed */
    char err[1024];
    const char **dropped;
    int n_dropped;
} parse_job;

typedef struct parse_pool {
    const driver *d;
    parse_job *jobs;
    size_t n;
    size_t next, done; /* under lock */
    pthread_mutex_t lock;
} parse_pool;

/* A worker: one frontend (one CXIndex) per thread, jobs taken in order. */
static void *parse_worker(void *arg)
{
    parse_pool *pool = arg;
    const driver_options *o = pool->d->o;
    frontend *fe = frontend_new(driver_include_dir(), o->models, o->n_models);
    frontend_set_root(fe, pool->d->cwd);
    for (;;) {
        pthread_mutex_lock(&pool->lock);
        size_t i = pool->next++;
        pthread_mutex_unlock(&pool->lock);
        if (i >= pool->n)
            break;
        parse_job *job = &pool->jobs[i];
        job->tu = frontend_parse(fe, job->cmd, &job->dropped, &job->n_dropped,
                                 job->err, sizeof job->err);
        pthread_mutex_lock(&pool->lock);
        pool->done++;
        if (o->progress) /* the file as findings name it */
            o->progress(o->progress_ud, pool->done, pool->n,
                        driver_file(pool->d, i));
        pthread_mutex_unlock(&pool->lock);
    }
    frontend_free(fe);
    return NULL;
}

/* The front end recurses once per nesting level of the source: give the
   threads room for the deepest input it accepts. */
#define PARSE_STACK_SIZE (64u << 20)

static void parse_all(parse_pool *pool, int jobs)
{
    /* libclang parses on a thread of its own with a small stack unless
       told not to; ours have PARSE_STACK_SIZE, deep enough for the nesting
       the front end accepts.  A user's own setting wins. */
    setenv("LIBCLANG_NOTHREADS", "1", 0);
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

/* Parses JOBS (N of them) in the pool's threads and comes back to the
   starting folder (libclang applies -working-directory by moving the
   whole process). */
static void parse_jobs(driver *d, parse_job *jobs, size_t n)
{
    parse_pool pool = {.d = d, .jobs = jobs, .n = n};
    pthread_mutex_init(&pool.lock, NULL);
    parse_all(&pool, d->o->jobs);
    pthread_mutex_destroy(&pool.lock);
    if (d->cwd && chdir(d->cwd) != 0)
        fprintf(d->o->messages, "shapecheck: warning: cannot return to %s\n",
                d->cwd);
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

/* Reports what parsing said of each job, in command order (so the
   messages do not depend on the threads); collects the parsed TUs. */
static int collect(const driver *d, parse_job *jobs, size_t n_jobs, ir_tu **tus,
                   uint32_t *n_tus, diag_list *list)
{
    const driver_options *o = d->o;
    int status = SC_EXIT_CLEAN;
    for (size_t i = 0; i < n_jobs; i++) {
        parse_job *job = &jobs[i];
        if (!job->tu) {
            fprintf(o->messages, "shapecheck: error: %s\n", job->err);
            status = SC_EXIT_TROUBLE;
            continue;
        }
        if (o->verbose)
            for (int k = 0; k < job->n_dropped; k++)
                fprintf(o->messages,
                        "shapecheck: %s: dropped compiler option '%s'\n",
                        job->cmd->file, job->dropped[k]);
        if (job->tu->has_errors) {
            add_compiler_diags(list, job->tu);
            status = SC_EXIT_TROUBLE;
        }
        tus[(*n_tus)++] = job->tu;
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
    for (size_t i = 0; i < d->n; i++)
        jobs[i].cmd = d->cmds[i];
    parse_jobs(d, jobs, d->n);
    *parse_time = seconds_now() - started;
    uint32_t n_tus = 0;
    int status = collect(d, jobs, d->n, tus, &n_tus, list);
    shape_observer observer = {shape_facts_observe, facts};
    analysis_options ao = {
        .observer = facts ? &observer : NULL,
        .read_summaries = d->o->read_summaries,
        .n_read_summaries = d->o->n_read_summaries,
        .write_summaries_dir = d->o->write_summaries_dir,
        .messages = d->o->messages,
        .verbose = d->o->verbose ? d->o->messages : NULL,
    };
    int analysed = analyze_program(tus, n_tus, list, &ao);
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
    if (d->o->cache_dir && !facts) {
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
    if (d->o->stats)
        print_stats(d, parse_time, seconds_now() - started - parse_time);
    return status;
}
