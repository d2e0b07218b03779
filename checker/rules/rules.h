/*
 * rules.h - the table of rules.  Adding a rule is a row here (rules.c),
 * its check, a page in docs/rules.md and a corpus program that triggers it.
 * Text, SARIF and JSON output and the docs all read this one table.
 */
#ifndef SHAPECHECK_RULES_H
#define SHAPECHECK_RULES_H

#include <stddef.h>

typedef enum sc_severity { SC_SEV_NOTE, SC_SEV_WARNING, SC_SEV_ERROR } sc_severity;

typedef struct sc_rule {
    const char *id;          /* "shape-batch-mismatch" */
    sc_severity severity;
    const char *short_text;  /* one line, for listings and SARIF shortDescription */
    const char *full_text;   /* a paragraph: what it means and how to fix it */
} sc_rule;

extern const sc_rule sc_rule_batch_mismatch;
extern const sc_rule sc_rule_shape_mismatch;
extern const sc_rule sc_rule_annotation;
extern const sc_rule sc_rule_nolint;

/* Every rule, in documentation order. */
extern const sc_rule *const sc_rules[];
extern const size_t sc_n_rules;

const sc_rule *sc_rule_find(const char *id);

#endif /* SHAPECHECK_RULES_H */
