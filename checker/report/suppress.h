/*
 * suppress.h - clang-tidy's NOLINT comments in the analysed sources.
 *
 *   code;  // NOLINT                       every rule, on this line
 *   code;  // NOLINT(shape-mismatch)       the rules listed, on this line
 *   // NOLINTNEXTLINE(shape-*)             ...on the next line
 *   // NOLINTBEGIN(shape-batch-mismatch)   ...on every line from here
 *   // NOLINTEND(shape-batch-mismatch)     ...to here
 *
 * A rule list is comma-separated; white space around names does not count;
 * '*' matches any run of characters; a name after '-' takes the rules it
 * matches out again (the last name that matches decides, as in
 * clang-tidy's globs).  No list means every rule, an empty "()" none.  A
 * NOLINTEND closes the latest open NOLINTBEGIN with the same list.  The
 * words count only in comments (never in strings) and only as whole,
 * upper-case words; anything may follow them in the comment.
 *
 * A finding is suppressed by the comments of the file and line of its own
 * position (its notes do not matter).  Compiler diagnostics and
 * shapecheck-nolint findings are never suppressed.  An unmatched
 * NOLINTBEGIN or NOLINTEND is a shapecheck-nolint finding (rules.h), as
 * clang-tidy reports clang-tidy-nolint, and while a file has one none of
 * its NOLINTBEGIN/NOLINTEND ranges applies.
 */
#ifndef SHAPECHECK_SUPPRESS_H
#define SHAPECHECK_SUPPRESS_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"

/* Lines FIRST to LAST (inclusive) where the rules RULES are suppressed;
   RULES NULL: every rule. */
typedef struct suppress_span {
    unsigned first, last;
    const char *rules; /* the list without white space, "a,b" */
} suppress_span;

/* A NOLINTBEGIN with no NOLINTEND, or the other way round, at LINE:COL
   (where the word starts). */
typedef struct suppress_unmatched {
    unsigned line, col;
    bool is_begin;
} suppress_unmatched;

/* What the NOLINT comments of one file say. */
typedef struct suppress_file {
    suppress_span *spans;
    size_t n_spans;
    suppress_unmatched *unmatched; /* in the order of the text */
    size_t n_unmatched;
    void *storage; /* private */
} suppress_file;

/* Reads the NOLINT comments of TEXT (LEN bytes).  One pass, linear in LEN
   (plus the spans found).  Free SF with suppress_file_free. */
void suppress_scan(suppress_file *sf, const char *text, size_t len);
void suppress_file_free(suppress_file *sf);

/* Whether SF suppresses rule RULE_ID on LINE. */
bool suppress_covers(const suppress_file *sf, unsigned line,
                     const char *rule_id);

/* Whether the rule list RULES (as in a span) takes in RULE_ID. */
bool suppress_rules_match(const char *rules, const char *rule_id);

/* The message of a shapecheck-nolint finding for U, clang-tidy's. */
const char *suppress_unmatched_message(const suppress_unmatched *u);

/* Removes from LIST the findings that NOLINT comments suppress, reading
   each file that findings point into once; then adds a shapecheck-nolint
   finding for each unmatched NOLINTBEGIN/NOLINTEND in those files and
   sorts LIST again.  A file that cannot be read suppresses nothing.
   Returns the number of findings removed. */
size_t suppress_apply(diag_list *list);

#endif /* SHAPECHECK_SUPPRESS_H */
