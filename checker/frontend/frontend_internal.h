/*
 * frontend_internal.h - shared between frontend.c (the parse driver,
 * declarations, types, macros) and frontend_expr.c (statements and
 * expressions).  Private to the front end: with frontend*.c, the only place
 * that sees libclang.
 *
 * One fe_state lives for one frontend_parse() call.  Facts go to the TU's
 * arena (st->a); bookkeeping that dies with the parse (maps, stacks, vectors)
 * is malloc'd and freed by fe_state_free().
 */
#ifndef SHAPECHECK_FRONTEND_INTERNAL_H
#define SHAPECHECK_FRONTEND_INTERNAL_H

#include <clang-c/Index.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "frontend.h"

/* Statement and expression nesting beyond this becomes an IR_OTHER leaf
   and an "expression nested too deeply" error, so that pathological input
   cannot exhaust the stack of a worker thread. */
#define FE_MAX_DEPTH 2000

/* ---- Containers ------------------------------------------------------ */

/* A growable array of pointers (malloc'd). */
typedef struct fe_vec {
    void **v;
    size_t n, cap;
} fe_vec;

void fe_vec_push(fe_vec *vec, void *p);
void fe_vec_free(fe_vec *vec);
/* Copies the elements from index FROM on into a new array in A and sets *N
   to their number; NULL when there are none. */
void *fe_vec_to_arena(arena *a, const fe_vec *vec, size_t from, uint32_t *n);

/* Cursors whose children are being converted: a stack, so that nested
   conversions push above their parent's children and pop back.  Refer to
   entries by index: pushing may move the array. */
typedef struct fe_cursors {
    CXCursor *v;
    size_t n, cap;
} fe_cursors;

/* An open-addressing hash map.  Keys are cursors (compared with
   clang_equalCursors), NUL-terminated strings or plain pointers; one map
   holds one kind.  Values are never NULL. */
typedef enum fe_map_kind {
    FE_MAP_CURSOR,
    FE_MAP_STRING,
    FE_MAP_POINTER
} fe_map_kind;

typedef struct fe_map_slot {
    CXCursor cursor;
    const void *key; /* FE_MAP_STRING, FE_MAP_POINTER */
    unsigned hash;
    void *value; /* NULL: empty slot */
} fe_map_slot;

typedef struct fe_map {
    fe_map_kind kind;
    fe_map_slot *slots;
    size_t cap, n;
} fe_map;

void *fe_map_get_cursor(const fe_map *m, CXCursor c);
void fe_map_put_cursor(fe_map *m, CXCursor c, void *value);
/* KEY must outlive the map. */
void *fe_map_get(const fe_map *m, const void *key);
void fe_map_put(fe_map *m, const void *key, void *value);
void fe_map_free(fe_map *m);

/* ---- Per-parse state ------------------------------------------------- */

/* A source file seen in locations: its interned name and, once needed,
   its contents (owned by libclang, valid while the TU lives). */
typedef struct fe_file {
    CXFile file;
    const char *name; /* in the TU's arena, interned */
    const char *contents;
    size_t size;
    bool contents_loaded;
    /* Offsets where lines start, built on first use: line and column
       numbers without asking libclang for them. */
    uint32_t *lines;
    size_t n_lines;
    size_t last_line; /* lookups are mostly sequential */
} fe_file;

typedef struct fe_state {
    CXTranslationUnit ctu;
    ir_tu *tu;
    arena *a;       /* the TU's arena */
    arena *scratch; /* per-parse bookkeeping, freed at the end */
    CXFile main_file;
    const char *cwd;    /* file names under it are shown relative to it */

    fe_map decls;       /* declaration cursor -> ir_decl (VarDecls by
                           their canonical cursor) */
    fe_map funcs;       /* FunctionDecl cursor -> fe_func_entry */
    fe_map records;     /* definition cursor -> ir_record */
    fe_map macros;      /* name -> fe_macro, for the names asked about */
    fe_map files;       /* CXFile -> fe_file */
    fe_map file_names;  /* name -> interned name */
    fe_file *last_file; /* one-entry cache in front of FILES */

    fe_vec func_list; /* fe_func_entry, in creation order */
    fe_vec globals, enums, record_list, diags;
    fe_vec pending_records; /* fe_pending_record: fields still to read */
    fe_vec ann_texts;       /* every annotation text, for the macro scan */
    fe_vec inputs;          /* the files the TU read */
    fe_vec nodes;           /* statements of the blocks being built */
    fe_vec field_tmp;       /* fields of the record being filled */
    fe_cursors cursors;
    fe_cursors macro_defs; /* every macro definition, in order */

    /* Width in bits of each builtin integer type kind, once asked (0: not
       yet): clang_Type_getSizeOf for every integer expression would cost. */
    uint8_t int_bits[CXType_LastBuiltin + 1];

    uint32_t top_index;     /* ordinal of the current top-level cursor */
    ir_func *cur_func;      /* definition whose body is being converted */
    fe_vec locals;          /* its locals so far */
    unsigned depth;         /* statement/expression nesting */
    bool too_deep_reported; /* once per top-level declaration */
} fe_state;

/* ---- frontend.c: locations, types, declarations ----------------------- */

fe_file *fe_file_get(fe_state *st, CXFile file);
/* Loads F's contents (libclang's buffer) once; false if it has none. */
bool fe_file_contents(fe_state *st, fe_file *f);
/* Expansion location (where a macro was used). */
sc_loc fe_loc(fe_state *st, CXSourceLocation loc);
sc_loc fe_cursor_loc(fe_state *st, CXCursor c);
/* Pushes C's children onto st->cursors; returns the index of the first. */
size_t fe_push_children(fe_state *st, CXCursor c);
/* Records an error found by the front end itself (not by clang). */
void fe_error(fe_state *st, sc_loc loc, const char *message);

/* The type facts of T; array sizes are constants or NULL. */
void fe_type(fe_state *st, CXType t, ir_type *out);
/* An IR_INT node (text: the decimal value). */
ir_node *fe_int_node(fe_state *st, int64_t value, sc_loc loc);
/* True, with *VALUE, when clang folds expression or variable C to an
   integer that fits int64_t. */
bool fe_eval_int(CXCursor c, int64_t *value);

/* The ir_decl for a referenced variable, parameter, field or enum
   constant, created on first use; NULL for anything else. */
ir_decl *fe_decl_for(fe_state *st, CXCursor decl);
/* A block-scope variable of the current function (DeclStmt), with its
   initialiser converted; NULL for a block-scope "extern" (a global). */
ir_decl *fe_local(fe_state *st, CXCursor var);
/* The ir_func for this declaration of a function, created on first use. */
ir_func *fe_func(fe_state *st, CXCursor fn);

/* ---- frontend_expr.c: statements and expressions ----------------------- */

ir_node *fe_expr(fe_state *st, CXCursor c);
/* A statement position: one node (an IR_BLOCK when C yields several). */
ir_node *fe_stmt(fe_state *st, CXCursor c);

#endif /* SHAPECHECK_FRONTEND_INTERNAL_H */
