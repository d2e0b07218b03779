/*
 * program.c - the analysis of a whole program: every function's
 * signature from its annotations (so a malformed annotation is reported
 * even when nothing calls the function), then the bodies that matter
 * (demand.c; every body for a run that publishes signatures) walked,
 * callees before callers (the strongly connected components of the call graph
 * in reverse topological order), so that each call sees its callee's summary:
 * what it needs, returns, writes and keeps.  Calls inside a recursive cycle see
 * the annotations only, and so assume the worst. Signatures and summaries are
 * shared by all translation units: a call in one file is checked against a
 * function annotated or defined in another.
 */
#define _POSIX_C_SOURCE 200809L /* getcwd */

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "summary_io.h"
#include "walk.h"

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
        snprintf(err, sizeof err, "%s", strerror(errno));
        int rc = f ? summary_write(an, an->tus[t], f, err, sizeof err) : -1;
        if (f && fclose(f) != 0 && rc == 0) {
            snprintf(err, sizeof err, "%s", strerror(errno));
            rc = -1;
        }
        if (rc != 0) {
            fprintf(o->messages ? o->messages : stderr,
                    "shapecheck: error: cannot write summary %s: %s\n", path,
                    err);
            return 2;
        }
    }
    return 0;
}

/* ---- The call graph ------------------------------------------------------ */

/* The nodes still to look at while scanning a body: one buffer for the
   whole graph, grown as needed (bodies nest up to the front end's limit,
   so the scan is iterative). */
typedef struct node_stack {
    const ir_node **items;
    uint32_t n, cap;
} node_stack;

typedef struct graph {
    analysis *an;
    func_group **stack; /* Tarjan's stack */
    uint32_t n_stack, cap_stack;
    func_group **order; /* groups with a body, callees first */
    node_stack todo;
    uint32_t n_order, cap_order;
    uint32_t next_index;
} graph;

/* The groups with a body that F's body calls, in call order: pushed
   onto OUT (a scratch list of the graph). */
typedef struct callees {
    func_group **items;
    uint32_t n, cap;
} callees;

static void add_callee(analysis *an, const ir_func *callee, callees *out)
{
    func_group *g = func_group_of(an, callee);
    if (g && func_group_definition(g)) {
        out->items = arena_grow(an->arena, out->items, out->n, &out->cap,
                                sizeof *out->items);
        out->items[out->n++] = g;
    }
}

static void callees_of(analysis *an, node_stack *todo, const ir_node *body,
                       callees *out)
{
    todo->n = 0;
    todo->items = arena_grow(an->arena, todo->items, todo->n, &todo->cap,
                             sizeof *todo->items);
    todo->items[todo->n++] = body;
    while (todo->n) {
        const ir_node *x = todo->items[--todo->n];
        if (!x)
            continue;
        if (x->kind == IR_CALL && x->callee)
            add_callee(an, x->callee, out);
        for (uint32_t i = 0; i < x->n_kids; i++) {
            todo->items = arena_grow(an->arena, todo->items, todo->n,
                                     &todo->cap, sizeof *todo->items);
            todo->items[todo->n++] = x->kids[i];
        }
    }
}

static void push_order(graph *gr, func_group *g)
{
    gr->order = arena_grow(gr->an->arena, gr->order, gr->n_order,
                           &gr->cap_order, sizeof *gr->order);
    gr->order[gr->n_order++] = g;
}

/* One frame of the iterative depth-first search. */
typedef struct frame {
    func_group *g;
    callees next;
    uint32_t at;
} frame;

static void open_frame(graph *gr, frame *f, func_group *g)
{
    g->visited = true;
    g->index = g->low = gr->next_index++;
    gr->stack = arena_grow(gr->an->arena, gr->stack, gr->n_stack,
                           &gr->cap_stack, sizeof *gr->stack);
    gr->stack[gr->n_stack++] = g;
    g->on_stack = true;
    *f = (frame){g, {0}, 0};
    for (uint32_t i = 0; i < g->n; i++) {
        const ir_func *d = g->decls[i];
        if (d->body)
            callees_of(gr->an, &gr->todo, d->body, &f->next);
        for (uint32_t k = 0; k < d->n_calls; k++)
            add_callee(gr->an, d->calls[k], &f->next);
    }
}

/* A finished component: its groups leave the stack, callees first. */
static void close_component(graph *gr, func_group *root)
{
    func_group *g;
    do {
        g = gr->stack[--gr->n_stack];
        g->on_stack = false;
        push_order(gr, g);
    } while (g != root);
}

/* Tarjan's algorithm, without recursion (call chains can be 10,000 deep):
   components come out in reverse topological order, callees first. */
static void visit(graph *gr, func_group *start)
{
    frame *frames = NULL;
    uint32_t n = 0, cap = 0;
    frames = arena_grow(gr->an->arena, frames, n, &cap, sizeof *frames);
    open_frame(gr, &frames[n++], start);
    while (n) {
        frame *f = &frames[n - 1];
        if (f->at < f->next.n) {
            func_group *c = f->next.items[f->at++];
            if (!c->visited) {
                frames =
                    arena_grow(gr->an->arena, frames, n, &cap, sizeof *frames);
                open_frame(gr, &frames[n++], c);
            } else if (c->on_stack && c->index < f->g->low) {
                f->g->low = c->index;
            }
            continue;
        }
        func_group *g = f->g;
        if (g->low == g->index)
            close_component(gr, g);
        n--;
        if (n && g->low < frames[n - 1].g->low)
            frames[n - 1].g->low = g->low;
    }
}

