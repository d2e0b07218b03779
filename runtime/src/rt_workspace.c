/*
 * rt_workspace.c - scratch memory that kernels reuse from call to call:
 * one buffer per calling thread, grown when a call needs more, freed when
 * the thread exits.
 *
 * Why not malloc per call: the accumulating backward needs a few rows of
 * floats (hundreds of KB for a GPT-2 vocabulary); glibc serves each such
 * request with a fresh mmap, whose page faults cost several percent of a
 * call that is otherwise bound by memory bandwidth.
 */
#include "rt_internal.h"

#include <pthread.h>
#include <stdlib.h>

/* This thread's buffer and its size in floats. */
static _Thread_local float *buf;
static _Thread_local size_t buf_floats;

static pthread_key_t exit_key;
static pthread_once_t exit_once = PTHREAD_ONCE_INIT;

/* Run at the exit of a thread that had a buffer (the key's value). */
static void free_at_exit(void *p)
{
    free(p);
}

static void make_key(void)
{
    if (pthread_key_create(&exit_key, free_at_exit) != 0)
        exit_key = (pthread_key_t)-1; /* never freed: a leak, not a fault */
}

float *sc_workspace(size_t floats)
{
    if (floats <= buf_floats)
        return buf;
    if (floats > (SIZE_MAX - 63) / sizeof(float))
        return NULL;
    float *p = aligned_alloc(64, (floats * sizeof(float) + 63) / 64 * 64);
    if (!p)
        return NULL;
    pthread_once(&exit_once, make_key);
    free(buf);
    buf = p;
    buf_floats = floats;
    if (exit_key != (pthread_key_t)-1)
        pthread_setspecific(exit_key, p);
    return p;
}
