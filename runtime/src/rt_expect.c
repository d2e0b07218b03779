/*
 * rt_expect.c - run-time shape assertions: sc_scope, sc_bind, sc_expect,
 * sc_expect_dims.
 *
 * The dimension language has one implementation, annotations/dim.h: the
 * text is parsed by dim_parse() and each entry evaluated by dim_eval_int()
 * with the scope's bindings.  This file only matches entries to dims and
 * words the messages.
 *
 * Matching, as in jaxtyping: entries before '...' take dims from the
 * front, entries after it from the back.  First every plain NAME not yet
 * bound is bound to its dim, left to right; then every entry is evaluated
 * and compared.  All of it happens on a copy of the scope, which replaces
 * the scope only when everything matched: a failed assertion changes
 * nothing.
 */
#include "rt_internal.h"

#include "dim.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Room for a shape, an expression or a list of bindings in a message. */
#define SC_TEXT 160

/* Room for text as a message quotes it: dim_excerpt() (annotations/dim.h)
   keeps at most DIM_EXCERPT_MAX characters of a long shape, expression or
   symbol, as the checker does, so that the reason and column that follow
   always fit in the message. */
typedef char sc_quote[DIM_EXCERPT_MAX + 1];

/* ---- Text ------------------------------------------------------------- */

/* A bounded string that silently truncates. */
typedef struct sbuf {
    char *p;
    size_t size, len;
} sbuf;

static void put(sbuf *b, const char *fmt, ...) SC_PRINTF(2, 3);

static void put(sbuf *b, const char *fmt, ...)
{
    if (b->len >= b->size)
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(b->p + b->len, b->size - b->len, fmt, ap);
    va_end(ap);
    b->len = n < 0 ? b->size : b->len + (size_t)n;
}

static int precedence(dim_node_kind k)
{
    return k == DIM_NODE_ADD || k == DIM_NODE_SUB ? 1 : 2;
}

/* NODE in the dimension language, with the parentheses it needs: integer
   division does not associate, so a*(b/c) keeps its parentheses. */
static void put_node(sbuf *b, const dim_node *node)
{
    static const char *const ops[] = {
        [DIM_NODE_ADD] = " + ", [DIM_NODE_SUB] = " - ", [DIM_NODE_MUL] = "*",
        [DIM_NODE_DIV] = "/",   [DIM_NODE_MOD] = "%",
    };
    if (node->kind == DIM_NODE_INT) {
        put(b, "%lld", (long long)node->value);
        return;
    }
    if (node->kind == DIM_NODE_PATH) {
        put(b, "%s", node->path);
        return;
    }
    const dim_node *l = node->lhs, *r = node->rhs;
    int p = precedence(node->kind);
    int lp = l->kind > DIM_NODE_PATH && precedence(l->kind) < p;
    int rp = r->kind > DIM_NODE_PATH &&
             (precedence(r->kind) < p ||
              (precedence(r->kind) == p &&
               !(node->kind == DIM_NODE_ADD ||
                 (node->kind == DIM_NODE_MUL && r->kind == DIM_NODE_MUL))));
    put(b, "%s", lp ? "(" : "");
    put_node(b, l);
    put(b, "%s%s%s", lp ? ")" : "", ops[node->kind], rp ? "(" : "");
    put_node(b, r);
    put(b, "%s", rp ? ")" : "");
}

/* "[N, C*2, ...]" */
static const char *shape_text(char *buf, size_t size, const dim_shape_ast *a)
{
    sbuf b = {buf, size, 0};
    put(&b, "[");
    for (int i = 0; i < a->rank; i++) {
        put(&b, "%s", i ? ", " : "");
        if (a->entries[i].kind == DIM_ENTRY_ANY)
            put(&b, "_");
        else if (a->entries[i].kind == DIM_ENTRY_ELLIPSIS)
            put(&b, "...");
        else
            put_node(&b, a->entries[i].expr);
    }
    put(&b, "]");
    return buf;
}

