/*
 * test_frontend.c - the facts the front end extracts (checker/frontend/ir.h)
 * from the small files in tests/data/frontend/.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "frontend.h"
#include "ir_io.h"

#define DATA TEST_DATA_DIR "/frontend/"

/* ---- Helpers --------------------------------------------------------- */

typedef struct parsed {
    frontend *fe;
    ir_tu *tu;
    const char **dropped;
    int n_dropped;
    char err[512];
} parsed;

/* Parses DATA/NAME with ARGV (ARGV[0] the compiler), the bundled headers
   and FORCE_INCLUDE (or NULL). */
static void parse_with(parsed *p, const char *name, const char *const *argv,
                       int argc, const char *force_include)
{
    static char path[1024];
    snprintf(path, sizeof path, DATA "%s", name);
    memset(p, 0, sizeof *p);
    p->fe = frontend_new(SOURCE_DIR "/annotations", &force_include,
                         force_include ? 1 : 0);
    fe_command cmd = {path, NULL, argv, argc, NULL, 0, false};
    p->tu = frontend_parse(p->fe, &cmd, &p->dropped, &p->n_dropped, p->err,
                           sizeof p->err);
}

static ir_tu *parse(parsed *p, const char *name)
{
    static const char *const argv[] = {"cc"};
    parse_with(p, name, argv, 1, NULL);
    assert_non_null(p->tu);
    return p->tu;
}

static void done(parsed *p)
{
    ir_tu_free(p->tu);
    frontend_free(p->fe);
}

/* The declaration (or definition) of function NAME. */
static ir_func *func(ir_tu *tu, const char *name, bool definition)
{
    for (uint32_t i = 0; i < tu->n_funcs; i++)
        if (strcmp(tu->funcs[i]->name, name) == 0 &&
            tu->funcs[i]->is_definition == definition)
            return tu->funcs[i];
    fail_msg("no %s of function '%s'", definition ? "definition" : "prototype",
             name);
    return NULL;
}

static bool has_func(ir_tu *tu, const char *name)
{
    for (uint32_t i = 0; i < tu->n_funcs; i++)
        if (strcmp(tu->funcs[i]->name, name) == 0)
            return true;
    return false;
}

static ir_decl *find_decl(ir_decl **decls, uint32_t n, const char *name)
{
    for (uint32_t i = 0; i < n; i++)
        if (strcmp(decls[i]->name, name) == 0)
            return decls[i];
    fail_msg("no declaration '%s'", name);
    return NULL;
}

static ir_decl *global(ir_tu *tu, const char *name)
{
    return find_decl(tu->globals, tu->n_globals, name);
}

static ir_decl *local(ir_func *f, const char *name)
{
    return find_decl(f->locals, f->n_locals, name);
}

static ir_record *record(ir_tu *tu, const char *name)
{
    for (uint32_t i = 0; i < tu->n_records; i++)
        if (strcmp(tu->records[i]->name, name) == 0)
            return tu->records[i];
    fail_msg("no record '%s'", name);
    return NULL;
}

static const ir_macro *macro(ir_tu *tu, const char *name)
{
    for (uint32_t i = 0; i < tu->n_macros; i++)
        if (strcmp(tu->macros[i].name, name) == 0)
            return &tu->macros[i];
    return NULL;
}

/* The first node of KIND in N's tree, depth first, whose text is TEXT
   (any text when NULL). */
static ir_node *find_node(ir_node *n, ir_kind kind, const char *text)
{
    if (!n)
        return NULL;
    if (n->kind == kind && (!text || (n->text && strcmp(n->text, text) == 0)))
        return n;
    for (uint32_t i = 0; i < n->n_kids; i++) {
        ir_node *found = find_node(n->kids[i], kind, text);
        if (found)
            return found;
    }
    return NULL;
}

static void assert_loc(sc_loc loc, const char *file, unsigned line,
                       unsigned col)
{
    assert_non_null(loc.file);
    size_t n = strlen(loc.file), k = strlen(file);
    assert_true(n >= k);
    assert_string_equal(loc.file + n - k, file);
    assert_int_equal(loc.line, line);
    assert_int_equal(loc.col, col);
}

static void assert_one_annotation(const ir_annotation *anns, uint32_t n,
                                  ir_ann_kind kind, const char *text,
                                  unsigned line, unsigned col, bool inherited)
{
    assert_int_equal(n, 1);
    assert_int_equal(anns[0].kind, kind);
    assert_string_equal(anns[0].text, text);
    assert_loc(anns[0].loc, "annotations.c", line, col);
    assert_int_equal(anns[0].inherited, inherited);
}

static void assert_int_node(const ir_node *n, int64_t value)
{
    assert_non_null(n);
    assert_int_equal(n->kind, IR_INT);
    assert_int_equal(n->value, value);
}

static void assert_var_node(const ir_node *n, const char *name)
{
    assert_non_null(n);
    assert_int_equal(n->kind, IR_VAR);
    assert_non_null(n->decl);
    assert_string_equal(n->decl->name, name);
}

/* ---- Annotations ----------------------------------------------------- */

static void test_annotations_on_fields_and_globals(void **state)
{
    (void)state;
    parsed p;
    ir_tu *tu = parse(&p, "annotations.c");
    assert_false(tu->has_errors);

    ir_record *layer = record(tu, "layer");
    assert_int_equal(layer->n_fields, 3);
    ir_decl *w = layer->fields[2];
    assert_string_equal(w->name, "weights");
    assert_int_equal(w->kind, IR_DECL_FIELD);
    assert_ptr_equal(w->parent, layer);
    assert_one_annotation(w->annotations, w->n_annotations, IR_ANN_SHAPE,
                          "out, in", 6, 12, false);
    assert_int_equal(layer->fields[0]->n_annotations, 0);

    ir_decl *table = global(tu, "table");
    assert_int_equal(table->kind, IR_DECL_GLOBAL);
    assert_one_annotation(table->annotations, table->n_annotations,
                          IR_ANN_SHAPE, "4, 8", 9, 1, false);
    done(&p);
}

static void test_annotations_on_params_all_placements(void **state)
{
    (void)state;
    parsed p;
    ir_tu *tu = parse(&p, "annotations.c");
    ir_func *place = func(tu, "place", false);
    assert_int_equal(place->n_params, 4);
    assert_int_equal(place->params[0]->n_annotations, 0);
    /* before the type, after the '*', after the declarator */
    assert_one_annotation(place->params[1]->annotations,
                          place->params[1]->n_annotations, IR_ANN_SHAPE, "n",
                          16, 19, false);
    assert_one_annotation(place->params[2]->annotations,
                          place->params[2]->n_annotations, IR_ANN_SHAPE, "n, 2",
                          16, 50, false);
    assert_one_annotation(place->params[3]->annotations,
                          place->params[3]->n_annotations, IR_ANN_SHAPE, "2, n",
                          17, 30, false);
    for (uint32_t i = 0; i < 4; i++) {
        assert_int_equal(place->params[i]->kind, IR_DECL_PARAM);
        assert_int_equal(place->params[i]->index, i);
        assert_ptr_equal(place->params[i]->owner, place);
    }
    assert_string_equal(place->params[3]->name, "after_decl");
    assert_loc(place->params[3]->loc, "annotations.c", 17, 19);
    done(&p);
}

