/* Annotations in every place the front end reads them. */
#include "shapecheck.h"

struct layer {
    int in, out;
    float *SHAPE(out, in) weights;
};

SHAPE(4, 8) float table[4][8];

float loss(const float *logits, const int *labels, int n, int c)
    SHAPE_LOSS(logits, labels);

RETURNS_SHAPE(n, c) float *make(int n, int c);

void place(int n, SHAPE(n) float *before, float *SHAPE(n, 2) after_star,
           float *after_decl SHAPE(2, n));

SHAPE(3) int misplaced(void);

float scale(SHAPE(n) float *x, int n);

float loss(const float *logits, const int *labels, int n, int c)
{
    SHAPE(n, c) const float *p = logits;
    return p[0] + (float)labels[0] + (float)(n * c);
}

float scale(float *x, int n)
{
    return x[0] * (float)n;
}

int not_annotated(int x);
