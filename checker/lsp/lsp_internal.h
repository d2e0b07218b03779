/*
 * lsp_internal.h - what the language server's files share: an open
 * document, and the parts that work on one.
 *
 *   lsp.c               the server: messages, lifecycle, documents
 *   lsp_diagnostics.c   one analysis of a document -> its diagnostics
 *   lsp_shapes.c        hover and inlay hints from the shapes it recorded
 */
#ifndef SHAPECHECK_LSP_INTERNAL_H
#define SHAPECHECK_LSP_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

#include "lsp_text.h"
#include "shape_facts.h"

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

/* Analyses DOC as it is in the editor (its buffer, with the compile
   database found above its file and the .shapecheck that applies to it),
   replaces DOC->facts, and returns the "diagnostics" array to publish.
   What the checker had to say besides findings (a bad database, a file it
   could not read) is put in *LOG, malloc'd, or NULL when nothing. */
cJSON *lsp_analyse(lsp_document *doc, char **log);

/* textDocument/hover at the LSP position: a Hover, or NULL for none. */
cJSON *lsp_hover(const lsp_document *doc, unsigned line, unsigned character);

/* textDocument/inlayHint for the lines FIRST to LAST (0-based): an array
   of InlayHint. */
cJSON *lsp_inlay_hints(const lsp_document *doc, unsigned first, unsigned last);

/* {"line": L, "character": C} and a range of two of them. */
cJSON *lsp_position_json(unsigned line, unsigned character);
cJSON *lsp_range_json(unsigned line0, unsigned char0, unsigned line1,
                      unsigned char1);

#endif /* SHAPECHECK_LSP_INTERNAL_H */
