/*
 * arena.h - bump allocation for data that lives and dies together (one
 * translation unit's facts, one run's findings).  Freeing the arena frees
 * everything allocated from it; there is no per-object free.
 */
#ifndef SHAPECHECK_ARENA_H
#define SHAPECHECK_ARENA_H

#include <stddef.h>
#include <stdint.h>

typedef struct arena arena;

arena *arena_new(void);

/* Where arenas take their memory from: calloc and free unless set.  A
   parsing worker process hands its arenas to the checker through memory
   both processes map at the same address (driver/isolate.c). */
typedef struct arena_source {
    void *(*alloc)(size_t size); /* zeroed, aligned for any type; NULL:
                                    out of memory */
    void (*release)(void *p, size_t size);
} arena_source;

/* Arenas created from now on by arena_new_shared in this process take
   their memory (the arena itself and its blocks) from SOURCE; NULL:
   calloc.  Each arena keeps the source it was created with, for its whole
   life, so another process that shares the memory can free it.  SOURCE
   must outlive them. */
void arena_set_source(const arena_source *source);

/* An arena whose contents may be handed to another process: from the
   source arena_set_source set, else as arena_new.  Only what crosses (a
   parsed TU) uses it: the shared region is bounded (isolate.c), scratch
   arenas, the analysis's above all, would exhaust it. */
arena *arena_new_shared(void);
void arena_free(arena *a);
/* Empties A for reuse: everything allocated from it is gone, its
   standard blocks are kept (zeroed where they were used, up to 16 MB), so
   that a short-lived arena used many times (one per function walked)
   costs no system calls or page faults. */
void arena_reset(arena *a);

/* Zeroed memory, aligned for any type.  Aborts with a message when the
   system is out of memory: the checker cannot do anything useful then. */
void *arena_alloc(arena *a, size_t size);
/* Zeroed array of N elements of SIZE bytes, checking N * SIZE for overflow. */
void *arena_array(arena *a, size_t n, size_t size);
char *arena_strdup(arena *a, const char *s);
/* An array of N items of SIZE bytes with room for one more: ITEMS while
   *CAP allows, else a copy with twice the room (at least 64), in A (the
   old one stays, as everything in an arena does). */
void *arena_grow(arena *a, void *items, uint32_t n, uint32_t *cap, size_t size);

char *arena_strndup(arena *a, const char *s, size_t n);
/* printf into the arena. */
char *arena_printf(arena *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Total bytes handed out, for the benchmarks' memory figures. */
size_t arena_used(const arena *a);

#endif /* SHAPECHECK_ARENA_H */
