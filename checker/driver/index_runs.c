/*
 * index_runs.c - the language server's runs over the project index (see
 * index_runs.h).
 */
#include "index_runs.h"

#include <stdlib.h>
#include <unistd.h>

#include "driver.h"

/* The driver options of a run over FILES with the index's settings. */
static driver_options run_options(sc_index *ix, const char *const *files,
                                  size_t n_files)
{
    const index_options *o = index_settings(ix);
    return (driver_options){
        .build_dir = index_build_dir(ix),
        .files = files,
        .n_files = n_files,
        .models = o->models,
        .n_models = o->n_models,
        .extra_args = o->extra_args,
        .n_extra_args = o->n_extra_args,
        .extra_args_before = o->extra_args_before,
        .n_extra_args_before = o->n_extra_args_before,
        .jobs = o->jobs,
        .messages = o->messages,
        .index = ix,
    };
}

/* index_refresh's progress, through the driver's: a false answer stops
   the refresh after the batch under way. */
typedef struct refresh_state {
    index_progress_fn fn;
    void *ud;
    size_t done, total;
    bool stop;
} refresh_state;

static void refresh_progress(void *ud, size_t done, size_t total,
                             const char *file)
{
    (void)done, (void)total;
    refresh_state *r = ud;
    r->done++;
    if (r->fn && !r->fn(r->ud, r->done, r->total, file))
        r->stop = true;
}

int index_refresh(sc_index *ix, index_progress_fn progress, void *ud)
{
    size_t n_units = index_n_units(ix);
    const char **stale = calloc(n_units + 1, sizeof *stale);
    if (!stale)
        return SC_EXIT_TROUBLE;
    size_t n = 0;
    index_new_run(ix);
    /* The language server walks every body: facts whose bodies a
       command-line run left unconverted are read again, once, here. */
    for (size_t i = 0; i < n_units; i++)
        if (!index_unit_fresh(ix, i) || index_unit_deferred(ix, i))
            stale[n++] = index_unit_file(ix, i);
    refresh_state r = {progress, ud, 0, n, false};
    driver_options o = run_options(ix, stale, n);
    o.progress = refresh_progress;
    o.progress_ud = &r;
    int status = SC_EXIT_CLEAN;
    driver *d = n ? driver_new(&o, &status) : NULL;
    /* In batches of one unit per thread, so that a stop is heard soon. */
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    size_t batch = o.jobs > 0 ? (size_t)o.jobs : cores > 0 ? (size_t)cores : 1;
    for (size_t at = 0; d && at < driver_n_commands(d) && !r.stop;
         at += batch) {
        int parsed = driver_store_units(d, at, batch);
        status = status > parsed ? status : parsed;
    }
    driver_free(d);
    free(stale);
    return status;
}

int index_analyse(sc_index *ix, const index_document *docs, size_t n_docs,
                  diag_list *list, struct shape_fact_list *facts)
{
    const char **files = calloc(n_docs + 1, sizeof *files);
    if (!files)
        return SC_EXIT_TROUBLE;
    for (size_t i = 0; i < n_docs; i++)
        files[i] = docs[i].path;
    driver_options o = run_options(ix, files, n_docs);
    o.index_read_only = true;
    int status;
    driver *d = driver_new(&o, &status);
    for (size_t i = 0; d && i < n_docs; i++)
        if (docs[i].text)
            driver_set_unsaved(d, docs[i].path, docs[i].text, docs[i].length);
    if (d) {
        int ran = driver_run_collect(d, list, facts);
        status = status > ran ? status : ran;
    }
    driver_free(d);
    free(files);
    return status;
}
