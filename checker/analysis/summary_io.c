/*
 * summary_io.c - per-translation-unit summaries as JSON files: what the
 * functions a TU defines require of their parameters, return and leave in
 * their arguments, written in the dimension language so that a later run
 * (another process, another machine, a cache) can read them back without
 * the source.
 *
 *   {"shapecheck-summary": 1, "file": "src/net.c",
 *    "functions": [{"key": "c:@F@net_forward", "name": "net_forward",
 *                   "params": [{"name": "x", "shape": "rows, 8",
 *                               "via": "matmul"},
 *                              {"name": "rows", "int": true}],
 *                   "returns": "rows, 4", "loss": [0, 1],
 *                   "effects": [{"param": 0, "member": "->B",
 *                                "value": "B"}]}]}
 *
 * Symbols are renamed on the way out so that every name in a shape means
 * one thing: an integer parameter's name, a parameter path ("cfg->batch"),
 * a free symbol of the summary ("_f1", ...: an exact size, bound from
 * the buffers at each call), or any other unknown ("_1", "_2", ...: bound
 * afresh at each call).
 */
#include "summary_io.h"

#include "json_check.h"
#include "source_file.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define SUMMARY_FORMAT_VERSION 2

/* ---- Writing ---------------------------------------------------------- */

/* The names symbols get in one function's summary. */
typedef struct namer {
    analysis *an;
    const signature *sig;
    dim_sym *from;
    const dim_poly **to;
    uint32_t n, cap;
    unsigned next_free;
} namer;

/* Whether the member path SUFFIX can be a name in a shape: not through
   "->*" nor an anonymous member ("->.d"). */
static bool named_path(const char *suffix)
{
    return !strchr(suffix, '*') && !strstr(suffix, "->.") &&
           !strstr(suffix, "..");
}

static const char *sig_symbol_name(const namer *nm, dim_sym sym)
{
    const signature *sig = nm->sig;
    for (uint32_t i = 0; i < sig->n_params; i++)
        if (sig->params[i].is_int && sig->params[i].int_sym == sym)
            return sig->params[i].name;
    /* A path through "->*" (an element: "net->seen->*") has no name in the
       dimension language, and no caller binds it (path_read): a free
       symbol says the same.  One through an anonymous member has no name
       either: as a free symbol it is unknown to callers, which is sound. */
    for (uint32_t k = 0; k < sig->n_paths; k++)
        if (sig->paths[k].sym == sym && sig->paths[k].param < sig->n_params &&
            named_path(sig->paths[k].suffix))
            return arena_printf(nm->an->arena, "%s%s",
                                sig->params[sig->paths[k].param].name,
                                sig->paths[k].suffix);
    return NULL;
}

static bool is_param_name(const signature *sig, const char *name)
{
    for (uint32_t i = 0; i < sig->n_params; i++)
        if (strcmp(sig->params[i].name, name) == 0)
            return true;
    return false;
}

static const dim_poly *rename_symbol(void *ud, dim_sym sym)
{
    namer *nm = ud;
    for (uint32_t i = 0; i < nm->n; i++)
        if (nm->from[i] == sym)
            return nm->to[i];
    const char *name = sig_symbol_name(nm, sym);
    /* A free symbol of the signature is exact ("_f1"); any other unknown
       is bound afresh at each call ("_1"). */
    bool exact = false;
    for (uint32_t i = 0; i < nm->sig->n_free && !exact; i++)
        exact = nm->sig->free_syms[i] == sym;
    while (!name) {
        const char *candidate = arena_printf(
            nm->an->arena, exact ? "_f%u" : "_%u", ++nm->next_free);
        if (!is_param_name(nm->sig, candidate))
            name = candidate;
    }
    if (nm->n == nm->cap) {
        nm->cap = nm->cap ? nm->cap * 2 : 8;
        dim_sym *from = arena_array(nm->an->arena, nm->cap, sizeof *from);
        const dim_poly **to = arena_array(nm->an->arena, nm->cap, sizeof *to);
        if (nm->n) {
            memcpy(from, nm->from, nm->n * sizeof *from);
            memcpy(to, nm->to, nm->n * sizeof *to);
        }
        nm->from = from, nm->to = to;
    }
    nm->from[nm->n] = sym;
    nm->to[nm->n] = dim_symbol(nm->an->dims, dim_sym_new(nm->an->dims, name));
    return nm->to[nm->n++];
}

/* P in the dimension language.  dim_format writes a polynomial whose
   terms are all negative with a leading minus ("-1", "(-B)/2"), which the
   grammar has no unary form of: "0 - 1", "(0 - B)/2" read back. */
