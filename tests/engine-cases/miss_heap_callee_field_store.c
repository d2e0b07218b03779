/*
 * Issue 10, "calls forget too much" / darknet's train_network.  The
 * network lives on the heap (calloc).  forward_network stores a pointer
 * into one field (net->output = ...) and never writes net->batch; after
 * the call the checker forgets net->batch, so the loss, which reads
 * net->batch = 64 rows of a 32-label buffer, gets the shape-batch-extent
 * warning ("'out' holds 64 rows but the loss reads
 * calloc(1, sizeof(network)).batch") instead of the error.  The same
 * callee on a stack network (network n0; network *net = &n0;), or a
 * callee that stores an int field, keeps net->batch = 64 and the error is
 * reported.
 *
 * SPEC 3: a write changes what is known only about objects it may reach;
 * SPEC 4: labels too short for the rows read is shape-batch-mismatch.
 * Corpus: corpus/loops/darknet_net.c (forward_network in the loop).
 */
#include <stdlib.h>

#include "shapecheck.h"

float xent(const float *logits SHAPE(n, c), const int *labels SHAPE(n), int n,
           int c) SHAPE_LOSS(logits, labels);
float *alloc_matrix(int rows, int cols) RETURNS_SHAPE(rows, cols);
int *alloc_labels(int n) RETURNS_SHAPE(n);

typedef struct network {
    int batch;
    float *output;
} network;

static void forward_network(network *net)
{
    net->output = NULL;
}

float train_step(void)
{
    network *net = calloc(1, sizeof(network));
    net->batch = 64;
    int *truth = alloc_labels(32);
    float *out = alloc_matrix(64, 10);
    forward_network(net);
    return xent(out, truth, net->batch, 10); // expected-error {{'out' is [64, 10] but 'truth' is [32] in call to 'xent' [shape-batch-mismatch]}}
    // expected-note@41 {{'out' has shape [64, 10], returned by 'alloc_matrix'}}
    // expected-note@40 {{'truth' has shape [32], returned by 'alloc_labels'}}
    // expected-note@39 {{batch set to 64 here}}
}
