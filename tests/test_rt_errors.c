/*
 * test_rt_errors.c - every error path of the kernels, with its status and
 * its exact message, and that a failed call writes nothing; then the
 * error policy: sc_last_error, the handler, SC_CHECK, SC_ASSERT and
 * sc_abort_on_error (death tests in a child process).
 */
#define _POSIX_C_SOURCE 200809L /* test_rt_util.h: fork, pipe */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "test_rt_util.h"

/* Asserts that CALL fails with STATUS and exactly MESSAGE. */
#define assert_fails(call, status, message)                                    \
    do {                                                                       \
        assert_int_equal((call), (status));                                    \
        assert_string_equal(sc_last_error(), (message));                       \
    } while (0)

/* A well-formed cross-entropy call on [N, C] that each test breaks in one
   place; the outputs are poisoned to see that a failure writes nothing. */
enum { N = 4, C = 5 };
typedef struct ce_args {
    float x[N * C], t[N * C], g[N * C], losses[N], loss;
    int32_t lab[N];
    int64_t xs[2], ls[1];
    DLTensor logits, labels, targets, grad, per_row;
} ce_args;

static void ce_init(ce_args *a)
{
    memset(a, 0, sizeof *a);
    for (int i = 0; i < N * C; i++) {
        a->x[i] = (float)(i % 7) * 0.5f;
        a->t[i] = i % C == 1 ? 1.0f : 0.0f;
    }
    for (int i = 0; i < N; i++)
        a->lab[i] = i % C;
    a->xs[0] = N;
    a->xs[1] = C;
    a->ls[0] = N;
    a->logits = test_tensor(a->x, a->xs, 2, TEST_F32);
    a->labels = test_tensor(a->lab, a->ls, 1, TEST_I32);
    a->targets = test_tensor(a->t, a->xs, 2, TEST_F32);
    a->grad = test_tensor(a->g, a->xs, 2, TEST_F32);
    a->per_row = test_tensor(a->losses, a->ls, 1, TEST_F32);
    test_poison(a->g, sizeof a->g);
    test_poison(a->losses, sizeof a->losses);
    test_poison(&a->loss, sizeof a->loss);
}

/* Runs every loss kernel on A, which must fail the same way in each
   (STATUS, MESSAGE), and checks that none wrote its outputs. */
static void ce_all_fail(ce_args *a, sc_status status, const char *message)
{
    assert_fails(sc_cross_entropy(&a->logits, &a->labels, &a->loss), status,
                 message);
    assert_fails(
        sc_cross_entropy_per_sample(&a->logits, &a->labels, &a->per_row),
        status, message);
    assert_fails(
        sc_cross_entropy_backward(&a->logits, &a->labels, &a->grad, &a->loss),
        status, message);
    assert_true(test_untouched(a->g, sizeof a->g));
    assert_true(test_untouched(a->losses, sizeof a->losses));
    assert_true(test_untouched(&a->loss, sizeof a->loss));
}

/* ---- The checks every tensor goes through ------------------------------ */

static void test_tensor_checks(void **state)
{
    (void)state;
    ce_args a;
    ce_init(&a);
    assert_fails(sc_cross_entropy(NULL, &a.labels, &a.loss), SC_ERR_ARG,
                 "'logits' is NULL");
    assert_fails(sc_cross_entropy(&a.logits, NULL, &a.loss), SC_ERR_ARG,
                 "'labels' is NULL");
    assert_fails(sc_cross_entropy(&a.logits, &a.labels, NULL), SC_ERR_ARG,
                 "'loss' is NULL");

    a.logits.device.device_type = kDLCUDA;
    ce_all_fail(&a, SC_ERR_UNSUPPORTED,
                "'logits' is on device type 2; only CPU tensors (kDLCPU) are "
                "supported");
    ce_init(&a);
    a.labels.device.device_type = kDLCUDAHost;
    ce_all_fail(&a, SC_ERR_UNSUPPORTED,
                "'labels' is on device type 3; only CPU tensors (kDLCPU) are "
                "supported");

    ce_init(&a);
    a.logits.ndim = -1;
    ce_all_fail(&a, SC_ERR_ARG, "'logits' has a negative rank (-1)");
    ce_init(&a);
    a.logits.shape = NULL;
    ce_all_fail(&a, SC_ERR_ARG, "'logits' has rank 2 but no shape array");
    ce_init(&a);
    a.logits.ndim = 1;
    ce_all_fail(&a, SC_ERR_SHAPE,
                "'logits' must have rank 2 but has shape [4]");

    ce_init(&a);
    a.logits.dtype = test_dtype(kDLFloat, 64);
    ce_all_fail(&a, SC_ERR_DTYPE,
                "'logits' has dtype float64 but must be float32");
    ce_init(&a);
    a.logits.dtype.lanes = 4;
    ce_all_fail(&a, SC_ERR_DTYPE,
                "'logits' has dtype float32x4 but must be float32");
    ce_init(&a);
    a.labels.dtype = test_dtype(kDLUInt, 8);
    ce_all_fail(&a, SC_ERR_DTYPE,
                "'labels' has dtype uint8 but must be float32, int32 or int64");

    ce_init(&a);
    a.xs[1] = -3;
    ce_all_fail(&a, SC_ERR_ARG, "'logits' has a negative dimension: [4, -3]");
    ce_init(&a);
    a.xs[0] = a.xs[1] = (int64_t)1 << 40;
    a.ls[0] = a.xs[0];
    ce_all_fail(&a, SC_ERR_ARG,
                "'logits' has more elements than memory can hold: "
                "[1099511627776, 1099511627776]");
    ce_init(&a); /* fits in int64_t, not in bytes */
    a.xs[0] = a.ls[0] = (int64_t)1 << 61;
    a.xs[1] = 1;
    ce_all_fail(&a, SC_ERR_ARG,
                "'logits' has more elements than memory can hold: "
                "[2305843009213693952, 1]");
}

