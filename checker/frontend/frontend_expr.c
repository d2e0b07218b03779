/*
 * frontend_expr.c - statements and expressions of main-file function
 * bodies (and file-scope initialisers) as ir_nodes.
 *
 * Children are gathered with one clang_visitChildren() per node onto the
 * state's cursor stack and converted after the visit returns, so libclang
 * never recurses on our behalf and our own frames stay small; nesting is
 * capped at FE_MAX_DEPTH.
 *
 * libclang 14 has no operator-kind API: operators are read from the source
 * text between the operands.  When that text is not there (the operator
 * comes from a macro body) the kind is guessed from the types ('&', '*')
 * and the operands ('='), else the op is 0: unknown.
 */
#include "frontend_internal.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define TEXT_MAX 80

/* Expression handlers recurse through expr(); kept out of line so that
   each nesting level costs only the frame of the handler it uses. */
#define HANDLER static __attribute__((noinline)) ir_node *
/* Helpers with large locals, called from the handlers: out of line too. */
#define OUT_OF_LINE static __attribute__((noinline))

/* A location as spelled in a file (macro arguments in the invocation;
   other macro tokens at the expansion: in libclang 14
   clang_getSpellingLocation behaves like clang_getFileLocation). */
typedef struct spot {
    CXFile file;
    unsigned offset;
} spot;

/* What converting an expression yields besides its node: whether it is
   pure (free of side effects, so that clang may fold it), and its extent,
   the spots where the extent starts and ends, and the location of its
   start, each computed at most once.  Operators are read between
   operands' extents, and a parent's extent often follows from its
   operands' (a binary operator runs from its left operand's start to its
   right one's end): clang_getCursorExtent, which lexes the last token
   again, is asked only for what nothing else gives. */
typedef struct expr_out {
    bool pure;
    bool has_range, has_begin, has_start, has_end, has_loc, has_xend;
    CXCursor cursor; /* as converted, before unwrapping implicit casts */
    CXSourceRange range;
    CXSourceLocation begin; /* the extent's start, known without it */
    spot start, end;
    sc_loc loc;  /* fe_loc of the extent's start */
    spot xstart; /* the same, as a file and offset (with LOC) */
    spot xend;   /* the expansion location of the extent's end */
} expr_out;

static ir_node *expr(fe_state *st, CXCursor c, expr_out *out);
static void stmt_into(fe_state *st, CXCursor c);

/* Forgets what OUT knew of its extent (OUT->cursor changed). */
static void forget_range(expr_out *out)
{
    out->has_range = out->has_begin = false;
    out->has_start = out->has_end = out->has_loc = out->has_xend = false;
}

/* OUT's extent, computed on first use. */
static CXSourceRange range_of(expr_out *out)
{
    if (!out->has_range) {
        out->range = clang_getCursorExtent(out->cursor);
        out->has_range = true;
    }
    return out->range;
}

/* The start of OUT's extent. */
static CXSourceLocation begin_of(expr_out *out)
{
    return out->has_begin ? out->begin : clang_getRangeStart(range_of(out));
}

/* Records that OUT's extent starts at the cursor's location: true of
   every expression but names and member references (whose location is
   the name) and implicit casts (their operand's), and of a name in C. */
static void begins_at_cursor(expr_out *out)
{
    if (!out->has_begin && !out->has_range) {
        out->begin = clang_getCursorLocation(out->cursor);
        out->has_begin = true;
    }
}

/* LOC as spelled in a file (macro arguments in the invocation; other
   macro tokens at the expansion: in libclang 14 clang_getSpellingLocation
   behaves like clang_getFileLocation). */
static spot spelled(CXSourceLocation loc)
{
    spot p;
    clang_getSpellingLocation(loc, &p.file, NULL, NULL, &p.offset);
    return p;
}

/* Where OUT's extent starts and ends, as spelled in a file. */
static spot start_of(expr_out *out)
{
    if (!out->has_start) {
        out->start = spelled(begin_of(out));
        out->has_start = true;
    }
    return out->start;
}

static spot end_of(expr_out *out)
{
    if (!out->has_end) {
        out->end = spelled(clang_getRangeEnd(range_of(out)));
        out->has_end = true;
    }
    return out->end;
}

/* The location of OUT's start (expansion location). */
static sc_loc loc_of(fe_state *st, expr_out *out)
{
    if (!out->has_loc) {
        out->loc = fe_loc_at(st, begin_of(out), &out->xstart.file,
                             &out->xstart.offset);
        out->has_loc = true;
    }
    return out->loc;
}

/* The expansion location of the end of OUT's extent: where it is written
   when that is in a file, else the outermost macro name. */
static spot xend_of(expr_out *out)
{
    if (!out->has_xend) {
        clang_getExpansionLocation(clang_getRangeEnd(range_of(out)),
                                   &out->xend.file, NULL, NULL,
                                   &out->xend.offset);
        out->has_xend = true;
    }
    return out->xend;
}

/* Gives SELF the extent from BEGIN to the end of LAST's (clang's own for
   SELF: a binary operator from its left operand to its right one, a
   prefix operator or a cast from its start to its operand's end), with
   what FIRST (the operand at BEGIN, or NULL) and LAST know of its ends. */
static void span_to(expr_out *self, CXSourceLocation begin, expr_out *first,
                    expr_out *last)
{
    CXSourceRange range =
        clang_getRange(begin, clang_getRangeEnd(range_of(last)));
    if (clang_Range_isNull(range))
        return; /* left to clang_getCursorExtent */
    bool known_start = self->has_start, known_loc = self->has_loc;
    spot start = self->start, xstart = self->xstart;
    sc_loc loc = self->loc;
    forget_range(self);
    self->range = range;
    self->has_range = true;
    if (known_start || (first && first->has_start)) {
        self->start = known_start ? start : first->start;
        self->has_start = true;
    }
    if (known_loc || (first && first->has_loc)) {
        self->loc = known_loc ? loc : first->loc;
        self->xstart = known_loc ? xstart : first->xstart;
        self->has_loc = true;
    }
    if ((self->has_end = last->has_end))
        self->end = last->end;
    if ((self->has_xend = last->has_xend))
        self->xend = last->xend;
}

/* A zeroed node of KIND in the TU's arena. */
static ir_node *new_node(fe_state *st, ir_kind kind)
{
    ir_node *n = arena_alloc(st->a, sizeof *n);
    n->kind = kind;
    return n;
}

/* Appends N to the statements of the block being built. */
static void push_node(fe_state *st, ir_node *n)
{
    fe_vec_push(&st->nodes, n);
}

/* ---- Source text ----------------------------------------------------- */

typedef struct span {
    const char *text; /* the file's contents */
    size_t size;
    size_t begin, end;
} span;

/* The text between two spots of the same file. */
static bool text_between(fe_state *st, spot from, spot to, span *out)
{
    if (!from.file || from.file != to.file || to.offset < from.offset)
        return false;
    fe_file *f = fe_file_get(st, from.file);
    if (!fe_file_contents(st, f) || to.offset > f->size)
        return false;
    out->text = f->contents;
    out->size = f->size;
    out->begin = from.offset;
    out->end = to.offset;
    return true;
}

/* Extends S to the parenthesis that balances it: an expression whose last
   token is a macro argument ends, in file terms, inside the invocation
   ("i = SUM(i, 2" for "i = SUM(i, 2)").  Longer text is cut anyway: left
   alone, so that deep nesting stays linear. */
static void balance(span *s)
{
    if (s->end - s->begin > 4 * TEXT_MAX)
        return;
    int depth = 0;
    for (size_t i = s->begin; i < s->end; i++)
        depth += s->text[i] == '(' ? 1 : s->text[i] == ')' ? -1 : 0;
    size_t limit = s->end + 4096 < s->size ? s->end + 4096 : s->size;
    while (depth > 0 && s->end < limit) {
        char ch = s->text[s->end++];
        depth += ch == '(' ? 1 : ch == ')' ? -1 : 0;
    }
}

/* S's text with white space collapsed, cut to TEXT_MAX characters. */
static const char *collapse(fe_state *st, const span *s)
{
    char buf[TEXT_MAX];
    size_t n = 0;
    bool blank = false, cut = false;
    for (size_t i = s->begin; i < s->end && !cut; i++) {
        char ch = s->text[i];
        if (isspace((unsigned char)ch) ||
            (ch == '\\' && i + 1 < s->end && s->text[i + 1] == '\n')) {
            blank = n > 0;
            continue;
        }
        size_t need = blank ? 2 : 1;
        if (n + need > TEXT_MAX) {
            cut = true;
            break;
        }
        if (blank)
            buf[n++] = ' ';
        blank = false;
        buf[n++] = ch;
    }
    if (cut) {
        n = TEXT_MAX - 3;
        memcpy(buf + n, "...", 3);
        n = TEXT_MAX;
    }
    return arena_strndup(st->a, buf, n);
}

/* Start of statement C. */
static void set_stmt_loc(fe_state *st, ir_node *n, CXCursor c)
{
    n->loc = fe_cursor_loc(st, c); /* a statement's location is its start */
}

static bool invocation_scan(const char *s, size_t size, unsigned at,
                            unsigned *end);

/* Where the macro invocation whose name is at X ends: past its closing
   parenthesis, or its name for an object-like macro.  Remembered: every
   expression made of one invocation's arguments asks. */
static bool invocation_end(fe_state *st, spot x, unsigned *end)
{
    fe_file *f = fe_file_get(st, x.file);
    if (!f || !fe_file_contents(st, f) || x.offset >= f->size)
        return false;
    const char *s = f->contents;
    uintptr_t known = (uintptr_t)fe_map_get(&st->invocation_ends, s + x.offset);
    if (known) {
        *end = (unsigned)(known - 1);
        return known != UINTPTR_MAX;
    }
    bool found = invocation_scan(s, f->size, x.offset, end);
    fe_map_put(&st->invocation_ends, s + x.offset,
               (void *)(found ? (uintptr_t)*end + 1 : UINTPTR_MAX));
    return found;
}

/* invocation_end(), reading S (SIZE bytes) from offset AT. */
static bool invocation_scan(const char *s, size_t size, unsigned at,
                            unsigned *end)
{
    fe_tok t;
    if (!fe_lex(s, at, size, &t) || t.kind != 'i' || t.begin != at)
        return false;
    *end = t.end;
    if (!fe_lex(s, t.end, size, &t) || !fe_tok_is(s, &t, "("))
        return true;
    int depth = 0;
    for (unsigned n = 0; n < (1u << 20); n++) {
        if (fe_tok_is(s, &t, "("))
            depth++;
        else if (fe_tok_is(s, &t, ")") && --depth == 0) {
            *end = t.end;
            return true;
        }
        if (!fe_lex(s, t.end, size, &t))
            return false;
    }
    return false;
}

/* Just past the last character of expression OUT in the file of LOC (its
   start): where its extent ends when that is written in the file, else
   (it ends with a macro argument) past the outermost macro invocation. */
