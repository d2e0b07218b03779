/*
 * flow_state.c - what the flow analysis knows at one point of a body: each
 * variable's value and shape, the values of member paths ("cfg->batch"),
 * which variables escaped, and how two points join.  What a call or a loop
 * may change is forgotten here, in one place.
 */

#include <stdio.h>
#include <string.h>

#include "flow.h"

var_state *flow_var_of(pctx *c, const ir_decl *d)
{
    if (!d || d->owner != c->f)
        return NULL;
    if (d->kind == IR_DECL_LOCAL && d->index < c->f->n_locals)
        return &c->st.locals[d->index];
    if (d->kind == IR_DECL_PARAM && d->index < c->f->n_params)
        return &c->st.params[d->index];
    return NULL;
}

const dim_poly *flow_fresh(pctx *c, const char *name)
{
    return dim_symbol(c->an->dims, dim_sym_new(c->an->dims, name));
}

/* A copy of S, in the arrays of a released state when there is one: a
   body's branches then take the memory of its deepest nesting, not that
   of every branch times every variable (10,000 ifs in a function of
   10,000 locals would otherwise keep 10^8 copies in the arena). */
state flow_state_copy(pctx *c, const state *s)
{
    arena *a = c->an->arena;
    state r = *s, old = {0};
    if (c->n_spare)
        old = c->spare[--c->n_spare];
    r.locals = old.locals
                   ? old.locals
                   : arena_array(a, c->f->n_locals + 1, sizeof *r.locals);
    r.params = old.params
                   ? old.params
                   : arena_array(a, c->f->n_params + 1, sizeof *r.params);
    memcpy(r.locals, s->locals, c->f->n_locals * sizeof *r.locals);
    memcpy(r.params, s->params, c->f->n_params * sizeof *r.params);
    if (old.paths && old.cap_paths >= s->cap_paths)
        r.paths = old.paths, r.cap_paths = old.cap_paths;
    else
        r.paths = arena_array(a, s->cap_paths + 1, sizeof *r.paths);
    if (s->n_paths)
        memcpy(r.paths, s->paths, s->n_paths * sizeof *r.paths);
    return r;
}

/* S (a state swapped out of C->st) is used by no one any more: its arrays
   go to the next state_copy. */
void flow_state_release(pctx *c, const state *s)
{
    if (c->n_spare == c->cap_spare) {
        c->cap_spare = c->cap_spare ? c->cap_spare * 2 : 8;
        state *v = arena_array(c->an->arena, c->cap_spare, sizeof *v);
        if (c->n_spare)
            memcpy(v, c->spare, c->n_spare * sizeof *v);
        c->spare = v;
    }
    c->spare[c->n_spare++] = *s;
}

const ir_node *flow_strip_casts(const ir_node *n)
{
    while (n && n->kind == IR_CAST && n->n_kids == 1)
        n = n->kids[0];
    return n;
}

bool flow_is_null_constant(const ir_node *n)
{
    n = flow_strip_casts(n);
    return n && n->kind == IR_INT && n->value == 0;
}

/* ---- Member paths ----------------------------------------------------- */

/* The identity of an lvalue path ("@<decl>->batch") and how to show it
   ("cfg->batch"); NULL when the expression is not a path. */
const char *flow_path_key(pctx *c, const ir_node *n, const char **display)
{
    arena *a = c->an->arena;
    while (n && n->kind == IR_CAST)
        n = n->kids[0];
    if (!n)
        return NULL;
    if (n->kind == IR_VAR && n->decl && n->decl->kind != IR_DECL_ENUM) {
        *display = n->decl->name;
        return arena_printf(a, "@%p", (const void *)n->decl);
    }
    if (n->kind != IR_MEMBER || !n->decl || n->n_kids < 1)
        return NULL;
    const ir_node *base = n->kids[0];
    bool arrow = n->arrow;
    while (base->kind == IR_CAST)
        base = base->kids[0];
    if (arrow && base->kind == IR_ADDR && base->n_kids == 1)
        base = base->kids[0], arrow = false; /* (&x)->f is x.f */
    const char *bd, *bk = flow_path_key(c, base, &bd);
    if (!bk)
        return NULL;
    const char *sep = arrow ? "->" : ".";
    *display = arena_printf(a, "%s%s%s", bd, sep, n->decl->name);
    return arena_printf(a, "%s%s%s", bk, sep, n->decl->name);
}

