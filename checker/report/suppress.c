/*
 * suppress.c - NOLINT, NOLINTNEXTLINE, NOLINTBEGIN/NOLINTEND (see
 * suppress.h).
 *
 * comments.c finds the comments; this file finds the words in them and
 * turns each into a span of lines.  BEGIN/END pairs are matched with one
 * stack per rule list, kept in a map, so that matching stays linear however
 * many blocks a file has.  Blocks are kept aside until the end of the
 * scan: if any BEGIN or END is left unmatched, none of them applies, as in
 * clang-tidy.
 */
#include "suppress.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "comments.h"
#include "finding.h"
#include "source_file.h"
#include "strmap.h"

typedef enum directive_kind {
    NOLINT,
    NOLINT_NEXTLINE,
    NOLINT_BEGIN,
    NOLINT_END,
} directive_kind;

/* An open NOLINTBEGIN. */
typedef struct open_begin {
    unsigned line, col;
} open_begin;

/* The open NOLINTBEGINs of one rule list, innermost last. */
typedef struct begin_stack {
    open_begin *items;
    size_t n, cap;
} begin_stack;

typedef struct scanner {
    suppress_file *sf;
    arena *arena;
    size_t cap_spans, cap_unmatched;
    strmap open;           /* "(list)" or "" for no list -> begin_stack */
    suppress_span *blocks; /* BEGIN..END, applied only if all match */
    size_t n_blocks, cap_blocks;
} scanner;

static void out_of_memory(void)
{
    fputs("shapecheck: out of memory\n", stderr);
    abort();
}

/* ITEMS (N of SIZE bytes, room for *CAP) with room for one more. */
static void *grow(void *items, size_t n, size_t *cap, size_t size)
{
    if (n < *cap)
        return items;
    *cap = *cap ? *cap * 2 : 8;
    void *bigger = realloc(items, *cap * size);
    if (!bigger)
        out_of_memory();
    return bigger;
}

static void add_span(suppress_span **spans, size_t *n, size_t *cap,
                     suppress_span span)
{
    *spans = grow(*spans, *n, cap, sizeof **spans);
    (*spans)[(*n)++] = span;
}

static void add_unmatched(scanner *sc, unsigned line, unsigned col,
                          bool is_begin)
{
    suppress_file *sf = sc->sf;
    sf->unmatched = grow(sf->unmatched, sf->n_unmatched, &sc->cap_unmatched,
                         sizeof *sf->unmatched);
    sf->unmatched[sf->n_unmatched++] =
        (suppress_unmatched){line, col, is_begin};
}

/* ---- Rule lists --------------------------------------------------------- */

static bool is_ident_char(char c)
{
    return isalnum((unsigned char)c) || c == '_';
}

/* [P, END) without its white space, in the arena. */
static const char *squeeze(arena *a, const char *p, const char *end)
{
    char *out = arena_alloc(a, (size_t)(end - p) + 1), *q = out;
    for (; p < end; p++)
        if (!isspace((unsigned char)*p))
            *q++ = *p;
    *q = '\0';
    return out;
}

/* Whether the glob PAT (LEN bytes, '*' any run) matches all of S.  On a
   mismatch after a '*', the star takes one more character and the match
   resumes: at most len(PAT) * len(S) steps, and rule ids are short. */
static bool glob_match(const char *pat, size_t len, const char *s)
{
    size_t i = 0, star = (size_t)-1;
    const char *resume = NULL;
    while (*s) {
        if (i < len && pat[i] == '*') {
            star = i++;
            resume = s;
        } else if (i < len && pat[i] == *s) {
            i++;
            s++;
        } else if (resume) {
            i = star + 1;
            s = ++resume;
        } else {
            return false;
        }
    }
    while (i < len && pat[i] == '*')
        i++;
    return i == len;
}

bool suppress_rules_match(const char *rules, const char *rule_id)
{
    if (!rules)
        return true;
    bool match = false;
    for (const char *p = rules; *p;) {
        size_t len = strcspn(p, ",");
        bool negative = len > 0 && *p == '-';
        const char *pat = negative ? p + 1 : p;
        size_t pat_len = negative ? len - 1 : len;
        if (pat_len > 0 && glob_match(pat, pat_len, rule_id))
            match = !negative;
        p += len + (p[len] == ',');
    }
    return match;
}

/* ---- Directives --------------------------------------------------------- */

