/*
 * call.c - one call against a signature (SPEC 4): bind the signature's
 * symbols from the arguments, instantiate each parameter's SHAPE as the
 * view the callee reads, and list the arguments whose extent (what the
 * buffer holds) cannot serve that view.
 *
 * Order matters: integer arguments and member paths bind first (they are
 * explicit), then each dim that is a lone free symbol binds from the
 * first extent that gives it a size (free symbols are exact: nothing but
 * the buffers carries them), and only then are the views built and every
 * dim compared, so that "SHAPE(2*N)" before "SHAPE(N)" still works.
 *
 * A view's first dim that the caller passes as a count (an integer
 * parameter, a member path, a constant) is a prefix: the callee reads
 * that many rows, and a buffer that holds more is C's usual idiom.  Inner
 * dims fix a row-major layout and are compared exactly.  Where ranks
 * differ the code is reshaping memory, and element counts are compared
 * with the same prefix rule.
 */
#include <string.h>

#include "analysis.h"

typedef struct pending_dim {
    uint32_t arg, param_dim, arg_dim;
} pending_dim;

typedef struct inst {
    analysis *an;
    call_result *r;
    uint32_t cap_bindings;
    /* Fresh caller symbols for signature symbols left unbound. */
    dim_sym *fresh_from;
    const dim_poly **fresh_to;
    uint32_t n_fresh, cap_fresh;
    /* Dim pairs of the arguments whose ranks align. */
    pending_dim *pairs;
    uint32_t n_pairs, cap_pairs;
    uint32_t cur_arg;
    bool *aligned; /* per argument */
} inst;

const binding *call_binding(const call_result *r, dim_sym sym)
{
    for (uint32_t i = 0; i < r->n_bindings; i++)
        if (r->bindings[i].sym == sym)
            return &r->bindings[i];
    return NULL;
}

const shape *call_arg_shape(const call_result *r, uint32_t i)
{
    if (i >= r->n_args)
        return NULL;
    const call_arg *a = &r->args[i];
    /* A flat allocation read as a matrix is clearer as what a call saw. */
    if (a->extent.shape && (r->aligned[i] || !a->observed.shape))
        return a->extent.shape;
    if (a->observed.shape)
        return a->observed.shape;
    return r->views[i];
}

static void bind(inst *in, dim_sym sym, const dim_poly *value, int arg, int dim)
{
    call_result *r = in->r;
    if (r->n_bindings == in->cap_bindings) {
        in->cap_bindings = in->cap_bindings ? in->cap_bindings * 2 : 8;
        binding *b = arena_array(in->an->arena, in->cap_bindings, sizeof *b);
        if (r->n_bindings)
            memcpy(b, r->bindings, r->n_bindings * sizeof *b);
        r->bindings = b;
    }
    r->bindings[r->n_bindings++] = (binding){sym, value, arg, dim};
}

/* One conflict per argument: the first is the one worth reading. */
static void add_conflict(inst *in, conflict_kind kind, uint32_t arg,
                         uint32_t dim, dim_sym sym)
{
    call_result *r = in->r;
    for (uint32_t i = 0; i < r->n_conflicts; i++)
        if (r->conflicts[i].arg == arg)
            return;
    r->conflicts[r->n_conflicts++] = (conflict){kind, arg, dim, sym};
}

static void collect_pair(void *ud, uint32_t i, uint32_t j)
{
    inst *in = ud;
    if (in->n_pairs == in->cap_pairs) {
        in->cap_pairs = in->cap_pairs ? in->cap_pairs * 2 : 8;
        pending_dim *p = arena_array(in->an->arena, in->cap_pairs, sizeof *p);
        if (in->n_pairs)
            memcpy(p, in->pairs, in->n_pairs * sizeof *p);
        in->pairs = p;
    }
    in->pairs[in->n_pairs++] = (pending_dim){in->cur_arg, i, j};
}

static void bind_arguments(inst *in, const signature *sig, const call_arg *args,
                           uint32_t n, const dim_poly *const *static_values)
{
    for (uint32_t i = 0; i < n && i < sig->n_params; i++)
        if (sig->params[i].is_int && args[i].int_value)
            bind(in, sig->params[i].int_sym, args[i].int_value, (int)i, -1);
    for (uint32_t k = 0; k < sig->n_paths; k++) {
        const sig_path *p = &sig->paths[k];
        if (p->param < n && args[p->param].path_values &&
            args[p->param].path_values[k])
            bind(in, p->sym, args[p->param].path_values[k], (int)p->param, -1);
        else if (p->param == SIG_PATH_STATIC && static_values &&
                 static_values[k])
            bind(in, p->sym, static_values[k], -1, -1);
    }
}

static bool is_free_symbol(const signature *sig, dim_sym s)
{
    for (uint32_t i = 0; i < sig->n_free; i++)
        if (sig->free_syms[i] == s)
            return true;
    return false;
}

