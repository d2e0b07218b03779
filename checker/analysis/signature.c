/*
 * signature.c - what a function's annotations promise, merged over all its
 * declarations (a prototype in a header, the definition in a .c), and the
 * integer constants (macros, enum constants, const globals) that
 * annotations may name.
 *
 * Each declaration's annotations name that declaration's own parameters,
 * so names are resolved per declaration to parameter positions; two
 * declarations that annotate the same position differently are reported.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "analysis.h"

typedef struct const_value {
    enum { CONST_PENDING, CONST_KNOWN, CONST_NONE } state;
    int64_t value;
    sc_loc loc;
    const char *how;
} const_value;

/* ---- Annotation problems ---------------------------------------------- */

void annotation_problem(analysis *an, sc_loc loc, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    for (size_t i = 0; i < sc_n_rules; i++)
        if (sc_rules[i]->on_annotation)
            sc_rules[i]->on_annotation(an, &loc, msg);
}

/* ---- Constants -------------------------------------------------------- */

/* The definition of macro NAME for a name written in annotation ANN: the
   one in force there (SPEC 3) when the front end said which, else the
   TU's last one. */
static const ir_macro *find_macro(const ir_tu *tu, const ir_annotation *ann,
                                  const char *name)
{
    for (uint32_t i = 0; ann && i < ann->n_macros; i++)
        if (strcmp(ann->macros[i]->name, name) == 0)
            return ann->macros[i];
    if (ann && ann->macros)
        return NULL; /* not defined where the annotation is written */
    const ir_macro *found = NULL;
    for (uint32_t i = 0; i < tu->n_macros; i++)
        if (strcmp(tu->macros[i].name, name) == 0)
            found = &tu->macros[i]; /* the last definition wins */
    return found;
}

/* Macros that name macros are evaluated by recursion, one level per
   macro: a chain deeper than this (generated code, or a hostile input of
   10,000 "#define M<i> (M<i-1> + 1)") has no value, as if unknown, rather
   than overflowing the stack. */
#define CONST_MAX_DEPTH 64

/* Where a name is looked up: its TU and the annotation it is written in
   (NULL: the TU as a whole). */
typedef struct const_scope {
    analysis *an;
    const ir_tu *tu;
    const ir_annotation *ann;
} const_scope;

static bool constant_lookup_at(const const_scope *sc, const char *name,
                               int64_t *value, sc_loc *loc, const char **how,
                               unsigned depth);

typedef struct macro_eval {
    const const_scope *sc;
    unsigned depth; /* of the macro being evaluated */
} macro_eval;

static bool lookup_for_macro(void *ud, const char *path, int64_t *value)
{
    macro_eval *me = ud;
    sc_loc loc;
    const char *how;
    return constant_lookup_at(me->sc, path, value, &loc, &how, me->depth + 1);
}

static bool eval_macro(const const_scope *sc, const ir_macro *m, int64_t *value,
                       unsigned depth)
{
    macro_eval me = {sc, depth};
    dim_error err;
    dim_shape_ast *ast = dim_parse_expr(m->body, &err);
    if (!ast)
        return false;
    bool ok =
        ast->rank == 1 && ast->entries[0].kind == DIM_ENTRY_EXPR &&
        dim_eval_int(ast->entries[0].expr, lookup_for_macro, &me, value, &err);
    dim_shape_ast_free(ast);
    return ok;
}

static bool lookup_decl_value(ir_decl **decls, uint32_t n, const char *name,
                              int64_t *value, sc_loc *loc)
{
    for (uint32_t i = 0; i < n; i++)
        if (decls[i]->has_value && strcmp(decls[i]->name, name) == 0) {
            *value = decls[i]->value;
            *loc = decls[i]->loc;
            return true;
        }
    return false;
}

