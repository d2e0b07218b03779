/*
 * llm.c allocates through mallocCheck (utils.h: malloc, and exit on
 * NULL).  An init function that stores such a buffer in its struct and
 * writes into it (dataloader_init: shard_indices = mallocCheck(...);
 * init_identity_permutation(shard_indices, n)) makes its caller forget
 * the struct's members: loader_init below sets l->B = 4, yet the call
 * after it is silent.  With malloc itself instead of malloc_check, or
 * without the fill, l.B = 4 is kept and the call is an error.  It seems
 * the wrapper's result is not known to be fresh memory, so the write
 * through it may reach *l.
 *
 * SPEC 3: a write changes only what it may reach; malloc_check returns
 * what malloc returned.
 */
#include <stdio.h>
#include <stdlib.h>

#include "shapecheck.h"

void use(int *x SHAPE(B), int B);

struct loader {
    int B;
    int *shard_indices;
};

static void *malloc_check(size_t size, const char *file, int line)
{
    void *p = malloc(size);
    if (p == NULL) {
        fprintf(stderr, "Error: Memory allocation failed at %s:%d\n", file,
                line);
        exit(EXIT_FAILURE);
    }
    return p;
}

static void init_identity_permutation(int *data, int n)
{
    for (int i = 0; i < n; i++)
        data[i] = i;
}

static void loader_init(struct loader *l, int B)
{
    l->B = B;
    l->shard_indices = malloc_check(3 * sizeof(int), __FILE__, __LINE__);
    init_identity_permutation(l->shard_indices, 3);
}

int train(void)
{
    struct loader l;
    loader_init(&l, 4);
    int y[4] = {0};
    use(y, 2 * l.B); // expected-error {{'y' has shape [4] but parameter 'x' of 'use' expects [B] = [8] [shape-mismatch]}}
    // expected-note@55 {{'y' declared as an array of shape [4]}}
    // expected-note@54 {{l.B set to 4 here}}
    // expected-note@20 {{parameter 'x' of 'use' declared with shape [B]}}
    free(l.shard_indices);
    return 0;
}
