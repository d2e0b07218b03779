/*
 * context.c - the program's entry.  A summary says what a function does
 * for any caller, so a finding that depends on what one caller passes, or
 * on what a static local holds when the function is entered, is lost in
 * it.  Where the program shows that only one context can occur, the body
 * is walked again in it:
 *
 *   - main starts with every static local of a function that runs only
 *     after main has started holding its initial value (C 6.7.9p10);
 *   - a function that runs only through one call, in a body that is
 *     itself walked from the entry, is entered with what that call knows:
 *     its constant integer arguments and the static locals it knows.
 *
 * "Runs only ..." is decided from the calls in the unit: the function is
 * static, defined in the main file after its last #include (header code,
 * which is not converted, cannot name it), its address is never taken
 * (ir_func.address_taken), and every call of it is in a body that runs
 * only after main has started (a constructor, an atexit handler or a
 * signal handler is none of these).  main itself must never be called.
 *
 * A static integer global of main's unit is sealed when its address is
 * never taken (ir_decl.address_taken, which also covers a header's or an
 * unconverted body's use) and only bodies that run after main has started
 * write it: code nobody can see cannot reach it, so it keeps its value
 * across such calls, and main starts with it at its initial value.
 *
 * A finding of these walks holds on every run that reaches it, like any
 * other: the context is what every run knows there.  One that the walk
 * without the context made already (same rule, same place) is dropped.
 * docs/summaries.md ("What a single call site knows") has the rules.
 */
#include <stdio.h>
#include <string.h>

#include "walk.h"

/* The calls of one caller group, one edge each. */
typedef struct call_edge {
    func_group *caller, *callee;
} call_edge;

typedef struct entry_scan {
    analysis *an;
    const ir_tu *tu; /* main's */
    call_edge *edges;
    uint32_t n_edges, cap_edges;
    const ir_node **todo;
    uint32_t n_todo, cap_todo;
} entry_scan;

static void add_edge(entry_scan *s, func_group *caller, const ir_func *callee)
{
    func_group *g = callee ? func_group_of(s->an, callee) : NULL;
    if (!g)
        return;
    g->n_call_sites++;
    g->sole_caller = caller;
    s->edges = arena_grow(s->an->arena, s->edges, s->n_edges, &s->cap_edges,
                          sizeof *s->edges);
    s->edges[s->n_edges++] = (call_edge){caller, g};
}

/* VISIT each node of BODY, CALLER's (any order). */
typedef void (*node_visit)(entry_scan *s, func_group *caller, const ir_node *x);

static void visit_nodes(entry_scan *s, func_group *caller, const ir_node *body,
                        node_visit visit)
{
    s->n_todo = 0;
    s->todo = arena_grow(s->an->arena, s->todo, s->n_todo, &s->cap_todo,
                         sizeof *s->todo);
    s->todo[s->n_todo++] = body;
    while (s->n_todo) {
        const ir_node *x = s->todo[--s->n_todo];
        if (!x)
            continue;
        visit(s, caller, x);
        for (uint32_t i = 0; i < x->n_kids; i++) {
            s->todo = arena_grow(s->an->arena, s->todo, s->n_todo, &s->cap_todo,
                                 sizeof *s->todo);
            s->todo[s->n_todo++] = x->kids[i];
        }
    }
}

static void visit_call(entry_scan *s, func_group *caller, const ir_node *x)
{
    if (x->kind == IR_CALL && x->callee)
        add_edge(s, caller, x->callee);
}

/* Every call in the program's bodies (a deferred body's by its list). */
static void scan_calls(entry_scan *s)
{
    for (uint32_t t = 0; t < s->an->n_tus; t++) {
        const ir_tu *tu = s->an->tus[t];
        for (uint32_t i = 0; i < tu->n_funcs; i++) {
            const ir_func *f = tu->funcs[i];
            func_group *caller = func_group_of(s->an, f);
            if (f->body)
                visit_nodes(s, caller, f->body, visit_call);
            for (uint32_t k = 0; f->body_deferred && k < f->n_calls; k++)
                add_edge(s, caller, f->calls[k]);
        }
    }
}

/* Whether G can run only through the calls the scan saw: static, in
   main's unit, its address never taken. */
static bool calls_are_all(const entry_scan *s, const func_group *g)
{
    for (uint32_t i = 0; i < g->n; i++) {
        const ir_func *d = g->decls[i];
        if (!d->is_static || d->address_taken || d->tu != s->tu)
            return false;
    }
    return g->n > 0;
}

/* after_main: the greatest set of candidates none of whose calls is in a
   body outside it (main's is in it). */
