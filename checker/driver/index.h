/*
 * index.h - the project index (SPEC 7, docs/facts.md): every translation
 * unit's facts (ir_io.h), kept in a folder (BUILD_DIR/.shapecheck by
 * default), so that a run or an editor that analyses a few units gets the
 * rest of the program without parsing it, as clangd's background index
 * does.
 *
 * One entry per unit of the compile database, named by the unit's source
 * file.  An entry records the command it was parsed with (the compile
 * command, the models, the bundled headers, the checker itself) and every
 * file the unit read, with its size, time and content hash.  An entry is
 * fresh while all of that is unchanged; a stale entry is never used.
 * Entries are written to a temporary name and renamed into place, so
 * several processes (a parallel build's compile steps) may share an index.
 *
 * The command line uses this through driver.h; the language server calls
 * it directly:
 *
 *   index_open        once, for the compile database's folder
 *   index_refresh     (index_runs.h) in the background: parse what is
 *                     missing or stale, with progress and a way to stop
 *   index_analyse     (index_runs.h) the open documents (their buffers)
 *                     against the rest of the program
 *   index_dependents  after a save: which units a changed file can affect
 *
 * An sc_index is used by one thread at a time.  The functions never print:
 * problems go to O->messages.
 */
#ifndef SHAPECHECK_INDEX_H
#define SHAPECHECK_INDEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "compdb.h"
#include "diag.h"

struct analysis;
struct index_summary;
struct shape_fact_list;

typedef struct sc_index sc_index;

typedef struct index_options {
    const char *build_dir; /* the folder of compile_commands.json */
    const char *index_dir; /* NULL: BUILD_DIR/.shapecheck */
    /* The bundled headers' folder (driver_include_dir()): part of every
       entry's fingerprint. */
    const char *include_dir;
    /* As in driver_options: the --models headers and extra arguments every
       unit is parsed with (an entry made with others is stale). */
    const char *const *models;
    int n_models;
    const char *const *extra_args;
    int n_extra_args;
    const char *const *extra_args_before;
    int n_extra_args_before;
    /* The .shapecheck of each file (config_set.h; borrowed, NULL: none),
       whose extra-args and models the driver puts in each command: a
       unit's command is fresh only with the same ones. */
    struct config_set *configs;
    int jobs;       /* parsing threads of index_refresh; 0: one per core */
    FILE *messages; /* problems, one line each; NULL: stderr */
} index_options;

/* Opens the index of O->build_dir: reads its compile database (nothing is
   parsed, nothing written yet).  Everything O points to is copied.  NULL,
   with a message naming the file in ERR, when the database cannot be read
   or lists no C translation unit. */
sc_index *index_open(const index_options *o, char *err, size_t err_size);
void index_close(sc_index *ix);

/* The folder of the entries (O->index_dir or BUILD_DIR/.shapecheck). */
const char *index_dir(const sc_index *ix);

/* Whether the folder has at least one entry: false before the first
   refresh or -p run ("no index"). */
bool index_exists(const sc_index *ix);

/* The units of the compile database, in its order: their source files as
   absolute paths. */
size_t index_n_units(const sc_index *ix);
const char *index_unit_file(const sc_index *ix, size_t i);
/* Unit I's command, as the database has it. */
const fe_command *index_unit_command(const sc_index *ix, size_t i);

/* Whether unit I has a fresh entry now (its files are hashed again when
   their size or time changed). */
bool index_unit_fresh(sc_index *ix, size_t i);

/* Whether unit I has an entry at all, fresh or stale. */
bool index_unit_has_entry(const sc_index *ix, size_t i);

/* Whether unit I's fresh entry holds facts that left bodies unconverted
   (ir_func.body_deferred): a run that walks every body reads it again. */
bool index_unit_deferred(const sc_index *ix, size_t i);

/* The options the index was opened with (its own copies). */
const index_options *index_settings(const sc_index *ix);

/* The units whose findings may change when FILES change (sources or
   headers, absolute or relative to the current folder): the units that
   read one of them, and, transitively, the units that call a function
   one of those defines (their summaries may change).  Read from the
   entries as they are (refresh first after a save).  Sets *UNITS to a
   malloc'd array of absolute paths, in database order, owned by the
   index until the next call or index_close; returns their number. */
size_t index_dependents(sc_index *ix, const char *const *files, size_t n_files,
                        const char *const **units);

/* ---- For the driver (driver.c, units.c) ------------------------------ */

/* index_open for a database the caller has read (borrowed: it must
   outlive the index).  NULL only when out of memory. */
sc_index *index_open_db(const index_options *o, const compdb *db);

/* The folder of the compile database. */
const char *index_build_dir(const sc_index *ix);

/* The unit whose source is FILE (relative to DIR, NULL: the current
   folder), or -1 when the database has none. */
long index_unit_of(const sc_index *ix, const char *file, const char *dir);

/* Whether CMD (extra arguments already in its argv) is the database's
   command of its unit, so that an entry made from it is fresh: not when
   its file is no unit, nor when "FILE -- ARGS" gives other arguments (a
   test's, or an experiment's). */
bool index_command_matches(sc_index *ix, const fe_command *cmd);

/* Unit I's facts, read from its entry, file names relative to ROOT.  Call
   only for a unit index_unit_fresh found fresh.  NULL, with a message,
   when the entry cannot be read after all.  Thread-safe. */
ir_tu *index_load(const sc_index *ix, size_t i, const char *root, char *err,
                  size_t err_size);

/* A new run begins: files may have changed since the last, so each is
   looked at again (once per run: freshness is decided as of the run's
   start, however many units read a file). */
void index_new_run(sc_index *ix);

/* Stores TU, just parsed with CMD (extra arguments already in its argv, as
   the driver's commands have them), as the entry of CMD's unit; file
   names in TU are relative to ROOT.  Nothing is stored for a file that is
   not a unit of the database, or with another command
   (index_command_matches).  0, or -1 with a message.  Thread-safe. */
int index_store(sc_index *ix, const fe_command *cmd, const ir_tu *tu,
                const char *root, char *err, size_t err_size);

/* Stores, beside the fresh entry of CMD's unit, what the analysis AN
   learnt of the functions TU (its facts) defines, so that a later run
   that does not analyse that unit reads its summary instead of its facts
   (index_entry.h).  Nothing when the unit has no fresh entry made from
   TU's command.  0, or -1 with a message. */
int index_store_summary(sc_index *ix, const fe_command *cmd, const ir_tu *tu,
                        struct analysis *an, char *err, size_t err_size);

/* Unit I's stored summary (index_store_summary), when it belongs to its
   entry as it is, into S (index_summary_free it): a run that uses it
   must check it against its own analysis (summary_imports_current,
   summary_unwalked_needed) and load the unit's facts instead when it
   fails.  Call only for a unit index_unit_fresh found fresh.  False: no
   usable summary. */
bool index_load_summary(const sc_index *ix, size_t i, struct index_summary *s);

#endif /* SHAPECHECK_INDEX_H */
