/*
 * analyze.c - the driver for a whole program: every annotated function has
 * its signature built (so a malformed annotation is reported even when
 * nothing calls the function), then every function defined in a main file
 * is walked (propagate.c).  Signatures and summaries are shared by all
 * translation units, so a call in one file is checked against a function
 * annotated or defined in another.
 */
#include "analysis.h"

void analyze_program(ir_tu *const *tus, uint32_t n_tus, diag_list *diags,
                     const shape_observer *observer)
{
    analysis an = {.tus = tus, .n_tus = n_tus, .diags = diags,
                   .observer = observer};
    an.arena = arena_new();
    an.dims = dim_ctx_new();
    strmap_init(&an.funcs_by_key, an.arena);
    strmap_init(&an.consts, an.arena);
    for (uint32_t t = 0; t < n_tus; t++)
        for (uint32_t i = 0; i < tus[t]->n_funcs; i++)
            signature_of(&an, tus[t]->funcs[i]);
    for (uint32_t t = 0; t < n_tus; t++)
        for (uint32_t i = 0; i < tus[t]->n_funcs; i++)
            propagate_function(&an, tus[t]->funcs[i]);
    dim_ctx_free(an.dims);
    arena_free(an.arena);
}
