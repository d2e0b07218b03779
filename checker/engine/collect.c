/*
 * collect.c - what the walk of a body records for its function's summary
 * (docs/summaries.md): what it needs of its parameters, what it returns,
 * the members it leaves set on every path, everything it may write
 * (mod), the pointers it may keep (escape), whether it is a loss.
 *
 * Writes (memory.c keeps every location written) and escapes are what
 * happened on any path; the rest is read from the join of the states at
 * every exit, so that only what holds on every path is promised.
 */
#include <string.h>

#include "walk.h"

struct summary_acc {
    signature *sig; /* being built */
    bool *assigned; /* per parameter: the variable itself is written */
    bool *escapes;
    sig_write *writes;
    uint32_t n_writes, cap_writes;
    bool writes_any;
    state exit;
    bool have_exit;
    bool have_ret, ret_varies, seen_varies;
    shaped ret, seen;
    const aval *ret_int; /* integer results, joined */
    /* What every return leaves in the result: fresh memory or a struct. */
    bool result_seen, result_broken, result_fresh;
    const dim_poly *result_bytes; /* the bytes of every fresh result */
    bool bytes_varies;
    sig_effect *result_effects;
    uint32_t n_result_effects;
    sc_loc ret_loc;
};

/* Marks the parameters the body writes, or whose address it takes: their
   later values say nothing about the arguments. */
static void scan_assigned(const ir_node *n, const ir_func *f, bool *assigned)
{
    if (!n)
        return;
    const ir_node *target = NULL;
    if (n->kind == IR_ASSIGN || n->kind == IR_ADDR ||
        (n->kind == IR_UNARY && n->op >= IR_OP_PREINC &&
         n->op <= IR_OP_POSTDEC))
        target = n->n_kids ? ir_strip_casts(n->kids[0]) : NULL;
    if (target && target->kind == IR_VAR && target->decl &&
        target->decl->kind == IR_DECL_PARAM && target->decl->owner == f &&
        target->decl->index < f->n_params)
        assigned[target->decl->index] = true;
    for (uint32_t i = 0; i < n->n_kids; i++)
        scan_assigned(n->kids[i], f, assigned);
}

void collect_init(walk *w)
{
    analysis *an = w->an;
    const ir_func *f = w->f;
    summary_acc *s = arena_alloc(w->scratch, sizeof *s);
    s->sig = signature_new(an, f);
    const signature *a = w->sig;
    if (a) { /* speak in the annotations' symbols */
        for (uint32_t i = 0; i < s->sig->n_params && i < a->n_params; i++)
            s->sig->params[i].int_sym = a->params[i].int_sym;
        s->sig->paths =
            arena_array(an->arena, a->n_paths + 1, sizeof *s->sig->paths);
        if (a->n_paths)
            memcpy(s->sig->paths, a->paths, a->n_paths * sizeof *a->paths);
        s->sig->n_paths = a->n_paths;
    }
    s->assigned = arena_array(w->scratch, f->n_params + 1, sizeof *s->assigned);
    s->escapes = arena_array(w->scratch, f->n_params + 1, sizeof *s->escapes);
    scan_assigned(f->body, f, s->assigned);
    s->exit.dead = true;
    w->sum = s;
    w->summary = s->sig;
}

/* ---- Writes and escapes ------------------------------------------------- */

/* SUFFIX up to its first "->*": a write there may reach all that pointer
   reaches, so what follows ("->*->*" for the characters of argv's strings)
   says no more, and summary files accept one "->*", at the end.  A write
   to a whole anonymous member ("->", "->s.") is one to the object that
   holds it ("->*", "->s"): callers clobber that whole anyway. */
static const char *write_suffix(walk *w, const char *suffix)
{
    const char *deep = strstr(suffix, "->*");
    size_t n = strlen(suffix);
    if (deep && deep[3])
        return arena_strndup(w->scratch, suffix, (size_t)(deep + 3 - suffix));
    if (n >= 2 && strcmp(suffix + n - 2, "->") == 0)
        return arena_printf(w->scratch, "%s*", suffix);
    while (n && suffix[n - 1] == '.')
        n--;
    return arena_strndup(w->scratch, suffix, n);
}

