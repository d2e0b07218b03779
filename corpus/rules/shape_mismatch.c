/*
 * shape-mismatch: arguments that cannot fit their parameter's SHAPE.
 * One call per kind of mismatch; each line says what is wrong.
 */
#include <stdio.h>

#include "tinyml.h"

#define ROWS 4
#define WIDTH 8

/* out = (x - mean) * gamma, row by row. */
static void scale_rows(float *out SHAPE(N, D), const float *x SHAPE(N, D),
                       const float *gamma SHAPE(D))
{
    (void)out, (void)x, (void)gamma;
}

static void fill_rows(float *buf SHAPE(n, 4), int n)
{
    /* Only its SHAPE matters here (9 rows below would overrun). */
    (void)buf, (void)n;
}

static void duplicate(float *out SHAPE(2 * n), const float *in SHAPE(n), int n)
{
    /* Only its SHAPE matters here (n = 6 below would overrun). */
    (void)out, (void)in, (void)n;
}

int main(void)
{
    static float x[ROWS][WIDTH], out[ROWS][WIDTH];
    static float gamma6[6], gamma8[WIDTH];
    static float cube[2][3][4];
    static float rows[8][4], wide[8][5];
    static float in[6], pairs[10];

    /* A dimension symbol bound to two sizes: D is 8 from 'out', 6 from 'gamma6'. */
    scale_rows(&out[0][0], &x[0][0], gamma6); // expected-error {{'gamma6' has shape [6] but D = 8 (bound by '&out[0][0]') in call to 'scale_rows' [shape-mismatch]}}
    // expected-note@34 {{'gamma6' declared as an array of shape [6]}}
    // expected-note@33 {{'out' declared as an array of shape [ROWS, WIDTH], ROWS = 4, WIDTH = 8}}
    // expected-note@9 {{ROWS defined as 4 here}}
    // expected-note@10 {{WIDTH defined as 8 here}}
    // expected-note@14 {{parameter 'gamma' of 'scale_rows' declared with shape [D]}}

    /* Another rank: the same memory, row-major, but 24 elements where the
       view needs N * D = 32. */
    scale_rows(&out[0][0], &cube[0][0][0], gamma8); // expected-error {{'&cube[0][0][0]' has shape [2, 3, 4] (24 elements) but parameter 'x' of 'scale_rows' expects [N, D] = [4, 8] (32 elements)}}
    // expected-note@35 {{'cube' declared as an array of shape [2, 3, 4]}}
    // expected-note@13 {{parameter 'x' of 'scale_rows' declared with shape [N, D]}}

    /* An int argument against the dims that use it: 9 rows of 8.  (Six
       rows of eight is C's prefix idiom, and fine.) */
    fill_rows(&rows[0][0], 6);
    fill_rows(&rows[0][0], 9); // expected-error {{'&rows[0][0]' has shape [8, 4] but parameter 'buf' of 'fill_rows' expects [n, 4] = [9, 4]}}
    // expected-note@36 {{'rows' declared as an array of shape [8, 4]}}
    // expected-note@19 {{parameter 'buf' of 'fill_rows' declared with shape [n, 4]}}

    /* A constant dimension. */
    fill_rows(&wide[0][0], 8); // expected-error {{'&wide[0][0]' has shape [8, 5] but parameter 'buf' of 'fill_rows' expects [n, 4]}}
    // expected-note@36 {{'wide' declared as an array of shape [8, 5]}}
    // expected-note@19 {{parameter 'buf' of 'fill_rows' declared with shape [n, 4]}}

    /* A compound dimension: 2*n with n = 6 is 12, more than 10 (n = 4
       would read 8 of them, which is fine). */
    duplicate(pairs, in, 4);
    duplicate(pairs, in, 6); // expected-error {{'pairs' has shape [10] but parameter 'out' of 'duplicate' expects [2*n] = [12]}}
    // expected-note@37 {{'pairs' declared as an array of shape [10]}}
    // expected-note@25 {{parameter 'out' of 'duplicate' declared with shape [2*n]}}

    printf("%f\n", (double)x[0][0]);
    return 0;
}