/* The lone free symbol a parameter dim is, if it is one. */
static bool lone_free_symbol(const signature *sig, const dim_poly *p,
                             dim_sym *s)
{
    return p && dim_is_symbol(p, s) && is_free_symbol(sig, *s);
}

static const dim_poly *extent_dim(const call_result *r, const pending_dim *pd)
{
    return r->args[pd->arg].extent.shape->dims[pd->arg_dim];
}

/* Lone free symbols bind from extents, or are checked against their
   binding. */
static void bind_free_symbols(inst *in)
{
    const signature *sig = in->r->sig;
    for (uint32_t k = 0; k < in->n_pairs; k++) {
        const pending_dim *pd = &in->pairs[k];
        const dim_poly *a = extent_dim(in->r, pd);
        dim_sym s;
        if (!a || !lone_free_symbol(
                      sig, sig->params[pd->arg].shape->dims[pd->param_dim], &s))
            continue;
        const binding *b = call_binding(in->r, s);
        if (!b)
            bind(in, s, a, (int)pd->arg, (int)pd->arg_dim);
        else if (dim_compare(in->an->dims, b->value, a) == DIM_CANNOT_EQUAL)
            add_conflict(in, CONFLICT_BOUND, pd->arg, pd->arg_dim, s);
    }
}

bool call_symbol_exact(const analysis *an, dim_sym sym)
{
    return sym < an->cap_exact_syms && an->exact_syms[sym];
}

static void mark_exact(analysis *an, dim_sym sym)
{
    if (sym >= an->cap_exact_syms) {
        uint32_t cap = an->cap_exact_syms ? an->cap_exact_syms : 64;
        while (cap <= sym)
            cap *= 2;
        uint8_t *bits = arena_array(an->arena, cap, 1);
        if (an->cap_exact_syms)
            memcpy(bits, an->exact_syms, an->cap_exact_syms);
        an->exact_syms = bits, an->cap_exact_syms = cap;
    }
    an->exact_syms[sym] = 1;
}

/* Bound symbols take their values; unbound ones a fresh caller symbol,
   the same one everywhere in this call. */
static const dim_poly *instantiate_sym(void *ud, dim_sym sym)
{
    inst *in = ud;
    const binding *b = call_binding(in->r, sym);
    if (b)
        return b->value;
    for (uint32_t i = 0; i < in->n_fresh; i++)
        if (in->fresh_from[i] == sym)
            return in->fresh_to[i];
    if (in->n_fresh == in->cap_fresh) {
        in->cap_fresh = in->cap_fresh ? in->cap_fresh * 2 : 8;
        dim_sym *from = arena_array(in->an->arena, in->cap_fresh, sizeof *from);
        const dim_poly **to =
            arena_array(in->an->arena, in->cap_fresh, sizeof *to);
        if (in->n_fresh) {
            memcpy(from, in->fresh_from, in->n_fresh * sizeof *from);
            memcpy(to, in->fresh_to, in->n_fresh * sizeof *to);
        }
        in->fresh_from = from, in->fresh_to = to;
    }
    dim_ctx *ctx = in->an->dims;
    dim_sym fresh = dim_sym_new(ctx, dim_sym_name(ctx, sym));
    if (is_free_symbol(in->r->sig, sym))
        mark_exact(in->an, fresh);
    in->fresh_from[in->n_fresh] = sym;
    in->fresh_to[in->n_fresh] = dim_symbol(ctx, fresh);
    return in->fresh_to[in->n_fresh++];
}

typedef struct sym_scan {
    const signature *sig;
    bool free;
} sym_scan;

static void note_free(void *ud, dim_sym s)
{
    sym_scan *sc = ud;
    sc->free = sc->free || is_free_symbol(sc->sig, s);
}

/* Whether the callee reads a prefix of argument I's rows: the first dim
   of its SHAPE is a count the caller passes, not a free symbol. */
static bool reads_prefix(const signature *sig, uint32_t i, const call_arg *a)
{
    const shape *p = sig->params[i].shape;
    if (a->exact || p->rank == 0 || p->ellipsis == 0 || !p->dims[0])
        return false;
    sym_scan sc = {sig, false};
    dim_poly_symbols(p->dims[0], note_free, &sc);
    return !sc.free;
}

/* Every aligned dim of the view against the extent. */
static void check_dims(inst *in)
{
    call_result *r = in->r;
    dim_ctx *D = in->an->dims;
    for (uint32_t k = 0; k < in->n_pairs; k++) {
        const pending_dim *pd = &in->pairs[k];
        const dim_poly *e = extent_dim(r, pd);
        const dim_poly *v = r->views[pd->arg]->dims[pd->param_dim];
        dim_sym s;
        if (!e || !v ||
            lone_free_symbol(
                r->sig, r->sig->params[pd->arg].shape->dims[pd->param_dim], &s))
            continue; /* unknown, or checked as it bound */
        if (pd->param_dim == 0 && pd->arg_dim == 0 && r->prefix[pd->arg]) {
            if (dim_order_of(D, v, e) == DIM_ORDER_GT)
                add_conflict(in, CONFLICT_ROWS, pd->arg, 0, 0);
        } else if (dim_compare(D, v, e) == DIM_CANNOT_EQUAL) {
            add_conflict(in, CONFLICT_DIM, pd->arg, pd->arg_dim, 0);
        }
    }
}