static sc_loc end_loc(fe_state *st, expr_out *out, sc_loc loc)
{
    static const sc_loc unknown = {NULL, 0, 0};
    spot e = end_of(out), x = xend_of(out), s = out->xstart;
    /* An end at or before the start is not one: a token deep in nested
       macros is spelled at the outermost invocation's start. */
    bool before = e.file == s.file && e.offset <= s.offset;
    if ((x.file != e.file || x.offset != e.offset || before) &&
        !invocation_end(st, x, &e.offset))
        return unknown;
    sc_loc end = fe_offset_loc(st, x.file, e.offset);
    return end.file && end.file == loc.file ? end : unknown;
}

/* The end of a one-token expression (a name, NAME_LEN characters) at LOC
   (XSTART): past the name where it is written there, else past the
   macro invocation it comes from. */
static sc_loc name_end(fe_state *st, sc_loc loc, spot xstart, size_t name_len)
{
    static const sc_loc unknown = {NULL, 0, 0};
    fe_file *f = fe_file_get(st, xstart.file);
    if (!f || !fe_file_contents(st, f) || !loc.line)
        return unknown;
    fe_tok t;
    if (fe_lex(f->contents, xstart.offset, f->size, &t) &&
        t.begin == xstart.offset && t.end - t.begin == name_len)
        return (sc_loc){loc.file, loc.line, loc.col + (unsigned)name_len};
    unsigned end;
    if (!invocation_end(st, xstart, &end))
        return unknown;
    sc_loc e = fe_offset_loc(st, xstart.file, end);
    return e.file == loc.file ? e : unknown;
}

/* Whether S's text could be one macro argument: no ',' outside
   parentheses, no parenthesis closed that it did not open. */
static bool one_argument(const span *s)
{
    if (s->end - s->begin > 4 * TEXT_MAX)
        return true; /* cut anyway */
    int depth = 0;
    for (size_t i = s->begin; i < s->end; i++) {
        char ch = s->text[i];
        if (ch == '"' || ch == '\'') {
            for (i++; i < s->end && s->text[i] != ch; i++)
                i += s->text[i] == '\\';
        } else if (ch == '(' || ch == '[' || ch == '{') {
            depth++;
        } else if (ch == ')' || ch == ']' || ch == '}') {
            if (--depth < 0)
                return false;
        } else if (ch == ',' && depth == 0) {
            return false;
        }
    }
    return true;
}

/* Location, end and source text of expression OUT->cursor.  The text is
   what is written at the use: an expression from a macro's body reads as
   the invocation, one made of arguments as those arguments, and one that
   mixes them ("a + b" from "SUM(a, b)": "a, b") as the invocation. */
OUT_OF_LINE void set_place(fe_state *st, ir_node *n, expr_out *out)
{
    n->loc = loc_of(st, out);
    spot start = start_of(out), xs = out->xstart;
    span s;
    n->text = st->empty;
    if (text_between(st, start, end_of(out), &s)) {
        bool in_arg = start.file != xs.file || start.offset != xs.offset;
        unsigned end;
        if ((s.end <= s.begin || (in_arg && !one_argument(&s))) &&
            xs.file == start.file && xs.offset <= s.begin &&
            invocation_end(st, xs, &end)) {
            s.begin = xs.offset;
            s.end = end > s.end ? end : s.end;
        }
        balance(&s);
        n->text = collapse(st, &s);
    }
    n->end = end_loc(st, out, n->loc);
}

/* Location, text and type of expression OUT->cursor. */
OUT_OF_LINE void finish_expr(fe_state *st, ir_node *n, expr_out *out)
{
    set_place(st, n, out);
    fe_type(st, clang_getCursorType(out->cursor), &n->type);
}

/* ---- Operators from the source ----------------------------------------- */

/* Operator tokens, longest first so that the first match is the token. */
static const struct {
    const char *token;
    size_t len;
    int op;       /* binary / unary-prefix code */
    int post;     /* postfix code, for ++ and -- */
    int compound; /* the op of "op=" */
} operators[] = {
    {"<<=", 3, 0, 0, IR_OP_SHL},
    {">>=", 3, 0, 0, IR_OP_SHR},
    {"<<", 2, IR_OP_SHL, 0, 0},
    {">>", 2, IR_OP_SHR, 0, 0},
    {"<=", 2, IR_OP_LE, 0, 0},
    {">=", 2, IR_OP_GE, 0, 0},
    {"==", 2, IR_OP_EQ, 0, 0},
    {"!=", 2, IR_OP_NE, 0, 0},
    {"&&", 2, IR_OP_LAND, 0, 0},
    {"||", 2, IR_OP_LOR, 0, 0},
    {"++", 2, IR_OP_PREINC, IR_OP_POSTINC, 0},
    {"--", 2, IR_OP_PREDEC, IR_OP_POSTDEC, 0},
    {"+=", 2, 0, 0, '+'},
    {"-=", 2, 0, 0, '-'},
    {"*=", 2, 0, 0, '*'},
    {"/=", 2, 0, 0, '/'},
    {"%=", 2, 0, 0, '%'},
    {"&=", 2, 0, 0, '&'},
    {"|=", 2, 0, 0, '|'},
    {"^=", 2, 0, 0, '^'},
    {"+", 1, '+', 0, 0},
    {"-", 1, '-', 0, 0},
    {"*", 1, '*', 0, 0},
    {"/", 1, '/', 0, 0},
    {"%", 1, '%', 0, 0},
    {"<", 1, '<', 0, 0},
    {">", 1, '>', 0, 0},
    {"&", 1, '&', 0, 0},
    {"|", 1, '|', 0, 0},
    {"^", 1, '^', 0, 0},
    {"!", 1, '!', 0, 0},
    {"~", 1, '~', 0, 0},
    {"=", 1, '=', 0, 0},
    {",", 1, ',', 0, 0},
};

/* The index in operators[] of the one operator token that, apart from
   blanks and comments, fills S; -1 if there is none. */
static int sole_operator(const span *s)
{
    size_t i = fe_skip_blank(s->text, s->begin, s->end);
    if (i == s->end)
        return -1;
    for (size_t k = 0; k < sizeof operators / sizeof operators[0]; k++) {
        size_t len = operators[k].len;
        if (s->text[i] == operators[k].token[0] && i + len <= s->end &&
            memcmp(s->text + i, operators[k].token, len) == 0) {
            return fe_skip_blank(s->text, i + len, s->end) == s->end ? (int)k
                                                                     : -1;
        }
    }
    return -1;
}

/* Whether LOC is written in the file itself, not in a macro argument. */
static bool is_file_location(CXSourceLocation loc)
{
    CXFile f1, f2;
    unsigned o1, o2;
    clang_getExpansionLocation(loc, &f1, NULL, NULL, &o1);
    clang_getSpellingLocation(loc, &f2, NULL, NULL, &o2);
    return f1 == f2 && o1 == o2;
}

/* The operator written between A's start (A_END: its end) and B's start
   (B_END: its end).  A ',' between operands that are macro arguments is
   more likely to separate two arguments ("SUM(a, b)" for "a+b") than to
   be a comma operator. */
OUT_OF_LINE int operator_between(fe_state *st, expr_out *a, bool a_end,
                                 expr_out *b, bool b_end)
{
    span s;
    int k = text_between(st, a_end ? end_of(a) : start_of(a),
                         b_end ? end_of(b) : start_of(b), &s)
                ? sole_operator(&s)
                : -1;
    if (k >= 0 && operators[k].op == ',') {
        CXSourceLocation la =
            a_end ? clang_getRangeEnd(range_of(a)) : begin_of(a);
        CXSourceLocation lb =
            b_end ? clang_getRangeEnd(range_of(b)) : begin_of(b);
        if (!(is_file_location(la) && is_file_location(lb)))
            return -1;
    }
    return k;
}

/* ---- Operators inside macro expansions -------------------------------- */

/* When the text between two operands is not their operator, the operator
   comes from a macro: "((b) = (v))" in a #define, or "a + b" with b a
   macro parameter.  libclang 14 says neither the operator's kind nor
   where it is, but clang_tokenize reads the spelling location of any
   location (fe_spelling): the first token of the right operand can be
   found in the #define or macro argument it is written in, and the
   operator is the token before it in the expansion, found from the text
   of the #define, of the invocation and, when the right operand is a
   macro argument, of the macro's body around the parameter it replaces.
   Only the cases that this reading decides are decided: the others stay
   unknown (op 0).  The same for a postfix "++" after an operand, and a
   prefix operator is the token at the expression's own start. */

/* A binary-operator, compound-assignment or postfix token of the
   operators[] table at T of S, -1 if none. */
static int operator_index(const char *s, const fe_tok *t)
{
    if (t->kind != 'p')
        return -1;
    size_t len = t->end - t->begin;
    for (size_t k = 0; k < sizeof operators / sizeof operators[0]; k++)
        if (operators[k].len == len &&
            memcmp(s + t->begin, operators[k].token, len) == 0)
            return (int)k;
    return -1;
}

/* Most tokens lexed between a lexing start and an operand, and for all
   the operators of a TU (so that a huge expansion of operators whose
   operands are macro arguments stays linear: past it, they are
   unknown). */
#define MAX_OPERAND_TOKENS 4096
#define MAX_MACRO_TOKENS (4u << 20)

/* The tokens of a stretch of a file, each with the index of the '(' that
   encloses it (for a ')', the one it closes; -1: none in the stretch). */
typedef struct tok_run {
    const char *text;
    fe_tok *v;
    int32_t *open;
    uint32_t n;
} tok_run;

/* Lexes FILE's text from FROM (a token start) to TO (exclusive), or, when
   UNTIL_CLOSE, until the parenthesis that closes the stretch (then TO is
   a bound).  False when the text is missing or too long. */
static bool lex_run(fe_state *st, CXFile file, size_t from, size_t to,
                    bool until_close, tok_run *r)
{
    memset(r, 0, sizeof *r);
    fe_file *f = fe_file_get(st, file);
    if (!f || !fe_file_contents(st, f) || to > f->size || from > to)
        return false;
    r->text = f->contents;
    if (st->macro_tokens > MAX_MACRO_TOKENS)
        return false; /* this TU has had its share */
    r->v = malloc(MAX_OPERAND_TOKENS * sizeof *r->v);
    r->open = malloc(MAX_OPERAND_TOKENS * sizeof *r->open);
    if (!r->v || !r->open)
        return false;
    int32_t stack[256];
    int depth = 0;
    fe_tok t;
    for (size_t at = from; fe_lex(r->text, at, to, &t) && t.begin < to;
         at = t.end) {
        if (r->n == MAX_OPERAND_TOKENS || depth == 256)
            return false;
        st->macro_tokens++;
        r->v[r->n] = t;
        r->open[r->n] = depth ? stack[depth - 1] : -1;
        if (fe_tok_is(r->text, &t, ")")) {
            if (depth == 0 && until_close) {
                r->n++;
                return true;
            }
            depth -= depth > 0;
        }
        if (fe_tok_is(r->text, &t, "("))
            stack[depth++] = (int32_t)r->n;
        r->n++;
    }
    return !until_close;
}

static void run_free(tok_run *r)
{
    free(r->v);
    free(r->open);
}

