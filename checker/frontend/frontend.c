/*
 * frontend.c - parse one translation unit with libclang and extract its
 * facts (ir.h): the parse driver (command line, unknown options, compiler
 * diagnostics), the top-level traversal, declarations, types, records and
 * macros.  Statements and expressions are in frontend_expr.c.
 *
 * Everything the IR points to is allocated in the TU's arena, never the
 * module's own data; the CXTranslationUnit is disposed of before a parse
 * returns.  This file and frontend_expr.c are the front-end module
 * (frontend_module.h): its one exported symbol is at the end.
 */
#define _XOPEN_SOURCE 700 /* realpath */

#include "frontend_internal.h"
#include "frontend_module.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct frontend {
    CXIndex index;
    char *include_dir;
    char **force_includes;
    int n_force_includes;
    /* Options clang reported as unknown in some earlier parse: dropped
       from every later command before its first parse. */
    char **unknown;
    size_t n_unknown, cap_unknown;
    char *cwd; /* the process's, to show paths as the user gave them */
};

#define PARSE_OPTIONS                                                          \
    (CXTranslationUnit_DetailedPreprocessingRecord |                           \
     CXTranslationUnit_KeepGoing |                                             \
     CXTranslationUnit_IgnoreNonErrorsFromIncludedFiles)

/* ---- Allocation and containers --------------------------------------- */

/* realloc that aborts when out of memory, as arena.c does. */
static void *xrealloc(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    if (!p) {
        fputs("shapecheck: out of memory\n", stderr);
        abort();
    }
    return p;
}

/* A malloc'd copy of S; the caller frees it. */
static char *xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    return memcpy(xrealloc(NULL, n), s, n);
}

void fe_vec_push(fe_vec *vec, void *p)
{
    if (vec->n == vec->cap) {
        vec->cap = vec->cap ? 2 * vec->cap : 16;
        vec->v = xrealloc(vec->v, vec->cap * sizeof *vec->v);
    }
    vec->v[vec->n++] = p;
}

void fe_vec_free(fe_vec *vec)
{
    free(vec->v);
    memset(vec, 0, sizeof *vec);
}

void *fe_vec_to_arena(arena *a, const fe_vec *vec, size_t from, uint32_t *n)
{
    size_t k = vec->n - from;
    *n = (uint32_t)k;
    if (k == 0)
        return NULL;
    void **out = arena_array(a, k, sizeof *out);
    memcpy(out, vec->v + from, k * sizeof *out);
    return out;
}

/* FNV-1a. */
static unsigned hash_string(const char *s)
{
    unsigned h = 2166136261u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

/* Mixes the bits of P (file entries are aligned: low bits are zero). */
static unsigned hash_pointer(const void *p)
{
    uint64_t x = (uint64_t)(uintptr_t)p;
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdull;
    x ^= x >> 33;
    return (unsigned)x;
}

/* Whether slot S of M holds the key (C or KEY, by M's kind) of hash H. */
static bool slot_matches(const fe_map *m, const fe_map_slot *s, unsigned h,
                         CXCursor c, const void *key)
{
    if (s->hash != h)
        return false;
    switch (m->kind) {
    case FE_MAP_CURSOR:
        return clang_equalCursors(s->cursor, c) != 0;
    case FE_MAP_STRING:
        return strcmp(s->key, key) == 0;
    case FE_MAP_POINTER:
        return s->key == key;
    }
    return false;
}

/* The slot holding the key, or the empty slot where it would go. */
static fe_map_slot *map_find(const fe_map *m, unsigned h, CXCursor c,
                             const void *key)
{
    size_t mask = m->cap - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
        fe_map_slot *s = &m->slots[i];
        if (!s->value || slot_matches(m, s, h, c, key))
            return s;
    }
}

/* Doubles M's capacity (64 at first), reinserting every entry. */
static void map_grow(fe_map *m)
{
    fe_map_slot *old = m->slots;
    size_t old_cap = m->cap;
    m->cap = old_cap ? 2 * old_cap : 64;
    m->slots = xrealloc(NULL, m->cap * sizeof *m->slots);
    memset(m->slots, 0, m->cap * sizeof *m->slots);
    for (size_t i = 0; i < old_cap; i++) {
        if (!old[i].value)
            continue;
        size_t mask = m->cap - 1, j = old[i].hash & mask;
        while (m->slots[j].value)
            j = (j + 1) & mask;
        m->slots[j] = old[i];
    }
    free(old);
}

/* The hash of key C or KEY, by M's kind. */
static unsigned map_hash(const fe_map *m, CXCursor c, const void *key)
{
    switch (m->kind) {
    case FE_MAP_CURSOR:
        return clang_hashCursor(c);
    case FE_MAP_STRING:
        return hash_string(key);
    case FE_MAP_POINTER:
        return hash_pointer(key);
    }
    return 0;
}

/* The value for key C or KEY, or NULL. */
static void *map_get(const fe_map *m, CXCursor c, const void *key)
{
    if (m->n == 0)
        return NULL;
    return map_find(m, map_hash(m, c, key), c, key)->value;
}

/* Sets the value for key C or KEY (replacing any); the load stays <= 1/2. */
static void map_put(fe_map *m, CXCursor c, const void *key, void *value)
{
    if ((m->n + 1) * 2 > m->cap)
        map_grow(m);
    unsigned h = map_hash(m, c, key);
    fe_map_slot *s = map_find(m, h, c, key);
    if (!s->value)
        m->n++;
    s->cursor = c;
    s->key = key;
    s->hash = h;
    s->value = value;
}

static const CXCursor no_cursor;

void *fe_map_get_cursor(const fe_map *m, CXCursor c)
{
    return map_get(m, c, NULL);
}

void fe_map_put_cursor(fe_map *m, CXCursor c, void *value)
{
    map_put(m, c, NULL, value);
}

void *fe_map_get(const fe_map *m, const void *key)
{
    return map_get(m, no_cursor, key);
}

void fe_map_put(fe_map *m, const void *key, void *value)
{
    map_put(m, no_cursor, key, value);
}

void fe_map_free(fe_map *m)
{
    free(m->slots);
    m->slots = NULL;
    m->cap = m->n = 0;
}

/* ---- Conversions at the boundary ------------------------------------- */

/* A CXString as an arena string ("" for none); disposes of S. */
static const char *take_string(arena *a, CXString s)
{
    const char *c = clang_getCString(s);
    const char *copy = arena_strdup(a, c ? c : "");
    clang_disposeString(s);
    return copy;
}

fe_file *fe_file_get(fe_state *st, CXFile file)
{
    if (!file)
        return NULL;
    if (st->last_file && st->last_file->file == file)
        return st->last_file;
    fe_file *f = fe_map_get(&st->files, file);
    if (!f) {
        f = arena_alloc(st->scratch, sizeof *f);
        f->file = file;
        CXString s = clang_getFileName(file);
        const char *name = clang_getCString(s);
        if (!name)
            name = "";
        size_t cwd_len = st->cwd ? strlen(st->cwd) : 0;
        if (cwd_len && strncmp(name, st->cwd, cwd_len) == 0 &&
            name[cwd_len] == '/')
            name += cwd_len + 1; /* -working-directory made it absolute */
        char *interned = fe_map_get(&st->file_names, name);
        if (!interned) {
            interned = arena_strdup(st->a, name);
            fe_map_put(&st->file_names, interned, interned);
        }
        clang_disposeString(s);
        f->name = interned;
        fe_map_put(&st->files, file, f);
    }
    st->last_file = f;
    return f;
}

bool fe_file_contents(fe_state *st, fe_file *f)
{
    if (!f->contents_loaded) {
        f->contents_loaded = true;
        size_t size = 0;
        f->contents = clang_getFileContents(st->ctu, f->file, &size);
        f->size = size;
    }
    return f->contents != NULL;
}

/* The offsets where lines start in S[0, N) as clang counts lines: "\n",
   "\r\n" and a lone "\r" end one.  Writes them to OUT when not NULL;
   returns their number (1 + the line ends).  Files without a '\r' (almost
   all) are scanned with memchr. */
static size_t line_starts(const char *s, size_t n, uint32_t *out)
{
    size_t k = 1;
    if (out)
        out[0] = 0;
    if (!memchr(s, '\r', n)) {
        for (const char *p = s, *end = s + n;
             (p = memchr(p, '\n', (size_t)(end - p))) != NULL; k++) {
            p++;
            if (out)
                out[k] = (uint32_t)(p - s);
        }
        return k;
    }
    for (size_t i = 0; i < n; i++)
        if (s[i] == '\n' ||
            (s[i] == '\r' && (i + 1 == n || s[i + 1] != '\n'))) {
            if (out)
                out[k] = (uint32_t)(i + 1);
            k++;
        }
    return k;
}

/* Builds F's line table.  False when F has no contents or is too
   large. */
static bool line_table(fe_state *st, fe_file *f)
{
    if (f->lines)
        return true;
    if (!fe_file_contents(st, f) || f->size >= UINT32_MAX)
        return false;
    size_t n = line_starts(f->contents, f->size, NULL);
    f->lines = arena_array(st->scratch, n, sizeof *f->lines);
    line_starts(f->contents, f->size, f->lines);
    f->n_lines = n;
    return true;
}

/* The 0-based line of OFFSET in F (whose line table exists). */
static size_t line_of(fe_file *f, unsigned offset)
{
    size_t k = f->last_line;
    if (f->lines[k] <= offset &&
        (k + 1 == f->n_lines || f->lines[k + 1] > offset))
        return k;
    size_t lo = 0, hi = f->n_lines; /* the last start <= offset */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (f->lines[mid] <= offset)
            lo = mid;
        else
            hi = mid;
    }
    f->last_line = lo;
    return lo;
}

/* Line and column come from F's own line table in the files whose text is
   read anyway (the main file, headers with bodies converted): many
   locations each, one lookup in libclang for each.  In the others (a few
   declarations in each header) libclang counts them: loading a header's
   text for its line table would cost more than the handful of lookups
   (clang_getFileContents searches the TU's source entries). */
sc_loc fe_loc_at(fe_state *st, CXSourceLocation loc, CXFile *file_out,
                 unsigned *offset_out)
{
    CXFile file;
    unsigned offset;
    clang_getExpansionLocation(loc, &file, NULL, NULL, &offset);
    *file_out = file;
    *offset_out = offset;
    fe_file *f = fe_file_get(st, file);
    if (!f)
        return (sc_loc){NULL, 0, 0};
    bool own = f->lines || file == st->main_file ||
               (f->contents_loaded && f->contents);
    if (own && line_table(st, f) && offset <= f->size) {
        size_t k = line_of(f, offset);
        return (sc_loc){f->name, (unsigned)k + 1, offset - f->lines[k] + 1};
    }
    unsigned line, col;
    clang_getExpansionLocation(loc, NULL, &line, &col, NULL);
    return (sc_loc){f->name, line, col};
}

sc_loc fe_loc(fe_state *st, CXSourceLocation loc)
{
    CXFile file;
    unsigned offset;
    return fe_loc_at(st, loc, &file, &offset);
}

sc_loc fe_cursor_loc(fe_state *st, CXCursor c)
{
    return fe_loc(st, clang_getCursorLocation(c));
}

sc_loc fe_offset_loc(fe_state *st, CXFile file, unsigned offset)
{
    fe_file *f = fe_file_get(st, file);
    if (!f || !line_table(st, f) || offset > f->size)
        return (sc_loc){NULL, 0, 0};
    size_t k = line_of(f, offset);
    return (sc_loc){f->name, (unsigned)k + 1, offset - f->lines[k] + 1};
}

bool fe_spelling(fe_state *st, CXSourceLocation loc, CXFile *file,
                 unsigned *offset)
{
    CXToken *tokens = NULL;
    unsigned n = 0;
    *file = NULL;
    clang_tokenize(st->ctu, clang_getRange(loc, loc), &tokens, &n);
    if (n > 0)
        clang_getSpellingLocation(clang_getTokenLocation(st->ctu, tokens[0]),
                                  file, NULL, NULL, offset);
    if (tokens)
        clang_disposeTokens(st->ctu, tokens, n);
    return *file != NULL;
}

/* ---- Source text: tokens and #define lines ---------------------------- */

