/*
 * dim.c - the dimension language: lexer, parser, integer evaluation and
 * canonical polynomials.  The contract is dim.h; this file keeps to it and
 * explains here only what the header leaves open.
 *
 * Layout, in reading order:
 *   errors      set_error()
 *   lexer       lex_next(): one token at a time, errors kept in the token
 *   parser      recursive descent over one allocation sized by a pre-pass
 *   evaluation  dim_eval_int()
 *   context     arena, hash tables, symbols and opaque atoms
 *   polynomials drafts (scratch terms), canonical order, interning, algebra
 *               scratch polynomials (never interned) and exact division
 *   queries     dim_substitute(), dim_poly_symbols()
 *   decisions   dim_order_of(), dim_compare(): bounds over symbols >= 1
 *   printing    dim_format()
 *   trees       dim_from_node()
 */
#include "dim.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if defined(__GNUC__)
#define DIM_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define DIM_PRINTF(f, a)
#endif

/* A bound private to this file: how many atoms a polynomial may print
   (a power B*B*... counts each factor, an opaque atom what it holds).
   With DIM_MAX_DEPTH on the nesting of opaque atoms, it keeps recursion
   shallow and text finite when substitution makes atoms share; exceeding
   either gives NULL ("unknown"), as DIM_MAX_TERMS does. */
#define DIM_MAX_WEIGHT 65536u

/* ---- Errors ----------------------------------------------------------- */

static void set_error(dim_error *err, int column, const char *fmt, ...)
    DIM_PRINTF(3, 4);

static void set_error(dim_error *err, int column, const char *fmt, ...)
{
    if (!err)
        return;
    va_list ap;
    va_start(ap, fmt);
    err->column = column;
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
}

static void clear_error(dim_error *err)
{
    if (err) {
        err->column = 0;
        err->message[0] = '\0';
    }
}

/* The one place that does C integer arithmetic on dimensions; shared by
   dim_eval_int() and constant folding so both agree.  Returns NULL or the
   error message.  x % -1 is 0 (C leaves INT64_MIN % -1 undefined). */
static const char *int_apply(dim_node_kind kind, int64_t a, int64_t b,
                             int64_t *r)
{
    switch (kind) {
    case DIM_NODE_ADD:
        return __builtin_add_overflow(a, b, r) ? "integer overflow" : NULL;
    case DIM_NODE_SUB:
        return __builtin_sub_overflow(a, b, r) ? "integer overflow" : NULL;
    case DIM_NODE_MUL:
        return __builtin_mul_overflow(a, b, r) ? "integer overflow" : NULL;
    case DIM_NODE_DIV:
        if (b == 0)
            return "division by zero";
        if (a == INT64_MIN && b == -1)
            return "integer overflow";
        *r = a / b;
        return NULL;
    case DIM_NODE_MOD:
        if (b == 0)
            return "modulo by zero";
        *r = b == -1 ? 0 : a % b;
        return NULL;
    default:
        return "not an operator";
    }
}

/* |C| without overflow for INT64_MIN. */
static uint64_t magnitude(int64_t c)
{
    return c < 0 ? (uint64_t)0 - (uint64_t)c : (uint64_t)c;
}

/* ---- Lexer ------------------------------------------------------------ */

typedef enum tok_kind {
    TOK_START, /* before the first token: only ever a parser's "prev" */
    TOK_END,
    TOK_INT,
    TOK_NAME,
    TOK_ANY, /* a lone '_' */
    TOK_ELLIPSIS,
    TOK_DOT,
    TOK_ARROW,
    TOK_PLUS,
    TOK_MINUS,
    TOK_STAR,
    TOK_SLASH,
    TOK_PERCENT,
    TOK_LPAREN,
    TOK_RPAREN,
    TOK_COMMA,
    TOK_BAD_CHAR, /* errors travel in the token: the parser reports them */
    TOK_BAD_INT,  /* when it reaches them, so the leftmost error wins */
    TOK_BIG_INT,
} tok_kind;

typedef struct token {
    tok_kind kind;
    int column; /* 1-based; TOK_END: one past the last character */
    const char *text;
    size_t len;
    int64_t value; /* TOK_INT */
} token;

/* Character classes by hand: <ctype.h> depends on the locale and is
   undefined for negative chars. */
static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
           c == '\f';
}

