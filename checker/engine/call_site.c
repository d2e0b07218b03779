/*
 * call_site.c - one call: its arguments against the callee's signature
 * (views and extents, analysis/call.c), the rules run through their table,
 * and what the call may change.
 *
 * What a call may change comes from the callee's summary: the members it
 * writes through each pointer argument, the globals it writes, whether it
 * keeps a pointer, whether it runs code nobody can see.  A call changes
 * only that.  A C library function is a row of libc.c's table; any other
 * function with no summary may change everything its arguments reach and
 * everything others can reach.
 */
#include <string.h>

#include "walk.h"

/* ---- Arguments ---------------------------------------------------------- */

/* The type of parameter I of CALLEE, or NULL (variadic, unprototyped). */
static const ir_type *param_type(const ir_node *call, uint32_t i)
{
    const ir_func *f = call->callee;
    return f && i < f->n_params ? &f->params[i]->type : NULL;
}

/* The value member path SUFFIX of argument ARG has ("->batch" through a
   pointer, ".batch" of a struct passed by value), or NULL. */
static const dim_poly *arg_path_value(walk *w, const ir_node *arg,
                                      const value *v, const char *suffix)
{
    if (suffix[0] == '-' && suffix[1] == '>') {
        const ptset *p = v->v->pts;
        if (!p || p->unknown || p->n != 1)
            return NULL;
        const aval *r = path_read(w, p->targets[0],
                                  arena_printf(w->scratch, ".%s", suffix + 2));
        return r ? r->num : NULL;
    }
    const ir_node *a = ir_strip_casts(arg);
    if (suffix[0] != '.' || (a->kind != IR_VAR && a->kind != IR_MEMBER))
        return NULL;
    place p = expr_place(w, a);
    const aval *r = p.loc ? path_read(w, p.loc, suffix) : NULL;
    return r ? r->num : NULL;
}

static call_arg *build_args(walk *w, const ir_node *n, const signature *sig,
                            const value *vals, uint32_t n_args)
{
    call_arg *args = arena_array(w->an->arena, n_args + 1, sizeof *args);
    for (uint32_t i = 0; i < n_args; i++) {
        const ir_node *a = n->kids[1 + i];
        const aval *v = vals[i].v;
        const ir_type *pt = param_type(n, i);
        call_arg *ca = &args[i];
        ca->text = a->text ? a->text : "?";
        ca->loc = a->loc, ca->end = a->end;
        ca->extent = v->extent, ca->exact = v->exact;
        ca->observed = v->observed, ca->is_null = v->is_null;
        if (vals[i].type.cls == IR_TYPE_INT) {
            const aval *c = pt ? int_convert(w, v, &vals[i].type, pt, a) : v;
            ca->int_value = c->num;
            ca->int_note = c == v ? v->note : NULL;
            ca->int_bounds = v->bounds;
            ca->n_int_bounds = v->n_bounds;
        }
    }
    for (uint32_t k = 0; k < sig->n_paths; k++) {
        uint32_t p = sig->paths[k].param;
        if (p >= n_args)
            continue;
        const dim_poly *pv =
            arg_path_value(w, n->kids[1 + p], &vals[p], sig->paths[k].suffix);
        if (!pv)
            continue;
        if (!args[p].path_values)
            args[p].path_values = arena_array(w->an->arena, sig->n_paths,
                                              sizeof *args[p].path_values);
        args[p].path_values[k] = pv;
    }
    return args;
}

/* Runs every rule's call hook, in table order. */
static void run_rules(walk *w, const ir_node *n, const call_result *r)
{
    call_check chk = {r, n->callee->name, n->loc, n->end, NULL};
    chk.claimed =
        arena_array(w->scratch, r->n_conflicts + 1, sizeof *chk.claimed);
    for (size_t i = 0; i < sc_n_rules; i++)
        if (sc_rules[i]->on_call)
            sc_rules[i]->on_call(w->an, &chk);
}

/* The location at member path REST ("cfg.batch", "" for LOC itself)
   below LOC, or 0. */
static loc_id member_at(walk *w, loc_id loc, const char *rest)
{
    while (loc && *rest) {
        size_t len = strcspn(rest, ".");
        loc = loc_field_named(w, loc, arena_strndup(w->scratch, rest, len));
        rest += len + (rest[len] == '.');
    }
    return loc;
}

