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
} driver_options;

typedef struct driver driver;

/* Gathers the compile commands for O.  Problems with databases are
   printed to O->messages and make *STATUS SC_EXIT_TROUBLE; the driver is
   still returned with whatever commands could be had.  O and everything it
   points to must outlive the driver. */
driver *driver_new(const driver_options *o, int *status);
void driver_free(driver *d);

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

/* The bundled folder with shapecheck.h and shapecheck_rt.h: the include
   folder of the installation the running program belongs to (found from
   the program's own path, so an installation may be moved), else the
   build tree's, else the configured installation folder. */
const char *driver_include_dir(void);

#endif /* SHAPECHECK_DRIVER_H */
