/*
 * isolate.c - worker processes for parsing (see isolate.h).
 *
 * Three kinds of process:
 *   - the checker, which asks the zygote for workers and sends them
 *     commands;
 *   - the zygote, forked by isolate_start while the checker is one
 *     thread: it only forks workers, one per request, and passes each
 *     worker's socket back to the checker (SCM_RIGHTS);
 *   - workers: each parses the commands it receives, one at a time, on a
 *     thread with the stack the front end needs, and answers with the TU
 *     it made in the shared region.
 *
 * The shared region: one MAP_SHARED anonymous mapping made before the
 * zygote is forked, so it has the same address in every process.  Its
 * first page is a header with an atomic bump pointer and the number of
 * bytes in use; memory is handed out in whole pages, from the bump
 * pointer, and given back to the system (MADV_REMOVE) when released.
 * Addresses are reused only once nothing is in use (isolate_recycle).
 */
#define _GNU_SOURCE /* MADV_REMOVE, MAP_NORESERVE, strsignal */

#include "isolate.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include "arena.h"

/* ---- The shared region ------------------------------------------------- */

#define PAGE 4096u

typedef struct region_header {
    _Atomic size_t next; /* offset of the next free page */
    _Atomic size_t live; /* bytes handed out and not released */
    size_t size;         /* of the whole mapping */
} region_header;

static region_header *region; /* NULL: no isolation */

static size_t page_round(size_t n)
{
    return (n + PAGE - 1) & ~(size_t)(PAGE - 1);
}

/* Live bytes are counted before the pages are taken, so that a recycle
   that sees none in use cannot hand out pages someone is taking. */
static void *region_alloc(size_t size)
{
    size_t n = page_round(size);
    atomic_fetch_add(&region->live, n);
    size_t at = atomic_fetch_add(&region->next, n);
    if (at > region->size || region->size - at < n) {
        atomic_fetch_sub(&region->live, n);
        return NULL;
    }
    char *p = (char *)region + at; /* never used since mapped or removed: 0 */
#ifdef MADV_POPULATE_WRITE
    /* The pages are written next: one call maps them all (a fault per
       page costs more, 6,000 of them on ggml). */
    madvise(p, n, MADV_POPULATE_WRITE);
#endif
    return p;
}

/* Pages the checker released and has not given back yet.  Each
   MADV_REMOVE flushes the TLB of every CPU the checker's threads ran on,
   and a run frees its TUs block by block at its end (on ggml 432 calls,
   a sixth of the checker's own time); so the checker gives pages back
   in few merged ranges, or all at once when nothing is in use any more
   (isolate_recycle).  Workers never recycle and give pages back at once.
   A page counts as live until it is given back, so that a recycle never
   hands out an address still waiting here. */
#define PENDING_RANGES 32
#define PENDING_BYTES ((size_t)32 << 20)

typedef struct page_range {
    char *p;
    size_t n;
} page_range;

static bool defer_release; /* true in the checker only */
static pthread_mutex_t pending_lock = PTHREAD_MUTEX_INITIALIZER;
static page_range pending[PENDING_RANGES];
static size_t n_pending, pending_bytes;

static void give_back(char *p, size_t n)
{
    madvise(p, n, MADV_REMOVE);
    atomic_fetch_sub(&region->live, n);
}

static void flush_pending_locked(void)
{
    for (size_t i = 0; i < n_pending; i++)
        give_back(pending[i].p, pending[i].n);
    n_pending = pending_bytes = 0;
}

/* Adds [P, P + N) to the pending ranges, merged with a neighbour when it
   touches one (an arena's blocks are mostly consecutive pages). */
static void add_pending_locked(char *p, size_t n)
{
    pending_bytes += n;
    for (size_t i = 0; i < n_pending; i++) {
        page_range *r = &pending[i];
        if (r->p + r->n == p) {
            r->n += n;
            return;
        }
        if (p + n == r->p) {
            r->p = p, r->n += n;
            return;
        }
    }
    if (n_pending == PENDING_RANGES)
        flush_pending_locked(), pending_bytes = n;
    pending[n_pending++] = (page_range){p, n};
}

