/*
 * A static local is a counter or a flag, not a size: SPEC 2's "sizes are
 * >= 1" says nothing of it.  next_width counts from 0, so the second
 * call returns 8; a summary that said "returns k + 4" for an unknown k
 * >= 1 made v = k + 8 >= 9 in layer's own walk, and [v - 1, v] could
 * never be read as [n, 8]: an error on correct code (the oracle, seed
 * 78).  A static local's entry value now binds only to a constant: in
 * layer, walked alone, v is unknown (silent); walked from main, which
 * calls it once, k starts at 0 and v is 8 (silent, and right).
 *
 *   shapecheck --verify tests/engine-cases/fp_static_counter_from_zero.c
 */
// expected-no-diagnostics
#include "shapecheck.h"

void fill8(float *x SHAPE(n, 8), int n);
float *alloc_rows(int n, int c) RETURNS_SHAPE(n, c);

static int next_width(void)
{
    static int k = 0;
    k += 4;
    return k;
}

static void layer(void)
{
    (void)next_width();
    int v = next_width();
    float *b = alloc_rows(v - 1, v);
    fill8(b, v - 1);
}

int main(void)
{
    layer();
    return 0;
}
