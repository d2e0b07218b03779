/*
 * memory.c - the memory model of one walk (docs/memory-model.md).
 *
 * Locations are interned per walk: an object (a variable, what a pointer
 * held at entry pointed to, what a call allocated, unknown memory) and,
 * below it, its fields and its elements.  The state maps locations to
 * values; an absent location holds its initial value: its value at entry
 * for what the caller or others could have set, an unknown for a local.
 *
 * Aliasing.  Two different objects can be one runtime object only if both
 * are reachable from outside the function ("external": globals, static
 * locals, entry objects, unknown memory) or one of them escaped (its
 * address reached code or memory we cannot see).  Even then C's types
 * decide: every location has an alias class (its struct and field, or
 * its scalar type), and a write changes only locations of classes it may
 * overlap.  Writes that may reach cells not in the state are recorded as
 * marks (a clobber of a class, of an object, of everything), which an
 * absent cell checks when read: it is then unknown, never its old value.
 *
 * Marks live in one persistent map: MARK_ALL (code nobody can see ran),
 * MARK_TOP (nothing is known: a goto's target), and per location and per
 * alias class a clobber, per object an escape.
 */
#include <stdio.h>
#include <string.h>

#include "walk.h"

#define LOC_MAX_DEPTH 8      /* pointer hops before memory is "unknown" */
#define LOC_MAX_COUNT 200000 /* locations per walk (the budget) */
#define DEEP_MAX 64          /* objects one deep clobber or escape visits */

enum { MARK_ALL = 0, MARK_TOP = 1, MARK_BASE = 2 };
enum { MARK_LOC, MARK_ESCAPED, MARK_CLASS, MARK_KINDS };

static uint32_t mark_key(uint32_t id, int kind)
{
    return MARK_BASE + id * MARK_KINDS + (uint32_t)kind;
}

static const char escaped_marker = 1;

/* ---- The location table ------------------------------------------------- */

static uint32_t hash_key(const loc_key *k)
{
    uint64_t h = (uint64_t)k->kind * 0x9E3779B97F4A7C15u;
    h ^= (uint64_t)k->parent * 0xC2B2AE3D27D4EB4Fu;
    h ^= (uint64_t)(uintptr_t)k->ident * 0x165667B19E3779F9u;
    h ^= h >> 29;
    return (uint32_t)h;
}

static bool key_eq(const loc_key *a, const loc_key *b)
{
    return a->kind == b->kind && a->parent == b->parent && a->ident == b->ident;
}

static void table_rehash(walk *w)
{
    loc_table *t = w->locs;
    uint32_t n = t->n_slots ? t->n_slots * 2 : 256;
    uint32_t *slots = arena_array(w->scratch, n, sizeof *slots);
    for (uint32_t id = 1; id < t->n; id++) {
        uint32_t h = hash_key(&t->keys[id]) & (n - 1);
        while (slots[h])
            h = (h + 1) & (n - 1);
        slots[h] = id;
    }
    t->slots = slots, t->n_slots = n;
}

static loc_id table_find(walk *w, const loc_key *k)
{
    loc_table *t = w->locs;
    if (!t->n_slots)
        return 0;
    uint32_t h = hash_key(k) & (t->n_slots - 1);
    for (; t->slots[h]; h = (h + 1) & (t->n_slots - 1))
        if (key_eq(&t->keys[t->slots[h]], k))
            return t->slots[h];
    return 0;
}

static uint32_t class_id(walk *w, const char *name)
{
    loc_table *t = w->locs;
    uintptr_t id = (uintptr_t)strmap_get(&t->classes, name);
    if (!id) {
        id = ++t->n_classes;
        strmap_put(&t->classes, arena_strdup(w->scratch, name), (void *)id);
    }
    return (uint32_t)id;
}

/* The scalar class of type T: integers by width (signed and unsigned
   variants may alias, C 6.5p7), pointers, records by name. */
static const char *type_class(walk *w, const ir_type *t, const ir_record *r)
{
    switch (t->cls) {
    case IR_TYPE_INT:
        return arena_printf(w->scratch, "i%u", t->int_bits ? t->int_bits : 32);
    case IR_TYPE_POINTER:
        return "ptr";
    case IR_TYPE_RECORD:
        return arena_printf(w->scratch, "rec:%p", (const void *)r);
    case IR_TYPE_FLOAT:
        return "float";
    default:
        return "other";
    }
}

/* A field's class is its struct and name (different fields never
   overlap); a union's members share one.  Everything else is in the
   "S:" class of its type. */
static uint32_t alias_class(walk *w, const location *l)
{
    if (l->sealed) /* no pointer reaches it: a class of its own */
        return class_id(w,
                        arena_printf(w->scratch, "V:%p", (const void *)l->var));
    const location *p = l->parent ? &w->locs->items[l->parent] : NULL;
    if (l->field_decl && p && p->record && l->field[0] != '[')
        return class_id(
            w, p->record->is_union
                   ? arena_printf(w->scratch, "U:%p", (const void *)p->record)
                   : arena_printf(w->scratch, "F:%p:%s",
                                  (const void *)p->record, l->field));
    return class_id(w, arena_printf(w->scratch, "S:%s",
                                    type_class(w, &l->type, l->record)));
}

