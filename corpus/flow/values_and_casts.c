/*
 * Shapes and sizes through a function body: a macro, an enum constant, a
 * const global, an int local assigned once, a variable-length array, a cast,
 * &a[0][0] and plain assignment all keep what is known; pointer arithmetic
 * and a size that differs between branches do not.
 */
#include <stdio.h>

#include "tinyml.h"

#define BATCH 16
enum { CLASSES = 5 };
static const int HALF = BATCH / 2;

int main(int argc, char **argv)
{
    (void)argv;
    int b = BATCH;
    float logits[b][CLASSES];
    fill_random(&logits[0][0], b * CLASSES, 7);
    float *p = &logits[0][0];
    const float *q = (const float *)p;
    int labels[HALF];
    for (int i = 0; i < HALF; i++)
        labels[i] = i % CLASSES;

    float bad = cross_entropy(q, labels, b, CLASSES); // expected-error {{'q' is [16, 5] but 'labels' is [8] in call to 'cross_entropy'}}

    /* p + CLASSES points into the middle: no known shape, no finding. */
    float tail = cross_entropy(p + CLASSES * HALF, labels, HALF, CLASSES);

    /* n is BATCH on one path and HALF on the other: unknown, no finding. */
    int n = b;
    if (argc > 1)
        n = HALF;
    float maybe = cross_entropy(q, labels, n, CLASSES);

    printf("%f %f %f\n", (double)bad, (double)tail, (double)maybe);
    return 0;
}
