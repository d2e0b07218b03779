/*
 * index.c - the project index (index.h, docs/facts.md): which entry is a
 * unit's, whether it is fresh, storing and loading facts, and the
 * language server's calls (refresh, analyse, dependents), which run the
 * driver with the index attached.
 *
 * Freshness.  An entry is fresh while (1) its fingerprint matches the
 * command the unit would be parsed with now (compile command, extra
 * arguments, models, the bundled headers, the checker binary and the
 * formats) and (2) every file the unit read has the size and content hash
 * the entry recorded.  Content hashes are computed once per file per
 * process, and again only when the file's size, time or inode change.
 */
#define _POSIX_C_SOURCE 200809L /* strdup, realpath-free path handling */

#include "index.h"

#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "args.h"
#include "config_set.h"
#include "hash.h"
#include "index_entry.h"
#include "ir_io.h"
#include "strmap.h"
#include "summary_io.h"

typedef struct unit {
    const char *file;      /* absolute, normalised */
    const fe_command *cmd; /* the database's command */
    const char *entry;     /* its entry's path */
    const char *summary;   /* the path of the summary beside it */
    int fresh;             /* -1 not known yet, 0 no, 1 yes */
    uint64_t fingerprint;  /* of the command the driver would make */
    bool have_fingerprint; /* under the index's lock */
    index_record record;   /* when fresh (or read for dependents) */
    bool have_record;      /* RECORD is in sc_index.records, this run */
} unit;

/* A file's content hash, with what it was computed from. */
typedef struct file_hash {
    bool ok;
    unsigned checked; /* the run (sc_index.run) that last looked at it */
    uint64_t size, hash;
    struct timespec mtime, ctime;
    ino_t ino;
} file_hash;

struct sc_index {
    arena *a;
    index_options o; /* its strings and arrays copied into A */
    const char *dir;
    const char *cwd;
    compdb db; /* when the index read it itself */
    const compdb *dbp;
    uint64_t salt; /* what every fingerprint starts from */
    unit *units;
    size_t n_units;
    strmap unit_by_file;  /* absolute file -> unit index + 1 */
    pthread_mutex_t lock; /* HASHES and the folder's creation */
    strmap hashes;        /* absolute path -> file_hash */
    arena *hash_arena;
    bool dir_made;
    /* Runs so far (index_new_run): a file is looked at (stat) once per
       run, however many units read it. */
    unsigned run;
    /* The units' records as read this run: one arena for them all (one
       each made a run over 200 small units fault in 13 MB), emptied by
       index_new_run. */
    arena *records;
    const char **dependents; /* index_dependents' last answer */
};

/* ---- Paths ------------------------------------------------------------ */

/* DIR/<file name>.<hash of the path>.entry: one entry per unit, named so
   that a person can tell which. */
static const char *entry_path_in(const sc_index *ix, arena *a, const char *file)
{
    const char *base = strrchr(file, '/');
    base = base ? base + 1 : file;
    return arena_printf(a, "%s/%s.%016llx.entry", ix->dir, base,
                        (unsigned long long)sc_hash_str(SC_HASH_SEED, file));
}

/* Creates DIR and the folders above it that are missing. */
static int make_dirs(const char *dir)
{
    char *p = strdup(dir);
    if (!p)
        return -1;
    for (char *s = strchr(p + 1, '/');; s = strchr(s + 1, '/')) {
        if (s)
            *s = '\0';
        if (mkdir(p, 0777) != 0 && errno != EEXIST) {
            free(p);
            return -1;
        }
        if (!s)
            break;
        *s = '/';
    }
    free(p);
    return 0;
}

/* ---- Fingerprints ---------------------------------------------------------
 */

/* The checker that wrote an entry: another binary may extract other
   facts from the same source. */
static uint64_t binary_identity(uint64_t h)
{
    struct stat st;
    if (stat("/proc/self/exe", &st) == 0) {
        h = sc_hash(h, &st.st_size, sizeof st.st_size);
        h = sc_hash(h, &st.st_mtim, sizeof st.st_mtim);
    }
    return h;
}

