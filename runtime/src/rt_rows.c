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
 */
#include "rt_internal.h"

#include <math.h>

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
        sc_first f = {x + at, t ? t + at : NULL, NULL, 0, st->ref, &c};
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
    int64_t stored; /* the first pass stored exps in g[0..stored) */
    double scale;   /* dlosses[i] or the job's scale, in double */
    sc_row_stats st;
} grad_row;

/* Row I of job J, before anything is written. */
static void grad_row_begin(const sc_rows_job *j, int64_t i, grad_row *r)
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
       be done again, so the reference must be the max from the start. */
    stats_begin(j->ops, r->x, r->c, r->g == r->x, &r->st);
}

/* The first pass over R: statistics, and the exps stored into the gradient,
   writing it, or, accumulating, up to its first values that are not zeros (a
   freshly zeroed gradient is filled as if written). */
static void grad_first_pass(const sc_rows_job *j, grad_row *r)
{
    int storing = 1;
    r->stored = 0;
    for (int64_t at = 0; at < r->c; at += SC_CHUNK) {
        int64_t len = r->c - at < SC_CHUNK ? r->c - at : SC_CHUNK;
        sc_chunk_sums sums;
        sc_first f = {r->x + at,
                      r->t ? r->t + at : NULL,
                      storing ? r->g + at : NULL,
                      j->accumulate,
                      r->st.ref,
                      &sums};
        j->ops->first(&f, len);
        fold_chunk(j->ops, &f, len, r->g, r->stored, &r->st);
        if (storing)
            r->stored = at + sums.stored;
        storing = storing && sums.stored == len;
    }
}

/* The second pass over R: the stored exps scaled, the rest computed
   again from the logits. */
static void grad_second_pass(const sc_rows_job *j, grad_row *r)
{
    for (int64_t at = 0; at < r->c;) {
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
   (0 without labels). */
static double grad_row_end(const sc_rows_job *j, const grad_row *r)
{
    if (!j->l)
        return 0;
    if (r->label >= 0) {
        double p = exp((double)r->xl - r->st.ref) / r->st.sum;
        double d = (p - 1.0) * r->scale;
        r->g[r->label] = (float)(j->accumulate ? r->old + d : d);
    }
    return row_loss(j->l, r->xl, &r->st);
}

double sc_rows_grad(const void *job, int64_t r0, int64_t r1, int part)
{
    const sc_rows_job *j = job;
    double total = 0;
    (void)part;
    for (int64_t i = r0; i < r1; i++) {
        grad_row r;
        grad_row_begin(j, i, &r);
        grad_first_pass(j, &r);
        grad_second_pass(j, &r);
        total += grad_row_end(j, &r);
    }
    return total;
}
