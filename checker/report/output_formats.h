/*
 * output_formats.h - findings for machines: SARIF 2.1.0 (code scanning,
 * editors) and shapecheck's own JSON (scripts).  Text output is output.h.
 *
 * Both take LIST sorted (diag_list_sort) and write one JSON document to
 * OUT.  A compiler diagnostic (rule NULL) is written as a finding of the
 * pseudo-rule "clang-diagnostic-error" (finding.h) with clang's message
 * alone, without the location and "error: " clang puts before it.
 * docs/sarif.md and docs/json-format.md describe what is written.
 */
#ifndef SHAPECHECK_OUTPUT_FORMATS_H
#define SHAPECHECK_OUTPUT_FORMATS_H

#include <stddef.h>
#include <stdio.h>

#include <cjson/cJSON.h>

#include "diag.h"

/* One SARIF 2.1.0 log with one run.  File names become URIs relative to
   REPO_ROOT (the checkout's top folder, "%SRCROOT%"; NULL: the current
   folder); a file outside it keeps an absolute file:// URI.  Every rule of
   the table is listed, with the compiler pseudo-rule after them.
   Returns 0, or -1 with a message in ERR when the log cannot be written. */
int output_sarif(FILE *out, const diag_list *list, const char *repo_root,
                 char *err, size_t err_size);

/* How the run went, for the SARIF log's invocation (issue 12): a run that
   exits with status 2 is not "executionSuccessful", and what it said on
   standard error ("shapecheck: error: train.c: no such file or
   directory") becomes its toolExecutionNotifications. */
typedef struct sarif_invocation {
    int exit_code;               /* the checker's status (SPEC 5) */
    const char *const *messages; /* its lines on standard error */
    size_t n_messages;
} sarif_invocation;

/* output_sarif, with INV's account of the run (NULL: as output_sarif). */
int output_sarif_run(FILE *out, const diag_list *list, const char *repo_root,
                     const sarif_invocation *inv, char *err, size_t err_size);

/* {"version": 1, "findings": [...]}, as docs/json-format.md says; file
   names are written as the findings hold them.  Returns 0, or -1 with a
   message in ERR. */
int output_json(FILE *out, const diag_list *list, char *err, size_t err_size);

/* DOC printed (indented, with a final newline) to OUT; WHAT names the
   document in ERR ("sarif log").  Returns 0, or -1 when cJSON runs out of
   memory or OUT reports a write error.  Shared by the writers above and
   the baseline. */
int output_write_json(FILE *out, const cJSON *doc, const char *what, char *err,
                      size_t err_size);

#endif /* SHAPECHECK_OUTPUT_FORMATS_H */