/* The definition of the function-like macro whose invocation opens with
   the '(' at token OPEN of R (in FILE), or NULL (a call, a parenthesis). */
static const fe_define *invoked_macro(fe_state *st, CXFile file,
                                      const tok_run *r, int32_t open)
{
    if (open <= 0 || r->v[open - 1].kind != 'i')
        return NULL;
    const fe_tok *name = &r->v[open - 1];
    const fe_define *m = fe_macro_defined_at(
        st, r->text + name->begin, name->end - name->begin, file, name->begin);
    return m && m->function_like ? m : NULL;
}

/* The argument of the invocation opened at OPEN that token AT (its '('
   or one of its ',') starts. */
static uint32_t argument_index(const tok_run *r, int32_t open, uint32_t at)
{
    uint32_t arg = 0;
    for (uint32_t i = (uint32_t)open + 1; i <= at; i++)
        if (r->open[i] == open && fe_tok_is(r->text, &r->v[i], ","))
            arg++;
    return arg;
}

/* The body index of the one use of parameter ARG of M (the parameter an
   argument replaces), -1 when it is used otherwise than once (or only
   with '#' and '##', which do not expand it). */
static int parameter_use(const fe_define *m, uint32_t arg)
{
    if (m->n_params == 0)
        return -1;
    if (arg >= m->n_params) {
        if (!m->variadic)
            return -1;
        arg = m->n_params - 1;
    }
    const fe_tok *p = &m->params[arg];
    bool va = fe_tok_is(m->text, p, "...");
    int found = -1;
    for (uint32_t k = 0; k < m->n_body; k++) {
        const fe_tok *t = &m->body[k];
        bool same =
            va ? fe_tok_is(m->text, t, "__VA_ARGS__")
               : (t->kind == 'i' && t->end - t->begin == p->end - p->begin &&
                  memcmp(m->text + t->begin, m->text + p->begin,
                         p->end - p->begin) == 0);
        if (!same)
            continue;
        bool pasted =
            (k > 0 && (fe_tok_is(m->text, &m->body[k - 1], "#") ||
                       fe_tok_is(m->text, &m->body[k - 1], "##"))) ||
            (k + 1 < m->n_body && fe_tok_is(m->text, &m->body[k + 1], "##"));
        if (pasted)
            continue;
        if (found >= 0)
            return -1;
        found = (int)k;
    }
    return found;
}

/* The operator right before body token K of M: the operators[] index,
   -1 when the token there is not one (or is a ',' or '(' of a call or
   invocation inside the body). */
static int body_operator_before(const fe_define *m, uint32_t k)
{
    if (k == 0)
        return -1;
    const fe_tok *p = &m->body[k - 1];
    if (fe_tok_is(m->text, p, "#") || fe_tok_is(m->text, p, "##") ||
        fe_tok_is(m->text, p, "("))
        return -1;
    if (fe_tok_is(m->text, p, ",")) { /* not inside "name(...)" */
        int32_t stack[64];
        int depth = 0;
        for (uint32_t i = 0; i + 1 < k; i++) {
            if (fe_tok_is(m->text, &m->body[i], "(") && depth < 64)
                stack[depth++] = (int32_t)i;
            else if (fe_tok_is(m->text, &m->body[i], ")") && depth > 0)
                depth--;
        }
        if (depth > 0 && stack[depth - 1] > 0 &&
            m->body[stack[depth - 1] - 1].kind == 'i')
            return -1;
    }
    return operator_index(m->text, p);
}

/* The operator that comes right before the token of FILE at TARGET in
   the expansion, lexing from FROM (a token start before TARGET and
   before any macro invocation TARGET is an argument of): the token
   written before TARGET when it is an operator; for the first token of a
   macro argument, the token before the parameter it replaces in the
   macro's body (and, for a parameter that starts the body, what comes
   before the invocation); after an object-like macro, its last token.
   -1 when that cannot be told. */
OUT_OF_LINE int operator_before_in_file(fe_state *st, CXFile file, size_t from,
                                        size_t target)
{
    tok_run r;
    int result = -1;
    if (!lex_run(st, file, from, target, false, &r)) {
        run_free(&r);
        return -1;
    }
    uint32_t idx = r.n; /* TARGET's token comes after r.v[idx - 1] */
    for (int step = 0; step < 16 && idx > 0; step++) {
        const fe_tok *p = &r.v[idx - 1];
        bool comma = fe_tok_is(r.text, p, ",");
        if (comma || fe_tok_is(r.text, p, "(")) {
            int32_t open = comma ? r.open[idx - 1] : (int32_t)(idx - 1);
            const fe_define *m = invoked_macro(st, file, &r, open);
            if (!m) { /* a comma operator, or a parenthesis */
                result = comma && open < 0 ? operator_index(r.text, p) : -1;
                break;
            }
            int use = parameter_use(m, argument_index(&r, open, idx - 1));
            if (use > 0) {
                result = body_operator_before(m, (uint32_t)use);
                break;
            }
            if (use < 0)
                break;
            idx = (uint32_t)open - 1; /* the body starts with it */
            continue;
        }
        if (p->kind == 'i') { /* the end of an object-like macro? */
            const fe_define *m = fe_macro_defined_at(
                st, r.text + p->begin, p->end - p->begin, file, p->begin);
            if (m && !m->function_like && m->n_body)
                result = operator_index(m->text, &m->body[m->n_body - 1]);
            break;
        }
        result = operator_index(r.text, p);
        break;
    }
    run_free(&r);
    return result;
}

/* Where a token of the expansion is written. */
typedef enum { WRITTEN_FILE, WRITTEN_ARG, WRITTEN_BODY } written_kind;

typedef struct written {
    written_kind kind;
    spot at;        /* its text: in a file, a macro argument or a #define */
    spot expansion; /* the outermost macro's name (AT for WRITTEN_FILE) */
} written;

/* Where the token at LOC is written; FILE_LOC: LOC's spot as spelled()
   gives it. */
static bool written_at(fe_state *st, CXSourceLocation loc, spot file_loc,
                       written *w)
{
    clang_getExpansionLocation(loc, &w->expansion.file, NULL, NULL,
                               &w->expansion.offset);
    if (!fe_spelling(st, loc, &w->at.file, &w->at.offset))
        return false;
    if (w->at.file != file_loc.file || w->at.offset != file_loc.offset)
        w->kind = WRITTEN_BODY;
    else if (w->at.file != w->expansion.file ||
             w->at.offset != w->expansion.offset)
        w->kind = WRITTEN_ARG;
    else
        w->kind = WRITTEN_FILE;
    return true;
}

/* The index of M's body token that starts at OFFSET, -1 if none. */
static int body_index(const fe_define *m, unsigned offset)
{
    for (uint32_t k = 0; k < m->n_body; k++)
        if (m->body[k].begin == offset)
            return (int)k;
    return -1;
}

/* Whether the identifier at X (in its file) is M's name. */
static bool names_macro(fe_state *st, spot x, const fe_define *m)
{
    fe_file *f = fe_file_get(st, x.file);
    size_t n = m->name.end - m->name.begin;
    fe_tok t;
    return f && fe_file_contents(st, f) &&
           fe_lex(f->contents, x.offset, f->size, &t) && t.begin == x.offset &&
           t.end - t.begin == n &&
           memcmp(f->contents + x.offset, m->text + m->name.begin, n) == 0;
}

/* The operator between LHS and RHS when it comes from a macro (see the
   section's comment): an operators[] index, -1 when unknown. */
OUT_OF_LINE int macro_binary_operator(fe_state *st, expr_out *lhs,
                                      expr_out *rhs)
{
    written w;
    if (!written_at(st, begin_of(rhs), start_of(rhs), &w))
        return -1;
    /* Lexing starts at the left operand when it is written before, in
       the same file (a token start: spelled() gives token starts). */
    spot from = start_of(lhs);
    if (w.kind == WRITTEN_BODY) {
        const fe_define *m = fe_define_at(st, w.at.file, w.at.offset);
        int k = m ? body_index(m, w.at.offset) : -1;
        if (k > 0)
            return body_operator_before(m, (uint32_t)k);
        if (k < 0 || !names_macro(st, w.expansion, m))
            return -1;
        /* the body starts with the right operand: the operator is before
           the invocation */
        w.at = w.expansion;
    } else if (w.kind == WRITTEN_ARG && w.at.file == w.expansion.file &&
               (from.file != w.at.file || from.offset > w.expansion.offset)) {
        from = w.expansion; /* the invocation must be lexed */
    }
    if (from.file != w.at.file || from.offset > w.at.offset)
        return -1;
    return operator_before_in_file(st, w.at.file, from.offset, w.at.offset);
}

/* Skips, from body token K of M, the rest of an operand ("x", ".f",
   "->f", "[i]", "(...)" groups); returns the index of the token after. */
static uint32_t skip_operand_rest(const char *s, const fe_tok *v, uint32_t n,
                                  uint32_t k)
{
    while (k < n) {
        const fe_tok *t = &v[k];
        if (fe_tok_is(s, t, "(") || fe_tok_is(s, t, "[")) {
            int depth = 0;
            for (; k < n; k++) {
                if (fe_tok_is(s, &v[k], "(") || fe_tok_is(s, &v[k], "["))
                    depth++;
                else if ((fe_tok_is(s, &v[k], ")") ||
                          fe_tok_is(s, &v[k], "]")) &&
                         --depth == 0)
                    break;
            }
            k++;
        } else if (t->kind == 'i' || t->kind == 'n' || t->kind == 's' ||
                   fe_tok_is(s, t, ".") || fe_tok_is(s, t, "->")) {
            k++;
        } else {
            break;
        }
    }
    return k;
}

/* The postfix operator (IR_OP_POSTINC or IR_OP_POSTDEC) at token K of V,
   0 if none. */
static int postfix_at(const char *s, const fe_tok *v, uint32_t n, uint32_t k)
{
    if (k >= n)
        return 0;
    int i = operator_index(s, &v[k]);
    return i >= 0 ? operators[i].post : 0;
}

/* The postfix operator after OPERAND when it comes from a macro: found
   past the operand in the #define that holds its first token, or in the
   invocation and, for an operand that is a whole macro argument, after
   the parameter in the macro's body.  0 when unknown. */
