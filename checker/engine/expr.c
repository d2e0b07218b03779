/*
 * expr.c - expressions: integer values in their C types, pointers and the
 * buffers they reach, places (lvalues) and writes to them.
 *
 * Every write goes through place_write, which knows whether the place is
 * one runtime cell (a strong update) or one of several (weak: the old
 * value may still be there), and lets the memory model clobber whatever
 * else the write may reach.  A pointer stored where others can see it
 * makes what it points to escape.
 */
#include <string.h>

#include "walk.h"

static const dim_poly *operand(walk *w, value v, const ir_type *t,
                               const ir_node *site);

static value make(const aval *v, const ir_type *t)
{
    value r = {v ? v : &aval_nothing, *t};
    return r;
}

/* An unknown of N's type, made at N. */
static value unknown_at(walk *w, const ir_node *n)
{
    return make(aval_unknown(w, n, 0, &n->type), &n->type);
}

/* ---- Places ------------------------------------------------------------- */

static place no_place(const ir_type *t)
{
    place p = {0};
    p.type = *t;
    return p;
}

static place one(loc_id loc, bool strong, const ir_type *t)
{
    place p = {loc, strong, NULL, false, *t};
    return p;
}

/* The elements of LOC when it is an array (pointers into it, indexing),
   else LOC itself. */
static loc_id element_of(walk *w, loc_id loc)
{
    const location *l = loc_get(w, loc);
    if (l->type.cls == IR_TYPE_ARRAY)
        return loc_elements(w, loc);
    return loc;
}

place expr_deref(walk *w, const aval *ptr, const ir_type *t, bool index0)
{
    const ptset *p = ptr->pts;
    if (!p || p->unknown || p->n == 0) {
        place r = no_place(t);
        r.anywhere = true;
        return r;
    }
    if (p->n == 1) {
        loc_id loc = element_of(w, p->targets[0]);
        const location *l = loc_get(w, loc);
        return one(loc, index0 && !l->weak && loc != loc_unknown(w), t);
    }
    ptset *at = arena_alloc(w->scratch, sizeof *at);
    *at = *p;
    for (uint32_t i = 0; i < at->n; i++)
        at->targets[i] = element_of(w, at->targets[i]);
    place r = no_place(t);
    r.at = at;
    return r;
}

/* Field FIELD of every location place P may be. */
static place field_of(walk *w, const place *p, const ir_decl *field,
                      const ir_type *t)
{
    if (p->loc)
        return one(loc_field(w, p->loc, field), p->strong, t);
    if (p->at) {
        ptset *at = arena_alloc(w->scratch, sizeof *at);
        *at = *p->at;
        for (uint32_t i = 0; i < at->n; i++)
            at->targets[i] = loc_field(w, at->targets[i], field);
        place r = no_place(t);
        r.at = at;
        return r;
    }
    place r = no_place(t);
    r.anywhere = p->anywhere;
    return r;
}

static bool is_zero(const ir_node *n)
{
    n = ir_strip_casts(n);
    return n && n->kind == IR_INT && n->value == 0;
}

place expr_place(walk *w, const ir_node *n)
{
    if (!n)
        return no_place(&(ir_type){0});
    switch (n->kind) {
    case IR_VAR:
        if (!n->decl || n->decl->kind == IR_DECL_ENUM || n->decl->has_value)
            return no_place(&n->type);
        return one(loc_var(w, n->decl), true, &n->type);
    case IR_MEMBER: {
        if (!n->decl || !n->n_kids)
            return no_place(&n->type);
        place base;
        if (n->arrow)
            base = expr_deref(w, expr_eval(w, n->kids[0]).v, &n->type, true);
        else
            base = expr_place(w, n->kids[0]);
        return field_of(w, &base, n->decl, &n->type);
    }
    case IR_DEREF:
        if (!n->n_kids)
            return no_place(&n->type);
        return expr_deref(w, expr_eval(w, n->kids[0]).v, &n->type, true);
    case IR_INDEX: {
        if (n->n_kids < 2)
            return no_place(&n->type);
        const ir_node *base = n->kids[0];
        bool zero = is_zero(n->kids[1]);
        if (ir_strip_casts(base)->type.cls == IR_TYPE_ARRAY) {
            place b = expr_place(w, ir_strip_casts(base));
            expr_eval(w, n->kids[1]);
            if (b.loc)
                return one(loc_elements(w, b.loc), false, &n->type);
            place r = no_place(&n->type);
            r.anywhere = true;
            return r;
        }
        value p = expr_eval(w, base);
        expr_eval(w, n->kids[1]);
        return expr_deref(w, p.v, &n->type, zero);
    }
    case IR_CAST:
        return n->n_kids ? expr_place(w, n->kids[0]) : no_place(&n->type);
    default:
        return no_place(&n->type);
    }
}