size_t fe_skip_blank(const char *s, size_t i, size_t end)
{
    while (i < end) {
        if (isspace((unsigned char)s[i])) {
            i++;
        } else if (s[i] == '\\' && i + 1 < end &&
                   (s[i + 1] == '\n' || s[i + 1] == '\r')) {
            i += 2;
        } else if (s[i] == '/' && i + 1 < end && s[i + 1] == '*') {
            i += 2;
            while (i + 1 < end && !(s[i] == '*' && s[i + 1] == '/'))
                i++;
            i = i + 2 < end ? i + 2 : end;
        } else if (s[i] == '/' && i + 1 < end && s[i + 1] == '/') {
            while (i < end && s[i] != '\n')
                i++;
        } else {
            break;
        }
    }
    return i;
}

/* Punctuators of more than one character, longest first. */
static const char *const long_punctuators[] = {
    "...", "<<=", ">>=", "->", "++", "--", "<<", ">>", "<=", ">=", "==", "!=",
    "&&",  "||",  "*=",  "/=", "%=", "+=", "-=", "&=", "^=", "|=", "##",
};

bool fe_lex(const char *s, size_t i, size_t end, fe_tok *t)
{
    i = fe_skip_blank(s, i, end);
    if (i >= end || i >= UINT32_MAX)
        return false;
    size_t j = i + 1;
    unsigned char c = (unsigned char)s[i];
    if (isalpha(c) || c == '_' || c == '$' || c >= 0x80) {
        while (j < end && (isalnum((unsigned char)s[j]) || s[j] == '_' ||
                           s[j] == '$' || (unsigned char)s[j] >= 0x80))
            j++;
        t->kind = 'i';
    } else if (isdigit(c) ||
               (c == '.' && j < end && isdigit((unsigned char)s[j]))) {
        for (; j < end; j++) {
            if ((s[j] == '+' || s[j] == '-') && strchr("eEpP", s[j - 1]))
                continue;
            if (!isalnum((unsigned char)s[j]) && s[j] != '.' && s[j] != '_' &&
                s[j] != '\'')
                break;
        }
        t->kind = 'n';
    } else if (c == '"' || c == '\'') {
        while (j < end && s[j] != (char)c && s[j] != '\n')
            j += s[j] == '\\' && j + 1 < end ? 2 : 1;
        j = j < end ? j + 1 : end;
        t->kind = 's';
    } else {
        for (size_t k = 0;
             k < sizeof long_punctuators / sizeof *long_punctuators; k++) {
            size_t n = strlen(long_punctuators[k]);
            if (i + n <= end && memcmp(s + i, long_punctuators[k], n) == 0) {
                j = i + n;
                break;
            }
        }
        t->kind = 'p';
    }
    t->begin = (uint32_t)i;
    t->end = (uint32_t)(j < UINT32_MAX ? j : UINT32_MAX);
    return true;
}

bool fe_tok_is(const char *s, const fe_tok *t, const char *text)
{
    size_t n = strlen(text);
    return t->end - t->begin == n && memcmp(s + t->begin, text, n) == 0;
}

/* The start of the logical line that holds offset P of S: lines ended by
   a backslash continue into the next. */
static size_t logical_line_start(const char *s, size_t p)
{
    for (;;) {
        while (p > 0 && s[p - 1] != '\n')
            p--;
        if (p == 0)
            return 0;
        size_t nl = p - 1;
        if (nl > 0 && s[nl - 1] == '\r')
            nl--;
        if (nl == 0 || s[nl - 1] != '\\')
            return p;
        p = nl - 1;
    }
}

/* The end of the logical line that starts at P: its newline, past line
   continuations, block comments and literals. */
static size_t logical_line_end(const char *s, size_t p, size_t size)
{
    while (p < size) {
        char c = s[p];
        if (c == '\\' && p + 1 < size &&
            (s[p + 1] == '\n' || s[p + 1] == '\r')) {
            p += s[p + 1] == '\r' && p + 2 < size && s[p + 2] == '\n' ? 3 : 2;
        } else if (c == '\n') {
            return p;
        } else if (c == '/' && p + 1 < size && s[p + 1] == '*') {
            p += 2;
            while (p + 1 < size && !(s[p] == '*' && s[p + 1] == '/'))
                p++;
            p = p + 2 < size ? p + 2 : size;
        } else if (c == '"' || c == '\'') {
            p++;
            while (p < size && s[p] != c && s[p] != '\n')
                p += s[p] == '\\' && p + 1 < size ? 2 : 1;
            if (p < size && s[p] == c)
                p++;
        } else {
            p++;
        }
    }
    return size;
}

/* A #define longer than this is not read (its operators stay unknown). */
#define FE_MAX_DEFINE_TOKENS 4096

static const fe_define no_define; /* the cache's "not a #define" */

/* Parses the directive of S starting at START (a line start) as a
   #define; NULL when it is not one or is too long. */
static fe_define *parse_define(fe_state *st, const char *s, size_t start,
                               size_t size)
{
    size_t end = logical_line_end(s, start, size);
    fe_tok head[3];
    size_t at = start;
    for (int i = 0; i < 3; i++) {
        if (!fe_lex(s, at, end, &head[i]))
            return NULL;
        at = head[i].end;
    }
    if (!fe_tok_is(s, &head[0], "#") || !fe_tok_is(s, &head[1], "define") ||
        head[2].kind != 'i')
        return NULL;
    fe_define *d = arena_alloc(st->scratch, sizeof *d);
    d->text = s;
    d->name = head[2];
    fe_tok t;
    if (at < end && s[at] == '(') { /* function-like: "(" right after */
        d->function_like = true;
        fe_tok params[256];
        uint32_t n = 0;
        at++;
        for (;;) {
            if (!fe_lex(s, at, end, &t))
                return NULL;
            at = t.end;
            if (fe_tok_is(s, &t, ")"))
                break;
            if (fe_tok_is(s, &t, ","))
                continue;
            if (fe_tok_is(s, &t, "...")) {
                d->variadic = true;
                if (n < 256)
                    params[n++] = t; /* named __VA_ARGS__ */
            } else if (t.kind == 'i' && n < 256) {
                params[n++] = t;
            } else {
                return NULL;
            }
        }
        d->n_params = n;
        d->params = arena_array(st->scratch, n, sizeof *d->params);
        memcpy(d->params, params, n * sizeof *params);
        if (n && at < end) { /* GNU "args..." */
            fe_tok last = d->params[n - 1];
            if (!fe_tok_is(s, &last, "...") && last.end + 3 <= end &&
                memcmp(s + last.end, "...", 3) == 0)
                d->variadic = true;
        }
    }
    size_t n = 0, cap = 16;
    fe_tok *body = arena_array(st->scratch, cap, sizeof *body);
    while (fe_lex(s, at, end, &t)) {
        if (n == FE_MAX_DEFINE_TOKENS)
            return NULL;
        if (n == cap) {
            fe_tok *bigger = arena_array(st->scratch, 2 * cap, sizeof *body);
            memcpy(bigger, body, n * sizeof *body);
            body = bigger;
            cap *= 2;
        }
        body[n++] = t;
        at = t.end;
    }
    d->body = body;
    d->n_body = (uint32_t)n;
    return d;
}

const fe_define *fe_define_at(fe_state *st, CXFile file, unsigned offset)
{
    fe_file *f = fe_file_get(st, file);
    if (!f || !fe_file_contents(st, f) || offset > f->size)
        return NULL;
    size_t start = logical_line_start(f->contents, offset);
    const char *key = f->contents + start;
    const fe_define *d = fe_map_get(&st->defines, key);
    if (!d) {
        d = parse_define(st, f->contents, start, f->size);
        if (!d)
            d = &no_define;
        fe_map_put(&st->defines, key, (void *)d);
    }
    return d == &no_define ? NULL : d;
}

const fe_define *fe_define_of(fe_state *st, CXCursor def)
{
    CXFile file;
    unsigned offset;
    clang_getExpansionLocation(clang_getCursorLocation(def), &file, NULL, NULL,
                               &offset);
    return file ? fe_define_at(st, file, offset) : NULL;
}

/* Expansion file and offset of LOC. */
static CXFile expansion_offset(CXSourceLocation loc, unsigned *offset)
{
    CXFile file;
    clang_getExpansionLocation(loc, &file, NULL, NULL, offset);
    return file;
}

/* Visitor for fe_push_children(): DATA is the fe_cursors stack. */
static enum CXChildVisitResult collect_child(CXCursor c, CXCursor parent,
                                             CXClientData data)
{
    (void)parent;
    fe_cursors *cs = data;
    if (cs->n == cs->cap) {
        cs->cap = cs->cap ? 2 * cs->cap : 256;
        cs->v = xrealloc(cs->v, cs->cap * sizeof *cs->v);
    }
    cs->v[cs->n++] = c;
    return CXChildVisit_Continue;
}

size_t fe_push_children(fe_state *st, CXCursor c)
{
    size_t base = st->cursors.n;
    clang_visitChildren(c, collect_child, &st->cursors);
    return base;
}

/* Appends a diagnostic (TEXT owned by the TU's arena) to the TU. */
static void add_diag(fe_state *st, ir_severity sev, sc_loc loc,
                     const char *text)
{
    ir_diag *d = arena_alloc(st->a, sizeof *d);
    d->severity = sev;
    d->loc = loc;
    d->text = text;
    fe_vec_push(&st->diags, d);
    if (sev == IR_SEV_ERROR)
        st->tu->has_errors = true;
}

void fe_error(fe_state *st, sc_loc loc, const char *message)
{
    const char *text = loc.file
                           ? arena_printf(st->a, "%s:%u:%u: error: %s",
                                          loc.file, loc.line, loc.col, message)
                           : arena_printf(st->a, "error: %s", message);
    add_diag(st, IR_SEV_ERROR, loc, text);
}

bool fe_eval_int(CXCursor c, int64_t *value)
{
    CXEvalResult r = clang_Cursor_Evaluate(c);
    if (!r)
        return false;
    bool ok = false;
    if (clang_EvalResult_getKind(r) == CXEval_Int) {
        if (clang_EvalResult_isUnsignedInt(r)) {
            unsigned long long u = clang_EvalResult_getAsUnsigned(r);
            if (u <= INT64_MAX) {
                *value = (int64_t)u;
                ok = true;
            }
        } else {
            *value = clang_EvalResult_getAsLongLong(r);
            ok = true;
        }
    }
    clang_EvalResult_dispose(r);
    return ok;
}

/* ---- Types ----------------------------------------------------------- */

/* Whether K is one of the four array type kinds. */
static bool is_array_kind(enum CXTypeKind k)
{
    return k == CXType_ConstantArray || k == CXType_IncompleteArray ||
           k == CXType_VariableArray || k == CXType_DependentSizedArray;
}

/* The shape-relevant class of a canonical type kind. */
static ir_type_class class_of(enum CXTypeKind k)
{
    switch (k) {
    case CXType_Bool:
    case CXType_Char_U:
    case CXType_UChar:
    case CXType_Char16:
    case CXType_Char32:
    case CXType_UShort:
    case CXType_UInt:
    case CXType_ULong:
    case CXType_ULongLong:
    case CXType_UInt128:
    case CXType_Char_S:
    case CXType_SChar:
    case CXType_WChar:
    case CXType_Short:
    case CXType_Int:
    case CXType_Long:
    case CXType_LongLong:
    case CXType_Int128:
    case CXType_Enum:
        return IR_TYPE_INT;
    case CXType_Float:
    case CXType_Double:
    case CXType_LongDouble:
    case CXType_Half:
    case CXType_Float16:
    case CXType_Float128:
    case CXType_BFloat16:
        return IR_TYPE_FLOAT;
    case CXType_Pointer:
        return IR_TYPE_POINTER;
    case CXType_ConstantArray:
    case CXType_IncompleteArray:
    case CXType_VariableArray:
    case CXType_DependentSizedArray:
        return IR_TYPE_ARRAY;
    case CXType_Record:
        return IR_TYPE_RECORD;
    default:
        return IR_TYPE_OTHER;
    }
}

/* Whether canonical integer type kind K is signed (plain char is, on the
   targets that define it so: clang says Char_S). */
static bool signed_kind(enum CXTypeKind k)
{
    switch (k) {
    case CXType_Char_S:
    case CXType_SChar:
    case CXType_WChar:
    case CXType_Short:
    case CXType_Int:
    case CXType_Long:
    case CXType_LongLong:
    case CXType_Int128:
        return true;
    default:
        return false;
    }
}

/* The width and signedness of canonical integer type C into OUT: the
   target's sizes (clang_Type_getSizeOf, remembered per kind), an enum by
   its underlying type, _Bool as 1 bit. */
