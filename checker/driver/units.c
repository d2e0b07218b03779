/*
 * units.c - facts files and the index's units joining a run's program
 * (units.h).  Files are read in parallel threads: decoding is the link
 * step's main cost.
 */
#define _POSIX_C_SOURCE 200809L

#include "units.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "driver.h"
#include "ir_io.h"
#include "shape_facts.h"
#include "summary_io.h"

/* ---- Reading in parallel ----------------------------------------------- */

typedef struct load_job {
    const char *path; /* a facts file, or the unit's source */
    long unit;        /* the index's unit, or -1 for a facts file */
    ir_tu *tu;
    char err[1024];
} load_job;

typedef struct load_pool {
    load_job *jobs;
    size_t n, next; /* NEXT under LOCK */
    pthread_mutex_t lock;
    const units_inputs *in;
} load_pool;

static void *load_worker(void *arg)
{
    load_pool *p = arg;
    for (;;) {
        pthread_mutex_lock(&p->lock);
        size_t i = p->next++;
        pthread_mutex_unlock(&p->lock);
        if (i >= p->n)
            return NULL;
        load_job *j = &p->jobs[i];
        j->tu = j->unit < 0 ? ir_tu_read_file(j->path, p->in->root, j->err,
                                              sizeof j->err)
                            : index_load(p->in->index, (size_t)j->unit,
                                         p->in->root, j->err, sizeof j->err);
    }
}

static void load_all(load_job *jobs, size_t n, const units_inputs *in)
{
    load_pool pool = {.jobs = jobs, .n = n, .in = in};
    pthread_mutex_init(&pool.lock, NULL);
    long threads = in->jobs > 0 ? in->jobs : sysconf(_SC_NPROCESSORS_ONLN);
    if (threads > (long)n)
        threads = (long)n;
    pthread_t *ids = calloc((size_t)(threads > 0 ? threads : 1), sizeof *ids);
    long started = 0;
    for (long i = 0; ids && i < threads; i++)
        if (pthread_create(&ids[i], NULL, load_worker, &pool) == 0)
            started++;
    load_worker(&pool); /* this thread helps, and does it all if alone */
    for (long i = 0; i < started; i++)
        pthread_join(ids[i], NULL);
    free(ids);
    pthread_mutex_destroy(&pool.lock);
}

/* ---- The index's units --------------------------------------------------- */

/* PATH as findings name it: relative to ROOT when under it. */
static const char *shown(const units_inputs *in, const char *path)
{
    size_t n = in->root ? strlen(in->root) : 0;
    if (n && strncmp(path, in->root, n) == 0 && path[n] == '/')
        return path + n + 1;
    return path;
}

/* Marks the units the run parses itself; returns how many others. */
static size_t mark_own_units(const units_inputs *in, bool *own)
{
    size_t n_units = index_n_units(in->index), others = n_units;
    for (size_t i = 0; i < in->n_cmds; i++) {
        long k =
            index_unit_of(in->index, in->cmds[i]->file, in->cmds[i]->directory);
        if (k >= 0 && !own[k]) {
            own[k] = true;
            others--;
        }
    }
    return others;
}

/* Says, once, what the program lacks: no index at all, or some units with
   no fresh entry. */
static void tell_missing(const units_inputs *in, size_t others, size_t missing,
                         bool exists)
{
    const char *dir = shown(in, index_dir(in->index));
    const char *build = shown(in, index_build_dir(in->index));
    if (!exists)
        fprintf(in->messages,
                "shapecheck: note: no project index in %s (a run of "
                "'shapecheck -p %s' makes it): analysing without the other "
                "%zu units of %s/compile_commands.json\n",
                dir, build, others, build);
    else if (missing)
        fprintf(in->messages,
                "shapecheck: note: %zu of the other %zu units have no fresh "
                "entry in %s: analysing without them ('shapecheck -p %s' "
                "refreshes the index)\n",
                missing, others, dir, build);
}

/* Unit K's stored summary joins U, when IN allows it and there is one. */
static bool take_summary(run_units *u, const units_inputs *in, size_t k)
{
    unit_summary *us = &u->summaries[u->n_summaries];
    if (!in->summaries || !index_load_summary(in->index, k, &us->s))
        return false;
    us->unit = (long)k;
    u->n_summaries++;
    return true;
}

/* The fresh entries of the units the run does not parse, in the
   database's order: their summaries into U, or jobs that load their
   facts.  "No index" is when none of them has an entry at all (the run's
   own units may have just been stored). */