static char *poly_text(namer *nm, const dim_poly *p)
{
    if (!p)
        return arena_strdup(nm->an->arena, "_");
    p = dim_substitute(nm->an->dims, p, rename_symbol, nm);
    size_t n = dim_format(nm->an->dims, p, NULL, 0);
    char *buf = arena_alloc(nm->an->arena, n + 1);
    dim_format(nm->an->dims, p, buf, n + 1);
    size_t signs = 0;
    for (size_t i = 0; i < n; i++)
        signs += buf[i] == '-' && (i == 0 || buf[i - 1] == '(');
    if (!signs)
        return buf;
    char *text = arena_alloc(nm->an->arena, n + 3 * signs + 1), *t = text;
    for (size_t i = 0; i < n; i++) {
        if (buf[i] == '-' && (i == 0 || buf[i - 1] == '(')) {
            memcpy(t, "0 - ", 4);
            t += 4;
            i++; /* the minus written, then the term */
            if (buf[i] == ' ')
                i++;
        }
        *t++ = buf[i];
    }
    *t = '\0';
    return text;
}

/* "rows, 8" (no brackets: the SHAPE(...) argument text). */
static char *shape_text(namer *nm, const shape *s)
{
    char *text = arena_strdup(nm->an->arena, "");
    for (uint32_t i = 0; i < s->rank; i++) {
        const char *dim =
            (int)i == s->ellipsis ? "..." : poly_text(nm, s->dims[i]);
        text = arena_printf(nm->an->arena, "%s%s%s", text, i ? ", " : "", dim);
    }
    return text;
}

/* "src/net.c:37:5": where a note about this part will point. */
static void add_loc(namer *nm, cJSON *o, const char *key, sc_loc loc)
{
    if (loc.file)
        cJSON_AddStringToObject(o, key,
                                arena_printf(nm->an->arena, "%s:%u:%u",
                                             loc.file, loc.line, loc.col));
}

static cJSON *param_json(namer *nm, const sig_param *sp)
{
    cJSON *p = cJSON_CreateObject();
    cJSON_AddStringToObject(p, "name", sp->name);
    if (sp->is_int)
        cJSON_AddBoolToObject(p, "int", 1);
    if (sp->shape)
        cJSON_AddStringToObject(p, "shape", shape_text(nm, sp->shape));
    if (sp->via)
        cJSON_AddStringToObject(p, "via", sp->via);
    if (sp->escapes)
        cJSON_AddBoolToObject(p, "escapes", 1);
    if (sp->shape)
        add_loc(nm, p, "at", sp->loc);
    return p;
}

/* What the function may change (mod): "writes" through parameters and
   globals, "writes_any" for code nobody can see; "summarised" says the
   body was read (without it a caller assumes the worst). */
static void add_writes(cJSON *fn, const signature *sig)
{
    if (!sig->summarised)
        return;
    cJSON_AddBoolToObject(fn, "summarised", 1);
    if (sig->writes_any)
        cJSON_AddBoolToObject(fn, "writes_any", 1);
    if (sig->no_return)
        cJSON_AddBoolToObject(fn, "no_return", 1);
    if (sig->assumes_private) {
        cJSON_AddBoolToObject(fn, "assumes_private", 1);
        cJSON *which = cJSON_AddArrayToObject(fn, "private_params");
        for (uint32_t i = 0; i < 64 && i < sig->n_params; i++)
            if (sig->private_params >> i & 1)
                cJSON_AddItemToArray(which, cJSON_CreateNumber(i));
    }
    if (!sig->n_writes)
        return;
    cJSON *writes = cJSON_AddArrayToObject(fn, "writes");
    for (uint32_t k = 0; k < sig->n_writes; k++) {
        const sig_write *w = &sig->writes[k];
        cJSON *o = cJSON_CreateObject();
        if (w->param >= 0)
            cJSON_AddNumberToObject(o, "param", w->param);
        else
            cJSON_AddStringToObject(o, "global", w->global);
        cJSON_AddStringToObject(o, "member", w->suffix);
        cJSON_AddItemToArray(writes, o);
    }
}