/* The class every cell of L's type is in ("C:i32"): what a write of that
   type through unknown memory may change. */
static uint32_t type_wide_class(walk *w, const location *l)
{
    if (l->sealed)
        return alias_class(w, l);
    return class_id(w, arena_printf(w->scratch, "C:%s",
                                    type_class(w, &l->type, l->record)));
}

static const ir_record *record_of(const ir_type *t)
{
    return t->cls == IR_TYPE_RECORD ||
                   (t->cls == IR_TYPE_ARRAY && t->elem_cls == IR_TYPE_RECORD)
               ? t->record
               : NULL;
}

static loc_id table_add(walk *w, const loc_key *k, location *proto)
{
    loc_table *t = w->locs;
    if (t->n >= LOC_MAX_COUNT) {
        w->over_budget = true;
        return t->unknown;
    }
    if (t->n == t->cap) {
        uint32_t cap = t->cap * 2;
        location *items = arena_array(w->scratch, cap, sizeof *items);
        loc_key *keys = arena_array(w->scratch, cap, sizeof *keys);
        memcpy(items, t->items, t->n * sizeof *items);
        memcpy(keys, t->keys, t->n * sizeof *keys);
        t->items = items, t->keys = keys, t->cap = cap;
    }
    loc_id id = t->n++;
    t->keys[id] = *k;
    proto->record = proto->record ? proto->record : record_of(&proto->type);
    if (proto->parent) {
        location *p = &t->items[proto->parent];
        proto->object = p->object;
        proto->next_sibling = p->first_child;
        p->first_child = id;
    } else {
        proto->object = id;
    }
    t->items[id] = *proto;
    t->items[id].akey = alias_class(w, &t->items[id]);
    t->items[id].wide = type_wide_class(w, &t->items[id]);
    if (2 * t->n > t->n_slots)
        table_rehash(w);
    else {
        uint32_t h = hash_key(k) & (t->n_slots - 1);
        while (t->slots[h])
            h = (h + 1) & (t->n_slots - 1);
        t->slots[h] = id;
    }
    return id;
}

void memory_init(walk *w)
{
    loc_table *t = arena_alloc(w->scratch, sizeof *t);
    t->cap = 64;
    t->n = 1;
    t->items = arena_array(w->scratch, t->cap, sizeof *t->items);
    t->keys = arena_array(w->scratch, t->cap, sizeof *t->keys);
    strmap_init(&t->classes, w->scratch);
    w->locs = t;
    table_rehash(w);
    loc_key k = {OBJ_UNKNOWN, 0, NULL};
    location proto = {.kind = OBJ_UNKNOWN,
                      .external = true,
                      .entry_valued = true,
                      .weak = true,
                      .display = "?"};
    proto.type.cls = IR_TYPE_OTHER;
    t->unknown = table_add(w, &k, &proto);
    w->st.cells = w->st.marks = w->st.outside = pmap_empty();
}

static const char *child_display(walk *w, const location *p, const char *name);

/* Gives LOC's children the displays their parent's gives them, and the
   notes of their cells the new names. */
static void rename_children(walk *w, loc_id loc)
{
    for (loc_id c = w->locs->items[loc].first_child; c;
         c = w->locs->items[c].next_sibling) {
        location *l = &w->locs->items[c];
        const char *old = l->display;
        l->display = child_display(w, &w->locs->items[loc], l->field);
        const aval *v = pmap_get(w->st.cells, c);
        if (v && v->note && strcmp(v->note->name, old) == 0) {
            value_note *note = arena_alloc(w->an->arena, sizeof *note);
            *note = *v->note;
            note->name = arena_strdup(w->an->arena, l->display);
            aval r = *v;
            r.note = note;
            w->st.cells = pmap_set(w->scratch, w->st.cells, c, aval_new(w, &r));
        }
        rename_children(w, c);
    }
}

void loc_name(walk *w, loc_id obj, const char *pointer)
{
    location *l = &w->locs->items[obj];
    if (l->kind == OBJ_ALLOC && !l->parent && !l->named) {
        l->display = arena_printf(w->scratch, "*%s", pointer);
        l->named = true;
        rename_children(w, obj);
    }
}

loc_id loc_unknown(walk *w)
{
    return w->locs->unknown;
}

/* One of main's unit's sealed globals (context.c finds them). */
bool engine_global_sealed(const analysis *an, const ir_decl *d)
{
    for (uint32_t i = 0; an->entry_marked && i < an->n_sealed_globals; i++)
        if (an->sealed_globals[i] == d)
            return true;
    return false;
}

loc_id loc_var(walk *w, const ir_decl *d)
{
    loc_key k = {OBJ_VAR, 0, d};
    loc_id id = table_find(w, &k);
    if (id)
        return id;
    bool outside = d->kind == IR_DECL_GLOBAL ||
                   (d->kind == IR_DECL_LOCAL && d->is_static) ||
                   (d->owner && d->owner != w->f);
    /* A static local is named only in its own body, which is converted
       whenever it can run: "&k" there is seen.  A file-scope static is
       sealed when context.c finds that only the entry's code writes it. */
    bool global = engine_global_sealed(w->an, d);
    bool sealed = global || (d->kind == IR_DECL_LOCAL && d->is_static &&
                             !d->address_taken && d->type.cls == IR_TYPE_INT);
    const func_group *owner =
        sealed && d->owner ? func_group_of(w->an, d->owner) : NULL;
    location proto = {.kind = OBJ_VAR,
                      .var = d,
                      .type = d->type,
                      .external = outside,
                      .entry_valued = outside || d->kind == IR_DECL_PARAM,
                      .sealed = sealed,
                      .immune = global || (owner && owner->after_main),
                      .display = d->name[0] ? d->name : "?"};
    return table_add(w, &k, &proto);
}

