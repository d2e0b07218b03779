/*
 * stmt.c - statements: declarations, branches, loops, switch, jumps.
 *
 * Branches are walked from the state before them, each refined by what
 * its condition says (a pointer is null, a count is at most a size), and
 * joined after.  A loop is walked to a fixpoint: its head is the join of
 * the state before it and of every way back (the end of the body, each
 * continue), re-walked silently until the head no longer changes (a value
 * that keeps changing becomes the loop's own symbol at once, so this
 * takes two or three rounds), then walked once more, the only walk whose
 * findings count.  Past LOOP_MAX_ROUNDS rounds the head is "nothing
 * known" (docs/limits.md).  What the body does not change keeps its value
 * and its shape; what it changes is joined.
 *
 * Before that, a loop whose test the state decides at every pass ("int
 * v = 0; while (v < K) v++;", "for (j = 0; j < 2; j++) n += E") is walked
 * pass by pass, as it runs: every pass runs on every path that reaches
 * the loop, so what it finds holds there, and the loop leaves the values
 * it computed exact (v is K after it).  A pass whose test is not decided,
 * a break, or past LOOP_UNROLL_PASSES passes (WALK_UNROLL_PASSES in one
 * walk) hands the loop to the fixpoint, from the state before it; one
 * finding per place stays.
 *
 * An inner loop is walked again at every round of the loops around it.
 * Redone from scratch, a nest of depth d would cost 3^d walks of the
 * innermost body (ggml's 8-deep repeat kernels).  So each loop keeps its
 * last entry state and head fixpoint: the same entry reuses the head at
 * once, and a new entry starts from its join with the last fixpoint (an
 * over-approximation of the loop's states, so still a sound head; the
 * entries of an inner loop only grow as the outer head does), which then
 * settles in one round.
 *
 * break, continue and return end their path; goto ends it too, and a
 * label starts from "nothing known", which is sound for any goto.
 */
#include <string.h>

#include "walk.h"

#define LOOP_MAX_ROUNDS 8

/* The loop or switch being walked, innermost first. */
struct loop_ctx {
    const ir_node *node;
    bool is_switch;
    state breaks;    /* join of the states at each break */
    state continues; /* loops: at each continue */
    state entry;     /* switch: the state each case label starts from */
    loop_ctx *outer;
};

/* ---- Conditions --------------------------------------------------------- */

static bool null_test(const ir_node *cond, const ir_node **var, bool *null_if)
{
    cond = ir_strip_casts(cond);
    bool negate = false;
    if (cond->kind == IR_UNARY && cond->op == '!' && cond->n_kids == 1) {
        cond = ir_strip_casts(cond->kids[0]);
        negate = true;
    }
    const ir_node *v = cond;
    if (cond->kind == IR_BINARY && cond->n_kids == 2 &&
        (cond->op == IR_OP_EQ || cond->op == IR_OP_NE)) {
        const ir_node *a = ir_strip_casts(cond->kids[0]), *b = cond->kids[1];
        if (ir_is_null_constant(a))
            a = ir_strip_casts(b), b = cond->kids[0];
        if (!ir_is_null_constant(b))
            return false;
        v = a;
        negate = negate != (cond->op == IR_OP_EQ);
    }
    if (v->type.cls != IR_TYPE_POINTER ||
        (v->kind != IR_VAR && v->kind != IR_MEMBER))
        return false;
    *var = v;
    *null_if = negate; /* "p": null when false; "!p": null when true */
    return true;
}

/* A place a comparison can bound: an integer variable or member. */
static bool boundable(const ir_node *n)
{
    n = ir_strip_casts(n);
    return n->type.cls == IR_TYPE_INT &&
           (n->kind == IR_VAR || n->kind == IR_MEMBER);
}

/* X <= BOUND where the branch is taken: BOUND added to X's bounds. */
static void bound_place(walk *w, const ir_node *x, const dim_poly *bound)
{
    if (!bound)
        return;
    place p = expr_place(w, ir_strip_casts(x));
    if (!p.loc || !p.strong)
        return;
    cell_replace(w, p.loc, aval_bounded(w, cell_read(w, p.loc), bound));
}

