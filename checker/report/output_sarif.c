/*
 * output_sarif.c - findings as one SARIF 2.1.0 log (see output_formats.h
 * and docs/sarif.md), shaped for GitHub code scanning: repository-relative
 * URIs under "%SRCROOT%", rules with help text, a line-hash fingerprint.
 *
 * Compiler diagnostics are results of the pseudo-rule
 * "clang-diagnostic-error" rather than toolExecutionNotifications: code
 * scanning shows results and drops notifications, and an error that kept a
 * file from being analysed should be seen where the code is.
 */
#define _XOPEN_SOURCE 700 /* open_memstream */

#include "output_formats.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "finding.h"
#include "fingerprint.h"
#include "repo_path.h"
#include "source_file.h"

#define SARIF_SCHEMA                                                           \
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/"      \
    "sarif-schema-2.1.0.json"
#define SRCROOT "%SRCROOT%"

/* The version the driver reports; the build may pass the project's. */
#ifndef SHAPECHECK_VERSION
#define SHAPECHECK_VERSION "0.1.0"
#endif

/* What one output_sarif call works with. */
typedef struct sarif_writer {
    arena *arena;
    const char *root;      /* absolute */
    const sc_rule **rules; /* driver.rules, in ruleIndex order */
    size_t n_rules;
    source_cache lines; /* for byte-to-character columns */
} sarif_writer;

/* ---- Rules -------------------------------------------------------------- */

static long rule_index(const sarif_writer *w, const sc_rule *rule)
{
    for (size_t i = 0; i < w->n_rules; i++)
        if (w->rules[i] == rule || strcmp(w->rules[i]->id, rule->id) == 0)
            return (long)i;
    return -1;
}

/* The table's rules, the compiler pseudo-rule, then any rule a finding
   names that is in neither (a test's own rule), so that every ruleIndex
   points at its rule. */
static void collect_rules(sarif_writer *w, const diag_list *list)
{
    w->rules =
        arena_array(w->arena, sc_n_rules + 1 + list->n, sizeof *w->rules);
    for (size_t i = 0; i < sc_n_rules; i++)
        w->rules[w->n_rules++] = sc_rules[i];
    w->rules[w->n_rules++] = &finding_compiler_rule;
    for (size_t i = 0; i < list->n; i++) {
        const sc_rule *rule = finding_rule(&list->items[i]);
        if (rule_index(w, rule) < 0)
            w->rules[w->n_rules++] = rule;
    }
}

static cJSON *text_object(const char *key, const char *text)
{
    cJSON *obj = cJSON_CreateObject();
    cJSON_AddStringToObject(obj, key, text);
    return obj;
}

static cJSON *rule_object(arena *a, const sc_rule *rule)
{
    cJSON *obj = cJSON_CreateObject();
    cJSON_AddStringToObject(obj, "id", rule->id);
    cJSON_AddStringToObject(obj, "name", rule->id);
    cJSON_AddItemToObject(obj, "shortDescription",
                          text_object("text", rule->short_text));
    cJSON_AddItemToObject(obj, "fullDescription",
                          text_object("text", rule->full_text));
    cJSON *help = text_object("text", rule->full_text);
    cJSON_AddStringToObject(
        help, "markdown",
        arena_printf(a, "**%s**\n\n%s", rule->short_text, rule->full_text));
    cJSON_AddItemToObject(obj, "help", help);
    cJSON_AddItemToObject(
        obj, "defaultConfiguration",
        text_object("level", finding_severity_name(rule->severity)));
    /* What code scanning reads to rank and filter alerts: an error is
       reported only when the shapes cannot match on any execution. */
    cJSON *props = cJSON_AddObjectToObject(obj, "properties");
    cJSON *tags = cJSON_AddArrayToObject(props, "tags");
    cJSON_AddItemToArray(tags, cJSON_CreateString("correctness"));
    cJSON_AddStringToObject(props, "precision", "very-high");
    return obj;
}

static cJSON *driver_object(const sarif_writer *w)
{
    cJSON *driver = cJSON_CreateObject();
    cJSON_AddStringToObject(driver, "name", "shapecheck");
#ifdef SHAPECHECK_INFORMATION_URI
    cJSON_AddStringToObject(driver, "informationUri",
                            SHAPECHECK_INFORMATION_URI);
#endif
    cJSON_AddStringToObject(driver, "version", SHAPECHECK_VERSION);
    cJSON_AddStringToObject(driver, "semanticVersion", SHAPECHECK_VERSION);
    cJSON *rules = cJSON_AddArrayToObject(driver, "rules");
    for (size_t i = 0; i < w->n_rules; i++)
        cJSON_AddItemToArray(rules, rule_object(w->arena, w->rules[i]));
    return driver;
}

/* ---- Locations ---------------------------------------------------------- */

/* LOC's column counted in characters, as columnKind "unicodeCodePoints"
   says, from clang's byte column; the byte column when the line cannot be
   read. */
