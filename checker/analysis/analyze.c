/*
 * analyze.c - the driver for a whole program: every annotated function has
 * its signature built (so a malformed annotation is reported even when
 * nothing calls the function), then every function defined in a main file
 * is walked (propagate.c).  Signatures and summaries are shared by all
 * translation units, so a call in one file is checked against a function
 * annotated or defined in another.
 */
#define _POSIX_C_SOURCE 200809L /* getcwd */

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analysis.h"
#include "summary_io.h"

static int read_summaries(analysis *an, const analysis_options *o)
{
    char err[1024];
    for (size_t i = 0; i < o->n_read_summaries; i++)
        if (summary_read(an, o->read_summaries[i], err, sizeof err) != 0) {
            fprintf(o->messages ? o->messages : stderr,
                    "shapecheck: error: %s\n", err);
            return 2;
        }
    return 0;
}

/* "src/net.c" -> "src_net.c": the TU's path from the current folder (or
   from the root), one file name. */
static char *summary_file_name(analysis *an, const char *file)
{
    char *cwd = getcwd(NULL, 0);
    size_t n = cwd ? strlen(cwd) : 0;
    if (n && strncmp(file, cwd, n) == 0 && file[n] == '/')
        file += n + 1;
    free(cwd);
    while (*file == '/')
        file++;
    char *name = arena_strdup(an->arena, file);
    for (char *p = name; *p; p++)
        if (*p == '/')
            *p = '_';
    return name;
}

/* DIR/<TU path>.json: one file per TU, stable names. */
static int write_summaries(analysis *an, const analysis_options *o)
{
    char err[1024];
    for (uint32_t t = 0; t < an->n_tus; t++) {
        char *name = summary_file_name(an, an->tus[t]->main_file);
        char *path =
            arena_printf(an->arena, "%s/%s.json", o->write_summaries_dir, name);
        FILE *f = fopen(path, "w");
        int rc = f ? summary_write(an, an->tus[t], f, err, sizeof err) : -1;
        if (f && fclose(f) != 0)
            rc = -1;
        if (rc != 0) {
            fprintf(o->messages ? o->messages : stderr,
                    "shapecheck: error: cannot write summary %s\n", path);
            return 2;
        }
    }
    return 0;
}

static int analyze(ir_tu *const *tus, uint32_t n_tus, diag_list *diags,
                   const analysis_options *opts)
{
    analysis_options none = {0};
    const analysis_options *o = opts ? opts : &none;
    analysis an = {
        .tus = tus, .n_tus = n_tus, .diags = diags, .observer = o->observer};
    an.arena = arena_new();
    an.dims = dim_ctx_new();
    strmap_init(&an.funcs_by_key, an.arena);
    strmap_init(&an.consts, an.arena);
    strmap_init(&an.external, an.arena);
    int status = read_summaries(&an, o);
    char err[1024];
    for (size_t i = 0; i < o->n_summary_texts && status == 0; i++)
        if (summary_read_text(&an, o->summary_texts[i], "cache", err,
                              sizeof err) != 0)
            status = 2;
    for (uint32_t t = 0; t < n_tus; t++) {
        an.diags = o->per_tu ? &o->per_tu[t] : diags;
        for (uint32_t i = 0; i < tus[t]->n_funcs; i++)
            signature_of(&an, tus[t]->funcs[i]);
    }
    for (uint32_t t = 0; t < n_tus; t++) {
        an.diags = o->per_tu ? &o->per_tu[t] : diags;
        for (uint32_t i = 0; i < tus[t]->n_funcs; i++)
            propagate_function(&an, tus[t]->funcs[i]);
    }
    an.diags = diags;
    if (o->write_summaries_dir && status == 0)
        status = write_summaries(&an, o);
    if (o->finished)
        o->finished(o->finished_ud, &an);
    dim_ctx_free(an.dims);
    arena_free(an.arena);
    return status;
}

/* ---- Room to recurse ---------------------------------------------------- */

/* The walk of a body recurses once per nesting level of its statements and
   expressions (the front end accepts up to 2,000), and again for each
   summary it derives on the way, SUMMARY_MAX_DEPTH bodies deep: 33 bodies
   of 2,000 levels take about 32 MB of stack, 64 MB under AddressSanitizer
   (tests/limits measure it).  The analysis therefore runs on a thread of
   its own with room to spare, whatever stack the caller has (8 MB for a
   process's main thread, often less for a library user's threads). */
#define ANALYSIS_STACK_SIZE (256u << 20)

typedef struct analyze_job {
    ir_tu *const *tus;
    uint32_t n_tus;
    diag_list *diags;
    const analysis_options *opts;
    int status;
} analyze_job;

static void *analyze_thread(void *arg)
{
    analyze_job *job = arg;
    job->status = analyze(job->tus, job->n_tus, job->diags, job->opts);
    return NULL;
}

int analyze_program(ir_tu *const *tus, uint32_t n_tus, diag_list *diags,
                    const analysis_options *opts)
{
    analyze_job job = {tus, n_tus, diags, opts, 0};
    pthread_attr_t attr;
    pthread_t thread;
    bool started = false;
    if (pthread_attr_init(&attr) == 0) {
        started = pthread_attr_setstacksize(&attr, ANALYSIS_STACK_SIZE) == 0 &&
                  pthread_create(&thread, &attr, analyze_thread, &job) == 0;
        pthread_attr_destroy(&attr);
    }
    if (started)
        pthread_join(thread, NULL);
    else /* no thread to be had: here, with the stack there is */
        analyze_thread(&job);
    return job.status;
}
