/*
 * rt_error.c - the error policy: a per-thread message, an optional
 * process-wide handler, the call sites that SC_CHECK records, and the
 * formatting of dims and dtypes in messages.
 *
 * The success path never touches any of this: a kernel that passes its
 * checks pays nothing here (the tiny-call budget is 100 ns).
 */
#include "rt_internal.h"

#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Large enough for two shapes of a few dims each, names and bindings. */
#define SC_MESSAGE_MAX 512

static _Thread_local char last_error[SC_MESSAGE_MAX];

/* Where the caller is, while an SC_CHECK'd call runs on this thread. */
static _Thread_local const char *site_file;
static _Thread_local int site_line;

/* Process-wide, set before threads start (the header says so); atomics
   keep a late change well defined all the same. */
static _Atomic(sc_error_handler) handler;
static _Atomic(void *) handler_user;

const char *sc_last_error(void)
{
    return last_error;
}

void sc_clear_error(void)
{
    last_error[0] = '\0';
}

const char *sc_status_name(sc_status status)
{
    switch (status) {
    case SC_OK:
        return "SC_OK";
    case SC_ERR_SHAPE:
        return "SC_ERR_SHAPE";
    case SC_ERR_DTYPE:
        return "SC_ERR_DTYPE";
    case SC_ERR_ARG:
        return "SC_ERR_ARG";
    case SC_ERR_NOMEM:
        return "SC_ERR_NOMEM";
    case SC_ERR_UNSUPPORTED:
        return "SC_ERR_UNSUPPORTED";
    }
    return "SC_ERR_?";
}

void sc_set_error_handler(sc_error_handler h, void *user)
{
    /* User first: a handler seen with a stale user is worse than a stale
       handler seen with a new user, which cannot be called yet. */
    atomic_store(&handler_user, user);
    atomic_store(&handler, h);
}

/* Prints MESSAGE at FILE:LINE (or under the library's name) to stderr. */
static void print_error(sc_status status, const char *message, const char *file,
                        int line)
{
    if (file)
        fprintf(stderr, "%s:%d: error: %s [%s]\n", file, line, message,
                sc_status_name(status));
    else
        fprintf(stderr, "shapecheck_rt: error: %s [%s]\n", message,
                sc_status_name(status));
}

void sc_abort_on_error(sc_status status, const char *message, const char *file,
                       int line, void *user)
{
    (void)user;
    print_error(status, message, file, line);
    fflush(stderr);
    abort();
}

void sc_call_site_begin(const char *file, int line)
{
    site_file = file;
    site_line = line;
}

/* Forgets the call site, so that a later plain call does not report a
   stale location; passes STATUS through for the SC_CHECK expression. */
sc_status sc_call_site_end(sc_status status)
{
    site_file = NULL;
    site_line = 0;
    return status;
}

void sc_assert_failed(sc_status status, const char *call, const char *file,
                      int line)
{
    print_error(status, last_error[0] ? last_error : "assertion failed", file,
                line);
    fprintf(stderr, "%s:%d: note: in %s\n", file, line, call);
    fflush(stderr);
    abort();
}

sc_status sc_fail(sc_status status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(last_error, sizeof last_error, fmt, ap);
    va_end(ap);
    sc_error_handler h = atomic_load(&handler);
    if (h)
        h(status, last_error, site_file, site_line, atomic_load(&handler_user));
    return status;
}

/* ---- Formatting for messages ---------------------------------------- */

char *sc_format_dims(char *buf, size_t size, const int64_t *dims, int rank)
{
    size_t len = (size_t)snprintf(buf, size, "[");
    for (int i = 0; i < rank && len < size; i++)
        len += (size_t)snprintf(buf + len, size - len, "%s%lld", i ? ", " : "",
                                (long long)dims[i]);
    if (len < size)
        len += (size_t)snprintf(buf + len, size - len, "]");
    if (len >= size && size >= 5)
        memcpy(buf + size - 5, "...]", 5);
    return buf;
}

char *sc_format_dtype(char *buf, size_t size, DLDataType dt)
{
    static const char *const codes[] = {"int",    "uint",   "float",
                                        "handle", "bfloat", "complex"};
    if (dt.code >= sizeof codes / sizeof codes[0]) {
        if (dt.lanes == 1)
            snprintf(buf, size, "code %u, %u bits", (unsigned)dt.code,
                     (unsigned)dt.bits);
        else
            snprintf(buf, size, "code %u, %u bits, %u lanes", (unsigned)dt.code,
                     (unsigned)dt.bits, (unsigned)dt.lanes);
    } else if (dt.lanes == 1)
        snprintf(buf, size, "%s%u", codes[dt.code], (unsigned)dt.bits);
    else
        snprintf(buf, size, "%s%ux%u", codes[dt.code], (unsigned)dt.bits,
                 (unsigned)dt.lanes);
    return buf;
}
