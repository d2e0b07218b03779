/*
 * rule_shape_mismatch.c - shape-mismatch: an argument whose shape cannot
 * match its parameter's SHAPE: rank, a dimension, a symbol bound to two
 * sizes, or an int argument the dims contradict.
 */
#include <string.h>

#include "analysis.h"

static bool is_batch_conflict(const call_result *r, const conflict *c)
{
    const signature *sig = r->sig;
    return c->kind != CONFLICT_RANK && c->dim == 0 &&
           ((int)c->arg == sig->loss_logits || (int)c->arg == sig->loss_labels);
}

static diag *report_rank(analysis *an, const call_result *r, const conflict *c,
                         sc_loc call, const char *callee)
{
    const call_arg *a = &r->args[c->arg];
    const sig_param *sp = &r->sig->params[c->arg];
    uint32_t want = sp->shape->rank - (sp->shape->ellipsis >= 0);
    return diag_add(
        an->diags, &sc_rule_shape_mismatch, call,
        "'%s' has shape %s but parameter '%s' of '%s' expects "
        "rank %s%u (%s)",
        a->text, shape_format(an->arena, an->dims, a->value.shape), sp->name,
        callee, sp->shape->ellipsis >= 0 ? "at least " : "", want, sp->written);
}

static diag *report_dim(analysis *an, const call_result *r, const conflict *c,
                        sc_loc call, const char *callee)
{
    const call_arg *a = &r->args[c->arg];
    const sig_param *sp = &r->sig->params[c->arg];
    const char *expected =
        shape_format(an->arena, an->dims, r->expected[c->arg]);
    const char *inst = strcmp(expected, sp->written) == 0
                           ? ""
                           : arena_printf(an->arena, " = %s", expected);
    return diag_add(an->diags, &sc_rule_shape_mismatch, call,
                    "'%s' has shape %s but parameter '%s' of '%s' expects %s%s",
                    a->text, shape_format(an->arena, an->dims, a->value.shape),
                    sp->name, callee, sp->written, inst);
}

static diag *report_bound(analysis *an, const call_result *r, const conflict *c,
                          sc_loc call, const char *callee)
{
    const call_arg *a = &r->args[c->arg];
    const binding *b = call_binding(r, c->sym);
    char value[128];
    dim_format(an->dims, b->value, value, sizeof value);
    const char *by = b->dim < 0 ? "passed as" : "bound by";
    return diag_add(an->diags, &sc_rule_shape_mismatch, call,
                    "'%s' has shape %s but %s = %s (%s '%s') in call to '%s'",
                    a->text, shape_format(an->arena, an->dims, a->value.shape),
                    dim_sym_name(an->dims, c->sym), value, by,
                    r->args[b->arg].text, callee);
}

static void note_conflict(analysis *an, diag *d, const call_result *r,
                          const conflict *c)
{
    note_origin(an, d, r->args[c->arg].value.origin);
    if (c->kind == CONFLICT_BOUND) {
        const binding *b = call_binding(r, c->sym);
        if (b->dim < 0)
            note_value(an, d, r->args[b->arg].int_note);
        else
            note_origin(an, d, r->args[b->arg].value.origin);
    }
    note_param(an, d, r->sig, c->arg);
}

void check_shape_mismatch(analysis *an, const call_result *r, sc_loc call,
                          const char *callee, bool batch_reported)
{
    for (uint32_t i = 0; i < r->n_conflicts; i++) {
        const conflict *c = &r->conflicts[i];
        if (batch_reported && is_batch_conflict(r, c))
            continue;
        diag *d = c->kind == CONFLICT_RANK ? report_rank(an, r, c, call, callee)
                  : c->kind == CONFLICT_DIM
                      ? report_dim(an, r, c, call, callee)
                      : report_bound(an, r, c, call, callee);
        note_conflict(an, d, r, c);
    }
}
