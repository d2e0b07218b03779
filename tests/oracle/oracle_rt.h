/*
 * oracle_rt.h - what a program of the differential oracle (tests/oracle,
 * docs/oracle.md) calls besides its annotated kernels: buffers are
 * allocated or registered here with the dims the generator knows they have
 * (their extent), and each annotated call names its source line first, so
 * that the kernel, on entry, can print whether this call's shapes matched
 * (SPEC section 4) as
 *
 *     ORACLE <line> match|mismatch|unknown [extent-batch-differs] [observed-differs]
 *
 * The kernels (kernels.c) and the matching rule (oracle_rt.c) are compiled
 * separately: the checker only ever sees the generated program and these
 * declarations, which take no shaped arguments.
 */
#ifndef ORACLE_RT_H
#define ORACLE_RT_H

#include <stddef.h>

/* A zeroed block of ELEM-byte elements with RANK dims (the `long`s that
   follow), registered as that extent.  Never NULL (aborts when out of
   memory); kept until exit, so never reported as a leak. */
void *oracle_alloc(size_t elem, int rank, ...);

/* An unannotated scratch buffer of COUNT zeroed ELEM-byte elements: its
   extent is flat, and it has no declared shape (the checker infers one
   from the calls it meets: the ORACLE lines flag reads that disagree with
   that "observed" shape).  Kept until exit. */
void *oracle_scratch(size_t elem, long count);

/* Registers an existing array (stack, static or a struct member) of
   ELEM-byte elements as the extent of RANK dims given as `long`s, and
   zeroes it.  Replaces any registration it overlaps (a dead stack frame's). */
void oracle_reg(void *p, size_t elem, int rank, ...);

/* The source line of the next annotated call (a kernel reports under it). */
void oracle_at(int line);

/* Around a call of a generated function that makes annotated calls: the
   call at LINE matched when every annotated call made inside it matched
   (printed at oracle_leave).  Nests. */
void oracle_enter(int line);
void oracle_leave(void);

/* argv[i] as a size, or DEFAULT when absent. */
int oracle_arg(int argc, char **argv, int i, int dflt);

#endif /* ORACLE_RT_H */
