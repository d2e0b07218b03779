/* Input of test_lsp_project.c: a program of two files whose bug crosses
   them.  Nothing here says what forward() returns: its body in net.c
   does, which only the project index tells train.c. */
#ifndef NET_H
#define NET_H

#include "shapecheck.h"

#define BATCH 200
#define ROWS 100 /* the bug: half a batch of rows */
#define CLASSES 4

float *forward(int n);
float cross_entropy(const float *logits SHAPE(n, c), const int *labels SHAPE(n),
                    int n, int c) SHAPE_LOSS(logits, labels);

#endif
