/*
 * baseline.h - --write-baseline FILE and --baseline FILE: adopt the
 * checker on a code base with known findings, and fail only on new ones.
 *
 * The file is JSON, written by shapecheck and read back by it:
 *
 *   {
 *     "shapecheck-baseline": 1,
 *     "findings": [
 *       {"fingerprint": "0123456789abcdef:1", "rule": "shape-mismatch",
 *        "file": "src/train.c", "message": "..."}
 *     ]
 *   }
 *
 * Only "fingerprint" (fingerprint.h) is used to match; "rule", "file" and
 * "message" are there for the people who review the file, and other
 * members are ignored.  Each entry takes away one finding with its
 * fingerprint, so a second identical finding on the same line still shows.
 * Compiler diagnostics are never written to a baseline nor removed by one.
 */
#ifndef SHAPECHECK_BASELINE_H
#define SHAPECHECK_BASELINE_H

#include <stddef.h>

#include "diag.h"

/* The value of "shapecheck-baseline" this version writes and reads. */
#define BASELINE_VERSION 1

typedef struct baseline {
    const char **fingerprints; /* sorted, duplicates kept */
    size_t n;
    void *storage; /* private */
} baseline;

/* Writes the findings of LIST (sorted) as a baseline to PATH: to PATH.tmp
   first, renamed over PATH only once complete, so that a failure never
   leaves a damaged baseline.  "file" is relative to REPO_ROOT when the file
   is inside it (NULL: the current folder).  Returns 0, or -1 with a
   message in ERR. */
int baseline_write(const char *path, const diag_list *list,
                   const char *repo_root, char *err, size_t err_size);

/* Reads the baseline PATH.  Returns 0, or -1 with a message in ERR:
     "PATH: cannot read: REASON"
     "PATH:LINE:COL: malformed baseline"          (not JSON)
     "PATH: not a shapecheck baseline (WHY)"      (JSON of another shape)
   and B left empty. */
int baseline_load(baseline *b, const char *path, char *err, size_t err_size);
void baseline_free(baseline *b);

/* Removes from LIST the findings that B lists, each entry of B taking
   away at most one finding.  Returns the number removed. */
size_t baseline_apply(const baseline *b, diag_list *list);

#endif /* SHAPECHECK_BASELINE_H */
