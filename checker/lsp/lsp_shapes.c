/*
 * lsp_shapes.c - hover and inlay hints: the shapes the last analysis of a
 * document recorded (shape_facts.h), found by position.
 *
 * The analysis says what a variable holds where it is declared, where it
 * takes a shape and where it is read, so a hover on any of those places
 * shows the shape there.  Elsewhere (a use the analysis did not walk, such
 * as one inside sizeof) the nearest earlier declaration of the name in the
 * function stands in, with the latest shape recorded for it before the
 * cursor.
 *
 * At a call whose SHAPE parameter gave an unannotated pointer its shape,
 * the hover shows what the pointer held before the call, where it came
 * from: "inferred from the call to 'f'" would only name the call the
 * cursor is on.
 */
#define _POSIX_C_SOURCE 200809L /* open_memstream */

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "finding.h"
#include "lsp_internal.h"

/* Inlay hints show at most this many different shapes of one variable. */
#define HINT_SHAPES_MAX 3

/* LSP InlayHintKind */
enum { LSP_HINT_TYPE = 1 };

static int loc_cmp(sc_loc a, sc_loc b)
{
    if (a.line != b.line)
        return a.line < b.line ? -1 : 1;
    return a.col < b.col ? -1 : a.col > b.col;
}

/* File names in the facts are interned: one pointer per file. */
static bool same_loc(sc_loc a, sc_loc b)
{
    return a.file == b.file && a.line == b.line && a.col == b.col;
}

static bool named(const shape_fact *f, const char *name, size_t len)
{
    return strlen(f->name) == len && memcmp(f->name, name, len) == 0;
}

/* ---- Finding the fact ------------------------------------------------- */

typedef struct cursor {
    const char *name; /* the identifier under the cursor (not terminated) */
    size_t len;
    sc_loc at; /* its first byte, as the facts locate things */
} cursor;

/* The identifier at byte AT of the line S (LEN bytes), or just before it
   (a cursor after the last letter): [*B, *E).  Not a number. */
static bool ident_at(const char *s, size_t len, size_t at, size_t *b, size_t *e)
{
    if (at > len)
        at = len;
    if ((at == len || !lsp_is_ident_byte(s[at])) && at > 0 &&
        lsp_is_ident_byte(s[at - 1]))
        at--;
    if (at >= len || !lsp_is_ident_byte(s[at]))
        return false;
    *b = *e = at;
    while (*b > 0 && lsp_is_ident_byte(s[*b - 1]))
        (*b)--;
    while (*e < len && lsp_is_ident_byte(s[*e]))
        (*e)++;
    return !isdigit((unsigned char)s[*b]);
}

/* The last fact recorded at the cursor: a declaration, an assignment or
   argument that gave a shape (recorded after the read at the same place),
   a use. */
static const shape_fact *fact_at(const lsp_document *doc, const cursor *c)
{
    const shape_fact *best = NULL;
    for (size_t i = 0; i < doc->facts.n; i++) {
        const shape_fact *f = &doc->facts.items[i];
        if (same_loc(f->at, c->at) && named(f, c->name, c->len))
            best = f;
    }
    return best;
}

/* The read recorded at the cursor: what the variable held there, before
   a call at the same place gave it a shape. */
static const shape_fact *use_at(const lsp_document *doc, const cursor *c)
{
    for (size_t i = 0; i < doc->facts.n; i++) {
        const shape_fact *f = &doc->facts.items[i];
        if (f->kind == SHAPE_FACT_USED && same_loc(f->at, c->at) &&
            named(f, c->name, c->len))
            return f;
    }
    return NULL;
}

/* A fact about the variable declared at the cursor (a global is not
   "declared" in a body, but its uses name its declaration). */
static const shape_fact *fact_of_decl(const lsp_document *doc, const cursor *c)
{
    for (size_t i = 0; i < doc->facts.n; i++) {
        const shape_fact *f = &doc->facts.items[i];
        if (same_loc(f->decl, c->at) && named(f, c->name, c->len))
            return f;
    }
    return NULL;
}

/* The function the cursor is in: the last one starting before it. */
static bool enclosing_function(const lsp_document *doc, const cursor *c,
                               sc_loc *func)
{
    bool found = false;
    for (size_t i = 0; i < doc->facts.n; i++) {
        const shape_fact *f = &doc->facts.items[i];
        if (f->func.file == c->at.file && loc_cmp(f->func, c->at) <= 0 &&
            (!found || loc_cmp(f->func, *func) > 0)) {
            *func = f->func;
            found = true;
        }
    }
    return found;
}

/* The nearest declaration of the name before the cursor, in its
   function, and the latest fact about it before the cursor. */
