/*
 * json_check.h - what cJSON leaves to its callers when they read files
 * people can damage: where a document stops being JSON (line and column,
 * as compilers say it), and keys written twice in one object (cJSON keeps
 * both and finds the first, so the second would be silently ignored).
 */
#ifndef SHAPECHECK_JSON_CHECK_H
#define SHAPECHECK_JSON_CHECK_H

#include <cjson/cJSON.h>
#include <stddef.h>

/* "NAME:LINE:COL: malformed JSON" in ERR: the position of STOP (where
   cJSON's parse stopped, from cJSON_ParseWithOpts) in TEXT, 1-based;
   STOP NULL counts the whole text (a truncated file ends there). */
void json_check_error(const char *name, const char *text, const char *stop,
                      char *err, size_t err_size);

/* The first key written twice in one object of ROOT (depth first), or
   NULL when there is none.  O(n log n) in the keys of each object. */
const char *json_check_duplicate_key(const cJSON *root);

#endif /* SHAPECHECK_JSON_CHECK_H */
