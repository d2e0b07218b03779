/*
 * rt_simd_generic.c - the row kernels for the compiler's baseline
 * instruction set (SSE2 on x86-64; whatever the target has elsewhere), so
 * that every CPU has a variant.  16-byte vectors: native on every x86-64.
 */
#define SC_VEC_BYTES 16
#define SC_OPS sc_simd_generic
#define SC_OPS_NAME "generic"
#include "rt_simd.inc"