value place_read(walk *w, const place *p, const ir_node *site)
{
    if (p->loc)
        return make(cell_read(w, p->loc), &p->type);
    if (p->at) {
        const aval *v = NULL;
        for (uint32_t i = 0; i < p->at->n; i++) {
            const aval *x = cell_read(w, p->at->targets[i]);
            v = v ? aval_join(w, v, x, site, 0) : x;
        }
        return make(v, &p->type);
    }
    return make(aval_unknown(w, site, 0, &p->type), &p->type);
}

void place_write(walk *w, const place *p, const aval *v, const ir_node *site)
{
    if (p->loc) {
        cell_write(w, p->loc, v, p->strong, site);
    } else if (p->at) {
        for (uint32_t i = 0; i < p->at->n; i++)
            cell_write(w, p->at->targets[i], v, false, site);
        if (p->at->unknown)
            clobber_anywhere(w, &p->type, site);
    } else if (p->anywhere) {
        clobber_anywhere(w, &p->type, site);
    }
}

/* Whether a write to P can be seen by others: then a pointer stored there
   makes its targets escape. */
static bool seen_outside(walk *w, const place *p)
{
    if (p->anywhere)
        return true;
    if (p->loc) {
        const location *l = loc_get(w, p->loc);
        return l->external || is_escaped(w, p->loc);
    }
    for (uint32_t i = 0; p->at && i < p->at->n; i++) {
        const location *l = loc_get(w, p->at->targets[i]);
        if (l->external || is_escaped(w, p->at->targets[i]))
            return true;
    }
    return p->at && p->at->unknown;
}

/* Whether every place P may be is its caller's memory (a parameter's
   pointee nothing else reached). */
static bool only_caller_memory(walk *w, const place *p)
{
    if (p->anywhere || (p->at && p->at->unknown) || (!p->loc && !p->at))
        return false;
    uint32_t n = p->loc ? 1 : p->at->n;
    for (uint32_t i = 0; i < n; i++) {
        loc_id at = p->loc ? p->loc : p->at->targets[i];
        const location *l = loc_get(w, at);
        if (!l->from_caller || is_escaped(w, at))
            return false;
    }
    return true;
}

/* The targets of pointer V escape (stored at P, where others can reach
   it). */
static void escape_targets(walk *w, const place *p, const aval *v)
{
    collect_escape(w, v);
    w->into_caller = only_caller_memory(w, p);
    for (uint32_t i = 0; v->pts && i < v->pts->n; i++)
        escape_deep(w, v->pts->targets[i]);
    w->into_caller = false;
}

/* ---- Records ------------------------------------------------------------ */

#define COPY_MAX_FIELDS 256

/* Copies record SRC into DST field by field (the same record type), so
   that later reads of DST see what SRC held: at most COPY_MAX_FIELDS
   cells, the rest unknown. */
static void copy_fields(walk *w, const place *dst, const place *src,
                        const ir_record *r, const ir_node *site, unsigned *n)
{
    for (uint32_t i = 0; r && i < r->n_fields; i++) {
        const ir_decl *f = r->fields[i];
        place d = field_of(w, dst, f, &f->type);
        place s = field_of(w, src, f, &f->type);
        if (f->type.cls == IR_TYPE_RECORD) {
            copy_fields(w, &d, &s, f->type.record, site, n);
        } else if (f->type.cls == IR_TYPE_INT ||
                   f->type.cls == IR_TYPE_POINTER) {
            if (++*n > COPY_MAX_FIELDS) {
                place_write(w, &d, aval_unknown(w, site, d.loc, &f->type),
                            site);
                continue;
            }
            value v = place_read(w, &s, site);
            if (seen_outside(w, &d) && v.v->pts)
                escape_targets(w, &d, v.v);
            if (v.v->note && d.loc) { /* "l.B set to 64", not the source's */
                value_note *note = arena_alloc(w->an->arena, sizeof *note);
                *note = *v.v->note;
                note->name =
                    arena_strdup(w->an->arena, loc_get(w, d.loc)->display);
                aval r = *v.v;
                r.note = note;
                v.v = aval_new(w, &r);
            }
            place_write(w, &d, v.v, site);
        } else if (f->type.cls == IR_TYPE_ARRAY && d.loc && s.loc) {
            place de = one(loc_elements(w, d.loc), false, &f->type);
            place se = one(loc_elements(w, s.loc), false, &f->type);
            place_write(w, &de, place_read(w, &se, site).v, site);
        }
    }
}

/* DST = SRC for a struct: each field, and what the struct itself is
   known to be (a tensor's shape, from a constructor's RETURNS_SHAPE). */
static const aval *retold(walk *w, const aval *v, const ir_decl *target,
                          const ir_node *site);

