/*
 * output_text.c - findings as clang prints diagnostics (see output.h).
 *
 * No color and no tab expansion: the snippet is the source line as it is,
 * and the caret line repeats the line's tabs so that the caret sits under
 * the column whatever the terminal's tab width.
 */
#include "output.h"

#include "source_file.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

static const char *severity_word(sc_severity severity)
{
    switch (severity) {
    case SC_SEV_NOTE:
        return "note";
    case SC_SEV_WARNING:
        return "warning";
    case SC_SEV_ERROR:
        break;
    }
    return "error";
}

/* "FILE:LINE:COL: ", leaving out what is unknown. */
static void print_loc(FILE *out, sc_loc loc)
{
    if (!loc.file)
        return;
    fprintf(out, "%s:", loc.file);
    if (loc.line) {
        fprintf(out, "%u:", loc.line);
        if (loc.col)
            fprintf(out, "%u:", loc.col);
    }
    fputc(' ', out);
}

/* The columns of one finding's snippet: the caret, and the range around
   it that clang draws with '~' (FROM to TO, exclusive; TO 0: none). */
typedef struct marks {
    unsigned caret, from, to;
} marks;

/* Where D's caret and underline go on its line: the caret at its focus
   (the argument that does not fit) when that is on the line, else at its
   position; the underline from its position to its end. */
static marks marks_of(const diag *d)
{
    marks m = {d->loc.col, 0, 0};
    bool same_line = d->end.line == d->loc.line && d->end.file &&
                     d->loc.file && strcmp(d->end.file, d->loc.file) == 0;
    if (!same_line || d->end.col <= d->loc.col)
        return m;
    m.from = d->loc.col, m.to = d->end.col;
    if (d->focus.line == d->loc.line && d->focus.col >= m.from &&
        d->focus.col < m.to)
        m.caret = d->focus.col;
    return m;
}

/* "   42 | TEXT" and "      | ~~~^~~~", numbers at least 4 wide as clang
   does.  The caret line copies the tabs before the marks and puts one
   space per other character (UTF-8 continuation bytes take no column). */
static void print_snippet(FILE *out, const char *text, size_t len,
                          unsigned line, marks m)
{
    int width = snprintf(NULL, 0, "%u", line);
    if (width < 4)
        width = 4;
    fprintf(out, " %*u | %.*s\n", width, line, (int)len, text);
    if (m.caret == 0)
        return;
    fprintf(out, " %*s | ", width, "");
    unsigned first = m.to ? m.from : m.caret;
    unsigned last = m.to ? m.to - 1 : m.caret;
    for (size_t i = 0; i + 1 < first && i < len; i++) {
        unsigned char c = (unsigned char)text[i];
        if (c == '\t')
            fputc('\t', out);
        else if ((c & 0xC0) != 0x80)
            fputc(' ', out);
    }
    for (unsigned col = first; col <= last; col++) {
        size_t i = col - 1;
        if (i < len && ((unsigned char)text[i] & 0xC0) == 0x80)
            continue;
        fputc(col == m.caret ? '^' : '~', out);
    }
    fputc('\n', out);
}

static void print_diag(FILE *out, const diag *d, source_cache *cache)
{
    if (!d->rule) {
        /* A compiler diagnostic: clang's own line, location included. */
        fprintf(out, "%s\n", d->message);
    } else {
        print_loc(out, d->loc);
        fprintf(out, "%s: %s [%s]\n", severity_word(d->severity), d->message,
                d->rule->id);
        const char *text;
        size_t len;
        if (d->loc.file && source_cache_line(cache, d->loc.file,
                                       d->loc.line, &text, &len))
            print_snippet(out, text, len, d->loc.line, marks_of(d));
    }
    for (size_t i = 0; i < d->n_notes; i++) {
        print_loc(out, d->notes[i].loc);
        fprintf(out, "note: %s\n", d->notes[i].message);
    }
}

void output_text(FILE *out, const diag_list *list)
{
    source_cache cache = {0};
    for (size_t i = 0; i < list->n; i++)
        print_diag(out, &list->items[i], &cache);
    source_cache_free(&cache);
}
