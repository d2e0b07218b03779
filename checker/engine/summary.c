/*
 * summary.c - what a function's body requires of its parameters, returns
 * and leaves in its arguments' members, on every path (docs/summaries.md):
 * the body is walked once with the parameters as symbols, quietly, and the
 * exit state read.
 */

#include <stdio.h>
#include <string.h>

#include "flow.h"

/* The parameter of the function being summarised that N names, or -1. */
static int param_named(pctx *c, const ir_node *n)
{
    n = flow_strip_casts(n);
    if (n->kind != IR_VAR || !n->decl || n->decl->kind != IR_DECL_PARAM ||
        n->decl->owner != c->f || c->sum->assigned[n->decl->index])
        return -1;
    return (int)n->decl->index;
}

/* A loss called on every path with two of our parameters as logits and
   labels makes this function a loss of those two as well. */
void flow_summary_note_loss(pctx *c, const signature *callee,
                            const ir_node *call)
{
    summary_state *sum = c->sum;
    uint32_t n_args = call->n_kids - 1;
    if (callee->loss_logits < 0 || sum->conditional || sum->returned ||
        sum->sig->loss_logits >= 0 || (uint32_t)callee->loss_logits >= n_args ||
        (uint32_t)callee->loss_labels >= n_args)
        return;
    int lg = param_named(c, call->kids[1 + callee->loss_logits]);
    int lb = param_named(c, call->kids[1 + callee->loss_labels]);
    if (lg < 0 || lb < 0)
        return;
    sum->sig->loss_logits = lg, sum->sig->loss_labels = lb;
    sum->sig->loss_loc = call->loc;
    sum->sig->loss_via = call->callee ? call->callee->name : NULL;
}

/* ---- Summaries -------------------------------------------------------- */

void flow_summary_add_path(pctx *c, const char *key, const dim_poly *value)
{
    signature *sig = c->sum->sig;
    dim_sym sym;
    if (!dim_is_symbol(value, &sym))
        return;
    for (uint32_t i = 0; i < c->f->n_params; i++) {
        char root[48];
        int n =
            snprintf(root, sizeof root, "@%p", (const void *)c->f->params[i]);
        if (strncmp(key, root, (size_t)n) != 0 || key[n] == '\0' ||
            (key[n] != '.' && key[n] != '-'))
            continue;
        sig_path *paths =
            arena_array(c->an->arena, sig->n_paths + 1, sizeof *paths);
        if (sig->n_paths)
            memcpy(paths, sig->paths, sig->n_paths * sizeof *paths);
        paths[sig->n_paths++] =
            (sig_path){i, arena_strdup(c->an->arena, key + n), sym};
        sig->paths = paths;
        return;
    }
}

/* Marks the parameters the body writes: their later shapes say nothing
   about the arguments. */
static void scan_assigned(const ir_node *n, const ir_func *f, bool *assigned)
{
    if (!n)
        return;
    const ir_node *target = NULL;
    if (n->kind == IR_ASSIGN || n->kind == IR_ADDR ||
        (n->kind == IR_UNARY && n->op >= IR_OP_PREINC &&
         n->op <= IR_OP_POSTDEC))
        target = flow_strip_casts(n->kids[0]);
    if (target && target->kind == IR_VAR && target->decl &&
        target->decl->kind == IR_DECL_PARAM && target->decl->owner == f &&
        target->decl->index < f->n_params)
        assigned[target->decl->index] = true;
    for (uint32_t i = 0; i < n->n_kids; i++)
        scan_assigned(n->kids[i], f, assigned);
}

static bool summary_shape_ok(const shape *s)
{
    return s && s->rank <= SUMMARY_MAX_RANK;
}

/* The requirements the exit state puts on each parameter the annotations
   leave open. */
static bool summarise_params(pctx *c, const state *exit)
{
    summary_state *sum = c->sum;
    bool any = false;
    for (uint32_t i = 0; i < c->f->n_params && i < sum->sig->n_params; i++) {
        const shaped *sh = &exit->params[i].shape;
        sig_param *sp = &sum->sig->params[i];
        if (sum->assigned[i] || exit->params[i].sticky || !sh->shape ||
            !sh->origin || sh->origin->kind != ORIGIN_INFERRED ||
            !summary_shape_ok(sh->shape))
            continue;
        sp->shape = sh->shape;
        sp->written = shape_format(c->an->arena, c->an->dims, sh->shape);
        sp->loc = sh->origin->loc;
        sp->via = sh->origin->callee;
        any = true;
    }
    return any;
}

