/*
 * A GPT-style training step whose targets were loaded for half the batch
 * (an evaluation batch size passed to the wrong loader).  B, T and V travel
 * in a GPTConfig; the loss helper's body tells shapecheck that its logits
 * are [B*T, V] and its targets [B*T], so the loss reads B*T targets where
 * B*T/2 were loaded: an error, found through two summaries.
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
    /* Bug: the loader was asked for B/2 rows of targets. */
    int *targets = load_tokens(&cfg, cfg.B / 2, 1);
    if (!logits || !inputs || !targets)
        return 1;
    gpt_forward(&model, &cfg, logits, inputs);
    float loss = gpt_loss(&cfg, logits, targets); // expected-error {{logits and labels must have the same first dimension: 'logits' is [16, 16] but 'targets' is [8] in call to 'gpt_loss' [shape-batch-mismatch]}}
    // expected-note@18 {{'logits' has shape [16, 16], returned by 'alloc_matrix', cfg.V = 16}}
    // expected-note@14 {{cfg.V set to 16 here}}
    // expected-note@21 {{'targets' has shape [8], returned by 'load_tokens', cfg.B = 2}}
    // expected-note@14 {{cfg.B set to 2 here}}
    printf("loss %.4f\n", (double)loss);
    return 0;
}
