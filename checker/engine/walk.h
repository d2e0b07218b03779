/*
 * walk.h - the inside of the flow analysis, shared by its files and by
 * nothing else (engine.h is the engine's interface).  Its files, each
 * calling only those below it:
 *
 *   program.c   the whole program: which bodies, callees first (engine.h)
 *   context.c   walks again from main's entry the bodies that run only
 *               through one call, with what that call knows
 *   demand.c    which bodies a run needs walked
 *   function.c  one walk of one body: entry, exit, the summary it gives
 *   stmt.c      statements: branches, loops to a fixpoint, switch, jumps,
 *               and what a condition tells in each branch
 *   call_site.c calls: arguments against the signature, the rules, what
 *               the callee may change (its summary, or a library model)
 *   libc.c      what C library functions may change (a table)
 *   expr.c      expressions: values, places, assignments
 *   collect.c   what a walk records for its function's summary
 *   names.c     names in annotations, declared shapes, notes
 *   memory.c    the memory model: locations, cells, points-to sets,
 *               aliasing, escapes, clobbers, joins; what was written
 *   values.c    abstract values, integers as C stores them (types,
 *               wrap-around, bounds), and the symbols unknowns are named by
 *   entry.c     what a call site knows of its callee's entry (data only)
 *
 * Expressions hold calls and conditions, which hold expressions again:
 * expr.c reaches those two above it through walk.ops (function.c fills
 * them in).  Questions about an expression's form alone (casts, purity)
 * are ir.h's.
 *
 * The model (docs/memory-model.md): every object the body can reach is a
 * tree of locations (a variable, what a pointer pointed to at entry, what
 * a call allocated, unknown memory; their fields; the elements of an
 * array as one weak location).  The state maps locations to abstract
 * values, persistently (pmap.h), so that branches share structure and
 * joins touch only what differs.  A value nothing is known about is a
 * symbol named by the place that made it (a join, a call, an unknown
 * expression), so the same place always gives the same symbol and loop
 * fixpoints converge; different places never share one, so nothing is
 * ever equal by accident.
 */
#ifndef SHAPECHECK_WALK_H
#define SHAPECHECK_WALK_H

#include "analysis.h"
#include "engine.h"
#include "pmap.h"

typedef uint32_t loc_id; /* 0: no location */

/* ---- What a function's one call site knows (entry.c) -------------------- */

/* A static local's member path ("" or ".batch") that is a known integer
   when a function is entered. */
typedef struct entry_fact {
    const ir_decl *var;
    const char *suffix;
    int64_t value;
    /* Its story ("g set to 8 here" at the initialiser), or NULL. */
    const value_note *note;
} entry_fact;

/* What every run knows of a function's entry through its one call site
   (or, for main, at the program's start): integer arguments that are
   constants, and static locals' values (engine/context.c). */
typedef struct entry_context {
    bool seen;     /* the call was walked */
    int64_t *args; /* per parameter, when ARG_KNOWN */
    bool *arg_known;
    uint32_t n_args;
    entry_fact *facts;
    uint32_t n_facts;
    sc_loc call; /* the call (main's start: none) */
} entry_context;

/* Keeps in INTO only what it and NEXT agree on (the call site walked
   again); the first one is copied (into AN's arena). */
void entry_context_meet(analysis *an, entry_context *into,
                        const entry_context *next);
/* What C knows of path SUFFIX of static local (or sealed global) VAR,
   or NULL. */
const entry_fact *entry_context_fact(const entry_context *c, const ir_decl *var,
                                     const char *suffix);
/* The value path SUFFIX of static local VAR holds in C, if known. */
bool entry_context_static(const entry_context *c, const ir_decl *var,
                          const char *suffix, int64_t *value);

/* ---- Locations (memory.c) ----------------------------------------------- */

typedef enum obj_kind {
    OBJ_VAR,     /* a variable's own storage */
    OBJ_ENTRY,   /* what a pointer held at entry points to */
    OBJ_ALLOC,   /* memory a call allocated */
    OBJ_UNKNOWN, /* memory nothing is known of */
} obj_kind;

