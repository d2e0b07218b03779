/*
 * test_lsp.c - shapecheck --lsp driven by a scripted client (lsp_client.h),
 * one document at a time.  Most tests start the built program in a
 * scratch folder holding tests/data/lsp/train.c and a compile database for
 * it (-DBATCH=32, which the file needs), and speak the protocol to it:
 * diagnostics on open, change and close, a finding in a header published
 * for the header, hover, inlay hints, bad input (an oversized length
 * refused at once, a lone surrogate accepted), shutdown and
 * disconnection.  The parts that need no server (UTF-16 columns, URIs,
 * framing, surrogates) are tested directly first.  test_lsp_project.c
 * tests the project: the compile database, the index, other files.
 */
#define _XOPEN_SOURCE 700

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lsp_client.h"

static void write_fixture(client *c)
{
    char *text = test_read(TEST_DATA_DIR "/lsp/train.c");
    assert_non_null(text);
    c->dir = test_make_dir();
    assert_non_null(c->dir);
    char *path = test_write(c->dir, "train.c", text);
    assert_non_null(path);
    char db[8192];
    snprintf(
        db, sizeof db,
        "[{\"directory\": \"%s\", \"file\": \"%s\",\n"
        "  \"arguments\": [\"cc\", \"-DBATCH=32\", \"-c\", \"train.c\"]}]\n",
        c->dir, path);
    char *db_path = test_write(c->dir, "compile_commands.json", db);
    assert_non_null(db_path);
    c->uri = lsp_path_to_uri(path);
    c->text = text;
    free(path);
    free(db_path);
}

/* Starts "shapecheck --lsp" in a scratch folder with the fixture. */
static void start(client *c)
{
    memset(c, 0, sizeof *c);
    write_fixture(c);
    launch(c, NULL);
}

/* ---- Without a server: columns, URIs, framing ------------------------- */

static void test_utf16_columns(void **state)
{
    (void)state;
    /* 'e' with acute (2 bytes), the euro sign (3), an emoji (4: two units) */
    const char *s = "a\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80z";
    assert_int_equal(lsp_utf16_units(s, 1), 1);
    assert_int_equal(lsp_utf16_units(s, 3), 2);
    assert_int_equal(lsp_utf16_units(s, 6), 3);
    assert_int_equal(lsp_utf16_units(s, 10), 5);
    assert_int_equal(lsp_utf16_units(s, 11), 6);
    assert_int_equal(lsp_utf16_bytes(s, 11, 5), 10);
    assert_int_equal(lsp_utf16_bytes(s, 11, 4), 10); /* inside the pair */
    assert_int_equal(lsp_utf16_bytes(s, 11, 99), 11);
    /* an invalid byte is one unit, as the U+FFFD shown for it */
    assert_int_equal(lsp_utf16_units("\xFF\xC3x", 3), 3);

    const char *text = "ab\r\ncd\n\nlast";
    lsp_lines lines = {NULL, 0};
    assert_true(lsp_lines_index(&lines, text, strlen(text)));
    assert_int_equal(lines.n, 4);
    assert_int_equal(lsp_offset(&lines, text, strlen(text), 0, 9), 2);
    assert_int_equal(lsp_offset(&lines, text, strlen(text), 1, 1), 5);
    assert_int_equal(lsp_offset(&lines, text, strlen(text), 3, 4), 12);
    assert_int_equal(lsp_offset(&lines, text, strlen(text), 7, 0), 12);
    lsp_lines_free(&lines);
}

static void test_uris(void **state)
{
    (void)state;
    char *uri = lsp_path_to_uri("/tmp/a b/x+y.c");
    assert_string_equal(uri, "file:///tmp/a%20b/x%2By.c");
    char *path = lsp_uri_to_path(uri);
    assert_string_equal(path, "/tmp/a b/x+y.c");
    free(uri);
    free(path);
    path = lsp_uri_to_path("file://localhost/src/%C3%A9.c");
    assert_string_equal(path, "/src/\xC3\xA9.c");
    free(path);
    assert_null(lsp_uri_to_path("untitled:Untitled-1"));
    assert_null(lsp_uri_to_path("file://server/share/a.c"));
    assert_null(lsp_uri_to_path("file:///a%2"));
    assert_null(lsp_uri_to_path("file:///a%00b"));
}

/* Reads one message from TEXT's next frame; returns its status and, for
   JSONRPC_OK, checks the body is WANT. */
