/*
 * lsp_project.c - the program the open documents belong to: its compile
 * database, found as clangd finds it, and its project index (index.h),
 * refreshed in the background (see lsp_internal.h).
 *
 * The refresh runs in a child process, not a thread: parsing moves the
 * whole process into each unit's folder (libclang applies
 * -working-directory with chdir), which a thread would do under the
 * server's own analyses; and whatever goes wrong in it takes the child
 * down, not the server.  The child parses in workers of its own
 * (isolate.h), so that a unit that crashes libclang is that unit's error
 * and the other units are still stored.  The child opens the index itself,
 * parses what is missing or stale at a low priority, and writes its progress
 * and messages, one line each, to a pipe that the server polls with its input.
 * Entries are renamed into place, so the server's own handle on the index sees
 * each new entry whole, or not yet.  Stopping a refresh (the server exits) is a
 * SIGTERM.
 *
 * Progress goes to the client with $/progress when it supports work done
 * progress: the server creates a token (window/workDoneProgress/create)
 * when a refresh starts, sends "begin" once the client has answered, then
 * a "report" per percent, and "end".
 */
#define _GNU_SOURCE /* pipe2 */

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "config.h"
#include "driver.h"
#include "index_runs.h"
#include "isolate.h"
#include "jsonrpc.h"
#include "lsp_internal.h"

/* The refresh's nice value: below the server's own work. */
#define REFRESH_NICE 10
/* A progress line from the child: "\001progress DONE TOTAL". */
#define PROGRESS_MARK "\001progress "

/* The state of the progress token of the refresh that runs. */
typedef enum token_state {
    TOKEN_NONE,      /* no progress shown (not supported, or ended) */
    TOKEN_REQUESTED, /* create sent, no answer yet */
    TOKEN_BEGUN,     /* "begin" sent: "report" and "end" follow */
} token_state;

/* A list of malloc'd paths. */
typedef struct path_list {
    char **items;
    size_t n;
} path_list;

/* Text being gathered: malloc'd, NUL-terminated. */
typedef struct text_buf {
    char *s;
    size_t n;
} text_buf;

struct lsp_project {
    char *db_dir;
    config cfg; /* the .shapecheck of the database: models, extra args */
    int jobs;   /* parsing threads of a refresh */
    sc_index *ix;
    bool had_index;
    lsp_send_fn *send;
    void *send_ud;
    bool progress; /* the client supports work done progress */
    char *log;     /* the index's messages in this process */
    size_t log_len;
    FILE *messages;

    /* The refresh. */
    pid_t child;              /* 0: none runs */
    int from_child;           /* its pipe, non-blocking */
    text_buf partial;         /* a line from it not ended yet */
    text_buf child_log;       /* its messages */
    bool refreshed;           /* a refresh was started once */
    bool initial;             /* the refresh that runs is the first */
    bool again;               /* another was asked for while it ran */
    path_list changed;        /* saved before the refresh that runs started */
    path_list queued;         /* saved while it ran: for the next */
    const char *const *units; /* the last dependents (the index's) */
    size_t n_units;

    /* Its progress. */
    token_state token;
    unsigned token_n; /* number of the last token */
    bool ended;       /* the refresh the token is for has ended */
    size_t done, total;
    int last_percent;
};

/* ---- Finding the database ---------------------------------------------- */

static bool has_database(const char *dir)
{
    char path[PATH_MAX];
    int n = snprintf(path, sizeof path, "%s/compile_commands.json", dir);
    return n > 0 && (size_t)n < sizeof path && access(path, R_OK) == 0;
}

/* Appends ", DIR" (or "DIR" first) to WHERE. */
static void looked_at(char *where, size_t size, const char *dir)
{
    size_t used = strlen(where);
    if (used < size)
        snprintf(where + used, size - used, "%s%s", used ? ", " : "", dir);
}

/* DIR if it holds the database (recorded in WHERE otherwise): its real
   path, malloc'd.  A relative DIR is taken from BASE (NULL: the current
   folder). */
static char *try_folder(const char *base, const char *dir, char *where,
                        size_t where_size)
{
    char joined[PATH_MAX];
    if (dir[0] != '/' && base) {
        int n = snprintf(joined, sizeof joined, "%s/%s", base, dir);
        if (n < 0 || (size_t)n >= sizeof joined)
            return NULL;
        dir = joined;
    }
    if (!has_database(dir)) {
        looked_at(where, where_size, dir);
        return NULL;
    }
    return realpath(dir, NULL);
}

