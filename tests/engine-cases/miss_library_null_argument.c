/*
 * A library call given a null pointer writes nothing through it.  llm.c's
 * dataloader_init calls glob(pattern, 0, NULL, &loader->glob_result): the
 * NULL was taken for a pointer to anywhere, so the loader (and every
 * loader the program has) was forgotten after the call, and its B with
 * it.  glob and globfree are in the library table (checker/engine/libc.c).
 */
#include <glob.h>
#include <stdlib.h>

#include "shapecheck.h"

typedef struct {
    int B, T;
    glob_t files;
    int *targets SHAPE(B, T);
} loader;

void fwd(const int *inputs SHAPE(B, T), const int *targets SHAPE(B, T), int B,
         int T) SHAPE_LOSS(inputs, targets);

void loader_init(loader *l, const char *pattern, int B, int T)
{
    l->B = B;
    l->T = T;
    if (glob(pattern, 0, NULL, &l->files) != 0)
        exit(1);
    l->targets = malloc((size_t)B * T * sizeof(int));
}

int main(void)
{
    int inputs[4][64] = {{0}};
    loader train;
    loader_init(&train, "train_*.bin", 2 * 4, 64);
    fwd(&inputs[0][0], train.targets, 4, 64); // expected-warning {{holds 8 rows but the loss reads 4}}
    // expected-note@33 {{'inputs' declared as an array of shape [4, 64]}}
    // expected-note@16 {{'train.targets' declared with shape [B, T], train.B = 8, train.T = 64}}
    // expected-note@35 {{train.B set to 8 here}}
    // expected-note@35 {{train.T set to 64 here}}
    globfree(&train.files);
    return 0;
}
