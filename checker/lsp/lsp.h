/*
 * lsp.h - shapecheck as a Language Server Protocol server (shapecheck
 * --lsp): it publishes the findings of each open C document, with their
 * notes as related information, when it is opened, changed or saved;
 * shows on hover the shape of a variable and where each dimension came
 * from; and gives inlay hints with the shapes inferred for declarations
 * that have none written.
 *
 * The documents are analysed as parts of the program: the server finds
 * the compile database as clangd does, keeps the project index of that
 * database (index.h) fresh in a background process, and analyses each open
 * document against it.  docs/editors.md shows the editor setups.
 */
#ifndef SHAPECHECK_LSP_H
#define SHAPECHECK_LSP_H

#include <stdbool.h>
#include <stdio.h>

typedef struct lsp_options {
    /* The folder of compile_commands.json (--compile-commands-dir, -p);
       NULL: the client's initializationOptions.compilationDatabasePath,
       else the workspace folder or its build/ folder (clangd's order). */
    const char *compile_commands_dir;
    /* Parsing threads of the background index; 0: all cores but one. */
    int jobs;
    /* The protocol only: no compile database is looked for, no document
       is analysed and no process is started (the fuzz harness). */
    bool protocol_only;
} lsp_options;

/* Serves the client on IN and OUT (JSON-RPC with LSP framing) until it
   sends "exit" or goes away; O may be NULL (the defaults).  IN must not
   have been read from yet: the server reads its descriptor directly, so
   that it can tell whether more messages are waiting.  When OUT is the
   process's standard output, the protocol gets a descriptor of its own
   and standard output goes to standard error, so that a stray print
   cannot corrupt the stream.  Returns the exit status: 0 after
   "shutdown" then "exit" (or the end of input after "shutdown"), 1
   otherwise. */
int lsp_serve(FILE *in, FILE *out, const lsp_options *o);

#endif /* SHAPECHECK_LSP_H */
