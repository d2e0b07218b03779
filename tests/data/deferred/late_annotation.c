/* The unit's first annotation comes after a body that needs it: step's
   body is deferred, then parsed again in full when the walks need it. */
float xent(const float *logits, const int *labels, int n, int c);

static float logits[64][10];
static int labels16[16];

float step(void)
{
    /* 32 rows read from a 16-row labels buffer */
    return xent(&logits[0][0], labels16, 32, 10);
}

#include "shapecheck.h"

float xent(const float *logits SHAPE(N, C), const int *labels SHAPE(N),
           int N, int C);