static bool is_ident_start(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static bool is_ident_char(char c)
{
    return is_ident_start(c) || is_digit(c);
}

static unsigned digit_value(char c)
{
    if (is_digit(c))
        return (unsigned)(c - '0');
    if (c >= 'a' && c <= 'f')
        return (unsigned)(c - 'a' + 10);
    if (c >= 'A' && c <= 'F')
        return (unsigned)(c - 'A' + 10);
    return 99;
}

static bool is_u(char c)
{
    return c == 'u' || c == 'U';
}

/* The C integer suffixes: u and l/ll in either order, ll never mixed-case. */
static bool valid_int_suffix(const char *s, size_t n)
{
    size_t i = 0;
    bool has_u = n > 0 && is_u(s[0]);
    if (has_u)
        i++;
    if (i + 1 < n &&
        ((s[i] == 'l' && s[i + 1] == 'l') || (s[i] == 'L' && s[i + 1] == 'L')))
        i += 2;
    else if (i < n && (s[i] == 'l' || s[i] == 'L'))
        i++;
    if (!has_u && i < n && is_u(s[i]))
        i++;
    return i == n;
}

/* Classifies the pp-number S[0..N): decimal, 0x hex, 0b binary or 0 octal,
   then a suffix.  Sets *value for TOK_INT. */
static tok_kind int_literal(const char *s, size_t n, int64_t *value)
{
    unsigned base = 10;
    size_t i = 0;
    if (n >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        base = 16;
        i = 2;
    } else if (n >= 2 && s[0] == '0' && (s[1] == 'b' || s[1] == 'B')) {
        base = 2;
        i = 2;
    } else if (s[0] == '0') {
        base = 8;
    }
    size_t first = i;
    uint64_t v = 0;
    bool big = false;
    for (; i < n && digit_value(s[i]) < base; i++) {
        unsigned d = digit_value(s[i]);
        if (v > (UINT64_MAX - d) / base)
            big = true;
        else
            v = v * base + d;
    }
    if (i == first || !valid_int_suffix(s + i, n - i))
        return TOK_BAD_INT;
    if (big || v > (uint64_t)INT64_MAX)
        return TOK_BIG_INT;
    *value = (int64_t)v;
    return TOK_INT;
}

static tok_kind punctuator(char c)
{
    switch (c) {
    case '.':
        return TOK_DOT;
    case '+':
        return TOK_PLUS;
    case '-':
        return TOK_MINUS;
    case '*':
        return TOK_STAR;
    case '/':
        return TOK_SLASH;
    case '%':
        return TOK_PERCENT;
    case '(':
        return TOK_LPAREN;
    case ')':
        return TOK_RPAREN;
    case ',':
        return TOK_COMMA;
    default:
        return TOK_BAD_CHAR;
    }
}

/* Reads the token at TEXT + *POS (skipping white space) and moves *POS
   past it.  Never fails: bad input becomes a TOK_BAD_* token. */
static token lex_next(const char *text, size_t *pos)
{
    size_t i = *pos;
    while (is_space(text[i]))
        i++;
    token t = {TOK_END, (int)i + 1, text + i, 1, 0};
    char c = text[i];
    size_t j = i + 1;
    if (c == '\0') {
        t.len = 0;
    } else if (is_ident_start(c)) {
        while (is_ident_char(text[j]))
            j++;
        t.len = j - i;
        t.kind = t.len == 1 && c == '_' ? TOK_ANY : TOK_NAME;
    } else if (is_digit(c)) {
        /* A whole pp-number, so "3B" and "1.5" are one bad literal. */
        while (is_ident_char(text[j]) || text[j] == '.')
            j++;
        t.len = j - i;
        t.kind = int_literal(t.text, t.len, &t.value);
    } else if (c == '.' && text[i + 1] == '.' && text[i + 2] == '.') {
        t.kind = TOK_ELLIPSIS;
        t.len = 3;
    } else if (c == '-' && text[i + 1] == '>') {
        t.kind = TOK_ARROW;
        t.len = 2;
    } else {
        t.kind = punctuator(c);
    }
    *pos = i + t.len;
    return t;
}

/* ---- Parser ----------------------------------------------------------- */

typedef struct parser {
    const char *text;
    size_t pos; /* where the lexer goes on */
    token tok;  /* the current token */
    token prev; /* the one before, for "... after ','" messages */
    bool shape; /* dim_parse (true) or dim_parse_expr */
    int parens; /* '(' currently open: bounds the recursion */
    dim_error *err;
    dim_node *nodes; /* the rest of the one allocation, carved by bumps */
    size_t n_nodes;
    char *chars;
    size_t n_chars;
} parser;

static void advance(parser *p)
{
    p->prev = p->tok;
    p->tok = lex_next(p->text, &p->pos);
}

static void *fail(parser *p, int column, const char *fmt, ...) DIM_PRINTF(3, 4);

static void *fail(parser *p, int column, const char *fmt, ...)
{
    if (p->err) {
        va_list ap;
        va_start(ap, fmt);
        p->err->column = column;
        vsnprintf(p->err->message, sizeof p->err->message, fmt, ap);
        va_end(ap);
    }
    return NULL;
}

/* "unexpected 'X'" for any token, or the lexer's own complaint. */
static void *fail_token(parser *p, const token *t)
{
    int n = t->len > 32 ? 32 : (int)t->len;
    const char *more = t->len > 32 ? "..." : "";
    unsigned char c = (unsigned char)t->text[0];
    switch (t->kind) {
    case TOK_END:
        return fail(p, t->column, "unexpected end of text");
    case TOK_BAD_CHAR:
        if (c >= 0x20 && c < 0x7f)
            return fail(p, t->column, "unexpected character '%c'", c);
        return fail(p, t->column, "unexpected character '\\x%02x'", c);
    case TOK_BAD_INT:
        return fail(p, t->column, "invalid integer literal '%.*s%s'", n,
                    t->text, more);
    case TOK_BIG_INT:
        return fail(p, t->column, "integer literal too large");
    default:
        return fail(p, t->column, "unexpected '%.*s%s'", n, t->text, more);
    }
}

static bool is_bad(const token *t)
{
    return t->kind >= TOK_BAD_CHAR;
}

static bool is_operator(tok_kind k)
{
    return k == TOK_PLUS || k == TOK_MINUS || k == TOK_STAR || k == TOK_SLASH ||
           k == TOK_PERCENT || k == TOK_DOT || k == TOK_ARROW;
}

/* '_' or '...' found where they are not a whole dim. */
static void *fail_not_whole(parser *p, const token *t)
{
    if (!p->shape)
        return fail(p, t->column, "'%.*s' is not allowed in an expression",
                    (int)t->len, t->text);
    return fail(p, t->column, "'%.*s' must be a whole dimension", (int)t->len,
                t->text);
}

/* An operand was expected at p->tok and is not there: says what was
   expected after what came before. */
static void *fail_operand(parser *p)
{
    const token *t = &p->tok, *prev = &p->prev;
    if (t->kind == TOK_ANY || t->kind == TOK_ELLIPSIS)
        return fail_not_whole(p, t);
    if (t->kind != TOK_END && t->kind != TOK_COMMA)
        return fail_token(p, t);
    switch (prev->kind) {
    case TOK_LPAREN:
        if (t->kind == TOK_END)
            return fail(p, prev->column, "unterminated '('");
        return fail_token(p, t);
    case TOK_COMMA:
        return fail(p, t->column, "expected a dimension after ','");
    case TOK_START:
        if (!p->shape && t->kind == TOK_END)
            return fail(p, t->column, "expected an expression");
        if (p->shape)
            return fail(p, t->column, "expected a dimension before ','");
        return fail_token(p, t);
    default:
        return fail(p, t->column, "expected an operand after '%.*s'",
                    (int)prev->len, prev->text);
    }
}

static dim_node *new_node(parser *p, dim_node_kind kind, int column)
{
    /* The pre-pass sized nodes to the token count: cannot run out. */
    dim_node *n = &p->nodes[p->n_nodes++];
    *n = (dim_node){kind, column, 0, NULL, NULL, NULL};
    return n;
}

static void put_chars(parser *p, const char *s, size_t n)
{
    memcpy(p->chars + p->n_chars, s, n);
    p->n_chars += n;
}

static const dim_node *parse_expr(parser *p, int *depth);

/* path := NAME { ('.' | '->') NAME }, copied without white space. */
static const dim_node *parse_path(parser *p, int *depth)
{
    char *start = p->chars + p->n_chars;
    dim_node *n = new_node(p, DIM_NODE_PATH, p->tok.column);
    put_chars(p, p->tok.text, p->tok.len);
    advance(p);
    while (p->tok.kind == TOK_DOT || p->tok.kind == TOK_ARROW) {
        token sep = p->tok;
        advance(p);
        if (is_bad(&p->tok))
            return fail_token(p, &p->tok);
        if (p->tok.kind != TOK_NAME && p->tok.kind != TOK_ANY)
            return fail(p, p->tok.column, "expected a member name after '%.*s'",
                        (int)sep.len, sep.text);
        put_chars(p, sep.text, sep.len);
        put_chars(p, p->tok.text, p->tok.len);
        advance(p);
    }
    put_chars(p, "", 1);
    n->path = start;
    *depth = 0;
    return n;
}

/* '(' expr ')'; the open count bounds the recursion. */
static const dim_node *parse_group(parser *p, int *depth)
{
    token open = p->tok;
    if (++p->parens > DIM_MAX_DEPTH)
        return fail(p, open.column, "expression nested too deeply");
    advance(p);
    const dim_node *e = parse_expr(p, depth);
    if (!e)
        return NULL;
    if (p->tok.kind == TOK_END)
        return fail(p, open.column, "unterminated '('");
    if (p->tok.kind != TOK_RPAREN)
        return fail_token(p, &p->tok);
    advance(p);
    p->parens--;
    return e;
}

/* factor := INT | path | '(' expr ')'.  *DEPTH: operators below it. */
static const dim_node *parse_factor(parser *p, int *depth)
{
    dim_node *n;
    switch (p->tok.kind) {
    case TOK_INT:
        n = new_node(p, DIM_NODE_INT, p->tok.column);
        n->value = p->tok.value;
        advance(p);
        *depth = 0;
        return n;
    case TOK_NAME:
        return parse_path(p, depth);
    case TOK_LPAREN:
        return parse_group(p, depth);
    default:
        if (is_bad(&p->tok))
            return fail_token(p, &p->tok);
        return fail_operand(p);
    }
}

static dim_node_kind binary_kind(tok_kind k)
{
    switch (k) {
    case TOK_PLUS:
        return DIM_NODE_ADD;
    case TOK_MINUS:
        return DIM_NODE_SUB;
    case TOK_STAR:
        return DIM_NODE_MUL;
    case TOK_SLASH:
        return DIM_NODE_DIV;
    default:
        return DIM_NODE_MOD;
    }
}

/* Builds LHS op RHS, or fails when the tree gets too deep.  Operator
   chains are parsed by loops, not recursion, but the tree they build is as
   deep as the chain is long and dim_eval_int() recurses over it. */
static const dim_node *combine(parser *p, const token *op, const dim_node *lhs,
                               int *depth, const dim_node *rhs, int rdepth)
{
    int d = (*depth > rdepth ? *depth : rdepth) + 1;
    if (d > DIM_MAX_DEPTH)
        return fail(p, op->column, "expression nested too deeply");
    dim_node *n = new_node(p, binary_kind(op->kind), lhs->column);
    n->lhs = lhs;
    n->rhs = rhs;
    *depth = d;
    return n;
}

/* term := factor { ('*' | '/' | '%') factor } */
static const dim_node *parse_term(parser *p, int *depth)
{
    const dim_node *lhs = parse_factor(p, depth);
    while (lhs && (p->tok.kind == TOK_STAR || p->tok.kind == TOK_SLASH ||
                   p->tok.kind == TOK_PERCENT)) {
        token op = p->tok;
        int rdepth;
        advance(p);
        const dim_node *rhs = parse_factor(p, &rdepth);
        if (!rhs)
            return NULL;
        lhs = combine(p, &op, lhs, depth, rhs, rdepth);
    }
    return lhs;
}

/* expr := term { ('+' | '-') term } */
static const dim_node *parse_expr(parser *p, int *depth)
{
    const dim_node *lhs = parse_term(p, depth);
    while (lhs && (p->tok.kind == TOK_PLUS || p->tok.kind == TOK_MINUS)) {
        token op = p->tok;
        int rdepth;
        advance(p);
        const dim_node *rhs = parse_term(p, &rdepth);
        if (!rhs)
            return NULL;
        lhs = combine(p, &op, lhs, depth, rhs, rdepth);
    }
    return lhs;
}

/* dim := '_' | '...' | expr, appended to AST. */
static bool parse_dim(parser *p, dim_shape_ast *ast)
{
    token t = p->tok;
    if (ast->rank == DIM_MAX_DIMS)
        return fail(p, t.column, "too many dimensions");
    dim_entry *e = &ast->entries[ast->rank];
    *e = (dim_entry){DIM_ENTRY_EXPR, t.column, NULL};
    if (t.kind == TOK_ANY || t.kind == TOK_ELLIPSIS) {
        if (t.kind == TOK_ELLIPSIS && ast->ellipsis >= 0)
            return fail(p, t.column, "'...' may appear only once");
        advance(p);
        if (is_operator(p->tok.kind))
            return fail_not_whole(p, &t);
        if (t.kind == TOK_ELLIPSIS)
            ast->ellipsis = ast->rank;
        e->kind = t.kind == TOK_ANY ? DIM_ENTRY_ANY : DIM_ENTRY_ELLIPSIS;
    } else {
        int depth;
        e->expr = parse_expr(p, &depth);
        if (!e->expr)
            return false;
    }
    ast->rank++;
    return true;
}

/* shape := dim { ',' dim }, or nothing. */
static bool parse_shape(parser *p, dim_shape_ast *ast)
{
    if (p->tok.kind == TOK_END)
        return true;
    for (;;) {
        if (!parse_dim(p, ast))
            return false;
        if (p->tok.kind == TOK_END)
            return true;
        if (p->tok.kind != TOK_COMMA)
            return fail_token(p, &p->tok);
        advance(p);
    }
}

static bool parse_single_expr(parser *p, dim_shape_ast *ast)
{
    int depth;
    const dim_node *e = parse_expr(p, &depth);
    if (!e)
        return false;
    if (p->tok.kind != TOK_END)
        return fail_token(p, &p->tok);
    ast->entries[0] = (dim_entry){DIM_ENTRY_EXPR, e->column, e};
    ast->rank = 1;
    return true;
}

/* Upper bounds for the one allocation, from a pass of the lexer: a node
   per token at most, a dim per ',' plus one, and a path's characters fit
   in its tokens' lengths plus a NUL per token. */
typedef struct parse_size {
    size_t tokens, commas, chars;
} parse_size;

static parse_size measure(const char *text)
{
    parse_size s = {0, 0, 0};
    size_t pos = 0;
    for (;;) {
        token t = lex_next(text, &pos);
        if (t.kind == TOK_END)
            return s;
        s.tokens++;
        s.commas += t.kind == TOK_COMMA;
        s.chars += t.len + 1;
    }
}

static size_t align_up(size_t n)
{
    size_t a = _Alignof(max_align_t);
    return (n + a - 1) / a * a;
}

/* One block: the ast, its entries, its nodes, then path characters. */
static dim_shape_ast *ast_alloc(parser *p, parse_size s)
{
    size_t n_entries = s.commas + 1;
    if (n_entries > DIM_MAX_DIMS)
        n_entries = DIM_MAX_DIMS;
    size_t off_entries = align_up(sizeof(dim_shape_ast));
    size_t off_nodes = off_entries + align_up(n_entries * sizeof(dim_entry));
    size_t off_chars = off_nodes + align_up(s.tokens * sizeof(dim_node));
    char *block = malloc(off_chars + s.chars + 1);
    if (!block)
        return NULL;
    dim_shape_ast *ast = (dim_shape_ast *)(void *)block;
    ast->rank = 0;
    ast->ellipsis = -1;
    ast->entries = (dim_entry *)(void *)(block + off_entries);
    p->nodes = (dim_node *)(void *)(block + off_nodes);
    p->chars = block + off_chars;
    return ast;
}

/* Length of TEXT, or DIM_MAX_TEXT + 1 when longer, without reading past
   that: the text may be huge. */
static size_t bounded_length(const char *text)
{
    size_t n = 0;
    while (n <= DIM_MAX_TEXT && text[n])
        n++;
    return n;
}

static dim_shape_ast *parse(const char *text, dim_error *err, bool shape)
{
    clear_error(err);
    if (!text)
        text = "";
    parser p = {.text = text, .shape = shape, .err = err};
    p.prev.kind = TOK_START;
    if (bounded_length(text) > DIM_MAX_TEXT)
        return fail(&p, 0, "annotation text too long");
    dim_shape_ast *ast = ast_alloc(&p, measure(text));
    if (!ast)
        return fail(&p, 0, "out of memory");
    p.tok = lex_next(text, &p.pos);
    if (!(shape ? parse_shape(&p, ast) : parse_single_expr(&p, ast))) {
        free(ast);
        return NULL;
    }
    return ast;
}

dim_shape_ast *dim_parse(const char *text, dim_error *err)
{
    return parse(text, err, true);
}

dim_shape_ast *dim_parse_expr(const char *text, dim_error *err)
{
    return parse(text, err, false);
}

void dim_shape_ast_free(dim_shape_ast *ast)
{
    free(ast);
}

/* ---- Integer evaluation ----------------------------------------------- */

bool dim_eval_int(const dim_node *node, dim_lookup_fn lookup, void *ud,
                  int64_t *value, dim_error *err)
{
    int64_t a, b;
    const char *msg;
    switch (node->kind) {
    case DIM_NODE_INT:
        *value = node->value;
        return true;
    case DIM_NODE_PATH:
        if (lookup && lookup(ud, node->path, value))
            return true;
        set_error(err, node->column, "unknown dimension '%s'", node->path);
        return false;
    default:
        if (!dim_eval_int(node->lhs, lookup, ud, &a, err) ||
            !dim_eval_int(node->rhs, lookup, ud, &b, err))
            return false;
        msg = int_apply(node->kind, a, b, value);
        if (!msg)
            return true;
        /* "by zero" points at the divisor, overflow at the operation. */
        set_error(err, b == 0 ? node->rhs->column : node->column, "%s", msg);
        return false;
    }
}

/* ---- Context: arena, tables, atoms ------------------------------------ */

/* Why the last constructor returned NULL, for dim_from_node(): overflow
   and division by zero are the annotation's fault and reported; the
   others mean "too complex to follow" and are not. */
typedef enum dim_failure {
    FAIL_NONE,
    FAIL_UNKNOWN, /* an operand was NULL */
    FAIL_OVERFLOW,
    FAIL_DIV_ZERO,
    FAIL_TOO_BIG, /* DIM_MAX_TERMS, DIM_MAX_DEPTH or DIM_MAX_WEIGHT */
    FAIL_NO_MEMORY,
} dim_failure;

typedef enum atom_kind { ATOM_SYM, ATOM_DIV, ATOM_MOD } atom_kind;

/* A factor of a monomial: a symbol, or an opaque quotient or remainder
   that could not be folded.  Unique in its context, so compared by
   pointer. */
typedef struct dim_atom {
    uint32_t id; /* creation order: breaks ties in the canonical order */
    atom_kind kind;
    dim_sym sym;               /* ATOM_SYM */
    const char *name;          /* ATOM_SYM: its display text */
    const dim_poly *lhs, *rhs; /* opaque: the canonical operands */
    uint32_t depth;            /* opaque atoms nested in it, itself included */
    uint32_t weight;           /* atoms its operands print */
    uint32_t n_syms;           /* opaque: the symbols inside, without repeats */
    const dim_sym *syms;
} dim_atom;

typedef struct dim_factor {
    const dim_atom *atom;
    uint32_t exp; /* >= 1 */
} dim_factor;

/* coef * atom1^exp1 * ... with factors in canonical atom order. */
typedef struct dim_term {
    int64_t coef; /* never 0 */
    uint64_t degree;
    uint32_t n_fac;
    const dim_factor *fac;
} dim_term;

/* A sum of terms in canonical order, interned: the zero polynomial has no
   terms, a constant one term with no factors. */
struct dim_poly {
    uint32_t hash;
    uint32_t n_terms;
    uint32_t depth;  /* deepest opaque atom: 0 when there is none */
    uint32_t weight; /* atoms it prints, saturated */
    dim_term terms[];
};

/* Bump allocation for everything that lives as long as the context. */
typedef struct arena_block {
    struct arena_block *next;
    size_t used, cap;
    max_align_t data[];
} arena_block;

/* Open addressing over pointers, keyed by a caller-computed hash. */
typedef struct table {
    const void **items;
    uint32_t *hashes;
    size_t cap, count; /* cap: 0 or a power of two */
} table;

/* A term being built; OFF indexes the draft's factors, which may move. */
typedef struct draft_term {
    dim_term t;
    size_t off;
} draft_term;

#define ORDER_MEMO_SIZE 1024 /* a power of two */

struct dim_ctx {
    arena_block *arena;
    /* Scratch polynomials of one exact division or one decision: reset
       at the start of each, never interned, so neither leaves anything
       behind but its result.  SCRATCH_USED bounds what one may take. */
    arena_block *scratch;
    size_t scratch_used;
    table polys; /* dim_poly, by structure */
    table atoms; /* opaque dim_atom, by kind and operands */
    dim_atom **syms;
    size_t n_syms, cap_syms;
    uint32_t next_atom_id;
    dim_failure failure;
    /* Scratch for one constructor at a time; reused, never nested. */
    draft_term *dt;
    size_t n_dt, cap_dt;
    dim_factor *df;
    size_t n_df, cap_df;
    dim_sym *ds;
    size_t n_ds, cap_ds;
    /* The last orders decided, by operand pair: a flow analysis joins the
       same values' bounds over and over (each loop round, each branch).
       Polynomials are interned and live as long as the context, so a
       pair of pointers names one question for good. */
    struct order_memo {
        const dim_poly *a, *b;
        dim_order order;
    } orders[ORDER_MEMO_SIZE];
};

/* ITEMS (an array of SIZE-byte items, *CAP of them) with room for NEED:
   the same pointer, a moved one, or NULL when out of memory (ITEMS is then
   still valid).  NEED >= 1. */
static void *grow(void *items, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return items;
    size_t n = *cap ? *cap * 2 : 16;
    while (n < need)
        n *= 2;
    void *q = realloc(items, n * size);
    if (q)
        *cap = n;
    return q;
}

/* N bytes from the blocks at *HEAD, a new block when the first is full. */
static void *block_alloc(arena_block **head, size_t n)
{
    n = align_up(n ? n : 1);
    arena_block *b = *head;
    if (!b || b->cap - b->used < n) {
        size_t cap = n > 16384 ? n : 16384;
        b = malloc(sizeof *b + cap);
        if (!b)
            return NULL;
        b->next = *head;
        b->used = 0;
        b->cap = cap;
        *head = b;
    }
    void *p = (char *)b->data + b->used;
    b->used += n;
    return p;
}

static void *arena_alloc(dim_ctx *ctx, size_t n)
{
    return block_alloc(&ctx->arena, n);
}

static void blocks_free(arena_block *b)
{
    while (b) {
        arena_block *next = b->next;
        free(b);
        b = next;
    }
}

/* What one division or decision may hold in scratch memory: past it the
   work gives up, so a pathological polynomial costs bounded memory. */
#define SCRATCH_MAX ((size_t)32 << 20)

static void *scratch_alloc(dim_ctx *ctx, size_t n)
{
    if (n > SCRATCH_MAX - ctx->scratch_used)
        return NULL;
    ctx->scratch_used += align_up(n ? n : 1);
    return block_alloc(&ctx->scratch, n);
}

/* Forgets everything in scratch memory; keeps one block for the next. */
static void scratch_reset(dim_ctx *ctx)
{
    arena_block *b = ctx->scratch;
    if (b) {
        blocks_free(b->next);
        b->next = NULL;
        b->used = 0;
    }
    ctx->scratch_used = 0;
}

static uint64_t hash_mix(uint64_t h, uint64_t v)
{
    h ^= v + 0x9e3779b97f4a7c15u + (h << 6) + (h >> 2);
    return h * 0xff51afd7ed558ccdu;
}

static uint32_t hash_final(uint64_t h)
{
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53u;
    h ^= h >> 33;
    return (uint32_t)h;
}

typedef bool (*table_eq_fn)(const void *item, const void *key);

/* The item equal to KEY, or NULL. */
static const void *table_find(const table *t, uint32_t hash, table_eq_fn eq,
                              const void *key)
{
    if (!t->cap)
        return NULL;
    size_t mask = t->cap - 1;
    for (size_t i = hash & mask;; i = (i + 1) & mask) {
        if (!t->items[i])
            return NULL;
        if (t->hashes[i] == hash && eq(t->items[i], key))
            return t->items[i];
    }
}

static bool table_grow(table *t)
{
    size_t cap = t->cap ? t->cap * 2 : 64;
    const void **items = calloc(cap, sizeof *items);
    uint32_t *hashes = calloc(cap, sizeof *hashes);
    if (!items || !hashes) {
        free(items);
        free(hashes);
        return false;
    }
    for (size_t i = 0; i < t->cap; i++) {
        if (!t->items[i])
            continue;
        size_t j = t->hashes[i] & (cap - 1);
        while (items[j])
            j = (j + 1) & (cap - 1);
        items[j] = t->items[i];
        hashes[j] = t->hashes[i];
    }
    free(t->items);
    free(t->hashes);
    t->items = items;
    t->hashes = hashes;
    t->cap = cap;
    return true;
}

/* Adds ITEM, known to be absent.  Keeps the load under 3/4. */
static bool table_insert(table *t, uint32_t hash, const void *item)
{
    if ((t->count + 1) * 4 > t->cap * 3 && !table_grow(t))
        return false;
    size_t i = hash & (t->cap - 1);
    while (t->items[i])
        i = (i + 1) & (t->cap - 1);
    t->items[i] = item;
    t->hashes[i] = hash;
    t->count++;
    return true;
}

static void table_free(table *t)
{
    free(t->items);
    free(t->hashes);
}

dim_ctx *dim_ctx_new(void)
{
    return calloc(1, sizeof(dim_ctx));
}

void dim_ctx_free(dim_ctx *ctx)
{
    if (!ctx)
        return;
    blocks_free(ctx->arena);
    blocks_free(ctx->scratch);
    table_free(&ctx->polys);
    table_free(&ctx->atoms);
    free(ctx->syms);
    free(ctx->dt);
    free(ctx->df);
    free(ctx->ds);
    free(ctx);
}

/* Returns (dim_sym)-1, which names no symbol, when out of memory. */
dim_sym dim_sym_new(dim_ctx *ctx, const char *display)
{
    if (!display)
        display = "?";
    size_t len = strlen(display);
    dim_atom *a = arena_alloc(ctx, sizeof *a);
    char *name = arena_alloc(ctx, len + 1);
    dim_atom **syms =
        grow(ctx->syms, &ctx->cap_syms, ctx->n_syms + 1, sizeof *syms);
    if (!a || !name || !syms)
        return (dim_sym)-1;
    ctx->syms = syms;
    memcpy(name, display, len + 1);
    *a = (dim_atom){.id = ctx->next_atom_id++,
                    .kind = ATOM_SYM,
                    .sym = (dim_sym)ctx->n_syms,
                    .name = name,
                    .weight = 1};
    ctx->syms[ctx->n_syms++] = a;
    return a->sym;
}

const char *dim_sym_name(const dim_ctx *ctx, dim_sym sym)
{
    return sym < ctx->n_syms ? ctx->syms[sym]->name : NULL;
}

/* ---- Polynomials: canonical order, drafts, interning ------------------- */

/* The canonical order of atoms: symbols by display name (so that "B*T" is
   printed whatever order B and T were made in), then opaque atoms; ties
   by creation.  Any total order would do for interning. */
static int atom_cmp(const dim_atom *a, const dim_atom *b)
{
    if (a == b)
        return 0;
    if (a->kind == ATOM_SYM && b->kind == ATOM_SYM) {
        int c = strcmp(a->name, b->name);
        if (c)
            return c;
    } else if (a->kind == ATOM_SYM || b->kind == ATOM_SYM) {
        return a->kind == ATOM_SYM ? -1 : 1;
    }
    return a->id < b->id ? -1 : 1;
}

/* The canonical order of terms: higher degree first (so the constant is
   last), then by factors, a higher power first (B*B before B*T). */
static int term_cmp(const dim_term *a, const dim_term *b)
{
    if (a->degree != b->degree)
        return a->degree > b->degree ? -1 : 1;
    uint32_t n = a->n_fac < b->n_fac ? a->n_fac : b->n_fac;
    for (uint32_t i = 0; i < n; i++) {
        int c = atom_cmp(a->fac[i].atom, b->fac[i].atom);
        if (c)
            return c;
        if (a->fac[i].exp != b->fac[i].exp)
            return a->fac[i].exp > b->fac[i].exp ? -1 : 1;
    }
    return a->n_fac == b->n_fac ? 0 : a->n_fac < b->n_fac ? -1 : 1;
}

static int draft_cmp(const void *x, const void *y)
{
    return term_cmp(&((const draft_term *)x)->t, &((const draft_term *)y)->t);
}

static const dim_poly *failed(dim_ctx *ctx, dim_failure why)
{
    ctx->failure = why;
    return NULL;
}

static void draft_reset(dim_ctx *ctx)
{
    ctx->n_dt = 0;
    ctx->n_df = 0;
}

/* Starts a term of the draft; its factors follow with draft_factor(),
   in canonical order. */
static bool draft_term_begin(dim_ctx *ctx, int64_t coef)
{
    draft_term *dt = grow(ctx->dt, &ctx->cap_dt, ctx->n_dt + 1, sizeof *dt);
    if (!dt)
        return false;
    ctx->dt = dt;
    ctx->dt[ctx->n_dt++] = (draft_term){{coef, 0, 0, NULL}, ctx->n_df};
    return true;
}

static bool draft_factor(dim_ctx *ctx, const dim_atom *atom, uint32_t exp)
{
    dim_factor *df = grow(ctx->df, &ctx->cap_df, ctx->n_df + 1, sizeof *df);
    if (!df)
        return false;
    ctx->df = df;
    ctx->df[ctx->n_df++] = (dim_factor){atom, exp};
    draft_term *d = &ctx->dt[ctx->n_dt - 1];
    d->t.n_fac++;
    d->t.degree += exp;
    return true;
}

/* Copies term T of an interned polynomial into the draft, times SCALE. */
static dim_failure draft_copy(dim_ctx *ctx, const dim_term *t, int64_t scale)
{
    int64_t coef;
    if (__builtin_mul_overflow(t->coef, scale, &coef))
        return FAIL_OVERFLOW;
    if (!draft_term_begin(ctx, coef))
        return FAIL_NO_MEMORY;
    for (uint32_t i = 0; i < t->n_fac; i++)
        if (!draft_factor(ctx, t->fac[i].atom, t->fac[i].exp))
            return FAIL_NO_MEMORY;
    return FAIL_NONE;
}

/* Sorts the draft's terms and adds up those with equal factors, dropping
   zeros.  Returns the number of terms left, or -1 on overflow. */
static long draft_normalize(dim_ctx *ctx)
{
    for (size_t i = 0; i < ctx->n_dt; i++)
        ctx->dt[i].t.fac = ctx->dt[i].t.n_fac ? ctx->df + ctx->dt[i].off : NULL;
    if (ctx->n_dt > 1)
        qsort(ctx->dt, ctx->n_dt, sizeof *ctx->dt, draft_cmp);
    size_t n = 0;
    for (size_t i = 0; i < ctx->n_dt; i++) {
        draft_term *d = &ctx->dt[i];
        if (n && term_cmp(&ctx->dt[n - 1].t, &d->t) == 0) {
            int64_t *sum = &ctx->dt[n - 1].t.coef;
            if (__builtin_add_overflow(*sum, d->t.coef, sum))
                return -1;
        } else {
            if (n && ctx->dt[n - 1].t.coef == 0)
                n--;
            ctx->dt[n++] = *d;
        }
    }
    if (n && ctx->dt[n - 1].t.coef == 0)
        n--;
    return (long)n;
}

static uint32_t draft_hash(const draft_term *dt, size_t n)
{
    uint64_t h = n;
    for (size_t i = 0; i < n; i++) {
        h = hash_mix(h, (uint64_t)dt[i].t.coef);
        for (uint32_t j = 0; j < dt[i].t.n_fac; j++) {
            h = hash_mix(h, dt[i].t.fac[j].atom->id);
            h = hash_mix(h, dt[i].t.fac[j].exp);
        }
    }
    return hash_final(h);
}

/* The key of a draft in the polynomial table. */
typedef struct draft_key {
    const draft_term *dt;
    size_t n;
} draft_key;

static bool poly_eq_draft(const void *item, const void *key)
{
    const dim_poly *p = item;
    const draft_key *k = key;
    if (p->n_terms != k->n)
        return false;
    for (size_t i = 0; i < k->n; i++) {
        const dim_term *a = &p->terms[i], *b = &k->dt[i].t;
        if (a->coef != b->coef || a->n_fac != b->n_fac)
            return false;
        for (uint32_t j = 0; j < a->n_fac; j++)
            if (a->fac[j].atom != b->fac[j].atom ||
                a->fac[j].exp != b->fac[j].exp)
                return false;
    }
    return true;
}

static uint32_t add_sat(uint32_t a, uint64_t b)
{
    uint64_t s = (uint64_t)a + b;
    return s > UINT32_MAX ? UINT32_MAX : (uint32_t)s;
}

/* Depth and weight of the draft's first N terms, checked on intern. */
static void draft_measure(const draft_term *dt, size_t n, uint32_t *depth,
                          uint32_t *weight)
{
    *depth = 0;
    *weight = 0;
    for (size_t i = 0; i < n; i++) {
        *weight = add_sat(*weight, 1);
        for (uint32_t j = 0; j < dt[i].t.n_fac; j++) {
            const dim_factor *f = &dt[i].t.fac[j];
            if (f->atom->depth > *depth)
                *depth = f->atom->depth;
            *weight = add_sat(*weight, (uint64_t)f->exp * f->atom->weight);
        }
    }
}

/* Copies the first N draft terms into the arena as a new polynomial. */
static dim_poly *poly_store(dim_ctx *ctx, size_t n, uint32_t hash,
                            uint32_t depth, uint32_t weight)
{
    size_t n_fac = 0;
    for (size_t i = 0; i < n; i++)
        n_fac += ctx->dt[i].t.n_fac;
    dim_poly *p = arena_alloc(ctx, sizeof *p + n * sizeof(dim_term) +
                                       n_fac * sizeof(dim_factor));
    if (!p)
        return NULL;
    dim_factor *fac = (dim_factor *)&p->terms[n];
    p->hash = hash;
    p->n_terms = (uint32_t)n;
    p->depth = depth;
    p->weight = weight;
    for (size_t i = 0; i < n; i++) {
        p->terms[i] = ctx->dt[i].t;
        if (!p->terms[i].n_fac)
            continue;
        memcpy(fac, ctx->dt[i].t.fac, p->terms[i].n_fac * sizeof *fac);
        p->terms[i].fac = fac;
        fac += p->terms[i].n_fac;
    }
    return p;
}

/* Ends a constructor: the canonical, interned polynomial of the draft. */
static const dim_poly *draft_finish(dim_ctx *ctx)
{
    long n = draft_normalize(ctx);
    if (n < 0)
        return failed(ctx, FAIL_OVERFLOW);
    if (n > DIM_MAX_TERMS)
        return failed(ctx, FAIL_TOO_BIG);
    uint32_t depth, weight;
    draft_measure(ctx->dt, (size_t)n, &depth, &weight);
    if (depth > DIM_MAX_DEPTH || weight > DIM_MAX_WEIGHT)
        return failed(ctx, FAIL_TOO_BIG);
    draft_key key = {ctx->dt, (size_t)n};
    uint32_t hash = draft_hash(ctx->dt, (size_t)n);
    const dim_poly *p = table_find(&ctx->polys, hash, poly_eq_draft, &key);
    if (p)
        return p;
    dim_poly *q = poly_store(ctx, (size_t)n, hash, depth, weight);
    if (!q || !table_insert(&ctx->polys, hash, q))
        return failed(ctx, FAIL_NO_MEMORY);
    return q;
}

/* The polynomial 1 * ATOM. */
static const dim_poly *atom_poly(dim_ctx *ctx, const dim_atom *atom)
{
    draft_reset(ctx);
    if (!draft_term_begin(ctx, 1) || !draft_factor(ctx, atom, 1))
        return failed(ctx, FAIL_NO_MEMORY);
    return draft_finish(ctx);
}

/* ---- Polynomials: arithmetic ------------------------------------------ */

const dim_poly *dim_const(dim_ctx *ctx, int64_t value)
{
    draft_reset(ctx);
    if (value && !draft_term_begin(ctx, value))
        return failed(ctx, FAIL_NO_MEMORY);
    return draft_finish(ctx);
}

const dim_poly *dim_symbol(dim_ctx *ctx, dim_sym sym)
{
    if (sym >= ctx->n_syms)
        return failed(ctx, FAIL_UNKNOWN);
    return atom_poly(ctx, ctx->syms[sym]);
}

/* Drafts A + SCALE * B, SCALE being 1 or -1. */
static dim_failure draft_sum(dim_ctx *ctx, const dim_poly *a, const dim_poly *b,
                             int64_t scale)
{
    if (!a || !b)
        return FAIL_UNKNOWN;
    draft_reset(ctx);
    dim_failure f = FAIL_NONE;
    for (uint32_t i = 0; i < a->n_terms && !f; i++)
        f = draft_copy(ctx, &a->terms[i], 1);
    for (uint32_t i = 0; i < b->n_terms && !f; i++)
        f = draft_copy(ctx, &b->terms[i], scale);
    return f;
}

static const dim_poly *add_scaled(dim_ctx *ctx, const dim_poly *a,
                                  const dim_poly *b, int64_t scale)
{
    dim_failure f = draft_sum(ctx, a, b, scale);
    return f ? failed(ctx, f) : draft_finish(ctx);
}

const dim_poly *dim_add(dim_ctx *ctx, const dim_poly *a, const dim_poly *b)
{
    return add_scaled(ctx, a, b, 1);
}

const dim_poly *dim_sub(dim_ctx *ctx, const dim_poly *a, const dim_poly *b)
{
    return add_scaled(ctx, a, b, -1);
}

/* Appends the product of two terms: their factor lists merged, the
   exponents of a shared atom added. */
static dim_failure draft_product(dim_ctx *ctx, const dim_term *a,
                                 const dim_term *b)
{
    int64_t coef;
    if (__builtin_mul_overflow(a->coef, b->coef, &coef))
        return FAIL_OVERFLOW;
    if (!draft_term_begin(ctx, coef))
        return FAIL_NO_MEMORY;
    uint32_t i = 0, j = 0;
    while (i < a->n_fac || j < b->n_fac) {
        int c = i == a->n_fac   ? 1
                : j == b->n_fac ? -1
                                : atom_cmp(a->fac[i].atom, b->fac[j].atom);
        dim_factor f = c <= 0 ? a->fac[i] : b->fac[j];
        if (c == 0 && __builtin_add_overflow(f.exp, b->fac[j].exp, &f.exp))
            return FAIL_OVERFLOW;
        i += c <= 0;
        j += c >= 0;
        if (!draft_factor(ctx, f.atom, f.exp))
            return FAIL_NO_MEMORY;
    }
    return FAIL_NONE;
}

/* Every pair of terms: at most DIM_MAX_TERMS^2 before like terms are
   added up, and a result above DIM_MAX_TERMS is NULL, so repeated
   products never blow up. */
const dim_poly *dim_mul(dim_ctx *ctx, const dim_poly *a, const dim_poly *b)
{
    if (!a || !b)
        return failed(ctx, FAIL_UNKNOWN);
    draft_reset(ctx);
    for (uint32_t i = 0; i < a->n_terms; i++) {
        for (uint32_t j = 0; j < b->n_terms; j++) {
            dim_failure f = draft_product(ctx, &a->terms[i], &b->terms[j]);
            if (f)
                return failed(ctx, f);
        }
    }
    return draft_finish(ctx);
}

/* ---- Scratch polynomials ---------------------------------------------- */

/* A polynomial in scratch memory, never interned: the remainders of exact
   division and the bounds of the decision procedure.  Terms in canonical
   order (graded lexicographic: see term_cmp); the value is the sum of the
   terms divided by DEN, so that bounds such as (B - 1)/2 stay exact. */
typedef struct spoly {
    int64_t den; /* > 0, and without a factor common to every coefficient */
    uint32_t n;
    dim_term terms[];
} spoly;

/* Terms one scratch polynomial may have: the remainders of dividing a
   product of two polynomials of DIM_MAX_TERMS terms by one of them stay
   within it.  Past it, or past SCRATCH_MAX, the work gives up. */
#define SP_MAX_TERMS (DIM_MAX_TERMS * DIM_MAX_TERMS)

static uint64_t gcd_u64(uint64_t a, uint64_t b)
{
    while (b) {
        uint64_t t = a % b;
        a = b;
        b = t;
    }
    return a;
}

/* The first N terms of the normalized draft (N from draft_normalize(), -1
   for its overflow) over DEN, copied to scratch memory with the factor
   common to DEN and every coefficient divided out; NULL when too big. */
static const spoly *sp_store(dim_ctx *ctx, long n, int64_t den)
{
    if (n < 0 || n > SP_MAX_TERMS || den <= 0)
        return NULL;
    uint64_t g = (uint64_t)den;
    size_t n_fac = 0;
    for (long i = 0; i < n; i++) {
        g = gcd_u64(g, magnitude(ctx->dt[i].t.coef));
        n_fac += ctx->dt[i].t.n_fac;
    }
    spoly *p = scratch_alloc(ctx, sizeof *p + (size_t)n * sizeof(dim_term) +
                                      n_fac * sizeof(dim_factor));
    if (!p)
        return NULL;
    dim_factor *fac = (dim_factor *)(void *)&p->terms[n];
    p->den = den / (int64_t)g; /* g divides den: g <= den */
    p->n = (uint32_t)n;
    for (long i = 0; i < n; i++) {
        p->terms[i] = ctx->dt[i].t;
        p->terms[i].coef /= (int64_t)g;
        if (!p->terms[i].n_fac)
            continue;
        memcpy(fac, ctx->dt[i].t.fac, p->terms[i].n_fac * sizeof *fac);
        p->terms[i].fac = fac;
        fac += p->terms[i].n_fac;
    }
    return p;
}

/* Appends N terms to the draft, each times SCALE. */
static bool draft_terms(dim_ctx *ctx, const dim_term *t, uint32_t n,
                        int64_t scale)
{
    for (uint32_t i = 0; i < n; i++)
        if (draft_copy(ctx, &t[i], scale))
            return false;
    return true;
}

/* The constant K. */
static const spoly *sp_const(dim_ctx *ctx, int64_t k)
{
    draft_reset(ctx);
    if (k && !draft_term_begin(ctx, k))
        return NULL;
    return sp_store(ctx, draft_normalize(ctx), 1);
}

/* The interned polynomial P, in scratch memory. */
static const spoly *sp_of_poly(dim_ctx *ctx, const dim_poly *p)
{
    draft_reset(ctx);
    if (!draft_terms(ctx, p->terms, p->n_terms, 1))
        return NULL;
    return sp_store(ctx, draft_normalize(ctx), 1);
}

/* A * NUM / DIV, DIV > 0.  NULL stays NULL: a missing bound. */
static const spoly *sp_scale(dim_ctx *ctx, const spoly *a, int64_t num,
                             int64_t div)
{
    int64_t den;
    if (!a || __builtin_mul_overflow(a->den, div, &den))
        return NULL;
    draft_reset(ctx);
    if (!draft_terms(ctx, a->terms, a->n, num))
        return NULL;
    return sp_store(ctx, draft_normalize(ctx), den);
}

static const spoly *sp_neg(dim_ctx *ctx, const spoly *a)
{
    return sp_scale(ctx, a, -1, 1);
}

/* A + KB * B over their least common denominator; NULL when either is. */
static const spoly *sp_add_scaled(dim_ctx *ctx, const spoly *a, int64_t kb,
                                  const spoly *b)
{
    if (!a || !b)
        return NULL;
    int64_t g = (int64_t)gcd_u64((uint64_t)a->den, (uint64_t)b->den);
    int64_t fa = b->den / g, fb = a->den / g, den, sb;
    if (__builtin_mul_overflow(a->den, fa, &den) ||
        __builtin_mul_overflow(kb, fb, &sb))
        return NULL;
    draft_reset(ctx);
    if (!draft_terms(ctx, a->terms, a->n, fa) ||
        !draft_terms(ctx, b->terms, b->n, sb))
        return NULL;
    return sp_store(ctx, draft_normalize(ctx), den);
}

static const spoly *sp_add(dim_ctx *ctx, const spoly *a, const spoly *b)
{
    return sp_add_scaled(ctx, a, 1, b);
}

/* A + K, K an integer. */
static const spoly *sp_add_int(dim_ctx *ctx, const spoly *a, int64_t k)
{
    return a ? sp_add(ctx, a, sp_const(ctx, k)) : NULL;
}

/* The sum of PARTS[0..N) over their least common denominator, sorted
   once; NULL when any part is. */
static const spoly *sp_sum(dim_ctx *ctx, const spoly *const *parts, uint32_t n)
{
    int64_t den = 1;
    for (uint32_t i = 0; i < n; i++) {
        if (!parts[i])
            return NULL;
        int64_t g = (int64_t)gcd_u64((uint64_t)den, (uint64_t)parts[i]->den);
        if (__builtin_mul_overflow(den / g, parts[i]->den, &den))
            return NULL;
    }
    draft_reset(ctx);
    for (uint32_t i = 0; i < n; i++)
        if (!draft_terms(ctx, parts[i]->terms, parts[i]->n,
                         den / parts[i]->den))
            return NULL;
    return sp_store(ctx, draft_normalize(ctx), den);
}

/* A * B, every pair of terms; NULL when either is NULL. */
static const spoly *sp_mul(dim_ctx *ctx, const spoly *a, const spoly *b)
{
    int64_t den;
    if (!a || !b || (size_t)a->n * b->n > SP_MAX_TERMS ||
        __builtin_mul_overflow(a->den, b->den, &den))
        return NULL;
    draft_reset(ctx);
    for (uint32_t i = 0; i < a->n; i++)
        for (uint32_t j = 0; j < b->n; j++)
            if (draft_product(ctx, &a->terms[i], &b->terms[j]))
                return NULL;
    return sp_store(ctx, draft_normalize(ctx), den);
}

/* A ** EXP by squaring. */
static const spoly *sp_pow(dim_ctx *ctx, const spoly *a, uint32_t exp)
{
    const spoly *r = sp_const(ctx, 1);
    while (exp && r && a) {
        if (exp & 1)
            r = sp_mul(ctx, r, a);
        exp >>= 1;
        if (exp)
            a = sp_mul(ctx, a, a);
    }
    return a ? r : NULL;
}

/* ---- Exact division --------------------------------------------------- */

/* Q with Q * D = T for the terms T and D, factors in scratch memory; false
   when D does not divide T (a factor missing or short, or a coefficient
   that is not a multiple). */
static bool term_divide(dim_ctx *ctx, const dim_term *t, const dim_term *d,
                        dim_term *q)
{
    if (d->degree > t->degree)
        return false;
    if (d->coef == -1 ? t->coef == INT64_MIN : t->coef % d->coef != 0)
        return false; /* and INT64_MIN % -1 is undefined */
    dim_factor *fac = scratch_alloc(ctx, (t->n_fac + 1) * sizeof *fac);
    if (!fac)
        return false;
    *q = (dim_term){t->coef / d->coef, t->degree - d->degree, 0, fac};
    uint32_t j = 0;
    for (uint32_t i = 0; i < t->n_fac; i++) {
        dim_factor f = t->fac[i];
        if (j < d->n_fac && d->fac[j].atom == f.atom) {
            if (d->fac[j++].exp > f.exp)
                return false;
            f.exp -= d->fac[j - 1].exp;
        } else if (j < d->n_fac && atom_cmp(d->fac[j].atom, f.atom) < 0) {
            return false; /* D has an atom T lacks */
        }
        if (f.exp)
            fac[q->n_fac++] = f;
    }
    return j == d->n_fac;
}

/* R - Q * B, where Q times B's leading term is R's leading term: that
   term cancels by construction and is left out, and the rest of Q * B is
   subtracted as Q times B's negated terms, so that a quotient term
   INT64_MIN needs no negation. */
static const spoly *sp_sub_product(dim_ctx *ctx, const spoly *r,
                                   const dim_term *q, const dim_poly *b)
{
    draft_reset(ctx);
    if (!draft_terms(ctx, r->terms + 1, r->n - 1, 1))
        return NULL;
    for (uint32_t j = 1; j < b->n_terms; j++) {
        dim_term neg = b->terms[j];
        if (neg.coef == INT64_MIN)
            return NULL;
        neg.coef = -neg.coef;
        if (draft_product(ctx, q, &neg))
            return NULL;
    }
    return sp_store(ctx, draft_normalize(ctx), 1);
}

/* Long division of A by B in scratch memory: the terms of the quotient in
   Q[0..*N), and true when the remainder is 0. */
static bool long_divide(dim_ctx *ctx, const dim_poly *a, const dim_poly *b,
                        dim_term *q, size_t *n)
{
    const spoly *r = sp_of_poly(ctx, a);
    *n = 0;
    while (r && r->n) {
        if (*n == DIM_MAX_TERMS ||
            !term_divide(ctx, &r->terms[0], &b->terms[0], &q[*n]))
            return false;
        r = sp_sub_product(ctx, r, &q[(*n)++], b);
    }
    return r != NULL;
}

/* The Q with A = B * Q as polynomials (opaque atoms taken as variables),
   or NULL when there is none.  Long division in the canonical order: it is
   a monomial order, so the leading term of B * Q is the product of the
   leading terms, and B divides A exactly when each remainder's leading
   term is a multiple of B's until nothing is left (B alone is a Groebner
   basis).  Each step finds the next term of Q, so at most DIM_MAX_TERMS
   steps; while B divides A each remainder is B times the rest of Q, so
   within SP_MAX_TERMS: that bound only ever cuts short a division that
   leaves a remainder anyway.  What can stop an exact one is int64
   overflow on the way or SCRATCH_MAX (huge monomials): then the quotient
   stays opaque.  Only the quotient is interned. */
static const dim_poly *exact_quotient(dim_ctx *ctx, const dim_poly *a,
                                      const dim_poly *b)
{
    if (!a->n_terms || !b->n_terms || a->terms[0].degree < b->terms[0].degree)
        return NULL;
    dim_term q[DIM_MAX_TERMS];
    size_t n;
    const dim_poly *quotient = NULL;
    scratch_reset(ctx);
    if (long_divide(ctx, a, b, q, &n)) {
        draft_reset(ctx);
        bool ok = true;
        for (size_t i = 0; i < n && ok; i++)
            ok = draft_copy(ctx, &q[i], 1) == FAIL_NONE;
        quotient = ok ? draft_finish(ctx) : NULL;
    }
    scratch_reset(ctx); /* after draft_finish: Q's factors live there */
    return quotient;
}

/* True when every coefficient of P is a multiple of D (D != 0). */
static bool divides_all(const dim_poly *p, int64_t d)
{
    if (d == 1 || d == -1)
        return true; /* and INT64_MIN % -1 is undefined */
    for (uint32_t i = 0; i < p->n_terms; i++)
        if (p->terms[i].coef % d)
            return false;
    return true;
}

/* P / D, D dividing every coefficient. */
static const dim_poly *div_exact(dim_ctx *ctx, const dim_poly *p, int64_t d)
{
    draft_reset(ctx);
    for (uint32_t i = 0; i < p->n_terms; i++) {
        const dim_term *t = &p->terms[i];
        if (t->coef == INT64_MIN && d == -1)
            return failed(ctx, FAIL_OVERFLOW);
        dim_term q = *t;
        q.coef = t->coef / d;
        dim_failure f = draft_copy(ctx, &q, 1);
        if (f)
            return failed(ctx, f);
    }
    return draft_finish(ctx);
}

/* Collects into ctx->ds the symbols of P (opaque atoms included). */
static bool collect_syms(dim_ctx *ctx, const dim_poly *p)
{
    for (uint32_t i = 0; i < p->n_terms; i++) {
        for (uint32_t j = 0; j < p->terms[i].n_fac; j++) {
            const dim_atom *a = p->terms[i].fac[j].atom;
            size_t n = a->kind == ATOM_SYM ? 1 : a->n_syms;
            dim_sym *ds =
                grow(ctx->ds, &ctx->cap_ds, ctx->n_ds + n + 1, sizeof *ds);
            if (!ds)
                return false;
            ctx->ds = ds;
            if (a->kind == ATOM_SYM)
                ctx->ds[ctx->n_ds++] = a->sym;
            else
                for (uint32_t k = 0; k < a->n_syms; k++)
                    ctx->ds[ctx->n_ds++] = a->syms[k];
        }
    }
    return true;
}

static int sym_cmp(const void *x, const void *y)
{
    dim_sym a = *(const dim_sym *)x, b = *(const dim_sym *)y;
    return a < b ? -1 : a > b;
}

/* The symbols inside LHS and RHS, once each, for dim_poly_symbols(): so it
   never walks nested atoms, however they share. */
static bool atom_symbols(dim_ctx *ctx, dim_atom *a)
{
    ctx->n_ds = 0;
    if (!collect_syms(ctx, a->lhs) || !collect_syms(ctx, a->rhs))
        return false;
    if (ctx->n_ds > 1)
        qsort(ctx->ds, ctx->n_ds, sizeof *ctx->ds, sym_cmp);
    size_t n = 0;
    for (size_t i = 0; i < ctx->n_ds; i++)
        if (!n || ctx->ds[n - 1] != ctx->ds[i])
            ctx->ds[n++] = ctx->ds[i];
    dim_sym *syms = arena_alloc(ctx, n * sizeof *syms);
    if (!syms)
        return false;
    if (n)
        memcpy(syms, ctx->ds, n * sizeof *syms);
    a->syms = syms;
    a->n_syms = (uint32_t)n;
    return true;
}

typedef struct atom_key {
    atom_kind kind;
    const dim_poly *lhs, *rhs;
} atom_key;

static bool atom_eq_key(const void *item, const void *key)
{
    const dim_atom *a = item;
    const atom_key *k = key;
    return a->kind == k->kind && a->lhs == k->lhs && a->rhs == k->rhs;
}

/* LHS / RHS or LHS % RHS kept whole: one atom per canonical pair, so the
   same quotient built twice is the same polynomial. */
static const dim_poly *opaque(dim_ctx *ctx, atom_kind kind, const dim_poly *lhs,
                              const dim_poly *rhs)
{
    atom_key key = {kind, lhs, rhs};
    uint32_t hash = hash_final(hash_mix(hash_mix(kind, lhs->hash), rhs->hash));
    const dim_atom *found = table_find(&ctx->atoms, hash, atom_eq_key, &key);
    if (found)
        return atom_poly(ctx, found);
    uint32_t depth = (lhs->depth > rhs->depth ? lhs->depth : rhs->depth) + 1;
    uint32_t weight = add_sat(lhs->weight, rhs->weight);
    if (depth > DIM_MAX_DEPTH || weight > DIM_MAX_WEIGHT)
        return failed(ctx, FAIL_TOO_BIG);
    dim_atom *a = arena_alloc(ctx, sizeof *a);
    if (!a)
        return failed(ctx, FAIL_NO_MEMORY);
    *a = (dim_atom){.id = ctx->next_atom_id++,
                    .kind = kind,
                    .lhs = lhs,
                    .rhs = rhs,
                    .depth = depth,
                    .weight = weight};
    if (!atom_symbols(ctx, a) || !table_insert(&ctx->atoms, hash, a))
        return failed(ctx, FAIL_NO_MEMORY);
    return atom_poly(ctx, a);
}

/* The fold rules of dim.h, in order: constants (C semantics), a constant
   divisor of every coefficient (x/1 and x%1 included), 0 divided by
   anything, a polynomial divisor that leaves no remainder; otherwise an
   opaque atom. */
static const dim_poly *divide(dim_ctx *ctx, atom_kind kind, const dim_poly *a,
                              const dim_poly *b)
{
    int64_t x, y, r;
    if (!a || !b)
        return failed(ctx, FAIL_UNKNOWN);
    if (dim_is_const(b, &y)) {
        if (y == 0)
            return failed(ctx, FAIL_DIV_ZERO);
        if (dim_is_const(a, &x)) {
            dim_node_kind op = kind == ATOM_DIV ? DIM_NODE_DIV : DIM_NODE_MOD;
            if (int_apply(op, x, y, &r))
                return failed(ctx, FAIL_OVERFLOW);
            return dim_const(ctx, r);
        }
        if (divides_all(a, y))
            return kind == ATOM_DIV ? div_exact(ctx, a, y) : dim_const(ctx, 0);
    } else if (a->n_terms == 0) {
        return a;
    } else {
        const dim_poly *q = exact_quotient(ctx, a, b);
        if (q)
            return kind == ATOM_DIV ? q : dim_const(ctx, 0);
    }
    return opaque(ctx, kind, a, b);
}

const dim_poly *dim_div(dim_ctx *ctx, const dim_poly *a, const dim_poly *b)
{
    return divide(ctx, ATOM_DIV, a, b);
}

const dim_poly *dim_mod(dim_ctx *ctx, const dim_poly *a, const dim_poly *b)
{
    return divide(ctx, ATOM_MOD, a, b);
}

/* ---- Queries ---------------------------------------------------------- */

bool dim_is_const(const dim_poly *p, int64_t *value)
{
    if (!p || p->n_terms > 1 || (p->n_terms == 1 && p->terms[0].n_fac))
        return false;
    *value = p->n_terms ? p->terms[0].coef : 0;
    return true;
}

bool dim_is_symbol(const dim_poly *p, dim_sym *sym)
{
    if (!p || p->n_terms != 1 || p->terms[0].coef != 1 ||
        p->terms[0].n_fac != 1 || p->terms[0].fac[0].exp != 1 ||
        p->terms[0].fac[0].atom->kind != ATOM_SYM)
        return false;
    *sym = p->terms[0].fac[0].atom->sym;
    return true;
}

void dim_poly_symbols(const dim_poly *p, dim_sym_fn fn, void *ud)
{
    if (!p)
        return;
    for (uint32_t i = 0; i < p->n_terms; i++) {
        for (uint32_t j = 0; j < p->terms[i].n_fac; j++) {
            const dim_atom *a = p->terms[i].fac[j].atom;
            if (a->kind == ATOM_SYM)
                fn(ud, a->sym);
            for (uint32_t k = 0; k < a->n_syms; k++)
                fn(ud, a->syms[k]);
        }
    }
}

/* BASE ** EXP by squaring; NULL stays NULL. */
static const dim_poly *power(dim_ctx *ctx, const dim_poly *base, uint32_t exp)
{
    const dim_poly *r = dim_const(ctx, 1);
    while (exp && r && base) {
        if (exp & 1)
            r = dim_mul(ctx, r, base);
        exp >>= 1;
        if (exp)
            base = dim_mul(ctx, base, base);
    }
    return base ? r : NULL;
}

static const dim_poly *atom_substitute(dim_ctx *ctx, const dim_atom *a,
                                       dim_subst_fn subst, void *ud)
{
    if (a->kind == ATOM_SYM) {
        const dim_poly *r = subst(ud, a->sym);
        return r ? r : dim_symbol(ctx, a->sym);
    }
    const dim_poly *lhs = dim_substitute(ctx, a->lhs, subst, ud);
    const dim_poly *rhs = dim_substitute(ctx, a->rhs, subst, ud);
    return divide(ctx, a->kind, lhs, rhs);
}

/* Term by term: coef * prod(replacement ** exp).  Recursion into opaque
   atoms is bounded by DIM_MAX_DEPTH, the work by DIM_MAX_WEIGHT. */
const dim_poly *dim_substitute(dim_ctx *ctx, const dim_poly *p,
                               dim_subst_fn subst, void *ud)
{
    if (!p || !subst)
        return p;
    const dim_poly *sum = dim_const(ctx, 0);
    for (uint32_t i = 0; i < p->n_terms && sum; i++) {
        const dim_term *t = &p->terms[i];
        const dim_poly *term = dim_const(ctx, t->coef);
        for (uint32_t j = 0; j < t->n_fac && term; j++) {
            const dim_poly *r = atom_substitute(ctx, t->fac[j].atom, subst, ud);
            term = dim_mul(ctx, term, power(ctx, r, t->fac[j].exp));
        }
        sum = dim_add(ctx, sum, term);
    }
    return sum;
}

/* ---- Decisions: bounds over symbols >= 1 ------------------------------ */

/*
 * dim_compare() and dim_order_of() try to prove A - B >= 0 or > 0, and
 * B - A the same, for every assignment of integers >= 1 to the symbols.
 * A difference may hold opaque atoms.  Each is replaced by a lower and an
 * upper bound that are polynomials in the symbols alone, valid point by
 * point: for each assignment where the atom is defined, the bounds at that
 * assignment enclose its value.  Sums and products of such bounds are
 * bounds of the sum and product at the same assignment, so a symbol that
 * appears inside and outside an atom is still one value: B - 2*(B/2) >=
 * B - 2*(B/2's upper bound B/2) = 0, where bounding B and B/2 as
 * independent ranges would prove nothing sound.  A division by a value
 * that is 0 has no value to compare: that assignment is not a
 * counterexample.
 *
 * A bound is then shown positive by the shift test, sp_positive().  The
 * difference is an integer, so a lower bound > -1 proves it >= 0, and a
 * lower bound > 0 proves it >= 1; that is what makes the rational bounds
 * of X/C tight enough ((B-1)/2 <= B/2: B/2 >= 0 since (B-1)/2 > -1).
 */

/* Whether no term of T[0..N) holds an opaque atom. */
static bool terms_atom_free(const dim_term *t, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++)
        for (uint32_t j = 0; j < t[i].n_fac; j++)
            if (t[i].fac[j].atom->kind != ATOM_SYM)
                return false;
    return true;
}

