/*
 * rt_ce_backward.c - the fused cross-entropy backward:
 * sc_cross_entropy_backward and the trainer's form,
 * sc_cross_entropy_backward_ex (SPEC section 6), with an upstream gradient per
 * row and accumulation.
 *
 * Each logit row is read from memory once (its statistics) and once more
 * from cache (its gradient), or, right after a forward on the same logits,
 * once (rt_memo.c); the gradient is written, or read and written, once
 * (rt_rows.c).
 */
#include "rt_internal.h"

/* The arguments of the backward, validated in the order of the parameters:
   the loss pair, DLOSSES (NULL or float32, one per row), DLOGITS (float32,
   the logits' shape, exactly in place or apart from every input), MODE,
   and LOSS (only with a batch to take the mean of). */
static sc_status check_backward_args(const DLTensor *logits,
                                     const DLTensor *labels,
                                     const DLTensor *dlosses, DLTensor *dlogits,
                                     sc_grad_mode mode, const float *loss,
                                     sc_arg *x, sc_labels *l, sc_arg *d,
                                     sc_arg *g)
{
    sc_status st;
    if ((st = sc_check_loss_args(logits, "logits", labels, 0, x, l)) ||
        (dlosses &&
         (st = sc_check_per_row(dlosses, "dlosses", x, "logits", d))) ||
        (st = sc_check_tensor(dlogits, "dlogits", 2, 2, SC_DT_F32, g)) ||
        (st = sc_check_same_shape(g, "dlogits", x, "logits")) ||
        (st = sc_check_no_overlap(g, "dlogits", x, "logits", 1)) ||
        (st = sc_check_no_overlap(g, "dlogits", &l->arg, "labels", 0)) ||
        (dlosses && (st = sc_check_no_overlap(g, "dlogits", d, "dlosses", 0))))
        return st;
    if (mode != SC_GRAD_WRITE && mode != SC_GRAD_ACCUMULATE)
        return sc_fail(SC_ERR_ARG,
                       "'mode' is %d: it must be SC_GRAD_WRITE or "
                       "SC_GRAD_ACCUMULATE",
                       (int)mode);
    if (loss && x->dims[0] == 0)
        return sc_fail(SC_ERR_SHAPE, "'logits' has an empty batch: the mean "
                                     "loss is undefined (pass loss = NULL)");
    const DLTensor *ts[] = {logits, labels, dlosses, dlogits};
    const char *names[] = {"logits", "labels", "dlosses", "dlogits"};
    return sc_check_shared_arrays(ts, names, 4);
}

sc_status sc_cross_entropy_backward_ex(const DLTensor *logits,
                                       const DLTensor *labels,
                                       const DLTensor *dlosses,
                                       DLTensor *dlogits, sc_grad_mode mode,
                                       float *loss)
{
    sc_arg x, d, g;
    sc_labels l;
    sc_status st;
    if ((st = check_backward_args(logits, labels, dlosses, dlogits, mode, loss,
                                  &x, &l, &d, &g)))
        return st;
    int64_t n = x.dims[0];
    sc_rows_job j = {0};
    j.ops = sc_simd();
    j.x = &x;
    j.l = &l;
    j.dlosses = dlosses ? d.data : NULL;
    j.scale = n ? 1.0 / (double)n : 0.0;
    j.g = &g;
    j.accumulate = mode == SC_GRAD_ACCUMULATE;
    j.want_loss = loss != NULL;
    /* Right after a forward on these logits, each row in one pass against
       the statistics it found; in place, never (a row whose statistics did
       not verify could not be done again), and the logits are then gone. */
    sc_memo_tally tally = {0, 0};
    j.tally = &tally;
    if (g.data == x.data)
        sc_memo_forget();
    else
        j.known = sc_memo_find(&x);
    /* Work: the logits and the gradient are each read once from memory. */
    double total = sc_for_rows(n, sc_team(n, 2 * x.numel), sc_rows_grad, &j);
    sc_memo_settle(&tally);
    if (loss)
        *loss = (float)(total / (double)n);
    return SC_OK;
}

sc_status sc_cross_entropy_backward(const DLTensor *logits,
                                    const DLTensor *labels, DLTensor *dlogits,
                                    float *loss)
{
    return sc_cross_entropy_backward_ex(logits, labels, NULL, dlogits,
                                        SC_GRAD_WRITE, loss);
}
