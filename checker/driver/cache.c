/*
 * cache.c - per-TU entries in a folder (see cache.h).  Entries are JSON
 * (cJSON), written to a temporary name and renamed into place so that a
 * run killed half-way never leaves a torn entry; one that cannot be read
 * anyway is a miss.
 */
#define _POSIX_C_SOURCE 200809L /* mkdir, stat's st_mtim, realpath */

#include "cache.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "source_file.h"
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

/* The content hash of PATH; false when it cannot be read. */
static bool hash_file(const char *path, uint64_t *out)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return false;
    uint64_t h = FNV_OFFSET;
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        h = fnv1a(h, buf, n);
    bool ok = !ferror(f);
    fclose(f);
    *out = h;
    return ok;
}

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

static const char *jstr(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

static double jnum(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsNumber(v) ? v->valuedouble : -1;
}

/* Whether the file an input record names is as it was: same size and
   time, or (touched but not changed) the same content. */
static bool input_unchanged(const cJSON *in)
{
    const char *path = jstr(in, "path"), *hash = jstr(in, "hash");
    struct stat st;
    if (!path || !hash || stat(path, &st) != 0)
        return false;
    if ((double)st.st_size == jnum(in, "size") &&
        (double)st.st_mtim.tv_sec == jnum(in, "mtime") &&
        (double)st.st_mtim.tv_nsec == jnum(in, "mtime_ns"))
        return true;
    uint64_t h;
    char hex[17];
    if (!hash_file(path, &h))
        return false;
    snprintf(hex, sizeof hex, "%016llx", (unsigned long long)h);
    return strcmp(hex, hash) == 0;
}

static sc_loc read_loc(diag_list *list, const cJSON *o)
{
    const char *file = jstr(o, "file");
    sc_loc loc = {file ? arena_strdup(list->arena, file) : NULL,
                  (unsigned)jnum(o, "line"), (unsigned)jnum(o, "col")};
    return loc;
}

static bool read_findings(diag_list *list, const cJSON *findings)
{
    const cJSON *f;
    cJSON_ArrayForEach(f, findings)
    {
        const char *rule = jstr(f, "rule"), *msg = jstr(f, "message");
        if (!msg)
            return false;
        const sc_rule *r = rule ? sc_rule_find(rule) : NULL;
        if (rule && !r)
            return false; /* a rule this checker no longer has */
        diag *d = diag_add(list, r, read_loc(list, f), "%s", msg);
        d->severity = (sc_severity)jnum(f, "severity");
        const cJSON *end = cJSON_GetObjectItemCaseSensitive(f, "end");
        const cJSON *focus = cJSON_GetObjectItemCaseSensitive(f, "focus");
        if (cJSON_IsObject(end) && cJSON_IsObject(focus))
            diag_set_range(list, d, read_loc(list, end),
                           read_loc(list, focus));
        const cJSON *n;
        cJSON_ArrayForEach(n, cJSON_GetObjectItemCaseSensitive(f, "notes"))
            diag_add_note(list, d, read_loc(list, n), "%s",
                          jstr(n, "message") ? jstr(n, "message") : "");
    }
    return true;
}

static bool read_imports(cache_entry *e, const cJSON *imports)
{
    size_t n = (size_t)cJSON_GetArraySize(imports);
    e->imports = calloc(n + 1, sizeof *e->imports);
    if (!e->imports)
        return false;
    const cJSON *im;
    cJSON_ArrayForEach(im, imports)
    {
        const char *key = jstr(im, "key"), *text = jstr(im, "text");
        if (!key || !text)
            return false;
        e->imports[e->n_imports].key = strdup(key);
        e->imports[e->n_imports++].text = strdup(text);
    }
    return true;
}

/* The entry in DOC when it is one and its inputs are unchanged. */
static cache_entry *entry_from_json(const cJSON *doc, const fe_command *cmd)
{
    const cJSON *inputs = cJSON_GetObjectItemCaseSensitive(doc, "inputs");
    const char *summary = jstr(doc, "summary"), *file = jstr(doc, "file");
    if (jnum(doc, "shapecheck-cache") != CACHE_FORMAT_VERSION || !summary ||
        !file || strcmp(file, cmd->file) != 0 || !cJSON_IsArray(inputs))
        return NULL;
    const cJSON *in;
    cJSON_ArrayForEach(in, inputs)
    {
        if (!input_unchanged(in))
            return NULL;
    }
    cache_entry *e = calloc(1, sizeof *e);
    if (!e)
        return NULL;
    diag_list_init(&e->findings);
    e->summary = strdup(summary);
    if (!e->summary ||
        !read_findings(&e->findings,
                       cJSON_GetObjectItemCaseSensitive(doc, "findings")) ||
        !read_imports(e, cJSON_GetObjectItemCaseSensitive(doc, "imports"))) {
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
    size_t len;
    char *text = path ? source_read(path, &len) : NULL;
    cJSON *doc = text ? cJSON_Parse(text) : NULL;
    cache_entry *e = doc ? entry_from_json(doc, cmd) : NULL;
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
    for (size_t i = 0; i < e->n_imports; i++) {
        free(e->imports[i].key);
        free(e->imports[i].text);
    }
    free(e->imports);
    free(e);
}

bool cache_imports_current(const cache_entry *e, analysis *an)
{
    for (size_t i = 0; i < e->n_imports; i++) {
        const cache_import *im = &e->imports[i];
        char *now =
            summary_signature_text(an, im->key, signature_by_key(an, im->key));
        bool same = now && strcmp(now, im->text) == 0;
        free(now);
        if (!same)
            return false;
    }
    return true;
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
        if (!path || stat(path, &st) != 0 || !hash_file(path, &h)) {
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
            cJSON_AddItemToObject(f, "end", loc_json(cJSON_CreateObject(),
                                                     d->end));
            cJSON_AddItemToObject(f, "focus", loc_json(cJSON_CreateObject(),
                                                       d->focus));
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

static bool defined_here(const ir_tu *tu, const char *key)
{
    for (uint32_t i = 0; i < tu->n_funcs; i++)
        if (tu->funcs[i]->body && strcmp(tu->funcs[i]->key, key) == 0)
            return true;
    return false;
}

/* The functions the TU uses but does not define, with their signatures
   as this analysis saw them. */
static cJSON *imports_json(const ir_tu *tu, analysis *an)
{
    cJSON *arr = cJSON_CreateArray();
    for (uint32_t i = 0; i < tu->n_funcs; i++) {
        const ir_func *f = tu->funcs[i];
        if (f->body || defined_here(tu, f->key))
            continue;
        char *text = summary_signature_text(an, f->key, signature_of(an, f));
        cJSON *im = cJSON_CreateObject();
        cJSON_AddStringToObject(im, "key", f->key);
        cJSON_AddStringToObject(im, "text", text ? text : "");
        cJSON_AddItemToArray(arr, im);
        free(text);
    }
    return arr;
}

static void write_atomically(const char *path, const char *text)
{
    size_t n = strlen(path) + 16;
    char *tmp = malloc(n);
    if (!tmp)
        return;
    snprintf(tmp, n, "%s.%ld.tmp", path, (long)getpid());
    FILE *f = fopen(tmp, "wb");
    bool ok = f && fputs(text, f) >= 0;
    if (f && fclose(f) != 0)
        ok = false;
    if (!ok || rename(tmp, path) != 0)
        remove(tmp);
    free(tmp);
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
        cJSON_AddItemToObject(doc, "imports", imports_json(tu, an));
        char *text = cJSON_PrintUnformatted(doc);
        if (text)
            write_atomically(path, text);
        cJSON_free(text);
        cJSON_Delete(doc);
    }
    cJSON_Delete(inputs);
    cJSON_free(summary);
    free(path);
}