/* What the caller knows each static local of SIG's paths to hold: the
   values that bind the summary's symbols for them (NULL: none).  Only a
   constant binds one: a static local is a counter or a flag, which SPEC
   2's "sizes are >= 1" says nothing of, so an unknown one must stay
   unknown (left unbound, the callee's result is a fresh unknown). */
static const dim_poly **static_values(walk *w, const signature *sig)
{
    const dim_poly **out = NULL;
    for (uint32_t k = 0; k < sig->n_paths; k++) {
        const sig_path *p = &sig->paths[k];
        const ir_decl *d = p->param == SIG_PATH_STATIC
                               ? static_local_named(w, p->static_key)
                               : NULL;
        loc_id loc =
            d ? member_at(w, loc_var(w, d), p->suffix + (p->suffix[0] == '.'))
              : 0;
        const aval *v = loc && loc_get(w, loc)->type.cls == IR_TYPE_INT
                            ? cell_read(w, loc)
                            : NULL;
        int64_t c;
        if (!v || !v->num || !dim_is_const(v->num, &c))
            continue;
        if (!out)
            out = arena_array(w->an->arena, sig->n_paths, sizeof *out);
        out[k] = v->num;
    }
    return out;
}

static const call_result *check_call(walk *w, const ir_node *n,
                                     const signature *sig, const value *vals,
                                     uint32_t n_args)
{
    call_arg *args = build_args(w, n, sig, vals, n_args);
    const call_result *r =
        call_instantiate(w->an, sig, args, n_args, static_values(w, sig));
    if (!w->silent)
        run_rules(w, n, r);
    collect_loss(w, sig, n);
    return r;
}

/* ---- What the call changes ---------------------------------------------- */

/* What a callee may write at PATH below location LOC (".cfg.batch",
   ".layers->*": all that the pointer there reaches, "->h" through it)
   becomes unknown.  A pointer on the way that may point anywhere makes
   the write reach anything others can reach. */
static void write_path(walk *w, loc_id loc, const char *path,
                       const ir_node *site)
{
    while (*path) {
        if (path[0] == '-' && path[1] == '>') {
            const aval *p = cell_read(w, loc);
            if (!p->pts || p->pts->unknown) {
                clobber_outside(w, site);
                return;
            }
            path += 2;
            for (uint32_t i = 0; i < p->pts->n; i++)
                if (*path == '*')
                    clobber_deep(w, p->pts->targets[i], site);
                else
                    write_path(w, p->pts->targets[i],
                               arena_printf(w->scratch, ".%s", path), site);
            return;
        }
        if (path[0] == '.')
            path++;
        size_t n = strcspn(path, ".-");
        loc_id f = loc_field_named(w, loc, arena_strndup(w->scratch, path, n));
        if (!f) { /* a member the caller cannot name: all of it */
            clobber_deep(w, loc, site);
            return;
        }
        loc = f;
        path += n;
    }
    const location *l = loc_get(w, loc);
    if (l->type.cls == IR_TYPE_INT || l->type.cls == IR_TYPE_POINTER)
        cell_write(w, loc, aval_unknown(w, site, loc, &l->type), true, site);
    else
        clobber_deep(w, loc, site);
}

/* The global KEY ("name", "name@file") of the caller's TU, or its static
   local ("name@file:line:col"), or NULL. */
static const ir_decl *global_named(walk *w, const char *key)
{
    const ir_tu *tu = w->f->tu;
    const char *at = strchr(key, '@');
    if (at && strchr(at, ':'))
        return static_local_named(w, key);
    size_t len = at ? (size_t)(at - key) : strlen(key);
    for (uint32_t i = 0; tu && i < tu->n_globals; i++) {
        const ir_decl *g = tu->globals[i];
        if (strlen(g->name) != len || strncmp(g->name, key, len) != 0 ||
            g->is_static != (at != NULL))
            continue;
        if (!at || (g->loc.file && strcmp(g->loc.file, at + 1) == 0))
            return g;
    }
    return NULL;
}

/* Memory an argument points to is of the parameter's pointee type (what
   malloc returned may not have been seen as one yet). */