/* C(N, K) in *R; false on overflow. */
static bool binomial(uint32_t n, uint32_t k, int64_t *r)
{
    if (k > n - k)
        k = n - k;
    int64_t v = 1;
    for (uint32_t i = 1; i <= k; i++) {
        /* v is C(n - k + i - 1, i - 1): the product divides by i. */
        if (__builtin_mul_overflow(v, (int64_t)(n - k + i), &v))
            return false;
        v /= i;
    }
    *r = v;
    return true;
}

/* Appends to the draft COEF times T's symbols with each symbol s written
   1 + s: the sum over 0 <= k_i <= e_i of COEF * prod C(e_i, k_i) * s_i^k_i.
   *ROOM is the number of terms the draft may still take.  False on
   overflow, when T holds an opaque atom (which is not >= 1) or when the
   expansion does not fit. */
static bool draft_shifted(dim_ctx *ctx, const dim_term *t, int64_t coef,
                          size_t *room)
{
    size_t count = 1;
    for (uint32_t i = 0; i < t->n_fac; i++) {
        if (t->fac[i].atom->kind != ATOM_SYM || t->fac[i].exp >= *room)
            return false;
        count *= (size_t)t->fac[i].exp + 1;
        if (count > *room)
            return false;
    }
    *room -= count;
    /* count <= SP_MAX_TERMS = 2^12 and every e_i >= 1: n_fac <= 12. */
    uint32_t k[16] = {0};
    for (;;) {
        int64_t c = coef, b;
        for (uint32_t i = 0; i < t->n_fac; i++)
            if (!binomial(t->fac[i].exp, k[i], &b) ||
                __builtin_mul_overflow(c, b, &c))
                return false;
        if (!draft_term_begin(ctx, c))
            return false;
        for (uint32_t i = 0; i < t->n_fac; i++)
            if (k[i] && !draft_factor(ctx, t->fac[i].atom, k[i]))
                return false;
        uint32_t i = 0; /* the next k, as an odometer */
        while (i < t->n_fac && k[i] == t->fac[i].exp)
            k[i++] = 0;
        if (i == t->n_fac)
            return true;
        k[i]++;
    }
}

