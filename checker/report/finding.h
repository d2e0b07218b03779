/*
 * finding.h - a finding as the machine-readable outputs (SARIF, JSON), the
 * baseline and the suppressions see it.
 *
 * Text output prints a compiler diagnostic (rule NULL) as clang formatted
 * it; the other consumers need a rule id and a bare message for it too, and
 * all of them need valid UTF-8 and a way to drop findings from a list.
 */
#ifndef SHAPECHECK_FINDING_H
#define SHAPECHECK_FINDING_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "diag.h"

/* The pseudo-rule of compiler diagnostics, "clang-diagnostic-error" as
   clang-tidy names them.  It is not in the rules table (nothing can
   disable or suppress it): SARIF lists it after the table's rules. */
extern const sc_rule finding_compiler_rule;

/* D's rule, or finding_compiler_rule for a compiler diagnostic. */
const sc_rule *finding_rule(const diag *d);

/* "error", "warning" or "note": SARIF's level and the JSON severity. */
const char *finding_severity_name(sc_severity severity);

/* D's message without the location and severity that clang puts at the
   front of a compiler diagnostic ("x.c:3:1: error: unknown type name 'T'"
   gives "unknown type name 'T'").  A finding's own message is returned as
   it is.  The result points into D's message. */
const char *finding_message(const diag *d);

/* S if it is valid UTF-8, else a copy in A with each invalid byte replaced
   by U+FFFD: JSON must be UTF-8, file names and source text need not be. */
const char *finding_utf8(arena *a, const char *s);

/* Removes from LIST the findings for which DROP returns true (called once
   per finding, in order, with its index before removal), keeping the
   order of the rest.  Returns how many were removed. */
typedef bool finding_drop_fn(void *ctx, const diag *d, size_t index);
size_t finding_remove_if(diag_list *list, finding_drop_fn *drop, void *ctx);

#endif /* SHAPECHECK_FINDING_H */
