/*
 * values.c - abstract values, and integers as C stores them.
 *
 * An integer value is a canonical polynomial (dim.h) over symbols, in the
 * C type of where it is stored.  Constants follow C exactly: unsigned
 * types wrap modulo 2^bits, conversions to signed types wrap as GCC and
 * Clang define them, signed overflow in arithmetic is unknown.  A
 * symbolic value is kept through a conversion only when the target type
 * holds every value of the source type (sizes are taken to be >= 1 and
 * not to overflow, as SPEC 2 assumes); a narrowing conversion of a symbol
 * is unknown.  Unsigned subtraction of symbols is kept only where it
 * provably does not wrap.
 *
 * Unknown values are symbols named by the place that made them
 * (site_symbol), so that re-walking a loop body gives the same symbols
 * and a join that keeps failing to agree converges.
 */
#include <stdio.h>
#include <string.h>

#include "walk.h"

const aval aval_nothing = {0};

const aval *aval_new(walk *w, const aval *proto)
{
    aval *v = arena_alloc(w->scratch, sizeof *v);
    *v = *proto;
    return v;
}

/* The null pointer: it points to nothing (an empty set, not "anywhere":
   a member set to NULL must not make its object unbounded). */
const aval *aval_null(walk *w)
{
    static const ptset nothing = {.maybe_null = true};
    return aval_new(w, &(aval){.is_null = true, .pts = &nothing});
}

/* Plain integers (no note, no bounds) are made over and over (every
   constant evaluated, every symbol stored): one per value is enough, as
   values are never changed once made. */
#define PLAIN_INTS 512 /* a power of two */

const aval *aval_int(walk *w, const dim_poly *num, const value_note *note)
{
    aval proto = {.num = num, .note = note};
    if (note || !num)
        return aval_new(w, &proto);
    if (!w->plain_ints)
        w->plain_ints =
            arena_array(w->scratch, PLAIN_INTS, sizeof *w->plain_ints);
    uintptr_t h = ((uintptr_t)num >> 4) * 2654435761u;
    const aval **slot = &w->plain_ints[h & (PLAIN_INTS - 1)];
    if (!*slot || (*slot)->num != num)
        *slot = aval_new(w, &proto);
    return *slot;
}

/* ---- Site symbols ------------------------------------------------------- */

typedef struct sym_entry {
    const void *site;
    loc_id loc;
    int tag;
    const dim_poly *poly;
} sym_entry;

struct sym_table {
    sym_entry *items;
    uint32_t n, cap; /* cap: a power of two */
};

static uint32_t sym_hash(const void *site, loc_id loc, int tag)
{
    uint64_t h = (uint64_t)(uintptr_t)site * 0x9E3779B97F4A7C15u;
    h ^= ((uint64_t)loc << 32 | (uint32_t)tag) * 0xC2B2AE3D27D4EB4Fu;
    return (uint32_t)(h ^ h >> 31);
}

static void sym_grow(walk *w)
{
    sym_table *t = w->syms;
    uint32_t cap = t->cap ? t->cap * 2 : 256;
    sym_entry *items = arena_array(w->scratch, cap, sizeof *items);
    for (uint32_t i = 0; i < t->cap; i++) {
        sym_entry *e = &t->items[i];
        if (!e->poly)
            continue;
        uint32_t h = sym_hash(e->site, e->loc, e->tag) & (cap - 1);
        while (items[h].poly)
            h = (h + 1) & (cap - 1);
        items[h] = *e;
    }
    t->items = items, t->cap = cap;
}

/* Whether SITE is TOP or a node under TOP's casts: a value made there is
   the whole of what is stored, and takes the variable's name. */
static bool on_name_spine(const ir_node *top, const void *site)
{
    for (const ir_node *n = top; n; n = n->kids[0]) {
        if ((const void *)n == site)
            return true;
        if (n->kind != IR_CAST || n->n_kids != 1)
            return false;
    }
    return false;
}

