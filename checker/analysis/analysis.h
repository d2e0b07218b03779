/*
 * analysis.h - the checker's engine on one translation unit's facts:
 * signatures of annotated functions, shapes through function bodies,
 * calls checked against signatures, findings.
 *
 *   analyze_program()               analyze.c    the driver
 *   signature_of()                  signature.c  annotations -> signatures
 *   propagate_function()            propagate.c  shapes and values in a body
 *   call_instantiate()              call.c       one call against a signature
 *   check_*()                       rule_*.c     one rule each
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
    const shape *shape;  /* SHAPE(...) of the parameter, or NULL */
    const char *written; /* "[N, C]" */
    sc_loc loc;          /* the annotation, or the call it was derived from */
    const char *via;     /* derived: the function whose call requires it */
} sig_param;

/* "cfg->batch" in an annotation, where cfg is parameter PARAM. */
typedef struct sig_path {
    uint32_t param;
    const char *suffix; /* "->batch" */
    dim_sym sym;
} sig_path;

/* A summary's effect: on every path, the body leaves PARAM's member at
   SUFFIX holding VALUE ("l->B = B"), in the signature's symbols. */
typedef struct sig_effect {
    uint32_t param;
    const char *suffix;
    const dim_poly *value;
    sc_loc loc;
} sig_effect;

typedef struct signature {
    const char *name;
    uint32_t n_params;
    sig_param *params;
    const shape *returns; /* RETURNS_SHAPE, or NULL */
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
} signature;

/* ---- Observing shapes (editors: hover, inlay hints) -------------------- */

/* What the walk of a function body can tell an observer about one
   variable.  Only the walk of a function itself reports; the walks that
   derive summaries do not (their shapes are in the callee's symbols). */
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

/* Summaries nest at most this deep (a call chain deeper than this is
   "unknown" past it); each derived shape has at most SUMMARY_MAX_RANK
   dims.  Both keep pathological programs cheap. */
#define SUMMARY_MAX_DEPTH 32
#define SUMMARY_MAX_RANK 32

typedef struct analysis {
    ir_tu *const *tus; /* every translation unit of the program */
    uint32_t n_tus;
    arena *arena; /* shapes, origins, signatures */
    dim_ctx *dims;
    diag_list *diags;    /* findings go here */
    strmap funcs_by_key; /* key -> func_group: declarations in every TU */
    strmap consts;       /* "<tu>|name" -> const_value: evaluated so far */
    uint32_t summary_depth;
    const shape_observer *observer; /* NULL: nobody listens (the CLI) */
    strmap external; /* key -> signature read from summary files */
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
} analysis_options;

/* Runs every check on the program made of TUS; findings are appended to
   DIAGS.  Calls in one TU use the signatures and summaries of functions
   declared or defined in any of them (or read from summary files).
   Returns SC_EXIT_TROUBLE (2) when a summary file could not be read or
   written, else 0.  OPTS may be NULL. */
int analyze_program(ir_tu *const *tus, uint32_t n_tus, diag_list *diags,
                    const analysis_options *opts);

/* The signature the program gives KEY: from its declarations and
   definition, else from a summary read; NULL when nothing is known. */
const signature *signature_by_key(analysis *an, const char *key);

/* The signature of F (merged over every declaration with F's key, in every
   TU, and completed by a summary of its body where one is defined), or
   NULL when nothing is known.  Annotation problems are reported (once) as
   shape-annotation findings. */
const signature *signature_of(analysis *an, const ir_func *f);

/* A skeleton signature for F: names and integer-parameter symbols. */
signature *signature_new(analysis *an, const ir_func *f);

/* What F's body requires of its parameters and gives as its result, in
   terms of the symbols of ANNOTATED (or of a new skeleton): a summary.
   NULL when the body says nothing, recursion or SUMMARY_MAX_DEPTH. */
signature *summary_derive(analysis *an, const ir_func *def,
                          const signature *annotated);

/* The integer value of NAME as a macro, enum constant or const global, in
   that order of preference: returns true and sets *value and *loc. */
