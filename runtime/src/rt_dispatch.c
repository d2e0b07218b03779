/*
 * rt_dispatch.c - picks the row kernels for the CPU the program runs on,
 * once, so that the library is built for the baseline instruction set and
 * still uses AVX2 or AVX-512 where they exist.
 */
#include "rt_internal.h"

#include <stdatomic.h>
#include <string.h>

/* NULL until the first kernel asks; every thread computes the same answer,
   so a race only repeats the (cheap, pure) choice. */
static _Atomic(const sc_simd_ops *) chosen;

static const sc_simd_ops *const variants[] = {
#if defined(SC_HAVE_AVX512)
    &sc_simd_avx512,
#endif
#if defined(SC_HAVE_AVX2)
    &sc_simd_avx2,
#endif
    &sc_simd_generic,
};

/* True when this CPU (and its OS, which must save the wider registers)
   runs OPS. */
static int cpu_runs(const sc_simd_ops *ops)
{
#if defined(SC_HAVE_AVX2) || defined(SC_HAVE_AVX512)
    __builtin_cpu_init();
#endif
#if defined(SC_HAVE_AVX512)
    if (ops == &sc_simd_avx512)
        return __builtin_cpu_supports("avx512f") &&
               __builtin_cpu_supports("fma");
#endif
#if defined(SC_HAVE_AVX2)
    if (ops == &sc_simd_avx2)
        return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#endif
    return ops == &sc_simd_generic;
}

/* The first variant, widest first, that this CPU runs. */
static const sc_simd_ops *best(void)
{
    for (size_t i = 0; i < sizeof variants / sizeof variants[0]; i++)
        if (cpu_runs(variants[i]))
            return variants[i];
    return &sc_simd_generic;
}

const sc_simd_ops *sc_simd(void)
{
    const sc_simd_ops *ops =
        atomic_load_explicit(&chosen, memory_order_acquire);
    if (!ops) {
        ops = best();
        atomic_store_explicit(&chosen, ops, memory_order_release);
    }
    return ops;
}

int sc_simd_force(const char *name)
{
    if (!name) {
        atomic_store(&chosen, best());
        return 0;
    }
    for (size_t i = 0; i < sizeof variants / sizeof variants[0]; i++) {
        if (strcmp(variants[i]->name, name) == 0 && cpu_runs(variants[i])) {
            atomic_store(&chosen, variants[i]);
            return 0;
        }
    }
    return -1;
}
