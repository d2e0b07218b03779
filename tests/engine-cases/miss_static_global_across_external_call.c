/*
 * Issue 10, the oracle's "global" construct: a file-scope static set by a
 * helper (set_batch), then a call of code nobody can see (log_step), then
 * the loss.  log_step cannot write g_batch: its address is never taken,
 * and only code that runs after main has started writes it (set_batch,
 * static and called only from there).  So g_batch is still 16 at the
 * loss, and main starts with g_eval at its initial value 8.
 *
 * The controls stay silent: g_shared is also written by reset_shared,
 * which is not static (code elsewhere may call it at any time, log_step
 * among them); g_seen's address is taken (log_step may be handed it).
 *
 * SPEC 4: labels too short for the rows the loss reads is
 * shape-batch-mismatch; docs/memory-model.md, "Sealed cells".
 *
 *   shapecheck --verify tests/engine-cases/miss_static_global_across_external_call.c
 */
#include "shapecheck.h"

float xent(const float *logits SHAPE(n, c), const int *labels SHAPE(n), int n,
           int c) SHAPE_LOSS(logits, labels);
float *alloc_rows(int n, int c) RETURNS_SHAPE(n, c);
int *alloc_labels(int n) RETURNS_SHAPE(n);
void log_step(void);
void remember(int *p);

static int g_batch = 1;
static int g_eval = 8;
static int g_shared = 4;
static int g_seen = 4;

static void set_batch(int b)
{
    g_batch = b;
}

void reset_shared(void)
{
    g_shared = 12;
}

static void train(void)
{
    set_batch(16);
    log_step();
    float *x = alloc_rows(g_batch, 10);
    xent(x, alloc_labels(8), g_batch, 10); // expected-error {{'x' is [16, 10] but 'alloc_labels(8)' is [8] in call to 'xent' [shape-batch-mismatch]}}
    // expected-note@46 {{'x' has shape [16, 10], returned by 'alloc_rows', g_batch = 16}}
    // expected-note@44 {{g_batch set to 16 here}}
    // expected-note@47 {{'alloc_labels(8)' has shape [8], returned by 'alloc_labels'}}
    float *e = alloc_rows(g_eval, 10);
    xent(e, alloc_labels(4), g_eval, 10); // expected-error {{'e' is [8, 10] but 'alloc_labels(4)' is [4] in call to 'xent' [shape-batch-mismatch]}}
    // expected-note@51 {{'e' has shape [8, 10], returned by 'alloc_rows', g_eval = 8}}
    // expected-note@28 {{g_eval set to 8 here}}
    // expected-note@52 {{'alloc_labels(4)' has shape [4], returned by 'alloc_labels'}}
}

static void controls(void)
{
    float *s = alloc_rows(g_shared, 10);
    log_step(); /* may run reset_shared */
    xent(s, alloc_labels(4), g_shared, 10);
    remember(&g_seen);
    g_seen = 4;
    float *t = alloc_rows(g_seen, 10);
    log_step(); /* may write through the pointer remember kept */
    xent(t, alloc_labels(4), g_seen, 10);
}

int main(void)
{
    train();
    controls();
    return 0;
}