static void test_annotations_on_functions(void **state)
{
    (void)state;
    parsed p;
    ir_tu *tu = parse(&p, "annotations.c");
    ir_func *make = func(tu, "make", false);
    assert_one_annotation(make->annotations, make->n_annotations,
                          IR_ANN_RETURNS, "n, c", 14, 1, false);
    assert_int_equal(make->ret.cls, IR_TYPE_POINTER);

    ir_func *proto = func(tu, "loss", false);
    assert_one_annotation(proto->annotations, proto->n_annotations, IR_ANN_LOSS,
                          "logits, labels", 12, 5, false);
    /* clang copies the prototype's attribute onto the definition */
    ir_func *def = func(tu, "loss", true);
    assert_one_annotation(def->annotations, def->n_annotations, IR_ANN_LOSS,
                          "logits, labels", 12, 5, true);
    assert_string_equal(proto->key, def->key);
    assert_ptr_not_equal(proto, def);

    /* SHAPE on a function is kept for the engine to report */
    ir_func *misplaced = func(tu, "misplaced", false);
    assert_one_annotation(misplaced->annotations, misplaced->n_annotations,
                          IR_ANN_SHAPE, "3", 19, 1, false);

    /* parameter annotations are inherited too */
    ir_func *scale = func(tu, "scale", true);
    assert_one_annotation(scale->params[0]->annotations,
                          scale->params[0]->n_annotations, IR_ANN_SHAPE, "n",
                          21, 13, true);
    assert_false(has_func(tu, "not_annotated"));
    done(&p);
}

static void test_annotations_on_locals(void **state)
{
    (void)state;
    parsed p;
    ir_tu *tu = parse(&p, "annotations.c");
    ir_func *def = func(tu, "loss", true);
    assert_int_equal(def->n_locals, 1);
    ir_decl *ptr = local(def, "p");
    assert_int_equal(ptr->kind, IR_DECL_LOCAL);
    assert_ptr_equal(ptr->owner, def);
    assert_one_annotation(ptr->annotations, ptr->n_annotations, IR_ANN_SHAPE,
                          "n, c", 25, 5, false);
    assert_var_node(ptr->init, "logits");
    done(&p);
}

static void test_function_facts_in_source_order(void **state)
{
    (void)state;
    parsed p;
    ir_tu *tu = parse(&p, "annotations.c");
    const char *order[] = {"loss",  "make", "place", "misplaced",
                           "scale", "loss", "scale"};
    assert_int_equal(tu->n_funcs, 7);
    for (uint32_t i = 0; i < tu->n_funcs; i++)
        assert_string_equal(tu->funcs[i]->name, order[i]);
    ir_func *def = func(tu, "loss", true);
    assert_true(def->has_prototype);
    assert_false(def->is_variadic);
    assert_false(def->is_static);
    assert_non_null(def->body);
    assert_null(func(tu, "loss", false)->body);
    done(&p);
}

/* ---- Types and values ------------------------------------------------ */

static void test_constant_arrays_and_enums(void **state)
{
    (void)state;
    parsed p;
    ir_tu *tu = parse(&p, "arrays.c");
    ir_decl *grid = global(tu, "grid");
    assert_int_equal(grid->type.cls, IR_TYPE_ARRAY);
    assert_int_equal(grid->type.array_rank, 2);
    assert_int_node(grid->type.array_dims[0], 3);
    assert_int_node(grid->type.array_dims[1], 12);
    assert_int_equal(grid->type.elem_cls, IR_TYPE_FLOAT);

    ir_decl *open = global(tu, "open");
    assert_int_equal(open->type.array_rank, 1);
    assert_null(open->type.array_dims[0]);

    ir_decl *rows = find_decl(tu->enums, tu->n_enums, "ROWS");
    ir_decl *cols = find_decl(tu->enums, tu->n_enums, "COLS");
    assert_int_equal(rows->kind, IR_DECL_ENUM);
    assert_true(rows->has_value);
    assert_int_equal(rows->value, 3);
    assert_int_equal(cols->value, 12);
    done(&p);
}

static void test_const_values(void **state)
{
    (void)state;
    parsed p;
    ir_tu *tu = parse(&p, "arrays.c");
    ir_decl *k = global(tu, "K");
    assert_true(k->type.is_const_qualified);
    assert_true(k->has_value);
    assert_int_equal(k->value, 16);
    assert_int_node(k->init, 16);
    assert_true(global(tu, "L")->has_value);
    assert_int_equal(global(tu, "L")->value, 12);
    assert_false(global(tu, "plain_global")->has_value);

    ir_func *vla = func(tu, "vla", true);
    assert_true(local(vla, "n")->has_value);
    assert_int_equal(local(vla, "n")->value, 4);
    assert_false(local(vla, "m")->has_value);
    done(&p);
}

static void test_variable_length_arrays(void **state)
{
    (void)state;
    parsed p;
    ir_tu *tu = parse(&p, "arrays.c");
    ir_func *vla = func(tu, "vla", true);
    ir_decl *x = local(vla, "x");
    assert_int_equal(x->type.cls, IR_TYPE_ARRAY);
    assert_int_equal(x->type.array_rank, 2);
    assert_var_node(x->type.array_dims[0], "B");
    assert_ptr_equal(x->type.array_dims[0]->decl, vla->params[0]);
    assert_int_node(x->type.array_dims[1], 10);

    ir_decl *y = local(vla, "y");
    assert_int_node(y->type.array_dims[0], 2);
    ir_node *size = y->type.array_dims[1];
    assert_int_equal(size->kind, IR_BINARY);
    assert_int_equal(size->op, '+');
    assert_var_node(size->kids[0], "B");
    assert_int_node(size->kids[1], 1);

    ir_decl *z = local(vla, "z"); /* "[]" completed by the initialiser */
    assert_int_equal(z->type.array_rank, 1);
    assert_int_node(z->type.array_dims[0], 3);
    done(&p);
}

/* ---- Macros ---------------------------------------------------------- */

static void test_macros_named_in_annotations(void **state)
{
    (void)state;
    parsed p;
    ir_tu *tu = parse(&p, "macros.c");
    ir_decl *raw = global(tu, "raw");
    assert_int_equal(raw->n_annotations, 1);
    assert_string_equal(raw->annotations[0].text, "DIM, TWICE, LATER");

    const ir_macro *dim = macro(tu, "DIM");
    assert_non_null(dim);
    assert_string_equal(dim->body, "( HALF * 2 )");
    assert_loc(dim->loc, "macros.c", 4, 9);
    const ir_macro *half = macro(tu, "HALF"); /* through DIM's body */
    assert_non_null(half);
    assert_string_equal(half->body, "8");
    assert_non_null(macro(tu, "LATER"));
    assert_string_equal(macro(tu, "LATER")->body, "5");
    assert_null(macro(tu, "TWICE"));        /* function-like */
    assert_null(macro(tu, "UNUSED_MACRO")); /* named nowhere */
    assert_int_equal(tu->n_macros, 4);      /* DIM, HALF, LATER, and BATCH */
    done(&p);
}