/* A - B when it is the same constant for every value of the symbols.
   Branches are decided only this way: a condition tests flags, status
   codes and counters, which SPEC 2's "sizes are >= 1" says nothing
   about (a parameter may be 0; a countdown ends at 0). */
static bool constant_difference(walk *w, const dim_poly *a, const dim_poly *b,
                                int64_t *k)
{
    return a && b && dim_is_const(dim_sub(w->an->dims, a, b), k);
}

/* Whether "A OP B" (OP normalised to '<' or IR_OP_LE) cannot hold. */
static bool never(walk *w, int op, const dim_poly *a, const dim_poly *b)
{
    int64_t k;
    if (!constant_difference(w, a, b, &k))
        return false;
    return op == '<' ? k >= 0 : k > 0;
}

/* A < B or A <= B where the branch is taken. */
static void refine_less(walk *w, const ir_node *a, const ir_node *b, bool le)
{
    value va = expr_eval(w, a), vb = expr_eval(w, b);
    if (va.v->num && vb.v->num &&
        never(w, le ? IR_OP_LE : '<', va.v->num, vb.v->num)) {
        w->st.dead = true;
        return;
    }
    if (boundable(a) && vb.v->num)
        bound_place(
            w, a,
            le ? vb.v->num
               : dim_sub(w->an->dims, vb.v->num, dim_const(w->an->dims, 1)));
}

static void refine_compare(walk *w, const ir_node *c, bool truth)
{
    const ir_node *a = c->kids[0], *b = c->kids[1];
    if (!ir_is_pure(c))
        return; /* evaluated once already: no second time for its effects */
    switch (c->op) {
    case '<': /* a < b, or b <= a */
        truth ? refine_less(w, a, b, false) : refine_less(w, b, a, true);
        break;
    case IR_OP_LE:
        truth ? refine_less(w, a, b, true) : refine_less(w, b, a, false);
        break;
    case '>':
        truth ? refine_less(w, b, a, false) : refine_less(w, a, b, true);
        break;
    case IR_OP_GE:
        truth ? refine_less(w, b, a, true) : refine_less(w, a, b, false);
        break;
    case IR_OP_EQ:
    case IR_OP_NE: {
        value va = expr_eval(w, a), vb = expr_eval(w, b);
        bool equal_branch = (c->op == IR_OP_EQ) == truth;
        int64_t k;
        if (constant_difference(w, va.v->num, vb.v->num, &k) &&
            (equal_branch ? k != 0 : k == 0))
            w->st.dead = true;
        break;
    }
    default:
        break;
    }
}

void stmt_refine(walk *w, const ir_node *cond, bool truth)
{
    cond = ir_strip_casts(cond);
    if (!cond || w->st.dead)
        return;
    if (cond->kind == IR_INT) {
        if ((cond->value != 0) != truth)
            w->st.dead = true;
        return;
    }
    if (cond->kind == IR_UNARY && cond->op == '!' && cond->n_kids == 1) {
        const ir_node *inner = ir_strip_casts(cond->kids[0]);
        if (inner->type.cls != IR_TYPE_POINTER) {
            stmt_refine(w, inner, !truth);
            return;
        }
    }
    if (cond->kind == IR_BINARY && cond->n_kids == 2) {
        if ((cond->op == IR_OP_LAND && truth) ||
            (cond->op == IR_OP_LOR && !truth)) {
            stmt_refine(w, cond->kids[0], truth);
            stmt_refine(w, cond->kids[1], truth);
            return;
        }
        const ir_node *var;
        bool null_if;
        if (null_test(cond, &var, &null_if)) {
            if (null_if == truth) {
                place p = expr_place(w, var);
                if (p.loc && p.strong)
                    cell_replace(w, p.loc, aval_null(w));
            }
            return;
        }
        refine_compare(w, cond, truth);
        return;
    }
    const ir_node *var;
    bool null_if;
    if (null_test(cond, &var, &null_if) && null_if == truth) {
        place p = expr_place(w, var);
        if (p.loc && p.strong)
            cell_replace(w, p.loc, aval_null(w));
    }
}

