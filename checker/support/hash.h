/*
 * hash.h - a 64-bit content hash (FNV-1a) for checksums and "has this file
 * changed" questions: facts files' checksums, the project index's hashes
 * of the files a unit read.  Not for adversaries: a collision is
 * possible, just unlikely.
 */
#ifndef SHAPECHECK_HASH_H
#define SHAPECHECK_HASH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SC_HASH_SEED 14695981039346656037ull

/* The hash of DATA[0, SIZE), continuing from H (SC_HASH_SEED to start). */
uint64_t sc_hash(uint64_t h, const void *data, size_t size);

/* The hash of S and its terminating NUL (NULL hashes as ""), so that
   consecutive strings cannot run into each other. */
uint64_t sc_hash_str(uint64_t h, const char *s);

/* The hash of the contents of PATH into *OUT; false when it cannot be
   read. */
bool sc_hash_file(const char *path, uint64_t *out);

#endif /* SHAPECHECK_HASH_H */