static jsonrpc_status read_frame(jsonrpc_reader *r, const char *want)
{
    char *body, err[256];
    size_t len;
    jsonrpc_status st = jsonrpc_read(r, &body, &len, err, sizeof err);
    if (st == JSONRPC_OK) {
        assert_string_equal(body, want);
        free(body);
    }
    return st;
}

static void test_framing(void **state)
{
    (void)state;
    static char input[] = "Content-Length: 2\r\nContent-Type: x\r\n\r\n{}"
                          "\r\n" /* a stray empty line */
                          "content-length:3\n\n[1]"
                          "garbage before{}Content-Length: 4\r\n\r\nnull"
                          "Content-Length: twelve\r\n\r\n"
                          "Content-Length: 99999999999999999999\r\n\r\n"
                          "Content-Length: 5\r\n\r\n{\"a\"";
    FILE *in = fmemopen(input, sizeof input - 1, "r");
    assert_non_null(in);
    jsonrpc_reader r;
    jsonrpc_reader_init(&r, in);
    assert_int_equal(read_frame(&r, "{}"), JSONRPC_OK);
    assert_int_equal(read_frame(&r, "[1]"), JSONRPC_OK);
    assert_int_equal(read_frame(&r, NULL), JSONRPC_BAD_FRAME);
    assert_int_equal(read_frame(&r, "null"), JSONRPC_OK);
    assert_int_equal(read_frame(&r, NULL), JSONRPC_BAD_FRAME);
    assert_int_equal(read_frame(&r, NULL), JSONRPC_BAD_FRAME);
    assert_int_equal(read_frame(&r, NULL), JSONRPC_EOF); /* cut short */
    jsonrpc_reader_free(&r);
    fclose(in);
}

/* A length over the limit is refused as soon as its headers end: what
   follows is searched for the next header, not read as its body (which
   could take until the stream ends). */
static void test_oversized_length_refused_at_once(void **state)
{
    (void)state;
    static char input[] = "Content-Length: 99999999999\r\n\r\n"
                          "{\"what\": \"a body that never comes whole\"}\r\n"
                          "Content-Length: 2\r\n\r\n{}"
                          "Content-Length: 99999999999\r\n\r\n";
    FILE *in = fmemopen(input, sizeof input - 1, "r");
    assert_non_null(in);
    jsonrpc_reader r;
    jsonrpc_reader_init(&r, in);
    assert_int_equal(read_frame(&r, NULL), JSONRPC_TOO_LARGE);
    assert_int_equal(read_frame(&r, "{}"), JSONRPC_OK);
    assert_int_equal(read_frame(&r, NULL), JSONRPC_TOO_LARGE);
    assert_int_equal(read_frame(&r, NULL), JSONRPC_EOF);
    jsonrpc_reader_free(&r);
    fclose(in);
}

/* The string member "t" of the JSON object TEXT, parsed as the server
   parses a message; NULL when it is refused. */
static char *parsed_t(const char *text)
{
    char *body = strdup(text);
    cJSON *v = jsonrpc_parse(body, strlen(body));
    free(body);
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(v, "t");
    char *out = cJSON_IsString(t) ? strdup(t->valuestring) : NULL;
    cJSON_Delete(v);
    return out;
}

static void assert_parsed_t(const char *text, const char *want)
{
    char *got = parsed_t(text);
    assert_non_null(got);
    assert_string_equal(got, want);
    free(got);
}

/* A lone surrogate escape is U+FFFD, as editors' JSON parsers make it;
   pairs, other escapes and text outside strings are left alone. */
static void test_lone_surrogates(void **state)
{
    (void)state;
    assert_parsed_t("{\"t\": \"a\\ud800b\"}", "a\xEF\xBF\xBD\x62");
    assert_parsed_t("{\"t\": \"\\uDC00\"}", "\xEF\xBF\xBD");
    assert_parsed_t("{\"t\": \"\\ud83d\\ude00 \\ud83d\"}",
                    "\xF0\x9F\x98\x80 \xEF\xBF\xBD");
    assert_parsed_t("{\"t\": \"\\ud800\\ud800\\udc00\"}",
                    "\xEF\xBF\xBD\xF0\x90\x80\x80");
    /* an escaped backslash, then letters: no escape of a surrogate */
    assert_parsed_t("{\"t\": \"\\\\ud800\"}", "\\ud800");
    assert_parsed_t("{\"\\ud800\": 1, \"t\": \"\\\"\\ud800\"}",
                    "\"\xEF\xBF\xBD");
    /* still malformed: a cut escape, text after the value */
    assert_null(parsed_t("{\"t\": \"\\ud8\"}"));
    assert_null(parsed_t("{\"t\": \"x\"} \\ud800"));
}