static void test_shape_macro_keeps_names_as_written(void **state)
{
    (void)state;
    parsed p;
    ir_tu *tu = parse(&p, "macros.c");
    /* SHAPE stringizes its own arguments, so macro names arrive as
       written and the macros they name are recorded for the engine. */
    ir_decl *expanded = global(tu, "expanded");
    assert_int_equal(expanded->n_annotations, 1);
    assert_string_equal(expanded->annotations[0].text, "BATCH, DIM");
    assert_non_null(macro(tu, "BATCH"));
    assert_string_equal(macro(tu, "BATCH")->body, "32");
    done(&p);
}

/* ---- Statements and expressions -------------------------------------- */

static void test_body_ir(void **state)
{
    (void)state;
    parsed p;
    ir_tu *tu = parse(&p, "body.c");
    ir_func *body = func(tu, "body", true);
    assert_int_equal(body->n_locals, 5);
    const char *names[] = {"a", "i", "p", "q", "k"};
    for (uint32_t i = 0; i < 5; i++) {
        assert_string_equal(body->locals[i]->name, names[i]);
        assert_int_equal(body->locals[i]->index, i);
    }
    ir_node *b = body->body;
    assert_int_equal(b->kind, IR_BLOCK);
    assert_int_equal(b->n_kids, 9);

    /* int i = b * 2; */
    ir_node *decl_i = b->kids[1];
    assert_int_equal(decl_i->kind, IR_DECLSTMT);
    assert_ptr_equal(decl_i->decl, local(body, "i"));
    assert_int_equal(decl_i->n_kids, 1);
    assert_ptr_equal(decl_i->kids[0], local(body, "i")->init);
    assert_int_equal(decl_i->kids[0]->kind, IR_BINARY);
    assert_int_equal(decl_i->kids[0]->op, '*');
    assert_ptr_equal(decl_i->kids[0]->kids[0]->decl, body->params[0]);

    /* float *p = &a[0][0]; */
    ir_node *addr = b->kids[2]->kids[0];
    assert_int_equal(addr->kind, IR_ADDR);
    assert_string_equal(addr->text, "&a[0][0]");
    ir_node *outer = addr->kids[0];
    assert_int_equal(outer->kind, IR_INDEX);
    assert_int_equal(outer->kids[0]->kind, IR_INDEX);
    assert_var_node(outer->kids[0]->kids[0], "a");
    assert_int_equal(outer->kids[0]->kids[0]->type.array_rank, 2);
    assert_int_node(outer->kids[1], 0);

    /* i = (int)sum(p, N * 8); */
    ir_node *assign = b->kids[4];
    assert_int_equal(assign->kind, IR_ASSIGN);
    assert_int_equal(assign->op, '=');
    assert_var_node(assign->kids[0], "i");
    ir_node *cast = assign->kids[1];
    assert_int_equal(cast->kind, IR_CAST);
    assert_int_equal(cast->type.cls, IR_TYPE_INT);
    ir_node *call = cast->kids[0];
    assert_int_equal(call->kind, IR_CALL);
    assert_ptr_equal(call->callee, func(tu, "sum", false));
    assert_int_equal(call->n_kids, 3);
    assert_int_equal(call->kids[0]->kind, IR_VAR);
    assert_null(call->kids[0]->decl);
    assert_var_node(call->kids[1], "p");
    assert_int_node(call->kids[2], 32); /* a constant macro expression */
    assert_string_equal(call->kids[2]->text, "N * 8");
    assert_string_equal(call->text, "sum(p, N * 8)");

    /* t->n = *q; */
    ir_node *member = b->kids[5]->kids[0];
    assert_int_equal(member->kind, IR_MEMBER);
    assert_true(member->arrow);
    assert_ptr_equal(member->decl, record(tu, "tensor")->fields[0]);
    assert_int_equal(b->kids[5]->kids[1]->kind, IR_DEREF);

    /* if (i > 0) p = (float *)t->data; else p = 0; */
    ir_node *if_stmt = b->kids[6];
    assert_int_equal(if_stmt->kind, IR_IF);
    assert_int_equal(if_stmt->n_kids, 3);
    assert_int_equal(if_stmt->kids[0]->op, '>');
    assert_int_equal(if_stmt->kids[1]->kids[1]->kind, IR_CAST);

    /* for (int k = 0; k < b; k++) a[0][k] += 1.0f; */
    ir_node *loop = b->kids[7];
    assert_int_equal(loop->kind, IR_LOOP);
    assert_int_equal(loop->op, IR_LOOP_FOR);
    assert_int_equal(loop->n_kids, 4);
    assert_int_equal(loop->kids[0]->kind, IR_DECLSTMT);
    assert_int_equal(loop->kids[1]->op, '<');
    assert_int_equal(loop->kids[2]->kind, IR_UNARY);
    assert_int_equal(loop->kids[2]->op, IR_OP_POSTINC);
    assert_int_equal(loop->kids[3]->kind, IR_ASSIGN);
    assert_int_equal(loop->kids[3]->op, '+');

    assert_int_equal(b->kids[8]->kind, IR_RETURN);
    assert_var_node(b->kids[8]->kids[0], "i");
    done(&p);
}

static void test_address_taken(void **state)
{
    (void)state;
    parsed p;
    ir_tu *tu = parse(&p, "body.c");
    ir_func *body = func(tu, "body", true);
    assert_true(local(body, "i")->address_taken);  /* &i */
    assert_false(local(body, "a")->address_taken); /* &a[0][0] is not &a */
    assert_false(local(body, "p")->address_taken);
    done(&p);
}

/* Whether each function of function_refs.c is named other than by a
   call, converted (DEFER false) or scanned as a deferred body. */
static void check_function_refs(bool defer)
{
    static const char *const argv[] = {"cc"};
    char path[1024];
    snprintf(path, sizeof path, DATA "function_refs.c");
    parsed p;
    memset(&p, 0, sizeof p);
    p.fe = frontend_new(SOURCE_DIR "/annotations", NULL, 0);
    fe_command cmd = {path, NULL, argv, 1, NULL, 0, defer};
    p.tu = frontend_parse(p.fe, &cmd, &p.dropped, &p.n_dropped, p.err,
                          sizeof p.err);
    assert_non_null(p.tu);
    /* The facts file keeps the flag (facts format version 3). */
    unsigned char *bytes;
    size_t size;
    char err[256];
    assert_int_equal(ir_tu_encode(p.tu, NULL, &bytes, &size, err, sizeof err),
                     0);
    ir_tu *read = ir_tu_decode(bytes, size, NULL, "refs", err, sizeof err);
    free(bytes);
    assert_non_null(read);
    for (int pass = 0; pass < 2; pass++) {
        ir_tu *tu = pass ? read : p.tu;
        assert_int_equal(func(tu, "use", true)->body_deferred, defer);
        assert_false(func(tu, "helper", true)->address_taken);
        assert_false(func(tu, "use", true)->address_taken);
        assert_true(func(tu, "pointed", true)->address_taken);
        assert_true(func(tu, "addressed", true)->address_taken);
        assert_true(func(tu, "in_init", true)->address_taken);
        assert_true(func(tu, "early", true)->address_taken);
        /* Static globals (engine/context.c's sealed globals) */
        assert_true(global(tu, "g_early")->address_taken);
        assert_true(global(tu, "g_pointed")->address_taken);
        assert_int_equal(global(tu, "g_late")->address_taken, defer);
    }
    ir_tu_free(read);
    done(&p);
}

