/*
 * propagate.c - shapes and integer values through one function body, in
 * execution order, and every call of an annotated function checked on the
 * way.
 *
 * The state maps each variable to what is known of it here: an integer
 * value (a canonical polynomial) and a shape with its origin.  Unknown
 * integer values get a fresh symbol at each assignment, so that one
 * variable read twice without an assignment in between is the same
 * dimension, and two different assignments never are.  Branches are
 * analysed from copies of the state and joined (what differs becomes
 * unknown); a loop or switch body first forgets every variable it assigns,
 * and so does its exit.  Nothing is guessed: where the state cannot tell,
 * a dimension is unknown and no finding can come from it.
 */

#include <stdio.h>
#include <string.h>

#include "flow.h"

/* ---- Statements ------------------------------------------------------- */

static void declare_local(pctx *c, const ir_node *n)
{
    const ir_decl *d = n->decl;
    var_state *vs = flow_var_of(c, d);
    if (!vs)
        return;
    if (c->n_scope == c->cap_scope) {
        c->cap_scope = c->cap_scope ? c->cap_scope * 2 : 16;
        const ir_decl **s = arena_array(c->an->arena, c->cap_scope, sizeof *s);
        if (c->n_scope)
            memcpy(s, c->scope, c->n_scope * sizeof *s);
        c->scope = s;
    }
    *vs = (var_state){0};
    shaped decl = flow_declared_shape(c, d, NULL, NULL, n->loc);
    c->scope[c->n_scope++] = d; /* in scope from its own initialiser on */
    eval_result init = {0};
    if (n->n_kids) {
        init = flow_eval(c, n->kids[0]);
        flow_mark_escapes(c, n->kids[0]);
    }
    if (decl.shape) {
        vs->shape = decl, vs->sticky = true;
    }
    flow_observe(c, SHAPE_EVENT_DECLARED, d, d->loc, decl);
    if (d->address_taken && d->type.cls == IR_TYPE_INT)
        return; /* may change behind our back: never known */
    if (n->n_kids || d->type.cls == IR_TYPE_INT)
        flow_assign_var(c, d, &init, d->loc);
    if (n->n_kids && d->type.cls == IR_TYPE_RECORD)
        flow_init_fields(c, d, n->kids[0]);
}

static void walk_return(pctx *c, const ir_node *n)
{
    eval_result e = {0};
    if (n->n_kids)
        e = flow_eval(c, n->kids[0]);
    summary_state *sum = c->sum;
    if (!sum)
        return;
    flow_join_into(c, &sum->exit, !sum->have_exit);
    sum->have_exit = true;
    sum->returned = true;
    if (!n->n_kids || flow_is_null_constant(n->kids[0]) || e.is_null)
        return; /* "return NULL": any shape fits */
    if (!sum->have_ret) {
        sum->ret = e.shape, sum->ret_loc = n->loc, sum->have_ret = true;
    } else if (!(sum->ret.shape && e.shape.shape &&
                 shape_same(sum->ret.shape, e.shape.shape))) {
        sum->ret_varies = true;
    }
}

static void enter_branch(pctx *c, int delta)
{
    if (c->sum)
        c->sum->conditional += (unsigned)delta;
}

/* The pointer variable a null test looks at ("p", "!p", "p == NULL",
   "p != 0"); *NULL_WHEN_TRUE tells which branch sees it null. */
static var_state *null_test(pctx *c, const ir_node *cond, bool *null_when_true)
{
    cond = flow_strip_casts(cond);
    bool negate = false;
    if (cond->kind == IR_UNARY && cond->op == '!' && cond->n_kids == 1) {
        cond = flow_strip_casts(cond->kids[0]);
        negate = true;
    }
    const ir_node *var = cond;
    if (cond->kind == IR_BINARY && cond->n_kids == 2 &&
        (cond->op == IR_OP_EQ || cond->op == IR_OP_NE)) {
        const ir_node *a = flow_strip_casts(cond->kids[0]), *b = cond->kids[1];
        if (flow_is_null_constant(a))
            a = flow_strip_casts(b), b = cond->kids[0];
        if (!flow_is_null_constant(b))
            return NULL;
        var = a;
        negate = negate != (cond->op == IR_OP_NE);
        negate = !negate; /* "p == NULL" is true when null */
    }
    if (var->kind != IR_VAR || var->type.cls != IR_TYPE_POINTER)
        return NULL;
    *null_when_true = negate;
    return flow_var_of(c, var->decl);
}

/* Which variable a null test looks at, as an index that survives the
   state copies of the two branches. */
typedef struct tested_var {
    bool found, param;
    uint32_t index;
} tested_var;

static tested_var tested_var_of(pctx *c, const var_state *vs)
{
    tested_var t = {false, false, 0};
    if (!vs)
        return t;
    t.found = true;
    t.param = vs >= c->st.params && vs < c->st.params + c->f->n_params;
    t.index = (uint32_t)(vs - (t.param ? c->st.params : c->st.locals));
    return t;
}

static void mark_null(pctx *c, tested_var t)
{
    if (t.found)
        (t.param ? c->st.params : c->st.locals)[t.index].is_null = true;
}

