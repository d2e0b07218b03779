/*
 * fp_116: a false positive found by the differential oracle (tests/oracle,
 * seed 116), shrunk by tests/oracle/shrink.py.
 *
 * Class: loop (a value taken at its first trip). The loss's class count is
 * the loop counter i33 = 1, 2, 3: the call reads [5, 1], [5, 2] and [5, 3]
 * rows of [5, 3] logits, and matches on the last trip; the checker takes
 * i33 = 1 and reports that it cannot match. New at fe2ed99 (the checker of
 * 7d61e24 reported no error here), likely with the loop fixpoint of
 * 2df70ba.
 *
 * The checker at commit fe2ed99 reports at line 76: 'bt30.logits' has shape
 * [5, 3] but parameter 'logits' of 'ce' expects [n, c] = [5, 1]
 * [shape-mismatch]; but with the argv defaults (11 11 11) the call matched
 * (SPEC section 4) on its third trip, as the oracle saw it:
 *
 *   oracle: line 39: ce
 *     logits: view [5, 3] extent [5, 3] -> match
 *     labels: view [5] extent [6] -> match
 *
 * Remove from tests/oracle/found/ once the checker is fixed: it then passes
 * --verify as it is and can move to corpus/.
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

struct cfg {
    int batch;
    int classes;
};

struct batch {
    int B;
    int C;
    int NL;
    float *logits SHAPE(B, C);
    int *labels SHAPE(NL);
};

struct config {
    struct cfg train;
    struct cfg eval;
};

static const int G26 = 5;

float ce(const float *SHAPE(n, c) logits, const int *SHAPE(n) labels, int n, int c) SHAPE_LOSS(logits, labels);

static void scenario1(int A0, int A1, int A2)
{
    (void)A2;
    (void)A1;
    (void)A0;
    struct cfg ca27 = {.batch = G26, .classes = 2};
    struct config cf29 = {{64, 2}, {ca27.batch, 2}};
    struct batch bt30 = {0};
    bt30.B = cf29.eval.batch;
    bt30.C = 3;
    bt30.NL = cf29.eval.batch + 1;
    bt30.logits = keep(calloc((size_t)bt30.B * (size_t)bt30.C, sizeof(float)));
    bt30.labels = keep(calloc((size_t)bt30.NL, sizeof(int)));
    for (int i33 = 1; i33 <= 3; i33++) {
        ce(bt30.logits, bt30.labels, bt30.NL < bt30.B ? bt30.NL : bt30.B, i33); // false positive (prefix): this call matched
    }
}

int main(int argc, char **argv)
{
    int A0 = (argc > 1 ? atoi(argv[1]) : 11);
    int A1 = (argc > 2 ? atoi(argv[2]) : 11);
    int A2 = (argc > 3 ? atoi(argv[3]) : 11);
    scenario1(A0, A1, A2);
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
