/* jsonout.h: the machine reporter: one result as a JSON document (jansson). */
#ifndef JSONOUT_H
#define JSONOUT_H

#include <jansson.h>
#include <stdio.h>

#include "result.h"

/* The result as JSON: lab, score, max_score, gates[] with status, kinds, reason, detail, tests[]. */
json_t *jsonout_result(const struct result *r);

/* A list of strings as a JSON array (the other JSON formats use it too). */
json_t *jsonout_list(const struct u_list *l);

/* Write doc to out, indented, and drop it; 0 on success. */
int jsonout_emit(json_t *doc, FILE *out);

/* Write it to out; 0 on success. */
int jsonout_write(const struct result *r, FILE *out);

#endif