static void copy_record(walk *w, const place *dst, const ir_node *src_expr,
                        const ir_node *site, const ir_decl *target)
{
    const ir_node *bare = ir_strip_casts(src_expr);
    place src = no_place(&dst->type);
    const aval *whole = &aval_nothing;
    if (bare->kind == IR_VAR || bare->kind == IR_MEMBER ||
        bare->kind == IR_DEREF || bare->kind == IR_INDEX) {
        src = expr_place(w, bare);
        whole = src.loc ? cell_read(w, src.loc) : &aval_nothing;
    } else {
        whole = expr_eval(w, src_expr).v; /* a call's result */
        src.anywhere = true;
        if (whole->pts && whole->pts->n == 1) /* what the callee left in it */
            src = one(whole->pts->targets[0], true, &dst->type);
    }
    unsigned n = 0;
    copy_fields(w, dst, &src, dst->type.record, site, &n);
    if (dst->loc && (whole->extent.shape || whole->observed.shape)) {
        aval r = {.extent = whole->extent,
                  .exact = whole->exact,
                  .observed = whole->observed};
        const aval *v = aval_new(w, &r);
        cell_replace(w, dst->loc, target ? retold(w, v, target, site) : v);
    }
}

/* ---- Values ------------------------------------------------------------- */

/* The pointer to LOC (an array decays to one): targets and extent. */
static value pointer_to(walk *w, loc_id loc, shaped extent, bool exact,
                        const ir_type *t)
{
    ptset *p = arena_alloc(w->scratch, sizeof *p);
    p->n = 1;
    p->targets[0] = loc;
    aval proto = {.pts = p, .extent = extent, .exact = exact};
    return make(aval_new(w, &proto), t);
}

/* What a variable's declaration says it holds. */
static shaped declared_of(walk *w, const ir_decl *d)
{
    shaped none = {NULL, NULL};
    if (d->kind == IR_DECL_LOCAL && d->owner == w->f && w->declared &&
        d->index < w->f->n_locals)
        return w->declared[d->index];
    if (d->kind == IR_DECL_GLOBAL)
        return names_declared(w, d, 0, NULL, NULL);
    if (d->kind == IR_DECL_PARAM && d->owner == w->f)
        return none; /* at entry, in its cell */
    return none;
}

/* A read of a place of pointer, array or record type whose declaration
   gives it an extent (SHAPE or an array type): the declared facts win
   over what the cell remembers. */
static value with_declared(walk *w, value v, loc_id loc, shaped decl,
                           const ir_type *t)
{
    if (t->cls == IR_TYPE_ARRAY)
        return pointer_to(w, loc, decl, false, t);
    if (!decl.shape)
        return v;
    aval r = *v.v;
    r.extent = decl;
    r.exact = t->cls == IR_TYPE_RECORD; /* a tensor's own shape */
    return make(aval_new(w, &r), t);
}

static value eval_var(walk *w, const ir_node *n)
{
    const ir_decl *d = n->decl;
    if (!d)
        return unknown_at(w, n);
    if (d->has_value)
        return make(aval_int(w, dim_const(w->an->dims, d->value),
                             names_constant_note(w, n, d->value)),
                    &n->type);
    if (d->kind == IR_DECL_ENUM)
        return unknown_at(w, n);
    loc_id loc = loc_var(w, d);
    value v = make(cell_read(w, loc), &d->type);
    if (names_can_hold_shape(&d->type)) {
        v = with_declared(w, v, loc, declared_of(w, d), &d->type);
        names_observe(w, SHAPE_EVENT_USED, d, n->loc,
                      v.v->extent.shape ? v.v->extent : v.v->observed);
    }
    v.type = n->type;
    return v;
}

static value eval_member(walk *w, const ir_node *n)
{
    place p = expr_place(w, n);
    value v = place_read(w, &p, n);
    const ir_decl *f = n->decl;
    if (!f || !names_can_hold_shape(&f->type))
        return v;
    /* SHAPE(B, C) on a field names the same object's fields. */
    loc_id object = p.loc ? loc_get(w, p.loc)->parent : 0;
    shaped decl = names_declared(w, f, object, NULL, n->text);
    if (!p.loc && decl.shape) /* no stable object: its siblings unknown */
        decl = names_declared(w, f, 0, NULL, n->text);
    return with_declared(w, v, p.loc, decl, &f->type);
}

/* &a[0][0] of an array and &t of a tensor keep the extent; &x is a
   pointer to x. */
