/*
 * rt_rows.c - the row drivers of the softmax family: they walk logit rows
 * chunk by chunk through the chunk kernel of rt_simd.inc, choose each
 * row's reference, say what to prefetch, and do the per-row scalar work (a
 * row's loss, the label's entry of its gradient in double).
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
 * can write any of it, so it makes two passes: the first reads the row from
 * memory and stores its exps (each computed once: exp is most of the
 * arithmetic) into the output row itself when it is written, or into a
 * workspace of two rows per thread when it is accumulated into; the second
 * scales them, from cache, into the gradient.  Done row after row, the
 * first pass would only read memory and the second only write it; instead
 * they are pipelined, row i's first pass and row i - 1's second in one
 * loop, so that the logits' stream, the gradient's and the arithmetic
 * overlap, as in a plain loop over the same bytes (the memory bound of
 * bench/ce_bench.c).
 */
#include "rt_internal.h"

#include <math.h>
#include <stdint.h>

/* How far ahead of the chunk being computed to prefetch, in chunks. */
#define PF_CHUNKS 2

/* How far above its reference a chunk's values may go before the
   reference is raised: exps up to e^8, and the rounding of x - ref for
   the largest terms within 8 * 2^-24 relative. */
#define REF_SLACK 8.0f

/* What to prefetch while chunk AT (of LEN floats) of a row of N is
   computed: the same stretch PF_CHUNKS chunks later, in this row or, past
   its end, in NEXT (the next row, or NULL). */
static sc_ahead ahead_of(const float *row, const float *next, int64_t n,
                         int64_t at, int64_t len)
{
    int64_t later = at + PF_CHUNKS * SC_CHUNK;
    sc_ahead pf = {NULL, 0};
    if (later < n) {
        pf.ptr = row + later;
        pf.count = n - later < len ? n - later : len;
    } else if (next && later - n < n) {
        pf.ptr = next + (later - n);
        pf.count = n - (later - n) < len ? n - (later - n) : len;
    }
    return pf;
}

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

/* Folds the sums of chunk F (at AT in its row, its exps at F->e) into ST;
   when the chunk went more than REF_SLACK above the reference, raises the
   reference to its max and does it again first (from cache: it was just
   read). */
static void fold_chunk(const sc_simd_ops *ops, sc_first *f, int64_t at,
                       int64_t len, sc_row_stats *st)
{
    sc_chunk_sums *c = f->out;
    if (c->max > st->ref + REF_SLACK) {
        raise_ref(st, c->max, f->e ? f->e - at : NULL, at);
        f->ref = st->ref;
        f->pf.ptr = NULL;
        ops->chunk(f, NULL, len);
    }
    st->max = c->max > st->max ? c->max : st->max;
    st->sum += c->sum;
    st->tsum += c->tsum;
    st->tdot += c->tdot;
}

void sc_row_stats_of(const sc_simd_ops *ops, const float *x, const float *t,
                     int64_t n, const float *next, sc_row_stats *st)
{
    stats_begin(ops, x, n, 0, st);
    for (int64_t at = 0; at < n; at += SC_CHUNK) {
        int64_t len = n - at < SC_CHUNK ? n - at : SC_CHUNK;
        sc_chunk_sums c;
        sc_first f = {x + at,
                      t ? t + at : NULL,
                      NULL,
                      st->ref,
                      ahead_of(x, next, n, at, len),
                      &c};
        ops->chunk(&f, NULL, len);
        fold_chunk(ops, &f, at, len, st);
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
        sc_row_stats_of(j->ops, row, t, c,
                        i + 1 < r1 ? sc_row(j->x, i + 1) : NULL, &st);
        double li = row_loss(j->l, t ? 0.0f : row[sc_label_at(j->l, i)], &st);
        if (j->losses)
            j->losses[i] = (float)li;
        total += li;
    }
    return total;
}

/* ---- The gradient pipeline ------------------------------------------- */

/* One row in the pipeline. */
typedef struct grad_row {
    int64_t i;       /* the row */
    const float *x;  /* its logits */
    const float *t;  /* its targets, or NULL */
    float *g;        /* its gradient */
    float *e;        /* its exps: G itself, or a workspace row */
    int64_t label;   /* with index labels: the label, else -1 */
    float xl;        /* x[label], read before the row is overwritten */
    float old;       /* g[label] before the row's gradient (accumulating) */
    sc_row_stats st; /* its statistics, complete after the first pass */
    double scale;    /* dlosses[i] or the job's scale, in double */
} grad_row;

/* C rounded up to a whole number of cache lines, so that every workspace
   row starts on one. */
static int64_t padded(int64_t c)
{
    return (c + 15) / 16 * 16;
}

/* Floats of workspace one part of JOB needs: two rows of exps when
   accumulating (written, the exps go into the output). */
