/*
 * ir_io_write.c - a TU's facts as bytes (ir_io.h, ir_io_format.h).
 *
 * The IR is a graph: a local's initialiser is also a kid of its
 * declaration statement, nodes point at declarations and functions,
 * declarations at records and their owners, and some declarations are in
 * no list of the TU (parameters of a prototype reached from a call,
 * locals the front end met only through an expression).  So the writer
 * first numbers every object reachable from the TU's lists, table by
 * table, without recursion (trees go 2,000 levels deep); nodes are then
 * renumbered kids first, so that the reader can check that kid links
 * never loop.  Each object is then written once and referred to by its
 * number.
 */
#define _POSIX_C_SOURCE 200809L /* getpid */

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hash.h"
#include "ir_io.h"
#include "ir_io_format.h"
#include "small_file.h"
#include "strmap.h"

/* ---- Output buffer --------------------------------------------------- */

typedef struct out {
    unsigned char *p;
    size_t n, cap;
    bool failed; /* out of memory */
} out;

static void put_bytes(out *o, const void *data, size_t n)
{
    if (o->failed)
        return;
    if (o->cap - o->n < n) {
        size_t cap = o->cap ? o->cap : 4096;
        while (cap - o->n < n)
            cap *= 2;
        unsigned char *p = realloc(o->p, cap);
        if (!p) {
            o->failed = true;
            return;
        }
        o->p = p, o->cap = cap;
    }
    if (n)
        memcpy(o->p + o->n, data, n);
    o->n += n;
}

/* Unsigned LEB128. */
static void put_u(out *o, uint64_t v)
{
    unsigned char b[10];
    int n = 0;
    do {
        b[n] = v & 0x7f;
        v >>= 7;
        if (v)
            b[n] |= 0x80;
        n++;
    } while (v);
    put_bytes(o, b, (size_t)n);
}

/* Zig-zag, then LEB128: small negative numbers stay small. */
static void put_s(out *o, int64_t v)
{
    put_u(o, ((uint64_t)v << 1) ^ (uint64_t)(v < 0 ? -1 : 0));
}

/* ---- Numbering objects ------------------------------------------------ */

/* Objects of one kind, numbered in the order they are met: number i + 1
   is items[i].  A hash index finds an object's number. */
typedef struct table {
    const void **items;
    uint32_t n, cap;
    const void **keys; /* open addressing; KEYS[i] NULL: empty */
    uint32_t *nums;
    uint32_t slots; /* a power of two */
} table;

typedef struct writer {
    const ir_tu *tu;
    const char *root;
    arena *a;
    table records, decls, funcs, nodes;
    strmap strings; /* text -> number */
    const char **string_list;
    uint32_t n_strings, cap_strings;
    strmap files; /* name as written (absolute) -> number */
    const char **file_list;
    uint32_t n_files, cap_files;
    table file_ptrs;     /* a name as the TU holds it */
    uint32_t *file_nums; /* file_ptrs' number -> number in FILE_LIST */
    uint32_t cap_file_nums;
    uint32_t *post; /* node number -> kids-first number */
    char *err;
    size_t err_size;
    bool failed;
} writer;

static uint32_t hash_ptr(const void *p)
{
    uint64_t x = (uint64_t)(uintptr_t)p;
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdull;
    x ^= x >> 33;
    return (uint32_t)x;
}

static uint32_t *table_slot(const table *t, const void *p)
{
    uint32_t i = hash_ptr(p) & (t->slots - 1);
    while (t->keys[i] && t->keys[i] != p)
        i = (i + 1) & (t->slots - 1);
    return &t->nums[i];
}

static void table_grow(arena *a, table *t)
{
    uint32_t slots = t->slots ? t->slots * 2 : 64;
    table bigger = *t;
    bigger.slots = slots;
    bigger.keys = arena_array(a, slots, sizeof *bigger.keys);
    bigger.nums = arena_array(a, slots, sizeof *bigger.nums);
    for (uint32_t i = 0; i < t->n; i++) {
        uint32_t *num = table_slot(&bigger, t->items[i]);
        bigger.keys[num - bigger.nums] = t->items[i];
        *num = i + 1;
    }
    bigger.cap = slots / 2;
    bigger.items = arena_array(a, bigger.cap, sizeof *bigger.items);
    if (t->n)
        memcpy(bigger.items, t->items, t->n * sizeof *t->items);
    *t = bigger;
}

