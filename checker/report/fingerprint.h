/*
 * fingerprint.h - a finding's identity that survives edits elsewhere.
 *
 * SARIF's partialFingerprints, the JSON output and the baseline all name a
 * finding by the same string, "0123456789abcdef:1": 16 hex digits of a
 * 64-bit FNV-1a hash of
 *   - the rule id ("clang-diagnostic-error" for a compiler diagnostic),
 *   - the text of the source line at the finding's position, with runs of
 *     white space made one space and none at either end,
 *   - the message, with line numbers taken out (a digit run right after
 *     ':' or after the word "line "),
 * then ':' and the occurrence: 1 for the first finding of its file with
 * that hash, 2 for the next, and so on.  The file name, the line number and
 * the column are left out, so that inserting lines above a finding,
 * re-indenting it or checking out the tree elsewhere keeps its
 * fingerprint; changing the line itself or the message makes a new one.
 * A line that cannot be read counts as empty.
 */
#ifndef SHAPECHECK_FINGERPRINT_H
#define SHAPECHECK_FINGERPRINT_H

#include <stddef.h>
#include <stdint.h>

#include "diag.h"

/* 16 hex digits, ':', up to 10 digits of occurrence, NUL. */
#define FINGERPRINT_SIZE 32

typedef struct fingerprint {
    char text[FINGERPRINT_SIZE];
} fingerprint;

/* The hash of one finding from its parts: RULE_ID, the source line
   (LINE_LEN bytes at LINE, not normalised yet) and the message. */
uint64_t fingerprint_hash(const char *rule_id, const char *line,
                          size_t line_len, const char *message);

/* The fingerprint of each finding of LIST (sorted, as output sees it):
   OUT[i] for list->items[i], OUT having room for list->n.  Each source
   file is read once per call. */
void fingerprint_list(const diag_list *list, fingerprint *out);

#endif /* SHAPECHECK_FINGERPRINT_H */
