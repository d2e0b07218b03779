/*
 * frontend.c - parse one translation unit with libclang and extract its
 * facts (ir.h): the parse driver (command line, unknown options, compiler
 * diagnostics), the top-level traversal and deferred bodies.  Statements
 * and expressions are in frontend_expr.c, declarations in
 * frontend_decl.c, the source text and macros in frontend_source.c
 * (frontend_internal.h).
 *
 * Everything the IR points to is allocated in the TU's arena, never the
 * module's own data; the CXTranslationUnit is disposed of before a parse
 * returns.  These four files are the front-end module
 * (frontend_module.h): its one exported symbol is at the end of this one.
 */
#define _XOPEN_SOURCE 700 /* realpath */

#include "frontend_internal.h"
#include "frontend_module.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct frontend {
    CXIndex index;
    char *include_dir;
    char **force_includes;
    int n_force_includes;
    /* Options clang reported as unknown in some earlier parse: dropped
       from every later command before its first parse. */
    char **unknown;
    size_t n_unknown, cap_unknown;
    char *cwd; /* the process's, to show paths as the user gave them */
};

#define PARSE_OPTIONS                                                          \
    (CXTranslationUnit_DetailedPreprocessingRecord |                           \
     CXTranslationUnit_KeepGoing |                                             \
     CXTranslationUnit_IgnoreNonErrorsFromIncludedFiles)

/* ---- Deferred bodies ---------------------------------------------------
   A run that walks only the bodies that can report (engine/demand.c)
   needs of the others no more than whom they call.  Until the TU's first
   annotation, a body is scanned for that (cheap: one visit, no types, no
   places, no text) instead of converted; it is converted after all when
   it reads an annotated declaration or is nested deeper than the front
   end goes (so that its error is reported).  Later bodies are converted:
   an annotated unit is the one whose bodies are walked. */

typedef struct body_scan {
    fe_state *st;
    fe_vec calls;
    fe_vec globals; /* the file-scope variables it names (ir_decl) */
    unsigned depth;
    bool convert; /* the scan found a reason to convert the body */
} body_scan;

static bool reads_annotation(CXCursor c, enum CXCursorKind k)
{
    switch (k) {
    case CXCursor_VarDecl:
        return has_shape_attr(c);
    case CXCursor_DeclRefExpr:
    case CXCursor_MemberRefExpr:
        return has_shape_attr(clang_getCursorReferenced(c));
    default:
        return false;
    }
}

static enum CXChildVisitResult scan_body_child(CXCursor c, CXCursor parent,
                                               CXClientData data);

/* The arguments of call C by name: its callee is not a use of the
   function's address. */
static void scan_arguments(body_scan *b, CXCursor c)
{
    int n = clang_Cursor_getNumArguments(c);
    for (int i = 0; i < n && !b->convert; i++)
        scan_body_child(clang_Cursor_getArgument(c, (unsigned)i), c, b);
}

static enum CXChildVisitResult scan_body_child(CXCursor c, CXCursor parent,
                                               CXClientData data)
{
    (void)parent;
    body_scan *b = data;
    enum CXCursorKind k = clang_getCursorKind(c);
    if (reads_annotation(c, k) || b->depth + 1 >= FE_MAX_DEPTH) {
        b->convert = true;
        return CXChildVisit_Break;
    }
    ir_func *callee = k == CXCursor_CallExpr ? fe_callee(b->st, c) : NULL;
    if (callee)
        fe_vec_push(&b->calls, callee);
    if (k == CXCursor_DeclRefExpr) {
        CXCursor ref = clang_getCursorReferenced(c);
        ir_decl *g = clang_getCursorKind(ref) == CXCursor_VarDecl
                         ? fe_map_get_cursor(&b->st->decls,
                                             clang_getCanonicalCursor(ref))
                         : NULL;
        if (clang_getCursorKind(ref) == CXCursor_FunctionDecl)
            fe_func(b->st, ref)->address_taken = true;
        else if (g && g->kind == IR_DECL_GLOBAL)
            fe_vec_push(&b->globals, g);
    }
    b->depth++;
    if (callee && clang_getCursorKind(clang_getCursorReferenced(c)) ==
                      CXCursor_FunctionDecl)
        scan_arguments(b, c);
    else
        clang_visitChildren(c, scan_body_child, b);
    b->depth--;
    return b->convert ? CXChildVisit_Break : CXChildVisit_Continue;
}

