/*
 * libc.c - what the C library functions a training program calls may
 * change, so that a printf or a memcpy does not make the analysis forget
 * everything (a call with no summary may change all that others can
 * reach).  Only functions the program does not define itself are looked
 * up here.  A function missing from the table is unknown code.
 *
 * LIB_WRITES writes through its non-const pointer arguments (all of what
 * they reach); it keeps no pointer and touches no global of the program.
 * LIB_FILLS is LIB_WRITES whose written pointers point to memory the call
 * allocated (glob's gl_pathv, posix_memalign's block), never into the
 * program's own objects.
 * Output functions are pure as far as the program's values go (printf's
 * %n is not modelled: a program that uses it is unknown territory).
 */
#include <stdlib.h>
#include <string.h>

#include "walk.h"

typedef struct lib_row {
    const char *name;
    lib_effect effect;
} lib_row;

/* Sorted by name for bsearch. */
static const lib_row rows[] = {
    {"__assert_fail", LIB_NORETURN},
    {"_exit", LIB_NORETURN},
    {"abort", LIB_NORETURN},
    {"abs", LIB_PURE},
    {"acosf", LIB_PURE},
    {"aligned_alloc", LIB_ALLOC},
    {"asinf", LIB_PURE},
    {"atan2f", LIB_PURE},
    {"atanf", LIB_PURE},
    {"atof", LIB_PURE},
    {"atoi", LIB_PURE},
    {"atol", LIB_PURE},
    {"calloc", LIB_ALLOC},
    {"ceil", LIB_PURE},
    {"ceilf", LIB_PURE},
    {"clock", LIB_PURE},
    {"clock_gettime", LIB_WRITES},
    {"cos", LIB_PURE},
    {"cosf", LIB_PURE},
    {"cosh", LIB_PURE},
    {"coshf", LIB_PURE},
    {"erf", LIB_PURE},
    {"erff", LIB_PURE},
    {"exit", LIB_NORETURN},
    {"exp", LIB_PURE},
    {"expf", LIB_PURE},
    {"fabs", LIB_PURE},
    {"fabsf", LIB_PURE},
    {"fclose", LIB_PURE},
    {"feof", LIB_PURE},
    {"ferror", LIB_PURE},
    {"fflush", LIB_PURE},
    {"fgetc", LIB_PURE},
    {"fgets", LIB_WRITES},
    {"floor", LIB_PURE},
    {"floorf", LIB_PURE},
    {"fmaxf", LIB_PURE},
    {"fminf", LIB_PURE},
    {"fopen", LIB_ALLOC}, /* a FILE no program pointer aliases */
    {"fprintf", LIB_PURE},
    {"fputc", LIB_PURE},
    {"fputs", LIB_PURE},
    {"fread", LIB_WRITES},
    {"free", LIB_PURE},
    {"fscanf", LIB_WRITES},
    {"fseek", LIB_PURE},
    {"ftell", LIB_PURE},
    {"fwrite", LIB_PURE},
    {"getenv", LIB_PURE},
    {"glob", LIB_FILLS},
    {"globfree", LIB_WRITES},
    {"labs", LIB_PURE},
    {"log", LIB_PURE},
    {"logf", LIB_PURE},
    {"malloc", LIB_ALLOC},
    {"memcmp", LIB_PURE},
    {"memcpy", LIB_WRITES},
    {"memmove", LIB_WRITES},
    {"memset", LIB_WRITES},
    {"perror", LIB_PURE},
    {"posix_memalign", LIB_FILLS},
    {"pow", LIB_PURE},
    {"powf", LIB_PURE},
    {"printf", LIB_PURE},
    {"putchar", LIB_PURE},
    {"puts", LIB_PURE},
    {"rand", LIB_PURE},
    {"realloc", LIB_ALLOC},
    {"rewind", LIB_PURE},
    {"round", LIB_PURE},
    {"roundf", LIB_PURE},
    {"scanf", LIB_WRITES},
    {"sin", LIB_PURE},
    {"sinf", LIB_PURE},
    {"snprintf", LIB_WRITES},
    {"sprintf", LIB_WRITES},
    {"sqrt", LIB_PURE},
    {"sqrtf", LIB_PURE},
    {"srand", LIB_PURE},
    {"sscanf", LIB_WRITES},
    {"strchr", LIB_PURE},
    {"strcmp", LIB_PURE},
    {"strcpy", LIB_WRITES},
    {"strdup", LIB_ALLOC},
    {"strlen", LIB_PURE},
    {"strncmp", LIB_PURE},
    {"strncpy", LIB_WRITES},
    {"strrchr", LIB_PURE},
    {"strstr", LIB_PURE},
    {"strtod", LIB_WRITES},
    {"strtof", LIB_WRITES},
    {"strtol", LIB_WRITES},
    {"strtoul", LIB_WRITES},
    {"tan", LIB_PURE},
    {"tanf", LIB_PURE},
    {"tanh", LIB_PURE},
    {"tanhf", LIB_PURE},
    {"time", LIB_WRITES},
};

static int compare_row(const void *key, const void *row)
{
    return strcmp(key, ((const lib_row *)row)->name);
}

bool libc_model(const char *name, lib_effect *effect)
{
    const lib_row *r = bsearch(name, rows, sizeof rows / sizeof rows[0],
                               sizeof rows[0], compare_row);
    if (!r)
        return false;
    *effect = r->effect;
    return true;
}
