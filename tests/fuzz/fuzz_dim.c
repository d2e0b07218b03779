/*
 * fuzz_dim.c - the dimension language (annotations/dim.h), all three
 * layers: dim_parse / dim_parse_expr, dim_eval_int, and the canonical
 * polynomials (dim_from_node, the algebra, dim_compare, dim_substitute,
 * dim_format).
 *
 * Input: one or two shape texts separated by a newline.  Properties:
 *  - a failed parse has a message and a column inside the text;
 *  - a tree is well formed ('...' where ellipsis says, at most once);
 *  - every dim is equal to itself and p - p is 0;
 *  - dim_compare is symmetric, and a + b compares as b + a;
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

static void check_pair(dim_ctx *ctx, const dim_poly *a, const dim_poly *b)
{
    dim_relation ab = dim_compare(ctx, a, b), ba = dim_compare(ctx, b, a);
    FUZZ_CHECK(ab == ba);
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
}

/* Builds the polynomials of AST's dims into OUT; returns how many. */
static size_t polys_of(names *nm, const char *text, const dim_shape_ast *ast,
                       const dim_poly **out)
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
        out[n++] = p;
        if (!p)
            continue;
        FUZZ_CHECK(dim_compare(nm->ctx, p, p) == DIM_EQUAL);
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
    const dim_poly *pa[MAX_DIMS], *pb[MAX_DIMS];
    size_t na = a ? polys_of(&nm, field[0], a, pa) : 0;
    size_t nb = b ? polys_of(&nm, field[1], b, pb) : 0;
    for (size_t i = 0; i < na; i++)
        for (size_t j = 0; j < nb; j++)
            check_pair(nm.ctx, pa[i], pb[j]);
    for (size_t i = 0; i + 1 < na; i++)
        check_pair(nm.ctx, pa[i], pa[i + 1]);
    dim_ctx_free(nm.ctx);
    dim_shape_ast_free(a);
    dim_shape_ast_free(b);
    free(text);
    return 0;
}
