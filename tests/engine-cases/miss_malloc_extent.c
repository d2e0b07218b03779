/*
 * docs/rules.md: an argument's extent is also "the size malloc, calloc,
 * realloc or aligned_alloc was asked for (as a flat count of elements)".
 * At 97c2b20 (front end with element sizes, 271dcd5) none is used:
 * too_short reads 8 labels of a 4-int malloc and is silent (SPEC 4: an
 * error, the labels are too short for the rows read while the logits
 * hold them); the same buffer from alloc_labels(4) with RETURNS_SHAPE(n)
 * is reported.  corpus.project.verify fails for this reason, it seems:
 * load_labels (src/data.c) returns malloc(sizeof(int) * count).  (That
 * program's own expectation, an error for [batch] logits against
 * [2*batch] labels, is a shape-batch-extent warning under SPEC 4 v2:
 * the labels hold more rows than the loss reads.)
 */
#include <stdlib.h>

#include "shapecheck.h"

float xent(const float *logits SHAPE(n, c), const int *labels SHAPE(n), int n,
           int c) SHAPE_LOSS(logits, labels);

float too_short(void)
{
    SHAPE(8, 4) float *logits = malloc(sizeof(float) * 32);
    int *labels = malloc(sizeof(int) * 4);
    return xent(logits, labels, 8, 4); // expected-error {{logits and labels must have the same first dimension: 'logits' is [8, 4] but 'labels' is [4] in call to 'xent' [shape-batch-mismatch]}}
    // expected-note@-3 {{'logits' declared with shape [8, 4]}}
    // expected-note@-3 {{'labels'}}
}
