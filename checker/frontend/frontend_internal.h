/*
 * frontend_internal.h - shared by the front end's files, each calling only
 * those below it:
 *
 *   frontend.c         the parse: command line, unknown options, compiler
 *                      diagnostics, the top-level traversal, deferred
 *                      bodies, the module's entry points
 *   frontend_expr.c    statements and expressions
 *   frontend_decl.c    types, annotations, records, variables, functions
 *                      (their expressions through fe_state.expr)
 *   frontend_source.c  containers, files and locations, tokens, #define
 *                      lines, macros
 *
 * Private to the front end: with frontend*.c, the only place that sees
 * libclang.
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
/* A declaration and the offset of its first declaration in the main
   file (top_global). */
typedef struct fe_first_decl {
    ir_decl *decl;
    unsigned offset;
} fe_first_decl;

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
    arena *a; /* the TU's arena */
    /* "" in the TU's arena: the IR points to nothing of the module's own
       (a worker's TU is read by a checker that never loaded it). */
    const char *empty;
    /* fe_expr (frontend_expr.c), set by frontend.c: a declaration holds
       expressions (sizes, initialisers) and an expression declarations,
       and this keeps frontend_decl.c below frontend_expr.c. */
    ir_node *(*expr)(struct fe_state *st, CXCursor c);
    arena *scratch; /* per-parse bookkeeping, freed at the end */
    CXFile main_file;
    const char *cwd; /* file names under it are shown relative to it */

    fe_map decls;           /* declaration cursor -> ir_decl (VarDecls by
                               their canonical cursor) */
    fe_map funcs;           /* FunctionDecl cursor -> fe_func_entry */
    fe_map records;         /* definition cursor -> ir_record */
    fe_map macros;          /* name -> fe_macro, for the names asked about */
    fe_map files;           /* CXFile -> fe_file */
    fe_map file_names;      /* name -> interned name */
    fe_map defines;         /* start of a #define's text -> fe_define */
    fe_map init_members;    /* record definition -> its members, in order */
    fe_map file_keys;       /* CXFile -> where it is in translation order */
    fe_map invocation_ends; /* macro name in a file's text -> end + 1 */
    fe_file *last_file;     /* one-entry cache in front of FILES */

    fe_vec func_list; /* fe_func_entry, in creation order */
    fe_vec globals, enums, record_list, diags;
    fe_vec static_globals;  /* fe_first_decl: main-file statics (top_global) */
    fe_vec pending_records; /* fe_pending_record: fields still to read */
    fe_vec ann_texts;       /* every annotation text, for the macro scan */
    fe_vec anns;            /* every annotation, with its file and offset */
    fe_vec node_macros;     /* integers written as a macro name */
    fe_vec file_key_list;   /* the values of FILE_KEYS, in inclusion order */
    fe_vec inputs;          /* the files the TU read */
    fe_vec nodes;           /* statements of the blocks being built */
    fe_vec field_tmp;       /* fields of the record being filled */
    fe_cursors cursors;
    fe_cursors macro_defs; /* every macro definition, in order */

    /* Width in bits of each builtin integer type kind, once asked (0: not
       yet): clang_Type_getSizeOf for every integer expression would cost. */
    uint8_t int_bits[CXType_LastBuiltin + 1];
    /* The same for their size in bytes, plus one (0: not yet). */
    uint8_t builtin_bytes[CXType_LastBuiltin + 1];

    const fe_command *cmd; /* the command (its -U options) */
    bool have_file_keys;   /* FILE_KEYS is filled */
    unsigned macro_rounds; /* passes over the macro definitions so far */
    bool macro_all;        /* every definition's name has been read */
    uint32_t macro_stamp;
    size_t macro_tokens; /* lexed to find operators from macros */

    uint32_t top_index;     /* ordinal of the current top-level cursor */
    unsigned last_include;  /* offset of the main file's last #include */
    ir_func *cur_func;      /* definition whose body is being converted */
    fe_vec locals;          /* its locals so far */
    unsigned depth;         /* statement/expression nesting */
    bool too_deep_reported; /* once per top-level declaration */
} fe_state;

