/*
 * A buffer with no annotation takes the shape of the parameter it is first
 * passed to ("inferred from the call to 'matmul'"), and a RETURNS_SHAPE
 * function's result has that shape at each call.
 */
#include <stdio.h>
#include <stdlib.h>

#include "tinyml.h"

#define BATCH 32
#define FEATURES 16
#define CLASSES 10

static float *new_matrix(int rows, int cols) RETURNS_SHAPE(rows, cols);

static float *new_matrix(int rows, int cols)
{
    return calloc((size_t)rows * (size_t)cols, sizeof(float));
}

int main(void)
{
    float *x = new_matrix(BATCH, FEATURES);
    float *w = new_matrix(FEATURES, CLASSES);
    float *logits = malloc(sizeof(float) * BATCH * CLASSES);
    int *labels = calloc(2 * BATCH, sizeof(int));
    if (!x || !w || !logits || !labels)
        return 1;

    matmul(logits, x, w, BATCH, FEATURES, CLASSES);
    int half[BATCH / 2];
    float loss = cross_entropy(logits, half, BATCH, CLASSES); // expected-error {{'logits' is [32, 10] but 'half' is [16]}}
    // expected-note@-3 {{'logits' has shape [32, 10], inferred from the call to 'matmul'}}
    // expected-note@-3 {{'half' declared as an array of shape [BATCH / 2], BATCH = 32}}
    // expected-note@11 {{BATCH defined as 32 here}}
    // expected-note@26 {{'logits' holds [320] elements, allocated by 'malloc'}}

    float *h = new_matrix(BATCH / 4, CLASSES);
    matmul(h, x, w, BATCH, FEATURES, CLASSES); // expected-error {{'h' has shape [8, 10] but parameter 'out' of 'matmul' expects [rows, cols] = [32, 10]}}
    // expected-note@-2 {{'h' has shape [8, 10], returned by 'new_matrix', CLASSES = 10}}
    // expected-note@13 {{CLASSES defined as 10 here}}
    // expected-note@11 {{BATCH defined as 32 here}}

    printf("%f\n", (double)loss);
    free(h);
    free(x);
    free(w);
    free(logits);
    free(labels);
    return 0;
}
