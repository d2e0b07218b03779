/*
 * test_rt_ce.c - the cross-entropy kernels (mean, per sample, backward)
 * against a double-precision reference, on every instruction-set variant
 * this CPU runs: random shapes, chunk boundaries, soft targets, and the
 * edges (N = 1, C = 1, C = 50257, logits of +-1e4, -inf and NaN).
 */
#define _POSIX_C_SOURCE 200809L /* test_rt_util.h: fork, pipe */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "test_rt_util.h"

/* One problem: logits [n, c], labels as int32, int64 and, when SOFT,
   float32 targets [n, c]. */
typedef struct problem {
    int64_t n, c;
    float *x, *t;
    int32_t *l32;
    int64_t *l64;
    int64_t xs[2], ls[1], ts[2];
} problem;

static void problem_alloc(problem *p, int64_t n, int64_t c)
{
    p->n = n;
    p->c = c;
    p->x = test_floats(n * c);
    p->t = test_floats(n * c);
    p->l32 = calloc((size_t)n + 1, sizeof *p->l32);
    p->l64 = calloc((size_t)n + 1, sizeof *p->l64);
    assert_non_null(p->l32);
    assert_non_null(p->l64);
    p->xs[0] = p->ts[0] = p->ls[0] = n;
    p->xs[1] = p->ts[1] = c;
}

/* Random logits in [-scale, scale], random labels, and targets: one-hot
   on the label when SOFT is 0, else a random distribution with some
   zeros. */
static void problem_fill(problem *p, float scale, int soft)
{
    for (int64_t i = 0; i < p->n * p->c; i++)
        p->x[i] = test_uniform(-scale, scale);
    for (int64_t i = 0; i < p->n; i++) {
        p->l64[i] = test_below(p->c);
        p->l32[i] = (int32_t)p->l64[i];
        float *t = p->t + i * p->c;
        double sum = 0;
        for (int64_t j = 0; j < p->c; j++) {
            t[j] = soft ? (test_below(4) ? test_uniform(0, 1) : 0.0f)
                        : (j == p->l64[i] ? 1.0f : 0.0f);
            sum += t[j];
        }
        for (int64_t j = 0; soft && sum > 0 && j < p->c; j++)
            t[j] = (float)(t[j] / sum);
    }
}

static void problem_free(problem *p)
{
    free(p->x);
    free(p->t);
    free(p->l32);
    free(p->l64);
}

static DLTensor logits_of(problem *p)
{
    return test_tensor(p->x, p->xs, 2, TEST_F32);
}

/* The labels in form KIND: 0 int32, 1 int64, 2 float32 targets. */
static DLTensor labels_of(problem *p, int kind)
{
    if (kind == 0)
        return test_tensor(p->l32, p->ls, 1, TEST_I32);
    if (kind == 1)
        return test_tensor(p->l64, p->ls, 1, TEST_I64);
    return test_tensor(p->t, p->ts, 2, TEST_F32);
}

static double ref_row(const problem *p, int64_t i, int kind)
{
    return ref_ce_row(p->x + i * p->c, p->c, p->l64[i],
                      kind == 2 ? p->t + i * p->c : NULL);
}

static double ref_mean(const problem *p, int kind)
{
    double s = 0;
    for (int64_t i = 0; i < p->n; i++)
        s += ref_row(p, i, kind);
    return s / (double)p->n;
}

/* The reference gradient of row I, (softmax - target) / n, into G; and
   the tolerance of each entry into TOL: a few float roundings of the
   softmax weight p and of the target, plus exp's amplification of the
   float rounding of x - max (half an ulp of |x - max|, relative), which
   any float kernel has. */
static void ref_grad_row(const problem *p, int64_t i, int kind, double *g,
                         double *tol)
{
    const float *x = p->x + i * p->c;
    double lse = ref_logsumexp(x, p->c), max = -INFINITY;
    for (int64_t j = 0; j < p->c; j++)
        max = x[j] > max ? x[j] : max;
    for (int64_t j = 0; j < p->c; j++) {
        double t =
            kind == 2 ? p->t[i * p->c + j] : (j == p->l64[i] ? 1.0 : 0.0);
        double pj = exp((double)x[j] - lse), n = (double)p->n;
        g[j] = (pj - t) / n;
        double rel = 1e-6 + (isfinite(x[j]) ? fabs(x[j] - max) * 6e-8 : 0);
        tol[j] = (rel * pj + 1e-6 * fabs(t)) / n + 1e-37;
    }
}

