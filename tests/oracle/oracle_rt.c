/*
 * oracle_rt.c - the run-time half of the differential oracle: the extents of
 * the program's buffers, and the rule that decides whether an annotated call
 * matched (docs/oracle.md, "The rule").
 *
 * A call matched when (SPEC section 4, "Extents and views"):
 *  - each free symbol of the callee's annotations is bound to one size by
 *    all the arguments that carry it (a free symbol is exact: it takes the
 *    extent's dim);
 *  - each view (the parameter's SHAPE, instantiated) fits its argument's
 *    extent: same rank: the first dim may be a prefix (view rows <= extent
 *    rows) unless it is a free symbol, and inner dims are equal; ranks
 *    differ (a reshape): view elements <= extent elements (== when the
 *    first dim is a free symbol);
 *  - for a SHAPE_LOSS callee, the logits and labels views have the same
 *    first dim.
 * A match also says how it fits: "via-prefix" (a view has fewer rows than
 * its extent), "via-reshape" (ranks differ).  "extent-batch-differs": a
 * loss's logits and labels extents hold different row counts;
 * "observed-differs": see observe().  "scratch-only": a mismatch only
 * against the flat extent of an unannotated scratch buffer, which no
 * declaration states (the checker cannot know it; not counted in recall).
 * "unknown" (never counted either way) is for what the rule cannot decide:
 * a pointer into no registered buffer, a free symbol across a reshape, a
 * view dim below 1.  A generated program should print none.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "oracle_match.h"
#include "oracle_rt.h"

/* ---- extents ---------------------------------------------------------- */

struct block {
    char *base;
    size_t bytes, elem;
    int rank;
    long dims[ORACLE_MAXRANK];
    /* An unannotated scratch buffer has no declared shape: the checker
       infers one from the calls it is passed to (SPEC section 3,
       "observed"), which each write replaces.  The last one, here. */
    int scratch, observed_rank;
    long observed[ORACLE_MAXRANK];
};

static struct block *blocks;
static size_t nblocks, capblocks;

static void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n);
    if (!q) {
        fputs("oracle: out of memory\n", stderr);
        abort();
    }
    return q;
}

static size_t dims_count(int rank, const long *dims)
{
    size_t n = 1;
    for (int d = 0; d < rank; d++)
        n *= (size_t)dims[d];
    return n;
}

/* Drops every registration that overlaps [p, p + bytes): the memory of a
   stack array that died is reused by a new one. */
static void unregister_overlaps(const char *p, size_t bytes)
{
    size_t kept = 0;
    for (size_t i = 0; i < nblocks; i++) {
        const struct block *b = &blocks[i];
        int overlaps = b->base < p + bytes && p < b->base + b->bytes;
        if (!overlaps)
            blocks[kept++] = *b;
    }
    nblocks = kept;
}

static void register_block(void *p, size_t elem, int rank, const long *dims)
{
    if (rank < 1 || rank > ORACLE_MAXRANK) {
        fprintf(stderr, "oracle: bad rank %d\n", rank);
        abort();
    }
    for (int d = 0; d < rank; d++)
        if (dims[d] < 1) {
            fprintf(stderr, "oracle: dim %d of a buffer is %ld\n", d, dims[d]);
            abort();
        }
    size_t bytes = dims_count(rank, dims) * elem;
    unregister_overlaps(p, bytes);
    if (nblocks == capblocks) {
        capblocks = capblocks ? 2 * capblocks : 64;
        blocks = xrealloc(blocks, capblocks * sizeof *blocks);
    }
    struct block *b = &blocks[nblocks++];
    b->base = p;
    b->bytes = bytes;
    b->elem = elem;
    b->rank = rank;
    memcpy(b->dims, dims, (size_t)rank * sizeof *dims);
    b->scratch = 0;
    b->observed_rank = 0;
    memset(p, 0, bytes);
}

static int read_dims(va_list ap, int rank, long *dims)
{
    if (rank < 1 || rank > ORACLE_MAXRANK)
        return 0;
    for (int d = 0; d < rank; d++)
        dims[d] = va_arg(ap, long);
    return 1;
}

void *oracle_alloc_dims(size_t elem, int rank, const long *dims)
{
    size_t n = dims_count(rank, dims);
    size_t bytes = n * elem;
    void *p = malloc(bytes ? bytes : 1);
    if (!p) {
        fputs("oracle: out of memory\n", stderr);
        abort();
    }
    register_block(p, elem, rank, dims);
    return p;
}