const dim_poly *site_symbol(walk *w, const void *site, loc_id loc, int tag,
                            const char *display)
{
    if (!w->syms) {
        w->syms = arena_alloc(w->scratch, sizeof *w->syms);
        sym_grow(w);
    }
    sym_table *t = w->syms;
    /* Each pass of an unrolled loop makes its own unknowns (two passes'
       call results are two values); a value at entry is one. */
    if (tag != 'e')
        tag |= (int)(w->sym_epoch << 8);
    uint32_t h = sym_hash(site, loc, tag) & (t->cap - 1);
    for (; t->items[h].poly; h = (h + 1) & (t->cap - 1)) {
        sym_entry *e = &t->items[h];
        if (e->site == site && e->loc == loc && e->tag == tag)
            return e->poly;
    }
    dim_ctx *D = w->an->dims;
    if (!loc && w->name_top && on_name_spine(w->name_top, site))
        display = w->name_hint;
    const dim_poly *p = dim_symbol(D, dim_sym_new(D, display ? display : "?"));
    t->items[h] = (sym_entry){site, loc, tag, p};
    if (2 * ++t->n > t->cap)
        sym_grow(w);
    return p;
}

const aval *aval_unknown(walk *w, const void *site, loc_id loc,
                         const ir_type *t)
{
    if (t->cls == IR_TYPE_INT) {
        const char *display = loc ? loc_get(w, loc)->display : "?";
        return aval_int(w, site_symbol(w, site, loc, 'u', display), NULL);
    }
    return &aval_nothing; /* a pointer to anywhere, a float, a record */
}

/* The summary's symbol for path SUFFIX of parameter PARAM, or of the
   static local KEY (PARAM SIG_PATH_STATIC), made on first use so that
   effects and shapes can name it. */
static const dim_poly *path_symbol(walk *w, uint32_t param, const char *key,
                                   const char *suffix, const char *display)
{
    signature *sig = w->summary;
    for (uint32_t k = 0; k < sig->n_paths; k++) {
        const sig_path *p = &sig->paths[k];
        if (p->param == param && strcmp(p->suffix, suffix) == 0 &&
            (!key || strcmp(p->static_key, key) == 0))
            return dim_symbol(w->an->dims, p->sym);
    }
    arena *a = w->an->arena;
    sig_path *paths = arena_array(a, sig->n_paths + 1, sizeof *paths);
    if (sig->n_paths)
        memcpy(paths, sig->paths, sig->n_paths * sizeof *paths);
    paths[sig->n_paths] = (sig_path){param, arena_strdup(a, suffix),
                                     dim_sym_new(w->an->dims, display),
                                     key ? arena_strdup(a, key) : NULL};
    sig->paths = paths;
    return dim_symbol(w->an->dims, paths[sig->n_paths++].sym);
}

const dim_poly *summary_path_symbol(walk *w, uint32_t param, const char *suffix,
                                    const char *display)
{
    return path_symbol(w, param, NULL, suffix, display);
}

const dim_poly *summary_static_symbol(walk *w, const char *key,
                                      const char *suffix, const char *display)
{
    return path_symbol(w, SIG_PATH_STATIC, key, suffix, display);
}

/* The symbol of integer parameter PARAM. */
const dim_poly *summary_param_symbol(walk *w, uint32_t param)
{
    const signature *sig = w->summary;
    if (param >= sig->n_params || !sig->params[param].is_int)
        return NULL;
    return dim_symbol(w->an->dims, sig->params[param].int_sym);
}

/* ---- Equality and joins ------------------------------------------------- */

static bool same_note(const value_note *a, const value_note *b)
{
    if (a == b)
        return true;
    return a && b && a->loc.line == b->loc.line && a->loc.col == b->loc.col &&
           a->loc.file == b->loc.file && strcmp(a->name, b->name) == 0 &&
           strcmp(a->value, b->value) == 0;
}

static bool same_pts(const ptset *a, const ptset *b)
{
    if (a == b)
        return true;
    if (!a || !b || a->n != b->n || a->unknown != b->unknown ||
        a->maybe_null != b->maybe_null)
        return false;
    return memcmp(a->targets, b->targets, a->n * sizeof *a->targets) == 0;
}

