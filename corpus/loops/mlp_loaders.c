/*
 * mlp_loaders_ok.c with the bug of issue 10's "calls forget too much": the
 * training loss reports on the eval loader's labels.  Both loaders come
 * from loader_init (train.B = 64, eval.B = 32), and every step calls
 * loader_next(&train), which writes the loader's buffers through its
 * pointer but never its B.  So the loss reads train.B = 64 rows of
 * eval.y, which holds 32: the labels are too short for the rows the loss
 * reads while the logits hold them, an error (SPEC 4), on every step.
 *
 * Fails until the engine handles tests/engine-cases/
 * miss_callee_writes_through_field.c (today: the warning, not the error).
 */
#include <stdio.h>
#include <stdlib.h>

#include "tinyml.h"

#define FEATURES 16
#define HIDDEN 32
#define CLASSES 10
#define DATASET 512
#define EPOCHS 2
#define STEPS 8
#define EVAL_STEPS 4
#define LEARNING_RATE 0.1f

struct loader {
    int B;   /* rows per batch */
    int pos; /* the next sample */
    float *x SHAPE(B, FEATURES);
    int *y SHAPE(B);
};

static void loader_init(struct loader *l, int batch)
{
    l->B = batch;
    l->pos = 0;
    l->x = alloc_matrix(batch, FEATURES);
    l->y = calloc((size_t)batch, sizeof(int));
}

/* The next batch of a synthetic data set: sample s has class s % CLASSES
   and a feature vector that leans towards that class. */
static void loader_next(struct loader *l)
{
    for (int i = 0; i < l->B; i++) {
        int s = (l->pos + i) % DATASET;
        l->y[i] = s % CLASSES;
        fill_random(l->x + (size_t)i * FEATURES, FEATURES, (unsigned)s);
        l->x[(size_t)i * FEATURES + l->y[i]] += 1.0f;
    }
    l->pos = (l->pos + l->B) % DATASET;
}

static void loader_free(struct loader *l)
{
    free(l->x);
    free(l->y);
}

struct mlp {
    float *w1 SHAPE(FEATURES, HIDDEN);
    float *w2 SHAPE(HIDDEN, CLASSES);
};

/* x[i, j] = max(x[i, j], 0) */
static void relu(float *x SHAPE(n, c), int n, int c)
{
    for (int i = 0; i < n * c; i++)
        x[i] = x[i] > 0 ? x[i] : 0;
}

/* h = relu(x . w1), logits = h . w2, for the first n rows. */
static void mlp_forward(const struct mlp *m, const float *x SHAPE(n, FEATURES),
                        float *h SHAPE(n, HIDDEN),
                        float *logits SHAPE(n, CLASSES), int n)
{
    matmul(h, x, m->w1, n, FEATURES, HIDDEN);
    relu(h, n, HIDDEN);
    matmul(logits, h, m->w2, n, HIDDEN, CLASSES);
}

/* dlogits = (softmax(logits) - onehot(labels)) / n */
static void cross_entropy_backward(float *dlogits SHAPE(n, c),
                                   const float *logits SHAPE(n, c),
                                   const int *labels SHAPE(n), int n, int c)
    SHAPE_LOSS(logits, labels);

static void cross_entropy_backward(float *dlogits, const float *logits,
                                   const int *labels, int n, int c)
{
    for (int i = 0; i < n; i++) {
        const float *row = logits + (size_t)i * c;
        float *drow = dlogits + (size_t)i * c;
        float max = row[0], sum = 0;
        for (int j = 1; j < c; j++)
            max = row[j] > max ? row[j] : max;
        for (int j = 0; j < c; j++)
            sum += drow[j] = expf(row[j] - max);
        for (int j = 0; j < c; j++)
            drow[j] = (drow[j] / sum - (j == labels[i])) / (float)n;
    }
}

/* w -= lr * a^T . d, with a [n, k] and d [n, m]; then, when da is not
   NULL, da = d . w^T (the gradient that flows back, before the update). */
