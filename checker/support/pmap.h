/*
 * pmap.h - persistent maps from small integer keys to pointers.
 *
 * A pmap is a value: setting a key gives a new map and leaves the old one
 * as it was, sharing every part of the tree the change did not touch.  So
 * the flow analysis can keep the state before a branch, walk both sides
 * and join them at a cost that grows with what the branches changed, not
 * with how much the state holds (docs/limits.md).  Joins and comparisons
 * skip shared subtrees by pointer equality.
 *
 * The tree is a radix trie on the key, PMAP_FANOUT ways per level, as deep
 * as the largest key needs.  Nodes live in an arena and are never freed on
 * their own.  A NULL value means "absent".
 */
#ifndef SHAPECHECK_PMAP_H
#define SHAPECHECK_PMAP_H

#include <stdbool.h>
#include <stdint.h>

#include "arena.h"

#define PMAP_BITS 4
#define PMAP_FANOUT (1u << PMAP_BITS)

typedef struct pmap_node pmap_node;

typedef struct pmap {
    const pmap_node *root; /* NULL: the empty map */
    uint32_t levels;       /* keys below PMAP_FANOUT^levels fit */
} pmap;

/* The empty map. */
static inline pmap pmap_empty(void)
{
    pmap m = {0, 1};
    return m;
}

/* The value at KEY, or NULL. */
const void *pmap_get(pmap m, uint32_t key);

/* M with KEY mapped to VALUE (NULL removes it).  M is unchanged. */
pmap pmap_set(arena *a, pmap m, uint32_t key, const void *value);

/* The value of a join at KEY, given the two sides' values (either may be
   NULL, absent there).  Returns the joined value, or NULL for absent. */
typedef const void *(*pmap_join_fn)(void *ud, uint32_t key, const void *x,
                                    const void *y);

/* Joins X and Y key by key.  FN is called only for keys whose values
   differ (by pointer); shared subtrees are kept as they are, and where the
   result equals one side's subtree that subtree is reused. */
pmap pmap_join(arena *a, pmap x, pmap y, pmap_join_fn fn, void *ud);

/* Calls FN for every key present in M, in key order. */
typedef void (*pmap_each_fn)(void *ud, uint32_t key, const void *value);
void pmap_each(pmap m, pmap_each_fn fn, void *ud);

/* Calls FN for every key whose value differs (by pointer) between X and Y;
   shared subtrees are skipped.  Stops and returns false as soon as FN
   returns false. */
typedef bool (*pmap_diff_fn)(void *ud, uint32_t key, const void *x,
                             const void *y);
bool pmap_diff(pmap x, pmap y, pmap_diff_fn fn, void *ud);

#endif /* SHAPECHECK_PMAP_H */
