/*
 * A shape is a row-major view of memory: C passes [B, T, C] activations
 * flat to element-wise kernels and as [B*T, C] to a matmul (issue 9,
 * class 7).  Where ranks differ, only element counts are compared.
 */
#include <stdio.h>

#include "tinyml.h"

// expected-no-diagnostics

#define B 2
#define T 4
#define C 8
#define V 5

static void relu(float *x SHAPE(n), int n)
{
    for (int i = 0; i < n; i++)
        x[i] = x[i] > 0 ? x[i] : 0;
}

int main(void)
{
    static float h[B][T][C], w[C][V], out[B * T][V];
    fill_random(&h[0][0][0], B * T * C, 3);
    fill_random(&w[0][0], C * V, 4);
    relu(&h[0][0][0], B * T * C);
    matmul(&out[0][0], &h[0][0][0], &w[0][0], B * T, C, V);
    /* Half the elements: a prefix of the flat buffer. */
    relu(&h[0][0][0], B * T * C / 2);
    printf("%.4f\n", (double)out[0][0]);
    return 0;
}
