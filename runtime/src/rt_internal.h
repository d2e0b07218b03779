/*
 * rt_internal.h - what the runtime library's files share and do not
 * export: failure reporting, tensor validation, the per-CPU row kernels.
 *
 * Every kernel follows one shape: validate all its arguments through the
 * sc_check_* helpers (each failure goes through sc_fail(), which sets the
 * message and calls the handler), then compute.  Nothing is written before
 * the last check has passed.
 */
#ifndef SHAPECHECK_RT_INTERNAL_H
#define SHAPECHECK_RT_INTERNAL_H

#include "shapecheck_rt.h"

#include <stddef.h>
#include <stdint.h>

#if defined(__GNUC__)
#define SC_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define SC_PRINTF(f, a)
#endif

/* ---- Failure reporting (rt_error.c) ------------------------------------ */

/* Formats the message into this thread's sc_last_error() buffer, calls the
   error handler if one is set, and returns STATUS, so that a check reads
   "return sc_fail(SC_ERR_ARG, "'%s' is NULL", name);". */
sc_status sc_fail(sc_status status, const char *fmt, ...) SC_PRINTF(2, 3);

/* ---- Tensor validation (rt_check.c) ----------------------------------- */

/* The dtypes a kernel accepts, as a mask. */
enum {
    SC_DT_F32 = 1 << 0,
    SC_DT_I32 = 1 << 1,
    SC_DT_I64 = 1 << 2,
};

/* A validated tensor, as the kernels use it. */
typedef struct sc_view {
    void *data;          /* first element: DLTensor data + byte_offset */
    int dtype;           /* one SC_DT_* bit */
    int rank;            /* ndim */
    const int64_t *dims; /* the tensor's shape array (rank entries) */
    int64_t numel;       /* product of dims; fits, with bytes, in ptrdiff_t */
    size_t bytes;        /* numel * element size */
} sc_view;

/* Validates T, called NAME in messages: not NULL, on the CPU, rank in
   [MIN_RANK, MAX_RANK], dims >= 0, a dtype in DTYPES, an element count
   whose byte size fits in ptrdiff_t, compact row-major strides, data (when
   there are elements) not NULL and aligned to its element size.  Fills *V
   on success. */
sc_status sc_check_tensor(const DLTensor *t, const char *name, int min_rank,
                          int max_rank, int dtypes, sc_view *v);

/* Fails with SC_ERR_ARG unless P (called NAME) is not NULL. */
sc_status sc_check_ptr(const void *p, const char *name);

/* SC_ERR_ARG when OUT's bytes overlap IN's, except when ALLOW_SAME and
   both are the very same elements (an in-place call). */
sc_status sc_check_no_overlap(const sc_view *out, const char *out_name,
                              const sc_view *in, const char *in_name,
                              int allow_same);

/* SC_ERR_SHAPE unless X and Y (rank >= 1) have the same first dimension,
   with the static checker's wording (SPEC section 4): "logits and labels
   must have the same first dimension: 'x' is [..] but 'y' is [..]". */
sc_status sc_check_batch(const sc_view *x, const char *x_name, const sc_view *y,
                         const char *y_name);

/* SC_ERR_SHAPE unless A and B have the same shape. */
sc_status sc_check_same_shape(const sc_view *a, const char *a_name,
                              const sc_view *b, const char *b_name);

/* Writes "[32, 10]" into BUF (always NUL-terminated, truncated with "..."
   when it does not fit); returns BUF, to use inside a printf. */
char *sc_format_dims(char *buf, size_t size, const int64_t *dims, int rank);

/* Writes "float32", "int64", "float32x4"... into BUF; returns BUF. */
char *sc_format_dtype(char *buf, size_t size, DLDataType dt);

/* Labels of a loss, validated against logits [n, c]. */
typedef struct sc_labels {
    int dtype;        /* SC_DT_I32 or SC_DT_I64 (indices) or SC_DT_F32 */
    const void *data; /* n indices, or n * c targets */
    sc_view view;     /* the labels tensor, for overlap checks */
} sc_labels;