/* P's number, numbering it if it is new; 0 for NULL. */
static uint32_t table_add(arena *a, table *t, const void *p)
{
    if (!p)
        return 0;
    if (t->n + 1 > t->cap)
        table_grow(a, t);
    uint32_t *num = table_slot(t, p);
    if (*num)
        return *num;
    t->keys[num - t->nums] = p;
    t->items[t->n++] = p;
    return *num = t->n;
}

/* P's number, which it must already have; 0 for NULL. */
static uint32_t table_num(const table *t, const void *p)
{
    return p ? *table_slot(t, p) : 0;
}

static uint32_t push_name(writer *w, strmap *m, const char ***list, uint32_t *n,
                          uint32_t *cap, const char *s)
{
    uintptr_t num = (uintptr_t)strmap_get(m, s);
    if (num)
        return (uint32_t)num;
    if (*n == *cap) {
        *cap = *cap ? *cap * 2 : 256;
        const char **more = arena_array(w->a, *cap, sizeof *more);
        if (*n)
            memcpy(more, *list, *n * sizeof *more);
        *list = more;
    }
    (*list)[(*n)++] = s;
    strmap_put(m, s, (void *)(uintptr_t)*n);
    return *n;
}

/* The number of string S (numbering it if new); 0 for NULL. */
static uint32_t string_num(writer *w, const char *s)
{
    if (!s)
        return 0;
    return push_name(w, &w->strings, &w->string_list, &w->n_strings,
                     &w->cap_strings, s);
}

/* A file name as facts hold it: absolute (names under the root come
   relative from the front end), or as it is when it is not a path
   ("<built-in>", ""). */
static const char *absolute_name(writer *w, const char *name)
{
    if (!w->root || !*name || name[0] == '/' || name[0] == '<')
        return name;
    return arena_printf(w->a, "%s/%s", w->root, name);
}

/* The number of file NAME (numbering it if new); 0 for NULL.  Names are
   interned by the TU, so they are looked up by pointer. */
static uint32_t file_num(writer *w, const char *name)
{
    if (!name)
        return 0;
    uint32_t p = table_add(w->a, &w->file_ptrs, name);
    if (p >= w->cap_file_nums) {
        uint32_t cap = w->cap_file_nums ? 2 * w->cap_file_nums : 64;
        uint32_t *more = arena_array(w->a, cap, sizeof *more);
        if (w->cap_file_nums)
            memcpy(more, w->file_nums, w->cap_file_nums * sizeof *more);
        w->file_nums = more, w->cap_file_nums = cap;
    }
    if (!w->file_nums[p])
        w->file_nums[p] = push_name(w, &w->files, &w->file_list, &w->n_files,
                                    &w->cap_files, absolute_name(w, name));
    return w->file_nums[p];
}

static void fail(writer *w, const char *what)
{
    if (!w->failed)
        snprintf(w->err, w->err_size, "cannot write the facts of %s: %s",
                 w->tu->main_file ? w->tu->main_file : "a unit", what);
    w->failed = true;
}

/* The index + 1 of M in the TU's macro table; 0 for NULL. */
static uint32_t macro_num(writer *w, const ir_macro *m)
{
    if (!m)
        return 0;
    const ir_tu *tu = w->tu;
    for (uint32_t i = 0; i < tu->n_macros; i++)
        if (&tu->macros[i] == m)
            return i + 1;
    fail(w, "a macro outside the unit's macro table");
    return 0;
}

/* ---- Meeting objects -------------------------------------------------- */

static void meet_loc(writer *w, sc_loc loc)
{
    file_num(w, loc.file);
}

static void meet_type(writer *w, const ir_type *t)
{
    table_add(w->a, &w->records, t->record);
    if (t->array_dims)
        for (uint32_t i = 0; i < t->array_rank; i++)
            table_add(w->a, &w->nodes, t->array_dims[i]);
}

