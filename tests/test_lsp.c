/*
 * test_lsp.c - shapecheck --lsp driven by a scripted client.  Each test
 * starts the built program on two pipes, in a scratch folder holding
 * tests/data/lsp/train.c and a compile database for it (-DBATCH=32, which
 * the file needs), and speaks the protocol to it: diagnostics on open,
 * change and close, hover, inlay hints, bad input, shutdown and
 * disconnection.  The parts that need no server (UTF-16 columns, URIs,
 * framing) are tested directly first.
 *
 * Nothing may hang: every read waits at most REPLY_TIMEOUT_MS, every exit
 * EXIT_TIMEOUT_S, and an alarm ends a test that still gets stuck.
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

#include <cjson/cJSON.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "jsonrpc.h"
#include "lsp_text.h"
#include "test_files.h"

/* Generous: under the sanitizers a parse takes a few seconds. */
#define REPLY_TIMEOUT_MS 60000
#define EXIT_TIMEOUT_S 60
#define TEST_ALARM_S 300

typedef struct client {
    pid_t pid;
    FILE *to, *from;
    jsonrpc_reader rd;
    char *dir;  /* the scratch folder, the server's working directory */
    char *uri;  /* of train.c there */
    char *text; /* its contents */
} client;

/* ---- The server ----------------------------------------------------- */

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

/* Starts "shapecheck --lsp" in the scratch folder. */
static void start(client *c)
{
    memset(c, 0, sizeof *c);
    alarm(TEST_ALARM_S);
    write_fixture(c);
    int in[2], out[2];
    assert_int_equal(pipe(in), 0);
    assert_int_equal(pipe(out), 0);
    c->pid = fork();
    assert_true(c->pid >= 0);
    if (c->pid == 0) {
        dup2(in[0], STDIN_FILENO);
        dup2(out[1], STDOUT_FILENO);
        close(in[0]), close(in[1]), close(out[0]), close(out[1]);
        if (chdir(c->dir) != 0)
            _exit(126);
        execl(SHAPECHECK_BIN, "shapecheck", "--lsp", (char *)NULL);
        _exit(127);
    }
    close(in[0]);
    close(out[1]);
    c->to = fdopen(in[1], "w");
    c->from = fdopen(out[0], "r");
    assert_non_null(c->to);
    assert_non_null(c->from);
    /* Unbuffered, so that poll() sees every message not yet read. */
    setvbuf(c->from, NULL, _IONBF, 0);
    jsonrpc_reader_init(&c->rd, c->from);
}

/* Closes our end of the server's input (a disconnection). */
static void hang_up(client *c)
{
    if (c->to)
        fclose(c->to);
    c->to = NULL;
}

/* The server's exit status; fails if it does not exit in time or dies of
   a signal. */
static int wait_exit(client *c)
{
    struct timespec tick = {0, 50 * 1000 * 1000};
    int status;
    for (int i = 0; i < EXIT_TIMEOUT_S * 20; i++) {
        if (waitpid(c->pid, &status, WNOHANG) == c->pid) {
            c->pid = 0;
            assert_true(WIFEXITED(status));
            return WEXITSTATUS(status);
        }
        nanosleep(&tick, NULL);
    }
    kill(c->pid, SIGKILL);
    waitpid(c->pid, &status, 0);
    c->pid = 0;
    fail_msg("the server did not exit");
    return -1;
}

static void finish(client *c)
{
    hang_up(c);
    if (c->pid)
        wait_exit(c);
    if (c->from)
        fclose(c->from);
    jsonrpc_reader_free(&c->rd);
    test_remove_dir(c->dir);
    free(c->uri);
    free(c->text);
    alarm(0);
}

/* ---- Speaking the protocol -------------------------------------------- */

static void send_raw(client *c, const char *bytes, size_t n)
{
    assert_int_equal(fwrite(bytes, 1, n, c->to), n);
    assert_int_equal(fflush(c->to), 0);
}

static void send_body(client *c, const char *body)
{
    char header[64];
    int n = snprintf(header, sizeof header, "Content-Length: %zu\r\n\r\n",
                     strlen(body));
    send_raw(c, header, (size_t)n);
    send_raw(c, body, strlen(body));
}