static void learn_pointees(walk *w, const ir_node *call, uint32_t i,
                           const ptset *p)
{
    const ir_type *t = param_type(call, i);
    if (!t || t->cls != IR_TYPE_POINTER || t->pointer_depth != 1 ||
        t->elem_cls != IR_TYPE_RECORD)
        return;
    ir_type pointee = {.cls = IR_TYPE_RECORD, .record = t->record};
    for (uint32_t k = 0; p && k < p->n; k++)
        loc_learn_type(w, p->targets[k], &pointee);
}

static void apply_write(walk *w, const sig_write *wr, const value *vals,
                        uint32_t n_args, const ir_node *site)
{
    if (wr->param < 0) {
        const ir_decl *g = global_named(w, wr->global);
        if (g)
            write_path(w, loc_var(w, g), wr->suffix, site);
        return;
    }
    if ((uint32_t)wr->param >= n_args)
        return;
    const ptset *p = vals[wr->param].v->pts;
    if (!p || p->unknown) {
        clobber_outside(w, site);
        return;
    }
    /* "->B" below each object the argument points to. */
    learn_pointees(w, site, (uint32_t)wr->param, p);
    const char *rest = wr->suffix[0] == '-' ? wr->suffix + 2 : wr->suffix;
    for (uint32_t i = 0; i < p->n; i++) {
        if (!rest[0] || rest[0] == '*')
            clobber_deep(w, p->targets[i], site);
        else
            write_path(w, p->targets[i], arena_printf(w->scratch, ".%s", rest),
                       site);
    }
}

/* The note of the integer argument a summary's value is, if it is one
   ("l->B = b": the note of what was passed as b). */
static const value_note *arg_note_of(const call_result *r, const dim_poly *v)
{
    dim_sym s;
    if (!dim_is_symbol(v, &s))
        return NULL;
    for (uint32_t i = 0; i < r->sig->n_params && i < r->n_args; i++)
        if (r->sig->params[i].is_int && r->sig->params[i].int_sym == s)
            return r->args[i].int_note;
    return NULL;
}

/* The caller's location an effect sets: a member of the one object the
   argument points to, or of a global this unit declares; 0 when none. */
static loc_id effect_location(walk *w, const ir_node *n, const sig_effect *e,
                              const value *vals, uint32_t n_args)
{
    if (e->global) {
        const ir_decl *g = global_named(w, e->global);
        if (!g || strstr(e->suffix, "->"))
            return 0;
        return member_at(w, loc_var(w, g), e->suffix + (e->suffix[0] == '.'));
    }
    if (e->param >= n_args || e->suffix[0] != '-')
        return 0;
    const ptset *p = vals[e->param].v->pts;
    if (!p || p->unknown || p->n != 1)
        return 0;
    learn_pointees(w, n, e->param, p);
    /* "->cfg.batch": fields of the object the argument points to ("->*":
       that object itself, an out-parameter's integer); a member through a
       further pointer is not applied. */
    const char *rest = e->suffix + 2;
    if (strcmp(rest, "*") == 0)
        return p->targets[0];
    if (strstr(rest, "->"))
        return 0;
    return member_at(w, p->targets[0], rest);
}

/* What the callee leaves in its arguments' members, and in globals, on
   every path. */
static void apply_effects(walk *w, const ir_node *n, const call_result *r,
                          const value *vals, uint32_t n_args)
{
    const signature *sig = r->sig;
    for (uint32_t k = 0; k < sig->n_effects; k++) {
        const sig_effect *e = &sig->effects[k];
        const dim_poly *v = r->effect_values[k];
        if (!v && !e->fresh)
            continue;
        loc_id loc = effect_location(w, n, e, vals, n_args);
        if (loc && e->fresh && loc_get(w, loc)->type.cls == IR_TYPE_POINTER) {
            const location *l = loc_get(w, loc);
            const aval *p = aval_fresh_member(w, n, loc);
            loc_id made = p->pts->targets[0];
            if (e->kept) /* or what it held */
                p = aval_join(w, cell_read(w, loc), p, n, loc);
            cell_write(w, loc, p, !l->weak, n);
            escape_stored(w, loc, made);
            continue;
        }
        if (!loc || !v || loc_get(w, loc)->type.cls != IR_TYPE_INT)
            continue;
        const location *l = loc_get(w, loc);
        value_note *note = names_set_note(w, l->display, v, n->loc);
        if (note) { /* and where the value came from */
            const value_note *arg = arg_note_of(r, e->value);
            note->from = arg ? arg : e->note ? e->note->from : NULL;
        }
        const aval *val =
            int_convert(w, aval_int(w, v, note), &(ir_type){.cls = IR_TYPE_INT},
                        &l->type, n);
        cell_write(w, loc, val, !l->weak, n);
    }
}

