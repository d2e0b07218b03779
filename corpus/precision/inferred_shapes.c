/*
 * A scratch buffer with no annotation takes the shape of what each call
 * writes into it; a later call that writes fewer rows replaces that, it
 * does not contradict it (issue 9, class 6: only declared facts are
 * contracts).
 */
#include <stdio.h>
#include <stdlib.h>

#include "tinyml.h"

// expected-no-diagnostics

#define BATCH 64
#define LAST 32
#define FEATURES 8
#define CLASSES 10

int main(void)
{
    static float x[BATCH][FEATURES], w[FEATURES][CLASSES];
    static int labels[BATCH];
    fill_random(&x[0][0], BATCH * FEATURES, 1);
    fill_random(&w[0][0], FEATURES * CLASSES, 2);
    float *scratch = malloc(sizeof(float) * BATCH * CLASSES);
    if (!scratch)
        return 1;
    /* A full batch, then the short last one, in the same buffer. */
    matmul(scratch, &x[0][0], &w[0][0], BATCH, FEATURES, CLASSES);
    float loss = cross_entropy(scratch, labels, BATCH, CLASSES);
    matmul(scratch, &x[0][0], &w[0][0], LAST, FEATURES, CLASSES);
    loss += cross_entropy(scratch, labels, LAST, CLASSES);
    /* And the other way round. */
    matmul(scratch, &x[0][0], &w[0][0], LAST, FEATURES, CLASSES);
    matmul(scratch, &x[0][0], &w[0][0], BATCH, FEATURES, CLASSES);
    loss += cross_entropy(scratch, labels, BATCH, CLASSES);
    printf("loss %.4f\n", (double)loss);
    free(scratch);
    return 0;
}
