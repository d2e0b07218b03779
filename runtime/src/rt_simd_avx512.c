/*
 * rt_simd_avx512.c - the row kernels for AVX-512F (Skylake-SP and later),
 * built with -mavx512f -mfma -ffp-contract=fast; used only when the CPU
 * reports AVX-512F (rt_dispatch.c).
 */
#define SC_VEC_BYTES 64
#define SC_OPS sc_simd_avx512
#define SC_OPS_NAME "avx512"
#include "rt_simd.inc"