static void add_write(walk *w, int param, const char *global,
                      const char *suffix, bool immune)
{
    summary_acc *s = w->sum;
    suffix = write_suffix(w, suffix);
    for (uint32_t i = 0; i < s->n_writes; i++) {
        const sig_write *x = &s->writes[i];
        if (x->param == param && strcmp(x->suffix, suffix) == 0 &&
            (x->global == global ||
             (x->global && global && strcmp(x->global, global) == 0)))
            return;
    }
    /* A static local's or a sealed global's write is always named:
       callers' clobbers for code nobody can see leave it alone
       (location.immune). */
    bool static_local = global && strchr(global, ':');
    if (s->n_writes >= SUMMARY_MAX_WRITES && !static_local && !immune) {
        s->writes_any = true;
        return;
    }
    if (s->n_writes == s->cap_writes) {
        s->cap_writes = s->cap_writes ? s->cap_writes * 2 : 8;
        sig_write *v = arena_array(w->an->arena, s->cap_writes, sizeof *v);
        if (s->n_writes)
            memcpy(v, s->writes, s->n_writes * sizeof *v);
        s->writes = v;
    }
    arena *a = w->an->arena;
    s->writes[s->n_writes++] =
        (sig_write){param, global ? arena_strdup(a, global) : NULL,
                    arena_strdup(a, suffix)};
}

/* A location no member path names (array elements) is written as the
   nearest part of it that one does: the array member ("->state"), or,
   for the elements a pointer points to, all of them ("->p->*"). */
static loc_id whole_object(walk *w, loc_id loc, const char **deep)
{
    *deep = "";
    while (loc && loc_get(w, loc)->parent && loc_get(w, loc)->field[0] == '[')
        loc = loc_get(w, loc)->parent;
    const location *l = loc_get(w, loc);
    if (l->kind == OBJ_ENTRY && !l->parent) {
        *deep = "->*";
        return l->entry_of;
    }
    return loc;
}

/* A location the walk wrote (walk.written), as the summary's write: a
   member path of a parameter or of a global. */
static void summarise_write(walk *w, loc_id loc)
{
    summary_acc *s = w->sum;
    const char *suffix, *deep = "";
    int param = loc_param_path(w, loc, &suffix);
    if (param < 0) {
        loc_id at = whole_object(w, loc, &deep);
        param = loc_param_path(w, at, &suffix);
        if (param >= 0)
            suffix = arena_printf(w->scratch, "%s%s", suffix, deep);
    }
    if (param >= 0) {
        if (!suffix[0])
            s->assigned[param] = true;
        else if (suffix[0] == '-') /* through the pointer: the caller's */
            add_write(w, param, NULL, suffix, false);
        return;
    }
    const char *global = loc_global_path(w, loc, &suffix);
    if (!global) {
        loc_id at = whole_object(w, loc, &deep);
        global = loc_global_path(w, at, &suffix);
        if (global)
            suffix = arena_printf(w->scratch, "%s%s", suffix, deep);
    }
    if (global)
        add_write(w, -1, global, suffix, loc_get(w, loc)->immune);
}

void collect_escape(walk *w, const aval *ptr)
{
    summary_acc *s = w->sum;
    for (uint32_t i = 0; s && ptr->pts && i < ptr->pts->n; i++) {
        const char *suffix;
        int param = loc_param_path(w, ptr->pts->targets[i], &suffix);
        if (param >= 0 && suffix[0] == '-')
            s->escapes[param] = true;
    }
}

/* ---- Exits -------------------------------------------------------------- */

/* The member path of LOC below OBJ (".cfg.batch"), or NULL. */
static const char *path_below(walk *w, loc_id loc, loc_id obj)
{
    const char *path = "";
    for (; loc && loc != obj; loc = loc_get(w, loc)->parent) {
        const location *l = loc_get(w, loc);
        if (!l->parent || l->field[0] == '[')
            return NULL;
        path = arena_printf(w->scratch, ".%s%s", l->field, path);
    }
    return loc ? path : NULL;
}

typedef struct member_scan {
    walk *w;
    loc_id obj;
    sig_effect *out;
    uint32_t n, cap;
} member_scan;

static bool expressible(walk *w, const dim_poly *v);

/* Whether pointer V holds only memory this body allocated and kept to
   itself (or null), or what ENTRY (its value at entry, or NULL) held:
   a caller can give it a fresh object of its own.  *KEPT: some of ENTRY. */
