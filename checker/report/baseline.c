/*
 * baseline.c - writing and applying baselines (see baseline.h).
 *
 * Matching is a multiset difference: the baseline's fingerprints are
 * sorted, and each finding takes the first unused equal entry, found by
 * binary search.
 */
#include "baseline.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "arena.h"
#include "finding.h"
#include "fingerprint.h"
#include "output_formats.h"
#include "repo_path.h"
#include "source_file.h"

/* ---- Writing ------------------------------------------------------------ */

static cJSON *entry_object(arena *a, const diag *d, const fingerprint *fp,
                           const char *root)
{
    cJSON *obj = cJSON_CreateObject();
    cJSON_AddStringToObject(obj, "fingerprint", fp->text);
    cJSON_AddStringToObject(obj, "rule", d->rule->id);
    if (d->loc.file) {
        const char *rel = repo_path_relative(a, d->loc.file, root);
        cJSON_AddStringToObject(obj, "file",
                                finding_utf8(a, rel ? rel : d->loc.file));
    }
    cJSON_AddStringToObject(obj, "message", finding_utf8(a, d->message));
    return obj;
}

static cJSON *baseline_document(const diag_list *list, const char *root)
{
    arena *a = arena_new();
    fingerprint *fps = arena_array(a, list->n, sizeof *fps);
    fingerprint_list(list, fps);
    cJSON *doc = cJSON_CreateObject();
    cJSON_AddNumberToObject(doc, "shapecheck-baseline", BASELINE_VERSION);
    cJSON *findings = cJSON_AddArrayToObject(doc, "findings");
    for (size_t i = 0; i < list->n; i++)
        if (list->items[i].rule)
            cJSON_AddItemToArray(
                findings, entry_object(a, &list->items[i], &fps[i], root));
    arena_free(a);
    return doc;
}

/* DOC into the new file TMP; on failure TMP is removed. */
static int write_temporary(const char *tmp, const cJSON *doc, char *err,
                           size_t err_size)
{
    FILE *f = fopen(tmp, "w");
    if (!f) {
        snprintf(err, err_size, "%s: cannot write: %s", tmp, strerror(errno));
        return -1;
    }
    int rc = output_write_json(f, doc, "baseline", err, err_size);
    int saved = errno;
    if (fclose(f) != 0 && rc == 0) {
        saved = errno;
        rc = -1;
    }
    if (rc != 0) {
        snprintf(err, err_size, "%s: cannot write: %s", tmp, strerror(saved));
        remove(tmp);
    }
    return rc;
}

int baseline_write(const char *path, const diag_list *list,
                   const char *repo_root, char *err, size_t err_size)
{
    size_t len = strlen(path);
    char *tmp = malloc(len + sizeof ".tmp");
    if (!tmp) {
        snprintf(err, err_size, "%s: out of memory", path);
        return -1;
    }
    memcpy(tmp, path, len);
    memcpy(tmp + len, ".tmp", sizeof ".tmp");
    cJSON *doc = baseline_document(list, repo_root ? repo_root : ".");
    int rc = write_temporary(tmp, doc, err, err_size);
    cJSON_Delete(doc);
    if (rc == 0 && rename(tmp, path) != 0) {
        snprintf(err, err_size, "%s: cannot replace: %s", path,
                 strerror(errno));
        remove(tmp);
        rc = -1;
    }
    free(tmp);
    return rc;
}

/* ---- Reading ------------------------------------------------------------ */

/* "PATH:LINE:COL: malformed baseline", the position counted in TEXT up
   to where cJSON stopped. */
static int malformed(const char *path, const char *text, const char *stop,
                     char *err, size_t err_size)
{
    unsigned line = 1, col = 1;
    for (const char *p = text; stop && p < stop && *p; p++) {
        col = *p == '\n' ? 1 : col + 1;
        line += *p == '\n';
    }
    snprintf(err, err_size, "%s:%u:%u: malformed baseline", path, line, col);
    return -1;
}

static int not_baseline(const char *path, const char *why, char *err,
                        size_t err_size)
{
    snprintf(err, err_size, "%s: not a shapecheck baseline (%s)", path, why);
    return -1;
}

/* The fingerprint of entry I, or NULL with a reason in WHY. */
static const char *entry_fingerprint(arena *a, const cJSON *entry, size_t i,
                                     const char **why)
{
    const cJSON *fp = cJSON_GetObjectItemCaseSensitive(entry, "fingerprint");
    if (!cJSON_IsObject(entry) || !cJSON_IsString(fp) || !*fp->valuestring) {
        *why =
            arena_printf(a, "finding %zu has no \"fingerprint\" string", i + 1);
        return NULL;
    }
    return arena_strdup(a, fp->valuestring);
}

