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

/* Marks the groups whose bodies need a walk (func_group.needed): those
   that call a function whose signature gives a parameter a shape or read
   an annotated declaration, the ROOTS (keys), and every body they call,
   transitively; with ALL, every group in ORDER.  Each needed group's
   callees are listed (func_group.callees).  ORDER is every group with a
   body, callees first.  Call after every signature is annotated
   (engine/demand.c). */
void demand_mark(analysis *an, func_group *const *order, uint32_t n_order,
                 const char *const *roots, size_t n_roots, bool all);

#endif /* SHAPECHECK_ENGINE_H */
