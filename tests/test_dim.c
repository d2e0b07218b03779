/*
 * test_dim.c - unit tests of the dimension language (annotations/dim.h):
 * the parser and its error messages, integer evaluation, canonical
 * polynomials, comparison, substitution and the bounds that keep
 * pathological input cheap.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dim.h"

/* ---- Helpers ---------------------------------------------------------- */

static dim_shape_ast *parse_ok(const char *text)
{
    dim_error err;
    dim_shape_ast *ast = dim_parse(text, &err);
    if (!ast)
        fail_msg("'%s' does not parse: %d: %s", text, err.column, err.message);
    assert_int_equal(err.column, 0);
    return ast;
}

static void expect_error(dim_shape_ast *(*parse)(const char *, dim_error *),
                         const char *text, int column, const char *message)
{
    dim_error err;
    dim_shape_ast *ast = parse(text, &err);
    if (ast) {
        dim_shape_ast_free(ast);
        fail_msg("'%s' parses, expected %d: %s", text, column, message);
    }
    if (err.column != column || strcmp(err.message, message) != 0)
        fail_msg("'%s': got %d: %s; expected %d: %s", text, err.column,
                 err.message, column, message);
}

/* A string of COUNT copies of UNIT between PREFIX and SUFFIX. */
static char *repeat(const char *prefix, const char *unit, size_t count,
                    const char *suffix)
{
    size_t lp = strlen(prefix), lu = strlen(unit), ls = strlen(suffix);
    char *s = malloc(lp + lu * count + ls + 1);
    assert_non_null(s);
    memcpy(s, prefix, lp);
    for (size_t i = 0; i < count; i++)
        memcpy(s + lp + i * lu, unit, lu);
    memcpy(s + lp + lu * count, suffix, ls + 1);
    return s;
}

/* A context whose names become symbols on first use ("unknown" stays
   unknown), so that tests can write polynomials as text. */
typedef struct fixture {
    dim_ctx *ctx;
    char names[64][32];
    dim_sym syms[64];
    int n;
    char buf[512];
} fixture;

static dim_sym sym_of(fixture *f, const char *name)
{
    for (int i = 0; i < f->n; i++)
        if (strcmp(f->names[i], name) == 0)
            return f->syms[i];
    assert_true(f->n < 64);
    snprintf(f->names[f->n], sizeof f->names[0], "%s", name);
    f->syms[f->n] = dim_sym_new(f->ctx, name);
    return f->syms[f->n++];
}

static const dim_poly *resolve(void *ud, const char *path, int column)
{
    fixture *f = ud;
    assert_true(column >= 1);
    if (strcmp(path, "unknown") == 0)
        return NULL;
    return dim_symbol(f->ctx, sym_of(f, path));
}

/* The polynomial of TEXT, which must parse and convert without error. */
static const dim_poly *P(fixture *f, const char *text)
{
    dim_error err;
    dim_shape_ast *ast = dim_parse_expr(text, &err);
    if (!ast)
        fail_msg("'%s' does not parse: %s", text, err.message);
    const dim_poly *p =
        dim_from_node(f->ctx, ast->entries[0].expr, resolve, f, &err);
    dim_shape_ast_free(ast);
    if (err.column)
        fail_msg("'%s': %d: %s", text, err.column, err.message);
    return p;
}

static const char *fmt(fixture *f, const dim_poly *p)
{
    size_t n = dim_format(f->ctx, p, f->buf, sizeof f->buf);
    assert_int_equal(n, strlen(f->buf));
    return f->buf;
}

static const dim_poly *sym(fixture *f, const char *name)
{
    return dim_symbol(f->ctx, sym_of(f, name));
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    assert_non_null(f);
    f->ctx = dim_ctx_new();
    assert_non_null(f->ctx);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    dim_ctx_free(f->ctx);
    free(f);
    return 0;
}

/* ---- Parsing ---------------------------------------------------------- */

static void test_parse_empty_is_rank_0(void **state)
{
    (void)state;
    const char *texts[] = {"", "   ", " \t\n\r "};
    for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
        dim_shape_ast *ast = parse_ok(texts[i]);
        assert_int_equal(ast->rank, 0);
        assert_int_equal(ast->ellipsis, -1);
        dim_shape_ast_free(ast);
    }
}

static void test_parse_ranks_and_columns(void **state)
{
    (void)state;
    dim_shape_ast *ast = parse_ok("B, T,C");
    assert_int_equal(ast->rank, 3);
    assert_int_equal(ast->ellipsis, -1);
    const char *names[] = {"B", "T", "C"};
    int columns[] = {1, 4, 6};
    for (int i = 0; i < 3; i++) {
        assert_int_equal(ast->entries[i].kind, DIM_ENTRY_EXPR);
        assert_int_equal(ast->entries[i].column, columns[i]);
        assert_int_equal(ast->entries[i].expr->kind, DIM_NODE_PATH);
        assert_int_equal(ast->entries[i].expr->column, columns[i]);
        assert_string_equal(ast->entries[i].expr->path, names[i]);
    }
    dim_shape_ast_free(ast);

    ast = parse_ok("32, 10");
    assert_int_equal(ast->rank, 2);
    assert_int_equal(ast->entries[0].expr->kind, DIM_NODE_INT);
    assert_int_equal(ast->entries[0].expr->value, 32);
    assert_int_equal(ast->entries[1].expr->value, 10);
    dim_shape_ast_free(ast);
}