static uint64_t make_salt(const index_options *o)
{
    uint64_t h = binary_identity(SC_HASH_SEED);
    unsigned versions[2] = {IR_FACTS_VERSION, INDEX_ENTRY_VERSION};
    h = sc_hash(h, versions, sizeof versions);
    h = sc_hash_str(h, o->include_dir ? o->include_dir : "");
    for (int i = 0; i < o->n_models; i++)
        h = sc_hash_str(h, o->models[i]);
    return h;
}

/* "--driver-mode=gcc" changes nothing for C: CMake's clang-tidy runs add
   it, and a -p run's commands do not have it. */
static uint64_t hash_arg(uint64_t h, const char *arg)
{
    return strcmp(arg, "--driver-mode=gcc") == 0 ? h : sc_hash_str(h, arg);
}

/* The words of CMD's own arguments, the driver's dropped options left out
   (args.h: a Bear database's -MD -MF FILE), values of separate-value
   options never taken for options. */
static uint64_t hash_own_args(uint64_t h, const fe_command *cmd)
{
    for (int i = 1; i < cmd->argc;) {
        int skip = args_unwanted_words(cmd->argv, cmd->argc, i);
        if (skip) {
            i += skip;
            continue;
        }
        bool pair = args_takes_value(cmd->argv[i]) && i + 1 < cmd->argc;
        h = hash_arg(h, cmd->argv[i++]);
        if (pair)
            h = hash_arg(h, cmd->argv[i++]);
    }
    return h;
}

/* The words the driver puts after a command's own (driver.c,
   finish_command): its file's .shapecheck extra-args, and its models
   when the command line gives none.  A configuration that cannot be read
   stops the driver's run before anything is stored. */
static uint64_t hash_config_args(const sc_index *ix, uint64_t h,
                                 const fe_command *cmd)
{
    const config *cfg = NULL;
    char err[256];
    if (!ix->o.configs || config_set_for_file(ix->o.configs, cmd->file, &cfg,
                                              err, sizeof err) != 0)
        return h;
    for (size_t k = 0; k < cfg->n_extra_args; k++)
        h = hash_arg(h, cfg->extra_args[k]);
    for (size_t k = 0; ix->o.n_models == 0 && k < cfg->n_models; k++) {
        h = hash_arg(h, "-include");
        h = hash_arg(h, cfg->models[k]);
    }
    return h;
}

/* The fingerprint of CMD: its folder and arguments (not the compiler's
   name: libclang does not use it).  A database's command (ADD_EXTRAS)
   gets the words the driver adds around it; the driver's commands
   already have them. */
static uint64_t fingerprint(const sc_index *ix, const fe_command *cmd,
                            bool add_extras)
{
    const index_options *o = &ix->o;
    uint64_t h =
        sc_hash_str(ix->salt, cmd->directory ? cmd->directory : ix->cwd);
    for (int i = 0; add_extras && i < o->n_extra_args_before; i++)
        h = hash_arg(h, o->extra_args_before[i]);
    h = hash_own_args(h, cmd);
    if (add_extras)
        h = hash_config_args(ix, h, cmd);
    for (int i = 0; add_extras && i < o->n_extra_args; i++)
        h = hash_arg(h, o->extra_args[i]);
    return h;
}

/* Unit K's fingerprint, computed once (the configurations are read under
   the lock: index_store runs on the parsing threads). */
static uint64_t unit_fingerprint(sc_index *ix, size_t k)
{
    unit *u = &ix->units[k];
    pthread_mutex_lock(&ix->lock);
    if (!u->have_fingerprint) {
        u->fingerprint = fingerprint(ix, u->cmd, true);
        u->have_fingerprint = true;
    }
    uint64_t h = u->fingerprint;
    pthread_mutex_unlock(&ix->lock);
    return h;
}

/* ---- File hashes ------------------------------------------------------- */

static bool same_stat(const file_hash *f, const struct stat *st)
{
    return f->size == (uint64_t)st->st_size && f->ino == st->st_ino &&
           f->mtime.tv_sec == st->st_mtim.tv_sec &&
           f->mtime.tv_nsec == st->st_mtim.tv_nsec &&
           f->ctime.tv_sec == st->st_ctim.tv_sec &&
           f->ctime.tv_nsec == st->st_ctim.tv_nsec;
}

