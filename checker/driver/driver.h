/*
 * driver.h - one run of the checker as a library call: the inputs (files,
 * a compile database, compiler arguments) become compile commands, every
 * translation unit is parsed (in parallel threads), and the program they
 * make is analysed as a whole.  The command line (main.c) and the language
 * server (lsp.c) are both thin layers over this.
 */
#ifndef SHAPECHECK_DRIVER_H
#define SHAPECHECK_DRIVER_H

#include <stdbool.h>
#include <stdio.h>

#include "diag.h"
#include "frontend.h"

/* Exit statuses (SPEC section 5). */
#define SC_EXIT_CLEAN 0    /* no error found */
#define SC_EXIT_FINDINGS 1 /* at least one error found */
#define SC_EXIT_TROUBLE 2  /* the checker could not do its whole job */

typedef struct driver_options {
    const char *build_dir;    /* -p, or NULL */
    const char *const *files; /* FILE... */
    size_t n_files;
    bool has_dashdash; /* "--" given: compiler_args apply */
    const char *const *compiler_args;
    size_t n_compiler_args;
    const char *const *models; /* --models headers */
    int n_models;
    const char *const *extra_args; /* appended to every command */
    int n_extra_args;
    const char *const *extra_args_before; /* put right after the compiler */
    int n_extra_args_before;
    /* The .shapecheck of each file (config_set.h), or NULL for none: its
       extra-args come before --extra-arg's, its models are force-included
       when there are no --models. */
    struct config_set *configs;
    const char *const *read_summaries; /* --read-summaries files */
    size_t n_read_summaries;
    const char *write_summaries_dir; /* --write-summaries, or NULL */
    const char *cache_dir;           /* --cache-dir, or NULL */
    int jobs;                        /* 0: one per core */
    bool verbose;                    /* list dropped options */
    bool stats;                      /* print phase times to messages */
    FILE *messages;                  /* errors and warnings (stderr) */
    /* Called after each translation unit is parsed, from the parsing
       threads (under a lock, in completion order); may be NULL. */
    void (*progress)(void *ud, size_t done, size_t total, const char *file);
    void *progress_ud;
    /* The project index (index.h, docs/facts.md).  A run with a compile
       database (-p, one found above the files, or above the current
       folder for "FILE -- ARGS") stores the units it parses there; a run
       that analyses fewer units than the database lists also loads the
       others' fresh entries, and reports the findings of its own units
       only. */
    const char *index_dir;  /* --index DIR; NULL: BUILD_DIR/.shapecheck */
    bool no_index;          /* --no-index */
    struct sc_index *index; /* an index already open (the language
                               server's), instead of one from the above */
    bool index_read_only;   /* load from the index, never store (unsaved
                               editor buffers are not the files on disk) */
} driver_options;

typedef struct driver driver;

/* Gathers the compile commands for O.  Inputs ending in ".scfacts" are
   facts files (ir_io.h): their units join the program as they are, after
   the sources'.  Problems with databases are
   printed to O->messages and make *STATUS SC_EXIT_TROUBLE; the driver is
   still returned with whatever commands could be had.  O and everything it
   points to must outlive the driver. */
driver *driver_new(const driver_options *o, int *status);
void driver_free(driver *d);

/* How many translation units the last driver_run analysed (parsed, or
   had from the cache or facts files): 0 when bad input stopped it (every
   file missing, say), in which case there is no report to write. */
size_t driver_n_analysed(const driver *d);

/* The directory the driver started in: file names are shown from it. */
const char *driver_cwd(const driver *d);
size_t driver_n_commands(const driver *d);
/* Command I's file as findings name it (relative to driver_cwd when
   under it). */
const char *driver_file(const driver *d, size_t i);

/* Gives the file of command I (matched by driver_file or absolute path)
   the text TEXT instead of what is on disk (an editor's buffer).  TEXT
   must outlive the next driver_run. Returns false if no command has it. */
bool driver_set_unsaved(driver *d, const char *file, const char *text,
                        size_t length);

/* Parses every command and analyses the program; appends findings and
   compiler errors to LIST (unsorted).  Returns SC_EXIT_TROUBLE when some
   file could not be analysed cleanly, else SC_EXIT_CLEAN. */
int driver_run(driver *d, diag_list *list);

/* driver_run that also records, in FACTS, the shape of each variable where
   it is declared, takes a shape and is used (shape_facts.h): what an
   editor shows on hover and as inlay hints.  FACTS NULL is driver_run. */
struct shape_fact_list;
int driver_run_collect(driver *d, diag_list *list,
                       struct shape_fact_list *facts);

/* Parses the N commands from FIRST on (fewer at the end) and stores them
   in the project index (driver_options.index), with no analysis:
   index_refresh, in batches.  Their compiler errors are kept in the
   entries, not reported.  Returns SC_EXIT_TROUBLE when a unit could not
   be parsed (said on messages), else SC_EXIT_CLEAN. */
int driver_store_units(driver *d, size_t first, size_t n);

/* --emit-facts OUT: parses the driver's one command and writes its facts
   to OUT (ir_io.h), written beside it and renamed into place.  The unit's
   compiler errors go to LIST; it is written even then, and the link step
   reports them again.  Returns SC_EXIT_CLEAN, or SC_EXIT_TROUBLE (not
   exactly one source, compiler errors, OUT cannot be written). */
int driver_emit_facts(driver *d, const char *out, diag_list *list);

/* The bundled folder with shapecheck.h and shapecheck_rt.h: the include
   folder of the installation the running program belongs to (found from
   the program's own path, so an installation may be moved), else the
   build tree's, else the configured installation folder. */
const char *driver_include_dir(void);

#endif /* SHAPECHECK_DRIVER_H */
