/*
 * ce_bench.c - cross-entropy forward and backward on float32 logits of
 * [1024, 50257] (a GPT-2 vocabulary), single thread, side by side with
 *   (a) a two-pass baseline written the way C reference trainers write it:
 *       softmax of every row into a probs buffer, then the loss from it
 *       (and, for the backward, (probs - one_hot) / N from the buffer);
 *   (b) the read-bandwidth bound: the time to read the same bytes with a
 *       plain summing loop (and, for the backward, to read them and write
 *       as many: a copy loop).
 * Also the cost of a tiny call (N = 1, C = 2), every instruction-set
 * variant of the row kernels this CPU runs, and sc_matmul's built-in loop
 * against OpenBLAS (which decides whether the library uses a BLAS).
 *
 * Prints one table with ratios and PASS/FAIL against the targets of
 * docs/runtime.md; exits 1 when a target fails.  Run through
 * bench/run_ce_bench.sh (a Release build); never a ctest.
 *
 *   ce_bench [--rows N] [--cols C] [--reps R] [--tables-only]
 */
#define _POSIX_C_SOURCE 200809L /* clock_gettime */

#include "rt_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#if defined(SC_HAVE_CBLAS)
#include <cblas.h>
#endif
#if defined(_OPENMP)
#include <omp.h>
#endif

/* ---- Timing ----------------------------------------------------------- */

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Something each timed function returns, so that nothing is optimised
   away. */
static volatile double sink;

typedef double (*bench_fn)(void *ctx);

#define MAX_REPS 64

/* Several functions timed in rounds, one run of each per round, so that a
   drift of the machine (another process, a frequency change) hits them
   all alike; each gets the median of its runs, in ms. */
typedef struct entry {
    bench_fn fn;
    void *ctx;
    double runs[MAX_REPS];
    double median;
} entry;

static void time_rounds(entry *e, int count, int reps)
{
    if (reps > MAX_REPS)
        reps = MAX_REPS;
    for (int k = 0; k < count; k++)
        sink += e[k].fn(e[k].ctx); /* warm-up: caches, page tables */
    for (int r = 0; r < reps; r++)
        for (int k = 0; k < count; k++) {
            double t0 = now_ms();
            sink += e[k].fn(e[k].ctx);
            e[k].runs[r] = now_ms() - t0;
        }
    for (int k = 0; k < count; k++) {
        qsort(e[k].runs, (size_t)reps, sizeof(double), cmp_double);
        e[k].median = e[k].runs[reps / 2];
    }
}

/* The median of REPS runs of FN alone. */
static double time_median(bench_fn fn, void *ctx, int reps)
{
    entry e = {fn, ctx, {0}, 0};
    time_rounds(&e, 1, reps);
    return e.median;
}

/* ---- The problem ------------------------------------------------------ */

typedef struct problem {
    int64_t n, c;
    float *logits; /* [n, c] */
    int32_t *labels;
    float *probs; /* [n, c], the baseline's buffer */
    float *grad;  /* [n, c] */
    int64_t shape[2], lshape[1];
    DLTensor tlogits, tlabels, tgrad;
} problem;

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint32_t rng(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (uint32_t)(rng_state >> 32);
}

/* Logits like a language model's: mostly around 0, spread of a few units. */
static float random_logit(void)
{
    float u = 0;
    for (int i = 0; i < 4; i++)
        u += (float)rng() / 4294967296.0f;
    return (u - 2.0f) * 4.0f;
}

static void *alloc_touched(size_t bytes)
{
    void *p = aligned_alloc(64, (bytes + 63) / 64 * 64);
    if (!p) {
        fprintf(stderr, "ce_bench: out of memory\n");
        exit(2);
    }
    memset(p, 0, bytes); /* page faults now, not in the timed loops */
    return p;
}

