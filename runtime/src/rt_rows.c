/*
 * rt_rows.c - the row drivers of the softmax family: they walk logit rows
 * chunk by chunk through the chunk kernels of rt_simd.inc, choose each
 * row's reference, and do the per-row scalar work (a row's loss, the
 * label's entry of its gradient in double).
 *
 * A row's exps are taken against a reference, not against the running
 * max, so that each value is looked at once per pass: at first the max of
 * the row's first values (one vector's worth), raised to a chunk's max
 * when that chunk goes more than REF_SLACK above it (rare: the chunk is
 * then done again from cache, and what was summed and stored before it is
 * rescaled).  So every exp stays below e^8 (no overflow), and the largest
 * terms, which make the sum, are taken within 8 of the reference, which
 * keeps the rounding of x - ref small.  A row whose first values are all
 * -inf or NaN, or that is overwritten by its own exps, takes its max as
 * the reference from the start (one more look at the row).
 *
 * The loss reads each row once.  The gradient needs a row's sum before it
 * can write any of it, so it makes two passes over the row, the second
 * right behind the first, while the row is in cache.  Where the output is
 * written, the first pass stores the exps into it (each exp computed once:
 * exp is most of the arithmetic) and the second scales them.  Where it is
 * accumulated into, the first pass does the same while the output holds
 * zeros (a trainer's freshly zeroed gradient), and leaves the rest, from
 * the first vector that does not, to the second pass, which computes its
 * exps again from the logits (no workspace: a row of exps kept aside and
 * read back measured slower than computing them again).  So the first
 * pass reads the logits and the output from memory together, as a plain
 * loop over the same bytes does (the memory bound of bench/ce_bench.c),
 * and the second finds the row in cache.
 *
 * Right after a forward on the same logits, a row's reference and sum are
 * known (rt_memo.c): the first pass then stores the finished gradient, and
 * only what it could not store (values it must add to) is left to the
 * second.  The pass sums the row again as it goes; a row whose sum or
 * reference is not the known one is done again the usual way, from
 * scratch.
 */
#include "rt_internal.h"

#include <math.h>
#include <string.h>

/* How far above its reference a chunk's values may go before the
   reference is raised: exps up to e^8, and the rounding of x - ref for
   the largest terms within 8 * 2^-24 relative. */
#define REF_SLACK 8.0f

/* Fresh statistics of row X[0..n), with its first reference: the max of
   its first vector's worth of values, or the row's max (OPS's row_max,
   one more look at the row) when those are all -inf or NaN, or when EXACT
   (a row overwritten by its own exps, whose chunks cannot be done
   again). */
static void stats_begin(const sc_simd_ops *ops, const float *x, int64_t n,
                        int exact, sc_row_stats *st)
{
    float ref = -INFINITY;
    for (int64_t j = 0; j < n && j < 16 && !exact; j++)
        ref = x[j] > ref ? x[j] : ref;
    if (ref == -INFINITY)
        ref = ops->row_max(x, n);
    st->ref = ref;
    st->max = -INFINITY;
    st->sum = st->tsum = st->tdot = 0;
}

/* Moves ST's reference up to REF, rescaling its sums and the exps stored
   so far (E[0..stored), when E is not NULL). */
static void raise_ref(sc_row_stats *st, float ref, float *e, int64_t stored)
{
    double down = exp((double)st->ref - ref);
    st->sum *= down;
    st->tdot -= ((double)ref - st->ref) * st->tsum;
    for (int64_t j = 0; e && j < stored; j++)
        e[j] = (float)(e[j] * down);
    st->ref = ref;
}

/* Adds chunk sums C to ST. */
static void add_sums(sc_row_stats *st, const sc_chunk_sums *c)
{
    st->max = c->max > st->max ? c->max : st->max;
    st->sum += c->sum;
    st->tsum += c->tsum;
    st->tdot += c->tdot;
}

/* Folds the sums of chunk F (LEN floats) into ST.  When the chunk went
   more than REF_SLACK above the reference, the reference is raised to its
   max first, the exps stored before the chunk (STORED[0..stored_n), STORED
   NULL for none) rescaled, and the chunk done again (from cache: it was
   just read), storing its exps where it had stored them. */
