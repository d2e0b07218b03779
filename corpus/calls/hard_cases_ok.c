/*
 * What summaries cannot follow ends in "unknown", never in a loop, a crash
 * or a guess: recursion (direct and mutual), calls through function
 * pointers, variadic functions and old-style declarations.
 */
// expected-no-diagnostics
#include <stdarg.h>
#include <stdio.h>

#include "tinyml.h"

#define BATCH 4
#define CLASSES 3

static float descend(const float *logits, const int *labels, int n, int depth);

/* Mutual recursion through descend(). */
static float climb(const float *logits, const int *labels, int n, int depth)
{
    if (depth <= 0)
        return cross_entropy(logits, labels, n, CLASSES);
    return descend(logits, labels, n, depth - 1);
}

static float descend(const float *logits, const int *labels, int n, int depth)
{
    return climb(logits, labels, n, depth);
}

/* Direct recursion. */
static int count_down(int n)
{
    return n <= 0 ? 0 : 1 + count_down(n - 1);
}

typedef float (*loss_fn)(const float *, const int *, int, int);

static float through_pointer(loss_fn f, const float *logits, const int *labels)
{
    return f(logits, labels, BATCH, CLASSES);
}

/* Variadic: the extra arguments are not matched against anything. */
static float sum_all(int count, ...)
{
    va_list ap;
    va_start(ap, count);
    double total = 0;
    for (int i = 0; i < count; i++)
        total += va_arg(ap, double);
    va_end(ap);
    return (float)total;
}

/* An old-style declaration: no prototype, nothing to check against. */
float legacy();

float legacy(n) int n;
{
    return (float)n;
}

int main(void)
{
    static float logits[BATCH][CLASSES];
    static int labels[BATCH];
    float a = climb(&logits[0][0], labels, BATCH, 3);
    float b = through_pointer(cross_entropy, &logits[0][0], labels);
    float c = sum_all(2, 1.0, 2.0);
    float d = legacy(count_down(3));
    printf("%f %f %f %f\n", (double)a, (double)b, (double)c, (double)d);
    return 0;
}