/* Every dtype is named, and one whose code DLPack does not name (or that
   this DLPack predates) by its number: never a bare "code32". */
static void test_dtype_names(void **state)
{
    (void)state;
    ce_args a;
    ce_init(&a);
    a.logits.dtype = test_dtype(kDLBfloat, 16);
    ce_all_fail(&a, SC_ERR_DTYPE,
                "'logits' has dtype bfloat16 but must be float32");
    a.logits.dtype = test_dtype(kDLComplex, 64);
    ce_all_fail(&a, SC_ERR_DTYPE,
                "'logits' has dtype complex64 but must be float32");
    a.logits.dtype = test_dtype(200, 32);
    ce_all_fail(&a, SC_ERR_DTYPE,
                "'logits' has dtype code 200, 32 bits but must be float32");
    a.logits.dtype = test_dtype(kDLComplex + 1, 8); /* kDLBool in DLPack 0.8 */
    ce_all_fail(&a, SC_ERR_DTYPE,
                "'logits' has dtype code 6, 8 bits but must be float32");
    a.logits.dtype = test_dtype(200, 32);
    a.logits.dtype.lanes = 4;
    ce_all_fail(&a, SC_ERR_DTYPE,
                "'logits' has dtype code 200, 32 bits, 4 lanes but must be "
                "float32");
    a.logits.dtype = test_dtype(255, 255); /* the longest there is */
    a.logits.dtype.lanes = 65535;
    ce_all_fail(&a, SC_ERR_DTYPE,
                "'logits' has dtype code 255, 255 bits, 65535 lanes but must "
                "be float32");
    ce_init(&a);
    a.labels.dtype = test_dtype(200, 32);
    ce_all_fail(&a, SC_ERR_DTYPE,
                "'labels' has dtype code 200, 32 bits but must be float32, "
                "int32 or int64");
}

static void test_layout_and_data(void **state)
{
    (void)state;
    ce_args a;
    int64_t strides[2] = {1, N};
    ce_init(&a);
    a.logits.strides = strides; /* column-major */
    ce_all_fail(&a, SC_ERR_UNSUPPORTED,
                "'logits' has shape [4, 5] and strides [1, 4]; supported "
                "layouts: rows of contiguous elements, strides [s, 1] with "
                "s >= 5 (s = 5: compact)");
    /* Rows that overlap (a stride below the row's length), broadcast rows
       (stride 0) and rows backwards are refused the same way. */
    strides[1] = 1;
    for (int k = 0; k < 3; k++) {
        static const int64_t bad[3] = {4, 0, -5};
        strides[0] = bad[k];
        ce_init(&a);
        a.logits.strides = strides;
        ce_all_fail(&a, SC_ERR_UNSUPPORTED, sc_last_error());
        assert_non_null(strstr(sc_last_error(), "supported layouts: rows of "
                                                "contiguous elements"));
    }
    /* A vector must be contiguous. */
    int64_t two[1] = {2};
    ce_init(&a);
    a.labels.strides = two;
    ce_all_fail(&a, SC_ERR_UNSUPPORTED,
                "'labels' has shape [4] and strides [2]; supported layouts: a "
                "vector must be contiguous, strides [1]");
    /* Rank 3: the leading dims nested over one row stride. */
    float x3[2 * 3 * 8];
    int64_t s3[3] = {2, 3, 5}, st3[3] = {24, 8, 1};
    memset(x3, 0, sizeof x3);
    DLTensor t3 = test_tensor(x3, s3, 3, TEST_F32);
    t3.strides = st3;
    assert_int_equal(sc_softmax(&t3, &t3), SC_OK);
    st3[0] = 25;
    assert_fails(sc_softmax(&t3, &t3), SC_ERR_UNSUPPORTED,
                 "'x' has shape [2, 3, 5] and strides [25, 8, 1]; supported "
                 "layouts: rows of contiguous elements, strides [3*s, s, 1] "
                 "with s >= 5 (s = 5: compact)");
    /* Compact strides spelt out are fine, and so is any stride on a dim
       of size 1, and a row stride longer than the row (padded rows). */
    ce_init(&a);
    strides[0] = C;
    strides[1] = 1;
    a.logits.strides = strides;
    assert_int_equal(sc_cross_entropy(&a.logits, &a.labels, &a.loss), SC_OK);
    int64_t one[1] = {99};
    a.ls[0] = 1;
    a.xs[0] = 1;
    a.labels.strides = one;
    strides[0] = 12345;
    assert_int_equal(sc_cross_entropy(&a.logits, &a.labels, &a.loss), SC_OK);
    /* A padded span past the end of memory. */
    ce_init(&a);
    strides[0] = INT64_MAX / 2;
    a.logits.strides = strides;
    ce_all_fail(&a, SC_ERR_ARG,
                "'logits' spans more bytes than memory can hold: shape [4, 5], "
                "row stride 4611686018427387903");

    ce_init(&a);
    a.logits.data = NULL;
    ce_all_fail(&a, SC_ERR_ARG, "'logits' has no data (NULL)");
    ce_init(&a);
    a.logits.byte_offset = 2;
    ce_all_fail(&a, SC_ERR_ARG,
                "'logits' data is not aligned to its 4-byte elements");
    ce_init(&a);
    a.logits.byte_offset = UINT64_MAX - 8;
    ce_all_fail(&a, SC_ERR_ARG,
                "'logits' has a byte_offset past the end of memory");

    /* byte_offset is where the data starts. */
    float shifted[N * C + 3];
    ce_init(&a);
    memcpy(shifted + 3, a.x, sizeof a.x);
    float want, got;
    assert_int_equal(sc_cross_entropy(&a.logits, &a.labels, &want), SC_OK);
    a.logits.data = shifted;
    a.logits.byte_offset = 3 * sizeof(float);
    assert_int_equal(sc_cross_entropy(&a.logits, &a.labels, &got), SC_OK);
    assert_true(got == want);
}