static void mark_after_main(entry_scan *s, func_group *main_group)
{
    for (uint32_t i = 0; i < s->tu->n_funcs; i++) {
        func_group *g = func_group_of(s->an, s->tu->funcs[i]);
        g->after_main =
            g == main_group || (g->n_call_sites > 0 && calls_are_all(s, g));
    }
    for (bool changed = true; changed;) {
        changed = false;
        for (uint32_t e = 0; e < s->n_edges; e++) {
            call_edge *c = &s->edges[e];
            if (c->callee->after_main && c->callee != main_group &&
                !c->caller->after_main) {
                c->callee->after_main = false;
                changed = true;
            }
        }
    }
}

/* The static integer globals of TU that a sealed one could be. */
static bool global_candidate(const ir_decl *d)
{
    return d->kind == IR_DECL_GLOBAL && d->is_static && !d->address_taken &&
           d->type.cls == IR_TYPE_INT;
}

/* The global X writes directly ("g = ...", "g += ...", "g++"), or NULL. */
static const ir_decl *written_global(const ir_node *x)
{
    bool write =
        x->kind == IR_ASSIGN || (x->kind == IR_UNARY && x->op >= IR_OP_PREINC &&
                                 x->op <= IR_OP_POSTDEC);
    const ir_node *target = write && x->n_kids ? x->kids[0] : NULL;
    return target && target->kind == IR_VAR && target->decl &&
                   target->decl->kind == IR_DECL_GLOBAL
               ? target->decl
               : NULL;
}

/* Drops from the sealed list the global X writes, if any. */
static void visit_write(entry_scan *s, func_group *caller, const ir_node *x)
{
    (void)caller;
    analysis *an = s->an;
    const ir_decl *g = written_global(x);
    for (uint32_t i = 0; g && i < an->n_sealed_globals; i++)
        if (an->sealed_globals[i] == g)
            an->sealed_globals[i--] =
                an->sealed_globals[--an->n_sealed_globals];
}

/* The sealed globals: the candidates no body outside after_main writes.
   A deferred body named every global it writes (address_taken). */
static void mark_sealed_globals(entry_scan *s)
{
    analysis *an = s->an;
    const ir_tu *tu = s->tu;
    an->sealed_globals =
        arena_array(an->arena, tu->n_globals + 1, sizeof *an->sealed_globals);
    an->n_sealed_globals = 0;
    for (uint32_t i = 0; i < tu->n_globals; i++)
        if (global_candidate(tu->globals[i]))
            an->sealed_globals[an->n_sealed_globals++] = tu->globals[i];
    for (uint32_t i = 0; i < tu->n_funcs && an->n_sealed_globals; i++) {
        const ir_func *f = tu->funcs[i];
        if (f->body && !func_group_of(an, f)->after_main)
            visit_nodes(s, NULL, f->body, visit_write);
    }
}

/* The value static local D holds when the program starts, if its
   initialiser is an integer constant of its type (none: 0). */
static bool initial_value(const ir_decl *d, int64_t *v)
{
    const ir_node *init = ir_strip_casts(d->init);
    if (init && init->kind != IR_INT)
        return false;
    *v = init ? init->value : 0;
    unsigned bits = d->type.int_bits;
    if (bits == 0 || bits >= 64)
        return bits != 0 && (d->type.int_signed || *v >= 0);
    int64_t lo = d->type.int_signed ? -((int64_t)1 << (bits - 1)) : 0;
    int64_t hi = d->type.int_signed ? ((int64_t)1 << (bits - 1)) - 1
                                    : ((int64_t)1 << bits) - 1;
    return *v >= lo && *v <= hi;
}

/* main's entry: the static locals of the functions that run only after
   it has started, and the sealed globals, at their initial values. */
static entry_context *program_start(entry_scan *s)
{
    entry_context *e = arena_alloc(s->an->arena, sizeof *e);
    e->seen = true;
    uint32_t cap = 0;
    for (uint32_t i = 0; i < s->an->n_sealed_globals; i++) {
        const ir_decl *d = s->an->sealed_globals[i];
        int64_t v;
        if (!initial_value(d, &v))
            continue;
        e->facts = arena_grow(s->an->arena, e->facts, e->n_facts, &cap,
                              sizeof *e->facts);
        value_note *note = arena_alloc(s->an->arena, sizeof *note);
        *note = (value_note){d->name,
                             arena_printf(s->an->arena, "%lld", (long long)v),
                             d->loc, "set to", NULL};
        e->facts[e->n_facts++] = (entry_fact){d, "", v, note};
    }
    for (uint32_t i = 0; i < s->tu->n_funcs; i++) {
        const ir_func *f = s->tu->funcs[i];
        if (!f->body || !func_group_of(s->an, f)->after_main)
            continue;
        for (uint32_t k = 0; k < f->n_locals; k++) {
            const ir_decl *d = f->locals[k];
            int64_t v;
            if (!d->is_static || d->type.cls != IR_TYPE_INT ||
                !initial_value(d, &v))
                continue;
            e->facts = arena_grow(s->an->arena, e->facts, e->n_facts, &cap,
                                  sizeof *e->facts);
            e->facts[e->n_facts++] = (entry_fact){d, "", v, NULL};
        }
    }
    return e;
}