typedef struct location {
    loc_id parent;             /* enclosing location; 0 for an object */
    loc_id object;             /* the object it is in (itself for one) */
    const char *field;         /* name in PARENT, "[]" for elements */
    const ir_decl *field_decl; /* the field, or NULL */
    obj_kind kind;
    const ir_decl *var;      /* OBJ_VAR: the variable */
    loc_id entry_of;         /* OBJ_ENTRY: the pointer whose target it is */
    const ir_node *site;     /* OBJ_ALLOC: the call */
    ir_type type;            /* what it holds */
    const ir_record *record; /* the record it is (or holds), or NULL */
    bool external;     /* others can reach it: globals, static locals, entry
                          objects, unknown memory */
    bool entry_valued; /* absent cells hold their value at entry (external
                          objects and by-value parameters) */
    bool from_caller;  /* what a pointer parameter reaches: its caller's
                          memory, which code nobody can see reaches only
                          if the caller let it (docs/memory-model.md) */
    bool weak;         /* stands for several runtime cells: updates are weak */
    /* A static local integer whose address is never taken: only its
       function's body writes it (no pointer reaches it; its alias classes
       are its own).  IMMUNE: that function runs only after main has
       started, so code nobody can see cannot run it either. */
    bool sealed, immune;
    uint32_t akey;       /* alias class (memory.c): who else may be it */
    uint32_t wide;       /* the class of every cell of its type */
    uint32_t depth;      /* pointer hops from a variable */
    const char *display; /* "cfg.batch", "l->B", "*p" */
    bool named;          /* OBJ_ALLOC: by the variable that holds it */
    bool written;        /* the walk wrote it (walk.written) */
    loc_id first_child, next_sibling;
} location;

/* ---- Values ------------------------------------------------------------- */

/* Where a pointer may point.  Targets are sorted; more than PTS_MAX of
   them is UNKNOWN. */
#define PTS_MAX 8
typedef struct ptset {
    uint16_t n;
    bool unknown;    /* also anywhere else */
    bool maybe_null; /* or null */
    loc_id targets[PTS_MAX];
} ptset;

#define BOUNDS_MAX 4

typedef struct aval {
    /* Integers: the value (NULL: no information at all), where it was
       set (on every path), and proven upper bounds (clamping). */
    const dim_poly *num;
    const value_note *note;
    const dim_poly *bounds[BOUNDS_MAX];
    uint8_t n_bounds;
    /* Pointers: targets, and what the buffer is known to hold. */
    const ptset *pts;      /* NULL: anywhere */
    shaped extent;         /* declared facts only (SPEC 3) */
    bool exact;            /* a tensor object's own shape */
    shaped observed;       /* what a call needed or wrote: notes only */
    bool is_null;          /* certainly null */
    const dim_poly *bytes; /* fresh memory from malloc: its size in bytes */
} aval;

/* The value of an expression: an abstract value and its C type. */
typedef struct value {
    const aval *v; /* never NULL */
    ir_type type;
} value;

/* An lvalue: where a read or write goes. */
typedef struct place {
    loc_id loc;      /* one location */
    bool strong;     /* certainly that one runtime cell */
    const ptset *at; /* or several (weak): LOC is 0 */
    bool anywhere;   /* or unknown memory (weak, by alias class) */
    ir_type type;
} place;

/* ---- State -------------------------------------------------------------- */

typedef struct state {
    pmap cells;   /* loc -> const aval *: absent is its initial value */
    pmap marks;   /* clobbers and escapes (memory.c) */
    pmap outside; /* present cells others can reach: loc -> loc */
    bool dead;    /* unreachable */
} state;

/* ---- One walk ----------------------------------------------------------- */

typedef struct loop_ctx loop_ctx;
typedef struct loop_memo loop_memo;
typedef struct summary_acc summary_acc;
typedef struct loc_table loc_table;
typedef struct sym_table sym_table;

/* An expression holds calls and conditions, and both hold expressions:
   expr.c reaches a call (call_site.c) and what a condition tells
   (stmt.c) through these, which function.c fills in, so that each file
   of the engine calls only the files below it. */
typedef struct walk walk;
typedef struct walk_ops {
    value (*call)(walk *w, const ir_node *n);
    void (*refine)(walk *w, const ir_node *cond, bool truth);
} walk_ops;

/* Loops whose every test is decided are walked pass by pass (stmt.c):
   at most this many passes of one loop, and of all loops of one walk. */
#define LOOP_UNROLL_PASSES 64
#define WALK_UNROLL_PASSES 512