static void test_function_address_taken(void **state)
{
    (void)state;
    check_function_refs(false);
    check_function_refs(true);
}

static void test_call_locations(void **state)
{
    (void)state;
    parsed p;
    ir_tu *tu = parse(&p, "body.c");
    ir_func *body = func(tu, "body", true);
    ir_node *call = find_node(body->body, IR_CALL, NULL);
    assert_non_null(call);
    assert_loc(call->loc, "body.c", 17, 14); /* at "sum", not at the cast */
    assert_loc(call->kids[1]->loc, "body.c", 17, 18);
    assert_loc(find_node(body->body, IR_CAST, NULL)->loc, "body.c", 17, 9);
    assert_loc(func(tu, "sum", false)->loc, "body.c", 9, 7);
    assert_loc(local(body, "k")->loc, "body.c", 23, 14);
    done(&p);
}

static void test_operators_and_folding(void **state)
{
    (void)state;
    parsed p;
    ir_tu *tu = parse(&p, "ops.c");
    ir_func *ops = func(tu, "ops", true);
    ir_node *b = ops->body;

    /* SUM(x, 1): the ',' between macro arguments is not the operator,
       the '+' of the #define is */
    ir_node *sum = local(ops, "y")->init;
    assert_int_equal(sum->kind, IR_BINARY);
    assert_int_equal(sum->op, '+');
    /* SET(y, 3): the '=' of the #define */
    assert_int_equal(b->kids[2]->kind, IR_ASSIGN);
    assert_int_equal(b->kids[2]->op, '=');

    /* -x + ~x + !x + sizeof(long) + BATCH * 2 + C + 'a' + k */
    ir_node *big = b->kids[4]->kids[1];
    assert_var_node(big->kids[1], "k"); /* const local: named, not folded */
    assert_int_node(big->kids[0]->kids[1], 'a');
    assert_int_node(big->kids[0]->kids[0]->kids[1], 10); /* enum C */
    assert_int_node(big->kids[0]->kids[0]->kids[0]->kids[1], 64);
    assert_int_node(big->kids[0]->kids[0]->kids[0]->kids[0]->kids[1],
                    sizeof(long));
    ir_node *unaries = big->kids[0]->kids[0]->kids[0]->kids[0]->kids[0];
    assert_int_equal(unaries->kids[1]->op, '!');
    assert_int_equal(unaries->kids[0]->kids[0]->op, '-');
    assert_int_equal(unaries->kids[0]->kids[1]->op, '~');

    /* (g(), 7): the call stays visible, nothing folds */
    ir_node *comma = b->kids[5]->kids[1];
    assert_int_equal(comma->kind, IR_BINARY);
    assert_int_equal(comma->op, ',');
    assert_int_equal(comma->kids[0]->kind, IR_CALL);
    assert_ptr_equal(comma->kids[0]->callee, func(tu, "g", false));

    assert_int_equal(b->kids[6]->kind, IR_ASSIGN);
    assert_int_equal(b->kids[6]->op, IR_OP_SHL);
    assert_int_equal(b->kids[7]->op, IR_OP_PREDEC);
    assert_int_equal(b->kids[8]->op, IR_OP_POSTDEC);
    assert_int_equal(b->kids[9]->kids[1]->kind, IR_COND);
    ir_node *ret = b->kids[10]->kids[0];
    assert_int_equal(ret->op, IR_OP_LAND);
    assert_int_equal(ret->kids[0]->op, IR_OP_EQ);
    assert_int_equal(ret->kids[1]->op, IR_OP_NE);
    done(&p);
}

static void test_deep_nesting(void **state)
{
    (void)state;
    parsed p;
    ir_tu *tu = parse(&p, "deep_1000.c");
    assert_false(tu->has_errors);
    ir_node *n = func(tu, "deep", true)->body->kids[0]->kids[0];
    int depth = 0;
    while (n->kind == IR_BINARY) {
        n = n->kids[0];
        depth++;
    }
    assert_int_equal(depth, 999);
    assert_var_node(n, "a");
    done(&p);

    tu = parse(&p, "deep_3000.c");
    assert_true(tu->has_errors);
    assert_int_equal(tu->n_diags, 1);
    assert_non_null(strstr(tu->diags[0].text, "expression nested too deeply"));
    done(&p);
}

/* ---- Macro expansions ------------------------------------------------- */

/* Kid I of N, which must have it. */
static ir_node *kid(const ir_node *n, uint32_t i)
{
    assert_non_null(n);
    assert_true(i < n->n_kids);
    assert_non_null(n->kids[i]);
    return n->kids[i];
}

/* N is KIND with op OP, at LINE:COL of macro_ops.c. */
static void assert_op_at(const ir_node *n, ir_kind kind, int op, unsigned line,
                         unsigned col)
{
    assert_non_null(n);
    assert_int_equal(n->kind, kind);
    assert_int_equal(n->op, op);
    assert_loc(n->loc, "macro_ops.c", line, col);
}

static void test_macro_assignments(void **state)
{
    (void)state;
    parsed p;
    ir_tu *tu = parse(&p, "macro_ops.c");
    assert_false(tu->has_errors);
    ir_func *f = func(tu, "macros", true);
    ir_node *b = f->body;

    /* SET(b, 64): "((b) = (v))", all from the #define but b and 64, at
       the use; the text is the invocation, b's the argument */
    ir_node *set = kid(b, 0);
    assert_op_at(set, IR_ASSIGN, '=', 23, 5);
    assert_loc(set->end, "macro_ops.c", 23, 15);
    assert_string_equal(set->text, "SET(b, 64)");
    assert_var_node(kid(set, 0), "b");
    assert_ptr_equal(kid(set, 0)->decl, f->params[0]);
    assert_string_equal(kid(set, 0)->text, "b");
    assert_loc(kid(set, 0)->loc, "macro_ops.c", 23, 5);
    assert_int_node(kid(set, 1), 64);
    assert_string_equal(kid(set, 1)->text, "64");

    /* b = ADD(b, 1): "a + b", the operands are both arguments */
    ir_node *add = kid(kid(b, 1), 1);
    assert_op_at(add, IR_BINARY, '+', 24, 9);
    assert_string_equal(add->text, "ADD(b, 1)");
    assert_var_node(kid(add, 0), "b");
    assert_int_node(kid(add, 1), 1);

    assert_op_at(kid(b, 2), IR_ASSIGN, '+', 25, 5); /* x += v */
    assert_int_node(kid(kid(b, 2), 1), 3);
    assert_op_at(kid(b, 3), IR_ASSIGN, IR_OP_SHL, 26, 5); /* x <<= 2 */
    assert_int_node(kid(kid(b, 3), 1), 2);
    /* SET64(b): SET(x, WIDTH) in a #define, one macro inside another */
    ir_node *set64 = kid(b, 10);
    assert_op_at(set64, IR_ASSIGN, '=', 33, 5);
    assert_var_node(kid(set64, 0), "b");
    assert_int_node(kid(set64, 1), 64);
    assert_loc(set64->end, "macro_ops.c", 33, 13);
    /* b = ID(b) PLUS 2: an object-like macro is the operator */
    assert_op_at(kid(kid(b, 11), 1), IR_BINARY, '+', 34, 9);
    /* b = ID(7): the argument is the whole expansion */
    assert_int_node(kid(kid(b, 12), 1), 7);
    /* b = SCALE(b): "((x) * 4)" in a header */
    assert_op_at(kid(kid(b, 13), 1), IR_BINARY, '*', 36, 9);
    assert_int_node(kid(kid(kid(b, 13), 1), 1), 4);
    done(&p);
}

