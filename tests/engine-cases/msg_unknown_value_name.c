/*
 * Issue 10, item 5: keep the names the user wrote.  batch is read from
 * the command line, so its value is unknown; the warning below is right,
 * but says "'labels' holds 2*? rows but the loss reads ?": the user wrote
 * batch, and the notes say [2*batch].  llm.c shows the same '?' for Vp
 * (size_t, passed to an int parameter): "expects [B, T, Vp] =
 * [model->batch_size, model->seq_len + 1, ?]".
 */
#include <stdlib.h>

#include "shapecheck.h"

float xent(const float *logits SHAPE(n, c), const int *labels SHAPE(n), int n,
           int c) SHAPE_LOSS(logits, labels);

int main(int argc, char **argv)
{
    int batch = argc > 1 ? atoi(argv[1]) : 8;
    SHAPE(batch, 4) float *logits = calloc((size_t)batch * 4, sizeof(float));
    SHAPE(2 * batch) int *labels = calloc((size_t)batch * 2, sizeof(int));
    float loss = xent(logits, labels, batch, 4); // expected-warning {{'labels' holds 2*batch rows but the loss reads batch: the rest are never used [shape-batch-extent]}}
    // expected-note@-3 {{'logits' declared with shape [batch, 4]}}
    // expected-note@-3 {{'labels' declared with shape [2*batch]}}
    free(logits);
    free(labels);
    return loss > 0;
}
