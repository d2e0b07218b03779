/*
 * test_rt_layout.c - padded rows (strides [row_stride, 1], SPEC section 6,
 * layouts v2) and byte_offset in every kernel: each gives on a padded view
 * exactly what it gives on a compact copy, with NaN in the inputs' padding
 * (anything that read it would turn NaN) and a sentinel in the outputs'
 * padding (anything that wrote it would change it).  Then llm.c's case: a
 * GPT-2 vocabulary of 50257 in rows of 50304, through the two calls that
 * replace its loss functions.
 */
#define _POSIX_C_SOURCE 200809L /* test_rt_util.h: fork, pipe */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "test_rt_util.h"

/* Floats before the first row of a padded buffer: reached through
   byte_offset, never read either. */
#define LEAD 3

/* A matrix [rows, cols] twice: compact, and in rows of STRIDE floats after
   LEAD floats, the padding poisoned with FILL (NaN for inputs, a sentinel
   for outputs). */
typedef struct mat {
    int64_t rows, cols, stride;
    float *compact, *padded;
    int64_t shape[2], strides[2];
} mat;

static void mat_init(mat *m, int64_t rows, int64_t cols, int64_t pad,
                     float fill)
{
    m->rows = rows;
    m->cols = cols;
    m->stride = cols + pad;
    m->compact = test_floats(rows * cols);
    m->padded = test_floats(LEAD + rows * m->stride);
    for (int64_t i = 0; i < LEAD + rows * m->stride; i++)
        m->padded[i] = fill;
    m->shape[0] = rows;
    m->shape[1] = cols;
    m->strides[0] = m->stride;
    m->strides[1] = 1;
}

/* Random values in both forms (the padding keeps its fill). */
static void mat_random(mat *m, float lo, float hi)
{
    for (int64_t i = 0; i < m->rows; i++)
        for (int64_t j = 0; j < m->cols; j++) {
            float v = test_uniform(lo, hi);
            m->compact[i * m->cols + j] = v;
            m->padded[LEAD + i * m->stride + j] = v;
        }
}

/* The compact tensor, with its own shape array (SHAPE_STORE). */
static DLTensor mat_compact(mat *m, int64_t *shape_store)
{
    shape_store[0] = m->rows;
    shape_store[1] = m->cols;
    return test_tensor(m->compact, shape_store, 2, TEST_F32);
}

/* The padded view: data at the buffer, the rows LEAD floats in. */
static DLTensor mat_padded(mat *m)
{
    DLTensor t = test_tensor(m->padded, m->shape, 2, TEST_F32);
    t.strides = m->strides;
    t.byte_offset = LEAD * sizeof(float);
    return t;
}

/* The padded form's values equal the compact form's (bit for bit, NaN
   included), and the padding still holds FILL. */
static void mat_check(const mat *m, float fill)
{
    for (int64_t i = 0; i < LEAD + m->rows * m->stride; i++) {
        int64_t r = (i - LEAD) / m->stride, j = (i - LEAD) % m->stride;
        float got = m->padded[i];
        if (i >= LEAD && j < m->cols) {
            float want = m->compact[r * m->cols + j];
            if (memcmp(&got, &want, sizeof got) != 0)
                fail_msg("[%lld, %lld]: %.9g on the padded view, %.9g on the "
                         "compact one",
                         (long long)r, (long long)j, got, want);
        } else if (memcmp(&got, &fill, sizeof got) != 0) {
            fail_msg("padding float %lld was written: %.9g", (long long)i, got);
        }
    }
}

static void mat_free(mat *m)
{
    free(m->compact);
    free(m->padded);
}

static const float sentinel = -12345.5f;

/* Runs FN once per variant this CPU runs, then restores the best. */
static void each_variant(void (*fn)(void))
{
    for (int v = 0; v < TEST_VARIANTS; v++)
        if (sc_simd_force(test_variants[v]) == 0)
            fn();
    sc_simd_force(NULL);
}

/* ---- The cross-entropy family ------------------------------------------ */

/* Losses and gradients on logits [n, c] padded by PAD, with index labels
   and with padded soft targets. */
