/*
 * frontend_decl.c - declarations: types, annotations, records and their
 * fields, enum constants, variables, parameters and functions.  A
 * declaration holds expressions (a variable-length array's sizes, an
 * initialiser): those go through fe_state.expr (frontend_expr.c), so
 * that this file calls nothing above it.
 */
#include "frontend_internal.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

/* ---- Types ----------------------------------------------------------- */

/* Whether K is one of the four array type kinds. */
static bool is_array_kind(enum CXTypeKind k)
{
    return k == CXType_ConstantArray || k == CXType_IncompleteArray ||
           k == CXType_VariableArray || k == CXType_DependentSizedArray;
}

/* The shape-relevant class of a canonical type kind. */
static ir_type_class class_of(enum CXTypeKind k)
{
    switch (k) {
    case CXType_Bool:
    case CXType_Char_U:
    case CXType_UChar:
    case CXType_Char16:
    case CXType_Char32:
    case CXType_UShort:
    case CXType_UInt:
    case CXType_ULong:
    case CXType_ULongLong:
    case CXType_UInt128:
    case CXType_Char_S:
    case CXType_SChar:
    case CXType_WChar:
    case CXType_Short:
    case CXType_Int:
    case CXType_Long:
    case CXType_LongLong:
    case CXType_Int128:
    case CXType_Enum:
        return IR_TYPE_INT;
    case CXType_Float:
    case CXType_Double:
    case CXType_LongDouble:
    case CXType_Half:
    case CXType_Float16:
    case CXType_Float128:
    case CXType_BFloat16:
        return IR_TYPE_FLOAT;
    case CXType_Pointer:
        return IR_TYPE_POINTER;
    case CXType_ConstantArray:
    case CXType_IncompleteArray:
    case CXType_VariableArray:
    case CXType_DependentSizedArray:
        return IR_TYPE_ARRAY;
    case CXType_Record:
        return IR_TYPE_RECORD;
    default:
        return IR_TYPE_OTHER;
    }
}

/* Whether canonical integer type kind K is signed (plain char is, on the
   targets that define it so: clang says Char_S). */
static bool signed_kind(enum CXTypeKind k)
{
    switch (k) {
    case CXType_Char_S:
    case CXType_SChar:
    case CXType_WChar:
    case CXType_Short:
    case CXType_Int:
    case CXType_Long:
    case CXType_LongLong:
    case CXType_Int128:
        return true;
    default:
        return false;
    }
}

/* The width and signedness of canonical integer type C into OUT: the
   target's sizes (clang_Type_getSizeOf, remembered per kind), an enum by
   its underlying type, _Bool as 1 bit. */
static void int_facts(fe_state *st, CXType c, ir_type *out)
{
    if (c.kind == CXType_Enum) {
        CXCursor decl = clang_getTypeDeclaration(c);
        c = clang_getCanonicalType(clang_getEnumDeclIntegerType(decl));
        if (c.kind == CXType_Enum || class_of(c.kind) != IR_TYPE_INT)
            return;
    }
    if (c.kind == CXType_Bool) {
        out->int_bits = 1;
        out->int_signed = false;
        return;
    }
    uint8_t bits = 0;
    if ((unsigned)c.kind < sizeof st->int_bits)
        bits = st->int_bits[c.kind];
    if (!bits) {
        long long size = clang_Type_getSizeOf(c);
        bits = size > 0 && size <= 16 ? (uint8_t)(size * 8) : 0;
        if ((unsigned)c.kind < sizeof st->int_bits)
            st->int_bits[c.kind] = bits;
    }
    out->int_bits = bits;
    out->int_signed = signed_kind(c.kind);
}

/* The size in bytes of one element of canonical pointer or array type C:
   what the pointer points to, an array's innermost element; 0 when not
   known (void, incomplete, variable size).  Sizes of builtin types are
   remembered per kind. */
