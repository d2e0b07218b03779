/*
 * lsp_internal.h - what the language server's files share: an open
 * document, the analysis of one, the diagnostics published per file, and
 * the project (compile database and index) the documents belong to.
 *
 *   lsp.c               the server: messages, lifecycle, documents
 *   lsp_project.c       the compile database, found as clangd finds it,
 *                       and the project index kept fresh by a background
 *                       process, with $/progress
 *   lsp_diagnostics.c   one analysis of a document -> its diagnostics, in
 *                       each file they point into
 *   lsp_publish.c       what is published for each file: the union of
 *                       what the analyses of the open documents found
 *   lsp_shapes.c        hover and inlay hints from the shapes it recorded
 */
#ifndef SHAPECHECK_LSP_INTERNAL_H
#define SHAPECHECK_LSP_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

#include "lsp_text.h"
#include "shape_facts.h"

struct sc_index;

typedef struct lsp_document {
    char *uri;  /* as the client wrote it: diagnostics go to it */
    char *path; /* the file it names; NULL: not a file, not analysed */
    char *real; /* PATH with links resolved (or a copy), to match the
                   file names the analysis reports */
    char *text; /* the editor's buffer, NUL-terminated */
    size_t len;
    lsp_lines lines;
    bool dirty;            /* changed since it was last analysed */
    shape_fact_list facts; /* what the last analysis recorded */
    const char *fact_file; /* the facts' name for this document, or NULL */
} lsp_document;

/* ---- One analysis (lsp_diagnostics.c) ---------------------------------- */

/* The diagnostics one analysis found in one file. */
typedef struct lsp_file_diagnostics {
    char *uri;
    cJSON *diagnostics; /* an array of Diagnostic */
} lsp_file_diagnostics;

/* What one analysis of a document found: per file, its own first (its
   array may be empty), then each header or other file a finding of its
   unit points into. */
typedef struct lsp_findings {
    lsp_file_diagnostics *files;
    size_t n;
    char *log; /* what the checker said besides findings, or NULL */
} lsp_findings;

void lsp_findings_free(lsp_findings *f);

/* What an analysis uses besides the document. */
typedef struct lsp_context {
    /* The project's index (the server's handle), or NULL: a document that is
       one of its units is analysed with the rest of the program. */
    struct sc_index *index;
    /* The folder the server started in: relative names are from it. */
    const char *cwd;
    /* The open documents: a finding in one of them is placed by its
       buffer, not by the file on disk. */
    lsp_document *const *docs;
    size_t n_docs;
} lsp_context;

/* Analyses DOC as it is in the editor (its buffer): against CTX->index
   when it is one of the index's units, else as the command line analyses
   a file alone (the compile database found above its file).  The
   .shapecheck that applies to its file (disabled rules) and the NOLINT
   comments are honoured.  Replaces DOC->facts and fills *OUT. */
void lsp_analyse(const lsp_context *ctx, lsp_document *doc, lsp_findings *out);

/* {"line": L, "character": C} and a range of two of them. */
cJSON *lsp_position_json(unsigned line, unsigned character);
cJSON *lsp_range_json(unsigned line0, unsigned char0, unsigned line1,
                      unsigned char1);

/* ---- What is published (lsp_publish.c) ---------------------------------- */

/* Sends DIAGNOSTICS (an array, taken over) as the diagnostics of URI. */
typedef void lsp_publish_fn(void *ud, const char *uri, cJSON *diagnostics);

/* For each file, what each open document's last analysis found there. A
   header included by two open documents shows the findings of both, once
   each. */
typedef struct lsp_published {
    struct lsp_contribution *items;
    size_t n, cap;
    struct lsp_sent *sent; /* what was last published per file */
    size_t n_sent, cap_sent;
} lsp_published;

void lsp_published_init(lsp_published *p);
void lsp_published_free(lsp_published *p);

/* What OWNER (a document's URI) found, F (its arrays taken over),
   replaces what it found before.  Publishes OWNER's own file (F's first),
   and every other file whose diagnostics this changes. */