/* The type a pointer of type T points to, as far as locations care. */
static ir_type pointee_type(const ir_type *t)
{
    ir_type p = {0};
    p.cls = t->pointer_depth > 1 ? IR_TYPE_POINTER : t->elem_cls;
    p.elem_cls = t->elem_cls;
    p.pointer_depth = t->pointer_depth > 1 ? t->pointer_depth - 1 : 0;
    p.record = t->record;
    p.int_bits = t->int_bits;
    p.int_signed = t->int_signed;
    return p;
}

loc_id loc_entry(walk *w, loc_id pointer)
{
    const location *pl = loc_get(w, pointer);
    if (pl->depth >= LOC_MAX_DEPTH || pointer == w->locs->unknown)
        return w->locs->unknown;
    loc_key k = {OBJ_ENTRY, pointer, NULL};
    loc_id id = table_find(w, &k);
    if (id)
        return id;
    bool caller = pl->from_caller ||
                  (pl->kind == OBJ_VAR && !pl->parent && pl->var &&
                   pl->var->kind == IR_DECL_PARAM && pl->var->owner == w->f);
    location proto = {.kind = OBJ_ENTRY,
                      .entry_of = pointer,
                      .type = pointee_type(&pl->type),
                      .external = true,
                      .entry_valued = true,
                      .from_caller = caller,
                      .depth = pl->depth + 1,
                      .display = arena_printf(w->scratch, "*%s", pl->display)};
    return table_add(w, &k, &proto);
}

/* The object memory call SITE allocated, keyed by OWNER too (0: the
   call's result; else the member a fresh effect filled), of type TYPE. */
static loc_id alloc_object(walk *w, const ir_node *site, loc_id owner,
                           ir_type type, const char *display)
{
    loc_key k = {OBJ_ALLOC, owner, site};
    loc_id id = table_find(w, &k);
    if (id)
        return id;
    location proto = {.kind = OBJ_ALLOC,
                      .site = site,
                      .weak = w->in_loop,
                      .display = display,
                      .type = type};
    return table_add(w, &k, &proto);
}

loc_id loc_alloc(walk *w, const ir_node *site)
{
    ir_type type = {0};
    if (site->type.cls == IR_TYPE_POINTER)
        type = pointee_type(&site->type);
    else if (site->type.cls == IR_TYPE_RECORD) /* a struct returned */
        type = site->type;
    return alloc_object(w, site, 0, type, site->text ? site->text : "?");
}

void walk_relies_on(walk *w, loc_id loc)
{
    const char *suffix;
    int param = loc_param_path(w, loc, &suffix);
    w->relies_private = true;
    w->relies_params |=
        param >= 0 && param < 64 ? (uint64_t)1 << param : ~(uint64_t)0;
}

/* The memory a call left in MEMBER, fresh (a summary's fresh effect):
   one object per call and member. */
loc_id loc_alloc_member(walk *w, const ir_node *site, loc_id member)
{
    const location *m = loc_get(w, member);
    return alloc_object(w, site, member, pointee_type(&m->type),
                        arena_printf(w->scratch, "*%s", m->display));
}

/* A pointer to the fresh object a call left in MEMBER. */
const aval *aval_fresh_member(walk *w, const ir_node *site, loc_id member)
{
    ptset *p = arena_alloc(w->scratch, sizeof *p);
    p->n = 1, p->maybe_null = true;
    p->targets[0] = loc_alloc_member(w, site, member);
    return aval_new(w, &(aval){.pts = p});
}

/* "cfg.batch", "l->B" from the parent's display. */
static const char *child_display(walk *w, const location *p, const char *name)
{
    if ((p->kind == OBJ_ENTRY || p->kind == OBJ_ALLOC) && !p->parent &&
        p->display[0] == '*')
        return arena_printf(w->scratch, "%s->%s", p->display + 1, name);
    return arena_printf(w->scratch, "%s.%s", p->display, name);
}

/* Memory whose type was not known when it was made (malloc's void *)
   takes the type it is used as. */
static void learn_record(walk *w, loc_id loc, const ir_record *r)
{
    location *l = &w->locs->items[loc];
    if (!l->record && r && l->type.cls != IR_TYPE_INT &&
        l->type.cls != IR_TYPE_POINTER) {
        l->record = r;
        l->type.cls = IR_TYPE_RECORD;
        l->type.record = r;
    }
}

void loc_learn_type(walk *w, loc_id loc, const ir_type *pointee)
{
    if (pointee->cls == IR_TYPE_RECORD)
        learn_record(w, loc, pointee->record);
}