/* G, the gradient of the mean loss of P with labels of KIND, against the
   reference, entry by entry (WHAT says which call made it). */
static void check_grad(const problem *p, int kind, const float *g,
                       const char *what)
{
    double *want_g = calloc((size_t)p->c, sizeof(double));
    double *tol = calloc((size_t)p->c, sizeof(double));
    assert_true(want_g && tol);
    for (int64_t i = 0; i < p->n; i++) {
        ref_grad_row(p, i, kind, want_g, tol);
        for (int64_t j = 0; j < p->c; j++)
            if (!(fabs(g[i * p->c + j] - want_g[j]) <= tol[j]))
                fail_msg("%s: grad[%lld, %lld] = %.9g, want %.9g (%s)", what,
                         (long long)i, (long long)j, g[i * p->c + j], want_g[j],
                         sc_simd()->name);
    }
    free(want_g);
    free(tol);
}

/* The gradient a backward starts from, by FORM: random values; zeros (a
   trainer's freshly zeroed buffer, which the accumulating backward fills
   as it would write it); zeros in each row's first half and values after
   (it switches to adding, mid-row). */
static void start_gradient(const problem *p, float *g0, int form)
{
    for (int64_t i = 0; i < p->n; i++)
        for (int64_t j = 0; j < p->c; j++)
            g0[i * p->c + j] = form == 0 || (form == 2 && j >= p->c / 2)
                                   ? test_uniform(-1, 1)
                                   : 0.0f;
}

/* sc_cross_entropy_backward_ex on P against the reference: row weights
   (dlosses) or none (1/n), written or accumulated onto each form of
   starting gradient G0, the mean loss as a by-product, and in place
   accumulating onto the logits. */
static void check_backward_ex(problem *p, int kind)
{
    DLTensor x = logits_of(p), y = labels_of(p, kind);
    int64_t nc = p->n * p->c;
    float *g = test_floats(nc), *g0 = test_floats(nc), *w = test_floats(p->n);
    double *want_g = calloc((size_t)nc, sizeof(double));
    double *tol = calloc((size_t)nc, sizeof(double));
    assert_true(want_g && tol);
    for (int64_t i = 0; i < p->n; i++) {
        w[i] = test_uniform(-2, 2);
        ref_grad_row(p, i, kind, want_g + i * p->c, tol + i * p->c);
    }
    double want_loss = ref_mean(p, kind);
    int64_t ns[1] = {p->n};
    DLTensor wt = test_tensor(w, ns, 1, TEST_F32);
    DLTensor gt = test_tensor(g, p->xs, 2, TEST_F32);
    /* Variants: writing (form -1), then accumulating onto each form of
       starting gradient; each without and with weights. */
    for (int variant = 0; variant < 8; variant++) {
        int form = variant / 2 - 1, weighted = variant % 2, acc = form >= 0;
        if (acc && !weighted)
            start_gradient(p, g0, form);
        memcpy(g, g0, (size_t)nc * sizeof *g);
        float loss = NAN;
        assert_int_equal(sc_cross_entropy_backward_ex(
                             &x, &y, weighted ? &wt : NULL, &gt,
                             acc ? SC_GRAD_ACCUMULATE : SC_GRAD_WRITE, &loss),
                         SC_OK);
        assert_true(test_close(loss, want_loss, 1e-5, 1e-5));
        for (int64_t i = 0; i < p->n; i++) {
            double k = weighted ? w[i] * (double)p->n : 1.0;
            for (int64_t j = 0; j < p->c; j++) {
                int64_t at = i * p->c + j;
                double base = acc ? g0[at] : 0.0;
                double want = base + k * want_g[at];
                double t = fabs(k) * tol[at] + 1.2e-7 * fabs(want) + 1e-37;
                if (!(fabs(g[at] - want) <= t))
                    fail_msg("variant %d: grad[%lld, %lld] = %.9g, want %.9g "
                             "(%s)",
                             variant, (long long)i, (long long)j, g[at], want,
                             sc_simd()->name);
            }
        }
    }
    /* In place, accumulating: logits + grad, through the logits' memory
       (within rounding of the same call out of place: a row overwritten in
       place takes its max as the reference). */
    float *saved = test_floats(nc);
    memcpy(saved, p->x, (size_t)nc * sizeof *saved);
    memcpy(g, p->x, (size_t)nc * sizeof *g);
    assert_int_equal(sc_cross_entropy_backward_ex(&x, &y, &wt, &gt,
                                                  SC_GRAD_ACCUMULATE, NULL),
                     SC_OK);
    assert_int_equal(
        sc_cross_entropy_backward_ex(&x, &y, &wt, &x, SC_GRAD_ACCUMULATE, NULL),
        SC_OK);
    for (int64_t i = 0; i < nc; i++)
        if (!test_close(p->x[i], g[i], 1e-6, 1e-6))
            fail_msg("in place [%lld]: %.9g, out of place %.9g", (long long)i,
                     p->x[i], g[i]);
    memcpy(p->x, saved, (size_t)nc * sizeof *saved);
    free(saved);
    free(want_g);
    free(tol);
    free(g);
    free(g0);
    free(w);
}

