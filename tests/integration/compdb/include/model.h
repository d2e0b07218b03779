/* The loss of the compile-database tests.  BATCH comes only from the
   compile database (-DBATCH=...), so a run that did not use its entry stops
   at the #error, and the finding's message tells which entry was used. */
#ifndef MODEL_H
#define MODEL_H

#include "shapecheck.h"

#ifndef BATCH
#error "BATCH comes from the compile database"
#endif
#define CLASSES 4

float xent(const float *logits SHAPE(n, c), const int *labels SHAPE(n), int n,
           int c) SHAPE_LOSS(logits, labels);

#endif