static void fold_chunk(const sc_simd_ops *ops, sc_first *f, int64_t len,
                       float *stored, int64_t stored_n, sc_row_stats *st)
{
    sc_chunk_sums *c = f->out;
    if (c->max > st->ref + REF_SLACK) {
        int64_t kept = f->e ? c->stored : 0;
        raise_ref(st, c->max, stored, stored_n);
        sc_first again = *f;
        again.ref = st->ref;
        again.zeros = 0;
        again.e = kept ? f->e : NULL;
        ops->first(&again, kept ? kept : len);
        if (kept && kept < len) {
            sc_chunk_sums head = *c;
            again.x += kept;
            again.t = again.t ? again.t + kept : NULL;
            again.e = NULL;
            ops->first(&again, len - kept);
            add_sums(st, &head);
        }
        c->stored = kept;
    }
    add_sums(st, c);
}

void sc_row_stats_of(const sc_simd_ops *ops, const float *x, const float *t,
                     int64_t n, sc_row_stats *st)
{
    stats_begin(ops, x, n, 0, st);
    for (int64_t at = 0; at < n; at += SC_CHUNK) {
        int64_t len = n - at < SC_CHUNK ? n - at : SC_CHUNK;
        sc_chunk_sums c;
        sc_first f = {x + at, t ? t + at : NULL, NULL, 0, st->ref, &c, 0, 0, 0};
        ops->first(&f, len);
        fold_chunk(ops, &f, len, NULL, 0, st);
    }
}

/* Cross-entropy of a row from its statistics: with targets, TS log S -
   TD; with a label, log S - (x[label] - ref), XL being x[label]. */
static double row_loss(const sc_labels *l, float xl, const sc_row_stats *st)
{
    if (l->dtype == SC_DT_F32)
        return st->tsum * log(st->sum) - st->tdot;
    return log(st->sum) - ((double)xl - st->ref);
}

double sc_rows_loss(const void *job, int64_t r0, int64_t r1, int part)
{
    const sc_rows_job *j = job;
    int64_t c = j->x->cols;
    double total = 0;
    (void)part;
    for (int64_t i = r0; i < r1; i++) {
        const float *row = sc_row(j->x, i);
        const float *t = sc_targets_row(j->l, i);
        sc_row_stats st;
        sc_row_stats_of(j->ops, row, t, c, &st);
        if (j->keep)
            j->keep[i] = (sc_memo_row){st.ref, st.sum};
        double li = row_loss(j->l, t ? 0.0f : row[sc_label_at(j->l, i)], &st);
        if (j->losses)
            j->losses[i] = (float)li;
        total += li;
    }
    return total;
}

/* ---- The gradient ------------------------------------------------------ */

/* One row of a gradient. */
typedef struct grad_row {
    const float *x; /* its logits */
    const float *t; /* its targets, or NULL */
    float *g;       /* its gradient */
    int64_t c;      /* its length */
    int64_t label;  /* with index labels: the label, else -1 */
    float xl;       /* x[label], read before the row is overwritten */
    float old;      /* g[label] before the row's gradient (accumulating) */
    int64_t stored; /* the first pass stored exps (or KNOWN: the gradient)
                       in g[0..stored) */
    double scale;   /* dlosses[i] or the job's scale, in double */
    const sc_memo_row *known; /* the forward's statistics, or NULL */
    sc_row_stats st;
} grad_row;

/* Row I of job J, before anything is written, against KNOWN (the row's
   statistics from its forward) or, NULL, its own. */
static void grad_row_begin(const sc_rows_job *j, int64_t i,
                           const sc_memo_row *known, grad_row *r)
{
    r->x = sc_row(j->x, i);
    r->t = j->l ? sc_targets_row(j->l, i) : NULL;
    r->g = sc_row(j->g, i);
    r->c = j->x->cols;
    r->label = j->l && !r->t ? sc_label_at(j->l, i) : -1;
    r->xl = r->label >= 0 ? r->x[r->label] : 0.0f;
    r->old = r->label >= 0 && j->accumulate ? r->g[r->label] : 0.0f;
    r->scale = j->dlosses ? (double)j->dlosses[i] : j->scale;
    /* In place, the first pass overwrites the logits: no chunk of them can
       be done again, so the reference must be the max from the start (and
       no job has known rows: a row that failed them could not be done
       again). */
    r->known = known;
    if (known) {
        r->st.ref = known->ref;
        r->st.max = -INFINITY;
        r->st.sum = r->st.tsum = r->st.tdot = 0;
    } else {
        stats_begin(j->ops, r->x, r->c, r->g == r->x, &r->st);
    }
}

/* The first pass over R: statistics, and the exps stored into the gradient,
   writing it, or, accumulating, up to its first values that are not zeros (a
   freshly zeroed gradient is filled as if written).  With R's statistics
   known, what is stored is the gradient itself. */
