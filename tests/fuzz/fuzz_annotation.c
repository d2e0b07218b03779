/*
 * fuzz_annotation.c - what the checker does with the text of annotations:
 * everything after the front end has split "shapecheck:KIND:TEXT" (a
 * prefix match in frontend.c, the one libclang user).
 *
 * The harness builds by hand the facts (checker/frontend/ir.h) the front end would
 * extract from this program, with the fuzzer's texts in the annotations
 * and macro bodies, runs the whole engine on it (analyze_program:
 * signatures merged over two declarations, summaries of the bodies, the
 * walk of each body, every rule, the notes) and writes the findings in the
 * three output formats:
 *
 *   #define B <F6>
 *   #define C <F7>
 *   struct S { int len; float *data SHAPE(<F5>); };
 *   float *f(float *x SHAPE(<F0>), float *y SHAPE(<F1>), int n, int c)
 *       RETURNS_SHAPE(<F2>) SHAPE_LOSS(<F3>);
 *   float *h(float *x, int n);
 *   float *f(float *x SHAPE(<F8>), float *y, int n, int c)
 *   {   return h(x, n);   }
 *   float *h(float *x, int n) { if (n) return f(x, x, n, n); return x; }
 *   void g(struct S *s, int k)
 *   {
 *       float a[32][10];
 *       float *p SHAPE(<F4>);
 *       float *q;
 *       float *r = f(&a[0][0], p, 32, 10);
 *       r = f(q, s->data, s->len, k);
 *       if (k) q = p;
 *       f(r, q, B, C);
 *       h(q, k);
 *   }
 *
 * Input: the texts F0..F8, one per line (a missing one keeps a valid
 * default), after a first line of flags that move annotations where they
 * do not belong: 'L' makes p's SHAPE a SHAPE_LOSS, 'R' makes x's a
 * RETURNS_SHAPE, 'G' puts F4 on g as a SHAPE, 'i' makes y an int.
 *
 * FUZZ_SHOW=1 in the environment prints the findings (to look at an input).
 *
 * Property: the engine never crashes, and every finding has a rule, a
 * position and a message.  (Which findings are right is the corpus's
 * business.)
 */
#include "fuzz.h"
#include "fuzz_ir.h"

enum {
    F_X,
    F_Y,
    F_RET,
    F_LOSS,
    F_P,
    F_FIELD,
    F_MACRO_B,
    F_MACRO_C,
    F_X2,
    N_FIELDS
};

static const char *const defaults[N_FIELDS] = {
    "n, c", "n", "n, c", "x, y", "B, 10", "len", "32", "B * 2", "n, c",
};

/* ---- The program ------------------------------------------------------- */

typedef struct program {
    builder b;
    ir_func *f_proto, *f_def, *h, *g;
} program;

static void build_f(program *p, const char **field, const char *flags)
{
    builder *b = &p->b;
    ir_type ptr = type_of(IR_TYPE_POINTER, NULL);
    ir_decl *x = buffer_param(b, "x");
    ir_decl *y = strchr(flags, 'i') ? int_param(b, "y") : buffer_param(b, "y");
    annotate(x,
             annotation(b, strchr(flags, 'R') ? IR_ANN_RETURNS : IR_ANN_SHAPE,
                        field[F_X]));
    annotate(y, annotation(b, IR_ANN_SHAPE, field[F_Y]));
    ir_decl *params[] = {x, y, int_param(b, "n"), int_param(b, "c")};
    p->f_proto = function(b, "f", ptr, params, 4);
    ir_annotation *anns = arena_array(b->a, 2, sizeof *anns);
    anns[0] = *annotation(b, IR_ANN_RETURNS, field[F_RET]);
    anns[1] = *annotation(b, IR_ANN_LOSS, field[F_LOSS]);
    p->f_proto->annotations = anns;
    p->f_proto->n_annotations = 2;

    ir_decl *x2 = buffer_param(b, "x");
    annotate(x2, annotation(b, IR_ANN_SHAPE, field[F_X2]));
    ir_decl *params2[] = {x2, buffer_param(b, "y"), int_param(b, "n"),
                          int_param(b, "c")};
    p->f_def = function(b, "f", ptr, params2, 4);
    p->f_def->is_definition = true;
}

