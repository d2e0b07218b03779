/*
 * frontend_module.h - between the front end and the program that loads it.
 *
 * The front end (frontend.c, frontend_expr.c) is built as a module that
 * links libclang, and frontend_load.c opens it on first use.  Loading
 * libclang and LLVM costs about 0.1 s of a run's start (hundreds of
 * thousands of relocations and LLVM's static constructors), which a run
 * that parses nothing never needs to pay: the link step over facts files,
 * a single-unit run whose other units come from the index, --version, a
 * language server before its first parse.
 *
 * The module exports one symbol, FRONTEND_MODULE_SYMBOL, the table below;
 * the rest of its symbols are hidden.  It takes the arena functions from
 * the program that loads it (exported: -rdynamic), so that memory it
 * allocates for a TU is the program's (the isolation's shared region).
 */
#ifndef SHAPECHECK_FRONTEND_MODULE_H
#define SHAPECHECK_FRONTEND_MODULE_H

#include "frontend.h"

/* Bumped whenever the table or what it passes changes: a module of
   another version is refused, not called. */
#define FRONTEND_MODULE_VERSION 1
#define FRONTEND_MODULE_SYMBOL "shapecheck_frontend_module"

typedef struct frontend_module {
    int version;
    frontend *(*create)(const char *include_dir,
                        const char *const *force_includes,
                        int n_force_includes);
    void (*destroy)(frontend *fe);
    void (*set_root)(frontend *fe, const char *dir);
    ir_tu *(*parse)(frontend *fe, const fe_command *cmd, const char ***dropped,
                    int *n_dropped, char *err, size_t err_size);
} frontend_module;

#endif /* SHAPECHECK_FRONTEND_MODULE_H */
