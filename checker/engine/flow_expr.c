/*
 * flow_expr.c - expressions: integer values and shapes through
 * assignments, casts, addresses and calls; every call of a function with a
 * signature is checked by the rules here.
 */

#include <stdio.h>
#include <string.h>

#include "flow.h"

/* ---- Expressions ------------------------------------------------------ */

static eval_result eval_var(pctx *c, const ir_node *n)
{
    eval_result r = {0};
    const ir_decl *d = n->decl;
    if (!d)
        return r;
    if (d->has_value) {
        r.value = dim_const(c->an->dims, d->value);
        value_note *note = arena_alloc(c->an->arena, sizeof *note);
        *note = (value_note){
            d->name, arena_printf(c->an->arena, "%lld", (long long)d->value),
            d->loc, "declared as"};
        r.note = note;
        return r;
    }
    var_state *vs = flow_var_of(c, d);
    if (vs) {
        r.value = vs->value, r.note = vs->note, r.shape = vs->shape;
        r.is_null = vs->is_null;
    } else if (d->kind == IR_DECL_GLOBAL) {
        r.shape = flow_declared_shape(c, d, NULL, NULL, n->loc);
    }
    if (flow_can_hold_shape(&d->type))
        flow_observe(c, SHAPE_EVENT_USED, d, n->loc, r.shape);
    return r;
}

static eval_result eval_member(pctx *c, const ir_node *n)
{
    eval_result r = {0};
    flow_eval(c, n->kids[0]);
    const char *display, *key = flow_path_key(c, n, &display);
    if (!n->decl)
        return r;
    if (key && n->decl->type.cls == IR_TYPE_INT) {
        const path_state *p = flow_path_value(c, key, display);
        r.value = p->value, r.note = p->note;
    }
    const ir_node *base = flow_strip_casts(n->kids[0]);
    const char *sep = n->arrow ? "->" : ".";
    if (n->arrow && base->kind == IR_ADDR && base->n_kids == 1)
        base = flow_strip_casts(base->kids[0]), sep = ".";
    const char *bdisp = NULL, *bkey = flow_path_key(c, base, &bdisp);
    if (!bkey) { /* no stable object: its sibling fields are unknown */
        bkey = arena_printf(c->an->arena, "#%p", (const void *)n);
        bdisp = base->text;
    }
    r.shape = flow_declared_shape(
        c, n->decl, arena_printf(c->an->arena, "%s%s", bkey, sep),
        arena_printf(c->an->arena, "%s%s", bdisp, sep), n->loc);
    return r;
}

/* &a[0][0] of an array and &t of a tensor keep the shape. */
static eval_result eval_addr(pctx *c, const ir_node *n)
{
    const ir_node *e = flow_strip_casts(n->kids[0]);
    uint32_t zeros = 0;
    while (e && e->kind == IR_INDEX && e->n_kids == 2 &&
           flow_strip_casts(e->kids[1])->kind == IR_INT &&
           flow_strip_casts(e->kids[1])->value == 0) {
        e = flow_strip_casts(e->kids[0]);
        zeros++;
    }
    eval_result r = flow_eval(c, e);
    eval_result none = {0};
    if (!r.shape.shape)
        return none;
    if (zeros == 0 && e->type.cls != IR_TYPE_RECORD)
        return none;
    if (zeros > r.shape.shape->rank || e->type.cls == IR_TYPE_POINTER)
        return none;
    r.value = NULL;
    return r;
}

void flow_assign_var(pctx *c, const ir_decl *d, const eval_result *v,
                     sc_loc loc)
{
    var_state *vs = flow_var_of(c, d);
    char key[48];
    snprintf(key, sizeof key, "@%p", (const void *)d);
    flow_paths_forget(c, key);
    if (!vs)
        return;
    if (d->type.cls == IR_TYPE_INT) {
        vs->value = v->value ? v->value : flow_fresh(c, d->name);
        vs->note = v->value ? flow_new_note(c, d->name, v->value, loc) : NULL;
        return;
    }
    if (vs->sticky)
        return;
    vs->shape = (shaped){NULL, NULL};
    vs->is_null = v->is_null;
    if (v->shape.shape) {
        const shape_origin *from = v->shape.origin;
        /* "x = f(...)": the story is f's result, one note, not two. */
        bool direct_call =
            from && from->kind == ORIGIN_RETURNED && from->loc.line == loc.line;
        shape_origin *o = flow_new_origin(c, ORIGIN_ASSIGNED, loc, d->name);
        if (direct_call) {
            *o = *from;
            o->name = d->name, o->loc = loc;
        } else {
            o->written =
                shape_format(c->an->arena, c->an->dims, v->shape.shape);
            o->from = from;
        }
        vs->shape = (shaped){v->shape.shape, o};
        flow_observe(c, SHAPE_EVENT_TAKEN, d, loc, vs->shape);
    }
}

