/*
 * rt_check.c - validation of the kernels' arguments: DLTensors (pointer,
 * device, rank, dims, dtype, size, layout, data) and the relations between
 * them (same shape, overlap, the labels of a loss), and the debug checks.
 *
 * The checks run in the order a user would fix them: NULL, device, rank,
 * dims, dtype, size, layout (rt_layout.c), data.  They read the tensors
 * only, except the labels' range, which reads the N class indices.
 */
#include "rt_internal.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

sc_status sc_check_ptr(const void *p, const char *name)
{
    if (!p)
        return sc_fail(SC_ERR_ARG, "'%s' is NULL", name);
    return SC_OK;
}

/* The SC_DT_* bit of DT, or 0 for a dtype no kernel takes. */
static int dtype_bit(DLDataType dt)
{
    if (dt.lanes != 1)
        return 0;
    if (dt.code == kDLFloat && dt.bits == 32)
        return SC_DT_F32;
    if (dt.code == kDLInt && dt.bits == 32)
        return SC_DT_I32;
    if (dt.code == kDLInt && dt.bits == 64)
        return SC_DT_I64;
    return 0;
}

/* "float32", "int32 or int64", ... for the dtypes in MASK. */
static const char *dtype_list(int mask)
{
    switch (mask) {
    case SC_DT_F32:
        return "float32";
    case SC_DT_I32 | SC_DT_I64:
        return "int32 or int64";
    case SC_DT_F32 | SC_DT_I32 | SC_DT_I64:
        return "float32, int32 or int64";
    default:
        return "another dtype";
    }
}

static sc_status check_rank(const DLTensor *t, const char *name, int min_rank,
                            int max_rank)
{
    if (t->ndim < 0)
        return sc_fail(SC_ERR_ARG, "'%s' has a negative rank (%d)", name,
                       t->ndim);
    if (t->ndim > 0 && !t->shape)
        return sc_fail(SC_ERR_ARG, "'%s' has rank %d but no shape array", name,
                       t->ndim);
    if (t->ndim >= min_rank && t->ndim <= max_rank)
        return SC_OK;
    char shape[SC_DIMS_TEXT];
    sc_format_dims(shape, sizeof shape, t->shape, t->ndim);
    if (min_rank == max_rank)
        return sc_fail(SC_ERR_SHAPE, "'%s' must have rank %d but has shape %s",
                       name, min_rank, shape);
    if (max_rank == min_rank + 1)
        return sc_fail(SC_ERR_SHAPE,
                       "'%s' must have rank %d or %d but has shape %s", name,
                       min_rank, max_rank, shape);
    return sc_fail(SC_ERR_SHAPE,
                   "'%s' must have rank %d or more but has shape %s", name,
                   min_rank, shape);
}

/* Element count of T's dims into *NUMEL; fails when a dim is negative or
   the count, in bytes of ELEM, does not fit in ptrdiff_t. */
static sc_status count_elements(const DLTensor *t, const char *name,
                                size_t elem, int64_t *numel)
{
    char shape[SC_DIMS_TEXT];
    int64_t n = 1;
    int overflow = 0, empty = 0;
    for (int i = 0; i < t->ndim; i++) {
        if (t->shape[i] < 0)
            return sc_fail(
                SC_ERR_ARG, "'%s' has a negative dimension: %s", name,
                sc_format_dims(shape, sizeof shape, t->shape, t->ndim));
        overflow |= __builtin_mul_overflow(n, t->shape[i], &n);
        empty |= t->shape[i] == 0;
    }
    /* A zero dim makes the product of the others empty, not an overflow
       (and an overflow may wrap to 0: only a zero dim makes it empty). */
    if (empty) {
        overflow = 0;
        n = 0;
    }
    if (overflow || n > PTRDIFF_MAX / (int64_t)elem)
        return sc_fail(SC_ERR_ARG,
                       "'%s' has more elements than memory can hold: %s", name,
                       sc_format_dims(shape, sizeof shape, t->shape, t->ndim));
    *numel = n;
    return SC_OK;
}

/* T's data, not NULL when there are BYTES to read, aligned to ELEM, and
   BYTES from data + byte_offset within memory. */
static sc_status check_data(const DLTensor *t, const char *name, size_t elem,
                            size_t bytes, void **data)
{
    uintptr_t base = (uintptr_t)t->data;
    if (bytes == 0) {
        *data = (char *)t->data; /* never dereferenced */
        return SC_OK;
    }
    if (!t->data)
        return sc_fail(SC_ERR_ARG, "'%s' has no data (NULL)", name);
    if (t->byte_offset > UINTPTR_MAX - base ||
        bytes - 1 > UINTPTR_MAX - base - t->byte_offset)
        return sc_fail(SC_ERR_ARG,
                       "'%s' has a byte_offset past the end of "
                       "memory",
                       name);
    uintptr_t first = base + (uintptr_t)t->byte_offset;
    if (first % elem)
        return sc_fail(SC_ERR_ARG,
                       "'%s' data is not aligned to its %zu-byte elements",
                       name, elem);
    *data = (char *)t->data + t->byte_offset;
    return SC_OK;
}