static void test_macro_unary_operators(void **state)
{
    (void)state;
    parsed p;
    ir_tu *tu = parse(&p, "macro_ops.c");
    ir_node *b = func(tu, "macros", true)->body;
    assert_op_at(kid(b, 4), IR_UNARY, IR_OP_POSTINC, 27, 5); /* ((x)++) */
    assert_var_node(kid(kid(b, 4), 0), "b");
    assert_op_at(kid(b, 5), IR_UNARY, IR_OP_POSTDEC, 28, 5); /* x-- */
    assert_op_at(kid(b, 6), IR_UNARY, IR_OP_PREDEC, 29, 5);  /* --x */
    assert_op_at(kid(kid(b, 7), 1), IR_UNARY, '-', 30, 9);   /* -(x) */
    /* (!(p)) on an int *: the types alone would say '*' */
    ir_node *not = kid(kid(b, 8), 1);
    assert_op_at(not, IR_UNARY, '!', 31, 9);
    assert_var_node(kid(not, 0), "p");
    done(&p);
}

static void test_macro_statements_and_calls(void **state)
{
    (void)state;
    parsed p;
    ir_tu *tu = parse(&p, "macro_ops.c");
    ir_node *b = func(tu, "macros", true)->body;
    /* STMT(b): "do { (x) = 1; g(x); } while (0)" */
    ir_node *loop = kid(b, 9);
    assert_int_equal(loop->kind, IR_LOOP);
    assert_int_equal(loop->op, IR_LOOP_DO);
    assert_loc(loop->loc, "macro_ops.c", 32, 5);
    ir_node *body = kid(loop, 3);
    assert_int_equal(body->kind, IR_BLOCK);
    assert_op_at(kid(body, 0), IR_ASSIGN, '=', 32, 5);
    assert_var_node(kid(kid(body, 0), 0), "b");
    assert_int_node(kid(kid(body, 0), 1), 1);
    ir_node *call = kid(body, 1);
    assert_int_equal(call->kind, IR_CALL);
    assert_ptr_equal(call->callee, func(tu, "g", false));
    assert_var_node(kid(call, 1), "b");
    assert_int_node(kid(loop, 1), 0);

    /* return CALL(b): "g((x) * 2)", the call from the #define spans the
       invocation */
    ir_node *ret = kid(kid(b, 14), 0);
    assert_int_equal(ret->kind, IR_CALL);
    assert_ptr_equal(ret->callee, func(tu, "g", false));
    assert_loc(ret->loc, "macro_ops.c", 37, 12);
    assert_loc(ret->end, "macro_ops.c", 37, 19);
    assert_string_equal(ret->text, "CALL(b)");
    assert_op_at(kid(ret, 1), IR_BINARY, '*', 37, 12);
    done(&p);
}

static void test_hostile_macros(void **state)
{
    (void)state;
    parsed p;
    ir_tu *tu = parse(&p, "macro_deep.c");
    assert_false(tu->has_errors);
    /* ADD(ADD(...(a, 1)...), 1), 200 deep: "a + b" with both operands
       arguments, every operator found */
    const ir_node *n = kid(func(tu, "deep", true)->body->kids[0], 0);
    int depth = 0;
    for (; n->kind == IR_BINARY; n = kid(n, 0), depth++)
        assert_int_equal(n->op, '+');
    assert_int_equal(depth, 200);
    assert_var_node(n, "a");
    /* I1024(a): an expansion that doubles ten times */
    n = kid(func(tu, "wide", true)->body->kids[0], 0);
    for (depth = 0; n->kind == IR_BINARY; n = kid(n, 0), depth++)
        assert_int_equal(n->op, '+');
    assert_int_equal(depth, 1024);
    /* "#define self self", "#define f(x) f(x)" */
    ir_func *named = func(tu, "named", true);
    ir_node *call = kid(named->body->kids[0], 0);
    assert_int_equal(call->kind, IR_CALL);
    assert_ptr_equal(call->callee, func(tu, "f", false));
    assert_var_node(kid(call, 1), "self");
    done(&p);
}

/* ---- Ends of expressions ---------------------------------------------- */

static void test_expression_ends(void **state)
{
    (void)state;
    parsed p;
    ir_tu *tu = parse(&p, "body.c");
    ir_func *body = func(tu, "body", true);
    /* i = (int)sum(p, N * 8); */
    ir_node *assign = body->body->kids[4];
    ir_node *call = find_node(body->body, IR_CALL, NULL);
    assert_loc(call->loc, "body.c", 17, 14);
    assert_loc(call->end, "body.c", 17, 27); /* past ')' */
    assert_loc(call->kids[0]->end, "body.c", 17, 17);
    assert_loc(call->kids[1]->end, "body.c", 17, 19);
    assert_loc(call->kids[2]->end, "body.c", 17, 26); /* "N * 8" */
    assert_loc(assign->end, "body.c", 17, 27);
    assert_loc(assign->kids[0]->end, "body.c", 17, 6);
    /* statements have no end */
    assert_int_equal(body->body->kids[8]->end.line, 0);
    done(&p);
}

/* ---- C integer types, bit-fields, static storage, unions -------------- */

static void assert_int_type(const ir_type *t, unsigned bits, bool is_signed)
{
    assert_int_equal(t->cls, IR_TYPE_INT);
    assert_int_equal(t->int_bits, bits);
    assert_int_equal(t->int_signed, is_signed);
}