bool constant_lookup(analysis *an, const ir_tu *tu, const char *name,
                     int64_t *value, sc_loc *loc, const char **how);

/* Walks F's body: shapes and values, calls checked. */
void propagate_function(analysis *an, const ir_func *f);

/* ---- Calls ----------------------------------------------------------- */

/* What the caller knows about one argument. */
typedef struct call_arg {
    const char *text; /* as written */
    sc_loc loc;
    shaped value;               /* its shape, if any */
    const dim_poly *int_value;  /* integer arguments: the value, or NULL */
    const value_note *int_note; /* where that value came from, or NULL */
    /* Member values for the signature's paths ("cfg->batch"), filled by
       the caller for each sig_path whose param is this argument. */
    const dim_poly **path_values;
} call_arg;

typedef enum conflict_kind {
    CONFLICT_RANK,  /* ranks cannot match */
    CONFLICT_DIM,   /* a dim cannot equal the instantiated parameter dim */
    CONFLICT_BOUND, /* a symbol already bound to another size */
} conflict_kind;

typedef struct conflict {
    conflict_kind kind;
    uint32_t arg; /* the argument that does not fit */
    uint32_t dim; /* its dim (CONFLICT_DIM / CONFLICT_BOUND) */
    dim_sym sym;  /* CONFLICT_BOUND: the symbol */
} conflict;

/* Where a symbol got its value at a call. */
typedef struct binding {
    dim_sym sym;
    const dim_poly *value;
    int arg; /* the argument that bound it */
    int dim; /* its dim, or -1 for an integer argument */
} binding;

typedef struct call_result {
    const signature *sig;
    uint32_t n_args;
    const call_arg *args;
    binding *bindings; /* the symbols bound, in binding order */
    uint32_t n_bindings;
    conflict *conflicts;
    uint32_t n_conflicts;
    const shape **expected; /* per argument: the parameter shape with the
                               call's bindings (NULL if no SHAPE) */
    const shape *returns;   /* instantiated RETURNS_SHAPE, or NULL */
    const dim_poly **effect_values; /* sig->effects' values, instantiated */
} call_result;

/* Binds the signature's symbols from the arguments and lists the
   arguments that cannot fit.  Symbols left unbound become fresh symbols of
   the caller in EXPECTED and RETURNS. */
call_result *call_instantiate(analysis *an, const signature *sig,
                              const call_arg *args, uint32_t n_args);

/* The binding of SYM at this call, or NULL. */
const binding *call_binding(const call_result *r, dim_sym sym);

/* The shape argument I is taken to have: its own, or the parameter's. */
const shape *call_arg_shape(const call_result *r, uint32_t i);

/* ---- Rules (one file each) ------------------------------------------- */

/* shape-batch-mismatch: returns true when it reported (the caller then
   leaves the batch dims of logits and labels to it). */
bool check_batch_mismatch(analysis *an, const call_result *r, sc_loc call,
                          const char *callee);
void check_shape_mismatch(analysis *an, const call_result *r, sc_loc call,
                          const char *callee, bool batch_reported);
/* shape-annotation */
void report_annotation(analysis *an, sc_loc loc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* notes.c: the notes that trace an origin (at most a few steps), a value,
   and an argument's shape at a call. */
void note_origin(analysis *an, diag *d, const shape_origin *o);
/* The lines note_origin adds for O, each given to FN with its position
   (texts in AN's arena; FN may see a line twice, as note_origin would
   without its check for duplicates). */
typedef void origin_line_fn(void *ud, sc_loc loc, const char *text);
void origin_lines(analysis *an, const shape_origin *o, origin_line_fn *fn,
                  void *ud);
void note_value(analysis *an, diag *d, const value_note *v);
void note_argument(analysis *an, diag *d, const call_result *r, uint32_t i);
/* Where parameter I's shape comes from: its SHAPE, or the call in the
   function's body that requires it. */
void note_param(analysis *an, diag *d, const signature *sig, uint32_t i);

#endif /* SHAPECHECK_ANALYSIS_H */
