/*
 * darknet_net_ok.c with each loop's labels allocated for the other loop's
 * batch.  Training: net->batch = 64 (set directly), truth holds
 * VAL_BATCH = 100 labels; the loss reads 64 of them, legal C, but 36 are
 * never used: a warning at each loss.  Validation: net->batch = 100 (set
 * by the init function build_network), truth holds BATCH = 64: too short
 * for the rows the loader fills and the loss reads, errors.  Every
 * finding is inside a loop whose calls take the network by pointer and
 * never write its batch.
 *
 * Fails until the engine handles tests/engine-cases/
 * miss_heap_sibling_fields.c, miss_heap_callee_field_store.c and
 * miss_init_returns_heap_struct.c (today: silent; with the network on the
 * stack every finding is reported).
 */
#include <stdio.h>
#include <stdlib.h>

#include "tinyml.h"

#define INPUTS 12
#define HIDDEN 16
#define CLASSES 5
#define BATCH 64
#define VAL_BATCH 100
#define STEPS 6
#define LEARNING_RATE 0.2f

typedef struct layer {
    int batch, inputs, outputs;
    float *weights SHAPE(inputs, outputs);
    float *output SHAPE(batch, outputs);
    float *delta SHAPE(batch, outputs);
} layer;

typedef struct network {
    int n;     /* layers */
    int batch; /* rows per forward pass */
    int inputs, outputs;
    layer *layers;
    float *input SHAPE(batch, inputs);
    float *output SHAPE(batch, outputs); /* the last layer's output */
    float cost;
} network;

static int *alloc_labels(int n) RETURNS_SHAPE(n);

static int *alloc_labels(int n)
{
    return calloc((size_t)n, sizeof(int));
}

static network *make_network(int n)
{
    network *net = calloc(1, sizeof(network));
    if (!net)
        return NULL;
    net->n = n;
    net->layers = calloc((size_t)n, sizeof(layer));
    return net;
}

static layer make_connected_layer(int batch, int inputs, int outputs,
                                  unsigned seed)
{
    layer l = {0};
    l.batch = batch;
    l.inputs = inputs;
    l.outputs = outputs;
    l.weights = alloc_matrix(inputs, outputs);
    l.output = alloc_matrix(batch, outputs);
    l.delta = alloc_matrix(batch, outputs);
    if (l.weights)
        fill_random(l.weights, inputs * outputs, seed);
    return l;
}

/* Two connected layers, relu between them; input and output buffers for
   net->batch rows. */
static void build_layers(network *net)
{
    net->inputs = INPUTS;
    net->outputs = CLASSES;
    net->layers[0] = make_connected_layer(net->batch, INPUTS, HIDDEN, 1);
    net->layers[1] = make_connected_layer(net->batch, HIDDEN, CLASSES, 2);
    net->input = alloc_matrix(net->batch, INPUTS);
}

/* The init function: a whole network for BATCH rows a pass. */
static network *build_network(int batch)
{
    network *net = make_network(2);
    if (!net || !net->layers)
        return NULL; /* (leaks a half-made network: out of memory) */
    net->batch = batch;
    build_layers(net);
    return net;
}

static void forward_network(network *net)
{
    const float *in = net->input;
    for (int i = 0; i < net->n; i++) {
        layer *l = &net->layers[i];
        matmul(l->output, in, l->weights, net->batch, l->inputs, l->outputs);
        if (i < net->n - 1)
            for (int k = 0; k < net->batch * l->outputs; k++)
                l->output[k] = l->output[k] > 0 ? l->output[k] : 0;
        in = l->output;
    }
    net->output = net->layers[net->n - 1].output;
}

/* The loss's gradient into the last layer's delta: softmax - onehot. */
static void softmax_delta(float *delta SHAPE(n, c),
                          const float *output SHAPE(n, c),
                          const int *truth SHAPE(n), int n, int c)
    SHAPE_LOSS(output, truth);

static void softmax_delta(float *delta, const float *output,
                          const int *truth, int n, int c)
{
    for (int i = 0; i < n; i++) {
        const float *row = output + (size_t)i * c;
        float max = row[0], sum = 0;
        for (int j = 1; j < c; j++)
            max = row[j] > max ? row[j] : max;
        for (int j = 0; j < c; j++)
            sum += expf(row[j] - max);
        for (int j = 0; j < c; j++)
            delta[(size_t)i * c + j] =
                (expf(row[j] - max) / sum - (j == truth[i])) / (float)n;
    }
}

/* Deltas from the last layer down: delta_{i-1} = delta_i . w_i^T, masked
   by relu. */
static void backward_network(network *net)
{
    for (int i = net->n - 1; i > 0; i--) {
        layer *l = &net->layers[i], *prev = &net->layers[i - 1];
        for (int r = 0; r < net->batch; r++)
            for (int p = 0; p < l->inputs; p++) {
                float acc = 0;
                for (int j = 0; j < l->outputs; j++)
                    acc += l->delta[(size_t)r * l->outputs + j] *
                           l->weights[(size_t)p * l->outputs + j];
                size_t k = (size_t)r * prev->outputs + p;
                prev->delta[k] = prev->output[k] > 0 ? acc : 0;
            }
    }
}

