/*
 * config.c - reading .shapecheck (see config.h and docs/configuration.md).
 *
 * The format is a YAML subset rather than JSON because people write it by
 * hand, next to .clang-tidy, and because errors can then name the line:
 * cJSON keeps no positions for the values it parses.  The parser goes line
 * by line; a value is read with a cursor that knows quotes and comments,
 * so that '#' and ',' inside a quoted item are just characters.
 */
#define _XOPEN_SOURCE 700 /* strdup */

#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "arena.h"
#include "finding.h"
#include "repo_path.h"
#include "source_file.h"

typedef enum config_key {
    KEY_MODELS,
    KEY_EXTRA_ARGS,
    KEY_DISABLED_RULES,
    N_KEYS
} config_key;

static const char *const key_names[N_KEYS] = {
    [KEY_MODELS] = "models",
    [KEY_EXTRA_ARGS] = "extra-args",
    [KEY_DISABLED_RULES] = "disabled-rules",
};

typedef struct strvec {
    const char **v;
    size_t n, cap;
} strvec;

typedef struct parser {
    arena *arena;
    const char *path;
    char *err;
    size_t err_size;
    unsigned line;
    int block_key; /* the key that "- ITEM" lines go to, or -1 */
    bool seen[N_KEYS];
    strvec lists[N_KEYS];
} parser;

/* "PATH:LINE: MESSAGE"; returns -1. */
static int fail(parser *ps, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static int fail(parser *ps, const char *fmt, ...)
{
    int n = snprintf(ps->err, ps->err_size, "%s:%u: ", ps->path, ps->line);
    if (n >= 0 && (size_t)n < ps->err_size) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(ps->err + n, ps->err_size - (size_t)n, fmt, ap);
        va_end(ap);
    }
    return -1;
}

/* ---- Values ------------------------------------------------------------- */

static const char *skip_spaces(const char *p)
{
    while (*p == ' ' || *p == '\t')
        p++;
    return p;
}

/* Whether nothing but a comment is left at P (START is where the line's
   text starts: '#' is a comment there or after white space). */
static bool at_end(const char *p, const char *start)
{
    p = skip_spaces(p);
    return !*p || (*p == '#' && (p == start || p[-1] == ' ' || p[-1] == '\t'));
}

/* The character that backslash-C stands for in a "..." item; 0 for an
   escape this format does not have. */
static char unescape(char c)
{
    switch (c) {
    case '"':
    case '\\':
        return c;
    case 'n':
        return '\n';
    case 't':
        return '\t';
    default:
        return 0;
    }
}

/* A "..." item at *P (on the quote); advances past the closing quote. */
static const char *double_quoted(parser *ps, const char **p)
{
    const char *q = *p + 1;
    char *out = arena_alloc(ps->arena, strlen(q) + 1), *o = out;
    for (; *q && *q != '"'; q++) {
        if (*q != '\\') {
            *o++ = *q;
            continue;
        }
        char c = unescape(*++q);
        if (!c) {
            fail(ps, "unknown escape '\\%c' (use \\\", \\\\, \\n or \\t)",
                 *q ? *q : ' ');
            return NULL;
        }
        *o++ = c;
    }
    if (*q != '"') {
        fail(ps, "missing closing '\"'");
        return NULL;
    }
    *o = '\0';
    *p = q + 1;
    return out;
}

/* A '...' item at *P ('' stands for one quote). */
static const char *single_quoted(parser *ps, const char **p)
{
    const char *q = *p + 1;
    char *out = arena_alloc(ps->arena, strlen(q) + 1), *o = out;
    for (;; q++) {
        if (!*q) {
            fail(ps, "missing closing \"'\"");
            return NULL;
        }
        if (*q == '\'' && q[1] != '\'')
            break;
        if (*q == '\'')
            q++;
        *o++ = *q;
    }
    *o = '\0';
    *p = q + 1;
    return out;
}

/* A plain item at *P: up to a comment, the end of the line or one of
   STOP; white space at its end is not part of it. */
static const char *plain(parser *ps, const char **p, const char *stop,
                         const char *start)
{
    const char *begin = *p, *q = *p, *last = *p;
    for (; *q && !strchr(stop, *q) && !at_end(q, start); q++)
        if (*q != ' ' && *q != '\t')
            last = q + 1;
    *p = q;
    return arena_strndup(ps->arena, begin, (size_t)(last - begin));
}

