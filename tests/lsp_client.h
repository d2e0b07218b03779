/*
 * lsp_client.h - a scripted client for the language server's tests
 * (test_lsp.c, test_lsp_project.c): starts the built "shapecheck --lsp"
 * on two pipes in a scratch folder, and speaks JSON-RPC to it.
 *
 * Nothing may hang: every read waits at most REPLY_TIMEOUT_MS, every exit
 * EXIT_TIMEOUT_S, and an alarm ends a test that still gets stuck.
 *
 * Header-only (static functions), as test_files.h: each test_*.c is one
 * executable.  Needs _XOPEN_SOURCE 700 and cmocka's headers first.
 */
#ifndef SHAPECHECK_LSP_CLIENT_H
#define SHAPECHECK_LSP_CLIENT_H

#include <cjson/cJSON.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "jsonrpc.h"
#include "lsp_text.h"
#include "test_files.h"

/* Generous: under the sanitizers or valgrind a parse takes seconds. */
#define REPLY_TIMEOUT_MS 60000
#define EXIT_TIMEOUT_S 60
#define TEST_ALARM_S 300

typedef struct client {
    pid_t pid;
    FILE *to, *from;
    jsonrpc_reader rd;
    char *dir;  /* the scratch folder, the server's working directory */
    char *uri;  /* of the main document there */
    char *text; /* its contents */
} client;

/* ---- The server ----------------------------------------------------- */

/* Starts "shapecheck --lsp ARGS..." (ARGS NULL-terminated, may be NULL)
   in C->dir, which the caller made. */
static inline void launch(client *c, const char *const *args)
{
    alarm(TEST_ALARM_S);
    const char *argv[16] = {"shapecheck", "--lsp"};
    int argc = 2;
    for (int i = 0; args && args[i] && argc < 15; i++)
        argv[argc++] = args[i];
    argv[argc] = NULL;
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
        execv(SHAPECHECK_BIN, (char *const *)argv);
        _exit(127);
    }
    close(in[0]);
    close(out[1]);
    c->to = fdopen(in[1], "w");
    c->from = fdopen(out[0], "r");
    assert_non_null(c->to);
    assert_non_null(c->from);
    jsonrpc_reader_init(&c->rd, c->from);
}

/* Closes our end of the server's input (a disconnection). */
static inline void hang_up(client *c)
{
    if (c->to)
        fclose(c->to);
    c->to = NULL;
}

/* The server's exit status; fails if it does not exit in time or dies of
   a signal. */
static inline int wait_exit(client *c)
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

static inline void finish(client *c)
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

static inline void send_raw(client *c, const char *bytes, size_t n)
{
    assert_int_equal(fwrite(bytes, 1, n, c->to), n);
    assert_int_equal(fflush(c->to), 0);
}

static inline void send_body(client *c, const char *body)
{
    char header[64];
    int n = snprintf(header, sizeof header, "Content-Length: %zu\r\n\r\n",
                     strlen(body));
    send_raw(c, header, (size_t)n);
    send_raw(c, body, strlen(body));
}

static inline void send_message(client *c, cJSON *msg)
{
    char *text = cJSON_PrintUnformatted(msg);
    assert_non_null(text);
    send_body(c, text);
    cJSON_free(text);
    cJSON_Delete(msg);
}

static inline cJSON *message(const char *method, cJSON *params)
{
    cJSON *msg = cJSON_CreateObject();
    cJSON_AddStringToObject(msg, "jsonrpc", "2.0");
    cJSON_AddStringToObject(msg, "method", method);
    if (params)
        cJSON_AddItemToObject(msg, "params", params);
    return msg;
}

static inline void notify(client *c, const char *method, cJSON *params)
{
    send_message(c, message(method, params));
}

static inline void request(client *c, int id, const char *method, cJSON *params)
{
    cJSON *msg = message(method, params);
    cJSON_AddNumberToObject(msg, "id", id);
    send_message(c, msg);
}

/* The next message within TIMEOUT_MS; NULL when the server closed its
   output.  Fails when nothing comes in time. */