/* ---- With the server -------------------------------------------------- */

/* The related information entry whose message contains TEXT. */
static const cJSON *related_with(const cJSON *diag, const char *text)
{
    const cJSON *info;
    cJSON_ArrayForEach(info, get(diag, "relatedInformation"))
    {
        if (strstr(get_string(info, "message"), text))
            return info;
    }
    fail_msg("no related information with '%s'", text);
    return NULL;
}

static void test_diagnostics_follow_the_buffer(void **state)
{
    (void)state;
    client c;
    start(&c);
    initialize(&c);
    open_text(&c, c.text);

    cJSON *list = diagnostics(&c);
    assert_int_equal(cJSON_GetArraySize(list), 1);
    const cJSON *d = cJSON_GetArrayItem(list, 0);
    assert_string_equal(get_string(d, "code"), "shape-batch-mismatch");
    assert_string_equal(get_string(d, "source"), "shapecheck");
    assert_int_equal(get_int(d, "severity"), 1);
    assert_non_null(strstr(get_string(d, "message"),
                           "'labels' is [16] in call to 'cross_entropy'"));
    /* At the call, after a 2-byte, 1-unit character: UTF-16 columns. */
    unsigned line, character;
    find(c.text, "return cross_entropy", "cross_entropy", &line, &character);
    const cJSON *start_pos = get(get(d, "range"), "start");
    assert_int_equal(get_int(start_pos, "line"), line);
    assert_int_equal(get_int(start_pos, "character"), character);
    assert_int_equal(get_int(get(get(d, "range"), "end"), "character"),
                     character + strlen("cross_entropy"));
    /* The notes, each where it points. */
    const cJSON *info = related_with(d, "'logits' declared as an array of "
                                        "shape [BATCH, CLASSES], BATCH = 32");
    assert_string_equal(get_string(get(info, "location"), "uri"), c.uri);
    find(c.text, "static float logits", "logits", &line, &character);
    start_pos = get(get(get(info, "location"), "range"), "start");
    assert_int_equal(get_int(start_pos, "line"), line);
    assert_int_equal(get_int(start_pos, "character"), character);
    related_with(d, "CLASSES defined as 10 here");
    cJSON_Delete(list);

    /* Fixed in the buffer only (an incremental change): no findings. */
    find(c.text, "labels[BATCH / 2]", "BATCH / 2", &line, &character);
    change(&c, range(line, character, line, character + 9), "BATCH");
    list = diagnostics(&c);
    assert_int_equal(cJSON_GetArraySize(list), 0);
    cJSON_Delete(list);

    /* The whole text again: the finding is back. */
    change(&c, NULL, c.text);
    list = diagnostics(&c);
    assert_int_equal(cJSON_GetArraySize(list), 1);
    cJSON_Delete(list);

    /* Closing clears them. */
    cJSON *params = cJSON_CreateObject();
    cJSON_AddItemToObject(params, "textDocument", document(c.uri));
    notify(&c, "textDocument/didClose", params);
    list = diagnostics(&c);
    assert_int_equal(cJSON_GetArraySize(list), 0);
    cJSON_Delete(list);

    shut_down(&c);
    finish(&c);
}

