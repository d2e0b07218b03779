/*
 * fuzz_summary.c - summary files (checker/analysis/summary_io.h, docs/summaries.md):
 * what --read-summaries and the cache (--cache-dir) read back from disk,
 * where a file may be damaged, stale or written by hand.
 *
 * The input is the text of a summary file; it is read as the cache's
 * summaries are (analyze_program's summary_texts), for a program that
 * declares two functions without defining them and calls them:
 *
 *   struct S { int len; float *data; };
 *   float *ext(float *x, int n);                       key c:@F@ext
 *   float *ext2(float *x, float *y, int n, int c);     key c:@F@ext2
 *   void g(struct S *s, int k)
 *   {
 *       float a[32][10];
 *       float *r = ext(&a[0][0], 32);
 *       r = ext2(r, &a[0][0], k, 10);
 *       ext(s->data, s->len);
 *       ext2(r, r, 32, k);
 *   }
 *
 * Properties: a summary that cannot be read makes analyze_program return
 * 2 (the checker's status for "could not do its whole job"); one that can
 * is used for the calls without a crash, and every finding is well formed
 * (FUZZ_SHOW=1 prints them).
 */
#include "fuzz.h"
#include "fuzz_ir.h"

typedef struct program {
    builder b;
    ir_func *ext, *ext2, *g;
} program;

static void build(program *p)
{
    builder *b = &p->b;
    fuzz_ir_begin(b);
    ir_type ptr = type_of(IR_TYPE_POINTER, NULL);
    ir_record *rec = arena_alloc(b->a, sizeof *rec);
    rec->name = "S";
    rec->fields = arena_array(b->a, 2, sizeof *rec->fields);
    rec->fields[0] = decl(b, IR_DECL_FIELD, "len", type_of(IR_TYPE_INT, NULL));
    rec->fields[1] = decl(b, IR_DECL_FIELD, "data", ptr);
    rec->fields[0]->parent = rec->fields[1]->parent = rec;
    rec->n_fields = 2;

    ir_decl *ext_params[] = {buffer_param(b, "x"), int_param(b, "n")};
    p->ext = function(b, "ext", ptr, ext_params, 2);
    ir_decl *ext2_params[] = {buffer_param(b, "x"), buffer_param(b, "y"),
                              int_param(b, "n"), int_param(b, "c")};
    p->ext2 = function(b, "ext2", ptr, ext2_params, 4);

    ir_decl *g_params[] = {
        decl(b, IR_DECL_PARAM, "s", type_of(IR_TYPE_POINTER, rec)),
        int_param(b, "k")};
    p->g = function(b, "g", type_of(IR_TYPE_OTHER, NULL), g_params, 2);
    p->g->is_definition = true;
    ir_decl *s = p->g->params[0], *k = p->g->params[1];
    ir_type arr = type_of(IR_TYPE_ARRAY, NULL);
    arr.elem_cls = IR_TYPE_FLOAT;
    arr.array_rank = 2;
    arr.array_dims = arena_array(b->a, 2, sizeof *arr.array_dims);
    arr.array_dims[0] = integer(b, 32, "32");
    arr.array_dims[1] = integer(b, 10, "10");
    ir_decl *a = decl(b, IR_DECL_LOCAL, "a", arr);
    ir_decl *r = decl(b, IR_DECL_LOCAL, "r", ptr);
    add_local(b, p->g, a);
    add_local(b, p->g, r);

    ir_type int_t = type_of(IR_TYPE_INT, NULL);
    ir_node *data = node(b, IR_MEMBER, "s->data", ptr, 1, var(b, s));
    data->decl = rec->fields[1], data->arrow = true;
    ir_node *len = node(b, IR_MEMBER, "s->len", int_t, 1, var(b, s));
    len->decl = rec->fields[0], len->arrow = true;

    ir_node **st = arena_array(b->a, 5, sizeof *st);
    uint32_t n = 0;
    st[n++] = declare(b, a, NULL);
    st[n++] = declare(b, r,
                      call(b, p->ext, "ext(&a[0][0], 32)", first_element(b, a),
                           integer(b, 32, "32"), NULL, NULL));
    st[n++] =
        assign(b, var(b, r),
               call(b, p->ext2, "ext2(r, &a[0][0], k, 10)", var(b, r),
                    first_element(b, a), var(b, k), integer(b, 10, "10")));
    st[n++] = call(b, p->ext, "ext(s->data, s->len)", data, len, NULL, NULL);
    st[n++] = call(b, p->ext2, "ext2(r, r, 32, k)", var(b, r), var(b, r),
                   integer(b, 32, "32"), var(b, k));
    p->g->body = block(b, st, n);

    ir_func *funcs[] = {p->ext, p->ext2, p->g};
    b->tu->funcs = arena_array(b->a, 3, sizeof *b->tu->funcs);
    memcpy(b->tu->funcs, funcs, sizeof funcs);
    b->tu->n_funcs = 3;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_text(data, size);
    program p = {0};
    build(&p);
    ir_tu *tus[] = {p.b.tu};
    const char *texts[] = {text};
    analysis_options opts = {.summary_texts = texts,
                             .n_summary_texts = 1,
                             .messages = fuzz_null_stream()};
    diag_list list;
    diag_list_init(&list);
    int status = analyze_program(tus, 1, &list, &opts);
    FUZZ_CHECK(status == 0 || status == 2);
    fuzz_ir_check_findings(&list);
    diag_list_free(&list);
    arena_free(p.b.a);
    free(text);
    return 0;
}