/* ---- The walks ------------------------------------------------------------
 */

static diag_list *findings_of(analysis *an, const analysis_options *o,
                              const ir_tu *tu, diag_list *all)
{
    if (!o->per_tu)
        return all;
    for (uint32_t t = 0; t < an->n_tus; t++)
        if (an->tus[t] == tu)
            return &o->per_tu[t];
    return all;
}

/* Walks every body of G (a function defined in a header is walked with
   each TU that holds its body, for its findings there); the first walk's
   summary completes G's signature. */
static void walk_group(analysis *an, const analysis_options *o, func_group *g,
                       diag_list *all)
{
    const signature *derived = NULL;
    bool first = true;
    for (uint32_t i = 0; i < g->n; i++) {
        const ir_func *f = g->decls[i];
        if (!f->body)
            continue;
        an->diags = findings_of(an, o, f->tu, all);
        signature *s = engine_walk_function(an, f, g->annotated);
        if (first)
            derived = s;
        first = false;
    }
    g->sig = signature_merge(an, g->annotated, derived);
}

static void annotate_all(analysis *an, const analysis_options *o,
                         diag_list *all)
{
    for (uint32_t t = 0; t < an->n_tus; t++) {
        an->diags = findings_of(an, o, an->tus[t], all);
        for (uint32_t i = 0; i < an->tus[t]->n_funcs; i++) {
            func_group *g = func_group_of(an, an->tus[t]->funcs[i]);
            if (g->decls[0] == an->tus[t]->funcs[i])
                func_group_annotate(an, g);
        }
    }
}

/* Marks in O->needs_full the TUs of the needed bodies the front end
   deferred; returns whether there are any (a body is walked whole or
   not at all: such a run walks nothing, its caller parses those units in
   full and analyses again). */
static bool needs_deferred(analysis *an, const analysis_options *o,
                           const graph *gr)
{
    bool any = false;
    for (uint32_t k = 0; k < gr->n_order; k++) {
        const func_group *g = gr->order[k];
        for (uint32_t i = 0; g->needed && i < g->n; i++) {
            if (!g->decls[i]->body_deferred)
                continue;
            for (uint32_t t = 0; t < an->n_tus; t++)
                if (an->tus[t] == g->decls[i]->tu && o->needs_full)
                    o->needs_full[t] = true;
            any = true;
        }
    }
    return any;
}

/* Walks the bodies that matter; false when one of them was deferred. */
static bool walk_program(analysis *an, const analysis_options *o,
                         diag_list *all)
{
    graph gr = {.an = an};
    for (uint32_t t = 0; t < an->n_tus; t++)
        for (uint32_t i = 0; i < an->tus[t]->n_funcs; i++) {
            func_group *g = func_group_of(an, an->tus[t]->funcs[i]);
            if (!g->visited && func_group_definition(g))
                visit(&gr, g);
        }
    demand_mark(an, gr.order, gr.n_order, o->roots, o->n_roots,
                !o->walk_on_demand);
    if (needs_deferred(an, o, &gr))
        return false;
    engine_mark_entry(an);
    for (uint32_t k = 0; k < gr.n_order; k++)
        if (gr.order[k]->needed) {
            walk_group(an, o, gr.order[k], all);
            gr.order[k]->walked = true;
            if (o->counts)
                o->counts->walked++;
        }
    const ir_tu *entry = engine_entry_unit(an);
    if (entry) {
        an->diags = findings_of(an, o, entry, all);
        engine_walk_from_entry(an);
    }
    if (o->counts)
        o->counts->bodies += gr.n_order;
    return true;
}

static int analyze(ir_tu *const *tus, uint32_t n_tus, diag_list *diags,
                   const analysis_options *opts)
{
    analysis_options none = {0};
    const analysis_options *o = opts ? opts : &none;
    analysis an = {.tus = tus,
                   .n_tus = n_tus,
                   .diags = diags,
                   .observer = o->observer,
                   .verbose = o->verbose};
    an.arena = arena_new();
    an.dims = dim_ctx_new();
    strmap_init(&an.funcs_by_key, an.arena);
    strmap_init(&an.consts, an.arena);
    strmap_init(&an.external, an.arena);
    int status = read_summaries(&an, o);
    char err[1024];
    for (size_t i = 0; i < o->n_summary_texts && status == 0; i++)
        if (summary_read_text(&an, o->summary_texts[i], "cache", err,
                              sizeof err) != 0) {
            fprintf(o->messages ? o->messages : stderr,
                    "shapecheck: error: %s\n", err);
            status = 2;
        }
    signatures_group(&an);
    annotate_all(&an, o, diags);
    bool walked = walk_program(&an, o, diags);
    an.diags = diags;
    if (walked && o->write_summaries_dir && status == 0)
        status = write_summaries(&an, o);
    if (walked && o->finished)
        o->finished(o->finished_ud, &an);
    dim_ctx_free(an.dims);
    arena_free(an.scratch);
    arena_free(an.arena);
    return status;
}

/* ---- Room to recurse ---------------------------------------------------- */

/* The walk of a body recurses once per nesting level of its statements and
   expressions (the front end accepts up to 2,000); a loop's rounds and a
   statement's joins add frames of their own (tests/limits measure it).  The
   analysis therefore runs on a thread of its own with room to spare, whatever
   stack the caller has (8 MB for a process's main thread, often less for a
   library user's threads). */
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
