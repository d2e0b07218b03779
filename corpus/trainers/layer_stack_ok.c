/* The fix for layer_stack.c: evaluation runs on its own batch of inputs. */
// expected-no-diagnostics
#include <stdio.h>
#include <stdlib.h>

#include "tinyml.h"

struct config {
    int batch, eval_batch;
    int in, hidden, classes;
};

struct layer {
    int rows, cols;
    float *w SHAPE(rows, cols);
};

static float *layer_forward(const struct layer *l, const float *x, int batch)
{
    float *out = alloc_matrix(batch, l->cols);
    if (!out)
        return NULL;
    matmul(out, x, l->w, batch, l->rows, l->cols);
    return out;
}

static float *mlp_forward(const struct config *cfg, const struct layer *l1,
                          const struct layer *l2, const float *x, int batch)
{
    (void)cfg;
    float *h = layer_forward(l1, x, batch);
    float *out = h ? layer_forward(l2, h, batch) : NULL;
    free(h);
    return out;
}

static int *alloc_labels(int n) RETURNS_SHAPE(n);

static int *alloc_labels(int n)
{
    return calloc((size_t)n, sizeof(int));
}

int main(void)
{
    struct config cfg = {.batch = 16, .eval_batch = 4, .in = 8, .hidden = 12,
                         .classes = 3};
    struct layer l1 = {cfg.in, cfg.hidden, alloc_matrix(cfg.in, cfg.hidden)};
    struct layer l2 = {cfg.hidden, cfg.classes,
                       alloc_matrix(cfg.hidden, cfg.classes)};
    float *x = alloc_matrix(cfg.eval_batch, cfg.in);
    int *labels = alloc_labels(cfg.eval_batch);
    if (!l1.w || !l2.w || !x || !labels)
        return 1;
    float *logits = mlp_forward(&cfg, &l1, &l2, x, cfg.eval_batch);
    if (!logits)
        return 1;
    float loss = cross_entropy(logits, labels, cfg.eval_batch, cfg.classes);
    printf("loss %.4f\n", (double)loss);
    free(logits);
    free(labels);
    free(x);
    free(l2.w);
    free(l1.w);
    return 0;
}
