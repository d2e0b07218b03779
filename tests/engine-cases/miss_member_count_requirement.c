/*
 * darknet's train_network(network *net, ...) shape: a helper whose labels
 * parameter is annotated with a fixed size reads net->batch rows of it in
 * a loss.  Inside the helper net->batch is unknown, so nothing can be
 * said there; but the helper's summary does not carry "needs
 * net->batch <= 32" to its callers either, and the call with
 * net.batch = 64 is silent.  With the labels parameter unannotated the
 * summary does carry a requirement ("'truth' has shape [32] but parameter
 * 'truth' of 'train_network' expects [net->batch] = [64]").  (xent and
 * alloc_matrix have bodies here: see miss_external_call_in_helper.c.)
 *
 * SPEC 4 (a view that needs more rows than the extent holds, on every
 * execution of the call); README "Across functions and files" (sizes
 * travel as struct members; a call is checked against the summary of the
 * callee).  Where the finding goes (the call, or the loss with the call
 * in a note) is the engine's choice: this file expects it at the call.
 *
 * engine-case: open (not run by ctest until the engine handles it)
 */
#include <stdlib.h>

#include "shapecheck.h"

float xent(const float *logits SHAPE(n, c), const int *labels SHAPE(n), int n,
           int c) SHAPE_LOSS(logits, labels);
float *alloc_matrix(int rows, int cols) RETURNS_SHAPE(rows, cols);
int *alloc_labels(int n) RETURNS_SHAPE(n);

float xent(const float *logits, const int *labels, int n, int c)
{
    float s = 0;
    for (int i = 0; i < n; i++)
        s += logits[(size_t)i * c + labels[i]];
    return -s / (float)n;
}

float *alloc_matrix(int rows, int cols)
{
    return calloc((size_t)rows * (size_t)cols, sizeof(float));
}

typedef struct network {
    int batch;
    float cost;
} network;

static float train_network(network *net, const int *truth SHAPE(32))
{
    float *out = alloc_matrix(net->batch, 10);
    return xent(out, truth, net->batch, 10);
}

float run(void)
{
    network net = {0};
    net.batch = 64;
    int *truth = alloc_labels(32);
    return train_network(&net, truth); // expected-error {{'train_network'}}
}
