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
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "analysis.h"

/* ---- State ------------------------------------------------------------ */

typedef struct var_state {
    const dim_poly *value;   /* integers: the value here, NULL unknown */
    const value_note *note;  /* where a constant value was set */
    shaped shape;
    bool sticky;             /* a declared shape: assignments keep it */
    bool is_null;            /* a null pointer here: any shape fits */
    bool escaped;            /* its address went to a call or a pointer */
} var_state;

/* A member path such as "cfg->batch", keyed by its root's identity. */
typedef struct path_state {
    const char *key;
    const ir_decl *root;     /* the variable the path starts at, or NULL */
    const dim_poly *value;
    const value_note *note;
} path_state;

typedef struct state {
    var_state *locals;       /* f->n_locals */
    var_state *params;       /* f->n_params */
    path_state *paths;
    uint32_t n_paths, cap_paths;
} state;

/* While deriving a summary: what the body says about its parameters and
   result, collected along the walk. */
typedef struct summary_state {
    signature *sig;          /* the summary being built */
    const signature *annotated;
    bool *assigned;          /* per parameter: written somewhere in the body */
    unsigned conditional;    /* inside a branch, loop or switch */
    bool returned;           /* a return was walked: later code is conditional */
    bool have_exit;
    state exit;              /* join of the states at every return */
    bool have_ret;
    bool ret_varies;         /* two returns with different shapes */
    shaped ret;
    sc_loc ret_loc;
} summary_state;

typedef struct pctx {
    analysis *an;
    const ir_func *f;
    state st;
    strmap free_syms;        /* body-wide free symbols: name -> poly */
    const ir_decl **scope;   /* locals in scope, innermost last */
    uint32_t n_scope, cap_scope;
    summary_state *sum;      /* non-NULL while deriving a summary */
    state *spare;            /* states no walk uses any more (state_release) */
    uint32_t n_spare, cap_spare;
} pctx;

typedef struct eval_result {
    const dim_poly *value;
    const value_note *note;
    shaped shape;
    bool is_null;            /* a null pointer constant */
} eval_result;

static eval_result eval(pctx *c, const ir_node *n);
static void walk(pctx *c, const ir_node *n);
static void mark_escapes(pctx *c, const ir_node *e);

static var_state *var_of(pctx *c, const ir_decl *d)
{
    if (!d || d->owner != c->f)
        return NULL;
    if (d->kind == IR_DECL_LOCAL && d->index < c->f->n_locals)
        return &c->st.locals[d->index];
    if (d->kind == IR_DECL_PARAM && d->index < c->f->n_params)
        return &c->st.params[d->index];
    return NULL;
}

static const dim_poly *fresh(pctx *c, const char *name)
{
    return dim_symbol(c->an->dims, dim_sym_new(c->an->dims, name));
}

/* A copy of S, in the arrays of a released state when there is one: a
   body's branches then take the memory of its deepest nesting, not that
   of every branch times every variable (10,000 ifs in a function of
   10,000 locals would otherwise keep 10^8 copies in the arena). */
