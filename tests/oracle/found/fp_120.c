/*
 * fp_120: a false positive found by the differential oracle (tests/oracle,
 * seed 120), shrunk by tests/oracle/shrink.py.
 *
 * Class: value. An int argument converted to an unsigned char parameter:
 * relu_u8(x, 256 + 1) reads 1 element; the checker took 257.
 *
 * The checker before the engine rewrite (6c93066) reported here: 'b24' has
 * shape [cf21.eval.batch] but n = cf21.eval.batch + 256 (passed as '256 +
 * cf21.eval.batch') in call to 'relu_u8' [shape-mismatch]; but with the
 * argv defaults (10 10 10) the call matched (SPEC section 4), as the oracle
 * saw it:
 *   oracle: line 23: relu_u8
 *     x: view [1] extent [1] -> match
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

struct cfg {
    int batch;
    int classes;
};

struct config {
    struct cfg train;
    struct cfg eval;
};

void relu_u8(float *x SHAPE(n), unsigned char n);

static void scenario1(int A0, int A1, int A2)
{
    (void)A2;
    (void)A1;
    (void)A0;
    int v19 = 1;
    struct config cf21 = {{7, 2}, {v19, 2}};
    float *b24 SHAPE(cf21.eval.batch) =
        keep(calloc((size_t)cf21.eval.batch, sizeof(float)));
    relu_u8(b24,
            256 + cf21.eval.batch); // false positive (value) of the checker
                                    // before 6c93066: this call matched
}

int main(int argc, char **argv)
{
    int A0 = (argc > 1 ? atoi(argv[1]) : 10);
    int A1 = (argc > 2 ? atoi(argv[2]) : 10);
    int A2 = (argc > 3 ? atoi(argv[3]) : 10);
    scenario1(A0, A1, A2);
}

/* Plain definitions of the kernels (tests/oracle/kernels.py). */
void relu_u8(float *x, unsigned char n)
{
    for (int i = 0; i < n; i++)
        x[i] = x[i] > 0 ? x[i] : 0;
}
