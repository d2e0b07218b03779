/*
 * flow.h - the inside of the flow analysis, shared by its files and by
 * nothing else (analysis.h is the engine's interface):
 *
 *   flow_state.c   what is known at a point: variables, member paths,
 *                  escapes, what calls and loops forget, joins
 *   flow_names.c   names in annotations, declared shapes, value notes
 *   flow_expr.c    expressions, calls checked against signatures
 *   propagate.c    statements, branches and loops; a function's entry
 *   summary.c      what a body requires, returns and writes (summaries)
 */
#ifndef SHAPECHECK_FLOW_H
#define SHAPECHECK_FLOW_H

#include "analysis.h"

/* ---- State ------------------------------------------------------------ */

typedef struct var_state {
    const dim_poly *value;  /* integers: the value here, NULL unknown */
    const value_note *note; /* where a constant value was set */
    shaped shape;
    bool sticky;  /* a declared shape: assignments keep it */
    bool is_null; /* a null pointer here: any shape fits */
    bool escaped; /* its address went to a call or a pointer */
} var_state;

/* A member path such as "cfg->batch", keyed by its root's identity. */
typedef struct path_state {
    const char *key;
    const ir_decl *root; /* the variable the path starts at, or NULL */
    const dim_poly *value;
    const value_note *note;
} path_state;

typedef struct state {
    var_state *locals; /* f->n_locals */
    var_state *params; /* f->n_params */
    path_state *paths;
    uint32_t n_paths, cap_paths;
} state;

/* While deriving a summary: what the body says about its parameters and
   result, collected along the walk. */
typedef struct summary_state {
    signature *sig; /* the summary being built */
    const signature *annotated;
    bool *assigned;       /* per parameter: written somewhere in the body */
    unsigned conditional; /* inside a branch, loop or switch */
    bool returned;        /* a return was walked: later code is conditional */
    bool have_exit;
    state exit; /* join of the states at every return */
    bool have_ret;
    bool ret_varies; /* two returns with different shapes */
    shaped ret;
    sc_loc ret_loc;
} summary_state;

/* One walk of one function body. */
typedef struct pctx {
    analysis *an;
    const ir_func *f;
    state st;
    strmap free_syms;      /* body-wide free symbols: name -> poly */
    const ir_decl **scope; /* locals in scope, innermost last */
    uint32_t n_scope, cap_scope;
    summary_state *sum; /* non-NULL while deriving a summary */
    state *spare;       /* states no walk uses any more (state_release) */
    uint32_t n_spare, cap_spare;
} pctx;

/* What an expression is: an integer value, a shape, or neither. */
typedef struct eval_result {
    const dim_poly *value;
    const value_note *note;
    shaped shape;
    bool is_null; /* a null pointer constant */
} eval_result;

/* ---- Across the files (each commented where it is defined) ------------ */

/* flow_state.c: variables, member paths, escapes, joins */
var_state *flow_var_of(pctx *c, const ir_decl *d);
const dim_poly *flow_fresh(pctx *c, const char *name);
state flow_state_copy(pctx *c, const state *s);
void flow_state_release(pctx *c, const state *s);
const ir_node *flow_strip_casts(const ir_node *n);
bool flow_is_null_constant(const ir_node *n);
const char *flow_path_key(pctx *c, const ir_node *n, const char **display);
path_state *flow_path_set(pctx *c, const char *key, const dim_poly *v,
                          const value_note *note);
const path_state *flow_path_value(pctx *c, const char *key,
                                  const char *display);
void flow_paths_forget(pctx *c, const char *root);
void flow_mark_escapes(pctx *c, const ir_node *e);
void flow_mark_argument_escapes(pctx *c, const ir_node *call);
void flow_call_effects(pctx *c, const ir_node *n);
void flow_havoc(pctx *c, const ir_node *n);
void flow_join(pctx *c, const state *other);
void flow_join_into(pctx *c, state *into, bool first);

/* flow_names.c: names in annotations, declared shapes, notes */
const dim_poly *flow_free_symbol(pctx *c, const char *prefix, const char *name);
shape_origin *flow_new_origin(pctx *c, origin_kind kind, sc_loc loc,
                              const char *name);
bool flow_can_hold_shape(const ir_type *t);
void flow_observe(pctx *c, shape_event_kind kind, const ir_decl *d, sc_loc at,
                  shaped value);
shaped flow_declared_shape(pctx *c, const ir_decl *d, const char *object_key,
                           const char *object_display, sc_loc use);
const value_note *flow_constant_note(pctx *c, const char *text);
const value_note *flow_new_note(pctx *c, const char *name, const dim_poly *v,
                                sc_loc loc);

/* flow_expr.c: expressions and calls */
void flow_assign_var(pctx *c, const ir_decl *d, const eval_result *v,
                     sc_loc loc);
void flow_store_through_pointer(pctx *c, const ir_node *target);
eval_result flow_eval(pctx *c, const ir_node *n);
void flow_init_fields(pctx *c, const ir_decl *d, const ir_node *init);

/* summary.c: summaries */
void flow_summary_note_loss(pctx *c, const signature *callee,
                            const ir_node *call);
void flow_summary_add_path(pctx *c, const char *key, const dim_poly *value);

/* propagate.c: statements */
void flow_walk(pctx *c, const ir_node *n);
void flow_enter_function(pctx *c, const signature *sig);

#endif /* SHAPECHECK_FLOW_H */
