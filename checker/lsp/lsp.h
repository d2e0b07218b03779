/*
 * lsp.h - shapecheck as a Language Server Protocol server (shapecheck
 * --lsp): it publishes the findings of each open C document, with their
 * notes as related information, when it is opened, changed or saved;
 * shows on hover the shape of a variable and where each dimension came
 * from; and gives inlay hints with the shapes inferred for declarations
 * that have none written.  docs/editors.md shows the editor setups.
 */
#ifndef SHAPECHECK_LSP_H
#define SHAPECHECK_LSP_H

#include <stdio.h>

/* Serves the client on IN and OUT (JSON-RPC with LSP framing) until it
   sends "exit" or goes away.  IN must not have been read from yet (it is
   made unbuffered when it is a pipe, so that the server can tell whether
   more messages are waiting).  When OUT is the process's standard output,
   the protocol gets a descriptor of its own and standard output goes to
   standard error, so that a stray print cannot corrupt the stream.
   Returns the exit status: 0 after "shutdown" then "exit" (or the end of
   input after "shutdown"), 1 otherwise. */
int lsp_serve(FILE *in, FILE *out);

#endif /* SHAPECHECK_LSP_H */
