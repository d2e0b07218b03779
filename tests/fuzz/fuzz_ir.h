/*
 * fuzz_ir.h - building the facts of a small program by hand (checker/frontend/ir.h),
 * for the harnesses that run the engine without libclang (fuzz_annotation,
 * fuzz_summary), and checking what the engine found.
 */
#ifndef SHAPECHECK_FUZZ_IR_H
#define SHAPECHECK_FUZZ_IR_H

#include <stdarg.h>

#include "analysis.h"
#include "fuzz.h"
#include "output.h"
#include "output_formats.h"

#define FILE_NAME "fuzz.c"

typedef struct builder {
    arena *a;
    ir_tu *tu;
    unsigned line;
} builder;

static inline sc_loc at(builder *b)
{
    return (sc_loc){FILE_NAME, ++b->line, 5};
}

static inline ir_type type_of(ir_type_class cls, const ir_record *record)
{
    ir_type t = {.cls = cls, .record = record};
    if (cls == IR_TYPE_POINTER) {
        t.elem_cls = record ? IR_TYPE_RECORD : IR_TYPE_FLOAT;
        t.pointer_depth = 1;
    }
    return t;
}

static inline ir_annotation *annotation(builder *b, ir_ann_kind kind,
                                        const char *text)
{
    ir_annotation *ann = arena_alloc(b->a, sizeof *ann);
    *ann = (ir_annotation){
        .kind = kind, .text = arena_strdup(b->a, text), .loc = at(b)};
    return ann;
}

static inline ir_decl *decl(builder *b, ir_decl_kind kind, const char *name,
                            ir_type type)
{
    ir_decl *d = arena_alloc(b->a, sizeof *d);
    d->kind = kind;
    d->name = name;
    d->loc = at(b);
    d->type = type;
    return d;
}

static inline void annotate(ir_decl *d, ir_annotation *ann)
{
    d->annotations = ann;
    d->n_annotations = 1;
}

static inline ir_func *function(builder *b, const char *name, ir_type ret,
                                ir_decl **params, uint32_t n_params)
{
    ir_func *f = arena_alloc(b->a, sizeof *f);
    f->name = name;
    f->key = arena_printf(b->a, "c:@F@%s", name);
    f->loc = at(b);
    f->has_prototype = true;
    f->ret = ret;
    f->params = arena_array(b->a, n_params, sizeof *f->params);
    for (uint32_t i = 0; i < n_params; i++) {
        f->params[i] = params[i];
        params[i]->kind = IR_DECL_PARAM;
        params[i]->index = i;
        params[i]->owner = f;
    }
    f->n_params = n_params;
    f->tu = b->tu;
    return f;
}

static inline void add_local(builder *b, ir_func *f, ir_decl *d)
{
    ir_decl **locals = arena_array(b->a, f->n_locals + 1, sizeof *locals);
    if (f->n_locals)
        memcpy(locals, f->locals, f->n_locals * sizeof *locals);
    d->kind = IR_DECL_LOCAL;
    d->index = f->n_locals;
    d->owner = f;
    locals[f->n_locals++] = d;
    f->locals = locals;
}

/* ---- Nodes ------------------------------------------------------------- */

static inline ir_node *node(builder *b, ir_kind kind, const char *text,
                            ir_type type, uint32_t n_kids, ...)
{
    ir_node *n = arena_alloc(b->a, sizeof *n);
    n->kind = kind;
    n->loc = (sc_loc){FILE_NAME, b->line, 9};
    n->text = text;
    n->type = type;
    n->kids = arena_array(b->a, n_kids + 1, sizeof *n->kids);
    n->n_kids = n_kids;
    va_list ap;
    va_start(ap, n_kids);
    for (uint32_t i = 0; i < n_kids; i++)
        n->kids[i] = va_arg(ap, ir_node *);
    va_end(ap);
    return n;
}