static size_t plan_context(run_units *u, const units_inputs *in, load_job *jobs)
{
    size_t n_units = index_n_units(in->index), n = 0;
    bool *own = calloc(n_units + 1, sizeof *own);
    u->summaries = calloc(n_units + 1, sizeof *u->summaries);
    if (!own || !u->summaries) {
        free(own);
        return 0;
    }
    size_t others = mark_own_units(in, own), missing = 0;
    bool exists = false;
    for (size_t k = 0; k < n_units; k++) {
        if (own[k])
            continue;
        if (index_unit_fresh(in->index, k)) {
            if (!take_summary(u, in, k))
                jobs[n++] = (load_job){.path = index_unit_file(in->index, k),
                                       .unit = (long)k};
            exists = true;
        } else {
            missing++;
            exists = exists || index_unit_has_entry(in->index, k);
        }
    }
    if (others)
        tell_missing(in, others, missing, exists);
    free(own);
    return n;
}

/* ---- Gathering ------------------------------------------------------------
 */

static void add_compiler_errors(diag_list *list, const ir_tu *tu)
{
    for (uint32_t i = 0; i < tu->n_diags; i++)
        if (tu->diags[i].severity == IR_SEV_ERROR)
            diag_add(list, NULL, tu->diags[i].loc, "%s", tu->diags[i].text)
                ->severity = SC_SEV_ERROR;
}

/* The facts files' units join the reported ones; the index's, the rest. */
static int take_loaded(run_units *u, load_job *jobs, size_t n, size_t n_facts,
                       const units_inputs *in, diag_list *list)
{
    int status = SC_EXIT_CLEAN;
    for (size_t i = 0; i < n; i++) {
        load_job *j = &jobs[i];
        if (!j->tu && i < n_facts) {
            fprintf(in->messages, "shapecheck: error: %s\n", j->err);
            status = SC_EXIT_TROUBLE;
        } else if (!j->tu) {
            fprintf(in->messages,
                    "shapecheck: warning: %s: its index entry cannot be "
                    "read, analysing without it: %s\n",
                    shown(in, j->path), j->err);
        } else {
            if (i < n_facts && j->tu->has_errors) {
                add_compiler_errors(list, j->tu);
                status = SC_EXIT_TROUBLE;
            }
            u->unit_of[u->n_tus] = j->unit;
            u->tus[u->n_tus++] = j->tu;
        }
        if (i + 1 == n_facts)
            u->n_reported = u->n_tus;
    }
    return status;
}

int units_gather(run_units *u, ir_tu *const *parsed, uint32_t n_parsed,
                 const units_inputs *in, diag_list *list)
{
    memset(u, 0, sizeof *u);
    u->index = in->index;
    u->root = in->root;
    u->messages = in->messages;
    size_t cap = in->n_facts + (in->index ? index_n_units(in->index) : 0);
    load_job *jobs = calloc(cap + 1, sizeof *jobs);
    u->convert_all = in->convert_all;
    u->convert_ud = in->convert_ud;
    u->tus = calloc(n_parsed + cap + 1, sizeof *u->tus);
    u->unit_of = calloc(n_parsed + cap + 1, sizeof *u->unit_of);
    if (!jobs || !u->tus || !u->unit_of) {
        free(jobs);
        return SC_EXIT_TROUBLE;
    }
    for (uint32_t i = 0; i < n_parsed; i++) {
        u->unit_of[u->n_tus] = -1;
        u->tus[u->n_tus++] = parsed[i];
    }
    u->n_parsed = u->n_reported = n_parsed;
    size_t n = 0;
    for (size_t i = 0; i < in->n_facts; i++)
        jobs[n++] = (load_job){.path = in->facts[i], .unit = -1};
    if (in->index)
        n += plan_context(u, in, jobs + n);
    load_all(jobs, n, in);
    int status = take_loaded(u, jobs, n, in->n_facts, in, list);
    u->n_from_facts = n - in->n_facts;
    free(jobs);
    return status;
}

/* ---- Analysing --------------------------------------------------------------
 */

typedef struct reported_only {
    const shape_observer *inner;
    const run_units *u;
} reported_only;

static bool is_reported(const run_units *u, const ir_tu *tu)
{
    for (uint32_t i = 0; i < u->n_reported; i++)
        if (u->tus[i] == tu)
            return true;
    return false;
}

