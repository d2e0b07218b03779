/*
 * The classic batch mismatch, second form: a data loader that returns a
 * short last batch.  The logits are always computed for a full BATCH, but on
 * the last step the loader fills only `n` labels.
 *
 * No static finding is possible here: `n` is only known when the program
 * runs, and it equals BATCH on every step but the last.  shapecheck stays
 * silent rather than guess.  The runtime library catches it (see
 * corpus/runtime/short_last_batch_rt.c): sc_cross_entropy checks the two
 * batch sizes on every call and reports the same message.
 */
// expected-no-diagnostics
#include <stdio.h>

#include "tinyml.h"

#define BATCH 8
#define FEATURES 4
#define CLASSES 3
#define DATASET 20

/* Copies up to BATCH labels starting at `start`; returns how many. */
static int load_labels(int *labels, int start)
{
    int n = 0;
    while (n < BATCH && start + n < DATASET) {
        labels[n] = (start + n) % CLASSES;
        n++;
    }
    return n;
}

int main(void)
{
    static float x[BATCH][FEATURES], w[FEATURES][CLASSES];
    static float logits[BATCH][CLASSES];
    int labels[BATCH] = {0};

    fill_random(&w[0][0], FEATURES * CLASSES, 2);
    for (int start = 0; start < DATASET; start += BATCH) {
        int n = load_labels(labels, start);
        fill_random(&x[0][0], BATCH * FEATURES, (unsigned)start);
        matmul(&logits[0][0], &x[0][0], &w[0][0], BATCH, FEATURES, CLASSES);
        /* Bug on the last step: n == 4, but BATCH rows of logits. */
        float loss = cross_entropy(&logits[0][0], labels, BATCH, CLASSES);
        printf("step %d: %d labels, loss %.4f\n", start / BATCH, n, loss);
    }
    return 0;
}
