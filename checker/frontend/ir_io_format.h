/*
 * ir_io_format.h - the facts format's layout, shared by its writer
 * (ir_io_write.c) and its reader (ir_io_read.c); docs/facts.md is its
 * prose.  Private to those two files.
 *
 * Header (IR_FACTS_HEADER_SIZE bytes, integers little-endian):
 *   0  magic IR_FACTS_MAGIC        16  u64 payload size
 *   8  u32 version                 24  u64 FNV-1a hash of the payload
 *   12 u32 flags (0)
 *
 * Payload: unsigned LEB128 integers ("varints"; signed ones zig-zagged),
 * in this order:
 *   counts   strings files macros records decls funcs nodes diags inputs
 *   strings  each: length, bytes (no NUL)
 *   files    each: a string (an absolute path, or a name like "<built-in>")
 *   unit     main file, has_errors
 *   macros   each: name, body, loc
 *   records  each: name, flags, loc, fields (decl refs)
 *   decls    each: see write_decl
 *   funcs    each: see write_func
 *   nodes    each, kids before parents: see write_node
 *   lists    the TU's funcs, globals, enums, records (refs)
 *   diags    each: severity, loc, text
 *   inputs   each: a file
 * A reference to an object of a table is its index + 1; 0 is NULL.
 */
#ifndef SHAPECHECK_IR_IO_FORMAT_H
#define SHAPECHECK_IR_IO_FORMAT_H

#include <stdint.h>

#include "ir_io.h"

/* The tables, in the order of the counts. */
enum {
    T_STRINGS,
    T_FILES,
    T_MACROS,
    T_RECORDS,
    T_DECLS,
    T_FUNCS,
    T_NODES,
    T_DIAGS,
    T_INPUTS,
    T_COUNT
};

/* Flag bits of a type, a declaration, a function, a node. */
enum {
    TYPE_INT_SIGNED = 1,
    TYPE_CONST = 2,
    TYPE_POINTEE_CONST = 4,
    TYPE_HAS_DIMS = 8, /* array_dims is not NULL */
};
enum {
    DECL_HAS_VALUE = 1,
    DECL_STATIC = 2,
    DECL_ADDRESS_TAKEN = 4,
};
enum {
    FUNC_DEFINITION = 1,
    FUNC_STATIC = 2,
    FUNC_VARIADIC = 4,
    FUNC_PROTOTYPE = 8,
    FUNC_SYSTEM = 16,
    FUNC_BODY_DEFERRED = 32, /* its calls follow its locals */
    FUNC_ADDRESS_TAKEN = 64,
};

/* Limits the front end keeps (frontend_expr.c, docs/limits.md): what a
   reader accepts.  Depth is counted in kid links from a tree's root. */
#define IR_IO_NODE_TEXT_MAX 80
#define IR_IO_ANNOTATION_TEXT_MAX 65536
#define IR_IO_MAX_DEPTH 4096

static inline void ir_io_put_le(unsigned char *p, uint64_t v, int bytes)
{
    for (int i = 0; i < bytes; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

static inline uint64_t ir_io_get_le(const unsigned char *p, int bytes)
{
    uint64_t v = 0;
    for (int i = 0; i < bytes; i++)
        v |= (uint64_t)p[i] << (8 * i);
    return v;
}

#endif /* SHAPECHECK_IR_IO_FORMAT_H */