static void region_release(void *p, size_t size)
{
    size_t n = page_round(size);
    if (!defer_release) {
        give_back(p, n);
        return;
    }
    pthread_mutex_lock(&pending_lock);
    add_pending_locked(p, n);
    if (pending_bytes >= PENDING_BYTES)
        flush_pending_locked();
    pthread_mutex_unlock(&pending_lock);
}

static const arena_source shared_source = {region_alloc, region_release};

/* The address space this process may still map: what RLIMIT_AS leaves
   above its size now (/proc/self/statm), or SIZE_MAX when unlimited. */
static size_t address_space_left(void)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_AS, &rl) != 0 || rl.rlim_cur == RLIM_INFINITY)
        return SIZE_MAX;
    unsigned long pages = 0;
    FILE *f = fopen("/proc/self/statm", "r");
    if (f) {
        if (fscanf(f, "%lu", &pages) != 1)
            pages = 0;
        fclose(f);
    }
    size_t used = (size_t)pages * (size_t)sysconf(_SC_PAGESIZE);
    return rl.rlim_cur > used ? (size_t)(rl.rlim_cur - used) : 0;
}

#define REGION_MAX ((size_t)256 << 30)
#define REGION_MIN ((size_t)64 << 20)

/* The largest mapping the system grants, from 256 GB down to 64 MB: only
   touched pages cost memory, but the mapping counts against RLIMIT_AS
   (ulimit -v) in the checker and in every worker, and valgrind allows
   less address space.  Under a limit, at most a quarter of what is left
   of it: the analysis (its work budget alone is 512 MB) and libclang need
   the rest.  A TU whose facts outgrow the region ends its worker ("out of
   memory"), reported as that unit's error; below 64 MB there are no
   workers and parsing stays in the checker's process. */
static bool region_map(void)
{
    size_t cap = address_space_left() / 4;
    for (size_t size = REGION_MAX; size >= REGION_MIN; size /= 2) {
        if (size > cap)
            continue;
        void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
                       MAP_SHARED | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        if (p == MAP_FAILED)
            continue;
        region = p;
        region->size = size;
        atomic_init(&region->next, PAGE);
        atomic_init(&region->live, 0);
        return atomic_is_lock_free(&region->next);
    }
    return false;
}

/* When every live page is a pending one, one MADV_REMOVE over all the
   pages ever handed out gives them back (pages given back before cost
   nothing), and the addresses start again from the first page. */
void isolate_recycle(void)
{
    if (!region)
        return;
    pthread_mutex_lock(&pending_lock);
    size_t next = atomic_load(&region->next);
    if (n_pending && atomic_load(&region->live) == pending_bytes) {
        size_t end = next < region->size ? next : region->size;
        madvise((char *)region + PAGE, end - PAGE, MADV_REMOVE);
        atomic_fetch_sub(&region->live, pending_bytes);
        n_pending = pending_bytes = 0;
    }
    flush_pending_locked();
    if (atomic_load(&region->live) == 0)
        atomic_compare_exchange_strong(&region->next, &next, PAGE);
    pthread_mutex_unlock(&pending_lock);
}

/* ---- Messages on sockets ------------------------------------------------ */

/* Writes all N bytes of P; false when the other end is gone. */
static bool send_all(int fd, const void *p, size_t n)
{
    const char *c = p;
    while (n > 0) {
        ssize_t k = send(fd, c, n, MSG_NOSIGNAL);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return false;
        c += k, n -= (size_t)k;
    }
    return true;
}

/* Reads exactly N bytes into P; false at the end of input or an error. */
static bool recv_all(int fd, void *p, size_t n)
{
    char *c = p;
    while (n > 0) {
        ssize_t k = read(fd, c, n);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return false;
        c += k, n -= (size_t)k;
    }
    return true;
}

/* A message being built: strings as a length (UINT64_MAX for NULL) and
   their bytes. */
typedef struct msg {
    char *data;
    size_t n, cap;
    bool failed;
} msg;

static void msg_put(msg *m, const void *p, size_t n)
{
    if (m->failed)
        return;
    if (m->n + n > m->cap) {
        size_t cap = m->cap ? m->cap : 256;
        while (cap < m->n + n)
            cap *= 2;
        char *data = realloc(m->data, cap);
        if (!data) {
            m->failed = true;
            return;
        }
        m->data = data, m->cap = cap;
    }
    memcpy(m->data + m->n, p, n);
    m->n += n;
}