static void test_integer_types(void **state)
{
    (void)state;
    parsed p;
    ir_tu *tu = parse(&p, "int_types.c");
    assert_false(tu->has_errors);
    ir_func *f = func(tu, "types", true);
    assert_int_type(&f->params[0]->type, 8, true);   /* char */
    assert_int_type(&f->params[1]->type, 16, true);  /* short */
    assert_int_type(&f->params[2]->type, 64, true);  /* long */
    assert_int_type(&f->params[3]->type, 1, false);  /* _Bool */
    assert_int_type(&f->params[4]->type, 8, false);  /* byte: uint8_t */
    assert_int_type(&f->params[5]->type, 64, true);  /* int64_t */
    assert_int_type(&f->params[6]->type, 32, false); /* enum, values >= 0 */
    assert_int_type(&f->params[7]->type, 32, true);  /* enum with -1 */
    assert_int_type(&global(tu, "total")->type, 64, false); /* size_t */
    assert_int_type(&f->ret, 32, true);
    assert_int_equal(global(tu, "total")->type.cls, IR_TYPE_INT);
    assert_int_equal(
        find_decl(tu->enums, tu->n_enums, "NEGATIVE_A")->type.int_signed, true);

    /* expressions: a cast's target, a folded cast, arithmetic */
    ir_node *cast = find_node(f->body, IR_CAST, "(unsigned char)c");
    assert_non_null(cast);
    assert_int_type(&cast->type, 8, false);
    assert_int_type(&cast->kids[0]->type, 8, true);
    ir_node *folded = find_node(f->body, IR_INT, "(uint8_t)300");
    assert_int_node(folded, 44);
    assert_int_type(&folded->type, 8, false);
    assert_int_type(&find_node(f->body, IR_BINARY, "uc + s")->type, 32, true);
    assert_int_type(&find_node(f->body, IR_BINARY, "uc + s + l")->type, 64,
                    true);
    /* not integers */
    assert_int_equal(record(tu, "bits")->fields[1]->type.int_bits, 0);
    done(&p);
}

static void test_bit_fields_static_and_unions(void **state)
{
    (void)state;
    parsed p;
    ir_tu *tu = parse(&p, "int_types.c");
    ir_record *flags = record(tu, "flags");
    assert_false(flags->is_union);
    assert_int_equal(flags->n_fields, 3);
    assert_int_equal(flags->fields[0]->bit_width, 1);
    assert_int_type(&flags->fields[0]->type, 32, false);
    assert_int_equal(flags->fields[1]->bit_width, 4);
    assert_int_type(&flags->fields[1]->type, 32, true);
    assert_int_equal(flags->fields[2]->bit_width, 0);
    assert_int_type(&flags->fields[2]->type, 8, false);
    assert_true(record(tu, "bits")->is_union);

    assert_true(global(tu, "counter")->is_static);
    assert_false(global(tu, "shared")->is_static);
    ir_func *f = func(tu, "types", true);
    assert_true(local(f, "calls")->is_static);
    assert_false(local(f, "uc")->is_static);
    assert_int_type(&local(f, "uc")->type, 8, false);
    done(&p);
}

static void test_element_sizes_and_system_functions(void **state)
{
    (void)state;
    parsed p;
    ir_tu *tu = parse(&p, "int_types.c");
    assert_int_equal(global(tu, "dp")->type.elem_bytes, 8);
    assert_int_equal(global(tu, "grid")->type.elem_bytes, 4);  /* innermost */
    assert_int_equal(global(tu, "rowp")->type.elem_bytes, 16); /* float[4] */
    assert_int_equal(global(tu, "vp")->type.elem_bytes, 0);    /* void */
    assert_int_equal(global(tu, "names")->type.elem_bytes, sizeof(char *));
    assert_int_equal(global(tu, "counter")->type.elem_bytes, 0);
    assert_int_equal(func(tu, "length", true)->params[0]->type.elem_bytes, 1);
    ir_node *call = find_node(func(tu, "length", true)->body, IR_CALL, NULL);
    assert_non_null(call->callee);
    assert_string_equal(call->callee->name, "strlen");
    assert_true(call->callee->in_system_header);
    assert_false(func(tu, "length", true)->in_system_header);
    done(&p);
}

/* ---- Initialiser lists ------------------------------------------------ */

/* N is DESIGNATOR(FIELD, value): the value. */
static ir_node *designated(const ir_node *n, const char *field)
{
    assert_non_null(n);
    assert_int_equal(n->kind, IR_DESIGNATOR);
    assert_non_null(n->decl);
    assert_string_equal(n->decl->name, field);
    assert_int_equal(n->decl->kind, IR_DECL_FIELD);
    return kid(n, 0);
}

/* N is an IR_INITLIST of N_KIDS kids. */
static const ir_node *list_of(const ir_node *n, uint32_t n_kids)
{
    assert_non_null(n);
    assert_int_equal(n->kind, IR_INITLIST);
    assert_int_equal(n->n_kids, n_kids);
    return n;
}

/* INIT is {.train = {.batch = BATCH, [.steps = STEPS]}, [.seed = SEED]}
   (STEPS, SEED: -1 when absent). */
static void assert_config(const ir_node *init, int batch, int steps, int seed)
{
    uint32_t fields = (batch >= 0) + (steps >= 0);
    list_of(init, seed >= 0 ? 2 : 1);
    const ir_node *train = list_of(designated(init->kids[0], "train"), fields);
    uint32_t i = 0;
    if (batch >= 0)
        assert_int_node(designated(train->kids[i++], "batch"), batch);
    if (steps >= 0)
        assert_int_node(designated(train->kids[i], "steps"), steps);
    if (seed >= 0)
        assert_int_node(designated(init->kids[1], "seed"), seed);
}

static void test_nested_initialisers(void **state)
{
    (void)state;
    parsed p;
    ir_tu *tu = parse(&p, "init_lists.c");
    assert_false(tu->has_errors);
    /* the same tree for the three ways of writing it */
    assert_config(global(tu, "nested")->init, 64, -1, -1);
    assert_config(global(tu, "dotted")->init, 64, -1, -1);
    assert_config(global(tu, "positional")->init, 64, -1, 3);
    /* a positional element continues after the designated one */
    assert_config(global(tu, "mixed")->init, -1, 5, 7);
    assert_config(global(tu, "continued")->init, 1, 2, 3);
    /* a designator into a member set earlier adds to it */
    assert_config(global(tu, "overridden")->init, 1, 2, -1);
    /* elided braces */
    const ir_node *elided = list_of(global(tu, "elided")->init, 2);
    const ir_node *in = list_of(designated(elided->kids[0], "in"), 2);
    assert_int_node(designated(in->kids[0], "a"), 1);
    assert_int_node(designated(in->kids[1], "b"), 2);
    assert_int_node(designated(elided->kids[1], "c"), 3);
    assert_loc(in->loc, "init_lists.c", 38, 23);
    done(&p);
}

static void test_array_initialisers(void **state)
{
    (void)state;
    parsed p;
    ir_tu *tu = parse(&p, "init_lists.c");
    /* one element per index, no designators at the array level */
    const ir_node *array = list_of(global(tu, "array")->init, 2);
    assert_int_node(designated(list_of(array->kids[0], 1)->kids[0], "steps"),
                    1);
    assert_int_node(designated(list_of(array->kids[1], 1)->kids[0], "steps"),
                    2);
    const ir_node *flat = list_of(global(tu, "flat")->init, 2);
    for (int i = 0; i < 2; i++) {
        const ir_node *e = list_of(flat->kids[i], 2);
        assert_int_node(designated(e->kids[0], "batch"), 2 * i + 1);
        assert_int_node(designated(e->kids[1], "steps"), 2 * i + 2);
    }
    /* {[3] = 5, 6}: the elements before [3] are zero */
    const ir_node *sparse = list_of(global(tu, "sparse")->init, 5);
    const int64_t values[] = {0, 0, 0, 5, 6};
    for (int i = 0; i < 5; i++)
        assert_int_node(sparse->kids[i], values[i]);
    assert_int_equal(sparse->kids[0]->end.line, 0); /* not written */
    const ir_node *grid = list_of(global(tu, "grid")->init, 2);
    assert_int_node(list_of(grid->kids[0], 2)->kids[1], 2);
    assert_int_node(list_of(grid->kids[1], 1)->kids[0], 3);
    done(&p);
}

