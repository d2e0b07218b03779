/*
 * rt_loss.c - the losses: cross-entropy (mean, per sample, fused
 * backward), NLL, MSE and its backward.
 *
 * The cross-entropy kernels read each logit row once for its softmax
 * statistics (rt_simd.inc); the backward reads the row a second time, from
 * cache, to write the gradient.  Sums across rows are in double.
 */
#include "rt_internal.h"

#include <math.h>

/* Cross-entropy of a row from its statistics: with targets, TS log S -
   TD; with a label, log S - (x[label] - M), XL being x[label]. */
static double row_loss(const sc_labels *l, float xl, const sc_row_stats *st)
{
    if (l->dtype == SC_DT_F32)
        return st->tsum * log(st->sum) - st->tdot;
    return log(st->sum) - ((double)xl - st->max);
}

/* Sum over rows of the cross-entropy, each into LOSSES[i] when not NULL. */
static double cross_entropy_rows(const sc_view *x, const sc_labels *l,
                                 float *losses)
{
    const sc_simd_ops *ops = sc_simd();
    int64_t n = x->dims[0], c = x->dims[1];
    const float *logits = x->data;
    double total = 0;
#if defined(_OPENMP)
#pragma omp parallel for schedule(static) reduction(+ : total)                \
    if (n * c >= SC_PARALLEL_MIN)
#endif
    for (int64_t i = 0; i < n; i++) {
        const float *row = logits + i * c;
        const float *t = sc_targets_row(l, i, c);
        sc_row_stats st;
        ops->row_stats(row, t, c, i + 1 < n ? c : 0, &st);
        double li = row_loss(l, t ? 0.0f : row[sc_label_at(l, i)], &st);
        if (losses)
            losses[i] = (float)li;
        total += li;
    }
    return total;
}

sc_status sc_cross_entropy(const DLTensor *logits, const DLTensor *labels,
                           float *loss)
{
    sc_view x;
    sc_labels l;
    sc_status st;
    if ((st = sc_check_loss_args(logits, "logits", labels, 1, &x, &l)) ||
        (st = sc_check_ptr(loss, "loss")))
        return st;
    *loss = (float)(cross_entropy_rows(&x, &l, NULL) / (double)x.dims[0]);
    return SC_OK;
}

/* OUT, called NAME, must be a float32 [N] vector that overlaps neither the
   logits X nor the labels L. */
static sc_status check_per_row_out(const DLTensor *out, const char *name,
                                   const sc_view *x, const char *x_name,
                                   const sc_labels *l, sc_view *o)
{
    sc_status st;
    if ((st = sc_check_tensor(out, name, 1, 1, SC_DT_F32, o)))
        return st;
    if (o->dims[0] != x->dims[0]) {
        char os[64], xs[64];
        return sc_fail(SC_ERR_SHAPE,
                       "'%s' must have one entry per row of '%s': '%s' is %s "
                       "but '%s' is %s",
                       name, x_name, name,
                       sc_format_dims(os, sizeof os, o->dims, 1), x_name,
                       sc_format_dims(xs, sizeof xs, x->dims, 2));
    }
    if ((st = sc_check_no_overlap(o, name, x, x_name, 0)) ||
        (st = sc_check_no_overlap(o, name, &l->view, "labels", 0)))
        return st;
    return SC_OK;
}

sc_status sc_cross_entropy_per_sample(const DLTensor *logits,
                                      const DLTensor *labels, DLTensor *losses)
{
    sc_view x, out;
    sc_labels l;
    sc_status st;
    if ((st = sc_check_loss_args(logits, "logits", labels, 0, &x, &l)) ||
        (st = check_per_row_out(losses, "losses", &x, "logits", &l, &out)))
        return st;
    cross_entropy_rows(&x, &l, out.data);
    return SC_OK;
}

/* Writes the gradient of row ROW (N rows of C in all) into GRAD, which
   may be ROW itself, and returns its loss: softmax minus the target, times
   SCALE.  The max, then the exps stored in GRAD, then their scaling; with
   an index label, the label's entry is then recomputed in double from
   XL, its logit read before the row was overwritten: (p - 1) loses every
   digit when p is close to 1 in float. */
static double grad_row(const sc_simd_ops *ops, const float *row, const float *t,
                       int64_t label, int64_t c, int64_t more, double scale,
                       const sc_labels *l, float *grad)
{
    float xl = t ? 0.0f : row[label];
    sc_row_stats st;
    float max = ops->row_max(row, t, c, more);
    ops->row_exp(row, t, c, max, grad, &st);
    ops->row_scale(grad, t, c, (float)(1.0 / st.sum), (float)scale);
    if (!t)
        grad[label] =
            (float)((exp((double)xl - st.max) / st.sum - 1.0) * scale);
    return row_loss(l, xl, &st);
}

static sc_status check_backward_args(const DLTensor *logits,
                                     const DLTensor *labels, DLTensor *dlogits,
                                     sc_view *x, sc_labels *l, sc_view *g)
{
    sc_status st;
    if ((st = sc_check_loss_args(logits, "logits", labels, 0, x, l)) ||
        (st = sc_check_tensor(dlogits, "dlogits", 2, 2, SC_DT_F32, g)) ||
        (st = sc_check_same_shape(g, "dlogits", x, "logits")) ||
        (st = sc_check_no_overlap(g, "dlogits", x, "logits", 1)) ||
        (st = sc_check_no_overlap(g, "dlogits", &l->view, "labels", 0)))
        return st;
    return SC_OK;
}

