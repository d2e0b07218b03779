/*
 * summary_io.h - the summaries of one translation unit as a file (JSON,
 * the dimension language for shapes), so that a run can use what another
 * run learnt: a library analysed once and used by many programs, a cache,
 * or the per-file step run elsewhere.  Format: docs/summaries.md.
 */
#ifndef SHAPECHECK_SUMMARY_IO_H
#define SHAPECHECK_SUMMARY_IO_H

#include <stdio.h>

#include "analysis.h"

/* Writes the signatures (annotations merged with summaries) of the
   non-static functions TU defines.  Returns 0, or -1 with a message. */
int summary_write(analysis *an, const ir_tu *tu, FILE *out, char *err,
                  size_t err_size);

/* Reads a file summary_write wrote and makes its functions known to AN
   (an->external, by key): a call to one of them that the program does not
   define uses it.  Returns 0, or -1 with a message naming the file. */
int summary_read(analysis *an, const char *path, char *err, size_t err_size);

/* The same from TEXT in memory (NAME names it in messages). */
int summary_read_text(analysis *an, const char *text, const char *name,
                      char *err, size_t err_size);

/* The summary of TU as a malloc'd string, or NULL when out of memory. */
char *summary_text(analysis *an, const ir_tu *tu);

/* SIG, the signature of the function KEY, as compact text: equal texts
   mean equal signatures (what a cached result depended on).  malloc'd; ""
   for a NULL SIG. */
char *summary_signature_text(analysis *an, const char *key,
                             const signature *sig);

#endif /* SHAPECHECK_SUMMARY_IO_H */
