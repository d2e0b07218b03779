/*
 * fuzz.h - what every harness in tests/fuzz shares.
 *
 * Each harness is one LLVMFuzzerTestOneInput().  Built with clang and
 * -fsanitize=fuzzer (cmake -DSHAPECHECK_FUZZ=ON, tests/fuzz/run.sh) it is a
 * libFuzzer program; built by the ordinary test build it is linked with
 * replay.c instead and runs its seed corpus (and every input a past run
 * found worth keeping there) as a regression test.
 *
 * A harness checks properties with FUZZ_CHECK: a broken one aborts, which
 * libFuzzer reports as a crash with the input that caused it.
 */
#ifndef SHAPECHECK_FUZZ_H
#define SHAPECHECK_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Aborts with a message naming the property when COND is false. */
#define FUZZ_CHECK(cond)                                                       \
    do {                                                                       \
        if (!(cond)) {                                                         \
            fprintf(stderr, "%s:%d: property failed: %s\n", __FILE__,          \
                    __LINE__, #cond);                                          \
            abort();                                                           \
        }                                                                      \
    } while (0)

/* DATA[0..SIZE) as a NUL-terminated malloc'd string (an embedded NUL ends
   it early, as it would for any C string the code is given). */
static inline char *fuzz_text(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (!s)
        abort();
    if (size)
        memcpy(s, data, size);
    s[size] = '\0';
    return s;
}

/* Splits TEXT in place at each SEP into at most MAX fields; returns how
   many.  Fields past the last separator's count are left untouched. */
static inline size_t fuzz_split(char *text, char sep, char **fields, size_t max)
{
    size_t n = 0;
    char *p = text;
    while (n < max) {
        fields[n++] = p;
        char *q = strchr(p, sep);
        if (!q)
            break;
        *q = '\0';
        p = q + 1;
    }
    return n;
}

/* A stream that discards what is written (the writers are exercised, their
   output is not the point). */
static inline FILE *fuzz_null_stream(void)
{
    static FILE *null;
    if (!null)
        null = fopen("/dev/null", "w");
    if (!null)
        abort();
    return null;
}

/* Whether S is a NUL-terminated string within its SIZE bytes. */
static inline int fuzz_terminated(const char *s, size_t size)
{
    return memchr(s, '\0', size) != NULL;
}

#endif /* SHAPECHECK_FUZZ_H */
