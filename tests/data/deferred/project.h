/* The program's interface: the loss is annotated, the rest is not. */
#include "shapecheck.h"

struct loader {
    int batch;
};

float xent(const float *logits SHAPE(N, C), const int *labels SHAPE(N),
           int N, int C);