struct walk {
    const walk_ops *ops;
    analysis *an;
    const ir_func *f;
    const signature *sig; /* the function's own (annotations, or NULL) */
    arena *scratch;       /* freed when the walk ends */
    state st;
    loc_table *locs;
    sym_table *syms;
    strmap free_syms;      /* body-wide free symbols: name -> poly */
    const ir_decl **scope; /* locals in scope, innermost last */
    uint32_t n_scope, cap_scope;
    shaped *declared;        /* per local: its SHAPE / array extent */
    loop_ctx *loops;         /* innermost loop or switch */
    loop_memo *memo;         /* each loop's last head fixpoint (stmt.c) */
    const aval **plain_ints; /* aval_int's values without a note */
    unsigned silent;         /* > 0: a fixpoint iteration, no findings */
    unsigned unroll_left;    /* loop passes stmt.c may still unroll */
    unsigned sym_epoch;      /* the unrolled pass site symbols belong to */
    unsigned n_epochs;       /* passes unrolled so far (epochs given out) */
    unsigned conditional;    /* inside a branch, loop or switch */
    bool after_exit;         /* a return, goto or label was walked */
    bool in_loop;            /* inside a loop body (allocations are weak) */
    summary_acc *sum;        /* what the summary collects (collect.c) */
    /* What the walk may have written, on any path: memory.c records each
       location once, in first-write order, and collect.c turns them into
       the summary's writes at the end. */
    loc_id *written;
    uint32_t n_written, cap_written;
    bool wrote_anywhere;    /* unknown memory, or code nobody can see */
    signature *summary;     /* the summary being built: its symbols name
                               what parameters hold at entry (values.c) */
    uint64_t steps;         /* work done (WORK_BUDGET_FUNCTION) */
    bool relies_private;    /* what it knows of its caller's memory survived
                               code nobody can see (see location.from_caller) */
    uint64_t relies_params; /* ...of these parameters (bit i) */
    /* Escapes other than a store into the caller's memory (into_caller
       set while that one is made), for the summary's fresh effects. */
    pmap escaped_elsewhere;
    bool into_caller;
    bool over_budget;
    /* A value made while evaluating what is stored in a named integer
       variable is shown by that variable's name ("batch", not "atoi"):
       the nodes from NAME_TOP down through casts are its sites. */
    const ir_node *name_top;
    const char *name_hint;
    /* A walk from the program's entry (context.c): what every run knows
       at this body's entry (NULL: nothing but its summary's symbols), and
       whether its calls of functions that run only through them record
       what they know of their callee's entry. */
    const entry_context *entry;
    bool capture;
    diag_list quiet; /* findings of silent walks, dropped */
    diag_list *loud;
};

/* Counts one step; false once past the budget (the walk then stops). */
static inline bool walk_step(walk *w)
{
    if (w->over_budget)
        return false;
    if (++w->steps > WORK_BUDGET_FUNCTION ||
        w->an->work + w->steps > WORK_BUDGET_RUN ||
        arena_used(w->scratch) > WORK_BUDGET_MEMORY)
        w->over_budget = true;
    return !w->over_budget;
}

/* ---- memory.c ----------------------------------------------------------- */

/* The walk's locations: a location is interned by what it is (KEY), so
   the same variable, field or call always gives the same one. */
typedef struct loc_key {
    obj_kind kind;
    loc_id parent;     /* fields and elements: the parent; entry: pointer */
    const void *ident; /* the var, field, call, or field name */
} loc_key;

struct loc_table {
    location *items; /* [0] unused */
    uint32_t n, cap;
    loc_key *keys; /* open addressing, index into items */
    uint32_t *slots;
    uint32_t n_slots;
    loc_id unknown;
    /* Alias classes: names interned to small ids; per class, the
       locations in it (for clobbering present cells). */
    strmap classes;
    uint32_t n_classes;
};

static inline const location *loc_get(const walk *w, loc_id id)
{
    return &w->locs->items[id];
}

void memory_init(walk *w);
loc_id loc_var(walk *w, const ir_decl *d);
/* Whether D is one of main's unit's sealed globals (analysis.h; found by
   context.c before the walks). */
bool engine_global_sealed(const analysis *an, const ir_decl *d);
loc_id loc_entry(walk *w, loc_id pointer);
loc_id loc_alloc(walk *w, const ir_node *site);
loc_id loc_alloc_member(walk *w, const ir_node *site, loc_id member);
/* A pointer to the fresh object a call left in MEMBER. */
const aval *aval_fresh_member(walk *w, const ir_node *site, loc_id member);
/* What the walk knows of LOC, its caller's memory, holds only if that
   memory is private to the caller (signature.private_params). */
void walk_relies_on(walk *w, loc_id loc);
/* Whether LOC escaped, if at all, only by being stored in its caller's
   memory (a parameter's pointee): a fresh effect can still say it. */
bool escaped_only_into_caller(walk *w, loc_id loc);
/* OBJ was stored at WHERE: it escapes if others can see WHERE (only into
   the caller's memory, if WHERE is that). */
