/*
 * fp_513: a false positive found by the differential oracle (tests/oracle,
 * seed 513), shrunk by tests/oracle/shrink.py.
 *
 * Class: value (narrow-int: a bit-field), at a helper's loss: an error. n =
 * bf3.w is 2 (64u + 2 in a 6-bit field), so the helper's loss reads 2 rows
 * of [2, 2] logits and 2 labels; the checker took 66 and reported a batch
 * mismatch at the call of the helper. (The labels were 3 rows in the shrunk
 * program; made 2 by hand so that the extents agree and no
 * shape-batch-extent warning is due either.)
 *
 * The checker at commit 7d61e24 reported at line 70: logits and labels must
 * have the same first dimension: '(float *)a11' is [66, 66] but 'r14' is
 * [2] in call to 'step17' [shape-batch-mismatch]; but with the argv
 * defaults (2 2 2) the call matched (SPEC section 4), as the oracle saw it:
 *
 *   oracle: line 34: a call of a helper {
 *   oracle: line 19: ce
 *     logits: view [2, 2] extent [2, 2] -> match
 *     labels: view [2] extent [2] -> match
 *   oracle: } line 34: match
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

#define SZ1 2

struct bits {
    unsigned w : 6;
    unsigned h : 3;
};

int *alloc_labels(int n) RETURNS_SHAPE(n);

float ce(const float *logits SHAPE(n, c), const int *labels SHAPE(n), int n, int c) SHAPE_LOSS(logits, labels);

static void step17(const float *logits, const int *labels, int n, int c)
{
    ce(logits, labels, n, c);
}

static void scenario0(int A0, int A1, int A2)
{
    (void)A2;
    (void)A0;
    (void)A1;
    struct bits bf3 = {0, 0};
    unsigned w = 64u + (unsigned)SZ1;
    bf3.w = w;
    int v8 = bf3.w;
    float a11[v8][v8];
    memset(a11, 0, sizeof a11);
    int *r14 = alloc_labels(2);
    step17((float *)a11, r14, bf3.w, v8); // false positive (prefix): this call matched
}

int main(int argc, char **argv)
{
    int A0 = (argc > 1 ? atoi(argv[1]) : 2);
    int A1 = (argc > 2 ? atoi(argv[2]) : 2);
    int A2 = (argc > 3 ? atoi(argv[3]) : 2);
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

int *alloc_labels(int n)
{
    return keep(calloc((size_t)n, sizeof(int)));
}