static bool holds_fresh(walk *w, const aval *v, const aval *entry, bool *kept)
{
    *kept = false;
    if (v->is_null)
        return true;
    const ptset *p = v->pts, *e = entry ? entry->pts : NULL;
    if (!p || p->unknown || !p->n)
        return false;
    for (uint32_t i = 0; i < p->n; i++) {
        loc_id t = p->targets[i];
        bool was = false;
        for (uint32_t k = 0; e && !e->unknown && k < e->n; k++)
            was = was || e->targets[k] == t;
        *kept = *kept || was;
        if (!was && (loc_get(w, loc_get(w, t)->object)->kind != OBJ_ALLOC ||
                     !escaped_only_into_caller(w, t)))
            return false;
    }
    return true;
}

/* The integer members below LOC whose values the caller can name. */
static void scan_members(member_scan *m, loc_id loc, unsigned depth)
{
    walk *w = m->w;
    for (loc_id c = loc_get(w, loc)->first_child; c && depth < 8;
         c = loc_get(w, c)->next_sibling) {
        const location *l = loc_get(w, c);
        if (l->type.cls == IR_TYPE_RECORD) {
            scan_members(m, c, depth + 1);
            continue;
        }
        const char *path = path_below(w, c, m->obj);
        bool ptr = l->type.cls == IR_TYPE_POINTER;
        const aval *v =
            l->type.cls == IR_TYPE_INT || ptr ? cell_read(w, c) : NULL;
        bool kept, fresh = v && ptr && holds_fresh(w, v, NULL, &kept);
        if (!path || !v || (ptr ? !fresh : !expressible(w, v->num)) ||
            m->n == SUMMARY_MAX_WRITES)
            continue;
        if (m->n == m->cap) {
            m->cap = m->cap ? 2 * m->cap : 8;
            sig_effect *more = arena_array(w->scratch, m->cap, sizeof *more);
            if (m->n)
                memcpy(more, m->out, m->n * sizeof *more);
            m->out = more;
        }
        m->out[m->n++] = (sig_effect){0,
                                      path,
                                      fresh ? NULL : v->num,
                                      v->note ? v->note->loc : w->f->loc,
                                      fresh ? NULL : v->note,
                                      fresh,
                                      false,
                                      NULL};
    }
}

/* The object a return gives its caller the members of: memory this body
   allocated, or a struct returned by value (RECORD); 0 when neither. */
static loc_id returned_object(walk *w, const value *v, loc_id record,
                              bool *fresh)
{
    *fresh = false;
    if (v->type.cls == IR_TYPE_POINTER) {
        const ptset *p = v->v->pts;
        if (!p || p->unknown || p->n != 1)
            return 0;
        const location *o = loc_get(w, loc_get(w, p->targets[0])->object);
        *fresh = o->kind == OBJ_ALLOC && !o->weak;
        return *fresh ? loc_get(w, p->targets[0])->object : 0;
    }
    return v->type.cls == IR_TYPE_RECORD ? record : 0;
}

/* Keeps the result members on which every return agrees. */
static void collect_result(walk *w, const value *v, loc_id record)
{
    summary_acc *s = w->sum;
    if (v->v->is_null || s->result_broken)
        return; /* "return NULL" from a constructor: nothing to read */
    bool fresh;
    loc_id obj = returned_object(w, v, record, &fresh);
    if (!obj || (s->result_seen && fresh != s->result_fresh)) {
        s->result_broken = true;
        return;
    }
    member_scan m = {w, obj, NULL, 0, 0};
    scan_members(&m, obj, 0);
    const dim_poly *bytes = fresh ? v->v->bytes : NULL;
    if (s->result_seen &&
        (!bytes || !s->result_bytes ||
         dim_compare(w->an->dims, bytes, s->result_bytes) != DIM_EQUAL))
        s->bytes_varies = true;
    if (!s->result_seen) {
        s->result_bytes = bytes;
        s->result_seen = true, s->result_fresh = fresh;
        s->result_effects = m.out, s->n_result_effects = m.n;
        return;
    }
    uint32_t keep = 0;
    for (uint32_t i = 0; i < s->n_result_effects; i++)
        for (uint32_t k = 0; k < m.n; k++)
            if (strcmp(m.out[k].suffix, s->result_effects[i].suffix) == 0 &&
                m.out[k].value == s->result_effects[i].value &&
                m.out[k].fresh == s->result_effects[i].fresh) {
                s->result_effects[keep++] = s->result_effects[i];
                break;
            }
    s->n_result_effects = keep;
}