static void test_hover_and_inlay_hints(void **state)
{
    (void)state;
    client c;
    start(&c);
    initialize(&c);
    open_text(&c, c.text);

    /* A use: its shape and where each dimension came from. */
    char *md = hover(&c, 2, "&logits[0][0]", "logits");
    assert_non_null(md);
    assert_non_null(strstr(md, "`logits`: shape `[32, 10]`"));
    assert_non_null(strstr(md, "declared as an array of shape [BATCH, "
                               "CLASSES], BATCH = 32, CLASSES = 10 (train.c:"));
    assert_non_null(strstr(md, "CLASSES defined as 10 here (train.c:7)"));
    free(md);
    /* A declaration with no shape written: the one it took. */
    md = hover(&c, 3, "const float *scores", "scores");
    assert_non_null(md);
    assert_non_null(strstr(md, "`scores`: shape `[32, 10]`"));
    assert_non_null(strstr(md, "'scores' takes its shape [32, 10] from "
                               "'logits'"));
    free(md);
    /* A use as an argument, and a word that is no variable. */
    md = hover(&c, 4, "return cross_entropy", "labels");
    assert_non_null(md);
    assert_non_null(strstr(md, "`labels`: shape `[16]`"));
    free(md);
    assert_null(hover(&c, 5, "return cross_entropy", "return"));

    /* The inferred shape beside the declaration that has none. */
    unsigned line, character;
    find(c.text, "const float *scores", "scores", &line, &character);
    cJSON *params = cJSON_CreateObject();
    cJSON_AddItemToObject(params, "textDocument", document(c.uri));
    cJSON_AddItemToObject(params, "range", range(0, 0, 100, 0));
    request(&c, 6, "textDocument/inlayHint", params);
    cJSON *msg = response(&c, 6);
    const cJSON *hints = get(msg, "result");
    assert_int_equal(cJSON_GetArraySize(hints), 1);
    const cJSON *hint = cJSON_GetArrayItem(hints, 0);
    assert_string_equal(get_string(hint, "label"), ": [32, 10]");
    assert_int_equal(get_int(hint, "kind"), 1);
    assert_int_equal(get_int(get(hint, "position"), "line"), line);
    assert_int_equal(get_int(get(hint, "position"), "character"),
                     character + strlen("scores"));
    cJSON_Delete(msg);

    shut_down(&c);
    finish(&c);
}

/* A valid request still gets its answer: the server kept serving. */
static void still_serving(client *c, int id)
{
    char *md = hover(c, id, "&logits[0][0]", "logits");
    assert_non_null(md);
    free(md);
}

/* Sends a frame announcing N bytes, then N bytes. */
static void send_oversized(client *c, size_t n)
{
    char header[64], chunk[65536];
    send_raw(c, header,
             (size_t)snprintf(header, sizeof header,
                              "Content-Length: %zu\r\n\r\n", n));
    memset(chunk, ' ', sizeof chunk);
    for (size_t left = n; left > 0;) {
        size_t k = left < sizeof chunk ? left : sizeof chunk;
        send_raw(c, chunk, k);
        left -= k;
    }
}

static void test_bad_input_keeps_serving(void **state)
{
    (void)state;
    client c;
    start(&c);
    initialize(&c);
    open_text(&c, c.text);
    cJSON_Delete(diagnostics(&c));

    static const char garbage[] = "this is not a header\r\n\r\n";
    send_raw(&c, garbage, sizeof garbage - 1);
    assert_int_equal(error_code(&c, -1), -32700);
    send_raw(&c, "Content-Length: lots\r\n\r\n", 24);
    assert_int_equal(error_code(&c, -1), -32700);
    send_body(&c, "{\"jsonrpc\": \"2.0\", \"id\": 7, ");
    assert_int_equal(error_code(&c, -1), -32700);
    send_body(&c, "{} trailing");
    assert_int_equal(error_code(&c, -1), -32700);
    send_body(&c, "[1, 2, 3]");
    assert_int_equal(error_code(&c, -1), -32600);
    send_body(&c, "{\"jsonrpc\": \"2.0\", \"id\": {}, \"method\": \"x\"}");
    assert_int_equal(error_code(&c, -1), -32600);
    still_serving(&c, 10);

    request(&c, 11, "shapecheck/frobnicate", NULL);
    assert_int_equal(error_code(&c, 11), -32601);
    request(&c, 12, "textDocument/hover", cJSON_CreateString("nonsense"));
    assert_int_equal(error_code(&c, 12), -32602);
    cJSON *params = cJSON_CreateObject();
    cJSON_AddItemToObject(params, "textDocument", document(c.uri));
    request(&c, 13, "textDocument/inlayHint", params);
    assert_int_equal(error_code(&c, 13), -32602);
    /* Notifications with bad params, cancellation, unknown ones: no
       answer, no harm. */
    notify(&c, "textDocument/didOpen", cJSON_CreateObject());
    notify(&c, "textDocument/didChange", cJSON_CreateArray());
    notify(&c, "$/cancelRequest", NULL);
    notify(&c, "workspace/somethingNew", NULL);
    request(&c, 14, "initialize", cJSON_CreateObject());
    assert_int_equal(error_code(&c, 14), -32600);
    still_serving(&c, 15);

    /* Over the limit: refused, its bytes skipped to the next header, and
       the next one is read. */
    send_oversized(&c, JSONRPC_MAX_BODY + 1);
    assert_int_equal(error_code(&c, -1), -32600);
    still_serving(&c, 16);

    shut_down(&c);
    finish(&c);
}