/* Leaves BODY, F's, unconverted when the command says so and the scan
   finds no reason to convert it; returns whether it did. */
static bool defer_body(fe_state *st, ir_func *f, CXCursor body)
{
    if (!st->cmd || !st->cmd->defer_bodies || st->anns.n)
        return false;
    body_scan b = {.st = st};
    clang_visitChildren(body, scan_body_child, &b);
    /* A callee met first here was annotated: this body calls a function
       that gives shapes, so a walk needs it. */
    b.convert = b.convert || st->anns.n;
    if (!b.convert) {
        f->body_deferred = true;
        f->calls = fe_vec_to_arena(st->a, &b.calls, 0, &f->n_calls);
        /* What it does with them is not seen: as if their address were
           taken (engine/context.c's sealed globals). */
        for (size_t i = 0; i < b.globals.n; i++)
            ((ir_decl *)b.globals.v[i])->address_taken = true;
    }
    fe_vec_free(&b.calls);
    fe_vec_free(&b.globals);
    return !b.convert;
}

/* Converts the body of definition FN into F->body and F->locals. */
static void convert_body(fe_state *st, ir_func *f, CXCursor fn)
{
    size_t base = fe_push_children(st, fn), end = st->cursors.n;
    CXCursor body = clang_getNullCursor();
    for (size_t i = base; i < end; i++)
        if (clang_getCursorKind(st->cursors.v[i]) == CXCursor_CompoundStmt)
            body = st->cursors.v[i];
    st->cursors.n = base;
    if (clang_Cursor_isNull(body) || defer_body(st, f, body))
        return;
    st->cur_func = f;
    st->locals.n = 0;
    f->body = fe_stmt(st, body);
    f->locals = fe_vec_to_arena(st->a, &st->locals, 0, &f->n_locals);
    st->locals.n = 0;
    st->cur_func = NULL;
}

/* ---- Top-level traversal --------------------------------------------- */

/* Whether C is written in the main file (where macros are used, for a
   declaration that a macro expands to). */
static bool in_main_file(fe_state *st, CXCursor c)
{
    CXFile file;
    clang_getExpansionLocation(clang_getCursorLocation(c), &file, NULL, NULL,
                               NULL);
    return file && file == st->main_file;
}

/* C's offset in its expansion file. */
static unsigned offset_of(CXCursor c)
{
    unsigned offset = 0;
    clang_getExpansionLocation(clang_getCursorLocation(c), NULL, NULL, NULL,
                               &offset);
    return offset;
}

/* A static function first declared before the main file's last #include
   may be named by the header's code, which is not converted. */
static void mark_named_by_headers(fe_state *st, ir_func *f, CXCursor fn)
{
    CXCursor first = clang_getCanonicalCursor(fn);
    if (f->is_static &&
        (!in_main_file(st, first) || offset_of(first) < st->last_include))
        f->address_taken = true;
}

/* A file-scope variable's declaration.  A static one first declared
   outside the main file, or before its last #include, may be named by
   the headers' code, which is not converted: as if its address were
   taken (decided in finish_tu, when the last #include is known). */
static void top_global(fe_state *st, CXCursor var)
{
    bool first = !fe_map_get_cursor(&st->decls, clang_getCanonicalCursor(var));
    ir_decl *d = fe_global(st, var, in_main_file(st, var));
    if (!first || !d->is_static)
        return;
    if (!in_main_file(st, var)) {
        d->address_taken = true;
        return;
    }
    fe_first_decl *at = arena_alloc(st->a, sizeof *at);
    *at = (fe_first_decl){d, offset_of(var)};
    fe_vec_push(&st->static_globals, at);
}

/* A top-level function declaration: kept when annotated, or when it is a
   definition in the main file (then with its body). */
static void top_function(fe_state *st, CXCursor fn)
{
    bool body = clang_isCursorDefinition(fn) && in_main_file(st, fn);
    if (!body && !func_is_annotated(fn))
        return; /* created later if a main-file body calls it */
    ir_func *f = create_func(st, fn, true);
    if (body)
        convert_body(st, f, fn);
}

/* The definitions, in the project's own headers, of the functions the TU
   uses (static inline helpers, mostly): their bodies feed the summaries
   as a main-file body would.  A worklist over the function list, which
   grows as bodies call further functions; system headers are left out. */