/* ---- Declarations ------------------------------------------------------- */

/* The sizes of a variable-length array, evaluated where it is declared. */
static const aval **array_sizes(walk *w, const ir_decl *d)
{
    const ir_type *t = &d->type;
    if (t->cls != IR_TYPE_ARRAY || !t->array_rank)
        return NULL;
    const aval **dims = arena_array(w->scratch, t->array_rank, sizeof *dims);
    for (uint32_t i = 0; i < t->array_rank; i++)
        dims[i] =
            t->array_dims[i] ? expr_eval(w, t->array_dims[i]).v : &aval_nothing;
    return dims;
}

static void declare_local(walk *w, const ir_node *n)
{
    const ir_decl *d = n->decl;
    if (!d || d->owner != w->f || d->index >= w->f->n_locals)
        return;
    loc_id loc = loc_var(w, d);
    shaped decl = names_declared(w, d, 0, array_sizes(w, d), NULL);
    w->declared[d->index] = decl;
    names_enter_scope(w, d); /* in scope from its own initialiser on */
    names_observe(w, SHAPE_EVENT_DECLARED, d, d->loc, decl);
    if (d->is_static)
        return; /* its initialiser ran once, at the first call */
    if (n->n_kids) {
        expr_init(w, loc, d, n->kids[0]);
    } else if (d->type.cls == IR_TYPE_INT || d->type.cls == IR_TYPE_POINTER) {
        /* Indeterminate until assigned, in each iteration of a loop. */
        cell_replace(w, loc, aval_unknown(w, n, loc, &d->type));
    }
}

/* ---- Branches ----------------------------------------------------------- */

static void walk_if(walk *w, const ir_node *n)
{
    if (n->n_kids < 2)
        return;
    expr_eval(w, n->kids[0]);
    state before = state_copy(&w->st);
    w->conditional++;
    stmt_refine(w, n->kids[0], true);
    stmt_walk(w, n->kids[1]);
    state then = w->st;
    w->st = before;
    stmt_refine(w, n->kids[0], false);
    if (n->n_kids > 2)
        stmt_walk(w, n->kids[2]);
    w->st = state_join(w, &then, &w->st, n);
    w->conditional--;
}

/* ---- Loops -------------------------------------------------------------- */

static const ir_node *loop_part(const ir_node *n, int i)
{
    return n->n_kids == 4 ? n->kids[i] : NULL;
}

/* The condition holds: where the body starts; *EXIT gets where it does
   not (the loop's exit along the condition). */
static void test(walk *w, const ir_node *cond, state *exit)
{
    if (!cond) { /* for (;;) */
        exit->dead = true;
        return;
    }
    expr_eval(w, cond);
    state before = w->st;
    stmt_refine(w, cond, false);
    *exit = w->st;
    w->st = before;
    stmt_refine(w, cond, true);
}

/* One pass through the loop from HEAD: returns the state at the way back
   to the head; *EXIT is the loop's exit state. */
static state loop_pass(walk *w, const ir_node *n, loop_ctx *l,
                       const state *head, state *exit)
{
    const ir_node *cond = loop_part(n, 1), *inc = loop_part(n, 2),
                  *body = loop_part(n, 3);
    w->st = *head;
    l->breaks.dead = l->continues.dead = true;
    state at_test = {.dead = true};
    if (n->op != IR_LOOP_DO)
        test(w, cond, &at_test);
    stmt_walk(w, body);
    w->st = state_join(w, &w->st, &l->continues, n);
    if (n->op == IR_LOOP_DO)
        test(w, cond, &at_test);
    else if (inc)
        expr_eval(w, inc);
    *exit = state_join(w, &at_test, &l->breaks, n);
    return w->st;
}

