/*
 * rule_batch_mismatch.c - shape-batch-mismatch: a SHAPE_LOSS function
 * called with logits and labels whose first dimensions cannot be equal
 * (SPEC 4): their views read different row counts, an exact first dim
 * cannot match its buffer, or one buffer is too short for the rows the
 * loss reads while the other holds them.  (Both too short is a
 * shape-mismatch of each.)
 */
#include "analysis.h"
#include "notes.h"

/* The conflict, if any, on argument ARG's first (batch) dimension. */
static conflict *batch_conflict(call_check *chk, uint32_t arg, uint32_t *index)
{
    const call_result *r = chk->r;
    for (uint32_t i = 0; i < r->n_conflicts; i++) {
        conflict *c = &r->conflicts[i];
        if (c->arg == arg && c->kind != CONFLICT_COUNT && c->dim == 0) {
            *index = i;
            return c;
        }
    }
    return NULL;
}

/* Whether argument I is known to hold rows: its extent, or, short of
   one, what a call was seen to write or read there. */
static bool holds_rows(const call_result *r, uint32_t i)
{
    const shape *s = r->args[i].extent.shape ? r->args[i].extent.shape
                                             : r->args[i].observed.shape;
    const dim_poly *d;
    return s && shape_first_dim(s, &d);
}

/* Why the call cannot work, or false.  *SHOW_VIEWS: the views differ
   (the buffers may both be fine); *FOCUS: the argument to point at. */
static bool mismatch(analysis *an, call_check *chk, uint32_t li, uint32_t bi,
                     bool *show_views, uint32_t *focus)
{
    const call_result *r = chk->r;
    uint32_t il = 0, ib = 0;
    conflict *cl = batch_conflict(chk, li, &il),
             *cb = batch_conflict(chk, bi, &ib);
    bool exact =
        (cl && cl->kind != CONFLICT_ROWS) || (cb && cb->kind != CONFLICT_ROWS);
    bool one_short =
        (cl && !cb && holds_rows(r, bi)) || (cb && !cl && holds_rows(r, li));
    *show_views = false;
    *focus = cl && !cb ? li : bi;
    if (exact || one_short) {
        if (cl)
            chk->claimed[il] = true;
        if (cb)
            chk->claimed[ib] = true;
        return true;
    }
    if (cl || cb)
        return false; /* both too short: two shape-mismatch findings */
    const dim_poly *vl, *vb;
    if (!r->views[li] || !r->views[bi] || !shape_first_dim(r->views[li], &vl) ||
        !shape_first_dim(r->views[bi], &vb))
        return false;
    *show_views = true;
    return dim_compare(an->dims, vl, vb) == DIM_CANNOT_EQUAL;
}

static void check(analysis *an, call_check *chk)
{
    const call_result *r = chk->r;
    const signature *sig = r->sig;
    if (sig->loss_logits < 0 || (uint32_t)sig->loss_logits >= r->n_args ||
        (uint32_t)sig->loss_labels >= r->n_args)
        return;
    uint32_t li = (uint32_t)sig->loss_logits, bi = (uint32_t)sig->loss_labels;
    bool show_views;
    uint32_t focus;
    if (!mismatch(an, chk, li, bi, &show_views, &focus))
        return;
    const shape *ls = show_views ? r->views[li] : call_arg_shape(r, li);
    const shape *bs = show_views ? r->views[bi] : call_arg_shape(r, bi);
    /* An argument with no shape of its own (a conflict of its symbols
       alone) is shown by the view the call reads. */
    ls = ls ? ls : r->views[li];
    bs = bs ? bs : r->views[bi];
    diag *d = diag_add(
        an->diags, &sc_rule_batch_mismatch, chk->loc,
        "logits and labels must have the same first dimension: '%s' is %s "
        "but '%s' is %s in call to '%s'",
        r->args[li].text, shape_format(an->arena, an->dims, ls),
        r->args[bi].text, shape_format(an->arena, an->dims, bs), chk->callee);
    diag_set_range(an->diags, d, chk->end, r->args[focus].loc);
    note_argument(an, d, r, li);
    note_argument(an, d, r, bi);
    note_bindings(an, d, r, focus, 0);
    if (sig->loss_via) /* a summarised loss: show where it reaches one */
        diag_add_note(an->diags, d, sig->loss_loc,
                      "'%s' passes '%s' and '%s' to the loss '%s' here",
                      sig->name, sig->params[li].name, sig->params[bi].name,
                      sig->loss_via);
}

const sc_rule sc_rule_batch_mismatch = {
    "shape-batch-mismatch",
    SC_SEV_ERROR,
    "Loss called with logits and labels whose batch sizes cannot match",
    "A function marked SHAPE_LOSS(logits, labels) is called with a logits "
    "argument and a labels argument whose first (batch) dimensions cannot be "
    "equal on any execution: the loss reads different numbers of rows of "
    "the two, or one buffer is too short for the rows the loss reads while "
    "the other holds them. The loss would read past the end of the shorter "
    "buffer or silently use the wrong labels. Make both come from the same "
    "batch size, or pass the loss the number of rows both hold.",
    check,
    NULL,
};
