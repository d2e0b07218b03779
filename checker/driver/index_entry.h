/*
 * index_entry.h - one entry of the project index on disk (index.h,
 * docs/facts.md): what the unit's facts depend on, then the facts.
 *
 *   0   magic "SCINDEX\x1a"          16  u64 size of the record
 *   8   u32 version                   24  u64 FNV-1a hash of the record
 *   12  u32 0
 *   32  the record: the unit's source, the command's fingerprint, every
 *       file the unit read (path, size, content hash), the functions it
 *       defines and those it declares without defining (for
 *       index_dependents), the facts' offset and size
 *   ... the facts, a facts file (ir_io.h) as --emit-facts writes it
 *
 * The record is read without the facts, so that deciding whether an entry
 * is fresh costs one small read.  Both parts carry their own checksum; an
 * entry that fails either is a miss, never an error.
 */
#ifndef SHAPECHECK_INDEX_ENTRY_H
#define SHAPECHECK_INDEX_ENTRY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "ir.h"

#define INDEX_ENTRY_VERSION 2

typedef struct index_input {
    const char *path; /* absolute */
    uint64_t size;
    uint64_t hash; /* sc_hash of the contents */
} index_input;

typedef struct index_record {
    const char *source;   /* the unit's source file, absolute */
    uint64_t fingerprint; /* of the command, settings and checker */
    index_input *inputs;  /* every file the unit read, itself included */
    uint32_t n_inputs;
    const char **defines; /* keys of the external functions it defines */
    uint32_t n_defines;
    const char **uses; /* keys it declares or calls but does not define */
    uint32_t n_uses;
    /* The facts leave bodies unconverted (ir_func.body_deferred): a run
       that converts them writes its facts over these. */
    bool bodies_deferred;
    uint64_t hash; /* of the record as read: names the facts it goes with */
} index_record;

/* The hash RECORD will have in its entry (index_record.hash once read);
   0 when out of memory. */
uint64_t index_entry_record_hash(const index_record *record);

/* Writes RECORD and the facts FACTS[0, FACTS_SIZE) to PATH (beside it,
   then renamed into place).  0, or -1 with a message. */
int index_entry_write(const char *path, const index_record *record,
                      const unsigned char *facts, size_t facts_size, char *err,
                      size_t err_size);

/* The record of the entry PATH, in A.  False when there is no entry or
   it is not one this checker can read (another version, damaged): a
   miss, with the reason in ERR. */
bool index_entry_read_record(const char *path, arena *a, index_record *record,
                             char *err, size_t err_size);

/* The facts of the entry PATH (ir_tu_decode, with ROOT); NULL with a
   message naming PATH. */
ir_tu *index_entry_read_facts(const char *path, const char *root, char *err,
                              size_t err_size);

/* ---- The summary beside an entry (ENTRY.summary) ------------------------

   What the analysis of the whole program learnt of the unit's functions
   (summary_io.h), with the signatures it took from other units
   (summary_imports_json), the functions whose bodies it did not walk
   (summary_unwalked_json) and the hash of the record of the entry it
   belongs to.  A single-unit run reads it instead of the facts: the
   summary is what analysing those facts again would give while the entry
   is the same, every import has the signature it had, and no unwalked
   function is needed (index.h).

     {"shapecheck-index-summary": 2, "record": "<16 hex digits>",
      "summary-hash": "<16 hex digits>", "summary": "<summary_text>",
      "imports": [{"key": ..., "text": ...}, ...], "unwalked": [KEY, ...]}
*/
struct cJSON;

typedef struct index_summary {
    char *text;             /* summary_text */
    struct cJSON *imports;  /* summary_imports_json */
    struct cJSON *unwalked; /* summary_unwalked_json */
} index_summary;

/* Frees what S holds (not S). */
void index_summary_free(index_summary *s);

/* Writes S as the summary file PATH (beside it, then renamed).  0, or -1
   with a message. */
int index_summary_write(const char *path, uint64_t record_hash,
                        const index_summary *s, char *err, size_t err_size);

/* The summary file PATH when it belongs to the record RECORD_HASH and is
   intact, into S (index_summary_free it).  False for a missing, damaged
   or other entry's file. */
bool index_summary_read(const char *path, uint64_t record_hash,
                        index_summary *s);

#endif /* SHAPECHECK_INDEX_ENTRY_H */