static const shape_fact *fact_before(const lsp_document *doc, const cursor *c)
{
    sc_loc func = {NULL, 0, 0};
    if (!enclosing_function(doc, c, &func))
        return NULL;
    const shape_fact *decl = NULL;
    for (size_t i = 0; i < doc->facts.n; i++) {
        const shape_fact *f = &doc->facts.items[i];
        if (f->kind == SHAPE_FACT_DECLARED && same_loc(f->func, func) &&
            named(f, c->name, c->len) && loc_cmp(f->decl, c->at) <= 0 &&
            (!decl || loc_cmp(f->decl, decl->decl) > 0))
            decl = f;
    }
    const shape_fact *best = decl;
    for (size_t i = 0; decl && i < doc->facts.n; i++) {
        const shape_fact *f = &doc->facts.items[i];
        if (same_loc(f->decl, decl->decl) && named(f, c->name, c->len) &&
            loc_cmp(f->at, c->at) <= 0 && loc_cmp(f->at, best->at) >= 0)
            best = f;
    }
    return best;
}

/* ---- Markdown ----------------------------------------------------------- */

/* TEXT with the characters that markdown would take for emphasis, code or
   HTML escaped ('_' only where it is not inside a word). */
static void put_escaped(FILE *out, const char *text)
{
    for (const char *p = text; *p; p++) {
        bool inside_word = p > text && isalnum((unsigned char)p[-1]) &&
                           isalnum((unsigned char)p[1]);
        if (strchr("\\`*<", *p) || (*p == '_' && !inside_word))
            fputc('\\', out);
        fputc(*p, out);
    }
}

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

/* "- 'x' declared with shape [B], B = 32 (train.c:30)", one per note. */
static void put_notes(FILE *out, arena *a, const shape_fact *f)
{
    for (size_t i = 0; i < f->n_notes; i++) {
        const diag_note *n = &f->notes[i];
        fputs("- ", out);
        put_escaped(out, finding_utf8(a, n->message));
        if (n->loc.file)
            fprintf(out, " (%s:%u)", finding_utf8(a, base_name(n->loc.file)),
                    n->loc.line);
        fputc('\n', out);
    }
}

/* What a hover or a tooltip shows: the fact, and for a hover at a call
   that gave the variable its shape, that fact (the call's reading). */
typedef struct shown {
    const shape_fact *fact;
    const shape_fact *read_as;
} shown;

/* {"kind": "markdown", "value": ...} from what WRITE puts in a stream. */
static cJSON *markdown(void (*write)(FILE *, arena *, const shown *),
                       const shown *what)
{
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    if (!out)
        return NULL;
    arena *a = arena_new();
    write(out, a, what);
    fclose(out);
    arena_free(a);
    cJSON *m = cJSON_CreateObject();
    cJSON_AddStringToObject(m, "kind", "markdown");
    cJSON_AddStringToObject(m, "value", text);
    free(text);
    return m;
}

/* "`logits`: shape `[32, 10]`", then where it came from.  At a call that
   gave it its shape: what it held before, and how the call reads it. */
static void write_hover(FILE *out, arena *a, const shown *what)
{
    const shape_fact *f = what->fact, *r = what->read_as;
    const char *name = finding_utf8(a, f->name);
    if (f->shape)
        fprintf(out, "`%s`: shape `%s`", name, finding_utf8(a, f->shape));
    else if (r)
        fprintf(out, "`%s`: no known shape before this call", name);
    else
        fprintf(out, "`%s`: no known shape here", name);
    if (r && r->shape && (!f->shape || strcmp(r->shape, f->shape) != 0)) {
        fprintf(out, "; `%s` reads it as `%s`", finding_utf8(a, r->callee),
                finding_utf8(a, r->shape));
    }
    if (f->n_notes)
        fputs("\n\n", out);
    put_notes(out, a, f);
}

/* ---- Hover ------------------------------------------------------------ */

cJSON *lsp_hover(const lsp_document *doc, unsigned line, unsigned character)
{
    size_t start, len, b, e;
    if (!doc->fact_file ||
        !lsp_line(&doc->lines, doc->text, doc->len, line, &start, &len))
        return NULL;
    const char *s = doc->text + start;
    if (!ident_at(s, len, lsp_utf16_bytes(s, len, character), &b, &e))
        return NULL;
    cursor c = {s + b, e - b, {doc->fact_file, line + 1, (unsigned)b + 1}};
    shown what = {fact_at(doc, &c), NULL};
    if (what.fact && what.fact->kind == SHAPE_FACT_TAKEN &&
        what.fact->inferred) {
        const shape_fact *before = use_at(doc, &c);
        if (before) /* the call's reading is no source: what it held */
            what = (shown){before, what.fact};
    }
    if (!what.fact)
        what.fact = fact_of_decl(doc, &c);
    if (!what.fact)
        what.fact = fact_before(doc, &c);
    if (!what.fact || !what.fact->can_hold)
        return NULL;
    cJSON *contents = markdown(write_hover, &what);
    if (!contents)
        return NULL;
    cJSON *hover = cJSON_CreateObject();
    cJSON_AddItemToObject(hover, "contents", contents);
    cJSON_AddItemToObject(hover, "range",
                          lsp_range_json(line, lsp_utf16_units(s, b), line,
                                         lsp_utf16_units(s, e)));
    return hover;
}

