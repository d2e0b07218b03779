// expected-no-diagnostics
#include <stdio.h>
#include <stdlib.h>

#include "net.h"

int main(int argc, char **argv)
{
    int batch = argc > 1 ? atoi(argv[1]) : 8;
    if (batch < 1 || batch > 1024)
        batch = 8;
    float *x = calloc((size_t)batch * IN, sizeof(float));
    net_init(7);
    float *logits = x ? net_forward(x, batch) : NULL;
    int *labels = load_labels(batch, 3);
    if (!logits || !labels)
        return 1;
    printf("loss %.4f\n", (double)batch_loss(logits, labels, batch));
    free(labels);
    free(logits);
    free(x);
    return 0;
}
