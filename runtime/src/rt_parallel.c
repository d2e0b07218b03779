/*
 * rt_parallel.c - threads: the one file that speaks OpenMP.  Kernels hand
 * it a function over a range of rows; it runs it on the caller's thread
 * for small calls, else on contiguous ranges, one per thread.
 *
 * Built without OpenMP (a compiler without it, or SHAPECHECK_RT_OPENMP
 * off), every call runs on the caller's thread and the setting is kept
 * only to be read back.
 */
#include "rt_internal.h"

#include <stdatomic.h>

#if defined(_OPENMP)
#include <omp.h>
#endif

/* Threads of a range split can never exceed this (the partial sums live
   on the stack). */
#define SC_MAX_THREADS 256

/* sc_set_num_threads's value; 0: OpenMP's default. */
static atomic_int num_threads;

/* The cut-off, SC_PARALLEL_MIN but while the benchmark measures it. */
static _Atomic int64_t parallel_min = SC_PARALLEL_MIN;

void sc_parallel_min_set(int64_t elements)
{
    atomic_store_explicit(&parallel_min, elements, memory_order_relaxed);
}

sc_status sc_set_num_threads(int n)
{
    if (n < 0)
        return sc_fail(SC_ERR_ARG,
                       "sc_set_num_threads(%d): the count must be >= 1, or 0 "
                       "for the default",
                       n);
    atomic_store_explicit(&num_threads, n, memory_order_relaxed);
    return SC_OK;
}

int sc_get_num_threads(void)
{
#if defined(_OPENMP)
    int n = atomic_load_explicit(&num_threads, memory_order_relaxed);
    if (n == 0)
        n = omp_get_max_threads();
    return n < SC_MAX_THREADS ? n : SC_MAX_THREADS;
#else
    return 1;
#endif
}

int sc_team(int64_t rows, int64_t work)
{
#if defined(_OPENMP)
    if (work < atomic_load_explicit(&parallel_min, memory_order_relaxed) ||
        rows < 2 || omp_in_parallel())
        return 1;
    int n = sc_get_num_threads();
    return rows < n ? (int)rows : n;
#else
    (void)rows;
    (void)work;
    return 1;
#endif
}

double sc_for_rows(int64_t rows, int team, sc_rows_fn fn, const void *ctx)
{
    if (team <= 1)
        return rows > 0 ? fn(ctx, 0, rows, 0) : 0.0;
    double part[SC_MAX_THREADS] = {0};
#if defined(_OPENMP)
#pragma omp parallel num_threads(team)
    {
        int64_t t = omp_get_thread_num(), n = omp_get_num_threads();
        int64_t each = rows / n, extra = rows % n; /* the first get one more */
        int64_t r0 = t * each + (t < extra ? t : extra);
        int64_t r1 = r0 + each + (t < extra);
        part[t] = r0 < r1 ? fn(ctx, r0, r1, (int)t) : 0.0;
    }
#else
    (void)fn;
    (void)ctx;
#endif
    double total = 0;
    for (int t = 0; t < team; t++)
        total += part[t];
    return total;
}
