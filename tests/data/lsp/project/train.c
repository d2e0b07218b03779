/* Input of test_lsp_project.c: 'logits' holds ROWS rows (net.c says so),
   the loss reads BATCH. */
#include "net.h"

int main(void)
{
    static int labels[BATCH];
    float *logits = forward(ROWS);
    return cross_entropy(logits, labels, BATCH, CLASSES) > 0;
}
