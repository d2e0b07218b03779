/*
 * comments.h - the comments of C source text, for directives written in
 * them (NOLINT and friends).
 *
 * The scanner knows just enough C to tell a comment from the rest: string
 * and character literals are skipped (a "//" inside a string opens
 * nothing), and so are numbers, so that C23 digit separators (1'000) do not
 * open a character literal.  A line comment goes on past a
 * backslash-newline, as the preprocessor splices it.  One pass, linear in
 * the length of the text.
 */
#ifndef SHAPECHECK_COMMENTS_H
#define SHAPECHECK_COMMENTS_H

#include <stddef.h>

typedef struct comment {
    const char *body; /* after the opening "//" or slash-star */
    size_t len;       /* up to the newline or the closing star-slash */
    unsigned line;    /* 1-based line where the body starts */
    unsigned col;     /* 1-based byte column of the body's first byte */
} comment;

typedef void comments_fn(void *ctx, const comment *c);

/* Calls FN for each comment of TEXT (LEN bytes, NUL bytes allowed), in
   order.  An unterminated block comment runs to the end of the text. */
void comments_scan(const char *text, size_t len, comments_fn *fn, void *ctx);

#endif /* SHAPECHECK_COMMENTS_H */
