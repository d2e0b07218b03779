/*
 * jsonrpc.c - the LSP's base protocol: framing of JSON-RPC messages (see
 * jsonrpc.h).
 */
#define _POSIX_C_SOURCE 200809L /* strdup, strncasecmp, fileno */

#include "jsonrpc.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

/* Header lines are short; a longer line is garbage, of which the end is
   kept (a header may follow it on the same line). */
#define HEADER_LINE_MAX 4096
/* More digits than this cannot be a length that could be skipped. */
#define LENGTH_DIGITS_MAX 18
/* Bytes read ahead at most, per read. */
#define READ_AHEAD 65536

static const char content_length[] = "content-length:";

void jsonrpc_reader_init(jsonrpc_reader *r, FILE *in)
{
    r->in = in;
    r->fd = in ? fileno(in) : -1;
    r->buf = NULL;
    r->pos = r->end = 0;
    r->pending = NULL;
    r->resync = false;
}

void jsonrpc_reader_free(jsonrpc_reader *r)
{
    free(r->pending);
    free(r->buf);
    r->pending = r->buf = NULL;
    r->pos = r->end = 0;
}

bool jsonrpc_buffered(const jsonrpc_reader *r)
{
    return r->pos < r->end || r->pending;
}

/* Up to N bytes from the stream into DST, at least one unless it ended or
   failed: what one read() gives (so that a message the client has
   finished writing is never waited on), or fread on a stream with no
   descriptor (memory, which never waits).  0 at the end. */
static size_t read_stream(jsonrpc_reader *r, char *dst, size_t n)
{
    if (r->fd < 0)
        return fread(dst, 1, n, r->in);
    for (;;) {
        ssize_t got = read(r->fd, dst, n);
        if (got >= 0)
            return (size_t)got;
        if (errno != EINTR)
            return 0; /* a broken stream ends the session */
    }
}

/* The next byte, or EOF. */
static int next_byte(jsonrpc_reader *r)
{
    if (r->pos == r->end) {
        if (!r->buf && !(r->buf = malloc(READ_AHEAD)))
            return EOF;
        r->pos = 0;
        r->end = read_stream(r, r->buf, READ_AHEAD);
        if (r->end == 0)
            return EOF;
    }
    return (unsigned char)r->buf[r->pos++];
}

/* N bytes into DST: what was read ahead, then the stream.  False if it
   ended first. */
static bool read_bytes(jsonrpc_reader *r, char *dst, size_t n)
{
    size_t have = r->end - r->pos;
    if (have > n)
        have = n;
    if (have)
        memcpy(dst, r->buf + r->pos, have);
    r->pos += have;
    for (size_t done = have; done < n;) {
        size_t got = read_stream(r, dst + done, n - done);
        if (got == 0)
            return false;
        done += got;
    }
    return true;
}

/* Reads and drops N bytes.  False if the stream ended first. */
static bool skip_bytes(jsonrpc_reader *r, size_t n)
{
    char chunk[16384];
    while (n > 0) {
        size_t want = n < sizeof chunk ? n : sizeof chunk;
        if (!read_bytes(r, chunk, want))
            return false;
        n -= want;
    }
    return true;
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
    while ((ch = next_byte(r)) != EOF && ch != '\n') {
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
   around.  False when it is not a number. */
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

/* What one header block said. */
typedef struct frame {
    bool have_length, bad_length, garbage;
    size_t length;
} frame;

/* After a refused length: the body that may follow is not read as such,
   only searched for the next "Content-Length" header, which starts the
   next block.  False at the end of the stream. */
static bool skip_to_next_header(jsonrpc_reader *r, char *line)
{
    while (r->resync) {
        if (!read_line(r, line))
            return false;
        const char *header = find_content_length(line);
        if (header) {
            r->pending = strdup(header);
            r->resync = false;
        }
    }
    return true;
}

/* Reads header lines up to the empty line that ends them.  Garbage stops
   the block early when a Content-Length header follows it: that header
   is kept for the next read, which starts a new block with it. */
static bool read_headers(jsonrpc_reader *r, frame *f)
{
    char line[HEADER_LINE_MAX];
    if (!skip_to_next_header(r, line))
        return false;
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
        /* Refused now: reading that many bytes first could take until the
           client goes away. */
        snprintf(err, err_size,
                 "message of %zu bytes is over the limit of %zu bytes",
                 f.length, JSONRPC_MAX_BODY);
        r->resync = true;
        return JSONRPC_TOO_LARGE;
    }
    char *buf = malloc(f.length + 1);
    if (!buf) { /* within the limit: skipping it takes bounded time */
        snprintf(err, err_size, "out of memory for a message of %zu bytes",
                 f.length);
        return skip_bytes(r, f.length) ? JSONRPC_TOO_LARGE : JSONRPC_EOF;
    }
    if (!read_bytes(r, buf, f.length)) {
        free(buf);
        return JSONRPC_EOF;
    }
    buf[f.length] = '\0';
    *body = buf;
    *len = f.length;
    return JSONRPC_OK;
}

/* ---- Lone surrogates ---------------------------------------------------- */

/* The value of the 4 hex digits at S, or -1. */
static long hex4(const char *s)
{
    long v = 0;
    for (int i = 0; i < 4; i++) {
        int c = (unsigned char)s[i], d;
        if (c >= '0' && c <= '9')
            d = c - '0';
        else if (c >= 'a' && c <= 'f')
            d = c - 'a' + 10;
        else if (c >= 'A' && c <= 'F')
            d = c - 'A' + 10;
        else
            return -1;
        v = v * 16 + d;
    }
    return v;
}

/* The code unit of the "\uXXXX" escape at S (N bytes left), or -1. */
static long escape_at(const char *s, size_t n)
{
    return n >= 6 && s[0] == '\\' && s[1] == 'u' ? hex4(s + 2) : -1;
}

/* Replaces each escaped lone surrogate inside the strings of TEXT (LEN
   bytes) by "\ufffd", the same length. */
static void replace_lone_surrogates(char *text, size_t len)
{
    bool in_string = false;
    for (size_t i = 0; i < len;) {
        if (!in_string || text[i] != '\\') {
            if (text[i] == '"')
                in_string = !in_string;
            i++;
            continue;
        }
        long u = escape_at(text + i, len - i);
        if (u < 0) { /* another escape: two characters */
            i += 2;
            continue;
        }
        long next = escape_at(text + i + 6, len - i - 6);
        if (u >= 0xD800 && u <= 0xDBFF && next >= 0xDC00 && next <= 0xDFFF) {
            i += 12; /* a pair */
            continue;
        }
        if (u >= 0xD800 && u <= 0xDFFF)
            memcpy(text + i + 2, "fffd", 4);
        i += 6;
    }
}

cJSON *jsonrpc_parse(char *body, size_t len)
{
    replace_lone_surrogates(body, len);
    /* The terminating NUL is part of the input: nothing may follow the
       value (cJSON checks for it). */
    return cJSON_ParseWithLengthOpts(body, len + 1, NULL, true);
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