loc_id loc_field(walk *w, loc_id parent, const ir_decl *field)
{
    if (parent == w->locs->unknown || !field)
        return w->locs->unknown;
    if (field->parent)
        learn_record(w, parent, field->parent);
    loc_key k = {OBJ_VAR, parent, field};
    loc_id id = table_find(w, &k);
    if (id)
        return id;
    const location *p = loc_get(w, parent);
    location proto = {.parent = parent,
                      .field = field->name,
                      .field_decl = field,
                      .kind = p->kind,
                      .type = field->type,
                      .external = p->external,
                      .entry_valued = p->entry_valued,
                      .from_caller = p->from_caller,
                      .weak = p->weak,
                      .depth = p->depth,
                      .display = child_display(w, p, field->name)};
    if (field->bit_width && proto.type.cls == IR_TYPE_INT)
        proto.type.int_bits = field->bit_width;
    return table_add(w, &k, &proto);
}

loc_id loc_field_named(walk *w, loc_id parent, const char *name)
{
    const location *p = loc_get(w, parent);
    const ir_record *r = p->record;
    for (uint32_t i = 0; r && i < r->n_fields; i++)
        if (strcmp(r->fields[i]->name, name) == 0)
            return loc_field(w, parent, r->fields[i]);
    return 0;
}

loc_id loc_elements(walk *w, loc_id parent)
{
    if (parent == w->locs->unknown)
        return parent;
    loc_key k = {OBJ_VAR, parent, "[]"};
    loc_id id = table_find(w, &k);
    if (id)
        return id;
    const location *p = loc_get(w, parent);
    location proto = {.parent = parent,
                      .field = "[]",
                      .kind = p->kind,
                      .external = p->external,
                      .entry_valued = p->entry_valued,
                      .from_caller = p->from_caller,
                      .weak = true,
                      .depth = p->depth,
                      .display = arena_printf(w->scratch, "%s[]", p->display)};
    if (p->type.cls == IR_TYPE_ARRAY) {
        proto.type = p->type;
        proto.type.cls =
            p->type.pointer_depth ? IR_TYPE_POINTER : p->type.elem_cls;
        proto.type.array_rank = 0;
        proto.type.array_dims = NULL;
    } else {
        proto.type = p->type;
    }
    return table_add(w, &k, &proto);
}

/* ---- Paths from parameters and globals (summaries) ---------------------- */

/* The path from LOC's root variable, "->layers->out" or ".cfg.batch", and
   that variable; NULL when LOC is not below one. */
static const char *root_path(walk *w, loc_id loc, const ir_decl **root)
{
    const char *suffix = "";
    while (loc) {
        const location *l = loc_get(w, loc);
        if (l->parent) {
            if (l->field[0] == '[')
                return NULL; /* elements: no member path */
            const location *p = loc_get(w, l->parent);
            bool arrow = p->kind == OBJ_ENTRY && !p->parent;
            suffix = arena_printf(w->scratch, "%s%s%s", arrow ? "->" : ".",
                                  l->field, suffix);
            if (arrow) { /* skip the entry object: "->f" says it */
                loc = p->entry_of;
                continue;
            }
            loc = l->parent;
        } else if (l->kind == OBJ_ENTRY) {
            suffix = arena_printf(w->scratch, "->*%s", suffix);
            loc = l->entry_of;
        } else if (l->kind == OBJ_VAR) {
            *root = l->var;
            return suffix;
        } else {
            return NULL;
        }
    }
    return NULL;
}

int loc_param_path(walk *w, loc_id loc, const char **suffix)
{
    const ir_decl *root = NULL;
    const char *s = root_path(w, loc, &root);
    if (!s || !root || root->kind != IR_DECL_PARAM || root->owner != w->f)
        return -1;
    *suffix = s;
    return (int)root->index;
}

/* "k@file:line:col": a static local's key (no two share a position). */
static const char *static_local_key(walk *w, const ir_decl *d)
{
    return arena_printf(w->scratch, "%s@%s:%u:%u", d->name,
                        d->loc.file ? d->loc.file : "", d->loc.line,
                        d->loc.col);
}

const ir_decl *static_local_named(walk *w, const char *key)
{
    const ir_tu *tu = w->f->tu;
    for (uint32_t i = 0; tu && i < tu->n_funcs; i++) {
        const ir_func *f = tu->funcs[i];
        for (uint32_t k = 0; f->body && k < f->n_locals; k++) {
            const ir_decl *d = f->locals[k];
            if (d->is_static && strcmp(static_local_key(w, d), key) == 0)
                return d;
        }
    }
    return NULL;
}

const char *loc_global_path(walk *w, loc_id loc, const char **suffix)
{
    const ir_decl *root = NULL;
    const char *s = root_path(w, loc, &root);
    if (s && root && root->kind == IR_DECL_LOCAL && root->is_static) {
        *suffix = s;
        return static_local_key(w, root);
    }
    if (!s || !root || root->kind != IR_DECL_GLOBAL)
        return NULL;
    *suffix = s;
    return root->is_static ? arena_printf(w->scratch, "%s@%s", root->name,
                                          root->loc.file ? root->loc.file : "")
                           : root->name;
}

/* ---- Cells -------------------------------------------------------------- */