static unsigned char_column(sarif_writer *w, sc_loc loc)
{
    const char *text;
    size_t len;
    if (loc.col <= 1 ||
        !source_cache_line(&w->lines, loc.file, loc.line, &text, &len))
        return loc.col;
    size_t bytes = loc.col - 1;
    unsigned col = 1;
    for (size_t i = 0; i < bytes; i++)
        col += i >= len || ((unsigned char)text[i] & 0xC0) != 0x80;
    return col;
}

static cJSON *artifact_location(sarif_writer *w, const char *file)
{
    cJSON *obj = cJSON_CreateObject();
    const char *rel = repo_path_relative(w->arena, file, w->root);
    if (rel) {
        cJSON_AddStringToObject(obj, "uri",
                                repo_path_uri_encode(w->arena, rel));
        cJSON_AddStringToObject(obj, "uriBaseId", SRCROOT);
    } else {
        cJSON_AddStringToObject(obj, "uri",
                                repo_path_file_uri(w->arena, file, 0));
    }
    return obj;
}

/* {physicalLocation: {artifactLocation, region}}; NULL when LOC has no
   file.  A line or column of 0 (unknown) is left out. */
static cJSON *physical_location(sarif_writer *w, sc_loc loc)
{
    if (!loc.file)
        return NULL;
    cJSON *phys = cJSON_CreateObject();
    cJSON_AddItemToObject(phys, "artifactLocation",
                          artifact_location(w, loc.file));
    if (loc.line) {
        cJSON *region = cJSON_AddObjectToObject(phys, "region");
        cJSON_AddNumberToObject(region, "startLine", loc.line);
        if (loc.col)
            cJSON_AddNumberToObject(region, "startColumn", char_column(w, loc));
    }
    return phys;
}

/* ---- Results ------------------------------------------------------------ */

static cJSON *related_locations(sarif_writer *w, const diag *d)
{
    cJSON *related = cJSON_CreateArray();
    for (size_t i = 0; i < d->n_notes; i++) {
        cJSON *loc = cJSON_CreateObject();
        cJSON_AddNumberToObject(loc, "id", (double)i);
        cJSON *phys = physical_location(w, d->notes[i].loc);
        if (phys)
            cJSON_AddItemToObject(loc, "physicalLocation", phys);
        cJSON_AddItemToObject(
            loc, "message",
            text_object("text", finding_utf8(w->arena, d->notes[i].message)));
        cJSON_AddItemToArray(related, loc);
    }
    return related;
}

/* A note's link text: its file's name and line ("loss.c:25"), with the
   characters SARIF's link syntax reserves ('[', ']', '\\') escaped. */
static const char *link_text(sarif_writer *w, sc_loc loc)
{
    const char *base = strrchr(loc.file, '/');
    base = base ? base + 1 : loc.file;
    size_t n = strlen(base);
    char *out = arena_alloc(w->arena, 2 * n + 1);
    char *p = out;
    for (size_t i = 0; i < n; i++) {
        if (base[i] == '[' || base[i] == ']' || base[i] == '\\')
            *p++ = '\\';
        *p++ = base[i];
    }
    *p = '\0';
    return loc.line ? arena_printf(w->arena, "%s:%u", out, loc.line) : out;
}

/* message.text: the message, then each note's text followed by an embedded
   link to its related location ("([loss.c:25](1))", SARIF 3.11.6), as
   GitHub code scanning shows related locations only when the message links
   to them.  A note without a file has no location to link to.  Brackets
   outside the links (shapes: "[32, 10]") need no escaping. */
static const char *message_text(sarif_writer *w, const diag *d)
{
    const char *text = finding_utf8(w->arena, finding_message(d));
    if (!d->n_notes)
        return text;
    /* Linear in the notes: a chain of calls may have many. */
    char *buf = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&buf, &size);
    if (!out)
        return text;
    size_t len = strlen(text);
    fprintf(out, "%s%s%s", text, len && text[len - 1] == '.' ? " " : ". ",
            d->n_notes == 1 ? "Note: " : "Notes: ");
    for (size_t i = 0; i < d->n_notes; i++) {
        const diag_note *note = &d->notes[i];
        fputs(finding_utf8(w->arena, note->message), out);
        if (note->loc.file)
            fprintf(out, " ([%s](%zu))",
                    finding_utf8(w->arena, link_text(w, note->loc)), i);
        fputs(i + 1 < d->n_notes ? "; " : ".", out);
    }
    if (fclose(out) != 0 || !buf) {
        free(buf);
        return text;
    }
    text = arena_strdup(w->arena, buf);
    free(buf);
    return text;
}