sc_status sc_cross_entropy_backward(const DLTensor *logits,
                                    const DLTensor *labels, DLTensor *dlogits,
                                    float *loss)
{
    sc_view x, g;
    sc_labels l;
    sc_status st;
    if ((st = check_backward_args(logits, labels, dlogits, &x, &l, &g)))
        return st;
    if (loss && x.dims[0] == 0)
        return sc_fail(SC_ERR_SHAPE, "'logits' has an empty batch: the mean "
                                     "loss is undefined (pass loss = NULL)");
    const sc_simd_ops *ops = sc_simd();
    int64_t n = x.dims[0], c = x.dims[1];
    const float *in = x.data;
    float *out = g.data;
    double total = 0, scale = n ? 1.0 / (double)n : 0.0;
#if defined(_OPENMP)
#pragma omp parallel for schedule(static) reduction(+ : total)                \
    if (n * c >= SC_PARALLEL_MIN)
#endif
    for (int64_t i = 0; i < n; i++) {
        const float *t = sc_targets_row(&l, i, c);
        total += grad_row(ops, in + i * c, t, t ? 0 : sc_label_at(&l, i), c,
                          i + 1 < n ? c : 0, scale, &l, out + i * c);
    }
    if (loss)
        *loss = (float)(total * scale);
    return SC_OK;
}

/* -sum over t != 0 of t * lp, or -lp[label]. */
static double nll_row(const float *lp, const float *t, int64_t label, int64_t c)
{
    if (!t)
        return -(double)lp[label];
    double s = 0;
    for (int64_t j = 0; j < c; j++)
        if (t[j] != 0.0f)
            s += (double)t[j] * lp[j];
    return -s;
}

sc_status sc_nll(const DLTensor *log_probs, const DLTensor *labels, float *loss)
{
    sc_view x;
    sc_labels l;
    sc_status st;
    if ((st = sc_check_loss_args(log_probs, "log_probs", labels, 1, &x, &l)) ||
        (st = sc_check_ptr(loss, "loss")))
        return st;
    int64_t n = x.dims[0], c = x.dims[1];
    const float *lp = x.data;
    double total = 0;
    for (int64_t i = 0; i < n; i++) {
        const float *t = sc_targets_row(&l, i, c);
        total += nll_row(lp + i * c, t, t ? 0 : sc_label_at(&l, i), c);
    }
    *loss = (float)(total / (double)n);
    return SC_OK;
}

/* PRED and TARGET: float32, rank >= 1, the same shape (the batch first,
   in the checker's words), MIN_NUMEL elements or more. */
static sc_status check_mse_args(const DLTensor *pred, const DLTensor *target,
                                int64_t min_numel, sc_view *p, sc_view *t)
{
    sc_status st;
    if ((st = sc_check_tensor(pred, "pred", 1, INT32_MAX, SC_DT_F32, p)) ||
        (st = sc_check_tensor(target, "target", 1, INT32_MAX, SC_DT_F32, t)) ||
        (st = sc_check_batch(p, "pred", t, "target")) ||
        (st = sc_check_same_shape(p, "pred", t, "target")))
        return st;
    if (p->numel < min_numel) {
        char ps[96];
        return sc_fail(SC_ERR_SHAPE,
                       "'pred' has shape %s: the mean of no elements is "
                       "undefined",
                       sc_format_dims(ps, sizeof ps, p->dims, p->rank));
    }
    return SC_OK;
}

/* sum (a - b)^2 in double, four sums at once so the adds overlap. */
static double sum_sq_diff(const float *a, const float *b, int64_t n)
{
    double s[4] = {0, 0, 0, 0};
    int64_t i = 0;
    for (; i + 4 <= n; i += 4)
        for (int k = 0; k < 4; k++) {
            double d = (double)a[i + k] - b[i + k];
            s[k] += d * d;
        }
    for (; i < n; i++) {
        double d = (double)a[i] - b[i];
        s[0] += d * d;
    }
    return (s[0] + s[1]) + (s[2] + s[3]);
}

sc_status sc_mse(const DLTensor *pred, const DLTensor *target, float *loss)
{
    sc_view p, t;
    sc_status st;
    if ((st = check_mse_args(pred, target, 1, &p, &t)) ||
        (st = sc_check_ptr(loss, "loss")))
        return st;
    *loss = (float)(sum_sq_diff(p.data, t.data, p.numel) / (double)p.numel);
    return SC_OK;
}

sc_status sc_mse_backward(const DLTensor *pred, const DLTensor *target,
                          DLTensor *dpred)
{
    sc_view p, t, g;
    sc_status st;
    if ((st = check_mse_args(pred, target, 0, &p, &t)) ||
        (st = sc_check_tensor(dpred, "dpred", 1, INT32_MAX, SC_DT_F32, &g)) ||
        (st = sc_check_same_shape(&g, "dpred", &p, "pred")) ||
        (st = sc_check_no_overlap(&g, "dpred", &p, "pred", 1)) ||
        (st = sc_check_no_overlap(&g, "dpred", &t, "target", 1)))
        return st;
    const float *a = p.data, *b = t.data;
    float *d = g.data;
    float scale = p.numel ? (float)(2.0 / (double)p.numel) : 0.0f;
    for (int64_t i = 0; i < p.numel; i++)
        d[i] = (a[i] - b[i]) * scale;
    return SC_OK;
}