static uint32_t elem_bytes(fe_state *st, CXType c)
{
    CXType e = clang_getCanonicalType(clang_getPointeeType(c));
    if (c.kind != CXType_Pointer)
        for (e = c; is_array_kind(e.kind);)
            e = clang_getCanonicalType(clang_getArrayElementType(e));
    bool builtin = (unsigned)e.kind < sizeof st->builtin_bytes;
    if (builtin && st->builtin_bytes[e.kind])
        return st->builtin_bytes[e.kind] - 1;
    long long size = clang_Type_getSizeOf(e);
    uint32_t bytes = size > 0 && size <= UINT32_MAX ? (uint32_t)size : 0;
    if (builtin && bytes < 255)
        st->builtin_bytes[e.kind] = (uint8_t)(bytes + 1);
    return bytes;
}

/* VALUE in decimal, in the TU's arena (printf is slow for this many). */
static const char *decimal(fe_state *st, int64_t value)
{
    char buf[24], *p = buf + sizeof buf;
    uint64_t u = value < 0 ? 0 - (uint64_t)value : (uint64_t)value;
    *--p = '\0';
    do
        *--p = (char)('0' + u % 10);
    while (u /= 10);
    if (value < 0)
        *--p = '-';
    return arena_strndup(st->a, p, (size_t)(buf + sizeof buf - 1 - p));
}

ir_node *fe_int_node(fe_state *st, int64_t value, sc_loc loc)
{
    ir_node *n = arena_alloc(st->a, sizeof *n);
    n->kind = IR_INT;
    n->value = value;
    n->loc = loc;
    n->text = decimal(st, value);
    n->type.cls = IR_TYPE_INT;
    n->type.int_bits = 64; /* an array size: size_t (LP64) */
    return n;
}

/* One entry per array level of canonical type C: constant sizes as IR_INT
   nodes, NULL for the others (a VLA's size is filled in by the caller
   that has the declaration). */
static void array_dims(fe_state *st, CXType c, ir_type *out)
{
    uint32_t rank = 0;
    for (CXType e = c; is_array_kind(e.kind); e = clang_getArrayElementType(e))
        rank++;
    out->array_rank = rank;
    out->array_dims = arena_array(st->a, rank, sizeof *out->array_dims);
    uint32_t i = 0;
    for (CXType e = c; is_array_kind(e.kind);
         e = clang_getArrayElementType(e), i++)
        if (e.kind == CXType_ConstantArray)
            out->array_dims[i] =
                fe_int_node(st, clang_getArraySize(e), (sc_loc){NULL, 0, 0});
}

void fe_type(fe_state *st, CXType t, ir_type *out)
{
    memset(out, 0, sizeof *out);
    CXType c = clang_getCanonicalType(t);
    out->cls = class_of(c.kind);
    out->is_const_qualified = clang_isConstQualifiedType(c) != 0;
    if (c.kind == CXType_Pointer)
        out->pointee_const =
            clang_isConstQualifiedType(clang_getPointeeType(c)) != 0;
    if (out->cls == IR_TYPE_ARRAY)
        array_dims(st, c, out);
    else if (out->cls == IR_TYPE_INT)
        int_facts(st, c, out);
    CXType e = c;
    for (;;) {
        if (e.kind == CXType_Pointer) {
            out->pointer_depth++;
            e = clang_getCanonicalType(clang_getPointeeType(e));
        } else if (is_array_kind(e.kind)) {
            e = clang_getCanonicalType(clang_getArrayElementType(e));
        } else {
            break;
        }
    }
    if (out->cls == IR_TYPE_POINTER || out->cls == IR_TYPE_ARRAY) {
        out->elem_cls = class_of(e.kind);
        out->elem_bytes = elem_bytes(st, c);
    }
    if (e.kind == CXType_Record) {
        CXCursor d = clang_getTypeDeclaration(e);
        if (!clang_Cursor_isNull(d))
            out->record = fe_record(st, d);
    }
}

/* Fills the entries of TYPE (declared as T) from the declaration's size
   expressions st->cursors.v[base, base + n): a VLA level gets its size
   expression, a constant level keeps its value but takes the text as
   written ("BATCH", not "32") for messages.  libclang visits the array
   levels' sizes innermost first, after any other expression in the type,
   so the outermost level's size is the last one. */
