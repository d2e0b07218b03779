/*
 * names.c - names in a body's annotations (SPEC 2, rules 2 to 5), the
 * shapes declarations give (SHAPE, array types), and the notes that let
 * findings say where a size was set.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "walk.h"

/* ---- Names in annotations ----------------------------------------------- */

typedef struct resolver {
    walk *w;
    loc_id object;           /* field annotations: the struct holding it */
    const ir_record *record; /* field annotations: sibling fields */
    const ir_annotation *ann;
    shape_origin *origin; /* collects the values used */
} resolver;

static bool name_is(const char *name, const char *s, size_t len)
{
    return strlen(name) == len && strncmp(name, s, len) == 0;
}

static const ir_decl *lookup_var(walk *w, const char *name, size_t len)
{
    for (uint32_t i = w->n_scope; i-- > 0;)
        if (name_is(w->scope[i]->name, name, len))
            return w->scope[i];
    for (uint32_t i = 0; i < w->f->n_params; i++)
        if (name_is(w->f->params[i]->name, name, len))
            return w->f->params[i];
    const ir_tu *tu = w->f->tu;
    for (uint32_t i = 0; tu && i < tu->n_globals; i++)
        if (!tu->globals[i]->has_value &&
            name_is(tu->globals[i]->name, name, len))
            return tu->globals[i];
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

const dim_poly *names_free_symbol(walk *w, const char *prefix, const char *name)
{
    const char *key = prefix ? arena_printf(w->scratch, "%s:%s", prefix, name)
                             : arena_strdup(w->scratch, name);
    const dim_poly *p = strmap_get(&w->free_syms, key);
    if (!p) {
        dim_ctx *D = w->an->dims;
        p = dim_symbol(D, dim_sym_new(D, name));
        strmap_put(&w->free_syms, key, (void *)p);
    }
    return p;
}

static const dim_poly *resolve_sibling(resolver *r, const char *path)
{
    size_t head = strcspn(path, ".-");
    for (uint32_t i = 0; i < r->record->n_fields; i++) {
        const ir_decl *fd = r->record->fields[i];
        if (!name_is(fd->name, path, head))
            continue;
        const aval *v = path_read(r->w, r->object,
                                  arena_printf(r->w->scratch, ".%s", path));
        if (v)
            record_value(r, path, v->num, v->note);
        return v ? v->num : NULL;
    }
    return NULL;
}

static const dim_poly *resolve_constant(resolver *r, const char *path)
{
    walk *w = r->w;
    int64_t value;
    sc_loc loc;
    const char *how;
    if (!constant_lookup(w->an, w->f->tu, r->ann, path, &value, &loc, &how))
        return NULL;
    const dim_poly *v = dim_const(w->an->dims, value);
    value_note *note = arena_alloc(w->an->arena, sizeof *note);
    *note = (value_note){arena_strdup(w->an->arena, path),
                         arena_printf(w->an->arena, "%lld", (long long)value),
                         loc, how, NULL};
    record_value(r, path, v, note);
    return v;
}

/* SPEC 2 for a field's annotation: a sibling field of the same object, a
   constant, or a free symbol, one per object (so that two fields of one
   object that say B mean one B), never a variable of whoever reads the
   field.  With no stable object, a name is unknown. */
static const dim_poly *resolve_in_field(resolver *r, const char *path)
{
    if (r->object) {
        const dim_poly *v = resolve_sibling(r, path);
        if (v)
            return v;
    }
    const dim_poly *c = resolve_constant(r, path);
    if (c || !r->object)
        return c;
    return names_free_symbol(
        r->w, arena_printf(r->w->scratch, "@%u", (unsigned)r->object), path);
}

/* SPEC 2: sibling field, variable in scope, constant, free symbol.  A
   name that stands for something unknown is NULL: that dim is unknown. */
static const dim_poly *resolve_in_body(void *ud, const char *path, int column)
{
    (void)column;
    resolver *r = ud;
    walk *w = r->w;
    if (r->record) /* a field's annotation: no local of the reader's */
        return resolve_in_field(r, path);
    size_t head = strcspn(path, ".-");
    const ir_decl *d = lookup_var(w, path, head);
    if (d && (path[head] != '\0' || d->type.cls == IR_TYPE_INT)) {
        const aval *v = path[head] == '\0'
                            ? cell_read(w, loc_var(w, d))
                            : path_read(w, loc_var(w, d), path + head);
        if (v)
            record_value(r, path, v->num, v->note);
        return v ? v->num : NULL;
    }
    const dim_poly *c = resolve_constant(r, path);
    if (c)
        return c;
    return names_free_symbol(w, NULL, path);
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
        resolve_constant(
            r, arena_strndup(r->w->scratch, start, (size_t)(p - start)));
    }
}

