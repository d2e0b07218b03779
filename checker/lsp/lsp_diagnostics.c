/*
 * lsp_diagnostics.c - one analysis of an open document, and its findings
 * as LSP diagnostics, grouped by the file each points into.
 *
 * A document that is a unit of the project's compile database is
 * analysed with the rest of the program, from the project index
 * (index_analyse): a size that crosses files is seen.  Any other document
 * is analysed as the command line would analyse its file alone (the
 * compile database above it, else no arguments; .shapecheck's models and
 * extra arguments).  Either way its text is the editor's buffer, the
 * disabled rules of the .shapecheck that applies to it and the NOLINT
 * comments are honoured, and a finding in a header is a diagnostic of
 * that header's file.
 */
#define _XOPEN_SOURCE 700 /* open_memstream, realpath, strdup */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "driver.h"
#include "finding.h"
#include "index_runs.h"
#include "lsp_internal.h"
#include "source_file.h"
#include "suppress.h"

/* LSP DiagnosticSeverity */
enum { LSP_ERROR = 1, LSP_WARNING = 2, LSP_INFORMATION = 3 };

/* ---- Positions ---------------------------------------------------------- */

cJSON *lsp_position_json(unsigned line, unsigned character)
{
    cJSON *p = cJSON_CreateObject();
    cJSON_AddNumberToObject(p, "line", line);
    cJSON_AddNumberToObject(p, "character", character);
    return p;
}

cJSON *lsp_range_json(unsigned line0, unsigned char0, unsigned line1,
                      unsigned char1)
{
    cJSON *r = cJSON_CreateObject();
    cJSON_AddItemToObject(r, "start", lsp_position_json(line0, char0));
    cJSON_AddItemToObject(r, "end", lsp_position_json(line1, char1));
    return r;
}

/* The range of the token at byte COL (1-based) of the line S (LEN bytes),
   which is line LINE (0-based). */
static cJSON *token_range_in(unsigned line, const char *s, size_t len,
                             unsigned col)
{
    size_t at = col ? col - 1 : 0;
    if (at > len)
        at = len;
    size_t end = lsp_token_end(s, len, at);
    return lsp_range_json(line, lsp_utf16_units(s, at), line,
                          lsp_utf16_units(s, end));
}

/* The range of the token at the 1-based byte position LINE:COL of DOC. */
static cJSON *doc_range(const lsp_document *doc, unsigned line, unsigned col)
{
    unsigned line0 = line ? line - 1 : 0;
    size_t start, len;
    if (!lsp_line(&doc->lines, doc->text, doc->len, line0, &start, &len))
        return lsp_range_json(line0, 0, line0, 0);
    return token_range_in(line0, doc->text + start, len, col);
}

/* ---- File names ------------------------------------------------------ */

/* A file name as the run reported it (relative to the driver's folder, or
   absolute), resolved once. */
typedef struct named_file {
    const char *name;
    char *abs; /* absolute, links resolved where the file exists */
    char *uri; /* made on first need */
    const lsp_document *open; /* the open document it is, or NULL */
    bool is_doc;              /* the analysed document */
    bool scanned;             /* NOLINT comments read into SF */
    suppress_file sf;
} named_file;

/* One analysis of one document: what is needed to turn its findings into
   diagnostics. */
typedef struct run {
    const lsp_context *ctx;
    lsp_document *doc;
    const char *cwd;    /* what relative file names are relative to */
    named_file **files; /* each allocated once: pointers stay valid */
    size_t n_files, cap_files;
    source_cache sources; /* other files, for their columns */
    arena *scratch;
} run;

static char *absolute(const char *cwd, const char *name)
{
    if (name[0] == '/' || !cwd)
        return strdup(name);
    size_t n = strlen(cwd) + strlen(name) + 2;
    char *p = malloc(n);
    if (p)
        snprintf(p, n, "%s/%s", cwd, name);
    return p;
}