char *lsp_find_database(const lsp_project_places *places, char *where,
                        size_t where_size)
{
    const char *root = places->n_roots ? places->roots[0] : NULL;
    char *found = NULL;
    if (where_size)
        where[0] = '\0';
    if (places->from_client)
        found = try_folder(root, places->from_client, where, where_size);
    if (!found && places->from_command_line)
        found = try_folder(NULL, places->from_command_line, where, where_size);
    for (size_t i = 0; !found && i < places->n_roots; i++) {
        found = try_folder(NULL, places->roots[i], where, where_size);
        if (!found)
            found = try_folder(places->roots[i], "build", where, where_size);
    }
    return found;
}

/* ---- Small helpers ----------------------------------------------------- */

static void paths_free(path_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->items[i]);
    free(l->items);
    l->items = NULL;
    l->n = 0;
}

static void paths_add(path_list *l, const char *path)
{
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->items[i], path) == 0)
            return;
    char **grown = realloc(l->items, (l->n + 1) * sizeof *grown);
    if (grown)
        l->items = grown;
    char *copy = grown ? strdup(path) : NULL;
    if (copy) /* else out of memory: that file's dependents are missed */
        l->items[l->n++] = copy;
}

/* Appends N bytes of S to B.  False when out of memory. */
static bool text_add(text_buf *b, const char *s, size_t n)
{
    char *grown = realloc(b->s, b->n + n + 1);
    if (!grown)
        return false;
    memcpy(grown + b->n, s, n);
    b->s = grown;
    b->n += n;
    b->s[b->n] = '\0';
    return true;
}

static void text_add_str(text_buf *b, const char *s)
{
    text_add(b, s, strlen(s));
}

static void text_free(text_buf *b)
{
    free(b->s);
    b->s = NULL;
    b->n = 0;
}

/* Parsing threads for a refresh: all cores but one, which stays the
   server's. */
static int refresh_jobs(int jobs)
{
    if (jobs > 0)
        return jobs;
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    return cores > 2 ? (int)cores - 1 : 1;
}

/* The index options of the project, with messages to MESSAGES. */
static index_options project_options(const lsp_project *p, FILE *messages)
{
    return (index_options){
        .build_dir = p->db_dir,
        .include_dir = driver_include_dir(),
        .models = p->cfg.models,
        .n_models = (int)p->cfg.n_models,
        .extra_args = p->cfg.extra_args,
        .n_extra_args = (int)p->cfg.n_extra_args,
        .jobs = p->jobs,
        .messages = messages,
    };
}

/* ---- Opening ----------------------------------------------------------- */

lsp_project *lsp_project_open(const char *db_dir, int jobs, bool progress,
                              lsp_send_fn *send, void *ud, char *err,
                              size_t err_size)
{
    lsp_project *p = calloc(1, sizeof *p);
    if (!p || !(p->db_dir = strdup(db_dir))) {
        free(p);
        snprintf(err, err_size, "out of memory");
        return NULL;
    }
    p->from_child = -1;
    p->jobs = refresh_jobs(jobs);
    p->send = send, p->send_ud = ud, p->progress = progress;
    char anchor[PATH_MAX], cfg_err[1024];
    snprintf(anchor, sizeof anchor, "%s/compile_commands.json", db_dir);
    if (config_for_file(&p->cfg, anchor, cfg_err, sizeof cfg_err) != 0)
        memset(&p->cfg, 0, sizeof p->cfg); /* said per document */
    p->messages = open_memstream(&p->log, &p->log_len);
    index_options o = project_options(p, p->messages ? p->messages : stderr);
    p->ix = index_open(&o, err, err_size);
    if (!p->ix) {
        lsp_project_close(p);
        return NULL;
    }
    p->had_index = index_exists(p->ix);
    return p;
}

struct sc_index *lsp_project_index(lsp_project *p)
{
    return p->ix;
}

bool lsp_project_had_index(const lsp_project *p)
{
    return p->had_index;
}

int lsp_project_wake_fd(const lsp_project *p)
{
    return p->child ? p->from_child : -1;
}

/* ---- Progress ---------------------------------------------------------- */

static void send_progress(lsp_project *p, const char *kind, int percent)
{
    char token[64], text[64];
    snprintf(token, sizeof token, "shapecheck/index/%u", p->token_n);
    if (p->total)
        snprintf(text, sizeof text, "%zu/%zu units", p->done, p->total);
    else /* nothing parsed yet: the entries are being checked */
        snprintf(text, sizeof text, "checking the entries");
    cJSON *params = cJSON_CreateObject();
    cJSON_AddStringToObject(params, "token", token);
    cJSON *value = cJSON_AddObjectToObject(params, "value");
    cJSON_AddStringToObject(value, "kind", kind);
    if (strcmp(kind, "begin") == 0) {
        cJSON_AddStringToObject(value, "title", "shapecheck: indexing");
        cJSON_AddBoolToObject(value, "cancellable", false);
    }
    cJSON_AddStringToObject(value, "message", text);
    if (percent >= 0)
        cJSON_AddNumberToObject(value, "percentage", percent);
    p->send(p->send_ud, jsonrpc_notification("$/progress", params));
}