OUT_OF_LINE int macro_postfix_operator(fe_state *st, expr_out *operand)
{
    written w;
    if (!written_at(st, begin_of(operand), start_of(operand), &w))
        return 0;
    if (w.kind == WRITTEN_BODY) {
        const fe_define *m = fe_define_at(st, w.at.file, w.at.offset);
        int k = m ? body_index(m, w.at.offset) : -1;
        if (k < 0)
            return 0;
        uint32_t after =
            skip_operand_rest(m->text, m->body, m->n_body, (uint32_t)k);
        return postfix_at(m->text, m->body, m->n_body, after);
    }
    if (w.kind != WRITTEN_ARG || w.at.file != w.expansion.file ||
        w.at.offset < w.expansion.offset)
        return 0;
    unsigned end;
    tok_run r;
    int result = 0;
    if (!invocation_end(st, w.expansion, &end) ||
        !lex_run(st, w.at.file, w.expansion.offset, end, false, &r)) {
        run_free(&r);
        return 0;
    }
    uint32_t k = 0;
    while (k < r.n && r.v[k].begin != w.at.offset)
        k++;
    uint32_t after = skip_operand_rest(r.text, r.v, r.n, k);
    if (k < r.n && after < r.n) {
        result = postfix_at(r.text, r.v, r.n, after);
        bool closes = fe_tok_is(r.text, &r.v[after], ")") ||
                      fe_tok_is(r.text, &r.v[after], ",");
        int32_t open = r.open[after];
        const fe_define *m =
            !result && closes ? invoked_macro(st, w.at.file, &r, open) : NULL;
        int use =
            m ? parameter_use(m, argument_index(&r, open, after - 1)) : -1;
        if (use >= 0) {
            uint32_t b = skip_operand_rest(m->text, m->body, m->n_body,
                                           (uint32_t)use + 1);
            result = postfix_at(m->text, m->body, m->n_body, b);
        }
    }
    run_free(&r);
    return result;
}

/* The prefix operator at the start of SELF when that comes from a macro
   (the token there, as written): an operators[] index, -1 if none. */
OUT_OF_LINE int macro_prefix_operator(fe_state *st, expr_out *self)
{
    CXFile file;
    unsigned offset;
    if (!fe_spelling(st, begin_of(self), &file, &offset))
        return -1;
    fe_file *f = fe_file_get(st, file);
    fe_tok t;
    if (!f || !fe_file_contents(st, f) ||
        !fe_lex(f->contents, offset, f->size, &t) || t.begin != offset)
        return -1;
    int k = operator_index(f->contents, &t);
    return k >= 0 && strchr("+-!~&*", operators[k].token[0]) &&
                   !operators[k].compound && operators[k].op != IR_OP_LAND
               ? k
               : -1;
}

/* Whether A and B are the same type once typedefs are seen through. */
static bool same_type(CXType a, CXType b)
{
    return clang_equalTypes(clang_getCanonicalType(a),
                            clang_getCanonicalType(b)) != 0;
}

/* '&' or '*' when the types say so (the operator is not in the source),
   else 0.  "!p" has the type of "*p" for an "int *p": that one is left
   unknown. */
OUT_OF_LINE int unary_op_from_types(CXCursor c, CXCursor operand)
{
    CXType result = clang_getCanonicalType(clang_getCursorType(c));
    CXType arg = clang_getCanonicalType(clang_getCursorType(operand));
    if (result.kind == CXType_Pointer &&
        same_type(clang_getPointeeType(result), arg))
        return '&';
    if (arg.kind == CXType_Pointer && result.kind != CXType_Int &&
        same_type(clang_getPointeeType(arg), result))
        return '*';
    return 0;
}

/* Whether K (an operators[] index) can be a prefix operator. */
static bool is_prefix(int k)
{
    return k >= 0 && strchr("+-!~&*", operators[k].token[0]) &&
           operators[k].op && !operators[k].compound &&
           operators[k].op != IR_OP_LAND;
}

/* The op of unary operator SELF: a prefix written before OPERAND, a
   postfix after it; else, from a macro, the token at its start (a prefix
   operator starts the expression, a postfix one does not) or after the
   operand; else what the types say. */
OUT_OF_LINE int unary_op(fe_state *st, expr_out *self, expr_out *operand)
{
    begins_at_cursor(self);
    int k = operator_between(st, self, false, operand, false);
    if (is_prefix(k)) {
        /* a prefix: the operand ends the expression */
        span_to(self, begin_of(self), NULL, operand);
        return operators[k].op;
    }
    k = operator_between(st, operand, true, self, true);
    if (k >= 0 && operators[k].post)
        return operators[k].post;
    if (!clang_equalLocations(begin_of(self), begin_of(operand))) {
        k = macro_prefix_operator(st, self);
        if (k >= 0) {
            span_to(self, begin_of(self), NULL, operand);
            return operators[k].op;
        }
    } else {
        int post = macro_postfix_operator(st, operand);
        if (post)
            return post;
    }
    return unary_op_from_types(self->cursor, operand->cursor);
}

/* Whether K (an operators[] index) is a binary operator's. */
static bool is_binary(int k)
{
    return k >= 0 && operators[k].op && !operators[k].post &&
           operators[k].op != '!' && operators[k].op != '~';
}

/* Visitor: the first child into *DATA. */
static enum CXChildVisitResult first_child(CXCursor c, CXCursor parent,
                                           CXClientData data)
{
    (void)parent;
    *(CXCursor *)data = c;
    return CXChildVisit_Break;
}

/* An operand that is an lvalue not converted to a value: in a binary
   operator, only the left side of an assignment (or of a comma) is. */
OUT_OF_LINE bool is_raw_lvalue(CXCursor c)
{
    switch (clang_getCursorKind(c)) {
    case CXCursor_DeclRefExpr: {
        enum CXCursorKind k = clang_getCursorKind(clang_getCursorReferenced(c));
        return k == CXCursor_VarDecl || k == CXCursor_ParmDecl;
    }
    case CXCursor_MemberRefExpr:
    case CXCursor_ArraySubscriptExpr:
        return true;
    case CXCursor_ParenExpr:
        for (int guard = 0; guard < 64; guard++) {
            CXCursor inner = clang_getNullCursor();
            clang_visitChildren(c, first_child, &inner);
            if (clang_getCursorKind(inner) != CXCursor_ParenExpr)
                return !clang_Cursor_isNull(inner) && is_raw_lvalue(inner);
            c = inner;
        }
        return false;
    default:
        return false;
    }
}

/* ---- Expressions ----------------------------------------------------- */

/* Converts C's children into N's kids: expressions, and statements (the
   block of a GNU statement expression); types and attributes are skipped.
   Returns whether every kid is pure.  FIRST and LAST (may be NULL) get
   what converting the first and the last kid said; their cursors are null
   when some kid is a statement. */
static bool convert_kids_out(fe_state *st, ir_node *n, CXCursor c,
                             expr_out *first, expr_out *last)
{
    if (first)
        first->cursor = clang_getNullCursor();
    if (last)
        last->cursor = clang_getNullCursor();
    size_t base = fe_push_children(st, c), end = st->cursors.n;
    bool pure = true;
    if (end > base)
        n->kids = arena_array(st->a, end - base, sizeof *n->kids);
    for (size_t i = base; i < end; i++) {
        CXCursor k = st->cursors.v[i];
        enum CXCursorKind kind = clang_getCursorKind(k);
        if (clang_isExpression(kind)) {
            expr_out out;
            n->kids[n->n_kids++] = expr(st, k, &out);
            pure = pure && out.pure;
            if (first && n->n_kids == 1)
                *first = out;
            if (last)
                *last = out;
        } else if (clang_isStatement(kind)) {
            n->kids[n->n_kids++] = fe_stmt(st, k);
            pure = false;
            if (first)
                first->cursor = clang_getNullCursor();
            if (last)
                last->cursor = clang_getNullCursor();
            first = last = NULL; /* nothing to say */
        }
    }
    st->cursors.n = base;
    return pure;
}

/* convert_kids_out() without FIRST and LAST. */
static bool convert_kids(fe_state *st, ir_node *n, CXCursor c)
{
    return convert_kids_out(st, n, c, NULL, NULL);
}

/* The expression children of C (at most MAX, into OUT); their number. */
static size_t expr_children(fe_state *st, CXCursor c, CXCursor *out, size_t max)
{
    size_t base = fe_push_children(st, c), n = 0;
    for (size_t i = base; i < st->cursors.n; i++) {
        if (!clang_isExpression(clang_getCursorKind(st->cursors.v[i])))
            continue;
        if (n < max)
            out[n] = st->cursors.v[i];
        n++;
    }
    st->cursors.n = base;
    return n;
}

static bool is_comparison(int op)
{
    return op == '<' || op == '>' || op == IR_OP_LE || op == IR_OP_GE ||
           op == IR_OP_EQ || op == IR_OP_NE || op == IR_OP_LAND ||
           op == IR_OP_LOR;
}

/* Replaces pure integer expression N by its value when clang folds it. */
static ir_node *fold(ir_node *n, CXCursor c, bool pure)
{
    int64_t value;
    if (pure && n->kind != IR_INT && n->type.cls == IR_TYPE_INT &&
        fe_eval_int(c, &value)) {
        n->kind = IR_INT;
        n->value = value;
        n->op = 0;
        n->kids = NULL;
        n->n_kids = 0;
    }
    return n;
}

/* Anything else: IR_OTHER with its sub-expressions.  A leaf (literal,
   offsetof, __func__...) is pure; integer ones fold.  LEAF: C is known to
   have no sub-expressions (literals): no need to look. */
HANDLER other(fe_state *st, CXCursor c, expr_out *out, bool leaf)
{
    ir_node *n = new_node(st, IR_OTHER);
    bool kids_pure = leaf || convert_kids(st, n, c);
    finish_expr(st, n, out);
    out->pure = kids_pure && n->n_kids == 0;
    return fold(n, c, out->pure);
}

/* ParenExpr, and implicit conversions (an UnexposedExpr at the same place
   as its one operand): the operand itself. */
HANDLER transparent(fe_state *st, CXCursor c, expr_out *out, bool paren)
{
    CXCursor kid[1];
    if (expr_children(st, c, kid, 1) != 1 ||
        (!paren && !clang_equalLocations(clang_getCursorLocation(c),
                                         clang_getCursorLocation(kid[0]))))
        return other(st, c, out, false);
    ir_node *n = expr(st, kid[0], out);
    if (paren) { /* the parentheses belong to the extent */
        out->cursor = c;
        forget_range(out);
    }
    return n;
}

/* A name: IR_VAR for a variable or parameter (never folded, even when
   const), IR_INT for an enum constant, IR_VAR without decl for a
   function (the call resolves it). */
HANDLER decl_ref(fe_state *st, CXCursor c, expr_out *out)
{
    CXCursor ref = clang_getCursorReferenced(c);
    enum CXCursorKind k = clang_getCursorKind(ref);
    if (k == CXCursor_FunctionDecl) {
        /* A call by name never comes here (direct_call): this is "&f",
           "fp = f" or a call through something that is not a name. */
        fe_func(st, ref)->address_taken = true;
        ir_node *n = new_node(st, IR_VAR);
        finish_expr(st, n, out);
        return n;
    }
    ir_decl *d = fe_decl_for(st, ref);
    if (!d)
        return other(st, c, out, false);
    if (d->kind == IR_DECL_ENUM) {
        ir_node *n = new_node(st, IR_INT);
        n->value = d->value;
        n->decl = d;
        finish_expr(st, n, out);
        out->pure = true;
        return n;
    }
    ir_node *n = new_node(st, IR_VAR);
    n->decl = d;
    begins_at_cursor(out);
    n->loc = loc_of(st, out); /* its start: no extent needed */
    n->end = name_end(st, n->loc, out->xstart, strlen(d->name));
    n->text = d->name;
    n->type = d->type;
    out->pure = d->has_value; /* a const with a known value; never folded */
    return n;
}