/* Row I's targets, or NULL for index labels. */
static inline const float *sc_targets_row(const sc_labels *l, int64_t i,
                                          int64_t c)
{
    return l->dtype == SC_DT_F32 ? (const float *)l->data + i * c : NULL;
}

/* Validates the (LOGITS, LABELS) pair of a loss: LOGITS [N, C] float32,
   N >= MIN_N, C >= 1; LABELS [N] indices, all in [0, C), or [N, C]
   float32.  LOGITS_NAME is the first parameter's name ("logits",
   "log_probs").  Fills *X and *L. */
sc_status sc_check_loss_args(const DLTensor *logits, const char *logits_name,
                             const DLTensor *labels, int64_t min_n, sc_view *x,
                             sc_labels *l);

/* The class index of row I of index labels L. */
static inline int64_t sc_label_at(const sc_labels *l, int64_t i)
{
    return l->dtype == SC_DT_I32 ? ((const int32_t *)l->data)[i]
                                 : ((const int64_t *)l->data)[i];
}

/* ---- Threads ------------------------------------------------------------- */

/* Built with OpenMP (SHAPECHECK_RT_OPENMP), the kernels split their rows
   across threads when a call has at least this many elements: below it,
   waking threads costs more than it saves.  Without OpenMP the pragmas are
   not compiled and every kernel runs on the caller's thread. */
#define SC_PARALLEL_MIN ((int64_t)1 << 18)

/* ---- Row kernels, one set per instruction set (rt_simd*.c) ------------- */

/* Softmax statistics of a row x[0..n): its max M and S = sum exp(x - M);
   with targets T (or NULL), also TS = sum t and TD = sum over t != 0 of
   t * (x - M), which give the soft-target loss TS * log(S) - TD without
   cancellation.  An all -inf row gives M = -inf, S = 0 (row_stats) or NaN
   (row_exp); NaN anywhere gives S = NaN. */
typedef struct sc_row_stats {
    float max;
    double sum, tsum, tdot;
} sc_row_stats;

/* The row kernels of one instruction set (rt_simd.inc).  X and T are rows
   of N floats; MORE is how many floats after x[n - 1] (and t[n - 1])
   belong to the same array and are read next (the next row: they are
   prefetched), 0 for the last row. */
typedef struct sc_simd_ops {
    const char *name; /* "generic", "avx2", "avx512" */
    /* The statistics in one pass over memory (the loss kernels). */
    void (*row_stats)(const float *x, const float *t, int64_t n, int64_t more,
                      sc_row_stats *st);
    /* The three passes of a kernel that writes a row: the max; then
       y = exp(x - max), with the statistics (Y may be X); then
       y = (y * mul - t) * scale, T may be NULL. */
    float (*row_max)(const float *x, const float *t, int64_t n, int64_t more);
    void (*row_exp)(const float *x, const float *t, int64_t n, float max,
                    float *y, sc_row_stats *st);
    void (*row_scale)(float *y, const float *t, int64_t n, float mul,
                      float scale);
} sc_simd_ops;

/* The ops for this CPU, chosen once (thread-safe, lock-free). */
const sc_simd_ops *sc_simd(void);

/* Forces the ops named NAME ("generic", "avx2", "avx512"; NULL: the best
   for this CPU).  Returns 0, or -1 when NAME is unknown or the CPU lacks
   it.  For tests and the benchmark, which compare the variants. */
int sc_simd_force(const char *name);

extern const sc_simd_ops sc_simd_generic;
#if defined(SC_HAVE_AVX2)
extern const sc_simd_ops sc_simd_avx2;
#endif
#if defined(SC_HAVE_AVX512)
extern const sc_simd_ops sc_simd_avx512;
#endif

/* ---- Matrix multiply (rt_matmul.c) ------------------------------------ */

/* OUT [m, n] = A [m, k] B [k, n] (+ BIAS [n] when not NULL) with the
   built-in blocked loop, whatever the build; the benchmark compares it
   with BLAS. */
void sc_matmul_builtin(const float *a, const float *b, const float *bias,
                       float *out, int64_t m, int64_t k, int64_t n);

#endif /* SHAPECHECK_RT_INTERNAL_H */
