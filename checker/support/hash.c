/*
 * hash.c - FNV-1a, 64 bits, a byte at a time: simple, and fast enough for
 * the sizes it sees (facts files and headers of a few megabytes).
 */
#include "hash.h"

#include <stdio.h>
#include <string.h>

uint64_t sc_hash(uint64_t h, const void *data, size_t size)
{
    const unsigned char *p = data;
    for (size_t i = 0; i < size; i++)
        h = (h ^ p[i]) * 1099511628211ull;
    return h;
}

uint64_t sc_hash_str(uint64_t h, const char *s)
{
    return s ? sc_hash(h, s, strlen(s) + 1) : sc_hash(h, "", 1);
}

bool sc_hash_file(const char *path, uint64_t *out)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return false;
    uint64_t h = SC_HASH_SEED;
    unsigned char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        h = sc_hash(h, buf, n);
    bool ok = !ferror(f);
    fclose(f);
    *out = h;
    return ok;
}
