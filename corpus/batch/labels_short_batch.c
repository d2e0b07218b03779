/*
 * The classic batch mismatch, as an error: the labels buffer was sized for
 * half the batch (an evaluation batch, say), and the loss reads BATCH rows
 * of it.  At run time the loss reads past the end of the labels: a wrong
 * loss, or a crash far away.  shapecheck reports it at analysis time, with
 * where each size came from.
 */
#include <stdio.h>

#include "tinyml.h"

#define BATCH 32
#define EVAL_BATCH 16
#define FEATURES 16
#define CLASSES 10

int main(void)
{
    static float x[BATCH][FEATURES], w[FEATURES][CLASSES];
    static float logits[BATCH][CLASSES];
    int labels[EVAL_BATCH];

    fill_random(&x[0][0], BATCH * FEATURES, 1);
    fill_random(&w[0][0], FEATURES * CLASSES, 2);
    for (int i = 0; i < EVAL_BATCH; i++)
        labels[i] = i % CLASSES;

    matmul(&logits[0][0], &x[0][0], &w[0][0], BATCH, FEATURES, CLASSES);
    float loss = cross_entropy(&logits[0][0], labels, BATCH, CLASSES); // expected-error {{logits and labels must have the same first dimension: '&logits[0][0]' is [32, 10] but 'labels' is [16] in call to 'cross_entropy' [shape-batch-mismatch]}}
    // expected-note@20 {{'logits' declared as an array of shape [BATCH, CLASSES], BATCH = 32, CLASSES = 10}}
    // expected-note@12 {{BATCH defined as 32 here}}
    // expected-note@15 {{CLASSES defined as 10 here}}
    // expected-note@21 {{'labels' declared as an array of shape [EVAL_BATCH], EVAL_BATCH = 16}}
    // expected-note@13 {{EVAL_BATCH defined as 16 here}}
    printf("loss %.4f\n", loss);
    return 0;
}
