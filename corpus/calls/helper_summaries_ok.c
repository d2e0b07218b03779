/*
 * The fix for helper_summaries.c, and helpers whose bodies say nothing
 * certain: a requirement made only on some paths (inside an if, a loop, or
 * after an early return) is not carried to callers, and a parameter the
 * body reassigns says nothing about its argument.
 */
// expected-no-diagnostics
#include <stdio.h>
#include <stdlib.h>

#include "tinyml.h"

#define BATCH 16
#define FEATURES 4
#define CLASSES 10

static float weights[FEATURES][CLASSES];

static float *mlp_forward(const float *x, int rows)
{
    float *out = malloc(sizeof(float) * (size_t)rows * CLASSES);
    if (!out)
        return NULL;
    matmul(out, x, &weights[0][0], rows, FEATURES, CLASSES);
    return out;
}

static float train_step(const float *logits, const int *labels, int n)
{
    return cross_entropy(logits, labels, n, CLASSES);
}

/* The loss only runs when asked: no requirement on callers. */
static float maybe_eval(const float *logits, const int *labels, int n, int on)
{
    if (on)
        return cross_entropy(logits, labels, n, CLASSES);
    return 0;
}

/* Returns early for an empty batch: the loss is not reached on every path. */
static float guarded(const float *logits, const int *labels, int n)
{
    if (n == 0)
        return 0;
    return cross_entropy(logits, labels, n, CLASSES);
}

/* Reassigns its parameter: what it passes on is its own buffer. */
static float own_labels(const float *logits, const int *labels, int n)
{
    static int mine[BATCH];
    labels = mine;
    return cross_entropy(logits, labels, n, CLASSES);
}

int main(void)
{
    static float x[BATCH][FEATURES];
    static int labels[BATCH], wrong[2 * BATCH];
    fill_random(&x[0][0], BATCH * FEATURES, 1);
    fill_random(&weights[0][0], FEATURES * CLASSES, 2);

    float *logits = mlp_forward(&x[0][0], BATCH);
    if (!logits)
        return 1;
    float a = train_step(logits, labels, BATCH);
    float b = maybe_eval(logits, wrong, BATCH, 0);
    float c = guarded(logits, wrong, 0);
    float d = own_labels(logits, wrong, BATCH);
    printf("%.4f %.4f %.4f %.4f\n", (double)a, (double)b, (double)c, (double)d);
    free(logits);
    return 0;
}