static cJSON *function_json(analysis *an, const char *key, const signature *sig)
{
    namer nm = {.an = an, .sig = sig};
    cJSON *fn = cJSON_CreateObject();
    cJSON_AddStringToObject(fn, "key", key);
    cJSON_AddStringToObject(fn, "name", sig->name);
    cJSON *params = cJSON_AddArrayToObject(fn, "params");
    for (uint32_t i = 0; i < sig->n_params; i++)
        cJSON_AddItemToArray(params, param_json(&nm, &sig->params[i]));
    if (sig->returns) {
        cJSON_AddStringToObject(fn, "returns", shape_text(&nm, sig->returns));
        add_loc(&nm, fn, "returns_at", sig->returns_loc);
        if (sig->returns_via)
            cJSON_AddStringToObject(fn, "returns_via", sig->returns_via);
    }
    if (sig->returns_seen) {
        cJSON_AddStringToObject(fn, "returns_seen",
                                shape_text(&nm, sig->returns_seen));
        if (!sig->returns)
            add_loc(&nm, fn, "returns_at", sig->returns_loc);
        if (!sig->returns && sig->returns_via)
            cJSON_AddStringToObject(fn, "returns_via", sig->returns_via);
    }
    if (sig->loss_logits >= 0) {
        int pair[2] = {sig->loss_logits, sig->loss_labels};
        cJSON_AddItemToObject(fn, "loss", cJSON_CreateIntArray(pair, 2));
        add_loc(&nm, fn, "loss_at", sig->loss_loc);
        if (sig->loss_via)
            cJSON_AddStringToObject(fn, "loss_via", sig->loss_via);
    }
    if (sig->n_effects) {
        cJSON *effects = cJSON_AddArrayToObject(fn, "effects");
        for (uint32_t k = 0; k < sig->n_effects; k++) {
            cJSON *e = cJSON_CreateObject();
            if (sig->effects[k].global)
                cJSON_AddStringToObject(e, "global", sig->effects[k].global);
            else
                cJSON_AddNumberToObject(e, "param", sig->effects[k].param);
            cJSON_AddStringToObject(e, "member", sig->effects[k].suffix);
            if (sig->effects[k].kept)
                cJSON_AddBoolToObject(e, "kept", 1);
            if (sig->effects[k].fresh)
                cJSON_AddBoolToObject(e, "fresh", 1);
            else
                cJSON_AddStringToObject(e, "value",
                                        poly_text(&nm, sig->effects[k].value));
            cJSON_AddItemToArray(effects, e);
        }
    }
    if (sig->returns_fresh)
        cJSON_AddBoolToObject(fn, "returns_fresh", 1);
    if (sig->returns_bytes)
        cJSON_AddStringToObject(fn, "returns_bytes",
                                poly_text(&nm, sig->returns_bytes));
    if (sig->n_result_effects) {
        cJSON *effects = cJSON_AddArrayToObject(fn, "result_effects");
        for (uint32_t k = 0; k < sig->n_result_effects; k++) {
            cJSON *e = cJSON_CreateObject();
            cJSON_AddStringToObject(e, "member", sig->result_effects[k].suffix);
            if (sig->result_effects[k].fresh)
                cJSON_AddBoolToObject(e, "fresh", 1);
            else
                cJSON_AddStringToObject(
                    e, "value", poly_text(&nm, sig->result_effects[k].value));
            cJSON_AddItemToArray(effects, e);
        }
    }
    if (sig->returns_int)
        cJSON_AddStringToObject(fn, "returns_int",
                                poly_text(&nm, sig->returns_int));
    if (sig->n_returns_int_bounds) {
        cJSON *b = cJSON_AddArrayToObject(fn, "returns_int_bounds");
        for (uint32_t k = 0; k < sig->n_returns_int_bounds; k++)
            cJSON_AddItemToArray(b, cJSON_CreateString(poly_text(
                                        &nm, sig->returns_int_bounds[k])));
    }
    add_writes(fn, sig);
    return fn;
}

char *summary_text(analysis *an, const ir_tu *tu)
{
    cJSON *doc = cJSON_CreateObject();
    cJSON_AddNumberToObject(doc, "shapecheck-summary", SUMMARY_FORMAT_VERSION);
    cJSON_AddStringToObject(doc, "file", tu->main_file);
    cJSON *fns = cJSON_AddArrayToObject(doc, "functions");
    for (uint32_t i = 0; i < tu->n_funcs; i++) {
        const ir_func *f = tu->funcs[i];
        const signature *sig =
            ir_func_defined(f) && !f->is_static ? signature_of(an, f) : NULL;
        if (sig)
            cJSON_AddItemToArray(fns, function_json(an, f->key, sig));
    }
    char *text = cJSON_Print(doc);
    cJSON_Delete(doc);
    return text;
}

int summary_write(analysis *an, const ir_tu *tu, FILE *out, char *err,
                  size_t err_size)
{
    char *text = summary_text(an, tu);
    int rc = text && fputs(text, out) >= 0 && fputc('\n', out) != EOF ? 0 : -1;
    if (rc)
        snprintf(err, err_size, "cannot write the summary of %s",
                 tu->main_file);
    cJSON_free(text);
    return rc;
}

char *summary_signature_text(analysis *an, const char *key,
                             const signature *sig)
{
    if (!sig) {
        char *empty = malloc(1);
        if (empty)
            empty[0] = '\0';
        return empty;
    }
    cJSON *fn = function_json(an, key, sig);
    char *text = cJSON_PrintUnformatted(fn);
    cJSON_Delete(fn);
    return text;
}

