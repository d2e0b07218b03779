/* An unannotated scratch buffer: its extent is what was allocated, flat;
   the checker infers ("observes") a shape from the first call it meets,
   and each write replaces it.  A read that does not fit the observed shape
   is flagged (ambiguous=1): the harness holds it neither as a match nor as
   a mismatch.  A mismatch only against its allocation (scratch=1) is not
   counted in recall: nothing declares that extent. */
// oracle-inputs: 1
#include <stddef.h>

#include "shapecheck.h"
#include "oracle_rt.h"

float ce(const float *logits SHAPE(n, c), const int *labels SHAPE(n), int n, int c) SHAPE_LOSS(logits, labels);
void fill(float *out SHAPE(r, c), int r, int c);

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
    return 0;
}
