/* The annotated kernels the project's own code is built on. */
#ifndef KERNELS_H
#define KERNELS_H

#include "shapecheck.h"

void matmul(float *out SHAPE(rows, cols), const float *x SHAPE(rows, inner),
            const float *w SHAPE(inner, cols), int rows, int inner, int cols);

float softmax_xent(const float *logits SHAPE(n, c), const int *labels SHAPE(n),
                   int n, int c) SHAPE_LOSS(logits, labels);

void read_labels(int *out SHAPE(count), int count, unsigned seed);

#endif
