/*
 * lsp.c - the language server: JSON-RPC messages in, one handler per
 * method, the open documents, and when to analyse them (see lsp.h).
 *
 * One thread answers messages in order; a request is answered before the
 * next message is read, so "$/cancelRequest" can only come too late and is
 * ignored.  Analysis of documents is on this thread too, but it waits
 * while more messages are already waiting: a burst of changes (typing) is
 * analysed once, when the client pauses, and a hover or inlay hint request
 * on a changed document analyses it first.
 *
 * The project index is refreshed by a child process (lsp_project.c),
 * whose progress comes through a pipe polled together with the input:
 * the server turns it into $/progress, and when the refresh ends, the
 * open documents it may change are analysed again.
 */
#define _XOPEN_SOURCE 700 /* fileno, dup, fdopen, realpath, strdup */

#include "lsp.h"

#include <errno.h>
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

/* LSP MessageType, for window/logMessage and window/showMessage */
enum { LSP_LOG_ERROR = 1, LSP_LOG_WARNING = 2, LSP_LOG_INFO = 3 };
/* LSP TextDocumentSyncKind */
enum { LSP_SYNC_INCREMENTAL = 2 };

typedef enum server_state {
    SERVER_STARTING, /* waiting for "initialize" */
    SERVER_RUNNING,
    SERVER_SHUT_DOWN, /* "shutdown" received: only "exit" is left */
} server_state;