/* ---- The losses --------------------------------------------------------- */

static void test_loss_shapes(void **state)
{
    (void)state;
    ce_args a;
    ce_init(&a);
    a.ls[0] = 3;
    ce_all_fail(&a, SC_ERR_SHAPE,
                "logits and labels must have the same first dimension: "
                "'logits' is [4, 5] but 'labels' is [3]");
    assert_fails(sc_nll(&a.logits, &a.labels, &a.loss), SC_ERR_SHAPE,
                 "logits and labels must have the same first dimension: "
                 "'log_probs' is [4, 5] but 'labels' is [3]");
    assert_fails(sc_accuracy(&a.logits, &a.labels, &a.loss), SC_ERR_SHAPE,
                 "logits and labels must have the same first dimension: "
                 "'logits' is [4, 5] but 'labels' is [3]");

    int64_t s3[3] = {N, C, 1};
    ce_init(&a);
    a.labels.shape = s3;
    a.labels.ndim = 3;
    ce_all_fail(&a, SC_ERR_SHAPE,
                "'labels' must have rank 1 or 2 but has shape [4, 5, 1]");
    ce_init(&a);
    a.labels.dtype = TEST_F32;
    ce_all_fail(&a, SC_ERR_DTYPE,
                "'labels' of shape [4] holds class indices and must be int32 "
                "or int64, not float32");
    ce_init(&a);
    a.labels = a.targets;
    a.labels.dtype = TEST_I64;
    ce_all_fail(&a, SC_ERR_DTYPE,
                "'labels' of shape [4, 5] holds target distributions and must "
                "be float32, not int64");
    int64_t ts[2] = {N, C + 1};
    ce_init(&a);
    a.labels = a.targets;
    a.labels.shape = ts;
    ce_all_fail(&a, SC_ERR_SHAPE,
                "'logits' and 'labels' must have the same shape: 'logits' is "
                "[4, 5] but 'labels' is [4, 6]");

    ce_init(&a);
    a.xs[1] = 0;
    ce_all_fail(&a, SC_ERR_SHAPE,
                "'logits' has shape [4, 0]: there must be at least one class");
    ce_init(&a);
    a.xs[0] = a.ls[0] = 0;
    assert_fails(sc_cross_entropy(&a.logits, &a.labels, &a.loss), SC_ERR_SHAPE,
                 "'logits' has shape [0, 5]: the batch must not be empty");
    assert_fails(sc_nll(&a.logits, &a.labels, &a.loss), SC_ERR_SHAPE,
                 "'log_probs' has shape [0, 5]: the batch must not be empty");
    assert_fails(
        sc_cross_entropy_backward(&a.logits, &a.labels, &a.grad, &a.loss),
        SC_ERR_SHAPE,
        "'logits' has an empty batch: the mean loss is undefined "
        "(pass loss = NULL)");
    assert_true(test_untouched(&a.loss, sizeof a.loss));
}

