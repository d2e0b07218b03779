/*
 * test_lsp_project.c - the language server and the program its documents
 * belong to, driven by a scripted client (lsp_client.h): where it finds
 * the compile database (as clangd: the client's initialization options,
 * --compile-commands-dir, the workspace folder, its build/ folder) and
 * what it says when there is none; the project index built in the
 * background with $/progress; a bug whose sizes cross files reported in
 * the open document once the index exists, and gone when the other file
 * is fixed and saved; hover naming where a value came from, never the
 * call the cursor is on.
 *
 * The program is tests/data/lsp/project: train.c calls forward(), whose
 * body in net.c says how many rows it returns.
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

/* ---- The program ------------------------------------------------------- */

typedef struct project {
    client c; /* c.uri, c.text: train.c */
    char *net_uri, *net_text;
    char *net_path;
} project;

/* Copies tests/data/lsp/project/NAME into DIR; its text in *TEXT, its
   path in *PATH (may be NULL); returns its URI. */
static char *copy_file(const char *dir, const char *name, char **text,
                       char **path)
{
    char src[4096];
    snprintf(src, sizeof src, "%s/lsp/project/%s", TEST_DATA_DIR, name);
    *text = test_read(src);
    assert_non_null(*text);
    char *p = test_write(dir, name, *text);
    assert_non_null(p);
    char *uri = lsp_path_to_uri(p);
    if (path)
        *path = p;
    else
        free(p);
    return uri;
}

/* The program in a scratch folder; with a compile database for it in
   DB_DIR there (NULL: none). */
static void make_project(project *p, const char *db_dir)
{
    memset(p, 0, sizeof *p);
    p->c.dir = test_make_dir();
    assert_non_null(p->c.dir);
    char *header;
    free(copy_file(p->c.dir, "net.h", &header, NULL));
    free(header);
    p->net_uri = copy_file(p->c.dir, "net.c", &p->net_text, &p->net_path);
    p->c.uri = copy_file(p->c.dir, "train.c", &p->c.text, NULL);
    if (!db_dir)
        return;
    char db[8192], name[256];
    snprintf(db, sizeof db,
             "[{\"directory\": \"%s\", \"file\": \"train.c\",\n"
             "  \"arguments\": [\"cc\", \"-c\", \"train.c\"]},\n"
             " {\"directory\": \"%s\", \"file\": \"net.c\",\n"
             "  \"arguments\": [\"cc\", \"-c\", \"net.c\"]}]\n",
             p->c.dir, p->c.dir);
    snprintf(name, sizeof name, "%s/compile_commands.json", db_dir);
    free(test_write(p->c.dir, name, db));
}

static void project_finish(project *p)
{
    free(p->net_uri);
    free(p->net_text);
    free(p->net_path);
    finish(&p->c);
}

/* "initialize" with the scratch folder as the workspace, the client's
   work done progress if PROGRESS, and the initialization option
   compilationDatabasePath DB (may be NULL). */
static void initialize_workspace(project *p, bool progress, const char *db)
{
    cJSON *params = cJSON_CreateObject();
    char *root = lsp_path_to_uri(p->c.dir);
    cJSON_AddStringToObject(params, "rootUri", root);
    free(root);
    cJSON *caps = cJSON_AddObjectToObject(params, "capabilities");
    cJSON *window = cJSON_AddObjectToObject(caps, "window");
    cJSON_AddBoolToObject(window, "workDoneProgress", progress);
    if (db)
        cJSON_AddStringToObject(
            cJSON_AddObjectToObject(params, "initializationOptions"),
            "compilationDatabasePath", db);
    initialize_with(&p->c, params);
}

/* ---- Reading what the server says -------------------------------------- */

/* The window/showMessage or window/logMessage (METHOD) messages in ALL
   whose text contains TEXT. */
static int count_told(const cJSON *all, const char *method, const char *text)
{
    int n = 0;
    const cJSON *msg;
    cJSON_ArrayForEach(msg, all)
    {
        if (is_method(msg, method) &&
            strstr(get_string(get(msg, "params"), "message"), text))
            n++;
    }
    return n;
}

/* What the client saw of the index's progress: the kinds in order
   ("begin report end "). */
typedef struct progress_seen {
    char kinds[4096];
} progress_seen;

