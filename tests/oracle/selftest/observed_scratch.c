/* An unannotated scratch buffer: its extent is what was allocated, flat;
   the checker infers ("observes") a shape from the first call it meets,
   and each write replaces it.  A read that does not fit the observed shape
   is flagged (ambiguous=1): the harness holds it neither as a match nor as
   a mismatch.  A mismatch only against its allocation (scratch=1) is not
   counted in recall: nothing declares that extent.  Nor is a free symbol
   bound to a declared extent's dim and to a different one of a scratch
   allocation (nll's N: 8 rows of logp, 2 labels). */
// oracle-inputs: 1
#include <stddef.h>

#include "shapecheck.h"
#include "oracle_rt.h"

float ce(const float *logits SHAPE(n, c), const int *labels SHAPE(n), int n, int c) SHAPE_LOSS(logits, labels);
void fill(float *out SHAPE(r, c), int r, int c);
float nll(const float *logp SHAPE(N, C), const int *target SHAPE(N)) SHAPE_LOSS(logp, target);

int main(void)
{
    float *t = oracle_scratch(sizeof(float), 32L);
    int *labels = oracle_alloc(sizeof(int), 1, 8L);
    oracle_at(__LINE__); fill(t, 4, 8); // @site call - expect=match ambiguous=0
    oracle_at(__LINE__); ce(t, labels, 4, 8); // @site call - expect=match ambiguous=0
    oracle_at(__LINE__); ce(t, labels, 2, 8); // @site call - expect=match ambiguous=0
    oracle_at(__LINE__); ce(t, labels, 8, 4); // @site call - expect=match ambiguous=1 finding=shape-mismatch class=none
    oracle_at(__LINE__); fill(t, 8, 4); // @site call - expect=match ambiguous=0 finding=shape-mismatch class=fp
    oracle_at(__LINE__); ce(t, labels, 8, 4); // @site call - expect=match ambiguous=0 finding=shape-mismatch class=fp
    oracle_at(__LINE__); fill(t, 2, 4); // @site call - expect=match ambiguous=0
    oracle_at(__LINE__); ce(t, labels, 8, 4); // @site call - expect=match ambiguous=1
    oracle_at(__LINE__); ce(t, labels, 9, 4); // @site call - expect=mismatch ambiguous=1 finding=shape-mismatch class=found
    oracle_at(__LINE__); fill(t, 9, 4); // @site call - expect=mismatch scratch=1 class=none
    int *few = oracle_scratch(sizeof(int), 2L);
    float *logp = oracle_alloc(sizeof(float), 2, 8L, 4L);
    oracle_at(__LINE__); nll(logp, few); // @site call - expect=mismatch scratch=1 class=none
    oracle_at(__LINE__); nll(logp, labels); // @site call - expect=match scratch=0
    return 0;
}
