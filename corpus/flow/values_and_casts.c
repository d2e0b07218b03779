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
    // expected-note@22 {{'q' takes its shape [16, 5] from 'p'}}
    // expected-note@21 {{'p' takes its shape [16, 5] from 'logits'}}
    // expected-note@19 {{'logits' declared as an array of shape [b, CLASSES], b = 16, CLASSES = 5}}
    // expected-note@18 {{b set to 16 here}}
    // expected-note@11 {{BATCH defined as 16 here}}
    // expected-note@12 {{CLASSES declared as 5 here}}
    // expected-note@23 {{'labels' declared as an array of shape [HALF], HALF = 8}}
    // expected-note@13 {{HALF declared as 8 here}}

    /* p + CLASSES points into the middle: no known shape, no finding. */
    float tail = cross_entropy(p + CLASSES * HALF, labels, HALF, CLASSES);

    /* n is BATCH on one path and HALF on the other: unknown, no finding. */
    int n = b;
    if (argc > 1)
        n = HALF;
    int some[n];
    for (int i = 0; i < n; i++)
        some[i] = i % CLASSES;
    float maybe = cross_entropy(q, some, b, CLASSES);

    printf("%f %f %f\n", (double)bad, (double)tail, (double)maybe);
    return 0;
}
