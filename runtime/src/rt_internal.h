/*
 * rt_internal.h - what the runtime library's files share and do not
 * export: failure reporting, tensor validation and layouts, the row
 * drivers of the softmax family, threads, and the per-CPU chunk kernels.
 *
 * Every kernel follows one shape: validate all its arguments through the
 * sc_check_* helpers (each failure goes through sc_fail(), which sets the
 * message and calls the handler), then compute.  Nothing is written before
 * the last check has passed.
 */
#ifndef SHAPECHECK_RT_INTERNAL_H
#define SHAPECHECK_RT_INTERNAL_H

#include "shapecheck_rt.h"

#include <stdatomic.h>
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

/* Writes "[32, 10]" into BUF (always NUL-terminated, truncated with "..."
   when it does not fit); returns BUF, to use inside a printf. */
char *sc_format_dims(char *buf, size_t size, const int64_t *dims, int rank);

/* Writes "float32", "int64", "float32x4"... into BUF, or for a type code
   DLPack does not name (here) "code 200, 32 bits" and "code 200, 32 bits,
   4 lanes"; returns BUF.  48 bytes hold any dtype. */
char *sc_format_dtype(char *buf, size_t size, DLDataType dt);

/* ---- Tensor validation (rt_check.c, rt_layout.c) ----------------------- */

/* Room for a tensor's shape or strides inside a message. */
#define SC_DIMS_TEXT 96

/* The dtypes a kernel accepts, as a mask. */
enum {
    SC_DT_F32 = 1 << 0,
    SC_DT_I32 = 1 << 1,
    SC_DT_I64 = 1 << 2,
};

/* A validated tensor argument, as the kernels use it: ROWS rows of COLS
   elements (COLS the last dim, ROWS the product of the others), row R
   starting STRIDE elements after row R - 1.  Compact tensors have STRIDE
   = COLS; padded rows (SPEC section 6, layouts v2) a larger one. */
typedef struct sc_arg {
    void *data;          /* first element: DLTensor data + byte_offset */
    int dtype;           /* one SC_DT_* bit */
    int rank;            /* ndim */
    const int64_t *dims; /* the tensor's shape array (rank entries) */
    int64_t numel;       /* product of dims */
    int64_t rows, cols;  /* numel = rows * cols (rank 0: 1 x 1) */
    int64_t stride;      /* elements from a row to the next, >= cols */
    size_t span;         /* bytes from the first element to past the last;
                            0 when empty; fits in ptrdiff_t */
} sc_arg;

/* Row I of float tensor A. */
static inline float *sc_row(const sc_arg *a, int64_t i)
{
    return (float *)a->data + i * a->stride;
}

/* Validates T, called NAME in messages: not NULL, on the CPU, rank in
   [MIN_RANK, MAX_RANK], dims >= 0, a dtype in DTYPES, a supported layout
   (rt_layout.c) whose bytes fit in ptrdiff_t, data (when there are
   elements) not NULL and aligned to its element size.  Fills *A on
   success. */
sc_status sc_check_tensor(const DLTensor *t, const char *name, int min_rank,
                          int max_rank, int dtypes, sc_arg *a);

/* The layout of T (dims already checked >= 0, NUMEL elements of ELEM
   bytes) as rows, cols and a row stride into *A; SC_ERR_UNSUPPORTED, with
   the layouts that are supported, for any other strides, and SC_ERR_ARG
   when the span does not fit in ptrdiff_t. */
sc_status sc_layout(const DLTensor *t, const char *name, int64_t numel,
                    size_t elem, sc_arg *a);

/* Fails with SC_ERR_ARG unless P (called NAME) is not NULL. */
sc_status sc_check_ptr(const void *p, const char *name);

/* SC_ERR_ARG when OUT's span overlaps IN's, except when ALLOW_SAME and
   both are the very same elements in the same layout (an in-place call).
   Spans, not elements: two padded views that interleave without sharing
   an element are refused all the same. */
sc_status sc_check_no_overlap(const sc_arg *out, const char *out_name,
                              const sc_arg *in, const char *in_name,
                              int allow_same);

/* SC_ERR_SHAPE unless X and Y (rank >= 1) have the same first dimension,
   with the static checker's wording (SPEC section 4): "logits and labels
   must have the same first dimension: 'x' is [..] but 'y' is [..]". */
sc_status sc_check_batch(const sc_arg *x, const char *x_name, const sc_arg *y,
                         const char *y_name);

/* SC_ERR_SHAPE unless A and B have the same shape. */
sc_status sc_check_same_shape(const sc_arg *a, const char *a_name,
                              const sc_arg *b, const char *b_name);

/* OUT, called NAME, must be a float32 vector of one entry per row of X
   [N, C] (called X_NAME): SC_ERR_SHAPE otherwise. */
sc_status sc_check_per_row(const DLTensor *out, const char *name,
                           const sc_arg *x, const char *x_name, sc_arg *o);

