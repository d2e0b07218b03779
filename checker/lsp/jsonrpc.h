/*
 * jsonrpc.h - JSON-RPC 2.0 messages framed as the Language Server Protocol
 * frames them: "Content-Length: N" (other headers are ignored), an empty
 * line, then N bytes of JSON.  Lines end with "\r\n" ("\n" is accepted).
 *
 * The reader survives garbage: unusable headers are skipped up to the next
 * "Content-Length" header.  A length over the limit is refused as soon as
 * its header block ends, without waiting for the body (a client may have
 * written any number there): the reader then skips ahead to the next
 * "Content-Length" header, so that the server answers with an error at
 * once and goes on serving.
 *
 * The reader reads ahead into a buffer of its own (one read() per chunk,
 * not per byte): ask jsonrpc_buffered() before waiting on the stream's
 * descriptor.
 */
#ifndef SHAPECHECK_JSONRPC_H
#define SHAPECHECK_JSONRPC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <cjson/cJSON.h>

/* The largest body kept (an editor's whole buffer fits many times). */
#define JSONRPC_MAX_BODY ((size_t)64 << 20)

/* Error codes: JSON-RPC's, then the LSP's own. */
enum {
    JSONRPC_PARSE_ERROR = -32700,
    JSONRPC_INVALID_REQUEST = -32600,
    JSONRPC_METHOD_NOT_FOUND = -32601,
    JSONRPC_INVALID_PARAMS = -32602,
    JSONRPC_INTERNAL_ERROR = -32603,
    LSP_SERVER_NOT_INITIALIZED = -32002,
};

typedef enum jsonrpc_status {
    JSONRPC_OK,        /* one message body was read */
    JSONRPC_EOF,       /* the stream ended (between or inside messages) */
    JSONRPC_BAD_FRAME, /* headers that cannot be used were skipped */
    JSONRPC_TOO_LARGE, /* a length over JSONRPC_MAX_BODY was refused */
} jsonrpc_status;

typedef struct jsonrpc_reader {
    FILE *in;
    int fd;    /* private: IN's descriptor, read directly; -1: fread */
    char *buf; /* private: bytes read ahead, [pos, end) unused yet */
    size_t pos, end;
    char *pending; /* private: a header line found inside garbage */
    bool resync;   /* private: skip to the next Content-Length header */
} jsonrpc_reader;

/* IN must not have been read from through its FILE buffer: when it has a
   descriptor, the reader reads that descriptor directly. */
void jsonrpc_reader_init(jsonrpc_reader *r, FILE *in);
void jsonrpc_reader_free(jsonrpc_reader *r);

/* Whether bytes of the stream are already read ahead: the next
   jsonrpc_read may not need to wait for the stream (poll() on its
   descriptor cannot tell). */
bool jsonrpc_buffered(const jsonrpc_reader *r);

/* Reads the next message.  JSONRPC_OK: *BODY is its body, malloc'd and
   NUL-terminated (the caller frees it), *LEN its length.  Otherwise *BODY
   is NULL and, for BAD_FRAME and TOO_LARGE, ERR says what was wrong. */
jsonrpc_status jsonrpc_read(jsonrpc_reader *r, char **body, size_t *len,
                            char *err, size_t err_size);

/* Parses BODY (LEN bytes and a NUL) as one JSON value with nothing after
   it; NULL when it is malformed.  An escaped lone UTF-16 surrogate
   ("\ud800" with no low surrogate after it, or a low one alone) is first
   replaced, in BODY, by "\ufffd" (U+FFFD), as the JSON parsers of editors
   do: cJSON would refuse the whole message for it. */
cJSON *jsonrpc_parse(char *body, size_t len);

/* Writes MSG, framed, and flushes.  Returns 0, or -1 when OUT failed (the
   other side went away). */
int jsonrpc_write(FILE *out, const cJSON *msg);

/* New messages; the caller owns them.  ID is copied (NULL means null);
   RESULT and PARAMS are taken over (NULL means null, or no params). */
cJSON *jsonrpc_response(const cJSON *id, cJSON *result);
cJSON *jsonrpc_error(const cJSON *id, int code, const char *message);
cJSON *jsonrpc_notification(const char *method, cJSON *params);

#endif /* SHAPECHECK_JSONRPC_H */