/* A length over the limit is refused while the body has not come (and
   may never come), and the next message is read. */
static void test_oversized_refused_quickly(void **state)
{
    (void)state;
    client c;
    start(&c);
    initialize(&c);
    static const char huge[] = "Content-Length: 99999999999\r\n\r\n";
    send_raw(&c, huge, sizeof huge - 1);
    cJSON *msg;
    do
        msg = receive_within(&c, 10000);
    while (msg && !is_response(msg, -1) && (cJSON_Delete(msg), true));
    assert_non_null(msg);
    assert_int_equal(get_int(get(msg, "error"), "code"), -32600);
    assert_non_null(
        strstr(get_string(get(msg, "error"), "message"), "over the limit"));
    cJSON_Delete(msg);
    open_text(&c, c.text);
    still_serving(&c, 2);
    shut_down(&c);
    finish(&c);
}

/* TEXT with the first PLACEHOLDER replaced by WITH, malloc'd. */
static char *replaced(const char *text, const char *placeholder,
                      const char *with)
{
    const char *at = strstr(text, placeholder);
    assert_non_null(at);
    size_t n = strlen(text) - strlen(placeholder) + strlen(with);
    char *out = malloc(n + 1);
    assert_non_null(out);
    snprintf(out, n + 1, "%.*s%s%s", (int)(at - text), text, with,
             at + strlen(placeholder));
    return out;
}

/* A document whose text holds a lone surrogate escape is opened (the
   character is U+FFFD, one UTF-16 unit), not refused as malformed. */
static void test_lone_surrogate_in_a_document(void **state)
{
    (void)state;
    client c;
    start(&c);
    initialize(&c);
    /* "/\* Σ *\/ return cross_entropy(...)" with a lone surrogate in the
       comment: the finding's column counts it as one unit. */
    char *with_mark = replaced(c.text, "/* \xCE\xA3 */", "/* @LONE@ */");
    cJSON *td = document(c.uri);
    cJSON_AddStringToObject(td, "languageId", "c");
    cJSON_AddNumberToObject(td, "version", 1);
    cJSON_AddStringToObject(td, "text", with_mark);
    cJSON *params = cJSON_CreateObject();
    cJSON_AddItemToObject(params, "textDocument", td);
    cJSON *msg = message("textDocument/didOpen", params);
    char *printed = cJSON_PrintUnformatted(msg);
    char *body = replaced(printed, "@LONE@", "\\ud800");
    send_body(&c, body);
    cJSON_free(printed);
    cJSON_Delete(msg);
    free(body);

    char *as_read = replaced(with_mark, "@LONE@", "\xEF\xBF\xBD");
    unsigned line, character;
    find(as_read, "return cross_entropy", "cross_entropy", &line, &character);
    cJSON *list = diagnostics(&c);
    assert_int_equal(cJSON_GetArraySize(list), 1);
    const cJSON *start_pos =
        get(get(cJSON_GetArrayItem(list, 0), "range"), "start");
    assert_int_equal(get_int(start_pos, "line"), line);
    assert_int_equal(get_int(start_pos, "character"), character);
    cJSON_Delete(list);
    free(as_read);
    free(with_mark);
    shut_down(&c);
    finish(&c);
}

/* Copies tests/data/lsp/DIR/NAME into the scratch folder; its URI. */
static char *copy_data(client *c, const char *dir, const char *name,
                       char **text)
{
    char src[4096];
    snprintf(src, sizeof src, "%s/lsp/%s/%s", TEST_DATA_DIR, dir, name);
    *text = test_read(src);
    assert_non_null(*text);
    char *path = test_write(c->dir, name, *text);
    assert_non_null(path);
    char *uri = lsp_path_to_uri(path);
    free(path);
    return uri;
}

/* A finding inside a header (an inline function) is a diagnostic of the
   header's file, at its place there; closing the document that found it
   clears it. */
