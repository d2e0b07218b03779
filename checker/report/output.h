/*
 * output.h - writing findings.  The text format is clang's:
 *
 *   train.c:42:5: error: MESSAGE [rule]
 *      42 |     loss(logits, labels);
 *         |     ^
 *   train.c:30:3: note: NOTE
 *
 * Compiler diagnostics (rule NULL) are printed as clang formatted them.
 */
#ifndef SHAPECHECK_OUTPUT_H
#define SHAPECHECK_OUTPUT_H

#include <stdbool.h>
#include <stdio.h>

#include "diag.h"

/* Writes every finding of LIST (already sorted) to OUT.  The source line
   and caret are read from the file on disk; a file or line that cannot be
   read is left out silently (the location line is still printed). */
void output_text(FILE *out, const diag_list *list);

/* output_text, in clang's colours when COLOR (--color). */
void output_text_color(FILE *out, const diag_list *list, bool color);

#endif /* SHAPECHECK_OUTPUT_H */