static value eval_addr(walk *w, const ir_node *n)
{
    const ir_node *e = ir_strip_casts(n->kids[0]);
    uint32_t zeros = 0;
    const ir_node *inner = e;
    while (inner && inner->kind == IR_INDEX && inner->n_kids == 2 &&
           is_zero(inner->kids[1])) {
        inner = ir_strip_casts(inner->kids[0]);
        zeros++;
    }
    if (zeros && inner->type.cls == IR_TYPE_ARRAY) {
        value a = expr_eval(w, inner);
        aval r = *a.v;
        if (!r.extent.shape || zeros > r.extent.shape->rank)
            r.extent = (shaped){NULL, NULL};
        return make(aval_new(w, &r), &n->type);
    }
    place p = expr_place(w, e);
    value inner_v = {&aval_nothing, e->type};
    if (e->type.cls == IR_TYPE_RECORD && e->kind != IR_CALL)
        inner_v = expr_eval(w, e); /* a tensor's declared shape */
    if (!p.loc) {
        aval r = {.pts = NULL};
        if (p.at) {
            ptset *pts = arena_alloc(w->scratch, sizeof *pts);
            *pts = *p.at;
            r.pts = pts;
        }
        return make(aval_new(w, &r), &n->type);
    }
    return pointer_to(w, p.loc, inner_v.v->extent, inner_v.v->exact, &n->type);
}

/* malloc's fresh memory seen as pointer type T (a cast, or the implicit
   conversion of an assignment): it holds as many elements as its size
   allows (a declared fact, like an array type). */
static const aval *allocated(walk *w, const aval *v, const ir_type *t,
                             const ir_node *n)
{
    dim_ctx *D = w->an->dims;
    const dim_poly *count =
        dim_div(D, v->bytes, dim_const(D, (int64_t)t->elem_bytes));
    if (!count)
        return v;
    shape *s = shape_new(w->an->arena, 1);
    s->dims[0] = count;
    const ir_node *call = ir_strip_casts(n);
    shape_origin *o = names_origin(w, ORIGIN_ALLOCATED, call->loc,
                                   call->text ? call->text : "?");
    o->written = shape_format(w->an->arena, D, s);
    o->callee =
        call->kind == IR_CALL && call->callee ? call->callee->name : "malloc";
    aval r = *v;
    r.bytes = NULL;
    r.extent = (shaped){s, o};
    return aval_new(w, &r);
}

/* ++/-- and compound assignment compute in the place's type. */
static const aval *converted_store(walk *w, const aval *v, const ir_type *from,
                                   const ir_type *to, const ir_node *site,
                                   loc_id loc)
{
    v = int_convert(w, v, from, to, site);
    if (to->cls == IR_TYPE_INT && !v->num) {
        const char *display = loc ? loc_get(w, loc)->display : "?";
        v = aval_int(w, site_symbol(w, site, loc, 'a', display), NULL);
    }
    return v;
}

static const char *place_display(walk *w, const place *p, const ir_node *lhs)
{
    if (p->loc)
        return loc_get(w, p->loc)->display;
    return lhs && lhs->text ? lhs->text : "?";
}

/* The story of a shape assigned to variable TARGET: "x = f(...)" is f's
   result, told as x's (one note, not two); "q = p" is "'q' takes its
   shape from 'p'", then p's story. */
static shape_origin *assigned_origin(walk *w, const shape_origin *from,
                                     const shape *s, const ir_decl *target,
                                     const ir_node *site)
{
    shape_origin *o = names_origin(w, ORIGIN_ASSIGNED, site->loc, target->name);
    if (from &&
        (from->kind == ORIGIN_RETURNED || from->kind == ORIGIN_ALLOCATED) &&
        from->loc.line == site->loc.line && from->loc.file == site->loc.file) {
        *o = *from;
        o->name = target->name, o->loc = site->loc;
        return o;
    }
    o->written = shape_format(w->an->arena, w->an->dims, s);
    o->from = from;
    return o;
}

static const aval *retold(walk *w, const aval *v, const ir_decl *target,
                          const ir_node *site)
{
    aval r = *v;
    if (r.extent.shape)
        r.extent.origin =
            assigned_origin(w, r.extent.origin, r.extent.shape, target, site);
    if (r.observed.shape)
        r.observed.origin = assigned_origin(w, r.observed.origin,
                                            r.observed.shape, target, site);
    return aval_new(w, &r);
}