static bool same_shaped(shaped a, shaped b)
{
    if (a.shape == b.shape)
        return a.origin == b.origin || !a.shape;
    return a.shape && b.shape && shape_same(a.shape, b.shape) &&
           a.origin == b.origin;
}

bool aval_equal(const aval *a, const aval *b)
{
    if (a == b)
        return true;
    if (a->num != b->num || !same_note(a->note, b->note) ||
        a->n_bounds != b->n_bounds || !same_pts(a->pts, b->pts) ||
        !same_shaped(a->extent, b->extent) || a->exact != b->exact ||
        !same_shaped(a->observed, b->observed) || a->is_null != b->is_null ||
        a->bytes != b->bytes)
        return false;
    for (uint8_t i = 0; i < a->n_bounds; i++)
        if (a->bounds[i] != b->bounds[i])
            return false;
    return true;
}

/* The union of two points-to sets (NULL, anywhere, wins). */
static const ptset *join_pts(walk *w, const ptset *a, const ptset *b)
{
    if (same_pts(a, b))
        return a;
    if (!a || !b)
        return NULL;
    ptset r = {.unknown = a->unknown || b->unknown,
               .maybe_null = a->maybe_null || b->maybe_null};
    uint32_t i = 0, j = 0;
    while (i < a->n || j < b->n) {
        loc_id next;
        if (j == b->n || (i < a->n && a->targets[i] <= b->targets[j])) {
            next = a->targets[i++];
            if (j < b->n && b->targets[j] == next)
                j++;
        } else {
            next = b->targets[j++];
        }
        if (r.n == PTS_MAX)
            return NULL;
        r.targets[r.n++] = next;
    }
    ptset *p = arena_alloc(w->scratch, sizeof *p);
    *p = r;
    return p;
}

static bool is_at_most(walk *w, const dim_poly *a, const dim_poly *b)
{
    dim_order o = dim_order_of(w->an->dims, a, b);
    return o == DIM_ORDER_LT || o == DIM_ORDER_LE || o == DIM_ORDER_EQ;
}

/* Whether U bounds every value V may hold: V itself, or one of its
   bounds, is provably at most U. */
static bool bounds(walk *w, const aval *v, const dim_poly *u)
{
    if (v->num && is_at_most(w, v->num, u))
        return true;
    for (uint8_t i = 0; i < v->n_bounds; i++)
        if (is_at_most(w, v->bounds[i], u))
            return true;
    return false;
}

/* The bounds that hold on both sides: candidates are each side's value
   and bounds. */
static void join_bounds(walk *w, aval *r, const aval *a, const aval *b)
{
    const aval *sides[2] = {a, b};
    for (int s = 0; s < 2; s++) {
        const aval *v = sides[s];
        for (int k = -1; k < (int)v->n_bounds; k++) {
            const dim_poly *u = k < 0 ? v->num : v->bounds[k];
            bool dup = !u || u == r->num;
            for (uint8_t i = 0; i < r->n_bounds && !dup; i++)
                dup = r->bounds[i] == u;
            if (!dup && r->n_bounds < BOUNDS_MAX && bounds(w, a, u) &&
                bounds(w, b, u))
                r->bounds[r->n_bounds++] = u;
        }
    }
}

const aval *aval_join(walk *w, const aval *a, const aval *b, const void *site,
                      loc_id loc)
{
    if (aval_equal(a, b))
        return a;
    /* A null pointer on one path: the other path's buffer is the one a
       use can see ("if (!p) return NULL;"). */
    if (a->is_null && !b->is_null)
        return b;
    if (b->is_null && !a->is_null)
        return a;
    aval r = {0};
    if (a->num == b->num) {
        r.num = a->num;
        r.note = same_note(a->note, b->note) ? a->note : NULL;
    } else if (a->num && b->num) {
        const char *display = loc ? loc_get(w, loc)->display : "?";
        r.num = site_symbol(w, site, loc, 'j', display);
    }
    if (r.num || (a->num && b->num))
        join_bounds(w, &r, a, b);
    r.pts = join_pts(w, a->pts, b->pts);
    if (same_shaped(a->extent, b->extent) ||
        (a->extent.shape && b->extent.shape &&
         shape_same(a->extent.shape, b->extent.shape)))
        r.extent = a->extent;
    r.exact = a->exact && b->exact;
    r.bytes = a->bytes == b->bytes ? a->bytes : NULL;
    if (same_shaped(a->observed, b->observed) ||
        (a->observed.shape && b->observed.shape &&
         shape_same(a->observed.shape, b->observed.shape)))
        r.observed = a->observed;
    return aval_new(w, &r);
}

