/*
 * test_rt_threads.c - threads: a large call split across the library's
 * threads gives what it gives on one (rows computed once each, in their
 * own workspace); calls from several threads at once agree with a
 * single-threaded run; and the per-thread error state: sc_last_error()
 * and the call site recorded by SC_CHECK belong to one thread each, while
 * several threads fail and succeed at once.
 */
#define _POSIX_C_SOURCE 200809L /* test_rt_util.h: fork, pipe; barriers */

#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "test_rt_util.h"

enum { THREADS = 4, ROUNDS = 200, N = 8, C = 300 };

static pthread_barrier_t barrier;

/* What one thread found; checked by the main thread, since cmocka's
   assertions are not for other threads. */
typedef struct worker {
    int id;
    int bad;         /* rounds where something was wrong */
    char first[256]; /* sc_last_error() as the thread started */
    const float *x;  /* shared logits [N, C] */
    float want;      /* the loss computed before the threads started */
} worker;

static int32_t labels_ok[N];

static void *run_worker(void *arg)
{
    worker *w = arg;
    snprintf(w->first, sizeof w->first, "%s", sc_last_error());
    int64_t xs[2] = {N, C}, ls[1] = {N};
    DLTensor x = test_tensor((void *)w->x, xs, 2, TEST_F32);
    DLTensor good = test_tensor(labels_ok, ls, 1, TEST_I32);
    int32_t mine[N];
    memcpy(mine, labels_ok, sizeof mine);
    mine[w->id] = C + w->id; /* out of range at index id: my own message */
    DLTensor bad = test_tensor(mine, ls, 1, TEST_I32);
    char want[128];
    snprintf(want, sizeof want,
             "'labels' holds %d at index %d, outside the classes [0, %d)",
             C + w->id, w->id, C);
    for (int r = 0; r < ROUNDS; r++) {
        float loss = 0;
        w->bad += sc_cross_entropy(&x, &bad, &loss) != SC_ERR_ARG;
        pthread_barrier_wait(&barrier); /* everyone has failed its way */
        w->bad += strcmp(sc_last_error(), want) != 0;
        w->bad += sc_cross_entropy(&x, &good, &loss) != SC_OK;
        w->bad += loss != w->want;
        w->bad += strcmp(sc_last_error(), want) != 0; /* success keeps it */
        pthread_barrier_wait(&barrier);
    }
    return NULL;
}

static void test_last_error_per_thread(void **state)
{
    (void)state;
    float *x = test_floats(N * C);
    test_seed(21);
    for (int i = 0; i < N * C; i++)
        x[i] = test_uniform(-5, 5);
    for (int i = 0; i < N; i++)
        labels_ok[i] = (int32_t)test_below(C);
    int64_t xs[2] = {N, C}, ls[1] = {N};
    DLTensor xt = test_tensor(x, xs, 2, TEST_F32);
    DLTensor yt = test_tensor(labels_ok, ls, 1, TEST_I32);
    float want;
    assert_int_equal(sc_cross_entropy(&xt, &yt, &want), SC_OK);
    /* This thread has a message of its own; new threads start with "". */
    assert_int_equal(sc_cross_entropy(&xt, &yt, NULL), SC_ERR_ARG);

    worker w[THREADS];
    pthread_t th[THREADS];
    pthread_barrier_init(&barrier, NULL, THREADS);
    for (int i = 0; i < THREADS; i++) {
        w[i] = (worker){i, 0, "", x, want};
        assert_int_equal(pthread_create(&th[i], NULL, run_worker, &w[i]), 0);
    }
    for (int i = 0; i < THREADS; i++) {
        pthread_join(th[i], NULL);
        assert_string_equal(w[i].first, "");
        assert_int_equal(w[i].bad, 0);
    }
    pthread_barrier_destroy(&barrier);
    assert_string_equal(sc_last_error(), "'loss' is NULL");
    free(x);
}

/* The handler is shared, the call site is not: a thread inside SC_CHECK
   and a thread making plain calls see their own location. */
static _Thread_local const char *handler_file;
static _Thread_local int handler_calls;

static void record_site(sc_status status, const char *message, const char *file,
                        int line, void *user)
{
    (void)status;
    (void)message;
    (void)line;
    (void)user;
    handler_file = file;
    handler_calls++;
}

typedef struct site_worker {
    int checked; /* use SC_CHECK */
    int bad;
} site_worker;

static void *run_site_worker(void *arg)
{
    site_worker *w = arg;
    for (int r = 0; r < ROUNDS; r++) {
        pthread_barrier_wait(&barrier);
        handler_file = "unset";
        sc_status st = w->checked ? SC_CHECK(sc_mse(NULL, NULL, NULL))
                                  : sc_mse(NULL, NULL, NULL);
        w->bad += st != SC_ERR_ARG;
        w->bad += w->checked ? !handler_file ||
                                   !strstr(handler_file, "test_rt_threads.c")
                             : handler_file != NULL;
    }
    w->bad += handler_calls != ROUNDS;
    return NULL;
}

static void test_call_site_per_thread(void **state)
{
    (void)state;
    site_worker w[2] = {{1, 0}, {0, 0}};
    pthread_t th[2];
    sc_set_error_handler(record_site, NULL);
    pthread_barrier_init(&barrier, NULL, 2);
    for (int i = 0; i < 2; i++)
        assert_int_equal(pthread_create(&th[i], NULL, run_site_worker, &w[i]),
                         0);
    for (int i = 0; i < 2; i++) {
        pthread_join(th[i], NULL);
        assert_int_equal(w[i].bad, 0);
    }
    pthread_barrier_destroy(&barrier);
    sc_set_error_handler(NULL, NULL);
}