/* Whether LOC, or what it is part of, escaped in state ST. */
static bool escaped_in(const walk *w, const state *st, loc_id loc)
{
    for (; loc; loc = loc_get(w, loc)->parent)
        if (pmap_get(st->marks, mark_key(loc, MARK_ESCAPED)))
            return true;
    return false;
}

bool is_escaped(const walk *w, loc_id loc)
{
    return escaped_in(w, &w->st, loc);
}

/* Whether others can reach LOC's cell in state W->st. */
static bool reachable_outside(const walk *w, const location *l)
{
    return l->external || is_escaped(w, (loc_id)(l - w->locs->items));
}

/* The clobber that hides LOC's initial value, if any: the site it
   happened at. */
static const void *clobber_of(walk *w, const state *st, loc_id loc)
{
    const void *site = pmap_get(st->marks, MARK_TOP);
    if (site)
        return site;
    const location *l = loc_get(w, loc);
    for (loc_id at = loc; at; at = loc_get(w, at)->parent)
        if ((site = pmap_get(st->marks, mark_key(at, MARK_LOC))))
            return site;
    bool escaped = escaped_in(w, st, loc);
    if (!l->external && !escaped)
        return NULL;
    /* Code nobody can see reached what others can reach, not what the
       caller kept to itself (the summary says it relied on that). */
    bool unseen = (!l->from_caller || escaped) && !l->immune;
    if (!unseen && !l->immune && pmap_get(st->marks, MARK_ALL))
        walk_relies_on(w, loc); /* its value survived by that alone */
    if ((unseen && (site = pmap_get(st->marks, MARK_ALL))) ||
        (site = pmap_get(st->marks, mark_key(l->akey, MARK_CLASS))) ||
        (site = pmap_get(st->marks, mark_key(l->wide, MARK_CLASS))))
        return site;
    return NULL;
}

/* The static local LOC is (or a member of, "" or ".cfg.batch"): its key.
   Callers in the unit hold the same variable, so the summary can name
   its entry value for them to bind. */
static const char *static_entry_path(walk *w, loc_id loc, const char **suffix,
                                     const ir_decl **var)
{
    const ir_decl *root = NULL;
    const char *s = root_path(w, loc, &root);
    if (!s || !root || root->kind != IR_DECL_LOCAL || !root->is_static ||
        strpbrk(s, "[*") || strstr(s, "->") || loc_get(w, loc)->weak)
        return NULL;
    *suffix = s;
    *var = root;
    return static_local_key(w, root);
}

/* The entry value of LOC: the symbol its caller's value is, or what a
   pointer pointed to at entry. */
static const aval *entry_value(walk *w, loc_id loc)
{
    const location *l = loc_get(w, loc);
    if (l->type.cls == IR_TYPE_POINTER || l->type.cls == IR_TYPE_ARRAY) {
        if (l->type.cls == IR_TYPE_ARRAY)
            return &aval_nothing; /* arrays are not cells */
        ptset *p = arena_alloc(w->scratch, sizeof *p);
        p->n = 1, p->maybe_null = true;
        p->targets[0] = loc_entry(w, loc);
        aval proto = {.pts = p};
        return aval_new(w, &proto);
    }
    if (l->type.cls != IR_TYPE_INT)
        return &aval_nothing;
    const char *suffix;
    int param = loc_param_path(w, loc, &suffix);
    if (param >= 0 &&
        w->summary) { /* the summary's symbols: callers bind them */
        const dim_poly *sym =
            suffix[0]
                ? summary_path_symbol(w, (uint32_t)param, suffix, l->display)
                : summary_param_symbol(w, (uint32_t)param);
        if (sym)
            return aval_int(w, sym, NULL);
    }
    const ir_decl *var;
    const char *key = static_entry_path(w, loc, &suffix, &var);
    int64_t known;
    const entry_fact *f =
        l->kind == OBJ_VAR && l->immune && l->var->kind == IR_DECL_GLOBAL
            ? entry_context_fact(w->entry, l->var, "")
            : NULL;
    if (f) { /* a sealed global: "g set to 8 here" at its initialiser */
        const dim_poly *v = dim_const(w->an->dims, f->value);
        return aval_int(w, v, f->note);
    }
    if (key && entry_context_static(w->entry, var, suffix, &known))
        return aval_int(w, dim_const(w->an->dims, known), NULL);
    if (key && w->summary)
        return aval_int(w, summary_static_symbol(w, key, suffix, l->display),
                        NULL);
    return aval_int(w, site_symbol(w, w->f, loc, 'e', l->display), NULL);
}

/* What LOC holds where the state has no cell for it. */
static const aval *cell_initial(walk *w, const state *st, loc_id loc)
{
    const location *l = loc_get(w, loc);
    const void *site = clobber_of(w, st, loc);
    if (site)
        return aval_unknown(w, site, loc, &l->type);
    if (l->entry_valued)
        return entry_value(w, loc);
    return aval_unknown(w, NULL, loc, &l->type); /* uninitialised */
}

const aval *cell_read(walk *w, loc_id loc)
{
    const aval *v = pmap_get(w->st.cells, loc);
    return v ? v : cell_initial(w, &w->st, loc);
}

