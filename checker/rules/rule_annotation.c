/*
 * rule_annotation.c - shape-annotation: an annotation that does not parse,
 * names a parameter that does not exist, sits where no shape can be, or
 * contradicts another declaration.  The problems are found where
 * annotations are read (analysis/signature.c, engine/names.c), which hand
 * them to this rule's hook.
 */
#include "analysis.h"

static void report(analysis *an, const sc_loc *loc, const char *message)
{
    diag_add(an->diags, &sc_rule_annotation, *loc, "%s", message);
}

const sc_rule sc_rule_annotation = {
    "shape-annotation",
    SC_SEV_ERROR,
    "Malformed or misplaced shape annotation",
    "A SHAPE, RETURNS_SHAPE or SHAPE_LOSS annotation does not parse in the "
    "dimension language, names a parameter that does not exist, sits on a "
    "declaration that cannot hold a shape, or contradicts another declaration "
    "of the same function.",
    NULL,
    report,
};
