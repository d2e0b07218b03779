/*
 * test_rt_util.h - what the runtime library's tests share: a seeded
 * random generator, tensor builders, double-precision references, and the
 * list of instruction-set variants to run every numerical test on.
 *
 * Header-only (static functions): each test_rt_*.c is one executable,
 * and defines _POSIX_C_SOURCE before any include (fork, pipe).
 */
#ifndef SHAPECHECK_TEST_RT_UTIL_H
#define SHAPECHECK_TEST_RT_UTIL_H

#include "rt_internal.h"

#include <math.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* ---- Random numbers (reproducible: a fixed seed per test) ------------- */

static uint64_t test_rng_state = 0x853c49e6748fea9bull;

static inline void test_seed(uint64_t seed)
{
    test_rng_state = seed * 0x9e3779b97f4a7c15ull + 1;
}

static inline uint32_t test_rand(void)
{
    test_rng_state ^= test_rng_state << 13;
    test_rng_state ^= test_rng_state >> 7;
    test_rng_state ^= test_rng_state << 17;
    return (uint32_t)(test_rng_state >> 32);
}

/* Uniform in [lo, hi). */
static inline float test_uniform(float lo, float hi)
{
    return lo + (hi - lo) * (float)(test_rand() >> 8) / 16777216.0f;
}

static inline int64_t test_below(int64_t n)
{
    return (int64_t)(test_rand() % (uint32_t)n);
}

/* ---- Tensors ------------------------------------------------------------ */

static inline DLDataType test_dtype(uint8_t code, uint8_t bits)
{
    DLDataType dt = {code, bits, 1};
    return dt;
}

#define TEST_F32 test_dtype(kDLFloat, 32)
#define TEST_I32 test_dtype(kDLInt, 32)
#define TEST_I64 test_dtype(kDLInt, 64)

/* A CPU tensor of RANK dims at SHAPE over DATA. */
static inline DLTensor test_tensor(void *data, int64_t *shape, int rank,
                                   DLDataType dt)
{
    DLTensor t;
    memset(&t, 0, sizeof t);
    t.data = data;
    t.device.device_type = kDLCPU;
    t.ndim = rank;
    t.dtype = dt;
    t.shape = shape;
    return t;
}

/* n floats (at least one, so the pointer is never NULL), filled by the
   caller; free() them. */
static inline float *test_floats(int64_t n)
{
    float *p = calloc((size_t)(n > 0 ? n : 1), sizeof(float));
    if (!p)
        abort();
    return p;
}

/* Fills N floats with the same byte pattern, to see what a failed call
   wrote (it must write nothing). */
#define TEST_SENTINEL 0x7b
static inline void test_poison(void *p, size_t bytes)
{
    memset(p, TEST_SENTINEL, bytes);
}

static inline int test_untouched(const void *p, size_t bytes)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < bytes; i++)
        if (b[i] != TEST_SENTINEL)
            return 0;
    return 1;
}

/* ---- Double-precision references --------------------------------------- */

/* log sum exp of X[0..c) in double. */
static inline double ref_logsumexp(const float *x, int64_t c)
{
    double m = -INFINITY;
    for (int64_t j = 0; j < c; j++)
        if (x[j] > m)
            m = x[j];
    double s = 0;
    for (int64_t j = 0; j < c; j++)
        s += exp((double)x[j] - m);
    return m + log(s);
}

/* Cross-entropy of one row: with a label (T NULL) or targets T. */
static inline double ref_ce_row(const float *x, int64_t c, int64_t label,
                                const float *t)
{
    double lse = ref_logsumexp(x, c);
    if (!t)
        return lse - x[label];
    double l = 0;
    for (int64_t j = 0; j < c; j++)
        if (t[j] != 0.0f)
            l -= (double)t[j] * ((double)x[j] - lse);
    return l;
}

/* |got - want| within REL relative and ABS absolute. */
static inline int test_close(double got, double want, double rel, double abs_)
{
    if (isnan(want))
        return isnan(got);
    if (isinf(want))
        return got == want;
    return fabs(got - want) <= abs_ + rel * fabs(want);
}

/* ---- Death tests -------------------------------------------------------- */

/* Runs FN in a child process with its stderr captured into OUT (SIZE
   bytes, NUL-terminated); returns true when the child died of SIGABRT, as
   an assertion does. */
static inline int test_aborts(void (*fn)(void), char *out, size_t size)
{
    int fd[2];
    if (pipe(fd) != 0)
        abort();
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0)
        abort();
    if (pid == 0) {
        dup2(fd[1], 2);
        close(fd[0]);
        fn();
        _exit(0); /* did not abort */
    }
    close(fd[1]);
    size_t len = 0;
    ssize_t got;
    while (len + 1 < size && (got = read(fd[0], out + len, size - len - 1)) > 0)
        len += (size_t)got;
    out[len] = '\0';
    close(fd[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    return WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT;
}

/* ---- Instruction-set variants ------------------------------------------- */

/* Every variant of the row kernels; those the CPU cannot run are skipped
   (sc_simd_force fails for them). */
static const char *const test_variants[] = {"generic", "avx2", "avx512"};
#define TEST_VARIANTS 3

#endif /* SHAPECHECK_TEST_RT_UTIL_H */
