/* An annotated redeclaration, force-included like --models. */
#include "shapecheck.h"
float sum(SHAPE(n) const float *x, int n);