static void test_label_range(void **state)
{
    (void)state;
    ce_args a;
    ce_init(&a);
    a.lab[3] = C;
    ce_all_fail(&a, SC_ERR_ARG,
                "'labels' holds 5 at index 3, outside the classes [0, 5)");
    ce_init(&a);
    a.lab[0] = -1;
    ce_all_fail(&a, SC_ERR_ARG,
                "'labels' holds -1 at index 0, outside the classes [0, 5)");
    int64_t big[N] = {0, 1, (int64_t)1 << 40, 2};
    ce_init(&a);
    a.labels = test_tensor(big, a.ls, 1, TEST_I64);
    ce_all_fail(&a, SC_ERR_ARG,
                "'labels' holds 1099511627776 at index 2, outside the classes "
                "[0, 5)");
    assert_fails(sc_accuracy(&a.logits, &a.labels, &a.loss), SC_ERR_ARG,
                 "'labels' holds 1099511627776 at index 2, outside the classes "
                 "[0, 5)");
}

static void test_loss_outputs(void **state)
{
    (void)state;
    ce_args a;
    int64_t three[1] = {3}, wide[2] = {N, C + 1};
    ce_init(&a);
    a.per_row.shape = three;
    assert_fails(
        sc_cross_entropy_per_sample(&a.logits, &a.labels, &a.per_row),
        SC_ERR_SHAPE,
        "'losses' must have one entry per row of 'logits': 'losses' is [3] "
        "but 'logits' is [4, 5]");
    a.per_row = test_tensor(a.lab, a.ls, 1, TEST_I32);
    assert_fails(sc_cross_entropy_per_sample(&a.logits, &a.labels, &a.per_row),
                 SC_ERR_DTYPE, "'losses' has dtype int32 but must be float32");
    a.per_row = test_tensor(a.x + 2, a.ls, 1, TEST_F32);
    assert_fails(sc_cross_entropy_per_sample(&a.logits, &a.labels, &a.per_row),
                 SC_ERR_ARG, "'losses' overlaps 'logits'");
    a.per_row = test_tensor(a.lab, a.ls, 1, TEST_F32); /* same bytes */
    assert_fails(sc_cross_entropy_per_sample(&a.logits, &a.labels, &a.per_row),
                 SC_ERR_ARG, "'losses' overlaps 'labels'");

    ce_init(&a);
    a.grad.shape = wide;
    assert_fails(sc_cross_entropy_backward(&a.logits, &a.labels, &a.grad, NULL),
                 SC_ERR_SHAPE,
                 "'dlogits' and 'logits' must have the same shape: 'dlogits' "
                 "is [4, 6] but 'logits' is [4, 5]");
    float big[N * C + 1];
    memcpy(big, a.x, sizeof a.x);
    a.logits.data = big;
    a.grad = test_tensor(big + 1, a.xs, 2, TEST_F32); /* shifted by one */
    test_poison(big + 1, sizeof a.x);
    assert_fails(sc_cross_entropy_backward(&a.logits, &a.labels, &a.grad, NULL),
                 SC_ERR_ARG,
                 "'dlogits' overlaps 'logits' (only exactly in place is "
                 "allowed)");
    assert_true(test_untouched(big + 1, sizeof a.x));
    ce_init(&a);
    a.labels = a.targets;
    a.grad = test_tensor(a.t, a.xs, 2, TEST_F32);
    assert_fails(sc_cross_entropy_backward(&a.logits, &a.labels, &a.grad, NULL),
                 SC_ERR_ARG, "'dlogits' overlaps 'labels'");
    ce_init(&a);
    assert_fails(sc_nll(&a.logits, &a.labels, NULL), SC_ERR_ARG,
                 "'loss' is NULL");
    assert_fails(sc_accuracy(&a.logits, &a.labels, NULL), SC_ERR_ARG,
                 "'accuracy' is NULL");
}

/* The trainer's backward: DLOSSES, MODE, and what may not overlap. */
static void test_backward_ex_errors(void **state)
{
    (void)state;
    ce_args a;
    float dl[N + 1];
    int64_t ns[1] = {N}, three[1] = {3};
    for (int i = 0; i <= N; i++)
        dl[i] = 1.0f;
    DLTensor d = test_tensor(dl, ns, 1, TEST_F32);
    ce_init(&a);
    d.shape = three;
    assert_fails(sc_cross_entropy_backward_ex(&a.logits, &a.labels, &d, &a.grad,
                                              SC_GRAD_WRITE, &a.loss),
                 SC_ERR_SHAPE,
                 "'dlosses' must have one entry per row of 'logits': "
                 "'dlosses' is [3] but 'logits' is [4, 5]");
    d.shape = ns;
    d.dtype = TEST_I32;
    assert_fails(sc_cross_entropy_backward_ex(&a.logits, &a.labels, &d, &a.grad,
                                              SC_GRAD_WRITE, NULL),
                 SC_ERR_DTYPE, "'dlosses' has dtype int32 but must be float32");
    d.dtype = TEST_F32;
    assert_fails(sc_cross_entropy_backward_ex(&a.logits, &a.labels, &d, &a.grad,
                                              (sc_grad_mode)2, NULL),
                 SC_ERR_ARG,
                 "'mode' is 2: it must be SC_GRAD_WRITE or SC_GRAD_ACCUMULATE");
    /* dlogits over dlosses: refused, even accumulating. */
    int64_t gs[2] = {1, N};
    DLTensor over = test_tensor(dl, gs, 2, TEST_F32);
    int64_t xs1[2] = {1, N};
    float x1[N] = {0, 1, 2, 3};
    int32_t lab1[1] = {2};
    int64_t ls1[1] = {1};
    DLTensor x = test_tensor(x1, xs1, 2, TEST_F32);
    DLTensor y = test_tensor(lab1, ls1, 1, TEST_I32);
    DLTensor d1 = test_tensor(dl + 1, ls1, 1, TEST_F32);
    assert_fails(sc_cross_entropy_backward_ex(&x, &y, &d1, &over,
                                              SC_GRAD_ACCUMULATE, NULL),
                 SC_ERR_ARG, "'dlogits' overlaps 'dlosses'");
    for (int i = 0; i <= N; i++)
        assert_true(dl[i] == 1.0f);
    /* The empty batch, as for sc_cross_entropy_backward. */
    ce_init(&a);
    a.xs[0] = a.ls[0] = 0;
    assert_int_equal(sc_cross_entropy_backward_ex(&a.logits, &a.labels, NULL,
                                                  &a.grad, SC_GRAD_ACCUMULATE,
                                                  NULL),
                     SC_OK);
    assert_fails(sc_cross_entropy_backward_ex(&a.logits, &a.labels, NULL,
                                              &a.grad, SC_GRAD_ACCUMULATE,
                                              &a.loss),
                 SC_ERR_SHAPE,
                 "'logits' has an empty batch: the mean loss is undefined "
                 "(pass loss = NULL)");
    assert_true(test_untouched(a.g, sizeof a.g));
    assert_true(test_untouched(&a.loss, sizeof a.loss));
}

