/*
 * llm.c's dataloader_init sets loader->B, then calls
 * glob(pattern, 0, NULL, &loader->glob_result).  Handing a library
 * function a pointer to one member makes the checker forget the whole
 * struct: l.B is unknown after init() and after the direct glob call
 * below, and both calls to use() are silent.  glob is declared in a
 * system header and writes its glob_t; it has no business with l.B,
 * which &l.g can reach only by pointer arithmetic outside the member.
 * (The same with a user function of no body, mystery(&l.g), is a
 * judgement call; a library function is not.)  This is what remains of
 * llm.c's seeds 1, 2 and 6 at e7c73d1: everything after dataloader_init
 * knows nothing of the loader's B and T.
 *
 * SPEC 3: a write changes what is known only about what it may reach.
 */
#include <glob.h>
#include <stdlib.h>

#include "shapecheck.h"

void use(int *x SHAPE(B), int B);

struct loader {
    int B;
    glob_t glob_result;
};

static void loader_init(struct loader *l, int B)
{
    l->B = B;
    glob("*.bin", 0, NULL, &l->glob_result);
}

int via_init(void)
{
    struct loader l;
    loader_init(&l, 4);
    int y[4] = {0};
    use(y, 2 * l.B); // expected-error {{'y' has shape [4] but parameter 'x' of 'use' expects [B] = [8] [shape-mismatch]}}
    // expected-note@38 {{'y' declared as an array of shape [4]}}
    // expected-note@37 {{l.B set to 4 here}}
    // expected-note@21 {{parameter 'x' of 'use' declared with shape [B]}}
    globfree(&l.glob_result);
    return 0;
}

int direct(void)
{
    struct loader l;
    l.B = 4;
    glob("*.bin", 0, NULL, &l.glob_result);
    int y[4] = {0};
    use(y, 2 * l.B); // expected-error {{'y' has shape [4] but parameter 'x' of 'use' expects [B] = [8] [shape-mismatch]}}
    // expected-note@52 {{'y' declared as an array of shape [4]}}
    // expected-note@50 {{l.B set to 4 here}}
    // expected-note@21 {{parameter 'x' of 'use' declared with shape [B]}}
    globfree(&l.glob_result);
    return 0;
}