typedef struct server {
    const lsp_options *o;
    FILE *out;
    bool broken; /* writing failed: the client is gone */
    jsonrpc_reader in;
    int in_fd; /* -1: cannot tell whether input is waiting */
    lsp_document **docs;
    size_t n_docs, cap_docs;
    lsp_published published;
    server_state state;
    bool exit_received;
    /* What "initialize" said of where the program is. */
    char *db_from_client; /* initializationOptions.compilationDatabasePath */
    char **roots;         /* workspace folders, as paths */
    size_t n_roots;
    bool client_progress; /* window.workDoneProgress */
    bool project_tried;   /* the compile database was looked for */
    lsp_project *project; /* NULL: each document is analysed alone */
    char *cwd; /* where the server started (parsing may move the process) */
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

/* send_message for the project (lsp_send_fn). */
static void send_from_project(void *ud, cJSON *msg)
{
    send_message(ud, msg);
}

static void send_error(server *s, const cJSON *id, int code, const char *text)
{
    send_message(s, jsonrpc_error(id, code, text));
}

/* window/logMessage (the server's log) or window/showMessage (shown to
   the user). */
static void tell(server *s, const char *method, int type, const char *text)
{
    cJSON *params = cJSON_CreateObject();
    cJSON_AddNumberToObject(params, "type", type);
    cJSON_AddStringToObject(params, "message", text);
    send_message(s, jsonrpc_notification(method, params));
}

static void log_message(server *s, int type, const char *text)
{
    tell(s, "window/logMessage", type, text);
}

/* A notification cannot be answered: what was wrong with it goes to the
   client's log. */
static void bad_notification(server *s, const char *method, const char *why)
{
    char text[512];
    snprintf(text, sizeof text, "shapecheck: ignored %s: %s", method, why);
    log_message(s, LSP_LOG_ERROR, text);
}

/* What the checker said besides findings, to the log. */
static void log_output(server *s, const char *log)
{
    if (log && *log)
        log_message(s, strstr(log, "error:") ? LSP_LOG_ERROR : LSP_LOG_WARNING,
                    log);
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

/* The diagnostics of URI (lsp_publish_fn). */
static void publish(void *ud, const char *uri, cJSON *diagnostics)
{
    cJSON *params = cJSON_CreateObject();
    cJSON_AddStringToObject(params, "uri", uri);
    cJSON_AddItemToObject(params, "diagnostics", diagnostics);
    send_message(
        ud, jsonrpc_notification("textDocument/publishDiagnostics", params));
}

/* Analyses D and publishes what it found: in its own file, and in each
   header (with what the other open documents found there). */
static void analyse(server *s, lsp_document *d)
{
    d->dirty = false;
    if (!d->path || s->o->protocol_only)
        return; /* not a file: nothing to give the compiler */
    lsp_context ctx = {s->project ? lsp_project_index(s->project) : NULL,
                       s->cwd, s->docs, s->n_docs};
    lsp_findings found;
    lsp_analyse(&ctx, d, &found);
    log_output(s, found.log);
    if (s->project) {
        char *log = lsp_project_take_log(s->project);
        log_output(s, log);
        free(log);
    }
    lsp_published_set(&s->published, d->uri, &found, publish, s);
    lsp_findings_free(&found);
}

static void analyse_changed(server *s)
{
    for (size_t i = 0; i < s->n_docs; i++)
        if (s->docs[i]->dirty)
            analyse(s, s->docs[i]);
}

/* Marks the open documents of the files UNITS (absolute paths) changed. */
static void mark_units(server *s, const char *const *units, size_t n)
{
    for (size_t i = 0; i < s->n_docs; i++) {
        lsp_document *d = s->docs[i];
        for (size_t k = 0; d->path && k < n; k++)
            if (strcmp(units[k], d->path) == 0 ||
                strcmp(units[k], d->real) == 0)
                d->dirty = true;
    }
}

/* After a refresh of the index: the documents it can change are analysed
   again (all of them after the first: the rest of the program is there
   now; after a save, those the saved files can affect). */
static void refresh_ended(server *s)
{
    bool all;
    const char *const *units;
    size_t n;
    if (!s->project || !lsp_project_finished(s->project, &all, &units, &n))
        return;
    char *log = lsp_project_take_log(s->project);
    log_output(s, log);
    free(log);
    for (size_t i = 0; all && i < s->n_docs; i++)
        s->docs[i]->dirty = true;
    mark_units(s, units, n);
}

/* Whether a message is waiting (or the input cannot tell). */
static bool input_waiting(const server *s)
{
    struct pollfd p = {s->in_fd, POLLIN, 0};
    return jsonrpc_buffered(&s->in) || (s->in_fd >= 0 && poll(&p, 1, 0) > 0);
}

/* Waits for a message or news of the refresh; true when a message (or
   the end of the input) is there to be read. */
static bool wait_for_input(const server *s)
{
    int wake = s->project ? lsp_project_wake_fd(s->project) : -1;
    if (s->in_fd < 0 || jsonrpc_buffered(&s->in))
        return true; /* a blocking read it is */
    struct pollfd p[2] = {{s->in_fd, POLLIN, 0}, {wake, POLLIN, 0}};
    while (poll(p, wake >= 0 ? 2 : 1, -1) < 0)
        if (errno != EINTR)
            return true;
    return p[0].revents != 0;
}

/* ---- The project ------------------------------------------------------- */

/* Finds the compile database and opens its index, once; says so when
   there is none.  Nothing before "initialized" (the client may not take
   messages yet), nor for the protocol alone. */
static void open_project(server *s)
{
    if (s->project_tried || s->o->protocol_only)
        return;
    s->project_tried = true;
    lsp_project_places places = {s->db_from_client, s->o->compile_commands_dir,
                                 (const char *const *)s->roots, s->n_roots};
    char where[2048], text[4096], err[1024];
    char *dir = lsp_find_database(&places, where, sizeof where);
    if (!dir) {
        snprintf(text, sizeof text,
                 "shapecheck: no compile_commands.json in %s: each file is "
                 "analysed alone, without the rest of the program (give the "
                 "database's folder with --compile-commands-dir=DIR or "
                 "initializationOptions.compilationDatabasePath)",
                 *where ? where : "the workspace (no workspace folder)");
        tell(s, "window/showMessage", LSP_LOG_WARNING, text);
        return;
    }
    s->project = lsp_project_open(dir, s->o->jobs, s->client_progress,
                                  send_from_project, s, err, sizeof err);
    if (!s->project) {
        snprintf(text, sizeof text,
                 "shapecheck: %s: each file is analysed alone, without the "
                 "rest of the program",
                 err);
        tell(s, "window/showMessage", LSP_LOG_ERROR, text);
    } else {
        snprintf(text, sizeof text,
                 "shapecheck: compile database %s/compile_commands.json%s", dir,
                 lsp_project_had_index(s->project)
                     ? ""
                     : "; no project index yet: building it in the "
                       "background, findings that cross files appear when "
                       "it is done");
        if (!lsp_project_had_index(s->project) && !s->client_progress)
            tell(s, "window/showMessage", LSP_LOG_INFO, text);
        else
            log_message(s, LSP_LOG_INFO, text);
        lsp_project_refresh(s->project, NULL, 0);
    }
    free(dir);
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
    open_project(s); /* a client that never said "initialized" */
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
   analyse again even if the text is the same, and refresh the index; the
   open documents the saved file can affect are analysed again when that
   is done. */
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
    if (s->project && d->path) {
        const char *changed[2] = {d->path, d->real};
        lsp_project_refresh(s->project, changed,
                            strcmp(d->path, d->real) != 0 ? 2 : 1);
    }
}

/* A closed document's diagnostics go with it (in the headers too, unless
   another open document found them). */
static void did_close(server *s, const cJSON *params)
{
    lsp_document *d = find_document(s, document_uri(params));
    if (!d) {
        bad_notification(s, "textDocument/didClose",
                         "the document is not open");
        return;
    }
    lsp_published_drop(&s->published, d->uri, publish, s);
    close_document(s, d);
}

static void initialized(server *s, const cJSON *params)
{
    (void)params;
    open_project(s);
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

/* Adds the folder of the file: URI to the workspace roots. */
static void add_root(server *s, const char *uri)
{
    char *path = uri ? lsp_uri_to_path(uri) : NULL;
    char **grown =
        path ? realloc(s->roots, (s->n_roots + 1) * sizeof *grown) : NULL;
    if (!grown) {
        free(path);
        return;
    }
    s->roots = grown;
    s->roots[s->n_roots++] = path;
}

/* What "initialize" says of where the program is: the workspace folders
   (else rootUri, else rootPath), the database's folder in the
   initialization options (clangd's compilationDatabasePath), and whether
   the client shows work done progress. */
static void read_workspace(server *s, const cJSON *params)
{
    const cJSON *folders = member(params, "workspaceFolders"), *f;
    if (cJSON_IsArray(folders))
        cJSON_ArrayForEach(f, folders) add_root(s, string_member(f, "uri"));
    if (!s->n_roots)
        add_root(s, string_member(params, "rootUri"));
    const char *root_path = string_member(params, "rootPath");
    if (!s->n_roots && root_path && root_path[0] == '/' &&
        (s->roots = malloc(sizeof *s->roots)) &&
        (s->roots[0] = strdup(root_path)))
        s->n_roots = 1;
    const char *db = string_member(member(params, "initializationOptions"),
                                   "compilationDatabasePath");
    if (db && *db)
        s->db_from_client = strdup(db);
    const cJSON *progress = member(
        member(member(params, "capabilities"), "window"), "workDoneProgress");
    s->client_progress = cJSON_IsTrue(progress);
}

static cJSON *initialize(server *s, const cJSON *params, rpc_error *err)
{
    if (params && !cJSON_IsObject(params)) {
        *err = (rpc_error){JSONRPC_INVALID_PARAMS, "params must be an object"};
        return NULL;
    }
    read_workspace(s, params);
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

static void handle_message(server *s, char *body, size_t len)
{
    cJSON *msg = jsonrpc_parse(body, len);
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
    else if (s->project) /* a response to the project's progress request */
        lsp_project_response(s->project, id, !member(msg, "error"));
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
   pipe, socket or terminal), else -1.  The reader reads it directly (and
   says what it has read ahead). */
static int waitable_input(FILE *in)
{
    int fd = fileno(in);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0 ||
        !(S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode) || S_ISCHR(st.st_mode)))
        return -1;
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

static void server_free(server *s)
{
    lsp_project_close(s->project); /* stops and waits for the refresh */
    for (size_t i = 0; i < s->n_docs; i++)
        document_free(s->docs[i]);
    free(s->docs);
    lsp_published_free(&s->published);
    for (size_t i = 0; i < s->n_roots; i++)
        free(s->roots[i]);
    free(s->roots);
    free(s->db_from_client);
    free(s->cwd);
    jsonrpc_reader_free(&s->in);
}

int lsp_serve(FILE *in, FILE *out, const lsp_options *o)
{
    static const lsp_options defaults = {0};
    server s = {.o = o ? o : &defaults};
    bool owned;
    /* A client that goes away makes writes fail, not kill the server. */
    signal(SIGPIPE, SIG_IGN);
    lsp_published_init(&s.published);
    s.cwd = getcwd(NULL, 0);
    s.out = protocol_output(out, &owned);
    s.in_fd = waitable_input(in);
    jsonrpc_reader_init(&s.in, in);
    while (!s.exit_received && !s.broken) {
        /* Messages first: the client's answer to the refresh's progress
           token may wait behind an analysis, and the refresh's end must
           not overtake it (a "begin" never sent has no "end"). */
        if (!input_waiting(&s)) {
            refresh_ended(&s);
            analyse_changed(&s);
            if (!wait_for_input(&s))
                continue; /* the refresh said something */
        }
        if (!serve_one(&s))
            break;
    }
    int status = s.state == SERVER_SHUT_DOWN ? 0 : 1;
    server_free(&s);
    if (owned)
        fclose(s.out);
    return status;
}
