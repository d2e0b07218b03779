/*
 * ir.h - the facts the front end extracts from one translation unit.
 *
 * This is the boundary between libclang and the rest of the checker: the
 * front end (frontend.c) turns a parsed translation unit into these plain
 * structs, and the shape model, propagation and rules read nothing else.
 * No libclang type appears here.
 *
 * Everything in an ir_tu lives in its arena and is freed with it.  Strings
 * are NUL-terminated and owned by the arena too.
 */
#ifndef SHAPECHECK_IR_H
#define SHAPECHECK_IR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"

/* A position in a source file: expansion location (where a macro was used,
   not where it was defined).  FILE is interned per ir_tu: the same path is
   the same pointer.  LINE and COL are 1-based; 0 when unknown. */
typedef struct sc_loc {
    const char *file;
    unsigned line, col;
} sc_loc;

/* ---- Annotations ----------------------------------------------------- */

typedef enum ir_ann_kind {
    IR_ANN_SHAPE,   /* SHAPE(...)         "shapecheck:shape:..." */
    IR_ANN_RETURNS, /* RETURNS_SHAPE(...) "shapecheck:returns:..." */
    IR_ANN_LOSS,    /* SHAPE_LOSS(a, b)   "shapecheck:loss:..." */
} ir_ann_kind;

typedef struct ir_macro ir_macro;

typedef struct ir_annotation {
    ir_ann_kind kind;
    const char *text; /* after "shapecheck:KIND:", as clang stringized it */
    sc_loc loc;       /* where the macro was written */
    bool inherited;   /* attached by clang from an earlier declaration */
    /* SPEC 3: a macro name in an annotation means the definition in force
       where the annotation is written.  For each object-like macro name
       the text uses (directly, or through the bodies of the macros it
       names), the definition in force at LOC; names with no definition
       in force there are left out.  The entries point into tu->macros. */
    const ir_macro *const *macros;
    uint32_t n_macros;
} ir_annotation;

/* ---- Types, as far as shapes care ----------------------------------- */

typedef enum ir_type_class {
    IR_TYPE_OTHER,
    IR_TYPE_INT, /* any integer or enum type (char and bool included) */
    IR_TYPE_FLOAT,
    IR_TYPE_POINTER, /* pointer, or array parameter (decayed) */
    IR_TYPE_ARRAY,   /* constant-size or variable-length array */
    IR_TYPE_RECORD,  /* struct or union by value */
} ir_type_class;

typedef struct ir_node ir_node;
typedef struct ir_decl ir_decl;
typedef struct ir_tu ir_tu;
typedef struct ir_func ir_func;
typedef struct ir_record ir_record;

typedef struct ir_type {
    ir_type_class cls;
    /* IR_TYPE_ARRAY: one entry per array level, outermost first
       ("float x[B][10]": {B-ref, 10}).  An entry is an IR_INT node for a
       constant size, the size expression for a VLA, or NULL for "[]". */
    uint32_t array_rank;
    ir_node **array_dims;
    /* The element type of the array, or the pointee of a pointer, peeled
       through all array and pointer levels ("float **" -> float). */
    ir_type_class elem_cls;
    uint32_t pointer_depth; /* "float **" -> 2; arrays do not count */
    /* IR_TYPE_INT: the C type's width in bits (char 8, short 16, int 32,
       long and size_t 64 on LP64) and signedness, so that values follow
       C's conversions; _Bool is 1 bit, unsigned.  An enum type is its
       underlying integer type.  0 bits: not an integer type. */
    uint8_t int_bits;
    bool int_signed;
    /* IR_TYPE_POINTER and IR_TYPE_ARRAY: the size in bytes of one element
       (what the pointer points to; an array's innermost element), so that
       "malloc(sizeof(float) * n)" is known to hold n floats; 0 when not
       known (void, incomplete types). */
    uint32_t elem_bytes;
    bool is_const_qualified; /* the declared object itself is const */
    bool pointee_const;      /* a pointer to const ("const cfg_t *") */
    /* The struct/union this is, points to or holds (after typedefs), or
       NULL.  "DLTensor *t" -> the record "DLTensor". */
    const ir_record *record;
} ir_type;

/* ---- Declarations ---------------------------------------------------- */

typedef enum ir_decl_kind {
    IR_DECL_LOCAL, /* block-scope variable (static locals included) */
    IR_DECL_PARAM,
    IR_DECL_GLOBAL, /* file-scope variable, static or extern */
    IR_DECL_FIELD,  /* struct or union member */
    IR_DECL_ENUM,   /* enum constant: value is set */
} ir_decl_kind;

