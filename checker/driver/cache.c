/*
 * cache.c - per-TU entries in a folder (see cache.h).  Entries are JSON
 * (cJSON), written to a temporary name and renamed into place so that a
 * run killed half-way never leaves a torn entry; one that cannot be read
 * anyway is a miss.
 */
#define _POSIX_C_SOURCE 200809L /* mkdir, stat's st_mtim, O_NOFOLLOW */

#include "cache.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "small_file.h"
#include "summary_io.h"

#define CACHE_FORMAT_VERSION 1

struct cache {
    char *dir;
    uint64_t salt; /* the checker binary and the extra key */
};

/* ---- Hashing ----------------------------------------------------------- */

static uint64_t fnv1a(uint64_t h, const void *data, size_t n)
{
    const unsigned char *p = data;
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * 1099511628211ull;
    return h;
}

static uint64_t hash_str(uint64_t h, const char *s)
{
    return fnv1a(h, s ? s : "", s ? strlen(s) + 1 : 1);
}

#define FNV_OFFSET 14695981039346656037ull

/* ---- Opening ----------------------------------------------------------- */

/* A new checker may analyse differently: its identity salts every key. */
static uint64_t binary_identity(void)
{
    struct stat st;
    uint64_t h = FNV_OFFSET;
    if (stat("/proc/self/exe", &st) == 0) {
        h = fnv1a(h, &st.st_size, sizeof st.st_size);
        h = fnv1a(h, &st.st_mtim, sizeof st.st_mtim);
    }
    return h;
}

cache *cache_open(const char *dir, const char *extra_key, char *err,
                  size_t err_size)
{
    if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
        snprintf(err, err_size, "%s: cannot create the cache folder: %s", dir,
                 strerror(errno));
        return NULL;
    }
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode) || access(dir, W_OK) != 0) {
        snprintf(err, err_size, "%s: not a writable folder", dir);
        return NULL;
    }
    cache *c = calloc(1, sizeof *c);
    if (!c || !(c->dir = strdup(dir))) {
        free(c);
        snprintf(err, err_size, "out of memory");
        return NULL;
    }
    c->salt = hash_str(binary_identity(), extra_key);
    return c;
}

void cache_close(cache *c)
{
    if (c)
        free(c->dir);
    free(c);
}

/* DIR/<hash of the command>.json */
static char *entry_path(const cache *c, const fe_command *cmd)
{
    uint64_t h = c->salt;
    h = hash_str(h, cmd->file);
    h = hash_str(h, cmd->directory);
    for (int i = 0; i < cmd->argc; i++)
        h = hash_str(h, cmd->argv[i]);
    size_t n = strlen(c->dir) + 32;
    char *path = malloc(n);
    if (path)
        snprintf(path, n, "%s/%016llx.json", c->dir, (unsigned long long)h);
    return path;
}

/* ---- Reading ----------------------------------------------------------- */

/* Anything an entry holds is checked before it is used: the folder is
   shared, entries outlive checkers, and a file can be damaged or replaced
   by anything (a symbolic link to /dev/zero, a value of 1e300).  Whatever
   does not check out makes the entry a miss. */

/* Entries are small; a bigger file is not one of ours. */
#define CACHE_MAX_ENTRY ((size_t)64 << 20)

static const char *jstr(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* The whole number KEY of O, in [0, MAX]; false when it is missing, not a
   number, not whole or out of range. */
static bool jcount(const cJSON *o, const char *key, double max, double *out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    if (!cJSON_IsNumber(v))
        return false;
    double d = v->valuedouble;
    if (!(d >= 0 && d <= max) || d != (double)(uint64_t)d)
        return false;
    *out = d;
    return true;
}

/* The content hash of the regular file PATH, reading at most SIZE + 1
   bytes (a file that grew is changed anyway). */
static bool hash_regular_file(const char *path, off_t size, uint64_t *out)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return false;
    uint64_t h = FNV_OFFSET, total = 0;
    char buf[65536];
    size_t n;
    while (total <= (uint64_t)size && (n = fread(buf, 1, sizeof buf, f)) > 0) {
        h = fnv1a(h, buf, n);
        total += n;
    }
    bool ok = !ferror(f) && total == (uint64_t)size;
    fclose(f);
    *out = h;
    return ok;
}

/* Whether the file an input record names is as it was: same size and
   time, or (touched but not changed) the same content.  Only regular
   files are inputs. */
static bool input_unchanged(const cJSON *in)
{
    const char *path = jstr(in, "path"), *hash = jstr(in, "hash");
    double size, sec, nsec;
    struct stat st;
    if (!path || !hash || !jcount(in, "size", 9e15, &size) ||
        !jcount(in, "mtime", 9e15, &sec) ||
        !jcount(in, "mtime_ns", 999999999, &nsec) || stat(path, &st) != 0 ||
        !S_ISREG(st.st_mode) || (double)st.st_size != size)
        return false;
    if ((double)st.st_mtim.tv_sec == sec && (double)st.st_mtim.tv_nsec == nsec)
        return true;
    uint64_t h;
    char hex[17];
    if (!hash_regular_file(path, st.st_size, &h))
        return false;
    snprintf(hex, sizeof hex, "%016llx", (unsigned long long)h);
    return strcmp(hex, hash) == 0;
}

