/*
 * ir_io_read.c - facts back into a TU (ir_io.h, ir_io_format.h).
 *
 * The bytes may be anything: a file of another version, one cut short,
 * one damaged on disk, one written by hand.  So nothing is trusted: the
 * header's checksum first, then every count against the bytes left (so a
 * count cannot ask for more memory than the file could describe), every
 * reference against its table, every kind against its enum, and the
 * limits the front end keeps (text lengths, tree depth: the analysis
 * recurses over trees).  Nodes come kids first, so a kid link always
 * points back and the trees cannot loop.  The first problem stops the
 * read, named with its byte offset.
 *
 * Every table is allocated before any is read, since objects refer to one
 * another in all directions (nodes to declarations, declarations to their
 * initialisers); then each is filled in order.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "ir_io.h"
#include "ir_io_format.h"
#include "source_file.h"

typedef struct reader {
    const unsigned char *start, *p, *end;
    const char *name;
    const char *root;
    char *err;
    size_t err_size;
    bool bad;
    arena *a;
    ir_tu *tu;
    uint32_t counts[T_COUNT];
    const char **strings;
    const char **files;     /* as locations name them (relative) */
    const char **abs_files; /* as written (absolute) */
    ir_record *records;
    ir_decl *decls;
    ir_func *funcs;
    ir_node *nodes;
    uint32_t *depth; /* per node: the longest kid chain below it */
} reader;

/* ---- Primitives ------------------------------------------------------- */

