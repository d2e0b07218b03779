/*
 * shape.c - shapes: construction, formatting and pairing of dims.
 */
#include "shape.h"

#include <ctype.h>
#include <string.h>

shape *shape_new(arena *a, uint32_t rank)
{
    shape *s = arena_alloc(a, sizeof *s);
    s->rank = rank;
    s->ellipsis = -1;
    s->dims = arena_array(a, rank ? rank : 1, sizeof *s->dims);
    return s;
}

/* A growable buffer in the arena; formatting shapes is not a hot path. */
typedef struct strbuf {
    arena *a;
    char *p;
    size_t len, cap;
} strbuf;

static void sb_put(strbuf *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        size_t cap = (b->cap ? b->cap * 2 : 64) + n;
        char *p = arena_alloc(b->a, cap);
        if (b->len)
            memcpy(p, b->p, b->len);
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

static void sb_puts(strbuf *b, const char *s)
{
    sb_put(b, s, strlen(s));
}

const char *shape_format(arena *a, const dim_ctx *ctx, const shape *s)
{
    if (!s)
        return "[?]"; /* nothing known: never a crash in a message */
    strbuf b = {a, NULL, 0, 0};
    sb_puts(&b, "[");
    for (uint32_t i = 0; i < s->rank; i++) {
        if (i)
            sb_puts(&b, ", ");
        if ((int)i == s->ellipsis) {
            sb_puts(&b, "...");
        } else if (!s->dims[i]) {
            sb_puts(&b, "_");
        } else {
            char tmp[256];
            size_t n = dim_format(ctx, s->dims[i], tmp, sizeof tmp);
            if (n >= sizeof tmp)
                n = sizeof tmp - 1;
            sb_put(&b, tmp, n);
        }
    }
    sb_puts(&b, "]");
    return b.p;
}

const char *shape_written(arena *a, const char *text)
{
    strbuf b = {a, NULL, 0, 0};
    sb_puts(&b, "[");
    int depth = 0;
    bool pending_sep = false;
    for (const char *p = text; *p; p++) {
        if (isspace((unsigned char)*p))
            continue;
        if (*p == ',' && depth == 0) {
            pending_sep = true;
            continue;
        }
        if (pending_sep)
            sb_puts(&b, ", ");
        pending_sep = false;
        depth += (*p == '(') - (*p == ')');
        sb_put(&b, p, 1);
    }
    sb_puts(&b, "]");
    return b.p;
}

const char *shape_excerpt(arena *a, const char *text)
{
    _Static_assert(SHAPE_EXCERPT_MAX == DIM_EXCERPT_MAX,
                   "the checker and the runtime library quote alike");
    char buf[DIM_EXCERPT_MAX + 1];
    const char *excerpt = dim_excerpt(buf, text);
    return excerpt == text ? text : arena_strdup(a, excerpt);
}

bool shape_first_dim(const shape *s, const dim_poly **dim)
{
    if (s->rank == 0 || s->ellipsis == 0)
        return false;
    *dim = s->dims[0];
    return *dim != NULL;
}

bool shape_align(const shape *a, const shape *b, shape_pair_fn fn, void *ud)
{
    uint32_t a_fixed = a->rank - (a->ellipsis >= 0);
    uint32_t b_fixed = b->rank - (b->ellipsis >= 0);
    if (a->ellipsis < 0 && b->ellipsis < 0 && a_fixed != b_fixed)
        return false;
    if (a->ellipsis >= 0 && b->ellipsis < 0 && b_fixed < a_fixed)
        return false;
    if (b->ellipsis >= 0 && a->ellipsis < 0 && a_fixed < b_fixed)
        return false;
    /* Front: up to the first '...' on either side. */
    uint32_t front = 0;
    while (front < a->rank && front < b->rank && (int)front != a->ellipsis &&
           (int)front != b->ellipsis) {
        fn(ud, front, front);
        front++;
    }
    /* Back: from the ends, stopping at a '...' or at the front part. */
    uint32_t i = a->rank, j = b->rank;
    while (i > front && j > front && (int)(i - 1) != a->ellipsis &&
           (int)(j - 1) != b->ellipsis) {
        i--, j--;
        fn(ud, i, j);
    }
    return true;
}

bool shape_same(const shape *a, const shape *b)
{
    if (a->rank != b->rank || a->ellipsis != b->ellipsis)
        return false;
    for (uint32_t i = 0; i < a->rank; i++)
        if (a->dims[i] != b->dims[i])
            return false;
    return true;
}

const dim_poly *shape_elements(dim_ctx *ctx, const shape *s)
{
    if (s->ellipsis >= 0)
        return NULL;
    const dim_poly *n = dim_const(ctx, 1);
    for (uint32_t i = 0; i < s->rank && n; i++)
        n = s->dims[i] ? dim_mul(ctx, n, s->dims[i]) : NULL;
    return n;
}

shape *shape_substitute(arena *a, dim_ctx *ctx, const shape *s,
                        dim_subst_fn subst, void *ud)
{
    shape *r = shape_new(a, s->rank);
    r->ellipsis = s->ellipsis;
    for (uint32_t i = 0; i < s->rank; i++)
        r->dims[i] =
            s->dims[i] ? dim_substitute(ctx, s->dims[i], subst, ud) : NULL;
    return r;
}
