/*
 * The other side of fp_branch_on_unknown_int.c: an integer the checker
 * does not know is taken to be >= 1 when a branch is decided, so the
 * error-return idiom makes the rest of a function unreachable, and a
 * function that always takes it "never returns", which makes the rest of
 * every caller unreachable too:
 *
 * - after_status: rc = status(); if (rc != 0) exit(1); -- nothing after
 *   it is reported (rc < 0 instead of rc != 0: reported);
 * - after_check: if (rc != 0) return 1;
 * - caller: open_data() returns early on glob()'s non-zero status, the
 *   way llm.c's dataloader_init does (glob, then exit on failure); every
 *   call after open_data() in caller is silent.  This hides all of
 *   llm.c's main after dataloader_init.
 *
 * SPEC 2: symbols are >= 1 for comparing dimensions, not for deciding
 * which way `rc != 0` goes.
 */
#include <stdlib.h>

#include "shapecheck.h"

void use(int *x SHAPE(B, T), int B, int T);
int status(void);

int after_status(void)
{
    int B = 4, T = 64;
    SHAPE(B, T) int *gen = malloc(sizeof(int) * 256);
    int rc = status();
    if (rc != 0)
        exit(1);
    use(gen, 2 * B, T); // expected-error {{'gen' has shape [4, 64] but parameter 'x' of 'use' expects [B, T] = [8, 64] [shape-mismatch]}}
    // expected-note@29 {{'gen' declared with shape [B, T], B = 4, T = 64}}
    // expected-note@28 {{B set to 4 here}}
    // expected-note@28 {{T set to 64 here}}
    // expected-note@23 {{parameter 'x' of 'use' declared with shape [B, T]}}
    free(gen);
    return 0;
}

int after_check(int rc)
{
    int B = 4, T = 64;
    SHAPE(B, T) int *gen = malloc(sizeof(int) * 256);
    if (rc != 0)
        return 1;
    use(gen, 2 * B, T); // expected-error {{'gen' has shape [4, 64] but parameter 'x' of 'use' expects [B, T] = [8, 64] [shape-mismatch]}}
    // expected-note@45 {{'gen' declared with shape [B, T], B = 4, T = 64}}
    // expected-note@44 {{B set to 4 here}}
    // expected-note@44 {{T set to 64 here}}
    // expected-note@23 {{parameter 'x' of 'use' declared with shape [B, T]}}
    free(gen);
    return 0;
}

int glob_files(const char *pattern);

static int open_data(const char *pattern)
{
    int glob_status = glob_files(pattern);
    if (glob_status != 0)
        exit(EXIT_FAILURE);
    return 0;
}

int caller(void)
{
    int B = 4, T = 64;
    SHAPE(B, T) int *gen = malloc(sizeof(int) * 256);
    open_data("data/*.bin");
    use(gen, 2 * B, T); // expected-error {{'gen' has shape [4, 64] but parameter 'x' of 'use' expects [B, T] = [8, 64] [shape-mismatch]}}
    // expected-note@70 {{'gen' declared with shape [B, T], B = 4, T = 64}}
    // expected-note@69 {{B set to 4 here}}
    // expected-note@69 {{T set to 64 here}}
    // expected-note@23 {{parameter 'x' of 'use' declared with shape [B, T]}}
    free(gen);
    return 0;
}