/* The next message, after answering the server's requests for a
   progress token and noting its progress. */
static cJSON *next_message(client *c, progress_seen *seen)
{
    cJSON *msg = receive(c);
    if (!msg)
        fail_msg("the server closed its output");
    if (is_method(msg, "window/workDoneProgress/create")) {
        cJSON *answer = cJSON_CreateObject();
        cJSON_AddStringToObject(answer, "jsonrpc", "2.0");
        cJSON_AddItemToObject(answer, "id",
                              cJSON_Duplicate(get(msg, "id"), true));
        cJSON_AddNullToObject(answer, "result");
        send_message(c, answer);
    }
    if (is_method(msg, "$/progress") && seen) {
        const char *kind = get_string(get(get(msg, "params"), "value"), "kind");
        size_t used = strlen(seen->kinds);
        snprintf(seen->kinds + used, sizeof seen->kinds - used, "%s ", kind);
    }
    return msg;
}

/* Waits for the diagnostics of URI to have COUNT entries; the caller
   deletes them. */
static cJSON *wait_for_diagnostics(client *c, const char *uri, int count,
                                   progress_seen *seen)
{
    for (;;) {
        cJSON *msg = next_message(c, seen);
        const cJSON *list = published_for(msg, uri);
        cJSON *copy = list && cJSON_GetArraySize(list) == count
                          ? cJSON_Duplicate(list, true)
                          : NULL;
        cJSON_Delete(msg);
        if (copy)
            return copy;
    }
}

/* ---- Finding the database ---------------------------------------------- */

/* With no database anywhere it looks, the server says so once (however
   many documents are opened), and analyses each file alone. */
static void test_no_database_is_said_once(void **state)
{
    (void)state;
    project p;
    make_project(&p, NULL);
    launch(&p.c, NULL);
    initialize_workspace(&p, false, NULL);
    open_text(&p.c, p.c.text);
    open_uri(&p.c, p.net_uri, p.net_text);
    /* Both analysed (a request on each analyses it), then shut down. */
    for (int id = 2; id <= 3; id++) {
        cJSON *params = cJSON_CreateObject();
        cJSON_AddItemToObject(params, "textDocument",
                              document(id == 2 ? p.c.uri : p.net_uri));
        cJSON_AddItemToObject(params, "range", range(0, 0, 100, 0));
        request(&p.c, id, "textDocument/inlayHint", params);
    }
    request(&p.c, 4, "shutdown", NULL);
    cJSON *all = messages_until(&p.c, 4);
    assert_int_equal(
        count_told(all, "window/showMessage", "no compile_commands.json in"),
        1);
    assert_int_equal(count_told(all, "window/showMessage", p.c.dir), 1);
    assert_int_equal(count_told(all, "window/showMessage", "/build"), 1);
    cJSON_Delete(all);
    notify(&p.c, "exit", NULL);
    assert_int_equal(wait_exit(&p.c), 0);
    project_finish(&p);
}

/* The folder of the database the server reports using, started with ARGS
   and initialised with the option DB (may be NULL), in the project P
   whose databases are already written. */
static void assert_database(project *p, const char *const *args, const char *db,
                            const char *want_dir)
{
    launch(&p->c, args);
    initialize_workspace(p, false, db);
    request(&p->c, 3, "shutdown", NULL);
    cJSON *all = messages_until(&p->c, 3);
    char want[4096];
    snprintf(want, sizeof want, "compile database %s/compile_commands.json",
             want_dir);
    assert_int_equal(count_told(all, "window/logMessage", want) +
                         count_told(all, "window/showMessage", want),
                     1);
    assert_int_equal(
        count_told(all, "window/showMessage", "no compile_commands.json"), 0);
    cJSON_Delete(all);
    notify(&p->c, "exit", NULL);
    assert_int_equal(wait_exit(&p->c), 0);
    hang_up(&p->c);
    jsonrpc_reader_free(&p->c.rd);
    fclose(p->c.from);
    p->c.from = NULL;
}

/* As clangd: the workspace folder's build/, then --compile-commands-dir
   over it, then the client's initialization option over both. */