/* A location: "file" (optional), "line" and "col" whole numbers. */
static bool read_loc(diag_list *list, const cJSON *o, sc_loc *loc)
{
    const cJSON *file = cJSON_GetObjectItemCaseSensitive(o, "file");
    double line, col;
    if (!cJSON_IsObject(o) || (file && !cJSON_IsString(file)) ||
        !jcount(o, "line", UINT_MAX, &line) ||
        !jcount(o, "col", UINT_MAX, &col))
        return false;
    loc->file = file ? arena_strdup(list->arena, file->valuestring) : NULL;
    loc->line = (unsigned)line;
    loc->col = (unsigned)col;
    return true;
}

/* The severity of a finding of RULE (NULL: a compiler error): the one a
   finding of RULE has (diag_add), so that a damaged entry cannot turn an
   error into a note. */
static bool read_severity(const cJSON *f, const sc_rule *rule, sc_severity *out)
{
    double v;
    if (!jcount(f, "severity", SC_SEV_ERROR, &v))
        return false;
    *out = (sc_severity)v;
    return *out == (rule ? rule->severity : SC_SEV_ERROR);
}

static bool read_notes(diag_list *list, diag *d, const cJSON *notes)
{
    if (!cJSON_IsArray(notes))
        return false;
    const cJSON *n;
    cJSON_ArrayForEach(n, notes)
    {
        sc_loc loc;
        const char *msg = jstr(n, "message");
        if (!msg || !read_loc(list, n, &loc))
            return false;
        diag_add_note(list, d, loc, "%s", msg);
    }
    return true;
}

static bool read_finding(diag_list *list, const cJSON *f)
{
    const char *rule_id = jstr(f, "rule"), *msg = jstr(f, "message");
    const cJSON *rule_item = cJSON_GetObjectItemCaseSensitive(f, "rule");
    const sc_rule *rule = rule_id ? sc_rule_find(rule_id) : NULL;
    sc_severity severity;
    sc_loc loc;
    if (!msg || (rule_item && !rule) || !read_severity(f, rule, &severity) ||
        !read_loc(list, f, &loc))
        return false; /* a rule this checker no longer has, or damage */
    diag *d = diag_add(list, rule, loc, "%s", msg);
    d->severity = severity;
    const cJSON *end = cJSON_GetObjectItemCaseSensitive(f, "end");
    const cJSON *focus = cJSON_GetObjectItemCaseSensitive(f, "focus");
    if (end || focus) {
        sc_loc e, fo;
        if (!read_loc(list, end, &e) || !read_loc(list, focus, &fo))
            return false;
        diag_set_range(list, d, e, fo);
    }
    return read_notes(list, d, cJSON_GetObjectItemCaseSensitive(f, "notes"));
}

static bool read_findings(diag_list *list, const cJSON *findings)
{
    if (!cJSON_IsArray(findings))
        return false;
    const cJSON *f;
    cJSON_ArrayForEach(f, findings)
    {
        if (!cJSON_IsObject(f) || !read_finding(list, f))
            return false;
    }
    return true;
}

/* The entry in DOC when it is one and its inputs are unchanged. */
static cache_entry *entry_from_json(const cJSON *doc, const fe_command *cmd)
{
    const cJSON *inputs = cJSON_GetObjectItemCaseSensitive(doc, "inputs");
    const cJSON *imports = cJSON_GetObjectItemCaseSensitive(doc, "imports");
    const char *summary = jstr(doc, "summary"), *file = jstr(doc, "file");
    double version;
    if (!jcount(doc, "shapecheck-cache", 1e9, &version) ||
        version != CACHE_FORMAT_VERSION || !summary || !file ||
        strcmp(file, cmd->file) != 0 || !cJSON_IsArray(inputs))
        return NULL;
    const cJSON *in;
    cJSON_ArrayForEach(in, inputs)
    {
        if (!input_unchanged(in))
            return NULL;
    }
    if (!summary_text_readable(summary))
        return NULL;
    cache_entry *e = calloc(1, sizeof *e);
    if (!e)
        return NULL;
    diag_list_init(&e->findings);
    e->summary = strdup(summary);
    if (!e->summary ||
        !read_findings(&e->findings,
                       cJSON_GetObjectItemCaseSensitive(doc, "findings")) ||
        !summary_imports_readable(imports) ||
        !(e->imports = cJSON_Duplicate(imports, 1))) {
        cache_entry_free(e);
        return NULL;
    }
    return e;
}

cache_entry *cache_lookup(cache *c, const fe_command *cmd)
{
    if (cmd->unsaved)
        return NULL; /* an editor's buffer is never cached */
    char *path = entry_path(c, cmd);
    char *text = path ? small_file_read(path, CACHE_MAX_ENTRY) : NULL;
    cJSON *doc = text ? cJSON_Parse(text) : NULL;
    cache_entry *e = cJSON_IsObject(doc) ? entry_from_json(doc, cmd) : NULL;
    cJSON_Delete(doc);
    free(text);
    free(path);
    return e;
}

