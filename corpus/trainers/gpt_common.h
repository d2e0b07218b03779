/*
 * gpt_common.h - a GPT-style model in the manner of reference C trainers
 * (one flat buffer per activation, sizes travelling in a config struct),
 * shared by gpt_trainer.c and gpt_trainer_ok.c.  Nothing here is
 * annotated but the kernels of tinyml.h: the helpers' bodies say what
 * shapes they need and make.
 */
#ifndef GPT_COMMON_H
#define GPT_COMMON_H

#include <stdlib.h>

#include "tinyml.h"

typedef struct {
    int B; /* batch size */
    int T; /* sequence length */
    int V; /* vocabulary size */
    int C; /* channels */
} GPTConfig;

typedef struct {
    GPTConfig config;
    float *wte; /* token embeddings */
    float *wout; /* output projection */
} GPT;

static inline int gpt_build(GPT *m, const GPTConfig *cfg)
{
    m->config = *cfg;
    m->wte = malloc(sizeof(float) * (size_t)cfg->V * (size_t)cfg->C);
    m->wout = malloc(sizeof(float) * (size_t)cfg->C * (size_t)cfg->V);
    if (!m->wte || !m->wout)
        return 0;
    fill_random(m->wte, cfg->V * cfg->C, 1);
    fill_random(m->wout, cfg->C * cfg->V, 2);
    return 1;
}

static inline void gpt_free(GPT *m)
{
    free(m->wte);
    free(m->wout);
}

/* Tokens for ROWS sequences of T positions, from a synthetic stream.  The
   one annotation a user adds: the loader's result. */
static inline int *load_tokens(const GPTConfig *cfg, int rows, int offset)
    RETURNS_SHAPE(rows * cfg->T);

static inline int *load_tokens(const GPTConfig *cfg, int rows, int offset)
{
    int *tokens = malloc(sizeof(int) * (size_t)rows * (size_t)cfg->T);
    if (!tokens)
        return NULL;
    for (int i = 0; i < rows * cfg->T; i++)
        tokens[i] = (i * 7 + offset) % cfg->V;
    return tokens;
}

/* logits[B*T, V] = embed(inputs) . wout */
static inline void gpt_forward(const GPT *m, const GPTConfig *cfg,
                               float *logits, const int *inputs)
{
    int rows = cfg->B * cfg->T;
    float *hidden = malloc(sizeof(float) * (size_t)rows * (size_t)cfg->C);
    if (!hidden)
        return;
    for (int i = 0; i < rows; i++)
        for (int c = 0; c < cfg->C; c++)
            hidden[i * cfg->C + c] = m->wte[inputs[i] * cfg->C + c];
    matmul(logits, hidden, m->wout, rows, cfg->C, cfg->V);
    free(hidden);
}

/* The mean loss over all B*T positions. */
static inline float gpt_loss(const GPTConfig *cfg, const float *logits,
                             const int *targets)
{
    return cross_entropy(logits, targets, cfg->B * cfg->T, cfg->V);
}

#endif /* GPT_COMMON_H */
