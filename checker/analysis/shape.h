/*
 * shape.h - the shape model: shapes as lists of canonical dimensions, and
 * where each shape came from (so findings can tell the story).
 *
 * A shape's dims are dim_poly pointers owned by one dim_ctx; NULL is a
 * dimension nothing is known about ('_', or an unknown value).  Shapes and
 * origins live in an analysis arena.
 */
#ifndef SHAPECHECK_SHAPE_H
#define SHAPECHECK_SHAPE_H

#include <stdbool.h>
#include <stdint.h>

#include "arena.h"
#include "dim.h"
#include "ir.h"

typedef struct shape {
    uint32_t rank;         /* entries, the '...' included */
    int ellipsis;          /* index of '...', or -1 */
    const dim_poly **dims; /* rank entries; the '...' entry is NULL */
} shape;

/* Why a value has the shape it has. */
typedef enum origin_kind {
    ORIGIN_DECLARED, /* SHAPE(...) on its declaration */
    ORIGIN_ARRAY,    /* its array type */
    ORIGIN_ASSIGNED, /* assigned or initialised from another shaped value */
    ORIGIN_INFERRED, /* passed to a SHAPE parameter of a call */
    ORIGIN_RETURNED, /* returned by a RETURNS_SHAPE function */
    ORIGIN_PARAM,    /* a SHAPE parameter of the function being analysed */
    ORIGIN_CALLEE_RETURN, /* where a summarised function gets its result */
    ORIGIN_ALLOCATED,     /* malloc and friends: the elements its size holds */
} origin_kind;

/* One value of a symbol that a shape used: "B = 32", set at LOC. */
typedef struct value_note {
    const char *name;
    const char *value;
    sc_loc loc;
    const char *how; /* "set to", "defined as", "declared as" */
    /* Where the value set here came from, when it had a story of its own
       ("n set to 5 here", from "CLASSES defined as 5 here"), or NULL. */
    const struct value_note *from;
} value_note;

#define ORIGIN_MAX_VALUES 4

typedef struct shape_origin {
    origin_kind kind;
    sc_loc loc;
    const char *name;    /* the variable or expression ("logits") */
    const char *written; /* the shape as written ("[B, 10]") */
    const char *callee;  /* INFERRED / RETURNED: the function */
    value_note values[ORIGIN_MAX_VALUES];
    int n_values;
    const struct shape_origin *from; /* ASSIGNED: the source's origin */
} shape_origin;

/* A shape with its story; SHAPE NULL means "no known shape". */
typedef struct shaped {
    const shape *shape;
    const shape_origin *origin;
} shaped;

shape *shape_new(arena *a, uint32_t rank);

/* "[32, 10]", "[B, ..., C]", "[]" for rank 0; '_' for an unknown dim;
   "[?]" for no shape (S NULL). */
const char *shape_format(arena *a, const dim_ctx *ctx, const shape *s);

/* Normalises annotation text as clang stringized it ("B , 2 * T") to the
   form shown in messages ("[B, 2*T]"). */
const char *shape_written(arena *a, const char *text);

/* TEXT (an annotation as written) for quoting in a message: itself when
   at most SHAPE_EXCERPT_MAX characters long, else its start and "...", so
   that what follows the quote (the reason) is never cut off. */
#define SHAPE_EXCERPT_MAX 80
const char *shape_excerpt(arena *a, const char *text);

/* The dimension a leading position holds: dims[0] unless the shape starts
   with '...' or has rank 0; NULL otherwise (or when unknown). */
bool shape_first_dim(const shape *s, const dim_poly **dim);

/* Pairs the dims of two shapes for comparison: from the front up to the
   first '...' on either side, then from the back.  Calls FN(i, j) for each
   pair of indices (i into A, j into B).  Returns false when the ranks
   cannot match (neither has '...' and the ranks differ, or one has '...'
   and the other fewer fixed dims than it). */
typedef void (*shape_pair_fn)(void *ud, uint32_t i, uint32_t j);
bool shape_align(const shape *a, const shape *b, shape_pair_fn fn, void *ud);

/* True when every dim of A is pointer-equal to B's (same rank/ellipsis). */
bool shape_same(const shape *a, const shape *b);

/* The product of S's dims (its element count), or NULL when a dim is
   unknown or S has '...'. */
const dim_poly *shape_elements(dim_ctx *ctx, const shape *s);

/* Replaces symbols in every dim (dim_substitute). */
shape *shape_substitute(arena *a, dim_ctx *ctx, const shape *s,
                        dim_subst_fn subst, void *ud);

#endif /* SHAPECHECK_SHAPE_H */