struct ir_decl {
    ir_decl_kind kind;
    const char *name; /* "" for unnamed parameters */
    sc_loc loc;       /* the declarator's name */
    ir_type type;
    ir_annotation *annotations; /* SHAPE on this declaration (usually 0-1) */
    uint32_t n_annotations;
    /* A compile-time integer value: enum constants, and const-qualified
       integer variables whose initialiser clang can evaluate. */
    bool has_value;
    int64_t value;
    ir_node *init; /* LOCAL / GLOBAL initialiser, or NULL */
    /* LOCAL: a static local (it keeps its value between calls, so it is
       unknown at entry like a global).  GLOBAL: defined with static
       storage in this TU (file scope "static"). */
    bool is_static;
    uint8_t bit_width; /* FIELD: a bit-field's width in bits, else 0 */
    /* &x appears somewhere in the TU (LOCAL/PARAM/GLOBAL); for a
       file-scope static, also: code the front end does not convert may
       name it (a header, a deferred body). */
    bool address_taken;
    const ir_record *parent; /* FIELD: its struct */
    uint32_t index; /* PARAM: position; LOCAL: index in owner->locals */
    ir_func *owner; /* PARAM / LOCAL: the function */
};

struct ir_record {
    const char *name; /* tag or typedef name ("DLTensor"), or "" */
    bool is_union;    /* its fields share one storage */
    sc_loc loc;
    ir_decl **fields;
    uint32_t n_fields;
};

/* ---- Statements and expressions -------------------------------------- */

typedef enum ir_kind {
    /* statements */
    IR_BLOCK,    /* kids: statements in order */
    IR_DECLSTMT, /* decl: the local; kids[0]: initialiser, if any */
    IR_IF,       /* kids: cond, then, [else] */
    IR_LOOP,     /* for/while/do.  op IR_LOOP_FOR/WHILE/DO: four kids,
                    init, cond, inc, body, NULL where absent (no cond:
                    always true).  op 0: the parts could not be told apart
                    (a header from a macro): the present parts in source
                    order */
    IR_SWITCH,   /* kids: cond, body */
    IR_RETURN,   /* kids: [value] */
    IR_JUMP,     /* goto, label, break, continue, case/default labels:
                    no kids; op IR_JUMP_*, 0 when not known (a labelled
                    statement is a JUMP followed by the statement in the
                    enclosing block) */
    IR_NULLSTMT,
    /* expressions (an expression is also a statement) */
    IR_INT,        /* integer constant expression: value (literals, sizeof,
                      enum constants, constant macros...) */
    IR_VAR,        /* decl: a variable, parameter or enum constant */
    IR_MEMBER,     /* kids[0]: base; decl: the field; arrow: '->' */
    IR_CALL,       /* kids[0]: callee expression; kids[1..]: arguments;
                      callee: the function when called by name, else NULL */
    IR_ADDR,       /* &kids[0] */
    IR_DEREF,      /* *kids[0] */
    IR_INDEX,      /* kids[0][kids[1]] */
    IR_CAST,       /* explicit or implicit conversion of kids[0] */
    IR_UNARY,      /* op: '-', '+', '!', '~', IR_OP_PREINC... on kids[0] */
    IR_BINARY,     /* op on kids[0], kids[1] */
    IR_ASSIGN,     /* kids[0] op= kids[1]; op is '=' for plain assignment */
    IR_COND,       /* kids: cond ? a : b */
    IR_INITLIST,   /* { ... }: kids are the elements.  For a struct or
                      union, every element that sets a field (designated
                      or positional, C's rules) is an IR_DESIGNATOR, and a
                      nested struct's elements are a nested IR_INITLIST:
                      "{.train = {.batch = 64}}", "{.train.batch = 64}"
                      and "{{64}}" all give DESIGNATOR(train, INITLIST(
                      DESIGNATOR(batch, 64))) */
    IR_DESIGNATOR, /* decl: the field; kids[0]: its value */
    IR_OTHER,      /* anything else; kids: its sub-expressions, in order */
} ir_kind;

/* IR_LOOP's op: which statement, and so which kid is which. */
enum { IR_LOOP_FOR = 1, IR_LOOP_WHILE, IR_LOOP_DO };

/* IR_JUMP's op. */
enum {
    IR_JUMP_GOTO = 1, /* goto and computed goto */
    IR_JUMP_LABEL,
    IR_JUMP_BREAK,
    IR_JUMP_CONTINUE,
    IR_JUMP_CASE, /* case X: (and default:) inside a switch body */
};

/* Operators beyond single characters ('+', '-', '*', '/', '%', '<', '>',
   '&', '|', '^', '!', '~', '=', ','). */
enum {
    IR_OP_SHL = 256,
    IR_OP_SHR,
    IR_OP_LE,
    IR_OP_GE,
    IR_OP_EQ,
    IR_OP_NE,
    IR_OP_LAND,
    IR_OP_LOR,
    IR_OP_PREINC,
    IR_OP_PREDEC,
    IR_OP_POSTINC,
    IR_OP_POSTDEC,
};

struct ir_node {
    ir_kind kind;
    sc_loc loc; /* start of the statement or expression */
    sc_loc end; /* expressions: just past its last character, in the same
                   file as LOC (a call's closing parenthesis + 1); line 0
                   when unknown.  Statements and expressions that come
                   from a macro expansion are here like any other, at the
                   macro's use (expansion locations). */
    int op;
    bool arrow;    /* IR_MEMBER */
    int64_t value; /* IR_INT */
    ir_decl *decl; /* IR_VAR, IR_MEMBER (the field), IR_DECLSTMT */
    /* IR_INT written as one object-like macro name ("BATCH"): the
       definition expanded there (in tu->macros), for notes; else NULL. */
    const ir_macro *macro;
    ir_func *callee;  /* IR_CALL */
    const char *text; /* expressions: source text as written, white
                         space collapsed, at most 80 chars ("..." cut);
                         used to name arguments in messages */
    ir_type type;     /* expressions: the expression's type */
    ir_node **kids;
    uint32_t n_kids;
};

