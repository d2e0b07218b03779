/* A macro name in an annotation means the definition in force where the
   annotation is written (SPEC 3). */
#include "shapecheck.h"
#include "macros_in_force.h"
#define N 64
float a[8] SHAPE(N);
#undef N
#define N 32
void f(float *x SHAPE(N));
#if 0
#undef N
#endif
/*
#undef N
*/
float b[8] SHAPE(N, HIDDEN);
#undef N
float c[8] SHAPE(N, BATCH);
#undef BATCH
#define BATCH 4
float d[8] SHAPE(HIDDEN);
#define M0 3
#define M1 (M0 + 1)
#define M2 (M1 + M0)
float e[8] SHAPE(M2);
int g(int);
int h(void)
{
    return g(BATCH) + g(HIDDEN) + g(M2);
}
