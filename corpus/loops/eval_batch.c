/*
 * eval_batch_ok.c with the evaluation loop written by copying the training
 * loop's lines: the eval loss takes the training labels `y`
 * (TRAIN_BATCH = 64 rows) for EVAL_BATCH = 200 rows of eval logits, an
 * error; the accuracy takes them too, with the training batch as its
 * count: legal C (it reads the first 64 rows of the eval logits), but 136
 * rows of every eval batch are never scored, a warning.
 */
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
            eval_loss += cross_entropy(eval_logits, y, EVAL_BATCH, CLASSES); // expected-error {{logits and labels must have the same first dimension: 'eval_logits' is [200, 10] but 'y' is [64] in call to 'cross_entropy' [shape-batch-mismatch]}}
            // expected-note@92 {{'eval_logits' has shape [200, 10], returned by 'alloc_matrix', EVAL_BATCH = 200, CLASSES = 10}}
            // expected-note@17 {{EVAL_BATCH defined as 200 here}}
            // expected-note@15 {{CLASSES defined as 10 here}}
            // expected-note@88 {{'y' has shape [64], returned by 'alloc_labels', TRAIN_BATCH = 64}}
            // expected-note@16 {{TRAIN_BATCH defined as 64 here}}
            hits += correct(eval_logits, y, TRAIN_BATCH, CLASSES); // expected-warning {{'eval_logits' holds 200 rows but the loss reads 64: the rest are never used [shape-batch-extent]}}
            // expected-note@92 {{'eval_logits' has shape [200, 10], returned by 'alloc_matrix', EVAL_BATCH = 200, CLASSES = 10}}
            // expected-note@17 {{EVAL_BATCH defined as 200 here}}
            // expected-note@15 {{CLASSES defined as 10 here}}
            // expected-note@88 {{'y' has shape [64], returned by 'alloc_labels', TRAIN_BATCH = 64}}
            // expected-note@16 {{TRAIN_BATCH defined as 64 here}}
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