static void send_message(client *c, cJSON *msg)
{
    char *text = cJSON_PrintUnformatted(msg);
    assert_non_null(text);
    send_body(c, text);
    cJSON_free(text);
    cJSON_Delete(msg);
}

static cJSON *message(const char *method, cJSON *params)
{
    cJSON *msg = cJSON_CreateObject();
    cJSON_AddStringToObject(msg, "jsonrpc", "2.0");
    cJSON_AddStringToObject(msg, "method", method);
    if (params)
        cJSON_AddItemToObject(msg, "params", params);
    return msg;
}

static void notify(client *c, const char *method, cJSON *params)
{
    send_message(c, message(method, params));
}

static void request(client *c, int id, const char *method, cJSON *params)
{
    cJSON *msg = message(method, params);
    cJSON_AddNumberToObject(msg, "id", id);
    send_message(c, msg);
}

/* The next message; NULL when the server closed its output. */
static cJSON *receive(client *c)
{
    struct pollfd p = {fileno(c->from), POLLIN, 0};
    if (poll(&p, 1, REPLY_TIMEOUT_MS) <= 0)
        fail_msg("no message from the server in %d ms", REPLY_TIMEOUT_MS);
    char *body, err[256];
    size_t len;
    jsonrpc_status st = jsonrpc_read(&c->rd, &body, &len, err, sizeof err);
    if (st == JSONRPC_EOF)
        return NULL;
    assert_int_equal(st, JSONRPC_OK);
    cJSON *msg = cJSON_ParseWithLength(body, len);
    free(body);
    assert_non_null(msg);
    return msg;
}

static const cJSON *get(const cJSON *object, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(object, key);
    if (!v)
        fail_msg("no '%s' in the message", key);
    return v;
}

static int get_int(const cJSON *object, const char *key)
{
    const cJSON *v = get(object, key);
    assert_true(cJSON_IsNumber(v));
    return v->valueint;
}

static const char *get_string(const cJSON *object, const char *key)
{
    const cJSON *v = get(object, key);
    assert_true(cJSON_IsString(v));
    return v->valuestring;
}

/* The response to request ID (-1: a response with a null id); other
   messages are dropped.  The caller deletes it. */
static cJSON *response(client *c, int id)
{
    for (;;) {
        cJSON *msg = receive(c);
        if (!msg)
            fail_msg("the server closed its output before answering %d", id);
        const cJSON *got = cJSON_GetObjectItemCaseSensitive(msg, "id");
        bool method = cJSON_HasObjectItem(msg, "method");
        if (!method && got &&
            (id < 0 ? cJSON_IsNull(got)
                    : cJSON_IsNumber(got) && got->valueint == id))
            return msg;
        cJSON_Delete(msg);
    }
}

/* The error code of the response to ID (which must be an error). */
static int error_code(client *c, int id)
{
    cJSON *msg = response(c, id);
    int code = get_int(get(msg, "error"), "code");
    cJSON_Delete(msg);
    return code;
}

/* The next diagnostics published for the fixture's document. */
static cJSON *diagnostics(client *c)
{
    for (;;) {
        cJSON *msg = receive(c);
        if (!msg)
            fail_msg("the server closed its output before diagnostics");
        const cJSON *m = cJSON_GetObjectItemCaseSensitive(msg, "method");
        if (cJSON_IsString(m) &&
            strcmp(m->valuestring, "textDocument/publishDiagnostics") == 0 &&
            strcmp(get_string(get(msg, "params"), "uri"), c->uri) == 0) {
            cJSON *list = cJSON_DetachItemFromObjectCaseSensitive(
                cJSON_GetObjectItemCaseSensitive(msg, "params"), "diagnostics");
            cJSON_Delete(msg);
            assert_true(cJSON_IsArray(list));
            return list;
        }
        cJSON_Delete(msg);
    }
}

static cJSON *document(const char *uri)
{
    cJSON *td = cJSON_CreateObject();
    cJSON_AddStringToObject(td, "uri", uri);
    return td;
}

static cJSON *position(unsigned line, unsigned character)
{
    cJSON *p = cJSON_CreateObject();
    cJSON_AddNumberToObject(p, "line", line);
    cJSON_AddNumberToObject(p, "character", character);
    return p;
}

