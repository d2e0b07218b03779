/*
 * test_rt_memo.c - a backward right after its forward (rt_memo.c): each
 * row written in one pass against the statistics the forward found, and
 * the same gradient, loss and state as a backward with nothing kept;
 * a memo that is stale (logits changed in between, raised, NaN, other
 * logits at another address) is never used for a wrong gradient: the row
 * that finds it stale is done again from scratch, bit for bit as without
 * a memo, and the memo is dropped.  On every instruction-set variant, on
 * one thread and on two.
 */
#define _POSIX_C_SOURCE 200809L /* test_rt_util.h: fork, pipe */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "test_rt_util.h"

/* Big enough to keep a memo (SC_MEMO_MIN elements), several chunks a row,
   and an odd row length (the kernels' scalar tails). */
enum { N = 6, C = 3 * SC_CHUNK + 123 };

/* The logits, labels (int32 and soft targets), upstream gradients, and
   the gradient buffers: one made after a forward, one without a memo. */
typedef struct bed {
    float x[N * C], t[N * C], dl[N];
    int32_t y[N];
    float g_after[N * C], g_alone[N * C];
    int64_t xs[2], ys[1], ns[1];
    DLTensor tx, ty, tt, tdl, tg_after, tg_alone;
} bed;

static bed *bed_new(float scale)
{
    bed *b = calloc(1, sizeof *b);
    assert_non_null(b);
    for (int i = 0; i < N * C; i++) {
        b->x[i] = test_uniform(-scale, scale);
        b->t[i] = test_below(3) ? 0.0f : test_uniform(0, 2.0f / C);
    }
    for (int i = 0; i < N; i++) {
        b->y[i] = (int32_t)test_below(C);
        b->dl[i] = test_uniform(-1, 1);
    }
    b->xs[0] = b->ys[0] = b->ns[0] = N;
    b->xs[1] = C;
    b->tx = test_tensor(b->x, b->xs, 2, TEST_F32);
    b->ty = test_tensor(b->y, b->ys, 1, TEST_I32);
    b->tt = test_tensor(b->t, b->xs, 2, TEST_F32);
    b->tdl = test_tensor(b->dl, b->ns, 1, TEST_F32);
    b->tg_after = test_tensor(b->g_after, b->xs, 2, TEST_F32);
    b->tg_alone = test_tensor(b->g_alone, b->xs, 2, TEST_F32);
    return b;
}

/* What a gradient buffer holds before a backward, by FORM: 0 zeros (a
   trainer's), 1 values, 2 zeros then values mid-row. */
static void start(float *g, int form)
{
    for (int i = 0; i < N * C; i++)
        g[i] = form == 1 || (form == 2 && i % C > C / 2)
                   ? (float)((i % 7) - 3) * 0.125f
                   : 0.0f;
}

/* The forward a trainer calls first (its losses), on B's logits. */
static void forward(bed *b, int soft)
{
    float losses[N];
    int64_t ns[1] = {N};
    DLTensor tl = test_tensor(losses, ns, 1, TEST_F32);
    assert_int_equal(
        sc_cross_entropy_per_sample(&b->tx, soft ? &b->tt : &b->ty, &tl),
        SC_OK);
}

/* One backward of B into G (a tensor over g_after or g_alone), started
   from FORM, by MODE, weighted by dlosses or not; returns the loss. */
static float backward(bed *b, DLTensor *g, int form, sc_grad_mode mode,
                      int weighted, int soft)
{
    float loss = NAN;
    start(g->data, form);
    assert_int_equal(
        sc_cross_entropy_backward_ex(&b->tx, soft ? &b->tt : &b->ty,
                                     weighted ? &b->tdl : NULL, g, mode, &loss),
        SC_OK);
    return loss;
}

/* A and B agree entry by entry over [FROM, TO) within a few roundings (a row
   whose forward raised its reference mid-row rounds its first exps once less in
   one pass). */
static void assert_near(const float *a, const float *b, int from, int to,
                        const char *what)
{
    for (int i = from; i < to; i++)
        if (!(fabsf(a[i] - b[i]) <= 4e-7f * fabsf(b[i]) + 1e-30f))
            fail_msg("%s: [%d, %d] = %.9g after the forward, %.9g without "
                     "(%s)",
                     what, i / C, i % C, a[i], b[i], sc_simd()->name);
}

static void assert_same_bits(const float *a, const float *b, int from, int to,
                             const char *what)
{
    if (memcmp(a + from, b + from, (size_t)(to - from) * sizeof *a) != 0)
        fail_msg("%s: rows differ from the backward without a memo (%s)", what,
                 sc_simd()->name);
}

/* Every mode, form, weighting and label kind: after a forward, each row in
   one pass; the gradient and loss those of a backward without a memo. */