/* The file NAME (from a finding, a note or a fact), resolved on first
   sight; NULL for no name or out of memory. */
static named_file *file_named(run *r, const char *name)
{
    if (!name)
        return NULL;
    for (size_t i = 0; i < r->n_files; i++)
        if (strcmp(r->files[i]->name, name) == 0)
            return r->files[i];
    if (r->n_files == r->cap_files) {
        size_t cap = r->cap_files ? r->cap_files * 2 : 8;
        named_file **grown = realloc(r->files, cap * sizeof *grown);
        if (!grown)
            return NULL;
        r->files = grown, r->cap_files = cap;
    }
    named_file *f = calloc(1, sizeof *f);
    char *abs = absolute(r->cwd, name);
    char *real = abs ? realpath(abs, NULL) : NULL;
    if (real)
        free(abs);
    if (!f || !(real || abs)) {
        free(f);
        free(real ? real : abs);
        return NULL;
    }
    f->abs = real ? real : abs;
    f->name = name;
    f->is_doc = strcmp(f->abs, r->doc->real) == 0;
    f->open = f->is_doc ? r->doc : NULL;
    for (size_t i = 0; !f->open && i < r->ctx->n_docs; i++) {
        const lsp_document *d = r->ctx->docs[i];
        if (d->real && strcmp(f->abs, d->real) == 0)
            f->open = d;
    }
    r->files[r->n_files++] = f;
    return f;
}

/* The URI of F: an open document's as the client wrote it. */
static const char *file_uri(named_file *f)
{
    if (f->open)
        return f->open->uri;
    if (!f->uri)
        f->uri = lsp_path_to_uri(f->abs);
    return f->uri;
}

static void run_free(run *r)
{
    for (size_t i = 0; i < r->n_files; i++) {
        free(r->files[i]->abs);
        free(r->files[i]->uri);
        if (r->files[i]->scanned)
            suppress_file_free(&r->files[i]->sf);
        free(r->files[i]);
    }
    free(r->files);
    source_cache_free(&r->sources);
    arena_free(r->scratch);
}

/* ---- NOLINT ------------------------------------------------------------- */

/* The NOLINT comments of F: the buffer's for an open document, the disk's
   for other files (suppress.h; the command line reads them all from
   disk). */
static const suppress_file *directives(run *r, named_file *f)
{
    (void)r;
    if (!f->scanned) {
        size_t len = 0;
        char *text = f->open ? NULL : source_read(f->abs, &len);
        if (f->open)
            suppress_scan(&f->sf, f->open->text, f->open->len);
        else
            suppress_scan(&f->sf, text ? text : "", text ? len : 0);
        free(text);
        f->scanned = true;
    }
    return &f->sf;
}

static bool drop_suppressed(void *ctx, const diag *d, size_t index)
{
    (void)index;
    run *r = ctx;
    if (!d->rule || d->rule == &sc_rule_nolint)
        return false;
    named_file *f = file_named(r, d->loc.file);
    return f && suppress_covers(directives(r, f), d->loc.line, d->rule->id);
}

/* As suppress_apply: drop what NOLINT covers, then report unmatched
   NOLINTBEGIN/NOLINTEND comments in the files that were read. */
static void apply_nolint(run *r, diag_list *list)
{
    finding_remove_if(list, drop_suppressed, r);
    for (size_t i = 0; i < r->n_files; i++) {
        const named_file *f = r->files[i];
        for (size_t k = 0; f->scanned && k < f->sf.n_unmatched; k++) {
            const suppress_unmatched *u = &f->sf.unmatched[k];
            diag_add(list, &sc_rule_nolint, (sc_loc){f->name, u->line, u->col},
                     "%s", suppress_unmatched_message(u));
        }
    }
    diag_list_sort(list);
}

/* ---- Diagnostics ----------------------------------------------------- */

/* The range of the token at LOC in F: columns from the buffer for an
   open document, from the disk for other files. */