static void meet_annotations(writer *w, const ir_annotation *anns, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        string_num(w, anns[i].text);
        meet_loc(w, anns[i].loc);
    }
}

static void meet_record(writer *w, const ir_record *r)
{
    string_num(w, r->name);
    meet_loc(w, r->loc);
    for (uint32_t i = 0; i < r->n_fields; i++)
        table_add(w->a, &w->decls, r->fields[i]);
}

static void meet_decl(writer *w, const ir_decl *d)
{
    string_num(w, d->name);
    meet_loc(w, d->loc);
    meet_type(w, &d->type);
    meet_annotations(w, d->annotations, d->n_annotations);
    table_add(w->a, &w->nodes, d->init);
    table_add(w->a, &w->records, d->parent);
    table_add(w->a, &w->funcs, d->owner);
}

static void meet_func(writer *w, const ir_func *f)
{
    string_num(w, f->name);
    string_num(w, f->key);
    meet_loc(w, f->loc);
    meet_type(w, &f->ret);
    for (uint32_t i = 0; i < f->n_params; i++)
        table_add(w->a, &w->decls, f->params[i]);
    meet_annotations(w, f->annotations, f->n_annotations);
    table_add(w->a, &w->nodes, f->body);
    for (uint32_t i = 0; i < f->n_locals; i++)
        table_add(w->a, &w->decls, f->locals[i]);
    for (uint32_t i = 0; i < f->n_calls; i++)
        table_add(w->a, &w->funcs, f->calls[i]);
}

static void meet_node(writer *w, const ir_node *n)
{
    meet_loc(w, n->loc);
    meet_loc(w, n->end);
    table_add(w->a, &w->decls, n->decl);
    table_add(w->a, &w->funcs, n->callee);
    string_num(w, n->text);
    meet_type(w, &n->type);
    for (uint32_t i = 0; i < n->n_kids; i++)
        table_add(w->a, &w->nodes, n->kids[i]);
}

static void meet_lists(writer *w)
{
    const ir_tu *tu = w->tu;
    file_num(w, tu->main_file);
    for (uint32_t i = 0; i < tu->n_macros; i++) {
        string_num(w, tu->macros[i].name);
        string_num(w, tu->macros[i].body);
        meet_loc(w, tu->macros[i].loc);
    }
    for (uint32_t i = 0; i < tu->n_funcs; i++)
        table_add(w->a, &w->funcs, tu->funcs[i]);
    for (uint32_t i = 0; i < tu->n_globals; i++)
        table_add(w->a, &w->decls, tu->globals[i]);
    for (uint32_t i = 0; i < tu->n_enums; i++)
        table_add(w->a, &w->decls, tu->enums[i]);
    for (uint32_t i = 0; i < tu->n_records; i++)
        table_add(w->a, &w->records, tu->records[i]);
    for (uint32_t i = 0; i < tu->n_diags; i++) {
        meet_loc(w, tu->diags[i].loc);
        string_num(w, tu->diags[i].text);
    }
    for (uint32_t i = 0; i < tu->n_inputs; i++)
        file_num(w, tu->inputs[i]);
}

/* Numbers everything reachable from the TU's lists: each table is walked
   up to its end, which meeting objects moves, until no table grows. */
static void meet_all(writer *w)
{
    meet_lists(w);
    uint32_t r = 0, d = 0, f = 0, n = 0;
    while (r < w->records.n || d < w->decls.n || f < w->funcs.n ||
           n < w->nodes.n) {
        for (; r < w->records.n; r++)
            meet_record(w, w->records.items[r]);
        for (; d < w->decls.n; d++)
            meet_decl(w, w->decls.items[d]);
        for (; f < w->funcs.n; f++)
            meet_func(w, w->funcs.items[f]);
        for (; n < w->nodes.n; n++)
            meet_node(w, w->nodes.items[n]);
    }
}

/* ---- Kids first ------------------------------------------------------- */