static void after_forward(void)
{
    test_seed(7);
    bed *b = bed_new(6);
    for (int v = 0; v < 16; v++) {
        int soft = v & 1, weighted = v >> 1 & 1, form = v >> 2;
        sc_grad_mode mode = form == 3 ? SC_GRAD_WRITE : SC_GRAD_ACCUMULATE;
        sc_memo_forget();
        float alone = backward(b, &b->tg_alone, form % 3, mode, weighted, soft);
        assert_int_equal(sc_memo_one_pass_rows(), 0);
        forward(b, soft);
        float after = backward(b, &b->tg_after, form % 3, mode, weighted, soft);
        assert_int_equal(sc_memo_one_pass_rows(), N);
        assert_true(test_close(after, alone, 1e-6, 1e-6));
        assert_near(b->g_after, b->g_alone, 0, N * C, "after the forward");
        /* The memo stays for the same logits: a second backward too. */
        backward(b, &b->tg_after, form % 3, mode, weighted, soft);
        assert_int_equal(sc_memo_one_pass_rows(), N);
    }
    free(b);
}

static void test_after_forward(void **state)
{
    (void)state;
    for (int v = 0; v < TEST_VARIANTS; v++)
        if (sc_simd_force(test_variants[v]) == 0)
            after_forward();
    sc_simd_force(NULL);
}

/* The logits change between the forward and the backward, at row STALE,
   by CHANGE: the rows before it in one pass, that row and the rest as
   without a memo, bit for bit, over a gradient of zeros as over values;
   the memo is then gone. */
static void stale_row(int stale, void (*change)(float *row))
{
    bed *b = bed_new(4);
    for (int form = 0; form < 2; form++) {
        forward(b, 0);
        change(b->x + stale * C);
        backward(b, &b->tg_after, form, SC_GRAD_ACCUMULATE, 1, 0);
        assert_int_equal(sc_memo_one_pass_rows(), stale);
        backward(b, &b->tg_alone, form, SC_GRAD_ACCUMULATE, 1, 0);
        assert_int_equal(sc_memo_one_pass_rows(), 0); /* dropped */
        assert_near(b->g_after, b->g_alone, 0, stale * C,
                    "before the stale row");
        assert_same_bits(b->g_after, b->g_alone, stale * C, N * C,
                         "from the stale row on");
    }
    free(b);
}

static void nudge(float *row)
{
    row[C / 3] += 0.5f; /* the sum moves, the reference stays */
}

static void raise_last(float *row)
{
    row[C - 1] += 40.0f; /* far above the reference: no longer a safe one */
}

static void lower_all(float *row)
{
    for (int j = 0; j < C; j++)
        row[j] -= 30.0f; /* the sum underflows against the old reference */
}

static void poison(float *row)
{
    row[C / 2] = NAN;
}

static void test_stale_rows(void **state)
{
    (void)state;
    test_seed(11);
    for (int v = 0; v < TEST_VARIANTS; v++) {
        if (sc_simd_force(test_variants[v]) != 0)
            continue;
        stale_row(0, nudge);
        stale_row(3, raise_last);
        stale_row(N - 1, lower_all);
        stale_row(2, poison);
    }
    sc_simd_force(NULL);
}

/* Other logits than the forward's: at another address, the memo is not
   tried; the same address in another layout (fewer rows, another row
   stride) neither. */
static void test_other_logits(void **state)
{
    (void)state;
    test_seed(13);
    bed *b = bed_new(3), *o = bed_new(3);
    forward(b, 0);
    backward(o, &o->tg_after, 0, SC_GRAD_ACCUMULATE, 0, 0);
    assert_int_equal(sc_memo_one_pass_rows(), 0);
    int64_t fewer[2] = {N - 1, C};
    DLTensor x5 = test_tensor(b->x, fewer, 2, TEST_F32);
    DLTensor y5 = b->ty, g5 = b->tg_after;
    y5.shape = fewer;
    g5.shape = fewer;
    assert_int_equal(
        sc_cross_entropy_backward_ex(&x5, &y5, NULL, &g5, SC_GRAD_WRITE, NULL),
        SC_OK);
    assert_int_equal(sc_memo_one_pass_rows(), 0);
    /* The same address and shape at another row stride: the forward over
       compact rows, the backward over every other row (their first rows
       are the same logits, which would verify). */
    int64_t half[2] = {N / 2, C}, every_other[2] = {2 * C, 1};
    DLTensor compact = test_tensor(b->x, half, 2, TEST_F32);
    DLTensor strided = compact, yh = b->ty, gh = b->tg_after;
    strided.strides = every_other;
    yh.shape = half;
    gh.shape = half;
    float losses[N / 2];
    DLTensor lh = test_tensor(losses, half, 1, TEST_F32);
    assert_int_equal(sc_cross_entropy_per_sample(&compact, &yh, &lh), SC_OK);
    assert_int_equal(sc_cross_entropy_backward_ex(&strided, &yh, NULL, &gh,
                                                  SC_GRAD_WRITE, NULL),
                     SC_OK);
    assert_int_equal(sc_memo_one_pass_rows(), 0);
    /* The mean loss's forward keeps one too. */
    float loss;
    assert_int_equal(sc_cross_entropy(&b->tx, &b->ty, &loss), SC_OK);
    backward(b, &b->tg_after, 0, SC_GRAD_WRITE, 0, 0);
    assert_int_equal(sc_memo_one_pass_rows(), N);
    free(b);
    free(o);
}

