/*
 * engine.h - the flow analysis of function bodies, as the rest of the
 * checker sees it: one walk of one body checks every call in it (the
 * rules run through their table) and gives the function's summary.
 * engine/program.c runs the walks over a whole program, callees first.
 */
#ifndef SHAPECHECK_ENGINE_H
#define SHAPECHECK_ENGINE_H

#include "analysis.h"

/* Walks F's body: values and shapes in execution order, every call
   checked, findings added to AN->diags.  ANNOTATED is what F's
   annotations say (NULL: nothing).  Returns the summary of the body
   (what it needs, returns, writes and keeps; in ANNOTATED's symbols), or
   NULL when the walk ran past its work budget (then nothing is known of
   F, and callers assume the worst). */
signature *engine_walk_function(analysis *an, const ir_func *f,
                                const signature *annotated);

#endif /* SHAPECHECK_ENGINE_H */
