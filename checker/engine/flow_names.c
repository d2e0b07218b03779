/*
 * flow_names.c - names in a body's annotations (SPEC section 2, rules 2 to
 * 5), the shapes declarations give (SHAPE, array types), and the value
 * notes that let findings say where a size was set.
 */

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "flow.h"

/* ---- Names in annotations --------------------------------------------- */

typedef struct resolver {
    pctx *c;
    const char *object_key; /* field annotations: the object's path */
    const char *object_display;
    const ir_record *record; /* field annotations: sibling fields */
    shape_origin *origin;    /* collects the values used */
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
        const path_state *p =
            flow_path_value(r->c, arena_printf(a, "%s%s", r->object_key, path),
                            arena_printf(a, "%s%s", r->object_display, path));
        record_value(r, path, p->value, p->note);
        return p->value;
    }
    return NULL;
}

const dim_poly *flow_free_symbol(pctx *c, const char *prefix, const char *name)
{
    const char *key = prefix ? arena_printf(c->an->arena, "%s:%s", prefix, name)
                             : arena_strdup(c->an->arena, name);
    const dim_poly *p = strmap_get(&c->free_syms, key);
    if (!p) {
        p = flow_fresh(c, name);
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
    var_state *vs = d ? flow_var_of(c, d) : NULL;
    if (vs && path[head] == '\0' && d->type.cls == IR_TYPE_INT) {
        record_value(r, path, vs->value, vs->note);
        return vs->value;
    }
    if (d && path[head] != '\0') {
        const char *key =
            arena_printf(c->an->arena, "@%p%s", (const void *)d, path + head);
        const path_state *p = flow_path_value(c, key, path);
        record_value(r, path, p->value, p->note);
        return p->value;
    }
    int64_t value;
    sc_loc loc;
    const char *how;
    if (constant_lookup(c->an, c->f->tu, path, &value, &loc, &how)) {
        const dim_poly *v = dim_const(c->an->dims, value);
        value_note *note = arena_alloc(c->an->arena, sizeof *note);
        *note = (value_note){
            arena_strdup(c->an->arena, path),
            arena_printf(c->an->arena, "%lld", (long long)value), loc, how};
        record_value(r, path, v, note);
        return v;
    }
    return flow_free_symbol(c, r->record ? r->object_key : NULL, path);
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
        if (constant_lookup(r->c->an, r->c->f->tu, name, &value, &loc, &how)) {
            value_note *note = arena_alloc(r->c->an->arena, sizeof *note);
            *note = (value_note){
                name, arena_printf(r->c->an->arena, "%lld", (long long)value),
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

shape_origin *flow_new_origin(pctx *c, origin_kind kind, sc_loc loc,
                              const char *name)
{
    shape_origin *o = arena_alloc(c->an->arena, sizeof *o);
    o->kind = kind, o->loc = loc, o->name = name;
    return o;
}

bool flow_can_hold_shape(const ir_type *t)
{
    return t->cls == IR_TYPE_POINTER || t->cls == IR_TYPE_ARRAY ||
           t->cls == IR_TYPE_RECORD;
}

/* Tells the observer (an editor's hover and inlay hints), if there is one,
   what D holds at AT.  The walks that derive summaries stay silent: their
   shapes are in the callee's symbols, not this body's. */
void flow_observe(pctx *c, shape_event_kind kind, const ir_decl *d, sc_loc at,
                  shaped value)
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
            report_annotation(c->an, ann->loc,
                              "%s on '%s': it belongs on a "
                              "function",
                              ann->kind == IR_ANN_LOSS ? "SHAPE_LOSS"
                                                       : "RETURNS_SHAPE",
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
shaped flow_declared_shape(pctx *c, const ir_decl *d, const char *object_key,
                           const char *object_display, sc_loc use)
{
    shaped r = {NULL, NULL};
    const char *name = object_display ? arena_printf(c->an->arena, "%s%s",
                                                     object_display, d->name)
                                      : d->name;
    resolver res = {c, object_key, object_display,
                    object_key ? d->parent : NULL, NULL};
    const ir_annotation *ann = shape_annotation(c, d);
    if (ann) {
        shape_origin *o = flow_new_origin(c, ORIGIN_DECLARED, ann->loc, name);
        o->written = shape_written(c->an->arena, ann->text);
        res.origin = o;
        const shape *s = annotation_shape(&res, ann);
        if (s && s->rank > 0 && !flow_can_hold_shape(&d->type)) {
            report_annotation(c->an, ann->loc,
                              "SHAPE on '%s', which cannot "
                              "hold a shape: only pointers, arrays and tensors "
                              "can",
                              d->name);
            return r;
        }
        r.shape = s, r.origin = o;
        return r;
    }
    if (d->type.cls != IR_TYPE_ARRAY || d->type.array_rank == 0)
        return r;
    shape *s = shape_new(c->an->arena, d->type.array_rank);
    shape_origin *o = flow_new_origin(c, ORIGIN_ARRAY, d->loc, name);
    res.origin = o;
    const char *written = "";
    for (uint32_t i = 0; i < d->type.array_rank; i++) {
        const ir_node *dim = d->type.array_dims[i];
        eval_result e = {0};
        if (dim)
            e = flow_eval(c, dim);
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
const value_note *flow_constant_note(pctx *c, const char *text)
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
    *note = (value_note){
        text, arena_printf(c->an->arena, "%lld", (long long)value), loc, how};
    return note;
}

const value_note *flow_new_note(pctx *c, const char *name, const dim_poly *v,
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