typedef struct post_frame {
    uint32_t num; /* meeting number */
    uint32_t next_kid;
} post_frame;

/* Gives node number START and the nodes below it their kids-first
   numbers (w->post), depth first without recursion.  A kid met again on
   the current path would be a loop: the front end never makes one. */
static void number_from(writer *w, uint32_t start, post_frame *stack,
                        uint8_t *state, uint32_t *next)
{
    uint32_t depth = 0;
    stack[depth++] = (post_frame){start, 0};
    state[start] = 1;
    while (depth) {
        post_frame *top = &stack[depth - 1];
        const ir_node *n = w->nodes.items[top->num - 1];
        if (top->next_kid < n->n_kids) {
            uint32_t kid = table_num(&w->nodes, n->kids[top->next_kid++]);
            if (kid && state[kid] == 1)
                fail(w, "a node that is its own descendant");
            if (kid && state[kid] == 0) {
                state[kid] = 1;
                stack[depth++] = (post_frame){kid, 0};
            }
            continue;
        }
        state[top->num] = 2;
        w->post[top->num] = ++*next;
        depth--;
    }
}

static void number_kids_first(writer *w)
{
    uint32_t n = w->nodes.n;
    w->post = arena_array(w->a, (size_t)n + 1, sizeof *w->post);
    post_frame *stack = arena_array(w->a, (size_t)n + 1, sizeof *stack);
    uint8_t *state = arena_array(w->a, (size_t)n + 1, 1);
    uint32_t next = 0;
    for (uint32_t i = 1; i <= n; i++)
        if (!state[i])
            number_from(w, i, stack, state, &next);
}

/* The kids-first number of node P, 0 for NULL. */
static uint32_t node_ref(const writer *w, const ir_node *p)
{
    return p ? w->post[table_num(&w->nodes, p)] : 0;
}

/* ---- Writing ---------------------------------------------------------- */

static void put_str(writer *w, out *o, const char *s)
{
    put_u(o, s ? (uint32_t)(uintptr_t)strmap_get(&w->strings, s) : 0);
}

static void put_loc(writer *w, out *o, sc_loc loc)
{
    put_u(o, loc.file ? w->file_nums[table_num(&w->file_ptrs, loc.file)] : 0);
    put_u(o, loc.line);
    put_u(o, loc.col);
}

static void put_type(writer *w, out *o, const ir_type *t)
{
    unsigned flags = (t->int_signed ? TYPE_INT_SIGNED : 0) |
                     (t->is_const_qualified ? TYPE_CONST : 0) |
                     (t->pointee_const ? TYPE_POINTEE_CONST : 0) |
                     (t->array_dims ? TYPE_HAS_DIMS : 0);
    put_u(o, t->cls);
    put_u(o, flags);
    put_u(o, t->elem_cls);
    put_u(o, t->pointer_depth);
    put_u(o, t->int_bits);
    put_u(o, t->elem_bytes);
    put_u(o, table_num(&w->records, t->record));
    put_u(o, t->array_rank);
    if (t->array_dims)
        for (uint32_t i = 0; i < t->array_rank; i++)
            put_u(o, node_ref(w, t->array_dims[i]));
}

static void put_annotations(writer *w, out *o, const ir_annotation *anns,
                            uint32_t n)
{
    put_u(o, n);
    for (uint32_t i = 0; i < n; i++) {
        const ir_annotation *a = &anns[i];
        put_u(o, a->kind);
        put_str(w, o, a->text);
        put_loc(w, o, a->loc);
        put_u(o, a->inherited);
        put_u(o, a->n_macros);
        for (uint32_t k = 0; k < a->n_macros; k++)
            put_u(o, macro_num(w, a->macros[k]));
    }
}

static void put_decl_refs(writer *w, out *o, ir_decl *const *d, uint32_t n)
{
    put_u(o, n);
    for (uint32_t i = 0; i < n; i++)
        put_u(o, table_num(&w->decls, d[i]));
}

static void put_record(writer *w, out *o, const ir_record *r)
{
    put_str(w, o, r->name);
    put_u(o, r->is_union);
    put_loc(w, o, r->loc);
    put_decl_refs(w, o, r->fields, r->n_fields);
}

