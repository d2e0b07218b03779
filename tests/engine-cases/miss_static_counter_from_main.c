/*
 * Issue 10, the oracle's "static-local" construct (recall 57%).  A
 * helper that counts with a static local (next_size: k += 3; return k)
 * gives its callers a different size at each call; which one depends on
 * how often it ran before, which no summary of the caller could say.
 * The program shows it: next_size runs only from run_once, which main
 * calls once, so at main's start k holds its initial value 1, run_once
 * is entered with k = 1, and a = 4, b = 7 on every run.  Likewise
 * check_rows, a helper that reads n rows only when n <= 4 (a requirement
 * on some paths, which a summary cannot carry), is called once, with 3.
 *
 * The controls stay silent: count_twice (called from two places, so
 * entered with two different k), hooked (its address is taken: anything
 * may call it, and so next_hooked, any number of times), and warm_up, a
 * constructor that runs next_id before main, so that main cannot know
 * next_id's counter.  external_hook, code nobody can see, cannot run
 * next_size (static, its address never taken), so k survives it.
 *
 * SPEC 4: labels too short for the rows the loss reads is
 * shape-batch-mismatch; docs/summaries.md, "What a single call site
 * knows".
 *
 *   shapecheck --verify tests/engine-cases/miss_static_counter_from_main.c
 */
#include "shapecheck.h"

float xent(const float *logits SHAPE(n, c), const int *labels SHAPE(n), int n,
           int c) SHAPE_LOSS(logits, labels);
float *alloc_rows(int n, int c) RETURNS_SHAPE(n, c);
int *alloc_labels(int n) RETURNS_SHAPE(n);
void external_hook(void); /* code nobody can see: cannot run next_size */

static int next_size(void)
{
    static int k = 1;
    k += 3;
    return k;
}

static void check_rows(int n)
{
    if (n > 4)
        return;
    float *x = alloc_rows(n, 8);
    xent(x, alloc_labels(2), n, 8); // expected-error {{'x' is [3, 8] but 'alloc_labels(2)' is [2] in call to 'xent' [shape-batch-mismatch]}}
    // expected-note@44 {{'x' has shape [3, 8], returned by 'alloc_rows', n = 3}}
    // expected-note@63 {{n set to 3 here}}
    // expected-note@45 {{'alloc_labels(2)' has shape [2], returned by 'alloc_labels'}}
}

static void run_once(void)
{
    int a = next_size();
    external_hook();
    int b = next_size();
    float *x = alloc_rows(a, 8);
    int *y = alloc_labels(b);
    xent(x, y, b, 8); // expected-error {{'x' is [4, 8] but 'y' is [7] in call to 'xent' [shape-batch-mismatch]}}
    // expected-note@56 {{'x' has shape [4, 8], returned by 'alloc_rows', a = 4}}
    // expected-note@53 {{a set to 4 here}}
    // expected-note@57 {{'y' has shape [7], returned by 'alloc_labels', b = 7}}
    // expected-note@55 {{b set to 7 here}}
    check_rows(3);
}

static int next_id(void)
{
    static int k = 1;
    return ++k;
}

static void count_twice(void)
{
    int a = next_id();
    float *x = alloc_rows(a, 8);
    xent(x, alloc_labels(8), 8, 8); /* k is 2 or 3 here, then more */
}

static int next_hooked(void)
{
    static int k = 1;
    return ++k;
}

static void hooked(void)
{
    int a = next_hooked();
    xent(alloc_rows(a, 8), alloc_labels(16), 16, 8);
}

void (*hook)(void) = hooked;

__attribute__((constructor)) static void warm_up(void)
{
    (void)next_id();
}

int main(void)
{
    run_once();
    count_twice();
    count_twice();
    return 0;
}