static void observe_reported(void *ud, analysis *an, const shape_event *e)
{
    const reported_only *r = ud;
    if (!e->func || is_reported(r->u, e->func->tu))
        r->inner->fn(r->inner->ud, an, e);
}

/* One analysis of U's units and summaries into LIST. */
static int analyse_once(const run_units *u, diag_list *list,
                        const analysis_options *ao)
{
    if (ao->needs_full)
        memset(ao->needs_full, 0, u->n_tus * sizeof *ao->needs_full);
    if (u->n_reported == u->n_tus)
        return analyze_program(u->tus, u->n_tus, list, ao);
    analysis_options o = *ao;
    diag_list *per_tu = calloc(u->n_tus, sizeof *per_tu);
    if (!per_tu)
        return SC_EXIT_TROUBLE;
    for (uint32_t t = 0; t < u->n_tus; t++)
        diag_list_init(&per_tu[t]);
    o.per_tu = per_tu;
    reported_only filter = {ao->observer, u};
    shape_observer observer = {observe_reported, &filter};
    if (ao->observer)
        o.observer = &observer;
    int status = analyze_program(u->tus, u->n_tus, list, &o);
    for (uint32_t t = 0; t < u->n_tus; t++) {
        for (size_t k = 0; t < u->n_reported && k < per_tu[t].n; k++)
            diag_copy(list, &per_tu[t].items[k]);
        diag_list_free(&per_tu[t]);
    }
    free(per_tu);
    return status;
}

/* TU's deferred bodies stay unread: its functions count as declared
   only (their calls are unknown, never guessed). */
static void forget_deferred(ir_tu *tu)
{
    for (uint32_t i = 0; i < tu->n_funcs; i++) {
        tu->funcs[i]->body_deferred = false;
        tu->funcs[i]->n_calls = 0;
    }
}

/* The units whose deferred bodies the last analysis needed (NEEDS) are
   parsed again in full and take their places; one that cannot be keeps
   them unread.  Returns whether there was any. */
static bool convert_needed(run_units *u, const bool *needs)
{
    uint32_t n = 0;
    for (uint32_t t = 0; t < u->n_tus; t++)
        n += needs[t];
    if (n == 0)
        return false;
    ir_tu **tus = calloc(n, sizeof *tus);
    long *units = calloc(n, sizeof *units);
    uint32_t k = 0;
    for (uint32_t t = 0; tus && units && t < u->n_tus; t++)
        if (needs[t]) {
            tus[k] = u->tus[t];
            units[k++] = u->unit_of[t];
        }
    if (k == n && u->convert_all)
        u->convert_all(u->convert_ud, tus, units, n);
    else if (tus)
        memset(tus, 0, n * sizeof *tus);
    for (uint32_t t = 0, i = 0; t < u->n_tus; t++) {
        if (!needs[t])
            continue;
        ir_tu *full = tus && i < k ? tus[i] : NULL;
        i++;
        if (!full) {
            fprintf(u->messages,
                    "shapecheck: warning: %s: its function bodies could not "
                    "be read in full; analysing without them\n",
                    u->tus[t]->main_file);
            forget_deferred(u->tus[t]);
            continue;
        }
        if (t >= u->n_parsed)
            ir_tu_free(u->tus[t]); /* a parsed one the caller replaced */
        u->tus[t] = full;
        u->n_converted++;
    }
    free(units);
    free(tus);
    return true;
}

/* analyse_once until no deferred body is needed (each round converts or
   gives up on at least one unit). */
static int analyse_converting(run_units *u, diag_list *list,
                              const analysis_options *ao)
{
    bool *needs = calloc(u->n_tus + 1, sizeof *needs);
    if (!needs)
        return SC_EXIT_TROUBLE;
    analysis_options o = *ao;
    o.needs_full = needs;
    int status;
    diag_list found; /* the last round's: an earlier one stops part way */
    diag_list_init(&found);
    do {
        diag_list_free(&found);
        diag_list_init(&found);
        if (ao->counts)
            *ao->counts = (struct analysis_counts){0, 0};
        status = analyse_once(u, &found, &o);
    } while (status == SC_EXIT_CLEAN && convert_needed(u, needs));
    for (size_t k = 0; k < found.n; k++)
        diag_copy(list, &found.items[k]);
    diag_list_free(&found);
    free(needs);
    return status;
}

/* An analysis with summaries: which of them are out of date. */
typedef struct summaries_check {
    run_units *u;
    bool *stale; /* per summary */
    bool any_stale;
    const analysis_options *ao;
} summaries_check;