/* What the state says of COND (already evaluated): 1 it holds on every
   path, 0 on none, -1 not decided. */
static int decide(walk *w, const ir_node *cond)
{
    if (!cond)
        return 1; /* for (;;) */
    state before = w->st;
    stmt_refine(w, cond, false);
    bool never_false = w->st.dead;
    w->st = before;
    stmt_refine(w, cond, true);
    bool never_true = w->st.dead;
    w->st = before;
    return never_false == never_true ? -1 : never_false;
}

/* The test of an unrolled pass: whether to go on (*DONE when the loop
   ends here, with the state it leaves); false when it is not decided. */
static bool unrolled_test(walk *w, const ir_node *cond, bool *done)
{
    if (cond)
        expr_eval(w, cond);
    int holds = decide(w, cond);
    if (holds >= 0)
        stmt_refine(w, cond, holds == 1);
    *done = holds == 0;
    return holds >= 0;
}

/* The passes of unroll(). */
static bool unroll_passes(walk *w, const ir_node *n, loop_ctx *l)
{
    const ir_node *cond = loop_part(n, 1), *inc = loop_part(n, 2),
                  *body = loop_part(n, 3);
    bool done = false;
    for (int pass = 0; pass < LOOP_UNROLL_PASSES; pass++) {
        if (!w->unroll_left || w->over_budget)
            return false;
        if (n->op != IR_LOOP_DO && !unrolled_test(w, cond, &done))
            return false;
        if (done || w->st.dead)
            return true;
        w->unroll_left--;
        w->sym_epoch = ++w->n_epochs;
        l->breaks.dead = l->continues.dead = true;
        stmt_walk(w, body);
        if (!l->breaks.dead)
            return false;
        w->st = state_join(w, &w->st, &l->continues, n);
        if (w->st.dead) /* every path left the function */
            return true;
        if (n->op == IR_LOOP_DO && !unrolled_test(w, cond, &done))
            return false;
        if (done)
            return true;
        if (n->op != IR_LOOP_DO && inc)
            expr_eval(w, inc);
    }
    return false;
}

/* Walks loop N pass by pass from the state after its initialiser; false
   (the state then means nothing) when a pass's test is not decided, a
   break is reached, or the passes run out.  Each pass makes its own
   unknowns (walk.sym_epoch). */
static bool unroll(walk *w, const ir_node *n, loop_ctx *l)
{
    unsigned epoch = w->sym_epoch;
    bool ok = unroll_passes(w, n, l);
    w->sym_epoch = epoch;
    return ok;
}

/* A loop whose parts the front end could not tell apart: walked once
   from "nothing known", which holds whatever the order. */
static void walk_unknown_loop(walk *w, const ir_node *n)
{
    w->st = state_top(w, n);
    for (uint32_t i = 0; i < n->n_kids; i++)
        stmt_walk(w, n->kids[i]);
    w->st = state_top(w, n);
}

/* Whether the body runs at least once: a do loop, or a condition that
   cannot be false on entry ("for (i = 0; i < 3; i++)"). */
static bool must_enter(walk *w, const ir_node *n)
{
    const ir_node *cond = loop_part(n, 1);
    if (n->op == IR_LOOP_DO || !cond)
        return true;
    state before = w->st;
    stmt_refine(w, cond, false);
    bool enters = w->st.dead;
    w->st = before;
    return enters;
}

/* ---- Loop heads remembered across visits -------------------------------- */

typedef struct memo_entry {
    const ir_node *loop;
    state entry, head;
} memo_entry;

struct loop_memo {
    memo_entry *items;
    uint32_t n, cap; /* cap: a power of two */
};

static uint32_t memo_hash(const ir_node *n)
{
    uintptr_t x = (uintptr_t)n;
    return (uint32_t)((x >> 4) * 2654435761u);
}

