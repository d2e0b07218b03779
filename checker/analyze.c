/*
 * analyze.c - the driver for one translation unit: every function defined
 * in the main file is walked (propagate.c), and every annotated function
 * declaration has its signature built, so that a malformed annotation is
 * reported even when nothing calls the function.
 */
#include "analysis.h"

static void check_global_annotations(analysis *an)
{
    for (uint32_t i = 0; i < an->tu->n_funcs; i++)
        signature_of(an, an->tu->funcs[i]);
}

void analyze_tu(const ir_tu *tu, diag_list *diags)
{
    analysis an = {.tu = tu, .diags = diags};
    an.arena = arena_new();
    an.dims = dim_ctx_new();
    strmap_init(&an.funcs_by_key, an.arena);
    strmap_init(&an.consts, an.arena);
    check_global_annotations(&an);
    for (uint32_t i = 0; i < tu->n_funcs; i++)
        propagate_function(&an, tu->funcs[i]);
    dim_ctx_free(an.dims);
    arena_free(an.arena);
}