/* ---- frontend_source.c: files and locations --------------------------- */

fe_file *fe_file_get(fe_state *st, CXFile file);
/* Loads F's contents (libclang's buffer) once; false if it has none. */
bool fe_file_contents(fe_state *st, fe_file *f);
/* Expansion location (where a macro was used). */
sc_loc fe_loc(fe_state *st, CXSourceLocation loc);
/* fe_loc(), with the expansion file and offset. */
sc_loc fe_loc_at(fe_state *st, CXSourceLocation loc, CXFile *file,
                 unsigned *offset);
sc_loc fe_cursor_loc(fe_state *st, CXCursor c);
/* Pushes C's children onto st->cursors; returns the index of the first. */
size_t fe_push_children(fe_state *st, CXCursor c);
/* Records an error found by the front end itself (not by clang). */
void fe_error(fe_state *st, sc_loc loc, const char *message);
/* realloc and strdup that abort when out of memory, as arena.c does. */
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
/* S copied into A, and disposed of. */
const char *take_string(arena *a, CXString s);
/* Records a compiler diagnostic of the TU. */
void add_diag(fe_state *st, ir_severity sev, sc_loc loc, const char *text);
/* The file of LOC's expansion, and its offset there. */
CXFile expansion_offset(CXSourceLocation loc, unsigned *offset);
/* True, with *VALUE, when clang folds expression or variable C to an
   integer that fits int64_t. */
bool fe_eval_int(CXCursor c, int64_t *value);

/* Line and column of OFFSET in FILE (its text is loaded for it); line 0
   when unknown. */
sc_loc fe_offset_loc(fe_state *st, CXFile file, unsigned offset);
/* Where LOC's token is written, as a file and offset: for a token of a
   macro's body, inside its #define.  (clang_tokenize lexes at the
   spelling location; clang_getSpellingLocation, in libclang 14, gives the
   expansion's instead.)  False when the token is not in a file (pasted,
   stringized, built-in). */
bool fe_spelling(fe_state *st, CXSourceLocation loc, CXFile *file,
                 unsigned *offset);

/* ---- frontend_source.c: tokens, #define lines, macros ----------------- */

/* A token of a file's text: TEXT[begin, end). */
typedef struct fe_tok {
    uint32_t begin, end;
    char kind; /* 'i' identifier, 'n' number, 's' literal, 'p' punctuator */
} fe_tok;

/* The first index from I (< END) past white space, comments and line
   continuations. */
size_t fe_skip_blank(const char *s, size_t i, size_t end);
/* The token of S at or after I (before END) into *T; false at the end. */
bool fe_lex(const char *s, size_t i, size_t end, fe_tok *t);
/* Whether T is the token TEXT. */
bool fe_tok_is(const char *s, const fe_tok *t, const char *text);

/* A #define as written, for what libclang does not say about macros: its
   name, parameters (a variadic "..." is a parameter too) and body, as
   tokens of TEXT (the contents of its file). */
typedef struct fe_define {
    const char *text;
    fe_tok name;
    bool function_like, variadic;
    uint32_t n_params;
    fe_tok *params;
    uint32_t n_body;
    fe_tok *body;
} fe_define;

/* The #define whose logical line holds OFFSET of FILE, read once; NULL
   when that is not a #define (or one too long to read). */
const fe_define *fe_define_at(fe_state *st, CXFile file, unsigned offset);
/* The #define of definition cursor DEF. */
const fe_define *fe_define_of(fe_state *st, CXCursor def);
/* The #define of macro NAME (LEN characters) last defined before OFFSET
   of FILE, or NULL.  (clang_getCursor would say which macro is expanded
   there, but takes time in proportion to the file's macro expansions on
   every call: seconds each next to a large one.) */
