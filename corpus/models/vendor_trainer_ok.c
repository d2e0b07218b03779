/* The fix for vendor_trainer.c, checked with the same models. */
// expected-no-diagnostics
// shapecheck-options: --models @CORPUS@/models/vendor_models.h
// compiler-options: -isystem @CORPUS@/models/vendor
// extra-sources: models/vendor/vendor_loss.c
#include <stdio.h>
#include <vendor_loss.h>

#include "tinyml.h"

#define BATCH 8
#define CLASSES 5

int main(void)
{
    static float logits[BATCH][CLASSES];
    static int labels[BATCH];
    float loss = vendor_softmax_xent(&logits[0][0], labels, BATCH, CLASSES);
    printf("loss %.4f\n", (double)loss);
    return 0;
}