/* One item of KEY at *P, quoted or plain; NULL after fail(). */
static const char *item(parser *ps, config_key key, const char **p,
                        const char *stop, const char *start)
{
    const char *s = **p == '"'    ? double_quoted(ps, p)
                    : **p == '\'' ? single_quoted(ps, p)
                                  : plain(ps, p, stop, start);
    if (s && !*s) {
        fail(ps, "empty item in '%s'", key_names[key]);
        return NULL;
    }
    return s;
}

/* ---- Lists -------------------------------------------------------------- */

/* The folder PATH is in; NULL when PATH has no '/' (the current one). */
static const char *folder_of(arena *a, const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return NULL;
    return slash == path ? "/" : arena_strndup(a, path, (size_t)(slash - path));
}

/* S as stored for KEY: a model joined to the file's folder, a rule
   checked against the table. */
static const char *stored_value(parser *ps, config_key key, const char *s)
{
    if (key == KEY_DISABLED_RULES && !sc_rule_find(s)) {
        fail(ps, "unknown rule '%s' in disabled-rules (see --list-rules)", s);
        return NULL;
    }
    const char *folder = folder_of(ps->arena, ps->path);
    if (key == KEY_MODELS && s[0] != '/' && folder)
        return arena_printf(ps->arena, "%s%s%s", folder,
                            strcmp(folder, "/") ? "/" : "", s);
    return s;
}

static int add_item(parser *ps, config_key key, const char *s)
{
    s = stored_value(ps, key, s);
    if (!s)
        return -1;
    strvec *v = &ps->lists[key];
    if (v->n == v->cap) {
        v->cap = v->cap ? v->cap * 2 : 8;
        const char **grown = arena_array(ps->arena, v->cap, sizeof *grown);
        if (v->n)
            memcpy(grown, v->v, v->n * sizeof *grown);
        v->v = grown;
    }
    v->v[v->n++] = s;
    return 0;
}

/* "[A, B, ...]" at P (on the '['), to the end of the line. */
static int flow_list(parser *ps, config_key key, const char *p,
                     const char *start)
{
    p = skip_spaces(p + 1);
    bool done = *p == ']';
    if (done)
        p++;
    while (!done) {
        const char *s = item(ps, key, &p, ",]", start);
        if (!s || add_item(ps, key, s) != 0)
            return -1;
        p = skip_spaces(p);
        if (*p != ',' && *p != ']')
            return fail(ps, "expected ',' or ']' in the list of '%s'",
                        key_names[key]);
        done = *p++ == ']';
        p = skip_spaces(p);
    }
    if (!at_end(p, start))
        return fail(ps, "unexpected text after the list of '%s'",
                    key_names[key]);
    return 0;
}

/* ---- Lines -------------------------------------------------------------- */

static int find_key(const char *name, size_t len)
{
    for (int k = 0; k < N_KEYS; k++)
        if (strlen(key_names[k]) == len && memcmp(key_names[k], name, len) == 0)
            return k;
    return -1;
}

/* "KEY:" then nothing (items follow on "- " lines) or "[...]". */
static int key_line(parser *ps, const char *s)
{
    size_t len = strcspn(s, ": \t#");
    if (s[len] != ':' || len == 0)
        return fail(ps, "expected 'KEY:' at the start of the line");
    int key = find_key(s, len);
    if (key < 0)
        return fail(ps,
                    "unknown key '%.*s' (known: models, extra-args, "
                    "disabled-rules)",
                    (int)len, s);
    if (ps->seen[key])
        return fail(ps, "'%s' given twice", key_names[key]);
    ps->seen[key] = true;
    ps->block_key = key;
    const char *p = s + len + 1;
    if (*p && *p != ' ' && *p != '\t')
        return fail(ps, "expected a space after '%s:'", key_names[key]);
    p = skip_spaces(p);
    if (at_end(p, s))
        return 0;
    ps->block_key = -1;
    if (*p != '[')
        return fail(ps,
                    "'%s' takes a list: write [ITEM, ...] or '- ITEM' "
                    "lines below it",
                    key_names[key]);
    return flow_list(ps, (config_key)key, p, s);
}