static void msg_u64(msg *m, uint64_t v)
{
    msg_put(m, &v, sizeof v);
}

static void msg_bytes(msg *m, const char *s, size_t n)
{
    msg_u64(m, s ? n : UINT64_MAX);
    if (s)
        msg_put(m, s, n);
}

static void msg_str(msg *m, const char *s)
{
    msg_bytes(m, s, s ? strlen(s) : 0);
}

/* Sends M's bytes, preceded by their number; frees M. */
static bool msg_send(int fd, msg *m)
{
    uint64_t n = m->n;
    bool ok =
        !m->failed && send_all(fd, &n, sizeof n) && send_all(fd, m->data, m->n);
    free(m->data);
    return ok;
}

/* A received message: its bytes and a cursor. */
typedef struct inbox {
    char *data;
    size_t n, at;
    bool bad;
} inbox;

static bool inbox_recv(int fd, inbox *in)
{
    uint64_t n;
    memset(in, 0, sizeof *in);
    if (!recv_all(fd, &n, sizeof n) || n > ((uint64_t)1 << 40))
        return false;
    in->data = malloc(n + 1);
    in->n = n;
    return in->data && recv_all(fd, in->data, n);
}

static uint64_t inbox_u64(inbox *in)
{
    uint64_t v = 0;
    if (in->n - in->at < sizeof v) {
        in->bad = true;
        return 0;
    }
    memcpy(&v, in->data + in->at, sizeof v);
    in->at += sizeof v;
    return v;
}

/* The next string, as a malloc'd copy (*LEN its length, when LEN is not
   NULL); NULL for a NULL string or a bad message. */
static const char *inbox_str(inbox *in, size_t *len)
{
    uint64_t n = inbox_u64(in);
    if (in->bad || n == UINT64_MAX)
        return NULL;
    char *copy = in->n - in->at >= n ? malloc(n + 1) : NULL;
    if (!copy) {
        in->bad = true;
        return NULL;
    }
    memcpy(copy, in->data + in->at, n);
    copy[n] = '\0';
    in->at += n;
    if (len)
        *len = n;
    return copy;
}

/* ---- The worker --------------------------------------------------------- */

/* What a worker answers for one command. */
enum { REPLY_DONE = 1, REPLY_CRASH = 2 };

typedef struct reply {
    uint32_t kind;
    int32_t signo;        /* REPLY_CRASH */
    ir_tu *tu;            /* in the shared region, or NULL */
    const char **dropped; /* in the TU's arena */
    int32_t n_dropped;
    char err[1024];
} reply;

/* A fatal signal in a worker: say which on the socket, then end without
   running anything else (the process's state is not to be trusted). */
static int crash_fd = -1;

static void on_crash(int signo)
{
    reply r;
    memset(&r, 0, sizeof r);
    r.kind = REPLY_CRASH;
    r.signo = signo;
    uint64_t n = sizeof r;
    if (write(crash_fd, &n, sizeof n) == (ssize_t)sizeof n &&
        write(crash_fd, &r, sizeof r) == (ssize_t)sizeof r)
        _exit(128 + signo);
    _exit(128 + signo);
}

static void catch_crashes(void)
{
    static const int signals[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT};
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_crash;
    sa.sa_flags = SA_ONSTACK | SA_RESETHAND;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < sizeof signals / sizeof signals[0]; i++)
        sigaction(signals[i], &sa, NULL);
}

/* A stack overflow's signal needs a stack of its own to be handled on.
   The thread's previous one (a sanitizer's, which it unmaps when the
   thread ends) is put back before the thread ends. */
typedef struct alt_stack {
    void *mem; /* NULL: none installed */
    stack_t old;
} alt_stack;

static void alt_stack_push(alt_stack *a)
{
    stack_t ss;
    memset(&ss, 0, sizeof ss);
    memset(a, 0, sizeof *a);
    ss.ss_size = 1u << 16;
    ss.ss_sp = malloc(ss.ss_size);
    if (ss.ss_sp && sigaltstack(&ss, &a->old) != 0) {
        free(ss.ss_sp);
        return;
    }
    a->mem = ss.ss_sp;
}

