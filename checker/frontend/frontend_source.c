/*
 * frontend_source.c - the front end's view of the source: containers,
 * files and locations, tokens, #define lines, and which macro definition
 * is in force where (annotations name macros as written there).  Below
 * declarations and expressions: it converts no cursor to the IR but
 * integer macro uses.
 */
#include "frontend_internal.h"

#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* ---- Allocation and containers --------------------------------------- */

/* realloc that aborts when out of memory, as arena.c does. */
void *xrealloc(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    if (!p) {
        fputs("shapecheck: out of memory\n", stderr);
        abort();
    }
    return p;
}

/* A malloc'd copy of S; the caller frees it. */
char *xstrdup(const char *s)
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
const char *take_string(arena *a, CXString s)
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
CXFile expansion_offset(CXSourceLocation loc, unsigned *offset)
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
void add_diag(fe_state *st, ir_severity sev, sc_loc loc, const char *text)
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

/* Remembers a macro definition.  A TU's headers define a thousand macros
   or so, of which annotations name a handful: names are read only for the
   names annotations (and kept macros' bodies) ask about (resolve_names). */
void macro_definition(fe_state *st, CXCursor c)
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
void finish_macros(fe_state *st)
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