bool summary_text_readable(const char *text)
{
    analysis an;
    memset(&an, 0, sizeof an);
    an.arena = arena_new();
    an.dims = dim_ctx_new();
    strmap_init(&an.external, an.arena);
    char err[256];
    bool ok = summary_read_text(&an, text, "summary", err, sizeof err) == 0;
    dim_ctx_free(an.dims);
    arena_free(an.arena);
    return ok;
}

/* ---- Imports ---------------------------------------------------------- */

static bool defined_in(const ir_tu *tu, const char *key)
{
    for (uint32_t i = 0; i < tu->n_funcs; i++)
        if (ir_func_defined(tu->funcs[i]) &&
            strcmp(tu->funcs[i]->key, key) == 0)
            return true;
    return false;
}

static bool listed(const cJSON *arr, const char *key)
{
    const cJSON *im;
    cJSON_ArrayForEach(im, arr)
    {
        if (strcmp(cJSON_GetObjectItemCaseSensitive(im, "key")->valuestring,
                   key) == 0)
            return true;
    }
    return false;
}

/* Whether G is a static function (of a unit other than the one asking:
   its own are defined_in it).  A group's callees are those of all its
   bodies, and functions of one name defined in several units (each
   program's "main" in one database) are one group: another unit's static
   callee is none of this unit's imports, and no single-unit run could
   see its signature. */
static bool other_units_static(const func_group *g)
{
    return g->n && g->decls[0]->is_static;
}

/* The functions the walked bodies of TU call and TU does not define. */
cJSON *summary_imports_json(analysis *an, const ir_tu *tu)
{
    cJSON *arr = cJSON_CreateArray();
    for (uint32_t i = 0; arr && i < tu->n_funcs; i++) {
        const func_group *g = func_group_of(an, tu->funcs[i]);
        if (!tu->funcs[i]->body || !g || !g->walked)
            continue;
        for (uint32_t k = 0; k < g->n_callees; k++) {
            const char *key = g->callees[k]->key;
            if (defined_in(tu, key) || listed(arr, key) ||
                other_units_static(g->callees[k]))
                continue;
            char *text = summary_signature_text(an, key, g->callees[k]->sig);
            cJSON *im = cJSON_CreateObject();
            cJSON_AddStringToObject(im, "key", key);
            cJSON_AddStringToObject(im, "text", text ? text : "");
            cJSON_AddItemToArray(arr, im);
            free(text);
        }
    }
    return arr;
}

cJSON *summary_unwalked_json(analysis *an, const ir_tu *tu)
{
    cJSON *arr = cJSON_CreateArray();
    for (uint32_t i = 0; arr && i < tu->n_funcs; i++) {
        const ir_func *f = tu->funcs[i];
        const func_group *g = func_group_of(an, f);
        if (ir_func_defined(f) && !f->is_static && g && !g->walked)
            cJSON_AddItemToArray(arr, cJSON_CreateString(f->key));
    }
    return arr;
}

bool summary_unwalked_needed(analysis *an, const cJSON *unwalked)
{
    const cJSON *k;
    cJSON_ArrayForEach(k, unwalked)
    {
        const func_group *g =
            cJSON_IsString(k) ? strmap_get(&an->funcs_by_key, k->valuestring)
                              : NULL;
        if (g && g->needed)
            return true;
    }
    return false;
}

bool summary_imports_readable(const cJSON *imports)
{
    if (!cJSON_IsArray(imports))
        return false;
    const cJSON *im;
    cJSON_ArrayForEach(im, imports)
    {
        if (!cJSON_IsString(cJSON_GetObjectItemCaseSensitive(im, "key")) ||
            !cJSON_IsString(cJSON_GetObjectItemCaseSensitive(im, "text")))
            return false;
    }
    return true;
}

bool summary_imports_current(analysis *an, const cJSON *imports)
{
    const cJSON *im;
    cJSON_ArrayForEach(im, imports)
    {
        const char *key =
            cJSON_GetObjectItemCaseSensitive(im, "key")->valuestring;
        const char *then =
            cJSON_GetObjectItemCaseSensitive(im, "text")->valuestring;
        /* A function this run neither declares, defines nor reads a
           summary of (one the summary's unit declares alone, another
           unit's static) cannot have changed under it. */
        if (!strmap_get(&an->funcs_by_key, key) &&
            !strmap_get(&an->external, key))
            continue;
        char *now = summary_signature_text(an, key, signature_by_key(an, key));
        bool same = now && strcmp(now, then) == 0;
        free(now);
        if (!same)
            return false;
    }
    return true;
}

/* ---- Reading ---------------------------------------------------------- */

typedef struct reader {
    analysis *an;
    signature *sig;
    strmap free_syms;
    const char *path;
    char *err;
    size_t err_size;
    bool failed;
} reader;

