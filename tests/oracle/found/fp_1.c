/*
 * fp_1: a false positive found by the differential oracle (tests/oracle,
 * seed 1), shrunk by tests/oracle/shrink.py.
 *
 * Class: batch-extent-clamped. The loss reads n = BATCH < 2*BATCH ? BATCH :
 * 2*BATCH rows: a conditional that clamps the row count to both extents,
 * which SPEC section 4 exempts from shape-batch-extent; the checker warned
 * anyway.
 *
 * The checker at commit 7d61e24 reported at line 49: 'b13' holds 32 rows
 * but the loss reads 16: the rest are never used [shape-batch-extent]; but
 * with the argv defaults (4 4 4) the call matched (SPEC section 4), as the
 * oracle saw it:
 *
 *   oracle: line 16: ce
 *     logits: view [16, 3] extent [16, 3] -> match
 *     labels: view [16] extent [32] -> match
 *
 * Fixed by fe2ed99 at the latest: a regression case, ready for corpus/ (it
 * passes --verify).
 */
// expected-no-diagnostics

#include "shapecheck.h"
#include <stdlib.h>

/* Allocations stay reachable until exit: no leak to report. */
static void *kept[256];
static int nkept;
static void *keep(void *p)
{
    if (nkept < 256)
        kept[nkept++] = p;
    return p;
}

#define BATCH9 16

float ce(const float *SHAPE(n, c) logits, const int *SHAPE(n) labels, int n, int c) SHAPE_LOSS(logits, labels);

static void scenario0(int A0, int A1, int A2)
{
    (void)A2;
    (void)A1;
    (void)A0;
    float a12[BATCH9][3];
    int *b13 SHAPE(2 * BATCH9) = keep(calloc((size_t)(2 * BATCH9), sizeof(int)));
    int n14 = BATCH9 < (2 * BATCH9) ? BATCH9 : (2 * BATCH9);
    ce(&a12[0][0], b13, n14, 3); // false positive (batch-extent-clamped): this call matched
}

int main(int argc, char **argv)
{
    int A0 = (argc > 1 ? atoi(argv[1]) : 4);
    int A1 = (argc > 2 ? atoi(argv[2]) : 4);
    int A2 = (argc > 3 ? atoi(argv[3]) : 4);
    scenario0(A0, A1, A2);
}

/* Plain definitions of the kernels (tests/oracle/kernels.py). */
float ce(const float *logits, const int *labels, int n, int c)
{
    float s = 0;
    for (long i = 0; i < (long)n * c; i++)
        s += logits[i];
    for (int i = 0; i < n; i++)
        s += (float)labels[i];
    return s;
}