static void convert_header_bodies(fe_state *st)
{
    for (size_t i = 0; i < st->func_list.n; i++) {
        func_entry *e = st->func_list.v[i];
        if (e->func->body || e->func->body_deferred)
            continue;
        CXCursor def = clang_getCursorDefinition(e->cursor);
        if (clang_Cursor_isNull(def) || in_main_file(st, def) ||
            clang_Location_isInSystemHeader(clang_getCursorLocation(def)))
            continue;
        ir_func *f = create_func(st, def, false);
        if (!f->body && !f->body_deferred) {
            st->top_index++;
            st->depth = 0;
            st->too_deep_reported = false;
            convert_body(st, f, def);
        }
    }
}

/* Visitor for the TU's top-level cursors (DATA: the fe_state).  Header
   declarations are cheap to skip: only a cursor kind is looked at for
   most of them, and no header body is entered. */
static enum CXChildVisitResult visit_top(CXCursor c, CXCursor parent,
                                         CXClientData data)
{
    (void)parent;
    fe_state *st = data;
    st->top_index++;
    st->depth = 0;
    st->too_deep_reported = false;
    switch (clang_getCursorKind(c)) {
    case CXCursor_MacroDefinition:
        macro_definition(st, c);
        break;
    case CXCursor_InclusionDirective:
        if (in_main_file(st, c))
            st->last_include = offset_of(c);
        break;
    case CXCursor_FunctionDecl:
        top_function(st, c);
        break;
    case CXCursor_VarDecl:
        top_global(st, c);
        break;
    case CXCursor_StructDecl:
    case CXCursor_UnionDecl:
        if (clang_isCursorDefinition(c))
            fe_record(st, c);
        break;
    case CXCursor_EnumDecl:
        fe_enum_decl(st, c);
        break;
    default:
        break;
    }
    drain_records(st);
    return CXChildVisit_Continue;
}

/* ---- Compiler diagnostics and unknown options ------------------------- */

/* Whether MSG is one of clang's "this option is not for me" errors: not
   a compiler error (SPEC 5), never recorded. */
static bool is_option_error(const char *msg)
{
    static const char *const prefixes[] = {
        "unknown argument",
        "unsupported option '",
        "unsupported argument '",
        "invalid argument '",
    };
    for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++)
        if (strncmp(msg, prefixes[i], strlen(prefixes[i])) == 0)
            return true;
    return strstr(msg, "' hasn't been enabled") != NULL;
}

/* Whether MSG contains S between single quotes. */
static bool quotes(const char *msg, const char *s, size_t n)
{
    for (const char *p = strchr(msg, '\''); p; p = strchr(p + 1, '\''))
        if (strncmp(p + 1, s, n) == 0 && p[1 + n] == '\'')
            return true;
    return false;
}

/* Whether driver error MSG (one without a location) is about option ARG
   of the command: it quotes it ("unknown argument: '-fconserve-stack'",
   "unsupported option '-mrecord-mcount' for target ...") or quotes its
   value and names the option ("unsupported argument 'kcfi' to option
   'fsanitize='", "invalid argument 'kernelx' to -mcmodel="). */
static bool names_option(const char *msg, const char *arg)
{
    if (quotes(msg, arg, strlen(arg)))
        return true;
    const char *eq = strchr(arg, '=');
    if (!eq || !eq[1] || !quotes(msg, eq + 1, strlen(eq + 1)))
        return false;
    char name[256];
    size_t n = (size_t)(eq + 1 - arg);
    if (n >= sizeof name)
        return false;
    memcpy(name, arg, n);
    name[n] = '\0';
    return strstr(msg, name) || strstr(msg, name + 1); /* "fsanitize=" */
}

/* Whether OPT is among the options FE drops. */
static bool fe_knows_unknown(const frontend *fe, const char *opt)
{
    for (size_t i = 0; i < fe->n_unknown; i++)
        if (strcmp(fe->unknown[i], opt) == 0)
            return true;
    return false;
}

/* Adds OPT (copied) to the options FE drops. */
static void fe_add_unknown(frontend *fe, const char *opt)
{
    if (fe->n_unknown == fe->cap_unknown) {
        fe->cap_unknown = fe->cap_unknown ? 2 * fe->cap_unknown : 8;
        fe->unknown =
            xrealloc(fe->unknown, fe->cap_unknown * sizeof *fe->unknown);
    }
    fe->unknown[fe->n_unknown++] = xstrdup(opt);
}

