/*
 * Control flow: what a loop or a branch may change is not trusted after it,
 * and nothing is reported from a guess.  Every call here is correct.
 */
// expected-no-diagnostics
#include <stdio.h>
#include <stdlib.h>

#include "tinyml.h"

#define BATCH 8
#define CLASSES 4

struct tensor {
    float *data;
    int rows, cols;
};

static float mean_rows(const struct tensor *t SHAPE(N, C), int n)
{
    float s = 0;
    for (int i = 0; i < n; i++)
        s += t->data[i * t->cols];
    return s / (float)n;
}

int main(int argc, char **argv)
{
    (void)argv;
    static float a[BATCH][CLASSES], b[2 * BATCH][CLASSES];
    int labels[BATCH] = {0};
    fill_random(&a[0][0], BATCH * CLASSES, 1);
    fill_random(&b[0][0], 2 * BATCH * CLASSES, 2);

    /* Reassigned on one branch: after the if, p may be either. */
    float *p = &a[0][0];
    if (argc > 3)
        p = &b[0][0];
    int rows = argc > 3 ? 2 * BATCH : BATCH;
    float l1 = cross_entropy(p, labels, rows > BATCH ? BATCH : rows, CLASSES);

    /* Grown in a loop: its value after the loop is unknown. */
    int seen = 0;
    for (int i = 0; i < BATCH; i++)
        seen++;
    float l2 = cross_entropy(&a[0][0], labels, seen, CLASSES);

    /* A tensor struct carries its shape through &t. */
    SHAPE(BATCH, CLASSES) struct tensor t = {&a[0][0], BATCH, CLASSES};
    float m = mean_rows(&t, BATCH);

    printf("%f %f %f\n", (double)l1, (double)l2, (double)m);
    return 0;
}
