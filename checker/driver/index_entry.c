/*
 * index_entry.c - an index entry's bytes (index_entry.h).  The record is
 * small: fixed-width little-endian numbers and length-prefixed strings,
 * read with every length checked against what is left.
 */
#define _POSIX_C_SOURCE 200809L /* getpid */

#include "index_entry.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hash.h"
#include "ir_io.h"
#include "small_file.h"
#include "summary_io.h"

#define ENTRY_MAGIC "SCINDEX\x1a"
#define ENTRY_HEADER 32

/* ---- Writing ------------------------------------------------------------ */

typedef struct bytes {
    unsigned char *p;
    size_t n, cap;
    bool failed;
} bytes;

static void put(bytes *b, const void *data, size_t n)
{
    if (b->failed)
        return;
    if (b->cap - b->n < n) {
        size_t cap = b->cap ? b->cap : 1024;
        while (cap - b->n < n)
            cap *= 2;
        unsigned char *p = realloc(b->p, cap);
        if (!p) {
            b->failed = true;
            return;
        }
        b->p = p, b->cap = cap;
    }
    memcpy(b->p + b->n, data, n);
    b->n += n;
}

static void put_u64(bytes *b, uint64_t v)
{
    unsigned char le[8];
    for (int i = 0; i < 8; i++)
        le[i] = (unsigned char)(v >> (8 * i));
    put(b, le, 8);
}

static void put_str(bytes *b, const char *s)
{
    size_t n = strlen(s);
    put_u64(b, n);
    put(b, s, n);
}

static void put_keys(bytes *b, const char *const *keys, uint32_t n)
{
    put_u64(b, n);
    for (uint32_t i = 0; i < n; i++)
        put_str(b, keys[i]);
}

static void put_record(bytes *b, const index_record *r)
{
    put_str(b, r->source);
    put_u64(b, r->fingerprint);
    put_u64(b, r->n_inputs);
    for (uint32_t i = 0; i < r->n_inputs; i++) {
        put_str(b, r->inputs[i].path);
        put_u64(b, r->inputs[i].size);
        put_u64(b, r->inputs[i].hash);
    }
    put_keys(b, r->defines, r->n_defines);
    put_keys(b, r->uses, r->n_uses);
    put_u64(b, r->bodies_deferred);
}