static int param_named(const signature *sig, const char *name, size_t len)
{
    for (uint32_t i = 0; i < sig->n_params; i++)
        if (strlen(sig->params[i].name) == len &&
            strncmp(sig->params[i].name, name, len) == 0)
            return (int)i;
    return -1;
}

static const dim_poly *path_sym(reader *rd, uint32_t param, const char *suffix)
{
    signature *sig = rd->sig;
    for (uint32_t k = 0; k < sig->n_paths; k++)
        if (sig->paths[k].param == param &&
            strcmp(sig->paths[k].suffix, suffix) == 0)
            return dim_symbol(rd->an->dims, sig->paths[k].sym);
    sig_path *paths =
        arena_array(rd->an->arena, sig->n_paths + 1, sizeof *paths);
    if (sig->n_paths)
        memcpy(paths, sig->paths, sig->n_paths * sizeof *paths);
    const char *display =
        arena_printf(rd->an->arena, "%s%s", sig->params[param].name, suffix);
    paths[sig->n_paths] = (sig_path){param, arena_strdup(rd->an->arena, suffix),
                                     dim_sym_new(rd->an->dims, display), NULL};
    sig->paths = paths;
    return dim_symbol(rd->an->dims, paths[sig->n_paths++].sym);
}

/* "_f1": a free symbol of the summary (exact), as the writer names it. */
static bool is_exact_name(const char *name)
{
    if (strncmp(name, "_f", 2) != 0 || !name[2])
        return false;
    for (const char *p = name + 2; *p; p++)
        if (*p < '0' || *p > '9')
            return false;
    return true;
}

static void add_free_sym(analysis *an, signature *sig, dim_sym s)
{
    dim_sym *syms = arena_array(an->arena, sig->n_free + 1, sizeof *syms);
    if (sig->n_free)
        memcpy(syms, sig->free_syms, sig->n_free * sizeof *syms);
    syms[sig->n_free++] = s;
    sig->free_syms = syms;
}

/* Names in a summary: integer parameters, parameter paths, free symbols. */
static const dim_poly *resolve_summary_name(void *ud, const char *path,
                                            int column)
{
    (void)column;
    reader *rd = ud;
    size_t head = strcspn(path, ".-");
    int p = param_named(rd->sig, path, head);
    if (p >= 0 && path[head] == '\0' && rd->sig->params[p].is_int)
        return dim_symbol(rd->an->dims, rd->sig->params[p].int_sym);
    if (p >= 0 && path[head] != '\0')
        return path_sym(rd, (uint32_t)p, path + head);
    const dim_poly *v = strmap_get(&rd->free_syms, path);
    if (!v) {
        dim_sym s = dim_sym_new(rd->an->dims, path);
        v = dim_symbol(rd->an->dims, s);
        strmap_put(&rd->free_syms, arena_strdup(rd->an->arena, path),
                   (void *)v);
        if (is_exact_name(path))
            add_free_sym(rd->an, rd->sig, s);
    }
    return v;
}

static void fail(reader *rd, const char *what, const char *name)
{
    if (!rd->failed)
        snprintf(rd->err, rd->err_size, "%s: %s '%s'", rd->path, what, name);
    rd->failed = true;
}

static const shape *read_shape(reader *rd, const char *text, const char *fn)
{
    dim_error err;
    dim_shape_ast *ast = dim_parse(text, &err);
    if (!ast) {
        fail(rd, "malformed shape in function", fn);
        return NULL;
    }
    shape *s = shape_new(rd->an->arena, (uint32_t)ast->rank);
    s->ellipsis = ast->ellipsis;
    for (int i = 0; i < ast->rank; i++)
        if (ast->entries[i].kind == DIM_ENTRY_EXPR)
            s->dims[i] = dim_from_node(rd->an->dims, ast->entries[i].expr,
                                       resolve_summary_name, rd, &err);
    dim_shape_ast_free(ast);
    return s;
}

