/*
 * An integer the checker does not know (a parameter, the result of a
 * call it has no body for) is treated as a size >= 1 when it decides
 * which way a branch goes.  So `if (flag != 0)` and `if (rc > 0)` are
 * taken to be always true:
 *
 * - step() reports "'logits' is [128, 10] but 'labels' is [64] in call
 *   to 'xent'" [shape-batch-mismatch], as if rows were always 128, though
 *   main calls step(0), which runs with rows = 64 and is correct;
 * - the other side of it (miss_branch_on_unknown_int.c): after
 *   `if (rc != 0) exit(1);` or `if (rc != 0) return 1;` the rest of the
 *   function is unreachable, so nothing after is ever reported.
 *
 * SPEC 2: symbols are >= 1 "for deciding that two dimensions cannot be
 * equal" — dimensions, not flags, status codes or loop counters.  SPEC 4:
 * errors only for what cannot hold on any execution.
 */
// expected-no-diagnostics
#include <stdlib.h>

#include "shapecheck.h"

float xent(const float *logits SHAPE(n, c), const int *labels SHAPE(n), int n,
           int c) SHAPE_LOSS(logits, labels);
float *alloc_matrix(int rows, int cols) RETURNS_SHAPE(rows, cols);
int *alloc_labels(int n) RETURNS_SHAPE(n);

float step(int double_batch)
{
    int rows = 64;
    if (double_batch != 0)
        rows = 128;
    float *logits = alloc_matrix(rows, 10);
    int *labels = alloc_labels(64);
    return xent(logits, labels, rows, 10);
}

int main(void)
{
    return step(0) > 0;
}
