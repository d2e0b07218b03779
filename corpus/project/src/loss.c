#include <math.h>

#include "kernels.h"
#include "net.h"

float softmax_xent(const float *logits, const int *labels, int n, int c)
{
    double total = 0;
    for (int i = 0; i < n; i++) {
        const float *row = logits + i * c;
        float max = row[0];
        for (int j = 1; j < c; j++)
            max = row[j] > max ? row[j] : max;
        double sum = 0;
        for (int j = 0; j < c; j++)
            sum += exp(row[j] - max);
        total += log(sum) + max - row[labels[i]];
    }
    return (float)(total / n);
}

/* A loss in all but name: both go to softmax_xent. */
float batch_loss(const float *logits, const int *labels, int n)
{
    return softmax_xent(logits, labels, n, CLASSES); // expected-note {{'batch_loss' passes 'logits' and 'labels' to the loss 'softmax_xent' here}}
}