static void bad(reader *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Records the first problem, with where in the payload it was met. */
static void bad(reader *r, const char *fmt, ...)
{
    if (r->bad)
        return;
    r->bad = true;
    char what[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    snprintf(r->err, r->err_size, "%s: damaged facts file at byte %zu: %s",
             r->name, (size_t)(r->p - r->start) + IR_FACTS_HEADER_SIZE, what);
}

static uint64_t get_u(reader *r)
{
    uint64_t v = 0;
    for (int shift = 0; !r->bad; shift += 7) {
        if (r->p == r->end) {
            bad(r, "cut short");
            break;
        }
        unsigned char b = *r->p++;
        if (shift == 63 && b > 1) {
            bad(r, "a number too large");
            break;
        }
        v |= (uint64_t)(b & 0x7f) << shift;
        if (!(b & 0x80))
            return v;
    }
    return 0;
}

static int64_t get_s(reader *r)
{
    uint64_t v = get_u(r);
    return (int64_t)(v >> 1) ^ -(int64_t)(v & 1);
}

/* A number at most MAX, else a problem naming WHAT. */
static uint32_t get_max(reader *r, uint64_t max, const char *what)
{
    uint64_t v = get_u(r);
    if (v > max) {
        bad(r, "%s %llu is out of range (at most %llu)", what,
            (unsigned long long)v, (unsigned long long)max);
        return 0;
    }
    return (uint32_t)v;
}

static bool get_bool(reader *r, const char *what)
{
    return get_max(r, 1, what) != 0;
}

/* A count of things that take at least one byte each: never more than the
   bytes left, so a damaged count cannot ask for absurd memory. */
static uint32_t get_count(reader *r, const char *what)
{
    return get_max(r, (uint64_t)(r->end - r->p), what);
}

/* A reference into table T (0: NULL); NONNULL asks for an object. */
static uint32_t get_ref(reader *r, int t, bool nonnull, const char *what)
{
    uint32_t v = get_max(r, r->counts[t], what);
    if (nonnull && v == 0 && !r->bad)
        bad(r, "%s is missing", what);
    return v;
}

static const char *get_str(reader *r, bool nonnull, size_t max,
                           const char *what)
{
    uint32_t v = get_ref(r, T_STRINGS, nonnull, what);
    if (!v || r->bad)
        return NULL;
    const char *s = r->strings[v - 1];
    if (strlen(s) > max) {
        bad(r, "%s is longer than %zu bytes", what, max);
        return NULL;
    }
    return s;
}

static const char *get_file(reader *r, bool nonnull, const char *what)
{
    uint32_t v = get_ref(r, T_FILES, nonnull, what);
    return v && !r->bad ? r->files[v - 1] : NULL;
}

/* A file as written (the unit's inputs stay absolute, for the index). */
static const char *get_abs_file(reader *r, const char *what)
{
    uint32_t v = get_ref(r, T_FILES, true, what);
    return v && !r->bad ? r->abs_files[v - 1] : NULL;
}

static sc_loc get_loc(reader *r)
{
    sc_loc loc;
    loc.file = get_file(r, false, "a location's file");
    loc.line = get_max(r, UINT32_MAX, "a line");
    loc.col = get_max(r, UINT32_MAX, "a column");
    return loc;
}

static ir_node *node_at(reader *r, uint32_t ref)
{
    return ref ? &r->nodes[ref - 1] : NULL;
}

static ir_decl *decl_at(reader *r, uint32_t ref)
{
    return ref ? &r->decls[ref - 1] : NULL;
}

static ir_func *func_at(reader *r, uint32_t ref)
{
    return ref ? &r->funcs[ref - 1] : NULL;
}

static ir_record *record_at(reader *r, uint32_t ref)
{
    return ref ? &r->records[ref - 1] : NULL;
}

static const ir_macro *macro_at(reader *r, uint32_t ref)
{
    return ref ? &r->tu->macros[ref - 1] : NULL;
}

/* ---- Tables ----------------------------------------------------------- */

static void read_counts(reader *r)
{
    static const char *const what[T_COUNT] = {
        "the number of strings", "the number of files",
        "the number of macros",  "the number of records",
        "the number of decls",   "the number of functions",
        "the number of nodes",   "the number of diagnostics",
        "the number of inputs"};
    uint64_t total = 0;
    for (int i = 0; i < T_COUNT; i++) {
        r->counts[i] = get_count(r, what[i]);
        total += r->counts[i];
    }
    if (total > (uint64_t)(r->end - r->p))
        bad(r, "%llu objects cannot fit in %zu bytes",
            (unsigned long long)total, (size_t)(r->end - r->p));
}

/* N zeroed objects of SIZE, or NULL for none (as the front end leaves an
   empty list). */
static void *alloc_array(reader *r, size_t n, size_t size)
{
    return n ? arena_array(r->a, n, size) : NULL;
}

static void allocate(reader *r)
{
    ir_tu *tu = r->tu;
    r->strings = arena_array(r->a, r->counts[T_STRINGS], sizeof *r->strings);
    r->files = arena_array(r->a, r->counts[T_FILES], sizeof *r->files);
    r->abs_files = arena_array(r->a, r->counts[T_FILES], sizeof *r->files);
    tu->n_macros = r->counts[T_MACROS];
    tu->macros = alloc_array(r, tu->n_macros, sizeof *tu->macros);
    r->records = alloc_array(r, r->counts[T_RECORDS], sizeof *r->records);
    r->decls = alloc_array(r, r->counts[T_DECLS], sizeof *r->decls);
    r->funcs = alloc_array(r, r->counts[T_FUNCS], sizeof *r->funcs);
    r->nodes = alloc_array(r, r->counts[T_NODES], sizeof *r->nodes);
    r->depth = calloc((size_t)r->counts[T_NODES] + 1, sizeof *r->depth);
    if (!r->depth)
        bad(r, "out of memory");
}

static void read_strings(reader *r)
{
    for (uint32_t i = 0; i < r->counts[T_STRINGS] && !r->bad; i++) {
        uint32_t len = get_count(r, "a string's length");
        if (r->bad)
            return;
        if (memchr(r->p, '\0', len)) {
            bad(r, "a string holds a NUL byte");
            return;
        }
        r->strings[i] = arena_strndup(r->a, (const char *)r->p, len);
        r->p += len;
    }
}

/* A name under the root is shown relative to it, as the front end shows
   it; the interned names are the file table's own strings. */
static const char *relative_name(reader *r, const char *name)
{
    size_t n = r->root ? strlen(r->root) : 0;
    if (n && strncmp(name, r->root, n) == 0 && name[n] == '/' && name[n + 1])
        return name + n + 1;
    return name;
}

static void read_files(reader *r)
{
    for (uint32_t i = 0; i < r->counts[T_FILES] && !r->bad; i++) {
        const char *name = get_str(r, true, SIZE_MAX, "a file name");
        r->abs_files[i] = name;
        r->files[i] = name ? relative_name(r, name) : NULL;
    }
}

static void read_macros(reader *r)
{
    for (uint32_t i = 0; i < r->tu->n_macros && !r->bad; i++) {
        ir_macro *m = &r->tu->macros[i];
        m->name = get_str(r, true, SIZE_MAX, "a macro's name");
        m->body = get_str(r, true, SIZE_MAX, "a macro's body");
        m->loc = get_loc(r);
    }
}

static void read_type(reader *r, ir_type *t)
{
    t->cls = get_max(r, IR_TYPE_RECORD, "a type class");
    unsigned flags = get_max(r, 15, "a type's flags");
    t->int_signed = flags & TYPE_INT_SIGNED;
    t->is_const_qualified = flags & TYPE_CONST;
    t->pointee_const = flags & TYPE_POINTEE_CONST;
    t->elem_cls = get_max(r, IR_TYPE_RECORD, "an element type class");
    t->pointer_depth = get_max(r, UINT32_MAX, "a pointer depth");
    t->int_bits = (uint8_t)get_max(r, 255, "an integer width");
    t->elem_bytes = get_max(r, UINT32_MAX, "an element size");
    t->record = record_at(r, get_ref(r, T_RECORDS, false, "a type's record"));
    t->array_rank = get_count(r, "an array rank");
    if (!(flags & TYPE_HAS_DIMS) || r->bad)
        return;
    t->array_dims = arena_array(r->a, t->array_rank, sizeof *t->array_dims);
    for (uint32_t i = 0; i < t->array_rank && !r->bad; i++)
        t->array_dims[i] =
            node_at(r, get_ref(r, T_NODES, false, "an array dimension"));
}

static void read_annotations(reader *r, ir_annotation **out, uint32_t *n_out)
{
    uint32_t n = get_count(r, "the number of annotations");
    if (!n || r->bad)
        return;
    ir_annotation *anns = arena_array(r->a, n, sizeof *anns);
    for (uint32_t i = 0; i < n && !r->bad; i++) {
        ir_annotation *a = &anns[i];
        a->kind = get_max(r, IR_ANN_LOSS, "an annotation kind");
        a->text =
            get_str(r, true, IR_IO_ANNOTATION_TEXT_MAX, "an annotation's text");
        a->loc = get_loc(r);
        a->inherited = get_bool(r, "an annotation's inherited flag");
        a->n_macros = get_count(r, "an annotation's number of macros");
        if (r->bad)
            break;
        const ir_macro **macros = alloc_array(r, a->n_macros, sizeof *macros);
        for (uint32_t k = 0; k < a->n_macros && !r->bad; k++)
            macros[k] = macro_at(
                r, get_ref(r, T_MACROS, true, "an annotation's macro"));
        a->macros = macros;
    }
    *out = anns;
    *n_out = n;
}

static ir_decl **read_decl_refs(reader *r, uint32_t *n_out, const char *what)
{
    uint32_t n = get_count(r, what);
    if (!n || r->bad)
        return NULL;
    ir_decl **v = arena_array(r->a, n, sizeof *v);
    for (uint32_t i = 0; i < n && !r->bad; i++)
        v[i] = decl_at(r, get_ref(r, T_DECLS, true, what));
    *n_out = n;
    return v;
}

/* A deferred body's calls: functions of the table (NULL never). */
static void read_calls(reader *r, ir_func *f)
{
    uint32_t n = get_count(r, "a deferred body's calls");
    if (!n || r->bad)
        return;
    f->calls = arena_array(r->a, n, sizeof *f->calls);
    for (uint32_t i = 0; i < n && !r->bad; i++)
        f->calls[i] =
            func_at(r, get_ref(r, T_FUNCS, true, "a deferred body's call"));
    f->n_calls = n;
}

static void read_records(reader *r)
{
    for (uint32_t i = 0; i < r->counts[T_RECORDS] && !r->bad; i++) {
        ir_record *rec = &r->records[i];
        rec->name = get_str(r, true, SIZE_MAX, "a record's name");
        rec->is_union = get_bool(r, "a record's union flag");
        rec->loc = get_loc(r);
        rec->fields = read_decl_refs(r, &rec->n_fields, "a record's fields");
    }
}

static void read_decl(reader *r, ir_decl *d)
{
    d->kind = get_max(r, IR_DECL_ENUM, "a declaration kind");
    d->name = get_str(r, true, SIZE_MAX, "a declaration's name");
    d->loc = get_loc(r);
    read_type(r, &d->type);
    read_annotations(r, &d->annotations, &d->n_annotations);
    unsigned flags = get_max(r, 7, "a declaration's flags");
    d->has_value = flags & DECL_HAS_VALUE;
    d->is_static = flags & DECL_STATIC;
    d->address_taken = flags & DECL_ADDRESS_TAKEN;
    d->value = get_s(r);
    d->init = node_at(r, get_ref(r, T_NODES, false, "an initialiser"));
    d->bit_width = (uint8_t)get_max(r, 255, "a bit-field width");
    d->parent = record_at(r, get_ref(r, T_RECORDS, false, "a field's record"));
    d->index = get_max(r, UINT32_MAX, "a declaration's index");
    d->owner = func_at(r, get_ref(r, T_FUNCS, false, "a declaration's owner"));
}

static void read_func(reader *r, ir_func *f)
{
    f->name = get_str(r, true, SIZE_MAX, "a function's name");
    f->key = get_str(r, true, SIZE_MAX, "a function's key");
    f->loc = get_loc(r);
    unsigned flags = get_max(r, 127, "a function's flags");
    f->is_definition = flags & FUNC_DEFINITION;
    f->is_static = flags & FUNC_STATIC;
    f->is_variadic = flags & FUNC_VARIADIC;
    f->has_prototype = flags & FUNC_PROTOTYPE;
    f->in_system_header = flags & FUNC_SYSTEM;
    read_type(r, &f->ret);
    f->params = read_decl_refs(r, &f->n_params, "a function's parameters");
    read_annotations(r, &f->annotations, &f->n_annotations);
    f->body = node_at(r, get_ref(r, T_NODES, false, "a function's body"));
    f->locals = read_decl_refs(r, &f->n_locals, "a function's locals");
    f->tu = r->tu;
    f->body_deferred = flags & FUNC_BODY_DEFERRED;
    f->address_taken = flags & FUNC_ADDRESS_TAKEN;
    if (f->body_deferred && f->body)
        bad(r, "function '%s' has a body and a deferred one", f->name);
    if (f->body_deferred)
        read_calls(r, f);
}

/* The kids of node I: earlier nodes only (kids come first), NULL only in
   a loop's absent parts; and no deeper than the front end builds. */
static void read_kids(reader *r, ir_node *n, uint32_t i)
{
    n->n_kids = get_count(r, "a node's number of kids");
    if (!n->n_kids || r->bad)
        return;
    n->kids = arena_array(r->a, n->n_kids, sizeof *n->kids);
    for (uint32_t k = 0; k < n->n_kids && !r->bad; k++) {
        uint32_t ref = get_max(r, i, "a kid (kids come before their node)");
        if (!ref && n->kind != IR_LOOP)
            bad(r, "node %u has a missing kid", i + 1);
        n->kids[k] = node_at(r, ref);
        if (ref && r->depth[ref - 1] + 1 > r->depth[i])
            r->depth[i] = r->depth[ref - 1] + 1;
    }
    if (r->depth[i] > IR_IO_MAX_DEPTH)
        bad(r, "a tree deeper than %d levels", IR_IO_MAX_DEPTH);
}

static void read_node(reader *r, uint32_t i)
{
    ir_node *n = &r->nodes[i];
    n->kind = get_max(r, IR_OTHER, "a node kind");
    n->loc = get_loc(r);
    n->end = get_loc(r);
    int64_t op = get_s(r);
    if (op < INT32_MIN || op > INT32_MAX)
        bad(r, "an operator out of range");
    n->op = (int)op;
    n->arrow = get_bool(r, "a node's arrow flag");
    n->value = get_s(r);
    n->decl = decl_at(r, get_ref(r, T_DECLS, false, "a node's declaration"));
    n->macro = macro_at(r, get_ref(r, T_MACROS, false, "a node's macro"));
    n->callee = func_at(r, get_ref(r, T_FUNCS, false, "a node's callee"));
    n->text = get_str(r, false, IR_IO_NODE_TEXT_MAX, "a node's text");
    read_type(r, &n->type);
    read_kids(r, n, i);
}

/* One of the TU's lists: references into table T, none NULL. */
static void **read_list(reader *r, int t, uint32_t *n_out, const char *what)
{
    uint32_t n = get_count(r, what);
    if (!n || r->bad)
        return NULL;
    void **v = arena_array(r->a, n, sizeof *v);
    for (uint32_t i = 0; i < n && !r->bad; i++) {
        uint32_t ref = get_ref(r, t, true, what);
        v[i] = t == T_FUNCS   ? (void *)func_at(r, ref)
               : t == T_DECLS ? (void *)decl_at(r, ref)
                              : (void *)record_at(r, ref);
    }
    *n_out = n;
    return v;
}

static void read_lists(reader *r)
{
    ir_tu *tu = r->tu;
    tu->funcs =
        (ir_func **)read_list(r, T_FUNCS, &tu->n_funcs, "the unit's functions");
    tu->globals =
        (ir_decl **)read_list(r, T_DECLS, &tu->n_globals, "the unit's globals");
    tu->enums =
        (ir_decl **)read_list(r, T_DECLS, &tu->n_enums, "the unit's enums");
    tu->records = (ir_record **)read_list(r, T_RECORDS, &tu->n_records,
                                          "the unit's records");
}

static void read_diags_and_inputs(reader *r)
{
    ir_tu *tu = r->tu;
    tu->n_diags = r->counts[T_DIAGS];
    tu->diags = alloc_array(r, tu->n_diags, sizeof *tu->diags);
    for (uint32_t i = 0; i < tu->n_diags && !r->bad; i++) {
        tu->diags[i].severity = get_max(r, IR_SEV_ERROR, "a severity");
        tu->diags[i].loc = get_loc(r);
        tu->diags[i].text = get_str(r, true, SIZE_MAX, "a diagnostic's text");
    }
    tu->n_inputs = r->counts[T_INPUTS];
    const char **inputs = alloc_array(r, tu->n_inputs, sizeof *inputs);
    for (uint32_t i = 0; i < tu->n_inputs && !r->bad; i++)
        inputs[i] = get_abs_file(r, "an input");
    tu->inputs = inputs;
}

/* What the analysis indexes by: a parameter's index is its place in its
   function's list (summaries keep per-parameter arrays). */
static void check_params(reader *r)
{
    for (uint32_t i = 0; i < r->counts[T_DECLS] && !r->bad; i++) {
        const ir_decl *d = &r->decls[i];
        if (d->kind == IR_DECL_PARAM && d->owner &&
            d->index >= d->owner->n_params)
            bad(r, "parameter %u of a function with %u", d->index,
                d->owner->n_params);
    }
}

static void read_payload(reader *r)
{
    read_counts(r);
    if (r->bad)
        return;
    allocate(r);
    read_strings(r);
    read_files(r);
    r->tu->main_file = get_file(r, true, "the main file");
    r->tu->has_errors = get_bool(r, "the unit's error flag");
    read_macros(r);
    read_records(r);
    for (uint32_t i = 0; i < r->counts[T_DECLS] && !r->bad; i++)
        read_decl(r, &r->decls[i]);
    for (uint32_t i = 0; i < r->counts[T_FUNCS] && !r->bad; i++)
        read_func(r, &r->funcs[i]);
    for (uint32_t i = 0; i < r->counts[T_NODES] && !r->bad; i++)
        read_node(r, i);
    read_lists(r);
    read_diags_and_inputs(r);
    check_params(r);
    if (!r->bad && r->p != r->end)
        bad(r, "%zu bytes after the last table", (size_t)(r->end - r->p));
}

/* The header: magic, version, size, checksum.  Returns the payload's size,
   or false with a message. */
static bool check_header(const unsigned char *data, size_t size,
                         const char *name, size_t *payload, char *err,
                         size_t err_size)
{
    if (size < IR_FACTS_MAGIC_SIZE ||
        memcmp(data, IR_FACTS_MAGIC, IR_FACTS_MAGIC_SIZE) != 0) {
        snprintf(err, err_size,
                 "%s: not a shapecheck facts file (it does not start with "
                 "the facts magic bytes)",
                 name);
        return false;
    }
    if (size < IR_FACTS_HEADER_SIZE) {
        snprintf(err, err_size,
                 "%s: damaged facts file: cut short in its "
                 "header",
                 name);
        return false;
    }
    uint64_t version = ir_io_get_le(data + 8, 4);
    if (version != IR_FACTS_VERSION) {
        snprintf(err, err_size,
                 "%s: facts format version %llu, but this shapecheck reads "
                 "version %d: emit the facts again with this shapecheck",
                 name, (unsigned long long)version, IR_FACTS_VERSION);
        return false;
    }
    uint64_t want = ir_io_get_le(data + 16, 8);
    uint64_t have = size - IR_FACTS_HEADER_SIZE;
    if (ir_io_get_le(data + 12, 4) != 0 || want != have) {
        snprintf(err, err_size,
                 "%s: damaged facts file: its header announces %llu bytes of "
                 "facts, it holds %llu",
                 name, (unsigned long long)want, (unsigned long long)have);
        return false;
    }
    uint64_t sum = sc_hash(SC_HASH_SEED, data + IR_FACTS_HEADER_SIZE, have);
    if (sum != ir_io_get_le(data + 24, 8)) {
        snprintf(err, err_size,
                 "%s: damaged facts file: checksum mismatch (the file changed "
                 "after it was written)",
                 name);
        return false;
    }
    *payload = (size_t)have;
    return true;
}

ir_tu *ir_tu_decode(const unsigned char *data, size_t size, const char *root,
                    const char *name, char *err, size_t err_size)
{
    size_t payload;
    if (!check_header(data, size, name, &payload, err, err_size))
        return NULL;
    reader r = {.start = data + IR_FACTS_HEADER_SIZE,
                .p = data + IR_FACTS_HEADER_SIZE,
                .end = data + IR_FACTS_HEADER_SIZE + payload,
                .name = name,
                .root = root,
                .err = err,
                .err_size = err_size};
    r.a = arena_new();
    r.tu = arena_alloc(r.a, sizeof *r.tu);
    r.tu->arena = r.a;
    read_payload(&r);
    free(r.depth);
    if (r.bad) {
        arena_free(r.a);
        return NULL;
    }
    return r.tu;
}

ir_tu *ir_tu_read_file(const char *path, const char *root, char *err,
                       size_t err_size)
{
    size_t len;
    char *data = source_read(path, &len);
    if (!data) {
        snprintf(err, err_size, "%s: cannot read it: %s", path,
                 strerror(errno));
        return NULL;
    }
    ir_tu *tu = ir_tu_decode((const unsigned char *)data, len, root, path, err,
                             err_size);
    free(data);
    return tu;
}
