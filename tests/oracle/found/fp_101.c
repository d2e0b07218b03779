/*
 * fp_101: a false positive found by the differential oracle (tests/oracle,
 * seed 101), shrunk by tests/oracle/shrink.py.
 *
 * Class: value. The checker missed SET(v2, G1), a macro that assigns: it
 * kept v2 = 1 for the arrays' dims and so saw 1 label row against 6 rows
 * the helper's loss reads.
 *
 * The checker before the engine rewrite (6c93066) reported here: logits and
 * labels must have the same first dimension: '(float *)a4' is [A0 + 1, 1]
 * but 'a7' is [1] in call to 'step8' [shape-batch-mismatch]; but with the
 * argv defaults (5 7 10) the call matched (SPEC section 4), as the oracle
 * saw it:
 *
 * Fixed by the engine rewrite (6c93066): a regression case, ready for
 * corpus/ (it passes --verify).
 */
// expected-no-diagnostics

#include "shapecheck.h"
#include <stdlib.h>
#include <string.h>


#define SET(lhs, v) ((lhs) = (v))

static const int G1 = 6;

float nll(const float *logp SHAPE(N, C), const int *target SHAPE(N))
    SHAPE_LOSS(logp, target);

static void step8(const float *logp, const int *target)
{
    nll(logp, target);
}

static void scenario0(int A0, int A1, int A2)
{
    (void)A2;
    (void)A1;
    int v2 = 1;
    SET(v2, G1);
    float a4[A0 + 1][v2];
    memset(a4, 0, sizeof a4);
    int a7[v2];
    memset(a7, 0, sizeof a7);
    step8((float *)a4, a7); // false positive (value) of the checker before
                            // 6c93066: this call matched
}

int main(int argc, char **argv)
{
    int A0 = (argc > 1 ? atoi(argv[1]) : 5);
    int A1 = (argc > 2 ? atoi(argv[2]) : 7);
    int A2 = (argc > 3 ? atoi(argv[3]) : 10);
    scenario0(A0, A1, A2);
}

/* Plain definitions of the kernels (tests/oracle/kernels.py). */
float nll(const float *logp, const int *target)
{
    return logp[0] + (float)target[0];
}
