/*
 * cache.h - results kept between runs (--cache-dir DIR), so that a run
 * after one file changed parses only that file, as ccache keeps compiled
 * objects.
 *
 * One entry per translation unit, a JSON file named by a hash of the
 * command (file, directory, arguments, models, the checker binary itself).
 * It holds what the whole-program analysis needs from the TU without
 * parsing it again: its summary (summary_io.h) and its findings; and what
 * they depended on: every file the TU read (size, time and content hash:
 * the preprocessed content cannot change while they do not), and the
 * signature of every function it used from elsewhere.  An entry is used
 * only while all of that is unchanged (driver.c checks the signatures
 * after the analysis and parses again what went stale).
 */
#ifndef SHAPECHECK_CACHE_H
#define SHAPECHECK_CACHE_H

#include <stdbool.h>
#include <stddef.h>

#include "analysis.h"
#include "diag.h"
#include "frontend.h"

typedef struct cache cache;

/* Opens (creating it if need be) the cache folder DIR.  EXTRA_KEY is
   hashed into every entry's name (the include folder, the models...).
   NULL with a message when DIR cannot be used. */
cache *cache_open(const char *dir, const char *extra_key, char *err,
                  size_t err_size);
void cache_close(cache *c);

typedef struct cache_entry {
    char *summary;         /* summary_text of the TU */
    diag_list findings;    /* its findings, compiler errors included */
    struct cJSON *imports; /* summary_imports_json: what it used */
} cache_entry;

/* The entry for CMD when every file it read is unchanged, else NULL (a
   missing, corrupt or stale entry is a miss, never an error). */
cache_entry *cache_lookup(cache *c, const fe_command *cmd);
void cache_entry_free(cache_entry *e);

/* Whether every import of E still has the signature it had, in AN. */
bool cache_imports_current(const cache_entry *e, analysis *an);

/* Stores the result of CMD, parsed as TU, analysed in AN: its summary,
   FINDINGS and the signatures it used.  Failures are silent: a cache that
   cannot be written costs speed, never results. */
void cache_store(cache *c, const fe_command *cmd, const ir_tu *tu, analysis *an,
                 const diag_list *findings);

#endif /* SHAPECHECK_CACHE_H */
