/*
 * Issue 10, item 5: "keep the names the user wrote".  Both findings below
 * are right; their notes name what the user did not write:
 *
 * heap_names: "'alloc_matrix(net->batch, 10)' has shape [64, 10] ...,
 *   calloc(1, sizeof(network)).batch = 64" and
 *   "calloc(1, sizeof(network)).batch set to 64 here": the user wrote
 *   net->out2 and net->batch (the heap object is named by the expression
 *   that allocated it).
 * stack_names: "'n0.output' declared with shape [batch, outputs],
 *   BATCH = 64, n0.outputs = 10": the user wrote net->output, and the dim
 *   `batch` is the sibling field net->batch (set from the macro BATCH,
 *   on line 51, which gets no note while net->outputs does).
 *
 * The texts below say what the notes should carry, not their final
 * wording.
 *
 * engine-case: open (not run by ctest until the engine handles it)
 */
#include <stdlib.h>

#include "shapecheck.h"

float xent(const float *logits SHAPE(n, c), const int *labels SHAPE(n), int n,
           int c) SHAPE_LOSS(logits, labels);
float *alloc_matrix(int rows, int cols) RETURNS_SHAPE(rows, cols);
int *alloc_labels(int n) RETURNS_SHAPE(n);

#define BATCH 64

typedef struct network {
    int batch, outputs;
    float *output SHAPE(batch, outputs);
    float *out2;
} network;

float heap_names(void)
{
    network *net = calloc(1, sizeof(network));
    net->batch = 64;
    net->out2 = alloc_matrix(net->batch, 10);
    int *truth = alloc_labels(32);
    return xent(net->out2, truth, net->batch, 10); // expected-error {{'net->out2' is [64, 10] but 'truth' is [32] in call to 'xent' [shape-batch-mismatch]}}
    // expected-note@39 {{'net->out2' has shape [64, 10], returned by 'alloc_matrix', net->batch = 64}}
    // expected-note@38 {{net->batch set to 64 here}}
    // expected-note@40 {{'truth' has shape [32], returned by 'alloc_labels'}}
}

float stack_names(void)
{
    network n0;
    network *net = &n0;
    net->batch = BATCH;
    net->outputs = 10;
    int *truth = alloc_labels(32);
    return xent(net->output, truth, net->batch, 10); // expected-error {{'net->output' is [64, 10] but 'truth' is [32] in call to 'xent' [shape-batch-mismatch]}}
    // expected-note@31 {{'net->output' declared with shape [batch, outputs], net->batch = 64, net->outputs = 10}}
    // expected-note@51 {{net->batch set to}}
    // expected-note@27 {{BATCH defined as 64 here}}
    // expected-note@52 {{net->outputs set to 10 here}}
    // expected-note@53 {{'truth' has shape [32], returned by 'alloc_labels'}}
}
