/*
 * dim_excerpt.c - annotation text quoted in messages (dim.h: dim_excerpt),
 * shared by the checker's diagnostics and the runtime library's
 * sc_expect/sc_bind messages.  Apart from dim.c so that it needs nothing
 * but the C library.
 */
#include "dim.h"

#include <string.h>

const char *dim_excerpt(char buf[DIM_EXCERPT_MAX + 1], const char *text)
{
    if (strlen(text) <= DIM_EXCERPT_MAX)
        return text;
    memcpy(buf, text, DIM_EXCERPT_MAX - 3);
    memcpy(buf + DIM_EXCERPT_MAX - 3, "...", 4);
    return buf;
}