/* Whether the monomial of D divides that of T (both atom-free). */
static bool monomial_divides(const dim_term *d, const dim_term *t)
{
    uint32_t j = 0;
    for (uint32_t i = 0; i < d->n_fac; i++) {
        while (j < t->n_fac && t->fac[j].atom != d->fac[i].atom)
            j++;
        if (j == t->n_fac || t->fac[j].exp < d->fac[i].exp)
            return false;
    }
    return true;
}

/* The answer of sp_positive() when it needs no expansion, from two facts
   about P(1 + y): its coefficient of a monomial that divides no other
   term's is P's own (only multiples of it contribute), and its constant
   term is P(1, ..., 1), the sum of the coefficients.  1: positive, 0:
   not proved, -1: undecided here. */
static int positive_quick(const spoly *p, int64_t sign, int64_t kd, bool strict)
{
    bool all_nonneg = true, has_const = false;
    int64_t sum = kd, c;
    for (uint32_t i = 0; i < p->n; i++) {
        if (__builtin_mul_overflow(p->terms[i].coef, sign, &c) ||
            __builtin_add_overflow(sum, c, &sum))
            return -1;
        if (!p->terms[i].n_fac) { /* the constant term: KD joins it */
            has_const = true;
            if (__builtin_add_overflow(c, kd, &c))
                return -1;
        }
        if (c >= 0)
            continue;
        all_nonneg = false;
        bool maximal = true;
        for (uint32_t j = 0; j < p->n && maximal; j++)
            maximal = j == i || !monomial_divides(&p->terms[i], &p->terms[j]);
        if (maximal)
            return 0;
    }
    if (strict ? sum <= 0 : sum < 0)
        return 0;
    return all_nonneg && (has_const || kd >= 0) ? 1 : -1;
}