static void test_header_finding_published_for_the_header(void **state)
{
    (void)state;
    client c;
    memset(&c, 0, sizeof c);
    c.dir = test_make_dir();
    assert_non_null(c.dir);
    char *header_text;
    char *header_uri = copy_data(&c, "header", "kernels.h", &header_text);
    c.uri = copy_data(&c, "header", "main.c", &c.text);
    launch(&c, NULL);
    initialize(&c);
    open_text(&c, c.text);
    /* A request on the document analyses it first: every diagnostic is
       published before the answer. */
    cJSON *params = cJSON_CreateObject();
    cJSON_AddItemToObject(params, "textDocument", document(c.uri));
    cJSON_AddItemToObject(params, "range", range(0, 0, 100, 0));
    request(&c, 2, "textDocument/inlayHint", params);
    cJSON *all = messages_until(&c, 2);
    const cJSON *msg, *in_header = NULL, *in_main = NULL;
    cJSON_ArrayForEach(msg, all)
    {
        if (published_for(msg, header_uri))
            in_header = published_for(msg, header_uri);
        if (published_for(msg, c.uri))
            in_main = published_for(msg, c.uri);
    }
    assert_non_null(in_main);
    assert_int_equal(cJSON_GetArraySize(in_main), 0);
    assert_non_null(in_header);
    assert_int_equal(cJSON_GetArraySize(in_header), 1);
    const cJSON *d = cJSON_GetArrayItem(in_header, 0);
    assert_non_null(diagnostic_with(in_header, "'labels' is [2] in call to "
                                               "'xent'"));
    unsigned line, character;
    find(header_text, "return xent", "xent", &line, &character);
    const cJSON *start_pos = get(get(d, "range"), "start");
    assert_int_equal(get_int(start_pos, "line"), line);
    assert_int_equal(get_int(start_pos, "character"), character);
    const cJSON *note = related_with(d, "'labels' declared as an array");
    assert_string_equal(get_string(get(note, "location"), "uri"), header_uri);
    cJSON_Delete(all);

    document_notification(&c, "textDocument/didClose", c.uri);
    cJSON *list = diagnostics_for(&c, header_uri);
    assert_int_equal(cJSON_GetArraySize(list), 0);
    cJSON_Delete(list);
    shut_down(&c);
    free(header_uri);
    free(header_text);
    finish(&c);
}

static void test_requests_before_initialize(void **state)
{
    (void)state;
    client c;
    start(&c);
    request(&c, 1, "textDocument/hover", cJSON_CreateObject());
    assert_int_equal(error_code(&c, 1), -32002);
    notify(&c, "exit", NULL); /* no shutdown first: status 1 */
    assert_int_equal(wait_exit(&c), 1);
    finish(&c);
}

static void test_disconnect_without_shutdown(void **state)
{
    (void)state;
    client c;
    start(&c);
    initialize(&c);
    open_text(&c, c.text);
    cJSON_Delete(diagnostics(&c));
    hang_up(&c);
    assert_int_equal(wait_exit(&c), 1);
    finish(&c);
}

static void test_disconnect_inside_a_message(void **state)
{
    (void)state;
    client c;
    start(&c);
    initialize(&c);
    static const char cut[] = "Content-Length: 100\r\n\r\n{\"jsonrpc\": ";
    send_raw(&c, cut, sizeof cut - 1);
    hang_up(&c);
    assert_int_equal(wait_exit(&c), 1);
    finish(&c);
}

int main(void)
{
    /* Writing to a server that is gone must fail a test, not kill it. */
    signal(SIGPIPE, SIG_IGN);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_utf16_columns),
        cmocka_unit_test(test_uris),
        cmocka_unit_test(test_framing),
        cmocka_unit_test(test_oversized_length_refused_at_once),
        cmocka_unit_test(test_lone_surrogates),
        cmocka_unit_test(test_diagnostics_follow_the_buffer),
        cmocka_unit_test(test_hover_and_inlay_hints),
        cmocka_unit_test(test_bad_input_keeps_serving),
        cmocka_unit_test(test_oversized_refused_quickly),
        cmocka_unit_test(test_lone_surrogate_in_a_document),
        cmocka_unit_test(test_header_finding_published_for_the_header),
        cmocka_unit_test(test_requests_before_initialize),
        cmocka_unit_test(test_disconnect_without_shutdown),
        cmocka_unit_test(test_disconnect_inside_a_message),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
