/*
 * rt_layout.c - which memory layouts the kernels take, and how a tensor's
 * strides become the rows the kernels walk (SPEC section 6, layouts v2).
 *
 * A tensor is read as rows of its last dimension.  Supported: the last
 * dimension contiguous (stride 1) and the rows at one row stride of at
 * least their length, the leading dims nested compactly over the rows:
 * strides [s, 1] for a matrix (BLAS's lda: llm.c's [N, V] logits inside
 * an [N, Vp] buffer), [d1 * s, s, 1] for rank 3, [1] for a vector (whose
 * one row cannot be padded).  NULL strides are compact (s = the last
 * dim).  A dim of size 1 may have any stride, as DLPack producers give
 * them arbitrary ones; an empty tensor any strides at all.  Everything
 * else (columns apart, transposed, broadcast, overlapping rows) is
 * SC_ERR_UNSUPPORTED with a message that says what is supported.
 */
#include "rt_internal.h"

#include <stdio.h>

/* The supported strides for T's rank, as a pattern: "[s, 1] with s >= 5". */
static void format_supported(char *buf, size_t size, const DLTensor *t)
{
    int rank = t->ndim;
    int64_t cols = t->shape[rank - 1];
    if (rank == 1) {
        snprintf(buf, size, "a vector must be contiguous, strides [1]");
        return;
    }
    size_t len = (size_t)snprintf(buf, size,
                                  "rows of contiguous elements, "
                                  "strides [");
    for (int i = 0; i < rank - 2 && len < size; i++) {
        for (int j = i + 1; j < rank - 1 && len < size; j++)
            len += (size_t)snprintf(buf + len, size - len, "%lld*",
                                    (long long)t->shape[j]);
        if (len < size)
            len += (size_t)snprintf(buf + len, size - len, "s, ");
    }
    if (len < size)
        snprintf(buf + len, size - len,
                 "s, 1] with s >= %lld (s = %lld: "
                 "compact)",
                 (long long)cols, (long long)cols);
}

static sc_status unsupported(const DLTensor *t, const char *name)
{
    char shape[SC_DIMS_TEXT], strides[SC_DIMS_TEXT], want[160];
    format_supported(want, sizeof want, t);
    return sc_fail(SC_ERR_UNSUPPORTED,
                   "'%s' has shape %s and strides %s; supported layouts: %s",
                   name, sc_format_dims(shape, sizeof shape, t->shape, t->ndim),
                   sc_format_dims(strides, sizeof strides, t->strides, t->ndim),
                   want);
}

/* The row stride of T's strides, or -1 when they are not a supported
   layout: the last dim contiguous, the leading dims (those of size > 1)
   nested compactly over one row stride of at least COLS. */
static int64_t row_stride_of(const DLTensor *t, int64_t cols)
{
    int rank = t->ndim;
    if (t->shape[rank - 1] > 1 && t->strides[rank - 1] != 1)
        return -1;
    int64_t stride = -1, expect = -1;
    for (int i = rank - 2; i >= 0; i--) {
        int64_t d = t->shape[i], s = t->strides[i];
        if (d == 1)
            continue;
        if (stride < 0) { /* the innermost leading dim: the row stride */
            if (s < cols)
                return -1;
            stride = s;
        } else if (s != expect) {
            return -1;
        }
        if (__builtin_mul_overflow(s, d, &expect))
            expect = -1; /* no outer dim can nest over this one */
    }
    return stride < 0 ? cols : stride;
}

sc_status sc_layout(const DLTensor *t, const char *name, int64_t numel,
                    size_t elem, sc_arg *a)
{
    int rank = t->ndim;
    a->cols = rank ? t->shape[rank - 1] : 1;
    a->rows = numel ? numel / a->cols : 0; /* empty: no row to visit */
    a->stride = a->cols;
    a->span = (size_t)numel * elem;
    if (!t->strides || numel == 0 || rank == 0)
        return SC_OK;
    int64_t stride = row_stride_of(t, a->cols);
    if (stride < 0)
        return unsupported(t, name);
    /* From the first element to past the last: (rows - 1) strides and a
       row, in bytes, within ptrdiff_t. */
    int64_t last, count, bytes;
    if (__builtin_mul_overflow(a->rows - 1, stride, &last) ||
        __builtin_add_overflow(last, a->cols, &count) ||
        __builtin_mul_overflow(count, (int64_t)elem, &bytes) ||
        bytes > PTRDIFF_MAX) {
        char shape[SC_DIMS_TEXT];
        return sc_fail(SC_ERR_ARG,
                       "'%s' spans more bytes than memory can hold: shape %s, "
                       "row stride %lld",
                       name,
                       sc_format_dims(shape, sizeof shape, t->shape, rank),
                       (long long)stride);
    }
    a->stride = stride;
    a->span = (size_t)bytes;
    return SC_OK;
}
