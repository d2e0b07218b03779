/*
 * Issue 10, the oracle's "helper" and "loss" constructs.  nll takes no
 * count: SHAPE(N, C) and SHAPE(N) say that logp and target hold the same
 * number of rows, N, which only the buffers carry (a free symbol: exact,
 * SPEC 4).  Called directly with 8 and 16 rows it is an error.  Called
 * through step, a helper that passes both on, it was a warning ("'target'
 * holds 16 rows but the loss reads N"): step's summary kept nll's N as an
 * unknown count, read as a prefix.  A summary now keeps a callee's free
 * symbol free: bound from the buffers at each call of step, as at nll's.
 *
 * The control: fill_rows, a helper whose count is its own parameter,
 * reads a prefix (8 of 16 rows is C's usual idiom): no error.
 *
 *   shapecheck --verify tests/engine-cases/miss_free_symbol_through_helper.c
 */
#include "shapecheck.h"

float nll(const float *logp SHAPE(N, C), const int *target SHAPE(N))
    SHAPE_LOSS(logp, target);
void fill(float *out SHAPE(r, c), int r, int c);

void step(const float *logp, const int *target)
{
    nll(logp, target);
}

void fill_rows(float *out, int r)
{
    fill(out, r, 4);
}

void train(void)
{
    float logp[8][3];
    int target[16];
    nll(&logp[0][0], target); // expected-error {{'&logp[0][0]' is [8, 3] but 'target' is [16] in call to 'nll' [shape-batch-mismatch]}}
    // expected-note@34 {{'logp' declared as an array of shape [8, 3]}}
    // expected-note@35 {{'target' declared as an array of shape [16]}}
    step(&logp[0][0], target); // expected-error {{'&logp[0][0]' is [8, 3] but 'target' is [16] in call to 'step' [shape-batch-mismatch]}}
    // expected-note@34 {{'logp' declared as an array of shape [8, 3]}}
    // expected-note@35 {{'target' declared as an array of shape [16]}}
    // expected-note@24 {{'step' passes 'logp' and 'target' to the loss 'nll' here}}
    float rows[16][4];
    fill_rows(&rows[0][0], 8);
}
