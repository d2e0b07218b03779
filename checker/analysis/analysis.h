/*
 * analysis.h - the shape model of a whole program: signatures (what
 * functions promise and need), calls checked against them, and the state
 * one analysis shares.  The flow analysis of function bodies (engine/)
 * fills it; the rules (rules/) read it.
 *
 *   signature_of(), annotated sigs   signature.c  annotations -> signatures
 *   call_instantiate()               call.c       one call: views, extents
 *   summary_*()                      summary_io.c signatures on disk
 *   shape_*()                        shape.c      shapes and their stories
 *
 * Nothing here knows libclang: the input is ir.h.
 */
#ifndef SHAPECHECK_ANALYSIS_H
#define SHAPECHECK_ANALYSIS_H

#include <stdio.h>

#include "diag.h"
#include "dim.h"
#include "ir.h"
#include "shape.h"
#include "strmap.h"

/* ---- Signatures ------------------------------------------------------ */

typedef struct sig_param {
    const char *name;
    bool is_int; /* an integer parameter: int_sym stands for it */
    dim_sym int_sym;
    const shape *shape;  /* SHAPE(...) of the parameter, or NULL: the view */
    const char *written; /* "[N, C]" */
    sc_loc loc;          /* the annotation, or the call it was derived from */
    const char *via;     /* derived: the function whose call requires it */
    /* Summaries: the function may keep a copy of this pointer (store it
       where it outlives the call), so what it points to can change at
       any later call. */
    bool escapes;
} sig_param;

/* "cfg->batch" in an annotation, where cfg is parameter PARAM; or, in a
   summary, what a static local holds at entry (PARAM is SIG_PATH_STATIC,
   STATIC_KEY the variable's, as sig_write's): its callers in the unit
   bind it to what they know the variable holds. */
typedef struct sig_path {
    uint32_t param;
    const char *suffix; /* "->batch"; for a static local "" or ".batch" */
    dim_sym sym;
    const char *static_key;
} sig_path;

#define SIG_PATH_STATIC UINT32_MAX

/* A summary's effect: on every path, the body leaves PARAM's member at
   SUFFIX holding VALUE ("l->B = B"), in the signature's symbols; or, when
   GLOBAL is set, that global (its key, as sig_write's) at SUFFIX ("" or
   ".cfg.batch"; PARAM unused). */
typedef struct sig_effect {
    uint32_t param;
    const char *suffix;
    const dim_poly *value;
    sc_loc loc;
    const value_note *note; /* where the body got the value, or NULL */
    /* A pointer member that holds memory the call allocated (or null) on
       every path: VALUE is NULL.  The caller's object stays bounded. */
    bool fresh;
    bool kept; /* fresh, or on some path what it held at entry */
    const char *global;
} sig_effect;

/* A summary's write (mod): on some path the body may change the memory
   at SUFFIX below what parameter PARAM points to ("->B", "->cfg.batch";
   "" the whole object and all it reaches), or the global GLOBAL (PARAM
   -1; its key: the name, "name@file" for a static one, and
   "name@file:line:col" for a static local, which only callers in its own
   unit can name). */
typedef struct sig_write {
    int param;
    const char *global;
    const char *suffix;
} sig_write;

typedef struct signature {
    const char *name;
    uint32_t n_params;
    sig_param *params;
    const shape *returns; /* RETURNS_SHAPE, or NULL: the result's extent */
    const char *returns_written;
    sc_loc returns_loc;
    int loss_logits, loss_labels; /* SHAPE_LOSS parameter indices, or -1 */
    sc_loc loss_loc;
    const char *loss_via; /* derived loss: the loss its body calls */
    sig_path *paths;
    uint32_t n_paths;
    dim_sym *free_syms; /* free symbols, bound afresh at each call */
    uint32_t n_free;
    sig_effect *effects; /* member writes the caller can rely on */
    uint32_t n_effects;
    bool derived;            /* some of it comes from the body (a summary) */
    const char *returns_via; /* derived result: the function it came from */
    /* Derived results: what the body saw the result hold (a call wrote or
       read it as that shape), shown in notes, never checked against; and
       RETURNS may then be NULL or a flat allocation. */
    const shape *returns_seen;
    const char *returns_seen_written;
    /* What a call may change.  Without a summary (SUMMARISED false) a
       call may change anything its arguments reach and every global;
       with one, only WRITES, unless WRITES_ANY (it calls code nobody can
       see). */
    /* An integer result, in the signature's symbols: its value on every
       path, or NULL; and what it is at most ("return a < b ? a : b" is at
       most a and at most b). */
    const dim_poly *returns_int;
    const dim_poly **returns_int_bounds;
    uint32_t n_returns_int_bounds;
    /* The result is memory the call allocated (RETURNS_FRESH), or a
       struct returned by value; RESULT_EFFECTS are the members it holds
       on every path (suffix ".batch" of the result; param unused), as
       "n->batch = b; return n;" leaves them. */
    bool returns_fresh;
    /* With RETURNS_FRESH: the bytes every return's memory was allocated
       with ("malloc(size)" in an allocation wrapper), or NULL. */
    const dim_poly *returns_bytes;
    sig_effect *result_effects;
    uint32_t n_result_effects;
    bool summarised;
    bool writes_any;
    sig_write *writes;
    uint32_t n_writes;
    bool no_return; /* never returns (exit, abort) */
    /* What the summary says of memory its pointer parameters reach held
       only if code nobody can see, which the body calls, could not reach
       that memory (docs/memory-model.md): a caller whose arguments others
       can reach uses the annotations only. */
    bool assumes_private;
    /* ...of the memory of these parameters (bit i; parameters past 63 and
       a summary that does not say: all of them). */
    uint64_t private_params;
} signature;