static void build_h(program *p)
{
    builder *b = &p->b;
    ir_type ptr = type_of(IR_TYPE_POINTER, NULL);
    ir_decl *params[] = {buffer_param(b, "x"), int_param(b, "n")};
    p->h = function(b, "h", ptr, params, 2);
    p->h->is_definition = true;
    ir_decl *x = p->h->params[0], *n = p->h->params[1];
    ir_node *recurse = node(b, IR_RETURN, "", ptr, 1,
                            call(b, p->f_proto, "f(x, x, n, n)", var(b, x),
                                 var(b, x), var(b, n), var(b, n)));
    ir_node **stmts = arena_array(b->a, 2, sizeof *stmts);
    stmts[0] =
        node(b, IR_IF, "", type_of(IR_TYPE_OTHER, NULL), 2, var(b, n), recurse);
    stmts[1] = node(b, IR_RETURN, "", ptr, 1, var(b, x));
    p->h->body = block(b, stmts, 2);

    /* f's body: return h(x, n); */
    ir_decl *fx = p->f_def->params[0], *fn = p->f_def->params[2];
    ir_node **fs = arena_array(b->a, 1, sizeof *fs);
    fs[0] = node(b, IR_RETURN, "", ptr, 1,
                 call(b, p->h, "h(x, n)", var(b, fx), var(b, fn), NULL, NULL));
    p->f_def->body = block(b, fs, 1);
}

static ir_record *build_record(builder *b, const char **field)
{
    ir_record *s = arena_alloc(b->a, sizeof *s);
    s->name = "S";
    s->loc = at(b);
    s->fields = arena_array(b->a, 2, sizeof *s->fields);
    s->fields[0] = decl(b, IR_DECL_FIELD, "len", type_of(IR_TYPE_INT, NULL));
    s->fields[1] =
        decl(b, IR_DECL_FIELD, "data", type_of(IR_TYPE_POINTER, NULL));
    annotate(s->fields[1], annotation(b, IR_ANN_SHAPE, field[F_FIELD]));
    s->fields[0]->parent = s->fields[1]->parent = s;
    s->n_fields = 2;
    return s;
}