static void put_decl(writer *w, out *o, const ir_decl *d)
{
    unsigned flags = (d->has_value ? DECL_HAS_VALUE : 0) |
                     (d->is_static ? DECL_STATIC : 0) |
                     (d->address_taken ? DECL_ADDRESS_TAKEN : 0);
    put_u(o, d->kind);
    put_str(w, o, d->name);
    put_loc(w, o, d->loc);
    put_type(w, o, &d->type);
    put_annotations(w, o, d->annotations, d->n_annotations);
    put_u(o, flags);
    put_s(o, d->value);
    put_u(o, node_ref(w, d->init));
    put_u(o, d->bit_width);
    put_u(o, table_num(&w->records, d->parent));
    put_u(o, d->index);
    put_u(o, table_num(&w->funcs, d->owner));
}

static void put_func(writer *w, out *o, const ir_func *f)
{
    unsigned flags = (f->is_definition ? FUNC_DEFINITION : 0) |
                     (f->is_static ? FUNC_STATIC : 0) |
                     (f->is_variadic ? FUNC_VARIADIC : 0) |
                     (f->has_prototype ? FUNC_PROTOTYPE : 0) |
                     (f->in_system_header ? FUNC_SYSTEM : 0) |
                     (f->body_deferred ? FUNC_BODY_DEFERRED : 0) |
                     (f->address_taken ? FUNC_ADDRESS_TAKEN : 0);
    put_str(w, o, f->name);
    put_str(w, o, f->key);
    put_loc(w, o, f->loc);
    put_u(o, flags);
    put_type(w, o, &f->ret);
    put_decl_refs(w, o, f->params, f->n_params);
    put_annotations(w, o, f->annotations, f->n_annotations);
    put_u(o, node_ref(w, f->body));
    put_decl_refs(w, o, f->locals, f->n_locals);
    if (!f->body_deferred)
        return;
    put_u(o, f->n_calls);
    for (uint32_t i = 0; i < f->n_calls; i++)
        put_u(o, table_num(&w->funcs, f->calls[i]));
}

static void put_node(writer *w, out *o, const ir_node *n)
{
    put_u(o, n->kind);
    put_loc(w, o, n->loc);
    put_loc(w, o, n->end);
    put_s(o, n->op);
    put_u(o, n->arrow);
    put_s(o, n->value);
    put_u(o, table_num(&w->decls, n->decl));
    put_u(o, macro_num(w, n->macro));
    put_u(o, table_num(&w->funcs, n->callee));
    put_str(w, o, n->text);
    put_type(w, o, &n->type);
    put_u(o, n->n_kids);
    for (uint32_t i = 0; i < n->n_kids; i++)
        put_u(o, node_ref(w, n->kids[i]));
}

static void put_nodes(writer *w, out *o)
{
    const ir_node **by_post =
        arena_array(w->a, (size_t)w->nodes.n + 1, sizeof *by_post);
    for (uint32_t i = 1; i <= w->nodes.n; i++)
        by_post[w->post[i] - 1] = w->nodes.items[i - 1];
    for (uint32_t i = 0; i < w->nodes.n; i++)
        put_node(w, o, by_post[i]);
}

static void put_list(out *o, const table *t, void *const *items, uint32_t n)
{
    put_u(o, n);
    for (uint32_t i = 0; i < n; i++)
        put_u(o, table_num(t, items[i]));
}

static void put_counts(writer *w, out *o)
{
    const ir_tu *tu = w->tu;
    uint32_t counts[T_COUNT] = {
        [T_STRINGS] = w->n_strings, [T_FILES] = w->n_files,
        [T_MACROS] = tu->n_macros,  [T_RECORDS] = w->records.n,
        [T_DECLS] = w->decls.n,     [T_FUNCS] = w->funcs.n,
        [T_NODES] = w->nodes.n,     [T_DIAGS] = tu->n_diags,
        [T_INPUTS] = tu->n_inputs,
    };
    for (int i = 0; i < T_COUNT; i++)
        put_u(o, counts[i]);
}