/* ---- Bindings --------------------------------------------------------- */

static sc_binding *find(const sc_scope *s, const char *symbol)
{
    for (int i = 0; i < s->count; i++)
        if (strcmp(s->bindings[i].symbol, symbol) == 0)
            return (sc_binding *)&s->bindings[i];
    return NULL;
}

/* dim_lookup_fn over a scope. */
static bool lookup(void *ud, const char *path, int64_t *value)
{
    const sc_binding *b = find(ud, path);
    if (b)
        *value = b->value;
    return b != NULL;
}

/* "bound by 'logits'" or "bound by sc_bind" */
static void put_source(sbuf *b, const sc_binding *bd)
{
    if (bd->bound_by[0])
        put(b, "bound by '%s'", bd->bound_by);
    else
        put(b, "bound by sc_bind");
}

/* Adds SYMBOL = VALUE to S, bound by WHAT ("" for sc_bind); S must not
   hold SYMBOL yet. */
static sc_status add_binding(sc_scope *s, const char *symbol, int64_t value,
                             const char *what)
{
    sc_quote q;
    if (strlen(symbol) >= SC_NAME_MAX)
        return sc_fail(SC_ERR_ARG, "symbol '%s' is longer than %d characters",
                       dim_excerpt(q, symbol), SC_NAME_MAX - 1);
    if (s->count == SC_SCOPE_MAX)
        return sc_fail(SC_ERR_ARG,
                       "cannot bind '%s': the scope is full (%d symbols)",
                       symbol, SC_SCOPE_MAX);
    sc_binding *bd = &s->bindings[s->count++];
    snprintf(bd->symbol, sizeof bd->symbol, "%s", symbol);
    snprintf(bd->bound_by, sizeof bd->bound_by, "%s", what);
    bd->value = value;
    return SC_OK;
}

/* Every byte, not just the count: a scope is a plain value that callers
   copy and compare (a failed assertion leaves it equal to the byte), and
   memcheck rightly objects to comparing bytes never written. */
void sc_scope_init(sc_scope *s)
{
    if (s)
        memset(s, 0, sizeof *s);
}

bool sc_scope_get(const sc_scope *s, const char *symbol, int64_t *value)
{
    if (!s || !symbol || !value)
        return false;
    return lookup((void *)s, symbol, value);
}

/* Parses TEXT with dim_parse() (SHAPE) or dim_parse_expr(); the failure
   says which text, for what, and where. */
static sc_status parse(const char *text, int shape, const char *what,
                       dim_shape_ast **ast)
{
    dim_error err;
    sc_quote q;
    *ast = shape ? dim_parse(text, &err) : dim_parse_expr(text, &err);
    if (*ast)
        return SC_OK;
    if (err.column == 0 && strcmp(err.message, "out of memory") == 0)
        return sc_fail(SC_ERR_NOMEM, "out of memory parsing \"%s\"",
                       dim_excerpt(q, text));
    return sc_fail(SC_ERR_ARG, "cannot parse %s \"%s\"%s%s%s: column %d: %s",
                   shape ? "shape" : "symbol", dim_excerpt(q, text),
                   what ? " for '" : "", what ? what : "", what ? "'" : "",
                   err.column, err.message);
}

sc_status sc_bind(sc_scope *s, const char *symbol, int64_t value)
{
    sc_status st;
    dim_shape_ast *ast;
    sc_quote q;
    if ((st = sc_check_ptr(s, "s")) || (st = sc_check_ptr(symbol, "symbol")))
        return st;
    if ((st = parse(symbol, 0, NULL, &ast)))
        return st;
    const dim_node *e = ast->entries[0].expr;
    if (e->kind != DIM_NODE_PATH)
        st = sc_fail(SC_ERR_ARG, "cannot bind \"%s\": not a symbol",
                     dim_excerpt(q, symbol));
    else if (value < 0)
        st = sc_fail(SC_ERR_ARG, "cannot bind %s to %lld: dims are >= 0",
                     dim_excerpt(q, e->path), (long long)value);
    else {
        const sc_binding *old = find(s, e->path);
        if (!old)
            st = add_binding(s, e->path, value, "");
        else if (old->value != value) {
            char src[SC_TEXT];
            sbuf b = {src, sizeof src, 0};
            put_source(&b, old);
            st = sc_fail(SC_ERR_SHAPE, "cannot bind %s = %lld: %s = %lld (%s)",
                         e->path, (long long)value, e->path,
                         (long long)old->value, src);
        }
    }
    dim_shape_ast_free(ast);
    return st;
}

