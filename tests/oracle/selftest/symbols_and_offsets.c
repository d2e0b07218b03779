/* Free symbols are exact and bound once per call; a pointer into a
   buffer sees the rows (or elements) left from there on. */
// oracle-inputs: 1
#include <stddef.h>

#include "shapecheck.h"
#include "oracle_rt.h"

float nll(const float *logp SHAPE(N, C), const int *target SHAPE(N)) SHAPE_LOSS(logp, target);
void scale(float *x SHAPE(N, D));
void add(float *out SHAPE(N, D), const float *a SHAPE(N, D));
void rowsum(float *out SHAPE(n), const float *x SHAPE(n, D), int n);
void fill(float *out SHAPE(r, c), int r, int c);
void relu(float *x SHAPE(n), int n);

int main(void)
{
    float *x = oracle_alloc(sizeof(float), 2, 8L, 4L);
    float *y = oracle_alloc(sizeof(float), 2, 6L, 4L);
    float *z = oracle_alloc(sizeof(float), 2, 8L, 3L);
    float *v = oracle_alloc(sizeof(float), 1, 8L);
    int *t8 = oracle_alloc(sizeof(int), 1, 8L);
    int *t16 = oracle_alloc(sizeof(int), 1, 16L);
    int *tt = oracle_alloc(sizeof(int), 2, 2L, 4L);
    oracle_at(__LINE__); scale(x); // @site call t expect=match
    oracle_at(__LINE__); add(x, x); // @site call t expect=match
    oracle_at(__LINE__); add(x, y); // @site call t expect=mismatch
    oracle_at(__LINE__); add(x, z); // @site call t expect=mismatch
    oracle_at(__LINE__); nll(x, t8); // @site call t expect=match extent=same
    oracle_at(__LINE__); nll(y, t8); // @site call t expect=mismatch extent=differs
    oracle_at(__LINE__); nll(x, t16); // @site call t expect=mismatch extent=differs
    oracle_at(__LINE__); nll(x, tt); // @site call t expect=unknown
    oracle_at(__LINE__); scale(v); // @site call t expect=unknown
    oracle_at(__LINE__); rowsum(v, x, 6); // @site call t expect=match
    oracle_at(__LINE__); rowsum(v, y, 8); // @site call t expect=mismatch
    oracle_at(__LINE__); fill(x + 2 * 4, 6, 4); // @site call t expect=match
    oracle_at(__LINE__); fill(x + 2 * 4, 7, 4); // @site call t expect=mismatch
    oracle_at(__LINE__); relu(x + 3, 29); // @site call t expect=match
    oracle_at(__LINE__); relu(x + 3, 30); // @site call t expect=mismatch
    oracle_at(__LINE__); add(x + 4, y); // @site call t expect=mismatch
    oracle_at(__LINE__); add(x + 8, y); // @site call t expect=match
    return 0;
}