static void test_parse_any_and_ellipsis(void **state)
{
    (void)state;
    dim_shape_ast *ast = parse_ok("_, ..., C");
    assert_int_equal(ast->rank, 3);
    assert_int_equal(ast->ellipsis, 1);
    assert_int_equal(ast->entries[0].kind, DIM_ENTRY_ANY);
    assert_int_equal(ast->entries[0].column, 1);
    assert_null(ast->entries[0].expr);
    assert_int_equal(ast->entries[1].kind, DIM_ENTRY_ELLIPSIS);
    assert_int_equal(ast->entries[1].column, 4);
    assert_null(ast->entries[1].expr);
    assert_int_equal(ast->entries[2].kind, DIM_ENTRY_EXPR);
    dim_shape_ast_free(ast);

    ast = parse_ok("...");
    assert_int_equal(ast->rank, 1);
    assert_int_equal(ast->ellipsis, 0);
    dim_shape_ast_free(ast);

    /* Identifiers that merely start with '_' are names. */
    ast = parse_ok("_foo, __, _1");
    assert_int_equal(ast->rank, 3);
    assert_string_equal(ast->entries[0].expr->path, "_foo");
    assert_string_equal(ast->entries[1].expr->path, "__");
    assert_string_equal(ast->entries[2].expr->path, "_1");
    dim_shape_ast_free(ast);
}