static cJSON *range(unsigned l0, unsigned c0, unsigned l1, unsigned c1)
{
    cJSON *r = cJSON_CreateObject();
    cJSON_AddItemToObject(r, "start", position(l0, c0));
    cJSON_AddItemToObject(r, "end", position(l1, c1));
    return r;
}

static void initialize(client *c)
{
    request(c, 1, "initialize", cJSON_CreateObject());
    cJSON *msg = response(c, 1);
    const cJSON *caps = get(get(msg, "result"), "capabilities");
    assert_string_equal(get_string(caps, "positionEncoding"), "utf-16");
    assert_true(cJSON_IsTrue(get(caps, "hoverProvider")));
    assert_true(cJSON_IsTrue(get(caps, "inlayHintProvider")));
    assert_int_equal(get_int(get(caps, "textDocumentSync"), "change"), 2);
    cJSON_Delete(msg);
    notify(c, "initialized", cJSON_CreateObject());
}

static void open_text(client *c, const char *text)
{
    cJSON *td = document(c->uri);
    cJSON_AddStringToObject(td, "languageId", "c");
    cJSON_AddNumberToObject(td, "version", 1);
    cJSON_AddStringToObject(td, "text", text);
    cJSON *params = cJSON_CreateObject();
    cJSON_AddItemToObject(params, "textDocument", td);
    notify(c, "textDocument/didOpen", params);
}

/* Replaces the range (or, RANGE NULL, the whole text) with TEXT. */
static void change(client *c, cJSON *where, const char *text)
{
    cJSON *params = cJSON_CreateObject();
    cJSON_AddItemToObject(params, "textDocument", document(c->uri));
    cJSON *changes = cJSON_AddArrayToObject(params, "contentChanges");
    cJSON *one = cJSON_CreateObject();
    if (where)
        cJSON_AddItemToObject(one, "range", where);
    cJSON_AddStringToObject(one, "text", text);
    cJSON_AddItemToArray(changes, one);
    notify(c, "textDocument/didChange", params);
}

static void shut_down(client *c)
{
    request(c, 99, "shutdown", NULL);
    cJSON *msg = response(c, 99);
    assert_true(cJSON_IsNull(get(msg, "result")));
    cJSON_Delete(msg);
    notify(c, "exit", NULL);
    assert_int_equal(wait_exit(c), 0);
}

/* Where WORD is on the first line of TEXT that contains LINE_HAS: LSP
   line and UTF-16 character. */
static void find(const char *text, const char *line_has, const char *word,
                 unsigned *line, unsigned *character)
{
    const char *hit = strstr(text, line_has);
    assert_non_null(hit);
    const char *start = hit;
    while (start > text && start[-1] != '\n')
        start--;
    *line = 0;
    for (const char *p = text; p < start; p++)
        *line += *p == '\n';
    const char *w = strstr(start, word);
    assert_non_null(w);
    *character = lsp_utf16_units(start, (size_t)(w - start));
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

/* The markdown of a hover at WORD on the first line with LINE_HAS; NULL
   when the result is null. */
static char *hover(client *c, int id, const char *line_has, const char *word)
{
    unsigned line, character;
    find(c->text, line_has, word, &line, &character);
    cJSON *params = cJSON_CreateObject();
    cJSON_AddItemToObject(params, "textDocument", document(c->uri));
    cJSON_AddItemToObject(params, "position", position(line, character + 1));
    request(c, id, "textDocument/hover", params);
    cJSON *msg = response(c, id);
    const cJSON *result = get(msg, "result");
    char *value = cJSON_IsNull(result)
                      ? NULL
                      : strdup(get_string(get(result, "contents"), "value"));
    cJSON_Delete(msg);
    return value;
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

    /* Over the limit: skipped, refused, and the next one is read. */
    send_oversized(&c, JSONRPC_MAX_BODY + 1);
    assert_int_equal(error_code(&c, -1), -32600);
    still_serving(&c, 16);

    shut_down(&c);
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
        cmocka_unit_test(test_diagnostics_follow_the_buffer),
        cmocka_unit_test(test_hover_and_inlay_hints),
        cmocka_unit_test(test_bad_input_keeps_serving),
        cmocka_unit_test(test_requests_before_initialize),
        cmocka_unit_test(test_disconnect_without_shutdown),
        cmocka_unit_test(test_disconnect_inside_a_message),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