/* ---- Observing shapes (editors: hover, inlay hints) -------------------- */

/* What the walk of a function body can tell an observer about one
   variable.  Only the final walk of a body reports (not the iterations of
   a loop's fixpoint). */
typedef enum shape_event_kind {
    /* A local or parameter is declared: VALUE is its written shape (SHAPE
       or an array type), or none. */
    SHAPE_EVENT_DECLARED,
    /* It takes a shape: initialised or assigned from a shaped value, or
       passed to a SHAPE parameter of a call. */
    SHAPE_EVENT_TAKEN,
    /* A variable that can hold a shape is read: VALUE is its shape there,
       or none. */
    SHAPE_EVENT_USED,
} shape_event_kind;

typedef struct analysis analysis;

typedef struct shape_event {
    shape_event_kind kind;
    const ir_decl *decl; /* the variable (USED: a global too) */
    const ir_func *func; /* the function being walked */
    sc_loc at;           /* its name, the assignment or argument, the use */
    shaped value;        /* value.shape NULL: no known shape */
} shape_event;

/* Called for each event, in walk order.  The event and everything it
   points to live only as long as the analysis: copy what is kept. */
typedef struct shape_observer {
    void (*fn)(void *ud, analysis *an, const shape_event *e);
    void *ud;
} shape_observer;

/* ---- Whole-program state ---------------------------------------------- */

/* Each derived shape has at most SUMMARY_MAX_RANK dims; summaries keep at
   most SUMMARY_MAX_WRITES writes (more: "writes anything").  Both keep
   pathological programs cheap (docs/summaries.md). */
#define SUMMARY_MAX_RANK 32
#define SUMMARY_MAX_WRITES 64

/* The work one analysis may do (docs/limits.md): steps of the flow
   analysis per function and per run.  Past a budget the function's
   result is "unknown" (no findings after that point, no summary): never
   a guess. */
#define WORK_BUDGET_FUNCTION 2000000u
#define WORK_BUDGET_RUN 100000000u
/* ... and the memory one walk may hold (its states, values, symbols). */
#define WORK_BUDGET_MEMORY ((size_t)512 << 20)

typedef struct analysis {
    ir_tu *const *tus; /* every translation unit of the program */
    uint32_t n_tus;
    arena *arena; /* shapes, origins, signatures */
    dim_ctx *dims;
    diag_list *diags;    /* findings go here */
    strmap funcs_by_key; /* key -> func_group: declarations in every TU */
    strmap consts;       /* "<tu>|name" -> const_value: evaluated so far */
    const shape_observer *observer; /* NULL: nobody listens (the CLI) */
    strmap external; /* key -> signature read from summary files */
    uint64_t work;   /* steps done in this run (WORK_BUDGET_RUN) */
    FILE *verbose;   /* -v notes (budgets exceeded), or NULL */
    /* The program's main was found and the functions that run only
       after it has started are marked (engine/context.c). */
    bool entry_marked;
    /* The sealed globals of main's unit (engine/context.c): static
       integers whose address is never taken and that only bodies run
       after main has started write; code nobody can see leaves them
       alone. */
    const struct ir_decl **sealed_globals;
    uint32_t n_sealed_globals;
    /* Per symbol: a fresh one a call made for an unbound free symbol of
       its callee (an exact size, analysis/call.c), or 0. */
    uint8_t *exact_syms;
    uint32_t cap_exact_syms;
    arena *scratch; /* one walk's memory, reset after each (engine/) */
} analysis;

