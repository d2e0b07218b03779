/*
 * units.h - the units of a run's program that are not parsed (SPEC 7):
 * facts files given as inputs (the link step) and, for a run that
 * analyses fewer units than its compile database lists, the other units'
 * fresh entries in the project index (index.h).  Then one analysis of the
 * whole, which reports the findings of the units the run is about (its
 * sources and facts files), never those of the index's units: their own
 * runs report them.
 */
#ifndef SHAPECHECK_UNITS_H
#define SHAPECHECK_UNITS_H

#include <stdbool.h>
#include <stdio.h>

#include "analysis.h"
#include "frontend.h"
#include "index.h"
#include "index_entry.h"

typedef struct units_inputs {
    const char *const *facts; /* facts files, in order */
    size_t n_facts;
    /* A partial run's index (NULL: none).  CMDS are the run's commands,
       whose units are parsed, not loaded. */
    sc_index *index;
    const fe_command *const *cmds;
    size_t n_cmds;
    /* Whether an index unit's stored summary may stand for its facts
       (index_load_summary): not when an observer must see one analysis
       only, as an analysis that finds a summary out of date runs again. */
    bool summaries;
    const char *root; /* file names are shown relative to it */
    int jobs;         /* threads reading files; 0: one per core */
    FILE *messages;
    /* Parses the N units of TUS (each one of PARSED, or index unit
       UNITS[i]; -1: a facts file's) again, together, with every body
       converted, when an analysis needs bodies the front end deferred:
       TUS[i] becomes the new TU, or NULL when it cannot be had.  A TU of
       PARSED is the caller's to replace and free.  May be NULL. */
    void (*convert_all)(void *ud, ir_tu **tus, const long *units, size_t n);
    void *convert_ud;
} units_inputs;

/* An index unit that joins the program by its stored summary. */
typedef struct unit_summary {
    long unit;
    index_summary s;
} unit_summary;

/* A run's program: the units parsed and the facts files' (reported),
   then the index's (context only): their facts, or their summaries. */
typedef struct run_units {
    ir_tu **tus;
    uint32_t n_tus;
    uint32_t n_reported; /* the first N_REPORTED are the run's own */
    uint32_t n_parsed;   /* the first N_PARSED are the caller's to free */
    unit_summary *summaries;
    size_t n_summaries;
    size_t n_from_facts; /* index units loaded as facts, in all rounds */
    sc_index *index;     /* where the summaries' facts are, if need be */
    long *unit_of;       /* per TU: its index unit, or -1 */
    size_t n_converted;  /* units parsed again in full, in all rounds */
    void (*convert_all)(void *ud, ir_tu **tus, const long *units, size_t n);
    void *convert_ud;
    const char *root;
    FILE *messages;
} run_units;

/* The program of the N_PARSED units PARSED (the caller's) and IN's.  A
   facts file that cannot be read is an error on IN->messages; a facts
   file's compiler errors go to LIST, as a parsed unit's do.  For a
   partial run with an index, says once when there is none, or when some
   units have no fresh entry and are left out.  Returns SC_EXIT_CLEAN or
   SC_EXIT_TROUBLE. */
int units_gather(run_units *u, ir_tu *const *parsed, uint32_t n_parsed,
                 const units_inputs *in, diag_list *list);

/* analyze_program over U with the options AO, reporting the findings of
   the run's own units only (and telling AO's observer about their
   functions only).  When a summary turns out to be out of date (a
   function it used has another signature now: the run's own unit
   changed it), that unit's facts are loaded and the program analysed
   again; so is it when the analysis needs a body the front end deferred
   (its unit is parsed again in full, IN->convert_all).  AO->finished is
   told of the last analysis only. */
int units_analyse(run_units *u, diag_list *list, const analysis_options *ao);

/* Frees what units_gather loaded (not the parsed units). */
void units_free(run_units *u);

#endif /* SHAPECHECK_UNITS_H */
