/*
 * json_check.c - positions of JSON errors and duplicate keys (see
 * json_check.h).
 */
#include "json_check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void json_check_error(const char *name, const char *text, const char *stop,
                      char *err, size_t err_size)
{
    unsigned line = 1, col = 1;
    for (const char *p = text; *p && (!stop || p < stop); p++) {
        if (*p == '\n') {
            line++;
            col = 1;
        } else {
            col++;
        }
    }
    snprintf(err, err_size, "%s:%u:%u: malformed JSON", name, line, col);
}

static int compare_keys(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* A key written twice among OBJ's own members, or NULL. */
static const char *duplicate_here(const cJSON *obj)
{
    size_t n = 0;
    for (const cJSON *c = obj->child; c; c = c->next)
        n++;
    if (n < 2)
        return NULL;
    const char **keys = malloc(n * sizeof *keys);
    if (!keys)
        return NULL;
    size_t k = 0;
    for (const cJSON *c = obj->child; c; c = c->next)
        keys[k++] = c->string ? c->string : "";
    qsort(keys, n, sizeof *keys, compare_keys);
    const char *dup = NULL;
    for (size_t i = 1; i < n && !dup; i++)
        if (strcmp(keys[i - 1], keys[i]) == 0)
            dup = keys[i];
    free(keys);
    return dup;
}

const char *json_check_duplicate_key(const cJSON *root)
{
    if (!root)
        return NULL;
    const char *dup = cJSON_IsObject(root) ? duplicate_here(root) : NULL;
    for (const cJSON *c = root->child; c && !dup; c = c->next)
        dup = json_check_duplicate_key(c);
    return dup;
}