const aval *path_read(walk *w, loc_id loc, const char *path)
{
    while (loc && *path) {
        if (path[0] == '-' && path[1] == '>') {
            const aval *p = cell_read(w, loc);
            if (!p->pts || p->pts->unknown || p->pts->n != 1)
                return NULL;
            loc = p->pts->targets[0];
            path += 2;
        } else if (path[0] == '.') {
            path++;
        } else {
            return NULL;
        }
        size_t n = strcspn(path, ".-");
        loc = loc_field_named(w, loc, arena_strndup(w->scratch, path, n));
        path += n;
    }
    if (!loc || loc_get(w, loc)->type.cls != IR_TYPE_INT)
        return NULL;
    return cell_read(w, loc);
}

/* Sets LOC's cell, keeping the set of cells others can reach. */
static void cell_set(walk *w, loc_id loc, const aval *v)
{
    w->st.cells = pmap_set(w->scratch, w->st.cells, loc, v);
    if (reachable_outside(w, loc_get(w, loc)))
        w->st.outside = pmap_set(w->scratch, w->st.outside, loc,
                                 (const void *)(uintptr_t)loc);
}

static void mark(walk *w, uint32_t key, const void *site)
{
    w->st.marks = pmap_set(w->scratch, w->st.marks, key, site);
}

typedef struct clobber_ctx {
    walk *w;
    const ir_node *site;
    uint32_t class_a, class_b; /* classes to clobber; 0: none */
    loc_id except;
    bool all;
} clobber_ctx;

static void clobber_present(void *ud, uint32_t key, const void *value)
{
    (void)value;
    clobber_ctx *cc = ud;
    walk *w = cc->w;
    const location *l = loc_get(w, key);
    if (key == cc->except)
        return;
    if (cc->all && l->from_caller && !is_escaped(w, key)) {
        walk_relies_on(w, key); /* the caller's own: see clobber_of */
        return;
    }
    if (cc->all && l->immune)
        return; /* the program's own: clobber_static_locals */
    if (cc->all || l->akey == cc->class_a || l->akey == cc->class_b ||
        l->wide == cc->class_a || l->wide == cc->class_b)
        w->st.cells = pmap_set(w->scratch, w->st.cells, key,
                               aval_unknown(w, cc->site, key, &l->type));
}

/* Cells others can reach in the classes of a write to L (other than L
   itself) become unknown: the write may have been to any of them. */
static void clobber_aliases(walk *w, loc_id loc, const ir_node *site)
{
    const location *l = loc_get(w, loc);
    if (!reachable_outside(w, l))
        return;
    if (l->type.cls == IR_TYPE_INT && l->type.int_bits == 8) {
        clobber_outside(w, site); /* char may alias anything (C 6.5p7) */
        return;
    }
    clobber_ctx cc = {w, site, l->akey, 0, loc, false};
    bool is_field = l->field_decl && l->field[0] != '[';
    /* A field's write may be any cell of its scalar class; a scalar's
       write may be any field of its type. */
    cc.class_b =
        is_field ? class_id(w, arena_printf(w->scratch, "S:%s",
                                            type_class(w, &l->type, l->record)))
                 : l->wide;
    mark(w, mark_key(cc.class_a, MARK_CLASS), site);
    mark(w, mark_key(cc.class_b, MARK_CLASS), site);
    pmap outside = w->st.outside;
    pmap_each(outside, clobber_present, &cc);
}

/* Every cell below LOC other than those below KEEP becomes unknown (a
   union's members share their storage). */
static void clobber_subtree(walk *w, loc_id loc, loc_id keep,
                            const ir_node *site)
{
    if (loc == keep)
        return;
    mark(w, mark_key(loc, MARK_LOC), site);
    for (loc_id c = loc_get(w, loc)->first_child; c;
         c = loc_get(w, c)->next_sibling)
        clobber_subtree(w, c, keep, site);
    if (pmap_get(w->st.cells, loc))
        cell_set(w, loc, aval_unknown(w, site, loc, &loc_get(w, loc)->type));
}

/* Whether an integer of type A, read back as type B, is the same bits:
   two integer members of one union, neither a bit-field, of one width
   (int and unsigned: the value converted as C converts, modulo 2^N). */
static bool same_bits(const location *a, const location *b)
{
    return a->type.cls == IR_TYPE_INT && b->type.cls == IR_TYPE_INT &&
           a->type.int_bits && a->type.int_bits == b->type.int_bits &&
           !(a->field_decl && a->field_decl->bit_width) &&
           !(b->field_decl && b->field_decl->bit_width);
}

/* A write of V to a union member: its siblings' cells are unknown now,
   but for an integer sibling of the same width written strongly, which
   holds V reinterpreted (u.u = 64 makes u.i 64). */
static void clobber_union_siblings(walk *w, loc_id loc, const aval *v,
                                   bool exact, const ir_node *site)
{
    for (loc_id at = loc; loc_get(w, at)->parent; at = loc_get(w, at)->parent) {
        const location *p = loc_get(w, loc_get(w, at)->parent);
        if (!p->record || !p->record->is_union)
            continue;
        for (loc_id c = p->first_child; c; c = loc_get(w, c)->next_sibling) {
            if (c == at)
                continue;
            const location *l = loc_get(w, at), *sib = loc_get(w, c);
            if (exact && at == loc && same_bits(l, sib))
                cell_set(w, c, int_convert(w, v, &l->type, &sib->type, site));
            else
                clobber_subtree(w, c, 0, site);
        }
    }
}