static const char *json_string(const cJSON *obj, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* "file:line:col" back into a location (the file name interned in the
   analysis arena); {0} when absent or malformed. */
static sc_loc read_loc(reader *rd, const char *text)
{
    sc_loc loc = {NULL, 0, 0};
    const char *col = text ? strrchr(text, ':') : NULL;
    if (!col || col == text)
        return loc;
    const char *line = col - 1;
    while (line > text && *line != ':')
        line--;
    if (line == text)
        return loc; /* no "file:" before "line:col" */
    loc.file = arena_strndup(rd->an->arena, text, (size_t)(line - text));
    loc.line = (unsigned)strtoul(line + 1, NULL, 10);
    loc.col = (unsigned)strtoul(col + 1, NULL, 10);
    return loc;
}

static const char *opt_string(reader *rd, const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsString(v) ? arena_strdup(rd->an->arena, v->valuestring)
                             : NULL;
}

static bool read_params(reader *rd, const cJSON *params, const char *fn)
{
    signature *sig = rd->sig;
    sig->n_params = (uint32_t)cJSON_GetArraySize(params);
    sig->params =
        arena_array(rd->an->arena, sig->n_params + 1, sizeof *sig->params);
    uint32_t i = 0;
    const cJSON *p;
    cJSON_ArrayForEach(p, params)
    { /* names first: shapes may name any */
        const char *name = json_string(p, "name");
        if (!name) {
            fail(rd, "parameter without a name in function", fn);
            return false;
        }
        sig_param *sp = &sig->params[i++];
        sp->name = arena_strdup(rd->an->arena, name);
        sp->is_int = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(p, "int"));
        if (sp->is_int)
            sp->int_sym = dim_sym_new(rd->an->dims, sp->name);
    }
    i = 0;
    cJSON_ArrayForEach(p, params)
    {
        sig_param *sp = &sig->params[i++];
        const char *text = json_string(p, "shape"),
                   *via = json_string(p, "via");
        if (text) {
            sp->shape = read_shape(rd, text, fn);
            sp->written = shape_written(rd->an->arena, text);
        }
        if (via)
            sp->via = arena_strdup(rd->an->arena, via);
        sp->loc = read_loc(rd, json_string(p, "at"));
        sp->escapes =
            cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(p, "escapes"));
    }
    return !rd->failed;
}

/* Whether S is a member path as the summaries write one: ('.' | "->")
   NAME, one or more times ("->len", ".dims.n").  Anything else would make
   a path key that does not name its root (flow_path_set reads the root's
   address back from the key). */
static bool is_member_path(const char *s)
{
    if (!*s)
        return false;
    while (*s) {
        if (s[0] == '.')
            s++;
        else if (s[0] == '-' && s[1] == '>')
            s += 2;
        else
            return false;
        /* An anonymous struct or union is a member with no name: "->.d"
           is member d of the one in *p (never the last step). */
        if (*s == '.' || (s[0] == '-' && s[1] == '>'))
            continue;
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
              *s == '_'))
            return false;
        while ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
               (*s >= '0' && *s <= '9') || *s == '_')
            s++;
    }
    return true;
}

/* A write's member: a member path, "" (all of it), or either followed
   by "->*" (all a pointer there reaches). */
static bool is_write_path(const char *s)
{
    size_t n = strlen(s);
    if (n >= 3 && strcmp(s + n - 3, "->*") == 0) {
        if (n == 3)
            return true;
        char head[256];
        if (n - 3 >= sizeof head)
            return false;
        memcpy(head, s, n - 3);
        head[n - 3] = '\0';
        return is_member_path(head);
    }
    return !*s || is_member_path(s);
}

static bool json_flag(const cJSON *o, const char *key)
{
    return cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, key));
}

static void read_writes(reader *rd, const cJSON *fn_json, const char *fn)
{
    signature *sig = rd->sig;
    sig->summarised = json_flag(fn_json, "summarised");
    sig->writes_any = json_flag(fn_json, "writes_any");
    sig->no_return = json_flag(fn_json, "no_return");
    sig->assumes_private = json_flag(fn_json, "assumes_private");
    const cJSON *which =
        cJSON_GetObjectItemCaseSensitive(fn_json, "private_params");
    const cJSON *p;
    sig->private_params = which ? 0 : ~(uint64_t)0;
    cJSON_ArrayForEach(p, which)
    {
        if (cJSON_IsNumber(p) && p->valueint >= 0 && p->valueint < 64)
            sig->private_params |= (uint64_t)1 << p->valueint;
        else
            sig->private_params = ~(uint64_t)0;
    }
    const cJSON *writes = cJSON_GetObjectItemCaseSensitive(fn_json, "writes");
    if (writes && !cJSON_IsArray(writes)) {
        fail(rd, "malformed writes in function", fn);
        return;
    }
    sig->writes =
        arena_array(rd->an->arena, (size_t)cJSON_GetArraySize(writes) + 1,
                    sizeof *sig->writes);
    const cJSON *w;
    cJSON_ArrayForEach(w, writes)
    {
        const cJSON *param = cJSON_GetObjectItemCaseSensitive(w, "param");
        const char *global = json_string(w, "global");
        const char *member = json_string(w, "member");
        bool by_param = cJSON_IsNumber(param) && param->valueint >= 0 &&
                        (uint32_t)param->valueint < sig->n_params;
        if ((by_param == (global != NULL)) || !member ||
            !is_write_path(member) || sig->n_writes >= SUMMARY_MAX_WRITES) {
            fail(rd, "malformed write in function", fn);
            return;
        }
        sig->writes[sig->n_writes++] =
            (sig_write){by_param ? param->valueint : -1,
                        global ? arena_strdup(rd->an->arena, global) : NULL,
                        arena_strdup(rd->an->arena, member)};
    }
}

