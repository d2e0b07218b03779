/*
 * Issue 10, "calls forget too much" (darknet's set_batch_network): a
 * setter writes the batch of a heap-allocated network through its
 * pointer.  Afterwards the checker does not know net->batch: the loss
 * below, which reads net->batch = 64 rows of a 32-label buffer, gets the
 * warning "'out' holds 64 rows but the loss reads
 * calloc(1, sizeof(network)).batch" instead of the error.  The same
 * setter on a stack network (network n0; set_batch(&n0, 64)) gives the
 * error, and so does net->batch = 64 written in the caller.
 *
 * SPEC 4 (shape-batch-mismatch); README "Across functions and files":
 * "one that sets l->B = B leaves B in its argument's member".
 */
#include <stdlib.h>

#include "shapecheck.h"

float xent(const float *logits SHAPE(n, c), const int *labels SHAPE(n), int n,
           int c) SHAPE_LOSS(logits, labels);
float *alloc_matrix(int rows, int cols) RETURNS_SHAPE(rows, cols);
int *alloc_labels(int n) RETURNS_SHAPE(n);

typedef struct network {
    int batch;
    float cost;
} network;

static void set_batch_network(network *net, int b)
{
    net->batch = b;
}

float train_step(void)
{
    network *net = calloc(1, sizeof(network));
    set_batch_network(net, 64);
    int *truth = alloc_labels(32);
    float *out = alloc_matrix(64, 10);
    return xent(out, truth, net->batch, 10); // expected-error {{'out' is [64, 10] but 'truth' is [32] in call to 'xent' [shape-batch-mismatch]}}
    // expected-note@38 {{'out' has shape [64, 10], returned by 'alloc_matrix'}}
    // expected-note@37 {{'truth' has shape [32], returned by 'alloc_labels'}}
    // expected-note@36 {{batch set to 64 here}}
}