/* The callee may keep pointer V: what it points to escapes. */
static void escape_argument(walk *w, const value *v)
{
    collect_escape(w, v->v);
    for (uint32_t i = 0; v->v->pts && i < v->v->pts->n; i++)
        escape_deep(w, v->v->pts->targets[i]);
}

static void apply_summary(walk *w, const ir_node *n, const signature *sig,
                          const call_result *r, const value *vals,
                          uint32_t n_args)
{
    for (uint32_t i = 0; i < sig->n_writes; i++)
        apply_write(w, &sig->writes[i], vals, n_args, n);
    for (uint32_t i = 0; i < sig->n_params && i < n_args; i++)
        if (sig->params[i].escapes)
            escape_argument(w, &vals[i]);
    /* Code nobody can see, run by the callee, reaches only what others
       can reach: what the callee let escape (above) is among it; what the
       caller keeps to itself is not. */
    if (sig->writes_any) {
        w->wrote_anywhere = true;
        clobber_outside(w, n);
    }
    if (r)
        apply_effects(w, n, r, vals, n_args);
}

/* Pointer arguments a callee may write through: not pointers to const. */
static bool writable(const ir_node *n, uint32_t i, const value *v)
{
    if (v->v->is_null) /* glob(p, 0, NULL, &g): no callback, no write */
        return false;
    const ir_type *pt = param_type(n, i);
    return v->type.cls == IR_TYPE_POINTER || v->type.cls == IR_TYPE_ARRAY
               ? !(pt && pt->pointee_const)
               : false;
}

/* The pointer cells below LOC hold memory call N allocated: each its own
   fresh object (escaped with LOC if others can reach it). */
static void fill_fresh(walk *w, const ir_node *n, loc_id loc)
{
    const location *l = loc_get(w, loc);
    for (loc_id c = l->first_child; c; c = loc_get(w, c)->next_sibling)
        fill_fresh(w, n, c);
    if (l->type.cls != IR_TYPE_POINTER)
        return;
    const aval *p = aval_fresh_member(w, n, loc);
    cell_write(w, loc, p, !l->weak, n);
    escape_stored(w, loc, p->pts->targets[0]);
}

static void apply_library(walk *w, const ir_node *n, lib_effect e,
                          const value *vals, uint32_t n_args)
{
    if (e == LIB_NORETURN) {
        w->st.dead = true;
        return;
    }
    if (e != LIB_WRITES && e != LIB_FILLS)
        return;
    for (uint32_t i = 0; i < n_args; i++) {
        if (!writable(n, i, &vals[i]))
            continue;
        const ptset *p = vals[i].v->pts;
        if (!p || p->unknown)
            clobber_anywhere(w, &(ir_type){.cls = IR_TYPE_OTHER}, n);
        for (uint32_t k = 0; p && k < p->n; k++) {
            clobber_deep(w, p->targets[k], n);
            if (e == LIB_FILLS)
                fill_fresh(w, n, p->targets[k]);
        }
    }
}

/* A library function the table does not know, or a function whose
   annotations are all the program has of it (a kernel, an allocator, a
   --models declaration): it may write through and keep the pointers it is
   given, but does not name the program's globals (docs/memory-model.md:
   an assumption, as for library code). */
static void apply_system(walk *w, const ir_node *n, const value *vals,
                         uint32_t n_args)
{
    for (uint32_t i = 0; i < n_args; i++)
        if (writable(n, i, &vals[i]))
            escape_argument(w, &vals[i]);
    apply_library(w, n, LIB_WRITES, vals, n_args);
}

static bool has_body(walk *w, const ir_func *f)
{
    func_group *g = func_group_of(w->an, f);
    return g && func_group_definition(g);
}

/* A body of the program whose summary is not known (recursion, past the
   work budget) may run any function of the unit and change its static
   locals and sealed globals, which code nobody can see cannot
   (location.immune): written here, so that this body's summary names
   them too. */
