/*
 * rules.c - the one table of rules (see rules.h).  Each rule's texts and
 * hooks live with its check, in its rule_*.c.  The order is the order the
 * hooks run in: the batch rule claims the conflicts it reports before the
 * general shape rule sees them.
 */
#include "rules.h"

#include <string.h>

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
    NULL,
    NULL,
};

const sc_rule *const sc_rules[] = {
    &sc_rule_batch_mismatch, &sc_rule_batch_extent, &sc_rule_shape_mismatch,
    &sc_rule_annotation,     &sc_rule_nolint,
};
const size_t sc_n_rules = sizeof sc_rules / sizeof sc_rules[0];

const sc_rule *sc_rule_find(const char *id)
{
    for (size_t i = 0; i < sc_n_rules; i++)
        if (strcmp(sc_rules[i]->id, id) == 0)
            return sc_rules[i];
    return NULL;
}
