/*
 * A tiny language model trained with the runtime library as a real
 * trainer's kernels, the way docs/runtime.md's porting guide replaces
 * llm.c's three CPU loss functions (softmax_forward, crossentropy_forward,
 * crossentropy_softmax_backward) by two calls:
 *   - the vocabulary is padded, V = 27 (a-z and space) in rows of VP = 32,
 *     as llm.c pads 50257 to 50304: the logits are an [N, V] view of the
 *     [N, VP] buffer (sc_view_f32_rows), and the padding holds NaN, which
 *     nothing reads;
 *   - the forward is sc_cross_entropy_per_sample (each position's loss);
 *   - the backward is sc_cross_entropy_backward_ex with the upstream
 *     dlosses (1/N each: the mean loss), accumulating into the gradient
 *     buffer the step zeroed, whose padding stays 0;
 *   - failures abort with their message (sc_abort_on_error), as llm.c's
 *     own checks do.
 * The model: an embedding table and an output head, logits = wte[token] x
 * head (sc_matmul on padded rows), trained by SGD on a short text to
 * predict the next character.  The run fails unless the loss falls by a
 * third and stays finite.
 */
// link-libraries: shapecheck_rt
// expected-no-diagnostics
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "shapecheck_rt.h"

#define V 27  /* vocabulary: a-z and space */
#define VP 32 /* padded vocabulary, the logits' row stride */
#define D 16  /* embedding width */
#define N 64  /* positions per step */
#define STEPS 200

static const char text[] =
    "the cat sat on the mat and the dog sat on the log while the cat "
    "and the dog ran to the park and back to the mat where the cat sat "
    "on the dog and the dog sat on the log and the cat ran to the park";

typedef struct model {
    float wte[V][D];   /* token embeddings */
    float head[D][VP]; /* output projection; columns V..VP never used */
    float dwte[V][D];
    float dhead[D][VP];
} model;

typedef struct acts {
    int32_t inputs[N], targets[N];
    float h[N][D];        /* embeddings of the inputs */
    float logits[N][VP];  /* [N, V] rows, NaN in the padding */
    float losses[N];      /* per position */
    float dlosses[N];     /* 1/N: the mean loss */
    float dlogits[N][VP]; /* zeroed each step, accumulated into */
    float dh[N][D];
} acts;

/* The library's views of the buffers, built once in place (an sc_view
   points into itself: never copied). */
typedef struct views {
    sc_view h, head, logits, targets, losses, dlosses, dlogits;
} views;

static int token_of(char c)
{
    return c == ' ' ? 26 : c - 'a';
}

/* Deterministic small weights, so that every run trains the same way. */
static float small_random(unsigned *state)
{
    *state = *state * 1664525u + 1013904223u;
    return ((float)(*state >> 8) / 16777216.0f - 0.5f) * 0.2f;
}

static void model_init(model *m)
{
    unsigned state = 12345;
    for (int i = 0; i < V; i++)
        for (int d = 0; d < D; d++)
            m->wte[i][d] = small_random(&state);
    for (int d = 0; d < D; d++)
        for (int j = 0; j < VP; j++)
            m->head[d][j] = j < V ? small_random(&state) : 0.0f;
}

/* N characters from OFFSET as inputs, each next one as the target. */
static void load_batch(acts *a, int offset)
{
    for (int i = 0; i < N; i++) {
        a->inputs[i] = token_of(text[offset + i]);
        a->targets[i] = token_of(text[offset + i + 1]);
    }
}

/* H [n, D] = the rows of WTE [V, D] that TOKENS name. */
static void embed(const float *wte SHAPE(V, D), const int32_t *tokens SHAPE(n),
                  int n, float *h SHAPE(n, D))
{
    for (int i = 0; i < n; i++)
        memcpy(h + i * D, wte + tokens[i] * D, D * sizeof *h);
}

/* The mean of LOSSES, the per-position losses of LOGITS against TARGETS. */
static float mean_loss(const DLTensor *logits SHAPE(B, C),
                       const DLTensor *targets SHAPE(B),
                       DLTensor *losses SHAPE(B), const float *values, int n)
    SHAPE_LOSS(logits, targets);

