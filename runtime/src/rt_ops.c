/*
 * rt_ops.c - the kernels that are not losses (softmax, log-softmax,
 * argmax, accuracy) and the tensor constructors.
 */
#include "rt_internal.h"

#include <math.h>

/* ---- Constructors ----------------------------------------------------- */

/* A CPU tensor of RANK dims (already in SHAPE) over DATA, of dtype CODE
   and BITS, compact: strides NULL. */
static DLTensor make_tensor(void *data, int64_t *shape, int rank, uint8_t code,
                            uint8_t bits)
{
    DLTensor t = {0};
    t.data = data;
    t.device.device_type = kDLCPU;
    t.device.device_id = 0;
    t.ndim = rank;
    t.dtype.code = code;
    t.dtype.bits = bits;
    t.dtype.lanes = 1;
    t.shape = shape;
    t.strides = NULL;
    t.byte_offset = 0;
    return t;
}

DLTensor sc_tensor_f32_1d(float *data, int64_t shape_store[SC_AT_LEAST 1],
                          int64_t n)
{
    shape_store[0] = n;
    return make_tensor(data, shape_store, 1, kDLFloat, 32);
}

DLTensor sc_tensor_f32_2d(float *data, int64_t shape_store[SC_AT_LEAST 2],
                          int64_t rows, int64_t cols)
{
    shape_store[0] = rows;
    shape_store[1] = cols;
    return make_tensor(data, shape_store, 2, kDLFloat, 32);
}

DLTensor sc_tensor_f32_3d(float *data, int64_t shape_store[SC_AT_LEAST 3],
                          int64_t d0, int64_t d1, int64_t d2)
{
    shape_store[0] = d0;
    shape_store[1] = d1;
    shape_store[2] = d2;
    return make_tensor(data, shape_store, 3, kDLFloat, 32);
}

DLTensor sc_tensor_i32_1d(int32_t *data, int64_t shape_store[SC_AT_LEAST 1],
                          int64_t n)
{
    shape_store[0] = n;
    return make_tensor(data, shape_store, 1, kDLInt, 32);
}

DLTensor sc_tensor_i64_1d(int64_t *data, int64_t shape_store[SC_AT_LEAST 1],
                          int64_t n)
{
    shape_store[0] = n;
    return make_tensor(data, shape_store, 1, kDLInt, 64);
}

/* ---- Softmax and log-softmax ------------------------------------------ */

/* X: float32, rank >= 1; Y: the same shape, X itself or apart from it.
   Sets *ROWS and *C, the rows and the size of the last dim. */
static sc_status check_softmax_args(const DLTensor *x, DLTensor *y, sc_view *xv,
                                    sc_view *yv, int64_t *rows, int64_t *c)
{
    sc_status st;
    if ((st = sc_check_tensor(x, "x", 1, INT32_MAX, SC_DT_F32, xv)) ||
        (st = sc_check_tensor(y, "y", 1, INT32_MAX, SC_DT_F32, yv)) ||
        (st = sc_check_same_shape(yv, "y", xv, "x")) ||
        (st = sc_check_no_overlap(yv, "y", xv, "x", 1)))
        return st;
    *c = xv->dims[xv->rank - 1];
    *rows = *c ? xv->numel / *c : 0;
    return SC_OK;
}

sc_status sc_softmax(const DLTensor *x, DLTensor *y)
{
    sc_view xv, yv;
    int64_t rows, c;
    sc_status st;
    if ((st = check_softmax_args(x, y, &xv, &yv, &rows, &c)))
        return st;
    const sc_simd_ops *ops = sc_simd();
    const float *in = xv.data;
    float *out = yv.data;
#if defined(_OPENMP)
#pragma omp parallel for schedule(static) if (rows * c >= SC_PARALLEL_MIN)
#endif
    for (int64_t i = 0; i < rows; i++) {
        sc_row_stats rs;
        float max = ops->row_max(in + i * c, NULL, c, i + 1 < rows ? c : 0);
        ops->row_exp(in + i * c, NULL, c, max, out + i * c, &rs);
        ops->row_scale(out + i * c, NULL, c, (float)(1.0 / rs.sum), 1.0f);
    }
    return SC_OK;
}

sc_status sc_log_softmax(const DLTensor *x, DLTensor *y)
{
    sc_view xv, yv;
    int64_t rows, c;
    sc_status st;
    if ((st = check_softmax_args(x, y, &xv, &yv, &rows, &c)))
        return st;
    const sc_simd_ops *ops = sc_simd();
    const float *in = xv.data;
    float *out = yv.data;
#if defined(_OPENMP)
#pragma omp parallel for schedule(static) if (rows * c >= SC_PARALLEL_MIN)
#endif
    for (int64_t i = 0; i < rows; i++) {
        sc_row_stats rs;
        ops->row_stats(in + i * c, NULL, c, i + 1 < rows ? c : 0, &rs);
        /* (x - max) first: exact for the large entries, which matter. */
        float max = rs.max, log_sum = (float)log(rs.sum);
        for (int64_t j = 0; j < c; j++)
            out[i * c + j] = (in[i * c + j] - max) - log_sum;
    }
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

sc_status sc_argmax(const DLTensor *x, DLTensor *out)
{
    sc_view xv, ov;
    sc_status st;
    if ((st = sc_check_tensor(x, "x", 2, 2, SC_DT_F32, &xv)) ||
        (st = sc_check_tensor(out, "out", 1, 1, SC_DT_I32 | SC_DT_I64, &ov)))
        return st;
    int64_t n = xv.dims[0], c = xv.dims[1];
    char xs[64], os[64];
    if (ov.dims[0] != n)
        return sc_fail(SC_ERR_SHAPE,
                       "'out' must have one entry per row of 'x': 'out' is %s "
                       "but 'x' is %s",
                       sc_format_dims(os, sizeof os, ov.dims, 1),
                       sc_format_dims(xs, sizeof xs, xv.dims, 2));
    if (c < 1 && n > 0)
        return sc_fail(SC_ERR_SHAPE,
                       "'x' has shape %s: a row needs at least one value",
                       sc_format_dims(xs, sizeof xs, xv.dims, 2));
    if (ov.dtype == SC_DT_I32 && c - 1 > INT32_MAX)
        return sc_fail(SC_ERR_ARG,
                       "'x' has %lld columns: an index would overflow int32 "
                       "'out'",
                       (long long)c);
    if ((st = sc_check_no_overlap(&ov, "out", &xv, "x", 0)))
        return st;
    const float *in = xv.data;
    for (int64_t i = 0; i < n; i++) {
        int64_t k = row_argmax(in + i * c, c);
        if (ov.dtype == SC_DT_I32)
            ((int32_t *)ov.data)[i] = (int32_t)k;
        else
            ((int64_t *)ov.data)[i] = k;
    }
    return SC_OK;
}

sc_status sc_accuracy(const DLTensor *logits, const DLTensor *labels,
                      float *accuracy)
{
    sc_view x;
    sc_labels l;
    sc_status st;
    if ((st = sc_check_loss_args(logits, "logits", labels, 1, &x, &l)) ||
        (st = sc_check_ptr(accuracy, "accuracy")))
        return st;
    int64_t n = x.dims[0], c = x.dims[1], hits = 0;
    const float *in = x.data;
    for (int64_t i = 0; i < n; i++) {
        const float *t = sc_targets_row(&l, i, c);
        int64_t label = t ? row_argmax(t, c) : sc_label_at(&l, i);
        hits += row_argmax(in + i * c, c) == label;
    }
    *accuracy = (float)((double)hits / (double)n);
    return SC_OK;
}
