/*
 * rt_matmul.c - OUT = A B (+ BIAS), row-major float32, rows possibly
 * padded (each operand's row stride is its leading dimension, as BLAS's).
 *
 * Built with OpenBLAS (SC_HAVE_CBLAS), the product is cblas_sgemm's: it
 * won the benchmark by a wide margin (docs/runtime.md).  The built-in
 * blocked loop remains for builds without a BLAS and for sizes cblas_sgemm
 * cannot take (an int dimension).
 */
#include "rt_internal.h"

#include <limits.h>
#include <string.h>

#if defined(SC_HAVE_CBLAS)
#include <cblas.h>
#endif

/* Blocks of B that stay in cache while rows of A stream past: KB rows of
   NB columns (256 x 256 floats: 256 KB, inside L2). */
#define KB 256
#define NB 256
/* m * k * n below which the built-in loop beats cblas_sgemm's overhead. */
#define SMALL_PRODUCT 1024.0

/* OUT's M rows of N (row stride LDO) = BIAS (or 0). */
static void init_rows(float *out, int64_t ldo, const float *bias, int64_t m,
                      int64_t n)
{
    for (int64_t i = 0; i < m; i++) {
        if (bias)
            memcpy(out + i * ldo, bias, (size_t)n * sizeof *out);
        else
            memset(out + i * ldo, 0, (size_t)n * sizeof *out);
    }
}

/* out[0..w) += sum over p of a[p] * b[p][0..w): one row of A. */
static void panel_row(const float *restrict a, const float *restrict b,
                      int64_t ldb, float *restrict out, int64_t kc, int64_t w)
{
    for (int64_t p = 0; p < kc; p++) {
        const float *bp = b + p * ldb;
        float ap = a[p];
        for (int64_t j = 0; j < w; j++)
            out[j] += ap * bp[j];
    }
}

/* The same for four rows of A at once, so that each row of B is loaded
   once for all four. */
static void panel_4rows(const float *restrict a, int64_t lda,
                        const float *restrict b, int64_t ldb,
                        float *restrict out, int64_t ldo, int64_t kc, int64_t w)
{
    float *restrict o0 = out, *restrict o1 = out + ldo;
    float *restrict o2 = out + 2 * ldo, *restrict o3 = out + 3 * ldo;
    for (int64_t p = 0; p < kc; p++) {
        const float *bp = b + p * ldb;
        float a0 = a[p], a1 = a[lda + p], a2 = a[2 * lda + p];
        float a3 = a[3 * lda + p];
        for (int64_t j = 0; j < w; j++) {
            float bj = bp[j];
            o0[j] += a0 * bj;
            o1[j] += a1 * bj;
            o2[j] += a2 * bj;
            o3[j] += a3 * bj;
        }
    }
}

void sc_matmul_builtin(const float *a, int64_t lda, const float *b, int64_t ldb,
                       const float *bias, float *out, int64_t ldo, int64_t m,
                       int64_t k, int64_t n)
{
    init_rows(out, ldo, bias, m, n);
    for (int64_t p0 = 0; p0 < k; p0 += KB) {
        int64_t kc = k - p0 < KB ? k - p0 : KB;
        for (int64_t j0 = 0; j0 < n; j0 += NB) {
            int64_t w = n - j0 < NB ? n - j0 : NB;
            int64_t i = 0;
            for (; i + 4 <= m; i += 4)
                panel_4rows(a + i * lda + p0, lda, b + p0 * ldb + j0, ldb,
                            out + i * ldo + j0, ldo, kc, w);
            for (; i < m; i++)
                panel_row(a + i * lda + p0, b + p0 * ldb + j0, ldb,
                          out + i * ldo + j0, kc, w);
        }
    }
}

/* A [M, K], B [K, N], BIAS [N] or NULL, OUT [M, N], all float32, OUT apart
   from the others. */