/* In place, the backward takes no memo and drops it: the logits are
   overwritten by their gradient. */
static void test_in_place(void **state)
{
    (void)state;
    test_seed(17);
    bed *b = bed_new(3);
    memcpy(b->g_alone, b->x, sizeof b->x);
    forward(b, 0);
    assert_int_equal(sc_cross_entropy_backward_ex(&b->tx, &b->ty, NULL, &b->tx,
                                                  SC_GRAD_WRITE, NULL),
                     SC_OK);
    assert_int_equal(sc_memo_one_pass_rows(), 0);
    memcpy(b->x, b->g_alone, sizeof b->x); /* the logits back */
    backward(b, &b->tg_after, 0, SC_GRAD_WRITE, 0, 0);
    assert_int_equal(sc_memo_one_pass_rows(), 0);
    free(b);
}

/* Two threads, each with its contiguous rows: all in one pass after the
   forward; with a stale row in the second thread's half, the first half
   still in one pass and the rest as without a memo. */
static void test_two_threads(void **state)
{
    (void)state;
    test_seed(19);
    bed *b = bed_new(5);
    sc_parallel_min_set(0);
    assert_int_equal(sc_set_num_threads(2), SC_OK);
    forward(b, 0);
    backward(b, &b->tg_after, 0, SC_GRAD_ACCUMULATE, 1, 0);
    assert_int_equal(sc_memo_one_pass_rows(), N);
    forward(b, 0);
    nudge(b->x + (N - 1) * C);
    backward(b, &b->tg_after, 0, SC_GRAD_ACCUMULATE, 1, 0);
    assert_int_equal(sc_memo_one_pass_rows(), N - 1);
    backward(b, &b->tg_alone, 0, SC_GRAD_ACCUMULATE, 1, 0);
    assert_same_bits(b->g_after, b->g_alone, (N - 1) * C, N * C,
                     "the stale row");
    sc_set_num_threads(0);
    sc_parallel_min_set(SC_PARALLEL_MIN);
    free(b);
}

/* One forward then backward over ROWS rows of COLS zeros (calloc's): the rows
   the backward did in one pass. */
static int64_t one_pass_rows_of(int64_t rows, int64_t cols)
{
    float *x = test_floats(rows * cols), *g = test_floats(rows * cols);
    float *losses = test_floats(rows);
    int32_t *y = calloc((size_t)rows, sizeof *y);
    assert_non_null(y);
    int64_t xs[2] = {rows, cols}, ys[1] = {rows};
    DLTensor tx = test_tensor(x, xs, 2, TEST_F32);
    DLTensor ty = test_tensor(y, ys, 1, TEST_I32);
    DLTensor tg = test_tensor(g, xs, 2, TEST_F32);
    DLTensor tl = test_tensor(losses, ys, 1, TEST_F32);
    assert_int_equal(sc_cross_entropy_per_sample(&tx, &ty, &tl), SC_OK);
    assert_int_equal(
        sc_cross_entropy_backward_ex(&tx, &ty, NULL, &tg, SC_GRAD_WRITE, NULL),
        SC_OK);
    free(x);
    free(g);
    free(losses);
    free(y);
    return sc_memo_one_pass_rows();
}

/* Below SC_MEMO_MIN elements, or in rows shorter than SC_MEMO_MIN_COLS,
   nothing is kept (a tiny call stays tiny; a memo of short rows would be
   a large share of the logits' memory); at both, every row in one pass. */
static void test_small_calls_keep_nothing(void **state)
{
    (void)state;
    enum { AT_MIN = SC_MEMO_MIN / SC_MEMO_MIN_COLS };
    assert_int_equal(one_pass_rows_of(2, 8), 0);
    assert_int_equal(one_pass_rows_of(2, SC_MEMO_MIN / 4), 0);
    assert_int_equal(one_pass_rows_of(SC_MEMO_MIN / (SC_MEMO_MIN_COLS - 1) + 1,
                                      SC_MEMO_MIN_COLS - 1),
                     0);
    assert_int_equal(one_pass_rows_of(AT_MIN, SC_MEMO_MIN_COLS), AT_MIN);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_after_forward),
        cmocka_unit_test(test_stale_rows),
        cmocka_unit_test(test_other_logits),
        cmocka_unit_test(test_in_place),
        cmocka_unit_test(test_two_threads),
        cmocka_unit_test(test_small_calls_keep_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