static void check_ce(int64_t n, int64_t c, int64_t pad)
{
    mat x, t, g, g_acc;
    mat_init(&x, n, c, pad, NAN);
    mat_init(&t, n, c, pad + 5, NAN);
    mat_init(&g, n, c, pad, sentinel);
    mat_init(&g_acc, n, c, pad + 1, sentinel);
    mat_random(&x, -6, 6);
    mat_random(&t, 0, 1);
    mat_random(&g_acc, -1, 1);
    int32_t *lab = calloc((size_t)n, sizeof *lab);
    float *w = test_floats(n), *lc = test_floats(n), *lp = test_floats(n);
    assert_true(lab != NULL);
    for (int64_t i = 0; i < n; i++) {
        lab[i] = (int32_t)test_below(c);
        w[i] = test_uniform(-1, 1);
    }
    int64_t ns[1] = {n}, xs[2], ts[2], gs[2], as[2];
    DLTensor xc = mat_compact(&x, xs), xp = mat_padded(&x);
    DLTensor yi = test_tensor(lab, ns, 1, TEST_I32);
    DLTensor wt = test_tensor(w, ns, 1, TEST_F32);
    for (int soft = 0; soft < 2; soft++) {
        DLTensor yc = soft ? mat_compact(&t, ts) : yi;
        DLTensor yp = soft ? mat_padded(&t) : yi;
        float a, b;
        assert_int_equal(sc_cross_entropy(&xc, &yc, &a), SC_OK);
        assert_int_equal(sc_cross_entropy(&xp, &yp, &b), SC_OK);
        assert_true(isfinite(b) && a == b);
        int64_t ls[1] = {n};
        DLTensor ltc = test_tensor(lc, ls, 1, TEST_F32);
        DLTensor ltp = test_tensor(lp, ns, 1, TEST_F32);
        assert_int_equal(sc_cross_entropy_per_sample(&xc, &yc, &ltc), SC_OK);
        assert_int_equal(sc_cross_entropy_per_sample(&xp, &yp, &ltp), SC_OK);
        assert_memory_equal(lc, lp, (size_t)n * sizeof *lc);
        assert_int_equal(sc_accuracy(&xc, &yc, &a), SC_OK);
        assert_int_equal(sc_accuracy(&xp, &yp, &b), SC_OK);
        assert_true(a == b);

        DLTensor gc = mat_compact(&g, gs), gp = mat_padded(&g);
        assert_int_equal(sc_cross_entropy_backward(&xc, &yc, &gc, &a), SC_OK);
        assert_int_equal(sc_cross_entropy_backward(&xp, &yp, &gp, &b), SC_OK);
        assert_true(a == b);
        mat_check(&g, sentinel);
        /* Accumulating with weights, onto a padded gradient of another
           row stride than the logits'. */
        DLTensor ac = mat_compact(&g_acc, as), ap = mat_padded(&g_acc);
        assert_int_equal(sc_cross_entropy_backward_ex(&xc, &yc, &wt, &ac,
                                                      SC_GRAD_ACCUMULATE, NULL),
                         SC_OK);
        assert_int_equal(sc_cross_entropy_backward_ex(&xp, &yp, &wt, &ap,
                                                      SC_GRAD_ACCUMULATE, NULL),
                         SC_OK);
        mat_check(&g_acc, sentinel);
    }
    /* In place on the padded logits as on the compact ones: the padding
       stays NaN. */
    assert_int_equal(sc_cross_entropy_backward(&xc, &yi, &xc, NULL), SC_OK);
    assert_int_equal(sc_cross_entropy_backward(&xp, &yi, &xp, NULL), SC_OK);
    mat_check(&x, NAN);
    free(lab);
    free(w);
    free(lc);
    free(lp);
    mat_free(&x);
    mat_free(&t);
    mat_free(&g);
    mat_free(&g_acc);
}

static void ce_shapes(void)
{
    test_seed(21);
    check_ce(1, 1, 1);
    check_ce(3, 7, 1);
    check_ce(5, 100, 28);
    check_ce(4, 2049, 47); /* chunk boundaries, and llm.c's pad */
}

static void test_cross_entropy(void **state)
{
    (void)state;
    each_variant(ce_shapes);
}

/* ---- The other kernels -------------------------------------------------- */

/* Softmax and log-softmax, padded in and out; NLL of the padded
   log-softmax; argmax; also a rank-3 padded view [2, rows/2, c]. */
