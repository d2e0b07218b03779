/*
 * diag.h - findings: what the rules produce and every output reads.
 *
 * A finding is one problem at one place, with the rule that found it and
 * notes that trace each shape back to its source.  Findings are collected
 * in a diag_list, sorted by position before output so that the result does
 * not depend on the order translation units were analysed in.
 */
#ifndef SHAPECHECK_DIAG_H
#define SHAPECHECK_DIAG_H

#include <stdbool.h>
#include <stddef.h>

#include "ir.h"
#include "rules.h"

typedef struct diag_note {
    sc_loc loc;
    const char *message;
} diag_note;

typedef struct diag {
    const sc_rule *rule; /* NULL for a compiler diagnostic */
    sc_severity severity;
    sc_loc loc;
    const char *message; /* without the " [rule]" suffix */
    /* Optional: the part of the line to underline, from LOC to END (just
       past its last character, same line), and FOCUS, where the caret
       goes inside it (the argument that does not fit).  Line 0: none. */
    sc_loc end, focus;
    diag_note *notes;
    size_t n_notes;
} diag;

typedef struct diag_list {
    arena *arena; /* owns messages, notes and file names */
    diag *items;
    size_t n, cap;
} diag_list;

void diag_list_init(diag_list *list);
void diag_list_free(diag_list *list);

/* Starts a finding; the message is printf-formatted into the list's arena.
   Returns it so that notes can be added. */
diag *diag_add(diag_list *list, const sc_rule *rule, sc_loc loc,
               const char *fmt, ...) __attribute__((format(printf, 4, 5)));
void diag_add_note(diag_list *list, diag *d, sc_loc loc, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Sets D's underlined range and caret (see diag.end, diag.focus). */
void diag_set_range(diag_list *list, diag *d, sc_loc end, sc_loc focus);
/* Copies D (from another list) into LIST, strings included. */
void diag_copy(diag_list *list, const diag *d);

/* Sorts by file, line, column, rule, then message; drops exact duplicates
   (same rule, position and message: a header analysed with two
   translation units reports once). */
void diag_list_sort(diag_list *list);

/* Drops each finding from index FROM on whose rule and place a finding
   from index SINCE up to it already has (the first one stays): a body
   walked more than once (a loop unrolled, a walk from the program's
   entry) says one thing per place. */
void diag_list_drop_repeats(diag_list *list, size_t since, size_t from);

/* Number of findings that fail a run (exit status 1): the rules' errors
   and warnings (SPEC 5), and compiler errors.  Notes and the compiler's
   own warnings do not count. */
size_t diag_count_findings(const diag_list *list);

#endif /* SHAPECHECK_DIAG_H */
