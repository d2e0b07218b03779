/* How findings are judged: the `finding=RULE` markers stand for the
   checker's report (the self-test does not run the checker), `class=` is
   what the harness must make of the line: fp (a false positive), found, miss
   or none.  Sizes from argv: the first run has 4, the second 8. */
// oracle-inputs: 4 | 8
#include <stddef.h>

#include "shapecheck.h"
#include "oracle_rt.h"

float ce(const float *logits SHAPE(n, c), const int *labels SHAPE(n), int n, int c) SHAPE_LOSS(logits, labels);
void relu(float *x SHAPE(n), int n);

static void helper(float *x, int n)
{
    /* Mismatches on every run (through helper(x, 9) below), though it
       matches through helper(x, 6): a finding here is no false positive. */
    oracle_at(__LINE__); relu(x, n); // @site inner - finding=shape-mismatch class=none
}

static void never(float *x)
{
    oracle_at(__LINE__); relu(x, 100); // @site call - finding=shape-mismatch class=none
}

int main(int argc, char **argv)
{
    int a = oracle_arg(argc, argv, 1, 4);
    float *x = oracle_alloc(sizeof(float), 1, 6L);
    float *logits = oracle_alloc(sizeof(float), 2, 6L, 3L);
    int *labels = oracle_alloc(sizeof(int), 1, 6L);
    int *labels_a = oracle_alloc(sizeof(int), 1, (long)a);
    int *labels8 = oracle_alloc(sizeof(int), 1, 8L);
    oracle_at(__LINE__); relu(x, 6); // @site call - expect=match finding=shape-mismatch class=fp
    oracle_at(__LINE__); relu(x, 7); // @site call - expect=mismatch finding=shape-mismatch class=found
    oracle_at(__LINE__); relu(x, 12); // @site call - expect=mismatch class=miss
    oracle_at(__LINE__); relu(x, a); // @site call - expect=varies finding=shape-mismatch class=fp
    oracle_at(__LINE__); relu(x, 2 * a); // @site call - expect=mismatch class=miss
    oracle_at(__LINE__); ce(logits, labels, 4, 3); // @site call loss expect=match finding=shape-batch-extent class=fp
    oracle_at(__LINE__); ce(logits, labels_a, 4, 3); // @site call loss expect=match extent=differs class=none
    oracle_at(__LINE__); ce(logits, labels8, 4, 3); // @site call loss expect=match finding=shape-batch-extent class=extent
    oracle_at(__LINE__); ce(logits, labels8, 6 < 8 ? 6 : 8, 3); // @site call loss,clamp-both expect=match finding=shape-batch-extent class=fp
    oracle_at(__LINE__); ce(logits, labels8, 4 < a ? 4 : a, 3); // @site call loss,clamp expect=match finding=shape-batch-extent class=extent
    oracle_at(__LINE__); ce(logits, labels, 6, 3); // @site call loss expect=match finding=shape-batch-mismatch class=fp
    oracle_at(__LINE__); ce(logits, labels8, 8, 3); // @site call loss expect=mismatch finding=shape-batch-mismatch class=found
    /* The first trip reads 12 of 6 on every run; the second matches: the
       call mismatches on every run, at one execution. */
    for (int i = 1; i <= 2; i++) {
        oracle_at(__LINE__); relu(x, 12 / i); // @site call loop expect=varies finding=shape-mismatch class=found
    }
    oracle_enter(__LINE__); helper(x, 6); oracle_leave(); // @site helper helper expect=match finding=shape-mismatch class=fp
    oracle_enter(__LINE__); helper(x, 9); oracle_leave(); // @site helper helper expect=mismatch class=miss
    if (a > 100)
        never(x);
    int unused = 0; // selftest finding=shape-mismatch class=fp
    (void)unused;
    return 0;
}