/* Checks every kernel of the family on P with labels of KIND. */
static void check_problem(problem *p, int kind)
{
    DLTensor x = logits_of(p), y = labels_of(p, kind);
    float loss = NAN;
    double want = ref_mean(p, kind);
    assert_int_equal(sc_cross_entropy(&x, &y, &loss), SC_OK);
    assert_true(test_close(loss, want, 1e-5, 1e-5));

    float *losses = test_floats(p->n);
    int64_t ns[1] = {p->n};
    DLTensor lt = test_tensor(losses, ns, 1, TEST_F32);
    assert_int_equal(sc_cross_entropy_per_sample(&x, &y, &lt), SC_OK);
    for (int64_t i = 0; i < p->n; i++)
        assert_true(test_close(losses[i], ref_row(p, i, kind), 1e-5, 1e-5));

    float *g = test_floats(p->n * p->c);
    DLTensor gt = test_tensor(g, p->xs, 2, TEST_F32);
    float bloss = NAN;
    assert_int_equal(sc_cross_entropy_backward(&x, &y, &gt, &bloss), SC_OK);
    assert_true(test_close(bloss, want, 1e-5, 1e-5));
    check_grad(p, kind, g, "out of place");
    check_backward_ex(p, kind);

    /* In place: through the logits' own memory, as close to the
       reference (a row overwritten by its exps takes its max as the
       reference, so the last bits may differ from out of place). */
    float *saved = test_floats(p->n * p->c);
    memcpy(saved, p->x, (size_t)(p->n * p->c) * sizeof *saved);
    assert_int_equal(sc_cross_entropy_backward(&x, &y, &x, NULL), SC_OK);
    memcpy(g, p->x, (size_t)(p->n * p->c) * sizeof *g);
    memcpy(p->x, saved, (size_t)(p->n * p->c) * sizeof *saved);
    check_grad(p, kind, g, "in place");
    free(saved);
    free(g);
    free(losses);
}

/* Runs FN(seed) once per variant this CPU runs, then restores the best. */
static void each_variant(void (*fn)(void))
{
    for (int v = 0; v < TEST_VARIANTS; v++) {
        if (sc_simd_force(test_variants[v]) != 0)
            continue;
        fn();
    }
    sc_simd_force(NULL);
}

static void random_shapes(void)
{
    test_seed(1);
    for (int k = 0; k < 40; k++) {
        problem p;
        int64_t c = k % 4 == 3 ? 1000 + test_below(3000) : 1 + test_below(300);
        problem_alloc(&p, 1 + test_below(9), c);
        problem_fill(&p, test_uniform(0.1f, 20), k % 3 == 2);
        for (int kind = 0; kind < 3; kind++)
            check_problem(&p, kind);
        problem_free(&p);
    }
}

static void test_random_shapes(void **state)
{
    (void)state;
    each_variant(random_shapes);
}

/* Rows whose max keeps growing (every chunk raises it) or is first, around
   the kernels' chunk size (1024) and vector widths. */
