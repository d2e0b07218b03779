/*
 * The oracle's "out-param" construct (recall 71%).  A helper that stores
 * an integer through its pointer parameter (get_size: *out = v) was
 * summarised as "writes *out" only, so after get_size(&n, 32) the caller
 * forgot n: the loss below, which reads n = 32 rows of a 16-label buffer,
 * passed silently.  A summary's effect may now be the integer a parameter
 * points to ("->*"), set on every path to what the caller can say.  The
 * control: get_size_if sets it on one path only, so n is unknown after
 * it (no error; the warning that the two buffers hold different numbers
 * of rows).
 *
 * SPEC 4: labels too short for the rows the loss reads is
 * shape-batch-mismatch.
 *
 *   shapecheck --verify tests/engine-cases/miss_out_param_int.c
 */
#include "shapecheck.h"

float xent(const float *logits SHAPE(n, c), const int *labels SHAPE(n), int n,
           int c) SHAPE_LOSS(logits, labels);

static void get_size(int *out, int v)
{
    *out = v;
}

static void get_size_if(int *out, int v, int really)
{
    if (really)
        *out = v;
}

float step(int really)
{
    float logits[32][10];
    int labels[16];
    int n = 16;
    get_size(&n, 32);
    float loss = xent(&logits[0][0], labels, n, 10); // expected-error {{'&logits[0][0]' is [32, 10] but 'labels' is [16] in call to 'xent' [shape-batch-mismatch]}}
    // expected-note@35 {{'logits' declared as an array of shape [32, 10]}}
    // expected-note@36 {{'labels' declared as an array of shape [16]}}
    // expected-note@38 {{n set to 32 here}}
    int m = 16;
    get_size_if(&m, 32, really);
    loss += xent(&logits[0][0], labels, m, 10); // expected-warning {{'&logits[0][0]' holds 32 rows but the loss reads m: the rest are never used [shape-batch-extent]}}
    // expected-note@35 {{'logits' declared as an array of shape [32, 10]}}
    // expected-note@36 {{'labels' declared as an array of shape [16]}}
    return loss;
}
