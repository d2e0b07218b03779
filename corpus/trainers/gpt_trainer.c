/*
 * A GPT-style training step whose targets were loaded for twice the batch.
 * B, T and V travel in a GPTConfig; the loss helper's body tells shapecheck
 * that its logits are [B*T, V] and its targets [B*T].  The loss reads the
 * first B*T targets of 2*B*T: no overrun, but half the targets are never
 * used, so shapecheck warns (shape-batch-extent).  gpt_short_targets.c is
 * the same step with too few targets: an error.
 */
#include <stdio.h>

#include "gpt_common.h"

int main(void)
{
    GPTConfig cfg = {.B = 2, .T = 8, .V = 16, .C = 4};
    GPT model;
    if (!gpt_build(&model, &cfg))
        return 1;
    float *logits = alloc_matrix(cfg.B * cfg.T, cfg.V);
    int *inputs = load_tokens(&cfg, cfg.B, 0);
    /* Bug: the loader was asked for 2*B rows of targets. */
    int *targets = load_tokens(&cfg, 2 * cfg.B, 1);
    if (!logits || !inputs || !targets)
        return 1;
    gpt_forward(&model, &cfg, logits, inputs);
    float loss = gpt_loss(&cfg, logits, targets); // expected-warning {{'targets' holds 32 rows but the loss reads 16: the rest are never used [shape-batch-extent]}}
    // expected-note@19 {{'logits' has shape [16, 16], returned by 'alloc_matrix', cfg.V = 16}}
    // expected-note@15 {{cfg.V set to 16 here}}
    // expected-note@22 {{'targets' has shape [32], returned by 'load_tokens', cfg.B = 2}}
    // expected-note@15 {{cfg.B set to 2 here}}
    printf("loss %.4f\n", (double)loss);
    return 0;
}
