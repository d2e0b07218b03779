/*
 * compdb.c - compile commands for the front end (see compdb.h).
 *
 * Paths are made absolute and normalised lexically ("a/./b/../c" is
 * "a/c"), without resolving symbolic links, as clang's own JSON
 * compilation database does: the files need not exist for the database to
 * load, and paths stay the ones the build used.
 */
#define _POSIX_C_SOURCE 200809L

#include "compdb.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "arena.h"
#include "args.h"
#include "json_check.h"
#include "source_file.h"

/* ---- Small containers in an arena ------------------------------------- */

typedef struct strvec {
    const char **v;
    size_t n, cap;
} strvec;

static void strvec_push(arena *a, strvec *sv, const char *s)
{
    if (sv->n == sv->cap) {
        size_t cap = sv->cap ? sv->cap * 2 : 16;
        const char **v = arena_array(a, cap, sizeof *v);
        if (sv->n)
            memcpy(v, sv->v, sv->n * sizeof *v);
        sv->v = v;
        sv->cap = cap;
    }
    sv->v[sv->n++] = s;
}

/* A set of strings with a fixed number of slots (at least twice the number
   of keys it will hold), for dropping repeated files in linear time. */
typedef struct strset {
    const char **slots;
    size_t mask;
} strset;

static void strset_init(arena *a, strset *set, size_t max_keys)
{
    size_t cap = 8;
    while (cap < 2 * max_keys)
        cap *= 2;
    set->slots = arena_array(a, cap, sizeof *set->slots);
    set->mask = cap - 1;
}