/* "base.field" or "base->field": IR_MEMBER with the field's ir_decl. */
HANDLER member(fe_state *st, CXCursor c, expr_out *out)
{
    ir_node *n = new_node(st, IR_MEMBER);
    convert_kids(st, n, c);
    CXCursor ref = clang_getCursorReferenced(c);
    if (clang_getCursorKind(ref) == CXCursor_FieldDecl)
        n->decl = fe_decl_for(st, ref);
    if (n->n_kids) { /* a base of array type decays: '->' too */
        ir_type_class base = n->kids[0]->type.cls;
        n->arrow = base == IR_TYPE_POINTER || base == IR_TYPE_ARRAY;
    }
    set_place(st, n, out);
    if (n->decl)
        n->type = n->decl->type;
    else
        fe_type(st, clang_getCursorType(c), &n->type);
    return n;
}

/* The function a call names, through parentheses and casts; NULL for a
   call through a pointer. */
ir_func *fe_callee(fe_state *st, CXCursor call)
{
    CXCursor ref = clang_getCursorReferenced(call);
    if (clang_getCursorKind(ref) == CXCursor_FunctionDecl)
        return fe_func(st, ref);
    CXCursor c;
    if (expr_children(st, call, &c, 1) == 0)
        return NULL;
    for (int guard = 0; guard < 64; guard++) {
        switch (clang_getCursorKind(c)) {
        case CXCursor_DeclRefExpr:
            ref = clang_getCursorReferenced(c);
            return clang_getCursorKind(ref) == CXCursor_FunctionDecl
                       ? fe_func(st, ref)
                       : NULL;
        case CXCursor_ParenExpr:
        case CXCursor_UnexposedExpr:
        case CXCursor_CStyleCastExpr:
            if (expr_children(st, c, &c, 1) != 1)
                return NULL;
            break;
        default:
            return NULL;
        }
    }
    return NULL;
}

/* A call by name, "f(args)": the callee node is made from the function
   (its name, where the call starts) rather than by visiting the implicit
   conversion around it; the arguments come from libclang's list.  False
   when C is not such a call. */
OUT_OF_LINE bool direct_call(fe_state *st, ir_node *n, CXCursor c)
{
    CXCursor fn = clang_getCursorReferenced(c);
    int args = clang_Cursor_getNumArguments(c);
    if (clang_getCursorKind(fn) != CXCursor_FunctionDecl || args < 0)
        return false;
    n->callee = fe_func(st, fn);
    ir_node *callee = new_node(st, IR_VAR);
    spot at;
    callee->loc =
        fe_loc_at(st, clang_getCursorLocation(c), &at.file, &at.offset);
    callee->text = n->callee->name;
    callee->end = name_end(st, callee->loc, at, strlen(callee->text));
    fe_type(st, clang_getCursorType(fn), &callee->type);
    n->kids = arena_array(st->a, (size_t)args + 1, sizeof *n->kids);
    n->kids[n->n_kids++] = callee;
    for (int i = 0; i < args; i++) {
        expr_out arg;
        n->kids[n->n_kids++] =
            expr(st, clang_Cursor_getArgument(c, (unsigned)i), &arg);
    }
    return true;
}

/* IR_CALL: the callee expression, then the arguments. */
HANDLER call(fe_state *st, CXCursor c, expr_out *out)
{
    ir_node *n = new_node(st, IR_CALL);
    if (!direct_call(st, n, c)) {
        convert_kids(st, n, c);
        n->callee = fe_callee(st, c);
    }
    finish_expr(st, n, out);
    return n;
}

/* '&' (IR_ADDR, marking a variable's address as taken), '*' (IR_DEREF),
   or IR_UNARY with its op. */
HANDLER unary(fe_state *st, CXCursor c, expr_out *out)
{
    CXCursor operand;
    if (expr_children(st, c, &operand, 1) != 1)
        return other(st, c, out, false);
    expr_out kid;
    ir_node *arg = expr(st, operand, &kid);
    int op = unary_op(st, out, &kid);
    ir_node *n = new_node(st, op == '&'   ? IR_ADDR
                              : op == '*' ? IR_DEREF
                                          : IR_UNARY);
    if (n->kind == IR_UNARY)
        n->op = op;
    n->kids = arena_alloc(st->a, sizeof *n->kids);
    n->kids[0] = arg;
    n->n_kids = 1;
    if (n->kind == IR_ADDR && arg->kind == IR_VAR && arg->decl)
        arg->decl->address_taken = true;
    finish_expr(st, n, out);
    out->pure = kid.pure && (op == '-' || op == '+' || op == '!' || op == '~');
    return fold(n, c, out->pure);
}

/* sizeof, _Alignof: folded before looking inside (the operand is not
   evaluated); a VLA's sizeof stays IR_OTHER. */
HANDLER size_of(fe_state *st, CXCursor c, expr_out *out)
{
    int64_t value;
    if (fe_eval_int(c, &value)) {
        ir_node *n = new_node(st, IR_INT);
        n->value = value;
        finish_expr(st, n, out);
        out->pure = true;
        return n;
    }
    ir_node *n = new_node(st, IR_OTHER);
    convert_kids(st, n, c);
    finish_expr(st, n, out);
    return n;
}

/* The node for binary operator C with converted sides LHS and RHS (LEFT:
   the left side's cursor), kind and op set, kids not yet. */
OUT_OF_LINE ir_node *binary_node(fe_state *st, CXCursor c, CXCursor left,
                                 expr_out *lhs, expr_out *rhs)
{
    bool compound = clang_getCursorKind(c) == CXCursor_CompoundAssignOperator;
    int k = operator_between(st, lhs, true, rhs, false);
    if (k < 0 || !(compound ? operators[k].compound : is_binary(k)))
        k = macro_binary_operator(st, lhs, rhs);
    if (k >= 0 && !(compound ? operators[k].compound : is_binary(k)))
        k = -1;
    ir_node *n;
    if (compound) {
        n = new_node(st, IR_ASSIGN);
        n->op = k >= 0 ? operators[k].compound : 0;
    } else if (k < 0 && is_raw_lvalue(left)) {
        /* '=' or ',' (the only operators whose left side stays an
           lvalue): a write of an unknown value, to be safe */
        n = new_node(st, IR_ASSIGN);
    } else {
        int op = k >= 0 ? operators[k].op : 0;
        n = new_node(st, op == '=' ? IR_ASSIGN : IR_BINARY);
        n->op = op;
    }
    return n;
}

/* IR_BINARY, or IR_ASSIGN for '=' and the compound assignments (op: the
   arithmetic op of "op="). */
HANDLER binary(fe_state *st, CXCursor c, expr_out *out)
{
    CXCursor sides[2];
    if (expr_children(st, c, sides, 2) != 2)
        return other(st, c, out, false);
    expr_out lhs, rhs;
    ir_node *l = expr(st, sides[0], &lhs);
    ir_node *r = expr(st, sides[1], &rhs);
    ir_node *n = binary_node(st, c, sides[0], &lhs, &rhs);
    n->kids = arena_array(st->a, 2, sizeof *n->kids);
    n->kids[0] = l;
    n->kids[1] = r;
    n->n_kids = 2;
    span_to(out, begin_of(&lhs), &lhs, &rhs);
    finish_expr(st, n, out);
    /* An unknown op is not an assignment: its left side is converted. */
    out->pure = n->kind == IR_BINARY && lhs.pure && rhs.pure;
    /* A comparison stays a comparison: what a condition compares (a clamp,
       a bound) matters to the analysis more than its 0 or 1. */
    if (is_comparison(n->op))
        return n;
    return fold(n, c, out->pure);
}

/* IR_INDEX, IR_CAST, IR_COND: a kind and the converted children. */
HANDLER simple(fe_state *st, CXCursor c, ir_kind kind, expr_out *out)
{
    ir_node *n = new_node(st, kind);
    expr_out first, last;
    bool kids_pure = convert_kids_out(st, n, c, &first, &last);
    /* A cast ends with its operand, "c ? a : b" with b: their extents
       start at the cursor's location and end with the last kid's. */
    if (((kind == IR_CAST && n->n_kids == 1) ||
         (kind == IR_COND && n->n_kids == 3)) &&
        !clang_Cursor_isNull(first.cursor) &&
        !clang_Cursor_isNull(last.cursor)) {
        begins_at_cursor(out);
        span_to(out, begin_of(out), kind == IR_COND ? &first : NULL, &last);
    }
    finish_expr(st, n, out);
    if (kind == IR_INDEX && n->n_kids == 2 &&
        n->kids[0]->type.cls == IR_TYPE_INT &&
        n->kids[1]->type.cls != IR_TYPE_INT) { /* i[a] */
        ir_node *t = n->kids[0];
        n->kids[0] = n->kids[1];
        n->kids[1] = t;
    }
    /* A conditional is never folded, nor anything around it: "n = a < b ?
       a : b" is a clamp the analysis reads from its parts, even when they
       are constants (SPEC 4, shape-batch-extent). */
    out->pure = kind != IR_INDEX && kind != IR_COND && kids_pure;
    return fold(n, c, out->pure);
}

/* The leaf that stands for C beyond FE_MAX_DEPTH; one error per
   top-level declaration. */
HANDLER too_deep(fe_state *st, CXCursor c)
{
    ir_node *n = new_node(st, IR_OTHER);
    n->loc = fe_cursor_loc(st, c);
    n->text = st->empty;
    if (!st->too_deep_reported) {
        st->too_deep_reported = true;
        fe_error(st, n->loc, "expression nested too deeply");
    }
    return n;
}

/* ---- Initialiser lists ------------------------------------------------ */

/* libclang shows the syntactic form of an initialiser list (what is
   written: designators, elided braces), not clang's semantic one, so C's
   rules (C11 6.7.9) are followed here: each braced list has a current
   object, designators move in it (and into members, ".train.batch"),
   positional elements continue after the last one set, an element that
   does not begin with a brace and does not fit a member that is an
   aggregate initialises that member's members (brace elision), a union
   takes one member, a later initialiser of a member replaces an earlier
   one.  The result is one tree per object: struct and union members as
   IR_DESIGNATORs in member order, array elements one per index. */

/* Most elements of one array kept; beyond, the list is IR_OTHER. */
#define MAX_INIT_ELEMENTS 65536
/* Deepest chain of designators and of elided braces followed. */
#define MAX_INIT_DEPTH 64

/* The members of a struct or union type, in order, read once. */
typedef struct init_members {
    uint32_t n;
    CXCursor *fields; /* FieldDecl cursors (anonymous members included) */
    bool *unnamed;    /* an unnamed bit-field: not initialised */
    bool is_union;
} init_members;

typedef struct members_ctx {
    fe_state *st;
    fe_vec fields;
} members_ctx;

static enum CXVisitorResult member_visit(CXCursor c, CXClientData data)
{
    members_ctx *ctx = data;
    CXCursor *copy = arena_alloc(ctx->st->scratch, sizeof *copy);
    *copy = c;
    fe_vec_push(&ctx->fields, copy);
    return CXVisit_Continue;
}