/* ---- Inlay hints -------------------------------------------------------- */

/* The shapes DECL took (distinct, in order, at most HINT_SHAPES_MAX) as
   the hint's label ": [32, 10] | [64]"; NULL if it took none.  *FIRST is
   the first fact that gave one. */
static char *taken_shapes(const lsp_document *doc, const shape_fact *decl,
                          const shape_fact **first)
{
    const char *shapes[HINT_SHAPES_MAX];
    size_t n = 0, size = 3;
    *first = NULL;
    for (size_t i = 0; i < doc->facts.n && n < HINT_SHAPES_MAX; i++) {
        const shape_fact *f = &doc->facts.items[i];
        if (f->kind != SHAPE_FACT_TAKEN || !f->shape ||
            !same_loc(f->decl, decl->decl) || strcmp(f->name, decl->name))
            continue;
        bool seen = false;
        for (size_t k = 0; k < n; k++)
            seen = seen || strcmp(shapes[k], f->shape) == 0;
        if (seen)
            continue;
        if (!*first)
            *first = f;
        shapes[n++] = f->shape;
        size += strlen(f->shape) + 3;
    }
    char *label = n ? malloc(size) : NULL;
    if (!label)
        return NULL;
    strcpy(label, ": ");
    for (size_t k = 0; k < n; k++) {
        if (k)
            strcat(label, " | ");
        strcat(label, shapes[k]);
    }
    return label;
}

static void write_tooltip(FILE *out, arena *a, const shown *what)
{
    put_notes(out, a, what->fact);
}

/* Where the hint for DECL goes: just after its name, if the name is
   really there (not produced by a macro). */
static bool hint_position(const lsp_document *doc, const shape_fact *decl,
                          unsigned *line, unsigned *character)
{
    size_t start, len, n = strlen(decl->name);
    *line = decl->decl.line - 1;
    if (!lsp_line(&doc->lines, doc->text, doc->len, *line, &start, &len))
        return false;
    size_t at = decl->decl.col - 1, end = at + n;
    const char *s = doc->text + start;
    if (end > len || memcmp(s + at, decl->name, n) != 0 ||
        (end < len && lsp_is_ident_byte(s[end])))
        return false;
    *character = lsp_utf16_units(s, end);
    return true;
}

static cJSON *inlay_hint(const lsp_document *doc, const shape_fact *decl)
{
    unsigned line, character;
    const shape_fact *first;
    if (!hint_position(doc, decl, &line, &character))
        return NULL;
    char *label = taken_shapes(doc, decl, &first);
    if (!label)
        return NULL;
    arena *a = arena_new();
    cJSON *hint = cJSON_CreateObject();
    cJSON_AddItemToObject(hint, "position", lsp_position_json(line, character));
    cJSON_AddStringToObject(hint, "label", finding_utf8(a, label));
    cJSON_AddNumberToObject(hint, "kind", LSP_HINT_TYPE);
    cJSON_AddBoolToObject(hint, "paddingLeft", true);
    shown what = {first, NULL};
    cJSON *tooltip = first->n_notes ? markdown(write_tooltip, &what) : NULL;
    if (tooltip)
        cJSON_AddItemToObject(hint, "tooltip", tooltip);
    arena_free(a);
    free(label);
    return hint;
}

cJSON *lsp_inlay_hints(const lsp_document *doc, unsigned first, unsigned last)
{
    cJSON *hints = cJSON_CreateArray();
    for (size_t i = 0; doc->fact_file && i < doc->facts.n; i++) {
        const shape_fact *f = &doc->facts.items[i];
        /* A declaration with no shape written on it. */
        if (f->kind != SHAPE_FACT_DECLARED || f->shape || !f->can_hold ||
            f->decl.file != doc->fact_file || f->decl.line == 0 ||
            f->decl.col == 0 || f->decl.line - 1 < first ||
            f->decl.line - 1 > last)
            continue;
        cJSON *hint = inlay_hint(doc, f);
        if (hint)
            cJSON_AddItemToArray(hints, hint);
    }
    return hints;
}
