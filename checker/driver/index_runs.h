/*
 * index_runs.h - the language server's runs over the project index
 * (index.h): refreshing its stale entries in the background, and
 * analysing open documents against the rest of the program.  Each is a
 * driver run (driver.h) with the index's settings, so index.c itself
 * never runs the driver.
 */
#ifndef SHAPECHECK_INDEX_RUNS_H
#define SHAPECHECK_INDEX_RUNS_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"
#include "index.h"

struct shape_fact_list;

/* Called after each unit index_refresh parses, in completion order, from
   the thread that called index_refresh.  Return false to stop: the entries
   stored so far stay, the rest stay missing or stale. */
typedef bool (*index_progress_fn)(void *ud, size_t done, size_t total,
                                  const char *file);

/* Parses every unit whose entry is missing or stale and stores its facts.
   Returns SC_EXIT_CLEAN, or SC_EXIT_TROUBLE when a unit could not be
   parsed or its entry not written (said on O->messages).  A unit with
   compiler errors is stored as it is (its analysis reports them). */
int index_refresh(sc_index *ix, index_progress_fn progress, void *ud);

/* An open document: PATH as the editor names it (absolute, or relative to
   the current folder), TEXT its buffer (NULL: the file on disk). */
typedef struct index_document {
    const char *path;
    const char *text;
    size_t length;
} index_document;

/* Analyses DOCS, parsed from their buffers, together with every other
   unit of the database that has a fresh entry (stale and missing ones are
   left out, said once on O->messages).  A document that is not a unit of
   the database is parsed with no compiler arguments.  The findings of the
   documents' units go to LIST (unsorted, compiler errors included, as
   driver_run gives them), wherever they point (a header, another file);
   what the analysis learnt of their variables goes to FACTS (may be NULL).
   Nothing is written to the index: a buffer is not the file on disk.
   Returns SC_EXIT_CLEAN or SC_EXIT_TROUBLE (a document could not be
   parsed, or has compiler errors). */
int index_analyse(sc_index *ix, const index_document *docs, size_t n_docs,
                  diag_list *list, struct shape_fact_list *facts);

#endif /* SHAPECHECK_INDEX_RUNS_H */
