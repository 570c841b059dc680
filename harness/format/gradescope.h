/* gradescope.h: the result as Gradescope's autograder results.json. */
#ifndef GRADESCOPE_H
#define GRADESCOPE_H

#include <stdio.h>

#include "result.h"

/* results.json: score, max_score, execution_time, output, tests[] (one per gate, one per suite test). */
int gs_write(const struct result *r, FILE *out);

#endif