/* Adds KEY; false if it was already there. */
static bool strset_add(strset *set, const char *key)
{
    uint64_t h = 1469598103934665603u; /* FNV-1a */
    for (const char *p = key; *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211u;
    for (size_t i = (size_t)h & set->mask;; i = (i + 1) & set->mask) {
        if (!set->slots[i]) {
            set->slots[i] = key;
            return true;
        }
        if (strcmp(set->slots[i], key) == 0)
            return false;
    }
}

/* ---- Paths ------------------------------------------------------------- */

/* The working directory.  When it cannot be named (it was deleted), "/":
   relative paths cannot be found then anyway. */
static char *current_dir(arena *a)
{
    char buf[PATH_MAX];
    return arena_strdup(a, getcwd(buf, sizeof buf) ? buf : "/");
}

/* PATH (absolute) without empty, "." and ".." components. */
static char *path_normalize(arena *a, const char *path)
{
    char *out = arena_alloc(a, strlen(path) + 2);
    size_t n = 0;
    out[n++] = '/';
    for (const char *p = path; *p;) {
        while (*p == '/')
            p++;
        const char *start = p;
        while (*p && *p != '/')
            p++;
        size_t len = (size_t)(p - start);
        if (len == 0 || (len == 1 && start[0] == '.'))
            continue;
        if (len == 2 && start[0] == '.' && start[1] == '.') {
            while (n > 1 && out[n - 1] != '/')
                n--;
            if (n > 1)
                n--; /* the '/' before the dropped component */
            continue;
        }
        if (n > 1)
            out[n++] = '/';
        memcpy(out + n, start, len);
        n += len;
    }
    out[n] = '\0';
    return out;
}

char *compdb_absolute_path(arena *a, const char *base, const char *path)
{
    if (path[0] == '/')
        return path_normalize(a, path);
    return path_normalize(a, arena_printf(a, "%s/%s", base, path));
}

/* The folder holding PATH (absolute, normalised); "/" for "/". */
static char *path_dirname(arena *a, const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash || slash == path)
        return arena_strdup(a, "/");
    return arena_strndup(a, path, (size_t)(slash - path));
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* ---- Cleaning a command ------------------------------------------------ */

/* Flags that only name the object file: the front end writes nothing.
   They are ignored as SPEC 5 says, without a word; the dependency-file
   flags, which also write or print, are dropped and listed (args.h). */
static int output_flag_words(const char *arg)
{
    if (strcmp(arg, "-c") == 0)
        return 1;
    if (strcmp(arg, "-o") == 0)
        return 2;
    return strncmp(arg, "-o", 2) == 0 ? 1 : 0; /* "-ofile" */
}

/* The source files of a command: a word naming one of them is dropped
   when it is spelled as given, or resolves (against DIR) to the same
   absolute path. */
typedef struct sources {
    const char *dir;
    const char *const *given;
    const char *const *abs;
    size_t n;
} sources;

static bool is_source_arg(arena *a, const sources *src, const char *arg)
{
    if (arg[0] == '-')
        return false;
    const char *abs = NULL;
    for (size_t i = 0; i < src->n; i++) {
        if (strcmp(arg, src->given[i]) == 0)
            return true;
        if (!abs)
            abs = compdb_absolute_path(a, src->dir, arg);
        if (strcmp(abs, src->abs[i]) == 0)
            return true;
    }
    return false;
}

/* Flags whose value is a path.  Relative values are made absolute against
   the command's directory: libclang applies -working-directory by changing
   the process's directory, so with translation units parsed in parallel
   threads a relative path could be resolved against another command's
   directory. */
static const char *const path_flags[] = {
    "-I",       "-isystem", "-iquote",      "-idirafter",
    "-include", "-imacros", "-isysroot",    "--sysroot",
    "-F",       "-iprefix", "-iwithprefix",
};

/* The length of the path flag ARG starts with (0: none), and whether the
   value is in the next word (*SEPARATE) or joined ("-Idir", "--sysroot=x"). */
static size_t path_flag(const char *arg, bool *separate)
{
    for (size_t i = 0; i < sizeof path_flags / sizeof path_flags[0]; i++) {
        size_t n = strlen(path_flags[i]);
        if (strncmp(arg, path_flags[i], n) != 0)
            continue;
        *separate = arg[n] == '\0';
        return arg[n] == '=' ? n + 1 : n;
    }
    return 0;
}

static const char *absolute_value(arena *a, const char *dir, const char *flag,
                                  size_t flag_len, const char *value)
{
    if (value[0] == '/' || !dir)
        return NULL;
    char *abs = compdb_absolute_path(a, dir, value);
    char *word = arena_alloc(a, flag_len + strlen(abs) + 1);
    memcpy(word, flag, flag_len);
    strcpy(word + flag_len, abs);
    return word;
}

/* The words of IN at I that clean_args keeps as they are: an option with
   its separate value ("-x c", "-Xclang -v": the value is never taken for
   an option of its own), else one word. */
static size_t kept_words(const char *const *in, size_t n_in, size_t i)
{
    return args_takes_value(in[i]) && i + 1 < n_in ? 2 : 1;
}

/* ARGV0 followed by the words of IN that are neither output flags nor
   sources nor unwanted options (args.h), as a NULL-terminated array in A;
   path values made absolute.  The unwanted options go to REMOVED. */
static const char **clean_args(arena *a, const char *argv0,
                               const char *const *in, size_t n_in,
                               const sources *src, int *argc, strvec *removed)
{
    strvec out = {0};
    strvec_push(a, &out, argv0);
    for (size_t i = 0; i < n_in; i++) {
        int skip = output_flag_words(in[i]);
        int unwanted = skip ? 0 : args_unwanted_words(in, (int)n_in, (int)i);
        bool separate = false;
        size_t flag_len = path_flag(in[i], &separate);
        if (skip) {
            i += (size_t)skip - 1;
        } else if (unwanted) {
            for (int k = 0; k < unwanted; k++)
                strvec_push(a, removed, in[i + (size_t)k]);
            i += (size_t)unwanted - 1;
        } else if (flag_len && separate && i + 1 < n_in) {
            strvec_push(a, &out, in[i]);
            const char *v = absolute_value(a, src->dir, "", 0, in[i + 1]);
            strvec_push(a, &out, v ? v : in[i + 1]);
            i++;
        } else if (flag_len && !separate) {
            const char *v =
                absolute_value(a, src->dir, in[i], flag_len, in[i] + flag_len);
            strvec_push(a, &out, v ? v : in[i]);
        } else if (kept_words(in, n_in, i) == 2) {
            strvec_push(a, &out, in[i]);
            strvec_push(a, &out, in[++i]);
        } else if (!is_source_arg(a, src, in[i])) {
            strvec_push(a, &out, in[i]);
        }
    }
    *argc = (int)out.n;
    strvec_push(a, &out, NULL);
    return out.v;
}

/* ---- Splitting a "command" string -------------------------------------- */

/* Splits S into words as a shell would, without expansions: '...' is
   literal, "..." and a backslash outside quotes escape the next character.
   Inside "..." a backslash escapes any character, as clang's database
   reader does.  Returns NULL, or what is wrong. */
static const char *split_command(arena *a, const char *s, strvec *words)
{
    /* Words are never longer in total than S: write them all into one
       buffer, each ended by its NUL. */
    char *w = arena_alloc(a, strlen(s) + 1);
    const char *p = s;
    for (;;) {
        while (isspace((unsigned char)*p))
            p++;
        if (!*p)
            return NULL;
        char *word = w;
        while (*p && !isspace((unsigned char)*p)) {
            if (*p == '\'') {
                for (p++; *p && *p != '\'';)
                    *w++ = *p++;
                if (!*p++)
                    return "unterminated quote in 'command'";
            } else if (*p == '"') {
                for (p++; *p && *p != '"';) {
                    if (*p == '\\' && p[1])
                        p++;
                    *w++ = *p++;
                }
                if (!*p++)
                    return "unterminated quote in 'command'";
            } else if (*p == '\\') {
                if (!p[1])
                    return "backslash at the end of 'command'";
                p++;
                *w++ = *p++;
            } else {
                *w++ = *p++;
            }
        }
        *w++ = '\0';
        strvec_push(a, words, word);
    }
}

/* ---- Reading the database ---------------------------------------------- */

/* The string member NAME of OBJ, or NULL with *WHY saying what is wrong. */
static const char *get_string(arena *a, const cJSON *obj, const char *name,
                              const char **why)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, name);
    if (!item)
        *why = arena_printf(a, "missing '%s'", name);
    else if (!cJSON_IsString(item))
        *why = arena_printf(a, "'%s' is not a string", name);
    else
        return item->valuestring;
    return NULL;
}