static void int_facts(fe_state *st, CXType c, ir_type *out)
{
    if (c.kind == CXType_Enum) {
        CXCursor decl = clang_getTypeDeclaration(c);
        c = clang_getCanonicalType(clang_getEnumDeclIntegerType(decl));
        if (c.kind == CXType_Enum || class_of(c.kind) != IR_TYPE_INT)
            return;
    }
    if (c.kind == CXType_Bool) {
        out->int_bits = 1;
        out->int_signed = false;
        return;
    }
    uint8_t bits = 0;
    if ((unsigned)c.kind < sizeof st->int_bits)
        bits = st->int_bits[c.kind];
    if (!bits) {
        long long size = clang_Type_getSizeOf(c);
        bits = size > 0 && size <= 16 ? (uint8_t)(size * 8) : 0;
        if ((unsigned)c.kind < sizeof st->int_bits)
            st->int_bits[c.kind] = bits;
    }
    out->int_bits = bits;
    out->int_signed = signed_kind(c.kind);
}

/* The size in bytes of one element of canonical pointer or array type C:
   what the pointer points to, an array's innermost element; 0 when not
   known (void, incomplete, variable size).  Sizes of builtin types are
   remembered per kind. */
static uint32_t elem_bytes(fe_state *st, CXType c)
{
    CXType e = clang_getCanonicalType(clang_getPointeeType(c));
    if (c.kind != CXType_Pointer)
        for (e = c; is_array_kind(e.kind);)
            e = clang_getCanonicalType(clang_getArrayElementType(e));
    bool builtin = (unsigned)e.kind < sizeof st->builtin_bytes;
    if (builtin && st->builtin_bytes[e.kind])
        return st->builtin_bytes[e.kind] - 1;
    long long size = clang_Type_getSizeOf(e);
    uint32_t bytes = size > 0 && size <= UINT32_MAX ? (uint32_t)size : 0;
    if (builtin && bytes < 255)
        st->builtin_bytes[e.kind] = (uint8_t)(bytes + 1);
    return bytes;
}

/* VALUE in decimal, in the TU's arena (printf is slow for this many). */
static const char *decimal(fe_state *st, int64_t value)
{
    char buf[24], *p = buf + sizeof buf;
    uint64_t u = value < 0 ? 0 - (uint64_t)value : (uint64_t)value;
    *--p = '\0';
    do
        *--p = (char)('0' + u % 10);
    while (u /= 10);
    if (value < 0)
        *--p = '-';
    return arena_strndup(st->a, p, (size_t)(buf + sizeof buf - 1 - p));
}

ir_node *fe_int_node(fe_state *st, int64_t value, sc_loc loc)
{
    ir_node *n = arena_alloc(st->a, sizeof *n);
    n->kind = IR_INT;
    n->value = value;
    n->loc = loc;
    n->text = decimal(st, value);
    n->type.cls = IR_TYPE_INT;
    n->type.int_bits = 64; /* an array size: size_t (LP64) */
    return n;
}

static ir_record *fe_record(fe_state *st, CXCursor decl);

/* One entry per array level of canonical type C: constant sizes as IR_INT
   nodes, NULL for the others (a VLA's size is filled in by the caller
   that has the declaration). */
static void array_dims(fe_state *st, CXType c, ir_type *out)
{
    uint32_t rank = 0;
    for (CXType e = c; is_array_kind(e.kind); e = clang_getArrayElementType(e))
        rank++;
    out->array_rank = rank;
    out->array_dims = arena_array(st->a, rank, sizeof *out->array_dims);
    uint32_t i = 0;
    for (CXType e = c; is_array_kind(e.kind);
         e = clang_getArrayElementType(e), i++)
        if (e.kind == CXType_ConstantArray)
            out->array_dims[i] =
                fe_int_node(st, clang_getArraySize(e), (sc_loc){NULL, 0, 0});
}

void fe_type(fe_state *st, CXType t, ir_type *out)
{
    memset(out, 0, sizeof *out);
    CXType c = clang_getCanonicalType(t);
    out->cls = class_of(c.kind);
    out->is_const_qualified = clang_isConstQualifiedType(c) != 0;
    if (c.kind == CXType_Pointer)
        out->pointee_const =
            clang_isConstQualifiedType(clang_getPointeeType(c)) != 0;
    if (out->cls == IR_TYPE_ARRAY)
        array_dims(st, c, out);
    else if (out->cls == IR_TYPE_INT)
        int_facts(st, c, out);
    CXType e = c;
    for (;;) {
        if (e.kind == CXType_Pointer) {
            out->pointer_depth++;
            e = clang_getCanonicalType(clang_getPointeeType(e));
        } else if (is_array_kind(e.kind)) {
            e = clang_getCanonicalType(clang_getArrayElementType(e));
        } else {
            break;
        }
    }
    if (out->cls == IR_TYPE_POINTER || out->cls == IR_TYPE_ARRAY) {
        out->elem_cls = class_of(e.kind);
        out->elem_bytes = elem_bytes(st, c);
    }
    if (e.kind == CXType_Record) {
        CXCursor d = clang_getTypeDeclaration(e);
        if (!clang_Cursor_isNull(d))
            out->record = fe_record(st, d);
    }
}

/* Fills the entries of TYPE (declared as T) from the declaration's size
   expressions st->cursors.v[base, base + n): a VLA level gets its size
   expression, a constant level keeps its value but takes the text as
   written ("BATCH", not "32") for messages.  libclang visits the array
   levels' sizes innermost first, after any other expression in the type,
   so the outermost level's size is the last one. */
static void array_size_exprs(fe_state *st, CXType t, ir_type *type, size_t base,
                             size_t n)
{
    size_t sized = 0, level = 0;
    for (CXType e = t; is_array_kind(e.kind) && level < type->array_rank;
         e = clang_getArrayElementType(e), level++)
        if (e.kind != CXType_IncompleteArray)
            sized++;
    if (sized > n)
        return;
    size_t j = 0;
    level = 0;
    for (CXType e = t; is_array_kind(e.kind) && level < type->array_rank;
         e = clang_getArrayElementType(e), level++) {
        if (e.kind == CXType_IncompleteArray)
            continue;
        CXCursor size = st->cursors.v[base + n - 1 - j];
        if (e.kind == CXType_VariableArray) {
            type->array_dims[level] = fe_expr(st, size);
        } else if (e.kind == CXType_ConstantArray && type->array_dims[level]) {
            ir_node *written = fe_expr(st, size);
            if (written->kind == IR_INT &&
                written->value == type->array_dims[level]->value) {
                type->array_dims[level] = written;
                /* Macros it names are traced in notes, as in annotations. */
                fe_vec_push(&st->ann_texts, (void *)written->text);
            }
        }
        j++;
    }
}

/* ---- Annotations ----------------------------------------------------- */

/* An annotation, with where it is written (for the macros in force). */
typedef struct ann_entry {
    ir_annotation *ann;
    CXFile file;
    unsigned offset;
} ann_entry;

/* Splits annotate string S ("shapecheck:KIND:TEXT") into *KIND and *TEXT
   (pointing into S); false for other annotations. */
static bool parse_annotation(const char *s, ir_ann_kind *kind,
                             const char **text)
{
    static const struct {
        const char *prefix;
        ir_ann_kind kind;
    } kinds[] = {
        {"shapecheck:shape:", IR_ANN_SHAPE},
        {"shapecheck:returns:", IR_ANN_RETURNS},
        {"shapecheck:loss:", IR_ANN_LOSS},
    };
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        size_t n = strlen(kinds[i].prefix);
        if (strncmp(s, kinds[i].prefix, n) == 0) {
            *kind = kinds[i].kind;
            *text = s + n;
            return true;
        }
    }
    return false;
}

/* The shapecheck annotations among st->cursors.v[base, end), the children
   of DECL.  An annotation is inherited when clang copied it from an earlier
   declaration: it was written before DECL starts, or in another file. */
static void read_annotations(fe_state *st, CXCursor decl, size_t base,
                             size_t end, ir_annotation **out, uint32_t *n_out)
{
    size_t n = 0;
    for (size_t i = base; i < end; i++)
        if (clang_getCursorKind(st->cursors.v[i]) == CXCursor_AnnotateAttr)
            n++;
    *out = NULL;
    *n_out = 0;
    if (n == 0)
        return;
    /* Where DECL's name is, and (only when an annotation comes before it:
       it is written before the type, or inherited) where DECL starts. */
    unsigned name_off, decl_off = 0;
    CXFile name_file =
        expansion_offset(clang_getCursorLocation(decl), &name_off);
    CXFile decl_file = NULL;
    bool have_start = false;
    ir_annotation *anns = arena_array(st->a, n, sizeof *anns);
    uint32_t k = 0;
    for (size_t i = base; i < end; i++) {
        CXCursor attr = st->cursors.v[i];
        if (clang_getCursorKind(attr) != CXCursor_AnnotateAttr)
            continue;
        CXString s = clang_getCursorSpelling(attr);
        const char *spelling = clang_getCString(s), *text;
        ir_ann_kind kind;
        if (spelling && parse_annotation(spelling, &kind, &text)) {
            ir_annotation *a = &anns[k++];
            a->kind = kind;
            a->text = arena_strdup(st->a, text);
            CXFile file;
            unsigned off;
            a->loc = fe_loc_at(st, clang_getCursorLocation(attr), &file, &off);
            /* The start of a declaration comes before its name in the
               file: an annotation after the name is its own. */
            if (file == name_file && off >= name_off) {
                a->inherited = false;
            } else {
                if (!have_start) {
                    decl_file = expansion_offset(
                        clang_getRangeStart(clang_getCursorExtent(decl)),
                        &decl_off);
                    have_start = true;
                }
                a->inherited = file != decl_file || off < decl_off;
            }
            fe_vec_push(&st->ann_texts, (void *)a->text);
            ann_entry *e = arena_alloc(st->scratch, sizeof *e);
            e->ann = a;
            e->file = file;
            e->offset = off;
            fe_vec_push(&st->anns, e);
        }
        clang_disposeString(s);
    }
    if (k) {
        *out = anns;
        *n_out = k;
    }
}

/* Annotations of DECL, visiting its children only when it has attributes. */
static void decl_annotations(fe_state *st, CXCursor decl, ir_annotation **out,
                             uint32_t *n)
{
    *out = NULL;
    *n = 0;
    if (!clang_Cursor_hasAttrs(decl))
        return;
    size_t base = fe_push_children(st, decl);
    read_annotations(st, decl, base, st->cursors.n, out, n);
    st->cursors.n = base;
}

typedef struct attr_probe {
    bool found;
} attr_probe;

/* Visitor for has_shape_attr(): DATA is its attr_probe. */
static enum CXChildVisitResult probe_attr(CXCursor c, CXCursor parent,
                                          CXClientData data)
{
    (void)parent;
    attr_probe *probe = data;
    enum CXCursorKind k = clang_getCursorKind(c);
    if (!clang_isAttribute(k))
        return CXChildVisit_Break; /* attributes come first */
    if (k == CXCursor_AnnotateAttr) {
        CXString s = clang_getCursorSpelling(c);
        const char *spelling = clang_getCString(s);
        if (spelling && strncmp(spelling, "shapecheck:", 11) == 0)
            probe->found = true;
        clang_disposeString(s);
        if (probe->found)
            return CXChildVisit_Break;
    }
    return CXChildVisit_Continue;
}

/* Whether DECL carries a shapecheck annotation, own or inherited; cheap
   for the many header declarations that have none. */
static bool has_shape_attr(CXCursor decl)
{
    if (!clang_Cursor_hasAttrs(decl))
        return false;
    attr_probe probe = {false};
    clang_visitChildren(decl, probe_attr, &probe);
    return probe.found;
}

/* ---- Records, fields, enum constants --------------------------------- */

typedef struct pending_record {
    ir_record *record;
    CXCursor def;
} pending_record;

/* The tag of struct or union DEF, its typedef name when it has no tag, or
   "" (in the TU's arena). */
static const char *record_name(fe_state *st, CXCursor def)
{
    CXString s = clang_getCursorSpelling(def);
    const char *name = clang_getCString(s);
    if (name && *name && !strchr(name, '(') && !strchr(name, ' '))
        return take_string(st->a, s);
    clang_disposeString(s);
    /* An anonymous struct named by a typedef spells as the typedef. */
    s = clang_getTypeSpelling(clang_getCursorType(def));
    name = clang_getCString(s);
    if (name && *name && !strchr(name, '(') && !strchr(name, ' '))
        return take_string(st->a, s);
    clang_disposeString(s);
    return st->empty;
}