sc_status sc_check_tensor(const DLTensor *t, const char *name, int min_rank,
                          int max_rank, int dtypes, sc_arg *a)
{
    sc_status st;
    if ((st = sc_check_ptr(t, name)))
        return st;
    if (t->device.device_type != kDLCPU)
        return sc_fail(SC_ERR_UNSUPPORTED,
                       "'%s' is on device type %d; only CPU tensors (kDLCPU) "
                       "are supported",
                       name, (int)t->device.device_type);
    if ((st = check_rank(t, name, min_rank, max_rank)))
        return st;
    int dt = dtype_bit(t->dtype);
    if (!(dt & dtypes)) {
        char have[48];
        return sc_fail(SC_ERR_DTYPE, "'%s' has dtype %s but must be %s", name,
                       sc_format_dtype(have, sizeof have, t->dtype),
                       dtype_list(dtypes));
    }
    size_t elem = dt == SC_DT_I64 ? 8 : 4;
    int64_t numel = 0;
    if ((st = count_elements(t, name, elem, &numel)) ||
        (st = sc_layout(t, name, numel, elem, a)) ||
        (st = check_data(t, name, elem, a->span, &a->data)))
        return st;
    a->dtype = dt;
    a->rank = t->ndim;
    a->dims = t->shape;
    a->numel = numel;
    return SC_OK;
}

sc_status sc_check_same_shape(const sc_arg *a, const char *a_name,
                              const sc_arg *b, const char *b_name)
{
    int same = a->rank == b->rank;
    for (int i = 0; same && i < a->rank; i++)
        same = a->dims[i] == b->dims[i];
    if (same)
        return SC_OK;
    char as[SC_DIMS_TEXT], bs[SC_DIMS_TEXT];
    return sc_fail(SC_ERR_SHAPE,
                   "'%s' and '%s' must have the same shape: '%s' is %s but "
                   "'%s' is %s",
                   a_name, b_name, a_name,
                   sc_format_dims(as, sizeof as, a->dims, a->rank), b_name,
                   sc_format_dims(bs, sizeof bs, b->dims, b->rank));
}

sc_status sc_check_no_overlap(const sc_arg *out, const char *out_name,
                              const sc_arg *in, const char *in_name,
                              int allow_same)
{
    if (!out->span || !in->span)
        return SC_OK;
    uintptr_t o = (uintptr_t)out->data, i = (uintptr_t)in->data;
    if (o >= i + in->span || i >= o + out->span)
        return SC_OK;
    if (allow_same && o == i && out->span == in->span &&
        out->stride == in->stride && out->cols == in->cols)
        return SC_OK;
    return sc_fail(SC_ERR_ARG, "'%s' overlaps '%s'%s", out_name, in_name,
                   allow_same ? " (only exactly in place is allowed)" : "");
}

sc_status sc_check_batch(const sc_arg *x, const char *x_name, const sc_arg *y,
                         const char *y_name)
{
    if (x->dims[0] == y->dims[0])
        return SC_OK;
    char xs[SC_DIMS_TEXT], ys[SC_DIMS_TEXT];
    return sc_fail(SC_ERR_SHAPE,
                   "logits and labels must have the same first dimension: "
                   "'%s' is %s but '%s' is %s",
                   x_name, sc_format_dims(xs, sizeof xs, x->dims, x->rank),
                   y_name, sc_format_dims(ys, sizeof ys, y->dims, y->rank));
}

/* Every index label in [0, C), checked before anything is written. */
static sc_status check_label_range(const sc_labels *l, int64_t n, int64_t c)
{
    for (int64_t i = 0; i < n; i++) {
        int64_t k = sc_label_at(l, i);
        if (k < 0 || k >= c)
            return sc_fail(SC_ERR_ARG,
                           "'labels' holds %lld at index %lld, outside the "
                           "classes [0, %lld)",
                           (long long)k, (long long)i, (long long)c);
    }
    return SC_OK;
}

/* LABELS (Y) in one of its two forms: [N] indices or [N, C] targets. */
static sc_status check_labels_form(const sc_arg *x, const char *x_name,
                                   const sc_arg *y)
{
    char s[SC_DIMS_TEXT];
    if (y->rank == 1 && y->dtype == SC_DT_F32)
        return sc_fail(SC_ERR_DTYPE,
                       "'labels' of shape %s holds class indices and must be "
                       "int32 or int64, not float32",
                       sc_format_dims(s, sizeof s, y->dims, y->rank));
    if (y->rank == 2 && y->dtype != SC_DT_F32)
        return sc_fail(SC_ERR_DTYPE,
                       "'labels' of shape %s holds target distributions and "
                       "must be float32, not %s",
                       sc_format_dims(s, sizeof s, y->dims, y->rank),
                       y->dtype == SC_DT_I32 ? "int32" : "int64");
    if (y->rank == 2)
        return sc_check_same_shape(x, x_name, y, "labels");
    return SC_OK;
}

