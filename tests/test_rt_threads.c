/*
 * test_rt_threads.c - the per-thread error state: sc_last_error() and the
 * call site recorded by SC_CHECK belong to one thread each, while several
 * threads fail and succeed at once; and concurrent kernel calls agree
 * with a single-threaded run.
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_last_error_per_thread),
        cmocka_unit_test(test_call_site_per_thread),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
