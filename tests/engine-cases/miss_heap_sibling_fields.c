/*
 * A field's SHAPE names sibling fields (SPEC 2, rule 2: "a sibling field
 * of integer type of the same struct, in the same object").  On a struct
 * allocated with calloc the checker does not resolve them, even right
 * after net->batch = 64 and net->outputs = 5 in the same function: the
 * extent of net->output stays [batch, outputs].  So the loss below, which
 * reads 64 of the 100 labels, gets no warning; and where the labels are
 * too short (32) the error says "'net->output' is [batch, outputs]" with
 * the note "'calloc(1, sizeof(network)).output' declared with shape
 * [batch, outputs]" instead of [64, 5] and net->batch = 64.  The same
 * code on a stack struct (network n0; network *net = &n0;) gives the
 * warning with "'n0.output' declared with shape [batch, outputs],
 * n0.batch = 64, n0.outputs = 5".
 *
 * SPEC 4, shape-batch-extent: views agree (64 rows), extents 64 and 100
 * cannot be equal, the count is not clamped: a warning.
 * Corpus: corpus/loops/darknet_net.c (train_classifier).
 */
#include <stdlib.h>

#include "shapecheck.h"

float xent(const float *logits SHAPE(n, c), const int *labels SHAPE(n), int n,
           int c) SHAPE_LOSS(logits, labels);
float *alloc_matrix(int rows, int cols) RETURNS_SHAPE(rows, cols);
int *alloc_labels(int n) RETURNS_SHAPE(n);

typedef struct network {
    int batch, outputs;
    float *output SHAPE(batch, outputs);
} network;

float train_step(void)
{
    network *net = calloc(1, sizeof(network));
    net->batch = 64;
    net->outputs = 5;
    net->output = alloc_matrix(64, 5);
    int *truth = alloc_labels(100);
    return xent(net->output, truth, net->batch, 5); // expected-warning {{'truth' holds 100 rows but the loss reads 64: the rest are never used [shape-batch-extent]}}
    // expected-note@30 {{output' declared with shape [batch, outputs]}}
    // expected-note@36 {{batch set to 64 here}}
    // expected-note@37 {{outputs set to 5 here}}
    // expected-note@39 {{'truth' has shape [100], returned by 'alloc_labels'}}
}