static void read_loss_and_effects(reader *rd, const cJSON *fn_json,
                                  const char *fn)
{
    signature *sig = rd->sig;
    const cJSON *loss = cJSON_GetObjectItemCaseSensitive(fn_json, "loss");
    if (cJSON_GetArraySize(loss) == 2) {
        int lg = cJSON_GetArrayItem(loss, 0)->valueint;
        int lb = cJSON_GetArrayItem(loss, 1)->valueint;
        if (lg >= 0 && lb >= 0 && (uint32_t)lg < sig->n_params &&
            (uint32_t)lb < sig->n_params && lg != lb)
            sig->loss_logits = lg, sig->loss_labels = lb;
        else
            fail(rd, "bad loss parameters in function", fn);
    }
    const cJSON *effects = cJSON_GetObjectItemCaseSensitive(fn_json, "effects");
    sig->n_effects = 0;
    sig->effects =
        arena_array(rd->an->arena, (size_t)cJSON_GetArraySize(effects) + 1,
                    sizeof *sig->effects);
    const cJSON *e;
    cJSON_ArrayForEach(e, effects)
    {
        const cJSON *param = cJSON_GetObjectItemCaseSensitive(e, "param");
        const char *member = json_string(e, "member"),
                   *value = json_string(e, "value"),
                   *global = json_string(e, "global");
        bool fresh = json_flag(e, "fresh");
        bool by_param = cJSON_IsNumber(param) && param->valueint >= 0 &&
                        (uint32_t)param->valueint < sig->n_params;
        /* A global's effect: an integer ("" the global itself). */
        /* "->*": the integer the parameter points to (an out-parameter). */
        bool path_ok =
            member &&
            (global ? (!*member || (member[0] == '.' && is_member_path(member)))
                    : is_member_path(member) ||
                          (strcmp(member, "->*") == 0 && !fresh));
        if (by_param == (global != NULL) || !path_ok || !value == !fresh ||
            (global && fresh)) {
            fail(rd, "malformed effect in function", fn);
            return;
        }
        const shape *v = fresh ? NULL : read_shape(rd, value, fn);
        if (!fresh && (!v || v->rank != 1))
            return;
        sig->effects[sig->n_effects++] =
            (sig_effect){by_param ? (uint32_t)param->valueint : 0,
                         arena_strdup(rd->an->arena, member),
                         v ? v->dims[0] : NULL,
                         {0},
                         NULL,
                         fresh,
                         fresh && json_flag(e, "kept"),
                         global ? arena_strdup(rd->an->arena, global) : NULL};
    }
}

/* One dimension-language expression over the signature's names. */
static const dim_poly *read_poly(reader *rd, const char *text, const char *fn)
{
    const shape *s = read_shape(rd, text, fn);
    if (s && s->rank == 1)
        return s->dims[0];
    fail(rd, "malformed integer result in function", fn);
    return NULL;
}

static void read_result_effects(reader *rd, const cJSON *fn_json,
                                const char *fn)
{
    signature *sig = rd->sig;
    sig->returns_fresh = json_flag(fn_json, "returns_fresh");
    const char *bytes = json_string(fn_json, "returns_bytes");
    if (bytes && sig->returns_fresh)
        sig->returns_bytes = read_poly(rd, bytes, fn);
    else if (bytes) {
        fail(rd, "returns_bytes without returns_fresh in function", fn);
        return;
    }
    const cJSON *effects =
        cJSON_GetObjectItemCaseSensitive(fn_json, "result_effects");
    if (effects && !cJSON_IsArray(effects)) {
        fail(rd, "malformed result effects in function", fn);
        return;
    }
    sig->result_effects =
        arena_array(rd->an->arena, (size_t)cJSON_GetArraySize(effects) + 1,
                    sizeof *sig->result_effects);
    const cJSON *e;
    cJSON_ArrayForEach(e, effects)
    {
        const char *member = json_string(e, "member");
        const char *value = json_string(e, "value");
        bool fresh = json_flag(e, "fresh");
        const dim_poly *v = value && !fresh ? read_poly(rd, value, fn) : NULL;
        if (!member || member[0] != '.' || !is_member_path(member) ||
            !v == !fresh) {
            fail(rd, "malformed result effect in function", fn);
            return;
        }
        sig->result_effects[sig->n_result_effects++] =
            (sig_effect){0,     arena_strdup(rd->an->arena, member),
                         v,     {0},
                         NULL,  fresh,
                         false, NULL};
    }
}

