/*
 * fuzz_dim.c - the dimension language (annotations/dim.h), all three
 * layers: dim_parse / dim_parse_expr, dim_eval_int, and the canonical
 * polynomials (dim_from_node, the algebra and exact division, dim_compare,
 * dim_order_of, dim_substitute, dim_format).
 *
 * Input: one or two shape texts separated by a newline.  Properties:
 *  - a failed parse has a message and a column inside the text;
 *  - a tree is well formed ('...' where ellipsis says, at most once);
 *  - every dim is equal to itself and p - p is 0;
 *  - dim_compare and dim_order_of are symmetric and agree with each
 *    other, and a + b compares as b + a;
 *  - what they prove holds on concrete values: both dims' trees evaluated
 *    by dim_eval_int (C semantics) on a few assignments of values >= 1;
 *  - exact division: (a * b) / b is a and (a * b) % b is 0, for operands
 *    small enough that no bound of the long division is reached;
 *  - a printed polynomial parses back (as an expression) to the same
 *    polynomial, when the printed text is in the language.
 */
#include "fuzz.h"

#include "dim.h"

#define MAX_SYMS 64
#define MAX_DIMS 16 /* dims of each shape taken to the algebra */

/* Names -> symbols, by display name, so that printed text resolves back to
   the same symbols. */
typedef struct names {
    dim_ctx *ctx;
    const char *path[MAX_SYMS];
    dim_sym sym[MAX_SYMS];
    size_t n;
} names;

static const dim_poly *resolve(void *ud, const char *path, int column)
{
    (void)column;
    names *nm = ud;
    if (path[0] == 'u')
        return NULL; /* names starting with 'u' are unknown */
    for (size_t i = 0; i < nm->n; i++)
        if (strcmp(nm->path[i], path) == 0)
            return dim_symbol(nm->ctx, nm->sym[i]);
    if (nm->n == MAX_SYMS)
        return NULL;
    dim_sym s = dim_sym_new(nm->ctx, path);
    nm->path[nm->n] = dim_sym_name(nm->ctx, s);
    nm->sym[nm->n++] = s;
    return dim_symbol(nm->ctx, s);
}

/* Integer values for dim_eval_int: a name's length, except unknown 'u...'. */
static bool lookup(void *ud, const char *path, int64_t *value)
{
    (void)ud;
    if (path[0] == 'u')
        return false;
    *value = (int64_t)strlen(path);
    return true;
}

/* The concrete assignments the decisions are checked on: each name gets
   a value in 1..7 from its text and the assignment's number *UD. */
#define ASSIGNMENTS 4

static bool lookup_at(void *ud, const char *path, int64_t *value)
{
    unsigned k = *(const unsigned *)ud, h = k * 7 + 1;
    if (path[0] == 'u')
        return false;
    for (const char *c = path; *c; c++)
        h = h * 31 + (unsigned char)*c;
    *value = 1 + (int64_t)(h % 7);
    return true;
}

/* Substitution: every other symbol becomes 2*itself + 1. */
static const dim_poly *subst(void *ud, dim_sym sym)
{
    dim_ctx *ctx = ud;
    if (sym % 2)
        return NULL;
    return dim_add(ctx, dim_mul(ctx, dim_const(ctx, 2), dim_symbol(ctx, sym)),
                   dim_const(ctx, 1));
}

static void count_sym(void *ud, dim_sym sym)
{
    (void)sym;
    (*(size_t *)ud)++;
}

static void check_error(const dim_error *err, const char *text)
{
    FUZZ_CHECK(fuzz_terminated(err->message, sizeof err->message));
    FUZZ_CHECK(err->message[0] != '\0');
    FUZZ_CHECK(err->column >= 0);
    FUZZ_CHECK((size_t)err->column <= strlen(text) + 1);
}

static void check_tree(const dim_shape_ast *ast)
{
    FUZZ_CHECK(ast->rank >= 0 && ast->rank <= DIM_MAX_DIMS);
    int ellipses = 0;
    for (int i = 0; i < ast->rank; i++) {
        const dim_entry *e = &ast->entries[i];
        if (e->kind == DIM_ENTRY_ELLIPSIS) {
            ellipses++;
            FUZZ_CHECK(ast->ellipsis == i);
        }
        FUZZ_CHECK((e->kind == DIM_ENTRY_EXPR) == (e->expr != NULL));
    }
    FUZZ_CHECK(ellipses <= 1);
    FUZZ_CHECK(ellipses == 1 || ast->ellipsis == -1);
}

