/*
 * arena.c - a list of blocks; allocation bumps a pointer in the newest one.
 * Large requests get a block of their own so that small ones do not waste
 * the tail of a big block.
 */
#include "arena.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARENA_BLOCK (64 * 1024)
#define ARENA_ALIGN 16
/* Standard blocks a reset keeps for reuse (16 MB): a walk that needed
   many blocks is likely followed by another that does. */
#define ARENA_SPARE_MAX 256
/* ...and bytes of large blocks (a location table, a long array): freeing
   and mapping them again for every function walked cost page faults and
   TLB flushes that were a tenth of a whole run on ggml. */
#define ARENA_LARGE_SPARE_MAX ((size_t)64 << 20)

typedef struct arena_block {
    struct arena_block *next;
    size_t used, size;
    _Alignas(ARENA_ALIGN) unsigned char data[];
} arena_block;

struct arena {
    const arena_source *source; /* where its memory comes from; NULL: calloc */
    arena_block *head;
    arena_block *spare; /* zeroed standard blocks, kept by arena_reset */
    size_t n_spare;
    arena_block *large; /* zeroed large blocks, kept by arena_reset */
    size_t large_bytes;
    size_t total;
};

/* The source of arenas created from now on (arena_set_source). */
static const arena_source *default_source;

void arena_set_source(const arena_source *source)
{
    default_source = source;
}

static void *xcalloc(const arena_source *source, size_t n)
{
    void *p = source ? source->alloc(n) : calloc(1, n);
    if (!p) {
        fputs("shapecheck: out of memory\n", stderr);
        abort();
    }
    return p;
}

static void release(const arena_source *source, void *p, size_t n)
{
    if (source)
        source->release(p, n);
    else
        free(p);
}

static arena *arena_from(const arena_source *source)
{
    arena *a = xcalloc(source, sizeof(arena));
    a->source = source;
    return a;
}

arena *arena_new(void)
{
    return arena_from(NULL);
}

arena *arena_new_shared(void)
{
    return arena_from(default_source);
}

static void block_free(const arena *a, arena_block *b)
{
    release(a->source, b, sizeof(arena_block) + b->size);
}

static void blocks_free(const arena *a, arena_block *b)
{
    for (arena_block *next; b; b = next) {
        next = b->next;
        block_free(a, b);
    }
}

void arena_free(arena *a)
{
    if (!a)
        return;
    blocks_free(a, a->head);
    blocks_free(a, a->spare);
    blocks_free(a, a->large);
    release(a->source, a, sizeof(arena));
}

void arena_reset(arena *a)
{
    for (arena_block *b = a->head, *next; b; b = next) {
        next = b->next;
        bool large = b->size != ARENA_BLOCK;
        if (large ? a->large_bytes + b->size > ARENA_LARGE_SPARE_MAX
                  : a->n_spare >= ARENA_SPARE_MAX) {
            block_free(a, b);
            continue;
        }
        memset(b->data, 0, b->used); /* blocks hand out zeroed memory */
        b->used = 0;
        arena_block **list = large ? &a->large : &a->spare;
        b->next = *list;
        *list = b;
        if (large)
            a->large_bytes += b->size;
        else
            a->n_spare++;
    }
    a->head = NULL;
    a->total = 0;
}

static arena_block *new_block(arena *a, size_t size)
{
    if (size == ARENA_BLOCK && a->spare) {
        arena_block *b = a->spare;
        a->spare = b->next;
        a->n_spare--;
        return b;
    }
    for (arena_block **at = &a->large; size > ARENA_BLOCK && *at;
         at = &(*at)->next) {
        arena_block *b = *at;
        if (b->size < size || b->size > 4 * size)
            continue; /* too small, or a waste of a big one */
        *at = b->next;
        a->large_bytes -= b->size;
        return b;
    }
    arena_block *b = xcalloc(a->source, sizeof(arena_block) + size);
    b->size = size;
    return b;
}

static arena_block *arena_add_block(arena *a, size_t size)
{
    arena_block *b = new_block(a, size);
    if (a->head && size > ARENA_BLOCK) {
        /* Keep the current small block first: it still has room. */
        b->next = a->head->next;
        a->head->next = b;
    } else {
        b->next = a->head;
        a->head = b;
    }
    return b;
}

void *arena_alloc(arena *a, size_t size)
{
    size = (size + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
    if (size == 0)
        size = ARENA_ALIGN;
    a->total += size;
    arena_block *b = a->head;
    if (!b || b->size - b->used < size) {
        b = arena_add_block(a, size > ARENA_BLOCK ? size : ARENA_BLOCK);
        if (size > ARENA_BLOCK) {
            b->used = size; /* a block of its own, full */
            return b->data;
        }
    }
    void *p = b->data + b->used;
    b->used += size;
    return p; /* blocks are calloc'd, or zeroed when kept: already zero */
}

void *arena_array(arena *a, size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size) {
        fputs("shapecheck: allocation too large\n", stderr);
        abort();
    }
    return arena_alloc(a, n * size);
}

char *arena_strndup(arena *a, const char *s, size_t n)
{
    char *p = arena_alloc(a, n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *arena_strdup(arena *a, const char *s)
{
    return arena_strndup(a, s, strlen(s));
}

/* Formats once into a buffer on the stack, and again only for text that
   does not fit (keys and messages are short). */
char *arena_printf(arena *a, const char *fmt, ...)
{
    char buf[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n < 0)
        return arena_strdup(a, "");
    if ((size_t)n < sizeof buf)
        return arena_strndup(a, buf, (size_t)n);
    char *p = arena_alloc(a, (size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return p;
}

size_t arena_used(const arena *a)
{
    return a->total;
}

void *arena_grow(arena *a, void *items, uint32_t n, uint32_t *cap, size_t size)
{
    if (n < *cap)
        return items;
    *cap = *cap ? *cap * 2 : 64;
    void *more = arena_array(a, *cap, size);
    if (n)
        memcpy(more, items, n * size);
    return more;
}
