/*
 * Everything after a loop that counts down is lost, in the function and
 * in all its callers.  In after_loop the call after
 * for (int i = 9; i > 0; i--) is silent; a call before the loop, or
 * inside it, is reported.  while (k > 0) k--; does the same.  In
 * caller, shuffle() (random_permutation's loop in llm.c's llmc/rand.h,
 * reached from dataloader_init -> dataloader_reset) makes the rest of
 * the caller silent as well, though shuffle writes only through its
 * int* parameter and cannot touch B, T or gen; with the loop counting
 * up (for (int i = 1; i < n; i++)) both findings are reported.
 *
 * It looks as if the exit test (i > 0 false, i.e. i <= 0) were judged
 * impossible once the counter is a symbol, symbols being >= 1 (SPEC 2):
 * the loop never exits, the code after it is unreachable, the callee
 * never returns.  Loop counters are values, not sizes.
 *
 * This one hides every llm.c seed (tests/engine-cases/README.md): main
 * calls dataloader_init, which reaches random_permutation, and
 * gpt2_backward counts its layers down (for (int l = L-1; l >= 0; l--)).
 * darknet counts layers down in backward_network too.
 */
#include <stdlib.h>

#include "shapecheck.h"

void use(int *x SHAPE(B, T), int B, int T);

int after_loop(int *idx)
{
    int B = 4, T = 64;
    SHAPE(B, T) int *gen = malloc(sizeof(int) * 256);
    for (int i = 9; i > 0; i--)
        idx[i] = i;
    use(gen, 2 * B, T); // expected-error {{'gen' has shape [4, 64] but parameter 'x' of 'use' expects [B, T] = [8, 64] [shape-mismatch]}}
    // expected-note@31 {{'gen' declared with shape [B, T], B = 4, T = 64}}
    // expected-note@30 {{B set to 4 here}}
    // expected-note@30 {{T set to 64 here}}
    // expected-note@26 {{parameter 'x' of 'use' declared with shape [B, T]}}
    free(gen);
    return 0;
}

static void shuffle(int *data, int n)
{
    for (int i = n - 1; i > 0; i--) {
        int j = (i * 7) % (i + 1);
        int tmp = data[i];
        data[i] = data[j];
        data[j] = tmp;
    }
}

int caller(int *idx)
{
    int B = 4, T = 64;
    SHAPE(B, T) int *gen = malloc(sizeof(int) * 256);
    shuffle(idx, 10);
    use(gen, 2 * B, T); // expected-error {{'gen' has shape [4, 64] but parameter 'x' of 'use' expects [B, T] = [8, 64] [shape-mismatch]}}
    // expected-note@56 {{'gen' declared with shape [B, T], B = 4, T = 64}}
    // expected-note@55 {{B set to 4 here}}
    // expected-note@55 {{T set to 64 here}}
    // expected-note@26 {{parameter 'x' of 'use' declared with shape [B, T]}}
    free(gen);
    return 0;
}
