/*
 * A helper that takes the network by (non-const) pointer and calls a
 * function defined nowhere in the program (a prebuilt library: a logger,
 * a BLAS) makes its callers forget the network's members, though the
 * external function is given only a float or ints and the network lives
 * on the caller's stack and never escapes:
 *
 * 1. run_report: report(&net), whose body is log_value(net->cost), makes
 *    run_report forget net.batch; the loss then gets the warning "'out'
 *    holds 64 rows but the loss reads net.batch" instead of the error.
 *    log_value(net.cost) called in run_report itself, or report taking a
 *    const pointer, keeps net.batch = 64 and the error is reported.
 * 2. run_after_alloc: after_alloc reads net->batch rows of its labels, but
 *    calls the external alloc_matrix(net->batch, 10) first, and its
 *    summary drops the requirement [net->batch] on 'truth'.  With
 *    alloc_matrix defined in the file, the requirement is kept and the
 *    call is an error.
 *
 * Seen from the callee alone an unknown function may write what the
 * parameters point to; the caller knows better (the object does not
 * escape; SPEC 3: a write changes only what it "may reach").  SPEC 4: 32
 * labels for 64 rows cannot hold on any execution.
 */
#include <stdlib.h>

#include "shapecheck.h"

float xent(const float *logits SHAPE(n, c), const int *labels SHAPE(n), int n,
           int c) SHAPE_LOSS(logits, labels);
float *alloc_matrix(int rows, int cols) RETURNS_SHAPE(rows, cols);
int *alloc_labels(int n) RETURNS_SHAPE(n);
void log_value(float v);

typedef struct network {
    int batch;
    float cost;
} network;

static void report(network *net)
{
    log_value(net->cost);
}

float run_report(void)
{
    network net = {0};
    net.batch = 64;
    int *truth = alloc_labels(32);
    float *out = alloc_matrix(64, 10);
    report(&net);
    return xent(out, truth, net.batch, 10); // expected-error {{'out' is [64, 10] but 'truth' is [32] in call to 'xent' [shape-batch-mismatch]}}
    // expected-note@49 {{'out' has shape [64, 10], returned by 'alloc_matrix'}}
    // expected-note@48 {{'truth' has shape [32], returned by 'alloc_labels'}}
    // expected-note@47 {{net.batch set to 64 here}}
}

static float after_alloc(network *net, const int *truth)
{
    float *out = alloc_matrix(net->batch, 10);
    return xent(out, truth, net->batch, 10);
}

float run_after_alloc(void)
{
    network net = {0};
    net.batch = 64;
    int *truth = alloc_labels(32);
    return after_alloc(&net, truth); // expected-error {{'truth' has shape [32] but parameter 'truth' of 'after_alloc' expects [net->batch] = [64] [shape-mismatch]}}
    // expected-note@67 {{'truth' has shape [32], returned by 'alloc_labels'}}
    // expected-note@60 {{'after_alloc' passes its parameter 'truth' to 'xent', which needs shape [net->batch]}}
}
