/*
 * verify.c - --verify (see verify.h): read expectations from comments,
 * match them against the findings, report both leftovers as clang does.
 *
 * The scanner knows just enough C to find comments: string and character
 * literals are skipped (an "expected-error" inside a string is not a
 * directive), and so are numbers, so that C23 digit separators (1'000) do
 * not open a character literal.
 */
#define _XOPEN_SOURCE 700 /* realpath */

#include "verify.h"

#include "source_file.h"

#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"

/* ---- Scanning C text for comments -------------------------------------- */

static bool is_ident_char(char c)
{
    return isalnum((unsigned char)c) || c == '_';
}

/* P is after "//": the end of the comment (its newline, or the NUL).  A
   backslash before the newline continues the comment. */
static const char *line_comment_end(const char *p)
{
    for (; *p && *p != '\n'; p++)
        if (p[0] == '\\' && p[1] == '\n')
            p++;
    return p;
}

/* P is just inside a block comment: where its closing star-slash
   starts, or the NUL. */
static const char *block_comment_end(const char *p)
{
    const char *end = strstr(p, "*/");
    return end ? end : p + strlen(p);
}

/* P is after the opening QUOTE: just past the closing one.  An unclosed
   literal ends at the end of its line, as the compiler gives up there. */
static const char *literal_end(const char *p, char quote)
{
    while (*p && *p != quote && *p != '\n') {
        if (p[0] == '\\' && p[1])
            p++;
        p++;
    }
    return *p == quote ? p + 1 : p;
}

/* P is at a digit: the end of the preprocessing number. */
static const char *number_end(const char *p)
{
    for (p++;; p++) {
        if ((*p == '+' || *p == '-') && strchr("eEpP", p[-1]))
            continue;
        if (*p == '\'' && isalnum((unsigned char)p[1]))
            continue;
        if (!is_ident_char(*p) && *p != '.')
            return p;
    }
}

static unsigned count_newlines(const char *p, const char *end)
{
    unsigned n = 0;
    for (; p < end; p++)
        n += *p == '\n';
    return n;
}

/* ---- Parsing directives ------------------------------------------------ */

typedef struct parser {
    verify_file *vf;
    arena *arena;
    size_t cap; /* of vf->expects */
    char *err;
    size_t err_size;
} parser;

/* The words after "expected-", indexed by verify_kind, then the flag. */
enum { NO_DIAGNOSTICS = VERIFY_NOTE + 1 };
static const char *const directive_words[] = {
    [VERIFY_ERROR] = "error",
    [VERIFY_WARNING] = "warning",
    [VERIFY_NOTE] = "note",
    [NO_DIAGNOSTICS] = "no-diagnostics",
};
enum { N_DIRECTIVE_WORDS = sizeof directive_words / sizeof *directive_words };

static const char *kind_name(verify_kind kind)
{
    return directive_words[kind];
}

static void add_expect(parser *ps, verify_kind kind, unsigned line,
                       unsigned comment_line, const char *text, size_t len)
{
    verify_file *vf = ps->vf;
    if (vf->n_expects == ps->cap) {
        ps->cap = ps->cap ? ps->cap * 2 : 8;
        verify_expect *e = realloc(vf->expects, ps->cap * sizeof *e);
        if (!e) {
            fputs("shapecheck: out of memory\n", stderr);
            abort();
        }
        vf->expects = e;
    }
    vf->expects[vf->n_expects++] = (verify_expect){
        .kind = kind,
        .file = vf->path,
        .line = line,
        .comment_line = comment_line,
        .text = arena_strndup(ps->arena, text, len),
    };
}

static int fail(parser *ps, unsigned line, const char *what, verify_kind kind)
{
    snprintf(ps->err, ps->err_size, "%s:%u: %s 'expected-%s'", ps->vf->path,
             line, what, kind_name(kind));
    return -1;
}

/* Whether [P, END) starts with S. */
static bool starts_with(const char *p, const char *end, const char *s)
{
    size_t len = strlen(s);
    return (size_t)(end - p) >= len && memcmp(p, s, len) == 0;
}

/* The index in directive_words of the whole word at P, and where it ends;
   -1 if none ("expected-errors" and clang's "expected-error-re" are not
   directives here). */