static state state_copy(pctx *c, const state *s)
{
    arena *a = c->an->arena;
    state r = *s, old = {0};
    if (c->n_spare)
        old = c->spare[--c->n_spare];
    r.locals = old.locals ? old.locals
                          : arena_array(a, c->f->n_locals + 1, sizeof *r.locals);
    r.params = old.params ? old.params
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
static void state_release(pctx *c, const state *s)
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

static const ir_node *strip_casts(const ir_node *n)
{
    while (n && n->kind == IR_CAST && n->n_kids == 1)
        n = n->kids[0];
    return n;
}

static bool is_null_constant(const ir_node *n)
{
    n = strip_casts(n);
    return n && n->kind == IR_INT && n->value == 0;
}

/* ---- Member paths ----------------------------------------------------- */

/* The identity of an lvalue path ("@<decl>->batch") and how to show it
   ("cfg->batch"); NULL when the expression is not a path. */
static const char *path_key(pctx *c, const ir_node *n, const char **display)
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
    const char *bd, *bk = path_key(c, base, &bd);
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

static path_state *path_set(pctx *c, const char *key, const dim_poly *v,
                            const value_note *note)
{
    path_state *p = path_find(c, key);
    if (!p) {
        state *s = &c->st;
        if (s->n_paths == s->cap_paths) {
            s->cap_paths = s->cap_paths ? s->cap_paths * 2 : 8;
            path_state *np = arena_array(c->an->arena, s->cap_paths, sizeof *np);
            if (s->n_paths)
                memcpy(np, s->paths, s->n_paths * sizeof *np);
            s->paths = np;
        }
        p = &s->paths[s->n_paths++];
        p->key = key;
        /* Keys are "@<decl>..." (see path_key): recover the root. */
        void *root = NULL;
        p->root = key[0] == '@' && sscanf(key + 1, "%p", &root) == 1 ? root : NULL;
    }
    p->value = v, p->note = note;
    return p;
}

/* The value of a path: known, or a symbol that stays the same until the
   path may have changed. */
static void summary_add_path(pctx *c, const char *key, const dim_poly *value);

static const path_state *path_value(pctx *c, const char *key, const char *display)
{
    path_state *p = path_find(c, key);
    if (p)
        return p;
    const dim_poly *v = fresh(c, display);
    if (c->sum)
        summary_add_path(c, key, v);
    return path_set(c, key, v, NULL);
}

/* Forgets the paths under ROOT (all of them when ROOT is NULL). */
static void paths_forget(pctx *c, const char *root)
{
    uint32_t keep = 0;
    size_t n = root ? strlen(root) : 0;
    for (uint32_t i = 0; i < c->st.n_paths; i++) {
        const char *k = c->st.paths[i].key;
        bool under = !root || (strncmp(k, root, n) == 0 &&
                               (k[n] == '\0' || k[n] == '.' || k[n] == '-' ||
                                k[n] == ':'));
        if (!under)
            c->st.paths[keep++] = c->st.paths[i];
    }
    c->st.n_paths = keep;
}

/* ---- Names in annotations --------------------------------------------- */

typedef struct resolver {
    pctx *c;
    const char *object_key;     /* field annotations: the object's path */
    const char *object_display;
    const ir_record *record;    /* field annotations: sibling fields */
    shape_origin *origin;       /* collects the values used */
} resolver;

static const ir_decl *lookup_var(pctx *c, const char *name, size_t len)
{
    for (uint32_t i = c->n_scope; i-- > 0;)
        if (strlen(c->scope[i]->name) == len &&
            strncmp(c->scope[i]->name, name, len) == 0)
            return c->scope[i];
    for (uint32_t i = 0; i < c->f->n_params; i++)
        if (strlen(c->f->params[i]->name) == len &&
            strncmp(c->f->params[i]->name, name, len) == 0)
            return c->f->params[i];
    return NULL;
}

static void record_value(resolver *r, const char *name, const dim_poly *v,
                         const value_note *note)
{
    shape_origin *o = r->origin;
    int64_t k;
    if (!o || !note || !dim_is_const(v, &k) || o->n_values >= ORIGIN_MAX_VALUES)
        return;
    for (int i = 0; i < o->n_values; i++)
        if (strcmp(o->values[i].name, name) == 0)
            return;
    o->values[o->n_values++] = *note;
}

static const dim_poly *resolve_sibling(resolver *r, const char *path)
{
    size_t head = strcspn(path, ".-");
    for (uint32_t i = 0; i < r->record->n_fields; i++) {
        const ir_decl *fd = r->record->fields[i];
        if (strlen(fd->name) != head || strncmp(fd->name, path, head) != 0)
            continue;
        arena *a = r->c->an->arena;
        const path_state *p = path_value(
            r->c, arena_printf(a, "%s%s", r->object_key, path),
            arena_printf(a, "%s%s", r->object_display, path));
        record_value(r, path, p->value, p->note);
        return p->value;
    }
    return NULL;
}

static const dim_poly *free_symbol(pctx *c, const char *prefix, const char *name)
{
    const char *key = prefix ? arena_printf(c->an->arena, "%s:%s", prefix, name)
                             : arena_strdup(c->an->arena, name);
    const dim_poly *p = strmap_get(&c->free_syms, key);
    if (!p) {
        p = fresh(c, name);
        strmap_put(&c->free_syms, key, (void *)p);
    }
    return p;
}

/* SPEC 2: sibling field, variable in scope, constant, free symbol. */
static const dim_poly *resolve_in_body(void *ud, const char *path, int column)
{
    (void)column;
    resolver *r = ud;
    pctx *c = r->c;
    if (r->record) {
        const dim_poly *v = resolve_sibling(r, path);
        if (v)
            return v;
    }
    size_t head = strcspn(path, ".-");
    const ir_decl *d = lookup_var(c, path, head);
    var_state *vs = d ? var_of(c, d) : NULL;
    if (vs && path[head] == '\0' && d->type.cls == IR_TYPE_INT) {
        record_value(r, path, vs->value, vs->note);
        return vs->value;
    }
    if (d && path[head] != '\0') {
        const char *key = arena_printf(c->an->arena, "@%p%s", (const void *)d,
                                       path + head);
        const path_state *p = path_value(c, key, path);
        record_value(r, path, p->value, p->note);
        return p->value;
    }
    int64_t value;
    sc_loc loc;
    const char *how;
    if (constant_lookup(c->an, c->f->tu, path, &value, &loc, &how)) {
        const dim_poly *v = dim_const(c->an->dims, value);
        value_note *note = arena_alloc(c->an->arena, sizeof *note);
        *note = (value_note){arena_strdup(c->an->arena, path),
                             arena_printf(c->an->arena, "%lld", (long long)value),
                             loc, how};
        record_value(r, path, v, note);
        return v;
    }
    return free_symbol(c, r->record ? r->object_key : NULL, path);
}

/* Records the values of the constants TEXT names ("2 * BATCH"), so that
   notes can say where they were defined. */
static void note_constants_in(resolver *r, const char *text)
{
    for (const char *p = text; *p;) {
        if (!(isalpha((unsigned char)*p) || *p == '_')) {
            p++;
            continue;
        }
        const char *start = p;
        while (isalnum((unsigned char)*p) || *p == '_')
            p++;
        char *name = arena_strndup(r->c->an->arena, start, (size_t)(p - start));
        int64_t value;
        sc_loc loc;
        const char *how;
        if (constant_lookup(r->c->an, r->c->f->tu, name, &value, &loc,
                            &how)) {
            value_note *note = arena_alloc(r->c->an->arena, sizeof *note);
            *note = (value_note){name,
                                 arena_printf(r->c->an->arena, "%lld",
                                              (long long)value),
                                 loc, how};
            record_value(r, name, dim_const(r->c->an->dims, value), note);
        }
    }
}

/* The shape a SHAPE annotation gives, in this body's terms. */
static const shape *annotation_shape(resolver *r, const ir_annotation *ann)
{
    analysis *an = r->c->an;
    dim_error err;
    dim_shape_ast *ast = dim_parse(ann->text, &err);
    if (!ast) {
        report_annotation(an, ann->loc, "malformed shape '%s': %s",
                          shape_excerpt(an->arena, ann->text), err.message);
        return NULL;
    }
    shape *s = shape_new(an->arena, (uint32_t)ast->rank);
    s->ellipsis = ast->ellipsis;
    for (int i = 0; i < ast->rank; i++)
        if (ast->entries[i].kind == DIM_ENTRY_EXPR)
            s->dims[i] = dim_from_node(an->dims, ast->entries[i].expr,
                                       resolve_in_body, r, &err);
    dim_shape_ast_free(ast);
    return s;
}

static shape_origin *new_origin(pctx *c, origin_kind kind, sc_loc loc,
                                const char *name)
{
    shape_origin *o = arena_alloc(c->an->arena, sizeof *o);
    o->kind = kind, o->loc = loc, o->name = name;
    return o;
}

static bool can_hold_shape(const ir_type *t)
{
    return t->cls == IR_TYPE_POINTER || t->cls == IR_TYPE_ARRAY ||
           t->cls == IR_TYPE_RECORD;
}

/* Tells the observer (an editor's hover and inlay hints), if there is one,
   what D holds at AT.  The walks that derive summaries stay silent: their
   shapes are in the callee's symbols, not this body's. */
static void observe(pctx *c, shape_event_kind kind, const ir_decl *d,
                    sc_loc at, shaped value)
{
    const shape_observer *obs = c->an->observer;
    if (!obs || c->sum || !d || !d->name[0])
        return;
    shape_event e = {kind, d, c->f, at, value};
    obs->fn(obs->ud, c->an, &e);
}

/* The SHAPE written on D, if any; reports misplaced ones. */
static const ir_annotation *shape_annotation(pctx *c, const ir_decl *d)
{
    for (uint32_t i = 0; i < d->n_annotations; i++) {
        const ir_annotation *ann = &d->annotations[i];
        if (ann->kind != IR_ANN_SHAPE) {
            report_annotation(c->an, ann->loc, "%s on '%s': it belongs on a "
                              "function", ann->kind == IR_ANN_LOSS
                                              ? "SHAPE_LOSS" : "RETURNS_SHAPE",
                              d->name);
            continue;
        }
        return ann;
    }
    return NULL;
}

/* A declared shape: SHAPE(...) on D, or D's array type.  For a field,
   OBJECT_KEY and OBJECT_DISPLAY are the object's path with the separator
   ("@<decl>->", "m->"). */
static shaped declared_shape(pctx *c, const ir_decl *d, const char *object_key,
                             const char *object_display, sc_loc use)
{
    shaped r = {NULL, NULL};
    const char *name = object_display
                           ? arena_printf(c->an->arena, "%s%s", object_display,
                                          d->name)
                           : d->name;
    resolver res = {c, object_key, object_display,
                    object_key ? d->parent : NULL, NULL};
    const ir_annotation *ann = shape_annotation(c, d);
    if (ann) {
        shape_origin *o = new_origin(c, ORIGIN_DECLARED, ann->loc, name);
        o->written = shape_written(c->an->arena, ann->text);
        res.origin = o;
        const shape *s = annotation_shape(&res, ann);
        if (s && s->rank > 0 && !can_hold_shape(&d->type)) {
            report_annotation(c->an, ann->loc, "SHAPE on '%s', which cannot "
                              "hold a shape: only pointers, arrays and tensors "
                              "can", d->name);
            return r;
        }
        r.shape = s, r.origin = o;
        return r;
    }
    if (d->type.cls != IR_TYPE_ARRAY || d->type.array_rank == 0)
        return r;
    shape *s = shape_new(c->an->arena, d->type.array_rank);
    shape_origin *o = new_origin(c, ORIGIN_ARRAY, d->loc, name);
    res.origin = o;
    const char *written = "";
    for (uint32_t i = 0; i < d->type.array_rank; i++) {
        const ir_node *dim = d->type.array_dims[i];
        eval_result e = {0};
        if (dim)
            e = eval(c, dim);
        s->dims[i] = e.value;
        written = arena_printf(c->an->arena, "%s%s%s", written, i ? ", " : "",
                               dim ? dim->text : "_");
        if (dim && dim->kind == IR_VAR)
            record_value(&res, dim->text, e.value, e.note);
        else if (dim && dim->kind == IR_INT)
            note_constants_in(&res, dim->text);
    }
    o->written = arena_printf(c->an->arena, "[%s]", written);
    (void)use;
    r.shape = s, r.origin = o;
    return r;
}

/* Where the constant TEXT names was defined, when it is a name. */
static const value_note *constant_note(pctx *c, const char *text)
{
    if (!text || !(isalpha((unsigned char)text[0]) || text[0] == '_'))
        return NULL;
    for (const char *p = text; *p; p++)
        if (!isalnum((unsigned char)*p) && *p != '_')
            return NULL;
    int64_t value;
    sc_loc loc;
    const char *how;
    if (!constant_lookup(c->an, c->f->tu, text, &value, &loc, &how))
        return NULL;
    value_note *note = arena_alloc(c->an->arena, sizeof *note);
    *note = (value_note){text,
                         arena_printf(c->an->arena, "%lld", (long long)value),
                         loc, how};
    return note;
}

/* ---- Expressions ------------------------------------------------------ */

static const value_note *new_note(pctx *c, const char *name, const dim_poly *v,
                                  sc_loc loc)
{
    int64_t k;
    if (!dim_is_const(v, &k))
        return NULL;
    value_note *note = arena_alloc(c->an->arena, sizeof *note);
    *note = (value_note){name, arena_printf(c->an->arena, "%lld", (long long)k),
                         loc, "set to"};
    return note;
}

static eval_result eval_var(pctx *c, const ir_node *n)
{
    eval_result r = {0};
    const ir_decl *d = n->decl;
    if (!d)
        return r;
    if (d->has_value) {
        r.value = dim_const(c->an->dims, d->value);
        value_note *note = arena_alloc(c->an->arena, sizeof *note);
        *note = (value_note){d->name,
                             arena_printf(c->an->arena, "%lld",
                                          (long long)d->value),
                             d->loc, "declared as"};
        r.note = note;
        return r;
    }
    var_state *vs = var_of(c, d);
    if (vs) {
        r.value = vs->value, r.note = vs->note, r.shape = vs->shape;
        r.is_null = vs->is_null;
    } else if (d->kind == IR_DECL_GLOBAL) {
        r.shape = declared_shape(c, d, NULL, NULL, n->loc);
    }
    if (can_hold_shape(&d->type))
        observe(c, SHAPE_EVENT_USED, d, n->loc, r.shape);
    return r;
}

static eval_result eval_member(pctx *c, const ir_node *n)
{
    eval_result r = {0};
    eval(c, n->kids[0]);
    const char *display, *key = path_key(c, n, &display);
    if (!n->decl)
        return r;
    if (key && n->decl->type.cls == IR_TYPE_INT) {
        const path_state *p = path_value(c, key, display);
        r.value = p->value, r.note = p->note;
    }
    const ir_node *base = strip_casts(n->kids[0]);
    const char *sep = n->arrow ? "->" : ".";
    if (n->arrow && base->kind == IR_ADDR && base->n_kids == 1)
        base = strip_casts(base->kids[0]), sep = ".";
    const char *bdisp = NULL, *bkey = path_key(c, base, &bdisp);
    if (!bkey) { /* no stable object: its sibling fields are unknown */
        bkey = arena_printf(c->an->arena, "#%p", (const void *)n);
        bdisp = base->text;
    }
    r.shape = declared_shape(c, n->decl,
                             arena_printf(c->an->arena, "%s%s", bkey, sep),
                             arena_printf(c->an->arena, "%s%s", bdisp, sep),
                             n->loc);
    return r;
}

/* &a[0][0] of an array and &t of a tensor keep the shape. */
static eval_result eval_addr(pctx *c, const ir_node *n)
{
    const ir_node *e = strip_casts(n->kids[0]);
    uint32_t zeros = 0;
    while (e && e->kind == IR_INDEX && e->n_kids == 2 &&
           strip_casts(e->kids[1])->kind == IR_INT &&
           strip_casts(e->kids[1])->value == 0) {
        e = strip_casts(e->kids[0]);
        zeros++;
    }
    eval_result r = eval(c, e);
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

static void assign_var(pctx *c, const ir_decl *d, const eval_result *v, sc_loc loc)
{
    var_state *vs = var_of(c, d);
    char key[48];
    snprintf(key, sizeof key, "@%p", (const void *)d);
    paths_forget(c, key);
    if (!vs)
        return;
    if (d->type.cls == IR_TYPE_INT) {
        vs->value = v->value ? v->value : fresh(c, d->name);
        vs->note = v->value ? new_note(c, d->name, v->value, loc) : NULL;
        return;
    }
    if (vs->sticky)
        return;
    vs->shape = (shaped){NULL, NULL};
    vs->is_null = v->is_null;
    if (v->shape.shape) {
        const shape_origin *from = v->shape.origin;
        /* "x = f(...)": the story is f's result, one note, not two. */
        bool direct_call = from && from->kind == ORIGIN_RETURNED &&
                           from->loc.line == loc.line;
        shape_origin *o = new_origin(c, ORIGIN_ASSIGNED, loc, d->name);
        if (direct_call) {
            *o = *from;
            o->name = d->name, o->loc = loc;
        } else {
            o->written = shape_format(c->an->arena, c->an->dims, v->shape.shape);
            o->from = from;
        }
        vs->shape = (shaped){v->shape.shape, o};
        observe(c, SHAPE_EVENT_TAKEN, d, loc, vs->shape);
    }
}

/* "p[i] = x", "*q = y": only an integer (or whole-struct) store can change
   an integer member, C's aliasing rules say; a float store cannot. */
static void store_through_pointer(pctx *c, const ir_node *target)
{
    ir_type_class t = target->type.cls;
    if (t == IR_TYPE_INT || t == IR_TYPE_RECORD || t == IR_TYPE_OTHER)
        paths_forget(c, NULL);
}

static eval_result eval_assign(pctx *c, const ir_node *n)
{
    eval_result rhs = eval(c, n->kids[1]);
    mark_escapes(c, n->kids[1]); /* "p = &cfg": cfg may change through p */
    const ir_node *lhs = strip_casts(n->kids[0]);
    eval_result cur = eval(c, lhs);
    if (n->op != '=') { /* compound: x op= e */
        dim_ctx *D = c->an->dims;
        const dim_poly *v = n->op == '+'   ? dim_add(D, cur.value, rhs.value)
                            : n->op == '-' ? dim_sub(D, cur.value, rhs.value)
                            : n->op == '*' ? dim_mul(D, cur.value, rhs.value)
                                           : NULL;
        rhs = (eval_result){v, NULL, {NULL, NULL}, false};
    }
    if (lhs->kind == IR_VAR) {
        assign_var(c, lhs->decl, &rhs, n->loc);
    } else {
        const char *display, *key = path_key(c, lhs, &display);
        if (key) {
            paths_forget(c, key);
            if (lhs->decl && lhs->decl->type.cls == IR_TYPE_INT)
                path_set(c, key, rhs.value ? rhs.value : fresh(c, display),
                         rhs.value ? new_note(c, display, rhs.value, n->loc)
                                   : NULL);
        } else {
            store_through_pointer(c, lhs);
        }
    }
    rhs.note = NULL;
    return rhs;
}

static eval_result eval_incdec(pctx *c, const ir_node *n)
{
    const ir_node *lhs = strip_casts(n->kids[0]);
    eval_result cur = eval(c, lhs);
    int delta = n->op == IR_OP_PREINC || n->op == IR_OP_POSTINC ? 1 : -1;
    eval_result next = {dim_add(c->an->dims, cur.value,
                                dim_const(c->an->dims, delta)),
                        NULL, {NULL, NULL}, false};
    if (lhs->kind == IR_VAR)
        assign_var(c, lhs->decl, &next, n->loc);
    else
        paths_forget(c, NULL);
    eval_result none = {0};
    return none;
}

static eval_result eval_binary(pctx *c, const ir_node *n)
{
    eval_result a = eval(c, n->kids[0]), b = eval(c, n->kids[1]);
    dim_ctx *D = c->an->dims;
    eval_result r = {0};
    switch (n->op) {
    case '+': r.value = dim_add(D, a.value, b.value); break;
    case '-': r.value = dim_sub(D, a.value, b.value); break;
    case '*': r.value = dim_mul(D, a.value, b.value); break;
    case '/': r.value = dim_div(D, a.value, b.value); break;
    case '%': r.value = dim_mod(D, a.value, b.value); break;
    default: break;
    }
    if (n->type.cls != IR_TYPE_INT)
        r.value = NULL; /* pointer arithmetic: no shape, no value */
    return r;
}

/* "&v", "&v.f", "&v.a[0]" in E: v can now be changed through a pointer. */
static void mark_escapes(pctx *c, const ir_node *e)
{
    e = strip_casts(e);
    if (!e || e->kind != IR_ADDR || !e->n_kids)
        return;
    const ir_node *x = strip_casts(e->kids[0]);
    while (x && (x->kind == IR_MEMBER || x->kind == IR_INDEX) && x->n_kids)
        x = strip_casts(x->kids[0]);
    var_state *vs = x && x->kind == IR_VAR ? var_of(c, x->decl) : NULL;
    if (vs)
        vs->escaped = true;
}

/* An address given to a call escapes, unless the parameter is a pointer
   to const: the callee promises not to write through it. */
static void mark_argument_escapes(pctx *c, const ir_node *call)
{
    const ir_func *f = call->callee;
    for (uint32_t i = 1; i < call->n_kids; i++) {
        const ir_decl *param = f && i - 1 < f->n_params ? f->params[i - 1] : NULL;
        if (!param || !param->type.pointee_const)
            mark_escapes(c, call->kids[i]);
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
    const var_state *vs = var_of(c, p->root);
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
        const ir_decl *param = f && i - 1 < f->n_params ? f->params[i - 1] : NULL;
        if ((t == IR_TYPE_POINTER || t == IR_TYPE_ARRAY) &&
            !(param && param->type.pointee_const))
            return true;
    }
    return false;
}

/* Forgets the member paths a call may change (see survives_calls). */
static void call_effects(pctx *c, const ir_node *n)
{
    /* The arguments' escapes were marked as they were evaluated. */
    bool pointer_args = has_pointer_args(n);
    uint32_t keep = 0;
    for (uint32_t i = 0; i < c->st.n_paths; i++)
        if (survives_call(c, &c->st.paths[i], pointer_args))
            c->st.paths[keep++] = c->st.paths[i];
    c->st.n_paths = keep;
}

/* The path key of member SUFFIX ("->batch") of the object argument ARG
   points to ("cfg" or "&cfg"); NULL when the argument is no stable path. */
static const char *arg_path_key(pctx *c, const ir_node *arg, const char *suffix,
                                const char **display)
{
    const char *key = path_key(c, arg, display);
    arg = strip_casts(arg);
    if (!key && arg->kind == IR_ADDR && arg->n_kids == 1) {
        key = path_key(c, arg->kids[0], display);
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
        const char *display, *key = p < n_args
                                        ? arg_path_key(c, n->kids[1 + p],
                                                       sig->paths[k].suffix,
                                                       &display)
                                        : NULL;
        if (!key)
            continue;
        if (!args[p].path_values)
            args[p].path_values = arena_array(c->an->arena, sig->n_paths,
                                              sizeof *args[p].path_values);
        args[p].path_values[k] = path_value(c, key, display)->value;
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
            path_set(c, key, v, new_note(c, display, v, n->loc));
    }
}

/* A pointer variable with no shape of its own takes the parameter's. */
static void infer_arguments(pctx *c, const call_result *r, const ir_node *n,
                            const char *callee)
{
    for (uint32_t i = 0; i < r->n_args; i++) {
        const ir_node *arg = strip_casts(n->kids[1 + i]);
        if (r->args[i].value.shape || !r->expected[i] || arg->kind != IR_VAR)
            continue;
        var_state *vs = var_of(c, arg->decl);
        if (!vs || vs->sticky || arg->decl->type.cls == IR_TYPE_INT)
            continue;
        shape_origin *o = new_origin(c, ORIGIN_INFERRED, n->loc, arg->decl->name);
        o->written = shape_format(c->an->arena, c->an->dims, r->expected[i]);
        o->callee = callee;
        vs->shape = (shaped){r->expected[i], o};
        observe(c, SHAPE_EVENT_TAKEN, arg->decl, arg->loc, vs->shape);
    }
}

/* The parameter of the function being summarised that N names, or -1. */
static int param_named(pctx *c, const ir_node *n)
{
    n = strip_casts(n);
    if (n->kind != IR_VAR || !n->decl || n->decl->kind != IR_DECL_PARAM ||
        n->decl->owner != c->f || c->sum->assigned[n->decl->index])
        return -1;
    return (int)n->decl->index;
}

/* A loss called on every path with two of our parameters as logits and
   labels makes this function a loss of those two as well. */
static void summary_note_loss(pctx *c, const signature *callee,
                              const ir_node *call)
{
    summary_state *sum = c->sum;
    uint32_t n_args = call->n_kids - 1;
    if (callee->loss_logits < 0 || sum->conditional || sum->returned ||
        sum->sig->loss_logits >= 0 || (uint32_t)callee->loss_logits >= n_args ||
        (uint32_t)callee->loss_labels >= n_args)
        return;
    int lg = param_named(c, call->kids[1 + callee->loss_logits]);
    int lb = param_named(c, call->kids[1 + callee->loss_labels]);
    if (lg < 0 || lb < 0)
        return;
    sum->sig->loss_logits = lg, sum->sig->loss_labels = lb;
    sum->sig->loss_loc = call->loc;
    sum->sig->loss_via = call->callee ? call->callee->name : NULL;
}

/* The story of a call's result: the call, the values that sized it, and
   for a summarised function the return it comes from. */
static shape_origin *returned_origin(pctx *c, const call_result *r,
                                     const ir_node *n, const char *callee)
{
    shape_origin *o = new_origin(c, ORIGIN_RETURNED, n->loc, n->text);
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
        shape_origin *inner = new_origin(c, ORIGIN_CALLEE_RETURN,
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
        eval_result e = eval(c, n->kids[1 + i]);
        args[i] = (call_arg){n->kids[1 + i]->text, n->kids[1 + i]->loc,
                             e.shape, e.value, e.note, NULL};
    }
    mark_argument_escapes(c, n);
    const signature *sig = n->callee ? signature_of(c->an, n->callee) : NULL;
    if (!sig) {
        call_effects(c, n);
        return none;
    }
    fill_path_values(c, sig, n, args, n_args);
    const char *callee = n->callee->name;
    call_result *r = call_instantiate(c->an, sig, args, n_args);
    if (c->sum)
        summary_note_loss(c, sig, n);
    bool batch = check_batch_mismatch(c->an, r, n->loc, callee);
    check_shape_mismatch(c->an, r, n->loc, callee, batch);
    call_effects(c, n);
    apply_effects(c, r, n);
    infer_arguments(c, r, n, callee);
    if (r->returns)
        none.shape = (shaped){r->returns, returned_origin(c, r, n, callee)};
    return none;
}

static eval_result eval_cond(pctx *c, const ir_node *n)
{
    eval(c, n->kids[0]);
    eval_result a = eval(c, n->kids[1]), b = eval(c, n->kids[2]);
    eval_result r = {0};
    if (a.value == b.value)
        r.value = a.value;
    /* "p ? f(p) : NULL": a null branch fits any shape. */
    if (is_null_constant(n->kids[2]) || b.is_null)
        b.shape = a.shape;
    if (is_null_constant(n->kids[1]) || a.is_null)
        a.shape = b.shape;
    if (a.shape.shape && b.shape.shape && shape_same(a.shape.shape, b.shape.shape))
        r.shape = a.shape;
    return r;
}

static eval_result eval(pctx *c, const ir_node *n)
{
    eval_result r = {0};
    if (!n)
        return r;
    switch (n->kind) {
    case IR_INT:
        r.value = dim_const(c->an->dims, n->value);
        r.note = constant_note(c, n->text);
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
        return n->n_kids ? eval(c, n->kids[0]) : r;
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
            eval_result e = eval(c, n->kids[0]);
            r.value = dim_sub(c->an->dims, dim_const(c->an->dims, 0), e.value);
            return r;
        }
        break;
    default:
        break;
    }
    for (uint32_t i = 0; i < n->n_kids; i++)
        eval(c, n->kids[i]);
    return r;
}

/* "struct config cfg = {.batch = 8, ...}": the fields' values, as if
   assigned one by one (so cfg.batch is 8 where nothing changed it). */
static void init_fields(pctx *c, const ir_decl *d, const ir_node *init)
{
    init = strip_casts(init);
    if (!init || init->kind != IR_INITLIST)
        return;
    for (uint32_t i = 0; i < init->n_kids; i++) {
        const ir_node *k = init->kids[i];
        if (k->kind != IR_DESIGNATOR || !k->decl || k->n_kids != 1 ||
            k->decl->type.cls != IR_TYPE_INT)
            continue;
        eval_result v = eval(c, k->kids[0]);
        if (!v.value)
            continue;
        const char *key = arena_printf(c->an->arena, "@%p.%s", (const void *)d,
                                       k->decl->name);
        const char *display = arena_printf(c->an->arena, "%s.%s", d->name,
                                           k->decl->name);
        path_set(c, key, v.value, new_note(c, display, v.value, k->loc));
    }
}

/* ---- Statements ------------------------------------------------------- */

static void declare_local(pctx *c, const ir_node *n)
{
    const ir_decl *d = n->decl;
    var_state *vs = var_of(c, d);
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
    shaped decl = declared_shape(c, d, NULL, NULL, n->loc);
    c->scope[c->n_scope++] = d; /* in scope from its own initialiser on */
    eval_result init = {0};
    if (n->n_kids) {
        init = eval(c, n->kids[0]);
        mark_escapes(c, n->kids[0]);
    }
    if (decl.shape) {
        vs->shape = decl, vs->sticky = true;
    }
    observe(c, SHAPE_EVENT_DECLARED, d, d->loc, decl);
    if (d->address_taken && d->type.cls == IR_TYPE_INT)
        return; /* may change behind our back: never known */
    if (n->n_kids || d->type.cls == IR_TYPE_INT)
        assign_var(c, d, &init, d->loc);
    if (n->n_kids && d->type.cls == IR_TYPE_RECORD)
        init_fields(c, d, n->kids[0]);
}

/* Every variable the subtree may assign (or give a shape to by a call)
   forgets what is known of it. */
static void havoc(pctx *c, const ir_node *n)
{
    if (!n)
        return;
    const ir_node *target = NULL;
    if (n->kind == IR_ASSIGN || (n->kind == IR_UNARY && n->op >= IR_OP_PREINC &&
                                 n->op <= IR_OP_POSTDEC))
        target = strip_casts(n->kids[0]);
    if (n->kind == IR_CALL) {
        for (uint32_t i = 1; i < n->n_kids; i++)
            mark_escapes(c, n->kids[i]);
        call_effects(c, n);
        for (uint32_t i = 1; i < n->n_kids; i++) {
            const ir_node *a = strip_casts(n->kids[i]);
            var_state *vs = a->kind == IR_VAR ? var_of(c, a->decl) : NULL;
            if (vs && !vs->sticky && a->decl->type.cls != IR_TYPE_INT)
                vs->shape = (shaped){NULL, NULL};
        }
    }
    if (target && target->kind == IR_VAR) {
        var_state *vs = var_of(c, target->decl);
        if (vs) {
            vs->value = target->decl->type.cls == IR_TYPE_INT
                            ? fresh(c, target->decl->name) : NULL;
            vs->note = NULL;
            if (!vs->sticky)
                vs->shape = (shaped){NULL, NULL};
        }
    } else if (target) {
        const char *display, *key = path_key(c, target, &display);
        if (key)
            paths_forget(c, key);
        else
            store_through_pointer(c, target);
    }
    for (uint32_t i = 0; i < n->n_kids; i++)
        havoc(c, n->kids[i]);
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
        into->value = into->value && other->value ? fresh(c, name) : NULL;
        into->note = NULL;
    }
    if (into->shape.shape != other->shape.shape &&
        !(into->shape.shape && other->shape.shape &&
          shape_same(into->shape.shape, other->shape.shape)))
        into->shape = (shaped){NULL, NULL};
}