/* The members of record type T (canonical), NULL when it has no
   definition. */
static const init_members *members_of(fe_state *st, CXType t)
{
    CXCursor decl = clang_getCursorDefinition(clang_getTypeDeclaration(t));
    if (clang_Cursor_isNull(decl))
        return NULL;
    init_members *m = fe_map_get_cursor(&st->init_members, decl);
    if (m)
        return m;
    members_ctx ctx = {st, {0}};
    clang_Type_visitFields(t, member_visit, &ctx);
    m = arena_alloc(st->scratch, sizeof *m);
    m->n = (uint32_t)ctx.fields.n;
    m->fields = arena_array(st->scratch, m->n, sizeof *m->fields);
    m->unnamed = arena_array(st->scratch, m->n, sizeof *m->unnamed);
    m->is_union = clang_getCursorKind(decl) == CXCursor_UnionDecl;
    for (uint32_t i = 0; i < m->n; i++) {
        m->fields[i] = *(CXCursor *)ctx.fields.v[i];
        CXString name = clang_getCursorSpelling(m->fields[i]);
        const char *s = clang_getCString(name);
        m->unnamed[i] = clang_Cursor_isBitField(m->fields[i]) && (!s || !*s);
        clang_disposeString(name);
    }
    fe_vec_free(&ctx.fields);
    fe_map_put_cursor(&st->init_members, decl, m);
    return m;
}

typedef struct agg agg;

/* A value an aggregate beyond what is followed keeps (a list in the
   scratch arena: aggregates replaced by later initialisers are dropped
   without being freed). */
struct lost {
    ir_node *node;
    struct lost *next;
};

/* A member or element being initialised: a value, or an aggregate
   filled member by member. */
typedef struct agg_slot {
    ir_node *value;
    agg *sub;
} agg_slot;

/* An aggregate being initialised. */
struct agg {
    CXType type;                 /* canonical */
    const init_members *members; /* struct or union; NULL: array */
    CXType elem;                 /* array */
    uint64_t count;              /* members, or elements (UINT64_MAX: open) */
    agg_slot *slots;
    uint32_t n_slots, cap;
    uint32_t active;   /* union: the member set */
    bool unknown;      /* beyond what is followed: becomes IR_OTHER */
    struct lost *lost; /* UNKNOWN: values converted, kept as its kids */
    uint32_t n_lost;
    ir_node *node;   /* the braced list's own node, or NULL (elided) */
    sc_loc loc, end; /* of the first and last value placed */
};

/* A new aggregate for type T (canonical), NULL for a scalar (or a type
   whose members are not known). */
static agg *agg_new(fe_state *st, CXType t)
{
    agg *a = NULL;
    if (t.kind == CXType_Record) {
        const init_members *m = members_of(st, t);
        if (!m)
            return NULL;
        a = arena_alloc(st->scratch, sizeof *a);
        a->members = m;
        a->count = m->n;
    } else if (t.kind == CXType_ConstantArray ||
               t.kind == CXType_IncompleteArray) {
        a = arena_alloc(st->scratch, sizeof *a);
        a->elem = clang_getCanonicalType(clang_getArrayElementType(t));
        long long size = clang_getArraySize(t);
        a->count = t.kind == CXType_ConstantArray && size >= 0 ? (uint64_t)size
                                                               : UINT64_MAX;
    } else {
        return NULL;
    }
    a->type = t;
    a->active = UINT32_MAX;
    return a;
}

/* Whether canonical type T is an aggregate that an initialiser list
   fills member by member. */
static bool is_aggregate(CXType t)
{
    return t.kind == CXType_Record || t.kind == CXType_ConstantArray ||
           t.kind == CXType_IncompleteArray;
}

/* The type of member or element POS of A (canonical). */
static CXType agg_member_type(const agg *a, uint64_t pos)
{
    if (!a->members)
        return a->elem;
    return clang_getCanonicalType(clang_getCursorType(a->members->fields[pos]));
}

/* Slot POS of A, made room for; NULL (and A unknown) past the limit. */
static agg_slot *agg_slot_at(fe_state *st, agg *a, uint64_t pos)
{
    if (pos >= MAX_INIT_ELEMENTS) {
        a->unknown = true;
        return NULL;
    }
    if (pos >= a->cap) {
        uint32_t cap = a->cap ? a->cap : 4;
        while (cap <= pos)
            cap *= 2;
        agg_slot *bigger = arena_array(st->scratch, cap, sizeof *bigger);
        if (a->n_slots)
            memcpy(bigger, a->slots, a->n_slots * sizeof *bigger);
        a->slots = bigger;
        a->cap = cap;
    }
    if (pos >= a->n_slots)
        a->n_slots = (uint32_t)pos + 1;
    if (a->members && a->members->is_union && a->active != pos) {
        if (a->active != UINT32_MAX) /* one member at a time */
            a->slots[a->active] = (agg_slot){NULL, NULL};
        a->active = (uint32_t)pos;
    }
    return &a->slots[pos];
}

/* Keeps node N among what A's own node will hold once A is unknown. */
static void agg_lose(fe_state *st, agg *a, ir_node *n)
{
    a->unknown = true;
    if (!n)
        return;
    struct lost *l = arena_alloc(st->scratch, sizeof *l);
    l->node = n;
    l->next = a->lost;
    a->lost = l;
    a->n_lost++;
}

/* Notes N's place in A's extent. */
static void agg_extend(agg *a, const ir_node *n)
{
    if (!a->loc.line)
        a->loc = n->loc;
    a->end = n->end;
}

/* The aggregate that fills slot POS of A member by member: the one there
   already (designators and elided braces continue it), else a new one;
   NULL when the member is not an aggregate. */
static agg *agg_open(fe_state *st, agg *a, uint64_t pos)
{
    agg_slot *s = agg_slot_at(st, a, pos);
    if (!s)
        return NULL;
    if (s->sub)
        return s->sub;
    agg *sub = agg_new(st, agg_member_type(a, pos));
    if (!sub)
        return NULL;
    if (s->value) /* a whole value, partly overridden: not followed */
        agg_lose(st, sub, s->value);
    s->value = NULL;
    s->sub = sub;
    return sub;
}

/* The next position of A after POS: unnamed bit-fields are skipped, and
   a union is done after one member. */
static uint64_t agg_next(const agg *a, uint64_t pos)
{
    if (a->members && a->members->is_union)
        return a->count;
    pos++;
    while (a->members && pos < a->count && a->members->unnamed[pos])
        pos++;
    return pos;
}

/* The first position of A. */
static uint64_t agg_first(const agg *a)
{
    uint64_t pos = 0;
    while (a->members && pos < a->count && a->members->unnamed[pos])
        pos++;
    return pos;
}

/* C through parentheses and implicit conversions. */
static CXCursor strip_parens(CXCursor c)
{
    for (int guard = 0; guard < 64; guard++) {
        enum CXCursorKind k = clang_getCursorKind(c);
        if (k != CXCursor_ParenExpr && k != CXCursor_UnexposedExpr)
            return c;
        CXCursor inner = clang_getNullCursor();
        clang_visitChildren(c, first_child, &inner);
        if (clang_Cursor_isNull(inner))
            return c;
        c = inner;
    }
    return c;
}

/* Whether element X initialises a whole member of type M (canonical, an
   aggregate): a struct or union value of that type, or a string literal
   for an array of characters. */
static bool fills_whole(CXType m, CXCursor x)
{
    if (m.kind == CXType_Record) {
        CXType xt = clang_getCanonicalType(clang_getCursorType(x));
        return xt.kind == CXType_Record &&
               clang_equalCursors(clang_getTypeDeclaration(xt),
                                  clang_getTypeDeclaration(m));
    }
    enum CXTypeKind e =
        clang_getCanonicalType(clang_getArrayElementType(m)).kind;
    return clang_getCursorKind(strip_parens(x)) == CXCursor_StringLiteral &&
           (e == CXType_Char_S || e == CXType_Char_U || e == CXType_SChar ||
            e == CXType_UChar || e == CXType_WChar || e == CXType_Char16 ||
            e == CXType_Char32 || e == CXType_Int || e == CXType_UInt ||
            e == CXType_UShort || e == CXType_Short);
}

/* The current object of a braced list: a stack of aggregates (the list's
   own, then members entered by designators and elided braces), each with
   the position the next element goes to. */
typedef struct init_cursor {
    agg *a[MAX_INIT_DEPTH];
    uint64_t pos[MAX_INIT_DEPTH];
    int n;
} init_cursor;

static void fill_list(fe_state *st, agg *a, CXCursor list, expr_out *out);

/* Places element X (a cursor of the list being filled) at the current
   object of IC, following brace elision; false when it has no place
   (an excess element). */
static bool place(fe_state *st, init_cursor *ic, CXCursor x)
{
    bool braced = clang_getCursorKind(x) == CXCursor_InitListExpr;
    for (;;) {
        agg *a = ic->a[ic->n - 1];
        uint64_t pos = ic->pos[ic->n - 1];
        if (pos >= a->count) {
            if (ic->n == 1)
                return false;
            ic->n--; /* an elided aggregate is full: back to its parent */
            ic->pos[ic->n - 1] = agg_next(ic->a[ic->n - 1], ic->pos[ic->n - 1]);
            continue;
        }
        CXType m = agg_member_type(a, pos);
        agg *sub;
        if (braced) {
            agg_slot *s = agg_slot_at(st, a, pos);
            if (!s)
                return false;
            sub = agg_new(st, m);
            if (sub) {
                fill_list(st, sub, x, NULL);
                *s = (agg_slot){NULL, sub};
                agg_extend(a, sub->node);
            } else { /* a braced scalar: "{5}" */
                expr_out eo;
                ir_node *v = expr(st, x, &eo);
                s->value = v->kind == IR_INITLIST && v->n_kids ? v->kids[0] : v;
                s->sub = NULL;
                agg_extend(a, v);
            }
        } else if (is_aggregate(m) && ic->n < MAX_INIT_DEPTH &&
                   !fills_whole(m, x) && (sub = agg_open(st, a, pos))) {
            ic->a[ic->n] = sub; /* brace elision */
            ic->pos[ic->n++] = agg_first(sub);
            continue;
        } else {
            agg_slot *s = agg_slot_at(st, a, pos);
            if (!s)
                return false;
            expr_out eo;
            *s = (agg_slot){expr(st, x, &eo), NULL};
            agg_extend(a, s->value);
        }
        ic->pos[ic->n - 1] = agg_next(a, pos);
        return true;
    }
}

/* The path of member positions from struct or union A to field F (one
   step, or several through anonymous members); its length, 0 if F is not
   a member. */
