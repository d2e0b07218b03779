/*
 * function.c - one walk of one function body: its parameters at entry,
 * the statements, and the summary read from its exits.
 */
#include <stdio.h>

#include "walk.h"

/* A pointer parameter points, at entry, to what its caller passed; a SHAPE
   on it is the extent of that buffer. */
static void enter_pointer(walk *w, uint32_t i, loc_id loc)
{
    const ir_decl *p = w->f->params[i];
    ptset *pts = arena_alloc(w->scratch, sizeof *pts);
    pts->n = 1, pts->maybe_null = true;
    pts->targets[0] = loc_entry(w, loc);
    aval v = {.pts = pts};
    const sig_param *sp =
        w->sig && i < w->sig->n_params ? &w->sig->params[i] : NULL;
    if (sp && sp->shape && !sp->via) {
        shape_origin *o = names_origin(w, ORIGIN_PARAM, sp->loc, p->name);
        o->written = sp->written;
        v.extent = (shaped){sp->shape, o};
    }
    cell_replace(w, loc, aval_new(w, &v));
}

static void enter_params(walk *w)
{
    const ir_func *f = w->f;
    for (uint32_t i = 0; i < f->n_params; i++) {
        const ir_decl *p = f->params[i];
        loc_id loc = loc_var(w, p);
        if (p->type.cls == IR_TYPE_INT) {
            /* Walked from main: the one call's constant, noted there. */
            const entry_context *e = w->entry;
            bool known = e && i < e->n_args && e->arg_known[i];
            const dim_poly *sym = known ? dim_const(w->an->dims, e->args[i])
                                        : summary_param_symbol(w, i);
            const value_note *note =
                known ? names_set_note(w, p->name, sym, e->call) : NULL;
            cell_replace(w, loc, aval_int(w, sym, note));
        } else if (p->type.cls == IR_TYPE_POINTER) {
            enter_pointer(w, i, loc);
        }
        names_observe(w, SHAPE_EVENT_DECLARED, p, p->loc,
                      cell_read(w, loc)->extent);
    }
    /* The annotations' free symbols are the body's: a local's SHAPE(N)
       names the N its parameters bind. */
    const signature *sig = w->sig;
    for (uint32_t k = 0; sig && k < sig->n_free; k++) {
        const char *name = dim_sym_name(w->an->dims, sig->free_syms[k]);
        if (!strmap_get(&w->free_syms, name))
            strmap_put(&w->free_syms, arena_strdup(w->scratch, name),
                       (void *)dim_symbol(w->an->dims, sig->free_syms[k]));
    }
}

/* One walk; ENTRY (NULL: none) is what every run knows at its entry. */
static signature *walk_body(analysis *an, const ir_func *f,
                            const signature *annotated,
                            const entry_context *entry)
{
    if (!f->body)
        return NULL;
    static const walk_ops ops = {.call = call_eval, .refine = stmt_refine};
    walk w = {.ops = &ops,
              .an = an,
              .f = f,
              .sig = annotated,
              .entry = entry,
              .capture = entry != NULL,
              .unroll_left = WALK_UNROLL_PASSES};
    if (!an->scratch)
        an->scratch = arena_new();
    w.scratch = an->scratch;
    memory_init(&w);
    strmap_init(&w.free_syms, w.scratch);
    w.declared = arena_array(w.scratch, f->n_locals + 1, sizeof *w.declared);
    collect_init(&w);
    enter_params(&w);
    stmt_walk(&w, f->body);
    collect_exit(&w);
    signature *sig = collect_finish(&w);
    an->work += w.steps;
    if (w.over_budget && an->verbose)
        fprintf(an->verbose,
                "shapecheck: %s:%u: '%s' is past the analysis's work budget: "
                "its result is unknown (docs/limits.md)\n",
                f->loc.file ? f->loc.file : "?", f->loc.line, f->name);
    arena_reset(w.scratch);
    return sig;
}

signature *engine_walk_function(analysis *an, const ir_func *f,
                                const signature *annotated)
{
    return walk_body(an, f, annotated, NULL);
}

void engine_walk_entered(analysis *an, const ir_func *f,
                         const signature *annotated, const entry_context *entry)
{
    walk_body(an, f, annotated, entry);
}
