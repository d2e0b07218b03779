/*
 * test_files.h - what the tests of the machine-readable outputs, the
 * suppressions, the baseline and the configuration share: a scratch folder
 * per test with files written into it, removed afterwards.
 *
 * Header-only (static functions): each test_*.c is one executable.  Needs
 * _XOPEN_SOURCE 700 (mkdtemp, nftw) before any include.
 */
#ifndef SHAPECHECK_TEST_FILES_H
#define SHAPECHECK_TEST_FILES_H

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* A new empty folder under $TMPDIR or /tmp; malloc'd, absolute and free of
   symbolic links, so that tests can compare it with what the code
   resolves. */
static inline char *test_make_dir(void)
{
    const char *tmp = getenv("TMPDIR");
    char pattern[4096];
    snprintf(pattern, sizeof pattern, "%s/shapecheck-test-XXXXXX",
             tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(pattern))
        return NULL;
    return realpath(pattern, NULL);
}

/* DIR/NAME, malloc'd. */
static inline char *test_path(const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = malloc(n);
    if (p)
        snprintf(p, n, "%s/%s", dir, name);
    return p;
}

/* Writes TEXT to DIR/NAME, creating the folders in NAME; returns the
   path, malloc'd, or NULL on failure. */
static inline char *test_write(const char *dir, const char *name,
                               const char *text)
{
    char *path = test_path(dir, name);
    if (!path)
        return NULL;
    for (char *s = strchr(path + strlen(dir) + 1, '/'); s;
         s = strchr(s + 1, '/')) {
        *s = '\0';
        mkdir(path, 0777);
        *s = '/';
    }
    FILE *f = fopen(path, "wb");
    if (!f || fputs(text, f) == EOF || fclose(f) != 0) {
        free(path);
        return NULL;
    }
    return path;
}

/* PATH's contents, malloc'd; NULL if it cannot be read. */
static inline char *test_read(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = NULL;
    size_t cap = 0, n = 0, got;
    do {
        if (n + 4096 + 1 > cap) {
            cap = (n + 4096 + 1) * 2;
            char *bigger = realloc(buf, cap);
            if (!bigger) {
                free(buf);
                fclose(f);
                return NULL;
            }
            buf = bigger;
        }
        got = fread(buf + n, 1, 4096, f);
        n += got;
    } while (got > 0);
    fclose(f);
    buf[n] = '\0';
    return buf;
}

static inline int test_remove_one(const char *path, const struct stat *st,
                                  int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

/* Removes DIR and everything in it, and frees the string. */
static inline void test_remove_dir(char *dir)
{
    if (dir)
        nftw(dir, test_remove_one, 16, FTW_DEPTH | FTW_PHYS);
    free(dir);
}

#endif /* SHAPECHECK_TEST_FILES_H */
