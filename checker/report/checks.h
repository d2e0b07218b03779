/*
 * checks.h - --checks=GLOBS, clang-tidy's rule selection: a comma-separated
 * list of globs over rule ids, each enabling the rules it matches, or,
 * with a leading '-', disabling them, applied in order to every rule
 * ("-*,shape-batch-*": only the batch rules).  All rules start enabled.
 * Globs that match no rule of shapecheck are ignored (a .clang-tidy's
 * "bugprone-*" may be shared), except a name that starts with "shape-":
 * a misspelt rule of ours is an error, not a silent no-op.
 */
#ifndef SHAPECHECK_CHECKS_H
#define SHAPECHECK_CHECKS_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"

typedef struct checks {
    bool *enabled; /* by rule, in sc_rules' order; NULL: all */
} checks;

/* Reads SPEC into C.  0, or -1 with "what is wrong" in ERR (an unknown
   shape- rule, no rule left enabled, out of memory). */
int checks_parse(checks *c, const char *spec, char *err, size_t err_size);
void checks_free(checks *c);

/* Removes from LIST the findings of rules C disables (compiler errors
   stay); returns how many. */
size_t checks_drop(const checks *c, diag_list *list);

#endif /* SHAPECHECK_CHECKS_H */
