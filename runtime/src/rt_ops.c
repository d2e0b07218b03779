/*
 * rt_ops.c - the kernels that are not losses: softmax, log-softmax,
 * argmax, accuracy.
 */
#include "rt_internal.h"

#include <math.h>

/* ---- Softmax and log-softmax ------------------------------------------ */

/* X: float32, rank >= 1; Y: the same shape, X itself (same layout) or
   apart from it. */
static sc_status check_softmax_args(const DLTensor *x, DLTensor *y, sc_arg *xa,
                                    sc_arg *ya)
{
    sc_status st;
    const DLTensor *ts[] = {x, y};
    const char *names[] = {"x", "y"};
    if ((st = sc_check_tensor(x, "x", 1, INT32_MAX, SC_DT_F32, xa)) ||
        (st = sc_check_tensor(y, "y", 1, INT32_MAX, SC_DT_F32, ya)) ||
        (st = sc_check_same_shape(ya, "y", xa, "x")) ||
        (st = sc_check_no_overlap(ya, "y", xa, "x", 1)) ||
        (st = sc_check_shared_arrays(ts, names, 2)))
        return st;
    return SC_OK;
}

sc_status sc_softmax(const DLTensor *x, DLTensor *y)
{
    sc_arg xa, ya;
    sc_status st;
    if ((st = check_softmax_args(x, y, &xa, &ya)))
        return st;
    /* The backward's pipeline without targets: exp(x - max) / sum. */
    sc_rows_job j = {0};
    j.ops = sc_simd();
    j.x = &xa;
    j.scale = 1.0;
    j.g = &ya;
    sc_for_rows(xa.rows, sc_team(xa.rows, 2 * xa.numel), sc_rows_grad, &j);
    return SC_OK;
}

/* Log-softmax of rows [r0, r1) of the job's X into its G. */
static double log_softmax_rows(const void *job, int64_t r0, int64_t r1,
                               int part)
{
    const sc_rows_job *j = job;
    (void)part;
    int64_t c = j->x->cols;
    for (int64_t i = r0; i < r1; i++) {
        const float *in = sc_row(j->x, i);
        float *out = sc_row(j->g, i);
        sc_row_stats rs;
        sc_row_stats_of(j->ops, in, NULL, c, &rs);
        /* (x - max) first: exact for the large entries, which matter;
           the sum was taken against the reference, log S = log S_ref +
           ref - max. */
        float max = rs.max;
        float log_sum = (float)(log(rs.sum) + ((double)rs.ref - rs.max));
        for (int64_t k = 0; k < c; k++)
            out[k] = (in[k] - max) - log_sum;
    }
    return 0;
}

sc_status sc_log_softmax(const DLTensor *x, DLTensor *y)
{
    sc_arg xa, ya;
    sc_status st;
    if ((st = check_softmax_args(x, y, &xa, &ya)))
        return st;
    sc_rows_job j = {0};
    j.ops = sc_simd();
    j.x = &xa;
    j.g = &ya;
    sc_for_rows(xa.rows, sc_team(xa.rows, 2 * xa.numel), log_softmax_rows, &j);
    return SC_OK;
}

/* ---- Argmax and accuracy ---------------------------------------------- */

/* Index of the first largest of X[0..c), NaN never largest; 0 when none
   is larger than -inf. */
static int64_t row_argmax(const float *x, int64_t c)
{
    int64_t best = 0;
    float best_value = -INFINITY;
    for (int64_t j = 0; j < c; j++)
        if (x[j] > best_value) {
            best_value = x[j];
            best = j;
        }
    return best;
}

/* X [N, C] float32 with C >= 1 (unless N = 0), OUT [N] int32 or int64
   (wide enough for C - 1) apart from X. */
static sc_status check_argmax_args(const DLTensor *x, DLTensor *out, sc_arg *xa,
                                   sc_arg *oa)
{
    sc_status st;
    const DLTensor *ts[] = {x, out};
    const char *names[] = {"x", "out"};
    if ((st = sc_check_tensor(x, "x", 2, 2, SC_DT_F32, xa)) ||
        (st = sc_check_tensor(out, "out", 1, 1, SC_DT_I32 | SC_DT_I64, oa)))
        return st;
    int64_t n = xa->dims[0], c = xa->dims[1];
    char xs[SC_DIMS_TEXT], os[SC_DIMS_TEXT];
    if (oa->dims[0] != n)
        return sc_fail(SC_ERR_SHAPE,
                       "'out' must have one entry per row of 'x': 'out' is %s "
                       "but 'x' is %s",
                       sc_format_dims(os, sizeof os, oa->dims, 1),
                       sc_format_dims(xs, sizeof xs, xa->dims, 2));
    if (c < 1 && n > 0)
        return sc_fail(SC_ERR_SHAPE,
                       "'x' has shape %s: a row needs at least one value",
                       sc_format_dims(xs, sizeof xs, xa->dims, 2));
    if (oa->dtype == SC_DT_I32 && c - 1 > INT32_MAX)
        return sc_fail(SC_ERR_ARG,
                       "'x' has %lld columns: an index would overflow int32 "
                       "'out'",
                       (long long)c);
    if ((st = sc_check_no_overlap(oa, "out", xa, "x", 0)) ||
        (st = sc_check_shared_arrays(ts, names, 2)))
        return st;
    return SC_OK;
}

sc_status sc_argmax(const DLTensor *x, DLTensor *out)
{
    sc_arg xa, oa;
    sc_status st;
    if ((st = check_argmax_args(x, out, &xa, &oa)))
        return st;
    for (int64_t i = 0; i < xa.dims[0]; i++) {
        int64_t k = row_argmax(sc_row(&xa, i), xa.dims[1]);
        if (oa.dtype == SC_DT_I32)
            ((int32_t *)oa.data)[i] = (int32_t)k;
        else
            ((int64_t *)oa.data)[i] = k;
    }
    return SC_OK;
}

sc_status sc_accuracy(const DLTensor *logits, const DLTensor *labels,
                      float *accuracy)
{
    sc_arg x;
    sc_labels l;
    sc_status st;
    const DLTensor *ts[] = {logits, labels};
    const char *names[] = {"logits", "labels"};
    if ((st = sc_check_loss_args(logits, "logits", labels, 1, &x, &l)) ||
        (st = sc_check_ptr(accuracy, "accuracy")) ||
        (st = sc_check_shared_arrays(ts, names, 2)))
        return st;
    int64_t n = x.rows, c = x.cols, hits = 0;
    for (int64_t i = 0; i < n; i++) {
        const float *t = sc_targets_row(&l, i);
        int64_t label = t ? row_argmax(t, c) : sc_label_at(&l, i);
        hits += row_argmax(sc_row(&x, i), c) == label;
    }
    *accuracy = (float)((double)hits / (double)n);
    return SC_OK;
}