static void test_union_and_string_initialisers(void **state)
{
    (void)state;
    parsed p;
    ir_tu *tu = parse(&p, "init_lists.c");
    const ir_node *num = list_of(global(tu, "num")->init, 1);
    assert_int_equal(designated(num->kids[0], "f")->type.cls, IR_TYPE_FLOAT);
    assert_int_node(
        designated(list_of(global(tu, "first")->init, 1)->kids[0], "i"), 7);
    const ir_node *label = list_of(global(tu, "label")->init, 2);
    assert_string_equal(designated(label->kids[0], "name")->text, "\"abc\"");
    assert_int_node(designated(label->kids[1], "n"), 3);
    /* an anonymous union is a member: ".x" goes through it */
    ir_record *with_union = record(tu, "with_union");
    assert_int_equal(with_union->n_fields, 2);
    assert_string_equal(with_union->fields[0]->name, "");
    const ir_node *anon = list_of(global(tu, "anonymous")->init, 2);
    assert_ptr_equal(anon->kids[0]->decl, with_union->fields[0]);
    const ir_node *u = list_of(kid(anon->kids[0], 0), 1);
    assert_int_node(designated(u->kids[0], "x"), 1);
    assert_int_node(designated(anon->kids[1], "z"), 2);
    /* a union holds the member set last */
    const ir_node *later = list_of(global(tu, "later")->init, 1);
    assert_int_equal(designated(later->kids[0], "f")->type.cls, IR_TYPE_FLOAT);
    /* GNU "[a ... b]" is not followed: the list is unknown, its values
       kept */
    const ir_node *ranged = global(tu, "ranged")->init;
    assert_int_equal(ranged->kind, IR_OTHER);
    assert_non_null(find_node((ir_node *)ranged, IR_INT, "7"));
    done(&p);
}

/* ---- Macros in force at each annotation -------------------------------- */

/* The one annotation of global NAME. */
static const ir_annotation *annotation_of(ir_tu *tu, const char *name)
{
    ir_decl *d = global(tu, name);
    assert_int_equal(d->n_annotations, 1);
    return &d->annotations[0];
}

/* ANN lists, in order, the definitions named in NAMES at LINES
   ("macros_in_force.c", or the header for a line < 0). */
static void assert_in_force(ir_tu *tu, const ir_annotation *ann,
                            const char *const *names, const int *lines,
                            uint32_t n)
{
    assert_int_equal(ann->n_macros, n);
    for (uint32_t i = 0; i < n; i++) {
        const ir_macro *m = ann->macros[i];
        assert_true(m >= tu->macros && m < tu->macros + tu->n_macros);
        assert_string_equal(m->name, names[i]);
        assert_loc(m->loc,
                   lines[i] < 0 ? "macros_in_force.h" : "macros_in_force.c",
                   (unsigned)(lines[i] < 0 ? -lines[i] : lines[i]), 9);
    }
}

static void test_macros_in_force(void **state)
{
    (void)state;
    parsed p;
    ir_tu *tu = parse(&p, "macros_in_force.c");
    assert_false(tu->has_errors);
    /* every definition, in translation order */
    const char *all[] = {"BATCH", "HIDDEN", "N",  "N",
                         "BATCH", "M0",     "M1", "M2"};
    assert_int_equal(tu->n_macros, 8);
    for (uint32_t i = 0; i < 8; i++)
        assert_string_equal(tu->macros[i].name, all[i]);
    assert_string_equal(tu->macros[2].body, "64");
    assert_string_equal(tu->macros[3].body, "32");

    assert_in_force(tu, annotation_of(tu, "a"), (const char *[]){"N"},
                    (const int[]){5}, 1);
    ir_func *f = func(tu, "f", false);
    assert_in_force(tu, &f->params[0]->annotations[0], (const char *[]){"N"},
                    (const int[]){8}, 1);
    /* "#undef N" in "#if 0" and in a comment do not count; HIDDEN's
       BATCH is the one in force at the annotation */
    assert_in_force(tu, annotation_of(tu, "b"),
                    (const char *[]){"N", "HIDDEN", "BATCH"},
                    (const int[]){8, -3, -2}, 3);
    /* after "#undef N", N is no macro */
    assert_in_force(tu, annotation_of(tu, "c"), (const char *[]){"BATCH"},
                    (const int[]){-2}, 1);
    assert_in_force(tu, annotation_of(tu, "d"),
                    (const char *[]){"HIDDEN", "BATCH"}, (const int[]){-3, 20},
                    2);
    assert_in_force(tu, annotation_of(tu, "e"),
                    (const char *[]){"M2", "M1", "M0"},
                    (const int[]){24, 23, 22}, 3);
    done(&p);
}

static void test_integers_written_as_macros(void **state)
{
    (void)state;
    parsed p;
    ir_tu *tu = parse(&p, "macros_in_force.c");
    ir_node *body = func(tu, "h", true)->body;
    ir_node *batch = find_node(body, IR_INT, "BATCH");
    assert_int_node(batch, 4);
    assert_non_null(batch->macro);
    assert_string_equal(batch->macro->body, "4"); /* the one in force */
    assert_loc(batch->macro->loc, "macros_in_force.c", 20, 9);
    assert_string_equal(find_node(body, IR_INT, "HIDDEN")->macro->name,
                        "HIDDEN");
    assert_ptr_equal(find_node(body, IR_INT, "M2")->macro, &tu->macros[7]);
    done(&p);

    tu = parse(&p, "body.c"); /* "N * 8" is not one macro name */
    ir_node *n8 = find_node(func(tu, "body", true)->body, IR_INT, "N * 8");
    assert_non_null(n8);
    assert_null(n8->macro);
    done(&p);
}

/* ---- The parse driver ------------------------------------------------ */

static void test_syntax_error(void **state)
{
    (void)state;
    parsed p;
    ir_tu *tu = parse(&p, "syntax_error.c");
    assert_true(tu->has_errors);
    assert_int_equal(tu->n_diags, 1);
    assert_int_equal(tu->diags[0].severity, IR_SEV_ERROR);
    assert_loc(tu->diags[0].loc, "syntax_error.c", 3, 15);
    assert_non_null(strstr(tu->diags[0].text,
                           "syntax_error.c:3:15: error: expected expression"));
    assert_true(has_func(tu, "broken")); /* what parsed is still there */
    done(&p);
}