/* The words of an entry: its "arguments", or its "command" split.  NULL,
   or what is wrong. */
static const char *get_words(arena *a, const cJSON *entry, strvec *words)
{
    const cJSON *args = cJSON_GetObjectItemCaseSensitive(entry, "arguments");
    if (args) {
        if (!cJSON_IsArray(args))
            return "'arguments' is not an array";
        const cJSON *arg;
        cJSON_ArrayForEach(arg, args)
        {
            if (!cJSON_IsString(arg))
                return "'arguments' holds something other than a string";
            strvec_push(a, words, arena_strdup(a, arg->valuestring));
        }
        return words->n ? NULL : "'arguments' is empty";
    }
    if (!cJSON_GetObjectItemCaseSensitive(entry, "command"))
        return "missing 'arguments' or 'command'";
    const char *why = NULL;
    const char *command = get_string(a, entry, "command", &why);
    if (command)
        why = split_command(a, command, words);
    if (!why && !words->n)
        why = "'command' is empty";
    return why;
}

/* One entry as a cleaned command.  JSON_DIR: the folder of the database,
   which a relative "directory" is relative to.  NULL, or what is wrong. */
static const char *read_entry(arena *a, const cJSON *entry,
                              const char *json_dir, fe_command *cmd,
                              compdb_removed *out_removed)
{
    if (!cJSON_IsObject(entry))
        return "not an object";
    const char *why = NULL;
    const char *dir = get_string(a, entry, "directory", &why);
    const char *file = dir ? get_string(a, entry, "file", &why) : NULL;
    if (!file)
        return why;
    strvec words = {0};
    why = get_words(a, entry, &words);
    if (why)
        return why;
    cmd->directory = compdb_absolute_path(a, json_dir, dir);
    cmd->file = compdb_absolute_path(a, cmd->directory, file);
    sources src = {cmd->directory, &file, &cmd->file, 1};
    strvec removed = {0};
    cmd->argv = clean_args(a, words.v[0], words.v + 1, words.n - 1, &src,
                           &cmd->argc, &removed);
    out_removed->words = removed.v;
    out_removed->n = (int)removed.n;
    return NULL;
}

/* Fills DB from the parsed array ROOT, keeping the first entry of each C
   file.  Returns 0, or -1 with a message. */
static int read_entries(compdb *db, arena *a, const cJSON *root,
                        const char *path, char *err, size_t err_size)
{
    if (!cJSON_IsArray(root)) {
        snprintf(err, err_size, "%s: not a JSON array of compile commands",
                 path);
        return -1;
    }
    size_t n = (size_t)cJSON_GetArraySize(root);
    db->commands = arena_array(a, n, sizeof *db->commands);
    db->removed = arena_array(a, n, sizeof *db->removed);
    strset seen;
    strset_init(a, &seen, n);
    const char *json_dir =
        path_dirname(a, compdb_absolute_path(a, current_dir(a), path));
    size_t index = 0;
    const cJSON *entry;
    cJSON_ArrayForEach(entry, root)
    {
        fe_command *cmd = &db->commands[db->n_commands];
        const char *why =
            read_entry(a, entry, json_dir, cmd, &db->removed[db->n_commands]);
        index++;
        if (why) {
            snprintf(err, err_size, "%s: entry %zu: %s", path, index, why);
            return -1;
        }
        /* Only C: .c exactly (".C" is C++ to GCC and clang). */
        if (ends_with(cmd->file, ".c") && strset_add(&seen, cmd->file))
            db->n_commands++;
    }
    return 0;
}

int compdb_load(compdb *db, const char *path, char *err, size_t err_size)
{
    memset(db, 0, sizeof *db);
    size_t len;
    char *text = source_read(path, &len);
    if (!text) {
        snprintf(err, err_size, "%s: cannot read: %s", path, strerror(errno));
        return -1;
    }
    int rc = compdb_parse(db, path, text, len, err, err_size);
    free(text);
    return rc;
}