void lsp_published_set(lsp_published *p, const char *owner, lsp_findings *f,
                       lsp_publish_fn *publish, void *ud);

/* Forgets what OWNER found (it was closed), and publishes every file whose
   diagnostics this changes, OWNER's own included. */
void lsp_published_drop(lsp_published *p, const char *owner,
                        lsp_publish_fn *publish, void *ud);

/* ---- Hover and inlay hints (lsp_shapes.c) ------------------------------ */

/* textDocument/hover at the LSP position: a Hover, or NULL for none. */
cJSON *lsp_hover(const lsp_document *doc, unsigned line, unsigned character);

/* textDocument/inlayHint for the lines FIRST to LAST (0-based): an array
   of InlayHint. */
cJSON *lsp_inlay_hints(const lsp_document *doc, unsigned first, unsigned last);

/* ---- The project (lsp_project.c) ---------------------------------------- */

/* Sends MSG (taken over) to the client. */
typedef void lsp_send_fn(void *ud, cJSON *msg);

typedef struct lsp_project lsp_project;

/* Where the server looks for the compile database, in order. */
typedef struct lsp_project_places {
    const char *from_client; /* initializationOptions.compilationDatabasePath */
    const char *from_command_line; /* --compile-commands-dir, -p */
    const char *const *roots;      /* workspace folders (absolute paths) */
    size_t n_roots;
} lsp_project_places;

/* The folder of the first compile_commands.json among PLACES: the
   client's folder (relative to the first root), the command line's, then
   each root and its build/ folder.  A malloc'd real path, or NULL with
   the folders looked at in WHERE. */
char *lsp_find_database(const lsp_project_places *places, char *where,
                        size_t where_size);

/* Opens the project of the database in DB_DIR (its index in
   DB_DIR/.shapecheck; the .shapecheck that applies to the database gives
   the models and extra arguments).  JOBS: parsing threads of a refresh
   (0: all cores but one).  SEND: how $/progress goes out when PROGRESS
   (the client supports work done progress).  NULL with a message in ERR
   when the database cannot be used. */
lsp_project *lsp_project_open(const char *db_dir, int jobs, bool progress,
                              lsp_send_fn *send, void *ud, char *err,
                              size_t err_size);

/* Stops the refresh that runs (its units parsed so far stay stored) and
   frees everything. */
void lsp_project_close(lsp_project *p);

/* The index for analyses of documents. */
struct sc_index *lsp_project_index(lsp_project *p);

/* Whether the index had an entry when the project was opened. */
bool lsp_project_had_index(const lsp_project *p);

/* Starts a refresh of the index in the background (parse what is missing
   or stale), or, while one runs, asks for another after it: a file saved
   during a refresh may have been read before the save.  CHANGED (N
   files, may be 0) were saved since the last refresh: the refresh that
   sees them reports their dependents (lsp_project_finished). */
void lsp_project_refresh(lsp_project *p, const char *const *changed, size_t n);

/* A descriptor that becomes readable when the refresh that runs has news
   (progress, or its end), or -1 when none runs. */
int lsp_project_wake_fd(const lsp_project *p);

/* Takes the refresh's news (sending its progress); true once it has
   ended, with *ALL set when every open document should be analysed again
   (the first refresh: the rest of the program is there now), and *UNITS,
   *N_UNITS the units that the saved files can affect (index_dependents;
   owned by the project until the next call).  Starts the refresh asked
   for meanwhile.  Never waits. */
bool lsp_project_finished(lsp_project *p, bool *all, const char *const **units,
                          size_t *n_units);

/* What the index said since the last call (units it could not parse,
   stale entries left out), malloc'd, or NULL. */
char *lsp_project_take_log(lsp_project *p);

/* The response to a request the project sent (window/workDoneProgress/
   create): true when it was one of them. */
bool lsp_project_response(lsp_project *p, const cJSON *id, bool ok);

#endif /* SHAPECHECK_LSP_INTERNAL_H */