const aval *aval_bounded(walk *w, const aval *v, const dim_poly *bound)
{
    if (!bound) /* (the value itself may be one: a clamp says so) */
        return v;
    for (uint8_t i = 0; i < v->n_bounds; i++)
        if (v->bounds[i] == bound)
            return v;
    if (v->n_bounds == BOUNDS_MAX)
        return v;
    aval r = *v;
    r.bounds[r.n_bounds++] = bound;
    return aval_new(w, &r);
}

/* ---- C integers --------------------------------------------------------- */

static bool known_width(const ir_type *t)
{
    return t->cls == IR_TYPE_INT && t->int_bits > 0 && t->int_bits <= 64;
}

/* C as K in type T: wrapped modulo 2^bits, then read back signed or
   unsigned (GCC's and Clang's definition for out-of-range conversions to
   signed types).  False when it does not fit an int64 (a uint64 past
   INT64_MAX). */
static bool wrap_constant(int64_t k, const ir_type *t, int64_t *out)
{
    unsigned bits = t->int_bits;
    if (bits == 1 && !t->int_signed) { /* _Bool */
        *out = k != 0;
        return true;
    }
    if (bits >= 64) {
        if (!t->int_signed && k < 0)
            return false; /* 2^64 + k: no int64 holds it */
        *out = k;
        return true;
    }
    uint64_t mask = (UINT64_C(1) << bits) - 1, u = (uint64_t)k & mask;
    if (t->int_signed && (u >> (bits - 1)) & 1)
        *out = (int64_t)(u | ~mask);
    else
        *out = (int64_t)u;
    return true;
}

/* Whether type TO holds every value of type FROM (non-negative values,
   for a signed source: sizes are >= 1). */
static bool holds_all(const ir_type *from, const ir_type *to)
{
    if (from->int_bits == 1 && !from->int_signed)
        return to->int_bits >= 1;
    if (to->int_bits == 1 && !to->int_signed)
        return false; /* _Bool: anything non-zero is 1 */
    if (to->int_signed == from->int_signed)
        return to->int_bits >= from->int_bits;
    if (from->int_signed) /* signed -> unsigned: non-negative values fit */
        return to->int_bits >= from->int_bits;
    return to->int_bits > from->int_bits; /* unsigned -> signed */
}

const aval *int_convert(walk *w, const aval *v, const ir_type *from,
                        const ir_type *to, const void *site)
{
    if (to->cls != IR_TYPE_INT)
        return v;
    if (from->cls != IR_TYPE_INT && from->cls != IR_TYPE_OTHER)
        return aval_int(w, site_symbol(w, site, 0, 'c', "?"), NULL);
    if (!known_width(to) || !v->num)
        return v;
    int64_t k;
    if (dim_is_const(v->num, &k)) {
        int64_t wrapped;
        if (!wrap_constant(k, to, &wrapped))
            return aval_int(w, site_symbol(w, site, 0, 'c', "?"), NULL);
        if (wrapped == k)
            return v;
        return aval_int(w, dim_const(w->an->dims, wrapped), NULL);
    }
    /* A size in a 64-bit type (size_t, long) converted to a 32-bit one
       keeps its value: sizes are taken to fit in 31 bits, as an array of
       2^31 elements would not fit any of the checker's programs.  Any
       narrower conversion of a symbol is unknown. */
    bool size_to_int = from->int_bits == 64 && to->int_bits == 32;
    if (!known_width(from) || holds_all(from, to) || size_to_int)
        return v;
    return aval_int(w, site_symbol(w, site, 0, 'c', "?"), NULL);
}