static void clobber_static_locals(walk *w, const ir_node *n)
{
    const ir_tu *tu = w->f->tu;
    for (uint32_t i = 0; tu && i < tu->n_globals; i++) {
        const ir_decl *d = tu->globals[i];
        if (!engine_global_sealed(w->an, d))
            continue;
        loc_id loc = loc_var(w, d);
        cell_write(w, loc, aval_unknown(w, n, loc, &d->type), true, n);
    }
    for (uint32_t i = 0; tu && i < tu->n_funcs; i++) {
        const ir_func *f = tu->funcs[i];
        for (uint32_t k = 0; f->body && k < f->n_locals; k++) {
            const ir_decl *d = f->locals[k];
            if (!d->is_static || d->type.cls != IR_TYPE_INT)
                continue;
            loc_id loc = loc_var(w, d);
            if (loc_get(w, loc)->immune)
                cell_write(w, loc, aval_unknown(w, n, loc, &d->type), true, n);
        }
    }
}

/* Code nobody can see: it may keep every pointer it is given and write
   everything others can reach. */
static void apply_unknown(walk *w, const ir_node *n, const value *vals,
                          uint32_t n_args)
{
    for (uint32_t i = 0; i < n_args; i++)
        if (writable(n, i, &vals[i]))
            escape_argument(w, &vals[i]);
    w->wrote_anywhere = true;
    clobber_outside(w, n);
    if (n->callee && has_body(w, n->callee))
        clobber_static_locals(w, n);
}

static void apply_call(walk *w, const ir_node *n, const signature *sig,
                       const call_result *r, const value *vals, uint32_t n_args)
{
    lib_effect e;
    if (sig && sig->summarised)
        apply_summary(w, n, sig, r, vals, n_args);
    else if (n->callee && !has_body(w, n->callee) &&
             libc_model(n->callee->name, &e))
        apply_library(w, n, e, vals, n_args);
    else if (n->callee && !has_body(w, n->callee) &&
             (n->callee->in_system_header || (sig && !sig->derived)))
        apply_system(w, n, vals, n_args); /* library code, or a kernel */
    else
        apply_unknown(w, n, vals, n_args);
    if (sig && sig->no_return)
        w->st.dead = true;
}

/* ---- Observations and the result ---------------------------------------- */

/* A flat buffer (malloc's [rows*cols] elements) passed whole as a view
   of the same element count ([rows, cols]) takes the view's dims as its
   extent: the same memory, told in the rows a loss compares. */
static void reshape_flat_extent(walk *w, const ir_node *n, const ir_node *a,
                                const shape *view, const aval *v)
{
    dim_ctx *D = w->an->dims;
    const shape *flat = v->extent.shape;
    if (flat->rank != 1 || view->rank < 2 || !flat->dims[0] ||
        shape_elements(D, view) != flat->dims[0])
        return;
    place p = expr_place(w, a);
    if (!p.loc || !p.strong)
        return;
    shape_origin *o =
        names_origin(w, ORIGIN_INFERRED, n->loc, a->text ? a->text : "?");
    o->written = shape_format(w->an->arena, D, view);
    o->callee = n->callee->name;
    o->from = v->extent.origin;
    aval seen = *cell_read(w, p.loc);
    if (seen.extent.shape != flat)
        return;
    seen.extent = (shaped){view, o};
    cell_replace(w, p.loc, aval_new(w, &seen));
}

/* A pointer variable or member with no extent passed to a SHAPE
   parameter was seen to be used as that view: an observation (notes,
   hover, what a summary requires of a parameter), never a contract. */
static void observe_arguments(walk *w, const ir_node *n, const call_result *r,
                              const value *vals)
{
    for (uint32_t i = 0; i < r->n_args; i++) {
        const ir_node *a = ir_strip_casts(n->kids[1 + i]);
        if (!r->views[i] || (a->kind != IR_VAR && a->kind != IR_MEMBER) ||
            vals[i].type.cls != IR_TYPE_POINTER)
            continue;
        if (vals[i].v->extent.shape) {
            reshape_flat_extent(w, n, a, r->views[i], vals[i].v);
            continue;
        }
        place p = expr_place(w, a);
        if (!p.loc || !p.strong)
            continue;
        shape_origin *o =
            names_origin(w, ORIGIN_INFERRED, n->loc, a->text ? a->text : "?");
        o->written = shape_format(w->an->arena, w->an->dims, r->views[i]);
        o->callee = n->callee->name;
        aval seen = *cell_read(w, p.loc);
        seen.observed = (shaped){r->views[i], o};
        cell_replace(w, p.loc, aval_new(w, &seen));
        if (a->kind == IR_VAR)
            names_observe(w, SHAPE_EVENT_TAKEN, a->decl, a->loc, seen.observed);
    }
}