static memo_entry *memo_find(walk *w, const ir_node *n, bool add)
{
    loop_memo *m = w->memo;
    if (!m) {
        if (!add)
            return NULL;
        m = w->memo = arena_alloc(w->scratch, sizeof *m);
        m->cap = 16, m->n = 0;
        m->items = arena_array(w->scratch, m->cap, sizeof *m->items);
    }
    if (add && 2 * (m->n + 1) > m->cap) {
        memo_entry *old = m->items;
        uint32_t old_cap = m->cap;
        m->cap *= 2, m->n = 0;
        m->items = arena_array(w->scratch, m->cap, sizeof *m->items);
        for (uint32_t i = 0; i < old_cap; i++)
            if (old[i].loop)
                *memo_find(w, old[i].loop, true) = old[i];
    }
    uint32_t h = memo_hash(n) & (m->cap - 1);
    for (; m->items[h].loop; h = (h + 1) & (m->cap - 1))
        if (m->items[h].loop == n)
            return &m->items[h];
    if (!add)
        return NULL;
    m->n++;
    m->items[h].loop = n;
    return &m->items[h];
}

/* The head to start loop N's rounds from, given the state ENTRY before
   them; *KNOWN when it is already the fixpoint. */
static state memo_start(walk *w, const ir_node *n, const state *entry,
                        bool *known)
{
    memo_entry *e = memo_find(w, n, false);
    *known = e && state_equal(w, &e->entry, entry);
    if (*known)
        return e->head;
    return e ? state_join(w, entry, &e->head, n) : *entry;
}

static void memo_keep(walk *w, const ir_node *n, const state *entry,
                      const state *head)
{
    memo_entry *e = memo_find(w, n, true);
    e->entry = *entry, e->head = *head;
}

static void walk_fixpoint(walk *w, const ir_node *n, loop_ctx *l,
                          const state *before);

static void walk_loop(walk *w, const ir_node *n)
{
    if (n->op < IR_LOOP_FOR || n->op > IR_LOOP_DO || n->n_kids != 4) {
        walk_unknown_loop(w, n);
        return;
    }
    if (loop_part(n, 0))
        stmt_walk(w, loop_part(n, 0));
    loop_ctx l = {.node = n, .outer = w->loops};
    w->loops = &l;
    bool was_in_loop = w->in_loop;
    w->in_loop = true;
    diag_list *found = w->an->diags;
    size_t found_before = found ? found->n : 0;
    state before = w->st;
    bool unrolled = unroll(w, n, &l);
    if (!unrolled)
        walk_fixpoint(w, n, &l, &before);
    if (found) /* the passes of an unrolled loop, the fixpoint's first */
        diag_list_drop_repeats(found, found_before, found_before);
    w->in_loop = was_in_loop;
    w->loops = l.outer;
}

/* Loop N's fixpoint from BEFORE, the state after its initialiser. */
static void walk_fixpoint(walk *w, const ir_node *n, loop_ctx *l,
                          const state *before)
{
    w->st = *before;
    state head = w->st, exit, first_exit = {.dead = true};
    /* The first round of a loop that must be entered runs on every path
       that reaches the loop: walked on its own, with its findings and
       what a summary may say of it (a loss called in a training loop). */
    if (must_enter(w, n))
        head = loop_pass(w, n, l, &head, &first_exit);
    w->conditional++;
    state entry = head;
    bool settled = false;
    head = memo_start(w, n, &entry, &settled);
    w->silent++;
    for (int round = 0; !settled && round < LOOP_MAX_ROUNDS && !w->over_budget;
         round++) {
        state back = loop_pass(w, n, l, &head, &exit);
        state next = state_join(w, &head, &back, n);
        settled = state_equal(w, &next, &head);
        head = next;
    }
    w->silent--;
    if (!settled) { /* docs/limits.md: nothing known at this loop */
        state top = state_top(w, n);
        head = state_join(w, &head, &top, n);
    }
    memo_keep(w, n, &entry, &head);
    loop_pass(w, n, l, &head, &exit); /* the walk whose findings count */
    w->st = state_join(w, &exit, &first_exit, n);
    w->conditional--;
}

