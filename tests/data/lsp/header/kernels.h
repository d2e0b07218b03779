/* Input of test_lsp.c: a header whose own code has a finding, which is
   published for this file, not for the document that includes it. */
#include "shapecheck.h"

float xent(const float *logits SHAPE(n, c), const int *labels SHAPE(n), int n,
           int c) SHAPE_LOSS(logits, labels);

static inline float header_loss(void)
{
    static float logits[4][3];
    static int labels[2];
    return xent(&logits[0][0], labels, 4, 3);
}
