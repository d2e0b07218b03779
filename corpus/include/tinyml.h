/*
 * tinyml.h - the few kernels the corpus programs train with, annotated the
 * way a user of shapecheck would annotate their own.  Header-only so that
 * every corpus program is one file that also builds with a plain `cc`.
 */
#ifndef TINYML_H
#define TINYML_H

#include <math.h>
#include <stdlib.h>

#include "shapecheck.h"

/* Mean softmax cross-entropy of logits [n, c] against class indices [n]. */
static inline float cross_entropy(const float *logits SHAPE(n, c),
                                  const int *labels SHAPE(n), int n, int c)
    SHAPE_LOSS(logits, labels);

static inline float cross_entropy(const float *logits, const int *labels,
                                  int n, int c)
{
    double total = 0;
    for (int i = 0; i < n; i++) {
        const float *row = logits + (size_t)i * c;
        float max = row[0];
        for (int j = 1; j < c; j++)
            max = row[j] > max ? row[j] : max;
        double sum = 0;
        for (int j = 0; j < c; j++)
            sum += exp(row[j] - max);
        total += log(sum) + max - row[labels[i]];
    }
    return (float)(total / n);
}

/* out[rows, cols] = x[rows, inner] . w[inner, cols] */
static inline void matmul(float *out SHAPE(rows, cols),
                          const float *x SHAPE(rows, inner),
                          const float *w SHAPE(inner, cols), int rows,
                          int inner, int cols)
{
    for (int i = 0; i < rows; i++)
        for (int j = 0; j < cols; j++) {
            float acc = 0;
            for (int k = 0; k < inner; k++)
                acc += x[(size_t)i * inner + k] * w[(size_t)k * cols + j];
            out[(size_t)i * cols + j] = acc;
        }
}

/* A zeroed rows x cols matrix (NULL when out of memory). */
static inline float *alloc_matrix(int rows, int cols) RETURNS_SHAPE(rows, cols);

static inline float *alloc_matrix(int rows, int cols)
{
    return calloc((size_t)rows * (size_t)cols, sizeof(float));
}

/* Deterministic pseudo-random fill, so the programs run reproducibly. */
static inline void fill_random(float *x, int n, unsigned seed)
{
    for (int i = 0; i < n; i++) {
        seed = seed * 1103515245u + 12345u;
        x[i] = (float)((seed >> 16) & 0x7fff) / 32768.0f - 0.5f;
    }
}

#endif /* TINYML_H */