/* P printed, then parsed and built again: the same polynomial. */
static void check_round_trip(names *nm, const dim_poly *p)
{
    char buf[512];
    size_t n = dim_format(nm->ctx, p, buf, sizeof buf);
    FUZZ_CHECK(fuzz_terminated(buf, sizeof buf));
    if (n >= sizeof buf || buf[0] == '-' || strchr(buf, '?'))
        return; /* cut, or outside the language: no unary minus */
    dim_error err;
    dim_shape_ast *ast = dim_parse_expr(buf, &err);
    if (!ast)
        return; /* e.g. a negative constant inside an atom */
    const dim_poly *q =
        dim_from_node(nm->ctx, ast->entries[0].expr, resolve, nm, &err);
    dim_shape_ast_free(ast);
    if (q) {
        if (q != p)
            fprintf(stderr, "printed as '%s', read back differently\n", buf);
        FUZZ_CHECK(q == p);
    }
}

/* A polynomial together with the tree it was built from. */
typedef struct dim_item {
    const dim_poly *p;
    const dim_node *node;
} dim_item;

static dim_order mirror(dim_order o)
{
    static const dim_order m[] = {
        [DIM_ORDER_UNKNOWN] = DIM_ORDER_UNKNOWN, [DIM_ORDER_LT] = DIM_ORDER_GT,
        [DIM_ORDER_LE] = DIM_ORDER_GE,           [DIM_ORDER_EQ] = DIM_ORDER_EQ,
        [DIM_ORDER_GE] = DIM_ORDER_LE,           [DIM_ORDER_GT] = DIM_ORDER_LT,
    };
    return m[o];
}

static bool order_holds(dim_order o, int64_t a, int64_t b)
{
    switch (o) {
    case DIM_ORDER_LT:
        return a < b;
    case DIM_ORDER_LE:
        return a <= b;
    case DIM_ORDER_EQ:
        return a == b;
    case DIM_ORDER_GE:
        return a >= b;
    case DIM_ORDER_GT:
        return a > b;
    default:
        return true;
    }
}

/* What the order proves holds where both trees have a value (no
   division by zero, no overflow). */
static void check_order_on_values(dim_order o, const dim_item *a,
                                  const dim_item *b)
{
    for (unsigned k = 0; k < ASSIGNMENTS && o != DIM_ORDER_UNKNOWN; k++) {
        int64_t va, vb;
        if (dim_eval_int(a->node, lookup_at, &k, &va, NULL) &&
            dim_eval_int(b->node, lookup_at, &k, &vb, NULL)) {
            if (!order_holds(o, va, vb))
                fprintf(stderr, "order %d, but values %lld and %lld\n", (int)o,
                        (long long)va, (long long)vb);
            FUZZ_CHECK(order_holds(o, va, vb));
        }
    }
}

/* Whether P prints short and with every number below 10^6: then the long
   division of P * Q by Q (both such) stays far from int64 overflow and
   from the bounds on its work, and must find P. */
static bool small(const dim_ctx *ctx, const dim_poly *p)
{
    char buf[256];
    if (dim_format(ctx, p, buf, sizeof buf) >= sizeof buf)
        return false;
    size_t digits = 0;
    for (const char *c = buf; *c; c++) {
        digits = *c >= '0' && *c <= '9' ? digits + 1 : 0;
        if (digits > 6)
            return false;
    }
    return true;
}

/* (A * B) / B is A and (A * B) % B is 0, B not 0. */
static void check_exact_division(dim_ctx *ctx, const dim_poly *a,
                                 const dim_poly *b)
{
    int64_t k;
    if (!a || !b || (dim_is_const(b, &k) && k == 0) || !small(ctx, a) ||
        !small(ctx, b))
        return;
    const dim_poly *ab = dim_mul(ctx, a, b);
    if (!ab)
        return; /* too many terms */
    FUZZ_CHECK(dim_div(ctx, ab, b) == a);
    FUZZ_CHECK(dim_mod(ctx, ab, b) == dim_const(ctx, 0));
}