/* Adds the options of CMD that CTU's location-less errors name to the
   frontend's list.  Returns whether any was new. */
static bool learn_from_diagnostics(frontend *fe, CXTranslationUnit ctu,
                                   const fe_command *cmd)
{
    bool learned = false;
    unsigned n = clang_getNumDiagnostics(ctu);
    for (unsigned i = 0; i < n; i++) {
        CXDiagnostic d = clang_getDiagnostic(ctu, i);
        CXFile file = NULL;
        clang_getExpansionLocation(clang_getDiagnosticLocation(d), &file, NULL,
                                   NULL, NULL);
        if (clang_getDiagnosticSeverity(d) >= CXDiagnostic_Error && !file) {
            CXString s = clang_getDiagnosticSpelling(d);
            const char *msg = clang_getCString(s);
            for (int j = 1; msg && j < cmd->argc; j++) {
                const char *arg = cmd->argv[j];
                if (arg[0] == '-' && !fe_knows_unknown(fe, arg) &&
                    names_option(msg, arg)) {
                    fe_add_unknown(fe, arg);
                    learned = true;
                }
            }
            clang_disposeString(s);
        }
        clang_disposeDiagnostic(d);
    }
    return learned;
}

/* When libclang gives no TU at all (a value the driver or the target
   rejects outright, "-march=znver99", leaves no diagnostics to read), finds
   the options that fail on their own, compiling /dev/null as C.  Options
   followed by a separate value are not tried.  Returns whether any was
   new. */
static bool learn_by_probing(frontend *fe, const fe_command *cmd)
{
    bool learned = false;
    for (int i = 1; i < cmd->argc; i++) {
        const char *arg = cmd->argv[i];
        if (i + 1 < cmd->argc && cmd->argv[i + 1][0] != '-') {
            i++; /* "-isystem DIR" and the like */
            continue;
        }
        if (arg[0] != '-' || fe_knows_unknown(fe, arg))
            continue;
        const char *argv[] = {cmd->argv[0] ? cmd->argv[0] : "clang", arg, "-x",
                              "c", "/dev/null"};
        CXTranslationUnit tu = NULL;
        enum CXErrorCode rc = clang_parseTranslationUnit2FullArgv(
            fe->index, NULL, argv, 5, NULL, 0, CXTranslationUnit_None, &tu);
        if (tu)
            clang_disposeTranslationUnit(tu);
        if (rc != CXError_Success || !tu) {
            fe_add_unknown(fe, arg);
            learned = true;
        }
    }
    return learned;
}

/* Records CTU's errors and fatal errors (warnings are not shown). */
static void read_diagnostics(fe_state *st)
{
    unsigned n = clang_getNumDiagnostics(st->ctu);
    for (unsigned i = 0; i < n; i++) {
        CXDiagnostic d = clang_getDiagnostic(st->ctu, i);
        CXString spelling = clang_getDiagnosticSpelling(d);
        const char *msg = clang_getCString(spelling);
        bool option_error = msg && is_option_error(msg);
        clang_disposeString(spelling);
        if (clang_getDiagnosticSeverity(d) >= CXDiagnostic_Error &&
            !option_error) {
            const char *text = take_string(
                st->a, clang_formatDiagnostic(
                           d, clang_defaultDiagnosticDisplayOptions()));
            add_diag(st, IR_SEV_ERROR,
                     fe_loc(st, clang_getDiagnosticLocation(d)), text);
        }
        clang_disposeDiagnostic(d);
    }
}

/* ---- The command line ------------------------------------------------ */

typedef struct fe_args {
    const char **v;
    int n;
} fe_args;

/* Appends S (not copied); build_args() sized the array. */
static void args_add(fe_args *args, const char *s)
{
    args->v[args->n++] = s;
}

/* Whether the command makes some warnings errors of their own
   ("-Werror=vla", "-pedantic-errors"): errors the build would stop on,
   which "-w" would silence. */
static bool has_warning_errors(const fe_command *cmd)
{
    for (int i = 1; i < cmd->argc; i++) {
        const char *a = cmd->argv[i];
        if (strncmp(a, "-Werror=", 8) == 0 ||
            strcmp(a, "-pedantic-errors") == 0 ||
            strcmp(a, "-Werror-implicit-function-declaration") == 0)
            return true;
    }
    return false;
}