/* PATH's memo when this run has looked at it already, else NULL. */
static file_hash *looked_at(sc_index *ix, const char *path)
{
    pthread_mutex_lock(&ix->lock);
    file_hash *f = strmap_get(&ix->hashes, path);
    if (f && f->checked != ix->run)
        f = NULL;
    pthread_mutex_unlock(&ix->lock);
    return f;
}

/* PATH's size and content hash now (from the memo while its stat is the
   same, without a stat when this run has looked at it).  False when it
   cannot be read. */
static bool hash_of(sc_index *ix, const char *path, uint64_t *size,
                    uint64_t *hash)
{
    struct stat st;
    file_hash *f = looked_at(ix, path);
    if (f)
        goto done;
    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
        return false;
    pthread_mutex_lock(&ix->lock);
    f = strmap_get(&ix->hashes, path);
    bool known = f && same_stat(f, &st);
    unsigned run = ix->run;
    if (known)
        f->checked = run;
    pthread_mutex_unlock(&ix->lock);
    if (!known) {
        file_hash now = {.size = (uint64_t)st.st_size,
                         .mtime = st.st_mtim,
                         .ctime = st.st_ctim,
                         .ino = st.st_ino,
                         .checked = run};
        now.ok = sc_hash_file(path, &now.hash);
        pthread_mutex_lock(&ix->lock);
        f = strmap_get(&ix->hashes, path);
        if (!f) {
            f = arena_alloc(ix->hash_arena, sizeof *f);
            strmap_put(&ix->hashes, arena_strdup(ix->hash_arena, path), f);
        }
        *f = now;
        pthread_mutex_unlock(&ix->lock);
    }
done:
    pthread_mutex_lock(&ix->lock);
    bool ok = f->ok;
    *size = f->size, *hash = f->hash;
    pthread_mutex_unlock(&ix->lock);
    return ok;
}

/* ---- Opening ------------------------------------------------------------ */

static const char *const *copy_strings(arena *a, const char *const *v, int n)
{
    const char **out = arena_array(a, (size_t)n + 1, sizeof *out);
    for (int i = 0; i < n; i++)
        out[i] = arena_strdup(a, v[i]);
    return out;
}

static void copy_options(sc_index *ix, const index_options *o)
{
    arena *a = ix->a;
    ix->o = *o;
    ix->o.build_dir = o->build_dir ? arena_strdup(a, o->build_dir) : NULL;
    ix->o.include_dir = o->include_dir ? arena_strdup(a, o->include_dir) : NULL;
    ix->o.models = copy_strings(a, o->models, o->n_models);
    ix->o.extra_args = copy_strings(a, o->extra_args, o->n_extra_args);
    ix->o.extra_args_before =
        copy_strings(a, o->extra_args_before, o->n_extra_args_before);
    ix->o.messages = o->messages ? o->messages : stderr;
    char buf[4096];
    ix->cwd = arena_strdup(a, getcwd(buf, sizeof buf) ? buf : "/");
    const char *dir = o->index_dir
                          ? o->index_dir
                          : arena_printf(a, "%s/.shapecheck",
                                         o->build_dir ? o->build_dir : ".");
    ix->dir = compdb_absolute_path(a, ix->cwd, dir);
    ix->o.index_dir = ix->dir;
}

static void add_units(sc_index *ix)
{
    const compdb *db = ix->dbp;
    ix->units = arena_array(ix->a, db->n_commands + 1, sizeof *ix->units);
    for (size_t i = 0; i < db->n_commands; i++) {
        const fe_command *cmd = &db->commands[i];
        const char *file = compdb_absolute_path(
            ix->a, cmd->directory ? cmd->directory : ix->cwd, cmd->file);
        if (strmap_get(&ix->unit_by_file, file))
            continue;
        unit *u = &ix->units[ix->n_units++];
        *u = (unit){.file = file, .cmd = cmd, .fresh = -1};
        u->entry = entry_path_in(ix, ix->a, file);
        u->summary = arena_printf(ix->a, "%s.summary", u->entry);
        strmap_put(&ix->unit_by_file, file, (void *)(uintptr_t)ix->n_units);
    }
}