static int match_word(const char *p, const char *end, const char **after)
{
    for (int i = 0; i < N_DIRECTIVE_WORDS; i++) {
        size_t len = strlen(directive_words[i]);
        if (!starts_with(p, end, directive_words[i]) ||
            (p + len < end && (is_ident_char(p[len]) || p[len] == '-')))
            continue;
        *after = p + len;
        return i;
    }
    return -1;
}

/* "@+N", "@-N" or "@N" at *P: changes *LINE to the line it names (N lines
   below or above, or line N).  Returns false when malformed or out of the
   file's range. */
static bool parse_line_offset(const char **p, const char *end, unsigned *line)
{
    const char *q = *p + 1; /* after '@' */
    char sign = q < end && (*q == '+' || *q == '-') ? *q++ : 0;
    unsigned n = 0;
    int digits = 0;
    while (q < end && isdigit((unsigned char)*q)) {
        if (++digits > 9)
            return false;
        n = n * 10 + (unsigned)(*q++ - '0');
    }
    if (!digits || (sign == '-' && n >= *line) || (!sign && n == 0))
        return false;
    *line = sign == '+' ? *line + n : sign == '-' ? *line - n : n;
    *p = q;
    return true;
}

static const char *skip_space(const char *p, const char *end)
{
    while (p < end && isspace((unsigned char)*p))
        p++;
    return p;
}

static const char *find(const char *p, const char *end, const char *what)
{
    size_t len = strlen(what);
    for (; (size_t)(end - p) >= len; p++)
        if (memcmp(p, what, len) == 0)
            return p;
    return NULL;
}

/* One directive of KIND whose keyword ends at *P, written on LINE: its
   optional "@..." and its {{TEXT}} groups.  Advances *P past them. */
static int parse_directive(parser *ps, verify_kind kind, const char **p,
                           const char *end, unsigned line)
{
    const char *q = *p;
    unsigned target = line;
    if (q < end && *q == '@' && !parse_line_offset(&q, end, &target))
        return fail(ps, line, "invalid line number after", kind);
    q = skip_space(q, end);
    if (!starts_with(q, end, "{{"))
        return fail(ps, line, "missing '{{' after", kind);
    while (starts_with(q, end, "{{")) {
        const char *close = find(q + 2, end, "}}");
        if (!close)
            return fail(ps, line, "missing '}}' after", kind);
        add_expect(ps, kind, target, line, q + 2, (size_t)(close - q - 2));
        q = skip_space(close + 2, end);
    }
    *p = q;
    return 0;
}

/* The directives in one comment, [P, END), which starts on LINE. */
static int parse_comment(parser *ps, const char *p, const char *end,
                         unsigned line)
{
    const char *start = p;
    while ((p = find(p, end, "expected-"))) {
        bool word_start = p == start || !is_ident_char(p[-1]);
        unsigned at = line + count_newlines(start, p);
        const char *after;
        int word = word_start ? match_word(p + 9, end, &after) : -1;
        if (word < 0) {
            p += 9;
            continue;
        }
        p = after;
        if (word == NO_DIAGNOSTICS)
            ps->vf->no_diagnostics = 1;
        else if (parse_directive(ps, (verify_kind)word, &p, end, at) != 0)
            return -1;
    }
    return 0;
}

/* Walks TEXT, handing each comment to parse_comment. */
static int scan_text(parser *ps, const char *text)
{
    unsigned line = 1;
    for (const char *p = text, *next; *p; p = next) {
        int rc = 0;
        if (p[0] == '/' && p[1] == '/') {
            next = line_comment_end(p + 2);
            rc = parse_comment(ps, p + 2, next, line);
        } else if (p[0] == '/' && p[1] == '*') {
            const char *end = block_comment_end(p + 2);
            rc = parse_comment(ps, p + 2, end, line);
            next = *end ? end + 2 : end;
        } else if (*p == '"' || *p == '\'') {
            next = literal_end(p + 1, *p);
        } else if (isdigit((unsigned char)*p)) {
            next = number_end(p);
        } else if (is_ident_char(*p)) {
            /* Whole identifiers, so that digits in them are not numbers;
               a prefix (L'x', u8"x") stops at its quote. */
            for (next = p + 1; is_ident_char(*next);)
                next++;
        } else {
            next = p + 1;
        }
        if (rc)
            return -1;
        line += count_newlines(p, next);
    }
    return 0;
}