/* C->st := join(C->st, OTHER). */
static void join(pctx *c, const state *other)
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
static void join_into(pctx *c, state *into, bool first)
{
    if (first) {
        *into = state_copy(c, &c->st);
        return;
    }
    state here = c->st;
    c->st = *into;
    join(c, &here);
    *into = c->st;
    c->st = here;
}

static void walk_return(pctx *c, const ir_node *n)
{
    eval_result e = {0};
    if (n->n_kids)
        e = eval(c, n->kids[0]);
    summary_state *sum = c->sum;
    if (!sum)
        return;
    join_into(c, &sum->exit, !sum->have_exit);
    sum->have_exit = true;
    sum->returned = true;
    if (!n->n_kids || is_null_constant(n->kids[0]) || e.is_null)
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
    cond = strip_casts(cond);
    bool negate = false;
    if (cond->kind == IR_UNARY && cond->op == '!' && cond->n_kids == 1) {
        cond = strip_casts(cond->kids[0]);
        negate = true;
    }
    const ir_node *var = cond;
    if (cond->kind == IR_BINARY && cond->n_kids == 2 &&
        (cond->op == IR_OP_EQ || cond->op == IR_OP_NE)) {
        const ir_node *a = strip_casts(cond->kids[0]), *b = cond->kids[1];
        if (is_null_constant(a))
            a = strip_casts(b), b = cond->kids[0];
        if (!is_null_constant(b))
            return NULL;
        var = a;
        negate = negate != (cond->op == IR_OP_NE);
        negate = !negate; /* "p == NULL" is true when null */
    }
    if (var->kind != IR_VAR || var->type.cls != IR_TYPE_POINTER)
        return NULL;
    *null_when_true = negate;
    return var_of(c, var->decl);
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
    eval(c, n->kids[0]);
    bool null_when_true = false;
    tested_var t = tested_var_of(c, null_test(c, n->kids[0], &null_when_true));
    enter_branch(c, 1);
    state before = state_copy(c, &c->st);
    if (null_when_true)
        mark_null(c, t);
    walk(c, n->n_kids > 1 ? n->kids[1] : NULL);
    state after_then = c->st;
    c->st = before;
    if (!null_when_true)
        mark_null(c, t);
    if (n->n_kids > 2)
        walk(c, n->kids[2]);
    join(c, &after_then);
    state_release(c, &after_then);
    enter_branch(c, -1);
}

