/*
 * shape-mismatch must stay silent: every call here fits, or may fit on some
 * execution (sizes only known at run time, '_' and '...' dims).
 */
// expected-no-diagnostics
#include <stdio.h>
#include <stdlib.h>

#include "tinyml.h"

#define ROWS 4
#define WIDTH 8

static void scale_rows(float *out SHAPE(N, D), const float *x SHAPE(N, D),
                       const float *gamma SHAPE(D))
{
    for (int i = 0; i < ROWS * WIDTH; i++)
        out[i] = x[i] * gamma[i % WIDTH];
}

static void fill_rows(float *buf SHAPE(n, 4), int n)
{
    for (int i = 0; i < n * 4; i++)
        buf[i] = 1;
}

static float first(const float *x SHAPE(_, ...))
{
    return x[0];
}

static float last_axis_sum(const float *x SHAPE(..., 4), int count)
{
    float s = 0;
    for (int i = 0; i < count; i++)
        s += x[i];
    return s;
}

int main(int argc, char **argv)
{
    float x[ROWS][WIDTH], out[ROWS][WIDTH], gamma[WIDTH];
    float rows[8][4];
    fill_random(&x[0][0], ROWS * WIDTH, 3);
    fill_random(gamma, WIDTH, 4);

    scale_rows(&out[0][0], &x[0][0], gamma);
    fill_rows(&rows[0][0], 8);

    /* Sizes from the command line: they may match, so no finding. */
    int n = argc > 1 ? atoi(argv[1]) : 2;
    if (n < 1 || n > 64)
        n = 2;
    float *buf = malloc(sizeof(float) * (size_t)n * 4);
    if (!buf)
        return 1;
    fill_rows(buf, n);
    int m = n;
    m = m + 0;
    fill_rows(buf, m);

    /* The size known only as a variable: the same variable, the same dim. */
    float (*grid)[4] = malloc(sizeof(float[4]) * (size_t)n);
    if (!grid) {
        free(buf);
        return 1;
    }
    fill_rows(&grid[0][0], n);

    printf("%f %f %f\n", (double)first(&out[0][0]),
           (double)last_axis_sum(&rows[0][0], 32), (double)buf[0]);
    free(grid);
    free(buf);
    return 0;
}
