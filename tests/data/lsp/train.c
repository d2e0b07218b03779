/* Input of test_lsp.c.  BATCH comes from the compile database the test
   writes (-DBATCH=32): the finding below needs it.  Do not move lines
   without updating the test; the comment on the return line holds a
   character that is two bytes in UTF-8 and one UTF-16 code unit. */
#include "shapecheck.h"

#define CLASSES 10

float cross_entropy(const float *logits SHAPE(n, c), const int *labels SHAPE(n),
                    int n, int c) SHAPE_LOSS(logits, labels);

float train(void)
{
    static float logits[BATCH][CLASSES];
    static int labels[BATCH / 2];
    const float *scores = &logits[0][0];
    /* Σ */ return cross_entropy(scores, labels, BATCH, CLASSES);
}