void expr_assign(walk *w, const place *p, value v, const ir_decl *target,
                 const ir_node *site)
{
    const ir_type *t = &p->type;
    if (p->loc && t->cls == IR_TYPE_INT) /* a bit-field's width is its own */
        t = &loc_get(w, p->loc)->type;
    if (t->cls == IR_TYPE_INT) {
        const aval *c = converted_store(w, v.v, &v.type, t, site, p->loc);
        aval r = *c;
        value_note *set =
            names_set_note(w, place_display(w, p, NULL), c->num, site->loc);
        if (set) /* "b set to 16 here": the user's b, then its source */
            set->from = c->note;
        r.note = set ? set : c->note;
        place_write(w, p, aval_new(w, &r), site);
        return;
    }
    if (t->cls == IR_TYPE_POINTER && v.v->bytes && t->elem_bytes)
        v.v = allocated(w, v.v, t,
                        site->kind == IR_ASSIGN ? site->kids[1] : site);
    if (t->cls == IR_TYPE_POINTER && v.v->pts && seen_outside(w, p))
        escape_targets(w, p, v.v);
    if (target && (v.v->extent.shape || v.v->observed.shape))
        v.v = retold(w, v.v, target, site);
    if (target && v.v->pts && v.v->pts->n == 1 && target->name[0])
        loc_name(w, v.v->pts->targets[0], target->name);
    if (t->cls == IR_TYPE_POINTER && !v.v->pts && !v.v->is_null &&
        v.type.cls == IR_TYPE_INT)
        v.v = &aval_nothing; /* an integer made a pointer: anywhere */
    place_write(w, p, v.v, site);
    bool initialiser = target && target->init == site;
    if (target && !initialiser && names_can_hold_shape(&target->type) &&
        (v.v->extent.shape || v.v->observed.shape))
        names_observe(w, SHAPE_EVENT_TAKEN, target, site->loc,
                      v.v->extent.shape ? v.v->extent : v.v->observed);
}

/* The variable an lvalue expression names, for the observer. */
static const ir_decl *named_var(const ir_node *n)
{
    n = ir_strip_casts(n);
    return n && n->kind == IR_VAR ? n->decl : NULL;
}

/* N, stored whole in TARGET: an unknown integer made by N itself (a
   call's result, a conditional) is shown by TARGET's name. */
static value eval_named(walk *w, const ir_node *n, const ir_decl *target)
{
    if (!target || !target->name[0] || target->type.cls != IR_TYPE_INT)
        return expr_eval(w, n);
    const ir_node *top = w->name_top;
    const char *hint = w->name_hint;
    w->name_top = n, w->name_hint = target->name;
    value v = expr_eval(w, n);
    w->name_top = top, w->name_hint = hint;
    return v;
}

static value eval_assign(walk *w, const ir_node *n)
{
    const ir_node *lhs = n->kids[0];
    if (n->op == '=' && lhs->type.cls == IR_TYPE_RECORD) {
        place dst = expr_place(w, lhs);
        copy_record(w, &dst, n->kids[1], n, named_var(lhs));
        return unknown_at(w, n);
    }
    value rhs = n->op == '=' ? eval_named(w, n->kids[1], named_var(lhs))
                             : expr_eval(w, n->kids[1]);
    place p = expr_place(w, lhs);
    if (n->op != '=') { /* x op= e: in the common type, then stored */
        value cur = place_read(w, &p, n);
        bool shift = n->op == IR_OP_SHL || n->op == IR_OP_SHR;
        ir_type t =
            shift ? int_promoted(&p.type) : int_common(&p.type, &rhs.type);
        const dim_poly *r =
            int_arith(w, n->op, operand(w, cur, &t, n),
                      shift ? rhs.v->num : operand(w, rhs, &t, n), &t);
        if (p.type.cls == IR_TYPE_POINTER) { /* p += k: same buffer */
            aval moved = *cur.v;
            moved.extent = (shaped){NULL, NULL};
            moved.observed = (shaped){NULL, NULL};
            rhs = make(aval_new(w, &moved), &p.type);
        } else {
            rhs = make(aval_int(w, r, NULL), &t);
        }
    }
    expr_assign(w, &p, rhs, named_var(lhs), n);
    return make(p.loc ? cell_read(w, p.loc) : rhs.v, &n->type);
}

static value eval_incdec(walk *w, const ir_node *n)
{
    place p = expr_place(w, n->kids[0]);
    value cur = place_read(w, &p, n);
    bool inc = n->op == IR_OP_PREINC || n->op == IR_OP_POSTINC;
    value next;
    if (p.type.cls == IR_TYPE_POINTER) {
        aval moved = *cur.v;
        moved.extent = moved.observed = (shaped){NULL, NULL};
        next = make(aval_new(w, &moved), &p.type);
    } else {
        /* In the promoted type, then stored back (uint8_t 255 + 1 is 0). */
        ir_type promoted = int_promoted(&p.type);
        const dim_poly *one = dim_const(w->an->dims, 1);
        next = make(
            aval_int(w,
                     int_arith(w, inc ? '+' : '-', cur.v->num, one, &promoted),
                     NULL),
            &promoted);
    }
    expr_assign(w, &p, next, named_var(n->kids[0]), n);
    bool pre = n->op == IR_OP_PREINC || n->op == IR_OP_PREDEC;
    return pre && p.loc ? make(cell_read(w, p.loc), &n->type)
                        : make(cur.v, &n->type);
}