static void test_parse_paths_are_normalised(void **state)
{
    (void)state;
    const char *cases[][2] = {
        {"cfg->batch", "cfg->batch"},
        {"cfg -> batch", "cfg->batch"},
        {"m.dims.n", "m.dims.n"},
        {"m . dims . n", "m.dims.n"},
        {"cfg->dims.n", "cfg->dims.n"},
        {" a\t->\nb ", "a->b"},
        {"x->_", "x->_"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        dim_shape_ast *ast = parse_ok(cases[i][0]);
        assert_int_equal(ast->rank, 1);
        assert_int_equal(ast->entries[0].expr->kind, DIM_NODE_PATH);
        assert_string_equal(ast->entries[0].expr->path, cases[i][1]);
        dim_shape_ast_free(ast);
    }
}

static void test_parse_spacing_does_not_matter(void **state)
{
    (void)state;
    dim_shape_ast *a = parse_ok("B , 3");
    dim_shape_ast *b = parse_ok("B,3");
    assert_int_equal(a->rank, 2);
    assert_int_equal(b->rank, 2);
    assert_string_equal(a->entries[0].expr->path, b->entries[0].expr->path);
    assert_int_equal(a->entries[1].expr->value, b->entries[1].expr->value);
    assert_int_equal(a->entries[1].column, 5);
    assert_int_equal(b->entries[1].column, 3);
    dim_shape_ast_free(a);
    dim_shape_ast_free(b);

    a = parse_ok("( B + 1 ) * 2");
    assert_int_equal(a->entries[0].expr->kind, DIM_NODE_MUL);
    assert_int_equal(a->entries[0].expr->lhs->kind, DIM_NODE_ADD);
    dim_shape_ast_free(a);
}

static void test_parse_integer_literals(void **state)
{
    (void)state;
    struct {
        const char *text;
        int64_t value;
    } cases[] = {
        {"0", 0},
        {"42", 42},
        {"0x1F", 31},
        {"0X10", 16},
        {"017", 15},
        {"00", 0},
        {"0b101", 5},
        {"10u", 10},
        {"10U", 10},
        {"10l", 10},
        {"10L", 10},
        {"10ll", 10},
        {"10LL", 10},
        {"10ul", 10},
        {"10UL", 10},
        {"10lu", 10},
        {"10LU", 10},
        {"10ull", 10},
        {"10uLL", 10},
        {"10LLU", 10},
        {"10llu", 10},
        {"0x10ull", 16},
        {"017L", 15},
        {"9223372036854775807", INT64_MAX},
        {"0x7fffffffffffffff", INT64_MAX},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        dim_shape_ast *ast = parse_ok(cases[i].text);
        assert_int_equal(ast->entries[0].expr->kind, DIM_NODE_INT);
        if (ast->entries[0].expr->value != cases[i].value)
            fail_msg("'%s' is %lld", cases[i].text,
                     (long long)ast->entries[0].expr->value);
        dim_shape_ast_free(ast);
    }
}

static void test_parse_precedence_and_associativity(void **state)
{
    (void)state;
    dim_shape_ast *ast = parse_ok("A - B - C");
    const dim_node *n = ast->entries[0].expr;
    assert_int_equal(n->kind, DIM_NODE_SUB);
    assert_int_equal(n->lhs->kind, DIM_NODE_SUB);
    assert_string_equal(n->rhs->path, "C");
    dim_shape_ast_free(ast);

    ast = parse_ok("A + B * C");
    n = ast->entries[0].expr;
    assert_int_equal(n->kind, DIM_NODE_ADD);
    assert_int_equal(n->rhs->kind, DIM_NODE_MUL);
    dim_shape_ast_free(ast);

    ast = parse_ok("A / B % C * D");
    n = ast->entries[0].expr;
    assert_int_equal(n->kind, DIM_NODE_MUL);
    assert_int_equal(n->lhs->kind, DIM_NODE_MOD);
    assert_int_equal(n->lhs->lhs->kind, DIM_NODE_DIV);
    dim_shape_ast_free(ast);

    /* A binary node's column is that of its first operand. */
    ast = parse_ok("x, (B + 1) * 2");
    n = ast->entries[1].expr;
    assert_int_equal(ast->entries[1].column, 4);
    assert_int_equal(n->kind, DIM_NODE_MUL);
    assert_int_equal(n->lhs->column, 5);
    assert_int_equal(n->column, 5);
    assert_int_equal(n->rhs->column, 14);
    dim_shape_ast_free(ast);
}

static void test_parse_errors(void **state)
{
    (void)state;
    struct {
        const char *text;
        int column;
        const char *message;
    } cases[] = {
        {"B)", 2, "unexpected ')'"},
        {"()", 2, "unexpected ')'"},
        {"B + )", 5, "unexpected ')'"},
        {"B,", 3, "expected a dimension after ','"},
        {"B, ", 4, "expected a dimension after ','"},
        {"B,,C", 3, "expected a dimension after ','"},
        {", B", 1, "expected a dimension before ','"},
        {"...,...", 5, "'...' may appear only once"},
        {"..., B, ...", 9, "'...' may appear only once"},
        {"(B", 1, "unterminated '('"},
        {"B, ((C)", 4, "unterminated '('"},
        {"(", 1, "unterminated '('"},
        {"9223372036854775808", 1, "integer literal too large"},
        {"B, 0xffffffffffffffffff", 4, "integer literal too large"},
        {"B $", 3, "unexpected character '$'"},
        {"B, [3]", 4, "unexpected character '['"},
        {"B\x01", 2, "unexpected character '\\x01'"},
        {"_ + 1", 1, "'_' must be a whole dimension"},
        {"1 + _", 5, "'_' must be a whole dimension"},
        {"_ * B", 1, "'_' must be a whole dimension"},
        {"... + 1", 1, "'...' must be a whole dimension"},
        {"B + ...", 5, "'...' must be a whole dimension"},
        {"B +", 4, "expected an operand after '+'"},
        {"B * , C", 5, "expected an operand after '*'"},
        {"B -", 4, "expected an operand after '-'"},
        {"-1", 1, "unexpected '-'"},
        {"B C", 3, "unexpected 'C'"},
        {"B 3", 3, "unexpected '3'"},
        {"B (C)", 3, "unexpected '('"},
        {"_ _", 3, "unexpected '_'"},
        {"(B, C)", 3, "unexpected ','"},
        {"B->", 4, "expected a member name after '->'"},
        {"B.3", 3, "expected a member name after '.'"},
        {"B..C", 3, "expected a member name after '.'"},
        {"09", 1, "invalid integer literal '09'"},
        {"3B", 1, "invalid integer literal '3B'"},
        {"1.5", 1, "invalid integer literal '1.5'"},
        {"0x", 1, "invalid integer literal '0x'"},
        {"10lL", 1, "invalid integer literal '10lL'"},
        {"10uu", 1, "invalid integer literal '10uu'"},
        {"10lul", 1, "invalid integer literal '10lul'"},
        /* The leftmost problem is the one reported. */
        {"B + ) $", 5, "unexpected ')'"},
        {"$ + )", 1, "unexpected character '$'"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        expect_error(dim_parse, cases[i].text, cases[i].column,
                     cases[i].message);
}

static void test_parse_error_without_err_pointer(void **state)
{
    (void)state;
    assert_null(dim_parse("B +", NULL));
    dim_shape_ast *ast = dim_parse("B", NULL);
    assert_non_null(ast);
    dim_shape_ast_free(ast);
}

static void test_parse_expr(void **state)
{
    (void)state;
    dim_error err;
    dim_shape_ast *ast = dim_parse_expr(" (4 * B) ", &err);
    assert_non_null(ast);
    assert_int_equal(ast->rank, 1);
    assert_int_equal(ast->ellipsis, -1);
    assert_int_equal(ast->entries[0].kind, DIM_ENTRY_EXPR);
    assert_int_equal(ast->entries[0].expr->kind, DIM_NODE_MUL);
    assert_int_equal(ast->entries[0].column, 3);
    dim_shape_ast_free(ast);

    expect_error(dim_parse_expr, "", 1, "expected an expression");
    expect_error(dim_parse_expr, "  ", 3, "expected an expression");
    expect_error(dim_parse_expr, "B, C", 2, "unexpected ','");
    expect_error(dim_parse_expr, "_", 1, "'_' is not allowed in an expression");
    expect_error(dim_parse_expr, "...", 1,
                 "'...' is not allowed in an expression");
    expect_error(dim_parse_expr, "(1", 1, "unterminated '('");
}

static void test_parse_depth_limit(void **state)
{
    (void)state;
    /* 1000 parentheses: an error at the first one too many, no crash. */
    char *open = repeat("", "(", 1000, "1");
    char *text = repeat(open, ")", 1000, "");
    expect_error(dim_parse, text, DIM_MAX_DEPTH + 1,
                 "expression nested too deeply");
    free(open);
    free(text);

    open = repeat("", "(", DIM_MAX_DEPTH, "1");
    text = repeat(open, ")", DIM_MAX_DEPTH, "");
    dim_shape_ast *ast = parse_ok(text);
    assert_int_equal(ast->entries[0].expr->kind, DIM_NODE_INT);
    dim_shape_ast_free(ast);
    free(open);
    free(text);

    /* Operator chains build deep trees without recursion; they are
       bounded all the same.  "1+1+...": the k-th '+' is at column 2k. */
    text = repeat("1", "+1", DIM_MAX_DEPTH, "");
    ast = parse_ok(text);
    dim_shape_ast_free(ast);
    free(text);
    text = repeat("1", "+1", DIM_MAX_DEPTH + 1, "");
    expect_error(dim_parse, text, 2 * (DIM_MAX_DEPTH + 1),
                 "expression nested too deeply");
    free(text);
    text = repeat("1", "*1", 20000, "");
    expect_error(dim_parse, text, 2 * (DIM_MAX_DEPTH + 1),
                 "expression nested too deeply");
    free(text);
}

static void test_parse_dims_limit(void **state)
{
    (void)state;
    /* Dim k of "1,1,..." is at column 2k - 1. */
    char *text = repeat("1", ",1", 9999, "");
    expect_error(dim_parse, text, 2 * (DIM_MAX_DIMS + 1) - 1,
                 "too many dimensions");
    free(text);

    text = repeat("1", ",1", DIM_MAX_DIMS - 1, "");
    dim_shape_ast *ast = parse_ok(text);
    assert_int_equal(ast->rank, DIM_MAX_DIMS);
    dim_shape_ast_free(ast);
    free(text);
}

static void test_parse_text_limit(void **state)
{
    (void)state;
    char *text = repeat("", " ", DIM_MAX_TEXT - 1, "B");
    dim_shape_ast *ast = parse_ok(text);
    assert_int_equal(ast->rank, 1);
    assert_int_equal(ast->entries[0].column, DIM_MAX_TEXT);
    dim_shape_ast_free(ast);
    free(text);

    text = repeat("", " ", DIM_MAX_TEXT, "B");
    expect_error(dim_parse, text, 0, "annotation text too long");
    expect_error(dim_parse_expr, text, 0, "annotation text too long");
    free(text);
}

/* ---- Integer evaluation ----------------------------------------------- */

typedef struct binding {
    const char *name;
    int64_t value;
} binding;

static bool lookup(void *ud, const char *path, int64_t *value)
{
    for (const binding *b = ud; b->name; b++) {
        if (strcmp(b->name, path) == 0) {
            *value = b->value;
            return true;
        }
    }
    return false;
}

static const binding bindings[] = {
    {"B", 3},
    {"T", 9},
    {"cfg->batch", 16},
    {"big", INT64_MAX},
    {"min", INT64_MIN},
    {"zero", 0},
    {"two32", INT64_C(1) << 32},
    {NULL, 0},
};

/* Evaluates TEXT; returns true with *value, or false with *err. */
static bool eval(const char *text, int64_t *value, dim_error *err)
{
    dim_shape_ast *ast = dim_parse_expr(text, err);
    if (!ast)
        fail_msg("'%s' does not parse: %s", text, err->message);
    bool ok = dim_eval_int(ast->entries[0].expr, lookup, (void *)bindings,
                           value, err);
    dim_shape_ast_free(ast);
    return ok;
}

static void test_eval_values(void **state)
{
    (void)state;
    struct {
        const char *text;
        int64_t value;
    } cases[] = {
        {"2*B + T/2 - 7%3", 9},
        {"cfg->batch * 2", 32},
        {"cfg -> batch / B", 5},
        {"(B + 1) * (B + 1)", 16},
        {"B - T", -6},
        {"(0 - 7) / 2", -3}, /* C truncates */
        {"(0 - 7) % 2", -1},
        {"7 % (0 - 2)", 1},
        {"min % (0 - 1)", 0},
        {"0x10 + 010 + 10ul", 34},
        {"big - 1 + 1", INT64_MAX},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        int64_t v = 0;
        dim_error err;
        if (!eval(cases[i].text, &v, &err))
            fail_msg("'%s': %s", cases[i].text, err.message);
        if (v != cases[i].value)
            fail_msg("'%s' is %lld", cases[i].text, (long long)v);
    }
}

static void test_eval_errors(void **state)
{
    (void)state;
    struct {
        const char *text;
        int column;
        const char *message;
    } cases[] = {
        {"N", 1, "unknown dimension 'N'"},
        {"B + cfg->size", 5, "unknown dimension 'cfg->size'"},
        {"B / zero", 5, "division by zero"},
        {"4 / (B - 3)", 6, "division by zero"},
        {"B % 0", 5, "modulo by zero"},
        {"big + 1", 1, "integer overflow"},
        {"2 * (big - B)", 1, "integer overflow"},
        {"min - 1", 1, "integer overflow"},
        {"two32 * two32", 1, "integer overflow"},
        {"min / (0 - 1)", 1, "integer overflow"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        int64_t v = 0;
        dim_error err = {0, ""};
        if (eval(cases[i].text, &v, &err))
            fail_msg("'%s' evaluates to %lld", cases[i].text, (long long)v);
        if (err.column != cases[i].column ||
            strcmp(err.message, cases[i].message) != 0)
            fail_msg("'%s': got %d: %s", cases[i].text, err.column,
                     err.message);
    }

    /* No lookup at all: every name is unknown. */
    dim_error err;
    int64_t v;
    dim_shape_ast *ast = dim_parse_expr("1 + B", &err);
    assert_false(dim_eval_int(ast->entries[0].expr, NULL, NULL, &v, &err));
    assert_string_equal(err.message, "unknown dimension 'B'");
    assert_int_equal(err.column, 5);
    dim_shape_ast_free(ast);
}

/* ---- Canonical polynomials -------------------------------------------- */

static void test_poly_canonical_text(void **state)
{
    fixture *f = *state;
    const char *cases[][2] = {
        {"B", "B"},
        {"2*B", "2*B"},
        {"B*2", "2*B"},
        {"T*B", "B*T"},
        {"B*T", "B*T"},
        {"1 + B", "B + 1"},
        {"B - 1", "B - 1"},
        {"3 - B", "3 - B"},
        {"0 - B", "-B"},
        {"0 - 5", "-5"},
        {"0 - B - 2", "-B - 2"},
        {"B*B", "B*B"},
        {"1 + B + B*B", "B*B + B + 1"},
        {"(B + 1)*(B + 1)", "B*B + 2*B + 1"},
        {"(B - 1)*(B + 1)", "B*B - 1"},
        {"N*M - B*T", "M*N - B*T"},
        {"B - B", "0"},
        {"B + T - B", "T"},
        {"cfg->batch * 2", "2*cfg->batch"},
        {"2*B/2", "B"},
        {"(4*B + 2)/2", "2*B + 1"},
        {"(2*B + 1)/2", "(2*B + 1)/2"},
        {"B/2", "B/2"},
        {"(B + 1)/2", "(B + 1)/2"},
        {"B % 2", "B%2"},
        {"2*B % 2", "0"},
        {"B/1", "B"},
        {"B % 1", "0"},
        {"7/2", "3"},
        {"(0 - 7)/2", "-3"},
        {"(0 - 7) % 2", "-1"},
        {"0/B", "0"},
        {"B/T", "B/T"},
        {"B/(2*T)", "B/(2*T)"},
        {"B/(T + 1)", "B/(T + 1)"},
        {"(B*T)/2", "B*T/2"},
        {"B/2/2", "B/2/2"},
        {"B/(B/2)", "B/(B/2)"},
        {"3*(B/2)", "3*(B/2)"},
        {"(B/2)*T", "T*(B/2)"},
        {"B/2 + B/2", "2*(B/2)"},
        {"1 - B/2", "1 - B/2"},
        {"(0 - B)/2", "(-B)/2"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        const char *got = fmt(f, P(f, cases[i][0]));
        if (strcmp(got, cases[i][1]) != 0)
            fail_msg("'%s' prints '%s', expected '%s'", cases[i][0], got,
                     cases[i][1]);
    }
}

/* What dim_format prints parses back to the same polynomial. */
static void test_poly_format_round_trips(void **state)
{
    fixture *f = *state;
    const char *texts[] = {
        "B*T + 3",   "3 - B",       "(B + 1)/2*T", "T*(B % 3)",
        "B/(T - 1)", "(B*B - 1)/T", "2*(B/2)/3",   "(B/2)/(T/3) - 1",
    };
    for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
        const dim_poly *p = P(f, texts[i]);
        char text[256];
        dim_format(f->ctx, p, text, sizeof text);
        if (P(f, text) != p)
            fail_msg("'%s' prints as '%s', which reads back differently",
                     texts[i], text);
    }
}

static void test_poly_format_is_snprintf(void **state)
{
    fixture *f = *state;
    const dim_poly *p = P(f, "(B + 1)*(B + 1)"); /* "B*B + 2*B + 1" */
    char buf[8];
    memset(buf, 'x', sizeof buf);
    assert_int_equal(dim_format(f->ctx, p, buf, 4), 13);
    assert_string_equal(buf, "B*B");
    assert_int_equal(buf[4], 'x');
    assert_int_equal(dim_format(f->ctx, p, buf, 1), 13);
    assert_string_equal(buf, "");
    assert_int_equal(dim_format(f->ctx, p, NULL, 0), 13);
    assert_int_equal(dim_format(f->ctx, NULL, buf, sizeof buf), 1);
    assert_string_equal(buf, "?");
    assert_string_equal(fmt(f, dim_const(f->ctx, INT64_MIN)),
                        "-9223372036854775808");
    assert_string_equal(fmt(f, dim_const(f->ctx, 0)), "0");
}

static void test_poly_hash_consing(void **state)
{
    fixture *f = *state;
    assert_ptr_equal(P(f, "B*T"), P(f, "T*B"));
    assert_ptr_equal(P(f, "2*B"), P(f, "B + B"));
    assert_ptr_equal(P(f, "B/2"), P(f, "B/2"));
    assert_ptr_equal(P(f, "(B + 1)/2"), P(f, "(1 + B)/2"));
    assert_ptr_equal(P(f, "(2*B)/2"), sym(f, "B"));
    assert_ptr_equal(P(f, "B - B"), dim_const(f->ctx, 0));
    assert_ptr_equal(dim_const(f->ctx, 5), dim_const(f->ctx, 5));
    assert_ptr_equal(P(f, "2 + 3"), dim_const(f->ctx, 5));
    assert_ptr_not_equal(P(f, "B/2"), P(f, "B%2"));
    assert_ptr_not_equal(P(f, "B"), P(f, "T"));

    /* Two symbols with one display name stay distinct. */
    dim_sym s1 = dim_sym_new(f->ctx, "K"), s2 = dim_sym_new(f->ctx, "K");
    assert_int_not_equal(s1, s2);
    assert_string_equal(dim_sym_name(f->ctx, s1), "K");
    assert_string_equal(dim_sym_name(f->ctx, s2), "K");
    const dim_poly *k1 = dim_symbol(f->ctx, s1), *k2 = dim_symbol(f->ctx, s2);
    assert_ptr_not_equal(k1, k2);
    assert_ptr_equal(dim_mul(f->ctx, k1, k2), dim_mul(f->ctx, k2, k1));
    assert_int_equal(dim_compare(f->ctx, k1, k2), DIM_MAY_EQUAL);
    assert_null(dim_sym_name(f->ctx, (dim_sym)100000));
    assert_null(dim_symbol(f->ctx, (dim_sym)100000));
}

/* Thousands of polynomials: interning stays correct as tables grow. */
static void test_poly_many(void **state)
{
    fixture *f = *state;
    enum { N = 3000 };
    static const dim_poly *made[N];
    const dim_poly *b = sym(f, "B");
    for (int i = 0; i < N; i++)
        made[i] = dim_add(f->ctx, dim_mul(f->ctx, b, dim_const(f->ctx, i)),
                          dim_const(f->ctx, 1));
    for (int i = N - 1; i >= 0; i--) {
        const dim_poly *again =
            dim_add(f->ctx, dim_const(f->ctx, 1),
                    dim_mul(f->ctx, dim_const(f->ctx, i), b));
        assert_ptr_equal(again, made[i]);
    }
    assert_ptr_not_equal(made[1], made[2]);
}

static void test_poly_queries(void **state)
{
    fixture *f = *state;
    int64_t v = 0;
    dim_sym s;
    assert_true(dim_is_const(P(f, "6*7"), &v));
    assert_int_equal(v, 42);
    assert_true(dim_is_const(P(f, "B - B"), &v));
    assert_int_equal(v, 0);
    assert_false(dim_is_const(P(f, "B"), &v));
    assert_false(dim_is_const(P(f, "B + 1"), &v));
    assert_false(dim_is_const(NULL, &v));

    assert_true(dim_is_symbol(P(f, "2*B/2"), &s));
    assert_int_equal(s, sym_of(f, "B"));
    assert_string_equal(dim_sym_name(f->ctx, s), "B");
    assert_false(dim_is_symbol(P(f, "2*B"), &s));
    assert_false(dim_is_symbol(P(f, "B*B"), &s));
    assert_false(dim_is_symbol(P(f, "B + 1"), &s));
    assert_false(dim_is_symbol(P(f, "B/2"), &s));
    assert_false(dim_is_symbol(P(f, "3"), &s));
    assert_false(dim_is_symbol(NULL, &s));
}

static void test_poly_division_folding(void **state)
{
    fixture *f = *state;
    dim_ctx *c = f->ctx;
    const dim_poly *b = sym(f, "B");
    const dim_poly *two = dim_const(c, 2);
    const dim_poly *zero = dim_const(c, 0);
    const dim_poly *two_b = dim_mul(c, two, b);

    assert_ptr_equal(dim_div(c, two_b, two), b);
    assert_ptr_equal(dim_mod(c, two_b, two), zero);
    assert_ptr_equal(dim_div(c, b, dim_const(c, 1)), b);
    assert_ptr_equal(dim_mod(c, b, dim_const(c, 1)), zero);
    assert_ptr_equal(dim_div(c, two_b, dim_const(c, -2)), P(f, "0 - B"));
    assert_ptr_equal(dim_div(c, zero, b), zero);
    assert_ptr_equal(dim_mod(c, zero, b), zero);
    assert_ptr_equal(dim_div(c, dim_const(c, -7), two), dim_const(c, -3));
    assert_ptr_equal(dim_mod(c, dim_const(c, -7), two), dim_const(c, -1));
    assert_ptr_equal(dim_div(c, P(f, "6*B*T + 4"), two), P(f, "3*B*T + 2"));
    assert_ptr_equal(dim_div(c, b, two), dim_div(c, b, two));
    assert_string_equal(fmt(f, dim_div(c, P(f, "6*B + 3"), two)),
                        "(6*B + 3)/2");

    /* Division by the constant 0 and overflow: unknown. */
    assert_null(dim_div(c, b, zero));
    assert_null(dim_mod(c, b, zero));
    assert_null(dim_div(c, dim_const(c, 7), zero));
    assert_null(dim_div(c, dim_const(c, INT64_MIN), dim_const(c, -1)));
    assert_ptr_equal(dim_mod(c, dim_const(c, INT64_MIN), dim_const(c, -1)),
                     zero);
    assert_null(
        dim_div(c, dim_mul(c, dim_const(c, INT64_MIN), b), dim_const(c, -1)));
    assert_null(dim_div(c, NULL, two));
    assert_null(dim_mod(c, b, NULL));
}

static void test_poly_overflow_is_unknown(void **state)
{
    fixture *f = *state;
    dim_ctx *c = f->ctx;
    const dim_poly *max = dim_const(c, INT64_MAX);
    const dim_poly *b = sym(f, "B");
    assert_null(dim_add(c, max, dim_const(c, 1)));
    assert_null(dim_sub(c, dim_const(c, INT64_MIN), dim_const(c, 1)));
    assert_null(dim_mul(c, max, dim_const(c, 2)));
    assert_null(dim_mul(c, dim_mul(c, max, b), dim_const(c, 2)));
    assert_null(dim_add(c, dim_mul(c, max, b), b));
    assert_null(dim_sub(c, b, dim_mul(c, dim_const(c, INT64_MIN), b)));
    assert_non_null(dim_add(c, max, dim_const(c, 0)));
    assert_null(dim_add(c, NULL, b));
    assert_null(dim_sub(c, b, NULL));
    assert_null(dim_mul(c, NULL, NULL));
}

static void test_poly_max_terms(void **state)
{
    fixture *f = *state;
    dim_ctx *c = f->ctx;
    /* (A0 + B0) * (A1 + B1) * ...: 2^k terms; 2^6 = 64 fits, 2^7 not. */
    const dim_poly *p = dim_const(c, 1);
    for (int i = 0; i < 10; i++) {
        char a[8], bn[8];
        snprintf(a, sizeof a, "A%d", i);
        snprintf(bn, sizeof bn, "B%d", i);
        p = dim_mul(c, p, dim_add(c, sym(f, a), sym(f, bn)));
        if (i == 5) {
            assert_non_null(p);
            assert_true(dim_format(c, p, NULL, 0) > 64 * 10);
        }
        if (i >= 6)
            assert_null(p);
    }

    /* Sums are capped too: 64 distinct symbols fit, 65 not. */
    const dim_poly *sum = dim_const(c, 0);
    for (int i = 0; i < DIM_MAX_TERMS + 1; i++) {
        char name[8];
        snprintf(name, sizeof name, "S%d", i);
        sum = dim_add(c, sum, dim_symbol(c, dim_sym_new(c, name)));
        if (i < DIM_MAX_TERMS)
            assert_non_null(sum);
    }
    assert_null(sum);

    /* A power whose expansion is too big is unknown, quickly. */
    const dim_poly *q = P(f, "(A + B + C + D)");
    for (int i = 0; i < 6; i++)
        q = dim_mul(c, q, q);
    assert_null(q);
}

/* Repeated squaring and nested quotients are bounded: NULL, not a hang
   or a stack overflow. */
static void test_poly_size_bounds(void **state)
{
    fixture *f = *state;
    dim_ctx *c = f->ctx;
    const dim_poly *p = sym(f, "B");
    int i;
    for (i = 0; i < 64 && p; i++)
        p = dim_mul(c, p, p);
    assert_null(p);
    assert_true(i > 8);

    const dim_poly *two = dim_const(c, 2);
    p = sym(f, "B");
    for (i = 0; i < 1000 && p; i++)
        p = dim_div(c, p, two);
    assert_null(p);
    assert_true(i > 20);

    p = sym(f, "B");
    for (i = 0; i < 10; i++)
        p = dim_div(c, p, two);
    assert_string_equal(fmt(f, p), "B/2/2/2/2/2/2/2/2/2/2");
}

/* ---- Comparison ------------------------------------------------------- */

static const char *relation_name(dim_relation r)
{
    return r == DIM_EQUAL ? "EQUAL" : r == DIM_CANNOT_EQUAL ? "CANNOT" : "MAY";
}

static void test_compare(void **state)
{
    fixture *f = *state;
    struct {
        const char *a, *b;
        dim_relation r;
    } cases[] = {
        {"32", "64", DIM_CANNOT_EQUAL},
        {"32", "32", DIM_EQUAL},
        {"B", "2*B", DIM_CANNOT_EQUAL},
        {"B", "B + 1", DIM_CANNOT_EQUAL},
        {"B*T", "T*B", DIM_EQUAL},
        {"N", "M", DIM_MAY_EQUAL},
        {"B*T", "B", DIM_MAY_EQUAL},
        {"B - 1", "0", DIM_MAY_EQUAL},
        {"B/2", "B", DIM_MAY_EQUAL},
        {"2*B", "B + B", DIM_EQUAL},
        {"(B + 1)*(B + 1)", "B*B + 2*B + 1", DIM_EQUAL},
        {"B", "0", DIM_CANNOT_EQUAL},
        {"B + T", "B", DIM_CANNOT_EQUAL},
        {"B*T + 1", "1", DIM_CANNOT_EQUAL},
        {"B*B", "B", DIM_MAY_EQUAL},
        {"B*B + 1", "2*B", DIM_MAY_EQUAL},
        {"2*N", "M", DIM_MAY_EQUAL},
        {"N*M", "M*N", DIM_EQUAL},
        {"B", "B - 1 + 1", DIM_EQUAL},
        {"B/2 + 1", "B/2", DIM_CANNOT_EQUAL},
        {"B/2", "T/2", DIM_MAY_EQUAL},
        {"B/2", "B/2", DIM_EQUAL},
        {"B % 2", "0", DIM_MAY_EQUAL},
        {"B/2 + B", "B/2", DIM_CANNOT_EQUAL},
        {"2*B/2", "B", DIM_EQUAL},
        {"3 - B", "3", DIM_CANNOT_EQUAL},
        {"3 - B", "2", DIM_MAY_EQUAL},
        {"cfg->batch", "cfg->batch * 1", DIM_EQUAL},
        {"cfg->batch", "32", DIM_MAY_EQUAL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        dim_relation r =
            dim_compare(f->ctx, P(f, cases[i].a), P(f, cases[i].b));
        if (r != cases[i].r)
            fail_msg("'%s' vs '%s': %s, expected %s", cases[i].a, cases[i].b,
                     relation_name(r), relation_name(cases[i].r));
        /* Symmetric. */
        r = dim_compare(f->ctx, P(f, cases[i].b), P(f, cases[i].a));
        if (r != cases[i].r)
            fail_msg("'%s' vs '%s': %s, expected %s", cases[i].b, cases[i].a,
                     relation_name(r), relation_name(cases[i].r));
    }
}

static void test_compare_unknown(void **state)
{
    fixture *f = *state;
    const dim_poly *b = sym(f, "B");
    assert_int_equal(dim_compare(f->ctx, NULL, b), DIM_MAY_EQUAL);
    assert_int_equal(dim_compare(f->ctx, b, NULL), DIM_MAY_EQUAL);
    assert_int_equal(dim_compare(f->ctx, NULL, NULL), DIM_MAY_EQUAL);
    assert_int_equal(dim_compare(f->ctx, NULL, dim_const(f->ctx, 3)),
                     DIM_MAY_EQUAL);
    /* A difference that overflows is undecided, not a mismatch. */
    assert_int_equal(dim_compare(f->ctx, dim_const(f->ctx, INT64_MAX),
                                 dim_const(f->ctx, -1)),
                     DIM_MAY_EQUAL);
    /* ...either way round: (B - INT64_MAX) - (B + 1) is INT64_MIN, but
       (B + 1) - (B - INT64_MAX) overflows (found by fuzz_dim). */
    const dim_poly *low = P(f, "B - 9223372036854775807");
    const dim_poly *high = P(f, "B + 1");
    assert_int_equal(dim_compare(f->ctx, low, high), DIM_MAY_EQUAL);
    assert_int_equal(dim_compare(f->ctx, high, low), DIM_MAY_EQUAL);
    const dim_poly *min = dim_const(f->ctx, INT64_MIN);
    assert_int_equal(dim_compare(f->ctx, min, dim_const(f->ctx, 0)),
                     DIM_MAY_EQUAL);
    assert_int_equal(dim_compare(f->ctx, dim_const(f->ctx, 0), min),
                     DIM_MAY_EQUAL);
}

/* ---- Substitution and symbols ----------------------------------------- */

typedef struct subst_table {
    fixture *f;
    const char *name[4];
    const dim_poly *value[4];
    int calls;
} subst_table;

static const dim_poly *subst(void *ud, dim_sym s)
{
    subst_table *t = ud;
    t->calls++;
    for (int i = 0; i < 4 && t->name[i]; i++)
        if (s == sym_of(t->f, t->name[i]))
            return t->value[i];
    return NULL;
}

static const dim_poly *substitute1(fixture *f, const char *text,
                                   const char *name, const dim_poly *value)
{
    subst_table t = {f, {name}, {value}, 0};
    return dim_substitute(f->ctx, P(f, text), subst, &t);
}

static void test_substitute(void **state)
{
    fixture *f = *state;
    dim_ctx *c = f->ctx;
    assert_ptr_equal(substitute1(f, "B/2", "B", dim_const(c, 8)),
                     dim_const(c, 4));
    assert_ptr_equal(substitute1(f, "B % 3", "B", dim_const(c, 8)),
                     dim_const(c, 2));
    assert_ptr_equal(substitute1(f, "(B + 1)/2", "B", P(f, "2*N + 1")),
                     P(f, "N + 1"));
    assert_ptr_equal(substitute1(f, "B % 2", "B", P(f, "2*N")),
                     dim_const(c, 0));
    assert_ptr_equal(substitute1(f, "B*T + B", "B", P(f, "T + 1")),
                     P(f, "T*T + 2*T + 1"));
    assert_ptr_equal(substitute1(f, "B*B*B", "B", dim_const(c, 3)),
                     dim_const(c, 27));
    assert_ptr_equal(substitute1(f, "B/T/2", "T", dim_const(c, 1)),
                     P(f, "B/2"));
    assert_string_equal(fmt(f, substitute1(f, "B/2 + T", "T", P(f, "M"))),
                        "M + B/2");

    /* Nothing replaced: the very same polynomial. */
    const dim_poly *p = P(f, "N*M + (N + 1)/M");
    subst_table none = {f, {NULL}, {NULL}, 0};
    assert_ptr_equal(dim_substitute(c, p, subst, &none), p);
    assert_true(none.calls > 0);

    /* Unknown in, unknown out; a division by a 0 that appears: unknown. */
    assert_null(dim_substitute(c, NULL, subst, &none));
    assert_null(substitute1(f, "B/T", "T", dim_const(c, 0)));
    assert_null(substitute1(f, "B*B", "B", dim_const(c, INT64_C(1) << 40)));
}

typedef struct seen {
    int count[64];
    int calls;
} seen;

static void note_symbol(void *ud, dim_sym s)
{
    seen *v = ud;
    assert_true(s < 64);
    v->count[s]++;
    v->calls++;
}

static void test_poly_symbols(void **state)
{
    fixture *f = *state;
    const dim_poly *p = P(f, "B*T + B/N + 3");
    seen v = {{0}, 0};
    dim_poly_symbols(p, note_symbol, &v);
    assert_true(v.count[sym_of(f, "B")] >= 1);
    assert_true(v.count[sym_of(f, "T")] >= 1);
    assert_true(v.count[sym_of(f, "N")] >= 1);
    int total = v.count[sym_of(f, "B")] + v.count[sym_of(f, "T")] +
                v.count[sym_of(f, "N")];
    assert_int_equal(total, v.calls);
    (void)sym_of(f, "M");
    assert_int_equal(v.count[sym_of(f, "M")], 0);

    seen none = {{0}, 0};
    dim_poly_symbols(P(f, "42"), note_symbol, &none);
    dim_poly_symbols(NULL, note_symbol, &none);
    assert_int_equal(none.calls, 0);
}

/* ---- Syntax trees to polynomials -------------------------------------- */

static const dim_poly *from_text(fixture *f, const char *text, dim_error *err)
{
    dim_shape_ast *ast = dim_parse_expr(text, err);
    assert_non_null(ast);
    const dim_poly *p =
        dim_from_node(f->ctx, ast->entries[0].expr, resolve, f, err);
    dim_shape_ast_free(ast);
    return p;
}

static void test_from_node(void **state)
{
    fixture *f = *state;
    dim_error err;

    /* Unknown names: NULL, no error. */
    assert_null(from_text(f, "unknown + 1", &err));
    assert_int_equal(err.column, 0);
    assert_null(from_text(f, "B * unknown", &err));
    assert_int_equal(err.column, 0);

    struct {
        const char *text;
        int column;
        const char *message;
    } cases[] = {
        {"B / 0", 5, "division by zero"},
        {"B % (T - T)", 6, "modulo by zero"},
        {"unknown / 0", 11, "division by zero"},
        {"(B + 1) / (2 - 2) + T", 12, "division by zero"},
        {"9223372036854775807 + 1", 1, "integer overflow"},
        {"9223372036854775807 * B * 2", 1, "integer overflow"},
        {"B + (9223372036854775807 + 1)", 6, "integer overflow"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        err.column = 0;
        const dim_poly *p = from_text(f, cases[i].text, &err);
        if (p)
            fail_msg("'%s' gives '%s'", cases[i].text, fmt(f, p));
        if (err.column != cases[i].column ||
            strcmp(err.message, cases[i].message) != 0)
            fail_msg("'%s': got %d: %s", cases[i].text, err.column,
                     err.message);
    }

    /* Success leaves no error behind. */
    err.column = 7;
    assert_ptr_equal(from_text(f, "B*(T + 1)", &err), P(f, "B*T + B"));
    assert_int_equal(err.column, 0);

    /* Without a resolver every name is unknown. */
    dim_shape_ast *ast = dim_parse_expr("B", &err);
    assert_null(dim_from_node(f->ctx, ast->entries[0].expr, NULL, NULL, &err));
    assert_int_equal(err.column, 0);
    dim_shape_ast_free(ast);
}

/* Contexts are independent: no global state. */
static void test_contexts_are_independent(void **state)
{
    (void)state;
    dim_ctx *a = dim_ctx_new(), *b = dim_ctx_new();
    dim_sym sa = dim_sym_new(a, "X"), sb = dim_sym_new(b, "Y");
    assert_int_equal(sa, 0);
    assert_int_equal(sb, 0);
    assert_string_equal(dim_sym_name(a, sa), "X");
    assert_string_equal(dim_sym_name(b, sb), "Y");
    assert_ptr_not_equal(dim_const(a, 1), dim_const(b, 1));
    dim_ctx_free(a);
    dim_ctx_free(b);
    dim_ctx_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_empty_is_rank_0),
        cmocka_unit_test(test_parse_ranks_and_columns),
        cmocka_unit_test(test_parse_any_and_ellipsis),
        cmocka_unit_test(test_parse_paths_are_normalised),
        cmocka_unit_test(test_parse_spacing_does_not_matter),
        cmocka_unit_test(test_parse_integer_literals),
        cmocka_unit_test(test_parse_precedence_and_associativity),
        cmocka_unit_test(test_parse_errors),
        cmocka_unit_test(test_parse_error_without_err_pointer),
        cmocka_unit_test(test_parse_expr),
        cmocka_unit_test(test_parse_depth_limit),
        cmocka_unit_test(test_parse_dims_limit),
        cmocka_unit_test(test_parse_text_limit),
        cmocka_unit_test(test_eval_values),
        cmocka_unit_test(test_eval_errors),
        cmocka_unit_test_setup_teardown(test_poly_canonical_text, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_poly_format_round_trips, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_poly_format_is_snprintf, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_poly_hash_consing, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_poly_many, setup, teardown),
        cmocka_unit_test_setup_teardown(test_poly_queries, setup, teardown),
        cmocka_unit_test_setup_teardown(test_poly_division_folding, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_poly_overflow_is_unknown, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_poly_max_terms, setup, teardown),
        cmocka_unit_test_setup_teardown(test_poly_size_bounds, setup, teardown),
        cmocka_unit_test_setup_teardown(test_compare, setup, teardown),
        cmocka_unit_test_setup_teardown(test_compare_unknown, setup, teardown),
        cmocka_unit_test_setup_teardown(test_substitute, setup, teardown),
        cmocka_unit_test_setup_teardown(test_poly_symbols, setup, teardown),
        cmocka_unit_test_setup_teardown(test_from_node, setup, teardown),
        cmocka_unit_test(test_contexts_are_independent),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
