/*
 * rt_simd_avx2.c - the row kernels for AVX2 with FMA (Haswell and later),
 * built with -mavx2 -mfma -ffp-contract=fast; used only when the CPU
 * reports both (rt_dispatch.c).
 */
#define SC_VEC_BYTES 32
#define SC_OPS sc_simd_avx2
#define SC_OPS_NAME "avx2"
#include "rt_simd.inc"
