/*
 * test_rt_kernels.c - the kernels other than cross-entropy (softmax,
 * log-softmax, NLL, MSE and its backward, matmul, argmax, accuracy) and
 * the tensor constructors, against double-precision references.
 */
#define _POSIX_C_SOURCE 200809L /* test_rt_util.h: fork, pipe */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "test_rt_util.h"

/* Runs FN once per variant this CPU runs, then restores the best. */
static void each_variant(void (*fn)(void))
{
    for (int v = 0; v < TEST_VARIANTS; v++)
        if (sc_simd_force(test_variants[v]) == 0)
            fn();
    sc_simd_force(NULL);
}

/* ---- Constructors ----------------------------------------------------- */

static void test_constructors(void **state)
{
    (void)state;
    float f[24];
    int32_t i32[3];
    int64_t i64[3], s1[1], s2[2], s3[3];
    DLTensor t = sc_tensor_f32_2d(f, s2, 4, 6);
    assert_ptr_equal(t.data, f);
    assert_int_equal(t.device.device_type, kDLCPU);
    assert_int_equal(t.ndim, 2);
    assert_ptr_equal(t.shape, s2);
    assert_int_equal(s2[0], 4);
    assert_int_equal(s2[1], 6);
    assert_null(t.strides);
    assert_int_equal(t.byte_offset, 0);
    assert_int_equal(t.dtype.code, kDLFloat);
    assert_int_equal(t.dtype.bits, 32);
    assert_int_equal(t.dtype.lanes, 1);
    t = sc_tensor_f32_3d(f, s3, 2, 3, 4);
    assert_int_equal(t.ndim, 3);
    assert_int_equal(s3[0] * s3[1] * s3[2], 24);
    t = sc_tensor_f32_1d(f, s1, 24);
    assert_int_equal(t.ndim, 1);
    assert_int_equal(s1[0], 24);
    t = sc_tensor_i32_1d(i32, s1, 3);
    assert_int_equal(t.dtype.code, kDLInt);
    assert_int_equal(t.dtype.bits, 32);
    t = sc_tensor_i64_1d(i64, s1, 3);
    assert_int_equal(t.dtype.bits, 64);
    assert_ptr_equal(t.data, i64);
}

/* sc_view: the tensor points at the view's own arrays, so two views never
   share one, and the padded form says its row stride. */
static void test_views(void **state)
{
    (void)state;
    float f[24];
    int32_t i32[3];
    int64_t i64[3];
    sc_view a, b, c;
    DLTensor *t = sc_view_f32_2d(&a, f, 4, 6);
    DLTensor *u = sc_view_f32_2d(&b, f, 2, 12);
    assert_ptr_equal(t, &a.tensor);
    assert_ptr_equal(t->shape, a.shape);
    assert_true(t->shape != u->shape);
    assert_int_equal(t->shape[0], 4); /* not reshaped by the second view */
    assert_int_equal(t->shape[1], 6);
    assert_int_equal(t->ndim, 2);
    assert_null(t->strides);
    assert_ptr_equal(t->data, f);
    assert_int_equal(t->device.device_type, kDLCPU);
    assert_int_equal(t->dtype.code, kDLFloat);
    assert_int_equal(t->dtype.bits, 32);
    assert_int_equal(t->dtype.lanes, 1);
    assert_int_equal(t->byte_offset, 0);
    t = sc_view_f32_rows(&c, f, 3, 5, 8);
    assert_ptr_equal(t->strides, c.strides);
    assert_int_equal(t->strides[0], 8);
    assert_int_equal(t->strides[1], 1);
    assert_int_equal(t->shape[1], 5);
    t = sc_view_f32_3d(&a, f, 2, 3, 4);
    assert_int_equal(t->ndim, 3);
    assert_int_equal(a.shape[0] * a.shape[1] * a.shape[2], 24);
    assert_null(t->strides); /* a view rebuilt in place forgets the old */
    t = sc_view_f32_1d(&a, f, 24);
    assert_int_equal(t->ndim, 1);
    t = sc_view_i32_1d(&a, i32, 3);
    assert_int_equal(t->dtype.code, kDLInt);
    assert_int_equal(t->dtype.bits, 32);
    t = sc_view_i64_1d(&a, i64, 3);
    assert_int_equal(t->dtype.bits, 64);
    assert_ptr_equal(t->data, i64);
}

