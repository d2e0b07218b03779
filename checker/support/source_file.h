/*
 * source_file.h - reading the analysed sources back from disk.
 *
 * Fingerprints, NOLINT comments, the baseline and the configuration all
 * need a file's text after analysis; this module reads it whole, and keeps
 * the files one pass over the findings touches, split into lines, so that
 * each is read once however many findings point into it.
 */
#ifndef SHAPECHECK_SOURCE_FILE_H
#define SHAPECHECK_SOURCE_FILE_H

#include <stdbool.h>
#include <stddef.h>

/* PATH's whole contents, NUL-terminated, malloc'd (the caller frees it);
 *LEN gets its length.  NULL with errno set when it cannot be read. */
char *source_read(const char *path, size_t *len);

/* One file of a cache.  TEXT is NULL when the file could not be read. */
typedef struct source_file {
    char *path;
    char *text;
    size_t len;
    size_t *line_starts; /* offset of each line in TEXT */
    size_t n_lines;
} source_file;

/* The files read during one pass; zero-initialise it, free it with
   source_cache_free. */
typedef struct source_cache {
    source_file *files;
    size_t n, cap;
} source_cache;

void source_cache_free(source_cache *cache);

/* The cached file PATH, read on first use.  An unreadable file is cached
   too (TEXT NULL), so that it is tried once.  The pointer is valid until
   the next source_cache_get. */
const source_file *source_cache_get(source_cache *cache, const char *path);

/* Line LINE (1-based) of PATH without its end of line ("\n" or "\r\n"):
   *TEXT points into the cache, *LEN is its length.  False when the file
   cannot be read or has no such line. */
bool source_cache_line(source_cache *cache, const char *path, unsigned line,
                       const char **text, size_t *len);

#endif /* SHAPECHECK_SOURCE_FILE_H */
