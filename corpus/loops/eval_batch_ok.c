/*
 * A softmax-regression trainer whose evaluation runs with a bigger batch
 * than training (TRAIN_BATCH = 64, EVAL_BATCH = 200: evaluation needs no
 * gradients, so it takes larger batches).  Each loop has its own buffers,
 * allocated once before the loops and never reassigned inside them; each
 * loss takes the buffers of its own loop.  eval_batch.c is the same
 * trainer with the evaluation reusing a training buffer.
 */
// expected-no-diagnostics
#include <stdio.h>
#include <stdlib.h>

#include "tinyml.h"

#define FEATURES 8
#define CLASSES 10
#define TRAIN_BATCH 64
#define EVAL_BATCH 200
#define EPOCHS 3
#define STEPS 10
#define EVAL_STEPS 2
#define LEARNING_RATE 0.5f

static int *alloc_labels(int n) RETURNS_SHAPE(n);

static int *alloc_labels(int n)
{
    return calloc((size_t)n, sizeof(int));
}

/* n samples of a synthetic task starting at sample `first`: class
   s % CLASSES, features that lean towards it. */
static void load_batch(float *x SHAPE(n, FEATURES), int *y SHAPE(n), int n,
                       int first)
{
    for (int i = 0; i < n; i++) {
        int s = first + i;
        y[i] = s % CLASSES;
        fill_random(x + (size_t)i * FEATURES, FEATURES, (unsigned)s);
        x[(size_t)i * FEATURES + y[i] % FEATURES] += 1.0f;
    }
}

/* w -= lr * x^T . (softmax(logits) - onehot(y)) / n */
static void sgd_step(float *w SHAPE(FEATURES, c),
                     const float *x SHAPE(n, FEATURES),
                     const float *logits SHAPE(n, c), const int *y SHAPE(n),
                     int n, int c) SHAPE_LOSS(logits, y);

static void sgd_step(float *w, const float *x, const float *logits,
                     const int *y, int n, int c)
{
    for (int i = 0; i < n; i++) {
        const float *row = logits + (size_t)i * c;
        float max = row[0], sum = 0;
        for (int j = 1; j < c; j++)
            max = row[j] > max ? row[j] : max;
        for (int j = 0; j < c; j++)
            sum += expf(row[j] - max);
        for (int j = 0; j < c; j++) {
            float d = (expf(row[j] - max) / sum - (j == y[i])) / (float)n;
            for (int k = 0; k < FEATURES; k++)
                w[(size_t)k * c + j] -= LEARNING_RATE * d * x[(size_t)i * FEATURES + k];
        }
    }
}

/* How many rows of logits put the highest score on their label. */
static int correct(const float *logits SHAPE(n, c), const int *y SHAPE(n),
                   int n, int c) SHAPE_LOSS(logits, y);

static int correct(const float *logits, const int *y, int n, int c)
{
    int hits = 0;
    for (int i = 0; i < n; i++) {
        int best = 0;
        for (int j = 1; j < c; j++)
            if (logits[(size_t)i * c + j] > logits[(size_t)i * c + best])
                best = j;
        hits += best == y[i];
    }
    return hits;
}

int main(void)
{
    float *w = alloc_matrix(FEATURES, CLASSES);
    float *x = alloc_matrix(TRAIN_BATCH, FEATURES);
    int *y = alloc_labels(TRAIN_BATCH);
    float *logits = alloc_matrix(TRAIN_BATCH, CLASSES);
    float *eval_x = alloc_matrix(EVAL_BATCH, FEATURES);
    int *eval_y = alloc_labels(EVAL_BATCH);
    float *eval_logits = alloc_matrix(EVAL_BATCH, CLASSES);
    if (!w || !x || !y || !logits || !eval_x || !eval_y || !eval_logits)
        return 1;

    for (int epoch = 0; epoch < EPOCHS; epoch++) {
        float train_loss = 0;
        for (int step = 0; step < STEPS; step++) {
            load_batch(x, y, TRAIN_BATCH, step * TRAIN_BATCH);
            matmul(logits, x, w, TRAIN_BATCH, FEATURES, CLASSES);
            train_loss += cross_entropy(logits, y, TRAIN_BATCH, CLASSES);
            sgd_step(w, x, logits, y, TRAIN_BATCH, CLASSES);
        }
        float eval_loss = 0;
        int hits = 0;
        for (int step = 0; step < EVAL_STEPS; step++) {
            load_batch(eval_x, eval_y, EVAL_BATCH, 100000 + step * EVAL_BATCH);
            matmul(eval_logits, eval_x, w, EVAL_BATCH, FEATURES, CLASSES);
            eval_loss += cross_entropy(eval_logits, eval_y, EVAL_BATCH, CLASSES);
            hits += correct(eval_logits, eval_y, EVAL_BATCH, CLASSES);
        }
        printf("epoch %d: train loss %.4f, eval loss %.4f, accuracy %.3f\n",
               epoch, (double)(train_loss / STEPS),
               (double)(eval_loss / EVAL_STEPS),
               (double)hits / (EVAL_STEPS * EVAL_BATCH));
    }

    free(w);
    free(x);
    free(y);
    free(logits);
    free(eval_x);
    free(eval_y);
    free(eval_logits);
    return 0;
}
