/*
 * output_file.c - writing the report (see output_file.h).
 */
#define _POSIX_C_SOURCE 200809L /* mkstemp, fchmod, lstat */

#include "output_file.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int output_file_check(const char *path, const char *const *inputs,
                      size_t n_inputs, char *err, size_t err_size)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return 0; /* a new file: the folder decides, when it is written */
    const char *why = NULL;
    if (S_ISLNK(st.st_mode))
        why = "is a symbolic link: not replaced (name its target to write "
              "there)";
    else if (S_ISDIR(st.st_mode))
        why = "is a directory";
    else if ((st.st_mode & 0222) == 0 || access(path, W_OK) != 0)
        why = "is read-only: not replaced"; /* even for root */
    for (size_t i = 0; !why && i < n_inputs; i++) {
        struct stat in;
        if (inputs[i] && stat(inputs[i], &in) == 0 && in.st_dev == st.st_dev &&
            in.st_ino == st.st_ino) {
            snprintf(err, err_size,
                     "%s: is an input of the run (%s): the report would "
                     "replace it",
                     path, inputs[i]);
            return -1;
        }
    }
    if (why)
        snprintf(err, err_size, "%s: %s", path, why);
    return why ? -1 : 0;
}

/* Writes the N bytes of DATA to FD; 0, or an errno value. */
static int write_all(int fd, const char *data, size_t n)
{
    while (n > 0) {
        ssize_t k = write(fd, data, n);
        if (k < 0 && errno == EINTR)
            continue;
        if (k < 0)
            return errno;
        if (k == 0)
            return EIO;
        data += k, n -= (size_t)k;
    }
    return 0;
}

/* The mode a replacement of PATH gets: PATH's own, or 0666 less the
   umask for a new file. */
static mode_t new_mode(const char *path)
{
    struct stat st;
    if (stat(path, &st) == 0)
        return st.st_mode & 07777;
    mode_t mask = umask(0);
    umask(mask);
    return 0666 & ~mask;
}

static int write_stdout(const char *data, size_t n, char *err, size_t err_size)
{
    int e = fflush(stdout) == 0 ? write_all(STDOUT_FILENO, data, n) : errno;
    if (e == 0)
        return 0;
    snprintf(err, err_size, "cannot write the report to standard output: %s",
             strerror(e));
    return -1;
}

int output_file_write(const char *path, const char *data, size_t n, char *err,
                      size_t err_size)
{
    if (!path)
        return write_stdout(data, n, err, err_size);
    if (output_file_check(path, NULL, 0, err, err_size) != 0)
        return -1; /* it may have changed since the run began */
    size_t len = strlen(path) + 16;
    char *tmp = malloc(len);
    if (!tmp) {
        snprintf(err, err_size, "%s: cannot write the report: %s", path,
                 strerror(ENOMEM));
        return -1;
    }
    snprintf(tmp, len, "%s.XXXXXX", path);
    int fd = mkstemp(tmp);
    int e = fd < 0 ? errno : 0;
    if (fd >= 0) {
        if (fchmod(fd, new_mode(path)) != 0)
            e = errno;
        if (!e)
            e = write_all(fd, data, n);
        if (close(fd) != 0 && !e)
            e = errno;
        if (!e && rename(tmp, path) != 0)
            e = errno;
        if (e)
            unlink(tmp);
    }
    free(tmp);
    if (e)
        snprintf(err, err_size, "%s: cannot write the report: %s", path,
                 strerror(e));
    return e ? -1 : 0;
}
