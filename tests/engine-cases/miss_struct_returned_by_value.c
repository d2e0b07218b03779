/*
 * Issue 10, "calls forget too much": an init function returns the config
 * struct by value (struct loader l = loader_make(64)).  The checker does
 * not know l.B afterwards: the loss below, which reads l.B = 64 rows of a
 * 32-label buffer, gets the warning "'out' holds 64 rows but the loss
 * reads ?" (with '?' for the count) instead of the error.  The same
 * struct filled through a pointer (loader_init(&l, 64)) gives the error.
 *
 * SPEC 3 (assignment and initialisation from a call's result), SPEC 4
 * (shape-batch-mismatch).
 */
#include <stdlib.h>

#include "shapecheck.h"

float xent(const float *logits SHAPE(n, c), const int *labels SHAPE(n), int n,
           int c) SHAPE_LOSS(logits, labels);
float *alloc_matrix(int rows, int cols) RETURNS_SHAPE(rows, cols);
int *alloc_labels(int n) RETURNS_SHAPE(n);

struct loader {
    int B;
    int pos;
};

static struct loader loader_make(int batch)
{
    struct loader l = {0};
    l.B = batch;
    return l;
}

float train_step(void)
{
    struct loader l = loader_make(64);
    int *truth = alloc_labels(32);
    float *out = alloc_matrix(64, 10);
    return xent(out, truth, l.B, 10); // expected-error {{'out' is [64, 10] but 'truth' is [32] in call to 'xent' [shape-batch-mismatch]}}
    // expected-note@37 {{'out' has shape [64, 10], returned by 'alloc_matrix'}}
    // expected-note@36 {{'truth' has shape [32], returned by 'alloc_labels'}}
    // expected-note@35 {{B set to 64 here}}
}