/* The record for any declaration of a struct or union, created on first
   use (its fields are read later, by drain_records); NULL when the TU has
   no definition of it. */
static ir_record *fe_record(fe_state *st, CXCursor decl)
{
    CXCursor def = clang_getCursorDefinition(decl);
    if (clang_Cursor_isNull(def))
        return NULL;
    ir_record *r = fe_map_get_cursor(&st->records, def);
    if (r)
        return r;
    r = arena_alloc(st->a, sizeof *r);
    r->name = record_name(st, def);
    r->is_union = clang_getCursorKind(def) == CXCursor_UnionDecl;
    r->loc = fe_cursor_loc(st, def);
    fe_map_put_cursor(&st->records, def, r);
    fe_vec_push(&st->record_list, r);
    pending_record *p = arena_alloc(st->scratch, sizeof *p);
    p->record = r;
    p->def = def;
    fe_vec_push(&st->pending_records, p);
    return r;
}

/* A new declaration of KIND with C's name and location; not registered. */
static ir_decl *new_decl(fe_state *st, ir_decl_kind kind, CXCursor c)
{
    ir_decl *d = arena_alloc(st->a, sizeof *d);
    d->kind = kind;
    d->name = take_string(st->a, clang_getCursorSpelling(c));
    d->loc = fe_cursor_loc(st, c);
    return d;
}

/* The field declared by C, registered under C. */
static ir_decl *new_field(fe_state *st, CXCursor c, const ir_record *parent)
{
    ir_decl *d = new_decl(st, IR_DECL_FIELD, c);
    d->parent = parent;
    fe_map_put_cursor(&st->decls, c, d);
    fe_type(st, clang_getCursorType(c), &d->type);
    if (clang_Cursor_isBitField(c)) {
        int width = clang_getFieldDeclBitWidth(c);
        d->bit_width = width > 0 && width <= 255 ? (uint8_t)width : 0;
    }
    decl_annotations(st, c, &d->annotations, &d->n_annotations);
    return d;
}

/* The enum constant declared by C, created (and listed) on first use. */
static ir_decl *fe_enum_const(fe_state *st, CXCursor c)
{
    ir_decl *d = fe_map_get_cursor(&st->decls, c);
    if (d)
        return d;
    d = new_decl(st, IR_DECL_ENUM, c);
    fe_map_put_cursor(&st->decls, c, d);
    d->type.cls = IR_TYPE_INT;
    /* the enum's underlying type (C gives the constant itself int, which
       it always fits in) */
    int_facts(st, clang_getCanonicalType(clang_getCursorType(c)), &d->type);
    d->has_value = true;
    d->value = clang_getEnumConstantDeclValue(c);
    fe_vec_push(&st->enums, d);
    return d;
}

/* Lists the constants of enum declaration E. */
static void fe_enum_decl(fe_state *st, CXCursor e)
{
    size_t base = fe_push_children(st, e), end = st->cursors.n;
    for (size_t i = base; i < end; i++)
        if (clang_getCursorKind(st->cursors.v[i]) == CXCursor_EnumConstantDecl)
            fe_enum_const(st, st->cursors.v[i]);
    st->cursors.n = base;
}

typedef struct fields_ctx {
    fe_state *st;
    ir_record *r;
} fields_ctx;

/* Visitor for fill_fields(): a field of the record, in order; the members
   that anonymous structs and unions are (implicit, unnamed) included,
   unnamed bit-fields (padding) left out. */
static enum CXVisitorResult field_visit(CXCursor c, CXClientData data)
{
    fields_ctx *ctx = data;
    fe_state *st = ctx->st;
    if (clang_Cursor_isBitField(c)) {
        CXString s = clang_getCursorSpelling(c);
        const char *name = clang_getCString(s);
        bool unnamed = !name || !*name;
        clang_disposeString(s);
        if (unnamed)
            return CXVisit_Continue;
    }
    ir_decl *d = fe_map_get_cursor(&st->decls, c);
    fe_vec_push(&st->field_tmp, d ? d : new_field(st, c, ctx->r));
    return CXVisit_Continue;
}

/* Reads the fields of R from its definition DEF (through its type, which
   lists the members anonymous structs and unions are); nested struct,
   union and enum definitions are recorded too. */
static void fill_fields(fe_state *st, ir_record *r, CXCursor def)
{
    size_t from = st->field_tmp.n;
    fields_ctx ctx = {st, r};
    clang_Type_visitFields(clang_getCursorType(def), field_visit, &ctx);
    size_t base = fe_push_children(st, def), end = st->cursors.n;
    for (size_t i = base; i < end; i++) {
        CXCursor c = st->cursors.v[i];
        switch (clang_getCursorKind(c)) {
        case CXCursor_StructDecl:
        case CXCursor_UnionDecl:
            fe_record(st, c); /* a nested definition */
            break;
        case CXCursor_EnumDecl:
            fe_enum_decl(st, c);
            break;
        default:
            break;
        }
    }
    st->cursors.n = base;
    r->fields = fe_vec_to_arena(st->a, &st->field_tmp, from, &r->n_fields);
    st->field_tmp.n = from;
}

/* Reads the fields of every record created so far.  A worklist rather than
   recursion: records that point to each other are common. */
static void drain_records(fe_state *st)
{
    while (st->pending_records.n) {
        pending_record *p = st->pending_records.v[--st->pending_records.n];
        fill_fields(st, p->record, p->def);
    }
}

/* The ir_decl of field C, reading its record first if need be. */
static ir_decl *fe_field(fe_state *st, CXCursor c)
{
    ir_decl *d = fe_map_get_cursor(&st->decls, c);
    if (d)
        return d;
    ir_record *r = fe_record(st, clang_getCursorSemanticParent(c));
    drain_records(st);
    d = fe_map_get_cursor(&st->decls, c);
    if (d)
        return d;
    /* An implicit field (an anonymous struct or union member). */
    return new_field(st, c, r);
}

/* ---- Variables and parameters ----------------------------------------- */

/* Fills D from variable declaration VAR.  CONVERT: also convert the
   initialiser and VLA sizes to IR (definitions in the main file). */
static void fill_var(fe_state *st, ir_decl *d, CXCursor var, bool convert)
{
    d->name = take_string(st->a, clang_getCursorSpelling(var));
    d->loc = fe_cursor_loc(st, var);
    /* "static" on any declaration of a global gives it internal linkage */
    if (clang_Cursor_getStorageClass(var) == CX_SC_Static)
        d->is_static = true;
    CXType t = clang_getCursorType(var);
    fe_type(st, t, &d->type);
    CXCursor init = clang_Cursor_getVarDeclInitializer(var);
    bool has_init = !clang_Cursor_isNull(init);
    bool sized = convert && d->type.cls == IR_TYPE_ARRAY;
    if (clang_Cursor_hasAttrs(var) || sized || (convert && has_init)) {
        size_t base = fe_push_children(st, var), end = st->cursors.n;
        ir_annotation *anns;
        uint32_t n_anns;
        read_annotations(st, var, base, end, &anns, &n_anns);
        if (n_anns) { /* a redeclaration without any keeps the old ones */
            d->annotations = anns;
            d->n_annotations = n_anns;
        }
        size_t n = 0; /* compact the expression children to [base, +n) */
        for (size_t i = base; i < end; i++)
            if (clang_isExpression(clang_getCursorKind(st->cursors.v[i])))
                st->cursors.v[base + n++] = st->cursors.v[i];
        size_t sizes = has_init && n ? n - 1 : n;
        if (sized)
            array_size_exprs(st, t, &d->type, base, sizes);
        if (convert && has_init && n) {
            CXCursor e = st->cursors.v[base + n - 1];
            d->init = fe_expr(st, e);
        }
        st->cursors.n = base;
    }
    int64_t value;
    if (d->type.cls == IR_TYPE_INT && d->type.is_const_qualified && has_init &&
        fe_eval_int(var, &value)) {
        d->has_value = true;
        d->value = value;
    }
}

/* The ir_decl of a file-scope variable, one for all its declarations
   (keyed by the first).  A redeclaration refreshes the facts: it carries
   the completed type and the annotations of the earlier ones. */
static ir_decl *fe_global(fe_state *st, CXCursor var, bool in_main)
{
    CXCursor canon = clang_getCanonicalCursor(var);
    ir_decl *d = fe_map_get_cursor(&st->decls, canon);
    if (!d) {
        d = arena_alloc(st->a, sizeof *d);
        d->kind = IR_DECL_GLOBAL;
        fe_map_put_cursor(&st->decls, canon, d);
        fe_vec_push(&st->globals, d);
    }
    fill_var(st, d, var, in_main);
    return d;
}

ir_decl *fe_local(fe_state *st, CXCursor var)
{
    if (clang_Cursor_hasVarDeclExternalStorage(var)) {
        fe_global(st, var, false);
        return NULL;
    }
    ir_decl *d = arena_alloc(st->a, sizeof *d);
    d->kind = IR_DECL_LOCAL;
    d->owner = st->cur_func;
    if (st->cur_func) {
        d->index = (uint32_t)st->locals.n;
        fe_vec_push(&st->locals, d);
    }
    /* Registered before its initialiser is converted: "int n = sizeof n". */
    fe_map_put_cursor(&st->decls, clang_getCanonicalCursor(var), d);
    fill_var(st, d, var, true);
    return d;
}

/* Parameter P, the INDEX-th of F (NULL when not known), registered. */
static ir_decl *fe_param(fe_state *st, CXCursor p, ir_func *f, uint32_t index)
{
    ir_decl *d = new_decl(st, IR_DECL_PARAM, p);
    d->owner = f;
    d->index = index;
    fe_map_put_cursor(&st->decls, p, d);
    fe_type(st, clang_getCursorType(p), &d->type);
    decl_annotations(st, p, &d->annotations, &d->n_annotations);
    return d;
}

ir_decl *fe_decl_for(fe_state *st, CXCursor decl)
{
    switch (clang_getCursorKind(decl)) {
    case CXCursor_VarDecl: {
        CXCursor canon = clang_getCanonicalCursor(decl);
        ir_decl *d = fe_map_get_cursor(&st->decls, canon);
        if (d)
            return d;
        enum CXCursorKind parent =
            clang_getCursorKind(clang_getCursorSemanticParent(canon));
        if (parent == CXCursor_TranslationUnit ||
            clang_Cursor_hasVarDeclExternalStorage(canon))
            return fe_global(st, canon, false);
        /* A local not seen yet (it should not happen): facts only. */
        d = new_decl(st, IR_DECL_LOCAL, canon);
        fe_map_put_cursor(&st->decls, canon, d);
        fe_type(st, clang_getCursorType(canon), &d->type);
        return d;
    }
    case CXCursor_ParmDecl: {
        ir_decl *d = fe_map_get_cursor(&st->decls, decl);
        return d ? d : fe_param(st, decl, NULL, 0);
    }
    case CXCursor_FieldDecl:
        return fe_field(st, decl);
    case CXCursor_EnumConstantDecl:
        return fe_enum_const(st, decl);
    default:
        return NULL;
    }
}

/* ---- Functions ------------------------------------------------------- */

/* tu->funcs is sorted by ORDER at the end: the top-level position of the
   declaration that made it (functions created on demand, at a call, go
   just before the function whose body calls them), then creation. */
typedef struct func_entry {
    ir_func *func;
    uint64_t order;
    CXCursor cursor; /* the declaration it was made from */
} func_entry;

/* The ir_func for declaration FN, created and listed on first use with
   its parameters and annotations (not its body).  TOP_LEVEL: made by the
   top-level traversal, not by a call. */
static ir_func *create_func(fe_state *st, CXCursor fn, bool top_level)
{
    func_entry *e = fe_map_get_cursor(&st->funcs, fn);
    if (e)
        return e->func;
    ir_func *f = arena_alloc(st->a, sizeof *f);
    e = arena_alloc(st->scratch, sizeof *e);
    e->func = f;
    e->cursor = fn;
    e->order = ((uint64_t)st->top_index << 33) |
               ((uint64_t)(top_level ? 1 : 0) << 32) |
               (uint64_t)st->func_list.n;
    fe_map_put_cursor(&st->funcs, fn, e);
    fe_vec_push(&st->func_list, e);

    f->name = take_string(st->a, clang_getCursorSpelling(fn));
    f->key = take_string(st->a, clang_getCursorUSR(fn));
    f->loc = fe_cursor_loc(st, fn);
    f->is_definition = clang_isCursorDefinition(fn) != 0;
    f->is_static = clang_Cursor_getStorageClass(fn) == CX_SC_Static;
    f->in_system_header =
        clang_Location_isInSystemHeader(clang_getCursorLocation(fn)) != 0;
    CXType t = clang_getCanonicalType(clang_getCursorType(fn));
    f->has_prototype = t.kind == CXType_FunctionProto;
    /* libclang calls "int f()" variadic too; has_prototype says that */
    f->is_variadic = f->has_prototype && clang_isFunctionTypeVariadic(t) == 1;
    fe_type(st, clang_getResultType(t), &f->ret);
    int n = clang_Cursor_getNumArguments(fn);
    if (n > 0) {
        f->params = arena_array(st->a, (size_t)n, sizeof *f->params);
        for (int i = 0; i < n; i++)
            f->params[i] = fe_param(
                st, clang_Cursor_getArgument(fn, (unsigned)i), f, (uint32_t)i);
        f->n_params = (uint32_t)n;
    }
    decl_annotations(st, fn, &f->annotations, &f->n_annotations);
    return f;
}