/* ---- Softmax, log-softmax --------------------------------------------- */

/* Y = softmax(X) and Z = log_softmax(X), X [rows, c] viewed with RANK
   dims, against the double reference. */
static void check_softmax_of(const float *x, const float *y, const float *z,
                             int64_t rows, int64_t c, int rank)
{
    for (int64_t r = 0; r < (rank == 1 ? 1 : rows); r++) {
        double lse = ref_logsumexp(x + r * c, c);
        for (int64_t j = 0; j < c; j++) {
            double lp = x[r * c + j] - lse;
            /* exp amplifies the rounding of x - max: |lp| ulps */
            double rel = 1e-6 + fabs(lp) * 1.2e-7;
            assert_true(test_close(y[r * c + j], exp(lp), rel, 1e-37));
            assert_true(test_close(z[r * c + j], lp, 1e-6, 2e-6));
        }
    }
}

/* Softmax of x [rows, c] viewed with RANK dims (the last is c), out of
   place and in place, and log-softmax, against the reference. */
static void check_softmax(int64_t rows, int64_t c, int rank, float scale)
{
    int64_t n = rows * c, shape[3] = {rows, c, 0};
    if (rank == 1)
        shape[0] = c;
    if (rank == 3) {
        shape[0] = 1;
        shape[1] = rows;
        shape[2] = c;
    }
    float *x = test_floats(n), *y = test_floats(n), *z = test_floats(n);
    for (int64_t i = 0; i < n; i++)
        x[i] = test_uniform(-scale, scale);
    DLTensor xt = test_tensor(x, shape, rank, TEST_F32);
    DLTensor yt = test_tensor(y, shape, rank, TEST_F32);
    DLTensor zt = test_tensor(z, shape, rank, TEST_F32);
    assert_int_equal(sc_softmax(&xt, &yt), SC_OK);
    assert_int_equal(sc_log_softmax(&xt, &zt), SC_OK);
    check_softmax_of(x, y, z, rows, c, rank);
    /* In place, as close to the reference. */
    memcpy(y, x, (size_t)n * sizeof *y);
    memcpy(z, x, (size_t)n * sizeof *z);
    assert_int_equal(sc_softmax(&yt, &yt), SC_OK);
    assert_int_equal(sc_log_softmax(&zt, &zt), SC_OK);
    check_softmax_of(x, y, z, rows, c, rank);
    free(x);
    free(y);
    free(z);
}

static void softmax_shapes(void)
{
    test_seed(11);
    check_softmax(1, 1, 2, 1);
    check_softmax(1, 7, 1, 3);
    check_softmax(5, 33, 2, 10);
    check_softmax(4, 1025, 3, 20);
    check_softmax(2, 50257, 2, 8);
    check_softmax(3, 64, 2, 1e4f);
}

static void test_softmax(void **state)
{
    (void)state;
    each_variant(softmax_shapes);
}

/* A -inf entry gets exactly 0; a row of -inf is NaN (0/0), as in PyTorch;
   an empty last dimension is nothing to do. */
static void test_softmax_masked(void **state)
{
    (void)state;
    float x[2 * 3] = {1, -INFINITY, 2, -INFINITY, -INFINITY, -INFINITY};
    float y[6];
    int64_t s[2] = {2, 3}, e[2] = {4, 0};
    DLTensor xt = test_tensor(x, s, 2, TEST_F32);
    DLTensor yt = test_tensor(y, s, 2, TEST_F32);
    assert_int_equal(sc_softmax(&xt, &yt), SC_OK);
    assert_true(y[1] == 0.0f);
    assert_true(test_close(y[0] + y[2], 1.0, 1e-6, 0));
    assert_true(isnan(y[3]) && isnan(y[4]) && isnan(y[5]));
    DLTensor et = test_tensor(x, e, 2, TEST_F32);
    assert_int_equal(sc_softmax(&et, &et), SC_OK);
    assert_int_equal(sc_log_softmax(&et, &et), SC_OK);
}

/* ---- NLL ---------------------------------------------------------------- */