static sc_index *new_index(const index_options *o)
{
    sc_index *ix = calloc(1, sizeof *ix);
    if (!ix)
        return NULL;
    ix->a = arena_new();
    ix->hash_arena = arena_new();
    strmap_init(&ix->unit_by_file, ix->a);
    strmap_init(&ix->hashes, ix->hash_arena);
    pthread_mutex_init(&ix->lock, NULL);
    copy_options(ix, o);
    ix->salt = make_salt(&ix->o);
    ix->run = 1;
    ix->records = arena_new();
    return ix;
}

void index_new_run(sc_index *ix)
{
    pthread_mutex_lock(&ix->lock);
    ix->run++;
    pthread_mutex_unlock(&ix->lock);
    for (size_t i = 0; i < ix->n_units; i++)
        ix->units[i].have_record = false;
    arena_reset(ix->records);
}

sc_index *index_open_db(const index_options *o, const compdb *db)
{
    sc_index *ix = new_index(o);
    if (!ix)
        return NULL;
    ix->dbp = db;
    add_units(ix);
    return ix;
}

sc_index *index_open(const index_options *o, char *err, size_t err_size)
{
    sc_index *ix = new_index(o);
    if (!ix) {
        snprintf(err, err_size, "out of memory");
        return NULL;
    }
    const char *path = arena_printf(ix->a, "%s/compile_commands.json",
                                    o->build_dir ? o->build_dir : ".");
    if (compdb_load(&ix->db, path, err, err_size) != 0) {
        index_close(ix);
        return NULL;
    }
    ix->dbp = &ix->db;
    if (ix->db.n_commands == 0) {
        snprintf(err, err_size, "%s: no C translation units", path);
        index_close(ix);
        return NULL;
    }
    add_units(ix);
    return ix;
}

void index_close(sc_index *ix)
{
    if (!ix)
        return;
    if (ix->dbp == &ix->db)
        compdb_free(&ix->db);
    pthread_mutex_destroy(&ix->lock);
    free(ix->dependents);
    arena_free(ix->hash_arena);
    arena_free(ix->records);
    arena_free(ix->a);
    free(ix);
}

const char *index_dir(const sc_index *ix)
{
    return ix->dir;
}

bool index_exists(const sc_index *ix)
{
    DIR *d = opendir(ix->dir);
    if (!d)
        return false;
    bool found = false;
    for (struct dirent *e; !found && (e = readdir(d));) {
        size_t n = strlen(e->d_name);
        found = n > 6 && strcmp(e->d_name + n - 6, ".entry") == 0;
    }
    closedir(d);
    return found;
}

size_t index_n_units(const sc_index *ix)
{
    return ix->n_units;
}

const char *index_unit_file(const sc_index *ix, size_t i)
{
    return ix->units[i].file;
}

const fe_command *index_unit_command(const sc_index *ix, size_t i)
{
    return ix->units[i].cmd;
}

long index_unit_of(const sc_index *ix, const char *file, const char *dir)
{
    arena *a = arena_new();
    uintptr_t n = (uintptr_t)strmap_get(
        &ix->unit_by_file, compdb_absolute_path(a, dir ? dir : ix->cwd, file));
    arena_free(a);
    return (long)n - 1;
}

bool index_command_matches(sc_index *ix, const fe_command *cmd)
{
    long k = index_unit_of(ix, cmd->file, cmd->directory);
    return k >= 0 &&
           fingerprint(ix, cmd, false) == unit_fingerprint(ix, (size_t)k);
}

const char *index_build_dir(const sc_index *ix)
{
    return ix->o.build_dir ? ix->o.build_dir : ".";
}
/* ---- Freshness ------------------------------------------------------------
 */

/* Unit U's record, read again from its entry (which another process may
   have rewritten since). */
static bool read_record(sc_index *ix, unit *u)
{
    char err[512];
    u->have_record = index_entry_read_record(u->entry, ix->records, &u->record,
                                             err, sizeof err);
    return u->have_record;
}

static bool inputs_unchanged(sc_index *ix, const index_record *r)
{
    for (uint32_t i = 0; i < r->n_inputs; i++) {
        uint64_t size, hash;
        if (!hash_of(ix, r->inputs[i].path, &size, &hash) ||
            size != r->inputs[i].size || hash != r->inputs[i].hash)
            return false;
    }
    return true;
}