/* A loop body may run any number of times, a switch body from any case:
   what they assign is unknown on entry and after. */
static void walk_repeated(pctx *c, const ir_node *n)
{
    havoc(c, n);
    enter_branch(c, 1);
    state entry = state_copy(c, &c->st);
    for (uint32_t i = 0; i < n->n_kids; i++)
        walk(c, n->kids[i]);
    state_release(c, &c->st);
    c->st = entry;
    havoc(c, n);
    enter_branch(c, -1);
}

static void walk(pctx *c, const ir_node *n)
{
    if (!n)
        return;
    switch (n->kind) {
    case IR_BLOCK: {
        uint32_t mark = c->n_scope;
        for (uint32_t i = 0; i < n->n_kids; i++)
            walk(c, n->kids[i]);
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
        eval(c, n);
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
            const char *key = arena_printf(c->an->arena, "@%p%s", (const void *)p,
                                           sig->paths[k].suffix);
            const char *disp = arena_printf(c->an->arena, "%s%s", p->name,
                                            sig->paths[k].suffix);
            return path_value(c, key, disp)->value;
        }
    return free_symbol(c, NULL, dim_sym_name(c->an->dims, sym));
}

static void enter_params(pctx *c, const signature *sig)
{
    const ir_func *f = c->f;
    for (uint32_t i = 0; i < f->n_params; i++) {
        const ir_decl *p = f->params[i];
        if (p->type.cls != IR_TYPE_INT || p->address_taken)
            continue;
        if (c->sum && i < c->sum->sig->n_params && c->sum->sig->params[i].is_int)
            c->st.params[i].value = dim_symbol(c->an->dims,
                                               c->sum->sig->params[i].int_sym);
        else
            c->st.params[i].value = fresh(c, p->name[0] ? p->name : "?");
    }
    if (c->sum && sig)
        for (uint32_t k = 0; k < sig->n_paths; k++) {
            const ir_decl *p = f->params[sig->paths[k].param];
            path_set(c, arena_printf(c->an->arena, "@%p%s", (const void *)p,
                                     sig->paths[k].suffix),
                     dim_symbol(c->an->dims, sig->paths[k].sym), NULL);
        }
}

static void enter_function(pctx *c, const signature *sig)
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
        shape_origin *o = new_origin(c, ORIGIN_PARAM, sp->loc, f->params[i]->name);
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
    enter_function(&c, signature_of(an, f));
    for (uint32_t i = 0; i < f->n_params; i++)
        observe(&c, SHAPE_EVENT_DECLARED, f->params[i], f->params[i]->loc,
                c.st.params[i].shape);
    walk(&c, f->body);
}

