/*
 * Issue 10, "loops forget too much", across a call: a helper that calls
 * the loss inside a loop (a training loop moved into a function) gives
 * its callers no requirement at all.  train_epoch below reads n rows of
 * labels on every step, yet train_epoch(out, t, 64) with 32 labels is
 * silent.  The same helper without the loop (return xent(...)) makes the
 * call an error ("'out' is [64, 10] but 't' is [32] in call to ..."), and
 * so does the loop written in the caller itself, even with a trip count
 * the checker does not know; a do { } while loop in the helper gives a
 * shape-mismatch of 'labels' instead.
 *
 * SPEC 4; README "Across functions and files": an unannotated helper that
 * passes its labels to a loss together with logits of [n, C] requires
 * labels to be [n] (and is itself a loss of its two parameters).  Here
 * the loop runs STEPS = 3 times on every call.
 */
#include <stdlib.h>

#include "shapecheck.h"

#define STEPS 3

float xent(const float *logits SHAPE(n, c), const int *labels SHAPE(n), int n,
           int c) SHAPE_LOSS(logits, labels);
float *alloc_matrix(int rows, int cols) RETURNS_SHAPE(rows, cols);
int *alloc_labels(int n) RETURNS_SHAPE(n);

static float train_epoch(const float *logits, const int *labels, int n)
{
    float loss = 0;
    for (int step = 0; step < STEPS; step++)
        loss += xent(logits, labels, n, 10);
    return loss;
}

float run(void)
{
    float *out = alloc_matrix(64, 10);
    int *t = alloc_labels(32);
    return train_epoch(out, t, 64); // expected-error {{'out' is [64, 10] but 't' is [32] in call to 'train_epoch' [shape-batch-mismatch]}}
    // expected-note@38 {{'out' has shape [64, 10], returned by 'alloc_matrix'}}
    // expected-note@39 {{'t' has shape [32], returned by 'alloc_labels'}}
    // expected-note@32 {{'train_epoch' passes 'logits' and 'labels' to the loss 'xent' here}}
}
