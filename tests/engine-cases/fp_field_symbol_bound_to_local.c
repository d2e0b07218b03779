/*
 * A free symbol in a field's SHAPE (llm.c's ActivationTensors: float*
 * probs SHAPE(B, T, Vp), no sibling B or T) is resolved to whatever
 * integer variable of that name is in scope where the field is used.
 * eval_head below has a local B = 16 that has nothing to do with how
 * many rows acts->out has, and gets "'acts->out' holds 16 rows but the
 * loss reads 8" with the note "'acts->out' declared with shape [B, 10],
 * B = 16".  acts->out may hold 8 rows: then the call is correct.
 *
 * SPEC 2: a field's annotation names a sibling field (rule 2), then a
 * macro or enum constant (rule 4), otherwise a free symbol (rule 5);
 * "an integer variable in scope" (rule 3) is for local and global
 * annotations, resolved where the annotation is written.  A free
 * symbol is never bound to the user's local by name.  (In llm.c this
 * happens to pick gpt2_forward's own B and T, which is why its
 * activation fields seem to work.)
 */
// expected-no-diagnostics
#include <stdlib.h>

#include "shapecheck.h"

float xent(const float *logits SHAPE(n, c), const int *labels SHAPE(n), int n,
           int c) SHAPE_LOSS(logits, labels);
int *alloc_labels(int n) RETURNS_SHAPE(n);

typedef struct acts {
    float *out SHAPE(B, 10); /* rows: a free symbol */
} acts_t;

float eval_head(const acts_t *acts)
{
    int B = 16; /* the number of heads evaluated, say */
    int *labels = alloc_labels(8);
    return xent(acts->out, labels, 8, 10) + (float)B;
}
