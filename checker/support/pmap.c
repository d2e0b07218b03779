/*
 * pmap.c - persistent radix tries (see pmap.h).
 *
 * Every level has the same node type: PMAP_FANOUT slots that hold child
 * nodes, or at the last level the values.  A change copies the nodes on
 * the path to its key and nothing else.
 */
#include "pmap.h"

#include <string.h>

struct pmap_node {
    const void *slot[PMAP_FANOUT];
};

static uint32_t slot_of(uint32_t key, uint32_t level)
{
    return (key >> (level * PMAP_BITS)) & (PMAP_FANOUT - 1);
}

static bool fits(pmap m, uint32_t key)
{
    return m.levels * PMAP_BITS >= 32 || key >> (m.levels * PMAP_BITS) == 0;
}

const void *pmap_get(pmap m, uint32_t key)
{
    if (!fits(m, key))
        return NULL;
    const pmap_node *n = m.root;
    for (uint32_t level = m.levels; n && level-- > 0;) {
        const void *next = n->slot[slot_of(key, level)];
        if (level == 0)
            return next;
        n = next;
    }
    return NULL;
}

/* M with one more level on top, so that larger keys fit. */
static pmap grow(arena *a, pmap m)
{
    if (m.root) {
        pmap_node *top = arena_alloc(a, sizeof *top);
        top->slot[0] = m.root;
        m.root = top;
    }
    m.levels++;
    return m;
}

static bool is_empty(const pmap_node *n)
{
    for (uint32_t i = 0; i < PMAP_FANOUT; i++)
        if (n->slot[i])
            return false;
    return true;
}

/* N (a node LEVEL levels above the values, or NULL) with KEY set. */
static const pmap_node *set_in(arena *a, const pmap_node *n, uint32_t level,
                               uint32_t key, const void *value)
{
    uint32_t s = slot_of(key, level);
    const void *old = n ? n->slot[s] : NULL;
    const void *now =
        level == 0 ? value : set_in(a, old, level - 1, key, value);
    if (now == old)
        return n;
    pmap_node *copy = arena_alloc(a, sizeof *copy);
    if (n)
        memcpy(copy, n, sizeof *copy);
    copy->slot[s] = now;
    return is_empty(copy) ? NULL : copy;
}

pmap pmap_set(arena *a, pmap m, uint32_t key, const void *value)
{
    while (!fits(m, key)) {
        if (!value)
            return m;
        m = grow(a, m);
    }
    m.root = set_in(a, m.root, m.levels - 1, key, value);
    return m;
}

typedef struct join_ctx {
    arena *a;
    pmap_join_fn fn;
    void *ud;
} join_ctx;

/* Joins X and Y, two nodes LEVEL levels above the values covering the
   keys from BASE on. */
static const pmap_node *join_in(join_ctx *j, const pmap_node *x,
                                const pmap_node *y, uint32_t level,
                                uint32_t base)
{
    if (x == y)
        return x;
    const void *slots[PMAP_FANOUT];
    bool same_x = true, same_y = true;
    for (uint32_t i = 0; i < PMAP_FANOUT; i++) {
        const void *a = x ? x->slot[i] : NULL, *b = y ? y->slot[i] : NULL;
        uint32_t key = base | (i << (level * PMAP_BITS));
        if (a == b)
            slots[i] = a;
        else if (level == 0)
            slots[i] = j->fn(j->ud, key, a, b);
        else
            slots[i] = join_in(j, a, b, level - 1, key);
        same_x = same_x && slots[i] == a;
        same_y = same_y && slots[i] == b;
    }
    if (same_x)
        return x;
    if (same_y)
        return y;
    pmap_node *n = arena_alloc(j->a, sizeof *n);
    memcpy(n->slot, slots, sizeof slots);
    return is_empty(n) ? NULL : n;
}

pmap pmap_join(arena *a, pmap x, pmap y, pmap_join_fn fn, void *ud)
{
    while (x.levels < y.levels)
        x = grow(a, x);
    while (y.levels < x.levels)
        y = grow(a, y);
    join_ctx j = {a, fn, ud};
    pmap r = {join_in(&j, x.root, y.root, x.levels - 1, 0), x.levels};
    return r;
}

static void each_in(const pmap_node *n, uint32_t level, uint32_t base,
                    pmap_each_fn fn, void *ud)
{
    if (!n)
        return;
    for (uint32_t i = 0; i < PMAP_FANOUT; i++) {
        uint32_t key = base | (i << (level * PMAP_BITS));
        if (!n->slot[i])
            continue;
        if (level == 0)
            fn(ud, key, n->slot[i]);
        else
            each_in(n->slot[i], level - 1, key, fn, ud);
    }
}

void pmap_each(pmap m, pmap_each_fn fn, void *ud)
{
    each_in(m.root, m.levels - 1, 0, fn, ud);
}

static bool diff_in(const pmap_node *x, const pmap_node *y, uint32_t level,
                    uint32_t base, pmap_diff_fn fn, void *ud)
{
    if (x == y)
        return true;
    for (uint32_t i = 0; i < PMAP_FANOUT; i++) {
        const void *a = x ? x->slot[i] : NULL, *b = y ? y->slot[i] : NULL;
        uint32_t key = base | (i << (level * PMAP_BITS));
        if (a == b)
            continue;
        if (level == 0 ? !fn(ud, key, a, b)
                       : !diff_in(a, b, level - 1, key, fn, ud))
            return false;
    }
    return true;
}

bool pmap_diff(pmap x, pmap y, pmap_diff_fn fn, void *ud)
{
    /* Compare at one depth: the shallower map's root is the deeper one's
       first child chain; descend the deeper one while its other slots are
       empty, else report its extra keys. */
    while (x.levels > y.levels) {
        const pmap_node *n = x.root;
        uint32_t level = x.levels - 1;
        for (uint32_t i = 1; n && i < PMAP_FANOUT; i++)
            if (n->slot[i] && !diff_in(n->slot[i], NULL, level - 1,
                                       i << (level * PMAP_BITS), fn, ud))
                return false;
        x.root = n ? n->slot[0] : NULL;
        x.levels--;
    }
    while (y.levels > x.levels) {
        const pmap_node *n = y.root;
        uint32_t level = y.levels - 1;
        for (uint32_t i = 1; n && i < PMAP_FANOUT; i++)
            if (n->slot[i] && !diff_in(NULL, n->slot[i], level - 1,
                                       i << (level * PMAP_BITS), fn, ud))
                return false;
        y.root = n ? n->slot[0] : NULL;
        y.levels--;
    }
    return diff_in(x.root, y.root, x.levels - 1, 0, fn, ud);
}