static void build_g(program *p, const char **field, const char *flags,
                    ir_record *rec)
{
    builder *b = &p->b;
    ir_type ptr = type_of(IR_TYPE_POINTER, NULL);
    ir_decl *params[] = {
        decl(b, IR_DECL_PARAM, "s", type_of(IR_TYPE_POINTER, rec)),
        int_param(b, "k")};
    p->g = function(b, "g", type_of(IR_TYPE_OTHER, NULL), params, 2);
    p->g->is_definition = true;
    if (strchr(flags, 'G')) {
        p->g->annotations = annotation(b, IR_ANN_SHAPE, field[F_P]);
        p->g->n_annotations = 1;
    }
    ir_decl *s = p->g->params[0], *k = p->g->params[1];

    ir_type arr = type_of(IR_TYPE_ARRAY, NULL);
    arr.elem_cls = IR_TYPE_FLOAT;
    arr.array_rank = 2;
    arr.array_dims = arena_array(b->a, 2, sizeof *arr.array_dims);
    arr.array_dims[0] = integer(b, 32, "32");
    arr.array_dims[1] = integer(b, 10, "10");
    ir_decl *a = decl(b, IR_DECL_LOCAL, "a", arr);
    ir_decl *pl = decl(b, IR_DECL_LOCAL, "p", ptr);
    annotate(pl, annotation(b, strchr(flags, 'L') ? IR_ANN_LOSS : IR_ANN_SHAPE,
                            field[F_P]));
    ir_decl *q = decl(b, IR_DECL_LOCAL, "q", ptr);
    ir_decl *r = decl(b, IR_DECL_LOCAL, "r", ptr);
    ir_decl *locals[] = {a, pl, q, r};
    for (size_t i = 0; i < 4; i++)
        add_local(b, p->g, locals[i]);

    ir_type int_t = type_of(IR_TYPE_INT, NULL);
    ir_node *data = node(b, IR_MEMBER, "s->data", ptr, 1, var(b, s));
    data->decl = rec->fields[1], data->arrow = true;
    ir_node *len = node(b, IR_MEMBER, "s->len", int_t, 1, var(b, s));
    len->decl = rec->fields[0], len->arrow = true;

    ir_node **st = arena_array(b->a, 8, sizeof *st);
    uint32_t n = 0;
    st[n++] = declare(b, a, NULL);
    st[n++] = declare(b, pl, NULL);
    st[n++] = declare(b, q, NULL);
    st[n++] = declare(b, r,
                      call(b, p->f_proto, "f(&a[0][0], p, 32, 10)",
                           first_element(b, a), var(b, pl),
                           integer(b, 32, "32"), integer(b, 10, "10")));
    st[n++] = assign(b, var(b, r),
                     call(b, p->f_proto, "f(q, s->data, s->len, k)", var(b, q),
                          data, len, var(b, k)));
    st[n++] = node(b, IR_IF, "", type_of(IR_TYPE_OTHER, NULL), 2, var(b, k),
                   assign(b, var(b, q), var(b, pl)));
    st[n++] = call(b, p->f_proto, "f(r, q, B, C)", var(b, r), var(b, q),
                   integer(b, 32, "B"), integer(b, 64, "C"));
    st[n++] = call(b, p->h, "h(q, k)", var(b, q), var(b, k), NULL, NULL);
    p->g->body = block(b, st, n);
}

static void build(program *p, const char **field, const char *flags)
{
    builder *b = &p->b;
    fuzz_ir_begin(b);

    ir_macro *macros = arena_array(b->a, 2, sizeof *macros);
    macros[0] = (ir_macro){"B", arena_strdup(b->a, field[F_MACRO_B]), at(b)};
    macros[1] = (ir_macro){"C", arena_strdup(b->a, field[F_MACRO_C]), at(b)};
    b->tu->macros = macros;
    b->tu->n_macros = 2;

    ir_record *rec = build_record(b, field);
    b->tu->records = arena_array(b->a, 1, sizeof *b->tu->records);
    b->tu->records[0] = rec;
    b->tu->n_records = 1;

    build_f(p, field, flags);
    build_h(p);
    build_g(p, field, flags, rec);
    ir_func *funcs[] = {p->f_proto, p->f_def, p->h, p->g};
    b->tu->funcs = arena_array(b->a, 4, sizeof *b->tu->funcs);
    memcpy(b->tu->funcs, funcs, sizeof funcs);
    b->tu->n_funcs = 4;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_text(data, size);
    char *line[N_FIELDS + 1];
    size_t n = fuzz_split(text, '\n', line, N_FIELDS + 1);
    const char *flags = line[0];
    const char *field[N_FIELDS];
    for (size_t i = 0; i < N_FIELDS; i++)
        field[i] = i + 1 < n ? line[i + 1] : defaults[i];

    program p = {0};
    build(&p, field, flags);
    ir_tu *tus[] = {p.b.tu};
    diag_list list;
    diag_list_init(&list);
    FUZZ_CHECK(analyze_program(tus, 1, &list, NULL) == 0);
    for (size_t i = 0; i < list.n; i++)
        FUZZ_CHECK(list.items[i].rule != NULL); /* no compiler here */
    fuzz_ir_check_findings(&list);
    diag_list_free(&list);
    arena_free(p.b.a);
    free(text);
    return 0;
}