/* Two tensors on one shape array: fine by default, refused by the debug
   checks (sc_set_debug_checks) in every kernel that takes two tensors;
   one tensor passed twice (in place) is not sharing. */
static void test_debug_checks(void **state)
{
    (void)state;
    ce_args a;
    ce_init(&a);
    a.grad.shape = a.logits.shape; /* ce_init does that already */
    assert_int_equal(
        sc_cross_entropy_backward(&a.logits, &a.labels, &a.grad, NULL), SC_OK);
    sc_set_debug_checks(true);
    test_poison(a.g, sizeof a.g);
    assert_fails(sc_cross_entropy_backward(&a.logits, &a.labels, &a.grad, NULL),
                 SC_ERR_ARG,
                 "'logits' and 'dlogits' share one shape array: writing it "
                 "for one reshapes the other; give each tensor its own (an "
                 "sc_view) [debug check]");
    assert_true(test_untouched(a.g, sizeof a.g));
    int64_t own[2] = {N, C};
    a.grad.shape = own;
    assert_int_equal(
        sc_cross_entropy_backward(&a.logits, &a.labels, &a.grad, NULL), SC_OK);
    assert_int_equal(
        sc_cross_entropy_backward(&a.logits, &a.labels, &a.logits, NULL),
        SC_OK); /* in place: one tensor */
    int64_t st[2] = {C, 1};
    a.logits.strides = a.grad.strides = st;
    assert_fails(sc_cross_entropy_backward(&a.logits, &a.labels, &a.grad, NULL),
                 SC_ERR_ARG,
                 "'logits' and 'dlogits' share one strides array: writing "
                 "it for one reshapes the other; give each tensor its own (an "
                 "sc_view) [debug check]");
    /* Each kernel lists its tensors: a few of the others. */
    a.per_row.shape = a.labels.shape;
    assert_fails(sc_cross_entropy_per_sample(&a.logits, &a.labels, &a.per_row),
                 SC_ERR_ARG,
                 "'labels' and 'losses' share one shape array: writing it "
                 "for one reshapes the other; give each tensor its own (an "
                 "sc_view) [debug check]");
    float p[4] = {1, 2, 3, 4}, q[4] = {0, 0, 0, 0}, loss;
    int64_t s[1] = {4};
    DLTensor pt = test_tensor(p, s, 1, TEST_F32);
    DLTensor qt = test_tensor(q, s, 1, TEST_F32);
    assert_int_equal(sc_mse(&pt, &pt, &loss), SC_OK);
    assert_fails(sc_mse(&pt, &qt, &loss), SC_ERR_ARG,
                 "'pred' and 'target' share one shape array: writing it for "
                 "one reshapes the other; give each tensor its own (an "
                 "sc_view) [debug check]");
    assert_int_equal(sc_softmax(&pt, &qt), SC_ERR_ARG);
    assert_int_equal(sc_log_softmax(&pt, &qt), SC_ERR_ARG);
    sc_set_debug_checks(false);
    assert_int_equal(sc_mse(&pt, &qt, &loss), SC_OK);
}

/* The thread setting: a count, 0 for the default, never negative. */
static void test_num_threads(void **state)
{
    (void)state;
    int initial = sc_get_num_threads();
    assert_true(initial >= 1);
    assert_fails(sc_set_num_threads(-1), SC_ERR_ARG,
                 "sc_set_num_threads(-1): the count must be >= 1, or 0 for "
                 "the default");
    assert_int_equal(sc_get_num_threads(), initial);
    assert_int_equal(sc_set_num_threads(1), SC_OK);
    assert_int_equal(sc_get_num_threads(), 1);
    assert_int_equal(sc_set_num_threads(0), SC_OK);
    assert_int_equal(sc_get_num_threads(), initial);
}

