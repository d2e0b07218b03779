/*
 * args.h - what the checker knows of clang's command-line options, for
 * cleaning compile commands before libclang sees them (compdb.c, driver.c).
 *
 * Two questions only:
 *   - which options take their value in the next word ("-I DIR"), so that
 *     one left at the end of a command can be refused: the checker appends
 *     its own arguments after the command's, and "-I" would take the first
 *     of them ("-D__SHAPECHECK__") as its value, silently;
 *   - which options must never reach libclang: dependency generation
 *     (-M, -MM, -MD, -MF FILE...: Bear records "gcc -MM" commands, and
 *     libclang would print the rule on stdout or write the file) and driver
 *     queries (-###, --version, -v, -print-*...: libclang prints instead of,
 *     or as well as, parsing).
 * The tables are clang 14's driver options (clang --help-hidden, each
 * checked against clang's "argument to '-X' is missing").
 */
#ifndef SHAPECHECK_ARGS_H
#define SHAPECHECK_ARGS_H

#include <stdbool.h>

/* Whether ARG is an option whose value is the next word when ARG is
   written alone ("-I", "-isystem", "-Xclang", "-x"). */
bool args_takes_value(const char *arg);

/* The option among ARGV[1..ARGC) that takes a separate value and is the
   last word, so has none; NULL when there is none.  Values are skipped
   while scanning: "-I -I" is one option with its value. */
const char *args_missing_value(const char *const *argv, int argc);

/* How many words starting at ARGV[I] (of ARGC) form an option the checker
   drops (dependency generation, driver queries): 1 for "-MM" or "-MFx",
   2 for "-MF x", 0 for any other word. */
int args_unwanted_words(const char *const *argv, int argc, int i);

/* Whether ARG is an unwanted option whose value is the next word ("-MF"),
   so that a list of removed words can show the two together. */
bool args_unwanted_with_value(const char *arg);

/* Removes the unwanted options (args_unwanted_words) from ARGV[FIRST..
   *ARGC), in place, keeping the order of the rest, the values of
   separate-value options never taken for options; ARGV[*ARGC] is left
   NULL.  Each removed word is appended to REMOVED (room for *ARGC words;
   may be NULL) and counted in *N_REMOVED. */
void args_drop_unwanted(const char **argv, int *argc, int first,
                        const char **removed, int *n_removed);

#endif /* SHAPECHECK_ARGS_H */
