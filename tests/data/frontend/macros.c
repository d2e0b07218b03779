/* Object-like macros named by annotations. */
#include "shapecheck.h"
#define HALF 8
#define DIM (HALF * 2)
#define UNUSED_MACRO 99
#define TWICE(x) ((x) * 2)
#define BATCH 32

/* SHAPE(...) expands its arguments before stringising them. */
SHAPE(BATCH, DIM) float expanded[BATCH][DIM];

/* Written as the attribute itself, the names stay in the text. */
__attribute__((annotate("shapecheck:shape:DIM, TWICE, LATER"))) float *raw;

#define LATER 5