static void walk_if(pctx *c, const ir_node *n)
{
    flow_eval(c, n->kids[0]);
    bool null_when_true = false;
    tested_var t = tested_var_of(c, null_test(c, n->kids[0], &null_when_true));
    enter_branch(c, 1);
    state before = flow_state_copy(c, &c->st);
    if (null_when_true)
        mark_null(c, t);
    flow_walk(c, n->n_kids > 1 ? n->kids[1] : NULL);
    state after_then = c->st;
    c->st = before;
    if (!null_when_true)
        mark_null(c, t);
    if (n->n_kids > 2)
        flow_walk(c, n->kids[2]);
    flow_join(c, &after_then);
    flow_state_release(c, &after_then);
    enter_branch(c, -1);
}

/* A loop body may run any number of times, a switch body from any case:
   what they assign is unknown on entry and after. */
static void walk_repeated(pctx *c, const ir_node *n)
{
    flow_havoc(c, n);
    enter_branch(c, 1);
    state entry = flow_state_copy(c, &c->st);
    for (uint32_t i = 0; i < n->n_kids; i++)
        flow_walk(c, n->kids[i]);
    flow_state_release(c, &c->st);
    c->st = entry;
    flow_havoc(c, n);
    enter_branch(c, -1);
}

void flow_walk(pctx *c, const ir_node *n)
{
    if (!n)
        return;
    switch (n->kind) {
    case IR_BLOCK: {
        uint32_t mark = c->n_scope;
        for (uint32_t i = 0; i < n->n_kids; i++)
            flow_walk(c, n->kids[i]);
        c->n_scope = mark;
        return;
    }
    case IR_DECLSTMT:
        declare_local(c, n);
        return;
    case IR_IF:
        walk_if(c, n);
        return;
    case IR_LOOP:
    case IR_SWITCH:
        walk_repeated(c, n);
        return;
    case IR_RETURN:
        walk_return(c, n);
        return;
    case IR_JUMP:
    case IR_NULLSTMT:
        return;
    default:
        flow_eval(c, n);
        return;
    }
}

/* ---- Entry ------------------------------------------------------------ */

typedef struct entry_ctx {
    pctx *c;
    const signature *sig;
} entry_ctx;

/* The function's own SHAPE parameters, in the body's terms: its integer
   parameters' values, its paths, and the body's free symbols by name. */
static const dim_poly *param_subst(void *ud, dim_sym sym)
{
    entry_ctx *e = ud;
    pctx *c = e->c;
    const signature *sig = e->sig;
    for (uint32_t i = 0; i < sig->n_params && i < c->f->n_params; i++)
        if (sig->params[i].is_int && sig->params[i].int_sym == sym)
            return c->st.params[i].value;
    for (uint32_t k = 0; k < sig->n_paths; k++)
        if (sig->paths[k].sym == sym) {
            const ir_decl *p = c->f->params[sig->paths[k].param];
            const char *key = arena_printf(
                c->an->arena, "@%p%s", (const void *)p, sig->paths[k].suffix);
            const char *disp = arena_printf(c->an->arena, "%s%s", p->name,
                                            sig->paths[k].suffix);
            return flow_path_value(c, key, disp)->value;
        }
    return flow_free_symbol(c, NULL, dim_sym_name(c->an->dims, sym));
}

static void enter_params(pctx *c, const signature *sig)
{
    const ir_func *f = c->f;
    for (uint32_t i = 0; i < f->n_params; i++) {
        const ir_decl *p = f->params[i];
        if (p->type.cls != IR_TYPE_INT || p->address_taken)
            continue;
        if (c->sum && i < c->sum->sig->n_params &&
            c->sum->sig->params[i].is_int)
            c->st.params[i].value =
                dim_symbol(c->an->dims, c->sum->sig->params[i].int_sym);
        else
            c->st.params[i].value = flow_fresh(c, p->name[0] ? p->name : "?");
    }
    if (c->sum && sig)
        for (uint32_t k = 0; k < sig->n_paths; k++) {
            const ir_decl *p = f->params[sig->paths[k].param];
            flow_path_set(c,
                          arena_printf(c->an->arena, "@%p%s", (const void *)p,
                                       sig->paths[k].suffix),
                          dim_symbol(c->an->dims, sig->paths[k].sym), NULL);
        }
}

void flow_enter_function(pctx *c, const signature *sig)
{
    const ir_func *f = c->f;
    enter_params(c, sig);
    if (!sig)
        return;
    entry_ctx e = {c, sig};
    for (uint32_t i = 0; i < sig->n_params && i < f->n_params; i++) {
        const sig_param *sp = &sig->params[i];
        if (!sp->shape || sp->via)
            continue;
        shape_origin *o =
            flow_new_origin(c, ORIGIN_PARAM, sp->loc, f->params[i]->name);
        o->written = sp->written;
        const shape *s = c->sum ? sp->shape
                                : shape_substitute(c->an->arena, c->an->dims,
                                                   sp->shape, param_subst, &e);
        c->st.params[i].shape = (shaped){s, o};
        c->st.params[i].sticky = true;
    }
}

void propagate_function(analysis *an, const ir_func *f)
{
    if (!f->body)
        return;
    pctx c = {.an = an, .f = f};
    c.st.locals = arena_array(an->arena, f->n_locals + 1, sizeof *c.st.locals);
    c.st.params = arena_array(an->arena, f->n_params + 1, sizeof *c.st.params);
    strmap_init(&c.free_syms, an->arena);
    flow_enter_function(&c, signature_of(an, f));
    for (uint32_t i = 0; i < f->n_params; i++)
        flow_observe(&c, SHAPE_EVENT_DECLARED, f->params[i], f->params[i]->loc,
                     c.st.params[i].shape);
    flow_walk(&c, f->body);
}
