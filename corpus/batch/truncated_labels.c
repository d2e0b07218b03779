/*
 * The fix for labels_twice_batch.c: the labels are truncated to the logits'
 * batch before the loss, so both sides have BATCH rows.
 */
// expected-no-diagnostics
#include <stdio.h>

#include "tinyml.h"

#define BATCH 32
#define FEATURES 16
#define CLASSES 10

int main(void)
{
    static float x[BATCH][FEATURES], w[FEATURES][CLASSES];
    static float logits[BATCH][CLASSES];
    int all_labels[2 * BATCH];

    fill_random(&x[0][0], BATCH * FEATURES, 1);
    fill_random(&w[0][0], FEATURES * CLASSES, 2);
    for (int i = 0; i < 2 * BATCH; i++)
        all_labels[i] = i % CLASSES;

    /* Truncate: the first BATCH labels go with this batch of logits. */
    SHAPE(BATCH) const int *labels = all_labels;

    matmul(&logits[0][0], &x[0][0], &w[0][0], BATCH, FEATURES, CLASSES);
    float loss = cross_entropy(&logits[0][0], labels, BATCH, CLASSES);
    printf("loss %.4f\n", loss);
    return 0;
}