ir_func *fe_func(fe_state *st, CXCursor fn)
{
    return create_func(st, fn, false);
}

/* Whether function declaration FN or one of its parameters carries a
   shapecheck annotation. */
static bool func_is_annotated(CXCursor fn)
{
    if (has_shape_attr(fn))
        return true;
    int n = clang_Cursor_getNumArguments(fn);
    for (int i = 0; i < n; i++)
        if (has_shape_attr(clang_Cursor_getArgument(fn, (unsigned)i)))
            return true;
    return false;
}

/* ---- Deferred bodies ---------------------------------------------------
   A run that walks only the bodies that can report (engine/demand.c)
   needs of the others no more than whom they call.  Until the TU's first
   annotation, a body is scanned for that (cheap: one visit, no types, no
   places, no text) instead of converted; it is converted after all when
   it reads an annotated declaration or is nested deeper than the front
   end goes (so that its error is reported).  Later bodies are converted:
   an annotated unit is the one whose bodies are walked. */

typedef struct body_scan {
    fe_state *st;
    fe_vec calls;
    unsigned depth;
    bool convert; /* the scan found a reason to convert the body */
} body_scan;

static bool reads_annotation(CXCursor c, enum CXCursorKind k)
{
    switch (k) {
    case CXCursor_VarDecl:
        return has_shape_attr(c);
    case CXCursor_DeclRefExpr:
    case CXCursor_MemberRefExpr:
        return has_shape_attr(clang_getCursorReferenced(c));
    default:
        return false;
    }
}

static enum CXChildVisitResult scan_body_child(CXCursor c, CXCursor parent,
                                               CXClientData data)
{
    (void)parent;
    body_scan *b = data;
    enum CXCursorKind k = clang_getCursorKind(c);
    if (reads_annotation(c, k) || b->depth + 1 >= FE_MAX_DEPTH) {
        b->convert = true;
        return CXChildVisit_Break;
    }
    if (k == CXCursor_CallExpr) {
        ir_func *callee = fe_callee(b->st, c);
        if (callee)
            fe_vec_push(&b->calls, callee);
    }
    b->depth++;
    clang_visitChildren(c, scan_body_child, b);
    b->depth--;
    return b->convert ? CXChildVisit_Break : CXChildVisit_Continue;
}

/* Leaves BODY, F's, unconverted when the command says so and the scan
   finds no reason to convert it; returns whether it did. */
static bool defer_body(fe_state *st, ir_func *f, CXCursor body)
{
    if (!st->cmd || !st->cmd->defer_bodies || st->anns.n)
        return false;
    body_scan b = {.st = st};
    clang_visitChildren(body, scan_body_child, &b);
    /* A callee met first here was annotated: this body calls a function
       that gives shapes, so a walk needs it. */
    b.convert = b.convert || st->anns.n;
    if (!b.convert) {
        f->body_deferred = true;
        f->calls = fe_vec_to_arena(st->a, &b.calls, 0, &f->n_calls);
    }
    fe_vec_free(&b.calls);
    return !b.convert;
}

/* Converts the body of definition FN into F->body and F->locals. */
static void convert_body(fe_state *st, ir_func *f, CXCursor fn)
{
    size_t base = fe_push_children(st, fn), end = st->cursors.n;
    CXCursor body = clang_getNullCursor();
    for (size_t i = base; i < end; i++)
        if (clang_getCursorKind(st->cursors.v[i]) == CXCursor_CompoundStmt)
            body = st->cursors.v[i];
    st->cursors.n = base;
    if (clang_Cursor_isNull(body) || defer_body(st, f, body))
        return;
    st->cur_func = f;
    st->locals.n = 0;
    f->body = fe_stmt(st, body);
    f->locals = fe_vec_to_arena(st->a, &st->locals, 0, &f->n_locals);
    st->locals.n = 0;
    st->cur_func = NULL;
}

/* ---- Macros ---------------------------------------------------------- */

/* A position in translation order: the offsets of the #include
   directives that lead to a file, outermost first, then the offset in
   it.  V[0] is 0 for the predefines (built-in and command-line macros,
   -include files), 1 for the main file.  A file included twice is placed
   at its first inclusion. */
typedef struct fe_key {
    const uint32_t *v;
    uint32_t n;
} fe_key;

static int key_cmp(fe_key a, fe_key b)
{
    for (uint32_t i = 0; i < a.n && i < b.n; i++)
        if (a.v[i] != b.v[i])
            return a.v[i] < b.v[i] ? -1 : 1;
    return a.n < b.n ? -1 : a.n > b.n;
}

/* Where a file's content is in translation order (its key without the
   final offset). */
typedef struct fe_file_key {
    CXFile file;
    fe_key path;
} fe_file_key;

/* Visitor for clang_getInclusions: the path of each file read, once. */
static void file_key_visit(CXFile file, CXSourceLocation *stack, unsigned depth,
                           CXClientData data)
{
    fe_state *st = data;
    if (!file || fe_map_get(&st->file_keys, file))
        return;
    fe_file_key *k = arena_alloc(st->scratch, sizeof *k);
    uint32_t *v = arena_array(st->scratch, (size_t)depth + 1, sizeof *v);
    v[0] = 1;
    for (unsigned i = 0; i < depth; i++) {
        CXFile f;
        unsigned off;
        clang_getExpansionLocation(stack[depth - 1 - i], &f, NULL, NULL, &off);
        if (i == 0 && f != st->main_file)
            v[0] = 0; /* included from the predefines (-include) */
        v[i + 1] = off;
    }
    k->file = file;
    k->path = (fe_key){v, depth + 1};
    fe_map_put(&st->file_keys, file, k);
    fe_vec_push(&st->file_key_list, k);
}

/* The key of OFFSET in FILE (NULL: the predefines). */
static fe_key key_at(fe_state *st, CXFile file, unsigned offset)
{
    if (!st->have_file_keys) {
        st->have_file_keys = true;
        clang_getInclusions(st->ctu, file_key_visit, st);
    }
    fe_file_key *k = file ? fe_map_get(&st->file_keys, file) : NULL;
    uint32_t n = k ? k->path.n : 1;
    uint32_t *v = arena_array(st->scratch, (size_t)n + 1, sizeof *v);
    if (k)
        memcpy(v, k->path.v, n * sizeof *v);
    else
        v[0] = file ? 1 : 0; /* a file clang did not list: as the main one */
    v[n] = offset;
    return (fe_key){v, n + 1};
}

/* One definition of a name asked about. */
typedef struct macro_def {
    CXCursor cursor;
    uint32_t order; /* its index in st->macro_defs: translation order */
    bool function_like;
    bool kept;           /* in tu->macros (object-like only) */
    const char *body;    /* kept: tokens after the name, one space apart */
    const ir_macro *out; /* kept: its entry in tu->macros */
    bool have_key;
    fe_key key;
} macro_def;

/* A name asked about (by an annotation, a kept macro's body, an integer
   written as a macro name): its definitions and #undefs. */
typedef struct fe_macro {
    const char *name;
    bool resolved;  /* DEFS holds every definition */
    bool kept;      /* its object-like definitions go to tu->macros */
    fe_vec defs;    /* macro_def, in translation order */
    fe_vec undefs;  /* fe_key *, of the #undef lines found */
    uint32_t stamp; /* annotation_macros(): already seen */
} fe_macro;

/* Remembers a macro definition.  A TU's headers define a thousand macros
   or so, of which annotations name a handful: names are read only for the
   names annotations (and kept macros' bodies) ask about (resolve_names). */
static void macro_definition(fe_state *st, CXCursor c)
{
    fe_cursors *defs = &st->macro_defs;
    if (defs->n == defs->cap) {
        defs->cap = defs->cap ? 2 * defs->cap : 256;
        defs->v = xrealloc(defs->v, defs->cap * sizeof *defs->v);
    }
    defs->v[defs->n++] = c;
}

/* The definition's tokens after the name, joined by one space. */
static const char *macro_body(fe_state *st, CXCursor c)
{
    CXToken *tokens = NULL;
    unsigned n = 0;
    clang_tokenize(st->ctu, clang_getCursorExtent(c), &tokens, &n);
    char *buf = NULL;
    size_t len = 0;
    for (unsigned i = 1; i < n; i++) {
        CXString s = clang_getTokenSpelling(st->ctu, tokens[i]);
        const char *tok = clang_getCString(s);
        size_t k = tok ? strlen(tok) : 0;
        buf = xrealloc(buf, len + k + 2);
        if (len)
            buf[len++] = ' ';
        memcpy(buf + len, tok ? tok : "", k);
        len += k;
        clang_disposeString(s);
    }
    if (tokens)
        clang_disposeTokens(st->ctu, tokens, n);
    const char *body = arena_strndup(st->a, buf ? buf : "", len);
    free(buf);
    return body;
}

/* The next name in *S (advanced past it) into NAME; false at the end of
   the text.  Numbers are skipped with their suffixes ("32UL"), and so are
   names too long for NAME. */
static bool next_name(const char **s, char name[256])
{
    const char *p = *s;
    while (*p) {
        if (isalpha((unsigned char)*p) || *p == '_') {
            const char *start = p;
            while (isalnum((unsigned char)*p) || *p == '_')
                p++;
            size_t n = (size_t)(p - start);
            if (n >= 256)
                continue;
            memcpy(name, start, n);
            name[n] = '\0';
            *s = p;
            return true;
        } else if (isdigit((unsigned char)*p)) {
            while (isalnum((unsigned char)*p) || *p == '_' || *p == '.')
                p++;
        } else {
            p++;
        }
    }
    *s = p;
    return false;
}

/* The entry of NAME, made (unresolved) on first request. */
static fe_macro *request_name(fe_state *st, const char *name, bool *added)
{
    fe_macro *m = fe_map_get(&st->macros, name);
    if (!m) {
        m = arena_alloc(st->scratch, sizeof *m);
        m->name = arena_strdup(st->scratch, name);
        fe_map_put(&st->macros, m->name, m);
        *added = true;
    }
    return m;
}

/* Asks about the names in TEXT; whether any is new. */
static bool request_names(fe_state *st, const char *text)
{
    char name[256];
    bool added = false;
    for (const char *s = text; next_name(&s, name);)
        request_name(st, name, &added);
    return added;
}

/* Past this many rounds of requests, every definition's name is read at
   once (a chain of macros each naming the next). */
#define MACRO_ROUNDS 4

/* Gives each name asked about its definitions: one pass over the
   definitions for all of them (after MACRO_ROUNDS passes, for every name
   there is). */
static void resolve_names(fe_state *st)
{
    bool all = ++st->macro_rounds > MACRO_ROUNDS;
    if (st->macro_all)
        return;
    st->macro_all = all;
    for (size_t i = 0; i < st->macro_defs.n; i++) {
        CXCursor c = st->macro_defs.v[i];
        CXString s = clang_getCursorSpelling(c);
        const char *spelled = clang_getCString(s);
        fe_macro *m = NULL;
        if (spelled && *spelled) {
            bool added = false;
            m = all ? request_name(st, spelled, &added)
                    : fe_map_get(&st->macros, spelled);
        }
        clang_disposeString(s);
        if (!m || m->resolved)
            continue;
        macro_def *d = arena_alloc(st->scratch, sizeof *d);
        d->cursor = c;
        d->order = (uint32_t)i;
        d->function_like = clang_Cursor_isMacroFunctionLike(c) != 0;
        fe_vec_push(&m->defs, d);
    }
    for (size_t i = 0; i < st->macros.cap; i++) {
        fe_macro *m = st->macros.slots[i].value;
        if (m)
            m->resolved = true;
    }
}