/* K = A OP B for constants in type T; false when C leaves it undefined
   or unknown (signed overflow, division by zero, a negative shift). */
static bool const_arith(int op, int64_t a, int64_t b, const ir_type *t,
                        int64_t *k)
{
    bool overflow = false;
    switch (op) {
    case '+':
        overflow = __builtin_add_overflow(a, b, k);
        break;
    case '-':
        overflow = __builtin_sub_overflow(a, b, k);
        break;
    case '*':
        overflow = __builtin_mul_overflow(a, b, k);
        break;
    case '/':
    case '%':
        if (b == 0 || (a == INT64_MIN && b == -1))
            return false;
        *k = op == '/' ? a / b : a % b;
        break;
    case IR_OP_SHL:
        if (b < 0 || b >= 63 || a < 0)
            return false;
        overflow = __builtin_mul_overflow(a, (int64_t)1 << b, k);
        break;
    case IR_OP_SHR:
        if (b < 0 || b >= 64 || a < 0)
            return false;
        *k = a >> b;
        break;
    case '&':
        *k = a & b;
        break;
    case '|':
        *k = a | b;
        break;
    case '^':
        *k = a ^ b;
        break;
    default:
        return false;
    }
    if (overflow)
        return false;
    if (!known_width(t))
        return true;
    int64_t wrapped;
    if (!wrap_constant(*k, t, &wrapped))
        return false;
    if (wrapped != *k && t->int_signed)
        return false; /* signed overflow: undefined */
    *k = wrapped;
    return true;
}

ir_type int_promoted(const ir_type *t)
{
    ir_type r = *t;
    if (t->cls == IR_TYPE_INT && t->int_bits && t->int_bits < 32)
        r.int_bits = 32, r.int_signed = true;
    return r;
}

ir_type int_common(const ir_type *a, const ir_type *b)
{
    ir_type x = int_promoted(a), y = int_promoted(b);
    if (x.cls != IR_TYPE_INT || !x.int_bits)
        return x;
    if (y.cls != IR_TYPE_INT || !y.int_bits)
        return x;
    if (x.int_bits != y.int_bits)
        return x.int_bits > y.int_bits ? x : y;
    return x.int_signed ? y : x; /* at equal width, unsigned wins */
}

/* A shift by a constant as a multiplication or division by 2^k. */
static const dim_poly *shift(dim_ctx *D, int op, const dim_poly *a, int64_t k)
{
    if (k < 0 || k >= 62)
        return NULL;
    const dim_poly *f = dim_const(D, (int64_t)1 << k);
    return op == IR_OP_SHL ? dim_mul(D, a, f) : dim_div(D, a, f);
}

const dim_poly *int_arith(walk *w, int op, const dim_poly *a, const dim_poly *b,
                          const ir_type *t)
{
    if (!a || !b)
        return NULL;
    dim_ctx *D = w->an->dims;
    int64_t x, y, k;
    if (dim_is_const(a, &x) && dim_is_const(b, &y))
        return const_arith(op, x, y, t, &k) ? dim_const(D, k) : NULL;
    bool unsigned_t = known_width(t) && !t->int_signed;
    switch (op) {
    case '+':
        return dim_add(D, a, b);
    case '-': {
        if (unsigned_t) { /* wraps unless a >= b */
            dim_order o = dim_order_of(D, a, b);
            if (o != DIM_ORDER_GE && o != DIM_ORDER_GT && o != DIM_ORDER_EQ)
                return NULL;
        }
        return dim_sub(D, a, b);
    }
    case '*':
        return dim_mul(D, a, b);
    case '/':
        return dim_div(D, a, b);
    case '%':
        return dim_mod(D, a, b);
    case IR_OP_SHL:
    case IR_OP_SHR:
        return dim_is_const(b, &y) ? shift(D, op, a, y) : NULL;
    default:
        return NULL;
    }
}
