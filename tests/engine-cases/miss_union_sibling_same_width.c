/*
 * The oracle's "union" construct (recall 61%).  A write to one member of
 * a union made every sibling unknown, so after u.u = 32 the loss below,
 * which reads u.i = 32 rows of a 16-label buffer, passed silently.  Two
 * integer members of one width (int and unsigned) are the same bits: the
 * sibling now holds the value written, converted as C converts (modulo
 * 2^32).  The control: int and long are not one width, so after w.l = 16
 * the int member is unknown (no error; the warning that the two buffers
 * hold different numbers of rows).
 *
 * C11 6.5.2.3p3 (footnote 95): reading another member reinterprets the
 * bytes.  SPEC 4: labels too short for the rows the loss reads is
 * shape-batch-mismatch.
 *
 *   shapecheck --verify tests/engine-cases/miss_union_sibling_same_width.c
 */
#include "shapecheck.h"

float xent(const float *logits SHAPE(n, c), const int *labels SHAPE(n), int n,
           int c) SHAPE_LOSS(logits, labels);

union size {
    int i;
    unsigned u;
};

union wide {
    int i;
    long l;
};

float step(void)
{
    float logits[32][10];
    int labels[16];
    union size u;
    u.i = 16;
    u.u = (unsigned)32;
    float loss = xent(&logits[0][0], labels, u.i, 10); // expected-error {{'&logits[0][0]' is [32, 10] but 'labels' is [16] in call to 'xent' [shape-batch-mismatch]}}
    // expected-note@34 {{'logits' declared as an array of shape [32, 10]}}
    // expected-note@35 {{'labels' declared as an array of shape [16]}}
    // expected-note@38 {{u.u set to 32 here}}
    union wide w;
    w.i = 32;
    w.l = 16;
    loss += xent(&logits[0][0], labels, w.i, 10); // expected-warning {{'&logits[0][0]' holds 32 rows but the loss reads w.i: the rest are never used [shape-batch-extent]}}
    // expected-note@34 {{'logits' declared as an array of shape [32, 10]}}
    // expected-note@35 {{'labels' declared as an array of shape [16]}}
    return loss;
}