/* A OP B for the arithmetic the dimension language has; NULL otherwise
   (shifts, bitwise operators: unknown). */
static const dim_poly *arith(dim_ctx *D, int op, const dim_poly *a,
                             const dim_poly *b)
{
    switch (op) {
    case '+':
        return dim_add(D, a, b);
    case '-':
        return dim_sub(D, a, b);
    case '*':
        return dim_mul(D, a, b);
    case '/':
        return dim_div(D, a, b);
    case '%':
        return dim_mod(D, a, b);
    default:
        return NULL;
    }
}

/* "p[i] = x", "*q = y": only an integer (or whole-struct) store can change
   an integer member, C's aliasing rules say; a float store cannot. */
void flow_store_through_pointer(pctx *c, const ir_node *target)
{
    ir_type_class t = target->type.cls;
    if (t == IR_TYPE_INT || t == IR_TYPE_RECORD || t == IR_TYPE_OTHER)
        flow_paths_forget(c, NULL);
}

static eval_result eval_assign(pctx *c, const ir_node *n)
{
    eval_result rhs = flow_eval(c, n->kids[1]);
    flow_mark_escapes(c, n->kids[1]); /* "p = &cfg": cfg may change through p */
    const ir_node *lhs = flow_strip_casts(n->kids[0]);
    eval_result cur = flow_eval(c, lhs);
    if (n->op != '=') { /* compound: x op= e */
        const dim_poly *v = arith(c->an->dims, n->op, cur.value, rhs.value);
        rhs = (eval_result){v, NULL, {NULL, NULL}, false};
    }
    if (lhs->kind == IR_VAR) {
        flow_assign_var(c, lhs->decl, &rhs, n->loc);
    } else {
        const char *display, *key = flow_path_key(c, lhs, &display);
        if (key) {
            flow_paths_forget(c, key);
            if (lhs->decl && lhs->decl->type.cls == IR_TYPE_INT)
                flow_path_set(
                    c, key, rhs.value ? rhs.value : flow_fresh(c, display),
                    rhs.value ? flow_new_note(c, display, rhs.value, n->loc)
                              : NULL);
        } else {
            flow_store_through_pointer(c, lhs);
        }
    }
    rhs.note = NULL;
    return rhs;
}

static eval_result eval_incdec(pctx *c, const ir_node *n)
{
    const ir_node *lhs = flow_strip_casts(n->kids[0]);
    eval_result cur = flow_eval(c, lhs);
    int delta = n->op == IR_OP_PREINC || n->op == IR_OP_POSTINC ? 1 : -1;
    eval_result next = {
        dim_add(c->an->dims, cur.value, dim_const(c->an->dims, delta)),
        NULL,
        {NULL, NULL},
        false};
    if (lhs->kind == IR_VAR)
        flow_assign_var(c, lhs->decl, &next, n->loc);
    else
        flow_paths_forget(c, NULL);
    eval_result none = {0};
    return none;
}

static eval_result eval_binary(pctx *c, const ir_node *n)
{
    eval_result a = flow_eval(c, n->kids[0]), b = flow_eval(c, n->kids[1]);
    eval_result r = {0};
    r.value = arith(c->an->dims, n->op, a.value, b.value);
    if (n->type.cls != IR_TYPE_INT)
        r.value = NULL; /* pointer arithmetic: no shape, no value */
    return r;
}

/* The path key of member SUFFIX ("->batch") of the object argument ARG
   points to ("cfg" or "&cfg"); NULL when the argument is no stable path. */