static int field_path(fe_state *st, const agg *a, CXCursor f, uint64_t *path,
                      int max)
{
    const init_members *m = a->members;
    if (!m || max <= 0)
        return 0;
    for (uint32_t i = 0; i < m->n; i++)
        if (clang_equalCursors(m->fields[i], f)) {
            path[0] = i;
            return 1;
        }
    for (uint32_t i = 0; i < m->n; i++) { /* anonymous struct or union */
        CXType t = clang_getCanonicalType(clang_getCursorType(m->fields[i]));
        if (t.kind != CXType_Record ||
            !clang_Cursor_isAnonymousRecordDecl(clang_getTypeDeclaration(t)))
            continue;
        agg *inner = agg_new(st, t);
        int k = inner ? field_path(st, inner, f, path + 1, max - 1) : 0;
        if (k) {
            path[0] = i;
            return k + 1;
        }
    }
    return 0;
}

/* Moves IC to the subobject that designated element D names (".a.b",
   "[2]", ...); false, with the list's aggregate made unknown, when the
   designators cannot be followed. */
static bool designate(fe_state *st, init_cursor *ic, CXCursor d,
                      CXCursor *value)
{
    size_t base = fe_push_children(st, d), end = st->cursors.n;
    CXCursor steps[MAX_INIT_DEPTH];
    int n = 0;
    bool ok = end > base, indexed = false;
    *value = clang_getNullCursor();
    for (size_t i = base; ok && i < end; i++) {
        CXCursor k = st->cursors.v[i];
        enum CXCursorKind kind = clang_getCursorKind(k);
        if (i + 1 == end)
            *value = k;
        else if ((kind == CXCursor_MemberRef || clang_isExpression(kind)) &&
                 n < MAX_INIT_DEPTH) {
            indexed = indexed || kind != CXCursor_MemberRef;
            steps[n++] = k;
        } else {
            ok = false;
        }
    }
    st->cursors.n = base;
    ok = ok && n > 0 && clang_isExpression(clang_getCursorKind(*value));
    if (ok && indexed) { /* GNU "[a ... b]" is not followed */
        expr_out whole = {.cursor = d}, val = {.cursor = *value};
        span text;
        if (!text_between(st, start_of(&whole), start_of(&val), &text))
            ok = false;
        for (size_t i = text.begin; ok && i + 3 <= text.end; i++)
            if (memcmp(text.text + i, "...", 3) == 0)
                ok = false;
    }
    ic->n = 1;
    for (int j = 0; ok && j < n; j++) {
        agg *a = ic->a[ic->n - 1];
        uint64_t path[8];
        int len = 0;
        if (clang_getCursorKind(steps[j]) == CXCursor_MemberRef) {
            len =
                field_path(st, a, clang_getCursorReferenced(steps[j]), path, 8);
        } else if (!a->members) { /* [index]; GNU ranges are not followed */
            int64_t index;
            if (fe_eval_int(steps[j], &index) && index >= 0 &&
                (uint64_t)index < a->count) {
                path[0] = (uint64_t)index;
                len = 1;
            }
        }
        for (int i = 0; i < len && ok; i++) {
            a = ic->a[ic->n - 1];
            ic->pos[ic->n - 1] = path[i];
            if (j + 1 == n && i + 1 == len)
                break; /* the value goes here */
            agg *sub = ic->n < MAX_INIT_DEPTH ? agg_open(st, a, path[i]) : NULL;
            if (!sub)
                ok = false;
            else {
                ic->a[ic->n] = sub;
                ic->pos[ic->n++] = 0;
            }
        }
        ok = ok && len > 0;
    }
    return ok;
}

/* Whether element K is a designated one (".f = v", "[i] = v"): clang's
   DesignatedInitExpr, an UnexposedExpr of type void holding the
   designators and the value. */
static bool is_designated(fe_state *st, CXCursor k)
{
    if (clang_getCursorKind(k) != CXCursor_UnexposedExpr ||
        clang_getCursorType(k).kind != CXType_Void)
        return false;
    size_t base = fe_push_children(st, k);
    size_t n = st->cursors.n - base;
    bool member = false;
    for (size_t i = base; i < st->cursors.n; i++)
        member = member ||
                 clang_getCursorKind(st->cursors.v[i]) == CXCursor_MemberRef;
    st->cursors.n = base;
    return member ? n >= 2 : n >= 2 && n <= MAX_INIT_DEPTH;
}

/* Fills aggregate A from the elements of braced list LIST, whose node
   (place, text and type) A->node becomes; OUT: what converting LIST
   yields (or NULL). */
static void fill_list(fe_state *st, agg *a, CXCursor list, expr_out *out)
{
    ir_node *n = new_node(st, IR_INITLIST);
    expr_out mine;
    if (!out) {
        memset(&mine, 0, sizeof mine);
        mine.cursor = list;
        out = &mine;
    }
    finish_expr(st, n, out);
    a->node = n;
    if (st->depth >= FE_MAX_DEPTH) {
        agg_lose(st, a, too_deep(st, list));
        return;
    }
    st->depth++;
    init_cursor ic;
    ic.a[0] = a;
    ic.pos[0] = agg_first(a);
    ic.n = 1;
    size_t base = fe_push_children(st, list), end = st->cursors.n;
    for (size_t i = base; i < end; i++) {
        CXCursor k = st->cursors.v[i], value;
        if (!clang_isExpression(clang_getCursorKind(k)))
            continue;
        if (is_designated(st, k)) {
            if (!designate(st, &ic, k, &value)) {
                expr_out eo;
                agg_lose(st, a, expr(st, k, &eo));
                continue;
            }
            k = value;
        }
        if (!place(st, &ic, k)) { /* excess: clang drops it, with a warning */
            expr_out eo;
            expr(st, k, &eo);
        }
    }
    st->cursors.n = base;
    st->depth--;
}

/* The implicit value of a member or element of type T that no
   initialiser sets: zero ("{0}" for an aggregate), at LOC. */
static ir_node *implicit_zero(fe_state *st, CXType t, sc_loc loc)
{
    ir_type type;
    fe_type(st, t, &type);
    ir_node *n = new_node(
        st, type.cls == IR_TYPE_INT || type.cls == IR_TYPE_POINTER ? IR_INT
            : type.cls == IR_TYPE_ARRAY || type.cls == IR_TYPE_RECORD
                ? IR_INITLIST
                : IR_OTHER);
    n->type = type;
    n->loc = loc;
    n->text = st->empty;
    return n;
}

static ir_node *designator(fe_state *st, ir_decl *field, ir_node *value)
{
    ir_node *d = new_node(st, IR_DESIGNATOR);
    d->decl = field;
    d->loc = value->loc;
    d->end = value->end;
    d->text = value->text;
    d->type = field->type;
    d->kids = arena_array(st->a, 1, sizeof *d->kids);
    d->kids[0] = value;
    d->n_kids = 1;
    return d;
}

static ir_node *agg_node(fe_state *st, agg *a);

/* The value of slot S of A (member or element POS). */
static ir_node *slot_value(fe_state *st, agg *a, const agg_slot *s,
                           uint64_t pos)
{
    if (s->sub)
        return agg_node(st, s->sub);
    if (s->value)
        return s->value;
    return implicit_zero(st, agg_member_type(a, pos),
                         a->node ? a->node->loc : a->loc);
}

/* The node of aggregate A: its list's node (or a new one, for elided
   braces and designated members) with one kid per member set, or, when
   A is beyond what is followed, IR_OTHER with the values it holds. */
static ir_node *agg_node(fe_state *st, agg *a)
{
    ir_node *n = a->node;
    if (!n) {
        n = new_node(st, IR_INITLIST);
        fe_type(st, a->type, &n->type);
        n->loc = a->loc;
        n->end = a->end;
        n->text = st->empty;
    }
    size_t k = 0, cap = a->n_slots + a->n_lost;
    n->kids = cap ? arena_array(st->a, cap, sizeof *n->kids) : NULL;
    for (uint32_t i = 0; i < a->n_slots; i++) {
        agg_slot *s = &a->slots[i];
        if (a->members && !s->value && !s->sub)
            continue;
        if (a->unknown && !s->value && !s->sub)
            continue;
        ir_node *v = slot_value(st, a, s, i);
        if (a->members && !a->unknown) {
            ir_decl *field = fe_decl_for(st, a->members->fields[i]);
            if (!field) {
                agg_lose(st, a, v);
                continue;
            }
            v = designator(st, field, v);
        }
        n->kids[k++] = v;
    }
    if (a->unknown) {
        size_t from = k;
        for (struct lost *l = a->lost; l; l = l->next)
            n->kids[k++] = l->node;
        for (size_t i = from, j = k; i + 1 < j; i++, j--) { /* in order */
            ir_node *t = n->kids[i];
            n->kids[i] = n->kids[j - 1];
            n->kids[j - 1] = t;
        }
        n->kind = IR_OTHER;
    }
    n->n_kids = (uint32_t)k;
    return n;
}

/* "{.batch = 8, .train = {.lr = 1}}", "{8, {1}}", "{1, 2, 3}" (braces
   elided): see the section's comment.  A list for a scalar ("{5}") keeps
   its elements as kids. */
HANDLER init_list(fe_state *st, CXCursor c, expr_out *out)
{
    agg *a = agg_new(st, clang_getCanonicalType(clang_getCursorType(c)));
    out->pure = false;
    if (a) {
        fill_list(st, a, c, out);
        return agg_node(st, a);
    }
    ir_node *n = new_node(st, IR_INITLIST);
    convert_kids(st, n, c);
    finish_expr(st, n, out);
    return n;
}

/* Dispatches expression C by cursor kind. */
static ir_node *expr_kind(fe_state *st, CXCursor c, expr_out *out)
{
    switch (clang_getCursorKind(c)) {
    case CXCursor_ParenExpr:
        return transparent(st, c, out, true);
    case CXCursor_UnexposedExpr:
        return transparent(st, c, out, false);
    case CXCursor_DeclRefExpr:
        return decl_ref(st, c, out);
    case CXCursor_MemberRefExpr:
        return member(st, c, out);
    case CXCursor_CallExpr:
        return call(st, c, out);
    case CXCursor_UnaryOperator:
        return unary(st, c, out);
    case CXCursor_UnaryExpr:
        return size_of(st, c, out);
    case CXCursor_BinaryOperator:
    case CXCursor_CompoundAssignOperator:
        return binary(st, c, out);
    case CXCursor_ArraySubscriptExpr:
        return simple(st, c, IR_INDEX, out);
    case CXCursor_CStyleCastExpr:
        return simple(st, c, IR_CAST, out);
    case CXCursor_ConditionalOperator:
        return simple(st, c, IR_COND, out);
    case CXCursor_InitListExpr:
        return init_list(st, c, out);
    case CXCursor_IntegerLiteral:
    case CXCursor_CharacterLiteral:
    case CXCursor_FloatingLiteral:
    case CXCursor_StringLiteral:
    case CXCursor_ImaginaryLiteral:
        return other(st, c, out, true);
    default:
        return other(st, c, out, false);
    }
}

/* Whether TEXT is one identifier. */
static bool is_name(const char *text)
{
    if (!isalpha((unsigned char)*text) && *text != '_')
        return false;
    while (isalnum((unsigned char)*text) || *text == '_')
        text++;
    return *text == '\0';
}

/* Converts expression C, filling OUT; every expression passes here, so
   this is where nesting is counted, and where an integer written as a
   macro name ("BATCH") is given its macro. */
