/*
 * frontend_load.c - frontend.h's functions, by the front-end module
 * (frontend_module.h), opened by the first call that needs it.
 */
#define _GNU_SOURCE /* dlopen's RTLD_* under -std=c11 */

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "arena.h"
#include "frontend_module.h"
#include "install_path.h"

/* Where the module is: beside the installed program (its folder joined
   with SHAPECHECK_BIN_TO_FRONTEND), in the build tree, or where the
   configured prefix puts it. */
#ifndef SHAPECHECK_BIN_TO_FRONTEND
#define SHAPECHECK_BIN_TO_FRONTEND "../lib/shapecheck/shapecheck-frontend.so"
#endif
#ifndef SHAPECHECK_BUILD_FRONTEND
#define SHAPECHECK_BUILD_FRONTEND SHAPECHECK_BIN_TO_FRONTEND
#endif
#ifndef SHAPECHECK_INSTALL_FRONTEND
#define SHAPECHECK_INSTALL_FRONTEND SHAPECHECK_BUILD_FRONTEND
#endif

static pthread_once_t load_once = PTHREAD_ONCE_INIT;
static const frontend_module *module;

/* An installation without its front end cannot check anything: say
   which file is missing or broken, and stop as for any trouble. */
static _Noreturn void cannot_load(const char *path, const char *why)
{
    fprintf(stderr, "shapecheck: error: cannot load the front end %s: %s\n",
            path, why);
    exit(2);
}

static void load(void)
{
    char path[4096];
    if (!install_path(SHAPECHECK_BIN_TO_FRONTEND, SHAPECHECK_BUILD_FRONTEND,
                      SHAPECHECK_INSTALL_FRONTEND, path, sizeof path))
        cannot_load(SHAPECHECK_INSTALL_FRONTEND, "its path is too long");
    void *handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!handle)
        cannot_load(path, dlerror());
    const frontend_module *m = dlsym(handle, FRONTEND_MODULE_SYMBOL);
    if (!m)
        cannot_load(path, dlerror());
    if (m->version != FRONTEND_MODULE_VERSION)
        cannot_load(path, "it is of another version of shapecheck");
    module = m;
}

void frontend_load(void)
{
    pthread_once(&load_once, load);
}

frontend *frontend_new(const char *include_dir,
                       const char *const *force_includes, int n_force_includes)
{
    frontend_load();
    return module->create(include_dir, force_includes, n_force_includes);
}

void frontend_free(frontend *fe)
{
    if (fe)
        module->destroy(fe);
}

void frontend_set_root(frontend *fe, const char *dir)
{
    module->set_root(fe, dir);
}

ir_tu *frontend_parse(frontend *fe, const fe_command *cmd,
                      const char ***dropped, int *n_dropped, char *err,
                      size_t err_size)
{
    return module->parse(fe, cmd, dropped, n_dropped, err, err_size);
}

/* A TU's memory is its arena, whoever made it (a parse, a facts file). */
void ir_tu_free(ir_tu *tu)
{
    if (tu)
        arena_free(tu->arena);
}