/* ---- Summaries -------------------------------------------------------- */

static void summary_add_path(pctx *c, const char *key, const dim_poly *value)
{
    signature *sig = c->sum->sig;
    dim_sym sym;
    if (!dim_is_symbol(value, &sym))
        return;
    for (uint32_t i = 0; i < c->f->n_params; i++) {
        char root[48];
        int n = snprintf(root, sizeof root, "@%p", (const void *)c->f->params[i]);
        if (strncmp(key, root, (size_t)n) != 0 || key[n] == '\0' ||
            (key[n] != '.' && key[n] != '-'))
            continue;
        sig_path *paths = arena_array(c->an->arena, sig->n_paths + 1,
                                      sizeof *paths);
        if (sig->n_paths)
            memcpy(paths, sig->paths, sig->n_paths * sizeof *paths);
        paths[sig->n_paths++] = (sig_path){i, arena_strdup(c->an->arena, key + n),
                                           sym};
        sig->paths = paths;
        return;
    }
}

/* Marks the parameters the body writes: their later shapes say nothing
   about the arguments. */
static void scan_assigned(const ir_node *n, const ir_func *f, bool *assigned)
{
    if (!n)
        return;
    const ir_node *target = NULL;
    if (n->kind == IR_ASSIGN || n->kind == IR_ADDR ||
        (n->kind == IR_UNARY && n->op >= IR_OP_PREINC && n->op <= IR_OP_POSTDEC))
        target = strip_casts(n->kids[0]);
    if (target && target->kind == IR_VAR && target->decl &&
        target->decl->kind == IR_DECL_PARAM && target->decl->owner == f &&
        target->decl->index < f->n_params)
        assigned[target->decl->index] = true;
    for (uint32_t i = 0; i < n->n_kids; i++)
        scan_assigned(n->kids[i], f, assigned);
}