static ir_node *expr(fe_state *st, CXCursor c, expr_out *out)
{
    out->pure = false;
    forget_range(out);
    out->cursor = c;
    if (st->depth >= FE_MAX_DEPTH)
        return too_deep(st, c);
    st->depth++;
    ir_node *n = expr_kind(st, c, out);
    st->depth--;
    if (n->kind == IR_INT && n->text && is_name(n->text) &&
        !(n->decl && strcmp(n->decl->name, n->text) == 0)) {
        spot at = start_of(out);
        fe_int_macro(st, n, at.file, at.offset);
    }
    return n;
}

ir_node *fe_expr(fe_state *st, CXCursor c)
{
    expr_out out;
    return expr(st, c, &out);
}

/* ---- Statements ------------------------------------------------------ */

/* A statement node of KIND located at C, without kids yet. */
static ir_node *leaf_stmt(fe_state *st, CXCursor c, ir_kind kind)
{
    ir_node *n = new_node(st, kind);
    set_stmt_loc(st, n, c);
    return n;
}

/* A node of KIND whose kids are C's children, each in a statement
   position (conditions and other expressions included). */
static ir_node *control(fe_state *st, CXCursor c, ir_kind kind)
{
    ir_node *n = leaf_stmt(st, c, kind);
    size_t base = fe_push_children(st, c), end = st->cursors.n;
    if (end > base)
        n->kids = arena_array(st->a, end - base, sizeof *n->kids);
    for (size_t i = base; i < end; i++) {
        CXCursor k = st->cursors.v[i];
        enum CXCursorKind kk = clang_getCursorKind(k);
        if (clang_isStatement(kk) || clang_isExpression(kk))
            n->kids[n->n_kids++] = fe_stmt(st, k);
    }
    st->cursors.n = base;
    return n;
}

/* ---- Loops ------------------------------------------------------------- */

/* Skips a string or character literal starting at I (the quote). */
static size_t skip_literal(const char *s, size_t i, size_t end)
{
    char quote = s[i++];
    while (i < end && s[i] != quote)
        i += s[i] == '\\' ? 2 : 1;
    return i + 1;
}

/* The offsets of the two ';' and the ')' of the header of the for
   statement whose text starts at FROM ("for (init; cond; inc)"). */
static bool for_header(const char *s, size_t from, size_t end, size_t cut[3])
{
    size_t i = fe_skip_blank(s, from, end);
    if (end - i < 3 || strncmp(s + i, "for", 3) != 0)
        return false;
    i = fe_skip_blank(s, i + 3, end);
    if (i >= end || s[i] != '(')
        return false;
    int depth = 0, semis = 0;
    while (i < end) {
        size_t next = fe_skip_blank(s, i, end);
        if (next != i) {
            i = next;
            continue;
        }
        char ch = s[i];
        if (ch == '"' || ch == '\'') {
            i = skip_literal(s, i, end);
            continue;
        }
        depth += (ch == '(') - (ch == ')');
        if (ch == ';' && depth == 1 && semis < 2)
            cut[semis++] = i;
        if (depth == 0) {
            cut[2] = i;
            return semis == 2;
        }
        i++;
    }
    return false;
}

/* Which part of a for statement each child is (0 init, 1 cond, 2 inc,
   3 body), from where it starts in the header; false when the header is
   not in the file as text (a macro wrote it). */
static bool for_slots(fe_state *st, CXCursor c, const CXCursor *kids, size_t n,
                      int *slots)
{
    spot start = spelled(clang_getRangeStart(clang_getCursorExtent(c)));
    fe_file *f = start.file ? fe_file_get(st, start.file) : NULL;
    size_t cut[3];
    if (!f || !fe_file_contents(st, f) ||
        !for_header(f->contents, start.offset, f->size, cut))
        return false;
    for (size_t i = 0; i < n; i++) {
        spot k = spelled(clang_getRangeStart(clang_getCursorExtent(kids[i])));
        if (k.file != start.file)
            return false;
        slots[i] = k.offset < cut[0]   ? 0
                   : k.offset < cut[1] ? 1
                   : k.offset < cut[2] ? 2
                                       : 3;
        if (i && slots[i] <= slots[i - 1])
            return false;
    }
    return n == 0 || slots[n - 1] == 3;
}

/* IR_LOOP of for/while/do statement C: four kids, init, cond, inc, body
   (NULL where absent), or, when the parts cannot be told apart, op 0
   and the present parts in order (ir.h). */
static ir_node *loop(fe_state *st, CXCursor c)
{
    enum CXCursorKind kind = clang_getCursorKind(c);
    ir_node *n = leaf_stmt(st, c, IR_LOOP);
    size_t base = fe_push_children(st, c), end = st->cursors.n, m = 0;
    for (size_t i = base; i < end; i++) {
        enum CXCursorKind kk = clang_getCursorKind(st->cursors.v[i]);
        if (clang_isStatement(kk) || clang_isExpression(kk))
            st->cursors.v[base + m++] = st->cursors.v[i];
    }
    int slots[4] = {1, 3, 0, 0};
    bool known =
        kind == CXCursor_WhileStmt ? m == 2
        : kind == CXCursor_DoStmt
            ? (m == 2 && (slots[0] = 3, slots[1] = 1, true))
            : m <= 4 && for_slots(st, c, st->cursors.v + base, m, slots);
    n->op = !known                       ? 0
            : kind == CXCursor_WhileStmt ? IR_LOOP_WHILE
            : kind == CXCursor_DoStmt    ? IR_LOOP_DO
                                         : IR_LOOP_FOR;
    n->kids = arena_array(st->a, known ? 4 : (m ? m : 1), sizeof *n->kids);
    n->n_kids = known ? 4 : (uint32_t)m;
    for (size_t i = 0; i < m; i++) {
        ir_node *k = fe_stmt(st, st->cursors.v[base + i]);
        n->kids[known ? slots[i] : (int)i] = k;
    }
    st->cursors.n = base;
    return n;
}

/* Each child of C that is a statement or expression, into the enclosing
   block.  LAST_ONLY: only the last one (a label's statement). */
static void children_into(fe_state *st, CXCursor c, bool last_only)
{
    size_t base = fe_push_children(st, c), end = st->cursors.n;
    for (size_t i = last_only && end > base ? end - 1 : base; i < end; i++) {
        CXCursor k = st->cursors.v[i];
        enum CXCursorKind kk = clang_getCursorKind(k);
        if (clang_isStatement(kk) || clang_isExpression(kk))
            stmt_into(st, k);
    }
    st->cursors.n = base;
}

/* IR_BLOCK of compound statement C. */
static ir_node *block(fe_state *st, CXCursor c)
{
    ir_node *n = leaf_stmt(st, c, IR_BLOCK);
    size_t mark = st->nodes.n;
    children_into(st, c, false);
    n->kids = fe_vec_to_arena(st->a, &st->nodes, mark, &n->n_kids);
    st->nodes.n = mark;
    return n;
}

/* One IR_DECLSTMT per variable; block-scope "extern"s declare globals. */
static void decl_stmt(fe_state *st, CXCursor c)
{
    size_t base = fe_push_children(st, c), end = st->cursors.n;
    for (size_t i = base; i < end; i++) {
        CXCursor var = st->cursors.v[i];
        if (clang_getCursorKind(var) != CXCursor_VarDecl)
            continue;
        ir_decl *d = fe_local(st, var);
        if (!d)
            continue;
        ir_node *n = new_node(st, IR_DECLSTMT);
        n->loc = fe_loc(st, clang_getRangeStart(clang_getCursorExtent(var)));
        n->decl = d;
        if (d->init) {
            n->kids = arena_alloc(st->a, sizeof *n->kids);
            n->kids[0] = d->init;
            n->n_kids = 1;
        }
        push_node(st, n);
    }
    st->cursors.n = base;
}

static ir_node *jump(fe_state *st, CXCursor c, int op)
{
    ir_node *n = leaf_stmt(st, c, IR_JUMP);
    n->op = op;
    return n;
}

/* Appends the nodes of statement C to the current block, by kind. */
static void stmt_kind(fe_state *st, CXCursor c)
{
    enum CXCursorKind kind = clang_getCursorKind(c);
    switch (kind) {
    case CXCursor_CompoundStmt:
        push_node(st, block(st, c));
        break;
    case CXCursor_DeclStmt:
        decl_stmt(st, c);
        break;
    case CXCursor_IfStmt:
        push_node(st, control(st, c, IR_IF));
        break;
    case CXCursor_ForStmt:
    case CXCursor_WhileStmt:
    case CXCursor_DoStmt:
        push_node(st, loop(st, c));
        break;
    case CXCursor_SwitchStmt:
        push_node(st, control(st, c, IR_SWITCH));
        break;
    case CXCursor_ReturnStmt:
        push_node(st, control(st, c, IR_RETURN));
        break;
    case CXCursor_LabelStmt:
    case CXCursor_CaseStmt:
    case CXCursor_DefaultStmt:
        push_node(st, jump(st, c,
                           kind == CXCursor_LabelStmt ? IR_JUMP_LABEL
                                                      : IR_JUMP_CASE));
        children_into(st, c, true);
        break;
    case CXCursor_GotoStmt:
    case CXCursor_IndirectGotoStmt:
        push_node(st, jump(st, c, IR_JUMP_GOTO));
        break;
    case CXCursor_BreakStmt:
        push_node(st, jump(st, c, IR_JUMP_BREAK));
        break;
    case CXCursor_ContinueStmt:
        push_node(st, jump(st, c, IR_JUMP_CONTINUE));
        break;
    case CXCursor_NullStmt:
        push_node(st, leaf_stmt(st, c, IR_NULLSTMT));
        break;
    case CXCursor_GCCAsmStmt:
    case CXCursor_MSAsmStmt: {
        ir_node *n = leaf_stmt(st, c, IR_OTHER);
        convert_kids(st, n, c);
        push_node(st, n);
        break;
    }
    default:
        if (clang_isExpression(kind)) {
            push_node(st, fe_expr(st, c));
        } else if (clang_isStatement(kind)) {
            children_into(st, c, false); /* attributed statements... */
        }
        break;
    }
}

/* Appends the nodes of statement C (one or more: a declaration of several
   variables, a labelled statement) to the current block. */
static void stmt_into(fe_state *st, CXCursor c)
{
    if (st->depth >= FE_MAX_DEPTH) {
        push_node(st, too_deep(st, c));
        return;
    }
    st->depth++;
    stmt_kind(st, c);
    st->depth--;
}

ir_node *fe_stmt(fe_state *st, CXCursor c)
{
    size_t mark = st->nodes.n;
    stmt_into(st, c);
    if (st->nodes.n == mark + 1) {
        ir_node *n = st->nodes.v[mark];
        st->nodes.n = mark;
        return n;
    }
    ir_node *n = leaf_stmt(st, c, IR_BLOCK);
    n->kids = fe_vec_to_arena(st->a, &st->nodes, mark, &n->n_kids);
    st->nodes.n = mark;
    return n;
}