static void softmax_family(void)
{
    enum { R = 6, C = 37, PAD = 11 };
    mat x, y;
    test_seed(22);
    mat_init(&x, R, C, PAD, NAN);
    mat_init(&y, R, C, PAD + 2, sentinel);
    mat_random(&x, -5, 5);
    int64_t xs[2], ys[2];
    DLTensor xc = mat_compact(&x, xs), xp = mat_padded(&x);
    DLTensor yc = mat_compact(&y, ys), yp = mat_padded(&y);
    assert_int_equal(sc_softmax(&xc, &yc), SC_OK);
    assert_int_equal(sc_softmax(&xp, &yp), SC_OK);
    mat_check(&y, sentinel);
    assert_int_equal(sc_log_softmax(&xc, &yc), SC_OK);
    assert_int_equal(sc_log_softmax(&xp, &yp), SC_OK);
    mat_check(&y, sentinel);

    int64_t lab[R], ls[1] = {R};
    for (int i = 0; i < R; i++)
        lab[i] = test_below(C);
    DLTensor lt = test_tensor(lab, ls, 1, TEST_I64);
    float a, b;
    assert_int_equal(sc_nll(&yc, &lt, &a), SC_OK);
    assert_int_equal(sc_nll(&yp, &lt, &b), SC_OK);
    assert_true(isfinite(b) && a == b);

    int64_t oc[R], op[R];
    DLTensor oct = test_tensor(oc, ls, 1, TEST_I64);
    DLTensor opt = test_tensor(op, ls, 1, TEST_I64);
    assert_int_equal(sc_argmax(&xc, &oct), SC_OK);
    assert_int_equal(sc_argmax(&xp, &opt), SC_OK);
    assert_memory_equal(oc, op, sizeof oc);

    /* Rank 3: [2, R/2, C] with strides [R/2 * stride, stride, 1]. */
    int64_t s3[3] = {2, R / 2, C}, st3[3] = {R / 2 * x.stride, x.stride, 1};
    int64_t s3y[3] = {2, R / 2, C}, st3y[3] = {R / 2 * y.stride, y.stride, 1};
    DLTensor x3 = test_tensor(x.padded, s3, 3, TEST_F32);
    DLTensor y3 = test_tensor(y.padded, s3y, 3, TEST_F32);
    x3.strides = st3;
    x3.byte_offset = LEAD * sizeof(float);
    y3.strides = st3y;
    y3.byte_offset = LEAD * sizeof(float);
    assert_int_equal(sc_softmax(&xc, &yc), SC_OK);
    assert_int_equal(sc_softmax(&x3, &y3), SC_OK);
    mat_check(&y, sentinel);
    mat_free(&x);
    mat_free(&y);
}

static void test_softmax_family(void **state)
{
    (void)state;
    each_variant(softmax_family);
}

/* MSE and its backward on padded rows. */
static void test_mse(void **state)
{
    (void)state;
    mat p, t, g;
    test_seed(23);
    mat_init(&p, 4, 9, 3, NAN);
    mat_init(&t, 4, 9, 1, NAN);
    mat_init(&g, 4, 9, 2, sentinel);
    mat_random(&p, -2, 2);
    mat_random(&t, -2, 2);
    int64_t ps[2], ts[2], gs[2];
    DLTensor pc = mat_compact(&p, ps), pp = mat_padded(&p);
    DLTensor tc = mat_compact(&t, ts), tp = mat_padded(&t);
    DLTensor gc = mat_compact(&g, gs), gp = mat_padded(&g);
    float a, b;
    assert_int_equal(sc_mse(&pc, &tc, &a), SC_OK);
    assert_int_equal(sc_mse(&pp, &tp, &b), SC_OK);
    assert_true(isfinite(b) && a == b);
    assert_int_equal(sc_mse_backward(&pc, &tc, &gc), SC_OK);
    assert_int_equal(sc_mse_backward(&pp, &tp, &gp), SC_OK);
    mat_check(&g, sentinel);
    mat_free(&p);
    mat_free(&t);
    mat_free(&g);
}

/* Matmul with every operand padded (BLAS's leading dimensions, and the
   built-in loop's for small products). */
