/*
 * output_file.h - where the report goes: standard output, or the file of
 * -o, written so that nothing the user had is lost (issue 12 item 4).
 *
 * The -o file is written under a new, unique name beside it (two runs
 * writing the same report never share a temporary file) and renamed into
 * place only when complete, so a run that fails leaves the old report as
 * it was.  A read-only file, a symbolic link (whose target would be
 * replaced behind the user's back) and an input of the run (the same
 * device and inode: "-o train.c train.c") are refused.  Every write
 * failure says why (strerror).
 */
#ifndef SHAPECHECK_OUTPUT_FILE_H
#define SHAPECHECK_OUTPUT_FILE_H

#include <stddef.h>

/* Whether PATH may receive the report: not a directory, a symbolic link
   or a read-only file, and not the same file as any of the N_INPUTS
   INPUTS (files that do not exist are skipped).  Returns 0, or -1 with
   "PATH: WHY" in ERR. */
int output_file_check(const char *path, const char *const *inputs,
                      size_t n_inputs, char *err, size_t err_size);

/* Writes the N bytes of DATA to PATH as described above (PATH's
   permissions are kept; a new file gets 0666 less the umask), or to
   standard output when PATH is NULL.  Returns 0, or -1 with "PATH: cannot
   write the report: REASON" in ERR, nothing left behind. */
int output_file_write(const char *path, const char *data, size_t n, char *err,
                      size_t err_size);

#endif /* SHAPECHECK_OUTPUT_FILE_H */