/* Whether SIGN * P + K > 0 (STRICT) or >= 0 for every value >= 1 of the
   symbols, P an atom-free bound (its terms over its denominator).  The
   shift test: with each symbol s written 1 + y, y >= 0, a polynomial
   whose coefficients are all >= 0 is >= 0, and > 0 when its constant
   term (its value at every s = 1) is too.  Sufficient, not necessary:
   (B - 2)*(B - 2) + 1 > 0 is not seen.  False when unsure, on overflow
   and past SP_MAX_TERMS; NULL (no bound) is false. */
static bool sp_positive(dim_ctx *ctx, const spoly *p, int64_t sign, int64_t k,
                        bool strict)
{
    int64_t kd;
    if (!p || __builtin_mul_overflow(k, p->den, &kd) ||
        !terms_atom_free(p->terms, p->n))
        return false;
    int quick = positive_quick(p, sign, kd, strict);
    if (quick >= 0)
        return quick;
    draft_reset(ctx);
    if (kd && !draft_term_begin(ctx, kd))
        return false;
    size_t room = SP_MAX_TERMS;
    for (uint32_t i = 0; i < p->n; i++) {
        int64_t c;
        if (__builtin_mul_overflow(p->terms[i].coef, sign, &c) ||
            !draft_shifted(ctx, &p->terms[i], c, &room))
            return false;
    }
    long n = draft_normalize(ctx);
    if (n < 0)
        return false;
    for (long i = 0; i < n; i++)
        if (ctx->dt[i].t.coef < 0)
            return false;
    /* The constant term sorts last; absent, it is 0. */
    return !strict || (n > 0 && ctx->dt[n - 1].t.n_fac == 0);
}

