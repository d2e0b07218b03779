/*
 * notes.h - the notes under a finding that tell where each shape and
 * value came from, shared by the rules (and by the language server's
 * hover, which tells the same story).
 */
#ifndef SHAPECHECK_NOTES_H
#define SHAPECHECK_NOTES_H

#include "analysis.h"

/* The notes that trace an origin (at most a few steps). */
void note_origin(analysis *an, diag *d, const shape_origin *o);

/* The lines note_origin adds for O, each given to FN with its position
   (texts in AN's arena; FN may see a line twice, as note_origin would
   without its check for duplicates). */
typedef void origin_line_fn(void *ud, sc_loc loc, const char *text);
void origin_lines(analysis *an, const shape_origin *o, origin_line_fn *fn,
                  void *ud);

/* Where an integer value was set ("B set to 32 here"). */
void note_value(analysis *an, diag *d, const value_note *v);

/* Explains argument I's shape at a call: its extent's origin, or the
   parameter it is read through and how the parameter's symbols were
   bound. */
void note_argument(analysis *an, diag *d, const call_result *r, uint32_t i);

/* Where parameter I's shape comes from: its SHAPE, or the call in the
   function's body that requires it. */
void note_param(analysis *an, diag *d, const signature *sig, uint32_t i);

/* The notes on the values bound to the symbols of dim DIM of argument I's
   view (every dim when DIM is -1): where each came from. */
void note_bindings(analysis *an, diag *d, const call_result *r, uint32_t i,
                   int dim);

#endif /* SHAPECHECK_NOTES_H */