/* The debug check (sc_set_debug_checks): SC_ERR_ARG when two of the COUNT
   tensors T (NULL entries skipped, one tensor passed twice allowed), named
   NAMES, share a shape or strides array.  Nothing when the checks are off,
   at the cost of one relaxed load. */
sc_status sc_check_shared_arrays(const DLTensor *const *t,
                                 const char *const *names, int count);

/* Labels of a loss, validated against logits [n, c]. */
typedef struct sc_labels {
    int dtype;        /* SC_DT_I32 or SC_DT_I64 (indices) or SC_DT_F32 */
    const void *data; /* n indices, or the first row of targets */
    int64_t stride;   /* targets: floats from a row to the next */
    sc_arg arg;       /* the labels tensor, for overlap checks */
} sc_labels;

/* Row I's targets, or NULL for index labels. */
static inline const float *sc_targets_row(const sc_labels *l, int64_t i)
{
    return l->dtype == SC_DT_F32 ? (const float *)l->data + i * l->stride
                                 : NULL;
}

/* The class index of row I of index labels L. */
static inline int64_t sc_label_at(const sc_labels *l, int64_t i)
{
    return l->dtype == SC_DT_I32 ? ((const int32_t *)l->data)[i]
                                 : ((const int64_t *)l->data)[i];
}

/* Validates the (LOGITS, LABELS) pair of a loss: LOGITS [N, C] float32,
   N >= MIN_N, C >= 1; LABELS [N] indices, all in [0, C), or [N, C]
   float32.  LOGITS_NAME is the first parameter's name ("logits",
   "log_probs").  Fills *X and *L. */
sc_status sc_check_loss_args(const DLTensor *logits, const char *logits_name,
                             const DLTensor *labels, int64_t min_n, sc_arg *x,
                             sc_labels *l);

/* ---- Threads (rt_parallel.c) ------------------------------------------- */

/* A piece of a kernel over rows [r0, r1), run as part PART of the call's
   team (0 <= PART < team), returning what it sums. */
typedef double (*sc_rows_fn)(const void *ctx, int64_t r0, int64_t r1, int part);

/* The threads a call over ROWS rows that reads WORK elements gets: 1
   below the cut-off (SC_PARALLEL_MIN), without OpenMP, inside a parallel
   region, or for one row; else sc_get_num_threads(), at most ROWS. */
int sc_team(int64_t rows, int64_t work);

/* FN over rows [0, ROWS) in TEAM contiguous ranges (sc_team's answer), on
   the caller's thread when TEAM is 1.  Returns the sum of FN's results,
   added in the order of the ranges, so that a team size always gives the
   same sum. */
double sc_for_rows(int64_t rows, int team, sc_rows_fn fn, const void *ctx);

/* Moves the cut-off from SC_PARALLEL_MIN to ELEMENTS, for every thread:
   for the benchmark, which measures where threads start to pay. */
void sc_parallel_min_set(int64_t elements);

/* ---- Chunk kernels, one set per instruction set (rt_simd*.c) ---------- */

/* Rows are processed in chunks of this many floats (4 KB: a chunk's
   second look, after its max, hits L1). */
#define SC_CHUNK 4096

/* Softmax statistics of a row, built chunk by chunk against a reference
   REF (rt_rows.c): MAX, the row's max (NaN ignored), S = sum exp(x - ref);
   with targets T, also TS = sum t and TD = sum over t != 0 of t * (x -
   ref).  The loss is then log S - (x[label] - ref), or TS log S - TD with
   targets, and the softmax exp(x - ref) / S.  NaN anywhere gives S =
   NaN. */
typedef struct sc_row_stats {
    float ref, max;
    double sum, tsum, tdot;
} sc_row_stats;

/* What a first pass over one chunk found, against the reference it was
   given: its max (NaN ignored), and its sums as in sc_row_stats. */
typedef struct sc_chunk_sums {
    float max;
    double sum, tsum, tdot;
    int64_t stored; /* exps stored into E[0..stored) (sc_first's ZEROS) */
} sc_chunk_sums;

/* The first pass over a chunk of a row: X (and targets T, or NULL)
   against REF into *OUT; exp(x - ref) stored in E when E is not NULL
   (exactly 0 where it underflows; E may be X).
   With ZEROS, E holds an accumulated gradient: the exps are stored only
   while E holds +0.0 where they go (a freshly zeroed gradient), up to the
   first vector that does not (OUT->stored); the rest of the chunk only
   adds to the statistics. */
typedef struct sc_first {
    const float *x, *t;
    float *e;
    int zeros;
    float ref;
    sc_chunk_sums *out;
    /* With FINAL, what is stored is already the gradient, as sc_second
       would make it of the exps: (e * MUL - t) * SCALE (the row's sum
       known beforehand, rt_memo.c). */
    int final;
    float mul, scale;
} sc_first;

/* The second pass over a chunk of a row.  With X NULL, from the exps the
   first pass stored in G: G = (g * MUL - T) * SCALE.  With X, from the
   logits again: G (= or +=, ACCUMULATE) (exp(x - REF) * MUL - T) *
   SCALE.  T NULL for none. */