/* Marks the names in TEXT kept (their object-like definitions go to
   tu->macros), appending the definitions newly kept to KEPT. */
static void keep_names(fe_state *st, const char *text, fe_vec *kept)
{
    char name[256];
    for (const char *s = text; next_name(&s, name);) {
        fe_macro *m = fe_map_get(&st->macros, name);
        if (!m || m->kept)
            continue;
        m->kept = true;
        for (size_t i = 0; i < m->defs.n; i++) {
            macro_def *d = m->defs.v[i];
            if (!d->function_like && !d->kept) {
                d->kept = true;
                fe_vec_push(kept, d);
            }
        }
    }
}

static int compare_defs(const void *a, const void *b)
{
    const macro_def *x = *(macro_def *const *)a, *y = *(macro_def *const *)b;
    return x->order < y->order ? -1 : x->order > y->order;
}

/* The key of definition D. */
static fe_key def_key(fe_state *st, macro_def *d)
{
    if (!d->have_key) {
        CXFile file;
        unsigned offset;
        clang_getExpansionLocation(clang_getCursorLocation(d->cursor), &file,
                                   NULL, NULL, &offset);
        d->key = key_at(st, file, offset);
        d->have_key = true;
    }
    return d->key;
}

/* Whether the text of annotation E names a macro that has a definition;
   its key into *KEY when so. */
static bool annotation_needs_key(fe_state *st, const ann_entry *e, fe_key *key)
{
    char name[256];
    for (const char *s = e->ann->text; next_name(&s, name);) {
        fe_macro *m = fe_map_get(&st->macros, name);
        if (m && m->defs.n) {
            *key = key_at(st, e->file, e->offset);
            return true;
        }
    }
    return false;
}

/* The start of the directive on the line of S that holds I, if the line
   is "# undef NAME" with NAME asked about: NAME's entry, else NULL. */
static fe_macro *undef_line(fe_state *st, const char *s, size_t size,
                            size_t hash)
{
    fe_tok t;
    size_t end = hash;
    while (end < size && s[end] != '\n')
        end++;
    if (!fe_lex(s, hash, end, &t) || !fe_tok_is(s, &t, "#") ||
        !fe_lex(s, t.end, end, &t) || !fe_tok_is(s, &t, "undef") ||
        !fe_lex(s, t.end, end, &t) || t.kind != 'i' || t.end - t.begin >= 256)
        return NULL;
    char name[256];
    memcpy(name, s + t.begin, t.end - t.begin);
    name[t.end - t.begin] = '\0';
    fe_macro *m = fe_map_get(&st->macros, name);
    return m && m->defs.n ? m : NULL;
}

/* Whether OFFSET of FILE is in a part that the preprocessor skipped
   ("#if 0" ...); SKIPPED: FILE's skipped ranges, read on first use. */
static bool is_skipped(fe_state *st, CXFile file, unsigned offset,
                       CXSourceRangeList **skipped)
{
    if (!*skipped)
        *skipped = clang_getSkippedRanges(st->ctu, file);
    for (unsigned i = 0; *skipped && i < (*skipped)->count; i++) {
        unsigned from, to;
        CXSourceRange r = (*skipped)->ranges[i];
        clang_getExpansionLocation(clang_getRangeStart(r), NULL, NULL, NULL,
                                   &from);
        clang_getExpansionLocation(clang_getRangeEnd(r), NULL, NULL, NULL, &to);
        if (from <= offset && offset < to)
            return true;
    }
    return false;
}

/* Whether S[0, N) contains WORD (memchr for its first letter). */
static bool contains(const char *s, size_t n, const char *word)
{
    size_t k = strlen(word);
    for (const char *p = s, *end = s + n;
         (p = memchr(p, word[0], (size_t)(end - p))) != NULL; p++)
        if ((size_t)(end - p) >= k && memcmp(p, word, k) == 0)
            return true;
    return false;
}

/* Records the "#undef NAME" lines of FILE for the names asked about:
   directives at the start of a line outside comments and literals, in
   parts the preprocessor did not skip.  Files without "undef" in their
   text are passed over at memchr's speed. */
static void scan_undefs_in(fe_state *st, const fe_file_key *k)
{
    fe_file *f = fe_file_get(st, k->file);
    if (!f || !fe_file_contents(st, f) ||
        !contains(f->contents, f->size, "undef"))
        return;
    const char *s = f->contents;
    size_t n = f->size;
    CXSourceRangeList *skipped = NULL;
    bool line_start = true;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == '\n') {
            line_start = true;
        } else if (c == '\\' && i + 1 < n &&
                   (s[i + 1] == '\n' || s[i + 1] == '\r')) {
            i++;
        } else if (c == '/' && i + 1 < n && s[i + 1] == '*') {
            for (i += 2; i + 1 < n && !(s[i] == '*' && s[i + 1] == '/'); i++)
                ;
            i++;
        } else if (c == '/' && i + 1 < n && s[i + 1] == '/') {
            while (i + 1 < n && s[i + 1] != '\n')
                i += s[i + 1] == '\\' && i + 2 < n ? 2 : 1;
        } else if (c == '"' || c == '\'') {
            for (i++; i < n && s[i] != c && s[i] != '\n'; i++)
                i += s[i] == '\\';
            line_start = false;
        } else if (c == '#' && line_start) {
            fe_macro *m = undef_line(st, s, n, i);
            if (m && !is_skipped(st, k->file, (unsigned)i, &skipped)) {
                fe_key *key = arena_alloc(st->scratch, sizeof *key);
                *key = key_at(st, k->file, (unsigned)i);
                fe_vec_push(&m->undefs, key);
            }
            line_start = false;
        } else if (!isspace((unsigned char)c)) {
            line_start = false;
        }
    }
    if (skipped)
        clang_disposeSourceRangeList(skipped);
}

/* "-U NAME" on the command line after any "-D NAME": NAME's command-line
   and built-in definitions are not in force in any file. */
static void command_line_undefs(fe_state *st)
{
    const fe_command *cmd = st->cmd;
    for (int i = 1; cmd && i < cmd->argc; i++) {
        const char *a = cmd->argv[i];
        if (strncmp(a, "-U", 2) != 0)
            continue;
        const char *name = a[2]                ? a + 2
                           : i + 1 < cmd->argc ? cmd->argv[i + 1]
                                               : "";
        size_t len = strlen(name);
        bool later_define = false;
        for (int j = i + 1; j < cmd->argc; j++) {
            const char *b = cmd->argv[j];
            const char *dn = strncmp(b, "-D", 2) == 0
                                 ? (b[2]                ? b + 2
                                    : j + 1 < cmd->argc ? cmd->argv[j + 1]
                                                        : "")
                                 : NULL;
            if (dn && strncmp(dn, name, len) == 0 &&
                (dn[len] == '\0' || dn[len] == '=' || dn[len] == '('))
                later_define = true;
        }
        fe_macro *m = len < 256 ? fe_map_get(&st->macros, name) : NULL;
        if (!m || later_define || !m->defs.n)
            continue;
        uint32_t last = 0; /* after its definitions in the predefines */
        for (size_t d = 0; d < m->defs.n; d++) {
            fe_key k = def_key(st, m->defs.v[d]);
            if (k.n == 2 && k.v[0] == 0 && k.v[1] + 1 > last)
                last = k.v[1] + 1;
        }
        if (!last)
            continue;
        fe_key *key = arena_alloc(st->scratch, sizeof *key);
        *key = key_at(st, NULL, last);
        fe_vec_push(&m->undefs, key);
    }
}

/* Reads the #undef lines that can matter: those of the files whose text
   lies between the first definition of a kept name and the last
   annotation that names a defined macro. */
static void scan_undefs(fe_state *st, fe_key lo, fe_key hi)
{
    command_line_undefs(st);
    for (size_t i = 0; i < st->file_key_list.n; i++) {
        const fe_file_key *k = st->file_key_list.v[i];
        fe_file *f = fe_file_get(st, k->file);
        uint32_t *v =
            arena_array(st->scratch, (size_t)k->path.n + 1, sizeof *v);
        memcpy(v, k->path.v, k->path.n * sizeof *v);
        v[k->path.n] = 0;
        fe_key first = {v, k->path.n + 1};
        fe_key last = k->path; /* a prefix: before anything in the file... */
        uint32_t *w =
            arena_array(st->scratch, (size_t)k->path.n + 1, sizeof *w);
        memcpy(w, k->path.v, k->path.n * sizeof *w);
        w[k->path.n] = f && f->contents_loaded ? (uint32_t)f->size : UINT32_MAX;
        last = (fe_key){w, k->path.n + 1}; /* ...so its end is this */
        if (key_cmp(last, lo) > 0 && key_cmp(first, hi) < 0)
            scan_undefs_in(st, k);
    }
}

/* The definition of M in force at KEY: the last one before it with no
   #undef in between; NULL if none. */
static macro_def *in_force(fe_state *st, fe_macro *m, fe_key key)
{
    for (size_t i = m->defs.n; i-- > 0;) {
        macro_def *d = m->defs.v[i];
        fe_key dk = def_key(st, d);
        if (key_cmp(dk, key) >= 0)
            continue;
        for (size_t u = 0; u < m->undefs.n; u++) {
            fe_key uk = *(fe_key *)m->undefs.v[u];
            if (key_cmp(dk, uk) < 0 && key_cmp(uk, key) < 0)
                return NULL;
        }
        return d;
    }
    return NULL;
}

/* Most macros listed for one annotation (a chain of macros each naming
   the next is followed this far, the nearest first). */
#define MAX_ANNOTATION_MACROS 256

/* Fills E's macros: for each name its text uses, then each name in the
   bodies of those, the definition in force at KEY (object-like only). */
static void annotation_macros(fe_state *st, ann_entry *e, fe_key key)
{
    const macro_def *found[MAX_ANNOTATION_MACROS];
    uint32_t n = 0;
    uint32_t stamp = ++st->macro_stamp;
    const char *texts[MAX_ANNOTATION_MACROS + 1];
    uint32_t n_texts = 0;
    texts[n_texts++] = e->ann->text;
    for (uint32_t t = 0; t < n_texts && n < MAX_ANNOTATION_MACROS; t++) {
        char name[256];
        for (const char *s = texts[t];
             next_name(&s, name) && n < MAX_ANNOTATION_MACROS;) {
            fe_macro *m = fe_map_get(&st->macros, name);
            if (!m || m->stamp == stamp)
                continue;
            m->stamp = stamp;
            macro_def *d = m->defs.n ? in_force(st, m, key) : NULL;
            if (!d || d->function_like || !d->out)
                continue;
            found[n++] = d;
            texts[n_texts++] = d->body;
        }
    }
    if (!n)
        return;
    const ir_macro **list = arena_array(st->a, n, sizeof *list);
    for (uint32_t i = 0; i < n; i++)
        list[i] = found[i]->out;
    e->ann->macros = list;
    e->ann->n_macros = n;
}

/* The definition of M last before KEY (one that is #undef'd is not
   looked for: a name used as a macro there is defined there), NULL if
   none. */
static macro_def *last_before(fe_state *st, fe_macro *m, fe_key key)
{
    for (size_t i = m->defs.n; i-- > 0;)
        if (key_cmp(def_key(st, m->defs.v[i]), key) < 0)
            return m->defs.v[i];
    return NULL;
}

const fe_define *fe_macro_defined_at(fe_state *st, const char *name, size_t len,
                                     CXFile file, unsigned offset)
{
    char buf[256];
    if (len >= sizeof buf)
        return NULL;
    memcpy(buf, name, len);
    buf[len] = '\0';
    if (!st->macro_all) { /* every definition's name, once */
        st->macro_rounds = MACRO_ROUNDS;
        resolve_names(st);
    }
    fe_macro *m = fe_map_get(&st->macros, buf);
    macro_def *d = m ? last_before(st, m, key_at(st, file, offset)) : NULL;
    return d ? fe_define_of(st, d->cursor) : NULL;
}

/* An integer written as a macro name, waiting for its definition. */
typedef struct node_macro {
    ir_node *node;
    CXFile file;
    unsigned offset;
} node_macro;

void fe_int_macro(fe_state *st, ir_node *n, CXFile file, unsigned offset)
{
    node_macro *p = arena_alloc(st->scratch, sizeof *p);
    p->node = n;
    p->file = file;
    p->offset = offset;
    fe_vec_push(&st->node_macros, p);
    fe_vec_push(&st->ann_texts, (void *)n->text); /* its name is kept */
}

