/*
 * source_file.c - files read whole, and a cache of them split into lines
 * (see source_file.h).
 *
 * The cache is a plain array searched from the newest entry: findings come
 * sorted by file, so the file just read is almost always the one asked for,
 * and a run's findings touch few files.
 */
#define _POSIX_C_SOURCE 200809L /* fileno */

#include "source_file.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static void out_of_memory(void)
{
    fputs("shapecheck: out of memory\n", stderr);
    abort();
}

char *source_read(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    /* A folder opens, then fails to read: say what it is ("is a
       directory"), not "Input/output error". */
    struct stat st;
    if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
        fclose(f);
        errno = EISDIR;
        return NULL;
    }
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    int saved = 0;
    while (buf) {
        errno = 0;
        n += fread(buf + n, 1, cap - n - 1, f);
        if (n < cap - 1) {
            saved = errno ? errno : EIO; /* fread's reason, if it failed */
            break;
        }
        char *bigger = realloc(buf, cap *= 2);
        if (!bigger)
            free(buf);
        buf = bigger;
    }
    int failed = !buf || ferror(f);
    if (!buf)
        saved = ENOMEM;
    fclose(f);
    if (failed) {
        free(buf);
        errno = saved;
        return NULL;
    }
    buf[n] = '\0';
    *len = n;
    return buf;
}

/* Fills SF->line_starts: one entry per line, the last line counted even
   without a final newline, and no empty line after a final newline. */
static void split_lines(source_file *sf)
{
    size_t n = 1;
    for (size_t i = 0; i + 1 < sf->len; i++)
        n += sf->text[i] == '\n';
    sf->line_starts = malloc(n * sizeof *sf->line_starts);
    if (!sf->line_starts)
        out_of_memory();
    sf->line_starts[sf->n_lines++] = 0;
    for (size_t i = 0; i + 1 < sf->len; i++)
        if (sf->text[i] == '\n')
            sf->line_starts[sf->n_lines++] = i + 1;
}

static source_file *cache_push(source_cache *cache)
{
    if (cache->n == cache->cap) {
        size_t cap = cache->cap ? cache->cap * 2 : 8;
        source_file *files = realloc(cache->files, cap * sizeof *files);
        if (!files)
            out_of_memory();
        cache->files = files;
        cache->cap = cap;
    }
    source_file *sf = &cache->files[cache->n++];
    memset(sf, 0, sizeof *sf);
    return sf;
}

const source_file *source_cache_get(source_cache *cache, const char *path)
{
    for (size_t i = cache->n; i-- > 0;)
        if (strcmp(cache->files[i].path, path) == 0)
            return &cache->files[i];
    source_file *sf = cache_push(cache);
    sf->path = malloc(strlen(path) + 1);
    if (!sf->path)
        out_of_memory();
    strcpy(sf->path, path);
    sf->text = source_read(path, &sf->len);
    if (sf->text)
        split_lines(sf);
    return sf;
}

bool source_cache_line(source_cache *cache, const char *path, unsigned line,
                       const char **text, size_t *len)
{
    if (!path)
        return false;
    const source_file *sf = source_cache_get(cache, path);
    if (!sf->text || line == 0 || line > sf->n_lines)
        return false;
    const char *s = sf->text + sf->line_starts[line - 1];
    size_t n = strcspn(s, "\n");
    if (n && s[n - 1] == '\r')
        n--;
    *text = s;
    *len = n;
    return true;
}

void source_cache_free(source_cache *cache)
{
    for (size_t i = 0; i < cache->n; i++) {
        free(cache->files[i].path);
        free(cache->files[i].text);
        free(cache->files[i].line_starts);
    }
    free(cache->files);
    memset(cache, 0, sizeof *cache);
}