static void check_matmul(int64_t m, int64_t k, int64_t n)
{
    mat a, b, o;
    mat_init(&a, m, k, 5, NAN);
    mat_init(&b, k, n, 3, NAN);
    mat_init(&o, m, n, 7, sentinel);
    mat_random(&a, -1, 1);
    mat_random(&b, -1, 1);
    float *bias = test_floats(n);
    for (int64_t j = 0; j < n; j++)
        bias[j] = test_uniform(-1, 1);
    int64_t as[2], bs[2], os[2], cs[1] = {n};
    DLTensor ac = mat_compact(&a, as), ap = mat_padded(&a);
    DLTensor bc = mat_compact(&b, bs), bp = mat_padded(&b);
    DLTensor oc = mat_compact(&o, os), op = mat_padded(&o);
    DLTensor ct = test_tensor(bias, cs, 1, TEST_F32);
    assert_int_equal(sc_matmul(&ac, &bc, &ct, &oc), SC_OK);
    assert_int_equal(sc_matmul(&ap, &bp, &ct, &op), SC_OK);
    /* BLAS may block a padded product differently: within rounding. */
    for (int64_t i = 0; i < m; i++)
        for (int64_t j = 0; j < n; j++) {
            float *at = &o.padded[LEAD + i * o.stride + j];
            assert_true(test_close(*at, o.compact[i * n + j], 1e-5, 1e-5));
            *at = o.compact[i * n + j];
        }
    mat_check(&o, sentinel);
    free(bias);
    mat_free(&a);
    mat_free(&b);
    mat_free(&o);
}

static void test_matmul(void **state)
{
    (void)state;
    test_seed(24);
    check_matmul(2, 3, 4);
    check_matmul(33, 70, 17);
}

/* ---- llm.c's case ------------------------------------------------------- */

/* Logits [N, 50257] in rows of 50304 (NaN in the padding), targets, and
   dlosses = 1/N: per-sample losses and the accumulating backward, as the
   porting guide (docs/runtime.md) replaces llm.c's three loss functions,
   agree with the compact copy; the gradient's padding stays exactly 0 (the
   trainer's zeroed buffer), as llm.c expects. */
static void test_llmc_padded_vocab(void **state)
{
    (void)state;
    enum { N = 4, V = 50257, VP = 50304 };
    mat x, g;
    test_seed(25);
    mat_init(&x, N, V, VP - V, NAN);
    mat_init(&g, N, V, VP - V, 0.0f);
    mat_random(&x, -8, 8);
    memset(g.compact, 0, (size_t)N * V * sizeof(float));
    for (int64_t i = 0; i < LEAD + N * g.stride; i++)
        g.padded[i] = 0.0f;
    int32_t targets[N];
    float dl[N], lc[N], lp[N];
    for (int i = 0; i < N; i++) {
        targets[i] = (int32_t)test_below(V);
        dl[i] = 1.0f / N;
    }
    sc_view vt, vd, vlc, vlp, vxc, vgc;
    DLTensor *t = sc_view_i32_1d(&vt, targets, N);
    DLTensor *d = sc_view_f32_1d(&vd, dl, N);
    DLTensor *xc = sc_view_f32_2d(&vxc, x.compact, N, V);
    DLTensor *gc = sc_view_f32_2d(&vgc, g.compact, N, V);
    DLTensor xp = mat_padded(&x), gp = mat_padded(&g);
    assert_int_equal(
        sc_cross_entropy_per_sample(xc, t, sc_view_f32_1d(&vlc, lc, N)), SC_OK);
    assert_int_equal(
        sc_cross_entropy_per_sample(&xp, t, sc_view_f32_1d(&vlp, lp, N)),
        SC_OK);
    assert_memory_equal(lc, lp, sizeof lc);
    for (int i = 0; i < N; i++)
        assert_true(test_close(
            lp[i], ref_ce_row(x.compact + (int64_t)i * V, V, targets[i], NULL),
            1e-5, 1e-5));
    assert_int_equal(
        sc_cross_entropy_backward_ex(xc, t, d, gc, SC_GRAD_ACCUMULATE, NULL),
        SC_OK);
    assert_int_equal(
        sc_cross_entropy_backward_ex(&xp, t, d, &gp, SC_GRAD_ACCUMULATE, NULL),
        SC_OK);
    mat_check(&g, 0.0f);
    mat_free(&x);
    mat_free(&g);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cross_entropy),
        cmocka_unit_test(test_softmax_family),
        cmocka_unit_test(test_mse),
        cmocka_unit_test(test_matmul),
        cmocka_unit_test(test_llmc_padded_vocab),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