static void dense_backward(float *w SHAPE(k, m), const float *a SHAPE(n, k),
                           const float *d SHAPE(n, m), float *da SHAPE(n, k),
                           int n, int k, int m)
{
    if (da)
        for (int i = 0; i < n; i++)
            for (int p = 0; p < k; p++) {
                float acc = 0;
                for (int j = 0; j < m; j++)
                    acc += d[(size_t)i * m + j] * w[(size_t)p * m + j];
                da[(size_t)i * k + p] = acc;
            }
    for (int p = 0; p < k; p++)
        for (int j = 0; j < m; j++) {
            float acc = 0;
            for (int i = 0; i < n; i++)
                acc += a[(size_t)i * k + p] * d[(size_t)i * m + j];
            w[(size_t)p * m + j] -= LEARNING_RATE * acc;
        }
}

/* The gradient of relu: zero where the activation was clamped. */
static void relu_backward(float *dh SHAPE(n, c), const float *h SHAPE(n, c),
                          int n, int c)
{
    for (int i = 0; i < n * c; i++)
        dh[i] = h[i] > 0 ? dh[i] : 0;
}

int main(void)
{
    struct loader train, eval;
    loader_init(&train, 64);
    loader_init(&eval, 32);
    struct mlp m = {alloc_matrix(FEATURES, HIDDEN),
                    alloc_matrix(HIDDEN, CLASSES)};
    float *h = alloc_matrix(train.B, HIDDEN);
    float *dh = alloc_matrix(train.B, HIDDEN);
    float *logits = alloc_matrix(train.B, CLASSES);
    float *dlogits = alloc_matrix(train.B, CLASSES);
    float *eval_h = alloc_matrix(eval.B, HIDDEN);
    float *eval_logits = alloc_matrix(eval.B, CLASSES);
    if (!train.x || !train.y || !eval.x || !eval.y || !m.w1 || !m.w2 || !h ||
        !dh || !logits || !dlogits || !eval_h || !eval_logits)
        return 1;
    fill_random(m.w1, FEATURES * HIDDEN, 1);
    fill_random(m.w2, HIDDEN * CLASSES, 2);

    for (int epoch = 0; epoch < EPOCHS; epoch++) {
        float train_loss = 0;
        for (int step = 0; step < STEPS; step++) {
            loader_next(&train);
            mlp_forward(&m, train.x, h, logits, train.B);
            train_loss += cross_entropy(logits, eval.y, train.B, CLASSES); // expected-error {{logits and labels must have the same first dimension: 'logits' is [64, 10] but 'eval.y' is [32] in call to 'cross_entropy' [shape-batch-mismatch]}}
            // expected-note@145 {{'logits' has shape [64, 10], returned by 'alloc_matrix', train.B = 64, CLASSES = 10}}
            // expected-note@139 {{train.B set to 64 here}}
            // expected-note@20 {{CLASSES defined as 10 here}}
            // expected-note@31 {{'eval.y' declared with shape [B], eval.B = 32}}
            // expected-note@140 {{eval.B set to 32 here}}
            cross_entropy_backward(dlogits, logits, train.y, train.B, CLASSES);
            dense_backward(m.w2, h, dlogits, dh, train.B, HIDDEN, CLASSES);
            relu_backward(dh, h, train.B, HIDDEN);
            dense_backward(m.w1, train.x, dh, NULL, train.B, FEATURES, HIDDEN);
        }
        float eval_loss = 0;
        for (int step = 0; step < EVAL_STEPS; step++) {
            loader_next(&eval);
            mlp_forward(&m, eval.x, eval_h, eval_logits, eval.B);
            eval_loss += cross_entropy(eval_logits, eval.y, eval.B, CLASSES);
        }
        printf("epoch %d: train loss %.4f, eval loss %.4f\n", epoch,
               (double)(train_loss / STEPS), (double)(eval_loss / EVAL_STEPS));
    }

    loader_free(&train);
    loader_free(&eval);
    free(m.w1);
    free(m.w2);
    free(h);
    free(dh);
    free(logits);
    free(dlogits);
    free(eval_h);
    free(eval_logits);
    return 0;
}