void *oracle_alloc(size_t elem, int rank, ...)
{
    long dims[ORACLE_MAXRANK];
    va_list ap;
    va_start(ap, rank);
    int ok = read_dims(ap, rank, dims);
    va_end(ap);
    if (!ok) {
        fprintf(stderr, "oracle: bad rank %d\n", rank);
        abort();
    }
    return oracle_alloc_dims(elem, rank, dims);
}

void *oracle_scratch(size_t elem, long count)
{
    void *p = oracle_alloc_dims(elem, 1, &count);
    blocks[nblocks - 1].scratch = 1;
    return p;
}

void oracle_reg(void *p, size_t elem, int rank, ...)
{
    long dims[ORACLE_MAXRANK];
    va_list ap;
    va_start(ap, rank);
    int ok = read_dims(ap, rank, dims);
    va_end(ap);
    if (!ok) {
        fprintf(stderr, "oracle: bad rank %d\n", rank);
        abort();
    }
    register_block(p, elem, rank, dims);
}

struct extent {
    int rank;
    long dims[ORACLE_MAXRANK];
};

/* The extent seen from P: the block's dims from P on.  At the start of a
   row, the rows left (and the inner dims); elsewhere, the elements left.
   *AT is the block when P is its start, else NULL. */
static int extent_at(const void *p, size_t elem, struct extent *e,
                     struct block **at)
{
    const char *c = p;
    *at = NULL;
    for (size_t i = nblocks; i-- > 0;) {
        const struct block *b = &blocks[i];
        if (c < b->base || c >= b->base + b->bytes)
            continue;
        size_t off = (size_t)(c - b->base);
        if (b->elem != elem || off % elem)
            return 0;
        off /= elem;
        if (off == 0)
            *at = &blocks[i];
        size_t row = dims_count(b->rank - 1, b->dims + 1);
        if (off == 0 || (b->rank > 1 && off % row == 0)) {
            e->rank = b->rank;
            memcpy(e->dims, b->dims, sizeof e->dims);
            e->dims[0] -= (long)(off / row);
        } else {
            e->rank = 1;
            e->dims[0] = (long)(dims_count(b->rank, b->dims) - off);
        }
        return 1;
    }
    return 0;
}

/* ---- ORACLE_VERBOSE: why, on stderr ------------------------------------ */

static int verbose = -1;

static void explain(const char *fmt, ...)
{
    if (verbose < 0)
        verbose = getenv("ORACLE_VERBOSE") != NULL;
    if (!verbose)
        return;
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
}

static void explain_dims(const char *what, int rank, const long *dims)
{
    explain(" %s [", what);
    for (int d = 0; d < rank; d++)
        explain("%s%ld", d ? ", " : "", dims[d]);
    explain("]");
}

/* ---- sites and frames ------------------------------------------------- */

static int pending_line;

/* How a call matched: through the prefix rule, through a reshape. */
enum { VIA_PREFIX = 1, VIA_RESHAPE = 2 };

struct frame {
    int line;
    int all_matched, any_unknown, extents_differ, observed_differs, via;
    int declared_mismatch; /* a mismatch not only against a scratch buffer */
};

#define MAX_FRAMES 32
static struct frame frames[MAX_FRAMES];
static int nframes;

void oracle_at(int line)
{
    pending_line = line;
}

void oracle_enter(int line)
{
    if (nframes == MAX_FRAMES) {
        fputs("oracle: frames nested too deep\n", stderr);
        abort();
    }
    frames[nframes++] = (struct frame){line, 1, 0, 0, 0, 0, 0};
    explain("oracle: line %d: a call of a helper {\n", line);
}

static const char *verdict_word(int matched, int unknown)
{
    return unknown ? "unknown" : matched ? "match" : "mismatch";
}

static void print_line(int line, const char *verdict, int extents_differ,
                       int observed_differs, int via, int scratch_only)
{
    printf("ORACLE %d %s%s%s%s%s%s\n", line, verdict,
           extents_differ ? " extent-batch-differs" : "",
           observed_differs ? " observed-differs" : "",
           via & VIA_PREFIX ? " via-prefix" : "",
           via & VIA_RESHAPE ? " via-reshape" : "",
           scratch_only ? " scratch-only" : "");
    /* A probe run that stops (a size < 1 at an allocation) keeps what it
       said before: harness.py counts that prefix. */
    fflush(stdout);
}

