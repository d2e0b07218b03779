/*
 * Both layers of shapecheck on one program, with one message.
 *
 * 1. Labels prepared for two batches: the checker reports it from the
 *    source, and sc_cross_entropy would refuse it at run time too.
 * 2. A data loader whose last batch is short: only the running program
 *    knows n, so only the runtime library can catch it, and it does, with
 *    the message the checker would have given.
 *
 * corpus.runtime.short_last_batch_rt.run checks the run-time messages.
 */
// link-libraries: shapecheck_rt
#include <stdio.h>

#include "shapecheck_rt.h"

#define BATCH 8
#define CLASSES 4
#define DATASET 20

static float logits_buf[BATCH * CLASSES];
static int32_t labels_buf[2 * BATCH];

/* Up to BATCH labels from START; fewer for the last batch. */
static int64_t load_labels(int32_t *out, int start)
{
    int64_t n = 0;
    while (n < BATCH && start + n < DATASET) {
        out[n] = (int32_t)((start + n) % CLASSES);
        n++;
    }
    return n;
}

int main(void)
{
    int64_t logits_shape[2], labels_shape[1];
    DLTensor logits = sc_tensor_f32_2d(logits_buf, logits_shape, BATCH, CLASSES);
    float loss = 0;

    DLTensor twice = sc_tensor_i32_1d(labels_buf, labels_shape, 2 * BATCH);
    if (sc_cross_entropy(&logits, &twice, &loss) != SC_OK) // expected-error {{'&logits' is [8, 4] but '&twice' is [16] in call to 'sc_cross_entropy'}}
        printf("run time: %s\n", sc_last_error());
    // expected-note@38 {{'logits' has shape [8, 4], returned by 'sc_tensor_f32_2d', BATCH = 8, CLASSES = 4}}
    // expected-note@17 {{BATCH defined as 8 here}}
    // expected-note@18 {{CLASSES defined as 4 here}}
    // expected-note@41 {{'twice' has shape [16], returned by 'sc_tensor_i32_1d'}}

    for (int start = 0; start < DATASET; start += BATCH) {
        int64_t n = load_labels(labels_buf, start);
        DLTensor labels = sc_tensor_i32_1d(labels_buf, labels_shape, n);
        if (sc_cross_entropy(&logits, &labels, &loss) != SC_OK)
            printf("step %d: %s\n", start / BATCH, sc_last_error());
        else
            printf("step %d: loss %.4f\n", start / BATCH, (double)loss);
    }
    return 0;
}