/* The story of a call's result: the call, the values that sized it, and
   for a summarised function the return it comes from. */
static shape_origin *returned_origin(walk *w, const call_result *r,
                                     const ir_node *n, const shape *s)
{
    shape_origin *o =
        names_origin(w, ORIGIN_RETURNED, n->loc, n->text ? n->text : "?");
    o->written = shape_format(w->an->arena, w->an->dims, s);
    o->callee = n->callee->name;
    for (uint32_t k = 0; k < r->n_bindings && o->n_values < ORIGIN_MAX_VALUES;
         k++) {
        const binding *b = &r->bindings[k];
        const value_note *v =
            b->dim < 0 && b->arg >= 0 ? r->args[b->arg].int_note : NULL;
        if (v && v->loc.file)
            o->values[o->n_values++] = *v;
    }
    const signature *sig = r->sig;
    if (sig->derived && sig->returns_loc.file && sig->returns_via) {
        shape_origin *inner =
            names_origin(w, ORIGIN_CALLEE_RETURN, sig->returns_loc, sig->name);
        inner->written =
            s == r->returns ? sig->returns_written : sig->returns_seen_written;
        inner->callee = sig->returns_via;
        o->from = inner;
    }
    return o;
}

/* The members the callee leaves in its result (fresh memory, or a struct
   returned by value), written into OBJ, the result at this call. */
static void apply_result_effects(walk *w, const ir_node *n,
                                 const call_result *r, loc_id obj)
{
    const signature *sig = r->sig;
    if (n->type.cls == IR_TYPE_POINTER && n->type.pointer_depth == 1 &&
        n->type.elem_cls == IR_TYPE_RECORD) {
        ir_type pointee = {.cls = IR_TYPE_RECORD, .record = n->type.record};
        loc_learn_type(w, obj, &pointee);
    }
    for (uint32_t k = 0; k < sig->n_result_effects; k++) {
        const char *rest = sig->result_effects[k].suffix;
        const dim_poly *v = r->result_effect_values[k];
        bool fresh = sig->result_effects[k].fresh;
        loc_id loc = obj;
        while (loc && (v || fresh) && *rest == '.') {
            rest++;
            size_t len = strcspn(rest, ".");
            loc = loc_field_named(w, loc, arena_strndup(w->scratch, rest, len));
            rest += len;
        }
        if (loc && fresh && loc_get(w, loc)->type.cls == IR_TYPE_POINTER) {
            cell_replace(w, loc, aval_fresh_member(w, n, loc));
            continue;
        }
        if (!loc || !v || loc_get(w, loc)->type.cls != IR_TYPE_INT)
            continue;
        const location *l = loc_get(w, loc);
        value_note *note = names_set_note(w, l->display, v, n->loc);
        const sig_effect *e = &sig->result_effects[k];
        if (note) {
            const value_note *arg = arg_note_of(r, e->value);
            note->from = arg ? arg : e->note ? e->note->from : NULL;
        }
        cell_replace(w, loc, aval_int(w, v, note));
    }
}

/* Fresh memory: the allocation site is its object. */
static const ptset *fresh(walk *w, const ir_node *n)
{
    ptset *p = arena_alloc(w->scratch, sizeof *p);
    p->n = 1, p->maybe_null = true;
    p->targets[0] = loc_alloc(w, n);
    return p;
}

/* The size in bytes malloc, calloc, realloc or aligned_alloc is asked
   for, or NULL. */
static const dim_poly *bytes_asked(walk *w, const ir_node *n, const value *vals,
                                   uint32_t n_args)
{
    const char *f = n->callee ? n->callee->name : "";
    if (strcmp(f, "malloc") == 0 && n_args == 1)
        return vals[0].v->num;
    if (strcmp(f, "calloc") == 0 && n_args == 2)
        return dim_mul(w->an->dims, vals[0].v->num, vals[1].v->num);
    if ((strcmp(f, "realloc") == 0 || strcmp(f, "aligned_alloc") == 0) &&
        n_args == 2)
        return vals[1].v->num;
    return NULL;
}