/* A lower and an upper bound of one value, atom-free; NULL: none known on
   that side. */
typedef struct bounds {
    const spoly *lo, *hi;
} bounds;

/* Opaque atoms one attempt may bound, nested ones included: past it the
   attempt proves nothing.  Keeps shared and deeply nested atoms cheap. */
#define DECIDE_MAX_ATOMS 64

/* One attempt at bounding a difference. */
typedef struct decider {
    dim_ctx *ctx;
    /* |X % Y| <= min(|X|, |Y| - 1), and a bound is one polynomial: by
       default the divisor's side is taken (B%4 <= 3), with this set the
       dividend's (B%4 <= B).  MOD_CHOICE notes that a remainder had both,
       so that the other attempt may prove more. */
    bool mod_by_dividend;
    bool mod_choice;
    unsigned atoms_left;
} decider;

static bounds terms_bounds(decider *d, const dim_term *t, uint32_t n);

static bounds no_bounds(void)
{
    return (bounds){NULL, NULL};
}

static bounds neg_bounds(dim_ctx *ctx, bounds b)
{
    return (bounds){sp_neg(ctx, b.hi), sp_neg(ctx, b.lo)};
}

/* Signs of a bounded integer value: >= 0 when its lower bound is > -1,
   >= 1 when it is > 0, and the mirror images. */