static void problem_init(problem *p, int64_t n, int64_t c)
{
    p->n = n;
    p->c = c;
    size_t bytes = (size_t)(n * c) * sizeof(float);
    p->logits = alloc_touched(bytes);
    p->probs = alloc_touched(bytes);
    p->grad = alloc_touched(bytes);
    p->labels = alloc_touched((size_t)n * sizeof(int32_t));
    for (int64_t i = 0; i < n * c; i++)
        p->logits[i] = random_logit();
    for (int64_t i = 0; i < n; i++)
        p->labels[i] = (int32_t)(rng() % (uint32_t)c);
    p->tlogits = sc_tensor_f32_2d(p->logits, p->shape, n, c);
    p->tgrad = sc_tensor_f32_2d(p->grad, p->shape, n, c);
    p->tlabels = sc_tensor_i32_1d(p->labels, p->lshape, n);
}

static void problem_free(problem *p)
{
    free(p->logits);
    free(p->probs);
    free(p->grad);
    free(p->labels);
}

/* ---- (a) The two-pass baseline ------------------------------------------ */

/* Softmax of each row into PROBS: max, then exps and their sum into the
   buffer, then a normalising pass over it. */
static void baseline_softmax(const problem *p)
{
    for (int64_t i = 0; i < p->n; i++) {
        const float *x = p->logits + i * p->c;
        float *pr = p->probs + i * p->c;
        float maxval = -INFINITY;
        for (int64_t j = 0; j < p->c; j++)
            if (x[j] > maxval)
                maxval = x[j];
        float sum = 0.0f;
        for (int64_t j = 0; j < p->c; j++) {
            pr[j] = expf(x[j] - maxval);
            sum += pr[j];
        }
        float norm = 1.0f / sum;
        for (int64_t j = 0; j < p->c; j++)
            pr[j] *= norm;
    }
}

/* Mean of -log probs[label]. */
static double baseline_loss(const problem *p)
{
    double mean = 0;
    for (int64_t i = 0; i < p->n; i++)
        mean += -logf(p->probs[i * p->c + p->labels[i]]);
    return mean / (double)p->n;
}

static double run_baseline_forward(void *ctx)
{
    problem *p = ctx;
    baseline_softmax(p);
    return baseline_loss(p);
}

static double run_baseline_backward(void *ctx)
{
    problem *p = ctx;
    baseline_softmax(p);
    double loss = baseline_loss(p);
    float scale = 1.0f / (float)p->n;
    for (int64_t i = 0; i < p->n; i++) {
        const float *pr = p->probs + i * p->c;
        float *g = p->grad + i * p->c;
        for (int64_t j = 0; j < p->c; j++)
            g[j] = (pr[j] - (j == p->labels[i] ? 1.0f : 0.0f)) * scale;
    }
    return loss + p->grad[0];
}

/* ---- (b) The bandwidth bounds ----------------------------------------- */

/* Reads every logit once: a plain sum, of the bit patterns so that the
   compiler may vectorise it (integer addition associates; float addition
   does not, and a scalar float sum would be latency-bound, not
   memory-bound, which would flatter the kernels). */
static double run_read_bound(void *ctx)
{
    const problem *p = ctx;
    const uint32_t *w = (const uint32_t *)p->logits;
    uint32_t s = 0;
    for (int64_t i = 0; i < p->n * p->c; i++)
        s += w[i];
    return s;
}

/* Reads every logit and writes a gradient's worth of bytes. */
static double run_copy_bound(void *ctx)
{
    const problem *p = ctx;
    for (int64_t i = 0; i < p->n * p->c; i++)
        p->grad[i] = p->logits[i];
    return p->grad[p->n * p->c - 1];
}

/* ---- The library -------------------------------------------------------- */

static double run_sc_forward(void *ctx)
{
    problem *p = ctx;
    float loss = 0;
    if (sc_cross_entropy(&p->tlogits, &p->tlabels, &loss) != SC_OK) {
        fprintf(stderr, "ce_bench: %s\n", sc_last_error());
        exit(2);
    }
    return loss;
}