/* w_i -= lr * input_i^T . delta_i */
static void update_network(network *net)
{
    const float *in = net->input;
    for (int i = 0; i < net->n; i++) {
        layer *l = &net->layers[i];
        for (int p = 0; p < l->inputs; p++)
            for (int j = 0; j < l->outputs; j++) {
                float acc = 0;
                for (int r = 0; r < net->batch; r++)
                    acc += in[(size_t)r * l->inputs + p] *
                           l->delta[(size_t)r * l->outputs + j];
                l->weights[(size_t)p * l->outputs + j] -= LEARNING_RATE * acc;
            }
        in = l->output;
    }
}

/* n rows of a synthetic task from sample `first` on. */
static void load_batch(float *x SHAPE(n, INPUTS), int *y SHAPE(n), int n,
                       int first)
{
    for (int i = 0; i < n; i++) {
        int s = first + i;
        y[i] = s % CLASSES;
        fill_random(x + (size_t)i * INPUTS, INPUTS, (unsigned)s);
        x[(size_t)i * INPUTS + y[i]] += 1.0f;
    }
}

static void free_network(network *net)
{
    for (int i = 0; i < net->n; i++) {
        free(net->layers[i].weights);
        free(net->layers[i].output);
        free(net->layers[i].delta);
    }
    free(net->layers);
    free(net->input);
    free(net);
}

/* Batch set directly, as darknet's cfg parser does. */
static int train_classifier(void)
{
    network *net = make_network(2);
    if (!net || !net->layers)
        return 1;
    net->batch = BATCH;
    build_layers(net);
    int *truth = alloc_labels(VAL_BATCH);
    if (!net->input || !truth)
        return 1;
    for (int i = 0; i < STEPS; i++) {
        load_batch(net->input, truth, net->batch, i * net->batch);
        forward_network(net);
        float err = cross_entropy(net->output, truth, net->batch, CLASSES); // expected-warning {{'truth' holds 100 rows but the loss reads 64: the rest are never used [shape-batch-extent]}}
        // expected-note@42 {{'net->output' declared with shape [batch, outputs], net->batch = 64, net->outputs = 5}}
        // expected-note@202 {{net->batch set to 64 here}}
        // expected-note@24 {{BATCH defined as 64 here}}
        // expected-note@203 {{net->outputs set to 5 here}}
        // expected-note@204 {{'truth' has shape [100], returned by 'alloc_labels', VAL_BATCH = 100}}
        // expected-note@25 {{VAL_BATCH defined as 100 here}}
        // expected-note@23 {{CLASSES defined as 5 here}}
        softmax_delta(net->layers[1].delta, net->output, truth, net->batch, // expected-warning {{'truth' holds 100 rows but the loss reads 64: the rest are never used [shape-batch-extent]}}
                      CLASSES);
        // expected-note@42 {{'net->output' declared with shape [batch, outputs], net->batch = 64, net->outputs = 5}}
        // expected-note@202 {{net->batch set to 64 here}}
        // expected-note@24 {{BATCH defined as 64 here}}
        // expected-note@203 {{net->outputs set to 5 here}}
        // expected-note@204 {{'truth' has shape [100], returned by 'alloc_labels', VAL_BATCH = 100}}
        // expected-note@25 {{VAL_BATCH defined as 100 here}}
        // expected-note@23 {{CLASSES defined as 5 here}}
        backward_network(net);
        update_network(net);
        printf("step %d: loss %.4f\n", i, (double)err);
    }
    free(truth);
    free_network(net);
    return 0;
}

/* Batch set by an init function. */
static int validate_classifier(void)
{
    network *net = build_network(VAL_BATCH);
    int *truth = alloc_labels(BATCH);
    if (!net || !net->input || !truth)
        return 1;
    float total = 0;
    for (int i = 0; i < 2; i++) {
        load_batch(net->input, truth, net->batch, 100000 + i * net->batch); // expected-error {{'truth' has shape [64] but parameter 'y' of 'load_batch' expects [n] = [100] [shape-mismatch]}}
        // expected-note@240 {{'truth' has shape [64], returned by 'alloc_labels', BATCH = 64}}
        // expected-note@24 {{BATCH defined as 64 here}}
        // expected-note@239 {{net->batch set to 100 here}}
        // expected-note@25 {{VAL_BATCH defined as 100 here}}
        // expected-note@173 {{parameter 'y' of 'load_batch' declared with shape [n]}}
        forward_network(net);
        total += cross_entropy(net->output, truth, net->batch, CLASSES); // expected-error {{logits and labels must have the same first dimension: 'net->output' is [100, 5] but 'truth' is [64] in call to 'cross_entropy' [shape-batch-mismatch]}}
        // expected-note@42 {{'net->output' declared with shape [batch, outputs], net->batch = 100, net->outputs = 5}}
        // expected-note@239 {{net->batch set to 100 here}}
        // expected-note@25 {{VAL_BATCH defined as 100 here}}
        // expected-note@239 {{net->outputs set to 5 here}}
        // expected-note@23 {{CLASSES defined as 5 here}}
        // expected-note@240 {{'truth' has shape [64], returned by 'alloc_labels', BATCH = 64}}
        // expected-note@24 {{BATCH defined as 64 here}}
    }
    printf("validation loss %.4f\n", (double)(total / 2));
    free(truth);
    free_network(net);
    return 0;
}

int main(void)
{
    return train_classifier() || validate_classifier();
}
