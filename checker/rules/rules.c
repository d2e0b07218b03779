/*
 * rules.c - the one table of rules (see rules.h).
 */
#include "rules.h"

#include <string.h>

const sc_rule sc_rule_batch_mismatch = {
    "shape-batch-mismatch",
    SC_SEV_ERROR,
    "Loss called with logits and labels whose batch sizes cannot match",
    "A function marked SHAPE_LOSS(logits, labels) is called with a logits "
    "argument and a labels argument whose first (batch) dimensions cannot be "
    "equal on any execution. The loss would read past the end of the shorter "
    "buffer or silently use the wrong labels. Make both come from the same "
    "batch size, or truncate the labels to the logits' batch.",
};

const sc_rule sc_rule_shape_mismatch = {
    "shape-mismatch",
    SC_SEV_ERROR,
    "Argument shape cannot match the parameter's SHAPE",
    "An argument of a call has a shape that cannot match the SHAPE annotation "
    "of the parameter it is passed to: a different rank, a dimension that "
    "differs on every execution, one dimension symbol bound to two different "
    "sizes by two arguments of the same call, or an int argument that "
    "contradicts the dimensions that use it.",
};

const sc_rule sc_rule_annotation = {
    "shape-annotation",
    SC_SEV_ERROR,
    "Malformed or misplaced shape annotation",
    "A SHAPE, RETURNS_SHAPE or SHAPE_LOSS annotation does not parse in the "
    "dimension language, names a parameter that does not exist, sits on a "
    "declaration that cannot hold a shape, or contradicts another declaration "
    "of the same function.",
};

/* Reported by suppress.c, as clang-tidy reports clang-tidy-nolint. */
const sc_rule sc_rule_nolint = {
    "shapecheck-nolint",
    SC_SEV_ERROR,
    "Unmatched NOLINTBEGIN or NOLINTEND comment",
    "A NOLINTBEGIN comment has no NOLINTEND with the same rule list after "
    "it, or a NOLINTEND has no NOLINTBEGIN before it. While a file has one, "
    "none of its NOLINTBEGIN/NOLINTEND ranges suppresses anything, because "
    "which lines were meant cannot be known (NOLINT and NOLINTNEXTLINE still "
    "work). Add the missing comment, or write the same rule list in both.",
};

const sc_rule *const sc_rules[] = {
    &sc_rule_batch_mismatch,
    &sc_rule_shape_mismatch,
    &sc_rule_annotation,
    &sc_rule_nolint,
};
const size_t sc_n_rules = sizeof sc_rules / sizeof sc_rules[0];

const sc_rule *sc_rule_find(const char *id)
{
    for (size_t i = 0; i < sc_n_rules; i++)
        if (strcmp(sc_rules[i]->id, id) == 0)
            return sc_rules[i];
    return NULL;
}
