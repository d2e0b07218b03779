/*
 * Issue 10, the oracle's "sizes computed in loops": a size counted up in a
 * loop whose every test the state decides ("while (rows < ROWS)
 * rows++;", "for (j = 0; j < 2; j++) cols += STEP"), and a loss called
 * in such a loop.  Walked pass by pass (docs/memory-model.md, "Control
 * flow"), the loop leaves rows at 12 and cols at 6, exact, and the loss
 * in the loop is found at the pass that reads 4 rows against 3 labels.
 *
 * The controls stay silent: a loop bounded by a parameter (its test is
 * not decided: the fixpoint, which knows n only as "some value"), two
 * passes' results of read_size() (two unknowns, not one: q + 1 rows may
 * be p), and the short last batch written the usual way (every pass
 * reads at most what both buffers hold).
 *
 *   shapecheck --verify tests/engine-cases/miss_size_computed_in_loop.c
 */
#include "shapecheck.h"

void bias(float *x SHAPE(n, c), const float *b SHAPE(c), int n, int c);
float xent(const float *logits SHAPE(n, c), const int *labels SHAPE(n), int n,
           int c) SHAPE_LOSS(logits, labels);
int read_size(void);

enum { STEP = 3 };
#define ROWS 12
#define BATCH 8
#define TOTAL 20

void sizes(int n)
{
    float x[4][8], b[8];
    int rows = 0;
    while (rows < ROWS)
        rows++;
    bias(&x[0][0], b, rows, 8); // expected-error {{'&x[0][0]' has shape [4, 8] but parameter 'x' of 'bias' expects [n, c] = [12, 8] [shape-mismatch]}}
    // expected-note@31 {{'x' declared as an array of shape [4, 8]}}
    // expected-note@34 {{rows set to 12 here}}
    // expected-note@19 {{parameter 'x' of 'bias' declared with shape [n, c]}}
    int cols = 0;
    for (int j = 0; j < 2; j++)
        cols += STEP;
    bias(&x[0][0], b, 4, cols); // expected-error {{'&x[0][0]' has shape [4, 8] but parameter 'x' of 'bias' expects [n, c] = [4, 6] [shape-mismatch]}}
    // expected-note@31 {{'x' declared as an array of shape [4, 8]}}
    // expected-note@41 {{cols set to 6 here}}
    // expected-note@19 {{parameter 'x' of 'bias' declared with shape [n, c]}}
    int labels[3];
    for (int i = 1; i <= 4; i++)
        xent(&x[0][0], labels, i, 8); // expected-error {{'&x[0][0]' is [4, 8] but 'labels' is [3] in call to 'xent' [shape-batch-mismatch]}}
    // expected-warning@-1 {{'&x[0][0]' holds 4 rows but the loss reads 1: the rest are never used [shape-batch-extent]}}
    // expected-note@31 {{'x' declared as an array of shape [4, 8]}}
    // expected-note@46 {{'labels' declared as an array of shape [3]}}
    // expected-note@47 {{i set to 1 here}}
    // expected-note@31 {{'x' declared as an array of shape [4, 8]}}
    // expected-note@46 {{'labels' declared as an array of shape [3]}}
    // expected-note@47 {{i set to 4 here}}

    /* controls */
    int m = 0;
    for (int i = 0; i < n; i++)
        m += 2;
    bias(&x[0][0], b, m, 8);
    int p = read_size(), q = 0;
    for (int i = 0; i < 2; i++) {
        q = p;
        p = read_size();
    }
    bias(&x[0][0], b, q + 1, 8);
    bias(&x[0][0], b, p, 8);
    float tmp[BATCH][4];
    int tl[BATCH];
    for (int start = 0; start < TOTAL; start += BATCH) {
        int k = TOTAL - start < BATCH ? TOTAL - start : BATCH;
        xent(&tmp[0][0], tl, k, 4);
    }
}
