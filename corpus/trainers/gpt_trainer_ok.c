/* The fix for gpt_trainer.c: targets for B rows. */
// expected-no-diagnostics
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
    int *targets = load_tokens(&cfg, cfg.B, 1);
    if (!logits || !inputs || !targets)
        return 1;
    for (int step = 0; step < 3; step++) {
        gpt_forward(&model, &cfg, logits, inputs);
        float loss = gpt_loss(&cfg, logits, targets);
        printf("step %d: loss %.4f\n", step, (double)loss);
    }
    free(targets);
    free(inputs);
    free(logits);
    free(model.wout);
    free(model.wte);
    return 0;
}