static begin_stack *stack_for(scanner *sc, const char *rules)
{
    const char *key = rules ? arena_printf(sc->arena, "(%s)", rules) : "";
    begin_stack *st = strmap_get(&sc->open, key);
    if (!st) {
        st = arena_alloc(sc->arena, sizeof *st);
        strmap_put(&sc->open, key, st);
    }
    return st;
}

static void push_begin(scanner *sc, const char *rules, unsigned line,
                       unsigned col)
{
    begin_stack *st = stack_for(sc, rules);
    if (st->n == st->cap) {
        /* Outgrown stacks stay in the arena: blocks nest shallowly. */
        st->cap = st->cap ? st->cap * 2 : 4;
        open_begin *items = arena_array(sc->arena, st->cap, sizeof *items);
        if (st->n)
            memcpy(items, st->items, st->n * sizeof *items);
        st->items = items;
    }
    st->items[st->n++] = (open_begin){line, col};
}

static void pop_end(scanner *sc, const char *rules, unsigned line, unsigned col)
{
    begin_stack *st = stack_for(sc, rules);
    if (st->n == 0) {
        add_unmatched(sc, line, col, false);
        return;
    }
    open_begin begin = st->items[--st->n];
    add_span(&sc->blocks, &sc->n_blocks, &sc->cap_blocks,
             (suppress_span){begin.line, line, rules});
}

static void apply_directive(scanner *sc, directive_kind kind, const char *rules,
                            unsigned line, unsigned col)
{
    suppress_file *sf = sc->sf;
    switch (kind) {
    case NOLINT:
        add_span(&sf->spans, &sf->n_spans, &sc->cap_spans,
                 (suppress_span){line, line, rules});
        break;
    case NOLINT_NEXTLINE:
        add_span(&sf->spans, &sf->n_spans, &sc->cap_spans,
                 (suppress_span){line + 1, line + 1, rules});
        break;
    case NOLINT_BEGIN:
        push_begin(sc, rules, line, col);
        break;
    case NOLINT_END:
        pop_end(sc, rules, line, col);
        break;
    }
}

static bool starts_with(const char *p, const char *end, const char *s)
{
    size_t len = strlen(s);
    return (size_t)(end - p) >= len && memcmp(p, s, len) == 0;
}

/* *P is after "NOLINT": the directive its suffix names, *P moved past
   the suffix. */
static directive_kind directive_suffix(const char **p, const char *end)
{
    static const struct {
        const char *suffix;
        directive_kind kind;
    } suffixes[] = {
        {"NEXTLINE", NOLINT_NEXTLINE},
        {"BEGIN", NOLINT_BEGIN},
        {"END", NOLINT_END},
    };
    for (size_t i = 0; i < sizeof suffixes / sizeof *suffixes; i++)
        if (starts_with(*p, end, suffixes[i].suffix)) {
            *p += strlen(suffixes[i].suffix);
            return suffixes[i].kind;
        }
    return NOLINT;
}

/* P is at "NOLINT" in a comment ending at END, on LINE at COL: reads the
   directive and applies it.  Returns where scanning goes on.  A longer
   word (NOLINTS) or a list with no ')' on its line is not a directive. */
static const char *read_directive(scanner *sc, const char *p, const char *end,
                                  unsigned line, unsigned col)
{
    const char *q = p + strlen("NOLINT");
    directive_kind kind = directive_suffix(&q, end);
    if (q < end && is_ident_char(*q))
        return q;
    const char *rules = NULL;
    if (q < end && *q == '(') {
        const char *close = q + 1;
        while (close < end && *close != ')' && *close != '\n')
            close++;
        if (close == end || *close != ')')
            return q;
        rules = squeeze(sc->arena, q + 1, close);
        q = close + 1;
    }
    apply_directive(sc, kind, rules, line, col);
    return q;
}

static void on_comment(void *ctx, const comment *c)
{
    scanner *sc = ctx;
    unsigned line = c->line;
    const char *line_start = c->body - (c->col - 1);
    const char *end = c->body + c->len;
    for (const char *p = c->body; p < end;) {
        if (*p == '\n') {
            line++;
            line_start = ++p;
        } else if (*p == 'N' && !is_ident_char(p[-1]) &&
                   starts_with(p, end, "NOLINT")) {
            p = read_directive(sc, p, end, line,
                               (unsigned)(p - line_start) + 1);
        } else {
            p++;
        }
    }
}

/* ---- Files -------------------------------------------------------------- */

static int cmp_unmatched(const void *pa, const void *pb)
{
    const suppress_unmatched *a = pa, *b = pb;
    if (a->line != b->line)
        return a->line < b->line ? -1 : 1;
    return (a->col > b->col) - (a->col < b->col);
}

