/*
 * ce_ref.c - the reference loops of a C trainer's loss, written the usual
 * way (as llm.c's train_gpt2.c CPU code does): the softmax of every row
 * into a probs buffer, each row's loss from it, the backward from it.
 * Built as users build them, -Ofast -march=native (glibc's vector expf),
 * with the softmax's rows across OpenMP threads when the bench has OpenMP.
 * Never part of the library; the baseline bench/ce_bench.c measures it
 * against.
 */
#include "ce_baselines.h"

#include <math.h>
#include <stddef.h>

void ref_softmax(float *probs, const float *logits, int n, int v, int vp)
{
#if defined(_OPENMP)
#pragma omp parallel for
#endif
    for (int i = 0; i < n; i++) {
        const float *x = logits + (size_t)i * vp;
        float *p = probs + (size_t)i * vp;
        /* Finite (-Ofast assumes no infinities), below any real logit. */
        float maxval = -10000.0f;
        for (int j = 0; j < v; j++)
            if (x[j] > maxval)
                maxval = x[j];
        float sum = 0.0f;
        for (int j = 0; j < v; j++) {
            p[j] = expf(x[j] - maxval);
            sum += p[j];
        }
        for (int j = 0; j < v; j++)
            p[j] /= sum;
        for (int j = v; j < vp; j++)
            p[j] = 0.0f;
    }
}

void ref_losses(float *losses, const float *probs, const int *targets, int n,
                int vp)
{
    for (int i = 0; i < n; i++)
        losses[i] = -logf(probs[(size_t)i * vp + targets[i]]);
}

void ref_backward(float *dlogits, const float *dlosses, const float *probs,
                  const int *targets, int n, int v, int vp)
{
    for (int i = 0; i < n; i++) {
        float *g = dlogits + (size_t)i * vp;
        const float *p = probs + (size_t)i * vp;
        float dloss = dlosses[i];
        int ix = targets[i];
        for (int j = 0; j < v; j++) {
            float indicator = j == ix ? 1.0f : 0.0f;
            g[j] += (p[j] - indicator) * dloss;
        }
    }
}