bool constant_lookup(analysis *an, const ir_tu *tu, const ir_annotation *ann,
                     const char *name, int64_t *value, sc_loc *loc,
                     const char **how)
{
    const_scope sc = {an, tu, ann && ann->macros ? ann : NULL};
    return constant_lookup_at(&sc, name, value, loc, how, 0);
}

/* constant_lookup for a name met DEPTH macros deep. */
static bool constant_lookup_at(const const_scope *sc, const char *name,
                               int64_t *value, sc_loc *loc, const char **how,
                               unsigned depth)
{
    analysis *an = sc->an;
    const ir_tu *tu = sc->tu;
    /* Macros differ between TUs and between places in one: the cache is
       per TU and annotation. */
    char key[512];
    snprintf(key, sizeof key, "%p|%p|%s", (const void *)tu,
             (const void *)sc->ann, name);
    const_value *c = strmap_get(&an->consts, key);
    if (c) {
        /* PENDING: a macro that names itself; no value. */
        *value = c->value, *loc = c->loc, *how = c->how;
        return c->state == CONST_KNOWN;
    }
    if (depth > CONST_MAX_DEPTH)
        return false; /* not cached: from closer by it may have a value */
    c = arena_alloc(an->arena, sizeof *c);
    c->state = CONST_PENDING;
    strmap_put(&an->consts, arena_strdup(an->arena, key), c);
    const ir_macro *m = find_macro(tu, sc->ann, name);
    if (m && eval_macro(sc, m, &c->value, depth)) {
        c->state = CONST_KNOWN, c->loc = m->loc, c->how = "defined as";
    } else if (lookup_decl_value(tu->enums, tu->n_enums, name, &c->value,
                                 &c->loc) ||
               lookup_decl_value(tu->globals, tu->n_globals, name, &c->value,
                                 &c->loc)) {
        c->state = CONST_KNOWN, c->how = "declared as";
    } else {
        c->state = CONST_NONE;
    }
    *value = c->value, *loc = c->loc, *how = c->how;
    return c->state == CONST_KNOWN;
}

/* ---- Building a signature -------------------------------------------- */

/* State while resolving the names of one declaration's annotations. */
typedef struct sig_builder {
    analysis *an;
    signature *sig;
    const ir_func *decl;
    strmap free_syms;         /* name -> dim_sym + 1 (so 0 is "absent") */
    const ir_annotation *ann; /* the one being read */
} sig_builder;

static int param_index(const ir_func *f, const char *name, size_t len)
{
    for (uint32_t i = 0; i < f->n_params; i++)
        if (strlen(f->params[i]->name) == len &&
            strncmp(f->params[i]->name, name, len) == 0)
            return (int)i;
    return -1;
}

static const dim_poly *path_symbol(sig_builder *b, uint32_t param,
                                   const char *suffix)
{
    signature *sig = b->sig;
    for (uint32_t i = 0; i < sig->n_paths; i++)
        if (sig->paths[i].param == param &&
            strcmp(sig->paths[i].suffix, suffix) == 0)
            return dim_symbol(b->an->dims, sig->paths[i].sym);
    sig_path *paths =
        arena_array(b->an->arena, sig->n_paths + 1, sizeof *paths);
    if (sig->n_paths)
        memcpy(paths, sig->paths, sig->n_paths * sizeof *paths);
    const char *display = arena_printf(b->an->arena, "%s%s",
                                       b->decl->params[param]->name, suffix);
    paths[sig->n_paths] = (sig_path){param, arena_strdup(b->an->arena, suffix),
                                     dim_sym_new(b->an->dims, display), NULL};
    sig->paths = paths;
    return dim_symbol(b->an->dims, paths[sig->n_paths++].sym);
}