static bool is_nonneg(decider *d, const bounds *b)
{
    return sp_positive(d->ctx, b->lo, 1, 1, true);
}

static bool is_nonpos(decider *d, const bounds *b)
{
    return sp_positive(d->ctx, b->hi, -1, 1, true);
}

static int sign_of(decider *d, const bounds *b)
{
    return is_nonneg(d, b) ? 1 : is_nonpos(d, b) ? -1 : 0;
}

/* An upper bound of |X| when X's sign SIGN is known; NULL otherwise. */
static const spoly *magnitude_max(decider *d, const bounds *x, int sign)
{
    return sign > 0 ? x->hi : sign < 0 ? sp_neg(d->ctx, x->lo) : NULL;
}

/* X / K, K > 0, rounded toward zero (C): within (K-1)/K of the rational
   X/K on either side, and on the side of zero not past X/K where the sign
   of X is known. */
static bounds div_const_bounds(decider *d, const bounds *x, int64_t k)
{
    dim_ctx *ctx = d->ctx;
    const spoly *lo = is_nonpos(d, x) ? x->lo : sp_add_int(ctx, x->lo, 1 - k);
    const spoly *hi = is_nonneg(d, x) ? x->hi : sp_add_int(ctx, x->hi, k - 1);
    return (bounds){sp_scale(ctx, lo, 1, k), sp_scale(ctx, hi, 1, k)};
}

/* X / Y, Y not a constant: |X / Y| <= |X| wherever Y != 0, with the sign
   of X * Y when both are known (B/T is in [0, B]). */
static bounds div_bounds(decider *d, const bounds *x, const bounds *y)
{
    int xs = sign_of(d, x);
    if (!xs)
        return no_bounds();
    int ys = sp_positive(d->ctx, y->lo, 1, 0, true)    ? 1
             : sp_positive(d->ctx, y->hi, -1, 0, true) ? -1
                                                       : 0;
    const spoly *mag = magnitude_max(d, x, xs), *zero = sp_const(d->ctx, 0);
    int qs = xs * ys;
    return (bounds){qs > 0 ? zero : sp_neg(d->ctx, mag), qs < 0 ? zero : mag};
}

/* X % Y: C gives it the sign of X, and |X % Y| <= |X| and <= |Y| - 1, for
   which ROOM is an upper bound (or NULL).  Which of the two, when both
   are known, is the decider's policy. */
static bounds mod_bounds(decider *d, const bounds *x, const spoly *room)
{
    int xs = sign_of(d, x);
    const spoly *xmag = magnitude_max(d, x, xs), *mag = room ? room : xmag;
    if (room && xmag) {
        d->mod_choice = true;
        if (d->mod_by_dividend)
            mag = xmag;
    }
    const spoly *zero = sp_const(d->ctx, 0);
    return (bounds){xs > 0 ? zero : sp_neg(d->ctx, mag), xs < 0 ? zero : mag};
}

/* |Y| - 1 at most, for a Y whose sign is known (|Y| >= 1); else NULL. */
static const spoly *divisor_room(decider *d, const bounds *y)
{
    dim_ctx *ctx = d->ctx;
    if (sp_positive(ctx, y->lo, 1, 0, true))
        return sp_add_int(ctx, y->hi, -1);
    if (sp_positive(ctx, y->hi, -1, 0, true))
        return sp_add_int(ctx, sp_neg(ctx, y->lo), -1);
    return NULL;
}

/* An opaque quotient or remainder, from the bounds of its operands. */
static bounds atom_bounds(decider *d, const dim_atom *a)
{
    if (!d->atoms_left)
        return no_bounds();
    d->atoms_left--;
    dim_ctx *ctx = d->ctx;
    bounds x = terms_bounds(d, a->lhs->terms, a->lhs->n_terms);
    int64_t c;
    if (dim_is_const(a->rhs, &c)) {
        if (c == 0 || c == INT64_MIN)
            return no_bounds();
        if (a->kind == ATOM_MOD)
            return mod_bounds(d, &x, sp_const(ctx, (int64_t)magnitude(c) - 1));
        bounds q = div_const_bounds(d, &x, (int64_t)magnitude(c));
        return c > 0 ? q : neg_bounds(ctx, q); /* X / -K is -(X / K) */
    }
    bounds y = terms_bounds(d, a->rhs->terms, a->rhs->n_terms);
    if (a->kind == ATOM_MOD)
        return mod_bounds(d, &x, divisor_room(d, &y));
    return div_bounds(d, &x, &y);
}

/* The product of T's opaque factors.  One factor: its own bounds.  More,
   or a power: products of bounds are bounds of the product only for
   values >= 0, so each factor must be proved >= 0 or <= 0 (one <= 0 is
   bounded as -(its negation)), and a lower bound not itself proved >= 0
   is replaced by 0, which is one too. */
static bounds atoms_bounds(decider *d, const dim_term *t)
{
    dim_ctx *ctx = d->ctx;
    const dim_factor *first = NULL;
    uint32_t n = 0;
    for (uint32_t i = 0; i < t->n_fac; i++)
        if (t->fac[i].atom->kind != ATOM_SYM && !n++)
            first = &t->fac[i];
    if (n == 1 && first->exp == 1)
        return atom_bounds(d, first->atom);
    const spoly *lo = sp_const(ctx, 1), *hi = lo;
    bool negative = false;
    for (uint32_t i = 0; i < t->n_fac; i++) {
        const dim_factor *f = &t->fac[i];
        if (f->atom->kind == ATOM_SYM)
            continue;
        bounds b = atom_bounds(d, f->atom);
        int s = sign_of(d, &b);
        if (!s)
            return no_bounds();
        if (s < 0) {
            b = neg_bounds(ctx, b);
            negative ^= f->exp & 1;
        }
        if (!sp_positive(ctx, b.lo, 1, 0, false))
            b.lo = sp_const(ctx, 0);
        lo = sp_mul(ctx, lo, sp_pow(ctx, b.lo, f->exp));
        hi = sp_mul(ctx, hi, sp_pow(ctx, b.hi, f->exp));
    }
    bounds r = {lo, hi};
    return negative ? neg_bounds(ctx, r) : r;
}

/* COEF * symbols * opaque atoms: the symbols' product is >= 1, so it
   scales the atoms' bounds without changing their order; a negative
   coefficient swaps them. */
static bounds term_bounds(decider *d, const dim_term *t)
{
    dim_ctx *ctx = d->ctx;
    bool atoms = false;
    draft_reset(ctx);
    bool ok = draft_term_begin(ctx, t->coef);
    for (uint32_t i = 0; i < t->n_fac && ok; i++) {
        if (t->fac[i].atom->kind == ATOM_SYM)
            ok = draft_factor(ctx, t->fac[i].atom, t->fac[i].exp);
        else
            atoms = true;
    }
    const spoly *m = ok ? sp_store(ctx, draft_normalize(ctx), 1) : NULL;
    if (!atoms)
        return (bounds){m, m};
    bounds a = atoms_bounds(d, t);
    if (t->coef < 0)
        a = (bounds){a.hi, a.lo};
    return (bounds){sp_mul(ctx, m, a.lo), sp_mul(ctx, m, a.hi)};
}

