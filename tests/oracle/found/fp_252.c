/*
 * fp_252: a false positive found by the differential oracle (tests/oracle,
 * seed 252), shrunk by tests/oracle/shrink.py.
 *
 * Class: value. uint8_t wrap-around: v3 = 200, then v3 += 56 + 2 leaves 2;
 * the checker took 258 and so a view of 258 elements of a 2-element buffer.
 *
 * The checker before the engine rewrite (6c93066) reported here: 'b12' has
 * shape [2] but n = cb2.batch + 256 (passed as 'v3') in call to 'relu'
 * [shape-mismatch]; but with the argv defaults (2 6 10) the call matched
 * (SPEC section 4), as the oracle saw it:
 *   oracle: line 23: relu
 *     x: view [2] extent [2] -> match
 *
 * Fixed by the engine rewrite (6c93066): a regression case, ready for
 * corpus/ (it passes --verify).
 */
// expected-no-diagnostics
#include <stdint.h>

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

void relu(float *SHAPE(n) x, int n);

static void scenario0(int A0, int A1, int A2)
{
    (void)A2;
    (void)A1;
    (void)A0;
    struct cfg ca1 = {.batch = 64, .classes = 2};
    ca1.batch = 2;
    struct cfg cb2;
    cb2 = ca1;
    uint8_t v3 = 200;
    v3 += 56 + cb2.batch;
    float *SHAPE(4 / 2) b12 = keep(calloc((size_t)(4 / 2), sizeof(float)));
    relu(b12, v3); // false positive (value) of the checker before 6c93066: this
                   // call matched
}

int main(int argc, char **argv)
{
    int A0 = (argc > 1 ? atoi(argv[1]) : 2);
    int A1 = (argc > 2 ? atoi(argv[2]) : 6);
    int A2 = (argc > 3 ? atoi(argv[3]) : 10);
    scenario0(A0, A1, A2);
}

/* Plain definitions of the kernels (tests/oracle/kernels.py). */
void relu(float *x, int n)
{
    for (int i = 0; i < n; i++)
        x[i] = x[i] > 0 ? x[i] : 0;
}
