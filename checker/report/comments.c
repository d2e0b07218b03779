/*
 * comments.c - finding comments in C text (see comments.h).
 *
 * Each helper takes the position after what opened a token and returns
 * the position after the token; the driver counts the newlines of each
 * token it steps over, so that every byte is looked at a bounded number of
 * times.
 */
#include "comments.h"

#include <ctype.h>
#include <stdbool.h>
#include <string.h>

static bool is_ident_char(char c)
{
    return isalnum((unsigned char)c) || c == '_';
}

/* P is after "//": its newline, or END.  A backslash before the newline
   (or before "\r\n") continues the comment. */
static const char *line_comment_end(const char *p, const char *end)
{
    for (; p < end && *p != '\n'; p++) {
        if (*p != '\\')
            continue;
        if (p + 1 < end && p[1] == '\n')
            p++;
        else if (p + 2 < end && p[1] == '\r' && p[2] == '\n')
            p += 2;
    }
    return p;
}

/* P is just inside a block comment: where its closing star-slash starts,
   or END. */
static const char *block_comment_end(const char *p, const char *end)
{
    for (; p + 1 < end; p++)
        if (p[0] == '*' && p[1] == '/')
            return p;
    return end;
}

/* P is after the opening QUOTE: just past the closing one.  An unclosed
   literal ends at the end of its line, where the compiler gives up. */
static const char *literal_end(const char *p, const char *end, char quote)
{
    while (p < end && *p != quote && *p != '\n') {
        if (*p == '\\' && p + 1 < end)
            p++;
        p++;
    }
    return p < end && *p == quote ? p + 1 : p;
}

/* P is at a digit: the end of the preprocessing number. */
static const char *number_end(const char *p, const char *end)
{
    for (p++; p < end; p++) {
        if ((*p == '+' || *p == '-') && strchr("eEpP", p[-1]))
            continue;
        if (*p == '\'' && p + 1 < end && isalnum((unsigned char)p[1]))
            continue;
        if (!is_ident_char(*p) && *p != '.')
            break;
    }
    return p;
}

/* Where the scan is: line number and where that line starts. */
typedef struct position {
    unsigned line;
    const char *line_start;
} position;

/* Moves POS over the text [P, END). */
static void advance(position *pos, const char *p, const char *end)
{
    for (; p < end; p++)
        if (*p == '\n') {
            pos->line++;
            pos->line_start = p + 1;
        }
}

static comment make_comment(const position *pos, const char *body,
                            const char *end)
{
    return (comment){body, (size_t)(end - body), pos->line,
                     (unsigned)(body - pos->line_start) + 1};
}

/* The token at P (P < END) that is not a comment: where it ends. */
static const char *skip_token(const char *p, const char *end)
{
    if (*p == '"' || *p == '\'')
        return literal_end(p + 1, end, *p);
    if (isdigit((unsigned char)*p))
        return number_end(p, end);
    /* Whole identifiers, so that digits in them are not numbers; a
       literal's prefix (L'x', u8"x") stops at its quote. */
    const char *q = p + 1;
    if (is_ident_char(*p))
        while (q < end && is_ident_char(*q))
            q++;
    return q;
}

void comments_scan(const char *text, size_t len, comments_fn *fn, void *ctx)
{
    const char *end = text + len;
    position pos = {1, text};
    for (const char *p = text, *next; p < end; p = next) {
        bool opens = p + 1 < end && p[0] == '/';
        if (opens && p[1] == '/') {
            next = line_comment_end(p + 2, end);
            comment c = make_comment(&pos, p + 2, next);
            fn(ctx, &c);
        } else if (opens && p[1] == '*') {
            const char *close = block_comment_end(p + 2, end);
            comment c = make_comment(&pos, p + 2, close);
            fn(ctx, &c);
            next = close < end ? close + 2 : end;
        } else {
            next = skip_token(p, end);
        }
        advance(&pos, p, next);
    }
}