static void test_missing_file(void **state)
{
    (void)state;
    frontend *fe = frontend_new(SOURCE_DIR "/annotations", NULL, 0);
    const char *argv[] = {"cc"};
    fe_command cmd = {"no_such_file.c", DATA, argv, 1, NULL, 0, false};
    const char *sentinel[1] = {"x"};
    const char **dropped = sentinel;
    int n_dropped = 7;
    char err[256] = "";
    assert_null(
        frontend_parse(fe, &cmd, &dropped, &n_dropped, err, sizeof err));
    assert_string_equal(err, "no_such_file.c: no such file or directory");
    assert_null(dropped);
    assert_int_equal(n_dropped, 0);

    fe_command dir = {DATA, NULL, argv, 1, NULL, 0, false};
    assert_null(frontend_parse(fe, &dir, NULL, NULL, err, sizeof err));
    assert_non_null(strstr(err, ": is a directory"));
    frontend_free(fe);
}

static void test_unknown_option_dropped(void **state)
{
    (void)state;
    const char *argv[] = {"gcc", "-O2", "-fconserve-stack", "-Werror",
                          "-DUSED=1"};
    parsed p;
    parse_with(&p, "body.c", argv, 5, NULL);
    assert_non_null(p.tu);
    assert_false(p.tu->has_errors);
    assert_int_equal(p.tu->n_diags, 0);
    assert_int_equal(p.n_dropped, 1);
    assert_string_equal(p.dropped[0], "-fconserve-stack");

    /* The next TU drops it before its first parse, and says so too. */
    ir_tu_free(p.tu);
    fe_command cmd = {DATA "ops.c", NULL, argv, 5, NULL, 0, false};
    p.tu = frontend_parse(p.fe, &cmd, &p.dropped, &p.n_dropped, p.err,
                          sizeof p.err);
    assert_non_null(p.tu);
    assert_false(p.tu->has_errors);
    assert_int_equal(p.n_dropped, 1);
    assert_string_equal(p.dropped[0], "-fconserve-stack");
    done(&p);
}

static void test_warnings_never_fail(void **state)
{
    (void)state;
    /* Warnings are not the checker's business, even under -Werror... */
    const char *argv[] = {"cc", "-Wall", "-Wextra", "-Werror"};
    parsed p;
    parse_with(&p, "warnings.c", argv, 4, NULL);
    assert_non_null(p.tu);
    assert_false(p.tu->has_errors);
    assert_int_equal(p.tu->n_diags, 0);
    done(&p);

    /* ...but a warning the build makes an error of its own is one. */
    const char *werror_implicit[] = {"cc",
                                     "-Werror=implicit-function-declaration"};
    parse_with(&p, "warnings.c", werror_implicit, 2, NULL);
    assert_non_null(p.tu);
    assert_true(p.tu->has_errors);
    assert_int_equal(p.tu->n_diags, 1);
    assert_non_null(strstr(p.tu->diags[0].text, "undeclared_function"));
    done(&p);
}

static void test_rejected_option_value_dropped(void **state)
{
    (void)state;
    /* libclang gives no TU at all for this one: found by probing */
    const char *argv[] = {"gcc", "-march=znver99", "-std=gnu99x", "-Wall"};
    parsed p;
    parse_with(&p, "body.c", argv, 4, NULL);
    assert_non_null(p.tu);
    assert_false(p.tu->has_errors);
    assert_int_equal(p.n_dropped, 2);
    assert_string_equal(p.dropped[0], "-march=znver99");
    assert_string_equal(p.dropped[1], "-std=gnu99x"); /* "invalid value" */
    done(&p);
}

static void test_working_directory_and_relative_file(void **state)
{
    (void)state;
    frontend *fe = frontend_new(SOURCE_DIR "/annotations", NULL, 0);
    const char *argv[] = {"cc", "-I."};
    fe_command cmd = {"body.c", DATA, argv, 2, NULL, 0, false};
    char err[256] = "";
    ir_tu *tu = frontend_parse(fe, &cmd, NULL, NULL, err, sizeof err);
    assert_non_null(tu);
    assert_false(tu->has_errors);
    assert_string_equal(tu->main_file, "body.c");
    assert_loc(func(tu, "body", true)->loc, "body.c", 11, 5);
    ir_tu_free(tu);
    frontend_free(fe);
}

static void test_force_include_models(void **state)
{
    (void)state;
    const char *argv[] = {"cc"};
    parsed p;
    parse_with(&p, "body.c", argv, 1, DATA "models.h");
    assert_non_null(p.tu);
    assert_false(p.tu->has_errors);
    /* the model's annotated prototype comes first... */
    ir_func *model = p.tu->funcs[0];
    assert_string_equal(model->name, "sum");
    assert_loc(model->loc, "models.h", 3, 7);
    assert_int_equal(model->params[0]->n_annotations, 1);
    assert_false(model->params[0]->annotations[0].inherited);
    /* ...and the file's own prototype inherits its annotation */
    ir_func *own =
        func(p.tu, "body", true)->body->kids[4]->kids[1]->kids[0]->callee;
    assert_non_null(own);
    assert_loc(own->loc, "body.c", 9, 7);
    assert_string_equal(own->key, model->key);
    assert_int_equal(own->params[0]->n_annotations, 1);
    assert_true(own->params[0]->annotations[0].inherited);
    assert_string_equal(own->params[0]->annotations[0].text, "n");
    done(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_annotations_on_fields_and_globals),
        cmocka_unit_test(test_function_address_taken),
        cmocka_unit_test(test_annotations_on_params_all_placements),
        cmocka_unit_test(test_annotations_on_functions),
        cmocka_unit_test(test_annotations_on_locals),
        cmocka_unit_test(test_function_facts_in_source_order),
        cmocka_unit_test(test_constant_arrays_and_enums),
        cmocka_unit_test(test_const_values),
        cmocka_unit_test(test_variable_length_arrays),
        cmocka_unit_test(test_macros_named_in_annotations),
        cmocka_unit_test(test_shape_macro_keeps_names_as_written),
        cmocka_unit_test(test_body_ir),
        cmocka_unit_test(test_address_taken),
        cmocka_unit_test(test_call_locations),
        cmocka_unit_test(test_operators_and_folding),
        cmocka_unit_test(test_deep_nesting),
        cmocka_unit_test(test_macro_assignments),
        cmocka_unit_test(test_macro_unary_operators),
        cmocka_unit_test(test_macro_statements_and_calls),
        cmocka_unit_test(test_hostile_macros),
        cmocka_unit_test(test_expression_ends),
        cmocka_unit_test(test_integer_types),
        cmocka_unit_test(test_bit_fields_static_and_unions),
        cmocka_unit_test(test_element_sizes_and_system_functions),
        cmocka_unit_test(test_nested_initialisers),
        cmocka_unit_test(test_array_initialisers),
        cmocka_unit_test(test_union_and_string_initialisers),
        cmocka_unit_test(test_macros_in_force),
        cmocka_unit_test(test_integers_written_as_macros),
        cmocka_unit_test(test_syntax_error),
        cmocka_unit_test(test_missing_file),
        cmocka_unit_test(test_unknown_option_dropped),
        cmocka_unit_test(test_warnings_never_fail),
        cmocka_unit_test(test_rejected_option_value_dropped),
        cmocka_unit_test(test_working_directory_and_relative_file),
        cmocka_unit_test(test_force_include_models),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