void escape_stored(walk *w, loc_id where, loc_id obj);
loc_id loc_unknown(walk *w);
loc_id loc_field(walk *w, loc_id parent, const ir_decl *field);
loc_id loc_field_named(walk *w, loc_id parent, const char *name);
loc_id loc_elements(walk *w, loc_id parent);
/* Memory of unknown type (what malloc returned) used as a POINTEE. */
void loc_learn_type(walk *w, loc_id loc, const ir_type *pointee);
/* An allocation is shown by the pointer variable it went to first ("*net",
   so that its fields read "net->batch"), until then by its call. */
void loc_name(walk *w, loc_id obj, const char *pointer);
/* The parameter LOC hangs from and its path ("->B", ".cfg.batch"), or -1. */
int loc_param_path(walk *w, loc_id loc, const char **suffix);
/* The global or static local LOC hangs from (its key, as sig_write
   says) and the path. */
const char *loc_global_path(walk *w, loc_id loc, const char **suffix);
/* The static local of a function of this unit that KEY names, or NULL. */
const ir_decl *static_local_named(walk *w, const char *key);

const aval *cell_read(walk *w, loc_id loc);
/* The integer at PATH ("->batch", ".cfg.n") below LOC, or NULL when a
   pointer on the way may point to several places. */
const aval *path_read(walk *w, loc_id loc, const char *path);
/* Sets LOC's cell to V without it counting as a write of the program
   (what a call was seen to need of a buffer). */
void cell_replace(walk *w, loc_id loc, const aval *v);
/* Writes V at LOC: strongly (the one runtime cell) or weakly (joined with
   what may still be there), with the alias classes it may reach. */
void cell_write(walk *w, loc_id loc, const aval *v, bool strong,
                const ir_node *site);
/* A write through unknown memory of type T: every cell others can reach
   that such a write may change becomes unknown. */
void clobber_anywhere(walk *w, const ir_type *t, const ir_node *site);
/* Object OBJ and all it reaches may have changed (a call wrote it). */
void clobber_deep(walk *w, loc_id obj, const ir_node *site);
/* Code nobody can see ran: every cell others can reach is unknown. */
void clobber_outside(walk *w, const ir_node *site);
/* The address of OBJ (and all it reaches) is now known to others. */
void escape_deep(walk *w, loc_id obj);
/* Whether nothing others can reach is among LOC and all its pointers
   reach (the caller's memory counts as private: *FROM_CALLER says it is
   there). */
bool loc_private(walk *w, loc_id loc, bool *from_caller);
/* Whether LOC, or what it is part of, escaped. */
bool is_escaped(const walk *w, loc_id loc);

state state_copy(const state *s);
/* A joined with B at SITE (values that differ become SITE's symbols). */
state state_join(walk *w, const state *a, const state *b, const ir_node *site);
bool state_equal(walk *w, const state *a, const state *b);
/* A state that knows nothing (the target of a goto). */
state state_top(walk *w, const ir_node *site);

/* ---- context.c ---------------------------------------------------------- */

/* The unit of the program's main, or NULL (none, or two). */
const ir_tu *engine_entry_unit(analysis *an);
/* Before any walk: which functions run only after main has started
   (func_group.after_main: their static locals are the program's own,
   which code nobody can see cannot change) and which only through one
   call (through_one_call). */
void engine_mark_entry(analysis *an);
/* After every body's walk: main, then each body that runs only through
   one call, walked again with what every run knows at their entry; new
   findings go to AN->diags (main's unit's list). */
void engine_walk_from_entry(analysis *an);

/* ---- function.c --------------------------------------------------------- */

/* F's body walked again with ENTRY, what every run knows at its entry:
   findings go to AN->diags; its calls of functions that run only through
   them record their callee's entry (func_group.entry); the summary is
   not kept (callers have the one from the walk without it). */
void engine_walk_entered(analysis *an, const ir_func *f,
                         const signature *annotated,
                         const entry_context *entry);

/* ---- values.c ----------------------------------------------------------- */

extern const aval aval_nothing; /* no information */
const aval *aval_new(walk *w, const aval *proto);
const aval *aval_null(walk *w);
const aval *aval_int(walk *w, const dim_poly *num, const value_note *note);
/* SITE's symbol for LOC (TAG tells purposes apart): the same arguments
   give the same symbol for the whole walk. */
const dim_poly *site_symbol(walk *w, const void *site, loc_id loc, int tag,
                            const char *display);
/* The summary's symbol for member path SUFFIX of parameter PARAM
   ("->B"), and for integer parameter PARAM (NULL if it is none): what a
   parameter holds at entry is named so that callers can bind it. */
const dim_poly *summary_path_symbol(walk *w, uint32_t param, const char *suffix,
                                    const char *display);