int verify_parse_text(verify_file *vf, const char *path, const char *text,
                      char *err, size_t err_size)
{
    memset(vf, 0, sizeof *vf);
    arena *a = arena_new();
    vf->storage = a;
    vf->path = arena_strdup(a, path);
    parser ps = {vf, a, 0, err, err_size};
    if (scan_text(&ps, text) != 0) {
        verify_file_free(vf);
        return -1;
    }
    return 0;
}

int verify_parse_file(verify_file *vf, const char *path, char *err,
                      size_t err_size)
{
    size_t len;
    char *text = source_read(path, &len);
    if (!text) {
        memset(vf, 0, sizeof *vf);
        snprintf(err, err_size, "%s: cannot read: %s", path, strerror(errno));
        return -1;
    }
    int rc = verify_parse_text(vf, path, text, err, err_size);
    free(text);
    return rc;
}

void verify_file_free(verify_file *vf)
{
    free(vf->expects);
    arena_free(vf->storage);
    memset(vf, 0, sizeof *vf);
}

/* ---- Matching ----------------------------------------------------------- */

/* A leftover: an expectation not seen, or a finding not expected. */
typedef struct problem {
    verify_kind kind;
    bool seen;
    const char *file;
    unsigned line, comment_line;
    const char *text;
} problem;

/* A finding's file name and the verify file it is (-1: none), found by
   realpath when the names differ. */
typedef struct file_alias {
    const char *name;
    long index;
} file_alias;

typedef struct checker {
    arena *arena;
    verify_file *files;
    size_t n_files;
    const char **real; /* realpath of each file, "" if it has none */
    file_alias *aliases;
    size_t n_aliases, cap_aliases;
    problem *problems;
    size_t n_problems, cap_problems;
} checker;

static const char *real_path(arena *a, const char *path)
{
    char *r = realpath(path, NULL);
    const char *copy = arena_strdup(a, r ? r : "");
    free(r);
    return copy;
}

static long lookup_by_realpath(checker *ck, const char *path)
{
    const char *real = real_path(ck->arena, path);
    if (!*real)
        return -1;
    for (size_t i = 0; i < ck->n_files; i++) {
        if (!ck->real[i])
            ck->real[i] = real_path(ck->arena, ck->files[i].path);
        if (strcmp(ck->real[i], real) == 0)
            return (long)i;
    }
    return -1;
}

/* The index in ck->files of the file PATH names, or -1. */
static long file_index(checker *ck, const char *path)
{
    if (!path)
        return -1;
    for (size_t i = 0; i < ck->n_files; i++)
        if (strcmp(ck->files[i].path, path) == 0)
            return (long)i;
    for (size_t i = 0; i < ck->n_aliases; i++)
        if (strcmp(ck->aliases[i].name, path) == 0)
            return ck->aliases[i].index;
    if (ck->n_aliases == ck->cap_aliases) {
        ck->cap_aliases = ck->cap_aliases ? ck->cap_aliases * 2 : 8;
        file_alias *grown =
            arena_array(ck->arena, ck->cap_aliases, sizeof *grown);
        if (ck->n_aliases)
            memcpy(grown, ck->aliases, ck->n_aliases * sizeof *grown);
        ck->aliases = grown;
    }
    file_alias *alias = &ck->aliases[ck->n_aliases++];
    alias->name = path;
    alias->index = lookup_by_realpath(ck, path);
    return alias->index;
}

static void add_problem(checker *ck, problem p)
{
    if (ck->n_problems == ck->cap_problems) {
        ck->cap_problems = ck->cap_problems ? ck->cap_problems * 2 : 16;
        problem *grown =
            arena_array(ck->arena, ck->cap_problems, sizeof *grown);
        if (ck->n_problems)
            memcpy(grown, ck->problems, ck->n_problems * sizeof *grown);
        ck->problems = grown;
    }
    ck->problems[ck->n_problems++] = p;
}

/* Takes the first unmatched expectation of VF that TEXT on LINE meets. */
static bool take_expectation(verify_file *vf, verify_kind kind, unsigned line,
                             const char *text)
{
    for (size_t i = 0; i < vf->n_expects; i++) {
        verify_expect *e = &vf->expects[i];
        if (!e->matched && e->kind == kind && e->line == line &&
            strstr(text, e->text)) {
            e->matched = 1;
            return true;
        }
    }
    return false;
}

