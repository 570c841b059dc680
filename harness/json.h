/* json.h: the machine reporter: one result as a JSON document (jansson). */
#ifndef JSON_H
#define JSON_H

#include <jansson.h>

#include "result.h"

/* The result as JSON: lab, score, max_score, gates[] with status, kinds, reason, detail. */
json_t *json_result(const struct result *r);

/* Write it to path ("-" for stdout); 0 on success. */
int json_write(const struct result *r, const char *path);

#endif
