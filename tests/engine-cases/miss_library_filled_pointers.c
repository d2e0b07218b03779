/*
 * llm.c's dataloader: glob() fills a glob_t inside the loader with
 * pointers to memory it allocated; a reset function calls a helper that
 * mallocs a member only when shuffling.  The pointers glob wrote were
 * taken to point anywhere, and a member set on some paths only lost what
 * the summary knew of it, so the loader's reach was unbounded: every call
 * that relied on the loader being the caller's own was distrusted, and
 * the loaders were forgotten.  glob is now a library function whose
 * written pointers are fresh (LIB_FILLS), and a summary's fresh effect
 * may say "fresh, or as it was" (kept).
 */
#include <glob.h>
#include <stdlib.h>

#include "shapecheck.h"

typedef struct {
    int B, T, shuffle;
    glob_t files;
    int *order;
    int *targets SHAPE(B, T);
} loader;

void fwd(const int *inputs SHAPE(B, T), const int *targets SHAPE(B, T), int B,
         int T) SHAPE_LOSS(inputs, targets);
void opaque(void); /* code nobody can see */

static void prepare_order(loader *l)
{
    free(l->order);
    l->order = malloc(l->files.gl_pathc * sizeof(int));
}

static void loader_reset(loader *l)
{
    if (l->shuffle)
        prepare_order(l);
    opaque();
}

void loader_init(loader *l, const char *pattern, int B, int T, int shuffle)
{
    l->B = B;
    l->T = T;
    l->shuffle = shuffle;
    l->order = NULL;
    if (glob(pattern, 0, NULL, &l->files) != 0)
        exit(1);
    l->targets = malloc((size_t)B * T * sizeof(int));
    loader_reset(l);
}

int main(void)
{
    int inputs[4][64] = {{0}};
    loader train, val;
    loader_init(&train, "train_*.bin", 2 * 4, 64, 1);
    loader_init(&val, "val_*.bin", 4, 64, 0);
    loader_reset(&val);
    fwd(&inputs[0][0], val.targets, 4, 64);
    fwd(&inputs[0][0], train.targets, 4, 64); // expected-warning {{holds 8 rows but the loss reads 4}}
    // expected-note@55 {{'inputs' declared as an array of shape [4, 64]}}
    // expected-note@21 {{'train.targets' declared with shape [B, T], train.B = 8, train.T = 64}}
    // expected-note@57 {{train.B set to 8 here}}
    // expected-note@57 {{train.T set to 64 here}}
    globfree(&train.files);
    globfree(&val.files);
    return 0;
}