typedef struct analysis_options {
    /* If not NULL, told the shapes of variables as bodies are walked. */
    const shape_observer *observer;
    /* Summary files of functions defined elsewhere (summary_io.h). */
    const char *const *read_summaries;
    size_t n_read_summaries;
    /* If not NULL, one summary file per TU is written in this folder. */
    const char *write_summaries_dir;
    FILE *messages; /* problems with summary files */
    FILE *verbose;  /* -v: functions past the work budget */
    /* If not NULL, the findings of TU t go to per_tu[t] instead of DIAGS
       (the cache keeps them per file). */
    diag_list *per_tu;
    /* If not NULL, called once the program is analysed, before the
       analysis is freed (the cache reads summaries out of it then). */
    void (*finished)(void *ud, analysis *an);
    void *finished_ud;
    /* Summary texts (summary_io.h) of functions defined in files that were
       not parsed this time (the cache's hits), as if read from files. */
    const char *const *summary_texts;
    size_t n_summary_texts;
    /* Walk only the bodies whose walk can matter (engine/demand.c), and
       those of ROOTS (keys: functions a summary read here used).  For
       runs that report findings only: not with an observer, summary
       files or a cache, which publish every signature. */
    bool walk_on_demand;
    const char *const *roots;
    size_t n_roots;
    /* If not NULL, counts added here: function bodies (groups with one)
       and how many were walked (--stats). */
    struct analysis_counts {
        uint32_t bodies, walked;
    } * counts;
    /* One flag per TU, or NULL.  When a body the run needs was left
       unconverted by the front end (ir_func.body_deferred), its TU's flag
       is set and nothing is walked or reported (no FINISHED call): the
       caller converts those units in full and analyses again. */
    bool *needs_full;
} analysis_options;

/* Runs every check on the program made of TUS; findings are appended to
   DIAGS.  Calls in one TU use the signatures and summaries of functions
   declared or defined in any of them (or read from summary files).
   Returns SC_EXIT_TROUBLE (2) when a summary file could not be read or
   written, else 0.  OPTS may be NULL.  (engine/program.c) */
int analyze_program(ir_tu *const *tus, uint32_t n_tus, diag_list *diags,
                    const analysis_options *opts);

/* ---- Signatures (signature.c) ------------------------------------------ */

/* The declarations of one function in every TU, and its signature. */
typedef struct func_group {
    const char *key;
    const ir_func **decls;
    uint32_t n, cap;
    const signature *annotated; /* what its annotations say, or NULL */
    const signature *sig;       /* what callers use; NULL: nothing known */
    /* The call graph (engine/program.c): bottom-up order. */
    uint32_t index, low;
    bool on_stack, visited;
    /* Demand (engine/demand.c): whether a call of it can be checked (its
       signature, or a body it calls, gives a parameter a shape), whether
       a walk that matters calls it, and whether its body was walked. */
    bool shaped, needed, walked;
    struct func_group **callees; /* of its bodies, once it is needed */
    uint32_t n_callees, cap_callees;
    /* Program entry (engine/context.c): the function runs only after
       main has started; it runs only through one call, in a body that
       does too (or main's), and what that call knows of its entry. */
    bool after_main, through_one_call;
    uint32_t n_call_sites;
    struct func_group *sole_caller;
    struct entry_context *entry;
} func_group;

/* Groups every function declaration of every TU by key (an->funcs_by_key),
   so that a call in one file sees the annotations and the definition of
   another. */
void signatures_group(analysis *an);

/* Gives G its annotated signature (annotation problems are reported to
   an->diags) and, when the program does not define it, what a summary
   file says.  A summary of the body is merged later (signature_merge). */
void func_group_annotate(analysis *an, func_group *g);

/* The group of F's key, or NULL. */
func_group *func_group_of(analysis *an, const ir_func *f);

/* The definition with a body among G's declarations, or NULL. */
const ir_func *func_group_definition(const func_group *g);

/* The signature the program gives KEY: from its declarations and
   definition, else from a summary read; NULL when nothing is known. */
const signature *signature_by_key(analysis *an, const char *key);

/* The signature of F's key, as signature_by_key. */
const signature *signature_of(analysis *an, const ir_func *f);

/* A skeleton signature for F: names and integer-parameter symbols. */
signature *signature_new(analysis *an, const ir_func *f);

/* What the annotations say, completed by what DERIVED (a summary of the
   body, or one read from a file) says where the annotations are silent. */
const signature *signature_merge(analysis *an, const signature *annotated,
                                 const signature *derived);

/* The integer value of NAME as a macro, enum constant or const global, in
   that order of preference: returns true and sets *value and *loc.  ANN,
   when not NULL, is the annotation NAME is written in: its macros in
   force come first (SPEC 3). */
bool constant_lookup(analysis *an, const ir_tu *tu, const ir_annotation *ann,
                     const char *name, int64_t *value, sc_loc *loc,
                     const char **how);