static const char *arg_path_key(pctx *c, const ir_node *arg, const char *suffix,
                                const char **display)
{
    const char *key = flow_path_key(c, arg, display);
    arg = flow_strip_casts(arg);
    if (!key && arg->kind == IR_ADDR && arg->n_kids == 1) {
        key = flow_path_key(c, arg->kids[0], display);
        if (key && strncmp(suffix, "->", 2) == 0) /* (&x)->f is x.f */
            suffix = arena_printf(c->an->arena, ".%s", suffix + 2);
    }
    if (!key)
        return NULL;
    *display = arena_printf(c->an->arena, "%s%s", *display, suffix);
    return arena_printf(c->an->arena, "%s%s", key, suffix);
}

static void fill_path_values(pctx *c, const signature *sig, const ir_node *n,
                             call_arg *args, uint32_t n_args)
{
    for (uint32_t k = 0; k < sig->n_paths; k++) {
        uint32_t p = sig->paths[k].param;
        const char *display,
            *key = p < n_args ? arg_path_key(c, n->kids[1 + p],
                                             sig->paths[k].suffix, &display)
                              : NULL;
        if (!key)
            continue;
        if (!args[p].path_values)
            args[p].path_values = arena_array(c->an->arena, sig->n_paths,
                                              sizeof *args[p].path_values);
        args[p].path_values[k] = flow_path_value(c, key, display)->value;
    }
}

/* What the callee is known to leave in its arguments' members. */
static void apply_effects(pctx *c, const call_result *r, const ir_node *n)
{
    const signature *sig = r->sig;
    for (uint32_t k = 0; k < sig->n_effects; k++) {
        const sig_effect *e = &sig->effects[k];
        const char *display, *key = e->param < r->n_args
                                        ? arg_path_key(c, n->kids[1 + e->param],
                                                       e->suffix, &display)
                                        : NULL;
        const dim_poly *v = r->effect_values[k];
        if (key && v)
            flow_path_set(c, key, v, flow_new_note(c, display, v, n->loc));
    }
}

/* A pointer variable with no shape of its own takes the parameter's. */
static void infer_arguments(pctx *c, const call_result *r, const ir_node *n,
                            const char *callee)
{
    for (uint32_t i = 0; i < r->n_args; i++) {
        const ir_node *arg = flow_strip_casts(n->kids[1 + i]);
        if (r->args[i].value.shape || !r->expected[i] || arg->kind != IR_VAR)
            continue;
        var_state *vs = flow_var_of(c, arg->decl);
        if (!vs || vs->sticky || arg->decl->type.cls == IR_TYPE_INT)
            continue;
        shape_origin *o =
            flow_new_origin(c, ORIGIN_INFERRED, n->loc, arg->decl->name);
        o->written = shape_format(c->an->arena, c->an->dims, r->expected[i]);
        o->callee = callee;
        vs->shape = (shaped){r->expected[i], o};
        flow_observe(c, SHAPE_EVENT_TAKEN, arg->decl, arg->loc, vs->shape);
    }
}

/* The story of a call's result: the call, the values that sized it, and
   for a summarised function the return it comes from. */
static shape_origin *returned_origin(pctx *c, const call_result *r,
                                     const ir_node *n, const char *callee)
{
    shape_origin *o = flow_new_origin(c, ORIGIN_RETURNED, n->loc, n->text);
    o->written = shape_format(c->an->arena, c->an->dims, r->returns);
    o->callee = callee;
    for (uint32_t k = 0; k < r->n_bindings && o->n_values < ORIGIN_MAX_VALUES;
         k++) {
        const binding *b = &r->bindings[k];
        const value_note *v = b->dim < 0 ? r->args[b->arg].int_note : NULL;
        if (v && v->loc.file)
            o->values[o->n_values++] = *v;
    }
    const signature *sig = r->sig;
    if (sig->derived && sig->returns_loc.file) {
        shape_origin *inner = flow_new_origin(c, ORIGIN_CALLEE_RETURN,
                                              sig->returns_loc, sig->name);
        inner->written = sig->returns_written;
        inner->callee = sig->returns_via;
        o->from = inner;
    }
    return o;
}