static cJSON *file_range(run *r, const named_file *f, sc_loc loc)
{
    unsigned line0 = loc.line ? loc.line - 1 : 0;
    const char *s;
    size_t len;
    if (f->open)
        return doc_range(f->open, loc.line, loc.col);
    if (source_cache_line(&r->sources, f->abs, loc.line, &s, &len))
        return token_range_in(line0, s, len, loc.col);
    unsigned c = loc.col ? loc.col - 1 : 0; /* unreadable: bytes it is */
    return lsp_range_json(line0, c, line0, c);
}

/* A DiagnosticRelatedInformation; NULL when LOC names no file. */
static cJSON *related(run *r, sc_loc loc, const char *message)
{
    named_file *f = file_named(r, loc.file);
    const char *uri = f ? file_uri(f) : NULL;
    if (!uri)
        return NULL;
    cJSON *info = cJSON_CreateObject();
    cJSON *where = cJSON_AddObjectToObject(info, "location");
    cJSON_AddStringToObject(where, "uri", uri);
    cJSON_AddItemToObject(where, "range", file_range(r, f, loc));
    cJSON_AddStringToObject(info, "message", finding_utf8(r->scratch, message));
    return info;
}

static int severity(sc_severity s)
{
    return s == SC_SEV_ERROR     ? LSP_ERROR
           : s == SC_SEV_WARNING ? LSP_WARNING
                                 : LSP_INFORMATION;
}

/* D as an LSP Diagnostic, placed in the file F it points into (NULL: a
   problem with no place, shown at the top of the document); its notes
   become related information. */
static cJSON *diagnostic(run *r, named_file *f, const diag *d)
{
    cJSON *out = cJSON_CreateObject();
    cJSON *rel = cJSON_CreateArray();
    if (f)
        cJSON_AddItemToObject(out, "range", file_range(r, f, d->loc));
    else
        cJSON_AddItemToObject(out, "range", lsp_range_json(0, 0, 0, 0));
    cJSON_AddNumberToObject(out, "severity", severity(d->severity));
    cJSON_AddStringToObject(out, "code", finding_rule(d)->id);
    cJSON_AddStringToObject(out, "source", "shapecheck");
    cJSON_AddStringToObject(out, "message",
                            finding_utf8(r->scratch, finding_message(d)));
    for (size_t i = 0; i < d->n_notes; i++) {
        cJSON *note = related(r, d->notes[i].loc, d->notes[i].message);
        if (note)
            cJSON_AddItemToArray(rel, note);
    }
    cJSON_AddItemToObject(out, "relatedInformation", rel);
    return out;
}

/* The diagnostics of URI in OUT, added on first need.  NULL when out of
   memory. */
static cJSON *diagnostics_of(lsp_findings *out, const char *uri)
{
    for (size_t i = 0; i < out->n; i++)
        if (strcmp(out->files[i].uri, uri) == 0)
            return out->files[i].diagnostics;
    lsp_file_diagnostics *grown =
        realloc(out->files, (out->n + 1) * sizeof *grown);
    if (!grown)
        return NULL;
    out->files = grown;
    lsp_file_diagnostics *f = &out->files[out->n];
    if (!(f->uri = strdup(uri)))
        return NULL;
    f->diagnostics = cJSON_CreateArray();
    out->n++;
    return f->diagnostics;
}

/* Each finding of LIST as a diagnostic of the file it is in: the
   document's first, then the others in order of appearance. */
static void group_by_file(run *r, const diag_list *list, lsp_findings *out)
{
    diagnostics_of(out, r->doc->uri);
    for (size_t i = 0; i < list->n; i++) {
        const diag *d = &list->items[i];
        named_file *f = file_named(r, d->loc.file);
        const char *uri = f ? file_uri(f) : NULL;
        cJSON *into = diagnostics_of(out, uri ? uri : r->doc->uri);
        if (into)
            cJSON_AddItemToArray(into, diagnostic(r, uri ? f : NULL, d));
    }
}

