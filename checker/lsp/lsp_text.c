/*
 * lsp_text.c - lines, UTF-16 columns and file URIs (see lsp_text.h).
 */
#include "lsp_text.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool lsp_lines_index(lsp_lines *lines, const char *text, size_t len)
{
    size_t n = 1;
    for (size_t i = 0; i < len; i++)
        n += text[i] == '\n';
    size_t *starts = malloc(n * sizeof *starts);
    if (!starts)
        return false;
    size_t k = 0;
    starts[k++] = 0;
    for (size_t i = 0; i < len; i++)
        if (text[i] == '\n')
            starts[k++] = i + 1;
    free(lines->starts);
    lines->starts = starts;
    lines->n = n;
    return true;
}

void lsp_lines_free(lsp_lines *lines)
{
    free(lines->starts);
    lines->starts = NULL;
    lines->n = 0;
}

bool lsp_line(const lsp_lines *lines, const char *text, size_t len,
              unsigned line, size_t *start, size_t *line_len)
{
    if (line >= lines->n)
        return false;
    size_t s = lines->starts[line];
    size_t e = line + 1 < lines->n ? lines->starts[line + 1] - 1 : len;
    if (e > s && text[e - 1] == '\r')
        e--;
    *start = s;
    *line_len = e - s;
    return true;
}

/* The length of the UTF-8 sequence at S (N bytes left), and its code
   units in *UNITS; an invalid or cut sequence is one byte, one unit. */
static size_t utf8_char(const unsigned char *s, size_t n, unsigned *units)
{
    size_t len = s[0] < 0x80   ? 1
                 : s[0] < 0xC2 ? 0
                 : s[0] < 0xE0 ? 2
                 : s[0] < 0xF0 ? 3
                 : s[0] < 0xF5 ? 4
                               : 0;
    *units = 1;
    if (len == 0 || len > n)
        return 1;
    for (size_t i = 1; i < len; i++)
        if ((s[i] & 0xC0) != 0x80)
            return 1;
    if (len == 4)
        *units = 2; /* outside the BMP: a surrogate pair */
    return len;
}

unsigned lsp_utf16_units(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    unsigned total = 0, units;
    for (size_t i = 0; i < n; total += units)
        i += utf8_char(p + i, n - i, &units);
    return total;
}

size_t lsp_utf16_bytes(const char *line, size_t len, unsigned units)
{
    const unsigned char *p = (const unsigned char *)line;
    size_t i = 0;
    unsigned seen = 0, u;
    while (i < len && seen < units) {
        i += utf8_char(p + i, len - i, &u);
        seen += u;
    }
    return i;
}

size_t lsp_offset(const lsp_lines *lines, const char *text, size_t len,
                  unsigned line, unsigned character)
{
    size_t start, line_len;
    if (!lsp_line(lines, text, len, line, &start, &line_len))
        return len;
    return start + lsp_utf16_bytes(text + start, line_len, character);
}

bool lsp_is_ident_byte(char c)
{
    unsigned char u = (unsigned char)c;
    return isalnum(u) || u == '_' || u >= 0x80;
}

size_t lsp_token_end(const char *line, size_t len, size_t at)
{
    if (at >= len || line[at] == ' ' || line[at] == '\t')
        return at < len ? at : len;
    if (!lsp_is_ident_byte(line[at])) {
        unsigned units;
        return at +
               utf8_char((const unsigned char *)line + at, len - at, &units);
    }
    size_t e = at;
    while (e < len && lsp_is_ident_byte(line[e]))
        e++;
    return e;
}

static int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = (char)tolower((unsigned char)c);
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Decodes %XX escapes of S into a new string; NULL for a bad escape or
   an escaped NUL. */
static char *percent_decode(const char *s)
{
    char *out = malloc(strlen(s) + 1), *o = out;
    if (!out)
        return NULL;
    for (; *s; s++) {
        if (*s != '%') {
            *o++ = *s;
            continue;
        }
        int hi = hex_value(s[1]), lo = hi < 0 ? -1 : hex_value(s[2]);
        if (lo < 0 || (hi == 0 && lo == 0)) {
            free(out);
            return NULL;
        }
        *o++ = (char)(hi * 16 + lo);
        s += 2;
    }
    *o = '\0';
    return out;
}

char *lsp_uri_to_path(const char *uri)
{
    static const char scheme[] = "file://";
    if (strncmp(uri, scheme, sizeof scheme - 1) != 0)
        return NULL;
    const char *p = uri + sizeof scheme - 1;
    if (strncmp(p, "localhost/", 10) == 0)
        p += 9;
    if (*p != '/')
        return NULL; /* file://host/...: not a file of this machine */
    size_t n = strcspn(p, "?#");
    char *raw = malloc(n + 1);
    if (!raw)
        return NULL;
    memcpy(raw, p, n);
    raw[n] = '\0';
    char *path = percent_decode(raw);
    free(raw);
    return path;
}

char *lsp_path_to_uri(const char *path)
{
    static const char keep[] = "-._~/";
    char *uri = malloc(strlen("file://") + 3 * strlen(path) + 1);
    if (!uri)
        return NULL;
    char *o = uri + sprintf(uri, "file://");
    for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
        if (isalnum(*p) || strchr(keep, *p))
            *o++ = (char)*p;
        else
            o += sprintf(o, "%%%02X", *p);
    }
    *o = '\0';
    return uri;
}