static void array_size_exprs(fe_state *st, CXType t, ir_type *type, size_t base,
                             size_t n)
{
    size_t sized = 0, level = 0;
    for (CXType e = t; is_array_kind(e.kind) && level < type->array_rank;
         e = clang_getArrayElementType(e), level++)
        if (e.kind != CXType_IncompleteArray)
            sized++;
    if (sized > n)
        return;
    size_t j = 0;
    level = 0;
    for (CXType e = t; is_array_kind(e.kind) && level < type->array_rank;
         e = clang_getArrayElementType(e), level++) {
        if (e.kind == CXType_IncompleteArray)
            continue;
        CXCursor size = st->cursors.v[base + n - 1 - j];
        if (e.kind == CXType_VariableArray) {
            type->array_dims[level] = st->expr(st, size);
        } else if (e.kind == CXType_ConstantArray && type->array_dims[level]) {
            ir_node *written = st->expr(st, size);
            if (written->kind == IR_INT &&
                written->value == type->array_dims[level]->value) {
                type->array_dims[level] = written;
                /* Macros it names are traced in notes, as in annotations. */
                fe_vec_push(&st->ann_texts, (void *)written->text);
            }
        }
        j++;
    }
}

/* ---- Annotations ----------------------------------------------------- */

/* Splits annotate string S ("shapecheck:KIND:TEXT") into *KIND and *TEXT
   (pointing into S); false for other annotations. */
static bool parse_annotation(const char *s, ir_ann_kind *kind,
                             const char **text)
{
    static const struct {
        const char *prefix;
        ir_ann_kind kind;
    } kinds[] = {
        {"shapecheck:shape:", IR_ANN_SHAPE},
        {"shapecheck:returns:", IR_ANN_RETURNS},
        {"shapecheck:loss:", IR_ANN_LOSS},
    };
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        size_t n = strlen(kinds[i].prefix);
        if (strncmp(s, kinds[i].prefix, n) == 0) {
            *kind = kinds[i].kind;
            *text = s + n;
            return true;
        }
    }
    return false;
}

/* The shapecheck annotations among st->cursors.v[base, end), the children
   of DECL.  An annotation is inherited when clang copied it from an earlier
   declaration: it was written before DECL starts, or in another file. */
static void read_annotations(fe_state *st, CXCursor decl, size_t base,
                             size_t end, ir_annotation **out, uint32_t *n_out)
{
    size_t n = 0;
    for (size_t i = base; i < end; i++)
        if (clang_getCursorKind(st->cursors.v[i]) == CXCursor_AnnotateAttr)
            n++;
    *out = NULL;
    *n_out = 0;
    if (n == 0)
        return;
    /* Where DECL's name is, and (only when an annotation comes before it:
       it is written before the type, or inherited) where DECL starts. */
    unsigned name_off, decl_off = 0;
    CXFile name_file =
        expansion_offset(clang_getCursorLocation(decl), &name_off);
    CXFile decl_file = NULL;
    bool have_start = false;
    ir_annotation *anns = arena_array(st->a, n, sizeof *anns);
    uint32_t k = 0;
    for (size_t i = base; i < end; i++) {
        CXCursor attr = st->cursors.v[i];
        if (clang_getCursorKind(attr) != CXCursor_AnnotateAttr)
            continue;
        CXString s = clang_getCursorSpelling(attr);
        const char *spelling = clang_getCString(s), *text;
        ir_ann_kind kind;
        if (spelling && parse_annotation(spelling, &kind, &text)) {
            ir_annotation *a = &anns[k++];
            a->kind = kind;
            a->text = arena_strdup(st->a, text);
            CXFile file;
            unsigned off;
            a->loc = fe_loc_at(st, clang_getCursorLocation(attr), &file, &off);
            /* The start of a declaration comes before its name in the
               file: an annotation after the name is its own. */
            if (file == name_file && off >= name_off) {
                a->inherited = false;
            } else {
                if (!have_start) {
                    decl_file = expansion_offset(
                        clang_getRangeStart(clang_getCursorExtent(decl)),
                        &decl_off);
                    have_start = true;
                }
                a->inherited = file != decl_file || off < decl_off;
            }
            fe_vec_push(&st->ann_texts, (void *)a->text);
            ann_entry *e = arena_alloc(st->scratch, sizeof *e);
            e->ann = a;
            e->file = file;
            e->offset = off;
            fe_vec_push(&st->anns, e);
        }
        clang_disposeString(s);
    }
    if (k) {
        *out = anns;
        *n_out = k;
    }
}