void collect_return(walk *w, const ir_node *n, const value *v, loc_id record)
{
    summary_acc *s = w->sum;
    if (!s || w->silent || w->st.dead)
        return;
    s->exit = state_join(w, &s->exit, &w->st, w->f->body);
    s->have_exit = true;
    /* (an array returned decays to a pointer to memory not allocated
       here: it breaks a fresh result) */
    if (v && n->n_kids &&
        (v->type.cls == IR_TYPE_POINTER || v->type.cls == IR_TYPE_RECORD ||
         v->type.cls == IR_TYPE_ARRAY))
        collect_result(w, v, record);
    if (v && n->n_kids && v->type.cls == IR_TYPE_INT) {
        s->ret_int =
            s->ret_int ? aval_join(w, s->ret_int, v->v, w->f->body, 0) : v->v;
        return;
    }
    if (!v || !n->n_kids || ir_is_null_constant(n->kids[0]) || v->v->is_null)
        return; /* "return NULL": any shape fits */
    if (!s->have_ret) {
        s->ret = v->v->extent, s->seen = v->v->observed;
        s->ret_loc = n->loc, s->have_ret = true;
        return;
    }
    if (!(s->ret.shape && v->v->extent.shape &&
          shape_same(s->ret.shape, v->v->extent.shape)))
        s->ret_varies = true;
    if (!(s->seen.shape && v->v->observed.shape &&
          shape_same(s->seen.shape, v->v->observed.shape)))
        s->seen_varies = true;
}

void collect_exit(walk *w)
{
    summary_acc *s = w->sum;
    if (!s || w->st.dead)
        return;
    s->exit = state_join(w, &s->exit, &w->st, w->f->body);
    s->have_exit = true;
}

/* The parameter of the function being summarised that N names, or -1. */
static int param_named(walk *w, const ir_node *n)
{
    n = ir_strip_casts(n);
    if (n->kind != IR_VAR || !n->decl || n->decl->kind != IR_DECL_PARAM ||
        n->decl->owner != w->f || w->sum->assigned[n->decl->index])
        return -1;
    return (int)n->decl->index;
}

/* A loss called on every path with two of our parameters as logits and
   labels makes this function a loss of those two as well. */
void collect_loss(walk *w, const signature *callee, const ir_node *call)
{
    summary_acc *s = w->sum;
    uint32_t n_args = call->n_kids ? call->n_kids - 1 : 0;
    if (!s || w->silent || callee->loss_logits < 0 || w->conditional ||
        w->after_exit || s->sig->loss_logits >= 0 ||
        (uint32_t)callee->loss_logits >= n_args ||
        (uint32_t)callee->loss_labels >= n_args)
        return;
    int lg = param_named(w, call->kids[1 + callee->loss_logits]);
    int lb = param_named(w, call->kids[1 + callee->loss_labels]);
    if (lg < 0 || lb < 0)
        return;
    s->sig->loss_logits = lg, s->sig->loss_labels = lb;
    s->sig->loss_loc = call->loc;
    s->sig->loss_via = call->callee ? call->callee->name : NULL;
}

/* ---- The summary -------------------------------------------------------- */

static bool summary_shape_ok(const shape *s)
{
    return s && s->rank <= SUMMARY_MAX_RANK;
}

static void add_exact_symbol(void *ud, dim_sym sym)
{
    walk *w = ud;
    signature *sig = w->sum->sig;
    if (!call_symbol_exact(w->an, sym))
        return;
    for (uint32_t i = 0; i < sig->n_free; i++)
        if (sig->free_syms[i] == sym)
            return;
    dim_sym *syms = arena_array(w->an->arena, sig->n_free + 1, sizeof *syms);
    if (sig->n_free)
        memcpy(syms, sig->free_syms, sig->n_free * sizeof *syms);
    syms[sig->n_free++] = sym;
    sig->free_syms = syms;
}

/* What each parameter the annotations leave open was needed as, on
   every path: the view of the calls it went to.  A size that stood for
   a callee's free symbol (nll's N in SHAPE(N, C)) is one of the
   summary's free symbols: exact, bound from the buffers at each call,
   as it was at the callee's. */