/* Arguments whose rank differs from their view's: element counts. */
static void check_counts(inst *in)
{
    call_result *r = in->r;
    dim_ctx *D = in->an->dims;
    for (uint32_t i = 0; i < r->n_args; i++) {
        if (in->aligned[i] || !r->views[i] || !r->args[i].extent.shape ||
            r->args[i].is_null)
            continue;
        const dim_poly *v = shape_elements(D, r->views[i]);
        const dim_poly *e = shape_elements(D, r->args[i].extent.shape);
        if (!v || !e)
            continue;
        bool bad = r->prefix[i] ? dim_order_of(D, v, e) == DIM_ORDER_GT
                                : dim_compare(D, v, e) == DIM_CANNOT_EQUAL;
        if (bad)
            add_conflict(in, CONFLICT_COUNT, i, 0, 0);
    }
}

/* Ranks that line up (the same number of dims, or '...' absorbing the
   difference) pair their dims; others are a reshape, compared by counts. */
static void align_arguments(inst *in, const signature *sig,
                            const call_arg *args, uint32_t n_args)
{
    for (uint32_t i = 0; i < n_args && i < sig->n_params; i++) {
        const shape *p = sig->params[i].shape, *a = args[i].extent.shape;
        if (!p || !a || args[i].is_null)
            continue;
        in->cur_arg = i;
        uint32_t mark = in->n_pairs;
        in->aligned[i] = shape_align(p, a, collect_pair, in);
        if (!in->aligned[i])
            in->n_pairs = mark;
    }
}

static void instantiate_views(inst *in, const signature *sig, uint32_t n_args)
{
    call_result *r = in->r;
    analysis *an = in->an;
    for (uint32_t i = 0; i < n_args && i < sig->n_params; i++) {
        if (!sig->params[i].shape)
            continue;
        r->views[i] = shape_substitute(
            an->arena, an->dims, sig->params[i].shape, instantiate_sym, in);
        r->prefix[i] = reads_prefix(sig, i, &r->args[i]);
    }
}

call_result *call_instantiate(analysis *an, const signature *sig,
                              const call_arg *args, uint32_t n_args,
                              const dim_poly *const *static_values)
{
    call_result *r = arena_alloc(an->arena, sizeof *r);
    uint32_t n = n_args ? n_args : 1;
    r->sig = sig, r->args = args, r->n_args = n_args;
    r->conflicts = arena_array(an->arena, n, sizeof *r->conflicts);
    r->views = arena_array(an->arena, n, sizeof *r->views);
    r->prefix = arena_array(an->arena, n, sizeof *r->prefix);
    inst in = {.an = an, .r = r};
    in.aligned = arena_array(an->arena, n, sizeof *in.aligned);
    r->aligned = in.aligned;
    bind_arguments(&in, sig, args, n_args, static_values);
    align_arguments(&in, sig, args, n_args);
    bind_free_symbols(&in);
    instantiate_views(&in, sig, n_args);
    check_dims(&in);
    check_counts(&in);
    if (sig->returns)
        r->returns = shape_substitute(an->arena, an->dims, sig->returns,
                                      instantiate_sym, &in);
    if (sig->returns_int)
        r->returns_int =
            dim_substitute(an->dims, sig->returns_int, instantiate_sym, &in);
    if (sig->returns_bytes)
        r->returns_bytes =
            dim_substitute(an->dims, sig->returns_bytes, instantiate_sym, &in);
    r->returns_int_bounds =
        arena_array(an->arena, sig->n_returns_int_bounds + 1,
                    sizeof *r->returns_int_bounds);
    for (uint32_t k = 0; k < sig->n_returns_int_bounds; k++)
        r->returns_int_bounds[k] = dim_substitute(
            an->dims, sig->returns_int_bounds[k], instantiate_sym, &in);
    if (sig->returns_seen)
        r->returns_seen = shape_substitute(
            an->arena, an->dims, sig->returns_seen, instantiate_sym, &in);
    r->result_effect_values = arena_array(an->arena, sig->n_result_effects + 1,
                                          sizeof *r->result_effect_values);
    for (uint32_t k = 0; k < sig->n_result_effects; k++)
        r->result_effect_values[k] =
            sig->result_effects[k].fresh
                ? NULL
                : dim_substitute(an->dims, sig->result_effects[k].value,
                                 instantiate_sym, &in);
    r->effect_values =
        arena_array(an->arena, sig->n_effects + 1, sizeof *r->effect_values);
    for (uint32_t k = 0; k < sig->n_effects; k++)
        r->effect_values[k] =
            sig->effects[k].fresh
                ? NULL
                : dim_substitute(an->dims, sig->effects[k].value,
                                 instantiate_sym, &in);
    return r;
}
