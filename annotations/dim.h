/*
 * dim.h - the dimension language (SPEC section 2): the one implementation,
 * shared by the static checker and the runtime library.
 *
 *   shape  := dim { ',' dim }        (empty text: a scalar, rank 0)
 *   dim    := '_' | '...' | expr     ('...' at most once)
 *   expr   := term { ('+' | '-') term }
 *   term   := factor { ('*' | '/' | '%') factor }
 *   factor := INT | path | '(' expr ')'
 *   path   := NAME { ('.' | '->') NAME }
 *
 * Three layers, each usable without the next:
 *   1. dim_parse(): text -> syntax tree (dim_shape_ast), errors with columns.
 *   2. dim_eval_int(): a syntax tree -> an integer, names looked up by the
 *      caller (the runtime library's assertions).
 *   3. dim_poly: canonical polynomials (sums of products of symbols with
 *      integer coefficients; '/' and '%' folded when decidable, otherwise
 *      kept as opaque atoms), hash-consed in a dim_ctx so that equal
 *      polynomials are the same pointer; and the decisions the checker
 *      needs, taking every symbol to be >= 1: dim_compare() ("cannot be
 *      equal") and dim_order_of() ("always less than", ...).
 *
 * No libclang, no global state: one dim_ctx per thread.
 */
#ifndef SHAPECHECK_DIM_H
#define SHAPECHECK_DIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Bounds that keep pathological input cheap; exceeding one is a parse
   error (or, for DIM_MAX_TERMS, an opaque result), never a crash. */
#define DIM_MAX_DIMS 4096    /* dims in one shape */
#define DIM_MAX_DEPTH 200    /* nesting of parentheses and operators */
#define DIM_MAX_TEXT 65536   /* characters of annotation text */
#define DIM_MAX_TERMS 64     /* monomials in one canonical polynomial */

/* ---- 1. Syntax ------------------------------------------------------- */

typedef enum dim_node_kind {
    DIM_NODE_INT,  /* value */
    DIM_NODE_PATH, /* path: "B", "cfg->batch", "m.dims.n" (no spaces) */
    DIM_NODE_ADD,  /* lhs + rhs */
    DIM_NODE_SUB,
    DIM_NODE_MUL,
    DIM_NODE_DIV,
    DIM_NODE_MOD,
} dim_node_kind;

typedef struct dim_node {
    dim_node_kind kind;
    int column;              /* 1-based column of its first token in the text */
    int64_t value;           /* DIM_NODE_INT */
    const char *path;        /* DIM_NODE_PATH, normalised: no white space */
    const struct dim_node *lhs, *rhs; /* binary operators */
} dim_node;

typedef enum dim_entry_kind {
    DIM_ENTRY_ANY,      /* '_': any size, never bound */
    DIM_ENTRY_ELLIPSIS, /* '...': zero or more dims, never bound */
    DIM_ENTRY_EXPR,
} dim_entry_kind;

typedef struct dim_entry {
    dim_entry_kind kind;
    int column;
    const dim_node *expr; /* DIM_ENTRY_EXPR */
} dim_entry;

/* A parsed shape.  Owns every node it points to; one allocation. */
typedef struct dim_shape_ast {
    int rank;            /* number of entries, '...' included */
    int ellipsis;        /* index of the '...' entry, or -1 */
    dim_entry *entries;
} dim_shape_ast;

typedef struct dim_error {
    int column;          /* 1-based column of the offending token; 0 if none */
    char message[160];   /* e.g. "unexpected ')'", "'...' appears twice" */
} dim_error;

/* Parses TEXT (white space anywhere between tokens is ignored).  Returns a
   tree to free with dim_shape_ast_free(), or NULL with *err filled in.
   Integer literals accept C suffixes (u, l, ul, ...); values that do not fit
   in int64_t are an error. */
dim_shape_ast *dim_parse(const char *text, dim_error *err);
void dim_shape_ast_free(dim_shape_ast *ast);

/* Parses one expression (no ',', '_' or '...'); used for macro bodies. */
dim_shape_ast *dim_parse_expr(const char *text, dim_error *err);

/* TEXT (a shape or expression as written) for quoting in a message: TEXT
   itself when at most DIM_EXCERPT_MAX characters long, else its first
   DIM_EXCERPT_MAX - 3 characters and "..." written into BUF, so that what
   follows the quote (the reason, the column) is never cut off.  The
   checker and the runtime library quote the same way (dim_excerpt.c). */
#define DIM_EXCERPT_MAX 80
const char *dim_excerpt(char buf[DIM_EXCERPT_MAX + 1], const char *text);

/* ---- 2. Integer evaluation ------------------------------------------- */

/* Looks PATH up; returns true and sets *value when it has one. */
typedef bool (*dim_lookup_fn)(void *ud, const char *path, int64_t *value);

/* Evaluates NODE.  Returns false with *err set on an unknown name, division
   by zero or overflow. */
bool dim_eval_int(const dim_node *node, dim_lookup_fn lookup, void *ud,
                  int64_t *value, dim_error *err);

/* ---- 3. Canonical polynomials ---------------------------------------- */

typedef uint32_t dim_sym;          /* a symbol, numbered by its dim_ctx */
typedef struct dim_ctx dim_ctx;    /* symbols and interned polynomials */
typedef struct dim_poly dim_poly;  /* immutable, owned by its dim_ctx */

dim_ctx *dim_ctx_new(void);
void dim_ctx_free(dim_ctx *ctx);

/* A new symbol, distinct from every other, shown as DISPLAY. */
dim_sym dim_sym_new(dim_ctx *ctx, const char *display);
const char *dim_sym_name(const dim_ctx *ctx, dim_sym sym);

