/* One label per row of logits: builds with shapecheck as the clang-tidy. */
#include "shapecheck.h"

float softmax_xent(const float *logits SHAPE(n, c), const int *labels SHAPE(n),
                   int n, int c) SHAPE_LOSS(logits, labels);

float train_step(void)
{
    static float logits[8][3];
    static int labels[8];
    return softmax_xent(&logits[0][0], labels, 8, 3);
}