/* At least MIN_N rows and one class in X [N, C]. */
static sc_status check_loss_sizes(const sc_arg *x, const char *x_name,
                                  int64_t min_n)
{
    char s[SC_DIMS_TEXT];
    if (x->dims[0] < min_n)
        return sc_fail(SC_ERR_SHAPE,
                       "'%s' has shape %s: the batch must not be empty", x_name,
                       sc_format_dims(s, sizeof s, x->dims, 2));
    if (x->dims[1] < 1)
        return sc_fail(SC_ERR_SHAPE,
                       "'%s' has shape %s: there must be at least one class",
                       x_name, sc_format_dims(s, sizeof s, x->dims, 2));
    return SC_OK;
}

sc_status sc_check_loss_args(const DLTensor *logits, const char *logits_name,
                             const DLTensor *labels, int64_t min_n, sc_arg *x,
                             sc_labels *l)
{
    sc_status st;
    sc_arg y;
    if ((st = sc_check_tensor(logits, logits_name, 2, 2, SC_DT_F32, x)) ||
        (st = sc_check_tensor(labels, "labels", 1, 2,
                              SC_DT_F32 | SC_DT_I32 | SC_DT_I64, &y)) ||
        (st = sc_check_batch(x, logits_name, &y, "labels")) ||
        (st = check_labels_form(x, logits_name, &y)) ||
        (st = check_loss_sizes(x, logits_name, min_n)))
        return st;
    l->dtype = y.dtype;
    l->data = y.data;
    l->stride = y.stride;
    l->arg = y;
    return y.rank == 1 ? check_label_range(l, x->dims[0], x->dims[1]) : SC_OK;
}

sc_status sc_check_per_row(const DLTensor *out, const char *name,
                           const sc_arg *x, const char *x_name, sc_arg *o)
{
    sc_status st;
    if ((st = sc_check_tensor(out, name, 1, 1, SC_DT_F32, o)))
        return st;
    if (o->dims[0] == x->dims[0])
        return SC_OK;
    char os[SC_DIMS_TEXT], xs[SC_DIMS_TEXT];
    return sc_fail(SC_ERR_SHAPE,
                   "'%s' must have one entry per row of '%s': '%s' is %s but "
                   "'%s' is %s",
                   name, x_name, name,
                   sc_format_dims(os, sizeof os, o->dims, 1), x_name,
                   sc_format_dims(xs, sizeof xs, x->dims, x->rank));
}

/* ---- Debug checks ----------------------------------------------------- */

/* -1 until the first call looks at the environment; then 0 or 1.  Every
   thread that races to the first look finds the same answer. */
static atomic_int debug_checks = -1;

void sc_set_debug_checks(bool on)
{
    atomic_store_explicit(&debug_checks, on ? 1 : 0, memory_order_relaxed);
}

static int debug_checks_on(void)
{
    int on = atomic_load_explicit(&debug_checks, memory_order_relaxed);
    if (on < 0) {
        const char *env = getenv("SHAPECHECK_RT_DEBUG");
        int want = env && env[0] && strcmp(env, "0") != 0;
        int unset = -1;
        atomic_compare_exchange_strong(&debug_checks, &unset, want);
        on = atomic_load_explicit(&debug_checks, memory_order_relaxed);
    }
    return on;
}

/* Whether A and B (distinct tensors) share a shape or strides array: the
   array's name ("shape", "strides") or NULL. */
static const char *shared_array(const DLTensor *a, const DLTensor *b)
{
    if (a->ndim > 0 && b->ndim > 0 && a->shape && a->shape == b->shape)
        return "shape";
    if (a->ndim > 0 && b->ndim > 0 && a->strides && a->strides == b->strides)
        return "strides";
    return NULL;
}

sc_status sc_check_shared_arrays(const DLTensor *const *t,
                                 const char *const *names, int count)
{
    if (!debug_checks_on())
        return SC_OK;
    for (int i = 0; i < count; i++)
        for (int j = i + 1; j < count; j++) {
            const char *what;
            if (!t[i] || !t[j] || t[i] == t[j] ||
                !(what = shared_array(t[i], t[j])))
                continue;
            return sc_fail(SC_ERR_ARG,
                           "'%s' and '%s' share one %s array: writing it for "
                           "one reshapes the other; give each tensor its own "
                           "(an sc_view) [debug check]",
                           names[i], names[j], what);
        }
    return SC_OK;
}