/* The command's argv without the known-unknown options, then the
   checker's own: see frontend_parse(). */
static fe_args build_args(const frontend *fe, const fe_command *cmd)
{
    int extra = 9 + 2 * fe->n_force_includes;
    fe_args args = {
        xrealloc(NULL, (size_t)(cmd->argc + extra) * sizeof(char *)), 0};
    args_add(&args, cmd->argc > 0 && cmd->argv[0] ? cmd->argv[0] : "clang");
    for (int i = 1; i < cmd->argc; i++)
        if (!fe_knows_unknown(fe, cmd->argv[i]))
            args_add(&args, cmd->argv[i]);
    args_add(&args, "-D__SHAPECHECK__");
    /* GCC-only warning options are not our business, and a -Werror build
       must not fail here on warnings only clang emits. */
    args_add(&args, "-Wno-unknown-warning-option");
    args_add(&args, "-Wno-error");
    /* No warning is ever shown: "-w" spares clang the work of finding them
       (the flow-based ones build a CFG of every function body), unless
       some warning is an error the user asked for. */
    if (!has_warning_errors(cmd))
        args_add(&args, "-w");
    if (fe->include_dir) {
        args_add(&args, "-idirafter");
        args_add(&args, fe->include_dir);
    }
    for (int i = 0; i < fe->n_force_includes; i++) {
        args_add(&args, "-include");
        args_add(&args, fe->force_includes[i]);
    }
    if (cmd->directory) {
        args_add(&args, "-working-directory");
        args_add(&args, cmd->directory);
    }
    args_add(&args, cmd->file);
    return args;
}

/* A lower-case reason for errno value E, as in our other messages. */
static const char *errno_text(int e)
{
    switch (e) {
    case ENOENT:
        return "no such file or directory";
    case EACCES:
        return "permission denied";
    case ENOTDIR:
        return "not a directory";
    case ELOOP:
        return "too many levels of symbolic links";
    case ENAMETOOLONG:
        return "file name too long";
    default:
        return "cannot be read";
    }
}

/* "FILE: WHY" into ERR, when the caller gave a buffer. */
static void set_err(char *err, size_t size, const char *file, const char *why)
{
    if (err && size)
        snprintf(err, size, "%s: %s", file, why);
}

/* Whether CMD's file exists and is readable (relative to its directory). */
static bool check_file(const fe_command *cmd, char *err, size_t err_size)
{
    if (!cmd->file || !*cmd->file) {
        set_err(err, err_size, "(none)", "no file to parse");
        return false;
    }
    size_t n =
        strlen(cmd->file) + (cmd->directory ? strlen(cmd->directory) : 0);
    char *path = xrealloc(NULL, n + 2);
    if (cmd->file[0] != '/' && cmd->directory && *cmd->directory)
        snprintf(path, n + 2, "%s/%s", cmd->directory, cmd->file);
    else
        snprintf(path, n + 2, "%s", cmd->file);
    const char *why = NULL;
    struct stat sb;
    if (stat(path, &sb) != 0)
        why = errno_text(errno);
    else if (S_ISDIR(sb.st_mode))
        why = "is a directory";
    else if (access(path, R_OK) != 0)
        why = errno_text(errno);
    free(path);
    if (why)
        set_err(err, err_size, cmd->file, why);
    return why == NULL;
}

/* ---- The frontend ---------------------------------------------------- */

/* PATH made absolute (the commands run in other directories), or a copy. */
static char *absolute(const char *path)
{
    char *real = realpath(path, NULL);
    return real ? real : xstrdup(path);
}

static frontend *module_create(const char *include_dir,
                               const char *const *force_includes,
                               int n_force_includes)
{
    frontend *fe = xrealloc(NULL, sizeof *fe);
    memset(fe, 0, sizeof *fe);
    fe->index = clang_createIndex(0, 0);
    fe->cwd = getcwd(NULL, 0);
    fe->include_dir = include_dir ? absolute(include_dir) : NULL;
    if (n_force_includes > 0) {
        fe->force_includes = xrealloc(NULL, (size_t)n_force_includes *
                                                sizeof *fe->force_includes);
        for (int i = 0; i < n_force_includes; i++)
            fe->force_includes[i] = absolute(force_includes[i]);
        fe->n_force_includes = n_force_includes;
    }
    return fe;
}