void cell_replace(walk *w, loc_id loc, const aval *v)
{
    cell_set(w, loc, v);
}

/* LOC was written: the summary's writes (collect.c) are read from these
   at the end of the walk.  Floats are not tracked, so not recorded. */
static void record_write(walk *w, loc_id loc)
{
    if (loc == w->locs->unknown) {
        w->wrote_anywhere = true;
        return;
    }
    location *l = &w->locs->items[loc];
    if (l->written || l->type.cls == IR_TYPE_FLOAT)
        return;
    l->written = true;
    if (w->n_written == w->cap_written) {
        w->cap_written = w->cap_written ? 2 * w->cap_written : 16;
        loc_id *v = arena_array(w->scratch, w->cap_written, sizeof *v);
        if (w->n_written)
            memcpy(v, w->written, w->n_written * sizeof *v);
        w->written = v;
    }
    w->written[w->n_written++] = loc;
}

void cell_write(walk *w, loc_id loc, const aval *v, bool strong,
                const ir_node *site)
{
    const location *l = loc_get(w, loc);
    if (l->type.cls == IR_TYPE_FLOAT)
        return; /* no integer or pointer is a float (C 6.5p7) */
    if (loc == w->locs->unknown) {
        clobber_anywhere(w, &l->type, site);
        return;
    }
    record_write(w, loc);
    bool exact = strong && !l->weak;
    if (!exact)
        v = aval_join(w, cell_read(w, loc), v, site, loc);
    clobber_aliases(w, loc, site);
    clobber_union_siblings(w, loc, v, exact, site);
    cell_set(w, loc, v);
}

void clobber_anywhere(walk *w, const ir_type *t, const ir_node *site)
{
    w->wrote_anywhere = true;
    if (t->cls == IR_TYPE_FLOAT)
        return; /* no tracked cell is a float */
    if (t->cls != IR_TYPE_INT && t->cls != IR_TYPE_POINTER) {
        clobber_outside(w, site);
        return;
    }
    location probe = {.type = *t};
    probe.record = record_of(t);
    if (t->cls == IR_TYPE_INT && t->int_bits == 8) {
        clobber_outside(w, site);
        return;
    }
    clobber_ctx cc = {w, site, type_wide_class(w, &probe), 0, 0, false};
    cc.class_b = class_id(
        w, arena_printf(w->scratch, "S:%s", type_class(w, t, probe.record)));
    mark(w, mark_key(cc.class_a, MARK_CLASS), site);
    mark(w, mark_key(cc.class_b, MARK_CLASS), site);
    pmap outside = w->st.outside;
    pmap_each(outside, clobber_present, &cc);
}

void clobber_outside(walk *w, const ir_node *site)
{
    mark(w, MARK_ALL, site);
    clobber_ctx cc = {w, site, 0, 0, 0, true};
    pmap outside = w->st.outside;
    pmap_each(outside, clobber_present, &cc);
}

/* ---- Deep clobbers and escapes ------------------------------------------ */

void escape_stored(walk *w, loc_id where, loc_id obj)
{
    const location *l = loc_get(w, where);
    bool escaped = is_escaped(w, where);
    if (!l->external && !escaped)
        return; /* the walk's own memory */
    w->into_caller = l->from_caller && !escaped;
    escape_deep(w, obj);
    w->into_caller = false;
}

bool escaped_only_into_caller(walk *w, loc_id loc)
{
    for (; loc; loc = loc_get(w, loc)->parent)
        if (pmap_get(w->escaped_elsewhere, loc))
            return false;
    return true;
}

typedef struct deep_ctx {
    walk *w;
    loc_id seen[DEEP_MAX];
    uint32_t n;
    bool overflow;
} deep_ctx;

static bool deep_visit(deep_ctx *d, loc_id obj)
{
    for (uint32_t i = 0; i < d->n; i++)
        if (d->seen[i] == obj)
            return false;
    if (d->n == DEEP_MAX) {
        d->overflow = true;
        return false;
    }
    d->seen[d->n++] = obj;
    return true;
}

/* The objects LOC's pointer cells (present, or their entry targets) may
   point to, visited in turn by FN. */
static void pointees(deep_ctx *d, loc_id loc, void (*fn)(deep_ctx *, loc_id))
{
    walk *w = d->w;
    const location *l = loc_get(w, loc);
    for (loc_id c = l->first_child; c; c = loc_get(w, c)->next_sibling)
        pointees(d, c, fn);
    if (l->type.cls != IR_TYPE_POINTER)
        return;
    const aval *v = pmap_get(w->st.cells, loc);
    if (!v) { /* its entry target, if anything made one */
        loc_key k = {OBJ_ENTRY, loc, NULL};
        loc_id e = table_find(w, &k);
        if (e && l->entry_valued)
            fn(d, e);
        return;
    }
    if (!v->pts || v->pts->unknown)
        d->overflow = true;
    for (uint32_t i = 0; v->pts && i < v->pts->n; i++)
        fn(d, v->pts->targets[i]);
}

/* Collects LOC (an object, or the member a pointer points to: only that
   part) and everything its pointers may reach. */