static void chunk_boundaries(void)
{
    static const int64_t cs[] = {15,   16,   17,   63,   64,   65,  1023,
                                 1024, 1025, 2047, 2048, 2049, 4100};
    for (size_t k = 0; k < sizeof cs / sizeof cs[0]; k++) {
        problem p;
        problem_alloc(&p, 2, cs[k]);
        for (int64_t j = 0; j < cs[k]; j++) {
            p.x[j] = (float)j * 0.01f;          /* rising */
            p.x[cs[k] + j] = -(float)j * 0.01f; /* falling */
        }
        p.l64[0] = p.l32[0] = 0;
        p.l64[1] = p.l32[1] = (int32_t)(cs[k] - 1);
        for (int kind = 0; kind < 2; kind++)
            check_problem(&p, kind);
        problem_free(&p);
    }
}

static void test_chunk_boundaries(void **state)
{
    (void)state;
    each_variant(chunk_boundaries);
}

/* N = 1, C = 1: the only class is certain; loss and gradient are 0. */
static void one_by_one(void)
{
    problem p;
    problem_alloc(&p, 1, 1);
    p.x[0] = 3.5f;
    p.t[0] = 1.0f;
    for (int kind = 0; kind < 3; kind++) {
        DLTensor x = logits_of(&p), y = labels_of(&p, kind);
        float loss = NAN, g[1] = {NAN};
        int64_t gs[2] = {1, 1};
        DLTensor gt = test_tensor(g, gs, 2, TEST_F32);
        assert_int_equal(sc_cross_entropy(&x, &y, &loss), SC_OK);
        assert_true(loss == 0.0f);
        assert_int_equal(sc_cross_entropy_backward(&x, &y, &gt, NULL), SC_OK);
        assert_true(fabsf(g[0]) < 1e-7f);
    }
    problem_free(&p);
}

static void test_one_by_one(void **state)
{
    (void)state;
    each_variant(one_by_one);
}

/* A GPT-2 vocabulary, with index labels and soft targets; large enough
   (over SC_PARALLEL_MIN elements) to take the threaded path when the
   library is built with OpenMP. */
static void gpt2_vocab(void)
{
    problem p;
    test_seed(7);
    problem_alloc(&p, 6, 50257);
    problem_fill(&p, 6, 1);
    for (int kind = 0; kind < 3; kind++)
        check_problem(&p, kind);
    problem_free(&p);
}

static void test_gpt2_vocab(void **state)
{
    (void)state;
    each_variant(gpt2_vocab);
}

/* Logits of +-1e4: the label on the max (loss 0), far below it (loss
   2e4), and soft targets across both. */
static void huge_logits(void)
{
    problem p;
    test_seed(3);
    problem_alloc(&p, 4, 37);
    problem_fill(&p, 1, 1);
    for (int64_t i = 0; i < p.n * p.c; i++)
        p.x[i] = test_below(2) ? 1e4f : -1e4f;
    p.x[0] = 1e4f;
    p.l64[0] = p.l32[0] = 0;
    p.x[p.c + 5] = -1e4f;
    p.l64[1] = p.l32[1] = 5;
    for (int kind = 0; kind < 3; kind++)
        check_problem(&p, kind);
    problem_free(&p);
}

static void test_huge_logits(void **state)
{
    (void)state;
    each_variant(huge_logits);
}

/* One-hot float targets give what the index labels give. */
static void one_hot_equals_indices(void)
{
    problem p;
    test_seed(5);
    problem_alloc(&p, 6, 133);
    problem_fill(&p, 5, 0);
    DLTensor x = logits_of(&p);
    float l[3];
    for (int kind = 0; kind < 3; kind++) {
        DLTensor y = labels_of(&p, kind);
        assert_int_equal(sc_cross_entropy(&x, &y, &l[kind]), SC_OK);
    }
    assert_true(l[0] == l[1]);
    assert_true(test_close(l[2], l[0], 1e-6, 1e-6));
    problem_free(&p);
}

static void test_one_hot_equals_indices(void **state)
{
    (void)state;
    each_variant(one_hot_equals_indices);
}

/* -inf (masked) logits: no weight when no target is on them, an infinite
   loss when one is; NaN poisons the row; an all -inf row is NaN. */