static void test_database_found_as_clangd_finds_it(void **state)
{
    (void)state;
    project p;
    make_project(&p, "build");
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/build", p.c.dir);
    assert_database(&p, NULL, NULL, dir);

    /* Out of the places looked at by default: the command line names it. */
    char *built = test_path(p.c.dir, "build/compile_commands.json");
    char *moved = test_path(p.c.dir, "elsewhere/compile_commands.json");
    free(test_write(p.c.dir, "elsewhere/.keep", ""));
    assert_int_equal(rename(built, moved), 0);
    const char *args[] = {"--compile-commands-dir=elsewhere", NULL};
    snprintf(dir, sizeof dir, "%s/elsewhere", p.c.dir);
    assert_database(&p, args, NULL, dir);
    const char *p_args[] = {"-p", "elsewhere", NULL};
    assert_database(&p, p_args, NULL, dir);

    /* The client's option (relative to the workspace) wins. */
    char *mine = test_path(p.c.dir, "mine/compile_commands.json");
    free(test_write(p.c.dir, "mine/.keep", ""));
    assert_int_equal(link(moved, mine), 0);
    snprintf(dir, sizeof dir, "%s/mine", p.c.dir);
    assert_database(&p, args, "mine", dir);
    free(mine);
    free(moved);
    free(built);
    project_finish(&p);
}

/* ---- The index --------------------------------------------------------- */

/* Without the index the call's own reading is no source: the hover at the
   call says what the pointer held before it. */
static void test_hover_at_the_call_is_not_circular(void **state)
{
    (void)state;
    project p;
    make_project(&p, NULL);
    launch(&p.c, NULL);
    initialize_workspace(&p, false, NULL);
    open_text(&p.c, p.c.text);
    char *md = hover(&p.c, 2, "return cross_entropy", "logits");
    assert_non_null(md);
    assert_null(strstr(md, "inferred from the call to 'cross_entropy'"));
    assert_non_null(strstr(md, "`logits`: no known shape before this call; "
                               "`cross_entropy` reads it as `[200, 4]`"));
    free(md);
    shut_down(&p.c);
    project_finish(&p);
}

/* The bug crosses files: reported in train.c once the index (built in the
   background, with progress) has net.c; the hover at the call and the
   inlay hint at the declaration name the callee and the macro; and fixing
   net.c in the editor, then saving it, analyses train.c again. */
static void test_cross_file_finding_with_the_index(void **state)
{
    (void)state;
    project p;
    make_project(&p, ".");
    launch(&p.c, NULL);
    initialize_workspace(&p, true, NULL);
    open_text(&p.c, p.c.text);
    progress_seen seen = {""};
    cJSON *list = wait_for_diagnostics(&p.c, p.c.uri, 1, &seen);
    const cJSON *d = cJSON_GetArrayItem(list, 0);
    assert_string_equal(get_string(d, "code"), "shape-mismatch");
    assert_non_null(
        strstr(get_string(d, "message"), "'logits' has shape [400]"));
    unsigned line, character;
    find(p.c.text, "return cross_entropy", "cross_entropy", &line, &character);
    assert_int_equal(get_int(get(get(d, "range"), "start"), "line"), line);
    cJSON_Delete(list);
    /* The index was built with progress shown: begin, then end. */
    assert_non_null(strstr(seen.kinds, "begin "));
    assert_non_null(strstr(strstr(seen.kinds, "begin "), "end "));

    char *md = hover(&p.c, 2, "return cross_entropy", "logits");
    assert_non_null(md);
    assert_null(strstr(md, "inferred from the call"));
    assert_non_null(strstr(md, "`logits`: shape `[400]`"));
    assert_non_null(strstr(md, "returned by 'forward'"));
    assert_non_null(strstr(md, "ROWS defined as 100 here (net.h:"));
    assert_non_null(strstr(md, "(net.c:"));
    free(md);
    /* The inlay hint at the declaration: the same shape and sources. */
    cJSON *params = cJSON_CreateObject();
    cJSON_AddItemToObject(params, "textDocument", document(p.c.uri));
    cJSON_AddItemToObject(params, "range", range(0, 0, 100, 0));
    request(&p.c, 3, "textDocument/inlayHint", params);
    cJSON *answer = response(&p.c, 3);
    const cJSON *hint = cJSON_GetArrayItem(get(answer, "result"), 0);
    find(p.c.text, "float *logits", "logits", &line, &character);
    assert_int_equal(get_int(get(hint, "position"), "line"), line);
    assert_string_equal(get_string(hint, "label"), ": [400]");
    const char *tip = get_string(get(hint, "tooltip"), "value");
    assert_non_null(strstr(tip, "returned by 'forward'"));
    assert_non_null(strstr(tip, "ROWS defined as 100 here (net.h:"));
    assert_null(strstr(tip, "inferred from"));
    cJSON_Delete(answer);

    /* net.c fixed (twice the rows) and saved: train.c is clean. */
    open_uri(&p.c, p.net_uri, p.net_text);
    const char *fixed_call = "malloc(sizeof(float) * (size_t)n * CLASSES * 2)";
    find(p.net_text, "malloc(", "malloc(", &line, &character);
    change_uri(&p.c, p.net_uri,
               range(line, character, line,
                     character + (unsigned)strlen("malloc(sizeof(float) * "
                                                  "(size_t)n * CLASSES)")),
               fixed_call);
    char *old = strstr(p.net_text, "malloc(");
    char fixed[4096];
    snprintf(fixed, sizeof fixed, "%.*s%s;\n    return out;\n}\n",
             (int)(old - p.net_text), p.net_text, fixed_call);
    free(test_write(p.c.dir, "net.c", fixed));
    document_notification(&p.c, "textDocument/didSave", p.net_uri);
    list = wait_for_diagnostics(&p.c, p.c.uri, 0, &seen);
    cJSON_Delete(list);
    shut_down(&p.c);
    project_finish(&p);
}