/* One diagnostic or note.  A note in a file that is not verified is not
   checked (it points into a header the test does not own); an error or
   warning anywhere must be expected somewhere. */
static void check_one(checker *ck, verify_kind kind, sc_loc loc,
                      const char *text)
{
    long i = file_index(ck, loc.file);
    if (i < 0 && kind == VERIFY_NOTE)
        return;
    if (i >= 0 && take_expectation(&ck->files[i], kind, loc.line, text))
        return;
    add_problem(ck, (problem){kind, true, loc.file ? loc.file : "<unknown>",
                              loc.line, loc.line, text});
}

static verify_kind kind_of(sc_severity severity)
{
    return severity == SC_SEV_ERROR     ? VERIFY_ERROR
           : severity == SC_SEV_WARNING ? VERIFY_WARNING
                                        : VERIFY_NOTE;
}

static void check_diags(checker *ck, const diag_list *list)
{
    for (size_t i = 0; i < list->n; i++) {
        const diag *d = &list->items[i];
        const char *text = d->rule ? arena_printf(ck->arena, "%s [%s]",
                                                  d->message, d->rule->id)
                                   : d->message;
        check_one(ck, kind_of(d->severity), d->loc, text);
        for (size_t j = 0; j < d->n_notes; j++)
            check_one(ck, VERIFY_NOTE, d->notes[j].loc, d->notes[j].message);
    }
}

static void collect_unseen(checker *ck)
{
    for (size_t i = 0; i < ck->n_files; i++) {
        const verify_file *vf = &ck->files[i];
        for (size_t j = 0; j < vf->n_expects; j++) {
            const verify_expect *e = &vf->expects[j];
            if (!e->matched)
                add_problem(ck, (problem){e->kind, false, e->file, e->line,
                                          e->comment_line, e->text});
        }
    }
}

/* A file's directives that contradict each other or are missing. */
static size_t report_files(FILE *out, const verify_file *files, size_t n)
{
    size_t count = 0;
    for (size_t i = 0; i < n; i++) {
        const verify_file *vf = &files[i];
        if (vf->no_diagnostics && vf->n_expects) {
            fprintf(out,
                    "error: %s: 'expected-no-diagnostics' directive cannot "
                    "be used with other expected directives\n",
                    vf->path);
            count++;
        } else if (!vf->no_diagnostics && !vf->n_expects) {
            fprintf(out,
                    "error: %s: no expected directives found: consider use "
                    "of 'expected-no-diagnostics'\n",
                    vf->path);
            count++;
        }
    }
    return count;
}

/* The problems of one kind and one direction, under clang's heading. */
static void report_group(FILE *out, const checker *ck, verify_kind kind,
                         bool seen)
{
    bool first = true;
    for (size_t i = 0; i < ck->n_problems; i++) {
        const problem *p = &ck->problems[i];
        if (p->kind != kind || p->seen != seen)
            continue;
        if (first && seen)
            fprintf(out, "error: '%s' diagnostics seen but not expected:\n",
                    kind_name(kind));
        else if (first)
            fprintf(out,
                    "error: 'expected-%s' diagnostics expected but not "
                    "seen:\n",
                    kind_name(kind));
        first = false;
        fprintf(out, "  File %s Line %u", p->file, p->line);
        if (p->line != p->comment_line)
            fprintf(out, " (directive at %s:%u)", p->file, p->comment_line);
        fprintf(out, ": %s\n", p->text);
    }
}

size_t verify_check(const diag_list *list, verify_file *files, size_t n_files,
                    FILE *out)
{
    checker ck = {.arena = arena_new(), .files = files, .n_files = n_files};
    ck.real = arena_array(ck.arena, n_files, sizeof *ck.real);
    for (size_t i = 0; i < n_files; i++)
        for (size_t j = 0; j < files[i].n_expects; j++)
            files[i].expects[j].matched = 0;
    check_diags(&ck, list);
    collect_unseen(&ck);
    size_t count = report_files(out, files, n_files);
    for (verify_kind k = VERIFY_ERROR; k <= VERIFY_NOTE; k++) {
        report_group(out, &ck, k, false);
        report_group(out, &ck, k, true);
    }
    count += ck.n_problems;
    arena_free(ck.arena);
    return count;
}
