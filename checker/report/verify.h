/*
 * verify.h - --verify: clang's -verify convention (SPEC section 5).
 *
 * Expectations are comments in the analysed sources:
 *   // expected-error {{TEXT}}        a finding on this line whose
 *                                     "MESSAGE [rule]" contains TEXT
 *   // expected-note {{TEXT}}         a note on this line containing TEXT
 *   // expected-error@+N {{TEXT}}     ...on the line N below (@-N: above)
 *   // expected-no-diagnostics        the file has no findings at all
 * Several {{...}} after one keyword are several expectations.  Block
 * comments work as well as line comments.
 */
#ifndef SHAPECHECK_VERIFY_H
#define SHAPECHECK_VERIFY_H

#include <stdio.h>

#include "diag.h"

typedef enum verify_kind { VERIFY_ERROR, VERIFY_WARNING, VERIFY_NOTE } verify_kind;

typedef struct verify_expect {
    verify_kind kind;
    const char *file;
    unsigned line;        /* the line the expectation applies to */
    unsigned comment_line;/* where the comment is */
    const char *text;
    int matched;
} verify_expect;

typedef struct verify_file {
    const char *path;
    verify_expect *expects;
    size_t n_expects;
    int no_diagnostics;   /* expected-no-diagnostics seen */
    void *storage;        /* private */
} verify_file;

/* Reads the expectations in PATH.  Returns 0, or -1 with a message in ERR
   naming the file and line of a malformed expectation ("x.c:12: missing
   '}}' after 'expected-error'"). */
int verify_parse_file(verify_file *vf, const char *path, char *err, size_t err_size);
/* Same, from text already in memory (PATH names it in messages). */
int verify_parse_text(verify_file *vf, const char *path, const char *text,
                      char *err, size_t err_size);
void verify_file_free(verify_file *vf);

/* Matches LIST against the expectations of FILES (the files whose
   directives count: each must have some, or expected-no-diagnostics).
   An error or warning anywhere must be expected; a note is checked only
   when it points into one of FILES.  Writes each mismatch to OUT, clang
   style:
     error: 'expected-error' diagnostics expected but not seen:
       File train.c Line 42: logits and labels
     error: 'error' diagnostics seen but not expected:
       File train.c Line 40: ... [shape-mismatch]
   Returns the number of mismatches (0: the run verifies). */
size_t verify_check(const diag_list *list, verify_file *files, size_t n_files,
                    FILE *out);

#endif /* SHAPECHECK_VERIFY_H */