/* After the scan: the BEGINs still open are unmatched; the blocks apply
   only if nothing is. */
static void finish_scan(scanner *sc)
{
    suppress_file *sf = sc->sf;
    for (uint32_t i = 0; i < sc->open.cap; i++) {
        begin_stack *st =
            sc->open.slots[i].key ? sc->open.slots[i].value : NULL;
        for (size_t j = 0; st && j < st->n; j++)
            add_unmatched(sc, st->items[j].line, st->items[j].col, true);
    }
    if (sf->n_unmatched)
        qsort(sf->unmatched, sf->n_unmatched, sizeof *sf->unmatched,
              cmp_unmatched);
    else
        for (size_t i = 0; i < sc->n_blocks; i++)
            add_span(&sf->spans, &sf->n_spans, &sc->cap_spans, sc->blocks[i]);
    free(sc->blocks);
}

void suppress_scan(suppress_file *sf, const char *text, size_t len)
{
    memset(sf, 0, sizeof *sf);
    arena *a = arena_new();
    sf->storage = a;
    scanner sc = {.sf = sf, .arena = a};
    strmap_init(&sc.open, a);
    comments_scan(text, len, on_comment, &sc);
    finish_scan(&sc);
}

void suppress_file_free(suppress_file *sf)
{
    free(sf->spans);
    free(sf->unmatched);
    arena_free(sf->storage);
    memset(sf, 0, sizeof *sf);
}

bool suppress_covers(const suppress_file *sf, unsigned line,
                     const char *rule_id)
{
    for (size_t i = 0; i < sf->n_spans; i++) {
        const suppress_span *s = &sf->spans[i];
        if (s->first <= line && line <= s->last &&
            suppress_rules_match(s->rules, rule_id))
            return true;
    }
    return false;
}

const char *suppress_unmatched_message(const suppress_unmatched *u)
{
    return u->is_begin ? "unmatched 'NOLINTBEGIN' comment without a "
                         "subsequent 'NOLINTEND' comment"
                       : "unmatched 'NOLINTEND' comment without a previous "
                         "'NOLINTBEGIN' comment";
}

/* ---- Applying to findings ----------------------------------------------- */

/* One file's directives, read on first need.  A file that cannot be read
   has none. */
typedef struct scanned_file {
    const char *path;
    suppress_file sf;
} scanned_file;

typedef struct applier {
    scanned_file *files;
    size_t n, cap;
} applier;

static const suppress_file *file_directives(applier *ap, const char *path)
{
    /* Findings are sorted by file: the last file is the likely one. */
    for (size_t i = ap->n; i-- > 0;)
        if (strcmp(ap->files[i].path, path) == 0)
            return &ap->files[i].sf;
    ap->files = grow(ap->files, ap->n, &ap->cap, sizeof *ap->files);
    scanned_file *f = &ap->files[ap->n++];
    f->path = path;
    size_t len = 0;
    char *text = source_read(path, &len);
    suppress_scan(&f->sf, text ? text : "", text ? len : 0);
    free(text);
    return &f->sf;
}

static bool is_suppressible(const diag *d)
{
    return d->rule && d->rule != &sc_rule_nolint && d->loc.file;
}

static bool drop_suppressed(void *ctx, const diag *d, size_t index)
{
    (void)index;
    if (!is_suppressible(d))
        return false;
    return suppress_covers(file_directives(ctx, d->loc.file), d->loc.line,
                           d->rule->id);
}

static size_t report_unmatched(diag_list *list, const applier *ap)
{
    size_t added = 0;
    for (size_t i = 0; i < ap->n; i++) {
        const suppress_file *sf = &ap->files[i].sf;
        for (size_t j = 0; j < sf->n_unmatched; j++, added++) {
            const suppress_unmatched *u = &sf->unmatched[j];
            diag_add(list, &sc_rule_nolint,
                     (sc_loc){ap->files[i].path, u->line, u->col}, "%s",
                     suppress_unmatched_message(u));
        }
    }
    return added;
}

size_t suppress_apply(diag_list *list)
{
    applier ap = {0};
    size_t removed = finding_remove_if(list, drop_suppressed, &ap);
    /* The paths point into LIST's arena, which diag_add only grows. */
    if (report_unmatched(list, &ap) > 0)
        diag_list_sort(list);
    for (size_t i = 0; i < ap.n; i++)
        suppress_file_free(&ap.files[i].sf);
    free(ap.files);
    return removed;
}
