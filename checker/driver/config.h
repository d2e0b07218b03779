/*
 * config.h - .shapecheck, a project's settings, found the way clang-tidy
 * finds .clang-tidy: in the analysed file's folder, else in the nearest
 * folder above it (up to the filesystem root).  Command-line options
 * override it; the command line decides how (main.c).
 *
 * The format is a small subset of YAML, described in docs/configuration.md:
 *
 *   # models for the BLAS we cannot annotate
 *   models:
 *     - third_party/models/cblas.h
 *   extra-args: [-DUSE_OPENBLAS, "-I include"]
 *   disabled-rules:
 *     - shape-annotation
 *
 * Every key takes a list, written as "- ITEM" lines under it or as
 * "[A, B]" on its line; an item may be quoted ("..." with backslash
 * escapes, '...' with '' for a quote).  '#' starts a comment at the start
 * of a line or after white space.
 */
#ifndef SHAPECHECK_CONFIG_H
#define SHAPECHECK_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"

/* The name looked for. */
#define CONFIG_FILE_NAME ".shapecheck"

typedef struct config {
    const char *path; /* the file read; NULL when there was none */
    /* "models": headers to force-include, each made relative to the
       current folder (joined to the configuration file's folder) unless
       absolute. */
    const char **models;
    size_t n_models;
    /* "extra-args": compiler arguments to append to each command, as
       written. */
    const char **extra_args;
    size_t n_extra_args;
    /* "disabled-rules": ids of rules whose findings are dropped; each is a
       rule of the table. */
    const char **disabled_rules;
    size_t n_disabled_rules;
    void *storage; /* private: owns every string */
} config;

/* The .shapecheck that applies to FILE, as a malloc'd path; NULL if there
   is none in FILE's folder or above it. */
char *config_find(const char *file);

/* Reads PATH.  Returns 0, or -1 with a message in ERR, "PATH: cannot
   read: REASON" or "PATH:LINE: WHAT" for a malformed file or an unknown
   key or rule, and CFG empty. */
int config_load(config *cfg, const char *path, char *err, size_t err_size);

/* The same from TEXT already in memory; PATH names it in messages and
   gives the folder that "models" are relative to. */
int config_parse(config *cfg, const char *path, const char *text, char *err,
                 size_t err_size);

/* config_find, then config_load.  No file is not an error: CFG is then
   empty, with PATH NULL. */
int config_for_file(config *cfg, const char *file, char *err, size_t err_size);

void config_free(config *cfg);

/* Whether CFG disables the rule RULE_ID. */
bool config_rule_disabled(const config *cfg, const char *rule_id);

/* Removes from LIST the findings of the rules CFG disables (compiler
   diagnostics stay).  Returns the number removed. */
size_t config_drop_disabled(const config *cfg, diag_list *list);

#endif /* SHAPECHECK_CONFIG_H */
