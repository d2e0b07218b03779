/*
 * config_set.h - the .shapecheck of each analysed file (docs/
 * configuration.md): one run may analyse files of several projects, and
 * each file gets the configuration found from its own folder, whatever
 * the order of the command line.  Each file read once per run.
 *
 * A file with no .shapecheck in its folder or above falls back to the one
 * found from the compile database's folder (-p runs), then to the one
 * found from the current folder (issue 11: clang-tidy users run
 * "shapecheck -p build" from the project and expect its configuration).
 */
#ifndef SHAPECHECK_CONFIG_SET_H
#define SHAPECHECK_CONFIG_SET_H

#include <stddef.h>

#include "config.h"
#include "diag.h"

typedef struct config_set config_set;

/* A set that looks in each FALLBACK folder, in order, for a file none is
   found for (NULL entries are skipped).  The strings are copied. */
config_set *config_set_new(const char *const *fallbacks, size_t n_fallbacks);
/* A set that gives every file the configuration PATH (--config-file, as
   clang-tidy's: one file for the whole run, found nowhere else). */
config_set *config_set_new_fixed(const char *path);
void config_set_free(config_set *s);

/* The configuration that applies to FILE (absolute, or relative to the
   current folder): never NULL when it returns 0; an empty one (path NULL)
   when there is none.  -1, with "PATH:LINE: WHAT" in ERR, when the file
   that applies cannot be used. */
int config_set_for_file(config_set *s, const char *file, const config **out,
                        char *err, size_t err_size);

/* Removes from LIST the findings whose rule is disabled by the
   configuration of the file they are in.  Returns the number removed. */
size_t config_set_drop_disabled(config_set *s, diag_list *list);

#endif /* SHAPECHECK_CONFIG_SET_H */
