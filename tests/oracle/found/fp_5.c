/*
 * fp_5: a false positive found by the differential oracle (tests/oracle,
 * seed 5), shrunk by tests/oracle/shrink.py.
 *
 * Class: batch-extent (narrow-int: a bit-field). bf.w is a 6-bit field:
 * bf.w = 64u + 4 holds 4, so int a[bf.w] has 4 rows, as many as the logits;
 * the checker takes 68 (no bit-field width) and warns that 64 rows are
 * never read.
 *
 * The checker at commit 7d61e24 reported at line 63: 'a37' holds 68 rows
 * but the loss reads 4: the rest are never used [shape-batch-extent]; but
 * with the argv defaults (11 11 11) the call matched (SPEC section 4), as
 * the oracle saw it:
 *
 *   oracle: line 25: ce
 *     logits: view [4, 3] extent [4, 3] -> match
 *     labels: view [4] extent [4] -> match
 *
 * Fixed by fe2ed99 at the latest: a regression case, ready for corpus/ (it
 * passes --verify).
 */
// expected-no-diagnostics

#include "shapecheck.h"
#include <stdlib.h>
#include <string.h>

/* Allocations stay reachable until exit: no leak to report. */
static void *kept[256];
static int nkept;
static void *keep(void *p)
{
    if (nkept < 256)
        kept[nkept++] = p;
    return p;
}

#define BATCH32 4

#define SZ33 4

struct bits {
    unsigned w : 6;
    unsigned h : 3;
};

float ce(const float *SHAPE(n, c) logits, const int *SHAPE(n) labels, int n,
         int c) SHAPE_LOSS(logits, labels);

static void scenario2(int A0, int A1, int A2)
{
    (void)A2;
    (void)A1;
    (void)A0;
    struct bits bf35 = {0, 0};
    unsigned w = 64u + (unsigned)SZ33;
    bf35.w = w;
    float *b36 SHAPE(BATCH32, 3) =
        keep(calloc((size_t)BATCH32 * (size_t)3, sizeof(float)));
    int a37[bf35.w];
    memset(a37, 0, sizeof a37);
    int n38 = BATCH32 < bf35.w ? BATCH32 : bf35.w;
    ce(b36, a37, n38, 3); // false positive (batch-extent): this call matched
}

int main(int argc, char **argv)
{
    int A0 = (argc > 1 ? atoi(argv[1]) : 11);
    int A1 = (argc > 2 ? atoi(argv[2]) : 11);
    int A2 = (argc > 3 ? atoi(argv[3]) : 11);
    scenario2(A0, A1, A2);
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
