/*
 * shape-annotation: annotations the checker cannot use.  Plain compilers
 * never see them (the macros vanish), so only shapecheck can report them.
 */
#include <stdio.h>

#include "shapecheck.h"

/* Does not parse: an empty dimension. */
void normalize(float *x SHAPE(B, , C)); // expected-error {{malformed shape 'B, , C': }}

/* Names a parameter that does not exist. */
float nll(const float *logp SHAPE(N, C), const int *target SHAPE(N))
    SHAPE_LOSS(logits, target); // expected-error {{SHAPE_LOSS names 'logits', which is not a parameter of 'nll'}}

/* SHAPE on a function: its result needs RETURNS_SHAPE. */
SHAPE(N) float *make_buffer(int N); // expected-error {{SHAPE on function 'make_buffer': use RETURNS_SHAPE}}

/* Two declarations that disagree. */
void relu(float *x SHAPE(N));
void relu(float *x SHAPE(N, 2)) // expected-error {{conflicting annotations for parameter 'x' of 'relu': [N, 2] here but [N]}}
{
    (void)x;
}

int main(void)
{
    /* A scalar cannot hold a shape of rank 1. */
    int steps SHAPE(3) = 3; // expected-error {{SHAPE on 'steps', which cannot hold a shape}}
    float v[2] = {1, 2};
    relu(v);
    printf("%d\n", steps);
    return 0;
}
