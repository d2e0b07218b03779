/*
 * output_text.c - findings as clang prints diagnostics (see output.h).
 *
 * No color and no tab expansion: the snippet is the source line as it is,
 * and the caret line repeats the line's tabs so that the caret sits under
 * the column whatever the terminal's tab width.
 */
#include "output.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* One source file, read once and split into lines. */
typedef struct source_file {
    const char *path;
    char *text; /* NULL: the file could not be read */
    size_t len;
    size_t *line_starts; /* offset of each line in TEXT */
    size_t n_lines;
} source_file;

/* The files read during one output_text call. */
typedef struct source_cache {
    source_file *files;
    size_t n, cap;
} source_cache;

/* PATH's whole contents, NUL-terminated, malloc'd; NULL if unreadable. */
static char *read_whole_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    while (buf) {
        n += fread(buf + n, 1, cap - n - 1, f);
        if (n < cap - 1)
            break;
        char *bigger = realloc(buf, cap *= 2);
        if (!bigger)
            free(buf);
        buf = bigger;
    }
    if (buf && ferror(f)) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    if (buf) {
        buf[n] = '\0';
        *len = n;
    }
    return buf;
}

static void split_lines(source_file *sf)
{
    size_t n = 1;
    for (size_t i = 0; i < sf->len; i++)
        n += sf->text[i] == '\n';
    sf->line_starts = malloc(n * sizeof *sf->line_starts);
    if (!sf->line_starts)
        return;
    sf->line_starts[sf->n_lines++] = 0;
    for (size_t i = 0; i + 1 < sf->len; i++)
        if (sf->text[i] == '\n')
            sf->line_starts[sf->n_lines++] = i + 1;
}

/* The cached file PATH, reading it on first use.  NULL only when out of
   memory; an unreadable file is cached with TEXT NULL so that it is tried
   once. */
static source_file *cache_get(source_cache *cache, const char *path)
{
    /* Findings come sorted by file: the last one read is the likely hit. */
    for (size_t i = cache->n; i-- > 0;)
        if (strcmp(cache->files[i].path, path) == 0)
            return &cache->files[i];
    if (cache->n == cache->cap) {
        size_t cap = cache->cap ? cache->cap * 2 : 8;
        source_file *files = realloc(cache->files, cap * sizeof *files);
        if (!files)
            return NULL;
        cache->files = files;
        cache->cap = cap;
    }
    source_file *sf = &cache->files[cache->n++];
    memset(sf, 0, sizeof *sf);
    sf->path = path;
    sf->text = read_whole_file(path, &sf->len);
    if (sf->text)
        split_lines(sf);
    return sf;
}

static void cache_free(source_cache *cache)
{
    for (size_t i = 0; i < cache->n; i++) {
        free(cache->files[i].text);
        free(cache->files[i].line_starts);
    }
    free(cache->files);
}

/* Line LINE (1-based) of SF without its end-of-line; false if absent. */
static bool source_line(const source_file *sf, unsigned line,
                        const char **start, size_t *len)
{
    if (!sf || !sf->text || line == 0 || line > sf->n_lines)
        return false;
    const char *s = sf->text + sf->line_starts[line - 1];
    size_t n = strcspn(s, "\n");
    if (n && s[n - 1] == '\r')
        n--;
    *start = s;
    *len = n;
    return true;
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

/* "   42 | TEXT" and "      |   ^", numbers at least 4 wide as clang
   does.  The caret line copies the tabs before COL and puts one space per
   other character (UTF-8 continuation bytes take no column). */
static void print_snippet(FILE *out, const char *text, size_t len,
                          unsigned line, unsigned col)
{
    int width = snprintf(NULL, 0, "%u", line);
    if (width < 4)
        width = 4;
    fprintf(out, " %*u | %.*s\n", width, line, (int)len, text);
    if (col == 0)
        return;
    fprintf(out, " %*s | ", width, "");
    size_t before = col - 1 < len ? col - 1 : len;
    for (size_t i = 0; i < before; i++) {
        unsigned char c = (unsigned char)text[i];
        if (c == '\t')
            fputc('\t', out);
        else if ((c & 0xC0) != 0x80)
            fputc(' ', out);
    }
    fputs("^\n", out);
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
        if (d->loc.file && source_line(cache_get(cache, d->loc.file),
                                       d->loc.line, &text, &len))
            print_snippet(out, text, len, d->loc.line, d->loc.col);
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
    cache_free(&cache);
}