static void put_names(writer *w, out *o)
{
    for (uint32_t i = 0; i < w->n_strings; i++) {
        size_t len = strlen(w->string_list[i]);
        put_u(o, len);
        put_bytes(o, w->string_list[i], len);
    }
    for (uint32_t i = 0; i < w->n_files; i++)
        put_u(o, string_num(w, w->file_list[i]));
}

static void put_payload(writer *w, out *o)
{
    const ir_tu *tu = w->tu;
    put_counts(w, o);
    put_names(w, o);
    put_u(o, file_num(w, tu->main_file));
    put_u(o, tu->has_errors);
    for (uint32_t i = 0; i < tu->n_macros; i++) {
        put_str(w, o, tu->macros[i].name);
        put_str(w, o, tu->macros[i].body);
        put_loc(w, o, tu->macros[i].loc);
    }
    for (uint32_t i = 0; i < w->records.n; i++)
        put_record(w, o, w->records.items[i]);
    for (uint32_t i = 0; i < w->decls.n; i++)
        put_decl(w, o, w->decls.items[i]);
    for (uint32_t i = 0; i < w->funcs.n; i++)
        put_func(w, o, w->funcs.items[i]);
    put_nodes(w, o);
    put_list(o, &w->funcs, (void *const *)tu->funcs, tu->n_funcs);
    put_list(o, &w->decls, (void *const *)tu->globals, tu->n_globals);
    put_list(o, &w->decls, (void *const *)tu->enums, tu->n_enums);
    put_list(o, &w->records, (void *const *)tu->records, tu->n_records);
    for (uint32_t i = 0; i < tu->n_diags; i++) {
        put_u(o, tu->diags[i].severity);
        put_loc(w, o, tu->diags[i].loc);
        put_str(w, o, tu->diags[i].text);
    }
    for (uint32_t i = 0; i < tu->n_inputs; i++)
        put_u(o, file_num(w, tu->inputs[i]));
}

/* Every string is numbered before the first is written: file names are
   strings too, so they are numbered (put_names) before the table goes
   out; the writer only looks numbers up after that. */
static void number_file_names(writer *w)
{
    for (uint32_t i = 0; i < w->n_files; i++)
        string_num(w, w->file_list[i]);
}

int ir_tu_encode(const ir_tu *tu, const char *root, unsigned char **data,
                 size_t *size, char *err, size_t err_size)
{
    writer w = {.tu = tu, .root = root, .err = err, .err_size = err_size};
    w.a = arena_new();
    strmap_init(&w.strings, w.a);
    strmap_init(&w.files, w.a);
    meet_all(&w);
    number_kids_first(&w);
    number_file_names(&w);
    out o = {0};
    unsigned char header[IR_FACTS_HEADER_SIZE] = {0};
    put_bytes(&o, header, sizeof header);
    put_payload(&w, &o);
    arena_free(w.a);
    if (o.failed)
        fail(&w, "out of memory");
    if (w.failed) {
        free(o.p);
        return -1;
    }
    size_t payload = o.n - IR_FACTS_HEADER_SIZE;
    memcpy(o.p, IR_FACTS_MAGIC, IR_FACTS_MAGIC_SIZE);
    ir_io_put_le(o.p + 8, IR_FACTS_VERSION, 4);
    ir_io_put_le(o.p + 12, 0, 4);
    ir_io_put_le(o.p + 16, payload, 8);
    ir_io_put_le(o.p + 24,
                 sc_hash(SC_HASH_SEED, o.p + IR_FACTS_HEADER_SIZE, payload), 8);
    *data = o.p;
    *size = o.n;
    return 0;
}

/* ---- Files ------------------------------------------------------------ */

int ir_tu_write_file(const ir_tu *tu, const char *root, const char *path,
                     char *err, size_t err_size)
{
    unsigned char *data;
    size_t size;
    if (ir_tu_encode(tu, root, &data, &size, err, err_size) != 0)
        return -1;
    int rc = small_file_write(path, data, size, err, err_size);
    free(data);
    return rc;
}
