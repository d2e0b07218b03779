/*
 * test_dim.c - unit tests of the dimension language (annotations/dim.h):
 * the parser and its error messages, integer evaluation, canonical
 * polynomials and exact division, the decisions (comparison, order) with
 * a randomized soundness oracle, substitution and the bounds that keep
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

static const dim_poly *substitute1(fixture *f, const char *text,
                                   const char *name, const dim_poly *value);

/* Exact division by a polynomial: the quotient when the divisor leaves
   no remainder, an opaque atom otherwise. */
static void test_poly_exact_division(void **state)
{
    fixture *f = *state;
    const char *exact[][2] = {
        {"(2*b*i)/b", "2*i"},
        {"(b*(i + 1))/b", "i + 1"},
        {"(b*i + b)/b", "i + 1"},
        {"(B*T*C)/(T*C)", "B"},
        {"(b*i + b*j)/(i + j)", "b"},
        {"(B*B - 1)/(B - 1)", "B + 1"},
        {"(B*B - 1)/(B + 1)", "B - 1"},
        {"(B*B*B - 1)/(B - 1)", "B*B + B + 1"},
        {"(B*B + 2*B*T + T*T)/(B + T)", "B + T"},
        {"(6*B*T + 4*T)/(2*T)", "3*B + 2"},
        {"(2*B - 2*T)/(B - T)", "2"},
        {"(0 - B*T)/(0 - T)", "B"},
        {"(B*T)/(0 - T)", "-B"},
        {"(T*(B/2) + T)/(B/2 + 1)", "T"},
        {"((B/2)*(B/2))/(B/2)", "B/2"},
        {"(B*T*N)/(B*T)", "N"},
    };
    for (size_t i = 0; i < sizeof exact / sizeof *exact; i++) {
        const char *got = fmt(f, P(f, exact[i][0]));
        if (strcmp(got, exact[i][1]) != 0)
            fail_msg("'%s' is '%s', expected '%s'", exact[i][0], got,
                     exact[i][1]);
    }
    /* A remainder, or a coefficient that does not divide: opaque. */
    const char *opaque[][2] = {
        {"(B*B + 1)/B", "(B*B + 1)/B"},
        {"(B + 1)/(B - 1)", "(B + 1)/(B - 1)"},
        {"(3*B*T)/(2*T)", "3*B*T/(2*T)"},
        {"B/(B*T)", "B/(B*T)"},
        {"(B*T + 1)/(T)", "(B*T + 1)/T"},
        {"(B*I + B*J)/(I + J + 1)", "(B*I + B*J)/(I + J + 1)"},
        {"(B*B + 1) % B", "(B*B + 1)%B"},
    };
    for (size_t i = 0; i < sizeof opaque / sizeof *opaque; i++) {
        const char *got = fmt(f, P(f, opaque[i][0]));
        if (strcmp(got, opaque[i][1]) != 0)
            fail_msg("'%s' is '%s', expected '%s'", opaque[i][0], got,
                     opaque[i][1]);
    }
    /* The remainder of an exact division is 0. */
    dim_ctx *c = f->ctx;
    const dim_poly *zero = dim_const(c, 0);
    assert_ptr_equal(P(f, "(b*i + b*j) % (i + j)"), zero);
    assert_ptr_equal(P(f, "(B*T) % T"), zero);
    assert_ptr_equal(P(f, "(B*B - 1) % (B + 1)"), zero);

    /* Substitution can make a division exact. */
    assert_ptr_equal(substitute1(f, "(B*T)/N", "N", sym(f, "T")), sym(f, "B"));
    assert_ptr_equal(substitute1(f, "(B*T) % N", "N", sym(f, "B")), zero);

    /* A quotient of DIM_MAX_TERMS terms is found, one more is opaque:
       (X^n - 1)/(X - 1) = X^(n-1) + ... + 1. */
    const dim_poly *x = sym(f, "X"), *x_1 = P(f, "X - 1");
    const dim_poly *pow = dim_const(c, 1);
    for (int i = 0; i < DIM_MAX_TERMS; i++)
        pow = dim_mul(c, pow, x);
    const dim_poly *q = dim_div(c, dim_sub(c, pow, dim_const(c, 1)), x_1);
    assert_non_null(q);
    assert_ptr_equal(dim_mul(c, q, x_1), dim_sub(c, pow, dim_const(c, 1)));
    pow = dim_mul(c, pow, x);
    const dim_poly *big = dim_sub(c, pow, dim_const(c, 1));
    q = dim_div(c, big, x_1);
    assert_non_null(q);
    /* Opaque: the quotient would have one term too many. */
    assert_ptr_not_equal(dim_mul(c, q, x_1), big);
    assert_non_null(strstr(fmt(f, q), ")/(X - 1)"));
    assert_ptr_not_equal(dim_mod(c, big, x_1), zero);

    /* Coefficients at the edge: INT64_MIN / -1 does not fold, nor fail. */
    const dim_poly *min_b = dim_mul(c, dim_const(c, INT64_MIN), sym(f, "B"));
    const dim_poly *neg_b = P(f, "0 - B");
    q = dim_div(c, min_b, neg_b);
    assert_non_null(q);
    assert_ptr_not_equal(dim_mul(c, q, neg_b), min_b);
    assert_ptr_equal(dim_div(c, dim_mul(c, min_b, sym(f, "T")), sym(f, "T")),
                     min_b);
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
        {"B/2", "B", DIM_CANNOT_EQUAL},
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
        /* Bounds of opaque atoms, symbols >= 1. */
        {"B/2", "B + 1", DIM_CANNOT_EQUAL},
        {"(B + 1)/2", "B + 1", DIM_CANNOT_EQUAL},
        {"B/2", "(B + 1)/2", DIM_MAY_EQUAL},
        {"B/3", "0", DIM_MAY_EQUAL},
        {"B/3 + 1", "0", DIM_CANNOT_EQUAL},
        {"(0 - B)/2", "1", DIM_CANNOT_EQUAL},
        {"B/(0 - 2)", "B", DIM_CANNOT_EQUAL},
        {"B % 4", "B + 4", DIM_CANNOT_EQUAL},
        {"B % 4", "4", DIM_CANNOT_EQUAL},
        {"B % 4", "B + 1", DIM_CANNOT_EQUAL},
        {"B % 4", "B", DIM_MAY_EQUAL},
        {"B % 4", "3", DIM_MAY_EQUAL},
        {"B/T", "B + 1", DIM_CANNOT_EQUAL},
        {"B/T", "B", DIM_MAY_EQUAL},
        {"B % T", "T", DIM_CANNOT_EQUAL},
        {"B % T", "B + 1", DIM_CANNOT_EQUAL},
        {"(B/2)*T", "B*T", DIM_CANNOT_EQUAL},
        {"(B/2)*(T/2)", "B*T", DIM_CANNOT_EQUAL},
        {"(B % 3)*(T % 3)", "5", DIM_CANNOT_EQUAL},
        {"(B % 3)*(T % 3)", "4", DIM_MAY_EQUAL},
        {"(B/2)/2", "B/4", DIM_EQUAL},
        /* One symbol inside and outside an atom: still one value. */
        {"B - 2*(B/2)", "2", DIM_CANNOT_EQUAL},
        {"B - 2*(B/2)", "0", DIM_MAY_EQUAL},
        {"B - 2*(B/2)", "1", DIM_MAY_EQUAL},
        {"B - B/2", "B/2", DIM_MAY_EQUAL},
        /* Polynomials over symbols >= 1 (the shift test). */
        {"(B - 1)*(T - 1)", "0 - 1", DIM_CANNOT_EQUAL},
        {"B*B + 2", "2*B", DIM_CANNOT_EQUAL},
        {"B*T + 2", "B + T", DIM_CANNOT_EQUAL},
        {"B*T + 1", "B + T", DIM_MAY_EQUAL},
        {"B*B*B", "3*B*B - 3*B + 1", DIM_MAY_EQUAL},
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

static const char *order_name(dim_order o)
{
    static const char *names[] = {"UNKNOWN", "LT", "LE", "EQ", "GE", "GT"};
    return names[o];
}

/* What dim_order_of(b, a) must be, given dim_order_of(a, b). */
static dim_order mirror(dim_order o)
{
    switch (o) {
    case DIM_ORDER_LT:
        return DIM_ORDER_GT;
    case DIM_ORDER_LE:
        return DIM_ORDER_GE;
    case DIM_ORDER_GE:
        return DIM_ORDER_LE;
    case DIM_ORDER_GT:
        return DIM_ORDER_LT;
    default:
        return o;
    }
}

/* dim_order_of and dim_compare on one pair, both ways round: symmetric,
   and in agreement with each other. */
static dim_order order_checked(dim_ctx *ctx, const dim_poly *a,
                               const dim_poly *b)
{
    dim_order o = dim_order_of(ctx, a, b);
    dim_relation r = dim_compare(ctx, a, b);
    assert_int_equal(dim_order_of(ctx, b, a), mirror(o));
    assert_int_equal(dim_compare(ctx, b, a), r);
    bool strict = o == DIM_ORDER_LT || o == DIM_ORDER_GT;
    assert_int_equal(r == DIM_CANNOT_EQUAL, strict);
    assert_int_equal(r == DIM_EQUAL, o == DIM_ORDER_EQ);
    return o;
}

static void test_order(void **state)
{
    fixture *f = *state;
    struct {
        const char *a, *b;
        dim_order o;
    } cases[] = {
        {"B", "B", DIM_ORDER_EQ},
        {"B*T", "T*B", DIM_ORDER_EQ},
        {"32", "64", DIM_ORDER_LT},
        {"B/2", "B", DIM_ORDER_LT},
        {"B - 1", "B", DIM_ORDER_LT},
        {"2*B", "B", DIM_ORDER_GT},
        {"B*T", "B", DIM_ORDER_GE},
        {"B", "T", DIM_ORDER_UNKNOWN},
        {"N", "2*M", DIM_ORDER_UNKNOWN},
        {"B*B", "B", DIM_ORDER_GE},
        {"B - 1", "0", DIM_ORDER_GE},
        {"3 - B", "2", DIM_ORDER_LE},
        {"B/2", "(B + 1)/2", DIM_ORDER_LE},
        {"B/2", "0", DIM_ORDER_GE},
        {"B/2", "B/3", DIM_ORDER_GE},
        {"B/3", "B/2 + 1", DIM_ORDER_LT},
        /* True, but beyond the shift test: (B - 2)^2 + 1 > 0. */
        {"(B - 2)*(B - 2)", "0 - 1", DIM_ORDER_UNKNOWN},
        {"B % 4", "3", DIM_ORDER_LE},
        {"B % 4", "B", DIM_ORDER_LE},
        {"B % 4", "0", DIM_ORDER_GE},
        {"B % T", "T", DIM_ORDER_LT},
        {"B % T", "B", DIM_ORDER_LE},
        {"B/T", "B", DIM_ORDER_LE},
        {"B/T", "0", DIM_ORDER_GE},
        {"B*T/4", "B*T", DIM_ORDER_LT},
        {"(B/2)/2", "B/4", DIM_ORDER_EQ},
        {"B - 2*(B/2)", "1", DIM_ORDER_LE},
        {"B - 2*(B/2)", "0", DIM_ORDER_GE},
        {"B*T", "B + T - 1", DIM_ORDER_GE},
        {"B*T + 2", "B + T", DIM_ORDER_GT},
        {"(B*T)/T", "B", DIM_ORDER_EQ}, /* exact division */
        {"B/(T + 1)", "B", DIM_ORDER_LE},
        {"B*T", "B*T + T", DIM_ORDER_LT},
        {"B*B + 1", "2*B", DIM_ORDER_GE},
        {"B/2", "B + 1", DIM_ORDER_LT},
        {"(B + 1)/2", "B + 1", DIM_ORDER_LT},
        {"B % 4", "B + 4", DIM_ORDER_LT},
        {"B % 4", "4", DIM_ORDER_LT},
        {"B % 4", "B + 1", DIM_ORDER_LT},
        {"B/T", "B + 1", DIM_ORDER_LT},
        {"(B/2)*(T/2)", "B*T", DIM_ORDER_LT},
        /* Left unknown: parity, unrelated atoms, a dividend of unknown
           sign over a symbol. */
        {"2*B", "2*T + 1", DIM_ORDER_UNKNOWN},
        {"B/2", "T/2", DIM_ORDER_UNKNOWN},
        {"(B - T)/N", "B", DIM_ORDER_UNKNOWN},
        {"((B - T) % 3)*((T - B) % 3)", "5", DIM_ORDER_UNKNOWN},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        dim_order o = order_checked(f->ctx, P(f, cases[i].a), P(f, cases[i].b));
        if (o != cases[i].o)
            fail_msg("'%s' vs '%s': %s, expected %s", cases[i].a, cases[i].b,
                     order_name(o), order_name(cases[i].o));
    }
}

static void test_order_unknown_and_overflow(void **state)
{
    fixture *f = *state;
    dim_ctx *c = f->ctx;
    const dim_poly *b = sym(f, "B");
    assert_int_equal(dim_order_of(c, NULL, b), DIM_ORDER_UNKNOWN);
    assert_int_equal(dim_order_of(c, b, NULL), DIM_ORDER_UNKNOWN);
    assert_int_equal(dim_order_of(c, NULL, NULL), DIM_ORDER_UNKNOWN);
    /* A difference that overflows: unknown either way round. */
    const dim_poly *max = dim_const(c, INT64_MAX);
    assert_int_equal(order_checked(c, max, dim_const(c, -1)),
                     DIM_ORDER_UNKNOWN);
    assert_int_equal(
        order_checked(c, P(f, "B - 9223372036854775807"), P(f, "B + 1")),
        DIM_ORDER_UNKNOWN);
    assert_int_equal(order_checked(c, dim_const(c, INT64_MIN), b),
                     DIM_ORDER_UNKNOWN);
    /* A bound whose shift overflows proves nothing: 2^62*(B^4 - B^3) + 1
       is > 0, but with B = 1 + y it has the coefficient 3 * 2^62. */
    assert_int_equal(order_checked(c, P(f, "4611686018427387904*B*B*B*B + 1"),
                                   P(f, "4611686018427387904*B*B*B")),
                     DIM_ORDER_UNKNOWN);
    /* Where the shift is not needed, no overflow: 2^62 * B^4 >= 1. */
    assert_int_equal(
        order_checked(c, P(f, "4611686018427387904*B*B*B*B"), dim_const(c, 1)),
        DIM_ORDER_GE);
    /* Large but exact: decided. */
    assert_int_equal(order_checked(c, P(f, "4611686018427387904*B"), b),
                     DIM_ORDER_GT);
    assert_int_equal(order_checked(c, P(f, "(4611686018427387904*B)/3"), b),
                     DIM_ORDER_GT);
}

/* ---- Soundness oracle ------------------------------------------------- */

/* splitmix64: a fixed sequence, so a failure reproduces. */
static uint64_t rng_next(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

static int rng_below(uint64_t *s, int n)
{
    return (int)(rng_next(s) % (uint64_t)n);
}

static const char *const oracle_syms[] = {"a", "b", "c"};

/* snprintf that must not truncate: the expressions are short. */
static void emit(char *out, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(out, size, fmt, ap);
    va_end(ap);
    assert_true(n >= 0 && (size_t)n < size);
}

/* A random expression over the first NSYMS symbols with +, -, *, / and %,
   divisors mostly small constants, DEPTH operators deep at most. */
static void random_expr(uint64_t *s, int depth, int nsyms, char *out,
                        size_t size)
{
    int pick = depth ? rng_below(s, 10) : rng_below(s, 3);
    if (pick < 2) {
        emit(out, size, "%s", oracle_syms[rng_below(s, nsyms)]);
        return;
    }
    if (pick == 2) {
        emit(out, size, "%d", rng_below(s, 6));
        return;
    }
    static const char ops[] = "+-*/%";
    char op = ops[rng_below(s, 5)];
    char lhs[512], rhs[512];
    random_expr(s, depth - 1, nsyms, lhs, sizeof lhs);
    if ((op == '/' || op == '%') && rng_below(s, 3))
        emit(rhs, sizeof rhs, "%d", 1 + rng_below(s, 5));
    else
        random_expr(s, depth - 1, nsyms, rhs, sizeof rhs);
    emit(out, size, "(%s %c %s)", lhs, op, rhs);
}

/* A second expression, often made from A so that the pair is related and
   the decision has something to prove. */
static void related_expr(uint64_t *s, const char *a, int nsyms, char *out,
                         size_t size)
{
    int k = 1 + rng_below(s, 4);
    const char *x = oracle_syms[rng_below(s, nsyms)];
    char r[512];
    random_expr(s, 1, nsyms, r, sizeof r);
    switch (rng_below(s, 14)) {
    case 0:
        emit(out, size, "%s + %d", a, k);
        break;
    case 1:
        emit(out, size, "%s - %d", a, k);
        break;
    case 2:
        emit(out, size, "%s / %d", a, k + 1);
        break;
    case 3:
        emit(out, size, "%s %% %d", a, k + 1);
        break;
    case 4:
        emit(out, size, "%d * %s", k, a);
        break;
    case 5:
        emit(out, size, "%s * %s", a, x);
        break;
    case 6:
        emit(out, size, "%s / %s", a, x);
        break;
    case 7:
        emit(out, size, "(%s + %d) / %d", a, k, k + 1);
        break;
    case 8:
        emit(out, size, "%s - %s / %d", a, a, k + 1);
        break;
    case 9:
        emit(out, size, "%s + %s", a, r);
        break;
    case 10:
        emit(out, size, "%s %% %s", a, r);
        break;
    case 11:
        emit(out, size, "%s * %s", a, a);
        break;
    case 12:
        emit(out, size, "%s * (%s / %d)", a, x, k + 1);
        break;
    default:
        random_expr(s, 3, nsyms, out, size);
        break;
    }
}

/* TEXT's tree; its polynomial in *P, NULL when it has none (a division
   by 0). */
static dim_shape_ast *parse_poly(fixture *f, const char *text,
                                 const dim_poly **p)
{
    dim_error err;
    dim_shape_ast *ast = dim_parse_expr(text, &err);
    if (!ast)
        fail_msg("'%s' does not parse: %s", text, err.message);
    *p = dim_from_node(f->ctx, ast->entries[0].expr, resolve, f, &err);
    return ast;
}

/* AST's expression evaluated with C semantics on the values VALS of a, b
   and c; false on a division by 0 or an overflow. */
static bool eval_at(const dim_shape_ast *ast, const int64_t *vals, int64_t *v)
{
    binding b[] = {{"a", vals[0]}, {"b", vals[1]}, {"c", vals[2]}, {NULL, 0}};
    return dim_eval_int(ast->entries[0].expr, lookup, b, v, NULL);
}

/* The value of polynomial P at VALS, through dim_substitute: every symbol
   a constant folds every atom (NULL: a division by 0 on the way). */
typedef struct point {
    fixture *f;
    const int64_t *vals;
} point;

static const dim_poly *point_value(void *ud, dim_sym s)
{
    point *pt = ud;
    for (int i = 0; i < 3; i++)
        if (s == sym_of(pt->f, oracle_syms[i]))
            return dim_const(pt->f->ctx, pt->vals[i]);
    return NULL;
}

static bool poly_at(fixture *f, const dim_poly *p, const int64_t *vals,
                    int64_t *v)
{
    point pt = {f, vals};
    return dim_is_const(dim_substitute(f->ctx, p, point_value, &pt), v);
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

typedef struct oracle_stats {
    int pairs, decided, strict, points, quotients;
} oracle_stats;

/* Checks polynomials A and B, of the trees XA and XB, on every assignment
   of 1..6 to the symbols: the decisions hold, and A and the quotient and
   remainder of A by B have the values C gives the trees. */
static void oracle_decisions(fixture *f, const dim_poly *a, const dim_poly *b,
                             const dim_shape_ast *xa, const dim_shape_ast *xb,
                             const char *ta, const char *tb, int nsyms,
                             oracle_stats *st)
{
    dim_order o = order_checked(f->ctx, a, b);
    const dim_poly *q = dim_div(f->ctx, a, b), *m = dim_mod(f->ctx, a, b);
    st->pairs++;
    st->decided += o != DIM_ORDER_UNKNOWN && a != b;
    st->strict += o == DIM_ORDER_LT || o == DIM_ORDER_GT;
    int n = nsyms == 2 ? 36 : 216;
    for (int i = 0; i < n; i++) {
        int64_t vals[3] = {1 + i % 6, 1 + i / 6 % 6, 1 + i / 36};
        int64_t va, vb, pv;
        if (!eval_at(xa, vals, &va) || !eval_at(xb, vals, &vb))
            continue;
        st->points++;
        if (!order_holds(o, va, vb))
            fail_msg("'%s' vs '%s' is %s, but at a=%d b=%d c=%d they are "
                     "%lld and %lld",
                     ta, tb, order_name(o), (int)vals[0], (int)vals[1],
                     (int)vals[2], (long long)va, (long long)vb);
        if (poly_at(f, a, vals, &pv) && pv != va)
            fail_msg("'%s' is %lld, its polynomial %lld", ta, (long long)va,
                     (long long)pv);
        if (!vb || (va == INT64_MIN && vb == -1))
            continue;
        st->quotients++;
        if (q && poly_at(f, q, vals, &pv) && pv != va / vb)
            fail_msg("(%s) / (%s) is %lld, dim_div gives %lld", ta, tb,
                     (long long)(va / vb), (long long)pv);
        if (m && poly_at(f, m, vals, &pv) && pv != va % vb)
            fail_msg("(%s) %% (%s) is %lld, dim_mod gives %lld", ta, tb,
                     (long long)(va % vb), (long long)pv);
    }
}

/* One pair of texts, through oracle_decisions(). */
static void oracle_values(fixture *f, const char *ta, const char *tb, int nsyms,
                          oracle_stats *st)
{
    const dim_poly *a, *b;
    dim_shape_ast *xa = parse_poly(f, ta, &a), *xb = parse_poly(f, tb, &b);
    if (a && b)
        oracle_decisions(f, a, b, xa, xb, ta, tb, nsyms, st);
    dim_shape_ast_free(xa);
    dim_shape_ast_free(xb);
}

/* Random pairs, each checked against every concrete value: whatever
   dim_order_of and dim_compare prove must hold on all of them (soundness),
   and exact division must give C's quotient.  Seeded, a few thousand
   pairs, well under a second. */
static void test_decisions_are_sound(void **state)
{
    fixture *f = *state;
    uint64_t seed = 20240610;
    oracle_stats st = {0, 0, 0, 0, 0};
    for (int i = 0; i < 3000; i++) {
        int nsyms = 2 + rng_below(&seed, 2);
        char ta[1024], tb[2048];
        random_expr(&seed, 1 + rng_below(&seed, 3), nsyms, ta, sizeof ta);
        related_expr(&seed, ta, nsyms, tb, sizeof tb);
        if (rng_below(&seed, 2))
            oracle_values(f, ta, tb, nsyms, &st);
        else
            oracle_values(f, tb, ta, nsyms, &st);
        if (i % 500 == 499) { /* a fresh context now and then */
            dim_ctx_free(f->ctx);
            f->ctx = dim_ctx_new();
            f->n = 0;
        }
    }
    print_message("soundness oracle: %d pairs, %d decided (%d strict), "
                  "%d points, %d quotients\n",
                  st.pairs, st.decided, st.strict, st.points, st.quotients);
    /* Not vacuous: many pairs are decided, on many points. */
    assert_true(st.pairs > 2000);
    assert_true(st.decided > 500);
    assert_true(st.strict > 200);
    assert_true(st.points > 100000);
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
        cmocka_unit_test_setup_teardown(test_poly_exact_division, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_poly_overflow_is_unknown, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_poly_max_terms, setup, teardown),
        cmocka_unit_test_setup_teardown(test_poly_size_bounds, setup, teardown),
        cmocka_unit_test_setup_teardown(test_compare, setup, teardown),
        cmocka_unit_test_setup_teardown(test_compare_unknown, setup, teardown),
        cmocka_unit_test_setup_teardown(test_order, setup, teardown),
        cmocka_unit_test_setup_teardown(test_order_unknown_and_overflow, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_decisions_are_sound, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_substitute, setup, teardown),
        cmocka_unit_test_setup_teardown(test_poly_symbols, setup, teardown),
        cmocka_unit_test_setup_teardown(test_from_node, setup, teardown),
        cmocka_unit_test(test_contexts_are_independent),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