/* The shape a SHAPE annotation gives, in this body's terms. */
static const shape *annotation_shape(resolver *r, const ir_annotation *ann)
{
    analysis *an = r->w->an;
    dim_error err;
    dim_shape_ast *ast = dim_parse(ann->text, &err);
    if (!ast) {
        annotation_problem(an, ann->loc, "malformed shape '%s': %s",
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

shape_origin *names_origin(walk *w, origin_kind kind, sc_loc loc,
                           const char *name)
{
    shape_origin *o = arena_alloc(w->an->arena, sizeof *o);
    o->kind = kind, o->loc = loc, o->name = name;
    return o;
}

bool names_can_hold_shape(const ir_type *t)
{
    return t->cls == IR_TYPE_POINTER || t->cls == IR_TYPE_ARRAY ||
           t->cls == IR_TYPE_RECORD;
}

/* Tells the observer (an editor's hover and inlay hints), if there is one,
   what D holds at AT.  Fixpoint iterations stay silent. */
void names_observe(walk *w, shape_event_kind kind, const ir_decl *d, sc_loc at,
                   shaped value)
{
    const shape_observer *obs = w->an->observer;
    if (!obs || w->silent || !d || !d->name[0])
        return;
    shape_event e = {kind, d, w->f, at, value};
    obs->fn(obs->ud, w->an, &e);
}

/* The SHAPE written on D, if any; reports misplaced ones. */
static const ir_annotation *shape_annotation(walk *w, const ir_decl *d)
{
    for (uint32_t i = 0; i < d->n_annotations; i++) {
        const ir_annotation *ann = &d->annotations[i];
        if (ann->kind == IR_ANN_SHAPE)
            return ann;
        if (!w->silent)
            annotation_problem(
                w->an, ann->loc, "%s on '%s': it belongs on a function",
                ann->kind == IR_ANN_LOSS ? "SHAPE_LOSS" : "RETURNS_SHAPE",
                d->name);
    }
    return NULL;
}

static const char *decl_display(walk *w, const ir_decl *d, loc_id object)
{
    if (!object)
        return d->name;
    const location *o = loc_get(w, object);
    const char *base = o->display;
    if (o->kind == OBJ_ENTRY && !o->parent && base[0] == '*')
        return arena_printf(w->an->arena, "%s->%s", base + 1, d->name);
    return arena_printf(w->an->arena, "%s.%s", base, d->name);
}

static shaped declared_by_annotation(walk *w, const ir_decl *d,
                                     const ir_annotation *ann, loc_id object,
                                     const char *name)
{
    shaped r = {NULL, NULL};
    if (!name)
        name = decl_display(w, d, object);
    resolver res = {w, object, d->kind == IR_DECL_FIELD ? d->parent : NULL, ann,
                    NULL};
    shape_origin *o = names_origin(w, ORIGIN_DECLARED, ann->loc, name);
    o->written = shape_written(w->an->arena, ann->text);
    res.origin = o;
    const shape *s = annotation_shape(&res, ann);
    if (s && s->rank > 0 && !names_can_hold_shape(&d->type)) {
        annotation_problem(w->an, ann->loc,
                           "SHAPE on '%s', which cannot hold a shape: only "
                           "pointers, arrays and tensors can",
                           d->name);
        return r;
    }
    r.shape = s, r.origin = o;
    return r;
}

static shaped declared_by_array(walk *w, const ir_decl *d, loc_id object,
                                const aval *const *dims, const char *name)
{
    shaped r = {NULL, NULL};
    if (d->type.cls != IR_TYPE_ARRAY || d->type.array_rank == 0)
        return r;
    analysis *an = w->an;
    shape *s = shape_new(an->arena, d->type.array_rank);
    shape_origin *o = names_origin(w, ORIGIN_ARRAY, d->loc,
                                   name ? name : decl_display(w, d, object));
    resolver res = {w, 0, NULL, NULL, o};
    const char *written = "";
    for (uint32_t i = 0; i < d->type.array_rank; i++) {
        const ir_node *dim = d->type.array_dims[i];
        if (dims)
            s->dims[i] = dims[i]->num;
        else if (dim && dim->kind == IR_INT)
            s->dims[i] = dim_const(an->dims, dim->value);
        written = arena_printf(an->arena, "%s%s%s", written, i ? ", " : "",
                               dim && dim->text ? dim->text : "_");
        if (dim && dim->kind == IR_INT && dim->text)
            note_constants_in(&res, dim->text);
        else if (dim && dim->kind == IR_VAR && dim->text && dims)
            record_value(&res, dim->text, s->dims[i], dims[i]->note);
    }
    o->written = arena_printf(an->arena, "[%s]", written);
    r.shape = s, r.origin = o;
    return r;
}

shaped names_declared(walk *w, const ir_decl *d, loc_id object,
                      const aval *const *dims, const char *name)
{
    if (name)
        name = arena_strdup(w->an->arena, name);
    const ir_annotation *ann = shape_annotation(w, d);
    if (ann)
        return declared_by_annotation(w, d, ann, object, name);
    return declared_by_array(w, d, object, dims, name);
}

void names_enter_scope(walk *w, const ir_decl *d)
{
    if (w->n_scope == w->cap_scope) {
        w->cap_scope = w->cap_scope ? w->cap_scope * 2 : 16;
        const ir_decl **s = arena_array(w->scratch, w->cap_scope, sizeof *s);
        if (w->n_scope)
            memcpy(s, w->scope, w->n_scope * sizeof *s);
        w->scope = s;
    }
    w->scope[w->n_scope++] = d;
}

/* ---- Notes -------------------------------------------------------------- */

/* Where the constant N (an integer written as a macro or constant name)
   was defined: the macro definition expanded there when the front end
   says which, else the name's definition in the TU. */
const value_note *names_constant_note(walk *w, const ir_node *n, int64_t value)
{
    analysis *an = w->an;
    if (n->macro) {
        value_note *note = arena_alloc(an->arena, sizeof *note);
        *note = (value_note){n->macro->name,
                             arena_printf(an->arena, "%lld", (long long)value),
                             n->macro->loc, "defined as", NULL};
        return note;
    }
    const char *text = n->text;
    if (!text || !(isalpha((unsigned char)text[0]) || text[0] == '_'))
        return NULL;
    for (const char *p = text; *p; p++)
        if (!isalnum((unsigned char)*p) && *p != '_')
            return NULL;
    int64_t found;
    sc_loc loc;
    const char *how;
    if (!constant_lookup(an, w->f->tu, NULL, text, &found, &loc, &how) ||
        found != value)
        return NULL;
    value_note *note = arena_alloc(an->arena, sizeof *note);
    *note =
        (value_note){text, arena_printf(an->arena, "%lld", (long long)value),
                     loc, how, NULL};
    return note;
}

value_note *names_set_note(walk *w, const char *name, const dim_poly *v,
                           sc_loc loc)
{
    int64_t k;
    if (!dim_is_const(v, &k))
        return NULL;
    analysis *an = w->an;
    value_note *note = arena_alloc(an->arena, sizeof *note);
    *note = (value_note){arena_strdup(an->arena, name),
                         arena_printf(an->arena, "%lld", (long long)k), loc,
                         "set to", NULL};
    return note;
}
