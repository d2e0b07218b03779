/*
 * output_json.c - findings as shapecheck's JSON (see output_formats.h and
 * docs/json-format.md), and the JSON printing the other writers share.
 *
 * The document is built as a cJSON tree and printed at once: findings are
 * few, and a tree cannot produce malformed JSON the way hand-written
 * printf can.
 */
#include "output_formats.h"

#include <stdlib.h>

#include "arena.h"
#include "finding.h"
#include "fingerprint.h"

/* Version of the format: bumped when a field changes meaning or goes
   away (adding a field does not bump it). */
#define JSON_FORMAT_VERSION 1

int output_write_json(FILE *out, const cJSON *doc, const char *what, char *err,
                      size_t err_size)
{
    char *text = doc ? cJSON_Print(doc) : NULL;
    if (!text) {
        snprintf(err, err_size, "out of memory writing the %s", what);
        return -1;
    }
    fputs(text, out);
    fputc('\n', out);
    free(text);
    if (fflush(out) != 0 || ferror(out)) {
        snprintf(err, err_size, "cannot write the %s", what);
        return -1;
    }
    return 0;
}

/* "file", "line" and "column" of LOC into OBJ: null and 0 when unknown. */
static void add_position(cJSON *obj, arena *a, sc_loc loc)
{
    if (loc.file)
        cJSON_AddStringToObject(obj, "file", finding_utf8(a, loc.file));
    else
        cJSON_AddNullToObject(obj, "file");
    cJSON_AddNumberToObject(obj, "line", loc.line);
    cJSON_AddNumberToObject(obj, "column", loc.col);
}

static cJSON *note_object(arena *a, const diag_note *note)
{
    cJSON *obj = cJSON_CreateObject();
    add_position(obj, a, note->loc);
    cJSON_AddStringToObject(obj, "message", finding_utf8(a, note->message));
    return obj;
}

static cJSON *finding_object(arena *a, const diag *d, const fingerprint *fp)
{
    cJSON *obj = cJSON_CreateObject();
    cJSON_AddStringToObject(obj, "rule", finding_rule(d)->id);
    cJSON_AddStringToObject(obj, "severity",
                            finding_severity_name(d->severity));
    add_position(obj, a, d->loc);
    cJSON_AddStringToObject(obj, "message",
                            finding_utf8(a, finding_message(d)));
    cJSON_AddStringToObject(obj, "fingerprint", fp->text);
    cJSON *notes = cJSON_AddArrayToObject(obj, "notes");
    for (size_t i = 0; i < d->n_notes; i++)
        cJSON_AddItemToArray(notes, note_object(a, &d->notes[i]));
    return obj;
}

int output_json(FILE *out, const diag_list *list, char *err, size_t err_size)
{
    arena *a = arena_new();
    fingerprint *fps = arena_array(a, list->n, sizeof *fps);
    fingerprint_list(list, fps);
    cJSON *doc = cJSON_CreateObject();
    cJSON_AddNumberToObject(doc, "version", JSON_FORMAT_VERSION);
    cJSON *findings = cJSON_AddArrayToObject(doc, "findings");
    for (size_t i = 0; i < list->n; i++)
        cJSON_AddItemToArray(findings,
                             finding_object(a, &list->items[i], &fps[i]));
    int rc = output_write_json(out, doc, "json report", err, err_size);
    cJSON_Delete(doc);
    arena_free(a);
    return rc;
}