/* Each overlapping gradient (at p + 1, at t + 1) lies inside the array it
   overlaps, one element longer than the tensors: distinct objects never
   overlap, so the input named does not depend on the compiler's stack
   layout (with t[12], the last element of t + 1 was whatever followed t:
   with clang, the start of p). */
static void test_mse_errors(void **state)
{
    (void)state;
    float p[13], t[13], g[13];
    int64_t s34[2] = {3, 4}, s24[2] = {2, 4}, s35[2] = {3, 5}, s04[2] = {0, 4};
    DLTensor pt = test_tensor(p, s34, 2, TEST_F32);
    DLTensor tt = test_tensor(t, s24, 2, TEST_F32);
    DLTensor gt = test_tensor(g, s34, 2, TEST_F32);
    memset(p, 0, sizeof p);
    memset(t, 0, sizeof t);
    float loss;
    test_poison(&loss, sizeof loss);
    test_poison(g, sizeof g);
    assert_fails(sc_mse(&pt, &tt, &loss), SC_ERR_SHAPE,
                 "logits and labels must have the same first dimension: "
                 "'pred' is [3, 4] but 'target' is [2, 4]");
    assert_fails(sc_mse_backward(&pt, &tt, &gt), SC_ERR_SHAPE,
                 "logits and labels must have the same first dimension: "
                 "'pred' is [3, 4] but 'target' is [2, 4]");
    tt.shape = s35;
    assert_fails(sc_mse(&pt, &tt, &loss), SC_ERR_SHAPE,
                 "'pred' and 'target' must have the same shape: 'pred' is "
                 "[3, 4] but 'target' is [3, 5]");
    tt.shape = s34;
    assert_fails(sc_mse(&pt, &tt, NULL), SC_ERR_ARG, "'loss' is NULL");
    pt.ndim = 0;
    assert_fails(sc_mse(&pt, &tt, &loss), SC_ERR_SHAPE,
                 "'pred' must have rank 1 or more but has shape []");
    pt.ndim = 2;
    pt.shape = tt.shape = s04;
    assert_fails(sc_mse(&pt, &tt, &loss), SC_ERR_SHAPE,
                 "'pred' has shape [0, 4]: the mean of no elements is "
                 "undefined");
    gt.shape = s04;
    assert_int_equal(sc_mse_backward(&pt, &tt, &gt), SC_OK); /* nothing */
    pt.shape = tt.shape = s34;
    gt.shape = s35;
    assert_fails(sc_mse_backward(&pt, &tt, &gt), SC_ERR_SHAPE,
                 "'dpred' and 'pred' must have the same shape: 'dpred' is "
                 "[3, 5] but 'pred' is [3, 4]");
    gt = test_tensor(t + 1, s34, 2, TEST_F32);
    gt.shape = s24;
    assert_fails(sc_mse_backward(&pt, &tt, &gt), SC_ERR_SHAPE,
                 "'dpred' and 'pred' must have the same shape: 'dpred' is "
                 "[2, 4] but 'pred' is [3, 4]");
    gt.shape = s34;
    assert_fails(sc_mse_backward(&pt, &tt, &gt), SC_ERR_ARG,
                 "'dpred' overlaps 'target' (only exactly in place is "
                 "allowed)");
    gt = test_tensor(p + 1, s34, 2, TEST_F32);
    assert_fails(sc_mse_backward(&pt, &tt, &gt), SC_ERR_ARG,
                 "'dpred' overlaps 'pred' (only exactly in place is "
                 "allowed)");
    assert_true(test_untouched(&loss, sizeof loss));
    assert_true(test_untouched(g, sizeof g));
}

/* ---- The other kernels -------------------------------------------------- */

static void test_softmax_errors(void **state)
{
    (void)state;
    float x[13], y[13]; /* x[13]: y at x + 1 stays inside x */
    int64_t s34[2] = {3, 4}, s43[2] = {4, 3};
    DLTensor xt = test_tensor(x, s34, 2, TEST_F32);
    DLTensor yt = test_tensor(y, s43, 2, TEST_F32);
    memset(x, 0, sizeof x);
    test_poison(y, sizeof y);
    assert_fails(sc_softmax(&xt, &yt), SC_ERR_SHAPE,
                 "'y' and 'x' must have the same shape: 'y' is [4, 3] but "
                 "'x' is [3, 4]");
    assert_fails(sc_log_softmax(&xt, NULL), SC_ERR_ARG, "'y' is NULL");
    yt = test_tensor(x + 1, s34, 2, TEST_F32);
    assert_fails(sc_softmax(&xt, &yt), SC_ERR_ARG,
                 "'y' overlaps 'x' (only exactly in place is allowed)");
    xt.ndim = 0;
    assert_fails(sc_softmax(&xt, &yt), SC_ERR_SHAPE,
                 "'x' must have rank 1 or more but has shape []");
    assert_true(test_untouched(y, sizeof y));
}

