/*
 * ir_io.h - a translation unit's facts (ir.h) on disk: the facts files of
 * "shapecheck --emit-facts" (the link step reads them back) and the
 * entries of the project index (index.h).  docs/facts.md describes the
 * format: a versioned header with a checksum, then the TU's tables.
 *
 * A TU read back is indistinguishable from the one the front end parsed,
 * for the analysis: the same declarations, functions and nodes, the same
 * sharing between them (a local's initialiser is also a kid of its
 * declaration statement), file names interned again (one pointer per
 * name), everything in the TU's own arena, freed with ir_tu_free.
 *
 * File names: the front end shows names under its root relative to it
 * (frontend_set_root).  They are written as absolute paths and made
 * relative again to the reader's root, so a facts file names the same
 * files wherever it is read.
 */
#ifndef SHAPECHECK_IR_IO_H
#define SHAPECHECK_IR_IO_H

#include <stddef.h>

#include "ir.h"

/* The format this checker writes and reads (docs/facts.md). */
#define IR_FACTS_VERSION 3

/* The bytes a facts file starts with. */
#define IR_FACTS_MAGIC "SCFACTS\x1a"
#define IR_FACTS_MAGIC_SIZE 8

/* A facts file's header: magic, version, flags, payload size and its
   FNV-1a hash. */
#define IR_FACTS_HEADER_SIZE 32

/* TU's facts as bytes: *OUT is malloc'd, *OUT_SIZE its size.  ROOT is the
   folder the TU's relative file names are relative to (NULL: written as
   they are).  Returns 0, or -1 with a message in ERR (out of memory, or a
   TU the format cannot hold). */
int ir_tu_encode(const ir_tu *tu, const char *root, unsigned char **out,
                 size_t *out_size, char *err, size_t err_size);

/* Reads the SIZE bytes of DATA (ir_tu_encode's): a new TU in its own
   arena.  File names under ROOT become relative to it.  NAME names the
   data in messages.  NULL, with "NAME: what is wrong" in ERR, when DATA is
   not facts, of another version, or damaged; never a crash, whatever the
   bytes. */
ir_tu *ir_tu_decode(const unsigned char *data, size_t size, const char *root,
                    const char *name, char *err, size_t err_size);

/* ir_tu_encode into the file PATH, written beside it and renamed into
   place (another process reading PATH sees the old file or the new one,
   never half of one). */
int ir_tu_write_file(const ir_tu *tu, const char *root, const char *path,
                     char *err, size_t err_size);

/* ir_tu_decode of the file PATH ("PATH: cannot read it: ..." when it
   cannot be read). */
ir_tu *ir_tu_read_file(const char *path, const char *root, char *err,
                       size_t err_size);

#endif /* SHAPECHECK_IR_IO_H */
