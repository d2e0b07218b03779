/*
 * shape-annotation must stay silent: every placement SPEC section 1 allows,
 * every form of the dimension language, written with and without spaces.
 */
// expected-no-diagnostics
#include <stdio.h>

#include "shapecheck.h"

#define HIDDEN 8
enum { HEADS = 2 };
static const int HEAD_DIM = HIDDEN / HEADS;

struct layer {
    int batch;
    int width;
    float *act SHAPE(batch, width);
};

/* Before the type, after the '*', after the declarator. */
static float sum3(SHAPE(B, HIDDEN) const float *a, const float *SHAPE(B, HIDDEN) b,
                  const float *c SHAPE(B,HIDDEN), int B)
{
    float s = 0;
    for (int i = 0; i < B * HIDDEN; i++)
        s += a[i] + b[i] + c[i];
    return s;
}

static float heads(const float *q SHAPE(T, HEADS, HEAD_DIM), int T)
    RETURNS_SHAPE();

static float heads(const float *q, int T)
{
    return q[T * HEADS * HEAD_DIM - 1];
}

static float *rows(float *base SHAPE(n * 2 + 1, (HIDDEN + 1) % 5, _, ...), int n)
    RETURNS_SHAPE(n * 2 + 1, 4, _, ...);

static float *rows(float *base, int n)
{
    (void)n;
    return base;
}

float loss(const float *logits SHAPE(N, C), const int *labels SHAPE(N))
    SHAPE_LOSS(logits, labels);

float loss(const float *logits, const int *labels)
{
    return logits[0] + (float)labels[0];
}

int main(void)
{
    float a[3][HIDDEN] = {{0}};
    float q[4][HEADS][4] = {{{0}}};
    float grid[5][4][1][1] = {{{{0}}}};
    int labels[3] = {0};
    float scalar SHAPE() = 1;
    struct layer l = {3, HIDDEN, &a[0][0]};
    printf("%f\n", (double)(sum3(&a[0][0], &a[0][0], &a[0][0], 3) + scalar +
                            heads(&q[0][0][0], 4) + *rows(&grid[0][0][0][0], 2) +
                            loss(l.act, labels)));
    return 0;
}