static const dim_poly *free_symbol(sig_builder *b, const char *name)
{
    uintptr_t v = (uintptr_t)strmap_get(&b->free_syms, name);
    if (!v) {
        dim_sym s = dim_sym_new(b->an->dims, name);
        v = (uintptr_t)s + 1;
        strmap_put(&b->free_syms, arena_strdup(b->an->arena, name), (void *)v);
        dim_sym *syms =
            arena_array(b->an->arena, b->sig->n_free + 1, sizeof *syms);
        if (b->sig->n_free)
            memcpy(syms, b->sig->free_syms, b->sig->n_free * sizeof *syms);
        syms[b->sig->n_free++] = s;
        b->sig->free_syms = syms;
    }
    return dim_symbol(b->an->dims, (dim_sym)(v - 1));
}

/* SPEC 2, rule 1 then 4 then 5 (const globals count as constants). */
static const dim_poly *resolve_in_signature(void *ud, const char *path,
                                            int column)
{
    (void)column;
    sig_builder *b = ud;
    size_t head = strcspn(path, ".-");
    int p = param_index(b->decl, path, head);
    if (p >= 0) {
        sig_param *sp = &b->sig->params[p];
        if (path[head] == '\0' && sp->is_int)
            return dim_symbol(b->an->dims, sp->int_sym);
        if (path[head] != '\0')
            return path_symbol(b, (uint32_t)p, path + head);
    }
    int64_t value;
    sc_loc loc;
    const char *how;
    if (constant_lookup(b->an, b->decl->tu, b->ann, path, &value, &loc, &how))
        return dim_const(b->an->dims, value);
    return free_symbol(b, path);
}

/* Parses one SHAPE / RETURNS_SHAPE text into a shape over the signature's
   symbols; reports and returns NULL when it does not parse. */
static shape *parse_sig_shape(sig_builder *b, const ir_annotation *ann)
{
    b->ann = ann;
    dim_error err;
    dim_shape_ast *ast = dim_parse(ann->text, &err);
    if (!ast) {
        annotation_problem(b->an, ann->loc, "malformed shape '%s': %s",
                           shape_excerpt(b->an->arena, ann->text), err.message);
        return NULL;
    }
    shape *s = shape_new(b->an->arena, (uint32_t)ast->rank);
    s->ellipsis = ast->ellipsis;
    for (int i = 0; i < ast->rank; i++) {
        if (ast->entries[i].kind != DIM_ENTRY_EXPR)
            continue;
        err.column = 0;
        s->dims[i] = dim_from_node(b->an->dims, ast->entries[i].expr,
                                   resolve_in_signature, b, &err);
        if (err.column)
            annotation_problem(b->an, ann->loc, "malformed shape '%s': %s",
                               shape_excerpt(b->an->arena, ann->text),
                               err.message);
    }
    dim_shape_ast_free(ast);
    return s;
}

static bool can_hold_shape(const ir_type *t)
{
    return t->cls == IR_TYPE_POINTER || t->cls == IR_TYPE_ARRAY ||
           t->cls == IR_TYPE_RECORD;
}

/* Records a SHAPE for parameter I, reporting a conflict with another
   declaration's annotation of the same parameter. */
static void add_param_shape(sig_builder *b, uint32_t i,
                            const ir_annotation *ann)
{
    sig_param *sp = &b->sig->params[i];
    const ir_decl *pd = b->decl->params[i];
    const char *written = shape_written(b->an->arena, ann->text);
    if (sp->written) {
        if (strcmp(sp->written, written) != 0)
            annotation_problem(b->an, ann->loc,
                               "conflicting annotations for parameter '%s' of "
                               "'%s': %s here but %s at %s:%u",
                               pd->name, b->sig->name, written, sp->written,
                               sp->loc.file, sp->loc.line);
        return;
    }
    shape *s = parse_sig_shape(b, ann);
    if (!s)
        return;
    if (s->rank > 0 && !can_hold_shape(&pd->type)) {
        annotation_problem(b->an, ann->loc,
                           "SHAPE on parameter '%s', which cannot hold a "
                           "shape: only pointers, arrays and tensors can",
                           pd->name);
        return;
    }
    sp->shape = s, sp->written = written, sp->loc = ann->loc;
    sp->name = pd->name;
}