/* ---- Matching --------------------------------------------------------- */

/* What one assertion works on. */
typedef struct match {
    sc_scope work;       /* the scope, with this assertion's bindings */
    const char *what;    /* the tensor's name */
    const int64_t *dims; /* its dims */
    int rank;
    const char *text; /* the shape as written */
    const dim_shape_ast *ast;
} match;

/* The dim that entry I of the shape stands for. */
static int dim_of(const match *m, int i)
{
    if (m->ast->ellipsis < 0 || i < m->ast->ellipsis)
        return i;
    return m->rank - (m->ast->rank - i);
}

static sc_status check_rank(const match *m)
{
    int fixed = m->ast->rank - (m->ast->ellipsis >= 0);
    if (m->ast->ellipsis < 0 ? m->rank == fixed : m->rank >= fixed)
        return SC_OK;
    char text[SC_TEXT];
    sc_quote q;
    const char *want = dim_excerpt(q, shape_text(text, sizeof text, m->ast));
    if (m->ast->ellipsis < 0)
        return sc_fail(SC_ERR_SHAPE, "'%s' has rank %d but %s has rank %d",
                       m->what, m->rank, want, fixed);
    return sc_fail(SC_ERR_SHAPE,
                   "'%s' has rank %d but %s needs rank %d or more", m->what,
                   m->rank, want, fixed);
}

/* Pass 1: each plain NAME not bound yet takes its dim. */
static sc_status bind_plain_names(match *m)
{
    for (int i = 0; i < m->ast->rank; i++) {
        const dim_entry *e = &m->ast->entries[i];
        if (e->kind != DIM_ENTRY_EXPR || e->expr->kind != DIM_NODE_PATH ||
            find(&m->work, e->expr->path))
            continue;
        sc_status st = add_binding(&m->work, e->expr->path,
                                   m->dims[dim_of(m, i)], m->what);
        if (st)
            return st;
    }
    return SC_OK;
}

/* The distinct paths of NODE, in order, at most SC_SCOPE_MAX of them: an
   entry that names more cannot have been evaluated anyway. */
typedef struct paths {
    const char *path[SC_SCOPE_MAX];
    int count;
} paths;

static void collect_paths(paths *ps, const dim_node *node)
{
    if (node->kind == DIM_NODE_INT)
        return;
    if (node->kind != DIM_NODE_PATH) {
        collect_paths(ps, node->lhs);
        collect_paths(ps, node->rhs);
        return;
    }
    for (int i = 0; i < ps->count; i++)
        if (strcmp(ps->path[i], node->path) == 0)
            return;
    if (ps->count < SC_SCOPE_MAX)
        ps->path[ps->count++] = node->path;
}

/* "D = 4 bound by 'w', T = 3 bound by sc_bind": the bindings NODE uses. */
static void put_bindings(sbuf *b, const match *m, const dim_node *node)
{
    paths ps = {{0}, 0};
    collect_paths(&ps, node);
    for (int i = 0; i < ps.count; i++) {
        const sc_binding *bd = find(&m->work, ps.path[i]);
        put(b, "%s%s = %lld ", i ? ", " : "", ps.path[i], (long long)bd->value);
        put_source(b, bd);
    }
}