/* The macros of the TU (ir.h): every definition of the object-like
   macros that annotations name (and array sizes, and integers written as
   a macro name), directly or through kept macros' bodies, in translation
   order; then, for each annotation, the definitions in force where it is
   written; then each integer's definition. */
static void finish_macros(fe_state *st)
{
    fe_vec kept = {0};
    bool requested = false;
    for (size_t i = 0; i < st->ann_texts.n; i++)
        requested |= request_names(st, st->ann_texts.v[i]);
    if (requested)
        resolve_names(st);
    for (size_t i = 0; i < st->ann_texts.n; i++)
        keep_names(st, st->ann_texts.v[i], &kept);
    for (size_t i = 0; i < kept.n; i++) {
        macro_def *d = kept.v[i];
        d->body = macro_body(st, d->cursor);
        if (request_names(st, d->body))
            resolve_names(st);
        keep_names(st, d->body, &kept);
    }
    if (kept.n > 1)
        qsort(kept.v, kept.n, sizeof *kept.v, compare_defs);
    ir_tu *tu = st->tu;
    tu->n_macros = (uint32_t)kept.n;
    tu->macros = kept.n ? arena_array(st->a, kept.n, sizeof *tu->macros) : NULL;
    fe_key lo = {NULL, 0};
    for (size_t i = 0; i < kept.n; i++) {
        macro_def *d = kept.v[i];
        CXString s = clang_getCursorSpelling(d->cursor);
        tu->macros[i].name = take_string(st->a, s);
        tu->macros[i].body = d->body;
        tu->macros[i].loc = fe_cursor_loc(st, d->cursor);
        d->out = &tu->macros[i];
        if (!lo.v || key_cmp(def_key(st, d), lo) < 0)
            lo = def_key(st, d);
    }
    fe_vec_free(&kept);

    /* The annotations that name a defined macro, where they are. */
    fe_vec keyed = {0}, keys = {0};
    fe_key hi = {NULL, 0};
    for (size_t i = 0; lo.v && i < st->anns.n; i++) {
        fe_key *k = arena_alloc(st->scratch, sizeof *k);
        if (!annotation_needs_key(st, st->anns.v[i], k))
            continue;
        fe_vec_push(&keyed, st->anns.v[i]);
        fe_vec_push(&keys, k);
        if (!hi.v || key_cmp(*k, hi) > 0)
            hi = *k;
    }
    if (keyed.n && key_cmp(lo, hi) < 0)
        scan_undefs(st, lo, hi);
    for (size_t i = 0; i < keyed.n; i++)
        annotation_macros(st, keyed.v[i], *(fe_key *)keys.v[i]);
    fe_vec_free(&keyed);
    fe_vec_free(&keys);

    for (size_t i = 0; i < st->node_macros.n; i++) {
        node_macro *p = st->node_macros.v[i];
        fe_macro *m = fe_map_get(&st->macros, p->node->text);
        macro_def *d =
            m ? last_before(st, m, key_at(st, p->file, p->offset)) : NULL;
        p->node->macro = d ? d->out : NULL; /* NULL: function-like */
    }
}

/* ---- Top-level traversal --------------------------------------------- */

/* Whether C is written in the main file (where macros are used, for a
   declaration that a macro expands to). */
static bool in_main_file(fe_state *st, CXCursor c)
{
    CXFile file;
    clang_getExpansionLocation(clang_getCursorLocation(c), &file, NULL, NULL,
                               NULL);
    return file && file == st->main_file;
}

/* A top-level function declaration: kept when annotated, or when it is a
   definition in the main file (then with its body). */
static void top_function(fe_state *st, CXCursor fn)
{
    bool body = clang_isCursorDefinition(fn) && in_main_file(st, fn);
    if (!body && !func_is_annotated(fn))
        return; /* created later if a main-file body calls it */
    ir_func *f = create_func(st, fn, true);
    if (body)
        convert_body(st, f, fn);
}

/* The definitions, in the project's own headers, of the functions the TU
   uses (static inline helpers, mostly): their bodies feed the summaries
   as a main-file body would.  A worklist over the function list, which
   grows as bodies call further functions; system headers are left out. */
static void convert_header_bodies(fe_state *st)
{
    for (size_t i = 0; i < st->func_list.n; i++) {
        func_entry *e = st->func_list.v[i];
        if (e->func->body || e->func->body_deferred)
            continue;
        CXCursor def = clang_getCursorDefinition(e->cursor);
        if (clang_Cursor_isNull(def) || in_main_file(st, def) ||
            clang_Location_isInSystemHeader(clang_getCursorLocation(def)))
            continue;
        ir_func *f = create_func(st, def, false);
        if (!f->body && !f->body_deferred) {
            st->top_index++;
            st->depth = 0;
            st->too_deep_reported = false;
            convert_body(st, f, def);
        }
    }
}

/* Visitor for the TU's top-level cursors (DATA: the fe_state).  Header
   declarations are cheap to skip: only a cursor kind is looked at for
   most of them, and no header body is entered. */
static enum CXChildVisitResult visit_top(CXCursor c, CXCursor parent,
                                         CXClientData data)
{
    (void)parent;
    fe_state *st = data;
    st->top_index++;
    st->depth = 0;
    st->too_deep_reported = false;
    switch (clang_getCursorKind(c)) {
    case CXCursor_MacroDefinition:
        macro_definition(st, c);
        break;
    case CXCursor_FunctionDecl:
        top_function(st, c);
        break;
    case CXCursor_VarDecl:
        fe_global(st, c, in_main_file(st, c));
        break;
    case CXCursor_StructDecl:
    case CXCursor_UnionDecl:
        if (clang_isCursorDefinition(c))
            fe_record(st, c);
        break;
    case CXCursor_EnumDecl:
        fe_enum_decl(st, c);
        break;
    default:
        break;
    }
    drain_records(st);
    return CXChildVisit_Continue;
}

/* ---- Compiler diagnostics and unknown options ------------------------- */

/* Whether MSG is one of clang's "this option is not for me" errors: not
   a compiler error (SPEC 5), never recorded. */
static bool is_option_error(const char *msg)
{
    static const char *const prefixes[] = {
        "unknown argument",
        "unsupported option '",
        "unsupported argument '",
        "invalid argument '",
    };
    for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++)
        if (strncmp(msg, prefixes[i], strlen(prefixes[i])) == 0)
            return true;
    return strstr(msg, "' hasn't been enabled") != NULL;
}

/* Whether MSG contains S between single quotes. */
static bool quotes(const char *msg, const char *s, size_t n)
{
    for (const char *p = strchr(msg, '\''); p; p = strchr(p + 1, '\''))
        if (strncmp(p + 1, s, n) == 0 && p[1 + n] == '\'')
            return true;
    return false;
}

/* Whether driver error MSG (one without a location) is about option ARG
   of the command: it quotes it ("unknown argument: '-fconserve-stack'",
   "unsupported option '-mrecord-mcount' for target ...") or quotes its
   value and names the option ("unsupported argument 'kcfi' to option
   'fsanitize='", "invalid argument 'kernelx' to -mcmodel="). */
static bool names_option(const char *msg, const char *arg)
{
    if (quotes(msg, arg, strlen(arg)))
        return true;
    const char *eq = strchr(arg, '=');
    if (!eq || !eq[1] || !quotes(msg, eq + 1, strlen(eq + 1)))
        return false;
    char name[256];
    size_t n = (size_t)(eq + 1 - arg);
    if (n >= sizeof name)
        return false;
    memcpy(name, arg, n);
    name[n] = '\0';
    return strstr(msg, name) || strstr(msg, name + 1); /* "fsanitize=" */
}

/* Whether OPT is among the options FE drops. */
static bool fe_knows_unknown(const frontend *fe, const char *opt)
{
    for (size_t i = 0; i < fe->n_unknown; i++)
        if (strcmp(fe->unknown[i], opt) == 0)
            return true;
    return false;
}

/* Adds OPT (copied) to the options FE drops. */
static void fe_add_unknown(frontend *fe, const char *opt)
{
    if (fe->n_unknown == fe->cap_unknown) {
        fe->cap_unknown = fe->cap_unknown ? 2 * fe->cap_unknown : 8;
        fe->unknown =
            xrealloc(fe->unknown, fe->cap_unknown * sizeof *fe->unknown);
    }
    fe->unknown[fe->n_unknown++] = xstrdup(opt);
}

/* Adds the options of CMD that CTU's location-less errors name to the
   frontend's list.  Returns whether any was new. */
static bool learn_from_diagnostics(frontend *fe, CXTranslationUnit ctu,
                                   const fe_command *cmd)
{
    bool learned = false;
    unsigned n = clang_getNumDiagnostics(ctu);
    for (unsigned i = 0; i < n; i++) {
        CXDiagnostic d = clang_getDiagnostic(ctu, i);
        CXFile file = NULL;
        clang_getExpansionLocation(clang_getDiagnosticLocation(d), &file, NULL,
                                   NULL, NULL);
        if (clang_getDiagnosticSeverity(d) >= CXDiagnostic_Error && !file) {
            CXString s = clang_getDiagnosticSpelling(d);
            const char *msg = clang_getCString(s);
            for (int j = 1; msg && j < cmd->argc; j++) {
                const char *arg = cmd->argv[j];
                if (arg[0] == '-' && !fe_knows_unknown(fe, arg) &&
                    names_option(msg, arg)) {
                    fe_add_unknown(fe, arg);
                    learned = true;
                }
            }
            clang_disposeString(s);
        }
        clang_disposeDiagnostic(d);
    }
    return learned;
}

/* When libclang gives no TU at all (a value the driver or the target
   rejects outright, "-march=znver99", leaves no diagnostics to read), finds
   the options that fail on their own, compiling /dev/null as C.  Options
   followed by a separate value are not tried.  Returns whether any was
   new. */
static bool learn_by_probing(frontend *fe, const fe_command *cmd)
{
    bool learned = false;
    for (int i = 1; i < cmd->argc; i++) {
        const char *arg = cmd->argv[i];
        if (i + 1 < cmd->argc && cmd->argv[i + 1][0] != '-') {
            i++; /* "-isystem DIR" and the like */
            continue;
        }
        if (arg[0] != '-' || fe_knows_unknown(fe, arg))
            continue;
        const char *argv[] = {cmd->argv[0] ? cmd->argv[0] : "clang", arg, "-x",
                              "c", "/dev/null"};
        CXTranslationUnit tu = NULL;
        enum CXErrorCode rc = clang_parseTranslationUnit2FullArgv(
            fe->index, NULL, argv, 5, NULL, 0, CXTranslationUnit_None, &tu);
        if (tu)
            clang_disposeTranslationUnit(tu);
        if (rc != CXError_Success || !tu) {
            fe_add_unknown(fe, arg);
            learned = true;
        }
    }
    return learned;
}

/* Records CTU's errors and fatal errors (warnings are not shown). */
static void read_diagnostics(fe_state *st)
{
    unsigned n = clang_getNumDiagnostics(st->ctu);
    for (unsigned i = 0; i < n; i++) {
        CXDiagnostic d = clang_getDiagnostic(st->ctu, i);
        CXString spelling = clang_getDiagnosticSpelling(d);
        const char *msg = clang_getCString(spelling);
        bool option_error = msg && is_option_error(msg);
        clang_disposeString(spelling);
        if (clang_getDiagnosticSeverity(d) >= CXDiagnostic_Error &&
            !option_error) {
            const char *text = take_string(
                st->a, clang_formatDiagnostic(
                           d, clang_defaultDiagnosticDisplayOptions()));
            add_diag(st, IR_SEV_ERROR,
                     fe_loc(st, clang_getDiagnosticLocation(d)), text);
        }
        clang_disposeDiagnostic(d);
    }
}

/* ---- The command line ------------------------------------------------ */

typedef struct fe_args {
    const char **v;
    int n;
} fe_args;

/* Appends S (not copied); build_args() sized the array. */
static void args_add(fe_args *args, const char *s)
{
    args->v[args->n++] = s;
}

/* Whether the command makes some warnings errors of their own
   ("-Werror=vla", "-pedantic-errors"): errors the build would stop on,
   which "-w" would silence. */
static bool has_warning_errors(const fe_command *cmd)
{
    for (int i = 1; i < cmd->argc; i++) {
        const char *a = cmd->argv[i];
        if (strncmp(a, "-Werror=", 8) == 0 ||
            strcmp(a, "-pedantic-errors") == 0 ||
            strcmp(a, "-Werror-implicit-function-declaration") == 0)
            return true;
    }
    return false;
}