static void deep_collect(deep_ctx *d, loc_id obj)
{
    if (deep_visit(d, obj))
        pointees(d, obj, deep_collect);
}

void clobber_deep(walk *w, loc_id obj, const ir_node *site)
{
    deep_ctx d = {.w = w};
    deep_collect(&d, obj);
    for (uint32_t i = 0; i < d.n; i++) {
        record_write(w, d.seen[i]);
        if (d.seen[i] == w->locs->unknown)
            d.overflow = true;
        else
            clobber_subtree(w, d.seen[i], 0, site);
    }
    if (d.overflow) /* reaches memory we cannot name: anything outside */
        clobber_outside(w, site);
}

bool loc_private(walk *w, loc_id loc, bool *from_caller)
{
    deep_ctx d = {.w = w};
    deep_collect(&d, loc);
    if (d.overflow)
        return false;
    for (uint32_t i = 0; i < d.n; i++) {
        const location *l = loc_get(w, d.seen[i]);
        /* Memory stored only in the caller's is as private as that. */
        bool via_caller =
            is_escaped(w, d.seen[i]) && escaped_only_into_caller(w, d.seen[i]);
        if ((is_escaped(w, d.seen[i]) && !via_caller) ||
            (l->external && !l->from_caller))
            return false;
        *from_caller = *from_caller || l->from_caller || via_caller;
    }
    return true;
}

/* Adds the present cells below LOC to the cells others can reach. */
static void publish_cells(walk *w, loc_id loc)
{
    if (pmap_get(w->st.cells, loc))
        w->st.outside = pmap_set(w->scratch, w->st.outside, loc,
                                 (const void *)(uintptr_t)loc);
    for (loc_id c = loc_get(w, loc)->first_child; c;
         c = loc_get(w, c)->next_sibling)
        publish_cells(w, c);
}

void escape_deep(walk *w, loc_id obj)
{
    deep_ctx d = {.w = w};
    deep_collect(&d, obj);
    for (uint32_t i = 0; i < d.n; i++) {
        const location *l = loc_get(w, d.seen[i]);
        if (!w->into_caller) /* (over the whole walk: never too few) */
            w->escaped_elsewhere = pmap_set(w->scratch, w->escaped_elsewhere,
                                            d.seen[i], &escaped_marker);
        if (l->external || is_escaped(w, d.seen[i]))
            continue;
        mark(w, mark_key(d.seen[i], MARK_ESCAPED), &escaped_marker);
        publish_cells(w, d.seen[i]);
    }
}

/* ---- States ------------------------------------------------------------- */

state state_copy(const state *s)
{
    return *s;
}

typedef struct join_ctx {
    walk *w;
    const state *a, *b;
    const ir_node *site;
} join_ctx;

static const void *join_cell(void *ud, uint32_t key, const void *x,
                             const void *y)
{
    join_ctx *j = ud;
    walk_step(j->w); /* joins are work too (a struct of 200 fields) */
    const aval *a = x ? x : cell_initial(j->w, j->a, key);
    const aval *b = y ? y : cell_initial(j->w, j->b, key);
    return aval_join(j->w, a, b, j->site, key);
}

static const void *join_mark(void *ud, uint32_t key, const void *x,
                             const void *y)
{
    join_ctx *j = ud;
    if ((key - MARK_BASE) % MARK_KINDS == MARK_ESCAPED && key >= MARK_BASE)
        return &escaped_marker;
    (void)x, (void)y;
    return j->site; /* clobbered on some path, at different sites */
}

static const void *join_outside(void *ud, uint32_t key, const void *x,
                                const void *y)
{
    (void)ud;
    (void)y;
    return x ? x : (const void *)(uintptr_t)key;
}

state state_join(walk *w, const state *a, const state *b, const ir_node *site)
{
    if (a->dead)
        return *b;
    if (b->dead)
        return *a;
    join_ctx j = {w, a, b, site};
    state r = {0};
    r.cells = pmap_join(w->scratch, a->cells, b->cells, join_cell, &j);
    r.marks = pmap_join(w->scratch, a->marks, b->marks, join_mark, &j);
    r.outside = pmap_join(w->scratch, a->outside, b->outside, join_outside, &j);
    return r;
}

typedef struct eq_ctx {
    walk *w;
    const state *a, *b;
} eq_ctx;

static bool same_cell(void *ud, uint32_t key, const void *x, const void *y)
{
    eq_ctx *e = ud;
    const aval *a = x ? x : cell_initial(e->w, e->a, key);
    const aval *b = y ? y : cell_initial(e->w, e->b, key);
    return aval_equal(a, b);
}

static bool same_mark(void *ud, uint32_t key, const void *x, const void *y)
{
    (void)ud, (void)key;
    return x == y;
}

bool state_equal(walk *w, const state *a, const state *b)
{
    if (a->dead || b->dead)
        return a->dead == b->dead;
    eq_ctx e = {w, a, b};
    return pmap_diff(a->marks, b->marks, same_mark, &e) &&
           pmap_diff(a->cells, b->cells, same_cell, &e);
}

state state_top(walk *w, const ir_node *site)
{
    state s = {0};
    s.cells = s.outside = pmap_empty();
    s.marks = pmap_set(w->scratch, pmap_empty(), MARK_TOP, site);
    return s;
}