/* NLL of log_softmax(x) is the cross-entropy of x; with indices and with
   soft targets. */
static void test_nll(void **state)
{
    (void)state;
    enum { N = 6, C = 19 };
    float x[N * C], lp[N * C], t[N * C];
    int64_t lab[N], xs[2] = {N, C}, ls[1] = {N};
    test_seed(12);
    for (int i = 0; i < N * C; i++) {
        x[i] = test_uniform(-4, 4);
        t[i] = test_below(3) ? 0.0f : test_uniform(0, 1);
    }
    for (int i = 0; i < N; i++)
        lab[i] = test_below(C);
    DLTensor xt = test_tensor(x, xs, 2, TEST_F32);
    DLTensor lpt = test_tensor(lp, xs, 2, TEST_F32);
    DLTensor yt = test_tensor(lab, ls, 1, TEST_I64);
    DLTensor tt = test_tensor(t, xs, 2, TEST_F32);
    assert_int_equal(sc_log_softmax(&xt, &lpt), SC_OK);
    float nll, ce;
    for (int soft = 0; soft < 2; soft++) {
        DLTensor *y = soft ? &tt : &yt;
        assert_int_equal(sc_nll(&lpt, y, &nll), SC_OK);
        assert_int_equal(sc_cross_entropy(&xt, y, &ce), SC_OK);
        double want = 0;
        for (int i = 0; i < N; i++)
            want += ref_ce_row(x + i * C, C, lab[i], soft ? t + i * C : NULL);
        want /= N;
        assert_true(test_close(nll, want, 1e-5, 1e-5));
        assert_true(test_close(ce, want, 1e-5, 1e-5));
    }
}

/* ---- MSE ---------------------------------------------------------------- */

static void test_mse(void **state)
{
    (void)state;
    enum { B = 3, D = 5, K = 7, NUM = B * D * K };
    float p[NUM], t[NUM], g[NUM];
    int64_t s[3] = {B, D, K};
    test_seed(13);
    double want = 0;
    for (int i = 0; i < NUM; i++) {
        p[i] = test_uniform(-3, 3);
        t[i] = test_uniform(-3, 3);
        want += ((double)p[i] - t[i]) * ((double)p[i] - t[i]);
    }
    want /= NUM;
    DLTensor pt = test_tensor(p, s, 3, TEST_F32);
    DLTensor tt = test_tensor(t, s, 3, TEST_F32);
    DLTensor gt = test_tensor(g, s, 3, TEST_F32);
    float loss;
    assert_int_equal(sc_mse(&pt, &tt, &loss), SC_OK);
    assert_true(test_close(loss, want, 1e-6, 0));
    assert_int_equal(sc_mse_backward(&pt, &tt, &gt), SC_OK);
    for (int i = 0; i < NUM; i++)
        assert_true(
            test_close(g[i], 2.0 * ((double)p[i] - t[i]) / NUM, 1e-6, 1e-9));
    /* In place over the prediction. */
    assert_int_equal(sc_mse_backward(&pt, &tt, &pt), SC_OK);
    assert_memory_equal(p, g, sizeof g);
    /* Equal tensors: loss 0. */
    assert_int_equal(sc_mse(&tt, &tt, &loss), SC_OK);
    assert_true(loss == 0.0f);
}

/* ---- Matmul ------------------------------------------------------------- */

