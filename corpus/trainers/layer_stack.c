/*
 * A two-layer MLP whose batch comes from a config struct, through a layer
 * struct whose weights are SHAPE(rows, cols) of its own fields, and through
 * helpers with no annotation.  The evaluation labels were sized with the
 * config's eval batch, not the training batch the logits have.
 */
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

/* Returns [batch, l->cols] and needs x to be [batch, l->rows]. */
static float *layer_forward(const struct layer *l, const float *x, int batch)
{
    float *out = alloc_matrix(batch, l->cols);
    if (!out)
        return NULL;
    matmul(out, x, l->w, batch, l->rows, l->cols);
    return out;
}

static float *mlp_forward(const struct config *cfg, const struct layer *l1,
                          const struct layer *l2, const float *x)
{
    float *h = layer_forward(l1, x, cfg->batch);
    float *out = h ? layer_forward(l2, h, cfg->batch) : NULL;
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
    float *x = alloc_matrix(cfg.batch, cfg.in);
    int *labels = alloc_labels(cfg.eval_batch);
    if (!l1.w || !l2.w || !x || !labels)
        return 1;
    float *logits = mlp_forward(&cfg, &l1, &l2, x);
    if (!logits)
        return 1;
    float loss = cross_entropy(logits, labels, cfg.batch, cfg.classes); // expected-error {{'logits' is [16, 3] but 'labels' is [4] in call to 'cross_entropy'}}
    // expected-note@59 {{'logits' has shape [16, 3], returned by 'mlp_forward'}}
    // expected-note@38 {{'mlp_forward' returns [cfg->batch, l2->cols] here (shape from 'layer_forward')}}
    // expected-note@56 {{'labels' has shape [4], returned by 'alloc_labels', cfg.eval_batch = 4}}
    // expected-note@50 {{cfg.eval_batch set to 4 here}}
    // expected-note@50 {{cfg.batch set to 16 here}}
    printf("loss %.4f\n", (double)loss);
    return 0;
}
