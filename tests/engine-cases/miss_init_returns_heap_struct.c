/*
 * Issue 10, "calls forget too much" (darknet's make_network, llm.c's
 * build functions): an init function allocates a struct, sets its batch
 * and returns the pointer.  At the caller net->batch is unknown: the loss
 * below, which reads net->batch = 64 rows of a 32-label buffer, gets only
 * the warning "'out' holds 64 rows but the loss reads ?: the rest are
 * never used" (with '?' for the count).  The same three lines written in
 * the caller (net = calloc(...); net->batch = 64;) give the error.
 *
 * SPEC 4 (labels too short for the rows read: shape-batch-mismatch);
 * README "Across functions and files": what a callee leaves in memory is
 * carried to its callers.  Corpus: corpus/loops/darknet_net.c
 * (validate_classifier, build_network).
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

static network *make_network(int batch)
{
    network *net = calloc(1, sizeof(network));
    net->batch = batch;
    return net;
}

float train_step(void)
{
    network *net = make_network(64);
    int *truth = alloc_labels(32);
    float *out = alloc_matrix(64, 10);
    return xent(out, truth, net->batch, 10); // expected-error {{'out' is [64, 10] but 'truth' is [32] in call to 'xent' [shape-batch-mismatch]}}
    // expected-note@40 {{'out' has shape [64, 10], returned by 'alloc_matrix'}}
    // expected-note@39 {{'truth' has shape [32], returned by 'alloc_labels'}}
    // expected-note@38 {{batch set to 64 here}}
}