static void alt_stack_pop(alt_stack *a)
{
    if (!a->mem)
        return;
    if (a->old.ss_flags & SS_DISABLE) {
        stack_t off;
        memset(&off, 0, sizeof off);
        off.ss_flags = SS_DISABLE;
        sigaltstack(&off, NULL);
    } else {
        sigaltstack(&a->old, NULL);
    }
    free(a->mem);
}

typedef struct worker_setup {
    int fd;
    inbox setup; /* include folder, root, force-includes */
} worker_setup;

/* One command from IN, parsed with FE, answered on FD. */
static bool serve_one(frontend *fe, int fd, inbox *in)
{
    fe_command cmd;
    memset(&cmd, 0, sizeof cmd);
    const char **argv = NULL;
    cmd.file = inbox_str(in, NULL);
    cmd.directory = inbox_str(in, NULL);
    cmd.argc = (int)inbox_u64(in);
    if (!in->bad && cmd.argc >= 0 && cmd.argc < (1 << 24))
        argv = calloc((size_t)cmd.argc + 1, sizeof *argv);
    for (int i = 0; argv && i < cmd.argc; i++)
        argv[i] = inbox_str(in, NULL);
    cmd.argv = argv;
    cmd.unsaved = inbox_str(in, &cmd.unsaved_length);
    cmd.defer_bodies = inbox_u64(in) != 0;
    reply r;
    memset(&r, 0, sizeof r);
    r.kind = REPLY_DONE;
    if (in->bad || !argv || !cmd.file) {
        snprintf(r.err, sizeof r.err,
                 "%s: the parsing worker got a bad "
                 "command",
                 cmd.file ? cmd.file : "(none)");
    } else {
        const char **dropped = NULL;
        int n_dropped = 0;
        r.tu =
            frontend_parse(fe, &cmd, &dropped, &n_dropped, r.err, sizeof r.err);
        r.dropped = dropped;
        r.n_dropped = n_dropped;
    }
    for (int i = 0; argv && i < cmd.argc; i++)
        free((void *)argv[i]);
    free(argv);
    free((void *)cmd.file);
    free((void *)cmd.directory);
    free((void *)cmd.unsaved);
    msg m = {0};
    msg_put(&m, &r, sizeof r);
    return msg_send(fd, &m);
}

/* The worker's parsing thread: its frontend, then commands until the
   checker closes the socket. */
static void *worker_main(void *arg)
{
    worker_setup *ws = arg;
    alt_stack altstack;
    alt_stack_push(&altstack);
    catch_crashes();
    const char *include_dir = inbox_str(&ws->setup, NULL);
    const char *root = inbox_str(&ws->setup, NULL);
    int n_force = (int)inbox_u64(&ws->setup);
    const char **force = NULL;
    if (!ws->setup.bad && n_force >= 0 && n_force < 65536)
        force = calloc((size_t)n_force + 1, sizeof *force);
    for (int i = 0; force && i < n_force; i++)
        force[i] = inbox_str(&ws->setup, NULL);
    if (force && !ws->setup.bad) {
        frontend *fe = frontend_new(include_dir, force, n_force);
        frontend_set_root(fe, root);
        inbox in;
        while (inbox_recv(ws->fd, &in)) {
            bool ok = serve_one(fe, ws->fd, &in);
            free(in.data);
            if (!ok)
                break;
        }
        free(in.data);
        frontend_free(fe);
    }
    for (int i = 0; force && i < n_force; i++)
        free((void *)force[i]);
    free(force);
    free((void *)include_dir);
    free((void *)root);
    alt_stack_pop(&altstack);
    return NULL;
}

/* The front end recurses once per nesting level of the source: the same
   stack as the checker's parsing threads (driver.c). */
#define WORKER_STACK_SIZE (64u << 20)