/* The operands of an arithmetic operator in the result's type. */
static const dim_poly *operand(walk *w, value v, const ir_type *t,
                               const ir_node *site)
{
    return int_convert(w, v.v, &v.type, t, site)->num;
}

static value eval_logical(walk *w, const ir_node *n)
{
    expr_eval(w, n->kids[0]);
    state before = state_copy(&w->st);
    w->ops->refine(w, n->kids[0], n->op == IR_OP_LAND);
    expr_eval(w, n->kids[1]);
    state right = w->st;
    w->st = before;
    w->ops->refine(w, n->kids[0], n->op != IR_OP_LAND);
    w->st = state_join(w, &w->st, &right, n);
    return unknown_at(w, n);
}

/* A number written as digits (not a macro or constant name). */
static bool is_literal(const ir_node *n)
{
    n = ir_strip_casts(n);
    return n && n->kind == IR_INT && !n->macro && n->text &&
           n->text[0] >= '0' && n->text[0] <= '9';
}

static value eval_binary(walk *w, const ir_node *n)
{
    if (n->n_kids < 2)
        return unknown_at(w, n);
    if (n->op == IR_OP_LAND || n->op == IR_OP_LOR)
        return eval_logical(w, n);
    value a = expr_eval(w, n->kids[0]), b = expr_eval(w, n->kids[1]);
    if (n->op == ',')
        return b;
    if (n->type.cls == IR_TYPE_POINTER) { /* p + i: same buffer, no shape */
        const aval *p = a.type.cls == IR_TYPE_POINTER ? a.v : b.v;
        aval moved = {.pts = p->pts};
        return make(aval_new(w, &moved), &n->type);
    }
    if (n->type.cls != IR_TYPE_INT)
        return unknown_at(w, n);
    if (a.type.cls == IR_TYPE_POINTER || b.type.cls == IR_TYPE_POINTER)
        return unknown_at(w, n); /* p - q, p < q */
    /* Shifts keep the left operand's (promoted) type; others convert both
       to the common type, which is the result's for arithmetic. */
    bool shift = n->op == IR_OP_SHL || n->op == IR_OP_SHR;
    const dim_poly *x = operand(w, a, &n->type, n);
    const dim_poly *y = shift ? b.v->num : operand(w, b, &n->type, n);
    const dim_poly *r = int_arith(w, n->op, x, y, &n->type);
    if (!r)
        return unknown_at(w, n);
    /* "2 * c.batch" is 8 because c.batch was set to 4: its story, when
       the other operand is a plain number (two stories would mislead). */
    const value_note *note = NULL;
    if (is_literal(n->kids[1]))
        note = a.v->note;
    else if (is_literal(n->kids[0]))
        note = b.v->note;
    return make(aval_int(w, r, note), &n->type);
}

/* "x < y ? x : y" (or any way round that picks the smaller): a clamp,
   so the result is at most both (SPEC 4: the seed's fix, explicitly
   clamped), whichever branch the values decide.  The pattern is read from
   the expressions (all pure), so a condition that folds (constants on
   both sides) is still a clamp. */
static const aval *clamp_bounds(walk *w, const ir_node *n, const aval *v)
{
    const ir_node *c = ir_strip_casts(n->kids[0]);
    if (c->kind != IR_BINARY || c->n_kids != 2 || !ir_is_pure(n))
        return v;
    bool less = c->op == '<' || c->op == IR_OP_LE;
    if (!less && c->op != '>' && c->op != IR_OP_GE)
        return v;
    const dim_poly *x = expr_eval(w, c->kids[0]).v->num;
    const dim_poly *y = expr_eval(w, c->kids[1]).v->num;
    const dim_poly *a = expr_eval(w, n->kids[1]).v->num;
    const dim_poly *b = expr_eval(w, n->kids[2]).v->num;
    if (!x || !y || a != (less ? x : y) || b != (less ? y : x))
        return v;
    return aval_bounded(w, aval_bounded(w, v, x), y);
}

static value eval_cond(walk *w, const ir_node *n)
{
    expr_eval(w, n->kids[0]);
    state before = state_copy(&w->st);
    w->ops->refine(w, n->kids[0], true);
    value a = expr_eval(w, n->kids[1]);
    if (ir_is_null_constant(n->kids[1]) && n->type.cls == IR_TYPE_POINTER)
        a.v = aval_null(w);
    state then = w->st;
    w->st = before;
    w->ops->refine(w, n->kids[0], false);
    value b = expr_eval(w, n->kids[2]);
    if (ir_is_null_constant(n->kids[2]) && n->type.cls == IR_TYPE_POINTER)
        b.v = aval_null(w);
    bool then_dead = then.dead, else_dead = w->st.dead;
    w->st = state_join(w, &then, &w->st, n);
    a.v = int_convert(w, a.v, &a.type, &n->type, n);
    b.v = int_convert(w, b.v, &b.type, &n->type, n);
    const aval *v = then_dead   ? b.v
                    : else_dead ? a.v
                                : aval_join(w, a.v, b.v, n, 0);
    if (n->type.cls == IR_TYPE_INT && !w->st.dead)
        v = clamp_bounds(w, n, v);
    return make(v, &n->type);
}

