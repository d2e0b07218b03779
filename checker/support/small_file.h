/*
 * small_file.h - files the checker writes for later runs (facts files,
 * index entries and their summaries, cache entries) and reads back.
 *
 * Writes go to a temporary file beside PATH, renamed into place, so that
 * a reader (another process sharing an index or a cache) never sees half
 * a file.  Reads take regular files only, up to a size: a link to
 * /dev/zero, a named pipe or a folder where an entry should be cannot
 * block the run or make it read forever.
 */
#ifndef SHAPECHECK_SMALL_FILE_H
#define SHAPECHECK_SMALL_FILE_H

#include <stddef.h>

/* DATA[0, N) as the file PATH, atomically.  0, or -1 with a message
   naming PATH in ERR. */
int small_file_write(const char *path, const void *data, size_t n, char *err,
                     size_t err_size);

/* PATH's contents, NUL-terminated, malloc'd, when it is a regular file (not
   a symbolic link) of at most MAX bytes; else NULL. */
char *small_file_read(const char *path, size_t max);

#endif /* SHAPECHECK_SMALL_FILE_H */
