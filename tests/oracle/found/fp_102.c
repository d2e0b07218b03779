/*
 * fp_102: a false positive found by the differential oracle (tests/oracle,
 * seed 102), shrunk by tests/oracle/shrink.py.
 *
 * Class: reshape. A [4, 4, 5] buffer from RETURNS_SHAPE passed to a [r, c]
 * = [16, 5] kernel: SPEC section 4 compares element counts across ranks;
 * the checker held the rank against it.
 *
 * The checker before the engine rewrite (6c93066) reported here: 'r59' has
 * shape [4, 4, 5] but parameter 'out' of 'fill_sz' expects rank 2 ([r, c])
 * [shape-mismatch]; but with the argv defaults (7 11 12) the call matched
 * (SPEC section 4), as the oracle saw it:
 *   oracle: line 15: fill_sz
 *     out: view [16, 5] extent [4, 4, 5] -> match
 *
 * Fixed by the engine rewrite (6c93066): a regression case, ready for
 * corpus/ (it passes --verify).
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

static const int G57 = 5;

float *alloc3(int b, int t, int c) RETURNS_SHAPE(b, t, c);

void fill_sz(float *out SHAPE(r, c), size_t r, size_t c);

static void scenario3(int A0, int A1, int A2)
{
    (void)A2;
    (void)A1;
    (void)A0;
    float *r59 = alloc3(4, 4, G57);
    fill_sz(r59, (size_t)(4 * 4),
            (size_t)G57); // false positive (reshape) of the checker before
                          // 6c93066: this call matched
}

int main(int argc, char **argv)
{
    int A0 = (argc > 1 ? atoi(argv[1]) : 7);
    int A1 = (argc > 2 ? atoi(argv[2]) : 11);
    int A2 = (argc > 3 ? atoi(argv[3]) : 12);
    scenario3(A0, A1, A2);
}

/* Plain definitions of the kernels (tests/oracle/kernels.py). */
void fill_sz(float *out, size_t r, size_t c)
{
    for (size_t i = 0; i < r * c; i++)
        out[i] = 1.0f;
}

float *alloc3(int b, int t, int c)
{
    return keep(calloc((size_t)b * (size_t)t * (size_t)c, sizeof(float)));
}
