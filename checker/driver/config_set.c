/*
 * config_set.c - configurations by file (see config_set.h): which
 * .shapecheck applies is decided per folder, and each file is read once.
 */
#define _POSIX_C_SOURCE 200809L /* strdup */

#include "config_set.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "finding.h"

typedef struct loaded {
    char *path; /* the .shapecheck, or NULL for "none" */
    config cfg;
} loaded;

struct config_set {
    char *fixed; /* --config-file: every file's, or NULL */
    char **fallbacks;
    size_t n_fallbacks;
    loaded *files; /* every configuration read, and the empty one first */
    size_t n_files, cap_files;
};

config_set *config_set_new(const char *const *fallbacks, size_t n_fallbacks)
{
    config_set *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->fallbacks = calloc(n_fallbacks + 1, sizeof *s->fallbacks);
    s->cap_files = 8;
    s->files = calloc(s->cap_files, sizeof *s->files);
    if (!s->fallbacks || !s->files) {
        config_set_free(s);
        return NULL;
    }
    for (size_t i = 0; i < n_fallbacks; i++)
        if (fallbacks[i])
            s->fallbacks[s->n_fallbacks++] = strdup(fallbacks[i]);
    s->n_files = 1; /* files[0]: no configuration */
    return s;
}

config_set *config_set_new_fixed(const char *path)
{
    config_set *s = config_set_new(NULL, 0);
    if (s && !(s->fixed = strdup(path))) {
        config_set_free(s);
        return NULL;
    }
    return s;
}

void config_set_free(config_set *s)
{
    if (!s)
        return;
    free(s->fixed);
    for (size_t i = 0; i < s->n_fallbacks; i++)
        free(s->fallbacks[i]);
    for (size_t i = 0; i < s->n_files; i++) {
        free(s->files[i].path);
        config_free(&s->files[i].cfg);
    }
    free(s->fallbacks);
    free(s->files);
    free(s);
}

/* The .shapecheck for FILE: from its folder up, then from each fallback
   folder up ("DIR/." stands for a file in DIR).  NULL: none. */
static char *find_for(const config_set *s, const char *file)
{
    if (s->fixed)
        return strdup(s->fixed);
    char *found = config_find(file);
    for (size_t i = 0; !found && i < s->n_fallbacks; i++) {
        size_t n = strlen(s->fallbacks[i]) + 3;
        char *anchor = malloc(n);
        if (!anchor)
            return NULL;
        snprintf(anchor, n, "%s/.", s->fallbacks[i]);
        found = config_find(anchor);
        free(anchor);
    }
    return found;
}

/* The configuration read from PATH (taking it), read now if it was not
   yet.  NULL with ERR when it cannot be used. */
static const config *load(config_set *s, char *path, char *err, size_t err_size)
{
    for (size_t i = 1; i < s->n_files; i++)
        if (strcmp(s->files[i].path, path) == 0) {
            free(path);
            return &s->files[i].cfg;
        }
    if (s->n_files == s->cap_files) {
        loaded *grown = realloc(s->files, 2 * s->cap_files * sizeof *grown);
        if (!grown) {
            free(path);
            snprintf(err, err_size, "out of memory");
            return NULL;
        }
        s->files = grown;
        s->cap_files *= 2;
    }
    loaded *l = &s->files[s->n_files];
    if (config_load(&l->cfg, path, err, err_size) != 0) {
        free(path);
        return NULL;
    }
    l->path = path;
    s->n_files++;
    return &l->cfg;
}

int config_set_for_file(config_set *s, const char *file, const config **out,
                        char *err, size_t err_size)
{
    char *path = find_for(s, file);
    *out = path ? load(s, path, err, err_size) : &s->files[0].cfg;
    return *out ? 0 : -1;
}

typedef struct drop_ctx {
    config_set *s;
    const char *file; /* the last finding's file, and its configuration */
    const config *cfg;
} drop_ctx;

/* A finding in a file whose configuration cannot be had (it was read
   without trouble for the analysed files) keeps its finding. */
static bool disabled_here(void *ctx, const diag *d, size_t index)
{
    (void)index;
    drop_ctx *c = ctx;
    char err[256];
    if (!d->rule || !d->loc.file)
        return false;
    if (!c->file || strcmp(c->file, d->loc.file) != 0) {
        c->file = d->loc.file; /* findings are sorted: one look per file */
        if (config_set_for_file(c->s, d->loc.file, &c->cfg, err, sizeof err) !=
            0)
            c->cfg = NULL;
    }
    return c->cfg && config_rule_disabled(c->cfg, d->rule->id);
}

size_t config_set_drop_disabled(config_set *s, diag_list *list)
{
    drop_ctx c = {s, NULL, NULL};
    return finding_remove_if(list, disabled_here, &c);
}