static path_state *path_find(pctx *c, const char *key)
{
    for (uint32_t i = 0; i < c->st.n_paths; i++)
        if (strcmp(c->st.paths[i].key, key) == 0)
            return &c->st.paths[i];
    return NULL;
}

path_state *flow_path_set(pctx *c, const char *key, const dim_poly *v,
                          const value_note *note)
{
    path_state *p = path_find(c, key);
    if (!p) {
        state *s = &c->st;
        if (s->n_paths == s->cap_paths) {
            s->cap_paths = s->cap_paths ? s->cap_paths * 2 : 8;
            path_state *np =
                arena_array(c->an->arena, s->cap_paths, sizeof *np);
            if (s->n_paths)
                memcpy(np, s->paths, s->n_paths * sizeof *np);
            s->paths = np;
        }
        p = &s->paths[s->n_paths++];
        p->key = key;
        /* Keys are "@<decl>..." (see path_key): recover the root. */
        void *root = NULL;
        p->root =
            key[0] == '@' && sscanf(key + 1, "%p", &root) == 1 ? root : NULL;
    }
    p->value = v, p->note = note;
    return p;
}

/* The value of a path: known, or a symbol that stays the same until the
   path may have changed. */
const path_state *flow_path_value(pctx *c, const char *key, const char *display)
{
    path_state *p = path_find(c, key);
    if (p)
        return p;
    const dim_poly *v = flow_fresh(c, display);
    if (c->sum)
        flow_summary_add_path(c, key, v);
    return flow_path_set(c, key, v, NULL);
}

/* Forgets the paths under ROOT (all of them when ROOT is NULL). */
void flow_paths_forget(pctx *c, const char *root)
{
    uint32_t keep = 0;
    size_t n = root ? strlen(root) : 0;
    for (uint32_t i = 0; i < c->st.n_paths; i++) {
        const char *k = c->st.paths[i].key;
        bool under =
            !root ||
            (strncmp(k, root, n) == 0 &&
             (k[n] == '\0' || k[n] == '.' || k[n] == '-' || k[n] == ':'));
        if (!under)
            c->st.paths[keep++] = c->st.paths[i];
    }
    c->st.n_paths = keep;
}

/* "&v", "&v.f", "&v.a[0]" in E: v can now be changed through a pointer. */
void flow_mark_escapes(pctx *c, const ir_node *e)
{
    e = flow_strip_casts(e);
    if (!e || e->kind != IR_ADDR || !e->n_kids)
        return;
    const ir_node *x = flow_strip_casts(e->kids[0]);
    while (x && (x->kind == IR_MEMBER || x->kind == IR_INDEX) && x->n_kids)
        x = flow_strip_casts(x->kids[0]);
    var_state *vs = x && x->kind == IR_VAR ? flow_var_of(c, x->decl) : NULL;
    if (vs)
        vs->escaped = true;
}

/* An address given to a call escapes, unless the parameter is a pointer
   to const: the callee promises not to write through it. */
void flow_mark_argument_escapes(pctx *c, const ir_node *call)
{
    const ir_func *f = call->callee;
    for (uint32_t i = 1; i < call->n_kids; i++) {
        const ir_decl *param =
            f && i - 1 < f->n_params ? f->params[i - 1] : NULL;
        if (!param || !param->type.pointee_const)
            flow_mark_escapes(c, call->kids[i]);
    }
}

/* A call can change what is reachable from its arguments, from globals,
   and through any pointer it is given.  Paths rooted at a local or
   parameter struct survive it while the struct's address has not escaped;
   paths through a pointer variable survive a call that is given no
   pointer at all ("l->B = B; l->tokens = malloc(n);" keeps l->B). */
static bool survives_call(pctx *c, const path_state *p, bool pointer_args)
{
    if (!p->root)
        return false;
    const var_state *vs = flow_var_of(c, p->root);
    if (!vs)
        return false; /* a global */
    if (p->root->type.cls == IR_TYPE_RECORD)
        return !vs->escaped;
    return p->root->type.cls == IR_TYPE_POINTER && !pointer_args;
}

static bool has_pointer_args(const ir_node *call)
{
    const ir_func *f = call->callee;
    for (uint32_t i = 1; i < call->n_kids; i++) {
        ir_type_class t = call->kids[i]->type.cls;
        const ir_decl *param =
            f && i - 1 < f->n_params ? f->params[i - 1] : NULL;
        if ((t == IR_TYPE_POINTER || t == IR_TYPE_ARRAY) &&
            !(param && param->type.pointee_const))
            return true;
    }
    return false;
}

