/*
 * shapecheck_rt.h - the shapecheck runtime library: shape-checked kernels
 * on DLPack tensors, and run-time shape assertions in the dimension
 * language of the static checker (SPEC section 6).
 *
 * The static checker proves what it can; sizes known only when the program
 * runs (a batch size from the command line, a short last batch) are caught
 * here, with the same messages and the same dimension language.
 *
 * Tensors are DLPack DLTensors on the CPU, float32 data, int32 or int64
 * class indices.  Layouts (SPEC section 6, v2): compact row-major, or
 * row-major with padded rows: strides [row_stride, 1] with row_stride >=
 * the row's length, like BLAS's lda (llm.c's logits are [N, V] rows inside
 * an [N, Vp] buffer); byte_offset is honoured.  The library never takes
 * ownership of a tensor or its memory.
 *
 * Every function that can fail returns an sc_status and, on failure:
 *   - writes nothing through any of its output arguments,
 *   - leaves a message in sc_last_error() (this thread only),
 *   - calls the error handler, if one is set (sc_set_error_handler).
 * A successful call leaves sc_last_error() as it was, like errno: read it
 * only after a failure, or clear it first with sc_clear_error().
 *
 * Every function may be called from any thread at once; the error handler
 * and the settings (threads, debug checks) are the process-wide state.
 * Built with OpenMP (the default where the compiler has it), calls of at
 * least SC_PARALLEL_MIN elements split their rows across threads.
 *
 * The parameters carry SHAPE, RETURNS_SHAPE and SHAPE_LOSS annotations
 * (shapecheck.h) so that the static checker also understands the calls.
 * Reading order: status and errors, settings, tensor constructors,
 * losses, other kernels, shape assertions.
 */
#ifndef SHAPECHECK_RT_H
#define SHAPECHECK_RT_H

#include <dlpack/dlpack.h>
#include <stdbool.h>
#include <stdint.h>

#include "shapecheck.h"

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define SC_API __attribute__((visibility("default")))
#else
#define SC_API
#endif

/* "int64_t a[SC_AT_LEAST 2]": a C99 hint that A has at least two elements
   (compilers warn on NULL or a shorter array); C++ has no such syntax. */
#ifdef __cplusplus
#define SC_AT_LEAST
#else
#define SC_AT_LEAST static
#endif

/* ---- Status and errors ---------------------------------------------- */

typedef enum sc_status {
    SC_OK = 0,
    SC_ERR_SHAPE,      /* a shape does not match what the call needs */
    SC_ERR_DTYPE,      /* a dtype the call does not accept */
    SC_ERR_ARG,        /* NULL, a label out of range, a bad annotation... */
    SC_ERR_NOMEM,      /* memory ran out */
    SC_ERR_UNSUPPORTED /* valid but not handled: a GPU tensor, a layout other
                          than rows of contiguous elements */
} sc_status;

/* Message of the last failure on this thread; "" when none.  A successful
   call does not clear it (as with errno), so that a caller may run several
   calls and read the message of the one that failed.  The string belongs
   to the library and stays valid until the next failure on this thread. */
SC_API const char *sc_last_error(void);

/* Empties this thread's sc_last_error(). */
SC_API void sc_clear_error(void);

/* "SC_OK", "SC_ERR_SHAPE", ...; "SC_ERR_?" for a value outside the enum. */
SC_API const char *sc_status_name(sc_status status);

/* Called on every failure, after sc_last_error() is set.  FILE and LINE
   are the caller's when the call went through SC_CHECK/SC_ASSERT, else
   NULL and 0.  A handler may return (the call then returns STATUS) or not
   return (abort, longjmp). */
typedef void (*sc_error_handler)(sc_status status, const char *message,
                                 const char *file, int line, void *user);

/* Installs HANDLER (NULL: none, the default: only status codes) for every
   thread.  Set it once, before other threads call into the library. */
SC_API void sc_set_error_handler(sc_error_handler handler, void *user);

/* A ready-made handler that turns failures into assertions: prints
   "FILE:LINE: error: MESSAGE [SC_ERR_...]" to stderr and aborts. */
SC_API void sc_abort_on_error(sc_status status, const char *message,
                              const char *file, int line, void *user);

