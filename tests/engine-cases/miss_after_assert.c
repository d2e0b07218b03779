/*
 * glibc's assert(e) expands to a GNU statement expression,
 * ((void) sizeof ((e) ? 1 : 0), __extension__ ({ if (e) ; else
 * __assert_fail (...); })).  After an assert, and after a call of any
 * function that asserts, nothing is reported: the __assert_fail call
 * (no return) seems to be taken as unconditional.  The same `if` written
 * as a statement, or as (e) ? (void)0 : abort(), is fine; the statement
 * expression without the macro is not.  llm.c asserts in
 * dataloader_load_shard_ (assert(ntok > 0)) and in gpt2_forward.
 * (With -DNDEBUG the asserts vanish and these are reported.)
 *
 * SPEC 3: macro-expanded statements are followed.  May be the front
 * end's (statement expressions) rather than the engine's.
 */
#include <assert.h>
#include <stdlib.h>

#include "shapecheck.h"

void use(int *x SHAPE(B, T), int B, int T);

static void check_positive(int n)
{
    assert(n > 0);
}

int after_assert(int n)
{
    int B = 4, T = 64;
    SHAPE(B, T) int *gen = malloc(sizeof(int) * 256);
    assert(n > 0);
    use(gen, 2 * B, T); // expected-error {{'gen' has shape [4, 64] but parameter 'x' of 'use' expects [B, T] = [8, 64] [shape-mismatch]}}
    // expected-note@30 {{'gen' declared with shape [B, T], B = 4, T = 64}}
    // expected-note@29 {{B set to 4 here}}
    // expected-note@29 {{T set to 64 here}}
    // expected-note@20 {{parameter 'x' of 'use' declared with shape [B, T]}}
    free(gen);
    return 0;
}

int after_checking_call(int n)
{
    int B = 4, T = 64;
    SHAPE(B, T) int *gen = malloc(sizeof(int) * 256);
    check_positive(n);
    use(gen, 2 * B, T); // expected-error {{'gen' has shape [4, 64] but parameter 'x' of 'use' expects [B, T] = [8, 64] [shape-mismatch]}}
    // expected-note@44 {{'gen' declared with shape [B, T], B = 4, T = 64}}
    // expected-note@43 {{B set to 4 here}}
    // expected-note@43 {{T set to 64 here}}
    // expected-note@20 {{parameter 'x' of 'use' declared with shape [B, T]}}
    free(gen);
    return 0;
}

int after_statement_expression(int n)
{
    int B = 4, T = 64;
    SHAPE(B, T) int *gen = malloc(sizeof(int) * 256);
    ({ if (n > 0) ; else abort(); });
    use(gen, 2 * B, T); // expected-error {{'gen' has shape [4, 64] but parameter 'x' of 'use' expects [B, T] = [8, 64] [shape-mismatch]}}
    // expected-note@58 {{'gen' declared with shape [B, T], B = 4, T = 64}}
    // expected-note@57 {{B set to 4 here}}
    // expected-note@57 {{T set to 64 here}}
    // expected-note@20 {{parameter 'x' of 'use' declared with shape [B, T]}}
    free(gen);
    return 0;
}
