/*
 * compdb.h - compile commands: read compile_commands.json, or build one
 * command from "FILE... -- COMPILER ARGS", and clean each command for the
 * front end (SPEC section 5).
 */
#ifndef SHAPECHECK_COMPDB_H
#define SHAPECHECK_COMPDB_H

#include <stddef.h>

#include "frontend.h"

/* The words cleaning took out of one command because libclang must not see
   them (dependency generation, driver queries: args.h), for -v to list. */
typedef struct compdb_removed {
    const char *const *words;
    int n;
} compdb_removed;

typedef struct compdb {
    fe_command *commands; /* one per translation unit, in database order */
    size_t n_commands;
    compdb_removed *removed; /* per command */
    const char *path;        /* the file it was read from, or NULL */
    void *storage;           /* private: owns every string */
} compdb;

/* Reads PATH (a compile_commands.json).  Each entry's "arguments" array, or
   its "command" string split as a shell would ("..." and '...' quoting,
   backslash escapes), becomes a cleaned command: compiler kept as argv[0];
   "-c", "-o FILE" / "-oFILE" and the source file itself removed, and so
   are the options libclang must not see (args.h: dependency generation,
   -M, -MM, -MD, -MF FILE..., and driver queries, -###, --version, -v,
   -print-*...), which are recorded (compdb_removed_for).  A relative
   "directory" is made absolute against the folder holding PATH, a relative
   "file" against "directory".  Only C sources (file names ending in ".c")
   are kept, the first entry of each file only.
   Returns 0, or -1 with a message naming the file and, for malformed JSON,
   the line and column ("build/compile_commands.json:3:14: malformed JSON",
   "build/compile_commands.json: entry 2: missing 'file'"). */
int compdb_load(compdb *db, const char *path, char *err, size_t err_size);

/* The same from the LEN bytes of TEXT already in memory, with TEXT[LEN]
   == '\0'; PATH names it in messages and gives the folder that relative
   "directory" values are relative to. */
int compdb_parse(compdb *db, const char *path, const char *text, size_t len,
                 char *err, size_t err_size);

/* Builds one command per FILE from ARGS (the words after "--"): a first word
   that does not start with '-' is the compiler and is skipped (argv[0] is
   then "clang"); "-c", "-o FILE", the options of args.h and any word
   naming one of FILES are dropped.  FILE is kept as given; DIRECTORY is the
   current directory.  Returns 0. */
int compdb_from_args(compdb *db, const char *const *files, size_t n_files,
                     const char *const *args, size_t n_args);

/* Looks for compile_commands.json in DIR and its parents; returns a
   malloc'd path or NULL. */
char *compdb_find(const char *dir);

/* The entry whose file is PATH (made absolute), or, for a relative PATH,
   whose file ends with "/PATH" (clang-tidy matches by suffix); NULL if
   none. */
const fe_command *compdb_lookup(const compdb *db, const char *path);

/* What cleaning removed from CMD, a command of DB (none for any other). */
const compdb_removed *compdb_removed_for(const compdb *db,
                                         const fe_command *cmd);

void compdb_free(compdb *db);

/* PATH made absolute against BASE (itself absolute) and normalised
   lexically, without ".", ".." and empty parts, as database paths are. */
char *compdb_absolute_path(arena *a, const char *base, const char *path);

#endif /* SHAPECHECK_COMPDB_H */
