/*
 * strmap.c - linear probing, FNV-1a, grown at 50% load.  The old table is
 * left in the arena when growing: maps here are small and short-lived.
 */
#include "strmap.h"

#include <string.h>

static uint32_t hash_str(const char *s)
{
    uint32_t h = 2166136261u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

void strmap_init(strmap *m, arena *a)
{
    m->arena = a;
    m->slots = NULL;
    m->cap = m->n = 0;
}

static strmap_slot *find_slot(strmap_slot *slots, uint32_t cap, const char *key)
{
    uint32_t i = hash_str(key) & (cap - 1);
    while (slots[i].key && strcmp(slots[i].key, key) != 0)
        i = (i + 1) & (cap - 1);
    return &slots[i];
}

void *strmap_get(const strmap *m, const char *key)
{
    if (!m->cap)
        return NULL;
    strmap_slot *s = find_slot(m->slots, m->cap, key);
    return s->key ? s->value : NULL;
}

static void grow(strmap *m)
{
    uint32_t cap = m->cap ? m->cap * 2 : 16;
    strmap_slot *slots = arena_array(m->arena, cap, sizeof *slots);
    for (uint32_t i = 0; i < m->cap; i++)
        if (m->slots[i].key)
            *find_slot(slots, cap, m->slots[i].key) = m->slots[i];
    m->slots = slots;
    m->cap = cap;
}

void strmap_put(strmap *m, const char *key, void *value)
{
    if ((m->n + 1) * 2 > m->cap)
        grow(m);
    strmap_slot *s = find_slot(m->slots, m->cap, key);
    if (!s->key) {
        s->key = key;
        m->n++;
    }
    s->value = value;
}