/* Call-site bookkeeping for the macros below; not for direct use. */
SC_API void sc_call_site_begin(const char *file, int line);
SC_API sc_status sc_call_site_end(sc_status status);
SC_API void sc_assert_failed(sc_status status, const char *call,
                             const char *file, int line);

/* SC_CHECK(call): evaluates CALL (an expression of type sc_status) with
   the caller's file and line recorded, so that the error handler reports
   them; yields CALL's status. */
#define SC_CHECK(call)                                                         \
    (sc_call_site_begin(__FILE__, __LINE__), sc_call_site_end(call))

/* SC_ASSERT(call): as SC_CHECK, then on failure prints the message with
   the caller's file and line and aborts, whatever handler is set. */
#define SC_ASSERT(call)                                                        \
    do {                                                                       \
        sc_status sc_assert_status_ = SC_CHECK(call);                          \
        if (sc_assert_status_ != SC_OK)                                        \
            sc_assert_failed(sc_assert_status_, #call, __FILE__, __LINE__);    \
    } while (0)

/* ---- Settings ------------------------------------------------------- */

/* Calls with at least this many elements (rows times columns of the
   largest tensor they read; 1 MB of floats) split their rows across
   threads.  Below it, waking a thread that has gone to sleep (10 to 50 us
   where it was measured) costs as much as the second thread saves
   (docs/runtime.md, "Threads"). */
#define SC_PARALLEL_MIN ((int64_t)1 << 18)

/* The most threads a large call uses, for every thread of the process:
   N >= 1, or 0 for OpenMP's default (OMP_NUM_THREADS, else one per core).
   A negative N is SC_ERR_ARG.  A library built without OpenMP accepts the
   setting and runs every call on the caller's thread.  A call made from
   inside an OpenMP parallel region runs on its caller's thread. */
SC_API sc_status sc_set_num_threads(int n);

/* The threads a large call would use now: 1 without OpenMP. */
SC_API int sc_get_num_threads(void);

/* Debug checks: extra checks of every call that are too slow or too
   strict to be on by default.  Today one: two tensor arguments of one
   call that share one shape (or strides) array are SC_ERR_ARG, since a
   constructor that later writes the array for one of them silently
   reshapes the other (sc_view owns its arrays and avoids it).  Off unless
   this is called, or the environment has SHAPECHECK_RT_DEBUG=1 when the
   first call checks it. */
SC_API void sc_set_debug_checks(bool on);

/* ---- Tensor constructors ---------------------------------------------- */

/* A DLTensor with its own shape and strides: the tensor points at the two
   arrays beside it, so that no other tensor can change its shape.  Build
   one in place with an sc_view_* constructor and pass the DLTensor * it
   returns (or &v.tensor); do not copy an sc_view, as the copy's tensor
   would still point at the original's arrays. */
#define SC_VIEW_MAX_RANK 4
typedef struct sc_view {
    DLTensor tensor;                   /* shape and strides point below */
    int64_t shape[SC_VIEW_MAX_RANK];   /* tensor.ndim of them in use */
    int64_t strides[SC_VIEW_MAX_RANK]; /* in elements, when not compact */
} sc_view;

/* Each fills *V as a CPU tensor that views DATA (not copied, not owned)
   and returns &v->tensor.  They validate nothing: the kernels do.  The
   RETURNS_SHAPE annotation tells the static checker the result's shape:

       sc_view lv;
       const DLTensor *logits = sc_view_f32_rows(&lv, buf, B * T, V, Vp); */
SC_API DLTensor *sc_view_f32_1d(sc_view *v, float *data, int64_t n)
    RETURNS_SHAPE(n);
SC_API DLTensor *sc_view_f32_2d(sc_view *v, float *data, int64_t rows,
                                int64_t cols) RETURNS_SHAPE(rows, cols);
/* ROWS rows of COLS floats, each ROW_STRIDE floats after the previous one
   (strides [row_stride, 1]): the first COLS columns of a [rows,
   row_stride] buffer, as llm.c's [N, V] logits in an [N, Vp] buffer. */
SC_API DLTensor *sc_view_f32_rows(sc_view *v, float *data, int64_t rows,
                                  int64_t cols, int64_t row_stride)
    RETURNS_SHAPE(rows, cols);
SC_API DLTensor *sc_view_f32_3d(sc_view *v, float *data, int64_t d0, int64_t d1,
                                int64_t d2) RETURNS_SHAPE(d0, d1, d2);
SC_API DLTensor *sc_view_i32_1d(sc_view *v, int32_t *data, int64_t n)
    RETURNS_SHAPE(n);
SC_API DLTensor *sc_view_i64_1d(sc_view *v, int64_t *data, int64_t n)
    RETURNS_SHAPE(n);

/* The first constructors, kept for the programs that use them: each
   returns, by value, a compact tensor whose shape array is SHAPE_STORE,
   caller memory that must outlive the tensor.  Two tensors built on one
   SHAPE_STORE share it, so the second call reshapes the first: give each
   its own array (the debug checks catch a shared one), or use sc_view. */
SC_API DLTensor sc_tensor_f32_1d(float *data,
                                 int64_t shape_store[SC_AT_LEAST 1], int64_t n)
    RETURNS_SHAPE(n);
SC_API DLTensor sc_tensor_f32_2d(float *data,
                                 int64_t shape_store[SC_AT_LEAST 2],
                                 int64_t rows, int64_t cols)
    RETURNS_SHAPE(rows, cols);
SC_API DLTensor sc_tensor_f32_3d(float *data,
                                 int64_t shape_store[SC_AT_LEAST 3], int64_t d0,
                                 int64_t d1, int64_t d2)
    RETURNS_SHAPE(d0, d1, d2);
SC_API DLTensor sc_tensor_i32_1d(int32_t *data,
                                 int64_t shape_store[SC_AT_LEAST 1], int64_t n)
    RETURNS_SHAPE(n);
SC_API DLTensor sc_tensor_i64_1d(int64_t *data,
                                 int64_t shape_store[SC_AT_LEAST 1], int64_t n)
    RETURNS_SHAPE(n);

/* ---- Losses ----------------------------------------------------------- */

/* The loss kernels share their LABELS argument:
     [N] int32 or int64 class indices, each in [0, C), or
     [N, C] float32 target distributions (one-hot or soft; not checked to
     sum to 1; a zero target contributes nothing, even on a -inf logit).
   A batch mismatch is SC_ERR_SHAPE with a message that starts "logits and
   labels must have the same first dimension", as the checker's.  A label
   out of range is SC_ERR_ARG, found before anything is written.  The
   losses read each logit row from memory once (an online softmax
   normaliser); the backward reads it once more, from cache, to write the
   gradient, except right after the losses on the same logits: they keep
   each row's statistics for the calling thread (16 bytes a row, for calls
   of at least 2^15 logits in rows of at least 256; freed when the thread
   ends), and the backward then writes each row in one pass.  A failed
   allocation of those only costs the second pass.  Sums over a batch are
   in double.  NaN in a row gives NaN; a row of -inf only gives NaN; a
   label on a -inf logit gives +inf.  Only the logits' own columns are
   read: the padding of padded rows is never touched. */

/* Mean softmax cross-entropy over the batch (N >= 1, C >= 1) into *LOSS. */
SC_API sc_status sc_cross_entropy(const DLTensor *logits SHAPE(N, C),
                                  const DLTensor *labels SHAPE(N, ...),
                                  float *loss) SHAPE_LOSS(logits, labels);

/* Per-sample cross-entropy: LOSSES [N] float32 receives each row's loss.
   LOSSES must not overlap the inputs. */
SC_API sc_status sc_cross_entropy_per_sample(const DLTensor *logits SHAPE(N, C),
                                             const DLTensor *labels SHAPE(N,
                                                                          ...),
                                             DLTensor *losses SHAPE(N))
    SHAPE_LOSS(logits, labels);

/* Gradient of the mean cross-entropy with respect to the logits, fused:
   DLOGITS [N, C] float32 = (softmax(logits) - target) / N.  DLOGITS may be
   LOGITS itself (in place: same data, same layout) but must not otherwise
   overlap the inputs.  LOSS, when not NULL, receives the mean loss as a
   by-product at no extra cost.  sc_cross_entropy_backward_ex with
   DLOSSES NULL and SC_GRAD_WRITE. */
SC_API sc_status sc_cross_entropy_backward(const DLTensor *logits SHAPE(N, C),
                                           const DLTensor *labels SHAPE(N, ...),
                                           DLTensor *dlogits SHAPE(N, C),
                                           float *loss)
    SHAPE_LOSS(logits, labels);

/* How a backward kernel stores the gradient: replacing what DLOGITS held,
   or adding to it (a trainer's gradient buffer, zeroed once per step). */
typedef enum sc_grad_mode {
    SC_GRAD_WRITE = 0,
    SC_GRAD_ACCUMULATE = 1
} sc_grad_mode;

/* The trainer's backward:
   dlogits[i, :] (= or +=) dlosses[i] * (softmax(logits[i, :]) - target[i, :]);
   DLOSSES [N] float32 (the upstream gradient of each row's loss, llm.c's
   dlosses), or NULL for 1/N each (the mean loss).  MODE is SC_GRAD_WRITE
   or SC_GRAD_ACCUMULATE (anything else is SC_ERR_ARG).  DLOGITS may be
   LOGITS itself, as for sc_cross_entropy_backward, and must not overlap
   LABELS or DLOSSES.  LOSS as in sc_cross_entropy_backward: the mean loss
   over the batch (unweighted), or NULL.  One pass over each logit row from
   memory and one from cache; DLOGITS is written (or read and written)
   once.  Called right after sc_cross_entropy_per_sample or
   sc_cross_entropy on the same logits, on the same thread, each row takes
   only the first pass, against the row statistics that forward kept
   (checked as it goes: logits changed in between cost time, never a
   wrong gradient; docs/runtime.md). */
SC_API sc_status sc_cross_entropy_backward_ex(
    const DLTensor *logits SHAPE(N, C), const DLTensor *labels SHAPE(N, ...),
    const DLTensor *dlosses SHAPE(N), DLTensor *dlogits SHAPE(N, C),
    sc_grad_mode mode, float *loss) SHAPE_LOSS(logits, labels);

/* Mean negative log-likelihood of LOG_PROBS [N, C] float32 (for instance
   from sc_log_softmax): mean of -log_probs[i, label[i]], or with [N, C]
   targets, mean of -sum_j t[i, j] * log_probs[i, j] over t != 0. */
SC_API sc_status sc_nll(const DLTensor *log_probs SHAPE(N, C),
                        const DLTensor *labels SHAPE(N, ...), float *loss)
    SHAPE_LOSS(log_probs, labels);

/* Mean squared error of PRED and TARGET, float32 of one shape (rank >= 1,
   at least one element): mean((pred - target)^2), summed in double. */
SC_API sc_status sc_mse(const DLTensor *pred SHAPE(N, ...),
                        const DLTensor *target SHAPE(N, ...), float *loss)
    SHAPE_LOSS(pred, target);

/* Gradient of sc_mse with respect to PRED: DPRED = 2 (pred - target) / n,
   n the element count.  DPRED may be PRED or TARGET itself (in place) but
   must not otherwise overlap them. */
SC_API sc_status sc_mse_backward(const DLTensor *pred SHAPE(N, ...),
                                 const DLTensor *target SHAPE(N, ...),
                                 DLTensor *dpred SHAPE(N, ...))
    SHAPE_LOSS(pred, target);

/* ---- Other kernels ---------------------------------------------------- */

/* Softmax over the last dimension of X (rank >= 1, float32) into Y, a
   float32 tensor of the same shape; Y may be X (in place). */
SC_API sc_status sc_softmax(const DLTensor *x SHAPE(..., C),
                            DLTensor *y SHAPE(..., C));

/* Log-softmax over the last dimension, as sc_softmax. */
SC_API sc_status sc_log_softmax(const DLTensor *x SHAPE(..., C),
                                DLTensor *y SHAPE(..., C));

/* OUT [M, N] = A [M, K] x B [K, N] (+ BIAS [N] on every row, when BIAS is
   not NULL); all float32, rows possibly padded (the leading dimensions
   are the row strides).  OUT must not overlap the inputs.
   Built with OpenBLAS, the product is cblas_sgemm's (it won the benchmark,
   docs/runtime.md) but for tiny ones (M K N <= 1024), where a blocked loop
   is quicker than the call; without a BLAS, the blocked loop. */
SC_API sc_status sc_matmul(const DLTensor *a SHAPE(M, K),
                           const DLTensor *b SHAPE(K, N),
                           const DLTensor *bias SHAPE(N),
                           DLTensor *out SHAPE(M, N));

/* OUT [N] (int32 or int64) = the index of each row's largest value in X
   [N, C] float32, C >= 1; the first one on ties; NaN is never largest
   unless the whole row is NaN (then 0). */
SC_API sc_status sc_argmax(const DLTensor *x SHAPE(N, C),
                           DLTensor *out SHAPE(N));

/* *ACCURACY = the fraction of rows of LOGITS [N, C] (N >= 1) whose argmax
   is the label: LABELS as for the losses; with [N, C] targets, the label
   is each target row's argmax. */
SC_API sc_status sc_accuracy(const DLTensor *logits SHAPE(N, C),
                             const DLTensor *labels SHAPE(N, ...),
                             float *accuracy);

/* ---- Shape assertions ------------------------------------------------- */

#define SC_SCOPE_MAX 16 /* symbols one scope can hold */
#define SC_NAME_MAX 32  /* bytes of a symbol or 'what' name, NUL included */

/* One symbol of a scope and where its value came from. */
typedef struct sc_binding {
    char symbol[SC_NAME_MAX];   /* a dimension-language path: "N", "cfg->b" */
    char bound_by[SC_NAME_MAX]; /* the 'what' whose dim bound it, truncated
                                   to fit; "" when bound by sc_bind() */
    int64_t value;              /* >= 0 */
} sc_binding;

/* Symbols bound across the assertions that share it, as in jaxtyping: a
   symbol is bound by the first dim it meets, then compared.  A plain
   value, no heap memory: declare one on the stack per step or call. */
typedef struct sc_scope {
    int count;                         /* bindings in use */
    sc_binding bindings[SC_SCOPE_MAX]; /* in the order they were bound */
} sc_scope;

/* Empties S. */
SC_API void sc_scope_init(sc_scope *s);

/* Binds SYMBOL (a NAME or path, at most SC_NAME_MAX - 1 characters) to
   VALUE >= 0 in S.  Binding it again to the same value is fine; to another
   is SC_ERR_SHAPE.  Bad symbol, negative value, full scope: SC_ERR_ARG. */
SC_API sc_status sc_bind(sc_scope *s, const char *symbol, int64_t value);

/* Looks SYMBOL up in S: true and *VALUE when bound.  Never fails loudly. */
SC_API bool sc_scope_get(const sc_scope *s, const char *symbol, int64_t *value);

/* Asserts that tensor T, called WHAT in messages, has SHAPE, a text in the
   dimension language ("N, C", "B, T*2, ...", "_, 3").  '...' matches zero
   or more dims at the front and back, '_' any one dim.  A plain NAME not
   yet bound in S is bound to its dim (left to right); every other entry
   is evaluated with S's bindings and compared.  On a mismatch returns
   SC_ERR_SHAPE with a message that names both sides and the bindings,
   e.g. "'labels' has shape [64] but N = 32 (bound by 'logits')", and S is
   unchanged.  A text that does not parse, or an entry with an unbound
   name inside an expression, is SC_ERR_ARG.  Parses SHAPE on each call
   (one small allocation): an assertion, not a kernel. */
SC_API sc_status sc_expect(sc_scope *s, const char *what, const DLTensor *t,
                           const char *shape);

/* As sc_expect, for RANK sizes at DIMS (a plain array: a buffer's shape). */
SC_API sc_status sc_expect_dims(sc_scope *s, const char *what,
                                const int64_t *dims, int rank,
                                const char *shape);

/* SC_EXPECT(s, t, shape): sc_expect named after the expression T, as an
   assertion: on failure prints the message at the caller's file and line
   and aborts. */
#define SC_EXPECT(s, t, shape) SC_ASSERT(sc_expect((s), #t, (t), (shape)))

#ifdef __cplusplus
}
#endif

#endif /* SHAPECHECK_RT_H */