static value eval_unary(walk *w, const ir_node *n)
{
    if (n->op >= IR_OP_PREINC && n->op <= IR_OP_POSTDEC)
        return eval_incdec(w, n);
    value a = expr_eval(w, n->kids[0]);
    if (n->op == '+')
        return make(int_convert(w, a.v, &a.type, &n->type, n), &n->type);
    if (n->op == '-' && n->type.cls == IR_TYPE_INT) {
        const dim_poly *x = operand(w, a, &n->type, n);
        const dim_poly *r =
            int_arith(w, '-', dim_const(w->an->dims, 0), x, &n->type);
        return r ? make(aval_int(w, r, NULL), &n->type) : unknown_at(w, n);
    }
    return unknown_at(w, n);
}

static value eval_cast(walk *w, const ir_node *n)
{
    value v = expr_eval(w, n->kids[0]);
    if (n->type.cls == IR_TYPE_INT)
        return make(int_convert(w, v.v, &v.type, &n->type, n), &n->type);
    if (n->type.cls == IR_TYPE_POINTER && v.type.cls == IR_TYPE_INT &&
        !ir_is_null_constant(n->kids[0]))
        return make(&aval_nothing, &n->type); /* an integer as an address */
    if (n->type.cls == IR_TYPE_POINTER && ir_is_null_constant(n->kids[0]))
        return make(aval_null(w), &n->type);
    if (n->type.cls == IR_TYPE_POINTER && n->type.pointer_depth == 1 &&
        n->type.elem_cls == IR_TYPE_RECORD && v.v->pts) {
        ir_type pointee = {.cls = IR_TYPE_RECORD, .record = n->type.record};
        for (uint32_t i = 0; i < v.v->pts->n; i++)
            loc_learn_type(w, v.v->pts->targets[i], &pointee);
    }
    if (n->type.cls == IR_TYPE_POINTER && v.v->bytes && n->type.elem_bytes)
        return make(allocated(w, v.v, &n->type, n), &n->type);
    return make(v.v, &n->type);
}

/* A statement inside an expression (a GNU statement expression, or what
   the front end could not convert): every write in it is unknown, every
   call in it is a call. */
static void eval_opaque(walk *w, const ir_node *n)
{
    if (!n || !walk_step(w))
        return;
    switch (n->kind) {
    case IR_CALL:
        w->ops->call(w, n);
        return;
    case IR_ASSIGN:
    case IR_DECLSTMT:
    case IR_UNARY: {
        const ir_node *t = n->kind == IR_DECLSTMT ? NULL : n->kids[0];
        if (n->kind == IR_UNARY &&
            !(n->op >= IR_OP_PREINC && n->op <= IR_OP_POSTDEC))
            t = NULL;
        place p = n->kind == IR_DECLSTMT && n->decl
                      ? one(loc_var(w, n->decl), true, &n->decl->type)
                      : expr_place(w, t);
        place_write(w, &p, aval_unknown(w, n, p.loc, &p.type), n);
        break;
    }
    default:
        break;
    }
    for (uint32_t i = 0; i < n->n_kids; i++)
        eval_opaque(w, n->kids[i]);
}

static bool is_statement(ir_kind k)
{
    return k == IR_BLOCK || k == IR_IF || k == IR_LOOP || k == IR_SWITCH ||
           k == IR_RETURN || k == IR_JUMP || k == IR_DECLSTMT ||
           k == IR_NULLSTMT;
}

/* Statements inside an expression may run or not: their writes and calls
   count, but a call that does not return (an assert's __assert_fail)
   does not make what follows unreachable. */
static void eval_statements(walk *w, const ir_node *n)
{
    bool dead = w->st.dead;
    eval_opaque(w, n);
    w->st.dead = dead;
}

static value eval_other(walk *w, const ir_node *n)
{
    for (uint32_t i = 0; i < n->n_kids; i++) {
        if (n->kids[i] && is_statement(n->kids[i]->kind))
            eval_statements(w, n->kids[i]);
        else
            expr_eval(w, n->kids[i]);
    }
    return unknown_at(w, n);
}

