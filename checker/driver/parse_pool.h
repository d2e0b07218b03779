/*
 * parse_pool.h - parsing translation units in parallel: a pool of threads,
 * each with a worker process of its own (isolate.h) or, where isolation
 * cannot be had, a frontend of its own in the thread.  One unit's crash,
 * or a command that cannot be parsed, is that unit's error; the others
 * are parsed all the same.
 */
#ifndef SHAPECHECK_PARSE_POOL_H
#define SHAPECHECK_PARSE_POOL_H

#include <stddef.h>

#include "frontend.h"

/* One translation unit to parse, and what came of it. */
typedef struct parse_job {
    const fe_command *cmd;
    ir_tu *tu; /* NULL when it could not be parsed: ERR says why */
    char err[1024];
    const char **dropped; /* options clang did not know (frontend_parse) */
    int n_dropped;
} parse_job;

typedef struct parse_options {
    const char *include_dir;           /* frontend_new's */
    const char *const *force_includes; /* the --models headers */
    int n_force_includes;
    const char *root; /* file names are shown relative to it */
    int jobs;         /* threads; 0: one per core */
    /* Called after each job, under the pool's lock, in completion order;
       may be NULL. */
    void (*done)(void *ud, size_t n_done, size_t total, const parse_job *job);
    void *ud;
} parse_options;

/* Parses the N JOBS.  A command whose last word is an option missing its
   value ("-I") is not parsed: its error says so.  Returns with the process
   in the folder it was in. */
void parse_run(parse_job *jobs, size_t n, const parse_options *o);

#endif /* SHAPECHECK_PARSE_POOL_H */
