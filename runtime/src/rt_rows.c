/*
 * rt_rows.c - the row drivers of the softmax family: they walk logit rows
 * chunk by chunk through the chunk kernels of rt_simd.inc, say what to
 * prefetch, and do the per-row scalar work (a row's loss, the label's
 * entry of its gradient in double).
 *
 * The loss reads each row once.  The gradient needs a row's statistics
 * before it can write any of it, so it makes two passes: the first reads
 * the row from memory, computes its exps (once: exp is most of the
 * arithmetic) relative to the running max, and stores them; the second,
 * from cache, scales each chunk of them by its own factor, exp(chunk max -
 * row max) / sum, into the gradient.  The exps go into the output row
 * itself when it is written, into a workspace of two rows per thread when
 * it is accumulated into.  Done row after row, the first pass would only
 * read memory and the second only write it; instead the two are
 * pipelined: row i's first pass and row i - 1's second are computed
 * together, chunk by chunk, so that the logits' stream, the gradient's
 * stream and the arithmetic overlap, as in a plain loop over the same
 * bytes (the memory bound of bench/ce_bench.c).
 */
#include "rt_internal.h"

#include <math.h>
#include <stdint.h>

/* How far ahead of the chunk being computed to prefetch: two chunks. */
#define PF_CHUNKS 2

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

static void stats_init(sc_row_stats *st)
{
    st->max = -INFINITY;
    st->sum = st->tsum = st->tdot = 0;
}

void sc_row_stats_of(const sc_simd_ops *ops, const float *x, const float *t,
                     int64_t n, const float *next, sc_row_stats *st)
{
    stats_init(st);
    for (int64_t at = 0; at < n; at += SC_CHUNK) {
        int64_t len = n - at < SC_CHUNK ? n - at : SC_CHUNK;
        ops->stats(x + at, t ? t + at : NULL, len,
                   ahead_of(x, next, n, at, len), st);
    }
}

/* Cross-entropy of a row from its statistics: with targets, TS log S -
   TD; with a label, log S - (x[label] - M), XL being x[label]. */
static double row_loss(const sc_labels *l, float xl, const sc_row_stats *st)
{
    if (l->dtype == SC_DT_F32)
        return st->tsum * log(st->sum) - st->tdot;
    return log(st->sum) - ((double)xl - st->max);
}