/* A unit that crashes libclang (30,000 nested unary minuses overflow its
   parser's stack) is that unit's error: the refresh parses it in a worker
   of its own, stores the other units, and the bug that crosses files is
   reported.  Parsing in the process (SHAPECHECK_PARSE_IN_PROCESS, as
   under valgrind) has no workers to lose. */
static void test_a_crashing_unit_does_not_stop_the_index(void **state)
{
    (void)state;
    const char *in_process = getenv("SHAPECHECK_PARSE_IN_PROCESS");
    if (in_process && *in_process && strcmp(in_process, "0") != 0)
        skip();
    project p;
    make_project(&p, NULL);
    size_t n = 30000, len = 0;
    char *deep = malloc(2 * n + 64);
    assert_non_null(deep);
    len += (size_t)sprintf(deep, "int deep(int a) { return ");
    for (size_t i = 0; i < n; i++)
        len += (size_t)sprintf(deep + len, "- ");
    sprintf(deep + len, "a; }\n");
    free(test_write(p.c.dir, "deep.c", deep));
    free(deep);
    char db[8192];
    snprintf(db, sizeof db,
             "[{\"directory\": \"%s\", \"file\": \"deep.c\",\n"
             "  \"arguments\": [\"cc\", \"-c\", \"deep.c\"]},\n"
             " {\"directory\": \"%s\", \"file\": \"train.c\",\n"
             "  \"arguments\": [\"cc\", \"-c\", \"train.c\"]},\n"
             " {\"directory\": \"%s\", \"file\": \"net.c\",\n"
             "  \"arguments\": [\"cc\", \"-c\", \"net.c\"]}]\n",
             p.c.dir, p.c.dir, p.c.dir);
    free(test_write(p.c.dir, "compile_commands.json", db));
    launch(&p.c, NULL);
    initialize_workspace(&p, false, NULL);
    open_text(&p.c, p.c.text);
    cJSON *list = wait_for_diagnostics(&p.c, p.c.uri, 1, NULL);
    assert_non_null(strstr(get_string(cJSON_GetArrayItem(list, 0), "message"),
                           "'logits' has shape [400]"));
    cJSON_Delete(list);
    shut_down(&p.c);
    project_finish(&p);
}

int main(void)
{
    /* Writing to a server that is gone must fail a test, not kill it. */
    signal(SIGPIPE, SIG_IGN);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_no_database_is_said_once),
        cmocka_unit_test(test_database_found_as_clangd_finds_it),
        cmocka_unit_test(test_hover_at_the_call_is_not_circular),
        cmocka_unit_test(test_cross_file_finding_with_the_index),
        cmocka_unit_test(test_a_crashing_unit_does_not_stop_the_index),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