void oracle_leave(void)
{
    if (nframes == 0) {
        fputs("oracle: oracle_leave without oracle_enter\n", stderr);
        abort();
    }
    struct frame f = frames[--nframes];
    explain("oracle: } line %d: %s\n", f.line,
            verdict_word(f.all_matched, f.any_unknown));
    print_line(f.line, verdict_word(f.all_matched, f.any_unknown),
               f.extents_differ, f.observed_differs, f.all_matched ? f.via : 0,
               !f.all_matched && !f.declared_mismatch);
}

int oracle_arg(int argc, char **argv, int i, int dflt)
{
    return i < argc ? atoi(argv[i]) : dflt;
}

/* ---- the rule ----------------------------------------------------------- */

enum verdict { MATCH, MISMATCH, UNKNOWN };

static enum verdict worse(enum verdict a, enum verdict b)
{
    return a > b ? a : b;
}

/* Binds each free symbol to the extent dim it meets; a second, different
   size for one symbol is a mismatch, which *DECLARED says is one between
   declared extents (not a scratch buffer's allocation on either side). */
static enum verdict bind_symbols(const struct oracle_call *c,
                                 const struct extent *ext,
                                 struct block *const *at, long *bound,
                                 int *declared)
{
    enum verdict v = MATCH;
    int from_scratch[ORACLE_MAXSYM + 1] = {0};
    for (int i = 0; i < c->nargs; i++) {
        int scratch = at[i] && at[i]->scratch;
        const struct oracle_arg *a = &c->args[i];
        for (int d = 0; d < a->rank; d++) {
            int s = a->sym[d];
            if (!s)
                continue;
            if (s > ORACLE_MAXSYM || a->rank != ext[i].rank) {
                explain("  %s: free symbol across a reshape\n", a->name);
                return UNKNOWN;
            }
            if (!bound[s]) {
                bound[s] = ext[i].dims[d];
                from_scratch[s] = scratch;
            } else if (bound[s] != ext[i].dims[d]) {
                explain("  %s: symbol %d bound to %ld and %ld\n", a->name, s,
                        bound[s], ext[i].dims[d]);
                v = MISMATCH;
                *declared |= !scratch && !from_scratch[s];
            }
        }
    }
    return v;
}

/* One view against its extent (the symbols already bound). */
static enum verdict fit(const struct oracle_arg *a, const long *view,
                        const struct extent *e)
{
    for (int d = 0; d < a->rank; d++)
        if (view[d] < 1) {
            /* Outside SPEC 2's sizes: a probe run counts only up to here
               (harness.py). */
            printf("ORACLE-NONPOSITIVE %s\n", a->name);
            fflush(stdout);
            return UNKNOWN;
        }
    int exact_first = a->sym[0] != 0;
    if (a->rank == e->rank) {
        if (exact_first ? view[0] != e->dims[0] : view[0] > e->dims[0])
            return MISMATCH;
        for (int d = 1; d < a->rank; d++)
            if (view[d] != e->dims[d])
                return MISMATCH;
        return MATCH;
    }
    size_t nv = dims_count(a->rank, view), ne = dims_count(e->rank, e->dims);
    return (exact_first ? nv != ne : nv > ne) ? MISMATCH : MATCH;
}

/* The rows an extent holds, counted in rows of the view: its first dim, or
   across a reshape its elements over the view's row size. */
static long extent_rows(const struct oracle_arg *a, const long *view,
                        const struct extent *e)
{
    if (a->rank == e->rank)
        return e->dims[0];
    return (long)(dims_count(e->rank, e->dims) /
                  dims_count(a->rank - 1, view + 1));
}

static void touch(const struct oracle_arg *a, const long *view)
{
    size_t bytes = dims_count(a->rank, view) * a->elem;
    volatile unsigned char *p = (volatile unsigned char *)(uintptr_t)a->p;
    for (size_t i = 0; i < bytes; i++) {
        unsigned char v = p[i];
        if (a->writes)
            p[i] = v;
    }
}

static void report(int line, enum verdict v, int extents_differ,
                   int observed_differs, int via, int scratch_only)
{
    print_line(line, verdict_word(v == MATCH, v == UNKNOWN), extents_differ,
               observed_differs, v == MATCH ? via : 0,
               v == MISMATCH && scratch_only);
    for (int f = 0; f < nframes; f++) {
        frames[f].via |= via;
        frames[f].declared_mismatch |= v == MISMATCH && !scratch_only;
        frames[f].all_matched &= v == MATCH;
        frames[f].any_unknown |= v == UNKNOWN;
        frames[f].extents_differ |= extents_differ;
        frames[f].observed_differs |= observed_differs;
    }
}

