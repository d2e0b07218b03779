/*
 * demand.c - which bodies a run must walk (engine.h, docs/summaries.md).
 *
 * A finding is made at a call of a function whose signature gives a
 * parameter a shape (every rule compares a parameter's view with an
 * argument: analysis/call.c), or where a body reads a declaration with an
 * annotation (a malformed or misplaced SHAPE is reported then).  So a
 * body matters when it calls such a function (annotated, read from a
 * summary, or one whose own body calls such a function: its summary may
 * infer shapes for its parameters), or reads an annotated declaration;
 * and so does every body it calls, since its walk uses their summaries.
 * The rest need no walk: nothing in them can be reported, and no body
 * that is walked calls them.  Their signatures stay what their
 * annotations say.
 *
 * A run that publishes signatures (an editor's hover, summary files, the
 * cache) walks every body; the project index records which functions
 * were left unwalked, so that a run that needs one of them reads that
 * unit's facts (driver/units.c).
 */
#include <string.h>

#include "engine.h"

typedef struct demand {
    analysis *an;
    const ir_node **todo; /* nodes of the body being scanned */
    uint32_t n_todo, cap_todo;
    func_group **work; /* needed groups whose bodies are not scanned yet */
    uint32_t n_work, cap_work;
    bool changed;      /* a group became shaped this round */
    bool calls_shaped; /* the body scanned calls a shaped group */
} demand;

static bool gives_shapes(const signature *sig)
{
    for (uint32_t i = 0; sig && i < sig->n_params; i++)
        if (sig->params[i].shape)
            return true;
    return false;
}

static bool annotated_decl(const ir_node *x)
{
    return (x->kind == IR_VAR || x->kind == IR_MEMBER ||
            x->kind == IR_DECLSTMT) &&
           x->decl && x->decl->n_annotations;
}

static void push_node(demand *d, const ir_node *x)
{
    d->todo = arena_grow(d->an->arena, d->todo, d->n_todo, &d->cap_todo,
                         sizeof *d->todo);
    d->todo[d->n_todo++] = x;
}

/* What G's bodies call directly: FN(D, G, callee) for each call; returns
   whether they read an annotated declaration.  Not reentrant: FN must
   not scan. */
static bool scan_bodies(demand *d, func_group *g,
                        void (*fn)(demand *, func_group *, func_group *))
{
    bool reads_annotation = false;
    for (uint32_t k = 0; k < g->n; k++) {
        d->n_todo = 0;
        const ir_func *f = g->decls[k];
        for (uint32_t i = 0; i < f->n_calls; i++) { /* a deferred body */
            func_group *c = func_group_of(d->an, f->calls[i]);
            if (c)
                fn(d, g, c);
        }
        if (f->body)
            push_node(d, f->body);
        while (d->n_todo) {
            const ir_node *x = d->todo[--d->n_todo];
            if (!x)
                continue;
            reads_annotation = reads_annotation || annotated_decl(x);
            if (x->kind == IR_CALL && x->callee) {
                func_group *c = func_group_of(d->an, x->callee);
                if (c)
                    fn(d, g, c);
            }
            for (uint32_t i = 0; i < x->n_kids; i++)
                push_node(d, x->kids[i]);
        }
    }
    return reads_annotation;
}

static void note_shaped_callee(demand *d, func_group *caller, func_group *c)
{
    if (c->shaped && !caller->shaped)
        caller->shaped = d->changed = true;
}

static void need(demand *d, func_group *g)
{
    if (g->needed)
        return;
    g->needed = true;
    d->work = arena_grow(d->an->arena, d->work, d->n_work, &d->cap_work,
                         sizeof *d->work);
    d->work[d->n_work++] = g;
}

/* C is a callee of CALLER, a needed group: needed too, and remembered
   (summary_imports_json: what CALLER's summary depends on). */
static void need_callee(demand *d, func_group *caller, func_group *c)
{
    caller->callees =
        arena_grow(d->an->arena, caller->callees, caller->n_callees,
                   &caller->cap_callees, sizeof *caller->callees);
    caller->callees[caller->n_callees++] = c;
    need(d, c);
}

/* Every body a needed one calls, transitively. */
static void need_callees(demand *d)
{
    while (d->n_work) {
        func_group *g = d->work[--d->n_work];
        scan_bodies(d, g, need_callee);
    }
}

static void note_calls_shaped(demand *d, func_group *caller, func_group *c)
{
    (void)caller;
    d->calls_shaped = d->calls_shaped || c->shaped;
}

void demand_mark(analysis *an, func_group *const *order, uint32_t n_order,
                 const char *const *roots, size_t n_roots, bool all)
{
    demand d = {.an = an};
    if (all) {
        for (uint32_t i = 0; i < n_order; i++)
            need(&d, order[i]);
        need_callees(&d);
        return;
    }
    /* Every group: those with no body count by their signature only. */
    for (uint32_t t = 0; t < an->n_tus; t++)
        for (uint32_t i = 0; i < an->tus[t]->n_funcs; i++) {
            func_group *g = func_group_of(an, an->tus[t]->funcs[i]);
            if (g)
                g->shaped = gives_shapes(g->sig), g->needed = false;
        }
    /* Callees come first in ORDER: one round settles all but cycles. */
    do {
        d.changed = false;
        for (uint32_t i = 0; i < n_order; i++)
            if (!order[i]->shaped)
                scan_bodies(&d, order[i], note_shaped_callee);
    } while (d.changed);
    for (uint32_t i = 0; i < n_order; i++) {
        d.calls_shaped = false;
        bool reads_annotation = scan_bodies(&d, order[i], note_calls_shaped);
        if (d.calls_shaped || reads_annotation)
            need(&d, order[i]);
    }
    for (size_t i = 0; i < n_roots; i++) {
        func_group *g = strmap_get(&an->funcs_by_key, roots[i]);
        if (g)
            need(&d, g);
    }
    need_callees(&d);
}