bool index_unit_fresh(sc_index *ix, size_t i)
{
    unit *u = &ix->units[i];
    u->fresh = read_record(ix, u) && strcmp(u->record.source, u->file) == 0 &&
               u->record.fingerprint == unit_fingerprint(ix, i) &&
               inputs_unchanged(ix, &u->record);
    return u->fresh;
}

bool index_unit_deferred(const sc_index *ix, size_t i)
{
    const unit *u = &ix->units[i];
    return u->fresh == 1 && u->have_record && u->record.bodies_deferred;
}

const index_options *index_settings(const sc_index *ix)
{
    return &ix->o;
}

bool index_unit_has_entry(const sc_index *ix, size_t i)
{
    return access(ix->units[i].entry, F_OK) == 0;
}

ir_tu *index_load(const sc_index *ix, size_t i, const char *root, char *err,
                  size_t err_size)
{
    return index_entry_read_facts(ix->units[i].entry, root, err, err_size);
}

/* ---- Storing ---------------------------------------------------------- */

/* What TU's analysis depends on: every file it read, hashed now. */
static bool record_inputs(sc_index *ix, arena *a, const fe_command *cmd,
                          const ir_tu *tu, index_record *r)
{
    const char *dir = cmd->directory ? cmd->directory : ix->cwd;
    r->inputs = arena_array(a, tu->n_inputs + 1, sizeof *r->inputs);
    for (uint32_t i = 0; i < tu->n_inputs; i++) {
        index_input *in = &r->inputs[r->n_inputs++];
        in->path = compdb_absolute_path(a, dir, tu->inputs[i]);
        if (!hash_of(ix, in->path, &in->size, &in->hash))
            return false; /* gone already: an entry would be stale */
    }
    return true;
}

/* The external functions TU defines, and those it declares without a
   definition (it may call them): the edges of index_dependents. */
static void record_functions(arena *a, const ir_tu *tu, index_record *r)
{
    r->defines = arena_array(a, tu->n_funcs + 1, sizeof *r->defines);
    r->uses = arena_array(a, tu->n_funcs + 1, sizeof *r->uses);
    for (uint32_t i = 0; i < tu->n_funcs; i++) {
        const ir_func *f = tu->funcs[i];
        r->bodies_deferred = r->bodies_deferred || f->body_deferred;
        if (f->is_static)
            continue;
        if (ir_func_defined(f))
            r->defines[r->n_defines++] = f->key;
        else
            r->uses[r->n_uses++] = f->key;
    }
}

static bool ensure_dir(sc_index *ix, char *err, size_t err_size)
{
    pthread_mutex_lock(&ix->lock);
    if (!ix->dir_made && make_dirs(ix->dir) == 0)
        ix->dir_made = true;
    bool ok = ix->dir_made;
    pthread_mutex_unlock(&ix->lock);
    if (!ok)
        snprintf(err, err_size, "%s: cannot create the index folder: %s",
                 ix->dir, strerror(errno));
    return ok;
}

/* Whether the entry of SOURCE has the record R: the same command and
   inputs, hence the same facts (a run over an unchanged unit need not
   encode and write them again). */
static bool has_record(sc_index *ix, arena *a, const char *source,
                       const index_record *r)
{
    char err[256];
    index_record old;
    return index_entry_read_record(entry_path_in(ix, a, source), a, &old, err,
                                   sizeof err) &&
           old.hash == index_entry_record_hash(r);
}

int index_store(sc_index *ix, const fe_command *cmd, const ir_tu *tu,
                const char *root, char *err, size_t err_size)
{
    if (!index_command_matches(ix, cmd))
        return 0; /* its entry would be stale: keep the one there is */
    if (!ensure_dir(ix, err, err_size))
        return -1;
    arena *a = arena_new();
    index_record r = {0};
    r.source = compdb_absolute_path(
        a, cmd->directory ? cmd->directory : ix->cwd, cmd->file);
    r.fingerprint = fingerprint(ix, cmd, false);
    record_functions(a, tu, &r);
    unsigned char *facts = NULL;
    size_t size = 0;
    int rc = 0;
    if (!record_inputs(ix, a, cmd, tu, &r))
        rc = 0; /* a file went away while parsing: no entry, no error */
    else if (has_record(ix, a, r.source, &r))
        rc = 0; /* the entry holds these facts already */
    else if (ir_tu_encode(tu, root, &facts, &size, err, err_size) != 0)
        rc = -1;
    else
        rc = index_entry_write(entry_path_in(ix, a, r.source), &r, facts, size,
                               err, err_size);
    free(facts);
    arena_free(a);
    return rc;
}