/* ---- One analysis ------------------------------------------------------- */

/* The facts' name for the document: file names in FACTS are interned, so
   the document's is one pointer. */
static const char *facts_file(run *r, const shape_fact_list *facts)
{
    for (size_t i = 0; i < facts->n; i++) {
        named_file *f = file_named(r, facts->items[i].decl.file);
        if (f && f->is_doc)
            return facts->items[i].decl.file;
    }
    return NULL;
}

/* Runs the driver on the document's buffer: findings into LIST, facts into
   FACTS, the driver's messages into MESSAGES. */
static void run_driver(run *r, const config *cfg, diag_list *list,
                       shape_fact_list *facts, FILE *messages)
{
    lsp_document *doc = r->doc;
    const char *files[1] = {doc->path};
    driver_options o = {0};
    o.files = files, o.n_files = 1, o.jobs = 1;
    o.models = cfg->models, o.n_models = (int)cfg->n_models;
    o.extra_args = cfg->extra_args, o.n_extra_args = (int)cfg->n_extra_args;
    o.messages = messages;
    int status;
    driver *d = driver_new(&o, &status);
    if (!d)
        return;
    /* One file, one command: if the database spells the file another way,
       the command's own name is the one to give the buffer to. */
    if (!driver_set_unsaved(d, doc->path, doc->text, doc->len) &&
        driver_n_commands(d) == 1)
        driver_set_unsaved(d, driver_file(d, 0), doc->text, doc->len);
    driver_run_collect(d, list, facts);
    r->cwd = arena_strdup(r->scratch, driver_cwd(d) ? driver_cwd(d) : ".");
    driver_free(d);
}

/* Whether the document is one of the units of the index. */
static bool is_unit(sc_index *ix, const lsp_document *doc)
{
    for (size_t i = 0; ix && i < index_n_units(ix); i++) {
        const char *unit = index_unit_file(ix, i);
        if (strcmp(unit, doc->path) == 0 || strcmp(unit, doc->real) == 0)
            return true;
    }
    return false;
}

/* Analyses the document's buffer with the rest of the program from the
   index: findings into LIST, facts into FACTS. */
static void run_index(run *r, diag_list *list, shape_fact_list *facts)
{
    index_document doc = {r->doc->path, r->doc->text, r->doc->len};
    index_analyse(r->ctx->index, &doc, 1, list, facts);
    r->cwd = r->ctx->cwd;
}

void lsp_analyse(const lsp_context *ctx, lsp_document *doc, lsp_findings *out)
{
    memset(out, 0, sizeof *out);
    size_t log_len = 0;
    FILE *messages = open_memstream(&out->log, &log_len);
    run r = {.ctx = ctx, .doc = doc, .scratch = arena_new()};
    config cfg = {0};
    char err[1024];
    if (config_for_file(&cfg, doc->path, err, sizeof err) != 0)
        fprintf(messages ? messages : stderr, "shapecheck: error: %s\n", err);
    diag_list list;
    diag_list_init(&list);
    shape_fact_list facts;
    shape_fact_list_init(&facts);
    if (is_unit(ctx->index, doc))
        run_index(&r, &list, &facts);
    else
        run_driver(&r, &cfg, &list, &facts, messages ? messages : stderr);
    diag_list_sort(&list);
    config_drop_disabled(&cfg, &list);
    apply_nolint(&r, &list);
    group_by_file(&r, &list, out);
    shape_fact_list_free(&doc->facts);
    doc->facts = facts;
    doc->fact_file = facts_file(&r, &doc->facts);
    diag_list_free(&list);
    config_free(&cfg);
    run_free(&r);
    if (messages)
        fclose(messages);
    if (out->log && !log_len) {
        free(out->log);
        out->log = NULL;
    }
}
