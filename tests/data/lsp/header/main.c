/* Input of test_lsp.c: includes a header that has a finding of its own. */
#include "kernels.h"

float train(void)
{
    return header_loss();
}