static void summarise_params(walk *w)
{
    summary_acc *s = w->sum;
    for (uint32_t i = 0; i < w->f->n_params && i < s->sig->n_params; i++) {
        const ir_decl *p = w->f->params[i];
        if (s->assigned[i] || p->type.cls != IR_TYPE_POINTER ||
            (w->sig && w->sig->params[i].shape))
            continue;
        shaped seen = cell_read(w, loc_var(w, p))->observed;
        if (!seen.shape || !seen.origin ||
            seen.origin->kind != ORIGIN_INFERRED ||
            !summary_shape_ok(seen.shape))
            continue;
        sig_param *sp = &s->sig->params[i];
        sp->shape = seen.shape;
        for (uint32_t k = 0; k < seen.shape->rank; k++)
            if (seen.shape->dims[k])
                dim_poly_symbols(seen.shape->dims[k], add_exact_symbol, w);
        sp->written = shape_format(w->an->arena, w->an->dims, seen.shape);
        sp->loc = seen.origin->loc;
        sp->via = seen.origin->callee;
    }
}

static bool expressible(walk *w, const dim_poly *v);

/* An integer result: its value and bounds, where the caller can name
   them. */
static void summarise_int_result(walk *w)
{
    summary_acc *s = w->sum;
    signature *sig = s->sig;
    const aval *v = s->ret_int;
    if (!v)
        return;
    if (expressible(w, v->num))
        sig->returns_int = v->num;
    sig->returns_int_bounds = arena_array(w->an->arena, v->n_bounds + 1,
                                          sizeof *sig->returns_int_bounds);
    for (uint8_t i = 0; i < v->n_bounds; i++)
        if (expressible(w, v->bounds[i]))
            sig->returns_int_bounds[sig->n_returns_int_bounds++] = v->bounds[i];
}

static void summarise_result(walk *w)
{
    summary_acc *s = w->sum;
    signature *sig = s->sig;
    summarise_int_result(w);
    if (!s->have_ret)
        return;
    bool ret = !s->ret_varies && summary_shape_ok(s->ret.shape);
    bool seen = !s->seen_varies && summary_shape_ok(s->seen.shape);
    if (ret) {
        sig->returns = s->ret.shape;
        sig->returns_written =
            shape_format(w->an->arena, w->an->dims, s->ret.shape);
    }
    if (seen) {
        sig->returns_seen = s->seen.shape;
        sig->returns_seen_written =
            shape_format(w->an->arena, w->an->dims, s->seen.shape);
    }
    if (!ret && !seen)
        return;
    sig->returns_loc = s->ret_loc;
    const shape_origin *o = ret ? s->ret.origin : s->seen.origin;
    sig->returns_via = o && o->callee ? o->callee : w->f->name;
}

typedef struct effect_scan {
    walk *w;
    bool ok;
} effect_scan;

static void check_symbol(void *ud, dim_sym sym)
{
    effect_scan *e = ud;
    const signature *sig = e->w->sum->sig;
    bool known = false;
    for (uint32_t i = 0; i < sig->n_params && !known; i++)
        known = sig->params[i].is_int && sig->params[i].int_sym == sym;
    for (uint32_t k = 0; k < sig->n_paths && !known; k++)
        known = sig->paths[k].sym == sym;
    e->ok = e->ok && known;
}

/* The value, if the caller can read it: only the signature's symbols. */
static bool expressible(walk *w, const dim_poly *v)
{
    effect_scan e = {w, v != NULL};
    if (v)
        dim_poly_symbols(v, check_symbol, &e);
    return e.ok;
}

static void add_effect(walk *w, uint32_t param, const char *global,
                       const char *suffix, const aval *v, bool fresh, bool kept)
{
    signature *sig = w->sum->sig;
    sig_effect *effects =
        arena_array(w->an->arena, sig->n_effects + 1, sizeof *effects);
    if (sig->n_effects)
        memcpy(effects, sig->effects, sig->n_effects * sizeof *effects);
    effects[sig->n_effects++] =
        (sig_effect){param,
                     arena_strdup(w->an->arena, suffix),
                     fresh ? NULL : v->num,
                     v->note ? v->note->loc : w->f->loc,
                     fresh ? NULL : v->note,
                     fresh,
                     kept,
                     global ? arena_strdup(w->an->arena, global) : NULL};
    sig->effects = effects;
}