static void add_returns(sig_builder *b, const ir_annotation *ann)
{
    signature *sig = b->sig;
    const char *written = shape_written(b->an->arena, ann->text);
    if (sig->returns_written) {
        if (strcmp(sig->returns_written, written) != 0)
            annotation_problem(b->an, ann->loc,
                               "conflicting annotations for the result of "
                               "'%s': %s here but %s at %s:%u",
                               sig->name, written, sig->returns_written,
                               sig->returns_loc.file, sig->returns_loc.line);
        return;
    }
    shape *s = parse_sig_shape(b, ann);
    if (!s)
        return;
    if (s->rank > 0 && !can_hold_shape(&b->decl->ret)) {
        annotation_problem(b->an, ann->loc,
                           "RETURNS_SHAPE on '%s', whose result cannot hold a "
                           "shape",
                           sig->name);
        return;
    }
    sig->returns = s, sig->returns_written = written;
    sig->returns_loc = ann->loc;
}

/* SHAPE_LOSS(logits, labels): two distinct parameter names. */
static void add_loss(sig_builder *b, const ir_annotation *ann)
{
    analysis *an = b->an;
    const char *text = ann->text;
    const char *comma = strchr(text, ',');
    char names[2][128];
    int idx[2] = {-1, -1};
    if (!comma || strchr(comma + 1, ',')) {
        annotation_problem(an, ann->loc,
                           "SHAPE_LOSS takes two parameter names (logits, "
                           "labels), not '%s'",
                           shape_excerpt(an->arena, text));
        return;
    }
    const char *parts[2][2] = {{text, comma}, {comma + 1, text + strlen(text)}};
    for (int k = 0; k < 2; k++) {
        const char *s = parts[k][0], *e = parts[k][1];
        while (s < e && (*s == ' ' || *s == '\t'))
            s++;
        while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
            e--;
        size_t n = (size_t)(e - s) < sizeof names[k] ? (size_t)(e - s)
                                                     : sizeof names[k] - 1;
        memcpy(names[k], s, n);
        names[k][n] = '\0';
        idx[k] = param_index(b->decl, s, (size_t)(e - s));
        if (idx[k] < 0) {
            annotation_problem(an, ann->loc,
                               "SHAPE_LOSS names '%s', which is not a "
                               "parameter of '%s'",
                               names[k], b->sig->name);
            return;
        }
    }
    if (idx[0] == idx[1]) {
        annotation_problem(an, ann->loc,
                           "SHAPE_LOSS names '%s' twice: logits and labels "
                           "must be two parameters",
                           names[0]);
        return;
    }
    if (b->sig->loss_logits >= 0 &&
        (b->sig->loss_logits != idx[0] || b->sig->loss_labels != idx[1])) {
        annotation_problem(an, ann->loc,
                           "conflicting SHAPE_LOSS annotations for '%s': here "
                           "and at %s:%u",
                           b->sig->name, b->sig->loss_loc.file,
                           b->sig->loss_loc.line);
        return;
    }
    b->sig->loss_logits = idx[0], b->sig->loss_labels = idx[1];
    b->sig->loss_loc = ann->loc;
}

static void add_function_annotation(sig_builder *b, const ir_annotation *ann)
{
    switch (ann->kind) {
    case IR_ANN_RETURNS:
        add_returns(b, ann);
        break;
    case IR_ANN_LOSS:
        add_loss(b, ann);
        break;
    case IR_ANN_SHAPE:
        annotation_problem(b->an, ann->loc,
                           "SHAPE on function '%s': use RETURNS_SHAPE for its "
                           "result, SHAPE on its parameters",
                           b->sig->name);
        break;
    }
}