static double run_sc_backward(void *ctx)
{
    problem *p = ctx;
    float loss = 0;
    if (sc_cross_entropy_backward(&p->tlogits, &p->tlabels, &p->tgrad, &loss) !=
        SC_OK) {
        fprintf(stderr, "ce_bench: %s\n", sc_last_error());
        exit(2);
    }
    return loss;
}

/* ns per call of sc_cross_entropy on [1, 2] (CHECKS_ONLY: of its argument
   checks alone, the internal functions it calls first): the median of a
   few batches of many calls. */
static double tiny_call_ns(int checks_only)
{
    float x[2] = {0.5f, -0.5f};
    int32_t y[1] = {1};
    int64_t xs[2], ys[1];
    DLTensor logits = sc_tensor_f32_2d(x, xs, 1, 2);
    DLTensor labels = sc_tensor_i32_1d(y, ys, 1);
    enum { CALLS = 1000000, BATCHES = 7 };
    double t[BATCHES];
    float loss = 0, acc = 0;
    for (int b = 0; b < BATCHES; b++) {
        double t0 = now_ms();
        for (int i = 0; i < CALLS; i++) {
            if (checks_only) {
                sc_view v;
                sc_labels l;
                acc += (float)sc_check_loss_args(&logits, "logits", &labels, 1,
                                                 &v, &l);
                acc += (float)sc_check_ptr(&loss, "loss");
            } else {
                sc_cross_entropy(&logits, &labels, &loss);
                acc += loss;
            }
        }
        t[b] = (now_ms() - t0) * 1e6 / CALLS;
    }
    sink += acc;
    qsort(t, BATCHES, sizeof t[0], cmp_double);
    return t[BATCHES / 2];
}

/* ---- Matmul: built-in against BLAS -------------------------------------- */

typedef struct mm_case {
    int64_t m, k, n;
    float *a, *b, *bias, *out;
} mm_case;

static double run_mm_builtin(void *ctx)
{
    mm_case *c = ctx;
    sc_matmul_builtin(c->a, c->b, c->bias, c->out, c->m, c->k, c->n);
    return c->out[0];
}

#if defined(SC_HAVE_CBLAS)
static double run_mm_blas(void *ctx)
{
    mm_case *c = ctx;
    for (int64_t i = 0; i < c->m; i++)
        memcpy(c->out + i * c->n, c->bias, (size_t)c->n * sizeof(float));
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)c->m, (int)c->n,
                (int)c->k, 1.0f, c->a, (int)c->k, c->b, (int)c->n, 1.0f, c->out,
                (int)c->n);
    return c->out[0];
}
#endif

static void bench_matmul(int reps)
{
    static const int64_t sizes[][3] = {
        {2, 3, 4},    {8, 8, 8},      {16, 16, 16},     {32, 32, 32},
        {64, 64, 64}, {64, 784, 128}, {1024, 768, 768}, {1024, 768, 3072}};
#if defined(SC_HAVE_CBLAS)
    openblas_set_num_threads(1);
    printf("\nsc_matmul, 1 thread: built-in loop vs OpenBLAS cblas_sgemm "
           "(GFLOP/s)\n");
#else
    printf("\nsc_matmul, 1 thread: built-in loop (built without BLAS)\n");
#endif
    for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
        mm_case c = {sizes[s][0], sizes[s][1], sizes[s][2], 0, 0, 0, 0};
        c.a = alloc_touched((size_t)(c.m * c.k) * sizeof(float));
        c.b = alloc_touched((size_t)(c.k * c.n) * sizeof(float));
        c.bias = alloc_touched((size_t)c.n * sizeof(float));
        c.out = alloc_touched((size_t)(c.m * c.n) * sizeof(float));
        for (int64_t i = 0; i < c.m * c.k; i++)
            c.a[i] = random_logit();
        for (int64_t i = 0; i < c.k * c.n; i++)
            c.b[i] = random_logit();
        double flop = 2.0 * (double)(c.m * c.k * c.n);
        int r = flop < 1e7 ? 63 : reps;
        double tb = time_median(run_mm_builtin, &c, r);
        printf("  [%lld, %lld] x [%lld, %lld]  built-in %8.2f", (long long)c.m,
               (long long)c.k, (long long)c.k, (long long)c.n, flop / tb / 1e6);
#if defined(SC_HAVE_CBLAS)
        double tl = time_median(run_mm_blas, &c, r);
        printf("  OpenBLAS %8.2f  -> %s (%.1fx)", flop / tl / 1e6,
               tl < tb ? "BLAS" : "built-in", tl < tb ? tb / tl : tl / tb);
#endif
        printf("\n");
        free(c.a);
        free(c.b);
        free(c.bias);
        free(c.out);
    }
}

