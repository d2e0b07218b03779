/*
 * notes.c - the notes under a finding that tell where each shape came
 * from: the declaration (with the values its symbols took), the
 * assignments and calls it went through, and where each value was set.
 * Short on purpose: the essential chain, not every step.
 */
#include <string.h>

#include "notes.h"

#define NOTE_CHAIN_MAX 3

/* ", B = 32, C = 10" for the values a shape used. */
static const char *values_suffix(analysis *an, const shape_origin *o)
{
    const char *s = "";
    for (int i = 0; i < o->n_values; i++)
        s = arena_printf(an->arena, "%s, %s = %s", s, o->values[i].name,
                         o->values[i].value);
    return s;
}

static void add_note_once(analysis *an, diag *d, sc_loc loc, const char *msg)
{
    for (size_t i = 0; i < d->n_notes; i++)
        if (d->notes[i].loc.line == loc.line &&
            d->notes[i].loc.col == loc.col &&
            strcmp(d->notes[i].loc.file ? d->notes[i].loc.file : "",
                   loc.file ? loc.file : "") == 0 &&
            strcmp(d->notes[i].message, msg) == 0)
            return;
    diag_add_note(an->diags, d, loc, "%s", msg);
}

static const char *origin_text(analysis *an, const shape_origin *o)
{
    switch (o->kind) {
    case ORIGIN_DECLARED:
    case ORIGIN_PARAM:
        return arena_printf(an->arena, "'%s' declared with shape %s%s", o->name,
                            o->written, values_suffix(an, o));
    case ORIGIN_ARRAY:
        return arena_printf(an->arena,
                            "'%s' declared as an array of shape %s%s", o->name,
                            o->written, values_suffix(an, o));
    case ORIGIN_ASSIGNED:
        return arena_printf(an->arena, "'%s' takes its shape %s from '%s'",
                            o->name, o->written, o->from ? o->from->name : "?");
    case ORIGIN_INFERRED:
        return arena_printf(an->arena,
                            "'%s' has shape %s, inferred from the call to '%s'",
                            o->name, o->written, o->callee);
    case ORIGIN_RETURNED:
        return arena_printf(an->arena, "'%s' has shape %s, returned by '%s'%s",
                            o->name, o->written, o->callee,
                            values_suffix(an, o));
    case ORIGIN_ALLOCATED:
        return arena_printf(an->arena,
                            "'%s' holds %s elements, allocated by "
                            "'%s'%s",
                            o->name, o->written, o->callee,
                            values_suffix(an, o));
    case ORIGIN_CALLEE_RETURN:
        return arena_printf(an->arena, "'%s' returns %s here%s%s%s", o->name,
                            o->written, o->callee ? " (shape from '" : "",
                            o->callee ? o->callee : "", o->callee ? "')" : "");
    }
    return "";
}

static const char *value_text(analysis *an, const value_note *v)
{
    return arena_printf(an->arena, "%s %s %s here", v->name,
                        v->how ? v->how : "set to", v->value);
}

void note_value(analysis *an, diag *d, const value_note *v)
{
    if (!v || !v->loc.file)
        return;
    /* The value and where it came from, a few steps at most. */
    for (int depth = 0; v && v->loc.file && depth < NOTE_CHAIN_MAX;
         depth++, v = v->from)
        add_note_once(an, d, v->loc, value_text(an, v));
}

void origin_lines(analysis *an, const shape_origin *o, origin_line_fn *fn,
                  void *ud)
{
    for (int depth = 0; o && depth < NOTE_CHAIN_MAX; depth++, o = o->from) {
        fn(ud, o->loc, origin_text(an, o));
        for (int i = 0; i < o->n_values; i++)
            for (const value_note *v = &o->values[i]; v && v->loc.file;
                 v = v->from)
                fn(ud, v->loc, value_text(an, v));
    }
}

typedef struct note_target {
    analysis *an;
    diag *d;
} note_target;

static void add_line_as_note(void *ud, sc_loc loc, const char *text)
{
    note_target *t = ud;
    add_note_once(t->an, t->d, loc, text);
}

void note_origin(analysis *an, diag *d, const shape_origin *o)
{
    note_target t = {an, d};
    origin_lines(an, o, add_line_as_note, &t);
}

void note_param(analysis *an, diag *d, const signature *sig, uint32_t i)
{
    const sig_param *sp = &sig->params[i];
    if (sp->via)
        diag_add_note(an->diags, d, sp->loc,
                      "'%s' passes its parameter '%s' to '%s', which needs "
                      "shape %s",
                      sig->name, sp->name, sp->via, sp->written);
    else
        diag_add_note(an->diags, d, sp->loc,
                      "parameter '%s' of '%s' declared with shape %s", sp->name,
                      sig->name, sp->written);
}

/* Explains an argument's shape: the origin of its extent (or of what it
   was seen to hold), or the parameter it is read through and how the
   parameter's symbols were bound. */
void note_argument(analysis *an, diag *d, const call_result *r, uint32_t i)
{
    const call_arg *a = &r->args[i];
    if (a->extent.shape || a->observed.shape) {
        note_origin(an, d,
                    a->extent.shape ? a->extent.origin : a->observed.origin);
        return;
    }
    note_param(an, d, r->sig, i);
    for (uint32_t k = 0; k < r->n_bindings; k++) {
        const binding *b = &r->bindings[k];
        if (b->arg == (int)i || b->arg < 0) /* < 0: a static local's */
            continue;
        const call_arg *by = &r->args[b->arg];
        if (b->dim < 0)
            note_value(an, d, by->int_note);
        else
            note_origin(an, d, by->extent.origin);
    }
}

typedef struct sym_seen {
    const call_result *r;
    analysis *an;
    diag *d;
} sym_seen;

static void note_symbol(void *ud, dim_sym s)
{
    sym_seen *ss = ud;
    const binding *b = call_binding(ss->r, s);
    if (b && b->dim < 0 && b->arg >= 0)
        note_value(ss->an, ss->d, ss->r->args[b->arg].int_note);
}

void note_bindings(analysis *an, diag *d, const call_result *r, uint32_t i,
                   int dim)
{
    const shape *p = i < r->sig->n_params ? r->sig->params[i].shape : NULL;
    sym_seen ss = {r, an, d};
    for (uint32_t k = 0; p && k < p->rank; k++)
        if (p->dims[k] && (dim < 0 || (uint32_t)dim == k))
            dim_poly_symbols(p->dims[k], note_symbol, &ss);
}
