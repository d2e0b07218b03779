/* One of three programs in one compile database: each has its own main,
   which calls this unit's static step. */
#include "shapecheck.h"

float xent_c(const float *logits SHAPE(N, C), const int *labels SHAPE(N),
             int N, int C);

static float step_c(const float *x, const int *y SHAPE(n), int n)
{
    return xent_c(x, y, n, 10);
}

int main(void)
{
    static float x[8][10];
    static int y[8];
    return (int)step_c(&x[0][0], y, 8);
}
