/*
 * lsp.c - the language server: JSON-RPC messages in, one handler per
 * method, the open documents, and when to analyse them (see lsp.h).
 *
 * One thread answers messages in order; a request is answered before the
 * next message is read, so "$/cancelRequest" can only come too late and is
 * ignored.  Analysis is synchronous too, but it waits while more messages
 * are already waiting: a burst of changes (typing) is analysed once, when
 * the client pauses, and a hover or inlay hint request on a changed
 * document analyses it first.
 */
#define _XOPEN_SOURCE 700 /* fileno, dup, fdopen, realpath, strdup */

#include "lsp.h"

#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "jsonrpc.h"
#include "lsp_internal.h"

/* LSP MessageType, for window/logMessage */
enum { LSP_LOG_ERROR = 1, LSP_LOG_WARNING = 2 };
/* LSP TextDocumentSyncKind */
enum { LSP_SYNC_INCREMENTAL = 2 };

typedef enum server_state {
    SERVER_STARTING, /* waiting for "initialize" */
    SERVER_RUNNING,
    SERVER_SHUT_DOWN, /* "shutdown" received: only "exit" is left */
} server_state;

typedef struct server {
    FILE *out;
    jsonrpc_reader in;
    int in_fd; /* -1: cannot tell whether input is waiting */
    lsp_document **docs;
    size_t n_docs, cap_docs;
    server_state state;
    bool exit_received;
    bool broken; /* writing failed: the client is gone */
} server;

typedef struct rpc_error {
    int code;
    const char *message;
} rpc_error;

/* ---- Sending ---------------------------------------------------------- */

/* Writes MSG and frees it. */
static void send_message(server *s, cJSON *msg)
{
    if (!s->broken && jsonrpc_write(s->out, msg) != 0)
        s->broken = true;
    cJSON_Delete(msg);
}

static void send_error(server *s, const cJSON *id, int code, const char *text)
{
    send_message(s, jsonrpc_error(id, code, text));
}

static void log_message(server *s, int type, const char *text)
{
    cJSON *params = cJSON_CreateObject();
    cJSON_AddNumberToObject(params, "type", type);
    cJSON_AddStringToObject(params, "message", text);
    send_message(s, jsonrpc_notification("window/logMessage", params));
}

/* A notification cannot be answered: what was wrong with it goes to the
   client's log. */
static void bad_notification(server *s, const char *method, const char *why)
{
    char text[512];
    snprintf(text, sizeof text, "shapecheck: ignored %s: %s", method, why);
    log_message(s, LSP_LOG_ERROR, text);
}

/* ---- Reading params --------------------------------------------------- */

static const cJSON *member(const cJSON *object, const char *key)
{
    return cJSON_IsObject(object)
               ? cJSON_GetObjectItemCaseSensitive(object, key)
               : NULL;
}

