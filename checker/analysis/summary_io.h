/*
 * summary_io.h - the summaries of one translation unit as a file (JSON,
 * the dimension language for shapes), so that a run can use what another
 * run learnt: a library analysed once and used by many programs, a cache,
 * or the per-file step run elsewhere.  Format: docs/summaries.md.
 */
#ifndef SHAPECHECK_SUMMARY_IO_H
#define SHAPECHECK_SUMMARY_IO_H

#include <stdbool.h>
#include <stdio.h>

#include "analysis.h"

struct cJSON;

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

/* Whether TEXT reads back as a summary, as an analysis will read it (a
   throwaway analysis reads it): a stored one that does not is a miss,
   never a failed run. */
bool summary_text_readable(const char *text);

/* The summary of TU as a malloc'd string, or NULL when out of memory. */
char *summary_text(analysis *an, const ir_tu *tu);

/* SIG, the signature of the function KEY, as compact text: equal texts
   mean equal signatures (what a cached result depended on).  malloc'd; ""
   for a NULL SIG. */
char *summary_signature_text(analysis *an, const char *key,
                             const signature *sig);

/* What TU's summary, computed in AN, took from elsewhere: the functions
   TU's walked bodies call and TU does not define, each with its signature
   then, as a JSON array of {"key": KEY, "text": summary_signature_text}.  A
   summary stored with its imports is the one a new analysis would compute while
   each import has the same signature (the cache, the project index's
   summaries). */
struct cJSON *summary_imports_json(analysis *an, const ir_tu *tu);

/* The non-static functions TU defines whose bodies AN did not walk
   (analysis_options.walk_on_demand): a summary of TU says nothing of
   them.  A JSON array of keys. */
struct cJSON *summary_unwalked_json(analysis *an, const ir_tu *tu);

/* Whether AN needed (engine/demand.c) one of the functions UNWALKED lists:
   a summary that left it out cannot stand for its unit then. */
bool summary_unwalked_needed(analysis *an, const struct cJSON *unwalked);

/* Whether IMPORTS is such an array (read back from a file). */
bool summary_imports_readable(const struct cJSON *imports);

/* Whether every import in IMPORTS has the same signature in AN now. */
bool summary_imports_current(analysis *an, const struct cJSON *imports);

#endif /* SHAPECHECK_SUMMARY_IO_H */