/* A worker process, just forked by the zygote, with its socket FD. */
static _Noreturn void worker_run(int fd)
{
    /* Nothing libclang prints may reach the report or the protocol. */
    int null = open("/dev/null", O_RDONLY);
    if (null >= 0) {
        dup2(null, 0);
        close(null);
    }
    dup2(2, 1);
    struct rlimit no_core = {0, 0};
    setrlimit(RLIMIT_CORE, &no_core); /* a crash is reported, not dumped */
    signal(SIGCHLD, SIG_DFL);
    /* libclang parses on the calling thread, and lets a crash kill the
       process (its recovery would leave it in an unknown state). */
    setenv("LIBCLANG_NOTHREADS", "1", 0);
    setenv("LIBCLANG_DISABLE_CRASH_RECOVERY", "1", 1);
    crash_fd = fd;
    arena_set_source(&shared_source);
    worker_setup ws = {.fd = fd};
    if (inbox_recv(fd, &ws.setup)) {
        pthread_attr_t attr;
        pthread_attr_init(&attr);
        pthread_attr_setstacksize(&attr, WORKER_STACK_SIZE);
        pthread_t t;
        if (pthread_create(&t, &attr, worker_main, &ws) == 0)
            pthread_join(t, NULL);
        pthread_attr_destroy(&attr);
    }
    free(ws.setup.data);
    _exit(0);
}

/* ---- The zygote --------------------------------------------------------- */

static int zygote_fd = -1; /* the checker's end */
static pthread_mutex_t zygote_lock = PTHREAD_MUTEX_INITIALIZER;

/* Closes every descriptor from 3 up but KEEP: two close_range calls
   (Linux 5.9), or one close per possible descriptor where the kernel has
   no close_range.  The loop is what made the zygote late: with a limit of
   20,000 descriptors it took longer than the first unit's parse, and the
   checker's first request waited for it. */
static void close_others(int keep)
{
    if ((keep <= 3 || close_range(3, (unsigned)keep - 1, 0) == 0) &&
        close_range((unsigned)keep + 1, ~0u, 0) == 0)
        return;
    long max = sysconf(_SC_OPEN_MAX);
    if (max < 0 || max > 65536)
        max = 65536;
    for (int fd = 3; fd < max; fd++)
        if (fd != keep)
            close(fd);
}

/* Sends FD (or none, when FD < 0) over SOCK with one byte. */
static bool send_fd(int sock, int fd)
{
    char byte = fd >= 0 ? 'W' : 'E';
    struct iovec iov = {&byte, 1};
    union {
        char buf[CMSG_SPACE(sizeof(int))];
        struct cmsghdr align;
    } u;
    memset(&u, 0, sizeof u);
    struct msghdr mh;
    memset(&mh, 0, sizeof mh);
    mh.msg_iov = &iov;
    mh.msg_iovlen = 1;
    if (fd >= 0) {
        mh.msg_control = u.buf;
        mh.msg_controllen = sizeof u.buf;
        struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
        c->cmsg_level = SOL_SOCKET;
        c->cmsg_type = SCM_RIGHTS;
        c->cmsg_len = CMSG_LEN(sizeof(int));
        memcpy(CMSG_DATA(c), &fd, sizeof fd);
    }
    return sendmsg(sock, &mh, MSG_NOSIGNAL) == 1;
}

/* The descriptor send_fd sent, or -1. */
static int recv_fd(int sock)
{
    char byte = 0;
    struct iovec iov = {&byte, 1};
    union {
        char buf[CMSG_SPACE(sizeof(int))];
        struct cmsghdr align;
    } u;
    struct msghdr mh;
    memset(&mh, 0, sizeof mh);
    mh.msg_iov = &iov;
    mh.msg_iovlen = 1;
    mh.msg_control = u.buf;
    mh.msg_controllen = sizeof u.buf;
    ssize_t k;
    do
        k = recvmsg(sock, &mh, MSG_CMSG_CLOEXEC);
    while (k < 0 && errno == EINTR);
    if (k != 1 || byte != 'W')
        return -1;
    struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
    if (!c || c->cmsg_type != SCM_RIGHTS)
        return -1;
    int fd;
    memcpy(&fd, CMSG_DATA(c), sizeof fd);
    return fd;
}

/* Forks one worker; returns the checker's end of its socket, or -1. */
static int zygote_fork_worker(int zsock)
{
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0)
        return -1;
    pid_t pid = fork();
    if (pid == 0) {
        close(sv[0]);
        close(zsock);
        worker_run(sv[1]);
    }
    close(sv[1]);
    if (pid < 0) {
        close(sv[0]);
        return -1;
    }
    return sv[0];
}