static float mean_loss(const DLTensor *logits, const DLTensor *targets,
                       DLTensor *losses, const float *values, int n)
{
    sc_cross_entropy_per_sample(logits, targets, losses);
    double sum = 0;
    for (int i = 0; i < n; i++)
        sum += values[i];
    return (float)(sum / n);
}

static void views_init(views *v, model *m, acts *a)
{
    sc_view_f32_2d(&v->h, &a->h[0][0], N, D);
    sc_view_f32_rows(&v->head, &m->head[0][0], D, V, VP);
    sc_view_f32_rows(&v->logits, &a->logits[0][0], N, V, VP);
    sc_view_i32_1d(&v->targets, a->targets, N);
    sc_view_f32_1d(&v->losses, a->losses, N);
    sc_view_f32_1d(&v->dlosses, a->dlosses, N);
    sc_view_f32_rows(&v->dlogits, &a->dlogits[0][0], N, V, VP);
}

/* The forward pass: embeddings, logits, the mean loss. */
static float forward(model *m, acts *a, views *v)
{
    embed(&m->wte[0][0], a->inputs, N, &a->h[0][0]);
    sc_matmul(&v->h.tensor, &v->head.tensor, NULL, &v->logits.tensor);
    return mean_loss(&v->logits.tensor, &v->targets.tensor, &v->losses.tensor,
                     a->losses, N);
}

/* The backward pass into the gradients, zeroed first (llm.c's
   zero_grad): the loss's in one call, then the head's and the
   embeddings'. */
static void backward(model *m, acts *a, views *v)
{
    memset(a->dlogits, 0, sizeof a->dlogits);
    memset(m->dhead, 0, sizeof m->dhead);
    memset(m->dwte, 0, sizeof m->dwte);
    for (int i = 0; i < N; i++)
        a->dlosses[i] = 1.0f / N;
    sc_cross_entropy_backward_ex(&v->logits.tensor, &v->targets.tensor,
                                 &v->dlosses.tensor, &v->dlogits.tensor,
                                 SC_GRAD_ACCUMULATE, NULL);
    for (int i = 0; i < N; i++)
        for (int d = 0; d < D; d++) {
            float dh = 0;
            for (int j = 0; j < V; j++) {
                m->dhead[d][j] += a->h[i][d] * a->dlogits[i][j];
                dh += a->dlogits[i][j] * m->head[d][j];
            }
            a->dh[i][d] = dh;
            m->dwte[a->inputs[i]][d] += dh;
        }
}

static void update(model *m, float lr)
{
    for (int i = 0; i < V; i++)
        for (int d = 0; d < D; d++)
            m->wte[i][d] -= lr * m->dwte[i][d];
    for (int d = 0; d < D; d++)
        for (int j = 0; j < V; j++)
            m->head[d][j] -= lr * m->dhead[d][j];
}

int main(void)
{
    static model m;
    static acts a;
    static views v;
    sc_set_error_handler(sc_abort_on_error, NULL);
    model_init(&m);
    for (int i = 0; i < N; i++)
        for (int j = V; j < VP; j++)
            a.logits[i][j] = NAN; /* never read */
    views_init(&v, &m, &a);

    int span = (int)sizeof text - 2 - N;
    float first = 0, loss = 0;
    for (int step = 0; step < STEPS; step++) {
        load_batch(&a, (step * 37) % span);
        loss = forward(&m, &a, &v);
        if (step == 0)
            first = loss;
        backward(&m, &a, &v);
        update(&m, 1.0f);
        if (step % 50 == 0)
            printf("step %d: loss %.4f\n", step, (double)loss);
    }
    for (int i = 0; i < N; i++)
        for (int j = V; j < VP; j++)
            if (a.dlogits[i][j] != 0.0f)
                return 1; /* the padding was written */
    printf("loss %.4f -> %.4f\n", (double)first, (double)loss);
    return isfinite(loss) && loss < first * 2 / 3 ? 0 : 1;
}
