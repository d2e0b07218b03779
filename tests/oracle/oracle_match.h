/*
 * oracle_match.h - how an instrumented kernel (kernels.c) describes one call
 * to the matching rule of oracle_rt.c.  Not seen by generated programs.
 *
 * Each shaped parameter is an oracle_arg: the pointer it received, its
 * element size, and its view: the parameter's SHAPE with the integer
 * parameters already substituted (dims[d]), or, for a dim that is a lone
 * free symbol, the symbol's number in sym[d] (1..ORACLE_MAXSYM; 0 for none).
 */
#ifndef ORACLE_MATCH_H
#define ORACLE_MATCH_H

#include <stddef.h>

#define ORACLE_MAXRANK 4
#define ORACLE_MAXARGS 4
#define ORACLE_MAXSYM 4

struct oracle_arg {
    const char *name;
    const void *p;
    size_t elem;
    int rank;
    long dims[ORACLE_MAXRANK];
    int sym[ORACLE_MAXRANK];
    int writes; /* the kernel writes through it (non-const) */
};

struct oracle_call {
    const char *kernel;
    int nargs;
    struct oracle_arg args[ORACLE_MAXARGS];
    int loss_logits, loss_labels; /* indices into args, or -1: not a loss */
};

/* Decides whether the call matched (SPEC section 4, see oracle_rt.c), prints
   its ORACLE line under the line given to oracle_at(), records it in the
   open oracle_enter() frames, and, when it matched, reads (and writes back,
   for `writes`) every element of every view: ASan then proves the rule
   never calls an out-of-bounds call a match.  Returns 1 when it matched. */
int oracle_check(struct oracle_call *c);

/* Registers a block allocated by a constructor (RETURNS_SHAPE). */
void *oracle_alloc_dims(size_t elem, int rank, const long *dims);

#endif /* ORACLE_MATCH_H */