/* ---- Switch and jumps --------------------------------------------------- */

static void walk_switch(walk *w, const ir_node *n)
{
    if (n->n_kids < 2)
        return;
    expr_eval(w, n->kids[0]);
    loop_ctx l = {.node = n, .is_switch = true, .outer = w->loops};
    l.entry = w->st;
    l.breaks.dead = true;
    w->loops = &l;
    w->conditional++;
    w->st.dead = true; /* before the first case label: unreachable */
    stmt_walk(w, n->kids[1]);
    state exit = state_join(w, &w->st, &l.breaks, n);
    /* Which label is "default:" is not known: the value may match none. */
    w->st = state_join(w, &exit, &l.entry, n);
    w->conditional--;
    w->loops = l.outer;
}

static loop_ctx *innermost(walk *w, bool loops_only)
{
    loop_ctx *l = w->loops;
    while (l && loops_only && l->is_switch)
        l = l->outer;
    return l;
}

static void walk_jump(walk *w, const ir_node *n)
{
    loop_ctx *l;
    switch (n->op) {
    case IR_JUMP_BREAK:
        if ((l = innermost(w, false)))
            l->breaks = state_join(w, &l->breaks, &w->st, n);
        w->st.dead = true;
        return;
    case IR_JUMP_CONTINUE:
        if ((l = innermost(w, true)))
            l->continues = state_join(w, &l->continues, &w->st, n);
        w->st.dead = true;
        return;
    case IR_JUMP_GOTO:
        w->st.dead = true;
        w->after_exit = true;
        return;
    case IR_JUMP_CASE:
        if ((l = innermost(w, false)) && l->is_switch) {
            w->st = state_join(w, &w->st, &l->entry, n);
            return;
        }
        break;
    default:
        break;
    }
    /* A label (or a jump the front end could not name): any goto may
       arrive here with any state. */
    w->st = state_top(w, n);
    w->after_exit = true;
}

/* The one location a struct returned by value is read from, or 0 (and
   0 in the walks whose returns are not collected: silent, or dead). */
static loc_id returned_record(walk *w, const ir_node *n, const value *v)
{
    const ir_node *e = n->n_kids ? ir_strip_casts(n->kids[0]) : NULL;
    if (w->silent || w->st.dead || v->type.cls != IR_TYPE_RECORD || !e ||
        !ir_is_pure(e))
        return 0;
    place pl = expr_place(w, e);
    return pl.loc && pl.strong ? pl.loc : 0;
}

static void walk_return(walk *w, const ir_node *n)
{
    value v = {&aval_nothing, {0}};
    if (n->n_kids)
        v = expr_eval(w, n->kids[0]);
    collect_return(w, n, &v, returned_record(w, n, &v));
    w->st.dead = true;
    w->after_exit = true;
}

void stmt_walk(walk *w, const ir_node *n)
{
    if (!n || !walk_step(w))
        return;
    if (w->st.dead && !(n->kind == IR_JUMP || n->kind == IR_BLOCK))
        return;
    switch (n->kind) {
    case IR_BLOCK: {
        uint32_t mark = w->n_scope;
        for (uint32_t i = 0; i < n->n_kids; i++)
            stmt_walk(w, n->kids[i]);
        w->n_scope = mark;
        return;
    }
    case IR_DECLSTMT:
        declare_local(w, n);
        return;
    case IR_IF:
        walk_if(w, n);
        return;
    case IR_LOOP:
        walk_loop(w, n);
        return;
    case IR_SWITCH:
        walk_switch(w, n);
        return;
    case IR_RETURN:
        walk_return(w, n);
        return;
    case IR_JUMP:
        if (w->st.dead && n->op != IR_JUMP_CASE && n->op != IR_JUMP_LABEL &&
            n->op != 0)
            return;
        walk_jump(w, n);
        return;
    case IR_NULLSTMT:
        return;
    default:
        expr_eval(w, n);
        return;
    }
}
