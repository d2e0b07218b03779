/*
 * Issue 10, "calls forget too much".  loader_next writes the loader's
 * label buffer through a pointer field (l->y[0] = ...), never l->B.  After
 * the call the checker forgets train.B: the loss below, which reads
 * train.B = 64 rows of eval.y (32 labels), gets the shape-batch-extent
 * warning ("'logits' holds 64 rows but the loss reads train.B") instead of
 * the error.  Without the call (or with a loader_next that writes only
 * l->pos) the error is reported.  l->y points to what calloc returned in
 * loader_init, which cannot be train.B.
 *
 * SPEC 3: a write changes what is known about an object only if it "may
 * reach" it.  SPEC 4: labels too short for the rows the loss reads, while
 * the logits hold them, is shape-batch-mismatch.
 * Corpus: corpus/loops/mlp_loaders.c.  llm.c: dataloader_reset(loader)
 * shuffles through loader->shard_indices and dataloader_next_batch writes
 * loader->inputs[i] and loader->targets[i], so loader.B is forgotten
 * after either (the "dataloader_init(&loader, 2*B, ...) then
 * dataloader_reset(loader)" seed).
 *
 *   shapecheck --verify tests/engine-cases/miss_callee_writes_through_field.c
 */
#include <stdlib.h>

#include "shapecheck.h"

float xent(const float *logits SHAPE(n, c), const int *labels SHAPE(n), int n,
           int c) SHAPE_LOSS(logits, labels);
float *alloc_matrix(int rows, int cols) RETURNS_SHAPE(rows, cols);

struct loader {
    int B;
    int *y SHAPE(B);
};

static void loader_init(struct loader *l, int batch)
{
    l->B = batch;
    l->y = calloc((size_t)batch, sizeof(int));
}

static void loader_next(struct loader *l)
{
    l->y[0] = 1;
}

float train_step(void)
{
    struct loader train, eval;
    loader_init(&train, 64);
    loader_init(&eval, 32);
    float *logits = alloc_matrix(train.B, 10);
    loader_next(&train);
    return xent(logits, eval.y, train.B, 10); // expected-error {{'logits' is [64, 10] but 'eval.y' is [32] in call to 'xent' [shape-batch-mismatch]}}
    // expected-note@51 {{'logits' has shape [64, 10], returned by 'alloc_matrix', train.B = 64}}
    // expected-note@49 {{train.B set to 64 here}}
    // expected-note@32 {{'eval.y' declared with shape [B], eval.B = 32}}
    // expected-note@50 {{eval.B set to 32 here}}
}
