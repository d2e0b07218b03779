/* Every call matches; the self-test also strips this program of the
   oracle (shrink.py's strip(), as for tests/oracle/found/) and checks that
   the result builds and runs alone under ASan and UBSan. */
// oracle-inputs: 6 3 4
#include <stddef.h>

#include "shapecheck.h"
#include "oracle_rt.h"

float ce(const float *logits SHAPE(n, c), const int *labels SHAPE(n), int n, int c) SHAPE_LOSS(logits, labels);
float *alloc3(int b, int t, int c) RETURNS_SHAPE(b, t, c);
int *alloc_labels(int n) RETURNS_SHAPE(n);
void fill(float *out SHAPE(r, c), int r, int c);

static void helper(float *x, int r, int c)
{
    oracle_at(__LINE__); fill(x, r, c); // @site inner - expect=match
}

int main(int argc, char **argv)
{
    int b = oracle_arg(argc, argv, 1, 2);
    int t = oracle_arg(argc, argv, 2, 2);
    float *h = alloc3(b, t, 4);
    int *labels = alloc_labels(b * t);
    float *scratch = oracle_scratch(sizeof(float), (long)(b * 4));
    SHAPE(b, 4) float *x = oracle_alloc(sizeof(float), 2, (long)b, (long)4);
    float arr[3][4];
    oracle_reg(arr, sizeof(float), 2, 3L, 4L);
    oracle_at(__LINE__); ce(h, labels, b * t, 4); // @site call - expect=match via=reshape
    oracle_at(__LINE__); fill(scratch, b, 4); // @site call - expect=match
    oracle_at(__LINE__); fill(x, b - 1, 4); // @site call - expect=match via=prefix
    oracle_enter(__LINE__); helper(&arr[0][0], 3, 4); oracle_leave(); // @site helper - expect=match
    return 0;
}