static sc_status check_matmul_args(const DLTensor *a, const DLTensor *b,
                                   const DLTensor *bias, DLTensor *out,
                                   sc_arg *av, sc_arg *bv, sc_arg *cv,
                                   sc_arg *ov)
{
    sc_status st;
    if ((st = sc_check_tensor(a, "a", 2, 2, SC_DT_F32, av)) ||
        (st = sc_check_tensor(b, "b", 2, 2, SC_DT_F32, bv)) ||
        (bias && (st = sc_check_tensor(bias, "bias", 1, 1, SC_DT_F32, cv))) ||
        (st = sc_check_tensor(out, "out", 2, 2, SC_DT_F32, ov)))
        return st;
    char s1[SC_DIMS_TEXT], s2[SC_DIMS_TEXT];
    int64_t want[2] = {av->dims[0], bv->dims[1]};
    if (av->dims[1] != bv->dims[0])
        return sc_fail(SC_ERR_SHAPE,
                       "'a' and 'b' must share their inner dimension: 'a' is "
                       "%s but 'b' is %s",
                       sc_format_dims(s1, sizeof s1, av->dims, 2),
                       sc_format_dims(s2, sizeof s2, bv->dims, 2));
    if (bias && cv->dims[0] != want[1])
        return sc_fail(SC_ERR_SHAPE, "'bias' must have shape %s but has %s",
                       sc_format_dims(s1, sizeof s1, want + 1, 1),
                       sc_format_dims(s2, sizeof s2, cv->dims, 1));
    if (ov->dims[0] != want[0] || ov->dims[1] != want[1])
        return sc_fail(SC_ERR_SHAPE, "'out' must have shape %s but has %s",
                       sc_format_dims(s1, sizeof s1, want, 2),
                       sc_format_dims(s2, sizeof s2, ov->dims, 2));
    const DLTensor *ts[] = {a, b, bias, out};
    const char *names[] = {"a", "b", "bias", "out"};
    if ((st = sc_check_no_overlap(ov, "out", av, "a", 0)) ||
        (st = sc_check_no_overlap(ov, "out", bv, "b", 0)) ||
        (bias && (st = sc_check_no_overlap(ov, "out", cv, "bias", 0))) ||
        (st = sc_check_shared_arrays(ts, names, 4)))
        return st;
    return SC_OK;
}

sc_status sc_matmul(const DLTensor *a, const DLTensor *b, const DLTensor *bias,
                    DLTensor *out)
{
    sc_arg av, bv, cv, ov;
    sc_status st;
    if ((st = check_matmul_args(a, b, bias, out, &av, &bv, &cv, &ov)))
        return st;
    int64_t m = av.dims[0], k = av.dims[1], n = bv.dims[1];
    const float *bias_data = bias ? cv.data : NULL;
    if (m == 0 || n == 0)
        return SC_OK;
    /* BLAS wants each leading dimension >= max(1, columns). */
    int64_t lda = av.stride > 1 ? av.stride : 1;
    int64_t ldb = bv.stride > 1 ? bv.stride : 1;
    int64_t ldo = ov.stride > 1 ? ov.stride : 1;
#if defined(SC_HAVE_CBLAS)
    /* BLAS's call overhead loses below about 8 x 8 x 8 (the benchmark);
       cblas_sgemm takes int sizes. */
    if ((double)m * (double)k * (double)n > SMALL_PRODUCT && m <= INT_MAX &&
        n <= INT_MAX && k <= INT_MAX && lda <= INT_MAX && ldb <= INT_MAX &&
        ldo <= INT_MAX) {
        if (bias_data) /* beta = 1 then adds the product to the bias */
            init_rows(ov.data, ldo, bias_data, m, n);
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)m, (int)n,
                    (int)k, 1.0f, av.data, (int)lda, bv.data, (int)ldb,
                    bias_data ? 1.0f : 0.0f, ov.data, (int)ldo);
        return SC_OK;
    }
#endif
    sc_matmul_builtin(av.data, lda, bv.data, ldb, bias_data, ov.data, ldo, m, k,
                      n);
    return SC_OK;
}
