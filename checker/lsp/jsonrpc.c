/*
 * jsonrpc.c - the LSP's base protocol: framing of JSON-RPC messages (see
 * jsonrpc.h).
 */
#define _POSIX_C_SOURCE 200809L /* strdup, strncasecmp */

#include "jsonrpc.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Header lines are short; a longer line is garbage, of which the end is
   kept (a header may follow it on the same line). */
#define HEADER_LINE_MAX 4096
/* More digits than this cannot be a length that could be skipped. */
#define LENGTH_DIGITS_MAX 18

static const char content_length[] = "content-length:";

void jsonrpc_reader_init(jsonrpc_reader *r, FILE *in)
{
    r->in = in;
    r->pending = NULL;
}

void jsonrpc_reader_free(jsonrpc_reader *r)
{
    free(r->pending);
    r->pending = NULL;
}

/* Reads one line, without its "\n" or "\r\n", into BUF (HEADER_LINE_MAX
   bytes, NUL-terminated; NUL bytes in the stream become spaces).  False at
   the end of the stream. */
static bool read_line(jsonrpc_reader *r, char *buf)
{
    if (r->pending) {
        snprintf(buf, HEADER_LINE_MAX, "%s", r->pending);
        free(r->pending);
        r->pending = NULL;
        return true;
    }
    size_t n = 0;
    int ch;
    while ((ch = getc(r->in)) != EOF && ch != '\n') {
        if (n + 1 == HEADER_LINE_MAX) { /* keep the last half */
            size_t keep = HEADER_LINE_MAX / 2;
            memmove(buf, buf + n - keep, keep);
            n = keep;
        }
        buf[n++] = ch ? (char)ch : ' ';
    }
    if (ch == EOF)
        return false;
    if (n && buf[n - 1] == '\r')
        n--;
    buf[n] = '\0';
    return true;
}

/* Where a "Content-Length:" header starts in LINE, or NULL. */
static const char *find_content_length(const char *line)
{
    for (const char *p = line; *p; p++)
        if (strncasecmp(p, content_length, sizeof content_length - 1) == 0)
            return p;
    return NULL;
}

/* "Name: value" with a token for a name: a header this reader ignores. */
static bool is_other_header(const char *line)
{
    const char *p = line;
    while (isalnum((unsigned char)*p) || *p == '-')
        p++;
    return p > line && *p == ':';
}

/* The value of a Content-Length header: digits with optional blanks
   around.  False when it is not a number that can be skipped. */
static bool parse_length(const char *v, size_t *length)
{
    v += strspn(v, " \t");
    size_t n = 0, digits = 0;
    for (; isdigit((unsigned char)*v); v++, digits++)
        n = n * 10 + (size_t)(*v - '0');
    v += strspn(v, " \t");
    *length = n;
    return digits > 0 && digits <= LENGTH_DIGITS_MAX && *v == '\0';
}

/* Reads and drops N bytes.  False if the stream ended first. */
static bool skip_bytes(FILE *in, size_t n)
{
    char chunk[16384];
    while (n > 0) {
        size_t want = n < sizeof chunk ? n : sizeof chunk;
        size_t got = fread(chunk, 1, want, in);
        if (got == 0)
            return false;
        n -= got;
    }
    return true;
}

/* What one header block said. */
typedef struct frame {
    bool have_length, bad_length, garbage;
    size_t length;
} frame;

/* Reads header lines up to the empty line that ends them.  Garbage stops
   the block early when a Content-Length header follows it: that header
   is kept for the next read, which starts a new block with it. */
static bool read_headers(jsonrpc_reader *r, frame *f)
{
    char line[HEADER_LINE_MAX];
    for (;;) {
        if (!read_line(r, line))
            return false;
        bool started = f->have_length || f->bad_length || f->garbage;
        if (line[0] == '\0') {
            if (started)
                return true;
            continue; /* stray empty lines between messages */
        }
        const char *header = find_content_length(line);
        if (header && (header != line || f->garbage)) {
            f->garbage = true;
            r->pending = strdup(header);
            return true;
        }
        if (header) {
            f->bad_length =
                !parse_length(header + sizeof content_length - 1, &f->length);
            f->have_length = !f->bad_length;
        } else if (!is_other_header(line)) {
            f->garbage = true;
        }
    }
}

jsonrpc_status jsonrpc_read(jsonrpc_reader *r, char **body, size_t *len,
                            char *err, size_t err_size)
{
    *body = NULL;
    *len = 0;
    frame f = {false, false, false, 0};
    if (!read_headers(r, &f))
        return JSONRPC_EOF;
    if (f.garbage || f.bad_length || !f.have_length) {
        snprintf(err, err_size, "%s",
                 f.garbage      ? "garbage instead of message headers"
                 : f.bad_length ? "invalid Content-Length header"
                                : "missing Content-Length header");
        return JSONRPC_BAD_FRAME;
    }
    if (f.length > JSONRPC_MAX_BODY) {
        snprintf(err, err_size,
                 "message of %zu bytes is over the limit of %zu bytes",
                 f.length, JSONRPC_MAX_BODY);
        return skip_bytes(r->in, f.length) ? JSONRPC_TOO_LARGE : JSONRPC_EOF;
    }
    char *buf = malloc(f.length + 1);
    if (!buf) {
        snprintf(err, err_size, "out of memory for a message of %zu bytes",
                 f.length);
        return skip_bytes(r->in, f.length) ? JSONRPC_TOO_LARGE : JSONRPC_EOF;
    }
    if (fread(buf, 1, f.length, r->in) != f.length) {
        free(buf);
        return JSONRPC_EOF;
    }
    buf[f.length] = '\0';
    *body = buf;
    *len = f.length;
    return JSONRPC_OK;
}

int jsonrpc_write(FILE *out, const cJSON *msg)
{
    char *text = cJSON_PrintUnformatted(msg);
    if (!text)
        return -1;
    size_t n = strlen(text);
    bool ok = fprintf(out, "Content-Length: %zu\r\n\r\n", n) > 0 &&
              fwrite(text, 1, n, out) == n && fflush(out) == 0;
    cJSON_free(text);
    return ok ? 0 : -1;
}

static cJSON *message(void)
{
    cJSON *msg = cJSON_CreateObject();
    cJSON_AddStringToObject(msg, "jsonrpc", "2.0");
    return msg;
}

static void add_id(cJSON *msg, const cJSON *id)
{
    cJSON *copy = id ? cJSON_Duplicate(id, true) : NULL;
    cJSON_AddItemToObject(msg, "id", copy ? copy : cJSON_CreateNull());
}

cJSON *jsonrpc_response(const cJSON *id, cJSON *result)
{
    cJSON *msg = message();
    add_id(msg, id);
    cJSON_AddItemToObject(msg, "result", result ? result : cJSON_CreateNull());
    return msg;
}

cJSON *jsonrpc_error(const cJSON *id, int code, const char *text)
{
    cJSON *msg = message();
    add_id(msg, id);
    cJSON *error = cJSON_AddObjectToObject(msg, "error");
    cJSON_AddNumberToObject(error, "code", code);
    cJSON_AddStringToObject(error, "message", text);
    return msg;
}

cJSON *jsonrpc_notification(const char *method, cJSON *params)
{
    cJSON *msg = message();
    cJSON_AddStringToObject(msg, "method", method);
    if (params)
        cJSON_AddItemToObject(msg, "params", params);
    return msg;
}