static void read_int_result(reader *rd, const cJSON *fn_json, const char *fn)
{
    signature *sig = rd->sig;
    const char *value = json_string(fn_json, "returns_int");
    if (value)
        sig->returns_int = read_poly(rd, value, fn);
    const cJSON *bounds =
        cJSON_GetObjectItemCaseSensitive(fn_json, "returns_int_bounds");
    if (bounds && !cJSON_IsArray(bounds)) {
        fail(rd, "malformed integer result in function", fn);
        return;
    }
    sig->returns_int_bounds =
        arena_array(rd->an->arena, (size_t)cJSON_GetArraySize(bounds) + 1,
                    sizeof *sig->returns_int_bounds);
    const cJSON *b;
    cJSON_ArrayForEach(b, bounds)
    {
        const dim_poly *p =
            cJSON_IsString(b) ? read_poly(rd, b->valuestring, fn) : NULL;
        if (!p) {
            fail(rd, "malformed integer result in function", fn);
            return;
        }
        sig->returns_int_bounds[sig->n_returns_int_bounds++] = p;
    }
}

static signature *read_function(reader *rd, const cJSON *fn_json)
{
    const char *name = json_string(fn_json, "name");
    const cJSON *params = cJSON_GetObjectItemCaseSensitive(fn_json, "params");
    if (!name || !json_string(fn_json, "key") || !cJSON_IsArray(params)) {
        fail(rd, "malformed function entry", name ? name : "?");
        return NULL;
    }
    rd->sig = arena_alloc(rd->an->arena, sizeof *rd->sig);
    rd->sig->name = arena_strdup(rd->an->arena, name);
    rd->sig->loss_logits = rd->sig->loss_labels = -1;
    rd->sig->derived = true;
    strmap_init(&rd->free_syms, rd->an->arena);
    if (!read_params(rd, params, name))
        return NULL;
    const char *returns = json_string(fn_json, "returns");
    if (returns) {
        rd->sig->returns = read_shape(rd, returns, name);
        rd->sig->returns_written = shape_written(rd->an->arena, returns);
        rd->sig->returns_loc = read_loc(rd, json_string(fn_json, "returns_at"));
        rd->sig->returns_via = opt_string(rd, fn_json, "returns_via");
    }
    const char *seen = json_string(fn_json, "returns_seen");
    if (seen) {
        rd->sig->returns_seen = read_shape(rd, seen, name);
        rd->sig->returns_seen_written = shape_written(rd->an->arena, seen);
        rd->sig->returns_loc = read_loc(rd, json_string(fn_json, "returns_at"));
        rd->sig->returns_via = opt_string(rd, fn_json, "returns_via");
    }
    rd->sig->loss_loc = read_loc(rd, json_string(fn_json, "loss_at"));
    rd->sig->loss_via = opt_string(rd, fn_json, "loss_via");
    read_loss_and_effects(rd, fn_json, name);
    read_writes(rd, fn_json, name);
    read_int_result(rd, fn_json, name);
    read_result_effects(rd, fn_json, name);
    return rd->failed ? NULL : rd->sig;
}

int summary_read_text(analysis *an, const char *text, const char *name,
                      char *err, size_t err_size)
{
    /* Damage is said where it is, as for compile databases; a key written
       twice is an error, not a value silently ignored. */
    const char *stop = NULL, *dup = NULL;
    cJSON *doc = cJSON_ParseWithOpts(text, &stop, 1);
    if (!doc || (dup = json_check_duplicate_key(doc)) != NULL) {
        if (dup)
            snprintf(err, err_size, "%s: key '%s' written twice in one object",
                     name, dup);
        else
            json_check_error(name, text, stop, err, err_size);
        cJSON_Delete(doc);
        return -1;
    }
    reader rd = {.an = an, .path = name, .err = err, .err_size = err_size};
    const cJSON *version =
        cJSON_GetObjectItemCaseSensitive(doc, "shapecheck-summary");
    const cJSON *fns = cJSON_GetObjectItemCaseSensitive(doc, "functions");
    if (!doc || !cJSON_IsNumber(version) ||
        version->valueint != SUMMARY_FORMAT_VERSION || !cJSON_IsArray(fns)) {
        snprintf(err, err_size, "%s: not a shapecheck summary (version %d)",
                 name, SUMMARY_FORMAT_VERSION);
        cJSON_Delete(doc);
        return -1;
    }
    const cJSON *fn;
    cJSON_ArrayForEach(fn, fns)
    {
        signature *sig = read_function(&rd, fn);
        if (!sig)
            break;
        strmap_put(&an->external,
                   arena_strdup(an->arena, json_string(fn, "key")), sig);
    }
    cJSON_Delete(doc);
    return rd.failed ? -1 : 0;
}

int summary_read(analysis *an, const char *path, char *err, size_t err_size)
{
    size_t len;
    char *text = source_read(path, &len);
    if (!text) {
        snprintf(err, err_size, "%s: cannot read: %s", path, strerror(errno));
        return -1;
    }
    int rc = summary_read_text(an, text, path, err, err_size);
    free(text);
    return rc;
}