/* The message for entry I, worth VALUE, against a different dim. */
static sc_status mismatch(const match *m, int i, int64_t value)
{
    const dim_node *e = m->ast->entries[i].expr;
    char have[SC_TEXT], text[SC_TEXT], why[SC_TEXT];
    sc_quote q;
    sc_format_dims(have, sizeof have, m->dims, m->rank);
    sbuf tb = {text, sizeof text, 0}, wb = {why, sizeof why, 0};
    if (e->kind == DIM_NODE_INT)
        return sc_fail(SC_ERR_SHAPE,
                       "'%s' has shape %s but %s wants %lld "
                       "at dim %d",
                       m->what, have,
                       dim_excerpt(q, shape_text(text, sizeof text, m->ast)),
                       (long long)value, dim_of(m, i));
    put_node(&tb, e);
    const char *expr = dim_excerpt(q, text);
    if (e->kind == DIM_NODE_PATH) {
        put_source(&wb, find(&m->work, e->path));
        return sc_fail(SC_ERR_SHAPE, "'%s' has shape %s but %s = %lld (%s)",
                       m->what, have, expr, (long long)value, why);
    }
    put_bindings(&wb, m, e);
    return sc_fail(SC_ERR_SHAPE,
                   "'%s' has shape %s but %s = %lld at dim %d "
                   "(%s)",
                   m->what, have, expr, (long long)value, dim_of(m, i), why);
}

/* Pass 2: every entry evaluates to its dim. */
static sc_status compare_entries(match *m)
{
    for (int i = 0; i < m->ast->rank; i++) {
        const dim_entry *e = &m->ast->entries[i];
        if (e->kind != DIM_ENTRY_EXPR)
            continue;
        int64_t value;
        dim_error err;
        sc_quote q;
        if (!dim_eval_int(e->expr, lookup, &m->work, &value, &err))
            return sc_fail(SC_ERR_ARG,
                           "cannot evaluate shape \"%s\" for '%s': column %d: "
                           "%s%s",
                           dim_excerpt(q, m->text), m->what, err.column,
                           err.message,
                           strncmp(err.message, "unknown", 7) == 0
                               ? " (bind it first: sc_bind, or a plain entry)"
                               : "");
        if (value != m->dims[dim_of(m, i)])
            return mismatch(m, i, value);
    }
    return SC_OK;
}

static sc_status check_expect_args(sc_scope *s, const char *what,
                                   const int64_t *dims, int rank,
                                   const char *shape)
{
    sc_status st;
    if ((st = sc_check_ptr(s, "s")) || (st = sc_check_ptr(what, "what")) ||
        (st = sc_check_ptr(shape, "shape")))
        return st;
    if (rank < 0)
        return sc_fail(SC_ERR_ARG, "'%s' has a negative rank (%d)", what, rank);
    if (rank > 0 && !dims)
        return sc_fail(SC_ERR_ARG, "'%s' has rank %d but no dims", what, rank);
    for (int i = 0; i < rank; i++)
        if (dims[i] < 0) {
            char have[SC_TEXT];
            return sc_fail(SC_ERR_ARG, "'%s' has a negative dimension: %s",
                           what, sc_format_dims(have, sizeof have, dims, rank));
        }
    return SC_OK;
}

sc_status sc_expect_dims(sc_scope *s, const char *what, const int64_t *dims,
                         int rank, const char *shape)
{
    sc_status st;
    dim_shape_ast *ast;
    if ((st = check_expect_args(s, what, dims, rank, shape)) ||
        (st = parse(shape, 1, what, &ast)))
        return st;
    match m = {*s, what, dims, rank, shape, ast};
    if (!(st = check_rank(&m)) && !(st = bind_plain_names(&m)) &&
        !(st = compare_entries(&m)))
        *s = m.work;
    dim_shape_ast_free(ast);
    return st;
}

sc_status sc_expect(sc_scope *s, const char *what, const DLTensor *t,
                    const char *shape)
{
    sc_status st;
    if ((st = sc_check_ptr(t, what ? what : "t")))
        return st;
    return sc_expect_dims(s, what, t->ndim > 0 ? t->shape : NULL, t->ndim,
                          shape);
}