/* Reports an annotation that does not parse, names a missing parameter,
   sits where no shape can be or contradicts another declaration: every
   rule with an on_annotation hook sees it (rules.h). */
void annotation_problem(analysis *an, sc_loc loc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* ---- Calls (call.c) --------------------------------------------------- */

/* What the caller knows about one argument (SPEC 4: extents and views). */
typedef struct call_arg {
    const char *text; /* as written */
    sc_loc loc, end;
    /* The extent: what the buffer holds, from declared facts (SHAPE, an
       array type, RETURNS_SHAPE); shape NULL when not known. */
    shaped extent;
    bool exact;      /* a tensor object's own shape: read whole, no prefix */
    shaped observed; /* what it was seen to hold (notes, never errors) */
    bool is_null;    /* a null pointer: fits any shape */
    const dim_poly *int_value;  /* integer arguments: the value, or NULL */
    const value_note *int_note; /* where that value came from, or NULL */
    /* Proven upper bounds of the integer value ("n = a < b ? a : b" is at
       most a and at most b): an explicit clamp. */
    const dim_poly *const *int_bounds;
    uint32_t n_int_bounds;
    /* Member values for the signature's paths ("cfg->batch"), filled by
       the caller for each sig_path whose param is this argument. */
    const dim_poly **path_values;
} call_arg;

typedef enum conflict_kind {
    CONFLICT_ROWS,  /* the view reads more first-dim rows than the extent
                       holds (a prefix is fine) */
    CONFLICT_COUNT, /* ranks differ: the view reads more elements than the
                       extent holds (or, exact, a different number) */
    CONFLICT_DIM,   /* an inner (or exact) dim cannot equal the view's */
    CONFLICT_BOUND, /* a symbol already bound to another size */
} conflict_kind;

typedef struct conflict {
    conflict_kind kind;
    uint32_t arg; /* the argument that does not fit */
    uint32_t dim; /* its dim (ROWS, DIM, BOUND) */
    dim_sym sym;  /* CONFLICT_BOUND: the symbol */
} conflict;

/* Where a symbol got its value at a call. */
typedef struct binding {
    dim_sym sym;
    const dim_poly *value;
    int arg; /* the argument that bound it; -1: a static local (sig_path) */
    int dim; /* its dim, or -1 for an integer argument or a path */
} binding;

typedef struct call_result {
    const signature *sig;
    uint32_t n_args;
    const call_arg *args;
    binding *bindings; /* the symbols bound, in binding order */
    uint32_t n_bindings;
    conflict *conflicts;
    uint32_t n_conflicts;
    /* Per argument: the view, the parameter's SHAPE with the call's
       bindings (NULL if no SHAPE), and whether its first dim is a count
       the caller passes (an integer parameter, a path or a constant: the
       callee reads a prefix) rather than exact. */
    const shape **views;
    bool *prefix;
    bool *aligned; /* the extent's dims pair with the view's (not a reshape) */
    const shape *returns;          /* instantiated RETURNS_SHAPE, or NULL */
    const shape *returns_seen;     /* instantiated sig->returns_seen, or NULL */
    const dim_poly *returns_int;   /* instantiated, or NULL */
    const dim_poly *returns_bytes; /* instantiated, or NULL */
    const dim_poly **returns_int_bounds;
    const dim_poly **effect_values; /* sig->effects' values, instantiated */
    const dim_poly **result_effect_values; /* sig->result_effects' */
} call_result;

/* Binds the signature's symbols from the arguments and lists the
   arguments that cannot fit (SPEC 4).  Symbols left unbound become fresh
   symbols of the caller in the views and RETURNS.  STATIC_VALUES (NULL:
   none) gives, per sig->paths entry, the caller's value of a static
   local's path, or NULL. */
call_result *call_instantiate(analysis *an, const signature *sig,
                              const call_arg *args, uint32_t n_args,
                              const dim_poly *const *static_values);

/* Whether SYM stands, in a caller, for an unbound free symbol of a
   callee: a size only buffers carry, which a summary passes on as a free
   symbol of its own (exact, not a count). */
bool call_symbol_exact(const analysis *an, dim_sym sym);

/* The binding of SYM at this call, or NULL. */
const binding *call_binding(const call_result *r, dim_sym sym);

/* The shape argument I is shown with: its extent, else what it was seen
   to hold, else its view. */
const shape *call_arg_shape(const call_result *r, uint32_t i);

/* One checked call, as the rules see it (rules.h: on_call). */
typedef struct call_check {
    const call_result *r;
    const char *callee;
    sc_loc loc, end; /* the call expression */
    /* Per conflict: already reported by an earlier rule of the table
       (one problem, one finding). */
    bool *claimed;
} call_check;

#endif /* SHAPECHECK_ANALYSIS_H */
