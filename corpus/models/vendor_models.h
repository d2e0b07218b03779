/*
 * vendor_models.h - shapecheck models for vendor_loss.h: annotated
 * redeclarations of functions the user cannot edit, force-included with
 * --models (like -include).  They must match the real declarations.
 */
#include "shapecheck.h"

float vendor_softmax_xent(const float *logits SHAPE(n, classes),
                          const int *labels SHAPE(n), int n, int classes)
    SHAPE_LOSS(logits, labels);
