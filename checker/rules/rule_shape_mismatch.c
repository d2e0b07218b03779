/*
 * rule_shape_mismatch.c - shape-mismatch: an argument whose buffer cannot
 * serve its parameter's SHAPE (SPEC 4): the view reads more rows or
 * elements than the buffer holds, an inner (or exact) dimension differs,
 * or one symbol is bound to two sizes.
 */
#include <string.h>

#include "analysis.h"
#include "notes.h"

static const char *format_shape(analysis *an, const shape *s)
{
    return shape_format(an->arena, an->dims, s);
}

/* " = [32, 4]" when the view differs from the SHAPE as written. */
static const char *instantiated(analysis *an, const call_result *r,
                                uint32_t arg)
{
    const char *view = format_shape(an, r->views[arg]);
    return strcmp(view, r->sig->params[arg].written) == 0
               ? ""
               : arena_printf(an->arena, " = %s", view);
}

static diag *report_dim(analysis *an, const call_check *chk, const conflict *c)
{
    const call_result *r = chk->r;
    const call_arg *a = &r->args[c->arg];
    const sig_param *sp = &r->sig->params[c->arg];
    return diag_add(an->diags, &sc_rule_shape_mismatch, chk->loc,
                    "'%s' has shape %s but parameter '%s' of '%s' expects %s%s",
                    a->text, format_shape(an, a->extent.shape), sp->name,
                    chk->callee, sp->written, instantiated(an, r, c->arg));
}

static const char *count_text(analysis *an, const shape *s)
{
    const dim_poly *n = dim_const(an->dims, 1);
    for (uint32_t i = 0; i < s->rank && n; i++)
        n = dim_mul(an->dims, n, s->dims[i]);
    char buf[128];
    dim_format(an->dims, n, buf, sizeof buf);
    return arena_strdup(an->arena, buf);
}

static diag *report_count(analysis *an, const call_check *chk,
                          const conflict *c)
{
    const call_result *r = chk->r;
    const call_arg *a = &r->args[c->arg];
    const sig_param *sp = &r->sig->params[c->arg];
    return diag_add(an->diags, &sc_rule_shape_mismatch, chk->loc,
                    "'%s' has shape %s (%s elements) but parameter '%s' of "
                    "'%s' expects %s%s (%s elements)",
                    a->text, format_shape(an, a->extent.shape),
                    count_text(an, a->extent.shape), sp->name, chk->callee,
                    sp->written, instantiated(an, r, c->arg),
                    count_text(an, r->views[c->arg]));
}

/* Whether NAME occurs as a whole word in TEXT. */
static bool mentions(const char *text, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = strstr(text, name); p; p = strstr(p + 1, name)) {
        bool start = p == text || !(p[-1] == '_' || (p[-1] >= 'a' && p[-1] <= 'z') ||
                                    (p[-1] >= 'A' && p[-1] <= 'Z') ||
                                    (p[-1] >= '0' && p[-1] <= '9'));
        char e = p[n];
        bool end = !(e == '_' || (e >= 'a' && e <= 'z') || (e >= 'A' && e <= 'Z') ||
                     (e >= '0' && e <= '9'));
        if (start && end)
            return true;
    }
    return false;
}

static diag *report_bound(analysis *an, const call_check *chk,
                          const conflict *c)
{
    const call_result *r = chk->r;
    const call_arg *a = &r->args[c->arg];
    const binding *b = call_binding(r, c->sym);
    char value[128];
    dim_format(an->dims, b->value, value, sizeof value);
    const char *by = b->dim < 0 ? "passed as" : "bound by";
    const char *sym = dim_sym_name(an->dims, c->sym);
    /* "T = T - 1" would read as nonsense: the callee's T is not the
       caller's. */
    const char *who = mentions(value, sym)
                          ? arena_printf(an->arena, "'%s' of '%s'", sym,
                                         chk->callee)
                          : sym;
    return diag_add(an->diags, &sc_rule_shape_mismatch, chk->loc,
                    "'%s' has shape %s but %s = %s (%s '%s') in call to '%s'",
                    a->text, format_shape(an, a->extent.shape), who, value,
                    by, r->args[b->arg].text, chk->callee);
}

static void note_conflict(analysis *an, diag *d, const call_result *r,
                          const conflict *c)
{
    note_origin(an, d, r->args[c->arg].extent.origin);
    if (c->kind == CONFLICT_BOUND) {
        const binding *b = call_binding(r, c->sym);
        if (b->dim < 0)
            note_value(an, d, r->args[b->arg].int_note);
        else
            note_origin(an, d, r->args[b->arg].extent.origin);
    } else { /* the rows read, or every dim the view is made of */
        note_bindings(an, d, r, c->arg, c->kind == CONFLICT_ROWS ? 0 : -1);
    }
    note_param(an, d, r->sig, c->arg);
}

static void check(analysis *an, call_check *chk)
{
    const call_result *r = chk->r;
    for (uint32_t i = 0; i < r->n_conflicts; i++) {
        const conflict *c = &r->conflicts[i];
        if (chk->claimed[i])
            continue;
        chk->claimed[i] = true;
        diag *d = c->kind == CONFLICT_COUNT   ? report_count(an, chk, c)
                  : c->kind == CONFLICT_BOUND ? report_bound(an, chk, c)
                                              : report_dim(an, chk, c);
        diag_set_range(an->diags, d, chk->end, r->args[c->arg].loc);
        note_conflict(an, d, r, c);
    }
}

const sc_rule sc_rule_shape_mismatch = {
    "shape-mismatch",
    SC_SEV_ERROR,
    "Argument buffer cannot serve the parameter's SHAPE",
    "An argument of a call is a buffer that cannot serve the SHAPE "
    "annotation of the parameter it is passed to, on any execution: the "
    "callee reads more rows (or, where the ranks differ, more elements) than "
    "the buffer holds, an inner dimension differs (inner dimensions fix the "
    "row-major layout), or one dimension symbol is bound to two different "
    "sizes by two arguments of the same call. Reading fewer rows than a "
    "buffer holds is not an error.",
    check,
    NULL,
};
