/*
 * rules.h - the table of rules.  Adding a rule is a row here (rules.c),
 * its check in its own rule_*.c, a page in docs/rules.md and a corpus
 * program that triggers it.  Text, SARIF and JSON output and the docs all
 * read this one table, and the engine runs the checks through it: it calls
 * each rule's hooks in table order and never a rule by name.
 */
#ifndef SHAPECHECK_RULES_H
#define SHAPECHECK_RULES_H

#include <stddef.h>

typedef enum sc_severity { SC_SEV_NOTE, SC_SEV_WARNING, SC_SEV_ERROR } sc_severity;

struct analysis;
struct call_check;
struct sc_loc;

typedef struct sc_rule {
    const char *id;          /* "shape-batch-mismatch" */
    sc_severity severity;
    const char *short_text;  /* one line, for listings and SARIF shortDescription */
    const char *full_text;   /* a paragraph: what it means and how to fix it */
    /* Called for every call of a function with a signature, with the
       call's views and extents (analysis.h); NULL: none.  A rule that
       reports a conflict marks it claimed, so that later rules leave it
       (one problem, one finding). */
    void (*on_call)(struct analysis *an, struct call_check *chk);
    /* Called for every annotation problem found where annotations are
       read (MESSAGE says what); NULL: none. */
    void (*on_annotation)(struct analysis *an, const struct sc_loc *loc,
                          const char *message);
} sc_rule;

extern const sc_rule sc_rule_batch_mismatch;
extern const sc_rule sc_rule_batch_extent;
extern const sc_rule sc_rule_shape_mismatch;
extern const sc_rule sc_rule_annotation;
extern const sc_rule sc_rule_nolint;

/* Every rule, in documentation order, which is also the order the hooks
   run in. */
extern const sc_rule *const sc_rules[];
extern const size_t sc_n_rules;

const sc_rule *sc_rule_find(const char *id);

#endif /* SHAPECHECK_RULES_H */
