/*
 * A summary that relies on its caller's memory being private (the body
 * calls code nobody can see, which could have reached the loader had the
 * caller shared it) was trusted only when every pointer argument was
 * private.  A string literal points to memory the checker does not model,
 * so `loader_init(&train, "train", 64)` made the checker forget the loader
 * altogether.  The summary now says which parameters it relies on
 * (private_params): only the loader must be private.
 */
#include "shapecheck.h"

typedef struct {
    int B;
} loader;

void log_name(const char *name); /* code nobody can see */
float xent(const float *logits SHAPE(n, c), const int *labels SHAPE(n), int n,
           int c) SHAPE_LOSS(logits, labels);

void loader_init(loader *l, const char *name, int B)
{
    l->B = B;
    log_name(name);
}

float step(const float *logits SHAPE(32, 10))
{
    int labels[64] = {0};
    loader train;
    loader_init(&train, "train", 64);
    return xent(logits, labels, train.B, 10); // expected-error {{logits and labels must have the same first dimension}}
    // expected-note@26 {{'logits' declared with shape [32, 10]}}
    // expected-note@28 {{'labels' declared as an array of shape [64]}}
    // expected-note@30 {{train.B set to 64 here}}
}
