/*
 * parse_pool.c - threads that take jobs in order and parse each one in the
 * thread's worker process (isolate.c), or in the thread itself when there
 * are no workers (see parse_pool.h).
 */
#define _POSIX_C_SOURCE 200809L /* setenv, getcwd */

#include "parse_pool.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "args.h"
#include "isolate.h"

typedef struct pool {
    parse_job *jobs;
    size_t n;
    const parse_options *o;
    size_t next, done; /* under lock */
    pthread_mutex_t lock;
} pool;

/* How one thread parses: its worker process, or its own frontend; each
   made when first needed. */
typedef struct parser {
    isolate_worker *worker;
    frontend *fe;
    bool in_process; /* no worker could be had */
} parser;

static void parse_in_process(parser *p, const parse_options *o, parse_job *job)
{
    if (!p->fe) {
        p->fe = frontend_new(o->include_dir, o->force_includes,
                             o->n_force_includes);
        frontend_set_root(p->fe, o->root);
    }
    job->tu = frontend_parse(p->fe, job->cmd, &job->dropped, &job->n_dropped,
                             job->err, sizeof job->err);
}

/* An option missing its value would take the checker's own first argument
   as its value ("-I" "-D__SHAPECHECK__"): refused, for this unit. */
static bool command_complete(parse_job *job)
{
    const char *opt = args_missing_value(job->cmd->argv, job->cmd->argc);
    if (opt)
        snprintf(job->err, sizeof job->err,
                 "%s: compiler option '%s' ends the command without its value",
                 job->cmd->file, opt);
    return !opt;
}

static void parse_one(parser *p, const parse_options *o, parse_job *job)
{
    if (!command_complete(job))
        return;
    if (!p->worker && !p->in_process && isolate_available()) {
        p->worker = isolate_spawn(o->include_dir, o->force_includes,
                                  o->n_force_includes, o->root);
        p->in_process = !p->worker;
    }
    if (!p->worker) {
        parse_in_process(p, o, job);
        return;
    }
    if (!isolate_parse(p->worker, job->cmd, &job->tu, &job->dropped,
                       &job->n_dropped, job->err, sizeof job->err)) {
        isolate_close(p->worker); /* the next job gets a new one */
        p->worker = NULL;
    }
}

static void *parse_thread(void *arg)
{
    pool *pl = arg;
    parser p = {0};
    for (;;) {
        pthread_mutex_lock(&pl->lock);
        size_t i = pl->next++;
        pthread_mutex_unlock(&pl->lock);
        if (i >= pl->n)
            break;
        parse_one(&p, pl->o, &pl->jobs[i]);
        pthread_mutex_lock(&pl->lock);
        pl->done++;
        if (pl->o->done)
            pl->o->done(pl->o->ud, pl->done, pl->n, &pl->jobs[i]);
        pthread_mutex_unlock(&pl->lock);
    }
    isolate_close(p.worker);
    frontend_free(p.fe);
    return NULL;
}

/* The front end recurses once per nesting level of the source: give the
   threads (and the workers' threads) room for the deepest input it
   accepts. */
#define PARSE_STACK_SIZE (64u << 20)

static int thread_count(int jobs, size_t n)
{
    if (jobs < 1)
        jobs = (int)sysconf(_SC_NPROCESSORS_ONLN);
    if (jobs < 1)
        jobs = 1;
    if ((size_t)jobs > n)
        jobs = n ? (int)n : 1;
    return jobs;
}

void parse_run(parse_job *jobs, size_t n, const parse_options *o)
{
    /* libclang parses on a thread of its own with a small stack unless
       told not to; ours have PARSE_STACK_SIZE.  A user's own setting
       wins. */
    setenv("LIBCLANG_NOTHREADS", "1", 0);
    /* libclang applies -working-directory by moving the whole process
       (when it parses in this process). */
    char *cwd = getcwd(NULL, 0);
    pool pl = {.jobs = jobs, .n = n, .o = o};
    pthread_mutex_init(&pl.lock, NULL);
    int count = thread_count(o->jobs, n);
    pthread_t *threads = calloc((size_t)count, sizeof *threads);
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, PARSE_STACK_SIZE);
    int started = 0;
    for (int i = 0; threads && i < count; i++)
        if (pthread_create(&threads[i], &attr, parse_thread, &pl) == 0)
            started++;
    if (started == 0) /* no threads to be had: do it here */
        parse_thread(&pl);
    for (int i = 0; i < started; i++)
        pthread_join(threads[i], NULL);
    pthread_attr_destroy(&attr);
    free(threads);
    pthread_mutex_destroy(&pl.lock);
    if (cwd && chdir(cwd) != 0)
        fprintf(stderr, "shapecheck: warning: cannot return to %s\n", cwd);
    free(cwd);
}
