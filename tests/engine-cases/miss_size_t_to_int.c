/*
 * llm.c's gpt2_forward and gpt2_backward hold B and T in size_t and pass
 * them to kernels whose parameters are int (encoder_forward(...,
 * int B, int T, int C)).  A symbolic size_t converted to int becomes
 * unknown, so T - 1 and T + 1 against a [B, T] buffer are never
 * reported: seeds "T-1 to the encoder", "T+1 to the backward" and "B+1 to
 * the loss" of the llm.c run are all missed for this reason alone (with
 * int B, T they are found).  With int B, T (or a size_t parameter in
 * the callee, or constants) the same calls are errors.
 *
 * int(T + 1) cannot equal T for any T >= 1, with or without
 * wrap-around; docs/rules.md assumes symbolic sizes do not overflow
 * their C type.  SPEC 4: B vs B+1 cannot match.
 */
#include <stddef.h>

#include "shapecheck.h"

void encoder(int *inp SHAPE(B, T), int B, int T);

void forward(int *inputs SHAPE(B, T), size_t B, size_t T)
{
    encoder(inputs, B, T - 1); // expected-error {{'inputs' has shape [B, T] but parameter 'inp' of 'encoder' expects [B, T] = [B, T - 1] [shape-mismatch]}}
    // expected-note@21 {{'inputs' declared with shape [B, T]}}
    // expected-note@19 {{parameter 'inp' of 'encoder' declared with shape [B, T]}}
}

void backward(int *targets SHAPE(B, T), size_t B, size_t T)
{
    encoder(targets, (int)B + 1, (int)T); // expected-error {{'targets' has shape [B, T] but parameter 'inp' of 'encoder' expects [B, T] = [B + 1, T] [shape-mismatch]}}
    // expected-note@28 {{'targets' declared with shape [B, T]}}
    // expected-note@19 {{parameter 'inp' of 'encoder' declared with shape [B, T]}}
}