static void check_summaries(void *ud, analysis *an)
{
    summaries_check *c = ud;
    for (size_t i = 0; i < c->u->n_summaries; i++) {
        const index_summary *s = &c->u->summaries[i].s;
        if (!summary_imports_current(an, s->imports) ||
            summary_unwalked_needed(an, s->unwalked))
            c->stale[i] = c->any_stale = true;
    }
    if (!c->any_stale && c->ao->finished)
        c->ao->finished(c->ao->finished_ud, an);
}

/* The stale summaries' units join U by their facts instead. */
static void load_stale(run_units *u, const bool *stale)
{
    size_t kept = 0;
    for (size_t i = 0; i < u->n_summaries; i++) {
        unit_summary *s = &u->summaries[i];
        if (!stale[i]) {
            u->summaries[kept++] = *s;
            continue;
        }
        char err[1024];
        ir_tu *tu =
            index_load(u->index, (size_t)s->unit, u->root, err, sizeof err);
        if (tu) {
            u->unit_of[u->n_tus] = s->unit;
            u->tus[u->n_tus++] = tu;
            u->n_from_facts++;
        } else {
            fprintf(u->messages,
                    "shapecheck: warning: %s: its index entry cannot be "
                    "read, analysing without it: %s\n",
                    index_unit_file(u->index, (size_t)s->unit), err);
        }
        index_summary_free(&s->s);
    }
    u->n_summaries = kept;
}

/* The functions the summaries' walked bodies called: their signatures
   must be what those walks saw, so they are walked here too (a malloc'd
   array of keys, owned by the summaries). */
static const char **summary_roots(const run_units *u, size_t *n)
{
    size_t cap = 1;
    for (size_t i = 0; i < u->n_summaries; i++)
        cap += (size_t)cJSON_GetArraySize(u->summaries[i].s.imports);
    const char **roots = calloc(cap, sizeof *roots);
    *n = 0;
    for (size_t i = 0; roots && i < u->n_summaries; i++) {
        const cJSON *im;
        cJSON_ArrayForEach(im, u->summaries[i].s.imports)
        {
            roots[(*n)++] =
                cJSON_GetObjectItemCaseSensitive(im, "key")->valuestring;
        }
    }
    return roots;
}

int units_analyse(run_units *u, diag_list *list, const analysis_options *ao)
{
    if (u->n_summaries == 0)
        return analyse_converting(u, list, ao);
    const char **texts =
        calloc(ao->n_summary_texts + u->n_summaries + 1, sizeof *texts);
    bool *stale = calloc(u->n_summaries + 1, sizeof *stale);
    int status = texts && stale ? SC_EXIT_CLEAN : SC_EXIT_TROUBLE;
    while (status == SC_EXIT_CLEAN) {
        size_t n = 0;
        for (size_t i = 0; i < ao->n_summary_texts; i++)
            texts[n++] = ao->summary_texts[i];
        for (size_t i = 0; i < u->n_summaries; i++)
            texts[n++] = u->summaries[i].s.text;
        memset(stale, 0, (u->n_summaries + 1) * sizeof *stale);
        summaries_check check = {.u = u, .stale = stale, .ao = ao};
        analysis_options o = *ao;
        o.summary_texts = texts;
        o.n_summary_texts = n;
        const char **roots = summary_roots(u, &o.n_roots);
        o.roots = roots;
        o.finished = check_summaries;
        o.finished_ud = &check;
        diag_list found;
        diag_list_init(&found);
        if (ao->counts) /* the last analysis's */
            *ao->counts = (struct analysis_counts){0, 0};
        status = roots ? analyse_converting(u, &found, &o) : SC_EXIT_TROUBLE;
        free(roots);
        if (!check.any_stale || status != SC_EXIT_CLEAN) {
            for (size_t k = 0; k < found.n; k++)
                diag_copy(list, &found.items[k]);
            diag_list_free(&found);
            break;
        }
        diag_list_free(&found);
        load_stale(u, stale); /* at least one fewer summary each round */
    }
    free(texts);
    free(stale);
    return status;
}

void units_free(run_units *u)
{
    for (uint32_t t = u->n_parsed; t < u->n_tus; t++)
        ir_tu_free(u->tus[t]);
    free(u->tus);
    free(u->unit_of);
    for (size_t i = 0; i < u->n_summaries; i++)
        index_summary_free(&u->summaries[i].s);
    free(u->summaries);
    memset(u, 0, sizeof *u);
}
