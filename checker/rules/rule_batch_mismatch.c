/*
 * rule_batch_mismatch.c - shape-batch-mismatch: a SHAPE_LOSS function
 * called with logits and labels whose first dimensions cannot be equal.
 *
 * Each side's shape is the argument's own, or, when it has none, the one
 * its parameter's SHAPE gives it at this call.
 */
#include "analysis.h"

bool check_batch_mismatch(analysis *an, const call_result *r, sc_loc call,
                          const char *callee)
{
    const signature *sig = r->sig;
    if (sig->loss_logits < 0 || (uint32_t)sig->loss_logits >= r->n_args ||
        (uint32_t)sig->loss_labels >= r->n_args)
        return false;
    uint32_t li = (uint32_t)sig->loss_logits, bi = (uint32_t)sig->loss_labels;
    const shape *ls = call_arg_shape(r, li), *bs = call_arg_shape(r, bi);
    const dim_poly *l0, *b0;
    if (!ls || !bs || !shape_first_dim(ls, &l0) || !shape_first_dim(bs, &b0))
        return false;
    if (dim_compare(an->dims, l0, b0) != DIM_CANNOT_EQUAL)
        return false;
    diag *d = diag_add(
        an->diags, &sc_rule_batch_mismatch, call,
        "logits and labels must have the same first dimension: '%s' is %s "
        "but '%s' is %s in call to '%s'",
        r->args[li].text, shape_format(an->arena, an->dims, ls),
        r->args[bi].text, shape_format(an->arena, an->dims, bs), callee);
    note_argument(an, d, r, li);
    note_argument(an, d, r, bi);
    if (sig->loss_via) /* a summarised loss: show where it reaches one */
        diag_add_note(an->diags, d, sig->loss_loc,
                      "'%s' passes '%s' and '%s' to the loss '%s' here",
                      sig->name, sig->params[li].name, sig->params[bi].name,
                      sig->loss_via);
    return true;
}