static void check_pair(dim_ctx *ctx, const dim_item *ia, const dim_item *ib)
{
    const dim_poly *a = ia->p, *b = ib->p;
    dim_relation ab = dim_compare(ctx, a, b), ba = dim_compare(ctx, b, a);
    FUZZ_CHECK(ab == ba);
    dim_order o = dim_order_of(ctx, a, b);
    FUZZ_CHECK(dim_order_of(ctx, b, a) == mirror(o));
    FUZZ_CHECK((ab == DIM_CANNOT_EQUAL) ==
               (o == DIM_ORDER_LT || o == DIM_ORDER_GT));
    FUZZ_CHECK((ab == DIM_EQUAL) == (o == DIM_ORDER_EQ));
    if (a && b)
        check_order_on_values(o, ia, ib);
    FUZZ_CHECK(dim_add(ctx, a, b) == dim_add(ctx, b, a));
    FUZZ_CHECK(dim_mul(ctx, a, b) == dim_mul(ctx, b, a));
    if (a && b && a == b)
        FUZZ_CHECK(ab == DIM_EQUAL);
    /* A non-zero constant difference (both ways round, without overflow)
       cannot be equal. */
    const dim_poly *d = dim_sub(ctx, a, b), *e = dim_sub(ctx, b, a);
    int64_t k;
    if (d && e && dim_is_const(d, &k) && k != 0 && k != INT64_MIN)
        FUZZ_CHECK(ab == DIM_CANNOT_EQUAL);
    /* Division and remainder: never a crash, whatever the operands. */
    dim_div(ctx, a, b);
    dim_mod(ctx, a, b);
    check_exact_division(ctx, a, b);
}

/* Builds the polynomials of AST's dims into OUT; returns how many. */
static size_t polys_of(names *nm, const char *text, const dim_shape_ast *ast,
                       dim_item *out)
{
    size_t n = 0;
    for (int i = 0; i < ast->rank && n < MAX_DIMS; i++) {
        const dim_entry *e = &ast->entries[i];
        if (e->kind != DIM_ENTRY_EXPR)
            continue;
        int64_t v;
        dim_error err = {0};
        if (!dim_eval_int(e->expr, lookup, NULL, &v, &err))
            check_error(&err, text);
        err.column = 0;
        const dim_poly *p = dim_from_node(nm->ctx, e->expr, resolve, nm, &err);
        out[n++] = (dim_item){p, e->expr};
        if (!p)
            continue;
        FUZZ_CHECK(dim_compare(nm->ctx, p, p) == DIM_EQUAL);
        FUZZ_CHECK(dim_order_of(nm->ctx, p, p) == DIM_ORDER_EQ);
        int64_t zero;
        const dim_poly *z = dim_sub(nm->ctx, p, p);
        FUZZ_CHECK(!z || (dim_is_const(z, &zero) && zero == 0));
        size_t syms = 0;
        dim_poly_symbols(p, count_sym, &syms);
        const dim_poly *s = dim_substitute(nm->ctx, p, subst, nm->ctx);
        if (s)
            dim_format(nm->ctx, s, NULL, 0);
        check_round_trip(nm, p);
    }
    return n;
}

static dim_shape_ast *parse_checked(const char *text)
{
    dim_error err;
    dim_shape_ast *ast = dim_parse(text, &err);
    if (!ast) {
        check_error(&err, text);
        return NULL;
    }
    check_tree(ast);
    return ast;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > DIM_MAX_TEXT + 2)
        return 0; /* the length limit is met by a shorter input too */
    char *text = fuzz_text(data, size);
    char *field[2] = {text, ""};
    fuzz_split(text, '\n', field, 2);

    dim_error err;
    dim_shape_ast *expr = dim_parse_expr(field[0], &err);
    if (expr) {
        FUZZ_CHECK(expr->rank == 1 && expr->entries[0].expr);
        dim_shape_ast_free(expr);
    } else {
        check_error(&err, field[0]);
    }

    dim_shape_ast *a = parse_checked(field[0]), *b = parse_checked(field[1]);
    names nm = {.ctx = dim_ctx_new()};
    dim_item pa[MAX_DIMS], pb[MAX_DIMS];
    size_t na = a ? polys_of(&nm, field[0], a, pa) : 0;
    size_t nb = b ? polys_of(&nm, field[1], b, pb) : 0;
    for (size_t i = 0; i < na; i++)
        for (size_t j = 0; j < nb; j++)
            check_pair(nm.ctx, &pa[i], &pb[j]);
    for (size_t i = 0; i + 1 < na; i++)
        check_pair(nm.ctx, &pa[i], &pa[i + 1]);
    dim_ctx_free(nm.ctx);
    dim_shape_ast_free(a);
    dim_shape_ast_free(b);
    free(text);
    return 0;
}