static int percent_done(const lsp_project *p)
{
    return p->total ? (int)(100 * p->done / p->total) : 0;
}

/* Asks the client for a token for the refresh that starts. */
static void request_token(lsp_project *p)
{
    p->token = TOKEN_NONE;
    if (!p->progress)
        return;
    p->token_n++;
    p->token = TOKEN_REQUESTED;
    char id[64], token[64];
    snprintf(id, sizeof id, "shapecheck/progress/%u", p->token_n);
    snprintf(token, sizeof token, "shapecheck/index/%u", p->token_n);
    cJSON *params = cJSON_CreateObject();
    cJSON_AddStringToObject(params, "token", token);
    cJSON *msg = jsonrpc_notification("window/workDoneProgress/create", params);
    cJSON_AddStringToObject(msg, "id", id);
    p->send(p->send_ud, msg);
}

bool lsp_project_response(lsp_project *p, const cJSON *id, bool ok)
{
    static const char prefix[] = "shapecheck/progress/";
    if (!cJSON_IsString(id) ||
        strncmp(id->valuestring, prefix, sizeof prefix - 1) != 0)
        return false;
    char mine[64];
    snprintf(mine, sizeof mine, "%s%u", prefix, p->token_n);
    if (strcmp(id->valuestring, mine) != 0 || p->token != TOKEN_REQUESTED)
        return true; /* an older token's: its refresh is over */
    if (!ok || p->ended) {
        p->token = TOKEN_NONE; /* refused, or nothing left to show */
        return true;
    }
    p->token = TOKEN_BEGUN;
    p->last_percent = percent_done(p);
    send_progress(p, "begin", p->last_percent);
    return true;
}

/* The child's "DONE TOTAL": a "report" when the percentage moves. */
static void child_progress(lsp_project *p, const char *numbers)
{
    unsigned long long done, total;
    if (sscanf(numbers, "%llu %llu", &done, &total) != 2)
        return;
    p->done = (size_t)done, p->total = (size_t)total;
    int percent = percent_done(p);
    if (p->token == TOKEN_BEGUN && percent != p->last_percent) {
        p->last_percent = percent;
        send_progress(p, "report", percent);
    }
}

/* ---- The child --------------------------------------------------------- */

/* index_refresh's progress in the child: one line to the server. */
static bool progress_line(void *ud, size_t done, size_t total, const char *file)
{
    (void)file;
    FILE *out = ud;
    fprintf(out, PROGRESS_MARK "%zu %zu\n", done, total);
    return fflush(out) == 0; /* the server is gone: stop */
}

/* The child's whole life: open the index, parse what is missing or stale,
   say how it went on OUT_FD.  Never returns. */
static void refresh_child(lsp_project *p, int out_fd)
{
    /* Nothing of the server's: not its input, not the protocol's output
       (the client must see the end of it when the server exits). */
    close(STDIN_FILENO);
    dup2(STDERR_FILENO, STDOUT_FILENO);
    for (int fd = 3; fd < 1024; fd++)
        if (fd != out_fd)
            close(fd);
    if (setpriority(PRIO_PROCESS, 0, REFRESH_NICE) != 0) {
        /* not allowed: the refresh runs at the server's priority */
    }
    signal(SIGTERM, SIG_DFL);
    /* Parse workers of its own (isolate.h): the server's zygote socket
       was just closed, and sharing it would mix the two processes'
       requests.  This process has one thread, as isolate_start wants.
       So a unit that crashes libclang costs that unit, not the rest of
       the refresh (without workers: parsed in this process). */
    isolate_start();
    FILE *out = fdopen(out_fd, "w");
    if (!out)
        _exit(2);
    index_options o = project_options(p, out);
    char err[1024];
    sc_index *ix = index_open(&o, err, sizeof err);
    if (!ix) {
        fprintf(out, "shapecheck: error: %s\n", err);
        fflush(out);
        _exit(2);
    }
    int status = index_refresh(ix, progress_line, out);
    index_close(ix);
    fflush(out);
    /* _exit: the server's stdio buffers and exit handlers are not ours */
    _exit(status);
}

