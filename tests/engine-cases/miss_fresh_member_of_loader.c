/*
 * An init function that leaves its own fresh memory in the struct it is
 * given (llm.c's dataloader_init: `loader->tokens_file = fopen(...)`,
 * `loader->targets = malloc(...)`, then reads through them) published that
 * memory: a store into the caller's memory made it escape, so the summary
 * said the loader escapes and the call may write anything, and the
 * caller forgot every loader it had.  The summary now says the member
 * holds fresh memory (a fresh effect), and the caller gives it an object
 * of its own.
 */
#include <stdio.h>
#include <stdlib.h>

#include "shapecheck.h"

typedef struct {
    int B, T;
    FILE *tokens;
    int *targets SHAPE(B, T);
} loader;

void fwd(const int *inputs SHAPE(B, T), const int *targets SHAPE(B, T), int B,
         int T) SHAPE_LOSS(inputs, targets);

static void load_shard(loader *l)
{
    l->tokens = fopen("shard.bin", "rb");
    if (!l->tokens)
        exit(1);
    int header[4];
    if (fread(header, sizeof header[0], 4, l->tokens) != 4)
        exit(1);
}

void loader_init(loader *l, int B, int T)
{
    l->B = B;
    l->T = T;
    l->tokens = NULL;
    for (int shard = 0; shard < 2; shard++) {
        if (l->tokens)
            fclose(l->tokens);
        load_shard(l);
    }
    l->targets = malloc((size_t)B * T * sizeof(int));
}

int main(void)
{
    int inputs[4][64] = {{0}};
    loader train, val;
    loader_init(&train, 2 * 4, 64);
    loader_init(&val, 4, 64);
    fwd(&inputs[0][0], val.targets, 4, 64);
    fwd(&inputs[0][0], train.targets, 4, 64); // expected-warning {{holds 8 rows but the loss reads 4}}
    // expected-note@50 {{'inputs' declared as an array of shape [4, 64]}}
    // expected-note@19 {{'train.targets' declared with shape [B, T], train.B = 8, train.T = 64}}
    // expected-note@52 {{train.B set to 8 here}}
    // expected-note@52 {{train.T set to 64 here}}
    return 0;
}