/* The zygote: a worker for each byte the checker sends, until it goes. */
static _Noreturn void zygote_run(int zsock)
{
    close_others(zsock);
    signal(SIGCHLD, SIG_IGN); /* workers are reaped by the system */
    signal(SIGPIPE, SIG_IGN);
    char byte;
    while (recv_all(zsock, &byte, 1)) {
        /* Loaded once, here, on the first request: every worker forked
           after shares it, and a run that parses nothing never loads it. */
        frontend_load();
        int fd = zygote_fork_worker(zsock);
        bool sent = send_fd(zsock, fd);
        if (fd >= 0)
            close(fd);
        if (!sent)
            break;
    }
    _exit(0);
}

bool isolate_start(void)
{
    const char *off = getenv("SHAPECHECK_PARSE_IN_PROCESS");
    if ((off && *off && strcmp(off, "0") != 0) || !region_map())
        return false;
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
        return false;
    fflush(NULL); /* nothing buffered is written twice */
    pid_t pid = fork();
    if (pid == 0) {
        close(sv[0]);
        zygote_run(sv[1]);
    }
    close(sv[1]);
    if (pid < 0) {
        close(sv[0]);
        return false;
    }
    zygote_fd = sv[0];
    defer_release = true;
    return true;
}

bool isolate_available(void)
{
    return zygote_fd >= 0;
}

/* ---- Workers, from the checker ----------------------------------------- */

struct isolate_worker {
    int fd;
};

isolate_worker *isolate_spawn(const char *include_dir,
                              const char *const *force_includes,
                              int n_force_includes, const char *root)
{
    if (zygote_fd < 0)
        return NULL;
    pthread_mutex_lock(&zygote_lock);
    char byte = 'S';
    int fd = send_all(zygote_fd, &byte, 1) ? recv_fd(zygote_fd) : -1;
    pthread_mutex_unlock(&zygote_lock);
    if (fd < 0)
        return NULL;
    msg m = {0};
    msg_str(&m, include_dir);
    msg_str(&m, root);
    msg_u64(&m, (uint64_t)n_force_includes);
    for (int i = 0; i < n_force_includes; i++)
        msg_str(&m, force_includes[i]);
    isolate_worker *w = malloc(sizeof *w);
    if (!w || !msg_send(fd, &m)) {
        free(w);
        close(fd);
        return NULL;
    }
    w->fd = fd;
    return w;
}

static void send_command(msg *m, const fe_command *cmd)
{
    msg_str(m, cmd->file);
    msg_str(m, cmd->directory);
    msg_u64(m, (uint64_t)cmd->argc);
    for (int i = 0; i < cmd->argc; i++)
        msg_str(m, cmd->argv[i]);
    msg_bytes(m, cmd->unsaved, cmd->unsaved_length);
    msg_u64(m, cmd->defer_bodies);
}

/* "Segmentation fault" for SIGSEGV, and so on (strsignal is not
   thread-safe). */
static const char *signal_name(int signo)
{
    switch (signo) {
    case SIGSEGV:
        return "Segmentation fault";
    case SIGBUS:
        return "Bus error";
    case SIGILL:
        return "Illegal instruction";
    case SIGFPE:
        return "Floating point exception";
    case SIGABRT:
        return "Aborted";
    default:
        return "it ended without an answer";
    }
}

bool isolate_parse(isolate_worker *w, const fe_command *cmd, ir_tu **tu,
                   const char ***dropped, int *n_dropped, char *err,
                   size_t err_size)
{
    *tu = NULL;
    *dropped = NULL;
    *n_dropped = 0;
    msg m = {0};
    send_command(&m, cmd);
    inbox in = {0};
    reply r;
    memset(&r, 0, sizeof r);
    bool answered =
        msg_send(w->fd, &m) && inbox_recv(w->fd, &in) && in.n == sizeof r;
    if (answered)
        memcpy(&r, in.data, sizeof r);
    free(in.data);
    if (!answered || r.kind != REPLY_DONE) {
        snprintf(err, err_size, "%s: libclang crashed while parsing it (%s)",
                 cmd->file, signal_name(answered ? r.signo : 0));
        return false;
    }
    r.err[sizeof r.err - 1] = '\0';
    snprintf(err, err_size, "%s", r.err);
    *tu = r.tu;
    *dropped = r.dropped;
    *n_dropped = r.n_dropped;
    return true;
}

void isolate_close(isolate_worker *w)
{
    if (!w)
        return;
    close(w->fd);
    free(w);
}