static value result_of(walk *w, const ir_node *n, const signature *sig,
                       const call_result *r, bool allocates)
{
    value v = {&aval_nothing, n->type};
    if (n->type.cls == IR_TYPE_INT) {
        const char *name = n->callee ? n->callee->name : "?";
        aval proto = {.num = r && r->returns_int
                                 ? r->returns_int
                                 : site_symbol(w, n, 0, 'r', name)};
        v.v = aval_new(w, &proto);
        for (uint32_t k = 0; r && k < sig->n_returns_int_bounds; k++)
            v.v = aval_bounded(w, v.v, r->returns_int_bounds[k]);
    } else if (n->type.cls == IR_TYPE_RECORD && r && r->returns) {
        /* A tensor made by a constructor: its own shape, read whole. */
        aval proto = {
            .extent = {r->returns, returned_origin(w, r, n, r->returns)},
            .exact = true};
        v.v = aval_new(w, &proto);
    } else if (n->type.cls == IR_TYPE_POINTER) {
        aval proto = {0};
        /* A RETURNS_SHAPE result is a buffer the call made (SPEC 3). */
        bool made = allocates || (sig && sig->returns && !sig->returns_via);
        if (allocates || (made && n->type.elem_cls != IR_TYPE_RECORD) ||
            (sig && sig->returns_fresh)) /* (fopen's FILE is fresh too) */
            proto.pts = fresh(w, n);
        if (r && r->returns)
            proto.extent =
                (shaped){r->returns, returned_origin(w, r, n, r->returns)};
        if (r && r->returns_seen)
            proto.observed = (shaped){
                r->returns_seen, returned_origin(w, r, n, r->returns_seen)};
        v.v = aval_new(w, &proto);
    }
    return v;
}

/* Whether a summary that relied on its caller's memory being private
   holds at this call: no argument reaches memory others can reach.  A
   call that relies on it makes this walk rely on it too, when the memory
   is its own caller's. */
static bool trusted(walk *w, const signature *sig, const value *vals,
                    uint32_t n_args)
{
    if (!sig->assumes_private)
        return true;
    for (uint32_t i = 0; i < n_args; i++) {
        const aval *v = vals[i].v;
        if (vals[i].type.cls != IR_TYPE_POINTER &&
            vals[i].type.cls != IR_TYPE_ARRAY)
            continue;
        if (v->is_null || (i < 64 && !(sig->private_params >> i & 1)))
            continue; /* nothing, or memory the summary does not rely on */
        if (!v->pts || v->pts->unknown)
            return false; /* may point anywhere */
        for (uint32_t k = 0; k < v->pts->n; k++) {
            bool from_caller = false;
            if (!loc_private(w, v->pts->targets[k], &from_caller))
                return false;
            if (from_caller)
                walk_relies_on(w, v->pts->targets[k]);
        }
    }
    return true;
}

/* The signature a call is checked with: the whole one, or, where its
   summary cannot be trusted, the annotations alone. */
static const signature *usable(walk *w, const ir_node *n, const signature *sig,
                               const value *vals, uint32_t n_args)
{
    if (!sig || !sig->summarised || trusted(w, sig, vals, n_args))
        return sig;
    func_group *g = func_group_of(w->an, n->callee);
    return g ? g->annotated : NULL;
}

/* ---- What the call knows of its callee's entry ------------------------- */

/* The static locals of the unit's functions that are known integers
   here, into E. */
