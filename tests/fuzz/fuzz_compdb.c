/*
 * fuzz_compdb.c - compile databases (checker/frontend/compdb.h): compdb_parse on
 * any text as compile_commands.json, and compdb_from_args on the words of
 * the input as the arguments after "--".
 *
 * Properties: a rejected database leaves a message naming it; an accepted
 * one has commands with a compiler, argc words, absolute C file names, no
 * two for one file, and compdb_lookup finds each by its own name; a
 * command from arguments has the source dropped from them.
 */
#include "fuzz.h"

#include "compdb.h"

#define PATH "/fuzz/build/compile_commands.json"
#define MAX_WORDS 32

static void check_command(const fe_command *c)
{
    FUZZ_CHECK(c->file && c->file[0] == '/');
    FUZZ_CHECK(c->argc >= 1 && c->argv && c->argv[0]);
    for (int k = 0; k < c->argc; k++)
        FUZZ_CHECK(c->argv[k] != NULL);
}

static void parse_database(const char *text, size_t len)
{
    compdb db;
    char err[512];
    err[0] = '\0';
    if (compdb_parse(&db, PATH, text, len, err, sizeof err) != 0) {
        FUZZ_CHECK(strncmp(err, PATH, strlen(PATH)) == 0);
        FUZZ_CHECK(db.n_commands == 0);
        return;
    }
    for (size_t i = 0; i < db.n_commands; i++) {
        const fe_command *c = &db.commands[i];
        check_command(c);
        size_t n = strlen(c->file);
        FUZZ_CHECK(n >= 2 && strcmp(c->file + n - 2, ".c") == 0);
        for (size_t j = 0; j < i; j++)
            FUZZ_CHECK(strcmp(db.commands[j].file, c->file) != 0);
        FUZZ_CHECK(compdb_lookup(&db, c->file) == c);
    }
    compdb_lookup(&db, "a.c");
    compdb_free(&db);
}

/* The input's words (split at white space) as "FILE -- ARGS": the first
   word is the file. */
static void from_args(char *text)
{
    const char *words[MAX_WORDS];
    size_t n = 0;
    for (char *w = strtok(text, " \t\n"); w && n < MAX_WORDS;
         w = strtok(NULL, " \t\n"))
        words[n++] = w;
    if (n == 0)
        return;
    compdb db;
    FUZZ_CHECK(compdb_from_args(&db, words, 1, words + 1, n - 1) == 0);
    FUZZ_CHECK(db.n_commands == 1);
    const fe_command *c = &db.commands[0];
    FUZZ_CHECK(strcmp(c->file, words[0]) == 0);
    FUZZ_CHECK(c->argc >= 1 && c->argv && c->argv[0]);
    /* The source itself is dropped, unless it looks like a flag ("-x.c")
       or is the value of one ("-I a.c"). */
    for (int k = 1; k < c->argc; k++)
        FUZZ_CHECK(strcmp(c->argv[k], words[0]) != 0 || words[0][0] == '-' ||
                   c->argv[k - 1][0] == '-');
    compdb_free(&db);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_text(data, size);
    parse_database(text, strlen(text));
    from_args(text);
    free(text);
    return 0;
}