/* ---- A large call on several threads ------------------------------------ */

/* A problem over SC_PARALLEL_MIN elements: rows of a GPT-2-sized row,
   padded, with weights, and a gradient to accumulate onto. */
enum { BIG_N = 17, BIG_C = 20011, BIG_STRIDE = 20032 };

typedef struct big {
    float *x, *g0, *w;
    int32_t lab[BIG_N];
    sc_view vx, vy, vw;
} big;

static void big_init(big *b)
{
    test_seed(31);
    b->x = test_floats(BIG_N * BIG_STRIDE);
    b->g0 = test_floats(BIG_N * BIG_STRIDE);
    b->w = test_floats(BIG_N);
    for (int i = 0; i < BIG_N * BIG_STRIDE; i++) {
        b->x[i] = i % BIG_STRIDE < BIG_C ? test_uniform(-6, 6) : NAN;
        b->g0[i] = test_uniform(-1, 1);
    }
    for (int i = 0; i < BIG_N; i++) {
        b->lab[i] = (int32_t)test_below(BIG_C);
        b->w[i] = test_uniform(0, 1);
    }
    sc_view_f32_rows(&b->vx, b->x, BIG_N, BIG_C, BIG_STRIDE);
    sc_view_i32_1d(&b->vy, b->lab, BIG_N);
    sc_view_f32_1d(&b->vw, b->w, BIG_N);
}

static void big_free(big *b)
{
    free(b->x);
    free(b->g0);
    free(b->w);
}

/* What one call sequence produced: losses, an accumulated gradient, a
   softmax, the mean loss. */
typedef struct big_out {
    float losses[BIG_N], mean;
    float *g, *y;
} big_out;

static void big_run(big *b, big_out *o)
{
    sc_view vl, vg, vyo;
    o->g = test_floats(BIG_N * BIG_STRIDE);
    o->y = test_floats(BIG_N * BIG_STRIDE);
    memcpy(o->g, b->g0, sizeof(float) * BIG_N * BIG_STRIDE);
    DLTensor *g = sc_view_f32_rows(&vg, o->g, BIG_N, BIG_C, BIG_STRIDE);
    DLTensor *y = sc_view_f32_rows(&vyo, o->y, BIG_N, BIG_C, BIG_STRIDE);
    o->mean = NAN;
    if (sc_cross_entropy_per_sample(&b->vx.tensor, &b->vy.tensor,
                                    sc_view_f32_1d(&vl, o->losses, BIG_N)) ||
        sc_cross_entropy_backward_ex(&b->vx.tensor, &b->vy.tensor,
                                     &b->vw.tensor, g, SC_GRAD_ACCUMULATE,
                                     &o->mean) ||
        sc_softmax(&b->vx.tensor, y))
        o->mean = NAN;
}

static int big_same(const big_out *a, const big_out *b)
{
    size_t bytes = sizeof(float) * BIG_N * BIG_STRIDE;
    return memcmp(a->losses, b->losses, sizeof a->losses) == 0 &&
           memcmp(a->g, b->g, bytes) == 0 && memcmp(a->y, b->y, bytes) == 0 &&
           fabsf(a->mean - b->mean) <= 1e-6f * fabsf(b->mean);
}

static void big_out_free(big_out *o)
{
    free(o->g);
    free(o->y);
}

/* 1, 2 and 3 threads (more than this machine may have: OpenMP makes
   them anyway) give the same rows. */
static void test_thread_counts(void **state)
{
    (void)state;
    big b;
    big_out one, more;
    big_init(&b);
    assert_true((int64_t)BIG_N * BIG_C >= SC_PARALLEL_MIN);
    assert_int_equal(sc_set_num_threads(1), SC_OK);
    big_run(&b, &one);
    assert_true(isfinite(one.mean));
    for (int threads = 2; threads <= 3; threads++) {
        assert_int_equal(sc_set_num_threads(threads), SC_OK);
        big_run(&b, &more);
        assert_true(big_same(&more, &one));
        big_out_free(&more);
    }
    assert_int_equal(sc_set_num_threads(0), SC_OK);
    big_out_free(&one);
    big_free(&b);
}

/* Two threads of the program, each making large calls (each split across
   the library's threads, each with its own workspace), at once. */
typedef struct big_worker {
    big *b;
    big_out out;
} big_worker;

static void *run_big_worker(void *arg)
{
    big_worker *w = arg;
    pthread_barrier_wait(&barrier);
    big_run(w->b, &w->out);
    return NULL;
}

static void test_concurrent_large_calls(void **state)
{
    (void)state;
    big b;
    big_out want;
    big_init(&b);
    big_run(&b, &want);
    big_worker w[2] = {{&b, {{0}, 0, NULL, NULL}}, {&b, {{0}, 0, NULL, NULL}}};
    pthread_t th[2];
    pthread_barrier_init(&barrier, NULL, 2);
    for (int i = 0; i < 2; i++)
        assert_int_equal(pthread_create(&th[i], NULL, run_big_worker, &w[i]),
                         0);
    for (int i = 0; i < 2; i++) {
        pthread_join(th[i], NULL);
        assert_true(big_same(&w[i].out, &want));
        big_out_free(&w[i].out);
    }
    pthread_barrier_destroy(&barrier);
    big_out_free(&want);
    big_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_thread_counts),
        cmocka_unit_test(test_concurrent_large_calls),
        cmocka_unit_test(test_last_error_per_thread),
        cmocka_unit_test(test_call_site_per_thread),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