/* Constructors.  A NULL operand means "unknown" and gives NULL.  Results
   are canonical: equal polynomials are the same pointer.  dim_div and
   dim_mod fold when both sides are constants (C's truncation), and when
   the divisor divides the dividend exactly as polynomials, opaque atoms
   taken as variables: a constant that divides every coefficient
   (2*B / 2 = B), or any polynomial that leaves no remainder
   ((B*I + B)/B = I + 1, (B*I + B*J)/(I + J) = B; the remainder is then 0).
   An exact quotient holds for every value that leaves the divisor
   non-zero, whatever the signs, so nothing rounds.  Otherwise they return
   an opaque atom.  Division by the constant 0 and int64 overflow give
   NULL. */
const dim_poly *dim_const(dim_ctx *ctx, int64_t value);
const dim_poly *dim_symbol(dim_ctx *ctx, dim_sym sym);
const dim_poly *dim_add(dim_ctx *ctx, const dim_poly *a, const dim_poly *b);
const dim_poly *dim_sub(dim_ctx *ctx, const dim_poly *a, const dim_poly *b);
const dim_poly *dim_mul(dim_ctx *ctx, const dim_poly *a, const dim_poly *b);
const dim_poly *dim_div(dim_ctx *ctx, const dim_poly *a, const dim_poly *b);
const dim_poly *dim_mod(dim_ctx *ctx, const dim_poly *a, const dim_poly *b);

/* True when P is a constant; sets *value. */
bool dim_is_const(const dim_poly *p, int64_t *value);
/* True when P is exactly one symbol (coefficient 1); sets *sym. */
bool dim_is_symbol(const dim_poly *p, dim_sym *sym);

/* Calls FN for every symbol P mentions (inside opaque atoms too). */
typedef void (*dim_sym_fn)(void *ud, dim_sym sym);
void dim_poly_symbols(const dim_poly *p, dim_sym_fn fn, void *ud);

/* Replaces symbols: SUBST returns the replacement for SYM, or NULL to keep
   it.  Opaque atoms are rebuilt, so they fold if they become decidable. */
typedef const dim_poly *(*dim_subst_fn)(void *ud, dim_sym sym);
const dim_poly *dim_substitute(dim_ctx *ctx, const dim_poly *p,
                               dim_subst_fn subst, void *ud);

typedef enum dim_relation {
    DIM_EQUAL,        /* equal for every value of the symbols */
    DIM_MAY_EQUAL,    /* equal for some values, or unknown */
    DIM_CANNOT_EQUAL, /* different for every value, symbols >= 1 */
} dim_relation;

/* Decides A against B.  NULL (unknown, '_') on either side: DIM_MAY_EQUAL.
   EQUAL when A and B are the same polynomial, or are proved equal for
   every value ((B/2)/2 and B/4); CANNOT exactly when dim_order_of() proves
   A < B or A > B; MAY_EQUAL otherwise.  Symmetric: (A, B) and (B, A) get
   the same answer.  Where A - B or B - A overflows int64 it is MAY_EQUAL
   (a size that large is an overflow in the program, not a mismatch). */
dim_relation dim_compare(dim_ctx *ctx, const dim_poly *a, const dim_poly *b);

typedef enum dim_order {
    DIM_ORDER_UNKNOWN, /* nothing proved */
    DIM_ORDER_LT,      /* a <  b for every value of the symbols (>= 1) */
    DIM_ORDER_LE,      /* a <= b for every value */
    DIM_ORDER_EQ,      /* a == b: the same polynomial, or proved equal */
    DIM_ORDER_GE,
    DIM_ORDER_GT,
} dim_order;

/* Decides how A compares to B for every assignment of integers >= 1 to
   the symbols; NULL on either side: UNKNOWN.  Sound: LT/LE/GE/GT only
   when proved, by bounding A - B and B - A from below with polynomials
   in the symbols alone (an opaque atom by what its operands allow: X/C
   within (C-1)/C of the rational X/C, 0 <= X%C <= C-1 and X%C <= X for
   X >= 0, 0 <= X/Y <= X for X >= 0 and Y >= 1, ...), then showing a bound
   positive with each symbol written 1 + y, y >= 0; values being integers,
   a bound > -1 proves >= 0.  docs/rules.md ("What the checker decides
   about dimensions") lists what is decided.  Gives up (a weaker answer,
   never a wrong one) on int64 overflow and past fixed work bounds.
   Symmetric: dim_order_of(B, A) is the mirror image.  Leaves nothing
   behind in CTX but scratch memory it reuses. */
dim_order dim_order_of(dim_ctx *ctx, const dim_poly *a, const dim_poly *b);

/* Writes P in the dimension language ("2*B + 1", "B*T", "(N)/2"), as
   snprintf does: returns the length it needed.  NULL prints as "?". */
size_t dim_format(const dim_ctx *ctx, const dim_poly *p, char *buf, size_t size);

/* Resolves a path in an annotation: a polynomial, or NULL for "unknown". */
typedef const dim_poly *(*dim_resolve_fn)(void *ud, const char *path,
                                          int column);

/* Builds the canonical polynomial of NODE.  Returns NULL when any part is
   unknown (RESOLVE returned NULL) or on overflow / division by zero; in
   the last two cases *err is set (err->column != 0). */
const dim_poly *dim_from_node(dim_ctx *ctx, const dim_node *node,
                              dim_resolve_fn resolve, void *ud,
                              dim_error *err);

#endif /* SHAPECHECK_DIM_H */
