/*
 * finding.c - findings for the machine-readable consumers (see finding.h).
 */
#include "finding.h"

#include <string.h>

const sc_rule finding_compiler_rule = {
    "clang-diagnostic-error",
    SC_SEV_ERROR,
    "The compiler reported an error",
    "clang could not compile the translation unit as it was given. What it "
    "could parse was still analysed, but findings may be missing until the "
    "error is fixed: check the compiler arguments (-p, the compile database "
    "or the arguments after --) and the code at the reported position.",
    NULL,
    NULL,
};

const sc_rule *finding_rule(const diag *d)
{
    return d->rule ? d->rule : &finding_compiler_rule;
}

const char *finding_severity_name(sc_severity severity)
{
    switch (severity) {
    case SC_SEV_NOTE:
        return "note";
    case SC_SEV_WARNING:
        return "warning";
    case SC_SEV_ERROR:
        break;
    }
    return "error";
}

/* After "FILE:LINE:COL: " at the start of MSG, if it is there. */
static const char *skip_location(const char *msg, const char *file)
{
    size_t n = strlen(file);
    if (strncmp(msg, file, n) != 0 || msg[n] != ':')
        return msg;
    const char *p = msg + n + 1;
    for (int field = 0; field < 2; field++) {
        const char *q = p;
        while (*q >= '0' && *q <= '9')
            q++;
        if (q == p || *q != ':')
            break;
        p = q + 1;
    }
    return *p == ' ' ? p + 1 : msg;
}

const char *finding_message(const diag *d)
{
    static const char *const severities[] = {
        "fatal error: ", "error: ", "warning: ", "note: "};
    if (d->rule || !d->loc.file)
        return d->message;
    const char *p = skip_location(d->message, d->loc.file);
    if (p == d->message)
        return p;
    for (size_t i = 0; i < sizeof severities / sizeof *severities; i++) {
        size_t n = strlen(severities[i]);
        if (strncmp(p, severities[i], n) == 0)
            return p + n;
    }
    return p;
}

/* Length of the valid UTF-8 sequence at S, or 0 (overlong forms,
   surrogates and code points past U+10FFFF are invalid). */
static size_t utf8_length(const unsigned char *s)
{
    if (s[0] < 0x80)
        return 1;
    size_t n = s[0] >= 0xF0 ? 4 : s[0] >= 0xE0 ? 3 : s[0] >= 0xC2 ? 2 : 0;
    if (n == 0 || s[0] > 0xF4)
        return 0;
    for (size_t i = 1; i < n; i++)
        if ((s[i] & 0xC0) != 0x80)
            return 0;
    if ((s[0] == 0xE0 && s[1] < 0xA0) || (s[0] == 0xED && s[1] >= 0xA0) ||
        (s[0] == 0xF0 && s[1] < 0x90) || (s[0] == 0xF4 && s[1] >= 0x90))
        return 0;
    return n;
}

static bool is_utf8(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p;) {
        size_t n = utf8_length(p);
        if (!n)
            return false;
        p += n;
    }
    return true;
}

const char *finding_utf8(arena *a, const char *s)
{
    if (!s || is_utf8(s))
        return s;
    /* Each bad byte becomes three: room for the worst case. */
    char *out = arena_alloc(a, strlen(s) * 3 + 1), *q = out;
    for (const unsigned char *p = (const unsigned char *)s; *p;) {
        size_t n = utf8_length(p);
        if (n) {
            memcpy(q, p, n);
            q += n;
            p += n;
        } else {
            memcpy(q, "\xEF\xBF\xBD", 3);
            q += 3;
            p++;
        }
    }
    *q = '\0';
    return out;
}

size_t finding_remove_if(diag_list *list, finding_drop_fn *drop, void *ctx)
{
    size_t kept = 0;
    for (size_t i = 0; i < list->n; i++)
        if (!drop(ctx, &list->items[i], i))
            list->items[kept++] = list->items[i];
    size_t removed = list->n - kept;
    list->n = kept;
    return removed;
}