static const char *string_member(const cJSON *object, const char *key)
{
    const cJSON *v = member(object, key);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

static bool uint_member(const cJSON *object, const char *key, unsigned *out)
{
    const cJSON *v = member(object, key);
    if (!cJSON_IsNumber(v) || v->valuedouble < 0 ||
        v->valuedouble > (double)UINT_MAX ||
        v->valuedouble != (double)(unsigned)v->valuedouble)
        return false;
    *out = (unsigned)v->valuedouble;
    return true;
}

static bool position_of(const cJSON *pos, unsigned *line, unsigned *character)
{
    return uint_member(pos, "line", line) &&
           uint_member(pos, "character", character);
}

static const char *document_uri(const cJSON *params)
{
    return string_member(member(params, "textDocument"), "uri");
}

/* ---- Documents -------------------------------------------------------- */

static lsp_document *find_document(server *s, const char *uri)
{
    for (size_t i = 0; uri && i < s->n_docs; i++)
        if (strcmp(s->docs[i]->uri, uri) == 0)
            return s->docs[i];
    return NULL;
}

static void document_free(lsp_document *d)
{
    free(d->uri);
    free(d->path);
    free(d->real);
    free(d->text);
    lsp_lines_free(&d->lines);
    if (d->facts.arena)
        shape_fact_list_free(&d->facts);
    free(d);
}

/* Replaces the text with LEN bytes of TEXT.  False when out of memory
   (the document keeps its old text). */
static bool set_text(lsp_document *d, const char *text, size_t len)
{
    char *copy = malloc(len + 1);
    lsp_lines lines = {NULL, 0};
    if (!copy || !lsp_lines_index(&lines, text, len)) {
        free(copy);
        return false;
    }
    memcpy(copy, text, len);
    copy[len] = '\0';
    free(d->text);
    lsp_lines_free(&d->lines);
    d->text = copy, d->len = len, d->lines = lines;
    return true;
}

static lsp_document *open_document(server *s, const char *uri)
{
    if (s->n_docs == s->cap_docs) {
        size_t cap = s->cap_docs ? s->cap_docs * 2 : 8;
        lsp_document **grown = realloc(s->docs, cap * sizeof *grown);
        if (!grown)
            return NULL;
        s->docs = grown, s->cap_docs = cap;
    }
    lsp_document *d = calloc(1, sizeof *d);
    if (!d || !(d->uri = strdup(uri))) {
        free(d);
        return NULL;
    }
    shape_fact_list_init(&d->facts);
    d->path = lsp_uri_to_path(uri);
    if (d->path) {
        d->real = realpath(d->path, NULL);
        if (!d->real)
            d->real = strdup(d->path);
    }
    s->docs[s->n_docs++] = d;
    return d;
}

static void close_document(server *s, lsp_document *d)
{
    for (size_t i = 0; i < s->n_docs; i++)
        if (s->docs[i] == d) {
            s->docs[i] = s->docs[--s->n_docs];
            break;
        }
    document_free(d);
}

/* Applies one TextDocumentContentChangeEvent: a range and its new text, or
   the whole new text. */
static bool apply_change(lsp_document *d, const cJSON *change)
{
    const char *text = string_member(change, "text");
    const cJSON *range = member(change, "range");
    if (!text)
        return false;
    if (!range)
        return set_text(d, text, strlen(text));
    unsigned l0, c0, l1, c1;
    if (!position_of(member(range, "start"), &l0, &c0) ||
        !position_of(member(range, "end"), &l1, &c1))
        return false;
    size_t a = lsp_offset(&d->lines, d->text, d->len, l0, c0);
    size_t b = lsp_offset(&d->lines, d->text, d->len, l1, c1);
    if (b < a)
        return false;
    size_t n = strlen(text), len = d->len - (b - a) + n;
    char *spliced = malloc(len + 1);
    if (!spliced)
        return false;
    memcpy(spliced, d->text, a);
    memcpy(spliced + a, text, n);
    memcpy(spliced + a + n, d->text + b, d->len - b);
    bool ok = set_text(d, spliced, len);
    free(spliced);
    return ok;
}

/* ---- Analysis --------------------------------------------------------- */

static void publish(server *s, const char *uri, cJSON *diagnostics)
{
    cJSON *params = cJSON_CreateObject();
    cJSON_AddStringToObject(params, "uri", uri);
    cJSON_AddItemToObject(params, "diagnostics", diagnostics);
    send_message(
        s, jsonrpc_notification("textDocument/publishDiagnostics", params));
}

/* Publishing replaces what was published for the document before. */
static void analyse(server *s, lsp_document *d)
{
    d->dirty = false;
    if (!d->path)
        return; /* not a file: nothing to give the compiler */
    char *log = NULL;
    cJSON *diagnostics = lsp_analyse(d, &log);
    if (log)
        log_message(s, strstr(log, "error:") ? LSP_LOG_ERROR : LSP_LOG_WARNING,
                    log);
    free(log);
    publish(s, d->uri, diagnostics);
}

static void analyse_changed(server *s)
{
    for (size_t i = 0; i < s->n_docs; i++)
        if (s->docs[i]->dirty)
            analyse(s, s->docs[i]);
}

static bool input_waiting(const server *s)
{
    struct pollfd p = {s->in_fd, POLLIN, 0};
    return s->in_fd >= 0 && poll(&p, 1, 0) > 0;
}

/* ---- Notifications ---------------------------------------------------- */

static void did_open(server *s, const cJSON *params)
{
    const cJSON *td = member(params, "textDocument");
    const char *uri = string_member(td, "uri");
    const char *text = string_member(td, "text");
    if (!uri || !text) {
        bad_notification(s, "textDocument/didOpen",
                         "textDocument.uri and textDocument.text are needed");
        return;
    }
    lsp_document *d = find_document(s, uri);
    if (!d)
        d = open_document(s, uri);
    if (!d || !set_text(d, text, strlen(text))) {
        bad_notification(s, "textDocument/didOpen", "out of memory");
        return;
    }
    d->dirty = true;
}

static void did_change(server *s, const cJSON *params)
{
    lsp_document *d = find_document(s, document_uri(params));
    const cJSON *changes = member(params, "contentChanges");
    if (!d || !cJSON_IsArray(changes)) {
        bad_notification(s, "textDocument/didChange",
                         d ? "contentChanges must be an array"
                           : "the document is not open");
        return;
    }
    const cJSON *change;
    cJSON_ArrayForEach(change, changes)
    {
        if (!apply_change(d, change)) {
            bad_notification(s, "textDocument/didChange",
                             "a change that cannot be applied");
            break;
        }
    }
    d->dirty = true;
}

/* Saving may change what other files see (a header, the database):
   analyse again even if the text is the same. */
static void did_save(server *s, const cJSON *params)
{
    lsp_document *d = find_document(s, document_uri(params));
    const char *text = string_member(params, "text");
    if (!d) {
        bad_notification(s, "textDocument/didSave", "the document is not open");
        return;
    }
    if (text)
        set_text(d, text, strlen(text));
    d->dirty = true;
}

/* A closed document's diagnostics go with it. */
static void did_close(server *s, const cJSON *params)
{
    lsp_document *d = find_document(s, document_uri(params));
    if (!d) {
        bad_notification(s, "textDocument/didClose",
                         "the document is not open");
        return;
    }
    publish(s, d->uri, cJSON_CreateArray());
    close_document(s, d);
}

static void initialized(server *s, const cJSON *params)
{
    (void)s, (void)params;
}

/* ---- Requests --------------------------------------------------------- */

static cJSON *capabilities(void)
{
    cJSON *caps = cJSON_CreateObject();
    cJSON_AddStringToObject(caps, "positionEncoding", "utf-16");
    cJSON *sync = cJSON_AddObjectToObject(caps, "textDocumentSync");
    cJSON_AddBoolToObject(sync, "openClose", true);
    cJSON_AddNumberToObject(sync, "change", LSP_SYNC_INCREMENTAL);
    cJSON *save = cJSON_AddObjectToObject(sync, "save");
    cJSON_AddBoolToObject(save, "includeText", false);
    cJSON_AddBoolToObject(caps, "hoverProvider", true);
    cJSON_AddBoolToObject(caps, "inlayHintProvider", true);
    return caps;
}

static cJSON *initialize(server *s, const cJSON *params, rpc_error *err)
{
    if (params && !cJSON_IsObject(params)) {
        *err = (rpc_error){JSONRPC_INVALID_PARAMS, "params must be an object"};
        return NULL;
    }
    s->state = SERVER_RUNNING;
    cJSON *result = cJSON_CreateObject();
    cJSON_AddItemToObject(result, "capabilities", capabilities());
    cJSON *info = cJSON_AddObjectToObject(result, "serverInfo");
    cJSON_AddStringToObject(info, "name", "shapecheck");
    return result;
}

static cJSON *shutdown_request(server *s, const cJSON *params, rpc_error *err)
{
    (void)params, (void)err;
    s->state = SERVER_SHUT_DOWN;
    return cJSON_CreateNull();
}

/* The document PARAMS names, analysed if it changed.  False (with ERR)
   when PARAMS does not name one; *D NULL when it is not open. */
static bool requested_document(server *s, const cJSON *params, lsp_document **d,
                               rpc_error *err)
{
    const char *uri = document_uri(params);
    if (!uri) {
        *err =
            (rpc_error){JSONRPC_INVALID_PARAMS, "textDocument.uri is needed"};
        return false;
    }
    *d = find_document(s, uri);
    if (*d && (*d)->dirty)
        analyse(s, *d);
    return true;
}

static cJSON *hover(server *s, const cJSON *params, rpc_error *err)
{
    unsigned line, character;
    lsp_document *d;
    if (!position_of(member(params, "position"), &line, &character)) {
        *err = (rpc_error){JSONRPC_INVALID_PARAMS, "position is needed"};
        return NULL;
    }
    if (!requested_document(s, params, &d, err))
        return NULL;
    cJSON *result = d ? lsp_hover(d, line, character) : NULL;
    return result ? result : cJSON_CreateNull();
}

static cJSON *inlay_hint(server *s, const cJSON *params, rpc_error *err)
{
    unsigned l0, c0, l1, c1;
    const cJSON *range = member(params, "range");
    lsp_document *d;
    if (!position_of(member(range, "start"), &l0, &c0) ||
        !position_of(member(range, "end"), &l1, &c1)) {
        *err = (rpc_error){JSONRPC_INVALID_PARAMS, "range is needed"};
        return NULL;
    }
    if (!requested_document(s, params, &d, err))
        return NULL;
    return d ? lsp_inlay_hints(d, l0, l1) : cJSON_CreateArray();
}

/* ---- Dispatch --------------------------------------------------------- */

typedef cJSON *request_fn(server *s, const cJSON *params, rpc_error *err);
typedef void notification_fn(server *s, const cJSON *params);

static const struct method {
    const char *name;
    request_fn *request;
    notification_fn *notification;
} methods[] = {
    {"initialize", initialize, NULL},
    {"initialized", NULL, initialized},
    {"shutdown", shutdown_request, NULL},
    {"textDocument/didOpen", NULL, did_open},
    {"textDocument/didChange", NULL, did_change},
    {"textDocument/didSave", NULL, did_save},
    {"textDocument/didClose", NULL, did_close},
    {"textDocument/hover", hover, NULL},
    {"textDocument/inlayHint", inlay_hint, NULL},
};

static const struct method *find_method(const char *name)
{
    for (size_t i = 0; i < sizeof methods / sizeof methods[0]; i++)
        if (strcmp(methods[i].name, name) == 0)
            return &methods[i];
    return NULL;
}

/* The error a request gets whatever its method in this state, or 0. */
static int state_error(const server *s, const char *method, const char **why)
{
    bool init = strcmp(method, "initialize") == 0;
    if (s->state == SERVER_STARTING && !init) {
        *why = "the server is not initialized";
        return LSP_SERVER_NOT_INITIALIZED;
    }
    if (s->state != SERVER_STARTING && init) {
        *why = "the server is already initialized";
        return JSONRPC_INVALID_REQUEST;
    }
    if (s->state == SERVER_SHUT_DOWN) {
        *why = "the server is shut down";
        return JSONRPC_INVALID_REQUEST;
    }
    return 0;
}

static void handle_request(server *s, const cJSON *id, const char *method,
                           const cJSON *params)
{
    const struct method *m = find_method(method);
    const char *why = NULL;
    int code = state_error(s, method, &why);
    if (code) {
        send_error(s, id, code, why);
        return;
    }
    if (!m || !m->request) {
        char text[256];
        snprintf(text, sizeof text, "unknown method '%.200s'", method);
        send_error(s, id, JSONRPC_METHOD_NOT_FOUND, text);
        return;
    }
    rpc_error err = {JSONRPC_INTERNAL_ERROR, "request failed"};
    cJSON *result = m->request(s, params, &err);
    if (result)
        send_message(s, jsonrpc_response(id, result));
    else
        send_error(s, id, err.code, err.message);
}

/* Before "initialize" and after "shutdown" only "exit" counts; unknown
   notifications ("$/cancelRequest" among them) are ignored. */
static void handle_notification(server *s, const char *method,
                                const cJSON *params)
{
    if (strcmp(method, "exit") == 0) {
        s->exit_received = true;
        return;
    }
    const struct method *m = find_method(method);
    if (s->state == SERVER_RUNNING && m && m->notification)
        m->notification(s, params);
}

static void handle_message(server *s, const char *body, size_t len)
{
    /* The terminating NUL is part of the input: nothing may follow the
       value (cJSON checks for it). */
    cJSON *msg = cJSON_ParseWithLengthOpts(body, len + 1, NULL, true);
    const cJSON *id = member(msg, "id"), *method = member(msg, "method");
    if (!msg)
        send_error(s, NULL, JSONRPC_PARSE_ERROR, "malformed JSON");
    else if (!cJSON_IsObject(msg))
        send_error(s, NULL, JSONRPC_INVALID_REQUEST,
                   "a message must be a JSON object");
    else if (id && !cJSON_IsNumber(id) && !cJSON_IsString(id))
        send_error(s, NULL, JSONRPC_INVALID_REQUEST,
                   "id must be a number or a string");
    else if (cJSON_IsString(method) && id)
        handle_request(s, id, method->valuestring, member(msg, "params"));
    else if (cJSON_IsString(method))
        handle_notification(s, method->valuestring, member(msg, "params"));
    else if (!id || !(member(msg, "result") || member(msg, "error")))
        send_error(s, id, JSONRPC_INVALID_REQUEST, "method is missing");
    /* else a response: the server sends no requests, so it is ignored */
    cJSON_Delete(msg);
}

/* ---- The loop --------------------------------------------------------- */

/* When OUT is standard output, the protocol gets a descriptor of its own
   and descriptor 1 becomes a copy of standard error: anything else that
   prints (a library, a stray printf) then cannot break the framing. */
static FILE *protocol_output(FILE *out, bool *owned)
{
    *owned = false;
    if (fileno(out) != STDOUT_FILENO)
        return out;
    fflush(out);
    int fd = dup(STDOUT_FILENO);
    FILE *own = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (!own) {
        if (fd >= 0)
            close(fd);
        return out;
    }
    if (dup2(STDERR_FILENO, STDOUT_FILENO) < 0) {
        fclose(own);
        return out;
    }
    *owned = true;
    return own;
}

/* IN's descriptor when poll() can tell whether a message is waiting (a
   pipe, socket or terminal), else -1.  The stream is then unbuffered, so
   that no message waits in its buffer unseen; bodies are still read in
   one call each. */
static int waitable_input(FILE *in)
{
    int fd = fileno(in);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0 ||
        !(S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode) || S_ISCHR(st.st_mode)))
        return -1;
    setvbuf(in, NULL, _IONBF, 0);
    return fd;
}

