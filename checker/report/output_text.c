/*
 * output_text.c - findings as clang prints diagnostics (see output.h).
 *
 * No tab expansion: the snippet is the source line as it is, and the
 * caret line repeats the line's tabs so that the caret sits under the
 * column whatever the terminal's tab width.  Colours, when asked for, are
 * clang's: the location and message bold, the severity in its colour, the
 * caret line green.
 */
#include "output.h"

#include "source_file.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* clang's escape sequences (clang/lib/Frontend/TextDiagnostic.cpp). */
#define SGR_RESET "\033[0m"
#define SGR_BOLD "\033[1m"
#define SGR_CARET "\033[0;1;32m"

typedef struct painter {
    FILE *out;
    bool color;
} painter;

static void paint(const painter *p, const char *sgr)
{
    if (p->color)
        fputs(sgr, p->out);
}

static const char *severity_sgr(sc_severity severity)
{
    switch (severity) {
    case SC_SEV_NOTE:
        return "\033[0;1;30m";
    case SC_SEV_WARNING:
        return "\033[0;1;35m";
    case SC_SEV_ERROR:
        break;
    }
    return "\033[0;1;31m";
}

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
static void print_loc(const painter *p, sc_loc loc)
{
    FILE *out = p->out;
    if (!loc.file)
        return;
    paint(p, SGR_BOLD);
    fprintf(out, "%s:", loc.file);
    if (loc.line) {
        fprintf(out, "%u:", loc.line);
        if (loc.col)
            fprintf(out, "%u:", loc.col);
    }
    fputc(' ', out);
    paint(p, SGR_RESET);
}

/* "error: MESSAGE[ [RULE]]\n" in clang's colours. */
static void print_message(const painter *p, sc_severity severity,
                          const char *message, const char *rule)
{
    paint(p, severity_sgr(severity));
    fprintf(p->out, "%s: ", severity_word(severity));
    paint(p, SGR_RESET SGR_BOLD);
    fputs(message, p->out);
    if (rule)
        fprintf(p->out, " [%s]", rule);
    paint(p, SGR_RESET);
    fputc('\n', p->out);
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
    bool same_line = d->end.line == d->loc.line && d->end.file && d->loc.file &&
                     strcmp(d->end.file, d->loc.file) == 0;
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
static void print_snippet(const painter *p, const char *text, size_t len,
                          unsigned line, marks m)
{
    FILE *out = p->out;
    int width = snprintf(NULL, 0, "%u", line);
    if (width < 4)
        width = 4;
    fprintf(out, " %*u | %.*s\n", width, line, (int)len, text);
    if (m.caret == 0)
        return;
    fprintf(out, " %*s | ", width, "");
    unsigned first = m.to ? m.from : m.caret;
    unsigned last = m.to ? m.to - 1 : m.caret;
    paint(p, SGR_CARET);
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
    paint(p, SGR_RESET);
    fputc('\n', out);
}

static void print_diag(const painter *p, const diag *d, source_cache *cache)
{
    if (!d->rule) {
        /* A compiler diagnostic: clang's own line, location included. */
        fprintf(p->out, "%s\n", d->message);
    } else {
        print_loc(p, d->loc);
        print_message(p, d->severity, d->message, d->rule->id);
        const char *text;
        size_t len;
        if (d->loc.file &&
            source_cache_line(cache, d->loc.file, d->loc.line, &text, &len))
            print_snippet(p, text, len, d->loc.line, marks_of(d));
    }
    for (size_t i = 0; i < d->n_notes; i++) {
        print_loc(p, d->notes[i].loc);
        print_message(p, SC_SEV_NOTE, d->notes[i].message, NULL);
    }
}

void output_text_color(FILE *out, const diag_list *list, bool color)
{
    painter p = {out, color};
    source_cache cache = {0};
    for (size_t i = 0; i < list->n; i++)
        print_diag(&p, &list->items[i], &cache);
    source_cache_free(&cache);
}

void output_text(FILE *out, const diag_list *list)
{
    output_text_color(out, list, false);
}
