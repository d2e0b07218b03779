/*
 * call.c - one call against a signature: bind the signature's symbols from
 * the arguments, find the arguments that cannot fit, and instantiate the
 * parameter and result shapes in the caller's terms.
 *
 * Order matters: integer arguments bind first (they are explicit), then
 * each dim that is a lone symbol binds from the first argument that gives
 * it a size, and only then are compound dims (2*N, N+1) checked, so that
 * "SHAPE(2*N)" before "SHAPE(N)" in the parameter list still works.
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
    /* Dim pairs of the argument being aligned. */
    pending_dim *pairs;
    uint32_t n_pairs, cap_pairs;
    uint32_t cur_arg;
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
    return r->args[i].value.shape ? r->args[i].value.shape : r->expected[i];
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
                           uint32_t n)
{
    for (uint32_t i = 0; i < n && i < sig->n_params; i++)
        if (sig->params[i].is_int && args[i].int_value)
            bind(in, sig->params[i].int_sym, args[i].int_value, (int)i, -1);
    for (uint32_t k = 0; k < sig->n_paths; k++) {
        const sig_path *p = &sig->paths[k];
        if (p->param < n && args[p->param].path_values &&
            args[p->param].path_values[k])
            bind(in, p->sym, args[p->param].path_values[k], (int)p->param, -1);
    }
}

/* Lone symbols bind or are checked against their binding; the rest wait. */
static void match_lone_symbols(inst *in, uint32_t *n_deferred)
{
    const signature *sig = in->r->sig;
    uint32_t keep = 0;
    for (uint32_t k = 0; k < in->n_pairs; k++) {
        pending_dim pd = in->pairs[k];
        const dim_poly *p = sig->params[pd.arg].shape->dims[pd.param_dim];
        const dim_poly *a = in->r->args[pd.arg].value.shape->dims[pd.arg_dim];
        dim_sym s;
        if (!p || !a)
            continue;
        if (!dim_is_symbol(p, &s)) {
            in->pairs[keep++] = pd;
            continue;
        }
        const binding *b = call_binding(in->r, s);
        if (!b)
            bind(in, s, a, (int)pd.arg, (int)pd.arg_dim);
        else if (dim_compare(in->an->dims, b->value, a) == DIM_CANNOT_EQUAL)
            add_conflict(in, CONFLICT_BOUND, pd.arg, pd.arg_dim, s);
    }
    *n_deferred = keep;
}

static const dim_poly *bound_only(void *ud, dim_sym sym)
{
    const binding *b = call_binding(((inst *)ud)->r, sym);
    return b ? b->value : NULL;
}

static void check_compound_dims(inst *in, uint32_t n_deferred)
{
    const signature *sig = in->r->sig;
    for (uint32_t k = 0; k < n_deferred; k++) {
        pending_dim pd = in->pairs[k];
        const dim_poly *p = sig->params[pd.arg].shape->dims[pd.param_dim];
        const dim_poly *a = in->r->args[pd.arg].value.shape->dims[pd.arg_dim];
        p = dim_substitute(in->an->dims, p, bound_only, in);
        if (dim_compare(in->an->dims, p, a) == DIM_CANNOT_EQUAL)
            add_conflict(in, CONFLICT_DIM, pd.arg, pd.arg_dim, 0);
    }
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
    in->fresh_from[in->n_fresh] = sym;
    in->fresh_to[in->n_fresh] =
        dim_symbol(ctx, dim_sym_new(ctx, dim_sym_name(ctx, sym)));
    return in->fresh_to[in->n_fresh++];
}

call_result *call_instantiate(analysis *an, const signature *sig,
                              const call_arg *args, uint32_t n_args)
{
    call_result *r = arena_alloc(an->arena, sizeof *r);
    r->sig = sig, r->args = args, r->n_args = n_args;
    r->conflicts =
        arena_array(an->arena, n_args ? n_args : 1, sizeof *r->conflicts);
    r->expected =
        arena_array(an->arena, n_args ? n_args : 1, sizeof *r->expected);
    inst in = {.an = an, .r = r};
    bind_arguments(&in, sig, args, n_args);
    for (uint32_t i = 0; i < n_args && i < sig->n_params; i++) {
        const shape *p = sig->params[i].shape, *a = args[i].value.shape;
        if (!p || !a)
            continue;
        in.cur_arg = i;
        if (!shape_align(p, a, collect_pair, &in))
            add_conflict(&in, CONFLICT_RANK, i, 0, 0);
    }
    uint32_t n_deferred;
    match_lone_symbols(&in, &n_deferred);
    check_compound_dims(&in, n_deferred);
    for (uint32_t i = 0; i < n_args && i < sig->n_params; i++)
        if (sig->params[i].shape)
            r->expected[i] =
                shape_substitute(an->arena, an->dims, sig->params[i].shape,
                                 instantiate_sym, &in);
    if (sig->returns)
        r->returns = shape_substitute(an->arena, an->dims, sig->returns,
                                      instantiate_sym, &in);
    r->effect_values =
        arena_array(an->arena, sig->n_effects + 1, sizeof *r->effect_values);
    for (uint32_t k = 0; k < sig->n_effects; k++)
        r->effect_values[k] = dim_substitute(an->dims, sig->effects[k].value,
                                             instantiate_sym, &in);
    return r;
}