value expr_eval(walk *w, const ir_node *n)
{
    if (!n)
        return make(&aval_nothing, &(ir_type){0});
    if (!walk_step(w) || w->st.dead)
        return unknown_at(w, n);
    switch (n->kind) {
    case IR_INT:
        return make(aval_int(w, dim_const(w->an->dims, n->value),
                             names_constant_note(w, n, n->value)),
                    &n->type);
    case IR_VAR:
        return eval_var(w, n);
    case IR_MEMBER:
        return eval_member(w, n);
    case IR_CALL:
        return w->ops->call(w, n);
    case IR_ADDR:
        return n->n_kids ? eval_addr(w, n) : unknown_at(w, n);
    case IR_DEREF:
    case IR_INDEX: {
        place p = expr_place(w, n);
        value v = place_read(w, &p, n);
        if (n->type.cls == IR_TYPE_ARRAY && p.loc) /* a row: no shape */
            return pointer_to(w, p.loc, (shaped){NULL, NULL}, false, &n->type);
        return v;
    }
    case IR_CAST:
        return n->n_kids ? eval_cast(w, n) : unknown_at(w, n);
    case IR_ASSIGN:
        return n->n_kids == 2 ? eval_assign(w, n) : eval_other(w, n);
    case IR_BINARY:
        return eval_binary(w, n);
    case IR_COND:
        return n->n_kids == 3 ? eval_cond(w, n) : eval_other(w, n);
    case IR_UNARY:
        return n->n_kids ? eval_unary(w, n) : unknown_at(w, n);
    default:
        if (is_statement(n->kind)) {
            eval_statements(w, n);
            return unknown_at(w, n);
        }
        return eval_other(w, n);
    }
}

/* ---- Initialisers ------------------------------------------------------- */

/* Zero for every int and pointer field of R below P: C zeroes what an
   initialiser leaves out. */
static void zero_fields(walk *w, const place *p, const ir_record *r,
                        const ir_node *site, unsigned *n)
{
    for (uint32_t i = 0; r && i < r->n_fields && *n < COPY_MAX_FIELDS; i++) {
        const ir_decl *f = r->fields[i];
        place d = field_of(w, p, f, &f->type);
        if (f->type.cls == IR_TYPE_RECORD) {
            zero_fields(w, &d, f->type.record, site, n);
        } else if (f->type.cls == IR_TYPE_INT) {
            ++*n;
            place_write(w, &d, aval_int(w, dim_const(w->an->dims, 0), NULL),
                        site);
        } else if (f->type.cls == IR_TYPE_POINTER) {
            ++*n;
            place_write(w, &d, aval_null(w), site);
        }
    }
}

static void init_place(walk *w, const place *p, const ir_node *init,
                       const ir_decl *target);

static void init_list(walk *w, const place *p, const ir_node *list)
{
    const ir_type *t = &p->type;
    if (t->cls == IR_TYPE_RECORD) {
        unsigned n = 0;
        zero_fields(w, p, t->record, list, &n);
        for (uint32_t i = 0; i < list->n_kids; i++) {
            const ir_node *k = list->kids[i];
            if (k->kind != IR_DESIGNATOR || !k->decl || k->n_kids != 1) {
                expr_eval(w, k);
                continue;
            }
            place f = field_of(w, p, k->decl, &k->decl->type);
            init_place(w, &f, k->kids[0], NULL);
        }
        return;
    }
    if (t->cls == IR_TYPE_ARRAY && p->loc) {
        place e = one(loc_elements(w, p->loc), false, &p->type);
        e.type = loc_get(w, e.loc)->type;
        for (uint32_t i = 0; i < list->n_kids; i++)
            init_place(w, &e, list->kids[i], NULL);
        return;
    }
    for (uint32_t i = 0; i < list->n_kids; i++) /* { x } for a scalar */
        if (i == 0 && list->n_kids == 1)
            init_place(w, p, list->kids[0], NULL);
        else
            expr_eval(w, list->kids[i]);
}

static void init_place(walk *w, const place *p, const ir_node *init,
                       const ir_decl *target)
{
    const ir_node *bare = ir_strip_casts(init);
    if (bare && bare->kind == IR_INITLIST) {
        init_list(w, p, bare);
    } else if (p->type.cls == IR_TYPE_RECORD) {
        copy_record(w, p, init, init, target);
    } else if (p->type.cls == IR_TYPE_ARRAY) {
        expr_eval(w, init); /* a string literal */
    } else {
        expr_assign(w, p, eval_named(w, init, target), target, init);
    }
}

void expr_init(walk *w, loc_id loc, const ir_decl *d, const ir_node *init)
{
    place p = one(loc, true, &d->type);
    init_place(w, &p, init, d);
    /* The variable takes its shape at its name, for the observer. */
    if (d->type.cls == IR_TYPE_POINTER || d->type.cls == IR_TYPE_RECORD) {
        const aval *v = cell_read(w, loc);
        if (v->extent.shape || v->observed.shape)
            names_observe(w, SHAPE_EVENT_TAKEN, d, d->loc,
                          v->extent.shape ? v->extent : v->observed);
    }
}