const dim_poly *summary_param_symbol(walk *w, uint32_t param);
/* The same for path SUFFIX ("", ".batch") of the static local KEY. */
const dim_poly *summary_static_symbol(walk *w, const char *key,
                                      const char *suffix, const char *display);
/* A value nothing is known of, made at SITE for LOC. */
const aval *aval_unknown(walk *w, const void *site, loc_id loc,
                         const ir_type *t);
bool aval_equal(const aval *a, const aval *b);
const aval *aval_join(walk *w, const aval *a, const aval *b, const void *site,
                      loc_id loc);
/* V converted from type FROM to TO as C converts (SITE names the result
   when it is unknown). */
const aval *int_convert(walk *w, const aval *v, const ir_type *from,
                        const ir_type *to, const void *site);
/* A OP B in type T. */
const dim_poly *int_arith(walk *w, int op, const dim_poly *a, const dim_poly *b,
                          const ir_type *t);
/* C's integer promotion of T, and the common type of A and B (the usual
   arithmetic conversions), for integer types. */
ir_type int_promoted(const ir_type *t);
ir_type int_common(const ir_type *a, const ir_type *b);
/* Adds BOUND (V <= BOUND) to V's bounds. */
const aval *aval_bounded(walk *w, const aval *v, const dim_poly *bound);

/* ---- names.c ------------------------------------------------------------ */

const dim_poly *names_free_symbol(walk *w, const char *prefix,
                                  const char *name);
shape_origin *names_origin(walk *w, origin_kind kind, sc_loc loc,
                           const char *name);
bool names_can_hold_shape(const ir_type *t);
void names_observe(walk *w, shape_event_kind kind, const ir_decl *d, sc_loc at,
                   shaped value);
/* D's declared shape: its SHAPE, or its array type.  OBJECT is the
   struct a field is in (0 for a variable); DIMS, for a variable's array
   type, the values of its size expressions (NULL: constants only), with
   the notes of where they were set; NAME, how the user wrote what holds
   it ("net->output"), or NULL for the declaration's own name. */
shaped names_declared(walk *w, const ir_decl *d, loc_id object,
                      const aval *const *dims, const char *name);
/* Where the constant N (VALUE, written as a macro or constant name) was
   defined, or NULL. */
const value_note *names_constant_note(walk *w, const ir_node *n, int64_t value);
value_note *names_set_note(walk *w, const char *name, const dim_poly *v,
                           sc_loc loc);
void names_enter_scope(walk *w, const ir_decl *d);

/* ---- expr.c ------------------------------------------------------------- */

value expr_eval(walk *w, const ir_node *n);
place expr_place(walk *w, const ir_node *n);
value place_read(walk *w, const place *p, const ir_node *site);
void place_write(walk *w, const place *p, const aval *v, const ir_node *site);
/* Assigns V (of type FROM) to place P of declared type TO, converting. */
void expr_assign(walk *w, const place *p, value v, const ir_decl *target,
                 const ir_node *site);
void expr_init(walk *w, loc_id loc, const ir_decl *d, const ir_node *init);
/* The pointer value's targets as a place (a deref). */
place expr_deref(walk *w, const aval *ptr, const ir_type *t, bool index0);

/* ---- call_site.c -------------------------------------------------------- */

value call_eval(walk *w, const ir_node *n);

/* ---- libc.c ------------------------------------------------------------- */

typedef enum lib_effect {
    LIB_PURE,     /* changes nothing the program can see */
    LIB_WRITES,   /* writes through its non-const pointer arguments */
    LIB_FILLS,    /* ...and the pointers it writes there are to memory it
                     allocated (glob's gl_pathv, getline's line) */
    LIB_ALLOC,    /* returns fresh memory */
    LIB_NORETURN, /* never returns */
} lib_effect;

/* What the C library function NAME does, or false when it is not one. */
bool libc_model(const char *name, lib_effect *effect);

/* ---- stmt.c ------------------------------------------------------------- */

void stmt_walk(walk *w, const ir_node *n);
/* The state in the branch where COND is TRUTH. */
void stmt_refine(walk *w, const ir_node *cond, bool truth);

/* ---- collect.c ---------------------------------------------------------- */

void collect_init(walk *w);
void collect_escape(walk *w, const aval *ptr);
/* A return of V by N; RECORD: for a struct returned by value, the one
   location it is read from (0: unknown). */
void collect_return(walk *w, const ir_node *n, const value *v, loc_id record);
void collect_exit(walk *w);
void collect_loss(walk *w, const signature *callee, const ir_node *call);
signature *collect_finish(walk *w);

#endif /* SHAPECHECK_WALK_H */