static void add_declaration(sig_builder *b, const ir_func *f)
{
    b->decl = f;
    uint32_t n =
        f->n_params < b->sig->n_params ? f->n_params : b->sig->n_params;
    for (uint32_t i = 0; i < n; i++) {
        const ir_decl *pd = f->params[i];
        for (uint32_t k = 0; k < pd->n_annotations; k++) {
            const ir_annotation *ann = &pd->annotations[k];
            if (ann->kind == IR_ANN_SHAPE)
                add_param_shape(b, i, ann);
            else
                annotation_problem(b->an, ann->loc,
                                   "%s on parameter '%s': it belongs on the "
                                   "function",
                                   ann->kind == IR_ANN_LOSS ? "SHAPE_LOSS"
                                                            : "RETURNS_SHAPE",
                                   pd->name);
        }
    }
    for (uint32_t k = 0; k < f->n_annotations; k++)
        if (!f->annotations[k].inherited)
            add_function_annotation(b, &f->annotations[k]);
}

static bool is_annotated(const ir_func *f)
{
    if (f->n_annotations)
        return true;
    for (uint32_t i = 0; i < f->n_params; i++)
        if (f->params[i]->n_annotations)
            return true;
    return false;
}

signature *signature_new(analysis *an, const ir_func *f)
{
    signature *sig = arena_alloc(an->arena, sizeof *sig);
    sig->name = f->name;
    sig->n_params = f->n_params;
    sig->params = arena_array(an->arena, f->n_params, sizeof *sig->params);
    sig->loss_logits = sig->loss_labels = -1;
    for (uint32_t i = 0; i < f->n_params; i++) {
        sig_param *sp = &sig->params[i];
        sp->name = f->params[i]->name;
        sp->is_int = f->params[i]->type.cls == IR_TYPE_INT;
        if (sp->is_int)
            sp->int_sym = dim_sym_new(an->dims, sp->name[0] ? sp->name : "?");
    }
    return sig;
}

/* The annotated part: every declaration's annotations merged, or NULL. */
static signature *annotated_signature(analysis *an, const func_group *g)
{
    bool any = false;
    const ir_func *first = g->decls[0];
    for (uint32_t i = 0; i < g->n; i++) {
        any |= is_annotated(g->decls[i]);
        /* Prefer the definition's parameter names in messages. */
        if (g->decls[i]->is_definition)
            first = g->decls[i];
    }
    if (!any)
        return NULL;
    /* One free-symbol namespace for all declarations: the N of a
       prototype's SHAPE is the N of the definition's RETURNS_SHAPE. */
    sig_builder b = {.an = an, .sig = signature_new(an, first)};
    strmap_init(&b.free_syms, an->arena);
    for (uint32_t i = 0; i < g->n; i++)
        add_declaration(&b, g->decls[i]);
    return b.sig;
}

const ir_func *func_group_definition(const func_group *g)
{
    for (uint32_t i = 0; i < g->n; i++)
        if (ir_func_defined(g->decls[i]))
            return g->decls[i];
    return NULL;
}

/* What the annotations say, completed by what the body says where the
   annotations are silent (written annotations always win). */
/* Maps the symbols of a derived signature onto the annotated one's: the
   same integer parameter, the same parameter path.  (A summary derived in
   this run already speaks in the annotations' symbols; one read from a
   file has its own.) */
typedef struct sym_map {
    const signature *from, *to;
} sym_map;

static dim_sym mapped_int_sym(const sym_map *m, dim_sym sym, bool *found)
{
    for (uint32_t i = 0; i < m->from->n_params && i < m->to->n_params; i++)
        if (m->from->params[i].is_int && m->from->params[i].int_sym == sym &&
            m->to->params[i].is_int) {
            *found = true;
            return m->to->params[i].int_sym;
        }
    *found = false;
    return sym;
}

typedef struct remap_ctx {
    analysis *an;
    sym_map map;
} remap_ctx;