/* Forgets the member paths a call may change (see survives_calls). */
void flow_call_effects(pctx *c, const ir_node *n)
{
    /* The arguments' escapes were marked as they were evaluated. */
    bool pointer_args = has_pointer_args(n);
    uint32_t keep = 0;
    for (uint32_t i = 0; i < c->st.n_paths; i++)
        if (survives_call(c, &c->st.paths[i], pointer_args))
            c->st.paths[keep++] = c->st.paths[i];
    c->st.n_paths = keep;
}

/* Every variable the subtree may assign (or give a shape to by a call)
   forgets what is known of it. */
void flow_havoc(pctx *c, const ir_node *n)
{
    if (!n)
        return;
    const ir_node *target = NULL;
    if (n->kind == IR_ASSIGN || (n->kind == IR_UNARY && n->op >= IR_OP_PREINC &&
                                 n->op <= IR_OP_POSTDEC))
        target = flow_strip_casts(n->kids[0]);
    if (n->kind == IR_CALL) {
        for (uint32_t i = 1; i < n->n_kids; i++)
            flow_mark_escapes(c, n->kids[i]);
        flow_call_effects(c, n);
        for (uint32_t i = 1; i < n->n_kids; i++) {
            const ir_node *a = flow_strip_casts(n->kids[i]);
            var_state *vs = a->kind == IR_VAR ? flow_var_of(c, a->decl) : NULL;
            if (vs && !vs->sticky && a->decl->type.cls != IR_TYPE_INT)
                vs->shape = (shaped){NULL, NULL};
        }
    }
    if (target && target->kind == IR_VAR) {
        var_state *vs = flow_var_of(c, target->decl);
        if (vs) {
            vs->value = target->decl->type.cls == IR_TYPE_INT
                            ? flow_fresh(c, target->decl->name)
                            : NULL;
            vs->note = NULL;
            if (!vs->sticky)
                vs->shape = (shaped){NULL, NULL};
        }
    } else if (target) {
        const char *display, *key = flow_path_key(c, target, &display);
        if (key)
            flow_paths_forget(c, key);
        else
            flow_store_through_pointer(c, target);
    }
    for (uint32_t i = 0; i < n->n_kids; i++)
        flow_havoc(c, n->kids[i]);
}

static void join_var(pctx *c, var_state *into, const var_state *other,
                     const char *name)
{
    into->escaped = into->escaped || other->escaped;
    /* A pointer that is null on one path ("if (!p) return NULL;") has, on
       the other, the shape that matters. */
    if (into->is_null && !other->is_null) {
        shaped keep = other->shape;
        into->shape = keep, into->is_null = false;
    } else if (other->is_null) {
        into->is_null = into->is_null && other->is_null;
        if (into->is_null)
            return;
        other = into;
    }
    if (into->value != other->value) {
        into->value = into->value && other->value ? flow_fresh(c, name) : NULL;
        into->note = NULL;
    }
    if (into->shape.shape != other->shape.shape &&
        !(into->shape.shape && other->shape.shape &&
          shape_same(into->shape.shape, other->shape.shape)))
        into->shape = (shaped){NULL, NULL};
}

/* C->st := flow_join(C->st, OTHER). */
void flow_join(pctx *c, const state *other)
{
    for (uint32_t i = 0; i < c->f->n_locals; i++)
        join_var(c, &c->st.locals[i], &other->locals[i], c->f->locals[i]->name);
    for (uint32_t i = 0; i < c->f->n_params; i++)
        join_var(c, &c->st.params[i], &other->params[i], c->f->params[i]->name);
    uint32_t keep = 0;
    for (uint32_t i = 0; i < c->st.n_paths; i++) {
        const path_state *p = &c->st.paths[i];
        bool same = false;
        for (uint32_t k = 0; k < other->n_paths; k++)
            if (strcmp(other->paths[k].key, p->key) == 0)
                same = other->paths[k].value == p->value;
        if (same)
            c->st.paths[keep++] = *p;
    }
    c->st.n_paths = keep;
}

/* C->st joined into *INTO (a copy of C->st when FIRST). */
void flow_join_into(pctx *c, state *into, bool first)
{
    if (first) {
        *into = flow_state_copy(c, &c->st);
        return;
    }
    state here = c->st;
    c->st = *into;
    flow_join(c, &here);
    *into = c->st;
    c->st = here;
}
