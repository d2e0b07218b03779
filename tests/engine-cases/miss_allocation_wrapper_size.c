/*
 * Issue 10, found on an annotated copy of llm.c's train_gpt2.c: its
 * buffers come from mallocCheck (llmc/utils.h: malloc_check, a void *
 * wrapper that exits on NULL), so "gen_tokens = (int *)mallocCheck(B / 2
 * * T * sizeof(int))" then gpt2_forward(gen_tokens, B, T) was silent,
 * though the same with malloc is an error.  The wrapper's summary now
 * says how many bytes its fresh result holds (returns_bytes: its
 * parameter size), and the call site knows the extent.
 *
 * The controls stay silent: a wrapper whose returns hold different sizes
 * (pick_alloc: size or twice size) says nothing of its bytes, nor does one
 * that may return memory it did not allocate (cached_alloc: its static
 * pool, an array, which the summary took for no return at all and so
 * called the result fresh, before this case).
 *
 * malloc_check is not static, so that its summary ("returns_bytes":
 * "size") is written and read back by integration.summaries_read_back.
 *
 * SPEC 4: an argument that holds fewer elements than its parameter's
 * shape reads is shape-mismatch; docs/memory-model.md, "Calls".
 *
 *   shapecheck --verify tests/engine-cases/miss_allocation_wrapper_size.c
 */
#include <stdio.h>
#include <stdlib.h>

#include "shapecheck.h"

void forward(int *inputs SHAPE(B, T), int B, int T);

void *malloc_check(size_t size, const char *file, int line)
{
    void *ptr = malloc(size);
    if (ptr == NULL) {
        fprintf(stderr, "Error: Memory allocation failed at %s:%d\n", file,
                line);
        exit(EXIT_FAILURE);
    }
    return ptr;
}
#define mallocCheck(size) malloc_check(size, __FILE__, __LINE__)

static void *pick_alloc(size_t size, int twice)
{
    if (twice)
        return malloc(2 * size);
    return malloc(size);
}

static int pool[1024];

static void *cached_alloc(size_t size, int fresh)
{
    if (!fresh)
        return pool;
    return malloc(size);
}

void generate(int B, int T, int twice, int fresh)
{
    int *gen_tokens = (int *)mallocCheck((size_t)(B / 2 * T) * sizeof(int));
    forward(gen_tokens, B, T); // expected-error {{'gen_tokens' has shape [T*(B/2)] (T*(B/2) elements) but parameter 'inputs' of 'forward' expects [B, T] (B*T elements) [shape-mismatch]}}
    // expected-note@61 {{'gen_tokens' holds [T*(B/2)] elements, allocated by 'malloc_check'}}
    // expected-note@29 {{parameter 'inputs' of 'forward' declared with shape [B, T]}}
    int *a = (int *)pick_alloc((size_t)(B / 2 * T) * sizeof(int), twice);
    forward(a, B, T);
    int *b = (int *)cached_alloc((size_t)(B / 2 * T) * sizeof(int), fresh);
    forward(b, B, T);
}