static void test_matmul_errors(void **state)
{
    (void)state;
    float a[6], b[20], bias[5], out[10];
    int64_t as[2] = {2, 3}, bs[2] = {4, 5}, cs[1] = {4}, os[2] = {5, 2};
    int64_t cs2[2] = {5, 1};
    memset(a, 0, sizeof a);
    memset(b, 0, sizeof b);
    memset(bias, 0, sizeof bias);
    test_poison(out, sizeof out);
    DLTensor at = test_tensor(a, as, 2, TEST_F32);
    DLTensor bt = test_tensor(b, bs, 2, TEST_F32);
    DLTensor ct = test_tensor(bias, cs, 1, TEST_F32);
    DLTensor ot = test_tensor(out, os, 2, TEST_F32);
    assert_fails(sc_matmul(&at, &bt, &ct, &ot), SC_ERR_SHAPE,
                 "'a' and 'b' must share their inner dimension: 'a' is [2, 3] "
                 "but 'b' is [4, 5]");
    bs[0] = 3;
    assert_fails(sc_matmul(&at, &bt, &ct, &ot), SC_ERR_SHAPE,
                 "'bias' must have shape [5] but has [4]");
    cs[0] = 5;
    assert_fails(sc_matmul(&at, &bt, &ct, &ot), SC_ERR_SHAPE,
                 "'out' must have shape [2, 5] but has [5, 2]");
    os[0] = 2;
    os[1] = 5;
    ct.shape = cs2;
    ct.ndim = 2;
    assert_fails(sc_matmul(&at, &bt, &ct, &ot), SC_ERR_SHAPE,
                 "'bias' must have rank 1 but has shape [5, 1]");
    ct.shape = cs;
    ct.ndim = 1;
    DLTensor alias = test_tensor(b, os, 2, TEST_F32);
    assert_fails(sc_matmul(&at, &bt, &ct, &alias), SC_ERR_ARG,
                 "'out' overlaps 'b'");
    bt.dtype = TEST_I32;
    assert_fails(sc_matmul(&at, &bt, NULL, &ot), SC_ERR_DTYPE,
                 "'b' has dtype int32 but must be float32");
    assert_true(test_untouched(out, sizeof out));
    bt.dtype = TEST_F32;
    assert_int_equal(sc_matmul(&at, &bt, NULL, &ot), SC_OK);
}

static void test_argmax_errors(void **state)
{
    (void)state;
    float x[12];
    int64_t o64[4];
    int64_t xs[2] = {3, 4}, os[1] = {4}, e[2] = {3, 0};
    memset(x, 0, sizeof x);
    test_poison(o64, sizeof o64);
    DLTensor xt = test_tensor(x, xs, 2, TEST_F32);
    DLTensor ot = test_tensor(o64, os, 1, TEST_I64);
    assert_fails(sc_argmax(&xt, &ot), SC_ERR_SHAPE,
                 "'out' must have one entry per row of 'x': 'out' is [4] but "
                 "'x' is [3, 4]");
    os[0] = 3;
    ot.dtype = TEST_F32;
    assert_fails(sc_argmax(&xt, &ot), SC_ERR_DTYPE,
                 "'out' has dtype float32 but must be int32 or int64");
    ot.dtype = TEST_I64;
    xt.shape = e;
    assert_fails(sc_argmax(&xt, &ot), SC_ERR_SHAPE,
                 "'x' has shape [3, 0]: a row needs at least one value");
    xt.shape = xs;
    DLTensor alias = test_tensor(x, os, 1, TEST_I64);
    assert_fails(sc_argmax(&xt, &alias), SC_ERR_ARG, "'out' overlaps 'x'");
    assert_true(test_untouched(o64, sizeof o64));
}

/* ---- The error policy --------------------------------------------------- */

static void test_status_names(void **state)
{
    (void)state;
    assert_string_equal(sc_status_name(SC_OK), "SC_OK");
    assert_string_equal(sc_status_name(SC_ERR_SHAPE), "SC_ERR_SHAPE");
    assert_string_equal(sc_status_name(SC_ERR_DTYPE), "SC_ERR_DTYPE");
    assert_string_equal(sc_status_name(SC_ERR_ARG), "SC_ERR_ARG");
    assert_string_equal(sc_status_name(SC_ERR_NOMEM), "SC_ERR_NOMEM");
    assert_string_equal(sc_status_name(SC_ERR_UNSUPPORTED),
                        "SC_ERR_UNSUPPORTED");
    assert_string_equal(sc_status_name((sc_status)42), "SC_ERR_?");
}

/* A success leaves the last message; sc_clear_error empties it. */
static void test_last_error_is_sticky(void **state)
{
    (void)state;
    ce_args a;
    ce_init(&a);
    assert_int_equal(sc_cross_entropy(&a.logits, &a.labels, NULL), SC_ERR_ARG);
    assert_int_equal(sc_cross_entropy(&a.logits, &a.labels, &a.loss), SC_OK);
    assert_string_equal(sc_last_error(), "'loss' is NULL");
    sc_clear_error();
    assert_string_equal(sc_last_error(), "");
}

