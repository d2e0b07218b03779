/*
 * kernels.c - the instrumented definitions of the kernels and constructors
 * that generated programs declare (with their annotations: gen.py's KERNELS
 * table; the harness compiles this file with those declarations
 * force-included, so the two cannot drift apart).
 *
 * Each kernel describes its view of each shaped parameter to oracle_check()
 * (oracle_match.h) in the words of its annotation: an integer parameter is
 * its value, a free symbol is its number.  Nothing here touches memory the
 * view does not cover, and only when the call matched.
 */
#include <stddef.h>

#include "oracle_match.h"

#define ARG(nm, ptr, wr, rk, ...) \
    {nm, ptr, sizeof *(ptr), rk, {__VA_ARGS__}, {0}, wr}
#define SYMS(nm, ptr, wr, rk, dims, syms) \
    {nm, ptr, sizeof *(ptr), rk, dims, syms, wr}
#define LIST(...) {__VA_ARGS__}

enum { N = 1, D = 2, C = 3 }; /* free symbols */

float ce(const float *logits, const int *labels, int n, int c)
{
    struct oracle_call k = {"ce", 2,
        {ARG("logits", logits, 0, 2, n, c), ARG("labels", labels, 0, 1, n)}, 0, 1};
    return oracle_check(&k) ? 1.0f : 0.0f;
}

float nll(const float *logp, const int *target)
{
    struct oracle_call k = {"nll", 2,
        {SYMS("logp", logp, 0, 2, LIST(0, 0), LIST(N, C)),
         SYMS("target", target, 0, 1, LIST(0), LIST(N))}, 0, 1};
    return oracle_check(&k) ? 1.0f : 0.0f;
}

void fill(float *out, int r, int c)
{
    struct oracle_call k = {"fill", 1, {ARG("out", out, 1, 2, r, c)}, -1, -1};
    oracle_check(&k);
}

void relu(float *x, int n)
{
    struct oracle_call k = {"relu", 1, {ARG("x", x, 1, 1, n)}, -1, -1};
    oracle_check(&k);
}

void matmul(float *out, const float *a, const float *b, int m, int kk, int n)
{
    struct oracle_call k = {"matmul", 3,
        {ARG("out", out, 1, 2, m, n), ARG("a", a, 0, 2, m, kk),
         ARG("b", b, 0, 2, kk, n)}, -1, -1};
    oracle_check(&k);
}

void scale(float *x)
{
    struct oracle_call k = {"scale", 1,
        {SYMS("x", x, 1, 2, LIST(0, 0), LIST(N, D))}, -1, -1};
    oracle_check(&k);
}

void add(float *out, const float *a)
{
    struct oracle_call k = {"add", 2,
        {SYMS("out", out, 1, 2, LIST(0, 0), LIST(N, D)),
         SYMS("a", a, 0, 2, LIST(0, 0), LIST(N, D))}, -1, -1};
    oracle_check(&k);
}

void rowsum(float *out, const float *x, int n)
{
    struct oracle_call k = {"rowsum", 2,
        {ARG("out", out, 1, 1, n), SYMS("x", x, 0, 2, LIST(n, 0), LIST(0, D))},
        -1, -1};
    oracle_check(&k);
}

void pool2(float *out, const float *x, int n, int c)
{
    struct oracle_call k = {"pool2", 2,
        {ARG("out", out, 1, 2, n / 2, c), ARG("x", x, 0, 2, n, c)}, -1, -1};
    oracle_check(&k);
}

void head4(float *x, int c)
{
    struct oracle_call k = {"head4", 1, {ARG("x", x, 1, 2, 4, c)}, -1, -1};
    oracle_check(&k);
}

void flatten(float *out, const float *x, int n, int c)
{
    struct oracle_call k = {"flatten", 2,
        {ARG("out", out, 1, 1, (long)n * c), ARG("x", x, 0, 2, n, c)}, -1, -1};
    oracle_check(&k);
}

void bias(float *x, const float *b, int n, int c)
{
    struct oracle_call k = {"bias", 2,
        {ARG("x", x, 1, 2, n, c), ARG("b", b, 0, 1, c)}, -1, -1};
    oracle_check(&k);
}

void relu_u8(float *x, unsigned char n)
{
    struct oracle_call k = {"relu_u8", 1, {ARG("x", x, 1, 1, n)}, -1, -1};
    oracle_check(&k);
}

void fill_sz(float *out, size_t r, size_t c)
{
    struct oracle_call k = {"fill_sz", 1,
        {ARG("out", out, 1, 2, (long)r, (long)c)}, -1, -1};
    oracle_check(&k);
}

float *alloc2(int r, int c)
{
    long dims[] = {r, c};
    return oracle_alloc_dims(sizeof(float), 2, dims);
}

float *alloc3(int b, int t, int c)
{
    long dims[] = {b, t, c};
    return oracle_alloc_dims(sizeof(float), 3, dims);
}

int *alloc_labels(int n)
{
    long dims[] = {n};
    return oracle_alloc_dims(sizeof(int), 1, dims);
}
