/*
 * rule_annotation.c - shape-annotation: an annotation that does not parse,
 * names a parameter that does not exist, sits where no shape can be, or
 * contradicts another declaration.  The checks live where annotations are
 * read (signature.c, propagate.c); this is the one way they report.
 */
#include <stdarg.h>
#include <stdio.h>

#include "analysis.h"

void report_annotation(analysis *an, sc_loc loc, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    diag_add(an->diags, &sc_rule_annotation, loc, "%s", msg);
}
