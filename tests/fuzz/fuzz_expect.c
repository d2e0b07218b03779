/*
 * fuzz_expect.c - the runtime library's shape assertions: sc_bind,
 * sc_expect and sc_expect_dims (runtime/include/shapecheck_rt.h).
 *
 * Input: a header byte (rank and options), RANK sizes of 8 bytes each
 * (taken modulo a small bound when the option says so, so that matches
 * happen), then one or more shape texts, one per line, asserted in turn on
 * one scope; a line "=NAME VALUE" binds NAME with sc_bind instead.
 * Properties:
 *  - every call returns one of the documented statuses;
 *  - a failed call leaves the scope as it was, byte for byte, and leaves
 *    a message in sc_last_error(); a successful one leaves "" or keeps
 *    at most SC_SCOPE_MAX bindings, each a NUL-terminated name with a
 *    value >= 0.
 */
#include "fuzz.h"

#include <dlpack/dlpack.h>

#include "shapecheck_rt.h"

#define MAX_RANK 12
#define MAX_LINES 8

static void check_scope(const sc_scope *s)
{
    FUZZ_CHECK(s->count >= 0 && s->count <= SC_SCOPE_MAX);
    for (int i = 0; i < s->count; i++) {
        const sc_binding *b = &s->bindings[i];
        FUZZ_CHECK(fuzz_terminated(b->symbol, sizeof b->symbol));
        FUZZ_CHECK(fuzz_terminated(b->bound_by, sizeof b->bound_by));
        FUZZ_CHECK(b->symbol[0] != '\0');
        FUZZ_CHECK(b->value >= 0);
    }
}

/* What every call must leave behind, given the scope before it. */
static void check_after(sc_status st, const sc_scope *before,
                        const sc_scope *after)
{
    FUZZ_CHECK(st == SC_OK || st == SC_ERR_SHAPE || st == SC_ERR_ARG ||
               st == SC_ERR_NOMEM);
    const char *msg = sc_last_error();
    FUZZ_CHECK(msg != NULL);
    if (st != SC_OK) {
        FUZZ_CHECK(msg[0] != '\0');
        FUZZ_CHECK(memcmp(before, after, sizeof *before) == 0);
    }
    check_scope(after);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    int rank = data[0] % (MAX_RANK + 1);
    bool small = data[0] & 0x80; /* sizes modulo 8: more of them match */
    bool as_tensor = data[0] & 0x40;
    data++, size--;
    int64_t dims[MAX_RANK + 1];
    for (int i = 0; i < rank; i++) {
        uint64_t v = 0;
        for (int k = 0; k < 8; k++)
            v = v << 8 | (size ? (data++, size--, data[-1]) : 0);
        dims[i] = small ? (int64_t)(v % 8) : (int64_t)v;
    }
    char *text = fuzz_text(data, size);
    char *line[MAX_LINES];
    size_t n = fuzz_split(text, '\n', line, MAX_LINES);

    float element = 0;
    DLTensor t = {.data = &element,
                  .device = {kDLCPU, 0},
                  .ndim = rank,
                  .dtype = {kDLFloat, 32, 1},
                  .shape = dims,
                  .strides = NULL,
                  .byte_offset = 0};
    sc_scope s, before;
    memset(&s, 0, sizeof s); /* padding too: the scope is compared bytewise */
    sc_scope_init(&s);
    for (size_t i = 0; i < n; i++) {
        before = s;
        sc_status st;
        if (line[i][0] == '=') {
            char *name = line[i] + 1, *value = strchr(name, ' ');
            if (value)
                *value++ = '\0';
            st = sc_bind(&s, name, value ? strtoll(value, NULL, 10) : 0);
        } else if (as_tensor) {
            st = sc_expect(&s, "t", &t, line[i]);
        } else {
            st = sc_expect_dims(&s, "dims", dims, rank, line[i]);
        }
        check_after(st, &before, &s);
        int64_t v;
        if (s.count)
            FUZZ_CHECK(sc_scope_get(&s, s.bindings[0].symbol, &v) &&
                       v == s.bindings[0].value);
    }
    free(text);
    return 0;
}