int compdb_parse(compdb *db, const char *path, const char *text, size_t len,
                 char *err, size_t err_size)
{
    memset(db, 0, sizeof *db);
    const char *stop = NULL;
    /* len + 1: cJSON wants the terminating NUL inside the length to accept
       a document that ends there. */
    cJSON *root = cJSON_ParseWithLengthOpts(text, len + 1, &stop, 1);
    int rc = -1;
    arena *a = arena_new();
    if (!root)
        json_check_error(path, text, stop, err, err_size);
    else
        rc = read_entries(db, a, root, path, err, err_size);
    cJSON_Delete(root);
    if (rc) {
        arena_free(a);
        memset(db, 0, sizeof *db);
        return -1;
    }
    db->storage = a;
    db->path = arena_strdup(a, path);
    return 0;
}

/* ---- Commands from the command line ------------------------------------ */

int compdb_from_args(compdb *db, const char *const *files, size_t n_files,
                     const char *const *args, size_t n_args)
{
    memset(db, 0, sizeof *db);
    arena *a = arena_new();
    db->storage = a;
    const char *cwd = current_dir(a);
    const char **abs = arena_array(a, n_files, sizeof *abs);
    for (size_t i = 0; i < n_files; i++)
        abs[i] = compdb_absolute_path(a, cwd, files[i]);
    /* A first word that is not a flag is the compiler: skip it.  libclang
       takes argv[0] as the driver's name, so that is "clang". */
    size_t first = n_args && args[0][0] != '-' ? 1 : 0;
    sources src = {cwd, files, abs, n_files};
    int argc;
    strvec removed = {0};
    const char **argv = clean_args(a, "clang", first ? args + 1 : args,
                                   n_args - first, &src, &argc, &removed);
    db->commands = arena_array(a, n_files, sizeof *db->commands);
    db->removed = arena_array(a, n_files, sizeof *db->removed);
    for (size_t i = 0; i < n_files; i++) {
        fe_command *cmd = &db->commands[i];
        cmd->file = arena_strdup(a, files[i]);
        cmd->directory = cwd;
        cmd->argv = argv;
        cmd->argc = argc;
        db->removed[i] = (compdb_removed){removed.v, (int)removed.n};
    }
    db->n_commands = n_files;
    return 0;
}

/* ---- Finding and looking up -------------------------------------------- */

char *compdb_find(const char *dir)
{
    arena *a = arena_new();
    char *found = NULL;
    for (char *cur = compdb_absolute_path(a, current_dir(a), dir);;
         cur = path_dirname(a, cur)) {
        char *candidate = arena_printf(a, "%s%scompile_commands.json", cur,
                                       strcmp(cur, "/") ? "/" : "");
        struct stat st;
        if (stat(candidate, &st) == 0 && !S_ISDIR(st.st_mode)) {
            found = strdup(candidate);
            break;
        }
        if (strcmp(cur, "/") == 0)
            break;
    }
    arena_free(a);
    return found;
}

/* Whether FILE is SUFFIX or ends with "/SUFFIX". */
static bool ends_with_component(const char *file, const char *suffix)
{
    size_t n = strlen(file), m = strlen(suffix);
    return m && n > m && file[n - m - 1] == '/' &&
           strcmp(file + n - m, suffix) == 0;
}

/* The entry for PATH: same absolute path first; otherwise, for a relative
   PATH, the first entry whose file ends with it at a component boundary,
   like clang-tidy, so "src/a.c" finds "/x/src/a.c" from anywhere. */
const fe_command *compdb_lookup(const compdb *db, const char *path)
{
    arena *a = arena_new();
    const char *abs = compdb_absolute_path(a, current_dir(a), path);
    const fe_command *found = NULL;
    for (size_t i = 0; !found && i < db->n_commands; i++)
        if (strcmp(db->commands[i].file, abs) == 0)
            found = &db->commands[i];
    if (path[0] != '/') {
        /* Normalised as if absolute, then made relative again: "./a.c" and
           "../src/a.c" look for "a.c" and "src/a.c". */
        const char *suffix = path_normalize(a, path) + 1;
        for (size_t i = 0; !found && i < db->n_commands; i++)
            if (ends_with_component(db->commands[i].file, suffix))
                found = &db->commands[i];
    }
    arena_free(a);
    return found;
}

const compdb_removed *compdb_removed_for(const compdb *db,
                                         const fe_command *cmd)
{
    static const compdb_removed none;
    if (!db->removed || cmd < db->commands ||
        cmd >= db->commands + db->n_commands)
        return &none;
    return &db->removed[cmd - db->commands];
}

void compdb_free(compdb *db)
{
    arena_free(db->storage);
    memset(db, 0, sizeof *db);
}