/* OUT [m, n] against the double reference of A B + BIAS. */
static void check_matmul(int64_t m, int64_t k, int64_t n, int with_bias)
{
    float *a = test_floats(m * k), *b = test_floats(k * n);
    float *bias = test_floats(n), *out = test_floats(m * n);
    float *out2 = test_floats(m * n);
    for (int64_t i = 0; i < m * k; i++)
        a[i] = test_uniform(-1, 1);
    for (int64_t i = 0; i < k * n; i++)
        b[i] = test_uniform(-1, 1);
    for (int64_t i = 0; i < n; i++)
        bias[i] = test_uniform(-1, 1);
    int64_t as[2] = {m, k}, bs[2] = {k, n}, cs[1] = {n}, os[2] = {m, n};
    DLTensor at = test_tensor(a, as, 2, TEST_F32);
    DLTensor bt = test_tensor(b, bs, 2, TEST_F32);
    DLTensor ct = test_tensor(bias, cs, 1, TEST_F32);
    DLTensor ot = test_tensor(out, os, 2, TEST_F32);
    assert_int_equal(sc_matmul(&at, &bt, with_bias ? &ct : NULL, &ot), SC_OK);
    sc_matmul_builtin(a, k, b, n, with_bias ? bias : NULL, out2, n, m, k, n);
    for (int64_t i = 0; i < m; i++)
        for (int64_t j = 0; j < n; j++) {
            double want = with_bias ? bias[j] : 0, mag = fabs(want);
            for (int64_t p = 0; p < k; p++) {
                want += (double)a[i * k + p] * b[p * n + j];
                mag += fabs((double)a[i * k + p] * b[p * n + j]);
            }
            double tol = 1e-6 * mag + 1e-7;
            assert_true(fabs(out[i * n + j] - want) <= tol);
            assert_true(fabs(out2[i * n + j] - want) <= tol);
        }
    free(a);
    free(b);
    free(bias);
    free(out);
    free(out2);
}

static void test_matmul(void **state)
{
    (void)state;
    test_seed(14);
    check_matmul(1, 1, 1, 1);
    check_matmul(2, 3, 4, 1);
    check_matmul(7, 5, 3, 0);
    check_matmul(33, 300, 17, 1);
    check_matmul(64, 257, 130, 1); /* crosses the built-in loop's blocks */
    check_matmul(5, 0, 4, 1);      /* K = 0: the bias alone */
    check_matmul(5, 0, 4, 0);      /* K = 0: zeros */
    check_matmul(0, 3, 4, 1);      /* nothing to do */
}

/* ---- Argmax and accuracy ------------------------------------------------ */

static void test_argmax(void **state)
{
    (void)state;
    float x[4 * 3] = {1,         5,         5,         /* tie: the first, 1 */
                      NAN,       2,         3,         /* NaN ignored: 2 */
                      -INFINITY, -INFINITY, -INFINITY, /* none larger: 0 */
                      NAN,       NAN,       NAN};      /* all NaN: 0 */
    int64_t xs[2] = {4, 3}, os[1] = {4};
    int32_t o32[4];
    int64_t o64[4];
    DLTensor xt = test_tensor(x, xs, 2, TEST_F32);
    DLTensor t32 = test_tensor(o32, os, 1, TEST_I32);
    DLTensor t64 = test_tensor(o64, os, 1, TEST_I64);
    assert_int_equal(sc_argmax(&xt, &t32), SC_OK);
    assert_int_equal(sc_argmax(&xt, &t64), SC_OK);
    int64_t want[4] = {1, 2, 0, 0};
    for (int i = 0; i < 4; i++) {
        assert_int_equal(o32[i], want[i]);
        assert_int_equal(o64[i], want[i]);
    }
}

static void test_accuracy(void **state)
{
    (void)state;
    float x[4 * 3] = {0, 1, 0, 3, 2, 1, 0, 0, 9, 1, 1, 0};
    int32_t lab[4] = {1, 1, 2, 0}; /* right, wrong, right, right (tie) */
    float t[4 * 3] = {0, 1, 0, 0.2f, 0.8f, 0, 0, 0, 1, 1, 0, 0};
    int64_t xs[2] = {4, 3}, ls[1] = {4};
    DLTensor xt = test_tensor(x, xs, 2, TEST_F32);
    DLTensor yt = test_tensor(lab, ls, 1, TEST_I32);
    DLTensor tt = test_tensor(t, xs, 2, TEST_F32);
    float acc = -1;
    assert_int_equal(sc_accuracy(&xt, &yt, &acc), SC_OK);
    assert_true(acc == 0.75f);
    assert_int_equal(sc_accuracy(&xt, &tt, &acc), SC_OK);
    assert_true(acc == 0.75f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_constructors),
        cmocka_unit_test(test_views),
        cmocka_unit_test(test_softmax),
        cmocka_unit_test(test_softmax_masked),
        cmocka_unit_test(test_nll),
        cmocka_unit_test(test_mse),
        cmocka_unit_test(test_matmul),
        cmocka_unit_test(test_argmax),
        cmocka_unit_test(test_accuracy),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