/* The sum of N terms, term by term; atom-free, it is its own bound. */
static bounds terms_bounds(decider *d, const dim_term *t, uint32_t n)
{
    dim_ctx *ctx = d->ctx;
    if (terms_atom_free(t, n)) {
        draft_reset(ctx);
        const spoly *p = draft_terms(ctx, t, n, 1)
                             ? sp_store(ctx, draft_normalize(ctx), 1)
                             : NULL;
        return (bounds){p, p};
    }
    const spoly **lo = scratch_alloc(ctx, 2 * (size_t)n * sizeof *lo);
    if (!lo)
        return no_bounds();
    const spoly **hi = lo + n;
    bool lo_ok = true, hi_ok = true;
    for (uint32_t i = 0; i < n && (lo_ok || hi_ok); i++) {
        bounds b = term_bounds(d, &t[i]);
        lo[i] = b.lo;
        hi[i] = b.hi;
        lo_ok &= b.lo != NULL;
        hi_ok &= b.hi != NULL;
    }
    return (bounds){lo_ok ? sp_sum(ctx, lo, n) : NULL,
                    hi_ok ? sp_sum(ctx, hi, n) : NULL};
}

enum { PROVED_GE = 1, PROVED_GT = 2 };

/* What can be proved of the integer DIFF for every value: >= 0 (a lower
   bound > -1), > 0 (a lower bound > 0).  A second attempt with the other
   remainder policy only where a remainder gave the choice. */
static unsigned prove_sign(dim_ctx *ctx, const spoly *diff)
{
    unsigned proved = 0;
    for (int attempt = 0; attempt < 2; attempt++) {
        decider d = {ctx, attempt == 1, false, DECIDE_MAX_ATOMS};
        bounds b = terms_bounds(&d, diff->terms, diff->n);
        if (sp_positive(ctx, b.lo, 1, 0, true))
            return PROVED_GE | PROVED_GT;
        if (sp_positive(ctx, b.lo, 1, 1, true))
            proved |= PROVED_GE;
        if (!d.mod_choice)
            break;
    }
    return proved;
}

/* Whether a coefficient of P is INT64_MIN, which has no negation. */
static bool has_min_coef(const dim_term *t, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++)
        if (t[i].coef == INT64_MIN)
            return true;
    return false;
}

/* A - B in scratch memory, or NULL where it or B - A overflows: a
   coefficient INT64_MIN, in A, B or A - B, is one that B - A cannot
   negate, so both orders give up together. */
static const spoly *difference(dim_ctx *ctx, const dim_poly *a,
                               const dim_poly *b)
{
    if (has_min_coef(a->terms, a->n_terms) ||
        has_min_coef(b->terms, b->n_terms) || draft_sum(ctx, a, b, -1))
        return NULL;
    const spoly *d = sp_store(ctx, draft_normalize(ctx), 1);
    return d && !has_min_coef(d->terms, d->n) ? d : NULL;
}

/* What prove_sign() proves of A - B, in *PROVED; false when the
   difference overflows.  Each call starts from empty scratch memory, so
   what one proof uses never limits the other. */
static bool prove_difference(dim_ctx *ctx, const dim_poly *a, const dim_poly *b,
                             unsigned *proved)
{
    scratch_reset(ctx);
    const spoly *d = difference(ctx, a, b);
    *proved = d ? prove_sign(ctx, d) : 0;
    scratch_reset(ctx);
    return d != NULL;
}

/* The order of A and B: A - B and B - A each proved >= 0 or > 0 as far as
   the bounds go.  The two proofs are the same computation on the two
   differences, so swapping A and B swaps them: the answer is symmetric
   by construction. */
static dim_order decide_order(dim_ctx *ctx, const dim_poly *a,
                              const dim_poly *b)
{
    unsigned ge, le;
    if (!prove_difference(ctx, a, b, &ge) || !prove_difference(ctx, b, a, &le))
        return DIM_ORDER_UNKNOWN;
    if ((ge & PROVED_GE) && (le & PROVED_GE))
        return DIM_ORDER_EQ;
    if (ge & PROVED_GT)
        return DIM_ORDER_GT;
    if (le & PROVED_GT)
        return DIM_ORDER_LT;
    if (ge & PROVED_GE)
        return DIM_ORDER_GE;
    return le & PROVED_GE ? DIM_ORDER_LE : DIM_ORDER_UNKNOWN;
}

dim_order dim_order_of(dim_ctx *ctx, const dim_poly *a, const dim_poly *b)
{
    if (!a || !b)
        return DIM_ORDER_UNKNOWN;
    if (a == b)
        return DIM_ORDER_EQ;
    /* Two constants whose difference fits are ordered at once; one that
       overflows goes the general way, which calls it unknown. */
    int64_t x, y, d;
    if (dim_is_const(a, &x) && dim_is_const(b, &y) &&
        !__builtin_sub_overflow(x, y, &d) && !__builtin_sub_overflow(y, x, &d))
        return x < y ? DIM_ORDER_LT : x > y ? DIM_ORDER_GT : DIM_ORDER_EQ;
    uintptr_t h = ((uintptr_t)a >> 4) * 31u + ((uintptr_t)b >> 4);
    struct order_memo *m =
        &ctx->orders[(h * 2654435761u) & (ORDER_MEMO_SIZE - 1)];
    if (m->a != a || m->b != b)
        *m = (struct order_memo){a, b, decide_order(ctx, a, b)};
    return m->order;
}

/* The relation is read off the order, so the two always agree. */
dim_relation dim_compare(dim_ctx *ctx, const dim_poly *a, const dim_poly *b)
{
    switch (dim_order_of(ctx, a, b)) {
    case DIM_ORDER_EQ:
        return DIM_EQUAL;
    case DIM_ORDER_LT:
    case DIM_ORDER_GT:
        return DIM_CANNOT_EQUAL;
    default:
        return DIM_MAY_EQUAL;
    }
}

/* ---- Printing --------------------------------------------------------- */

/* snprintf-style output: counts everything, stores what fits. */
typedef struct out {
    char *buf;
    size_t size, len;
} out;

static void out_put(out *o, const char *s, size_t n)
{
    if (o->len + 1 < o->size) {
        size_t room = o->size - 1 - o->len;
        memcpy(o->buf + o->len, s, n < room ? n : room);
    }
    o->len += n;
}

static void out_str(out *o, const char *s)
{
    out_put(o, s, strlen(s));
}

static void out_uint(out *o, uint64_t v)
{
    char tmp[24];
    int n = snprintf(tmp, sizeof tmp, "%" PRIu64, v);
    out_put(o, tmp, (size_t)n);
}

static void format_poly(out *o, const dim_poly *p);

/* A dividend prints bare when it is one product with a positive
   coefficient: "2*B/3" reads as (2*B)/3. */
static bool bare_dividend(const dim_poly *p)
{
    return p->n_terms == 1 && p->terms[0].coef > 0;
}

/* A divisor prints bare only when it is a number or a lone symbol. */
static bool bare_divisor(const dim_poly *p)
{
    if (p->n_terms != 1)
        return false;
    const dim_term *t = &p->terms[0];
    if (t->n_fac == 0)
        return t->coef > 0;
    return t->coef == 1 && t->n_fac == 1 && t->fac[0].exp == 1 &&
           t->fac[0].atom->kind == ATOM_SYM;
}

static void format_operand(out *o, const dim_poly *p, bool bare)
{
    if (!bare)
        out_str(o, "(");
    format_poly(o, p);
    if (!bare)
        out_str(o, ")");
}

/* An atom inside a product: an opaque one needs parentheses unless it
   comes first ("B/2*T" is (B/2)*T, but "T*B/2" is (T*B)/2). */
static void format_atom(out *o, const dim_atom *a, bool first)
{
    if (a->kind == ATOM_SYM) {
        out_str(o, a->name);
        return;
    }
    if (!first)
        out_str(o, "(");
    format_operand(o, a->lhs, bare_dividend(a->lhs));
    out_str(o, a->kind == ATOM_DIV ? "/" : "%");
    format_operand(o, a->rhs, bare_divisor(a->rhs));
    if (!first)
        out_str(o, ")");
}

/* One term with its sign: "-" first, " + " or " - " after; a coefficient
   of 1 is left out, powers are repeated factors ("B*B"). */
static void format_term(out *o, const dim_term *t, bool first)
{
    if (t->coef < 0)
        out_str(o, first ? "-" : " - ");
    else if (!first)
        out_str(o, " + ");
    uint64_t m = magnitude(t->coef);
    bool start = true;
    if (m != 1 || t->n_fac == 0) {
        out_uint(o, m);
        start = false;
    }
    for (uint32_t i = 0; i < t->n_fac; i++) {
        for (uint32_t e = 0; e < t->fac[i].exp; e++) {
            if (!start)
                out_str(o, "*");
            format_atom(o, t->fac[i].atom, start);
            start = false;
        }
    }
}

/* Canonical order, except that a positive term goes first when the first
   is negative: "3 - B" rather than "-B + 3". */
static void format_poly(out *o, const dim_poly *p)
{
    if (p->n_terms == 0) {
        out_str(o, "0");
        return;
    }
    uint32_t lead = 0;
    for (uint32_t i = 0; p->terms[0].coef < 0 && i < p->n_terms; i++) {
        if (p->terms[i].coef > 0) {
            lead = i;
            break;
        }
    }
    format_term(o, &p->terms[lead], true);
    for (uint32_t i = 0; i < p->n_terms; i++)
        if (i != lead)
            format_term(o, &p->terms[i], false);
}

size_t dim_format(const dim_ctx *ctx, const dim_poly *p, char *buf, size_t size)
{
    (void)ctx; /* atoms carry their names */
    out o = {buf, size, 0};
    if (p)
        format_poly(&o, p);
    else
        out_str(&o, "?");
    if (size)
        buf[o.len < size ? o.len : size - 1] = '\0';
    return o.len;
}

/* ---- Syntax trees to polynomials -------------------------------------- */

typedef struct from_state {
    dim_ctx *ctx;
    dim_resolve_fn resolve;
    void *ud;
    dim_error *err;
    bool error; /* *err is set: stop */
} from_state;

static const dim_poly *apply(dim_ctx *ctx, dim_node_kind kind,
                             const dim_poly *a, const dim_poly *b)
{
    switch (kind) {
    case DIM_NODE_ADD:
        return dim_add(ctx, a, b);
    case DIM_NODE_SUB:
        return dim_sub(ctx, a, b);
    case DIM_NODE_MUL:
        return dim_mul(ctx, a, b);
    case DIM_NODE_DIV:
        return dim_div(ctx, a, b);
    default:
        return dim_mod(ctx, a, b);
    }
}

/* A divisor known to be 0 is an error even when the dividend is unknown:
   the annotation is wrong whatever the names stand for. */
static const dim_poly *from_node(from_state *s, const dim_node *n)
{
    int64_t v;
    if (n->kind == DIM_NODE_INT)
        return dim_const(s->ctx, n->value);
    if (n->kind == DIM_NODE_PATH)
        return s->resolve ? s->resolve(s->ud, n->path, n->column) : NULL;
    const dim_poly *a = from_node(s, n->lhs);
    const dim_poly *b = s->error ? NULL : from_node(s, n->rhs);
    if (s->error)
        return NULL;
    if ((n->kind == DIM_NODE_DIV || n->kind == DIM_NODE_MOD) &&
        dim_is_const(b, &v) && v == 0) {
        set_error(s->err, n->rhs->column, "%s",
                  n->kind == DIM_NODE_DIV ? "division by zero"
                                          : "modulo by zero");
        s->error = true;
        return NULL;
    }
    if (!a || !b)
        return NULL;
    const dim_poly *r = apply(s->ctx, n->kind, a, b);
    if (!r && s->ctx->failure == FAIL_OVERFLOW) {
        set_error(s->err, n->column, "integer overflow");
        s->error = true;
    }
    return r;
}

const dim_poly *dim_from_node(dim_ctx *ctx, const dim_node *node,
                              dim_resolve_fn resolve, void *ud, dim_error *err)
{
    clear_error(err);
    if (!node)
        return NULL;
    from_state s = {ctx, resolve, ud, err, false};
    return from_node(&s, node);
}