/* Annotations of DECL, visiting its children only when it has attributes. */
static void decl_annotations(fe_state *st, CXCursor decl, ir_annotation **out,
                             uint32_t *n)
{
    *out = NULL;
    *n = 0;
    if (!clang_Cursor_hasAttrs(decl))
        return;
    size_t base = fe_push_children(st, decl);
    read_annotations(st, decl, base, st->cursors.n, out, n);
    st->cursors.n = base;
}

typedef struct attr_probe {
    bool found;
} attr_probe;

/* Visitor for has_shape_attr(): DATA is its attr_probe. */
static enum CXChildVisitResult probe_attr(CXCursor c, CXCursor parent,
                                          CXClientData data)
{
    (void)parent;
    attr_probe *probe = data;
    enum CXCursorKind k = clang_getCursorKind(c);
    if (!clang_isAttribute(k))
        return CXChildVisit_Break; /* attributes come first */
    if (k == CXCursor_AnnotateAttr) {
        CXString s = clang_getCursorSpelling(c);
        const char *spelling = clang_getCString(s);
        if (spelling && strncmp(spelling, "shapecheck:", 11) == 0)
            probe->found = true;
        clang_disposeString(s);
        if (probe->found)
            return CXChildVisit_Break;
    }
    return CXChildVisit_Continue;
}

/* Whether DECL carries a shapecheck annotation, own or inherited; cheap
   for the many header declarations that have none. */
bool has_shape_attr(CXCursor decl)
{
    if (!clang_Cursor_hasAttrs(decl))
        return false;
    attr_probe probe = {false};
    clang_visitChildren(decl, probe_attr, &probe);
    return probe.found;
}

/* ---- Records, fields, enum constants --------------------------------- */

typedef struct pending_record {
    ir_record *record;
    CXCursor def;
} pending_record;

/* The tag of struct or union DEF, its typedef name when it has no tag, or
   "" (in the TU's arena). */
static const char *record_name(fe_state *st, CXCursor def)
{
    CXString s = clang_getCursorSpelling(def);
    const char *name = clang_getCString(s);
    if (name && *name && !strchr(name, '(') && !strchr(name, ' '))
        return take_string(st->a, s);
    clang_disposeString(s);
    /* An anonymous struct named by a typedef spells as the typedef. */
    s = clang_getTypeSpelling(clang_getCursorType(def));
    name = clang_getCString(s);
    if (name && *name && !strchr(name, '(') && !strchr(name, ' '))
        return take_string(st->a, s);
    clang_disposeString(s);
    return st->empty;
}

/* The record for any declaration of a struct or union, created on first
   use (its fields are read later, by drain_records); NULL when the TU has
   no definition of it. */
ir_record *fe_record(fe_state *st, CXCursor decl)
{
    CXCursor def = clang_getCursorDefinition(decl);
    if (clang_Cursor_isNull(def))
        return NULL;
    ir_record *r = fe_map_get_cursor(&st->records, def);
    if (r)
        return r;
    r = arena_alloc(st->a, sizeof *r);
    r->name = record_name(st, def);
    r->is_union = clang_getCursorKind(def) == CXCursor_UnionDecl;
    r->loc = fe_cursor_loc(st, def);
    fe_map_put_cursor(&st->records, def, r);
    fe_vec_push(&st->record_list, r);
    pending_record *p = arena_alloc(st->scratch, sizeof *p);
    p->record = r;
    p->def = def;
    fe_vec_push(&st->pending_records, p);
    return r;
}

/* A new declaration of KIND with C's name and location; not registered. */
static ir_decl *new_decl(fe_state *st, ir_decl_kind kind, CXCursor c)
{
    ir_decl *d = arena_alloc(st->a, sizeof *d);
    d->kind = kind;
    d->name = take_string(st->a, clang_getCursorSpelling(c));
    d->loc = fe_cursor_loc(st, c);
    return d;
}

