/*
 * A begin comment with no end is a shapecheck-nolint error (clang-tidy's
 * clang-tidy-nolint), and while a file has one, none of its begin-end
 * blocks suppresses anything: not even a well-formed one.  Comments for one
 * line still do.  (The directive words count in any comment, so this text
 * names them in lower case.)
 */
#include <stdio.h>

#include "tinyml.h"

int main(void)
{
    static float logits[4][3];
    static int labels[2];
    float total = 0;
    // expected-note@14 {{'logits' declared as an array of shape [4, 3]}} {{'logits' declared as an array of shape [4, 3]}}
    // expected-note@15 {{'labels' declared as an array of shape [2]}} {{'labels' declared as an array of shape [2]}}

    // NOLINTBEGIN(shape-batch-mismatch)
    // expected-error@+1 {{'&logits[0][0]' is [4, 3] but 'labels' is [2] in call to 'cross_entropy' [shape-batch-mismatch]}}
    total += cross_entropy(&logits[0][0], labels, 4, 3);
    // NOLINTEND(shape-batch-mismatch)

    // expected-error@+1 {{comment without a subsequent}}
    // NOLINTBEGIN(shape-*)
    // expected-error@+1 {{'&logits[0][0]' is [4, 3] but 'labels' is [2] in call to 'cross_entropy' [shape-batch-mismatch]}}
    total += cross_entropy(&logits[0][0], labels, 4, 3);
    total += cross_entropy(&logits[0][0], labels, 4, 3); // NOLINT(shape-batch-mismatch)
    // NOLINTNEXTLINE
    total += cross_entropy(&logits[0][0], labels, 4, 3);

    printf("%f\n", (double)total);
    return 0;
}
