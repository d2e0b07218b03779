/*
 * fuzz_lsp.c - the language server's input: any bytes as the client's
 * side of the stream, through lsp_serve (checker/lsp/lsp.h): the JSON-RPC
 * framing (jsonrpc.h), the parsing of each body (lone surrogates
 * included), the dispatch, the lifecycle and every handler: documents
 * opened, changed with ranges anywhere (UTF-16 positions into any bytes),
 * saved and closed, hover and inlay hints, responses to the server's own
 * requests.  With lsp_options.protocol_only nothing is analysed, no
 * compile database is looked for and no process is started: thousands of
 * inputs a second, and the file system is never read.
 *
 * Properties: the server returns 0 or 1; everything it wrote is a
 * sequence of well-framed JSON-RPC 2.0 objects, each response with a
 * number, a string or null as its id; and a body that cJSON parses as it
 * is comes through jsonrpc_parse unchanged (only lone surrogate escapes,
 * which cJSON refuses, are rewritten).
 */
#define _POSIX_C_SOURCE 200809L /* fmemopen, open_memstream */

#include "fuzz.h"

#include <cjson/cJSON.h>

#include "jsonrpc.h"
#include "lsp.h"

/* Every message in OUT (LEN bytes) is framed, JSON, and JSON-RPC 2.0. */
static void check_output(char *out, size_t len)
{
    if (len == 0)
        return;
    FILE *in = fmemopen(out, len, "r");
    FUZZ_CHECK(in != NULL);
    jsonrpc_reader r;
    jsonrpc_reader_init(&r, in);
    for (;;) {
        char *body, err[256];
        size_t n;
        jsonrpc_status st = jsonrpc_read(&r, &body, &n, err, sizeof err);
        if (st == JSONRPC_EOF)
            break;
        FUZZ_CHECK(st == JSONRPC_OK);
        cJSON *msg = cJSON_ParseWithLength(body, n);
        FUZZ_CHECK(cJSON_IsObject(msg));
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(msg, "jsonrpc");
        FUZZ_CHECK(cJSON_IsString(v) && strcmp(v->valuestring, "2.0") == 0);
        const cJSON *id = cJSON_GetObjectItemCaseSensitive(msg, "id");
        if (!cJSON_HasObjectItem(msg, "method")) { /* a response */
            FUZZ_CHECK(id && (cJSON_IsNumber(id) || cJSON_IsString(id) ||
                              cJSON_IsNull(id)));
            FUZZ_CHECK(cJSON_HasObjectItem(msg, "result") !=
                       cJSON_HasObjectItem(msg, "error"));
        }
        cJSON_Delete(msg);
        free(body);
    }
    jsonrpc_reader_free(&r);
    fclose(in);
}

/* The input as one body: what parses as it is is left as it is. */
static void check_parse(const uint8_t *data, size_t size)
{
    char *text = fuzz_text(data, size), *copy = fuzz_text(data, size);
    size_t len = strlen(text);
    cJSON *plain = cJSON_ParseWithLengthOpts(text, len + 1, NULL, true);
    cJSON *repaired = jsonrpc_parse(copy, len);
    FUZZ_CHECK(strlen(copy) == len);
    if (plain) {
        FUZZ_CHECK(memcmp(text, copy, len) == 0);
        FUZZ_CHECK(repaired != NULL);
    }
    cJSON_Delete(plain);
    cJSON_Delete(repaired);
    free(text);
    free(copy);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    check_parse(data, size);
    if (size == 0)
        return 0; /* fmemopen needs a byte */
    uint8_t *bytes = malloc(size);
    if (!bytes)
        abort();
    memcpy(bytes, data, size);
    FILE *in = fmemopen(bytes, size, "r");
    char *out_text = NULL;
    size_t out_len = 0;
    FILE *out = open_memstream(&out_text, &out_len);
    FUZZ_CHECK(in && out);
    lsp_options o = {.protocol_only = true};
    int status = lsp_serve(in, out, &o);
    FUZZ_CHECK(status == 0 || status == 1);
    fclose(out);
    fclose(in);
    check_output(out_text, out_len);
    free(out_text);
    free(bytes);
    return 0;
}
