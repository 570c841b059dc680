/* tap.h: the result as TAP 14. */
#ifndef TAP_H
#define TAP_H

#include <stdio.h>

#include "result.h"

/*
 * TAP version 14, a plan, one test point per gate (the suite's tests as a
 * subtest of the tests gate), a YAML block with reason and detail under every
 * gate that did not pass. A gate that could not run is "ok ... # SKIP": it
 * does not count against the code.
 */
int tap_write(const struct result *r, FILE *out);

/* One test point, "ok 3 - desc" or "not ok 3 - desc", after pad; with "# SKIP why" when skip is not NULL. */
void tap_point(FILE *out, const char *pad, int ok, int n, const char *desc, const char *skip);

/* A YAML diagnostic block ("---" ... "...") of key, value pairs (NULL-terminated), each line after pad. */
void tap_yaml(FILE *out, const char *pad, const char *const *kv);

#endif
