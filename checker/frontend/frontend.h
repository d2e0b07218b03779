/*
 * frontend.h - parse one translation unit with libclang and extract its
 * facts (ir.h).  The front end is the only code that includes
 * <clang-c/Index.h>; it is a module loaded on first use
 * (frontend_module.h), so that a run that parses nothing never loads
 * libclang.
 */
#ifndef SHAPECHECK_FRONTEND_H
#define SHAPECHECK_FRONTEND_H

#include "ir.h"

/* One compile command, already cleaned by compdb.c: ARGV[0] is the
   compiler, then flags, with "-c", "-o FILE" and the source file removed.
   DIRECTORY is where the command runs (relative paths in ARGV and FILE are
   relative to it); NULL means the current directory. */
typedef struct fe_command {
    const char *file;
    const char *directory;
    const char *const *argv;
    int argc;
    /* The file's text when it differs from the disk (an editor's unsaved
       buffer), or NULL to read the file. */
    const char *unsaved;
    size_t unsaved_length;
    /* Convert function bodies only from the first annotation on: a body
       before it (a unit without annotations: all of them) is left
       unconverted, with the functions it calls (ir_func.body_deferred). */
    bool defer_bodies;
} fe_command;

/* Per-thread front-end state: one CXIndex, and the options clang rejected
   so far (so only the first translation unit of a GCC build pays for a
   second parse). */
typedef struct frontend frontend;

/* Opens the front end (a module that links libclang: frontend_module.h)
   if it is not open yet; frontend_new does so too.  A process that forks
   parsers calls it first, so that they share it.  Exits with status 2 and
   a message naming the file when the module cannot be loaded. */
void frontend_load(void);

/* INCLUDE_DIR: the bundled folder with shapecheck.h (and the runtime's
   headers), added after the command's own include paths.  FORCE_INCLUDES:
   --models headers, passed as "-include". */
frontend *frontend_new(const char *include_dir, const char *const *force_includes,
                       int n_force_includes);
void frontend_free(frontend *fe);

/* File names under DIR are shown relative to it (default: the directory
   the process was in when frontend_new was called).  Set it when threads
   create frontends: libclang changes the process's directory for
   -working-directory, so a later getcwd() cannot be trusted. */
void frontend_set_root(frontend *fe, const char *dir);

/* Parses CMD and extracts its facts.  Defines __SHAPECHECK__; warnings are
   neither shown nor computed ("-w"), unless the command makes some of them
   errors ("-Werror=...", "-pedantic-errors").  Options clang reports as
   unknown are dropped and the file is parsed again; the dropped ones are
   listed in *DROPPED (an array of N_DROPPED strings in the returned TU's
   arena; may be NULL).
   Returns NULL, with a message in ERR, when the file cannot be parsed at
   all (it does not exist, it is unreadable, libclang failed).  A file with
   compiler errors is parsed: its diagnostics are in tu->diags and
   tu->has_errors is set. */
ir_tu *frontend_parse(frontend *fe, const fe_command *cmd, const char ***dropped,
                      int *n_dropped, char *err, size_t err_size);

void ir_tu_free(ir_tu *tu);

#endif /* SHAPECHECK_FRONTEND_H */
