/*
 * repo_path.c - absolute, repository-relative and URI forms of file names
 * (see repo_path.h).
 */
#define _XOPEN_SOURCE 700 /* realpath */

#include "repo_path.h"

#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The current folder in A; "/" if it cannot be known. */
static char *current_folder(arena *a)
{
    char buf[PATH_MAX];
    return arena_strdup(a, getcwd(buf, sizeof buf) ? buf : "/");
}

/* Absolute PATH with "." and ".." segments and repeated slashes removed,
   by its spelling only (".." above "/" stays at "/"). */
static char *normalise(arena *a, const char *path)
{
    const char *full = path[0] == '/'
                           ? path
                           : arena_printf(a, "%s/%s", current_folder(a), path);
    size_t len = strlen(full);
    char *out = arena_alloc(a, len + 2);
    size_t n = 0;
    for (const char *p = full; *p;) {
        while (*p == '/')
            p++;
        size_t seg = strcspn(p, "/");
        if (seg == 0 || (seg == 1 && p[0] == '.')) {
            /* nothing to add */
        } else if (seg == 2 && p[0] == '.' && p[1] == '.') {
            while (n > 0 && out[--n] != '/')
                ;
        } else {
            out[n++] = '/';
            memcpy(out + n, p, seg);
            n += seg;
        }
        p += seg;
    }
    if (n == 0)
        out[n++] = '/';
    out[n] = '\0';
    return out;
}

char *repo_path_absolute(arena *a, const char *path)
{
    char *real = realpath(path, NULL);
    if (!real)
        return normalise(a, path);
    char *copy = arena_strdup(a, real);
    free(real);
    return copy;
}

char *repo_path_parent(arena *a, const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash || slash == path)
        return arena_strdup(a, "/");
    return arena_strndup(a, path, (size_t)(slash - path));
}

char *repo_path_top_level(arena *a, const char *folder)
{
    for (char *cur = repo_path_absolute(a, folder);;
         cur = repo_path_parent(a, cur)) {
        bool root = strcmp(cur, "/") == 0;
        struct stat st;
        if (stat(arena_printf(a, "%s/.git", root ? "" : cur), &st) == 0)
            return cur;
        if (root)
            return NULL;
    }
}

/* PATH after ROOT and a '/', or NULL when PATH is not strictly inside. */
static const char *strip_folder(const char *path, const char *root)
{
    size_t n = strlen(root);
    if (n == 1 && root[0] == '/')
        return path[1] ? path + 1 : NULL;
    if (strncmp(path, root, n) != 0 || path[n] != '/' || !path[n + 1])
        return NULL;
    return path + n + 1;
}

char *repo_path_relative(arena *a, const char *path, const char *root)
{
    const char *rel =
        strip_folder(repo_path_absolute(a, path), repo_path_absolute(a, root));
    /* A link on one side only (the root given through a symbolic link, the
       file not there any more): compare the spellings. */
    if (!rel)
        rel = strip_folder(normalise(a, path), normalise(a, root));
    return rel ? arena_strdup(a, rel) : NULL;
}

static bool is_unreserved(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
           c == '~';
}

char *repo_path_uri_encode(arena *a, const char *path)
{
    static const char hex[] = "0123456789ABCDEF";
    char *out = arena_alloc(a, strlen(path) * 3 + 1), *q = out;
    for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
        if (is_unreserved(*p) || *p == '/') {
            *q++ = (char)*p;
        } else {
            *q++ = '%';
            *q++ = hex[*p >> 4];
            *q++ = hex[*p & 15];
        }
    }
    *q = '\0';
    return out;
}

char *repo_path_file_uri(arena *a, const char *path, int folder)
{
    const char *abs = repo_path_absolute(a, path);
    bool slash = folder && abs[strlen(abs) - 1] != '/';
    return arena_printf(a, "file://%s%s", repo_path_uri_encode(a, abs),
                        slash ? "/" : "");
}
