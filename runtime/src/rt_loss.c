/*
 * rt_loss.c - the losses: cross-entropy (mean, per sample), NLL, MSE and
 * its gradient.  The cross-entropy's gradient is in rt_ce_backward.c.
 *
 * The cross-entropy reads each logit row once for its softmax statistics
 * (rt_rows.c, rt_simd.inc).  Sums across rows are in double.
 */
#include "rt_internal.h"

#include <math.h>

/* The sum of the cross-entropy of X's rows with labels L, each into
   LOSSES when not NULL, on the threads the call gets.  The rows'
   statistics are kept for a backward on the same logits (rt_memo.c). */
static double cross_entropy_rows(const sc_arg *x, const sc_labels *l,
                                 float *losses)
{
    sc_rows_job j = {0};
    j.ops = sc_simd();
    j.x = x;
    j.l = l;
    j.losses = losses;
    j.keep = sc_memo_begin(x);
    double total =
        sc_for_rows(x->rows, sc_team(x->rows, x->numel), sc_rows_loss, &j);
    if (j.keep)
        sc_memo_end(x);
    return total;
}

sc_status sc_cross_entropy(const DLTensor *logits, const DLTensor *labels,
                           float *loss)
{
    sc_arg x;
    sc_labels l;
    sc_status st;
    const DLTensor *ts[] = {logits, labels};
    const char *names[] = {"logits", "labels"};
    if ((st = sc_check_loss_args(logits, "logits", labels, 1, &x, &l)) ||
        (st = sc_check_ptr(loss, "loss")) ||
        (st = sc_check_shared_arrays(ts, names, 2)))
        return st;
    *loss = (float)(cross_entropy_rows(&x, &l, NULL) / (double)x.rows);
    return SC_OK;
}

sc_status sc_cross_entropy_per_sample(const DLTensor *logits,
                                      const DLTensor *labels, DLTensor *losses)
{
    sc_arg x, out;
    sc_labels l;
    sc_status st;
    const DLTensor *ts[] = {logits, labels, losses};
    const char *names[] = {"logits", "labels", "losses"};
    if ((st = sc_check_loss_args(logits, "logits", labels, 0, &x, &l)) ||
        (st = sc_check_per_row(losses, "losses", &x, "logits", &out)) ||
        (st = sc_check_no_overlap(&out, "losses", &x, "logits", 0)) ||
        (st = sc_check_no_overlap(&out, "losses", &l.arg, "labels", 0)) ||
        (st = sc_check_shared_arrays(ts, names, 3)))
        return st;
    cross_entropy_rows(&x, &l, out.data);
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
    sc_arg x;
    sc_labels l;
    sc_status st;
    const DLTensor *ts[] = {log_probs, labels};
    const char *names[] = {"log_probs", "labels"};
    if ((st = sc_check_loss_args(log_probs, "log_probs", labels, 1, &x, &l)) ||
        (st = sc_check_ptr(loss, "loss")) ||
        (st = sc_check_shared_arrays(ts, names, 2)))
        return st;
    double total = 0;
    for (int64_t i = 0; i < x.rows; i++) {
        const float *t = sc_targets_row(&l, i);
        total += nll_row(sc_row(&x, i), t, t ? 0 : sc_label_at(&l, i), x.cols);
    }
    *loss = (float)(total / (double)x.rows);
    return SC_OK;
}

/* PRED and TARGET: float32, rank >= 1, the same shape (the batch first,
   in the checker's words), MIN_NUMEL elements or more. */
static sc_status check_mse_args(const DLTensor *pred, const DLTensor *target,
                                int64_t min_numel, sc_arg *p, sc_arg *t)
{
    sc_status st;
    if ((st = sc_check_tensor(pred, "pred", 1, INT32_MAX, SC_DT_F32, p)) ||
        (st = sc_check_tensor(target, "target", 1, INT32_MAX, SC_DT_F32, t)) ||
        (st = sc_check_batch(p, "pred", t, "target")) ||
        (st = sc_check_same_shape(p, "pred", t, "target")))
        return st;
    if (p->numel < min_numel) {
        char ps[SC_DIMS_TEXT];
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
    sc_arg p, t;
    sc_status st;
    const DLTensor *ts[] = {pred, target};
    const char *names[] = {"pred", "target"};
    if ((st = check_mse_args(pred, target, 1, &p, &t)) ||
        (st = sc_check_ptr(loss, "loss")) ||
        (st = sc_check_shared_arrays(ts, names, 2)))
        return st;
    double total = 0;
    for (int64_t i = 0; i < p.rows; i++)
        total += sum_sq_diff(sc_row(&p, i), sc_row(&t, i), p.cols);
    *loss = (float)(total / (double)p.numel);
    return SC_OK;
}

sc_status sc_mse_backward(const DLTensor *pred, const DLTensor *target,
                          DLTensor *dpred)
{
    sc_arg p, t, g;
    sc_status st;
    const DLTensor *ts[] = {pred, target, dpred};
    const char *names[] = {"pred", "target", "dpred"};
    if ((st = check_mse_args(pred, target, 0, &p, &t)) ||
        (st = sc_check_tensor(dpred, "dpred", 1, INT32_MAX, SC_DT_F32, &g)) ||
        (st = sc_check_same_shape(&g, "dpred", &p, "pred")) ||
        (st = sc_check_no_overlap(&g, "dpred", &p, "pred", 1)) ||
        (st = sc_check_no_overlap(&g, "dpred", &t, "target", 1)) ||
        (st = sc_check_shared_arrays(ts, names, 3)))
        return st;
    float scale = p.numel ? (float)(2.0 / (double)p.numel) : 0.0f;
    for (int64_t i = 0; i < p.rows; i++) {
        const float *a = sc_row(&p, i), *b = sc_row(&t, i);
        float *d = sc_row(&g, i);
        for (int64_t j = 0; j < p.cols; j++)
            d[j] = (a[j] - b[j]) * scale;
    }
    return SC_OK;
}
