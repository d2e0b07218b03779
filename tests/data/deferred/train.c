#include "project.h"

void loader_init(struct loader *l, int batch);
void loader_halve(struct loader *l);
float run(const float *x, const int *y, int n);

static float logits[64][10];
static int labels16[16];

float step(void)
{
    struct loader l;
    loader_init(&l, 64);
    loader_halve(&l);
    /* 32 rows read from a 16-row labels buffer: needs loader.c's bodies */
    return xent(&logits[0][0], labels16, l.batch, 10);
}

float step_wrapped(void)
{
    /* run reads 32 rows of labels16: needs wrap.c's body */
    return run(&logits[0][0], labels16, 32);
}
