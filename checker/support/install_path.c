/*
 * install_path.c - see install_path.h.
 */
#define _XOPEN_SOURCE 700 /* readlink */

#include "install_path.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* FOLDER/REL into OUT, with REL's leading "../" taken off FOLDER. */
static bool join_folder(char *out, size_t size, const char *folder,
                        const char *rel)
{
    size_t n = strlen(folder);
    if (n >= size)
        return false;
    memcpy(out, folder, n + 1);
    while (strncmp(rel, "../", 3) == 0) {
        char *slash = strrchr(out, '/');
        if (!slash || slash == out)
            return false;
        *slash = '\0';
        rel += 3;
    }
    size_t used = strlen(out);
    int len = snprintf(out + used, size - used, "/%s", rel);
    return len > 0 && (size_t)len < size - used;
}

/* The folder of the running program into OUT ("" if unknown). */
static void program_folder(char *out, size_t size)
{
    ssize_t n = readlink("/proc/self/exe", out, size - 1);
    out[n > 0 ? n : 0] = '\0';
    char *slash = strrchr(out, '/');
    if (slash && slash != out)
        *slash = '\0';
    else
        out[0] = '\0';
}

bool install_path(const char *from_bin, const char *build_path,
                  const char *install_path, char *out, size_t size)
{
    char folder[4096];
    program_folder(folder, sizeof folder);
    if (folder[0] && join_folder(out, size, folder, from_bin) &&
        access(out, R_OK) == 0)
        return true;
    const char *path =
        access(build_path, R_OK) == 0 ? build_path : install_path;
    int len = snprintf(out, size, "%s", path);
    return len >= 0 && (size_t)len < size;
}