/* ---- Functions ------------------------------------------------------- */

/* One declaration of a function.  A prototype and a definition of the same
   function are two ir_funcs with the same key. */
struct ir_func {
    const char *name;
    const char *key; /* clang USR: equal across declarations and, for
                        external functions, across translation units */
    sc_loc loc;
    bool is_definition; /* has a body (only bodies in the main file are
                           kept; a definition elsewhere has body NULL) */
    bool is_static;
    /* Named other than as the callee of a call by name (its address is
       taken: "&f", "fp = f", an initialiser), or, for a static function,
       maybe named by code the front end does not convert (a header
       included after its first declaration).  Without it, the calls seen
       are the only way the function runs (engine/context.c). */
    bool address_taken;
    bool is_variadic;
    bool has_prototype; /* false for old-style "int f();" */
    /* Declared in a system header (-isystem, /usr/include): library code,
       which cannot name the program's globals. */
    bool in_system_header;
    ir_type ret;
    ir_decl **params;
    uint32_t n_params;
    ir_annotation *annotations; /* RETURNS_SHAPE, SHAPE_LOSS */
    uint32_t n_annotations;
    ir_node *body; /* IR_BLOCK, or NULL */
    /* A body left unconverted (fe_command.defer_bodies): it reads no
       annotated declaration, and CALLS are the functions it calls by
       name, in order.  A run that needs it parses the unit again in full
       (docs/summaries.md, "Which bodies are converted"). */
    bool body_deferred;
    ir_func **calls;
    uint32_t n_calls;
    ir_decl **locals; /* every block-scope variable, in source order */
    uint32_t n_locals;
    const ir_tu *tu; /* the translation unit it was read from */
};

/* Whether F is a definition whose body is in its TU, converted or not. */
static inline bool ir_func_defined(const ir_func *f)
{
    return f->body || f->body_deferred;
}

/* ---- Questions about an expression's form (not its value) ------------ */

static inline const ir_node *ir_strip_casts(const ir_node *n)
{
    while (n && n->kind == IR_CAST && n->n_kids == 1)
        n = n->kids[0];
    return n;
}

static inline bool ir_is_null_constant(const ir_node *n)
{
    n = ir_strip_casts(n);
    return n && n->kind == IR_INT && n->value == 0;
}

/* Whether evaluating N changes nothing (no assignment, ++, call). */
static inline bool ir_is_pure(const ir_node *n)
{
    if (!n)
        return true;
    if (n->kind == IR_ASSIGN || n->kind == IR_CALL ||
        (n->kind == IR_UNARY && n->op >= IR_OP_PREINC &&
         n->op <= IR_OP_POSTDEC) ||
        n->kind == IR_OTHER || n->kind == IR_INITLIST)
        return false;
    for (uint32_t i = 0; i < n->n_kids; i++)
        if (!ir_is_pure(n->kids[i]))
            return false;
    return true;
}

/* ---- Macros and compiler diagnostics --------------------------------- */

/* A definition of an object-like macro whose name appears in some
   annotation of the TU (or in the body of such a macro, or as a whole
   integer expression: ir_node.macro), with its body as tokens joined by
   one space.  A name defined twice ("#undef N" / "#define N 32") has one
   entry per definition, in translation order.  Function-like macros are
   not recorded. */
struct ir_macro {
    const char *name;
    const char *body;
    sc_loc loc;
};

typedef enum ir_severity {
    IR_SEV_NOTE,
    IR_SEV_WARNING,
    IR_SEV_ERROR
} ir_severity;

typedef struct ir_diag {
    ir_severity severity; /* errors and fatal errors are IR_SEV_ERROR */
    sc_loc loc;
    const char *text; /* clang's formatted line, as clang prints it */
} ir_diag;

/* ---- The translation unit ------------------------------------------- */

struct ir_tu {
    arena *arena;
    const char *main_file; /* as given on the command line / database */
    /* Every function declaration in the TU that is annotated, has
       annotated parameters, or is defined in the main file, plus every
       function called from a main-file body; in source order. */
    ir_func **funcs;
    uint32_t n_funcs;
    ir_decl **globals; /* file-scope variables */
    uint32_t n_globals;
    ir_decl **enums; /* enum constants */
    uint32_t n_enums;
    ir_record **records; /* structs and unions with a definition */
    uint32_t n_records;
    ir_macro *macros;
    uint32_t n_macros;
    ir_diag *diags; /* warnings and errors clang reported */
    uint32_t n_diags;
    bool has_errors; /* any IR_SEV_ERROR among diags */
    /* Every file the TU read (the main file and each header, absolute or
       as clang named it): what a cached result depends on. */
    const char **inputs;
    uint32_t n_inputs;
};

#endif /* SHAPECHECK_IR_H */