const fe_define *fe_macro_defined_at(fe_state *st, const char *name, size_t len,
                                     CXFile file, unsigned offset);

/* IR_INT node N, whose text is one identifier (not its own enum
   constant's name), written at OFFSET of FILE: a macro of that name is
   expanded there, and N->macro is set to its definition's entry in
   tu->macros at the end of the parse. */
void fe_int_macro(fe_state *st, ir_node *n, CXFile file, unsigned offset);

/* An annotation (frontend_decl.c reads them), with where it is written:
   the macros in force there give its names their values. */
typedef struct ann_entry {
    ir_annotation *ann;
    CXFile file;
    unsigned offset;
} ann_entry;

/* A name asked about (by an annotation, a kept macro's body, an integer
   written as a macro name): its definitions and #undefs. */
typedef struct fe_macro {
    const char *name;
    bool resolved;  /* DEFS holds every definition */
    bool kept;      /* its object-like definitions go to tu->macros */
    fe_vec defs;    /* macro_def, in translation order */
    fe_vec undefs;  /* fe_key *, of the #undef lines found */
    uint32_t stamp; /* annotation_macros(): already seen */
} fe_macro;

/* A macro definition met in the top-level traversal. */
void macro_definition(fe_state *st, CXCursor c);
/* At the end of the parse: the kept macros into tu->macros, and every
   integer written as a macro name pointed at its definition. */
void finish_macros(fe_state *st);

/* ---- frontend_decl.c: types and declarations --------------------------- */

/* tu->funcs is sorted by ORDER at the end: the top-level position of the
   declaration that made it (functions created on demand, at a call, go
   just before the function whose body calls them), then creation. */
typedef struct func_entry {
    ir_func *func;
    uint64_t order;
    CXCursor cursor; /* the declaration it was made from */
} func_entry;

/* The type facts of T; array sizes are constants or NULL. */
void fe_type(fe_state *st, CXType t, ir_type *out);
/* An IR_INT node (text: the decimal value). */
ir_node *fe_int_node(fe_state *st, int64_t value, sc_loc loc);

/* The ir_decl for a referenced variable, parameter, field or enum
   constant, created on first use; NULL for anything else. */
ir_decl *fe_decl_for(fe_state *st, CXCursor decl);
/* A block-scope variable of the current function (DeclStmt), with its
   initialiser converted; NULL for a block-scope "extern" (a global). */
ir_decl *fe_local(fe_state *st, CXCursor var);
/* The ir_func for this declaration of a function, created on first use. */
ir_func *fe_func(fe_state *st, CXCursor fn);

/* Whether DECL carries a SHAPE, RETURNS_SHAPE or SHAPE_LOSS attribute. */
bool has_shape_attr(CXCursor decl);
/* Whether function FN or one of its parameters is annotated. */
bool func_is_annotated(CXCursor fn);
/* The ir_func of FN, made now (TOP_LEVEL: by its own declaration). */
ir_func *create_func(fe_state *st, CXCursor fn, bool top_level);
/* A file-scope variable (IN_MAIN: declared in the main file). */
ir_decl *fe_global(fe_state *st, CXCursor var, bool in_main);
/* The record of any declaration of a struct or union, created on first
   use; NULL when the TU has no definition of it. */
ir_record *fe_record(fe_state *st, CXCursor decl);
void fe_enum_decl(fe_state *st, CXCursor e);
/* Reads the fields of every record created so far. */
void drain_records(fe_state *st);

/* ---- frontend_expr.c: statements and expressions ----------------------- */

ir_node *fe_expr(fe_state *st, CXCursor c);
/* The function call expression CALL calls by name (through parentheses
   and casts), or NULL. */
ir_func *fe_callee(fe_state *st, CXCursor call);
/* A statement position: one node (an IR_BLOCK when C yields several). */
ir_node *fe_stmt(fe_state *st, CXCursor c);

#endif /* SHAPECHECK_FRONTEND_INTERNAL_H */