/* The command's argv without the known-unknown options, then the
   checker's own: see frontend_parse(). */
static fe_args build_args(const frontend *fe, const fe_command *cmd)
{
    int extra = 9 + 2 * fe->n_force_includes;
    fe_args args = {
        xrealloc(NULL, (size_t)(cmd->argc + extra) * sizeof(char *)), 0};
    args_add(&args, cmd->argc > 0 && cmd->argv[0] ? cmd->argv[0] : "clang");
    for (int i = 1; i < cmd->argc; i++)
        if (!fe_knows_unknown(fe, cmd->argv[i]))
            args_add(&args, cmd->argv[i]);
    args_add(&args, "-D__SHAPECHECK__");
    /* GCC-only warning options are not our business, and a -Werror build
       must not fail here on warnings only clang emits. */
    args_add(&args, "-Wno-unknown-warning-option");
    args_add(&args, "-Wno-error");
    /* No warning is ever shown: "-w" spares clang the work of finding them
       (the flow-based ones build a CFG of every function body), unless
       some warning is an error the user asked for. */
    if (!has_warning_errors(cmd))
        args_add(&args, "-w");
    if (fe->include_dir) {
        args_add(&args, "-idirafter");
        args_add(&args, fe->include_dir);
    }
    for (int i = 0; i < fe->n_force_includes; i++) {
        args_add(&args, "-include");
        args_add(&args, fe->force_includes[i]);
    }
    if (cmd->directory) {
        args_add(&args, "-working-directory");
        args_add(&args, cmd->directory);
    }
    args_add(&args, cmd->file);
    return args;
}

/* A lower-case reason for errno value E, as in our other messages. */
static const char *errno_text(int e)
{
    switch (e) {
    case ENOENT:
        return "no such file or directory";
    case EACCES:
        return "permission denied";
    case ENOTDIR:
        return "not a directory";
    case ELOOP:
        return "too many levels of symbolic links";
    case ENAMETOOLONG:
        return "file name too long";
    default:
        return "cannot be read";
    }
}

/* "FILE: WHY" into ERR, when the caller gave a buffer. */
static void set_err(char *err, size_t size, const char *file, const char *why)
{
    if (err && size)
        snprintf(err, size, "%s: %s", file, why);
}

/* Whether CMD's file exists and is readable (relative to its directory). */
static bool check_file(const fe_command *cmd, char *err, size_t err_size)
{
    if (!cmd->file || !*cmd->file) {
        set_err(err, err_size, "(none)", "no file to parse");
        return false;
    }
    size_t n =
        strlen(cmd->file) + (cmd->directory ? strlen(cmd->directory) : 0);
    char *path = xrealloc(NULL, n + 2);
    if (cmd->file[0] != '/' && cmd->directory && *cmd->directory)
        snprintf(path, n + 2, "%s/%s", cmd->directory, cmd->file);
    else
        snprintf(path, n + 2, "%s", cmd->file);
    const char *why = NULL;
    struct stat sb;
    if (stat(path, &sb) != 0)
        why = errno_text(errno);
    else if (S_ISDIR(sb.st_mode))
        why = "is a directory";
    else if (access(path, R_OK) != 0)
        why = errno_text(errno);
    free(path);
    if (why)
        set_err(err, err_size, cmd->file, why);
    return why == NULL;
}

/* ---- The frontend ---------------------------------------------------- */

/* PATH made absolute (the commands run in other directories), or a copy. */
static char *absolute(const char *path)
{
    char *real = realpath(path, NULL);
    return real ? real : xstrdup(path);
}

static frontend *module_create(const char *include_dir,
                               const char *const *force_includes,
                               int n_force_includes)
{
    frontend *fe = xrealloc(NULL, sizeof *fe);
    memset(fe, 0, sizeof *fe);
    fe->index = clang_createIndex(0, 0);
    fe->cwd = getcwd(NULL, 0);
    fe->include_dir = include_dir ? absolute(include_dir) : NULL;
    if (n_force_includes > 0) {
        fe->force_includes = xrealloc(NULL, (size_t)n_force_includes *
                                                sizeof *fe->force_includes);
        for (int i = 0; i < n_force_includes; i++)
            fe->force_includes[i] = absolute(force_includes[i]);
        fe->n_force_includes = n_force_includes;
    }
    return fe;
}

static void module_set_root(frontend *fe, const char *dir)
{
    free(fe->cwd);
    fe->cwd = dir ? xstrdup(dir) : NULL;
}

static void module_destroy(frontend *fe)
{
    if (!fe)
        return;
    clang_disposeIndex(fe->index);
    free(fe->include_dir);
    for (int i = 0; i < fe->n_force_includes; i++)
        free(fe->force_includes[i]);
    free(fe->force_includes);
    for (size_t i = 0; i < fe->n_unknown; i++)
        free(fe->unknown[i]);
    free(fe->unknown);
    free(fe->cwd);
    free(fe);
}

/* Frees the per-parse bookkeeping (not the TU, which the caller gets). */
static void state_free(fe_state *st)
{
    for (size_t i = 0; i < st->macros.cap; i++) {
        fe_macro *m = st->macros.slots[i].value;
        if (m) {
            fe_vec_free(&m->defs);
            fe_vec_free(&m->undefs);
        }
    }
    fe_map *maps[] = {&st->decls,          &st->funcs,        &st->records,
                      &st->macros,         &st->files,        &st->file_names,
                      &st->defines,        &st->init_members, &st->file_keys,
                      &st->invocation_ends};
    for (size_t i = 0; i < sizeof maps / sizeof maps[0]; i++)
        fe_map_free(maps[i]);
    fe_vec *vecs[] = {&st->func_list,       &st->globals,      &st->enums,
                      &st->record_list,     &st->diags,        &st->ann_texts,
                      &st->pending_records, &st->nodes,        &st->field_tmp,
                      &st->locals,          &st->inputs,       &st->anns,
                      &st->node_macros,     &st->file_key_list};
    for (size_t i = 0; i < sizeof vecs / sizeof vecs[0]; i++)
        fe_vec_free(vecs[i]);
    free(st->cursors.v);
    free(st->macro_defs.v);
    arena_free(st->scratch);
}

/* qsort order of func_entry pointers: by ORDER. */
static int compare_func_entries(const void *a, const void *b)
{
    const func_entry *x = *(func_entry *const *)a, *y = *(func_entry *const *)b;
    return x->order < y->order ? -1 : x->order > y->order;
}

static void add_input(CXFile file, CXSourceLocation *stack, unsigned depth,
                      CXClientData data)
{
    (void)stack, (void)depth;
    fe_state *st = data;
    CXString name = clang_getFileName(file);
    const char *s = clang_getCString(name);
    if (s && *s)
        fe_vec_push(&st->inputs, arena_strdup(st->a, s));
    clang_disposeString(name);
}

/* The files the TU was made of, for the cache (driver.c). */
static void collect_inputs(fe_state *st)
{
    clang_getInclusions(st->ctu, add_input, st);
    st->tu->inputs = (const char **)fe_vec_to_arena(st->a, &st->inputs, 0,
                                                    &st->tu->n_inputs);
}

/* Moves the collected lists into the TU. */
static void finish_tu(fe_state *st)
{
    ir_tu *tu = st->tu;
    if (st->func_list.n > 1)
        qsort(st->func_list.v, st->func_list.n, sizeof *st->func_list.v,
              compare_func_entries);
    for (size_t i = 0; i < st->func_list.n; i++) {
        ir_func *f = ((func_entry *)st->func_list.v[i])->func;
        f->tu = tu;
        st->func_list.v[i] = f;
    }
    tu->funcs = fe_vec_to_arena(st->a, &st->func_list, 0, &tu->n_funcs);
    tu->globals = fe_vec_to_arena(st->a, &st->globals, 0, &tu->n_globals);
    tu->enums = fe_vec_to_arena(st->a, &st->enums, 0, &tu->n_enums);
    tu->records = fe_vec_to_arena(st->a, &st->record_list, 0, &tu->n_records);
    tu->n_diags = (uint32_t)st->diags.n;
    if (st->diags.n) {
        tu->diags = arena_array(st->a, st->diags.n, sizeof *tu->diags);
        for (size_t i = 0; i < st->diags.n; i++)
            tu->diags[i] = *(ir_diag *)st->diags.v[i];
    }
}

/* The facts of parsed CTU, in a new TU with its own arena. */
static ir_tu *extract(const frontend *fe, CXTranslationUnit ctu,
                      const fe_command *cmd)
{
    arena *a = arena_new_shared(); /* a worker's TU goes to the checker */
    ir_tu *tu = arena_alloc(a, sizeof *tu);
    tu->arena = a;
    tu->main_file = arena_strdup(a, cmd->file);

    fe_state st;
    memset(&st, 0, sizeof st);
    st.ctu = ctu;
    st.tu = tu;
    st.cwd = fe->cwd;
    st.a = a;
    st.empty = arena_strdup(a, "");
    st.scratch = arena_new();
    st.decls.kind = st.funcs.kind = st.records.kind = FE_MAP_CURSOR;
    st.init_members.kind = FE_MAP_CURSOR;
    st.file_keys.kind = st.invocation_ends.kind = FE_MAP_POINTER;
    st.cmd = cmd;
    st.macros.kind = st.file_names.kind = FE_MAP_STRING;
    st.files.kind = st.defines.kind = FE_MAP_POINTER;
    CXString spelling = clang_getTranslationUnitSpelling(ctu);
    st.main_file = clang_getFile(ctu, clang_getCString(spelling));
    clang_disposeString(spelling);

    read_diagnostics(&st);
    clang_visitChildren(clang_getTranslationUnitCursor(ctu), visit_top, &st);
    convert_header_bodies(&st);
    collect_inputs(&st);
    drain_records(&st);
    finish_macros(&st);
    finish_tu(&st);
    state_free(&st);
    return tu;
}

/* The options of CMD that this frontend drops, copied into TU's arena. */
static void report_dropped(const frontend *fe, const fe_command *cmd, ir_tu *tu,
                           const char ***dropped, int *n_dropped)
{
    const char **list = NULL;
    int n = 0;
    for (int i = 1; i < cmd->argc; i++) {
        if (!fe_knows_unknown(fe, cmd->argv[i]))
            continue;
        if (!list)
            list = arena_array(tu->arena, (size_t)cmd->argc, sizeof *list);
        list[n++] = arena_strdup(tu->arena, cmd->argv[i]);
    }
    if (dropped)
        *dropped = list;
    if (n_dropped)
        *n_dropped = n;
}

static ir_tu *module_parse(frontend *fe, const fe_command *cmd,
                           const char ***dropped, int *n_dropped, char *err,
                           size_t err_size)
{
    if (dropped)
        *dropped = NULL;
    if (n_dropped)
        *n_dropped = 0;
    if (!cmd->unsaved && !check_file(cmd, err, err_size))
        return NULL;
    struct CXUnsavedFile unsaved = {cmd->file, cmd->unsaved,
                                    (unsigned long)cmd->unsaved_length};
    unsigned n_unsaved = cmd->unsaved ? 1 : 0;
    CXTranslationUnit ctu = NULL;
    for (int attempt = 0;; attempt++) {
        fe_args args = build_args(fe, cmd);
        enum CXErrorCode rc = clang_parseTranslationUnit2FullArgv(
            fe->index, NULL, args.v, args.n, n_unsaved ? &unsaved : NULL,
            n_unsaved, PARSE_OPTIONS, &ctu);
        free(args.v);
        if (rc != CXError_Success || !ctu) {
            ctu = NULL;
            if (attempt < 3 && learn_by_probing(fe, cmd))
                continue;
            set_err(
                err, err_size, cmd->file,
                rc == CXError_Crashed
                    ? "libclang crashed while parsing it"
                    : "libclang could not parse it (bad compiler arguments?)");
            return NULL;
        }
        if (attempt >= 3 || !learn_from_diagnostics(fe, ctu, cmd))
            break;
        clang_disposeTranslationUnit(ctu); /* parse again without them */
        ctu = NULL;
    }
    ir_tu *tu = extract(fe, ctu, cmd);
    clang_disposeTranslationUnit(ctu);
    report_dropped(fe, cmd, tu, dropped, n_dropped);
    return tu;
}

/* The module's one exported symbol (frontend_module.h). */
__attribute__((visibility("default")))
const frontend_module shapecheck_frontend_module = {
    .version = FRONTEND_MODULE_VERSION,
    .create = module_create,
    .destroy = module_destroy,
    .set_root = module_set_root,
    .parse = module_parse,
};
