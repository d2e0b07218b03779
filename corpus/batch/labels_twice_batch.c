/*
 * The classic batch mismatch, first form: the labels were prepared for twice
 * the batch (say, for a sequence model that was later changed to one label
 * per sample), so the loss is handed 32 rows of logits and 64 labels.  The
 * loss reads the first 32 labels: legal C (a prefix), but the other 32 are
 * never used, which is rarely what was meant.  shapecheck warns
 * (shape-batch-extent); labels too short for the rows read would be an
 * error (labels_short_batch.c).
 */
#include <stdio.h>

#include "tinyml.h"

#define BATCH 32
#define FEATURES 16
#define CLASSES 10

int main(void)
{
    static float x[BATCH][FEATURES], w[FEATURES][CLASSES];
    static float logits[BATCH][CLASSES];
    int labels[2 * BATCH];

    fill_random(&x[0][0], BATCH * FEATURES, 1);
    fill_random(&w[0][0], FEATURES * CLASSES, 2);
    for (int i = 0; i < 2 * BATCH; i++)
        labels[i] = i % CLASSES;

    matmul(&logits[0][0], &x[0][0], &w[0][0], BATCH, FEATURES, CLASSES);
    float loss = cross_entropy(&logits[0][0], labels, BATCH, CLASSES); // expected-warning {{'labels' holds 64 rows but the loss reads 32: the rest are never used [shape-batch-extent]}}
    // expected-note@21 {{'logits' declared as an array of shape [BATCH, CLASSES], BATCH = 32, CLASSES = 10}}
    // expected-note@14 {{BATCH defined as 32 here}}
    // expected-note@16 {{CLASSES defined as 10 here}}
    // expected-note@22 {{'labels' declared as an array of shape [2 * BATCH], BATCH = 32}}
    printf("loss %.4f\n", loss);
    return 0;
}