static eval_result eval_call(pctx *c, const ir_node *n)
{
    eval_result none = {0};
    uint32_t n_args = n->n_kids ? n->n_kids - 1 : 0;
    call_arg *args = arena_array(c->an->arena, n_args + 1, sizeof *args);
    for (uint32_t i = 0; i < n_args; i++) {
        eval_result e = flow_eval(c, n->kids[1 + i]);
        args[i] = (call_arg){n->kids[1 + i]->text,
                             n->kids[1 + i]->loc,
                             e.shape,
                             e.value,
                             e.note,
                             NULL};
    }
    flow_mark_argument_escapes(c, n);
    const signature *sig = n->callee ? signature_of(c->an, n->callee) : NULL;
    if (!sig) {
        flow_call_effects(c, n);
        return none;
    }
    fill_path_values(c, sig, n, args, n_args);
    const char *callee = n->callee->name;
    call_result *r = call_instantiate(c->an, sig, args, n_args);
    if (c->sum)
        flow_summary_note_loss(c, sig, n);
    bool batch = check_batch_mismatch(c->an, r, n->loc, callee);
    check_shape_mismatch(c->an, r, n->loc, callee, batch);
    flow_call_effects(c, n);
    apply_effects(c, r, n);
    infer_arguments(c, r, n, callee);
    if (r->returns)
        none.shape = (shaped){r->returns, returned_origin(c, r, n, callee)};
    return none;
}

static eval_result eval_cond(pctx *c, const ir_node *n)
{
    flow_eval(c, n->kids[0]);
    eval_result a = flow_eval(c, n->kids[1]), b = flow_eval(c, n->kids[2]);
    eval_result r = {0};
    if (a.value == b.value)
        r.value = a.value;
    /* "p ? f(p) : NULL": a null branch fits any shape. */
    if (flow_is_null_constant(n->kids[2]) || b.is_null)
        b.shape = a.shape;
    if (flow_is_null_constant(n->kids[1]) || a.is_null)
        a.shape = b.shape;
    if (a.shape.shape && b.shape.shape &&
        shape_same(a.shape.shape, b.shape.shape))
        r.shape = a.shape;
    return r;
}

eval_result flow_eval(pctx *c, const ir_node *n)
{
    eval_result r = {0};
    if (!n)
        return r;
    switch (n->kind) {
    case IR_INT:
        r.value = dim_const(c->an->dims, n->value);
        r.note = flow_constant_note(c, n->text);
        return r;
    case IR_VAR:
        return eval_var(c, n);
    case IR_MEMBER:
        return eval_member(c, n);
    case IR_CALL:
        return eval_call(c, n);
    case IR_ADDR:
        return eval_addr(c, n);
    case IR_CAST:
        return n->n_kids ? flow_eval(c, n->kids[0]) : r;
    case IR_ASSIGN:
        return eval_assign(c, n);
    case IR_BINARY:
        return eval_binary(c, n);
    case IR_COND:
        return eval_cond(c, n);
    case IR_UNARY:
        if (n->op >= IR_OP_PREINC && n->op <= IR_OP_POSTDEC)
            return eval_incdec(c, n);
        if (n->op == '-' && n->n_kids) {
            eval_result e = flow_eval(c, n->kids[0]);
            r.value = dim_sub(c->an->dims, dim_const(c->an->dims, 0), e.value);
            return r;
        }
        break;
    default:
        break;
    }
    for (uint32_t i = 0; i < n->n_kids; i++)
        flow_eval(c, n->kids[i]);
    return r;
}

/* "struct config cfg = {.batch = 8, ...}": the fields' values, as if
   assigned one by one (so cfg.batch is 8 where nothing changed it). */
void flow_init_fields(pctx *c, const ir_decl *d, const ir_node *init)
{
    init = flow_strip_casts(init);
    if (!init || init->kind != IR_INITLIST)
        return;
    for (uint32_t i = 0; i < init->n_kids; i++) {
        const ir_node *k = init->kids[i];
        if (k->kind != IR_DESIGNATOR || !k->decl || k->n_kids != 1 ||
            k->decl->type.cls != IR_TYPE_INT)
            continue;
        eval_result v = flow_eval(c, k->kids[0]);
        if (!v.value)
            continue;
        const char *key = arena_printf(c->an->arena, "@%p.%s", (const void *)d,
                                       k->decl->name);
        const char *display =
            arena_printf(c->an->arena, "%s.%s", d->name, k->decl->name);
        flow_path_set(c, key, v.value,
                      flow_new_note(c, display, v.value, k->loc));
    }
}
