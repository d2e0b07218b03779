/*
 * The classic batch mismatch, first form: the labels were prepared for twice
 * the batch (say, for a sequence model that was later changed to one label
 * per sample), so the loss gets 32 rows of logits and 64 labels.  At run
 * time the loss silently reads only the first 32 labels: a wrong loss, no
 * crash.  shapecheck reports it at analysis time.
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
    float loss = cross_entropy(&logits[0][0], labels, BATCH, CLASSES); // expected-error {{logits and labels must have the same first dimension: '&logits[0][0]' is [32, 10] but 'labels' is [64] in call to 'cross_entropy'}}
    // expected-note@19 {{'logits' declared as an array of shape [BATCH, CLASSES], BATCH = 32, CLASSES = 10}}
    // expected-note@12 {{BATCH defined as 32 here}}
    // expected-note@14 {{CLASSES defined as 10 here}}
    // expected-note@20 {{'labels' declared as an array of shape [2 * BATCH], BATCH = 32}}
    printf("loss %.4f\n", loss);
    return 0;
}
