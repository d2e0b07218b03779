/*
 * The batch size is born from the command line, carried through
 * net_forward() (net.c) and load_labels() (data.c) by way of an unannotated
 * header, and meets half of itself at batch_loss() (loss.c).
 */
#include <stdio.h>
#include <stdlib.h>

#include "net.h"

int main(int argc, char **argv)
{
    int batch = argc > 1 ? atoi(argv[1]) : 8;
    float *x = calloc((size_t)batch * IN, sizeof(float));
    net_init(7);
    float *logits = net_forward(x, batch);
    /* Bug: labels for half a batch. */
    int *labels = load_labels(batch / 2, 3);
    if (!logits || !labels)
        return 1;
    printf("loss %.4f\n", (double)batch_loss(logits, labels, batch)); // expected-error {{'logits' is [batch, 4] but 'labels' is [batch/2] in call to 'batch_loss'}}
    // expected-note@16 {{'logits' has shape [batch, 4], returned by 'net_forward'}}
    // expected-note@18 {{'labels' has shape [batch/2], returned by 'load_labels'}}
    free(labels);
    free(logits);
    free(x);
    return 0;
}