static void set_u64(unsigned char *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

uint64_t index_entry_record_hash(const index_record *record)
{
    bytes b = {0};
    put_record(&b, record);
    uint64_t h = b.failed ? 0 : sc_hash(SC_HASH_SEED, b.p, b.n);
    free(b.p);
    return h;
}

int index_entry_write(const char *path, const index_record *record,
                      const unsigned char *facts, size_t facts_size, char *err,
                      size_t err_size)
{
    bytes b = {0};
    unsigned char header[ENTRY_HEADER] = {0};
    put(&b, header, sizeof header);
    put_record(&b, record);
    size_t record_size = b.n - ENTRY_HEADER;
    put(&b, facts, facts_size);
    if (b.failed) {
        snprintf(err, err_size, "%s: out of memory", path);
        free(b.p);
        return -1;
    }
    memcpy(b.p, ENTRY_MAGIC, 8);
    set_u64(b.p + 8, INDEX_ENTRY_VERSION); /* and 4 zero bytes */
    set_u64(b.p + 16, record_size);
    set_u64(b.p + 24, sc_hash(SC_HASH_SEED, b.p + ENTRY_HEADER, record_size));
    int rc = small_file_write(path, b.p, b.n, err, err_size);
    free(b.p);
    return rc;
}

/* ---- Reading ------------------------------------------------------------ */

typedef struct cursor {
    const unsigned char *p, *end;
    arena *a;
    bool bad;
} cursor;

static uint64_t get_u64(cursor *c)
{
    if (c->bad || c->end - c->p < 8) {
        c->bad = true;
        return 0;
    }
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v |= (uint64_t)c->p[i] << (8 * i);
    c->p += 8;
    return v;
}

static const char *get_str(cursor *c)
{
    uint64_t n = get_u64(c);
    if (c->bad || n > (uint64_t)(c->end - c->p) || memchr(c->p, 0, n)) {
        c->bad = true;
        return "";
    }
    const char *s = arena_strndup(c->a, (const char *)c->p, n);
    c->p += n;
    return s;
}

/* A count of items of at least MIN bytes each. */
static uint32_t get_count(cursor *c, size_t min)
{
    uint64_t n = get_u64(c);
    if (c->bad || n > (uint64_t)(c->end - c->p) / min) {
        c->bad = true;
        return 0;
    }
    return (uint32_t)n;
}

static const char **get_keys(cursor *c, uint32_t *n)
{
    *n = get_count(c, 8);
    const char **keys = arena_array(c->a, *n, sizeof *keys);
    for (uint32_t i = 0; i < *n && !c->bad; i++)
        keys[i] = get_str(c);
    return keys;
}

static void get_record(cursor *c, index_record *r)
{
    r->source = get_str(c);
    r->fingerprint = get_u64(c);
    r->n_inputs = get_count(c, 24);
    r->inputs = arena_array(c->a, r->n_inputs, sizeof *r->inputs);
    for (uint32_t i = 0; i < r->n_inputs && !c->bad; i++) {
        r->inputs[i].path = get_str(c);
        r->inputs[i].size = get_u64(c);
        r->inputs[i].hash = get_u64(c);
    }
    r->defines = get_keys(c, &r->n_defines);
    r->uses = get_keys(c, &r->n_uses);
    r->bodies_deferred = get_u64(c) != 0;
    if (c->p != c->end)
        c->bad = true;
}

/* The header of the open entry F; the record's size and hash. */
static bool read_header(FILE *f, uint64_t *size, uint64_t *hash,
                        const char *path, char *err, size_t err_size)
{
    unsigned char h[ENTRY_HEADER];
    if (fread(h, 1, sizeof h, f) != sizeof h ||
        memcmp(h, ENTRY_MAGIC, 8) != 0) {
        snprintf(err, err_size, "%s: not an index entry", path);
        return false;
    }
    cursor c = {h + 8, h + ENTRY_HEADER, NULL, false};
    uint64_t version = get_u64(&c);
    *size = get_u64(&c);
    *hash = get_u64(&c);
    if (version != INDEX_ENTRY_VERSION) {
        snprintf(err, err_size, "%s: index entry of another version", path);
        return false;
    }
    return true;
}

bool index_entry_read_record(const char *path, arena *a, index_record *record,
                             char *err, size_t err_size)
{
    *err = '\0';
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, err_size, "%s: %s", path, strerror(errno));
        return false;
    }
    uint64_t size, hash;
    unsigned char *data = NULL;
    bool ok = read_header(f, &size, &hash, path, err, err_size) &&
              size < (1u << 30) && (data = malloc(size ? size : 1)) &&
              fread(data, 1, size, f) == size &&
              sc_hash(SC_HASH_SEED, data, size) == hash;
    if (ok) {
        cursor c = {data, data + size, a, false};
        get_record(&c, record);
        record->hash = hash;
        ok = !c.bad;
    }
    if (!ok && !*err)
        snprintf(err, err_size, "%s: damaged index entry", path);
    free(data);
    fclose(f);
    return ok;
}

ir_tu *index_entry_read_facts(const char *path, const char *root, char *err,
                              size_t err_size)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, err_size, "%s: %s", path, strerror(errno));
        return NULL;
    }
    uint64_t size, hash;
    unsigned char *data = NULL;
    size_t n = 0;
    bool ok = read_header(f, &size, &hash, path, err, err_size) &&
              fseek(f, (long)(ENTRY_HEADER + size), SEEK_SET) == 0;
    for (size_t cap = 1 << 16; ok;) {
        unsigned char *more = realloc(data, cap);
        if (!more) {
            ok = false;
            break;
        }
        data = more;
        n += fread(data + n, 1, cap - n, f);
        if (n < cap)
            break;
        cap *= 2;
    }
    ok = ok && !ferror(f);
    fclose(f);
    ir_tu *tu = ok ? ir_tu_decode(data, n, root, path, err, err_size) : NULL;
    if (!ok)
        snprintf(err, err_size, "%s: damaged index entry", path);
    free(data);
    return tu;
}