static void start_refresh(lsp_project *p, bool initial)
{
    p->initial = initial;
    p->ended = false;
    p->done = p->total = 0;
    p->last_percent = -1;
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) {
        text_add_str(&p->child_log, "shapecheck: error: cannot refresh the "
                                    "index: no pipe\n");
        return;
    }
    fflush(NULL); /* nothing buffered is written twice */
    pid_t pid = fork();
    if (pid == 0) {
        close(fds[0]);
        refresh_child(p, fds[1]);
    }
    close(fds[1]);
    if (pid < 0) {
        close(fds[0]);
        text_add_str(&p->child_log, "shapecheck: error: cannot refresh the "
                                    "index: no process\n");
        return;
    }
    fcntl(fds[0], F_SETFL, fcntl(fds[0], F_GETFL) | O_NONBLOCK);
    p->child = pid;
    p->from_child = fds[0];
    request_token(p);
}

void lsp_project_refresh(lsp_project *p, const char *const *changed, size_t n)
{
    bool first = !p->refreshed;
    p->refreshed = true;
    path_list *into = p->child ? &p->queued : &p->changed;
    for (size_t i = 0; i < n; i++)
        paths_add(into, changed[i]);
    if (p->child) {
        p->again = true;
        return;
    }
    start_refresh(p, first);
}

/* One line from the child: progress, or a message for the log. */
static void child_line(lsp_project *p, const char *line)
{
    if (strncmp(line, PROGRESS_MARK, sizeof PROGRESS_MARK - 1) == 0)
        child_progress(p, line + sizeof PROGRESS_MARK - 1);
    else if (text_add(&p->child_log, line, strlen(line)))
        text_add_str(&p->child_log, "\n");
}

/* Reads what the child wrote; true when it has closed its end. */
static bool read_child(lsp_project *p)
{
    char chunk[4096];
    for (;;) {
        ssize_t got = read(p->from_child, chunk, sizeof chunk);
        if (got == 0)
            return true;
        if (got < 0)
            return errno != EAGAIN && errno != EINTR;
        text_add(&p->partial, chunk, (size_t)got);
        char *line = p->partial.s, *nl;
        while (line && (nl = strchr(line, '\n'))) {
            *nl = '\0';
            child_line(p, line);
            line = nl + 1;
        }
        if (line && line != p->partial.s) {
            size_t rest = strlen(line);
            memmove(p->partial.s, line, rest + 1);
            p->partial.n = rest;
        }
    }
}

/* Waits for the child that closed its pipe, and says how it ended. */
static void reap_child(lsp_project *p)
{
    int status = 0;
    while (waitpid(p->child, &status, 0) < 0 && errno == EINTR)
        ;
    if (WIFSIGNALED(status) && WTERMSIG(status) != SIGTERM) {
        char text[160];
        int n = snprintf(text, sizeof text,
                         "shapecheck: error: the index refresh died of "
                         "signal %d; the units parsed before are stored\n",
                         WTERMSIG(status));
        text_add(&p->child_log, text, (size_t)n);
    }
    close(p->from_child);
    p->from_child = -1;
    p->child = 0;
    text_free(&p->partial);
}

bool lsp_project_finished(lsp_project *p, bool *all, const char *const **units,
                          size_t *n_units)
{
    *all = false;
    *units = NULL;
    *n_units = 0;
    if (!p->child || !read_child(p))
        return false;
    reap_child(p);
    p->ended = true;
    if (p->token == TOKEN_BEGUN)
        send_progress(p, "end", -1);
    if (p->token != TOKEN_REQUESTED)
        p->token = TOKEN_NONE;
    *all = p->initial;
    if (p->changed.n) {
        p->n_units =
            index_dependents(p->ix, (const char *const *)p->changed.items,
                             p->changed.n, &p->units);
        *units = p->units, *n_units = p->n_units;
    }
    paths_free(&p->changed);
    if (p->again) {
        p->again = false;
        p->changed = p->queued;
        p->queued = (path_list){NULL, 0};
        start_refresh(p, false);
    }
    return true;
}

/* ---- Messages and closing ---------------------------------------------- */

char *lsp_project_take_log(lsp_project *p)
{
    text_buf all = {NULL, 0};
    if (p->child_log.n)
        text_add(&all, p->child_log.s, p->child_log.n);
    text_free(&p->child_log);
    if (p->messages) {
        fflush(p->messages);
        if (p->log_len)
            text_add(&all, p->log, p->log_len);
        rewind(p->messages); /* emptied: the next flush sets the length */
        fflush(p->messages);
    }
    return all.s;
}

void lsp_project_close(lsp_project *p)
{
    if (!p)
        return;
    if (p->child) {
        kill(p->child, SIGTERM);
        reap_child(p);
    }
    if (p->ix)
        index_close(p->ix);
    if (p->messages)
        fclose(p->messages);
    free(p->log);
    text_free(&p->partial);
    text_free(&p->child_log);
    paths_free(&p->changed);
    paths_free(&p->queued);
    config_free(&p->cfg);
    free(p->db_dir);
    free(p);
}
