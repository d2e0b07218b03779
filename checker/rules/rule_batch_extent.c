/*
 * rule_batch_extent.c - shape-batch-extent: a SHAPE_LOSS call whose views
 * agree (the loss reads the same rows of logits and labels) but whose
 * buffers cannot hold the same number of rows, with a row count that is
 * not explicitly clamped to both.  Reading a prefix is legal C, so this is
 * a warning: a loader or batch-size bug is likely, not certain.  The
 * seed's fix, "truncate to the shorter batch" written as a min or a
 * conditional, is clamped and not reported.
 */
#include "analysis.h"
#include "notes.h"

static bool any_batch_conflict(const call_result *r, uint32_t arg)
{
    for (uint32_t i = 0; i < r->n_conflicts; i++)
        if (r->conflicts[i].arg == arg)
            return true;
    return false;
}

static bool at_most(analysis *an, const dim_poly *a, const dim_poly *b)
{
    dim_order o = dim_order_of(an->dims, a, b);
    return o == DIM_ORDER_LT || o == DIM_ORDER_LE || o == DIM_ORDER_EQ;
}

/* Whether the row count the loss reads is an integer argument with proven
   upper bounds (a min, a conditional) that keep it within both E1 and E2. */
static bool clamped(analysis *an, const call_result *r, uint32_t li,
                    const dim_poly *e1, const dim_poly *e2)
{
    const dim_poly *p;
    dim_sym s;
    if (!shape_first_dim(r->sig->params[li].shape, &p) || !dim_is_symbol(p, &s))
        return false;
    const binding *b = call_binding(r, s);
    if (!b || b->dim >= 0 || b->arg < 0)
        return false;
    const call_arg *a = &r->args[b->arg];
    bool within1 = false, within2 = false;
    for (uint32_t k = 0; k < a->n_int_bounds; k++) {
        within1 = within1 || at_most(an, a->int_bounds[k], e1);
        within2 = within2 || at_most(an, a->int_bounds[k], e2);
    }
    return within1 && within2;
}

static void check(analysis *an, call_check *chk)
{
    const call_result *r = chk->r;
    const signature *sig = r->sig;
    if (sig->loss_logits < 0 || (uint32_t)sig->loss_logits >= r->n_args ||
        (uint32_t)sig->loss_labels >= r->n_args)
        return;
    uint32_t li = (uint32_t)sig->loss_logits, bi = (uint32_t)sig->loss_labels;
    const shape *xl = r->args[li].extent.shape, *xb = r->args[bi].extent.shape;
    const dim_poly *vl, *vb, *el, *eb;
    if (any_batch_conflict(r, li) || any_batch_conflict(r, bi) || !xl || !xb ||
        !r->aligned[li] || !r->aligned[bi] || !r->views[li] || !r->views[bi] ||
        !shape_first_dim(r->views[li], &vl) ||
        !shape_first_dim(r->views[bi], &vb) || !shape_first_dim(xl, &el) ||
        !shape_first_dim(xb, &eb))
        return;
    if (dim_compare(an->dims, vl, vb) != DIM_EQUAL ||
        dim_compare(an->dims, el, eb) != DIM_CANNOT_EQUAL ||
        clamped(an, r, li, el, eb))
        return;
    /* Name the buffer with rows to spare: the longer one. */
    dim_order o = dim_order_of(an->dims, el, eb);
    uint32_t longer = o == DIM_ORDER_GT || o == DIM_ORDER_GE ? li : bi;
    char rows[128], read[128];
    dim_format(an->dims, longer == li ? el : eb, rows, sizeof rows);
    dim_format(an->dims, vl, read, sizeof read);
    diag *d = diag_add(an->diags, &sc_rule_batch_extent, chk->loc,
                       "'%s' holds %s rows but the loss reads %s: the rest "
                       "are never used",
                       r->args[longer].text, rows, read);
    diag_set_range(an->diags, d, chk->end, r->args[longer].loc);
    note_argument(an, d, r, li);
    note_argument(an, d, r, bi);
    note_bindings(an, d, r, li, 0);
}

const sc_rule sc_rule_batch_extent = {
    "shape-batch-extent",
    SC_SEV_WARNING,
    "Loss reads fewer rows than one of its buffers holds",
    "A function marked SHAPE_LOSS(logits, labels) reads the same number of "
    "rows of logits and labels, but the two buffers cannot hold the same "
    "number of rows: the rows past the count are never used. Reading a "
    "prefix is legal C, so this is a warning, but it usually means a loader "
    "or a labels buffer sized for another batch. It is not reported when "
    "the count is explicitly clamped to both buffers (a min, or a "
    "conditional on the two sizes), which is how a short last batch is "
    "handled on purpose.",
    check,
    NULL,
};