/* A scratch buffer's observed shape: the first call it meets sets it, a
   write replaces it, and a read whose view would not fit it as an extent
   is flagged: whether the checker may hold that observed shape against
   the read is not decided by the SPEC, so the harness counts such a call
   neither as a match nor as a mismatch.  Returns 1 when flagged. */
static int observe(struct block *b, const struct oracle_arg *a,
                   const long *view)
{
    if (!b || !b->scratch)
        return 0;
    if (b->observed_rank && !a->writes) {
        struct extent seen = {b->observed_rank, {0}};
        memcpy(seen.dims, b->observed, sizeof seen.dims);
        return fit(a, view, &seen) == MISMATCH;
    }
    b->observed_rank = a->rank;
    memcpy(b->observed, view, (size_t)a->rank * sizeof *view);
    return 0;
}

int oracle_check(struct oracle_call *c)
{
    int line = pending_line;
    pending_line = 0;
    explain("oracle: line %d: %s\n", line, c->kernel);

    struct extent ext[ORACLE_MAXARGS];
    struct block *at[ORACLE_MAXARGS];
    long views[ORACLE_MAXARGS][ORACLE_MAXRANK];
    long bound[ORACLE_MAXSYM + 1] = {0};
    enum verdict v = MATCH;
    int declared_mismatch =
        0; /* a mismatch a declared extent or a rule shows */
    for (int i = 0; i < c->nargs; i++)
        if (!extent_at(c->args[i].p, c->args[i].elem, &ext[i], &at[i])) {
            explain("  %s: not a registered buffer\n", c->args[i].name);
            report(line, UNKNOWN, 0, 0, 0, 0);
            return 0;
        }
    v = worse(v, bind_symbols(c, ext, at, bound, &declared_mismatch));
    for (int i = 0; i < c->nargs && v != UNKNOWN; i++) {
        const struct oracle_arg *a = &c->args[i];
        for (int d = 0; d < a->rank; d++)
            views[i][d] = a->sym[d] ? bound[a->sym[d]] : a->dims[d];
        enum verdict f = fit(a, views[i], &ext[i]);
        explain("  %s:", a->name);
        explain_dims("view", a->rank, views[i]);
        explain_dims("extent", ext[i].rank, ext[i].dims);
        explain(" -> %s\n", verdict_word(f == MATCH, f == UNKNOWN));
        if (f == MISMATCH && !(at[i] && at[i]->scratch))
            declared_mismatch = 1;
        v = worse(v, f);
    }
    int extents_differ = 0;
    if (c->loss_logits >= 0 && v != UNKNOWN) {
        long vl = views[c->loss_logits][0], vb = views[c->loss_labels][0];
        if (vl != vb) {
            explain("  loss: views' first dims %ld and %ld\n", vl, vb);
            v = worse(v, MISMATCH);
            declared_mismatch = 1;
        }
        extents_differ =
            extent_rows(&c->args[c->loss_logits], views[c->loss_logits],
                        &ext[c->loss_logits]) !=
            extent_rows(&c->args[c->loss_labels], views[c->loss_labels],
                        &ext[c->loss_labels]);
    }
    int observed_differs = 0;
    for (int i = 0; i < c->nargs && v != UNKNOWN; i++)
        if (!c->args[i].writes)
            observed_differs |= observe(at[i], &c->args[i], views[i]);
    for (int i = 0; i < c->nargs && v != UNKNOWN; i++)
        if (c->args[i].writes)
            observe(at[i], &c->args[i], views[i]);
    if (observed_differs)
        explain(
            "  a read that does not fit a scratch buffer's observed shape\n");
    int via = 0;
    for (int i = 0; i < c->nargs && v != UNKNOWN; i++) {
        const struct oracle_arg *a = &c->args[i];
        if (a->rank != ext[i].rank)
            via |= VIA_RESHAPE;
        else if (!a->sym[0] && views[i][0] < ext[i].dims[0])
            via |= VIA_PREFIX;
    }
    report(line, v, extents_differ, observed_differs, via, !declared_mismatch);
    if (v != MATCH)
        return 0;
    for (int i = 0; i < c->nargs; i++)
        touch(&c->args[i], views[i]);
    return 1;
}
