/*
 * analyze.c - the driver for a whole program: every annotated function has
 * its signature built (so a malformed annotation is reported even when
 * nothing calls the function), then every function defined in a main file
 * is walked (propagate.c).  Signatures and summaries are shared by all
 * translation units, so a call in one file is checked against a function
 * annotated or defined in another.
 */
#define _POSIX_C_SOURCE 200809L /* getcwd */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analysis.h"
#include "summary_io.h"

static int read_summaries(analysis *an, const analysis_options *o)
{
    char err[1024];
    for (size_t i = 0; i < o->n_read_summaries; i++)
        if (summary_read(an, o->read_summaries[i], err, sizeof err) != 0) {
            fprintf(o->messages ? o->messages : stderr,
                    "shapecheck: error: %s\n", err);
            return 2;
        }
    return 0;
}

/* "src/net.c" -> "src_net.c": the TU's path from the current folder (or
   from the root), one file name. */
static char *summary_file_name(analysis *an, const char *file)
{
    char *cwd = getcwd(NULL, 0);
    size_t n = cwd ? strlen(cwd) : 0;
    if (n && strncmp(file, cwd, n) == 0 && file[n] == '/')
        file += n + 1;
    free(cwd);
    while (*file == '/')
        file++;
    char *name = arena_strdup(an->arena, file);
    for (char *p = name; *p; p++)
        if (*p == '/')
            *p = '_';
    return name;
}

/* DIR/<TU path>.json: one file per TU, stable names. */
static int write_summaries(analysis *an, const analysis_options *o)
{
    char err[1024];
    for (uint32_t t = 0; t < an->n_tus; t++) {
        char *name = summary_file_name(an, an->tus[t]->main_file);
        char *path = arena_printf(an->arena, "%s/%s.json",
                                  o->write_summaries_dir, name);
        FILE *f = fopen(path, "w");
        int rc = f ? summary_write(an, an->tus[t], f, err, sizeof err) : -1;
        if (f && fclose(f) != 0)
            rc = -1;
        if (rc != 0) {
            fprintf(o->messages ? o->messages : stderr,
                    "shapecheck: error: cannot write summary %s\n", path);
            return 2;
        }
    }
    return 0;
}

int analyze_program(ir_tu *const *tus, uint32_t n_tus, diag_list *diags,
                    const analysis_options *opts)
{
    analysis_options none = {0};
    const analysis_options *o = opts ? opts : &none;
    analysis an = {.tus = tus, .n_tus = n_tus, .diags = diags,
                   .observer = o->observer};
    an.arena = arena_new();
    an.dims = dim_ctx_new();
    strmap_init(&an.funcs_by_key, an.arena);
    strmap_init(&an.consts, an.arena);
    strmap_init(&an.external, an.arena);
    int status = read_summaries(&an, o);
    for (uint32_t t = 0; t < n_tus; t++)
        for (uint32_t i = 0; i < tus[t]->n_funcs; i++)
            signature_of(&an, tus[t]->funcs[i]);
    for (uint32_t t = 0; t < n_tus; t++)
        for (uint32_t i = 0; i < tus[t]->n_funcs; i++)
            propagate_function(&an, tus[t]->funcs[i]);
    if (o->write_summaries_dir && status == 0)
        status = write_summaries(&an, o);
    dim_ctx_free(an.dims);
    arena_free(an.arena);
    return status;
}