/* The field declared by C, registered under C. */
static ir_decl *new_field(fe_state *st, CXCursor c, const ir_record *parent)
{
    ir_decl *d = new_decl(st, IR_DECL_FIELD, c);
    d->parent = parent;
    fe_map_put_cursor(&st->decls, c, d);
    fe_type(st, clang_getCursorType(c), &d->type);
    if (clang_Cursor_isBitField(c)) {
        int width = clang_getFieldDeclBitWidth(c);
        d->bit_width = width > 0 && width <= 255 ? (uint8_t)width : 0;
    }
    decl_annotations(st, c, &d->annotations, &d->n_annotations);
    return d;
}

/* The enum constant declared by C, created (and listed) on first use. */
static ir_decl *fe_enum_const(fe_state *st, CXCursor c)
{
    ir_decl *d = fe_map_get_cursor(&st->decls, c);
    if (d)
        return d;
    d = new_decl(st, IR_DECL_ENUM, c);
    fe_map_put_cursor(&st->decls, c, d);
    d->type.cls = IR_TYPE_INT;
    /* the enum's underlying type (C gives the constant itself int, which
       it always fits in) */
    int_facts(st, clang_getCanonicalType(clang_getCursorType(c)), &d->type);
    d->has_value = true;
    d->value = clang_getEnumConstantDeclValue(c);
    fe_vec_push(&st->enums, d);
    return d;
}

/* Lists the constants of enum declaration E. */
void fe_enum_decl(fe_state *st, CXCursor e)
{
    size_t base = fe_push_children(st, e), end = st->cursors.n;
    for (size_t i = base; i < end; i++)
        if (clang_getCursorKind(st->cursors.v[i]) == CXCursor_EnumConstantDecl)
            fe_enum_const(st, st->cursors.v[i]);
    st->cursors.n = base;
}

typedef struct fields_ctx {
    fe_state *st;
    ir_record *r;
} fields_ctx;

/* Visitor for fill_fields(): a field of the record, in order; the members
   that anonymous structs and unions are (implicit, unnamed) included,
   unnamed bit-fields (padding) left out. */
static enum CXVisitorResult field_visit(CXCursor c, CXClientData data)
{
    fields_ctx *ctx = data;
    fe_state *st = ctx->st;
    if (clang_Cursor_isBitField(c)) {
        CXString s = clang_getCursorSpelling(c);
        const char *name = clang_getCString(s);
        bool unnamed = !name || !*name;
        clang_disposeString(s);
        if (unnamed)
            return CXVisit_Continue;
    }
    ir_decl *d = fe_map_get_cursor(&st->decls, c);
    fe_vec_push(&st->field_tmp, d ? d : new_field(st, c, ctx->r));
    return CXVisit_Continue;
}

/* Reads the fields of R from its definition DEF (through its type, which
   lists the members anonymous structs and unions are); nested struct,
   union and enum definitions are recorded too. */
static void fill_fields(fe_state *st, ir_record *r, CXCursor def)
{
    size_t from = st->field_tmp.n;
    fields_ctx ctx = {st, r};
    clang_Type_visitFields(clang_getCursorType(def), field_visit, &ctx);
    size_t base = fe_push_children(st, def), end = st->cursors.n;
    for (size_t i = base; i < end; i++) {
        CXCursor c = st->cursors.v[i];
        switch (clang_getCursorKind(c)) {
        case CXCursor_StructDecl:
        case CXCursor_UnionDecl:
            fe_record(st, c); /* a nested definition */
            break;
        case CXCursor_EnumDecl:
            fe_enum_decl(st, c);
            break;
        default:
            break;
        }
    }
    st->cursors.n = base;
    r->fields = fe_vec_to_arena(st->a, &st->field_tmp, from, &r->n_fields);
    st->field_tmp.n = from;
}

/* Reads the fields of every record created so far.  A worklist rather than
   recursion: records that point to each other are common. */
void drain_records(fe_state *st)
{
    while (st->pending_records.n) {
        pending_record *p = st->pending_records.v[--st->pending_records.n];
        fill_fields(st, p->record, p->def);
    }
}