/* ---- Summaries ---------------------------------------------------------- */

int index_store_summary(sc_index *ix, const fe_command *cmd, const ir_tu *tu,
                        analysis *an, char *err, size_t err_size)
{
    long k = index_unit_of(ix, cmd->file, cmd->directory);
    if (k < 0 || tu->has_errors || !index_command_matches(ix, cmd) ||
        !index_unit_fresh(ix, (size_t)k))
        return 0; /* no entry of these facts to stand beside */
    unit *u = &ix->units[k];
    index_summary s = {summary_text(an, tu), NULL, NULL};
    if (s.text) {
        s.imports = summary_imports_json(an, tu);
        s.unwalked = summary_unwalked_json(an, tu);
    }
    int rc = -1;
    if (!s.imports || !s.unwalked)
        snprintf(err, err_size, "%s: out of memory", u->file);
    else if (!summary_text_readable(s.text))
        rc = 0; /* a checker bug, not the user's: the unit's facts serve */
    else
        rc = index_summary_write(u->summary, u->record.hash, &s, err, err_size);
    index_summary_free(&s);
    return rc;
}

bool index_load_summary(const sc_index *ix, size_t i, index_summary *s)
{
    const unit *u = &ix->units[i];
    if (u->fresh != 1 || !u->have_record)
        return false;
    return index_summary_read(u->summary, u->record.hash, s);
}

/* ---- Dependents -------------------------------------------------------------
 */

/* Whether unit U is or read one of the FILES (absolute). */
static bool reads_any(const unit *u, const char *const *files, size_t n)
{
    for (size_t f = 0; f < n; f++) {
        if (strcmp(u->file, files[f]) == 0)
            return true;
        for (uint32_t i = 0; u->have_record && i < u->record.n_inputs; i++)
            if (strcmp(u->record.inputs[i].path, files[f]) == 0)
                return true;
    }
    return false;
}

/* Marks, until nothing changes, the units that use a function an
   affected unit defines (their summaries may change with it). */
static void spread_to_callers(sc_index *ix, bool *affected)
{
    arena *a = arena_new();
    strmap defined; /* keys defined by an affected unit */
    strmap_init(&defined, a);
    for (bool grew = true; grew;) {
        grew = false;
        for (size_t i = 0; i < ix->n_units; i++) {
            const unit *u = &ix->units[i];
            for (uint32_t k = 0;
                 affected[i] && u->have_record && k < u->record.n_defines; k++)
                strmap_put(&defined, u->record.defines[k], a);
        }
        for (size_t i = 0; i < ix->n_units; i++) {
            const unit *u = &ix->units[i];
            for (uint32_t k = 0;
                 !affected[i] && u->have_record && k < u->record.n_uses; k++)
                if (strmap_get(&defined, u->record.uses[k]))
                    affected[i] = grew = true;
        }
    }
    arena_free(a);
}

size_t index_dependents(sc_index *ix, const char *const *files, size_t n_files,
                        const char *const **units)
{
    index_new_run(ix);
    arena *a = arena_new();
    const char **abs = arena_array(a, n_files + 1, sizeof *abs);
    for (size_t f = 0; f < n_files; f++)
        abs[f] = compdb_absolute_path(a, ix->cwd, files[f]);
    bool *affected = calloc(ix->n_units + 1, sizeof *affected);
    free(ix->dependents);
    ix->dependents = calloc(ix->n_units + 1, sizeof *ix->dependents);
    size_t n = 0;
    if (affected && ix->dependents) {
        for (size_t i = 0; i < ix->n_units; i++) {
            read_record(ix, &ix->units[i]);
            affected[i] = reads_any(&ix->units[i], abs, n_files);
        }
        spread_to_callers(ix, affected);
        for (size_t i = 0; i < ix->n_units; i++)
            if (affected[i])
                ix->dependents[n++] = ix->units[i].file;
    }
    free(affected);
    arena_free(a);
    *units = ix->dependents;
    return n;
}
