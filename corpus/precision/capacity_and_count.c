/*
 * C passes buffers with explicit counts (issue 9, class 8): reading the
 * first rows of a larger buffer is the prefix idiom, and the seed's fix for
 * a batch mismatch, "truncate to the shorter batch", is written with a min
 * or a conditional.  Neither is an error, and a clamped count is not even
 * a warning.
 */
#include <stdio.h>

#include "tinyml.h"

// expected-no-diagnostics

#define BATCH 32

static void fill_rows(float *buf SHAPE(n, 4), int n)
{
    for (int i = 0; i < n * 4; i++)
        buf[i] = 0;
}

static int imin(int a, int b)
{
    return a < b ? a : b;
}

int main(int argc, char **argv)
{
    (void)argv;
    static float logits[BATCH][10], rows[8][4];
    static int labels[64];
    int n_labels = argc > 1 ? 16 : 64;
    int n = BATCH < n_labels ? BATCH : n_labels;
    float loss = cross_entropy(&logits[0][0], labels, n, 10);
    loss += cross_entropy(&logits[0][0], labels, imin(BATCH, n_labels), 10);
    int m = BATCH;
    if (m > n_labels)
        m = n_labels;
    loss += cross_entropy(&logits[0][0], labels, m, 10);
    fill_rows(&rows[0][0], 6);
    printf("loss %.4f\n", (double)loss);
    return 0;
}