static cJSON *result_object(sarif_writer *w, const diag *d,
                            const fingerprint *fp)
{
    cJSON *res = cJSON_CreateObject();
    const sc_rule *rule = finding_rule(d);
    cJSON_AddStringToObject(res, "ruleId", rule->id);
    cJSON_AddNumberToObject(res, "ruleIndex", (double)rule_index(w, rule));
    cJSON_AddStringToObject(res, "level", finding_severity_name(d->severity));
    cJSON_AddItemToObject(res, "message",
                          text_object("text", message_text(w, d)));
    cJSON *phys = physical_location(w, d->loc);
    if (phys) {
        cJSON *loc = cJSON_CreateObject();
        cJSON_AddItemToObject(loc, "physicalLocation", phys);
        cJSON_AddItemToArray(cJSON_AddArrayToObject(res, "locations"), loc);
    }
    if (d->n_notes)
        cJSON_AddItemToObject(res, "relatedLocations", related_locations(w, d));
    cJSON_AddItemToObject(res, "partialFingerprints",
                          text_object("primaryLocationLineHash", fp->text));
    return res;
}

static bool has_compiler_errors(const diag_list *list)
{
    for (size_t i = 0; i < list->n; i++)
        if (!list->items[i].rule)
            return true;
    return false;
}

/* One line the checker said on standard error, as a notification:
   "shapecheck: error: WHAT" is an error notification with text WHAT. */
static cJSON *notification(const char *line)
{
    static const struct {
        const char *prefix, *level;
    } kinds[] = {{"shapecheck: error: ", "error"},
                 {"shapecheck: warning: ", "warning"},
                 {"shapecheck: ", "note"}};
    const char *level = "note", *text = line;
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        size_t n = strlen(kinds[i].prefix);
        if (strncmp(line, kinds[i].prefix, n) == 0) {
            level = kinds[i].level;
            text = line + n;
            break;
        }
    }
    cJSON *note = cJSON_CreateObject();
    cJSON_AddStringToObject(note, "level", level);
    cJSON_AddItemToObject(note, "message", text_object("text", text));
    return note;
}

/* The run's one invocation: whether it did its whole job (exit status
   other than 2; without INV, no compiler error) and what it said. */
static cJSON *invocation_object(const diag_list *list,
                                const sarif_invocation *inv)
{
    cJSON *invocation = cJSON_CreateObject();
    bool ok = inv ? inv->exit_code != 2 : !has_compiler_errors(list);
    cJSON_AddBoolToObject(invocation, "executionSuccessful", ok);
    if (!inv)
        return invocation;
    cJSON_AddNumberToObject(invocation, "exitCode", inv->exit_code);
    if (inv->n_messages == 0)
        return invocation;
    cJSON *notes =
        cJSON_AddArrayToObject(invocation, "toolExecutionNotifications");
    for (size_t i = 0; i < inv->n_messages; i++)
        cJSON_AddItemToArray(notes, notification(inv->messages[i]));
    return invocation;
}

static cJSON *run_object(sarif_writer *w, const diag_list *list,
                         const sarif_invocation *inv)
{
    cJSON *run = cJSON_CreateObject();
    cJSON *tool = cJSON_AddObjectToObject(run, "tool");
    cJSON_AddItemToObject(tool, "driver", driver_object(w));
    cJSON_AddItemToArray(cJSON_AddArrayToObject(run, "invocations"),
                         invocation_object(list, inv));
    cJSON *bases = cJSON_AddObjectToObject(run, "originalUriBaseIds");
    cJSON_AddItemToObject(
        bases, SRCROOT,
        text_object("uri", repo_path_file_uri(w->arena, w->root, 1)));
    fingerprint *fps = arena_array(w->arena, list->n, sizeof *fps);
    fingerprint_list(list, fps);
    cJSON *results = cJSON_AddArrayToObject(run, "results");
    for (size_t i = 0; i < list->n; i++)
        cJSON_AddItemToArray(results,
                             result_object(w, &list->items[i], &fps[i]));
    cJSON_AddStringToObject(run, "columnKind", "unicodeCodePoints");
    return run;
}

int output_sarif(FILE *out, const diag_list *list, const char *repo_root,
                 char *err, size_t err_size)
{
    return output_sarif_run(out, list, repo_root, NULL, err, err_size);
}

int output_sarif_run(FILE *out, const diag_list *list, const char *repo_root,
                     const sarif_invocation *inv, char *err, size_t err_size)
{
    sarif_writer w = {.arena = arena_new()};
    w.root = repo_path_absolute(w.arena, repo_root ? repo_root : ".");
    collect_rules(&w, list);
    cJSON *log = cJSON_CreateObject();
    cJSON_AddStringToObject(log, "$schema", SARIF_SCHEMA);
    cJSON_AddStringToObject(log, "version", "2.1.0");
    cJSON_AddItemToArray(cJSON_AddArrayToObject(log, "runs"),
                         run_object(&w, list, inv));
    int rc = output_write_json(out, log, "sarif log", err, err_size);
    cJSON_Delete(log);
    source_cache_free(&w.lines);
    arena_free(w.arena);
    return rc;
}