static inline ir_node *var(builder *b, ir_decl *d)
{
    ir_node *n = node(b, IR_VAR, d->name, d->type, 0);
    n->decl = d;
    return n;
}

static inline ir_node *integer(builder *b, int64_t value, const char *text)
{
    ir_node *n = node(b, IR_INT, text, type_of(IR_TYPE_INT, NULL), 0);
    n->value = value;
    return n;
}

static inline ir_node *call(builder *b, ir_func *callee, const char *text,
                            ir_node *a0, ir_node *a1, ir_node *a2, ir_node *a3)
{
    ir_node *fn =
        node(b, IR_OTHER, callee->name, type_of(IR_TYPE_OTHER, NULL), 0);
    ir_node *n = a2 ? node(b, IR_CALL, text, callee->ret, 5, fn, a0, a1, a2, a3)
                    : node(b, IR_CALL, text, callee->ret, 3, fn, a0, a1);
    n->callee = callee;
    return n;
}

static inline ir_node *assign(builder *b, ir_node *lhs, ir_node *rhs)
{
    ir_node *n = node(b, IR_ASSIGN, "=", lhs->type, 2, lhs, rhs);
    n->op = '=';
    return n;
}

static inline ir_node *declare(builder *b, ir_decl *d, ir_node *init)
{
    ir_node *n = init ? node(b, IR_DECLSTMT, d->name, d->type, 1, init)
                      : node(b, IR_DECLSTMT, d->name, d->type, 0);
    n->decl = d;
    return n;
}

static inline ir_node *block(builder *b, ir_node **stmts, uint32_t n)
{
    ir_node *blk = node(b, IR_BLOCK, "", type_of(IR_TYPE_OTHER, NULL), 0);
    blk->kids = stmts;
    blk->n_kids = n;
    return blk;
}

/* &a[0][0] */
static inline ir_node *first_element(builder *b, ir_decl *a)
{
    ir_type flt = type_of(IR_TYPE_FLOAT, NULL);
    ir_node *row =
        node(b, IR_INDEX, "a[0]", flt, 2, var(b, a), integer(b, 0, "0"));
    ir_node *elem =
        node(b, IR_INDEX, "a[0][0]", flt, 2, row, integer(b, 0, "0"));
    return node(b, IR_ADDR, "&a[0][0]", type_of(IR_TYPE_POINTER, NULL), 1,
                elem);
}

static inline ir_decl *buffer_param(builder *b, const char *name)
{
    return decl(b, IR_DECL_PARAM, name, type_of(IR_TYPE_POINTER, NULL));
}

static inline ir_decl *int_param(builder *b, const char *name)
{
    return decl(b, IR_DECL_PARAM, name, type_of(IR_TYPE_INT, NULL));
}

/* ---- The program and what came of it ----------------------------------- */

static inline void fuzz_ir_begin(builder *b)
{
    b->a = arena_new();
    b->tu = arena_alloc(b->a, sizeof *b->tu);
    b->tu->arena = b->a;
    b->tu->main_file = FILE_NAME;
    b->line = 0;
}

/* Every finding has a rule (or is a compiler's), a position and a
   message, and the three writers take them all.  FUZZ_SHOW=1 in the
   environment prints them. */
static inline void fuzz_ir_check_findings(diag_list *list)
{
    diag_list_sort(list);
    for (size_t i = 0; i < list->n; i++) {
        const diag *d = &list->items[i];
        FUZZ_CHECK(d->message && d->loc.file && d->loc.line);
        for (size_t k = 0; k < d->n_notes; k++)
            FUZZ_CHECK(d->notes[k].message != NULL);
    }
    char err[256];
    FILE *out = fuzz_null_stream();
    output_text(getenv("FUZZ_SHOW") ? stderr : out, list);
    FUZZ_CHECK(output_json(out, list, err, sizeof err) == 0);
    FUZZ_CHECK(output_sarif(out, list, NULL, err, sizeof err) == 0);
}

#endif /* SHAPECHECK_FUZZ_IR_H */
