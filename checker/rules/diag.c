/*
 * diag.c - the list of findings (see diag.h).
 *
 * The items array is malloc'd and grows by doubling: diag_add hands out a
 * pointer into it, valid until the next diag_add.  Everything a finding
 * points to (message, notes, file names) is copied into the list's arena,
 * because findings outlive the translation unit whose arena held the
 * original locations.
 */
#include "diag.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void diag_list_init(diag_list *list)
{
    memset(list, 0, sizeof *list);
    list->arena = arena_new();
}

void diag_list_free(diag_list *list)
{
    free(list->items);
    arena_free(list->arena);
    memset(list, 0, sizeof *list);
}

static char *arena_vprintf(arena *a, const char *fmt, va_list ap)
{
    va_list copy;
    va_copy(copy, ap);
    int n = vsnprintf(NULL, 0, fmt, copy);
    va_end(copy);
    if (n < 0)
        return arena_strdup(a, "");
    char *p = arena_alloc(a, (size_t)n + 1);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    return p;
}

/* LOC with its file name copied into the list's arena. */
static sc_loc own_loc(diag_list *list, sc_loc loc)
{
    if (loc.file)
        loc.file = arena_strdup(list->arena, loc.file);
    return loc;
}

static diag *diag_push(diag_list *list)
{
    if (list->n == list->cap) {
        size_t cap = list->cap ? list->cap * 2 : 16;
        diag *items = realloc(list->items, cap * sizeof *items);
        if (!items) {
            fputs("shapecheck: out of memory\n", stderr);
            abort();
        }
        list->items = items;
        list->cap = cap;
    }
    diag *d = &list->items[list->n++];
    memset(d, 0, sizeof *d);
    return d;
}

/* A compiler diagnostic (RULE NULL) starts as an error; the caller sets
   d->severity from what clang said. */
diag *diag_add(diag_list *list, const sc_rule *rule, sc_loc loc,
               const char *fmt, ...)
{
    diag *d = diag_push(list);
    d->rule = rule;
    d->severity = rule ? rule->severity : SC_SEV_ERROR;
    d->loc = own_loc(list, loc);
    va_list ap;
    va_start(ap, fmt);
    d->message = arena_vprintf(list->arena, fmt, ap);
    va_end(ap);
    return d;
}

/* Capacity of a notes array holding N notes.  Derived from N rather than
   stored, so that diag needs no capacity field: 0, then 4, 8, 16... */
static size_t notes_capacity(size_t n)
{
    if (n == 0)
        return 0;
    size_t cap = 4;
    while (cap < n)
        cap *= 2;
    return cap;
}

/* Room for one more note.  Outgrown arrays stay in the arena: notes per
   finding are few, so the waste is small. */
static diag_note *note_push(diag_list *list, diag *d)
{
    if (d->n_notes == notes_capacity(d->n_notes)) {
        diag_note *notes = arena_array(
            list->arena, notes_capacity(d->n_notes + 1), sizeof *notes);
        if (d->n_notes)
            memcpy(notes, d->notes, d->n_notes * sizeof *notes);
        d->notes = notes;
    }
    return &d->notes[d->n_notes++];
}

void diag_add_note(diag_list *list, diag *d, sc_loc loc, const char *fmt, ...)
{
    diag_note *note = note_push(list, d);
    note->loc = own_loc(list, loc);
    va_list ap;
    va_start(ap, fmt);
    note->message = arena_vprintf(list->arena, fmt, ap);
    va_end(ap);
}

void diag_set_range(diag_list *list, diag *d, sc_loc end, sc_loc focus)
{
    d->end = own_loc(list, end);
    d->focus = own_loc(list, focus);
}

void diag_copy(diag_list *list, const diag *d)
{
    diag *copy = diag_push(list);
    copy->end = own_loc(list, d->end);
    copy->focus = own_loc(list, d->focus);
    copy->rule = d->rule; /* rules are static: shared, not copied */
    copy->severity = d->severity;
    copy->loc = own_loc(list, d->loc);
    copy->message = arena_strdup(list->arena, d->message);
    copy->n_notes = d->n_notes;
    copy->notes = arena_array(list->arena, notes_capacity(d->n_notes),
                              sizeof *copy->notes);
    for (size_t i = 0; i < d->n_notes; i++) {
        copy->notes[i].loc = own_loc(list, d->notes[i].loc);
        copy->notes[i].message = arena_strdup(list->arena, d->notes[i].message);
    }
}

static int cmp_str(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "");
}

static int cmp_num(size_t a, size_t b)
{
    return (a > b) - (a < b);
}

static int cmp_loc(sc_loc a, sc_loc b)
{
    int c = cmp_str(a.file, b.file);
    if (!c)
        c = cmp_num(a.line, b.line);
    if (!c)
        c = cmp_num(a.col, b.col);
    return c;
}

/* What makes two findings the same: rule, position and message. */
static int cmp_identity(const diag *a, const diag *b)
{
    int c = cmp_loc(a->loc, b->loc);
    if (!c)
        c = cmp_str(a->rule ? a->rule->id : NULL, b->rule ? b->rule->id : NULL);
    if (!c)
        c = cmp_str(a->message, b->message);
    return c;
}

/* Beyond identity, severity and notes only break ties, so that which of
   two duplicates survives does not depend on the order they were added
   (qsort is not stable). */
static int cmp_diag(const void *pa, const void *pb)
{
    const diag *a = pa, *b = pb;
    int c = cmp_identity(a, b);
    if (!c)
        c = cmp_num(a->severity, b->severity);
    if (!c)
        c = cmp_num(a->n_notes, b->n_notes);
    for (size_t i = 0; !c && i < a->n_notes; i++) {
        c = cmp_loc(a->notes[i].loc, b->notes[i].loc);
        if (!c)
            c = cmp_str(a->notes[i].message, b->notes[i].message);
    }
    return c;
}

static bool same_place(const diag *a, const diag *b)
{
    return a->rule == b->rule && a->loc.line == b->loc.line &&
           a->loc.col == b->loc.col &&
           (a->loc.file == b->loc.file ||
            (a->loc.file && b->loc.file &&
             strcmp(a->loc.file, b->loc.file) == 0));
}

void diag_list_drop_repeats(diag_list *list, size_t since, size_t from)
{
    size_t kept = from;
    for (size_t i = from; i < list->n; i++) {
        bool repeat = false;
        for (size_t k = since; k < kept && !repeat; k++)
            repeat = same_place(&list->items[k], &list->items[i]);
        if (!repeat)
            list->items[kept++] = list->items[i];
    }
    list->n = kept;
}

void diag_list_sort(diag_list *list)
{
    if (list->n < 2)
        return;
    qsort(list->items, list->n, sizeof *list->items, cmp_diag);
    size_t kept = 1;
    for (size_t i = 1; i < list->n; i++)
        if (cmp_identity(&list->items[kept - 1], &list->items[i]) != 0)
            list->items[kept++] = list->items[i];
    list->n = kept;
}

size_t diag_count_findings(const diag_list *list)
{
    size_t n = 0;
    for (size_t i = 0; i < list->n; i++) {
        const diag *d = &list->items[i];
        if (d->severity == SC_SEV_ERROR ||
            (d->rule && d->severity == SC_SEV_WARNING))
            n++;
    }
    return n;
}