void cache_entry_free(cache_entry *e)
{
    if (!e)
        return;
    free(e->summary);
    diag_list_free(&e->findings);
    cJSON_Delete(e->imports);
    free(e);
}

bool cache_imports_current(const cache_entry *e, analysis *an)
{
    return summary_imports_current(an, e->imports);
}

/* ---- Writing ----------------------------------------------------------- */

/* PATH as an absolute path: inputs are checked from any folder later. */
static char *absolute_input(const fe_command *cmd, const char *path)
{
    if (path[0] == '/' || !cmd->directory)
        return strdup(path);
    size_t n = strlen(cmd->directory) + strlen(path) + 2;
    char *abs = malloc(n);
    if (abs)
        snprintf(abs, n, "%s/%s", cmd->directory, path);
    return abs;
}

static cJSON *inputs_json(const fe_command *cmd, const ir_tu *tu)
{
    cJSON *inputs = cJSON_CreateArray();
    for (uint32_t i = 0; i < tu->n_inputs; i++) {
        char *path = absolute_input(cmd, tu->inputs[i]);
        struct stat st;
        uint64_t h;
        char hex[17];
        if (!path || stat(path, &st) != 0 || !S_ISREG(st.st_mode) ||
            !hash_regular_file(path, st.st_size, &h)) {
            free(path);
            cJSON_Delete(inputs);
            return NULL; /* an input we cannot check: do not cache */
        }
        snprintf(hex, sizeof hex, "%016llx", (unsigned long long)h);
        cJSON *in = cJSON_CreateObject();
        cJSON_AddStringToObject(in, "path", path);
        cJSON_AddNumberToObject(in, "size", (double)st.st_size);
        cJSON_AddNumberToObject(in, "mtime", (double)st.st_mtim.tv_sec);
        cJSON_AddNumberToObject(in, "mtime_ns", (double)st.st_mtim.tv_nsec);
        cJSON_AddStringToObject(in, "hash", hex);
        cJSON_AddItemToArray(inputs, in);
        free(path);
    }
    return inputs;
}

static cJSON *loc_json(cJSON *o, sc_loc loc)
{
    if (loc.file)
        cJSON_AddStringToObject(o, "file", loc.file);
    cJSON_AddNumberToObject(o, "line", loc.line);
    cJSON_AddNumberToObject(o, "col", loc.col);
    return o;
}

static cJSON *findings_json(const diag_list *list)
{
    cJSON *arr = cJSON_CreateArray();
    for (size_t i = 0; i < list->n; i++) {
        const diag *d = &list->items[i];
        cJSON *f = loc_json(cJSON_CreateObject(), d->loc);
        if (d->rule)
            cJSON_AddStringToObject(f, "rule", d->rule->id);
        cJSON_AddNumberToObject(f, "severity", d->severity);
        cJSON_AddStringToObject(f, "message", d->message);
        if (d->end.line) { /* the underlined call and the argument */
            cJSON_AddItemToObject(f, "end",
                                  loc_json(cJSON_CreateObject(), d->end));
            cJSON_AddItemToObject(f, "focus",
                                  loc_json(cJSON_CreateObject(), d->focus));
        }
        cJSON *notes = cJSON_AddArrayToObject(f, "notes");
        for (size_t k = 0; k < d->n_notes; k++) {
            cJSON *n = loc_json(cJSON_CreateObject(), d->notes[k].loc);
            cJSON_AddStringToObject(n, "message", d->notes[k].message);
            cJSON_AddItemToArray(notes, n);
        }
        cJSON_AddItemToArray(arr, f);
    }
    return arr;
}

void cache_store(cache *c, const fe_command *cmd, const ir_tu *tu, analysis *an,
                 const diag_list *findings)
{
    if (cmd->unsaved || tu->has_errors)
        return; /* errors are reported afresh by every run */
    cJSON *inputs = inputs_json(cmd, tu);
    char *summary = inputs ? summary_text(an, tu) : NULL;
    char *path = summary ? entry_path(c, cmd) : NULL;
    if (path) {
        cJSON *doc = cJSON_CreateObject();
        cJSON_AddNumberToObject(doc, "shapecheck-cache", CACHE_FORMAT_VERSION);
        cJSON_AddStringToObject(doc, "file", cmd->file);
        cJSON_AddItemToObject(doc, "inputs", inputs);
        inputs = NULL;
        cJSON_AddStringToObject(doc, "summary", summary);
        cJSON_AddItemToObject(doc, "findings", findings_json(findings));
        cJSON_AddItemToObject(doc, "imports", summary_imports_json(an, tu));
        char *text = cJSON_PrintUnformatted(doc);
        char err_unused[256]; /* a cache that cannot be written costs speed */
        if (text)
            (void)small_file_write(path, text, strlen(text), err_unused,
                                   sizeof err_unused);
        cJSON_free(text);
        cJSON_Delete(doc);
    }
    cJSON_Delete(inputs);
    cJSON_free(summary);
    free(path);
}