static int cmp_string(const void *pa, const void *pb)
{
    return strcmp(*(const char *const *)pa, *(const char *const *)pb);
}

/* Whether ROOT says it is a baseline of the version this code reads. */
static int check_version(const cJSON *root, const char *path, char *err,
                         size_t err_size)
{
    const cJSON *version =
        cJSON_GetObjectItemCaseSensitive(root, "shapecheck-baseline");
    if (!cJSON_IsNumber(version))
        return not_baseline(path, "no \"shapecheck-baseline\" version", err,
                            err_size);
    if (version->valuedouble != BASELINE_VERSION) {
        snprintf(err, err_size,
                 "%s: baseline version %g is not supported (this shapecheck "
                 "reads version %d)",
                 path, version->valuedouble, BASELINE_VERSION);
        return -1;
    }
    return 0;
}

/* The entries of ROOT, a parsed document, into B, sorted. */
static int read_document(baseline *b, arena *a, const cJSON *root,
                         const char *path, char *err, size_t err_size)
{
    if (check_version(root, path, err, err_size) != 0)
        return -1;
    const cJSON *findings = cJSON_GetObjectItemCaseSensitive(root, "findings");
    if (!cJSON_IsArray(findings))
        return not_baseline(path, "no \"findings\" array", err, err_size);
    size_t n = (size_t)cJSON_GetArraySize(findings);
    b->fingerprints = arena_array(a, n, sizeof *b->fingerprints);
    const cJSON *entry;
    cJSON_ArrayForEach(entry, findings)
    {
        const char *why = NULL;
        const char *fp = entry_fingerprint(a, entry, b->n, &why);
        if (!fp)
            return not_baseline(path, why, err, err_size);
        b->fingerprints[b->n++] = fp;
    }
    qsort(b->fingerprints, b->n, sizeof *b->fingerprints, cmp_string);
    return 0;
}

int baseline_load(baseline *b, const char *path, char *err, size_t err_size)
{
    memset(b, 0, sizeof *b);
    size_t len;
    char *text = source_read(path, &len);
    if (!text) {
        snprintf(err, err_size, "%s: cannot read: %s", path, strerror(errno));
        return -1;
    }
    const char *stop = NULL;
    /* len + 1: cJSON wants the final NUL inside the length to accept a
       document that ends there. */
    cJSON *root = cJSON_ParseWithLengthOpts(text, len + 1, &stop, 1);
    arena *a = arena_new();
    int rc = root ? 0 : malformed(path, text, stop, err, err_size);
    if (rc == 0 && !cJSON_IsObject(root))
        rc = not_baseline(path, "not a JSON object", err, err_size);
    if (rc == 0)
        rc = read_document(b, a, root, path, err, err_size);
    cJSON_Delete(root);
    free(text);
    if (rc != 0) {
        arena_free(a);
        memset(b, 0, sizeof *b);
        return -1;
    }
    b->storage = a;
    return 0;
}

void baseline_free(baseline *b)
{
    arena_free(b->storage);
    memset(b, 0, sizeof *b);
}

/* ---- Applying ----------------------------------------------------------- */

typedef struct matcher {
    const baseline *b;
    const fingerprint *fps; /* of the findings, by index */
    bool *used;             /* per baseline entry */
} matcher;

/* Index of the first entry of B not less than FP. */
static size_t lower_bound(const baseline *b, const char *fp)
{
    size_t lo = 0, hi = b->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(b->fingerprints[mid], fp) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static bool drop_baselined(void *ctx, const diag *d, size_t index)
{
    matcher *m = ctx;
    if (!d->rule)
        return false;
    const char *fp = m->fps[index].text;
    for (size_t i = lower_bound(m->b, fp);
         i < m->b->n && strcmp(m->b->fingerprints[i], fp) == 0; i++)
        if (!m->used[i]) {
            m->used[i] = true;
            return true;
        }
    return false;
}

size_t baseline_apply(const baseline *b, diag_list *list)
{
    if (b->n == 0 || list->n == 0)
        return 0;
    fingerprint *fps = malloc(list->n * sizeof *fps);
    bool *used = calloc(b->n, sizeof *used);
    if (!fps || !used) {
        fputs("shapecheck: out of memory\n", stderr);
        abort();
    }
    fingerprint_list(list, fps);
    matcher m = {b, fps, used};
    size_t removed = finding_remove_if(list, drop_baselined, &m);
    free(fps);
    free(used);
    return removed;
}
