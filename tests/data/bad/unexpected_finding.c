/* --verify must fail here: a finding that no comment expects. */
#include "shapecheck.h"

float loss(const float *logits SHAPE(N, 10), const int *labels SHAPE(N))
    SHAPE_LOSS(logits, labels);

float run(void)
{
    float logits[4][10] = {{0}};
    int labels[8] = {0};
    return loss(&logits[0][0], labels);
}