/* What a handler saw. */
typedef struct seen {
    int calls;
    sc_status status;
    char message[512];
    const char *file;
    int line;
} seen;

static void record(sc_status status, const char *message, const char *file,
                   int line, void *user)
{
    seen *s = user;
    s->calls++;
    s->status = status;
    snprintf(s->message, sizeof s->message, "%s", message);
    s->file = file;
    s->line = line;
}

static void test_handler(void **state)
{
    (void)state;
    seen s = {0, SC_OK, "", NULL, -1};
    ce_args a;
    ce_init(&a);
    sc_set_error_handler(record, &s);
    assert_int_equal(sc_cross_entropy(&a.logits, &a.labels, &a.loss), SC_OK);
    assert_int_equal(s.calls, 0);
    assert_int_equal(sc_cross_entropy(&a.logits, &a.labels, NULL), SC_ERR_ARG);
    assert_int_equal(s.calls, 1);
    assert_int_equal(s.status, SC_ERR_ARG);
    assert_string_equal(s.message, "'loss' is NULL");
    assert_null(s.file);
    assert_int_equal(s.line, 0);
    /* Through SC_CHECK: the caller's file and line. */
    int line = __LINE__ + 1;
    sc_status st = SC_CHECK(sc_cross_entropy(&a.logits, NULL, &a.loss));
    assert_int_equal(st, SC_ERR_ARG);
    assert_int_equal(s.calls, 2);
    assert_string_equal(s.message, "'labels' is NULL");
    assert_non_null(s.file);
    assert_non_null(strstr(s.file, "test_rt_errors.c"));
    assert_int_equal(s.line, line);
    /* And forgotten after it. */
    assert_int_equal(SC_CHECK(sc_cross_entropy(&a.logits, &a.labels, &a.loss)),
                     SC_OK);
    assert_int_equal(sc_mse(NULL, NULL, NULL), SC_ERR_ARG);
    assert_int_equal(s.calls, 3);
    assert_null(s.file);
    sc_set_error_handler(NULL, NULL);
    assert_int_equal(sc_mse(NULL, NULL, NULL), SC_ERR_ARG);
    assert_int_equal(s.calls, 3);
}

/* Children for the death tests. */
static void plain_call_aborts(void)
{
    sc_set_error_handler(sc_abort_on_error, NULL);
    sc_mse(NULL, NULL, NULL);
}

static void checked_call_aborts(void)
{
    sc_set_error_handler(sc_abort_on_error, NULL);
    fprintf(stderr, "line %d\n", __LINE__ + 1);
    SC_CHECK(sc_mse(NULL, NULL, NULL));
}

static void assert_macro_aborts(void)
{
    fprintf(stderr, "line %d\n", __LINE__ + 1);
    SC_ASSERT(sc_mse(NULL, NULL, NULL));
}

static void assert_macro_passes(void)
{
    float p[2] = {1, 2}, loss;
    int64_t s[1] = {2};
    DLTensor t = test_tensor(p, s, 1, TEST_F32);
    SC_ASSERT(sc_mse(&t, &t, &loss));
}

/* The line the child announced, then its report at that line. */
static void assert_reported_at(const char *out, const char *report)
{
    char want[512];
    int line = 0;
    assert_int_equal(sscanf(out, "line %d", &line), 1);
    snprintf(want, sizeof want, "test_rt_errors.c:%d: error: %s", line, report);
    assert_non_null(strstr(out, want));
}

static void test_death(void **state)
{
    (void)state;
    char out[1024];
    assert_true(test_aborts(plain_call_aborts, out, sizeof out));
    assert_string_equal(out,
                        "shapecheck_rt: error: 'pred' is NULL [SC_ERR_ARG]\n");
    assert_true(test_aborts(checked_call_aborts, out, sizeof out));
    assert_reported_at(out, "'pred' is NULL [SC_ERR_ARG]\n");
    assert_true(test_aborts(assert_macro_aborts, out, sizeof out));
    assert_reported_at(out, "'pred' is NULL [SC_ERR_ARG]\n");
    assert_non_null(strstr(out, "note: in sc_mse(NULL, NULL, NULL)"));
    assert_false(test_aborts(assert_macro_passes, out, sizeof out));
    assert_string_equal(out, "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tensor_checks),
        cmocka_unit_test(test_dtype_names),
        cmocka_unit_test(test_layout_and_data),
        cmocka_unit_test(test_loss_shapes),
        cmocka_unit_test(test_label_range),
        cmocka_unit_test(test_loss_outputs),
        cmocka_unit_test(test_backward_ex_errors),
        cmocka_unit_test(test_debug_checks),
        cmocka_unit_test(test_num_threads),
        cmocka_unit_test(test_mse_errors),
        cmocka_unit_test(test_softmax_errors),
        cmocka_unit_test(test_matmul_errors),
        cmocka_unit_test(test_argmax_errors),
        cmocka_unit_test(test_status_names),
        cmocka_unit_test(test_last_error_is_sticky),
        cmocka_unit_test(test_handler),
        cmocka_unit_test(test_death),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