static void masked_and_nan(void)
{
    problem p;
    int64_t c = 3000;
    problem_alloc(&p, 5, c);
    for (int64_t i = 0; i < p.n * c; i++)
        p.x[i] = (i / 7) % 3 ? -INFINITY : test_uniform(-2, 2);
    for (int64_t i = 0; i < p.n; i++) {
        p.l64[i] = p.l32[i] = 0; /* finite or not: both are checked */
        for (int64_t j = 0; j < c; j++)
            p.t[i * c + j] = j == 0 ? 0.5f : j == 7 ? 0.5f : 0.0f;
    }
    /* Row 0 as built: finite.  Row 1: every logit -inf up to 2000. */
    for (int64_t j = 0; j < 2000; j++)
        p.x[c + j] = -INFINITY;
    p.x[c] = 1.0f;
    check_problem(&p, 0);
    check_problem(&p, 2);

    DLTensor x = logits_of(&p), y = labels_of(&p, 0);
    float *losses = test_floats(p.n);
    int64_t ns[1] = {p.n};
    DLTensor lt = test_tensor(losses, ns, 1, TEST_F32);
    p.l64[2] = p.l32[2] = 3; /* a -inf logit: infinite loss */
    p.x[3 * c + 100] = NAN;  /* NaN in row 3 */
    for (int64_t j = 0; j < c; j++)
        p.x[4 * c + j] = -INFINITY; /* row 4: all -inf */
    assert_int_equal(sc_cross_entropy_per_sample(&x, &y, &lt), SC_OK);
    assert_true(isfinite(losses[0]) && isfinite(losses[1]));
    assert_true(isinf(losses[2]) && losses[2] > 0);
    assert_true(isnan(losses[3]));
    assert_true(isnan(losses[4]));
    free(losses);
    problem_free(&p);
}

static void test_masked_and_nan(void **state)
{
    (void)state;
    each_variant(masked_and_nan);
}

/* A masked (-inf) logit that is not the label has a softmax weight of
   exactly 0, hence a gradient of exactly 0. */
static void masked_gradient_is_zero(void)
{
    float x[2 * 40], g[2 * 40];
    int32_t lab[2] = {1, 2};
    int64_t xs[2] = {2, 40}, ls[1] = {2};
    for (int j = 0; j < 80; j++)
        x[j] = j % 2 ? 0.25f * (float)(j % 5) : -INFINITY;
    DLTensor xt = test_tensor(x, xs, 2, TEST_F32);
    DLTensor yt = test_tensor(lab, ls, 1, TEST_I32);
    DLTensor gt = test_tensor(g, xs, 2, TEST_F32);
    lab[1] = 3;
    assert_int_equal(sc_cross_entropy_backward(&xt, &yt, &gt, NULL), SC_OK);
    for (int j = 0; j < 80; j++)
        if (j % 2 == 0)
            assert_true(g[j] == 0.0f);
}

static void test_masked_gradient_is_zero(void **state)
{
    (void)state;
    each_variant(masked_gradient_is_zero);
}

/* An empty batch: the per-sample and backward kernels do nothing and
   succeed (no loss asked for); the mean loss is refused. */
static void test_empty_batch(void **state)
{
    (void)state;
    float x[1], g[1], losses[1];
    int32_t lab[1];
    int64_t xs[2] = {0, 5}, ls[1] = {0};
    DLTensor xt = test_tensor(x, xs, 2, TEST_F32);
    DLTensor yt = test_tensor(lab, ls, 1, TEST_I32);
    DLTensor gt = test_tensor(g, xs, 2, TEST_F32);
    DLTensor lt = test_tensor(losses, ls, 1, TEST_F32);
    float loss = 1.0f;
    assert_int_equal(sc_cross_entropy_per_sample(&xt, &yt, &lt), SC_OK);
    assert_int_equal(sc_cross_entropy_backward(&xt, &yt, &gt, NULL), SC_OK);
    assert_int_equal(sc_cross_entropy(&xt, &yt, &loss), SC_ERR_SHAPE);
    assert_int_equal(sc_cross_entropy_backward(&xt, &yt, &gt, &loss),
                     SC_ERR_SHAPE);
    assert_true(loss == 1.0f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_random_shapes),
        cmocka_unit_test(test_chunk_boundaries),
        cmocka_unit_test(test_one_by_one),
        cmocka_unit_test(test_gpt2_vocab),
        cmocka_unit_test(test_huge_logits),
        cmocka_unit_test(test_one_hot_equals_indices),
        cmocka_unit_test(test_masked_and_nan),
        cmocka_unit_test(test_masked_gradient_is_zero),
        cmocka_unit_test(test_empty_batch),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