typedef struct exit_scan {
    walk *w;
} exit_scan;

/* What KEY held at entry to the body: its cell in a state with none. */
static const aval *value_at_entry(walk *w, loc_id key)
{
    state here = w->st;
    w->st.cells = pmap_empty();
    w->st.marks = pmap_empty();
    const aval *entry = cell_read(w, key);
    w->st = here;
    return entry;
}

/* What a global (or a member of one) holds at every exit, when it is
   not what it held at entry and callers can say it (their arguments). */
static void global_effect(walk *w, loc_id key, const aval *v)
{
    const location *l = loc_get(w, key);
    const char *suffix;
    const char *global = loc_global_path(w, key, &suffix);
    /* Elements ("[]") are one weak location for many cells. */
    if (!global || l->weak || strpbrk(suffix, "[*") || strstr(suffix, "->") ||
        !expressible(w, v->num))
        return;
    const aval *entry = value_at_entry(w, key);
    if (entry->num != v->num)
        add_effect(w, 0, global, suffix, v, false, false);
}

/* Member writes through a parameter, and integer globals, that hold at
   every exit. */
static void effect_of_cell(void *ud, uint32_t key, const void *value)
{
    walk *w = ((exit_scan *)ud)->w;
    const aval *v = value;
    const location *l = loc_get(w, key);
    const char *suffix;
    bool ptr = l->type.cls == IR_TYPE_POINTER;
    int param = l->type.cls == IR_TYPE_INT || ptr
                    ? loc_param_path(w, key, &suffix)
                    : -1;
    if (param < 0 && l->type.cls == IR_TYPE_INT) {
        global_effect(w, key, v);
        return;
    }
    if (param < 0 || suffix[0] != '-' || w->sum->assigned[param])
        return;
    /* "->*" alone is the integer the parameter points to ("*out = v": an
       out-parameter); below a member ("->y->*"), it is what a pointer
       member points to, which no caller's apply_effects can name. */
    if (strchr(suffix, '*') && (ptr || strcmp(suffix, "->*") != 0))
        return;
    if (!ptr && !expressible(w, v->num))
        return;
    const aval *entry = value_at_entry(w, key);
    bool kept;
    if (ptr) { /* "->tokens_file = fopen(...)": fresh, or as it was */
        if (!aval_equal(entry, v) && holds_fresh(w, v, entry, &kept))
            add_effect(w, (uint32_t)param, NULL, suffix, v, true, kept);
        return;
    }
    if (entry->num != v->num)
        add_effect(w, (uint32_t)param, NULL, suffix, v, false, false);
}

signature *collect_finish(walk *w)
{
    summary_acc *s = w->sum;
    if (w->over_budget)
        return NULL;
    signature *sig = s->sig;
    for (uint32_t i = 0; i < w->n_written; i++)
        summarise_write(w, w->written[i]);
    state body_end = w->st;
    w->st = s->exit;
    if (s->have_exit) {
        summarise_params(w);
        exit_scan es = {w};
        pmap_each(s->exit.cells, effect_of_cell, &es);
    }
    w->st = body_end;
    summarise_result(w);
    if (s->result_seen && !s->result_broken) {
        sig->returns_fresh = s->result_fresh;
        if (s->result_fresh && !s->bytes_varies && s->result_bytes &&
            expressible(w, s->result_bytes))
            sig->returns_bytes = s->result_bytes;
        sig->result_effects = arena_array(w->an->arena, s->n_result_effects + 1,
                                          sizeof *sig->result_effects);
        for (uint32_t i = 0; i < s->n_result_effects; i++) {
            sig->result_effects[i] = s->result_effects[i];
            sig->result_effects[i].suffix =
                arena_strdup(w->an->arena, s->result_effects[i].suffix);
        }
        sig->n_result_effects = s->n_result_effects;
    }
    for (uint32_t i = 0; i < sig->n_params; i++)
        sig->params[i].escapes = s->escapes[i];
    sig->writes = s->writes, sig->n_writes = s->n_writes;
    sig->writes_any = s->writes_any || w->wrote_anywhere;
    sig->no_return = !s->have_exit;
    sig->assumes_private = w->relies_private;
    sig->private_params = w->relies_params;
    sig->summarised = true;
    sig->derived = true;
    return sig;
}
