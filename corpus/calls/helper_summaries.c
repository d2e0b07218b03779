/*
 * Unannotated helpers: shapecheck reads their bodies and carries what they
 * need and what they return to every call (a summary), so a mismatch two
 * calls away from the loss is still found at the call that causes it.
 */
#include <stdio.h>
#include <stdlib.h>

#include "tinyml.h"

#define BATCH 32
#define FEATURES 8
#define CLASSES 10

static float weights[FEATURES][CLASSES];

/* Returns [rows, CLASSES]: the shape matmul gives its output. */
static float *mlp_forward(const float *x, int rows)
{
    float *out = malloc(sizeof(float) * (size_t)rows * CLASSES);
    if (out)
        matmul(out, x, &weights[0][0], rows, FEATURES, CLASSES);
    return out;
}

/* No annotation either: it returns what mlp_forward returns. */
static float *predict(const float *x, int rows)
{
    return mlp_forward(x, rows);
}

/* Passes both to the loss: labels must have the logits' first dim. */
static float train_step(const float *logits, const int *labels, int n)
{
    return cross_entropy(logits, labels, n, CLASSES);
}

int main(void)
{
    static float x[BATCH][FEATURES];
    static int labels[BATCH / 2];
    fill_random(&x[0][0], BATCH * FEATURES, 1);
    fill_random(&weights[0][0], FEATURES * CLASSES, 2);

    float *logits = predict(&x[0][0], BATCH);
    if (!logits)
        return 1;
    float loss = train_step(logits, labels, BATCH); // expected-error {{'logits' is [32, 10] but 'labels' is [16] in call to 'train_step' [shape-batch-mismatch]}}
    // expected-note@-4 {{'logits' has shape [32, 10], returned by 'predict', BATCH = 32}}
    // expected-note@11 {{BATCH defined as 32 here}}
    // expected-note@29 {{'predict' returns [rows, 10] here (shape from 'mlp_forward')}}
    // expected-note@41 {{'labels' declared as an array of shape [BATCH / 2], BATCH = 32}}
    // expected-note@35 {{'train_step' passes 'logits' and 'labels' to the loss 'cross_entropy' here}}
    printf("loss %.4f\n", loss);
    free(logits);
    return 0;
}