static void grad_first_pass(const sc_rows_job *j, grad_row *r)
{
    int storing = 1;
    float mul = r->known ? (float)(1.0 / r->known->sum) : 0.0f;
    r->stored = 0;
    for (int64_t at = 0; at < r->c; at += SC_CHUNK) {
        int64_t len = r->c - at < SC_CHUNK ? r->c - at : SC_CHUNK;
        sc_chunk_sums sums;
        sc_first f = {r->x + at,
                      r->t ? r->t + at : NULL,
                      storing ? r->g + at : NULL,
                      j->accumulate,
                      r->st.ref,
                      &sums,
                      r->known != NULL,
                      mul,
                      (float)r->scale};
        j->ops->first(&f, len);
        fold_chunk(j->ops, &f, len, r->g, r->stored, &r->st);
        if (storing)
            r->stored = at + sums.stored;
        storing = storing && sums.stored == len;
    }
}

/* The second pass over R from FROM on: the stored exps scaled, the rest
   computed again from the logits. */
static void grad_second_pass(const sc_rows_job *j, grad_row *r, int64_t from)
{
    for (int64_t at = from; at < r->c;) {
        int from_x = at >= r->stored;
        int64_t end = at + SC_CHUNK < r->c ? at + SC_CHUNK : r->c;
        if (!from_x && end > r->stored)
            end = r->stored; /* the stored part of a chunk first */
        sc_second k = {from_x ? r->x + at : NULL,
                       r->t ? r->t + at : NULL,
                       r->g + at,
                       r->st.ref,
                       (float)(1.0 / r->st.sum),
                       (float)r->scale,
                       from_x && j->accumulate};
        j->ops->second(&k, end - at);
        at = end;
    }
}

/* After R's gradient is written: the label's entry again, in double, since
   p - 1 in float loses every digit when p is close to 1; returns R's loss
   (0 without labels, or when the job wants no loss). */
static double grad_row_end(const sc_rows_job *j, const grad_row *r)
{
    if (!j->l)
        return 0;
    if (r->label >= 0) {
        double p = exp((double)r->xl - r->st.ref) / r->st.sum;
        double d = (p - 1.0) * r->scale;
        r->g[r->label] = (float)(j->accumulate ? r->old + d : d);
    }
    return j->want_loss ? row_loss(j->l, r->xl, &r->st) : 0;
}

/* How far a known row's sum, found again, may be from its forward's: the
   rounding of two orders of summation (the forward may have raised its
   reference mid-row, rescaling what it had summed), far below a float's;
   logits that changed in between move it by more. */
#define KNOWN_SUM_TOLERANCE 0x1p-40

/* Whether R's first pass, made against its forward's statistics, found
   them again: the same reference (no chunk went above it) and the same sum
   up to rounding.  Then what it stored is the row's gradient. */
static int known_verified(const grad_row *r)
{
    double d = r->st.sum - r->known->sum;
    return r->st.ref == r->known->ref &&
           fabs(d) <= KNOWN_SUM_TOLERANCE * r->st.sum;
}

/* Row I in one pass against KNOWN: returns 0, with nothing of the row
   changed, when the statistics did not verify (what the pass stored over
   zeros is made zeros again). */
static int grad_row_known(const sc_rows_job *j, int64_t i,
                          const sc_memo_row *known, grad_row *r)
{
    grad_row_begin(j, i, known, r);
    grad_first_pass(j, r);
    if (!known_verified(r)) {
        if (j->accumulate) /* it stored only where the gradient held +0.0 */
            memset(r->g, 0, (size_t)r->stored * sizeof *r->g);
        return 0;
    }
    r->st.sum = known->sum;
    grad_second_pass(j, r, r->stored); /* only what the pass left */
    atomic_fetch_add_explicit(&j->tally->one_pass, 1, memory_order_relaxed);
    return 1;
}

double sc_rows_grad(const void *job, int64_t r0, int64_t r1, int part)
{
    const sc_rows_job *j = job;
    const sc_memo_row *known = j->known;
    double total = 0;
    (void)part;
    for (int64_t i = r0; i < r1; i++) {
        grad_row r;
        if (!known || !grad_row_known(j, i, known + i, &r)) {
            if (known) { /* stale: the rest of the range on its own */
                known = NULL;
                atomic_store_explicit(&j->tally->stale, 1,
                                      memory_order_relaxed);
            }
            grad_row_begin(j, i, NULL, &r);
            grad_first_pass(j, &r);
            grad_second_pass(j, &r, 0);
        }
        total += grad_row_end(j, &r);
    }
    return total;
}
