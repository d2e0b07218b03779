/*
 * A callee given a pointer to one member of the caller's struct, which
 * writes only through it, makes the caller forget the other members.
 * llm.c's DataLoader embeds its random state (mt19937_state shuffle_rng)
 * and dataloader_reset calls random_permutation(..., &loader->shuffle_rng),
 * which writes state->state_[j] and state->left_: loader.B is forgotten.
 *
 * - seed(&l.rng) writes r->state[3] and r->left: l.B is unknown after;
 * - set_int(&l.rng.left) writes *p: l.B is unknown after;
 * - reseed(&l) stores a whole struct into one member (l->rng = r, as
 *   dataloader_init does with loader->shuffle_rng): l.B is unknown after.
 * set_left(&l.rng), which writes only r->left, keeps l.B = 4, and the
 * same writes made in the caller (rng_t *r = &l.rng; r->state[3] = 1;)
 * keep it too.
 *
 * SPEC 3: a write changes only what it may reach; &l.rng reaches l.rng.
 */
#include "shapecheck.h"

void use(int *x SHAPE(B), int B);

typedef struct rng {
    int left;
    unsigned state[8];
} rng_t;

struct loader {
    int B;
    rng_t rng;
};

static void seed(rng_t *r)
{
    r->state[3] = 1;
    r->left = 1;
}

static void set_int(int *p)
{
    *p = 1;
}

int seeded(void)
{
    struct loader l;
    l.B = 4;
    seed(&l.rng);
    int y[4] = {0};
    use(y, 2 * l.B); // expected-error {{'y' has shape [4] but parameter 'x' of 'use' expects [B] = [8] [shape-mismatch]}}
    // expected-note@48 {{'y' declared as an array of shape [4]}}
    // expected-note@46 {{l.B set to 4 here}}
    // expected-note@20 {{parameter 'x' of 'use' declared with shape [B]}}
    return 0;
}

int through_int(void)
{
    struct loader l;
    l.B = 4;
    set_int(&l.rng.left);
    int y[4] = {0};
    use(y, 2 * l.B); // expected-error {{'y' has shape [4] but parameter 'x' of 'use' expects [B] = [8] [shape-mismatch]}}
    // expected-note@61 {{'y' declared as an array of shape [4]}}
    // expected-note@59 {{l.B set to 4 here}}
    // expected-note@20 {{parameter 'x' of 'use' declared with shape [B]}}
    return 0;
}

static void reseed(struct loader *l)
{
    rng_t r = {0};
    l->rng = r;
}

int struct_store(void)
{
    struct loader l;
    l.B = 4;
    reseed(&l);
    int y[4] = {0};
    use(y, 2 * l.B); // expected-error {{'y' has shape [4] but parameter 'x' of 'use' expects [B] = [8] [shape-mismatch]}}
    // expected-note@-2 {{'y' declared as an array of shape [4]}}
    // expected-note@-5 {{l.B set to 4 here}}
    // expected-note@20 {{parameter 'x' of 'use' declared with shape [B]}}
    return 0;
}