static const dim_poly *remap_symbol(void *ud, dim_sym sym)
{
    remap_ctx *r = ud;
    bool found;
    dim_sym to = mapped_int_sym(&r->map, sym, &found);
    return found ? dim_symbol(r->an->dims, to) : NULL;
}

static const shape *remap_shape(remap_ctx *r, const shape *s)
{
    return s ? shape_substitute(r->an->arena, r->an->dims, s, remap_symbol, r)
             : NULL;
}

/* The paths of both: the annotations' shapes use theirs, the derived
   shapes theirs (the same ones when derived in this run). */
static void merge_paths(analysis *an, signature *m, const signature *a,
                        const signature *d)
{
    m->paths =
        arena_array(an->arena, a->n_paths + d->n_paths + 1, sizeof *m->paths);
    m->n_paths = 0;
    const signature *both[2] = {a, d};
    for (int k = 0; k < 2; k++)
        for (uint32_t i = 0; i < both[k]->n_paths; i++) {
            bool seen = false;
            for (uint32_t j = 0; j < m->n_paths && !seen; j++)
                seen = m->paths[j].sym == both[k]->paths[i].sym;
            if (!seen)
                m->paths[m->n_paths++] = both[k]->paths[i];
        }
}

/* The derived shapes' free symbols (a callee's exact sizes) join the
   annotations'. */
static void merge_free_syms(analysis *an, signature *m, const signature *d)
{
    if (!d->n_free)
        return;
    dim_sym *syms =
        arena_array(an->arena, m->n_free + d->n_free + 1, sizeof *syms);
    if (m->n_free)
        memcpy(syms, m->free_syms, m->n_free * sizeof *syms);
    uint32_t n = m->n_free;
    for (uint32_t i = 0; i < d->n_free; i++) {
        bool seen = false;
        for (uint32_t j = 0; j < n && !seen; j++)
            seen = syms[j] == d->free_syms[i];
        if (!seen)
            syms[n++] = d->free_syms[i];
    }
    m->free_syms = syms, m->n_free = n;
}

/* What the annotations say, completed by what the body (or a summary file)
   says where the annotations are silent (written annotations always win). */