/* The initial symbol of a parameter path, if the body read it first. */
static bool is_initial_path_value(const signature *sig, uint32_t param,
                                  const char *suffix, const dim_poly *v)
{
    dim_sym sym;
    if (!dim_is_symbol(v, &sym))
        return false;
    for (uint32_t i = 0; i < sig->n_paths; i++)
        if (sig->paths[i].param == param && sig->paths[i].sym == sym &&
            strcmp(sig->paths[i].suffix, suffix) == 0)
            return true;
    return false;
}

/* Member writes through a parameter that hold at every exit. */
static bool summarise_effects(pctx *c, const state *exit)
{
    signature *sig = c->sum->sig;
    for (uint32_t i = 0; i < exit->n_paths; i++) {
        const path_state *p = &exit->paths[i];
        const ir_decl *root = p->root;
        if (!root || root->kind != IR_DECL_PARAM || root->owner != c->f ||
            c->sum->assigned[root->index] || !p->value)
            continue;
        char prefix[48];
        int n = snprintf(prefix, sizeof prefix, "@%p", (const void *)root);
        const char *suffix = p->key + n;
        if (is_initial_path_value(sig, root->index, suffix, p->value))
            continue; /* read, never written */
        sig_effect *effects =
            arena_array(c->an->arena, sig->n_effects + 1, sizeof *effects);
        if (sig->n_effects)
            memcpy(effects, sig->effects, sig->n_effects * sizeof *effects);
        effects[sig->n_effects++] =
            (sig_effect){root->index, arena_strdup(c->an->arena, suffix),
                         p->value, p->note ? p->note->loc : c->f->loc};
        sig->effects = effects;
    }
    return sig->n_effects > 0;
}

static bool summarise_result(pctx *c)
{
    summary_state *sum = c->sum;
    if (!sum->have_ret || sum->ret_varies || !summary_shape_ok(sum->ret.shape))
        return false;
    sum->sig->returns = sum->ret.shape;
    sum->sig->returns_written =
        shape_format(c->an->arena, c->an->dims, sum->ret.shape);
    sum->sig->returns_loc = sum->ret_loc;
    sum->sig->returns_via = sum->ret.origin ? sum->ret.origin->callee : NULL;
    return true;
}

signature *summary_derive(analysis *an, const ir_func *def,
                          const signature *annotated)
{
    if (!def->body || an->summary_depth >= SUMMARY_MAX_DEPTH)
        return NULL;
    summary_state sum = {.annotated = annotated};
    sum.sig = signature_new(an, def);
    if (annotated) /* speak in the annotations' symbols */
        for (uint32_t i = 0; i < sum.sig->n_params && i < annotated->n_params;
             i++)
            sum.sig->params[i].int_sym = annotated->params[i].int_sym;
    sum.assigned =
        arena_array(an->arena, def->n_params + 1, sizeof *sum.assigned);
    scan_assigned(def->body, def, sum.assigned);

    pctx c = {.an = an, .f = def, .sum = &sum};
    c.st.locals =
        arena_array(an->arena, def->n_locals + 1, sizeof *c.st.locals);
    c.st.params =
        arena_array(an->arena, def->n_params + 1, sizeof *c.st.params);
    strmap_init(&c.free_syms, an->arena);
    if (annotated) {
        sum.sig->paths = annotated->paths;
        sum.sig->n_paths = annotated->n_paths;
    }

    /* Findings belong to the walk of the function itself, not to this. */
    diag_list quiet, *loud = an->diags;
    diag_list_init(&quiet);
    an->diags = &quiet;
    an->summary_depth++;
    flow_enter_function(&c, annotated);
    flow_walk(&c, def->body);
    an->summary_depth--;
    an->diags = loud;
    diag_list_free(&quiet);

    flow_join_into(&c, &sum.exit, !sum.have_exit); /* falling off the end */
    bool any = summarise_params(&c, &sum.exit);
    any |= summarise_result(&c);
    any |= summarise_effects(&c, &sum.exit);
    any |= sum.sig->loss_logits >= 0;
    sum.sig->derived = true;
    return any ? sum.sig : NULL;
}
