/*
 * shape_facts.h - what the analysis learnt about each variable's shape, at
 * each place, kept after the run for editors: the language server shows
 * them on hover and as inlay hints.
 *
 * The engine tells an observer (analysis.h) as it walks each body; this
 * module turns those events into plain records with their shapes and notes
 * as text, so they outlive the analysis and its translation units.  The
 * command line collects nothing and pays nothing.
 */
#ifndef SHAPECHECK_SHAPE_FACTS_H
#define SHAPECHECK_SHAPE_FACTS_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"
#include "strmap.h"

typedef enum shape_fact_kind {
    SHAPE_FACT_DECLARED, /* a local or parameter declared (AT: its name) */
    SHAPE_FACT_TAKEN,    /* it took a shape (AT: the assignment, the
                            initialised declaration or the argument) */
    SHAPE_FACT_USED,     /* it was read (AT: the use) */
} shape_fact_kind;

typedef struct shape_fact {
    shape_fact_kind kind;
    const char *name; /* the variable */
    sc_loc decl;      /* its declaration's name */
    sc_loc func;      /* the name of the function whose body it is in */
    sc_loc at;
    bool can_hold;     /* a pointer, array or struct: it may have a shape */
    const char *shape; /* "[32, 10]"; NULL: no shape is known there */
    bool written;      /* the shape is its declaration's (SHAPE or array) */
    /* TAKEN: the shape is what the SHAPE parameter of the call to CALLEE
       reads it as, seen at this argument (not where the value came from) */
    bool inferred;
    const char *callee;
    diag_note *notes; /* where the shape and each of its dims came from */
    size_t n_notes;
} shape_fact;

/* Facts in walk order.  Everything, file names included, is owned by the
   list's arena. */
typedef struct shape_fact_list {
    arena *arena;
    shape_fact *items;
    size_t n, cap;
    strmap files; /* private: file names, copied once */
} shape_fact_list;

void shape_fact_list_init(shape_fact_list *list);
void shape_fact_list_free(shape_fact_list *list);

/* The observer function (analysis.h's shape_observer.fn) that appends to
   the shape_fact_list UD.  For the driver. */
struct analysis;
struct shape_event;
void shape_facts_observe(void *ud, struct analysis *an,
                         const struct shape_event *e);

#endif /* SHAPECHECK_SHAPE_FACTS_H */