/* ---- Report ----------------------------------------------------------- */

typedef struct options {
    int64_t n, c;
    int reps;
    int tables_only; /* --tables-only: the two tables, for thread counts */
} options;

static void usage(void)
{
    fprintf(stderr, "usage: ce_bench [--rows N] [--cols C] [--reps R] "
                    "[--tables-only]\n");
    exit(2);
}

static options parse_args(int argc, char **argv)
{
    options o = {1024, 50257, 9, 0};
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--tables-only") == 0) {
            o.tables_only = 1;
            continue;
        }
        if (i + 1 >= argc)
            usage();
        const char *opt = argv[i], *val = argv[++i];
        if (strcmp(opt, "--rows") == 0)
            o.n = atoll(val);
        else if (strcmp(opt, "--cols") == 0)
            o.c = atoll(val);
        else if (strcmp(opt, "--reps") == 0)
            o.reps = atoi(val);
        else
            usage();
    }
    if (o.n < 1 || o.c < 1 || o.reps < 1)
        usage();
    return o;
}

/* The medians of one round-robin run of the six contenders. */
typedef struct results {
    double read, base, fwd;    /* forward: bound, baseline, library */
    double copy, base_b, bwd;  /* backward: the same */
    double loss_sc, loss_base; /* the forward's answers */
} results;

static results measure(problem *p, int reps)
{
    entry e[] = {
        {run_read_bound, p, {0}, 0},        {run_baseline_forward, p, {0}, 0},
        {run_sc_forward, p, {0}, 0},        {run_copy_bound, p, {0}, 0},
        {run_baseline_backward, p, {0}, 0}, {run_sc_backward, p, {0}, 0},
    };
    time_rounds(e, 6, reps);
    results r = {
        e[0].median, e[1].median, e[2].median,       e[3].median,
        e[4].median, e[5].median, run_sc_forward(p), run_baseline_forward(p)};
    return r;
}

/* One line of a table: NAME, T ms for MB megabytes, against BASE and
   BOUND (0: not shown). */
static void row(const char *name, double t, double mb, double base,
                double bound)
{
    char vs_base[16] = "", vs_bound[16] = "";
    if (base > 0)
        snprintf(vs_base, sizeof vs_base, "%.2fx", base / t);
    if (bound > 0)
        snprintf(vs_bound, sizeof vs_bound, "%.0f%%", 100 * bound / t);
    printf("%-44s %9.2f %8.2f %10s %9s\n", name, t, mb / t, vs_base, vs_bound);
}

static void header(const char *title)
{
    printf("%-44s %9s %8s %10s %9s\n", title, "ms", "GB/s", "vs 2-pass",
           "vs bound");
}

/* The forward's line for every other instruction-set variant, each with
   its own read bound measured alongside (the library picks the best). */
static void other_variants(problem *p, int reps, double mb, double base)
{
    static const char *const variants[] = {"avx512", "avx2", "generic"};
    const char *best = sc_simd()->name;
    for (size_t v = 0; v < sizeof variants / sizeof variants[0]; v++) {
        if (strcmp(variants[v], best) == 0 || sc_simd_force(variants[v]))
            continue;
        entry ev[2] = {{run_read_bound, p, {0}, 0},
                       {run_sc_forward, p, {0}, 0}};
        time_rounds(ev, 2, reps);
        char label[64];
        snprintf(label, sizeof label, "  sc_cross_entropy, %s kernels",
                 variants[v]);
        row(label, ev[1].median, mb, base, ev[0].median);
    }
    sc_simd_force(NULL);
}

