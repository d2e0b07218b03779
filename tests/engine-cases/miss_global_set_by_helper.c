/*
 * Issue 10, "calls forget too much" (the oracle's "global" construct,
 * recall 56%).  A helper that sets a global (set_batch: g_batch = b) was
 * summarised as "writes g_batch", so after set_batch(32) the caller knew
 * only that g_batch had changed: the loss below, which reads g_batch = 32
 * rows of a 16-label buffer, passed silently.  Now a summary also says
 * what an integer global (or a member of a global struct) holds on every
 * path, when the caller can say it (its arguments, constants), and the
 * caller sets it.  The control: set_batch_if, which sets it on one path
 * only, leaves it unknown: no error, only the warning that the two
 * buffers hold different numbers of rows.
 *
 * SPEC 4: labels too short for the rows the loss reads is
 * shape-batch-mismatch.
 *
 *   shapecheck --verify tests/engine-cases/miss_global_set_by_helper.c
 */
#include "shapecheck.h"

float xent(const float *logits SHAPE(n, c), const int *labels SHAPE(n), int n,
           int c) SHAPE_LOSS(logits, labels);

static int g_batch = 16;
struct config {
    int batch;
    int classes;
};
struct config g_cfg;

static void set_batch(int b)
{
    g_batch = b;
}

void configure(int b, int c)
{
    g_cfg.batch = 2 * b;
    g_cfg.classes = c;
}

static void set_batch_if(int b, int really)
{
    if (really)
        g_batch = b;
}

float step(void)
{
    float logits[32][10];
    int labels[16];
    set_batch(32);
    float loss = xent(&logits[0][0], labels, g_batch, 10); // expected-error {{'&logits[0][0]' is [32, 10] but 'labels' is [16] in call to 'xent' [shape-batch-mismatch]}}
    // expected-note@49 {{'logits' declared as an array of shape [32, 10]}}
    // expected-note@50 {{'labels' declared as an array of shape [16]}}
    // expected-note@51 {{g_batch set to 32 here}}
    configure(16, 10);
    loss += xent(&logits[0][0], labels, g_cfg.batch, g_cfg.classes); // expected-error {{'&logits[0][0]' is [32, 10] but 'labels' is [16] in call to 'xent' [shape-batch-mismatch]}}
    // expected-note@49 {{'logits' declared as an array of shape [32, 10]}}
    // expected-note@50 {{'labels' declared as an array of shape [16]}}
    // expected-note@56 {{g_cfg.batch set to 32 here}}
    set_batch(16);
    set_batch_if(32, loss > 0); /* g_batch: 16 or 32, so unknown */
    loss += xent(&logits[0][0], labels, g_batch, 10); // expected-warning {{'&logits[0][0]' holds 32 rows but the loss reads g_batch: the rest are never used [shape-batch-extent]}}
    // expected-note@49 {{'logits' declared as an array of shape [32, 10]}}
    // expected-note@50 {{'labels' declared as an array of shape [16]}}
    return loss;
}
