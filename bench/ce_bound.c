/*
 * ce_bound.c - the memory bounds of bench/ce_bench.c: plain loops that
 * move the bytes a kernel must move and compute nothing, built with
 * -O3 -march=native so that they run as fast as this machine moves data
 * with ordinary loads and stores.  A kernel's time against theirs is its
 * share of the memory bound.  Their rows are split across the OpenMP
 * threads when the bench has OpenMP (omp_set_num_threads: 1 or 2), so that
 * each thread count has its own bound.
 */
#include "ce_baselines.h"

#include <stddef.h>
#include <string.h>

uint32_t bound_read(const float *x, int n, int v, int vp)
{
    uint32_t s = 0;
#if defined(_OPENMP)
#pragma omp parallel for schedule(static) reduction(+ : s)
#endif
    for (int i = 0; i < n; i++) {
        const float *row = x + (size_t)i * vp;
        for (int j = 0; j < v; j++) {
            uint32_t w;
            memcpy(&w, row + j, sizeof w);
            s += w;
        }
    }
    return s;
}

void bound_copy(float *g, const float *x, int n, int v, int vp)
{
#if defined(_OPENMP)
#pragma omp parallel for schedule(static)
#endif
    for (int i = 0; i < n; i++) {
        float *restrict d = g + (size_t)i * vp;
        const float *restrict s = x + (size_t)i * vp;
        for (int j = 0; j < v; j++)
            d[j] = s[j];
    }
}

void bound_accumulate(float *g, const float *x, int n, int v, int vp)
{
#if defined(_OPENMP)
#pragma omp parallel for schedule(static)
#endif
    for (int i = 0; i < n; i++) {
        float *restrict d = g + (size_t)i * vp;
        const float *restrict s = x + (size_t)i * vp;
        for (int j = 0; j < v; j++)
            d[j] += s[j];
    }
}