static void print_tables(problem *p, const options *o, const results *r)
{
    double mb = (double)(p->n * p->c) * 4 / 1e6;
    header("forward");
    row("read bound (plain summing loop)", r->read, mb, 0, r->read);
    row("two-pass baseline (softmax buffer, loss)", r->base, mb, r->base,
        r->read);
    row("sc_cross_entropy", r->fwd, mb, r->base, r->read);
    if (!o->tables_only)
        other_variants(p, o->reps, mb, r->base);
    printf("  loss: sc %.6f, baseline %.6f\n\n", r->loss_sc, r->loss_base);
    header("backward (loss and gradient)");
    row("read+write bound (copy loop)", r->copy, 2 * mb, 0, r->copy);
    row("two-pass baseline (softmax buffer, grad)", r->base_b, 2 * mb,
        r->base_b, r->copy);
    row("sc_cross_entropy_backward (fused)", r->bwd, 2 * mb, r->base_b,
        r->copy);
}

static int verdict(const char *what, int pass)
{
    printf("  %-56s %s\n", what, pass ? "PASS" : "FAIL");
    return pass;
}

/* The targets of docs/runtime.md; true when all pass. */
static int print_targets(const results *r, double tiny, double checks)
{
    char what[96];
    int ok = 1;
    printf("\ntargets\n");
    snprintf(what, sizeof what, "forward >= 2x the two-pass baseline (%.1fx)",
             r->base / r->fwd);
    ok &= verdict(what, r->base / r->fwd >= 2.0);
    snprintf(what, sizeof what, "forward >= 70%% of the read bound (%.0f%%)",
             100 * r->read / r->fwd);
    ok &= verdict(what, r->read / r->fwd >= 0.70);
    snprintf(what, sizeof what, "tiny call: checks < 100 ns (%.1f ns)", checks);
    ok &= verdict(what, checks < 100.0);
    snprintf(what, sizeof what, "tiny call: whole call < 100 ns (%.1f ns)",
             tiny);
    ok &= verdict(what, tiny < 100.0);
    snprintf(what, sizeof what, "loss agrees with the baseline (%.2g)",
             fabs(r->loss_sc - r->loss_base));
    ok &= verdict(what,
                  fabs(r->loss_sc - r->loss_base) <= 1e-4 * fabs(r->loss_base));
    return ok;
}

int main(int argc, char **argv)
{
    options o = parse_args(argc, argv);
    problem p;
    problem_init(&p, o.n, o.c);
    int threads = 1;
#if defined(_OPENMP)
    threads = omp_get_max_threads();
#endif
    printf("ce_bench: logits [%lld, %lld] float32 (%.1f MB), int32 labels; "
           "library on %d thread%s (baseline and bounds on 1); median of %d "
           "runs\nrow kernels: %s (the best this CPU runs)\n\n",
           (long long)o.n, (long long)o.c, (double)(o.n * o.c) * 4 / 1e6,
           threads, threads > 1 ? "s" : "", o.reps, sc_simd()->name);
    results r = measure(&p, o.reps);
    print_tables(&p, &o, &r);
    int ok = 1;
    if (!o.tables_only) {
        double tiny = tiny_call_ns(0), checks = tiny_call_ns(1);
        printf("\ntiny call sc_cross_entropy [1, 2]: %.1f ns in all, of "
               "which %.1f ns of argument checks\n",
               tiny, checks);
        bench_matmul(o.reps < 5 ? o.reps : 5);
        ok = print_targets(&r, tiny, checks);
    }
    problem_free(&p);
    return ok ? 0 : 1;
}