/* "- ITEM" under a key; P is after the '-'. */
static int block_item(parser *ps, const char *p, const char *start)
{
    if (ps->block_key < 0)
        return fail(ps, "list item outside a key");
    p = skip_spaces(p);
    if (at_end(p, start))
        return fail(ps, "empty item in '%s'", key_names[ps->block_key]);
    config_key key = (config_key)ps->block_key;
    const char *s = item(ps, key, &p, "", start);
    if (!s || add_item(ps, key, s) != 0)
        return -1;
    if (!at_end(p, start))
        return fail(ps, "unexpected text after the item");
    return 0;
}

static int parse_line(parser *ps, const char *line)
{
    size_t indent = strspn(line, " ");
    const char *s = line + indent;
    if (*s == '\t')
        return fail(ps, "tabs cannot indent: use spaces");
    if (at_end(s, line))
        return 0;
    if (s[0] == '-' && (s[1] == ' ' || s[1] == '\t' || !s[1]))
        return block_item(ps, s + 1, line);
    if (indent > 0)
        return fail(ps, "unexpected indented line (a list item starts "
                        "with '- ')");
    return key_line(ps, s);
}

/* ---- The file ----------------------------------------------------------- */

static void copy_list(const strvec *v, const char ***out, size_t *n)
{
    *out = v->v;
    *n = v->n;
}

int config_parse(config *cfg, const char *path, const char *text, char *err,
                 size_t err_size)
{
    memset(cfg, 0, sizeof *cfg);
    arena *a = arena_new();
    parser ps = {.arena = a,
                 .path = path,
                 .err = err,
                 .err_size = err_size,
                 .block_key = -1};
    for (const char *p = text; *p;) {
        size_t len = strcspn(p, "\n");
        char *line = arena_strndup(a, p, len);
        if (len && line[len - 1] == '\r')
            line[len - 1] = '\0';
        p += len + (p[len] == '\n');
        ps.line++;
        if (parse_line(&ps, line) != 0) {
            arena_free(a);
            return -1;
        }
    }
    cfg->storage = a;
    cfg->path = arena_strdup(a, path);
    copy_list(&ps.lists[KEY_MODELS], &cfg->models, &cfg->n_models);
    copy_list(&ps.lists[KEY_EXTRA_ARGS], &cfg->extra_args, &cfg->n_extra_args);
    copy_list(&ps.lists[KEY_DISABLED_RULES], &cfg->disabled_rules,
              &cfg->n_disabled_rules);
    return 0;
}

int config_load(config *cfg, const char *path, char *err, size_t err_size)
{
    size_t len;
    char *text = source_read(path, &len);
    if (!text) {
        memset(cfg, 0, sizeof *cfg);
        snprintf(err, err_size, "%s: cannot read: %s", path, strerror(errno));
        return -1;
    }
    int rc = config_parse(cfg, path, text, err, err_size);
    free(text);
    return rc;
}

char *config_find(const char *file)
{
    arena *a = arena_new();
    char *found = NULL;
    char *folder = repo_path_parent(a, repo_path_absolute(a, file));
    for (;;) {
        bool root = strcmp(folder, "/") == 0;
        char *candidate =
            arena_printf(a, "%s/" CONFIG_FILE_NAME, root ? "" : folder);
        struct stat st;
        if (stat(candidate, &st) == 0 && !S_ISDIR(st.st_mode)) {
            found = strdup(candidate);
            break;
        }
        if (root)
            break;
        folder = repo_path_parent(a, folder);
    }
    arena_free(a);
    return found;
}

int config_for_file(config *cfg, const char *file, char *err, size_t err_size)
{
    memset(cfg, 0, sizeof *cfg);
    char *path = config_find(file);
    if (!path)
        return 0;
    int rc = config_load(cfg, path, err, err_size);
    free(path);
    return rc;
}

void config_free(config *cfg)
{
    arena_free(cfg->storage);
    memset(cfg, 0, sizeof *cfg);
}

bool config_rule_disabled(const config *cfg, const char *rule_id)
{
    for (size_t i = 0; i < cfg->n_disabled_rules; i++)
        if (strcmp(cfg->disabled_rules[i], rule_id) == 0)
            return true;
    return false;
}

static bool drop_disabled(void *ctx, const diag *d, size_t index)
{
    (void)index;
    return d->rule && config_rule_disabled(ctx, d->rule->id);
}

size_t config_drop_disabled(const config *cfg, diag_list *list)
{
    return finding_remove_if(list, drop_disabled, (void *)cfg);
}
