/*
 * small_file.c - writing files atomically, reading them back with a size
 * cap (small_file.h).
 */
#define _GNU_SOURCE /* O_NOFOLLOW, O_CLOEXEC; getpid */

#include "small_file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int small_file_write(const char *path, const void *data, size_t n, char *err,
                     size_t err_size)
{
    size_t size = strlen(path) + 32;
    char *tmp = malloc(size);
    if (!tmp) {
        snprintf(err, err_size, "%s: out of memory", path);
        return -1;
    }
    snprintf(tmp, size, "%s.%ld.tmp", path, (long)getpid());
    FILE *f = fopen(tmp, "wb");
    bool ok = f && fwrite(data, 1, n, f) == n;
    if (f && fclose(f) != 0)
        ok = false;
    ok = ok && rename(tmp, path) == 0;
    if (!ok) {
        snprintf(err, err_size, "%s: cannot write it: %s", path,
                 strerror(errno));
        remove(tmp);
    }
    free(tmp);
    return ok ? 0 : -1;
}

char *small_file_read(const char *path, size_t max)
{
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return NULL;
    struct stat st;
    char *text = NULL;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && (size_t)st.st_size <= max)
        text = malloc((size_t)st.st_size + 1);
    size_t n = 0;
    while (text && n < (size_t)st.st_size) {
        ssize_t k = read(fd, text + n, (size_t)st.st_size - n);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            break;
        n += (size_t)k;
    }
    close(fd);
    if (text && n != (size_t)st.st_size) {
        free(text);
        return NULL; /* it shrank while read: being replaced */
    }
    if (text)
        text[n] = '\0';
    return text;
}