static inline cJSON *receive_within(client *c, int timeout_ms)
{
    struct pollfd p = {fileno(c->from), POLLIN, 0};
    if (!jsonrpc_buffered(&c->rd) && poll(&p, 1, timeout_ms) <= 0)
        fail_msg("no message from the server in %d ms", timeout_ms);
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

static inline cJSON *receive(client *c)
{
    return receive_within(c, REPLY_TIMEOUT_MS);
}

static inline const cJSON *get(const cJSON *object, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(object, key);
    if (!v)
        fail_msg("no '%s' in the message", key);
    return v;
}

static inline int get_int(const cJSON *object, const char *key)
{
    const cJSON *v = get(object, key);
    assert_true(cJSON_IsNumber(v));
    return v->valueint;
}

static inline const char *get_string(const cJSON *object, const char *key)
{
    const cJSON *v = get(object, key);
    assert_true(cJSON_IsString(v));
    return v->valuestring;
}

/* Whether MSG is the notification METHOD. */
static inline bool is_method(const cJSON *msg, const char *method)
{
    const cJSON *m = cJSON_GetObjectItemCaseSensitive(msg, "method");
    return cJSON_IsString(m) && strcmp(m->valuestring, method) == 0;
}

/* Whether MSG is the response to request ID (-1: a null id). */
static inline bool is_response(const cJSON *msg, int id)
{
    const cJSON *got = cJSON_GetObjectItemCaseSensitive(msg, "id");
    return !cJSON_HasObjectItem(msg, "method") && got &&
           (id < 0 ? cJSON_IsNull(got)
                   : cJSON_IsNumber(got) && got->valueint == id);
}

/* The response to request ID (-1: a response with a null id); other
   messages are dropped.  The caller deletes it. */
static inline cJSON *response(client *c, int id)
{
    for (;;) {
        cJSON *msg = receive(c);
        if (!msg)
            fail_msg("the server closed its output before answering %d", id);
        if (is_response(msg, id))
            return msg;
        cJSON_Delete(msg);
    }
}

/* Every message up to and including the response to request ID, in an
   array (the caller deletes it). */
static inline cJSON *messages_until(client *c, int id)
{
    cJSON *all = cJSON_CreateArray();
    for (;;) {
        cJSON *msg = receive(c);
        if (!msg)
            fail_msg("the server closed its output before answering %d", id);
        bool done = is_response(msg, id);
        cJSON_AddItemToArray(all, msg);
        if (done)
            return all;
    }
}

/* The error code of the response to ID (which must be an error). */
static inline int error_code(client *c, int id)
{
    cJSON *msg = response(c, id);
    int code = get_int(get(msg, "error"), "code");
    cJSON_Delete(msg);
    return code;
}

/* The "diagnostics" of a publishDiagnostics for URI (borrowed), or NULL
   when MSG is not one. */
static inline const cJSON *published_for(const cJSON *msg, const char *uri)
{
    if (!is_method(msg, "textDocument/publishDiagnostics"))
        return NULL;
    const cJSON *params = get(msg, "params");
    if (strcmp(get_string(params, "uri"), uri) != 0)
        return NULL;
    const cJSON *list = get(params, "diagnostics");
    assert_true(cJSON_IsArray(list));
    return list;
}

/* The next diagnostics published for URI (the caller deletes them). */
static inline cJSON *diagnostics_for(client *c, const char *uri)
{
    for (;;) {
        cJSON *msg = receive(c);
        if (!msg)
            fail_msg("the server closed its output before diagnostics");
        const cJSON *list = published_for(msg, uri);
        cJSON *copy = list ? cJSON_Duplicate(list, true) : NULL;
        cJSON_Delete(msg);
        if (copy)
            return copy;
    }
}

/* The next diagnostics published for the main document. */
static inline cJSON *diagnostics(client *c)
{
    return diagnostics_for(c, c->uri);
}

/* The diagnostic in LIST whose message contains TEXT, or NULL. */
static inline const cJSON *diagnostic_with(const cJSON *list, const char *text)
{
    const cJSON *d;
    cJSON_ArrayForEach(d, list)
    {
        if (strstr(get_string(d, "message"), text))
            return d;
    }
    return NULL;
}

static inline cJSON *document(const char *uri)
{
    cJSON *td = cJSON_CreateObject();
    cJSON_AddStringToObject(td, "uri", uri);
    return td;
}

static inline cJSON *position(unsigned line, unsigned character)
{
    cJSON *p = cJSON_CreateObject();
    cJSON_AddNumberToObject(p, "line", line);
    cJSON_AddNumberToObject(p, "character", character);
    return p;
}

static inline cJSON *range(unsigned l0, unsigned c0, unsigned l1, unsigned c1)
{
    cJSON *r = cJSON_CreateObject();
    cJSON_AddItemToObject(r, "start", position(l0, c0));
    cJSON_AddItemToObject(r, "end", position(l1, c1));
    return r;
}

/* "initialize" with PARAMS (NULL: an empty object), its answer checked,
   then "initialized". */
static inline void initialize_with(client *c, cJSON *params)
{
    request(c, 1, "initialize", params ? params : cJSON_CreateObject());
    cJSON *msg = response(c, 1);
    const cJSON *caps = get(get(msg, "result"), "capabilities");
    assert_string_equal(get_string(caps, "positionEncoding"), "utf-16");
    assert_true(cJSON_IsTrue(get(caps, "hoverProvider")));
    assert_true(cJSON_IsTrue(get(caps, "inlayHintProvider")));
    assert_int_equal(get_int(get(caps, "textDocumentSync"), "change"), 2);
    cJSON_Delete(msg);
    notify(c, "initialized", cJSON_CreateObject());
}

static inline void initialize(client *c)
{
    initialize_with(c, NULL);
}

/* Opens URI with TEXT. */
static inline void open_uri(client *c, const char *uri, const char *text)
{
    cJSON *td = document(uri);
    cJSON_AddStringToObject(td, "languageId", "c");
    cJSON_AddNumberToObject(td, "version", 1);
    cJSON_AddStringToObject(td, "text", text);
    cJSON *params = cJSON_CreateObject();
    cJSON_AddItemToObject(params, "textDocument", td);
    notify(c, "textDocument/didOpen", params);
}

static inline void open_text(client *c, const char *text)
{
    open_uri(c, c->uri, text);
}

/* Replaces the range (or, WHERE NULL, the whole text) of URI with TEXT. */
static inline void change_uri(client *c, const char *uri, cJSON *where,
                              const char *text)
{
    cJSON *params = cJSON_CreateObject();
    cJSON_AddItemToObject(params, "textDocument", document(uri));
    cJSON *changes = cJSON_AddArrayToObject(params, "contentChanges");
    cJSON *one = cJSON_CreateObject();
    if (where)
        cJSON_AddItemToObject(one, "range", where);
    cJSON_AddStringToObject(one, "text", text);
    cJSON_AddItemToArray(changes, one);
    notify(c, "textDocument/didChange", params);
}

static inline void change(client *c, cJSON *where, const char *text)
{
    change_uri(c, c->uri, where, text);
}

/* Closes or saves URI (METHOD didClose or didSave). */
static inline void document_notification(client *c, const char *method,
                                         const char *uri)
{
    cJSON *params = cJSON_CreateObject();
    cJSON_AddItemToObject(params, "textDocument", document(uri));
    notify(c, method, params);
}

static inline void shut_down(client *c)
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
static inline void find(const char *text, const char *line_has,
                        const char *word, unsigned *line, unsigned *character)
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

/* The markdown of a hover on URI (whose text is TEXT) at WORD on the first
   line with LINE_HAS; NULL when the result is null. */
static inline char *hover_in(client *c, const char *uri, const char *text,
                             int id, const char *line_has, const char *word)
{
    unsigned line, character;
    find(text, line_has, word, &line, &character);
    cJSON *params = cJSON_CreateObject();
    cJSON_AddItemToObject(params, "textDocument", document(uri));
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

static inline char *hover(client *c, int id, const char *line_has,
                          const char *word)
{
    return hover_in(c, c->uri, c->text, id, line_has, word);
}

#endif /* SHAPECHECK_LSP_CLIENT_H */
