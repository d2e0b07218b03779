/*
 * shape_facts.c - engine events turned into facts that outlive the run (see
 * shape_facts.h).
 */
#include "shape_facts.h"

#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "notes.h"

void shape_fact_list_init(shape_fact_list *list)
{
    memset(list, 0, sizeof *list);
    list->arena = arena_new();
    strmap_init(&list->files, list->arena);
}

void shape_fact_list_free(shape_fact_list *list)
{
    free(list->items);
    arena_free(list->arena);
    memset(list, 0, sizeof *list);
}

/* LOC with its file name in the list's arena, one copy per name: the
   translation unit that owns the original is freed after the run. */
static sc_loc keep_loc(shape_fact_list *list, sc_loc loc)
{
    if (!loc.file)
        return loc;
    char *kept = strmap_get(&list->files, loc.file);
    if (!kept) {
        kept = arena_strdup(list->arena, loc.file);
        strmap_put(&list->files, kept, kept);
    }
    loc.file = kept;
    return loc;
}

typedef struct note_sink {
    shape_fact_list *list;
    diag_note *notes;
    size_t n, cap;
} note_sink;

static bool has_note(const note_sink *s, sc_loc loc, const char *text)
{
    for (size_t i = 0; i < s->n; i++)
        if (s->notes[i].loc.file == loc.file &&
            s->notes[i].loc.line == loc.line &&
            s->notes[i].loc.col == loc.col &&
            strcmp(s->notes[i].message, text) == 0)
            return true;
    return false;
}

/* One line of the origin's story (origin_lines), kept once. */
static void add_line(void *ud, sc_loc loc, const char *text)
{
    note_sink *s = ud;
    loc = keep_loc(s->list, loc);
    if (has_note(s, loc, text))
        return;
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 4;
        diag_note *grown = arena_array(s->list->arena, cap, sizeof *grown);
        if (s->n)
            memcpy(grown, s->notes, s->n * sizeof *grown);
        s->notes = grown, s->cap = cap;
    }
    s->notes[s->n++] = (diag_note){loc, arena_strdup(s->list->arena, text)};
}

static bool is_written(const shape_origin *o)
{
    return o && (o->kind == ORIGIN_DECLARED || o->kind == ORIGIN_ARRAY ||
                 o->kind == ORIGIN_PARAM);
}

static shape_fact *new_fact(shape_fact_list *list)
{
    if (list->n == list->cap) {
        size_t cap = list->cap ? list->cap * 2 : 64;
        shape_fact *grown = realloc(list->items, cap * sizeof *grown);
        if (!grown)
            return NULL;
        list->items = grown, list->cap = cap;
    }
    shape_fact *f = &list->items[list->n++];
    memset(f, 0, sizeof *f);
    return f;
}

static bool type_can_hold(const ir_type *t)
{
    return t->cls == IR_TYPE_POINTER || t->cls == IR_TYPE_ARRAY ||
           t->cls == IR_TYPE_RECORD;
}

void shape_facts_observe(void *ud, struct analysis *an,
                         const struct shape_event *e)
{
    shape_fact_list *list = ud;
    shape_fact *f = new_fact(list);
    if (!f)
        return; /* out of memory: a hover less, the findings are intact */
    f->kind = e->kind == SHAPE_EVENT_DECLARED ? SHAPE_FACT_DECLARED
              : e->kind == SHAPE_EVENT_TAKEN  ? SHAPE_FACT_TAKEN
                                              : SHAPE_FACT_USED;
    f->name = arena_strdup(list->arena, e->decl->name);
    f->decl = keep_loc(list, e->decl->loc);
    f->func = keep_loc(list, e->func->loc);
    f->at = keep_loc(list, e->at);
    f->can_hold = type_can_hold(&e->decl->type);
    if (!e->value.shape)
        return;
    f->shape = arena_strdup(list->arena,
                            shape_format(an->arena, an->dims, e->value.shape));
    f->written = is_written(e->value.origin);
    const shape_origin *o = e->value.origin;
    if (f->kind == SHAPE_FACT_TAKEN && o && o->kind == ORIGIN_INFERRED) {
        f->inferred = true;
        f->callee = arena_strdup(list->arena, o->callee ? o->callee : "?");
    }
    note_sink sink = {list, NULL, 0, 0};
    origin_lines(an, e->value.origin, add_line, &sink);
    f->notes = sink.notes, f->n_notes = sink.n;
}