static bool summary_shape_ok(const shape *s)
{
    return s && s->rank <= SUMMARY_MAX_RANK;
}

/* The requirements the exit state puts on each parameter the annotations
   leave open. */
static bool summarise_params(pctx *c, const state *exit)
{
    summary_state *sum = c->sum;
    bool any = false;
    for (uint32_t i = 0; i < c->f->n_params && i < sum->sig->n_params; i++) {
        const shaped *sh = &exit->params[i].shape;
        sig_param *sp = &sum->sig->params[i];
        if (sum->assigned[i] || exit->params[i].sticky || !sh->shape ||
            !sh->origin || sh->origin->kind != ORIGIN_INFERRED ||
            !summary_shape_ok(sh->shape))
            continue;
        sp->shape = sh->shape;
        sp->written = shape_format(c->an->arena, c->an->dims, sh->shape);
        sp->loc = sh->origin->loc;
        sp->via = sh->origin->callee;
        any = true;
    }
    return any;
}

/* The initial symbol of a parameter path, if the body read it first. */
static bool is_initial_path_value(const signature *sig, uint32_t param,
                                  const char *suffix, const dim_poly *v)
{
    dim_sym sym;
    if (!dim_is_symbol(v, &sym))
        return false;
    for (uint32_t i = 0; i < sig->n_paths; i++)
        if (sig->paths[i].param == param && sig->paths[i].sym == sym &&
            strcmp(sig->paths[i].suffix, suffix) == 0)
            return true;
    return false;
}