static void static_facts(walk *w, entry_context *e)
{
    const ir_tu *tu = w->f->tu;
    uint32_t cap = 0;
    for (uint32_t i = 0; tu && i < tu->n_funcs; i++) {
        const ir_func *f = tu->funcs[i];
        for (uint32_t k = 0; f->body && k < f->n_locals; k++) {
            const ir_decl *d = f->locals[k];
            int64_t v;
            const aval *now = d->is_static && d->type.cls == IR_TYPE_INT
                                  ? cell_read(w, loc_var(w, d))
                                  : NULL;
            if (!now || !now->num || !dim_is_const(now->num, &v))
                continue;
            e->facts = arena_grow(w->scratch, e->facts, e->n_facts, &cap,
                                  sizeof *e->facts);
            e->facts[e->n_facts++] = (entry_fact){d, "", v, NULL};
        }
    }
    for (uint32_t i = 0; tu && i < tu->n_globals; i++) {
        const ir_decl *d = tu->globals[i];
        int64_t v;
        const aval *now =
            engine_global_sealed(w->an, d) ? cell_read(w, loc_var(w, d)) : NULL;
        if (!now || !now->num || !dim_is_const(now->num, &v))
            continue;
        e->facts = arena_grow(w->scratch, e->facts, e->n_facts, &cap,
                              sizeof *e->facts);
        e->facts[e->n_facts++] = (entry_fact){d, "", v, now->note};
    }
}

/* A call of a function that runs only through it (context.c): what
   this walk knows at its entry, met with what earlier visits knew. */
static void record_entry(walk *w, const ir_node *n, const value *vals,
                         uint32_t n_args)
{
    func_group *g = func_group_of(w->an, n->callee);
    if (!g || !g->through_one_call)
        return;
    uint32_t np = n->callee->n_params < n_args ? n->callee->n_params : n_args;
    entry_context e = {.n_args = np, .call = n->loc};
    e.args = arena_array(w->scratch, np + 1, sizeof *e.args);
    e.arg_known = arena_array(w->scratch, np + 1, sizeof *e.arg_known);
    for (uint32_t i = 0; i < np; i++) {
        const ir_type *pt = param_type(n, i);
        if (vals[i].type.cls != IR_TYPE_INT || !pt || pt->cls != IR_TYPE_INT)
            continue;
        const aval *c =
            int_convert(w, vals[i].v, &vals[i].type, pt, n->kids[1 + i]);
        e.arg_known[i] = c->num && dim_is_const(c->num, &e.args[i]);
    }
    static_facts(w, &e);
    if (!g->entry)
        g->entry = arena_alloc(w->an->arena, sizeof *g->entry);
    entry_context_meet(w->an, g->entry, &e);
}

value call_eval(walk *w, const ir_node *n)
{
    uint32_t n_args = n->n_kids ? n->n_kids - 1 : 0;
    if (!n->callee && n->n_kids)
        expr_eval(w, n->kids[0]); /* through a pointer */
    value *vals = arena_array(w->scratch, n_args + 1, sizeof *vals);
    for (uint32_t i = 0; i < n_args; i++)
        vals[i] = expr_eval(w, n->kids[1 + i]);
    if (w->capture && n->callee && !w->silent && !w->st.dead)
        record_entry(w, n, vals, n_args);
    const signature *sig = usable(
        w, n, n->callee ? signature_of(w->an, n->callee) : NULL, vals, n_args);
    const call_result *r = NULL;
    if (sig && !w->st.dead)
        r = check_call(w, n, sig, vals, n_args);
    lib_effect e = LIB_PURE;
    bool lib =
        n->callee && !has_body(w, n->callee) && libc_model(n->callee->name, &e);
    apply_call(w, n, sig, r, vals, n_args);
    if (r)
        observe_arguments(w, n, r, vals);
    value v = result_of(w, n, sig, r, lib && e == LIB_ALLOC);
    if (r && sig->n_result_effects && !w->st.dead) {
        if (n->type.cls == IR_TYPE_RECORD) { /* the struct lives here */
            aval whole = *v.v;
            whole.pts = fresh(w, n);
            v.v = aval_new(w, &whole);
        }
        if (v.v->pts && v.v->pts->n == 1)
            apply_result_effects(w, n, r, v.v->pts->targets[0]);
    }
    /* An allocation wrapper's bytes, where no shape says more */
    bool wrapper = r && r->returns_bytes && !r->returns && !r->returns_seen;
    if (n->type.cls == IR_TYPE_POINTER &&
        ((lib && e == LIB_ALLOC) || wrapper)) {
        aval sized = *v.v; /* malloc's, or an allocation wrapper's */
        sized.bytes = lib && e == LIB_ALLOC ? bytes_asked(w, n, vals, n_args)
                                            : r->returns_bytes;
        v.v = aval_new(w, &sized);
    }
    return v;
}
