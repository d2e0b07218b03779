/*
 * lsp_text.h - text as the Language Server Protocol addresses it: lines
 * from 0, columns in UTF-16 code units (the checker's columns are 1-based
 * bytes), documents named by file: URIs.
 *
 * Text need not be valid UTF-8: an invalid byte counts as one code unit,
 * as the U+FFFD an editor shows for it.
 */
#ifndef SHAPECHECK_LSP_TEXT_H
#define SHAPECHECK_LSP_TEXT_H

#include <stdbool.h>
#include <stddef.h>

/* A text split into lines at "\n" (a "\r" before it is not part of the
   line); after a final "\n" there is one more, empty, line. */
typedef struct lsp_lines {
    size_t *starts;
    size_t n;
} lsp_lines;

/* Indexes TEXT (LEN bytes).  False when out of memory. */
bool lsp_lines_index(lsp_lines *lines, const char *text, size_t len);
void lsp_lines_free(lsp_lines *lines);

/* Line LINE (0-based) without its end of line: *START is its offset in
   TEXT, *LEN its length.  False past the last line. */
bool lsp_line(const lsp_lines *lines, const char *text, size_t len,
              unsigned line, size_t *start, size_t *line_len);

/* UTF-16 code units in the first N bytes of S. */
unsigned lsp_utf16_units(const char *s, size_t n);

/* The bytes of LINE (LEN bytes) that UNITS code units take, at most LEN;
   a position inside a character moves past it. */
size_t lsp_utf16_bytes(const char *line, size_t len, unsigned units);

/* The byte offset of the LSP position (LINE, CHARACTER) in TEXT: past the
   end of its line, the end of the line; past the last line, LEN. */
size_t lsp_offset(const lsp_lines *lines, const char *text, size_t len,
                  unsigned line, unsigned character);

/* C may be part of an identifier (bytes of UTF-8 characters count). */
bool lsp_is_ident_byte(char c);

/* The end (in bytes from LINE) of the token at byte AT of LINE (LEN
   bytes): an identifier or number runs to its end, anything else but
   blanks is one character; at a blank or the end, AT itself. */
size_t lsp_token_end(const char *line, size_t len, size_t at);

/* The path a "file:" URI names, malloc'd; NULL for another scheme, a
   remote host, or an invalid escape. */
char *lsp_uri_to_path(const char *uri);

/* The "file://" URI of the absolute PATH, malloc'd. */
char *lsp_path_to_uri(const char *path);

#endif /* SHAPECHECK_LSP_TEXT_H */
