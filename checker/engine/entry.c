/*
 * entry.c - what a function's one call site knows of its entry: the
 * integer arguments and static locals that are constants there
 * (walk.h: entry_context).  Data only; call_site.c records it, context.c
 * walks the callee with it.
 */
#include <string.h>

#include "walk.h"

static void copy_into(analysis *an, entry_context *into,
                      const entry_context *from)
{
    *into = *from;
    into->seen = true;
    into->args = arena_array(an->arena, from->n_args + 1, sizeof *into->args);
    into->arg_known =
        arena_array(an->arena, from->n_args + 1, sizeof *into->arg_known);
    if (from->n_args) {
        memcpy(into->args, from->args, from->n_args * sizeof *from->args);
        memcpy(into->arg_known, from->arg_known,
               from->n_args * sizeof *from->arg_known);
    }
    into->facts =
        arena_array(an->arena, from->n_facts + 1, sizeof *into->facts);
    for (uint32_t i = 0; i < from->n_facts; i++) {
        into->facts[i] = from->facts[i];
        into->facts[i].suffix = arena_strdup(an->arena, from->facts[i].suffix);
    }
}

void entry_context_meet(analysis *an, entry_context *into,
                        const entry_context *next)
{
    if (!into->seen) {
        copy_into(an, into, next);
        return;
    }
    for (uint32_t i = 0; i < into->n_args; i++)
        into->arg_known[i] = into->arg_known[i] && i < next->n_args &&
                             next->arg_known[i] &&
                             next->args[i] == into->args[i];
    uint32_t kept = 0;
    for (uint32_t i = 0; i < into->n_facts; i++) {
        const entry_fact *f = &into->facts[i];
        const entry_fact *g = entry_context_fact(next, f->var, f->suffix);
        if (g && g->value == f->value) {
            into->facts[kept] = *f;
            if (g->note != f->note)
                into->facts[kept].note = NULL;
            kept++;
        }
    }
    into->n_facts = kept;
}

const entry_fact *entry_context_fact(const entry_context *c, const ir_decl *var,
                                     const char *suffix)
{
    for (uint32_t i = 0; c && i < c->n_facts; i++)
        if (c->facts[i].var == var && strcmp(c->facts[i].suffix, suffix) == 0)
            return &c->facts[i];
    return NULL;
}

bool entry_context_static(const entry_context *c, const ir_decl *var,
                          const char *suffix, int64_t *value)
{
    const entry_fact *f = entry_context_fact(c, var, suffix);
    if (f)
        *value = f->value;
    return f != NULL;
}