/* The ir_decl of field C, reading its record first if need be. */
static ir_decl *fe_field(fe_state *st, CXCursor c)
{
    ir_decl *d = fe_map_get_cursor(&st->decls, c);
    if (d)
        return d;
    ir_record *r = fe_record(st, clang_getCursorSemanticParent(c));
    drain_records(st);
    d = fe_map_get_cursor(&st->decls, c);
    if (d)
        return d;
    /* An implicit field (an anonymous struct or union member). */
    return new_field(st, c, r);
}

/* ---- Variables and parameters ----------------------------------------- */

/* Fills D from variable declaration VAR.  CONVERT: also convert the
   initialiser and VLA sizes to IR (definitions in the main file). */
static void fill_var(fe_state *st, ir_decl *d, CXCursor var, bool convert)
{
    d->name = take_string(st->a, clang_getCursorSpelling(var));
    d->loc = fe_cursor_loc(st, var);
    /* "static" on any declaration of a global gives it internal linkage */
    if (clang_Cursor_getStorageClass(var) == CX_SC_Static)
        d->is_static = true;
    CXType t = clang_getCursorType(var);
    fe_type(st, t, &d->type);
    CXCursor init = clang_Cursor_getVarDeclInitializer(var);
    bool has_init = !clang_Cursor_isNull(init);
    bool sized = convert && d->type.cls == IR_TYPE_ARRAY;
    if (clang_Cursor_hasAttrs(var) || sized || (convert && has_init)) {
        size_t base = fe_push_children(st, var), end = st->cursors.n;
        ir_annotation *anns;
        uint32_t n_anns;
        read_annotations(st, var, base, end, &anns, &n_anns);
        if (n_anns) { /* a redeclaration without any keeps the old ones */
            d->annotations = anns;
            d->n_annotations = n_anns;
        }
        size_t n = 0; /* compact the expression children to [base, +n) */
        for (size_t i = base; i < end; i++)
            if (clang_isExpression(clang_getCursorKind(st->cursors.v[i])))
                st->cursors.v[base + n++] = st->cursors.v[i];
        size_t sizes = has_init && n ? n - 1 : n;
        if (sized)
            array_size_exprs(st, t, &d->type, base, sizes);
        if (convert && has_init && n) {
            CXCursor e = st->cursors.v[base + n - 1];
            d->init = st->expr(st, e);
        }
        st->cursors.n = base;
    }
    int64_t value;
    if (d->type.cls == IR_TYPE_INT && d->type.is_const_qualified && has_init &&
        fe_eval_int(var, &value)) {
        d->has_value = true;
        d->value = value;
    }
}

/* The ir_decl of a file-scope variable, one for all its declarations
   (keyed by the first).  A redeclaration refreshes the facts: it carries
   the completed type and the annotations of the earlier ones. */
ir_decl *fe_global(fe_state *st, CXCursor var, bool in_main)
{
    CXCursor canon = clang_getCanonicalCursor(var);
    ir_decl *d = fe_map_get_cursor(&st->decls, canon);
    if (!d) {
        d = arena_alloc(st->a, sizeof *d);
        d->kind = IR_DECL_GLOBAL;
        fe_map_put_cursor(&st->decls, canon, d);
        fe_vec_push(&st->globals, d);
    }
    fill_var(st, d, var, in_main);
    return d;
}

ir_decl *fe_local(fe_state *st, CXCursor var)
{
    if (clang_Cursor_hasVarDeclExternalStorage(var)) {
        fe_global(st, var, false);
        return NULL;
    }
    ir_decl *d = arena_alloc(st->a, sizeof *d);
    d->kind = IR_DECL_LOCAL;
    d->owner = st->cur_func;
    if (st->cur_func) {
        d->index = (uint32_t)st->locals.n;
        fe_vec_push(&st->locals, d);
    }
    /* Registered before its initialiser is converted: "int n = sizeof n". */
    fe_map_put_cursor(&st->decls, clang_getCanonicalCursor(var), d);
    fill_var(st, d, var, true);
    return d;
}

/* Parameter P, the INDEX-th of F (NULL when not known), registered. */
static ir_decl *fe_param(fe_state *st, CXCursor p, ir_func *f, uint32_t index)
{
    ir_decl *d = new_decl(st, IR_DECL_PARAM, p);
    d->owner = f;
    d->index = index;
    fe_map_put_cursor(&st->decls, p, d);
    fe_type(st, clang_getCursorType(p), &d->type);
    decl_annotations(st, p, &d->annotations, &d->n_annotations);
    return d;
}