double sc_rows_loss(const void *job, int64_t r0, int64_t r1, int part)
{
    const sc_rows_job *j = job;
    int64_t c = j->x.cols;
    double total = 0;
    (void)part;
    for (int64_t i = r0; i < r1; i++) {
        const float *row = sc_row(&j->x, i);
        const float *t = sc_targets_row(j->l, i);
        sc_row_stats st;
        sc_row_stats_of(j->ops, row, t, c,
                        i + 1 < r1 ? sc_row(&j->x, i + 1) : NULL, &st);
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
    float *cmax;     /* the running max after each chunk of the first pass */
    int64_t label;   /* with index labels: the label, else -1 */
    float xl;        /* x[label], read before the row is overwritten */
    float old;       /* g[label] before the row's gradient (accumulating) */
    sc_row_stats st; /* its statistics, complete after the first pass */
    double scale;    /* dlosses[i] or the job's scale, in double */
} grad_row;

/* Chunks in a row of C. */
static int64_t chunks_of(int64_t c)
{
    return (c + SC_CHUNK - 1) / SC_CHUNK;
}

/* C rounded up to a whole number of cache lines, so that every workspace
   row starts on one. */
static int64_t padded(int64_t c)
{
    return (c + 15) / 16 * 16;
}

/* Floats of workspace one part of JOB needs: two rows' chunk maxes, and
   two rows of exps when accumulating. */
static size_t work_floats(const sc_rows_job *j)
{
    int64_t c = j->x.cols;
    return (size_t)(2 * padded(chunks_of(c)) +
                    (j->accumulate ? 2 * padded(c) : 0));
}

/* Row I of job J, slot SLOT (0 or 1) of workspace W, before its first
   pass. */
static void grad_row_begin(const sc_rows_job *j, int64_t i, float *w, int slot,
                           grad_row *r)
{
    int64_t c = j->x.cols, chunks = padded(chunks_of(c));
    r->i = i;
    r->x = sc_row(&j->x, i);
    r->t = j->l ? sc_targets_row(j->l, i) : NULL;
    r->g = sc_row(&j->g, i);
    r->cmax = w + slot * chunks;
    r->e = j->accumulate ? w + 2 * chunks + slot * padded(c) : r->g;
    r->label = j->l && !r->t ? sc_label_at(j->l, i) : -1;
    r->xl = r->label >= 0 ? r->x[r->label] : 0.0f;
    stats_init(&r->st);
}

/* After R's first pass, before its second overwrites anything: the
   label's entry, to accumulate onto. */
static void grad_row_ready(const sc_rows_job *j, grad_row *r)
{
    r->scale = j->dlosses ? (double)j->dlosses[r->i] : j->scale;
    r->old = r->label >= 0 && j->accumulate ? r->g[r->label] : 0.0f;
}

/* The coefficients of chunk K of R's second pass: its exps were taken
   against CMAX[k], so they weigh exp(cmax[k] - max) / sum; *LAST caches
   the last chunk max seen and its factor (the max settles early, so exp
   is rarely called). */
static sc_grad_coef grad_coef(const sc_rows_job *j, const grad_row *r,
                              int64_t k, float last[2])
{
    if (k == 0 || r->cmax[k] != last[0]) {
        last[0] = r->cmax[k];
        last[1] = (float)(exp((double)r->cmax[k] - r->st.max) / r->st.sum);
    }
    sc_grad_coef coef = {last[1], (float)r->scale, j->accumulate};
    return coef;
}

/* After R's gradient is written: the label's entry again, in double, since
   p - 1 in float loses every digit when p is close to 1; returns R's loss
   (0 without labels). */
static double grad_row_end(const sc_rows_job *j, const grad_row *r)
{
    if (!j->l)
        return 0;
    if (r->label >= 0) {
        double p = exp((double)r->xl - r->st.max) / r->st.sum;
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
    const sc_simd_ops *ops = j->ops;
    int64_t c = j->x.cols;
    float *w = j->work + (size_t)part * j->work_per_part;
    double total = 0;
    grad_row rows[2], *cur = &rows[0], *prev = &rows[1];
    /* Step i: row i's first pass (i < r1) with row i - 1's second
       (i > r0), chunk by chunk. */
    for (int64_t i = r0; i <= r1; i++) {
        int first = i<r1, second = i> r0;
        if (first)
            grad_row_begin(j, i, w, (int)((i - r0) % 2), cur);
        if (second)
            grad_row_ready(j, prev);
        const float *next_x = i + 1 < r1 ? sc_row(&j->x, i + 1) : NULL;
        const float *next_g = first ? cur->g : NULL;
        float last[2] = {0, 0};
        for (int64_t at = 0, k = 0; at < c; at += SC_CHUNK, k++) {
            int64_t len = c - at < SC_CHUNK ? c - at : SC_CHUNK;
            if (first) {
                ops->exps(cur->x + at, cur->t ? cur->t + at : NULL, len,
                          ahead_of(cur->x, next_x, c, at, len), &cur->st,
                          cur->e + at);
                cur->cmax[k] = cur->st.max;
            }
            if (second) {
                sc_grad_coef coef = grad_coef(j, prev, k, last);
                ops->scale(prev->e + at, prev->t ? prev->t + at : NULL, len,
                           &coef, prev->g + at,
                           ahead_of(prev->g, next_g, c, at, len));
            }
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
                       "no memory for the workspace of rows "
                       "of %lld floats",
                       (long long)job->x.cols);
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
