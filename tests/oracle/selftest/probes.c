/* Probe runs (docs/oracle.md, "Probes"): argv sets beyond the base ones,
   run after them.  A call that mismatched on every base run but matched
   in a probe run is not expected (a finding there is a false positive),
   and a probe run counts only up to where it leaves SPEC 2's domain: the
   first view with a size < 1 (fill's a - 1 rows at a = 1), or where it
   stops (the allocation of a - 1 rows at the end).  The base run's
   verdicts (expect=) are the generator's predictions; probes predict
   nothing. */
// oracle-inputs: 3
// oracle-probes: 8 | 1
#include <stddef.h>

#include "shapecheck.h"
#include "oracle_rt.h"

void fill(float *out SHAPE(r, c), int r, int c);
void add(float *out SHAPE(N, D), const float *a SHAPE(N, D));

int main(int argc, char **argv)
{
    int a = oracle_arg(argc, argv, 1, 3);
    float *x = oracle_alloc(sizeof(float), 2, (long)a, 4L);
    float *b8 = oracle_alloc(sizeof(float), 2, 8L, 4L);
    float *b1 = oracle_alloc(sizeof(float), 2, 1L, 4L);
    float *b3 = oracle_alloc(sizeof(float), 2, 3L, 4L);
    oracle_at(__LINE__); add(x, b8); // @site call - expect=mismatch finding=shape-mismatch class=fp
    oracle_at(__LINE__); add(x, b1); // @site call - expect=mismatch finding=shape-mismatch class=fp
    oracle_at(__LINE__); add(x, b3); // @site call - expect=match
    oracle_at(__LINE__); fill(x, a - 1, 4); // @site call - expect=match
    oracle_at(__LINE__); add(x, b1); // @site call - expect=mismatch finding=shape-mismatch class=found
    float *gone = oracle_alloc(sizeof(float), 2, (long)(a - 1), 4L);
    oracle_at(__LINE__); add(gone, gone); // @site call - expect=match
    return 0;
}