const signature *signature_merge(analysis *an, const signature *annotated,
                                 const signature *derived)
{
    if (!annotated)
        return derived;
    if (!derived)
        return annotated;
    remap_ctx r = {an, {derived, annotated}};
    signature *m = arena_alloc(an->arena, sizeof *m);
    *m = *annotated;
    m->params = arena_array(an->arena, m->n_params, sizeof *m->params);
    for (uint32_t i = 0; i < m->n_params; i++) {
        m->params[i] = annotated->params[i];
        if (i < derived->n_params)
            m->params[i].escapes = derived->params[i].escapes;
        if (!annotated->params[i].shape && i < derived->n_params &&
            derived->params[i].shape) {
            m->params[i].shape = remap_shape(&r, derived->params[i].shape);
            m->params[i].written = derived->params[i].written;
            m->params[i].loc = derived->params[i].loc;
            m->params[i].via = derived->params[i].via;
        }
    }
    if (!m->returns && derived->returns) {
        m->returns = remap_shape(&r, derived->returns);
        m->returns_written = derived->returns_written;
        m->returns_loc = derived->returns_loc;
        m->returns_via = derived->returns_via;
    }
    if (!m->returns && !m->returns_seen && derived->returns_seen) {
        m->returns_seen = remap_shape(&r, derived->returns_seen);
        m->returns_seen_written = derived->returns_seen_written;
        m->returns_loc = derived->returns_loc;
        m->returns_via = derived->returns_via;
    }
    if (m->loss_logits < 0 && derived->loss_logits >= 0) {
        m->loss_logits = derived->loss_logits;
        m->loss_labels = derived->loss_labels;
        m->loss_loc = derived->loss_loc;
        m->loss_via = derived->loss_via;
    }
    merge_paths(an, m, annotated, derived);
    merge_free_syms(an, m, derived);
    m->effects =
        arena_array(an->arena, derived->n_effects + 1, sizeof *m->effects);
    m->n_effects = derived->n_effects;
    for (uint32_t k = 0; k < derived->n_effects; k++) {
        m->effects[k] = derived->effects[k];
        m->effects[k].value = dim_substitute(
            an->dims, derived->effects[k].value, remap_symbol, &r);
    }
    m->returns_int =
        derived->returns_int
            ? dim_substitute(an->dims, derived->returns_int, remap_symbol, &r)
            : NULL;
    m->n_returns_int_bounds = derived->n_returns_int_bounds;
    m->returns_int_bounds = arena_array(an->arena, m->n_returns_int_bounds + 1,
                                        sizeof *m->returns_int_bounds);
    for (uint32_t k = 0; k < m->n_returns_int_bounds; k++)
        m->returns_int_bounds[k] = dim_substitute(
            an->dims, derived->returns_int_bounds[k], remap_symbol, &r);
    m->returns_fresh = derived->returns_fresh;
    m->returns_bytes =
        derived->returns_bytes
            ? dim_substitute(an->dims, derived->returns_bytes, remap_symbol, &r)
            : NULL;
    m->n_result_effects = derived->n_result_effects;
    m->result_effects = arena_array(an->arena, m->n_result_effects + 1,
                                    sizeof *m->result_effects);
    for (uint32_t k = 0; k < m->n_result_effects; k++) {
        m->result_effects[k] = derived->result_effects[k];
        m->result_effects[k].value = dim_substitute(
            an->dims, derived->result_effects[k].value, remap_symbol, &r);
    }
    /* What it may change is the body's to say: annotations never do. */
    m->summarised = derived->summarised;
    m->writes_any = derived->writes_any;
    m->writes = derived->writes;
    m->n_writes = derived->n_writes;
    m->no_return = derived->no_return;
    m->assumes_private = derived->assumes_private;
    m->private_params = derived->private_params;
    m->derived = true;
    return m;
}

static void add_to_group(analysis *an, const ir_func *d)
{
    func_group *g = strmap_get(&an->funcs_by_key, d->key);
    if (!g) {
        g = arena_alloc(an->arena, sizeof *g);
        g->key = d->key;
        strmap_put(&an->funcs_by_key, d->key, g);
    }
    if (g->n == g->cap) {
        g->cap = g->cap ? g->cap * 2 : 2;
        const ir_func **decls = arena_array(an->arena, g->cap, sizeof *decls);
        if (g->n)
            memcpy(decls, g->decls, g->n * sizeof *decls);
        g->decls = decls;
    }
    g->decls[g->n++] = d;
}

/* Every declaration of every TU, grouped by key: a call in one file sees
   the annotations and the definition of another. */
void signatures_group(analysis *an)
{
    for (uint32_t t = 0; t < an->n_tus; t++)
        for (uint32_t i = 0; i < an->tus[t]->n_funcs; i++)
            add_to_group(an, an->tus[t]->funcs[i]);
}

/* A function defined nowhere in the program takes what a summary file
   says of it. */
void func_group_annotate(analysis *an, func_group *g)
{
    signature *annotated = annotated_signature(an, g);
    const signature *read = func_group_definition(g)
                                ? NULL
                                : strmap_get(&an->external, g->decls[0]->key);
    g->annotated = annotated;
    g->sig = signature_merge(an, annotated, read);
}

func_group *func_group_of(analysis *an, const ir_func *f)
{
    return f ? strmap_get(&an->funcs_by_key, f->key) : NULL;
}

const signature *signature_by_key(analysis *an, const char *key)
{
    func_group *g = strmap_get(&an->funcs_by_key, key);
    if (g)
        return g->sig;
    return strmap_get(&an->external, key);
}

const signature *signature_of(analysis *an, const ir_func *f)
{
    func_group *g = func_group_of(an, f);
    return g ? g->sig : NULL;
}