/* Member writes through a parameter that hold at every exit. */
static bool summarise_effects(pctx *c, const state *exit)
{
    signature *sig = c->sum->sig;
    for (uint32_t i = 0; i < exit->n_paths; i++) {
        const path_state *p = &exit->paths[i];
        const ir_decl *root = p->root;
        if (!root || root->kind != IR_DECL_PARAM || root->owner != c->f ||
            c->sum->assigned[root->index] || !p->value)
            continue;
        char prefix[48];
        int n = snprintf(prefix, sizeof prefix, "@%p", (const void *)root);
        const char *suffix = p->key + n;
        if (is_initial_path_value(sig, root->index, suffix, p->value))
            continue; /* read, never written */
        sig_effect *effects = arena_array(c->an->arena, sig->n_effects + 1,
                                          sizeof *effects);
        if (sig->n_effects)
            memcpy(effects, sig->effects, sig->n_effects * sizeof *effects);
        effects[sig->n_effects++] =
            (sig_effect){root->index, arena_strdup(c->an->arena, suffix),
                         p->value, p->note ? p->note->loc : c->f->loc};
        sig->effects = effects;
    }
    return sig->n_effects > 0;
}

static bool summarise_result(pctx *c)
{
    summary_state *sum = c->sum;
    if (!sum->have_ret || sum->ret_varies || !summary_shape_ok(sum->ret.shape))
        return false;
    sum->sig->returns = sum->ret.shape;
    sum->sig->returns_written =
        shape_format(c->an->arena, c->an->dims, sum->ret.shape);
    sum->sig->returns_loc = sum->ret_loc;
    sum->sig->returns_via = sum->ret.origin ? sum->ret.origin->callee : NULL;
    return true;
}