ir_decl *fe_decl_for(fe_state *st, CXCursor decl)
{
    switch (clang_getCursorKind(decl)) {
    case CXCursor_VarDecl: {
        CXCursor canon = clang_getCanonicalCursor(decl);
        ir_decl *d = fe_map_get_cursor(&st->decls, canon);
        if (d)
            return d;
        enum CXCursorKind parent =
            clang_getCursorKind(clang_getCursorSemanticParent(canon));
        if (parent == CXCursor_TranslationUnit ||
            clang_Cursor_hasVarDeclExternalStorage(canon))
            return fe_global(st, canon, false);
        /* A local not seen yet (it should not happen): facts only. */
        d = new_decl(st, IR_DECL_LOCAL, canon);
        fe_map_put_cursor(&st->decls, canon, d);
        fe_type(st, clang_getCursorType(canon), &d->type);
        return d;
    }
    case CXCursor_ParmDecl: {
        ir_decl *d = fe_map_get_cursor(&st->decls, decl);
        return d ? d : fe_param(st, decl, NULL, 0);
    }
    case CXCursor_FieldDecl:
        return fe_field(st, decl);
    case CXCursor_EnumConstantDecl:
        return fe_enum_const(st, decl);
    default:
        return NULL;
    }
}

/* ---- Functions ------------------------------------------------------- */

/* The ir_func for declaration FN, created and listed on first use with
   its parameters and annotations (not its body).  TOP_LEVEL: made by the
   top-level traversal, not by a call. */
ir_func *create_func(fe_state *st, CXCursor fn, bool top_level)
{
    func_entry *e = fe_map_get_cursor(&st->funcs, fn);
    if (e)
        return e->func;
    ir_func *f = arena_alloc(st->a, sizeof *f);
    e = arena_alloc(st->scratch, sizeof *e);
    e->func = f;
    e->cursor = fn;
    e->order = ((uint64_t)st->top_index << 33) |
               ((uint64_t)(top_level ? 1 : 0) << 32) |
               (uint64_t)st->func_list.n;
    fe_map_put_cursor(&st->funcs, fn, e);
    fe_vec_push(&st->func_list, e);

    f->name = take_string(st->a, clang_getCursorSpelling(fn));
    f->key = take_string(st->a, clang_getCursorUSR(fn));
    f->loc = fe_cursor_loc(st, fn);
    f->is_definition = clang_isCursorDefinition(fn) != 0;
    f->is_static = clang_Cursor_getStorageClass(fn) == CX_SC_Static;
    f->in_system_header =
        clang_Location_isInSystemHeader(clang_getCursorLocation(fn)) != 0;
    CXType t = clang_getCanonicalType(clang_getCursorType(fn));
    f->has_prototype = t.kind == CXType_FunctionProto;
    /* libclang calls "int f()" variadic too; has_prototype says that */
    f->is_variadic = f->has_prototype && clang_isFunctionTypeVariadic(t) == 1;
    fe_type(st, clang_getResultType(t), &f->ret);
    int n = clang_Cursor_getNumArguments(fn);
    if (n > 0) {
        f->params = arena_array(st->a, (size_t)n, sizeof *f->params);
        for (int i = 0; i < n; i++)
            f->params[i] = fe_param(
                st, clang_Cursor_getArgument(fn, (unsigned)i), f, (uint32_t)i);
        f->n_params = (uint32_t)n;
    }
    decl_annotations(st, fn, &f->annotations, &f->n_annotations);
    return f;
}

ir_func *fe_func(fe_state *st, CXCursor fn)
{
    return create_func(st, fn, false);
}

/* Whether function declaration FN or one of its parameters carries a
   shapecheck annotation. */
bool func_is_annotated(CXCursor fn)
{
    if (has_shape_attr(fn))
        return true;
    int n = clang_Cursor_getNumArguments(fn);
    for (int i = 0; i < n; i++)
        if (has_shape_attr(clang_Cursor_getArgument(fn, (unsigned)i)))
            return true;
    return false;
}
