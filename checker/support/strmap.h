/*
 * strmap.h - a string-keyed hash map (open addressing) whose table lives in
 * an arena.  Keys are not copied: they must outlive the map (arena strings
 * do).  Used for names: symbols by name, signatures by function key.
 */
#ifndef SHAPECHECK_STRMAP_H
#define SHAPECHECK_STRMAP_H

#include <stdint.h>

#include "arena.h"

typedef struct strmap_slot {
    const char *key;
    void *value;
} strmap_slot;

typedef struct strmap {
    arena *arena;
    strmap_slot *slots;
    uint32_t cap, n;
} strmap;

void strmap_init(strmap *m, arena *a);
void *strmap_get(const strmap *m, const char *key);
/* Inserts or replaces. */
void strmap_put(strmap *m, const char *key, void *value);

#endif /* SHAPECHECK_STRMAP_H */
