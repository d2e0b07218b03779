/*
 * run_log.c - a tee of standard error that keeps lines (see run_log.h),
 * made with the C library's custom streams (fopencookie), so that every
 * fprintf of the driver reaches both places as one call.
 */
#define _GNU_SOURCE /* fopencookie */

#include "run_log.h"

#include <stdlib.h>
#include <string.h>

struct run_log {
    FILE *dest, *stream;
    char *partial; /* the line being written, not yet ended */
    size_t n_partial;
    char **lines;
    size_t n_lines, cap_lines;
};

static void keep_line(run_log *l)
{
    if (l->n_lines == l->cap_lines) {
        size_t cap = l->cap_lines ? 2 * l->cap_lines : 16;
        char **grown = realloc(l->lines, cap * sizeof *grown);
        if (!grown)
            return;
        l->lines = grown;
        l->cap_lines = cap;
    }
    char *line = malloc(l->n_partial + 1);
    if (!line)
        return;
    memcpy(line, l->partial, l->n_partial);
    line[l->n_partial] = '\0';
    l->lines[l->n_lines++] = line;
}

/* Appends N bytes of BUF to the line being written. */
static void add_text(run_log *l, const char *buf, size_t n)
{
    char *grown = realloc(l->partial, l->n_partial + n + 1);
    if (!grown)
        return;
    memcpy(grown + l->n_partial, buf, n);
    l->partial = grown;
    l->n_partial += n;
}

static ssize_t log_write(void *cookie, const char *buf, size_t size)
{
    run_log *l = cookie;
    fwrite(buf, 1, size, l->dest);
    fflush(l->dest);
    for (size_t i = 0; i < size;) {
        const char *nl = memchr(buf + i, '\n', size - i);
        size_t n = nl ? (size_t)(nl - (buf + i)) : size - i;
        add_text(l, buf + i, n);
        i += n;
        if (nl) {
            keep_line(l);
            l->n_partial = 0;
            i++;
        }
    }
    return (ssize_t)size;
}

run_log *run_log_new(FILE *dest)
{
    run_log *l = calloc(1, sizeof *l);
    if (!l)
        return NULL;
    l->dest = dest;
    cookie_io_functions_t io = {.write = log_write};
    l->stream = fopencookie(l, "w", io);
    if (!l->stream) {
        free(l);
        return NULL;
    }
    setvbuf(l->stream, NULL, _IONBF, 0);
    return l;
}

FILE *run_log_stream(run_log *l)
{
    return l->stream;
}

const char *const *run_log_lines(const run_log *l, size_t *n)
{
    *n = l->n_lines;
    return (const char *const *)l->lines;
}

void run_log_free(run_log *l)
{
    if (!l)
        return;
    fclose(l->stream);
    for (size_t i = 0; i < l->n_lines; i++)
        free(l->lines[i]);
    free(l->lines);
    free(l->partial);
    free(l);
}
