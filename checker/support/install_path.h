/*
 * install_path.h - where the checker's installed files are: relative to
 * the folder of the running program, so that an installation moved after
 * it was configured (cmake --install --prefix DIR) still finds them; else
 * where the build tree or the configured prefix put them.
 */
#ifndef SHAPECHECK_INSTALL_PATH_H
#define SHAPECHECK_INSTALL_PATH_H

#include <stdbool.h>
#include <stddef.h>

/* The first of these that is readable, into OUT: the running program's
   folder joined with FROM_BIN ("../include/shapecheck.h"), then
   BUILD_PATH, then INSTALL_PATH (returned even when absent, so that a
   message can name it).  False when OUT is too small. */
bool install_path(const char *from_bin, const char *build_path,
                  const char *install_path, char *out, size_t size);

#endif /* SHAPECHECK_INSTALL_PATH_H */
