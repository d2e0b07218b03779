/*
 * ce_baselines.h - what bench/ce_bench.c compares the runtime library
 * with: the reference loops a C trainer would otherwise run (ce_ref.c,
 * built with -Ofast -march=native, as llm.c builds its CPU trainer) and
 * the memory bounds (ce_bound.c: plain loops over the same bytes).
 *
 * Every array is N rows of V floats (or ints) at a row stride of VP
 * floats: llm.c's [N, V] logits inside an [N, Vp] buffer.
 */
#ifndef SHAPECHECK_CE_BASELINES_H
#define SHAPECHECK_CE_BASELINES_H

#include <stdint.h>

/* ---- Reference loops (ce_ref.c) ---------------------------------------- */

/* PROBS = softmax of each row of LOGITS over its V columns; the padding
   columns of PROBS are set to 0. */
void ref_softmax(float *probs, const float *logits, int n, int v, int vp);

/* LOSSES[i] = -log probs[i, targets[i]]. */
void ref_losses(float *losses, const float *probs, const int *targets, int n,
                int vp);

/* DLOGITS[i, j] += (probs[i, j] - (j == targets[i])) * dlosses[i], for the
   V columns: the backward through softmax and cross-entropy from PROBS. */
void ref_backward(float *dlogits, const float *dlosses, const float *probs,
                  const int *targets, int n, int v, int vp);

/* ---- Memory bounds (ce_bound.c) ------------------------------------------ */

/* Reads every element of the view X: a sum of the bit patterns (integer
   addition vectorises; a float sum would be latency-bound). */
uint32_t bound_read(const float *x, int n, int v, int vp);

/* G = X over the view: a read and a write stream. */
void bound_copy(float *g, const float *x, int n, int v, int vp);

/* G += X over the view: two read streams and a write stream, the traffic
   of an accumulating backward. */
void bound_accumulate(float *g, const float *x, int n, int v, int vp);

#endif /* SHAPECHECK_CE_BASELINES_H */