/* G's body in main's unit, walked with ENTRY. */
static void walk_entered(analysis *an, const entry_scan *s, func_group *g,
                         const entry_context *entry)
{
    for (uint32_t i = 0; i < g->n; i++)
        if (g->decls[i]->body && g->decls[i]->tu == s->tu) {
            size_t before = an->diags->n;
            engine_walk_entered(an, g->decls[i], g->annotated, entry);
            /* one the walk without the context made already: dropped */
            diag_list_drop_repeats(an->diags, 0, before);
            return;
        }
}

static const ir_func *find_main(analysis *an)
{
    const ir_func *found = NULL;
    for (uint32_t t = 0; t < an->n_tus; t++)
        for (uint32_t i = 0; i < an->tus[t]->n_funcs; i++) {
            const ir_func *f = an->tus[t]->funcs[i];
            if (f->body && !f->is_static && strcmp(f->name, "main") == 0) {
                if (found)
                    return NULL; /* two programs: neither is known whole */
                found = f;
            }
        }
    return found;
}

const ir_tu *engine_entry_unit(analysis *an)
{
    const ir_func *m = find_main(an);
    return m ? m->tu : NULL;
}

/* Scans every call and marks the functions that run only after main has
   started (func_group.after_main) and those that run only through one
   call (through_one_call); false when the program has no usable main. */
static bool mark_entry(analysis *an, entry_scan *s, func_group **main_out)
{
    const ir_func *main_fn = find_main(an);
    func_group *main_group = main_fn ? func_group_of(an, main_fn) : NULL;
    if (!main_group)
        return false;
    *s = (entry_scan){.an = an, .tu = main_fn->tu};
    scan_calls(s);
    for (uint32_t i = 0; i < main_group->n; i++)
        if (main_group->decls[i]->address_taken)
            return false;
    if (main_group->n_call_sites)
        return false;
    mark_after_main(s, main_group);
    mark_sealed_globals(s);
    for (uint32_t i = 0; i < s->tu->n_funcs; i++) {
        func_group *g = func_group_of(an, s->tu->funcs[i]);
        g->through_one_call =
            g != main_group && g->after_main && g->n_call_sites == 1;
    }
    *main_out = main_group;
    return true;
}

void engine_mark_entry(analysis *an)
{
    entry_scan s;
    func_group *main_group;
    an->entry_marked = mark_entry(an, &s, &main_group);
}

void engine_walk_from_entry(analysis *an)
{
    const ir_func *main_fn = an->entry_marked ? find_main(an) : NULL;
    func_group *main_group = main_fn ? func_group_of(an, main_fn) : NULL;
    if (!main_group || !main_group->walked)
        return;
    entry_scan s = {.an = an, .tu = main_fn->tu};
    const shape_observer *observer = an->observer;
    FILE *verbose = an->verbose;
    an->observer = NULL, an->verbose = NULL; /* said once, by the first walk */
    walk_entered(an, &s, main_group, program_start(&s));
    /* Each walk records its callees' entries; a callee's comes after its
       caller's walk, and each function has one caller: breadth first. */
    func_group **queue =
        arena_array(an->arena, s.tu->n_funcs + 1, sizeof *queue);
    uint32_t head = 0, tail = 0;
    queue[tail++] = main_group;
    while (head < tail) {
        func_group *caller = queue[head++];
        for (uint32_t i = 0; i < s.tu->n_funcs; i++) {
            func_group *g = func_group_of(an, s.tu->funcs[i]);
            if (!g->through_one_call || g->sole_caller != caller ||
                !g->walked || !g->entry || !g->entry->seen ||
                g->decls[0] != s.tu->funcs[i] || tail > s.tu->n_funcs)
                continue;
            walk_entered(an, &s, g, g->entry);
            queue[tail++] = g;
        }
    }
    an->observer = observer, an->verbose = verbose;
}