static void module_set_root(frontend *fe, const char *dir)
{
    free(fe->cwd);
    fe->cwd = dir ? xstrdup(dir) : NULL;
}

static void module_destroy(frontend *fe)
{
    if (!fe)
        return;
    clang_disposeIndex(fe->index);
    free(fe->include_dir);
    for (int i = 0; i < fe->n_force_includes; i++)
        free(fe->force_includes[i]);
    free(fe->force_includes);
    for (size_t i = 0; i < fe->n_unknown; i++)
        free(fe->unknown[i]);
    free(fe->unknown);
    free(fe->cwd);
    free(fe);
}

/* Frees the per-parse bookkeeping (not the TU, which the caller gets). */
static void state_free(fe_state *st)
{
    for (size_t i = 0; i < st->macros.cap; i++) {
        fe_macro *m = st->macros.slots[i].value;
        if (m) {
            fe_vec_free(&m->defs);
            fe_vec_free(&m->undefs);
        }
    }
    fe_map *maps[] = {&st->decls,          &st->funcs,        &st->records,
                      &st->macros,         &st->files,        &st->file_names,
                      &st->defines,        &st->init_members, &st->file_keys,
                      &st->invocation_ends};
    for (size_t i = 0; i < sizeof maps / sizeof maps[0]; i++)
        fe_map_free(maps[i]);
    fe_vec *vecs[] = {
        &st->func_list,       &st->globals,       &st->enums,
        &st->record_list,     &st->diags,         &st->ann_texts,
        &st->pending_records, &st->nodes,         &st->field_tmp,
        &st->locals,          &st->inputs,        &st->anns,
        &st->node_macros,     &st->file_key_list, &st->static_globals};
    for (size_t i = 0; i < sizeof vecs / sizeof vecs[0]; i++)
        fe_vec_free(vecs[i]);
    free(st->cursors.v);
    free(st->macro_defs.v);
    arena_free(st->scratch);
}

/* qsort order of func_entry pointers: by ORDER. */
static int compare_func_entries(const void *a, const void *b)
{
    const func_entry *x = *(func_entry *const *)a, *y = *(func_entry *const *)b;
    return x->order < y->order ? -1 : x->order > y->order;
}

static void add_input(CXFile file, CXSourceLocation *stack, unsigned depth,
                      CXClientData data)
{
    (void)stack, (void)depth;
    fe_state *st = data;
    CXString name = clang_getFileName(file);
    const char *s = clang_getCString(name);
    if (s && *s)
        fe_vec_push(&st->inputs, arena_strdup(st->a, s));
    clang_disposeString(name);
}

/* The files the TU was made of, for the cache (driver.c). */
static void collect_inputs(fe_state *st)
{
    clang_getInclusions(st->ctu, add_input, st);
    st->tu->inputs = (const char **)fe_vec_to_arena(st->a, &st->inputs, 0,
                                                    &st->tu->n_inputs);
}

/* Moves the collected lists into the TU. */
static void finish_tu(fe_state *st)
{
    ir_tu *tu = st->tu;
    if (st->func_list.n > 1)
        qsort(st->func_list.v, st->func_list.n, sizeof *st->func_list.v,
              compare_func_entries);
    for (size_t i = 0; i < st->func_list.n; i++) {
        func_entry *e = st->func_list.v[i];
        ir_func *f = e->func;
        mark_named_by_headers(st, f, e->cursor);
        f->tu = tu;
        st->func_list.v[i] = f;
    }
    tu->funcs = fe_vec_to_arena(st->a, &st->func_list, 0, &tu->n_funcs);
    for (size_t i = 0; i < st->static_globals.n; i++) {
        fe_first_decl *g = st->static_globals.v[i];
        if (g->offset < st->last_include)
            g->decl->address_taken = true;
    }
    tu->globals = fe_vec_to_arena(st->a, &st->globals, 0, &tu->n_globals);
    tu->enums = fe_vec_to_arena(st->a, &st->enums, 0, &tu->n_enums);
    tu->records = fe_vec_to_arena(st->a, &st->record_list, 0, &tu->n_records);
    tu->n_diags = (uint32_t)st->diags.n;
    if (st->diags.n) {
        tu->diags = arena_array(st->a, st->diags.n, sizeof *tu->diags);
        for (size_t i = 0; i < st->diags.n; i++)
            tu->diags[i] = *(ir_diag *)st->diags.v[i];
    }
}

