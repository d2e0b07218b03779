/*
 * rt_memo.c - the row statistics of this thread's last loss forward: each
 * logit row's reference and sum of exps, as sc_cross_entropy and
 * sc_cross_entropy_per_sample found them, kept so that a trainer's
 * backward, called next on the same logits, can write each row's gradient
 * in one pass instead of two (rt_rows.c).
 *
 * The second pass of a backward is there only because a row's sum must be
 * known before any of its gradient can be written; its forward knew it.
 * The SPEC's backward takes no statistics, so the library remembers them.
 *
 * Never trusted: the key (the logits' address and layout) only says which
 * statistics to try.  The backward sums the row again as it writes it, and
 * a row whose sum is not the kept one (the logits changed in between, or
 * other logits now live at that address) is done again as if nothing had
 * been kept; the first such row drops the memo.  So a memo can cost one
 * row's first pass per thread, never a wrong gradient.
 *
 * One memo per thread (the calling thread; the kernels' OpenMP workers
 * fill and read its rows by index), its rows freed when the thread ends.
 */
#include "rt_internal.h"

#include <stdlib.h>

#if !defined(__STDC_NO_THREADS__)
#include <threads.h>
#endif

typedef struct row_memo {
    const void *data; /* the logits it describes; NULL: none */
    int64_t rows, cols, stride;
    int64_t cap; /* entries allocated at ROW */
    sc_memo_row *row;
} row_memo;

static _Thread_local row_memo memo;

/* sc_memo_one_pass_rows's answer. */
static _Thread_local int64_t last_one_pass;

#if !defined(__STDC_NO_THREADS__)
/* Frees an ending thread's rows (the key's value is its ROW array). */
static tss_t rows_key;
static int rows_key_ok;
static once_flag rows_key_once = ONCE_FLAG_INIT;

static void make_rows_key(void)
{
    rows_key_ok = tss_create(&rows_key, free) == thrd_success;
}

static void track_rows(sc_memo_row *row)
{
    call_once(&rows_key_once, make_rows_key);
    if (rows_key_ok)
        tss_set(rows_key, row);
}
#else
static void track_rows(sc_memo_row *row)
{
    (void)row; /* no thread-exit hook: a worker's rows outlive it */
}
#endif

/* Room for ROWS entries, or 0 when the memory is not there (the memo is
   then left out: it only saves time). */
static int reserve(int64_t rows)
{
    if (rows <= memo.cap)
        return 1;
    if ((uint64_t)rows > SIZE_MAX / sizeof(sc_memo_row))
        return 0;
    sc_memo_row *row = realloc(memo.row, (size_t)rows * sizeof *row);
    if (!row)
        return 0;
    memo.row = row;
    memo.cap = rows;
    track_rows(row);
    return 1;
}

/* Whether a call over X keeps (or looks for) a memo. */
static int worth_keeping(const sc_arg *x)
{
    return x->numel >= SC_MEMO_MIN && x->cols >= SC_MEMO_MIN_COLS;
}

sc_memo_row *sc_memo_begin(const sc_arg *x)
{
    if (!worth_keeping(x))
        return NULL;
    memo.data = NULL; /* until the forward has filled every row */
    return reserve(x->rows) ? memo.row : NULL;
}

void sc_memo_end(const sc_arg *x)
{
    memo.data = x->data;
    memo.rows = x->rows;
    memo.cols = x->cols;
    memo.stride = x->stride;
}

const sc_memo_row *sc_memo_find(const sc_arg *x)
{
    if (!worth_keeping(x) || !memo.data || memo.data != x->data ||
        memo.rows != x->rows || memo.cols != x->cols ||
        memo.stride != x->stride)
        return NULL;
    return memo.row;
}

void sc_memo_forget(void)
{
    memo.data = NULL;
}

void sc_memo_settle(const sc_memo_tally *t)
{
    if (atomic_load_explicit(&t->stale, memory_order_relaxed))
        sc_memo_forget();
    last_one_pass = atomic_load_explicit(&t->one_pass, memory_order_relaxed);
}

int64_t sc_memo_one_pass_rows(void)
{
    return last_one_pass;
}
