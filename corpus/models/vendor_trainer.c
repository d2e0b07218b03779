/*
 * A loss from a library that cannot be annotated: --models gives the checker
 * annotated redeclarations of it, and the batch mismatch is found.
 */
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
    static int labels[BATCH / 2];
    float loss = vendor_softmax_xent(&logits[0][0], labels, BATCH, CLASSES); // expected-error {{'&logits[0][0]' is [8, 5] but 'labels' is [4] in call to 'vendor_softmax_xent'}}
    // expected-note@18 {{'logits' declared as an array of shape [BATCH, CLASSES], BATCH = 8, CLASSES = 5}}
    // expected-note@13 {{BATCH defined as 8 here}}
    // expected-note@14 {{CLASSES defined as 5 here}}
    // expected-note@19 {{'labels' declared as an array of shape [BATCH / 2], BATCH = 8}}
    printf("loss %.4f\n", (double)loss);
    return 0;
}