/* ---- The summary beside an entry ---------------------------------------- */

#define SUMMARY_FORMAT 2
#define SUMMARY_MAX_SIZE (64u << 20)

static void add_hex(cJSON *doc, const char *key, uint64_t v)
{
    char hex[17];
    snprintf(hex, sizeof hex, "%016llx", (unsigned long long)v);
    cJSON_AddStringToObject(doc, key, hex);
}

static bool hex_is(const cJSON *doc, const char *key, uint64_t v)
{
    const cJSON *s = cJSON_GetObjectItemCaseSensitive(doc, key);
    char hex[17];
    snprintf(hex, sizeof hex, "%016llx", (unsigned long long)v);
    return cJSON_IsString(s) && strcmp(s->valuestring, hex) == 0;
}

void index_summary_free(index_summary *s)
{
    free(s->text);
    cJSON_Delete(s->imports);
    cJSON_Delete(s->unwalked);
    memset(s, 0, sizeof *s);
}

int index_summary_write(const char *path, uint64_t record_hash,
                        const index_summary *s, char *err, size_t err_size)
{
    cJSON *doc = cJSON_CreateObject();
    cJSON *imports = cJSON_Duplicate(s->imports, 1);
    cJSON *unwalked = cJSON_Duplicate(s->unwalked, 1);
    char *text = NULL;
    if (doc && imports && unwalked) {
        cJSON_AddNumberToObject(doc, "shapecheck-index-summary",
                                SUMMARY_FORMAT);
        add_hex(doc, "record", record_hash);
        add_hex(doc, "summary-hash", sc_hash_str(SC_HASH_SEED, s->text));
        cJSON_AddStringToObject(doc, "summary", s->text);
        cJSON_AddItemToObject(doc, "imports", imports);
        cJSON_AddItemToObject(doc, "unwalked", unwalked);
        imports = unwalked = NULL;
        text = cJSON_PrintUnformatted(doc);
    }
    cJSON_Delete(imports);
    cJSON_Delete(unwalked);
    cJSON_Delete(doc);
    if (!text) {
        snprintf(err, err_size, "%s: out of memory", path);
        return -1;
    }
    int rc = small_file_write(path, text, strlen(text), err, err_size);
    cJSON_free(text);
    return rc;
}

static bool all_strings(const cJSON *arr)
{
    if (!cJSON_IsArray(arr))
        return false;
    const cJSON *k;
    cJSON_ArrayForEach(k, arr)
    {
        if (!cJSON_IsString(k))
            return false;
    }
    return true;
}

bool index_summary_read(const char *path, uint64_t record_hash,
                        index_summary *s)
{
    memset(s, 0, sizeof *s);
    char *text = small_file_read(path, SUMMARY_MAX_SIZE);
    cJSON *doc = text ? cJSON_Parse(text) : NULL;
    free(text);
    const cJSON *version =
        cJSON_GetObjectItemCaseSensitive(doc, "shapecheck-index-summary");
    const cJSON *summary = cJSON_GetObjectItemCaseSensitive(doc, "summary");
    s->imports = cJSON_DetachItemFromObjectCaseSensitive(doc, "imports");
    s->unwalked = cJSON_DetachItemFromObjectCaseSensitive(doc, "unwalked");
    bool ok =
        cJSON_IsNumber(version) && version->valuedouble == SUMMARY_FORMAT &&
        hex_is(doc, "record", record_hash) && cJSON_IsString(summary) &&
        hex_is(doc, "summary-hash",
               sc_hash_str(SC_HASH_SEED, summary->valuestring)) &&
        summary_imports_readable(s->imports) && all_strings(s->unwalked) &&
        (s->text = strdup(summary->valuestring)) != NULL;
    cJSON_Delete(doc);
    if (!ok)
        index_summary_free(s);
    return ok;
}
