/*
 * Writes that reach an object by another route (issue 9, class 1).  Each
 * call below reads 32 rows of 32-row buffers; a checker that missed one of
 * the writes would believe 64 rows are read and report an error.
 */
#include <stdio.h>

#include "tinyml.h"

// expected-no-diagnostics

struct cfg {
    int batch;
    int classes;
};

/* A and B may be one struct: after both writes, a->batch is what B set. */
static int last_write_wins(struct cfg *a, struct cfg *b)
{
    a->batch = 64;
    b->batch = 32;
    return a->batch;
}

struct layer {
    int B;
    float *out;
};

/* Writes through a copy of its pointer: its summary must say so. */
static void set_batch(struct layer *l, int n)
{
    struct layer *m = l;
    m->B = n;
}

union size {
    int i;
    unsigned u;
};

int main(void)
{
    static float logits[32][10];
    static int labels[32];
    struct cfg c = {.batch = 64, .classes = 10};

    /* Two pointer parameters to one struct. */
    int n = last_write_wins(&c, &c);
    float loss = cross_entropy(&logits[0][0], labels, n, 10);

    /* A pointer to a local: the local changes with it. */
    struct cfg *p = &c;
    c.batch = 64;
    p->batch = 32;
    loss += cross_entropy(&logits[0][0], labels, c.batch, c.classes);

    /* A union member written through its sibling. */
    union size s;
    s.i = 64;
    s.u = 32u;
    loss += cross_entropy(&logits[0][0], labels, s.i, 10);

    /* A helper that writes through a copy of its pointer. */
    struct layer l = {.B = 64, .out = NULL};
    set_batch(&l, 32);
    loss += cross_entropy(&logits[0][0], labels, l.B, 10);

    printf("loss %.4f\n", (double)loss);
    return 0;
}
