/*
 * fp_1009: a false positive found by the differential oracle (tests/oracle,
 * seed 1009), shrunk by tests/oracle/shrink.py.
 *
 * Class: batch-extent-clamped. The same through struct fields whose SHAPE
 * names sibling fields, used through a struct copy: n = bt.B < bt.NL ? bt.B
 * : bt.NL.
 *
 * The checker at commit 7d61e24 reported at line 65: 'bt6.logits' holds 64
 * rows but the loss reads 32: the rest are never used [shape-batch-extent];
 * but with the argv defaults (4 4 4) the call matched (SPEC section 4), as
 * the oracle saw it:
 *
 *   oracle: line 31: ce
 *     logits: view [32, 4] extent [64, 4] -> match
 *     labels: view [32] extent [32] -> match
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

struct batch {
    int B;
    int C;
    int NL;
    float *logits SHAPE(B, C);
    int *labels SHAPE(NL);
};

struct cfg {
    int batch;
    int classes;
};

SHAPE_LOSS(logits, labels) float ce(SHAPE(n, c) const float *logits, SHAPE(n) const int *labels, int n, int c);

static void scenario0(int A0, int A1, int A2)
{
    (void)A2;
    (void)A1;
    (void)A0;
    struct cfg c4 = {64, 1};
    struct batch bt5 = {0};
    bt5.B = c4.batch;
    bt5.C = 4;
    bt5.NL = c4.batch / 2;
    bt5.logits = keep(calloc((size_t)bt5.B * (size_t)bt5.C, sizeof(float)));
    bt5.labels = keep(calloc((size_t)bt5.NL, sizeof(int)));
    struct batch bt6 = bt5;
    ce(bt6.logits, bt6.labels, bt6.B < bt6.NL ? bt6.B : bt6.NL, bt6.C); // false positive (batch-extent-clamped): this call matched
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
