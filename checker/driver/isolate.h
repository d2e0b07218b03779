/*
 * isolate.h - parsing in worker processes, so that a crash inside libclang
 * costs one translation unit, not the run (issue 12 item 7: clang's parser
 * overflows its stack on about 30,000 nested unary operators, whatever
 * stack it is given, and libclang's crash recovery cannot catch a stack
 * overflow on our threads).
 *
 * How it works:
 *   - isolate_start(), called by main() while the program is still one
 *     thread, maps a large region of shared memory and forks a small
 *     "zygote" process.  Workers are forked from the zygote, never from the
 *     checker itself, whose other threads could hold locks a child would
 *     inherit taken (malloc's are handled by the C library, libclang's and
 *     the checker's are not).
 *   - A worker receives compile commands on a socket and parses each with
 *     a frontend of its own.  Every arena it creates takes its memory from
 *     the shared region (arena_set_source), which is at the same address in
 *     every process: the TU a worker returns is used by the checker where
 *     the worker left it, and freed by it, with nothing copied or encoded.
 *   - A worker that dies (a signal, an abort) is reported as that unit's
 *     error, with the signal's name; the next unit gets a new worker.
 *   - A worker's standard output is the checker's standard error, and its
 *     standard input is /dev/null: whatever libclang prints never reaches
 *     the report or the language server's protocol stream.
 * When the isolation cannot be had (no shared memory, no fork; or
 * SHAPECHECK_PARSE_IN_PROCESS=1 in the environment, for debuggers) the
 * driver parses in its own threads, as before.
 */
#ifndef SHAPECHECK_ISOLATE_H
#define SHAPECHECK_ISOLATE_H

#include <stdbool.h>
#include <stddef.h>

#include "frontend.h"

/* Sets up the shared memory and the zygote.  Call once, before any thread
   is started.  Returns whether workers can be had. */
bool isolate_start(void);

/* Whether isolate_start succeeded (and the zygote still answers). */
bool isolate_available(void);

typedef struct isolate_worker isolate_worker;

/* A new worker process whose frontend has INCLUDE_DIR and FORCE_INCLUDES
   (frontend_new) and shows file names relative to ROOT
   (frontend_set_root).  NULL when none can be had.  Thread-safe. */
isolate_worker *isolate_spawn(const char *include_dir,
                              const char *const *force_includes,
                              int n_force_includes, const char *root);

/* Parses CMD in W, as frontend_parse does (same results and messages).
   Returns false when W died while parsing it: ERR then says so ("FILE:
   libclang crashed while parsing it (Segmentation fault)") and W must be
   closed.  The TU lives in the shared memory; ir_tu_free frees it. */
bool isolate_parse(isolate_worker *w, const fe_command *cmd, ir_tu **tu,
                   const char ***dropped, int *n_dropped, char *err,
                   size_t err_size);

/* Ends W (it exits when it reads the end of its socket). */
void isolate_close(isolate_worker *w);

/* Makes the shared memory reusable from its start when no TU of a worker
   is alive (each freed TU already gave its pages back; this gives back
   the addresses, so that a language server running for days never runs
   out).  Cheap; call after a run has freed its TUs. */
void isolate_recycle(void);

#endif /* SHAPECHECK_ISOLATE_H */