signature *summary_derive(analysis *an, const ir_func *def,
                          const signature *annotated)
{
    if (!def->body || an->summary_depth >= SUMMARY_MAX_DEPTH)
        return NULL;
    summary_state sum = {.annotated = annotated};
    sum.sig = signature_new(an, def);
    if (annotated) /* speak in the annotations' symbols */
        for (uint32_t i = 0; i < sum.sig->n_params && i < annotated->n_params; i++)
            sum.sig->params[i].int_sym = annotated->params[i].int_sym;
    sum.assigned = arena_array(an->arena, def->n_params + 1, sizeof *sum.assigned);
    scan_assigned(def->body, def, sum.assigned);

    pctx c = {.an = an, .f = def, .sum = &sum};
    c.st.locals = arena_array(an->arena, def->n_locals + 1, sizeof *c.st.locals);
    c.st.params = arena_array(an->arena, def->n_params + 1, sizeof *c.st.params);
    strmap_init(&c.free_syms, an->arena);
    if (annotated) {
        sum.sig->paths = annotated->paths;
        sum.sig->n_paths = annotated->n_paths;
    }

    /* Findings belong to the walk of the function itself, not to this. */
    diag_list quiet, *loud = an->diags;
    diag_list_init(&quiet);
    an->diags = &quiet;
    an->summary_depth++;
    enter_function(&c, annotated);
    walk(&c, def->body);
    an->summary_depth--;
    an->diags = loud;
    diag_list_free(&quiet);

    join_into(&c, &sum.exit, !sum.have_exit); /* falling off the end */
    bool any = summarise_params(&c, &sum.exit);
    any |= summarise_result(&c);
    any |= summarise_effects(&c, &sum.exit);
    any |= sum.sig->loss_logits >= 0;
    sum.sig->derived = true;
    return any ? sum.sig : NULL;
}
