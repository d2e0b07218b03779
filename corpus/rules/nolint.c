/*
 * Suppression comments (docs/suppressing.md), end to end: every call below
 * is a finding, and the comments take away the ones they cover.  A finding
 * whose comment names other rules, or that a comment only seems to cover,
 * is still reported.  (The directive words count in any comment, so this
 * text names them in lower case; an unmatched begin is in
 * nolint_unmatched.c.)
 */
#include <stdio.h>

#include "tinyml.h"

static void fill_rows(float *buf SHAPE(n, 4), int n)
{
    for (int i = 0; i < n * 4; i++)
        buf[i] = 0;
}

int main(void)
{
    static float logits[8][10];
    static int labels[4];
    static float wide[8][5];
    float total = 0;
    /* Each finding reported below points back to its arrays: */
    // expected-note@21 {{'logits' declared as an array of shape [8, 10]}} {{'logits' declared as an array of shape [8, 10]}}
    // expected-note@21 {{'logits' declared as an array of shape [8, 10]}} {{'logits' declared as an array of shape [8, 10]}}
    // expected-note@21 {{'logits' declared as an array of shape [8, 10]}} {{'logits' declared as an array of shape [8, 10]}}
    // expected-note@21 {{'logits' declared as an array of shape [8, 10]}} {{'logits' declared as an array of shape [8, 10]}}
    // expected-note@22 {{'labels' declared as an array of shape [4]}} {{'labels' declared as an array of shape [4]}}
    // expected-note@22 {{'labels' declared as an array of shape [4]}} {{'labels' declared as an array of shape [4]}}
    // expected-note@22 {{'labels' declared as an array of shape [4]}} {{'labels' declared as an array of shape [4]}}
    // expected-note@22 {{'labels' declared as an array of shape [4]}} {{'labels' declared as an array of shape [4]}}
    // expected-note@23 {{'wide' declared as an array of shape [8, 5]}}
    // expected-note@13 {{parameter 'buf' of 'fill_rows' declared with shape [n, 4]}}

    /* On the finding's line: every rule, or the rules listed. */
    total += cross_entropy(&logits[0][0], labels, 8, 10); // NOLINT
    total += cross_entropy(&logits[0][0], labels, 8, 10); // NOLINT(shape-batch-mismatch): padded on purpose
    total += cross_entropy(&logits[0][0], labels, 8, 10); // NOLINT(shape-*)
    total += cross_entropy(&logits[0][0], labels, 8, 10); /* NOLINT( shape-mismatch , shape-batch-mismatch ) */

    /* Lists that leave the rule out: still reported. */
    // expected-error@+1 {{'&logits[0][0]' is [8, 10] but 'labels' is [4] in call to 'cross_entropy' [shape-batch-mismatch]}}
    total += cross_entropy(&logits[0][0], labels, 8, 10); // NOLINT(shape-mismatch)
    // expected-error@+1 {{'&logits[0][0]' is [8, 10] but 'labels' is [4] in call to 'cross_entropy' [shape-batch-mismatch]}}
    total += cross_entropy(&logits[0][0], labels, 8, 10); // NOLINT(shape-*,-shape-batch-mismatch)
    // expected-error@+1 {{'&logits[0][0]' is [8, 10] but 'labels' is [4] in call to 'cross_entropy' [shape-batch-mismatch]}}
    total += cross_entropy(&logits[0][0], labels, 8, 10); // NOLINT()

    /* Not directives: lower case, a longer word, the word in a string. */
    // expected-error@+1 {{'&logits[0][0]' is [8, 10] but 'labels' is [4] in call to 'cross_entropy' [shape-batch-mismatch]}}
    total += cross_entropy(&logits[0][0], labels, 8, 10); // nolint
    // expected-error@+1 {{'&logits[0][0]' is [8, 10] but 'labels' is [4] in call to 'cross_entropy' [shape-batch-mismatch]}}
    total += cross_entropy(&logits[0][0], labels, 8, 10); // NOLINTS are not a thing
    // expected-error@+1 {{'&logits[0][0]' is [8, 10] but 'labels' is [4] in call to 'cross_entropy' [shape-batch-mismatch]}}
    total += cross_entropy(&logits[0][0], labels, 8, 10) * (puts("// NOLINT") > 0);

    /* The next line only. */
    // NOLINTNEXTLINE(shape-batch-mismatch)
    total += cross_entropy(&logits[0][0], labels, 8, 10);
    // NOLINTNEXTLINE(shape-mismatch)
    fill_rows(&wide[0][0], 8);
    // NOLINTNEXTLINE(shape-mismatch)
    // expected-error@+1 {{'&logits[0][0]' is [8, 10] but 'labels' is [4] in call to 'cross_entropy' [shape-batch-mismatch]}}
    total += cross_entropy(&logits[0][0], labels, 8, 10);

    /* Every line of a begin-end block, for the rules listed; blocks nest. */
    // NOLINTBEGIN(shape-mismatch)
    fill_rows(&wide[0][0], 8);
    // expected-error@+1 {{'&logits[0][0]' is [8, 10] but 'labels' is [4] in call to 'cross_entropy' [shape-batch-mismatch]}}
    total += cross_entropy(&logits[0][0], labels, 8, 10);
    // NOLINTBEGIN
    total += cross_entropy(&logits[0][0], labels, 8, 10);
    // NOLINTEND
    fill_rows(&wide[0][0], 8);
    // NOLINTEND(shape-mismatch)
    // expected-error@+1 {{'&wide[0][0]' has shape [8, 5] but parameter 'buf' of 'fill_rows' expects [n, 4] = [8, 4] [shape-mismatch]}}
    fill_rows(&wide[0][0], 8);

    printf("%f\n", (double)total);
    return 0;
}
