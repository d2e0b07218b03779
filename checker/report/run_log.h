/*
 * run_log.h - what a run says on standard error, kept as well as shown:
 * the SARIF log lists it as the invocation's notifications, so that a
 * run that could not do its whole job says why where the report is read.
 */
#ifndef SHAPECHECK_RUN_LOG_H
#define SHAPECHECK_RUN_LOG_H

#include <stddef.h>
#include <stdio.h>

typedef struct run_log run_log;

/* A log whose stream (run_log_stream) writes through to DEST, unbuffered,
   and keeps every complete line.  NULL when out of memory. */
run_log *run_log_new(FILE *dest);
FILE *run_log_stream(run_log *l);

/* The lines kept so far (without their newline). */
const char *const *run_log_lines(const run_log *l, size_t *n);

/* Closes the stream and frees the lines. */
void run_log_free(run_log *l);

#endif /* SHAPECHECK_RUN_LOG_H */
