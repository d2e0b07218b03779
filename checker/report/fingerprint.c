/*
 * fingerprint.c - fingerprints of findings (see fingerprint.h).
 *
 * FNV-1a is enough: fingerprints tell apart the findings of one code base,
 * they are not a defence against crafted collisions, and the hash must be
 * the same on every platform and in every release (a baseline outlives the
 * binary that wrote it), which rules out anything seeded.
 */
#include "fingerprint.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "finding.h"
#include "source_file.h"

#define FNV_OFFSET 0xcbf29ce484222325u
#define FNV_PRIME 0x100000001b3u

static uint64_t fnv_byte(uint64_t h, unsigned char c)
{
    return (h ^ c) * FNV_PRIME;
}

static uint64_t fnv_string(uint64_t h, const char *s)
{
    for (; *s; s++)
        h = fnv_byte(h, (unsigned char)*s);
    return fnv_byte(h, 0); /* a separator: "ab"+"c" is not "a"+"bc" */
}

/* The line with white space collapsed and trimmed. */
static uint64_t fnv_line(uint64_t h, const char *line, size_t len)
{
    bool pending_space = false, any = false;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)line[i];
        if (isspace(c)) {
            pending_space = any;
            continue;
        }
        if (pending_space)
            h = fnv_byte(h, ' ');
        h = fnv_byte(h, c);
        pending_space = false;
        any = true;
    }
    return fnv_byte(h, 0);
}

/* Whether the digits at P in MSG are a line number: right after ':' (a
   "file:line:col" position) or after "line " in any case. */
static bool is_line_number(const char *msg, const char *p)
{
    if (p > msg && p[-1] == ':')
        return true;
    if (p - msg < 5 || p[-1] != ' ')
        return false;
    for (int i = 0; i < 4; i++)
        if (tolower((unsigned char)p[i - 5]) != "line"[i])
            return false;
    return true;
}

/* The message with its line numbers left out. */
static uint64_t fnv_message(uint64_t h, const char *msg)
{
    for (const char *p = msg; *p;) {
        if (isdigit((unsigned char)*p) && is_line_number(msg, p) &&
            (p == msg || !isdigit((unsigned char)p[-1]))) {
            while (isdigit((unsigned char)*p))
                p++;
            h = fnv_byte(h, '#');
            continue;
        }
        h = fnv_byte(h, (unsigned char)*p++);
    }
    return fnv_byte(h, 0);
}

uint64_t fingerprint_hash(const char *rule_id, const char *line,
                          size_t line_len, const char *message)
{
    uint64_t h = FNV_OFFSET;
    h = fnv_string(h, rule_id);
    h = fnv_line(h, line, line_len);
    return fnv_message(h, message);
}

/* A finding's place in the order that numbers occurrences. */
typedef struct twin_key {
    const char *file;
    uint64_t hash;
    size_t index;
} twin_key;

static int cmp_twin(const void *pa, const void *pb)
{
    const twin_key *a = pa, *b = pb;
    int c = strcmp(a->file, b->file);
    if (!c)
        c = (a->hash > b->hash) - (a->hash < b->hash);
    if (!c)
        c = (a->index > b->index) - (a->index < b->index);
    return c;
}

/* Sorting by file, hash and position puts twins next to each other in
   list order: the occurrence is the rank within each run. */
static void number_twins(twin_key *keys, size_t n, fingerprint *out)
{
    qsort(keys, n, sizeof *keys, cmp_twin);
    unsigned occurrence = 0;
    for (size_t i = 0; i < n; i++) {
        bool same = i > 0 && keys[i].hash == keys[i - 1].hash &&
                    strcmp(keys[i].file, keys[i - 1].file) == 0;
        occurrence = same ? occurrence + 1 : 1;
        snprintf(out[keys[i].index].text, FINGERPRINT_SIZE, "%016llx:%u",
                 (unsigned long long)keys[i].hash, occurrence);
    }
}

void fingerprint_list(const diag_list *list, fingerprint *out)
{
    if (list->n == 0)
        return;
    twin_key *keys = malloc(list->n * sizeof *keys);
    if (!keys) {
        fputs("shapecheck: out of memory\n", stderr);
        abort();
    }
    source_cache cache = {0};
    for (size_t i = 0; i < list->n; i++) {
        const diag *d = &list->items[i];
        const char *line = "";
        size_t len = 0;
        if (!source_cache_line(&cache, d->loc.file, d->loc.line, &line, &len))
            len = 0;
        keys[i] = (twin_key){d->loc.file ? d->loc.file : "",
                             fingerprint_hash(finding_rule(d)->id, line, len,
                                              finding_message(d)),
                             i};
    }
    number_twins(keys, list->n, out);
    source_cache_free(&cache);
    free(keys);
}
