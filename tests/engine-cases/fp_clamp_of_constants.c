/*
 * The truncating fix of SPEC 4, loss(logits, labels, min(nl, nb)), with
 * both counts known: n = nl < nb ? nl : nb reads 8 rows of 32 logits and
 * 8 labels.  The checker folds n to the constant 8 and then warns
 * "'logits' holds 32 rows but the loss reads 8: the rest are never used"
 * [shape-batch-extent], as if 8 were a count that only happened to fit.
 * With nl or nb unknown (argc-dependent, as in
 * corpus/precision/capacity_and_count.c) it stays silent.  The short last
 * batch, int n = total - start < B ? total - start : B with total and
 * start known (corpus/loops/last_batch_ok.c), is the same case.
 *
 * SPEC 4, shape-batch-extent: only when the row count "is not explicitly
 * clamped to both (a min, a conditional, a value proven <= both)".
 * docs/rules.md: "a conditional that picks the smaller (n = a < b ? a : b)".
 */
// expected-no-diagnostics
#include <stdlib.h>

#include "shapecheck.h"

float xent(const float *logits SHAPE(n, c), const int *labels SHAPE(n), int n,
           int c) SHAPE_LOSS(logits, labels);
float *alloc_matrix(int rows, int cols) RETURNS_SHAPE(rows, cols);
int *alloc_labels(int n) RETURNS_SHAPE(n);

float truncated(void)
{
    int nl = 32, nb = 8;
    float *logits = alloc_matrix(nl, 10);
    int *labels = alloc_labels(nb);
    int n = nl < nb ? nl : nb;
    return xent(logits, labels, n, 10);
}

float last_batch(void)
{
    const int total = 200, B = 32;
    int start = total / B * B;
    int n = total - start < B ? total - start : B;
    float *logits = alloc_matrix(n, 10);
    int *labels = alloc_labels(B);
    return xent(logits, labels, n, 10);
}