typedef struct sc_second {
    const float *x, *t;
    float *g;
    float ref, mul, scale;
    int accumulate;
} sc_second;

/* The chunk kernels of one instruction set (rt_simd.inc).  Chunks are of
   N <= SC_CHUNK floats. */
typedef struct sc_simd_ops {
    const char *name; /* "generic", "avx2", "avx512" */
    /* The max of X[0..n), NaN ignored. */
    float (*row_max)(const float *x, int64_t n);
    void (*first)(const sc_first *f, int64_t n);
    void (*second)(const sc_second *k, int64_t n);
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

/* ---- The last forward's row statistics (rt_memo.c) -------------------- */

/* Calls over fewer logits, or over shorter rows, keep and use no memo:
   their rows stay in cache between a backward's two passes, where the
   second costs little (and a memo of short rows would cost more than a
   64th of the logits' memory). */
#define SC_MEMO_MIN ((int64_t)1 << 15)
#define SC_MEMO_MIN_COLS 256

/* One row as a loss forward found it: its final reference and its sum of
   exp(x - ref) (sc_row_stats). */
typedef struct sc_memo_row {
    float ref;
    double sum;
} sc_memo_row;

/* A loss forward over X begins: this thread's memo, emptied, with room for
   X's rows, which the forward fills by index; NULL (nothing to fill) below
   SC_MEMO_MIN or SC_MEMO_MIN_COLS, or when memory is short. */
sc_memo_row *sc_memo_begin(const sc_arg *x);

/* The forward that sc_memo_begin(X) returned rows for has filled them
   all: they are X's. */
void sc_memo_end(const sc_arg *x);

/* The rows kept for logits at X's address in X's layout, or NULL.  To be
   verified row by row (rt_rows.c): the logits there may have changed. */
const sc_memo_row *sc_memo_find(const sc_arg *x);

/* Drops this thread's memo: its logits were overwritten, or a row did not
   verify. */
void sc_memo_forget(void);

/* What a backward's rows did with the statistics they were given. */
typedef struct sc_memo_tally {
    atomic_llong one_pass; /* rows written in one pass */
    atomic_int stale;      /* a row's statistics did not verify */
} sc_memo_tally;

/* After a backward: drops the memo if a row found it stale, and records
   the rows done in one pass for sc_memo_one_pass_rows. */
void sc_memo_settle(const sc_memo_tally *t);

/* The rows that this thread's last backward wrote in one pass (0 when it
   had no memo): for tests and the benchmark. */
int64_t sc_memo_one_pass_rows(void);

/* ---- Row drivers of the softmax family (rt_rows.c) -------------------- */

/* One call of the family over logit rows X [n, c]: what to compute for
   each row. */
typedef struct sc_rows_job {
    const sc_simd_ops *ops;
    const sc_arg *x;      /* the logits, rows of c floats */
    const sc_labels *l;   /* labels, or NULL (softmax: no target, no loss) */
    float *losses;        /* each row's loss, or NULL */
    const float *dlosses; /* each row's scale, or NULL for SCALE */
    double scale;
    const sc_arg *g;          /* the output rows (backward, softmax) */
    int accumulate;           /* G += instead of G = */
    int want_loss;            /* backward: the rows' losses are summed */
    sc_memo_row *keep;        /* forward: each row's statistics, or NULL */
    const sc_memo_row *known; /* backward: the forward's, or NULL */
    sc_memo_tally *tally;     /* backward, with KNOWN: what the rows did */
} sc_rows_job;

/* The cross-entropy of rows [r0, r1) of JOB (a const sc_rows_job *), one
   pass over each row; each row's loss into JOB->losses when not NULL.
   Returns their sum.  An sc_rows_fn. */
double sc_rows_loss(const void *job, int64_t r0, int64_t r1, int part);

/* The gradient of rows [r0, r1) of JOB: G (= or +=) (softmax - target) *
   scale, each row in two passes (rt_rows.c), or in one where JOB->known
   holds the row's statistics and they verify.  With labels and WANT_LOSS,
   returns the sum of the rows' losses; else 0 (softmax: scale 1, no
   target, writes the softmax).  An sc_rows_fn. */
double sc_rows_grad(const void *job, int64_t r0, int64_t r1, int part);

/* The statistics of one row X[0..n) with targets T (or NULL). */
void sc_row_stats_of(const sc_simd_ops *ops, const float *x, const float *t,
                     int64_t n, sc_row_stats *st);

/* ---- Matrix multiply (rt_matmul.c) ------------------------------------ */

/* OUT [m, n] (row stride LDO) = A [m, k] (LDA) B [k, n] (LDB) (+ BIAS [n]
   when not NULL) with the built-in blocked loop, whatever the build; the
   benchmark compares it with BLAS. */
void sc_matmul_builtin(const float *a, int64_t lda, const float *b, int64_t ldb,
                       const float *bias, float *out, int64_t ldo, int64_t m,
                       int64_t k, int64_t n);

#endif /* SHAPECHECK_RT_INTERNAL_H */