/* Reads and handles one message; false at the end of the input. */
static bool serve_one(server *s)
{
    char *body, err[256];
    size_t len;
    switch (jsonrpc_read(&s->in, &body, &len, err, sizeof err)) {
    case JSONRPC_EOF:
        return false;
    case JSONRPC_BAD_FRAME:
        fprintf(stderr, "shapecheck: lsp: %s\n", err);
        send_error(s, NULL, JSONRPC_PARSE_ERROR, err);
        return true;
    case JSONRPC_TOO_LARGE:
        fprintf(stderr, "shapecheck: lsp: %s\n", err);
        send_error(s, NULL, JSONRPC_INVALID_REQUEST, err);
        return true;
    case JSONRPC_OK:
        break;
    }
    handle_message(s, body, len);
    free(body);
    return true;
}

int lsp_serve(FILE *in, FILE *out)
{
    server s = {0};
    bool owned;
    /* A client that goes away makes writes fail, not kill the server. */
    signal(SIGPIPE, SIG_IGN);
    s.out = protocol_output(out, &owned);
    s.in_fd = waitable_input(in);
    jsonrpc_reader_init(&s.in, in);
    while (!s.exit_received && !s.broken) {
        if (!input_waiting(&s))
            analyse_changed(&s);
        if (!serve_one(&s))
            break;
    }
    int status = s.state == SERVER_SHUT_DOWN ? 0 : 1;
    for (size_t i = 0; i < s.n_docs; i++)
        document_free(s.docs[i]);
    free(s.docs);
    jsonrpc_reader_free(&s.in);
    if (owned)
        fclose(s.out);
    return status;
}