/* The facts of parsed CTU, in a new TU with its own arena. */
static ir_tu *extract(const frontend *fe, CXTranslationUnit ctu,
                      const fe_command *cmd)
{
    arena *a = arena_new_shared(); /* a worker's TU goes to the checker */
    ir_tu *tu = arena_alloc(a, sizeof *tu);
    tu->arena = a;
    tu->main_file = arena_strdup(a, cmd->file);

    fe_state st;
    memset(&st, 0, sizeof st);
    st.ctu = ctu;
    st.tu = tu;
    st.cwd = fe->cwd;
    st.a = a;
    st.empty = arena_strdup(a, "");
    st.expr = fe_expr;
    st.scratch = arena_new();
    st.decls.kind = st.funcs.kind = st.records.kind = FE_MAP_CURSOR;
    st.init_members.kind = FE_MAP_CURSOR;
    st.file_keys.kind = st.invocation_ends.kind = FE_MAP_POINTER;
    st.cmd = cmd;
    st.macros.kind = st.file_names.kind = FE_MAP_STRING;
    st.files.kind = st.defines.kind = FE_MAP_POINTER;
    CXString spelling = clang_getTranslationUnitSpelling(ctu);
    st.main_file = clang_getFile(ctu, clang_getCString(spelling));
    clang_disposeString(spelling);

    read_diagnostics(&st);
    clang_visitChildren(clang_getTranslationUnitCursor(ctu), visit_top, &st);
    convert_header_bodies(&st);
    collect_inputs(&st);
    drain_records(&st);
    finish_macros(&st);
    finish_tu(&st);
    state_free(&st);
    return tu;
}

/* The options of CMD that this frontend drops, copied into TU's arena. */
static void report_dropped(const frontend *fe, const fe_command *cmd, ir_tu *tu,
                           const char ***dropped, int *n_dropped)
{
    const char **list = NULL;
    int n = 0;
    for (int i = 1; i < cmd->argc; i++) {
        if (!fe_knows_unknown(fe, cmd->argv[i]))
            continue;
        if (!list)
            list = arena_array(tu->arena, (size_t)cmd->argc, sizeof *list);
        list[n++] = arena_strdup(tu->arena, cmd->argv[i]);
    }
    if (dropped)
        *dropped = list;
    if (n_dropped)
        *n_dropped = n;
}

static ir_tu *module_parse(frontend *fe, const fe_command *cmd,
                           const char ***dropped, int *n_dropped, char *err,
                           size_t err_size)
{
    if (dropped)
        *dropped = NULL;
    if (n_dropped)
        *n_dropped = 0;
    if (!cmd->unsaved && !check_file(cmd, err, err_size))
        return NULL;
    struct CXUnsavedFile unsaved = {cmd->file, cmd->unsaved,
                                    (unsigned long)cmd->unsaved_length};
    unsigned n_unsaved = cmd->unsaved ? 1 : 0;
    CXTranslationUnit ctu = NULL;
    for (int attempt = 0;; attempt++) {
        fe_args args = build_args(fe, cmd);
        enum CXErrorCode rc = clang_parseTranslationUnit2FullArgv(
            fe->index, NULL, args.v, args.n, n_unsaved ? &unsaved : NULL,
            n_unsaved, PARSE_OPTIONS, &ctu);
        free(args.v);
        if (rc != CXError_Success || !ctu) {
            ctu = NULL;
            if (attempt < 3 && learn_by_probing(fe, cmd))
                continue;
            set_err(
                err, err_size, cmd->file,
                rc == CXError_Crashed
                    ? "libclang crashed while parsing it"
                    : "libclang could not parse it (bad compiler arguments?)");
            return NULL;
        }
        if (attempt >= 3 || !learn_from_diagnostics(fe, ctu, cmd))
            break;
        clang_disposeTranslationUnit(ctu); /* parse again without them */
        ctu = NULL;
    }
    ir_tu *tu = extract(fe, ctu, cmd);
    clang_disposeTranslationUnit(ctu);
    report_dropped(fe, cmd, tu, dropped, n_dropped);
    return tu;
}

/* The module's one exported symbol (frontend_module.h). */
__attribute__((visibility("default")))
const frontend_module shapecheck_frontend_module = {
    .version = FRONTEND_MODULE_VERSION,
    .create = module_create,
    .destroy = module_destroy,
    .set_root = module_set_root,
    .parse = module_parse,
};