static size_t work_floats(const sc_rows_job *j)
{
    return j->accumulate ? (size_t)(2 * padded(j->x->cols)) : 0;
}

/* Row I of job J, slot SLOT (0 or 1) of workspace W, before its first
   pass. */
static void grad_row_begin(const sc_rows_job *j, int64_t i, float *w, int slot,
                           grad_row *r)
{
    int64_t c = j->x->cols;
    r->i = i;
    r->x = sc_row(j->x, i);
    r->t = j->l ? sc_targets_row(j->l, i) : NULL;
    r->g = sc_row(j->g, i);
    r->e = j->accumulate ? w + slot * padded(c) : r->g;
    r->label = j->l && !r->t ? sc_label_at(j->l, i) : -1;
    r->xl = r->label >= 0 ? r->x[r->label] : 0.0f;
    stats_begin(j->ops, r->x, c, r->e == r->x, &r->st);
}

/* R's second pass over chunk AT (LEN floats), prefetching NEXT_G (the
   next row's gradient) at the end. */
static sc_second grad_row_second(const sc_rows_job *j, const grad_row *r,
                                 int64_t at, int64_t len, const float *next_g)
{
    sc_second k = {r->e + at,
                   r->t ? r->t + at : NULL,
                   r->g + at,
                   (float)(1.0 / r->st.sum),
                   (float)r->scale,
                   j->accumulate,
                   ahead_of(r->g, next_g, j->x->cols, at, len)};
    return k;
}

/* Before R's second pass overwrites anything: its scale, and the label's
   entry to accumulate onto. */
static void grad_row_ready(const sc_rows_job *j, grad_row *r)
{
    r->scale = j->dlosses ? (double)j->dlosses[r->i] : j->scale;
    r->old = r->label >= 0 && j->accumulate ? r->g[r->label] : 0.0f;
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

/* Rows [r0, r1) of the job through the pipeline, with part PART's
   workspace.  An sc_rows_fn. */
static double grad_rows(const void *job, int64_t r0, int64_t r1, int part)
{
    const sc_rows_job *j = job;
    int64_t c = j->x->cols;
    float *w = j->work + (size_t)part * j->work_per_part;
    double total = 0;
    grad_row rows[2], *cur = &rows[0], *prev = &rows[1];
    /* Step i: row i's first pass (i < r1) with row i - 1's second
       (i > r0), chunk by chunk in one loop. */
    for (int64_t i = r0; i <= r1; i++) {
        int first = i<r1, second = i> r0;
        if (first)
            grad_row_begin(j, i, w, (int)((i - r0) % 2), cur);
        if (second)
            grad_row_ready(j, prev);
        const float *next_x = i + 1 < r1 ? sc_row(j->x, i + 1) : NULL;
        const float *next_g = first ? cur->g : NULL;
        for (int64_t at = 0; at < c; at += SC_CHUNK) {
            int64_t len = c - at < SC_CHUNK ? c - at : SC_CHUNK;
            sc_chunk_sums sums;
            sc_first f = {0};
            sc_second k = {0};
            if (first)
                f = (sc_first){cur->x + at,
                               cur->t ? cur->t + at : NULL,
                               cur->e + at,
                               cur->st.ref,
                               ahead_of(cur->x, next_x, c, at, len),
                               &sums};
            if (second)
                k = grad_row_second(j, prev, at, len, next_g);
            j->ops->chunk(first ? &f : NULL, second ? &k : NULL, len);
            if (first)
                fold_chunk(j->ops, &f, at, len, &cur->st);
        }
        if (second)
            total += grad_row_end(j, prev);
        grad_row *swap = prev;
        prev = cur;
        cur = swap;
    }
    return total;
}

/* Floats of workspace on the stack: enough for tiny and small calls (a row
   of up to about 2000 accumulated logits), so that they never allocate. */
#define STACK_WORK 4096

sc_status sc_rows_grad_run(sc_rows_job *job, int64_t n, int64_t work,
                           double *loss_sum)
{
    int team = sc_team(n, work);
    size_t per = work_floats(job);
    _Alignas(64) float stack[STACK_WORK];
    if (per > SIZE_MAX / sizeof(float) / (size_t)team)
        return sc_fail(SC_ERR_NOMEM,
                       "no memory for the workspace of rows of %lld floats",
                       (long long)job->x->cols);
    size_t need = per * (size_t)team;
    job->work = need <= STACK_WORK ? stack : sc_workspace(need);
    if (!job->work)
        return sc_fail(SC_ERR_NOMEM,
                       "no memory for the workspace of %d thread%s: %zu "
                       "bytes",
                       team, team > 1 ? "s" : "", need * sizeof(float));
    job->work_per_part = per;
    double total = sc_for_rows(n, team, grad_rows, job);
    if (loss_sum)
        *loss_sum = total;
    return SC_OK;
}
